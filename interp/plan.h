/* plan.h - planning: turn a checked policy into one SQL query over the
 * store.  Every top-level conjunct of the `where` filter that SQL can
 * evaluate with the same meaning is pushed into the query's WHERE clause
 * (so an index on cases.kind is used); the rest stays as residual filters
 * evaluated in C.  Columns and count()/exists() values needed by the C side
 * (schedule anchors, assign and priority conditions, question conditions,
 * residual filters) become numbered slots of the SELECT list. */
#ifndef RV_PLAN_H
#define RV_PLAN_H

#include <sqlite3.h>
#include "../grammar/ast.h"
#include "store.h"

/* Fixed columns of every plan's SELECT, before the slots. */
/* PC_WINDOW is the customer's preferred calling window (customers.contact_window,
 * an optional extra column) or NULL; PC_DEPT the case's department (routing)
 * or NULL. */
enum { PC_SUBJECT, PC_CUSTOMER, PC_NAME, PC_MOBILE, PC_DNC, PC_WINDOW, PC_DEPT, PC_FIXED };

typedef struct {
    Type t;  /* T_TEXT, T_INT or T_DEC */
    int64_t i;
    double d;
    char *s; /* heap-owned text */
} Param;

typedef struct {
    char *label; /* "closed_at", "customer.tier", "count(...)" for explain */
    Type type;   /* type of the value read back */
} Slot;

typedef struct {
    Policy *pol;        /* the policy planned (not owned) */
    char *sql;          /* the query text (heap) */
    Param *params;      /* bound values in order (heap) */
    int nparams;        /* how many */
    Slot *slots;        /* C-side values after the fixed columns (heap) */
    int nslots;         /* how many */
    Expr **residual;    /* conjuncts evaluated in C (heap array of AST pointers) */
    int nresidual;      /* how many */
    int pushed;         /* conjuncts pushed into SQL */
    char *probe_col;    /* column of the first pushed `col = "text"` or `col in ["text", ...]`
                         * on the subject (heap), or NULL */
    char **probe_vals;  /* its texts (heap array of heap strings) */
    int nprobe;         /* how many; `=` has one */
    int probe_in;       /* 1 when written with `in` */
    int probe_at;       /* offset in sql just after the subject table's `AS s` */
    int where_end;      /* offset in sql just after the pushed filters (before any ORDER BY) */
    double probe_share; /* after plan_choose_access: share of the table's rows it matches, or -1 */
    int scan;           /* 1 when plan_choose_access chose to read the whole table */
    int constant_subqueries; /* count()/exists() that read nothing of the subject's row: SQLite
                              * computes each once per run of the query */
    int chosen;         /* 1 once plan_choose_access has run (plan_prepare then does not count again) */
} Plan;

/* 1 when SQL can evaluate the checked expression e with exactly the
 * language's meaning (no date arithmetic, no mixed date/time text). */
int plan_pushable(const Expr *e);

/* Plan p (checked) for a run as of as_of (day number).  Returns a heap Plan
 * freed with plan_free, or NULL after reporting an error through diag. */
Plan *plan_policy(Policy *p, const Schema *schema, int64_t as_of);
/* Decide how the query reads the subject table on db.  An index on a column
 * the filter fixes to a text value (or a list of them) pays a random row
 * fetch per match, a scan of the table costs a little per row; when the
 * values match at least PLAN_SCAN_SHARE of the table (counted through the
 * index, stopping at that share), the subject is written `AS s NOT INDEXED
 * CROSS JOIN customers` so SQLite reads the table in rowid order and looks
 * each customer up; below it, the matching rowids are read from the index
 * first (`s.rowid IN (SELECT rowid ...)`, a sorted set) and the rows then
 * fetched in rowid order, page after page, not in the index's order.
 * Changes pl->sql in place; does nothing without a candidate or an index.
 * Returns 0, or -1 when the store cannot be read (the plan is left as it was). */
#define PLAN_SCAN_SHARE 0.05
int plan_choose_access(Plan *pl, sqlite3 *db);

/* Choose the access (plan_choose_access), prepare the plan's statement on
 * db and bind its parameters.  Returns NULL and prints the error on failure.
 * Caller finalizes. */
sqlite3_stmt *plan_prepare(Plan *pl, sqlite3 *db);
/* Keep pl's query to the subjects whose rowid is in [lo, hi] (two more
 * parameters); call after plan_choose_access, before plan_prepare. */
void plan_restrict_rows(Plan *pl, int64_t lo, int64_t hi);
/* Write the SQL and its parameters for people (--explain-plan), as one
 * block (f is locked meanwhile: the workers of a run print at once). */
void plan_print(const Plan *pl, FILE *f);
/* A copy of pl (heap, freed with plan_free) sharing its AST pointers: the
 * parts of a policy read in parts each take one of the plan made once
 * (planning writes the policy's AST, so it is not done on two threads). */
Plan *plan_dup(const Plan *pl);
void plan_free(Plan *pl);

#endif
