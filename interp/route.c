/* route.c - routing obligations to people: each role of an obligation's
 * assignees becomes one active staff member of that role, from the case's
 * department when that department has one, else from all.  New obligations
 * of a run are spread evenly: in due order (then id), each goes to the
 * candidate with the fewest obligations routed in this run (ties: the
 * lowest staff id), so counts per person differ by at most one and the
 * same data always gives the same routing.  An obligation already in the
 * store keeps the people it was routed to. */
#include <stdlib.h>
#include <string.h>
#include "route.h"
#include "store.h"

typedef struct {
    char *id;     /* staff id */
    char *role;   /* role */
    char *dept;   /* department or NULL */
    long load;    /* obligations routed to them in this run */
} Person;

static int cmp_obl(const void *a, const void *b)
{
    const Obligation *x = *(Obligation *const *)a, *y = *(Obligation *const *)b;
    int c = strcmp(x->due_by, y->due_by);
    return c ? c : strcmp(x->id, y->id);
}

/* The least loaded active person of role, preferring dept. */
static Person *pick(Person *v, size_t n, const char *role, const char *dept)
{
    Person *best = NULL;
    for (int pass = 0; pass < 2 && !best; pass++)
        for (size_t i = 0; i < n; i++) {
            Person *p = &v[i];
            if (strcmp(p->role, role)) continue;
            if (pass == 0 && (!dept || !p->dept || strcmp(p->dept, dept))) continue;
            if (!best || p->load < best->load) best = p; /* v is sorted by id: ties keep the lowest */
        }
    return best;
}

int route_assign(sqlite3 *db, EvalResult *res)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, role, department FROM staff WHERE active = 1 ORDER BY id", -1, &st, NULL) !=
        SQLITE_OK) {
        store_error(db, "cannot read staff");
        return -1;
    }
    Person *people = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            people = xrealloc(people, cap * sizeof *people);
        }
        people[n].id = xstrdup((const char *)sqlite3_column_text(st, 0));
        people[n].role = xstrdup((const char *)sqlite3_column_text(st, 1));
        people[n].dept = sqlite3_column_text(st, 2) ? xstrdup((const char *)sqlite3_column_text(st, 2)) : NULL;
        people[n].load = 0;
        n++;
    }
    sqlite3_finalize(st);
    sqlite3_stmt *old;
    if (sqlite3_prepare_v2(db, "SELECT staff FROM obligations WHERE id = ?", -1, &old, NULL) != SQLITE_OK) {
        store_error(db, "cannot read obligations");
        return -1;
    }
    Obligation **v = xcalloc(res->obls.n + 1, sizeof *v);
    if (res->obls.n) memcpy(v, res->obls.v, res->obls.n * sizeof *v);
    if (res->obls.n > 1) qsort(v, res->obls.n, sizeof *v, cmp_obl);
    for (size_t i = 0; i < res->obls.n; i++) {
        Obligation *o = v[i];
        sqlite3_reset(old);
        sqlite3_bind_text(old, 1, o->id, -1, SQLITE_STATIC);
        if (sqlite3_step(old) == SQLITE_ROW) { /* routed before: keep it */
            if (sqlite3_column_text(old, 0)) o->staff = xstrdup((const char *)sqlite3_column_text(old, 0));
            continue;
        }
        if (!o->assignees || !*o->assignees) continue;
        StrBuf b = {0};
        for (const char *p = o->assignees; *p;) {
            const char *e = strchr(p, '+');
            char *role = xstrndup(p, e ? (size_t)(e - p) : strlen(p));
            Person *who = pick(people, n, role, o->department);
            if (b.len) sb_putc(&b, '+');
            if (who) {
                sb_puts(&b, who->id);
                who->load++;
            } else {
                sb_putc(&b, '?'); /* nobody active has the role */
            }
            free(role);
            if (!e) break;
            p = e + 1;
        }
        o->staff = sb_take(&b);
    }
    sqlite3_finalize(old);
    free(v);
    for (size_t i = 0; i < n; i++) {
        free(people[i].id);
        free(people[i].role);
        free(people[i].dept);
    }
    free(people);
    return 0;
}
