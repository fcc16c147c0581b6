// A live telemetry source the server runs beside its core: the station's sensors as seen
// from outside. The server knows only this interface; `serve --scenario`'s simulated station
// (harness/simulated_station.hpp) implements it, so the server never sees a scenario's truth.
#pragma once

#include <optional>

#include "detect/logged_events.hpp"
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
};

}  // namespace leakhunt::server
