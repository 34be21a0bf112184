/* world.h: the core model of one run: states and their arsenals, counting rules
 * (metrics), treaties, proposals, decisions, emitted events and the simulation
 * object that owns them. Plain C: nothing here knows of Lua. Script-side data
 * (attributes, terms tables, Lua policies) is reached through opaque `ref` ints
 * that the runtime layer gives meaning to; the core only stores and passes them.
 *
 * Ownership: a dt_sim_t owns everything reachable from it; world objects live in
 * the sim's arena and die together when the run is reset or the sim is freed.
 * Pointers to world objects are borrowed and valid until dt_sim_reset/dt_sim_free. */
#ifndef DT_WORLD_H
#define DT_WORLD_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include "errors.h"
#include "simtime.h"
#include "rng.h"
#include "queue.h"
#include "arena.h"

typedef struct dt_sim dt_sim_t;

/* ---- events ------------------------------------------------------------- */

enum dt_vis { DT_VIS_PUBLIC = 0, DT_VIS_PARTIES = 1, DT_VIS_PRIVATE = 2 };

enum dt_ftype { DT_F_NUM, DT_F_INT, DT_F_STR, DT_F_BOOL };
typedef struct dt_field {
  const char *key;
  int type;
  union { double num; int64_t i; const char *str; int b; } v;
} dt_field_t;

/* An emitted event. Its strings and fields are borrowed for the duration of the
 * sink callback only; sinks copy what they keep. */
typedef struct dt_event {
  uint64_t seq;           /* 1, 2, ... in emission order within the run */
  dt_time_t time;
  const char *kind;       /* "proposal.made" */
  int actor;              /* state index, or -1 */
  int target;             /* state index, or -1 */
  int vis;                /* enum dt_vis */
  const int *parties;     /* states entitled to see it when vis != PUBLIC */
  int nparties;
  const char *text;       /* one line for the timeline, may be NULL */
  const dt_field_t *fields;
  int nfields;
} dt_event_t;

typedef void (*dt_event_cb)(dt_sim_t *sim, const dt_event_t *ev, void *ud);

/* ---- states and arsenals ------------------------------------------------- */

/* What a counting term counts on each row it selects. Missiles: the missiles
 * loaded on deployed launchers (deployed x per launcher) plus reload missiles. */
enum dt_qty { DT_Q_DEPLOYED, DT_Q_NONDEPLOYED, DT_Q_LAUNCHERS, DT_Q_WARHEADS,
              DT_Q_MISSILES, DT_Q_DEPLOYED_MISSILES, DT_Q_RELOADS, DT_Q__COUNT };
const char *dt_qty_name(int q);
int dt_qty_parse(const char *s);

/* Where a system is based; a counting term may select on it. */
enum dt_basing { DT_BASE_UNKNOWN, DT_BASE_GROUND, DT_BASE_SEA, DT_BASE_AIR, DT_BASE__COUNT };
const char *dt_basing_name(int b);
int dt_basing_parse(const char *s);

typedef struct dt_system {      /* one arsenal row; owned by the sim arena */
  const char *name;
  int state, index;             /* owning state, row index within it */
  int category;                 /* interned category id */
  int accountable;              /* counted by treaties that count accountable rows */
  int64_t deployed, nondeployed;/* launchers */
  int64_t warheads;             /* warheads on deployed launchers */
  int64_t capacity;             /* max warheads per deployed launcher, 0 = no cap */
  int64_t per_launcher_missiles;/* missiles each deployed launcher carries, >= 1 */
  int64_t reloads;              /* missiles held apart from launchers */
  double range_km;              /* 0 = unknown */
  int basing;                   /* enum dt_basing */
  int ref;                      /* runtime handle, 0 = none yet */
} dt_system_t;

typedef struct dt_state {       /* owned by the sim arena */
  const char *id, *name;
  int index;
  int human;                    /* seat held by a human team (serve) */
  dt_system_t **systems;
  int nsystems, capsystems;
  /* Warhead stockpile, when tracked: warheads on deployed launchers are the
   * systems' counts; uploads draw on the reserve and downloads return to it;
   * retired warheads await dismantlement, which removes them. */
  int stockpile;                /* 1 when tracked */
  int64_t reserve, awaiting;
  int ref;
} dt_state_t;

/* Bounds on counts, far above any real arsenal, that keep all arithmetic on
 * them (capacity x launchers, weighted sums) free of overflow. */
#define DT_COUNT_MAX ((int64_t)1000000000000)   /* 10^12 launchers or warheads */
#define DT_CAPACITY_MAX ((int64_t)1000000)      /* warheads per launcher */

/* Arsenal operations; every one refuses to make a count negative (DT_ERANGE) or
 * to put more warheads on a row than capacity allows (DT_ERANGE). */
enum dt_arsenal_op {
  DT_OP_DEPLOY,    /* non-deployed launchers -> deployed */
  DT_OP_UNDEPLOY,  /* deployed -> non-deployed; their share of warheads comes off */
  DT_OP_UPLOAD,    /* + warheads on deployed launchers */
  DT_OP_DOWNLOAD,  /* - warheads */
  DT_OP_BUILD,     /* + non-deployed launchers */
  DT_OP_RETIRE,    /* - non-deployed launchers */
  DT_OP_PRODUCE,   /* + reload missiles */
  DT_OP_ELIMINATE, /* - reload missiles */
  DT_OP__COUNT
};
const char *dt_arsenal_op_name(int op);
int dt_arsenal_op_parse(const char *s);

/* ---- groups of states ------------------------------------------------------ */

typedef struct dt_group {       /* an alliance or club (NATO, P5); owned by the arena */
  const char *id, *name;
  int index;
  int *members; int nmembers;   /* state indices, in declaration order */
  int ref;
} dt_group_t;

/* ---- metrics (counting rules) ------------------------------------------- */

typedef struct dt_metric_term {
  uint64_t cats;         /* bit i = category i; all bits = any category */
  int qty;               /* enum dt_qty */
  int64_t weight;        /* multiplier, e.g. 1 warhead per deployed bomber */
  int accountable_only;
  /* Selection on attributes; zero means no condition. A range band is
   * inclusive, [range_min, range_max] km; a row of unknown range (0) is outside
   * every band. basing: bit b = enum dt_basing b. */
  double range_min, range_max;
  unsigned basing;
} dt_metric_term_t;

/* A foreign metric is computed by the runtime (a Lua function). */
typedef int (*dt_metric_fn)(dt_sim_t *sim, int metric, const dt_state_t *s,
                            double *out, void *ud);

typedef struct dt_metric {
  const char *name, *doc;
  dt_metric_term_t *terms;
  int nterms;
  int foreign_ref;       /* nonzero: evaluated by the runtime's metric callback */
} dt_metric_t;

/* ---- treaties ------------------------------------------------------------ */

enum dt_treaty_status {
  DT_TS_SIGNED, DT_TS_IN_FORCE, DT_TS_EXTENDED, DT_TS_EXPIRED, DT_TS_SUSPENDED,
  DT_TS_TERMINATED, DT_TS__COUNT
};
enum dt_observance {
  DT_OB_COMPLYING, DT_OB_UNILATERAL, DT_OB_SUSPENDED, DT_OB_WITHDRAWN, DT_OB_NONE,
  DT_OB__COUNT
};
/* A limit; `only` selects the parties it applies to by their position in the
 * treaty's party list (bit i = parties[i]); 0 = every party. */
typedef struct dt_limit { int metric; double max; uint64_t only; } dt_limit_t;

typedef struct dt_treaty {      /* owned by the sim arena */
  const char *id, *name;
  int index;
  int *parties; int nparties;
  dt_limit_t *limits; int nlimits;
  dt_time_t signed_at, in_force_at, expires_at;   /* DT_NEVER when absent */
  int status;
  int *observance;              /* per party (index into parties) */
  dt_time_t *pledge_until;      /* per party: unilateral pledge end, DT_NEVER none */
  int extensions;               /* how many times extended */
  int max_extensions;           /* -1 unlimited */
  dt_qid_t expiry_event, entry_event;
  /* Withdrawal clause: notice in months + seconds; notice_months < 0: none. */
  int notice_months; int64_t notice_seconds;
  dt_time_t *notice_until;      /* per party: when its withdrawal takes effect */
  dt_qid_t *notice_event;       /* per party */
  unsigned char *over;          /* per party: bound and over a limit (breach) */
  double *declared;             /* per party x limit: declared value, NaN none */
  dt_time_t *declared_at;       /* per party: date of the last declaration */
  int ref;
} dt_treaty_t;

#define DT_NEVER INT64_MIN

/* ---- proposals ------------------------------------------------------------ */

enum dt_prop_status {
  DT_PS_PENDING, DT_PS_ACCEPTED, DT_PS_REJECTED, DT_PS_COUNTERED, DT_PS_WITHDRAWN,
  DT_PS_EXPIRED, DT_PS__COUNT
};

typedef struct dt_proposal {    /* owned by the sim arena */
  int index;
  int from, to;                 /* to: the first addressee */
  /* Addressees (one for a bilateral proposal) and each one's answer
   * (DT_PS_PENDING, _ACCEPTED or _REJECTED); the proposal is accepted once
   * `quorum` have accepted, rejected once that can no longer happen. */
  int *addressees; int *answers; int naddr; int quorum;
  const char *kind;
  int vis;
  int status;
  dt_time_t made_at, deadline, closed_at;   /* deadline DT_NEVER: none */
  /* Terms the core understands (kind "extension"); scripts keep the rest. */
  int treaty;                   /* -1 none */
  int ext_months; int64_t ext_seconds;
  int formal;                   /* formal extension of the treaty vs mutual pledges */
  int reciprocal;
  int countered_by;             /* proposal index, -1 none */
  dt_qid_t deadline_event;
  int ref;
} dt_proposal_t;

/* ---- decisions and policies --------------------------------------------- */

enum dt_dec_status { DT_DS_PENDING, DT_DS_ANSWERED, DT_DS_DEFAULTED, DT_DS_CANCELLED };
/* Why a decision closed: answered, or which default applied (the timeline says so). */
enum dt_dec_how {
  DT_DH_ANSWERED,
  DT_DH_DEADLINE,
  DT_DH_NO_POLICY,
  DT_DH_RELEASED,
  DT_DH_CANNOT_WAIT
};
enum dt_policy_kind { DT_POL_NONE, DT_POL_FIXED, DT_POL_WEIGHTED, DT_POL_FOREIGN };

typedef struct dt_dectype {     /* a declared kind of decision: its options */
  const char *name, *doc;
  const char **options; int noptions;
  int dflt;                     /* index of the default option */
  int64_t timeout;              /* seconds until the default applies, 0 = none */
} dt_dectype_t;

typedef struct dt_policy {
  int state, dectype;
  int kind;                     /* enum dt_policy_kind */
  int fixed;                    /* option index for FIXED */
  double *weights;              /* per option for WEIGHTED */
  int ref;                      /* FOREIGN: runtime function ref */
} dt_policy_t;

typedef struct dt_decision {    /* owned by the sim arena */
  int index;
  int state, dectype;
  int status;
  int answer;                   /* option index once closed */
  dt_time_t asked_at, deadline; /* deadline DT_NEVER: none */
  dt_qid_t deadline_event;
  int waiter;                   /* runtime ref of the suspended caller, 0 none */
  int ctx_ref;                  /* runtime ref of the context table */
} dt_decision_t;

/* ---- the simulation ------------------------------------------------------- */

/* Queue entry kinds owned by the core; kinds >= DT_K_FOREIGN go to the
 * registered foreign handler (the Lua runtime). */
enum dt_kind {
  DT_K_TREATY_ENTRY = 1, DT_K_TREATY_EXPIRY, DT_K_PROPOSAL_DEADLINE,
  DT_K_DECISION_DEADLINE, DT_K_ARSENAL_STEP, DT_K_STOP, DT_K_TREATY_WITHDRAWAL,
  DT_K_FOREIGN = 64
};

typedef int (*dt_foreign_cb)(dt_sim_t *sim, const dt_qentry_t *e, void *ud);
/* Asks the runtime to run a FOREIGN policy; returns an option index or < 0. */
typedef int (*dt_policy_cb)(dt_sim_t *sim, dt_decision_t *d, const dt_policy_t *p, void *ud);
/* Tells the runtime that a decision it waits on is closed (answer, default). */
typedef void (*dt_decided_cb)(dt_sim_t *sim, dt_decision_t *d, void *ud);

typedef struct dt_change {      /* a gradual arsenal change; owned by the arena */
  int index;
  int state, system, op;        /* system -1: a stockpile op (enum dt_stock_op) */
  int64_t total, done;
  double per_day;
  dt_time_t started;
  int active;
  dt_qid_t next;
  const char *reason;           /* why it stopped early, or NULL */
} dt_change_t;

#define DT_SIM_MAXSINKS 8

struct dt_sim {
  dt_arena_t arena;
  dt_queue_t queue;
  dt_rng_t rng;
  uint64_t run_seed;
  dt_time_t now, start, stop;
  int stopping;                 /* set by dt_sim_halt or an error */
  int failed;                   /* a script error ended the run */
  uint64_t event_seq;
  uint64_t dispatched;          /* queue entries handled */
  uint64_t arsenal_ver;         /* bumped by every change to a system or a stockpile
                                   (when(..., { reads = "arsenals" }) hooks read it) */
  const char *title;

  dt_state_t **states; int nstates, capstates;
  const char **cats; int ncats, capcats;
  const char **relnames; int nrel, caprel;
  double **rel;                 /* rel[r][i * caprel_states + j] */
  int relstride;
  dt_metric_t *metrics; int nmetrics, capmetrics;
  dt_treaty_t **treaties; int ntreaties, captreaties;
  dt_proposal_t **proposals; int nproposals, capproposals;
  dt_dectype_t *dectypes; int ndectypes, capdectypes;
  dt_policy_t *policies; int npolicies, cappolicies;
  dt_decision_t **decisions; int ndecisions, capdecisions;
  dt_change_t **changes; int nchanges, capchanges;
  dt_group_t **groups; int ngroups, capgroups;

  const dt_event_t *current;    /* event being emitted, for error reports */
  const char *handling;         /* what the loop is handling now */
  int emit_depth;

  dt_event_cb sinks[DT_SIM_MAXSINKS]; void *sink_ud[DT_SIM_MAXSINKS]; int nsinks;
  dt_foreign_cb foreign; void *foreign_ud;
  dt_policy_cb policy_cb; void *policy_ud;
  dt_decided_cb decided_cb; void *decided_ud;
  dt_metric_fn metric_cb; void *metric_ud;
  void (*after_step)(dt_sim_t *sim, void *ud); void *after_step_ud;
  dt_event_cb hook_sink; void *hook_ud;   /* called after the output sinks */
};

/* lifecycle */
dt_sim_t *dt_sim_new(void);
void dt_sim_free(dt_sim_t *sim);
/* Empties the world and queue for a new run seeded with run_seed; keeps sinks and
 * callbacks. */
void dt_sim_reset(dt_sim_t *sim, uint64_t run_seed);
int dt_sim_add_sink(dt_sim_t *sim, dt_event_cb cb, void *ud);
void dt_sim_clear_sinks(dt_sim_t *sim);

/* the loop */
int dt_sim_schedule(dt_sim_t *sim, dt_time_t t, int prio, uint32_t kind, void *ptr,
                    int64_t arg, dt_qid_t *id);
int dt_sim_cancel(dt_sim_t *sim, dt_qid_t id);
/* Handles queue entries until the queue is empty, `until` is passed, the stop time
 * is reached or the run halts. Returns 0, or the negative code of a failure. */
int dt_sim_run(dt_sim_t *sim, dt_time_t until);
/* Handles exactly one entry; 1 if one was handled, 0 if none is due by until. */
int dt_sim_step(dt_sim_t *sim, dt_time_t until);
void dt_sim_halt(dt_sim_t *sim);

/* events */
int dt_sim_emit(dt_sim_t *sim, const dt_event_t *ev);
/* Convenience: emit kind with actor/target, printf-style text, no fields. */
int dt_sim_emitf(dt_sim_t *sim, const char *kind, int actor, int target, int vis,
                 const dt_field_t *fields, int nfields, const char *fmt, ...)
  __attribute__((format(printf, 8, 9)));
int dt_event_visible_to(const dt_event_t *ev, int state);

/* states, relations, categories */
int dt_state_add(dt_sim_t *sim, const char *id, const char *name, dt_state_t **out);
dt_state_t *dt_state_find(dt_sim_t *sim, const char *id);
int dt_category_intern(dt_sim_t *sim, const char *name);     /* >= 0 or DT_E* */
int dt_category_find(const dt_sim_t *sim, const char *name); /* -1 if unknown */
int dt_relation_intern(dt_sim_t *sim, const char *name);
int dt_relation_find(const dt_sim_t *sim, const char *name);
double dt_relation_get(const dt_sim_t *sim, int rel, int a, int b);
void dt_relation_set(dt_sim_t *sim, int rel, int a, int b, double v);

/* groups: members are distinct states; ids are unique among groups and states */
int dt_group_add(dt_sim_t *sim, const char *id, const char *name, const int *members,
                 int n, dt_group_t **out);
dt_group_t *dt_group_find(dt_sim_t *sim, const char *id);
int dt_group_has(const dt_group_t *g, int state);

/* arsenals */
int dt_system_add(dt_sim_t *sim, dt_state_t *s, const char *name, int category,
                  int64_t deployed, int64_t nondeployed, int64_t warheads,
                  int64_t capacity, int accountable, dt_system_t **out);
dt_system_t *dt_system_find(const dt_state_t *s, const char *name);
int dt_arsenal_apply(dt_sim_t *sim, dt_system_t *sys, int op, int64_t n);
/* Applies op at once and emits arsenal.<op> for the timeline. */
int dt_arsenal_change_now(dt_sim_t *sim, dt_system_t *sys, int op, int64_t n);
/* Starts a gradual change of `total` units at per_day units a day, applied in
 * whole units on the days they fall due. */
int dt_arsenal_schedule(dt_sim_t *sim, dt_system_t *sys, int op, int64_t total,
                        double per_day, dt_change_t **out);
int dt_change_cancel(dt_sim_t *sim, dt_change_t *c);
int64_t dt_arsenal_qty(const dt_state_t *s, int qty, uint64_t cats, int accountable_only);
/* How many units of op the row can take now (0 when none). */
int64_t dt_arsenal_room(const dt_sim_t *sim, const dt_system_t *sys, int op);
/* A term's value for one state (its selection and weight applied). */
double dt_metric_term_eval(const dt_metric_term_t *t, const dt_state_t *s);

/* The warhead stockpile of a state. */
enum dt_stock_op {
  DT_SOP_PRODUCE,   /* + reserve */
  DT_SOP_RETIRE,    /* reserve -> awaiting dismantlement */
  DT_SOP_DISMANTLE, /* - awaiting dismantlement */
  DT_SOP__COUNT
};
const char *dt_stock_op_name(int op);
int dt_stock_op_parse(const char *s);
/* Starts tracking the stockpile: reserve and awaiting dismantlement. */
int dt_stockpile_set(dt_sim_t *sim, dt_state_t *s, int64_t reserve, int64_t awaiting);
int dt_stockpile_apply(dt_sim_t *sim, dt_state_t *s, int op, int64_t n);
/* Applies a stockpile op at once and emits stockpile.<op>. */
int dt_stockpile_change_now(dt_sim_t *sim, dt_state_t *s, int op, int64_t n);
/* A stockpile op at a rate, like dt_arsenal_schedule. */
int dt_stockpile_schedule(dt_sim_t *sim, dt_state_t *s, int op, int64_t total,
                          double per_day, dt_change_t **out);
int64_t dt_stockpile_deployed(const dt_state_t *s);   /* warheads on launchers */

/* metrics */
int dt_metric_add(dt_sim_t *sim, const char *name, const char *doc,
                  const dt_metric_term_t *terms, int nterms, int foreign_ref);
int dt_metric_find(const dt_sim_t *sim, const char *name);
int dt_metric_eval(dt_sim_t *sim, int metric, const dt_state_t *s, double *out);

/* treaties */
int dt_treaty_add(dt_sim_t *sim, const char *id, const char *name,
                  const int *parties, int nparties, const dt_limit_t *limits,
                  int nlimits, dt_time_t signed_at, dt_time_t in_force_at,
                  dt_time_t expires_at, int max_extensions, dt_treaty_t **out);
dt_treaty_t *dt_treaty_find(dt_sim_t *sim, const char *id);
int dt_treaty_party(const dt_treaty_t *t, int state);  /* position or -1 */
int dt_treaty_set_status(dt_sim_t *sim, dt_treaty_t *t, int status, const char *why);
int dt_treaty_set_observance(dt_sim_t *sim, dt_treaty_t *t, int state, int ob,
                             const char *why);
int dt_treaty_extend(dt_sim_t *sim, dt_treaty_t *t, int months, int64_t seconds);
int dt_treaty_pledge(dt_sim_t *sim, dt_treaty_t *t, int state, dt_time_t until);
/* 1 if every limit holds for the state, 0 if one is exceeded, < 0 on error. */
int dt_treaty_complies(dt_sim_t *sim, dt_treaty_t *t, int state);
/* 1 if the limits bind the state now: in force, or pledged, and observed. */
int dt_treaty_binds(const dt_sim_t *sim, const dt_treaty_t *t, int state);
/* 1 if limit i applies to the state (a party). */
int dt_treaty_limit_applies(const dt_treaty_t *t, int i, int state);
/* Sets the withdrawal clause: notice of months + seconds (months < 0: none). */
int dt_treaty_set_notice(dt_treaty_t *t, int months, int64_t seconds);
/* A party gives notice of withdrawal; it takes effect after the notice period:
 * the party withdraws, and a treaty left with fewer than two parties terminates. */
int dt_treaty_give_notice(dt_sim_t *sim, dt_treaty_t *t, int state, const char *why);
int dt_treaty_rescind_notice(dt_sim_t *sim, dt_treaty_t *t, int state, const char *why);
/* Declared holdings (data exchanges): values[i] for metric metrics[i], each a
 * metric the treaty limits, current as of as_of (DT_NEVER: now). Emits
 * treaty.declaration, except for a declaration dated before now, which is the
 * record the scenario starts from. */
int dt_treaty_declare(dt_sim_t *sim, dt_treaty_t *t, int state, const int *metrics,
                      const double *values, int n, dt_time_t as_of);
/* The declared value of a limited metric, NaN when none. */
double dt_treaty_declared(const dt_treaty_t *t, int state, int metric);
/* An inspection of a party by inspector (a state or -1): every declared metric
 * is compared with the truth; a discrepancy is found with probability p_detect
 * (one draw from the run's stream per inspection). *found: 1 a discrepancy was
 * found, 0 none. Emits treaty.inspection. */
int dt_treaty_inspect(dt_sim_t *sim, dt_treaty_t *t, int inspector, int state,
                      double p_detect, int *found);
/* Re-evaluates breach flags after the state's arsenal changed; emits
 * treaty.breach / treaty.compliance_restored on a change. Only limits over
 * metrics with counting terms are watched (a Lua metric is read when asked). */
int dt__treaty_recheck_state(dt_sim_t *sim, int state);
/* The queue handler of a withdrawal taking effect (sim.c dispatches to it). */
int dt__treaty_on_withdrawal(dt_sim_t *sim, const dt_qentry_t *e);
const char *dt_treaty_status_name(int st);
int dt_treaty_status_parse(const char *s);
const char *dt_observance_name(int ob);
int dt_observance_parse(const char *s);

/* proposals */
int dt_proposal_make(dt_sim_t *sim, int from, int to, const char *kind, int vis,
                     dt_time_t deadline, dt_proposal_t **out);
/* A proposal to several states (n >= 1, all different from `from`); quorum:
 * acceptances needed, 1..n (n: all must accept). */
int dt_proposal_make_multi(dt_sim_t *sim, int from, const int *to, int n, int quorum,
                           const char *kind, int vis, dt_time_t deadline, dt_proposal_t **out);
/* One addressee's answer to a multilateral proposal: DT_PS_ACCEPTED or
 * DT_PS_REJECTED (a counter counts as a rejection). Emits proposal.answered and
 * closes the proposal once the quorum is reached or out of reach. DT_ENOENT: not
 * an addressee; DT_ESTATE: closed, or this addressee has answered. */
int dt_proposal_answer(dt_sim_t *sim, dt_proposal_t *p, int state, int status, const char *why);
int dt_proposal_addressee(const dt_proposal_t *p, int state);   /* position or -1 */
/* The only way to change a proposal's status. Anything but pending -> other is
 * DT_ESTATE. Accepting applies the terms the core understands. */
int dt_proposal_close(dt_sim_t *sim, dt_proposal_t *p, int status, const char *why);
const char *dt_proposal_status_name(int st);

/* decisions */
int dt_dectype_add(dt_sim_t *sim, const char *name, const char *doc,
                   const char *const *options, int noptions, int dflt, int64_t timeout);
int dt_dectype_find(const dt_sim_t *sim, const char *name);
int dt_dectype_option(const dt_sim_t *sim, int dectype, const char *option);
int dt_policy_set(dt_sim_t *sim, int state, int dectype, int kind, int fixed,
                  const double *weights, int ref);
const dt_policy_t *dt_policy_find(const dt_sim_t *sim, int state, int dectype);
/* Opens a decision. When the seat is not human and a policy (or the default)
 * can answer now, the decision is closed before this returns. */
int dt_decision_ask(dt_sim_t *sim, int state, int dectype, dt_time_t deadline,
                    int ctx_ref, dt_decision_t **out);
/* how: enum dt_dec_how; anything but DT_DH_ANSWERED closes it as defaulted. */
int dt_decision_answer(dt_sim_t *sim, dt_decision_t *d, int option, int how);
const char *dt_decision_option(const dt_sim_t *sim, const dt_decision_t *d);

/* ---- cross-file internals of the core ---------------------------------------- */

/* Handlers of the core's queue kinds, defined beside the objects whose clocks
 * they drive; sim.c's dispatch is a closed switch over enum dt_kind. Each
 * returns 0 or a negative DT_E* code. */
int dt__treaty_on_entry(dt_sim_t *sim, const dt_qentry_t *e);
int dt__treaty_on_expiry(dt_sim_t *sim, const dt_qentry_t *e);
int dt__proposal_on_deadline(dt_sim_t *sim, const dt_qentry_t *e);
int dt__decision_on_deadline(dt_sim_t *sim, const dt_qentry_t *e);
int dt__arsenal_on_step(dt_sim_t *sim, const dt_qentry_t *e);
/* Emits proposal.made for a new proposal; the binding calls it once the terms
 * are attached, so handlers of proposal.made see the whole proposal. */
int dt__proposal_announce(dt_sim_t *sim, dt_proposal_t *p);
/* Grows an arena array to hold `need` elements. */
int dt__grow(dt_sim_t *sim, void **arr, int *cap, int need, size_t elem);
#define DT__GROW(sim, arr, cap, need) \
  dt__grow((sim), (void **)&(arr), &(cap), (need), sizeof *(arr))

#endif
