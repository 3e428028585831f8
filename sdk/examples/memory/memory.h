/*
 * memory.h — the in-memory provider's logic, behind the ABI edge.
 *
 * plugin_entry.c is the only file that speaks the ABI (eph_str, eph_call,
 * callback_write_result); it turns every on_* call into one of the mem_*
 * functions below and delivers the mem_reply they fill. Everything here takes
 * plain bytes and could be unit-tested without a host.
 *
 * Thread safety: every mem_* function may be called from any thread, at the
 * same time as any other, on the same provider (we answer "thread_safe": true).
 */
#ifndef EPHEMERA_MEMORY_MEMORY_H
#define EPHEMERA_MEMORY_MEMORY_H

#include <ephemera/provider.h> /* EPH_* status codes */
#include <stddef.h>
#include <stdint.h>

#include "json_mini.h"

/* What one call answers: a status, a message (always set on error) and a
 * JSON payload. Zero-initialize it; the caller frees `payload`. */
typedef struct mem_reply {
  int32_t status;
  char message[256];
  jbuf payload;
} mem_reply;

/* printf arguments quoting a json_string in a message: "%.*s". Truncated to
 * 64 bytes so a huge name cannot crowd out the rest of the message. */
#define MEM_QUOTE(s) (int)((s).len < 64 ? (s).len : 64), (s).data

/* Sets status and message; returns the status so callers can
 * `return mem_fail(r, EPH_NOT_FOUND, "...")`. */
int32_t mem_fail(mem_reply* r, int32_t status, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

/* [providers.NAME.settings] of this plugin. */
typedef struct mem_settings {
  int64_t max_workers;    /* create answers RESOURCE_EXHAUSTED beyond it */
  int64_t start_delay_ms; /* workers stay "pending" this long after create */
} mem_settings;

/* The two host services the logic needs, as plain function pointers. */
typedef struct mem_host {
  void* ctx;
  int64_t (*now_ms)(void* ctx); /* host wall clock (fake in tests) */
  void (*push_status)(void* ctx, const char* worker_info_json, size_t len);
} mem_host;

typedef struct memory_provider memory_provider;

/* Config document -> settings. On error: EPH_INVALID_ARGUMENT, a message and
 * the payload {"schema":1,"pointer":"/settings/<key>"}. No I/O. */
int32_t mem_parse_config(const char* json, size_t len, mem_settings* out, mem_reply* r);

/* NULL when out of memory. mem_close stops the watch and frees everything. */
memory_provider* mem_open(const mem_settings* settings, mem_host host);
void mem_close(memory_provider* m);

/* The documents and status codes of sdk/README.md, operation by operation. */
int32_t mem_capabilities(mem_reply* r);
int32_t mem_health(mem_reply* r);
int32_t mem_create(memory_provider* m, const char* spec, size_t len, mem_reply* r);
int32_t mem_get(memory_provider* m, const char* ref, size_t len, mem_reply* r);
int32_t mem_list(memory_provider* m, const char* selector, size_t len, mem_reply* r);
int32_t mem_stop(memory_provider* m, const char* ref, size_t len, mem_reply* r);
int32_t mem_destroy(memory_provider* m, const char* ref, size_t len, mem_reply* r);
int32_t mem_harden(const char* spec, size_t len, mem_reply* r);
int32_t mem_watch_start(memory_provider* m, mem_reply* r);
int32_t mem_watch_stop(memory_provider* m, mem_reply* r);

#endif /* EPHEMERA_MEMORY_MEMORY_H */
