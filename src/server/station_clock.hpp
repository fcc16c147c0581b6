// The station's clock as the server knows it, and the window of times it lets operators write.
// Live (no scenario): the station's clock is this server's UTC clock; real telemetry is stamped
// on board by a clock kept to UTC, so none can come from more than kClockSkew_s in the future.
// Scenario: the simulated clock of the feed, i.e. the latest time the simulator has sent. Ranges
// and reasons: docs/server.md, "Physical ranges of what is written". Used on the ingest thread.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace leakhunt::server {

// How far ahead of the station's clock an operator may stamp a live sample or an action [s]:
// clock disagreement between the station and the ground, with room to spare (NTP keeps it
// under a second).
inline constexpr double kClockSkew_s = 300.0;

class StationClock {
 public:
  // `scenarioStart_s` set: scenario mode, the feed's data start there. `archiveStart_s`: the
  // earliest sample time the archive already holds, if any. `wall`: UTC now [Unix s].
  StationClock(std::optional<double> scenarioStart_s, std::optional<double> archiveStart_s,
               std::function<double()> wall);

  // Whether an operator's sample may be written at `time_s`; the error starts with `where`
  // and names the time, the window and why.
  Result<bool> checkSample(double time_s, const std::string& where) const;
  // Whether an action may be logged at `time_s`.
  Result<bool> checkAction(double time_s) const;

  // A batch was admitted with times in [first_s, last_s]; `fromFeed`: by the scenario feed,
  // whose latest time is the scenario's clock.
  void admitted(double first_s, double last_s, bool fromFeed);

  // The station's clock now [Unix s]: UTC (live), or the latest simulated time sent (scenario;
  // the scenario's start before the first batch).
  double now() const;
  bool scenario() const { return m_scenarioStart_s.has_value(); }

 private:
  std::optional<double> m_scenarioStart_s;
  std::optional<double> m_archiveStart_s;
  std::optional<double> m_feed_s;  // latest time the feed has sent
  std::function<double()> m_wall;
};

// "3.5 h", "12 min", "40 s": a span for a flight controller to read.
std::string describeSpan(double seconds);

}  // namespace leakhunt::server
