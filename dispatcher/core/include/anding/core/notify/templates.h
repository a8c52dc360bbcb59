// Message templates per event kind and language. A template is text with
// placeholders in braces:
//   {text}       the event's own text (the alert's or the order's)
//   {unit}       the unit's name (its id when unknown; empty when none)
//   {reference}  the incident, ledger item or unit the event is about
//   {kind}       the event kind ("special_report", ...)
//   {id}         the notification's number, for `anding notify ack ID`
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "anding/common/status.h"

namespace anding::core::notify {

// The built-in template for `kind` in `language` ("zh" or "en"); for an
// unknown kind, the generic one ("【安定】{text}").
[[nodiscard]] std::string DefaultTemplate(std::string_view kind, std::string_view language);

// `pattern` with its placeholders replaced from `fields` ("{{" and "}}" are
// literal braces). InvalidArgument naming an unknown placeholder or an
// unclosed brace.
[[nodiscard]] Result<std::string> RenderTemplate(std::string_view pattern,
                                                 const std::map<std::string, std::string>& fields);

// OK when `pattern` uses only the placeholders listed above.
[[nodiscard]] Status CheckTemplate(std::string_view pattern);

}  // namespace anding::core::notify
