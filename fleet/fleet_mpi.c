/*
 * The bottom of the fleet over MPI: this rank's state (MPI initialised, its
 * rank, the job's size, its host, which ranks were heard from), the
 * point-to-point transport (every wait polls with short sleeps: Open MPI's
 * blocking calls spin a core at 100%, which would take it from the hashing
 * on the same host), the ranks' reports and the gathering of their typed
 * results. fleet_register.c and fleet_job.c build on it; it calls neither.
 * See fleet.h and fleet_internal.h.
 */
#include <errno.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/error_record.h"
#include "fleet/fleet.h"
#include "fleet/fleet_internal.h"

/* One tag for every message, so that MPI keeps each sender's messages in
 * the order they were sent (its non-overtaking rule holds per tag). */
#define FLEET_TAG 4242

/* This rank's state; valid after sp_fleet_mpi_start. Only this file
 * touches it: the others go through the accessors below. */
static struct {
  bool active;
  int rank, size;
  char host[SP_WIRE_HOST];
  bool *heard;   /* rank 0: the first message of rank i was taken */
  bool reported; /* rank > 0: its first message went to rank 0 */
  bool got_end;  /* rank > 0: rank 0 ended the job */
} self;

bool sp_fleet_heard(int rank) {
  return self.heard != NULL && rank >= 0 && rank < self.size &&
         self.heard[rank];
}
void sp_fleet_mark_heard(int rank) {
  if (self.heard != NULL && rank >= 0 && rank < self.size)
    self.heard[rank] = true;
}
bool sp_fleet_reported(void) { return self.reported; }
void sp_fleet_mark_reported(void) { self.reported = true; }
bool sp_fleet_ended(void) { return self.got_end; }
void sp_fleet_mark_ended(void) { self.got_end = true; }

bool sp_fleet_built_with_mpi(void) { return true; }
bool sp_fleet_active(void) { return self.active; }
int sp_fleet_rank(void) { return self.active ? self.rank : 0; }
int sp_fleet_size(void) { return self.active ? self.size : 1; }
const char *sp_fleet_host(void) { return self.active ? self.host : ""; }

void sp_fleet_where(const char *device, char *out, size_t outlen) {
  if (!self.active) {
    if (outlen) out[0] = '\0';
    return;
  }
  snprintf(out, outlen, "host=%s rank=%d device=\"%s\" ", self.host, self.rank,
           device != NULL ? device : "");
}

void sp_fleet_nap(unsigned us) {
  struct timespec ts = {.tv_sec = us / 1000000u,
                        .tv_nsec = (long)(us % 1000000u) * 1000L};
  nanosleep(&ts, NULL);
}

/* Records MPI's error `rc` of the call `what`; returns -SP_EIO. */
static int mpi_error(int rc, const char *what, sp_error_record *err) {
  char s[MPI_MAX_ERROR_STRING];
  int k = 0;
  if (MPI_Error_string(rc, s, &k) != MPI_SUCCESS) snprintf(s, sizeof s, "?");
  return sp_error_fail(err, SP_EIO, "%s failed: %s", what, s);
}

/* MPI_Abort ends every rank of the job (mpirun/srun kill the others); the
 * _exit after it is for an MPI library that returns from MPI_Abort: this
 * rank must not go on (it would hash, or wait for messages, alone). */
void sp_fleet_abort(int status, const char *why) {
  fprintf(stderr, "%s: fleet: %s; ending the job\n", sp_fleet_prog(), why);
  fflush(stderr);
  fflush(stdout);
  MPI_Abort(MPI_COMM_WORLD, status);
  _exit(status);
}

int sp_fleet_send(int dest, const uint8_t *buf, size_t len) {
  sp_error_record err = {0};
  MPI_Request req;
  int rc =
      MPI_Isend(buf, (int)len, MPI_BYTE, dest, FLEET_TAG, MPI_COMM_WORLD, &req);
  if (rc != MPI_SUCCESS) {
    int code = mpi_error(rc, "MPI_Isend", &err);
    fprintf(stderr, "%s: fleet: to rank %d: %s\n", sp_fleet_prog(), dest,
            err.message);
    return code;
  }
  for (unsigned nap = 20;;) {
    int done = 0;
    rc = MPI_Test(&req, &done, MPI_STATUS_IGNORE);
    if (rc != MPI_SUCCESS) {
      int code = mpi_error(rc, "MPI_Test", &err);
      fprintf(stderr, "%s: fleet: to rank %d: %s\n", sp_fleet_prog(), dest,
              err.message);
      return code;
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
    return -SP_EINVAL;
  }
  return sp_fleet_send(dest, buf, len);
}

int sp_fleet_recv(int src, int wait_ms, sp_wire_msg *m, int *from, char **t1,
                  char **t2, sp_error_record *err) {
  double deadline = wait_ms < 0 ? 0 : sp_monotonic_seconds() + wait_ms / 1000.0;
  for (unsigned nap = 20;;) {
    int flag = 0;
    MPI_Status st;
    int rc = MPI_Iprobe(src < 0 ? MPI_ANY_SOURCE : src, FLEET_TAG,
                        MPI_COMM_WORLD, &flag, &st);
    if (rc != MPI_SUCCESS) return mpi_error(rc, "MPI_Iprobe", err);
    if (flag) {
      int count = 0;
      *from = st.MPI_SOURCE;
      if (MPI_Get_count(&st, MPI_BYTE, &count) != MPI_SUCCESS || count < 0 ||
          (unsigned)count > SP_WIRE_MAX)
        return sp_error_fail(
            err, SP_EINVAL,
            "rank %d sent a message of %d bytes (the limit is %u)", *from,
            count, SP_WIRE_MAX);
      uint8_t *buf = malloc(count > 0 ? (size_t)count : 1);
      if (buf == NULL)
        return sp_error_fail(err, SP_ENOMEM,
                             "out of memory for a %d-byte message", count);
      rc = MPI_Recv(buf, count, MPI_BYTE, *from, FLEET_TAG, MPI_COMM_WORLD,
                    MPI_STATUS_IGNORE);
      if (rc != MPI_SUCCESS) {
        free(buf);
        return mpi_error(rc, "MPI_Recv", err);
      }
      int d = sp_wire_decode(buf, (size_t)count, m, t1, t2, err);
      free(buf);
      if (d != 0)
        return sp_error_wrap(err, -d, "rank %d sent a malformed message",
                             *from);
      if (m->type == SP_WIRE_REPORT && (t1 == NULL || t2 == NULL))
        return sp_error_fail(err, SP_EINVAL,
                             "rank %d sent a report where none belongs", *from);
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

int sp_fleet_mpi_start(const char *name) {
  int provided = 0;
  int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided);
  if (rc != MPI_SUCCESS) {
    fprintf(stderr,
            "%s %s: MPI_Init failed (run under mpirun or srun, "
            "or set SUBPOW_MPI=off)\n",
            sp_fleet_prog(), name);
    return -SP_EUNAVAILABLE;
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
    return -SP_EUNAVAILABLE;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &self.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &self.size);
  read_host(self.host, sizeof self.host);
  self.heard = calloc((size_t)self.size, sizeof(bool));
  if (self.heard == NULL) {
    fprintf(stderr, "%s %s: out of memory\n", sp_fleet_prog(), name);
    MPI_Finalize();
    return -SP_ENOMEM;
  }
  self.active = true;
  return 0;
}

void sp_fleet_mpi_end(void) {
  MPI_Finalize();
  free(self.heard);
  self.heard = NULL;
  self.active = false;
}

int sp_fleet_send_report(sp_report_kind kind, int status, const char *t1,
                         const char *t2) {
  size_t l1 = strlen(t1), l2 = strlen(t2);
  if (l1 > SP_WIRE_MAX / 2) l1 = SP_WIRE_MAX / 2;
  if (l2 > SP_WIRE_MAX / 4) l2 = SP_WIRE_MAX / 4;
  sp_wire_msg m;
  memset(&m, 0, sizeof m);
  m.type = SP_WIRE_REPORT;
  m.kind = kind;
  m.status = (uint32_t)(status & 0xff);
  snprintf(m.host, sizeof m.host, "%s", self.host);
  m.text1 = t1;
  m.len1 = (uint32_t)l1;
  m.text2 = t2;
  m.len2 = (uint32_t)l2;
  size_t cap = sp_wire_report_size(m.len1, m.len2);
  uint8_t *buf = malloc(cap);
  if (buf == NULL) return -SP_ENOMEM;
  size_t len = sp_wire_encode(&m, buf, cap);
  int rc = len ? sp_fleet_send(0, buf, len) : -SP_EINVAL;
  free(buf);
  self.reported = true;
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
    sp_error_record err = {0};
    char *t1 = NULL, *t2 = NULL;
    int rc = sp_fleet_recv(r, -1, &m, &from, &t1, &t2, &err);
    if (rc < 0) sp_fleet_abort(2, err.message);
    if (m.type == SP_WIRE_REPORT) {
      self.heard[r] = true;
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
    char why[200];
    snprintf(why, sizeof why,
             "rank %d sent a %s message where its report "
             "belongs",
             r, sp_wire_type_name(m.type));
    sp_fleet_abort(2, why);
  }
}

int sp_fleet_gather(const char *type, const char *data, int status,
                    sp_fleet_part **parts, int *n) {
  *parts = NULL;
  *n = 0;
  if (!self.active) return -SP_EINVAL;
  int size = self.size;
  if (self.rank != 0) {
    int rc = sp_fleet_send_report(SP_REPORT_RESULT, status, data, type);
    return rc < 0 ? rc : 0;
  }
  sp_fleet_part *p = calloc((size_t)size, sizeof *p);
  if (p == NULL) {
    fprintf(stderr, "%s: fleet: out of memory\n", sp_fleet_prog());
    return -SP_ENOMEM;
  }
  p[0].rank = 0;
  snprintf(p[0].host, sizeof p[0].host, "%s", self.host);
  p[0].status = status;
  p[0].data = strdup(data);
  if (p[0].data == NULL) {
    free(p);
    fprintf(stderr, "%s: fleet: out of memory\n", sp_fleet_prog());
    return -SP_ENOMEM;
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
