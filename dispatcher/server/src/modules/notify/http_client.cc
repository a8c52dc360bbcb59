#include "http_client.h"

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cstdlib>
#include <deque>
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
  using Use = std::function<void(std::optional<beast::tcp_stream>)>;

  explicit ConnectionPool(size_t max_per_host) : max_per_host_(std::max<size_t>(max_per_host, 1)) {}

  // Calls `use` with an idle connection to `key`, or with nullopt to open a
  // new one: now, or when a request to `key` ends, so that at most
  // max_per_host connections are open (or being opened) per host. Each
  // `use` must be matched by one Release.
  void Acquire(const std::string& key, Use use) {
    Host& host = hosts_[key];
    if (!host.idle.empty()) {
      beast::tcp_stream stream = std::move(host.idle.back());
      host.idle.pop_back();
      return use(std::move(stream));
    }
    if (host.open < max_per_host_) {
      ++host.open;
      return use(std::nullopt);
    }
    host.waiting.push_back(std::move(use));
  }

  // A request to `key` ended; `stream` is its connection if it may be
  // used again.
  void Release(const std::string& key, std::optional<beast::tcp_stream> stream) {
    Host& host = hosts_[key];
    if (!host.waiting.empty()) {
      Use next = std::move(host.waiting.front());
      host.waiting.pop_front();
      return next(std::move(stream));  // the slot passes on
    }
    if (stream) {
      stream->expires_never();
      host.idle.push_back(std::move(*stream));
    } else {
      --host.open;
    }
  }

 private:
  struct Host {
    size_t open = 0;  // connections open or being opened, idle ones included
    std::vector<beast::tcp_stream> idle;
    std::deque<Use> waiting;
  };
  size_t max_per_host_;
  std::map<std::string, Host> hosts_;
};

std::shared_ptr<ConnectionPool> MakeConnectionPool(size_t max_per_host) {
  return std::make_shared<ConnectionPool>(max_per_host);
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
      holds_slot_ = true;
      return pool->Acquire(Key(),
                           [self = shared_from_this()](std::optional<beast::tcp_stream> idle) {
                             if (!idle) return self->Connect();
                             self->stream_.emplace(std::move(*idle));
                             self->reused_ = true;
                             self->Arm();
                             self->Write();
                           });
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
    if (holds_slot_ && parser_->get().keep_alive()) {
      keep_ = true;
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
    if (holds_slot_) {
      holds_slot_ = false;
      if (auto pool = pool_.lock()) {
        std::optional<beast::tcp_stream> kept;
        if (keep_) kept.emplace(std::move(*stream_));
        pool->Release(Key(), std::move(kept));
      }
    }
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
  bool holds_slot_ = false;  // a connection slot of the pool, released by Finish
  bool keep_ = false;        // the connection goes back to the pool
  bool reused_ = false;      // the connection came from the pool
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
