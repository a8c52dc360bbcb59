// Shared set-up for the ledger module's tests: a small organisation (two
// mines, a factory, a department), helpers for times and requests, and a
// fixture owning a Ledger.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/config.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/org.h"

namespace anding::core::ledger::testing {

// An instant from RFC 3339 text; aborts the test binary on a typo.
inline Time At(std::string_view text) {
  auto parsed = ParseRfc3339(text);
  if (!parsed.ok()) {
    ADD_FAILURE() << parsed.status();
    std::abort();
  }
  return *parsed;
}

inline Region MakeRegion(std::string id, std::string name, RegionKind kind) {
  Region region;
  region.id = std::move(id);
  region.name = std::move(name);
  region.kind = kind;
  region.province = kind == RegionKind::kNationalCapital ? "beijing" : "henan";
  return region;
}

inline Unit MakeUnit(std::string id, std::string name, UnitKind kind, std::string region,
                     std::string leader, std::string duty) {
  Unit unit;
  unit.id = std::move(id);
  unit.name = std::move(name);
  unit.kind = kind;
  unit.region_id = std::move(region);
  if (!leader.empty()) unit.leaders.push_back(Person{leader, "+8613800000001", "矿长"});
  if (!duty.empty()) unit.duty_contacts.push_back(Person{duty, "+8613800000002", "信访员"});
  return unit;
}

// Regions hebi (home city), zhengzhou (provincial capital), beijing
// (national capital), anyang (other); units mine-1 (一矿), mine-2 (二矿),
// factory-1 (机修厂, no leaders configured), dept-hr (人力资源部,
// department); the default categories; Asia/Shanghai.
inline Organisation TestOrg() {
  return Organisation(
      {MakeRegion("hebi", "鹤壁", RegionKind::kHomeCity),
       MakeRegion("zhengzhou", "郑州", RegionKind::kProvincialCapital),
       MakeRegion("beijing", "北京", RegionKind::kNationalCapital),
       MakeRegion("anyang", "安阳", RegionKind::kOther)},
      {MakeUnit("mine-1", "一矿", UnitKind::kMine, "hebi", "王矿长", "李干事"),
       MakeUnit("mine-2", "二矿", UnitKind::kMine, "hebi", "赵矿长", "钱干事"),
       MakeUnit("factory-1", "机修厂", UnitKind::kFactory, "anyang", "", ""),
       MakeUnit("dept-hr", "人力资源部", UnitKind::kDepartment, "hebi", "孙部长", "")},
      DefaultCategories(), TimeZone::Shanghai());
}

// A complete registration for mine-1 by its agent's defaults.
inline RegisterItemRequest SampleRegistration(std::string category = "retiree-management") {
  RegisterItemRequest request;
  request.category_id = std::move(category);
  request.description = "退休职工对社会化管理后待遇有疑虑";
  request.persons = 12;
  request.level = RiskLevel::kMedium;
  request.responsible_leader = Person{"王矿长", "+8613800000001", "矿长"};
  request.responsible_person = Person{"李干事", "+8613800000002", "信访员"};
  request.measures = "逐户走访，解释政策";
  return request;
}

class LedgerFixture : public ::testing::Test {
 protected:
  // Monday 2 March 2026, 10:00 in Shanghai.
  const Time t0 = At("2026-03-02T02:00:00Z");

  Organisation org = TestOrg();
  LedgerConfig config = DefaultLedgerConfig(org);
  std::unique_ptr<Ledger> ledger = std::make_unique<Ledger>(org, config);

  // Rebuilds the ledger with the current `config` (after a test changes it).
  void Reconfigure() { ledger = std::make_unique<Ledger>(org, config); }

  // Registers SampleRegistration() for `unit` as its agent; fails the test
  // on error.
  std::string Register(Time now, std::string unit = "mine-1",
                       std::string category = "retiree-management") {
    Effects out;
    RegisterItemRequest request = SampleRegistration(std::move(category));
    request.deadline = now + std::chrono::hours(24 * 20);
    auto id = ledger->Register(request, Actor::Agent(unit), now, out);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : std::string();
  }

  Status Progress(const std::string& id, Time now, std::string text = "今日走访3户",
                  const Actor& who = Actor::Agent("mine-1")) {
    Effects out;
    UpdateItemRequest request;
    request.item_id = id;
    request.progress = std::move(text);
    request.updated_by = "李干事";
    return ledger->Update(request, who, now, out);
  }

  Status Resolve(const std::string& id, Time now, std::string resolution = "补发待遇，职工认可") {
    Effects out;
    UpdateItemRequest request;
    request.item_id = id;
    request.resolution = std::move(resolution);
    return ledger->Update(request, Actor::Agent("mine-1"), now, out);
  }

  Status CloseOut(const std::string& id, Time now, std::string leader = "王矿长") {
    Effects out;
    CloseOutRequest request;
    request.item_id = id;
    request.confirmed_by_leader = std::move(leader);
    return ledger->CloseOut(request, Actor::Agent("mine-1"), now, out);
  }

  Status Reopen(const std::string& id, Time now) {
    Effects out;
    ReopenRequest request;
    request.item_id = id;
    request.reason = "职工再次集中反映";
    return ledger->Reopen(request, Actor::Operator("zhang"), now, out);
  }

  ItemState StateOf(const std::string& id) const { return ledger->FindItem(id)->state; }
};

}  // namespace anding::core::ledger::testing
