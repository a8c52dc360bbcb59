// A small Boost.Beast client for tests: one HTTP request per call, and a
// WebSocket client; every operation has a deadline (run on the client's
// own io_context), so a test never hangs on a silent server.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace anding::testing {

struct HttpAnswer {
  unsigned status = 0;  // 0: no answer (connection failed or timed out)
  std::string content_type;
  std::string body;
};

// `method target` to `endpoint` ("127.0.0.1:port") with `headers` and
// `body`; waits at most `timeout`.
HttpAnswer HttpCall(const std::string& endpoint, const std::string& method,
                    const std::string& target, const std::string& body = {},
                    const std::map<std::string, std::string>& headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

class WsClient {
 public:
  // receive_buffer_bytes > 0 shrinks the socket's receive buffer (a slow
  // client whose kernel buffer fills quickly).
  explicit WsClient(int receive_buffer_bytes = 0);
  // Connects and upgrades; the HTTP status of a refused upgrade, 101 on
  // success, 0 if nothing answered.
  unsigned Connect(const std::string& endpoint, const std::string& target,
                   const std::map<std::string, std::string>& headers);
  // The next text message, or nullopt on close, error or timeout.
  std::optional<std::string> Read(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The close code the server sent (after Read returned nullopt), or 0.
  [[nodiscard]] unsigned close_code() const { return close_code_; }
  void Send(const std::string& text);

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  unsigned close_code_ = 0;
};

}  // namespace anding::testing
