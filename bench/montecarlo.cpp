// Monte Carlo throughput: one-day ISS 2018 runs, each with its own seed and a 2 mm hole in a
// random module at a random onset, no output kept (the runner's default solver and spin-up).
// First on N threads (default 2) within a time budget, then the same runs on 1 thread in this
// process: the peer that gives the speed-up and the parallel efficiency. When the budget stops
// the first phase before the requested count, the time for that count is projected and labelled.
//
//   bench_montecarlo [--runs 10000] [--threads 2] [--budget-s 60] [--spin-up-days 5]
//                    [--shared-spin-up 1] [--rtol 1e-6] [--target-runs-s 500]
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"

namespace {

using namespace leakhunt;
using Clock = std::chrono::steady_clock;

struct Args {
  long runs = 10000;
  int threads = 2;
  double budget_s = 60.0;
  double spinUp_days = 5.0;
  bool sharedSpinUp = false;  // settle the cabin once and start every run from that state
  double rtol = 1e-8;
  double target = 0.0;  // runs/s on the threads, printed beside the figure (0: none)
};

// Run i: seed i + 1, the hole's module and onset drawn from a stream of its own.
model::Scenario runScenarioFor(const model::Scenario& base, long i) {
  std::mt19937_64 rng(0x5eedULL + static_cast<uint64_t>(i));
  const auto& modules = base.station.modules;
  std::uniform_int_distribution<std::size_t> module(0, modules.size() - 1);
  std::uniform_real_distribution<double> onset(0.0, base.duration_s);
  const std::string where = modules[module(rng)].id;
  const double at = onset(rng);
  return bench::withHole(base, static_cast<uint64_t>(i) + 1, where, at);
}

struct Phase {
  long done = 0;
  long failed = 0;
  double wall_s = 0.0;
  double checksum = 0.0;  // sum over runs of the mean final module pressure: same work, same sum
};

// Runs indices 0, 1, ... on `threads` threads until `count` are done or the budget is spent;
// runs already claimed finish, so exactly the indices [0, done) ran.
Phase runPhase(const model::Scenario& base, const sim::RunOptions& options, int threads, long count,
               double budget_s) {
  std::atomic<long> next{0};
  std::vector<double> sums(static_cast<std::size_t>(count), 0.0);
  std::vector<char> ok(static_cast<std::size_t>(count), 0);
  const auto start = Clock::now();
  auto worker = [&] {
    for (;;) {
      if (std::chrono::duration<double>(Clock::now() - start).count() > budget_s) return;
      const long i = next.fetch_add(1);
      if (i >= count) return;
      bench::NullObserver observer;
      auto r = sim::runScenario(runScenarioFor(base, i), options, observer);
      if (!r) continue;
      double s = 0.0;
      for (double p : r->finalPressures_pa) s += p;
      sums[static_cast<std::size_t>(i)] = s / static_cast<double>(r->finalPressures_pa.size());
      ok[static_cast<std::size_t>(i)] = 1;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (std::thread& t : pool) t.join();
  Phase p;
  p.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  p.done = std::min(next.load(), count);
  for (long i = 0; i < p.done; ++i) {
    p.checksum += sums[static_cast<std::size_t>(i)];
    if (!ok[static_cast<std::size_t>(i)]) ++p.failed;
  }
  return p;
}

Args parse(int argc, char** argv) {
  Args a;
  for (int k = 1; k + 1 < argc; k += 2) {
    const std::string key = argv[k];
    const double v = std::atof(argv[k + 1]);
    if (key == "--runs")
      a.runs = static_cast<long>(v);
    else if (key == "--threads")
      a.threads = static_cast<int>(v);
    else if (key == "--budget-s")
      a.budget_s = v;
    else if (key == "--spin-up-days")
      a.spinUp_days = v;
    else if (key == "--shared-spin-up")
      a.sharedSpinUp = v != 0.0;
    else if (key == "--rtol")
      a.rtol = v;
    else if (key == "--target-runs-s")
      a.target = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[k]);
      std::exit(2);
    }
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  const model::Scenario base = bench::withDuration(bench::loadBenchScenario(), 1.0);
  sim::RunOptions options = bench::noOutput(sim::Solver::Auto, a.spinUp_days * 86400.0);
  options.relativeTolerance = a.rtol;
  if (a.sharedSpinUp) {
    // One settled cabin for every run: the runs differ from the start by seed, hole and onset.
    sim::RunOptions settle = options;
    settle.stopAfterSpinUp = true;
    bench::NullObserver none;
    auto settled = sim::runScenario(base, settle, none);
    if (!settled) {
      std::fprintf(stderr, "%s\n", settled.error().message.c_str());
      return 1;
    }
    options.initialState = settled->initialState;
  }
  std::printf(
      "Monte Carlo: one-day ISS 2018 runs, random seed and 2 mm hole (module, onset), no "
      "output kept, solver auto (segment reduction), rtol %g, spin-up %.1f day %s\n",
      a.rtol, a.spinUp_days, a.sharedSpinUp ? "(once, shared by every run)" : "(every run)");
  std::printf("hardware threads: %u\n", std::thread::hardware_concurrency());

  const Phase par = runPhase(base, options, a.threads, a.runs, a.budget_s);
  const double parRate = static_cast<double>(par.done) / par.wall_s;
  std::printf("%d threads: %ld runs (%ld failed) in %.2f s wall: %.2f runs/s\n", a.threads,
              par.done, par.failed, par.wall_s, parRate);
  if (a.target > 0.0)
    std::printf("%d threads: target >= %.0f runs/s (issue 15): %.2f of it\n", a.threads, a.target,
                parRate / a.target);
  if (par.done < a.runs)
    std::printf(
        "%d threads: PROJECTED time for %ld runs at that rate: %.0f s (%.1f min); the "
        "%.0f s budget stopped the phase after %ld runs\n",
        a.threads, a.runs, static_cast<double>(a.runs) / parRate,
        static_cast<double>(a.runs) / parRate / 60.0, a.budget_s, par.done);
  else
    std::printf("%d threads: MEASURED time for %ld runs: %.2f s\n", a.threads, a.runs, par.wall_s);

  // Peer: the very same runs on one thread, no budget.
  const Phase one = runPhase(base, options, 1, par.done, 1e300);
  const double oneRate = static_cast<double>(one.done) / one.wall_s;
  std::printf("1 thread (peer): the same %ld runs (%ld failed) in %.2f s wall: %.2f runs/s\n",
              one.done, one.failed, one.wall_s, oneRate);
  const double speedup = one.wall_s / par.wall_s;
  std::printf("speed-up %d threads / 1 thread: %.2f; parallel efficiency %.1f %%\n", a.threads,
              speedup, 100.0 * speedup / a.threads);
  std::printf(
      "same work check: mean final pressure summed over runs %.6f (%d threads) vs %.6f "
      "(1 thread): %s\n",
      par.checksum, a.threads, one.checksum,
      par.checksum == one.checksum ? "identical" : "DIFFERENT");
  return par.failed == 0 && one.failed == 0 ? 0 : 1;
}
