#include "http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>

#include "anding/common/strings.h"

namespace anding::dispatcher::http_client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Answers above this are cut off (gateways answer a line).
constexpr size_t kMaxAnswerBytes = 64 * 1024;

}  // namespace

class ConnectionPool {
 public:
  explicit ConnectionPool(size_t max_idle_per_host) : max_idle_per_host_(max_idle_per_host) {}

  std::optional<beast::tcp_stream> Take(const std::string& key) {
    auto it = idle_.find(key);
    if (it == idle_.end() || it->second.empty()) return std::nullopt;
    beast::tcp_stream stream = std::move(it->second.back());
    it->second.pop_back();
    return stream;
  }

  void Give(const std::string& key, beast::tcp_stream stream) {
    auto& idle = idle_[key];
    if (idle.size() >= max_idle_per_host_) return;  // closed when `stream` goes
    stream.expires_never();
    idle.push_back(std::move(stream));
  }

 private:
  size_t max_idle_per_host_;
  std::map<std::string, std::vector<beast::tcp_stream>> idle_;
};

std::shared_ptr<ConnectionPool> MakeConnectionPool(size_t max_idle_per_host) {
  return std::make_shared<ConnectionPool>(max_idle_per_host);
}

namespace {

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(asio::io_context& io, HttpCall call, std::function<void(HttpOutcome)> done,
           const std::shared_ptr<ConnectionPool>& pool)
      : io_(io), call_(std::move(call)), done_(std::move(done)), pool_(pool) {}

  void Start() {
    auto url = boost::urls::parse_uri(call_.url);
    if (!url || url->scheme() != "http" || url->host().empty()) {
      return Finish(InvalidArgumentError(StrCat("not an http:// URL: ", call_.url)));
    }
    host_ = url->host();
    port_ = url->has_port() ? std::string(url->port()) : "80";
    std::string target = url->encoded_path().empty() ? "/" : std::string(url->encoded_path());
    if (url->has_query()) target += StrCat("?", std::string(url->encoded_query()));
    request_.method_string(call_.method);
    request_.target(target);
    request_.version(11);
    request_.set(http::field::host, StrCat(host_, ":", port_));
    request_.set(http::field::user_agent, "anding-dispatcher");
    if (pool_.expired()) request_.set(http::field::connection, "close");
    for (const auto& [name, value] : call_.headers) request_.set(name, value);
    request_.body() = call_.body;
    request_.prepare_payload();
    if (auto pool = pool_.lock()) {
      if (auto idle = pool->Take(Key())) {
        stream_.emplace(std::move(*idle));
        reused_ = true;
        Arm();
        return Write();
      }
    }
    Connect();
  }

 private:
  std::string Key() const { return StrCat(host_, ":", port_); }

  void Arm() {
    stream_->expires_after(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(call_.timeout));
    parser_.emplace();
    parser_->body_limit(kMaxAnswerBytes);
    buffer_.clear();
  }

  void Connect() {
    stream_.emplace(io_);
    Arm();
    // An address needs no resolver (whose lookups run on a thread of their own).
    boost::system::error_code not_an_address;
    const auto address = asio::ip::make_address(host_, not_an_address);
    const auto port = static_cast<unsigned short>(std::strtoul(port_.c_str(), nullptr, 10));
    if (!not_an_address && port != 0) {
      return stream_->async_connect(
          tcp::endpoint(address, port),
          [self = shared_from_this()](beast::error_code ec) { self->OnConnect(ec); });
    }
    resolver_.emplace(io_);
    resolver_->async_resolve(
        host_, port_,
        [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
          self->OnResolve(ec, std::move(results));
        });
  }

  void OnResolve(beast::error_code ec, const tcp::resolver::results_type& results) {
    if (ec) return Finish(UnavailableError(StrCat("resolve: ", ec.message())));
    stream_->async_connect(
        results, [self = shared_from_this()](beast::error_code ec2, const tcp::endpoint&) {
          self->OnConnect(ec2);
        });
  }

  void OnConnect(beast::error_code ec) {
    if (ec) return Finish(Failure("connect", ec));
    Write();
  }

  void Write() {
    http::async_write(
        *stream_, request_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWrite(ec); });
  }

  // A kept connection the far side closed while it was idle: once more on a
  // new one.
  bool RetryStale(beast::error_code ec) {
    if (!reused_ || ec == beast::error::timeout) return false;
    reused_ = false;
    sent_ = false;
    Connect();
    return true;
  }

  void OnWrite(beast::error_code ec) {
    if (ec) {
      if (RetryStale(ec)) return;
      return Finish(Failure("write", ec));
    }
    sent_ = true;
    http::async_read(
        *stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec2, size_t) { self->OnRead(ec2); });
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      if (!parser_->got_some() && RetryStale(ec)) return;
      return Finish(Failure("read", ec));
    }
    HttpAnswer answer;
    answer.status = parser_->get().result_int();
    answer.body = parser_->get().body();
    auto pool = pool_.lock();
    if (pool && parser_->get().keep_alive()) {
      pool->Give(Key(), std::move(*stream_));
    } else {
      beast::error_code ignored;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
    }
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

  asio::io_context& io_;
  HttpCall call_;
  std::function<void(HttpOutcome)> done_;
  std::weak_ptr<ConnectionPool> pool_;
  std::string host_;
  std::string port_;
  std::optional<tcp::resolver> resolver_;
  std::optional<beast::tcp_stream> stream_;
  http::request<http::string_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  beast::flat_buffer buffer_;
  bool reused_ = false;  // the connection came from the pool
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

void StartHttpCall(asio::io_context& io, HttpCall call, std::function<void(HttpOutcome)> done,
                   const std::shared_ptr<ConnectionPool>& pool) {
  std::make_shared<Exchange>(io, std::move(call), std::move(done), pool)->Start();
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
