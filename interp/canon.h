/* canon.h - canonical text of expressions, schedules, policies and
 * question sets (see canon.c).  Output goes into a StrBuf the caller owns. */
#ifndef RV_CANON_H
#define RV_CANON_H

#include "../grammar/ast.h"

/* Append the canonical text of e (minimal parentheses). */
void canon_expr(StrBuf *b, const Expr *e);
/* The same as a heap string ("" for NULL); the caller frees it. */
char *canon_expr_text(const Expr *e);
void canon_dur(StrBuf *b, Dur d);
/* "due ..." of one schedule. */
void canon_sched(StrBuf *b, const Sched *s);
/* A whole policy, one clause per line in a fixed order, no comments. */
void canon_policy(StrBuf *b, const Policy *p);
/* A question set, one question per line. */
void canon_qset(StrBuf *b, const QSet *q);

#endif
