#include "engine/engine.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "common/crash_point.h"
#include "domain/deadlines.h"
#include "domain/reducer.h"
#include "engine/engine_provider.h"
#include "metrics/ephemera_metrics.h"

namespace ephemera::engine {

using domain::Input;
using domain::InputKind;
using domain::WorkerRecord;

Engine::Engine(boost::asio::io_context& io, store::EventStore& store, const Clock& clock, EngineOptions options)
    : io_(io), store_(store), clock_(clock), options_(std::move(options)) {}

Engine::~Engine() {
  *alive_ = false;
  stop();
}

void Engine::add_provider(ProviderConfig config, std::unique_ptr<plugin_host::ProviderInstance> instance) {
  auto p = std::make_unique<Provider>();
  p->config = std::move(config);
  p->instance = std::move(instance);
  std::string name = p->config.name;
  providers_[name] = std::move(p);
}

Engine::Provider* Engine::provider_for(const std::string& name) {
  auto it = providers_.find(name);
  return it == providers_.end() ? nullptr : it->second.get();
}

Engine::Provider* Engine::provider_of(const WorkerRecord& r) { return provider_for(r.intent.provider); }

void trim_for_memory(WorkerRecord& record) {
  if (record.state != domain::WorkerState::kCreated) std::string().swap(record.intent.redacted_spec);
}

Status Engine::start() {
  auto loaded = store_.load_projection();
  if (!loaded) return loaded.status();
  for (auto& r : loaded.value()) {
    std::string id = r.worker_id;
    trim_for_memory(r);
    records_[id] = std::move(r);
    reschedule(id);
  }
  for (auto& [name, p] : providers_) {
    if (p->instance == nullptr) continue;
    if (p->instance->capabilities().watch) {
      std::string provider = name;
      // The hook was given at open; watch pushes arrive through on_pushed.
      Status s = p->instance->watch_start();
      p->watching = s.is_ok();
      if (!s.is_ok()) spdlog::warn("provider {}: watch_start: {}", name, s.to_string());
    }
    recover(*p);
  }
  return Status::ok();
}

void Engine::stop() {
  for (auto& [name, p] : providers_) {
    if (p->instance && p->watching) {
      p->instance->watch_stop();
      p->watching = false;
    }
  }
}

void Engine::create(CreateRequest request, Done<WorkerRecord> done) {
  Provider* p = provider_for(request.provider);
  if (p == nullptr) {
    done(Status(StatusCode::kNotFound, "unknown provider '" + request.provider + "'"));
    return;
  }
  auto policy = domain::effective_policy(options_.site_default, p->config.policy, request.policy, options_.limits);
  if (!policy) {
    done(policy.status());
    return;
  }
  std::string id = request.worker_id.empty() ? new_worker_id() : request.worker_id;
  if (records_.contains(id)) {
    done(Status(StatusCode::kAlreadyExists, "worker " + id + " exists"));
    return;
  }
  std::string name = resource_name(options_.owner.site, id);
  auto labels = ownership_labels(options_.owner, p->config.name, id);
  auto spec = build_spec(request.spec_json, id, name, labels);
  if (!spec) {
    done(spec.status());
    return;
  }
  auto intent = std::make_shared<domain::CreationIntent>();
  intent->provider = p->config.name;
  intent->resource_name = name;
  intent->labels = user_labels(spec.value());  // ownership labels follow from owner + id (labels_of)
  intent->policy = policy.value();
  // Harden first: the spec we record and submit is the one the plugin will really run.
  call(*p, plugin_host::ProviderOp::kHarden, {spec.value()},
       [this, id, intent, done](plugin_host::CallOutcome hardened) {
         if (!hardened.status.is_ok()) {
           done(hardened.status);
           return;
         }
         intent->spec_hash = spec_hash(hardened.payload);
         intent->redacted_spec = redact_spec(hardened.payload);
         std::string full = hardened.payload;
         commit({domain::worker_created(id, *intent, clock_.wall_now())},
                [this, id, full, done](Result<store::Appended> r) {
                  if (!r) {
                    done(r.status());
                    return;
                  }
                  absorb(r.value());
                  full_specs_[id] = full;
                  done(records_.at(id));
                  crash_point("after-intent");
                  provider_create(id);
                });
       });
}

void Engine::set_policies(domain::WorkerPolicy site_default, domain::PolicyLimits limits,
                          const std::map<std::string, domain::PolicyOverrides>& providers) {
  options_.site_default = std::move(site_default);
  options_.limits = std::move(limits);
  for (const auto& [name, layer] : providers) {
    if (Provider* p = provider_for(name)) p->config.policy = layer;
  }
}

void Engine::render(const std::string& provider, const std::string& spec_json, Done<std::string> done) {
  Provider* p = provider_for(provider);
  if (p == nullptr) {
    done(Status(StatusCode::kNotFound, "unknown provider '" + provider + "'"));
    return;
  }
  const std::string id = "w-0000000000000000";
  auto spec = build_spec(spec_json, id, resource_name(options_.owner.site, id),
                         ownership_labels(options_.owner, p->config.name, id));
  if (!spec) {
    done(spec.status());
    return;
  }
  call(*p, plugin_host::ProviderOp::kHarden, {spec.value()}, [done](plugin_host::CallOutcome hardened) {
    if (!hardened.status.is_ok()) {
      done(hardened.status);
      return;
    }
    done(redact_spec(hardened.payload));
  });
}

void Engine::report(const std::string& worker_id, InputKind kind, Done<WorkerRecord> done) {
  feed(worker_id, Input{kind}, std::move(done));
}

void Engine::remove(const std::string& worker_id, std::chrono::milliseconds grace, bool force,
                    Done<WorkerRecord> done) {
  Input in{InputKind::kApiDelete};
  in.grace = grace;
  in.force = force;
  feed(worker_id, in, std::move(done));
}

void Engine::feed(const std::string& worker_id, Input input, Done<WorkerRecord> done) {
  auto& queue = queues_[worker_id];
  queue.push_back(Pending{std::move(input), std::move(done)});
  if (queue.size() == 1) process_next(worker_id);
}

void Engine::process_next(const std::string& worker_id) {
  auto qit = queues_.find(worker_id);
  if (qit == queues_.end() || qit->second.empty()) {
    if (qit != queues_.end()) queues_.erase(qit);
    return;
  }
  Pending& pending = qit->second.front();
  auto finish = [this, worker_id](const Done<WorkerRecord>& done, Result<WorkerRecord> result) {
    if (done) done(std::move(result));
    auto it = queues_.find(worker_id);
    if (it != queues_.end() && !it->second.empty()) it->second.pop_front();
    process_next(worker_id);
  };
  auto rit = records_.find(worker_id);
  if (rit == records_.end()) {
    finish(pending.done, Status(StatusCode::kNotFound, "no worker " + worker_id));
    return;
  }
  domain::Decision d = domain::decide(rit->second, pending.input, clock_.wall_now());
  switch (d.verdict) {
    case domain::Decision::Verdict::kReject:
      finish(pending.done, Status(StatusCode::kAborted, d.why));
      return;
    case domain::Decision::Verdict::kNoop: {
      WorkerRecord r = rit->second;
      run_effect(worker_id, d.effect);
      finish(pending.done, std::move(r));
      return;
    }
    case domain::Decision::Verdict::kApply:
      break;
  }
  Done<WorkerRecord> done = pending.done;
  domain::SideEffect effect = d.effect;
  commit(std::move(d.events), [this, worker_id, done, effect, finish](Result<store::Appended> r) {
    if (!r) {
      finish(done, r.status());
      return;
    }
    absorb(r.value());
    run_effect(worker_id, effect);
    finish(done, records_.at(worker_id));
  });
}

void Engine::commit(std::vector<domain::Event> events, std::function<void(Result<store::Appended>)> then) {
  ++in_flight_;
  std::weak_ptr<bool> alive = alive_;
  store_.append_async(std::move(events), [this, alive, then = std::move(then)](Result<store::Appended> r) mutable {
    boost::asio::post(io_, [this, alive, then = std::move(then), r = std::move(r)]() mutable {
      auto guard = alive.lock();
      if (!guard || !*guard) return;
      --in_flight_;
      if (options_.on_commit) {
        options_.on_commit(r.status(), r && !r->events.empty() ? r->events.back().seq : 0);
      }
      then(std::move(r));
    });
  });
}

void Engine::count(const char* family, metrics::Labels labels, double by) {
  if (options_.metrics != nullptr) options_.metrics->add(family, labels, by);
}

void Engine::for_each_provider(
    const std::function<void(const std::string&, plugin_host::ProviderInstance*)>& fn) const {
  for (const auto& [name, p] : providers_) fn(name, p->instance.get());
}

void Engine::absorb(const store::Appended& appended) {
  count(metrics::kEventsAppended, {}, static_cast<double>(appended.events.size()));
  for (const auto& r : appended.records) {
    auto before = records_.find(r.worker_id);
    if (options_.metrics != nullptr && before != records_.end() && before->second.cleanup != domain::CleanupStatus::kDone &&
        r.cleanup == domain::CleanupStatus::kDone && before->second.cleanup_due_at && r.cleaned_up_at) {
      auto late = std::chrono::duration<double>(*r.cleaned_up_at - *before->second.cleanup_due_at).count();
      options_.metrics->observe(metrics::kCleanupLatency, {{"provider", r.intent.provider}}, std::max(0.0, late));
    }
    WorkerRecord& kept = records_[r.worker_id] = r;
    trim_for_memory(kept);
    if (r.state != domain::WorkerState::kCreated) full_specs_.erase(r.worker_id);
    reschedule(r.worker_id);
  }
}

void Engine::reschedule(const std::string& worker_id) {
  auto it = records_.find(worker_id);
  if (it == records_.end()) {
    timers_.cancel(worker_id);
    return;
  }
  WallTime now = clock_.wall_now();
  std::optional<WallTime> when;
  auto consider = [&](WallTime t) {
    if (!when || t < *when) when = t;
  };
  auto retry = retries_.find(worker_id);
  bool retry_waiting = retry != retries_.end() && retry->second.at != WallTime::max();
  bool busy = effects_in_flight_.count(worker_id) > 0 || retry_waiting;
  if (auto dl = domain::next_deadline(it->second)) {
    // A deadline already acted on waits for its effect (or retry) to finish.
    if (!busy || dl->at > now) consider(dl->at);
  }
  if (retry_waiting) consider(retry->second.at);
  if (when) {
    timers_.schedule(worker_id, *when);
    if (options_.on_scheduled) options_.on_scheduled(*when);
  } else {
    timers_.cancel(worker_id);
  }
}

size_t Engine::run_due() {
  ++stats_.gc_cycles;
  auto started = std::chrono::steady_clock::now();
  struct Timed {
    Engine* e;
    std::chrono::steady_clock::time_point t0;
    ~Timed() {
      if (e->options_.metrics == nullptr) return;
      e->options_.metrics->add(metrics::kGcCycles, {});
      e->options_.metrics->observe(metrics::kGcDuration, {},
                                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  } timed{this, started};
  WallTime now = clock_.wall_now();
  std::vector<std::string> due = timers_.take_due(now);
  for (const auto& id : due) {
    auto rit = records_.find(id);
    if (rit == records_.end()) continue;
    if (auto r = retries_.find(id); r != retries_.end() && r->second.at <= now) {
      Action action = r->second.action;
      r->second.at = WallTime::max();  // in flight: its outcome reschedules it or clears it
      run_action(id, action);
      continue;
    }
    auto waiting = retries_.find(id);
    if (effects_in_flight_.count(id) == 0 && (waiting == retries_.end() || waiting->second.at == WallTime::max())) {
      if (auto dl = domain::next_deadline(rit->second); dl && dl->at <= now) {
        feed(id, Input{dl->input}, nullptr);
        continue;
      }
    }
    reschedule(id);
  }
  return due.size();
}

void Engine::run_effect(const std::string& worker_id, domain::SideEffect effect) {
  switch (effect) {
    case domain::SideEffect::kNone: return;
    case domain::SideEffect::kLookupByLabel: run_action(worker_id, Action::kLookup); return;
    case domain::SideEffect::kStop: run_action(worker_id, Action::kStop); return;
    case domain::SideEffect::kDestroy: run_action(worker_id, Action::kDestroy); return;
  }
}

void Engine::run_action(const std::string& worker_id, Action action) {
  switch (action) {
    case Action::kCreate: provider_create(worker_id); return;
    case Action::kLookup: provider_lookup(worker_id); return;
    case Action::kStop: provider_stop(worker_id); return;
    case Action::kDestroy: provider_destroy(worker_id); return;
  }
}

const WorkerRecord* Engine::find(const std::string& worker_id) const {
  auto it = records_.find(worker_id);
  return it == records_.end() ? nullptr : &it->second;
}

std::vector<WorkerRecord> Engine::workers() const {
  std::vector<WorkerRecord> out;
  out.reserve(records_.size());
  for (const auto& [id, r] : records_) out.push_back(r);
  return out;
}

std::map<std::string, std::string> Engine::labels_of(const WorkerRecord& r) const {
  auto labels = ownership_labels(options_.owner, r.intent.provider, r.worker_id);
  labels.insert(r.intent.labels.begin(), r.intent.labels.end());  // ours win: inserted first
  return labels;
}

void Engine::for_each_worker(const std::function<void(const WorkerRecord&)>& fn) const {
  for (const auto& [id, record] : records_) fn(record);
}

}  // namespace ephemera::engine
