// A small organisation and dispatch configuration for the dispatch tests,
// read through the real YAML readers. Travel times come from the matrix
// only (no coordinates), so every arrival estimate is exact:
//
//   region     kind                province   units
//   hebi       home_city           henan      mine-1, mine-2, hq
//   zhengzhou  provincial_capital  henan      zz-office
//   anyang     other               henan      anyang-plant
//   beijing    national_capital    beijing    bj-office
//   shanghai   other               shanghai   sh-office
//
//   travel: within a region 30m (zhengzhou→zhengzhou 20m); hebi↔zhengzhou
//   1h30m; hebi↔anyang 40m; anyang↔zhengzhou 1h40m; hebi↔beijing 4h;
//   zhengzhou↔beijing 4h; nothing to or from shanghai.
//   mobilisation 15m (team-hq 10m). Sizing: 1 leader + 1 staff per 10.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "anding/common/config.h"
#include "anding/common/strings.h"
#include "anding/core/dispatch/config.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/org.h"

namespace anding::core::dispatch::testing {

inline constexpr std::string_view kWorldYaml = R"yaml(
regions:
  - {id: hebi, name: 鹤壁, kind: home_city, province: henan}
  - {id: zhengzhou, name: 郑州, kind: provincial_capital, province: henan}
  - {id: anyang, name: 安阳, kind: other, province: henan}
  - {id: beijing, name: 北京, kind: national_capital, province: beijing}
  - {id: shanghai, name: 上海, kind: other, province: shanghai}
units:
  - id: mine-1
    name: 一矿
    region: hebi
    leaders: [{name: 矿长甲, phone: "+8613900000001"}, {name: 书记乙, phone: "+8613900000002"}]
  - {id: mine-2, name: 二矿, region: hebi, leaders: [{name: 矿长丙, phone: "+8613900000003"}]}
  - {id: hq, name: 集团公司, kind: company, region: hebi}
  - {id: zz-office, name: 郑州办, kind: department, region: zhengzhou}
  - {id: anyang-plant, name: 安阳厂, kind: factory, region: anyang}
  - {id: bj-office, name: 北京办, kind: department, region: beijing}
  - {id: sh-office, name: 上海办, kind: department, region: shanghai}
dispatch:
  mobilisation: 15m
  travel:
    within_region: 30m
    matrix:
      hebi: {zhengzhou: {time: 1h30m, km: 170}, anyang: {time: 40m, km: 50}, beijing: {time: 4h, km: 560}}
      zhengzhou: {zhengzhou: {time: 20m}, anyang: {time: 1h40m, km: 200}, beijing: {time: 4h, km: 690}}
  teams:
    - id: team-m1
      home_unit: mine-1
      members:
        - {id: m1-l1, name: 领队一, role: leader, phone: "+8613900001001"}
        - {id: m1-s1, name: 队员一, role: staff}
        - {id: m1-s2, name: 队员二, role: staff}
        - {id: m1-s3, name: 队员三, role: staff}
        - {id: m1-d1, name: 司机一, role: driver}
    - id: team-m2
      home_unit: mine-2
      members:
        - {id: m2-l1, name: 领队二, role: leader}
        - {id: m2-s1, name: 队员四, role: staff}
        - {id: m2-s2, name: 队员五, role: staff}
        - {id: m2-d1, name: 司机二, role: driver}
    - id: team-hq
      home_unit: hq
      mobilisation: 10m
      members:
        - {id: hq-l1, name: 主任, role: leader}
        - {id: hq-l2, name: 副主任, role: leader}
        - {id: hq-s1, name: 干事一, role: staff}
        - {id: hq-s2, name: 干事二, role: staff}
        - {id: hq-s3, name: 干事三, role: staff}
        - {id: hq-s4, name: 干事四, role: staff}
        - {id: hq-d1, name: 司机三, role: driver}
        - {id: hq-d2, name: 司机四, role: driver}
    - id: team-zz
      home_unit: zz-office
      members:
        - {id: zz-l1, name: 郑州领队, role: leader}
        - {id: zz-s1, name: 郑州队员, role: staff}
        - {id: zz-s2, name: 郑州队员二, role: staff}
        - {id: zz-d1, name: 郑州司机, role: driver}
    - id: team-ay
      home_unit: anyang-plant
      members:
        - {id: ay-l1, name: 安阳领队, role: leader}
        - {id: ay-s1, name: 安阳队员, role: staff}
        - {id: ay-d1, name: 安阳司机, role: driver}
    - id: team-bj
      home_unit: bj-office
      members:
        - {id: bj-l1, name: 北京领队, role: leader}
        - {id: bj-s1, name: 北京队员, role: staff}
        - {id: bj-d1, name: 北京司机, role: driver}
  vehicles:
    - {id: v-m1, home_unit: mine-1, seats: 7}
    - {id: v-m2, home_unit: mine-2, seats: 5}
    - {id: v-hq-1, home_unit: hq, seats: 7}
    - {id: v-hq-2, home_unit: hq, seats: 12}
    - {id: v-zz, home_unit: zz-office, seats: 7}
    - {id: v-ay, home_unit: anyang-plant, seats: 5}
    - {id: v-bj, home_unit: bj-office, seats: 5}
)yaml";

// The organisation and dispatch configuration read from `yaml`; fails the
// test (fatally) if the YAML has configuration errors.
struct World {
  explicit World(std::string_view yaml = kWorldYaml) {
    auto doc = ConfigDocument::LoadString(yaml, "world.yaml");
    EXPECT_TRUE(doc.ok()) << doc.status();
    if (!doc.ok()) return;
    ConfigNode root = doc->root();
    org = Organisation::Read(root);
    config = ReadDispatchConfig(root, org);
    const Status finished = doc->Finish();
    EXPECT_TRUE(finished.ok()) << finished;
  }

  // A fresh module over this world (with `config` as it is now).
  [[nodiscard]] std::unique_ptr<DispatchModule> Make() const {
    return std::make_unique<DispatchModule>(config, org);
  }

  Organisation org;
  DispatchConfig config;
};

// 2026-11-27 09:00 in Shanghai.
inline Time T0() { return *ParseRfc3339("2026-11-27T09:00:00+08:00"); }

inline ReportIncidentRequest Report(std::string region, std::vector<std::string> units,
                                    uint32_t persons = 30) {
  ReportIncidentRequest request;
  request.report.type = IncidentType::kGroupPetition;
  request.report.place = Place{std::move(region), "市政府北门"};
  request.report.persons = persons;
  request.report.involved_unit_ids = std::move(units);
  request.report.summary = "退休职工集体上访";
  return request;
}

inline const Actor& Hq() {
  static const Actor actor = Actor::Operator("zhang");
  return actor;
}

// Counts the alerts of `kind` in `effects`.
inline size_t CountAlerts(const Effects& effects, std::string_view kind) {
  size_t n = 0;
  for (const auto& alert : effects.alerts) n += alert.kind == kind ? 1 : 0;
  return n;
}

}  // namespace anding::core::dispatch::testing
