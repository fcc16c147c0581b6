#include "server/station_server.hpp"

#include <chrono>

#include "detect/logged_events.hpp"

namespace leakhunt::server {

Result<std::unique_ptr<StationServer>> StationServer::start(ServeConfig config) {
  std::unique_ptr<StationServer> s(new StationServer());
  s->m_config = std::move(config);
  ServeConfig& c = s->m_config;
  Result<std::unique_ptr<archive::ArchiveWriter>> writer =
      archive::ArchiveWriter::open(c.archivePath);
  if (!writer) return writer.error();
  s->m_writer = std::move(writer).value();
  s->m_catalog = std::make_unique<Catalog>(c.station, c.catalog);

  for (const archive::StoredToken& t : s->m_writer->tokens()) s->m_tokens.add(t);
  for (const archive::StoredToken& t : c.fileTokens) s->m_tokens.add(t);
  if (s->m_tokens.empty()) {
    s->m_bootstrapToken = newToken();
    const archive::StoredToken admin{hashToken(s->m_bootstrapToken), "admin", "admin"};
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    s->m_writer->addToken(admin, "leakhunt serve (first start)", now);
    s->m_tokens.add(admin);
  }

  detect::LoggedEvents log;
  if (c.source) log = c.source->loggedEvents();
  // The source's clock is the station's: operators' times are judged against the feed's.
  if (c.source) c.core.scenarioStart_s = c.source->clockStart_s();
  c.http.archivePath = c.archivePath;
  s->m_core = std::make_unique<Core>(c.station, *s->m_catalog, *s->m_writer, c.archivePath,
                                     s->m_hub, std::move(log), c.core);
  if (c.source) s->m_core->attach(c.source.get());
  s->m_http = std::make_unique<HttpServer>(
      c.http, ServerParts{*s->m_core, s->m_hub, *s->m_catalog, s->m_tokens, s->m_plan});
  if (Result<bool> bound = s->m_http->start(); !bound) {
    s->m_core->stop();
    return bound.error();
  }
  if (c.source) c.source->start(*s->m_catalog, *s->m_core);
  return s;
}

StationServer::~StationServer() { stop(); }

unsigned short StationServer::port() const { return m_http->port(); }

void StationServer::stop() {
  if (m_stopped) return;
  m_stopped = true;
  if (m_config.source) m_config.source->stop();
  // Either may be missing when start() failed (an archive refused): the destructor still runs.
  // HTTP first: no new requests; pending completions are dropped with the I/O context. Then the
  // core finishes (and archives) what was queued.
  if (m_http) m_http->stop();
  if (m_core) m_core->stop();
}

}  // namespace leakhunt::server
