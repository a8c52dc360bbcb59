// Well-formed messages of every kind an agent or an operator sends, with
// realistic values that the standard modules accept under the test and demo
// organisations (units mine-3 and zz-office, regions hebi, zhengzhou and
// beijing, the default categories and expense codes). The fuzzers' seed
// corpus is made of them, and the edge property test mutates them.
//
// Records they refer to (a ledger item, an incident, a hold) carry the ids
// a fresh dispatcher assigns first on `now`'s day, so that a sequence of
// them, applied in order, works on those records.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "anding/common/ids.h"
#include "anding/common/time.h"
#include "anding/v1/envelope.pb.h"
#include "anding/v1/operator.pb.h"

namespace anding::testing {

// The id a fresh dispatcher gives its first ledger item / incident on the
// day of `now` (Asia/Shanghai).
[[nodiscard]] std::string FirstLedgerItemId(Time now);
[[nodiscard]] std::string FirstIncidentId(Time now);

// One envelope of every durable payload an agent sends, from `unit` at
// `now`: message ids from `ids`, sequence numbers from `first_sequence` on,
// in an order that works (a ledger item is registered before its update).
[[nodiscard]] std::vector<v1::Envelope> SampleEnvelopes(const std::string& unit, Time now,
                                                        IdGenerator& ids,
                                                        uint64_t first_sequence = 1);

// Operator requests of every kind the standard modules serve, at `now`, in
// an order that works; request ids are "req-1", "req-2", ...
[[nodiscard]] std::vector<v1::OperatorRequest> SampleOperatorRequests(Time now);

}  // namespace anding::testing
