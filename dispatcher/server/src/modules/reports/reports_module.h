// Documents made of other modules' statistics: the yearly report
// (年度统计报告, `anding stats year`, GET /api/v1/yearly_report). It owns
// no state; every module that answers YearlyReportPart adds its figures and
// tables, in the order the parts say, so that a new statistic joins the
// report by answering the interface.
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include "anding/dispatcher/module.h"

namespace anding::dispatcher {

class ReportsModule final : public Module {
 public:
  explicit ReportsModule(ModuleContext& context) : context_(context) {}

  [[nodiscard]] std::string_view name() const override { return "reports"; }
  [[nodiscard]] Status Load(storage::Database& /*db*/) override { return OkStatus(); }
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override {
    return {v1::OperatorRequest::kYearlyReport};
  }
  void Serve(OperatorCall& call) override;

 private:
  ModuleContext& context_;
};

}  // namespace anding::dispatcher
