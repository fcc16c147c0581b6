#include "story/story_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <optional>

#include "harness/drill.hpp"
#include "report/schematic.hpp"
#include "story/story_record.hpp"
#include "story/wording.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::story {
namespace {

constexpr double kMmHg = 133.322387415;
constexpr double kPerHour = 3600.0;

// A copy of `series` restricted to [from, to].
report::Series cropped(const report::Series& s, double from, double to) {
  report::Series out;
  out.label = s.label;
  out.dashed = s.dashed;
  for (std::size_t i = 0; i < s.t.size(); ++i) {
    if (s.t[i] < from || s.t[i] > to) continue;
    out.t.push_back(s.t[i]);
    out.y.push_back(s.y[i]);
    if (!s.low.empty()) out.low.push_back(s.low[i]);
    if (!s.high.empty()) out.high.push_back(s.high[i]);
  }
  return out;
}

// The hole an alarm's report sized, with what it is (an emptied segment's is timed from its
// decay; "at least" where only the lower end is a claim).
std::string holeText(const AlarmSummary& a) {
  if (!(a.holeLow_m > 0.0)) return "n/a";
  const std::string emptied = a.emptied ? ", segment emptied" : "";
  if (a.holeAtLeast)
    return fmt::format("at least {:.2f} mm (Cd {:.2f}{})", a.holeLow_m * 1e3, a.cd, emptied);
  return fmt::format("{:.2f} mm ({:.2f} to {:.2f} mm, Cd {:.2f}{})", a.holeDiameter_m * 1e3,
                     a.holeLow_m * 1e3, a.holeHigh_m * 1e3, a.cd, emptied);
}

// The module the crew patched at `t` (Unix time): the one leakhunt named for that incident.
// Never the patch's hidden leak: which hole a patch met is for the section beside the truth.
std::string patchedModuleAt(const StoryScenario& story, const StorySummary& sum, double t) {
  for (const LaterIncident& in : sum.laterIncidents)
    if (std::abs(in.patch_s - t) < 1.0) return in.module;
  return story.patchModule;
}

// The crew's hatch operations and moves at `t` belong to an isolation (before the first patch,
// or from a later incident's alarm until the core decided it), else to a repair.
bool isolating(const StorySummary& sum, double t) {
  if (!sum.patched || t <= sum.patch_s) return true;
  for (const LaterIncident& in : sum.laterIncidents)
    if (t >= in.alarm_s && !(t > in.decided_s)) return true;  // not decided (NaN): still on
  return false;
}

std::string eventLabel(const model::Event& e, const StoryScenario& story, const StorySummary& sum) {
  const double t = static_cast<double>(story.scenario.startUnix_s) + e.time_s;
  return std::visit(
      [&](const auto& a) -> std::string {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, model::HatchEvent>)
          return (a.open ? "open " : "close ") + a.hatch;
        else if constexpr (std::is_same_v<A, model::PatchEvent>)
          return "patch " + patchedModuleAt(story, sum, t);
        else if constexpr (std::is_same_v<A, model::RepressEvent>)
          return fmt::format("repress {:.1f} kg", a.mass_kg);
        else
          return "";
      },
      e.action);
}

// Written after the run: each of leakhunt's answers beside the simulator's truth.
report::Table besideTheTruth(const StorySummary& sum) {
  const BesideTheTruth& t = sum.truth;
  report::Table table{"Beside the truth (written after the run; hidden from leakhunt during it)",
                      {"what", "leakhunt said", "the truth"},
                      {}};
  table.rows.push_back(
      {"the hole",
       sum.alarmRaised ? fmt::format("{:.2f} mm (95 %: {:.2f} to {:.2f} mm)", sum.diameter_m * 1e3,
                                     sum.diameterLow_m * 1e3, sum.diameterHigh_m * 1e3)
                       : "no alarm",
       fmt::format("{:.2f} mm at Cd {:.2f}{} in {}, opened {}", t.leakDiameter_m * 1e3, t.leakCd,
                   std::isfinite(t.sizingCd) && std::abs(t.sizingCd - t.leakCd) > 1e-9
                       ? fmt::format(" (the same area is {:.2f} mm at the Cd {:.2f} leakhunt "
                                     "sizes with)",
                                     t.sameAreaAtSizingCd_m * 1e3, t.sizingCd)
                       : std::string(),
                   t.leakModule, humanTime(t.leakOnset_s))});
  table.rows.push_back({"the module",
                        sum.localizedModule.empty() ? "none named" : sum.localizedModule,
                        sum.localizedModule.empty() ? "the hole is in " + t.leakModule
                        : t.localizedCorrect        ? std::string("right")
                                                    : "WRONG: the hole is in " + t.leakModule});
  if (sum.patched)
    table.rows.push_back(
        {"the patch", fmt::format("on {} at {}", sum.patchModule, humanTime(sum.patch_s)),
         t.patchOnTheHole ? std::string("on the hole")
                          : "on a module with no hole: the leak went on after it"});
  for (std::size_t i = 0; i < t.alarms.size() && i < sum.alarms.size(); ++i) {
    const AlarmSummary& a = sum.alarms[i];
    table.rows.push_back({fmt::format("alarm {}", i + 1),
                          fmt::format("{}, {:.2f} ± {:.2f} kg/h", humanTime(a.alarm_s),
                                      a.rate_kg_s * kPerHour, 1.96 * a.rateSigma_kg_s * kPerHour),
                          (t.alarms[i].trueAlarm ? "TRUE: " : "FALSE: ") + t.alarms[i].why});
  }
  for (std::size_t k = 0; k < sum.laterIncidents.size() && k < t.laterCorrect.size(); ++k) {
    const LaterIncident& in = sum.laterIncidents[k];
    table.rows.push_back({fmt::format("incident {}", k + 2),
                          fmt::format("alarm {}; {} {}, patched", humanTime(in.alarm_s),
                                      in.cornered ? "cornered in" : "best guess", in.module),
                          t.laterCorrect[k] ? std::string("right: a hidden hole is there")
                                            : "WRONG: no hidden hole in " + in.module});
  }
  if (std::isfinite(t.regrowthCrossed5pct_s))
    table.rows.push_back({"the failing patch",
                          sum.regrowthDetected
                              ? "regrowth reported " + humanTime(sum.regrowthDetected_s) +
                                    (sum.regrowthBy == "alarm" ? " (a new alarm, a new incident)"
                                                               : " (the leak-rate trend)")
                              : std::string("no regrowth reported"),
                          "passed 5 % of the hole's area " + humanTime(t.regrowthCrossed5pct_s)});
  return table;
}

}  // namespace

std::vector<report::TimelineEntry> scheduledEntries(const StoryScenario& story,
                                                    const harness::DrillResult* drill,
                                                    const StorySummary& sum) {
  const double t0 = static_cast<double>(story.scenario.startUnix_s);
  const model::Station& st = story.scenario.station;
  std::vector<report::TimelineEntry> out;
  if (drill != nullptr)
    for (std::size_t k = 0; k < drill->steps.size(); ++k) {
      const harness::DrillStep& ds = drill->steps[k];
      const double end = drill->alarm_s + ds.start_s + ds.switch_s + ds.settle_s + ds.dwell_s;
      std::string readings;
      for (const locate::SegmentOutcome& o : ds.outcome) {
        if (o.segment.size() > st.modules.size() / 2) continue;  // the big rest says little
        std::string ids;
        for (const std::string& m : o.segment) ids += (ids.empty() ? "" : ", ") + m;
        readings +=
            fmt::format("{}[{}] {:.2f} ± {:.2f} kg/h{}", readings.empty() ? "" : "; ", ids,
                        o.rate_kg_s * 3600.0, o.sigma_kg_s * 3600.0, o.losing ? " LOSING" : "");
      }
      std::size_t top = 0;
      for (std::size_t m = 1; m < ds.posterior.size(); ++m)
        if (ds.posterior[m] > ds.posterior[top]) top = m;
      out.push_back(
          {end, "locate",
           fmt::format("isolation step {}: {}; watched {}", k + 1,
                       ds.operations.empty() ? std::string("no change") : [&] {
                         std::string ops;
                         for (const std::string& op : ds.operations) ops += (ops.empty() ? "" : ", ") + op;
                         return ops;
                       }(),
                       humanDuration(ds.dwell_s)),
           fmt::format("{}; most likely {} (p = {:.3f})", readings.empty() ? "no small segment read" : readings,
                       top < drill->moduleIds.size() ? drill->moduleIds[top] : "?", ds.posterior.empty() ? 0.0 : ds.posterior[top])});
    }
  if (drill != nullptr && drill->localized)
    out.push_back(
        {drill->alarm_s + drill->elapsed_s, "locate",
         "LEAK CORNERED: " + drill->localizedModules.front(),
         fmt::format("{} after the alarm, {} hatch operations; no crew member was ever cut off "
                     "from their lifeboat{}",
                     humanDuration(drill->elapsed_s), drill->hatchOperations,
                     drill->crewCutOff ? " (NOT SO: a step cut someone off)" : "")});
  if (drill != nullptr && !drill->localized)
    out.push_back(
        {drill->alarm_s + drill->elapsed_s, "locate",
         "THE PLANNER STOPPED without cornering the leak: " + drill->why,
         "best guess " + sum.localizedModule + "; suspects still holding 1 % or more: " + [&] {
           std::string ids;
           for (const std::string& m : drill->suspects) ids += (ids.empty() ? "" : ", ") + m;
           return ids.empty() ? std::string("none") : ids;
         }()});
  for (const model::Event& e : story.scenario.events) {
    const double t = t0 + e.time_s;
    if (const auto* h = std::get_if<model::HatchEvent>(&e.action))
      out.push_back({t, isolating(sum, t) ? "locate" : "repair",
                     (h->open ? "crew open hatch " : "crew close hatch ") + h->hatch, ""});
    else if (std::holds_alternative<model::PatchEvent>(e.action))
      // What the crew did, not what the patch met: that is for the section beside the truth.
      out.push_back({t, "repair", "the crew patch " + patchedModuleAt(story, sum, t), ""});
    else if (const auto* c = std::get_if<model::CrewMoveEvent>(&e.action)) {
      const std::string move = c->crew + " to " + c->module;
      if (!out.empty() && out.back().t == t && out.back().happened.starts_with("crew move: "))
        out.back().happened += ", " + move;
      else
        out.push_back({t, isolating(sum, t) ? "locate" : "repair", "crew move: " + move, ""});
    } else if (const auto* q = std::get_if<model::RepressEvent>(&e.action))
      out.push_back({t, "repair",
                     fmt::format("repress: {:.1f} kg into {} over {}", q->mass_kg, q->module,
                                 humanDuration(q->duration_s)),
                     ""});
  }
  return out;
}

report::Report storyReport(const model::Scenario& base, const StoryScenario& story,
                           const Recorder& recorder, const Timeline& timeline,
                           const AfterTheHole& after, const harness::DrillResult* drill,
                           const StorySummary& sum) {
  const model::Station& st = base.station;
  const double t0 = static_cast<double>(story.scenario.startUnix_s);
  report::Report r;
  r.title = "leakhunt: " + base.name;
  r.subtitle = fmt::format(
      "{} ({:.0f} modules); simulated from {} to {}. leakhunt saw only the "
      "telemetry and the crew's log; the hole's place and size were hidden from it.",
      st.name, static_cast<double>(st.modules.size()), humanTime(t0),
      humanTime(t0 + story.scenario.duration_s));

  r.timeline = timeline.entries();

  // Every alarm leakhunt raised, false ones included: the crew cannot tell which is which.
  report::Table alarms{"Alarms leakhunt raised",
                       {"alarm", "time", "leak rate (an hour on, 95 %)", "hole at the alarm (95 %)",
                        "segment", "acted on"},
                       {}};
  for (std::size_t i = 0; i < sum.alarms.size(); ++i) {
    const AlarmSummary& a = sum.alarms[i];
    std::vector<int> modules;
    for (const std::string& m : a.segment) modules.push_back(st.moduleIndex(m));
    alarms.rows.push_back({fmt::format("{}", i + 1), humanTime(a.alarm_s),
                           fmt::format("{:.2f} ± {:.2f} kg/h", a.rate_kg_s * kPerHour,
                                       1.96 * a.rateSigma_kg_s * kPerHour),
                           holeText(a), segmentText(st, modules),
                           a.actedOn        ? "yes: the isolation followed it"
                           : a.incident > 0 ? fmt::format("yes: incident {}", a.incident + 1)
                                            : "no"});
  }
  if (alarms.rows.empty()) alarms.rows.push_back({"-", "no alarm", "", "", "", ""});
  r.tables.push_back(alarms);

  // leakhunt beside the record.
  report::Table table{"leakhunt beside the record",
                      {"quantity", "leakhunt (this run)", "the record", "source"},
                      {}};
  const std::map<std::string, std::string> ours{
      {"time to alarm", sum.alarmRaised
                            ? fmt::format("{} after the onset leakhunt dated ({}), at {}",
                                          humanDuration(sum.alarm_s - sum.onsetEstimate_s),
                                          humanTime(sum.onsetEstimate_s), humanTime(sum.alarm_s))
                            : "no alarm"},
      {"time to locate",
       !sum.cornered && std::isfinite(sum.localized_s)
           ? "not cornered by leakhunt in this run; the crew patched its best guess, " +
                 sum.localizedModule
       : std::isfinite(sum.localized_s)
           ? fmt::format("{} after the alarm ({})", humanDuration(sum.localized_s - sum.alarm_s),
                         sum.localizedModule)
           : "not located by leakhunt in this run (" + sum.localisation + ")"},
      {"leak rate",
       sum.alarmRaised
           ? fmt::format("{:.2f} ± {:.2f} kg/h ({:.1f} kg/day), {:.2f} mbar/h station-wide",
                         sum.rate_kg_s * kPerHour, 1.96 * sum.rateSigma_kg_s * kPerHour,
                         sum.rate_kg_s * 86400, sum.pressureDropRate_pa_s * 3600 / 100)
           : "n/a"},
      {"hole", sum.alarmRaised
                   ? fmt::format("{:.2f} mm (95 %: {:.2f} to {:.2f} mm)", sum.diameter_m * 1e3,
                                 sum.diameterLow_m * 1e3, sum.diameterHigh_m * 1e3)
                   : "n/a"},
      {"reserve time",
       sum.alarmRaised ? fmt::format("{} ({} with the repress gas)", humanDuration(sum.reserve_s),
                                     humanDuration(sum.reserveWithRepress_s))
                       : "n/a"},
      {"pressure", sum.alarmRaised ? fmt::format("{:.2f} mbar/h station-wide",
                                                 sum.pressureDropRate_pa_s * 3600 / 100)
                                   : "n/a"},
  };
  // The scenario's hidden module picks which public record it re-enacts; nothing leakhunt
  // says in the table depends on it.
  for (const RecordFigure& f : recordFor(sum.truth.leakModule)) {
    const auto it = ours.find(f.quantity);
    table.rows.push_back({f.quantity, it == ours.end() ? "" : it->second, f.figure, f.source});
  }
  if (table.rows.empty())
    for (const auto& [q, v] : ours)
      table.rows.push_back({q, v, "(no public record for this scenario)",
                            "../shared/docs/record.md has no entry for it"});
  r.tables.push_back(table);
  r.tables.push_back(besideTheTruth(sum));

  // Figures. The first days: from the start to half a day after the patch.
  const double fineEnd = (sum.patched ? sum.patch_s : t0 + story.scenario.duration_s) + 12 * 3600.0;
  std::vector<std::string> labels;
  for (int m : recorder.pressureModules())
    labels.push_back(st.modules[static_cast<std::size_t>(m)].id);
  report::LinePlot pressures{"pressures",
                             "Module pressures: modules that move together drawn as one segment",
                             "pressure [mmHg]",
                             {},
                             {},
                             false};
  for (const report::Series& s :
       groupedSeries(recorder.finePressures(), labels, 0.3 * kMmHg, 1.0 / kMmHg))
    pressures.series.push_back(cropped(s, t0, fineEnd));
  // The figures are drawn after the run: the truth is in them, marked as hidden.
  pressures.markers.push_back({sum.truth.leakOnset_s, "hole opens (hidden)"});
  for (const AlarmSummary& a : sum.alarms)
    if (a.alarm_s <= fineEnd) pressures.markers.push_back({a.alarm_s, "ALARM"});
  for (const model::Event& e : story.scenario.events) {
    const double t = t0 + e.time_s;
    const std::string label = eventLabel(e, story, sum);
    if (!label.empty() && t <= fineEnd) pressures.markers.push_back({t, label});
  }
  r.plots.push_back(pressures);

  report::LinePlot rate{"leak-rate",
                        "Leak rate: leakhunt's estimate with its 95 % band, and the truth",
                        "leak rate [kg/h]",
                        {},
                        {},
                        false};
  std::map<int, report::Series> byDetection;
  for (const RatePoint& p : recorder.rates()) {
    if (p.t > fineEnd) continue;
    report::Series& s = byDetection[p.detection];
    s.label = fmt::format("alarm {} estimate", p.detection + 1);
    s.t.push_back(p.t);
    s.y.push_back(p.rate_kg_s * kPerHour);
    s.low.push_back((p.rate_kg_s - 1.96 * p.sigma_kg_s) * kPerHour);
    s.high.push_back((p.rate_kg_s + 1.96 * p.sigma_kg_s) * kPerHour);
  }
  for (auto& [d, s] : byDetection) rate.series.push_back(std::move(s));
  {
    report::Series truth{"truth (hidden from leakhunt)",
                         recorder.fineLeakFlow().times(),
                         recorder.fineLeakFlow().means(0),
                         {},
                         {},
                         true};
    for (double& y : truth.y) y *= kPerHour;
    rate.series.push_back(cropped(truth, t0, fineEnd));
  }
  rate.markers = pressures.markers;
  r.plots.push_back(rate);

  report::LinePlot inventory{"inventory", "Station air inventory (sum of the segments' p V / R T)",
                             "air [kg]",  {},
                             {},          false};
  inventory.series.push_back({"leakhunt inventory",
                              recorder.inventory().times(),
                              recorder.inventory().means(0),
                              {},
                              {},
                              false});
  for (const model::Event& e : story.scenario.events)
    if (std::holds_alternative<model::PatchEvent>(e.action) ||
        std::holds_alternative<model::RepressEvent>(e.action))
      inventory.markers.push_back({t0 + e.time_s, eventLabel(e, story, sum)});
  r.plots.push_back(inventory);

  if (sum.patched) {
    report::LinePlot weeks{
        "weeks-after",
        "The weeks after the patch: leakhunt's leak-rate trend (95 % band) and the truth",
        "leak rate [kg/day]",
        {},
        {},
        false};
    report::Series truth{"truth (hidden from leakhunt)",
                         recorder.coarseLeakFlow().times(),
                         recorder.coarseLeakFlow().means(0),
                         {},
                         {},
                         true};
    for (double& y : truth.y) y *= 86400.0;
    if (const std::optional<report::LinePlot> trend = trendPlot(after, sum.patch_s)) {
      for (const report::Series& s : trend->series) weeks.series.push_back(s);
      weeks.markers = trend->markers;
    }
    weeks.series.push_back(cropped(truth, sum.patch_s, t0 + story.scenario.duration_s));
    if (sum.regrowthDetected)
      weeks.markers.push_back({sum.regrowthDetected_s, "regrowth reported"});
    for (const AlarmSummary& a : sum.alarms)
      if (a.alarm_s > sum.patch_s) weeks.markers.push_back({a.alarm_s, "ALARM"});
    if (std::isfinite(sum.truth.regrowthCrossed5pct_s))
      weeks.markers.push_back({sum.truth.regrowthCrossed5pct_s, "5 % of the hole (hidden)"});
    r.plots.push_back(weeks);
  }

  // The station at each step of the isolation: the planner's posterior as colour when the
  // planner ran, else the hatch configurations the scenario scripted.
  std::vector<bool> open;
  for (const model::Hatch& h : st.hatches) open.push_back(h.open);
  int step = 0;
  auto addSchematic = [&](const std::string& caption, const std::vector<double>& probability,
                          std::optional<int> marked) {
    report::SchematicState state;
    state.hatchOpen = open;
    state.probability = probability;
    state.marked = marked;
    state.caption = caption;
    r.schematics.push_back(
        {fmt::format("station-step-{}", step), caption, report::schematicDot(st, state)});
    ++step;
  };
  if (drill != nullptr && !drill->steps.empty()) {
    addSchematic(
        "at the alarm: every module equally suspect, every hatch in its normal state",
        std::vector<double>(st.modules.size(), 1.0 / static_cast<double>(st.modules.size())),
        std::nullopt);
    for (std::size_t k = 0; k < drill->steps.size(); ++k) {
      const harness::DrillStep& ds = drill->steps[k];
      for (std::size_t h = 0; h < st.hatches.size(); ++h) open[h] = st.hatches[h].open;
      for (const std::string& id : ds.closedHatches)
        if (const int h = st.hatchIndex(id); h >= 0) open[static_cast<std::size_t>(h)] = false;
      const bool last = k + 1 == drill->steps.size();
      std::optional<int> marked;
      if (last && drill->localized) marked = st.moduleIndex(drill->localizedModules.front());
      addSchematic(fmt::format("step {}: {} closed, watched {}; colour: probability the leak is "
                               "there after the step",
                               k + 1,
                               ds.closedHatches.empty()
                                   ? std::string("no hatch")
                                   : fmt::format("{} hatch(es)", ds.closedHatches.size()),
                               humanDuration(ds.dwell_s)),
                   ds.posterior, marked);
    }
    return r;
  }
  addSchematic("the station as described, every hatch in its normal state", {}, std::nullopt);
  for (std::size_t i = 0; i < story.scenario.events.size(); ++i) {
    const model::Event& e = story.scenario.events[i];
    const auto* h = std::get_if<model::HatchEvent>(&e.action);
    if (!h || (sum.patched && t0 + e.time_s > sum.patch_s)) continue;
    open[static_cast<std::size_t>(st.hatchIndex(h->hatch))] = h->open;
    const bool lastAtThisTime =
        i + 1 == story.scenario.events.size() || story.scenario.events[i + 1].time_s != e.time_s ||
        !std::holds_alternative<model::HatchEvent>(story.scenario.events[i + 1].action);
    if (lastAtThisTime)
      addSchematic(fmt::format("{}: after {}", humanTime(t0 + e.time_s), eventLabel(e, story, sum)),
                   {}, std::nullopt);
  }
  return r;
}

}  // namespace leakhunt::story
