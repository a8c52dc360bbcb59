#include "anding/core/org.h"

#include <cmath>
#include <set>

#include "anding/common/strings.h"

namespace anding::core {
namespace {

constexpr std::pair<RegionKind, std::string_view> kRegionKinds[] = {
    {RegionKind::kHomeCity, "home_city"},
    {RegionKind::kProvincialCapital, "provincial_capital"},
    {RegionKind::kNationalCapital, "national_capital"},
    {RegionKind::kOther, "other"}};

constexpr std::pair<UnitKind, std::string_view> kUnitKinds[] = {
    {UnitKind::kMine, "mine"},
    {UnitKind::kFactory, "factory"},
    {UnitKind::kDepartment, "department"},
    {UnitKind::kCompany, "company"}};

bool IsPhone(std::string_view phone) {
  if (phone.size() < 6 || phone.size() > 16 || phone[0] != '+') return false;
  for (size_t i = 1; i < phone.size(); ++i) {
    if (phone[i] < '0' || phone[i] > '9') return false;
  }
  return true;
}

std::optional<GeoPoint> ReadLocation(ConfigNode& node) {
  auto location = node.OptionalMap("location");
  if (!location) return std::nullopt;
  GeoPoint point;
  point.latitude = location->Get<double>("lat");
  point.longitude = location->Get<double>("lon");
  if (point.latitude < -90 || point.latitude > 90) location->Error("lat", "must be -90..90");
  if (point.longitude < -180 || point.longitude > 180) location->Error("lon", "must be -180..180");
  return point;
}

std::vector<Person> ReadPeople(ConfigNode& node, std::string_view key) {
  std::vector<Person> people;
  for (auto& item : node.List(key)) {
    Person person;
    person.name = item.Get<std::string>("name");
    person.phone = item.Get<std::string>("phone", "");
    person.title = item.Get<std::string>("title", "");
    if (!person.phone.empty() && !IsPhone(person.phone)) {
      item.Error("phone", "must be in E.164 form, for example +8613800000000");
    }
    people.push_back(std::move(person));
  }
  return people;
}

}  // namespace

std::string_view RegionKindName(RegionKind kind) {
  for (const auto& [k, name] : kRegionKinds) {
    if (k == kind) return name;
  }
  return "other";
}

std::optional<RegionKind> ParseRegionKind(std::string_view name) {
  for (const auto& [kind, n] : kRegionKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::string_view UnitKindName(UnitKind kind) {
  for (const auto& [k, name] : kUnitKinds) {
    if (k == kind) return name;
  }
  return "mine";
}

std::optional<UnitKind> ParseUnitKind(std::string_view name) {
  for (const auto& [kind, n] : kUnitKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::vector<Category> DefaultCategories() {
  return {
      {"labour-contract-compensation", "解除劳动合同补偿金",
       "Compensation on termination of labour contracts", "人力资源部"},
      {"work-injury-aid", "工伤职工就业补助金和医疗救助金",
       "Work-injury employment subsidies and medical aid", "劳动保障部"},
      {"redeployed-managers", "分流管理人员待遇", "Treatment of redeployed managers", "组织部"},
      {"retiree-management", "退休人员社会化管理", "Retirees handed over to social management",
       "离退休管理部"},
      {"three-supplies-handover", "三供一业移交费用",
       "Water, power, heating and property handover fees", "三供一业办公室"},
      {"other", "其他", "Other", "信访办公室"},
  };
}

Organisation::Organisation(std::vector<Region> regions, std::vector<Unit> units,
                           std::vector<Category> categories, TimeZone zone)
    : regions_(std::move(regions)),
      units_(std::move(units)),
      categories_(std::move(categories)),
      zone_(std::move(zone)) {
  Index();
}

void Organisation::Index() {
  region_index_.clear();
  unit_index_.clear();
  category_index_.clear();
  for (size_t i = 0; i < regions_.size(); ++i) region_index_.emplace(regions_[i].id, i);
  for (size_t i = 0; i < units_.size(); ++i) unit_index_.emplace(units_[i].id, i);
  for (size_t i = 0; i < categories_.size(); ++i) category_index_.emplace(categories_[i].id, i);
}

Organisation Organisation::Read(ConfigNode& root) {
  Organisation org;
  const std::string zone_name = root.Get<std::string>("time_zone", "Asia/Shanghai");
  if (auto zone = TimeZone::Load(zone_name); zone.ok()) {
    org.zone_ = *zone;
  } else {
    root.Error("time_zone", zone.status().message());
  }

  std::set<std::string> seen;
  for (auto& node : root.List("regions")) {
    Region region;
    region.id = node.Get<std::string>("id");
    region.name = node.Get<std::string>("name");
    region.province = node.Get<std::string>("province", "");
    region.location = ReadLocation(node);
    const std::string kind = node.Get<std::string>("kind");
    if (auto parsed = ParseRegionKind(kind)) {
      region.kind = *parsed;
    } else if (!kind.empty()) {
      node.Error("kind", "expected home_city, provincial_capital, national_capital or other");
    }
    if (!region.id.empty() && !seen.insert(region.id).second) {
      node.Error("id", StrCat("duplicate region id '", region.id, "'"));
    }
    org.regions_.push_back(std::move(region));
  }

  seen.clear();
  for (auto& node : root.List("units")) {
    Unit unit;
    unit.id = node.Get<std::string>("id");
    unit.name = node.Get<std::string>("name");
    const std::string kind = node.Get<std::string>("kind", "mine");
    if (auto parsed = ParseUnitKind(kind)) {
      unit.kind = *parsed;
    } else {
      node.Error("kind", "expected mine, factory, department or company");
    }
    unit.region_id = node.Get<std::string>("region");
    if (!unit.region_id.empty()) {
      bool known = false;
      for (const auto& region : org.regions_) known = known || region.id == unit.region_id;
      if (!known) node.Error("region", StrCat("unknown region '", unit.region_id, "'"));
    }
    unit.location = ReadLocation(node);
    unit.leaders = ReadPeople(node, "leaders");
    unit.duty_contacts = ReadPeople(node, "duty_contacts");
    if (!unit.id.empty() && !seen.insert(unit.id).second) {
      node.Error("id", StrCat("duplicate unit id '", unit.id, "'"));
    }
    org.units_.push_back(std::move(unit));
  }

  if (root.Has("categories")) {
    seen.clear();
    for (auto& node : root.List("categories")) {
      Category category;
      category.id = node.Get<std::string>("id");
      category.name_zh = node.Get<std::string>("name_zh");
      category.name_en = node.Get<std::string>("name_en", category.id);
      category.lead_department = node.Get<std::string>("lead_department");
      if (!category.id.empty() && !seen.insert(category.id).second) {
        node.Error("id", StrCat("duplicate category id '", category.id, "'"));
      }
      org.categories_.push_back(std::move(category));
    }
  } else {
    org.categories_ = DefaultCategories();
  }
  org.Index();
  return org;
}

const Region* Organisation::FindRegion(std::string_view id) const {
  auto it = region_index_.find(id);
  return it == region_index_.end() ? nullptr : &regions_[it->second];
}

const Unit* Organisation::FindUnit(std::string_view id) const {
  auto it = unit_index_.find(id);
  return it == unit_index_.end() ? nullptr : &units_[it->second];
}

const Category* Organisation::FindCategory(std::string_view id) const {
  auto it = category_index_.find(id);
  return it == category_index_.end() ? nullptr : &categories_[it->second];
}

const Region* Organisation::RegionOfUnit(std::string_view unit_id) const {
  const Unit* unit = FindUnit(unit_id);
  return unit == nullptr ? nullptr : FindRegion(unit->region_id);
}

double DistanceKm(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kEarthRadiusKm = 6371.0;
  constexpr double kDegree = 3.14159265358979323846 / 180.0;
  const double dlat = (b.latitude - a.latitude) * kDegree;
  const double dlon = (b.longitude - a.longitude) * kDegree;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.latitude * kDegree) * std::cos(b.latitude * kDegree) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

}  // namespace anding::core
