// Daemon: ephemerad as a service. Wires one site config into the running
// parts — state-dir lock, event store, host identity, provider plugins,
// engine, scheduler, admin API — and runs them on one io_context until
// SIGTERM/SIGINT.
//
// Signals: SIGTERM/SIGINT stop accepting, drain in-flight calls (bounded by
// `drain_timeout`), flush the store and return 0; workers keep running.
// SIGHUP re-reads the config file: policies (new workers only), intervals
// and log level; a bad config is logged and the old one kept.
// systemd: READY=1 once the store is loaded and the API listens (degraded
// providers do not hold it back), WATCHDOG=1 when asked, STOPPING=1.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>

#include "config/site_config.h"

namespace ephemera::daemon {

struct RunOptions {
  // Re-read on SIGHUP; nullopt (the embedded default) ignores SIGHUP reloads.
  std::optional<std::filesystem::path> config_path;
  std::chrono::milliseconds drain_timeout = std::chrono::seconds(20);
};

// Exit codes: 0 after a clean stop, 1 when start-up failed (lock held,
// store unreadable, API socket in use), 78 for a config the plugins refuse.
int run_daemon(const config::SiteConfig& config, const RunOptions& options);

}  // namespace ephemera::daemon
