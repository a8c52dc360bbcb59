// The `visits:` section: defaults (the regulation's limits), overrides,
// and mistakes reported on their keys.
#include "anding/core/visits/config.h"

#include <gtest/gtest.h>

#include "anding/common/config.h"

namespace anding::core::visits {
namespace {

struct Parsed {
  VisitsConfig config;
  Status status;
};

Parsed Parse(const std::string& yaml) {
  auto doc = ConfigDocument::LoadString(yaml, "test.yaml");
  EXPECT_TRUE(doc.ok()) << doc.status();
  ConfigNode root = doc->root();
  Organisation org;
  Parsed parsed{ReadVisitsConfig(root, org), OkStatus()};
  parsed.status = doc->Finish();
  return parsed;
}

TEST(VisitsConfigTest, DefaultsAreTheRegulationsLimits) {
  const Parsed parsed = Parse("other: 1\n");
  ASSERT_FALSE(parsed.status.ok()) << "the unknown key 'other' is reported";
  const VisitsConfig& config = Parse("visits: {}\n").config;
  EXPECT_EQ(config.limits.accept_decision_days, 15);
  EXPECT_EQ(config.limits.conclude_days, 60);
  EXPECT_EQ(config.limits.max_extension_days, 30);
  EXPECT_EQ(config.limits.review_request_days, 30);
  EXPECT_EQ(config.limits.review_days, 30);
  EXPECT_EQ(config.limits.reexamination_request_days, 30);
  EXPECT_EQ(config.limits.reexamination_days, 30);
  EXPECT_EQ(config.rounding, Rounding::kTruncate);
  EXPECT_EQ(config.repeat_window_days, 90);
  EXPECT_EQ(config.zone.name(), "Asia/Shanghai");
}

TEST(VisitsConfigTest, ReadsEveryKey) {
  const Parsed parsed = Parse(
      "visits:\n"
      "  repeat_window_days: 30\n"
      "  collective_min_persons: 10\n"
      "  rounding: half_up\n"
      "  time_limits:\n"
      "    accept_decision_days: 10\n"
      "    conclude_days: 45\n"
      "    max_extension_days: 20\n"
      "    review_request_days: 25\n"
      "    review_days: 20\n"
      "    reexamination_request_days: 25\n"
      "    reexamination_days: 20\n"
      "    warn_before_days: 5\n");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  EXPECT_EQ(parsed.config.repeat_window_days, 30);
  EXPECT_EQ(parsed.config.collective_min_persons, 10u);
  EXPECT_EQ(parsed.config.rounding, Rounding::kHalfUp);
  EXPECT_EQ(parsed.config.limits, (TimeLimits{10, 45, 20, 25, 20, 25, 20, 5}));
}

TEST(VisitsConfigTest, MistakesNameTheirKeys) {
  const Parsed parsed = Parse(
      "visits:\n"
      "  rounding: bankers\n"
      "  repeat_window_days: -1\n"
      "  time_limits:\n"
      "    conclude_days: 0\n"
      "    warn_before_days: 15\n");
  ASSERT_FALSE(parsed.status.ok());
  const std::string message(parsed.status.message());
  EXPECT_NE(message.find("rounding"), std::string::npos) << message;
  EXPECT_NE(message.find("repeat_window_days"), std::string::npos) << message;
  EXPECT_NE(message.find("conclude_days"), std::string::npos) << message;
  EXPECT_NE(message.find("warn_before_days"), std::string::npos) << message;
}

}  // namespace
}  // namespace anding::core::visits

namespace anding::core::visits {
namespace {

TEST(VisitsConfigTest, TheDemoExampleIsValidAndStatesTheDefaults) {
  auto doc = ConfigDocument::LoadFile(ANDING_SOURCE_DIR "/deploy/demo/visits-example.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ConfigNode root = doc->root();
  const auto org = Organisation::Read(root);
  const VisitsConfig config = ReadVisitsConfig(root, org);
  ASSERT_TRUE(doc->Finish().ok()) << doc->Finish();
  EXPECT_EQ(config.limits, TimeLimits{});
  EXPECT_EQ(config.repeat_window_days, VisitsConfig{}.repeat_window_days);
  EXPECT_EQ(config.rounding, Rounding::kTruncate);
}

}  // namespace
}  // namespace anding::core::visits
