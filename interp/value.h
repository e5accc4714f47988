/* value.h - runtime values of the policy language.  Text values point into
 * memory owned by someone else (the current SQLite row, the AST, or an
 * evaluation arena); a Value never owns anything. */
#ifndef RV_VALUE_H
#define RV_VALUE_H

#include "../grammar/ast.h"

typedef struct {
    Type t;        /* T_NULL, T_BOOL, T_INT, T_DEC, T_TEXT, T_DATE, T_TIME, T_DUR, T_PCT */
    int64_t i;     /* bool, int, day number, seconds, basis points */
    double d;      /* decimal */
    const char *s; /* text (borrowed) */
    Dur dur;       /* duration */
} Value;

#endif
