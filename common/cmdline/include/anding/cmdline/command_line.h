// Anding's command lines on CLI11: every command and subcommand is defined
// once, with its options, validators and examples, and its help, the
// manual page, the bash completion and the tests' walk over the commands
// all come from that definition.
//
//   auto program = NewProgram("anding-agent", _("a mine office's agent"));
//   CLI::App* status = AddCommand(*program, "status", _("link state and outbox depth"));
//   SetExamples(*status, {"anding-agent status"});
//   if (auto done = Parse(*program, words, out, err)) return *done;  // help, error
//   ... run Selected(*program) ...
//
// Help is in the current language (i18n.h): choose it before defining.
// Thread-safety: none; a program's command line lives on its main thread.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace anding::cmdline {

// A program with Anding's help: labels in the current language, -h/--help
// on every command, --version, --lang zh|en (chosen before parsing, see
// ChooseLanguage; here so that help lists it and parsing accepts it), and
// options of a command accepted after its subcommands' names.
[[nodiscard]] std::unique_ptr<CLI::App> NewProgram(const std::string& name,
                                                   const std::string& description);

// Anding's version (the project's, one for all three programs).
[[nodiscard]] const char* Version();

// A subcommand of `parent` (a program or a command), listed under
// "Commands" in its help.
CLI::App* AddCommand(CLI::App& parent, const std::string& name, const std::string& description);

// Whole command lines shown under "Examples:" in `command`'s help (and its
// manual page). Every command has at least one; the tests check. Text
// added to the footer after them follows an empty line.
void SetExamples(CLI::App& command, const std::vector<std::string>& examples);
// The examples given to SetExamples, one a line.
[[nodiscard]] std::vector<std::string> Examples(const CLI::App& command);

// Parses `words` (argv without the program's name). nullopt when a command
// is to run; otherwise the exit status of what happened here:
//  * --help (at any level): the help of that command on `out`, 0;
//  * --version: the version on `out`, 0;
//  * hidden --list-commands / --bash-completion / --man-page: generated
//    from the definitions (generators.h) on `out`, 0;
//  * an error: a line on `err` naming what is wrong, the nearest option
//    name for an unknown option, and where the help is; 2.
[[nodiscard]] std::optional<int> Parse(CLI::App& program, const std::vector<std::string>& words,
                                       std::ostream& out, std::ostream& err);

// The deepest command `Parse` selected (the program itself when none).
[[nodiscard]] CLI::App& Selected(CLI::App& program);
// "anding-agent report daily": the names from the program to `command`.
[[nodiscard]] std::string CommandPath(const CLI::App& command);
// Every command and subcommand, depth first, in definition order.
[[nodiscard]] std::vector<const CLI::App*> AllCommands(const CLI::App& program);

// The option of `command` (or of the commands above it, whose options it
// accepts) nearest to `wrong` ("--sumary" → "--summary"), by edit distance
// or as a prefix; empty when none is close.
[[nodiscard]] std::string NearestOption(const CLI::App& command, const std::string& wrong);

// The first `--word` among `words` that neither `command` nor a command
// above it has as an option, or nullopt.
[[nodiscard]] std::optional<std::string> UnknownOption(const CLI::App& command,
                                                       const std::vector<std::string>& words);

// Whether `option` was given on the command line.
[[nodiscard]] inline bool Given(const CLI::Option* option) { return option->count() > 0; }

}  // namespace anding::cmdline
