// ephemera/provider.hpp — header-only C++ wrapper over the C ABI in provider.h.
//
// A C++ plugin derives from ephemera::sdk::Provider, adds two static members
//
//   static Reply validate_config(std::string_view config_json);
//   static Reply open(Host host, std::string_view config_json,
//                     std::unique_ptr<MyProvider>& out);
//
// and exports the entry symbol with
//
//   EPHEMERA_PROVIDER_PLUGIN(MyProvider, "name", "1.0.0")
//
// in exactly one translation unit. Every exception thrown by the plugin is
// caught here, at the boundary, and answered EPH_INTERNAL with its message:
// nothing C++ ever crosses into the host (hourglass pattern).
#ifndef EPHEMERA_PROVIDER_HPP
#define EPHEMERA_PROVIDER_HPP

#include <ephemera/provider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace ephemera::sdk {

inline eph_str to_eph_str(std::string_view s) { return eph_str{s.data(), s.size()}; }
inline std::string_view from_eph_str(eph_str s) {
  return s.data == nullptr ? std::string_view{} : std::string_view{s.data, static_cast<size_t>(s.len)};
}

// What an operation answers: a status, its JSON payload, a message.
struct Reply {
  int32_t status = EPH_OK;
  std::string payload;  // JSON document (may be empty on error)
  std::string message;  // human-readable detail
  int64_t retry_after_ms = -1;

  static Reply ok(std::string payload_json = {}) { return Reply{EPH_OK, std::move(payload_json), {}, -1}; }
  static Reply error(int32_t status, std::string message, int64_t retry_after_ms = -1) {
    return Reply{status, {}, std::move(message), retry_after_ms};
  }
  bool is_ok() const { return status == EPH_OK; }
};

// The host's callbacks for one provider instance. Cheap to copy. Callbacks
// the host does not provide (an older host with a shorter table) are no-ops.
class Host {
 public:
  Host() = default;
  Host(const eph_host_api* api, eph_host* host) : api_(api), host_(host) {}

  void log(int32_t level, std::string_view message) const {
    if (has(offsetof(eph_host_api, callback_log)) && api_->callback_log)
      api_->callback_log(host_, level, to_eph_str(message));
  }
  void info(std::string_view m) const { log(EPH_LOG_INFO, m); }
  void warn(std::string_view m) const { log(EPH_LOG_WARN, m); }
  void error(std::string_view m) const { log(EPH_LOG_ERROR, m); }

  // Host wall clock, ms since the Unix epoch (fake in tests).
  int64_t now_ms() const {
    if (has(offsetof(eph_host_api, callback_now_ms)) && api_->callback_now_ms)
      return api_->callback_now_ms(host_);
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  void push_status(std::string_view worker_info_json) const {
    if (has(offsetof(eph_host_api, callback_push_status)) && api_->callback_push_status)
      api_->callback_push_status(host_, to_eph_str(worker_info_json));
  }
  void request_reconcile(std::string_view reason) const {
    if (has(offsetof(eph_host_api, callback_request_reconcile)) &&
        api_->callback_request_reconcile)
      api_->callback_request_reconcile(host_, to_eph_str(reason));
  }
  const eph_host_api* api() const { return api_; }

 private:
  bool has(size_t offset) const {
    return api_ != nullptr && api_->struct_size >= offset + sizeof(void*);
  }
  const eph_host_api* api_ = nullptr;
  eph_host* host_ = nullptr;
};

// One in-flight call: its relative deadline and whether the host gave up.
class Call {
 public:
  Call(const eph_host_api* api, eph_call* call, int64_t deadline_ms)
      : api_(api), call_(call), deadline_(deadline_ms) {}
  bool cancelled() const {
    return api_ != nullptr &&
           api_->struct_size >= offsetof(eph_host_api, callback_is_cancelled) + sizeof(void*) &&
           api_->callback_is_cancelled != nullptr && api_->callback_is_cancelled(call_) != 0;
  }
  std::chrono::milliseconds deadline() const { return deadline_; }

 private:
  const eph_host_api* api_;
  eph_call* call_;
  std::chrono::milliseconds deadline_;
};

// The interface a C++ provider implements. Calls may arrive concurrently
// unless capabilities() says "thread_safe": false.
class Provider {
 public:
  virtual ~Provider() = default;
  virtual Reply capabilities() = 0;
  virtual Reply create(const Call& call, std::string_view spec_json) = 0;
  virtual Reply get(const Call& call, std::string_view ref_json) = 0;
  virtual Reply list(const Call& call, std::string_view selector_json) = 0;
  virtual Reply stop(const Call& call, std::string_view ref_json, std::chrono::milliseconds grace) = 0;
  virtual Reply destroy(const Call& call, std::string_view ref_json, std::chrono::milliseconds grace,
                        bool force) = 0;
  virtual Reply harden(const Call& call, std::string_view spec_json) = 0;
  virtual Reply health(const Call& call) = 0;
  virtual Reply watch_start() { return Reply::error(EPH_UNSUPPORTED, "watch not supported"); }
  virtual Reply watch_stop() { return Reply::error(EPH_UNSUPPORTED, "watch not supported"); }
};

namespace detail {

// The C-side instance: the C++ object plus the host table it needs to answer.
struct Instance {
  const eph_host_api* host_api;
  std::unique_ptr<Provider> impl;
};

inline eph_provider* to_handle(Instance* i) { return reinterpret_cast<eph_provider*>(i); }
inline Instance* from_handle(eph_provider* p) { return reinterpret_cast<Instance*>(p); }

inline int32_t deliver(const eph_host_api* api, eph_call* call, const Reply& reply) {
  if (api != nullptr && api->callback_write_result != nullptr &&
      (!reply.payload.empty() || !reply.message.empty() || reply.retry_after_ms >= 0)) {
    eph_result r{};
    r.struct_size = sizeof r;
    r.retry_after_ms = reply.retry_after_ms;
    r.message = to_eph_str(reply.message);
    r.payload_json = to_eph_str(reply.payload);
    api->callback_write_result(call, &r);
  }
  return reply.status;
}

// Runs `fn` and turns any exception into EPH_INTERNAL: the boundary guard.
template <class Fn>
int32_t guarded(const eph_host_api* api, eph_call* call, Fn&& fn) noexcept {
  try {
    return deliver(api, call, fn());
  } catch (const std::exception& e) {
    try {
      return deliver(api, call, Reply::error(EPH_INTERNAL, std::string("plugin threw: ") + e.what()));
    } catch (...) {
      return EPH_INTERNAL;
    }
  } catch (...) {
    try {
      return deliver(api, call, Reply::error(EPH_INTERNAL, "plugin threw a non-standard exception"));
    } catch (...) {
      return EPH_INTERNAL;
    }
  }
}

template <class P>
struct Adapter {
  static int32_t validate_config(const eph_host_api* api, eph_call* call, eph_str config) {
    return guarded(api, call, [&] { return P::validate_config(from_eph_str(config)); });
  }
  static int32_t open(const eph_host_api* api, eph_host* host, eph_call* call, eph_str config,
                      eph_provider** out) {
    if (out == nullptr) return EPH_INVALID_ARGUMENT;
    *out = nullptr;
    return guarded(api, call, [&] {
      std::unique_ptr<P> impl;
      Reply r = P::open(Host(api, host), from_eph_str(config), impl);
      if (r.is_ok()) {
        if (!impl) return Reply::error(EPH_INTERNAL, "open succeeded but created no instance");
        *out = to_handle(new Instance{api, std::move(impl)});
      }
      return r;
    });
  }
  static void close(eph_provider* p) noexcept {
    try {
      delete from_handle(p);
    } catch (...) {
      // A destructor that throws cannot be reported: the instance is gone.
    }
  }
  template <class Fn>
  static int32_t run(eph_provider* p, eph_call* call, Fn&& fn) noexcept {
    if (p == nullptr) return EPH_INVALID_ARGUMENT;
    Instance* inst = from_handle(p);
    return guarded(inst->host_api, call, [&] { return fn(*inst->impl, inst->host_api); });
  }
  static int32_t capabilities(eph_provider* p, eph_call* c) {
    return run(p, c, [](Provider& impl, const eph_host_api*) { return impl.capabilities(); });
  }
  static int32_t create(eph_provider* p, eph_call* c, int64_t d, eph_str spec) {
    return run(p, c, [&](Provider& impl, const eph_host_api* a) {
      return impl.create(Call(a, c, d), from_eph_str(spec));
    });
  }
  static int32_t get(eph_provider* p, eph_call* c, int64_t d, eph_str ref) {
    return run(p, c, [&](Provider& impl, const eph_host_api* a) {
      return impl.get(Call(a, c, d), from_eph_str(ref));
    });
  }
  static int32_t list(eph_provider* p, eph_call* c, int64_t d, eph_str sel) {
    return run(p, c, [&](Provider& impl, const eph_host_api* a) {
      return impl.list(Call(a, c, d), from_eph_str(sel));
    });
  }
  static int32_t stop(eph_provider* p, eph_call* c, int64_t d, eph_str ref, int64_t grace_ms) {
    return run(p, c, [&](Provider& impl, const eph_host_api* a) {
      return impl.stop(Call(a, c, d), from_eph_str(ref), std::chrono::milliseconds(grace_ms));
    });
  }
  static int32_t destroy(eph_provider* p, eph_call* c, int64_t d, eph_str ref, int64_t grace_ms,
                         uint32_t flags) {
    return run(p, c, [&](Provider& impl, const eph_host_api* a) {
      return impl.destroy(Call(a, c, d), from_eph_str(ref), std::chrono::milliseconds(grace_ms),
                          (flags & EPH_DESTROY_FORCE) != 0);
    });
  }
  static int32_t harden(eph_provider* p, eph_call* c, int64_t d, eph_str spec) {
    return run(p, c, [&](Provider& impl, const eph_host_api* a) {
      return impl.harden(Call(a, c, d), from_eph_str(spec));
    });
  }
  static int32_t health(eph_provider* p, eph_call* c, int64_t d) {
    return run(p, c, [&](Provider& impl, const eph_host_api* a) { return impl.health(Call(a, c, d)); });
  }
  static int32_t watch_start(eph_provider* p, eph_call* c) {
    return run(p, c, [](Provider& impl, const eph_host_api*) { return impl.watch_start(); });
  }
  static int32_t watch_stop(eph_provider* p, eph_call* c) {
    return run(p, c, [](Provider& impl, const eph_host_api*) { return impl.watch_stop(); });
  }

  static const eph_provider_api* table() {
    static const eph_provider_api api = {
        sizeof(eph_provider_api), 0,      &validate_config, &open,   &close,
        &capabilities,            &create, &get,             &list,   &stop,
        &destroy,                 &harden, &health,          &watch_start, &watch_stop,
    };
    return &api;
  }
};

// Fills the negotiation for plugin class P. Refuses a host of another major.
template <class P>
int32_t negotiate(eph_plugin_negotiation* n, std::string_view name, std::string_view version) noexcept {
  if (n == nullptr || n->struct_size < offsetof(eph_plugin_negotiation, plugin_version) + sizeof(eph_str))
    return EPH_INVALID_ARGUMENT;
  n->plugin_abi_major = EPH_ABI_VERSION_MAJOR;
  n->plugin_abi_minor = EPH_ABI_VERSION_MINOR;
  n->plugin_name = to_eph_str(name);
  n->plugin_version = to_eph_str(version);
  if (n->host_abi_major != EPH_ABI_VERSION_MAJOR) return EPH_UNSUPPORTED;
  n->provider_api = Adapter<P>::table();
  return EPH_OK;
}

}  // namespace detail
}  // namespace ephemera::sdk

// Defines the plugin's one exported symbol. Use once per plugin.
#define EPHEMERA_PROVIDER_PLUGIN(ProviderClass, name_literal, version_literal)               \
  extern "C" EPH_PLUGIN_EXPORT int32_t ephemera_plugin_entry(eph_plugin_negotiation* n) {   \
    return ::ephemera::sdk::detail::negotiate<ProviderClass>(n, name_literal, version_literal); \
  }

#endif  // EPHEMERA_PROVIDER_HPP
