// The service manager's side of sd_notify played by a datagram socket:
// what the daemons send arrives as sent, on a path or in the abstract
// namespace, and nothing is sent (or fails) outside systemd.
#include "anding/runtime/systemd_notify.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace anding::runtime {
namespace {

// A bound datagram socket standing in for systemd, and $NOTIFY_SOCKET
// naming it while it lives.
class FakeServiceManager {
 public:
  explicit FakeServiceManager(std::string name) : name_(std::move(name)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name_.data(), name_.size());
    if (name_[0] == '@') address.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size());
    bound_ = ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0;
    ::setenv("NOTIFY_SOCKET", name_.c_str(), 1);
  }
  ~FakeServiceManager() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    if (name_[0] == '/') std::filesystem::remove(name_);
  }
  [[nodiscard]] bool bound() const { return bound_; }
  // The next datagram (sendto returned before this, so it is queued).
  std::string Received() {
    char buffer[512];
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
    return n < 0 ? std::string("<nothing>") : std::string(buffer, static_cast<size_t>(n));
  }

 private:
  std::string name_;
  int fd_ = -1;
  bool bound_ = false;
};

TEST(SystemdNotifyTest, TheStateArrivesAtTheSocketNamedByNotifySocket) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("anding-notify-" + std::to_string(::getpid())))
          .string();
  FakeServiceManager systemd(path);
  ASSERT_TRUE(systemd.bound());
  ASSERT_TRUE(NotifySystemd("READY=1\nSTATUS=serving").ok());
  EXPECT_EQ(systemd.Received(), "READY=1\nSTATUS=serving");
  ASSERT_TRUE(NotifySystemd("STOPPING=1").ok());
  EXPECT_EQ(systemd.Received(), "STOPPING=1");
}

TEST(SystemdNotifyTest, AnAbstractSocketNameWorksToo) {
  FakeServiceManager systemd("@anding-notify-test-" + std::to_string(::getpid()));
  ASSERT_TRUE(systemd.bound());
  ASSERT_TRUE(NotifySystemd("RELOADING=1").ok());
  EXPECT_EQ(systemd.Received(), "RELOADING=1");
}

TEST(SystemdNotifyTest, OutsideSystemdNothingIsSentAndNothingFails) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_TRUE(NotifySystemd("READY=1").ok());
  ::setenv("NOTIFY_SOCKET", "relative/path", 1);
  EXPECT_EQ(NotifySystemd("READY=1").code(), StatusCode::kInvalidArgument);
  ::setenv("NOTIFY_SOCKET", "/nonexistent/anding/notify", 1);
  EXPECT_EQ(NotifySystemd("READY=1").code(), StatusCode::kUnavailable);
  ::unsetenv("NOTIFY_SOCKET");
}

}  // namespace
}  // namespace anding::runtime
