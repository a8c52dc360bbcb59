#include "recent_messages.h"

#include <algorithm>

#include "anding/common/ids.h"

namespace anding::dispatcher {

namespace {
constexpr char kSeparator = '\x1f';
}  // namespace

std::string RecentMessages::Key(std::string_view unit_id, std::string_view message_id) {
  std::string key;
  key.reserve(unit_id.size() + 1 + message_id.size());
  key.append(unit_id).push_back(kSeparator);
  key.append(message_id);
  return key;
}

const RecentMessages::Entry* RecentMessages::Find(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

void RecentMessages::Pending(const std::string& key) { entries_[key] = Entry{}; }

void RecentMessages::Stored(const std::string& key, Time stored_at, std::string record_id) {
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
    const int64_t id_ms = UuidV7Millis(std::string_view(key).substr(key.find(kSeparator) + 1));
    return id_ms < 0 || id_ms * 1000 < horizon_us;  // else the Intake would not ask the store
  });
  sweep_at_ = std::max(min_sweep_, 2 * entries_.size());
}

}  // namespace anding::dispatcher
