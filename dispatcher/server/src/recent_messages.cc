#include "recent_messages.h"

#include <algorithm>

namespace anding::dispatcher {

std::optional<RecentMessages::Key> RecentMessages::KeyOf(std::string_view unit_id,
                                                         std::string_view message_id) {
  const auto message = ParseUuid(message_id);
  if (!message) return std::nullopt;
  // (Debian's Abseil has its own string_view, not std's.)
  auto unit = units_.find(absl::string_view(unit_id.data(), unit_id.size()));
  if (unit == units_.end()) {
    unit = units_.emplace(std::string(unit_id), static_cast<uint32_t>(units_.size())).first;
  }
  return Key{unit->second, *message};
}

const RecentMessages::Entry* RecentMessages::Find(const Key& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::pair<const RecentMessages::Entry*, bool> RecentMessages::FindOrAddPending(
    const Key& key, uint64_t content_hash) {
  const auto [it, added] = entries_.try_emplace(key);
  if (added) it->second.pending_content = content_hash;
  return {&it->second, added};
}

void RecentMessages::Drop(const Key& key) { entries_.erase(key); }

void RecentMessages::Stored(const Key& key, Time stored_at, std::string record_id) {
  Entry& entry = entries_[key];
  entry.stored_at_us = ToUnixMicros(stored_at);
  entry.record_id = std::move(record_id);
}

void RecentMessages::Clear() {
  entries_.clear();
  sweep_at_ = min_sweep_;
}

void RecentMessages::Forget(Time now, bool force) {
  if (!force && entries_.size() < sweep_at_) return;
  const int64_t horizon_us = ToUnixMicros(now - window_);
  absl::erase_if(entries_, [horizon_us](const auto& item) {
    const auto& [key, entry] = item;
    if (entry.pending() || entry.stored_at_us >= horizon_us) return false;
    const int64_t id_ms = UuidV7Millis(key.message);
    return id_ms < 0 || id_ms * 1000 < horizon_us;  // else the Intake would not ask the store
  });
  sweep_at_ = std::max(min_sweep_, 2 * entries_.size());
}

}  // namespace anding::dispatcher
