// Real clients for the server tests: Boost.Beast over loopback TCP, synchronous.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace leakhunt::test {

// A fresh, empty folder for the running test: PREFIX-PID-TESTNAME under the temp directory.
inline std::filesystem::path scratchDir(const std::string& prefix) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      (prefix + "-" + std::to_string(::getpid()) + "-" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Reply {
  int status = 0;
  std::string body;
};

// One request on a fresh connection.
inline Reply request(unsigned short port, http::verb verb, const std::string& target,
                     const std::string& body = "", const std::string& token = "") {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  beast::error_code written;  // a server may answer (413) before it has read the whole body
  http::write(stream, req, written);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1u << 30);
  http::read(stream, buffer, parser);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

inline Reply get(unsigned short port, const std::string& target, const std::string& token = "") {
  return request(port, http::verb::get, target, "", token);
}
inline Reply post(unsigned short port, const std::string& target, const std::string& body,
                  const std::string& token = "") {
  return request(port, http::verb::post, target, body, token);
}

class WsClient {
 public:
  WsClient(unsigned short port, const std::string& token, int receiveBuffer = 0) : m_ws(m_ioc) {
    auto& socket = beast::get_lowest_layer(m_ws).socket();
    socket.open(tcp::v4());
    if (receiveBuffer > 0) socket.set_option(net::socket_base::receive_buffer_size(receiveBuffer));
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    m_ws.handshake("127.0.0.1", "/api/realtime?access_token=" + token);
    m_ws.read_message_max(1u << 30);
  }
  // Every wait is bounded: an operation still pending after `within` is cancelled and throws,
  // so a server that hangs fails the test instead of stalling it.
  void send(const std::string& text, std::chrono::seconds within = std::chrono::seconds(30)) {
    m_ws.text(true);
    bounded([&](auto done) { m_ws.async_write(net::buffer(text), done); }, within);
  }
  std::string receive(std::chrono::seconds within = std::chrono::seconds(30)) {
    beast::flat_buffer b;
    bounded([&](auto done) { m_ws.async_read(b, done); }, within);
    return beast::buffers_to_string(b.data());
  }

 private:
  template <class Start>
  void bounded(Start start, std::chrono::seconds within) {
    beast::error_code result = net::error::would_block;
    start([&](beast::error_code ec, std::size_t) { result = ec; });
    m_ioc.restart();
    m_ioc.run_for(within);
    if (result == net::error::would_block) {  // still pending: give up on this connection
      beast::get_lowest_layer(m_ws).socket().close();
      m_ioc.restart();
      m_ioc.run();
      throw std::runtime_error("WebSocket: nothing within " + std::to_string(within.count()) +
                               " s");
    }
    if (result) throw beast::system_error(result);
  }

  net::io_context m_ioc;
  beast::websocket::stream<beast::tcp_stream> m_ws;
};

}  // namespace leakhunt::test
