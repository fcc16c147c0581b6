// A live telemetry source the server runs beside its core: the station's sensors as seen
// from outside. The server knows only this interface; `serve --scenario`'s simulated station
// (harness/simulated_station.hpp) implements it, so the server never sees a scenario's truth.
//
// The source is also where the station's crew is, when the server can reach it: a simulated
// station carries out what an operator logs or confirms (its crew, on board), and the server
// hears back only through the log (Core::act, actor "simulator"), like from a real crew. What
// goes to the source is the estimator side's own: actions and proposed steps, never truth.
#pragma once

#include <optional>

#include "detect/logged_events.hpp"
#include "ops/events.hpp"
#include "server/catalog.hpp"
#include "server/core.hpp"

namespace leakhunt::server {

class TelemetrySource {
 public:
  virtual ~TelemetrySource() = default;
  // What the station's log already holds when the server starts (hatch operations, represses,
  // crew moves, patches the source's world will see).
  virtual detect::LoggedEvents loggedEvents() const = 0;
  // The start [Unix s] of the source's own clock, when it has one: the station's clock is
  // then the source's, and operators' times are judged against it.
  virtual std::optional<double> clockStart_s() const = 0;
  // Feeds `core` from a thread of its own until the run ends or stop() is called.
  virtual void start(const Catalog& catalog, Core& core) = 0;
  virtual void stop() = 0;  // ends the run at its next sample and joins

  // The crew's side. Each is called on the server's ingest thread, after the entry is durable,
  // and must not block (queue it). Defaults: a station whose crew the server cannot reach.
  //
  // True when the source's crew does what operators post (a simulated station): an operator's
  // hatch, crew-move, patch or repress action is then an order, archived as posted, and the
  // station's log (the operations core) gets it when the crew reports it done, at the time it
  // was done. Else the action is the log entry itself.
  virtual bool carriesOutActions() const { return false; }
  // An operator posted this hatch operation, crew move, patch or repress at `time_s` [Unix s].
  virtual void logged(const Action&, double /*time_s*/) {}
  // An operator confirmed this proposed step: the crew carries out its operations in order, to
  // the step's schedule, and logs each when done.
  virtual void confirmed(const ops::ProposedStep&) {}
  // The operations core proposed this step (an autopilot crew carries it out by itself).
  virtual void proposed(const ops::ProposedStep&) {}
};

}  // namespace leakhunt::server
