// Figures the dispatcher exposes on GET /metrics (Prometheus text format
// 0.0.4). The figures are pulled at scrape time: the shell writes its own
// (events in, acks, commit latency, queue depths, HTTP latencies, ...) and
// then asks every module to write its own through Module::Collect — open
// incidents, deadline breaches, notifications by state — so that a module
// adds figures without the shell knowing it.
//
// A metric's name follows Prometheus ([a-zA-Z_:][a-zA-Z0-9_:]*, prefixed
// "anding_"); its label values are free text (escaped when written).
//
// Thread-safety: Histogram is not synchronised; like every module method,
// it is used on the io_context thread only. A MetricsWriter lives for one
// scrape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anding::dispatcher {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// A distribution of observations (seconds, bytes, ...) over fixed buckets,
// as Prometheus histograms count them: each bucket counts observations
// less than or equal to its upper bound; +Inf is implied.
class Histogram {
 public:
  // `upper_bounds` ascending; an unsorted list is sorted.
  explicit Histogram(std::vector<double> upper_bounds);
  // Latency buckets from 100 µs to 10 s, in seconds.
  [[nodiscard]] static Histogram Latency();

  void Observe(double value);

  [[nodiscard]] const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  // Observations per bucket (not cumulative), one more than upper_bounds():
  // the last counts those above every bound.
  [[nodiscard]] const std::vector<uint64_t>& bucket_counts() const { return counts_; }
  [[nodiscard]] uint64_t count() const { return count_; }
  [[nodiscard]] double sum() const { return sum_; }
  // The smallest bucket bound at or below which `quantile` (0..1) of the
  // observations fall; +infinity when they are in the last bucket, 0 when
  // there are none. For tests and logs; Prometheus computes its own.
  [[nodiscard]] double UpperBoundOfQuantile(double quantile) const;

 private:
  std::vector<double> upper_bounds_;
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  double sum_ = 0;
};

// Where figures are written during one scrape. Several calls with the same
// name (and different labels) form one metric family; the first call's
// type and help are kept, and a later call that gives the same name
// another type is dropped (and counted in anding_metrics_dropped_total).
class MetricsWriter {
 public:
  virtual ~MetricsWriter() = default;
  // A value that only grows (events since start, ...).
  virtual void Counter(std::string_view name, std::string_view help, double value,
                       const MetricLabels& labels = {}) = 0;
  // A value that goes up and down (queue depth, open incidents, ...).
  virtual void Gauge(std::string_view name, std::string_view help, double value,
                     const MetricLabels& labels = {}) = 0;
  virtual void Distribution(std::string_view name, std::string_view help,
                            const Histogram& histogram, const MetricLabels& labels = {}) = 0;
};

}  // namespace anding::dispatcher
