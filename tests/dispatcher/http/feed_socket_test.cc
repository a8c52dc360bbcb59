// The live feed's WebSocket hub over loopback, without a dispatcher: items
// published while a client's write is in flight go out together in its
// next message, in order; no message of items passes the byte limit (a
// batch is split over several, each as full as the limit allows); a client
// that reads nothing is dropped with 1013, by items or by bytes, while the
// others get every item.
#include "http/feed_socket.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dispatcher/http/http_client.h"

namespace anding::testing {
namespace {

using boost::asio::ip::tcp;
using dispatcher::FeedHub;
using dispatcher::FeedSocketLimits;
namespace http = boost::beast::http;

// A feed item of about `size` bytes of JSON.
v1::FeedItem Item(uint64_t sequence, size_t size) {
  v1::FeedItem item;
  item.set_sequence(sequence);
  item.mutable_record_changed()->set_kind("test");
  item.mutable_record_changed()->set_id(std::string(size, 'x'));
  return item;
}

// One message as the client read it: its size and its items' sequences.
struct Message {
  size_t bytes = 0;
  bool snapshot = false;
  std::vector<uint64_t> sequences;
  std::vector<size_t> item_bytes;  // each item's JSON, serialized again
};

Message Parse(const std::string& text) {
  Message message;
  message.bytes = text.size();
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << text.substr(0, 200);
  if (ec || !value.is_object()) return message;
  auto& object = value.as_object();
  message.snapshot = object.contains("snapshot");
  if (!object.contains("items")) return message;
  for (auto& item : object["items"].as_array()) {
    message.item_bytes.push_back(boost::json::serialize(item).size());
    message.sequences.push_back(std::stoull(std::string(item.as_object()["sequence"].as_string())));
  }
  return message;
}

class FeedHubTest : public ::testing::Test {
 protected:
  void Start(FeedSocketLimits limits) {
    hub_ = std::make_unique<FeedHub>(io_.get_executor(), limits, [](uint32_t) {
      v1::Snapshot snapshot;
      snapshot.set_sequence(0);
      return snapshot;
    });
    acceptor_.open(tcp::v4());
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    endpoint_ = "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    AcceptNext();
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (!thread_.joinable()) return;
    OnIo([this] {
      hub_.reset();
      acceptor_.close();
    });
    io_.stop();
    thread_.join();
  }

  // Runs `fn` on the hub's thread and waits for it.
  template <typename Fn>
  void OnIo(Fn fn) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  // A connected client, past its snapshot.
  void Connect(WsClient& client, bool read_snapshot = true) {
    ASSERT_EQ(client.Connect(endpoint_, "/api/v1/feed", {}), 101u);
    if (!read_snapshot) return;
    auto first = client.Read();
    ASSERT_TRUE(first.has_value());
    ASSERT_TRUE(Parse(*first).snapshot) << *first;
  }

  // Reads messages until `count` items have arrived in all (or the client
  // is closed or silent for 10 s).
  static std::vector<Message> ReadItems(WsClient& client, size_t count) {
    std::vector<Message> messages;
    size_t items = 0;
    while (items < count) {
      auto text = client.Read();
      if (!text) break;
      messages.push_back(Parse(*text));
      items += messages.back().sequences.size();
    }
    return messages;
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::unique_ptr<FeedHub> hub_;
  std::string endpoint_;
  std::thread thread_;

 private:
  // Reads each connection's upgrade request and hands it to the hub, as
  // the HTTP listener does after authenticating it.
  struct Upgrade {
    explicit Upgrade(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
  };
  void AcceptNext() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec) return;
      auto upgrade = std::make_shared<Upgrade>(std::move(socket));
      http::async_read(upgrade->socket, upgrade->buffer, upgrade->request,
                       [this, upgrade](const boost::system::error_code& read, size_t) {
                         if (!read && hub_) {
                           hub_->Accept(std::move(upgrade->socket), std::move(upgrade->request));
                         }
                       });
      AcceptNext();
    });
  }
};

TEST_F(FeedHubTest, ItemsPublishedDuringAWriteArriveTogetherInTheNextMessageInOrder) {
  FeedSocketLimits limits;
  limits.send_buffer_bytes = 4096;
  Start(limits);
  WsClient client(/*receive_buffer_bytes=*/2048);
  Connect(client);

  // An item far larger than both sockets' buffers: its write stays in
  // flight until the client reads.
  OnIo([&] { hub_->Broadcast(Item(1, 400000)); });
  uint64_t written = 0;
  OnIo([&] {
    for (uint64_t sequence = 2; sequence <= 6; ++sequence) hub_->Broadcast(Item(sequence, 40));
    written = hub_->messages_sent();
  });
  ASSERT_EQ(written, 1u) << "only the snapshot may be written yet";

  auto messages = ReadItems(client, 6);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].sequences, std::vector<uint64_t>({1}));
  EXPECT_EQ(messages[1].sequences, std::vector<uint64_t>({2, 3, 4, 5, 6}));
  uint64_t items = 0;
  OnIo([&] {
    written = hub_->messages_sent();
    items = hub_->items_sent();
  });
  EXPECT_EQ(written, 3u);
  EXPECT_EQ(items, 6u);
}

TEST_F(FeedHubTest, NoMessageOfItemsPassesTheByteLimit) {
  FeedSocketLimits limits;
  limits.max_message_bytes = 1024;
  Start(limits);
  WsClient client;
  Connect(client);

  // Sixty items of 20 to 320 bytes published at once, one of them larger
  // than the limit on its own.
  constexpr uint64_t kItems = 60;
  constexpr uint64_t kLarge = 30;
  OnIo([&] {
    for (uint64_t sequence = 1; sequence <= kItems; ++sequence) {
      hub_->Broadcast(Item(sequence, sequence == kLarge ? 3000 : 20 + (sequence * 37) % 300));
    }
  });
  auto messages = ReadItems(client, kItems);
  std::vector<uint64_t> sequences;
  for (size_t i = 0; i < messages.size(); ++i) {
    const Message& message = messages[i];
    sequences.insert(sequences.end(), message.sequences.begin(), message.sequences.end());
    if (message.sequences == std::vector<uint64_t>({kLarge})) {
      EXPECT_GT(message.bytes, limits.max_message_bytes) << "the large item travels alone";
      continue;
    }
    EXPECT_LE(message.bytes, limits.max_message_bytes) << "message " << i;
    // Each is as full as the limit allows: the next item would not fit.
    if (i + 1 < messages.size() && messages[i + 1].sequences.front() != kLarge) {
      EXPECT_GT(message.bytes + 1 + messages[i + 1].item_bytes.front(), limits.max_message_bytes)
          << "message " << i;
    }
  }
  EXPECT_GE(messages.size(), 10u);
  std::vector<uint64_t> expected;
  for (uint64_t sequence = 1; sequence <= kItems; ++sequence) expected.push_back(sequence);
  EXPECT_EQ(sequences, expected);
}

// Publishes rounds of items while `slow` reads nothing and a reader reads
// everything; once `slow` is dropped it must find a 1013 close after what
// fitted in the buffers, and the reader must have every item in order.
class SlowClientTest : public FeedHubTest {
 protected:
  void Run(FeedSocketLimits limits, size_t item_bytes) {
    limits.send_buffer_bytes = 4096;
    Start(limits);
    WsClient slow(/*receive_buffer_bytes=*/2048);
    Connect(slow, /*read_snapshot=*/false);
    WsClient reader;
    Connect(reader);

    constexpr uint64_t kRounds = 40;
    constexpr uint64_t kPerRound = 16;
    uint64_t sequence = 0;
    std::vector<uint64_t> received;
    bool dropped = false;
    for (uint64_t round = 0; round < kRounds; ++round) {
      uint64_t dropped_slow = 0;
      OnIo([&] {
        for (uint64_t i = 0; i < kPerRound; ++i) hub_->Broadcast(Item(++sequence, item_bytes));
        dropped_slow = hub_->dropped_slow();
      });
      for (const Message& message : ReadItems(reader, kPerRound)) {
        received.insert(received.end(), message.sequences.begin(), message.sequences.end());
      }
      ASSERT_EQ(received.size(), sequence) << "the reader fell behind in round " << round;
      if (dropped_slow == 1 && !dropped) {
        dropped = true;
        // Read now, within the grace the server gives a closing client:
        // what fitted in the buffers, then the close.
        size_t got = 0;
        while (auto message = slow.Read()) got += Parse(*message).sequences.size();
        EXPECT_LT(got, sequence);
        EXPECT_EQ(slow.close_code(), 1013u);
      }
    }
    EXPECT_TRUE(dropped);
    for (uint64_t i = 0; i < received.size(); ++i) ASSERT_EQ(received[i], i + 1);
    size_t clients = 0;
    uint64_t dropped_slow = 0;
    OnIo([&] {
      clients = hub_->clients();
      dropped_slow = hub_->dropped_slow();
    });
    EXPECT_EQ(clients, 1u);
    EXPECT_EQ(dropped_slow, 1u);
  }
};

TEST_F(SlowClientTest, AClientBehindByMoreItemsThanItsBoundIsDroppedWith1013) {
  FeedSocketLimits limits;
  limits.max_queue_items = 64;
  Run(limits, 100);
}

TEST_F(SlowClientTest, AClientBehindByMoreBytesThanItsBoundIsDroppedWith1013) {
  FeedSocketLimits limits;
  limits.max_queue_bytes = 32 << 10;
  Run(limits, 500);
}

}  // namespace
}  // namespace anding::testing
