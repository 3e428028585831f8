/* json_mini.c — the parser and the DOM helpers (see json_mini.h). */
#include "json_mini.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
  const char* start;
  const char* p;
  const char* end;
  int depth;
  char* err;
  size_t err_size;
} parser;

static bool fail(parser* ps, const char* what) {
  snprintf(ps->err, ps->err_size, "byte %zu: %s", (size_t)(ps->p - ps->start), what);
  return false;
}

static void skip_ws(parser* ps) {
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) {
    ++ps->p;
  }
}

static bool take_jbuf(jbuf* b, json_string* out) {
  jbuf_bytes(b, "", 0); /* makes data non-NULL even for "" */
  if (b->failed) return false;
  out->data = b->data;
  out->len = b->len;
  return true;
}

/* Length of the valid UTF-8 sequence at s (0 when invalid): rejects overlong
 * forms, surrogates and code points above U+10FFFF. */
static size_t utf8_sequence_len(const unsigned char* s, size_t avail) {
  unsigned char lo = 0x80, hi = 0xBF;
  size_t n;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    n = 2;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    n = 3;
    if (s[0] == 0xE0) lo = 0xA0;
    if (s[0] == 0xED) hi = 0x9F;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    n = 4;
    if (s[0] == 0xF0) lo = 0x90;
    if (s[0] == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (avail < n || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < n; ++i) {
    if ((s[i] & 0xC0) != 0x80) return 0;
  }
  return n;
}

static bool read_hex4(parser* ps, uint32_t* out) {
  if (ps->end - ps->p < 4) return fail(ps, "truncated \\u escape");
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    char c = *ps->p++;
    uint32_t digit;
    if (c >= '0' && c <= '9') digit = (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f') digit = (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') digit = (uint32_t)(c - 'A' + 10);
    else return fail(ps, "bad hex digit in \\u escape");
    v = v << 4 | digit;
  }
  *out = v;
  return true;
}

static void put_utf8(jbuf* b, uint32_t cp) {
  static const unsigned char kLeadBits[5] = {0, 0x00, 0xC0, 0xE0, 0xF0};
  char u[4];
  size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  for (size_t i = n - 1; i > 0; --i) {
    u[i] = (char)(0x80 | (cp & 0x3F));
    cp >>= 6;
  }
  u[0] = (char)(kLeadBits[n] | cp);
  jbuf_bytes(b, u, n);
}

/* After the 'u' of "\u": one code point, joining a UTF-16 surrogate pair. */
static bool parse_unicode_escape(parser* ps, jbuf* b) {
  uint32_t cp, low = 0;
  if (!read_hex4(ps, &cp)) return false;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(ps, "lone low surrogate in \\u escape");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (ps->end - ps->p >= 2 && ps->p[0] == '\\' && ps->p[1] == 'u') {
      ps->p += 2;
      if (!read_hex4(ps, &low)) return false;
    }
    if (low < 0xDC00 || low > 0xDFFF) return fail(ps, "lone high surrogate in \\u escape");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  put_utf8(b, cp);
  return true;
}

static bool parse_escape(parser* ps, jbuf* b) {
  if (ps->p >= ps->end) return fail(ps, "unterminated string");
  char c = *ps->p++;
  const char* from = "\"\\/bfnrt";
  const char* to = "\"\\/\b\f\n\r\t";
  const char* hit = c != '\0' ? strchr(from, c) : NULL;
  if (hit != NULL) {
    jbuf_bytes(b, to + (hit - from), 1);
    return true;
  }
  if (c == 'u') return parse_unicode_escape(ps, b);
  --ps->p;
  return fail(ps, "unknown escape in string");
}

/* After the opening quote: decodes up to and including the closing one. */
static bool scan_string(parser* ps, jbuf* b) {
  for (;;) {
    if (ps->p >= ps->end) return fail(ps, "unterminated string");
    unsigned char c = (unsigned char)*ps->p;
    if (c == '"') {
      ++ps->p;
      return true;
    }
    if (c < 0x20) return fail(ps, "control character in string");
    if (c == '\\') {
      ++ps->p;
      if (!parse_escape(ps, b)) return false;
      continue;
    }
    size_t n = c < 0x80 ? 1 : utf8_sequence_len((const unsigned char*)ps->p,
                                                 (size_t)(ps->end - ps->p));
    if (n == 0) return fail(ps, "invalid UTF-8 in string");
    jbuf_bytes(b, ps->p, n);
    ps->p += n;
  }
}

/* At the opening quote. */
static bool parse_string(parser* ps, json_string* out) {
  jbuf b = {0};
  ++ps->p;
  bool ok = scan_string(ps, &b);
  if (ok && !take_jbuf(&b, out)) ok = fail(ps, "out of memory");
  if (!ok) jbuf_free(&b);
  return ok;
}

static bool is_digit(const parser* ps) {
  return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

static void skip_digits(parser* ps) {
  while (is_digit(ps)) ++ps->p;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? kept as written. */
static bool parse_number(parser* ps, json_value* out) {
  const char* first = ps->p;
  if (*ps->p == '-') ++ps->p;
  if (!is_digit(ps)) return fail(ps, "expected a digit");
  if (*ps->p++ != '0') skip_digits(ps);
  if (ps->p < ps->end && *ps->p == '.') {
    ++ps->p;
    if (!is_digit(ps)) return fail(ps, "expected a digit after '.'");
    skip_digits(ps);
  }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
    ++ps->p;
    if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ++ps->p;
    if (!is_digit(ps)) return fail(ps, "expected a digit in the exponent");
    skip_digits(ps);
  }
  out->text = json_string_dup(first, (size_t)(ps->p - first));
  if (out->text.data == NULL) return fail(ps, "out of memory");
  out->type = JSON_NUMBER;
  return true;
}

static bool parse_literal(parser* ps, const char* word, json_type type, bool value,
                          json_value* out) {
  size_t n = strlen(word);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
    return fail(ps, "unexpected character");
  }
  ps->p += n;
  out->type = type;
  out->boolean = value;
  return true;
}

static bool parse_value(parser* ps, json_value* out);

/* Makes room for one more item (and key, for objects); *cap is the number
 * of items allocated. */
static bool grow(json_value* v, size_t* cap) {
  if (v->count < *cap) return true;
  size_t n = *cap == 0 ? 4 : *cap * 2;
  json_value* items = realloc(v->items, n * sizeof *items);
  if (items == NULL) return false;
  v->items = items;
  if (v->type == JSON_OBJECT) {
    json_string* keys = realloc(v->keys, n * sizeof *keys);
    if (keys == NULL) return false;
    v->keys = keys;
  }
  *cap = n;
  return true;
}

static bool has_key(const json_value* object, json_string key) {
  for (size_t i = 0; i < object->count; ++i) {
    if (json_strings_equal(object->keys[i], key)) return true;
  }
  return false;
}

static bool parse_member(parser* ps, json_value* v) {
  json_string key;
  if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "expected a string key");
  if (v->count >= JSON_MAX_MEMBERS) return fail(ps, "object has too many members");
  if (!parse_string(ps, &key)) return false;
  if (has_key(v, key)) {
    free(key.data);
    return fail(ps, "duplicate key in object");
  }
  v->keys[v->count] = key;
  memset(&v->items[v->count++], 0, sizeof *v->items); /* counted: json_free frees the key */
  skip_ws(ps);
  if (ps->p >= ps->end || *ps->p != ':') return fail(ps, "expected ':'");
  ++ps->p;
  return parse_value(ps, &v->items[v->count - 1]);
}

/* At '[' or '{'; `out` already has its type. A child is counted before it is
 * parsed (parse_value starts by nulling it), so json_free can always clean up
 * a half-built container. */
static bool parse_container(parser* ps, json_value* out) {
  const char close = out->type == JSON_ARRAY ? ']' : '}';
  size_t cap = 0;
  if (++ps->depth > JSON_MAX_DEPTH) return fail(ps, "nesting too deep");
  ++ps->p;
  skip_ws(ps);
  bool more = ps->p >= ps->end || *ps->p != close; /* false for "[]" and "{}" */
  while (more) {
    if (!grow(out, &cap)) return fail(ps, "out of memory");
    skip_ws(ps);
    bool ok = out->type == JSON_ARRAY ? parse_value(ps, &out->items[out->count++])
                                       : parse_member(ps, out);
    if (!ok) return false;
    skip_ws(ps);
    more = ps->p < ps->end && *ps->p == ',';
    if (more) ++ps->p;
  }
  if (ps->p >= ps->end || *ps->p != close) {
    return fail(ps, close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
  }
  ++ps->p;
  --ps->depth;
  return true;
}

/* `out` is null on entry; on failure it holds whatever json_free must free. */
static bool parse_value(parser* ps, json_value* out) {
  memset(out, 0, sizeof *out);
  skip_ws(ps);
  if (ps->p >= ps->end) return fail(ps, "unexpected end of input");
  switch (*ps->p) {
    case '{': out->type = JSON_OBJECT; return parse_container(ps, out);
    case '[': out->type = JSON_ARRAY; return parse_container(ps, out);
    case '"': out->type = JSON_STRING; return parse_string(ps, &out->text);
    case 't': return parse_literal(ps, "true", JSON_BOOL, true, out);
    case 'f': return parse_literal(ps, "false", JSON_BOOL, false, out);
    case 'n': return parse_literal(ps, "null", JSON_NULL, false, out);
    default:
      if (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9')) return fail(ps, "unexpected character");
      return parse_number(ps, out);
  }
}

bool json_parse(const char* text, size_t len, json_value* out, char* err, size_t err_size) {
  const char* start = text != NULL ? text : ""; /* NULL is allowed when len is 0 */
  parser ps = {start, start, start + len, 0, err, err_size};
  if (parse_value(&ps, out)) {
    skip_ws(&ps);
    if (ps.p == ps.end) return true;
    fail(&ps, "trailing characters after the document");
  }
  json_free(out);
  return false;
}

void json_free(json_value* v) {
  for (size_t i = 0; i < v->count; ++i) {
    json_free(&v->items[i]);
    if (v->keys != NULL) free(v->keys[i].data);
  }
  free(v->items);
  free(v->keys);
  free(v->text.data);
  memset(v, 0, sizeof *v);
}

static size_t find_key(const json_value* object, const char* key) {
  for (size_t i = 0; object != NULL && object->type == JSON_OBJECT && i < object->count; ++i) {
    if (json_string_is(object->keys[i], key)) return i;
  }
  return SIZE_MAX;
}

json_value* json_get(const json_value* object, const char* key) {
  size_t i = find_key(object, key);
  return i == SIZE_MAX ? NULL : &object->items[i];
}

bool json_int64(const json_value* v, int64_t* out) {
  if (v == NULL || v->type != JSON_NUMBER || strpbrk(v->text.data, ".eE") != NULL) return false;
  errno = 0;
  char* end;
  long long n = strtoll(v->text.data, &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = (int64_t)n;
  return true;
}

bool json_string_eq(const json_value* v, const char* s) {
  return v != NULL && v->type == JSON_STRING && json_string_is(v->text, s);
}

bool json_string_is(json_string a, const char* s) {
  size_t len = strlen(s);
  return a.len == len && (len == 0 || memcmp(a.data, s, len) == 0);
}

bool json_strings_equal(json_string a, json_string b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

json_string json_string_dup(const char* s, size_t len) {
  json_string out = {malloc(len + 1), len};
  if (out.data != NULL) {
    if (len > 0) memcpy(out.data, s, len);
    out.data[len] = '\0';
  }
  return out;
}

json_value* json_put(json_value* object, const char* key) {
  json_value* v = json_get(object, key);
  if (v != NULL) {
    json_free(v);
    return v;
  }
  size_t cap = object->count; /* as if full: grow() makes room for one more */
  if (!grow(object, &cap)) return NULL;
  json_string k = json_string_dup(key, strlen(key));
  if (k.data == NULL) return NULL;
  object->keys[object->count] = k;
  v = &object->items[object->count++];
  memset(v, 0, sizeof *v);
  return v;
}

void json_remove(json_value* object, const char* key) {
  size_t i = find_key(object, key);
  if (i == SIZE_MAX) return;
  json_free(&object->items[i]);
  free(object->keys[i].data);
  size_t tail = object->count - i - 1;
  memmove(&object->items[i], &object->items[i + 1], tail * sizeof *object->items);
  memmove(&object->keys[i], &object->keys[i + 1], tail * sizeof *object->keys);
  --object->count;
}

bool json_set_string(json_value* v, const char* s) {
  v->text = json_string_dup(s, strlen(s));
  v->type = v->text.data != NULL ? JSON_STRING : JSON_NULL;
  return v->text.data != NULL;
}

bool json_set_int64(json_value* v, int64_t n) {
  char digits[24];
  snprintf(digits, sizeof digits, "%lld", (long long)n);
  if (!json_set_string(v, digits)) return false;
  v->type = JSON_NUMBER;
  return true;
}
