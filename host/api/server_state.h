// What every session shares with the server: options, the backend, the
// backpressure counters. Shared-owned, because sessions may outlive AdminApi
// while their last handlers drain. Internal to host/api; io_context thread only
// (but `active` is atomic for active_connections()).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <list>

#include "api/admin_api.h"
#include "api/api_backend.h"

namespace boost::asio {
class io_context;
}

namespace ephemera::api::detail {

struct ServerState {
  ServerState(boost::asio::io_context& io_, ApiBackend& backend_, ApiOptions options_)
      : io(io_), backend(backend_), options(std::move(options_)) {}

  boost::asio::io_context& io;
  ApiBackend& backend;
  const ApiOptions options;

  std::atomic<size_t> active{0};
  size_t pending_creates = 0;
  size_t followers = 0;
  bool stopping = false;
  // Closes a session if it is idle (between requests); one per live session.
  std::list<std::function<void()>> idle_closers;
};

}  // namespace ephemera::api::detail
