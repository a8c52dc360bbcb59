// Private to the dispatch module: the words it puts into timelines, alerts,
// orders and SMS notifications. Operator-facing lines are English with the
// configured (Chinese) names; orders and SMS for field staff are Chinese.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/org.h"

namespace anding::core::dispatch::texts {

// "群体上访", "个人极端上访", "其他事件".
[[nodiscard]] std::string_view TypeZh(IncidentType type);
// The region's configured name, or its id.
[[nodiscard]] std::string RegionName(const Organisation& org, std::string_view region_id);
// The unit's configured name, or its id.
[[nodiscard]] std::string UnitName(const Organisation& org, std::string_view unit_id);
// "11-27 16:42" in the organisation's time zone.
[[nodiscard]] std::string Local(const Organisation& org, Time t);
// "群体上访 30人 @ 郑州", when the report has no summary.
[[nodiscard]] std::string DefaultSummary(const Organisation& org, const IncidentReport& report);

// The people to tell about an assignment: its members, then the
// accompanying leaders, without repeats.
[[nodiscard]] std::vector<Person> AssignmentRecipients(const Assignment& assignment);
// Appends `more` to `people`, skipping anybody already there (same name and phone).
void AddPeople(std::vector<Person>& people, const std::vector<Person>& more);

// Order text and SMS text for a confirmed assignment.
[[nodiscard]] std::string DispatchOrderText(const Organisation& org, const Incident& incident,
                                            const Assignment& assignment, Time arrive_by,
                                            std::string_view rule);
[[nodiscard]] std::string DispatchSmsText(const Organisation& org, const Incident& incident,
                                          Time arrive_by);

}  // namespace anding::core::dispatch::texts
