// What a WebSocket client may send on /api/realtime, read into a value before anything acts
// on it: a pure function over the message text (a fuzz target drives it), so the session
// only routes. The client's "ref" is echoed in replies only as a short scalar: an echoed
// object could be arbitrarily large or deep.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "server/request_parsing.hpp"

namespace leakhunt::server {

enum class WsOp { Subscribe, Unsubscribe, Ingest, Invalid };

struct WsMessage {
  WsOp op = WsOp::Invalid;
  nlohmann::json ref;   // null, a number, a boolean or a text of at most kMaxWsRefBytes
  std::string channel;  // subscribe, unsubscribe
  std::vector<IncomingSample> samples;  // ingest
  int status = 400;                     // Invalid: the status of the error reply
  std::string error;                    // Invalid: what is wrong, ready to send
};

inline constexpr std::size_t kMaxWsRefBytes = 128;

WsMessage parseWsMessage(std::string_view text);

// The reply frames, as text ready to send.
std::string wsErrorFrame(int status, const nlohmann::json& ref, const std::string& message);
// `warnings`: the batch was accepted, but (channels that match no sensor, ...); omitted if none.
std::string wsAckFrame(const nlohmann::json& ref, long long seq, std::size_t accepted,
                       const std::vector<std::string>& warnings = {});

}  // namespace leakhunt::server
