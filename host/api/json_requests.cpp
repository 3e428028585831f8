// Requests in: JSON → domain values. Every failure is an INVALID_ARGUMENT
// naming the member, never an exception.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>

#include "api/json_detail.h"
#include "api/json_views.h"
#include "common/duration.h"

namespace ephemera::api {
namespace json = boost::json;
using domain::Millis;

namespace detail {
namespace {

Status bad(const std::string& key, const std::string& why) {
  return Status(StatusCode::kInvalidArgument, "'" + key + "': " + why);
}

// A string ("90s") or integer seconds.
Result<Millis> duration_value(const std::string& key, const json::value& v) {
  if (v.is_string()) {
    auto d = parse_duration(std::string_view(v.get_string()));
    if (!d) return bad(key, d.status().message());
    return *d;
  }
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1000;
  if (v.is_int64() && v.get_int64() >= 0 && v.get_int64() <= kMaxSeconds) {
    return Millis(v.get_int64() * 1000);
  }
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(kMaxSeconds)) {
    return Millis(static_cast<int64_t>(v.get_uint64()) * 1000);
  }
  return bad(key, "expected a duration (\"90s\", \"5m\") or non-negative integer seconds");
}

Status set_duration(std::optional<Millis>& out, const std::string& key, const json::value& v) {
  auto d = duration_value(key, v);
  if (!d) return d.status();
  out = *d;
  return Status::ok();
}

Status set_bool(std::optional<bool>& out, const std::string& key, const json::value& v) {
  if (!v.is_bool()) return bad(key, "expected true or false");
  out = v.get_bool();
  return Status::ok();
}

Status set_readiness(std::optional<domain::Readiness>& out, const std::string& key, const json::value& v) {
  if (v.is_string() && v.get_string() == "backend") out = domain::Readiness::kBackend;
  else if (v.is_string() && v.get_string() == "api") out = domain::Readiness::kApi;
  else return bad(key, "expected \"backend\" or \"api\"");
  return Status::ok();
}

Status set_policy_member(domain::PolicyOverrides& p, const std::string& key, const json::value& v) {
  const std::string where = "policy." + key;
  if (key == "max_lifetime") return set_duration(p.max_lifetime, where, v);
  if (key == "idle_timeout") return set_duration(p.idle_timeout, where, v);
  if (key == "startup_timeout") return set_duration(p.startup_timeout, where, v);
  if (key == "ttl_after_completion") return set_duration(p.ttl_after_completion, where, v);
  if (key == "failed_retention") return set_duration(p.failed_retention, where, v);
  if (key == "orphan_check_interval") return set_duration(p.orphan_check_interval, where, v);
  if (key == "orphan_grace") return set_duration(p.orphan_grace, where, v);
  if (key == "auto_cleanup_enabled") return set_bool(p.auto_cleanup_enabled, where, v);
  if (key == "orphan_detection_enabled") return set_bool(p.orphan_detection_enabled, where, v);
  if (key == "readiness") return set_readiness(p.readiness, where, v);
  return Status(StatusCode::kInvalidArgument, "unknown policy key '" + key + "'");
}

}  // namespace

Result<json::value> parse_json(const std::string& text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Status(StatusCode::kInvalidArgument, "malformed JSON: " + ec.message());
  return v;
}

Result<domain::PolicyOverrides> policy_from_json(const json::value& policy) {
  if (!policy.is_object()) return bad("policy", "expected an object");
  domain::PolicyOverrides out;
  for (const auto& member : policy.get_object()) {
    if (member.value().is_null()) continue;  // null: not set
    Status s = set_policy_member(out, std::string(member.key()), member.value());
    if (!s.is_ok()) return s;
  }
  return out;
}

}  // namespace detail

Result<domain::PolicyOverrides> parse_policy_json(const std::string& json_text) {
  auto v = detail::parse_json(json_text);
  if (!v) return v.status();
  return detail::policy_from_json(*v);
}

namespace {

Status read_string(std::string& out, const std::string& key, const json::value& v) {
  if (!v.is_string()) return detail::bad(key, "expected a string");
  out = std::string(v.get_string());
  return Status::ok();
}

Status read_create_member(CreateWorkerRequest& r, const std::string& key, const json::value& v) {
  if (key == "provider") return read_string(r.provider, key, v);
  if (key == "idempotency_key") return v.is_null() ? Status::ok() : read_string(r.idempotency_key, key, v);
  if (key == "spec") {
    if (!v.is_object()) return detail::bad(key, "expected an object");
    r.spec_json = json::serialize(v);
    return Status::ok();
  }
  if (key == "policy") {
    if (v.is_null()) return Status::ok();
    auto p = detail::policy_from_json(v);
    if (!p) return p.status();
    r.policy = *p;
    return Status::ok();
  }
  return Status(StatusCode::kInvalidArgument, "unknown key '" + key + "' in the create request");
}

}  // namespace

Result<CreateWorkerRequest> parse_create_request(const std::string& body) {
  auto v = detail::parse_json(body);
  if (!v) return v.status();
  if (!v->is_object()) return Status(StatusCode::kInvalidArgument, "the body must be a JSON object");
  CreateWorkerRequest r;
  for (const auto& member : v->get_object()) {
    Status s = read_create_member(r, std::string(member.key()), member.value());
    if (!s.is_ok()) return s;
  }
  if (r.provider.empty()) return detail::bad("provider", "required");
  if (r.spec_json.empty()) return detail::bad("spec", "required (a JSON object)");
  return r;
}

}  // namespace ephemera::api
