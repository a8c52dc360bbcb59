// A one-request HTTP/1.1 client on the dispatcher's io_context, for the SMS
// gateway and webhooks: connect, write, read the whole answer, with one
// deadline over all of it. Plain http:// only (the gateway and the sinks
// sit on loopback or a trusted network).
//
// The caller learns not only the answer but whether the request may have
// reached the far side: a refused connection certainly did not; a timeout
// after the request was written may have (so the caller retries with the
// same idempotency key instead of a new one).
//
// Thread-safety: start and complete on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"

namespace anding::dispatcher::http_client {

struct HttpCall {
  std::string method = "GET";
  std::string url;  // http://host:port/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Duration timeout = std::chrono::seconds(10);
};

struct HttpAnswer {
  unsigned status = 0;
  std::string body;
};

struct HttpOutcome {
  // The answer, or: InvalidArgument (bad URL), Unavailable (could not
  // connect or write), DeadlineExceeded (timed out), or the read error.
  Result<HttpAnswer> answer;
  // True once the whole request was written: the far side may have it.
  bool request_sent = false;
};

// Connections to each host and port, at most `max_per_host` of them, kept
// open between requests (HTTP/1.1 keep-alive), so that a busy webhook
// does not pay a TCP handshake, and leave a socket in TIME_WAIT, per
// message, nor get thousands of connections at once after a large commit.
// Owned by the caller through a shared_ptr; calls in flight hold it weakly.
class ConnectionPool;
[[nodiscard]] std::shared_ptr<ConnectionPool> MakeConnectionPool(size_t max_per_host = 16);

// Starts `call`; `done` runs once on `io`'s thread. Without a pool the
// request says "Connection: close". With one it waits for a free
// connection (or a free slot to open one; the deadline starts then), and
// gives the connection back when the answer allows;
// when a reused connection turns out closed by the far side before any
// answer, the request is written once more on a new connection (the far
// side may then see it twice: callers give it an idempotency key).
void StartHttpCall(boost::asio::io_context& io, HttpCall call,
                   std::function<void(HttpOutcome)> done,
                   const std::shared_ptr<ConnectionPool>& pool = nullptr);

// "a=b&c=d" with each name and value percent-encoded (RFC 3986 unreserved
// characters kept).
[[nodiscard]] std::string FormEncode(
    const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace anding::dispatcher::http_client
