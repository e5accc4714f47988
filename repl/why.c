/* why.c - :why ID [POLICY]: why a customer, case or contact is or is not
 * on the due-list.  For every policy whose subjects include it (a
 * customer's cases for a policy on cases, a case's customer for one on
 * customers...) it shows
 *   - each top-level `and` conjunct of the `where` filter, pass or FAIL,
 *     with the values of the columns and counts it reads;
 *   - the do_not_contact exclusion, said outright;
 *   - the sampling outcome: drawn (rank, group, key), not drawn, pending;
 *   - the dates each schedule computes, and what waits;
 *   - a one-line conclusion.
 * Everything is read-only and goes through the interpreter: the filters
 * are evaluated by ev_expr on a row the planner fetches (a stand-in policy
 * that selects the subject and reads the conjuncts as slots), and the
 * dates and the sample come from ob_evaluate on the policy itself, once
 * restricted to the subject without sampling (the dates it would get) and
 * once as it is (whether the sample drew it).  Nothing is recorded. */
#include <stdlib.h>
#include <string.h>
#include "../interp/cal.h"
#include "../interp/check.h"
#include "../interp/diag.h"
#include "../interp/eval.h"
#include "../interp/oblig.h"
#include "../interp/plan.h"
#include "session.h"

#define WHY_DAYS 366   /* how far ahead dates are computed */
#define WHY_ROWS 10    /* subjects shown per policy */
#define WHY_OCCS 6     /* occurrences shown per schedule */

static const char *const subject_tables[] = {"customers", "cases", "contacts"};

static const char *word_of(const char *table)
{
    return !strcmp(table, "cases") ? "case" : !strcmp(table, "customers") ? "customer" : "contact";
}

static void split_and(Expr *e, PtrVec *out)
{
    if (!e) return;
    if (e->kind == E_BIN && e->op == OP_AND) {
        split_and(e->a, out);
        split_and(e->b, out);
    } else {
        pv_push(out, e);
    }
}

/* First text column of one row of a one-parameter query, heap, or NULL. */
static char *query_text(ReplSession *S, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    char *r = NULL;
    if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) r = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return r;
}

/* The subjects of table `ptable` that concern the subject: itself, its
 * customer, or its customer's cases or contacts (ids onto rows, at most
 * WHY_ROWS).  Returns how many there are in all. */
static long related(ReplSession *S, const char *ptable, const char *stable, const char *sid, const char *cust, PtrVec *rows)
{
    if (!strcmp(ptable, stable)) {
        pv_push(rows, xstrdup(sid));
        return 1;
    }
    if (!cust) return 0;
    if (!strcmp(ptable, "customers")) {
        pv_push(rows, xstrdup(cust));
        return 1;
    }
    if (!schema_table(S->schema, ptable)) return 0;
    char *sql = xasprintf("SELECT id, count(*) OVER () FROM \"%s\" WHERE customer_id = ? ORDER BY id LIMIT %d", ptable, WHY_ROWS);
    sqlite3_stmt *st;
    long total = 0;
    if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, cust, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (sqlite3_column_text(st, 0)) pv_push(rows, xstrdup((const char *)sqlite3_column_text(st, 0)));
            total = sqlite3_column_int64(st, 1);
        }
        sqlite3_finalize(st);
    }
    free(sql);
    return total;
}

/* ---- sampling groups (docs/language.md, "Sampling") ---- */

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

/* A number after `"name":` in a JSON text, or -1. */
static long json_num(const char *json, const char *name)
{
    char key[40];
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *p = json ? strstr(json, key) : NULL;
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Blanks and newlines of a heap string made single spaces, in place. */
static char *one_line(char *s)
{
    char *w = s;
    int blank = 0;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
            blank = 1;
            continue;
        }
        if (blank && w > s) *w++ = ' ';
        blank = 0;
        *w++ = *r;
    }
    *w = 0;
    return s;
}

/* ---- per policy ---- */

/* One evaluation of a policy as a run would do it, kept while the
 * subjects of one :why are explained. */
typedef struct {
    const Policy *pol; /* the policy evaluated */
    EvalResult res;    /* its obligations (whole store, sampled) */
    int done;          /* res is filled */
    int rc;            /* ob_evaluate's result */
} RunCache;

static int evaluate(ReplSession *S, Policy *p, int horizon, EvalResult *res)
{
    Program view;
    memset(&view, 0, sizeof view);
    pv_push(&view.policies, p);
    EvalOpts eo = {.as_of = S->as_of, .horizon = horizon, .explain_plan = NULL};
    repl_line_busy(S->db);
    int rc = ob_evaluate(S->db, &view, S->schema, &eo, res);
    repl_line_busy(NULL);
    pv_free(&view.policies);
    return rc;
}

/* The values a conjunct reads: its columns and its counts, "label = value"
 * joined by ", ". */
static void values_read(const Expr *e, const Expr *root, const Value *vals, StrBuf *out, PtrVec *seen)
{
    if (!e) return;
    int leaf = e->kind == E_COL || e->kind == E_COUNT || e->kind == E_EXISTS || e->kind == E_NEXT;
    if (leaf && e == root && e->kind == E_EXISTS) return; /* pass or FAIL says it all */
    if (leaf && e->slot >= 0) {
        char *label;
        if (e->kind == E_COL) label = xasprintf("%s%s", e->qual == Q_CUSTOMER ? "customer." : "", e->s);
        else label = repl_expr_text(e);
        for (size_t i = 0; i < seen->n; i++)
            if (!strcmp(seen->v[i], label)) {
                free(label);
                return;
            }
        pv_push(seen, label);
        char buf[256];
        if (out->len) sb_puts(out, ", ");
        if (strlen(label) > 48) sb_printf(out, "%.45s...", label);
        else sb_puts(out, label);
        sb_printf(out, " = %s", repl_show_value(&vals[e->slot], label, buf, sizeof buf));
        return;
    }
    if (leaf) return;
    values_read(e->a, root, vals, out, seen);
    values_read(e->b, root, vals, out, seen);
    for (int i = 0; i < e->nitems; i++) values_read(e->items[i], root, vals, out, seen);
}

/* What the stand-in query found for the subject. */
typedef struct {
    int found;        /* the row exists (with its customer) */
    int dnc;          /* the customer is marked do_not_contact */
    char *customer;   /* customer id, heap */
    char *name;       /* customer name, heap */
    int nconj;        /* conjuncts of the filter */
    int *pass;        /* per conjunct: 1 true, 0 false, -1 null */
    char **text;      /* per conjunct: its source text */
    char **vals;      /* per conjunct: the values read */
    Value *anchors;   /* per schedule: the anchor's value */
} Facts;

static void facts_free(Facts *f)
{
    free(f->customer);
    free(f->name);
    for (int i = 0; i < f->nconj; i++) {
        free(f->text[i]);
        free(f->vals[i]);
    }
    free(f->pass);
    free(f->text);
    free(f->vals);
    free(f->anchors);
}

/* Fetch the subject's row with every conjunct and anchor as a slot, and
 * evaluate the conjuncts.  Returns 0, or -1 after a store error. */
static int gather(ReplSession *S, Policy *p, Expr *subject_filter, Facts *f)
{
    PtrVec conj = {0};
    split_and(p->where, &conj);
    f->nconj = (int)conj.n;
    f->pass = xcalloc(conj.n + 1, sizeof *f->pass);
    f->text = xcalloc(conj.n + 1, sizeof *f->text);
    f->vals = xcalloc(conj.n + 1, sizeof *f->vals);
    f->anchors = xcalloc(p->scheds.n + 1, sizeof *f->anchors);
    /* the stand-in: the policy's table, the subject only, every conjunct
     * and anchor read as a value (priority rules are planned as slots) */
    Policy w;
    memset(&w, 0, sizeof w);
    w.id = p->id;
    w.table = p->table;
    w.where = subject_filter;
    w.version = p->version;
    w.effective = INT64_MIN;
    w.coverage = -1;
    w.cal = p->cal;
    size_t nr = conj.n + p->scheds.n;
    PrioRule *rules = xcalloc(nr + 1, sizeof *rules);
    for (size_t i = 0; i < conj.n; i++) {
        rules[i].value = conj.v[i];
        pv_push(&w.prios, &rules[i]);
    }
    for (size_t i = 0; i < p->scheds.n; i++) {
        rules[conj.n + i].value = ((Sched *)p->scheds.v[i])->anchor;
        pv_push(&w.prios, &rules[conj.n + i]);
    }
    int ret = 0;
    Plan *pl = plan_policy(&w, S->schema, S->as_of);
    sqlite3_stmt *st = pl ? plan_prepare(pl, S->db) : NULL;
    if (st) {
        Value *vals = xcalloc((size_t)pl->nslots + 1, sizeof *vals);
        char **texts = xcalloc((size_t)pl->nslots + 1, sizeof *texts);
        repl_line_busy(S->db);
        int rc = sqlite3_step(st);
        repl_line_busy(NULL);
        if (rc == SQLITE_ROW) {
            f->found = 1;
            repl_read_slots(st, pl, vals, texts);
            f->dnc = sqlite3_column_int(st, PC_DNC);
            if (sqlite3_column_text(st, PC_CUSTOMER)) f->customer = xstrdup((const char *)sqlite3_column_text(st, PC_CUSTOMER));
            if (sqlite3_column_text(st, PC_NAME)) f->name = xstrdup((const char *)sqlite3_column_text(st, PC_NAME));
            EvRow row = {vals, S->as_of, p->cal};
            for (size_t i = 0; i < conj.n; i++) {
                Value v = ev_expr(conj.v[i], &row);
                f->pass[i] = v.t == T_NULL ? -1 : v.t == T_BOOL && v.i;
                f->text[i] = repl_expr_text(conj.v[i]);
                StrBuf b = {0};
                PtrVec seen = {0};
                values_read(conj.v[i], conj.v[i], vals, &b, &seen);
                for (size_t k = 0; k < seen.n; k++) free(seen.v[k]);
                pv_free(&seen);
                f->vals[i] = sb_take(&b);
            }
            for (size_t i = 0; i < p->scheds.n; i++) f->anchors[i] = ev_expr(((Sched *)p->scheds.v[i])->anchor, &row);
            /* text anchors are not kept: schedules anchor on dates and times */
        } else if (rc != SQLITE_DONE) {
            if (rc == SQLITE_INTERRUPT) repl_error(S, "interrupted");
            else repl_error(S, "the store: %s", sqlite3_errmsg(S->db));
            ret = -1;
        }
        sqlite3_finalize(st);
        repl_slots_clear(texts, pl->nslots);
        free(texts);
        free(vals);
    } else {
        S->failed = 1;
        ret = -1;
    }
    plan_free(pl);
    pv_free(&w.prios);
    free(rules);
    pv_free(&conj);
    return ret;
}

static const char *status_text(const ReplSession *S, const Obligation *o, char *buf, size_t n)
{
    const char *st = ob_status_name(o->status);
    if (o->from_day > S->as_of + S->horizon)
        snprintf(buf, n, "%s, beyond the %d-day horizon", st, S->horizon);
    else
        snprintf(buf, n, "%s", st);
    return buf;
}

/* Explain one subject of one policy: in detail, or (detail = 0) in one
 * line when a filter already rules it out.  Returns 0, or -1 after an
 * error. */
static int explain(ReplSession *S, Policy *p, const char *rowid, RunCache *cache, int detail)
{
    int errs;
    char *q = repl_quote(rowid);
    char *head = xasprintf("policy __why { applies to %s where", p->table);
    char *cond = xasprintf("id = %s", q);
    Program *sf = repl_parse_wrapped(S, head, cond, &errs);
    free(cond);
    free(head);
    free(q);
    Expr *filter = !errs && sf->policies.n == 1 ? ((Policy *)sf->policies.v[0])->where : NULL;
    if (!filter || chk_expr(filter, S->schema, p->table)) {
        program_free(sf);
        repl_error(S, "cannot select %s %s", word_of(p->table), rowid);
        return -1;
    }
    Facts f;
    memset(&f, 0, sizeof f);
    if (gather(S, p, filter, &f)) {
        facts_free(&f);
        program_free(sf);
        return -1;
    }
    int in_force = p->effective == INT64_MIN || S->as_of >= p->effective;
    int first_fail = -1, nfail = 0;
    for (int i = 0; i < f.nconj; i++)
        if (f.pass[i] != 1 && !nfail++) first_fail = i;
    if (!detail && f.found && (nfail || !in_force)) {
        printf("%s v%lld - %s %s: %s", p->id, (long long)p->version, word_of(p->table), rowid,
               repl_paint(S, "1;31", "not due"));
        if (!in_force) {
            char d[11];
            cal_fmt_date(p->effective, d);
            printf(", not in force before %s\n", d);
        } else {
            printf(", filter %d fails: %s", first_fail + 1, f.text[first_fail]);
            if (*f.vals[first_fail]) printf("  [%s]", f.vals[first_fail]);
            if (nfail > 1) printf(" (and %d more)", nfail - 1);
            printf("\n");
        }
        facts_free(&f);
        program_free(sf);
        return 0;
    }
    printf("%s v%lld - %s %s", p->id, (long long)p->version, word_of(p->table), rowid);
    if (f.found && strcmp(p->table, "customers")) printf(" (customer %s%s%s)", f.customer ? f.customer : "?",
                                                         f.name ? " " : "", f.name ? f.name : "");
    else if (f.found && f.name) printf(" (%s)", f.name);
    printf("\n");
    if (!f.found) {
        printf("  its customer is not in the customers table: no policy on %s can select it\n", p->table);
        printf("  => not due\n");
        facts_free(&f);
        program_free(sf);
        return 0;
    }
    if (!in_force) {
        char d[11];
        cal_fmt_date(p->effective, d);
        printf("  not in force before %s (as of is ", d);
        cal_fmt_date(S->as_of, d);
        printf("%s)\n", d);
    }
    /* the filter, conjunct by conjunct */
    if (!f.nconj) printf("  no filter: every %s is selected\n", word_of(p->table));
    int tw = 0;
    for (int i = 0; i < f.nconj; i++) {
        int w = utf8_width(f.text[i], strlen(f.text[i]));
        if (w > tw && w <= 50) tw = w;
    }
    for (int i = 0; i < f.nconj; i++) {
        const char *word = f.pass[i] == 1 ? repl_paint(S, "32", "pass") : repl_paint(S, "1;31", "FAIL");
        int w = utf8_width(f.text[i], strlen(f.text[i]));
        printf("  filter %d %s  %s%*s", i + 1, word, f.text[i], w < tw ? tw - w : 0, "");
        if (*f.vals[i]) printf("  [%s]", f.vals[i]);
        if (f.pass[i] == -1) printf("  (null: not true)");
        printf("\n");
    }
    if (f.dnc)
        printf("  do_not_contact: customer %s is marked do_not_contact: excluded, a run makes nothing due for it\n",
               f.customer ? f.customer : rowid);
    int eligible = in_force && !nfail && !f.dnc;

    /* dates: the policy restricted to this subject, without sampling */
    Policy c = *p;
    c.where = filter;
    c.coverage = -1;
    c.at_least = 0;
    EvalResult mine = {0};
    int horizon = S->horizon > WHY_DAYS ? S->horizon : WHY_DAYS;
    int rc = in_force && !f.dnc ? evaluate(S, &c, horizon, &mine) : 0;
    if (rc) {
        repl_error(S, "%s", rc == 3 && repl_line_interrupted() ? "interrupted" : "the store could not be read");
        ob_result_free(&mine);
        facts_free(&f);
        program_free(sf);
        return -1;
    }
    if (nfail && in_force && !f.dnc) printf("  dates it would get, were it selected:\n");
    int waiting = 0;
    long listed = 0, later = 0, ndone = 0;
    const Obligation *first_due = NULL;
    for (size_t si = 0; si < p->scheds.n && in_force && !f.dnc; si++) {
        const Sched *s = p->scheds.v[si];
        char *rule = one_line(diag_loc_text(&s->loc));
        const Value *a = &f.anchors[si];
        char buf[64];
        if (a->t != T_DATE && a->t != T_TIME) {
            if (s->anchor->kind == E_COL)
                printf("  %s: waits, %s%s is empty\n", rule, s->anchor->qual == Q_CUSTOMER ? "customer." : "", s->anchor->s);
            else printf("  %s: waits, that date is still empty\n", rule);
            free(rule);
            waiting++;
            continue;
        }
        char prefix[32];
        snprintf(prefix, sizeof prefix, "%zu.", si + 1);
        int shown = 0, n = 0;
        for (size_t i = 0; i < mine.obls.n; i++) {
            const Obligation *o = mine.obls.v[i];
            if (strncmp(o->occ, prefix, strlen(prefix))) continue;
            n++;
            if (o->done) ndone++;
            else if (o->from_day > S->as_of + S->horizon) later++;
            else {
                listed++;
                if (!first_due) first_due = o;
            }
            if (shown++ >= WHY_OCCS) continue;
            if (shown == 1)
                printf("  %s (%s%s = %s):\n", rule,
                       s->anchor->kind == E_COL && s->anchor->qual == Q_CUSTOMER ? "customer." : "",
                       s->anchor->kind == E_COL ? s->anchor->s : "its date", ev_show(a, buf, sizeof buf));
            char stbuf[96];
            if (o->done)
                snprintf(stbuf, sizeof stbuf, "done: a completed visit");
            else
                status_text(S, o, stbuf, sizeof stbuf);
            if (!strcmp(o->due_from, o->due_by))
                printf("    %s due on %s (%s)", o->id, o->due_by, stbuf);
            else
                printf("    %s due from %s by %s (%s)", o->id, o->due_from, o->due_by, stbuf);
            printf("\n");
        }
        if (n > WHY_OCCS) printf("    ... and %d more within %d days\n", n - WHY_OCCS, horizon);
        if (!n) {
            int64_t tday = a->t == T_DATE ? a->i : (a->i >= 0 ? a->i / 86400 : -((-a->i + 86399) / 86400));
            char d[11];
            cal_fmt_date(tday, d);
            if (tday > S->as_of && s->kind != S_BEFORE && s->kind != S_REMIND)
                printf("  %s: nothing yet, %s is %s, after the as-of date\n", rule, s->anchor->kind == E_COL ? s->anchor->s : "its anchor", d);
            else if (p->effective != INT64_MIN && tday < p->effective && s->kind != S_EVERY && s->kind != S_REMIND)
                printf("  %s: nothing, its trigger (%s) is before the effective date\n", rule, d);
            else
                printf("  %s: nothing open (from %s)\n", rule, ev_show(a, buf, sizeof buf));
        }
        free(rule);
    }

    /* the sample: what the policy as it is draws */
    int sampled = p->coverage >= 0 && (p->coverage < 10000 || p->at_least > 0);
    int drawn = -1; /* -1 unknown or moot, 0 not drawn, 1 drawn, 2 pending */
    if (sampled && eligible && mine.obls.n) {
        if (!cache->done) {
            cache->done = 1;
            cache->rc = evaluate(S, p, horizon, &cache->res);
        }
        const Obligation *hit = NULL;
        for (size_t i = 0; i < cache->res.obls.n && !cache->rc; i++) {
            const Obligation *o = cache->res.obls.v[i];
            if (!strcmp(o->subject_id, rowid)) hit = o;
        }
        const char *seed = p->seed ? p->seed : p->id;
        StrBuf k = {0};
        sb_printf(&k, "%s|%lld|%s|%s", p->id, (long long)p->version, seed, rowid);
        char hex[65];
        sha256_hex(sb_str(&k), k.len, hex);
        sb_free(&k);
        hex[16] = 0;
        char pct[32];
        snprintf(pct, sizeof pct, "%lld.%02lld%%", (long long)(p->coverage / 100), (long long)(p->coverage % 100));
        const Obligation *o0 = mine.obls.v[0];
        int64_t tday;
        cal_parse_date(o0->trigger_day, 10, &tday);
        int64_t g = group_of(tday, p->sample_per), ge = group_end(g, p->sample_per);
        char gd[11], ged[11];
        cal_fmt_date(g, gd);
        cal_fmt_date(ge - 1, ged);
        if (cache->rc) {
            printf("  sample: could not be drawn (store error)\n");
        } else if (hit) {
            drawn = 1;
            printf("  sample (coverage %s, seed \"%s\"): drawn, rank %ld of %ld eligible in %s..%s (%ld drawn; key %s)\n",
                   pct, seed, json_num(hit->facts, "rank"), json_num(hit->facts, "of"), gd, ged,
                   json_num(hit->facts, "drawn"), hex);
        } else if (ge > S->as_of) {
            drawn = 2;
            printf("  sample (coverage %s, seed \"%s\"): pending, %s..%s is not over; the draw happens once it is (key %s)\n",
                   pct, seed, gd, ged, hex);
        } else {
            drawn = 0;
            const PolicyStats *ps = cache->res.nstats ? &cache->res.stats[0] : NULL;
            long ne = -1, nd = -1;
            for (int i = 0; ps && i < ps->ngrp; i++)
                if (ps->grp[i] == g) {
                    ne = ps->grp_eligible[i];
                    nd = ps->grp_drawn[i];
                }
            if (ne >= 0)
                printf("  sample (coverage %s, seed \"%s\"): not drawn, key %s ranks after the %ld drawn of %ld eligible in %s..%s\n",
                       pct, seed, hex, nd, ne, gd, ged);
            else
                printf("  sample (coverage %s, seed \"%s\"): not drawn (key %s, group %s..%s)\n", pct, seed, hex, gd, ged);
        }
    }

    /* the conclusion */
    const char *arrow = "  =>";
    if (!in_force) printf("%s not due: the policy is not in force yet\n", arrow);
    else if (nfail) {
        printf("%s not due: filter %d fails (%s)", arrow, first_fail + 1, f.text[first_fail]);
        if (nfail > 1) printf(", and %d more", nfail - 1);
        printf("\n");
    } else if (f.dnc) printf("%s not due: excluded as do_not_contact\n", arrow);
    else if (drawn == 0) printf("%s not due: not drawn in the sample\n", arrow);
    else if (drawn == 2) printf("%s not due yet: the sample of its period is drawn when the period ends\n", arrow);
    else if (listed) {
        char stbuf[96];
        printf("%s on the due-list: %s by %s (%s)", arrow, first_due->id, first_due->due_by,
               status_text(S, first_due, stbuf, sizeof stbuf));
        if (listed > 1) printf(", and %ld more", listed - 1);
        printf("\n");
    } else if (later) printf("%s nothing due within %d days; %ld later\n", arrow, S->horizon, later);
    else if (waiting) printf("%s nothing due: waiting for a date that is still empty\n", arrow);
    else if (ndone) printf("%s nothing due: done\n", arrow);
    else printf("%s nothing due now\n", arrow);
    ob_result_free(&mine);
    facts_free(&f);
    program_free(sf);
    return 0;
}

int repl_why(ReplSession *S, const char *table, const char *id, const char *policy)
{
    if (!S->has_store) {
        repl_error(S, ":why needs a store: start with revisit repl -s STORE");
        return -1;
    }
    const char *stable = NULL;
    if (table) {
        for (int i = 0; i < 3; i++)
            if (!strcmp(word_of(subject_tables[i]), table)) stable = subject_tables[i];
        if (!stable) {
            repl_error(S, ":why takes case, customer or contact before the id, not '%s'", table);
            return -1;
        }
        if (!repl_subject_exists(S, stable, id)) {
            repl_error(S, "no %s '%s' in the store", table, id);
            return -1;
        }
    } else {
        int found = 0;
        for (int i = 0; i < 3; i++)
            if (schema_table(S->schema, subject_tables[i]) && repl_subject_exists(S, subject_tables[i], id)) {
                if (!stable) stable = subject_tables[i];
                found++;
            }
        if (!stable) {
            repl_error(S, "no customer, case or contact has the id '%s'", id);
            return -1;
        }
        if (found > 1)
            printf("(%s is the id of more than one kind of subject; this is the %s: say :why case|customer|contact %s)\n",
                   id, word_of(stable), id);
    }
    Policy *only = NULL;
    if (policy && !(only = repl_policy(S, policy))) {
        repl_unknown_policy(S, policy);
        return -1;
    }
    char *cust = !strcmp(stable, "customers") ? xstrdup(id)
               : query_text(S, !strcmp(stable, "cases") ? "SELECT customer_id FROM cases WHERE id = ?"
                                                         : "SELECT customer_id FROM contacts WHERE id = ?", id);
    char *cname = cust ? query_text(S, "SELECT name FROM customers WHERE id = ?", cust) : NULL;
    char *dnc = cust ? query_text(S, "SELECT do_not_contact FROM customers WHERE id = ?", cust) : NULL;
    printf("%s %s", word_of(stable), id);
    if (strcmp(stable, "customers") && cust) printf(" of customer %s", cust);
    if (cname) printf(" (%s)", cname);
    if (dnc && atoi(dnc)) printf(": marked do_not_contact, never on a due-list");
    printf(", as of ");
    char d[11];
    cal_fmt_date(S->as_of, d);
    printf("%s\n", d);
    if (!S->prog->policies.n) printf("no policies are loaded (:load FILE|DIR, or type one)\n");
    int ret = 0;
    StrBuf none = {0};
    for (size_t i = 0; i < S->prog->policies.n && ret == 0; i++) {
        Policy *p = S->prog->policies.v[i];
        if (only && p != only) continue;
        PtrVec rows = {0};
        long total = related(S, p->table, stable, id, cust, &rows);
        if (!rows.n) {
            sb_printf(&none, "%s%s", none.len ? ", " : "", p->id);
            if (only) printf("%s applies to %s: %s %s has none\n", p->id, p->table, word_of(stable), id);
        }
        RunCache cache;
        memset(&cache, 0, sizeof cache);
        cache.pol = p;
        for (size_t r = 0; r < rows.n; r++) {
            if (ret == 0) ret = explain(S, p, rows.v[r], &cache, only != NULL);
            free(rows.v[r]);
        }
        if (total > (long)rows.n)
            printf("  ... and %ld more %s of customer %s (:why %s ID %s)\n", total - (long)rows.n, p->table, cust,
                   word_of(p->table), p->id);
        if (cache.done) ob_result_free(&cache.res);
        pv_free(&rows);
    }
    if (none.len && !only) printf("not concerned (no %s of theirs to select): %s\n", "subject", sb_str(&none));
    sb_free(&none);
    free(cust);
    free(cname);
    free(dnc);
    return ret;
}
