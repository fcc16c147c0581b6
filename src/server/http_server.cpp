#include "server/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/api.hpp"
#include "server/request_parsing.hpp"

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
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; "
    "worker-src 'self' blob:";

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

// A WebSocket client: subscriptions out (bounded queue, drops counted and reported), ingest
// and subscribe requests in.
class WsSession : public Subscriber, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket&& socket, Api& api, std::optional<Identity> who)
      : m_ws(std::move(socket)), m_api(api), m_who(std::move(who)) {}
  ~WsSession() override { m_api.hub().remove(this); }

  void run(Request request) {
    m_ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    m_ws.read_message_max(m_api.options().maxBodyBytes);
    m_ws.async_accept(request, beast::bind_front_handler(&WsSession::onAccept, shared_from_this()));
  }

  void offer(std::shared_ptr<const std::string> frame, std::size_t datums) override {
    std::lock_guard lock(m_mutex);
    if (m_closed) return;
    if (m_queue.size() >= m_api.options().subscriberQueueFrames) {
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

  void control(nlohmann::json message) {
    std::lock_guard lock(m_mutex);
    if (m_closed) return;
    m_control.push_back(std::make_shared<const std::string>(message.dump()));
    kick();
  }

  void kick() {  // under m_mutex
    if (m_writing) return;
    m_writing = true;
    net::post(m_ws.get_executor(),
              beast::bind_front_handler(&WsSession::doWrite, shared_from_this()));
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
    handle(text);
    doRead();
  }

  void handle(const std::string& text) {
    const nlohmann::json m = nlohmann::json::parse(text, nullptr, false);
    if (!m.is_object() || !m.contains("op") || !m["op"].is_string())
      return control(
          {{"type", "error"},
           {"status", 400},
           {"message", "expected {\"op\": \"subscribe\"|\"unsubscribe\"|\"ingest\", ...}"}});
    const std::string op = m["op"].get<std::string>();
    const nlohmann::json ref = m.contains("ref") ? m["ref"] : nlohmann::json(nullptr);
    if (op == "subscribe" || op == "unsubscribe") {
      if (!m.contains("id") || !m["id"].is_string())
        return control({{"type", "error"},
                        {"status", 400},
                        {"ref", ref},
                        {"message", "\"id\" must be a channel name"}});
      const std::string id = m["id"].get<std::string>();
      if (id != derived::kEvents && m_api.catalog().find(id) < 0)
        return control({{"type", "error"},
                        {"status", 404},
                        {"ref", ref},
                        {"message", "unknown channel '" + id + "'"}});
      if (op == "subscribe")
        m_api.hub().subscribe(shared_from_this(), id);
      else
        m_api.hub().unsubscribe(this, id);
      return;
    }
    if (op == "ingest") {
      if (!m_who || m_who->role < Role::Operator)
        return control({{"type", "error"},
                        {"status", m_who ? 403 : 401},
                        {"ref", ref},
                        {"message", "ingest needs an operator token"}});
      Result<std::vector<IncomingSample>> batch =
          m.contains("samples")
              ? parseTelemetryBatch(m["samples"].dump())
              : Result<std::vector<IncomingSample>>(Error{"\"samples\" is missing"});
      if (!batch)
        return control(
            {{"type", "error"}, {"status", 400}, {"ref", ref}, {"message", batch.error().message}});
      std::weak_ptr<WsSession> self = shared_from_this();
      m_api.core().ingest(std::move(batch).value(), m_who->name, [self, ref](const Outcome& o) {
        if (auto s = self.lock()) {
          if (o.status != 200)
            s->control(
                {{"type", "error"}, {"status", o.status}, {"ref", ref}, {"message", o.error}});
          else
            s->control({{"type", "ack"}, {"ref", ref}, {"seq", o.seq}, {"accepted", o.samples}});
        }
      });
      return;
    }
    control(
        {{"type", "error"}, {"status", 400}, {"ref", ref}, {"message", "unknown op '" + op + "'"}});
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
  Api& m_api;
  std::optional<Identity> m_who;
  beast::flat_buffer m_buffer;
  std::mutex m_mutex;
  std::deque<std::shared_ptr<const std::string>> m_queue, m_control;
  std::size_t m_missed = 0;
  bool m_writing = false;
  bool m_closed = false;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, Api& api)
      : m_stream(std::move(socket)), m_deadline(m_stream.get_executor()), m_api(api) {}

  void run() {
    net::dispatch(m_stream.get_executor(),
                  beast::bind_front_handler(&HttpSession::doRead, shared_from_this()));
  }

 private:
  void doRead() {
    m_parser.emplace();
    m_parser->body_limit(m_api.options().maxBodyBytes);
    m_parser->header_limit(16 * 1024);
    m_timedOut = false;
    m_stream.expires_never();
    m_deadline.expires_after(m_api.options().requestTimeout);
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
          "the body is larger than " + std::to_string(m_api.options().maxBodyBytes) + " bytes"));
    if (ec == http::error::header_limit)
      return send(Api::error(shape, http::status::request_header_fields_too_large,
                             "the header is larger than 16 KiB"));
    if (ec) {
      if (ec == net::error::operation_aborted || ec == net::error::connection_reset) return close();
      return send(Api::error(shape, http::status::bad_request, "malformed HTTP: " + ec.message()));
    }
    Request request = m_parser->release();
    const Target target =
        parseTarget(std::string_view(request.target().data(), request.target().size()));
    if (websocket::is_upgrade(request)) {
      if (target.path != "/api/realtime")
        return send(
            Api::error(request, http::status::not_found, "WebSocket endpoint is /api/realtime"));
      std::optional<Identity> who = m_api.identify(request);
      if (!m_api.mayRead(who))
        return send(Api::error(request, http::status::unauthorized, "a token is needed"));
      std::make_shared<WsSession>(m_stream.release_socket(), m_api, std::move(who))
          ->run(std::move(request));
      return;
    }
    if (target.path.rfind("/api/", 0) == 0) {
      std::weak_ptr<HttpSession> weak = shared_from_this();
      auto self = shared_from_this();
      m_api.handle(request, [self](Response response) {
        net::post(self->m_stream.get_executor(),
                  [self, r = std::move(response)]() mutable { self->send(std::move(r)); });
      });
      return;
    }
    serveFile(request, target.path);
  }

  void serveFile(const Request& request, std::string path) {
    if (request.method() != http::verb::get && request.method() != http::verb::head)
      return send(
          Api::error(request, http::status::method_not_allowed, "static files are GET only"));
    const std::string& root = m_api.options().webRoot;
    if (path == "/") path = "/index.html";
    if (root.empty() || path.find("..") != std::string::npos ||
        path.find('\0') != std::string::npos)
      return send(Api::error(request, http::status::not_found, "no such file: " + path));
    const std::filesystem::path file = std::filesystem::path(root) / path.substr(1);
    beast::error_code ec;
    http::file_body::value_type body;
    std::error_code fsError;
    if (!std::filesystem::is_regular_file(file, fsError))
      return send(Api::error(request, http::status::not_found, "no such file: " + path));
    body.open(file.c_str(), beast::file_mode::scan, ec);
    if (ec) return send(Api::error(request, http::status::not_found, "no such file: " + path));
    http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                        std::make_tuple(http::status::ok, request.version())};
    res.set(http::field::content_type, mimeType(file.extension().string()));
    res.set("Content-Security-Policy", kContentSecurityPolicy);
    res.set(http::field::cache_control, "no-cache");
    res.keep_alive(request.keep_alive());
    res.prepare_payload();
    send(std::move(res));
  }

  template <class Body>
  void send(http::response<Body>&& response) {
    auto message = std::make_shared<http::response<Body>>(std::move(response));
    m_stream.expires_after(m_api.options().requestTimeout);  // a client that will not read
    http::async_write(m_stream, *message,
                      [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                        if (ec || message->need_eof()) return self->close();
                        self->doRead();
                      });
  }

  void close() {
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    m_stream.close();
  }

  beast::tcp_stream m_stream;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
  net::steady_timer m_deadline;
  Api& m_api;
  bool m_timedOut = false;
};

}  // namespace

struct HttpServer::Impl {
  Impl(HttpOptions o, ServerParts parts)
      : options(std::move(o)), api(options, parts), ioc(options.threads), acceptor(ioc) {}

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted) return;
      if (!ec) std::make_shared<HttpSession>(std::move(s), api)->run();
      accept();
    });
  }

  HttpOptions options;
  Api api;  // before the I/O context: sessions it destroys still use the Api
  net::io_context ioc;
  tcp::acceptor acceptor;
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
    s.threads.emplace_back([&s] { s.ioc.run(); });
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
