// The dispatcher's own figures for GET /metrics, read at scrape time from
// the parts that keep them (the link's and intake's counters, the order
// outbox, the agent registry, the committer, the feed and its WebSocket
// clients), plus the two distributions the shell measures itself: commit
// latency and HTTP request latency by route. Scrape() adds every module's
// figures (Module::Collect) and renders the Prometheus text.
//
// Thread-safety: io_context thread only.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "agent_registry.h"
#include "anding/dispatcher/metrics.h"
#include "committer.h"
#include "feed.h"
#include "http/feed_socket.h"
#include "intake.h"
#include "link_server.h"
#include "module_host.h"
#include "order_outbox.h"

namespace anding::dispatcher {

struct ShellParts {
  const LinkServer& link;
  const Intake& intake;
  const AgentRegistry& agents;
  const OrderOutbox& orders;
  const Committer& committer;
  const Feed& feed;
  const FeedHub& feed_clients;
  const ModuleHost& modules;
  // Whether the store is loaded and commits are not failed (for /readyz).
  std::function<bool()> ready;
};

class ShellMetrics {
 public:
  ShellMetrics() = default;

  // A batch's commit latency.
  void ObserveCommit(std::chrono::steady_clock::duration latency);
  // One HTTP request: its route (the pattern, not the path, so that the
  // label set stays small), its status and how long it took.
  void ObserveHttp(std::string_view route, unsigned status,
                   std::chrono::steady_clock::duration latency);

  // Every figure in the Prometheus text format.
  [[nodiscard]] std::string Scrape(const ShellParts& parts) const;
  // The shell's own figures (without the modules').
  void Collect(const ShellParts& parts, MetricsWriter& out) const;

  [[nodiscard]] const Histogram& commit_latency() const { return commit_latency_; }

 private:
  Histogram commit_latency_ = Histogram::Latency();
  std::map<std::string, Histogram, std::less<>> http_latency_;
  std::map<std::pair<std::string, unsigned>, uint64_t> http_requests_;
};

}  // namespace anding::dispatcher
