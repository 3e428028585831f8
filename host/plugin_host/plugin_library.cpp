#include "plugin_host/plugin_library.h"

#include <boost/dll/shared_library.hpp>
#include <boost/json.hpp>

#include <dlfcn.h>

#include <cstring>

#include "plugin_host/call_executor.h"
#include "plugin_host/call_outcome.h"
#include "plugin_host/host_api.h"

namespace ephemera::plugin_host {

struct PluginLibrary::Impl {
  boost::dll::shared_library lib;
};

namespace {

std::string quote(const std::filesystem::path& p) { return "plugin " + p.string(); }

Status fail(StatusCode code, const std::filesystem::path& p, const std::string& why) {
  return Status(code, quote(p) + ": " + why);
}

// The table entries a host cannot do without.
constexpr size_t kRequiredTableBytes = offsetof(eph_provider_api, on_close) + sizeof(void*);

std::string str(eph_str s) { return s.data == nullptr ? std::string() : std::string(s.data, s.len); }

}  // namespace

PluginLibrary::PluginLibrary(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PluginLibrary::~PluginLibrary() = default;

Result<std::shared_ptr<PluginLibrary>> PluginLibrary::load(const std::filesystem::path& path) {
  std::error_code fs_ec;
  if (!std::filesystem::exists(path, fs_ec)) {
    return fail(StatusCode::kNotFound, path, "file not found");
  }
  auto impl = std::make_unique<Impl>();
  boost::dll::fs::error_code ec;
  impl->lib.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !impl->lib.is_loaded()) {
    const char* why = dlerror();
    return fail(StatusCode::kInvalidArgument, path,
                std::string("not a loadable shared object: ") + (why ? why : ec.message()));
  }
  if (!impl->lib.has(EPH_PLUGIN_ENTRY_SYMBOL)) {
    return fail(StatusCode::kInvalidArgument, path,
                std::string("entry symbol '") + EPH_PLUGIN_ENTRY_SYMBOL +
                    "' not found (is it an Ephemera provider plugin built with "
                    "ephemera_add_plugin?)");
  }
  auto entry = impl->lib.get<int32_t(eph_plugin_negotiation*)>(EPH_PLUGIN_ENTRY_SYMBOL);

  eph_plugin_negotiation n{};
  n.struct_size = sizeof n;
  n.host_abi_major = kHostAbi.major;
  n.host_abi_minor = kHostAbi.minor;
  int32_t rc = entry(&n);
  AbiVersion plugin_abi{n.plugin_abi_major, n.plugin_abi_minor};
  std::string versions = "plugin built for ABI " + plugin_abi.to_string() +
                         ", this host speaks ABI " + kHostAbi.to_string();
  if (plugin_abi.major != kHostAbi.major) {
    return fail(StatusCode::kUnsupported, path, "ABI major version mismatch: " + versions);
  }
  if (plugin_abi.minor > kHostAbi.minor) {
    return fail(StatusCode::kUnsupported, path,
                "plugin needs a newer ABI minor: " + versions + " (upgrade ephemerad)");
  }
  if (rc != EPH_OK) {
    return fail(StatusCode::kUnsupported, path,
                "entry point refused the host (" +
                    std::string(status_code_name(status_code_from_abi(rc))) + "; " + versions + ")");
  }
  const eph_provider_api* table = n.provider_api;
  if (table == nullptr) return fail(StatusCode::kInvalidArgument, path, "entry point returned no function table");
  if (table->struct_size < kRequiredTableBytes) {
    return fail(StatusCode::kInvalidArgument, path,
                "function table is " + std::to_string(table->struct_size) +
                    " bytes, at least " + std::to_string(kRequiredTableBytes) + " are required");
  }

  std::shared_ptr<PluginLibrary> lib(new PluginLibrary(std::move(impl)));
  // Read only what both sides know; a longer table from a newer plugin is fine.
  std::memcpy(&lib->api_, table, std::min<size_t>(table->struct_size, sizeof lib->api_));
  lib->api_.struct_size = sizeof lib->api_;
  if (lib->api_.on_open == nullptr || lib->api_.on_close == nullptr) {
    return fail(StatusCode::kInvalidArgument, path, "function table lacks on_open or on_close");
  }
  lib->path_ = path;
  lib->name_ = str(n.plugin_name);
  lib->version_ = str(n.plugin_version);
  lib->abi_ = plugin_abi;
  if (lib->name_.empty()) lib->name_ = path.stem().string();
  return lib;
}

ConfigVerdict PluginLibrary::validate_config(const std::string& config_json,
                                             std::chrono::milliseconds deadline) const {
  if (api_.on_validate_config == nullptr) return {};  // nothing to check
  CallExecutor executor(name_ + " (validate)", ExecutorLimits{});
  executor.set_drain_timeout(std::chrono::milliseconds(0));
  auto self = shared_from_this();
  CallOutcome outcome = executor.run("validate_config", deadline, [self, config_json](eph_call& call) {
    int32_t rc = self->api_.on_validate_config(
        host_api(), &call, eph_str{config_json.data(), config_json.size()});
    return collect_outcome(call, rc);
  });
  ConfigVerdict verdict{outcome.status, {}};
  if (!outcome.status.is_ok() && !outcome.payload.empty()) {
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(outcome.payload, ec);
    if (!ec && doc.is_object()) {
      if (const auto* p = doc.as_object().if_contains("pointer"); p && p->is_string()) {
        verdict.pointer = std::string(p->as_string());
      }
    }
  }
  return verdict;
}

std::string PluginLibrary::describe() const {
  return name_ + " " + version_ + " (ABI " + abi_.to_string() + ") from " + path_.string();
}

}  // namespace ephemera::plugin_host
