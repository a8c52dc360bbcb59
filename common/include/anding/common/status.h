// Errors are values: Status says whether an operation worked and, if not,
// what the caller should do next; Result<T> is a value or a Status.
//
//   InvalidArgument    - the input is wrong; do not retry it unchanged.
//   FailedPrecondition - the state does not allow it; fix the state first.
//   NotFound           - a referenced record does not exist.
//   AlreadyExists      - an id was reused with different content.
//   PermissionDenied   - the caller may not do this.
//   ResourceExhausted  - a limit or quota would be exceeded.
//   Unavailable        - temporary (storage, network); retry.
//   Internal           - a broken invariant; a bug.
//   DataLoss           - stored data cannot be read back; repair or restore it.
//
// Thread-safety: values; safe to copy between threads.
#pragma once

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace anding {

enum class StatusCode {
  kOk = 0,
  kCancelled,
  kUnknown,
  kInvalidArgument,
  kDeadlineExceeded,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kResourceExhausted,
  kFailedPrecondition,
  kAborted,
  kOutOfRange,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kDataLoss,
  kUnauthenticated,
};

// Canonical upper-case name, for example "INVALID_ARGUMENT".
[[nodiscard]] std::string_view CodeName(StatusCode code);
// The code whose CodeName is `name`; kUnknown if none.
[[nodiscard]] StatusCode CodeFromName(std::string_view name);

class [[nodiscard]] Status {
 public:
  // OK.
  Status() = default;
  Status(StatusCode code, std::string message);

  [[nodiscard]] bool ok() const { return code_ == StatusCode::kOk; }
  [[nodiscard]] StatusCode code() const { return code_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: message", or "OK".
  [[nodiscard]] std::string ToString() const;
  // Explicitly discards the status (where failure truly does not matter).
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Prints ToString(), for test failure messages and logs.
std::ostream& operator<<(std::ostream& out, const Status& status);

[[nodiscard]] inline Status OkStatus() { return Status(); }
[[nodiscard]] Status InvalidArgumentError(std::string message);
[[nodiscard]] Status NotFoundError(std::string message);
[[nodiscard]] Status AlreadyExistsError(std::string message);
[[nodiscard]] Status FailedPreconditionError(std::string message);
[[nodiscard]] Status PermissionDeniedError(std::string message);
[[nodiscard]] Status ResourceExhaustedError(std::string message);
[[nodiscard]] Status UnavailableError(std::string message);
[[nodiscard]] Status InternalError(std::string message);
[[nodiscard]] Status OutOfRangeError(std::string message);
[[nodiscard]] Status DeadlineExceededError(std::string message);
[[nodiscard]] Status UnauthenticatedError(std::string message);
[[nodiscard]] Status DataLossError(std::string message);
[[nodiscard]] Status AbortedError(std::string message);

// Prefixes `status`'s message with `context` ("loading config: ..."),
// keeping its code. OK stays OK.
[[nodiscard]] Status Annotate(const Status& status, std::string_view context);

// True for codes a sender should retry with the same request.
[[nodiscard]] bool IsRetryable(const Status& status);

// A T, or the Status explaining why there is none. Accessing the value of
// a failed Result is a bug and aborts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = InternalError("Result constructed from an OK status");
  }

  [[nodiscard]] bool ok() const { return value_.has_value(); }
  [[nodiscard]] const Status& status() const& { return status_; }
  [[nodiscard]] Status status() && { return std::move(status_); }

  [[nodiscard]] T& value() & { return Checked(); }
  [[nodiscard]] const T& value() const& { return const_cast<Result*>(this)->Checked(); }
  [[nodiscard]] T&& value() && { return std::move(Checked()); }
  T& operator*() & { return Checked(); }
  const T& operator*() const& { return const_cast<Result*>(this)->Checked(); }
  T&& operator*() && { return std::move(Checked()); }
  T* operator->() { return &Checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->Checked(); }
  // The value, or `fallback` on failure.
  [[nodiscard]] T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  T& Checked() {
    if (!value_) {
      // A broken invariant in the caller: it did not check ok().
      std::fprintf(stderr, "fatal: value of a failed Result: %s\n", status_.ToString().c_str());
      std::abort();
    }
    return *value_;
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace anding

#define ANDING_STATUS_CONCAT_INNER_(a, b) a##b
#define ANDING_STATUS_CONCAT_(a, b) ANDING_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define ANDING_RETURN_IF_ERROR(expr) \
  ANDING_RETURN_IF_ERROR_IMPL_(ANDING_STATUS_CONCAT_(status_, __COUNTER__), expr)
#define ANDING_RETURN_IF_ERROR_IMPL_(tmp, expr)     \
  do {                                              \
    if (::anding::Status tmp = (expr); !tmp.ok()) { \
      return tmp;                                   \
    }                                               \
  } while (false)

// `ANDING_ASSIGN_OR_RETURN(auto x, Foo());` assigns Foo()'s value or returns
// its error from the enclosing function.
#define ANDING_ASSIGN_OR_RETURN(lhs, expr) \
  ANDING_ASSIGN_OR_RETURN_IMPL_(ANDING_STATUS_CONCAT_(result_, __COUNTER__), lhs, expr)
#define ANDING_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).status();      \
  lhs = std::move(tmp).value()
