// CSV and HTML exports of the ledger and the summaries.
#include "anding/core/ledger/export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using std::chrono::hours;
using testing::At;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SampleRegistration;
using ::testing::StartsWith;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::vector<std::string> Lines(const std::string& csv) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < csv.size()) {
    const size_t end = csv.find("\r\n", start);
    if (end == std::string::npos) {
      lines.push_back(csv.substr(start));
      break;
    }
    lines.push_back(csv.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

class ExportTest : public testing::LedgerFixture {
 protected:
  std::string RegisterTricky() {
    Effects out;
    RegisterItemRequest request = SampleRegistration();
    request.description = "职工称\"补偿不公\"，要求:\n1) 补发, 2) 道歉";
    request.measures = "=HYPERLINK(\"http://evil\")";
    request.deadline = t0 + hours(24 * 10);
    auto id = ledger->Register(request, Actor::Agent("mine-1"), t0, out);
    EXPECT_TRUE(id.ok()) << id.status();
    return *id;
  }
};

TEST_F(ExportTest, LedgerCsvIsExcelFriendlyRfc4180) {
  const std::string id = RegisterTricky();
  ASSERT_TRUE(Progress(id, t0 + hours(1), "走访<3>户").ok());
  const std::string csv = LedgerCsv(*ledger, {}, t0 + hours(2));
  ASSERT_THAT(csv, StartsWith(std::string(kBom)));
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  const std::vector<std::string> lines = Lines(csv.substr(kBom.size()));
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "编号,单位,类别,问题描述,涉及人数,风险等级,包案领导,责任人,牵头部门,化解措施,"
            "办结时限,状态,是否逾期,登记时间,最近进展,化解结果,销号确认");
  // The description holds a quote, a comma and a newline: quoted, quotes
  // doubled, the newline kept inside the field.
  EXPECT_THAT(csv, HasSubstr(",\"职工称\"\"补偿不公\"\"，要求:\n1) 补发, 2) 道歉\",12,较大,"));
  // A formula is neutralised.
  EXPECT_THAT(csv, HasSubstr(",\"'=HYPERLINK(\"\"http://evil\"\")\","));
  EXPECT_THAT(csv, HasSubstr(id + ",一矿,退休人员社会化管理,"));
  EXPECT_THAT(csv, HasSubstr(",2026-03-12 10:00,处置中,否,2026-03-02 10:00,"
                             "2026-03-02 11:00 走访<3>户,,"));
}

TEST_F(ExportTest, LedgerCsvInEnglishAndFiltered) {
  const std::string a = Register(t0, "mine-1");
  const std::string b = Register(t0, "mine-2");
  ItemFilter filter;
  filter.unit_id = "mine-2";
  const std::string csv = LedgerCsv(*ledger, filter, t0 + hours(25), {.language = Language::kEn});
  const std::vector<std::string> lines = Lines(csv.substr(kBom.size()));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], StartsWith("ID,Unit,Category,Description,Persons,Risk level,"));
  EXPECT_THAT(lines[1], StartsWith(b + ",二矿,Retirees handed over to social management,"));
  EXPECT_THAT(lines[1], HasSubstr(",Registered,no update,"));
  EXPECT_THAT(csv, Not(HasSubstr(a)));
}

TEST_F(ExportTest, LedgerHtmlIsSelfContainedAndEscaped) {
  Effects out;
  RegisterItemRequest request = SampleRegistration();
  request.description = "<script>alert('x')</script> & 职工";
  auto id = ledger->Register(request, Actor::Agent("mine-1"), t0, out);
  ASSERT_TRUE(id.ok());
  const std::string html = LedgerHtml(*ledger, {}, t0);
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<html lang=\"zh-CN\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<h1>不稳定因素台账</h1>"));
  EXPECT_THAT(html, HasSubstr("<th>包案领导</th>"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 职工"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("http")));  // nothing external
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(html, HasSubstr("共 1 条"));

  const std::string english = LedgerHtml(*ledger, {}, t0, {.language = Language::kEn});
  EXPECT_THAT(english, HasSubstr("<html lang=\"en\">"));
  EXPECT_THAT(english, HasSubstr("<th>Responsible leader</th>"));
  EXPECT_THAT(english, HasSubstr("<p class=\"meta\">1 item</p>"));
}

TEST_F(ExportTest, DailySummaryExports) {
  Register(t0, "mine-1");
  Effects out;
  DailyReportRequest report;
  report.day = CivilDay(2026, 3, 2);
  report.zero_report = true;
  ASSERT_TRUE(ledger->FileDailyReport(report, Actor::Agent("mine-2"), t0, out).ok());
  const DailySummary summary =
      BuildDailySummary(*ledger, CivilDay(2026, 3, 2), At("2026-03-03T00:30:00Z"), {{"mine-1", 2}},
                        {{"mine-2", {1, 0}}});
  const std::string csv = DailySummaryCsv(summary, org);
  ASSERT_THAT(csv, StartsWith(std::string(kBom)));
  const std::vector<std::string> lines = Lines(csv.substr(kBom.size()));
  ASSERT_EQ(lines.size(), 5u);  // header, three units, total
  EXPECT_EQ(lines[0],
            "单位,日报告,新增台账,在办台账,逾期台账,苗头预警,专报,突发事件,来访批次,来访人次,"
            "信访事项临期,信访事项超期");
  EXPECT_EQ(lines[1], "一矿,未报,1,1,0,0,0,2,0,0,0,0");
  EXPECT_EQ(lines[2], "二矿,零报告,0,0,0,0,0,0,0,0,1,0");
  EXPECT_EQ(lines[3], "机修厂,未报,0,0,0,0,0,0,0,0,0,0");
  EXPECT_EQ(lines[4], "合计,,1,1,0,0,0,2,0,0,1,0");

  const std::string html = DailySummaryHtml(summary, org);
  EXPECT_THAT(html, HasSubstr("<h1>风险预控日报汇总（2026-03-02）</h1>"));
  EXPECT_THAT(html, HasSubstr("未报单位：一矿、机修厂"));
  EXPECT_THAT(html, HasSubstr("<tr class=\"total\"><td>合计</td>"));
  const std::string english = DailySummaryHtml(summary, org, {.language = Language::kEn});
  EXPECT_THAT(english, HasSubstr("Units not reported: 一矿, 机修厂"));
  EXPECT_THAT(english, HasSubstr("<td>Zero report</td>"));
}

TEST_F(ExportTest, MonthlySummaryExports) {
  const std::string id = Register(At("2026-03-03T02:00:00Z"));
  ASSERT_TRUE(Resolve(id, At("2026-03-05T14:00:00Z")).ok());
  ASSERT_TRUE(CloseOut(id, At("2026-03-06T02:00:00Z")).ok());  // 3 days
  Register(At("2026-03-04T02:00:00Z"), "mine-2", "three-supplies-handover");
  const MonthlySummary summary =
      BuildMonthlySummary(*ledger, absl::CivilMonth(2026, 3), At("2026-04-01T01:00:00Z"));
  const std::string csv = MonthlySummaryCsv(summary, org);
  const std::vector<std::string> lines = Lines(csv.substr(kBom.size()));
  // Three sections, each with a caption row; blank lines between them.
  EXPECT_EQ(lines[0], "总体情况");
  EXPECT_EQ(lines[1], "指标,数值");
  EXPECT_EQ(lines[2], "本月新增挂号,2");
  EXPECT_EQ(lines[3], "本月销号,1");
  EXPECT_EQ(lines[7], "平均办结天数,3.0");
  EXPECT_EQ(lines[8], "");
  EXPECT_EQ(lines[9], "按单位");
  EXPECT_EQ(lines[10], "单位,新增,销号,反弹,在办,逾期");
  EXPECT_EQ(lines[11], "一矿,1,1,0,0,0");
  EXPECT_EQ(lines[12], "二矿,1,0,0,1,1");
  EXPECT_EQ(lines[13], "合计,2,1,0,1,1");
  EXPECT_EQ(lines[15], "按类别");
  EXPECT_EQ(lines[16], "类别,牵头部门,新增,销号,反弹,在办,逾期");
  EXPECT_EQ(lines[17], "退休人员社会化管理,离退休管理部,1,1,0,0,0");
  EXPECT_EQ(lines[18], "三供一业移交费用,三供一业办公室,1,0,0,1,1");

  const std::string html = MonthlySummaryHtml(summary, org);
  EXPECT_THAT(html, HasSubstr("<h1>台账月度汇总（2026年3月）</h1>"));
  EXPECT_THAT(html, HasSubstr("<caption>按类别</caption>"));
  const std::string english = MonthlySummaryCsv(summary, org, {.language = Language::kEn});
  EXPECT_THAT(english, HasSubstr("Average days to close,3.0\r\n"));
  EXPECT_THAT(english, HasSubstr("Water, power, heating and property handover fees"));
  // A category name with a comma is quoted in CSV.
  EXPECT_THAT(
      english,
      HasSubstr("\"Water, power, heating and property handover fees\",三供一业办公室,1,0,0,1,1"));
}

}  // namespace
}  // namespace anding::core::ledger
