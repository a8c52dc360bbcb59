#include "anding/core/visits/stats_report.h"

#include <utility>
#include <vector>

#include "anding/common/strings.h"
#include "anding/core/visits/records.h"

namespace anding::core::visits {
namespace {

using Table = std::vector<std::vector<std::string>>;

std::vector<std::string> Row(const StatsRow& row, std::string label, Language language) {
  return {std::move(label),
          StrCat(row.current.batches),
          StrCat(row.current.persons),
          StrCat(row.previous.batches),
          StrCat(row.previous.persons),
          PercentCell(row.batches_period_on_period, language),
          PercentCell(row.persons_period_on_period, language),
          StrCat(row.year_ago.batches),
          StrCat(row.year_ago.persons),
          PercentCell(row.batches_year_on_year, language),
          PercentCell(row.persons_year_on_year, language),
          StrCat(row.current.repeats),
          StrCat(row.current.collective)};
}

Table BuildTable(const VisitStats& stats, Language language, const KeyName& name) {
  const std::string current = FormatPeriod(stats.kind, stats.current);
  const std::string previous = FormatPeriod(stats.kind, stats.previous);
  const std::string year_ago = FormatPeriod(stats.kind, stats.year_ago);
  const auto batches = Say(language, " 批次", " batches");
  const auto persons = Say(language, " 人次", " persons");
  Table table;
  table.push_back({std::string(DimensionWord(stats.dimension, language)), StrCat(current, batches),
                   StrCat(current, persons), StrCat(previous, batches), StrCat(previous, persons),
                   std::string(Say(language, "环比批次", "PoP batches")),
                   std::string(Say(language, "环比人次", "PoP persons")), StrCat(year_ago, batches),
                   StrCat(year_ago, persons), std::string(Say(language, "同比批次", "YoY batches")),
                   std::string(Say(language, "同比人次", "YoY persons")),
                   std::string(Say(language, "重复访", "repeats")),
                   std::string(Say(language, "集体访", "collective"))});
  for (const StatsRow& row : stats.rows) {
    std::string label = row.key.empty() ? std::string(Say(language, "（无）", "(none)"))
                                        : KeyWord(stats.dimension, row.key, language);
    if (name && !row.key.empty()) {
      if (const std::string display = name(row.key); !display.empty()) {
        label = StrCat(display, " (", row.key, ")");
      }
    }
    table.push_back(Row(row, std::move(label), language));
  }
  table.push_back(Row(stats.total, std::string(Say(language, "合计", "total")), language));
  return table;
}

}  // namespace

std::string_view DimensionWord(Dimension dimension, Language language) {
  switch (dimension) {
    case Dimension::kTotal:
      return Say(language, "合计", "total");
    case Dimension::kUnit:
      return Say(language, "单位", "unit");
    case Dimension::kCategory:
      return Say(language, "类别", "category");
    case Dimension::kChannel:
      return Say(language, "渠道", "channel");
    case Dimension::kDestination:
      return Say(language, "去向", "destination");
  }
  return "";
}

std::string KeyWord(Dimension dimension, std::string_view key, Language language) {
  if (language == Language::kEn) return std::string(key);
  if (dimension == Dimension::kChannel) {
    if (const auto channel = ParseChannel(key)) {
      static constexpr std::pair<Channel, const char*> kWords[] = {{Channel::kVisit, "走访"},
                                                                   {Channel::kLetter, "来信"},
                                                                   {Channel::kPhone, "来电"},
                                                                   {Channel::kOnline, "网上"}};
      for (const auto& [c, word] : kWords) {
        if (c == *channel) return word;
      }
    }
  }
  if (dimension == Dimension::kDestination) {
    if (const auto level = ParseDestinationLevel(key)) {
      static constexpr std::pair<DestinationLevel, const char*> kWords[] = {
          {DestinationLevel::kUnit, "本单位"},
          {DestinationLevel::kCompany, "公司"},
          {DestinationLevel::kCity, "市"},
          {DestinationLevel::kProvince, "省"},
          {DestinationLevel::kBeijing, "进京"}};
      for (const auto& [l, word] : kWords) {
        if (l == *level) return word;
      }
    }
  }
  return std::string(key);
}

StatsTable VisitStatsTable(const VisitStats& stats, Language language, const KeyName& name) {
  const std::string period = FormatPeriod(stats.kind, stats.current);
  const std::string previous = FormatPeriod(stats.kind, stats.previous);
  const std::string year_ago = FormatPeriod(stats.kind, stats.year_ago);
  const std::string rounding = RoundingNote(stats.rounding, language);
  StatsTable table;
  table.language = language;
  if (language == Language::kZh) {
    table.title = StrCat("接处访统计 ", period);
    table.heading =
        StrCat("接处访统计（按", DimensionWord(stats.dimension, language), "） ", period);
    table.text_heading =
        StrCat(table.heading, "（上期 ", previous, "，去年同期 ", year_ago, "；", rounding, "）");
  } else {
    table.title = StrCat("Visits ", period);
    table.heading = StrCat("Visits by ", DimensionWord(stats.dimension, language), " ", period);
    table.text_heading = StrCat(table.heading, " (previous ", previous, ", year ago ", year_ago,
                                "; ", rounding, ")");
  }
  table.rows = BuildTable(stats, language, name);
  table.notes = {rounding};
  return table;
}

std::string RenderVisitStats(const VisitStats& stats, ReportFormat format, Language language,
                             const KeyName& name) {
  return RenderStatsTable(VisitStatsTable(stats, language, name), format);
}

}  // namespace anding::core::visits
