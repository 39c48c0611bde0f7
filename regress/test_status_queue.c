/*
 * The status ring of a watched extrinsic (chain/client/status_queue.h): a
 * flood of statuses from the node must never push out the one the watch
 * waits for (inBlock) or one that ends it (dropped, ...). With the ring's
 * 64 slots full of "broadcast", the real inBlock was given up and the watch
 * ran to its time limit.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "chain/client/status_queue.h"

static json_t *broadcast(int i) {
  return json_pack("{s:[s]}", "broadcast", i % 2 ? "peer-a" : "peer-b");
}

/* Pops everything; returns how many there were and the names of those of
 * rank >= 1, in order, space-separated. */
static size_t drain(sp_status_queue *q, char *names, size_t cap) {
  names[0] = '\0';
  size_t n = 0, len = 0;
  json_t *st;
  while ((st = sp_status_queue_pop(q)) != NULL) {
    n++;
    if (sp_status_rank(st) >= 1) {
      const char *name = json_is_string(st)
                             ? json_string_value(st)
                             : json_object_iter_key(json_object_iter(st));
      len += (size_t)snprintf(names + len, cap - len, "%s%s", len ? " " : "",
                              name);
    }
    json_decref(st);
  }
  return n;
}

Test(status_queue, a_flood_does_not_push_out_in_block) {
  sp_status_queue q;
  memset(&q, 0, sizeof q);
  cr_assert(sp_status_queue_push(&q, json_string("ready")));
  for (int i = 0; i < 1000; i++)
    sp_status_queue_push(&q, broadcast(i));
  cr_expect(sp_status_queue_push(&q, json_pack("{s:s}", "inBlock", "0x01")));
  for (int i = 0; i < 1000; i++)
    sp_status_queue_push(&q, broadcast(i));
  cr_expect(sp_status_queue_push(&q, json_pack("{s:s}", "finalized", "0x01")));
  char names[256];
  size_t n = drain(&q, names, sizeof names);
  cr_expect_leq(n, SP_STATUS_QUEUE_MAX);
  cr_expect_str_eq(names, "inBlock finalized");
  cr_expect_gt(q.given_up, 0);
}

Test(status_queue, an_ending_status_outranks_the_rest) {
  sp_status_queue q;
  memset(&q, 0, sizeof q);
  /* a ring full of block statuses (a reorg storm): the newer inBlock
   * replaces the oldest, and "dropped" still gets in */
  for (int i = 0; i < SP_STATUS_QUEUE_MAX; i++)
    cr_assert(sp_status_queue_push(&q, json_pack("{s:s}", "retracted", "0x")));
  cr_expect(sp_status_queue_push(&q, json_pack("{s:s}", "inBlock", "0x02")));
  cr_expect(sp_status_queue_push(&q, json_string("dropped")));
  /* a ring with no ordinary status left: an ordinary one is given up */
  cr_expect_not(sp_status_queue_push(&q, broadcast(1)));
  char names[4096];
  drain(&q, names, sizeof names);
  size_t len = strlen(names);
  const char *tail = "inBlock dropped";
  cr_expect(len >= strlen(tail) &&
                strcmp(names + len - strlen(tail), tail) == 0,
            "%s", names);
  sp_status_queue_clear(&q);
}

Test(status_queue, ranks) {
  json_t *s[] = {json_string("ready"),
                 json_string("future"),
                 json_pack("{s:[]}", "broadcast"),
                 json_pack("{s:s}", "inBlock", "0x"),
                 json_pack("{s:s}", "retracted", "0x"),
                 json_pack("{s:s}", "finalized", "0x"),
                 json_pack("{s:s}", "finalityTimeout", "0x"),
                 json_pack("{s:s}", "usurped", "0x"),
                 json_string("dropped"),
                 json_string("invalid"),
                 json_integer(7)};
  int want[] = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 0};
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
    cr_expect_eq(sp_status_rank(s[i]), want[i], "status %zu", i);
    json_decref(s[i]);
  }
}
