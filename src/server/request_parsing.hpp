// Reading what clients send: telemetry batches and operator actions, as JSON. Pure functions
// over the body text (the fuzz target drives them); every error names the element and what is
// wrong with it, ready to send back in a 4xx.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace leakhunt::server {

inline constexpr std::size_t kMaxBatchSamples = 200000;

struct IncomingSample {
  std::string channel;
  double time_s = 0.0;  // Unix time
  double value = 0.0;
};

// A batch is a JSON array of {time, channel, value}, or {"samples": [...]}. `time` is an ISO
// 8601 UTC text ("2018-08-29T20:00:00.000Z") or a number of seconds since the epoch; `value`
// a finite number. Channels are not checked here (the catalogue does that).
Result<std::vector<IncomingSample>> parseTelemetryBatch(std::string_view body);

enum class ActionKind { AckAlarm, Hatch, Patch, Repress, CrewMove };
const char* toString(ActionKind kind);

// An operator action. Which fields are set depends on the kind:
//   {"kind":"ack", "alarm": N}
//   {"kind":"hatch", "hatch": "id", "state": "closed"|"open"}
//   {"kind":"patch", "leak": "id"}  (the leak may be unnamed: "")
//   {"kind":"repress", "module": "id", "mass_kg": x, "duration_s": d}
//   {"kind":"crew_move", "crew": "id", "module": "id"}
// Optional "time" (as for samples; default: the latest telemetry time) and "note" (text).
struct Action {
  ActionKind kind = ActionKind::AckAlarm;
  std::optional<double> time_s;
  int alarm = -1;
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
