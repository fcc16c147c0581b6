#include "story/after_the_hole.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "story/wording.hpp"

namespace leakhunt::story {
namespace {

constexpr double kPerDay = 86400.0;

bool holds(const std::vector<int>& modules, int m) {
  return std::find(modules.begin(), modules.end(), m) != modules.end();
}

}  // namespace

GroundTestCheck groundTestOf(const model::Station& station, int module,
                             const detect::LeakReport& estimate) {
  GroundTestCheck out;
  verify::GroundTestInput& g = out.input;
  g.volume_m3 = station.modules[static_cast<std::size_t>(module)].volume_m3;
  g.pressure_pa = station.atmosphere.pressure_pa;
  g.duration_s = kPerDay;
  g.sensorResolution_pa = 0.1 * 133.322387415;  // the cabin sensors' 0.1 mmHg
  g.temperatureStability_k = 0.1;
  g.outsidePressure_pa = 0.0;
  g.cd = estimate.cd > 0.0 ? estimate.cd : 0.65;
  g.holeDiameter_m = estimate.diameter_m;
  g.orbitPressure_pa = station.atmosphere.pressure_pa;
  out.estimated = verify::designGroundTest(g);
  verify::GroundTestInput low = g;
  out.smallestDiameter_m = std::max(0.0, estimate.diameterLow_m);
  low.holeDiameter_m = out.smallestDiameter_m;
  out.smallest = verify::designGroundTest(low);
  return out;
}

AfterTheHole afterTheHole(const AfterTheHoleInput& in) {
  AfterTheHole out;
  const model::Station& st = *in.station;
  if (in.patched && in.module >= 0) {
    // The core's verdict: the segment holding the module it localised, from the patch on (a
    // hatch reopened starts it again on the new segment), decided as soon as the data allow.
    if (in.verdict != nullptr) {
      out.verifyRun = true;
      out.verifyAt_s = in.verdict->time_s;
      for (const std::string& id : in.verdict->segment)
        out.verifySegment.push_back(st.moduleIndex(id));
      out.verify = in.verdict->result;
    }
    // Trend: the longest trend of a segment holding the patched module, for the figure; the
    // changes the core reported after the patch tell whether the patch holds.
    std::size_t best = 0;
    if (in.trend != nullptr)
      for (const verify::SegmentTrend& t : in.trend->trends())
        if (holds(t.modules, in.module) && t.points.size() > best) {
          best = t.points.size();
          out.trend = t;
        }
    if (in.changes != nullptr)
      for (const ops::TrendChange& t : *in.changes) {
        const verify::TrendChange& c = t.change;
        if (c.reportedAt_s < in.patch_s) continue;
        if (c.change_kg_s < 0.0 && !out.drop) out.drop = c;
        if (c.change_kg_s > 0.0 && c.time_s > in.patch_s && !out.regrowth) out.regrowth = c;
      }
  }

  // Onset forensics on the first alarm's segment, as the alarm was raised: the residual
  // stream's valid points (where the effective time advanced), at their blocks' middles.
  if (in.firstAlarm && in.series != nullptr) {
    const detect::LeakReport& r = in.firstAlarm->first;
    for (const locate::SegmentSeries& s : *in.series)
      if (s.modules == in.firstAlarm->modules && !s.points.empty() &&
          s.points.front().time_s <= r.alarmTime_s && s.points.back().time_s >= r.alarmTime_s) {
        std::vector<verify::ResidualPoint> points;
        double tau = 0.0;
        for (const locate::InventoryPoint& p : s.points)
          if (p.tau_s > tau) {
            tau = p.tau_s;
            points.push_back({p.time_s - 0.5 * in.blockPeriod_s, p.tau_s, p.residual_kg});
          }
        out.onset = verify::analyseOnset(points, r.onsetLow_s - 8.0 * 3600.0, r.alarmTime_s,
                                         verify::OnsetOptions{});
        out.onsetRun = out.onset.valid;
        if (out.onsetRun)
          out.onsetEvents = verify::eventsBetween(*in.log, *in.station, out.onset.onsetLow_s,
                                                  out.onset.onsetHigh_s);
        break;
      }
  }

  // The factory's test of the module leakhunt named, against the hole leakhunt estimated.
  if (in.module >= 0 && in.firstAlarm && in.firstAlarm->last.diameter_m > 0.0) {
    out.groundTest = groundTestOf(*in.station, in.module, in.firstAlarm->last);
    out.groundTestAt_s = in.firstAlarm->last.time_s;
    if (std::isfinite(in.named_s)) out.groundTestAt_s = std::max(out.groundTestAt_s, in.named_s);
    out.groundTestRun = true;
  }
  return out;
}

std::vector<report::TimelineEntry> afterTheHoleEntries(const AfterTheHole& a,
                                                       const model::Station& station) {
  std::vector<report::TimelineEntry> out;
  if (a.verifyRun) {
    const verify::VerifyResult& v = a.verify;
    out.push_back(
        {a.verifyAt_s, "verify",
         "repair verification (the operations core's, from the patch), segment [" +
             segmentText(station, a.verifySegment) + "]",
         fmt::format(
             "residual leak {:.3f} ± {:.3f} kg/day, 95 % upper bound {:.3f} kg/day against "
             "the target {:.2f} kg/day: {}{}",
             v.rate_kg_s * kPerDay, v.rateSigma_kg_s * kPerDay, v.upper_kg_s * kPerDay,
             v.target_kg_s * kPerDay,
             v.verdict == verify::Verdict::Met      ? "the repair holds"
             : v.verdict == verify::Verdict::NotMet ? "the repair does NOT hold"
                                                    : "not decided yet",
             v.verdict == verify::Verdict::Undecided
                 ? fmt::format(" (watch {} more at this noise)", humanDuration(v.watchMore_s))
                 : std::string())});
  }
  if (a.drop)
    out.push_back({a.drop->reportedAt_s, "trend", "the leak-rate trend registers the patch",
                   fmt::format("rate fell by {:.1f} kg/day (95 %: {:.1f} to {:.1f}) from about {}",
                               -a.drop->change_kg_s * kPerDay, -a.drop->changeHigh_kg_s * kPerDay,
                               -a.drop->changeLow_kg_s * kPerDay, humanTime(a.drop->time_s))});
  if (a.regrowth)
    out.push_back(
        {a.regrowth->reportedAt_s, "trend", "THE PATCH IS FAILING: the leak-rate trend changes",
         fmt::format("rate rose by {:.2f} kg/day (95 %: {:.2f} to {:.2f}) to {:.2f} kg/day, from "
                     "about {} ({} to {})",
                     a.regrowth->change_kg_s * kPerDay, a.regrowth->changeLow_kg_s * kPerDay,
                     a.regrowth->changeHigh_kg_s * kPerDay, a.regrowth->after_kg_s * kPerDay,
                     humanTime(a.regrowth->time_s), humanTime(a.regrowth->timeLow_s),
                     humanTime(a.regrowth->timeHigh_s))});
  if (a.onsetRun) {
    const verify::OnsetResult& o = a.onset;
    std::string evidence;
    for (const verify::ProfileEvidence& p : o.profiles)
      if (p.valid)
        evidence += fmt::format("{}{} {:.2f}", evidence.empty() ? "" : ", ",
                                verify::toString(p.profile), p.weight);
    std::string events;
    for (const verify::EventInWindow& e : a.onsetEvents)
      events += (events.empty() ? "" : "; ") + humanTime(e.time_s) + " " + e.what;
    out.push_back(
        {o.windowEnd_s, "forensics", "onset forensics on the data of the alarm the crew acted on",
         fmt::format("the leak began as a {} at about {} (95 %: {} to {}); evidence {}; "
                     "logged events in that interval: {}",
                     verify::toString(o.best), humanTime(o.onset_s), humanTime(o.onsetLow_s),
                     humanTime(o.onsetHigh_s), evidence, events.empty() ? "none" : events)});
  }
  if (a.groundTestRun) {
    const GroundTestCheck& g = a.groundTest;
    const verify::GroundTestResult& e = g.estimated;
    const auto verdict = [&](const verify::GroundTestResult& r) {
      return (r.holeDrop_pa >= g.input.pressure_pa
                  ? std::string("the module would empty within the test")
                  : fmt::format("drop {:.0f} Pa", r.holeDrop_pa)) +
             (r.passes ? ", PASSES (the test would not see it)" : ", FAILS (the test sees it)");
    };
    out.push_back(
        {a.verifyRun ? a.verifyAt_s : a.groundTestAt_s, "ground test",
         fmt::format("the factory's vacuum-chamber test of the module leakhunt named ({:.1f} m³ "
                     "at {:.0f} kPa, 1 day, 0.1 mmHg sensor, 0.1 K stability), against the "
                     "hole leakhunt estimated",
                     g.input.volume_m3, g.input.pressure_pa / 1e3),
         fmt::format("smallest leak it sees {:.2g} kg/s (a {:.3f} mm hole; helium {:.2g} Pa m³/s); "
                     "the estimated {:.2f} mm hole, open: {}; the smallest the data allow, "
                     "{:.2f} mm: {}{}",
                     e.minDetectableLeakRate_kg_s, e.minDetectableDiameter_m * 1e3,
                     e.heliumEquivalent_pa_m3_s, g.input.holeDiameter_m.value_or(0.0) * 1e3,
                     verdict(e), g.smallestDiameter_m * 1e3, verdict(g.smallest),
                     !g.smallest.passes
                         ? ": open, this hole could not have passed the factory's test; it was "
                           "made, or sealed through the test, afterwards"
                         : "")});
  }
  return out;
}

std::optional<report::LinePlot> trendPlot(const AfterTheHole& a, double from_s) {
  if (!a.trend) return std::nullopt;
  report::LinePlot plot{
      "trend",
      "Leak-rate trend (leakhunt, per period, with its 95 % band) and the changes it reported",
      "leak rate [kg/day]",
      {},
      {},
      false};
  report::Series s;
  s.label = "leakhunt trend";
  for (const verify::TrendPoint& p : a.trend->points) {
    if (!p.usable || p.end_s < from_s) continue;
    s.t.push_back(0.5 * (p.start_s + p.end_s));
    s.y.push_back(p.rate_kg_s * kPerDay);
    s.low.push_back(p.low_kg_s * kPerDay);
    s.high.push_back(p.high_kg_s * kPerDay);
  }
  plot.series.push_back(s);
  for (const verify::TrendChange& c : a.trend->changes)
    if (c.reportedAt_s >= from_s)
      plot.markers.push_back(
          {c.time_s, fmt::format("change {:+.1f} kg/day", c.change_kg_s * kPerDay)});
  return plot;
}

}  // namespace leakhunt::story
