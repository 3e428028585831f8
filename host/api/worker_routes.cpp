// /v1/workers: create, list, get, report, delete.
#include <boost/json/array.hpp>

#include "api/json_detail.h"
#include "api/json_views.h"
#include "api/replies.h"
#include "api/routes.h"

namespace ephemera::api::detail {
namespace json = boost::json;
namespace {

constexpr uint64_t kMaxListLimit = 1000;
constexpr std::chrono::seconds kDefaultGrace(30);

Done<domain::WorkerRecord> answer_worker(Respond respond, unsigned ok_status) {
  return [respond = std::move(respond), ok_status](Result<domain::WorkerRecord> r) {
    respond(r ? json_reply(ok_status, worker_object(*r)) : error_reply(r.status()));
  };
}

Result<WorkerFilter> worker_filter(const Target& t) {
  WorkerFilter f;
  if (auto s = t.get("state")) {
    f.state = domain::state_from_name(*s);
    if (!f.state) return Status(StatusCode::kInvalidArgument, "query parameter 'state': unknown state '" + *s + "'");
  }
  f.provider = t.get("provider");
  auto [first, last] = t.query.equal_range("label");
  for (auto it = first; it != last; ++it) {
    const size_t eq = it->second.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status(StatusCode::kInvalidArgument, "query parameter 'label': expected key=value");
    }
    f.labels[it->second.substr(0, eq)] = it->second.substr(eq + 1);
  }
  auto all = t.flag("all", false);
  if (!all) return all.status();
  f.include_cleaned_up = *all;
  auto limit = t.number("limit", 100);
  if (!limit) return limit.status();
  if (*limit == 0 || *limit > kMaxListLimit) {
    return Status(StatusCode::kInvalidArgument, "query parameter 'limit': must be 1..1000");
  }
  f.limit = static_cast<size_t>(*limit);
  f.after = t.get("after").value_or("");
  return f;
}

std::optional<domain::InputKind> report_kind(const std::string& action) {
  if (action == "ready") return domain::InputKind::kApiReady;
  if (action == "running") return domain::InputKind::kApiRunning;
  if (action == "idle") return domain::InputKind::kApiIdle;
  if (action == "complete") return domain::InputKind::kApiComplete;
  return std::nullopt;
}

}  // namespace

void create_worker(Call& call) {
  auto request = parse_create_request(call.request.body);
  if (!request) return call.respond(error_reply(request.status()));
  ServerState& s = *call.state;
  if (s.pending_creates >= s.options.max_pending_creates) {
    return call.respond(error_reply(Status(StatusCode::kResourceExhausted, "too many creates in flight; retry later")));
  }
  ++s.pending_creates;
  call.backend().create_worker(std::move(*request), [state = call.state, respond = call.respond](
                                                        Result<CreatedWorker> r) {
    --state->pending_creates;
    if (!r) return respond(error_reply(r.status()));
    respond(json_reply(r->replayed ? 200 : 201, worker_object(r->worker)));
  });
}

void list_workers(Call& call) {
  auto filter = worker_filter(call.target);
  if (!filter) return call.respond(error_reply(filter.status()));
  WorkerPage page = call.backend().list_workers(*filter);
  json::array items;
  items.reserve(page.items.size());
  for (const auto& w : page.items) items.emplace_back(worker_object(w));
  call.respond(json_reply(200, json::object{{"items", std::move(items)}, {"next", page.next}}));
}

void get_worker(Call& call) {
  auto r = call.backend().get_worker(call.segment(2));
  call.respond(r ? json_reply(200, worker_object(*r)) : error_reply(r.status()));
}

void report_worker(Call& call) {
  auto kind = report_kind(call.segment(3));
  if (!kind) return call.respond(error_reply(404, "NOT_FOUND", "unknown report '" + call.segment(3) + "'"));
  call.backend().report(call.segment(2), *kind, answer_worker(call.respond, 200));
}

void delete_worker(Call& call) {
  auto grace = call.target.number("grace_seconds", static_cast<uint64_t>(kDefaultGrace.count()));
  if (!grace) return call.respond(error_reply(grace.status()));
  constexpr uint64_t kMaxGraceSeconds = 7 * 24 * 3600;  // also keeps the ms conversion from overflowing
  if (*grace > kMaxGraceSeconds) {
    return call.respond(error_reply(Status(StatusCode::kInvalidArgument, "query parameter 'grace_seconds': at most 604800")));
  }
  auto force = call.target.flag("force", false);
  if (!force) return call.respond(error_reply(force.status()));
  const std::chrono::milliseconds grace_ms = std::chrono::seconds(static_cast<int64_t>(*grace));
  call.backend().remove(call.segment(2), grace_ms, *force, answer_worker(call.respond, 202));
}

}  // namespace ephemera::api::detail
