// The organisation Anding serves, as configured: regions, units and the
// instability-factor categories with their lead departments. Read once from
// the dispatcher's configuration; every domain module refers to it.
// Thread-safety: immutable after construction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/config.h"
#include "anding/common/status.h"
#include "anding/common/time.h"

namespace anding::core {

enum class RegionKind { kHomeCity, kProvincialCapital, kNationalCapital, kOther };

// "home_city", "provincial_capital", "national_capital", "other".
[[nodiscard]] std::string_view RegionKindName(RegionKind kind);
[[nodiscard]] std::optional<RegionKind> ParseRegionKind(std::string_view name);

struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};

struct Region {
  std::string id;    // "hebi"
  std::string name;  // "鹤壁"
  RegionKind kind = RegionKind::kOther;
  std::string province;  // "henan"
  // The region's reference point (city centre), for travel estimates from
  // coordinates; optional.
  std::optional<GeoPoint> location;
};

enum class UnitKind { kMine, kFactory, kDepartment, kCompany };

[[nodiscard]] std::string_view UnitKindName(UnitKind kind);
[[nodiscard]] std::optional<UnitKind> ParseUnitKind(std::string_view name);

// Somebody who must be reachable (leaders, duty officers).
struct Person {
  std::string name;
  std::string phone;  // E.164, may be empty
  std::string title;
  friend bool operator==(const Person&, const Person&) = default;
};

struct Unit {
  std::string id;    // "mine-3"
  std::string name;  // "三矿"
  UnitKind kind = UnitKind::kMine;
  std::string region_id;
  std::optional<GeoPoint> location;
  std::vector<Person> leaders;        // unit leaders who go to incidents
  std::vector<Person> duty_contacts;  // petition office duty phones
};

// A class of instability factor and the business department that leads its
// handling (业务部门牵头).
struct Category {
  std::string id;               // "retiree-management"
  std::string name_zh;          // "退休人员社会化管理"
  std::string name_en;          // "Retirees handed over to social management"
  std::string lead_department;  // "离退休管理部"
};

// The default categories of design §2.2.
[[nodiscard]] std::vector<Category> DefaultCategories();

class Organisation {
 public:
  Organisation() = default;
  Organisation(std::vector<Region> regions, std::vector<Unit> units,
               std::vector<Category> categories, TimeZone zone);

  // Reads `regions:`, `units:` and `categories:` (defaults when absent) and
  // `time_zone:` (default Asia/Shanghai) from the dispatcher configuration,
  // recording errors on `root` for duplicates and dangling references.
  [[nodiscard]] static Organisation Read(ConfigNode& root);

  [[nodiscard]] const Region* FindRegion(std::string_view id) const;
  [[nodiscard]] const Unit* FindUnit(std::string_view id) const;
  [[nodiscard]] const Category* FindCategory(std::string_view id) const;
  // The region a unit is located in (nullptr if the unit is unknown).
  [[nodiscard]] const Region* RegionOfUnit(std::string_view unit_id) const;

  [[nodiscard]] const std::vector<Region>& regions() const { return regions_; }
  [[nodiscard]] const std::vector<Unit>& units() const { return units_; }
  [[nodiscard]] const std::vector<Category>& categories() const { return categories_; }
  [[nodiscard]] const TimeZone& time_zone() const { return zone_; }

 private:
  void Index();
  std::vector<Region> regions_;
  std::vector<Unit> units_;
  std::vector<Category> categories_;
  TimeZone zone_ = TimeZone::Shanghai();
  std::map<std::string, size_t, std::less<>> region_index_;
  std::map<std::string, size_t, std::less<>> unit_index_;
  std::map<std::string, size_t, std::less<>> category_index_;
};

// Great-circle distance in kilometres.
[[nodiscard]] double DistanceKm(const GeoPoint& a, const GeoPoint& b);

}  // namespace anding::core
