#include "api/admin_api.h"

#include <sys/stat.h>

#include <cstring>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "api/http_session.h"
#include "api/server_state.h"

namespace ephemera::api {

using Protocol = boost::asio::local::stream_protocol;

struct AdminApi::Impl {
  std::shared_ptr<detail::ServerState> state;
  std::optional<Protocol::acceptor> acceptor;
  std::filesystem::path socket_path;

  void accept() {
    acceptor->async_accept([this](boost::system::error_code ec, Protocol::socket socket) {
      if (ec == boost::asio::error::operation_aborted || state->stopping) return;
      if (ec) {
        // EMFILE and friends: log, keep accepting; the next connection may fit.
        spdlog::warn("admin API accept: {}", ec.message());
      } else if (state->active.load() >= state->options.max_connections) {
        refuse(std::move(socket));
      } else {
        std::make_shared<detail::HttpSession>(state, std::move(socket))->start();
      }
      accept();
    });
  }

  // Over the connection limit: a short 503, written without a session.
  static void refuse(Protocol::socket socket) {
    static const std::string kReply =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
        "Retry-After: 1\r\nContent-Length: 83\r\n\r\n"
        "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"too many connections, try again later\"}}";
    auto s = std::make_shared<Protocol::socket>(std::move(socket));
    boost::asio::async_write(*s, boost::asio::buffer(kReply), [s](boost::system::error_code, size_t) {
      boost::system::error_code ignored;
      s->close(ignored);
    });
  }
};

AdminApi::AdminApi(boost::asio::io_context& io, ApiBackend& backend, ApiOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->state = std::make_shared<detail::ServerState>(io, backend, std::move(options));
}

AdminApi::~AdminApi() { stop(); }

Status AdminApi::listen_unix(const std::filesystem::path& socket, mode_t mode) {
  std::error_code fs_ec;
  // A stale socket from a crashed run would make bind fail; the state-dir
  // lock already guarantees no live daemon of ours is using it.
  if (std::filesystem::is_socket(socket, fs_ec)) std::filesystem::remove(socket, fs_ec);
  boost::system::error_code ec;
  impl_->acceptor.emplace(impl_->state->io);
  impl_->acceptor->open(Protocol(), ec);
  // umask first so the socket is never, even briefly, wider than `mode`.
  mode_t old = ::umask(static_cast<mode_t>(~mode & 0777));
  if (!ec) impl_->acceptor->bind(Protocol::endpoint(socket.string()), ec);
  ::umask(old);
  if (!ec) impl_->acceptor->listen(Protocol::socket::max_listen_connections, ec);
  if (ec) {
    impl_->acceptor.reset();
    return Status(StatusCode::kUnavailable, "listen on " + socket.string() + ": " + ec.message());
  }
  if (::chmod(socket.c_str(), mode) != 0) {
    return Status(StatusCode::kUnavailable, "chmod " + socket.string() + ": " + std::strerror(errno));
  }
  impl_->socket_path = socket;
  impl_->accept();
  return Status::ok();
}

void AdminApi::stop() {
  if (!impl_ || impl_->state->stopping) return;
  impl_->state->stopping = true;
  if (impl_->acceptor) {
    boost::system::error_code ec;
    impl_->acceptor->close(ec);
    impl_->acceptor.reset();
  }
  if (!impl_->socket_path.empty()) {
    std::error_code fs_ec;
    std::filesystem::remove(impl_->socket_path, fs_ec);
  }
  // Copy: a closer may erase itself from the list.
  auto closers = impl_->state->idle_closers;
  for (auto& close : closers) close();
}

size_t AdminApi::active_connections() const { return impl_->state->active.load(); }

}  // namespace ephemera::api
