#include "domain/policy.h"

#include <algorithm>

namespace ephemera::domain {
namespace {

Status check(const std::optional<Millis>& v, const std::string& where, const char* field, bool zero_ok) {
  if (!v) return Status::ok();
  if (v->count() < 0 || (!zero_ok && v->count() == 0)) {
    return Status(StatusCode::kInvalidArgument, where + "." + field + " must be " +
                                                    (zero_ok ? "zero or positive" : "positive"));
  }
  return Status::ok();
}

template <class T>
void take(T& into, const std::optional<T>& layer) {
  if (layer) into = *layer;
}

void apply(WorkerPolicy& p, const PolicyOverrides& o) {
  take(p.max_lifetime, o.max_lifetime);
  take(p.idle_timeout, o.idle_timeout);
  take(p.startup_timeout, o.startup_timeout);
  if (o.ttl_after_completion) p.ttl_after_completion = *o.ttl_after_completion;
  take(p.failed_retention, o.failed_retention);
  take(p.auto_cleanup_enabled, o.auto_cleanup_enabled);
  take(p.orphan_detection_enabled, o.orphan_detection_enabled);
  take(p.orphan_check_interval, o.orphan_check_interval);
  take(p.orphan_grace, o.orphan_grace);
  take(p.readiness, o.readiness);
}

}  // namespace

Status validate(const PolicyOverrides& o, const std::string& where) {
  for (Status s : {check(o.max_lifetime, where, "max_lifetime", false),
                   check(o.idle_timeout, where, "idle_timeout", false),
                   check(o.startup_timeout, where, "startup_timeout", false),
                   check(o.ttl_after_completion, where, "ttl_after_completion", true),
                   check(o.failed_retention, where, "failed_retention", true),
                   check(o.orphan_check_interval, where, "orphan_check_interval", false),
                   check(o.orphan_grace, where, "orphan_grace", true)}) {
    if (!s.is_ok()) return s;
  }
  return Status::ok();
}

Result<WorkerPolicy> effective_policy(const WorkerPolicy& site_default, const PolicyOverrides& provider,
                                      const PolicyOverrides& request, const PolicyLimits& limits) {
  if (Status s = validate(provider, "policy.provider"); !s.is_ok()) return s;
  if (Status s = validate(request, "policy.request"); !s.is_ok()) return s;
  WorkerPolicy p = site_default;
  apply(p, provider);
  apply(p, request);
  p.max_lifetime = std::min(p.max_lifetime, limits.max_lifetime);
  p.idle_timeout = std::min(p.idle_timeout, limits.idle_timeout);
  p.startup_timeout = std::min(p.startup_timeout, limits.startup_timeout);
  if (p.ttl_after_completion) p.ttl_after_completion = std::min(*p.ttl_after_completion, limits.ttl_after_completion);
  p.failed_retention = std::min(p.failed_retention, limits.failed_retention);
  return p;
}

}  // namespace ephemera::domain
