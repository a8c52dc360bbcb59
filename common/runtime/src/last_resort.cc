#include "anding/runtime/last_resort.h"

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"

namespace anding::runtime {
namespace {

// Set once by RunGuarded before any other thread exists; read by the
// terminate handler.
std::string g_program;
ProgramKind g_kind = ProgramKind::kCommand;

std::string Describe(std::exception_ptr error) {
  if (!error) return "std::terminate called without an exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return Printable(e.what(), 1000);
  } catch (...) {
    return "an exception of unknown type";
  }
}

[[noreturn]] void Report(const std::string& what) {
  if (g_kind == ProgramKind::kDaemon) {
    auto log = GetLogger("main");
    log->critical("internal error: {}; stopping", what);
    log->flush();
  } else {
    std::fprintf(stderr, "%s: internal error: %s; nothing was changed by this command\n",
                 g_program.c_str(), what.c_str());
  }
  std::fflush(stderr);
  std::fflush(stdout);
  // _Exit: other threads may still hold locks or run destructors' work;
  // nothing more may run after an unexpected failure.
  std::_Exit(kInternalErrorExit);
}

}  // namespace

int RunGuarded(const std::string& program, ProgramKind kind, const std::function<int()>& body) {
  g_program = program;
  g_kind = kind;
  std::set_terminate([] { Report(Describe(std::current_exception())); });
  try {
    return body();
  } catch (...) {
    Report(Describe(std::current_exception()));
  }
}

}  // namespace anding::runtime
