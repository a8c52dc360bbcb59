#include "sink.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <string_view>

namespace anding::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, WebhookSink& sink) : socket_(std::move(socket)), sink_(sink) {}

  void Read() {
    request_ = {};
    http::async_read(
        socket_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return;
          self->sink_.Record(FindSeq(self->request_.body()), std::chrono::steady_clock::now());
          self->Answer();
        });
  }

 private:
  void Answer() {
    response_ = {};
    response_.result(http::status::ok);
    response_.version(request_.version());
    response_.keep_alive(request_.keep_alive());
    response_.set(http::field::content_type, "text/plain");
    response_.body() = "ok";
    response_.prepare_payload();
    http::async_write(socket_, response_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return;
                        if (!self->response_.keep_alive()) {
                          beast::error_code ignored;
                          self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        self->Read();
                      });
  }

  tcp::socket socket_;
  WebhookSink& sink_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

}  // namespace

struct WebhookSink::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  WebhookSink* sink = nullptr;

  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      sink->CountConnection();
      std::make_shared<Session>(std::move(socket), *sink)->Read();
      Accept();
    });
  }
};

WebhookSink::WebhookSink() : impl_(std::make_unique<Impl>()) {
  impl_->sink = this;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(4096);
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->Accept();
  thread_ = std::thread([this] { impl_->io.run(); });
}

WebhookSink::~WebhookSink() {
  impl_->io.stop();
  thread_.join();
}

void WebhookSink::Record(int64_t seq, SteadyTime at) {
  ++count_;
  std::lock_guard lock(mutex_);
  arrivals_.push_back({seq, at});
}

std::vector<Arrival> WebhookSink::TakeArrivals() {
  std::lock_guard lock(mutex_);
  return std::exchange(arrivals_, {});
}

int64_t FindSeq(std::string_view body) {
  const size_t at = body.find("bseq-");
  if (at == std::string_view::npos) return -1;
  int64_t value = 0;
  bool any = false;
  for (size_t i = at + 5; i < body.size() && body[i] >= '0' && body[i] <= '9'; ++i) {
    value = value * 10 + (body[i] - '0');
    any = true;
  }
  return any ? value : -1;
}

}  // namespace anding::bench
