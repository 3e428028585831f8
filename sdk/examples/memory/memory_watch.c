/* memory_watch.c — the status queue and the thread that drains it. */
#include "memory_watch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often the thread looks at the clock while a worker is pending. We poll
 * rather than sleep until the due time because the host's clock may be a
 * fake one that tests move by hand. */
#define WATCH_POLL_MS 20

typedef struct watch_event {
  struct watch_event* next;
  size_t len;
  char json[];
} watch_event;

struct mem_watch {
  mem_host host;
  pthread_mutex_t control; /* held through a whole start or stop */
  pthread_mutex_t mu;      /* guards everything below */
  pthread_cond_t wake;
  bool running;
  bool stopping;
  pthread_t thread;
  watch_event* head;
  watch_event** tail;
  mem_watch_tick_fn tick;
  void* tick_ctx;
};

mem_watch* watch_new(mem_host host) {
  mem_watch* w = calloc(1, sizeof *w);
  if (w == NULL) return NULL;
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* immune to wall-clock jumps */
  pthread_cond_init(&w->wake, &attr);
  pthread_condattr_destroy(&attr);
  pthread_mutex_init(&w->control, NULL);
  pthread_mutex_init(&w->mu, NULL);
  w->host = host;
  w->tail = &w->head;
  return w;
}

void watch_free(mem_watch* w) {
  if (w == NULL) return;
  watch_stop(w);
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->mu);
  pthread_mutex_destroy(&w->control);
  free(w);
}

static watch_event* pop_locked(mem_watch* w) {
  watch_event* e = w->head;
  if (e != NULL) {
    w->head = e->next;
    if (w->head == NULL) w->tail = &w->head;
  }
  return e;
}

static void wait_poll_interval_locked(mem_watch* w) {
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_nsec += WATCH_POLL_MS * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec += 1;
    until.tv_nsec -= 1000000000L;
  }
  pthread_cond_timedwait(&w->wake, &w->mu, &until);
}

/* Pushes happen with no lock held: the host may take its time queueing. */
static void* watch_main(void* arg) {
  mem_watch* w = arg;
  pthread_mutex_lock(&w->mu);
  while (!w->stopping) {
    watch_event* e = pop_locked(w);
    if (e != NULL) {
      pthread_mutex_unlock(&w->mu);
      w->host.push_status(w->host.ctx, e->json, e->len);
      free(e);
      pthread_mutex_lock(&w->mu);
      continue;
    }
    pthread_mutex_unlock(&w->mu);
    bool may_change = w->tick(w->tick_ctx); /* may call watch_emit: no lock held */
    pthread_mutex_lock(&w->mu);
    if (w->head != NULL || w->stopping) continue;
    if (may_change) {
      wait_poll_interval_locked(w);
    } else {
      pthread_cond_wait(&w->wake, &w->mu);
    }
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

bool watch_start(mem_watch* w, mem_watch_tick_fn tick, void* tick_ctx, int* error) {
  pthread_mutex_lock(&w->control);
  pthread_mutex_lock(&w->mu);
  *error = 0;
  if (!w->running) {
    w->tick = tick;
    w->tick_ctx = tick_ctx;
    w->stopping = false;
    *error = pthread_create(&w->thread, NULL, watch_main, w);
    w->running = *error == 0;
  }
  pthread_mutex_unlock(&w->mu);
  pthread_mutex_unlock(&w->control);
  return *error == 0;
}

void watch_stop(mem_watch* w) {
  pthread_mutex_lock(&w->control);
  pthread_mutex_lock(&w->mu);
  bool was_running = w->running;
  w->stopping = true;
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->mu);
  if (was_running) pthread_join(w->thread, NULL);
  pthread_mutex_lock(&w->mu);
  w->running = false;
  for (watch_event* e = pop_locked(w); e != NULL; e = pop_locked(w)) free(e);
  pthread_mutex_unlock(&w->mu);
  pthread_mutex_unlock(&w->control);
}

void watch_emit(mem_watch* w, const char* json, size_t len) {
  pthread_mutex_lock(&w->mu);
  if (w->running && !w->stopping) {
    watch_event* e = malloc(sizeof *e + len);
    if (e != NULL) { /* a lost event is repaired by the host's next list */
      e->next = NULL;
      e->len = len;
      memcpy(e->json, json, len);
      *w->tail = e;
      w->tail = &e->next;
      pthread_cond_signal(&w->wake);
    }
  }
  pthread_mutex_unlock(&w->mu);
}
