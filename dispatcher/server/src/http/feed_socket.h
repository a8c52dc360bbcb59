// The live feed over WebSocket (GET /api/v1/feed, upgraded): on connect a
// client gets one text message {"snapshot": <anding.v1.Snapshot>} — the
// feed's committed view and the sequence it is current to — then
// {"item": <anding.v1.FeedItem>} for every item the feed publishes after
// it, in sequence order, heartbeats included. A client that sees a gap in
// the sequence (an input the store refused is not published) or
// reconnects gets a fresh snapshot by connecting again, so it misses
// nothing.
//
// A slow client is dropped, never buffered without bound: each client has
// a send queue bounded in messages and bytes; when an item would overflow
// it the queue is discarded and the client closed with 1013 (try again
// later). Incoming messages are size-limited (1009 beyond) and otherwise
// ignored; a client that answers no ping within the idle timeout is
// closed.
//
// Thread-safety: io_context thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <list>
#include <memory>
#include <string>

#include "anding/common/time.h"
#include "anding/v1/feed.pb.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

struct FeedSocketLimits {
  // A client's send queue: beyond either bound it is dropped.
  size_t max_queue_messages = 1024;
  size_t max_queue_bytes = 4 << 20;
  // Largest message a client may send.
  size_t max_incoming_bytes = 4096;
  // The handshake and the closing handshake must finish within this.
  Duration handshake_timeout = std::chrono::seconds(10);
  // A client silent this long is closed; it is pinged at half of it.
  Duration idle_timeout = std::chrono::seconds(30);
  // The kernel's send buffer per client (SO_SNDBUF; 0: the system's
  // default), so that what a client does not read waits in the bounded
  // queue, where it is counted, not in the kernel.
  int send_buffer_bytes = 0;
  // Clients at once; more are refused (503).
  size_t max_clients = 1024;
  // How many recent feed items the snapshot carries.
  uint32_t snapshot_items = 50;
};

class FeedSocket;

// The clients of the live feed. The dispatcher hands it every item the
// feed publishes; it renders each once and queues it to every client.
class FeedHub {
 public:
  using MakeSnapshot = std::function<v1::Snapshot(uint32_t limit)>;

  FeedHub(FeedSocketLimits limits, MakeSnapshot make_snapshot);
  ~FeedHub();

  // Takes over `socket`, whose HTTP upgrade `request` was read and
  // authenticated, and runs the WebSocket session on it.
  void Accept(boost::asio::ip::tcp::socket socket,
              boost::beast::http::request<boost::beast::http::string_body> request);

  // A committed feed item (or heartbeat): queued to every client.
  void Broadcast(const v1::FeedItem& item);

  // Closes every client (the dispatcher is stopping).
  void CloseAll();

  [[nodiscard]] size_t clients() const { return clients_.size(); }
  // Clients dropped for a full queue since start.
  [[nodiscard]] uint64_t dropped_slow() const { return dropped_slow_; }
  [[nodiscard]] uint64_t accepted() const { return accepted_; }
  [[nodiscard]] uint64_t messages_sent() const { return messages_sent_; }
  [[nodiscard]] const FeedSocketLimits& limits() const { return limits_; }

 private:
  friend class FeedSocket;
  // The snapshot message a client starts with; registers it for items.
  std::shared_ptr<const std::string> Join(const std::shared_ptr<FeedSocket>& client);
  void Leave(FeedSocket* client);

  FeedSocketLimits limits_;
  MakeSnapshot make_snapshot_;
  std::shared_ptr<spdlog::logger> log_;
  std::list<std::weak_ptr<FeedSocket>> clients_;
  uint64_t dropped_slow_ = 0;
  uint64_t accepted_ = 0;
  uint64_t messages_sent_ = 0;
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
  // Queues `message`; closes the client (1013) when the queue would
  // overflow.
  void Send(std::shared_ptr<const std::string> message);
  // Closes the client with `code` (sending a close frame when it can).
  void Close(boost::beast::websocket::close_code code, std::string_view reason);

 private:
  void OnAccept(const boost::system::error_code& ec);
  void Read();
  void Write();
  void OnWrite(const boost::system::error_code& ec);
  void Finish();
  [[nodiscard]] FeedHub* hub() const { return *hub_; }

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::asio::steady_timer hard_close_;
  std::shared_ptr<FeedHub*> hub_;
  boost::beast::flat_buffer incoming_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  size_t queued_bytes_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  boost::beast::websocket::close_reason close_reason_;
  std::string peer_;
};

}  // namespace anding::dispatcher
