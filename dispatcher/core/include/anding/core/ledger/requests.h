// Commands to the ledger module and what they return. Each request carries
// the same information as its wire message (proto/anding/v1/ledger.proto,
// reports.proto) so the shell converts 1:1:
//
//   proto3 "unset" (empty string, 0, *_UNSPECIFIED, absent Timestamp) maps
//   to std::nullopt where a field is std::optional here, to "" otherwise;
//   anding.v1.Contact maps to core::Person; Timestamps to Time; the
//   DailyRiskReport day text to CivilDay via ParseDay (InvalidArgument).
//
// `unit_id` fields: for Actor::Agent the unit is the agent's own (its key's
// unit) and the field must be empty or equal to it (the shell leaves it
// empty); for operators it names the unit and is required.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/ledger/period.h"
#include "anding/core/ledger/vocabulary.h"
#include "anding/core/org.h"

namespace anding::core::ledger {

// LedgerItemRegister.
struct RegisterItemRequest {
  std::string unit_id;
  std::string category_id;
  std::string description;
  uint32_t persons = 0;
  std::vector<std::string> key_persons;
  std::optional<RiskLevel> level;  // required
  Person responsible_leader;       // name required
  Person responsible_person;       // name required
  std::string lead_department;     // empty = the category's lead department
  std::string measures;
  std::optional<Time> deadline;  // nullopt = now + ledger.items.default_deadline
  // Where the item came from: direct from the wire; the aftermath of an
  // incident (source_ref: the incident id) when the dispatcher registers it.
  ItemSource source = ItemSource::kDirect;
  std::string source_ref;
};

// LedgerItemUpdate, plus field edits the operator API offers.
struct UpdateItemRequest {
  std::string item_id;
  std::string progress;                 // a progress note for today
  std::optional<RiskLevel> level;       // wire: UNSPECIFIED = nullopt
  std::optional<std::string> measures;  // wire: "" = nullopt
  std::optional<uint32_t> persons;      // wire: 0 = nullopt
  std::string resolution;               // non-empty = mark resolved
  std::string updated_by;               // the person writing
  // Operator edits (not on the agent wire).
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> key_persons;
  std::optional<Person> responsible_leader;
  std::optional<Person> responsible_person;
  std::optional<std::string> lead_department;
};

// LedgerItemCloseOut.
struct CloseOutRequest {
  std::string item_id;
  std::string resolution;            // empty = the resolution already recorded
  std::string confirmed_by_leader;   // must be the item's responsible leader
  std::optional<Time> confirmed_at;  // nullopt = now
};

// Operator (or the unit): the resolution is not accepted, work continues.
struct RejectResolutionRequest {
  std::string item_id;
  std::string reason;
};

// The problem came back (反弹) after close-out.
struct ReopenRequest {
  std::string item_id;
  std::string reason;
  std::optional<Time> new_deadline;  // nullopt = keep the old deadline
};

struct ExtendDeadlineRequest {
  std::string item_id;
  Time new_deadline{};      // must be later than the current deadline
  std::string reason;       // required
  std::string approved_by;  // required: who approved the extension
};

// EarlyWarning.
struct EarlyWarningRequest {
  std::string unit_id;
  std::string summary;  // at most 200 characters
  std::string details;
  std::string category_id;
  uint32_t persons = 0;
  std::optional<RiskLevel> level;  // nullopt = high if graded major, else medium
  bool major = false;
  std::string destination_region_id;  // Place.region_id; "" = unknown
  std::string destination_address;
  std::optional<Time> observed_at;
  std::string ledger_item_id;  // explicit link; "" = match by unit and category
};

struct WarningOutcome {
  std::string warning_id;
  std::string ledger_item_id;
  bool created_item = false;
  bool reopened_item = false;
  bool special_report = false;
  std::vector<std::string> major_reasons;
};

// ScreeningFinding.
struct ScreeningFindingRequest {
  std::string ledger_item_id;  // existing item; "" = a new factor
  std::string category_id;     // new factor: required
  std::string description;     // new factor: required
  uint32_t persons = 0;
  std::optional<RiskLevel> level;
};

// ScreeningReport.
struct ScreeningReportRequest {
  std::string unit_id;
  Period period;
  bool zero_report = false;
  std::vector<ScreeningFindingRequest> findings;
  std::string screened_by;
  std::string remarks;
  // When the unit filed it (an agent's report: its judged filing time, the
  // clock corrected and bounded by what the link saw); nullopt = `now`.
  // Lateness is judged by it, so a report filed in time at a mine whose
  // link was down at the period's end is on time. A filing time before the
  // period began cannot be true (a report covers a period that has
  // started): it is not trusted, and `now` is used instead.
  std::optional<Time> filed_at;
};

struct ScreeningOutcome {
  std::string key;  // ScreeningKey
  uint32_t revision = 1;
  bool unchanged = false;  // identical re-filing: nothing written
  bool late = false;
  std::vector<std::string> ledger_item_ids;  // one per finding, in order
};

// DailyRiskReport.
struct DailyReportRequest {
  std::string unit_id;
  CivilDay day;
  bool zero_report = false;
  uint32_t new_warnings = 0;
  uint32_t items_progressed = 0;
  uint32_t visit_batches = 0;
  uint32_t visit_persons = 0;
  std::string text;
  std::string reported_by;
  // When the unit filed it (as for screening); nullopt = `now`. Not after
  // `now`; a filing time before the start of `day` is not trusted (`now`
  // is used).
  std::optional<Time> filed_at;
  // The day was taken from the agent's clock, not given by the officer:
  // the report is filed under the local day of `filed_at` instead.
  bool day_from_clock = false;
};

struct DailyReportOutcome {
  std::string key;  // DailyReportKey
  uint32_t revision = 1;
  bool unchanged = false;
  // Filed (by its filing time) at or after the company daily summary that
  // covers its day was due (summary_hour:summary_minute of the next day,
  // or of the day itself when the summary covers the same day).
  bool late = false;
};

// Which items a query or export covers. Empty fields match everything.
struct ItemFilter {
  std::string unit_id;
  std::string category_id;
  std::vector<ItemState> states;
  bool open_only = false;     // not closed out
  bool overdue_only = false;  // overdue at the query's `now`
};

}  // namespace anding::core::ledger
