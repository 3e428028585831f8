// Every way loading a plugin can fail has its own message naming the file
// (and both ABI versions where they matter). One fixture per failure mode.
#include <catch2/catch.hpp>

#include "fixture_paths.h"
#include "plugin_host/plugin_library.h"
#include "plugin_host/provider_instance.h"

using namespace ephemera;
using namespace ephemera::plugin_host;
using ephemera::test::fixture_plugin;
using ephemera::test::minimal_config;

namespace {

Status load_error(const std::filesystem::path& path) {
  auto lib = PluginLibrary::load(path);
  REQUIRE_FALSE(lib);
  CHECK_THAT(lib.status().message(), Catch::Contains(path.string()));
  return lib.status();
}

Status open_error(const std::string& fixture) {
  auto lib = PluginLibrary::load(fixture_plugin(fixture));
  REQUIRE(lib);
  InstanceOptions options;
  options.name = "test";
  options.config_json = minimal_config();
  auto instance = ProviderInstance::open(lib.value(), options);
  REQUIRE_FALSE(instance);
  return instance.status();
}

}  // namespace

TEST_CASE("a missing file is reported as such") {
  Status s = load_error(fixture_plugin("no_such_plugin"));
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK_THAT(s.message(), Catch::Contains("file not found"));
}

TEST_CASE("a file that is not a shared object is reported with the loader's reason") {
  Status s = load_error(fixture_plugin("not_elf"));
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(s.message(), Catch::Contains("not a loadable shared object"));
}

TEST_CASE("a shared object without the entry symbol is named as not a plugin") {
  Status s = load_error(fixture_plugin("missing_entry"));
  CHECK_THAT(s.message(), Catch::Contains("entry symbol 'ephemera_plugin_entry' not found"));
}

TEST_CASE("an ABI major mismatch names both versions") {
  Status s = load_error(fixture_plugin("abi_major_mismatch"));
  CHECK(s.code() == StatusCode::kUnsupported);
  CHECK_THAT(s.message(), Catch::Contains("ABI major version mismatch"));
  CHECK_THAT(s.message(), Catch::Contains("plugin built for ABI 1.0"));
  CHECK_THAT(s.message(), Catch::Contains("this host speaks ABI " + kHostAbi.to_string()));
}

TEST_CASE("a plugin needing a newer minor is told to upgrade the host") {
  Status s = load_error(fixture_plugin("abi_minor_too_new"));
  CHECK_THAT(s.message(), Catch::Contains("needs a newer ABI minor"));
  CHECK_THAT(s.message(), Catch::Contains("ABI 0.99"));
  CHECK_THAT(s.message(), Catch::Contains("upgrade ephemerad"));
}

TEST_CASE("an entry point that refuses the host is reported with its status") {
  Status s = load_error(fixture_plugin("entry_refuses"));
  CHECK_THAT(s.message(), Catch::Contains("entry point refused the host (UNSUPPORTED"));
}

TEST_CASE("a function table too small to use is refused") {
  Status s = load_error(fixture_plugin("table_too_small"));
  CHECK_THAT(s.message(), Catch::Contains("function table is 8 bytes"));
}

TEST_CASE("validate_config failure names the key as a JSON pointer") {
  auto lib = PluginLibrary::load(fixture_plugin("validate_fails"));
  REQUIRE(lib);
  ConfigVerdict verdict = lib.value()->validate_config(minimal_config(), std::chrono::seconds(5));
  CHECK(verdict.status.code() == StatusCode::kInvalidArgument);
  CHECK(verdict.pointer == "/settings/colour");
  Status s = open_error("validate_fails");
  CHECK_THAT(s.message(), Catch::Contains("validate_config failed at /settings/colour"));
  CHECK_THAT(s.message(), Catch::Contains("unknown key 'colour'"));
}

TEST_CASE("open failure carries the plugin's status and message") {
  Status s = open_error("open_fails");
  CHECK(s.code() == StatusCode::kPermissionDenied);
  CHECK_THAT(s.message(), Catch::Contains("open failed: cannot read /nonexistent/token"));
  CHECK_THAT(s.message(), Catch::Contains("ephemera-fixture-open_fails.so"));
}
