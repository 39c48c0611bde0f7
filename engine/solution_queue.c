/* The bounded solution queue; see solution_queue.h. */
#include "engine/solution_queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/deadline.h"

int sp_solution_queue_init(sp_solution_queue *q, size_t capacity) {
  memset(q, 0, sizeof *q);
  if (capacity == 0) capacity = 1;
  q->items = calloc(capacity, sizeof *q->items);
  if (q->items == NULL) return -SP_ENOMEM;
  q->cap = capacity;
  pthread_mutex_init(&q->mu, NULL);
  /* The wait uses CLOCK_MONOTONIC so that a wall-clock jump cannot stall
   * the control loop. */
  sp_cond_init_monotonic(&q->cv);
  return 0;
}

void sp_solution_queue_destroy(sp_solution_queue *q) {
  if (q->items == NULL) return;
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->cv);
  free(q->items);
  q->items = NULL;
}

bool sp_solution_queue_push(sp_solution_queue *q, const sp_engine_solution *s) {
  pthread_mutex_lock(&q->mu);
  bool ok = q->count < q->cap;
  if (ok) {
    q->items[(q->head + q->count) % q->cap] = *s;
    q->count++;
    q->pushed++;
  } else {
    q->dropped++;
  }
  pthread_cond_broadcast(&q->cv);
  pthread_mutex_unlock(&q->mu);
  return ok;
}

bool sp_solution_queue_pop(sp_solution_queue *q, sp_engine_solution *out) {
  pthread_mutex_lock(&q->mu);
  bool ok = q->count > 0;
  if (ok) {
    *out = q->items[q->head];
    q->head = (q->head + 1) % q->cap;
    q->count--;
  }
  pthread_mutex_unlock(&q->mu);
  return ok;
}

bool sp_solution_queue_wait(sp_solution_queue *q, double timeout_s) {
  struct timespec dl = sp_deadline_after(CLOCK_MONOTONIC, timeout_s);
  pthread_mutex_lock(&q->mu);
  while (q->count == 0 && !q->kicked) {
    if (pthread_cond_timedwait(&q->cv, &q->mu, &dl) == ETIMEDOUT) break;
  }
  q->kicked = false;
  bool ready = q->count > 0;
  pthread_mutex_unlock(&q->mu);
  return ready;
}

void sp_solution_queue_kick(sp_solution_queue *q) {
  pthread_mutex_lock(&q->mu);
  q->kicked = true;
  pthread_cond_broadcast(&q->cv);
  pthread_mutex_unlock(&q->mu);
}

void sp_solution_queue_counts(sp_solution_queue *q, uint64_t *pushed,
                              uint64_t *dropped) {
  pthread_mutex_lock(&q->mu);
  if (pushed) *pushed = q->pushed;
  if (dropped) *dropped = q->dropped;
  pthread_mutex_unlock(&q->mu);
}
