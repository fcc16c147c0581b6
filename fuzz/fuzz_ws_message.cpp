// libFuzzer target: a WebSocket client's message on /api/realtime, read and answered as the
// session does. Any bytes give a value or an error reply that serialises, never a crash, a
// stack overflow (deep nesting) or an exception (invalid UTF-8 echoed back).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/ws_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const leakhunt::server::WsMessage m = leakhunt::server::parseWsMessage(text);
  (void)leakhunt::server::wsErrorFrame(m.status, m.ref, m.error + m.channel);
  (void)leakhunt::server::wsAckFrame(m.ref, 1, m.samples.size());
  return 0;
}
