#include "app/ephemerad_cli.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/plugin_info.h"
#include "app/version.h"
#include "config/config_loader.h"
#include "daemon/daemon.h"
#include "daemon/provider_setup.h"

namespace ephemera::app {
namespace {

constexpr int kExitUsage = 64;   // EX_USAGE
constexpr int kExitConfig = 78;  // EX_CONFIG

void usage(std::ostream& out) {
  out << "usage: ephemerad [--config PATH] [--check-config]\n"
         "       ephemerad --embedded-default DIR\n"
         "       ephemerad --plugin-info PLUGIN.so [--settings JSON] [--state-dir DIR]\n"
         "       ephemerad --version | --help\n"
         "\n"
         "  --config PATH          the site config (default $EPHEMERA_CONFIG, else /etc/ephemera/ephemera.toml)\n"
         "  --check-config         validate the config, each provider's table through its plugin, and exit\n"
         "  --embedded-default DIR run on the built-in demo site: the mock provider, state under DIR\n"
         "  --plugin-info          load a provider plugin, open it and print its capabilities and health\n"
         "\n"
         "exit codes: 0 ok, 1 start-up failure, 64 usage, 78 bad config\n";
}

struct Options {
  std::optional<std::filesystem::path> config;
  std::optional<std::filesystem::path> embedded_dir;
  bool check_config = false;
  std::string plugin, settings = "{}";
  std::filesystem::path state_dir = std::filesystem::temp_directory_path() / "ephemera-plugin-info";
};

// nullopt: parsed; else the exit code to leave with.
std::optional<int> parse(const std::vector<std::string_view>& args, Options& o) {
  for (size_t i = 0; i < args.size(); ++i) {
    auto value = [&](std::string_view flag) -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        std::cerr << "ephemerad: " << flag << " needs a value\n";
        return std::nullopt;
      }
      return std::string(args[++i]);
    };
    std::optional<std::string> v;
    const std::string_view a = args[i];
    if (a == "--version") {
      std::cout << version_line("ephemerad") << "\n";
      return 0;
    } else if (a == "--help" || a == "-h") {
      usage(std::cout);
      return 0;
    } else if (a == "--check-config") {
      o.check_config = true;
      continue;
    } else if (a == "--config" || a == "--embedded-default" || a == "--plugin-info" || a == "--settings" ||
               a == "--state-dir") {
      if (!(v = value(a))) return kExitUsage;
    } else {
      std::cerr << "ephemerad: unknown argument '" << a << "'\n";
      usage(std::cerr);
      return kExitUsage;
    }
    if (a == "--config") o.config = *v;
    if (a == "--embedded-default") o.embedded_dir = *v;
    if (a == "--plugin-info") o.plugin = *v;
    if (a == "--settings") o.settings = *v;
    if (a == "--state-dir") o.state_dir = *v;
  }
  return std::nullopt;
}

Result<config::SiteConfig> load(const Options& o) {
  if (o.embedded_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*o.embedded_dir, ec);
    auto base = std::filesystem::absolute(*o.embedded_dir);
    return config::parse_site_config(config::embedded_default_config(base), "<embedded default>");
  }
  return config::load_site_config(o.config.value_or(config::default_config_path()));
}

}  // namespace

int ephemerad_main(int argc, char** argv) {
  Options o;
  if (auto rc = parse(std::vector<std::string_view>(argv + 1, argv + argc), o)) return *rc;
  if (!o.plugin.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.state_dir, ec);
    return print_plugin_info(o.plugin, o.settings, o.state_dir, std::cout, std::cerr);
  }
  auto site = load(o);
  if (!site) {
    std::cerr << "ephemerad: " << site.status().message() << "\n";
    return kExitConfig;
  }
  if (o.check_config) {
    if (Status s = daemon::check_providers(site.value()); !s.is_ok()) {
      std::cerr << "ephemerad: " << s.message() << "\n";
      return kExitConfig;
    }
    std::cout << "config " << site->source << ": ok (" << site->providers.size() << " provider(s))\n";
    return 0;
  }
  daemon::RunOptions run;
  if (!o.embedded_dir) run.config_path = o.config.value_or(config::default_config_path());
  return daemon::run_daemon(site.value(), run);
}

}  // namespace ephemera::app
