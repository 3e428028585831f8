#include "app/plugin_info.h"

#include <boost/json.hpp>

#include "plugin_host/provider_instance.h"

namespace ephemera::app {

using namespace plugin_host;

int print_plugin_info(const std::filesystem::path& plugin, const std::string& settings_json,
                      const std::filesystem::path& state_dir, std::ostream& out, std::ostream& err) {
  auto library = PluginLibrary::load(plugin);
  if (!library) {
    err << library.status().message() << "\n";
    return 1;
  }
  boost::system::error_code ec;
  boost::json::value settings = boost::json::parse(settings_json.empty() ? "{}" : settings_json, ec);
  if (ec || !settings.is_object()) {
    err << "--settings must be a JSON object\n";
    return 1;
  }
  boost::json::object config{{"schema", EPH_SCHEMA_VERSION},
                             {"provider", library.value()->plugin_name()},
                             {"site", "local"},
                             {"instance_id", "plugin-info"},
                             {"state_dir", state_dir.string()},
                             {"settings", settings}};
  InstanceOptions options;
  options.name = library.value()->plugin_name();
  options.config_json = boost::json::serialize(config);
  auto instance = ProviderInstance::open(library.value(), std::move(options));
  if (!instance) {
    err << instance.status().message() << "\n";
    return 1;
  }
  out << "plugin:       " << library.value()->describe() << "\n";
  out << "capabilities: " << instance.value()->capabilities().json << "\n";
  CallOutcome health = instance.value()->call_sync(ProviderOp::kHealth, {}, std::chrono::seconds(5));
  out << "health:       " << health.status.to_string()
      << (health.payload.empty() ? "" : " " + health.payload) << "\n";
  return 0;
}

}  // namespace ephemera::app
