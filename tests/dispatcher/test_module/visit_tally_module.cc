#include "visit_tally_module.h"

#include "anding/common/strings.h"

namespace anding::testing {
namespace {
constexpr const char* kKind = "visit_tally";
}  // namespace

dispatcher::ModuleFactory VisitTallyModule::Factory() {
  return [](dispatcher::ModuleContext& context) -> Result<std::unique_ptr<dispatcher::Module>> {
    return std::unique_ptr<dispatcher::Module>(std::make_unique<VisitTallyModule>(context));
  };
}

std::vector<storage::Migration> VisitTallyModule::Migrations() const {
  return {{1, "visit tallies per unit",
           "CREATE TABLE visit_tally (unit_id TEXT PRIMARY KEY, batches INTEGER NOT NULL, "
           "persons INTEGER NOT NULL)"},
          // The store's own rule, which neither the wire nor the module
          // checks: a visit noted "poison" fails its commit.
          {2, "visit notes",
           "CREATE TABLE visit_notes (message_id TEXT PRIMARY KEY, "
           "note TEXT NOT NULL CHECK (note <> 'poison'))"}};
}

Status VisitTallyModule::Load(storage::Database& db) {
  tallies_.clear();
  ANDING_ASSIGN_OR_RETURN(auto select,
                          db.Prepare("SELECT unit_id, batches, persons FROM visit_tally"));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) break;
    tallies_[select.Text(0)] = Tally{select.Int64(1), select.Int64(2)};
  }
  return OkStatus();
}

std::vector<v1::Envelope::PayloadCase> VisitTallyModule::Payloads() const {
  return {v1::Envelope::kVisitRecord};
}

Result<std::string> VisitTallyModule::Apply(const dispatcher::AgentInput& input,
                                            core::Effects& out) {
  const v1::VisitRecord& visit = input.envelope.visit_record();
  // The module's own rule, which the wire does not know: it counts one
  // category only.
  if (visit.category_id() != "retiree-management") {
    return InvalidArgumentError(StrCat("visit_tally counts retiree-management visits only, not '",
                                       visit.category_id(), "'"));
  }
  Tally& tally = tallies_[input.unit_id];
  tally.batches += visit.batches();
  tally.persons += visit.persons();
  out.changed.push_back({kKind, input.unit_id});
  if (!visit.note().empty()) {
    notes_[input.envelope.message_id()] = visit.note();
    out.changed.push_back({"visit_note", input.envelope.message_id()});
  }
  out.notices.push_back({kKind, input.unit_id, "counted",
                         StrCat(tally.batches, " batches, ", tally.persons, " persons"),
                         input.unit_id});
  return input.unit_id;
}

std::vector<v1::OperatorRequest::RequestCase> VisitTallyModule::Requests() const {
  return {v1::OperatorRequest::kListLedgerItems, v1::OperatorRequest::kRegisterLedgerItem};
}

void VisitTallyModule::Serve(dispatcher::OperatorCall& call) {
  if (call.request().has_register_ledger_item()) {
    const std::string unit = call.request().register_ledger_item().unit_id();
    call.Command(
        [this, unit](core::Effects& out, Time) -> Status {
          auto it = tallies_.find(unit);
          if (it == tallies_.end()) return NotFoundError(StrCat("no tally for '", unit, "'"));
          it->second = Tally{};
          out.changed.push_back({kKind, unit});
          return OkStatus();
        },
        [] { return v1::OperatorResponse(); });
    return;
  }
  v1::OperatorResponse response;
  auto* list = response.mutable_ledger_items();
  for (const auto& [unit, tally] : tallies_) {
    auto* item = list->add_items();
    item->set_id(unit);
    item->set_unit_id(unit);
    item->set_persons(static_cast<uint32_t>(tally.persons));
    item->set_description(StrCat(tally.batches, " batches"));
  }
  call.Reply(std::move(response));
}

Status VisitTallyModule::Record(const core::Effects& out, Time) {
  for (const core::RecordRef& ref : out.changed) {
    if (ref.kind == "visit_note") {
      context_.Write([id = ref.id, note = notes_[ref.id]](storage::Database& db) -> Status {
        ANDING_ASSIGN_OR_RETURN(
            auto insert, db.Prepare("INSERT INTO visit_notes (message_id, note) VALUES (?, ?)"));
        return insert.Bind(1, id).Bind(2, note).Run();
      });
      continue;
    }
    if (ref.kind != kKind) continue;
    auto it = tallies_.find(ref.id);
    if (it == tallies_.end()) return InternalError(StrCat("no tally for '", ref.id, "'"));
    context_.Write([unit = ref.id, tally = it->second](storage::Database& db) -> Status {
      ANDING_ASSIGN_OR_RETURN(auto upsert,
                              db.Prepare("INSERT INTO visit_tally (unit_id, batches, persons) "
                                         "VALUES (?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET "
                                         "batches = excluded.batches, persons = excluded.persons"));
      return upsert.Bind(1, unit).Bind(2, tally.batches).Bind(3, tally.persons).Run();
    });
  }
  return OkStatus();
}

}  // namespace anding::testing
