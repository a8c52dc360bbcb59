#include "anding/wire/payload_options.h"

#include <charconv>
#include <cstdlib>

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
      StrCat("--level must be low, medium, high or critical, not '", text, "'"));
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
    return InvalidArgumentError(StrCat("--", option,
                                       ": expected YYYY-MM-DD or an RFC 3339 time "
                                       "such as 2026-11-27T16:30:00+08:00"));
  }
  return *time;
}

std::string Today(const Context& context) {
  return FormatDay(context.zone.DayOf(context.clock.Now()));
}

Status ParseContact(const std::string& option, const std::string& text, v1::Contact* contact) {
  // NAME or NAME:PHONE or NAME:PHONE:TITLE
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts[0].empty() || parts.size() > 3) {
    return InvalidArgumentError(
        StrCat("--", option, " must be NAME, NAME:PHONE or NAME:PHONE:TITLE"));
  }
  contact->set_name(parts[0]);
  if (parts.size() > 1) contact->set_phone(parts[1]);
  if (parts.size() > 2) contact->set_title(parts[2]);
  return OkStatus();
}

std::optional<uint32_t> Count(Args& args, const std::string& name) {
  auto value = args.Int(name);
  if (!value) return std::nullopt;
  if (*value < 0 || *value > 1'000'000) {
    args.Error(StrCat("--", name, " must be 0–1000000"));
    return std::nullopt;
  }
  return static_cast<uint32_t>(*value);
}

Result<v1::Period> ParsePeriod(const std::string& text) {
  // 2026-11/2 (ten-day period 2 of November), 2026-11 (month), 2026-Q4.
  v1::Period period;
  const auto bad = InvalidArgumentError(
      StrCat("--period must be YYYY-MM/N (ten-day period N = 1, 2, 3), YYYY-MM or YYYY-QN, not '",
             text, "'"));
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

#define ANDING_TRY_SET(expr, setter)          \
  do {                                        \
    auto value_ = (expr);                     \
    if (!value_.ok()) return value_.status(); \
    setter(*value_);                          \
  } while (false)

Result<v1::Envelope> EarlyWarning(Args& args, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_early_warning();
  p->set_summary(args.Required("summary"));
  p->set_category_id(args.Required("category"));
  p->set_details(args.Option("details").value_or(""));
  p->set_persons(Count(args, "persons").value_or(0));
  if (auto level = args.Option("level")) ANDING_TRY_SET(ParseLevel(*level), p->set_level);
  p->set_major(args.Flag("major"));
  if (auto destination = args.Option("destination"))
    p->mutable_destination()->set_region_id(*destination);
  if (auto at = args.Option("observed-at")) {
    ANDING_TRY_SET(ParseWhen("observed-at", *at, false, context.zone),
                   [&](Time t) { *p->mutable_observed_at() = ToProto(t); });
  }
  p->set_ledger_item_id(args.Option("ledger-item").value_or(""));
  return envelope;
}

Result<v1::Envelope> Incident(Args& args, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_incident_report();
  const std::string type = args.Required("type");
  if (type == "group-petition") {
    p->set_type(v1::INCIDENT_TYPE_GROUP_PETITION);
  } else if (type == "individual-extreme") {
    p->set_type(v1::INCIDENT_TYPE_INDIVIDUAL_EXTREME);
  } else if (type == "other") {
    p->set_type(v1::INCIDENT_TYPE_OTHER);
  } else if (!type.empty()) {
    return InvalidArgumentError("--type must be group-petition, individual-extreme or other");
  }
  p->mutable_place()->set_region_id(args.Required("region"));
  p->mutable_place()->set_address(args.Option("address").value_or(""));
  p->set_persons(Count(args, "persons").value_or(0));
  p->set_representatives(Count(args, "representatives").value_or(0));
  for (const auto& unit : args.All("involved")) {
    size_t start = 0;
    while (start <= unit.size()) {
      const size_t comma = unit.find(',', start);
      const std::string id = unit.substr(start, comma - start);
      if (!id.empty()) p->add_involved_unit_ids(id);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  // The same rule at a mine and at HQ (both command lines build it here):
  // optional, the dispatcher writes a default; at most
  // kMaxIncidentSummaryChars characters.
  p->set_summary(args.Option("summary").value_or(""));
  if (auto length = Utf8Length(p->summary());
      length && *length > limits::kMaxIncidentSummaryChars) {
    args.Error(StrCat("--summary is too long (", *length, " characters; at most ",
                      limits::kMaxIncidentSummaryChars, ")"));
  }
  p->set_details(args.Option("details").value_or(""));
  p->set_category_id(args.Option("category").value_or(""));
  if (auto at = args.Option("occurred-at")) {
    ANDING_TRY_SET(ParseWhen("occurred-at", *at, false, context.zone),
                   [&](Time t) { *p->mutable_occurred_at() = ToProto(t); });
  }
  return envelope;
}

Result<v1::Envelope> IncidentStatus(Args& args, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_incident_status();
  p->set_incident_id(args.Required("incident"));
  const std::string step = args.Required("step");
  if (step == "departed")
    p->set_step(v1::INCIDENT_STEP_DEPARTED);
  else if (step == "arrived")
    p->set_step(v1::INCIDENT_STEP_ARRIVED);
  else if (step == "settled")
    p->set_step(v1::INCIDENT_STEP_SETTLED);
  else if (step == "aftermath")
    p->set_step(v1::INCIDENT_STEP_AFTERMATH);
  else if (step == "closed")
    p->set_step(v1::INCIDENT_STEP_CLOSED);
  else if (!step.empty()) {
    return InvalidArgumentError("--step must be departed, arrived, settled, aftermath or closed");
  }
  if (auto at = args.Option("at")) {
    ANDING_TRY_SET(ParseWhen("at", *at, false, context.zone),
                   [&](Time t) { *p->mutable_at() = ToProto(t); });
  }
  p->set_note(args.Option("note").value_or(""));
  p->set_reported_by(args.Option("by").value_or(""));
  return envelope;
}

Result<v1::Envelope> Screening(Args& args) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_screening_report();
  auto period = ParsePeriod(args.Required("period"));
  if (!period.ok()) return period.status();
  *p->mutable_period() = *period;
  p->set_zero_report(args.Flag("zero"));
  for (const auto& finding : args.All("finding")) {
    // CATEGORY|DESCRIPTION|PERSONS[|LEVEL]
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      const size_t bar = finding.find('|', start);
      parts.push_back(finding.substr(start, bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    if (parts.size() < 3 || parts.size() > 4) {
      return InvalidArgumentError("--finding must be 'CATEGORY|DESCRIPTION|PERSONS[|LEVEL]'");
    }
    auto* f = p->add_findings();
    f->set_category_id(parts[0]);
    f->set_description(parts[1]);
    f->set_persons(static_cast<uint32_t>(std::strtoul(parts[2].c_str(), nullptr, 10)));
    if (parts.size() == 4) ANDING_TRY_SET(ParseLevel(parts[3]), f->set_level);
  }
  for (const auto& item : args.All("finding-item")) p->add_findings()->set_ledger_item_id(item);
  p->set_screened_by(args.Option("by").value_or(""));
  p->set_remarks(args.Option("remarks").value_or(""));
  return envelope;
}

Result<v1::Envelope> Daily(Args& args, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_daily_report();
  const std::optional<std::string> day = args.Option("day");
  p->set_day(day.value_or(Today(context)));
  // Without --day, "today" is this machine's: the dispatcher may correct it
  // for a measured clock offset.
  p->set_day_from_clock(!day.has_value());
  p->set_zero_report(args.Flag("zero"));
  p->set_text(args.Option("text").value_or(""));
  p->set_new_warnings(Count(args, "new-warnings").value_or(0));
  p->set_items_progressed(Count(args, "items-progressed").value_or(0));
  p->set_visit_batches(Count(args, "visit-batches").value_or(0));
  p->set_visit_persons(Count(args, "visit-persons").value_or(0));
  p->set_reported_by(args.Option("by").value_or(""));
  return envelope;
}

Result<v1::Envelope> Visit(Args& args, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_visit_record();
  p->set_day(args.Option("day").value_or(Today(context)));
  p->set_batches(Count(args, "batches").value_or(0));
  p->set_persons(Count(args, "persons").value_or(0));
  p->set_category_id(args.Option("category").value_or(""));
  p->set_channel(args.Option("channel").value_or("walk-in"));
  p->set_note(args.Option("note").value_or(""));
  p->set_destination_level(args.Option("destination").value_or(""));
  p->set_collective(args.Option("collective").value_or(""));
  p->set_representative(args.Option("representative").value_or(""));
  p->set_contact(args.Option("contact").value_or(""));
  return envelope;
}

Result<v1::Envelope> Expense(Args& args) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_expense_report();
  p->set_incident_id(args.Required("incident"));
  const auto fen = args.Int("amount-fen");
  const auto yuan = args.Option("amount-yuan");
  if (fen.has_value() == yuan.has_value()) {
    return InvalidArgumentError("give exactly one of --amount-fen or --amount-yuan");
  }
  if (fen) {
    p->set_amount_fen(*fen);
  } else {
    ANDING_TRY_SET(ParseYuan(*yuan), p->set_amount_fen);
  }
  p->set_code(args.Required("code"));
  p->set_reason(args.Option("reason").value_or(""));
  p->set_voucher(args.Option("voucher").value_or(""));
  return envelope;
}

Result<v1::Envelope> LedgerRegister(Args& args, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_ledger_register();
  p->set_category_id(args.Required("category"));
  p->set_description(args.Required("description"));
  p->set_persons(Count(args, "persons").value_or(0));
  for (const auto& name : args.All("key-person")) p->add_key_persons(name);
  if (auto level = args.Option("level")) ANDING_TRY_SET(ParseLevel(*level), p->set_level);
  ANDING_RETURN_IF_ERROR(
      ParseContact("leader", args.Required("leader"), p->mutable_responsible_leader()));
  ANDING_RETURN_IF_ERROR(
      ParseContact("person", args.Required("person"), p->mutable_responsible_person()));
  p->set_lead_department(args.Option("department").value_or(""));
  p->set_measures(args.Option("measures").value_or(""));
  ANDING_TRY_SET(ParseWhen("deadline", args.Required("deadline"), true, context.zone),
                 [&](Time t) { *p->mutable_deadline() = ToProto(t); });
  return envelope;
}

Result<v1::Envelope> LedgerUpdate(Args& args) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_ledger_update();
  p->set_ledger_item_id(args.Required("item"));
  p->set_progress(args.Option("progress").value_or(""));
  if (auto level = args.Option("level")) ANDING_TRY_SET(ParseLevel(*level), p->set_level);
  p->set_measures(args.Option("measures").value_or(""));
  p->set_persons(Count(args, "persons").value_or(0));
  p->set_resolution(args.Option("resolution").value_or(""));
  p->set_updated_by(args.Option("by").value_or(""));
  return envelope;
}

Result<v1::Envelope> LedgerCloseOut(Args& args, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_ledger_close_out();
  p->set_ledger_item_id(args.Required("item"));
  p->set_resolution(args.Required("resolution"));
  p->set_confirmed_by_leader(args.Required("leader"));
  *p->mutable_confirmed_at() = ToProto(context.clock.Now());
  return envelope;
}

Result<v1::Envelope> OrderAck(Args& args, const Context& context) {
  v1::Envelope envelope;
  auto* p = envelope.mutable_order_acknowledgement();
  p->set_order_id(args.Positional(2));
  if (p->order_id().empty()) return InvalidArgumentError("usage: orders ack ORDER_ID --by NAME");
  p->set_acknowledged_by(args.Required("by"));
  p->set_note(args.Option("note").value_or(""));
  *p->mutable_acknowledged_at() = ToProto(context.clock.Now());
  return envelope;
}

}  // namespace

Result<int64_t> ParseYuan(const std::string& text) {
  const auto bad =
      InvalidArgumentError(StrCat("not an amount in yuan with at most two decimals: '", text, "'"));
  if (text.empty() || text.size() > 15) return bad;
  int64_t fen = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    if (text[i] < '0' || text[i] > '9') return bad;
    fen = fen * 10 + (text[i] - '0');
  }
  if (i == 0) return bad;
  fen *= 100;
  if (i < text.size()) {
    const std::string decimals = text.substr(i + 1);
    if (decimals.empty() || decimals.size() > 2) return bad;
    for (char c : decimals) {
      if (c < '0' || c > '9') return bad;
    }
    fen += (decimals[0] - '0') * 10 + (decimals.size() == 2 ? decimals[1] - '0' : 0);
  }
  return fen;
}

Result<v1::Envelope> BuildPayload(const std::string& command, Args& args, const Clock& clock,
                                  const TimeZone& zone) {
  return BuildPayloadOf(command, args.Positional(1), args, clock, zone);
}

Result<v1::Envelope> BuildPayloadOf(const std::string& command, const std::string& kind, Args& args,
                                    const Clock& clock, const TimeZone& zone) {
  const Context context{clock, zone};
  if (command == "report") {
    if (kind == "early-warning") return EarlyWarning(args, context);
    if (kind == "incident") return Incident(args, context);
    if (kind == "status") return IncidentStatus(args, context);
    if (kind == "screening") return Screening(args);
    if (kind == "daily") return Daily(args, context);
    if (kind == "visit") return Visit(args, context);
    if (kind == "expense") return Expense(args);
    return InvalidArgumentError(StrCat("unknown report '", kind,
                                       "' (early-warning, incident, status, screening, daily, "
                                       "visit, expense)"));
  }
  if (command == "ledger") {
    if (kind == "register") return LedgerRegister(args, context);
    if (kind == "update") return LedgerUpdate(args);
    if (kind == "close-out") return LedgerCloseOut(args, context);
    return InvalidArgumentError(
        StrCat("unknown ledger command '", kind, "' (register, update, close-out)"));
  }
  if (command == "orders" && kind == "ack") return OrderAck(args, context);
  return InvalidArgumentError(StrCat("unknown command '", command, " ", kind, "'"));
}

std::string PayloadHelp(const std::string& command, const std::string& kind) {
  const std::string key = command + " " + kind;
  if (key == "report early-warning") {
    return "report early-warning --summary TEXT --category ID [--persons N] [--level "
           "low|medium|high|critical] [--major] [--details TEXT] [--destination REGION] "
           "[--observed-at TIME] [--ledger-item ID]";
  }
  if (key == "report incident") {
    return "report incident --type group-petition|individual-extreme|other --region ID "
           "[--address TEXT] --persons N [--representatives N] [--involved UNIT,UNIT] "
           "[--summary TEXT] [--details TEXT] [--category ID] [--occurred-at TIME]\n"
           "  --summary: at most 200 characters; without it HQ writes one from the report";
  }
  if (key == "report status") {
    return "report status --incident ID --step departed|arrived|settled|aftermath|closed "
           "[--at TIME] [--note TEXT] [--by NAME]";
  }
  if (key == "report screening") {
    return "report screening --period YYYY-MM/N|YYYY-MM|YYYY-QN (--zero | --finding "
           "'CATEGORY|DESCRIPTION|PERSONS[|LEVEL]' ... | --finding-item LEDGER_ID ...) [--by NAME] "
           "[--remarks TEXT]";
  }
  if (key == "report daily") {
    return "report daily [--day YYYY-MM-DD] (--zero | --text TEXT) [--new-warnings N] "
           "[--items-progressed N] [--visit-batches N] [--visit-persons N] [--by NAME]";
  }
  if (key == "report visit") {
    return "report visit [--day YYYY-MM-DD] --batches N --persons N [--category ID] "
           "[--channel walk-in|letter|phone|online] [--note TEXT] "
           "[--destination unit|company|city|province|beijing] [--collective yes|no] "
           "[--representative NAME] [--contact PHONE]";
  }
  if (key == "report expense") {
    return "report expense --incident ID (--amount-yuan 123.45 | --amount-fen 12345) --code "
           "transport|lodging|meals|other [--reason TEXT] [--voucher NO]";
  }
  if (key == "ledger register") {
    return "ledger register --category ID --description TEXT [--persons N] [--key-person NAME]... "
           "[--level L] --leader NAME[:PHONE[:TITLE]] --person NAME[:PHONE[:TITLE]] "
           "[--department TEXT] [--measures TEXT] --deadline YYYY-MM-DD|TIME";
  }
  if (key == "ledger update") {
    return "ledger update --item ID [--progress TEXT] [--level L] [--measures TEXT] [--persons N] "
           "[--resolution TEXT] [--by NAME]";
  }
  if (key == "ledger close-out") {
    return "ledger close-out --item ID --resolution TEXT --leader NAME";
  }
  return "see 'anding-agent help'";
}

}  // namespace anding::wire
