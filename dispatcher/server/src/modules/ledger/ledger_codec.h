// The 台账's words on the wire: the agents' and operators' ledger
// messages (anding.v1 ledger.proto, ledger_api.proto) to the core's
// requests, and the core's items and summaries to their views.
#pragma once

#include <string>

#include "absl/time/civil_time.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/ledger/ledger_stats.h"
#include "anding/core/ledger/summaries.h"
#include "anding/v1/ledger.pb.h"
#include "anding/v1/ledger_api.pb.h"
#include "anding/v1/stats_api.pb.h"

namespace anding::dispatcher {

namespace ledger = core::ledger;

[[nodiscard]] v1::LedgerItemState StateToProto(ledger::ItemState state);
// UNSPECIFIED (and unknown values) become nullopt.
[[nodiscard]] std::optional<ledger::ItemState> StateFromProto(v1::LedgerItemState state);
// InvalidArgument for an unknown kind or a period out of range.
[[nodiscard]] Result<ledger::Period> PeriodFromProto(const v1::Period& p);

// `unit_id` empty: the agent's own unit (filled in by the ledger).
[[nodiscard]] ledger::RegisterItemRequest RegisterFromProto(const std::string& unit_id,
                                                            const v1::LedgerItemRegister& p);
[[nodiscard]] ledger::UpdateItemRequest UpdateFromProto(const v1::LedgerItemUpdate& p);
[[nodiscard]] ledger::CloseOutRequest CloseOutFromProto(const v1::LedgerItemCloseOut& p);
[[nodiscard]] ledger::ItemFilter FilterFromProto(const v1::ListLedgerItemsRequest& p);

// An item as operators see it at `now` (overdue reasons), with its
// history and progress updates when `with_history`.
[[nodiscard]] v1::LedgerItemView ItemView(const ledger::Ledger& book,
                                          const ledger::LedgerItem& item, Time now,
                                          bool with_history);
[[nodiscard]] v1::DailySummaryRowView RowView(const ledger::DailySummaryRow& row);
[[nodiscard]] v1::MonthlyCountView CountView(const ledger::MonthlyCount& count);
// The figures of `stats` (rows named by `name`); the caller sets the
// request's echo (days, format) and the document.
[[nodiscard]] v1::LedgerStatsView LedgerStatsToProto(const ledger::LedgerStats& stats,
                                                     const ledger::StatsKeyName& name);

// The day a daily summary covers: `text` (YYYY-MM-DD), or by default the
// configured one (today or the previous day) in the ledger's zone.
[[nodiscard]] Result<CivilDay> SummaryDay(const ledger::Ledger& book, const std::string& text,
                                          Time now);
// The month a monthly summary covers: `text` (YYYY-MM), or this month.
[[nodiscard]] Result<absl::CivilMonth> SummaryMonth(const ledger::Ledger& book,
                                                    const std::string& text, Time now);

}  // namespace anding::dispatcher
