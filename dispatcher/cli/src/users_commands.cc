// `anding user add|passwd|disable|list` and `anding audit list|verify`.
// A password is read from the terminal without echo (twice, to catch a
// typo), or from standard input with --password-stdin (its first line);
// never from the command line, where other users and shell histories would
// see it.
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
#include "anding/common/strings.h"
#include "anding/wire/encoding.h"
#include "commands.h"

namespace anding::cli {
namespace {

// Reads one line from the terminal with echo off. Unavailable without one.
Result<std::string> ReadHidden(const std::string& prompt) {
  std::fstream tty("/dev/tty", std::ios::in | std::ios::out);
  if (!tty) {
    return FailedPreconditionError("no terminal to read the password from; use --password-stdin");
  }
  tty << prompt << std::flush;
  const int fd = ::open("/dev/tty", O_RDONLY);
  termios saved{};
  const bool can_hide = fd >= 0 && ::tcgetattr(fd, &saved) == 0;
  if (can_hide) {
    termios hidden = saved;
    hidden.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &hidden);
  }
  std::string line;
  std::getline(tty, line);
  if (can_hide) ::tcsetattr(fd, TCSAFLUSH, &saved);
  if (fd >= 0) ::close(fd);
  tty << "\n" << std::flush;
  return line;
}

Result<std::string> ReadPassword(bool from_stdin, bool confirm) {
  if (from_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      return InvalidArgumentError("--password-stdin: nothing on standard input");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  ANDING_ASSIGN_OR_RETURN(std::string first, ReadHidden("password: "));
  if (!confirm) return first;
  ANDING_ASSIGN_OR_RETURN(const std::string second, ReadHidden("again: "));
  if (first != second) return InvalidArgumentError("the two passwords differ");
  return first;
}

}  // namespace

void DefineUsersCommands(CLI::App& program) {
  CLI::App* user = TopCommand(
      program, "user",
      _("operators' accounts; passwords are read without echo, or with --password-stdin from "
        "the first line of standard input"),
      {"anding user list"});
  user->require_subcommand(1);
  CLI::App* add = Command(*user, "add", _("add an account"),
                          {"anding user add zhang --role commander",
                           "anding user add li --role unit_officer --unit mine-3 "
                           "--password-stdin < password.txt"});
  Argument(*add, "name", "NAME", _("the user name"))->required();
  Choice(*add, "role", {"commander", "petition_office", "unit_officer", "auditor"},
         _("what the user may do"))
      ->required();
  Text(*add, "unit", "UNIT", _("the unit (for a unit_officer)"));
  Flag(*add, "password-stdin", _("read the password from the first line of standard input"));
  CLI::App* passwd = Command(*user, "passwd", _("a new password; the user's sessions end"),
                             {"anding user passwd zhang"});
  Argument(*passwd, "name", "NAME", _("the user name"))->required();
  Flag(*passwd, "password-stdin", _("read the password from the first line of standard input"));
  CLI::App* disable = Command(*user, "disable", _("no more logins; the user's sessions end"),
                              {"anding user disable li"});
  Argument(*disable, "name", "NAME", _("the user name"))->required();
  Command(*user, "list", _("accounts, roles, units"), {"anding user list"});

  CLI::App* audit = TopCommand(program, "audit", _("the audit trail of every operator action"),
                               {"anding audit verify"});
  audit->require_subcommand(1);
  CLI::App* list = Command(*audit, "list", _("audit entries, newest first, filtered"),
                           {"anding audit list --user zhang --kind add_user --limit 20"});
  Text(*list, "user", "USER", _("only this user's actions"));
  Text(*list, "kind", "KIND", _("only actions of this kind"));
  Text(*list, "from", "TIME", _("from this time (RFC 3339)"))->check(Rfc3339Time());
  Text(*list, "to", "TIME", _("until this time (RFC 3339)"))->check(Rfc3339Time());
  Number(*list, "before", 1, INT64_MAX, _("entries before this sequence number (the next page)"))
      ->type_name("SEQ");
  Number(*list, "limit", 1, 100'000, _("at most this many (default 50)"));
  Command(*audit, "verify", _("check the hash chain; names the first bad entry"),
          {"anding audit verify"});
}

std::optional<Result<v1::OperatorRequest>> UsersRequest(const std::string& command,
                                                        const std::string& sub,
                                                        const CommandValues& args,
                                                        const CommandContext&) {
  v1::OperatorRequest request;
  if (command == "user") {
    if (sub == "add") {
      auto* add = request.mutable_add_user();
      add->set_user(args.Argument("name"));
      add->set_role(args.Required("role"));
      add->set_unit_id(args.Option("unit").value_or(""));
      const bool from_stdin = args.Flag("password-stdin");
      auto password = ReadPassword(from_stdin, true);
      if (!password.ok()) return password.status();
      add->set_password(*password);
    } else if (sub == "passwd") {
      auto* set = request.mutable_set_password();
      set->set_user(args.Argument("name"));
      const bool from_stdin = args.Flag("password-stdin");
      auto password = ReadPassword(from_stdin, true);
      if (!password.ok()) return password.status();
      set->set_password(*password);
    } else if (sub == "disable") {
      request.mutable_disable_user()->set_user(args.Argument("name"));
    } else if (sub == "list") {
      request.mutable_list_users();
    } else {
      return std::nullopt;
    }
    return request;
  }
  if (command == "audit") {
    if (sub == "verify") {
      request.mutable_verify_audit();
    } else if (sub == "list") {
      auto* list = request.mutable_list_audit();
      list->set_user(args.Option("user").value_or(""));
      list->set_kind(args.Option("kind").value_or(""));
      if (auto from = args.Option("from")) {
        auto at = ParseRfc3339(*from);
        if (!at.ok()) return Annotate(at.status(), "--from");
        *list->mutable_from() = wire::ToProto(*at);
      }
      if (auto to = args.Option("to")) {
        auto at = ParseRfc3339(*to);
        if (!at.ok()) return Annotate(at.status(), "--to");
        *list->mutable_to() = wire::ToProto(*at);
      }
      list->set_before_sequence(static_cast<uint64_t>(args.Int("before").value_or(0)));
      list->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(50)));
    } else {
      return std::nullopt;
    }
    return request;
  }
  return std::nullopt;
}

bool PrintUsers(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out) {
  auto print_user = [&](const v1::UserView& user) {
    out << PadRight(user.user(), 20) << PadRight(user.role(), 17) << PadRight(user.unit_id(), 12)
        << (user.disabled() ? "DISABLED" : "active  ") << "  changed "
        << When(user.changed_at(), zone) << "\n";
  };
  switch (response.result_case()) {
    case v1::OperatorResponse::kUser:
      print_user(response.user().user());
      return true;
    case v1::OperatorResponse::kUsers:
      if (response.users().users_size() == 0) out << "no users\n";
      for (const auto& user : response.users().users()) print_user(user);
      return true;
    case v1::OperatorResponse::kAudit:
      for (const auto& entry : response.audit().entries()) {
        out << "#" << entry.sequence() << " " << When(entry.at(), zone) << "  " << entry.user()
            << " (" << entry.role() << ", " << entry.peer() << ")  " << entry.kind() << "  "
            << entry.outcome() << "\n";
        if (!entry.after().empty()) out << "    after: " << entry.after();
      }
      if (response.audit().next_before_sequence() != 0) {
        out << "more: --before " << response.audit().next_before_sequence() << "\n";
      }
      return true;
    case v1::OperatorResponse::kAuditVerification: {
      const auto& verdict = response.audit_verification();
      if (verdict.intact()) {
        out << "audit trail intact: " << verdict.entries_checked() << " entries, head "
            << verdict.head_hash() << "\n";
      } else {
        out << "AUDIT TRAIL BROKEN at entry #" << verdict.first_bad_sequence() << ": "
            << verdict.problem() << " (" << verdict.entries_checked()
            << " entries before it are intact)\n";
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace anding::cli
