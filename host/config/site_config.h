// SiteConfig: the one TOML file of a site, parsed and checked. Plain values
// with the defaults the packaged ephemera.toml documents; loading is in
// config_loader.h. Provider settings stay opaque here (JSON text for the
// plugin) — only the plugin knows their schema.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/policy.h"

#ifndef EPHEMERA_DEFAULT_PLUGIN_DIR
#define EPHEMERA_DEFAULT_PLUGIN_DIR "/usr/lib/ephemera/plugins"
#endif

namespace ephemera::config {

using Millis = std::chrono::milliseconds;

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError };
enum class LogFormat : uint8_t { kText, kJson };
// What an orphan scan does with what it finds (DESIGN.md "Ownership and orphans").
enum class OrphanMode : uint8_t { kDelete, kReportOnly };

struct DaemonSection {
  std::filesystem::path state_dir = "/var/lib/ephemera";
  std::filesystem::path plugin_dir = EPHEMERA_DEFAULT_PLUGIN_DIR;
  std::optional<std::string> instance_id;  // pinned: a mismatch with the store refuses to start
  std::string site;                        // required; a DNS label, carried in every resource label
  LogLevel log_level = LogLevel::kInfo;
  LogFormat log_format = LogFormat::kText;
};

struct ApiSection {
  std::filesystem::path socket = "/run/ephemera/ephemerad.sock";
  uint32_t socket_mode = 0660;  // written "0660" in the file
  std::optional<uint64_t> max_body_bytes;
  std::optional<uint32_t> max_connections;
  std::optional<Millis> request_timeout;
  std::optional<uint32_t> max_pending_creates;  // creates in flight; more answer 429 + Retry-After
  std::optional<uint32_t> max_followers;        // concurrent event followers; more answer 429
};

struct StoreSection {
  Millis event_retention = std::chrono::hours(24 * 7);
  Millis checkpoint_interval = std::chrono::minutes(1);
};

struct IntervalsSection {
  Millis reconcile = std::chrono::seconds(30);
  Millis orphan_check = std::chrono::minutes(5);
  Millis gc_tick = Millis(200);
};

struct ProviderSection {
  std::string name;
  std::string plugin;                   // as written: "mock", "ephemera-mock.so" or an absolute path
  std::filesystem::path plugin_path;    // resolved against daemon.plugin_dir
  OrphanMode orphans = OrphanMode::kDelete;
  std::optional<uint32_t> max_concurrency;
  domain::PolicyOverrides policy;       // [providers.NAME.policy]
  std::string settings_json = "{}";     // [providers.NAME.settings] as a JSON object
  // JSON pointer ("/settings/faults/create") → TOML line, so a plugin's
  // complaint can name the line the operator must edit.
  std::map<std::string, uint32_t> setting_lines;
  uint32_t line = 0;           // [providers.NAME]
  uint32_t plugin_line = 0;    // plugin = ...
  uint32_t settings_line = 0;  // [providers.NAME.settings], else the provider's line
};

struct SiteConfig {
  std::string source;  // the file name errors are reported against
  DaemonSection daemon;
  ApiSection api;
  StoreSection store;
  IntervalsSection intervals;
  domain::WorkerPolicy policy_default;  // [policy.default] over the built-in defaults
  domain::PolicyLimits policy_max;      // [policy.max]
  std::vector<ProviderSection> providers;  // in file order, at least one

  const ProviderSection* provider(const std::string& name) const {
    for (const ProviderSection& p : providers) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
};

}  // namespace ephemera::config
