/* The bounded status ring of a watched extrinsic; see status_queue.h. */
#include "chain/client/status_queue.h"

#include <string.h>

int sp_status_rank(const json_t *status) {
  const char *name = NULL;
  if (json_is_string(status))
    name = json_string_value(status);
  else if (json_is_object(status) && json_object_size(status) == 1)
    name = json_object_iter_key(json_object_iter((json_t *)status));
  if (name == NULL) return 0;
  static const char *const ending[] = {"dropped", "invalid", "usurped"};
  static const char *const block[] = {"inBlock", "retracted", "finalized",
                                      "finalityTimeout"};
  for (size_t i = 0; i < sizeof ending / sizeof ending[0]; i++)
    if (strcmp(name, ending[i]) == 0) return 2;
  for (size_t i = 0; i < sizeof block / sizeof block[0]; i++)
    if (strcmp(name, block[i]) == 0) return 1;
  return 0;
}

bool sp_status_queue_push(sp_status_queue *q, json_t *status) {
  if (q->n == SP_STATUS_QUEUE_MAX) {
    /* the oldest of the lowest rank, if it ranks no higher than this one */
    size_t victim = 0;
    int low = 3;
    for (size_t i = 0; i < q->n; i++) {
      int r = sp_status_rank(q->items[(q->head + i) % SP_STATUS_QUEUE_MAX]);
      if (r < low) low = r, victim = i;
    }
    q->given_up++;
    if (low > sp_status_rank(status)) {
      json_decref(status);
      return false;
    }
    json_decref(q->items[(q->head + victim) % SP_STATUS_QUEUE_MAX]);
    for (size_t i = victim; i + 1 < q->n; i++) /* close the gap, in order */
      q->items[(q->head + i) % SP_STATUS_QUEUE_MAX] =
          q->items[(q->head + i + 1) % SP_STATUS_QUEUE_MAX];
    q->n--;
  }
  q->items[(q->head + q->n) % SP_STATUS_QUEUE_MAX] = status;
  q->n++;
  return true;
}

json_t *sp_status_queue_pop(sp_status_queue *q) {
  if (q->n == 0) return NULL;
  json_t *st = q->items[q->head];
  q->head = (q->head + 1) % SP_STATUS_QUEUE_MAX;
  q->n--;
  return st;
}

void sp_status_queue_clear(sp_status_queue *q) {
  json_t *st;
  while ((st = sp_status_queue_pop(q)) != NULL)
    json_decref(st);
}
