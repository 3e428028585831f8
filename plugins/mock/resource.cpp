#include "mock/resource.h"

#include "mock/json_reader.h"

#include <boost/json/serialize.hpp>

namespace ephemera::mock {
namespace {

void put_optional(json::object& o, std::string_view key, const std::optional<int64_t>& v) {
  if (v) o[key] = *v;
}

MaybeError read_stop(ObjectReader& r, Resource& res) {
  res.stop_requested_at_ms = r.integer("stop_requested_at_ms");
  res.stop_deadline_ms = r.integer("stop_deadline_ms");
  if (res.stop_requested_at_ms && !res.stop_deadline_ms) res.stop_deadline_ms = res.stop_requested_at_ms;
  return r.error();
}

}  // namespace

json::object labels_to_json(const Labels& labels) {
  json::object out;
  for (const auto& [k, v] : labels) out[k] = v;
  return out;
}

std::string Resource::effective_worker_id() const {
  if (!worker_id.empty()) return worker_id;
  auto it = labels.find(std::string(kWorkerIdLabel));
  return it == labels.end() ? std::string() : it->second;
}

bool is_valid_resource_id(std::string_view id) {
  if (id.empty() || id.size() > 128 || id.front() == '.') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string resource_to_json(const Resource& r) {
  json::object o;
  o["schema"] = EPH_SCHEMA_VERSION;
  o["resource_id"] = r.resource_id;
  o["name"] = r.name;
  o["worker_id"] = r.worker_id;
  o["labels"] = labels_to_json(r.labels);
  o["image"] = r.image;
  o["created_at_ms"] = r.created_at_ms;
  o["start_delay_ms"] = r.start_delay_ms;
  put_optional(o, "run_ms", r.run_ms);
  o["exit_code"] = r.exit_code;
  if (!r.exit_reason.empty()) o["exit_reason"] = r.exit_reason;
  o["ignore_sigterm"] = r.ignore_sigterm;
  o["fail_start"] = r.fail_start;
  put_optional(o, "stop_requested_at_ms", r.stop_requested_at_ms);
  put_optional(o, "stop_deadline_ms", r.stop_deadline_ms);
  return json::serialize(o) + "\n";
}

Result<Resource> resource_from_json(std::string_view text, std::string_view file_stem,
                                    int64_t mtime_ms) {
  Result<json::object> doc = parse_document(text, "resource file");
  if (!doc.ok()) return doc.error();
  ObjectReader r(doc.value(), "");
  Resource res;
  res.resource_id = r.string("resource_id").value_or(std::string(file_stem));
  res.name = r.string("name").value_or(res.resource_id);
  res.worker_id = r.string("worker_id").value_or("");
  res.labels = r.string_map("labels").value_or(Labels{});
  res.image = r.string("image").value_or("");
  res.created_at_ms = r.integer("created_at_ms").value_or(mtime_ms);
  res.start_delay_ms = r.integer("start_delay_ms", 0).value_or(0);
  res.run_ms = r.integer("run_ms", 0);
  res.exit_code = r.integer("exit_code").value_or(0);
  res.exit_reason = r.string("exit_reason").value_or("");
  res.ignore_sigterm = r.boolean("ignore_sigterm").value_or(false);
  res.fail_start = r.boolean("fail_start").value_or(false);
  if (MaybeError e = read_stop(r, res)) return *e;
  if (res.resource_id != file_stem)
    return invalid_argument("/resource_id", "resource_id '" + res.resource_id +
                                                "' does not match its file name '" +
                                                std::string(file_stem) + ".json'");
  return res;
}

}  // namespace ephemera::mock
