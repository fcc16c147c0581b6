// The test clients of client.hpp. Boost.Beast's headers stay in this one file.
#include "client.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>

namespace leakhunt::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using beast::error_code;

// Asynchronous, because a tcp_stream's deadline bounds only asynchronous operations.
Reply request(unsigned short port, const std::string& method, const std::string& target,
              const std::string& body, const std::string& token, std::chrono::seconds patience) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1u << 30);
  if (method == "HEAD") parser.skip(true);
  Reply reply{0, "no answer"};
  const auto failed = [&](error_code ec) { reply.body = "no answer: " + ec.message(); };
  stream.expires_after(patience);  // one deadline for the whole exchange
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](error_code ec) {
    if (ec) return failed(ec);
    // A server may answer (413) before it has read the whole body: read the answer either way.
    http::async_write(stream, req, [&](error_code, std::size_t) {
      http::async_read(stream, buffer, parser, [&](error_code ec, std::size_t) {
        if (ec) return failed(ec);
        reply = {static_cast<int>(parser.get().result_int()), parser.get().body()};
      });
    });
  });
  ioc.run();
  error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return reply;
}

struct WsClient::Impl {
  net::io_context ioc;
  beast::websocket::stream<beast::tcp_stream> ws{ioc};

  // Runs `start` until it completes or `deadline`; false (and the connection closed) if not.
  template <class Start>
  bool runUntil(Start start, std::chrono::steady_clock::time_point deadline, error_code& result) {
    bool done = false;
    start([&](error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    ioc.restart();
    ioc.run_until(deadline);
    if (done) return true;
    error_code ignored;
    beast::get_lowest_layer(ws).socket().close(ignored);
    ioc.restart();
    ioc.run();
    return false;
  }

  template <class Start>
  void bounded(Start start, std::chrono::seconds within) {
    error_code result;
    if (!runUntil(start, std::chrono::steady_clock::now() + within, result))
      throw std::runtime_error("WebSocket: nothing within " + std::to_string(within.count()) +
                               " s");
    if (result) throw beast::system_error(result);
  }
};

WsClient::WsClient(unsigned short port, const std::string& token, int receiveBuffer)
    : m_impl(std::make_unique<Impl>()) {
  auto& socket = beast::get_lowest_layer(m_impl->ws).socket();
  socket.open(tcp::v4());
  if (receiveBuffer > 0) socket.set_option(net::socket_base::receive_buffer_size(receiveBuffer));
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  m_impl->ws.handshake("127.0.0.1", "/api/realtime?access_token=" + token);
  m_impl->ws.read_message_max(1u << 30);
}

WsClient::~WsClient() = default;

void WsClient::send(const std::string& text, std::chrono::seconds within) {
  m_impl->ws.text(true);
  m_impl->bounded([&](auto done) { m_impl->ws.async_write(net::buffer(text), done); }, within);
}

std::string WsClient::receive(std::chrono::seconds within) {
  beast::flat_buffer b;
  m_impl->bounded([&](auto done) { m_impl->ws.async_read(b, done); }, within);
  return beast::buffers_to_string(b.data());
}

std::optional<std::string> WsClient::receiveBy(std::chrono::steady_clock::time_point deadline) {
  beast::flat_buffer b;
  error_code ec;
  if (!m_impl->runUntil([&](auto done) { m_impl->ws.async_read(b, done); }, deadline, ec) || ec)
    return std::nullopt;
  return beast::buffers_to_string(b.data());
}

int connectTo(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{5, 0};  // every read is bounded: a server that hangs fails the test
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

std::string readAll(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
  return out;
}

RawReply parseReply(const std::string& text) {
  RawReply r;
  const auto end = text.find("\r\n\r\n");
  r.head = text.substr(0, end);
  if (end != std::string::npos) r.body = text.substr(end + 4);
  if (text.rfind("HTTP/1.", 0) == 0 && text.size() > 12) r.status = std::stoi(text.substr(9, 3));
  return r;
}

RawReply raw(unsigned short port, const std::string& target, const std::string& method,
             const std::string& extraHeaders) {
  const int fd = connectTo(port);
  if (fd < 0) return RawReply{0, "no connection", ""};
  const std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                          extraHeaders + "Connection: close\r\n\r\n";
  // A server may answer and close before it has read everything: read what it said either way.
  (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  const std::string text = readAll(fd);
  ::close(fd);
  return parseReply(text);
}

}  // namespace leakhunt::test
