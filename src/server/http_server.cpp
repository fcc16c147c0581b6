#include "server/http_server.hpp"

#include <sys/resource.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/api.hpp"
#include "server/bounded_json.hpp"
#include "server/connections.hpp"
#include "server/origin_policy.hpp"
#include "server/request_parsing.hpp"
#include "server/web_root.hpp"
#include "server/ws_message.hpp"

namespace leakhunt::server {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

// The dashboard's policy (openmct.md 3.5): Open MCT compiles Vue templates at run time
// ('unsafe-eval') and injects inline styles; everything else comes from this origin.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const char* mimeType(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript";
  if (ext == ".css") return "text/css";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".woff") return "font/woff";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".ico") return "image/x-icon";
  return "application/octet-stream";
}

// What every connection shares: the routes, the static files, the connection book.
struct Site {
  Api& api;
  const WebRoot& web;
  Connections& connections;
  const HttpOptions& options;
};

// Logged, never thrown further: a handler's failure ends at most its own request.
void logFailure(const char* where, const std::exception& e) {
  std::cerr << "leakhunt serve: " << where << ": " << e.what() << " (the server keeps serving)\n";
}

// A WebSocket client: subscriptions out (bounded queue, drops counted and reported), ingest
// and subscribe requests in, replies on a bounded control queue (a client that asks and never
// reads is closed, not buffered for).
class WsSession : public Subscriber, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket&& socket, Site site, std::optional<Identity> who, Connections::Slot slot)
      : m_ws(std::move(socket)), m_site(site), m_who(std::move(who)), m_slot(std::move(slot)) {}
  ~WsSession() override { m_site.api.hub().remove(this); }

  void run(Request request) {
    websocket::stream_base::timeout t =
        websocket::stream_base::timeout::suggested(beast::role_type::server);
    t.idle_timeout = m_site.options.wsIdleTimeout;
    t.keep_alive_pings = true;  // a live browser answers the pings; a dead peer is dropped
    m_ws.set_option(t);
    m_ws.read_message_max(m_site.options.maxBodyBytes);
    if (m_who) {
      std::weak_ptr<WsSession> weak = shared_from_this();
      m_registration = m_site.connections.registerSession(m_who->name, [weak] {
        if (auto self = weak.lock())
          net::post(self->m_ws.get_executor(), [self] { self->closeRevoked(); });
      });
    }
    m_ws.async_accept(request, beast::bind_front_handler(&WsSession::onAccept, shared_from_this()));
  }

  void offer(std::shared_ptr<const std::string> frame, std::size_t datums) override {
    std::lock_guard lock(m_mutex);
    if (m_closed) return;
    if (m_queue.size() >= m_site.options.subscriberQueueFrames) {
      m_missed += datums;
      return;
    }
    if (m_missed) m_queue.push_back(missedFrame());
    m_queue.push_back(std::move(frame));
    kick();
  }

 private:
  // {"type":"missed","count":N}: N datums dropped since the last notice (under m_mutex).
  std::shared_ptr<const std::string> missedFrame() {
    auto f = std::make_shared<const std::string>(
        nlohmann::json{{"type", "missed"}, {"count", m_missed}}.dump());
    m_missed = 0;
    return f;
  }

  void control(std::string frame) {
    std::lock_guard lock(m_mutex);
    if (m_closed) return;
    if (m_control.size() >= m_site.options.wsControlFrames) {
      // It sends and does not read: its replies would grow without bound. Drop it.
      m_closed = true;
      net::post(m_ws.get_executor(), [self = shared_from_this()] { self->dropSocket(); });
      return;
    }
    m_control.push_back(std::make_shared<const std::string>(std::move(frame)));
    kick();
  }

  void kick() {  // under m_mutex
    if (m_writing) return;
    m_writing = true;
    net::post(m_ws.get_executor(),
              beast::bind_front_handler(&WsSession::doWrite, shared_from_this()));
  }

  void dropSocket() {
    beast::error_code ignored;
    beast::get_lowest_layer(m_ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(m_ws).socket().close(ignored);
  }

  // The token this session was opened with was replaced: it may no longer read.
  void closeRevoked() {
    {
      std::lock_guard lock(m_mutex);
      if (m_closed) return;
      m_closed = true;
    }
    m_site.api.hub().remove(this);
    dropSocket();
  }

  void onAccept(beast::error_code ec) {
    if (ec) return;
    doRead();
  }

  void doRead() {
    m_ws.async_read(m_buffer, beast::bind_front_handler(&WsSession::onRead, shared_from_this()));
  }

  void onRead(beast::error_code ec, std::size_t) {
    if (ec) {
      std::lock_guard lock(m_mutex);
      m_closed = true;
      return;
    }
    const std::string text = beast::buffers_to_string(m_buffer.data());
    m_buffer.consume(m_buffer.size());
    try {
      handle(text);
    } catch (const std::exception& e) {
      logFailure("a WebSocket message", e);
      control(wsErrorFrame(500, nullptr, "the server could not handle this message"));
    }
    {
      std::lock_guard lock(m_mutex);
      if (m_closed) return;
    }
    doRead();
  }

  void handle(const std::string& text) {
    WsMessage m = parseWsMessage(text);
    if (m.op == WsOp::Invalid) return control(wsErrorFrame(m.status, m.ref, m.error));
    if (m.op == WsOp::Subscribe || m.op == WsOp::Unsubscribe) {
      if (m.channel != derived::kEvents && m_site.api.catalog().find(m.channel) < 0)
        return control(wsErrorFrame(404, m.ref, "unknown channel '" + printable(m.channel) + "'"));
      if (m.op == WsOp::Subscribe)
        m_site.api.hub().subscribe(shared_from_this(), m.channel);
      else
        m_site.api.hub().unsubscribe(this, m.channel);
      return;
    }
    if (!m_who || m_who->role < Role::Operator)
      return control(wsErrorFrame(m_who ? 403 : 401, m.ref, "ingest needs an operator token"));
    std::weak_ptr<WsSession> self = shared_from_this();
    m_site.api.core().ingest(
        std::move(m.samples), m_who->name, [self, ref = m.ref](const Outcome& o) {
          if (auto s = self.lock())
            s->control(o.status != 200 ? wsErrorFrame(o.status, ref, o.error)
                                       : wsAckFrame(ref, o.seq, o.samples, o.warnings));
        });
  }

  void doWrite() {
    std::shared_ptr<const std::string> frame;
    {
      std::lock_guard lock(m_mutex);
      auto& from = !m_control.empty() ? m_control : m_queue;
      if (m_closed) {
        m_writing = false;
        return;
      }
      if (from.empty() && m_missed) {  // drained: tell the client now what it lost
        frame = missedFrame();
      } else if (from.empty()) {
        m_writing = false;
        return;
      } else {
        frame = std::move(from.front());
        from.pop_front();
      }
    }
    m_ws.text(true);
    m_ws.async_write(net::buffer(*frame),
                     [self = shared_from_this(), frame](beast::error_code ec, std::size_t) {
                       if (ec) {
                         std::lock_guard lock(self->m_mutex);
                         self->m_closed = true;
                         self->m_writing = false;
                         return;
                       }
                       self->doWrite();
                     });
  }

  websocket::stream<beast::tcp_stream> m_ws;
  Site m_site;
  std::optional<Identity> m_who;
  Connections::Slot m_slot;
  Connections::Registration m_registration;
  beast::flat_buffer m_buffer;
  std::mutex m_mutex;
  std::deque<std::shared_ptr<const std::string>> m_queue, m_control;
  std::size_t m_missed = 0;
  bool m_writing = false;
  bool m_closed = false;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, Site site, Connections::Slot slot)
      : m_stream(std::move(socket)),
        m_deadline(m_stream.get_executor()),
        m_site(site),
        m_slot(std::move(slot)) {}

  void run() {
    net::dispatch(m_stream.get_executor(),
                  beast::bind_front_handler(&HttpSession::doRead, shared_from_this()));
  }

 private:
  void doRead() {
    m_parser.emplace();
    m_parser->body_limit(m_site.options.maxBodyBytes);
    m_parser->header_limit(16 * 1024);
    m_timedOut = false;
    m_head = false;
    m_stream.expires_never();
    m_deadline.expires_after(m_site.options.requestTimeout);
    std::weak_ptr<HttpSession> weak = shared_from_this();
    m_deadline.async_wait([weak](beast::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) {
        self->m_timedOut = true;
        beast::error_code ignored;
        self->m_stream.socket().cancel(ignored);
      }
    });
    http::async_read(m_stream, m_buffer, *m_parser,
                     beast::bind_front_handler(&HttpSession::onRead, shared_from_this()));
  }

  void onRead(beast::error_code ec, std::size_t) {
    m_deadline.cancel();
    Request shape;
    shape.version(11);
    shape.keep_alive(false);
    if (m_timedOut) {
      if (m_buffer.size() == 0 && !m_parser->got_some()) return close();  // idle keep-alive
      return send(Api::error(shape, http::status::request_timeout,
                             "the request did not arrive in time; closing"));
    }
    if (ec == http::error::end_of_stream || ec == net::error::eof) return close();
    if (ec == http::error::body_limit)
      return send(Api::error(
          shape, http::status::payload_too_large,
          "the body is larger than " + std::to_string(m_site.options.maxBodyBytes) + " bytes"));
    if (ec == http::error::header_limit)
      return send(Api::error(shape, http::status::request_header_fields_too_large,
                             "the header is larger than 16 KiB"));
    if (ec) {
      if (ec == net::error::operation_aborted || ec == net::error::connection_reset) return close();
      return send(Api::error(shape, http::status::bad_request, "malformed HTTP: " + ec.message()));
    }
    Request request = m_parser->release();
    m_head = request.method() == http::verb::head;
    try {
      route(std::move(request));
    } catch (const std::exception& e) {
      logFailure("a request", e);
      send(Api::error(shape, http::status::internal_server_error,
                      "the server could not handle this request; it keeps serving"));
    }
  }

  void route(Request request) {
    const auto host = request.find(http::field::host);
    const std::string_view hostText =
        host == request.end() ? std::string_view()
                              : std::string_view(host->value().data(), host->value().size());
    if (host != request.end() && !hostAllowed(hostText, m_site.options.allowedHosts))
      return send(Api::error(request, http::status::misdirected_request,
                             "Host '" + printable(hostText, 80) +
                                 "' is not served here: use an IP address or localhost, or "
                                 "start the server with --allowed-host NAME"));
    const Target target =
        parseTarget(std::string_view(request.target().data(), request.target().size()));
    if (websocket::is_upgrade(request)) return upgrade(std::move(request), target, hostText);
    if (target.path.rfind("/api/", 0) == 0) {
      auto self = shared_from_this();
      m_site.api.handle(request, [self](Response response) {
        net::post(self->m_stream.get_executor(),
                  [self, r = std::move(response)]() mutable { self->send(std::move(r)); });
      });
      return;
    }
    serveFile(request, target.path);
  }

  void upgrade(Request request, const Target& target, std::string_view host) {
    if (target.path != "/api/realtime")
      return send(
          Api::error(request, http::status::not_found, "WebSocket endpoint is /api/realtime"));
    const auto origin = request.find(http::field::origin);
    if (origin != request.end() &&
        !originAllowed(std::string_view(origin->value().data(), origin->value().size()), host,
                       m_site.options.allowedHosts))
      return send(Api::error(request, http::status::forbidden,
                             "a WebSocket from another origin is refused: open the dashboard "
                             "from this server"));
    std::optional<Identity> who = m_site.api.identify(request);
    if (!m_site.api.mayRead(who))
      return send(Api::error(request, http::status::unauthorized, "a token is needed"));
    std::make_shared<WsSession>(m_stream.release_socket(), m_site, std::move(who),
                                std::move(m_slot))
        ->run(std::move(request));
  }

  void serveFile(const Request& request, const std::string& path) {
    if (request.method() != http::verb::get && request.method() != http::verb::head)
      return send(
          Api::error(request, http::status::method_not_allowed, "static files are GET only"));
    // The path is never joined onto a directory: only files in the start-up manifest exist.
    const std::optional<std::filesystem::path> file = m_site.web.find(path);
    const auto notFound = [&] {
      send(Api::error(request, http::status::not_found, "no such file: " + printable(path)));
    };
    if (!file) return notFound();
    beast::error_code ec;
    http::file_body::value_type body;
    body.open(file->c_str(), beast::file_mode::scan, ec);
    if (ec) return notFound();
    http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                        std::make_tuple(http::status::ok, request.version())};
    res.set(http::field::content_type, mimeType(file->extension().string()));
    res.set("Content-Security-Policy", kContentSecurityPolicy);
    res.set(http::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    res.keep_alive(request.keep_alive());
    res.prepare_payload();
    send(std::move(res));
  }

  template <class Body>
  void send(http::response<Body>&& response) {
    if (m_head) {  // the same header, no body: a body here would desynchronise pipelining
      m_head = false;
      return send(http::response<http::empty_body>(std::move(response.base())));
    }
    auto message = std::make_shared<http::response<Body>>(std::move(response));
    m_stream.expires_after(m_site.options.requestTimeout);  // a client that will not read
    http::async_write(m_stream, *message,
                      [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                        if (ec || message->need_eof()) return self->close();
                        self->doRead();
                      });
  }

  // Half-close, then read and discard what the client is still sending for a moment before
  // closing: closing a socket with unread bytes sends a reset, and the client (still writing
  // a body we refused with 413) would lose the answer that says why.
  void close() {
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return m_stream.close();
    m_stream.expires_after(std::chrono::seconds(2));
    drain();
  }

  void drain() {
    m_stream.async_read_some(
        net::buffer(m_discard), [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) return self->m_stream.close();  // end of stream, reset, or the 2 s are up
          self->drain();
        });
  }

  beast::tcp_stream m_stream;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
  net::steady_timer m_deadline;
  Site m_site;
  Connections::Slot m_slot;
  std::array<char, 16384> m_discard{};
  bool m_timedOut = false;
  bool m_head = false;
};

// The connection cap when none is given: the descriptor limit less a reserve for the
// archive's files, the log and the feed.
std::size_t defaultMaxConnections() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return 1024;
  const auto limit = static_cast<std::size_t>(r.rlim_cur);
  return limit > 96 ? std::min<std::size_t>(limit - 64, 4096) : std::max<std::size_t>(limit / 2, 4);
}

// Said to a connection past the cap, without a session: a few bytes on a fresh socket.
void refuseBusy(tcp::socket& s) {
  static const std::string kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: "
      "close\r\nRetry-After: 5\r\nContent-Length: 62\r\n\r\n"
      "{\"error\":\"too many connections; try again in a few seconds\"}\n";
  beast::error_code ec;
  s.non_blocking(true, ec);
  s.write_some(net::buffer(kBusy), ec);
  s.shutdown(tcp::socket::shutdown_both, ec);
  s.close(ec);
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpOptions o, ServerParts parts)
      : options(std::move(o)),
        connections(options.maxConnections ? options.maxConnections : defaultMaxConnections()),
        web(WebRoot::scan(options.webRoot)),
        api(options, parts, connections),
        ioc(options.threads),
        acceptor(ioc),
        backoff(ioc) {}

  Site site() { return Site{api, web, connections, options}; }

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted) return;
      if (ec) return pause(ec);  // out of descriptors, most likely: wait, do not spin
      // Nagle's algorithm holds a small write (an ack, a telemetry frame) until the peer acks
      // the one before, and the peer delays its ack by up to 40 ms: that, not the disk, was the
      // 30 ms median ack and 90 ms p99 delivery (docs/server.md). Every write here is a whole
      // message, so nothing is gained by coalescing.
      beast::error_code nodelay;
      s.set_option(tcp::no_delay(true), nodelay);
      if (Connections::Slot slot = connections.take())
        std::make_shared<HttpSession>(std::move(s), site(), std::move(slot))->run();
      else
        refuseBusy(s);
      accept();
    });
  }

  // An accept that fails (EMFILE, ENFILE, ENOBUFS) fails again at once: retrying in a loop
  // burns a core and starves the sessions that would free descriptors. Try again shortly.
  void pause(const beast::error_code& ec) {
    if (!acceptFailing.exchange(true))
      std::cerr << "leakhunt serve: cannot accept connections (" << ec.message()
                << "); retrying every 100 ms\n";
    backoff.expires_after(std::chrono::milliseconds(100));
    backoff.async_wait([this](beast::error_code e) {
      if (e == net::error::operation_aborted) return;
      acceptFailing = false;
      accept();
    });
  }

  // An exception that escapes a handler is logged and the thread goes back to serving.
  void runThread() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        logFailure("an I/O thread", e);
      }
    }
  }

  HttpOptions options;
  Connections connections;
  WebRoot web;
  Api api;  // before the I/O context: sessions it destroys still use the Api
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer backoff;
  std::atomic<bool> acceptFailing{false};
  std::vector<std::thread> threads;
};

HttpServer::HttpServer(HttpOptions options, ServerParts parts)
    : m_impl(std::make_unique<Impl>(std::move(options), parts)) {}

HttpServer::~HttpServer() { stop(); }

Result<bool> HttpServer::start() {
  Impl& s = *m_impl;
  beast::error_code ec;
  const auto address = net::ip::make_address(s.options.listen, ec);
  if (ec) return Error{"--listen: '" + s.options.listen + "' is not an IP address"};
  const tcp::endpoint endpoint{address, s.options.port};
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return Error{"cannot listen on " + s.options.listen + ":" + std::to_string(s.options.port) +
                 ": " + ec.message()};
  s.accept();
  for (int i = 0; i < std::max(1, s.options.threads); ++i)
    s.threads.emplace_back([&s] { s.runThread(); });
  return true;
}

unsigned short HttpServer::port() const { return m_impl->acceptor.local_endpoint().port(); }

void HttpServer::stop() {
  m_impl->ioc.stop();
  for (auto& t : m_impl->threads)
    if (t.joinable()) t.join();
  m_impl->threads.clear();
}

}  // namespace leakhunt::server
