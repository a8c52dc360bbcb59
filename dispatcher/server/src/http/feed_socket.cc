#include "http/feed_socket.h"

#include <boost/asio/socket_base.hpp>
#include <boost/beast/websocket.hpp>

#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "http/rest_mapping.h"

namespace anding::dispatcher {
namespace {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

// How long a dropped client may take to finish its closing handshake
// before its connection is cut.
constexpr auto kCloseGrace = std::chrono::seconds(5);

std::shared_ptr<const std::string> Wrapped(std::string_view key,
                                           const google::protobuf::Message& message) {
  auto json = ToApiJson(message);
  if (!json.ok()) return nullptr;
  return std::make_shared<const std::string>(StrCat("{\"", key, "\":", *json, "}"));
}

}  // namespace

FeedHub::FeedHub(FeedSocketLimits limits, MakeSnapshot make_snapshot)
    : limits_(limits), make_snapshot_(std::move(make_snapshot)), log_(runtime::GetLogger("http")) {}

FeedHub::~FeedHub() {
  *self_ = nullptr;
  CloseAll();
}

void FeedHub::Accept(boost::asio::ip::tcp::socket socket,
                     beast::http::request<beast::http::string_body> request) {
  if (limits_.send_buffer_bytes > 0) {
    boost::system::error_code ignored;
    socket.set_option(boost::asio::socket_base::send_buffer_size(limits_.send_buffer_bytes),
                      ignored);
  }
  auto client = std::make_shared<FeedSocket>(std::move(socket), self_);
  client->Start(std::move(request));
}

std::shared_ptr<const std::string> FeedHub::Join(const std::shared_ptr<FeedSocket>& client) {
  ++accepted_;
  clients_.push_back(client);
  return Wrapped("snapshot", make_snapshot_(limits_.snapshot_items));
}

void FeedHub::Leave(FeedSocket* client) {
  clients_.remove_if([client](const std::weak_ptr<FeedSocket>& weak) {
    auto locked = weak.lock();
    return !locked || locked.get() == client;
  });
}

void FeedHub::Broadcast(const v1::FeedItem& item) {
  if (clients_.empty()) return;
  auto message = Wrapped("item", item);
  if (message == nullptr) return;
  // Send may drop a client, which leaves the list: iterate over a copy.
  std::vector<std::shared_ptr<FeedSocket>> targets;
  targets.reserve(clients_.size());
  for (const auto& weak : clients_) {
    if (auto client = weak.lock()) targets.push_back(std::move(client));
  }
  for (const auto& client : targets) client->Send(message);
}

void FeedHub::CloseAll() {
  std::vector<std::shared_ptr<FeedSocket>> targets;
  for (const auto& weak : clients_) {
    if (auto client = weak.lock()) targets.push_back(std::move(client));
  }
  clients_.clear();
  for (const auto& client : targets) {
    client->Close(websocket::close_code::going_away, "the dispatcher is stopping");
  }
}

FeedSocket::FeedSocket(boost::asio::ip::tcp::socket socket, std::shared_ptr<FeedHub*> hub)
    : ws_(std::move(socket)), hard_close_(ws_.get_executor()), hub_(std::move(hub)) {
  boost::system::error_code ec;
  const auto endpoint = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
  if (!ec) peer_ = StrCat(endpoint.address().to_string(), ":", endpoint.port());
}

FeedSocket::~FeedSocket() = default;

void FeedSocket::Start(beast::http::request<beast::http::string_body> request) {
  const FeedSocketLimits& limits = hub()->limits();
  // The stream's own timeouts replace the TCP stream's: a handshake that
  // does not finish, a client that answers no ping.
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeout;
  timeout.handshake_timeout = limits.handshake_timeout;
  timeout.idle_timeout = limits.idle_timeout;
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  ws_.read_message_max(limits.max_incoming_bytes);
  ws_.text(true);
  ws_.async_accept(request, [self = shared_from_this()](const boost::system::error_code& ec) {
    self->OnAccept(ec);
  });
}

void FeedSocket::OnAccept(const boost::system::error_code& ec) {
  FeedHub* owner = hub();
  if (ec || owner == nullptr || closing_) {
    Finish();
    return;
  }
  open_ = true;
  auto snapshot = owner->Join(shared_from_this());
  if (snapshot == nullptr) {
    Close(websocket::close_code::internal_error, "snapshot unavailable");
    return;
  }
  Send(std::move(snapshot));
  Read();
}

void FeedSocket::Read() {
  // Reading is what answers pings and sees the client's close; what the
  // client says is otherwise ignored.
  ws_.async_read(incoming_,
                 [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                   if (ec) {
                     // Closed by the client, too large (Beast answers 1009), timed out.
                     self->Finish();
                     return;
                   }
                   self->incoming_.clear();
                   self->Read();
                 });
}

void FeedSocket::Send(std::shared_ptr<const std::string> message) {
  if (!open_ || closing_) return;
  FeedHub* owner = hub();
  if (owner == nullptr) return;
  const FeedSocketLimits& limits = owner->limits();
  if (queue_.size() + 1 > limits.max_queue_messages ||
      queued_bytes_ + message->size() > limits.max_queue_bytes) {
    ++owner->dropped_slow_;
    owner->log_->warn("feed client {} dropped: {} messages ({} bytes) unsent", peer_, queue_.size(),
                      queued_bytes_);
    Close(websocket::close_code::try_again_later, "too slow: reconnect for a fresh snapshot");
    return;
  }
  queued_bytes_ += message->size();
  queue_.push_back(std::move(message));
  if (!writing_) Write();
}

void FeedSocket::Write() {
  writing_ = true;
  // The handler keeps the message alive: a close empties the queue while
  // the write is in flight.
  auto message = queue_.front();
  ws_.async_write(boost::asio::buffer(*message),
                  [self = shared_from_this(), message](const boost::system::error_code& ec,
                                                       size_t) { self->OnWrite(ec); });
}

void FeedSocket::OnWrite(const boost::system::error_code& ec) {
  writing_ = false;
  if (ec) {
    Finish();
    return;
  }
  if (!queue_.empty()) {
    queued_bytes_ -= queue_.front()->size();
    queue_.pop_front();
    if (FeedHub* owner = hub()) ++owner->messages_sent_;
  }
  if (closing_) {
    const std::string reason(close_reason_.reason.data(), close_reason_.reason.size());
    Close(websocket::close_code(close_reason_.code), reason);
    return;
  }
  if (!queue_.empty()) Write();
}

void FeedSocket::Close(websocket::close_code code, std::string_view reason) {
  if (finished_) return;
  if (FeedHub* owner = hub(); owner != nullptr && !closing_) owner->Leave(this);
  const bool first = !closing_;
  closing_ = true;
  close_reason_ = websocket::close_reason(code, std::string(reason));
  queue_.clear();
  queued_bytes_ = 0;
  if (first) {
    // A client that reads nothing never lets a write or the closing
    // handshake finish: cut it after a grace period.
    hard_close_.expires_after(kCloseGrace);
    hard_close_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->Finish();
    });
  }
  if (!open_ || writing_) return;  // OnAccept or OnWrite comes back here
  open_ = false;
  ws_.async_close(close_reason_, [self = shared_from_this()](const boost::system::error_code&) {
    self->Finish();
  });
}

void FeedSocket::Finish() {
  if (finished_) return;
  finished_ = true;
  open_ = false;
  if (FeedHub* owner = hub()) owner->Leave(this);
  hard_close_.cancel();
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                                                 ignored);
  beast::get_lowest_layer(ws_).close();
}

}  // namespace anding::dispatcher
