// The README's main job runs on this site: no file to write, nothing to
// install. Short intervals so a person watching sees each rule fire.
#include <system_error>

#include "config/config_loader.h"

namespace ephemera::config {
namespace {

// A build tree keeps plugins in <build>/lib beside <build>/bin; an installed
// ephemerad uses the packaged plugin directory.
std::filesystem::path plugin_dir_for_this_executable() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = exe.parent_path().parent_path() / "lib";
    if (std::filesystem::exists(beside / "ephemera-mock.so", ec)) return beside;
  }
  return EPHEMERA_DEFAULT_PLUGIN_DIR;
}

// A TOML basic string: the path may hold quotes or backslashes.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string embedded_default_config(const std::filesystem::path& base) {
  return "[daemon]\n"
         "site = \"demo\"\n"
         "state_dir = " + quoted((base / "state").string()) + "\n"
         "plugin_dir = " + quoted(plugin_dir_for_this_executable().string()) + "\n"
         "\n[api]\n"
         "socket = " + quoted((base / "ephemerad.sock").string()) + "\n"
         "\n[intervals]\n"
         "gc_tick = \"100ms\"\n"
         "reconcile = \"2s\"\n"
         "orphan_check = \"1s\"\n"
         "\n[policy.default]\n"
         "max_lifetime = \"10m\"\n"
         "idle_timeout = \"1m\"\n"
         "startup_timeout = \"30s\"\n"
         "failed_retention = \"5s\"\n"
         "orphan_grace = \"2s\"\n"
         "\n[providers.sim]\n"
         "plugin = \"mock\"\n"
         "\n[providers.sim.settings]\n"
         "state_dir = " + quoted((base / "mock").string()) + "\n"
         "start_delay_ms = 300\n"
         "watch_interval_ms = 50\n";
}

}  // namespace ephemera::config
