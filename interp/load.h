/* load.h - reading policy sources: files, folders (recursively, *.rv in
 * name order), and the stdlib modules they `use`. */
#ifndef RV_LOAD_H
#define RV_LOAD_H

#include "../grammar/ast.h"

#define MAX_SOURCE_BYTES (16 * 1024 * 1024)

/* A new empty program; free with program_free. */
Program *load_new(void);
/* Parse each path (file or folder) into prog, then every stdlib module
 * named by a `use`.  Returns the number of errors (reported through diag). */
int load_paths(Program *prog, char **paths, int n);
/* Parse text (named `name` in messages) into prog; the program keeps a
 * copy.  Returns the number of errors. */
int load_text(Program *prog, const char *name, const char *text, size_t len);
/* Where stdlib modules are looked up (first match wins):
 * $REVISIT_STDLIB, ./stdlib beside the executable, the installed data dir. */
const char *load_stdlib_dir(void);

#endif
