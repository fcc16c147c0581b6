#include "story/beside_truth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace leakhunt::story {

double openShare(const model::Scenario& world, const std::string& leakId, double t_s) {
  double share = 0.0, cda = 0.0;
  for (const model::Event& e : world.events) {
    if (e.time_s > t_s) break;  // the story's events are in time order
    if (const auto* l = std::get_if<model::LeakEvent>(&e.action); l && l->id == leakId) {
      cda = l->cda_m2;
      const double since = t_s - e.time_s, d = l->onsetDuration_s;
      switch (l->onset) {
        case model::OnsetProfile::Step:
          share = 1.0;
          break;
        case model::OnsetProfile::Ramp:
          share = d > 0.0 ? std::min(1.0, since / d) : 1.0;
          break;
        case model::OnsetProfile::Growth:  // 1 % to all of it over d, exponentially
          share = d > 0.0 ? std::min(1.0, 0.01 * std::exp(std::log(100.0) * since / d)) : 1.0;
          break;
      }
    } else if (const auto* p = std::get_if<model::PatchEvent>(&e.action);
               p && p->leak == leakId && cda > 0.0) {
      const double since = t_s - e.time_s;
      double patched = p->residualCda_m2;
      if (p->fails && since > p->failureAfter_s) {
        const double f = p->failureDuration_s > 0.0
                             ? std::min(1.0, (since - p->failureAfter_s) / p->failureDuration_s)
                             : 1.0;
        patched = p->residualCda_m2 + f * (p->failureCda_m2 - p->residualCda_m2);
      }
      share = patched / cda;
    }
  }
  return share;
}

AlarmVerdict judgeAlarm(const model::Scenario& world, const std::vector<int>& segment,
                        double alarm_s, double minShare) {
  const model::Station& st = world.station;
  const double t = alarm_s - static_cast<double>(world.startUnix_s);
  AlarmVerdict out;
  std::string closed;
  for (const model::Event& e : world.events) {
    const auto* l = std::get_if<model::LeakEvent>(&e.action);
    if (!l || e.time_s > t) continue;
    const int m = st.moduleIndex(l->module);
    if (std::find(segment.begin(), segment.end(), m) == segment.end()) continue;
    const double share = openShare(world, l->id, t);
    if (share >= minShare) {
      out.trueAlarm = true;
      out.why = fmt::format("hidden hole {} in {} open ({:.0f} % of its area)", l->id, l->module,
                            100.0 * share);
      return out;
    }
    closed += fmt::format("{}{} in {} held to {:.2g} % of its area by the patch",
                          closed.empty() ? "" : "; ", l->id, l->module, 100.0 * share);
  }
  out.why = closed.empty() ? "no hidden hole in that segment" : closed;
  return out;
}

}  // namespace leakhunt::story
