// The range checks of operator requests (wire::ValidateOperatorRequest):
// money, counts, instants, days and texts, each just inside and just
// outside its limit. A missing field is the serving module's to refuse.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/wire/validation.h"

namespace anding::wire {
namespace {

using ::testing::StartsWith;

template <typename T>
using Setter = std::function<void(v1::OperatorRequest&, T)>;

template <typename T>
void ExpectLimit(const Setter<T>& set, T inside, T outside, std::string_view refusal) {
  v1::OperatorRequest ok;
  ok.set_request_id("5f0c2b8e-7d7a-4c55-9d43-6f0b8b0b2c11");
  v1::OperatorRequest bad = ok;
  set(ok, inside);
  set(bad, outside);
  EXPECT_TRUE(ValidateOperatorRequest(ok).ok())
      << refusal << " with " << inside << ": " << ValidateOperatorRequest(ok).ToString();
  const Status status = ValidateOperatorRequest(bad);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << refusal << " with " << outside;
  EXPECT_THAT(status.message(), StartsWith(refusal)) << "with " << outside;
}

void ExpectWindow(const std::function<google::protobuf::Timestamp*(v1::OperatorRequest&)>& field,
                  std::string_view name) {
  const std::string refusal = StrCat(name, ": must be from 2000-01-01");
  const Setter<int64_t> set = [&](v1::OperatorRequest& r, int64_t s) { field(r)->set_seconds(s); };
  ExpectLimit(set, limits::kEarliestUnixSeconds, limits::kEarliestUnixSeconds - 1, refusal);
  ExpectLimit(set, limits::kLatestUnixSeconds - 1, limits::kLatestUnixSeconds, refusal);
}

TEST(OperatorValidationTest, MoneyIsPositiveAndAtMostTheCoresMaximum) {
  constexpr int64_t kMax = limits::kMaxAmountFen;
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t fen) { r.mutable_create_transfer()->set_amount_fen(fen); },
      kMax, kMax + 1, "create_transfer.amount_fen: must be at most 100000000000 fen");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t fen) { r.mutable_create_transfer()->set_amount_fen(fen); },
      1, 0, "create_transfer.amount_fen: must be positive");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t fen) { r.mutable_top_up()->set_amount_fen(fen); }, kMax,
      kMax + 1, "top_up.amount_fen: must be at most");
  ExpectLimit<int64_t>([](v1::OperatorRequest& r,
                          int64_t fen) { r.mutable_reverse_transfer()->set_amount_fen(fen); },
                       1, -1, "reverse_transfer.amount_fen: must be positive");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t fen) { r.mutable_place_hold()->set_amount_fen(fen); },
      kMax, kMax + 1, "place_hold.amount_fen: must be at most");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t fen) { r.mutable_post_hold()->set_amount_fen(fen); }, kMax,
      std::numeric_limits<int64_t>::max(), "post_hold.amount_fen: must be at most");
}

TEST(OperatorValidationTest, QuotaIsZeroToTheMaximumUnlessRemoved) {
  constexpr int64_t kMax = limits::kMaxAmountFen;
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t fen) { r.mutable_set_quota()->set_quota_fen(fen); }, 0, -1,
      "set_quota.quota_fen: must be from 0 to 100000000000 fen");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t fen) { r.mutable_set_quota()->set_quota_fen(fen); }, kMax,
      kMax + 1, "set_quota.quota_fen: must be from 0");
  v1::OperatorRequest removal;
  removal.mutable_set_quota()->set_no_quota(true);
  EXPECT_TRUE(ValidateOperatorRequest(removal).ok());
}

TEST(OperatorValidationTest, HoldTimeoutIsAtMostAYearAndADay) {
  constexpr int64_t kMax = limits::kMaxHoldTimeoutSeconds;
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t s) {
        r.mutable_place_hold()->set_amount_fen(100);
        r.mutable_place_hold()->set_timeout_seconds(s);
      },
      kMax, kMax + 1, "place_hold.timeout_seconds: must be from 0");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t s) {
        r.mutable_place_hold()->set_amount_fen(100);
        r.mutable_place_hold()->set_timeout_seconds(s);
      },
      0, -1, "place_hold.timeout_seconds: must be from 0");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t s) {
        r.mutable_place_hold()->set_amount_fen(100);
        r.mutable_place_hold()->set_timeout_seconds(s);
      },
      1, std::numeric_limits<int64_t>::max(), "place_hold.timeout_seconds");
}

TEST(OperatorValidationTest, InstantsAreWithinTheWindow) {
  ExpectWindow(
      [](v1::OperatorRequest& r) { return r.mutable_report_incident()->mutable_reported_at(); },
      "report_incident.reported_at");
  ExpectWindow(
      [](v1::OperatorRequest& r) {
        return r.mutable_report_incident()->mutable_report()->mutable_occurred_at();
      },
      "report_incident.report.occurred_at");
  ExpectWindow(
      [](v1::OperatorRequest& r) {
        return r.mutable_update_incident_status()->mutable_update()->mutable_at();
      },
      "update_incident_status.update.at");
  ExpectWindow(
      [](v1::OperatorRequest& r) {
        return r.mutable_register_ledger_item()->mutable_item()->mutable_deadline();
      },
      "register_ledger_item.item.deadline");
  ExpectWindow(
      [](v1::OperatorRequest& r) { return r.mutable_reopen_ledger_item()->mutable_new_deadline(); },
      "reopen_ledger_item.new_deadline");
  ExpectWindow(
      [](v1::OperatorRequest& r) {
        return r.mutable_extend_ledger_deadline()->mutable_new_deadline();
      },
      "extend_ledger_deadline.new_deadline");
  ExpectWindow(
      [](v1::OperatorRequest& r) {
        return r.mutable_close_out_ledger_item()->mutable_close_out()->mutable_confirmed_at();
      },
      "close_out_ledger_item.close_out.confirmed_at");
}

TEST(OperatorValidationTest, CountsAreCappedButMissingFieldsAreTheModulesToRefuse) {
  ExpectLimit<uint32_t>(
      [](v1::OperatorRequest& r, uint32_t n) {
        r.mutable_report_incident()->mutable_report()->set_persons(n);
      },
      limits::kMaxPersons, limits::kMaxPersons + 1,
      "report_incident.report.persons: must be at most 100000");
  ExpectLimit<uint32_t>(
      [](v1::OperatorRequest& r, uint32_t n) {
        r.mutable_report_incident()->mutable_report()->set_representatives(n);
        r.mutable_report_incident()->mutable_report()->set_persons(5);
      },
      5, 6, "report_incident.report.representatives: exceeds persons");
  ExpectLimit<uint32_t>(
      [](v1::OperatorRequest& r, uint32_t n) {
        r.mutable_register_ledger_item()->mutable_item()->set_persons(n);
      },
      limits::kMaxPersons, limits::kMaxPersons + 1,
      "register_ledger_item.item.persons: must be at most 100000");
  ExpectLimit<uint32_t>(
      [](v1::OperatorRequest& r, uint32_t n) {
        r.mutable_update_ledger_item()->mutable_update()->set_persons(n);
      },
      limits::kMaxPersons, limits::kMaxPersons + 1,
      "update_ledger_item.update.persons: must be at most 100000");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t id) { r.mutable_acknowledge_alert()->set_alert_id(id); },
      1, 0, "acknowledge_alert.alert_id: must be 1 or more");
  // What a module answers for itself: an empty incident report, an item
  // without a deadline (it gets the configured default).
  v1::OperatorRequest empty;
  empty.mutable_report_incident();
  EXPECT_TRUE(ValidateOperatorRequest(empty).ok());
  empty.mutable_register_ledger_item()->set_unit_id("mine-6");
  EXPECT_TRUE(ValidateOperatorRequest(empty).ok());
}

TEST(OperatorValidationTest, DaysMonthsAndPeriodsAreWithinTheWindow) {
  ExpectLimit<std::string>(
      [](v1::OperatorRequest& r, std::string day) { r.mutable_daily_summary()->set_day(day); },
      "2099-12-31", "2100-01-01", "daily_summary.day: must be a day from");
  ExpectLimit<std::string>([](v1::OperatorRequest& r,
                              std::string month) { r.mutable_monthly_summary()->set_month(month); },
                           "2000-01", "1999-12",
                           "monthly_summary.month: must be a month from 2000-01 to 2099-12");
  ExpectLimit<std::string>([](v1::OperatorRequest& r,
                              std::string month) { r.mutable_monthly_summary()->set_month(month); },
                           "2026-12", "2026-13",
                           "monthly_summary.month: must be a month written YYYY-MM");
  ExpectLimit<std::string>(
      [](v1::OperatorRequest& r, std::string month) { r.mutable_reconcile()->set_month(month); },
      "2099-12", "9999-12", "reconcile.month: must be a month from");
  ExpectLimit<std::string>(
      [](v1::OperatorRequest& r, std::string period) { r.mutable_statement()->set_period(period); },
      "2000-01-01..2099-12-31", "0001-01-01..9999-12-31", "statement.period: must be a day from");
  ExpectLimit<std::string>(
      [](v1::OperatorRequest& r, std::string day) { r.mutable_export_()->set_day(day); },
      "2026-11-27", "2026-11-31", "export.day: must be a day written YYYY-MM-DD");
  ExpectLimit<uint32_t>(
      [](v1::OperatorRequest& r, uint32_t year) {
        auto* period = r.mutable_screening_status()->mutable_period();
        period->set_kind(v1::PERIOD_KIND_QUARTER);
        period->set_index(4);
        period->set_year(year);
      },
      2099, 2100, "screening_status.period.year: must be from 2000 to 2099");
}

TEST(OperatorValidationTest, TextsAndIdsAreWithinTheirLengths) {
  ExpectLimit<size_t>(
      [](v1::OperatorRequest& r, size_t n) { r.set_request_id(std::string(n, 'r')); },
      limits::kMaxIdChars, limits::kMaxIdChars + 1, "request_id: is longer than 64 characters");
  ExpectLimit<size_t>([](v1::OperatorRequest& r,
                         size_t n) { r.mutable_send_order()->set_title(std::string(n, 't')); },
                      limits::kMaxLineChars, limits::kMaxLineChars + 1,
                      "send_order.title: is longer than 200 characters");
  ExpectLimit<size_t>([](v1::OperatorRequest& r,
                         size_t n) { r.mutable_void_hold()->set_reason(std::string(n, 'r')); },
                      limits::kMaxTextChars, limits::kMaxTextChars + 1,
                      "void_hold.reason: is longer than 4000 characters");
  ExpectLimit<std::string>(
      [](v1::OperatorRequest& r, std::string text) {
        r.mutable_reject_resolution()->set_reason(text);
      },
      "未解决", "\xE6\x9C", "reject_resolution.reason: is not valid UTF-8");
  ExpectLimit<int>(
      [](v1::OperatorRequest& r, int n) {
        for (int i = 0; i < n; ++i) r.mutable_override_assignment()->add_member_ids("m");
      },
      200, 201, "override_assignment.member_ids: lists more than 200 entries");
  ExpectLimit<int>(
      [](v1::OperatorRequest& r, int kind) {
        r.mutable_send_order()->set_kind(static_cast<v1::OrderKind>(kind));
      },
      4, 5, "send_order.kind: must be NOTICE, REMINDER or SUPERVISION");
}

TEST(OperatorValidationTest, NotificationIdsArePositiveAndTextsWithinTheirLengths) {
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t id) { r.mutable_notify_ack()->set_id(id); }, 1, 0,
      "notify_ack.id: must be 1 or more");
  ExpectLimit<int64_t>(
      [](v1::OperatorRequest& r, int64_t id) { r.mutable_notify_show()->set_id(id); }, 1, -1,
      "notify_show.id: must be 1 or more");
  ExpectLimit<size_t>([](v1::OperatorRequest& r,
                         size_t n) { r.mutable_notify_preview()->set_text(std::string(n, 'x')); },
                      limits::kMaxTextChars, limits::kMaxTextChars + 1,
                      "notify_preview.text: is longer than 4000 characters");
  ExpectLimit<size_t>(
      [](v1::OperatorRequest& r, size_t n) {
        r.mutable_notify_test_send()->set_phone(std::string(n, '1'));
      },
      limits::kMaxIdChars, limits::kMaxIdChars + 1,
      "notify_test_send.phone: is longer than 64 characters");
}

}  // namespace
}  // namespace anding::wire

namespace anding::wire {
namespace {

TEST(OperatorValidationTest, UserRequestsAreHeldToTheirLimits) {
  const Setter<size_t> password = [](v1::OperatorRequest& r, size_t n) {
    r.mutable_add_user()->set_password(std::string(n, 'x'));
  };
  ExpectLimit(password, size_t{1024}, size_t{1025}, "add_user.password: is longer than 1024");
  const Setter<size_t> new_password = [](v1::OperatorRequest& r, size_t n) {
    r.mutable_set_password()->set_password(std::string(n, 'x'));
  };
  ExpectLimit(new_password, size_t{1024}, size_t{1025}, "set_password.password");
  const Setter<size_t> user = [](v1::OperatorRequest& r, size_t n) {
    r.mutable_disable_user()->set_user(std::string(n, 'u'));
  };
  const auto max_id = static_cast<size_t>(limits::kMaxIdChars);
  ExpectLimit(user, max_id, max_id + 1, "disable_user.user");
  const Setter<uint32_t> limit = [](v1::OperatorRequest& r, uint32_t n) {
    r.mutable_list_audit()->set_limit(n);
  };
  ExpectLimit(limit, 1000u, 1001u, "list_audit.limit: must be at most 1000");
  ExpectWindow([](v1::OperatorRequest& r) { return r.mutable_list_audit()->mutable_from(); },
               "list_audit.from");
}

TEST(OperatorValidationTest, VisitRegisterMattersAndStatistics) {
  using R = v1::OperatorRequest;
  ExpectLimit<uint32_t>([](R& r, uint32_t n) { r.mutable_record_visit()->set_batches(n); },
                        limits::kMaxDailyCount, limits::kMaxDailyCount + 1,
                        "record_visit.batches: must be at most");
  ExpectLimit<uint32_t>([](R& r, uint32_t n) { r.mutable_record_visit()->set_persons(n); },
                        limits::kMaxPersons, limits::kMaxPersons + 1,
                        "record_visit.persons: must be at most");
  const Setter<std::string> channel = [](R& r, std::string v) {
    r.mutable_record_visit()->set_channel(v);
  };
  ExpectLimit<std::string>(channel, "online", "fax", "record_visit.channel: must be one of");
  ExpectLimit<std::string>(
      [](R& r, std::string v) { r.mutable_record_visit()->set_destination_level(v); }, "beijing",
      "shanghai", "record_visit.destination_level: must be one of");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_record_visit()->set_collective(v); },
                           "no", "maybe", "record_visit.collective: must be one of");
  ExpectLimit<std::string>(
      [](R& r, std::string v) { r.mutable_record_visit()->set_representative(v); },
      std::string(limits::kMaxNameChars, 'a'), std::string(limits::kMaxNameChars + 1, 'a'),
      "record_visit.representative");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_record_visit()->set_day(v); },
                           "2028-02-29", "2027-02-29", "record_visit.day");
  ExpectLimit<uint32_t>([](R& r, uint32_t n) { r.mutable_list_visits()->set_limit(n); }, 1000, 1001,
                        "list_visits.limit: must be at most");
  ExpectLimit<int64_t>(
      [](R& r, int64_t n) {
        r.mutable_update_matter()->set_action("extend");
        r.mutable_update_matter()->set_extension_days(n);
      },
      0, -1, "update_matter.extension_days: must be from 0 to 3660");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_update_matter()->set_action(v); },
                           "conclude_reexamination", "reopen",
                           "update_matter.action: must be one of");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_list_matters()->set_state(v); },
                           "reviewed", "closed", "list_matters.state: must be one of");
  ExpectLimit<std::string>(
      [](R& r, std::string v) {
        r.mutable_visit_stats()->set_period_kind("year");
        r.mutable_visit_stats()->set_format(v);
      },
      "csv", "pdf", "visit_stats.format: must be one of");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_visit_stats()->set_period_kind(v); },
                           "quarter", "week", "visit_stats.period_kind: must be one of");
}

TEST(OperatorValidationTest, StatisticsNameTheirDaysBreakdownAndFormat) {
  using R = v1::OperatorRequest;
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_ledger_stats()->set_from_day(v); },
                           "2099-12-31", "2026-02-30", "ledger_stats.from_day: must be a day");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_ledger_stats()->set_to_day(v); },
                           "2000-01-01", "1999-12-31", "ledger_stats.to_day: must be a day");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_ledger_stats()->set_by(v); },
                           "category", "person", "ledger_stats.by: must be one of");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_ledger_stats()->set_format(v); },
                           "html", "pdf", "ledger_stats.format: must be one of");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_fund_stats()->set_to_day(v); },
                           "2026-12-31", "2026-12-32", "fund_stats.to_day: must be a day");
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_fund_stats()->set_format(v); },
                           "json", "xlsx", "fund_stats.format: must be one of");
}

TEST(OperatorValidationTest, IncidentListsPageWithinTheirLimits) {
  using R = v1::OperatorRequest;
  ExpectLimit<uint32_t>([](R& r, uint32_t n) { r.mutable_list_incidents()->set_limit(n); }, 10000,
                        10001, "list_incidents.limit: must be at most 10000");
  ExpectLimit<int>(
      [](R& r, int view) {
        r.mutable_list_incidents()->set_view(static_cast<v1::IncidentListView>(view));
      },
      v1::INCIDENT_LIST_VIEW_BOARD, 7, "list_incidents.view: must be INCIDENT_LIST_VIEW_FULL");
  ExpectLimit<int>(
      [](R& r, int state) {
        r.mutable_list_incidents()->add_states(static_cast<v1::IncidentState>(state));
      },
      v1::INCIDENT_STATE_CLOSED, v1::INCIDENT_STATE_UNSPECIFIED,
      "list_incidents.states: must be an incident state");
  for (const std::string bad : {"abc", "-5", "12a", "007", "123456789012345678901"}) {
    ExpectLimit<std::string>(
        [](R& r, std::string token) { r.mutable_list_incidents()->set_page_token(token); },
        "18446744073709551615", bad, "list_incidents.page_token: must be a previous answer's");
  }
  ExpectLimit<std::string>([](R& r, std::string v) { r.mutable_list_incidents()->set_unit_id(v); },
                           std::string(limits::kMaxIdChars, 'u'),
                           std::string(limits::kMaxIdChars + 1, 'u'), "list_incidents.unit_id");
}

}  // namespace
}  // namespace anding::wire
