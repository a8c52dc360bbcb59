#include "command_values.h"

#include <charconv>

#include "anding/cmdline/command_line.h"
#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"

namespace anding::cli {

const CLI::Option* CommandValues::Find(const std::string& name) const {
  for (const CLI::App* app = &command_; app != nullptr; app = app->get_parent()) {
    if (const CLI::Option* option = app->get_option_no_throw("--" + name)) return option;
  }
  return nullptr;
}

std::optional<std::string> CommandValues::Option(const std::string& name) const {
  if (auto replaced = replaced_.find(name); replaced != replaced_.end()) return replaced->second;
  const CLI::Option* option = Find(name);
  if (option == nullptr || option->count() == 0 || option->results().empty()) return std::nullopt;
  return option->results().back();
}

std::vector<std::string> CommandValues::All(const std::string& name) const {
  const CLI::Option* option = Find(name);
  if (option == nullptr) return {};
  return option->results();
}

bool CommandValues::Flag(const std::string& name) const {
  const CLI::Option* option = Find(name);
  return option != nullptr && option->count() > 0;
}

std::optional<int64_t> CommandValues::Int(const std::string& name) const {
  const auto text = Option(name);
  if (!text) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  // The definition's InRange has refused anything else.
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

std::optional<Duration> CommandValues::DurationOption(const std::string& name) const {
  const auto text = Option(name);
  if (!text) return std::nullopt;
  auto duration = ParseDuration(*text);
  if (!duration.ok()) return std::nullopt;  // refused by DurationText before
  return *duration;
}

std::string CommandValues::Argument(const std::string& name) const {
  const CLI::Option* option = command_.get_option_no_throw(name);
  if (option == nullptr || option->results().empty()) return "";
  return option->results().front();
}

CLI::App* Command(CLI::App& parent, const std::string& name, const std::string& description,
                  const std::vector<std::string>& examples) {
  CLI::App* command = cmdline::AddCommand(parent, name, description);
  cmdline::SetExamples(*command, examples);
  return command;
}

CLI::Option* Text(CLI::App& command, const std::string& name, const std::string& placeholder,
                  const std::string& description) {
  return command.add_option("--" + name, CLI::callback_t(), description)->type_name(placeholder);
}

CLI::Option* Repeated(CLI::App& command, const std::string& name, const std::string& placeholder,
                      const std::string& description) {
  return Text(command, name, placeholder, description)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

CLI::Option* Flag(CLI::App& command, const std::string& name, const std::string& description) {
  const std::string text = description;
  return command.add_flag("--" + name, text);
}

CLI::Option* Number(CLI::App& command, const std::string& name, int64_t min, int64_t max,
                    const std::string& description) {
  return Text(command, name, "N", description)->check(cmdline::InRange(min, max));
}

CLI::Option* Choice(CLI::App& command, const std::string& name, std::vector<std::string> values,
                    const std::string& description) {
  CLI::Option* option = Text(command, name, "", description);
  cmdline::OneOf(option, std::move(values));
  return option;
}

CLI::Option* Argument(CLI::App& command, const std::string& name, const std::string& placeholder,
                      const std::string& description) {
  return command.add_option(name, CLI::callback_t(), description)->type_name(placeholder);
}

void FormatOptions(CLI::App& command, std::vector<std::string> formats) {
  Choice(command, "format", std::move(formats),
         _("the output's form; pdf prints the HTML document with headless Chromium on this "
           "machine and needs --out"));
  Text(command, "out", "FILE", _("write the document to FILE instead of standard output"));
}

CLI::Validator Rfc3339Time() {
  return cmdline::Checked([](const std::string& text) { return ParseRfc3339(text).status(); });
}

}  // namespace anding::cli
