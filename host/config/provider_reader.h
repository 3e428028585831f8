// [providers.NAME] tables: which plugin, how orphans are handled, the
// provider's policy layer, and its opaque settings (handed to the plugin as
// JSON, with a JSON-pointer → TOML-line map for the plugin's complaints).
#pragma once

#include <toml++/toml.h>

#include <string>

#include "common/status.h"
#include "config/site_config.h"

namespace ephemera::config {

// Fills c.providers from the [providers] table (null: none, an error). Needs
// c.daemon.plugin_dir already read.
Status read_providers(const toml::table* providers, const std::string& source, SiteConfig& c);

// "mock" → <plugin_dir>/ephemera-mock.so; "ephemera-x.so" → <plugin_dir>/…;
// an absolute path stays as it is.
std::filesystem::path resolve_plugin(const std::string& plugin, const std::filesystem::path& plugin_dir);

}  // namespace ephemera::config
