// IncidentsModule: the operator requests (Serve): incident commands, their
// answers once the change is stored, and the queries, which read held
// incidents on the io thread and the store on the query thread. The rest
// of the module (its load, what it keeps and lets go of, the agents'
// inputs, the metrics) is in dispatch_module.cc.
#include <algorithm>
#include <charconv>
#include <set>

#include "anding/common/strings.h"
#include "anding/core/dispatch/response_stats.h"
#include "anding/store/dispatch_repository.h"
#include "dispatch_codec.h"
#include "dispatch_module.h"
#include "ops_server.h"
#include "stats_answer.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {
namespace {

// Whether every incident `filter` can match is held: only open ones wanted.
bool HoldsEveryMatch(const dispatch::IncidentFilter& filter) {
  if (filter.open_only) return true;
  if (filter.states.empty()) return false;
  return std::none_of(filter.states.begin(), filter.states.end(),
                      [](dispatch::IncidentState state) { return dispatch::IsFinal(state); });
}

// A page of the open incidents `filter` wants (newest first, at most
// filter.limit) while some are parked: `held`, the module's matches (newest
// first, at most filter.limit, copied on its thread), merged with the
// parked ones among the store's matches. The store is read a page at a
// time until the held and parked matches at or above the last row read
// fill the page (every newer parked one has been read then), or until it
// has no more. Run on the query thread.
Result<std::vector<dispatch::Incident>> OpenPageWithParked(storage::Database& db,
                                                           dispatch::IncidentFilter filter,
                                                           std::vector<dispatch::Incident> held,
                                                           const ParkedIncidents& parked) {
  std::set<uint64_t> held_sequences;
  for (const dispatch::Incident& incident : held) held_sequences.insert(incident.sequence);
  std::vector<dispatch::Incident> found = std::move(held);
  while (true) {
    ANDING_ASSIGN_OR_RETURN(auto rows, store::LoadIncidents(db, filter));
    const bool more = filter.limit != 0 && rows.size() >= filter.limit;
    const uint64_t lowest_read = rows.empty() ? 0 : rows.back().sequence;
    for (auto& row : rows) {
      if (IsParked(parked, row.sequence) && !held_sequences.contains(row.sequence)) {
        found.push_back(std::move(row));
      }
    }
    if (!more) break;
    const auto known = std::count_if(found.begin(), found.end(), [&](const auto& incident) {
      return incident.sequence >= lowest_read;
    });
    if (static_cast<size_t>(known) >= filter.limit) break;
    filter.before_sequence = lowest_read;
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.sequence > b.sequence; });
  if (filter.limit != 0 && found.size() > filter.limit) found.resize(filter.limit);
  return found;
}

}  // namespace

void IncidentsModule::Serve(OperatorCall& call) {
  dispatch::DispatchModule& module = *incidents_;
  const v1::OperatorRequest& request = call.request();
  const core::Actor actor = core::Actor::Operator(call.who().id);
  // The incident after a command, answered once the change is stored.
  auto incident_response = [this](std::shared_ptr<std::string> id) {
    return [this, id] {
      v1::OperatorResponse response;
      if (const auto* incident = incidents_->FindIncident(*id)) {
        auto view = FullView(*incident);
        if (!view.ok()) return ErrorResponse("", view.status());
        *response.mutable_incident()->mutable_incident() = std::move(view).value();
        return response;
      }
      // Let go of since the change was stored: as stored.
      auto stored =
          id->empty() ? std::optional<dispatch::Incident>() : store::FindStoredIncident(*db_, *id);
      if (!stored.ok()) return ErrorResponse("", stored.status());
      if (*stored)
        *response.mutable_incident()->mutable_incident() = IncidentToProto(**stored, true);
      return response;
    };
  };
  auto command = [&](const std::string& incident_id,
                     const std::function<Status(core::Effects&, Time)>& run) {
    auto id = std::make_shared<std::string>(incident_id);
    call.Command(run, incident_response(id));
  };
  // A command naming an incident the module does not hold (closed,
  // cancelled or parked), or repeating the request that reported one,
  // sees it as stored.
  Status recalled = OkStatus();
  switch (request.request_case()) {
    case v1::OperatorRequest::kReportIncident:
      recalled = RecallRequest(request.request_id());
      break;
    case v1::OperatorRequest::kUpdateIncidentStatus:
      recalled = Recall(request.update_incident_status().update().incident_id());
      break;
    case v1::OperatorRequest::kConfirmAssignment:
      recalled = Recall(request.confirm_assignment().incident_id());
      break;
    case v1::OperatorRequest::kOverrideAssignment:
      recalled = Recall(request.override_assignment().incident_id());
      break;
    case v1::OperatorRequest::kReassign:
      recalled = Recall(request.reassign().incident_id());
      break;
    case v1::OperatorRequest::kCancelIncident:
      recalled = Recall(request.cancel_incident().incident_id());
      break;
    default:
      break;
  }
  if (!recalled.ok()) {
    call.Fail(recalled);
    return;
  }

  switch (request.request_case()) {
    case v1::OperatorRequest::kReportIncident: {
      const auto& r = request.report_incident();
      auto id = std::make_shared<std::string>();
      call.Command(
          [&](core::Effects& out, Time at) -> Status {
            dispatch::ReportIncidentRequest report;
            ANDING_ASSIGN_OR_RETURN(report.report, ReportFromProto(r.report()));
            report.reported_at = OptionalTime(r.reported_at());
            report.request_id = request.request_id();
            ANDING_ASSIGN_OR_RETURN(*id, module.ReportIncident(report, actor, at, out));
            return OkStatus();
          },
          incident_response(id));
      return;
    }
    case v1::OperatorRequest::kUpdateIncidentStatus: {
      const auto& r = request.update_incident_status();
      command(r.update().incident_id(), [&](core::Effects& out, Time at) -> Status {
        ANDING_ASSIGN_OR_RETURN(auto update, StatusFromProto(r.update(), r.unit_id()));
        ANDING_RETURN_IF_ERROR(CheckCloseGate(update));
        return module.UpdateStatus(update, actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kConfirmAssignment: {
      const auto& r = request.confirm_assignment();
      command(r.incident_id(), [&](core::Effects& out, Time at) {
        return module.Confirm({r.incident_id(), r.unit_id()}, actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kOverrideAssignment: {
      const auto& r = request.override_assignment();
      command(r.incident_id(), [&](core::Effects& out, Time at) {
        dispatch::OverrideRequest o;
        o.incident_id = r.incident_id();
        o.unit_id = r.unit_id();
        o.team_id = r.team_id();
        o.member_ids.assign(r.member_ids().begin(), r.member_ids().end());
        o.vehicle_ids.assign(r.vehicle_ids().begin(), r.vehicle_ids().end());
        o.note = r.note();
        return module.Override(o, actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kReassign: {
      const auto& r = request.reassign();
      command(r.incident_id(), [&](core::Effects& out, Time at) {
        dispatch::ReassignRequest o;
        o.incident_id = r.incident_id();
        o.unit_id = r.unit_id();
        o.exclude_team_ids.assign(r.exclude_team_ids().begin(), r.exclude_team_ids().end());
        o.note = r.note();
        return module.Reassign(o, actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kCancelIncident: {
      const auto& r = request.cancel_incident();
      command(r.incident_id(), [&](core::Effects& out, Time at) {
        return module.Cancel({r.incident_id(), r.reason()}, actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kResponseStats: {
      auto job = ResponseStatsOf(request.response_stats());
      if (!job.ok()) return call.Fail(job.status());
      AnswerStats(call, std::move(*job), request.response_stats().format(),
                  &v1::OperatorResponse::mutable_response_stats);
      return;
    }
    case v1::OperatorRequest::kSetAvailability: {
      const auto& r = request.set_availability();
      call.Command(
          [&](core::Effects& out, Time at) -> Status {
            const auto kind = dispatch::ParseResourceKind(r.kind());
            if (!kind) return InvalidArgumentError("kind must be team, member or vehicle");
            return module.SetAvailability({*kind, r.id(), r.available(), r.note()}, actor, at, out);
          },
          [] { return v1::OperatorResponse(); });
      return;
    }
    case v1::OperatorRequest::kListIncidents: {
      const auto& r = request.list_incidents();
      dispatch::IncidentFilter filter;
      for (int state : r.states()) {
        if (auto parsed = StateFromProto(state)) filter.states.push_back(*parsed);
      }
      filter.open_only = r.open_only();
      filter.region_id = r.region_id();
      filter.unit_id = r.unit_id();
      const size_t page = r.limit() == 0 ? 100 : std::min<uint32_t>(r.limit(), 10000);
      if (!r.page_token().empty()) {
        uint64_t before = 0;
        const std::string& token = r.page_token();
        const auto [end, error] =
            std::from_chars(token.data(), token.data() + token.size(), before);
        if (error != std::errc() || end != token.data() + token.size()) {
          call.Fail(InvalidArgumentError(
              "list_incidents.page_token: not a token from a previous page's next_page_token"));
          return;
        }
        filter.before_sequence = before;
      }
      filter.limit = page + 1;  // one more than the page: is there a next page?
      const bool board = r.view() == v1::INCIDENT_LIST_VIEW_BOARD;
      auto answer = [page, board](std::vector<const dispatch::Incident*> found) {
        const bool more = found.size() > page;
        if (more) found.resize(page);
        v1::OperatorResponse response;
        auto* list = response.mutable_incidents();
        for (const auto* incident : found) {
          *list->add_incidents() =
              board ? IncidentToBoardProto(*incident) : IncidentToProto(*incident, false);
        }
        if (more) list->set_next_page_token(std::to_string(found.back()->sequence));
        return response;
      };
      if (HoldsEveryMatch(filter) && parked_->empty()) {
        call.Reply(answer(module.ListIncidents(filter)));
        return;
      }
      if (HoldsEveryMatch(filter)) {
        // Open ones only, some left in the store at the load.
        std::vector<dispatch::Incident> held;
        for (const auto* incident : module.ListIncidents(filter)) held.push_back(*incident);
        call.Query(
            [filter, answer, held = std::move(held), parked = parked_](storage::Database& db) {
              auto merged = OpenPageWithParked(db, filter, held, *parked);
              if (!merged.ok()) return ErrorResponse("", merged.status());
              std::vector<const dispatch::Incident*> found;
              for (const auto& incident : *merged) found.push_back(&incident);
              return answer(std::move(found));
            });
        return;
      }
      // Closed or cancelled incidents may match: the store has them all.
      call.Query([filter, answer](storage::Database& db) {
        auto stored = store::LoadIncidents(db, filter);
        if (!stored.ok()) return ErrorResponse("", stored.status());
        std::vector<const dispatch::Incident*> found;
        for (const auto& incident : *stored) found.push_back(&incident);
        return answer(std::move(found));
      });
      return;
    }
    case v1::OperatorRequest::kShowIncident: {
      const std::string& id = request.show_incident().incident_id();
      if (const auto* incident = module.FindIncident(id)) {
        auto view = FullView(*incident);
        if (!view.ok()) {
          call.Fail(view.status());
          return;
        }
        v1::OperatorResponse response;
        *response.mutable_incident()->mutable_incident() = std::move(view).value();
        call.Reply(std::move(response));
        return;
      }
      // Not held: closed or cancelled before what is held, parked, or
      // unknown.
      call.Query([id](storage::Database& db) {
        auto stored = store::FindStoredIncident(db, id);
        if (!stored.ok()) return ErrorResponse("", stored.status());
        if (!*stored) return ErrorResponse("", NotFoundError(StrCat("no incident '", id, "'")));
        v1::OperatorResponse response;
        *response.mutable_incident()->mutable_incident() = IncidentToProto(**stored, true);
        return response;
      });
      return;
    }
    case v1::OperatorRequest::kListTeams: {
      const std::string& unit = request.list_teams().unit_id();
      v1::OperatorResponse response;
      auto* list = response.mutable_teams();
      for (const auto& t : module.Teams(unit)) {
        auto* team = list->add_teams();
        team->set_id(t.id);
        team->set_name(t.name);
        team->set_home_unit_id(t.home_unit_id);
        team->set_on_duty(t.on_duty);
        team->set_mobilisation_seconds(WholeSeconds(t.mobilisation));
        if (t.assignment) *team->mutable_assignment() = HoldToProto(*t.assignment);
        for (const auto& m : t.members) {
          auto* member = team->add_members();
          member->set_id(m.id);
          member->set_team_id(m.team_id);
          member->set_role(std::string(dispatch::RoleName(m.role)));
          *member->mutable_contact() = PersonToProto(m.person);
          member->set_on_duty(m.on_duty);
          if (m.assignment) *member->mutable_assignment() = HoldToProto(*m.assignment);
        }
      }
      for (const auto& v : module.Vehicles(unit)) {
        auto* vehicle = list->add_vehicles();
        vehicle->set_id(v.id);
        vehicle->set_name(v.name);
        vehicle->set_plate(v.plate);
        vehicle->set_home_unit_id(v.home_unit_id);
        vehicle->set_seats(v.seats);
        vehicle->set_available(v.available);
        if (v.assignment) *vehicle->mutable_assignment() = HoldToProto(*v.assignment);
      }
      call.Reply(std::move(response));
      return;
    }
    default:
      call.Fail(InternalError("not a dispatch request"));
      return;
  }
}

}  // namespace anding::dispatcher
