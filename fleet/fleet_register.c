/*
 * register/faucet across ranks (see fleet.h), above fleet_mpi.c (this
 * rank's state, the transport) and below fleet_job.c (fleet_internal.h). Rank
 * 0's solve engine gets one worker per other rank: a backend whose scan() sends
 * the work and the chunk of nonces the engine gave it to that rank, passes on
 * the solutions the rank sends back, and returns when the rank says it is done.
 * One hub thread does all of rank 0's MPI calls (MPI_THREAD_SERIALIZED); the
 * engine's threads talk to it through a mutex and condition variables. On
 * the other ranks the main thread does the MPI calls and one thread scans.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/deadline.h"
#include "common/error_record.h"
#include "engine/stop_signal.h"
#include "fleet/fleet.h"
#include "fleet/fleet_internal.h"

/* A rank that sends nothing (not even its once-a-second beat) for this long
 * is taken for dead or hung: the job ends. */
#define LOST_S 30.0
#define FOUND_MAX 256

static void deadline_in(struct timespec *ts, long us) {
  *ts = sp_deadline_after(CLOCK_REALTIME, (double)us * 1e-6);
}

/* SUBPOW_FLEET_TRACE=PREFIX: each rank appends one line per scan to
 * PREFIX.rank<R> (the tests read them to check that the ranks' nonces are
 * disjoint and that rank 0's statistics are their sum). */
static FILE *open_trace(int rank) {
  const char *p = getenv("SUBPOW_FLEET_TRACE");
  if (p == NULL || p[0] == '\0') return NULL;
  char path[4200];
  snprintf(path, sizeof path, "%s.rank%d", p, rank);
  FILE *f = fopen(path, "a");
  if (f == NULL)
    fprintf(stderr, "%s: fleet: cannot write %s\n", sp_fleet_prog(), path);
  return f;
}

static void trace_scan(FILE *f, pthread_mutex_t *mu, const char *backend,
                       sp_nonce_range range, uint64_t scanned) {
  if (f == NULL) return;
  pthread_mutex_lock(mu);
  fprintf(f,
          "rank=%d host=%s backend=%s start=%" PRIu64 " count=%" PRIu64
          " scanned=%" PRIu64 "\n",
          sp_fleet_rank(), sp_fleet_host(), backend, range.start,
          sp_nonce_range_length(range), scanned);
  fflush(f);
  pthread_mutex_unlock(mu);
}

/* ================================================== rank 0: remotes == */

typedef struct remote {
  int rank;
  char label[96];
  sp_backend_vtable vt;
  char host[SP_WIRE_HOST], backend[SP_WIRE_NAME], device[SP_WIRE_DEVICE],
      isa[SP_WIRE_ISA];
  uint32_t units, n_devices;
  pthread_cond_t cv; /* hub -> the engine worker scanning through it */
  /* The scan in flight (under hub.mu). */
  uint64_t seq;
  sp_work work;
  sp_nonce_range range;
  uint64_t range_len;
  bool scanning, assign_pending, abort_pending, done;
  uint64_t done_scanned;
  int done_rc;
  char done_err[SP_WIRE_ERR];
  uint64_t found_nonce[FOUND_MAX];
  uint8_t found_seal[FOUND_MAX][32];
  int n_found;
  uint64_t found_dropped;
  bool lost;
  char lost_why[400];
  double last_heard;
  uint64_t hashes_total;
} remote;

static struct hub {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool kick;
  atomic_bool quit;
  bool running, lost_any;
  pthread_t thread;
  remote **by_rank; /* NULL for rank 0 and ranks left out */
  remote *remotes;
  int n_remotes;
  const sp_backend_vtable **vts;
  sp_backend **bs;
  /* the local worker, wrapped when tracing */
  const sp_backend_vtable *local_vt;
  sp_backend *local_b;
  sp_backend_vtable traced_vt;
  FILE *trace;
  pthread_mutex_t trace_mu;
  /* per-host status */
  double status_t;
  uint64_t status_total, *status_hashes;
} hub = {.mu = PTHREAD_MUTEX_INITIALIZER,
         .cv = PTHREAD_COND_INITIALIZER,
         .trace_mu = PTHREAD_MUTEX_INITIALIZER};

static void kick_hub(void) {
  hub.kick = true;
  pthread_cond_signal(&hub.cv);
}

/* Under hub.mu. */
static void lose(remote *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void lose(remote *r, const char *fmt, ...) {
  if (r->lost) return;
  char why[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  snprintf(r->lost_why, sizeof r->lost_why, "rank %d (%s): %s", r->rank,
           r->host, why);
  r->lost = true;
  hub.lost_any = true;
  fprintf(stderr, "%s: fleet: %s\n", sp_fleet_prog(), r->lost_why);
  pthread_cond_broadcast(&r->cv);
}

static int remote_count(const sp_backend *b) {
  return (int)((const remote *)(const void *)b)->n_devices;
}

static void remote_describe(const sp_backend *b, int i, sp_device_info *out) {
  const remote *r = (const void *)b;
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "%s: %s", r->host, r->device);
  snprintf(out->isa, sizeof out->isa, "%s", r->isa);
  out->units = (int)r->units;
  out->id = i;
}

static void remote_close(sp_backend *b) { (void)b; /* the fleet owns it */ }

static int remote_open(const sp_backend_options *o, sp_backend **out,
                       sp_error_record *err) {
  (void)o;
  *out = NULL;
  return sp_error_fail(err, SP_EINVAL, "a fleet rank is not opened by name");
}

/* Hands the found solutions to the engine's sink (unlocking meanwhile). */
static void drain_found(remote *r, const sp_solution_sink *sink) {
  while (r->n_found > 0) {
    uint64_t nonce = r->found_nonce[0];
    uint8_t seal[32];
    memcpy(seal, r->found_seal[0], 32);
    r->n_found--;
    memmove(r->found_nonce, r->found_nonce + 1,
            (size_t)r->n_found * sizeof r->found_nonce[0]);
    memmove(r->found_seal, r->found_seal + 1, (size_t)r->n_found * 32);
    pthread_mutex_unlock(&hub.mu);
    /* The engine checks the seal with the reference before queueing it. */
    sink->found(sink->user, nonce, seal);
    pthread_mutex_lock(&hub.mu);
  }
}

static int remote_scan(sp_backend *b, const sp_work *work, sp_nonce_range range,
                       const sp_solution_sink *sink,
                       sp_keep_going_fn keep_going, void *keep_going_user,
                       uint64_t *scanned, sp_error_record *err) {
  remote *r = (void *)b;
  *scanned = 0;
  uint64_t len = sp_nonce_range_length(range);
  if (len == 0) return 0;
  pthread_mutex_lock(&hub.mu);
  if (r->lost) {
    sp_error_fail(err, SP_EINVAL, "%s", r->lost_why);
    pthread_mutex_unlock(&hub.mu);
    return -SP_EINVAL;
  }
  r->seq++;
  r->work = *work;
  r->range = range;
  r->range_len = len;
  r->scanning = true;
  r->done = false;
  r->assign_pending = true;
  r->abort_pending = false;
  r->n_found = 0;
  kick_hub();
  bool abort_sent = false;
  while (!r->done && !r->lost) {
    drain_found(r, sink);
    if (!abort_sent && keep_going != NULL && !keep_going(keep_going_user)) {
      r->abort_pending = true;
      abort_sent = true;
      kick_hub();
    }
    if (r->done || r->lost) break;
    struct timespec dl;
    deadline_in(&dl, 2000); /* keep_going is polled every 2 ms */
    pthread_cond_timedwait(&r->cv, &hub.mu, &dl);
  }
  drain_found(r, sink);
  r->scanning = false;
  int rc = 0;
  if (!r->done) {
    rc = sp_error_fail(err, SP_EINVAL, "%s", r->lost_why);
  } else {
    *scanned = r->done_scanned;
    r->hashes_total += r->done_scanned;
    rc = r->done_rc;
    if (rc != 0)
      sp_error_fail(err, -rc, "rank %d (%s): %s", r->rank, r->host,
                    r->done_err[0] ? r->done_err : "its backend failed");
  }
  pthread_mutex_unlock(&hub.mu);
  return rc;
}

/* What the hub does with a message from rank `from` (under hub.mu). */
static void handle(int from, const sp_wire_msg *m) {
  remote *r = hub.by_rank[from];
  if (r == NULL) {
    /* A rank left out (its backend did not start) only waits for the end;
     * beats are harmless, anything else is noted. */
    if (m->type != SP_WIRE_BEAT)
      fprintf(stderr, "%s: fleet: rank %d, left out, sent a %s message\n",
              sp_fleet_prog(), from, sp_wire_type_name(m->type));
    return;
  }
  r->last_heard = sp_monotonic_seconds();
  switch (m->type) {
  case SP_WIRE_BEAT: return;
  case SP_WIRE_FOUND:
    if (!r->scanning || r->done || m->seq != r->seq) {
      lose(r, "sent a solution of generation %" PRIu64 " while %s %" PRIu64,
           m->seq, r->scanning ? "scanning generation" : "idle after", r->seq);
      return;
    }
    if (m->nonce - r->range.start >= r->range_len) {
      lose(r,
           "sent nonce %" PRIu64 ", outside its chunk [%" PRIu64 ", +%" PRIu64
           ")",
           m->nonce, r->range.start, r->range_len);
      return;
    }
    if (r->n_found == FOUND_MAX) {
      r->found_dropped++;
      return;
    }
    r->found_nonce[r->n_found] = m->nonce;
    memcpy(r->found_seal[r->n_found], m->seal, 32);
    r->n_found++;
    pthread_cond_broadcast(&r->cv);
    return;
  case SP_WIRE_DONE:
    if (!r->scanning || r->done || m->seq != r->seq) {
      lose(r, "reported generation %" PRIu64 " done while at %" PRIu64, m->seq,
           r->seq);
      return;
    }
    if (m->scanned > r->range_len) {
      lose(r, "reported %" PRIu64 " nonces hashed of a chunk of %" PRIu64,
           m->scanned, r->range_len);
      return;
    }
    r->done = true;
    r->done_scanned = m->scanned;
    r->done_rc = m->rc;
    snprintf(r->done_err, sizeof r->done_err, "%s", m->err);
    pthread_cond_broadcast(&r->cv);
    return;
  case SP_WIRE_BYE: lose(r, "left the job on signal %u", m->status); return;
  default:
    lose(r, "sent a %s message in the middle of the job",
         sp_wire_type_name(m->type));
    return;
  }
}

static void *hub_main(void *arg) {
  (void)arg;
  sp_wire_msg out[64];
  int dest[64];
  while (!atomic_load(&hub.quit)) {
    bool busy = false;
    int k = 0;
    pthread_mutex_lock(&hub.mu);
    for (int i = 0; i < hub.n_remotes && k < 62; i++) {
      remote *r = &hub.remotes[i];
      if (r->lost) continue;
      if (r->assign_pending) {
        memset(&out[k], 0, sizeof out[k]);
        out[k].type = SP_WIRE_ASSIGN;
        out[k].seq = r->seq;
        out[k].work = r->work;
        out[k].range = r->range;
        dest[k++] = r->rank;
        r->assign_pending = false;
      }
      if (r->abort_pending) {
        memset(&out[k], 0, sizeof out[k]);
        out[k].type = SP_WIRE_ABORT;
        out[k].seq = r->seq;
        dest[k++] = r->rank;
        r->abort_pending = false;
      }
    }
    pthread_mutex_unlock(&hub.mu);
    for (int i = 0; i < k; i++)
      if (sp_fleet_send_msg(dest[i], &out[i]) != 0) {
        pthread_mutex_lock(&hub.mu);
        lose(hub.by_rank[dest[i]], "cannot be reached");
        pthread_mutex_unlock(&hub.mu);
      }
    busy = k > 0;
    for (int got = 0; got < 256; got++) {
      sp_wire_msg m;
      int from = -1;
      sp_error_record err = {0};
      int rc = sp_fleet_recv(-1, 0, &m, &from, NULL, NULL, &err);
      if (rc == 0) break;
      busy = true;
      pthread_mutex_lock(&hub.mu);
      if (rc < 0) {
        if (from > 0 && from < sp_fleet_size() && hub.by_rank[from] != NULL) {
          lose(hub.by_rank[from], "%s", err.message);
        } else {
          for (int i = 0; i < hub.n_remotes; i++)
            lose(&hub.remotes[i], "%s", err.message);
        }
      } else if (from > 0 && from < sp_fleet_size()) {
        handle(from, &m);
      }
      pthread_mutex_unlock(&hub.mu);
      if (rc < 0) break;
    }
    pthread_mutex_lock(&hub.mu);
    double t = sp_monotonic_seconds();
    for (int i = 0; i < hub.n_remotes; i++)
      if (t - hub.remotes[i].last_heard > LOST_S)
        lose(&hub.remotes[i], "sent nothing for %.0f s (dead or hung)", LOST_S);
    if (!busy && !hub.kick) {
      struct timespec dl;
      deadline_in(&dl, 500);
      pthread_cond_timedwait(&hub.cv, &hub.mu, &dl);
    }
    hub.kick = false;
    pthread_mutex_unlock(&hub.mu);
  }
  return NULL;
}

static int traced_scan(sp_backend *b, const sp_work *work, sp_nonce_range range,
                       const sp_solution_sink *sink, sp_keep_going_fn kg,
                       void *kgu, uint64_t *scanned, sp_error_record *err) {
  int rc = hub.local_vt->scan(b, work, range, sink, kg, kgu, scanned, err);
  trace_scan(hub.trace, &hub.trace_mu, hub.local_vt->name, range, *scanned);
  return rc;
}

int sp_fleet_workers(const sp_backend_vtable *local_vt, sp_backend *local_b,
                     const sp_backend_vtable *const **vts,
                     sp_backend *const **bs, int *n) {
  int size = sp_fleet_size();
  hub.by_rank = calloc((size_t)size, sizeof *hub.by_rank);
  hub.remotes = calloc((size_t)size, sizeof *hub.remotes);
  hub.vts = calloc((size_t)size, sizeof *hub.vts);
  hub.bs = calloc((size_t)size, sizeof *hub.bs);
  hub.status_hashes = calloc((size_t)size, sizeof *hub.status_hashes);
  if (!hub.by_rank || !hub.remotes || !hub.vts || !hub.bs ||
      !hub.status_hashes) {
    fprintf(stderr, "%s: fleet: out of memory\n", sp_fleet_prog());
    return -SP_ENOMEM;
  }
  hub.local_vt = local_vt;
  hub.local_b = local_b;
  hub.trace = open_trace(0);
  int k = 0;
  if (hub.trace != NULL) {
    hub.traced_vt = *local_vt;
    hub.traced_vt.scan = traced_scan;
    hub.vts[k] = &hub.traced_vt;
  } else {
    hub.vts[k] = local_vt;
  }
  hub.bs[k++] = local_b;
  for (int rank = 1; rank < size; rank++) {
    sp_wire_msg m;
    int from = 0;
    sp_error_record err = {0};
    char *t1 = NULL, *t2 = NULL;
    bool noted = false;
    int rc;
    /* A rank's first --backend auto verifies its backends first: that may
     * take a while, so this waits as long as it takes and says so. */
    while ((rc = sp_fleet_recv(rank, noted ? -1 : 30000, &m, &from, &t1, &t2,
                               &err)) == 0) {
      fprintf(stderr, "%s: fleet: waiting for rank %d to open its backend\n",
              sp_fleet_prog(), rank);
      noted = true;
    }
    free(t1);
    free(t2);
    if (rc < 0) sp_fleet_abort(2, err.message);
    sp_fleet_mark_heard(rank);
    if (m.type == SP_WIRE_REPORT) {
      fprintf(stderr,
              "%s: fleet: rank %d (%s) ended before solving (exit "
              "%u); going on without it\n",
              sp_fleet_prog(), rank, m.host, m.status);
      continue;
    }
    if (m.type != SP_WIRE_HELLO) {
      char why[200];
      snprintf(why, sizeof why, "rank %d sent a %s message before its hello",
               rank, sp_wire_type_name(m.type));
      sp_fleet_abort(2, why);
    }
    if (!m.ok) {
      /* The documented rule: a rank whose backend cannot start is left
       * out; the others go on. */
      fprintf(stderr,
              "%s: fleet: rank %d (%s): its backend did not start (%s); "
              "going on without it\n",
              sp_fleet_prog(), rank, m.host,
              m.err[0] ? m.err : "see its messages");
      continue;
    }
    remote *r = &hub.remotes[hub.n_remotes++];
    r->rank = rank;
    snprintf(r->host, sizeof r->host, "%s", m.host);
    snprintf(r->backend, sizeof r->backend, "%s", m.backend);
    snprintf(r->device, sizeof r->device, "%s", m.device);
    snprintf(r->isa, sizeof r->isa, "%s", m.isa);
    r->units = m.units;
    r->n_devices = m.n_devices;
    snprintf(r->label, sizeof r->label, "%s@rank%d:%s", r->backend, rank,
             r->host);
    r->vt = (sp_backend_vtable){.name = r->label,
                                .summary = "a fleet rank",
                                .open = remote_open,
                                .device_count = remote_count,
                                .describe = remote_describe,
                                .scan = remote_scan,
                                .close = remote_close};
    pthread_cond_init(&r->cv, NULL);
    r->last_heard = sp_monotonic_seconds();
    hub.by_rank[rank] = r;
    hub.vts[k] = &r->vt;
    hub.bs[k++] = (sp_backend *)(void *)r;
    fprintf(stderr, "%s: fleet: rank %d (%s): %s on %s\n", sp_fleet_prog(),
            rank, r->host, r->backend, r->device);
  }
  *vts = hub.vts;
  *bs = hub.bs;
  *n = k;
  if (hub.n_remotes > 0) {
    atomic_store(&hub.quit, false);
    if (pthread_create(&hub.thread, NULL, hub_main, NULL) != 0)
      sp_fleet_abort(2, "cannot start the fleet's hub thread");
    hub.running = true;
  }
  return 0;
}

bool sp_fleet_register_shutdown(void) {
  if (hub.running) {
    atomic_store(&hub.quit, true);
    pthread_mutex_lock(&hub.mu);
    kick_hub();
    pthread_mutex_unlock(&hub.mu);
    pthread_join(hub.thread, NULL);
    hub.running = false;
    /* An engine worker still waiting on a rank (one the engine gave up
     * joining) returns now. */
    pthread_mutex_lock(&hub.mu);
    bool lost_any = hub.lost_any;
    for (int i = 0; i < hub.n_remotes; i++)
      if (hub.remotes[i].scanning) lose(&hub.remotes[i], "the job ended");
    hub.lost_any = lost_any;
    pthread_mutex_unlock(&hub.mu);
  }
  if (hub.trace != NULL) fclose(hub.trace);
  hub.trace = NULL;
  return hub.lost_any;
}

void sp_fleet_status(sp_stats_logger *l, const sp_solve_stats *s) {
  if (!sp_fleet_active() || !l->verbose || hub.n_remotes == 0) return;
  double t = sp_monotonic_seconds();
  if (hub.status_t == 0) {
    hub.status_t = t;
    return;
  }
  if (t - hub.status_t < 5.0) return;
  double dt = t - hub.status_t;
  /* Per rank: hashes since the last note; rank 0's is the rest. */
  uint64_t remote_sum = 0;
  double rate[1024] = {0};
  int size = sp_fleet_size() < 1024 ? sp_fleet_size() : 1024;
  pthread_mutex_lock(&hub.mu);
  for (int i = 0; i < hub.n_remotes; i++) {
    remote *r = &hub.remotes[i];
    if (r->rank >= size) continue;
    rate[r->rank] = (double)(r->hashes_total - hub.status_hashes[r->rank]) / dt;
    hub.status_hashes[r->rank] = r->hashes_total;
    remote_sum += r->hashes_total;
  }
  pthread_mutex_unlock(&hub.mu);
  uint64_t local = s->hashes_total - remote_sum;
  rate[0] = (double)(local - hub.status_total) / dt;
  hub.status_total = local;
  hub.status_t = t;
  /* Summed per host, in rank order of first appearance. */
  char line[2048];
  size_t n = (size_t)snprintf(line, sizeof line, "fleet rate by host:");
  bool done[1024] = {false};
  for (int a = 0; a < size && n < sizeof line; a++) {
    if (done[a] || (a > 0 && hub.by_rank[a] == NULL)) continue;
    const char *host = a == 0 ? sp_fleet_host() : hub.by_rank[a]->host;
    double sum = 0;
    int ranks = 0;
    for (int b = a; b < size; b++) {
      if (b > 0 && hub.by_rank[b] == NULL) continue;
      const char *hb = b == 0 ? sp_fleet_host() : hub.by_rank[b]->host;
      if (strcmp(hb, host) != 0) continue;
      done[b] = true;
      sum += rate[b];
      ranks++;
    }
    char r[32];
    sp_format_rate(sum, r, sizeof r);
    n += (size_t)snprintf(line + n, sizeof line - n, " %s %s (%d rank%s)", host,
                          r, ranks, ranks == 1 ? "" : "s");
  }
  sp_stats_logger_note(l, line);
}

/* ================================================ other ranks: serve == */

typedef struct server {
  const sp_backend_vtable *vt;
  sp_backend *b;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool have_job, quit, busy, job_done;
  uint64_t seq;
  sp_work work;
  sp_nonce_range range;
  atomic_bool abort;
  uint64_t found_nonce[FOUND_MAX];
  uint8_t found_seal[FOUND_MAX][32];
  int n_found;
  uint64_t scanned;
  int rc;
  char err[SP_WIRE_ERR];
  FILE *trace;
  pthread_mutex_t trace_mu;
} server;

static void server_found(void *user, uint64_t nonce, const uint8_t seal[32]) {
  server *s = user;
  pthread_mutex_lock(&s->mu);
  if (s->n_found < FOUND_MAX) {
    s->found_nonce[s->n_found] = nonce;
    memcpy(s->found_seal[s->n_found], seal, 32);
    s->n_found++;
  }
  pthread_mutex_unlock(&s->mu);
}

static bool server_keep_going(void *user) {
  const server *s = user;
  return !atomic_load_explicit(&s->abort, memory_order_relaxed) &&
         sp_stop_signal_pending() == 0;
}

static void *server_main(void *arg) {
  server *s = arg;
  const sp_solution_sink sink = {.found = server_found, .user = s};
  pthread_mutex_lock(&s->mu);
  for (;;) {
    while (!s->have_job && !s->quit)
      pthread_cond_wait(&s->cv, &s->mu);
    if (s->quit) break;
    sp_work work = s->work;
    sp_nonce_range range = s->range;
    s->have_job = false;
    pthread_mutex_unlock(&s->mu);
    uint64_t scanned = 0;
    sp_error_record err = {0};
    int rc = s->vt->scan(s->b, &work, range, &sink, server_keep_going, s,
                         &scanned, &err);
    trace_scan(s->trace, &s->trace_mu, s->vt->name, range, scanned);
    pthread_mutex_lock(&s->mu);
    s->scanned = scanned;
    s->rc = rc < 0 && rc >= -1000 ? rc : (rc ? -SP_EINVAL : 0);
    snprintf(s->err, sizeof s->err, "%s", err.message);
    s->job_done = true;
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

static void hello(const sp_backend_vtable *vt, sp_backend *b) {
  sp_wire_msg m;
  memset(&m, 0, sizeof m);
  m.type = SP_WIRE_HELLO;
  snprintf(m.host, sizeof m.host, "%s", sp_fleet_host());
  if (vt != NULL && b != NULL) {
    sp_device_info d;
    memset(&d, 0, sizeof d);
    int nd = vt->device_count(b);
    vt->describe(b, 0, &d);
    m.ok = true;
    m.n_devices = nd > 0 ? (uint32_t)nd : 1;
    snprintf(m.backend, sizeof m.backend, "%s", vt->name);
    /* Only printable ASCII crosses (fleet_wire.h). */
    for (size_t i = 0; d.name[i] && i + 1 < sizeof m.device; i++)
      m.device[i] = d.name[i] >= 0x20 && d.name[i] < 0x7f ? d.name[i] : '?';
    for (size_t i = 0; d.isa[i] && i + 1 < sizeof m.isa; i++)
      m.isa[i] = d.isa[i] >= 0x20 && d.isa[i] < 0x7f ? d.isa[i] : '?';
    m.units = d.units > 0 ? (uint32_t)d.units : 0;
  } else {
    snprintf(m.err, sizeof m.err, "see this rank's messages above");
  }
  if (sp_fleet_send_msg(0, &m) != 0) sp_fleet_abort(2, "cannot reach rank 0");
  sp_fleet_mark_reported();
}

int sp_fleet_serve(const sp_backend_vtable *vt, sp_backend *b) {
  hello(vt, b);
  if (vt == NULL || b == NULL) return 0; /* finish waits for the end */
  static server s;
  memset(&s, 0, sizeof s);
  s.vt = vt;
  s.b = b;
  pthread_mutex_init(&s.mu, NULL);
  pthread_cond_init(&s.cv, NULL);
  pthread_mutex_init(&s.trace_mu, NULL);
  s.trace = open_trace(sp_fleet_rank());
  atomic_init(&s.abort, false);
  sp_stop_signal_clear();
  sp_stop_signal_install();
  pthread_t th;
  if (pthread_create(&th, NULL, server_main, &s) != 0)
    sp_fleet_abort(2, "cannot start the scanning thread");
  double last_beat = sp_monotonic_seconds(), bye_at = 0;
  bool ended = false;
  sp_error_record err = {0};
  while (!ended) {
    bool busy = false;
    sp_wire_msg m;
    int from = 0;
    int rc = sp_fleet_recv(0, 0, &m, &from, NULL, NULL, &err);
    if (rc < 0) sp_fleet_abort(2, err.message);
    if (rc == 1) {
      busy = true;
      pthread_mutex_lock(&s.mu);
      switch (m.type) {
      case SP_WIRE_ASSIGN:
        if (s.busy) {
          pthread_mutex_unlock(&s.mu);
          sp_fleet_abort(2, "rank 0 assigned a chunk while one was running");
        }
        s.seq = m.seq;
        s.work = m.work;
        s.range = m.range;
        s.have_job = true;
        s.busy = true;
        s.n_found = 0;
        atomic_store(&s.abort, false);
        pthread_cond_signal(&s.cv);
        break;
      case SP_WIRE_ABORT:
        if (s.busy && m.seq == s.seq) atomic_store(&s.abort, true);
        break;
      case SP_WIRE_END: ended = true; break;
      default:
        pthread_mutex_unlock(&s.mu);
        char why[200];
        snprintf(why, sizeof why, "rank 0 sent a %s message",
                 sp_wire_type_name(m.type));
        sp_fleet_abort(2, why);
      }
      pthread_mutex_unlock(&s.mu);
    }
    /* Solutions first, then the end of the scan: rank 0 takes them in this
     * order (one tag: MPI keeps a sender's order). */
    pthread_mutex_lock(&s.mu);
    int nf = s.n_found;
    uint64_t nonces[FOUND_MAX];
    uint8_t seals[FOUND_MAX][32];
    memcpy(nonces, s.found_nonce, (size_t)nf * sizeof nonces[0]);
    memcpy(seals, s.found_seal, (size_t)nf * 32);
    s.n_found = 0;
    bool done = s.job_done;
    sp_wire_msg d;
    memset(&d, 0, sizeof d);
    if (done) {
      d.type = SP_WIRE_DONE;
      d.seq = s.seq;
      d.scanned = s.scanned;
      d.rc = s.rc;
      snprintf(d.err, sizeof d.err, "%s", s.err);
      s.job_done = false;
      s.busy = false;
    }
    pthread_mutex_unlock(&s.mu);
    for (int i = 0; i < nf; i++) {
      sp_wire_msg f;
      memset(&f, 0, sizeof f);
      f.type = SP_WIRE_FOUND;
      f.seq = s.seq;
      f.nonce = nonces[i];
      memcpy(f.seal, seals[i], 32);
      if (sp_fleet_send_msg(0, &f) != 0)
        sp_fleet_abort(2, "cannot reach rank 0");
    }
    if (done && sp_fleet_send_msg(0, &d) != 0)
      sp_fleet_abort(2, "cannot reach rank 0");
    busy |= nf > 0 || done;
    double t = sp_monotonic_seconds();
    int sig = sp_stop_signal_pending();
    if (sig != 0 && bye_at == 0) {
      /* Leaving on a signal: rank 0 ends the job and says why. */
      sp_wire_msg bye;
      memset(&bye, 0, sizeof bye);
      bye.type = SP_WIRE_BYE;
      bye.status = (uint32_t)sig & 0xff;
      sp_fleet_send_msg(0, &bye);
      bye_at = t;
    }
    if (bye_at > 0 && t - bye_at > 10) /* rank 0 did not end it */
      sp_fleet_abort(128 + sig, "left on a signal");
    if (t - last_beat >= 1.0) {
      sp_wire_msg beat;
      memset(&beat, 0, sizeof beat);
      beat.type = SP_WIRE_BEAT;
      if (sp_fleet_send_msg(0, &beat) != 0)
        sp_fleet_abort(2, "cannot reach rank 0");
      last_beat = t;
    }
    if (!busy) sp_fleet_nap(300);
  }
  atomic_store(&s.abort, true);
  pthread_mutex_lock(&s.mu);
  s.quit = true;
  pthread_cond_signal(&s.cv);
  pthread_mutex_unlock(&s.mu);
  pthread_join(th, NULL);
  int sig = sp_stop_signal_pending();
  sp_stop_signal_restore();
  if (s.trace != NULL) fclose(s.trace);
  if (ended) sp_fleet_mark_ended();
  return ended ? 0 : 128 + sig;
}
