// Length limits of the text fields people type, shared by the edge (the
// wire codec validates agents' payloads on entry) and the core (every
// command checks them, whoever sent it), so an agent and an operator are
// held to the same rules. Lengths are Unicode code points ("characters"),
// so a Chinese text gets as many characters as a Latin one.
// Thread-safety: constants.
#pragma once

#include <cstddef>

namespace anding::limits {

// Ids of configured or derived things (units, regions, categories, ledger
// items, incidents, orders, messages) and codes. ASCII in practice, so
// also bytes.
inline constexpr size_t kMaxIdChars = 64;

// A person's name or title, a department.
inline constexpr size_t kMaxNameChars = 100;

// One line: a summary, a title, an address.
inline constexpr size_t kMaxLineChars = 200;

// Free text: descriptions, details, notes, measures, resolutions, reasons.
inline constexpr size_t kMaxTextChars = 4000;

// Entries of one list in a request: key persons, screening findings.
inline constexpr size_t kMaxListItems = 200;

}  // namespace anding::limits
