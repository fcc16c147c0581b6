// A scenario run that continues: advance it to a time, give it what people do at that time or
// later (hatch operations, crew moves, patches, represses, set points), and advance it again
// from its own state, without integrating the past again. `runScenario` is one advance to the
// end of a fresh simulation, so a one-shot run and a run told its events as it goes take the
// same path and emit the same outputs (docs/simulator.md, "Continuing runs").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/truth_wall.hpp"
#include "model/scenario.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::sim {

class Simulation {
 public:
  // Builds the network and settles the cabin (RunOptions::spinUp_s, or initialState), at time
  // 0. The observer must outlive the simulation; its begin() comes before the first output.
  static Result<Simulation> start(const model::Scenario& scenario, const RunOptions& options,
                                  RunObserver& observer);
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;
  ~Simulation();

  // Seconds since the scenario start. Every output at or before it has been emitted, and an
  // output at the instant of an event shows the station just before the event.
  double time_s() const;
  double end_s() const;                     // the scenario's duration
  const model::Scenario& scenario() const;  // with the events added so far, in time order
  const telemetry::ChannelTable& telemetryChannels() const;
  const telemetry::ChannelTable& truthChannels() const;
  const std::vector<double>& initialState() const;  // after spin-up, as RunResult's

  // An event acting at event.time_s, which must lie in [time_s(), end_s()]; at time 0 only
  // before the first advance. Leaks and sensor faults are refused: they are the world's own,
  // and belong in the scenario. Errors name the event's time and what is wrong with it.
  Result<bool> add(model::Event event);

  // Emit every output up to and including `until_s` (at most end_s()), integrating on from
  // where the last advance stopped. Errors: going back, past the end, or CVODE failing.
  Result<bool> advanceTo(double until_s);

  // What runScenario returns: final pressures, each segment over the last hour of the
  // scenario, integrator counts. Meaningful once the run has reached end_s().
  RunResult summary() const;

 private:
  struct Impl;
  explicit Simulation(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// The event of a hatch operation begun at `from_s`: the hatch changes state when the crew is
// done, after its operate time (an opening first waits `equalise_s` for the pressures to meet).
Result<model::Event> hatchOperation(const model::Station& station, const std::string& hatch,
                                    bool open, double from_s, double equalise_s = 0.0);

}  // namespace leakhunt::sim
