// A tiny HTTP/1.1 server on a unix socket that stands in for dockerd in unit
// tests: it records every request and answers from a handler. One thread per
// connection, so a held-open answer (an event stream) does not block others.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ephemera::docker::test {

class FakeDockerd {
 public:
  struct Request {
    std::string method, target, content_type, body;
  };
  struct Answer {
    std::string raw;    // the whole HTTP response
    bool hold = false;  // keep the connection open after writing (a stream)
  };
  using Handler = std::function<Answer(const Request&)>;

  explicit FakeDockerd(Handler handler);
  ~FakeDockerd();
  FakeDockerd(const FakeDockerd&) = delete;
  FakeDockerd& operator=(const FakeDockerd&) = delete;

  std::string socket_path() const { return (dir_ / "d.sock").string(); }
  std::string host() const { return "unix://" + socket_path(); }
  std::vector<Request> requests() const;

  // A complete response with Content-Length and Connection: close.
  static Answer reply(int status, const std::string& body, const std::string& extra_headers = "");
  // Headers of a response without length, then `body`: ends when the connection closes.
  static Answer stream(const std::string& body, bool hold);

 private:
  void accept_loop();
  void serve(int fd);

  Handler handler_;
  std::filesystem::path dir_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  mutable std::mutex mu_;
  std::vector<Request> requests_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

// A socket that accepts connections into its backlog but never answers:
// what a hung daemon looks like to a client.
class SilentSocket {
 public:
  SilentSocket();
  ~SilentSocket();
  std::string host() const { return "unix://" + (dir_ / "s.sock").string(); }

 private:
  std::filesystem::path dir_;
  int fd_ = -1;
};

// A fresh temporary directory (short: unix socket paths are limited).
std::filesystem::path make_temp_dir();

}  // namespace ephemera::docker::test
