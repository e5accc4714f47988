/* run.h - recording an evaluation in the store, shared by `revisit run` and
 * `revisit test`. */
#ifndef RV_RUN_H
#define RV_RUN_H

#include <sqlite3.h>
#include "oblig.h"

/* Set each policy's sha256 from its source text. */
void run_hash_policies(Program *prog);
/* Inside the caller's transaction: add a runs row, the policy versions,
 * the obligations not yet in the store (INSERT OR IGNORE: *added counts the
 * new ones), their questions and the eligible counts per trigger day.
 * Returns 0 or -1 (the caller rolls back). */
int run_record(sqlite3 *db, Program *prog, EvalResult *res, int horizon, int64_t as_of, long *added,
               long *suppressed, sqlite3_int64 *run_id);

#endif
