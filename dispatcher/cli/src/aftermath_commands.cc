// `anding incident review …`: the post-incident review (善后) of a settled
// incident, recorded part by part and shown as printable text or HTML.
#include <ostream>

#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
#include "anding/common/strings.h"
#include "anding/wire/codec.h"
#include "anding/wire/payload_options.h"
#include "commands.h"

namespace anding::cli {
namespace {

// The text options of `incident review`, each setting one field.
struct TextOption {
  const char* option;
  void (v1::UpdateReviewRequest::*set)(const std::string&);
};

std::string Money(int64_t fen) {
  const int64_t magnitude = fen < 0 ? -fen : fen;
  return StrCat(fen < 0 ? "-" : "", "¥", magnitude / 100, ".", magnitude % 100 < 10 ? "0" : "",
                magnitude % 100);
}

void PrintReview(const v1::ReviewResponse& answer, const TimeZone& zone, std::ostream& out) {
  if (!answer.document().empty()) {
    out << answer.document();
    return;
  }
  const v1::ReviewView& r = answer.review();
  out << "review of " << r.incident_id() << " (" << r.unit_id() << "), follow-up "
      << (r.ledger_item_id().empty() ? "-" : r.ledger_item_id()) << ", leader "
      << r.responsible_leader().name() << ", opened " << When(r.opened_at(), zone) << "\n";
  out << "  watch until " << r.watch_until() << ", rebounds " << r.rebounds_size();
  for (const auto& b : r.rebounds()) out << " " << b.kind() << ":" << b.id();
  out << "\n";
  if (r.has_cost()) {
    out << "  cost: estimated " << Money(r.cost().estimated_fen()) << ", actual "
        << Money(r.cost().actual_fen()) << "; other losses " << Money(r.other_losses_fen())
        << "; total " << Money(r.total_loss_fen()) << "\n";
  }
  if (r.complete()) {
    out << "  complete: the incident may close\n";
  } else {
    out << "  missing:";
    for (const auto& field : r.missing()) out << " " << field;
    out << "\n";
  }
}

}  // namespace

void DefineAftermathCommands(CLI::App& program) {
  CLI::App* incident = TopCommand(program, "incident", _("incidents"), {"anding incident list"});
  CLI::App* review = Command(
      *incident, "review",
      _("fill in the post-incident review (aftermath); closing the incident needs it complete"),
      {"anding incident review INC-20261203-0001 --investigation '工资拖欠三个月' --solution "
       "'分期补发' --lessons '欠薪须早发现' --watch-days 90",
       "anding incident review show INC-20261203-0001 --format pdf --out review.pdf"});
  Argument(*review, "incident", "INCIDENT_ID", _("the incident"));
  Text(*review, "investigation", "TEXT", _("what the investigation found"));
  Text(*review, "solution", "TEXT", _("how it was solved"));
  Text(*review, "department", "DEPARTMENT", _("the department that leads the follow-up"));
  Text(*review, "told-at", "TIME", _("when the representatives were told (RFC 3339)"))
      ->check(Rfc3339Time());
  Text(*review, "told-by", "NAME", _("who told them"));
  Number(*review, "watch-days", 1, 365,
         _("days a new petition of the unit counts as a rebound (1 to 365)"));
  Text(*review, "root-cause", "ID", _("the root cause, from the list of causes"));
  Text(*review, "root-cause-text", "TEXT", _("the root cause in words"));
  Text(*review, "background", "TEXT", _("the background"));
  Text(*review, "other-losses", "YUAN", _("other losses in yuan (1234.56)"))
      ->check(cmdline::Yuan());
  Text(*review, "other-losses-text", "TEXT", _("what the other losses were"));
  Text(*review, "responsibility", "TEXT", _("who was responsible, and how"));
  Text(*review, "lessons", "TEXT", _("the lessons learnt"));
  Text(*review, "improvements", "TEXT", _("the improvements decided"));
  CLI::App* show =
      Command(*review, "show", _("the printable review, estimated against actual cost"),
              {"anding incident review show INC-20261203-0001",
               "anding incident review show INC-20261203-0001 --format html --out review.html"});
  Argument(*show, "incident", "INCIDENT_ID", _("the incident"))->required();
  FormatOptions(*show, {"text", "html", "pdf"});
}

std::optional<Status> MissingReviewIncident(const std::string& command, const std::string& sub,
                                            const CommandValues& args) {
  if (command != "incident" || sub != "review" || !args.Argument("incident").empty()) {
    return std::nullopt;
  }
  return InvalidArgumentError(
      _("give the incident: anding incident review INCIDENT_ID [options], or anding incident "
        "review show INCIDENT_ID"));
}

std::optional<Result<v1::OperatorRequest>> AftermathRequest(const std::string& command,
                                                            const std::string& sub,
                                                            const CommandValues& args,
                                                            const CommandContext&) {
  // `sub` is "review" or "review show".
  if (command != "incident" || !sub.starts_with("review")) return std::nullopt;
  v1::OperatorRequest request;
  if (sub == "review show") {
    const std::string id = args.Argument("incident");
    auto* show = request.mutable_show_review();
    show->set_incident_id(id);
    show->set_format(args.Option("format").value_or("text"));
    return request;
  }
  if (auto missing = MissingReviewIncident(command, sub, args)) return *missing;
  const std::string id = args.Argument("incident");
  auto* r = request.mutable_update_review();
  r->set_incident_id(id);
  const TextOption texts[] = {
      {"investigation", &v1::UpdateReviewRequest::set_investigation},
      {"solution", &v1::UpdateReviewRequest::set_solution},
      {"department", &v1::UpdateReviewRequest::set_department},
      {"told-by", &v1::UpdateReviewRequest::set_representatives_told_by},
      {"root-cause", &v1::UpdateReviewRequest::set_root_cause},
      {"root-cause-text", &v1::UpdateReviewRequest::set_root_cause_text},
      {"background", &v1::UpdateReviewRequest::set_background},
      {"other-losses-text", &v1::UpdateReviewRequest::set_other_losses_text},
      {"responsibility", &v1::UpdateReviewRequest::set_responsibility},
      {"lessons", &v1::UpdateReviewRequest::set_lessons},
      {"improvements", &v1::UpdateReviewRequest::set_improvements},
  };
  for (const auto& text : texts) {
    if (auto value = args.Option(text.option)) (r->*text.set)(*value);
  }
  if (auto told = args.Option("told-at")) {
    auto time = ParseRfc3339(*told);
    if (!time.ok()) return time.status();
    *r->mutable_representatives_told_at() = wire::ToProto(*time);
  }
  if (auto days = args.Int("watch-days")) {
    r->set_watch_days(static_cast<uint32_t>(*days));
  }
  if (auto losses = args.Option("other-losses")) {
    auto fen = wire::ParseYuan(*losses);
    if (!fen.ok()) return fen.status();
    r->set_other_losses_fen(*fen);
  }
  return request;
}

bool PrintAftermath(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out) {
  if (!response.has_review()) return false;
  PrintReview(response.review(), zone, out);
  return true;
}

}  // namespace anding::cli
