/* eval.h - evaluation of checked expressions over one subject row.  Uses
 * SQL's three-valued logic so that a filter gives the same answer in C as
 * when it is pushed into SQLite: comparisons with null are null, and a
 * filter selects a row only when it is true. */
#ifndef RV_EVAL_H
#define RV_EVAL_H

#include "value.h"

typedef struct {
    const Value *slots;  /* slot values of the row (see plan.h) */
    int64_t as_of;       /* the run's date (day number) for `today` */
    const Calendar *cal; /* working-day calendar, or NULL for Mon-Fri */
} EvRow;

/* Value of e on row.  Text results borrow from the row or the AST. */
Value ev_expr(const Expr *e, const EvRow *row);
/* 1 when e is true on row (null and false are both "not true"). */
int ev_true(const Expr *e, const EvRow *row);
/* Render v for people into buf (dates ISO, text as is). */
const char *ev_show(const Value *v, char *buf, size_t n);

#endif
