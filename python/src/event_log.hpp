// The `events=` argument of the analyses: None, a Scenario (its logged part: hatches, crew,
// patches, represses; never its leaks) or the path of a scenario or events file.
#pragma once

#include "bindings.hpp"
#include "detect/logged_events.hpp"
#include "harness/scenario_log.hpp"

namespace leakhunt::python {

inline detect::LoggedEvents eventLog(const py::object& events, const StationHandle& station) {
  if (events.is_none()) return {};
  if (py::isinstance<ScenarioHandle>(events))
    return harness::loggedEventsOf(events.cast<const ScenarioHandle&>().scenario, station.station);
  if (py::isinstance<py::str>(events)) {
    if (station.path.empty())
      throw InputError(
          "events: a log file names its station by path; this station was parsed "
          "from text, so give the events as a Scenario instead");
    return take(harness::loadEventLog(events.cast<std::string>(), station.path, station.station));
  }
  throw InputError("events: give None, a Scenario, or the path of a scenario or events file");
}

}  // namespace leakhunt::python
