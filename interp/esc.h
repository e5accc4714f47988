/* esc.h - escalations (see esc.c). */
#ifndef RV_ESC_H
#define RV_ESC_H

#include <sqlite3.h>
#include "oblig.h"

/* Inside the caller's transaction: record the escalation rules of every
 * policy version, the escalations the evaluation raised (with their
 * cited subjects), and move unacknowledged overdue ones up their chain.
 * *raised counts new escalations.  Returns 0 or -1. */
int esc_record_run(sqlite3 *db, Program *prog, EvalResult *res, int64_t as_of, int *raised);
/* Raise the verdict escalations of an obligation's policy version that its
 * verdict (or the visit's satisfaction or answers) triggers.  at_day is the
 * day the escalation is raised.  Returns 0 or -1. */
int esc_on_verdict(sqlite3 *db, const char *obligation, const char *verdict, int64_t visit_id, int satisfaction,
                   int64_t at_day, int *raised);
/* Raise the next level of every escalation neither acknowledged nor closed
 * by its deadline (as of the day), once.  Returns 0 or -1. */
int esc_timeouts(sqlite3 *db, int64_t as_of, int *raised);
/* Print what an escalation is and what triggered it.  Returns an exit code. */
int esc_explain(sqlite3 *db, const char *id);

#endif
