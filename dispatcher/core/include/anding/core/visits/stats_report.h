// Petition statistics as a document: a text table for the terminal, CSV
// for spreadsheets (UTF-8 with a byte-order mark, as Excel expects for
// Chinese), or an HTML table. Every percentage is the exact figure of
// stats.h, rounded as configured; "no base" where the earlier count is 0.
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "anding/core/visits/stats.h"
#include "anding/core/visits/stats_table.h"

namespace anding::core::visits {

// The display name of a row's key (a unit's or category's name), or empty.
using KeyName = std::function<std::string(std::string_view key)>;

// One row per breakdown key and a total row: batches and person-times in
// the period, the previous period and the year before, with both changes.
[[nodiscard]] StatsTable VisitStatsTable(const VisitStats& stats, Language language,
                                         const KeyName& name);
[[nodiscard]] std::string RenderVisitStats(const VisitStats& stats, ReportFormat format,
                                           Language language, const KeyName& name);

// A breakdown's heading, and a channel's or destination level's name, in
// the document's words ("渠道", "来信"; "channel", "letter").
[[nodiscard]] std::string_view DimensionWord(Dimension dimension, Language language);
[[nodiscard]] std::string KeyWord(Dimension dimension, std::string_view key, Language language);

}  // namespace anding::core::visits
