// The engine's side effects: provider create, lookup, stop and destroy, with
// retries. A transient error is never read as "gone": only NOT_FOUND from the
// provider confirms that a resource does not exist.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "common/crash_point.h"
#include "domain/deadlines.h"
#include "engine/engine.h"
#include "engine/engine_provider.h"
#include "metrics/ephemera_metrics.h"

namespace ephemera::engine {

using domain::Input;
using domain::InputKind;
using domain::WorkerState;
using plugin_host::CallOutcome;
using plugin_host::ProviderOp;

namespace {

bool permanent(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kPermissionDenied ||
         s.code() == StatusCode::kUnsupported || s.code() == StatusCode::kAlreadyExists;
}

}  // namespace

std::string Engine::reference(const domain::WorkerRecord& r) const {
  boost::json::object ref{{"schema", 1}, {"name", r.intent.resource_name}, {"worker_id", r.worker_id}};
  if (!r.resource_id.empty()) ref["resource_id"] = r.resource_id;
  return boost::json::serialize(ref);
}

void Engine::call(Provider& p, ProviderOp op, plugin_host::OpArgs args, std::function<void(CallOutcome)> then) {
  if (p.instance == nullptr) {
    then(CallOutcome{Status(StatusCode::kUnavailable, "provider " + p.config.name + " is not open"), {}});
    return;
  }
  ++in_flight_;
  std::weak_ptr<bool> alive = alive_;
  auto started = std::chrono::steady_clock::now();
  metrics::Labels labels{{"provider", p.config.name}, {"op", std::string(plugin_host::provider_op_name(op))}};
  p.instance->call(op, std::move(args), options_.call_deadline,
                   [this, alive, labels, started, then = std::move(then)](CallOutcome outcome) mutable {
                     boost::asio::post(io_, [this, alive, labels, started, then = std::move(then),
                                             outcome = std::move(outcome)]() mutable {
                       auto guard = alive.lock();
                       if (!guard || !*guard) return;
                       --in_flight_;
                       if (options_.metrics != nullptr) {
                         options_.metrics->observe(metrics::kProviderCalls, labels,
                                                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
                         if (!outcome.status.is_ok()) {
                           auto with_code = labels;
                           with_code.emplace_back("code", std::string(status_code_name(outcome.status.code())));
                           options_.metrics->add(metrics::kProviderErrors, with_code);
                         }
                       }
                       then(std::move(outcome));
                     });
                   });
}

void Engine::effect_done(const std::string& worker_id) {
  auto it = effects_in_flight_.find(worker_id);
  if (it != effects_in_flight_.end() && --it->second <= 0) effects_in_flight_.erase(it);
  reschedule(worker_id);
}

void Engine::schedule_retry(const std::string& worker_id, Action action, const Status& error) {
  Retry& r = retries_[worker_id];
  r.action = action;
  ++r.attempt;
  auto delay = permanent(error) ? options_.backoff.permanent_retry : backoff_delay(options_.backoff, r.attempt, rng_);
  if (permanent(error)) {
    ++stats_.permanent_errors;
    if (auto rit = records_.find(worker_id); rit != records_.end()) {
      count(metrics::kPermanentErrors, {{"provider", rit->second.intent.provider}});
    }
  }
  r.at = clock_.wall_now() + delay;
  spdlog::warn("worker {}: {} failed ({}), retry {} in {} ms", worker_id, static_cast<int>(action),
               error.to_string(), r.attempt, delay.count());
  reschedule(worker_id);
}

void Engine::provider_create(const std::string& id) {
  auto rit = records_.find(id);
  if (rit == records_.end() || rit->second.state != WorkerState::kCreated) return;
  Provider* p = provider_of(rit->second);
  if (p == nullptr) return;
  std::string spec;
  if (auto s = full_specs_.find(id); s != full_specs_.end()) {
    spec = s->second;
  } else if (spec_hash(rit->second.intent.redacted_spec) == rit->second.intent.spec_hash) {
    spec = rit->second.intent.redacted_spec;  // nothing was redacted: the log holds the whole spec
  } else {
    Input failed{InputKind::kCreateFailed};
    failed.reason = "the spec held secrets, which are never persisted, and the host restarted before create";
    feed(id, failed, nullptr);
    return;
  }
  ++effects_in_flight_[id];
  call(*p, ProviderOp::kCreate, {spec}, [this, id](CallOutcome out) {
    effect_done(id);
    if (out.status.is_ok()) {
      crash_point("after-create");
      retries_.erase(id);
      auto info = parse_backend_info(out.payload);
      Input ok{InputKind::kCreateOk};
      if (info) ok.resource_id = info->resource_id;
      feed(id, ok, nullptr);
      if (info) {
        if (auto obs = observation_input(*info)) feed(id, *obs, nullptr);
      }
    } else if (permanent(out.status)) {
      retries_.erase(id);
      spdlog::warn("worker {}: create failed for good: {}", id, out.status.to_string());
      Input failed{InputKind::kCreateFailed};
      failed.reason = out.status.to_string();
      feed(id, failed, nullptr);
    } else {
      // Outcome unknown (timeout, daemon down): find out before creating again.
      feed(id, Input{InputKind::kCreateUnknown}, nullptr);
    }
  });
}

void Engine::provider_lookup(const std::string& id) {
  auto rit = records_.find(id);
  if (rit == records_.end() || rit->second.state != WorkerState::kCreated) return;
  Provider* p = provider_of(rit->second);
  if (p == nullptr) return;
  ++effects_in_flight_[id];
  call(*p, ProviderOp::kGet, {reference(rit->second)}, [this, id](CallOutcome out) {
    effect_done(id);
    if (out.status.is_ok()) {
      retries_.erase(id);
      auto info = parse_backend_info(out.payload);
      Input found{InputKind::kRecoveredFound};
      if (info) found.resource_id = info->resource_id;
      ++stats_.adopted;
      feed(id, found, nullptr);
      if (info) {
        if (auto obs = observation_input(*info)) feed(id, *obs, nullptr);
      }
    } else if (out.status.code() == StatusCode::kNotFound) {
      ++stats_.creates_retried;
      schedule_retry(id, Action::kCreate, out.status);  // same name: never a second resource
    } else {
      schedule_retry(id, Action::kLookup, out.status);
    }
  });
}

void Engine::provider_stop(const std::string& id) {
  auto rit = records_.find(id);
  if (rit == records_.end()) return;
  Provider* p = provider_of(rit->second);
  if (p == nullptr) return;
  if (rit->second.state == WorkerState::kCreated) {
    // Max lifetime before the create was confirmed: nothing to stop yet; destroy by name.
    provider_destroy(id);
    return;
  }
  plugin_host::OpArgs args{reference(rit->second), options_.stop_grace};
  if (rit->second.stop_grace.count() > 0) args.grace = rit->second.stop_grace;
  ++effects_in_flight_[id];
  call(*p, ProviderOp::kStop, args, [this, id, p](CallOutcome out) {
    if (out.status.code() == StatusCode::kNotFound) {
      effect_done(id);
      feed(id, Input{InputKind::kBackendGone}, nullptr);
      return;
    }
    if (!out.status.is_ok()) {
      effect_done(id);
      spdlog::warn("worker {}: stop failed: {} (escalation will destroy it)", id, out.status.to_string());
      return;
    }
    // Look now rather than wait for the watch: act on the exit at once.
    auto rit2 = records_.find(id);
    if (rit2 == records_.end()) return effect_done(id);
    call(*p, ProviderOp::kGet, {reference(rit2->second)}, [this, id](CallOutcome got) {
      effect_done(id);
      if (got.status.code() == StatusCode::kNotFound) {
        feed(id, Input{InputKind::kBackendGone}, nullptr);
      } else if (got.status.is_ok()) {
        if (auto info = parse_backend_info(got.payload)) {
          if (auto obs = observation_input(*info)) feed(id, *obs, nullptr);
        }
      }
    });
  });
}

void Engine::provider_destroy(const std::string& id) {
  auto rit = records_.find(id);
  if (rit == records_.end()) return;
  Provider* p = provider_of(rit->second);
  if (p == nullptr) return;
  plugin_host::OpArgs args{reference(rit->second), options_.stop_grace, rit->second.force_destroy};
  if (rit->second.stop_grace.count() > 0) args.grace = rit->second.stop_grace;
  ++effects_in_flight_[id];
  call(*p, ProviderOp::kDestroy, args, [this, id](CallOutcome out) {
    effect_done(id);
    if (!out.status.is_ok() && out.status.code() != StatusCode::kNotFound) {
      ++stats_.destroy_retries;
      if (auto r = records_.find(id); r != records_.end()) {
        count(metrics::kDestroyRetries, {{"provider", r->second.intent.provider}});
      }
      schedule_retry(id, Action::kDestroy, out.status);
      return;
    }
    retries_.erase(id);
    ++stats_.destroys_confirmed;
    auto rit2 = records_.find(id);
    if (rit2 == records_.end()) return;
    WorkerState s = rit2->second.state;
    if (s == WorkerState::kTerminating || domain::is_live(s)) feed(id, Input{InputKind::kBackendGone}, nullptr);
    if (s == WorkerState::kCreated) {
      Input failed{InputKind::kCreateFailed};
      failed.reason = "removed before its create was confirmed";
      feed(id, failed, nullptr);
    }
    // We removed it ourselves: the resource is confirmed gone.
    feed(id, Input{InputKind::kCleanupConfirmed}, nullptr);
  });
}

}  // namespace ephemera::engine
