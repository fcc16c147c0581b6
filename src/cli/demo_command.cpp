// `leakhunt demo [--scenario FILE] [--out DIR] [--speed N] [--short] [--json]`: the main job.
// A scenario (by default the 2018 Soyuz MS-09 hole) lived through end to end; the timeline
// is printed, the summary put beside the public record, and a report written to --out.
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.hpp"
#include "cli/detector_option.hpp"
#include "cli/implausible.hpp"
#include "cli/progress.hpp"
#include "model/load.hpp"
#include "report/render.hpp"
#include "story/story.hpp"
#include "story/summary_json.hpp"
#include "story/wording.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::cli {
namespace {

struct DemoArgs {
  std::string scenario = "data/scenarios/soyuz-ms09-2018.yaml";
  std::string out = "out";
  double speed = 0.0;
  double followDays = 36.0;
  bool shortened = false;
  bool json = false;
  bool serve = false;
  std::string detector;  // addDetectorOption's
};

// --serve: the same scenario, live, on the dashboard. This process becomes `leakhunt serve`
// (the server is its own command; the demo only hands over), archive in the report's folder.
int serveScenario(const DemoArgs& a) {
  const std::string speed = fmt::format("{}", a.speed > 0.0 ? a.speed : 600.0);
  const std::string db = (std::filesystem::path(a.out) / "demo.leakhunt.db").string();
  fmt::print("\nserving the scenario live at {}x on http://127.0.0.1:8080/ (Ctrl-C to stop)\n",
             speed);
  std::fflush(stdout);
  std::vector<std::string> args{"leakhunt", "serve", "--scenario", a.scenario,     "--speed",
                                speed,      "--db",  db,           "--public-read"};
  std::vector<char*> argv;
  for (std::string& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  execv("/proc/self/exe", argv.data());
  fmt::print(stderr, "leakhunt demo --serve: cannot start the server: {}\n", std::strerror(errno));
  return 1;
}

int run(const DemoArgs& a) {
  Result<model::Scenario> scenario = model::loadScenario(a.scenario);
  if (!scenario) {
    fmt::print(stderr, "{}\n", scenario.error().message);
    return 2;
  }
  warnImplausible(scenario->station, "demo");
  warnScenario(scenario->warnings, "demo");
  story::StoryOptions options;
  options.followAfterPatch_s = a.followDays * 86400.0;
  options.detector = detectorModelOf(a.detector);
  if (a.shortened) {
    // CI: the patch starts failing 2 days after it goes on and reaches its failed size in 2
    // more, so 5 days of following show the regrowth.
    options.followAfterPatch_s = 5.0 * 86400.0;
    options.failureAfter_s = 2.0 * 86400.0;
    options.failureDuration_s = 2.0 * 86400.0;
    options.trendPeriod_s = 6.0 * 3600.0;
  }
  Progress progress("demo: simulating " + scenario->name);
  options.progress = [&](double f) { progress.update(f); };
  const auto wallStart = std::chrono::steady_clock::now();
  Result<story::StoryResult> result = story::runStory(*scenario, options);
  progress.finish();
  if (!result) {
    fmt::print(stderr, "{}\n", result.error().message);
    return 1;
  }
  Result<report::ReportFiles> files = report::writeReport(result->report, a.out);
  if (!files) {
    fmt::print(stderr, "{}\n", files.error().message);
    return 1;
  }
  if (a.json) {
    fmt::print("{}\n", story::storySummaryJson(result->summary, *files).dump(2));
    return 0;
  }
  // The timeline is printed once the run is over, in station-time order: the tools that
  // look back (verify, forensics, the ground test) conclude after the run about times within
  // it, so telling entries live put them out of order.
  fmt::print("leakhunt demo: {}\n\n", scenario->name);
  double previous = std::nan("");
  for (const report::TimelineEntry& e : result->report.timeline) {
    if (a.speed > 0.0) {
      // Paced: N seconds of station time per second of wall time, a second at most per gap.
      if (std::isfinite(previous))
        std::this_thread::sleep_for(
            std::chrono::duration<double>(std::min(1.0, (e.t - previous) / a.speed)));
      previous = e.t;
    }
    fmt::print("{}  {:<7} {}\n", story::humanTime(e.t), e.stage, e.happened);
    if (!e.concluded.empty()) fmt::print("{:22}{:<8}→ {}\n", "", "", e.concluded);
  }
  for (const report::Table& t : result->report.tables) {
    fmt::print("\n{}\n", t.title);
    for (const auto& row : t.rows) {
      fmt::print("  {}\n", row.empty() ? std::string() : row[0]);
      for (std::size_t c = 1; c < row.size() && c < t.columns.size(); ++c)
        if (!row[c].empty()) fmt::print("    {}: {}\n", t.columns[c], row[c]);
    }
  }
  for (const std::string& n : result->report.notes) fmt::print("\nnote: {}\n", n);
  fmt::print("\nreport: {} ({} figures, took {:.0f} s)\n", files->html.string(),
             files->figures.size(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count());
  return a.serve ? serveScenario(a) : 0;
}

}  // namespace

void addDemoCommand(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "The 2018 Soyuz MS-09 story end to end: detect, locate, patch, verify, trend, report");
  cmd->add_option("--scenario", args->scenario, "Scenario to live through")
      ->capture_default_str()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out,
                  "Folder for the report (report.html, figures as SVG and PNG, report.json)")
      ->capture_default_str();
  cmd->add_option("--speed", args->speed,
                  "Print the timeline paced at N seconds of station time per second (0: at once)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--follow", args->followDays, "Days to follow the station after the patch")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 400.0));
  cmd->add_flag(
      "--short", args->shortened,
      "Shortened setting for CI: the patch fails after 2 days, 5 days followed, 6 h trend");
  cmd->add_flag("--json", args->json, "Print the summary as one JSON document (SI units)");
  addDetectorOption(cmd, &args->detector);
  cmd->add_flag(
      "--serve", args->serve,
      "Then serve the scenario live on the Open MCT dashboard (leakhunt serve, port 8080, "
      "at --speed or 600x)");
  cmd->footer(
      "The simulator plays the station with a hidden leak; leakhunt sees only the telemetry and\n"
      "the crew's log. The report in --out is one HTML page that needs no network to view.");
  cmd->callback([args] {
    const int status = run(*args);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace leakhunt::cli
