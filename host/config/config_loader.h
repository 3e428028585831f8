// Loading the site's one TOML file into a SiteConfig. Every refusal is one
// INVALID_ARGUMENT (NOT_FOUND for a missing file) whose message names the
// file, the line and the key, with a did-you-mean for near misses:
//   config /etc/ephemera/ephemera.toml:12: unknown key 'idle_timout' in
//   [policy.default] (did you mean 'idle_timeout'?)
// Unknown keys are errors everywhere except inside [providers.NAME.settings],
// which belongs to the plugin (its validate_config judges it; the daemon maps
// its JSON pointer back to a line through ProviderSection::setting_lines).
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"
#include "config/site_config.h"

namespace ephemera::config {

// $EPHEMERA_CONFIG, else /etc/ephemera/ephemera.toml.
std::filesystem::path default_config_path();

// Reads and parses `path`.
Result<SiteConfig> load_site_config(const std::filesystem::path& path);

// Parses TOML text; `source` is the name errors are reported against.
Result<SiteConfig> parse_site_config(const std::string& toml_text, const std::string& source);

// The built-in demo site (README's main job): the mock provider "sim", the
// event store, mock resources and the API socket all under `base`, with
// short intervals so a person sees things happen. The plugin directory is the
// one beside the running executable when it holds ephemera-mock.so (a build
// tree), else the installed plugin directory.
std::string embedded_default_config(const std::filesystem::path& base);

}  // namespace ephemera::config
