/*
 * Benchmark (not a test): block-to-work latency of the registration flow,
 * from a block's creation on the mock node to new work in the workers,
 * over WebSocket (chain_subscribeNewHeads) and over HTTP (polling every
 * --poll-ms, default the flow's 500 ms).
 *
 *   build/regress/ws_latency [--blocks N] [--poll-ms MS] [--transport
 * ws|http|both]
 *
 * The mock node produces no blocks of its own (stalled); this program makes
 * each block (sp_mock_produce_block) 0.1 s plus a uniform 0-1 s after the
 * workers got the previous one, so that polling is met at a uniform phase,
 * and a probe backend (it hashes nothing) records when a scan first gets a
 * new block-and-hotkey hash. Latency = that moment - the block's creation,
 * both on CLOCK_MONOTONIC in this process. Prints median, p90, p99, mean,
 * min and max per transport, in milliseconds.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "chain/keys/keypair.h"
#include "chain/mock/mock_node.h"
#include "common/clock.h"
#include "engine/stop_signal.h"
#include "registration/registration.h"

#define MAX_BLOCKS 10000

static void sleep_s(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* ------------------------------------------------------ probe backend -- */

static pthread_mutex_t probe_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t probe_cv = PTHREAD_COND_INITIALIZER;
static uint8_t probe_last[32];
static unsigned probe_seen; /* distinct works seen so far */
static double probe_when[MAX_BLOCKS + 2];

struct sp_backend {
  int unused;
};

static int probe_open(const sp_backend_options *o, sp_backend **out,
                      sp_error_record *err) {
  (void)o, (void)err;
  *out = calloc(1, sizeof **out);
  return *out ? 0 : -SP_ENOMEM;
}
static int probe_count(const sp_backend *b) {
  (void)b;
  return 1;
}
static void probe_describe(const sp_backend *b, int i, sp_device_info *d) {
  (void)b, (void)i;
  memset(d, 0, sizeof *d);
}
static int probe_scan(sp_backend *b, const sp_work *w, sp_nonce_range r,
                      const sp_solution_sink *sink, sp_keep_going_fn keep_going,
                      void *kg_user, uint64_t *scanned, sp_error_record *err) {
  (void)b, (void)sink, (void)err;
  double t = sp_monotonic_seconds();
  pthread_mutex_lock(&probe_mu);
  if (memcmp(probe_last, w->block_and_hotkey_hash, 32) != 0 &&
      probe_seen < MAX_BLOCKS + 2) {
    memcpy(probe_last, w->block_and_hotkey_hash, 32);
    probe_when[probe_seen++] = t;
    pthread_cond_broadcast(&probe_cv);
  }
  pthread_mutex_unlock(&probe_mu);
  /* "hash" until told to move on: poll keep_going as a kernel would */
  while (keep_going(kg_user))
    sleep_s(0.0002);
  *scanned = r.count < 1000 ? r.count : 1000;
  return 0;
}
static void probe_close(sp_backend *b) { free(b); }

static const sp_backend_vtable probe_vtable = {
    .name = "probe",
    .summary = "records when new work arrives",
    .open = probe_open,
    .device_count = probe_count,
    .describe = probe_describe,
    .scan = probe_scan,
    .close = probe_close,
};

/* Waits up to 10 s until the probe has seen `n` works. */
static bool wait_seen(unsigned n) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 10;
  pthread_mutex_lock(&probe_mu);
  while (probe_seen < n)
    if (pthread_cond_timedwait(&probe_cv, &probe_mu, &until) != 0) break;
  bool ok = probe_seen >= n;
  pthread_mutex_unlock(&probe_mu);
  return ok;
}

/* ---------------------------------------------------------------- run -- */

typedef struct flow_arg {
  const char *url;
  sp_signer *signer;
  const uint8_t *hotkey, *coldkey;
  sp_registration_options *o;
  sp_registration_result res;
} flow_arg;

static void *flow_main(void *p) {
  flow_arg *a = p;
  sp_registration_run(a->url, a->signer, a->hotkey, a->coldkey, a->o, &a->res);
  return NULL;
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

static double pct(const double *v, unsigned n, double p) {
  double k = p * (n - 1);
  unsigned i = (unsigned)k;
  if (i + 1 >= n) return v[n - 1];
  return v[i] + (k - i) * (v[i + 1] - v[i]);
}

static int measure(const char *transport, unsigned blocks, unsigned poll_ms) {
  sp_mock_config mc;
  sp_mock_config_default(&mc);
  mc.port = 0;
  mc.stall_blocks = true;
  mc.n_subnets = 0;
  /* no seal meets it: the probe never solves, the flow never submits */
  sp_mock_config_subnet(&mc, 1, true, UINT64_MAX);
  sp_error_record mock_err = {0};
  sp_mock_node *n = sp_mock_start(&mc, &mock_err);
  if (!n) {
    fprintf(stderr, "ws_latency: %s\n", mock_err.message);
    return 2;
  }
  char url[128];
  sp_mock_ws_url(n, url, sizeof url);
  uint8_t mini[32];
  memset(mini, 0x5a, sizeof mini);
  sp_keypair kp;
  sp_signer signer;
  uint8_t coldkey[32];
  memset(coldkey, 0x77, sizeof coldkey);
  if (sp_keypair_from_mini_secret(SP_SIGNER_SR25519, mini, &kp) != 0 ||
      sp_keypair_signer(&kp, &signer) != 0) {
    fprintf(stderr, "ws_latency: cannot make a key\n");
    return 2;
  }
  sp_registration_options o;
  sp_registration_options_default(&o);
  if (poll_ms) o.poll_ms = poll_ms;
  o.transport = strcmp(transport, "ws") == 0 ? SP_RPC_TRANSPORT_WS
                                             : SP_RPC_TRANSPORT_HTTP;
  const sp_backend_vtable *vts[1] = {&probe_vtable};
  sp_backend *bs[1];
  sp_backend_options bo;
  memset(&bo, 0, sizeof bo);
  probe_open(&bo, &bs[0], NULL);
  o.vts = vts;
  o.backends = bs;
  o.n_backends = 1;
  pthread_mutex_lock(&probe_mu);
  probe_seen = 0;
  memset(probe_last, 0, sizeof probe_last);
  pthread_mutex_unlock(&probe_mu);
  sp_stop_signal_clear();
  flow_arg a = {url, &signer, kp.public_key, coldkey, &o, {0}};
  pthread_t t;
  pthread_create(&t, NULL, flow_main, &a);
  double *lat = calloc(blocks, sizeof *lat);
  unsigned got = 0;
  srand(12345);
  if (wait_seen(1)) {
    for (unsigned i = 0; i < blocks; i++) {
      /* the block interval: 0.1 s plus a uniform 0-1 s, two polling
       * periods, so that a block meets the poll at a uniform phase */
      sleep_s(0.1 + 1.0 * ((double)rand() / RAND_MAX));
      double created = sp_monotonic_seconds();
      sp_mock_produce_block(n);
      if (!wait_seen(i + 2)) {
        fprintf(stderr, "ws_latency: block %u never reached the workers\n", i);
        break;
      }
      pthread_mutex_lock(&probe_mu);
      lat[got++] = (probe_when[i + 1] - created) * 1000.0;
      pthread_mutex_unlock(&probe_mu);
    }
  } else {
    fprintf(stderr, "ws_latency: no first work\n");
  }
  sp_stop_signal_raise(2);
  pthread_join(t, NULL);
  sp_stop_signal_clear();
  sp_keypair_wipe(&kp);
  sp_mock_stop(n);
  if (got == 0) {
    free(lat);
    return 1;
  }
  qsort(lat, got, sizeof *lat, cmp_double);
  double sum = 0;
  for (unsigned i = 0; i < got; i++)
    sum += lat[i];
  printf("| %-4s | %s | %u | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n",
         transport,
         strcmp(transport, "ws") == 0
             ? "chain_subscribeNewHeads"
             : (poll_ms ? "polling (--poll-ms)" : "polling every 500 ms"),
         got, pct(lat, got, 0.5), pct(lat, got, 0.9), pct(lat, got, 0.99),
         sum / got, lat[0], lat[got - 1]);
  fflush(stdout);
  free(lat);
  return 0;
}

int main(int argc, char **argv) {
  unsigned blocks = 200, poll_ms = 0;
  const char *which = "both";
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--blocks") == 0 && i + 1 < argc)
      blocks = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--poll-ms") == 0 && i + 1 < argc)
      poll_ms = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--transport") == 0 && i + 1 < argc)
      which = argv[++i];
    else {
      fprintf(stderr, "usage: ws_latency [--blocks N] [--poll-ms MS] "
                      "[--transport ws|http|both]\n");
      return 2;
    }
  }
  if (blocks < 1 || blocks > MAX_BLOCKS ||
      (strcmp(which, "ws") && strcmp(which, "http") && strcmp(which, "both"))) {
    fprintf(stderr, "ws_latency: --blocks 1..%d, --transport ws|http|both\n",
            MAX_BLOCKS);
    return 2;
  }
  printf(
      "| transport | new blocks by | blocks | median ms | p90 ms | p99 ms "
      "| mean ms | min ms | max ms |\n|---|---|---|---|---|---|---|---|---|\n");
  int rc = 0;
  if (strcmp(which, "http") != 0) rc |= measure("ws", blocks, poll_ms);
  if (strcmp(which, "ws") != 0) rc |= measure("http", blocks, poll_ms);
  return rc;
}
