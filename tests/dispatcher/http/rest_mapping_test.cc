// The REST mapping as pure functions: path name and JSON (or query) to an
// OperatorRequest, and responses and errors to HTTP answers.
#include "http/rest_mapping.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace anding::dispatcher {
namespace {

boost::json::object Parse(const std::string& text) { return boost::json::parse(text).as_object(); }

TEST(RestMappingTest, APostBodyIsTheJsonOfTheNamedCase) {
  auto request = DecodeApiRequest("POST", "list_events", R"({"unitId":"mine-3","limit":7})", {});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  ASSERT_TRUE(request->has_list_events());
  EXPECT_EQ(request->list_events().unit_id(), "mine-3");
  EXPECT_EQ(request->list_events().limit(), 7u);
  // Proto field names are accepted too, and 64-bit numbers as strings.
  request = DecodeApiRequest("POST", "acknowledge_alert", R"({"alert_id":"8"})", {});
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->acknowledge_alert().alert_id(), 8);
  EXPECT_TRUE(request->request_id().empty());
}

TEST(RestMappingTest, AnEmptyBodyIsAnEmptyMessage) {
  auto request = DecodeApiRequest("POST", "list_incidents", "", {});
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->request_case(), v1::OperatorRequest::kListIncidents);
}

TEST(RestMappingTest, AnUnknownNameIsNotFound) {
  auto request = DecodeApiRequest("POST", "launch_rockets", "{}", {});
  EXPECT_EQ(request.status().code(), StatusCode::kNotFound);
  EXPECT_NE(request.status().message().find("launch_rockets"), std::string::npos);
  // request_id is a field of OperatorRequest, not one of its cases.
  EXPECT_EQ(DecodeApiRequest("POST", "request_id", "{}", {}).status().code(),
            StatusCode::kNotFound);
}

TEST(RestMappingTest, UnknownFieldsAndMalformedJsonAreRefusedNamingTheProblem) {
  auto unknown = DecodeApiRequest("POST", "acknowledge_alert", R"({"alertIdd":1})", {});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("alertIdd"), std::string::npos)
      << unknown.status().message();
  auto malformed = DecodeApiRequest("POST", "acknowledge_alert", R"({"alertId":)", {});
  EXPECT_EQ(malformed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(malformed.status().message().find("JSON body"), std::string::npos);
  auto wrong_type = DecodeApiRequest("POST", "list_events", R"({"limit":"many"})", {});
  EXPECT_EQ(wrong_type.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong_type.status().message().find("limit"), std::string::npos)
      << wrong_type.status().message();
}

TEST(RestMappingTest, AGetTakesTheFieldsFromTheQueryString) {
  auto request =
      DecodeApiRequest("GET", "list_events", {}, {{"unit_id", "mine-3"}, {"limit", "20"}});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->list_events().unit_id(), "mine-3");
  EXPECT_EQ(request->list_events().limit(), 20u);
  // By JSON name as well; a value cannot smuggle in another field.
  request = DecodeApiRequest("GET", "list_events", {}, {{"unitId", R"(x", "limit": "5)"}});
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->list_events().unit_id(), R"(x", "limit": "5)");
  EXPECT_EQ(request->list_events().limit(), 0u);
}

TEST(RestMappingTest, AGetWithAnUnknownOrMalformedParameterNamesIt) {
  auto unknown = DecodeApiRequest("GET", "list_events", {}, {{"colour", "red"}});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("colour"), std::string::npos);
  auto malformed = DecodeApiRequest("GET", "list_events", {}, {{"limit", "-3"}});
  EXPECT_EQ(malformed.status().code(), StatusCode::kInvalidArgument);
}

TEST(RestMappingTest, OtherMethodsAreRefused) {
  EXPECT_EQ(DecodeApiRequest("DELETE", "list_events", {}, {}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(RestMappingTest, ErrorCodesMapToHttpStatuses) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kOutOfRange), 400u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAborted), 409u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDataLoss), 500u);
}

TEST(RestMappingTest, AnErrorIsJsonWithItsCodeAndMessage) {
  const HttpResponse answer = ErrorAnswer(NotFoundError("no incident \"INC-1\""));
  EXPECT_EQ(answer.status, 404u);
  EXPECT_NE(answer.content_type.find("application/json"), std::string::npos);
  auto body = Parse(answer.body);
  EXPECT_EQ(body["error"].as_object()["code"].as_string(), "NOT_FOUND");
  EXPECT_EQ(body["error"].as_object()["message"].as_string(), "no incident \"INC-1\"");
}

TEST(RestMappingTest, AResponseIsItsJsonWithProtoFieldNames) {
  v1::OperatorResponse response;
  response.set_request_id("r-1");
  auto* alert = response.mutable_list_alerts()->add_alerts();
  alert->set_id(12);
  alert->set_unit_id("mine-3");
  const HttpResponse answer = ResponseAnswer(response);
  EXPECT_EQ(answer.status, 200u);
  auto body = Parse(answer.body);
  EXPECT_EQ(body["request_id"].as_string(), "r-1");
  auto& first = body["list_alerts"].as_object()["alerts"].as_array()[0].as_object();
  EXPECT_EQ(first["unit_id"], "mine-3");
  EXPECT_EQ(first["id"], "12");              // int64 is a JSON string in protobuf's mapping
  EXPECT_FALSE(first.contains("severity"));  // defaults are left out
}

TEST(RestMappingTest, AResponseCarryingAnErrorIsThatError) {
  v1::OperatorResponse response;
  response.mutable_error()->set_code("FAILED_PRECONDITION");
  response.mutable_error()->set_message("already confirmed");
  HttpResponse answer = ResponseAnswer(response);
  EXPECT_EQ(answer.status, 409u);
  EXPECT_EQ(Parse(answer.body)["error"].as_object()["message"], "already confirmed");
  response.mutable_error()->set_code("NOT_A_CODE");
  EXPECT_EQ(ResponseAnswer(response).status, 500u);
}

}  // namespace
}  // namespace anding::dispatcher
