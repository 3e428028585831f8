/* memory_store.c — the worker table (see memory_store.h). */
#include "memory_store.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct mem_store {
  mem_settings settings;
  mem_host host;
  mem_watch* watch;
  pthread_mutex_t mu; /* guards everything below */
  worker* workers;    /* sorted by number: creation order */
  size_t count;
  size_t capacity;
  uint64_t last_number;
};

static const char* const kStateNames[] = {"pending", "running", "exited", "gone"};

void worker_free(worker* w) {
  free(w->name.data);
  free(w->worker_id.data);
  json_free(&w->labels);
  memset(w, 0, sizeof *w);
}

/* The worker-id label, which is what a real backend would store; the
 * worker_id member covers a spec that carries no such label. */
static json_string owner_of(const worker* w) {
  const json_value* label = json_get(&w->labels, WORKER_ID_LABEL);
  return label != NULL ? label->text : w->worker_id;
}

static void write_member(jbuf* b, const char* key) {
  jbuf_cstr(b, ",\"");
  jbuf_cstr(b, key);
  jbuf_cstr(b, "\":");
}

static void write_info(jbuf* b, const worker* w) {
  jbuf_cstr(b, "{\"schema\":1,\"resource_id\":\"mem-");
  jbuf_int64(b, (int64_t)w->number);
  jbuf_cstr(b, "\"");
  write_member(b, "name");
  jbuf_string(b, w->name.data, w->name.len);
  write_member(b, "worker_id");
  jbuf_string(b, w->worker_id.data, w->worker_id.len);
  write_member(b, "labels");
  jbuf_value(b, &w->labels);
  write_member(b, "created_at_ms");
  jbuf_int64(b, w->created_at_ms);
  write_member(b, "state");
  jbuf_string(b, kStateNames[w->state], strlen(kStateNames[w->state]));
  if (w->started_at_ms >= 0) {
    write_member(b, "started_at_ms");
    jbuf_int64(b, w->started_at_ms);
  }
  if (w->finished_at_ms >= 0) {
    write_member(b, "exit_code");
    jbuf_int64(b, w->exit_code);
    write_member(b, "reason");
    jbuf_string(b, w->reason, strlen(w->reason));
    write_member(b, "finished_at_ms");
    jbuf_int64(b, w->finished_at_ms);
  }
  jbuf_cstr(b, "}");
}

/* Called with the lock held, so changes reach the queue in the order they
 * happened. */
static void emit_locked(mem_store* s, const worker* w) {
  jbuf b = {0};
  write_info(&b, w);
  if (!b.failed) watch_emit(s->watch, b.data, b.len);
  jbuf_free(&b);
}

static bool promote_due_locked(mem_store* s, int64_t now_ms) {
  bool still_pending = false;
  for (size_t i = 0; i < s->count; ++i) {
    worker* w = &s->workers[i];
    if (w->state != WORKER_PENDING) continue;
    int64_t due_ms = w->created_at_ms + s->settings.start_delay_ms;
    if (now_ms < due_ms) {
      still_pending = true;
      continue;
    }
    w->state = WORKER_RUNNING;
    w->started_at_ms = due_ms; /* when it would have started, not when we looked */
    emit_locked(s, w);
  }
  return still_pending;
}

/* Every operation starts here: take the lock and catch up with the clock, so
 * readers see "running" even when no watch thread promoted the worker.
 * Returns the time the operation happens at. */
static int64_t lock_and_catch_up(mem_store* s) {
  int64_t now_ms = s->host.now_ms(s->host.ctx);
  pthread_mutex_lock(&s->mu);
  promote_due_locked(s, now_ms);
  return now_ms;
}

bool store_tick(void* store) {
  mem_store* s = store;
  int64_t now_ms = s->host.now_ms(s->host.ctx);
  pthread_mutex_lock(&s->mu);
  bool still_pending = promote_due_locked(s, now_ms);
  pthread_mutex_unlock(&s->mu);
  return still_pending;
}

/* Index of the first worker whose number is >= `number` (binary search). */
static size_t lower_bound(const mem_store* s, uint64_t number) {
  size_t lo = 0, hi = s->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->workers[mid].number < number) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

static worker* find_by_name(mem_store* s, json_string name) {
  for (size_t i = 0; i < s->count; ++i) {
    if (json_strings_equal(s->workers[i].name, name)) return &s->workers[i];
  }
  return NULL;
}

/* Sets NOT_FOUND when absent: we are the backend, so absent is certain. */
static worker* find_locked(mem_store* s, const worker_ref* ref, mem_reply* r) {
  worker* w = NULL;
  if (!ref->by_number) {
    w = find_by_name(s, ref->text);
  } else {
    size_t i = lower_bound(s, ref->number);
    if (i < s->count && s->workers[i].number == ref->number) w = &s->workers[i];
  }
  if (w == NULL) {
    mem_fail(r, EPH_NOT_FOUND, "no worker with %s '%.*s'", ref->by_number ? "resource_id" : "name",
             MEM_QUOTE(ref->text));
  }
  return w;
}

mem_store* store_new(const mem_settings* settings, mem_host host, mem_watch* watch) {
  mem_store* s = calloc(1, sizeof *s);
  if (s == NULL) return NULL;
  s->settings = *settings;
  s->host = host;
  s->watch = watch;
  pthread_mutex_init(&s->mu, NULL);
  return s;
}

void store_free(mem_store* s) {
  if (s == NULL) return;
  for (size_t i = 0; i < s->count; ++i) worker_free(&s->workers[i]);
  free(s->workers);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

/* A retry of an earlier create adopts the resource; anyone else is refused. */
static int32_t adopt_locked(const worker* existing, const worker* candidate, mem_reply* r) {
  json_string owner = owner_of(existing);
  if (!json_strings_equal(owner, owner_of(candidate))) {
    return mem_fail(r, EPH_ALREADY_EXISTS,
                    "name '%.*s' is taken by mem-%" PRIu64 " of worker '%.*s': pick another name",
                    MEM_QUOTE(existing->name), existing->number, MEM_QUOTE(owner));
  }
  write_info(&r->payload, existing);
  return EPH_OK;
}

static int32_t insert_locked(mem_store* s, worker* candidate, int64_t now_ms, mem_reply* r) {
  if ((int64_t)s->count >= s->settings.max_workers) {
    return mem_fail(r, EPH_RESOURCE_EXHAUSTED,
                    "%zu workers exist, max_workers is %" PRId64 ": destroy some or raise it",
                    s->count, s->settings.max_workers);
  }
  if (s->count == s->capacity) {
    size_t capacity = s->capacity == 0 ? 16 : s->capacity * 2;
    worker* grown = realloc(s->workers, capacity * sizeof *grown);
    if (grown == NULL) return mem_fail(r, EPH_INTERNAL, "out of memory");
    s->workers = grown;
    s->capacity = capacity;
  }
  worker* w = &s->workers[s->count++];
  *w = *candidate; /* moves name, worker_id and labels */
  memset(candidate, 0, sizeof *candidate);
  w->number = ++s->last_number;
  w->created_at_ms = now_ms;
  w->state = s->settings.start_delay_ms == 0 ? WORKER_RUNNING : WORKER_PENDING;
  w->started_at_ms = w->state == WORKER_RUNNING ? now_ms : -1;
  w->finished_at_ms = -1;
  emit_locked(s, w);
  write_info(&r->payload, w);
  return EPH_OK;
}

int32_t store_create(mem_store* s, worker* candidate, mem_reply* r) {
  int64_t now_ms = lock_and_catch_up(s);
  const worker* existing = find_by_name(s, candidate->name);
  int32_t status = existing != NULL ? adopt_locked(existing, candidate, r)
                                    : insert_locked(s, candidate, now_ms, r);
  pthread_mutex_unlock(&s->mu);
  worker_free(candidate); /* empty when inserted */
  return status;
}

int32_t store_get(mem_store* s, const worker_ref* ref, mem_reply* r) {
  lock_and_catch_up(s);
  const worker* w = find_locked(s, ref, r);
  if (w != NULL) write_info(&r->payload, w);
  pthread_mutex_unlock(&s->mu);
  return r->status;
}

int32_t store_stop(mem_store* s, const worker_ref* ref, mem_reply* r) {
  int64_t now_ms = lock_and_catch_up(s);
  worker* w = find_locked(s, ref, r);
  if (w != NULL && w->state != WORKER_EXITED) { /* stopping twice changes nothing */
    w->state = WORKER_EXITED;
    w->exit_code = 143; /* 128 + SIGTERM, as a shell or Docker reports it */
    w->reason = "stopped";
    w->finished_at_ms = now_ms;
    emit_locked(s, w);
  }
  if (w != NULL) write_info(&r->payload, w);
  pthread_mutex_unlock(&s->mu);
  return r->status;
}

int32_t store_destroy(mem_store* s, const worker_ref* ref, mem_reply* r) {
  lock_and_catch_up(s);
  worker* w = find_locked(s, ref, r);
  if (w != NULL) {
    w->state = WORKER_GONE;
    emit_locked(s, w);
    worker_free(w);
    /* memmove keeps the array sorted, which list's continue token relies on */
    size_t i = (size_t)(w - s->workers);
    memmove(w, w + 1, (s->count - i - 1) * sizeof *w);
    --s->count;
  }
  pthread_mutex_unlock(&s->mu);
  return r->status;
}

static bool labels_match(const json_value* labels, const json_value* selector) {
  for (size_t i = 0; selector != NULL && i < selector->count; ++i) {
    bool found = false;
    for (size_t j = 0; j < labels->count && !found; ++j) {
      found = json_strings_equal(labels->keys[j], selector->keys[i]) &&
              json_strings_equal(labels->items[j].text, selector->items[i].text);
    }
    if (!found) return false;
  }
  return true;
}

/* The continue token is the number of the page's last worker: numbers only
 * grow and are never reused, so deletes between pages skip or repeat nothing. */
int32_t store_list(mem_store* s, const worker_page* page, mem_reply* r) {
  jbuf* b = &r->payload;
  int64_t listed = 0;
  uint64_t last_listed = 0;
  bool more = false;
  jbuf_cstr(b, "{\"schema\":1,\"items\":[");
  lock_and_catch_up(s);
  for (size_t i = lower_bound(s, page->after + 1); i < s->count; ++i) {
    const worker* w = &s->workers[i];
    if (!labels_match(&w->labels, page->labels)) continue;
    if (listed == page->limit) {
      more = true;
      break;
    }
    if (listed++ > 0) jbuf_cstr(b, ",");
    write_info(b, w);
    last_listed = w->number;
  }
  pthread_mutex_unlock(&s->mu);
  jbuf_cstr(b, "],\"continue\":\"");
  if (more) jbuf_int64(b, (int64_t)last_listed);
  jbuf_cstr(b, "\"}");
  return EPH_OK;
}
