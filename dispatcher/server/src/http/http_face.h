// The dispatcher's own HTTP endpoints, registered on the module host's
// route table next to the modules' (so the listener serves them all the
// same way):
//
//   GET|POST /api/v1/*   the REST API (ApiHandler)
//   GET /api/v1/feed     the live feed, upgraded to a WebSocket (FeedHub)
//   GET /metrics         Prometheus text (when http.metrics is on)
//   GET /healthz         200 "ok" while the process serves
//   GET /readyz          200 when the store is loaded and commits are not
//                        failed, else 503 with the reason
//
// Routes a module registers exactly (POST /api/v1/login) take precedence
// over the API's "/api/v1/*".
//
// Thread-safety: io_context thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>

#include "http/api_handler.h"
#include "http/feed_socket.h"
#include "http/shell_metrics.h"

namespace anding::dispatcher {

struct HttpFaceOptions {
  FeedSocketLimits feed;
  bool metrics = true;
};

class HttpFace {
 public:
  // `io` runs the WebSocket sessions (the thread that owns `modules` and
  // `feed`).
  HttpFace(boost::asio::io_context& io, ModuleHost& modules, Feed& feed, HttpFaceOptions options);
  ~HttpFace();

  // Registers the routes above; `parts` are what /metrics and /readyz read
  // (they must outlive this). InvalidArgument if a module took one of them.
  [[nodiscard]] Status AddRoutes(ShellParts parts);

  // An HTTP request asking to become a WebSocket: the live feed if it is
  // for kFeedPath and authenticated (then `socket` is taken over and
  // nullopt returned), else the answer to write.
  [[nodiscard]] std::optional<HttpResponse> Upgrade(
      const HttpRequest& request, boost::asio::ip::tcp::socket& socket,
      boost::beast::http::request<boost::beast::http::string_body>& raw);

  // Closes the WebSocket clients (the dispatcher is stopping).
  void Stop();

  [[nodiscard]] ShellMetrics& metrics() { return metrics_; }
  [[nodiscard]] FeedHub& feed_clients() { return *feed_clients_; }

  static constexpr std::string_view kFeedPath = "/api/v1/feed";

 private:
  ModuleHost& modules_;
  Feed& feed_;
  HttpFaceOptions options_;
  ApiHandler api_;
  std::unique_ptr<FeedHub> feed_clients_;
  ShellMetrics metrics_;
  std::unique_ptr<ShellParts> parts_;
};

}  // namespace anding::dispatcher
