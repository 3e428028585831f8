/*
 * memory_store.h — the "backend": a table of workers behind one mutex.
 *
 * A real provider would talk to Docker or Kubernetes here; this one keeps the
 * workers in an array. Requests arrive already validated (memory_provider.c).
 *
 * Thread safety: every store_* function locks the store; any thread.
 */
#ifndef EPHEMERA_MEMORY_STORE_H
#define EPHEMERA_MEMORY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "json_mini.h"
#include "memory.h"
#include "memory_watch.h"

/* The label by which a create retry recognises its own resource. */
#define WORKER_ID_LABEL "ephemera.dev/worker-id"

typedef enum worker_state {
  WORKER_PENDING,
  WORKER_RUNNING,
  WORKER_EXITED,
  WORKER_GONE /* only ever in the last push about a destroyed worker */
} worker_state;

typedef struct worker {
  uint64_t number; /* resource_id is "mem-<number>"; numbers are never reused */
  json_string name;
  json_string worker_id;
  json_value labels; /* an object of strings */
  int64_t created_at_ms;
  int64_t started_at_ms;  /* < 0 until running */
  int64_t finished_at_ms; /* < 0 until exited */
  worker_state state;
  int32_t exit_code;
  const char* reason; /* static string; set once exited */
} worker;

/* Frees what a worker owns (not the struct itself). */
void worker_free(worker* w);

/* Which resource a reference document means. Borrows from the document. */
typedef struct worker_ref {
  bool by_number;   /* a resource_id was given */
  uint64_t number;  /* 0 (never issued) when the resource_id is not ours */
  json_string text; /* the resource_id or the name, for messages */
} worker_ref;

/* One page of a list. Borrows from the selector document. */
typedef struct worker_page {
  const json_value* labels; /* NULL or an object of strings */
  int64_t limit;            /* > 0 */
  uint64_t after;           /* resume after this worker number; 0: from the start */
} worker_page;

typedef struct mem_store mem_store;

/* `watch` receives every status change; it must outlive the store. */
mem_store* store_new(const mem_settings* settings, mem_host host, mem_watch* watch);
void store_free(mem_store* s);

/* Takes ownership of `candidate` (name, worker_id, labels) in every case. */
int32_t store_create(mem_store* s, worker* candidate, mem_reply* r);
int32_t store_get(mem_store* s, const worker_ref* ref, mem_reply* r);
int32_t store_stop(mem_store* s, const worker_ref* ref, mem_reply* r);
int32_t store_destroy(mem_store* s, const worker_ref* ref, mem_reply* r);
int32_t store_list(mem_store* s, const worker_page* page, mem_reply* r);

/* Moves due workers from pending to running. Returns true while some worker
 * is still pending. Signature of mem_watch_tick_fn. */
bool store_tick(void* store);

#endif /* EPHEMERA_MEMORY_STORE_H */
