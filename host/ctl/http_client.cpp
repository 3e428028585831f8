#include "ctl/http_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstring>

#include "ctl/fd_stream.h"

namespace ephemera::ctl {
namespace http = boost::beast::http;
namespace {

constexpr uint64_t kMaxBodyBytes = 64ull << 20;  // a full page of workers fits with room

std::string errno_text(int err) { return std::strerror(err); }

// Says what failed and where, and what to try.
CtlError connect_error(const std::string& path, int err) {
  std::string hint;
  if (err == ENOENT || err == ECONNREFUSED) hint = " (is ephemerad running? see --socket / EPHEMERA_SOCKET)";
  if (err == EACCES) hint = " (needs membership in the socket's group, or sudo)";
  return runtime_error("cannot connect to ephemerad at " + path + ": " + errno_text(err) + hint);
}

Outcome<UniqueFd> connect_unix(const ClientOptions& options) {
  sockaddr_un addr{};
  if (options.socket_path.size() >= sizeof(addr.sun_path)) {
    return runtime_error("socket path too long: " + options.socket_path);
  }
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return runtime_error("socket(): " + errno_text(errno));
  // For unix sockets the send timeout also bounds a connect that waits on a
  // full backlog.
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(options.timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((options.timeout.count() % 1000) * 1000);
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, options.socket_path.data(), options.socket_path.size());
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return connect_error(options.socket_path, errno);
  }
  return fd;
}

http::request<http::string_body> to_beast(const Request& request, const ClientOptions& options) {
  http::request<http::string_body> req(http::string_to_verb(request.method), request.target, 11);
  req.set(http::field::host, "localhost");
  req.set(http::field::user_agent, "ephemeractl");
  req.set(http::field::accept, "application/json");
  req.set(http::field::connection, "close");
  if (options.token) req.set(http::field::authorization, "Bearer " + *options.token);
  if (!request.body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = request.body;
  req.prepare_payload();
  return req;
}

class UnixSocketClient final : public HttpClient {
 public:
  explicit UnixSocketClient(ClientOptions options) : options_(std::move(options)) {}

  Outcome<Response> send(const Request& request) override {
    auto fd = connect_unix(options_);
    if (!fd) return fd.error();
    FdStream stream(std::move(fd.value()), std::chrono::steady_clock::now() + options_.timeout);
    boost::beast::error_code ec;
    auto req = to_beast(request, options_);
    http::write(stream, req, ec);
    if (ec) return exchange_error("sending the request", ec);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    http::read(stream, buffer, parser, ec);
    if (ec) return exchange_error("reading the answer", ec);
    auto& res = parser.get();
    return Response{static_cast<int>(res.result_int()), std::move(res.body()),
                    std::string(res[http::field::retry_after])};
  }

 private:
  CtlError exchange_error(const char* what, const boost::beast::error_code& ec) const {
    return runtime_error("ephemerad at " + options_.socket_path + ": " + what + ": " + ec.message());
  }

  ClientOptions options_;
};

}  // namespace

std::unique_ptr<HttpClient> make_unix_socket_client(ClientOptions options) {
  return std::make_unique<UnixSocketClient>(std::move(options));
}

}  // namespace ephemera::ctl
