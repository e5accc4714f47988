/* diag.h - the one place that reports problems in policy sources:
 * "file:line:col: error: message", the source line, and a caret under the
 * construct.  Errors are counted; after DIAG_MAX_ERRORS further reports are
 * suppressed and a single "too many errors" line is printed. */
#ifndef RV_DIAG_H
#define RV_DIAG_H

#include "../grammar/ast.h"

#define DIAG_MAX_ERRORS 20

/* Report an error at l (l may be NULL or have no source: then only the
 * message is printed, prefixed "revisit: error: "). */
void diag_error(const Loc *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, as a warning (not counted as an error). */
void diag_warning(const Loc *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A note attached to the previous report. */
void diag_note(const Loc *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Errors reported since the last reset. */
int diag_count(void);
void diag_reset(void);
/* 1 once the error cap has been reached. */
int diag_capped(void);
/* Print the closing "revisit: N errors[; tail]" line, saying when only the
 * first DIAG_MAX_ERRORS were shown. */
void diag_summary(const char *tail);
/* Where reports go (default stderr). */
void diag_set_stream(FILE *f);

/* The source text covered by l (first to last character, inclusive), as a
 * heap string the caller frees; "" when l has no source. */
char *diag_loc_text(const Loc *l);
/* The whole lines first_line..last_line of l, as a heap string. */
char *diag_loc_lines(const Loc *l);

#endif
