// Choosing the next test: a hatch configuration and how long to watch it (physics.md 6).
// The planner scores (configuration, dwell) by the expected information about the leak's
// module per second, counting the time to operate hatches, to equalise before opening, and to
// let the segments settle; only configurations that pass every safety rule for the whole hold
// are considered, so an unsafe plan cannot be produced. Two baselines share this code path and
// differ only in how they pick the configuration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "locate/belief.hpp"
#include "locate/configuration.hpp"
#include "locate/reading_noise.hpp"
#include "locate/safety.hpp"
#include "locate/station_facts.hpp"

namespace leakhunt::locate {

enum class Strategy {
  Information,      // most expected information per second
  HalvingByVolume,  // plain halving: the most even split of the candidates' volume
  CrewOrder2018,    // lifeboats first, then the segment split, then module by module
};
const char* toString(Strategy s);

struct PlannerOptions {
  Strategy strategy = Strategy::Information;
  int maxClosed = 3;   // hatches the plan may hold closed at once
  int beamWidth = 24;  // configurations kept per search level
  std::vector<double> dwells_s = {300,  600,   900,   1200,  1800,  2700,  3600,  5400,
                                  7200, 10800, 14400, 21600, 28800, 43200, 64800, 86400};
  double minBits = 0.02;  // a test telling less than this is not worth doing
  NoiseOptions noise;
  SafetyRules rules;
};

struct PlannedTest {
  HatchSet open;                     // the configuration to hold
  std::vector<HatchChange> changes;  // from the current one, closes first
  double switch_s = 0.0;             // operating and equalising hatches
  double dwell_s = 0.0;              // watching, after kSettle_s
  double expectedBits = 0.0;
  std::vector<std::vector<int>> segments;  // of the configuration, with candidate mass
  std::vector<double> segmentMass;         // probability the leak is in each of them
  std::vector<double> readingSigma_kg_s;   // expected reading sd per segment
};

struct PlanState {
  const model::Station* station = nullptr;
  const StationFacts* facts = nullptr;
  CrewPlaces crew;
  LeakRate rate;
  HatchSet current;
  int stepsDone = 0;                // tests already run (the 2018 order needs it)
  std::vector<double> pressure_pa;  // per module now; empty: the declared atmosphere
  // How long `current` has been read already: staying in it extends that reading (one window),
  // so it is worth only the information the longer window adds.
  double heldFor_s = 0.0;
};

// The next test, or nothing with `why` saying plainly why no safe, informative test remains.
std::optional<PlannedTest> nextTest(const PlanState& state, const Belief& belief,
                                    const PlannerOptions& options, std::string* why);

// Time to operate the hatches from `from` to `to` [s], equalising before each opening.
double switchTime(const model::Station& station, const HatchSet& from, const HatchSet& to,
                  const SafetyRules& rules);

// Mutual information [bits] between the leak's segment and the per-segment loss/no-loss
// outcomes, each read wrongly with probability error[g]. `mass[g]` sums to 1 or less.
double outcomeInformation(const std::vector<double>& mass, const std::vector<double>& error);

}  // namespace leakhunt::locate
