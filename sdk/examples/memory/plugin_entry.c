/*
 * plugin_entry.c — the ABI edge of the memory provider: the one exported
 * symbol, the function table, and one thin on_* per operation that turns ABI
 * types into plain bytes for memory.h and delivers its mem_reply.
 *
 * Nothing here can unwind (it is C), and nothing writes to stdout or stderr.
 */
#include <ephemera/provider.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "memory.h"

/* The handle the host holds. The host_api and host pointers stay valid until
 * on_close returns, so we keep them rather than copy the table. */
struct eph_provider {
  const eph_host_api* api;
  eph_host* host;
  memory_provider* memory;
};

/* An older host may hand us a shorter eph_host_api: a callback exists only
 * if the struct the host filled reaches it (checked before reading it: the
 * bytes beyond struct_size are not ours to read), and it is not NULL. */
#define HOST_HAS(api, callback)                                                   \
  ((api) != NULL &&                                                               \
   (api)->struct_size >= offsetof(eph_host_api, callback) + sizeof((api)->callback) && \
   (api)->callback != NULL)

static int64_t host_now_ms(void* ctx) {
  const eph_provider* p = ctx;
  if (HOST_HAS(p->api, callback_now_ms)) return p->api->callback_now_ms(p->host);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void host_push_status(void* ctx, const char* json, size_t len) {
  const eph_provider* p = ctx;
  eph_str doc = {json, len};
  if (HOST_HAS(p->api, callback_push_status)) p->api->callback_push_status(p->host, doc);
}

static void host_log(const eph_provider* p, int32_t level, const char* message) {
  if (HOST_HAS(p->api, callback_log)) {
    p->api->callback_log(p->host, level, eph_str_from_cstr(message));
  }
}

/* Hands the reply to the host (which copies it before we return) and frees
 * it. A reply that ran out of memory while writing its payload is an error. */
static int32_t deliver(const eph_host_api* api, eph_call* call, mem_reply* r) {
  if (r->payload.failed) {
    jbuf_free(&r->payload);
    mem_fail(r, EPH_INTERNAL, "out of memory");
  }
  if (HOST_HAS(api, callback_write_result) && (r->message[0] != '\0' || r->payload.len > 0)) {
    eph_result result = {sizeof result, 0, /* retry_after_ms: no advice */ -1,
                         eph_str_from_cstr(r->message), {r->payload.data, r->payload.len}};
    api->callback_write_result(call, &result);
  }
  jbuf_free(&r->payload);
  return r->status;
}

static int32_t on_validate_config(const eph_host_api* api, eph_call* call, eph_str config) {
  mem_reply r = {0};
  mem_settings settings;
  mem_parse_config(config.data, (size_t)config.len, &settings, &r);
  return deliver(api, call, &r);
}

static eph_provider* new_instance(const eph_host_api* api, eph_host* host,
                                  const mem_settings* settings) {
  eph_provider* p = calloc(1, sizeof *p);
  if (p == NULL) return NULL;
  p->api = api;
  p->host = host;
  p->memory = mem_open(settings, (mem_host){p, host_now_ms, host_push_status});
  if (p->memory == NULL) {
    free(p);
    return NULL;
  }
  return p;
}

/* There is no backend to reach, so open cannot meet the "backend down" case;
 * a real provider must still succeed then and report it through health. */
static int32_t on_open(const eph_host_api* api, eph_host* host, eph_call* call, eph_str config,
                       eph_provider** out) {
  mem_reply r = {0};
  mem_settings settings;
  if (out == NULL) {
    mem_fail(&r, EPH_INVALID_ARGUMENT, "open: out_provider is NULL");
    return deliver(api, call, &r);
  }
  *out = NULL;
  if (mem_parse_config(config.data, (size_t)config.len, &settings, &r) != EPH_OK) {
    return deliver(api, call, &r);
  }
  *out = new_instance(api, host, &settings);
  if (*out == NULL) {
    mem_fail(&r, EPH_INTERNAL, "out of memory");
  } else {
    char line[96]; /* no secret among these settings; a token would never be logged */
    snprintf(line, sizeof line, "open: max_workers=%lld start_delay_ms=%lld",
             (long long)settings.max_workers, (long long)settings.start_delay_ms);
    host_log(*out, EPH_LOG_INFO, line);
  }
  return deliver(api, call, &r);
}

/* The host calls it with no call in flight; the watch thread is joined here. */
static void on_close(eph_provider* p) {
  if (p == NULL) return;
  mem_close(p->memory);
  free(p);
}

static int32_t on_capabilities(eph_provider* p, eph_call* call) {
  mem_reply r = {0};
  mem_capabilities(&r);
  return deliver(p->api, call, &r);
}

/* The deadlines below go unused: everything happens in memory, far within
 * any deadline. A real backend bounds its I/O by deadline_ms and polls
 * callback_is_cancelled(call) in long loops. Grace periods go unused too:
 * there is no process to wait for. */

static int32_t on_create(eph_provider* p, eph_call* call, int64_t deadline_ms, eph_str spec) {
  mem_reply r = {0};
  (void)deadline_ms;
  mem_create(p->memory, spec.data, (size_t)spec.len, &r);
  return deliver(p->api, call, &r);
}

static int32_t on_get(eph_provider* p, eph_call* call, int64_t deadline_ms, eph_str ref) {
  mem_reply r = {0};
  (void)deadline_ms;
  mem_get(p->memory, ref.data, (size_t)ref.len, &r);
  return deliver(p->api, call, &r);
}

static int32_t on_list(eph_provider* p, eph_call* call, int64_t deadline_ms, eph_str selector) {
  mem_reply r = {0};
  (void)deadline_ms;
  mem_list(p->memory, selector.data, (size_t)selector.len, &r);
  return deliver(p->api, call, &r);
}

static int32_t on_stop(eph_provider* p, eph_call* call, int64_t deadline_ms, eph_str ref,
                       int64_t grace_ms) {
  mem_reply r = {0};
  (void)deadline_ms;
  (void)grace_ms;
  mem_stop(p->memory, ref.data, (size_t)ref.len, &r);
  return deliver(p->api, call, &r);
}

/* EPH_DESTROY_FORCE changes nothing: removing from memory is never unclean. */
static int32_t on_destroy(eph_provider* p, eph_call* call, int64_t deadline_ms, eph_str ref,
                          int64_t grace_ms, uint32_t flags) {
  mem_reply r = {0};
  (void)deadline_ms;
  (void)grace_ms;
  (void)flags;
  mem_destroy(p->memory, ref.data, (size_t)ref.len, &r);
  return deliver(p->api, call, &r);
}

static int32_t on_harden(eph_provider* p, eph_call* call, int64_t deadline_ms, eph_str spec) {
  mem_reply r = {0};
  (void)deadline_ms;
  mem_harden(spec.data, (size_t)spec.len, &r);
  return deliver(p->api, call, &r);
}

static int32_t on_health(eph_provider* p, eph_call* call, int64_t deadline_ms) {
  mem_reply r = {0};
  (void)deadline_ms;
  mem_health(&r);
  return deliver(p->api, call, &r);
}

static int32_t on_watch_start(eph_provider* p, eph_call* call) {
  mem_reply r = {0};
  if (mem_watch_start(p->memory, &r) == EPH_OK) host_log(p, EPH_LOG_DEBUG, "watch started");
  return deliver(p->api, call, &r);
}

static int32_t on_watch_stop(eph_provider* p, eph_call* call) {
  mem_reply r = {0};
  mem_watch_stop(p->memory, &r);
  host_log(p, EPH_LOG_DEBUG, "watch stopped");
  return deliver(p->api, call, &r);
}

/* Static and constant: the host keeps the pointer as long as the library is
 * loaded. Positional like the README skeleton; the order is the ABI's. */
static const eph_provider_api kApi = {
    sizeof(eph_provider_api), 0,
    on_validate_config, on_open, on_close, on_capabilities,
    on_create, on_get, on_list, on_stop, on_destroy,
    on_harden, on_health, on_watch_start, on_watch_stop};

EPH_PLUGIN_EXPORT int32_t ephemera_plugin_entry(eph_plugin_negotiation* n) {
  /* The 0.1 negotiation struct is the oldest there is: a host filling fewer
   * bytes is not a host. */
  if (n == NULL || n->struct_size < sizeof *n) return EPH_INVALID_ARGUMENT;
  /* Our versions go out even on refusal, so the host can name both. */
  n->plugin_abi_major = EPH_ABI_VERSION_MAJOR;
  n->plugin_abi_minor = EPH_ABI_VERSION_MINOR;
  n->plugin_name = eph_str_from_cstr("memory");
  n->plugin_version = eph_str_from_cstr("0.1.0");
  if (n->host_abi_major != EPH_ABI_VERSION_MAJOR) return EPH_UNSUPPORTED;
  n->provider_api = &kApi;
  return EPH_OK;
}
