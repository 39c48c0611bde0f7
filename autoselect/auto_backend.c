/* `--backend auto`; see auto_backend.h. */
#include "autoselect/auto_backend.h"

#include "registry/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "autoselect/build_id.h"
#include "common/clock.h"
#include "verify/verify.h"

void sp_auto_backend_key(const sp_backend_vtable *vt, const sp_backend *b,
                         char *out, size_t outlen) {
  size_t n = (size_t)snprintf(out, outlen, "%s|", vt->name);
  int count = vt->device_count(b);
  for (int i = 0; i < count && n < outlen; i++) {
    sp_device_info d;
    vt->describe(b, i, &d);
    n += (size_t)snprintf(out + n, outlen - n, "%s%d/%s/%s/%d", i ? ";" : "",
                          d.id, d.name, d.isa, d.units);
  }
}

static bool before(void *user) {
  return sp_monotonic_seconds() < *(const double *)user;
}

static void ignore(void *user, uint64_t nonce, const uint8_t seal[32]) {
  (void)user, (void)nonce, (void)seal;
}

long sp_auto_preemptions(void) {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_nivcsw : 0;
}

/* Hashes per second on work no nonce solves (difficulty 2^64 - 1 leaves
 * about one seal in 2^64): an untimed warm-up sizes the samples, then
 * SP_AUTO_SAMPLES scans of the same number of nonces are timed and the
 * best counts; *disturbed as auto_backend.h says. */
static int measure_rate(const sp_backend_vtable *vt, sp_backend *b,
                        double seconds, double max_preempt, double *rate,
                        bool *disturbed, sp_error_record *err) {
  sp_work w = {.difficulty = UINT64_MAX, .rule = SP_RULE_CHAIN_LE};
  for (int i = 0; i < 32; i++)
    w.block_and_hotkey_hash[i] = (uint8_t)(7 * i + 3);
  sp_solution_sink sink = {.found = ignore};
  uint64_t scanned = 0;
  double t0 = sp_monotonic_seconds(), dl = t0 + seconds / 5;
  sp_nonce_range warm = {.start = 1ull << 40, .count = UINT64_MAX};
  int rc = vt->scan(b, &w, warm, &sink, before, &dl, &scanned, err);
  if (rc != 0) return rc;
  double warm_rate = (double)scanned / (sp_monotonic_seconds() - t0 + 1e-9);
  double per = warm_rate * seconds / SP_AUTO_SAMPLES;
  uint64_t n = per < 1024 ? 1024 : per > 1e15 ? (uint64_t)1e15 : (uint64_t)per;
  double rates[SP_AUTO_SAMPLES], best = 0, busy = 0, spent = 0;
  for (int k = 0; k < SP_AUTO_SAMPLES; k++) {
    long p0 = sp_auto_preemptions();
    double s0 = sp_monotonic_seconds();
    /* the deadline only guards against a backend far slower than the
     * warm-up said: such a sample ends early and counts what it did */
    dl = s0 + 10 * seconds + 1;
    sp_nonce_range range = {.start = (1ull << 50) + (uint64_t)k * n,
                            .count = n};
    scanned = 0;
    rc = vt->scan(b, &w, range, &sink, before, &dl, &scanned, err);
    if (rc != 0) return rc;
    double dt = sp_monotonic_seconds() - s0;
    busy += (double)(sp_auto_preemptions() - p0);
    spent += dt;
    rates[k] = dt > 0 ? (double)scanned / dt : 0;
    if (rates[k] > best) best = rates[k];
  }
  int confirmed = 0;
  for (int k = 0; k < SP_AUTO_SAMPLES; k++)
    if (rates[k] >= 0.8 * best) confirmed++;
  *rate = best;
  *disturbed =
      confirmed < SP_AUTO_CONFIRM || (spent > 0 && busy / spent > max_preempt);
  return 0;
}

struct first_failure {
  char *buf;
  size_t len;
};
static void keep_first(void *user, const char *line) {
  struct first_failure *f = user;
  if (f->buf[0] == '\0') snprintf(f->buf, f->len, "%s", line);
}

static void utc_now(char *out, size_t outlen) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Verifies and measures an opened candidate into c->entry. */
static void check_candidate(const sp_auto_config *cfg, const sp_vectors *v,
                            sp_auto_candidate *c, sp_backend *b) {
  sp_auto_entry *e = &c->entry;
  sp_verify_result r = {0};
  struct first_failure ff = {e->first_failure, sizeof e->first_failure};
  sp_error_record err = {0};
  int rc = sp_verify_backend(c->vt, b, v, cfg->seed, cfg->random_cases,
                             keep_first, &ff, &r, &err);
  if (rc != 0) {
    r.failed++;
    /* at most 199 characters of it, as before: shorter than first_failure
     * minus its prefixes, the message fits whole */
    if (e->first_failure[0] == '\0')
      snprintf(e->first_failure, sizeof e->first_failure,
               "backend error: %.199s", err.message);
  }
  e->passed = r.passed;
  e->failed = r.failed;
  e->verified = r.failed == 0 && r.passed > 0;
  e->random_cases = cfg->random_cases;
  e->seed = cfg->seed;
  utc_now(e->checked_at, sizeof e->checked_at);
  sp_error_record merr = {0};
  if (e->verified &&
      measure_rate(c->vt, b, cfg->rate_seconds, cfg->max_preemptions_per_s,
                   &e->hashes_per_second, &e->rate_disturbed, &merr) != 0) {
    e->verified = false;
    /* at most 199 characters of it, as before: the message fits whole */
    snprintf(e->first_failure, sizeof e->first_failure,
             "backend error while measuring: %.199s", merr.message);
  }
  c->measured = e->verified;
}

int sp_auto_backend_open(const sp_auto_config *cfg_in,
                         const sp_backend_options *opts,
                         const sp_backend_vtable **vt, sp_backend **b,
                         sp_auto_report *rep_out, sp_error_record *err) {
  sp_auto_config cfg = *cfg_in;
  if (cfg.seed == 0) cfg.seed = 1;
  if (cfg.random_cases == 0) cfg.random_cases = 48;
  if (!(cfg.rate_seconds > 0)) cfg.rate_seconds = 0.5;
  if (!(cfg.max_preemptions_per_s > 0))
    cfg.max_preemptions_per_s = SP_AUTO_BUSY_PREEMPTIONS_PER_S;
  sp_auto_report local;
  sp_auto_report *rep = rep_out ? rep_out : &local;
  memset(rep, 0, sizeof *rep);
  rep->chosen = -1;
  *vt = NULL;
  *b = NULL;

  char build_id[128], dir[900];
  if (cfg.build_id != NULL)
    snprintf(build_id, sizeof build_id, "%s", cfg.build_id);
  else if (sp_build_id(build_id, sizeof build_id) != 0) {
    return sp_error_fail(err, SP_EINVAL,
                         "cannot identify this executable (no build id, "
                         "/proc/self/exe unreadable)");
  }
  if (cfg.cache_dir != NULL)
    snprintf(dir, sizeof dir, "%s", cfg.cache_dir);
  else if (sp_auto_cache_default_dir(dir, sizeof dir) != 0) {
    return sp_error_fail(err, SP_EINVAL,
                         "no cache directory: set XDG_CACHE_HOME or HOME");
  }
  if (sp_auto_cache_path(dir, build_id, rep->cache_path,
                         sizeof rep->cache_path) != 0) {
    return sp_error_fail(err, SP_ERANGE, "cache path too long");
  }
  sp_auto_cache cache;
  sp_error_record lerr = {0};
  int rc = sp_auto_cache_load(rep->cache_path, build_id, &cache, &lerr);
  if (rc > 0)
    snprintf(rep->cache_note, sizeof rep->cache_note, "%s", lerr.message);
  if (rc < 0) return sp_error_fail(err, -rc, "out of memory");

  const sp_backend_vtable *const *list = cfg.candidates;
  size_t n_list = cfg.n_candidates;
  if (list == NULL) n_list = sp_backend_registry(&list);
  if (n_list > SP_AUTO_MAX_CANDIDATES) n_list = SP_AUTO_MAX_CANDIDATES;

  sp_vectors v;
  bool have_vectors = false, dirty = false;
  double best = -1;
  for (size_t i = 0; i < n_list; i++) {
    sp_auto_candidate *c = &rep->c[rep->n++];
    memset(c, 0, sizeof *c);
    c->vt = list[i];
    sp_backend *cb = NULL;
    sp_error_record oerr = {0};
    if (c->vt->open(opts, &cb, &oerr) != 0) {
      c->status = SP_AUTO_UNAVAILABLE;
      snprintf(c->note, sizeof c->note, "%s",
               oerr.message[0] ? oerr.message : "cannot open");
      continue;
    }
    sp_auto_backend_key(c->vt, cb, c->entry.key, sizeof c->entry.key);
    snprintf(c->entry.backend, sizeof c->entry.backend, "%s", c->vt->name);
    const sp_auto_entry *hit = sp_auto_cache_find(&cache, c->entry.key);
    if (hit != NULL && !cfg.refresh &&
        (!hit->verified || hit->random_cases >= cfg.random_cases)) {
      c->entry = *hit;
      c->from_cache = true;
      if (hit->verified && hit->rate_disturbed) {
        /* A rate measured on a busy machine is never trusted: measure it
         * again (the verification stands), and cache it once it is
         * undisturbed. */
        double r = 0;
        bool disturbed = true;
        if (measure_rate(c->vt, cb, cfg.rate_seconds, cfg.max_preemptions_per_s,
                         &r, &disturbed, NULL) == 0) {
          c->entry.hashes_per_second = r;
          c->entry.rate_disturbed = disturbed;
          c->measured = true;
          if (sp_auto_cache_put(&cache, &c->entry) == 0) dirty = true;
        }
      }
    } else {
      if (!have_vectors) {
        sp_error_record verr = {0};
        if (sp_vectors_load(cfg.vectors_dir, &v, &verr) != 0) {
          sp_vectors_free(&v);
          c->vt->close(cb);
          if (*b != NULL) (*vt)->close(*b);
          *vt = NULL, *b = NULL;
          rep->chosen = -1;
          sp_auto_cache_free(&cache);
          /* at most 255 characters of it, as before */
          return sp_error_fail(err, SP_EINVAL,
                               "cannot load the vectors to verify backends: "
                               "%.255s",
                               verr.message);
        }
        have_vectors = true;
      }
      check_candidate(&cfg, &v, c, cb);
      if (sp_auto_cache_put(&cache, &c->entry) == 0) dirty = true;
    }
    c->status = c->entry.verified ? SP_AUTO_VERIFIED : SP_AUTO_FAILED;
    if (!c->entry.verified) {
      memcpy(c->note, c->entry.first_failure, sizeof c->note);
      c->note[sizeof c->note - 1] = '\0';
    }
    if (c->entry.verified && c->entry.hashes_per_second > best) {
      if (*b != NULL) (*vt)->close(*b);
      *vt = c->vt;
      *b = cb;
      best = c->entry.hashes_per_second;
      rep->chosen = (int)i;
    } else {
      c->vt->close(cb);
    }
  }
  if (have_vectors) sp_vectors_free(&v);
  if (dirty) {
    sp_error_record werr = {0};
    if (sp_auto_cache_save(rep->cache_path, &cache, &werr) != 0)
      snprintf(rep->cache_note, sizeof rep->cache_note, "%s", werr.message);
  }
  sp_auto_cache_free(&cache);
  if (rep->chosen < 0) {
    char why[sizeof err->message];
    size_t k = (size_t)snprintf(why, sizeof why,
                                "no backend passed verification here");
    for (size_t i = 0; i < rep->n && k < sizeof why; i++)
      k +=
          (size_t)snprintf(why + k, sizeof why - k, "%s%s: %s", i ? "; " : " (",
                           rep->c[i].vt->name, rep->c[i].note);
    if (rep->n && k < sizeof why) snprintf(why + k, sizeof why - k, ")");
    return sp_error_fail(err, SP_EINVAL, "%s", why);
  }
  return 0;
}
