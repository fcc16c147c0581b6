// libFuzzer target: the server's request parsing (telemetry batches, actions, token requests)
// must return a value or an Error for any bytes, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/request_parsing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)leakhunt::server::parseTelemetryBatch(body);
  (void)leakhunt::server::parseAction(body);
  (void)leakhunt::server::parseTokenRequest(body);
  return 0;
}
