// The notification module's HTTP client against a server on 127.0.0.1:
// with a connection pool, requests share one kept-alive connection; a kept
// connection the server closed while idle is replaced, and the request
// still gets its answer; without a pool every request says
// "Connection: close".
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <thread>

#include "modules/notify/http_client.h"

namespace anding::dispatcher::http_client {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// Answers "200 ok" to every request; with `close_after_answer`, closes
// each connection after its first answer although it said keep-alive (a
// server whose idle timeout passed).
class Server {
 public:
  explicit Server(bool close_after_answer)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        close_after_answer_(close_after_answer) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~Server() {
    stop_ = true;
    // Wake the accept with a connection of our own.
    asio::io_context io;
    tcp::socket wake(io);
    boost::system::error_code ignored;
    wake.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }
  [[nodiscard]] std::string Url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/hook";
  }
  [[nodiscard]] int connections() const { return connections_; }
  [[nodiscard]] std::vector<std::string> connection_headers() {
    std::lock_guard lock(mutex_);
    return connection_headers_;
  }

 private:
  void Serve() {
    while (!stop_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      ++connections_;
      boost::beast::flat_buffer buffer;
      while (true) {
        http::request<http::string_body> request;
        http::read(socket, buffer, request, ec);
        if (ec) break;
        {
          std::lock_guard lock(mutex_);
          connection_headers_.emplace_back(request[http::field::connection]);
        }
        http::response<http::string_body> response(http::status::ok, 11);
        response.keep_alive(request.keep_alive());
        response.body() = "ok";
        response.prepare_payload();
        http::write(socket, response, ec);
        if (ec || close_after_answer_ || !request.keep_alive()) break;
      }
      socket.close(ec);
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  bool close_after_answer_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<std::string> connection_headers_;
  std::thread thread_;
};

// One call on `io`, run to its end.
HttpOutcome Call(asio::io_context& io, const std::string& url,
                 const std::shared_ptr<ConnectionPool>& pool) {
  HttpCall call;
  call.method = "POST";
  call.url = url;
  call.body = "{}";
  call.timeout = std::chrono::seconds(5);
  std::optional<HttpOutcome> outcome;
  StartHttpCall(
      io, call, [&](HttpOutcome o) { outcome = std::move(o); }, pool);
  io.restart();
  while (!outcome && io.run_one() > 0) {
  }
  EXPECT_TRUE(outcome.has_value());
  return outcome ? std::move(*outcome) : HttpOutcome{InternalError("no outcome"), false};
}

TEST(NotifyHttpClient, PooledRequestsShareOneConnection) {
  Server server(/*close_after_answer=*/false);
  asio::io_context io;
  auto pool = MakeConnectionPool();
  for (int i = 0; i < 3; ++i) {
    HttpOutcome outcome = Call(io, server.Url(), pool);
    ASSERT_TRUE(outcome.answer.ok()) << outcome.answer.status().ToString();
    EXPECT_EQ(outcome.answer->status, 200u);
    EXPECT_EQ(outcome.answer->body, "ok");
  }
  EXPECT_EQ(server.connections(), 1);
  for (const auto& header : server.connection_headers()) EXPECT_NE(header, "close");
}

TEST(NotifyHttpClient, RequestsBeyondTheLimitWaitForAFreeConnection) {
  Server server(/*close_after_answer=*/false);
  asio::io_context io;
  // One connection (the test server serves one at a time): five wait.
  auto pool = MakeConnectionPool(/*max_per_host=*/1);
  std::vector<std::optional<HttpOutcome>> outcomes(6);
  for (auto& outcome : outcomes) {
    HttpCall call;
    call.url = server.Url();
    call.timeout = std::chrono::seconds(5);
    StartHttpCall(
        io, call, [&outcome](HttpOutcome o) { outcome = std::move(o); }, pool);
  }
  io.run();
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.has_value());
    ASSERT_TRUE(outcome->answer.ok()) << outcome->answer.status().ToString();
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.connection_headers().size(), 6u);
}

TEST(NotifyHttpClient, AKeptConnectionTheServerClosedIsReplaced) {
  Server server(/*close_after_answer=*/true);
  asio::io_context io;
  auto pool = MakeConnectionPool();
  for (int i = 0; i < 3; ++i) {
    HttpOutcome outcome = Call(io, server.Url(), pool);
    ASSERT_TRUE(outcome.answer.ok()) << i << ": " << outcome.answer.status().ToString();
    EXPECT_EQ(outcome.answer->status, 200u);
  }
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(server.connection_headers().size(), 3u);  // each request answered once
}

TEST(NotifyHttpClient, WithoutAPoolEveryRequestClosesItsConnection) {
  Server server(/*close_after_answer=*/false);
  asio::io_context io;
  for (int i = 0; i < 2; ++i) {
    HttpOutcome outcome = Call(io, server.Url(), nullptr);
    ASSERT_TRUE(outcome.answer.ok()) << outcome.answer.status().ToString();
  }
  EXPECT_EQ(server.connections(), 2);
  for (const auto& header : server.connection_headers()) EXPECT_EQ(header, "close");
}

}  // namespace
}  // namespace anding::dispatcher::http_client
