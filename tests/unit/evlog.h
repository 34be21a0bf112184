/* evlog.h: test-only helpers shared by the core unit tests: at(), a date that must
 * parse, and an event sink. The sink copies what a sink may not keep (kind, text, fields) into
 * fixed storage, so a test can run a piece of the world and then assert the events it emitted.
 * Header-only and static: each test binary gets its own copy. Needs cmocka.h and world.h first. */
#ifndef DT_TEST_EVLOG_H
#define DT_TEST_EVLOG_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* A date for a test, asserting that it parses. */
static inline dt_time_t at(const char *s) {
  dt_time_t t = 0;
  assert_int_equal(dt_time_parse(s, &t), 0);
  return t;
}

#define EVLOG_MAX 256
#define EVLOG_FIELDS 8

typedef struct evlog_field {
  char key[32];
  char val[64];                 /* every type as text: 12, 1.5, abc, true */
} evlog_field_t;

typedef struct evlog_ev {
  uint64_t seq;
  dt_time_t time;
  char kind[48];
  char text[512];
  int actor, target, vis;
  int parties[4]; int nparties;
  evlog_field_t fields[EVLOG_FIELDS]; int nfields;
} evlog_ev_t;

typedef struct evlog {
  evlog_ev_t ev[EVLOG_MAX];
  int n;
  int dropped;                  /* events past EVLOG_MAX */
} evlog_t;

static inline void evlog_sink(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  (void)sim;
  evlog_t *log = ud;
  if (log->n >= EVLOG_MAX) { log->dropped++; return; }
  evlog_ev_t *e = &log->ev[log->n++];
  memset(e, 0, sizeof *e);
  e->seq = ev->seq; e->time = ev->time;
  snprintf(e->kind, sizeof e->kind, "%s", ev->kind ? ev->kind : "");
  snprintf(e->text, sizeof e->text, "%s", ev->text ? ev->text : "");
  e->actor = ev->actor; e->target = ev->target; e->vis = ev->vis;
  for (int i = 0; i < ev->nparties && i < 4; i++) e->parties[e->nparties++] = ev->parties[i];
  for (int i = 0; i < ev->nfields && i < EVLOG_FIELDS; i++) {
    const dt_field_t *f = &ev->fields[i];
    evlog_field_t *g = &e->fields[e->nfields++];
    snprintf(g->key, sizeof g->key, "%s", f->key);
    switch (f->type) {
    case DT_F_NUM: snprintf(g->val, sizeof g->val, "%.17g", f->v.num); break;
    case DT_F_INT: snprintf(g->val, sizeof g->val, "%" PRId64, f->v.i); break;
    case DT_F_STR: snprintf(g->val, sizeof g->val, "%s", f->v.str ? f->v.str : ""); break;
    default: snprintf(g->val, sizeof g->val, "%s", f->v.b ? "true" : "false"); break;
    }
  }
}

/* Starts recording the sim's events into log (cleared first). */
static inline void evlog_attach(evlog_t *log, dt_sim_t *sim) {
  memset(log, 0, sizeof *log);
  assert_int_equal(dt_sim_add_sink(sim, evlog_sink, log), 0);
}

static inline void evlog_clear(evlog_t *log) { log->n = 0; log->dropped = 0; }

static inline int evlog_count(const evlog_t *log, const char *kind) {
  int k = 0;
  for (int i = 0; i < log->n; i++) if (strcmp(log->ev[i].kind, kind) == 0) k++;
  return k;
}

/* The nth (0-based) event of that kind; fails the test when there is none. */
static inline const evlog_ev_t *evlog_nth(const evlog_t *log, const char *kind, int nth) {
  for (int i = 0; i < log->n; i++)
    if (strcmp(log->ev[i].kind, kind) == 0 && nth-- == 0) return &log->ev[i];
  fail_msg("no event %s (#%d) among %d events", kind, nth, log->n);
  return NULL;
}

static inline const evlog_ev_t *evlog_get(const evlog_t *log, const char *kind) {
  return evlog_nth(log, kind, 0);
}

/* The field's value as text; fails the test when the event lacks it. */
static inline const char *evlog_field(const evlog_ev_t *e, const char *key) {
  for (int i = 0; i < e->nfields; i++)
    if (strcmp(e->fields[i].key, key) == 0) return e->fields[i].val;
  fail_msg("event %s has no field %s", e->kind, key);
  return NULL;
}

#endif
