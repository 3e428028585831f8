#include "fake_dockerd.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace ephemera::docker::test {
namespace {

int listen_on(const std::filesystem::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0)
    throw std::runtime_error("fake dockerd: cannot listen on " + path.string());
  return fd;
}

void write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

std::string header_value(const std::string& head, const std::string& lower_name) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t at = lower.find("\r\n" + lower_name + ":");
  if (at == std::string::npos) return {};
  size_t start = at + 3 + lower_name.size();
  size_t end = head.find("\r\n", start);
  std::string v = head.substr(start, end - start);
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  return v;
}

}  // namespace

std::filesystem::path make_temp_dir() {
  std::string tmpl = "/tmp/ephd-unit.XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

FakeDockerd::FakeDockerd(Handler handler) : handler_(std::move(handler)), dir_(make_temp_dir()) {
  listen_fd_ = listen_on(dir_ / "d.sock");
  if (::pipe(stop_pipe_) != 0) throw std::runtime_error("pipe failed");
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeDockerd::~FakeDockerd() {
  write_all(stop_pipe_[1], "x");
  acceptor_.join();
  for (std::thread& t : connections_) t.join();
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::vector<FakeDockerd::Request> FakeDockerd::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

FakeDockerd::Answer FakeDockerd::reply(int status, const std::string& body, const std::string& extra) {
  return Answer{"HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" + extra +
                    "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body,
                false};
}

FakeDockerd::Answer FakeDockerd::stream(const std::string& body, bool hold) {
  return Answer{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + body, hold};
}

void FakeDockerd::accept_loop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    ::poll(fds, 2, -1);
    if (fds[1].revents != 0) return;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    connections_.emplace_back([this, fd] { serve(fd); });
  }
}

void FakeDockerd::serve(int fd) {
  std::string data;
  char buf[4096];
  size_t head_end;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return (void)::close(fd);
    data.append(buf, static_cast<size_t>(n));
  }
  std::string head = data.substr(0, head_end);
  size_t length = std::strtoul(header_value(head, "content-length").c_str(), nullptr, 10);
  while (data.size() < head_end + 4 + length) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  Request req;
  size_t sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
  req.method = head.substr(0, sp1);
  req.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
  req.content_type = header_value(head, "content-type");
  req.body = data.substr(head_end + 4);
  {
    std::lock_guard lock(mu_);
    requests_.push_back(req);
  }
  Answer answer = handler_(req);
  write_all(fd, answer.raw);
  if (answer.hold) {
    pollfd p{stop_pipe_[0], POLLIN, 0};
    ::poll(&p, 1, -1);  // until the server is destroyed
  }
  ::close(fd);
}

SilentSocket::SilentSocket() : dir_(make_temp_dir()) { fd_ = listen_on(dir_ / "s.sock"); }

SilentSocket::~SilentSocket() {
  ::close(fd_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace ephemera::docker::test
