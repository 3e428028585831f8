// Authentication and dispatch. The route table is the one place that lists
// the API's paths; "*" matches one path segment.
#include <array>
#include <openssl/crypto.h>
#include <string_view>

#include "api/replies.h"
#include "api/routes.h"

namespace ephemera::api::detail {
namespace {

struct Route {
  std::string_view method;
  std::vector<std::string_view> pattern;
  void (*handler)(Call&);
};

const std::vector<Route>& routes() {
  static const std::vector<Route> kRoutes = {
      {"GET", {"healthz"}, healthz},
      {"GET", {"readyz"}, readyz},
      {"GET", {"metrics"}, metrics},
      {"POST", {"v1", "workers"}, create_worker},
      {"GET", {"v1", "workers"}, list_workers},
      {"GET", {"v1", "workers", "*"}, get_worker},
      {"DELETE", {"v1", "workers", "*"}, delete_worker},
      {"POST", {"v1", "workers", "*", "ready"}, report_worker},
      {"POST", {"v1", "workers", "*", "running"}, report_worker},
      {"POST", {"v1", "workers", "*", "idle"}, report_worker},
      {"POST", {"v1", "workers", "*", "complete"}, report_worker},
      {"POST", {"v1", "gc", "run"}, run_gc},
      {"POST", {"v1", "orphans", "scan"}, scan_orphans},
      {"GET", {"v1", "events"}, read_events},
      {"GET", {"v1", "providers"}, list_providers},
      {"POST", {"v1", "providers", "*", "render"}, render_spec},
  };
  return kRoutes;
}

bool matches(const std::vector<std::string_view>& pattern, const std::vector<std::string>& segments) {
  if (pattern.size() != segments.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != "*" && pattern[i] != segments[i]) return false;
  }
  return true;
}

// Constant time, so that a guesser learns nothing from response times.
bool token_in(const std::string& token, const std::vector<std::string>& tokens) {
  bool found = false;
  for (const auto& t : tokens) {
    found |= t.size() == token.size() && CRYPTO_memcmp(t.data(), token.data(), t.size()) == 0;
  }
  return found;
}

// nullopt: allowed.
std::optional<Reply> check_token(const ApiOptions& options, const HttpRequest& request) {
  if (options.admin_tokens.empty() && options.read_tokens.empty()) return std::nullopt;
  constexpr std::string_view kBearer = "Bearer ";
  const std::string& auth = request.authorization;
  const std::string token = auth.starts_with(kBearer) ? auth.substr(kBearer.size()) : std::string();
  if (!token.empty() && token_in(token, options.admin_tokens)) return std::nullopt;
  const bool reader = !token.empty() && token_in(token, options.read_tokens);
  if (reader && (request.method == "GET" || request.method == "HEAD")) return std::nullopt;
  if (reader) return error_reply(403, "PERMISSION_DENIED", "a read-only token may only GET");
  Reply r = error_reply(401, "PERMISSION_DENIED", "missing or unknown bearer token");
  r.ask_for_token = true;
  return r;
}

}  // namespace

void route(const std::shared_ptr<ServerState>& state, HttpRequest request, std::shared_ptr<ClientGone> gone,
           Respond respond) {
  if (auto denied = check_token(state->options, request)) return respond(std::move(*denied));
  auto target = parse_target(request.target);
  if (!target) return respond(error_reply(target.status()));
  std::string allow;
  for (const Route& r : routes()) {
    if (!matches(r.pattern, target->segments)) continue;
    if (r.method == request.method) {
      Call call{state, std::move(request), std::move(*target), std::move(gone), std::move(respond)};
      return r.handler(call);
    }
    allow += (allow.empty() ? "" : ", ") + std::string(r.method);
  }
  if (allow.empty()) return respond(error_reply(404, "NOT_FOUND", "no route for " + request.target));
  Reply r = error_reply(405, "METHOD_NOT_ALLOWED", request.method + " is not allowed here; use " + allow);
  r.allow = allow;
  respond(std::move(r));
}

}  // namespace ephemera::api::detail
