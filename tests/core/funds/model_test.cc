// A seeded model-based test of the reserve-fund book.
//
// At least 100,000 random operations (transfers, top-ups, holds, partial
// posts, voids, expiries through Tick, reversals, quota changes, dispatch
// holds, expense reports, settlements, retries with the same id, conflicting
// reuse of an id, bad input, and restarts from the store) run against the
// Funds module and against the small independent reference model below,
// which is written from the contracts in funds.h, not from the code.
//
// After every step: the status code equals the model's; a refused command
// or a replayed id left effects empty and the record counts unchanged; every
// account's balance, pending amount, quota and low-balance latch equal the
// model's; total debits equal total credits and balances sum to zero; no
// account but the external source has available < 0 and no reserve is above
// its quota; each hold the step touched has the model's state and posted
// amount (so no hold is posted or voided twice); low-balance alerts fire
// exactly on the model's crossings.
//
// Every change set is snapshotted right after its command, as the shell
// does, and written through the repository to a SQLite file in a temporary
// directory in batches of kSaveEvery steps (one transaction each). Every
// kRestartEvery steps the module is rebuilt from that file: the reloaded
// state must equal the state before, the fold must match the running
// totals, every hold and transfer must match the model, and ApplyConfig on
// the restart must change nothing. Restarting every step would cost O(n^2)
// reads, hence the interval.
//
// ANDING_FUNDS_MODEL_SEED and ANDING_FUNDS_MODEL_STEPS override the seed and
// the number of steps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <variant>

#include "anding/common/strings.h"
#include "anding/storage/database.h"
#include "anding/store/funds_repository.h"
#include "core/funds/funds_fixtures.h"

namespace anding::core::funds {
namespace {

using testing::At;
using testing::CountAlerts;
using testing::MakeConfig;

constexpr int kSaveEvery = 500;
constexpr int kRestartEvery = 5000;

// ---- the reference model ------------------------------------------------

class Model {
 public:
  struct Acc {
    AccountKind kind = AccountKind::kReserve;
    std::optional<int64_t> quota;
    int64_t balance = 0;
    int64_t pending = 0;
    int64_t threshold = 0;
    bool latched = false;
  };
  struct H {
    std::string account;
    int64_t amount = 0;
    int64_t posted = 0;
    HoldState state = HoldState::kPending;
    Time expires{};
    Duration timeout{};
    std::string incident, code, reason;
  };
  struct T {
    std::string debit, credit;
    int64_t amount = 0;
    std::string code, reason, incident, hold, reverses, expense;
  };
  struct E {
    std::string incident, unit;
    int64_t amount = 0;
    std::string code, reason, voucher;
  };

  // The state MakeConfig() + ApplyConfig produce, written out by hand.
  Model() {
    acc_["external"] = {AccountKind::kExternal, std::nullopt, -103'000'000, 0, 0, false};
    acc_["pool"] = {AccountKind::kPool, std::nullopt, 100'000'000, 0, 0, false};
    acc_["reserve/mine-1"] = {AccountKind::kReserve, 5'000'000, 3'000'000, 0, 1'000'000, false};
    acc_["reserve/mine-2"] = {AccountKind::kReserve, 2'000'000, 0, 0, 500'000, true};
    acc_["reserve/zz-office"] = {AccountKind::kReserve, std::nullopt, 0, 0, 0, false};
    for (const char* code : {"transport", "lodging", "meals", "other"}) {
      acc_[StrCat("expense/", code)] = {AccountKind::kExpense, std::nullopt, 0, 0, 0, false};
    }
    transfers_["open-pool"] = {"external", "pool", 100'000'000, "opening", "2026 年度拨款",
                               "",         "",     "",          ""};
    transfers_["open-mine-1"] = {
        "external", "reserve/mine-1", 3'000'000, "opening", "期初余额", "", "", "", ""};
  }

  // What the last command did, for the checks.
  bool replay = false;
  int low_balance_crossings = 0;
  int expired = 0;
  int insufficient = 0;
  std::set<std::string> touched_holds;

  void BeginStep() {
    replay = false;
    low_balance_crossings = 0;
    expired = 0;
    insufficient = 0;
    touched_holds.clear();
  }

  StatusCode Transfer(const TransferRequest& r) {
    if (!ValidId(r.id)) return StatusCode::kInvalidArgument;
    if (auto it = transfers_.find(r.id); it != transfers_.end()) {
      const T& t = it->second;
      if (t.debit == r.debit_account_id && t.credit == r.credit_account_id &&
          t.amount == r.amount_fen && t.code == r.code && t.reason == r.reason &&
          t.incident == r.incident_id && t.hold.empty() && t.reverses.empty() &&
          t.expense.empty()) {
        replay = true;
        return StatusCode::kOk;
      }
      return StatusCode::kAlreadyExists;
    }
    if (IdTaken(r.id)) return StatusCode::kAlreadyExists;
    if (!ValidAmount(r.amount_fen) || !ValidCode(r.code) || r.reason.empty() ||
        r.debit_account_id == r.credit_account_id) {
      return StatusCode::kInvalidArgument;
    }
    if (!acc_.contains(r.debit_account_id) || !acc_.contains(r.credit_account_id)) {
      return StatusCode::kNotFound;
    }
    if (!CanDebit(r.debit_account_id, r.amount_fen) ||
        !CanCredit(r.credit_account_id, r.amount_fen)) {
      return StatusCode::kFailedPrecondition;
    }
    Move(r.debit_account_id, r.credit_account_id, r.amount_fen);
    transfers_[r.id] = {r.debit_account_id,
                        r.credit_account_id,
                        r.amount_fen,
                        r.code,
                        r.reason,
                        r.incident_id,
                        "",
                        "",
                        ""};
    return StatusCode::kOk;
  }

  StatusCode Reverse(const ReversalRequest& r) {
    if (!ValidId(r.id)) return StatusCode::kInvalidArgument;
    if (auto it = transfers_.find(r.id); it != transfers_.end()) {
      const T& t = it->second;
      if (t.reverses == r.original_id && t.amount == r.amount_fen && t.reason == r.reason &&
          t.code == "reversal") {
        replay = true;
        return StatusCode::kOk;
      }
      return StatusCode::kAlreadyExists;
    }
    if (IdTaken(r.id)) return StatusCode::kAlreadyExists;
    if (!ValidAmount(r.amount_fen) || r.reason.empty()) return StatusCode::kInvalidArgument;
    auto original = transfers_.find(r.original_id);
    if (original == transfers_.end()) return StatusCode::kNotFound;
    const T o = original->second;
    if (!o.reverses.empty()) return StatusCode::kInvalidArgument;
    if (r.amount_fen > o.amount - reversed_[r.original_id]) return StatusCode::kFailedPrecondition;
    if (!CanDebit(o.credit, r.amount_fen) || !CanCredit(o.debit, r.amount_fen)) {
      return StatusCode::kFailedPrecondition;
    }
    Move(o.credit, o.debit, r.amount_fen);
    reversed_[r.original_id] += r.amount_fen;
    transfers_[r.id] = {o.credit,   o.debit, r.amount_fen,  "reversal", r.reason,
                        o.incident, "",      r.original_id, ""};
    return StatusCode::kOk;
  }

  StatusCode SetQuota(const QuotaRequest& r) {
    if (r.quota_fen && (*r.quota_fen < 0 || *r.quota_fen > kMaxAmountFen)) {
      return StatusCode::kInvalidArgument;
    }
    if (r.reason.empty()) return StatusCode::kInvalidArgument;
    auto it = acc_.find(r.account_id);
    if (it == acc_.end()) return StatusCode::kNotFound;
    if (it->second.kind != AccountKind::kReserve) return StatusCode::kInvalidArgument;
    if (it->second.quota == r.quota_fen) {
      replay = true;  // nothing to change
      return StatusCode::kOk;
    }
    if (r.quota_fen && it->second.balance > *r.quota_fen) return StatusCode::kFailedPrecondition;
    it->second.quota = r.quota_fen;
    return StatusCode::kOk;
  }

  StatusCode PlaceHold(const HoldRequest& r, Duration default_timeout, Time now) {
    if (!ValidId(r.id)) return StatusCode::kInvalidArgument;
    const Duration timeout = r.timeout.value_or(default_timeout);
    if (auto it = holds_.find(r.id); it != holds_.end()) {
      const H& h = it->second;
      if (h.account == r.account_id && h.amount == r.amount_fen && h.code == r.code &&
          h.reason == r.reason && h.incident == r.incident_id && h.timeout == timeout) {
        replay = true;
        return StatusCode::kOk;
      }
      return StatusCode::kAlreadyExists;
    }
    if (IdTaken(r.id)) return StatusCode::kAlreadyExists;
    if (!ValidAmount(r.amount_fen) || !ValidCode(r.code) || r.reason.empty() ||
        timeout <= Duration::zero()) {
      return StatusCode::kInvalidArgument;
    }
    auto it = acc_.find(r.account_id);
    if (it == acc_.end()) return StatusCode::kNotFound;
    if (it->second.kind != AccountKind::kPool && it->second.kind != AccountKind::kReserve) {
      return StatusCode::kInvalidArgument;
    }
    if (!CanDebit(r.account_id, r.amount_fen)) return StatusCode::kFailedPrecondition;
    AddHold(r.id, r.account_id, r.amount_fen, r.code, r.reason, r.incident_id, timeout, now);
    return StatusCode::kOk;
  }

  StatusCode Post(const PostRequest& r, Time now) {
    if (!ValidId(r.id)) return StatusCode::kInvalidArgument;
    if (auto it = transfers_.find(r.id); it != transfers_.end()) {
      const T& t = it->second;
      if (t.hold == r.hold_id && t.credit == r.credit_account_id && t.amount == r.amount_fen &&
          t.code == r.code && t.reason == r.reason && t.expense.empty()) {
        replay = true;
        return StatusCode::kOk;
      }
      return StatusCode::kAlreadyExists;
    }
    if (IdTaken(r.id)) return StatusCode::kAlreadyExists;
    if (!ValidAmount(r.amount_fen) || !ValidCode(r.code) || r.reason.empty()) {
      return StatusCode::kInvalidArgument;
    }
    auto hold = holds_.find(r.hold_id);
    if (hold == holds_.end() || !acc_.contains(r.credit_account_id)) return StatusCode::kNotFound;
    H& h = hold->second;
    if (r.credit_account_id == h.account) return StatusCode::kInvalidArgument;
    if (h.state != HoldState::kPending || now >= h.expires || r.amount_fen > h.amount - h.posted ||
        !CanCredit(r.credit_account_id, r.amount_fen)) {
      return StatusCode::kFailedPrecondition;
    }
    PostPart(r.hold_id, r.credit_account_id, r.amount_fen, now);
    transfers_[r.id] = {h.account,  r.credit_account_id, r.amount_fen, r.code, r.reason,
                        h.incident, r.hold_id,           "",           ""};
    return StatusCode::kOk;
  }

  StatusCode Void(const VoidRequest& r, Time now) {
    auto hold = holds_.find(r.hold_id);
    if (hold == holds_.end()) return StatusCode::kNotFound;
    H& h = hold->second;
    if (h.state == HoldState::kVoided) {
      replay = true;  // voiding a voided hold is a retry
      return StatusCode::kOk;
    }
    if (h.state != HoldState::kPending || now >= h.expires) return StatusCode::kFailedPrecondition;
    Release(r.hold_id, HoldState::kVoided);
    return StatusCode::kOk;
  }

  void Tick(Time now) {
    std::vector<std::string> due;
    for (const std::string& id : pending_) {
      if (holds_.at(id).expires <= now) due.push_back(id);
    }
    for (const std::string& id : due) {
      Release(id, HoldState::kExpired);
      ++expired;
    }
  }

  StatusCode Expense(const ExpenseRequest& r, Time now) {
    if (!ValidId(r.id)) return StatusCode::kInvalidArgument;
    if (auto it = expenses_.find(r.id); it != expenses_.end()) {
      const E& e = it->second;
      if (e.incident == r.incident_id && e.unit == r.unit_id && e.amount == r.amount_fen &&
          e.code == r.code && e.reason == r.reason && e.voucher == r.voucher) {
        replay = true;
        return StatusCode::kOk;
      }
      return StatusCode::kAlreadyExists;
    }
    if (IdTaken(r.id)) return StatusCode::kAlreadyExists;
    if (!ValidAmount(r.amount_fen) || !ValidCode(r.code) || r.incident_id.empty()) {
      return StatusCode::kInvalidArgument;
    }
    const std::string expense_account = StrCat("expense/", r.code);
    if (!acc_.contains(expense_account)) return StatusCode::kInvalidArgument;
    const std::string reserve = StrCat("reserve/", r.unit_id);
    if (!acc_.contains(reserve)) return StatusCode::kNotFound;
    std::vector<std::pair<std::string, int64_t>> parts;
    int64_t left = r.amount_fen;
    for (const std::string& id : incident_holds_[r.incident_id]) {
      const H& h = holds_.at(id);
      if (left == 0 || h.account != reserve || h.state != HoldState::kPending || now >= h.expires) {
        continue;
      }
      const int64_t take = std::min(left, h.amount - h.posted);
      parts.emplace_back(id, take);
      left -= take;
    }
    if (left > 0 && !CanDebit(reserve, left)) return StatusCode::kFailedPrecondition;
    if (!CanCredit(expense_account, r.amount_fen)) return StatusCode::kFailedPrecondition;
    int n = 1;
    const std::string reason = r.reason.empty() ? StrCat("expense ", r.code) : r.reason;
    for (const auto& [hold_id, amount] : parts) {
      PostPart(hold_id, expense_account, amount, now);
      transfers_[StrCat(r.id, "/", n++)] = {reserve,       expense_account, amount, r.code, reason,
                                            r.incident_id, hold_id,         "",     r.id};
    }
    if (left > 0) {
      Move(reserve, expense_account, left);
      transfers_[StrCat(r.id, "/direct")] = {
          reserve, expense_account, left, r.code, reason, r.incident_id, "", "", r.id};
    }
    expenses_[r.id] = {r.incident_id, r.unit_id, r.amount_fen, r.code, r.reason, r.voucher};
    return StatusCode::kOk;
  }

  // Estimate from the rates in MakeConfig(), computed independently.
  void Dispatch(const DispatchConfirmed& d, int64_t distance_m, Time now) {
    static const std::map<RegionKind, std::pair<int64_t, int64_t>> kRates = {
        {RegionKind::kHomeCity, {10'000, 1}},
        {RegionKind::kProvincialCapital, {30'000, 2}},
        {RegionKind::kNationalCapital, {60'000, 3}},
        {RegionKind::kOther, {30'000, 2}}};
    const auto [per_day, days] = kRates.at(d.destination_kind);
    const int64_t km_cost = (300 * 2 * distance_m + 999) / 1000;
    const int64_t estimate = int64_t{d.people} * per_day * days + d.vehicles * (20'000 + km_cost);
    const std::string id = StrCat("dispatch/", d.incident_id, "/", d.unit_id, "/",
                                  ++dispatches_[d.incident_id + "|" + d.unit_id]);
    const std::string reserve = StrCat("reserve/", d.unit_id);
    int64_t held = 0;
    if (acc_.contains(reserve)) held = std::min(estimate, std::max<int64_t>(0, Available(reserve)));
    if (held > 0)
      AddHold(id, reserve, held, "dispatch", "", d.incident_id, std::chrono::days(14), now);
    if (acc_.contains(reserve) && estimate > held) ++insufficient;
  }

  // A settled or closed incident voids all its holds; a cancelled dispatch
  // those its unit's dispatches placed ("dispatch/<incident>/<unit>/").
  void Settle(const std::string& incident, Time now, const std::string& prefix = "") {
    for (const std::string& id : incident_holds_[incident]) {
      H& h = holds_.at(id);
      if (h.state == HoldState::kPending && now < h.expires && id.rfind(prefix, 0) == 0) {
        Release(id, HoldState::kVoided);
      }
    }
  }
  void CancelDispatch(const std::string& incident, const std::string& unit, Time now) {
    Settle(incident, now, StrCat("dispatch/", incident, "/", unit, "/"));
  }

  // After each successful step: which accounts crossed their threshold.
  void UpdateLatches() {
    for (auto& [id, a] : acc_) {
      const bool low = a.threshold > 0 && a.balance - a.pending < a.threshold;
      if (low && !a.latched) ++low_balance_crossings;
      a.latched = low;
    }
  }

  int64_t Available(const std::string& id) const {
    const Acc& a = acc_.at(id);
    return a.balance - a.pending;
  }

  const std::map<std::string, Acc>& accounts() const { return acc_; }
  const std::map<std::string, H>& holds() const { return holds_; }
  const std::map<std::string, T>& transfers() const { return transfers_; }

 private:
  static bool ValidId(const std::string& id) {
    return !id.empty() && id.find('/') == std::string::npos && id.find(' ') == std::string::npos;
  }
  static bool ValidCode(const std::string& code) {
    for (const char c : code) {
      if (c == ' ' || (c >= 'A' && c <= 'Z')) return false;
    }
    return !code.empty();
  }
  static bool ValidAmount(int64_t amount) { return amount > 0 && amount <= kMaxAmountFen; }
  bool IdTaken(const std::string& id) const {
    return transfers_.contains(id) || holds_.contains(id) || expenses_.contains(id);
  }
  bool CanDebit(const std::string& id, int64_t amount) const {
    const Acc& a = acc_.at(id);
    return a.kind == AccountKind::kExternal || a.balance - a.pending >= amount;
  }
  bool CanCredit(const std::string& id, int64_t amount) const {
    const Acc& a = acc_.at(id);
    return !a.quota || a.balance + amount <= *a.quota;
  }
  void Move(const std::string& from, const std::string& to, int64_t amount) {
    acc_.at(from).balance -= amount;
    acc_.at(to).balance += amount;
  }
  void AddHold(const std::string& id, const std::string& account, int64_t amount,
               const std::string& code, const std::string& reason, const std::string& incident,
               Duration timeout, Time now) {
    holds_[id] = {account,  amount, 0,     HoldState::kPending, now + timeout, timeout,
                  incident, code,   reason};
    acc_.at(account).pending += amount;
    pending_.insert(id);
    if (!incident.empty()) incident_holds_[incident].push_back(id);
    touched_holds.insert(id);
  }
  void PostPart(const std::string& hold_id, const std::string& credit, int64_t amount, Time) {
    H& h = holds_.at(hold_id);
    h.posted += amount;
    acc_.at(h.account).pending -= amount;
    Move(h.account, credit, amount);
    if (h.posted == h.amount) {
      h.state = HoldState::kPosted;
      pending_.erase(hold_id);
    }
    touched_holds.insert(hold_id);
  }
  void Release(const std::string& hold_id, HoldState state) {
    H& h = holds_.at(hold_id);
    acc_.at(h.account).pending -= h.amount - h.posted;
    h.state = state;
    pending_.erase(hold_id);
    touched_holds.insert(hold_id);
  }

  std::map<std::string, Acc> acc_;
  std::map<std::string, H> holds_;
  std::set<std::string> pending_;  // ids of pending holds
  std::map<std::string, std::vector<std::string>> incident_holds_;
  std::map<std::string, T> transfers_;
  std::map<std::string, E> expenses_;
  std::map<std::string, int64_t> reversed_;
  std::map<std::string, int64_t> dispatches_;
};

// ---- the driver ---------------------------------------------------------

using Request =
    std::variant<TransferRequest, ReversalRequest, HoldRequest, PostRequest, ExpenseRequest>;

int64_t EnvOr(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::strtoll(value, nullptr, 10);
}

class FundsModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / StrCat("anding_funds_model_", ::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

TEST_F(FundsModelTest, RandomOperationsAgreeWithTheModel) {
  const uint64_t seed = static_cast<uint64_t>(EnvOr("ANDING_FUNDS_MODEL_SEED", 20260518));
  const int64_t steps = EnvOr("ANDING_FUNDS_MODEL_STEPS", 100'000);
  std::mt19937_64 rng(seed);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  auto pick = [&](const auto& items) -> const auto& {
    return items[static_cast<size_t>(uniform(0, static_cast<int64_t>(items.size()) - 1))];
  };
  const std::vector<std::string> accounts = {"external",          "pool",
                                             "reserve/mine-1",    "reserve/mine-2",
                                             "reserve/zz-office", "expense/transport",
                                             "expense/lodging",   "expense/meals",
                                             "expense/other",     "ghost"};
  const std::vector<std::string> reserves = {"reserve/mine-1", "reserve/mine-2",
                                             "reserve/zz-office"};
  const std::vector<std::string> units = {"mine-1", "mine-2", "zz-office", "mine-9"};
  const std::vector<std::string> codes = {"transport", "lodging", "meals", "other"};
  // Incidents come and go: five are open at a time, and every 2,000 steps
  // the oldest gives way to a new one (older ones may still see late
  // expenses), so that no incident collects an unrealistic number of holds.
  int64_t step = 0;
  auto incident = [&]() { return StrCat("inc-", step / 2000 + uniform(0, 4)); };
  // Mostly recent holds and transfers: old ones are nearly all closed.
  auto recent = [&](const std::vector<std::string>& ids) -> const std::string& {
    const int64_t n = static_cast<int64_t>(ids.size());
    return ids[static_cast<size_t>(chance(0.7) ? uniform(std::max<int64_t>(0, n - 40), n - 1)
                                               : uniform(0, n - 1))];
  };
  const std::vector<Actor> actors = {Actor::Operator("zhang"), Actor::Operator("li"),
                                     Actor::Agent("mine-1"), Actor::System()};

  Time now = At("2026-01-01T08:00:00+08:00");
  auto db = storage::Database::Open((dir_ / "funds.db").string());
  ASSERT_TRUE(db.ok()) << db.status();
  db_ = std::move(db).value();
  // Restarts here test what is stored, not power loss: skip the fsyncs.
  ASSERT_TRUE(db_->Exec("PRAGMA synchronous = OFF").ok());
  ASSERT_TRUE(db_->Migrate("funds", store::FundsMigrations()).ok());

  auto restored = Funds::Restore(MakeConfig(), FundsState{});
  ASSERT_TRUE(restored.ok());
  Funds funds = std::move(restored).value();
  std::vector<FundsChangeSet> unsaved;
  {
    Effects out;
    ASSERT_TRUE(funds.ApplyConfig(now, out).ok());
    auto changes = funds.Changes(out.changed);
    ASSERT_TRUE(changes.ok()) << changes.status();
    unsaved.push_back(std::move(*changes));
  }
  Model model;
  std::vector<Request> made;  // successful, non-replayed requests
  std::vector<std::string> transfer_ids = {"open-pool", "open-mine-1"};
  std::vector<std::string> hold_ids;
  int64_t next_id = 1;
  auto fresh = [&](const char* prefix) { return StrCat(prefix, next_id++); };
  int64_t counts[8] = {};  // per outcome class, to show the mix was rich

  auto flush = [&]() -> Status {
    Status status = storage::InTransaction(*db_, [&]() -> Status {
      for (const auto& changes : unsaved) {
        ANDING_RETURN_IF_ERROR(store::SaveFundsChanges(*db_, changes));
      }
      return OkStatus();
    });
    unsaved.clear();
    return status;
  };

  auto issue = [&](const Request& request, const Actor& who, Effects& out) -> Status {
    return std::visit(
        [&](const auto& r) -> Status {
          using R = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<R, TransferRequest>) {
            return funds.CreateTransfer(r, who, now, out).status();
          } else if constexpr (std::is_same_v<R, ReversalRequest>) {
            return funds.Reverse(r, who, now, out).status();
          } else if constexpr (std::is_same_v<R, HoldRequest>) {
            return funds.PlaceHold(r, who, now, out).status();
          } else if constexpr (std::is_same_v<R, PostRequest>) {
            return funds.PostHold(r, who, now, out).status();
          } else {
            return funds.RecordExpense(r, who, now, out).status();
          }
        },
        request);
  };
  auto expect_of = [&](const Request& request) -> StatusCode {
    return std::visit(
        [&](const auto& r) -> StatusCode {
          using R = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<R, TransferRequest>) {
            return model.Transfer(r);
          } else if constexpr (std::is_same_v<R, ReversalRequest>) {
            return model.Reverse(r);
          } else if constexpr (std::is_same_v<R, HoldRequest>) {
            return model.PlaceHold(r, std::chrono::days(14), now);
          } else if constexpr (std::is_same_v<R, PostRequest>) {
            return model.Post(r, now);
          } else {
            return model.Expense(r, now);
          }
        },
        request);
  };
  auto remember = [&](const Request& request) {
    made.push_back(request);
    std::visit(
        [&](const auto& r) {
          using R = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<R, HoldRequest>) {
            hold_ids.push_back(r.id);
          } else if constexpr (std::is_same_v<R, ExpenseRequest>) {
            for (int k = 1; k <= 5; ++k) {
              if (funds.FindTransfer(StrCat(r.id, "/", k)))
                transfer_ids.push_back(StrCat(r.id, "/", k));
            }
            if (funds.FindTransfer(StrCat(r.id, "/direct")))
              transfer_ids.push_back(StrCat(r.id, "/direct"));
          } else {
            transfer_ids.push_back(r.id);
          }
        },
        request);
  };
  // Another request with the same id but different content.
  auto conflicting = [&](Request request) {
    const bool amount_differs = chance(0.5);
    std::visit(
        [&](auto& r) {
          if (amount_differs) {
            r.amount_fen += 1;
          } else {
            r.reason += "*";
          }
        },
        request);
    return request;
  };
  // Exactly at or one fen past what the account can pay or take.
  auto edge = [&](const std::string& debit, const std::string& credit) -> int64_t {
    const auto& accs = model.accounts();
    const int64_t past = uniform(0, 1);
    if (chance(0.5) && accs.contains(debit) && debit != "external") {
      return std::max<int64_t>(1, model.Available(debit) + past);
    }
    if (accs.contains(credit) && accs.at(credit).quota) {
      return std::max<int64_t>(1, *accs.at(credit).quota - accs.at(credit).balance + past);
    }
    return 1 + past;
  };
  auto amount = [&]() -> int64_t {
    if (chance(0.02)) return pick(std::vector<int64_t>{0, -1, kMaxAmountFen + 1});
    if (chance(0.1)) return uniform(1, 100);
    return uniform(1, 1'500'000);
  };

  auto check_hold = [&](const std::string& id) -> ::testing::AssertionResult {
    const Hold* h = funds.FindHold(id);
    const auto it = model.holds().find(id);
    if (h == nullptr || it == model.holds().end()) {
      return ::testing::AssertionFailure() << "hold " << id << " missing on one side";
    }
    if (h->state != it->second.state || h->posted_fen != it->second.posted ||
        h->amount_fen != it->second.amount || h->account_id != it->second.account) {
      return ::testing::AssertionFailure()
             << "hold " << id << ": book " << HoldStateName(h->state) << " posted " << h->posted_fen
             << "/" << h->amount_fen << ", model " << HoldStateName(it->second.state) << " posted "
             << it->second.posted << "/" << it->second.amount;
    }
    return ::testing::AssertionSuccess();
  };

  for (step = 1; step <= steps; ++step) {
    SCOPED_TRACE(StrCat("seed ", seed, " step ", step));
    model.BeginStep();
    const size_t transfers_before = funds.state().transfers.size();
    const size_t holds_before = funds.state().holds.size();
    const size_t expenses_before = funds.state().expenses.size();
    Effects out;
    Status status;
    StatusCode expected = StatusCode::kOk;
    bool reused_id = false;
    const Actor& who = pick(actors);
    if (chance(0.3)) now += Duration(uniform(0, 2LL * 3600 * 1'000'000));

    const int64_t op = uniform(0, 99);
    if (op < 14) {  // a transfer between any two accounts
      const std::string debit = pick(accounts);
      const std::string credit = pick(accounts);
      TransferRequest r{chance(0.01) ? "bad/id" : fresh("t"),
                        debit,
                        credit,
                        chance(0.1) ? edge(debit, credit) : amount(),
                        chance(0.01) ? "Bad Code" : "move",
                        chance(0.01) ? "" : "random transfer",
                        chance(0.3) ? incident() : ""};
      expected = model.Transfer(r);
      status = funds.CreateTransfer(r, who, now, out).status();
      if (status.ok() && !model.replay) remember(r);
    } else if (op < 22) {  // a top-up of a unit's reserve
      const std::string unit = pick(units);
      TopUpRequest r{fresh("tu"), unit,
                     chance(0.15) ? edge("pool", StrCat("reserve/", unit)) : amount(), "补充备用金",
                     ""};
      TransferRequest as_transfer{
          r.id, "pool", StrCat("reserve/", r.unit_id), r.amount_fen, "top_up", r.reason, ""};
      expected = model.Transfer(as_transfer);
      status = funds.TopUp(r, who, now, out).status();
      if (status.ok() && !model.replay) remember(as_transfer);
    } else if (op < 34) {  // a hold
      const std::vector<std::string> targets = {"pool",           "reserve/mine-1",
                                                "reserve/mine-2", "reserve/zz-office",
                                                "expense/meals",  "ghost"};
      const std::string target = pick(targets);
      HoldRequest r{fresh("h"),
                    target,
                    chance(0.15) ? edge(target, "") : amount(),
                    "hold",
                    "预留",
                    chance(0.6) ? incident() : "",
                    chance(0.8)
                        ? std::optional<Duration>(Duration(uniform(3600, 3 * 86400) * 1'000'000))
                        : std::nullopt};
      expected = model.PlaceHold(r, std::chrono::days(14), now);
      status = funds.PlaceHold(r, who, now, out).status();
      if (status.ok() && !model.replay) remember(r);
    } else if (op < 48 && !hold_ids.empty()) {  // a (partial) post
      const std::string& hold_id = chance(0.02) ? std::string("h-none") : recent(hold_ids);
      const auto it = model.holds().find(hold_id);
      const int64_t remaining =
          it == model.holds().end() ? 10 : it->second.amount - it->second.posted;
      const int64_t post_amount = chance(0.1)    ? amount()
                                  : chance(0.15) ? remaining + uniform(0, 1)
                                                 : uniform(1, std::max<int64_t>(1, remaining));
      std::string credit = chance(0.85) ? StrCat("expense/", pick(codes)) : pick(accounts);
      PostRequest r{fresh("p"), hold_id, credit, post_amount, "post", "报销"};
      expected = model.Post(r, now);
      status = funds.PostHold(r, who, now, out).status();
      if (status.ok() && !model.replay) remember(r);
    } else if (op < 54 && !hold_ids.empty()) {  // a void
      VoidRequest r{chance(0.02) ? std::string("h-none") : recent(hold_ids), "作废"};
      expected = model.Void(r, now);
      status = funds.VoidHold(r, who, now, out).status();
    } else if (op < 58) {  // time passes and timers fire
      now += Duration(uniform(0, 12LL * 3600 * 1'000'000));
      model.Tick(now);
      funds.Tick(now, out);
      ASSERT_EQ(static_cast<int>(CountAlerts(out, "hold_expired")), model.expired);
      if (model.expired > 0) ++counts[5];
    } else if (op < 64 && !transfer_ids.empty()) {  // a correcting transfer
      const std::string& original = chance(0.02) ? std::string("t-none") : recent(transfer_ids);
      ReversalRequest r{fresh("rv"), original, chance(0.5) ? uniform(1, 200'000) : amount(),
                        "更正"};
      expected = model.Reverse(r);
      status = funds.Reverse(r, who, now, out).status();
      if (status.ok() && !model.replay) remember(r);
    } else if (op < 67) {  // a quota change
      QuotaRequest r{chance(0.9) ? pick(reserves) : pick(accounts),
                     chance(0.15)
                         ? std::nullopt
                         : std::optional<int64_t>(chance(0.02) ? -1 : uniform(0, 6'000'000)),
                     "调整额度"};
      expected = model.SetQuota(r);
      status = funds.SetQuota(r, Actor::Operator("zhang"), now, out).status();
    } else if (op < 72) {  // a confirmed dispatch
      DispatchConfirmed d;
      d.incident_id = incident();
      d.unit_id = pick(units);
      d.destination_kind = static_cast<RegionKind>(uniform(0, 3));
      d.destination_region = "somewhere";
      d.people = static_cast<uint32_t>(uniform(0, 8));
      d.vehicles = static_cast<uint32_t>(uniform(0, 3));
      const int64_t metres = uniform(0, 900'000);
      d.distance_km = static_cast<double>(metres) / 1000.0;
      model.Dispatch(d, metres, now);
      const size_t before = funds.state().holds.size();
      funds.OnDispatchConfirmed(d, now, out);
      for (size_t i = before; i < funds.state().holds.size(); ++i) {
        hold_ids.push_back(funds.state().holds[i].id);
      }
      ASSERT_EQ(static_cast<int>(CountAlerts(out, "reserve_insufficient")), model.insufficient);
    } else if (op < 82) {  // an expense report from an agent
      ExpenseRequest r{fresh("msg"),
                       incident(),
                       pick(units),
                       amount(),
                       chance(0.02) ? "caviar" : pick(codes),
                       chance(0.5) ? "" : "票据",
                       chance(0.5) ? "" : StrCat("V", step)};
      expected = model.Expense(r, now);
      status = funds.RecordExpense(r, Actor::Agent(r.unit_id), now, out).status();
      if (status.ok() && !model.replay) remember(r);
    } else if (op < 84) {  // the incident is settled or closed
      const std::string settled = incident();
      model.Settle(settled, now);
      if (chance(0.5)) {
        funds.OnIncidentSettled({settled}, now, out);
      } else {
        funds.OnIncidentClosed({settled}, now, out);
      }
    } else if (op < 85) {  // a unit's confirmed dispatch is called off
      const DispatchCancelled cancelled{incident(), pick(units), "改派"};
      model.CancelDispatch(cancelled.incident_id, cancelled.unit_id, now);
      funds.OnDispatchCancelled(cancelled, now, out);
    } else if (op < 93 && !made.empty()) {  // a retry with the same id
      reused_id = true;
      const Request& r = pick(made);
      expected = expect_of(r);
      status = issue(r, who, out);
      ++counts[6];
    } else if (!made.empty()) {  // the same id with different content
      reused_id = true;
      const Request r = conflicting(pick(made));
      expected = expect_of(r);
      status = issue(r, who, out);
      ++counts[7];
    } else {
      continue;
    }

    ASSERT_EQ(status.code(), expected) << status;
    if (reused_id && status.ok()) {
      ASSERT_TRUE(model.replay) << "a reused id was applied as new";
    }
    if (!status.ok() || model.replay) {
      ASSERT_TRUE(out.empty()) << "refused or replayed command produced effects: " << status;
      ASSERT_EQ(funds.state().transfers.size(), transfers_before);
      ASSERT_EQ(funds.state().holds.size(), holds_before);
      ASSERT_EQ(funds.state().expenses.size(), expenses_before);
      ++counts[status.ok() ? 1 : 2];
    } else {
      ++counts[0];
    }
    model.UpdateLatches();
    ASSERT_EQ(static_cast<int>(CountAlerts(out, "low_balance")), model.low_balance_crossings);

    // Every account agrees with the model; the books balance.
    int64_t debits = 0, credits = 0, sum = 0;
    for (const auto& [id, a] : funds.state().accounts) {
      const auto it = model.accounts().find(id);
      ASSERT_NE(it, model.accounts().end()) << id;
      const Model::Acc& m = it->second;
      ASSERT_EQ(a.balance_fen(), m.balance) << id;
      ASSERT_EQ(a.debits_pending_fen, m.pending) << id;
      ASSERT_EQ(a.quota_fen, m.quota) << id;
      ASSERT_EQ(a.low_balance_alerted, m.latched) << id;
      if (!a.may_go_negative()) {
        ASSERT_GE(a.available_fen(), 0) << id;
      }
      if (a.quota_fen) {
        ASSERT_LE(a.balance_fen(), *a.quota_fen) << id;
      }
      debits += a.debits_posted_fen;
      credits += a.credits_posted_fen;
      sum += a.balance_fen();
    }
    ASSERT_EQ(funds.state().accounts.size(), model.accounts().size());
    ASSERT_EQ(debits, credits);
    ASSERT_EQ(sum, 0);
    ASSERT_EQ(funds.state().transfers.size(), model.transfers().size());
    for (const std::string& id : model.touched_holds) ASSERT_TRUE(check_hold(id));
    if (!out.changed.empty()) {
      ++counts[3];
      auto changes = funds.Changes(out.changed);
      ASSERT_TRUE(changes.ok()) << changes.status();
      unsaved.push_back(std::move(*changes));
    }

    if (step % kSaveEvery == 0) {
      ASSERT_TRUE(flush().ok());
    }
    if (step % kRestartEvery == 0 || step == steps) {
      ASSERT_TRUE(flush().ok());
      ASSERT_TRUE(funds.VerifyBalances().ok()) << funds.VerifyBalances();
      for (const auto& [id, hold] : model.holds()) ASSERT_TRUE(check_hold(id));
      for (const auto& [id, t] : model.transfers()) {
        const Transfer* stored = funds.FindTransfer(id);
        ASSERT_NE(stored, nullptr) << id;
        ASSERT_EQ(stored->amount_fen, t.amount) << id;
        ASSERT_EQ(stored->debit_account_id, t.debit) << id;
        ASSERT_EQ(stored->credit_account_id, t.credit) << id;
        ASSERT_EQ(stored->hold_id, t.hold) << id;
        ASSERT_EQ(stored->reverses_id, t.reverses) << id;
      }
      // Restart: a fresh connection, load, rebuild, compare.
      db_.reset();
      auto reopened = storage::Database::Open((dir_ / "funds.db").string());
      ASSERT_TRUE(reopened.ok());
      db_ = std::move(reopened).value();
      ASSERT_TRUE(db_->Exec("PRAGMA synchronous = OFF").ok());
      auto loaded = store::LoadFundsState(*db_);
      ASSERT_TRUE(loaded.ok()) << loaded.status();
      ASSERT_TRUE(*loaded == funds.state()) << "state reloaded from the store differs";
      auto rebuilt = Funds::Restore(MakeConfig(), std::move(loaded).value());
      ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
      Effects start;
      ASSERT_TRUE(rebuilt->ApplyConfig(now, start).ok());
      ASSERT_TRUE(start.changed.empty()) << "ApplyConfig after a restart changed records";
      ASSERT_EQ(rebuilt->NextWakeup(), funds.NextWakeup());
      funds = std::move(rebuilt).value();
      ++counts[4];
    }
  }
  // The random mix really exercised each kind of outcome.
  EXPECT_GT(counts[0], steps / 10) << "applied";
  EXPECT_GT(counts[1], steps / 100) << "replayed";
  EXPECT_GT(counts[2], steps / 10) << "refused";
  EXPECT_GT(counts[5], 10) << "ticks that expired holds";
  EXPECT_GE(counts[4], steps / kRestartEvery) << "restarts";
  std::printf(
      "funds model: seed %llu, %lld steps: %lld applied, %lld replayed, %lld refused, "
      "%lld restarts, %zu transfers, %zu holds\n",
      static_cast<unsigned long long>(seed), static_cast<long long>(steps),
      static_cast<long long>(counts[0]), static_cast<long long>(counts[1]),
      static_cast<long long>(counts[2]), static_cast<long long>(counts[4]),
      funds.state().transfers.size(), funds.state().holds.size());
}

}  // namespace
}  // namespace anding::core::funds
