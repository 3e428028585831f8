// Reconcile, watch pushes, orphan detection and start-up recovery: how the
// engine learns what the backends really hold.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <set>

#include "engine/engine.h"
#include "engine/engine_provider.h"
#include "metrics/ephemera_metrics.h"

namespace ephemera::engine {
namespace {

// How the orphan bookkeeping names an untracked resource: its backend id,
// else its name.
const std::string& untracked_key(const BackendInfo& item) {
  return item.resource_id.empty() ? item.name : item.resource_id;
}

}  // namespace

using domain::Input;
using domain::InputKind;
using domain::WorkerState;
using plugin_host::CallOutcome;
using plugin_host::ProviderOp;
namespace json = boost::json;

plugin_host::HostHooks Engine::hooks_for(const std::string& provider) {
  plugin_host::HostHooks hooks;
  std::weak_ptr<bool> alive = alive_;
  hooks.status_pushed = [this, alive, provider](std::string info) {
    // A plugin thread: hand it to the loop.
    boost::asio::post(io_, [this, alive, provider, info = std::move(info)] {
      auto guard = alive.lock();
      if (guard && *guard) on_pushed(provider, info);
    });
  };
  hooks.reconcile_requested = [this, alive, provider](std::string reason) {
    boost::asio::post(io_, [this, alive, provider, reason = std::move(reason)] {
      auto guard = alive.lock();
      if (!guard || !*guard) return;
      spdlog::info("provider {} asked for a reconcile: {}", provider, reason);
      reconcile(provider, nullptr);
    });
  };
  return hooks;
}

void Engine::on_pushed(const std::string& provider, const std::string& info_json) {
  auto info = parse_backend_info(info_json);
  if (!info) return;
  auto rit = records_.find(info->worker_id);
  if (rit == records_.end() || rit->second.intent.provider != provider) return;  // orphans are the scanner's
  if (auto in = observation_input(*info)) feed(info->worker_id, *in, nullptr);
}

void Engine::list_all(Provider& p, std::function<void(Result<std::vector<BackendInfo>>)> done) {
  auto items = std::make_shared<std::vector<BackendInfo>>();
  auto next = std::make_shared<std::function<void(std::string)>>();
  json::object labels{{kLabelManagedBy, kManagedByValue}, {kLabelInstance, options_.owner.instance_id}};
  *next = [this, &p, items, next, labels, done](std::string token) {
    json::object selector{{"schema", 1}, {"labels", labels},
                          {"limit", static_cast<int64_t>(options_.list_page_size)}, {"continue", token}};
    call(p, ProviderOp::kList, {json::serialize(selector)}, [items, next, done](CallOutcome out) {
      if (!out.status.is_ok()) {
        done(out.status);
        *next = nullptr;  // break the self-reference
        return;
      }
      auto page = parse_list_page(out.payload);
      if (!page) {
        done(page.status());
        *next = nullptr;
        return;
      }
      for (auto& item : page->first) items->push_back(std::move(item));
      if (page->second.empty()) {
        done(std::move(*items));
        *next = nullptr;
      } else {
        (*next)(page->second);
      }
    });
  };
  (*next)("");
}

void Engine::apply_listing(Provider& p, const std::vector<BackendInfo>& items, uint64_t listed_at_seq, bool recovery) {
  std::set<std::string> seen;
  for (const auto& item : items) {
    // Another instance's resource never counts, even if a plugin ignored the selector.
    auto inst = item.labels.find(kLabelInstance);
    if (inst == item.labels.end() || inst->second != options_.owner.instance_id) continue;
    seen.insert(item.worker_id);
    auto rit = records_.find(item.worker_id);
    if (rit == records_.end()) continue;
    if (rit->second.state == WorkerState::kCreated) {
      if (recovery && queues_.count(item.worker_id) == 0) {
        Input found{InputKind::kRecoveredFound};
        found.resource_id = item.resource_id;
        ++stats_.adopted;
        feed(item.worker_id, found, nullptr);
      } else {
        continue;
      }
    }
    if (auto in = observation_input(item)) feed(item.worker_id, *in, nullptr);
  }
  for (const auto& [id, r] : records_) {
    if (r.intent.provider != p.config.name || seen.count(id)) continue;
    // Only what has not changed since the list was taken can be missing from it.
    if (r.last_seq > listed_at_seq || queues_.count(id) || effects_in_flight_.count(id)) continue;
    if (r.state == WorkerState::kCreated) {
      if (recovery) provider_create(id);  // intent without a resource: create it, same name
      continue;
    }
    if (domain::is_live(r.state) || r.state == WorkerState::kTerminating) {
      feed(id, Input{recovery ? InputKind::kRecoveredGone : InputKind::kBackendGone}, nullptr);
    } else if (domain::is_final(r.state) && r.cleanup == domain::CleanupStatus::kPending) {
      feed(id, Input{InputKind::kRecoveredGone}, nullptr);
    }
  }
}

void Engine::reconcile(const std::string& provider, Done<size_t> done) {
  Provider* p = provider_for(provider);
  if (p == nullptr) {
    if (done) done(Status(StatusCode::kNotFound, "unknown provider '" + provider + "'"));
    return;
  }
  if (!p->recovered) {
    recover(*p);
    if (done) done(size_t{0});
    return;
  }
  uint64_t listed_at = store_.last_seq();
  list_all(*p, [this, p, listed_at, done](Result<std::vector<BackendInfo>> items) {
    if (!items) {
      // Could not look: that says nothing about what exists.
      spdlog::warn("provider {}: reconcile list failed: {}", p->config.name, items.status().to_string());
      if (done) done(items.status());
      return;
    }
    apply_listing(*p, items.value(), listed_at, false);
    if (done) done(items->size());
  });
}

void Engine::recover(Provider& p) {
  uint64_t listed_at = store_.last_seq();
  list_all(p, [this, &p, listed_at](Result<std::vector<BackendInfo>> items) {
    if (!items) {
      spdlog::warn("provider {} is degraded: {}", p.config.name, items.status().to_string());
      return;
    }
    p.recovered = true;
    apply_listing(p, items.value(), listed_at, true);
    spdlog::info("provider {} recovered: {} resources listed", p.config.name, items->size());
    scan_orphans(p.config.name, false, nullptr);
  });
}

void Engine::destroy_orphan(Provider& p, const std::string& key, OrphanReport report, const std::string& ref_json,
                            std::shared_ptr<std::vector<OrphanReport>> reports, std::function<void()> finish_one) {
  p.orphans_destroying.insert(key);
  call(p, ProviderOp::kDestroy, {ref_json, options_.stop_grace, false},
       [this, &p, key, report, reports, finish_one](CallOutcome out) mutable {
         p.orphans_destroying.erase(key);
         report.deleted = out.status.is_ok() || out.status.code() == StatusCode::kNotFound;
         if (report.deleted) {
           ++stats_.orphans_deleted;
           count(metrics::kOrphansCleaned, {{"provider", p.config.name}});
           p.first_seen.erase(key);
         } else {
           spdlog::warn("provider {}: orphan {} not removed yet ({}); the next scan retries", p.config.name,
                        report.name, out.status.to_string());
         }
         reports->push_back(report);
         finish_one();
       });
}

// Bounds the per-provider orphan bookkeeping to what the backend still holds.
void Engine::forget_unlisted(Provider& p, const std::vector<BackendInfo>& listed) {
  std::unordered_set<std::string> keys;
  for (const auto& item : listed) keys.insert(untracked_key(item));
  std::erase_if(p.first_seen, [&](const auto& entry) { return !keys.count(entry.first); });
  std::erase_if(p.orphans_recorded, [&](const std::string& key) { return !keys.count(key); });
}

void Engine::scan_orphans(const std::string& provider, bool dry_run, Done<std::vector<OrphanReport>> done) {
  Provider* p = provider_for(provider);
  if (p == nullptr) {
    if (done) done(Status(StatusCode::kNotFound, "unknown provider '" + provider + "'"));
    return;
  }
  auto policy = domain::effective_policy(options_.site_default, p->config.policy, {}, options_.limits);
  if (!policy || !policy->orphan_detection_enabled) {
    if (done) done(std::vector<OrphanReport>{});
    return;
  }
  domain::Millis grace = policy->orphan_grace;
  list_all(*p, [this, p, grace, dry_run, done](Result<std::vector<BackendInfo>> items) {
    if (!items) {
      if (done) done(items.status());
      return;
    }
    WallTime now = clock_.wall_now();
    if (!dry_run) forget_unlisted(*p, items.value());
    auto reports = std::make_shared<std::vector<OrphanReport>>();
    auto remaining = std::make_shared<size_t>(1);
    auto finish_one = [reports, remaining, done] {
      if (--*remaining == 0 && done) done(std::move(*reports));
    };
    for (const auto& item : items.value()) {
      auto inst = item.labels.find(kLabelInstance);
      if (inst == item.labels.end() || inst->second != options_.owner.instance_id) continue;
      if (records_.count(item.worker_id)) continue;  // tracked, or once tracked
      std::string key = untracked_key(item);
      auto [seen_it, first] = p->first_seen.try_emplace(key, now);
      WallTime born = seen_it->second;
      if (item.created_at_ms) born = std::max(born, WallTime(std::chrono::milliseconds(*item.created_at_ms)));
      if (now - born < grace) continue;  // maybe mid-creation
      // One event per resource; a destroy that failed is retried by the next scan.
      if (p->orphans_destroying.count(key)) continue;
      if (p->orphans_recorded.count(key) && p->config.orphans_report_only) continue;
      OrphanReport report{p->config.name, item.resource_id, item.name, item.worker_id, false};
      if (dry_run) {
        reports->push_back(report);
        continue;
      }
      ++*remaining;
      json::object ref{{"schema", 1}, {"name", item.name}, {"worker_id", item.worker_id}};
      if (!item.resource_id.empty()) ref["resource_id"] = item.resource_id;
      std::string ref_json = json::serialize(ref);
      // Re-check right before acting: it may have just been adopted or removed.
      call(*p, ProviderOp::kGet, {ref_json}, [this, p, key, report, ref_json, reports, finish_one](CallOutcome got) {
        if (!got.status.is_ok() || records_.count(report.worker_id) || p->orphans_destroying.count(key)) {
          return finish_one();
        }
        if (p->orphans_recorded.count(key)) {  // recorded by an earlier scan: only the destroy is left
          if (!p->config.orphans_report_only) return destroy_orphan(*p, key, report, ref_json, reports, finish_one);
          return finish_one();
        }
        p->orphans_recorded.insert(key);  // before the commit: a concurrent scan must not record it twice
        domain::Event e;
        e.worker_id = report.worker_id.empty() ? "orphan:" + report.resource_id : report.worker_id;
        e.type = domain::EventType::kOrphanWorkerDetected;
        e.at = clock_.wall_now();
        e.resource_id = report.resource_id;
        e.provider = p->config.name;
        e.reason = p->config.orphans_report_only ? "report-only" : "deleted";
        ++stats_.orphans_detected;
        count(metrics::kOrphansDetected, {{"provider", p->config.name}});
        commit({e}, [this, p, key, report, ref_json, reports, finish_one](Result<store::Appended> r) {
          if (!r) p->orphans_recorded.erase(key);  // not durable: the next scan records it again
          if (!r || p->config.orphans_report_only) {
            reports->push_back(report);
            return finish_one();
          }
          destroy_orphan(*p, key, report, ref_json, reports, finish_one);
        });
      });
    }
    finish_one();
  });
}

}  // namespace ephemera::engine
