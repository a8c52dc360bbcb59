// The language people read Anding's command lines in: English, or Chinese
// from a GNU gettext catalogue. Each program has its own domain, named
// after it, so that each Debian package owns its catalogue: po/common.zh_CN.po
// (what all three share) and po/<program>.zh_CN.po are joined by msgcat and
// compiled by msgfmt in the build, and installed as
// /usr/share/locale/zh_CN/LC_MESSAGES/<program>.mo.
//
// The catalogue is read by this unit itself rather than through
// setlocale() and libintl: a mine office's PC or a service often runs in
// the C locale, or has no zh_CN locale generated, and the officer must
// still read Chinese. The language is chosen once, at start-up:
//
//   auto language = ChooseLanguage(words);   // --lang zh|en, else LANG...
//   UseLanguage(*language, "anding-agent");
//   std::cout << _("no orders") << "\n";     // with anding/cmdline/gettext.h
//
// Thread-safety: UseLanguage before any thread reads translations;
// Translate is then safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "anding/common/status.h"

namespace anding::cmdline {

enum class Language { kEnglish, kChinese };

// The environment's language, as gettext reads it: the first of LANGUAGE,
// LC_ALL, LC_MESSAGES and LANG that is set and not empty; Chinese when it
// begins with "zh", English otherwise (and when none is set).
[[nodiscard]] Language LanguageFromEnvironment();

// `--lang zh|en` (or `--lang=zh`) among `words`, which win over the
// environment; the environment's language without it. InvalidArgument for
// another value or a missing one (the message is English: no language is
// chosen yet).
[[nodiscard]] Result<Language> ChooseLanguage(const std::vector<std::string>& words);

// Every later Translate answers in `language`, from the catalogue of
// `domain` (a program's name). Chinese without a catalogue found (see
// CatalogueDirectories) falls back to English.
void UseLanguage(Language language, const std::string& domain);
[[nodiscard]] Language CurrentLanguage();

// Where the catalogue is looked for, first found wins:
// $ANDING_LOCALEDIR, the packages' locale directory (/usr/share/locale),
// the build tree's (so that a program run from the build
// finds the catalogue built with it).
[[nodiscard]] std::vector<std::string> CatalogueDirectories();

// `msgid` in the current language: its translation, or `msgid` itself
// when there is none. The pointer stays valid until the next UseLanguage.
[[nodiscard]] const char* Translate(const char* msgid);

}  // namespace anding::cmdline
