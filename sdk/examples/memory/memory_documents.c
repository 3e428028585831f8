/* memory_documents.c — document checks, the config and harden (no state, no I/O). */
#include "memory_documents.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int32_t mem_fail(mem_reply* r, int32_t status, const char* format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(r->message, sizeof r->message, format, args);
  va_end(args);
  r->status = status;
  return status;
}

static int32_t check_schema(const json_value* doc, const char* what, mem_reply* r) {
  const json_value* schema = json_get(doc, "schema");
  int64_t version;
  if (schema == NULL) {
    return mem_fail(r, EPH_INVALID_ARGUMENT, "%s: missing \"schema\" (expected 1)", what);
  }
  if (!json_int64(schema, &version) || version != EPH_SCHEMA_VERSION) {
    return mem_fail(r, EPH_INVALID_ARGUMENT,
                    "%s: \"schema\" must be 1 (the version this plugin reads)", what);
  }
  return EPH_OK;
}

int32_t doc_parse(const char* text, size_t len, const char* what, json_value* doc,
                  const char** pointer, mem_reply* r) {
  char error[96];
  const char* culprit = "";
  if (!json_parse(text, len, doc, error, sizeof error)) {
    mem_fail(r, EPH_INVALID_ARGUMENT, "%s: malformed JSON: %s", what, error);
  } else if (doc->type != JSON_OBJECT) {
    mem_fail(r, EPH_INVALID_ARGUMENT, "%s: expected a JSON object", what);
  } else if (check_schema(doc, what, r) != EPH_OK) {
    culprit = "/schema";
  } else {
    return EPH_OK;
  }
  json_free(doc);
  if (pointer != NULL) *pointer = culprit;
  return r->status;
}

int32_t doc_check_labels(const json_value* labels, const char* what, mem_reply* r) {
  if (labels->type != JSON_OBJECT) {
    return mem_fail(r, EPH_INVALID_ARGUMENT, "%s: \"labels\" must be an object of strings", what);
  }
  for (size_t i = 0; i < labels->count; ++i) {
    if (labels->items[i].type != JSON_STRING) {
      return mem_fail(r, EPH_INVALID_ARGUMENT, "%s: label '%.*s' must have a string value", what,
                      MEM_QUOTE(labels->keys[i]));
    }
  }
  return EPH_OK;
}

int32_t doc_check_privileged(const json_value* spec, mem_reply* r) {
  const json_value* privileged = json_get(spec, "privileged");
  if (privileged == NULL || (privileged->type == JSON_BOOL && !privileged->boolean)) return EPH_OK;
  if (privileged->type != JSON_BOOL) {
    return mem_fail(r, EPH_INVALID_ARGUMENT, "spec: \"privileged\" must be a boolean");
  }
  return mem_fail(r, EPH_INVALID_ARGUMENT,
                  "spec: privileged workers are refused by this provider; drop \"privileged\"");
}

/* ---- config ------------------------------------------------------------ */

static const json_string kNoKey = {NULL, 0};

/* Payload {"schema":1,"pointer":"<prefix><key>"}: the host turns the pointer
 * into a TOML line. Keys are escaped per RFC 6901 ('~' -> ~0, '/' -> ~1). */
static int32_t with_pointer(mem_reply* r, const char* prefix, json_string key) {
  jbuf pointer = {0};
  jbuf_cstr(&pointer, prefix);
  for (size_t i = 0; i < key.len; ++i) {
    if (key.data[i] == '~') jbuf_cstr(&pointer, "~0");
    else if (key.data[i] == '/') jbuf_cstr(&pointer, "~1");
    else jbuf_bytes(&pointer, &key.data[i], 1);
  }
  jbuf_free(&r->payload);
  jbuf_cstr(&r->payload, "{\"schema\":1,\"pointer\":");
  jbuf_string(&r->payload, pointer.data, pointer.len);
  jbuf_cstr(&r->payload, "}");
  jbuf_free(&pointer);
  return r->status;
}

static int64_t* setting_field(mem_settings* settings, json_string key) {
  if (json_string_is(key, "max_workers")) return &settings->max_workers;
  if (json_string_is(key, "start_delay_ms")) return &settings->start_delay_ms;
  return NULL;
}

static int32_t read_settings(const json_value* settings, mem_settings* out, mem_reply* r) {
  if (settings->type != JSON_OBJECT) {
    mem_fail(r, EPH_INVALID_ARGUMENT, "config: \"settings\" must be an object");
    return with_pointer(r, "/settings", kNoKey);
  }
  for (size_t i = 0; i < settings->count; ++i) {
    int64_t* field = setting_field(out, settings->keys[i]);
    if (field == NULL) {
      mem_fail(r, EPH_INVALID_ARGUMENT,
               "config: unknown key '%.*s' in settings (known: max_workers, start_delay_ms)",
               MEM_QUOTE(settings->keys[i]));
      return with_pointer(r, "/settings/", settings->keys[i]);
    }
    if (!json_int64(&settings->items[i], field) || *field < 0) {
      mem_fail(r, EPH_INVALID_ARGUMENT, "config: settings.%.*s must be an integer >= 0",
               MEM_QUOTE(settings->keys[i]));
      return with_pointer(r, "/settings/", settings->keys[i]);
    }
  }
  return EPH_OK;
}

int32_t mem_parse_config(const char* json, size_t len, mem_settings* out, mem_reply* r) {
  json_value config;
  const char* pointer;
  out->max_workers = 1000;
  out->start_delay_ms = 0;
  if (doc_parse(json, len, "config", &config, &pointer, r) != EPH_OK) {
    return with_pointer(r, pointer, kNoKey);
  }
  const json_value* settings = json_get(&config, "settings");
  if (settings != NULL) read_settings(settings, out, r);
  json_free(&config);
  return r->status;
}

/* ---- harden ------------------------------------------------------------ */

/* Never run as root: 65532 is the conventional "nonroot" uid of distroless
 * images. A non-root user the spec chose is kept. */
static int32_t harden_user(json_value* spec, mem_reply* r) {
  const json_value* user = json_get(spec, "user");
  if (user != NULL && user->type != JSON_STRING) {
    return mem_fail(r, EPH_INVALID_ARGUMENT, "spec: \"user\" must be a string such as \"65532\"");
  }
  if (user != NULL && !json_string_eq(user, "0") && !json_string_eq(user, "root")) return EPH_OK;
  json_value* forced = json_put(spec, "user");
  if (forced == NULL || !json_set_string(forced, "65532")) {
    return mem_fail(r, EPH_INTERNAL, "out of memory");
  }
  return EPH_OK;
}

/* Every worker gets explicit limits; members the spec set are kept. */
static int32_t harden_resources(json_value* spec, mem_reply* r) {
  static const struct {
    const char* key;
    int64_t value;
  } kDefaults[] = {{"cpu_millis", 1000}, {"memory_bytes", 268435456}, {"pids", 256}};
  json_value* resources = json_get(spec, "resources");
  if (resources == NULL) {
    resources = json_put(spec, "resources");
    if (resources == NULL) return mem_fail(r, EPH_INTERNAL, "out of memory");
    resources->type = JSON_OBJECT; /* json_put gives null; make it {} */
  }
  if (resources->type != JSON_OBJECT) {
    return mem_fail(r, EPH_INVALID_ARGUMENT, "spec: \"resources\" must be an object");
  }
  for (size_t i = 0; i < sizeof kDefaults / sizeof kDefaults[0]; ++i) {
    const json_value* given = json_get(resources, kDefaults[i].key);
    int64_t n;
    if (given == NULL) {
      json_value* added = json_put(resources, kDefaults[i].key);
      if (added == NULL || !json_set_int64(added, kDefaults[i].value)) {
        return mem_fail(r, EPH_INTERNAL, "out of memory");
      }
    } else if (!json_int64(given, &n) || n <= 0) {
      return mem_fail(r, EPH_INVALID_ARGUMENT, "spec: resources.%s must be an integer > 0",
                      kDefaults[i].key);
    }
  }
  return EPH_OK;
}

/* Idempotent by construction: members are only added (at the end, in a fixed
 * order) or replaced in place, and a second pass finds nothing to change;
 * the serializer writes the same bytes for the same tree. */
int32_t mem_harden(const char* json, size_t len, mem_reply* r) {
  json_value spec;
  if (doc_parse(json, len, "spec", &spec, NULL, r) != EPH_OK) return r->status;
  if (doc_check_privileged(&spec, r) == EPH_OK && harden_user(&spec, r) == EPH_OK &&
      harden_resources(&spec, r) == EPH_OK) {
    json_remove(&spec, "privileged"); /* false is the default: say it once, by omission */
    jbuf_value(&r->payload, &spec);
  }
  json_free(&spec);
  return r->status;
}
