#include "anding/wire/payload_options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "anding/cmdline/command_line.h"
#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/wire/codec.h"

namespace anding::wire {
namespace {

Result<v1::RiskLevel> ParseLevel(const std::string& text) {
  if (text == "low") return v1::RISK_LEVEL_LOW;
  if (text == "medium") return v1::RISK_LEVEL_MEDIUM;
  if (text == "high") return v1::RISK_LEVEL_HIGH;
  if (text == "critical") return v1::RISK_LEVEL_CRITICAL;
  return InvalidArgumentError(
      cmdline::Tr(N_("--level must be low, medium, high or critical, not '{}'"), text));
}

// What the options are read against: "now" for what is left out, and the
// zone days are in.
struct Context {
  const Clock& clock;
  const TimeZone& zone;
};

// RFC 3339, or a day (YYYY-MM-DD: its start, or its last second, in the
// configured zone).
Result<Time> ParseWhen(const std::string& option, const std::string& text, bool end_of_day,
                       const TimeZone& zone) {
  if (auto day = ParseDay(text); day.ok()) {
    return end_of_day ? zone.StartOf(*day + 1) - std::chrono::seconds(1) : zone.StartOf(*day);
  }
  auto time = ParseRfc3339(text);
  if (!time.ok()) {
    return InvalidArgumentError(
        StrCat("--", option, ": ",
               cmdline::Tr(N_("expected YYYY-MM-DD or an RFC 3339 time such as "
                              "2026-11-27T16:30:00+08:00, not '{}'"),
                           text)));
  }
  return *time;
}

std::string Today(const Context& context) {
  return FormatDay(context.zone.DayOf(context.clock.Now()));
}

Status ParseContact(const std::string& option, const std::string& text, v1::Contact* contact) {
  // NAME or NAME:PHONE or NAME:PHONE:TITLE
  const std::vector<std::string> parts = Split(text, ':');
  if (parts[0].empty() || parts.size() > 3) {
    return InvalidArgumentError(
        StrCat("--", option, ": ", _("must be NAME, NAME:PHONE or NAME:PHONE:TITLE")));
  }
  contact->set_name(parts[0]);
  if (parts.size() > 1) contact->set_phone(parts[1]);
  if (parts.size() > 2) contact->set_title(parts[2]);
  return OkStatus();
}

Result<v1::Period> ParsePeriod(const std::string& text) {
  // 2026-11/2 (ten-day period 2 of November), 2026-11 (month), 2026-Q4.
  v1::Period period;
  const auto bad = InvalidArgumentError(
      cmdline::Tr(N_("expected YYYY-MM/N (ten-day period N = 1, 2, 3), YYYY-MM or YYYY-QN, "
                     "not '{}'"),
                  text));
  // Digits only: the whole of text[first, first + count) must be a number.
  auto number = [&](size_t first, size_t count) -> std::optional<uint32_t> {
    uint32_t value = 0;
    const char* begin = text.data() + first;
    const auto [end, error] = std::from_chars(begin, begin + count, value);
    if (error != std::errc() || end != begin + count) return std::nullopt;
    return value;
  };
  if (text.size() < 7 || text[4] != '-') return bad;
  const auto year = number(0, 4);
  if (!year) return bad;
  period.set_year(*year);
  if (text[5] == 'Q') {
    if (text.size() != 7 || text[6] < '1' || text[6] > '4') return bad;
    period.set_kind(v1::PERIOD_KIND_QUARTER);
    period.set_index(static_cast<uint32_t>(text[6] - '0'));
    return period;
  }
  const auto month = number(5, 2);
  if (!month || *month < 1 || *month > 12) return bad;
  period.set_index(*month);
  if (text.size() == 7) {
    period.set_kind(v1::PERIOD_KIND_MONTH);
    return period;
  }
  if (text.size() != 9 || text[7] != '/' || text[8] < '1' || text[8] > '3') return bad;
  period.set_kind(v1::PERIOD_KIND_TEN_DAY);
  period.set_ten_day(static_cast<uint32_t>(text[8] - '0'));
  return period;
}

// What an option's value is, which says how it is checked.
enum class Value {
  kText,
  kCount,     // 0–1000000
  kFlag,      // no value
  kRepeated,  // text, given any number of times
  kLevel,     // low|medium|high|critical
  kChoice,    // one of OptionSpec::choices
  kTime,      // YYYY-MM-DD or RFC 3339
  kDay,       // YYYY-MM-DD
  kYuan,      // at most two decimals
  kFen,       // a whole number of fen
  kPeriod,    // YYYY-MM/N, YYYY-MM, YYYY-QN
  kPositional,
};

struct OptionSpec {
  const char* name;         // without "--"
  Value value;              //
  const char* placeholder;  // in the help: TEXT, N, ID, ...
  const char* help;         // N_(): translated when defined
  bool required = false;
  std::vector<std::string> choices = {};
};

struct KindSpec {
  const char* command;  // report, ledger, orders
  const char* kind;     // early-warning, register, ack, ...
  const char* help;     // N_()
  std::vector<OptionSpec> options;
  std::vector<std::string> examples;  // after the program's name
};

const std::vector<std::string> kLevels = {"low", "medium", "high", "critical"};

// Every payload command, its options and examples: the one definition
// both command lines and their help, manual pages and completion use.
const std::vector<KindSpec>& Kinds() {
  static const std::vector<KindSpec> kinds = {
      {"report",
       "early-warning",
       N_("report a sign of instability; a major one is special-reported to HQ"),
       {{"summary", Value::kText, "TEXT", N_("what was seen, in one line"), true},
        {"category", Value::kText, "ID", N_("the category of the instability factor"), true},
        {"details", Value::kText, "TEXT", N_("more about it")},
        {"persons", Value::kCount, "N", N_("people involved")},
        {"level", Value::kLevel, "", N_("risk level")},
        {"major", Value::kFlag, "", N_("a sign of a major group incident: special report")},
        {"destination", Value::kText, "REGION", N_("where the people may go (a region id)")},
        {"observed-at", Value::kTime, "TIME", N_("when it was seen (default: now)")},
        {"ledger-item", Value::kText, "ID", N_("the ledger item it belongs to")}},
       {"report early-warning --summary '退休职工酝酿赴京上访' --category retiree-management "
        "--persons 12 --level high --major"}},
      {"report",
       "incident",
       N_("report a group petition or an individual extreme petition"),
       {{"type",
         Value::kChoice,
         "",
         N_("the kind of incident"),
         true,
         {"group-petition", "individual-extreme", "other"}},
        {"region", Value::kText, "ID", N_("the region where it happens"), true},
        {"address", Value::kText, "TEXT", N_("the address")},
        {"persons", Value::kCount, "N", N_("people involved")},
        {"representatives", Value::kCount, "N", N_("their representatives")},
        {"involved", Value::kRepeated, "UNIT,UNIT", N_("the units involved")},
        {"summary", Value::kText, "TEXT",
         N_("one line, at most 200 characters; without it HQ writes one from the report")},
        {"details", Value::kText, "TEXT", N_("more about it")},
        {"category", Value::kText, "ID", N_("the category of the underlying problem")},
        {"occurred-at", Value::kTime, "TIME", N_("when it began (default: now)")}},
       {"report incident --type group-petition --region zhengzhou --address '省政府信访局' "
        "--persons 40 --involved mine-3"}},
      {"report",
       "status",
       N_("report a step of the response to an incident: departed, arrived, settled, ..."),
       {{"incident", Value::kText, "ID", N_("the incident"), true},
        {"step",
         Value::kChoice,
         "",
         N_("the step reached"),
         true,
         {"departed", "arrived", "settled", "aftermath", "closed"}},
        {"at", Value::kTime, "TIME", N_("when (default: now)")},
        {"note", Value::kText, "TEXT", N_("a note")},
        {"by", Value::kText, "NAME", N_("who reports it")}},
       {"report status --incident INC-20261203-0001 --step arrived --by 王队长"}},
      {"report",
       "screening",
       N_("file a screening result for a ten-day period, month or quarter, or a zero "
          "report"),
       {{"period", Value::kPeriod, "PERIOD",
         N_("YYYY-MM/N (ten-day period N = 1, 2, 3), YYYY-MM or YYYY-QN"), true},
        {"zero", Value::kFlag, "", N_("nothing found: a zero report")},
        {"finding", Value::kRepeated, "'CATEGORY|DESCRIPTION|PERSONS[|LEVEL]'",
         N_("a factor found (repeat for each)")},
        {"finding-item", Value::kRepeated, "ID", N_("a ledger item found again (repeat for each)")},
        {"by", Value::kText, "NAME", N_("who screened")},
        {"remarks", Value::kText, "TEXT", N_("remarks")}},
       {"report screening --period 2026-12/1 --zero --by 张信访员",
        "report screening --period 2026-12 --finding 'wages|职工反映工资拖欠|8|medium'"}},
      {"report",
       "daily",
       N_("file the daily risk report"),
       {{"day", Value::kDay, "YYYY-MM-DD", N_("the day (default: today)")},
        {"zero", Value::kFlag, "", N_("nothing to report: a zero report")},
        {"text", Value::kText, "TEXT", N_("the report")},
        {"new-warnings", Value::kCount, "N", N_("new early warnings today")},
        {"items-progressed", Value::kCount, "N", N_("ledger items progressed today")},
        {"visit-batches", Value::kCount, "N", N_("visits received today, in batches")},
        {"visit-persons", Value::kCount, "N", N_("visits received today, in person-times")},
        {"by", Value::kText, "NAME", N_("who reports")}},
       {"report daily --zero --by 张信访员",
        "report daily --text '职工情绪稳定' --new-warnings 1 --visit-batches 2 --visit-persons 5"}},
      {"report",
       "visit",
       N_("record visits received"),
       {{"day", Value::kDay, "YYYY-MM-DD", N_("the day (default: today)")},
        {"batches", Value::kCount, "N", N_("batches")},
        {"persons", Value::kCount, "N", N_("person-times")},
        {"category", Value::kText, "ID", N_("the category of the matter")},
        {"channel", Value::kText, "walk-in|letter|phone|online",
         N_("how they came (default: walk-in)")},
        {"note", Value::kText, "TEXT", N_("a note")},
        {"destination", Value::kText, "unit|company|city|province|beijing", N_("where they went")},
        {"collective", Value::kText, "yes|no", N_("a collective visit")},
        {"representative", Value::kText, "NAME", N_("their representative")},
        {"contact", Value::kText, "PHONE", N_("how to reach the representative")}},
       {"report visit --batches 1 --persons 3 --category wages --channel walk-in"}},
      {"report",
       "expense",
       N_("report an emergency expense against an incident, from the reserve fund"),
       {{"incident", Value::kText, "ID", N_("the incident"), true},
        {"amount-yuan", Value::kYuan, "YUAN", N_("the amount in yuan, at most two decimals")},
        {"amount-fen", Value::kFen, "FEN", N_("the amount in fen (instead of --amount-yuan)")},
        {"code", Value::kText, "transport|lodging|meals|other", N_("what it paid for"), true},
        {"reason", Value::kText, "TEXT", N_("why")},
        {"voucher", Value::kText, "NO", N_("the voucher number")}},
       {"report expense --incident INC-20261203-0001 --amount-yuan 3150.00 --code transport "
        "--reason '包车赴郑州'"}},
      {"ledger",
       "register",
       N_("register an instability factor in the ledger"),
       {{"category", Value::kText, "ID", N_("the category"), true},
        {"description", Value::kText, "TEXT", N_("what the problem is"), true},
        {"persons", Value::kCount, "N", N_("people involved")},
        {"key-person", Value::kRepeated, "NAME", N_("a key person (repeat for each)")},
        {"level", Value::kLevel, "", N_("risk level")},
        {"leader", Value::kText, "NAME[:PHONE[:TITLE]]", N_("the responsible leader"), true},
        {"person", Value::kText, "NAME[:PHONE[:TITLE]]", N_("the responsible person"), true},
        {"department", Value::kText, "TEXT", N_("the lead business department")},
        {"measures", Value::kText, "TEXT", N_("the resolution measures")},
        {"deadline", Value::kTime, "TIME", N_("resolve by this day (its end) or time"), true}},
       {"ledger register --category wages --description '职工反映工资拖欠' --persons 8 "
        "--leader 李矿长:+8613800000031:矿长 --person 赵主任 --deadline 2026-12-31"}},
      {"ledger",
       "update",
       N_("record progress on a ledger item"),
       {{"item", Value::kText, "ID", N_("the ledger item"), true},
        {"progress", Value::kText, "TEXT", N_("what was done")},
        {"level", Value::kLevel, "", N_("the new risk level")},
        {"measures", Value::kText, "TEXT", N_("the resolution measures")},
        {"persons", Value::kCount, "N", N_("people involved now")},
        {"resolution", Value::kText, "TEXT", N_("the resolution, when it is resolved")},
        {"by", Value::kText, "NAME", N_("who updates it")}},
       {"ledger update --item L-mine-3-0001 --progress '已与职工代表座谈' --by 赵主任"}},
      {"ledger",
       "close-out",
       N_("close out a resolved ledger item, with the responsible leader's confirmation"),
       {{"item", Value::kText, "ID", N_("the ledger item"), true},
        {"resolution", Value::kText, "TEXT", N_("how it was resolved"), true},
        {"leader", Value::kText, "NAME", N_("the responsible leader who confirms it"), true}},
       {"ledger close-out --item L-mine-3-0001 --resolution '工资已补发' --leader 李矿长"}},
      {"orders",
       "ack",
       N_("acknowledge an order from headquarters"),
       {{"order-id", Value::kPositional, "ORDER_ID", N_("the order"), true},
        {"by", Value::kText, "NAME", N_("who acknowledges it"), true},
        {"note", Value::kText, "TEXT", N_("a note")}},
       {"orders ack ORD-20261203-0001 --by 王队长"}},
  };
  return kinds;
}

const KindSpec* FindKind(const std::string& command, const std::string& kind) {
  for (const KindSpec& spec : Kinds()) {
    if (spec.command == command && spec.kind == kind) return &spec;
  }
  return nullptr;
}

// The check of an option's value, in the current language.
std::optional<CLI::Validator> ValidatorFor(const OptionSpec& option) {
  switch (option.value) {
    case Value::kCount:
      return cmdline::InRange(0, 1'000'000);
    case Value::kFen:
      return cmdline::InRange(0, std::numeric_limits<int64_t>::max());
    case Value::kTime:
      return cmdline::DayOrTime();
    case Value::kDay:
      return cmdline::Day();
    case Value::kYuan:
      return cmdline::Yuan();
    case Value::kPeriod:
      return cmdline::Checked([](const std::string& text) { return ParsePeriod(text).status(); });
    default:
      return std::nullopt;
  }
}

uint32_t CountOf(const PayloadValues& values, const std::string& name) {
  return static_cast<uint32_t>(std::strtoul(values.Text(name).c_str(), nullptr, 10));
}

#define ANDING_TRY_SET(expr, setter)          \
  do {                                        \
    auto value_ = (expr);                     \
    if (!value_.ok()) return value_.status(); \
    setter(*value_);                          \
  } while (false)

Result<v1::Envelope> EarlyWarning(const PayloadValues& v, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_early_warning();
  p->set_summary(v.Text("summary"));
  p->set_category_id(v.Text("category"));
  p->set_details(v.Text("details"));
  p->set_persons(CountOf(v, "persons"));
  if (auto level = v.Get("level")) ANDING_TRY_SET(ParseLevel(*level), p->set_level);
  p->set_major(v.Has("major"));
  if (auto destination = v.Get("destination"))
    p->mutable_destination()->set_region_id(*destination);
  if (auto at = v.Get("observed-at")) {
    ANDING_TRY_SET(ParseWhen("observed-at", *at, false, context.zone),
                   [&](Time t) { *p->mutable_observed_at() = ToProto(t); });
  }
  p->set_ledger_item_id(v.Text("ledger-item"));
  return envelope;
}

Result<v1::Envelope> Incident(const PayloadValues& v, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_incident_report();
  const std::string type = v.Text("type");
  if (type == "group-petition") {
    p->set_type(v1::INCIDENT_TYPE_GROUP_PETITION);
  } else if (type == "individual-extreme") {
    p->set_type(v1::INCIDENT_TYPE_INDIVIDUAL_EXTREME);
  } else if (type == "other") {
    p->set_type(v1::INCIDENT_TYPE_OTHER);
  }
  p->mutable_place()->set_region_id(v.Text("region"));
  p->mutable_place()->set_address(v.Text("address"));
  p->set_persons(CountOf(v, "persons"));
  p->set_representatives(CountOf(v, "representatives"));
  for (const auto& units : v.All("involved")) {
    for (const auto& id : Split(units, ',')) {
      if (!id.empty()) p->add_involved_unit_ids(id);
    }
  }
  // The same rule at a mine and at HQ (both command lines build it here):
  // optional, the dispatcher writes a default; at most
  // kMaxIncidentSummaryChars characters.
  p->set_summary(v.Text("summary"));
  if (auto length = Utf8Length(p->summary());
      length && *length > limits::kMaxIncidentSummaryChars) {
    return InvalidArgumentError(cmdline::Tr(N_("--summary is too long ({} characters; at most {})"),
                                            *length, limits::kMaxIncidentSummaryChars));
  }
  p->set_details(v.Text("details"));
  p->set_category_id(v.Text("category"));
  if (auto at = v.Get("occurred-at")) {
    ANDING_TRY_SET(ParseWhen("occurred-at", *at, false, context.zone),
                   [&](Time t) { *p->mutable_occurred_at() = ToProto(t); });
  }
  return envelope;
}

Result<v1::Envelope> IncidentStatus(const PayloadValues& v, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_incident_status();
  p->set_incident_id(v.Text("incident"));
  const std::string step = v.Text("step");
  if (step == "departed") {
    p->set_step(v1::INCIDENT_STEP_DEPARTED);
  } else if (step == "arrived") {
    p->set_step(v1::INCIDENT_STEP_ARRIVED);
  } else if (step == "settled") {
    p->set_step(v1::INCIDENT_STEP_SETTLED);
  } else if (step == "aftermath") {
    p->set_step(v1::INCIDENT_STEP_AFTERMATH);
  } else if (step == "closed") {
    p->set_step(v1::INCIDENT_STEP_CLOSED);
  }
  if (auto at = v.Get("at")) {
    ANDING_TRY_SET(ParseWhen("at", *at, false, context.zone),
                   [&](Time t) { *p->mutable_at() = ToProto(t); });
  }
  p->set_note(v.Text("note"));
  p->set_reported_by(v.Text("by"));
  return envelope;
}

Result<v1::Envelope> Screening(const PayloadValues& v) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_screening_report();
  auto period = ParsePeriod(v.Text("period"));
  if (!period.ok()) return InvalidArgumentError(StrCat("--period: ", period.status().message()));
  *p->mutable_period() = *period;
  p->set_zero_report(v.Has("zero"));
  for (const auto& finding : v.All("finding")) {
    // CATEGORY|DESCRIPTION|PERSONS[|LEVEL]
    const std::vector<std::string> parts = Split(finding, '|');
    if (parts.size() < 3 || parts.size() > 4) {
      return InvalidArgumentError(_("--finding must be 'CATEGORY|DESCRIPTION|PERSONS[|LEVEL]'"));
    }
    auto* f = p->add_findings();
    f->set_category_id(parts[0]);
    f->set_description(parts[1]);
    f->set_persons(static_cast<uint32_t>(std::strtoul(parts[2].c_str(), nullptr, 10)));
    if (parts.size() == 4) ANDING_TRY_SET(ParseLevel(parts[3]), f->set_level);
  }
  for (const auto& item : v.All("finding-item")) p->add_findings()->set_ledger_item_id(item);
  p->set_screened_by(v.Text("by"));
  p->set_remarks(v.Text("remarks"));
  return envelope;
}

Result<v1::Envelope> Daily(const PayloadValues& v, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_daily_report();
  const std::optional<std::string> day = v.Get("day");
  p->set_day(day.value_or(Today(context)));
  // Without --day, "today" is this machine's: the dispatcher may correct it
  // for a measured clock offset.
  p->set_day_from_clock(!day.has_value());
  p->set_zero_report(v.Has("zero"));
  p->set_text(v.Text("text"));
  p->set_new_warnings(CountOf(v, "new-warnings"));
  p->set_items_progressed(CountOf(v, "items-progressed"));
  p->set_visit_batches(CountOf(v, "visit-batches"));
  p->set_visit_persons(CountOf(v, "visit-persons"));
  p->set_reported_by(v.Text("by"));
  return envelope;
}

Result<v1::Envelope> Visit(const PayloadValues& v, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_visit_record();
  p->set_day(v.Get("day").value_or(Today(context)));
  p->set_batches(CountOf(v, "batches"));
  p->set_persons(CountOf(v, "persons"));
  p->set_category_id(v.Text("category"));
  p->set_channel(v.Get("channel").value_or("walk-in"));
  p->set_note(v.Text("note"));
  p->set_destination_level(v.Text("destination"));
  p->set_collective(v.Text("collective"));
  p->set_representative(v.Text("representative"));
  p->set_contact(v.Text("contact"));
  return envelope;
}

Result<v1::Envelope> Expense(const PayloadValues& v) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_expense_report();
  p->set_incident_id(v.Text("incident"));
  const auto fen = v.Get("amount-fen");
  const auto yuan = v.Get("amount-yuan");
  if (fen.has_value() == yuan.has_value()) {
    return InvalidArgumentError(_("give exactly one of --amount-fen or --amount-yuan"));
  }
  if (fen) {
    p->set_amount_fen(std::strtoll(fen->c_str(), nullptr, 10));
  } else {
    ANDING_TRY_SET(ParseYuan(*yuan), p->set_amount_fen);
  }
  p->set_code(v.Text("code"));
  p->set_reason(v.Text("reason"));
  p->set_voucher(v.Text("voucher"));
  return envelope;
}

Result<v1::Envelope> LedgerRegister(const PayloadValues& v, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_ledger_register();
  p->set_category_id(v.Text("category"));
  p->set_description(v.Text("description"));
  p->set_persons(CountOf(v, "persons"));
  for (const auto& name : v.All("key-person")) p->add_key_persons(name);
  if (auto level = v.Get("level")) ANDING_TRY_SET(ParseLevel(*level), p->set_level);
  ANDING_RETURN_IF_ERROR(ParseContact("leader", v.Text("leader"), p->mutable_responsible_leader()));
  ANDING_RETURN_IF_ERROR(ParseContact("person", v.Text("person"), p->mutable_responsible_person()));
  p->set_lead_department(v.Text("department"));
  p->set_measures(v.Text("measures"));
  ANDING_TRY_SET(ParseWhen("deadline", v.Text("deadline"), true, context.zone),
                 [&](Time t) { *p->mutable_deadline() = ToProto(t); });
  return envelope;
}

Result<v1::Envelope> LedgerUpdate(const PayloadValues& v) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_ledger_update();
  p->set_ledger_item_id(v.Text("item"));
  p->set_progress(v.Text("progress"));
  if (auto level = v.Get("level")) ANDING_TRY_SET(ParseLevel(*level), p->set_level);
  p->set_measures(v.Text("measures"));
  p->set_persons(CountOf(v, "persons"));
  p->set_resolution(v.Text("resolution"));
  p->set_updated_by(v.Text("by"));
  return envelope;
}

Result<v1::Envelope> LedgerCloseOut(const PayloadValues& v, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_ledger_close_out();
  p->set_ledger_item_id(v.Text("item"));
  p->set_resolution(v.Text("resolution"));
  p->set_confirmed_by_leader(v.Text("leader"));
  *p->mutable_confirmed_at() = ToProto(context.clock.Now());
  return envelope;
}

Result<v1::Envelope> OrderAck(const PayloadValues& v, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_order_acknowledgement();
  p->set_order_id(v.Text("order-id"));
  p->set_acknowledged_by(v.Text("by"));
  p->set_note(v.Text("note"));
  *p->mutable_acknowledged_at() = ToProto(context.clock.Now());
  return envelope;
}

}  // namespace

std::optional<std::string> PayloadValues::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> PayloadValues::All(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

// One payload command as defined in a CLI11 app: where its values land.
struct PayloadCommands::Bound {
  const KindSpec* spec = nullptr;
  CLI::App* app = nullptr;
  // Stable addresses (std::map nodes) for CLI11 to write to.
  std::map<std::string, std::string> single;
  std::map<std::string, std::vector<std::string>> repeated;
  std::map<std::string, bool> flags;
  std::map<std::string, CLI::Option*> options;
};

PayloadCommands::PayloadCommands() = default;
PayloadCommands::~PayloadCommands() = default;

void PayloadCommands::Define(CLI::App& parent, const std::string& program,
                             const std::string& command) {
  for (const KindSpec& spec : Kinds()) {
    if (spec.command != command) continue;
    CLI::App* app = cmdline::AddCommand(parent, spec.kind, _(spec.help));
    DefineOptions(*app, spec.command, spec.kind);
    std::vector<std::string> examples;
    for (const auto& example : spec.examples) examples.push_back(StrCat(program, " ", example));
    cmdline::SetExamples(*app, examples);
  }
}

void PayloadCommands::DefineOptions(CLI::App& app, const std::string& command,
                                    const std::string& kind) {
  const KindSpec* spec = FindKind(command, kind);
  if (spec == nullptr) return;
  auto bound = std::make_unique<Bound>();
  bound->spec = spec;
  bound->app = &app;
  for (const OptionSpec& option : spec->options) {
    const std::string flag = StrCat("--", option.name);
    CLI::Option* defined = nullptr;
    switch (option.value) {
      case Value::kFlag:
        defined = app.add_flag(flag, bound->flags[option.name], _(option.help));
        break;
      case Value::kRepeated:
        defined = app.add_option(flag, bound->repeated[option.name], _(option.help))
                      ->type_name(option.placeholder)
                      ->allow_extra_args(false)
                      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        break;
      case Value::kPositional:
        defined = app.add_option(option.name, bound->single[option.name], _(option.help))
                      ->type_name(option.placeholder);
        break;
      default:
        defined = app.add_option(flag, bound->single[option.name], _(option.help))
                      ->type_name(option.placeholder);
    }
    if (option.value == Value::kLevel) cmdline::OneOf(defined, kLevels);
    if (option.value == Value::kChoice) cmdline::OneOf(defined, option.choices);
    if (auto validator = ValidatorFor(option)) defined->check(*validator);
    if (option.required) defined->required();
    bound->options[option.name] = defined;
  }
  bound_.push_back(std::move(bound));
}

const CLI::App* PayloadCommands::SelectedApp() const {
  for (const auto& bound : bound_) {
    if (bound->app->parsed()) return bound->app;
  }
  return nullptr;
}

std::optional<Result<v1::Envelope>> PayloadCommands::Build(const Clock& clock,
                                                           const TimeZone& zone) const {
  for (const auto& bound : bound_) {
    if (!bound->app->parsed()) continue;
    PayloadValues values;
    for (const OptionSpec& option : bound->spec->options) {
      if (bound->options.at(option.name)->count() == 0) continue;
      switch (option.value) {
        case Value::kFlag:
          values.Add(option.name, "");
          break;
        case Value::kRepeated:
          for (const auto& value : bound->repeated.at(option.name)) values.Add(option.name, value);
          break;
        default:
          values.Add(option.name, bound->single.at(option.name));
      }
    }
    return BuildPayloadFrom(bound->spec->command, bound->spec->kind, values, clock, zone);
  }
  return std::nullopt;
}

Result<int64_t> ParseYuan(const std::string& text) { return cmdline::ParseYuan(text); }

Result<v1::Envelope> BuildPayloadFrom(const std::string& command, const std::string& kind,
                                      const PayloadValues& values, const Clock& clock,
                                      const TimeZone& zone) {
  const Context context{clock, zone};
  const std::string key = StrCat(command, " ", kind);
  if (key == "report early-warning") return EarlyWarning(values, context);
  if (key == "report incident") return Incident(values, context);
  if (key == "report status") return IncidentStatus(values, context);
  if (key == "report screening") return Screening(values);
  if (key == "report daily") return Daily(values, context);
  if (key == "report visit") return Visit(values, context);
  if (key == "report expense") return Expense(values);
  if (key == "ledger register") return LedgerRegister(values, context);
  if (key == "ledger update") return LedgerUpdate(values);
  if (key == "ledger close-out") return LedgerCloseOut(values, context);
  if (key == "orders ack") return OrderAck(values, context);
  if (command == "report") {
    return InvalidArgumentError(StrCat("unknown report '", kind,
                                       "' (early-warning, incident, status, screening, daily, "
                                       "visit, expense)"));
  }
  if (command == "ledger") {
    return InvalidArgumentError(
        StrCat("unknown ledger command '", kind, "' (register, update, close-out)"));
  }
  return InvalidArgumentError(StrCat("unknown command '", command, " ", kind, "'"));
}

}  // namespace anding::wire
