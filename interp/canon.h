/* canon.h - canonical text of expressions, schedules, policies and
 * question sets (see canon.c).  Output goes into a StrBuf the caller owns. */
#ifndef RV_CANON_H
#define RV_CANON_H

#include "../grammar/ast.h"

/* Append the canonical text of e (minimal parentheses). */
void canon_expr(StrBuf *b, const Expr *e);
/* The same as a heap string ("" for NULL); the caller frees it. */
char *canon_expr_text(const Expr *e);

/* Flags of the _f printers (0: exactly canon_expr's text). */
enum {
    CANON_SHORT_TIME = 1 /* date-times whose seconds are 0 without ":00" (what fmt prints) */
};
/* canon_expr with flags. */
void canon_expr_f(StrBuf *b, const Expr *e, int flags);
/* e in parentheses when it binds looser than level min: 1 or, 2 and, 3 not,
 * 4 comparisons, is null, in, 5 + -, 6 * /, 7 unary minus, 8 literals,
 * columns, calls and lists (8: what the grammar calls a primary). */
void canon_expr_sub(StrBuf *b, const Expr *e, int min, int flags);
/* The binding level of e (as for canon_expr_sub) and the spelling of a
 * binary operator. */
int canon_prec(const Expr *e);
const char *canon_opname(int op);
/* A string literal: quotes, with \" \\ \n \t escaped. */
void canon_str(StrBuf *b, const char *s);
void canon_dur(StrBuf *b, Dur d);
/* "due ..." of one schedule. */
void canon_sched(StrBuf *b, const Sched *s);
void canon_sched_f(StrBuf *b, const Sched *s, int flags);
/* A whole policy, one clause per line in a fixed order, no comments. */
void canon_policy(StrBuf *b, const Policy *p);
/* A question set, one question per line. */
void canon_qset(StrBuf *b, const QSet *q);

#endif
