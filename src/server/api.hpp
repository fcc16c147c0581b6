// The /api routes: what each request means, independent of how the bytes arrived.
#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/archive.hpp"
#include "server/connections.hpp"
#include "server/http_server.hpp"

namespace leakhunt::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Respond = std::function<void(Response)>;

// A request target split into its path and decoded query parameters.
struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};
Target parseTarget(std::string_view target);

// Read-only archive connections, one per concurrent request.
class ReaderPool {
 public:
  explicit ReaderPool(std::string path) : m_path(std::move(path)) {}
  class Lease;
  Result<std::unique_ptr<archive::ArchiveReader>> take();
  void give(std::unique_ptr<archive::ArchiveReader> reader);

 private:
  std::string m_path;
  std::mutex m_mutex;
  std::vector<std::unique_ptr<archive::ArchiveReader>> m_free;
};

// Min/max downsampling: `buckets` equal time buckets over [start, end], each giving its
// minimum and maximum point in time order, so spikes survive (what Open MCT plots ask for).
std::vector<archive::Point> minMaxDownsample(const std::vector<archive::Point>& points,
                                             double start_s, double end_s, std::size_t buckets);

class Api {
 public:
  Api(const HttpOptions& options, ServerParts parts, Connections& connections);

  // Calls `respond` exactly once, possibly later on another thread (writes wait for the
  // archive's commit).
  void handle(const Request& request, Respond respond);

  // The token holder: "Authorization: Bearer", or on a GET (the browser's WebSocket upgrade
  // cannot set headers) "?access_token=". A write never takes its token from the URL, where
  // proxies and logs keep it.
  std::optional<Identity> identify(const Request& request) const;
  bool mayRead(const std::optional<Identity>& who) const;
  // {"error": message}; the message is made printable (it may echo what the client sent).
  static Response error(const Request& request, http::status status, const std::string& message);
  static Response json(const Request& request, http::status status, std::string body);

  Core& core() { return m_parts.core; }
  Hub& hub() { return m_parts.hub; }
  const Catalog& catalog() const { return m_parts.catalog; }
  const HttpOptions& options() const { return m_options; }

  // The history body for one channel (or the event stream), as Open MCT's request() wants it.
  Result<std::string> history(const std::string& channel, const Target& target);

 private:
  void postTelemetry(const Request& request, const Identity& who, Respond respond);
  void postAction(const Request& request, const Identity& who, Respond respond);
  void postToken(const Request& request, const Identity& who, Respond respond);
  void postPlan(const Request& request, const Identity& who, Respond respond);

  HttpOptions m_options;
  ServerParts m_parts;
  ReaderPool m_readers;
  Connections& m_connections;
};

}  // namespace leakhunt::server
