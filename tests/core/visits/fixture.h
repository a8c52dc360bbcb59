// Shared set-up of the visits core tests: an organisation with three
// units and the default categories, the default configuration in
// Asia/Shanghai, and instants written as local text.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "anding/core/org.h"
#include "anding/core/visits/visits.h"

namespace anding::core::visits::testing {

inline Time At(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : Time{};
}

inline CivilDay Day(const char* text) {
  auto day = ParseDay(text);
  EXPECT_TRUE(day.ok()) << text;
  return day.ok() ? *day : CivilDay{};
}

inline Organisation MakeOrg() {
  std::vector<Region> regions = {{"hebi", "鹤壁", RegionKind::kHomeCity, "henan", {}}};
  std::vector<Unit> units;
  for (const char* id : {"mine-1", "mine-2", "mine-3"}) {
    Unit unit;
    unit.id = id;
    unit.name = id;
    unit.region_id = "hebi";
    units.push_back(unit);
  }
  return Organisation(std::move(regions), std::move(units), DefaultCategories(),
                      TimeZone::Shanghai());
}

inline VisitRequest AVisit(const char* day, const char* unit = "mine-1",
                           const char* category = "retiree-management",
                           const char* representative = "", const char* contact = "") {
  VisitRequest request;
  request.day = Day(day);
  request.unit_id = unit;
  request.category_id = category;
  request.representative = representative;
  request.contact = contact;
  return request;
}

}  // namespace anding::core::visits::testing
