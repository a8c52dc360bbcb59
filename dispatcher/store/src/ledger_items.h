// Storage of ledger items (internal to anding_store; the public functions
// are in anding/store/ledger_repository.h): an item's fields in its
// ledger_items row, and its logs (history, progress updates, attached
// warnings) as rows of ledger_item_history, ledger_item_updates and
// ledger_item_warnings, one per entry, written once.
// Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <vector>

#include "anding/core/ledger/ledger_item.h"
#include "anding/storage/database.h"
#include "anding/store/ledger_repository.h"

namespace anding::store {

// The change of `item` to hand to the commit thread: its fields and the
// log entries after `marks`, which move past them.
[[nodiscard]] Result<LedgerItemChange> CollectItemChange(const core::ledger::LedgerItem& item,
                                                         LedgerLogMarks& marks);

// Every stored item with its logs, ordered by id. DataLoss names a row that
// cannot be decoded or a log entry that is missing.
[[nodiscard]] Status LoadLedgerItems(storage::Database& db, std::vector<core::ledger::LedgerItem>& items);

}  // namespace anding::store
