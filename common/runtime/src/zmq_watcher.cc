#include "anding/runtime/zmq_watcher.h"

#include <boost/asio/post.hpp>

namespace anding::runtime {

ZmqWatcher::ZmqWatcher(boost::asio::io_context& io, zmq::socket_t& socket,
                       std::function<void()> on_readable)
    : io_(io),
      socket_(socket),
      on_readable_(std::move(on_readable)),
      descriptor_(io, socket.get(zmq::sockopt::fd)) {}

ZmqWatcher::~ZmqWatcher() {
  boost::system::error_code ignored;
  descriptor_.cancel(ignored);
  // The descriptor belongs to ZeroMQ: release it instead of closing it.
  descriptor_.release();
}

void ZmqWatcher::Start() {
  if (running_) return;
  running_ = true;
  Kick();
  Wait();
}

void ZmqWatcher::Stop() {
  running_ = false;
  boost::system::error_code ignored;
  descriptor_.cancel(ignored);
}

void ZmqWatcher::Kick() {
  if (!running_ || drain_posted_) return;
  drain_posted_ = true;
  boost::asio::post(io_, [this] {
    drain_posted_ = false;
    Drain();
  });
}

void ZmqWatcher::Wait() {
  descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                         [this](const boost::system::error_code& ec) {
                           if (ec || !running_) return;
                           Drain();
                           Wait();
                         });
}

void ZmqWatcher::Drain() {
  // Bounded so one busy socket cannot starve the rest of the io_context;
  // the re-post keeps draining on the next turn.
  for (int i = 0; i < 4096 && running_; ++i) {
    if (!(socket_.get(zmq::sockopt::events) & ZMQ_POLLIN)) return;
    on_readable_();
  }
  if (running_ && (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN)) Kick();
}

}  // namespace anding::runtime
