// From the [providers.NAME] tables of a site config to loaded plugins and
// open provider instances. Also the plugin half of `ephemerad --check-config`:
// each provider's table goes through its plugin's validate_config, and a
// complaint about a JSON pointer is mapped back to the TOML line.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "config/site_config.h"
#include "plugin_host/provider_instance.h"

namespace ephemera::daemon {

// The provider config document of the SDK README ("Provider config").
std::string provider_config_json(const config::SiteConfig& site, const config::ProviderSection& provider,
                                 const std::string& instance_id);

// <state_dir>/providers/<name>: the plugin's own directory.
std::filesystem::path provider_state_dir(const config::SiteConfig& site, const std::string& provider);

// Loads every provider's plugin and runs validate_config on its table.
// INVALID_ARGUMENT naming "config FILE:LINE: provider NAME: ..." on the
// first refusal; NOT_FOUND / INVALID_ARGUMENT / UNSUPPORTED when a plugin
// file cannot be loaded.
Status check_providers(const config::SiteConfig& site);

// Loads and opens one provider. A plugin that cannot be loaded or refuses
// its config is an error (the operator must fix the config); a failed open
// is left to the caller (a degraded provider).
struct OpenedProvider {
  std::shared_ptr<plugin_host::PluginLibrary> library;
  Result<std::unique_ptr<plugin_host::ProviderInstance>> instance{Status(StatusCode::kInternal, "not opened")};
};
Result<OpenedProvider> open_provider(const config::SiteConfig& site, const config::ProviderSection& provider,
                                     const std::string& instance_id, plugin_host::HostHooks hooks);

}  // namespace ephemera::daemon
