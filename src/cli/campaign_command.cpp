// `leakhunt campaign SPEC [--runs N] [--leak-free-runs N] [--threads N] [--json]
// [--plot delay.svg]`: Monte Carlo of the detector on simulated telemetry (docs/detection.md).
// A thin shell: src/campaign plans, runs and summarises; this file reads the spec and renders.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "campaign/campaign.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/progress.hpp"
#include "locate/localisation_campaign.hpp"

namespace leakhunt::cli {
namespace {

struct CampaignArgs {
  std::string spec, plot;
  int runs = -1, leakFreeRuns = -1, threads = 0;
  bool json = false;
};

nlohmann::ordered_json number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

std::string minutes(double s) {
  if (!std::isfinite(s)) return "missed";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", s / 60.0);
  return b;
}

int runCampaign(const CampaignArgs& a) {
  std::ifstream in(a.spec);
  if (!in) {
    std::cerr << a.spec << ": cannot read\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string baseDir =
      std::filesystem::absolute(a.spec).parent_path().lexically_normal().string();
  if (locate::isLocalisationSpec(text.str())) {  // `kind: localisation`: src/locate (issue 4)
    Progress bar("localisation campaign");
    const Result<std::string> report =
        locate::localisationCampaign(text.str(), a.spec, baseDir,
                                     {a.runs, a.threads > 0 ? a.threads : 1, a.json,
                                      [&](int d, int n) { bar.update(1.0 * d / n); }});
    bar.finish();
    std::cout << (report ? *report : "");
    if (!report) std::cerr << report.error().message << "\n";
    return report ? 0 : 1;
  }
  const Result<campaign::CampaignSpec> spec =
      campaign::parseCampaignSpec(text.str(), a.spec, baseDir);
  if (!spec) {
    std::cerr << spec.error().message << "\n";
    return 1;
  }
  const std::vector<campaign::PlannedRun> plan =
      campaign::planCampaign(*spec, a.runs, a.leakFreeRuns);
  const int threads = a.threads > 0
                          ? a.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const auto t0 = std::chrono::steady_clock::now();
  Progress progress("campaign");
  const std::vector<campaign::RunRecord> runs =
      campaign::executeCampaign(*spec, plan, threads, [&](int done, int total) {
        progress.update(total > 0 ? static_cast<double>(done) / total : 1.0);
      });
  progress.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const campaign::RunRecord& r : runs)
    if (!r.ok) std::cerr << "run failed: " << r.error << "\n";
  const campaign::CampaignStats st = campaign::summarise(*spec, runs);
  if (!a.plot.empty()) {
    OutputFile out(a.plot);
    Result<bool> opened = out.open();
    if (!opened) {
      std::cerr << opened.error().message << "\n";
      return 1;
    }
    out.stream() << campaign::delayPlotSvg(*spec, st);
    Result<bool> committed = out.commit();
    if (!committed) {
      std::cerr << committed.error().message << "\n";
      return 1;
    }
  }
  if (a.json) {
    nlohmann::ordered_json doc;
    doc["name"] = spec->name;
    doc["runs"] = runs.size();
    doc["threads"] = threads;
    doc["wall_s"] = wall;
    doc["run_seconds"] = st.cpuSeconds;
    doc["simulated_days"] = st.simulatedDays;
    doc["false_alarms"] = {{"target_per_segment_year", spec->falseAlarmsPerYear},
                           {"leak_free_runs", st.leakFreeRuns},
                           {"failed_runs", st.leakFreeFailed},
                           {"segment_years", st.leakFreeSegmentYears},
                           {"alarms", st.leakFreeAlarms},
                           {"per_segment_year", st.falseAlarmsPerSegmentYear},
                           {"per_segment_year_upper95", st.falseAlarmUpper95},
                           {"sensor_faults", st.leakFreeSensorFaults}};
    doc["sizes"] = nlohmann::ordered_json::array();
    for (const campaign::SizeStats& s : st.sizes)
      doc["sizes"].push_back({{"size", s.label},
                              {"truth_rate_kg_s", s.truthRate_kg_s},
                              {"runs", s.runs},
                              {"failed", s.failed},
                              {"detected", s.detected},
                              {"missed", s.missed},
                              {"alarms_before_onset", s.alarmsBeforeOnset},
                              {"alarms_wrong_segment", s.alarmsWrongSegment},
                              {"delay_p50_s", number(s.delayP50_s)},
                              {"delay_p90_s", number(s.delayP90_s)},
                              {"delay_p99_s", number(s.delayP99_s)},
                              {"within_10_min", s.within10min},
                              {"within_20_min", s.within20min},
                              {"estimated", s.estimated},
                              {"rate_within_10pct", s.within10pct},
                              {"interval95_covers", s.covered95},
                              {"median_abs_rel_error", s.medianAbsRelError},
                              {"mean_rel_error", s.meanRelError},
                              {"rate_spread_kg_s", s.rateSpread_kg_s},
                              {"median_reported_sigma_kg_s", s.medianReportedSigma_kg_s},
                              {"white_sigma_kg_per_block", s.whiteSigma_kg},
                              {"block_period_s", s.blockPeriod_s},
                              {"crb_sigma_kg_s", s.crbSigma_kg_s},
                              {"hinge_bound_sigma_kg_s", s.hingeSigma_kg_s},
                              {"spread_over_crb", s.spreadOverCrb},
                              {"lorden_h", s.lorden_h},
                              {"oracle_delay_s", s.oracleDelay_s},
                              {"median_delay_over_oracle", s.medianDelayOverOracle}});
    // Every alarm of every run, in hours from the run's start, for a look at the causes.
    doc["alarms"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < runs.size(); ++i)
      for (const campaign::AlarmRecord& al : runs[i].outcome.alarms)
        doc["alarms"].push_back({{"run", i},
                                 {"leak_free", runs[i].plan.size < 0},
                                 {"time_h", (al.time_s - spec->start_s) / 3600.0},
                                 {"onset_h", (al.onset_s - spec->start_s) / 3600.0},
                                 {"rate_kg_s", al.rate_kg_s},
                                 {"modules", al.modules.size()},
                                 {"holds_leak", al.containsLeak},
                                 {"scenario", runs[i].plan.scenarioText}});
    std::cout << doc.dump(2) << "\n";
    return 0;
  }
  std::printf("%s: %zu runs on %d threads, %.1f simulated days, %.0f s wall (%.0f run-seconds)\n\n",
              spec->name.c_str(), runs.size(), threads, st.simulatedDays, wall, st.cpuSeconds);
  std::printf(
      "leak-free: %d runs, %.3f segment-years, %d alarms: %.3g per segment-year "
      "(95 %% upper %.3g; target %.3g); %d sensor faults\n\n",
      st.leakFreeRuns - st.leakFreeFailed, st.leakFreeSegmentYears, st.leakFreeAlarms,
      st.falseAlarmsPerSegmentYear, st.falseAlarmUpper95, spec->falseAlarmsPerYear,
      st.leakFreeSensorFaults);
  std::printf("%-11s %9s %5s %5s %5s %5s | %6s %6s %6s %7s %7s | %6s %6s %7s %7s | %6s %6s %6s\n",
              "size", "kg/day", "runs", "found", "early", "wrong", "p50", "p90", "p99", "<=10min",
              "<=20min", "est", "<=10%", "cover", "|err|", "sd/CRB", "t*", "p50/t*");
  std::printf("%-11s %9s %5s %5s %5s %5s | %6s %6s %6s %7s %7s | %6s %6s %7s %7s | %6s %6s %6s\n",
              "", "", "", "", "", "", "[min]", "[min]", "[min]", "", "", "at 1h", "", "95%",
              "median", "", "[min]", "");
  for (const campaign::SizeStats& s : st.sizes) {
    char est[32], cover[32];
    std::snprintf(est, sizeof est, "%d", s.estimated);
    std::snprintf(cover, sizeof cover, "%d", s.covered95);
    std::printf(
        "%-11s %9.3g %5d %5d %5d %5d | %6s %6s %6s %7d %7d | %6s %6d %7s %6.1f%% | %6.2f "
        "%6.2f %6.2f\n",
        s.label.c_str(), s.truthRate_kg_s * 86400.0, s.runs - s.failed, s.detected,
        s.alarmsBeforeOnset, s.alarmsWrongSegment, minutes(s.delayP50_s).c_str(),
        minutes(s.delayP90_s).c_str(), minutes(s.delayP99_s).c_str(), s.within10min, s.within20min,
        est, s.within10pct, cover, 100.0 * s.medianAbsRelError, s.spreadOverCrb,
        s.oracleDelay_s / 60.0, s.medianDelayOverOracle);
  }
  std::printf(
      "\nnoise and limits (physics.md 5, white inventory noise learned by the detector):\n");
  for (const campaign::SizeStats& s : st.sizes)
    std::printf(
        "  %-11s sigma %.4g kg per %.0f s block; rate spread %.3g kg/s, CRB %.3g kg/s "
        "(hinge bound %.3g), reported sd %.3g; t* %.1f min at h = %.1f\n",
        s.label.c_str(), s.whiteSigma_kg, s.blockPeriod_s, s.rateSpread_kg_s, s.crbSigma_kg_s,
        s.hingeSigma_kg_s, s.medianReportedSigma_kg_s, s.oracleDelay_s / 60.0, s.lorden_h);
  return 0;
}

}  // namespace

void addCampaignCommand(CLI::App& app) {
  auto args = std::make_shared<CampaignArgs>();
  CLI::App* cmd = app.add_subcommand(
      "campaign",
      "Monte Carlo of the detector on simulated telemetry: false alarms, delay, rate error");
  cmd->add_option("SPEC", args->spec, "Campaign spec (YAML, docs/detection.md)")->required();
  cmd->add_option("--runs", args->runs, "Runs per leak size (overrides the spec)");
  cmd->add_option("--leak-free-runs", args->leakFreeRuns, "Leak-free runs (overrides the spec)");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)");
  cmd->add_flag("--json", args->json, "Print one JSON document");
  cmd->add_option("--plot", args->plot, "Write delay against leak size as SVG");
  cmd->callback([args] {
    const int rc = runCampaign(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace leakhunt::cli
