/* chain.h - tamper-evident records (see chain.c). */
#ifndef RV_CHAIN_H
#define RV_CHAIN_H

#include <sqlite3.h>

/* Inside the caller's transaction: append the rows added to the sealed
 * tables since the last seal to the hash chain; *sealed (if not NULL) is
 * increased by their number.  Returns 0 or -1. */
int chain_seal(sqlite3 *db, long *sealed);
/* Record that a command printed unmasked personal numbers.  Returns 0 or -1. */
int chain_log_reveal(sqlite3 *db, const char *command);

#endif
