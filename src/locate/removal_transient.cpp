#include "locate/removal_transient.hpp"

#include <cmath>

#include "gas/species.hpp"

namespace leakhunt::locate {
namespace {

struct Species {
  model::LifeSupportKind remover;
  gas::Species species;
  double production_kg_s;  // per person
};

// Mean over [a, b] (seconds after the stretch start) of k c(t) - P for a segment with removal
// k [m^3/s], production P [kg/s], volume V and start concentration c0 [kg/m^3].
double meanMismatch(double k, double production, double volume, double c0, double a, double b) {
  if (k <= 0.0 || b <= a) return 0.0;
  const double rate = k / volume;
  const double amplitude = k * c0 - production;
  return amplitude * (std::exp(-rate * a) - std::exp(-rate * b)) / (rate * (b - a));
}

}  // namespace

double unseenRemoval(const model::Station& st, double rMix, int crewBefore,
                     const std::vector<Stretch>& history, std::size_t k,
                     const std::vector<int>& segment, double from_s, double to_s) {
  const Species kinds[] = {
      {model::LifeSupportKind::Co2Removal, gas::Species::CO2, st.metabolism.co2Production_kg_s},
      {model::LifeSupportKind::H2oRemoval, gas::Species::H2O, st.metabolism.h2oProduction_kg_s}};
  const std::size_t n = st.modules.size();
  double total = 0.0;
  for (const Species& sp : kinds) {
    std::vector<double> removal(n, 0.0);
    double all = 0.0;
    for (const model::LifeSupport& ls : st.lifeSupport)
      if (ls.kind == sp.remover) {
        removal[static_cast<std::size_t>(st.moduleIndex(ls.module))] +=
            ls.flow_m3_s * ls.efficiency;
        all += ls.flow_m3_s * ls.efficiency;
      }
    if (all <= 0.0) continue;
    std::vector<double> c(n, crewBefore * sp.production_kg_s / all);
    const auto segmentTerms = [&](const Stretch& s, const std::vector<int>& members, double& kk,
                                  double& p, double& v, double& c0) {
      kk = p = v = c0 = 0.0;
      for (int m : members) {
        const auto i = static_cast<std::size_t>(m);
        kk += removal[i];
        v += st.modules[i].volume_m3;
        c0 += c[i] * st.modules[i].volume_m3;
      }
      for (int place : s.crew)
        for (int m : members)
          if (m == place) p += sp.production_kg_s;
      c0 /= v;
    };
    for (std::size_t j = 0; j < k && j < history.size(); ++j) {
      const Stretch& s = history[j];
      const Segments seg = segmentsOf(st, s.open);
      const double t = s.to_s - s.from_s;
      for (const std::vector<int>& members : seg.members) {
        double kk, p, v, c0;
        segmentTerms(s, members, kk, p, v, c0);
        const double end =
            kk > 0.0 ? p / kk + (c0 - p / kk) * std::exp(-kk / v * t) : c0 + p * t / v;
        for (int m : members) c[static_cast<std::size_t>(m)] = end;
      }
    }
    double kk, p, v, c0;
    segmentTerms(history[k], segment, kk, p, v, c0);
    const double mismatch =
        meanMismatch(kk, p, v, c0, from_s - history[k].from_s, to_s - history[k].from_s);
    total += mismatch * gas::gasConstant(gas::index(sp.species)) / rMix;
  }
  return total;
}

}  // namespace leakhunt::locate
