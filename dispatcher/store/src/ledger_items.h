// Storage of ledger items (internal to anding_store; the public functions
// are in anding/store/ledger_repository.h): an item's fields in its
// ledger_items row, and its logs (history, progress updates, attached
// warnings) as rows of ledger_item_history, ledger_item_updates and
// ledger_item_warnings, one per entry, written once.
// Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/ledger/changes.h"
#include "anding/storage/database.h"

namespace anding::store {

// Upserts the item's fields and inserts the log entries it carries as
// entries `change.from` on.
[[nodiscard]] Status SaveLedgerItem(storage::Database& db,
                                    const core::ledger::LedgerItemChange& change);

// Every stored item with its logs, ordered by id. DataLoss names a row that
// cannot be decoded or a log entry that is missing.
[[nodiscard]] Status LoadLedgerItems(storage::Database& db,
                                     std::vector<core::ledger::LedgerItem>& items);

// The stored items matching `where` (SQL after WHERE over ledger_items,
// whose parameters `bind` binds), with their logs, read by item
// id. Appended to `items`, those appended in id order.
[[nodiscard]] Status LoadLedgerItemsWhere(storage::Database& db, const std::string& where,
                                          const std::function<void(storage::Statement&)>& bind,
                                          std::vector<core::ledger::LedgerItem>& items);

// The SELECT LoadLedgerItemsWhere runs for `where` (QueryPlanTest).
[[nodiscard]] std::string LedgerItemsSelect(const std::string& where);

}  // namespace anding::store
