// `leakhunt serve [--station FILE] [--scenario FILE --speed N [--autopilot]] [--db FILE] [--port
// 8080]
// [--listen ADDR] [--tokens FILE] [--web DIR] [--public-read]`: the live server, the Open MCT
// dashboard and the archive. A thin shell over src/server (docs/server.md).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/command_error.hpp"
#include "cli/commands.hpp"
#include "cli/detector_option.hpp"
#include "cli/implausible.hpp"
#include "harness/simulated_station.hpp"
#include "model/load.hpp"
#include "server/access.hpp"
#include "server/station_server.hpp"

namespace leakhunt::cli {
namespace {

struct ServeArgs {
  std::string station, scenario, db, listen = "127.0.0.1", tokens, web, adminTokenFile;
  std::vector<std::string> allowedHosts;
  std::size_t maxConnections = 0;
  double speed = 1.0;
  int port = 8080;
  bool publicRead = false;
  bool autopilot = false;
  std::string detector;  // addDetectorOption's
  int requestTimeoutMs = 10000;
  std::size_t maxBodyBytes = 8u << 20;
  std::size_t queueFrames = 1024;
};

std::string defaultDb(const ServeArgs& a) {
  const std::string from = !a.scenario.empty() ? a.scenario : a.station;
  return std::filesystem::path(from).stem().string() + ".leakhunt.db";
}

// Writes the bootstrap admin token to `file`, readable by this user alone from the first byte:
// created 0600 (never created wider and chmod-ed after), an existing file truncated only
// after its mode is narrowed, a symlink refused.
Result<bool> writeSecret(const std::string& file, const std::string& secret) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Error{file + ": cannot write the admin token: " + std::strerror(errno)};
  const std::string text = secret + "\n";
  const bool ok = ::fchmod(fd, 0600) == 0 && ::ftruncate(fd, 0) == 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int saved = errno;
  ::close(fd);
  if (!ok) return Error{file + ": cannot write the admin token: " + std::strerror(saved)};
  return true;
}

int runServe(const ServeArgs& a) {
  if (a.station.empty() && a.scenario.empty()) {
    std::cerr << "leakhunt serve: give --station FILE or --scenario FILE (see --help)\n";
    return 2;
  }
  if (!(a.speed >= 0)) {
    std::cerr << "leakhunt serve: --speed must be >= 0 (0: as fast as the simulator runs)\n";
    return 2;
  }
  if (a.autopilot && a.scenario.empty()) {
    std::cerr << "leakhunt serve: --autopilot needs --scenario (it is the simulated crew)\n";
    return 2;
  }
  server::ServeConfig config;
  config.core.detector.model = detectorModelOf(a.detector);
  std::optional<model::Scenario> scenario;
  if (!a.scenario.empty()) {
    Result<model::Scenario> sc = model::loadScenario(a.scenario);
    if (!sc) {
      std::cerr << sc.error().message << "\n";
      return 1;
    }
    scenario = std::move(sc).value();
    warnImplausible(scenario->station, "serve");
    warnScenario(scenario->warnings, "serve");
    config.station = scenario->station;
  }
  if (!a.station.empty()) {
    Result<model::Station> st = model::loadStation(a.station);
    if (!st) {
      std::cerr << st.error().message << "\n";
      return 1;
    }
    config.station = std::move(st).value();
    if (scenario) scenario->station = config.station;
  }
  if (scenario) {  // the simulated station (harness) is the telemetry source
    harness::FeedOptions feed;
    feed.speed = a.speed;
    feed.autopilot = a.autopilot;
    config.source = std::make_unique<harness::SimulatedStation>(std::move(*scenario), feed);
  }
  if (!a.tokens.empty()) {
    auto t = server::readTokensFile(a.tokens);
    if (!t) {
      std::cerr << t.error().message << "\n";
      return 1;
    }
    config.fileTokens = std::move(t).value();
  }
  config.archivePath = a.db.empty() ? defaultDb(a) : a.db;
  config.http.listen = a.listen;
  config.http.port = static_cast<unsigned short>(a.port);
  config.http.webRoot = a.web.empty() ? std::string(LEAKHUNT_WEB_DIR) : a.web;
  config.http.publicRead = a.publicRead;
  config.http.requestTimeout = std::chrono::milliseconds(a.requestTimeoutMs);
  config.http.maxBodyBytes = a.maxBodyBytes;
  config.http.subscriberQueueFrames = a.queueFrames;
  config.http.allowedHosts = a.allowedHosts;
  config.http.maxConnections = a.maxConnections;

  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  auto started = server::StationServer::start(std::move(config));
  if (!started) return fail("serve", started.error().message, 1);
  server::StationServer& s = **started;
  const std::string db = a.db.empty() ? defaultDb(a) : a.db;
  if (!s.bootstrapToken().empty()) {
    const std::string file = a.adminTokenFile.empty() ? db + ".admin-token" : a.adminTokenFile;
    if (Result<bool> w = writeSecret(file, s.bootstrapToken()); !w) {
      std::cerr << "leakhunt serve: " << w.error().message
                << " (stopping: without it nobody could manage tokens)\n";
      s.stop();
      return 1;
    }
    std::cerr << "leakhunt serve: no tokens yet; an admin token was made and written to " << file
              << " (mode 0600). It is a SECRET: whoever reads it holds every right on this "
                 "server. Only its hash is kept in the archive. Move it somewhere safe, or "
                 "give --admin-token-file PATH on the first start.\n";
  }
  if (!std::filesystem::exists(std::filesystem::path(a.web.empty() ? LEAKHUNT_WEB_DIR : a.web) /
                               "index.html"))
    std::cerr << "leakhunt serve: no dashboard at " << (a.web.empty() ? LEAKHUNT_WEB_DIR : a.web)
              << " (build the `web` target); the API still runs\n";
  std::printf("leakhunt serve: listening on http://%s:%u/ (archive %s)\n", a.listen.c_str(),
              s.port(), db.c_str());
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stopSignals, &signal);
  std::fprintf(stderr, "leakhunt serve: stopping (signal %d)\n", signal);
  s.stop();
  return 0;
}

}  // namespace

void addServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "live server, Open MCT dashboard and archive");
  cmd->footer(R"(
Serves the Open MCT dashboard at http://ADDR:PORT/ and the API under /api (docs/server.md):
  GET  /api/dictionary, /api/station, /api/status, /api/plan      (viewer)
  GET  /api/history/CHANNEL?start=MS&end=MS[&strategy=minmax&size=N|latest]
  WS   /api/realtime   {"op":"subscribe","id":CHANNEL}, {"op":"ingest","samples":[...]}
  POST /api/telemetry  [{"time":"2018-08-29T20:00:00Z","channel":"zvezda.pressure","value":101325}]
  POST /api/actions    {"kind":"hatch","hatch":"pma1-unity","state":"closed"}   (operator)
                       {"kind":"confirm","step":0}: the proposed step (GET /api/plan)
  POST /api/tokens     {"name":"flight","role":"operator"}                     (admin)
Every write needs "Authorization: Bearer TOKEN"; every sample and action is acknowledged only
once it is durable in the archive (SQLite, WAL). On a first start with no tokens, an admin token
is written to DB.admin-token (or --admin-token-file), mode 0600: it is a secret. Values are SI
(Pa, K, kg/s, m, s); times on the wire are ms.

Safety (docs/server.md, threat model): only the dashboard's own files are served; requests whose
Host is not an IP address, localhost or an --allowed-host are refused (DNS rebinding); browser
WebSockets must come from this server's own pages; connections are capped.

Examples:
  leakhunt serve --scenario data/scenarios/soyuz-ms09-2018.yaml --speed 600
  leakhunt serve --scenario data/scenarios/soyuz-ms09-2018.yaml --speed 600 --autopilot
  leakhunt serve --station data/stations/iss-2018.yaml --db iss.db --tokens tokens.txt
  leakhunt audit verify soyuz-ms09-2018.leakhunt.db)");
  cmd->add_option("--station", args->station, "station description (YAML)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--scenario", args->scenario,
                  "scenario run live as the telemetry source (its station unless --station)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--speed", args->speed,
                  "simulated seconds per wall second for --scenario (0: as fast as it runs)")
      ->capture_default_str();
  addDetectorOption(cmd, &args->detector);
  cmd->add_flag("--autopilot", args->autopilot,
                "with --scenario: the simulated crew carries out each proposed step by itself");
  cmd->add_option("--db", args->db, "archive file (SQLite, WAL) [default: STEM.leakhunt.db]");
  cmd->add_option("--port", args->port, "TCP port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--listen", args->listen, "address to bind")->capture_default_str();
  cmd->add_option("--tokens", args->tokens, "tokens file: one 'role name token' per line")
      ->check(CLI::ExistingFile);
  cmd->add_option("--web", args->web, "dashboard directory [default: the build's web/dist]");
  cmd->add_flag("--public-read", args->publicRead, "let reads through without a token");
  cmd->add_option("--admin-token-file", args->adminTokenFile,
                  "where a first start writes the admin token [default: DB.admin-token]");
  cmd->add_option("--allowed-host", args->allowedHosts,
                  "a host name clients may use besides IP addresses and localhost (repeatable)");
  cmd->add_option("--max-connections", args->maxConnections,
                  "open connections at most, then 503 [default: from the descriptor limit]");
  cmd->add_option("--request-timeout-ms", args->requestTimeoutMs,
                  "a request must arrive within this, else 408 and close [ms]")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-body-bytes", args->maxBodyBytes, "larger bodies get 413 [bytes]")
      ->capture_default_str();
  cmd->add_option("--subscriber-queue", args->queueFrames,
                  "frames queued per WebSocket client before it starts missing some")
      ->capture_default_str();
  cmd->callback([args] {
    const int code = runServe(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace leakhunt::cli
