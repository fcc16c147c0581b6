// The cost of one loss estimate (issue 20, docs/detection.md "Two models of the residual"): the
// white noise's onset profile with the wanders' profile beside it, against the white profile
// alone (peer: the same test with no wanders declared, so wanderProfile has no basis and
// returns at once; the white sd then carries no wander, which costs the same).
//
// Two shapes of window, each filled with white noise, a temperature wander and a loss:
//   campaign: a 2 mm hole's estimate at the alarm, onsets over the 92 min before it, a day of
//             reference (the big-leak campaign's every block);
//   slow:     a slow leak's flat estimate with onsets over the last day (a story's alarmed
//             segment, every block).
//
//   bench_estimate [--repeats 200]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "detect/slope_change_test.hpp"

namespace {

using namespace leakhunt::detect;
using Clock = std::chrono::steady_clock;

// A test holding `hours` of blocks: white noise, a temperature wander and a loss from `onset_h`.
SlopeChangeTest filled(const WanderParts& declared, double hours, double onset_h, double loss) {
  SlopeChangeOptions o;
  SlopeChangeTest test(o, 0.02, declared);
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n01;
  for (int k = 0; k < static_cast<int>(hours * 60.0); ++k) {
    const double t = 60.0 * k;
    const double y =
        0.02 * n01(rng) + 0.05 * std::sin(t / 9000.0) - loss * std::max(0.0, t - onset_h * 3600.0);
    test.push(t, y, t);
  }
  return test;
}

// Milliseconds per estimate over `repeats`, and the estimate's rate (so nothing is optimised out).
struct Timing {
  double ms = 0.0;
  double rate = 0.0;
};
Timing time(const SlopeChangeTest& test, double back_s, bool flat, int repeats) {
  const SlopeChangeWindow& w = test.window();
  const uint64_t earliest = w.firstAtOrAfter(w.tau(w.last()) - back_s);
  Timing t;
  const auto start = Clock::now();
  for (int r = 0; r < repeats; ++r) {
    const LossEstimate e = flat ? test.estimateFlat(earliest) : test.estimate(earliest);
    t.rate += e.rate;
  }
  t.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / repeats;
  t.rate /= repeats;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--repeats") == 0) {
      repeats = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "usage: bench_estimate [--repeats N]\n");
      return 2;
    }
  }
  const WanderParts iss{8e-6, 0.05}, none{0.0, 0.0};
  struct Shape {
    const char* name;
    double hours, onset_h, loss, back_s;
    bool flat;
  };
  const Shape shapes[] = {
      {"campaign (2 mm at its alarm, 92 min of onsets, 24 h reference)", 26.5, 26.3, 4.8e-4,
       92.0 * 60.0, false},
      {"slow (flat, a day of onsets, 2 h reference)", 30.0, 10.0, 1.6e-5, 86400.0, true},
  };
  std::printf(
      "one estimate, %d repeats each; peer: the white profile alone (no wanders declared)\n",
      repeats);
  for (const Shape& s : shapes) {
    const SlopeChangeTest both = filled(iss, s.hours, s.onset_h, s.loss);
    const SlopeChangeTest white = filled(none, s.hours, s.onset_h, s.loss);
    const Timing a = time(both, s.back_s, s.flat, repeats);
    const Timing b = time(white, s.back_s, s.flat, repeats);
    std::printf("%-66s %7.3f ms  peer %7.3f ms  ratio %.2f  (%zu points; rates %.3g, %.3g kg/s)\n",
                s.name, a.ms, b.ms, a.ms / b.ms, both.window().size(), a.rate, b.rate);
  }
  return 0;
}
