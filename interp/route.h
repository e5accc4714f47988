/* route.h - routing obligations to staff members (see route.c). */
#ifndef RV_ROUTE_H
#define RV_ROUTE_H

#include <sqlite3.h>
#include "oblig.h"

/* Set o->staff for every obligation of res: the people recorded for it in
 * the store, or an even, deterministic routing for new ones.  Returns 0 or
 * -1 after printing a store error. */
int route_assign(sqlite3 *db, EvalResult *res);

/* The same one obligation at a time, for a run that streams: open reads
 * the active staff (NULL after printing a store error; free with
 * route_close); route_one sets o->staff (heap, replacing what was there),
 * and must see new obligations in due order (due_by, then id) for the
 * routing to be the documented one. */
typedef struct Router Router;
Router *route_open(sqlite3 *db);
void route_one(Router *r, Obligation *o);
/* The staff for an obligation new in the store with these assignees
 * ("+"-joined roles) of a case in dept (or NULL): heap string, or NULL
 * without assignees.  Same order rule as route_one. */
char *route_pick(Router *r, const char *assignees, const char *dept);
void route_close(Router *r);

#endif
