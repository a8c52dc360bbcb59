// The ZAP (ZeroMQ Authentication Protocol, RFC 27) handler: decides, at
// every CURVE handshake, whether the client's public key is enrolled for
// the socket's domain ("link" for agents, "ops" for operators and feed
// subscribers). Admitted connections carry the key as their User-Id, which
// the dispatcher re-checks against the current enrolment on every message,
// so a revoked key loses access on connections that were already open.
//
// Sockets served by this handler set ZMQ_ZAP_ENFORCE_DOMAIN, so if the
// handler were missing nothing would be admitted.
// Thread-safety: lives on the io_context thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <zmq.hpp>

#include "anding/dispatcher/enrolment.h"
#include "anding/runtime/zmq_watcher.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

inline constexpr const char* kZapDomainLink = "link";
inline constexpr const char* kZapDomainOps = "ops";

class ZapHandler {
 public:
  using Lookup = std::function<std::optional<Principal>(std::string_view public_key)>;

  // Binds inproc://zeromq.zap.01 on `context`.
  ZapHandler(boost::asio::io_context& io, zmq::context_t& context, Lookup lookup);
  void Start() { watcher_->Start(); }
  void Stop() { watcher_->Stop(); }

  [[nodiscard]] uint64_t admitted() const { return admitted_; }
  [[nodiscard]] uint64_t denied() const { return denied_; }

 private:
  void OnRequest();

  zmq::socket_t socket_;
  Lookup lookup_;
  std::unique_ptr<runtime::ZmqWatcher> watcher_;
  std::shared_ptr<spdlog::logger> log_;
  uint64_t admitted_ = 0;
  uint64_t denied_ = 0;
};

}  // namespace anding::dispatcher
