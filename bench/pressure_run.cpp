// The C++ side of the SciPy comparison (bench/scipy_reference.py): the benchmark scenario over
// N days from the exported initial state (no spin-up), with 1 Hz truth output of every module's
// pressure accumulated into a checksum. Prints one JSON object: wall time, samples, checksum and
// the final module pressures.
//
//   bench_pressure_run --solver full|reduced [--days 30] [--rtol 1e-8] [--scenario FILE]
//                      [--no-output 1]   (integration only: what the 1 Hz output costs)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_common.hpp"

namespace {

using namespace leakhunt;

// Keeps the sum and count of every `<module>.pressure` truth sample, nothing else.
class PressureSum : public sim::RunObserver {
 public:
  double sum = 0.0;
  long count = 0;
  void begin(const telemetry::ChannelTable&, const telemetry::ChannelTable& truth) override {
    m_isPressure.assign(truth.size(), 0);
    const std::string suffix = ".pressure";
    for (std::size_t c = 0; c < truth.size(); ++c) {
      const std::string& n = truth.name(static_cast<int>(c));
      m_isPressure[c] = n.size() > suffix.size() &&
                        n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
    }
  }
  void truth(const telemetry::Sample& s) override {
    if (!m_isPressure[static_cast<std::size_t>(s.channel)]) return;
    sum += s.value;
    ++count;
  }

 private:
  std::vector<char> m_isPressure;
};

}  // namespace

int main(int argc, char** argv) {
  std::string solverName = "full", scenarioPath = LEAKHUNT_BENCH_SCENARIO;
  double days = 30.0, rtol = 1e-8;
  bool output = true;
  for (int k = 1; k + 1 < argc; k += 2) {
    const std::string key = argv[k];
    if (key == "--solver")
      solverName = argv[k + 1];
    else if (key == "--days")
      days = std::atof(argv[k + 1]);
    else if (key == "--rtol")
      rtol = std::atof(argv[k + 1]);
    else if (key == "--scenario")
      scenarioPath = argv[k + 1];
    else if (key == "--no-output")
      output = std::atoi(argv[k + 1]) == 0;
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[k]);
      return 2;
    }
  }
  if (solverName != "full" && solverName != "reduced") {
    std::fprintf(stderr, "--solver full|reduced\n");
    return 2;
  }
  const model::Scenario sc = bench::withDuration(bench::loadBenchScenario(scenarioPath), days);
  sim::RunOptions options;
  options.solver = solverName == "full" ? sim::Solver::Full : sim::Solver::Reduced;
  options.relativeTolerance = rtol;
  options.emitTelemetry = false;
  options.emitTruth = output;
  options.truthPressuresOnly = true;  // what the SciPy reference outputs too
  options.spinUp_s = 0.0;             // start from the state export-network writes
  PressureSum observer;
  const auto start = std::chrono::steady_clock::now();
  auto r = sim::runScenario(sc, options, observer);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    return 1;
  }
  std::printf(
      "{\"output\": %s, \"solver\": \"%s\", \"days\": %.17g, \"rtol\": %.17g, \"wall_s\": %.6f, "
      "\"steps\": %ld, \"rhs_evaluations\": %ld, \"samples\": %ld, \"checksum_pa\": %.17g, "
      "\"final_pressures_pa\": [",
      output ? "true" : "false", r->solver.c_str(), days, rtol, wall, r->stats.steps,
      r->stats.rhsEvaluations, observer.count, observer.sum);
  for (std::size_t i = 0; i < r->finalPressures_pa.size(); ++i)
    std::printf("%s%.17g", i ? ", " : "", r->finalPressures_pa[i]);
  std::printf("]}\n");
  return 0;
}
