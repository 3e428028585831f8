#include "daemon/provider_setup.h"

#include <boost/json.hpp>

#include <system_error>

namespace ephemera::daemon {
namespace {

// "config FILE:LINE: provider NAME: MESSAGE", with the line of the key the
// plugin pointed at (or of its [providers.NAME.settings] table).
Status config_error(const config::SiteConfig& site, const config::ProviderSection& p, uint32_t line,
                    const std::string& message) {
  return Status(StatusCode::kInvalidArgument,
                "config " + site.source + ":" + std::to_string(line) + ": provider " + p.name + ": " + message);
}

uint32_t line_of(const config::ProviderSection& p, const std::string& pointer) {
  // The pointer itself, else the closest enclosing table that has a line.
  for (std::string at = pointer; !at.empty(); at = at.substr(0, at.rfind('/'))) {
    if (auto it = p.setting_lines.find(at); it != p.setting_lines.end()) return it->second;
  }
  return pointer.starts_with("/settings") ? p.settings_line : p.line;
}

Result<std::shared_ptr<plugin_host::PluginLibrary>> load_library(const config::SiteConfig& site,
                                                                 const config::ProviderSection& p) {
  auto lib = plugin_host::PluginLibrary::load(p.plugin_path);
  if (!lib) {
    return Status(lib.status().code(), "config " + site.source + ":" + std::to_string(p.plugin_line) +
                                           ": provider " + p.name + ": " + lib.status().message());
  }
  return lib;
}

Status validate(const config::SiteConfig& site, const config::ProviderSection& p,
                const plugin_host::PluginLibrary& lib, const std::string& config_json) {
  auto verdict = lib.validate_config(config_json, std::chrono::seconds(10));
  if (verdict.status.is_ok()) return Status::ok();
  std::string where = verdict.pointer.empty() ? "" : " (at " + verdict.pointer + ")";
  return config_error(site, p, line_of(p, verdict.pointer), verdict.status.message() + where);
}

}  // namespace

std::filesystem::path provider_state_dir(const config::SiteConfig& site, const std::string& provider) {
  return site.daemon.state_dir / "providers" / provider;
}

std::string provider_config_json(const config::SiteConfig& site, const config::ProviderSection& p,
                                 const std::string& instance_id) {
  boost::json::object doc{{"schema", 1},
                          {"provider", p.name},
                          {"site", site.daemon.site},
                          {"instance_id", instance_id},
                          {"state_dir", provider_state_dir(site, p.name).string()}};
  boost::system::error_code ec;
  boost::json::value settings = boost::json::parse(p.settings_json, ec);
  doc["settings"] = (!ec && settings.is_object()) ? settings : boost::json::object{};
  return boost::json::serialize(doc);
}

Status check_providers(const config::SiteConfig& site) {
  for (const auto& p : site.providers) {
    auto lib = load_library(site, p);
    if (!lib) return lib.status();
    if (Status s = validate(site, p, *lib.value(), provider_config_json(site, p, "check-config")); !s.is_ok()) {
      return s;
    }
  }
  return Status::ok();
}

Result<OpenedProvider> open_provider(const config::SiteConfig& site, const config::ProviderSection& p,
                                     const std::string& instance_id, plugin_host::HostHooks hooks) {
  auto lib = load_library(site, p);
  if (!lib) return lib.status();
  const std::string config_json = provider_config_json(site, p, instance_id);
  if (Status s = validate(site, p, *lib.value(), config_json); !s.is_ok()) return s;
  std::error_code ec;
  std::filesystem::create_directories(provider_state_dir(site, p.name), ec);
  plugin_host::InstanceOptions options;
  options.name = p.name;
  options.config_json = config_json;
  options.hooks = std::move(hooks);
  if (p.max_concurrency) options.max_concurrency_cap = *p.max_concurrency;
  OpenedProvider out;
  out.library = lib.value();
  out.instance = plugin_host::ProviderInstance::open(out.library, std::move(options));
  return out;
}

}  // namespace ephemera::daemon
