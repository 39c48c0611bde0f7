/*
 * The fleet over MPI: start and end of a job, the point-to-point transport
 * (every wait polls with short sleeps: Open MPI's blocking calls spin a core
 * at 100%, which would take it from the hashing on the same host), and the
 * hashrate/verify/sweep flows. See fleet.h.
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
/* What a rank may send of its captured output. */
#define CAPTURE_MAX (4u << 20)

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
  fprintf(stderr, "bench: fleet: %s; ending the job\n", why);
  fflush(stderr);
  fflush(stdout);
  MPI_Abort(MPI_COMM_WORLD, status);
  _exit(status);
}

int sp_fleet_send(int dest, const uint8_t *buf, size_t len) {
  char err[400];
  MPI_Request req;
  int rc = MPI_Isend(buf, (int)len, MPI_BYTE, dest, FLEET_TAG, MPI_COMM_WORLD,
                     &req);
  if (rc != MPI_SUCCESS) {
    mpi_error(rc, "MPI_Isend", err, sizeof err);
    fprintf(stderr, "bench: fleet: to rank %d: %s\n", dest, err);
    return -1;
  }
  for (unsigned nap = 20;;) {
    int done = 0;
    rc = MPI_Test(&req, &done, MPI_STATUS_IGNORE);
    if (rc != MPI_SUCCESS) {
      mpi_error(rc, "MPI_Test", err, sizeof err);
      fprintf(stderr, "bench: fleet: to rank %d: %s\n", dest, err);
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
    fprintf(stderr, "bench: fleet: cannot encode a %s message\n",
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
    if (wait_ms == 0 || (wait_ms > 0 && sp_monotonic_seconds() >= deadline)) return 0;
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
    fprintf(stderr, "bench %s: MPI_Init failed (run under mpirun or srun, "
                    "or set SUBPOW_MPI=off)\n", name);
    return -1;
  }
  /* Errors come back as codes: each is reported with the rank it concerns
   * instead of MPI's default of aborting without a word from us. */
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  if (provided < MPI_THREAD_SERIALIZED) {
    fprintf(stderr,
            "bench %s: this MPI library offers thread level %d; the fleet "
            "needs MPI_THREAD_SERIALIZED\n",
            name, provided);
    MPI_Finalize();
    return -1;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &sp_fleet_g.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &sp_fleet_g.size);
  read_host(sp_fleet_g.host, sizeof sp_fleet_g.host);
  sp_fleet_g.heard = calloc((size_t)sp_fleet_g.size, sizeof(bool));
  if (sp_fleet_g.heard == NULL) {
    fprintf(stderr, "bench %s: out of memory\n", name);
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
    snprintf(err, sizeof err, "rank %d sent a %s message where its report "
                              "belongs", r, sp_wire_type_name(m.type));
    sp_fleet_abort(2, err);
  }
}

static void free_reports(sp_rank_report *r, int n) {
  for (int i = 0; i < n; i++) {
    free(r[i].text1);
    free(r[i].text2);
  }
  free(r);
}

/* hashrate and verify: every rank runs the command with its output
 * captured; rank 0 prints the merge. */
static int run_captured(const char *name, int (*run)(int, char **), int argc,
                        char **argv) {
  bool hashrate = strcmp(name, "hashrate") == 0;
  bool user_json = hashrate && sp_fleet_has_flag(argc, argv, "--json", 3);
  char **av = calloc((size_t)argc + 2, sizeof *av);
  if (av == NULL) return 2;
  static char json_flag[] = "--json";
  memcpy(av, argv, (size_t)argc * sizeof *av);
  int ac = argc;
  if (hashrate) av[ac++] = json_flag; /* rows rank 0 can read */
  av[ac] = NULL;
  sp_capture cap;
  char *out = NULL, *err = NULL;
  int st;
  if (sp_capture_begin(&cap) != 0) {
    st = 2;
  } else {
    st = run(ac, av);
    sp_capture_end(&cap, CAPTURE_MAX, &out, &err);
  }
  free(av);
  if (out == NULL || err == NULL) {
    free(out);
    free(err);
    out = strdup("");
    err = strdup("bench: cannot capture this rank's output\n");
    if (st == 0) st = 2;
  }
  int size = sp_fleet_g.size;
  if (sp_fleet_g.rank != 0) {
    send_report(SP_REPORT_OUTPUT, st, out ? out : "", err ? err : "");
    free(out);
    free(err);
    return st;
  }
  sp_rank_report *reps = calloc((size_t)size, sizeof *reps);
  if (reps == NULL) sp_fleet_abort(2, "out of memory");
  reps[0].rank = 0;
  snprintf(reps[0].host, sizeof reps[0].host, "%s", sp_fleet_g.host);
  reps[0].status = st;
  reps[0].kind = SP_REPORT_OUTPUT;
  reps[0].text1 = out;
  reps[0].text2 = err;
  for (int r = 1; r < size; r++)
    take_report(r, &reps[r]);
  int job = 0;
  char *merged = hashrate ? sp_merge_hashrate(reps, size, user_json, &job)
                          : sp_merge_verify(reps, size, &job);
  char *errs = sp_merge_stderr(reps, size);
  if (errs != NULL) fputs(errs, stderr);
  if (merged != NULL) fputs(merged, stdout);
  fflush(stderr);
  fflush(stdout);
  if (merged == NULL) job = 2;
  free(merged);
  free(errs);
  free_reports(reps, size);
  return job;
}

int sp_fleet_sweep_gather(const char *csv, const char *json, int status,
                          char **merged_csv, char **merged_json,
                          int *job_status) {
  *merged_csv = *merged_json = NULL;
  *job_status = status;
  if (!sp_fleet_g.active) return -1;
  int size = sp_fleet_g.size;
  if (sp_fleet_g.rank != 0) {
    if (send_report(SP_REPORT_SWEEP, status, csv, json) != 0) return -1;
    return 0;
  }
  sp_rank_report *reps = calloc((size_t)size, sizeof *reps);
  if (reps == NULL) return -1;
  snprintf(reps[0].host, sizeof reps[0].host, "%s", sp_fleet_g.host);
  reps[0].status = status;
  reps[0].kind = SP_REPORT_SWEEP;
  reps[0].text1 = strdup(csv);
  reps[0].text2 = strdup(json);
  if (reps[0].text1 == NULL || reps[0].text2 == NULL) {
    free_reports(reps, size);
    return -1;
  }
  for (int r = 1; r < size; r++)
    take_report(r, &reps[r]);
  for (int r = 0; r < size; r++) {
    if (reps[r].kind != SP_REPORT_SWEEP) {
      /* It ended before measuring (bad usage, nothing could run): its
       * messages are on its stderr. */
      fprintf(stderr, "bench sweep: rank %d (%s) measured nothing (exit %d)\n",
              r, reps[r].host, reps[r].status);
      if (reps[r].text2 && reps[r].text2[0]) fputs(reps[r].text2, stderr);
    }
    if (*job_status == 0 && reps[r].status != 0)
      *job_status = reps[r].kind == SP_REPORT_SWEEP ? reps[r].status : 2;
    if (*job_status == 0 && reps[r].kind != SP_REPORT_SWEEP) *job_status = 2;
  }
  char err[400];
  int rc = sp_merge_sweep(reps, size, merged_csv, merged_json, err, sizeof err);
  free_reports(reps, size);
  if (rc != 0) {
    fprintf(stderr, "bench sweep: %s\n", err);
    return -1;
  }
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
  if (!reported) send_report(SP_REPORT_OUTPUT, status, "", "");
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

int sp_fleet_run(const char *name, int (*run)(int, char **), int argc,
                 char **argv) {
  if (!sp_fleet_command_aware(name)) return run(argc, argv);
  const char *why = NULL;
  sp_launch_mode mode = sp_fleet_launch_mode(&why);
  if (mode == SP_LAUNCH_BAD) {
    fprintf(stderr, "bench %s: %s\n", name, why);
    return 2;
  }
  if (mode == SP_LAUNCH_PLAIN) return run(argc, argv);
  if (start(name) != 0) return 2;
  int st;
  bool help = sp_fleet_wants_help(argc, argv);
  if (help)
    st = sp_fleet_g.rank == 0 ? run(argc, argv) : 0;
  else if (strcmp(name, "hashrate") == 0 || strcmp(name, "verify") == 0)
    st = run_captured(name, run, argc, argv);
  else
    st = run(argc, argv);
  st = finish(st);
  MPI_Finalize();
  free(sp_fleet_g.heard);
  sp_fleet_g.heard = NULL;
  sp_fleet_g.active = false;
  return st;
}
