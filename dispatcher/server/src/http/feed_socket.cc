#include "http/feed_socket.h"

#include <algorithm>
#include <boost/asio/post.hpp>
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

// A message of items is {"items":[<item>,<item>,...]}: these two and the
// rendered items between them, written as one gather write.
constexpr std::string_view kItemsOpen = R"({"items":[)";
constexpr std::string_view kItemsClose = "]}";

std::shared_ptr<const std::string> Wrapped(std::string_view key,
                                           const google::protobuf::Message& message) {
  auto json = ToApiJson(message);
  if (!json.ok()) return nullptr;
  return std::make_shared<const std::string>(StrCat("{\"", key, "\":", *json, "}"));
}

}  // namespace

FeedHub::FeedHub(boost::asio::any_io_executor executor, FeedSocketLimits limits,
                 MakeSnapshot make_snapshot)
    : executor_(std::move(executor)),
      limits_(limits),
      make_snapshot_(std::move(make_snapshot)),
      log_(runtime::GetLogger("http")) {}

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

std::shared_ptr<const std::string> FeedHub::Join(const std::shared_ptr<FeedSocket>& client,
                                                 uint64_t& next_item) {
  ++accepted_;
  clients_.push_back(client);
  // The snapshot is current to the last item published, so the client's
  // items start with the next one.
  next_item = end();
  return Wrapped("snapshot", make_snapshot_(limits_.snapshot_items));
}

void FeedHub::Leave(FeedSocket* client) {
  clients_.remove_if([client](const std::weak_ptr<FeedSocket>& weak) {
    auto locked = weak.lock();
    return !locked || locked.get() == client;
  });
}

void FeedHub::Broadcast(const v1::FeedItem& item) {
  if (clients_.empty()) {
    begin_ += items_.size();
    items_.clear();
    return;
  }
  auto json = ToApiJson(item);
  if (!json.ok()) {
    // Not sent: the clients see a gap and resynchronise from a snapshot.
    log_->error("feed item {} not rendered: {}", item.sequence(), json.status().ToString());
    return;
  }
  auto text = std::make_shared<const std::string>(StrCat(",", *json));
  const size_t size = text->size();
  items_.push_back(Rendered{std::move(text), bytes_});
  bytes_ += size;
  if (items_.size() > limits_.max_queue_items ||
      bytes_ - items_.front().offset > limits_.max_queue_bytes) {
    DropSlowClients();
  }
  // The feed publishes a commit's items one by one in one handler: the
  // writes start after it, so that each client gets them in one message.
  if (!flush_posted_) {
    flush_posted_ = true;
    boost::asio::post(executor_, [self = self_] {
      if (FeedHub* hub = *self) hub->Flush();
    });
  }
}

std::vector<std::shared_ptr<FeedSocket>> FeedHub::Locked() const {
  std::vector<std::shared_ptr<FeedSocket>> targets;
  targets.reserve(clients_.size());
  for (const auto& weak : clients_) {
    if (auto client = weak.lock()) targets.push_back(std::move(client));
  }
  return targets;
}

void FeedHub::Flush() {
  flush_posted_ = false;
  for (const auto& weak : clients_) {
    if (auto client = weak.lock()) client->Pump();
  }
  Trim();
}

void FeedHub::DropSlowClients() {
  Trim();
  if (items_.size() <= limits_.max_queue_items &&
      (items_.empty() || bytes_ - items_.front().offset <= limits_.max_queue_bytes)) {
    return;
  }
  // Closing a client takes it off the list: close them after the scan.
  for (const auto& client : Locked()) {
    const size_t items = BacklogItems(client->next_item());
    const uint64_t bytes = BacklogBytes(client->next_item());
    if (items <= limits_.max_queue_items && bytes <= limits_.max_queue_bytes) continue;
    ++dropped_slow_;
    log_->warn("feed client {} dropped: {} items ({} bytes) unsent", client->peer(), items, bytes);
    client->Close(websocket::close_code::try_again_later,
                  "too slow: reconnect for a fresh snapshot");
  }
  Trim();
}

void FeedHub::Trim() {
  uint64_t oldest = end();
  for (const auto& weak : clients_) {
    if (auto client = weak.lock()) oldest = std::min(oldest, client->next_item());
  }
  // A client's write in flight holds its own references to what it sends.
  while (begin_ < oldest) {
    items_.pop_front();
    ++begin_;
  }
}

void FeedHub::CloseAll() {
  auto targets = Locked();
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
  // One frame per message: a message is already bounded, and Beast's
  // default cut a batch into 4 KiB frames, one socket write each.
  ws_.auto_fragment(false);
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
  snapshot_ = owner->Join(shared_from_this(), next_item_);
  if (snapshot_ == nullptr) {
    Close(websocket::close_code::internal_error, "snapshot unavailable");
    return;
  }
  Pump();
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

void FeedSocket::Pump() {
  if (!open_ || closing_ || writing_) return;
  FeedHub* owner = hub();
  if (owner == nullptr) return;
  if (snapshot_ != nullptr) {
    in_flight_.clear();
    buffers_.clear();
    buffers_.push_back(boost::asio::buffer(*snapshot_));
    in_flight_.push_back(std::move(snapshot_));
    snapshot_ = nullptr;
    in_flight_end_ = next_item_;
  } else if (next_item_ < owner->end()) {
    WriteItems(*owner);
  } else {
    return;
  }
  writing_ = true;
  ws_.async_write(BufferView{buffers_.data(), buffers_.data() + buffers_.size()},
                  [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                    self->OnWrite(ec);
                  });
}

void FeedSocket::WriteItems(FeedHub& owner) {
  const size_t limit = owner.limits().max_message_bytes;
  in_flight_.clear();
  buffers_.clear();
  buffers_.push_back(boost::asio::buffer(kItemsOpen));
  size_t bytes = kItemsOpen.size() + kItemsClose.size();
  for (uint64_t index = next_item_; index < owner.end(); ++index) {
    const auto& text = owner.items_[index - owner.begin_].text;
    const bool first = in_flight_.empty();
    // The first item of a message goes without its separating comma.
    const std::string_view json = std::string_view(*text).substr(first ? 1 : 0);
    if (!first && bytes + json.size() > limit) break;
    bytes += json.size();
    buffers_.push_back(boost::asio::buffer(json.data(), json.size()));
    in_flight_.push_back(text);
  }
  buffers_.push_back(boost::asio::buffer(kItemsClose));
  in_flight_end_ = next_item_ + in_flight_.size();
}

void FeedSocket::OnWrite(const boost::system::error_code& ec) {
  writing_ = false;
  const uint64_t items = in_flight_end_ - next_item_;
  in_flight_.clear();
  buffers_.clear();
  if (ec) {
    Finish();
    return;
  }
  next_item_ = in_flight_end_;
  if (FeedHub* owner = hub()) {
    ++owner->messages_sent_;
    owner->items_sent_ += items;
  }
  if (closing_) {
    const std::string reason(close_reason_.reason.data(), close_reason_.reason.size());
    Close(websocket::close_code(close_reason_.code), reason);
    return;
  }
  // What was published during the write goes out now, in one message.
  Pump();
}

void FeedSocket::Close(websocket::close_code code, std::string_view reason) {
  if (finished_) return;
  if (FeedHub* owner = hub(); owner != nullptr && !closing_) owner->Leave(this);
  const bool first = !closing_;
  closing_ = true;
  close_reason_ = websocket::close_reason(code, std::string(reason));
  snapshot_ = nullptr;
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
