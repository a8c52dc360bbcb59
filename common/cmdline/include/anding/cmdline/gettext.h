// gettext's markers for translatable text, for .cc files only (a macro
// named `_` must not leak through headers):
//   _("text")   the text in the current language (anding/cmdline/i18n.h)
//   N_("text")  marks text translated later (tables of definitions)
// po/zh_CN.po holds the Chinese; `xgettext --keyword=_ --keyword=N_` finds
// the strings (tests/cmdline/catalogue_test.sh checks that none is missing).
#pragma once

#include <fmt/format.h>

#include "anding/cmdline/i18n.h"

#define _(msgid) ::anding::cmdline::Translate(msgid)
#define N_(msgid) msgid

namespace anding::cmdline {

// A translated text with `{}` fields filled in: Tr("{} messages", 3).
template <typename... Args>
[[nodiscard]] std::string Tr(const char* msgid, const Args&... args) {
  return fmt::format(fmt::runtime(Translate(msgid)), args...);
}

}  // namespace anding::cmdline
