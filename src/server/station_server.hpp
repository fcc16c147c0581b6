// Everything `leakhunt serve` runs, assembled: archive, catalogue, core (detector), hub,
// plan board, HTTP/WebSocket server and, optionally, a scenario feed. Tests start it in-process.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/archive.hpp"
#include "base/result.hpp"
#include "model/scenario.hpp"
#include "model/station.hpp"
#include "server/http_server.hpp"
#include "server/scenario_feed.hpp"

namespace leakhunt::server {

struct ServeConfig {
  model::Station station;
  std::optional<model::Scenario> scenario;  // fed live at `speed` when set
  double speed = 1.0;
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
  // "" while running or after a clean end; the error when the scenario feed failed.
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
  std::unique_ptr<ScenarioFeed> m_feed;
  std::string m_bootstrapToken;
  bool m_stopped = false;
};

}  // namespace leakhunt::server
