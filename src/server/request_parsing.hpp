// Reading what clients send: telemetry batches and operator actions, as JSON. Pure functions
// over the body text (the fuzz target drives them); every error names the element and what is
// wrong with it, ready to send back in a 4xx.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "detect/logged_events.hpp"

namespace leakhunt::server {

inline constexpr std::size_t kMaxBatchSamples = 200000;

// Physical ranges of what is written (docs/server.md has each one's reason). Times: from the
// launch of Sputnik 1 (1957-10-04T19:28:34Z) to 2100-01-01; the core narrows this to the
// station's clock (station_clock.hpp).
inline constexpr double kEarliestTime_s = -386310686.0;
inline constexpr double kLatestTime_s = 4102444800.0;
// A repress: at least 10 g (tank valves let in kilograms; grams are a unit slip), at most 10 t
// (no crewed station has held so much air; the core bounds it by the station's own air); its
// duration in [0, detect::kMaxRepressDuration_s].
inline constexpr double kMinRepressMass_kg = 0.01;
inline constexpr double kMaxRepressMass_kg = 10000.0;
// Ids (hatch, module, crew, leak) and notes, in characters.
inline constexpr std::size_t kMaxIdChars = 128;
inline constexpr std::size_t kMaxNoteChars = 2000;

struct IncomingSample {
  std::string channel;
  double time_s = 0.0;  // Unix time
  double value = 0.0;
};

// A batch is a JSON array of {time, channel, value}, or {"samples": [...]}. `time` is an ISO
// 8601 UTC text ("2018-08-29T20:00:00.000Z") or a number of seconds since the epoch; `value`
// a finite number. Channels are not checked here (the catalogue does that); times must be within
// [kEarliestTime_s, kLatestTime_s], and one that reads as milliseconds is told so.
Result<std::vector<IncomingSample>> parseTelemetryBatch(std::string_view body);

enum class ActionKind { AckAlarm, Hatch, Patch, Repress, CrewMove, Confirm };
const char* toString(ActionKind kind);

// An operator action. Which fields are set depends on the kind:
//   {"kind":"ack", "alarm": N}
//   {"kind":"hatch", "hatch": "id", "state": "closed"|"open"}
//   {"kind":"patch", "leak": "id", "module": "id"}  (the leak may be unnamed: ""; the module
//     patched is optional)
//   {"kind":"repress", "module": "id", "mass_kg": x, "duration_s": d}  (within the ranges above)
//   {"kind":"crew_move", "crew": "id", "module": "id"}
//   {"kind":"confirm", "step": N}  (the operator confirms the proposed step N: GET /api/plan)
// Optional "time" (as for samples; default: the latest telemetry time) and "note" (text).
struct Action {
  ActionKind kind = ActionKind::AckAlarm;
  std::optional<double> time_s;
  int alarm = -1;
  int step = -1;  // confirm
  std::string hatch, leak, module, crew, note;
  bool open = false;
  double mass_kg = 0.0, duration_s = 0.0;
};

Result<Action> parseAction(std::string_view body);

// {"name": "...", "role": "viewer"|"operator"|"admin"}
struct TokenRequest {
  std::string name;
  std::string role;
};
Result<TokenRequest> parseTokenRequest(std::string_view body);

}  // namespace leakhunt::server
