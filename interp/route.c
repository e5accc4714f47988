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
    long ord;     /* position in id order (ties go to the lowest) */
    int at[2];    /* index in its role heap [0] and role+department heap [1] */
} Person;

/* The people of one role, or of one role in one department, as a binary
 * min-heap on (load, id order): the top is who gets the next obligation. */
typedef struct {
    char *role;   /* role (not owned: a member's) */
    char *dept;   /* department or NULL for the whole role (not owned) */
    int kind;     /* 0 = role heap, 1 = role+department heap */
    Person **h;   /* the heap (heap-allocated) */
    size_t n, cap; /* members, allocated */
} Pool;

static int less(const Person *a, const Person *b) { return a->load != b->load ? a->load < b->load : a->ord < b->ord; }

static void pool_fix(Pool *q, size_t i)
{
    for (;;) { /* loads only grow: sift down */
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < q->n && less(q->h[l], q->h[m])) m = l;
        if (r < q->n && less(q->h[r], q->h[m])) m = r;
        if (m == i) return;
        Person *t = q->h[i];
        q->h[i] = q->h[m];
        q->h[m] = t;
        q->h[i]->at[q->kind] = (int)i;
        q->h[m]->at[q->kind] = (int)m;
        i = m;
    }
}

typedef struct {
    size_t n;     /* pools made */
    Pool **tab;   /* hash of (kind, role, dept) -> pool */
    size_t tcap;  /* power of two */
} Pools;

static uint64_t pool_hash(int kind, const char *role, const char *dept)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;
    for (const char *s = role; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;
    for (const char *s = dept ? dept : ""; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static Pool *pool_find(const Pools *ps, int kind, const char *role, const char *dept)
{
    if (!ps->tcap) return NULL;
    for (size_t j = pool_hash(kind, role, dept) & (ps->tcap - 1);; j = (j + 1) & (ps->tcap - 1)) {
        Pool *q = ps->tab[j];
        if (!q) return NULL;
        if (q->kind == kind && !strcmp(q->role, role) && !strcmp(q->dept ? q->dept : "", dept ? dept : "")) return q;
    }
}

/* The least loaded active person of role, preferring dept; counts the
 * obligation against them. */
static Person *pick(Pools *ps, const char *role, const char *dept)
{
    Pool *q = dept ? pool_find(ps, 1, role, dept) : NULL;
    if (!q || !q->n) q = pool_find(ps, 0, role, NULL);
    if (!q || !q->n) return NULL;
    Person *who = q->h[0];
    who->load++;
    pool_fix(q, 0);
    if (who->dept) { /* keep their other heap in order too */
        Pool *o = q->kind ? pool_find(ps, 0, who->role, NULL) : pool_find(ps, 1, who->role, who->dept);
        if (o) pool_fix(o, (size_t)who->at[o->kind]);
    }
    return who;
}

static void pools_build(Pools *ps, Person *people, size_t n)
{
    /* count pools first so that the pool array never moves */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++)
            for (int kind = 0; kind < 2; kind++) {
                Person *p = &people[i];
                if (kind == 1 && !p->dept) continue;
                Pool *q = pool_find(ps, kind, p->role, kind ? p->dept : NULL);
                if (!q) {
                    if (pass == 1) abort(); /* every pool was made in pass 0 */
                    if ((ps->n + 1) * 2 > ps->tcap) {
                        size_t cap = ps->tcap ? ps->tcap * 2 : 64;
                        Pool **t = xcalloc(cap, sizeof *t);
                        for (size_t k = 0; k < ps->tcap; k++)
                            if (ps->tab[k]) {
                                size_t j = pool_hash(ps->tab[k]->kind, ps->tab[k]->role, ps->tab[k]->dept) & (cap - 1);
                                while (t[j]) j = (j + 1) & (cap - 1);
                                t[j] = ps->tab[k];
                            }
                        free(ps->tab);
                        ps->tab = t;
                        ps->tcap = cap;
                    }
                    /* pools live in a list of single allocations: stable addresses */
                    q = xcalloc(1, sizeof *q);
                    q->role = p->role;
                    q->dept = kind ? p->dept : NULL;
                    q->kind = kind;
                    size_t j = pool_hash(kind, q->role, q->dept) & (ps->tcap - 1);
                    while (ps->tab[j]) j = (j + 1) & (ps->tcap - 1);
                    ps->tab[j] = q;
                    ps->n++;
                }
                if (pass == 0) continue;
                if (q->n == q->cap) {
                    q->cap = q->cap ? q->cap * 2 : 8;
                    q->h = xrealloc(q->h, q->cap * sizeof *q->h);
                }
                p->at[kind] = (int)q->n; /* people come in id order with zero load: already a heap */
                q->h[q->n++] = p;
            }
    }
}

static void pools_free(Pools *ps)
{
    for (size_t k = 0; k < ps->tcap; k++)
        if (ps->tab[k]) {
            free(ps->tab[k]->h);
            free(ps->tab[k]);
        }
    free(ps->tab);
}

struct Router {
    Person *people;     /* active staff in id order (heap) */
    size_t n;           /* how many */
    Pools pools;        /* their heaps by role and by role+department */
    sqlite3_stmt *old;  /* the staff an obligation was routed to before */
};

Router *route_open(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, role, department FROM staff WHERE active = 1 ORDER BY id", -1, &st, NULL) !=
        SQLITE_OK) {
        store_error(db, "cannot read staff");
        return NULL;
    }
    Router *r = xcalloc(1, sizeof *r);
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (r->n == cap) {
            cap = cap ? cap * 2 : 32;
            r->people = xrealloc(r->people, cap * sizeof *r->people);
        }
        Person *p = &r->people[r->n];
        p->id = xstrdup((const char *)sqlite3_column_text(st, 0));
        p->role = xstrdup((const char *)sqlite3_column_text(st, 1));
        p->dept = sqlite3_column_text(st, 2) ? xstrdup((const char *)sqlite3_column_text(st, 2)) : NULL;
        p->load = 0;
        p->ord = (long)r->n;
        r->n++;
    }
    sqlite3_finalize(st);
    pools_build(&r->pools, r->people, r->n);
    if (sqlite3_prepare_v2(db, "SELECT staff FROM obligations WHERE id = ?", -1, &r->old, NULL) != SQLITE_OK) {
        store_error(db, "cannot read obligations");
        route_close(r);
        return NULL;
    }
    return r;
}

char *route_pick(Router *r, const char *assignees, const char *dept)
{
    if (!assignees || !*assignees) return NULL;
    StrBuf b = {0};
    char role[256];
    for (const char *p = assignees; *p;) {
        const char *e = strchr(p, '+');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *big = len < sizeof role ? NULL : xstrndup(p, len);
        if (!big) snprintf(role, sizeof role, "%.*s", (int)len, p);
        Person *who = pick(&r->pools, big ? big : role, dept);
        free(big);
        if (b.len) sb_putc(&b, '+');
        if (who) sb_puts(&b, who->id);
        else sb_putc(&b, '?'); /* nobody active has the role */
        if (!e) break;
        p = e + 1;
    }
    return sb_take(&b);
}

void route_one(Router *r, Obligation *o)
{
    free(o->staff);
    o->staff = NULL;
    sqlite3_reset(r->old);
    sqlite3_bind_text(r->old, 1, o->id, -1, SQLITE_STATIC);
    if (sqlite3_step(r->old) == SQLITE_ROW) { /* routed before: keep it */
        if (sqlite3_column_text(r->old, 0)) o->staff = xstrdup((const char *)sqlite3_column_text(r->old, 0));
        return;
    }
    o->staff = route_pick(r, o->assignees, o->department);
}

void route_close(Router *r)
{
    if (!r) return;
    sqlite3_finalize(r->old);
    pools_free(&r->pools);
    for (size_t i = 0; i < r->n; i++) {
        free(r->people[i].id);
        free(r->people[i].role);
        free(r->people[i].dept);
    }
    free(r->people);
    free(r);
}

static int cmp_obl(const void *a, const void *b)
{
    const Obligation *x = *(Obligation *const *)a, *y = *(Obligation *const *)b;
    int c = strcmp(x->due_by, y->due_by);
    return c ? c : strcmp(x->id, y->id);
}

int route_assign(sqlite3 *db, EvalResult *res)
{
    Router *r = route_open(db);
    if (!r) return -1;
    Obligation **v = xcalloc(res->obls.n + 1, sizeof *v);
    if (res->obls.n) memcpy(v, res->obls.v, res->obls.n * sizeof *v);
    if (res->obls.n > 1) qsort(v, res->obls.n, sizeof *v, cmp_obl);
    for (size_t i = 0; i < res->obls.n; i++) route_one(r, v[i]);
    free(v);
    route_close(r);
    return 0;
}
