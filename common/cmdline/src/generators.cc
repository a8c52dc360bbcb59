#include "anding/cmdline/generators.h"

#include "anding/cmdline/command_line.h"
#include "anding/cmdline/gettext.h"
#include "anding/common/strings.h"

namespace anding::cmdline {
namespace {

// The path below the program: "" for the program, "report daily".
std::string RelativePath(const CLI::App& command) {
  const std::string path = CommandPath(command);
  const size_t space = path.find(' ');
  return space == std::string::npos ? std::string() : path.substr(space + 1);
}

std::vector<const CLI::App*> NamedSubcommands(const CLI::App& command) {
  std::vector<const CLI::App*> subs;
  for (const CLI::App* sub : command.get_subcommands({})) {
    if (!sub->get_name().empty()) subs.push_back(sub);
  }
  return subs;
}

// The values an option offers: "a|b|c" type names of OneOf, all lower case.
std::vector<std::string> EnumeratedValues(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  if (type.find('|') == std::string::npos) return {};
  std::vector<std::string> values = Split(type, '|');
  for (const auto& value : values) {
    for (char c : value) {
      if (c >= 'A' && c <= 'Z') return {};  // "NAME|ID": placeholders, not values
    }
  }
  return values;
}

std::string ShellWords(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) StrAppend(text, text.empty() ? "" : " ", word);
  return text;
}

// roff: a backslash, a leading dot or quote, and hyphens in option names.
// Chinese has no spaces for groff to break lines at: each CJK character
// (a three-byte UTF-8 sequence from U+3000 on) is followed by \: (a break
// point that prints nothing).
std::string Roff(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto lead = static_cast<unsigned char>(c);
    if (lead >= 0xE3 && lead <= 0xE9 && i + 2 < text.size()) {
      out.append(text, i, 3);
      out += "\\:";
      i += 2;
    } else if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if ((c == '.' || c == '\'') && (i == 0 || text[i - 1] == '\n')) {
      out += "\\&";
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

void ManOptions(const CLI::App& command, std::string& out) {
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    std::string names = option->get_name(false, true);
    if (option->get_positional()) names = option->get_name();
    StrAppend(out, ".TP\n\\fB", Roff(names), "\\fR");
    if (option->get_type_size() != 0 && !option->get_type_name().empty()) {
      StrAppend(out, " \\fI", Roff(option->get_type_name()), "\\fR");
    }
    StrAppend(out, "\n", Roff(option->get_description()),
              option->get_required() ? StrCat(" (", _("required"), ")") : "", "\n");
  }
}

}  // namespace

std::string CommandList(const CLI::App& program) {
  std::string list;
  for (const CLI::App* command : AllCommands(program)) StrAppend(list, CommandPath(*command), "\n");
  return list;
}

std::string BashCompletion(const CLI::App& program) {
  std::string function = "_" + program.get_name();
  for (char& c : function) {
    if (c == '-') c = '_';
  }
  std::string known;   // "path|word") the words that lead to a command
  std::string levels;  // "path") commands=...; options=...
  std::string values;  // "path|--option") the option's values
  std::string files;   // "path|--option") an option that takes a file
  for (const CLI::App* command : AllCommands(program)) {
    const std::string path = RelativePath(*command);
    std::vector<std::string> commands;
    for (const CLI::App* sub : NamedSubcommands(*command)) {
      commands.push_back(sub->get_name());
      StrAppend(known, "      \"", path, "|", sub->get_name(), "\") ;;\n");
    }
    std::vector<std::string> options;
    for (const CLI::App* app = command; app != nullptr; app = app->get_parent()) {
      for (const CLI::Option* option : app->get_options()) {
        if (option->get_group().empty()) continue;
        for (const auto& name : option->get_lnames()) {
          options.push_back("--" + name);
          if (auto choices = EnumeratedValues(*option); !choices.empty()) {
            StrAppend(values, "    \"", path, "|--", name, "\") words=\"", ShellWords(choices),
                      "\" ;;\n");
          } else if (option->get_type_name() == "FILE") {
            StrAppend(files, "    \"", path, "|--", name, "\") ;;\n");
          }
        }
      }
    }
    StrAppend(levels, "    \"", path, "\") commands=\"", ShellWords(commands), "\"; options=\"",
              ShellWords(options), "\" ;;\n");
  }
  std::string script = StrCat(
      "# bash completion for ", program.get_name(),
      " (generated from its command-line definition; do not edit)\n", function, "() {\n",
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" path=\"\" "
      "word i commands=\"\" options=\"\" words=\"\"\n",
      "  ((COMP_CWORD > 0)) && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n",
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n", "    word=\"${COMP_WORDS[i]}\"\n",
      "    case \"$path|$word\" in\n", known, "      *) continue ;;\n", "    esac\n",
      "    path=\"${path:+$path }$word\"\n", "  done\n", "  case \"$path|$prev\" in\n", values);
  if (!files.empty()) {
    StrAppend(script, files.substr(0, files.size() - 4),
              "\n      COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n");
  }
  StrAppend(script, "  esac\n", "  if [[ -n $words ]]; then\n",
            "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); return\n", "  fi\n",
            "  case \"$path\" in\n", levels, "  esac\n", "  if [[ $cur == -* ]]; then\n",
            "    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n", "  else\n",
            "    COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n", "  fi\n", "}\n",
            "complete -F ", function, " ", program.get_name(), "\n");
  return script;
}

std::string ManPage(const CLI::App& program) {
  std::string name = program.get_name();
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string out = StrCat(
      ".TH ", Roff(upper), " 1 \"\" \"Anding ", Version(), "\" \"", _("User Commands"),
      "\"\n.ad l\n.SH ", _("NAME"), "\n", Roff(name), " \\- ", Roff(program.get_description()),
      "\n.SH ", _("SYNOPSIS"), "\n.B ", Roff(name), "\n[", _("OPTIONS"), "] ",
      NamedSubcommands(program).empty() ? "" : _("COMMAND"), "\n.SH ", _("OPTIONS"), "\n");
  ManOptions(program, out);
  if (auto examples = Examples(program); !examples.empty()) {
    StrAppend(out, ".PP\n", _("Examples:"), "\n.nf\n");
    for (const auto& example : examples) StrAppend(out, "  ", Roff(example), "\n");
    StrAppend(out, ".fi\n");
  }
  const auto commands = AllCommands(program);
  if (commands.size() > 1) StrAppend(out, ".SH ", _("COMMANDS"), "\n");
  for (const CLI::App* command : commands) {
    if (command == &program) continue;
    StrAppend(out, ".SS \"", Roff(CommandPath(*command)), "\"\n", Roff(command->get_description()),
              "\n");
    std::string options;
    ManOptions(*command, options);
    // Every command has --help; a command with only that lists nothing.
    if (command->get_options().size() > 1) StrAppend(out, ".RS\n", options, ".RE\n");
    if (auto examples = Examples(*command); !examples.empty()) {
      StrAppend(out, ".PP\n", _("Examples:"), "\n.nf\n");
      for (const auto& example : examples) StrAppend(out, "  ", Roff(example), "\n");
      StrAppend(out, ".fi\n");
    }
  }
  StrAppend(out, ".SH ", _("EXIT STATUS"), "\n", ".TP\n0\n", _("done"), "\n.TP\n1\n",
            Roff(_("refused (by the dispatcher, the agent daemon, or the state of things)")),
            "\n.TP\n2\n",
            Roff(_("bad usage: an unknown command or option, a malformed value, a "
                   "missing or invalid configuration; nothing was sent")),
            "\n.TP\n3\n",
            Roff(_("unavailable, or the outcome is unknown: the daemon did not answer in time")),
            "\n");
  return out;
}

}  // namespace anding::cmdline
