#include "anding/runtime/shutdown.h"

#include <csignal>
#include <cstdlib>

namespace anding::runtime {

ShutdownSignals::ShutdownSignals(boost::asio::io_context& io,
                                 std::function<void(int signal)> on_signal)
    : signals_(io, SIGINT, SIGTERM), on_signal_(std::move(on_signal)) {
  Wait();
}

void ShutdownSignals::Wait() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (++received_ > 1) std::_Exit(130);
    on_signal_(signal);
    Wait();
  });
}

}  // namespace anding::runtime
