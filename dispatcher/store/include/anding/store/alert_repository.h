// Storage for what the dispatcher raises for people: HQ alerts (no rule
// covers an incident, a deadline breach, a special report, an overdue
// report, an agent offline, ...) and notification requests (messages for
// people's phones, delivered by the notifications capability). Domain
// "alerts". Save* run inside the transaction of the change that raised them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/storage/database.h"

namespace anding::store {

[[nodiscard]] std::vector<storage::Migration> AlertMigrations();

struct AlertRow {
  int64_t id = 0;  // assigned by the dispatcher, from 1
  Time raised_at{};
  core::HqAlert alert;
  std::optional<Time> acknowledged_at;
  std::string acknowledged_by;
};

[[nodiscard]] Status SaveAlert(storage::Database& db, const AlertRow& row);
[[nodiscard]] Status AcknowledgeAlert(storage::Database& db, int64_t id, Time at,
                                      std::string_view by);
// Newest first; unacknowledged only unless `all`. DataLoss naming the row
// and the field for a row that does not decode.
[[nodiscard]] Result<std::vector<AlertRow>> ListAlerts(storage::Database& db, bool all,
                                                       uint32_t limit);
[[nodiscard]] Result<int64_t> MaxAlertId(storage::Database& db);

struct NotificationRow {
  int64_t id = 0;
  Time created_at{};
  core::NotificationRequest request;
  std::string state = "queued";  // queued, sent, delivered, failed
};

[[nodiscard]] Status SaveNotification(storage::Database& db, const NotificationRow& row);
// Newest first. DataLoss as ListAlerts.
[[nodiscard]] Result<std::vector<NotificationRow>> ListNotifications(storage::Database& db,
                                                                     uint32_t limit);
[[nodiscard]] Result<int64_t> MaxNotificationId(storage::Database& db);

// "info", "warning", "critical".
[[nodiscard]] std::string_view SeverityName(core::HqAlert::Severity severity);

}  // namespace anding::store
