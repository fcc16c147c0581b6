#include "campaign/full_bound.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "detect/books_model.hpp"
#include "detect/station_segments.hpp"

namespace leakhunt::campaign {
namespace {

constexpr double kYear_s = 365.25 * 86400.0;

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

detect::FullModelBound leakBound(const model::Station& station, int leakModule, double warmUp_s,
                                 double horizon_s, bool whiteOnly) {
  const network::Segmentation seg = detect::declaredSegments(station);
  const detect::BooksTopology topology{seg.segmentOf, static_cast<int>(seg.members.size())};
  detect::BooksModel model = detect::booksModelOf(station);
  if (whiteOnly)
    for (detect::ModuleBooks& m : model.modules)
      m.temperatureWander_kg = m.sourceWander_kg_s = m.orbitWander_kg = 0.0;
  return detect::fullModelBound(model, topology, {leakModule}, warmUp_s, horizon_s);
}

double warmUpOf(const CampaignSpec& spec) { return spec.reference_s + 0.5 * spec.onsetWindow_s; }

void addFullModelBounds(const CampaignSpec& spec, const model::Station& station,
                        const std::vector<RunRecord>& runs, CampaignStats& stats) {
  // The information does not depend on the rate: one bound per leak module serves every size.
  double horizon = spec.checkAfter_s;
  for (const LeakSize& s : spec.sizes) horizon = std::max(horizon, s.follow_s);
  horizon = std::min(horizon, 48.0 * 3600.0);
  const double h = std::log(kYear_s / spec.falseAlarmsPerYear);
  std::map<int, detect::FullModelBound> bounds;
  std::vector<std::vector<double>> variances(stats.sizes.size()), delays(stats.sizes.size());
  for (const RunRecord& r : runs) {
    if (r.plan.size < 0 || !r.ok) continue;
    const int module = station.moduleIndex(r.plan.truth.leakModule);
    if (module < 0) continue;
    auto it = bounds.find(module);
    if (it == bounds.end())
      it = bounds.emplace(module, leakBound(station, module, warmUpOf(spec), horizon)).first;
    const auto k = static_cast<std::size_t>(r.plan.size);
    const double crb = it->second.crbSigma_kg_s(spec.checkAfter_s);
    variances[k].push_back(crb * crb);
    if (r.outcome.truthRateAtOnset_kg_s > 0.0)
      delays[k].push_back(it->second.oracleDelay_s(r.outcome.truthRateAtOnset_kg_s, h));
  }
  for (std::size_t k = 0; k < stats.sizes.size(); ++k) {
    SizeStats& s = stats.sizes[k];
    if (variances[k].empty()) continue;
    double sum = 0.0;
    for (double v : variances[k]) sum += v;
    s.crbFullSigma_kg_s = std::sqrt(sum / static_cast<double>(variances[k].size()));
    s.oracleFullDelay_s = median(delays[k]);
    if (s.crbFullSigma_kg_s > 0.0 && std::isfinite(s.crbFullSigma_kg_s))
      s.spreadOverCrbFull = s.rateSpread_kg_s / s.crbFullSigma_kg_s;
    if (s.oracleFullDelay_s > 0.0 && std::isfinite(s.oracleFullDelay_s) &&
        std::isfinite(s.delayP50_s))
      s.medianDelayOverOracleFull = s.delayP50_s / s.oracleFullDelay_s;
  }
}

}  // namespace leakhunt::campaign
