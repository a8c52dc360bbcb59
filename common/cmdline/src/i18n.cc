#include "anding/cmdline/i18n.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unordered_map>

#include "anding/common/strings.h"

namespace anding::cmdline {
namespace {

struct State {
  Language language = Language::kEnglish;
  std::unordered_map<std::string, std::string> translations;
};

State& TheState() {
  static State state;
  return state;
}

// The messages of a GNU .mo file (msgfmt's output): a header of 32-bit
// words (magic, revision, count, offset of the originals' table, offset of
// the translations' table), then (length, offset) pairs. Either byte order.
// An unreadable or malformed file gives no messages: English is shown.
std::unordered_map<std::string, std::string> ReadMoFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::unordered_map<std::string, std::string> messages;
  if (data.size() < 20) return messages;
  auto word = [&](size_t offset, bool swap) -> std::optional<uint32_t> {
    if (offset + 4 > data.size()) return std::nullopt;
    uint32_t value;
    std::memcpy(&value, data.data() + offset, 4);
    return swap ? __builtin_bswap32(value) : value;
  };
  const uint32_t magic = *word(0, false);
  bool swap = false;
  if (magic == 0xde120495u) {
    swap = true;
  } else if (magic != 0x950412deu) {
    return messages;
  }
  const auto count = word(8, swap);
  const auto originals = word(12, swap);
  const auto translations = word(16, swap);
  if (!count || !originals || !translations) return messages;
  auto text = [&](uint32_t table, uint32_t index) -> std::optional<std::string> {
    const auto length = word(table + 8ull * index, swap);
    const auto offset = word(table + 8ull * index + 4, swap);
    if (!length || !offset || uint64_t{*offset} + *length > data.size()) return std::nullopt;
    return data.substr(*offset, *length);
  };
  for (uint32_t i = 0; i < *count; ++i) {
    auto original = text(*originals, i);
    auto translation = text(*translations, i);
    if (!original || !translation) return {};
    // The empty msgid is the catalogue's header, not a message.
    if (original->empty() || translation->empty()) continue;
    messages.emplace(std::move(*original), std::move(*translation));
  }
  return messages;
}

bool StartsWithChinese(const char* value) { return std::strncmp(value, "zh", 2) == 0; }

}  // namespace

Language LanguageFromEnvironment() {
  for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    return StartsWithChinese(value) ? Language::kChinese : Language::kEnglish;
  }
  return Language::kEnglish;
}

Result<Language> ChooseLanguage(const std::vector<std::string>& words) {
  std::optional<std::string> given;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "--") break;
    if (words[i] == "--lang") {
      if (i + 1 == words.size()) return InvalidArgumentError("--lang needs a value: zh or en");
      given = words[i + 1];
    } else if (words[i].starts_with("--lang=")) {
      given = words[i].substr(7);
    }
  }
  if (!given) return LanguageFromEnvironment();
  if (*given == "zh") return Language::kChinese;
  if (*given == "en") return Language::kEnglish;
  return InvalidArgumentError(StrCat("--lang must be zh or en, not '", *given, "'"));
}

std::vector<std::string> CatalogueDirectories() {
  std::vector<std::string> directories;
  if (const char* env = std::getenv("ANDING_LOCALEDIR"); env != nullptr && *env != '\0') {
    directories.emplace_back(env);
  }
  directories.emplace_back(ANDING_INSTALLED_LOCALEDIR);
  directories.emplace_back(ANDING_BUILD_LOCALEDIR);
  return directories;
}

void UseLanguage(Language language, const std::string& domain) {
  State& state = TheState();
  state.language = language;
  state.translations.clear();
  if (language != Language::kChinese) return;
  for (const std::string& directory : CatalogueDirectories()) {
    auto messages = ReadMoFile(StrCat(directory, "/zh_CN/LC_MESSAGES/", domain, ".mo"));
    if (!messages.empty()) {
      state.translations = std::move(messages);
      return;
    }
  }
}

Language CurrentLanguage() { return TheState().language; }

const char* Translate(const char* msgid) {
  const State& state = TheState();
  if (state.translations.empty()) return msgid;
  auto it = state.translations.find(msgid);
  return it == state.translations.end() ? msgid : it->second.c_str();
}

}  // namespace anding::cmdline
