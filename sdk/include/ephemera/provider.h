/*
 * ephemera/provider.h — the stable C ABI between the Ephemera host (ephemerad)
 * and a provider plugin (a shared object that creates and removes workers on
 * some backend: Docker, Kubernetes, a simulator, ...).
 *
 * This header is the single source of truth of the ABI. The C++ wrapper
 * (ephemera/provider.hpp) is a convenience layered on top of it; nothing here
 * depends on C++.
 *
 * Naming says who implements what:
 *   eph_provider_api.on_*       — implemented by the PLUGIN, called by the host.
 *   eph_host_api.callback_*     — implemented by the HOST, called by the plugin.
 *
 * Rules that keep old plugins loading in new hosts:
 *   - Every struct that crosses starts with `struct_size` (bytes). The receiver
 *     reads min(struct_size, what it knows) and treats the rest as zero.
 *   - Structs and function tables only grow at the end. A NULL function
 *     pointer means "not implemented" (answered EPH_UNSUPPORTED by the host).
 *   - Only fixed-width integers, function pointers and pointer+length UTF-8
 *     strings (eph_str) cross. Constants are int32_t macros, never C enums.
 *   - Payloads that evolve (config, worker spec, worker info, list selector,
 *     capabilities, health) are JSON documents carrying "schema": 1.
 *   - Nobody frees the other side's memory: inputs are BORROWED for the
 *     duration of the call; results are copied out by the host through
 *     callback_write_result before the call returns.
 *   - No exception, longjmp or panic may cross this boundary.
 *
 * Requires C99 or later, or any C++ standard.
 * See sdk/README.md for the call contract, threading and the JSON schemas.
 */
#ifndef EPHEMERA_PROVIDER_H
#define EPHEMERA_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions                                                                  */
/* ------------------------------------------------------------------------ */

/* The ABI this header describes. 0.x while the first providers shape it: a
 * minor bump only appends; a plugin built against 0.N loads in a host that
 * speaks 0.M for every M >= N, and never in a host of another major. */
#define EPH_ABI_VERSION_MAJOR 0
#define EPH_ABI_VERSION_MINOR 1

/* Version of the JSON payload schemas ("schema" member of every document). */
#define EPH_SCHEMA_VERSION 1

/* The one symbol a plugin exports (see eph_plugin_entry_fn below). */
#define EPH_PLUGIN_ENTRY_SYMBOL "ephemera_plugin_entry"

#if defined(_WIN32)
#define EPH_PLUGIN_EXPORT __declspec(dllexport)
#else
#define EPH_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------ */
/* Status codes (int32_t). Plugin-specific codes live at >= 1000; the host   */
/* maps any code it does not know to EPH_INTERNAL.                            */
/* ------------------------------------------------------------------------ */

#define EPH_OK 0
/* The resource does not exist. Only say this when the backend said so: a
 * timeout or an unreachable backend is EPH_UNAVAILABLE / DEADLINE_EXCEEDED,
 * never NOT_FOUND (the host would forget a live worker). */
#define EPH_NOT_FOUND 1
#define EPH_ALREADY_EXISTS 2
/* Bad config, malformed JSON, unknown schema version, refused spec. */
#define EPH_INVALID_ARGUMENT 3
/* Backend unreachable or answered 5xx: transient, retried with backoff. */
#define EPH_UNAVAILABLE 4
/* The call ran out of its deadline: the outcome is UNKNOWN. */
#define EPH_DEADLINE_EXCEEDED 5
#define EPH_PERMISSION_DENIED 6
/* Quota or rate limit (HTTP 429). Set retry_after_ms when known. */
#define EPH_RESOURCE_EXHAUSTED 7
/* Precondition failed or conflict (e.g. uid precondition, 409). */
#define EPH_ABORTED 8
#define EPH_UNSUPPORTED 9
#define EPH_INTERNAL 10
#define EPH_PLUGIN_STATUS_BASE 1000

/* Log levels for callback_log. */
#define EPH_LOG_TRACE 0
#define EPH_LOG_DEBUG 1
#define EPH_LOG_INFO 2
#define EPH_LOG_WARN 3
#define EPH_LOG_ERROR 4

/* Flags for on_destroy. */
#define EPH_DESTROY_FORCE 0x1u

/* ------------------------------------------------------------------------ */
/* Basic types                                                                */
/* ------------------------------------------------------------------------ */

/* A UTF-8 string: pointer + length, not NUL-terminated in general.
 * OWNERSHIP: always borrowed; valid only for the duration of the call that
 * received it. `data` may be NULL when `len` is 0. */
typedef struct eph_str {
  const char* data;
  uint64_t len;
} eph_str;

/* Makes an eph_str from a NUL-terminated string (NULL gives the empty string). */
static inline eph_str eph_str_from_cstr(const char* s) {
  eph_str out;
  out.data = s;
  out.len = 0;
  if (s != NULL) {
    while (s[out.len] != '\0') ++out.len;
  }
  return out;
}

/* Opaque handles.
 * eph_host:     the host's context for one provider instance; valid from
 *               on_open until on_close returns. OWNERSHIP: host.
 * eph_call:     one in-flight call; valid until the on_* function returns.
 *               OWNERSHIP: host.
 * eph_provider: the plugin's instance, created by on_open, destroyed by
 *               on_close. OWNERSHIP: plugin. A plugin supports any number of
 *               instances at once and keeps no global mutable state. */
typedef struct eph_host eph_host;
typedef struct eph_call eph_call;
typedef struct eph_provider eph_provider;

/* What a call produced besides its status code. */
typedef struct eph_result {
  uint32_t struct_size;     /* sizeof(eph_result) */
  uint32_t reserved0;       /* zero */
  int64_t retry_after_ms;   /* < 0: no advice; >= 0: retry no sooner */
  eph_str message;          /* human-readable detail, esp. for errors */
  eph_str payload_json;     /* the call's JSON document, may be empty */
} eph_result;

/* ------------------------------------------------------------------------ */
/* Host callbacks (implemented by the host)                                   */
/* ------------------------------------------------------------------------ */

typedef struct eph_host_api {
  uint32_t struct_size; /* sizeof(eph_host_api) as the host knows it */
  uint32_t reserved0;

  /* Copies the call's result into the host. Call it before the on_* function
   * returns; normally once — if called again, the last result wins.
   * OWNERSHIP: `result` and everything it points to are borrowed. */
  void (*callback_write_result)(eph_call* call, const eph_result* result);

  /* Logs a line under the provider's name. Plugins never write to stdout or
   * stderr. Never log secret values (environment values, tokens). Any thread. */
  void (*callback_log)(eph_host* host, int32_t level, eph_str message);

  /* The host's wall clock, UTC, milliseconds since the Unix epoch. Use it for
   * every time the plugin reasons about (a fake clock in tests drives it).
   * Any thread. */
  int64_t (*callback_now_ms)(eph_host* host);

  /* Non-zero once the host gave up on the call (deadline passed or the host
   * is shutting down). Long operations poll it and return early. */
  int32_t (*callback_is_cancelled)(eph_call* call);

  /* Pushes an observed status change: a worker-info document (see README).
   * Only between on_watch_start and the return of on_watch_stop, from any
   * plugin thread. Never blocks for long: the host queues it. */
  void (*callback_push_status)(eph_host* host, eph_str worker_info_json);

  /* Asks the host to list and reconcile soon (e.g. after the plugin's watch
   * reconnected and may have missed events). Any thread, never blocks. */
  void (*callback_request_reconcile)(eph_host* host, eph_str reason);
} eph_host_api;

/* ------------------------------------------------------------------------ */
/* Provider operations (implemented by the plugin)                            */
/* ------------------------------------------------------------------------ */
/*
 * Every on_* returns an EPH_* status and may write a result (message,
 * payload) through callback_write_result. `deadline_ms` is RELATIVE: the
 * call should return within that many milliseconds of its start; the host
 * abandons it afterwards and answers EPH_DEADLINE_EXCEEDED itself.
 * Calls run on host pool threads, never on the host's event loop. When
 * capabilities say "thread_safe": false, the host serializes all calls of an
 * instance except on_watch_start / on_watch_stop.
 */
typedef struct eph_provider_api {
  uint32_t struct_size; /* sizeof(eph_provider_api) as the plugin knows it */
  uint32_t reserved0;

  /* Checks a provider config document without any I/O. On error returns
   * EPH_INVALID_ARGUMENT with payload {"schema":1,"pointer":"/settings/key"}
   * (a JSON pointer into the config) and a message. */
  int32_t (*on_validate_config)(const eph_host_api* host_api, eph_call* call,
                                eph_str config_json);

  /* Creates an instance. Must succeed while the backend is unreachable (the
   * provider is then reported degraded, not failed). `host_api` and `host`
   * stay valid until on_close returns; keep them in the instance. */
  int32_t (*on_open)(const eph_host_api* host_api, eph_host* host, eph_call* call,
                     eph_str config_json, eph_provider** out_provider);

  /* Destroys an instance: stops and joins every thread the plugin started
   * (watch included). No call is in flight when the host calls it. */
  void (*on_close)(eph_provider* provider);

  /* Payload: capabilities document. No I/O. */
  int32_t (*on_capabilities)(eph_provider* provider, eph_call* call);

  /* Creates and starts a worker from a spec document. Payload: worker info.
   * Must be idempotent per spec "name": a retry after an unknown outcome
   * either adopts the existing resource carrying the same worker-id label or
   * returns EPH_ALREADY_EXISTS when the name belongs to something else. */
  int32_t (*on_create)(eph_provider* provider, eph_call* call, int64_t deadline_ms,
                       eph_str spec_json);

  /* Looks up one resource by reference document. Payload: worker info.
   * No side effects. */
  int32_t (*on_get)(eph_provider* provider, eph_call* call, int64_t deadline_ms,
                    eph_str ref_json);

  /* Lists resources whose labels include every selector label. Payload:
   * {"schema":1,"items":[worker info...],"continue":"token or empty"}. */
  int32_t (*on_list)(eph_provider* provider, eph_call* call, int64_t deadline_ms,
                     eph_str selector_json);

  /* Ends the workload, keeping the resource (exit code, logs) where the
   * backend can. Idempotent; EPH_NOT_FOUND when it does not exist. */
  int32_t (*on_stop)(eph_provider* provider, eph_call* call, int64_t deadline_ms,
                     eph_str ref_json, int64_t grace_ms);

  /* Removes the resource. Idempotent: NOT_FOUND means "already gone" and the
   * host takes it as success. Never force unless EPH_DESTROY_FORCE is set. */
  int32_t (*on_destroy)(eph_provider* provider, eph_call* call, int64_t deadline_ms,
                        eph_str ref_json, int64_t grace_ms, uint32_t flags);

  /* Returns (payload) the spec the plugin would really submit: defaults and
   * hardening applied. Idempotent: harden(harden(s)) == harden(s). Refuses
   * what policy forbids (e.g. privileged) with EPH_INVALID_ARGUMENT. */
  int32_t (*on_harden)(eph_provider* provider, eph_call* call, int64_t deadline_ms,
                       eph_str spec_json);

  /* Probes the backend. EPH_OK when reachable; EPH_UNAVAILABLE otherwise.
   * Payload: {"schema":1,"healthy":bool,"detail":"..."}. */
  int32_t (*on_health)(eph_provider* provider, eph_call* call, int64_t deadline_ms);

  /* Starts pushing status changes through callback_push_status, on threads
   * the plugin owns. Returns promptly. */
  int32_t (*on_watch_start)(eph_provider* provider, eph_call* call);

  /* Stops the watch and joins its threads; no push happens after it returns. */
  int32_t (*on_watch_stop)(eph_provider* provider, eph_call* call);
} eph_provider_api;

/* ------------------------------------------------------------------------ */
/* Entry point and negotiation                                                */
/* ------------------------------------------------------------------------ */

typedef struct eph_plugin_negotiation {
  uint32_t struct_size;      /* IN: sizeof as the host knows it */
  uint32_t host_abi_major;   /* IN */
  uint32_t host_abi_minor;   /* IN: the newest minor the host speaks */
  uint32_t plugin_abi_major; /* OUT: EPH_ABI_VERSION_MAJOR of the plugin */
  uint32_t plugin_abi_minor; /* OUT: the minor the plugin needs */
  uint32_t reserved0;
  /* OUT: the plugin's function table. OWNERSHIP: plugin, static, valid for
   * as long as the library is loaded. */
  const eph_provider_api* provider_api;
  /* OUT: static strings owned by the plugin (e.g. "mock", "1.2.0"). */
  eph_str plugin_name;
  eph_str plugin_version;
} eph_plugin_negotiation;

/* The plugin fills the OUT fields and returns EPH_OK, or returns
 * EPH_UNSUPPORTED when it cannot work with the host's version. The host
 * refuses the plugin when the majors differ or the plugin needs a newer
 * minor than the host speaks. Must not do I/O or start threads. */
typedef int32_t (*eph_plugin_entry_fn)(eph_plugin_negotiation* negotiation);

/* The declaration every plugin defines (exactly once). */
EPH_PLUGIN_EXPORT int32_t ephemera_plugin_entry(eph_plugin_negotiation* negotiation);

/* True when a struct received from the other side is long enough to hold
 * `field` — e.g. EPH_HAS_FIELD(host_api, eph_host_api, callback_now_ms)
 * before calling a callback an older host might not provide. */
#define EPH_HAS_FIELD(ptr, type, field) \
  ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ------------------------------------------------------------------------ */
/* Layout pins: these sizes and offsets are the ABI (LP64 targets).           */
/* ------------------------------------------------------------------------ */

#define EPH_ABI_ASSERT(name, cond) typedef char eph_abi_assert_##name[(cond) ? 1 : -1]

#if UINTPTR_MAX == 0xffffffffffffffffu
EPH_ABI_ASSERT(str_size, sizeof(eph_str) == 16);
EPH_ABI_ASSERT(str_len, offsetof(eph_str, len) == 8);

EPH_ABI_ASSERT(result_size, sizeof(eph_result) == 48);
EPH_ABI_ASSERT(result_retry, offsetof(eph_result, retry_after_ms) == 8);
EPH_ABI_ASSERT(result_message, offsetof(eph_result, message) == 16);
EPH_ABI_ASSERT(result_payload, offsetof(eph_result, payload_json) == 32);

EPH_ABI_ASSERT(host_api_size, sizeof(eph_host_api) == 56);
EPH_ABI_ASSERT(host_api_write, offsetof(eph_host_api, callback_write_result) == 8);
EPH_ABI_ASSERT(host_api_log, offsetof(eph_host_api, callback_log) == 16);
EPH_ABI_ASSERT(host_api_now, offsetof(eph_host_api, callback_now_ms) == 24);
EPH_ABI_ASSERT(host_api_cancel, offsetof(eph_host_api, callback_is_cancelled) == 32);
EPH_ABI_ASSERT(host_api_push, offsetof(eph_host_api, callback_push_status) == 40);
EPH_ABI_ASSERT(host_api_reconcile, offsetof(eph_host_api, callback_request_reconcile) == 48);

EPH_ABI_ASSERT(provider_api_size, sizeof(eph_provider_api) == 112);
EPH_ABI_ASSERT(provider_api_validate, offsetof(eph_provider_api, on_validate_config) == 8);
EPH_ABI_ASSERT(provider_api_open, offsetof(eph_provider_api, on_open) == 16);
EPH_ABI_ASSERT(provider_api_close, offsetof(eph_provider_api, on_close) == 24);
EPH_ABI_ASSERT(provider_api_caps, offsetof(eph_provider_api, on_capabilities) == 32);
EPH_ABI_ASSERT(provider_api_create, offsetof(eph_provider_api, on_create) == 40);
EPH_ABI_ASSERT(provider_api_get, offsetof(eph_provider_api, on_get) == 48);
EPH_ABI_ASSERT(provider_api_list, offsetof(eph_provider_api, on_list) == 56);
EPH_ABI_ASSERT(provider_api_stop, offsetof(eph_provider_api, on_stop) == 64);
EPH_ABI_ASSERT(provider_api_destroy, offsetof(eph_provider_api, on_destroy) == 72);
EPH_ABI_ASSERT(provider_api_harden, offsetof(eph_provider_api, on_harden) == 80);
EPH_ABI_ASSERT(provider_api_health, offsetof(eph_provider_api, on_health) == 88);
EPH_ABI_ASSERT(provider_api_watch_start, offsetof(eph_provider_api, on_watch_start) == 96);
EPH_ABI_ASSERT(provider_api_watch_stop, offsetof(eph_provider_api, on_watch_stop) == 104);

EPH_ABI_ASSERT(negotiation_size, sizeof(eph_plugin_negotiation) == 64);
EPH_ABI_ASSERT(negotiation_host_major, offsetof(eph_plugin_negotiation, host_abi_major) == 4);
EPH_ABI_ASSERT(negotiation_host_minor, offsetof(eph_plugin_negotiation, host_abi_minor) == 8);
EPH_ABI_ASSERT(negotiation_plugin_major, offsetof(eph_plugin_negotiation, plugin_abi_major) == 12);
EPH_ABI_ASSERT(negotiation_plugin_minor, offsetof(eph_plugin_negotiation, plugin_abi_minor) == 16);
EPH_ABI_ASSERT(negotiation_api, offsetof(eph_plugin_negotiation, provider_api) == 24);
EPH_ABI_ASSERT(negotiation_name, offsetof(eph_plugin_negotiation, plugin_name) == 32);
EPH_ABI_ASSERT(negotiation_version, offsetof(eph_plugin_negotiation, plugin_version) == 48);
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EPHEMERA_PROVIDER_H */
