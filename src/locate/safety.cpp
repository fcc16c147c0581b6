#include "locate/safety.hpp"

#include <cmath>
#include <limits>

namespace leakhunt::locate {

CrewPlaces declaredCrewPlaces(const model::Station& station) {
  CrewPlaces places;
  for (const model::CrewMember& c : station.crew) places.push_back(station.moduleIndex(c.location));
  return places;
}

double pressureAfter(double pressure_pa, double inventory_kg, double rate_kg_s, double t_s) {
  if (inventory_kg <= 0.0) return 0.0;
  return pressure_pa * std::exp(-rate_kg_s * t_s / inventory_kg);
}

namespace {

// A crewed segment's air, the chance the leak is in it, and its lowest pressure now.
struct SegmentLoad {
  double mass_kg = 0.0, chance = 0.0, pressure_pa = 0.0;
};

SegmentLoad segmentLoad(const SafetyQuery& q, const std::vector<int>& members) {
  SegmentLoad load{0.0, 0.0, q.facts->pressure_pa};
  for (int m : members) {
    const auto k = static_cast<std::size_t>(m);
    if (q.pressure_pa != nullptr)
      load.pressure_pa = std::min(load.pressure_pa, (*q.pressure_pa)[k]);
    load.mass_kg += q.facts->inventory_kg[k];
    load.chance += (*q.leakProbability)[k];
  }
  return load;
}

}  // namespace

std::vector<std::string> violations(const SafetyQuery& q, const HatchSet& open, double hold_s) {
  const model::Station& st = *q.station;
  const StationFacts& f = *q.facts;
  std::vector<std::string> out;
  for (std::size_t h = 0; h < st.hatches.size(); ++h)
    if (!st.hatches[h].closable && open[h] != st.hatches[h].open)
      out.push_back("hatch " + st.hatches[h].id + " cannot be " + (open[h] ? "opened" : "closed") +
                    " quickly");
  const Segments seg = q.graph != nullptr ? segmentsOf(*q.graph, open) : segmentsOf(st, open);
  std::vector<bool> crewed(seg.members.size(), false);
  for (std::size_t c = 0; c < st.crew.size(); ++c) {
    const model::CrewMember& who = st.crew[c];
    const int place = (*q.crew)[c];
    if (place < 0) {
      out.push_back("crew " + who.id + " is in no known module");
      continue;
    }
    const auto s = static_cast<std::size_t>(seg.segmentOf[static_cast<std::size_t>(place)]);
    crewed[s] = true;
    bool lifeboat = false, o2 = false, co2 = false;
    for (int m : seg.members[s]) {
      const auto k = static_cast<std::size_t>(m);
      lifeboat = lifeboat || st.modules[k].vehicle == who.lifeboat;
      o2 = o2 || f.hasO2Generation[k];
      co2 = co2 || f.hasCo2Removal[k];
    }
    if (!lifeboat)
      out.push_back("crew " + who.id + " in " + st.modules[static_cast<std::size_t>(place)].id +
                    " would be cut off from lifeboat " + who.lifeboat);
    const bool insideLifeboat = st.modules[static_cast<std::size_t>(place)].vehicle == who.lifeboat;
    if (!insideLifeboat && !(o2 && co2))
      out.push_back("crew " + who.id + " in " + st.modules[static_cast<std::size_t>(place)].id +
                    " would have no " + (o2 ? "CO2 removal" : "O2 generation"));
  }
  for (std::size_t s = 0; s < seg.members.size(); ++s) {
    if (!crewed[s]) continue;
    const auto [mass, chance, now] = segmentLoad(q, seg.members[s]);
    if (chance <= 0.0) continue;
    // Inventory and a choked leak's rate both scale with the pressure: the decay rate
    // L/M is the declared one, so only the starting pressure changes.
    const double p = pressureAfter(now, mass, q.leakRateUpper_kg_s, hold_s);
    if (p < f.evacuation_pa + q.rules.pressureMargin_pa)
      out.push_back("a crewed segment holding " +
                    st.modules[static_cast<std::size_t>(seg.members[s][0])].id + " could fall to " +
                    std::to_string(static_cast<int>(p / 133.322387415)) +
                    " mmHg, below the evacuation limit plus margin");
  }
  return out;
}

double longestSafeHold(const SafetyQuery& q, const HatchSet& open) {
  if (!violations(q, open, 0.0).empty()) return 0.0;
  const model::Station& st = *q.station;
  const StationFacts& f = *q.facts;
  const Segments seg = q.graph != nullptr ? segmentsOf(*q.graph, open) : segmentsOf(st, open);
  std::vector<bool> crewed(seg.members.size(), false);
  for (int place : *q.crew)
    if (place >= 0)
      crewed[static_cast<std::size_t>(seg.segmentOf[static_cast<std::size_t>(place)])] = true;
  double hold = std::numeric_limits<double>::infinity();
  for (std::size_t s = 0; s < seg.members.size(); ++s) {
    if (!crewed[s]) continue;
    const auto [mass, chance, now] = segmentLoad(q, seg.members[s]);
    if (chance <= 0.0 || q.leakRateUpper_kg_s <= 0.0) continue;
    // p(t) = p0 exp(-L t / M) reaches the limit at t = M / L ln(p0 / limit).
    hold = std::min(hold, mass / q.leakRateUpper_kg_s *
                              std::log(now / (f.evacuation_pa + q.rules.pressureMargin_pa)));
  }
  return std::max(0.0, hold);
}

}  // namespace leakhunt::locate
