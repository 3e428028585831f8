#include "config/policy_reader.h"

namespace ephemera::config {

Status read_policy_overrides(TomlReader r, domain::PolicyOverrides& p) {
  r.duration("max_lifetime", p.max_lifetime);
  r.duration("idle_timeout", p.idle_timeout);
  r.duration("startup_timeout", p.startup_timeout);
  r.duration("ttl_after_completion", p.ttl_after_completion);
  r.duration("failed_retention", p.failed_retention);
  r.duration("orphan_check_interval", p.orphan_check_interval);
  r.duration("orphan_grace", p.orphan_grace);
  r.boolean("auto_cleanup_enabled", p.auto_cleanup_enabled);
  r.boolean("orphan_detection_enabled", p.orphan_detection_enabled);
  std::optional<size_t> readiness;
  r.choice("readiness", {"backend", "api"}, readiness);
  if (Status s = r.finish(); !s.is_ok()) return s;
  if (readiness) p.readiness = *readiness == 0 ? domain::Readiness::kBackend : domain::Readiness::kApi;
  if (Status s = domain::validate(p, r.section()); !s.is_ok()) {
    // The message names the field; point at its line.
    for (const char* key : {"max_lifetime", "idle_timeout", "startup_timeout", "ttl_after_completion",
                            "failed_retention", "orphan_check_interval", "orphan_grace"}) {
      if (s.message().find(key) != std::string::npos) return r.error_at_line(r.line_of(key), s.message());
    }
    return r.error_at(nullptr, s.message());
  }
  return Status::ok();
}

Status read_policy_limits(TomlReader r, domain::PolicyLimits& l) {
  const std::pair<const char*, std::chrono::milliseconds*> keys[] = {
      {"max_lifetime", &l.max_lifetime},
      {"idle_timeout", &l.idle_timeout},
      {"startup_timeout", &l.startup_timeout},
      {"ttl_after_completion", &l.ttl_after_completion},
      {"failed_retention", &l.failed_retention}};
  for (const auto& [key, value] : keys) r.duration(key, *value);
  if (Status s = r.finish(); !s.is_ok()) return s;
  for (const auto& [key, value] : keys) {
    if (value->count() <= 0) {
      return r.error_at_line(r.line_of(key), "'" + std::string(key) + "' in [policy.max]: must be positive");
    }
  }
  return Status::ok();
}

}  // namespace ephemera::config
