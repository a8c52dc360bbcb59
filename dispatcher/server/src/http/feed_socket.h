// The live feed over WebSocket (GET /api/v1/feed, upgraded): on connect a
// client gets one text message {"snapshot": <anding.v1.Snapshot>} — the
// feed's committed view and the sequence it is current to — then messages
// {"items": [<anding.v1.FeedItem>, ...]} carrying every item the feed
// publishes after it, in sequence order, heartbeats included. A client
// that sees a gap in the sequence (an input the store refused is not
// published) or reconnects gets a fresh snapshot by connecting again, so
// it misses nothing.
//
// Items are batched per message: while a client's write is in flight the
// items published meanwhile wait, and the next write carries all of them
// (up to max_message_bytes; an item larger than that travels alone). Each
// item is rendered to JSON once and shared by every client: the hub keeps
// one log of rendered items, and a client is only the index of the next
// item it has not been sent.
//
// A slow client is dropped, never buffered without bound: when the items
// published and not yet written to a client pass max_queue_items or
// max_queue_bytes it is closed with 1013 (try again later) and the log
// forgets them. Incoming messages are size-limited (1009 beyond) and
// otherwise ignored; a client that answers no ping within the idle timeout
// is closed.
//
// Thread-safety: io_context thread only (the feed publishes on it too, so
// the fan-out shares the dispatcher's one io thread with the link and the
// commits).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "anding/common/time.h"
#include "anding/v1/feed.pb.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

struct FeedSocketLimits {
  // A client's backlog, the items published and not yet written to it
  // (the one in flight included): beyond either bound it is dropped.
  size_t max_queue_items = 1024;
  size_t max_queue_bytes = 4 << 20;
  // Largest message of items the server writes (its JSON text, whole);
  // the snapshot and a single larger item are sent all the same.
  size_t max_message_bytes = 64 << 10;
  // Largest message a client may send.
  size_t max_incoming_bytes = 4096;
  // The handshake and the closing handshake must finish within this.
  Duration handshake_timeout = std::chrono::seconds(10);
  // A client silent this long is closed; it is pinged at half of it.
  Duration idle_timeout = std::chrono::seconds(30);
  // The kernel's send buffer per client (SO_SNDBUF; 0: the system's
  // default), so that what a client does not read waits in the bounded
  // backlog, where it is counted, not in the kernel.
  int send_buffer_bytes = 0;
  // Clients at once; more are refused (503).
  size_t max_clients = 1024;
  // How many recent feed items the snapshot carries.
  uint32_t snapshot_items = 50;
};

class FeedSocket;

// The clients of the live feed. The dispatcher hands it every item the
// feed publishes; it renders each once, and at the end of the io turn
// starts a write to every client that is not already writing.
class FeedHub {
 public:
  using MakeSnapshot = std::function<v1::Snapshot(uint32_t limit)>;

  // `executor` is the io_context's, on which the hub and its sessions run.
  FeedHub(boost::asio::any_io_executor executor, FeedSocketLimits limits,
          MakeSnapshot make_snapshot);
  ~FeedHub();

  // Takes over `socket`, whose HTTP upgrade `request` was read and
  // authenticated, and runs the WebSocket session on it.
  void Accept(boost::asio::ip::tcp::socket socket,
              boost::beast::http::request<boost::beast::http::string_body> request);

  // A committed feed item (or heartbeat): appended to the log for every
  // client; clients that fall too far behind are dropped (1013).
  void Broadcast(const v1::FeedItem& item);

  // Closes every client (the dispatcher is stopping).
  void CloseAll();

  [[nodiscard]] size_t clients() const { return clients_.size(); }
  // Clients dropped for a full backlog since start.
  [[nodiscard]] uint64_t dropped_slow() const { return dropped_slow_; }
  [[nodiscard]] uint64_t accepted() const { return accepted_; }
  // WebSocket messages written (snapshots included), and the feed items
  // they carried.
  [[nodiscard]] uint64_t messages_sent() const { return messages_sent_; }
  [[nodiscard]] uint64_t items_sent() const { return items_sent_; }
  [[nodiscard]] const FeedSocketLimits& limits() const { return limits_; }

 private:
  friend class FeedSocket;
  // One rendered item: ",<FeedItem JSON>" (the comma that separates it
  // from the one before; the first of a message is sent without it), and
  // the bytes of the log before it, counted since start.
  struct Rendered {
    std::shared_ptr<const std::string> text;
    uint64_t offset = 0;
  };

  // The snapshot message a client starts with; registers it for the items
  // published from now on (the returned index).
  std::shared_ptr<const std::string> Join(const std::shared_ptr<FeedSocket>& client,
                                          uint64_t& next_item);
  void Leave(FeedSocket* client);
  // Starts the writes of idle clients; forgets the items every client has
  // been sent.
  void Flush();
  // Drops the clients beyond a bound of the backlog, then trims the log.
  void DropSlowClients();
  void Trim();
  [[nodiscard]] std::vector<std::shared_ptr<FeedSocket>> Locked() const;

  [[nodiscard]] uint64_t end() const { return begin_ + items_.size(); }
  // Items and bytes from `next` to the end of the log (a client's backlog).
  [[nodiscard]] size_t BacklogItems(uint64_t next) const { return end() - next; }
  [[nodiscard]] uint64_t BacklogBytes(uint64_t next) const {
    return next == end() ? 0 : bytes_ - items_[next - begin_].offset;
  }

  boost::asio::any_io_executor executor_;
  FeedSocketLimits limits_;
  MakeSnapshot make_snapshot_;
  std::shared_ptr<spdlog::logger> log_;
  std::list<std::weak_ptr<FeedSocket>> clients_;
  // The items some client has not been sent yet: items_[i] is item
  // begin_ + i.
  std::deque<Rendered> items_;
  uint64_t begin_ = 0;
  uint64_t bytes_ = 0;  // every item's bytes since start
  bool flush_posted_ = false;
  uint64_t dropped_slow_ = 0;
  uint64_t accepted_ = 0;
  uint64_t messages_sent_ = 0;
  uint64_t items_sent_ = 0;
  // Sessions outlive the hub while their handlers drain.
  std::shared_ptr<FeedHub*> self_ = std::make_shared<FeedHub*>(this);
};

// One WebSocket client of the feed; keeps itself alive while operations
// are in flight.
class FeedSocket : public std::enable_shared_from_this<FeedSocket> {
 public:
  FeedSocket(boost::asio::ip::tcp::socket socket, std::shared_ptr<FeedHub*> hub);
  ~FeedSocket();

  void Start(boost::beast::http::request<boost::beast::http::string_body> request);
  // Starts a write if none is in flight and something waits: the snapshot,
  // else the hub's items from the next unsent one.
  void Pump();
  // Closes the client with `code` (sending a close frame when it can).
  void Close(boost::beast::websocket::close_code code, std::string_view reason);

  // The index of the next item of the hub's log to send.
  [[nodiscard]] uint64_t next_item() const { return next_item_; }
  // "address:port" of the client.
  [[nodiscard]] const std::string& peer() const { return peer_; }

 private:
  // A view of buffers_ for the write (Beast copies the sequence it is
  // given; the view is two pointers).
  struct BufferView {
    using value_type = boost::asio::const_buffer;
    using const_iterator = const boost::asio::const_buffer*;
    const_iterator first;
    const_iterator last;
    [[nodiscard]] const_iterator begin() const { return first; }
    [[nodiscard]] const_iterator end() const { return last; }
  };

  void OnAccept(const boost::system::error_code& ec);
  void Read();
  void WriteItems(FeedHub& owner);
  void OnWrite(const boost::system::error_code& ec);
  void Finish();
  [[nodiscard]] FeedHub* hub() const { return *hub_; }

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::asio::steady_timer hard_close_;
  std::shared_ptr<FeedHub*> hub_;
  boost::beast::flat_buffer incoming_;
  // The snapshot, until it is written.
  std::shared_ptr<const std::string> snapshot_;
  uint64_t next_item_ = 0;
  // What the write in flight holds: the rendered items it carries (kept
  // alive, as the log may forget them when this client is dropped), the
  // buffers over them, and the index after its last item. Reused from
  // write to write.
  std::vector<std::shared_ptr<const std::string>> in_flight_;
  std::vector<boost::asio::const_buffer> buffers_;
  uint64_t in_flight_end_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  boost::beast::websocket::close_reason close_reason_;
  std::string peer_;
};

}  // namespace anding::dispatcher
