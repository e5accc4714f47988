/* route.h - routing new obligations to staff members (see route.c). */
#ifndef RV_ROUTE_H
#define RV_ROUTE_H

#include <sqlite3.h>

/* Open reads the active staff (NULL after printing a store error; free
 * with route_close).  route_pick returns the staff for an obligation new
 * in the store with these assignees ("+"-joined roles) of a case in dept
 * (or NULL): a heap string, or NULL without assignees.  It counts the
 * obligation against the people it names, so it must see a run's new
 * obligations in due order (due_by, then id) for the routing to be the
 * documented one. */
typedef struct Router Router;
Router *route_open(sqlite3 *db);
char *route_pick(Router *r, const char *assignees, const char *dept);
void route_close(Router *r);

#endif
