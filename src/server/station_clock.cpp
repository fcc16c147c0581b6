#include "server/station_clock.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "telemetry/telemetry_io.hpp"

namespace leakhunt::server {

namespace {

std::string at(double t) { return telemetry::formatTime(t); }

}  // namespace

std::string describeSpan(double seconds) {
  const double s = std::abs(seconds);
  if (s >= 2 * 86400.0) return fmt::format("{:.3g} d", s / 86400.0);
  if (s >= 2 * 3600.0) return fmt::format("{:.3g} h", s / 3600.0);
  if (s >= 120.0) return fmt::format("{:.3g} min", s / 60.0);
  return fmt::format("{:.3g} s", s);
}

StationClock::StationClock(std::optional<double> scenarioStart_s,
                           std::optional<double> archiveStart_s, std::function<double()> wall)
    : m_scenarioStart_s(scenarioStart_s),
      m_archiveStart_s(archiveStart_s),
      m_wall(std::move(wall)) {
  // The scenario's data start at its start: nothing earlier belongs to this run.
  if (m_scenarioStart_s)
    m_archiveStart_s = std::min(m_archiveStart_s.value_or(*m_scenarioStart_s), *m_scenarioStart_s);
}

double StationClock::now() const {
  if (!m_scenarioStart_s) return m_wall();
  return m_feed_s.value_or(*m_scenarioStart_s);
}

Result<bool> StationClock::checkSample(double time_s, const std::string& where) const {
  if (m_archiveStart_s && time_s < *m_archiveStart_s)
    return Error{fmt::format(
        "{}: {} is {} before the archive's start ({}): the archive holds nothing that early and "
        "the detector has moved past it",
        where, at(time_s), describeSpan(*m_archiveStart_s - time_s), at(*m_archiveStart_s))};
  if (!m_scenarioStart_s) {
    const double now = m_wall();
    if (time_s <= now + kClockSkew_s) return true;
    return Error{fmt::format(
        "{}: {} is {} ahead of the station's clock ({}, this server's UTC clock): live telemetry "
        "cannot come from the future; at most {} ahead is accepted",
        where, at(time_s), describeSpan(time_s - now), at(now), describeSpan(kClockSkew_s))};
  }
  if (!m_feed_s)
    return Error{fmt::format(
        "{}: the scenario's clock has not started (the simulator has sent nothing yet); try again "
        "in a moment",
        where)};
  // Not even a second ahead: the simulator's next batch carries every sensor channel, and a
  // sample of ours later than its times would have the whole batch refused (409).
  if (time_s <= *m_feed_s) return true;
  return Error{fmt::format(
      "{}: {} is {} ahead of the scenario's clock ({}, the latest time the simulator has sent); "
      "a sample ahead of it would collide with the simulator's own",
      where, at(time_s), describeSpan(time_s - *m_feed_s), at(*m_feed_s))};
}

Result<bool> StationClock::checkAction(double time_s) const {
  const double now = this->now();
  if (time_s <= now + kClockSkew_s) return true;
  return Error{fmt::format(
      "time: {} is {} ahead of the station's clock ({}, {}); an action is logged when it is done, "
      "at most {} ahead",
      at(time_s), describeSpan(time_s - now), at(now),
      m_scenarioStart_s ? "the scenario's latest time" : "this server's UTC clock",
      describeSpan(kClockSkew_s))};
}

void StationClock::admitted(double first_s, double last_s, bool fromFeed) {
  m_archiveStart_s = std::min(m_archiveStart_s.value_or(first_s), first_s);
  if (fromFeed) m_feed_s = std::max(m_feed_s.value_or(last_s), last_s);
}

}  // namespace leakhunt::server
