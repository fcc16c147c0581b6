// `leakhunt trend STATION TELEMETRY... [--period 1d] [--events FILE] [--json]`: a leak-rate
// series per period over weeks to years, with the changes in it (when, by how much, with
// intervals). Streams: months of 1 Hz telemetry go through in bounded memory. A file whose
// header is `period_start,rate_kg_s,rate_sigma_kg_s` is a daily summary and goes straight to
// the change detection. A thin shell over src/verify (trend.hpp).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/command_error.hpp"
#include "cli/commands.hpp"
#include "cli/implausible.hpp"
#include "cli/telemetry_input.hpp"
#include "gas/units.hpp"
#include "harness/scenario_log.hpp"
#include "model/load.hpp"
#include "ops/vacuum_watch.hpp"
#include "report/result_json.hpp"
#include "telemetry/telemetry_io.hpp"
#include "verify/daily_summary.hpp"
#include "verify/residual_run.hpp"
#include "verify/trend.hpp"

namespace leakhunt::cli {
namespace {

struct TrendArgs {
  std::string station;
  std::vector<std::string> telemetry;
  std::string period = "1 day", events, minChange = "0.2 kg/day";
  bool json = false;
};

// The detector's reports after an alarm, for the segments a hole emptied: a trend over a
// segment at vacuum reads "no leak" where everything has gone (issue 21, item 3).
class EmptiedByHole final : public detect::DetectionObserver {
 public:
  explicit EmptiedByHole(const model::Station& station)
      : watch(station.atmosphere.pressure_pa), m_station(station) {}
  void onAlarm(const detect::LeakReport& r) override { see(r); }
  void onEstimate(const detect::LeakReport& r) override { see(r); }
  ops::VacuumWatch watch;

 private:
  void see(const detect::LeakReport& r) {
    std::vector<std::string> ids;
    for (int m : r.modules) ids.push_back(m_station.modules[static_cast<std::size_t>(m)].id);
    watch.see(r.time_s, ids, r.pressure_pa);
  }
  const model::Station& m_station;
};

// A segment's trend as shown: periods that end after the segment emptied hold no rate (at
// vacuum nothing is left to lose), and no change is read from them.
struct ShownTrend {
  verify::SegmentTrend trend;
  std::optional<ops::EmptiedSegment> emptied;
};

ShownTrend shown(const verify::SegmentTrend& t, const model::Station* station,
                 const ops::VacuumWatch* watch) {
  ShownTrend out{t, std::nullopt};
  if (station == nullptr || watch == nullptr) return out;
  std::vector<std::string> ids;
  for (int m : t.modules) ids.push_back(station->modules[static_cast<std::size_t>(m)].id);
  const ops::EmptiedSegment* e = watch->holding(ids);
  if (e == nullptr) return out;
  out.emptied = *e;
  for (verify::TrendPoint& p : out.trend.points)
    if (p.end_s > e->since_s) p.usable = false;
  std::erase_if(out.trend.changes,
                [&](const verify::TrendChange& c) { return c.reportedAt_s > e->since_s; });
  return out;
}

// The trend as report::segmentTrendJson renders it, and what only this command knows: when the
// segment emptied.
nlohmann::ordered_json toJson(const ShownTrend& shownTrend, const model::Station* station) {
  const verify::SegmentTrend& t = shownTrend.trend;
  std::vector<std::string> modules;
  if (station != nullptr)
    for (int m : t.modules) modules.push_back(station->modules[static_cast<std::size_t>(m)].id);
  nlohmann::ordered_json out = report::segmentTrendJson(t, modules);
  if (shownTrend.emptied) {
    out["emptied_at"] = telemetry::formatTime(shownTrend.emptied->since_s);
    out["emptied_pressure_pa"] = shownTrend.emptied->pressure_pa;
  }
  return out;
}

void print(const ShownTrend& shownTrend, const std::string& name) {
  const verify::SegmentTrend& t = shownTrend.trend;
  const std::optional<ops::EmptiedSegment>& emptied = shownTrend.emptied;
  std::printf("\nsegment [%s]  (period scatter %.3g kg/day)\n", name.c_str(),
              t.scatterSigma_kg_s * 86400.0);
  std::printf("  %-24s %-14s %-24s %s\n", "period start [UTC]", "rate [kg/day]",
              "95 % interval [kg/day]", "data [h]");
  for (const verify::TrendPoint& p : t.points) {
    if (emptied && p.end_s > emptied->since_s) {
      std::printf("  %-24s at vacuum: the segment emptied, no rate\n",
                  telemetry::formatTime(p.start_s).c_str());
      continue;
    }
    std::printf("  %-24s %-14.3g [%9.3g, %9.3g]     %.1f%s\n",
                telemetry::formatTime(p.start_s).c_str(), p.rate_kg_s * 86400.0,
                p.low_kg_s * 86400.0, p.high_kg_s * 86400.0, p.coverage_s / 3600.0,
                p.usable ? "" : "  (too little data: not used)");
  }
  for (const verify::TrendChange& c : t.changes)
    std::printf(
        "  CHANGE at %s [%s, %s]: %.3g -> %.3g kg/day (%+.3g, 95 %% [%+.3g, %+.3g]), "
        "seen by %s\n",
        telemetry::formatTime(c.time_s).c_str(), telemetry::formatTime(c.timeLow_s).c_str(),
        telemetry::formatTime(c.timeHigh_s).c_str(), c.before_kg_s * 86400.0,
        c.after_kg_s * 86400.0, c.change_kg_s * 86400.0, c.changeLow_kg_s * 86400.0,
        c.changeHigh_kg_s * 86400.0, telemetry::formatTime(c.reportedAt_s).c_str());
  const bool anyUsable = std::any_of(t.points.begin(), t.points.end(),
                                     [](const verify::TrendPoint& p) { return p.usable; });
  if (emptied)
    std::printf(
        "  segment emptied at %s (%.3g Pa): a hole let everything out, so from then on there "
        "is no leak rate to trend (detect sizes the hole)\n",
        telemetry::formatTime(emptied->since_s).c_str(), emptied->pressure_pa);
  else if (!anyUsable)
    std::printf("  no usable period: nothing to compare\n");
  else if (t.changes.empty())
    std::printf("  no change in the leak rate\n");
}

int runTrend(const TrendArgs& a) {
  const Result<double> period = gas::parseQuantity(a.period, gas::Dimension::Time);
  if (!period) return fail("trend", "--period: " + period.error().message, 2);
  if (!(*period >= 3600.0)) return fail("trend", "--period must be at least 1 h (e.g. 1 day)", 2);
  verify::TrendOptions options;
  options.period_s = *period;
  const Result<double> minChange = gas::parseQuantity(a.minChange, gas::Dimension::MassRate);
  if (!minChange) return fail("trend", "--min-change: " + minChange.error().message, 2);
  if (*minChange < 0.0) return fail("trend", "--min-change must not be negative", 2);
  options.minChange_kg_s = *minChange;
  std::size_t summaries = 0;
  for (const std::string& f : a.telemetry) summaries += verify::isDailySummary(f) ? 1 : 0;
  if (summaries > 0 && summaries != a.telemetry.size())
    return fail("trend", "give either telemetry files or daily-summary files, not both", 2);

  std::vector<verify::SegmentTrend> trends;
  std::vector<bool> watchedModules;              // telemetry input only
  std::unique_ptr<EmptiedByHole> emptiedByHole;  // telemetry input only
  Result<model::Station> station = Error{""};
  if (summaries > 0) {
    std::vector<verify::TrendPoint> all;
    for (const std::string& f : a.telemetry) {
      Result<std::vector<verify::TrendPoint>> s = verify::readDailySummary(f, *period);
      if (!s) return fail("trend", s.error().message, 1);
      all.insert(all.end(), s->begin(), s->end());
    }
    trends.push_back(verify::trendOfSummary(all, options));
  } else {
    station = model::loadStation(a.station);
    if (!station) return fail("trend", station.error().message, 1);
    warnImplausible(*station, "trend");
    detect::LoggedEvents log;
    if (!a.events.empty()) {
      Result<detect::LoggedEvents> l = harness::loadEventLog(a.events, a.station, *station);
      if (!l) return fail("trend", l.error().message, 1);
      log = *l;
    }
    telemetry::TelemetryGuard guard(*station);
    std::vector<verify::TelemetrySource> sources;
    for (const std::string& f : a.telemetry)
      sources.push_back([f, &guard](telemetry::ChannelTable& c, const verify::SampleCallback& cb) {
        return guard.read(f, c, cb);
      });
    verify::TrendBuilder builder(options);
    emptiedByHole = std::make_unique<EmptiedByHole>(*station);
    const Result<std::size_t> read =
        verify::runResiduals(*station, log, sources, builder, emptiedByHole.get());
    if (!read) return fail("trend", read.error().message, 1);
    if (const int refused = reportTelemetryGuard(guard, "trend")) return refused;
    builder.finish();
    trends = builder.trends();
    watchedModules = guard.watchedModules();
  }
  const model::Station* st = station ? &*station : nullptr;
  std::vector<ShownTrend> shownTrends;
  for (const verify::SegmentTrend& t : trends)
    shownTrends.push_back(shown(t, st, emptiedByHole ? &emptiedByHole->watch : nullptr));
  // "No change" needs usable periods: a series with none (or no series at all) is data the
  // command could not use, said as such and with a non-zero exit when nothing was usable.
  std::size_t usableSeries = 0, emptiedSeries = 0;
  for (const ShownTrend& shownTrend : shownTrends) {
    const verify::SegmentTrend& t = shownTrend.trend;
    emptiedSeries += shownTrend.emptied ? 1 : 0;
    for (const verify::TrendPoint& p : t.points)
      if (p.usable && (st == nullptr || segmentWatched(t.modules, watchedModules))) {
        ++usableSeries;
        break;
      }
  }
  std::vector<std::string> notWatched;
  if (st != nullptr) {
    std::vector<bool> inSeries(st->modules.size(), false);
    for (const verify::SegmentTrend& t : trends)
      if (segmentWatched(t.modules, watchedModules))
        for (int m : t.modules) inSeries[static_cast<std::size_t>(m)] = true;
    for (std::size_t m = 0; m < inSeries.size(); ++m)
      if (!inSeries[m]) notWatched.push_back(st->modules[m].id);
  }
  if (a.json) {
    nlohmann::ordered_json doc;
    doc["period_s"] = *period;
    doc["segments"] = nlohmann::ordered_json::array();
    for (const ShownTrend& t : shownTrends) doc["segments"].push_back(toJson(t, st));
    doc["not_watched"] = notWatched;
    std::cout << doc.dump(2) << "\n";
    return usableSeries == 0 ? 1 : 0;
  }
  for (const ShownTrend& t : shownTrends) {
    std::string name;
    if (st == nullptr) name = "daily summary";
    for (int m : t.trend.modules)
      name += (name.empty() ? "" : ", ") + st->modules[static_cast<std::size_t>(m)].id;
    if (name.size() > 60) name = name.substr(0, 57) + "...";
    print(t, name);
  }
  for (const std::string& m : notWatched)
    std::printf("\nmodule %s: not watched (no pressure sensor gave data): no trend\n", m.c_str());
  if (usableSeries == 0 && emptiedSeries > 0)
    return fail("trend",
                "a segment emptied (at vacuum nothing is left to lose) and no period before it had "
                "enough data for a rate: no trend could be made; detect sizes the hole",
                1);
  if (usableSeries == 0)
    return fail("trend", "no period had enough usable data for a rate: no trend could be made", 1);
  return 0;
}

}  // namespace

void addTrendCommand(CLI::App& app) {
  auto args = std::make_shared<TrendArgs>();
  CLI::App* cmd = app.add_subcommand(
      "trend", "Leak-rate series per day (or period) over weeks to years, with change detection");
  cmd->add_option("STATION", args->station, "Station description (YAML)")->required();
  cmd->add_option("TELEMETRY", args->telemetry,
                  "Telemetry files in time order (CSV or JSON Lines), or daily-summary CSVs")
      ->required();
  cmd->add_option("--period", args->period, "Length of one point of the series")
      ->capture_default_str();
  cmd->add_option("--min-change", args->minChange,
                  "Smallest change of rate reported (orbital-cycle aliasing, background leakage)")
      ->capture_default_str();
  cmd->add_option("--events", args->events,
                  "Logged events: a scenario file (its leaks are ignored) or an events file");
  cmd->add_flag("--json", args->json, "Print one JSON document (SI units)");
  cmd->footer(
      std::string("Each period's rate is the slope of the segment's gas inventory after known "
                  "sources; represses and hatch changes are left out, not mistaken for leaks. "
                  "A change is reported when the mean rate after a split of the periods differs "
                  "from before by more than a threshold set for one false change per ten years "
                  "of periods.\nDaily-summary input: a CSV with the header '") +
      verify::kDailySummaryHeader +
      "' (STATION is then not read).\n"
      "Example: leakhunt trend data/stations/iss-2018.yaml sep.csv oct.csv --period '1 day'");
  cmd->callback([args] {
    const int rc = runTrend(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace leakhunt::cli
