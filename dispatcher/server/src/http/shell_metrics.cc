#include "http/shell_metrics.h"

#include "http/prometheus_text.h"

namespace anding::dispatcher {
namespace {

double Seconds(std::chrono::steady_clock::duration latency) {
  return std::chrono::duration<double>(latency).count();
}

}  // namespace

void ShellMetrics::ObserveCommit(std::chrono::steady_clock::duration latency) {
  commit_latency_.Observe(Seconds(latency));
}

void ShellMetrics::ObserveHttp(std::string_view route, unsigned status,
                               std::chrono::steady_clock::duration latency) {
  auto it = http_latency_.find(route);
  if (it == http_latency_.end()) {
    it = http_latency_.emplace(std::string(route), Histogram::Latency()).first;
  }
  it->second.Observe(Seconds(latency));
  ++http_requests_[{std::string(route), status}];
}

void ShellMetrics::Collect(const ShellParts& parts, MetricsWriter& out) const {
  const LinkCounters& link = parts.link.counters();
  const IntakeCounters& intake = parts.intake.counters();
  out.Counter("anding_link_frames_received_total", "Frames received from agents",
              static_cast<double>(link.frames_received));
  out.Counter("anding_events_received_total", "Envelopes received from agents (events in)",
              static_cast<double>(link.envelopes_received));
  out.Counter("anding_acks_total", "Envelopes acknowledged as stored, by kind",
              static_cast<double>(intake.stored), {{"kind", "stored"}});
  out.Counter("anding_acks_total", "Envelopes acknowledged as stored, by kind",
              static_cast<double>(intake.duplicates), {{"kind", "duplicate"}});
  out.Counter("anding_duplicates_total", "Envelopes received again (re-acknowledged, not stored)",
              static_cast<double>(intake.duplicates));
  const std::pair<const char*, uint64_t> refusals[] = {
      {"malformed", link.malformed},
      {"unauthorised", link.unauthorised},
      {"wrong_unit", link.wrong_unit},
      {"invalid", link.invalid},
      {"oversized", link.oversized},
      {"unroutable", link.unroutable},
      {"conflict", intake.conflicts},
      {"refused_by_domain", intake.refused_by_domain},
      {"unavailable", intake.refused_unavailable},
      {"refused_by_store", intake.refused_by_store},
  };
  for (const auto& [reason, count] : refusals) {
    out.Counter("anding_refusals_total", "Agent input refused, by reason",
                static_cast<double>(count), {{"reason", reason}});
  }
  out.Distribution("anding_commit_latency_seconds",
                   "Time from submitting a batch to the store until it is durable (or failed)",
                   commit_latency_);
  out.Gauge("anding_commit_queue_batches", "Batches submitted to the store and not yet durable",
            static_cast<double>(parts.committer.in_flight()));
  out.Gauge("anding_order_outbox_depth", "Orders to units not yet acknowledged by their agent",
            static_cast<double>(parts.orders.pending_total()));
  size_t online = 0;
  const auto agents = parts.agents.StatusView();
  for (const auto& agent : agents) online += agent.online() ? 1 : 0;
  out.Gauge("anding_agents_online", "Agents online", static_cast<double>(online));
  out.Gauge("anding_agents_known", "Agents that have ever talked to this dispatcher",
            static_cast<double>(agents.size()));
  out.Gauge("anding_feed_sequence", "Sequence of the last live-feed item published",
            static_cast<double>(parts.feed.sequence()));
  out.Gauge("anding_websocket_clients", "Live-feed WebSocket clients connected",
            static_cast<double>(parts.feed_clients.clients()));
  out.Counter("anding_websocket_accepted_total", "Live-feed WebSocket clients accepted",
              static_cast<double>(parts.feed_clients.accepted()));
  out.Counter("anding_websocket_dropped_slow_total",
              "Live-feed WebSocket clients dropped because their send queue was full",
              static_cast<double>(parts.feed_clients.dropped_slow()));
  out.Counter("anding_websocket_messages_sent_total",
              "Live-feed WebSocket messages written (snapshots included)",
              static_cast<double>(parts.feed_clients.messages_sent()));
  out.Counter("anding_websocket_items_sent_total",
              "Live-feed items written to WebSocket clients, over every client",
              static_cast<double>(parts.feed_clients.items_sent()));
  out.Gauge("anding_ready", "1 when the store is loaded and commits are not failed",
            parts.ready && parts.ready() ? 1 : 0);
  for (const auto& [route, histogram] : http_latency_) {
    out.Distribution("anding_http_request_duration_seconds",
                     "HTTP request latency (read to answer written), by route", histogram,
                     {{"route", route}});
  }
  for (const auto& [key, count] : http_requests_) {
    out.Counter("anding_http_requests_total", "HTTP requests answered, by route and status",
                static_cast<double>(count),
                {{"route", key.first}, {"code", std::to_string(key.second)}});
  }
}

std::string ShellMetrics::Scrape(const ShellParts& parts) const {
  PrometheusText text;
  Collect(parts, text);
  parts.modules.CollectMetrics(text);
  return text.Render();
}

}  // namespace anding::dispatcher
