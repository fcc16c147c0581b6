// The CO2 and H2O in each module's air, as the crew make them and the removers, coils and cold
// walls take them (trace_budget.hpp per module, and each open hatch's ventilation between
// modules): the known trace-gas sources of a segment, as cabin air. Split out of detector.cpp
// (issue 12) so that both detectors can count them. A segment the crew has left keeps losing
// these for hours while its scrubbers draw them down; without condensation a crewed Soyuz with
// no dryer, saturated once its hatch was shut, read as a leak of 1.8 kg/day per person; with it
// but one well-mixed volume per segment, its small descent module saturated minutes before the
// segment did and a drill still read a leak there. No I/O.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "detect/trace_budget.hpp"
#include "gas/species.hpp"
#include "model/station.hpp"

namespace leakhunt::detect {

// Where the modules' CO2 and water start. `Balance`: at the balance of the declared sources
// and removers (the known sources the detectors subtract). `AsFilled`: a gas the station file's
// atmosphere leaves out starts at its declared level, none, as in a cabin just filled; a gas the
// file gives a level for states the cabin's running level and starts at the balance either way.
// The difference of the two is the creep of a station not yet at its balance (issue 18).
enum class TraceStart { Balance, AsFilled };

// How far from its CO2 and water balance a station may be when the data begin, as a sd of the
// fraction of the way from the balance back to the declared atmosphere: 0 is a station that has
// run for ever, 1 one just filled as its file describes. How long a station has run is nowhere
// in its file. Tuned on the outpost twin's calibration seeds for the books, the widest prior
// tried whose false alarms stayed at 1 per segment-year (docs/detection.md, "A station not yet
// at its balance"); the slope-change detector's creep allowance takes the same prior.
inline constexpr double kTraceBalanceFraction = 0.03;

// The station file's atmosphere gives no level for `species`: a cabin as filled, whose gas is
// still on its way to balance. A file that gives one states the cabin's running level. The one
// rule both detectors' creep (the books' gap states, TraceStart::AsFilled) follow.
bool atmosphereLeavesOut(const model::Station& station, gas::Species species);

class TraceGases {
 public:
  // `station` must outlive this. `airGasConstant`: the cabin air's R [J/(kg K)], in which
  // a kilogram of CO2 or H2O is counted as the cabin air holding as many moles.
  TraceGases(const model::Station& station, double airGasConstant,
             TraceStart from = TraceStart::Balance);

  // Whether the station file's atmosphere leaves out CO2 or water, so that `AsFilled` differs
  // from `Balance` (where a remover sets a balance).
  static bool leavesOutATraceGas(const model::Station& station);

  // After the hatches changed: the segments' members (`segmentOf`, per module) and the
  // ventilation each open hatch exchanges within them.
  void setSegments(const std::vector<int>& segmentOf, std::size_t segmentCount,
                   const std::vector<bool>& hatchOpen);

  // Ages every segment's trace gases over `dt_s` (one block, or a run of quiet blocks at once)
  // with the modules' gas temperatures and the crew's places (-1: nowhere on the station), and
  // writes each segment's CO2 and H2O made less removed over it as cabin air [kg/s] into
  // `sources` (per segment). The first call starts every module at the station's steady state
  // and writes zeros: the station has run for days before the data begin.
  void advance(double dt_s, std::span<const std::vector<int>> members,
               std::span<const double> moduleTemperature_k, std::span<const int> crewModule,
               std::vector<double>& sources);

  // CO2 (0) or H2O (1) in module `m` now [kg].
  double mass(int species, int m) const {
    return m_mass[static_cast<std::size_t>(species)][static_cast<std::size_t>(m)];
  }

 private:
  struct Exchange {
    std::size_t a = 0, b = 0;
    double flow_m3_s = 0.0;
  };
  void start();
  void advanceModules(const std::vector<int>& modules, double volume_m3,
                      const std::vector<Exchange>& links, std::vector<double>& mass, double dt);
  void budgets(std::size_t i, bool water, double made, std::span<const double> temperature_k);
  double airEquivalent(gas::Species sp) const;

  static constexpr std::array<gas::Species, 2> kTrace{gas::Species::CO2, gas::Species::H2O};
  const model::Station& m_station;
  double m_r;
  TraceStart m_from;
  std::array<std::vector<double>, 2> m_mass;
  bool m_started = false;
  std::vector<std::vector<Exchange>> m_exchangeOf;      // per segment
  std::vector<std::vector<std::size_t>> m_lifeSupport;  // per module: its machines
  std::vector<std::pair<int, int>> m_hatchEnds;         // per hatch: its modules (-1: none)
  std::vector<std::vector<TraceFloor>> m_coilsOf;       // per module, scratch
  std::vector<TraceBudget> m_budgetOf;                  // per module, scratch
  std::vector<double> m_exchanged;                      // per module, scratch
  std::vector<TraceFloor> m_coilScratch;
  std::vector<int> m_crew;  // per module, scratch
};

}  // namespace leakhunt::detect
