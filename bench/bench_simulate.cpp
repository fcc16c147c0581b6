// One-day ISS 2018 runs (2 mm hole, no output kept) on the reduced and the full path, with the
// runner's default 5-day spin-up and without it. Peer: each full-path figure against the
// reduced one of the same spin-up, printed as a ratio after the table.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

#include "bench_common.hpp"

namespace {

using namespace leakhunt;

const model::Scenario& oneDay() {
  static const model::Scenario sc = bench::withDuration(bench::loadBenchScenario(), 1.0);
  return sc;
}

void oneDayRun(benchmark::State& state, sim::Solver solver, double spinUp_days) {
  const model::Scenario& sc = oneDay();
  const sim::RunOptions options = bench::noOutput(solver, spinUp_days * 86400.0);
  long steps = 0;
  for (auto _ : state) {
    bench::NullObserver observer;
    auto r = sim::runScenario(sc, options, observer);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    steps = r->stats.steps;
    benchmark::DoNotOptimize(r->finalPressures_pa.data());
  }
  state.counters["runs/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["steps"] = static_cast<double>(steps);
}

// Mean real time per iteration [s] by benchmark name, kept for the ratios.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  RecordingReporter() : ConsoleReporter(OO_Tabular) {}  // no colour codes in logs
  std::map<std::string, double> seconds;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs)
      if (!r.error_occurred && r.iterations > 0)
        seconds[r.run_name.function_name] =
            r.real_accumulated_time / static_cast<double>(r.iterations);
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  for (double spinUp : {5.0, 0.0}) {
    const std::string tag = spinUp > 0.0 ? "spinup5d" : "spinup0";
    for (auto [solver, name] :
         {std::pair{sim::Solver::Reduced, "reduced"}, std::pair{sim::Solver::Full, "full"}}) {
      benchmark::RegisterBenchmark(("one_day_iss2018/" + std::string(name) + "/" + tag).c_str(),
                                   oneDayRun, solver, spinUp)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(2.0);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::printf("\none-day ISS 2018 run, no output kept (runs/s per core):\n");
  for (const char* tag : {"spinup5d", "spinup0"}) {
    const std::string red = std::string("one_day_iss2018/reduced/") + tag;
    const std::string full = std::string("one_day_iss2018/full/") + tag;
    if (!reporter.seconds.count(red) || !reporter.seconds.count(full)) continue;
    const double r = reporter.seconds[red], f = reporter.seconds[full];
    std::printf(
        "  %-9s reduced %8.3f s/run (%7.2f runs/s)   full %8.3f s/run (%7.2f runs/s)   "
        "full/reduced time ratio %.2f\n",
        tag, r, 1.0 / r, f, 1.0 / f, f / r);
  }
  return 0;
}
