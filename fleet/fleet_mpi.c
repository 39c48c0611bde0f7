/*
 * The fleet over MPI: start and end of a job, the point-to-point transport
 * (every wait polls with short sleeps: Open MPI's blocking calls spin a core
 * at 100%, which would take it from the hashing on the same host), and the
 * gathering of the ranks' typed results. See fleet.h.
 */
#include <errno.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "fleet/fleet.h"
#include "fleet/fleet_internal.h"

/* One tag for every message, so that MPI keeps each sender's messages in
 * the order they were sent (its non-overtaking rule holds per tag). */
#define FLEET_TAG 4242

sp_fleet_state sp_fleet_g;

static bool reported; /* rank > 0: its first message went to rank 0 */
static bool got_end;  /* rank > 0: rank 0 ended the job */

bool sp_fleet_built_with_mpi(void) { return true; }
bool sp_fleet_active(void) { return sp_fleet_g.active; }
int sp_fleet_rank(void) { return sp_fleet_g.active ? sp_fleet_g.rank : 0; }
int sp_fleet_size(void) { return sp_fleet_g.active ? sp_fleet_g.size : 1; }
const char *sp_fleet_host(void) {
  return sp_fleet_g.active ? sp_fleet_g.host : "";
}

void sp_fleet_where(const char *device, char *out, size_t outlen) {
  if (!sp_fleet_g.active) {
    if (outlen) out[0] = '\0';
    return;
  }
  snprintf(out, outlen, "host=%s rank=%d device=\"%s\" ", sp_fleet_g.host,
           sp_fleet_g.rank, device != NULL ? device : "");
}

void sp_fleet_nap(unsigned us) {
  struct timespec ts = {.tv_sec = us / 1000000u,
                        .tv_nsec = (long)(us % 1000000u) * 1000L};
  nanosleep(&ts, NULL);
}

static void mpi_error(int rc, const char *what, char *err, size_t errlen) {
  char s[MPI_MAX_ERROR_STRING];
  int k = 0;
  if (MPI_Error_string(rc, s, &k) != MPI_SUCCESS) snprintf(s, sizeof s, "?");
  snprintf(err, errlen, "%s failed: %s", what, s);
}

void sp_fleet_abort(int status, const char *why) {
  fprintf(stderr, "%s: fleet: %s; ending the job\n", sp_fleet_prog(), why);
  fflush(stderr);
  fflush(stdout);
  MPI_Abort(MPI_COMM_WORLD, status);
  _exit(status);
}

int sp_fleet_send(int dest, const uint8_t *buf, size_t len) {
  char err[400];
  MPI_Request req;
  int rc =
      MPI_Isend(buf, (int)len, MPI_BYTE, dest, FLEET_TAG, MPI_COMM_WORLD, &req);
  if (rc != MPI_SUCCESS) {
    mpi_error(rc, "MPI_Isend", err, sizeof err);
    fprintf(stderr, "%s: fleet: to rank %d: %s\n", sp_fleet_prog(), dest, err);
    return -1;
  }
  for (unsigned nap = 20;;) {
    int done = 0;
    rc = MPI_Test(&req, &done, MPI_STATUS_IGNORE);
    if (rc != MPI_SUCCESS) {
      mpi_error(rc, "MPI_Test", err, sizeof err);
      fprintf(stderr, "%s: fleet: to rank %d: %s\n", sp_fleet_prog(), dest,
              err);
      return -1;
    }
    if (done) return 0;
    sp_fleet_nap(nap);
    if (nap < 2000) nap *= 2;
  }
}

int sp_fleet_send_msg(int dest, const sp_wire_msg *m) {
  uint8_t buf[1024];
  size_t len = sp_wire_encode(m, buf, sizeof buf);
  if (len == 0) {
    fprintf(stderr, "%s: fleet: cannot encode a %s message\n", sp_fleet_prog(),
            sp_wire_type_name(m->type));
    return -1;
  }
  return sp_fleet_send(dest, buf, len);
}

int sp_fleet_recv(int src, int wait_ms, sp_wire_msg *m, int *from, char **t1,
                  char **t2, char *err, size_t errlen) {
  double deadline = wait_ms < 0 ? 0 : sp_monotonic_seconds() + wait_ms / 1000.0;
  for (unsigned nap = 20;;) {
    int flag = 0;
    MPI_Status st;
    int rc = MPI_Iprobe(src < 0 ? MPI_ANY_SOURCE : src, FLEET_TAG,
                        MPI_COMM_WORLD, &flag, &st);
    if (rc != MPI_SUCCESS) {
      mpi_error(rc, "MPI_Iprobe", err, errlen);
      return -1;
    }
    if (flag) {
      int count = 0;
      *from = st.MPI_SOURCE;
      if (MPI_Get_count(&st, MPI_BYTE, &count) != MPI_SUCCESS || count < 0 ||
          (unsigned)count > SP_WIRE_MAX) {
        snprintf(err, errlen,
                 "rank %d sent a message of %d bytes (the limit is %u)", *from,
                 count, SP_WIRE_MAX);
        return -1;
      }
      uint8_t *buf = malloc(count > 0 ? (size_t)count : 1);
      if (buf == NULL) {
        snprintf(err, errlen, "out of memory for a %d-byte message", count);
        return -1;
      }
      rc = MPI_Recv(buf, count, MPI_BYTE, *from, FLEET_TAG, MPI_COMM_WORLD,
                    MPI_STATUS_IGNORE);
      if (rc != MPI_SUCCESS) {
        free(buf);
        mpi_error(rc, "MPI_Recv", err, errlen);
        return -1;
      }
      char why[300];
      int d = sp_wire_decode(buf, (size_t)count, m, t1, t2, why, sizeof why);
      free(buf);
      if (d != 0) {
        snprintf(err, errlen, "rank %d sent a malformed message: %s", *from,
                 why);
        return -1;
      }
      if (m->type == SP_WIRE_REPORT && (t1 == NULL || t2 == NULL)) {
        snprintf(err, errlen, "rank %d sent a report where none belongs",
                 *from);
        return -1;
      }
      return 1;
    }
    if (wait_ms == 0 || (wait_ms > 0 && sp_monotonic_seconds() >= deadline))
      return 0;
    sp_fleet_nap(nap);
    if (nap < 1000) nap *= 2;
  }
}

/* ------------------------------------------------------ job's start -- */

static void read_host(char *out, size_t outlen) {
  char h[256] = "";
  if (gethostname(h, sizeof h) != 0) snprintf(h, sizeof h, "unknown");
  h[sizeof h - 1] = '\0';
  size_t k = 0;
  for (const char *p = h; *p && k + 1 < outlen; p++)
    out[k++] = (*p > 0x20 && *p < 0x7f && *p != '"' && *p != ',') ? *p : '_';
  out[k] = '\0';
  if (k == 0) snprintf(out, outlen, "unknown");
}

static int start(const char *name) {
  int provided = 0;
  int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided);
  if (rc != MPI_SUCCESS) {
    fprintf(stderr,
            "%s %s: MPI_Init failed (run under mpirun or srun, "
            "or set SUBPOW_MPI=off)\n",
            sp_fleet_prog(), name);
    return -1;
  }
  /* Errors come back as codes: each is reported with the rank it concerns
   * instead of MPI's default of aborting without a word from us. */
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  if (provided < MPI_THREAD_SERIALIZED) {
    fprintf(stderr,
            "%s %s: this MPI library offers thread level %d; the fleet "
            "needs MPI_THREAD_SERIALIZED\n",
            sp_fleet_prog(), name, provided);
    MPI_Finalize();
    return -1;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &sp_fleet_g.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &sp_fleet_g.size);
  read_host(sp_fleet_g.host, sizeof sp_fleet_g.host);
  sp_fleet_g.heard = calloc((size_t)sp_fleet_g.size, sizeof(bool));
  if (sp_fleet_g.heard == NULL) {
    fprintf(stderr, "%s %s: out of memory\n", sp_fleet_prog(), name);
    MPI_Finalize();
    return -1;
  }
  sp_fleet_g.active = true;
  return 0;
}

static int send_report(sp_report_kind kind, int status, const char *t1,
                       const char *t2) {
  size_t l1 = strlen(t1), l2 = strlen(t2);
  if (l1 > SP_WIRE_MAX / 2) l1 = SP_WIRE_MAX / 2;
  if (l2 > SP_WIRE_MAX / 4) l2 = SP_WIRE_MAX / 4;
  sp_wire_msg m;
  memset(&m, 0, sizeof m);
  m.type = SP_WIRE_REPORT;
  m.kind = kind;
  m.status = (uint32_t)(status & 0xff);
  snprintf(m.host, sizeof m.host, "%s", sp_fleet_g.host);
  m.text1 = t1;
  m.len1 = (uint32_t)l1;
  m.text2 = t2;
  m.len2 = (uint32_t)l2;
  size_t cap = sp_wire_report_size(m.len1, m.len2);
  uint8_t *buf = malloc(cap);
  if (buf == NULL) return -1;
  size_t len = sp_wire_encode(&m, buf, cap);
  int rc = len ? sp_fleet_send(0, buf, len) : -1;
  free(buf);
  reported = true;
  return rc;
}

/* Rank 0: the report of rank r (waiting as long as it takes: a rank that
 * dies ends the job through mpirun/srun). Aborts the job on a malformed
 * message. */
static void take_report(int r, sp_rank_report *out) {
  memset(out, 0, sizeof *out);
  out->rank = r;
  for (;;) {
    sp_wire_msg m;
    int from = 0;
    char err[400];
    char *t1 = NULL, *t2 = NULL;
    int rc = sp_fleet_recv(r, -1, &m, &from, &t1, &t2, err, sizeof err);
    if (rc < 0) sp_fleet_abort(2, err);
    if (m.type == SP_WIRE_REPORT) {
      sp_fleet_g.heard[r] = true;
      snprintf(out->host, sizeof out->host, "%s", m.host);
      out->status = (int)m.status;
      out->kind = m.kind;
      out->text1 = t1;
      out->text2 = t2;
      return;
    }
    if (m.type == SP_WIRE_BYE) {
      char why[200];
      snprintf(why, sizeof why, "rank %d left on signal %u", r, m.status);
      sp_fleet_abort(128 + (int)(m.status & 0x7f), why);
    }
    /* Anything else from a rank that is not serving is out of place. */
    snprintf(err, sizeof err,
             "rank %d sent a %s message where its report "
             "belongs",
             r, sp_wire_type_name(m.type));
    sp_fleet_abort(2, err);
  }
}

int sp_fleet_gather(const char *type, const char *data, int status,
                    sp_fleet_part **parts, int *n) {
  *parts = NULL;
  *n = 0;
  if (!sp_fleet_g.active) return -1;
  int size = sp_fleet_g.size;
  if (sp_fleet_g.rank != 0) {
    if (send_report(SP_REPORT_RESULT, status, data, type) != 0) return -1;
    return 0;
  }
  sp_fleet_part *p = calloc((size_t)size, sizeof *p);
  if (p == NULL) return -1;
  p[0].rank = 0;
  snprintf(p[0].host, sizeof p[0].host, "%s", sp_fleet_g.host);
  p[0].status = status;
  p[0].data = strdup(data);
  if (p[0].data == NULL) {
    free(p);
    return -1;
  }
  for (int r = 1; r < size; r++) {
    sp_rank_report rep;
    take_report(r, &rep);
    p[r].rank = r;
    snprintf(p[r].host, sizeof p[r].host, "%s", rep.host);
    p[r].status = rep.status;
    if (rep.kind == SP_REPORT_RESULT) {
      if (strcmp(rep.text2, type) != 0) {
        char why[300];
        snprintf(why, sizeof why,
                 "rank %d sent a %.40s result where a %.40s "
                 "result belongs",
                 r, rep.text2, type);
        sp_fleet_abort(2, why);
      }
      p[r].data = rep.text1; /* taken */
      rep.text1 = NULL;
    }
    /* Otherwise the rank ended before it had a result (bad usage, nothing
     * could run): its messages went to its own stderr. */
    free(rep.text1);
    free(rep.text2);
  }
  *parts = p;
  *n = size;
  return 1;
}

/* ------------------------------------------------------- job's end -- */

static int finish(int status) {
  bool lost = sp_fleet_register_shutdown();
  char err[400];
  if (sp_fleet_g.rank == 0) {
    /* A rank lost mid-job (dead, hung, garbled) may never reach
     * MPI_Finalize: the job ends here, its reason already printed. After a
     * signal the ranks leave on it too and wait for the end. */
    if (lost && status < 128)
      sp_fleet_abort(status ? status : 2, "a rank was lost (see above)");
    /* Every rank's first message (its hello or report) is taken before the
     * end is sent, so that no rank is left sending to a rank that stopped
     * listening. */
    for (int r = 1; r < sp_fleet_g.size; r++) {
      while (!sp_fleet_g.heard[r]) {
        sp_wire_msg m;
        int from = 0;
        char *t1 = NULL, *t2 = NULL;
        if (sp_fleet_recv(r, -1, &m, &from, &t1, &t2, err, sizeof err) < 0)
          sp_fleet_abort(status ? status : 2, err);
        free(t1);
        free(t2);
        if (m.type == SP_WIRE_HELLO || m.type == SP_WIRE_REPORT)
          sp_fleet_g.heard[r] = true;
        if (m.type == SP_WIRE_BYE) {
          snprintf(err, sizeof err, "rank %d left on signal %u", r, m.status);
          sp_fleet_abort(128 + (int)(m.status & 0x7f), err);
        }
      }
      sp_wire_msg end;
      memset(&end, 0, sizeof end);
      end.type = SP_WIRE_END;
      end.status = (uint32_t)(status & 0xff);
      if (sp_fleet_send_msg(r, &end) != 0)
        sp_fleet_abort(status ? status : 2, "cannot end the job cleanly");
    }
    return status;
  }
  if (!reported) send_report(SP_REPORT_STATUS, status, "", "");
  while (!got_end) {
    sp_wire_msg m;
    int from = 0;
    char *t1 = NULL, *t2 = NULL;
    int rc = sp_fleet_recv(0, -1, &m, &from, &t1, &t2, err, sizeof err);
    free(t1);
    free(t2);
    if (rc < 0) sp_fleet_abort(2, err);
    if (m.type == SP_WIRE_END) got_end = true;
    /* An abort or assignment that crossed our leaving is moot. */
  }
  /* Rank 0's status is the job's: ours would make mpirun end the job
   * while rank 0 may still be writing its output. */
  return 0;
}

/* For fleet_register.c: the worker saw END while serving. */
void sp_fleet_mark_ended(void);
void sp_fleet_mark_ended(void) { got_end = true; }
void sp_fleet_mark_reported(void);
void sp_fleet_mark_reported(void) { reported = true; }

int sp_fleet_run(const char *name, int (*run)(int, char **), bool aware,
                 int argc, char **argv) {
  if (!aware) return run(argc, argv);
  const char *why = NULL;
  sp_launch_mode mode = sp_fleet_launch_mode(&why);
  if (mode == SP_LAUNCH_BAD) {
    fprintf(stderr, "%s %s: %s\n", sp_fleet_prog(), name, why);
    return 2;
  }
  if (mode == SP_LAUNCH_PLAIN) return run(argc, argv);
  if (start(name) != 0) return 2;
  int st;
  bool help = sp_fleet_wants_help(argc, argv);
  if (help)
    st = sp_fleet_g.rank == 0 ? run(argc, argv) : 0;
  else
    st = run(argc, argv);
  st = finish(st);
  MPI_Finalize();
  free(sp_fleet_g.heard);
  sp_fleet_g.heard = NULL;
  sp_fleet_g.active = false;
  return st;
}
