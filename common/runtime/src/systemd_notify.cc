#include "anding/runtime/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "anding/common/strings.h"

namespace anding::runtime {

Status NotifySystemd(std::string_view state) {
  const char* socket_name = std::getenv("NOTIFY_SOCKET");
  if (socket_name == nullptr || *socket_name == '\0') return OkStatus();
  const std::string name = socket_name;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  // A name starting with '@' is in the abstract namespace: a leading NUL.
  if (name.size() >= sizeof(address.sun_path) || (name[0] != '/' && name[0] != '@')) {
    return InvalidArgumentError(StrCat("NOTIFY_SOCKET '", name, "' is not a socket path"));
  }
  std::memcpy(address.sun_path, name.data(), name.size());
  if (name[0] == '@') address.sun_path[0] = '\0';
  const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return UnavailableError(StrCat("notify socket: ", std::strerror(errno)));
  const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
  const int error = errno;
  ::close(fd);
  if (sent < 0) return UnavailableError(StrCat("notifying systemd: ", std::strerror(error)));
  return OkStatus();
}

}  // namespace anding::runtime
