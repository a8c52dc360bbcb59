#include "anding/common/args.h"

#include <cstdlib>

#include "anding/common/strings.h"

namespace anding {

Args::Args(int argc, char** argv, int first) {
  std::vector<std::string> words;
  for (int i = first; i < argc; ++i) words.emplace_back(argv[i]);
  Parse(words);
}

Args::Args(std::vector<std::string> words) { Parse(words); }

void Args::Parse(const std::vector<std::string>& words) {
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.rfind("--", 0) != 0 || word.size() == 2) {
      positional_.push_back(word);
      continue;
    }
    const std::string body = word.substr(2);
    if (const auto eq = body.find('='); eq != std::string::npos) {
      options_.emplace(body.substr(0, eq), body.substr(eq + 1));
    } else if (i + 1 < words.size() && words[i + 1].rfind("--", 0) != 0) {
      // Might be a flag followed by a positional word; Flag() sorts it out.
      options_.emplace(body, words[i + 1]);
      ++i;
    } else {
      options_.emplace(body, std::nullopt);
    }
  }
}

std::optional<std::string> Args::Option(const std::string& name) {
  known_.insert(name);
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  if (options_.count(name) > 1) {
    // Which one was meant? Taking either silently would hide a mistake.
    errors_.push_back(StrCat("--", name, " is given more than once"));
    return std::nullopt;
  }
  if (!it->second) {
    errors_.push_back(StrCat("--", name, " needs a value"));
    return std::nullopt;
  }
  return it->second;
}

std::string Args::Required(const std::string& name) {
  auto value = Option(name);
  if (!value) {
    if (options_.count(name) == 0) errors_.push_back(StrCat("--", name, " is required"));
    return {};
  }
  return *value;
}

bool Args::Rewrite(const std::string& name, const std::string& from, const std::string& to) {
  bool rewritten = false;
  auto [begin, end] = options_.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    if (it->second == from) {
      it->second = to;
      rewritten = true;
    }
  }
  return rewritten;
}

std::vector<std::string> Args::All(const std::string& name) {
  known_.insert(name);
  std::vector<std::string> values;
  auto [begin, end] = options_.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    if (it->second) {
      values.push_back(*it->second);
    } else {
      errors_.push_back(StrCat("--", name, " needs a value"));
    }
  }
  return values;
}

bool Args::Flag(const std::string& name) {
  known_.insert(name);
  flags_.insert(name);
  auto it = options_.find(name);
  if (it == options_.end()) return false;
  if (it->second) {
    // "--flag word": the word was positional after all.
    positional_.push_back(*it->second);
    it->second.reset();
  }
  return true;
}

std::optional<int64_t> Args::Int(const std::string& name) {
  auto value = Option(name);
  if (!value) return std::nullopt;
  char* end = nullptr;
  const long long parsed = std::strtoll(value->c_str(), &end, 10);
  if (value->empty() || *end != '\0') {
    errors_.push_back(StrCat("--", name, " must be a whole number, not '", *value, "'"));
    return std::nullopt;
  }
  return parsed;
}

std::optional<Duration> Args::DurationOption(const std::string& name) {
  auto value = Option(name);
  if (!value) return std::nullopt;
  auto parsed = ParseDuration(*value);
  if (!parsed.ok()) {
    errors_.push_back(StrCat("--", name, ": ", parsed.status().message()));
    return std::nullopt;
  }
  return *parsed;
}

Status Args::Finish() const {
  std::vector<std::string> errors = errors_;
  for (const auto& [name, value] : options_) {
    if (known_.count(name) == 0) errors.push_back(StrCat("unknown option --", name));
  }
  if (errors.empty()) return OkStatus();
  std::string message;
  for (const auto& error : errors) {
    if (!message.empty()) message += "; ";
    message += error;
  }
  return InvalidArgumentError(message);
}

}  // namespace anding
