// Real clients for the server tests, over loopback TCP: HTTP and WebSocket (Boost.Beast, in
// client.cpp only, so the heavy headers compile once per build), and raw sockets for requests
// no well-behaved client would send. Every wait is bounded: a server that hangs fails the test.
// And the server every test starts (startServer).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "server/station_server.hpp"

namespace leakhunt::test {

// The tokens of the server tests: an operator (olga), a viewer (victor), an admin (ada).
inline constexpr const char* kOperatorToken = "operator-token-0123456789";
inline constexpr const char* kViewerToken = "viewer-token-0123456789ab";
inline constexpr const char* kAdminToken = "admin-token-0123456789abc";

// Starts `config` in this process for one test: its archive is DIR/run.db, its port one the
// system picks (tests run in parallel), its tokens the three above. It listens when this
// returns; if it cannot start, the test fails with the server's message and the result is null.
// Inline: the benchmark compiles client.cpp without GoogleTest.
inline std::unique_ptr<server::StationServer> startServer(server::ServeConfig config,
                                                          const std::filesystem::path& dir) {
  config.archivePath = (dir / "run.db").string();
  config.http.port = 0;
  config.fileTokens = {{server::hashToken(kOperatorToken), "olga", "operator"},
                       {server::hashToken(kViewerToken), "victor", "viewer"},
                       {server::hashToken(kAdminToken), "ada", "admin"}};
  Result<std::unique_ptr<server::StationServer>> s =
      server::StationServer::start(std::move(config));
  if (!s) {
    ADD_FAILURE() << "the server did not start: " << s.error().message;
    return nullptr;
  }
  return std::move(s).value();
}

// A fresh, empty folder for the running test: PREFIX-PID-TESTNAME under the temp directory.
inline std::filesystem::path scratchDir(const std::string& prefix) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      (prefix + "-" + std::to_string(::getpid()) + "-" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

struct Reply {
  int status = 0;  // 0: no answer; `body` then says why
  std::string body;
};

// One request (`method` "GET", "POST", ...) on a fresh connection, answered within `patience`.
Reply request(unsigned short port, const std::string& method, const std::string& target,
              const std::string& body = "", const std::string& token = "",
              std::chrono::seconds patience = std::chrono::seconds(60));

inline Reply get(unsigned short port, const std::string& target, const std::string& token = "") {
  return request(port, "GET", target, "", token);
}

inline Reply post(unsigned short port, const std::string& target, const std::string& body,
                  const std::string& token = "") {
  return request(port, "POST", target, body, token);
}

// A WebSocket on /api/realtime with a token. `receiveBuffer` > 0 shrinks the socket's receive
// buffer (a slow subscriber). A failed or timed-out operation closes the connection.
class WsClient {
 public:
  WsClient(unsigned short port, const std::string& token, int receiveBuffer = 0);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Throw when the operation fails or is still pending after `within`.
  void send(const std::string& text, std::chrono::seconds within = std::chrono::seconds(30));
  std::string receive(std::chrono::seconds within = std::chrono::seconds(30));
  // The next message, or nothing when none comes by `deadline` or the stream ends.
  std::optional<std::string> receiveBy(std::chrono::steady_clock::time_point deadline);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Raw sockets: the bytes exactly as given, no client-side normalisation.
struct RawReply {
  int status = 0;
  std::string head, body;
};

// A plain TCP socket to the server whose reads time out after 5 s; -1 on failure.
int connectTo(unsigned short port);
// Everything the server sends until it closes the connection (or a read times out).
std::string readAll(int fd);
RawReply parseReply(const std::string& text);
// One request with the target exactly as given, on its own connection (status 0: no answer).
RawReply raw(unsigned short port, const std::string& target, const std::string& method = "GET",
             const std::string& extraHeaders = "");

}  // namespace leakhunt::test
