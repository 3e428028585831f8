/* json_write.c — the growable buffer and the serializer (see json_mini.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_mini.h"

static bool reserve(jbuf* b, size_t extra) {
  if (b->failed) return false;
  if (b->len + extra + 1 <= b->cap) return true; /* +1: keep room for the NUL */
  size_t cap = b->cap == 0 ? 16 : b->cap;
  while (cap < b->len + extra + 1) cap *= 2;
  char* data = realloc(b->data, cap);
  if (data == NULL) {
    b->failed = true;
    return false;
  }
  b->data = data;
  b->cap = cap;
  return true;
}

void jbuf_bytes(jbuf* b, const char* s, size_t len) {
  if (!reserve(b, len)) return;
  if (len > 0) memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void jbuf_cstr(jbuf* b, const char* s) { jbuf_bytes(b, s, strlen(s)); }

void jbuf_int64(jbuf* b, int64_t n) {
  char digits[24];
  int len = snprintf(digits, sizeof digits, "%lld", (long long)n);
  jbuf_bytes(b, digits, (size_t)len);
}

/* Escapes only what JSON requires ('"', '\\', control characters); every
 * other byte is already valid UTF-8, the parser made sure of it. */
void jbuf_string(jbuf* b, const char* s, size_t len) {
  static const char kShort[] = "\"\\\b\f\n\r\t";
  static const char kLetter[] = "\"\\bfnrt";
  jbuf_bytes(b, "\"", 1);
  size_t plain = 0; /* start of the run of bytes copied as they are */
  for (size_t i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)s[i];
    const char* hit = c != 0 ? strchr(kShort, c) : NULL;
    if (hit == NULL && c >= 0x20) continue;
    jbuf_bytes(b, s + plain, i - plain);
    plain = i + 1;
    if (hit != NULL) {
      char escape[2] = {'\\', kLetter[hit - kShort]};
      jbuf_bytes(b, escape, 2);
    } else {
      char escape[7];
      snprintf(escape, sizeof escape, "\\u%04x", c);
      jbuf_bytes(b, escape, 6);
    }
  }
  jbuf_bytes(b, s + plain, len - plain);
  jbuf_bytes(b, "\"", 1);
}

void jbuf_value(jbuf* b, const json_value* v) {
  switch (v->type) {
    case JSON_NULL: jbuf_cstr(b, "null"); return;
    case JSON_BOOL: jbuf_cstr(b, v->boolean ? "true" : "false"); return;
    case JSON_NUMBER: jbuf_bytes(b, v->text.data, v->text.len); return;
    case JSON_STRING: jbuf_string(b, v->text.data, v->text.len); return;
    case JSON_ARRAY:
    case JSON_OBJECT: break;
  }
  jbuf_cstr(b, v->type == JSON_ARRAY ? "[" : "{");
  for (size_t i = 0; i < v->count; ++i) {
    if (i > 0) jbuf_cstr(b, ",");
    if (v->type == JSON_OBJECT) {
      jbuf_string(b, v->keys[i].data, v->keys[i].len);
      jbuf_cstr(b, ":");
    }
    jbuf_value(b, &v->items[i]);
  }
  jbuf_cstr(b, v->type == JSON_ARRAY ? "]" : "}");
}

void jbuf_free(jbuf* b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}
