/* fmt.h - `revisit fmt`: policy files in one canonical layout (see fmt.c
 * and docs/fmt.md). */
#ifndef RV_FMT_H
#define RV_FMT_H

#include "../grammar/ast.h"
#include "cli.h"

/* Lay out one source text.  On success returns 0 and appends the formatted
 * text to out.  Returns 1 when the text does not parse (the errors went
 * through diag) and 2 when the layout could not be made safely (the
 * formatted text would not parse, or would mean something else, or would
 * lose a comment: reported on stderr as an internal error).  name is
 * used in messages. */
int fmt_text(const char *name, const char *text, size_t len, StrBuf *out);

/* Format files and folders (folders: every *.rv below them, in name
 * order; "-": standard input).  write = 0 prints the results on standard
 * output, write = 1 rewrites the files whose layout changes.  All or
 * nothing: when any file fails nothing is printed or written.  Returns an
 * exit status (EXIT_OK, EXIT_FINDINGS on a parse error, EXIT_USAGE,
 * EXIT_STORE on an I/O or internal error). */
int fmt_run(char **paths, int n, int write);

/* `revisit fmt [-w] POLICY...`. */
int cmd_fmt(const Opts *o);

#endif
