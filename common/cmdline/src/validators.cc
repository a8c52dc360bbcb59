#include "anding/cmdline/validators.h"

#include <charconv>

#include "anding/cmdline/gettext.h"
#include "anding/common/strings.h"
#include "anding/common/time.h"

namespace anding::cmdline {

CLI::Validator InRange(int64_t min, int64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || value < min ||
            value > max) {
          return Tr(N_("must be a whole number from {} to {}, not '{}'"), min, max, text);
        }
        return {};
      },
      "");
}

void OneOf(CLI::Option* option, std::vector<std::string> values) {
  std::string names;
  for (const auto& value : values) StrAppend(names, names.empty() ? "" : "|", value);
  option->type_name(names);
  option->check(CLI::Validator(
      [values = std::move(values), names](std::string& text) -> std::string {
        for (const auto& value : values) {
          if (text == value) return {};
        }
        return Tr(N_("must be one of {}, not '{}'"), names, text);
      },
      ""));
}

CLI::Validator Checked(std::function<Status(const std::string&)> check) {
  return CLI::Validator(
      [check = std::move(check)](std::string& text) -> std::string {
        const Status status = check(text);
        return status.ok() ? std::string() : status.message();
      },
      "");
}

CLI::Validator DayOrTime() {
  return Checked([](const std::string& text) {
    if (ParseDay(text).ok() || ParseRfc3339(text).ok()) return OkStatus();
    return InvalidArgumentError(
        Tr(N_("expected YYYY-MM-DD or an RFC 3339 time such as 2026-11-27T16:30:00+08:00, "
              "not '{}'"),
           text));
  });
}

CLI::Validator Day() {
  return Checked([](const std::string& text) {
    if (ParseDay(text).ok()) return OkStatus();
    return InvalidArgumentError(Tr(N_("expected a day YYYY-MM-DD, not '{}'"), text));
  });
}

CLI::Validator DurationText() {
  return Checked([](const std::string& text) {
    if (ParseDuration(text).ok()) return OkStatus();
    return InvalidArgumentError(
        Tr(N_("expected a duration such as 5s, 10m or 1h30m, not '{}'"), text));
  });
}

CLI::Validator Yuan() {
  return Checked([](const std::string& text) { return ParseYuan(text).status(); });
}

Result<int64_t> ParseYuan(std::string_view text) {
  const auto bad = InvalidArgumentError(
      Tr(N_("not an amount in yuan with at most two decimals: '{}'"), std::string(text)));
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
    const std::string_view decimals = text.substr(i + 1);
    if (decimals.empty() || decimals.size() > 2) return bad;
    for (char c : decimals) {
      if (c < '0' || c > '9') return bad;
    }
    fen += (decimals[0] - '0') * 10 + (decimals.size() == 2 ? decimals[1] - '0' : 0);
  }
  return fen;
}

}  // namespace anding::cmdline
