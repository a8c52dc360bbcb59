#include "http/http_face.h"

#include "anding/common/strings.h"
#include "http/prometheus_text.h"
#include "http/rest_mapping.h"

namespace anding::dispatcher {

HttpFace::HttpFace(boost::asio::io_context& io, ModuleHost& modules, Feed& feed,
                   HttpFaceOptions options)
    : modules_(modules),
      feed_(feed),
      options_(options),
      api_(modules),
      feed_clients_(
          std::make_unique<FeedHub>(io.get_executor(), options.feed,
                                    [&feed](uint32_t limit) { return feed.MakeSnapshot(limit); })) {
  feed.SetListener([hub = feed_clients_.get()](const v1::FeedItem& item) { hub->Broadcast(item); });
}

HttpFace::~HttpFace() { feed_.SetListener(nullptr); }

Status HttpFace::AddRoutes(ShellParts parts) {
  parts_ = std::make_unique<ShellParts>(std::move(parts));
  auto api = [this](const HttpRequest& request, HttpRespond respond) {
    api_.Handle(request, respond);
  };
  ANDING_RETURN_IF_ERROR(modules_.Route("GET", StrCat(kApiPrefix, "*"), api));
  ANDING_RETURN_IF_ERROR(modules_.Route("POST", StrCat(kApiPrefix, "*"), api));
  ANDING_RETURN_IF_ERROR(
      modules_.Route("GET", "/healthz", [](const HttpRequest&, HttpRespond respond) {
        respond(HttpResponse{200, "text/plain; charset=utf-8", "ok\n", {}});
      }));
  ANDING_RETURN_IF_ERROR(
      modules_.Route("GET", "/readyz", [this](const HttpRequest&, HttpRespond respond) {
        if (parts_->ready()) {
          respond(HttpResponse{200, "text/plain; charset=utf-8", "ready\n", {}});
          return;
        }
        const Status& failure = parts_->committer.failure();
        respond(HttpResponse{
            503,
            "text/plain; charset=utf-8",
            StrCat("not ready: ",
                   failure.ok() ? std::string("the store is loading")
                                : StrCat("the store failed (", failure.ToString(), "); recovering"),
                   "\n"),
            {{"Retry-After", "1"}}});
      }));
  if (options_.metrics) {
    ANDING_RETURN_IF_ERROR(
        modules_.Route("GET", "/metrics", [this](const HttpRequest&, HttpRespond respond) {
          respond(
              HttpResponse{200, std::string(kPrometheusContentType), metrics_.Scrape(*parts_), {}});
        }));
  }
  return OkStatus();
}

std::optional<HttpResponse> HttpFace::Upgrade(
    const HttpRequest& request, boost::asio::ip::tcp::socket& socket,
    boost::beast::http::request<boost::beast::http::string_body>& raw) {
  if (request.path != kFeedPath) {
    return ErrorAnswer(404, "NOT_FOUND", StrCat("no WebSocket at ", request.path));
  }
  auto principal = api_.Authenticate(request);
  if (!principal.ok()) return ErrorAnswer(principal.status());
  if (feed_clients_->clients() >= options_.feed.max_clients) {
    return ErrorAnswer(UnavailableError("too many live-feed clients; retry"));
  }
  feed_clients_->Accept(std::move(socket), std::move(raw));
  return std::nullopt;
}

void HttpFace::Stop() { feed_clients_->CloseAll(); }

}  // namespace anding::dispatcher
