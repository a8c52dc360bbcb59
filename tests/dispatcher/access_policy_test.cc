// The access policy (access_policy.h) over every operator request case.
#include "access_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace anding::dispatcher {
namespace {

using core::Role;
using ::testing::HasSubstr;
using R = v1::OperatorRequest;

Principal Operator(Role role, std::string unit = {}) {
  Principal who{Principal::Kind::kOperator, "someone"};
  who.role = role;
  who.unit_id = std::move(unit);
  return who;
}

// Every case of the oneof, with its field number.
std::vector<const google::protobuf::FieldDescriptor*> AllCases() {
  std::vector<const google::protobuf::FieldDescriptor*> cases;
  const auto* oneof = R::descriptor()->FindOneofByName("request");
  for (int i = 0; i < oneof->field_count(); ++i) cases.push_back(oneof->field(i));
  return cases;
}

// A request of the given case, its sub-message empty.
R RequestOf(const google::protobuf::FieldDescriptor* field) {
  R request;
  request.GetReflection()->MutableMessage(&request, field);
  return request;
}

TEST(AccessPolicyTest, EveryRequestCaseHasExactlyOneRule) {
  // Fails when a request is added to operator.proto without deciding who
  // may make it: add its row to kRules in access_policy.cc.
  std::set<int> seen;
  for (const CaseRule& rule : AccessRules()) {
    EXPECT_TRUE(seen.insert(rule.request_case).second)
        << "two rules for case " << rule.request_case;
  }
  for (const auto* field : AllCases()) {
    EXPECT_NE(FindAccessRule(static_cast<R::RequestCase>(field->number())), nullptr)
        << "no access rule for operator request '" << field->name() << "'";
  }
  EXPECT_EQ(seen.size(), AllCases().size()) << "a rule for a case that does not exist";
}

TEST(AccessPolicyTest, CommandersMayDoEverythingAndEveryRuleAdmitsThem) {
  for (const auto* field : AllCases()) {
    R request = RequestOf(field);
    EXPECT_TRUE(Authorize(Operator(Role::kCommander), request).ok()) << field->name();
  }
}

TEST(AccessPolicyTest, EveryCaseIsDecidedForEveryRoleAsTheTableSays) {
  for (const auto* field : AllCases()) {
    const CaseRule* rule = FindAccessRule(static_cast<R::RequestCase>(field->number()));
    ASSERT_NE(rule, nullptr) << field->name();
    for (const Role role : core::kAllRoles) {
      R request = RequestOf(field);
      const Principal who = Operator(role, role == Role::kUnitOfficer ? "mine-3" : "");
      const Status status = Authorize(who, request);
      const bool expected = rule->roles.contains(role) &&
                            (role != Role::kUnitOfficer || rule->unit_scope != UnitScope::kDenied);
      EXPECT_EQ(status.ok(), expected) << field->name() << " as " << core::RoleName(role);
      if (!status.ok()) {
        EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
      }
    }
  }
}

TEST(AccessPolicyTest, UnitScopedCasesHaveAUnitFieldToHoldTheOfficerTo) {
  for (const CaseRule& rule : AccessRules()) {
    if (rule.unit_scope != UnitScope::kRequestUnit) continue;
    const auto* field = R::descriptor()->FindFieldByNumber(rule.request_case);
    ASSERT_NE(field, nullptr);
    const auto* unit = field->message_type()->FindFieldByName("unit_id");
    ASSERT_NE(unit, nullptr) << field->name() << " is unit-scoped but has no unit_id";
    EXPECT_EQ(unit->cpp_type(), google::protobuf::FieldDescriptor::CPPTYPE_STRING);
  }
}

TEST(AccessPolicyTest, WhatTheRolesMayDo) {
  const Principal petition = Operator(Role::kPetitionOffice);
  const Principal auditor = Operator(Role::kAuditor);
  R request;
  request.mutable_register_ledger_item();
  EXPECT_TRUE(Authorize(petition, request).ok());
  EXPECT_FALSE(Authorize(auditor, request).ok()) << "auditors only read";
  request.mutable_create_transfer();
  EXPECT_FALSE(Authorize(petition, request).ok()) << "the petition office moves no money";
  request.mutable_list_audit();
  EXPECT_TRUE(Authorize(auditor, request).ok());
  EXPECT_FALSE(Authorize(petition, request).ok());
  request.mutable_add_user();
  EXPECT_THAT(Authorize(auditor, request).message(), HasSubstr("auditor may not add_user"));
  Principal agent{Principal::Kind::kAgent, "mine-3"};
  request.mutable_status();
  EXPECT_FALSE(Authorize(agent, request).ok()) << "agents make no operator requests";
}

TEST(AccessPolicyTest, AUnitOfficerIsHeldToTheirUnit) {
  const Principal officer = Operator(Role::kUnitOfficer, "mine-3");
  R request;
  request.mutable_list_ledger_items();
  ASSERT_TRUE(Authorize(officer, request).ok());
  EXPECT_EQ(request.list_ledger_items().unit_id(), "mine-3") << "the list becomes the unit's";
  request.mutable_list_ledger_items()->set_unit_id("mine-7");
  const Status other = Authorize(officer, request);
  EXPECT_EQ(other.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(other.message(), HasSubstr("unit_id"));
  request.mutable_update_incident_status()->set_unit_id("mine-3");
  EXPECT_TRUE(Authorize(officer, request).ok());
  request.mutable_confirm_assignment();
  EXPECT_FALSE(Authorize(officer, request).ok());
}

TEST(AccessPolicyTest, AUnitOfficerSeesTheirUnitsEntriesOnly) {
  const Principal officer = Operator(Role::kUnitOfficer, "mine-3");
  R request;
  request.mutable_list_alerts();
  v1::OperatorResponse response;
  for (const char* unit : {"mine-3", "mine-7", "", "mine-3"}) {
    response.mutable_list_alerts()->add_alerts()->set_unit_id(unit);
  }
  ShapeResponse(officer, request, response);
  ASSERT_EQ(response.list_alerts().alerts_size(), 2);
  for (const auto& alert : response.list_alerts().alerts()) EXPECT_EQ(alert.unit_id(), "mine-3");

  request.mutable_daily_summary();
  v1::OperatorResponse summary;
  summary.mutable_daily_summary()->add_rows()->set_unit_id("mine-7");
  summary.mutable_daily_summary()->add_rows()->set_unit_id("mine-3");
  summary.mutable_daily_summary()->add_units_not_reported("mine-7");
  ShapeResponse(officer, request, summary);
  ASSERT_EQ(summary.daily_summary().rows_size(), 1);
  EXPECT_EQ(summary.daily_summary().rows(0).unit_id(), "mine-3");
  EXPECT_EQ(summary.daily_summary().units_not_reported_size(), 0);
}

TEST(AccessPolicyTest, AnotherUnitsRecordIsForbiddenToAUnitOfficer) {
  const Principal officer = Operator(Role::kUnitOfficer, "mine-3");
  R request;
  request.mutable_show_incident()->set_incident_id("inc-1");
  v1::OperatorResponse response;
  response.set_request_id("r1");
  response.mutable_incident()->mutable_incident()->add_responses()->set_unit_id("mine-7");
  v1::OperatorResponse own = response;
  own.mutable_incident()->mutable_incident()->add_responses()->set_unit_id("mine-3");
  ShapeResponse(officer, request, response);
  EXPECT_EQ(response.error().code(), "PERMISSION_DENIED");
  EXPECT_EQ(response.request_id(), "r1");
  EXPECT_FALSE(response.has_incident()) << "nothing of the record is left";
  ShapeResponse(officer, request, own);
  EXPECT_FALSE(own.has_error());
  EXPECT_TRUE(own.has_incident());
}

TEST(AccessPolicyTest, PersonalDetailsAreMaskedForRolesThatDoNotNeedThem) {
  v1::OperatorResponse response;
  auto* item = response.mutable_ledger_item()->mutable_item();
  item->set_unit_id("mine-3");
  item->add_key_persons("王某某");
  item->mutable_responsible_leader()->set_name("李矿长");
  item->mutable_responsible_leader()->set_phone("+8613800000001");
  item->mutable_responsible_person()->set_name("");
  item->add_history()->set_person("张主任");
  item->set_description("补偿问题");
  R request;
  request.mutable_show_ledger_item();

  for (const Role role : core::kAllRoles) {
    v1::OperatorResponse shaped = response;
    ShapeResponse(Operator(role, role == Role::kUnitOfficer ? "mine-3" : ""), request, shaped);
    const auto& view = shaped.ledger_item().item();
    if (SeesPersonalDetails(role)) {
      EXPECT_EQ(view.key_persons(0), "王某某") << core::RoleName(role);
      EXPECT_EQ(view.responsible_leader().phone(), "+8613800000001");
    } else {
      EXPECT_EQ(view.key_persons(0), "***") << core::RoleName(role);
      EXPECT_EQ(view.responsible_leader().name(), "***");
      EXPECT_EQ(view.responsible_leader().phone(), "***");
      EXPECT_EQ(view.history(0).person(), "***");
      EXPECT_EQ(view.responsible_person().name(), "") << "empty stays empty";
    }
    EXPECT_EQ(view.description(), "补偿问题") << "what is not personal stays";
  }
  EXPECT_TRUE(SeesPersonalDetails(Role::kCommander));
  EXPECT_TRUE(SeesPersonalDetails(Role::kPetitionOffice));
  EXPECT_FALSE(SeesPersonalDetails(Role::kUnitOfficer));
  EXPECT_FALSE(SeesPersonalDetails(Role::kAuditor));
}

TEST(AccessPolicyTest, MaskingReachesIntoStoredEnvelopes) {
  v1::OperatorResponse response;
  auto* event = response.mutable_list_events()->add_events();
  event->set_unit_id("mine-3");
  auto* reg = event->mutable_envelope()->mutable_ledger_register();
  reg->add_key_persons("赵某");
  reg->mutable_responsible_leader()->set_phone("+8613800000002");
  EXPECT_EQ(MaskPersonalDetails(response), 2u);
  EXPECT_EQ(reg->key_persons(0), "***");
}

TEST(AccessPolicyTest, EveryPersonalFieldExists) {
  // A renamed field would silently stop being masked.
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string_view name : PersonalFields()) {
    const auto* field = pool->FindFieldByName(std::string(name));
    ASSERT_NE(field, nullptr) << name;
    EXPECT_EQ(field->cpp_type(), google::protobuf::FieldDescriptor::CPPTYPE_STRING) << name;
  }
}

}  // namespace
}  // namespace anding::dispatcher
