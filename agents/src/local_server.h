// The daemon's end of the agent's command line (`anding-agent report ...`,
// `orders`, `outbox`, `status`): a ROUTER socket at ipc://<data_dir>/agent.sock.
//
// A report is given its message id, sequence and sent_at (the agent's
// clock), validated, and stored in the outbox before the caller hears
// "accepted"; then the uplink delivers it. A caller that asks to wait is
// answered when the dispatcher has settled every message it submitted, or
// when its wait is over (real time: it is a person at a terminal, whatever
// clock the daemon keeps), with each message's state at that moment.
//
// Thread-safety: everything runs on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "anding/agent/config.h"
#include "anding/agent/outbox_store.h"
#include "anding/common/clock.h"
#include "anding/common/ids.h"
#include "anding/runtime/zmq_watcher.h"
#include "anding/v1/agent_local.pb.h"
#include "spdlog/logger.h"
#include "uplink.h"

namespace anding::agent {

class LocalServer {
 public:
  // Everything given must outlive the server.
  LocalServer(boost::asio::io_context& io, zmq::context_t& zmq, const Clock& clock,
              const AgentConfig& config, OutboxStore& outbox, Uplink& uplink);
  ~LocalServer();
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  // Binds the socket (replacing one left by a killed run). Unavailable if
  // it cannot.
  [[nodiscard]] Status Start();
  // Stops answering; callers still waiting get no answer.
  void Stop();

  // The uplink settled `message_id`: answers the callers waiting for it
  // once all their messages are settled.
  void OnSettled(const std::string& message_id);

 private:
  // A caller waiting for the dispatcher's answers.
  struct Waiter {
    std::string routing_id;
    std::vector<std::string> message_ids;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };

  void OnReadable();
  void Handle(const std::string& routing_id, const v1::LocalRequest& request);
  void Submit(const std::string& routing_id, const v1::SubmitRequest& request);
  void Reply(const std::string& routing_id, const v1::LocalResponse& response);
  void FinishWaiter(uint64_t waiter_id);
  v1::OutboxEntry EntryFor(const std::string& message_id);

  boost::asio::io_context& io_;
  const Clock& clock_;
  const AgentConfig& config_;
  OutboxStore& outbox_;
  Uplink& uplink_;
  std::shared_ptr<spdlog::logger> log_;
  UuidV7Generator ids_;
  zmq::socket_t socket_;
  std::unique_ptr<runtime::ZmqWatcher> watcher_;

  uint64_t next_waiter_ = 1;
  std::map<uint64_t, Waiter> waiters_;
  std::map<std::string, std::vector<uint64_t>> waiters_by_message_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace anding::agent
