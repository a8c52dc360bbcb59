#include "anding/cmdline/command_line.h"

#include <algorithm>
#include <ostream>

#include "anding/cmdline/exit_codes.h"
#include "anding/cmdline/generators.h"
#include "anding/cmdline/gettext.h"
#include "anding/common/strings.h"

namespace anding::cmdline {
namespace {

// CLI11 names every option's group "Options" unless told otherwise; the
// help shows it in the current language.
constexpr const char* kOptionsGroup = "Options";

void TranslateGroups(CLI::App& command) {
  for (CLI::Option* option : command.get_options()) {
    if (option->get_group() == kOptionsGroup) option->group(_("Options"));
  }
  for (CLI::App* sub : command.get_subcommands({})) TranslateGroups(*sub);
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The long names ("--summary") of `command`'s options and of the commands
// above it.
std::vector<std::string> OptionNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* app = &command; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* option : app->get_options()) {
      for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    }
  }
  return names;
}

// CLI11's help pads the option column by bytes; a Chinese label in it
// ("必填") would push the descriptions out of line. This pads by display
// width.
class DisplayWidthFormatter : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* option, bool is_positional) const override {
    const std::string name =
        "  " + make_option_name(option, is_positional) + make_option_opts(option);
    const std::string description = make_option_desc(option);
    const size_t width = get_column_width();
    std::string text = name;
    if (!description.empty()) {
      const size_t used = DisplayWidth(name);
      if (used >= width) {
        StrAppend(text, "\n", std::string(width, ' '));
      } else {
        text.append(width - used, ' ');
      }
      for (char c : description) {
        text += c;
        if (c == '\n') text.append(width, ' ');
      }
    }
    return text + "\n";
  }
};

// The subcommand of `command` nearest to `wrong` by edit distance, or "".
std::string NearestCommand(const CLI::App& command, const std::string& wrong) {
  std::string nearest;
  size_t nearest_distance = std::max<size_t>(2, wrong.size() / 3) + 1;
  for (const CLI::App* sub : command.get_subcommands({})) {
    const size_t distance = EditDistance(wrong, sub->get_name());
    if (!sub->get_name().empty() && distance < nearest_distance) {
      nearest = sub->get_name();
      nearest_distance = distance;
    }
  }
  return nearest;
}

// The words of `error`'s first line after "NAME: " for errors CLI11 words
// as "--option: what".
std::string OptionOf(const std::string& what) { return what.substr(0, what.find(':')); }

// `error` in the current language, naming what is wrong.
std::string Explain(const CLI::ParseError& error, const CLI::App& command,
                    const std::vector<std::string>& words) {
  const std::string what = error.what();
  // CLI11 checks required options before it reports unknown ones; an
  // unknown option is usually why a required one seems missing (a typo).
  if (auto unknown = UnknownOption(command, words)) {
    std::string text = Tr(N_("unknown option {}"), *unknown);
    if (auto nearest = NearestOption(command, *unknown); !nearest.empty()) {
      StrAppend(text, "; ", Tr(N_("did you mean {}?"), nearest));
    }
    return text;
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    std::vector<std::string> missing;
    for (const CLI::Option* option : command.get_options()) {
      if (option->get_required() && option->count() == 0) {
        // An argument by its placeholder (FILE), an option by its name.
        missing.push_back(option->get_positional() ? option->get_type_name() : option->get_name());
      }
    }
    if (missing.empty()) {
      // `report dialy`: the word after the command is no command of it.
      auto at = std::find(words.begin(), words.end(), command.get_name());
      if (at != words.end() && at + 1 != words.end() && !(at + 1)->starts_with("-")) {
        std::string text = Tr(N_("unknown command: {}"), *(at + 1));
        if (auto nearest = NearestCommand(command, *(at + 1)); !nearest.empty()) {
          StrAppend(text, "; ", Tr(N_("did you mean {}?"), nearest));
        }
        return text;
      }
      return _("a command is required");
    }
    std::string names;
    for (const auto& name : missing) StrAppend(names, names.empty() ? "" : ", ", name);
    return Tr(missing.size() == 1 ? N_("{} is required") : N_("{} are required"), names);
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    // A word that is no command of this one, nor a value it takes.
    // CLI11 lists the extra words last first; the first one typed is the
    // one to name, most often a mistyped command.
    const std::vector<std::string> extras = Split(what.substr(what.find(':') + 2), ' ');
    std::string extra = extras.empty() ? std::string() : extras.back();
    for (const std::string& word : words) {
      if (std::find(extras.begin(), extras.end(), word) != extras.end()) {
        extra = word;
        break;
      }
    }
    std::string text = Tr(N_("unexpected argument: {}"), extra);
    if (auto nearest = NearestCommand(command, extra); !nearest.empty()) {
      StrAppend(text, "; ", Tr(N_("did you mean {}?"), nearest));
    }
    return text;
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    return Tr(N_("{} needs a value"), OptionOf(what));
  }
  if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr ||
      dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    return what;  // "--option: " and a message in the current language
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error) != nullptr) {
    return Tr(N_("options that exclude each other: {}"), what);
  }
  return what;
}

}  // namespace

const char* Version() { return ANDING_VERSION; }

std::optional<std::string> UnknownOption(const CLI::App& command,
                                         const std::vector<std::string>& words) {
  const std::vector<std::string> names = OptionNames(command);
  for (const std::string& word : words) {
    if (word == "--") break;
    if (!word.starts_with("--")) continue;
    const std::string name = word.substr(0, word.find('='));
    if (std::find(names.begin(), names.end(), name) == names.end()) return name;
  }
  return std::nullopt;
}

std::unique_ptr<CLI::App> NewProgram(const std::string& name, const std::string& description) {
  auto program = std::make_unique<CLI::App>(description, name);
  auto formatter = std::make_shared<DisplayWidthFormatter>();
  formatter->label("Usage", _("Usage"));
  formatter->label("OPTIONS", _("OPTIONS"));
  formatter->label("SUBCOMMAND", _("COMMAND"));
  formatter->label("SUBCOMMANDS", _("COMMANDS"));
  formatter->label("REQUIRED", _("REQUIRED"));
  formatter->label("Positionals", _("Arguments"));
  formatter->label("Env", _("environment"));
  formatter->label("Excludes", _("excludes"));
  formatter->label("Needs", _("needs"));
  formatter->column_width(34);
  program->formatter(formatter);
  program->set_help_flag("-h,--help", _("print this help and exit"));
  program->set_version_flag("--version", StrCat(name, " (Anding) ", ANDING_VERSION),
                            _("print the version and exit"));
  // Read before parsing (ChooseLanguage); defined so that it is listed
  // and accepted.
  program
      ->add_option(
          "--lang", [](const CLI::results_t&) { return true; },
          _("the language of messages and help: zh or en "
            "(default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG)"))
      ->type_name("zh|en")
      ->expected(1);
  program->fallthrough();
  program->footer("");
  return program;
}

CLI::App* AddCommand(CLI::App& parent, const std::string& name, const std::string& description) {
  CLI::App* command = parent.add_subcommand(name, description);
  command->group(_("Commands"));
  command->footer("");
  command->fallthrough();
  return command;
}

void SetExamples(CLI::App& command, const std::vector<std::string>& examples) {
  std::string footer = _("Examples:");
  for (const std::string& example : examples) StrAppend(footer, "\n  ", example);
  command.footer(footer);
}

std::vector<std::string> Examples(const CLI::App& command) {
  std::vector<std::string> examples;
  const std::string footer = command.get_footer();
  size_t start = footer.find('\n');
  while (start != std::string::npos) {
    const size_t end = footer.find('\n', start + 1);
    const std::string line = footer.substr(start + 1, end - start - 1);
    if (line.empty()) break;  // what follows the examples is not one
    if (line.starts_with("  ")) examples.push_back(line.substr(2));
    start = end;
  }
  return examples;
}

CLI::App& Selected(CLI::App& program) {
  CLI::App* command = &program;
  while (true) {
    auto chosen = command->get_subcommands();
    if (chosen.empty()) return *command;
    command = chosen.front();
  }
}

std::string CommandPath(const CLI::App& command) {
  std::string path = command.get_name();
  for (const CLI::App* app = command.get_parent(); app != nullptr; app = app->get_parent()) {
    path = StrCat(app->get_name(), " ", path);
  }
  return path;
}

std::vector<const CLI::App*> AllCommands(const CLI::App& program) {
  std::vector<const CLI::App*> commands{&program};
  for (const CLI::App* sub : program.get_subcommands({})) {
    if (sub->get_name().empty()) continue;
    for (const CLI::App* command : AllCommands(*sub)) commands.push_back(command);
  }
  return commands;
}

std::string NearestOption(const CLI::App& command, const std::string& wrong) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, wrong.size() / 3) + 1;
  for (const std::string& name : OptionNames(command)) {
    if (name == "--help" || name == "--version") continue;
    // "--sum" for "--summary": a prefix is as good as a near miss.
    const size_t distance =
        name.starts_with(wrong) && wrong.size() > 5 ? 1 : EditDistance(wrong, name);
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

std::optional<int> Parse(CLI::App& program, const std::vector<std::string>& words,
                         std::ostream& out, std::ostream& err) {
  TranslateGroups(program);
  auto has = [&](const char* word) {
    return std::find(words.begin(), words.end(), word) != words.end();
  };
  if (has("--list-commands")) {
    out << CommandList(program);
    return kExitDone;
  }
  if (has("--bash-completion")) {
    out << BashCompletion(program);
    return kExitDone;
  }
  if (has("--man-page")) {
    out << ManPage(program);
    return kExitDone;
  }
  // CLI11 takes the words last first.
  std::vector<std::string> reversed(words.rbegin(), words.rend());
  try {
    program.parse(reversed);
    return std::nullopt;
  } catch (const CLI::CallForHelp&) {
    out << program.help();
    return kExitDone;
  } catch (const CLI::CallForAllHelp&) {
    out << program.help("", CLI::AppFormatMode::All);
    return kExitDone;
  } catch (const CLI::CallForVersion& version) {
    out << version.what() << "\n";
    return kExitDone;
  } catch (const CLI::ParseError& error) {
    const CLI::App& command = Selected(program);
    err << program.get_name() << ": " << Explain(error, command, words) << "\n"
        << Tr(N_("see '{} --help'"), CommandPath(command)) << "\n";
    return kExitUsage;
  }
}

}  // namespace anding::cmdline
