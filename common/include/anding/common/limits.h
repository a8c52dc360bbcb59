// The limits on what comes from outside, shared by the edge (the wire
// codec validates agents' payloads and operators' requests on entry) and
// the core (every command checks what it relies on, whoever sent it), so an
// agent and an operator are held to the same rules and nothing that passes
// the edge can break a store constraint.
//
// Text lengths are Unicode code points ("characters"), so a Chinese text
// gets as many characters as a Latin one.
// Thread-safety: constants.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace anding::limits {

// ---- text -----------------------------------------------------------------

// Ids of configured or derived things (units, regions, categories, ledger
// items, incidents, orders, messages) and codes. ASCII in practice, so
// also bytes.
inline constexpr size_t kMaxIdChars = 64;

// A person's name or title, a department.
inline constexpr size_t kMaxNameChars = 100;

// One line: a summary, a title, an address.
inline constexpr size_t kMaxLineChars = 200;

// An incident's summary, the same at a mine's agent and at HQ, checked by
// both command lines before sending, by the edge and by the core. It may be
// empty (or not given): the dispatcher then writes one from the report
// (type, place, persons).
inline constexpr size_t kMaxIncidentSummaryChars = kMaxLineChars;

// Free text: descriptions, details, notes, measures, resolutions, reasons.
inline constexpr size_t kMaxTextChars = 4000;

// Entries of one list in a request: key persons, screening findings.
inline constexpr size_t kMaxListItems = 200;

// ---- counts ---------------------------------------------------------------

// People one report may count: petitioners, people involved in a factor,
// person-times of visits on one day. The largest group incident of the
// group's history had a few thousand people; a count beyond this is a
// typing or software error, and summing a month of such counts per unit
// stays far from 32-bit overflow.
inline constexpr uint32_t kMaxPersons = 100'000;

// Other counts of one day's report: batches of visits, new warnings, ledger
// items worked on.
inline constexpr uint32_t kMaxDailyCount = 10'000;

// Units one incident report may involve.
inline constexpr size_t kMaxInvolvedUnits = 100;

// ---- money ----------------------------------------------------------------

// The largest amount one transfer, hold, quota or expense may carry: ¥10 亿
// (1,000,000,000.00 元), in fen. Larger inputs are InvalidArgument; the
// bound keeps every running total far from int64 overflow.
inline constexpr int64_t kMaxAmountFen = 100'000'000'000;

// ---- sequence numbers -----------------------------------------------------

// Per-agent sequence numbers are stored as SQLite INTEGER (int64): larger
// ones would be stored negative and break the store's CHECK (sequence > 0).
inline constexpr uint64_t kMaxSequence = std::numeric_limits<int64_t>::max();

// ---- time -----------------------------------------------------------------

// Instants accepted from outside (sent_at, observed_at, occurred_at, at,
// confirmed_at, deadlines): from 2000-01-01T00:00:00Z inclusive to
// 2100-01-01T00:00:00Z exclusive, in seconds since the Unix epoch. Anything
// else is a broken clock or a forged message, not a petition.
inline constexpr int64_t kEarliestUnixSeconds = 946'684'800;
inline constexpr int64_t kLatestUnixSeconds = 4'102'444'800;

// Calendar years of days ("YYYY-MM-DD") and periods: the same window.
inline constexpr int kEarliestYear = 2000;
inline constexpr int kLatestYear = 2099;

// The longest hold an operator may place: a year and a day, in seconds.
inline constexpr int64_t kMaxHoldTimeoutSeconds = 366 * 24 * 3600;

}  // namespace anding::limits
