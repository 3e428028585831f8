// The operations themselves, against the Engine API (docker_provider.cpp
// parses input and maps results; this file talks to dockerd).
#include "docker/docker_provider.h"
#include "docker/inspect_mapping.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <thread>

namespace ephemera::docker {
namespace {

constexpr std::chrono::milliseconds kCleanupBudget{15'000};
constexpr std::chrono::milliseconds kRemovalPoll{200};

Result<json::object> parse_body(const HttpResponse& r, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object())
    return make_error(EPH_INTERNAL, "docker " + std::string(what) + ": unexpected answer: " + r.body.substr(0, 200));
  return std::move(v.as_object());
}

std::string id_of(const json::object& info) {
  const json::value* v = info.if_contains("resource_id");
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A start that fails because of the spec (no such executable, bad user) is
// permanent even where 20.10 answers 500; retrying would fail the same way.
Error start_error(const HttpResponse& r) {
  Error e = http_error(r, "start");
  const std::string text = docker_message(r.body);
  if (text.find("OCI runtime") != std::string::npos || text.find("executable file not found") != std::string::npos)
    e.status = EPH_INVALID_ARGUMENT;
  return e;
}

}  // namespace

Result<json::object> DockerProvider::inspect(const std::string& target, const CallLimits& limits) {
  Result<HttpResponse> r = client_.call("GET", "/containers/" + target + "/json", limits);
  if (!r.ok()) return r.error();
  if (r->status != 200) return http_error(r.value(), "inspect " + target);
  Result<json::object> body = parse_body(r.value(), "inspect");
  if (!body.ok()) return body.error();
  return info_from_inspect(body.value());
}

Result<json::object> DockerProvider::resolve(const Reference& ref, const CallLimits& limits) {
  Result<json::object> info = inspect(ref.target(), limits);
  if (!info.ok()) return info;
  const json::value* wid = info->if_contains("worker_id");
  // Same name, another worker: ours is gone and that container is not ours to touch.
  if (!ref.worker_id.empty() && wid && wid->is_string() && wid->get_string() != ref.worker_id)
    return make_error(EPH_NOT_FOUND, "docker: '" + ref.target() + "' belongs to worker '" +
                                         std::string(wid->get_string()) + "', not '" + ref.worker_id + "'");
  return info;
}

void DockerProvider::remove_quietly(const std::string& id, std::string_view why) {
  const CallLimits limits = CallLimits::within(kCleanupBudget);
  Result<HttpResponse> r = client_.call("DELETE", "/containers/" + id + "?force=true&v=true", limits);
  if (r.ok() && (r->status == 204 || r->status == 404)) {
    host_.info("docker: removed container " + id.substr(0, 12) + " (" + std::string(why) + ")");
    return;
  }
  host_.error("docker: could not remove container " + id.substr(0, 12) + " after " + std::string(why) +
              ": " + (r.ok() ? http_error(r.value(), "remove").message : r.error().message) +
              "; the orphan scan will find it by its labels");
}

MaybeError DockerProvider::check_warnings(const std::string& id, const json::object& created) {
  const json::value* w = created.if_contains("Warnings");
  if (w == nullptr || !w->is_array() || w->get_array().empty()) return std::nullopt;
  std::string text;
  for (const json::value& item : w->get_array())
    if (item.is_string()) text += (text.empty() ? "" : "; ") + std::string(item.get_string());
  // A limit the kernel cannot apply is dropped and only reported here.
  if (!config_.warnings_are_errors) {
    host_.warn("docker: create warnings for " + id.substr(0, 12) + ": " + text);
    return std::nullopt;
  }
  remove_quietly(id, "create warnings");
  return make_error(EPH_INVALID_ARGUMENT, "docker: create warnings (settings.warnings_are_errors): " + text);
}

MaybeError DockerProvider::start_container(const std::string& id, const CallLimits& limits) {
  Result<HttpResponse> r = client_.call("POST", "/containers/" + id + "/start", limits);
  if (!r.ok()) return r.error();
  if (r->status == 204 || r->status == 304) return std::nullopt;  // 304: already running
  return start_error(r.value());
}

Result<std::string> DockerProvider::started_info(const std::string& id, const std::string& name,
                                                 const CallLimits& limits) {
  if (MaybeError e = start_container(id, limits)) {
    remove_quietly(id, "a failed start");
    e->message += " (the container was removed)";
    return *e;
  }
  Result<json::object> info = inspect(id, limits);
  if (info.ok()) return json::serialize(info.value());
  // Started, but the look-up failed: answer what we know rather than an
  // error the host would read as an unknown outcome.
  return json::serialize(json::object{{"schema", EPH_SCHEMA_VERSION}, {"resource_id", id},
                                      {"name", name}, {"state", "pending"}});
}

Result<std::string> DockerProvider::do_create(const WorkerSpec& spec, const CallLimits& limits) {
  const std::string body = json::serialize(build_create_body(spec, config_));
  Result<HttpResponse> r = client_.call("POST", "/containers/create?name=" + url_encode(spec.name), limits, body);
  if (!r.ok()) return r.error();
  if (r->status == 409) return adopt(spec, limits);
  if (r->status == 404)
    return invalid_argument("/image", "/image: docker: " + docker_message(r->body) + " (nothing is pulled)");
  if (r->status != 201) return http_error(r.value(), "create " + spec.name);
  Result<json::object> created = parse_body(r.value(), "create");
  if (!created.ok()) return created.error();
  const json::value* id = created->if_contains("Id");
  if (id == nullptr || !id->is_string()) return make_error(EPH_INTERNAL, "docker create: answer without Id");
  const std::string cid(id->get_string());
  if (MaybeError e = check_warnings(cid, created.value())) return *e;
  host_.log(EPH_LOG_DEBUG, "docker: created " + cid.substr(0, 12) + " (" + spec.name + ")");
  return started_info(cid, spec.name, limits);
}

// A retry after an unknown outcome finds its own container under the name:
// adopt it (and start it if the first attempt died between create and start).
Result<std::string> DockerProvider::adopt(const WorkerSpec& spec, const CallLimits& limits) {
  Result<json::object> info = inspect(spec.name, limits);
  if (!info.ok()) {
    if (info.error().status == EPH_NOT_FOUND)
      return make_error(EPH_ABORTED, "docker: name '" + spec.name + "' was freed while creating; retry", 0);
    return info.error();
  }
  const json::value* wid = info->if_contains("worker_id");
  const std::string owner = wid && wid->is_string() ? std::string(wid->get_string()) : std::string();
  if (spec.worker_id.empty() || owner != spec.worker_id)
    return make_error(EPH_ALREADY_EXISTS, "docker: name '" + spec.name + "' is taken by container " +
                                              id_of(info.value()).substr(0, 12) + " of worker '" + owner + "'");
  host_.info("docker: adopting container " + id_of(info.value()).substr(0, 12) + " (" + spec.name + ")");
  if (info->at("state").get_string() == "pending") return started_info(id_of(info.value()), spec.name, limits);
  return json::serialize(info.value());
}

Result<std::string> DockerProvider::do_list(const Selector& selector, const CallLimits& limits) {
  std::string target = "/containers/json?all=1";
  if (!selector.labels.empty()) {
    json::array label_filters;
    for (const auto& [k, v] : selector.labels) label_filters.emplace_back(k + "=" + v);
    target += "&filters=" + url_encode(json::serialize(json::object{{"label", std::move(label_filters)}}));
  }
  Result<HttpResponse> r = client_.call("GET", target, limits);
  if (!r.ok()) return r.error();
  if (r->status != 200) return http_error(r.value(), "list");
  boost::system::error_code ec;
  json::value all = json::parse(r->body, ec);
  if (ec || !all.is_array()) return make_error(EPH_INTERNAL, "docker list: unexpected answer");
  // dockerd has no pagination: pages are cut here in id order, and the token
  // is the last id given, so a container created or removed between pages
  // neither repeats nor shifts the others.
  std::vector<json::object> items;
  for (json::value& c : all.as_array())
    if (c.is_object()) items.push_back(info_from_summary(c.get_object()));
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return id_of(a) < id_of(b); });
  json::array page;
  std::string next;
  for (json::object& item : items) {
    if (id_of(item) <= selector.after_id) continue;
    if (static_cast<int64_t>(page.size()) == selector.limit) {
      next = id_of(page.back().as_object());
      break;
    }
    page.emplace_back(std::move(item));
  }
  return json::serialize(json::object{{"schema", EPH_SCHEMA_VERSION}, {"items", std::move(page)}, {"continue", next}});
}

MaybeError DockerProvider::stop_container(const std::string& id, std::chrono::milliseconds grace,
                                          const CallLimits& limits) {
  // dockerd blocks for up to t seconds, then SIGKILLs: keep t inside our deadline.
  int64_t t = (grace.count() + 999) / 1000;
  t = std::max<int64_t>(0, std::min<int64_t>(t, limits.remaining().count() / 1000 - 1));
  Result<HttpResponse> r = client_.call("POST", "/containers/" + id + "/stop?t=" + std::to_string(t), limits);
  if (!r.ok()) return r.error();
  if (r->status == 204 || r->status == 304) return std::nullopt;  // 304: not running
  return http_error(r.value(), "stop " + id.substr(0, 12));
}

Result<std::string> DockerProvider::do_destroy(const Reference& ref, std::chrono::milliseconds grace,
                                               bool force, const CallLimits& limits) {
  Result<json::object> found = resolve(ref, limits);
  if (!found.ok()) {
    if (found.error().status == EPH_NOT_FOUND) return std::string();  // already gone: success
    return found.error();
  }
  const std::string id = id_of(found.value());
  // Without FORCE the workload gets its grace (SIGTERM, then SIGKILL); the
  // remove is forced only so a container that restarted meanwhile still goes.
  if (!force && found->at("state").get_string() == "running") {
    if (MaybeError e = stop_container(id, grace, limits); e && e->status != EPH_NOT_FOUND) return *e;
  }
  while (true) {
    Result<HttpResponse> r = client_.call("DELETE", "/containers/" + id + "?force=true&v=true", limits);
    if (!r.ok()) return r.error();
    if (r->status == 204 || r->status == 404) return std::string();
    const bool in_progress = r->status == 409 && docker_message(r->body).find("in progress") != std::string::npos;
    if (!in_progress) return http_error(r.value(), "remove " + id.substr(0, 12));
    // Someone else's remove is running: it usually ends within ms; wait for
    // it inside our deadline, else tell the host to retry.
    if (limits.remaining() < 2 * kRemovalPoll)
      return make_error(EPH_ABORTED, "docker: removal of " + id.substr(0, 12) + " already in progress", 1000);
    std::this_thread::sleep_for(kRemovalPoll);
  }
}

}  // namespace ephemera::docker
