/* run.h - recording an evaluation in the store, shared by `revisit run` and
 * `revisit test`. */
#ifndef RV_RUN_H
#define RV_RUN_H

#include <sqlite3.h>
#include "oblig.h"
#include "out.h"

/* Set each policy's sha256 from its source text. */
void run_hash_policies(Program *prog);
/* Inside the caller's transaction: add a runs row, the policy versions,
 * the obligations not yet in the store (INSERT OR IGNORE: *added counts the
 * new ones), their questions and the eligible counts per trigger day.
 * Returns 0 or -1 (the caller rolls back). */
int run_record(sqlite3 *db, Program *prog, EvalResult *res, int horizon, int64_t as_of, long *added,
               long *suppressed, sqlite3_int64 *run_id);

/* The same for a run too large to hold in memory, inside the caller's
 * transaction: rec_open adds the runs row and the policy versions (NULL
 * after printing a store error); rec_add takes each obligation as the
 * evaluation makes it (done ones go to the store, listed ones to a
 * temporary table; ob stays the caller's, but on a store's first run done
 * ones are appended a few at a time, and the caller keeps each ob alive
 * until rec_flush or rec_finish has been called after it); rec_finish stores the listed
 * ones in due order (routing them to staff when route was set, measuring
 * them for out when out is not NULL), then the eligible counts, the run's
 * totals, the escalations raised and the audit seal; rec_output prints the
 * due-list in list order (after commit, too); rec_close frees it.  The
 * int-returning calls return 0 or -1 after printing a store error. */
typedef struct Recorder Recorder;
Recorder *rec_open(sqlite3 *db, Program *prog, int horizon, int64_t as_of, int route);
int rec_add(Recorder *r, const Obligation *ob);
int rec_flush(Recorder *r);
int rec_finish(Recorder *r, EvalResult *res, int64_t as_of, OutStream *out);
int rec_output(Recorder *r, OutStream *out);
/* What was recorded: obligations new in the store, listed ones, listed
 * per status (ST_*), and the runs row; any pointer may be NULL. */
void rec_counts(const Recorder *r, long *added, long *listed, long st[3], sqlite3_int64 *run_id);
/* 1 when the store already had obligations as r opened (not its first
 * run): a done obligation the store has is then nothing to r, and an
 * evaluation may skip it (EvalOpts.skip_known_done); else 0. */
int rec_has_known(const Recorder *r);
/* Have rec_finish leave the secondary indexes of obligations
 * (obligations_trigger, obligations_customer), when it dropped them to load
 * many rows at once, for the caller to build after its commit
 * (store_index_obligations): the run's rows and the id index stay in the
 * caller's transaction, and the two sorts can run beside the printing.
 * Without it they are built inside the transaction. */
void rec_defer_indexes(Recorder *r);
/* 1 when rec_finish left the secondary indexes to be built, else 0. */
int rec_indexes_deferred(const Recorder *r);
/* Seconds of rec_finish's steps: route, insert, indexes, rest. */
void rec_steps(const Recorder *r, double secs[4]);
void rec_close(Recorder *r);

#endif
