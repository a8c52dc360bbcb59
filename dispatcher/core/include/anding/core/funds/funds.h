// The reserve funds (备用金) of design §2.7: a double-entry book of
// accounts in integer fen with two-phase holds, reserve quotas,
// low-balance alerts, and per-incident costs tied to dispatch.
//
//  * Transfers move money between two accounts. Each has an id chosen by
//    the caller: repeating a command with the same id and the same content
//    returns the original record and changes nothing (Effects untouched);
//    the same id with different content is AlreadyExists. Content is what
//    the money does (accounts, amount, code, reason, incident, hold,
//    reversal, expense); who retried and when are not content. Transfers,
//    holds and expenses share one id space.
//  * No account but the external source ever has available < 0, and no
//    account with a quota ever has a balance above it.
//  * Holds reserve money on a pool or reserve account. A hold may be posted
//    several times (one post per expense report, say) until its whole
//    amount is used; it is then kPosted. Voiding releases what was not
//    posted. Once `now` reaches expires_at the hold can no longer be posted
//    or voided (FailedPrecondition) and Tick marks it kExpired, releasing
//    the rest; available counts it as reserved until then.
//  * A confirmed dispatch holds the estimated cost on the responding unit's
//    reserve; if the reserve cannot cover it the dispatch still goes out
//    (people first): what is available is held and HQ is alerted and asked
//    for a top-up of the shortfall from the company pool.
//
// Commands follow dispatcher/core/README.md: `Result<T> Method(const
// Request&, const Actor& who, Time now, Effects& out)`. Validation happens
// in the order each method's comment lists, so the first error wins; on any
// error the state and `out` are untouched. On success every record written
// is in out.changed (kinds in records.h) and a FeedNotice describes it.
//
// Thread-safety: none; one thread (the dispatcher's strand) owns a Funds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/funds/config.h"
#include "anding/core/funds/records.h"

namespace anding::core::funds {

// Money from one account to another (operator `anding funds transfer`).
struct TransferRequest {
  std::string id;
  std::string debit_account_id;   // from
  std::string credit_account_id;  // to
  int64_t amount_fen = 0;
  std::string code;
  std::string reason;
  std::string incident_id;  // optional
};

// Money from the company pool to a unit's reserve (`anding funds top-up`).
struct TopUpRequest {
  std::string id;
  std::string unit_id;
  int64_t amount_fen = 0;
  std::string reason;
  std::string incident_id;  // optional: the incident that needed it
};

// A correcting transfer: moves `amount_fen` of `original_id` back, from its
// credit account to its debit account (`anding funds reverse`).
struct ReversalRequest {
  std::string id;
  std::string original_id;
  int64_t amount_fen = 0;  // up to what is not yet reversed of the original
  std::string reason;
};

struct QuotaRequest {
  std::string account_id;            // a reserve
  std::optional<int64_t> quota_fen;  // nullopt = no quota
  std::string reason;
};

struct HoldRequest {
  std::string id;
  std::string account_id;  // a pool or reserve account
  int64_t amount_fen = 0;
  std::string code;
  std::string reason;
  std::string incident_id;          // optional; expense reports use it
  std::optional<Duration> timeout;  // default FundsConfig::hold_timeout
};

struct PostRequest {
  std::string id;  // id of the transfer the post makes
  std::string hold_id;
  std::string credit_account_id;  // where the money goes
  int64_t amount_fen = 0;         // up to the hold's remaining amount
  std::string code;
  std::string reason;
};

struct VoidRequest {
  std::string hold_id;
  std::string reason;  // optional
};

// An ExpenseReport from a unit's agent (funds.proto).
struct ExpenseRequest {
  std::string id;  // the envelope's message_id
  std::string incident_id;
  std::string unit_id;  // the unit bound to the agent's key
  int64_t amount_fen = 0;
  std::string code;
  std::string reason;
  std::string voucher;
};

class Funds {
 public:
  // Rebuilds the module from what the repository loaded (an empty state for
  // a new book). Indexes the records and checks them: ids must be unique,
  // the pending amounts must equal the pending holds' remainders, no
  // account may break its limits and the balances must sum to zero. For
  // the whole book (held_since unset) also: the running totals must equal
  // the fold of every transfer, and every reference must resolve. DataLoss
  // names the first mismatch.
  [[nodiscard]] static Result<Funds> Restore(FundsConfig config, FundsState loaded);

  // Adds records read from the store by id to a partial book (the shell
  // reads what a command names before running it: an old transfer a retry
  // repeats or a reversal names, with its reversals; a closed hold; an
  // expense report; an incident's estimates). Records already held are
  // kept as they are. The records must be stored ones: they are not
  // checked against the totals.
  void Recall(FundsState found);

  // Brings the accounts in line with the configuration and makes the
  // opening balances; call on every start, after Restore. Creates missing
  // accounts (external, pool, each configured reserve, each expense code)
  // and updates names and low-balance thresholds. A reserve's quota follows
  // the configuration until an operator changes it with SetQuota; after
  // that the stored quota wins and a differing configured value raises an
  // info alert "funds_config_drift". Opening balances are transfers from the
  // external source with their configured ids: already made ones are no-ops.
  // Errors (an opening balance whose id was used with other content, or
  // that would break a quota) leave the state and `out` untouched.
  [[nodiscard]] Status ApplyConfig(Time now, Effects& out);

  // ---- the book ----

  // Validation order: id syntax (InvalidArgument); id already used: same
  // content returns the original, else AlreadyExists; amount 1..kMaxAmountFen,
  // code syntax, non-empty reason, distinct accounts, incident id syntax
  // (InvalidArgument); unknown account (NotFound); debit's available below
  // the amount (FailedPrecondition, "overdraft"); credit's balance plus the
  // amount above its quota (FailedPrecondition, "over quota").
  [[nodiscard]] Result<Transfer> CreateTransfer(const TransferRequest& request, const Actor& who,
                                                Time now, Effects& out);

  // A transfer from the pool to reserve/<unit_id> with code "top_up";
  // validated as CreateTransfer (an unknown unit or a unit without a
  // reserve is NotFound).
  [[nodiscard]] Result<Transfer> TopUp(const TopUpRequest& request, const Actor& who, Time now,
                                       Effects& out);

  // A transfer with code "reversal" and reverses_id = original_id, in the
  // opposite direction, keeping the original's incident. Validation: id
  // syntax; id already used; amount and reason (InvalidArgument); original
  // unknown (NotFound); original is itself a reversal (InvalidArgument);
  // amount above what is not yet reversed of it, overdraft or over quota
  // (FailedPrecondition).
  [[nodiscard]] Result<Transfer> Reverse(const ReversalRequest& request, const Actor& who, Time now,
                                         Effects& out);

  // Changes a reserve's quota and records a QuotaChange. Validation: quota
  // negative or above kMaxAmountFen, empty reason (InvalidArgument); unknown
  // account (NotFound); not a reserve (InvalidArgument); balance above the
  // new quota (FailedPrecondition: move money back to the pool first).
  // Setting the quota it already has changes nothing.
  [[nodiscard]] Result<Account> SetQuota(const QuotaRequest& request, const Actor& who, Time now,
                                         Effects& out);

  // Reserves money. Validation: id syntax; id already used (same content,
  // including the resolved timeout, returns the hold as it is now); amount,
  // code, reason, incident id syntax, timeout <= 0 (InvalidArgument); unknown
  // account (NotFound); not a pool or reserve (InvalidArgument); available
  // below the amount (FailedPrecondition).
  [[nodiscard]] Result<Hold> PlaceHold(const HoldRequest& request, const Actor& who, Time now,
                                       Effects& out);

  // Posts part or all of a pending hold as a transfer from the hold's
  // account to `credit_account_id` (hold_id set, incident copied from the
  // hold). Validation: id syntax; id already used; amount, code, reason
  // (InvalidArgument); unknown hold or credit account (NotFound); credit
  // account is the hold's own (InvalidArgument); hold not pending (posted,
  // voided or expired) or past expires_at, amount above its remaining,
  // credit over quota (FailedPrecondition).
  [[nodiscard]] Result<Transfer> PostHold(const PostRequest& request, const Actor& who, Time now,
                                          Effects& out);

  // Releases what a pending hold has not posted. Voiding a voided hold
  // returns it unchanged (a retry). Validation: reason over 1000 bytes
  // (InvalidArgument); unknown hold (NotFound); hold fully posted or
  // expired, or past expires_at (FailedPrecondition).
  [[nodiscard]] Result<Hold> VoidHold(const VoidRequest& request, const Actor& who, Time now,
                                      Effects& out);

  // ---- tied to incidents ----

  // Pays an expense report. The amount is posted against the pending,
  // unexpired holds of the incident on the unit's reserve, oldest first
  // (one transfer "<id>/1", "<id>/2", ... per hold used); what exceeds them
  // is paid directly from the reserve ("<id>/direct") if its available
  // balance covers it, and otherwise the whole report is refused
  // (FailedPrecondition, naming the shortfall: top up first) and nothing is
  // paid. Money goes to expense/<code>. Validation: id syntax; id already
  // used (same content returns the original); amount, code syntax, incident
  // id, reason or voucher over 1000 bytes (InvalidArgument); unknown expense
  // code (InvalidArgument); unit without a reserve (NotFound); then the
  // payment rule above.
  [[nodiscard]] Result<Expense> RecordExpense(const ExpenseRequest& request, const Actor& who,
                                              Time now, Effects& out);

  // Estimates the dispatch's cost from the rates and holds it on the
  // responding unit's reserve (hold and Estimate id
  // "dispatch/<incident>/<unit>/<n>", n = 1, 2, ... per dispatch of that
  // unit to that incident). Never fails: if the reserve's available
  // balance is short, it holds what is available and raises HqAlerts
  // "reserve_insufficient" and "top_up_request" (the shortfall, from the
  // pool) plus a FeedNotice "funds_top_up_request"; a unit without a reserve
  // raises "reserve_missing". Each call is a dispatch: the shell must not
  // deliver one event twice.
  void OnDispatchConfirmed(const DispatchConfirmed& event, Time now, Effects& out);
  // Voids the pending holds its confirmed dispatches placed on the unit's
  // reserve for the incident (the remainder returns to the reserve); holds
  // an operator placed for the incident stay. The unit has at most one
  // assignment per incident at a time, so these are the cancelled one's.
  void OnDispatchCancelled(const DispatchCancelled& event, Time now, Effects& out);
  // Both void every pending hold of the incident (the remainder returns to
  // the reserves). Holds already past expires_at are left to Tick. Expenses
  // reported later are paid directly from the reserve.
  void OnIncidentSettled(const IncidentSettled& event, Time now, Effects& out);
  void OnIncidentClosed(const IncidentClosed& event, Time now, Effects& out);
  // The same for an incident cancelled as reported in error.
  void OnIncidentCancelled(const IncidentCancelled& event, Time now, Effects& out);
  // Routes any DomainEvent to the handlers above.
  void OnEvent(const DomainEvent& event, Time now, Effects& out);

  // ---- timers ----

  // The earliest expires_at of a pending hold; nullopt when none.
  [[nodiscard]] std::optional<Time> NextWakeup() const;
  // Expires every pending hold with expires_at <= now (closed_at =
  // expires_at), in expiry order. Expired holds are recorded as such, so a
  // restart followed by Tick expires nothing twice.
  void Tick(Time now, Effects& out);

  // ---- reads (for reports, the dashboard and the CLI) ----

  [[nodiscard]] const FundsState& state() const { return state_; }
  [[nodiscard]] const FundsConfig& config() const { return config_; }
  [[nodiscard]] const Account* FindAccount(std::string_view id) const;
  [[nodiscard]] const Transfer* FindTransfer(std::string_view id) const;
  [[nodiscard]] const Hold* FindHold(std::string_view id) const;
  [[nodiscard]] const Expense* FindExpense(std::string_view id) const;
  // Pending holds, oldest first.
  [[nodiscard]] std::vector<const Hold*> PendingHolds() const;
  // How much of a transfer later reversals have moved back (of those held).
  [[nodiscard]] int64_t ReversedFen(std::string_view transfer_id) const;
  // OK if the checks of Restore hold for what is held now; Internal naming
  // the first account that differs otherwise. O(records held).
  [[nodiscard]] Status VerifyBalances() const;

  // Copies of the records named in `changed` (refs of other modules
  // ignored, duplicates copied once) as they are now, for the repository
  // (store::SaveFundsChanges). `changed` may span several commands; take
  // the copy on the owning thread before the next command runs and hand it
  // to the commit thread. Internal if a ref names a funds record this Funds
  // does not hold (Effects of another instance: a bug in the caller).
  [[nodiscard]] Result<FundsChangeSet> Changes(const std::vector<RecordRef>& changed) const;

 private:
  Funds() = default;
  Status Index();
  // Index the record at `index` of its vector in state_.
  void IndexHold(size_t index);
  void IndexTransfer(size_t index);
  void IndexEstimate(size_t index);

  // AlreadyExists if a transfer, hold or expense already uses `id`.
  [[nodiscard]] Status CheckIdFree(std::string_view id) const;
  // Whether `debit` can pay `amount` (available, no overflow).
  [[nodiscard]] Status CheckDebit(const Account& debit, int64_t amount) const;
  // Whether `credit` can take `amount` (quota, no overflow).
  [[nodiscard]] Status CheckCredit(const Account& credit, int64_t amount) const;
  // Whether the hold may still be posted or voided at `now`.
  [[nodiscard]] Status CheckHoldUsable(const Hold& hold, Time now) const;

  // Appliers: the caller has validated; these cannot fail.
  Transfer AppendTransfer(Transfer transfer, Effects& out);
  Hold AppendHold(Hold hold, Effects& out);
  Transfer PostFromHold(Hold& hold, Transfer transfer, const Actor& who, Time now, Effects& out);
  void CloseHold(Hold& hold, HoldState state, Time at, const Actor& who, std::string reason,
                 Effects& out);
  void CheckLowBalance(std::string_view account_id, Effects& out);
  void MarkChanged(std::string_view kind, std::string_view id, Effects& out) const;
  // Voids the incident's usable holds whose id starts with `id_prefix`
  // (all of them when it is empty).
  void VoidIncidentHolds(const std::string& incident_id, std::string_view id_prefix,
                         std::string_view why, Time now, Effects& out);
  Account& CreateAccount(Account account, Effects& out);

  FundsConfig config_;
  FundsState state_;
  int64_t next_sequence_ = 1;
  std::unordered_map<std::string, size_t> transfer_index_;
  std::unordered_map<std::string, size_t> hold_index_;
  std::unordered_map<std::string, size_t> expense_index_;
  std::unordered_map<std::string, size_t> estimate_index_;
  std::unordered_map<std::string, int64_t> reversed_fen_;
  // Pending holds by (expires_at, sequence) -> index in state_.holds.
  std::map<std::pair<Time, int64_t>, size_t> pending_by_expiry_;
  // Holds of each incident (all states), in sequence order.
  std::unordered_map<std::string, std::vector<size_t>> incident_holds_;
  // Dispatches per "<incident>\n<unit>", for estimate ids.
  std::unordered_map<std::string, int64_t> dispatch_count_;
};

}  // namespace anding::core::funds
