#include "server/ws_message.hpp"

#include "server/bounded_json.hpp"

namespace leakhunt::server {

namespace {

using nlohmann::json;

// A reference the client can match replies with; anything else is dropped, not echoed.
json safeRef(const json& m) {
  const auto it = m.find("ref");
  if (it == m.end()) return nullptr;
  if (it->is_number() || it->is_boolean()) return *it;
  if (it->is_string() && it->get_ref<const std::string&>().size() <= kMaxWsRefBytes)
    return printable(it->get_ref<const std::string&>(), kMaxWsRefBytes);
  return nullptr;
}

WsMessage invalid(json ref, int status, std::string error) {
  WsMessage w;
  w.ref = std::move(ref);
  w.status = status;
  w.error = std::move(error);
  return w;
}

}  // namespace

WsMessage parseWsMessage(std::string_view text) {
  constexpr const char* kShape = "expected {\"op\": \"subscribe\"|\"unsubscribe\"|\"ingest\", ...}";
  Result<json> parsed = parseBoundedJson(text);
  if (!parsed) return invalid(nullptr, 400, "the message is " + parsed.error().message);
  const json& m = *parsed;
  if (!m.is_object() || !m.contains("op") || !m["op"].is_string())
    return invalid(nullptr, 400, kShape);
  json ref = safeRef(m);
  const std::string& op = m["op"].get_ref<const std::string&>();
  if (op == "subscribe" || op == "unsubscribe") {
    const auto id = m.find("id");
    if (id == m.end() || !id->is_string())
      return invalid(std::move(ref), 400, "\"id\" must be a channel name");
    WsMessage w;
    w.op = op == "subscribe" ? WsOp::Subscribe : WsOp::Unsubscribe;
    w.ref = std::move(ref);
    w.channel = id->get<std::string>();
    return w;
  }
  if (op == "ingest") {
    const auto samples = m.find("samples");
    if (samples == m.end()) return invalid(std::move(ref), 400, "\"samples\" is missing");
    Result<std::vector<IncomingSample>> batch = parseTelemetryBatch(samples->dump());
    if (!batch) return invalid(std::move(ref), 400, batch.error().message);
    WsMessage w;
    w.op = WsOp::Ingest;
    w.ref = std::move(ref);
    w.samples = std::move(batch).value();
    return w;
  }
  return invalid(std::move(ref), 400, "unknown op '" + printable(op, 40) + "'");
}

std::string wsErrorFrame(int status, const json& ref, const std::string& message) {
  return dumpForClient(
      {{"type", "error"}, {"status", status}, {"ref", ref}, {"message", printable(message, 400)}});
}

std::string wsAckFrame(const json& ref, long long seq, std::size_t accepted,
                       const std::vector<std::string>& warnings) {
  json ack = {{"type", "ack"}, {"ref", ref}, {"seq", seq}, {"accepted", accepted}};
  if (!warnings.empty()) ack["warnings"] = warnings;
  return dumpForClient(ack);
}

}  // namespace leakhunt::server
