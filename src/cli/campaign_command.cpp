// `leakhunt campaign SPEC [--runs N] [--leak-free-runs N] [--threads N] [--json]
// [--plot delay.svg] [--journal FILE | --no-journal] [--fresh] [--stop-after N]`: Monte Carlo of
// the detector on simulated telemetry (docs/detection.md), on threads and, under mpirun, on MPI
// ranks, streamed to a journal so it resumes (docs/scale.md).
// A thin shell: src/campaign plans, runs and summarises; this file reads the spec and renders.
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "campaign/campaign.hpp"
#include "campaign/cores.hpp"
#include "campaign/distributed.hpp"
#include "campaign/journal.hpp"
#include "campaign/summary_json.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/progress.hpp"
#include "harness/localisation_campaign.hpp"

namespace leakhunt::cli {
namespace {

struct CampaignArgs {
  std::string spec, plot, journal;
  int runs = -1, leakFreeRuns = -1, threads = 0, stopAfter = -1;
  bool json = false, fresh = false, noJournal = false;
};

std::string minutes(double s, const char* none = "missed") {
  if (!std::isfinite(s)) return none;
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", s / 60.0);
  return b;
}

void printTable(const campaign::CampaignSpec& spec, const std::vector<campaign::RunRecord>& runs,
                const campaign::CampaignStats& st, const campaign::RunInfo& run) {
  std::printf(
      "%s: %zu runs (%d from the journal) on %d rank(s) x %d threads, %.1f simulated days, %.0f s "
      "wall (%.0f run-seconds)\n\n",
      spec.name.c_str(), runs.size(), run.resumed, run.ranks, run.threads, st.simulatedDays,
      run.wall_s, st.cpuSeconds);
  std::printf(
      "leak-free: %d runs, %.3f segment-years, %d alarms: %.3g per segment-year "
      "(95 %% upper %.3g; target %.3g); %d sensor faults\n\n",
      st.leakFreeRuns - st.leakFreeFailed, st.leakFreeSegmentYears, st.leakFreeAlarms,
      st.falseAlarmsPerSegmentYear, st.falseAlarmUpper95, spec.falseAlarmsPerYear,
      st.leakFreeSensorFaults);
  if (st.leakFreeSegmentYears > 0.0) {
    // How the test's statistic crossed levels below its threshold: the threshold's own rate,
    // read where events are many (K_eff: tests per block that give that rate; docs/detection.md).
    std::printf("leak-free excursions of the test's z:");
    for (std::size_t k = 0; k < st.excursions.size(); ++k)
      std::printf("%s above %.1f %d (%.3g per segment-year, K_eff %.2g)", k ? ";" : "",
                  harness::kExcursionLevels[k], st.excursions[k], st.excursionsPerSegmentYear[k],
                  st.effectiveTests[k]);
    std::printf("\n\n");
  }
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
  std::printf(
      "\nthe same under the full noise model (reading noise, gas-temperature and source wander "
      "as the station declares them; issue 13):\n");
  for (const campaign::SizeStats& s : st.sizes)
    std::printf(
        "  %-11s CRB %.3g kg/s (spread / CRB %.2f); oracle delay %s min (p50 / oracle %.2f)\n",
        s.label.c_str(), s.crbFullSigma_kg_s, s.spreadOverCrbFull,
        minutes(s.oracleFullDelay_s, "beyond the data").c_str(), s.medianDelayOverOracleFull);
  if (spec.scoreAfterAlarm_s <= 0.0) return;
  const auto pct = [](double f) {
    if (!std::isfinite(f)) return std::string("n/a");
    char b[32];
    std::snprintf(b, sizeof b, "%.1f %%", 100.0 * f);
    return std::string(b);
  };
  std::printf(
      "\nafter the alarm, every block for %.0f min (issue 20): 95 %% rate interval covering the "
      "truth; reserve-time lower bound above the true time to the limit (decided runs; worst: "
      "blocks with at least half the alarm's runs)\n",
      spec.scoreAfterAlarm_s / 60.0);
  std::printf("%-11s %5s | %9s %9s %9s | %9s %9s %9s | %7s %12s\n", "size", "runs", "cover",
              "worst", "at", "above", "worst", "at", "reached", "time to");
  std::printf("%-11s %5s | %9s %9s %9s | %9s %9s %9s | %7s %12s\n", "", "alarm", "at alarm",
              "block", "[min]", "at alarm", "block", "[min]", "limit", "limit [min]");
  for (const campaign::SizeStats& s : st.sizes) {
    const int atAlarm =
        s.afterAlarm.empty() || s.afterAlarm.front().after_s != 0.0 ? 0 : s.afterAlarm.front().runs;
    std::printf("%-11s %5d | %9s %9s %9s | %9s %9s %9s | %7d %12s\n", s.label.c_str(), atAlarm,
                pct(s.coverAtAlarm).c_str(), pct(s.coverWorst).c_str(),
                minutes(s.coverWorstAfter_s, "n/a").c_str(), pct(s.reserveAboveAtAlarm).c_str(),
                pct(s.reserveAboveWorst).c_str(),
                minutes(s.reserveAboveWorstAfter_s, "n/a").c_str(), s.reachedLimit,
                minutes(s.medianTimeToLimit_s, "never").c_str());
  }
}

std::atomic<bool> g_stop{false};
extern "C" void onStopSignal(int) { g_stop = true; }

// The journal's default name: beside nothing the user owns, in the working directory, and
// named by the plan so another --runs never collides with it.
std::string defaultJournal(const std::string& specPath, const std::string& fingerprint) {
  return std::filesystem::path(specPath).stem().string() + "-" + fingerprint.substr(0, 8) +
         ".campaign.jsonl";
}

int runCampaign(const CampaignArgs& a) {
  // MPI only here, and only when mpirun started us: a plain run is one rank without MPI.
  campaign::MpiSession mpi(campaign::launchedByMpiLauncher());
  const bool root = mpi.rank() == 0;
  const auto fail = [&](const std::string& message) {
    std::cerr << message << "\n";
    return 1;
  };
  std::string text;
  {
    std::ifstream in(a.spec);
    if (in) {
      std::stringstream buffer;
      buffer << in.rdbuf();
      text = buffer.str();
    }
    if (!mpi.allAgree(static_cast<bool>(in)))
      return root ? fail(a.spec + ": cannot read the campaign spec") : 1;
  }
  const std::string baseDir =
      std::filesystem::absolute(a.spec).parent_path().lexically_normal().string();
  // `kind: localisation`: the localisation campaign of src/locate (issue 4), on one process.
  if (harness::isLocalisationSpec(text)) {
    if (!root) return 0;
    Progress bar("localisation campaign");
    const Result<std::string> report = harness::localisationCampaign(
        text, a.spec, baseDir, {a.runs, a.threads > 0 ? a.threads : 1, a.json, [&](int d, int n) {
                                  bar.update(1.0 * d / n);
                                }});
    bar.finish();
    std::cout << (report ? *report : "");
    if (!report) std::cerr << report.error().message << "\n";
    return report ? 0 : 1;
  }
  const Result<campaign::CampaignSpec> parsed = campaign::parseCampaignSpec(text, a.spec, baseDir);
  if (!mpi.allAgree(parsed.ok())) return root ? fail(parsed.error().message) : 1;
  const campaign::CampaignSpec& spec = *parsed;
  const std::vector<campaign::PlannedRun> plan =
      campaign::planCampaign(spec, a.runs, a.leakFreeRuns);
  const std::string fingerprint = campaign::planFingerprint(spec, plan);
  const Result<bool> buildable = campaign::checkPlan(spec, plan);
  if (!mpi.allAgree(buildable.ok())) return root ? fail(buildable.error().message) : 1;
  // The plot is opened now, so a path that cannot be written fails before hours of runs.
  std::unique_ptr<OutputFile> plot;
  if (root && !a.plot.empty()) {
    plot = std::make_unique<OutputFile>(a.plot);
    const Result<bool> opened = plot->open();
    if (!opened) {
      plot.reset();
      std::cerr << opened.error().message << "\n";
    }
  }
  if (!mpi.allAgree(a.plot.empty() || !root || plot)) return 1;

  // Runs already in the journal (rank 0 reads it and tells the others), then this rank's share
  // of the rest.
  campaign::RunInfo info;
  info.ranks = mpi.size();
  info.journal = a.noJournal         ? ""
                 : a.journal.empty() ? defaultJournal(a.spec, fingerprint)
                                     : a.journal;
  std::map<std::size_t, campaign::RunRecord> done;
  std::string doneList, loadError;
  if (root && !info.journal.empty()) {
    if (a.fresh) campaign::removeJournal(info.journal);
    Result<std::map<std::size_t, campaign::RunRecord>> loaded =
        campaign::loadJournal(info.journal, fingerprint, plan);
    if (loaded) {
      done = std::move(loaded).value();
      for (const auto& kv : done) doneList += std::to_string(kv.first) + " ";
    } else {
      loadError = loaded.error().message;
    }
  }
  if (!mpi.allAgree(loadError.empty())) return root ? fail(loadError) : 1;
  std::vector<std::size_t> todo;
  {
    std::vector<char> isDone(plan.size(), 0);
    std::istringstream list(mpi.broadcast(doneList));
    for (std::size_t i; list >> i;) isDone[i] = 1;
    for (std::size_t i = 0; i < plan.size(); ++i)
      if (!isDone[i]) todo.push_back(i);
    info.resumed = static_cast<int>(plan.size() - todo.size());
  }
  std::unique_ptr<campaign::JournalWriter> journal;
  std::string openError;
  if (!info.journal.empty()) {
    auto opened = campaign::JournalWriter::open(info.journal, mpi.rank(), fingerprint);
    if (opened)
      journal = std::move(opened).value();
    else
      openError = opened.error().message;
  }
  if (!openError.empty()) std::cerr << openError << "\n";
  if (!mpi.allAgree(openError.empty())) return 1;

  campaign::ExecuteOptions run;
  run.indices = campaign::shareOf(plan, todo, mpi.rank(), mpi.size());
  // From the CPU affinity mask: under mpirun each rank is bound to its own core (issue 15).
  campaign::CoreShare cores = campaign::defaultShare(mpi.ranksOnThisNode());
  if (a.threads > 0) cores.threads = a.threads;
  run.threads = cores.threads;
  info.threads = run.threads;
  run.stopAfter = a.stopAfter;
  run.stop = &g_stop;
  std::string writeError;
  run.onRecord = [&](std::size_t index, const campaign::RunRecord& record) {
    if (!journal || !writeError.empty()) return;
    const Result<bool> w = journal->append(index, record);
    if (!w) {
      writeError = w.error().message;
      g_stop = true;
    }
  };
  Progress progress("campaign, " + cores.describe());
  if (root)
    run.progress = [&](int n, int total) {
      progress.update(total > 0 ? static_cast<double>(n) / total : 1.0);
    };
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
  const auto t0 = std::chrono::steady_clock::now();
  std::string mine;
  for (const auto& [index, record] : campaign::executeRuns(spec, plan, run))
    mine += campaign::recordLine(index, record) + "\n";
  if (root) progress.finish();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  info.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!writeError.empty()) std::cerr << writeError << "\n";

  // Rank 0 gathers every rank's runs (as journal lines: exact numbers) and reports.
  const std::vector<std::string> gathered = mpi.gatherToRoot(mine);
  const bool journalOk = mpi.allAgree(writeError.empty());
  if (!root) return journalOk ? 0 : 1;
  for (const std::string& part : gathered) {
    std::istringstream lines(part);
    for (std::string line; std::getline(lines, line);) {
      auto rec = campaign::parseRecordLine(line, plan);
      if (!rec) return fail("campaign: internal error gathering runs: " + rec.error().message);
      done[rec->first] = std::move(rec.value().second);
    }
  }
  if (!journalOk) return 1;
  if (done.size() < plan.size()) {
    std::cerr << "campaign stopped: " << done.size() << " of " << plan.size()
              << " runs done and kept in " << (info.journal.empty() ? "no journal" : info.journal)
              << (info.journal.empty() ? "" : "; run the same command again to resume") << "\n";
    return 3;
  }
  std::vector<campaign::RunRecord> runs;
  for (auto& kv : done) runs.push_back(std::move(kv.second));
  for (const campaign::RunRecord& r : runs)
    if (!r.ok) std::cerr << "run failed: " << r.error << "\n";
  const campaign::CampaignStats st = campaign::summarise(spec, runs);
  if (plot) {
    plot->stream() << campaign::delayPlotSvg(spec, st);
    const Result<bool> committed = plot->commit();
    if (!committed) return fail(committed.error().message);
  }
  if (a.json)
    std::cout << campaign::summaryJson(spec, runs, st, info).dump(2) << "\n";
  else
    printTable(spec, runs, st, info);
  return 0;
}

}  // namespace

void addCampaignCommand(CLI::App& app) {
  auto args = std::make_shared<CampaignArgs>();
  CLI::App* cmd = app.add_subcommand(
      "campaign",
      "Monte Carlo of the detector on simulated telemetry: false alarms, delay, rate error");
  cmd->add_option("SPEC", args->spec, "Campaign spec (YAML, docs/detection.md)")
      ->required()
      ->check(CLI::ExistingFile);
  // The spec reader's bound: a million runs of each kind.
  cmd->add_option("--runs", args->runs, "Runs per leak size (overrides the spec)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--leak-free-runs", args->leakFreeRuns, "Leak-free runs (overrides the spec)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--threads", args->threads,
                  "Worker threads per process (default: the cores in the process's CPU affinity "
                  "mask; a process not bound to cores shares them with the MPI ranks on its node)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", args->json, "Print one JSON document (SI units)");
  cmd->add_option("--plot", args->plot, "Write delay against leak size as SVG");
  cmd->add_option("--journal", args->journal,
                  "Stream finished runs to this file and resume from it (default: "
                  "<spec>-<plan>.campaign.jsonl in the working directory)");
  cmd->add_flag("--fresh", args->fresh, "Discard the journal and start over");
  cmd->add_flag("--no-journal", args->noJournal, "Keep results in memory only (no resume)")
      ->excludes("--journal")
      ->excludes("--fresh");
  cmd->add_option("--stop-after", args->stopAfter,
                  "Stop after this many runs (per process) and keep them in the journal; run "
                  "again to resume (exit status 3 while runs remain)")
      ->check(CLI::NonNegativeNumber);
  cmd->footer(
      "Under MPI: mpirun -np N leakhunt campaign SPEC splits the runs across N ranks (each with "
      "its own threads); rank 0 prints the same results as one process would for the same "
      "seeds.\nThe journal must be on a file system every rank sees. Ctrl-C stops taking new "
      "runs; the runs under way finish and are kept. docs/scale.md has the details.\n"
      "False alarms: a few segment-years hold only a handful, so the leak-free line also counts "
      "how often the test's z rose through 3.0, 3.5, 4.0 and 4.5, and K_eff, the independent "
      "tests per block that would give that rate (the threshold holds its rate while K_eff at "
      "the threshold stays under the detector's K). docs/detection.md, \"Excursions\".");
  cmd->callback([args] {
    const int rc = runCampaign(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace leakhunt::cli
