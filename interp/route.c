/* route.c - routing obligations to people: each role of an obligation's
 * assignees becomes one active staff member of that role, from the case's
 * department when that department has one, else from all.  New obligations
 * of a run are spread evenly: in due order (then id), each goes to the
 * candidate with the fewest obligations routed in this run (ties: the
 * lowest staff id), so counts per person differ by at most one and the
 * same data always gives the same routing.  The caller (run.c) routes only
 * obligations new in the store: one already there keeps its people. */
#include <stdlib.h>
#include <string.h>
#include "route.h"
#include "store.h"

typedef struct Pool Pool;

typedef struct {
    char *id;     /* staff id */
    char *role;   /* role */
    char *dept;   /* department or NULL */
    long load;    /* obligations routed to them in this run */
    long ord;     /* position in id order (ties go to the lowest) */
    Pool *in[2];  /* the pools they are in: their role's [0], role+department [1] (or NULL) */
    size_t at[2]; /* their index in each pool's heap */
} Person;

/* The people of one role, or of one role in one department, as a binary
 * min-heap on (load, id order): the top is who gets the next obligation. */
struct Pool {
    const char *role; /* role (a member's) */
    const char *dept; /* department, or NULL for the whole role (a member's) */
    int kind;         /* 0 = role pool, 1 = role+department pool */
    Person **h;       /* the heap (heap-allocated) */
    size_t n, cap;    /* members, allocated */
};

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
        q->h[i]->at[q->kind] = i;
        q->h[m]->at[q->kind] = m;
        i = m;
    }
}

/* Pools by (kind, role, dept): open addressing over single allocations. */
typedef struct {
    Pool **tab;   /* the table (heap) */
    size_t cap;   /* power of two */
    size_t n;     /* pools in it */
} Pools;

static uint64_t pool_hash(int kind, const char *role, const char *dept)
{
    return hash_fnv(dept ? dept : "", hash_fnv(role, 1469598103934665603ULL ^ (uint64_t)(kind + 1) << 8));
}

static Pool **pool_slot(const Pools *ps, int kind, const char *role, const char *dept)
{
    for (size_t j = pool_hash(kind, role, dept) & (ps->cap - 1);; j = (j + 1) & (ps->cap - 1)) {
        Pool *q = ps->tab[j];
        if (!q || (q->kind == kind && !strcmp(q->role, role) && !strcmp(q->dept ? q->dept : "", dept ? dept : "")))
            return &ps->tab[j];
    }
}

static Pool *pool_find(const Pools *ps, int kind, const char *role, const char *dept)
{
    return ps->cap ? *pool_slot(ps, kind, role, dept) : NULL;
}

/* The pool of (kind, role, dept), made when missing. */
static Pool *pool_get(Pools *ps, int kind, const char *role, const char *dept)
{
    if ((ps->n + 1) * 2 > ps->cap) {
        Pools t = {xcalloc(ps->cap ? ps->cap * 2 : 64, sizeof(Pool *)), ps->cap ? ps->cap * 2 : 64, ps->n};
        for (size_t k = 0; k < ps->cap; k++)
            if (ps->tab[k]) *pool_slot(&t, ps->tab[k]->kind, ps->tab[k]->role, ps->tab[k]->dept) = ps->tab[k];
        free(ps->tab);
        *ps = t;
    }
    Pool **slot = pool_slot(ps, kind, role, dept);
    if (!*slot) {
        *slot = xcalloc(1, sizeof **slot);
        (*slot)->role = role;
        (*slot)->dept = dept;
        (*slot)->kind = kind;
        ps->n++;
    }
    return *slot;
}

/* The least loaded active person of role, preferring dept; counts the
 * obligation against them. */
static Person *pick(Pools *ps, const char *role, const char *dept)
{
    Pool *q = dept ? pool_find(ps, 1, role, dept) : NULL;
    if (!q) q = pool_find(ps, 0, role, NULL);
    if (!q) return NULL;
    Person *who = q->h[0];
    who->load++;
    for (int k = 0; k < 2; k++) /* keep both of their pools in order */
        if (who->in[k]) pool_fix(who->in[k], who->at[k]);
    return who;
}

/* Put every person in their pools.  People come in id order with zero
 * load, so appending keeps each heap a heap. */
static void pools_build(Pools *ps, Person *people, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int kind = 0; kind < 2; kind++) {
            Person *p = &people[i];
            if (kind == 1 && !p->dept) continue;
            Pool *q = pool_get(ps, kind, p->role, kind ? p->dept : NULL);
            if (q->n == q->cap) {
                q->cap = q->cap ? q->cap * 2 : 8;
                q->h = xrealloc(q->h, q->cap * sizeof *q->h);
            }
            p->in[kind] = q;
            p->at[kind] = q->n;
            q->h[q->n++] = p;
        }
}

static void pools_free(Pools *ps)
{
    for (size_t k = 0; k < ps->cap; k++)
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
        memset(p, 0, sizeof *p);
        p->id = xstrdup((const char *)sqlite3_column_text(st, 0));
        p->role = xstrdup((const char *)sqlite3_column_text(st, 1));
        p->dept = sqlite3_column_text(st, 2) ? xstrdup((const char *)sqlite3_column_text(st, 2)) : NULL;
        p->ord = (long)r->n;
        r->n++;
    }
    sqlite3_finalize(st);
    pools_build(&r->pools, r->people, r->n);
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

void route_close(Router *r)
{
    if (!r) return;
    pools_free(&r->pools);
    for (size_t i = 0; i < r->n; i++) {
        free(r->people[i].id);
        free(r->people[i].role);
        free(r->people[i].dept);
    }
    free(r->people);
    free(r);
}
