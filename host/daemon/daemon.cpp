#include "daemon/daemon.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <map>
#include <memory>

#include "api/admin_api.h"
#include "config/config_loader.h"
#include "daemon/engine_api_backend.h"
#include "daemon/logging.h"
#include "daemon/provider_setup.h"
#include "daemon/systemd_notify.h"
#include "engine/engine.h"
#include "engine/engine_scheduler.h"
#include "identity/host_identity.h"
#include "identity/state_dir_lock.h"
#include "metrics/ephemera_metrics.h"
#include "store/event_store.h"

namespace ephemera::daemon {
namespace {

constexpr int kExitConfig = 78;  // EX_CONFIG

engine::SchedulerOptions scheduler_options(const config::SiteConfig& c) {
  engine::SchedulerOptions o;
  o.max_tick = c.intervals.gc_tick;
  o.reconcile_interval = c.intervals.reconcile;
  o.orphan_interval = c.intervals.orphan_check;
  o.upkeep_interval = c.store.checkpoint_interval;
  return o;
}

api::ApiOptions api_options(const config::SiteConfig& c) {
  api::ApiOptions o;
  if (c.api.max_body_bytes) o.max_body_bytes = *c.api.max_body_bytes;
  if (c.api.max_connections) o.max_connections = *c.api.max_connections;
  if (c.api.request_timeout) o.request_timeout = *c.api.request_timeout;
  if (c.api.max_pending_creates) o.max_pending_creates = *c.api.max_pending_creates;
  if (c.api.max_followers) o.max_followers = *c.api.max_followers;
  return o;
}

std::map<std::string, domain::PolicyOverrides> provider_policies(const config::SiteConfig& c) {
  std::map<std::string, domain::PolicyOverrides> out;
  for (const auto& p : c.providers) out[p.name] = p.policy;
  return out;
}

// Everything a running daemon holds. Members are declared in start-up order,
// so they are destroyed in reverse: the API first, the lock last.
class Service {
 public:
  Service(config::SiteConfig config, RunOptions options) : config_(std::move(config)), options_(std::move(options)) {}

  int run() {
    if (int rc = start(); rc != 0) return rc;
    io_.run();
    spdlog::info("ephemerad stopped; workers keep running");
    return 0;
  }

 private:
  int start() {
    std::error_code ec;
    std::filesystem::create_directories(config_.daemon.state_dir, ec);
    if (ec) return fail("cannot create state dir " + config_.daemon.state_dir.string() + ": " + ec.message());
    auto lock = identity::StateDirLock::acquire(config_.daemon.state_dir);
    if (!lock) return fail(lock.status().message());
    lock_ = std::move(lock.value());

    store::StoreOptions so{config_.daemon.state_dir / "events.db"};
    so.event_retention = config_.store.event_retention;
    auto store = store::EventStore::open(so);
    if (!store) return fail("event store: " + store.status().to_string());
    store_ = std::move(store.value());
    auto id = identity::load_instance_id(*store_, config_.daemon.instance_id);
    if (!id) return fail(id.status().message());
    instance_id_ = id.value();

    metrics::describe_all(metrics_);
    engine::EngineOptions eo;
    eo.owner = {config_.daemon.site, instance_id_};
    eo.metrics = &metrics_;
    eo.site_default = config_.policy_default;
    eo.limits = config_.policy_max;
    eo.on_commit = [this](const Status& s, uint64_t seq) {
      if (backend_) backend_->on_commit(s, seq);
    };
    engine_ = std::make_unique<engine::Engine>(io_, *store_, SystemClock::instance(), eo);
    backend_ = std::make_unique<EngineApiBackend>(*engine_, *store_, metrics_, instance_id_);
    if (int rc = add_providers(); rc != 0) return rc;
    if (Status s = engine_->start(); !s.is_ok()) return fail("engine: " + s.to_string());

    api_ = std::make_unique<api::AdminApi>(io_, *backend_, api_options(config_));
    std::filesystem::create_directories(config_.api.socket.parent_path(), ec);
    if (Status s = api_->listen_unix(config_.api.socket, config_.api.socket_mode); !s.is_ok()) {
      return fail("admin API: " + s.to_string());
    }
    std::vector<std::string> names;
    for (const auto& p : config_.providers) names.push_back(p.name);
    scheduler_ = std::make_unique<engine::EngineScheduler>(io_, *engine_, *store_, SystemClock::instance(), names,
                                                           scheduler_options(config_));
    scheduler_->start();
    watch_signals();
    arm_watchdog();
    backend_->set_serving(true);
    spdlog::info("ephemerad ready: site {}, instance {}, {} provider(s), {} worker(s) tracked, API on {}",
                 config_.daemon.site, instance_id_, config_.providers.size(), engine_->worker_count(),
                 config_.api.socket.string());
    notify_ready("serving on " + config_.api.socket.string());
    return 0;
  }

  int add_providers() {
    for (const auto& p : config_.providers) {
      auto opened = open_provider(config_, p, instance_id_, engine_->hooks_for(p.name));
      if (!opened) {
        spdlog::error("{}", opened.status().message());
        return kExitConfig;
      }
      std::unique_ptr<plugin_host::ProviderInstance> instance;
      if (opened->instance) {
        instance = std::move(opened->instance.value());
        spdlog::info("provider {}: {}", p.name, instance->library().describe());
      } else {
        // Degraded, not fatal: its workers wait until a restart brings it back.
        spdlog::error("provider {} is degraded: {}", p.name, opened->instance.status().to_string());
      }
      engine_->add_provider({p.name, p.policy, p.orphans == config::OrphanMode::kReportOnly}, std::move(instance));
    }
    return 0;
  }

  void watch_signals() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
      if (ec) return;
      if (signo == SIGHUP) {
        reload();
        watch_signals();
        return;
      }
      shutdown(signo);
    });
  }

  void reload() {
    if (!options_.config_path) {
      spdlog::info("SIGHUP: running on the embedded default config; nothing to reload");
      return;
    }
    auto fresh = config::load_site_config(*options_.config_path);
    if (!fresh) {
      spdlog::error("SIGHUP: keeping the running config: {}", fresh.status().message());
      return;
    }
    // Policies apply to new workers only: running ones keep their frozen
    // policy and deadlines. Providers and sockets need a restart.
    engine_->set_policies(fresh->policy_default, fresh->policy_max, provider_policies(*fresh));
    scheduler_->set_options(scheduler_options(*fresh));
    set_log_level(fresh->daemon.log_level);
    config_.policy_default = fresh->policy_default;
    config_.policy_max = fresh->policy_max;
    spdlog::info("SIGHUP: reloaded policies, intervals and log level from {}", options_.config_path->string());
  }

  void shutdown(int signo) {
    spdlog::info("signal {}: stop accepting, drain in-flight calls (up to {} ms)", signo,
                 options_.drain_timeout.count());
    notify_stopping();
    backend_->set_serving(false);
    api_->stop();
    scheduler_->stop();
    drain_until_ = std::chrono::steady_clock::now() + options_.drain_timeout;
    drain();
  }

  // Waits for provider calls and commits in flight, then stops the loop.
  void drain() {
    if (engine_->busy() > 0 && std::chrono::steady_clock::now() < drain_until_) {
      drain_timer_.expires_after(std::chrono::milliseconds(20));
      drain_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) drain();
      });
      return;
    }
    if (engine_->busy() > 0) spdlog::warn("drain timeout: {} call(s) still in flight", engine_->busy());
    engine_->stop();
    watchdog_timer_.cancel();
    signals_.cancel();
    io_.stop();
  }

  void arm_watchdog() {
    auto every = watchdog_interval();
    if (!every) return;
    notify_watchdog();
    watchdog_timer_.expires_after(*every);
    watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) arm_watchdog();
    });
  }

  int fail(const std::string& message) {
    spdlog::error("cannot start: {}", message);
    return 1;
  }

  config::SiteConfig config_;
  RunOptions options_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_{io_, SIGTERM, SIGINT, SIGHUP};
  boost::asio::steady_timer drain_timer_{io_};
  boost::asio::steady_timer watchdog_timer_{io_};
  std::chrono::steady_clock::time_point drain_until_;
  std::unique_ptr<identity::StateDirLock> lock_;
  std::unique_ptr<store::EventStore> store_;
  std::string instance_id_;
  metrics::MetricsRegistry metrics_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<EngineApiBackend> backend_;
  std::unique_ptr<api::AdminApi> api_;
  std::unique_ptr<engine::EngineScheduler> scheduler_;
};

}  // namespace

int run_daemon(const config::SiteConfig& config, const RunOptions& options) {
  setup_logging(config.daemon.log_format, config.daemon.log_level);
  // A client that goes away mid-write must not kill the daemon.
  std::signal(SIGPIPE, SIG_IGN);
  Service service(config, options);
  return service.run();
}

}  // namespace ephemera::daemon
