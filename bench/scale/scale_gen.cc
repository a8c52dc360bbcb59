// Fills a dispatcher's store with years of history, for the scale probe
// (scale_probe.cc): events from every unit's agent, the visits and 台账
// items they create (items with their warnings, progress and close-out),
// incidents with their timelines, and reserve-fund transfers.
//
//   scale_gen --config dispatcher.yaml --events N [--years Y] [--seed S]
//             [--open-incidents K] [--open-aftermath A] [--incident-every E]
//             [--transfer-every T] [--warning-every W] [--daily-reports D]
//             [--screening-reports D] [--matter-every M] [--batch B]
//
// The bulk path, documented in BENCHMARKS.md: every record is made the way
// the dispatcher makes it — the core command the module runs for the
// payload (VisitRegister::RecordVisit, Ledger::ReceiveWarning,
// DispatchModule::ReportIncident / UpdateStatus, Funds::TopUp /
// CreateTransfer), its change set (Changes / TakeChanges) saved by the
// module's repository (Save*Changes), and the event row as Intake writes
// it (store::InsertEvents, the envelope encoded by the wire codec, its
// payload kind and summary from anding/wire/summaries.h) — but many
// inputs share one transaction (--batch, default 5,000), and no process,
// socket or acknowledgement is involved. The ledger's timers (Ledger::Tick)
// run at the history's first instant, so that screening is tracked from
// then, and once at its end. What it leaves out: the feed's items, the
// audit trail of operator commands, the HQ alerts, orders and
// notifications the commands and timers raise, and the aftermath module's
// reviews (incidents are closed in the core, without its close gate).
//
// The database must exist with the dispatcher's schema (start the
// dispatcher, or scale_probe --init, once on the configuration). The
// history spans --years up to one day before now, every incident in it
// closed; then --open-incidents more are reported in the last day and left
// open (the same open state whatever the history's length): the first
// --open-aftermath of them (default 0) settled and in aftermath, awaiting
// their review and closure; the others as reported, waiting for a team.
// --daily-reports D (default 0) adds every unit's daily report (零报告,
// Ledger::FileDailyReport, filed at 18:00 of its day) for each of the D
// days before today: reports beside the events, units × D of them.
// --screening-reports D (default 0) adds every unit's screening report
// (排查零报告, Ledger::FileScreening, filed at 17:00 of the period's last
// day) for each ten-day period, month and quarter that ended in the D days
// before today: units × 52 a year.
// --matter-every M (default 0: none) registers a petition matter (信访事项,
// VisitRegister::RegisterMatter, as an operator does) from every Mth visit
// on its day: accepted the next day and concluded 30 days after that when
// both days have passed, else left with its limit running (the last month's
// matters).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "anding/common/config.h"
#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/funds/funds.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/visits/visits.h"
#include "anding/dispatcher/config.h"
#include "anding/storage/database.h"
#include "anding/store/dispatch_repository.h"
#include "anding/store/funds_repository.h"
#include "anding/store/ledger_repository.h"
#include "anding/store/link_repository.h"
#include "anding/store/visits_repository.h"
#include "anding/v1/envelope.pb.h"
#include "anding/wire/codec.h"
#include "anding/wire/summaries.h"

namespace anding::bench {
namespace {

namespace dispatch = core::dispatch;
namespace funds = core::funds;
namespace ledger = core::ledger;
namespace visits = core::visits;

struct Options {
  std::string config;
  int64_t events = 100'000;
  int years = 3;
  uint32_t seed = 19;
  int64_t open_incidents = 200;
  int64_t open_aftermath = 0;      // of those, how many are settled and in aftermath
  int64_t incident_every = 1'000;  // one agent-reported incident per this many events
  int64_t transfer_every = 100;    // one top-up and one expense per this many events
  int64_t warning_every = 10;      // one early warning per this many events
  int warnings_per_item = 5;       // an item is closed out after this many warnings
  int64_t daily_report_days = 0;   // every unit's daily report for this many days
  int64_t screening_days = 0;      // every unit's screening reports for this many days
  int64_t matter_every = 0;        // a petition matter from every this many visits; 0: none
  int64_t batch = 5'000;
};

// The open state and the history the generator makes, in one place.
class Generator {
 public:
  Generator(const Options& options, storage::Database& db, const core::Organisation& org,
            ledger::LedgerConfig ledger_config, dispatch::DispatchConfig dispatch_config,
            funds::FundsConfig funds_config, visits::VisitsConfig visits_config)
      : options_(options),
        db_(db),
        org_(org),
        ledger_config_(std::move(ledger_config)),
        dispatch_config_(std::move(dispatch_config)),
        funds_config_(std::move(funds_config)),
        visits_config_(std::move(visits_config)),
        random_(options.seed) {}

  Status Run(Time now) {
    now_ = now;
    ANDING_RETURN_IF_ERROR(Restore());
    for (const core::Unit& unit : org_.units()) {
      if (unit.kind != core::UnitKind::kCompany) units_.push_back(unit.id);
    }
    for (const core::Category& category : org_.categories()) categories_.push_back(category.id);
    if (units_.empty() || categories_.empty())
      return InvalidArgumentError("no units or categories");
    for (const auto& reserve : funds_config_.reserves) reserves_.push_back(reserve.unit_id);

    const Time first = now - std::chrono::hours(24 * 365 * options_.years);
    const Time last = now - std::chrono::hours(24);
    const Duration step = (last - first) / std::max<int64_t>(options_.events, 1);
    const auto wall_start = std::chrono::steady_clock::now();
    const CivilDay today = org_.time_zone().DayOf(now);
    // The ledger's timers start with the history (screening is tracked
    // from its first day) and run once more at its end.
    ANDING_RETURN_IF_ERROR(LedgerTick(first));
    next_report_day_ = today - options_.daily_report_days;
    next_screening_day_ = today - options_.screening_days;
    report_end_day_ = today;
    for (int64_t i = 0; i < options_.events; ++i) {
      const Time at = first + step * i;
      // The reports filed before it: the events stay in time order.
      ANDING_RETURN_IF_ERROR(ReportsUntil(at));
      const std::string& unit = units_[i % units_.size()];
      if (i % options_.incident_every == options_.incident_every - 1) {
        ANDING_RETURN_IF_ERROR(Incident(unit, at, Stage::kClosed));
      } else if (i % options_.warning_every == options_.warning_every - 1) {
        ANDING_RETURN_IF_ERROR(Warning(unit, at));
      } else {
        ANDING_RETURN_IF_ERROR(Visit(unit, at));
      }
      if (options_.transfer_every > 0 && i % options_.transfer_every == 0 && !reserves_.empty()) {
        ANDING_RETURN_IF_ERROR(Money(reserves_[(i / options_.transfer_every) % reserves_.size()],
                                     at + std::chrono::seconds(1)));
      }
      if (pending_ >= options_.batch) ANDING_RETURN_IF_ERROR(Flush());
      if ((i + 1) % 1'000'000 == 0) {
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
        std::fprintf(stderr, "  %lld events (%.0f s)\n", static_cast<long long>(i + 1), s);
      }
    }
    ANDING_RETURN_IF_ERROR(ReportsUntil(now));
    ANDING_RETURN_IF_ERROR(LedgerTick(now - std::chrono::hours(21)));
    // The open state, the same whatever the history: incidents reported in
    // the last day, a few seconds apart, by every unit in turn; the first
    // --open-aftermath of them settled and in aftermath (awaiting their
    // review and closure), the others waiting for a team.
    for (int64_t i = 0; i < options_.open_incidents; ++i) {
      const Time at = now - std::chrono::hours(20) + std::chrono::seconds(i);
      const Stage stage = i < options_.open_aftermath ? Stage::kAftermath : Stage::kWaiting;
      ANDING_RETURN_IF_ERROR(Incident(units_[i % units_.size()], at, stage));
      if (pending_ >= options_.batch) ANDING_RETURN_IF_ERROR(Flush());
    }
    ANDING_RETURN_IF_ERROR(Flush());
    std::printf(
        "generated events=%lld visits=%lld warnings=%lld incidents=%lld (open %lld) "
        "items_closed=%lld transfers=%lld daily_reports=%lld screening_reports=%lld matters=%lld "
        "years=%d units=%zu\n",
        static_cast<long long>(options_.events + options_.open_incidents),
        static_cast<long long>(counts_.visits), static_cast<long long>(counts_.warnings),
        static_cast<long long>(counts_.incidents), static_cast<long long>(options_.open_incidents),
        static_cast<long long>(counts_.items_closed), static_cast<long long>(counts_.transfers),
        static_cast<long long>(counts_.daily_reports),
        static_cast<long long>(counts_.screening_reports), static_cast<long long>(counts_.matters),
        options_.years, units_.size());
    return OkStatus();
  }

 private:
  Status Restore() {
    ANDING_ASSIGN_OR_RETURN(auto ledger_snapshot, store::LoadLedger(db_));
    ledger_ = std::make_unique<ledger::Ledger>(org_, ledger_config_, std::move(ledger_snapshot));
    ANDING_ASSIGN_OR_RETURN(auto dispatch_snapshot, store::LoadDispatch(db_));
    ANDING_ASSIGN_OR_RETURN(incidents_, dispatch::DispatchModule::Restore(
                                            dispatch_config_, org_, std::move(dispatch_snapshot)));
    ANDING_ASSIGN_OR_RETURN(auto funds_state, store::LoadFundsState(db_));
    ANDING_ASSIGN_OR_RETURN(auto book,
                            funds::Funds::Restore(funds_config_, std::move(funds_state)));
    funds_ = std::make_unique<funds::Funds>(std::move(book));
    ANDING_ASSIGN_OR_RETURN(auto visits_state, store::LoadVisitsState(db_));
    ANDING_ASSIGN_OR_RETURN(
        auto book_of_visits,
        visits::VisitRegister::Restore(visits_config_, org_, std::move(visits_state)));
    visits_ = std::make_unique<visits::VisitRegister>(std::move(book_of_visits));
    ANDING_ASSIGN_OR_RETURN(auto sequences, store::LoadAgents(db_));
    for (const auto& agent : sequences) sequence_[agent.unit_id] = agent.last_sequence;
    return OkStatus();
  }

  // The envelope an agent sends, and the event row Intake stores for it.
  void Event(const std::string& unit, Time at, v1::Envelope envelope, std::string record_id) {
    ManualClock clock(at);
    UuidV7Generator ids(clock, [this](uint8_t* out, size_t size) {
      for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(random_());
    });
    envelope.set_message_id(ids.Next());
    envelope.set_unit_id(unit);
    envelope.set_sequence(++sequence_[unit]);
    envelope.set_schema_version(1);
    *envelope.mutable_sent_at() = wire::ToProto(at);
    store::EventRow row;
    row.unit_id = unit;
    row.message_id = envelope.message_id();
    row.sequence = envelope.sequence();
    row.payload_kind = wire::PayloadKind(envelope);
    row.sent_at = at;
    row.received_at = at;
    row.record_id = std::move(record_id);
    row.summary = wire::Summarize(envelope);
    row.envelope = envelope.SerializeAsString();
    row.filed_at = at;
    events_.push_back(std::move(row));
    ++pending_;
  }

  Status Visit(const std::string& unit, Time at) {
    const CivilDay day = org_.time_zone().DayOf(at);
    v1::Envelope envelope;
    auto* record = envelope.mutable_visit_record();
    record->set_day(FormatDay(day));
    record->set_batches(1);
    record->set_persons(1 + random_() % 6);
    record->set_category_id(categories_[random_() % categories_.size()]);
    record->set_channel("visit");
    record->set_note("来访反映待遇问题");
    visits::VisitRequest request;
    request.day = day;
    request.unit_id = unit;
    request.category_id = record->category_id();
    request.batches = record->batches();
    request.persons = record->persons();
    request.note = record->note();
    core::Effects out;
    ANDING_ASSIGN_OR_RETURN(const visits::Visit visit,
                            visits_->RecordVisit(request, core::Actor::Agent(unit), at, out));
    ANDING_ASSIGN_OR_RETURN(auto changes, visits_->Changes(out.changed));
    visit_changes_.push_back(std::move(changes));
    Event(unit, at, std::move(envelope), visit.id);
    ++counts_.visits;
    if (options_.matter_every > 0 && counts_.visits % options_.matter_every == 0) {
      ANDING_RETURN_IF_ERROR(PetitionMatter(visit, at));
    }
    return OkStatus();
  }

  // A matter from `visit`, taken as far as the days up to today allow.
  Status PetitionMatter(const visits::Visit& visit, Time at) {
    const core::Actor clerk = core::Actor::Operator("scale");
    core::Effects out;
    ANDING_ASSIGN_OR_RETURN(const visits::Matter matter,
                            visits_->RegisterMatter({visit.unit_id, visit.category_id,
                                                     "反映待遇问题", visit.id, visit.day},
                                                    clerk, at, out));
    const CivilDay today = org_.time_zone().DayOf(now_);
    for (const auto& [after_days, action] :
         {std::pair{1, visits::MatterAction::kAccept}, {31, visits::MatterAction::kConclude}}) {
      const CivilDay day = visit.day + after_days;
      if (day >= today) break;
      ANDING_RETURN_IF_ERROR(visits_
                                 ->Act({matter.id, action, day, 0, "已答复"}, clerk,
                                       org_.time_zone().StartOf(day + 1) - std::chrono::seconds(1),
                                       out)
                                 .status());
    }
    ANDING_ASSIGN_OR_RETURN(auto changes, visits_->Changes(out.changed));
    visit_changes_.push_back(std::move(changes));
    ++counts_.matters;
    return OkStatus();
  }

  Status Warning(const std::string& unit, Time at) {
    v1::Envelope envelope;
    auto* warning = envelope.mutable_early_warning();
    warning->set_summary("职工反映待遇问题，拟到矿部反映");
    warning->set_category_id(categories_[random_() % categories_.size()]);
    warning->set_persons(3 + random_() % 10);
    ledger::EarlyWarningRequest request;
    request.summary = warning->summary();
    request.category_id = warning->category_id();
    request.persons = warning->persons();
    core::Effects out;
    ANDING_ASSIGN_OR_RETURN(const ledger::WarningOutcome outcome,
                            ledger_->ReceiveWarning(request, core::Actor::Agent(unit), at, out));
    ANDING_RETURN_IF_ERROR(KeepLedgerChanges(out));
    Event(unit, at, std::move(envelope), outcome.ledger_item_id);
    ++counts_.warnings;
    // Progress on the item, and its close-out after a few warnings.
    const ledger::LedgerItem* item = ledger_->FindItem(outcome.ledger_item_id);
    if (item == nullptr) return InternalError("the warning's item is missing");
    ledger::UpdateItemRequest update;
    update.item_id = item->id;
    update.progress = "已约谈职工代表，正在协调";
    update.updated_by =
        item->responsible_person.name.empty() ? "信访员" : item->responsible_person.name;
    const bool close = item->warning_ids.size() >= static_cast<size_t>(options_.warnings_per_item);
    if (close) update.resolution = "已按政策解决，职工表示满意";
    core::Effects updated;
    ANDING_RETURN_IF_ERROR(ledger_->Update(update, core::Actor::Operator("scale"),
                                           at + std::chrono::minutes(5), updated));
    if (close) {
      ledger::CloseOutRequest close_out;
      close_out.item_id = item->id;
      close_out.confirmed_by_leader = item->responsible_leader.name;
      ANDING_RETURN_IF_ERROR(ledger_->CloseOut(close_out, core::Actor::Operator("scale"),
                                               at + std::chrono::minutes(10), updated));
      ++counts_.items_closed;
    }
    ANDING_RETURN_IF_ERROR(KeepLedgerChanges(updated));
    return OkStatus();
  }

  // Every unit's screening reports of the periods ending on each day from
  // next_screening_day_ on, and its daily report of each day from
  // next_report_day_ on, before today, filed (at 17:00, 18:00) before
  // `until`.
  Status ReportsUntil(Time until) {
    const TimeZone& zone = org_.time_zone();
    while (next_screening_day_ < report_end_day_ && zone.At(next_screening_day_, 17, 0) < until) {
      for (ledger::PeriodKind kind : ledger::kAllPeriodKinds) {
        const ledger::Period period = ledger::PeriodContaining(kind, next_screening_day_);
        if (ledger::LastDay(period) != next_screening_day_) continue;
        for (const std::string& unit : units_) {
          ANDING_RETURN_IF_ERROR(ScreeningReport(unit, period));
          if (pending_ >= options_.batch) ANDING_RETURN_IF_ERROR(Flush());
        }
      }
      ++next_screening_day_;
    }
    while (next_report_day_ < report_end_day_ && zone.At(next_report_day_, 18, 0) < until) {
      for (const std::string& unit : units_) {
        ANDING_RETURN_IF_ERROR(DailyReport(unit, next_report_day_));
        if (pending_ >= options_.batch) ANDING_RETURN_IF_ERROR(Flush());
      }
      ++next_report_day_;
    }
    return OkStatus();
  }

  Status DailyReport(const std::string& unit, CivilDay day) {
    const Time at = org_.time_zone().At(day, 18, 0);
    v1::Envelope envelope;
    auto* report = envelope.mutable_daily_report();
    report->set_day(FormatDay(day));
    report->set_zero_report(true);
    report->set_text("今日无新增风险");
    report->set_reported_by("信访员");
    ledger::DailyReportRequest request;
    request.day = day;
    request.zero_report = true;
    request.text = report->text();
    request.reported_by = report->reported_by();
    request.filed_at = at;
    core::Effects out;
    ANDING_ASSIGN_OR_RETURN(const ledger::DailyReportOutcome outcome,
                            ledger_->FileDailyReport(request, core::Actor::Agent(unit), at, out));
    ANDING_RETURN_IF_ERROR(KeepLedgerChanges(out));
    Event(unit, at, std::move(envelope), outcome.key);
    ++counts_.daily_reports;
    return OkStatus();
  }

  // What `out` says the ledger changed, to be saved with the next batch.
  Status KeepLedgerChanges(const core::Effects& out) {
    ANDING_ASSIGN_OR_RETURN(auto changes, ledger_->TakeChanges(out.changed));
    ledger_changes_.push_back(std::move(changes));
    return OkStatus();
  }

  // The ledger's timers at `at` (Ledger::Tick): the records they change are
  // saved; their orders and alerts are left out, as the file comment says.
  Status LedgerTick(Time at) {
    core::Effects out;
    ledger_->Tick(at, out);
    ANDING_RETURN_IF_ERROR(KeepLedgerChanges(out));
    ++pending_;
    return OkStatus();
  }

  Status ScreeningReport(const std::string& unit, const ledger::Period& period) {
    const Time at = org_.time_zone().At(ledger::LastDay(period), 17, 0);
    v1::Envelope envelope;
    auto* report = envelope.mutable_screening_report();
    report->mutable_period()->set_kind(
        static_cast<v1::PeriodKind>(static_cast<int>(period.kind) + 1));
    report->mutable_period()->set_year(period.year);
    report->mutable_period()->set_index(period.index);
    report->mutable_period()->set_ten_day(period.ten_day);
    report->set_zero_report(true);
    report->set_screened_by("信访员");
    report->set_remarks("全矿排查，未发现不稳定因素");
    ledger::ScreeningReportRequest request;
    request.period = period;
    request.zero_report = true;
    request.screened_by = report->screened_by();
    request.remarks = report->remarks();
    request.filed_at = at;
    core::Effects out;
    ANDING_ASSIGN_OR_RETURN(const ledger::ScreeningOutcome outcome,
                            ledger_->FileScreening(request, core::Actor::Agent(unit), at, out));
    ANDING_RETURN_IF_ERROR(KeepLedgerChanges(out));
    Event(unit, at, std::move(envelope), outcome.key);
    ++counts_.screening_reports;
    return OkStatus();
  }

  // How far an incident goes: closed (the history), settled and in
  // aftermath, or left waiting as reported.
  enum class Stage { kClosed, kAftermath, kWaiting };

  Status Incident(const std::string& unit, Time at, Stage stage) {
    v1::Envelope envelope;
    auto* report = envelope.mutable_incident_report();
    report->set_type(v1::INCIDENT_TYPE_GROUP_PETITION);
    report->mutable_place()->set_region_id("hebi");
    report->mutable_place()->set_address("市政府北门");
    report->set_persons(5 + random_() % 5);
    report->add_involved_unit_ids(unit);
    report->set_summary("退休职工集体上访");
    dispatch::ReportIncidentRequest request;
    request.report.type = dispatch::IncidentType::kGroupPetition;
    request.report.place = dispatch::Place{"hebi", "市政府北门"};
    request.report.persons = report->persons();
    request.report.involved_unit_ids = {unit};
    request.report.summary = report->summary();
    request.reported_at = at;
    core::Effects out;
    ANDING_ASSIGN_OR_RETURN(const std::string id,
                            incidents_->ReportIncident(request, core::Actor::Agent(unit), at, out));
    if (stage != Stage::kWaiting) {
      // HQ confirms the proposal (the teams are free: every earlier one
      // is closed), or sends the company's team where none was proposed.
      dispatch::ConfirmRequest confirm;
      confirm.incident_id = id;
      const core::Actor hq = core::Actor::Operator("scale");
      if (!incidents_->Confirm(confirm, hq, at + std::chrono::minutes(5), out).ok()) {
        dispatch::OverrideRequest override_request;
        override_request.incident_id = id;
        override_request.unit_id = unit;
        override_request.team_id = "team-hq";
        ANDING_RETURN_IF_ERROR(
            incidents_->Override(override_request, hq, at + std::chrono::minutes(5), out));
      }
      // Its timeline: departure, arrival, settlement, aftermath, close.
      const dispatch::IncidentStep steps[] = {
          dispatch::IncidentStep::kDeparted, dispatch::IncidentStep::kArrived,
          dispatch::IncidentStep::kSettled, dispatch::IncidentStep::kAftermath,
          dispatch::IncidentStep::kClosed};
      Time when = at;
      for (const dispatch::IncidentStep step : steps) {
        if (step == dispatch::IncidentStep::kClosed && stage == Stage::kAftermath) break;
        when += std::chrono::minutes(20);
        dispatch::StatusUpdateRequest update;
        update.incident_id = id;
        update.step = step;
        update.unit_id = unit;
        update.at = when;
        update.reported_by = "带队领导";
        if (step == dispatch::IncidentStep::kClosed) update.note = "原因：待遇问题；已整改";
        ANDING_RETURN_IF_ERROR(
            incidents_->UpdateStatus(update, core::Actor::Operator("scale"), when, out));
      }
    }
    ANDING_ASSIGN_OR_RETURN(auto changes, incidents_->Changes(out.changed));
    dispatch_changes_.push_back(std::move(changes));
    Event(unit, at, std::move(envelope), id);
    ++counts_.incidents;
    return OkStatus();
  }

  Status Money(const std::string& unit, Time at) {
    const int64_t amount = 50 + static_cast<int64_t>(random_() % 100);
    core::Effects out;
    funds::TopUpRequest top_up;
    top_up.id = StrCat("scale-top-up-", ++counts_.transfers);
    top_up.unit_id = unit;
    top_up.amount_fen = amount;
    top_up.reason = "补充备用金";
    ANDING_RETURN_IF_ERROR(funds_->TopUp(top_up, core::Actor::Operator("scale"), at, out).status());
    funds::TransferRequest spend;
    spend.id = StrCat("scale-expense-", ++counts_.transfers);
    spend.debit_account_id = StrCat("reserve/", unit);
    spend.credit_account_id = "expense/transport";
    spend.amount_fen = amount;
    spend.code = "transport";
    spend.reason = "处置车辆油费";
    ANDING_RETURN_IF_ERROR(
        funds_->CreateTransfer(spend, core::Actor::Operator("scale"), at, out).status());
    ANDING_ASSIGN_OR_RETURN(auto changes, funds_->Changes(out.changed));
    funds_changes_.push_back(std::move(changes));
    return OkStatus();
  }

  // One transaction for everything made since the last flush, in the
  // order the shell would commit it module by module.
  Status Flush() {
    const Status saved = storage::InTransaction(db_, [&]() -> Status {
      ANDING_RETURN_IF_ERROR(store::InsertEvents(db_, events_));
      for (const auto& changes : visit_changes_) {
        ANDING_RETURN_IF_ERROR(store::SaveVisitsChanges(db_, changes));
      }
      for (const auto& changes : ledger_changes_) {
        ANDING_RETURN_IF_ERROR(store::SaveLedgerChanges(db_, changes));
      }
      for (const auto& changes : dispatch_changes_) {
        ANDING_RETURN_IF_ERROR(store::SaveDispatchChanges(db_, changes));
      }
      for (const auto& changes : funds_changes_) {
        ANDING_RETURN_IF_ERROR(store::SaveFundsChanges(db_, changes));
      }
      for (const auto& [unit, sequence] : sequence_) {
        store::AgentRow agent;
        agent.unit_id = unit;
        agent.last_sequence = sequence;
        ANDING_RETURN_IF_ERROR(store::SaveAgent(db_, agent));
      }
      return OkStatus();
    });
    events_.clear();
    visit_changes_.clear();
    ledger_changes_.clear();
    dispatch_changes_.clear();
    funds_changes_.clear();
    pending_ = 0;
    return saved;
  }

  const Options& options_;
  storage::Database& db_;
  const core::Organisation& org_;
  ledger::LedgerConfig ledger_config_;
  dispatch::DispatchConfig dispatch_config_;
  funds::FundsConfig funds_config_;
  visits::VisitsConfig visits_config_;
  std::mt19937 random_;

  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<dispatch::DispatchModule> incidents_;
  std::unique_ptr<funds::Funds> funds_;
  std::unique_ptr<visits::VisitRegister> visits_;
  std::map<std::string, uint64_t> sequence_;
  std::vector<std::string> units_;
  std::vector<std::string> categories_;
  std::vector<std::string> reserves_;

  std::vector<store::EventRow> events_;
  std::vector<visits::VisitsChangeSet> visit_changes_;
  std::vector<ledger::LedgerChangeSet> ledger_changes_;
  std::vector<dispatch::DispatchChangeSet> dispatch_changes_;
  std::vector<funds::FundsChangeSet> funds_changes_;
  int64_t pending_ = 0;
  Time now_{};                   // the end of the history
  CivilDay next_report_day_;     // the next day whose daily reports are made
  CivilDay next_screening_day_;  // the next day whose ending periods' reports are made
  CivilDay report_end_day_;      // today: its reports and later ones are not
  struct {
    int64_t visits = 0, warnings = 0, incidents = 0, items_closed = 0, transfers = 0,
            daily_reports = 0, screening_reports = 0, matters = 0;
  } counts_;
};

int Usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s --config dispatcher.yaml --events N [--years Y] [--seed S]\n"
               "       [--open-incidents K] [--open-aftermath A] [--incident-every E]\n"
               "       [--transfer-every T] [--warning-every W] [--daily-reports D]\n"
               "       [--screening-reports D] [--matter-every M] [--batch B]\n",
               program);
  return 2;
}

int Main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--config") {
      options.config = value;
    } else if (flag == "--events") {
      options.events = std::atoll(value);
    } else if (flag == "--years") {
      options.years = std::atoi(value);
    } else if (flag == "--seed") {
      options.seed = static_cast<uint32_t>(std::atol(value));
    } else if (flag == "--open-incidents") {
      options.open_incidents = std::atoll(value);
    } else if (flag == "--open-aftermath") {
      options.open_aftermath = std::atoll(value);
    } else if (flag == "--incident-every") {
      options.incident_every = std::atoll(value);
    } else if (flag == "--transfer-every") {
      options.transfer_every = std::atoll(value);
    } else if (flag == "--warning-every") {
      options.warning_every = std::atoll(value);
    } else if (flag == "--daily-reports") {
      options.daily_report_days = std::atoll(value);
    } else if (flag == "--screening-reports") {
      options.screening_days = std::atoll(value);
    } else if (flag == "--matter-every") {
      options.matter_every = std::atoll(value);
    } else if (flag == "--batch") {
      options.batch = std::atoll(value);
    } else {
      return Usage(argv[0]);
    }
  }
  if (options.config.empty() || options.events < 1 || options.years < 1 ||
      options.incident_every < 1 || options.warning_every < 1 || options.batch < 1 ||
      options.transfer_every < 0 || options.open_incidents < 0 || options.open_aftermath < 0 ||
      options.open_aftermath > options.open_incidents || options.daily_report_days < 0 ||
      options.screening_days < 0 || options.matter_every < 0) {
    return Usage(argv[0]);
  }
  auto document = ConfigDocument::LoadFile(options.config);
  if (!document.ok()) {
    std::fprintf(stderr, "%s\n", document.status().ToString().c_str());
    return 2;
  }
  ConfigNode root = document->root();
  const dispatcher::DispatcherConfig config =
      dispatcher::ReadDispatcherConfig(root, document->directory());
  const core::Organisation org = core::Organisation::Read(root);
  const visits::VisitsConfig visits_config = visits::ReadVisitsConfig(root, org);
  ledger::LedgerConfig ledger_config = ledger::ReadLedgerConfig(root, org);
  dispatch::DispatchConfig dispatch_config = dispatch::ReadDispatchConfig(root, org);
  funds::FundsConfig funds_config = funds::ReadFundsConfig(root, org);
  (void)document->Finish();  // the dispatcher checks the rest of the file
  auto opened = storage::Database::Open(config.database_path);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  Generator generator(options, **opened, org, std::move(ledger_config), std::move(dispatch_config),
                      std::move(funds_config), visits_config);
  const auto start = std::chrono::steady_clock::now();
  if (Status status = generator.Run(SystemClock().Now()); !status.ok()) {
    std::fprintf(stderr, "scale_gen: %s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("generation_s=%.1f\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace
}  // namespace anding::bench

int main(int argc, char** argv) { return anding::bench::Main(argc, argv); }
