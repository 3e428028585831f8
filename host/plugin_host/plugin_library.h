// PluginLibrary: one loaded provider plugin file, negotiated and checked.
//
// Loading is RTLD_NOW | RTLD_LOCAL through Boost.DLL. Every way loading can
// fail gets its own message naming the file (and both ABI versions where they
// matter), so an operator knows what to fix. The library is unloaded only when
// the last shared_ptr goes, and every in-flight call holds one: a call that a
// deadline abandoned keeps its code mapped until it returns.
#pragma once

#include <ephemera/provider.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"

namespace ephemera::plugin_host {

struct AbiVersion {
  uint32_t major = 0;
  uint32_t minor = 0;
  std::string to_string() const { return std::to_string(major) + "." + std::to_string(minor); }
};

// The ABI this host speaks (the header it was built with).
inline constexpr AbiVersion kHostAbi{EPH_ABI_VERSION_MAJOR, EPH_ABI_VERSION_MINOR};

// What a validate_config call said: ok, or why not and where (a JSON pointer
// into the config document such as "/settings/netwrk", empty if unknown).
struct ConfigVerdict {
  Status status;
  std::string pointer;
};

class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
 public:
  // Loads and negotiates. Errors: kNotFound (file missing), kInvalidArgument
  // (not a shared object, no entry symbol, bad table) or kUnsupported (ABI).
  static Result<std::shared_ptr<PluginLibrary>> load(const std::filesystem::path& path);

  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  // The plugin's table as this host knows it: entries past the plugin's
  // struct_size read as NULL (not implemented).
  const eph_provider_api& api() const { return api_; }
  const std::filesystem::path& path() const { return path_; }
  const std::string& plugin_name() const { return name_; }
  const std::string& plugin_version() const { return version_; }
  AbiVersion plugin_abi() const { return abi_; }

  // Runs on_validate_config with a deadline (a plugin that hangs here is
  // abandoned, not waited on forever). No instance is needed.
  ConfigVerdict validate_config(const std::string& config_json,
                                std::chrono::milliseconds deadline) const;

  // "memory 0.1.0 (ABI 0.1) from /usr/lib/ephemera/ephemera-memory.so"
  std::string describe() const;

 private:
  struct Impl;
  explicit PluginLibrary(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  eph_provider_api api_{};
  std::filesystem::path path_;
  std::string name_;
  std::string version_;
  AbiVersion abi_;

  friend class PluginLoader;
};

}  // namespace ephemera::plugin_host
