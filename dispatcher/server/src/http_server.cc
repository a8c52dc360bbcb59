#include "http_server.h"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "anding/common/strings.h"
#include "anding/runtime/logging.h"

namespace anding::dispatcher {
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr uint32_t kMaxHeaderBytes = 16 * 1024;
constexpr uintmax_t kMaxStaticFileBytes = 32u << 20;

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgumentError(StrCat("http.listen: expected host:port, got '", listen, "'"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = listen.substr(colon + 1);
  uint32_t port = 0;
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; }) ||
      (port = static_cast<uint32_t>(std::stoul(port_text))) > 65535) {
    return InvalidArgumentError(StrCat("http.listen: bad port in '", listen, "'"));
  }
  return std::pair(host, static_cast<uint16_t>(port));
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  static const std::map<std::string, std::string_view, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  auto it = kTypes.find(Lower(path.substr(dot)));
  return it == kTypes.end() ? std::string_view("application/octet-stream") : it->second;
}

std::optional<std::string> StaticFilePath(const std::string& root, std::string_view url_path) {
  if (root.empty() || url_path.empty() || url_path.front() != '/') return std::nullopt;
  std::filesystem::path file(root);
  size_t start = 1;
  while (start <= url_path.size()) {
    size_t end = url_path.find('/', start);
    if (end == std::string_view::npos) end = url_path.size();
    const std::string_view segment = url_path.substr(start, end - start);
    if (segment == ".." || segment == "." ||
        segment.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos) {
      return std::nullopt;
    }
    if (!segment.empty()) file /= std::string(segment);
    start = end + 1;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) file /= "index.html";
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  // A symbolic link must not lead out of the root either.
  const auto canonical_root = std::filesystem::weakly_canonical(root, ec);
  const auto canonical_file = std::filesystem::weakly_canonical(file, ec);
  if (ec) return std::nullopt;
  const auto relative = canonical_file.lexically_relative(canonical_root);
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return canonical_file.string();
}

struct HttpServer::Sessions {
  std::map<Session*, std::weak_ptr<Session>> open;
};

// One connection: reads a request, has it answered, writes the answer,
// and reads the next one while the client keeps the connection alive.
class HttpServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpSettings& settings, const Router& router,
          const Upgrader& upgrader, const Observer& observer, std::shared_ptr<spdlog::logger> log,
          std::shared_ptr<Sessions> sessions)
      : stream_(std::move(socket)),
        handler_timer_(stream_.get_executor()),
        settings_(settings),
        router_(router),
        upgrader_(upgrader),
        observer_(observer),
        log_(std::move(log)),
        sessions_(std::move(sessions)) {
    boost::system::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = StrCat(remote.address().to_string(), ":", remote.port());
  }

  ~Session() { sessions_->open.erase(this); }

  void Start() {
    sessions_->open[this] = weak_from_this();
    ReadHeader();
  }

  // Answers 503 and closes: too many connections.
  void Refuse() {
    keep_alive_ = false;
    Write(ErrorAnswer(503, "UNAVAILABLE", "too many connections; retry"), false);
  }

  void Close() {
    closed_ = true;
    handler_timer_.cancel();
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  void ReadHeader() {
    if (closed_) return;
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(static_cast<uint64_t>(settings_.max_body_bytes));
    stream_.expires_after(requests_ == 0 ? settings_.read_timeout : settings_.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    stream_.expires_after(settings_.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code read, size_t) { self->OnRead(read); });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return Write(ErrorAnswer(413, "RESOURCE_EXHAUSTED",
                               StrCat("request body over ", settings_.max_body_bytes, " bytes")),
                   false);
    }
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      return Write(ErrorAnswer(431, "INVALID_ARGUMENT", "request header too large"), false);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == boost::asio::error::operation_aborted || ec == boost::asio::error::eof ||
        ec == boost::asio::error::connection_reset || closed_) {
      return Close();
    }
    keep_alive_ = false;
    Write(ErrorAnswer(400, "INVALID_ARGUMENT", StrCat("malformed HTTP request: ", ec.message())),
          false);
  }

  void OnRead(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    ++requests_;
    http::request<http::string_body> raw = parser_->release();
    keep_alive_ = raw.keep_alive();
    head_ = raw.method() == http::verb::head;

    HttpRequest request;
    request.method = std::string(raw.method_string());
    request.peer = peer_;
    auto target = boost::urls::parse_origin_form(raw.target());
    if (!target) {
      return Write(ErrorAnswer(400, "INVALID_ARGUMENT", "malformed request target"), false);
    }
    request.path = target->path();
    for (const auto& param : target->params()) {
      // "/api/v1/x?" has an empty query: no parameter, not one named "".
      if (param.key.empty() && !param.has_value) continue;
      request.query[param.key] = param.value;
    }
    for (const auto& field : raw) {
      request.headers[Lower(field.name_string())] = std::string(field.value());
    }
    log_->debug("{} {} {}", peer_, request.method, request.path);
    read_at_ = std::chrono::steady_clock::now();

    if (boost::beast::websocket::is_upgrade(raw)) {
      route_ = "upgrade";
      if (!upgrader_) {
        return Write(ErrorAnswer(404, "NOT_FOUND", "no WebSocket here"), false);
      }
      // The upgrade's answer, if refused, ends the connection.
      keep_alive_ = false;
      auto refused = upgrader_(request, stream_.socket(), raw);
      if (refused) return Write(std::move(*refused), false);
      // The socket is the WebSocket's now: this session is over.
      closed_ = true;
      handler_timer_.cancel();
      Observe(101);
      return;
    }
    request.body = std::move(raw.body());
    route_.clear();
    if (const HttpHandler* handler = router_(request.method, request.path, &route_)) {
      return Dispatch(*handler, request);
    }
    const std::string_view path = request.path;
    const bool api = path.rfind("/api/", 0) == 0;
    if (!api && (request.method == "GET" || request.method == "HEAD")) {
      if (auto file = StaticFilePath(settings_.static_dir, path)) {
        route_ = "static";
        return ServeFile(*file);
      }
    }
    route_ = "none";
    Write(ErrorAnswer(404, "NOT_FOUND", StrCat("no such resource: ", path)), keep_alive_);
  }

  void Dispatch(const HttpHandler& handler, const HttpRequest& request) {
    const uint64_t turn = ++turn_;
    handler_timer_.expires_after(settings_.handler_timeout);
    // The timer's wait keeps the session alive while the handler works.
    handler_timer_.async_wait([self = shared_from_this(), turn](beast::error_code ec) {
      if (ec || self->turn_ != turn || self->answered_) return;
      self->Answer(turn, ErrorAnswer(504, "DEADLINE_EXCEEDED", "no answer in time; retry"));
    });
    answered_ = false;
    HttpRespond respond = [weak = weak_from_this(), turn](HttpResponse response) {
      if (auto self = weak.lock()) self->Answer(turn, std::move(response));
    };
    try {
      handler(request, std::move(respond));
    } catch (const std::exception& e) {
      log_->error("HTTP handler for {} {} failed: {}", request.method, request.path, e.what());
      Answer(turn, ErrorAnswer(500, "INTERNAL", "internal error"));
    }
  }

  // The answer of turn `turn`, once; later or stale ones are dropped.
  void Answer(uint64_t turn, HttpResponse response) {
    if (turn != turn_ || answered_ || closed_) return;
    answered_ = true;
    handler_timer_.cancel();
    Write(std::move(response), keep_alive_);
  }

  void ServeFile(const std::string& file) {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec || size > kMaxStaticFileBytes) {
      return Write(ErrorAnswer(404, "NOT_FOUND", "no such resource"), keep_alive_);
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    HttpResponse response;
    response.content_type = std::string(ContentTypeFor(file));
    response.body = std::move(content).str();
    response.headers.emplace_back("Cache-Control", "no-cache");
    Write(std::move(response), keep_alive_);
  }

  void Write(HttpResponse answer, bool keep_alive) {
    if (closed_) return;
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(11);
    response->result(answer.status);
    response->set(http::field::server, "anding-dispatcher");
    response->set(http::field::content_type, answer.content_type);
    response->set("X-Content-Type-Options", "nosniff");
    response->set("X-Frame-Options", "DENY");
    response->set("Referrer-Policy", "no-referrer");
    response->set("Content-Security-Policy",
                  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                  "connect-src 'self'");
    for (auto& [name, value] : answer.headers) response->insert(name, value);
    const size_t length = answer.body.size();
    if (!head_) response->body() = std::move(answer.body);
    response->keep_alive(keep_alive);
    response->content_length(length);
    stream_.expires_after(settings_.read_timeout);
    http::async_write(
        stream_, *response,
        [self = shared_from_this(), response, keep_alive](beast::error_code ec, size_t) {
          self->Observe(response->result_int());
          if (ec || !keep_alive) return self->Close();
          self->ReadHeader();
        });
  }

  // Reports the request just answered to the observer (once).
  void Observe(unsigned status) {
    if (!observer_ || route_.empty()) return;
    observer_(route_, status, std::chrono::steady_clock::now() - read_at_);
    route_.clear();
  }

  beast::tcp_stream stream_;
  boost::asio::steady_timer handler_timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const HttpSettings& settings_;
  const Router& router_;
  const Upgrader& upgrader_;
  const Observer& observer_;
  std::shared_ptr<spdlog::logger> log_;
  // The route answering the current request (empty: nothing to observe,
  // such as a refused connection) and when it was read.
  std::string route_;
  std::chrono::steady_clock::time_point read_at_{};
  std::shared_ptr<Sessions> sessions_;
  std::string peer_;
  uint64_t requests_ = 0;
  uint64_t turn_ = 0;
  bool answered_ = true;
  bool keep_alive_ = true;
  bool head_ = false;
  bool closed_ = false;
};

HttpServer::HttpServer(boost::asio::io_context& io, HttpSettings settings, Router router,
                       Upgrader upgrader, Observer observer)
    : io_(io),
      settings_(std::move(settings)),
      router_(std::move(router)),
      upgrader_(std::move(upgrader)),
      observer_(std::move(observer)),
      log_(runtime::GetLogger("http")),
      acceptor_(io),
      sessions_(std::make_shared<Sessions>()) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  ANDING_ASSIGN_OR_RETURN(auto host_port, ParseListen(settings_.listen));
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host_port.first, ec);
  if (ec) {
    return InvalidArgumentError(
        StrCat("http.listen: '", host_port.first, "' is not an IP address"));
  }
  const tcp::endpoint endpoint(address, host_port.second);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return UnavailableError(
        StrCat("cannot listen for HTTP on ", settings_.listen, ": ", ec.message()));
  }
  Accept();
  return OkStatus();
}

void HttpServer::Stop() {
  boost::system::error_code ignored;
  if (acceptor_.is_open()) acceptor_.close(ignored);
  // Closing a session may end it, which edits the map: close a copy.
  auto open = sessions_->open;
  for (auto& [raw, weak] : open) {
    if (auto session = weak.lock()) session->Close();
  }
}

std::string HttpServer::address() const {
  boost::system::error_code ec;
  const auto endpoint = acceptor_.local_endpoint(ec);
  if (ec) return "";
  const auto address = endpoint.address();
  return address.is_v6() ? StrCat("[", address.to_string(), "]:", endpoint.port())
                         : StrCat(address.to_string(), ":", endpoint.port());
}

void HttpServer::Accept() {
  acceptor_.async_accept(io_, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
      log_->warn("HTTP accept failed: {}", ec.message());
    } else {
      auto session = std::make_shared<Session>(std::move(socket), settings_, router_, upgrader_,
                                               observer_, log_, sessions_);
      if (static_cast<int64_t>(sessions_->open.size()) >= settings_.max_connections) {
        session->Refuse();
      } else {
        session->Start();
      }
    }
    Accept();
  });
}

}  // namespace anding::dispatcher
