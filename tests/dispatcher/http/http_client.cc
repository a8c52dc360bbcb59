#include "dispatcher/http/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace anding::testing {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::asio::ip::tcp;

std::pair<std::string, std::string> Split(const std::string& endpoint) {
  const size_t colon = endpoint.rfind(':');
  return {endpoint.substr(0, colon), endpoint.substr(colon + 1)};
}

}  // namespace

HttpAnswer HttpCall(const std::string& endpoint, const std::string& method,
                    const std::string& target, const std::string& body,
                    const std::map<std::string, std::string>& headers,
                    std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  const auto [host, port] = Split(endpoint);
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto addresses = resolver.resolve(host, port, ec);
  if (ec) return {};
  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  request.set(http::field::host, host);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || method == "POST") request.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  HttpAnswer answer;
  stream.expires_after(timeout);
  stream.async_connect(addresses, [&](const boost::system::error_code& connected, auto&&) {
    if (connected) return;
    http::async_write(stream, request, [&](const boost::system::error_code& written, size_t) {
      if (written) return;
      http::async_read(stream, buffer, parser, [&](const boost::system::error_code& read, size_t) {
        if (read) return;
        answer.status = parser.get().result_int();
        answer.content_type = std::string(parser.get()[http::field::content_type]);
        answer.body = parser.get().body();
      });
    });
  });
  io.run_for(timeout + std::chrono::seconds(1));
  return answer;
}

WsClient::WsClient(int receive_buffer_bytes) : ws_(io_) {
  if (receive_buffer_bytes > 0) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.open(tcp::v4());
    socket.set_option(boost::asio::socket_base::receive_buffer_size(receive_buffer_bytes));
  }
}

unsigned WsClient::Connect(const std::string& endpoint, const std::string& target,
                           const std::map<std::string, std::string>& headers) {
  const auto [host, port] = Split(endpoint);
  tcp::resolver resolver(io_);
  boost::system::error_code ec;
  const auto addresses = resolver.resolve(host, port, ec);
  if (ec || addresses.empty()) return 0;
  auto& socket = beast::get_lowest_layer(ws_).socket();
  socket.connect(*addresses.begin(), ec);
  if (ec) return 0;
  ws_.set_option(beast::websocket::stream_base::decorator([headers](auto& request) {
    for (const auto& [name, value] : headers) request.set(name, value);
  }));
  beast::websocket::response_type response;
  unsigned status = 0;
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
  ws_.async_handshake(response, host, target,
                      [&](const boost::system::error_code&) { status = response.result_int(); });
  io_.restart();
  io_.run_for(std::chrono::seconds(11));
  beast::get_lowest_layer(ws_).expires_never();
  return status;
}

std::optional<std::string> WsClient::Read(std::chrono::milliseconds timeout) {
  std::optional<std::string> message;
  bool done = false;
  buffer_.clear();
  ws_.async_read(buffer_, [&](const boost::system::error_code& ec, size_t) {
    done = true;
    if (ec) {
      close_code_ = ws_.reason().code;
      return;
    }
    message = beast::buffers_to_string(buffer_.data());
  });
  io_.restart();
  io_.run_for(timeout);
  if (!done) {
    // Timed out: abandon the connection (the read cannot be resumed).
    beast::get_lowest_layer(ws_).close();
    io_.restart();
    io_.run_for(std::chrono::seconds(1));
  }
  return message;
}

void WsClient::Send(const std::string& text) {
  ws_.async_write(boost::asio::buffer(text), [](const boost::system::error_code&, size_t) {});
  io_.restart();
  io_.run_for(std::chrono::seconds(5));
}

}  // namespace anding::testing
