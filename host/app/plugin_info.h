// Loads one plugin, opens an instance and reports what it is and can do.
// Used by `ephemerad --plugin-info` (the pre-engine main job) and operators
// checking a plugin file.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

namespace ephemera::app {

// `settings_json` is the plugin's settings object; `state_dir` the provider
// state dir handed to it. Returns a process exit code (0 ok, 1 failure).
int print_plugin_info(const std::filesystem::path& plugin, const std::string& settings_json,
                      const std::filesystem::path& state_dir, std::ostream& out, std::ostream& err);

}  // namespace ephemera::app
