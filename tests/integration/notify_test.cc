// Notifications through a real Kannel: bearerbox and smsbox with the fake
// SMSC on 127.0.0.1. A major early warning is special-reported (专报) to
// the unit's leader by SMS; the fake SMSC receives it as UCS-2; Kannel's
// delivery report marks it delivered; the leader's reply "收到" from the
// phone acknowledges it and stops its escalation, while a second report
// nobody acknowledges escalates to the petition office head. The faults:
// the gateway down while the dispatcher queues, the dispatcher killed
// between queueing and sending, the gateway restarted with messages in its
// own queue — nothing lost and nothing sent twice by Anding.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "anding/common/strings.h"
#include "support/cluster.h"
#include "support/kannel.h"

namespace anding::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kToken[] = "kannel-callback-token-7f3a9c2e";
constexpr char kLeader[] = "+8613800000031";  // 李矿长, leader of mine-3
constexpr char kHead[] = "+8613800000001";    // 王主任 (hq), the petition office head

void RequireKannel() {
  const auto missing = Kannel::MissingBinaries();
  // Not a skip: deploy/install-deps installs kannel and kannel-extras.
  ASSERT_TRUE(missing.empty()) << "Kannel is not installed (" << missing.front()
                               << "): run deploy/install-deps";
}

std::string NotifyYaml(int http_port, const Kannel& kannel, const std::string& escalate_after) {
  return StrCat(R"(
ledger:
  major_warning: {persons_threshold: 30}
notifications:
  gateway:
    kind: kannel
    sendsms_url: ")",
                kannel.SendsmsUrl(), R"("
    username: anding
    password: anding-secret
    sender: "12110"
    callback_url: "http://127.0.0.1:)",
                http_port, R"("
    callback_token: ")",
                kToken, R"("
    timeout: 3s
  roles:
    petition_office_head: {phones: [")",
                kHead, R"("]}
  escalation: {after: )",
                escalate_after, R"(, chain: [unit_leaders, petition_office_head]}
  retry: {initial: 200ms, max: 1s}
)");
}

std::string ReplyUrl(int http_port) {
  return StrCat("http://127.0.0.1:", http_port, "/notify/kannel/mo?token=", kToken,
                "&from=%p&text=%a");
}

CommandResult ReportMajorWarning(Cluster& cluster, const std::string& summary) {
  return cluster.Agent(
      "mine-3", {"report", "early-warning", "--summary", summary, "--persons", "40", "--category",
                 "retiree-management", "--level", "high", "--major"});
}

// The messages the fake SMSC got for `receiver` whose text contains `needle`.
std::vector<ReceivedSms> To(const Kannel& kannel, const std::string& receiver,
                            const std::string& needle) {
  std::vector<ReceivedSms> found;
  for (auto& sms : kannel.Received()) {
    if (sms.receiver == receiver && sms.text.find(needle) != std::string::npos) {
      found.push_back(sms);
    }
  }
  return found;
}

int64_t Messages(Cluster& cluster, const std::string& where) {
  return Cluster::QueryInt(cluster.DispatcherDatabase(),
                           StrCat("SELECT COUNT(*) FROM notify_messages WHERE ", where));
}

// GET /metrics from the dispatcher's HTTP listener ("127.0.0.1:port").
std::string Metrics(const std::string& address) {
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  const size_t colon = address.rfind(':');
  socket.connect({boost::asio::ip::make_address(address.substr(0, colon)),
                  static_cast<uint16_t>(std::stoi(address.substr(colon + 1)))});
  http::request<http::string_body> request(http::verb::get, "/metrics", 11);
  request.set(http::field::host, address);
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response.body();
}

// The value of the sample `series` (name and labels, as written) in a
// scrape; -1 when it is missing.
double Sample(const std::string& scrape, const std::string& series) {
  std::istringstream lines(scrape);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

TEST(NotifyIntegrationTest, SpecialReportBySmsDeliveredAcknowledgedAndEscalated) {
  RequireKannel();
  const int http_port = Kannel::FreePort();
  TempDir kannel_dir("notify-kannel");
  Kannel kannel(kannel_dir.path(), ReplyUrl(http_port));
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.http_listen = StrCat("127.0.0.1:", http_port);
  options.extra_dispatcher_yaml = NotifyYaml(http_port, kannel, "10s");
  Cluster cluster("notify", options);
  kannel.Start();
  kannel.StartSmsc();
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");

  auto first = ReportMajorWarning(cluster, "退休职工集结拟赴京");
  ASSERT_EQ(first.exit_code, 0) << first.err;

  // The leader's phone gets the special report in Chinese, as UCS-2.
  ASSERT_TRUE(WaitFor([&] { return !To(kannel, kLeader, "退休职工集结拟赴京").empty(); },
                      std::chrono::seconds(20)))
      << kannel.Logs() << cluster.dispatcher()->Stderr();
  const ReceivedSms sms = To(kannel, kLeader, "退休职工集结拟赴京").front();
  EXPECT_EQ(sms.coding, "ucs-2");
  EXPECT_THAT(sms.text, HasSubstr("【安定·专报】三矿"));
  EXPECT_EQ(sms.sender, "12110");

  // Kannel's delivery report moves it to delivered.
  ASSERT_TRUE(WaitFor([&] { return Messages(cluster, "state = 'delivered'") == 1; },
                      std::chrono::seconds(15)))
      << kannel.Logs();
  auto list = cluster.Operator({"notify", "list", "--all"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("delivered"));
  EXPECT_THAT(list.out, HasSubstr("UNACKNOWLEDGED"));
  auto shown = cluster.Operator({"notify", "show", "1"});
  EXPECT_THAT(shown.out, HasSubstr("report:1"));
  EXPECT_THAT(shown.out, HasSubstr("0: Accepted for delivery"));

  // The leader replies "收到" from the phone: acknowledged, and the phone
  // gets a polite confirmation.
  kannel.StartSmsc(StrCat(kLeader, " 12110 text 收到"));
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.DispatcherDatabase(),
                                 StrCat("SELECT COUNT(*) FROM notify_events WHERE acknowledged_by "
                                        "= 'sms:",
                                        kLeader, "'")) == 1;
      },
      std::chrono::seconds(15)))
      << kannel.Logs();
  EXPECT_TRUE(WaitFor([&] { return !To(kannel, kLeader, "已确认收到").empty(); },
                      std::chrono::seconds(10)));

  // A second report nobody acknowledges escalates to the petition office
  // head; the first, acknowledged one (whose time passed earlier) does not.
  auto second = ReportMajorWarning(cluster, "职工围堵矿部大门");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  ASSERT_TRUE(WaitFor([&] { return !To(kannel, kLeader, "职工围堵矿部大门").empty(); },
                      std::chrono::seconds(20)));
  ASSERT_TRUE(WaitFor([&] { return !To(kannel, kHead, "职工围堵矿部大门").empty(); },
                      std::chrono::seconds(30)))
      << kannel.Logs();
  EXPECT_THAT(To(kannel, kHead, "职工围堵矿部大门").front().text, HasSubstr("【升级】"));
  EXPECT_TRUE(To(kannel, kHead, "退休职工集结拟赴京").empty());
  EXPECT_EQ(Messages(cluster, StrCat("address = '", kHead, "'")), 1);

  auto status = cluster.Operator({"status"});
  EXPECT_THAT(status.out, HasSubstr("notifications (kannel)"));
  EXPECT_THAT(status.out, HasSubstr("escalated 1"));
  const std::string scrape = Metrics(cluster.HttpAddress());
  EXPECT_EQ(Sample(scrape, "anding_notification_escalations_total"), 1) << scrape;
  EXPECT_EQ(Sample(scrape, R"(anding_notification_acknowledgements_total{by="sms_reply"})"), 1);
  EXPECT_EQ(Sample(scrape, "anding_notification_events_escalated"), 1);
  EXPECT_GE(Sample(scrape, R"(anding_notifications{state="delivered"})"), 1);

  // A reply from a number nobody registered changes nothing.
  kannel.StartSmsc("+8613999999999 12110 text 1");
  EXPECT_TRUE(WaitFor([&] { return !To(kannel, "+8613999999999", "未登记").empty(); },
                      std::chrono::seconds(10)));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM notify_events WHERE acknowledged_by <> ''"),
            1);
}

TEST(NotifyIntegrationTest, NothingLostNothingSentTwiceThroughGatewayAndDispatcherFaults) {
  RequireKannel();
  const int http_port = Kannel::FreePort();
  TempDir kannel_dir("notify-faults-kannel");
  Kannel kannel(kannel_dir.path(), ReplyUrl(http_port));
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.http_listen = StrCat("127.0.0.1:", http_port);
  options.extra_dispatcher_yaml = NotifyYaml(http_port, kannel, "1h");
  Cluster cluster("notify-faults", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");

  // The gateway is down: the dispatcher stores the message and retries.
  auto first = ReportMajorWarning(cluster, "一号预警");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_TRUE(
      WaitFor([&] { return Messages(cluster, "state = 'queued' AND last_error <> ''") == 1; },
              std::chrono::seconds(15)));

  // Killed between queueing and sending; the gateway comes up meanwhile.
  cluster.KillDispatcher();
  kannel.Start();
  kannel.StartSmsc();
  cluster.StartDispatcher();
  ASSERT_TRUE(WaitFor([&] { return Messages(cluster, "state = 'delivered'") == 1; },
                      std::chrono::seconds(20)))
      << kannel.Logs();
  EXPECT_EQ(To(kannel, kLeader, "一号预警").size(), 1u);

  // The SMS centre is away: Kannel takes the message and keeps it in its
  // own queue; then Kannel itself restarts.
  kannel.StopSmsc();
  auto second = ReportMajorWarning(cluster, "二号预警");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  ASSERT_TRUE(WaitFor([&] { return Messages(cluster, "state IN ('sent', 'queued_at_smsc')") == 1; },
                      std::chrono::seconds(15)))
      << kannel.Logs();
  kannel.Stop();
  kannel.Start();
  kannel.StartSmsc();
  ASSERT_TRUE(WaitFor([&] { return Messages(cluster, "state = 'delivered'") == 2; },
                      std::chrono::seconds(30)))
      << kannel.Logs();
  EXPECT_EQ(To(kannel, kLeader, "二号预警").size(), 1u);
  EXPECT_EQ(To(kannel, kLeader, "一号预警").size(), 1u);
  EXPECT_EQ(Messages(cluster, "1 = 1"), 2);
}

TEST(NotifyIntegrationTest, CallbacksWithoutTheTokenAreRefused) {
  RequireKannel();
  const int http_port = Kannel::FreePort();
  TempDir kannel_dir("notify-token-kannel");
  Kannel kannel(kannel_dir.path(),
                StrCat("http://127.0.0.1:", http_port,
                       "/notify/kannel/mo?token=wrong-token-0123456&from=%p&text=%a"));
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.http_listen = StrCat("127.0.0.1:", http_port);
  options.extra_dispatcher_yaml = NotifyYaml(http_port, kannel, "1h");
  Cluster cluster("notify-token", options);
  kannel.Start();
  kannel.StartSmsc();
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  auto first = ReportMajorWarning(cluster, "令牌测试");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_TRUE(WaitFor([&] { return Messages(cluster, "state = 'delivered'") == 1; },
                      std::chrono::seconds(20)));
  // A reply through a service with the wrong token is refused: nothing is
  // acknowledged.
  kannel.StartSmsc(StrCat(kLeader, " 12110 text 1"));
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster.dispatcher()->Stderr().find("refused: wrong token") != std::string::npos ||
               cluster.dispatcher()->Stdout().find("refused: wrong token") != std::string::npos;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM notify_events WHERE acknowledged_by <> ''"),
            0);
}

// A webhook receiver on 127.0.0.1: records every request, answers the
// first `failures` with 503 and the rest with 200.
class WebhookSink {
 public:
  struct Request {
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
  };

  explicit WebhookSink(int failures) : failures_(failures) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t size = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    listen(listener_, 16);
    thread_ = std::thread([this] { Serve(); });
  }
  ~WebhookSink() {
    stop_ = true;
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::vector<Request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stop_) {
      const int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      std::string data;
      char buffer[4096];
      size_t body_at = std::string::npos;
      size_t length = 0;
      while (true) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        data.append(buffer, static_cast<size_t>(n));
        if (body_at == std::string::npos &&
            (body_at = data.find("\r\n\r\n")) != std::string::npos) {
          body_at += 4;
          std::string lower = data.substr(0, body_at);
          for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          const auto at = lower.find("content-length:");
          if (at != std::string::npos) length = std::stoul(lower.substr(at + 15));
        }
        if (body_at != std::string::npos && data.size() >= body_at + length) break;
      }
      Request request;
      if (body_at != std::string::npos) {
        request.body = data.substr(body_at, length);
        std::istringstream lines(data.substr(0, body_at));
        std::string line;
        while (std::getline(lines, line)) {
          const auto colon = line.find(':');
          if (colon == std::string::npos) continue;
          std::string name = line.substr(0, colon);
          for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          std::string value = line.substr(colon + 1);
          while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
          while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
          request.headers[name] = value;
        }
      }
      bool fail = false;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(std::move(request));
        fail = static_cast<int>(requests_.size()) <= failures_;
      }
      const std::string answer =
          fail ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: "
                 "close\r\n\r\nbusy"
               : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
      (void)write(fd, answer.data(), answer.size());
      close(fd);
    }
  }

  int failures_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Request> requests_;
  std::thread thread_;
};

std::string HmacHex(const std::string& secret, const std::string& message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

TEST(NotifyIntegrationTest, WebhooksAreSignedRetriedAndLogged) {
  WebhookSink sink(/*failures=*/1);
  const std::string secret = "webhook-secret-0123456789abcdef";
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.extra_dispatcher_yaml = StrCat(R"(
ledger:
  major_warning: {persons_threshold: 30}
notifications:
  webhooks:
    - {name: duty-board, url: "http://127.0.0.1:)",
                                         sink.port(), R"(/hook", secret: ")", secret, R"("}
  routing:
    - {kind: special_report, groups: [unit_leaders], channels: [webhook], require_ack: true}
  retry: {initial: 200ms, max: 1s}
)");
  Cluster cluster("notify-webhook", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  const std::string before = Metrics(cluster.HttpAddress());
  EXPECT_EQ(Sample(before, R"(anding_notifications{state="delivered"})"), 0) << before;
  EXPECT_EQ(Sample(before, R"(anding_notification_acknowledgements_total{by="operator"})"), 0);
  auto report = ReportMajorWarning(cluster, "网络钩子测试");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  ASSERT_TRUE(WaitFor([&] { return Messages(cluster, "state = 'delivered'") == 1; },
                      std::chrono::seconds(20)))
      << cluster.dispatcher()->Stderr();
  const auto requests = sink.requests();
  ASSERT_EQ(requests.size(), 2u);  // 503 first, then taken
  for (const auto& request : requests) {
    const std::string timestamp = request.headers.at("x-anding-timestamp");
    EXPECT_EQ(request.headers.at("x-anding-signature"),
              StrCat("sha256=", HmacHex(secret, StrCat(timestamp, ".", request.body))));
    EXPECT_EQ(request.headers.at("content-type"), "application/json");
    EXPECT_THAT(request.body, HasSubstr("\"kind\":\"special_report\""));
    EXPECT_THAT(request.body, HasSubstr("网络钩子测试"));
  }
  // Refused for certain (503): the retry is a new attempt.
  EXPECT_EQ(requests[0].headers.at("idempotency-key"), "n1-1");
  EXPECT_EQ(requests[1].headers.at("idempotency-key"), "n1-2");
  auto shown = cluster.Operator({"notify", "show", "1"});
  EXPECT_THAT(shown.out, HasSubstr("unavailable"));
  EXPECT_THAT(shown.out, HasSubstr("accepted"));

  // /metrics counts it: delivered, one attempt refused and one taken, and
  // how long the exchanges took.
  const std::string after = Metrics(cluster.HttpAddress());
  EXPECT_EQ(Sample(after, R"(anding_notifications{state="delivered"})"), 1) << after;
  EXPECT_EQ(Sample(after, R"(anding_notifications{state="queued"})"), 0);
  EXPECT_EQ(
      Sample(after,
             R"(anding_notification_attempts_total{channel="webhook",outcome="unavailable"})"),
      1);
  EXPECT_EQ(
      Sample(after, R"(anding_notification_attempts_total{channel="webhook",outcome="accepted"})"),
      1);
  EXPECT_EQ(Sample(after, R"(anding_notification_send_seconds_count{channel="webhook"})"), 2);
  EXPECT_EQ(Sample(after, R"(anding_notification_accepted_after_seconds_count{channel="webhook"})"),
            1);
  EXPECT_EQ(Sample(after, "anding_notification_events_unacknowledged"), 1);

  // Acknowledged from the command line, once.
  auto ack = cluster.Operator({"notify", "ack", "1"});
  EXPECT_EQ(ack.exit_code, 0) << ack.err;
  EXPECT_THAT(ack.out, HasSubstr("acknowledged by operator:"));
  auto again = cluster.Operator({"notify", "ack", "1"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("already acknowledged"));
  EXPECT_NE(cluster.Operator({"notify", "ack", "x"}).exit_code, 0);
  const std::string acked = Metrics(cluster.HttpAddress());
  EXPECT_EQ(Sample(acked, R"(anding_notification_acknowledgements_total{by="operator"})"), 1)
      << acked;
  EXPECT_EQ(Sample(acked, "anding_notification_events_unacknowledged"), 0);

  // The template as a phone counts it.
  auto preview = cluster.Operator({"notify", "preview", "--kind", "special_report", "--unit",
                                   "mine-3", "--text", "35名退休职工酝酿赴京上访"});
  EXPECT_EQ(preview.exit_code, 0) << preview.err;
  EXPECT_THAT(preview.out, HasSubstr("【安定·专报】三矿：35名退休职工酝酿赴京上访"));
  EXPECT_THAT(preview.out, HasSubstr("ucs2"));
  EXPECT_THAT(preview.out, HasSubstr("1 message of up to 70"));

  // A test message to every webhook.
  auto test = cluster.Operator({"notify", "test-send", "--webhooks", "--text", "测试"});
  EXPECT_EQ(test.exit_code, 0) << test.err;
  ASSERT_TRUE(WaitFor([&] { return sink.requests().size() == 3; }, std::chrono::seconds(10)));
  EXPECT_THAT(sink.requests()[2].body, HasSubstr("\"kind\":\"test\""));
}

}  // namespace
}  // namespace anding::testing
