/* oblig.h - obligations: what a policy makes due for each subject.
 *
 * For each policy: run its plan, apply residual filters, drop customers who
 * must not be contacted (counted), draw the reproducible sample, compute
 * each schedule's occurrences (due from / due by), pick the assignees,
 * priority and questions, and keep the occurrences that are overdue, due,
 * or start within the horizon and are not already done. */
#ifndef RV_OBLIG_H
#define RV_OBLIG_H

#include <sqlite3.h>
#include "../grammar/ast.h"
#include "store.h"

enum { ST_UPCOMING, ST_DUE, ST_OVERDUE };

typedef struct Obligation {
    char id[16];          /* "O-" + 12 hex digits of SHA-256(policy, subject, occurrence) */
    const Policy *pol;    /* the policy that made it due (not owned) */
    char *subject_table;  /* cases, customers or contacts (static string) */
    char *subject_id;     /* heap */
    char *customer_id;    /* heap */
    char *customer_name;  /* heap */
    char *mobile;         /* heap, unmasked; NULL when unknown */
    char *case_id;        /* heap or NULL */
    char occ[40];         /* occurrence key "<schedule>.<n>[.<reminder>]" */
    char due_from[20];    /* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" */
    char due_by[20];      /* same */
    int64_t from_day;     /* day number of due_from */
    int64_t by_day;       /* day number of due_by */
    int64_t from_t, by_t; /* the same in seconds */
    int timed;            /* due_by carries a clock time (hour durations) */
    char window[40];      /* first calling window it can be worked in, or "" */
    char *channels;       /* heap, comma-separated */
    char *assignees;      /* heap, "+" joins joint roles */
    char *department;     /* heap: the case's department, or NULL (routing) */
    char *staff;          /* heap: the staff members routed to it ("+"-joined), or NULL */
    int priority;         /* 1 = most urgent */
    char *questions;      /* heap, "set(n)" list */
    char *rule;           /* heap: the schedule clause's source text */
    char *facts;          /* heap JSON: the values that made it due */
    int status;           /* ST_* relative to the run's date */
    int done;             /* a completed visit belongs to it: recorded, not listed */
    int version;          /* policy version */
    char trigger_day[11]; /* day of the event that made it due (its period) */
    char *script;         /* heap: applicable questions, one per line:
                           * set \t ordered \t pos \t question \t mandatory \t affirmative */
    char *block;          /* heap or NULL: when set, the text fields above except staff live in this
                           * one allocation (an evaluated obligation); ob_free frees it instead */
    size_t block_cap;     /* bytes allocated for block */
    struct Obligation *next_free; /* in its thread's pool of spent obligations (see ob_free), else unused */
} Obligation;

/* Per-policy counters of one evaluation. */
typedef struct {
    const Policy *pol;  /* which policy */
    long rows;          /* rows returned by the plan's query */
    long eligible;      /* passing every filter */
    long suppressed;    /* excluded: customer marked do_not_contact */
    long sampled_out;   /* eligible but not drawn by the sample */
    long pending;       /* eligible in a sampling period not over yet: drawn when it is */
    long done;          /* occurrences already done (completed visit) */
    long listed;        /* obligations produced */
    long later;         /* occurrences beyond the horizon (not listed) */
    long not_yet;       /* schedules waiting: their anchor is still empty (e.g. no event yet) */
    double secs;        /* wall time spent evaluating it */
    int64_t *grp;       /* trigger days (sampling groups) seen, heap */
    long *grp_eligible; /* eligible subjects per group */
    long *grp_drawn;    /* subjects drawn per group (= eligible without sampling) */
    int ngrp;           /* how many groups */
} PolicyStats;

typedef struct {
    int64_t as_of;      /* day number */
    int horizon;        /* days */
    FILE *explain_plan; /* print each plan here, or NULL */
    int quiet;          /* no warnings on stderr (tests) */
    /* Where finished obligations go: NULL collects them in EvalResult.obls;
     * otherwise sink takes each one (and owns it) and returns 0, or -1 to
     * stop the evaluation (it reports why; ob_evaluate returns 3). */
    int (*sink)(void *ctx, Obligation *ob);
    void *sink_ctx;     /* passed to sink */
    FILE *progress;     /* a terminal to show progress on (\r-rewritten line), or NULL */
    int skip_known_done; /* done obligations the store already has (main.obligations) are counted in
                          * PolicyStats.done and neither built nor given to sink: a run's recorder has
                          * nothing to do with them (set only when sink is) */
} EvalOpts;

/* An escalation raised by a fact rule during an evaluation. */
typedef struct {
    char id[16];          /* "E-" + 12 hex digits of SHA-256(policy, rule, key) */
    const Policy *pol;    /* the policy (not owned) */
    const Escalation *rule; /* the rule (not owned) */
    char *customer_id;    /* heap: the first subject's customer */
    char *subject_id;     /* heap: the first subject */
    PtrVec cites;         /* char* heap: every subject that triggered it */
    char raised_on[11];   /* the run's date */
    char due_by[11];      /* raised_on + the rule's deadline */
    char *facts;          /* heap JSON: the key values and the condition */
} Raised;

typedef struct {
    PtrVec obls;        /* Obligation* (owned): listed ones and done ones (done = 1) */
    PtrVec escs;        /* Raised* (owned) */
    int raised;         /* set by run_record: escalations new in the store */
    PolicyStats *stats; /* one per policy (heap) */
    int nstats;         /* how many */
} EvalResult;

/* Evaluate every policy of prog (checked against the schema of db).
 * Returns 0, or 3 after printing a store error.  The result owns its
 * obligations; free with ob_result_free. */
int ob_evaluate(sqlite3 *db, Program *prog, const Schema *schema, const EvalOpts *o, EvalResult *res);
/* The same on n connections to one snapshot of the store (dbs[k], each
 * used by one thread only): n workers (this thread and n - 1 others, at
 * most 8) each take the next policy not yet taken, worker k with opts[k]
 * (its own sink context; its sink may be called while the others' are;
 * only opts[0]'s progress and quiet are used).  Escalations, and
 * obligations when there is no sink, end up in res in policy order, as
 * ob_evaluate leaves them.  Returns 0, or the first failure's code. */
int ob_evaluate_parallel(sqlite3 *const *dbs, int n, Program *prog, const Schema *schema, const EvalOpts *const *opts,
                         EvalResult *res);
void ob_result_free(EvalResult *res);
/* Free o and what it owns (NULL is fine).  An evaluated obligation (one
 * with a block) is kept instead in the calling thread's pool of spent
 * obligations, up to a bound, for the evaluation to refill: a run makes
 * millions, and a malloc and free of two blocks each, under one heap lock
 * shared by the threads, cost a quarter of the evaluating threads' time.
 * A thread's pool is freed when the thread ends (the main thread's at
 * exit). */
void ob_free(Obligation *o);
/* Status of an obligation due from..by (day numbers) as of a day. */
/* The first index i in [lo, hi) with v[i] >= k, or hi when there is none,
 * for v[lo..hi) sorted ascending (duplicates allowed) whose keys' low 32
 * bits are spread evenly over their range: the search starts where k's
 * low bits put it and gallops outwards, touching a cache line or two when
 * the keys are spread evenly and never more than a logarithmic number of
 * keys when they are not.  Reads v only. */
uint32_t ob_key_search(const int64_t *v, uint32_t lo, uint32_t hi, int64_t k);

int ob_status(int64_t from_day, int64_t by_day, int64_t as_of);
const char *ob_status_name(int status);
/* Source text of a whole policy (for its hash and the store), heap. */
char *ob_policy_source(const Policy *p);
/* The verdict rules of a policy version as flat JSON (attempts, deny,
 * problem follow-up, dissatisfied_below), heap; run stores them once per
 * version in policy_versions.rules, verdicts judge by them. */
char *ob_policy_rules(const Policy *p);

#endif
