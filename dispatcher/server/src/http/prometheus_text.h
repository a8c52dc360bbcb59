// The Prometheus text exposition format (version 0.0.4) of one scrape: a
// MetricsWriter that groups what it is given into metric families (one
// HELP and TYPE line each, then their samples) and renders them.
// Thread-safety: one scrape, one thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "anding/dispatcher/metrics.h"

namespace anding::dispatcher {

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

class PrometheusText final : public MetricsWriter {
 public:
  void Counter(std::string_view name, std::string_view help, double value,
               const MetricLabels& labels = {}) override;
  void Gauge(std::string_view name, std::string_view help, double value,
             const MetricLabels& labels = {}) override;
  void Distribution(std::string_view name, std::string_view help, const Histogram& histogram,
                    const MetricLabels& labels = {}) override;

  // The families in name order, each with its samples in the order given,
  // and anding_metrics_dropped_total when something was dropped.
  [[nodiscard]] std::string Render() const;

 private:
  struct Family {
    std::string type;
    std::string help;
    std::string samples;
  };
  // The family `name` of `type`, or nullptr (counted as dropped) when the
  // name is malformed or taken by another type.
  Family* FamilyFor(std::string_view name, std::string_view type, std::string_view help);

  std::map<std::string, Family, std::less<>> families_;
  uint64_t dropped_ = 0;
};

// `value` as Prometheus writes numbers ("+Inf", "NaN", shortest exact form).
[[nodiscard]] std::string FormatMetricValue(double value);

}  // namespace anding::dispatcher
