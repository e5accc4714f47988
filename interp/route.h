/* route.h - routing obligations to staff members (see route.c). */
#ifndef RV_ROUTE_H
#define RV_ROUTE_H

#include <sqlite3.h>
#include "oblig.h"

/* Set o->staff for every obligation of res: the people recorded for it in
 * the store, or an even, deterministic routing for new ones.  Returns 0 or
 * -1 after printing a store error. */
int route_assign(sqlite3 *db, EvalResult *res);

#endif
