#include "docker/requests.h"

#include "docker/container_spec.h"

namespace ephemera::docker {
namespace {

bool is_hex_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

Result<Reference> parse_reference(std::string_view ref_json) {
  Result<json::object> doc = parse_document(ref_json, "reference");
  if (!doc.ok()) return doc.error();
  ObjectReader r(doc.value(), "");
  Reference ref;
  ref.resource_id = r.string("resource_id").value_or("");
  ref.name = r.string("name").value_or("");
  ref.worker_id = r.string("worker_id").value_or("");
  if (r.error()) return *r.error();
  // Both end up in a URL path: refusing anything else keeps "../x" out of it.
  if (!ref.resource_id.empty() && !is_hex_id(ref.resource_id))
    return invalid_argument("/resource_id", "/resource_id: not a Docker container id");
  if (!ref.name.empty() && !is_valid_container_name(ref.name))
    return invalid_argument("/name", "/name: not a Docker container name");
  if (ref.resource_id.empty() && ref.name.empty())
    return invalid_argument("", "reference: give resource_id or name");
  return ref;
}

Result<Selector> parse_selector(std::string_view selector_json, int64_t default_limit) {
  Result<json::object> doc = parse_document(selector_json, "selector");
  if (!doc.ok()) return doc.error();
  ObjectReader r(doc.value(), "");
  Selector s;
  s.labels = r.string_map("labels").value_or(Labels{});
  int64_t limit = r.integer("limit").value_or(0);
  s.after_id = r.string("continue").value_or("");
  if (r.error()) return *r.error();
  if (!s.after_id.empty() && !is_hex_id(s.after_id))
    return invalid_argument("/continue", "/continue: not a token this plugin issued");
  s.limit = std::min(limit <= 0 ? default_limit : limit, kMaxPageSize);
  return s;
}

}  // namespace ephemera::docker
