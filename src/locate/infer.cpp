#include "locate/infer.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "locate/safety.hpp"
#include "locate/segment_recorder.hpp"
#include "locate/stretch.hpp"

namespace leakhunt::locate {

InferResult infer(const model::Station& st, const std::vector<std::string>& channelNames,
                  const std::vector<telemetry::Sample>& samples, const detect::LoggedEvents& log,
                  const InferOptions& o) {
  InferResult out;
  for (const model::Module& m : st.modules) out.moduleIds.push_back(m.id);
  const StationFacts facts = factsOf(st);
  SegmentRecorder rec(st, channelNames, log, o.detector, -1e300);
  for (const telemetry::Sample& s : samples) rec.onSample(s);
  rec.finish();
  if (rec.alarms().empty() && o.leakRate_kg_s <= 0.0) return out;
  std::vector<int> candidates;
  if (!rec.alarms().empty()) {
    out.alarmed = true;
    out.alarm_s = rec.alarms().front().alarmTime_s;
    out.onset_s = rec.estimates().front().onsetLow_s;
    out.rate_kg_s = rec.estimates().front().rate_kg_s;
    candidates = rec.alarmSegments().front();
  } else {
    for (std::size_t m = 0; m < st.modules.size(); ++m) candidates.push_back(static_cast<int>(m));
    out.onset_s = samples.empty() ? 0.0 : samples.front().time_s;
  }
  if (o.leakRate_kg_s > 0.0) out.rate_kg_s = o.leakRate_kg_s;
  for (int m : candidates) out.suspects.push_back(st.modules[static_cast<std::size_t>(m)].id);
  const LeakRate rate{out.rate_kg_s, o.rateSigmaFraction * out.rate_kg_s};
  const double reference_pa = out.alarmed ? rec.estimates().front().pressure_pa : 0.0;
  Belief belief(st, candidates, o.prior);

  // Stretches of unchanged hatches: every time a segment formed starts one.
  std::set<double> starts;
  double end = -1e300;
  for (const SegmentSeries& s : rec.series()) {
    starts.insert(s.since_s);
    if (!s.points.empty()) end = std::max(end, s.points.back().time_s);
  }
  std::vector<double> cuts(starts.begin(), starts.end());
  cuts.push_back(end);
  // The stretches, with the hatches and crew the log gives, for the removal correction.
  std::vector<Stretch> history;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const double from = std::max(cuts[k] + kSettle_s, out.onset_s), to = cuts[k + 1];
    if (to - from < o.minWindow_s) continue;
    CrewPlaces crew = declaredCrewPlaces(st);
    for (const detect::LoggedCrewMove& mv : log.crewMoves)
      if (mv.time_s <= from && mv.crew >= 0) crew[static_cast<std::size_t>(mv.crew)] = mv.module;
    HatchSet open = declaredHatches(st);
    for (const detect::LoggedHatch& h : log.hatches)
      if (h.time_s <= from && h.hatch >= 0) open[static_cast<std::size_t>(h.hatch)] = h.open;
    history.push_back({open, crew, from, to});
  }
  for (std::size_t k = 0; k < history.size(); ++k) {
    const double from = history[k].from_s, to = history[k].to_s;
    const CrewPlaces& crew = history[k].crew;
    InferWindow w{from, to, {}, {}};
    std::vector<SegmentReading> readings;
    for (const SegmentSeries& s : rec.series()) {
      if (s.since_s > from || s.points.empty() || s.points.back().time_s < to) continue;
      int people = 0;
      for (int place : crew)
        if (std::find(s.modules.begin(), s.modules.end(), place) != s.modules.end()) ++people;
      SegmentOutcome so;
      for (int m : s.modules) so.modules.push_back(st.modules[static_cast<std::size_t>(m)].id);
      if (auto r = readWindow(s, from, to, facts, people, o.noise, reference_pa)) {
        readings.push_back(*r);
        so.rate_kg_s = r->rate_kg_s;
        so.sigma_kg_s = r->sigma_kg_s;
        so.losing = r->rate_kg_s > 3.0 * r->sigma_kg_s;
      }
      w.outcome.push_back(so);
    }
    belief.update(readings, rate);
    w.posterior = belief.moduleMarginal();
    out.windows.push_back(w);
  }
  out.posterior = belief.moduleMarginal();
  const std::vector<double> single = belief.singleLeak();
  const auto top = std::max_element(single.begin(), single.end());
  if (top != single.end() && *top > 0.0) {
    out.best = st.modules[static_cast<std::size_t>(top - single.begin())].id;
    out.bestProbability = *top;
  }
  return out;
}

}  // namespace leakhunt::locate
