#include "server/api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "server/bounded_json.hpp"
#include "server/request_parsing.hpp"

namespace leakhunt::server {

namespace {

using nlohmann::json;

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() + 0 && hexValue(s[i + 1]) >= 0 &&
               hexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<double> numberParam(const Target& t, const char* key) {
  const auto it = t.query.find(key);
  if (it == t.query.end()) return std::nullopt;
  double v = 0.0;
  const char* b = it->second.data();
  const auto [end, ec] = std::from_chars(b, b + it->second.size(), v);
  if (ec != std::errc() || end != b + it->second.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

double wallNowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

http::status statusOf(int code) { return static_cast<http::status>(code); }

// A plan is read by every dashboard on every refresh: generous for hundreds of steps, far
// below the body limit.
constexpr std::size_t kMaxPlanBytes = 256u << 10;

}  // namespace

Target parseTarget(std::string_view target) {
  Target t;
  const auto q = target.find('?');
  t.path = percentDecode(target.substr(0, q));
  if (q == std::string_view::npos) return t;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    t.query[percentDecode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : percentDecode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return t;
}

Result<std::unique_ptr<archive::ArchiveReader>> ReaderPool::take() {
  {
    std::lock_guard lock(m_mutex);
    if (!m_free.empty()) {
      auto r = std::move(m_free.back());
      m_free.pop_back();
      return r;
    }
  }
  return archive::ArchiveReader::open(m_path);
}

void ReaderPool::give(std::unique_ptr<archive::ArchiveReader> reader) {
  std::lock_guard lock(m_mutex);
  m_free.push_back(std::move(reader));
}

std::vector<archive::Point> minMaxDownsample(const std::vector<archive::Point>& points,
                                             double start_s, double end_s, std::size_t buckets) {
  if (buckets == 0 || points.size() <= 2 * buckets) return points;
  std::vector<archive::Point> out;
  out.reserve(2 * buckets);
  const double width = std::max(end_s - start_s, 1e-9) / static_cast<double>(buckets);
  std::size_t i = 0;
  while (i < points.size()) {
    const auto bucket = static_cast<long>((points[i].time_s - start_s) / width);
    std::size_t lo = i, hi = i, j = i;
    for (; j < points.size() && static_cast<long>((points[j].time_s - start_s) / width) == bucket;
         ++j) {
      if (points[j].value < points[lo].value) lo = j;
      if (points[j].value > points[hi].value) hi = j;
    }
    out.push_back(points[std::min(lo, hi)]);
    if (lo != hi) out.push_back(points[std::max(lo, hi)]);
    i = j;
  }
  return out;
}

Api::Api(const HttpOptions& options, ServerParts parts, Connections& connections)
    : m_options(options),
      m_parts(parts),
      m_readers(options.archivePath),
      m_connections(connections) {}

Response Api::json(const Request& request, http::status status, std::string body) {
  Response r{status, request.version()};
  r.set(http::field::content_type, "application/json");
  r.set(http::field::cache_control, "no-store");
  r.keep_alive(request.keep_alive());
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

Response Api::error(const Request& request, http::status status, const std::string& message) {
  Response r = json(request, status, dumpForClient({{"error", printable(message, 400)}}));
  if (status == http::status::unauthorized)
    r.set(http::field::www_authenticate, "Bearer realm=\"leakhunt\"");
  return r;
}

std::optional<Identity> Api::identify(const Request& request) const {
  std::string_view token;
  const auto auth = request.find(http::field::authorization);
  std::string fromQuery;
  if (auth != request.end()) {
    const std::string_view v(auth->value().data(), auth->value().size());
    if (v.substr(0, 7) == "Bearer ") token = v.substr(7);
  } else if (request.method() == http::verb::get) {
    const Target t =
        parseTarget(std::string_view(request.target().data(), request.target().size()));
    const auto it = t.query.find("access_token");
    if (it != t.query.end()) fromQuery = it->second;
    token = fromQuery;
  }
  return m_parts.tokens.authenticate(token);
}

bool Api::mayRead(const std::optional<Identity>& who) const {
  return m_options.publicRead || who.has_value();
}

Result<std::string> Api::history(const std::string& channel, const Target& target) {
  const auto start = numberParam(target, "start");
  const auto end = numberParam(target, "end");
  if (!start || !end) return Error{"start and end are required: numbers of ms since 1970"};
  if (*end < *start) return Error{"end is before start"};
  const bool events = channel == derived::kEvents;
  const int c = m_parts.catalog.find(channel);
  if (!events && c < 0) return Error{"unknown channel '" + channel + "'"};
  Result<std::unique_ptr<archive::ArchiveReader>> reader = m_readers.take();
  if (!reader) return reader.error();
  std::string out = "[";
  const double s0 = *start / 1000.0, s1 = *end / 1000.0;
  const auto strategy = target.query.find("strategy");
  const bool latest = strategy != target.query.end() && strategy->second == "latest";
  if (events) {
    for (const auto& e : (*reader)->entries(archive::RecordKind::Event, s0, s1, 10000)) {
      nlohmann::json d = nlohmann::json::parse(e.payload, nullptr, false);
      if (!d.is_object()) continue;
      d["id"] = derived::kEvents;
      d["timestamp"] = std::llround(e.time_s * 1000.0);
      d["seq"] = e.seq;
      out += (out.size() > 1 ? "," : "") + dumpForClient(d);
    }
  } else if (latest) {
    if (const auto p = (*reader)->latest(channel, s1))
      m_parts.catalog.appendDatum(out, c, p->time_s, p->value, true);
  } else {
    std::vector<archive::Point> points = (*reader)->history(channel, s0, s1);
    const auto size = numberParam(target, "size");
    std::size_t cap = m_options.maxHistoryPoints;
    if (strategy != target.query.end() && strategy->second == "minmax" && size && *size >= 2)
      cap = std::min(cap, static_cast<std::size_t>(*size));
    if (points.size() > cap) points = minMaxDownsample(points, s0, s1, cap / 2);
    out.reserve(points.size() * 48);
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (i) out += ',';
      m_parts.catalog.appendDatum(out, c, points[i].time_s, points[i].value, true);
    }
  }
  m_readers.give(std::move(reader).value());
  out += ']';
  return out;
}

void Api::handle(const Request& request, Respond respond) {
  const Target target =
      parseTarget(std::string_view(request.target().data(), request.target().size()));
  const std::string& path = target.path;
  const std::optional<Identity> who = identify(request);
  const bool get = request.method() == http::verb::get;
  const bool post = request.method() == http::verb::post;
  auto needRead = [&]() -> bool {
    if (mayRead(who)) return true;
    respond(error(request, http::status::unauthorized,
                  "a token is needed: Authorization: Bearer TOKEN (or ?access_token=)"));
    return false;
  };
  auto needRole = [&](Role role) -> bool {
    if (!who) {
      respond(error(request, http::status::unauthorized,
                    "writing needs a token: Authorization: Bearer TOKEN"));
      return false;
    }
    if (who->role < role) {
      respond(error(request, http::status::forbidden,
                    fmt::format("'{}' is a {}; this needs the {} role", who->name,
                                toString(who->role), toString(role))));
      return false;
    }
    return true;
  };

  if (get && (path == "/api/dictionary" || path == "/api/station" || path == "/api/status" ||
              path == "/api/plan" || path == "/api/whoami")) {
    if (!needRead()) return;
    nlohmann::json body;
    if (path == "/api/dictionary")
      body = m_parts.catalog.dictionary();
    else if (path == "/api/station")
      body = m_parts.catalog.stationJson();
    else if (path == "/api/status")
      body = m_parts.core.status();
    else if (path == "/api/plan") {
      // The operations core's plan; a plan an outside program posted rides along as
      // "outside" (it is not the core's, and the views say whose it is).
      body = m_parts.core.plan();
      const nlohmann::json outside = m_parts.plan.current();
      if (outside.value("available", false)) body["outside"] = outside;
    } else
      body = who ? nlohmann::json{{"name", who->name}, {"role", toString(who->role)}}
                 : nlohmann::json{{"name", nullptr}, {"role", nullptr}};
    return respond(json(request, http::status::ok, dumpForClient(body)));
  }
  if (get && (path.rfind("/api/history/", 0) == 0 || path == "/api/events")) {
    if (!needRead()) return;
    const std::string channel =
        path == "/api/events" ? std::string(derived::kEvents) : path.substr(13);
    Result<std::string> body = history(channel, target);
    if (!body)
      return respond(error(request,
                           body.error().message.rfind("unknown channel", 0) == 0
                               ? http::status::not_found
                               : http::status::bad_request,
                           body.error().message));
    return respond(json(request, http::status::ok, std::move(body).value()));
  }
  if (post && path == "/api/telemetry") {
    if (!needRole(Role::Operator)) return;
    return postTelemetry(request, *who, std::move(respond));
  }
  if (post && path == "/api/actions") {
    if (!needRole(Role::Operator)) return;
    return postAction(request, *who, std::move(respond));
  }
  if (post && path == "/api/tokens") {
    if (!needRole(Role::Admin)) return;
    return postToken(request, *who, std::move(respond));
  }
  if (post && path == "/api/plan") {
    if (!needRole(Role::Operator)) return;
    return postPlan(request, *who, std::move(respond));
  }
  const bool known = path == "/api/telemetry" || path == "/api/actions" || path == "/api/tokens" ||
                     path == "/api/plan" || path == "/api/dictionary" || path == "/api/station" ||
                     path == "/api/status" || path == "/api/whoami" || path == "/api/events" ||
                     path.rfind("/api/history/", 0) == 0;
  if (known)
    return respond(error(request, http::status::method_not_allowed,
                         std::string(request.method_string()) + " is not allowed on " + path));
  respond(error(request, http::status::not_found, "no such resource: " + path));
}

void Api::postTelemetry(const Request& request, const Identity& who, Respond respond) {
  Result<std::vector<IncomingSample>> batch = parseTelemetryBatch(request.body());
  if (!batch) return respond(error(request, http::status::bad_request, batch.error().message));
  const Request& req = request;  // copied into the completion below: only version/keep-alive
  const unsigned version = req.version();
  const bool keepAlive = req.keep_alive();
  m_parts.core.ingest(std::move(batch).value(), who.name,
                      [respond = std::move(respond), version, keepAlive](const Outcome& o) {
                        Request shape;
                        shape.version(version);
                        shape.keep_alive(keepAlive);
                        if (o.status != 200)
                          return respond(error(shape, statusOf(o.status), o.error));
                        nlohmann::json body{{"accepted", o.samples}, {"seq", o.seq}};
                        if (!o.warnings.empty()) body["warnings"] = o.warnings;
                        respond(json(shape, http::status::ok, body.dump()));
                      });
}

void Api::postAction(const Request& request, const Identity& who, Respond respond) {
  Result<Action> action = parseAction(request.body());
  if (!action) return respond(error(request, http::status::bad_request, action.error().message));
  const unsigned version = request.version();
  const bool keepAlive = request.keep_alive();
  m_parts.core.act(
      std::move(action).value(), who,
      [respond = std::move(respond), version, keepAlive, name = who.name](const Outcome& o) {
        Request shape;
        shape.version(version);
        shape.keep_alive(keepAlive);
        if (o.status != 200) return respond(error(shape, statusOf(o.status), o.error));
        respond(json(shape, http::status::ok, nlohmann::json{{"seq", o.seq}, {"by", name}}.dump()));
      });
}

void Api::postToken(const Request& request, const Identity& who, Respond respond) {
  Result<TokenRequest> t = parseTokenRequest(request.body());
  if (!t) return respond(error(request, http::status::bad_request, t.error().message));
  const std::string token = newToken();
  archive::StoredToken stored{hashToken(token), t->name, t->role};
  const unsigned version = request.version();
  const bool keepAlive = request.keep_alive();
  TokenBook& book = m_parts.tokens;
  Connections& connections = m_connections;
  const double now = wallNowMs() / 1000.0;
  m_parts.core.onIngestThread(
      [stored, actor = who.name, now, &book](archive::ArchiveWriter& w) {
        w.addToken(stored, actor, now);
        book.add(stored);
        return Outcome{};
      },
      [respond = std::move(respond), version, keepAlive, token, stored,
       &connections](const Outcome& o) {
        Request shape;
        shape.version(version);
        shape.keep_alive(keepAlive);
        if (o.status != 200) return respond(error(shape, statusOf(o.status), o.error));
        // A replaced token's WebSockets were opened with the old one: they end now.
        connections.revoke(stored.name);
        respond(json(
            shape, http::status::created,
            nlohmann::json{{"name", stored.name}, {"role", stored.role}, {"token", token}}.dump()));
      });
}

void Api::postPlan(const Request& request, const Identity& who, Respond respond) {
  if (request.body().size() > kMaxPlanBytes)
    return respond(error(request, http::status::payload_too_large,
                         "a plan is at most " + std::to_string(kMaxPlanBytes / 1024) + " KiB"));
  Result<nlohmann::json> parsed = parseBoundedJson(request.body());
  if (!parsed)
    return respond(
        error(request, http::status::bad_request, "the plan is " + parsed.error().message));
  nlohmann::json plan = std::move(parsed).value();
  if (!plan.is_object())
    return respond(error(request, http::status::bad_request, "a plan is a JSON object"));
  if (plan.contains("posterior")) {
    const auto& p = plan["posterior"];
    bool ok = p.is_object();
    if (ok)
      for (const auto& [module, prob] : p.items())
        ok = ok && prob.is_number() && prob.get<double>() >= 0 && prob.get<double>() <= 1 &&
             m_parts.catalog.station().moduleIndex(module) >= 0;
    if (!ok)
      return respond(error(request, http::status::unprocessable_entity,
                           "\"posterior\" must map module ids to probabilities in [0, 1]"));
  }
  m_parts.plan.publish(std::move(plan), who.name, wallNowMs());
  respond(json(request, http::status::ok, nlohmann::json{{"published", true}}.dump()));
}

}  // namespace leakhunt::server
