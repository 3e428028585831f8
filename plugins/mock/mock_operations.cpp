// The operations themselves, below the fault/DOWN wrapper (mock_provider.cpp).
#include "mock/hardening.h"
#include "mock/mock_provider.h"
#include "mock/simulation.h"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <random>

namespace ephemera::mock {
namespace {

// Real backends hand out unguessable ids; a recreated name gets a new one.
std::string new_resource_id() {
  std::random_device rd;
  uint64_t bits = (uint64_t(rd()) << 32) ^ rd();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(bits));
  return hex;
}

Resource new_resource(const WorkerSpec& spec, int64_t now_ms, const MockConfig& config) {
  Resource r;
  r.resource_id = new_resource_id();
  r.name = spec.name;
  r.worker_id = spec.worker_id;
  r.labels = spec.labels;
  r.image = spec.image;
  r.created_at_ms = now_ms;
  r.start_delay_ms = spec.mock.start_delay_ms.value_or(config.start_delay.count());
  r.run_ms = spec.mock.run_ms;
  r.exit_code = spec.mock.exit_code;
  r.exit_reason = spec.mock.exit_reason;
  r.ignore_sigterm = spec.mock.ignore_sigterm;
  r.fail_start = spec.mock.fail_start;
  return r;
}

const Resource* find_by_name(const Snapshot& snap, std::string_view name) {
  for (const Resource& r : snap.resources)
    if (r.name == name) return &r;
  return nullptr;
}

// Like a registry that has no such image: refused before anything exists.
MaybeError check_image(const WorkerSpec& spec) {
  if (spec.image.find("does-not-exist") == std::string::npos) return std::nullopt;
  return invalid_argument("/image", "/image: mock: image '" + spec.image + "' not found");
}

Error not_found() { return Error{EPH_NOT_FOUND, "mock: no such resource", {}, -1}; }

}  // namespace

Result<Snapshot> MockProvider::load_all() {
  Result<Snapshot> snap = store_.load_all();
  if (!snap.ok()) return snap;
  std::lock_guard lock(warned_mu_);
  for (const std::string& bad : snap->malformed)
    if (warned_.insert(bad).second) host_.warn("mock: skipping unreadable resource file " + bad);
  return snap;
}

Result<std::optional<Resource>> MockProvider::find(const Reference& ref) {
  if (!ref.resource_id.empty()) return store_.load(ref.resource_id);
  Result<Snapshot> snap = load_all();
  if (!snap.ok()) return snap.error();
  const Resource* r = find_by_name(snap.value(), ref.name);
  return r == nullptr ? std::optional<Resource>() : std::optional<Resource>(*r);
}

Result<json::object> MockProvider::parse_and_harden(std::string_view spec_json) const {
  Result<json::object> doc = parse_document(spec_json, "spec");
  if (!doc.ok()) return doc.error();
  return harden_spec(std::move(doc.value()), config_);
}

Result<std::string> MockProvider::do_create(const WorkerSpec& spec) {
  if (MaybeError e = check_image(spec)) return *e;
  Result<FileLock> lock = store_.lock();  // name check and write are one step
  if (!lock.ok()) return lock.error();
  Result<Snapshot> snap = load_all();
  if (!snap.ok()) return snap.error();
  if (const Resource* existing = find_by_name(snap.value(), spec.name)) {
    if (!spec.worker_id.empty() && existing->effective_worker_id() == spec.worker_id)
      return info_json(*existing);  // a retry after an unknown outcome: adopt
    return Error{EPH_ALREADY_EXISTS,
                 "mock: name '" + spec.name + "' is taken by resource " + existing->resource_id +
                     " of worker '" + existing->effective_worker_id() + "'",
                 {}, -1};
  }
  Resource r = new_resource(spec, host_.now_ms(), config_);
  if (MaybeError e = store_.save(r)) return *e;
  host_.log(EPH_LOG_DEBUG, "mock: created " + r.resource_id + " (" + r.name + ")");
  return info_json(r);
}

Result<std::string> MockProvider::do_get(const Reference& ref) {
  Result<std::optional<Resource>> r = find(ref);
  if (!r.ok()) return r.error();
  if (!r.value()) return not_found();
  return info_json(*r.value());
}

Result<std::string> MockProvider::do_list(const Selector& selector) {
  Result<Snapshot> snap = load_all();
  if (!snap.ok()) return snap.error();
  Page page = select_page(snap->resources, selector);
  const int64_t now_ms = host_.now_ms();  // one instant for the whole page
  json::array items;
  for (const Resource* r : page.items) items.push_back(worker_info(*r, observe(*r, now_ms)));
  json::object out{{"schema", EPH_SCHEMA_VERSION}, {"items", std::move(items)},
                   {"continue", page.continue_token}};
  return json::serialize(out);
}

Result<std::string> MockProvider::do_stop(const Reference& ref, std::chrono::milliseconds grace) {
  Result<FileLock> lock = store_.lock();
  if (!lock.ok()) return lock.error();
  Result<std::optional<Resource>> r = find(ref);
  if (!r.ok()) return r.error();
  if (!r.value()) return not_found();
  Resource& res = *r.value();
  if (request_stop(res, host_.now_ms(), grace.count())) {
    if (MaybeError e = store_.save(res)) return *e;
  }
  return info_json(res);
}

Result<std::string> MockProvider::do_destroy(const Reference& ref) {
  Result<FileLock> lock = store_.lock();
  if (!lock.ok()) return lock.error();
  Result<std::optional<Resource>> r = find(ref);
  if (!r.ok()) return r.error();
  if (!r.value()) return not_found();
  const Resource& res = *r.value();
  Result<bool> removed = store_.remove(res.resource_id);
  if (!removed.ok()) return removed.error();
  if (!removed.value()) return not_found();
  host_.log(EPH_LOG_DEBUG, "mock: destroyed " + res.resource_id);
  return std::string();
}

Result<std::string> MockProvider::do_health() {
  Result<Snapshot> snap = store_.load_all();
  if (!snap.ok()) return snap.error();
  json::object doc{{"schema", EPH_SCHEMA_VERSION},
                   {"healthy", true},
                   {"detail", "mock backend at " + store_.dir().string() + ": " +
                                  std::to_string(snap->resources.size()) + " resources"}};
  return json::serialize(doc);
}

}  // namespace ephemera::mock
