/* memory_provider.c — one instance: request documents in, store calls out. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "memory_documents.h"
#include "memory_store.h"
#include "memory_watch.h"

/* list's page size when the selector gives no positive "limit". */
#define DEFAULT_LIST_LIMIT 100

/* Everything an instance owns. No globals: the host may open several. */
struct memory_provider {
  mem_watch* watch;
  mem_store* store;
};

memory_provider* mem_open(const mem_settings* settings, mem_host host) {
  memory_provider* m = calloc(1, sizeof *m);
  if (m == NULL) return NULL;
  m->watch = watch_new(host);
  m->store = m->watch != NULL ? store_new(settings, host, m->watch) : NULL;
  if (m->store == NULL) {
    mem_close(m);
    return NULL;
  }
  return m;
}

void mem_close(memory_provider* m) {
  if (m == NULL) return;
  watch_free(m->watch); /* first: its thread reads the store */
  store_free(m->store);
  free(m);
}

int32_t mem_capabilities(mem_reply* r) {
  jbuf_cstr(&r->payload,
            "{\"schema\":1,\"thread_safe\":true,\"max_concurrency\":8,\"stop_keeps_resource\":true,"
            "\"watch\":true,\"workloads\":[\"memory\"]}");
  return EPH_OK;
}

int32_t mem_health(mem_reply* r) {
  jbuf_cstr(&r->payload, "{\"schema\":1,\"healthy\":true,\"detail\":\"in memory\"}");
  return EPH_OK;
}

/* Moves a string member out of a document we are about to free. */
static json_string take_text(json_value* v) {
  json_string text = v->text;
  memset(v, 0, sizeof *v);
  return text;
}

static bool is_nonempty_string(const json_value* v) {
  return v != NULL && v->type == JSON_STRING && v->text.len > 0;
}

/* Checks a spec and moves what the store keeps into *out. */
static int32_t read_spec(json_value* spec, worker* out, mem_reply* r) {
  json_value* name = json_get(spec, "name");
  json_value* worker_id = json_get(spec, "worker_id");
  json_value* labels = json_get(spec, "labels");
  if (!is_nonempty_string(name) || !is_nonempty_string(worker_id)) {
    return mem_fail(r, EPH_INVALID_ARGUMENT,
                    "spec: \"name\" and \"worker_id\" must be non-empty strings");
  }
  if (labels == NULL) return mem_fail(r, EPH_INVALID_ARGUMENT, "spec: \"labels\" is missing");
  if (doc_check_labels(labels, "spec", r) != EPH_OK) return r->status;
  if (doc_check_privileged(spec, r) != EPH_OK) return r->status;
  out->name = take_text(name);
  out->worker_id = take_text(worker_id);
  out->labels = *labels;
  memset(labels, 0, sizeof *labels);
  return EPH_OK;
}

int32_t mem_create(memory_provider* m, const char* json, size_t len, mem_reply* r) {
  json_value spec;
  worker candidate = {0};
  if (doc_parse(json, len, "spec", &spec, NULL, r) != EPH_OK) return r->status;
  if (read_spec(&spec, &candidate, r) == EPH_OK) store_create(m->store, &candidate, r);
  json_free(&spec);
  return r->status;
}

/* Decimal digits without sign or leading zero, up to INT64_MAX (so tokens
 * and ids survive any JSON reader). 0, a number we never issue, otherwise. */
static uint64_t parse_number(const char* s, size_t len) {
  uint64_t n = 0;
  if (len == 0 || len > 19 || s[0] == '0') return 0;
  for (size_t i = 0; i < len; ++i) {
    if (s[i] < '0' || s[i] > '9') return 0;
    n = n * 10 + (uint64_t)(s[i] - '0');
  }
  return n <= INT64_MAX ? n : 0;
}

/* resource_id when given, else name. An empty resource_id counts as absent:
 * the host does not know it when the answer to a create was lost. */
static int32_t read_ref(const json_value* doc, worker_ref* ref, mem_reply* r) {
  const json_value* id = json_get(doc, "resource_id");
  const json_value* name = json_get(doc, "name");
  memset(ref, 0, sizeof *ref);
  if ((id != NULL && id->type != JSON_STRING) || (name != NULL && name->type != JSON_STRING)) {
    return mem_fail(r, EPH_INVALID_ARGUMENT,
                    "reference: \"resource_id\" and \"name\" must be strings");
  }
  if (is_nonempty_string(id)) {
    static const char kPrefix[] = "mem-";
    const size_t prefix_len = sizeof kPrefix - 1;
    ref->by_number = true;
    ref->text = id->text;
    if (id->text.len > prefix_len && memcmp(id->text.data, kPrefix, prefix_len) == 0) {
      ref->number = parse_number(id->text.data + prefix_len, id->text.len - prefix_len);
    }
    return EPH_OK;
  }
  if (is_nonempty_string(name)) {
    ref->text = name->text;
    return EPH_OK;
  }
  return mem_fail(r, EPH_INVALID_ARGUMENT, "reference: give \"resource_id\" or \"name\"");
}

typedef int32_t (*ref_operation)(mem_store* s, const worker_ref* ref, mem_reply* r);

/* get, stop and destroy differ only in what they do with the worker. */
static int32_t with_ref(memory_provider* m, const char* json, size_t len, ref_operation op,
                        mem_reply* r) {
  json_value doc;
  worker_ref ref;
  if (doc_parse(json, len, "reference", &doc, NULL, r) != EPH_OK) return r->status;
  if (read_ref(&doc, &ref, r) == EPH_OK) op(m->store, &ref, r);
  json_free(&doc);
  return r->status;
}

int32_t mem_get(memory_provider* m, const char* json, size_t len, mem_reply* r) {
  return with_ref(m, json, len, store_get, r);
}

int32_t mem_stop(memory_provider* m, const char* json, size_t len, mem_reply* r) {
  return with_ref(m, json, len, store_stop, r);
}

int32_t mem_destroy(memory_provider* m, const char* json, size_t len, mem_reply* r) {
  return with_ref(m, json, len, store_destroy, r);
}

static int32_t read_page(const json_value* doc, worker_page* page, mem_reply* r) {
  const json_value* limit = json_get(doc, "limit");
  const json_value* token = json_get(doc, "continue");
  page->labels = json_get(doc, "labels");
  page->limit = DEFAULT_LIST_LIMIT;
  page->after = 0;
  if (page->labels != NULL && doc_check_labels(page->labels, "selector", r) != EPH_OK) {
    return r->status;
  }
  int64_t n;
  if (limit != NULL && !json_int64(limit, &n)) {
    return mem_fail(r, EPH_INVALID_ARGUMENT, "selector: \"limit\" must be an integer");
  }
  if (limit != NULL && n > 0) page->limit = n;
  if (token != NULL && token->type != JSON_STRING) {
    return mem_fail(r, EPH_INVALID_ARGUMENT, "selector: \"continue\" must be a string");
  }
  if (token != NULL && token->text.len > 0) {
    page->after = parse_number(token->text.data, token->text.len);
    if (page->after == 0) {
      return mem_fail(r, EPH_INVALID_ARGUMENT,
                      "selector: \"continue\" is not a token this provider issued; list again "
                      "from an empty token");
    }
  }
  return EPH_OK;
}

int32_t mem_list(memory_provider* m, const char* json, size_t len, mem_reply* r) {
  json_value doc;
  worker_page page;
  if (doc_parse(json, len, "selector", &doc, NULL, r) != EPH_OK) return r->status;
  if (read_page(&doc, &page, r) == EPH_OK) store_list(m->store, &page, r);
  json_free(&doc);
  return r->status;
}

int32_t mem_watch_start(memory_provider* m, mem_reply* r) {
  int error;
  if (!watch_start(m->watch, store_tick, m->store, &error)) {
    return mem_fail(r, EPH_INTERNAL, "cannot start the watch thread (pthread_create: error %d)",
                    error);
  }
  return EPH_OK;
}

int32_t mem_watch_stop(memory_provider* m, mem_reply* r) {
  (void)r; /* stopping cannot fail */
  watch_stop(m->watch);
  return EPH_OK;
}
