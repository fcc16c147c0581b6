// Everything `leakhunt serve` runs, assembled: archive, catalogue, core (detector), hub,
// plan board, HTTP/WebSocket server and, optionally, a live telemetry source. Tests start it
// in-process.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/archive.hpp"
#include "base/result.hpp"
#include "model/station.hpp"
#include "server/http_server.hpp"
#include "server/telemetry_source.hpp"

namespace leakhunt::server {

struct ServeConfig {
  model::Station station;
  // Started with the server when set (`serve --scenario`: the harness's simulated station):
  // its log is the station's log, its clock the station's.
  std::unique_ptr<TelemetrySource> source;
  std::string archivePath;
  std::vector<archive::StoredToken> fileTokens;  // from --tokens (kept in memory only)
  HttpOptions http;
  CoreOptions core;
  CatalogOptions catalog;
};

class StationServer {
 public:
  // Opens the archive, loads tokens, binds the port, starts the feed. When no token exists
  // anywhere, an admin token is created and its text returned in `bootstrapToken`.
  static Result<std::unique_ptr<StationServer>> start(ServeConfig config);
  ~StationServer();

  unsigned short port() const;
  const std::string& bootstrapToken() const { return m_bootstrapToken; }
  PlanBoard& plan() { return m_plan; }
  void stop();

 private:
  StationServer() = default;

  ServeConfig m_config;
  std::unique_ptr<archive::ArchiveWriter> m_writer;
  std::unique_ptr<Catalog> m_catalog;
  Hub m_hub;
  TokenBook m_tokens;
  PlanBoard m_plan;
  std::unique_ptr<Core> m_core;
  std::unique_ptr<HttpServer> m_http;
  std::string m_bootstrapToken;
  bool m_stopped = false;
};

}  // namespace leakhunt::server
