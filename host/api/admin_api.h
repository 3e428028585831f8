// AdminApi: the HTTP/1.1 + JSON admin API (docs/admin-api.md) over a unix
// socket. Sessions run on the given io_context — the same thread the
// ApiBackend expects every call on. A pimpl: including this header pulls in
// neither Beast nor Asio (STYLE.md, "Compile time matters").
//
// Thread-safety: construct, listen_unix and stop on the io_context's thread
// (or before it runs); active_connections() may be read from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace boost::asio {
class io_context;
}

namespace ephemera::api {

class ApiBackend;

struct ApiOptions {
  size_t max_body_bytes = 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;  // request line + headers (431 above)
  size_t max_connections = 256;         // more are answered 503 and closed
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);     // no request on a connection
  std::chrono::milliseconds request_timeout = std::chrono::seconds(10);  // first byte → whole request
  size_t max_pending_creates = 1024;    // creates in flight; more answer 429 + Retry-After
  size_t max_followers = 64;            // concurrent /v1/events?follow=true; more answer 429
  std::chrono::milliseconds max_follow_timeout = std::chrono::minutes(5);
  // If either list is non-empty every request needs `Authorization: Bearer
  // <token>`: an admin token may do anything, a read token only GET.
  std::vector<std::string> admin_tokens;
  std::vector<std::string> read_tokens;
};

class AdminApi {
 public:
  // `backend` must outlive every session (they may outlive this object by
  // the time it takes their pending handlers to run).
  AdminApi(boost::asio::io_context& io, ApiBackend& backend, ApiOptions options);
  ~AdminApi();  // stop()
  AdminApi(const AdminApi&) = delete;
  AdminApi& operator=(const AdminApi&) = delete;

  // Binds `socket` (a stale socket file there is removed first), chmods it to
  // `mode` and starts accepting. UNAVAILABLE with the reason on failure.
  Status listen_unix(const std::filesystem::path& socket, mode_t mode = 0660);
  // Stops accepting, removes the socket file, closes idle sessions; a
  // session busy with a request answers it and then closes.
  void stop();
  size_t active_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ephemera::api
