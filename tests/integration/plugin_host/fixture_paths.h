// Where the build put the plugin files the integration tests load.
#pragma once

#include <filesystem>
#include <string>

namespace ephemera::test {

inline std::filesystem::path fixture_plugin(const std::string& name) {
  return std::filesystem::path(EPHEMERA_TEST_PLUGIN_DIR) / "fixtures" / ("ephemera-fixture-" + name + ".so");
}

inline std::filesystem::path built_plugin(const std::string& name) {
  return std::filesystem::path(EPHEMERA_TEST_PLUGIN_DIR) / ("ephemera-" + name + ".so");
}

inline std::string minimal_config(const std::string& settings = "{}") {
  return R"({"schema":1,"provider":"test","site":"t","instance_id":"i","state_dir":"/tmp","settings":)" +
         settings + "}";
}

}  // namespace ephemera::test
