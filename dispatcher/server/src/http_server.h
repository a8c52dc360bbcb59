// The dispatcher's HTTP listener (Boost.Beast, on the dispatcher's
// io_context): reads whole requests, hands each to the handler a module
// routed for it (ModuleContext::Route), serves the dashboard's static files
// for the GETs no route claims, and writes the answers back, keeping the
// connection alive between requests.
//
// Nothing waits without a limit: a request's header and body must arrive
// within `read_timeout`, an idle kept-alive connection is closed after
// `idle_timeout`, a handler that has not answered within `handler_timeout`
// is answered 504 for it, a body over `max_body_bytes` is answered 413, and
// connections beyond `max_connections` are answered 503 and closed.
//
// Thread-safety: io_context thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/dispatcher/config.h"
#include "anding/dispatcher/http.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class HttpServer {
 public:
  // The handler routed for a method and path, or nullptr.
  using Router = std::function<const HttpHandler*(std::string_view method, std::string_view path)>;

  HttpServer(boost::asio::io_context& io, HttpSettings settings, Router router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Opens the listening socket and starts accepting. Unavailable when the
  // address cannot be bound, InvalidArgument when it cannot be parsed.
  [[nodiscard]] Status Start();
  // Stops accepting and closes every connection; answers still pending are
  // dropped.
  void Stop();
  // "127.0.0.1:8080": the address actually bound (after Start).
  [[nodiscard]] std::string address() const;

  class Session;

 private:
  void Accept();

  boost::asio::io_context& io_;
  HttpSettings settings_;
  Router router_;
  std::shared_ptr<spdlog::logger> log_;
  boost::asio::ip::tcp::acceptor acceptor_;
  // Open connections, so that Stop() can close them; each removes itself.
  struct Sessions;
  std::shared_ptr<Sessions> sessions_;
};

// The content type for a file name's extension ("application/octet-stream"
// for unknown ones).
[[nodiscard]] std::string_view ContentTypeFor(std::string_view path);

// The file under `root` that `url_path` names, or nullopt when the path
// leaves `root` ("..", a NUL, a backslash) or is not a regular file; a
// directory means its index.html.
[[nodiscard]] std::optional<std::string> StaticFilePath(const std::string& root,
                                                        std::string_view url_path);

}  // namespace anding::dispatcher
