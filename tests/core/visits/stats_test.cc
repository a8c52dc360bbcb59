// Petition statistics on a small hand-computed data set: the source's
// yearly figures, quarters, months, ranges (with 29 February), every
// breakdown, both rounding modes.
#include "anding/core/visits/stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "anding/core/visits/stats_report.h"
#include "core/visits/fixture.h"

namespace anding::core::visits {
namespace {

using testing::Day;

// 2017: 403 batches / 901 person-times; 2018: 303 / 469 (the source's figures).
std::map<std::string, Visit, std::less<>> DataSet() {
  std::map<std::string, Visit, std::less<>> visits;
  auto add = [&](const char* id, const char* day, const char* unit, const char* category,
                 Channel channel, DestinationLevel level, uint32_t batches, uint32_t persons,
                 const char* repeat_of = "") {
    Visit v;
    v.id = id;
    v.day = Day(day);
    v.unit_id = unit;
    v.category_id = category;
    v.channel = channel;
    v.destination = level;
    v.batches = batches;
    v.persons = persons;
    v.collective = persons >= 5;
    v.repeat_of = repeat_of;
    visits[id] = v;
  };
  add("V-000001", "2017-03-10", "mine-1", "retiree-management", Channel::kVisit,
      DestinationLevel::kUnit, 400, 890);
  add("V-000002", "2017-12-31", "mine-2", "other", Channel::kLetter, DestinationLevel::kBeijing, 3,
      11);
  add("V-000003", "2018-01-01", "mine-1", "retiree-management", Channel::kVisit,
      DestinationLevel::kCompany, 300, 460, "V-000001");
  add("V-000004", "2018-03-31", "mine-2", "other", Channel::kPhone, DestinationLevel::kUnit, 3, 9);
  return visits;
}

VisitStats Compute(PeriodKind kind, const char* period, Dimension dimension,
                   Rounding rounding = Rounding::kTruncate) {
  auto parsed = ParsePeriod(kind, period);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return ComputeVisitStats(DataSet(), kind, *parsed, dimension, rounding);
}

TEST(StatsTest, YearOnYearFromTheSourceFigures) {
  const VisitStats stats = Compute(PeriodKind::kYear, "2018", Dimension::kTotal);
  EXPECT_EQ(stats.total.current.batches, 303);
  EXPECT_EQ(stats.total.current.persons, 469);
  EXPECT_EQ(stats.total.year_ago.batches, 403);
  EXPECT_EQ(stats.total.year_ago.persons, 901);
  EXPECT_EQ(stats.total.previous, stats.total.year_ago)
      << "a year's previous period is its year ago";
  EXPECT_EQ(stats.total.batches_year_on_year, -2481);
  EXPECT_EQ(stats.total.persons_year_on_year, -4794);
  EXPECT_EQ(stats.total.current.visits, 2);
  EXPECT_EQ(stats.total.current.repeats, 1);
  EXPECT_EQ(stats.total.current.collective, 2);
  EXPECT_TRUE(stats.rows.empty());
  const VisitStats half_up =
      Compute(PeriodKind::kYear, "2018", Dimension::kTotal, Rounding::kHalfUp);
  EXPECT_EQ(half_up.total.batches_year_on_year, -2481);
  EXPECT_EQ(half_up.total.persons_year_on_year, -4795);
}

TEST(StatsTest, QuarterAgainstThePreviousQuarterAndTheSameQuarterLastYear) {
  const VisitStats stats = Compute(PeriodKind::kQuarter, "2018-Q1", Dimension::kTotal);
  EXPECT_EQ(stats.previous, (Period{Day("2017-10-01"), Day("2017-12-31")}));
  EXPECT_EQ(stats.year_ago, (Period{Day("2017-01-01"), Day("2017-03-31")}));
  EXPECT_EQ(stats.total.current.batches, 303);
  EXPECT_EQ(stats.total.previous.batches, 3);
  EXPECT_EQ(stats.total.batches_period_on_period, 1000000);  // +10000.00 %
  EXPECT_EQ(stats.total.persons_period_on_period, 416363);   // 458 / 11 = 4163.6363… %
  EXPECT_EQ(stats.total.batches_year_on_year, -2425);        // -97 / 400
  EXPECT_EQ(stats.total.persons_year_on_year, -4730);        // -421 / 890 = -47.3033… %
}

TEST(StatsTest, MonthWithoutAYearAgoHasNoBase) {
  const VisitStats stats = Compute(PeriodKind::kMonth, "2018-01", Dimension::kTotal);
  EXPECT_EQ(stats.current, (Period{Day("2018-01-01"), Day("2018-01-31")}));
  EXPECT_EQ(stats.total.current.persons, 460);
  EXPECT_EQ(stats.total.previous.persons, 11);
  EXPECT_EQ(stats.total.year_ago.persons, 0);
  EXPECT_EQ(stats.total.persons_year_on_year, std::nullopt);
  EXPECT_EQ(FormatChange(stats.total.persons_year_on_year), "no base");
}

TEST(StatsTest, ByUnitCategoryChannelAndDestination) {
  const VisitStats units = Compute(PeriodKind::kYear, "2018", Dimension::kUnit);
  ASSERT_EQ(units.rows.size(), 2u);
  EXPECT_EQ(units.rows[0].key, "mine-1");
  EXPECT_EQ(units.rows[0].batches_year_on_year, -2500);
  EXPECT_EQ(units.rows[0].persons_year_on_year, -4831);  // -430 / 890
  EXPECT_EQ(units.rows[1].key, "mine-2");
  EXPECT_EQ(units.rows[1].batches_year_on_year, 0);
  EXPECT_EQ(units.rows[1].persons_year_on_year, -1818);  // -2 / 11
  EXPECT_EQ(units.total.batches_year_on_year, -2481);

  const VisitStats categories = Compute(PeriodKind::kYear, "2018", Dimension::kCategory);
  ASSERT_EQ(categories.rows.size(), 2u);
  EXPECT_EQ(categories.rows[0].key, "other");
  EXPECT_EQ(categories.rows[1].key, "retiree-management");

  const VisitStats channels = Compute(PeriodKind::kYear, "2018", Dimension::kChannel);
  ASSERT_EQ(channels.rows.size(), 3u);
  EXPECT_EQ(channels.rows[0].key, "letter");  // only last year: -100 %
  EXPECT_EQ(channels.rows[0].current.batches, 0);
  EXPECT_EQ(channels.rows[0].batches_year_on_year, -10000);
  EXPECT_EQ(channels.rows[1].key, "phone");  // only this year: no base
  EXPECT_EQ(channels.rows[1].batches_year_on_year, std::nullopt);
  EXPECT_EQ(channels.rows[2].key, "visit");

  const VisitStats levels = Compute(PeriodKind::kYear, "2018", Dimension::kDestination);
  ASSERT_EQ(levels.rows.size(), 3u);
  EXPECT_EQ(levels.rows[0].key, "beijing");
  EXPECT_EQ(levels.rows[0].year_ago.persons, 11);
  EXPECT_EQ(levels.rows[1].key, "company");
  EXPECT_EQ(levels.rows[2].key, "unit");
  EXPECT_EQ(levels.rows[2].current.persons, 9);
  EXPECT_EQ(levels.rows[2].year_ago.persons, 890);
}

TEST(StatsTest, RangesComparePeriodsOfTheSameLength) {
  const VisitStats stats = Compute(PeriodKind::kRange, "2018-01-01..2018-03-31", Dimension::kTotal);
  EXPECT_EQ(stats.previous, (Period{Day("2017-10-03"), Day("2017-12-31")}));  // 90 days
  EXPECT_EQ(stats.year_ago, (Period{Day("2017-01-01"), Day("2017-03-31")}));
  EXPECT_EQ(stats.total.previous.batches, 3);
  EXPECT_EQ(stats.total.year_ago.batches, 400);
  EXPECT_EQ(FormatPeriod(PeriodKind::kRange, stats.current), "2018-01-01..2018-03-31");
}

TEST(StatsTest, TwentyNinthFebruaryInRanges) {
  auto february = ParsePeriod(PeriodKind::kRange, "2028-02-01..2028-02-29");
  ASSERT_TRUE(february.ok());
  EXPECT_EQ(YearAgo(PeriodKind::kRange, *february), (Period{Day("2027-02-01"), Day("2027-02-28")}));
  EXPECT_EQ(PreviousPeriod(PeriodKind::kRange, *february),
            (Period{Day("2028-01-03"), Day("2028-01-31")}));  // 29 days
  auto from_leap_day = ParsePeriod(PeriodKind::kRange, "2028-02-29..2028-03-10");
  EXPECT_EQ(YearAgo(PeriodKind::kRange, *from_leap_day),
            (Period{Day("2027-03-01"), Day("2027-03-10")}));
  auto month = ParsePeriod(PeriodKind::kMonth, "2028-02");
  EXPECT_EQ(month->last, Day("2028-02-29"));
  EXPECT_EQ(YearAgo(PeriodKind::kMonth, *month).last, Day("2027-02-28"));
  EXPECT_EQ(PreviousPeriod(PeriodKind::kMonth, *ParsePeriod(PeriodKind::kMonth, "2028-03")).last,
            Day("2028-02-29"));
}

TEST(StatsTest, PeriodTextIsCheckedNamingTheField) {
  EXPECT_EQ(FormatPeriod(PeriodKind::kQuarter, *ParsePeriod(PeriodKind::kQuarter, "2018-Q4")),
            "2018-Q4");
  EXPECT_EQ(ParsePeriod(PeriodKind::kQuarter, "2018-Q4")->last, Day("2018-12-31"));
  for (const auto& [kind, text] : std::vector<std::pair<PeriodKind, const char*>>{
           {PeriodKind::kYear, "18"},
           {PeriodKind::kYear, "2018x"},
           {PeriodKind::kMonth, "2018-13"},
           {PeriodKind::kMonth, "2018/01"},
           {PeriodKind::kQuarter, "2018-Q5"},
           {PeriodKind::kRange, "2018-03-01..2018-02-01"},
           {PeriodKind::kRange, "2018-03-01"},
           {PeriodKind::kRange, "2000-01-01..2018-01-01"}}) {
    auto parsed = ParsePeriod(kind, text);
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_NE(parsed.status().message().find("period"), std::string::npos) << text;
  }
  EXPECT_EQ(ParseDimension("destination"), Dimension::kDestination);
  EXPECT_EQ(ParsePeriodKind("decade"), std::nullopt);
}

}  // namespace
}  // namespace anding::core::visits

namespace anding::core::visits {
namespace {

TEST(StatsReportTest, TextCsvAndHtmlCarryTheSameFigures) {
  auto period = ParsePeriod(PeriodKind::kYear, "2018");
  const VisitStats stats = ComputeVisitStats(DataSet(), PeriodKind::kYear, *period,
                                             Dimension::kUnit, Rounding::kTruncate);
  auto name = [](std::string_view key) { return key == "mine-1" ? std::string("一矿") : ""; };
  const std::string text = RenderVisitStats(stats, ReportFormat::kText, Language::kZh, name);
  EXPECT_NE(text.find("一矿 (mine-1)"), std::string::npos) << text;
  EXPECT_NE(text.find("-24.81%"), std::string::npos) << text;
  EXPECT_NE(text.find("-47.94%"), std::string::npos) << text;
  const std::string csv = RenderVisitStats(stats, ReportFormat::kCsv, Language::kZh, name);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv.find("合计,303,469,403,901,-24.81%,-47.94%,403,901,-24.81%,-47.94%,1,2\r\n"),
            std::string::npos)
      << csv;
  const std::string html = RenderVisitStats(stats, ReportFormat::kHtml, Language::kZh, nullptr);
  EXPECT_NE(html.find("<td>-47.94%</td>"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_EQ(ParseReportFormat("pdf"), std::nullopt);
}

// The words change with the language; the figures and ids do not.
TEST(StatsReportTest, ChineseAndEnglishDifferOnlyInTheirWords) {
  auto period = ParsePeriod(PeriodKind::kYear, "2018");
  const VisitStats stats = ComputeVisitStats(DataSet(), PeriodKind::kYear, *period,
                                             Dimension::kChannel, Rounding::kTruncate);
  const std::string zh = RenderVisitStats(stats, ReportFormat::kCsv, Language::kZh, nullptr);
  const std::string en = RenderVisitStats(stats, ReportFormat::kCsv, Language::kEn, nullptr);
  EXPECT_THAT(zh, ::testing::StartsWith("\xEF\xBB\xBF"
                                        "渠道,2018 批次,2018 人次,2017 批次"));
  EXPECT_THAT(en, ::testing::StartsWith("\xEF\xBB\xBF"
                                        "channel,2018 batches,2018 persons,2017 batches"));
  EXPECT_THAT(zh, ::testing::HasSubstr("\r\n来电,"));  // phone, only this year
  EXPECT_THAT(en, ::testing::HasSubstr("\r\nphone,"));
  EXPECT_THAT(zh, ::testing::HasSubstr("无基数"));
  EXPECT_THAT(en, ::testing::HasSubstr("no base"));
  EXPECT_THAT(zh, ::testing::Not(::testing::HasSubstr("no base")));
  // Below the header, every cell but the words is the same.
  auto figures = [](const std::string& document) {
    const std::string csv = document.substr(document.find('\n') + 1);
    std::vector<std::string> cells;
    std::string cell;
    for (char c : csv) {
      if (c == ',' || c == '\n') {
        if (!cell.empty() &&
            (std::isdigit(static_cast<unsigned char>(cell[0])) || cell[0] == '-')) {
          cells.push_back(cell);
        }
        cell.clear();
      } else if (c != '\r') {
        cell += c;
      }
    }
    return cells;
  };
  EXPECT_EQ(figures(zh), figures(en));
  EXPECT_EQ(ParseLanguage(""), Language::kZh);
  EXPECT_EQ(ParseLanguage("en"), Language::kEn);
  EXPECT_EQ(ParseLanguage("fr"), std::nullopt);
}

// A document of several tables: one heading, a section per table, one BOM.
TEST(StatsReportTest, ADocumentPrintsItsTablesUnderOneHeading) {
  auto period = ParsePeriod(PeriodKind::kYear, "2018");
  StatsDocument document;
  document.language = Language::kEn;
  document.title = "Yearly report 2018";
  document.heading = "Yearly report 2018";
  document.lines = {"As of 2019-01-02"};
  for (Dimension dimension : {Dimension::kTotal, Dimension::kDestination}) {
    document.sections.push_back(VisitStatsTable(
        ComputeVisitStats(DataSet(), PeriodKind::kYear, *period, dimension, Rounding::kTruncate),
        Language::kEn, nullptr));
  }
  const std::string csv = RenderStatsDocument(document, ReportFormat::kCsv);
  EXPECT_EQ(csv.find("\xEF\xBB\xBF"), 0u);
  EXPECT_EQ(csv.find("\xEF\xBB\xBF", 1), std::string::npos);
  EXPECT_THAT(csv, ::testing::HasSubstr("\r\n\r\nVisits by total 2018\r\ntotal,"));
  EXPECT_THAT(csv, ::testing::HasSubstr("\r\n\r\nVisits by destination 2018\r\ndestination,"));
  const std::string html = RenderStatsDocument(document, ReportFormat::kHtml);
  EXPECT_THAT(html, ::testing::HasSubstr("<h1>Yearly report 2018</h1>"));
  EXPECT_THAT(html, ::testing::HasSubstr("<h2>Visits by destination 2018</h2>"));
  size_t tables = 0;
  for (size_t at = html.find("<table>"); at != std::string::npos; at = html.find("<table>", at + 1))
    ++tables;
  EXPECT_EQ(tables, 2u);
  const std::string text = RenderStatsDocument(document, ReportFormat::kText);
  EXPECT_THAT(text,
              ::testing::StartsWith("Yearly report 2018\nAs of 2019-01-02\n\nVisits by total"));
}

}  // namespace
}  // namespace anding::core::visits
