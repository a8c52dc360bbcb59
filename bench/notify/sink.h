// The webhook sink of the notification benchmark: an HTTP/1.1 server on
// 127.0.0.1 (keep-alive or not, as the client asks) that answers every
// request "200 ok" and records when each arrived and which benchmark
// event it carried ("bseq-<n>" anywhere in the body). Anding's dispatcher
// and Alertmanager post to the same sink.
//
// Thread-safety: runs its own thread; Arrivals() may be called from any.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace anding::bench {

using SteadyTime = std::chrono::steady_clock::time_point;

struct Arrival {
  int64_t seq = -1;  // -1: no marker in the body
  SteadyTime at;
};

class WebhookSink {
 public:
  WebhookSink();
  ~WebhookSink();
  WebhookSink(const WebhookSink&) = delete;
  WebhookSink& operator=(const WebhookSink&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // Every request so far, and forgets them.
  [[nodiscard]] std::vector<Arrival> TakeArrivals();
  [[nodiscard]] int64_t count() const { return count_; }
  [[nodiscard]] int64_t connections() const { return connections_; }

  // For the sessions.
  void Record(int64_t seq, SteadyTime at);
  void CountConnection() { ++connections_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Arrival> arrivals_;
  std::atomic<int64_t> count_{0};
  std::atomic<int64_t> connections_{0};
  std::thread thread_;
};

// The number after the first "bseq-" in `body`, or -1.
[[nodiscard]] int64_t FindSeq(std::string_view body);

}  // namespace anding::bench
