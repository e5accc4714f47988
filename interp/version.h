/* version.h - published policy versions (see version.c). */
#ifndef RV_VERSION_H
#define RV_VERSION_H

#include <sqlite3.h>
#include "../grammar/ast.h"

/* The canonical text of a checked policy and the question sets it asks:
 * what publish hashes.  Heap; the caller frees it. */
char *ver_canonical(const Policy *p);
/* The published versions that must stand in for files on as_of: with
 * published_only, every policy's version in effect; otherwise those whose
 * file version is not in force yet while an older published one is.
 * *extra gets a loaded (unchecked) Program, or NULL when there are none.
 * Returns 0 or -1 after reporting. */
int ver_in_effect(sqlite3 *db, Program *files, int64_t as_of, int published_only, Program **extra);

#endif
