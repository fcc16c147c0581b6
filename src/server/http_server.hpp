// The network face: Boost.Beast HTTP/1.1 and WebSocket on Boost.Asio, a few I/O threads,
// one strand per connection. Every request has a deadline (a slow-loris client gets 408 and
// is dropped), a header and body limit (413), and errors come back as {"error": "..."} with a
// 4xx status; the server keeps serving. Nothing a client sends can end or stall it: every
// handler's exceptions are caught at the connection, connections are capped, queues and
// nesting are bounded (docs/server.md, threat model). Routes: docs/server.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "server/access.hpp"
#include "server/catalog.hpp"
#include "server/core.hpp"
#include "server/hub.hpp"
#include "server/plan_board.hpp"

namespace leakhunt::server {

struct HttpOptions {
  std::string listen = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (see HttpServer::port)
  std::string webRoot;         // the built dashboard (static files); empty: no dashboard
  std::string archivePath;     // read-only connections for history
  std::size_t maxBodyBytes = 8u << 20;
  std::chrono::milliseconds requestTimeout{10000};  // whole request, headers and body
  std::size_t subscriberQueueFrames = 1024;         // per WebSocket client, then frames drop
  std::size_t maxHistoryPoints = 200000;            // more: min/max downsampled to this
  bool publicRead = false;                          // reads without a token
  int threads = 2;
  // Open connections at most (HTTP and WebSocket); past it a new one gets 503 and is closed.
  // 0: from the process's file-descriptor limit, less a reserve for the archive and logs.
  std::size_t maxConnections = 0;
  std::vector<std::string> allowedHosts;   // Host names served besides IPs and localhost
  std::chrono::seconds wsIdleTimeout{60};  // silent WebSocket (no pong either): closed
  std::size_t wsControlFrames = 64;        // unread replies per WebSocket, then closed
};

struct ServerParts {
  Core& core;
  Hub& hub;
  const Catalog& catalog;
  TokenBook& tokens;
  PlanBoard& plan;
};

class HttpServer {
 public:
  HttpServer(HttpOptions options, ServerParts parts);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the I/O threads; an Error when the address cannot be bound.
  Result<bool> start();
  unsigned short port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace leakhunt::server
