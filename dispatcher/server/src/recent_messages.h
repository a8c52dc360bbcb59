// The envelopes an Intake remembers, by (unit, message id), so that a
// repeat is answered without asking the database.
//
// An entry is pending from acceptance until its commit, then stored (with
// the time and the record the envelope created or changed, for the repeated
// ack). Entries are forgotten once both their receipt and their message id's
// UUIDv7 time are older than the window (ids that are not UUIDv7 once their
// receipt is): the Intake asks the database about an id older than the
// window and about every id that is not a UUIDv7 and not remembered, so a
// forgotten repeat is still recognised.
// Forgetting is a sweep that runs when the map has doubled since the last
// one, so memory stays within twice what the window holds, at a constant
// amortised cost per envelope.
// Thread-safety: none (the io_context thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "anding/common/ids.h"
#include "anding/common/time.h"

namespace anding::dispatcher {

class RecentMessages {
 public:
  // An envelope's identity: its unit (a small number, see KeyOf) and the
  // 128 bits of its message id. Compact and cheap to hash: building,
  // hashing and comparing text keys was a tenth of the intake's time.
  struct Key {
    uint32_t unit = 0;
    UuidBits message;
    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H hash, const Key& key) {
      return H::combine(std::move(hash), key.unit, key.message.high, key.message.low);
    }
  };
  struct Entry {
    int64_t stored_at_us = 0;  // 0 while the commit is pending
    // While pending: a hash of the envelope's bytes, so that a repeat that
    // arrives before the commit is told apart from a different envelope
    // under the same id.
    uint64_t pending_content = 0;
    std::string record_id;
    [[nodiscard]] bool pending() const { return stored_at_us == 0; }
  };

  // Below `min_sweep` entries no sweep runs unless forced.
  static constexpr size_t kMinSweep = 100'000;
  explicit RecentMessages(Duration window, size_t min_sweep = kMinSweep)
      : window_(window), min_sweep_(min_sweep), sweep_at_(min_sweep) {}

  // The key of `message_id` from `unit_id`; nullopt if `message_id` is not
  // a canonical UUID (the link refuses such ids, so no envelope can repeat
  // one). Units are numbered in the order they are first seen.
  [[nodiscard]] std::optional<Key> KeyOf(std::string_view unit_id, std::string_view message_id);

  // nullptr if `key` is not remembered. Valid until the next change.
  [[nodiscard]] const Entry* Find(const Key& key) const;
  // The entry of `key` and false if it is remembered; else a new pending
  // entry (accepted, its commit pending) and true. One look into the map.
  // The entry is valid until the next change.
  [[nodiscard]] std::pair<const Entry*, bool> FindOrAddPending(const Key& key,
                                                               uint64_t content_hash);
  // Forgets `key` (an envelope refused after it was added as pending).
  void Drop(const Key& key);
  // Committed (or loaded from the store) at `stored_at`.
  void Stored(const Key& key, Time stored_at, std::string record_id);
  void Clear();

  // Forgets what is older than the window at `now` if the map has doubled
  // since the last sweep (and holds at least `min_sweep` entries), or at
  // once if `force`.
  void Forget(Time now, bool force = false);

  [[nodiscard]] size_t size() const { return entries_.size(); }
  [[nodiscard]] Duration window() const { return window_; }

 private:
  Duration window_;
  size_t min_sweep_;
  absl::flat_hash_map<std::string, uint32_t> units_;
  absl::flat_hash_map<Key, Entry> entries_;
  size_t sweep_at_;
};

}  // namespace anding::dispatcher
