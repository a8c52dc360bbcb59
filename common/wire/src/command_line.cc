#include "anding/wire/command_line.h"

#include "anding/common/strings.h"
#include "anding/wire/validation.h"

namespace anding::wire {
namespace {

bool IsOptionName(const std::string& word) {
  return word.size() > 2 && word.starts_with("--") && word.find('=') == std::string::npos;
}

}  // namespace

Status CheckCommandLineText(const std::vector<std::string>& words) {
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (Utf8Length(word)) continue;
    if (word.starts_with("--")) {
      // `--name=value`, or a name that is itself not UTF-8.
      const size_t equals = word.find('=');
      const std::string name = word.substr(0, equals);
      if (equals != std::string::npos && Utf8Length(name)) {
        return InvalidArgumentError(StrCat(name, " is not valid UTF-8"));
      }
      return InvalidArgumentError(StrCat("option ", i + 1, " is not valid UTF-8"));
    }
    if (i > 0 && IsOptionName(words[i - 1]) && Utf8Length(words[i - 1])) {
      return InvalidArgumentError(StrCat(words[i - 1], " is not valid UTF-8"));
    }
    return InvalidArgumentError(StrCat("argument ", i + 1, " is not valid UTF-8"));
  }
  return OkStatus();
}

}  // namespace anding::wire
