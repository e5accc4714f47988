/* oblig.c - from a planned policy to obligations (see oblig.h). */
#include "oblig.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "cal.h"
#include "diag.h"
#include "eval.h"
#include "plan.h"
#include "canon.h"

#define MAX_OCCURRENCES 1000 /* per schedule and subject: bounds `every` */

static int quiet; /* no warnings: set per evaluation from EvalOpts.quiet */

/* ---- small string set (completed obligation ids, active roles) ---- */
typedef struct {
    char **v;   /* open addressing table */
    size_t cap; /* power of two */
    size_t n;   /* used */
} StrSet;

static uint64_t hash_str(const char *s) { return hash_fnv(s, 1469598103934665603ULL); }

static void set_add(StrSet *s, const char *x)
{
    if ((s->n + 1) * 2 > s->cap) {
        StrSet t = {xcalloc(s->cap ? s->cap * 2 : 64, sizeof(char *)), s->cap ? s->cap * 2 : 64, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i]) {
                size_t j = hash_str(s->v[i]) & (t.cap - 1);
                while (t.v[j]) j = (j + 1) & (t.cap - 1);
                t.v[j] = s->v[i];
                t.n++;
            }
        free(s->v);
        *s = t;
    }
    size_t j = hash_str(x) & (s->cap - 1);
    while (s->v[j]) {
        if (!strcmp(s->v[j], x)) return;
        j = (j + 1) & (s->cap - 1);
    }
    s->v[j] = xstrdup(x);
    s->n++;
}

static int set_has(const StrSet *s, const char *x)
{
    if (!s->cap) return 0;
    size_t j = hash_str(x) & (s->cap - 1);
    while (s->v[j]) {
        if (!strcmp(s->v[j], x)) return 1;
        j = (j + 1) & (s->cap - 1);
    }
    return 0;
}

static void set_free(StrSet *s)
{
    for (size_t i = 0; i < s->cap; i++) free(s->v[i]);
    free(s->v);
}

static int load_set(sqlite3 *db, const char *sql, StrSet *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "cannot read the store");
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_text(st, 0)) set_add(s, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_error(db, "cannot read the store");
        return -1;
    }
    return 0;
}

/* ---- completed obligation ids, as the 48-bit numbers their hex spells ---- */
/* The numbers are SHA-256 bits, spread evenly: grouped by their top 16
 * bits (one counting pass), a lookup reads one small sorted group. */
#define DONE_GROUPS 65536
typedef struct {
    int64_t *v;   /* keys by group, each group sorted (duplicates harmless) */
    uint32_t *at; /* DONE_GROUPS + 1 offsets: group g is v[at[g]] .. v[at[g + 1] - 1] */
    size_t n;     /* keys held */
    unsigned char *known; /* heap, n entries, or NULL: known[i] is 1 when the store already has
                           * obligation v[i] (done_mark_known) */
} DoneSet;

/* "O-" + 12 lowercase hex digits -> its value; -1 for anything else (such
 * an id cannot match an obligation this engine makes). */
static int64_t obl_key(const char *id)
{
    if (!id || id[0] != 'O' || id[1] != '-') return -1;
    int64_t k = 0;
    for (int i = 2; i < 14; i++) {
        char c = id[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return -1;
        k = k * 16 + d;
    }
    return id[14] ? -1 : k;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Make d the set of the n keys k[] (48-bit, duplicates allowed); frees k. */
static void done_build(DoneSet *d, int64_t *k, size_t n)
{
    d->at = xcalloc(DONE_GROUPS + 1, sizeof *d->at);
    for (size_t i = 0; i < n; i++) d->at[(k[i] >> 32) + 1]++;
    for (size_t g = 0; g < DONE_GROUPS; g++) d->at[g + 1] += d->at[g];
    d->v = xmalloc((n + 1) * sizeof *d->v);
    uint32_t *fill = xmalloc(DONE_GROUPS * sizeof *fill);
    memcpy(fill, d->at, DONE_GROUPS * sizeof *fill);
    for (size_t i = 0; i < n; i++) d->v[fill[k[i] >> 32]++] = k[i];
    free(fill);
    free(k);
    d->n = n;
    for (size_t g = 0; g < DONE_GROUPS; g++) /* insertion sort: a few keys per group */
        for (uint32_t i = d->at[g] + 1; i < d->at[g + 1]; i++) {
            int64_t x = d->v[i];
            uint32_t j = i;
            for (; j > d->at[g] && d->v[j - 1] > x; j--) d->v[j] = d->v[j - 1];
            d->v[j] = x;
        }
}

static void done_free(DoneSet *d)
{
    free(d->v);
    free(d->at);
    free(d->known);
}

uint32_t ob_key_search(const int64_t *v, uint32_t lo, uint32_t hi, int64_t k)
{
    if (lo == hi) return lo;
    /* the first key >= k is in [lo, hi], hi meaning none, throughout */
    uint32_t g = lo + (uint32_t)(((uint64_t)(k & 0xffffffff) * (hi - lo)) >> 32);
    if (v[g] < k) {
        lo = g + 1;
        for (uint32_t step = 1; step <= hi - lo; step *= 2) {
            uint32_t p = lo + step - 1;
            if (v[p] < k) lo = p + 1;
            else {
                hi = p;
                break;
            }
        }
    } else {
        hi = g;
        for (uint32_t step = 1; step <= hi - lo; step *= 2) {
            uint32_t p = hi - step;
            if (v[p] >= k) hi = p;
            else {
                lo = p + 1;
                break;
            }
        }
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Where obligation id is in d (an index into d->v: the first of equal
 * keys), or -1.  Within a group the keys are the ids' low 32 bits, which
 * are spread evenly (ids are hashes), so ob_key_search starts where k's
 * own bits put it: at a million customers a group holds some sixty keys,
 * and bisecting them missed the cache three or four times a lookup, for
 * each of millions of candidate obligations. */
static int64_t done_find(const DoneSet *d, const char *id)
{
    int64_t k = obl_key(id);
    if (k < 0 || !d->n) return -1;
    uint32_t end = d->at[(k >> 32) + 1];
    uint32_t i = ob_key_search(d->v, d->at[k >> 32], end, k);
    return i < end && d->v[i] == k ? (int64_t)i : -1;
}

/* Mark the keys of d that main.obligations already holds (d->known), in
 * one pass over its id index merged with d (both in key order: "O-" and
 * twelve lowercase hex digits sort as their numbers).  One read of the
 * index costs less than a lookup per done obligation.  On a store error
 * d->known stays NULL and the callers look each one up instead. */
static void done_mark_known(sqlite3 *db, DoneSet *d)
{
    sqlite3_stmt *st;
    if (!d->n || sqlite3_prepare_v2(db, "SELECT id FROM main.obligations ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return;
    unsigned char *known = xcalloc(d->n, 1);
    size_t i = 0;
    int rc = SQLITE_DONE;
    while (i < d->n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t k = obl_key((const char *)sqlite3_column_text(st, 0));
        if (k < 0) continue; /* not an id this engine makes: no done key equals it */
        while (i < d->n && d->v[i] < k) i++;
        for (size_t j = i; j < d->n && d->v[j] == k; j++) known[j] = 1;
    }
    if (i < d->n && rc != SQLITE_DONE) {
        free(known);
        known = NULL;
    }
    sqlite3_finalize(st);
    d->known = known;
}

/* ---- completed visits without an obligation id (matched by window) ---- */
typedef struct {
    char *customer; /* customer_id */
    char *case_id;  /* or NULL: any case of the customer */
    int64_t at;     /* seconds */
} LooseVisit;

typedef struct {
    LooseVisit *v; /* sorted by customer, then time */
    size_t n;      /* how many */
} LooseSet;

static int cmp_loose(const void *a, const void *b)
{
    const LooseVisit *x = a, *y = b;
    int c = strcmp(x->customer, y->customer);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

static void loose_free(LooseSet *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->v[i].customer);
        free(ls->v[i].case_id);
    }
    free(ls->v);
}

/* A completed visit before the run's day, waiting to be checked against
 * the visits that correct it. */
typedef struct {
    int64_t visit; /* visits.id, or -1 once found corrected */
    int64_t key;   /* obl_key of its obligation_id, or -1 - i for loose visit i of the LooseSet */
} Completed;

/* One share of load_visits' pass over visits: those whose id is in
 * [lo, hi], read on db by one thread. */
typedef struct {
    sqlite3 *db;              /* a read connection in the run's snapshot */
    const char *until;        /* as load_visits */
    sqlite3_int64 lo, hi;     /* visits.id range */
    Completed *cv;            /* heap: ncv completed visits, in id order */
    size_t ncv;
    int64_t *fixed;           /* heap: nfixed ids of visits corrected by one of these */
    size_t nfixed;
    LooseSet ls;              /* heap: the loose ones (a cv key -1 - i names ls.v[i]) */
    int rc;                   /* 0, or -1 after printing the store's error */
} VisitPart;

static void *visit_part(void *arg)
{
    VisitPart *vp = arg;
    sqlite3_stmt *st;
    vp->rc = -1;
    if (sqlite3_prepare_v2(vp->db, "SELECT id, outcome = 'completed' AND at < ?1, obligation_id, customer_id, "
                                   "case_id, at, corrects FROM visits WHERE id BETWEEN ?2 AND ?3 AND "
                                   "(corrects IS NOT NULL OR (outcome = 'completed' AND at < ?1))",
                           -1, &st, NULL) != SQLITE_OK) {
        store_error(vp->db, "cannot read the store");
        return NULL;
    }
    sqlite3_bind_text(st, 1, vp->until, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, vp->lo);
    sqlite3_bind_int64(st, 3, vp->hi);
    size_t capcv = 0, capfixed = 0, caploose = 0;
    LooseSet *ls = &vp->ls;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
            if (vp->nfixed == capfixed)
                vp->fixed = xrealloc(vp->fixed, (capfixed = capfixed ? capfixed * 2 : 64) * sizeof *vp->fixed);
            vp->fixed[vp->nfixed++] = sqlite3_column_int64(st, 6);
        }
        if (!sqlite3_column_int(st, 1)) continue;
        Completed c = {sqlite3_column_int64(st, 0), -1};
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            c.key = obl_key((const char *)sqlite3_column_text(st, 2));
            if (c.key < 0) continue;
        } else {
            const char *cust = (const char *)sqlite3_column_text(st, 3);
            const char *at = (const char *)sqlite3_column_text(st, 5);
            int64_t t;
            if (!cust || !at || cal_parse_time(at, strlen(at), &t)) continue;
            if (ls->n == caploose) ls->v = xrealloc(ls->v, (caploose = caploose ? caploose * 2 : 256) * sizeof *ls->v);
            const char *cs = (const char *)sqlite3_column_text(st, 4);
            ls->v[ls->n] = (LooseVisit){xstrdup(cust), cs ? xstrdup(cs) : NULL, t};
            c.key = -1 - (int64_t)ls->n++;
        }
        if (vp->ncv == capcv) vp->cv = xrealloc(vp->cv, (capcv = capcv ? capcv * 2 : 1024) * sizeof *vp->cv);
        vp->cv[vp->ncv++] = c;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_error(vp->db, "cannot read the store");
        return NULL;
    }
    vp->rc = 0;
    return NULL;
}

/* What was done before until ("YYYY-MM-DD"), in one pass over visits: the
 * completed visits that name an obligation (d: their keys) and those that
 * name none but a customer (ls, sorted by customer and time), leaving out
 * every visit another visit corrects.  With two connections (ndb >= 2, in
 * the same snapshot) each reads half of the visits on its own thread: the
 * pass comes before any policy can run.  Fills d and ls (heap; freed with
 * the evaluation).  Returns 0, or -1 after printing the store's error. */
static int load_visits(sqlite3 *const *dbs, int ndb, DoneSet *d, LooseSet *ls, const char *until)
{
    VisitPart part[2] = {{.db = dbs[0], .until = until, .lo = INT64_MIN, .hi = INT64_MAX}, {.db = NULL}};
    int nparts = 1;
    sqlite3_stmt *st;
    /* two subqueries: SQLite reads min or max from the key's end only when
     * it is the query's one aggregate (min(id), max(id) scans the table) */
    if (ndb >= 2 && sqlite3_prepare_v2(dbs[0], "SELECT (SELECT min(id) FROM visits), (SELECT max(id) FROM visits)",
                                       -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            sqlite3_int64 lo = sqlite3_column_int64(st, 0), hi = sqlite3_column_int64(st, 1);
            if (hi - lo > 20000) { /* below that, a thread costs more than it saves */
                sqlite3_int64 mid = lo + (hi - lo) / 2;
                part[0].hi = mid;
                part[1] = (VisitPart){.db = dbs[1], .until = until, .lo = mid + 1, .hi = INT64_MAX};
                nparts = 2;
            }
        }
        sqlite3_finalize(st);
    }
    pthread_t th;
    int threaded = nparts == 2 && !pthread_create(&th, NULL, visit_part, &part[1]);
    if (nparts == 2 && !threaded) visit_part(&part[1]);
    visit_part(&part[0]);
    if (threaded) pthread_join(th, NULL);
    /* the shares in id order, the second's loose keys after the first's */
    Completed *cv = part[0].cv;
    size_t ncv = part[0].ncv;
    int64_t *fixed = part[0].fixed;
    size_t nfixed = part[0].nfixed;
    *ls = part[0].ls;
    if (nparts == 2) {
        VisitPart *b = &part[1];
        cv = xrealloc(cv, (ncv + b->ncv + 1) * sizeof *cv);
        for (size_t i = 0; i < b->ncv; i++) {
            Completed c = b->cv[i];
            if (c.key < 0) c.key -= (int64_t)ls->n;
            cv[ncv++] = c;
        }
        fixed = xrealloc(fixed, (nfixed + b->nfixed + 1) * sizeof *fixed);
        if (b->nfixed) memcpy(fixed + nfixed, b->fixed, b->nfixed * sizeof *fixed);
        nfixed += b->nfixed;
        ls->v = xrealloc(ls->v, (ls->n + b->ls.n + 1) * sizeof *ls->v);
        if (b->ls.n) memcpy(ls->v + ls->n, b->ls.v, b->ls.n * sizeof *ls->v);
        ls->n += b->ls.n;
        free(b->cv);
        free(b->fixed);
        free(b->ls.v);
    }
    if (part[0].rc || (nparts == 2 && part[1].rc)) {
        free(cv);
        free(fixed);
        return -1;
    }
    /* drop the corrected ones: a loose visit is blanked, then squeezed out */
    if (nfixed) {
        qsort(fixed, nfixed, sizeof *fixed, cmp_i64);
        for (size_t i = 0; i < ncv; i++) {
            if (!bsearch(&cv[i].visit, fixed, nfixed, sizeof *fixed, cmp_i64)) continue;
            if (cv[i].key < 0) {
                LooseVisit *v = &ls->v[-1 - cv[i].key];
                free(v->customer);
                free(v->case_id);
                v->customer = NULL;
            }
            cv[i].visit = -1;
        }
        size_t w = 0;
        for (size_t i = 0; i < ls->n; i++)
            if (ls->v[i].customer) ls->v[w++] = ls->v[i];
        ls->n = w;
    }
    size_t nd = 0;
    for (size_t i = 0; i < ncv; i++) nd += cv[i].visit >= 0 && cv[i].key >= 0;
    int64_t *keys = xmalloc((nd + 1) * sizeof *keys);
    nd = 0;
    for (size_t i = 0; i < ncv; i++)
        if (cv[i].visit >= 0 && cv[i].key >= 0) keys[nd++] = cv[i].key;
    free(cv);
    free(fixed);
    done_build(d, keys, nd);
    if (ls->n > 1) qsort(ls->v, ls->n, sizeof *ls->v, cmp_loose);
    return 0;
}

/* A completed visit without an obligation id counts for an obligation of
 * the same customer (and case, when the visit names one) made between its
 * start and 30 days after its deadline (the matching rule of verdicts). */
static int loose_done(const LooseSet *ls, const char *customer, const char *case_id, int64_t from_day,
                      int64_t by_day)
{
    size_t lo = 0, hi = ls->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(ls->v[mid].customer, customer) < 0) lo = mid + 1;
        else hi = mid;
    }
    int64_t from = from_day * 86400, to = (by_day + 31) * 86400;
    for (size_t i = lo; i < ls->n && !strcmp(ls->v[i].customer, customer); i++) {
        const LooseVisit *v = &ls->v[i];
        if (v->at < from || v->at >= to) continue;
        if (v->case_id && (!case_id || strcmp(v->case_id, case_id))) continue;
        return 1;
    }
    return 0;
}

/* ---- helpers ---- */
int ob_status(int64_t from_day, int64_t by_day, int64_t as_of)
{
    if (from_day > as_of) return ST_UPCOMING;
    if (by_day < as_of) return ST_OVERDUE;
    return ST_DUE;
}

const char *ob_status_name(int status)
{
    static const char *const n[] = {"upcoming", "due", "overdue"};
    return n[status];
}

char *ob_policy_source(const Policy *p) { return diag_loc_lines(&p->loc); }

/* ---- the per-thread pool of spent obligations (see ob_free) ---- */
enum { POOL_MAX = 8192 }; /* obligations kept per thread: what circulates between a worker and
                             the recorder (run.c's queue and batches) with room to spare */

typedef struct {
    Obligation *head; /* spent obligations, chained by next_free (owned) */
    size_t n;         /* how many */
} ObPool;

static pthread_key_t pool_key;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static _Thread_local ObPool *tl_pool; /* the calling thread's, or NULL */

static void pool_free(void *arg)
{
    ObPool *p = arg;
    if (!p) return;
    for (Obligation *o = p->head, *next; o; o = next) {
        next = o->next_free;
        free(o->block);
        free(o);
    }
    free(p);
}

/* Free the calling thread's pool (at exit: the main thread's, which no
 * thread-exit destructor frees). */
static void pool_release(void)
{
    if (!tl_pool) return;
    pthread_setspecific(pool_key, NULL);
    pool_free(tl_pool);
    tl_pool = NULL;
}

static void pool_init(void)
{
    /* a thread's pool goes with the thread; the main thread's at exit */
    if (pthread_key_create(&pool_key, pool_free)) abort();
    atexit(pool_release);
}

static ObPool *pool_get(void)
{
    if (!tl_pool) {
        pthread_once(&pool_once, pool_init);
        tl_pool = xcalloc(1, sizeof *tl_pool);
        pthread_setspecific(pool_key, tl_pool);
    }
    return tl_pool;
}

/* A zeroed obligation whose block (block_cap bytes, possibly 0) is its own
 * to reuse: a spent one from the thread's pool when there is one. */
static Obligation *ob_alloc(void)
{
    ObPool *p = tl_pool;
    if (!p || !p->head) return xcalloc(1, sizeof(Obligation));
    Obligation *o = p->head;
    p->head = o->next_free;
    p->n--;
    char *block = o->block;
    size_t cap = o->block_cap;
    memset(o, 0, sizeof *o);
    o->block = block;
    o->block_cap = cap;
    return o;
}

void ob_free(Obligation *o)
{
    if (!o) return;
    if (o->block) {
        free(o->staff);
        o->staff = NULL;
        ObPool *p = pool_get();
        if (p->n < POOL_MAX) {
            o->next_free = p->head;
            p->head = o;
            p->n++;
            return;
        }
        free(o->block);
        free(o);
        return;
    }
    free(o->subject_id);
    free(o->customer_id);
    free(o->customer_name);
    free(o->mobile);
    free(o->case_id);
    free(o->channels);
    free(o->assignees);
    free(o->questions);
    free(o->rule);
    free(o->facts);
    free(o->script);
    free(o->department);
    free(o->staff);
    free(o);
}

static void raised_free(Raised *r)
{
    free(r->customer_id);
    free(r->subject_id);
    for (size_t i = 0; i < r->cites.n; i++) free(r->cites.v[i]);
    pv_free(&r->cites);
    free(r->facts);
    free(r);
}

void ob_result_free(EvalResult *res)
{
    for (size_t i = 0; i < res->escs.n; i++) raised_free(res->escs.v[i]);
    pv_free(&res->escs);
    for (size_t i = 0; i < res->obls.n; i++) ob_free(res->obls.v[i]);
    pv_free(&res->obls);
    for (int i = 0; i < res->nstats; i++) {
        free(res->stats[i].grp);
        free(res->stats[i].grp_eligible);
        free(res->stats[i].grp_drawn);
    }
    free(res->stats);
    res->stats = NULL;
    res->nstats = 0;
}

static int64_t floordiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static void fmt_point(int64_t secs, int with_time, char out[20])
{
    if (with_time) {
        char t[20];
        cal_fmt_time(secs, t);
        t[16] = 0; /* minutes are precise enough for a deadline */
        snprintf(out, 20, "%s", t);
    } else {
        cal_fmt_date(floordiv(secs, 86400), out);
    }
}

/* Sampling group of a day: the day, its week's Monday, or the first day of
 * its month, quarter or year. */
static int64_t group_of(int64_t day, Unit per)
{
    int y, m, d;
    switch (per) {
    case U_WEEKS: return day - cal_weekday(day);
    case U_MONTHS: cal_civil(day, &y, &m, &d); return cal_days(y, m, 1);
    case U_QUARTERS: cal_civil(day, &y, &m, &d); return cal_days(y, (m - 1) / 3 * 3 + 1, 1);
    case U_YEARS: cal_civil(day, &y, &m, &d); return cal_days(y, 1, 1);
    default: return day;
    }
}

/* First day after the group that starts on day g. */
static int64_t group_end(int64_t g, Unit per)
{
    switch (per) {
    case U_WEEKS: return g + 7;
    case U_MONTHS: return cal_add_months(g, 1);
    case U_QUARTERS: return cal_add_months(g, 3);
    case U_YEARS: return cal_add_months(g, 12);
    default: return g + 1;
    }
}

/* One subject that passed the filters, with its candidate occurrences. */
/* One occurrence of a schedule, before it becomes an obligation. */
typedef struct {
    char occ[40];             /* occurrence key, as Obligation.occ */
    int64_t from_t, by_t;     /* seconds */
    int timed;                /* hour durations: due_by carries a clock time */
} Point;

typedef struct {
    Point *v;      /* heap, reused from subject to subject */
    size_t n, cap; /* used, allocated */
} Points;

static Point *point_new(Points *ps)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
    }
    return &ps->v[ps->n++];
}

/* A subject of a sampled policy, kept until its group is drawn; it and
 * everything it points to live in the policy's candidate arena (a sampled
 * policy at a million customers keeps half a million of them). */
typedef struct {
    char *subject_id, *customer_id, *name, *mobile, *dept, *pref; /* arena */
    char hash[17];      /* sampling rank key */
    int64_t group;      /* sampling group (day number) */
    int64_t trig;       /* trigger day, or INT64_MIN */
    Value *slots;       /* the row's slot values (texts in the arena too) */
    Point *pts;         /* its occurrences */
    size_t npts;        /* how many */
    char *waiting;      /* JSON list of schedules waiting for their anchor, or NULL */
} Cand;

static int cmp_cand(const void *a, const void *b)
{
    const Cand *x = *(Cand *const *)a, *y = *(Cand *const *)b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    int c = strcmp(x->hash, y->hash);
    return c ? c : strcmp(x->subject_id, y->subject_id);
}

static void json_value(StrBuf *b, const Value *v, const char *label)
{
    char buf[128];
    switch (v->t) {
    case T_NULL: sb_puts(b, "null"); break;
    case T_BOOL: sb_puts(b, v->i ? "true" : "false"); break;
    case T_INT: sb_printf(b, "%lld", (long long)v->i); break;
    case T_DEC: sb_printf(b, "%g", v->d); break;
    case T_TEXT: {
        /* personal numbers are stored masked even in the facts */
        const char *col = strrchr(label, '.') ? strrchr(label, '.') + 1 : label;
        if (!strcmp(col, "mobile") || !strcmp(col, "phone")) {
            char m[64];
            mask_phone(v->s, m, sizeof m);
            sb_json_str(b, m);
        } else if (!strcmp(col, "id_number")) {
            char m[64];
            mask_id(v->s, m, sizeof m);
            sb_json_str(b, m);
        } else {
            sb_json_str(b, v->s);
        }
        break;
    }
    default: sb_json_str(b, ev_show(v, buf, sizeof buf));
    }
}

typedef struct {
    sqlite3_stmt *st;     /* the plan's statement, on a row */
    const Plan *pl;       /* the plan */
    Value *slots;         /* decoded slot values */
    char **texts;         /* copies of text slots for this row */
    int warned;           /* bad time values reported */
} RowCtx;

/* Decode the current row's slots. */
static void read_slots(RowCtx *r)
{
    for (int i = 0; i < r->pl->nslots; i++) {
        int col = PC_FIXED + i;
        Value *v = &r->slots[i];
        memset(v, 0, sizeof *v);
        free(r->texts[i]);
        r->texts[i] = NULL;
        if (sqlite3_column_type(r->st, col) == SQLITE_NULL) {
            v->t = T_NULL;
            continue;
        }
        Type t = r->pl->slots[i].type;
        switch (t) {
        case T_INT: v->t = T_INT; v->i = sqlite3_column_int64(r->st, col); break;
        case T_BOOL: v->t = T_BOOL; v->i = sqlite3_column_int64(r->st, col) != 0; break;
        case T_DEC: v->t = T_DEC; v->d = sqlite3_column_double(r->st, col); break;
        case T_DATE: case T_TIME: {
            const char *s = (const char *)sqlite3_column_text(r->st, col);
            int n = sqlite3_column_bytes(r->st, col);
            int64_t x;
            int ok = t == T_DATE ? (n == 10 ? cal_parse_date(s, (size_t)n, &x) : cal_parse_time(s, (size_t)n, &x)) == 0
                                 : cal_parse_time(s, (size_t)n, &x) == 0;
            if (!ok) {
                if (r->warned < 5 && !quiet)
                    fprintf(stderr, "revisit: warning: policy %s: %s of %s is '%.40s', not a %s; treated as empty\n",
                            r->pl->pol->id, r->pl->slots[i].label, (const char *)sqlite3_column_text(r->st, 0), s,
                            t == T_DATE ? "date" : "time");
                r->warned++;
                v->t = T_NULL;
            } else if (t == T_DATE) {
                v->t = T_DATE;
                v->i = n == 10 ? x : floordiv(x, 86400);
            } else {
                v->t = T_TIME;
                v->i = x;
            }
            break;
        }
        default:
            r->texts[i] = xstrdup((const char *)sqlite3_column_text(r->st, col));
            v->t = T_TEXT;
            v->s = r->texts[i];
        }
    }
}

/* Pick the assignees: the first assign line whose condition holds; within
 * it the first fallback group whose every role has active staff, else the
 * last group. */
static char *pick_assignees(const Policy *p, const EvRow *row, const StrSet *active, int *rule_line)
{
    *rule_line = 0;
    for (size_t i = 0; i < p->assigns.n; i++) {
        const AssignRule *r = p->assigns.v[i];
        if (r->when && !ev_true(r->when, row)) continue;
        *rule_line = r->loc.first_line;
        int g = r->ngroups - 1;
        for (int k = 0; k < r->ngroups; k++) {
            int all = 1;
            for (char **role = r->groups[k]; *role; role++) all &= set_has(active, *role);
            if (all) {
                g = k;
                break;
            }
        }
        StrBuf b = {0};
        for (char **role = r->groups[g]; *role; role++) {
            if (role != r->groups[g]) sb_putc(&b, '+');
            sb_puts(&b, *role);
        }
        return sb_take(&b);
    }
    return xstrdup("");
}

static int pick_priority(const Policy *p, const EvRow *row)
{
    for (size_t i = 0; i < p->prios.n; i++) {
        const PrioRule *r = p->prios.v[i];
        if (r->when && !ev_true(r->when, row)) continue;
        Value v = ev_expr(r->value, row);
        if (v.t == T_INT) return (int)(v.i < -1000000 ? -1000000 : v.i > 1000000 ? 1000000 : v.i);
    }
    return 3;
}

static char *pick_questions(const Policy *p, const EvRow *row, StrBuf *script)
{
    StrBuf b = {0};
    if (!p->asks) return sb_take(&b);
    for (int k = 0; p->asks[k]; k++) {
        const QSet *q = p->qsets ? p->qsets[k] : NULL;
        if (!q) continue;
        int n = 0;
        for (size_t j = 0; j < q->qs.n; j++) {
            const Question *qq = q->qs.v[j];
            if (qq->when && !ev_true(qq->when, row)) continue;
            n++;
            sb_printf(script, "%s\t%d\t%d\t%s\t%d\t%s\n", q->id, q->ordered, n, qq->id, qq->mandatory,
                      qq->affirmative ? qq->affirmative : "");
        }
        sb_printf(&b, "%s%s(%d)", k ? "," : "", q->id, n);
    }
    return sb_take(&b);
}

char *ob_policy_rules(const Policy *p)
{
    StrBuf b = {0};
    sb_printf(&b, "{\"attempts\":%lld,\"attempts_days\":%d,\"deny\":[", (long long)p->attempts, p->attempts_days);
    for (int i = 0; i < p->ndeny; i++) {
        if (i) sb_putc(&b, ',');
        sb_json_str(&b, p->deny[i]);
    }
    sb_printf(&b, "],\"problem_n\":%lld,\"problem_unit\":%d,\"problem_assign\":", (long long)p->problem_within.n,
              (int)p->problem_within.unit);
    StrBuf a = {0};
    if (p->problem_assign)
        for (char **r = p->problem_assign; *r; r++) {
            if (r != p->problem_assign) sb_putc(&a, '+');
            sb_puts(&a, *r);
        }
    sb_json_str(&b, sb_str(&a));
    sb_free(&a);
    sb_printf(&b, ",\"dissatisfied_below\":%lld}", (long long)p->dissatisfied_below);
    return sb_take(&b);
}

static char *join_channels(const Policy *p)
{
    StrBuf b = {0};
    if (p->channels)
        for (char **c = p->channels; *c; c++) {
            if (c != p->channels) sb_putc(&b, ',');
            sb_puts(&b, *c);
        }
    return sb_take(&b);
}

/* Occurrences of schedule s for one subject.  Each gets due_from/due_by;
 * those before the policy's effective date are skipped. */
static void warn_range(Policy *p, int64_t day)
{
    if (quiet) return;
    if (p->warned_range || !p->cal || !cal_out_of_range(p->cal, day)) return;
    char d[11];
    cal_fmt_date(day, d);
    fprintf(stderr, "revisit: warning: policy %s counts working days on %s, outside the dates calendar %s has data for;"
                    " only its weekends apply there\n", p->id, d, p->cal->id);
    p->warned_range = 1;
}

/* Returns 0, or 1 when the schedule waits for its anchor (still empty). */
static int schedule_points(Policy *p, int si, const Sched *s, const EvRow *row, int64_t horizon_day,
                           Points *out)
{
    Value a = ev_expr(s->anchor, row);
    if (a.t != T_DATE && a.t != T_TIME) return 1;
    int64_t t = a.t == T_DATE ? a.i * 86400 : a.i;
    int64_t tday = floordiv(t, 86400);
    /* a trigger after the run's date has not happened yet as of that date;
     * only reminders ahead of a known future date look forward */
    if (tday > row->as_of && s->kind != S_BEFORE && s->kind != S_REMIND) return 0;
    int hours = 0;
    for (int i = 0; i < s->ndurs; i++) hours |= s->durs[i].unit == U_HOURS;
    int64_t eff = p->effective;
    int64_t from[MAX_OCCURRENCES], by[MAX_OCCURRENCES];
    int keys[MAX_OCCURRENCES]; /* S_EVERY: occurrence k; S_REMIND: occurrence*100 + reminder */
    int n = 0;
    switch (s->kind) {
    case S_WITHIN:
        from[0] = t;
        by[0] = cal_add_dur(p->cal, t, s->durs[0], 1);
        n = 1;
        break;
    case S_BETWEEN:
        from[0] = cal_add_dur(p->cal, t, s->durs[0], 1);
        by[0] = cal_add_dur(p->cal, t, s->durs[1], 1);
        n = 1;
        break;
    case S_AT: case S_BEFORE:
        for (int i = 0; i < s->ndurs && n < MAX_OCCURRENCES; i++, n++)
            from[n] = by[n] = cal_add_dur(p->cal, t, s->durs[i], s->kind == S_AT ? 1 : -1);
        break;
    case S_IMMEDIATELY:
        from[0] = by[0] = t;
        n = 1;
        break;
    case S_REMIND: {
        /* occurrences T + k*P (k >= 1), each with its reminders P_k - Di */
        Value u = s->until ? ev_expr(s->until, row) : (Value){0};
        int64_t until = u.t == T_DATE ? u.i * 86400 + 86399 : u.t == T_TIME ? u.i : INT64_MAX;
        for (int k = 1; n + s->ndurs <= MAX_OCCURRENCES && k < MAX_OCCURRENCES; k++) {
            Dur d = s->period;
            d.n *= k;
            int64_t occ = cal_add_dur(p->cal, t, d, 1);
            if (occ > until) break;
            int any = 0;
            for (int i = 0; i < s->ndurs; i++) {
                int64_t r = cal_add_dur(p->cal, occ, s->durs[i], -1);
                if (floordiv(r, 86400) > horizon_day) continue;
                any = 1;
                keys[n] = k * 100 + i + 1;
                from[n] = by[n] = r;
                n++;
            }
            if (!any && floordiv(cal_add_dur(p->cal, occ, s->durs[0], -1), 86400) > horizon_day) break;
        }
        break;
    }
    case S_EVERY: {
        Value u = s->until ? ev_expr(s->until, row) : (Value){0};
        int64_t until = u.t == T_DATE ? u.i * 86400 + 86399 : u.t == T_TIME ? u.i : INT64_MAX;
        int64_t prev = t;
        int k0 = 1;
        if (eff != INT64_MIN && eff > tday + 1) {
            /* start a period or two before the effective date instead of
             * walking from an old anchor (bounded work, no silent cap) */
            static const double days_per[] = {1.0 / 24, 1, 1.4, 7, 30.44, 91.31, 365.25};
            double per = (double)s->durs[0].n * days_per[s->durs[0].unit];
            long skip = per > 0 ? (long)((double)(eff - tday) / per) - 2 : 0;
            if (skip > 0) {
                k0 = (int)(skip < INT32_MAX ? skip : INT32_MAX - 1);
                Dur d = s->durs[0];
                d.n *= k0 - 1;
                prev = cal_add_dur(p->cal, t, d, 1);
            }
        }
        for (int k = k0; n < MAX_OCCURRENCES; k++) {
            Dur d = s->durs[0];
            d.n *= k;
            int64_t b = cal_add_dur(p->cal, t, d, 1);
            if (b > until) break;
            int64_t f = k == 1 ? prev : floordiv(prev, 86400) * 86400 + 86400;
            if (floordiv(f, 86400) > horizon_day) break;
            from[n] = f;
            by[n] = b;
            keys[n] = k;
            n++;
            prev = b;
        }
        break;
    }
    }
    int wdays = 0;
    for (int i = 0; i < s->ndurs; i++) wdays |= s->durs[i].unit == U_WDAYS;
    if (wdays && n) {
        warn_range(p, tday);
        warn_range(p, floordiv(by[n - 1], 86400));
        warn_range(p, floordiv(from[0], 86400));
    }
    for (int i = 0; i < n; i++) {
        /* the trigger must fall on or after the effective date: the anchor
         * for one-off schedules, each occurrence for recurring ones */
        if (eff != INT64_MIN) {
            int recurring = s->kind == S_EVERY || s->kind == S_REMIND;
            if (recurring ? floordiv(by[i], 86400) < eff : tday < eff) continue;
            if (recurring && floordiv(from[i], 86400) < eff) from[i] = eff * 86400; /* not in force before */
        }
        Point *o = point_new(out);
        /* "<schedule>.<n>" or "<schedule>.<n>.<reminder>": at most three
         * ints of 11 characters and two dots, in occ's 40 bytes */
        char *at = fmt_int(o->occ, si + 1);
        *at++ = '.';
        if (s->kind == S_REMIND) {
            at = fmt_int(at, keys[i] / 100);
            *at++ = '.';
            at = fmt_int(at, keys[i] % 100);
        } else {
            at = fmt_int(at, s->kind == S_EVERY ? keys[i] : i + 1);
        }
        *at = 0;
        o->from_t = from[i];
        o->by_t = by[i];
        o->timed = hours;
    }
    return 0;
}

/* Parse "HH:MM-HH:MM[, ...]" into w (at most max); returns the count, or -1. */
static int parse_windows(const char *s, Window *w, int max)
{
    int n = 0;
    while (s && *s) {
        int h1, m1, h2, m2, used = 0;
        while (*s == ' ' || *s == ',') s++;
        if (!*s) break;
        if (sscanf(s, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4 || n >= max) return -1;
        if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59) return -1;
        w[n].from = h1 * 60 + m1;
        w[n].to = h2 * 60 + m2;
        if (w[n].from < w[n].to) n++;
        s += used;
    }
    return n;
}

/* The first calling window in which ob can be worked: from the later of its
 * start and the run's date, on working days when the policy says so, in
 * the policy's windows narrowed by the customer's preferred ones. */
static void first_window(const Policy *p, const char *pref, int64_t as_of, Obligation *ob)
{
    if (!p->nwindows) return;
    Window w[32];
    int n = 0;
    Window cw[8];
    int nc = pref ? parse_windows(pref, cw, 8) : 0;
    for (int i = 0; i < p->nwindows && n < 32; i++) {
        if (nc <= 0) {
            w[n++] = p->windows[i];
            continue;
        }
        for (int k = 0; k < nc && n < 32; k++) {
            int f = p->windows[i].from > cw[k].from ? p->windows[i].from : cw[k].from;
            int t = p->windows[i].to < cw[k].to ? p->windows[i].to : cw[k].to;
            if (f < t) w[n++] = (Window){f, t};
        }
    }
    if (!n) {
        snprintf(ob->window, sizeof ob->window, "no common window");
        return;
    }
    int64_t start = ob->from_t > as_of * 86400 ? ob->from_t : as_of * 86400;
    int64_t deadline = ob->timed ? ob->by_t : (ob->by_day + 1) * 86400;
    int overdue = ob->by_day < as_of;
    for (int64_t day = floordiv(start, 86400), k = 0; k < 400; day++, k++) {
        if (p->windows_workdays && !cal_is_workday(p->cal, day)) continue;
        for (int i = 0; i < n; i++) {
            int64_t ws = day * 86400 + w[i].from * 60, we = day * 86400 + w[i].to * 60;
            if (we <= start) continue;
            if (ws >= deadline && !overdue) {
                snprintf(ob->window, sizeof ob->window, "none before deadline");
                return;
            }
            char d[11];
            cal_fmt_date(day, d);
            snprintf(ob->window, sizeof ob->window, "%s %02d:%02d-%02d:%02d", d, w[i].from / 60, w[i].from % 60,
                     w[i].to / 60, w[i].to % 60);
            return;
        }
    }
    snprintf(ob->window, sizeof ob->window, "none");
}

/* The obligation id of occurrence occ of a subject (see oblig.h). */
static void make_id(char id[16], const char *policy, const char *table, const char *subject, const char *occ)
{
    const char *part[4] = {policy, table, subject, occ};
    size_t len[4], total = 3;
    for (int i = 0; i < 4; i++) total += len[i] = strlen(part[i]);
    char small[512];
    char *buf = total <= sizeof small ? small : xmalloc(total);
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (i) buf[n++] = 0x1f;
        memcpy(buf + n, part[i], len[i]);
        n += len[i];
    }
    char hex[65];
    sha256_hex(buf, n, hex);
    if (buf != small) free(buf);
    id[0] = 'O';
    id[1] = '-';
    memcpy(id + 2, hex, 12);
    id[14] = 0;
}

/* Column i of st's row copied into a, or NULL for SQL NULL. */
static char *arena_col(Arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

/* Raise (or add this subject to) each fact escalation of p that holds on
 * the current row.  trig is the subject's trigger day (INT64_MIN: none). */
static void raise_escalations(Policy *p, const EvRow *row, const char *subject, const char *customer, int64_t trig,
                              int64_t as_of, EvalResult *res)
{
    for (size_t i = 0; i < p->escalations.n; i++) {
        const Escalation *e = p->escalations.v[i];
        if (!e->when || !ev_true(e->when, row)) continue;
        int64_t day = trig != INT64_MIN ? trig : as_of;
        StrBuf key = {0}, vals = {0};
        sb_printf(&key, "%s%c%s", p->id, 0x1f, e->name);
        if (!e->once_per) sb_printf(&key, "%c%s", 0x1f, subject);
        for (int k = 0; e->once_per && e->once_per[k]; k++) {
            const char *w = e->once_per[k];
            char buf[128];
            if (!e->once_cols[k]) {
                int y, m, d;
                cal_civil(day, &y, &m, &d);
                if (!strcmp(w, "year")) snprintf(buf, sizeof buf, "%04d", y);
                else if (!strcmp(w, "quarter")) snprintf(buf, sizeof buf, "%04d-Q%d", y, (m - 1) / 3 + 1);
                else if (!strcmp(w, "month")) snprintf(buf, sizeof buf, "%04d-%02d", y, m);
                else {
                    char mon[11];
                    cal_fmt_date(day - cal_weekday(day), mon);
                    snprintf(buf, sizeof buf, "week of %s", mon);
                }
            } else {
                Value v = ev_expr(e->once_cols[k], row);
                ev_show(&v, buf, sizeof buf);
            }
            sb_printf(&key, "%c%s", 0x1f, buf);
            if (vals.len) sb_putc(&vals, ',');
            sb_json_str(&vals, w);
            sb_putc(&vals, ':');
            sb_json_str(&vals, buf);
        }
        char hex[65];
        sha256_hex(sb_str(&key), key.len, hex);
        char id[16];
        snprintf(id, sizeof id, "E-%.12s", hex);
        Raised *r = NULL;
        for (size_t k = 0; k < res->escs.n && !r; k++)
            if (!strcmp(((Raised *)res->escs.v[k])->id, id)) r = res->escs.v[k];
        if (!r) {
            r = xcalloc(1, sizeof *r);
            memcpy(r->id, id, sizeof r->id);
            r->pol = p;
            r->rule = e;
            r->customer_id = xstrdup(customer ? customer : "");
            r->subject_id = xstrdup(subject);
            cal_fmt_date(as_of, r->raised_on);
            int64_t due = cal_add_dur(p->cal, as_of * 86400, e->within, 1) / 86400;
            cal_fmt_date(due, r->due_by);
            char *cond = canon_expr_text(e->when);
            StrBuf f = {0};
            sb_puts(&f, "{\"rule\":");
            sb_json_str(&f, e->name);
            sb_printf(&f, ",\"once_per\":{%s},\"when\":", sb_str(&vals));
            sb_json_str(&f, cond);
            sb_putc(&f, '}');
            free(cond);
            r->facts = sb_take(&f);
            pv_push(&res->escs, r);
        }
        int seen = 0;
        for (size_t k = 0; k < r->cites.n && !seen; k++) seen = !strcmp(r->cites.v[k], subject);
        if (!seen) pv_push(&r->cites, xstrdup(subject));
        sb_free(&key);
        sb_free(&vals);
    }
}

/* The progress line: which policy, rows so far, rate, and a rough time
 * left from the share of policies done. */
static struct {
    double t0;     /* start of the evaluation */
    long rows;     /* rows of the policies finished */
    int i, n;      /* policy started last (0-based), how many */
    int taken, ntasks; /* tasks taken before the last one, how many (a policy may be cut into parts) */
} prog_state;      /* guarded by prog_mu while workers run */
static pthread_mutex_t prog_mu = PTHREAD_MUTEX_INITIALIZER;

static void progress(const EvalOpts *o, const PolicyStats *ps, int end)
{
    pthread_mutex_lock(&prog_mu);
    double el = mono_seconds() - prog_state.t0;
    long rows = prog_state.rows + ps->rows;
    char left[32] = "";
    if (prog_state.taken > 0 && !end) {
        double rest = el / prog_state.taken * (prog_state.ntasks - prog_state.taken);
        snprintf(left, sizeof left, ", about %.0fs left", rest);
    }
    fprintf(o->progress, "\rrevisit: policy %d/%d %-28.28s %10ld rows %9.0f rows/s %6.1fs%s\033[K", prog_state.i + 1,
            prog_state.n, ps->pol ? ps->pol->id : "", rows, el > 0 ? rows / el : 0.0, el, left);
    if (end) fputc('\n', o->progress);
    fflush(o->progress);
    pthread_mutex_unlock(&prog_mu);
}

/* What one policy's evaluation shares between its subjects. */
typedef struct {
    Policy *p;              /* the policy */
    const Plan *pl;         /* its plan */
    const EvalOpts *o;      /* the run's options */
    const DoneSet *done;    /* completed obligation ids */
    const LooseSet *loose;  /* completed visits without one */
    const StrSet *active;   /* roles with active staff */
    EvalResult *res;        /* where obligations go when there is no sink */
    PolicyStats *ps;        /* counters */
    int64_t horizon_day;    /* as_of + horizon */
    char *channels;         /* heap: the policy's channels, joined */
    char **rtext;           /* source text of each schedule */
    StrBuf facts;           /* scratch: one obligation's facts */
    StrBuf values, script;  /* scratch: one subject's */
    sqlite3_stmt *known;    /* SELECT 1 FROM main.obligations WHERE id = ?, or NULL (o->skip_known_done) */
} PolCtx;

/* What one subject brings to its obligations. */
typedef struct {
    const char *subject_id, *customer_id, *name, *mobile, *dept, *pref; /* borrowed */
    const EvRow *row;       /* its slot values */
    int64_t trig;           /* trigger day, or INT64_MIN */
    const char *waiting;    /* JSON list of schedules waiting, or NULL */
    const char *sample;     /* JSON members of the sample drawn, or NULL */
} Subject;

/* Hand one finished obligation to the sink (or the result).  Returns 0, or
 * -1 when the sink failed (it has reported why). */
static int emit(PolCtx *pc, Obligation *ob)
{
    if (pc->o->sink) return pc->o->sink(pc->o->sink_ctx, ob);
    pv_push(&pc->res->obls, ob);
    return 0;
}

/* Copy the n strings text[i] into ob's block (grown when too small) and
 * point *field[i] at each copy (NULL stays NULL); n <= 16. */
static void pack_text(Obligation *ob, const char *const *text, char **const *field, int n)
{
    size_t len[16], total = 1;
    for (int i = 0; i < n; i++) total += len[i] = text[i] ? strlen(text[i]) + 1 : 0;
    if (total > ob->block_cap) {
        free(ob->block);
        ob->block_cap = total + total / 4; /* room for the next one's slightly longer texts */
        ob->block = xmalloc(ob->block_cap);
    }
    char *at = ob->block;
    for (int i = 0; i < n; i++) {
        if (!text[i]) {
            *field[i] = NULL;
            continue;
        }
        memcpy(at, text[i], len[i]);
        *field[i] = at;
        at += len[i];
    }
}

/* Whether the store already has obligation id (pc->known); a failed
 * lookup counts as no, which only costs the recorder a lookup of its own. */
static int store_has(PolCtx *pc, const char *id)
{
    sqlite3_reset(pc->known);
    sqlite3_bind_text(pc->known, 1, id, -1, SQLITE_STATIC);
    return sqlite3_step(pc->known) == SQLITE_ROW;
}

/* Make the obligations of one subject's occurrences: those beyond the
 * horizon are only counted; done ones the store already has are only
 * counted when pc->known is set (the recorder would drop them); the rest
 * are built in full, marked done or not, and emitted.  Returns 0 or -1
 * (sink failure). */
static int subject_obligations(PolCtx *pc, const Subject *sj, const Point *pts, size_t npts)
{
    Policy *p = pc->p;
    const Plan *pl = pc->pl;
    int built = 0, aline = 0, prio = 0;
    char *assignees = NULL, *questions = NULL;
    int rc = 0;
    for (size_t i = 0; i < npts && !rc; i++) {
        const Point *pt = &pts[i];
        int64_t from_day = floordiv(pt->from_t, 86400);
        if (from_day > pc->horizon_day) {
            pc->ps->later++;
            continue;
        }
        int64_t by_day = floordiv(pt->by_t, 86400);
        const char *case_id = !strcmp(p->table, "cases") ? sj->subject_id : NULL;
        char id[16];
        make_id(id, p->id, p->table, sj->subject_id, pt->occ);
        int64_t di = done_find(pc->done, id);
        int done = di >= 0 ||
                   loose_done(pc->loose, sj->customer_id ? sj->customer_id : "", case_id, from_day, by_day);
        if (done && pc->known && (di >= 0 && pc->done->known ? pc->done->known[di] : store_has(pc, id))) {
            pc->ps->done++;
            continue;
        }
        if (!built) { /* the per-subject choices, made once it has something to list */
            built = 1;
            sb_clear(&pc->values);
            for (int k = 0; k < pl->nslots; k++) {
                if (k) sb_putc(&pc->values, ',');
                sb_json_str(&pc->values, pl->slots[k].label);
                sb_putc(&pc->values, ':');
                json_value(&pc->values, &sj->row->slots[k], pl->slots[k].label);
            }
            sb_clear(&pc->script);
            assignees = pick_assignees(p, sj->row, pc->active, &aline);
            prio = pick_priority(p, sj->row);
            questions = pick_questions(p, sj->row, &pc->script);
        }
        Obligation *ob = ob_alloc();
        memcpy(ob->occ, pt->occ, sizeof ob->occ);
        fmt_point(pt->from_t, pt->timed, ob->due_from);
        fmt_point(pt->by_t, pt->timed, ob->due_by);
        ob->from_day = from_day;
        ob->by_day = by_day;
        ob->from_t = pt->from_t;
        ob->by_t = pt->by_t;
        ob->timed = pt->timed;
        ob->pol = p;
        ob->version = (int)p->version;
        ob->subject_table = p->table;
        ob->priority = prio;
        cal_fmt_date(sj->trig != INT64_MIN ? sj->trig : ob->from_day, ob->trigger_day);
        memcpy(ob->id, id, sizeof id);
        StrBuf *f = &pc->facts;
        sb_clear(f);
        sb_puts(f, "{\"values\":{");
        sb_puts(f, sb_str(&pc->values));
        sb_putc(f, '}');
        if (sj->waiting) sb_printf(f, ",\"waiting_for_anchor\":[%s]", sj->waiting);
        first_window(p, sj->pref, pc->o->as_of, ob);
        if (ob->window[0]) {
            sb_puts(f, ",\"window\":");
            sb_json_str(f, ob->window);
            if (sj->pref) {
                sb_puts(f, ",\"customer_window\":");
                sb_json_str(f, sj->pref);
            }
        }
        if (aline) {
            char num[24];
            sb_puts(f, ",\"assign_rule_line\":");
            sb_putn(f, num, (size_t)(fmt_int(num, aline) - num));
        }
        if (sj->sample) sb_puts(f, sj->sample);
        sb_putc(f, '}');
        /* the text fields in one allocation: a run makes millions of these */
        const char *text[] = {sj->subject_id, sj->customer_id ? sj->customer_id : "", sj->name ? sj->name : "",
                              sj->mobile, case_id, pc->channels,
                              assignees, sj->dept, questions, sb_str(&pc->script),
                              pc->rtext[atoi(ob->occ) - 1], sb_str(f)};
        char **field[] = {&ob->subject_id, &ob->customer_id, &ob->customer_name, &ob->mobile, &ob->case_id,
                          &ob->channels, &ob->assignees, &ob->department, &ob->questions, &ob->script,
                          &ob->rule, &ob->facts};
        pack_text(ob, text, field, (int)(sizeof text / sizeof *text));
        ob->status = ob_status(ob->from_day, ob->by_day, pc->o->as_of);
        if (done) {
            /* kept for the store (verdicts judge it), not listed */
            pc->ps->done++;
            ob->done = 1;
        } else {
            pc->ps->listed++;
        }
        rc = emit(pc, ob);
    }
    free(assignees);
    free(questions);
    return rc;
}

/* Eligible subjects per trigger group of a policy that is not sampled:
 * trigger days collected, counted at the end. */
typedef struct {
    int64_t *v;    /* heap */
    size_t n, cap; /* used, allocated */
} DayVec;

static void group_count(PolicyStats *ps, int64_t gday, long n, long k)
{
    ps->grp = xrealloc(ps->grp, sizeof *ps->grp * (size_t)(ps->ngrp + 1));
    ps->grp_eligible = xrealloc(ps->grp_eligible, sizeof(long) * (size_t)(ps->ngrp + 1));
    ps->grp_drawn = xrealloc(ps->grp_drawn, sizeof(long) * (size_t)(ps->ngrp + 1));
    ps->grp[ps->ngrp] = gday;
    ps->grp_eligible[ps->ngrp] = n;
    ps->grp_drawn[ps->ngrp] = k;
    ps->ngrp++;
}

/* Set up pc for evaluating policy p with plan pl on db (see PolCtx);
 * release with polctx_close. */
static void polctx_open(PolCtx *pc, sqlite3 *db, Policy *p, const Plan *pl, const EvalOpts *o, const DoneSet *done,
                        const LooseSet *loose, const StrSet *active, EvalResult *res, PolicyStats *ps)
{
    char **rtext = xcalloc(p->scheds.n + 1, sizeof *rtext); /* each schedule's source text */
    for (size_t si = 0; si < p->scheds.n; si++) rtext[si] = diag_loc_text(&((Sched *)p->scheds.v[si])->loc);
    *pc = (PolCtx){p, pl, o, done, loose, active, res, ps, o->as_of + o->horizon, join_channels(p), rtext,
                   {0}, {0}, {0}, NULL};
    if (o->skip_known_done && o->sink &&
        sqlite3_prepare_v2(db, "SELECT 1 FROM main.obligations WHERE id = ?", -1, &pc->known, NULL) != SQLITE_OK)
        pc->known = NULL; /* the recorder drops them itself */
}

static void polctx_close(PolCtx *pc)
{
    sqlite3_finalize(pc->known);
    sb_free(&pc->facts);
    sb_free(&pc->values);
    sb_free(&pc->script);
    free(pc->channels);
    for (size_t si = 0; si < pc->p->scheds.n; si++) free(pc->rtext[si]);
    free(pc->rtext);
}

/* Draw a sampled policy's sample from its candidates (any order; sorted
 * here): per group, once its period is over, the k lowest hashes, whose
 * obligations are made as subject_obligations makes them.  Returns 0, or
 * 3 when the sink failed. */
static int draw_sample(PolCtx *pc, PtrVec *cands)
{
    const Policy *p = pc->p;
    const EvalOpts *o = pc->o;
    PolicyStats *ps = pc->ps;
    const char *seed = p->seed ? p->seed : p->id;
    int failed = 0;
    if (!cands->n) return 0;
    qsort(cands->v, cands->n, sizeof *cands->v, cmp_cand);
    size_t g0 = 0;
    while (g0 < cands->n && !failed) {
        size_t g1 = g0;
        while (g1 < cands->n && ((Cand *)cands->v[g1])->group == ((Cand *)cands->v[g0])->group) g1++;
        int64_t n = (int64_t)(g1 - g0);
        int64_t k = (p->coverage * n + 9999) / 10000;
        if (p->at_least > k) k = p->at_least < n ? p->at_least : n;
        int64_t gday = ((Cand *)cands->v[g0])->group;
        /* a group is drawn only once its period is over, so later
         * arrivals can never change a sample already drawn */
        int open = group_end(gday, p->sample_per) > o->as_of;
        if (!open && (p->effective == INT64_MIN || gday >= group_of(p->effective, p->sample_per)))
            group_count(ps, gday, (long)n, (long)k);
        char gdays[11];
        cal_fmt_date(gday, gdays);
        for (size_t i = g0; i < g1 && !failed; i++) {
            Cand *c = cands->v[i];
            int64_t rank = (int64_t)(i - g0) + 1;
            if (open) {
                ps->pending++;
                continue;
            }
            if (rank > k) {
                ps->sampled_out++;
                continue;
            }
            StrBuf smp = {0};
            sb_printf(&smp, ",\"sample\":{\"seed\":");
            sb_json_str(&smp, seed);
            sb_printf(&smp, ",\"group\":\"%s\",\"key\":\"%s\",\"rank\":%lld,\"drawn\":%lld,\"of\":%lld}", gdays,
                      c->hash, (long long)rank, (long long)k, (long long)n);
            EvRow crow = {c->slots, o->as_of, p->cal};
            Subject sj = {c->subject_id, c->customer_id, c->name, c->mobile, c->dept, c->pref,
                          &crow, c->trig, c->waiting, sb_str(&smp)};
            if (subject_obligations(pc, &sj, c->pts, c->npts)) failed = 1;
            sb_free(&smp);
        }
        g0 = g1;
    }
    return failed ? 3 : 0;
}

/* 1 when policy p draws a sample (coverage under 100 % or an at-least). */
static int is_sampled(const Policy *p)
{
    return p->coverage >= 0 && (p->coverage < 10000 || p->at_least > 0);
}

/* Count the eligible subjects of a policy that is not sampled per trigger
 * day (days: one entry per subject; sorted here) into ps's groups. */
static void count_days(const Policy *p, PolicyStats *ps, DayVec *days)
{
    if (!days->n) return;
    qsort(days->v, days->n, sizeof *days->v, cmp_i64);
    for (size_t g0 = 0, g1; g0 < days->n; g0 = g1) {
        for (g1 = g0; g1 < days->n && days->v[g1] == days->v[g0]; g1++) {}
        int64_t gday = days->v[g0];
        if (gday != INT64_MIN && (p->effective == INT64_MIN || gday >= group_of(p->effective, U_DAYS)))
            group_count(ps, gday, (long)(g1 - g0), (long)(g1 - g0));
    }
}

/* One piece of an evaluation's work: a policy, or one rowid range of its
 * subject table (a policy that does not escalate is cut into parts so that
 * both cores share it: its subjects are independent, but for a sample,
 * which is drawn once all the parts have collected their candidates). */
typedef struct {
    size_t pol;             /* the policy's index in prog */
    int part, nparts;       /* which part of how many (0 of 1: the whole policy) */
    int64_t lo, hi;         /* nparts > 1: the subjects with lo <= rowid <= hi */
    PolicyStats ps;         /* its counters; a policy's parts are summed into its own */
    DayVec days;            /* nparts > 1: trigger days of its eligible subjects (heap), counted once summed */
    PtrVec cands;           /* nparts > 1, sampled: its candidates (Cand *, in carena), drawn once all parts have theirs */
    Arena carena;           /* where they live */
    PolicyStats dps;        /* part 0 of a sampled policy in parts: the counters of its draw */
    const Plan *tmpl;       /* nparts > 1: the policy's plan, made and its access chosen once, before the
                             * workers start (planning writes the AST); each part takes a copy */
} Task;

/* Evaluate policy p (the whole, or task's part when task->nparts > 1),
 * counting into ps and handing obligations to o's sink (or res).  Returns
 * 0, 1 (no plan), or 3 after printing a store error. */
static int eval_policy(sqlite3 *db, Policy *p, const Schema *schema, const EvalOpts *o, const DoneSet *done,
                       const LooseSet *loose, const StrSet *active, EvalResult *res, PolicyStats *ps, Task *task)
{
    ps->pol = p;
    if (p->effective != INT64_MIN && o->as_of < p->effective) return 0; /* not in force yet */
    int parted = task && task->nparts > 1;
    Plan *pl = parted ? plan_dup(task->tmpl) : plan_policy(p, schema, o->as_of);
    if (!pl) return 1;
    if (parted) plan_restrict_rows(pl, task->lo, task->hi);
    sqlite3_stmt *st = plan_prepare(pl, db);
    if (!st) {
        plan_free(pl);
        return 3;
    }
    if (o->explain_plan && (!parted || task->part == 0)) {
        flockfile(o->explain_plan); /* the plan and its note together: workers print at once */
        plan_print(pl, o->explain_plan);
        if (parted)
            fprintf(o->explain_plan, "-- read in %d parts by rowid range, shared by the workers (above: the first)\n",
                    task->nparts);
        funlockfile(o->explain_plan);
    }
    RowCtx r = {st, pl, xcalloc((size_t)pl->nslots + 1, sizeof(Value)), xcalloc((size_t)pl->nslots + 1, sizeof(char *)), 0};
    EvRow row = {r.slots, o->as_of, p->cal};
    int sampled = is_sampled(p);
    const char *seed = p->seed ? p->seed : p->id;
    /* the sample key's part common to every subject: "policy|version|seed|" */
    char kpre[400];
    int kpn = snprintf(kpre, sizeof kpre, "%s|%lld|%s|", p->id, (long long)p->version, seed);
    int kfast = kpn >= 0 && (size_t)kpn < sizeof kpre; /* else every key is built the slow way */
    size_t klen = kfast ? (size_t)kpn : 0;
    PtrVec cands = {0};
    Arena carena = {0}; /* the candidates (Cand) and all they point to */
    DayVec days = {0};
    PolCtx pc;
    polctx_open(&pc, db, p, pl, o, done, loose, active, res, ps);
    char **rtext = pc.rtext;
    Points pts = {0};
    StrBuf waiting = {0};
    int rc, failed = 0;
    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((++ps->rows & 16383) == 0 && o->progress) progress(o, ps, 0);
        read_slots(&r);
        int pass = 1;
        for (int i = 0; i < pl->nresidual && pass; i++) pass = ev_true(pl->residual[i], &row);
        if (!pass) continue;
        const char *sid = (const char *)sqlite3_column_text(st, PC_SUBJECT);
        Value a0 = ev_expr(((Sched *)p->scheds.v[0])->anchor, &row);
        int64_t trig = a0.t == T_DATE ? a0.i : a0.t == T_TIME ? floordiv(a0.i, 86400) : INT64_MIN;
        if (p->escalations.n) {
            /* internal escalations see every subject, do_not_contact included */
            if (sid && (p->effective == INT64_MIN || trig == INT64_MIN || trig >= p->effective) &&
                (trig == INT64_MIN || trig <= o->as_of)) /* a future trigger waits, as obligations do */
                raise_escalations(p, &row, sid, (const char *)sqlite3_column_text(st, PC_CUSTOMER), trig, o->as_of, res);
        }
        if (sqlite3_column_int(st, PC_DNC)) {
            ps->suppressed++;
            continue;
        }
        if (trig != INT64_MIN && p->effective != INT64_MIN && trig < p->effective &&
            ((Sched *)p->scheds.v[0])->kind != S_EVERY && ((Sched *)p->scheds.v[0])->kind != S_REMIND)
            continue; /* triggered before the policy was in force: not eligible at all */
        ps->eligible++;
        pts.n = 0;
        sb_clear(&waiting);
        for (size_t si = 0; si < p->scheds.n; si++)
            if (schedule_points(p, (int)si, p->scheds.v[si], &row, pc.horizon_day, &pts)) {
                ps->not_yet++;
                sb_puts(&waiting, waiting.len ? "," : "");
                sb_json_str(&waiting, rtext[si]);
            }
        if (!sid) sid = "";
        if (!sampled) {
            if (days.n == days.cap) {
                days.cap = days.cap ? days.cap * 2 : 256;
                days.v = xrealloc(days.v, days.cap * sizeof *days.v);
            }
            days.v[days.n++] = trig == INT64_MIN ? INT64_MIN : group_of(trig, U_DAYS);
            Subject sj = {sid, (const char *)sqlite3_column_text(st, PC_CUSTOMER),
                          (const char *)sqlite3_column_text(st, PC_NAME),
                          (const char *)sqlite3_column_text(st, PC_MOBILE),
                          (const char *)sqlite3_column_text(st, PC_DEPT),
                          (const char *)sqlite3_column_text(st, PC_WINDOW),
                          &row, trig, waiting.len ? sb_str(&waiting) : NULL, NULL};
            if (subject_obligations(&pc, &sj, pts.v, pts.n)) failed = 1;
            continue;
        }
        if (trig == INT64_MIN) continue; /* nothing to sample yet */
        Cand *c = arena_alloc(&carena, sizeof *c);
        memset(c, 0, sizeof *c);
        c->subject_id = arena_strdup(&carena, sid);
        c->customer_id = arena_col(&carena, st, PC_CUSTOMER);
        c->name = arena_col(&carena, st, PC_NAME);
        c->mobile = arena_col(&carena, st, PC_MOBILE);
        c->dept = arena_col(&carena, st, PC_DEPT);
        c->pref = arena_col(&carena, st, PC_WINDOW);
        c->trig = trig;
        c->group = group_of(trig, p->sample_per);
        c->slots = arena_alloc(&carena, ((size_t)pl->nslots + 1) * sizeof *c->slots);
        memset(c->slots, 0, ((size_t)pl->nslots + 1) * sizeof *c->slots);
        for (int i = 0; i < pl->nslots; i++) {
            c->slots[i] = r.slots[i];
            if (c->slots[i].t == T_TEXT) c->slots[i].s = arena_strdup(&carena, r.slots[i].s);
        }
        if (pts.n) {
            c->pts = arena_alloc(&carena, pts.n * sizeof *c->pts);
            memcpy(c->pts, pts.v, pts.n * sizeof *c->pts);
            c->npts = pts.n;
        }
        if (waiting.len) c->waiting = arena_strdup(&carena, sb_str(&waiting));
        char key[512], hex[65];
        size_t sn = strlen(c->subject_id);
        if (kfast && klen + sn < sizeof key) { /* "policy|version|seed|subject" */
            memcpy(key, kpre, klen);
            memcpy(key + klen, c->subject_id, sn);
            sha256_hex(key, klen + sn, hex);
        } else {
            StrBuf k = {0};
            sb_printf(&k, "%s|%lld|%s|%s", p->id, (long long)p->version, seed, c->subject_id);
            sha256_hex(sb_str(&k), k.len, hex);
            sb_free(&k);
        }
        memcpy(c->hash, hex, 16);
        c->hash[16] = 0;
        pv_push(&cands, c);
    }
    if (!failed && rc != SQLITE_DONE) store_error(db, "policy query failed");
    if (failed || rc != SQLITE_DONE) failed = 1;
    sqlite3_finalize(st);

    /* not sampled: count the eligible per trigger day (a part's are
     * counted with the other parts') */
    if (!failed && parted) {
        task->days = days;
        days = (DayVec){0};
    } else if (!failed) {
        count_days(p, ps, &days);
    }
    /* sampled: drawn now, or once every part has its candidates */
    if (!failed && parted && sampled) {
        task->cands = cands;
        task->carena = carena;
        cands = (PtrVec){0};
        carena = (Arena){0};
    } else if (!failed && draw_sample(&pc, &cands)) {
        failed = 1;
    }
    pv_free(&cands);
    arena_free(&carena);
    free(days.v);
    free(pts.v);
    sb_free(&waiting);
    polctx_close(&pc);
    for (int i = 0; i < pl->nslots; i++) free(r.texts[i]);
    free(r.texts);
    free(r.slots);
    plan_free(pl);
    return failed ? 3 : 0;
}

/* ---- the workers: each takes the next task not yet taken ---- */
typedef struct {
    Program *prog;           /* the policies */
    const Schema *schema;    /* checked against */
    DoneSet done;            /* read by every worker */
    LooseSet loose;          /* same */
    StrSet active;           /* same */
    Task *tasks;             /* heap: the work, in the order it is taken; each written by one worker */
    size_t ntasks;           /* how many */
    int *left;               /* heap, per policy: its parts not yet evaluated (the last one draws a sample) */
    pthread_mutex_t mu;      /* guards next, left and rc */
    size_t next;             /* the next task to take */
    int rc;                  /* the first failure, or 0 */
} EvalShared;

typedef struct {
    EvalShared *sh;          /* shared */
    sqlite3 *db;             /* this worker's connection */
    const EvalOpts *o;       /* its options (its own sink context) */
    EvalResult *part;        /* its escalations (and obligations, without a sink) */
} EvalWorker;

/* The sample of a sampled policy evaluated in parts (first: its part 0,
 * the others after it), drawn from all their candidates on w's
 * connection once the last part is done; frees the candidates.  Returns
 * eval_policy's codes. */
static int draw_parts(EvalWorker *w, Task *first)
{
    EvalShared *sh = w->sh;
    Policy *p = sh->prog->policies.v[first->pol];
    PtrVec all = {0};
    for (int k = 0; k < first->nparts; k++)
        for (size_t i = 0; i < first[k].cands.n; i++) pv_push(&all, first[k].cands.v[i]);
    PolCtx pc; /* the template's slots are the parts' */
    first->dps.pol = p;
    polctx_open(&pc, w->db, p, first->tmpl, w->o, &sh->done, &sh->loose, &sh->active, w->part, &first->dps);
    int rc = draw_sample(&pc, &all);
    polctx_close(&pc);
    pv_free(&all);
    for (int k = 0; k < first->nparts; k++) {
        pv_free(&first[k].cands);
        arena_free(&first[k].carena);
    }
    return rc;
}

static void *worker_main(void *arg)
{
    EvalWorker *w = arg;
    EvalShared *sh = w->sh;
    for (;;) {
        pthread_mutex_lock(&sh->mu);
        size_t i = sh->next;
        int stop = sh->rc || i >= sh->ntasks;
        if (!stop) sh->next++;
        pthread_mutex_unlock(&sh->mu);
        if (stop) break;
        Task *t = &sh->tasks[i];
        PolicyStats *ps = &t->ps;
        Policy *pol = sh->prog->policies.v[t->pol];
        ps->pol = pol;
        pthread_mutex_lock(&prog_mu);
        prog_state.i = (int)t->pol;
        prog_state.taken = (int)i;
        pthread_mutex_unlock(&prog_mu);
        if (w->o->progress) progress(w->o, ps, 0);
        double t0 = mono_seconds();
        int rc = eval_policy(w->db, pol, sh->schema, w->o, &sh->done, &sh->loose, &sh->active, w->part, ps, t);
        if (!rc && t->nparts > 1 && is_sampled(pol)) {
            pthread_mutex_lock(&sh->mu);
            int last = --sh->left[t->pol] == 0;
            pthread_mutex_unlock(&sh->mu);
            if (last) rc = draw_parts(w, t - t->part);
        }
        ps->secs = mono_seconds() - t0;
        pthread_mutex_lock(&prog_mu);
        prog_state.rows += ps->rows;
        pthread_mutex_unlock(&prog_mu);
        if (rc) {
            pthread_mutex_lock(&sh->mu);
            if (!sh->rc) sh->rc = rc;
            pthread_mutex_unlock(&sh->mu);
        }
    }
    return NULL;
}

/* How many parts policy p is cut into for n workers, filling lo/hi (at
 * most 2n entries) with their rowid ranges and *tmpl with the plan all of
 * them copy (heap; its access chosen once): 1 (the rest unused)
 * for an escalating policy, whose subjects are cited together in order,
 * without a sink (the obligations' order in res is the one worker's), for
 * a query with a count() that does not read the subject's row (each part
 * would count it again), and for a small subject table.  A sampled
 * policy's parts collect candidates; the last one done draws from them
 * all.  The smallest range is REVISIT_PART_ROWS rows when set (tests),
 * else 20000. */
static int plan_parts(sqlite3 *db, Policy *p, const Schema *schema, int n, const EvalOpts *o, int64_t *lo,
                      int64_t *hi, Plan **tmpl)
{
    *tmpl = NULL;
    if (n < 2 || p->escalations.n || !o->sink) return 1;
    const char *env = getenv("REVISIT_PART_ROWS");
    int64_t least = env && *env ? atoll(env) : 20000;
    if (least < 1) least = 1;
    char *sql = sqlite3_mprintf("SELECT (SELECT min(rowid) FROM \"%w\"), (SELECT max(rowid) FROM \"%w\")", p->table,
                                p->table);
    sqlite3_stmt *st = NULL;
    int k = 1;
    if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL) {
        int64_t a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1);
        int64_t span = b - a + 1; /* rowids are 64-bit; a table's span fits unless they are extreme */
        if (span > 0) {
            int64_t want = span / least;
            k = want < 2 ? 1 : want > 2 * n ? 2 * n : (int)want;
            for (int i = 0; i < k && k > 1; i++) {
                lo[i] = a + span / k * i;
                hi[i] = i == k - 1 ? INT64_MAX : a + span / k * (i + 1) - 1;
            }
            if (k > 1) lo[0] = INT64_MIN;
        }
    }
    sqlite3_finalize(st); /* a table without rowids fails to prepare: one part */
    sqlite3_free(sql);
    if (k > 1) {
        Plan *pl = plan_policy(p, schema, o->as_of);
        if (!pl || pl->constant_subqueries || plan_choose_access(pl, db)) {
            plan_free(pl); /* one part, planned by its worker as a whole policy is */
            k = 1;
        } else {
            *tmpl = pl;
        }
    }
    return k;
}

/* Sum the counters of a policy's parts t[0..n-1] (in order) into ps, and
 * count their trigger days together; frees the parts' days. */
static void sum_parts(const Policy *p, PolicyStats *ps, Task *t, int n)
{
    DayVec all = {0};
    for (int i = 0; i < n; i++) {
        const PolicyStats *q = &t[i].ps;
        ps->rows += q->rows;
        ps->eligible += q->eligible;
        ps->suppressed += q->suppressed;
        ps->sampled_out += q->sampled_out;
        ps->pending += q->pending;
        ps->done += q->done;
        ps->listed += q->listed;
        ps->later += q->later;
        ps->not_yet += q->not_yet;
        ps->secs += q->secs;
        if (t[i].days.n) {
            all.v = xrealloc(all.v, (all.n + t[i].days.n) * sizeof *all.v);
            memcpy(all.v + all.n, t[i].days.v, t[i].days.n * sizeof *all.v);
            all.n += t[i].days.n;
        }
        free(t[i].days.v);
        t[i].days = (DayVec){0};
    }
    count_days(p, ps, &all);
    free(all.v);
    /* a sample's draw: its counters, and its groups (a sampled policy has
     * no trigger days above) */
    const PolicyStats *d = &t[0].dps;
    ps->sampled_out += d->sampled_out;
    ps->pending += d->pending;
    ps->done += d->done;
    ps->listed += d->listed;
    ps->later += d->later;
    if (d->ngrp) {
        free(ps->grp);
        free(ps->grp_eligible);
        free(ps->grp_drawn);
        ps->grp = d->grp;
        ps->grp_eligible = d->grp_eligible;
        ps->grp_drawn = d->grp_drawn;
        ps->ngrp = d->ngrp;
        t[0].dps.grp = NULL;
        t[0].dps.grp_eligible = NULL;
        t[0].dps.grp_drawn = NULL;
        t[0].dps.ngrp = 0;
    }
}

/* Append src's items to dst in the order of their policies in prog (the
 * order one worker would have made them in: each policy's items come from
 * one worker, in order).  pol_of gives an item's policy.  Empties src. */
static void merge_by_policy(PtrVec *dst, PtrVec *src, int nsrc, const Program *prog,
                            const Policy *(*pol_of)(const void *))
{
    for (size_t i = 0; i < prog->policies.n; i++)
        for (int k = 0; k < nsrc; k++)
            for (size_t j = 0; j < src[k].n; j++)
                if (pol_of(src[k].v[j]) == prog->policies.v[i]) pv_push(dst, src[k].v[j]);
    for (int k = 0; k < nsrc; k++) pv_free(&src[k]);
}

static const Policy *ob_pol(const void *x) { return ((const Obligation *)x)->pol; }
static const Policy *raised_pol(const void *x) { return ((const Raised *)x)->pol; }

int ob_evaluate_parallel(sqlite3 *const *dbs, int n, Program *prog, const Schema *schema, const EvalOpts *const *opts,
                         EvalResult *res)
{
    enum { MAXW = 8 };
    if (n > MAXW) n = MAXW;
    EvalShared sh = {.prog = prog, .schema = schema};
    const EvalOpts *o = opts[0];
    quiet = o->quiet;
    /* what was done by the end of the run's date: a replay of the past does
     * not see visits made after it */
    char until[11];
    cal_fmt_date(o->as_of + 1, until);
    int rc = 0;
    if (load_visits(dbs, n, &sh.done, &sh.loose, until) ||
        load_set(dbs[0], "SELECT DISTINCT role FROM staff WHERE active = 1", &sh.active)) {
        rc = 3;
        goto out;
    }
    if (o->skip_known_done && o->sink) done_mark_known(dbs[0], &sh.done);
    res->nstats = (int)prog->policies.n;
    res->stats = xcalloc(prog->policies.n + 1, sizeof *res->stats);
    /* the tasks: whole policies first, in order, then the parts of those
     * cut up, which even out the workers' loads at the end */
    size_t cap = prog->policies.n * (2 * (size_t)n) + 1;
    sh.tasks = xcalloc(cap, sizeof *sh.tasks);
    int *nparts = xcalloc(prog->policies.n + 1, sizeof *nparts);
    int64_t *plo = xcalloc(prog->policies.n * 2 * (size_t)n + 1, sizeof *plo);
    int64_t *phi = xcalloc(prog->policies.n * 2 * (size_t)n + 1, sizeof *phi);
    Plan **tmpl = xcalloc(prog->policies.n + 1, sizeof *tmpl);
    for (size_t i = 0; i < prog->policies.n; i++)
        nparts[i] = plan_parts(dbs[0], prog->policies.v[i], schema, n, o, plo + i * 2 * (size_t)n,
                               phi + i * 2 * (size_t)n, &tmpl[i]);
    for (int whole = 1; whole >= 0; whole--)
        for (size_t i = 0; i < prog->policies.n; i++) {
            if ((nparts[i] == 1) != whole) continue;
            for (int k = 0; k < nparts[i]; k++)
                sh.tasks[sh.ntasks++] = (Task){.pol = i, .part = k, .nparts = nparts[i],
                                               .lo = plo[i * 2 * (size_t)n + (size_t)k],
                                               .hi = phi[i * 2 * (size_t)n + (size_t)k],
                                               .tmpl = tmpl[i]};
        }
    free(plo);
    free(phi);
    sh.left = nparts; /* counted down by the workers */
    prog_state.t0 = mono_seconds();
    prog_state.rows = 0;
    prog_state.i = 0;
    prog_state.taken = 0;
    prog_state.n = (int)prog->policies.n;
    prog_state.ntasks = (int)sh.ntasks;
    pthread_mutex_init(&sh.mu, NULL);
    EvalResult parts[MAXW];
    EvalWorker w[MAXW];
    pthread_t th[MAXW];
    int started[MAXW] = {0};
    memset(parts, 0, sizeof parts);
    for (int k = 0; k < n; k++) w[k] = (EvalWorker){&sh, dbs[k], opts[k], n == 1 ? res : &parts[k]};
    /* worker 0 is this thread; a worker that cannot start leaves its share to the others */
    for (int k = 1; k < n; k++) started[k] = !pthread_create(&th[k], NULL, worker_main, &w[k]);
    worker_main(&w[0]);
    for (int k = 1; k < n; k++)
        if (started[k]) pthread_join(th[k], NULL);
    pthread_mutex_destroy(&sh.mu);
    rc = sh.rc;
    /* each policy's counters: its one task's, or its parts' summed in order */
    for (size_t i = 0; i < prog->policies.n; i++) {
        Task *first = NULL;
        for (size_t t = 0; t < sh.ntasks && !first; t++)
            if (sh.tasks[t].pol == i) first = &sh.tasks[t];
        if (!first) continue;
        if (first->nparts == 1) res->stats[i] = first->ps;
        else {
            res->stats[i].pol = prog->policies.v[i];
            sum_parts(prog->policies.v[i], &res->stats[i], first, first->nparts);
        }
    }
    free(nparts);
    sh.left = NULL;
    for (size_t i = 0; i < prog->policies.n; i++) plan_free(tmpl[i]);
    free(tmpl);
    for (size_t t = 0; t < sh.ntasks; t++) { /* what a failure left behind */
        pv_free(&sh.tasks[t].cands);
        arena_free(&sh.tasks[t].carena);
        free(sh.tasks[t].days.v);
        free(sh.tasks[t].dps.grp);
        free(sh.tasks[t].dps.grp_eligible);
        free(sh.tasks[t].dps.grp_drawn);
    }
    if (n > 1) {
        PtrVec src[MAXW];
        for (int k = 0; k < n; k++) src[k] = parts[k].escs;
        merge_by_policy(&res->escs, src, n, prog, raised_pol);
        for (int k = 0; k < n; k++) src[k] = parts[k].obls;
        merge_by_policy(&res->obls, src, n, prog, ob_pol);
    }
    if (o->progress && prog->policies.n) progress(o, &res->stats[prog->policies.n - 1], 1);
out:
    free(sh.tasks);
    loose_free(&sh.loose);
    done_free(&sh.done);
    set_free(&sh.active);
    return rc;
}

int ob_evaluate(sqlite3 *db, Program *prog, const Schema *schema, const EvalOpts *o, EvalResult *res)
{
    return ob_evaluate_parallel(&db, 1, prog, schema, &o, res);
}
