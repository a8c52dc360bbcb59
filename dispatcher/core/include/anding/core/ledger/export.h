// Exports of the ledger, the daily summary and the monthly summary as CSV
// and as printable HTML. Pure functions returning the document text.
//
// CSV: UTF-8 with a byte-order mark (so Excel shows Chinese correctly),
// CRLF line ends, RFC 4180 quoting (a field with a comma, quote, CR or LF
// is quoted; quotes doubled). Cells that would start with = + - @ are
// prefixed with ' so spreadsheets do not run them as formulas. Documents
// with several tables (the monthly summary) separate them by a blank line
// and a caption row.
//
// HTML: one self-contained page (inline CSS, no scripts, no external
// resources), A4 landscape when printed, every text HTML-escaped.
//
// Headings are Chinese by default, English with Language::kEn; times are
// local to the organisation's time zone.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "anding/common/time.h"
#include "anding/core/ledger/labels.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/ledger/summaries.h"

namespace anding::core::ledger {

struct ExportOptions {
  Language language = Language::kZh;
};

// The items `filter` selects (overdue judged at `now`).
[[nodiscard]] std::string LedgerCsv(const Ledger& ledger, const ItemFilter& filter, Time now,
                                    const ExportOptions& options = {});
[[nodiscard]] std::string LedgerHtml(const Ledger& ledger, const ItemFilter& filter, Time now,
                                     const ExportOptions& options = {});

[[nodiscard]] std::string DailySummaryCsv(const DailySummary& summary, const Organisation& org,
                                          const ExportOptions& options = {});
[[nodiscard]] std::string DailySummaryHtml(const DailySummary& summary, const Organisation& org,
                                           const ExportOptions& options = {});

[[nodiscard]] std::string MonthlySummaryCsv(const MonthlySummary& summary, const Organisation& org,
                                            const ExportOptions& options = {});
[[nodiscard]] std::string MonthlySummaryHtml(const MonthlySummary& summary, const Organisation& org,
                                             const ExportOptions& options = {});

}  // namespace anding::core::ledger
