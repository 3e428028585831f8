// Operations and health: GC, orphan scan, providers, render, /healthz,
// /readyz, /metrics.
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "api/json_detail.h"
#include "api/replies.h"
#include "api/routes.h"

namespace ephemera::api::detail {
namespace json = boost::json;
namespace {

json::object orphan_object(const OrphanView& o) {
  return json::object{{"provider", o.provider},
                      {"resource_id", o.resource_id},
                      {"name", o.name},
                      {"worker_id", o.worker_id},
                      {"deleted", o.deleted}};
}

// A plugin's capabilities document; null rather than a broken response if
// the plugin handed us something that is not JSON.
json::value capabilities(const std::string& text) {
  if (text.empty()) return nullptr;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

json::object provider_object(const ProviderView& p) {
  return json::object{{"name", p.name},
                      {"plugin", p.plugin},
                      {"open", p.open},
                      {"healthy", p.healthy},
                      {"detail", p.detail},
                      {"capabilities", capabilities(p.capabilities_json)},
                      {"stuck_calls", p.stuck_calls}};
}

}  // namespace

void run_gc(Call& call) {
  call.backend().run_gc([respond = call.respond](Result<size_t> r) {
    respond(r ? json_reply(200, json::object{{"acted", *r}}) : error_reply(r.status()));
  });
}

void scan_orphans(Call& call) {
  auto dry_run = call.target.flag("dry_run", false);
  if (!dry_run) return call.respond(error_reply(dry_run.status()));
  call.backend().scan_orphans(call.target.get("provider"), *dry_run,
                              [respond = call.respond](Result<std::vector<OrphanView>> r) {
                                if (!r) return respond(error_reply(r.status()));
                                json::array orphans;
                                for (const auto& o : *r) orphans.emplace_back(orphan_object(o));
                                respond(json_reply(200, json::object{{"orphans", std::move(orphans)}}));
                              });
}

void list_providers(Call& call) {
  json::array providers;
  for (const auto& p : call.backend().providers()) providers.emplace_back(provider_object(p));
  call.respond(json_reply(200, json::object{{"providers", std::move(providers)}}));
}

void render_spec(Call& call) {
  auto spec = parse_json(call.request.body);
  if (!spec) return call.respond(error_reply(spec.status()));
  if (!spec->is_object()) {
    return call.respond(error_reply(Status(StatusCode::kInvalidArgument, "the body must be a spec (a JSON object)")));
  }
  call.backend().render(call.segment(2), call.request.body, [respond = call.respond](Result<std::string> r) {
    if (!r) return respond(error_reply(r.status()));
    Reply reply;
    reply.body = std::move(*r);  // already JSON: the provider's hardened spec
    respond(std::move(reply));
  });
}

void healthz(Call& call) { call.respond(json_reply(200, json::object{{"status", "ok"}})); }

void readyz(Call& call) {
  Readiness r = call.backend().readiness();
  if (r.ready) return call.respond(json_reply(200, json::object{{"ready", true}}));
  call.respond(json_reply(503, json::object{{"ready", false}, {"reason", r.reason}}));
}

void metrics(Call& call) {
  Reply reply;
  reply.body = call.backend().metrics_text();
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  call.respond(std::move(reply));
}

}  // namespace ephemera::api::detail
