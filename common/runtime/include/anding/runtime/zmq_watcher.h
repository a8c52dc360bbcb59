// Integrates one ZeroMQ socket with an Asio io_context.
//
// ZeroMQ exposes a file descriptor (ZMQ_FD) that signals *edges*: it becomes
// readable when the socket's state may have changed, not while messages are
// waiting. So after every wake-up, and after every send on the socket, the
// owner must re-check ZMQ_EVENTS and drain all waiting messages, or they sit
// unread. ZmqWatcher does the waiting and the re-checking; `on_readable` is
// called repeatedly while ZMQ_EVENTS reports ZMQ_POLLIN and must receive at
// least one message (non-blocking) each time it is called.
//
// Thread-safety: the socket, the watcher and the callback belong to the
// io_context's thread; call Kick() from that thread after sending.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <zmq.hpp>

namespace anding::runtime {

class ZmqWatcher {
 public:
  ZmqWatcher(boost::asio::io_context& io, zmq::socket_t& socket, std::function<void()> on_readable);
  ~ZmqWatcher();
  ZmqWatcher(const ZmqWatcher&) = delete;
  ZmqWatcher& operator=(const ZmqWatcher&) = delete;

  // Starts watching. Messages already waiting are drained on the next turn.
  void Start();
  // Stops watching; the socket itself is untouched.
  void Stop();
  // Call after sending on the socket: drains anything the send made visible.
  void Kick();

 private:
  void Wait();
  void Drain();

  boost::asio::io_context& io_;
  zmq::socket_t& socket_;
  std::function<void()> on_readable_;
  boost::asio::posix::stream_descriptor descriptor_;
  bool running_ = false;
  bool drain_posted_ = false;
};

}  // namespace anding::runtime
