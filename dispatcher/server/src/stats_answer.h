// Statistics requests answered on the query thread (ledger, dispatch,
// funds): a job computes the figures (answer.view) and the table
// (answer.table) from the store, and the document in the requested format
// is rendered from the table.
#pragma once

#include <string>
#include <utility>

#include "anding/core/visits/stats_table.h"
#include "anding/dispatcher/module.h"
#include "ops_server.h"

namespace anding::dispatcher {

// `job(db)` returns Result<Answer> with `view` (the response's view message)
// and `table`; `view_of` is the response's mutable accessor for that view,
// e.g. &v1::OperatorResponse::mutable_fund_stats.
template <typename Job, typename View>
void AnswerStats(OperatorCall& call, Job job, std::string format,
                 View* (v1::OperatorResponse::*view_of)()) {
  call.Query([job = std::move(job), format = std::move(format), view_of](storage::Database& db) {
    auto answer = job(db);
    if (!answer.ok()) return ErrorResponse("", answer.status());
    v1::OperatorResponse response;
    View* view = (response.*view_of)();
    *view = std::move(answer->view);
    view->set_format(format);
    if (const auto parsed = core::visits::ParseReportFormat(format)) {
      view->set_document(core::visits::RenderStatsTable(answer->table, *parsed));
    }
    return response;
  });
}

}  // namespace anding::dispatcher
