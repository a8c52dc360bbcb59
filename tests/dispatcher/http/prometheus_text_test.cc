// The Prometheus text format: families grouped with one HELP and TYPE,
// labels escaped, histograms cumulative with +Inf, clashes dropped.
#include "http/prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace anding::dispatcher {
namespace {

TEST(PrometheusTextTest, SamplesOfOneNameFormOneFamily) {
  PrometheusText text;
  text.Counter("anding_refusals_total", "Refused, by reason", 3, {{"reason", "malformed"}});
  text.Gauge("anding_agents_online", "Agents online", 2);
  text.Counter("anding_refusals_total", "ignored help", 0, {{"reason", "wrong_unit"}});
  EXPECT_EQ(text.Render(),
            "# HELP anding_agents_online Agents online\n"
            "# TYPE anding_agents_online gauge\n"
            "anding_agents_online 2\n"
            "# HELP anding_refusals_total Refused, by reason\n"
            "# TYPE anding_refusals_total counter\n"
            "anding_refusals_total{reason=\"malformed\"} 3\n"
            "anding_refusals_total{reason=\"wrong_unit\"} 0\n");
}

TEST(PrometheusTextTest, LabelValuesAndHelpAreEscaped) {
  PrometheusText text;
  text.Gauge("anding_x", "line\\one\ntwo", 1, {{"unit", "矿\"3\"\\\n"}});
  EXPECT_EQ(text.Render(),
            "# HELP anding_x line\\\\one\\ntwo\n"
            "# TYPE anding_x gauge\n"
            "anding_x{unit=\"矿\\\"3\\\"\\\\\\n\"} 1\n");
}

TEST(PrometheusTextTest, AHistogramIsCumulativeWithInfSumAndCount) {
  Histogram histogram({1, 0.5});  // sorted
  histogram.Observe(0.25);
  histogram.Observe(0.5);  // a bound counts in its own bucket
  histogram.Observe(0.75);
  histogram.Observe(7);
  PrometheusText text;
  text.Distribution("anding_latency_seconds", "Latency", histogram, {{"route", "/api"}});
  EXPECT_EQ(text.Render(),
            "# HELP anding_latency_seconds Latency\n"
            "# TYPE anding_latency_seconds histogram\n"
            "anding_latency_seconds_bucket{route=\"/api\",le=\"0.5\"} 2\n"
            "anding_latency_seconds_bucket{route=\"/api\",le=\"1\"} 3\n"
            "anding_latency_seconds_bucket{route=\"/api\",le=\"+Inf\"} 4\n"
            "anding_latency_seconds_sum{route=\"/api\"} 8.5\n"
            "anding_latency_seconds_count{route=\"/api\"} 4\n");
  EXPECT_EQ(histogram.UpperBoundOfQuantile(0.5), 0.5);
  EXPECT_EQ(histogram.UpperBoundOfQuantile(0.75), 1);
  EXPECT_TRUE(std::isinf(histogram.UpperBoundOfQuantile(1)));
  EXPECT_EQ(Histogram({1}).UpperBoundOfQuantile(0.5), 0);
}

TEST(PrometheusTextTest, MalformedNamesAndTypeClashesAreDroppedAndCounted) {
  PrometheusText text;
  text.Gauge("anding_ok", "fine", 1);
  text.Counter("anding_ok", "another type", 2);
  text.Gauge("9lives", "bad name", 1);
  text.Gauge("anding_labels", "bad label", 1, {{"le-x", "1"}});
  const std::string rendered = text.Render();
  EXPECT_NE(rendered.find("anding_ok 1\n"), std::string::npos);
  EXPECT_EQ(rendered.find("anding_ok 2"), std::string::npos);
  EXPECT_EQ(rendered.find("9lives"), std::string::npos);
  EXPECT_NE(rendered.find("anding_metrics_dropped_total 3\n"), std::string::npos) << rendered;
}

TEST(PrometheusTextTest, ValuesAreWrittenAsPrometheusReadsThem) {
  EXPECT_EQ(FormatMetricValue(3), "3");
  EXPECT_EQ(FormatMetricValue(0.25), "0.25");
  EXPECT_EQ(FormatMetricValue(INFINITY), "+Inf");
  EXPECT_EQ(FormatMetricValue(NAN), "NaN");
  EXPECT_EQ(FormatMetricValue(1e20), "1e+20");
}

}  // namespace
}  // namespace anding::dispatcher
