#include "support/sample_messages.h"

#include "anding/common/strings.h"
#include "anding/wire/encoding.h"

namespace anding::testing {
namespace {

constexpr const char* kCategory = "retiree-management";

google::protobuf::Timestamp At(Time t) { return wire::ToProto(t); }

std::string Today(Time now) { return FormatDay(TimeZone::Shanghai().DayOf(now)); }

v1::Contact Person(const char* name, const char* phone, const char* title) {
  v1::Contact contact;
  contact.set_name(name);
  contact.set_phone(phone);
  contact.set_title(title);
  return contact;
}

v1::IncidentReport Report(const std::string& unit, Time now) {
  v1::IncidentReport r;
  r.set_type(v1::INCIDENT_TYPE_GROUP_PETITION);
  r.mutable_place()->set_region_id("zhengzhou");
  r.mutable_place()->set_address("省政府东门");
  *r.mutable_occurred_at() = At(now - std::chrono::minutes(20));
  r.set_persons(35);
  r.set_representatives(3);
  r.add_involved_unit_ids(unit);
  r.set_summary("退休职工集体到省政府上访");
  r.set_details("反映养老金调整问题，情绪稳定");
  r.set_category_id(kCategory);
  return r;
}

v1::LedgerItemRegister Item(Time now) {
  v1::LedgerItemRegister item;
  item.set_category_id("three-supplies-handover");
  item.set_description("三供一业移交后物业费争议");
  item.set_persons(40);
  item.add_key_persons("王某");
  item.set_level(v1::RISK_LEVEL_MEDIUM);
  *item.mutable_responsible_leader() = Person("李矿长", "+8613800000031", "矿长");
  *item.mutable_responsible_person() = Person("赵信访员", "+8613800000032", "信访员");
  item.set_measures("逐户走访，解释政策");
  *item.mutable_deadline() = At(now + std::chrono::hours(24 * 30));
  return item;
}

}  // namespace

std::string FirstLedgerItemId(Time now) {
  return StrCat("TZ-", TimeZone::Shanghai().DayOf(now).year(), "-0001");
}

std::string FirstIncidentId(Time now) {
  return StrCat("INC-", TimeZone::Shanghai().FormatLocal(now, "%Y%m%d"), "-001");
}

std::vector<v1::Envelope> SampleEnvelopes(const std::string& unit, Time now, IdGenerator& ids,
                                          uint64_t first_sequence) {
  std::vector<v1::Envelope> samples;
  uint64_t sequence = first_sequence;
  auto next = [&]() -> v1::Envelope& {
    v1::Envelope& e = samples.emplace_back();
    e.set_message_id(ids.Next());
    e.set_unit_id(unit);
    e.set_sequence(sequence++);
    *e.mutable_sent_at() = At(now);
    e.set_schema_version(wire::kSchemaVersion);
    return e;
  };
  const std::string item_id = FirstLedgerItemId(now);
  const std::string incident_id = FirstIncidentId(now);

  *next().mutable_ledger_register() = Item(now);
  {
    auto* w = next().mutable_early_warning();
    w->set_summary("退休职工酝酿到北京集体上访");
    w->set_details("微信群里商量下周出发");
    w->set_category_id(kCategory);
    w->set_persons(45);
    w->set_level(v1::RISK_LEVEL_HIGH);
    w->set_major(true);
    w->mutable_destination()->set_region_id("beijing");
    *w->mutable_observed_at() = At(now - std::chrono::hours(2));
  }
  {
    auto* u = next().mutable_ledger_update();
    u->set_ledger_item_id(item_id);
    u->set_progress("已召开座谈会");
    u->set_level(v1::RISK_LEVEL_LOW);
    u->set_persons(38);
    u->set_updated_by("赵信访员");
  }
  *next().mutable_incident_report() = Report(unit, now);
  {
    auto* s = next().mutable_incident_status();
    s->set_incident_id(incident_id);
    s->set_step(v1::INCIDENT_STEP_DEPARTED);
    *s->mutable_at() = At(now);
    s->set_note("处置组已出发");
    s->set_reported_by("施红 组长");
  }
  {
    auto* x = next().mutable_expense_report();
    x->set_incident_id(incident_id);
    x->set_amount_fen(48000);
    x->set_code("transport");
    x->set_reason("往返郑州高速费及油费");
    x->set_voucher("FP-2026-0093");
  }
  {
    auto* s = next().mutable_screening_report();
    const CivilDay today = TimeZone::Shanghai().DayOf(now);
    s->mutable_period()->set_kind(v1::PERIOD_KIND_MONTH);
    s->mutable_period()->set_year(static_cast<uint32_t>(today.year()));
    s->mutable_period()->set_index(static_cast<uint32_t>(today.month()));
    auto* found = s->add_findings();
    found->set_category_id("labour-contract-compensation");
    found->set_description("关闭矿井职工补偿金分歧");
    found->set_persons(12);
    found->set_level(v1::RISK_LEVEL_MEDIUM);
    auto* known = s->add_findings();
    known->set_ledger_item_id(item_id);
    known->set_persons(38);
    s->set_screened_by("赵信访员");
    s->set_remarks("全矿排查");
  }
  {
    auto* d = next().mutable_daily_report();
    d->set_day(Today(now));
    d->set_new_warnings(1);
    d->set_items_progressed(2);
    d->set_visit_batches(2);
    d->set_visit_persons(7);
    d->set_text("总体平稳，重点关注退休职工");
    d->set_reported_by("赵信访员");
  }
  {
    auto* v = next().mutable_visit_record();
    v->set_day(Today(now));
    v->set_batches(2);
    v->set_persons(7);
    v->set_category_id(kCategory);
    v->set_channel("walk-in");
    v->set_note("来访反映养老金问题");
    v->set_destination_level("company");
    v->set_collective("yes");
    v->set_representative("王某");
    v->set_contact("+8613800000001");
  }
  {
    auto* u = next().mutable_ledger_update();
    u->set_ledger_item_id(item_id);
    u->set_resolution("物业费按新标准执行，已签协议");
    u->set_updated_by("赵信访员");
  }
  {
    auto* c = next().mutable_ledger_close_out();
    c->set_ledger_item_id(item_id);
    c->set_resolution("物业费按新标准执行，已签协议");
    c->set_confirmed_by_leader("李矿长");
    *c->mutable_confirmed_at() = At(now);
  }
  {
    auto* a = next().mutable_order_acknowledgement();
    a->set_order_id("ORD-20261127-0001");
    a->set_acknowledged_by("赵信访员");
    *a->mutable_acknowledged_at() = At(now);
    a->set_note("收到");
  }
  {
    auto* a = next().mutable_notification_acknowledgement();
    a->set_notification_id("17");
    a->set_acknowledged_by("李矿长");
    *a->mutable_acknowledged_at() = At(now);
  }
  return samples;
}

std::vector<v1::OperatorRequest> SampleOperatorRequests(Time now) {
  std::vector<v1::OperatorRequest> samples;
  auto next = [&]() -> v1::OperatorRequest& {
    v1::OperatorRequest& r = samples.emplace_back();
    r.set_request_id(StrCat("req-", samples.size()));
    return r;
  };
  const std::string item_id = FirstLedgerItemId(now);
  const std::string incident_id = FirstIncidentId(now);
  const CivilDay today = TimeZone::Shanghai().DayOf(now);

  // Ledger.
  {
    auto* r = next().mutable_register_ledger_item();
    r->set_unit_id("mine-3");
    *r->mutable_item() = Item(now);
  }
  {
    auto* u = next().mutable_update_ledger_item()->mutable_update();
    u->set_ledger_item_id(item_id);
    u->set_progress("公司督办");
    u->set_measures("协调物业公司");
  }
  {
    auto* r = next().mutable_extend_ledger_deadline();
    r->set_ledger_item_id(item_id);
    *r->mutable_new_deadline() = At(now + std::chrono::hours(24 * 60));
    r->set_reason("涉及多方协调");
    r->set_approved_by("王主任");
  }
  next().mutable_update_ledger_item()->mutable_update()->set_ledger_item_id(item_id);
  samples.back().mutable_update_ledger_item()->mutable_update()->set_resolution("已达成协议");
  {
    auto* r = next().mutable_reject_resolution();
    r->set_ledger_item_id(item_id);
    r->set_reason("协议未签字");
  }
  next().mutable_update_ledger_item()->mutable_update()->set_ledger_item_id(item_id);
  samples.back().mutable_update_ledger_item()->mutable_update()->set_resolution("协议已签字");
  {
    auto* c = next().mutable_close_out_ledger_item()->mutable_close_out();
    c->set_ledger_item_id(item_id);
    c->set_resolution("协议已签字");
    c->set_confirmed_by_leader("李矿长");
  }
  {
    auto* r = next().mutable_reopen_ledger_item();
    r->set_ledger_item_id(item_id);
    r->set_reason("再次反映");
    *r->mutable_new_deadline() = At(now + std::chrono::hours(24 * 14));
  }
  next().mutable_list_ledger_items()->set_open_only(true);
  next().mutable_show_ledger_item()->set_ledger_item_id(item_id);
  next().mutable_daily_summary()->set_day(FormatDay(today - 1));
  next().mutable_monthly_summary()->set_month(absl::FormatCivilTime(absl::CivilMonth(today)));
  {
    auto* period = next().mutable_screening_status()->mutable_period();
    period->set_kind(v1::PERIOD_KIND_TEN_DAY);
    period->set_year(static_cast<uint32_t>(today.year()));
    period->set_index(static_cast<uint32_t>(today.month()));
    period->set_ten_day(today.day() <= 10 ? 1 : today.day() <= 20 ? 2 : 3);
  }
  {
    auto* x = next().mutable_export_();
    x->set_document(v1::EXPORT_DOCUMENT_LEDGER);
    x->set_format(v1::EXPORT_FORMAT_CSV);
    x->set_language("en");
  }
  {
    auto* x = next().mutable_export_();
    x->set_document(v1::EXPORT_DOCUMENT_MONTHLY_SUMMARY);
    x->set_format(v1::EXPORT_FORMAT_HTML);
  }

  // Incidents.
  {
    auto* r = next().mutable_report_incident();
    *r->mutable_report() = Report("mine-3", now);
    r->mutable_report()->add_involved_unit_ids("zz-office");
    *r->mutable_reported_at() = At(now - std::chrono::minutes(5));
  }
  {
    auto* r = next().mutable_confirm_assignment();
    r->set_incident_id(incident_id);
  }
  {
    auto* r = next().mutable_reassign();
    r->set_incident_id(incident_id);
    r->set_unit_id("mine-3");
    r->add_exclude_team_ids("team-mine3");
    r->set_note("三矿处置队另有任务");
  }
  {
    auto* r = next().mutable_override_assignment();
    r->set_incident_id(incident_id);
    r->set_unit_id("mine-3");
    r->set_team_id("team-hq");
    r->add_member_ids("hq-l1");
    r->add_member_ids("hq-d2");
    r->add_vehicle_ids("veh-hq-2");
    r->set_note("公司队伍出动");
  }
  {
    auto* r = next().mutable_update_incident_status();
    r->set_unit_id("zz-office");
    r->mutable_update()->set_incident_id(incident_id);
    r->mutable_update()->set_step(v1::INCIDENT_STEP_ARRIVED);
    *r->mutable_update()->mutable_at() = At(now);
    r->mutable_update()->set_reported_by("邹亮");
  }
  {
    auto* r = next().mutable_set_availability();
    r->set_kind("vehicle");
    r->set_id("veh-m6-1");
    r->set_available(false);
    r->set_note("维修");
  }
  next().mutable_list_incidents()->set_open_only(true);
  next().mutable_show_incident()->set_incident_id(incident_id);
  next().mutable_list_teams()->set_unit_id("mine-3");

  // Reserve funds.
  {
    auto* t = next().mutable_create_transfer();
    t->set_id("t-1");
    t->set_debit_account_id("pool");
    t->set_credit_account_id("reserve/mine-6");
    t->set_amount_fen(150000);
    t->set_code("top_up");
    t->set_reason("补充六矿备用金");
  }
  {
    auto* t = next().mutable_top_up();
    t->set_id("t-2");
    t->set_unit_id("mine-9");
    t->set_amount_fen(80000);
    t->set_reason("九矿备用金");
  }
  {
    auto* t = next().mutable_reverse_transfer();
    t->set_id("t-3");
    t->set_original_id("t-1");
    t->set_amount_fen(50000);
    t->set_reason("多拨冲回");
  }
  {
    auto* q = next().mutable_set_quota();
    q->set_account_id("reserve/mine-9");
    q->set_quota_fen(4000000);
    q->set_reason("九矿额度调整");
  }
  {
    auto* h = next().mutable_place_hold();
    h->set_id("hold-1");
    h->set_account_id("reserve/mine-3");
    h->set_amount_fen(60000);
    h->set_code("transport");
    h->set_reason("预留赴京费用");
    h->set_incident_id(incident_id);
    h->set_timeout_seconds(86400);
  }
  {
    auto* p = next().mutable_post_hold();
    p->set_id("t-4");
    p->set_hold_id("hold-1");
    p->set_credit_account_id("expense/transport");
    p->set_amount_fen(40000);
    p->set_code("transport");
    p->set_reason("高铁票");
  }
  {
    auto* v = next().mutable_void_hold();
    v->set_hold_id("hold-1");
    v->set_reason("余额释放");
  }
  next().mutable_list_accounts();
  next().mutable_list_holds()->set_incident_id(incident_id);
  {
    auto* s = next().mutable_statement();
    s->set_account_id("reserve/mine-3");
    s->set_period(absl::FormatCivilTime(absl::CivilMonth(today)));
  }
  next().mutable_incident_cost()->set_incident_id(incident_id);
  next().mutable_reconcile()->set_month(absl::FormatCivilTime(absl::CivilMonth(today) - 1));

  // Visit register, petition matters and statistics.
  {
    auto* v = next().mutable_record_visit();
    v->set_unit_id("mine-3");
    v->set_day(Today(now));
    v->set_channel("letter");
    v->set_destination_level("beijing");
    v->set_batches(1);
    v->set_persons(12);
    v->set_representative("王某");
    v->set_contact("+8613800000001");
  }
  next().mutable_list_visits()->set_repeats_only(true);
  {
    auto* m = next().mutable_register_matter();
    m->set_unit_id("mine-3");
    m->set_summary("退休人员待遇问题");
    m->set_received_day(Today(now));
  }
  {
    auto* m = next().mutable_update_matter();
    m->set_matter_id("M-000001");
    m->set_action("extend");
    m->set_extension_days(30);
    m->set_text("情况复杂");
  }
  next().mutable_list_matters()->set_open_only(true);
  {
    auto* s = next().mutable_visit_stats();
    s->set_period_kind("year");
    s->set_period(absl::FormatCivilTime(absl::CivilYear(today)));
    s->set_by("unit");
    s->set_format("csv");
  }

  // Aftermath: cancelling an incident, its post-incident review.
  {
    auto* c = next().mutable_cancel_incident();
    c->set_incident_id(incident_id);
    c->set_reason("误报：实为正常来访");
  }
  {
    auto* r = next().mutable_update_review();
    r->set_incident_id(incident_id);
    r->set_investigation("核实退休职工待遇差额");
    r->set_solution("按政策补发");
    r->set_department("人力资源部");
    *r->mutable_representatives_told_at() = wire::ToProto(now);
    r->set_representatives_told_by("信访办 王主任");
    r->set_watch_days(30);
    r->set_root_cause("policy");
    r->set_other_losses_fen(150'000);
    r->set_lessons("提前排查");
  }
  {
    auto* r = next().mutable_show_review();
    r->set_incident_id(incident_id);
    r->set_format("html");
  }
  {
    auto* r = next().mutable_response_stats();
    r->set_from_day(FormatDay(today - 30));
    r->set_to_day(FormatDay(today));
    r->set_by_rule(true);
  }
  {
    auto* r = next().mutable_ledger_stats();
    r->set_from_day(FormatDay(today - 90));
    r->set_to_day(FormatDay(today));
    r->set_by("category");
    r->set_format("csv");
  }
  {
    auto* r = next().mutable_fund_stats();
    r->set_from_day(FormatDay(today - 365));
    r->set_format("html");
  }
  // An online backup of the dispatcher's database.
  next().mutable_backup()->set_name("sample-backup.db");

  // Alerts.
  next().mutable_list_alerts()->set_all(true);
  next().mutable_acknowledge_alert()->set_alert_id(1);

  // Users and the audit trail.
  {
    auto* u = next().mutable_add_user();
    u->set_user("li");
    u->set_role("unit_officer");
    u->set_unit_id("mine-3");
    u->set_password("a long demo password");
  }
  {
    auto* p = next().mutable_set_password();
    p->set_user("li");
    p->set_password("another long password");
  }
  next().mutable_list_users();
  {
    auto* a = next().mutable_list_audit();
    a->set_user("li");
    a->set_kind("add_user");
    a->set_limit(10);
  }
  next().mutable_verify_audit();
  next().mutable_disable_user()->set_user("li");
  // Notifications.
  next().mutable_notify_list()->set_all(true);
  next().mutable_notify_show()->set_id(1);
  next().mutable_notify_ack()->set_id(1);
  {
    auto* p = next().mutable_notify_preview();
    p->set_kind("special_report");
    p->set_unit_id("mine-3");
    p->set_text("三矿职工30人拟赴市集访");
  }
  {
    auto* t = next().mutable_notify_test_send();
    t->set_phone("+8613800000031");
    t->set_text("测试短信");
  }
  next().mutable_notify_status();
  return samples;
}

}  // namespace anding::testing
