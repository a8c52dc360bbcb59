#include "reports_module.h"

#include <algorithm>

#include "anding/common/strings.h"
#include "anding/dispatcher/module_queries.h"
#include "ops_server.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {
namespace {

namespace visits = core::visits;

constexpr int kFirstYear = 2000;
constexpr int kLastYear = 2100;

// The document's heading and the lines under it.
visits::StatsDocument Frame(int year, visits::Language language, const std::string& as_of,
                            std::string_view zone) {
  visits::StatsDocument document;
  document.language = language;
  if (language == visits::Language::kZh) {
    document.title = StrCat(year, " 年度统计报告");
    document.heading = StrCat(year, " 年度信访维稳统计报告");
    document.lines = {StrCat("统计期间：", year, "-01-01 至 ", year, "-12-31（", zone, " 本地日）"),
                      StrCat("截至 ", as_of)};
  } else {
    document.title = StrCat("Yearly report ", year);
    document.heading = StrCat("Petitions and stability: yearly report ", year);
    document.lines = {
        StrCat("Period: ", year, "-01-01 to ", year, "-12-31 (local days, ", zone, ")"),
        StrCat("As of ", as_of)};
  }
  return document;
}

}  // namespace

void ReportsModule::Serve(OperatorCall& call) {
  const v1::YearlyReportRequest& r = call.request().yearly_report();
  if (r.year() < kFirstYear || r.year() > kLastYear) {
    return call.Fail(InvalidArgumentError(StrCat("yearly_report.year: ", r.year(), " is not in ",
                                                 kFirstYear, "..", kLastYear, " (--year)")));
  }
  const auto language = ParseLanguageField("yearly_report", r.language());
  if (!language.ok()) return call.Fail(language.status());
  const auto format = visits::ParseReportFormat(r.format());
  if (!format && !r.format().empty() && r.format() != "json") {
    return call.Fail(InvalidArgumentError(StrCat("yearly_report.format: '", r.format(),
                                                 "' is not text, csv, html or json (--format)")));
  }
  std::vector<YearlyReportPart*> parts = context_.FindAll<YearlyReportPart>();
  std::stable_sort(parts.begin(), parts.end(), [](const auto* a, const auto* b) {
    return a->yearly_report_order() < b->yearly_report_order();
  });
  const YearlyReportScope scope{r.year(), *language, call.now()};
  std::vector<YearlyReportJob> jobs;
  for (const YearlyReportPart* part : parts) {
    auto job = part->YearlyReportPartFor(scope);
    if (!job.ok()) return call.Fail(job.status());
    jobs.push_back(std::move(*job));
  }
  call.Query([jobs = std::move(jobs), year = r.year(), language = *language,
              format_name = r.format(), format, as_of = FormatUtc(call.now()),
              zone = context_.org().time_zone().name()](storage::Database& db) {
    v1::OperatorResponse response;
    v1::YearlyReportView* view = response.mutable_yearly_report();
    view->set_year(year);
    view->set_as_of(as_of);
    view->set_format(format_name);
    std::vector<visits::StatsTable> tables;
    for (const YearlyReportJob& job : jobs) {
      if (Status s = job(db, *view, tables); !s.ok()) return ErrorResponse("", s);
    }
    if (format) {
      visits::StatsDocument document = Frame(year, language, as_of, zone);
      document.sections = std::move(tables);
      view->set_document(visits::RenderStatsDocument(document, *format));
    }
    return response;
  });
}

}  // namespace anding::dispatcher
