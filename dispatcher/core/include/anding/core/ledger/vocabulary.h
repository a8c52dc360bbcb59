// The small vocabularies of the ledger (台账) domain: risk levels, the
// states of a ledger item and the legal moves between them, and where an
// item came from. Names are the stable text forms used in storage, the
// operator API and exports' machine columns.
//
// The item lifecycle (design §2.4):
//
//   registered ──▶ in_progress ──▶ resolved ──▶ closed_out ──▶ reopened
//                      ▲  ◀────────────┘ (resolution rejected)     │
//                      └───────────────────────────────────────────┘
//
// A reopened item (反弹) goes back to work: reopened → in_progress only.
// It cannot be resolved or closed out without progress first; a single
// update that carries a resolution performs reopened → in_progress →
// resolved and records both moves.
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string_view>

#include "anding/core/risk_level.h"

namespace anding::core::ledger {

// The company-wide risk scale (anding/core/risk_level.h).
using core::ParseRiskLevel;
using core::RiskLevel;
using core::RiskLevelName;

// Mirrors anding.v1.LedgerItemState.
enum class ItemState { kRegistered, kInProgress, kResolved, kClosedOut, kReopened };

// "registered", "in_progress", "resolved", "closed_out", "reopened".
[[nodiscard]] std::string_view ItemStateName(ItemState state);
[[nodiscard]] std::optional<ItemState> ParseItemState(std::string_view name);

// True for the moves drawn above and no others.
[[nodiscard]] bool IsLegalTransition(ItemState from, ItemState to);

// Open = not closed out (counts as "still open" in summaries).
[[nodiscard]] inline bool IsOpen(ItemState state) { return state != ItemState::kClosedOut; }

// Supervised = work is expected (daily progress, deadline): registered,
// in_progress and reopened. A resolved item awaits its leader's close-out
// and is not chased for progress.
[[nodiscard]] bool IsSupervised(ItemState state);

// How an item entered the ledger.
enum class ItemSource {
  kDirect,        // registered explicitly (agent, CLI or API)
  kEarlyWarning,  // created by an early warning (苗头动向)
  kScreening,     // created by a screening finding (排查)
  kIncident,      // the aftermath (善后) of a settled incident
};

// "direct", "early_warning", "screening", "incident".
[[nodiscard]] std::string_view ItemSourceName(ItemSource source);
[[nodiscard]] std::optional<ItemSource> ParseItemSource(std::string_view name);

}  // namespace anding::core::ledger
