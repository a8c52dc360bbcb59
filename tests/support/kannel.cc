#include "support/kannel.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "anding/common/strings.h"

namespace anding::testing {
namespace {

bool PortOpen(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool open = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return open;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// UTF-16 big-endian (what UCS-2 messages carry) to UTF-8.
std::string Utf16BeToUtf8(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    char32_t unit =
        (static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]);
    if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < bytes.size()) {
      const char32_t low = (static_cast<unsigned char>(bytes[i + 2]) << 8) |
                           static_cast<unsigned char>(bytes[i + 3]);
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    }
    AppendUtf8(out, unit);
  }
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::vector<std::string> Kannel::MissingBinaries() {
  std::vector<std::string> missing;
  for (const char* binary : {kBearerbox, kSmsbox, kFakeSmsc}) {
    if (access(binary, X_OK) != 0) missing.emplace_back(binary);
  }
  return missing;
}

int Kannel::FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ADD_FAILURE() << "cannot bind a port on 127.0.0.1";
    if (fd >= 0) close(fd);
    return 0;
  }
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

Kannel::Kannel(std::string dir, const std::string& reply_url) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  admin_port_ = FreePort();
  smsbox_port_ = FreePort();
  smsc_port_ = FreePort();
  sendsms_port_ = FreePort();
  std::ofstream conf(dir_ + "/kannel.conf", std::ios::trunc);
  conf << "group = core\n"
       << "admin-port = " << admin_port_ << "\n"
       << "admin-interface = 127.0.0.1\n"
       << "admin-password = anding-admin\n"
       << "smsbox-port = " << smsbox_port_ << "\n"
       << "smsbox-interface = 127.0.0.1\n"
       << "box-allow-ip = 127.0.0.1\n"
       << "log-file = \"" << dir_ << "/bearerbox.log\"\n"
       << "log-level = 1\n"
       // Queued messages survive a restart of the gateway.
       << "store-type = file\n"
       << "store-location = \"" << dir_ << "/kannel.store\"\n"
       << "dlr-storage = internal\n\n"
       << "group = smsc\n"
       << "smsc = fake\n"
       << "smsc-id = fake\n"
       << "host = 127.0.0.1\n"
       << "our-host = 127.0.0.1\n"
       << "port = " << smsc_port_ << "\n"
       << "connect-allow-ip = 127.0.0.1\n\n"
       << "group = smsbox\n"
       << "bearerbox-host = 127.0.0.1\n"
       << "bearerbox-port = " << smsbox_port_ << "\n"
       << "sendsms-port = " << sendsms_port_ << "\n"
       << "sendsms-interface = 127.0.0.1\n"
       << "log-file = \"" << dir_ << "/smsbox.log\"\n"
       << "log-level = 1\n\n"
       << "group = sendsms-user\n"
       << "username = anding\n"
       << "password = anding-secret\n"
       << "concatenation = true\n"
       << "max-messages = 10\n\n"
       << "group = sms-service\n"
       << "keyword = default\n"
       << "catch-all = true\n"
       << "get-url = \"" << reply_url << "\"\n"
       << "max-messages = 1\n"
       << "accept-x-kannel-headers = true\n";
}

Kannel::~Kannel() {
  StopSmsc();
  Stop();
}

void Kannel::Start() {
  if (bearerbox_) return;
  bearerbox_ = std::make_unique<Process>(
      kBearerbox, std::vector<std::string>{dir_ + "/kannel.conf"}, dir_ + "/bearerbox");
  ASSERT_TRUE(WaitFor([&] { return PortOpen(smsbox_port_); }, std::chrono::seconds(20)))
      << "bearerbox did not open its smsbox port\n"
      << Logs();
  smsbox_ = std::make_unique<Process>(kSmsbox, std::vector<std::string>{dir_ + "/kannel.conf"},
                                      dir_ + "/smsbox");
  ASSERT_TRUE(WaitFor([&] { return PortOpen(sendsms_port_); }, std::chrono::seconds(20)))
      << "smsbox did not open its sendsms port\n"
      << Logs();
}

void Kannel::Stop() {
  if (smsbox_) smsbox_->Stop(std::chrono::seconds(10));
  if (bearerbox_) bearerbox_->Stop(std::chrono::seconds(15));
  smsbox_.reset();
  bearerbox_.reset();
  // The ports must be free before a restart binds them again.
  ASSERT_TRUE(WaitFor([&] { return !PortOpen(sendsms_port_) && !PortOpen(smsbox_port_); },
                      std::chrono::seconds(10)));
}

void Kannel::StartSmsc(const std::string& mo) {
  StopSmsc();
  std::vector<std::string> args = {"-H", "127.0.0.1", "-r", std::to_string(smsc_port_),
                                   "-i", "0.2",       "-m", mo.empty() ? "0" : "1"};
  // With nothing to inject, it still needs a message argument (sent 0 times).
  args.push_back(mo.empty() ? "0 0 text -" : mo);
  smsc_ = std::make_unique<Process>(kFakeSmsc, args, StrCat(dir_, "/fakesmsc-", ++smsc_starts_));
}

void Kannel::StopSmsc() {
  if (smsc_) smsc_->Stop(std::chrono::seconds(5));
  smsc_.reset();
}

std::string Kannel::SendsmsUrl() const {
  return StrCat("http://127.0.0.1:", sendsms_port_, "/cgi-bin/sendsms");
}

std::vector<ReceivedSms> Kannel::Received() const {
  std::vector<ReceivedSms> received;
  // Parts of concatenated messages by (sender, receiver, reference): the
  // fake SMSC prints each part as "udh <header> <data>".
  std::map<std::string, std::map<int, std::string>> parts;
  for (int i = 1; i <= smsc_starts_; ++i) {
    // fakesmsc logs to standard error: "... Got message N: <from to coding data>".
    const std::string log = ReadFile(StrCat(dir_, "/fakesmsc-", i, ".err")) +
                            ReadFile(StrCat(dir_, "/fakesmsc-", i, ".out"));
    std::istringstream lines(log);
    std::string line;
    while (std::getline(lines, line)) {
      const auto got = line.find("Got message ");
      if (got == std::string::npos) continue;
      const auto open = line.find('<', got);
      const auto close = line.rfind('>');
      if (open == std::string::npos || close == std::string::npos || close < open) continue;
      std::istringstream fields(line.substr(open + 1, close - open - 1));
      ReceivedSms sms;
      std::string data;
      fields >> sms.sender >> sms.receiver >> sms.coding;
      if (sms.coding == "udh") {
        // "udh <header> [data|text|ucs-2] <data>".
        std::string header;
        fields >> header >> data;
        if (data == "data" || data == "text" || data == "ucs-2" || data == "ucs2") fields >> data;
        const std::string udh = UrlDecode(header);
        // UDHL, then IE 0x00 (8-bit reference: ref, total, seq) or 0x08
        // (16-bit reference: ref ref, total, seq).
        if (udh.size() < 6) continue;
        const auto byte = [&](size_t k) { return static_cast<unsigned char>(udh[k]); };
        const bool wide = byte(1) == 0x08;
        const int reference = wide ? byte(3) * 256 + byte(4) : byte(3);
        const int total = wide ? byte(5) : byte(4);
        const int seq = wide ? byte(6) : byte(5);
        const std::string key = StrCat(sms.sender, " ", sms.receiver, " ", reference);
        parts[key][seq] = UrlDecode(data);
        if (static_cast<int>(parts[key].size()) < total) continue;
        std::string whole;
        for (const auto& [n, bytes] : parts[key]) whole += bytes;
        parts.erase(key);
        // Chinese is UCS-2: decoded as UTF-16 it reads back.
        sms.text = Utf16BeToUtf8(whole);
        sms.coding = "ucs-2";
        received.push_back(std::move(sms));
        continue;
      }
      std::getline(fields, data);
      if (!data.empty() && data[0] == ' ') data.erase(0, 1);
      if (sms.coding == "ucs-2" || sms.coding == "ucs2") {
        sms.text = Utf16BeToUtf8(UrlDecode(data));
      } else if (sms.coding == "data") {
        sms.text = UrlDecode(data);
      } else {
        sms.text = data;
      }
      received.push_back(std::move(sms));
    }
  }
  return received;
}

std::string Kannel::Logs() const {
  auto tail = [](const std::string& text) {
    return text.size() > 3000 ? text.substr(text.size() - 3000) : text;
  };
  return StrCat("--- bearerbox.log\n", tail(ReadFile(dir_ + "/bearerbox.log")),
                "\n--- smsbox.log\n", tail(ReadFile(dir_ + "/smsbox.log")));
}

}  // namespace anding::testing
