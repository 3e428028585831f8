/*
 * json_mini.h — a small, strict JSON parser (to a DOM) and serializer.
 *
 * Enough for the documents of the Ephemera ABI; not a general-purpose
 * library. Strict on purpose: the host and the plugin must never disagree
 * about what a document says, so anything RFC 8259 leaves open (duplicate
 * keys, invalid UTF-8, lone surrogates) is refused rather than guessed.
 *
 * Thread safety: none needed; every function works on the values it is given.
 */
#ifndef EPHEMERA_MEMORY_JSON_MINI_H
#define EPHEMERA_MEMORY_JSON_MINI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deeper documents are refused: it bounds the parser's recursion (stack). */
#define JSON_MAX_DEPTH 64
/* Larger objects are refused: it bounds the duplicate-key check (quadratic). */
#define JSON_MAX_MEMBERS 4096

typedef enum json_type {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT
} json_type;

/* Owned bytes plus a length. `data` is also NUL-terminated for convenience,
 * but may contain NUL itself (from "\u0000"): compare with the length. */
typedef struct json_string {
  char* data;
  size_t len;
} json_string;

typedef struct json_value json_value;
struct json_value {
  json_type type;
  bool boolean;       /* JSON_BOOL */
  json_string text;   /* JSON_STRING: decoded UTF-8; JSON_NUMBER: the lexeme as
                         written, so a value re-serializes byte for byte */
  size_t count;       /* JSON_ARRAY, JSON_OBJECT: number of items */
  json_string* keys;  /* JSON_OBJECT: keys[i] names items[i], in document order */
  json_value* items;
};

/* Parses exactly one JSON value filling the whole input (whitespace aside).
 * `text` may be NULL when `len` is 0. Returns true and fills *out (free it
 * with json_free); on error returns false, leaves *out null and writes
 * "byte N: what" into err. */
bool json_parse(const char* text, size_t len, json_value* out, char* err, size_t err_size);

/* Frees what `v` owns and makes it null. */
void json_free(json_value* v);

/* The member `key` of an object, or NULL (not an object, or no such key).
 * Like strchr, returns a mutable pointer into a const argument. */
json_value* json_get(const json_value* object, const char* key);

/* True when `v` is a number written as an integer (no fraction, no exponent)
 * that fits int64_t. */
bool json_int64(const json_value* v, int64_t* out);

/* True when `v` is a string equal to the NUL-terminated `s`. */
bool json_string_eq(const json_value* v, const char* s);
bool json_string_is(json_string a, const char* s);
bool json_strings_equal(json_string a, json_string b);

/* Returns a newly allocated copy of `s` (data NULL on out of memory). */
json_string json_string_dup(const char* s, size_t len);

/* Returns the member `key` of `object`, appended as null when missing (an
 * existing member's value is freed and made null, keeping its position so
 * re-serialization stays stable). NULL when out of memory. */
json_value* json_put(json_value* object, const char* key);
/* Removes the member `key` from `object` if present. */
void json_remove(json_value* object, const char* key);
/* Turn a null value into a string / integer. False when out of memory. */
bool json_set_string(json_value* v, const char* s);
bool json_set_int64(json_value* v, int64_t n);

/* ---- serializer (json_write.c) ---------------------------------------- */

/* A growable byte buffer. A failed allocation sets `failed` and makes every
 * later append a no-op, so callers check once at the end. `data` is
 * NUL-terminated whenever it is non-NULL. Zero-initialize to start. */
typedef struct jbuf {
  char* data;
  size_t len;
  size_t cap;
  bool failed;
} jbuf;

void jbuf_bytes(jbuf* b, const char* s, size_t len);
void jbuf_cstr(jbuf* b, const char* s);
void jbuf_int64(jbuf* b, int64_t n);
/* Appends `s` as a quoted, escaped JSON string. */
void jbuf_string(jbuf* b, const char* s, size_t len);
/* Appends `v` in compact form (no whitespace, members in DOM order). */
void jbuf_value(jbuf* b, const json_value* v);
void jbuf_free(jbuf* b);

#endif /* EPHEMERA_MEMORY_JSON_MINI_H */
