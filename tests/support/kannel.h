// A real Kannel SMS gateway for integration tests: bearerbox and smsbox
// (Debian package `kannel`) with the fake SMSC (`kannel-extras`:
// /usr/lib/kannel/test/fakesmsc) standing in for the operator's SMS centre
// and the phones behind it. Everything on 127.0.0.1 with free ports, its
// configuration, logs and message store in a directory of the test's.
//
// The fake SMSC prints every message Kannel delivers to it; Received()
// decodes those lines (UCS-2 back to UTF-8). A reply from a phone is a
// fake SMSC started with that message to inject (only one fake SMSC is
// connected at a time, as Kannel's fake SMSC driver accepts one client).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/process.h"

namespace anding::testing {

struct ReceivedSms {
  std::string sender;
  std::string receiver;
  std::string coding;  // "text", "data" or "ucs-2" as the fake SMSC printed it
  std::string text;    // UTF-8
};

class Kannel {
 public:
  static constexpr const char* kBearerbox = "/usr/sbin/bearerbox";
  static constexpr const char* kSmsbox = "/usr/sbin/smsbox";
  static constexpr const char* kFakeSmsc = "/usr/lib/kannel/test/fakesmsc";
  // The binaries that are missing (empty when all are installed).
  [[nodiscard]] static std::vector<std::string> MissingBinaries();
  // A free TCP port on 127.0.0.1 (bound and released: good enough for tests).
  [[nodiscard]] static int FreePort();

  // Writes `dir`/kannel.conf; replies from phones go to `reply_url` (the
  // smsbox sms-service get-url, with Kannel's %p and %a escapes in it).
  Kannel(std::string dir, const std::string& reply_url);
  ~Kannel();

  // Starts bearerbox and smsbox and waits until sendsms answers.
  void Start();
  // SIGTERM to both (bearerbox keeps what it queued in its store file).
  void Stop();
  [[nodiscard]] bool running() const { return bearerbox_ != nullptr; }

  // Connects a fake SMSC that delivers nothing / that sends `mo` (one
  // "from to text words..." line) once, after a fifth of a second.
  void StartSmsc(const std::string& mo = "");
  void StopSmsc();

  [[nodiscard]] std::string SendsmsUrl() const;
  [[nodiscard]] int sendsms_port() const { return sendsms_port_; }
  // Every message the fake SMSCs of this gateway received, in order.
  [[nodiscard]] std::vector<ReceivedSms> Received() const;
  // Log excerpts for failure messages.
  [[nodiscard]] std::string Logs() const;

 private:
  std::string dir_;
  int admin_port_ = 0;
  int smsbox_port_ = 0;
  int smsc_port_ = 0;
  int sendsms_port_ = 0;
  int smsc_starts_ = 0;
  std::unique_ptr<Process> bearerbox_;
  std::unique_ptr<Process> smsbox_;
  std::unique_ptr<Process> smsc_;
};

}  // namespace anding::testing
