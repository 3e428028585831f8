#include "engine_harness.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <thread>

#include "../plugin_host/fixture_paths.h"
#include "plugin_host/provider_instance.h"

namespace ephemera::test {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::filesystem::path fresh_dir() {
  std::random_device rd;
  auto d = std::filesystem::temp_directory_path() / ("ephemera-engine-" + std::to_string(rd()));
  std::filesystem::create_directories(d);
  return d;
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  auto tmp = p.parent_path() / ("." + p.filename().string() + ".tmp");
  {
    std::ofstream out(tmp);
    out << text;
  }
  std::filesystem::rename(tmp, p);
}

}  // namespace

boost::json::object owned_labels(const std::string& instance, const std::string& worker_id) {
  return json::object{{"ephemera.dev/managed-by", "ephemera"}, {"ephemera.dev/site", "test"},
                      {"ephemera.dev/instance", instance},    {"ephemera.dev/provider", "sim"},
                      {"ephemera.dev/worker-id", worker_id}};
}

EngineHarness::EngineHarness(HarnessOptions opts) : dir(fresh_dir()), options(std::move(opts)) {
  mock_dir = dir / "mock";
  std::filesystem::create_directories(mock_dir);
  if (options.engine.owner.site.empty()) options.engine.owner = {"test", "inst-a"};
  auto lib = plugin_host::PluginLibrary::load(built_plugin("mock"));
  REQUIRE(lib);
  library_ = lib.value();
  open();
}

EngineHarness::~EngineHarness() {
  close();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

void EngineHarness::open() {
  io.restart();
  auto s = store::EventStore::open(store::StoreOptions{dir / "store.db"});
  REQUIRE(s);
  store = std::move(s.value());
  engine = std::make_unique<engine::Engine>(io, *store, clock, options.engine);

  json::object settings = json::parse(options.mock_settings).as_object();
  settings["state_dir"] = mock_dir.string();
  if (!settings.contains("watch_interval_ms")) settings["watch_interval_ms"] = 10;
  json::object config{{"schema", 1},     {"provider", options.provider.name},
                      {"site", "test"},  {"instance_id", options.engine.owner.instance_id},
                      {"state_dir", mock_dir.string()}, {"settings", settings}};
  plugin_host::InstanceOptions io_opts;
  io_opts.name = options.provider.name;
  io_opts.config_json = json::serialize(config);
  io_opts.clock = &clock;
  io_opts.hooks = engine->hooks_for(options.provider.name);
  io_opts.hooks.log = [](int32_t, std::string_view) {};
  auto instance = plugin_host::ProviderInstance::open(library_, io_opts);
  REQUIRE(instance);
  engine->add_provider(options.provider, std::move(instance.value()));
  REQUIRE(engine->start().is_ok());
  REQUIRE(settle());
}

void EngineHarness::close() {
  if (engine) {
    settle();
    engine->stop();
    engine.reset();  // closes the plugin instance
  }
  io.poll();
  store.reset();
}

bool EngineHarness::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    io.restart();
    io.run_for(2ms);
  }
  return true;
}

bool EngineHarness::settle() {
  // Quiet twice in a row: a completion may queue more work.
  int quiet = 0;
  return run_until([&] {
    quiet = engine->busy() == 0 ? quiet + 1 : 0;
    return quiet >= 3;
  });
}

void EngineHarness::advance(std::chrono::milliseconds by) {
  clock.advance(by);
  engine->run_due();
  settle();
}

Result<domain::WorkerRecord> EngineHarness::create(const std::string& spec_json, domain::PolicyOverrides policy) {
  std::optional<Result<domain::WorkerRecord>> out;
  engine->create(engine::CreateRequest{options.provider.name, spec_json, policy}, [&](auto r) { out = std::move(r); });
  REQUIRE(run_until([&] { return out.has_value(); }));
  settle();
  return std::move(*out);
}

Result<domain::WorkerRecord> EngineHarness::report(const std::string& id, domain::InputKind kind) {
  std::optional<Result<domain::WorkerRecord>> out;
  engine->report(id, kind, [&](auto r) { out = std::move(r); });
  REQUIRE(run_until([&] { return out.has_value(); }));
  settle();
  return std::move(*out);
}

Result<domain::WorkerRecord> EngineHarness::remove(const std::string& id, std::chrono::milliseconds grace, bool force) {
  std::optional<Result<domain::WorkerRecord>> out;
  engine->remove(id, grace, force, [&](auto r) { out = std::move(r); });
  REQUIRE(run_until([&] { return out.has_value(); }));
  settle();
  return std::move(*out);
}

Result<std::vector<engine::OrphanReport>> EngineHarness::scan_orphans(bool dry_run) {
  std::optional<Result<std::vector<engine::OrphanReport>>> out;
  engine->scan_orphans(options.provider.name, dry_run, [&](auto r) { out = std::move(r); });
  REQUIRE(run_until([&] { return out.has_value(); }));
  settle();
  return std::move(*out);
}

domain::WorkerRecord EngineHarness::record(const std::string& id) {
  const domain::WorkerRecord* r = engine->find(id);
  REQUIRE(r != nullptr);
  return *r;
}

std::vector<domain::EventType> EngineHarness::event_types(const std::string& worker_id) {
  auto page = store->read_events(0, 10000, worker_id);
  REQUIRE(page);
  std::vector<domain::EventType> types;
  for (const auto& e : page->events) types.push_back(e.type);
  return types;
}

std::vector<json::object> EngineHarness::resources() {
  std::vector<json::object> out;
  auto rdir = mock_dir / "resources";
  if (!std::filesystem::exists(rdir)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(rdir)) {
    auto name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (!ec && v.is_object()) out.push_back(v.as_object());
  }
  return out;
}

void EngineHarness::plant(const std::string& resource_id, json::object resource) {
  resource["schema"] = 1;
  if (!resource.contains("created_at_ms")) resource["created_at_ms"] = clock.wall_now_ms();
  std::filesystem::create_directories(mock_dir / "resources");
  write_file(mock_dir / "resources" / (resource_id + ".json"), json::serialize(resource));
}

void EngineHarness::set_faults(const std::string& faults_json) { write_file(mock_dir / "faults.json", faults_json); }

void EngineHarness::set_down(bool down) {
  if (down) {
    std::ofstream(mock_dir / "DOWN") << "down\n";
  } else {
    std::filesystem::remove(mock_dir / "DOWN");
  }
}

}  // namespace ephemera::test
