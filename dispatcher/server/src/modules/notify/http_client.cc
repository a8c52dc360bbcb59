#include "http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <memory>

#include "anding/common/strings.h"

namespace anding::dispatcher::http_client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Answers above this are cut off (gateways answer a line).
constexpr size_t kMaxAnswerBytes = 64 * 1024;

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(asio::io_context& io, HttpCall call, std::function<void(HttpOutcome)> done)
      : resolver_(io), stream_(io), call_(std::move(call)), done_(std::move(done)) {}

  void Start() {
    auto url = boost::urls::parse_uri(call_.url);
    if (!url || url->scheme() != "http" || url->host().empty()) {
      return Finish(InvalidArgumentError(StrCat("not an http:// URL: ", call_.url)));
    }
    const std::string host = url->host();
    const std::string port = url->has_port() ? std::string(url->port()) : "80";
    std::string target = url->encoded_path().empty() ? "/" : std::string(url->encoded_path());
    if (url->has_query()) target += StrCat("?", std::string(url->encoded_query()));
    request_.method_string(call_.method);
    request_.target(target);
    request_.version(11);
    request_.set(http::field::host, StrCat(host, ":", port));
    request_.set(http::field::user_agent, "anding-dispatcher");
    request_.set(http::field::connection, "close");
    for (const auto& [name, value] : call_.headers) request_.set(name, value);
    request_.body() = call_.body;
    request_.prepare_payload();
    parser_.body_limit(kMaxAnswerBytes);
    stream_.expires_after(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(call_.timeout));
    resolver_.async_resolve(
        host, port,
        [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
          self->OnResolve(ec, std::move(results));
        });
  }

 private:
  void OnResolve(beast::error_code ec, const tcp::resolver::results_type& results) {
    if (ec) return Finish(UnavailableError(StrCat("resolve: ", ec.message())));
    stream_.async_connect(results,
                          [self = shared_from_this()](beast::error_code ec2, const tcp::endpoint&) {
                            self->OnConnect(ec2);
                          });
  }

  void OnConnect(beast::error_code ec) {
    if (ec) return Finish(Failure("connect", ec));
    http::async_write(
        stream_, request_,
        [self = shared_from_this()](beast::error_code ec2, size_t) { self->OnWrite(ec2); });
  }

  void OnWrite(beast::error_code ec) {
    if (ec) return Finish(Failure("write", ec));
    sent_ = true;
    http::async_read(
        stream_, buffer_, parser_,
        [self = shared_from_this()](beast::error_code ec2, size_t) { self->OnRead(ec2); });
  }

  void OnRead(beast::error_code ec) {
    if (ec) return Finish(Failure("read", ec));
    HttpAnswer answer;
    answer.status = parser_.get().result_int();
    answer.body = parser_.get().body();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    Finish(std::move(answer));
  }

  Status Failure(std::string_view step, beast::error_code ec) {
    if (ec == beast::error::timeout) {
      return DeadlineExceededError(StrCat(step, ": timed out"));
    }
    return UnavailableError(StrCat(step, ": ", ec.message()));
  }

  void Finish(Result<HttpAnswer> answer) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    done(HttpOutcome{std::move(answer), sent_});
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  HttpCall call_;
  std::function<void(HttpOutcome)> done_;
  http::request<http::string_body> request_;
  http::response_parser<http::string_body> parser_;
  beast::flat_buffer buffer_;
  bool sent_ = false;
};

void AppendEncoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
        b == '_' || b == '.' || b == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
}

}  // namespace

void StartHttpCall(asio::io_context& io, HttpCall call, std::function<void(HttpOutcome)> done) {
  std::make_shared<Exchange>(io, std::move(call), std::move(done))->Start();
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    AppendEncoded(out, name);
    out += '=';
    AppendEncoded(out, value);
  }
  return out;
}

}  // namespace anding::dispatcher::http_client
