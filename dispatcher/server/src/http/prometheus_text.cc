#include "http/prometheus_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "anding/common/strings.h"

namespace anding::dispatcher {
namespace {

bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool IsLabelName(std::string_view name) {
  return IsMetricName(name) && name.find(':') == std::string_view::npos && name.rfind("__", 0) != 0;
}

// Label values escape backslash, double quote and line feed; help text
// escapes backslash and line feed.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// `labels` plus `extra` as {a="1",b="2"}, or nothing; false if a label name
// is malformed.
bool AppendLabels(std::string& out, const MetricLabels& labels,
                  const std::pair<std::string_view, std::string>* extra = nullptr) {
  if (labels.empty() && extra == nullptr) return true;
  std::string text = "{";
  bool first = true;
  auto add = [&](std::string_view name, std::string_view value) {
    if (!first) text += ',';
    first = false;
    text += name;
    text += "=\"";
    AppendEscaped(text, value, /*quote=*/true);
    text += '"';
  };
  for (const auto& [name, value] : labels) {
    if (!IsLabelName(name)) return false;
    add(name, value);
  }
  if (extra != nullptr) add(extra->first, extra->second);
  text += '}';
  out += text;
  return true;
}

}  // namespace

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : "NaN";
}

Histogram::Histogram(std::vector<double> upper_bounds) : upper_bounds_(std::move(upper_bounds)) {
  std::sort(upper_bounds_.begin(), upper_bounds_.end());
  upper_bounds_.erase(std::unique(upper_bounds_.begin(), upper_bounds_.end()), upper_bounds_.end());
  counts_.assign(upper_bounds_.size() + 1, 0);
}

Histogram Histogram::Latency() {
  return Histogram({0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                    0.5, 1, 2.5, 5, 10});
}

void Histogram::Observe(double value) {
  const auto it = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value);
  ++counts_[static_cast<size_t>(it - upper_bounds_.begin())];
  ++count_;
  sum_ += value;
}

double Histogram::UpperBoundOfQuantile(double quantile) const {
  if (count_ == 0) return 0;
  const double wanted = std::ceil(std::clamp(quantile, 0.0, 1.0) * static_cast<double>(count_));
  uint64_t seen = 0;
  for (size_t i = 0; i < upper_bounds_.size(); ++i) {
    seen += counts_[i];
    if (static_cast<double>(seen) >= wanted && seen > 0) return upper_bounds_[i];
  }
  return std::numeric_limits<double>::infinity();
}

PrometheusText::Family* PrometheusText::FamilyFor(std::string_view name, std::string_view type,
                                                  std::string_view help) {
  if (!IsMetricName(name)) {
    ++dropped_;
    return nullptr;
  }
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{std::string(type), std::string(help), {}})
             .first;
  } else if (it->second.type != type) {
    ++dropped_;
    return nullptr;
  }
  return &it->second;
}

void PrometheusText::Counter(std::string_view name, std::string_view help, double value,
                             const MetricLabels& labels) {
  Family* family = FamilyFor(name, "counter", help);
  if (family == nullptr) return;
  std::string line(name);
  if (!AppendLabels(line, labels)) {
    ++dropped_;
    return;
  }
  StrAppend(family->samples, line, " ", FormatMetricValue(value), "\n");
}

void PrometheusText::Gauge(std::string_view name, std::string_view help, double value,
                           const MetricLabels& labels) {
  Family* family = FamilyFor(name, "gauge", help);
  if (family == nullptr) return;
  std::string line(name);
  if (!AppendLabels(line, labels)) {
    ++dropped_;
    return;
  }
  StrAppend(family->samples, line, " ", FormatMetricValue(value), "\n");
}

void PrometheusText::Distribution(std::string_view name, std::string_view help,
                                  const Histogram& histogram, const MetricLabels& labels) {
  Family* family = FamilyFor(name, "histogram", help);
  if (family == nullptr) return;
  std::string samples;
  uint64_t cumulative = 0;
  const auto& bounds = histogram.upper_bounds();
  const auto& counts = histogram.bucket_counts();
  for (size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += counts[i];
    const std::pair<std::string_view, std::string> le{
        "le", i < bounds.size() ? FormatMetricValue(bounds[i]) : "+Inf"};
    StrAppend(samples, name, "_bucket");
    if (!AppendLabels(samples, labels, &le)) {
      ++dropped_;
      return;
    }
    StrAppend(samples, " ", cumulative, "\n");
  }
  std::string suffix;
  AppendLabels(suffix, labels);
  StrAppend(samples, name, "_sum", suffix, " ", FormatMetricValue(histogram.sum()), "\n");
  StrAppend(samples, name, "_count", suffix, " ", histogram.count(), "\n");
  family->samples += samples;
}

std::string PrometheusText::Render() const {
  std::string out;
  auto render = [&out](std::string_view name, const Family& family) {
    StrAppend(out, "# HELP ", name, " ");
    AppendEscaped(out, family.help, /*quote=*/false);
    StrAppend(out, "\n# TYPE ", name, " ", family.type, "\n", family.samples);
  };
  for (const auto& [name, family] : families_) render(name, family);
  if (dropped_ > 0 && !families_.contains("anding_metrics_dropped_total")) {
    render("anding_metrics_dropped_total",
           Family{"counter", "Figures dropped in this scrape (malformed name or label, type clash)",
                  StrCat("anding_metrics_dropped_total ", dropped_, "\n")});
  }
  return out;
}

}  // namespace anding::dispatcher
