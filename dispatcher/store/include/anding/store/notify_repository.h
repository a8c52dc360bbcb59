// Storage for the notification queue (domain "notify"): events, the
// messages each became (one per recipient and channel, with its state and
// current attempt) and the delivery log (every answer from the gateway or
// a webhook, every delivery report). SaveNotifyChanges runs inside the
// transaction of the change that caused it, so a notification is stored
// with the event that raised it and nothing queued is lost.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anding/core/notify/notifier.h"
#include "anding/storage/database.h"

namespace anding::store {

[[nodiscard]] std::vector<storage::Migration> NotifyMigrations();

// Upserts the events and messages, appends the log lines.
[[nodiscard]] Status SaveNotifyChanges(storage::Database& db,
                                       const core::notify::NotifyChanges& changes);

struct NotifyState {
  std::vector<core::notify::NotifyEvent> events;
  std::vector<core::notify::Message> messages;
  int64_t max_event_id = 0;
  int64_t max_message_id = 0;
};

// What the queue needs after a restart: every event still open (a message
// not final, or an escalation armed) or created at or after `since` (for
// de-duplication), with all their messages. DataLoss naming the row and
// field for a row that does not decode.
[[nodiscard]] Result<NotifyState> LoadNotifyState(storage::Database& db, Time since);

struct NotifyMessageRow {
  core::notify::Message message;
  core::notify::NotifyEvent event;
};

// Newest first; only messages not final (and events not acknowledged that
// need it) unless `all`.
[[nodiscard]] Result<std::vector<NotifyMessageRow>> ListNotifyMessages(storage::Database& db,
                                                                       bool all, uint32_t limit);
// One message, its event and its delivery log (oldest first). NotFound.
[[nodiscard]] Result<std::pair<NotifyMessageRow, std::vector<core::notify::DeliveryLogEntry>>>
ShowNotifyMessage(storage::Database& db, int64_t id);

}  // namespace anding::store
