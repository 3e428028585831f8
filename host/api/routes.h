// The route handlers of docs/admin-api.md, dispatched by http_router.cpp.
// Each answers through call.respond exactly once (possibly later, from a
// backend callback). Internal to host/api.
#pragma once

#include <memory>

#include "api/http_exchange.h"
#include "api/query_params.h"
#include "api/server_state.h"

namespace ephemera::api::detail {

struct Call {
  std::shared_ptr<ServerState> state;
  HttpRequest request;
  Target target;
  std::shared_ptr<ClientGone> gone;
  Respond respond;

  ApiBackend& backend() const { return state->backend; }
  const std::string& segment(size_t i) const { return target.segments.at(i); }
};

// Authenticates, finds the route (404 / 405) and runs it.
void route(const std::shared_ptr<ServerState>& state, HttpRequest request, std::shared_ptr<ClientGone> gone,
           Respond respond);

// worker_routes.cpp
void create_worker(Call& call);
void list_workers(Call& call);
void get_worker(Call& call);
void report_worker(Call& call);  // segment 3: ready | running | idle | complete
void delete_worker(Call& call);

// ops_routes.cpp
void run_gc(Call& call);
void scan_orphans(Call& call);
void list_providers(Call& call);
void render_spec(Call& call);
void healthz(Call& call);
void readyz(Call& call);
void metrics(Call& call);

// events_route.cpp
void read_events(Call& call);

}  // namespace ephemera::api::detail
