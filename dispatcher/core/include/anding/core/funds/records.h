// The records of the reserve-fund book (备用金, design §2.7): accounts,
// transfers, holds (two-phase transfers), expense reports, dispatch cost
// estimates and quota changes. Plain values: the Funds module
// (anding/core/funds/funds.h) owns them and keeps them consistent; the funds
// repository (anding/store/funds_repository.h) persists them.
//
// Money is an integer count of fen (分), never a float. Every transfer moves
// `amount_fen` from its debit account to its credit account, so the balances
// of all accounts always sum to zero; the external funding source is the only
// account whose balance goes negative (it is where money comes from).
//
// Thread-safety: values; safe to copy between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/limits.h"
#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"

namespace anding::core::funds {

// The largest amount one transfer, hold or expense may carry (¥10 亿):
// shared with the edge, which refuses larger amounts before they get here.
using limits::kMaxAmountFen;

enum class AccountKind {
  kExternal,  // the funding source outside the book (group finance)
  kPool,      // the company's reserve pool (公司备用金)
  kReserve,   // one unit's reserve fund, with a quota (备用金额度)
  kExpense,   // where spent money goes, one account per expense code
};

// "external", "pool", "reserve", "expense".
[[nodiscard]] std::string_view AccountKindName(AccountKind kind);
[[nodiscard]] std::optional<AccountKind> ParseAccountKind(std::string_view name);

// Account ids are derived, so every part of the system can name them.
inline constexpr std::string_view kExternalAccountId = "external";
inline constexpr std::string_view kPoolAccountId = "pool";
// "reserve/mine-3".
[[nodiscard]] std::string ReserveAccountId(std::string_view unit_id);
// "expense/transport".
[[nodiscard]] std::string ExpenseAccountId(std::string_view code);

struct Account {
  std::string id;
  AccountKind kind = AccountKind::kReserve;
  std::string name;          // "三矿备用金", UTF-8
  std::string unit_id;       // reserves only
  std::string expense_code;  // expense accounts only
  // Upper bound on the balance (reserves); nullopt = none.
  std::optional<int64_t> quota_fen;
  // An HqAlert "low_balance" is raised when available_fen() falls below
  // this (0 = never), once per crossing: `low_balance_alerted` latches
  // until available is back at or above the threshold.
  int64_t low_balance_fen = 0;
  bool low_balance_alerted = false;

  // Running totals, always equal to the fold of the transfers and holds
  // (Funds::VerifyBalances checks it).
  int64_t debits_posted_fen = 0;   // money that left
  int64_t credits_posted_fen = 0;  // money that arrived
  int64_t debits_pending_fen = 0;  // remaining amount of pending holds

  [[nodiscard]] int64_t balance_fen() const { return credits_posted_fen - debits_posted_fen; }
  // What may still be spent or held: balance minus pending holds.
  [[nodiscard]] int64_t available_fen() const { return balance_fen() - debits_pending_fen; }
  // Every account but the external source must keep available_fen() >= 0.
  [[nodiscard]] bool may_go_negative() const { return kind == AccountKind::kExternal; }

  friend bool operator==(const Account&, const Account&) = default;
};

// One movement of money. Immutable once made: a mistake is corrected by a
// new transfer that reverses it (reverses_id), never by editing.
struct Transfer {
  std::string id;        // chosen by the caller (derived for expense parts)
  int64_t sequence = 0;  // position in the book, shared by all records
  std::string debit_account_id;
  std::string credit_account_id;
  int64_t amount_fen = 0;   // > 0
  std::string code;         // "top_up", "opening", "transport", "reversal", ...
  std::string reason;       // why, UTF-8
  std::string incident_id;  // optional
  std::string hold_id;      // set when this posts (part of) a hold
  std::string reverses_id;  // set when this corrects an earlier transfer
  std::string expense_id;   // set when this is (part of) an expense report
  Actor actor;
  Time at{};

  friend bool operator==(const Transfer&, const Transfer&) = default;
};

enum class HoldState {
  kPending,  // money is reserved; may be posted (in parts) or voided
  kPosted,   // the whole amount has been posted
  kVoided,   // released by a person or by settling/closing the incident
  kExpired,  // released by its timeout (Funds::Tick)
};

// "pending", "posted", "voided", "expired".
[[nodiscard]] std::string_view HoldStateName(HoldState state);
[[nodiscard]] std::optional<HoldState> ParseHoldState(std::string_view name);

// A two-phase transfer: money reserved on `account_id`, to be posted later
// in one or more parts (each a Transfer with hold_id = id), and released when
// voided or expired. A hold posted or voided is never reopened.
struct Hold {
  std::string id;
  int64_t sequence = 0;
  std::string account_id;
  int64_t amount_fen = 0;  // reserved when placed, > 0
  int64_t posted_fen = 0;  // sum of its posts so far
  HoldState state = HoldState::kPending;
  std::string code;
  std::string reason;
  std::string incident_id;
  Actor actor;
  Time created_at{};
  Time expires_at{};
  std::optional<Time> closed_at;  // when it left kPending
  std::optional<Actor> closed_by;
  std::string close_reason;

  // The part still reserved: amount - posted while pending, else 0.
  [[nodiscard]] int64_t remaining_fen() const {
    return state == HoldState::kPending ? amount_fen - posted_fen : 0;
  }
  // Reserved but never posted, once the hold is voided or expired.
  [[nodiscard]] int64_t released_fen() const {
    return state == HoldState::kVoided || state == HoldState::kExpired ? amount_fen - posted_fen
                                                                       : 0;
  }

  friend bool operator==(const Hold&, const Hold&) = default;
};

// An expense a unit reported (from its agent) for an incident. Paid by one
// or more transfers whose expense_id is this id: first from the incident's
// pending holds on the unit's reserve, the rest directly from the reserve.
struct Expense {
  std::string id;  // the agent's message id
  int64_t sequence = 0;
  std::string incident_id;
  std::string unit_id;
  int64_t amount_fen = 0;
  std::string code;  // expense code: "transport", "lodging", ...
  std::string reason;
  std::string voucher;  // the unit's receipt number, for audit
  Actor actor;
  Time at{};
  int64_t held_fen = 0;    // part posted against holds
  int64_t direct_fen = 0;  // part paid directly from the reserve

  friend bool operator==(const Expense&, const Expense&) = default;
};

// What a confirmed dispatch was estimated to cost, how it was computed and
// how much of it the responding unit's reserve could hold.
struct Estimate {
  std::string id;  // "dispatch/<incident>/<unit>/<n>"; also its hold's id
  int64_t sequence = 0;
  std::string incident_id;
  std::string unit_id;
  std::string destination_region;
  RegionKind destination_kind = RegionKind::kOther;
  int64_t people = 0;
  int64_t vehicles = 0;
  int64_t distance_m = 0;  // one way
  int64_t days = 0;
  int64_t person_cost_fen = 0;
  int64_t vehicle_cost_fen = 0;
  int64_t estimated_fen = 0;  // person + vehicle cost
  int64_t held_fen = 0;       // the hold placed (0 = none)
  int64_t shortfall_fen = 0;  // estimated - held: the top-up requested
  std::string hold_id;        // empty when no hold was placed
  Time at{};

  friend bool operator==(const Estimate&, const Estimate&) = default;
};

// A change of an account's quota, for audit.
struct QuotaChange {
  std::string id;  // "quota/<account>/<n>"
  int64_t sequence = 0;
  std::string account_id;
  std::optional<int64_t> old_quota_fen;
  std::optional<int64_t> new_quota_fen;
  std::string reason;
  Actor actor;
  Time at{};

  friend bool operator==(const QuotaChange&, const QuotaChange&) = default;
};

// Everything the module owns: what the repository loads and saves. Either
// the whole book, or (held_since set) the part a running dispatcher keeps:
// every account with its running totals, every pending hold and quota
// change, and the transfers, expenses, estimates and closed holds from
// held_since on. Older records are read by id when a command names them
// (Funds::Recall); reports read what they cover from the store.
struct FundsState {
  std::map<std::string, Account, std::less<>> accounts;  // by id
  // Each in sequence order.
  std::vector<Transfer> transfers;
  std::vector<Hold> holds;
  std::vector<Expense> expenses;
  std::vector<Estimate> estimates;
  std::vector<QuotaChange> quota_changes;
  // nullopt: the whole book.
  std::optional<Time> held_since;
  // The highest sequence number in the whole book (0 for none), so that a
  // partial state never hands one out twice.
  int64_t last_sequence = 0;

  friend bool operator==(const FundsState&, const FundsState&) = default;
};

// Copies of the records one or more commands changed (Funds::Changes), each
// kind in sequence order; the repository writes them in book order.
// Snapshots let the shell hand writes to its commit thread, which must not
// read the live Funds, and batch many commands into one transaction.
struct FundsChangeSet {
  std::vector<Account> accounts;
  std::vector<Hold> holds;
  std::vector<Estimate> estimates;
  std::vector<Expense> expenses;
  std::vector<Transfer> transfers;
  std::vector<QuotaChange> quota_changes;

  [[nodiscard]] bool empty() const {
    return accounts.empty() && holds.empty() && estimates.empty() && expenses.empty() &&
           transfers.empty() && quota_changes.empty();
  }
};

// RecordRef kinds the module lists in Effects::changed.
inline constexpr std::string_view kAccountRecord = "funds_account";
inline constexpr std::string_view kTransferRecord = "funds_transfer";
inline constexpr std::string_view kHoldRecord = "funds_hold";
inline constexpr std::string_view kExpenseRecord = "funds_expense";
inline constexpr std::string_view kEstimateRecord = "funds_estimate";
inline constexpr std::string_view kQuotaChangeRecord = "funds_quota_change";

// Ids chosen by callers (transfers, holds, expenses, opening balances): 1–128
// characters of A–Z a–z 0–9 and "-_.:@". A '/' is reserved for ids the module
// derives ("dispatch/...", "<expense>/1"), so the two never collide.
[[nodiscard]] bool IsValidCallerId(std::string_view id);
// Transfer and expense codes: 1–64 characters of a–z 0–9 and "_-.:".
[[nodiscard]] bool IsValidCode(std::string_view code);

// "1,234.56" (yuan, two decimals, thousands separated); "-0.05" for -5.
[[nodiscard]] std::string FormatFen(int64_t fen);
// "1234.56", "1,234.5", "12" (yuan) to fen, exactly, without floating point.
// InvalidArgument for more than two decimals, signs, or values above
// kMaxAmountFen.
[[nodiscard]] Result<int64_t> ParseYuan(std::string_view text);

}  // namespace anding::core::funds
