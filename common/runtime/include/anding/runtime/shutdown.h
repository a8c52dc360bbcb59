// Graceful shutdown: SIGINT and SIGTERM call `on_signal` once, on the
// io_context's thread; a second signal exits at once (status 130) for an
// operator whose shutdown is stuck.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>

namespace anding::runtime {

class ShutdownSignals {
 public:
  ShutdownSignals(boost::asio::io_context& io, std::function<void(int signal)> on_signal);

 private:
  void Wait();
  boost::asio::signal_set signals_;
  std::function<void(int)> on_signal_;
  int received_ = 0;
};

}  // namespace anding::runtime
