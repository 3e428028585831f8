/*
 * memory_watch.h — delivers status changes to the host from a thread we own.
 *
 * Why a queue and a thread rather than pushing from create/stop/destroy:
 * callback_push_status is only allowed between on_watch_start and the return
 * of on_watch_stop. A push made by a create running on another host thread
 * could land after watch_stop returned. With one thread doing every push,
 * watch_stop only has to stop and join it.
 *
 * Thread safety: watch_emit may be called from any thread (it only queues);
 * watch_start and watch_stop may race each other and are serialized inside.
 */
#ifndef EPHEMERA_MEMORY_WATCH_H
#define EPHEMERA_MEMORY_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "memory.h"

typedef struct mem_watch mem_watch;

/* Called by the watch thread whenever its queue is empty, to let state that
 * changes with time alone (pending -> running) emit its changes. Returns true
 * while such a change may still come, so the thread polls instead of sleeping. */
typedef bool (*mem_watch_tick_fn)(void* ctx);

mem_watch* watch_new(mem_host host); /* NULL when out of memory */
void watch_free(mem_watch* w);       /* stops the thread first */

/* Starts the thread; true when running (also when it already was). */
bool watch_start(mem_watch* w, mem_watch_tick_fn tick, void* tick_ctx, int* error);
/* Stops and joins the thread and drops what was not delivered: the host
 * lists and reconciles when it watches again. No push after it returns. */
void watch_stop(mem_watch* w);

/* Queues a copy of a worker-info document; dropped while not watching. */
void watch_emit(mem_watch* w, const char* json, size_t len);

#endif /* EPHEMERA_MEMORY_WATCH_H */
