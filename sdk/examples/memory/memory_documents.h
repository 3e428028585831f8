/*
 * memory_documents.h — the rules every incoming JSON document follows
 * (sdk/README.md, "JSON documents"), shared by config, spec, reference and
 * selector handling. Each check fills `r` with EPH_INVALID_ARGUMENT and a
 * message naming the document (`what`: "spec", "selector"...) and the member.
 */
#ifndef EPHEMERA_MEMORY_DOCUMENTS_H
#define EPHEMERA_MEMORY_DOCUMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "json_mini.h"
#include "memory.h"

/* Parses an object carrying "schema": 1 into *doc (free it with json_free;
 * left null on error). `pointer`, when not NULL, receives the JSON pointer of
 * the culprit on error: "" (the whole document) or "/schema". */
int32_t doc_parse(const char* text, size_t len, const char* what, json_value* doc,
                  const char** pointer, mem_reply* r);

/* `labels` must be an object whose values are all strings. */
int32_t doc_check_labels(const json_value* labels, const char* what, mem_reply* r);

/* "privileged" may be absent or false; true is refused (site policy). */
int32_t doc_check_privileged(const json_value* spec, mem_reply* r);

#endif /* EPHEMERA_MEMORY_DOCUMENTS_H */
