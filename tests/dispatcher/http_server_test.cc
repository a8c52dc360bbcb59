// The dispatcher's HTTP listener on 127.0.0.1 with a free port: routed
// handlers, static files, and every limit (body size, handler deadline,
// connection count, silent clients, paths that leave the static root).
#include "http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>

#include "support/process.h"

namespace anding::dispatcher {
namespace {
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() : static_dir_("http-static") {
    settings_.listen = "127.0.0.1:0";
    settings_.static_dir = static_dir_.path() + "/www";
    settings_.max_body_bytes = 4096;
    settings_.read_timeout = std::chrono::milliseconds(300);
    settings_.idle_timeout = std::chrono::milliseconds(300);
    settings_.handler_timeout = std::chrono::milliseconds(300);
    std::filesystem::create_directories(settings_.static_dir + "/js");
    Write(settings_.static_dir + "/index.html", "<!doctype html><title>安定</title>");
    Write(settings_.static_dir + "/js/app.js", "export const x = 1;");
    Write(static_dir_.path() + "/secret.txt", "not for the web");
  }

  ~HttpServerTest() override {
    if (thread_.joinable()) {
      boost::asio::post(io_, [this] {
        server_->Stop();
        work_.reset();
      });
      thread_.join();
    }
  }

  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  void Start() {
    server_ = std::make_unique<HttpServer>(
        io_, settings_, [this](std::string_view method, std::string_view path, std::string* route) {
          auto it = routes_.find(std::pair(std::string(method), std::string(path)));
          if (it == routes_.end()) return static_cast<const HttpHandler*>(nullptr);
          *route = it->first.second;
          return static_cast<const HttpHandler*>(&it->second);
        });
    ASSERT_TRUE(server_->Start().ok());
    const std::string address = server_->address();
    port_ = static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
    thread_ = std::thread([this] { io_.run(); });
  }

  tcp::socket Connect() {
    tcp::socket socket(client_io_);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
    return socket;
  }

  http::response<http::string_body> Exchange(tcp::socket& socket, http::verb verb,
                                             const std::string& target, std::string body = "") {
    http::request<http::string_body> request(verb, target, 11);
    request.set(http::field::host, "127.0.0.1");
    request.set("X-Test", "yes");
    request.body() = std::move(body);
    request.prepare_payload();
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    return response;
  }

  http::response<http::string_body> Get(const std::string& target) {
    tcp::socket socket = Connect();
    return Exchange(socket, http::verb::get, target);
  }

  // Whether the server closes `socket` (reads end) within `within`.
  static bool ClosedBy(tcp::socket& socket, std::chrono::milliseconds within) {
    auto closed = std::async(std::launch::async, [&socket] {
      char byte;
      boost::system::error_code ec;
      socket.read_some(boost::asio::buffer(&byte, 1), ec);
      return ec.failed();
    });
    return closed.wait_for(within) == std::future_status::ready && closed.get();
  }

  testing::TempDir static_dir_;
  HttpSettings settings_;
  std::map<std::pair<std::string, std::string>, HttpHandler> routes_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  boost::asio::io_context client_io_;
  uint16_t port_ = 0;
};

TEST_F(HttpServerTest, ARoutedHandlerSeesTheWholeRequestAndItsAnswerIsWritten) {
  HttpRequest seen;
  routes_[{"POST", "/sms/报告"}] = [&seen](const HttpRequest& request, HttpRespond respond) {
    seen = request;
    HttpResponse response;
    response.status = 201;
    response.content_type = "application/json";
    response.body = R"({"ok":true})";
    response.headers.emplace_back("Set-Cookie", "a=b; HttpOnly");
    respond(std::move(response));
  };
  Start();
  tcp::socket socket = Connect();
  auto response = Exchange(socket, http::verb::post,
                           "/sms/%E6%8A%A5%E5%91%8A?from=%2B8613800000000&text=%E6%94%B6%E5%88%B0",
                           "body text");
  EXPECT_EQ(response.result_int(), 201u);
  EXPECT_EQ(response.body(), R"({"ok":true})");
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(response[http::field::set_cookie], "a=b; HttpOnly");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/sms/报告");
  EXPECT_EQ(seen.Query("from"), "+8613800000000");
  EXPECT_EQ(seen.Query("text"), "收到");
  EXPECT_EQ(seen.Header("x-test"), "yes");
  EXPECT_EQ(seen.body, "body text");
  EXPECT_EQ(seen.peer.rfind("127.0.0.1:", 0), 0u);

  // The connection stays open for the next request.
  response = Exchange(socket, http::verb::post, "/sms/%E6%8A%A5%E5%91%8A");
  EXPECT_EQ(response.result_int(), 201u);
  EXPECT_FALSE(seen.Query("from").has_value());
}

TEST_F(HttpServerTest, UnroutedGetsAreServedFromTheStaticDirectoryAndNeverFromOutsideIt) {
  Start();
  auto index = Get("/");
  EXPECT_EQ(index.result_int(), 200u);
  EXPECT_EQ(index[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(index.body().find("安定"), std::string::npos);
  auto script = Get("/js/app.js");
  EXPECT_EQ(script.result_int(), 200u);
  EXPECT_EQ(script[http::field::content_type], "text/javascript; charset=utf-8");

  for (const char* escape : {"/../secret.txt", "/js/../../secret.txt", "/%2e%2e/secret.txt",
                             "/js/%2E%2E/%2E%2E/secret.txt", "/js%5C..%5C..%5Csecret.txt"}) {
    auto refused = Get(escape);
    EXPECT_EQ(refused.result_int(), 404u) << escape;
    EXPECT_EQ(refused.body().find("not for the web"), std::string::npos) << escape;
  }
  // A symbolic link out of the root is not followed.
  std::filesystem::create_symlink(static_dir_.path() + "/secret.txt",
                                  settings_.static_dir + "/link.txt");
  EXPECT_EQ(Get("/link.txt").result_int(), 404u);

  auto api = Get("/api/v1/nothing");
  EXPECT_EQ(api.result_int(), 404u);
  EXPECT_EQ(api[http::field::content_type], "application/json; charset=utf-8");
  EXPECT_NE(api.body().find(R"("code":"NOT_FOUND")"), std::string::npos);
}

TEST_F(HttpServerTest, ABodyOverTheLimitIsAnswered413AndTheHandlerIsNotCalled) {
  bool called = false;
  routes_[{"POST", "/in"}] = [&called](const HttpRequest&, HttpRespond respond) {
    called = true;
    respond({});
  };
  Start();
  tcp::socket socket = Connect();
  auto response = Exchange(socket, http::verb::post, "/in", std::string(4097, 'x'));
  EXPECT_EQ(response.result_int(), 413u);
  EXPECT_FALSE(called);
  socket = Connect();
  EXPECT_EQ(Exchange(socket, http::verb::post, "/in", std::string(4096, 'x')).result_int(), 200u);
}

TEST_F(HttpServerTest, AHandlerThatDoesNotAnswerInTimeIsAnswered504ForAndItsLateAnswerDropped) {
  HttpRespond kept;
  routes_[{"GET", "/slow"}] = [&kept](const HttpRequest&, HttpRespond respond) {
    kept = std::move(respond);
  };
  routes_[{"GET", "/fast"}] = [](const HttpRequest&, HttpRespond respond) {
    HttpResponse response;
    response.body = "fast";
    respond(std::move(response));
  };
  Start();
  tcp::socket socket = Connect();
  EXPECT_EQ(Exchange(socket, http::verb::get, "/slow").result_int(), 504u);
  // The late answer must not be written as the answer to the next request.
  std::promise<void> answered;
  boost::asio::post(io_, [&] {
    HttpResponse late;
    late.body = "late";
    kept(std::move(late));
    answered.set_value();
  });
  answered.get_future().wait();
  auto next = Exchange(socket, http::verb::get, "/fast");
  EXPECT_EQ(next.body(), "fast");
}

TEST_F(HttpServerTest, ConnectionsOverTheLimitAreAnswered503) {
  settings_.max_connections = 1;
  settings_.read_timeout = std::chrono::seconds(5);
  Start();
  tcp::socket first = Connect();
  // The first is accepted once the server has seen it: one request on it.
  EXPECT_EQ(Exchange(first, http::verb::get, "/").result_int(), 200u);
  auto refused = Get("/");
  EXPECT_EQ(refused.result_int(), 503u);
}

TEST_F(HttpServerTest, AClientThatSendsNothingOrOnlyHalfAHeaderIsDisconnected) {
  Start();
  tcp::socket silent = Connect();
  EXPECT_TRUE(ClosedBy(silent, std::chrono::seconds(5)));
  tcp::socket slow = Connect();
  boost::asio::write(slow, boost::asio::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n")));
  EXPECT_TRUE(ClosedBy(slow, std::chrono::seconds(5)));
}

TEST_F(HttpServerTest, MalformedRequestsAreAnswered400) {
  Start();
  tcp::socket socket = Connect();
  boost::asio::write(socket, boost::asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 400u);
}

TEST(StaticFilePathTest, MapsDirectoriesToTheirIndexAndRefusesEscapes) {
  testing::TempDir dir("static-path");
  std::filesystem::create_directories(dir.path() + "/a");
  std::ofstream(dir.path() + "/a/index.html") << "x";
  EXPECT_TRUE(StaticFilePath(dir.path(), "/a/").has_value());
  EXPECT_TRUE(StaticFilePath(dir.path(), "/a").has_value());
  EXPECT_FALSE(StaticFilePath(dir.path(), "/b").has_value());
  EXPECT_FALSE(StaticFilePath(dir.path(), "/a/../a/index.html").has_value());
  EXPECT_FALSE(StaticFilePath(dir.path(), "relative").has_value());
  EXPECT_FALSE(StaticFilePath("", "/a").has_value());
  EXPECT_EQ(ContentTypeFor("x.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x"), "application/octet-stream");
}

}  // namespace
}  // namespace anding::dispatcher
