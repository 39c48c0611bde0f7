/* The renderers of a verification report; see verify_out.h. */
#include "bench/verify_out.h"

#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "bench/json_out.h"
#include "common/sanitize.h"
#include "common/user_file.h"
#include "fleet/fleet.h"

/* The label of a fleet suite's FAIL lines, as before: `host=H rank=R
 * device="D" `. */
static void where(const sp_verify_suite *s, bool fleet, char *out,
                  size_t outlen) {
  if (!fleet) {
    out[0] = '\0';
    return;
  }
  snprintf(out, outlen, "host=%s rank=%d device=\"%s\" ", s->host, s->rank,
           strcmp(s->backend, "library") == 0 ? "reference library"
                                              : s->device);
}

void sp_verify_print_suite(FILE *out, FILE *err, const sp_verify_suite *s,
                           bool fleet) {
  char w[512], tag[128] = "";
  where(s, fleet, w, sizeof w);
  if (fleet) snprintf(tag, sizeof tag, "[%s r%d] ", s->host, s->rank);
  if (s->state == SP_VERIFY_ERROR) {
    if (strcmp(s->backend, "-") == 0)
      fprintf(out, "FAIL %s%s\n", w, s->reason);
    else
      fprintf(err, "bench verify: %s%s: %s\n", tag, s->backend, s->reason);
    return;
  }
  if (s->state == SP_VERIFY_SKIPPED) {
    fprintf(out, "%s%s: skipped: %s\n", tag, s->backend, s->reason);
    return;
  }
  for (size_t i = 0; i < s->n_cases; i++)
    for (size_t k = 0; k < s->cases[i].n_failures; k++)
      fprintf(out, "FAIL %s%s\n", w, s->cases[i].failures[k]);
  unsigned long p, f;
  sp_verify_suite_totals(s, &p, &f);
  fprintf(out, "%s%s: %lu checks, %lu failed\n", tag, s->backend, p + f, f);
}

/* Whether rank `rank` failed (a check, or it could not verify). */
static bool rank_failed(const sp_verify_report *r, int rank) {
  for (size_t i = 0; i < r->n_suites; i++) {
    const sp_verify_suite *s = &r->suites[i];
    if (s->rank != rank) continue;
    unsigned long p, f;
    sp_verify_suite_totals(s, &p, &f);
    if (f > 0 || s->state == SP_VERIFY_ERROR) return true;
  }
  return false;
}

void sp_verify_print_total(FILE *out, const sp_verify_report *r, bool fleet,
                           int ranks) {
  unsigned long p, f;
  sp_verify_report_totals(r, &p, &f);
  if (!fleet) {
    fprintf(out, "%lu passed, %lu failed\n", p, f);
    return;
  }
  /* The hosts: distinct host names among the ranks' suites. */
  int hosts = 0;
  for (size_t i = 0; i < r->n_suites; i++) {
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++)
      seen = strcmp(r->suites[j].host, r->suites[i].host) == 0;
    hosts += !seen;
  }
  fprintf(out, "fleet: %lu passed, %lu failed on %d rank%s (%d host%s)", p, f,
          ranks, ranks == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s");
  const char *sep = "; failing:";
  for (int k = 0; k < ranks; k++) {
    if (!rank_failed(r, k)) continue;
    const char *host = "";
    for (size_t i = 0; i < r->n_suites; i++)
      if (r->suites[i].rank == k) host = r->suites[i].host;
    fprintf(out, "%s rank %d (%s)", sep, k, host);
    sep = ",";
  }
  fputc('\n', out);
}

static const char *state_name(sp_verify_state s) {
  return s == SP_VERIFY_SKIPPED ? "skipped"
         : s == SP_VERIFY_ERROR ? "error"
                                : "ran";
}

int sp_verify_print_json(FILE *out, const sp_verify_report *r) {
  json_t *suites = json_array();
  for (size_t i = 0; i < r->n_suites; i++) {
    const sp_verify_suite *s = &r->suites[i];
    json_t *cases = json_array();
    for (size_t j = 0; j < s->n_cases; j++) {
      const sp_verify_case *c = &s->cases[j];
      json_t *fl = json_array();
      for (size_t k = 0; k < c->n_failures; k++)
        json_array_append_new(fl, sp_json_str(c->failures[k]));
      json_array_append_new(
          cases,
          json_pack("{s:o, s:o, s:o, s:o, s:o}", "name", sp_json_str(c->name),
                    "passed", sp_json_u64(c->passed), "failed",
                    sp_json_u64(c->failed), "seconds",
                    sp_json_fixed(c->seconds, 3), "failures", fl));
    }
    unsigned long p, f;
    sp_verify_suite_totals(s, &p, &f);
    json_t *o = json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "backend",
                          sp_json_str(s->backend), "device",
                          sp_json_str(s->device), "state", state_name(s->state),
                          "reason", sp_json_str(s->reason), "passed",
                          sp_json_u64(p), "failed", sp_json_u64(f), "seconds",
                          sp_json_fixed(s->seconds, 3), "cases", cases);
    if (o != NULL && s->rank >= 0) {
      json_object_set_new(o, "host", sp_json_str(s->host));
      json_object_set_new(o, "rank", json_integer(s->rank));
    }
    json_array_append_new(suites, o);
  }
  unsigned long p, f;
  sp_verify_report_totals(r, &p, &f);
  return sp_json_print(out, json_pack("{s:o, s:o, s:o, s:i}", "suites", suites,
                                      "passed", sp_json_u64(p), "failed",
                                      sp_json_u64(f), "status",
                                      sp_verify_report_status(r)));
}

/* ------------------------------------------------------------- JUnit -- */

/* Outside text made safe for XML 1.0 (no control characters, valid
 * UTF-8); libxml2's writer escapes the markup characters. */
static const xmlChar *clean(const char *s, char *buf, size_t cap) {
  sp_sanitize(s, buf, cap);
  return (const xmlChar *)buf;
}

static void suite_name(const sp_verify_suite *s, char *out, size_t outlen) {
  const char *dev =
      strcmp(s->backend, "library") == 0 ? "reference library" : s->device;
  if (s->rank >= 0)
    snprintf(out, outlen, "%s on %s @ %s rank %d", s->backend,
             dev[0] ? dev : "-", s->host, s->rank);
  else
    snprintf(out, outlen, "%s on %s", s->backend, dev[0] ? dev : "-");
}

static int attr(xmlTextWriterPtr w, const char *name, const char *value) {
  char buf[8192];
  return xmlTextWriterWriteAttribute(w, (const xmlChar *)name,
                                     clean(value, buf, sizeof buf)) < 0;
}

static int attr_fmt(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int attr_fmt(xmlTextWriterPtr w, const char *name, const char *fmt,
                    ...) {
  char v[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(v, sizeof v, fmt, ap);
  va_end(ap);
  return attr(w, name, v);
}

static int write_case(xmlTextWriterPtr w, const char *cls,
                      const sp_verify_case *c) {
  int bad = xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
  bad |= attr(w, "name", c->name) || attr(w, "classname", cls) ||
         attr_fmt(w, "time", "%.3f", c->seconds) ||
         attr_fmt(w, "assertions", "%lu", c->passed + c->failed);
  if (c->failed > 0) {
    char msg[1200];
    snprintf(msg, sizeof msg, "%s",
             c->n_failures ? c->failures[0] : "a check failed");
    bad |= xmlTextWriterStartElement(w, BAD_CAST "failure") < 0;
    bad |= attr(w, "message", msg);
    bad |= attr_fmt(w, "type", "%lu of %lu checks failed", c->failed,
                    c->passed + c->failed);
    for (size_t k = 0; k < c->n_failures; k++) {
      char buf[4096];
      bad |= xmlTextWriterWriteString(
                 w, clean(c->failures[k], buf, sizeof buf)) < 0;
      bad |= xmlTextWriterWriteString(w, BAD_CAST "\n") < 0;
    }
    if (c->failed > c->n_failures) {
      char more[96];
      snprintf(more, sizeof more, "(%lu more failures not kept)\n",
               c->failed - (unsigned long)c->n_failures);
      bad |= xmlTextWriterWriteString(w, BAD_CAST more) < 0;
    }
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  bad |= xmlTextWriterEndElement(w) < 0;
  return bad;
}

static int write_suite(xmlTextWriterPtr w, const sp_verify_suite *s) {
  char name[512];
  suite_name(s, name, sizeof name);
  unsigned long tests = s->n_cases, failures = 0;
  for (size_t i = 0; i < s->n_cases; i++)
    failures += s->cases[i].failed > 0;
  bool one = s->state != SP_VERIFY_RAN; /* one testcase says why */
  int bad = xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;
  bad |= attr(w, "name", name) ||
         attr_fmt(w, "tests", "%lu", one ? 1ul : tests) ||
         attr_fmt(w, "failures", "%lu", failures) ||
         attr_fmt(w, "errors", "%d", s->state == SP_VERIFY_ERROR) ||
         attr_fmt(w, "skipped", "%d", s->state == SP_VERIFY_SKIPPED) ||
         attr_fmt(w, "time", "%.3f", s->seconds);
  if (s->rank >= 0) bad |= attr(w, "hostname", s->host);
  if (one) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
    bad |= attr(w, "name",
                s->state == SP_VERIFY_SKIPPED ? "backend skipped"
                                              : "backend error") ||
           attr(w, "classname", name) || attr(w, "time", "0.000");
    bad |= xmlTextWriterStartElement(w, BAD_CAST(s->state == SP_VERIFY_SKIPPED
                                                     ? "skipped"
                                                     : "error")) < 0;
    bad |= attr(w, "message", s->reason);
    bad |= xmlTextWriterEndElement(w) < 0;
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (size_t i = 0; i < s->n_cases && !one; i++)
    bad |= write_case(w, name, &s->cases[i]);
  bad |= xmlTextWriterEndElement(w) < 0;
  return bad;
}

int sp_verify_write_junit(const char *path, const sp_verify_report *r,
                          sp_error_record *err) {
  xmlBufferPtr xb = xmlBufferCreate();
  xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
  if (w == NULL) {
    if (xb) xmlBufferFree(xb);
    return sp_error_fail(err, SP_ENOMEM, "out of memory");
  }
  unsigned long p, f, tests = 0, failures = 0, errors = 0, skipped = 0;
  double seconds = 0;
  sp_verify_report_totals(r, &p, &f);
  for (size_t i = 0; i < r->n_suites; i++) {
    const sp_verify_suite *s = &r->suites[i];
    seconds += s->seconds;
    if (s->state != SP_VERIFY_RAN) {
      tests++;
      errors += s->state == SP_VERIFY_ERROR;
      skipped += s->state == SP_VERIFY_SKIPPED;
      continue;
    }
    tests += s->n_cases;
    for (size_t j = 0; j < s->n_cases; j++)
      failures += s->cases[j].failed > 0;
  }
  xmlTextWriterSetIndent(w, 1);
  int bad = xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
  bad |= xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0;
  bad |= attr(w, "name", "bench verify") ||
         attr_fmt(w, "tests", "%lu", tests) ||
         attr_fmt(w, "failures", "%lu", failures) ||
         attr_fmt(w, "errors", "%lu", errors) ||
         attr_fmt(w, "skipped", "%lu", skipped) ||
         attr_fmt(w, "time", "%.3f", seconds);
  for (size_t i = 0; i < r->n_suites; i++)
    bad |= write_suite(w, &r->suites[i]);
  bad |= xmlTextWriterEndDocument(w) < 0;
  xmlFreeTextWriter(w);
  if (bad) {
    xmlBufferFree(xb);
    return sp_error_fail(err, SP_ENOMEM, "cannot build the XML document");
  }
  sp_error_record oerr = {0};
  FILE *fp = sp_user_file_fopen(path, 1, &oerr);
  if (fp == NULL) {
    xmlBufferFree(xb);
    if (err != NULL) *err = oerr; /* the open's code and errno */
    return -oerr.code;
  }
  size_t len = (size_t)xmlBufferLength(xb);
  bool ok = fwrite(xmlBufferContent(xb), 1, len, fp) == len;
  xmlBufferFree(xb);
  if (fclose(fp) != 0 || !ok)
    return sp_error_fail_errno(err, errno, "cannot write %s", path);
  return 0;
}

/* ------------------------------------------------------------ finish -- */

/* Rank 0 of a fleet job: every rank's report into *all (each suite
 * labelled with its host and rank; a rank without a result is one suite
 * in error). Returns the job's status, or -1 when this rank is not rank 0
 * (it sent its report) or the gather failed (2 then). */
static int gather(sp_verify_report *mine, int status, sp_verify_report *all,
                  int *ranks) {
  char *data = sp_verify_report_encode(mine);
  sp_fleet_part *parts = NULL;
  int n = 0;
  int rc = sp_fleet_gather("verify", data ? data : "{\"suites\": []}",
                           data ? status : 2, &parts, &n);
  free(data);
  if (rc <= 0) return rc < 0 ? 2 : -1;
  int job = 0;
  for (int i = 0; i < n; i++) {
    sp_verify_report one = {0};
    sp_error_record err = {0};
    if (parts[i].data == NULL ||
        sp_verify_report_decode(parts[i].data, &one, &err) != 0) {
      sp_verify_suite *s = sp_verify_report_add(&one, "-", "-");
      if (s == NULL) continue;
      s->state = SP_VERIFY_ERROR;
      if (parts[i].data == NULL)
        snprintf(s->reason, sizeof s->reason,
                 "bench verify ended with status %d without a result (see "
                 "its messages)",
                 parts[i].status);
      else
        snprintf(s->reason, sizeof s->reason, "its result does not decode: %s",
                 err.message);
    }
    for (size_t k = 0; k < one.n_suites; k++) {
      snprintf(one.suites[k].host, sizeof one.suites[k].host, "%s",
               parts[i].host);
      one.suites[k].rank = parts[i].rank;
    }
    if (parts[i].status != 0 && job == 0) job = parts[i].status == 1 ? 1 : 2;
    sp_verify_report_move(all, &one);
    sp_verify_report_free(&one);
  }
  *ranks = n;
  sp_fleet_parts_free(parts, n);
  int st = sp_verify_report_status(all);
  return st != 0 ? st : job;
}

int sp_verify_finish(sp_verify_report *rep, int status, bool json,
                     const char *junit) {
  bool fleet = sp_fleet_active();
  int st = status, ranks = 1;
  if (fleet) {
    sp_verify_report all = {0};
    int job = gather(rep, st, &all, &ranks);
    sp_verify_report_free(rep);
    if (job < 0) { /* not rank 0: rank 0 has this rank's report */
      sp_verify_report_free(&all);
      return st;
    }
    *rep = all;
    st = job;
  }
  if (json) {
    sp_verify_print_json(stdout, rep);
  } else {
    for (size_t i = 0; fleet && i < rep->n_suites; i++)
      sp_verify_print_suite(stdout, stderr, &rep->suites[i], true);
    sp_verify_print_total(stdout, rep, fleet, ranks);
  }
  fflush(stdout);
  sp_error_record err = {0};
  if (junit != NULL && sp_verify_write_junit(junit, rep, &err) != 0) {
    fprintf(stderr, "bench verify: --junit: %s\n", err.message);
    if (st == 0) st = 2;
  }
  sp_verify_report_free(rep);
  return st;
}
