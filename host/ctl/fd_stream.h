// A blocking socket as a Beast SyncReadStream/SyncWriteStream with one
// deadline for the whole exchange. Private to http_client.cpp (pulls in
// Asio buffer types); plain POSIX so no io_context is needed for one request.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/system/system_error.hpp>
#include <cerrno>
#include <chrono>
#include <utility>

namespace ephemera::ctl {

// Owns a file descriptor; closes it once.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

class FdStream {
 public:
  using Clock = std::chrono::steady_clock;
  FdStream(UniqueFd fd, Clock::time_point deadline) : fd_(std::move(fd)), deadline_(deadline) {}

  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers, boost::system::error_code& ec) {
    auto b = first_nonempty<boost::asio::mutable_buffer>(buffers);
    if (b.size() == 0 || !wait_for(POLLIN, ec)) return 0;
    const ssize_t n = ::recv(fd_.get(), b.data(), b.size(), 0);
    return finish(n, ec, /*zero_is_eof=*/true);
  }

  template <class ConstBuffers>
  size_t write_some(const ConstBuffers& buffers, boost::system::error_code& ec) {
    auto b = first_nonempty<boost::asio::const_buffer>(buffers);
    if (b.size() == 0 || !wait_for(POLLOUT, ec)) return 0;
    // MSG_NOSIGNAL: a daemon that hung up is an error value, not SIGPIPE.
    const ssize_t n = ::send(fd_.get(), b.data(), b.size(), MSG_NOSIGNAL);
    return finish(n, ec, /*zero_is_eof=*/false);
  }

  template <class Buffers>
  size_t read_some(const Buffers& buffers) {
    return or_throw([&](auto& ec) { return read_some(buffers, ec); });
  }
  template <class Buffers>
  size_t write_some(const Buffers& buffers) {
    return or_throw([&](auto& ec) { return write_some(buffers, ec); });
  }

 private:
  template <class Buffer, class Buffers>
  static Buffer first_nonempty(const Buffers& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      Buffer b(*it);
      if (b.size() > 0) return b;
    }
    return Buffer();
  }

  template <class F>
  static size_t or_throw(F f) {
    boost::system::error_code ec;
    const size_t n = f(ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  // Waits until the socket is ready or the deadline passes (ec = timeout).
  bool wait_for(short events, boost::system::error_code& ec) {
    for (;;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_.get(), events, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) {
        ec.assign(errno, boost::system::system_category());
        return false;
      }
    }
    ec = boost::beast::error::timeout;
    return false;
  }

  static size_t finish(ssize_t n, boost::system::error_code& ec, bool zero_is_eof) {
    if (n < 0) {
      ec.assign(errno, boost::system::system_category());
      return 0;
    }
    if (n == 0 && zero_is_eof) ec = boost::asio::error::eof;
    return static_cast<size_t>(n);
  }

  UniqueFd fd_;
  Clock::time_point deadline_;
};

}  // namespace ephemera::ctl
