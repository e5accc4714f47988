/* tst.c - `revisit test`: the tests written in policy files.
 *
 * Each test gets a throwaway in-memory store with the documented schema
 * (plus the `column` declarations of the program), the rows of the fixture
 * it uses and the rows it gives, then every policy of the program is
 * evaluated and recorded as of the test's date exactly as `revisit run`
 * would, and each `expect` line is checked: obligations due (or not), a
 * verdict, a coverage figure.  Failures name the test's file:line:col, the
 * expectation and what happened instead; the run ends with
 * "N passed, N failed".  --coverage lists the rules (schedules, assign
 * lines, questions) that no test exercised. */
#include <stdlib.h>
#include <string.h>
#include "cal.h"
#include "check.h"
#include "cli.h"
#include "diag.h"
#include "load.h"
#include "oblig.h"
#include "run.h"
#include "store.h"
#include "verdict.h"

typedef struct {
    const char *kind;  /* as written in tests */
    const char *table; /* store table */
} RowKind;

static const RowKind kinds[] = {{"customer", "customers"}, {"case", "cases"},   {"contact", "contacts"},
                                {"staff", "staff"},         {"event", "events"}, {"visit", "visits"}};
enum { NKINDS = sizeof kinds / sizeof *kinds };

/* What the tests exercised, for --coverage. */
typedef struct {
    char *key; /* "policy\tkind\tdetail" */
    Loc loc;   /* where the rule is written */
    char *what; /* for people */
    int hits;  /* times exercised */
} Rule;

typedef struct {
    Program *prog;      /* the policies and tests */
    PtrVec rules;       /* Rule* */
    int failed;         /* failures in the current test */
    const Test *t;      /* the current test */
} Tst;

static void fail_line(Tst *x, const Loc *l, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail_line(Tst *x, const Loc *l, const char *fmt, ...)
{
    if (!x->failed)
        printf("%s:%d:%d: FAIL test \"%s\"\n", x->t->loc.src->path, x->t->loc.first_line, x->t->loc.first_column,
               x->t->name);
    x->failed++;
    va_list ap;
    va_start(ap, fmt);
    printf("  %s:%d:%d: ", l->src->path, l->first_line, l->first_column);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static int valid_ident(const char *s)
{
    if (!s || !*s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* A fresh in-memory store with the program's declared extra columns. */
static sqlite3 *test_store(Program *prog)
{
    sqlite3 *db = store_memory();
    if (!db) return NULL;
    for (size_t i = 0; i < prog->columns.n; i++) {
        ColumnDecl *d = prog->columns.v[i];
        if (!valid_ident(d->table) || !valid_ident(d->name)) continue;
        const char *type = !strcmp(d->type, "integer") ? "INTEGER" : !strcmp(d->type, "decimal") ? "REAL" : "TEXT";
        char *sql = xasprintf("ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", d->table, d->name, type);
        sqlite3_exec(db, sql, NULL, NULL, NULL); /* an existing column is fine */
        free(sql);
    }
    return db;
}

/* Bind a literal to a statement parameter, in the column's convention. */
static int bind_value(sqlite3_stmt *st, int i, const Expr *e, Type coltype, char **err)
{
    char buf[20];
    switch (e->kind) {
    case E_NULL: sqlite3_bind_null(st, i); return 0;
    case E_INT: case E_BOOL: sqlite3_bind_int64(st, i, e->i); return 0;
    case E_DEC: sqlite3_bind_double(st, i, e->d); return 0;
    case E_DATE:
        if (coltype == T_TIME) cal_fmt_time(e->i * 86400, buf);
        else cal_fmt_date(e->i, buf);
        sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
        return 0;
    case E_TIME: cal_fmt_time(e->i, buf); sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT); return 0;
    case E_STR:
        if (coltype == T_TIME || coltype == T_DATE) {
            int64_t v;
            size_t n = strlen(e->s);
            if (coltype == T_DATE ? cal_parse_date(e->s, n, &v) : cal_parse_time(e->s, n, &v)) {
                *err = xasprintf("'%s' is not a valid %s", e->s, coltype == T_DATE ? "date" : "time");
                return -1;
            }
            if (coltype == T_DATE) cal_fmt_date(v, buf);
            else cal_fmt_time(v, buf);
            sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
            return 0;
        }
        sqlite3_bind_text(st, i, e->s, -1, SQLITE_STATIC);
        return 0;
    default:
        *err = xstrdup("a field takes a literal value");
        return -1;
    }
}

static char *lookup(sqlite3 *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    char *r = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) r = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return r;
}

static int has_field(const FixRow *r, const char *f)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->fields[i], f)) return 1;
    return 0;
}

static const Expr *field(const FixRow *r, const char *f)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->fields[i], f)) return r->values[i];
    return NULL;
}

/* Insert one row, filling the documented defaults.  Returns 0 or -1 after
 * reporting the failure. */
static int insert_row(Tst *x, sqlite3 *db, const Schema *schema, const FixRow *r, char **last_customer)
{
    const RowKind *k = NULL;
    for (int i = 0; i < NKINDS; i++)
        if (!strcmp(kinds[i].kind, r->table)) k = &kinds[i];
    if (!k) {
        const char *names[NKINDS];
        for (int i = 0; i < NKINDS; i++) names[i] = kinds[i].kind;
        const char *best = closest_name(r->table, names, NKINDS);
        fail_line(x, &r->loc, "unknown row kind '%s'%s%s%s (customer, case, contact, staff, event, visit)", r->table,
                  best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
        return -1;
    }
    const Table *t = schema_table(schema, k->table);
    StrBuf cols = {0}, qs = {0};
    int n = 0;
    const Expr *answers = NULL;
    for (int i = 0; i < r->n; i++) {
        if (!strcmp(k->table, "visits") && !strcmp(r->fields[i], "answers")) {
            answers = r->values[i];
            continue;
        }
        if (!table_column(t, r->fields[i])) {
            fail_line(x, &r->loc, "table %s has no column '%s'", k->table, r->fields[i]);
            sb_free(&cols);
            sb_free(&qs);
            return -1;
        }
        sb_printf(&cols, "%s\"%s\"", n ? ", " : "", r->fields[i]);
        sb_puts(&qs, n ? ", ?" : "?");
        n++;
    }
    /* defaults */
    const char *const customers_def[][2] = {{"name", NULL}, {"created_at", "2020-01-01 00:00:00"}};
    char *def_customer = NULL, *def_opened = NULL;
    const char *xnames[8], *xvals[8]; /* default columns and their values */
    int nx = 0;
#define DEFAULT(col, val)                                          \
    do {                                                           \
        if (!has_field(r, col) && (val)) {                         \
            xnames[nx] = (col);                                    \
            xvals[nx++] = (val);                                   \
        }                                                          \
    } while (0)
    if (!strcmp(k->table, "customers")) {
        DEFAULT(customers_def[0][0], r->id);
        DEFAULT(customers_def[1][0], customers_def[1][1]);
    } else if (!strcmp(k->table, "cases") || !strcmp(k->table, "contacts")) {
        DEFAULT("customer_id", *last_customer);
        if (!strcmp(k->table, "cases")) {
            const Expr *c = field(r, "closed_at");
            if (c && c->kind == E_TIME) {
                char buf[20];
                cal_fmt_time(c->i, buf);
                def_opened = xstrdup(buf);
            } else if (c && c->kind == E_DATE) {
                char buf[20];
                cal_fmt_time(c->i * 86400, buf);
                def_opened = xstrdup(buf);
            } else if (c && c->kind == E_STR) {
                def_opened = xstrdup(c->s);
            }
            DEFAULT("opened_at", def_opened ? def_opened : "2020-01-01 00:00:00");
        }
    } else if (!strcmp(k->table, "visits")) {
        const Expr *c = field(r, "case_id");
        if (c && c->kind == E_STR) def_customer = lookup(db, "SELECT customer_id FROM cases WHERE id = ?", c->s);
        DEFAULT("customer_id", def_customer ? def_customer : *last_customer);
        DEFAULT("channel", "phone");
        DEFAULT("outcome", "completed");
    }
    int has_id = table_column(t, "id") && strcmp(k->table, "visits");
    if (has_id) DEFAULT("id", r->id);
#undef DEFAULT
    for (int i = 0; i < nx; i++) {
        sb_printf(&cols, "%s\"%s\"", n ? ", " : "", xnames[i]);
        sb_puts(&qs, n ? ", ?" : "?");
        n++;
    }
    char *sql = xasprintf("INSERT INTO \"%s\"(%s) VALUES (%s)", k->table, sb_str(&cols), sb_str(&qs));
    sqlite3_stmt *st = NULL;
    int rc = -1;
    char *err = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail_line(x, &r->loc, "cannot insert %s %s: %s", r->table, r->id, sqlite3_errmsg(db));
        goto out;
    }
    int p = 1;
    for (int i = 0; i < r->n; i++) {
        if (answers && r->values[i] == answers) continue;
        const Column *c = table_column(t, r->fields[i]);
        if (bind_value(st, p++, r->values[i], c->type, &err)) {
            fail_line(x, &r->values[i]->loc, "%s.%s: %s", k->table, r->fields[i], err);
            goto out;
        }
    }
    for (int i = 0; i < nx; i++) sqlite3_bind_text(st, p++, xvals[i], -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        fail_line(x, &r->loc, "cannot insert %s %s: %s", r->table, r->id, sqlite3_errmsg(db));
        goto out;
    }
    rc = 0;
    if (!strcmp(k->table, "customers")) {
        free(*last_customer);
        *last_customer = xstrdup(r->id);
    }
    if (answers) {
        sqlite3_int64 vid = sqlite3_last_insert_rowid(db);
        sqlite3_finalize(st);
        st = NULL;
        if (answers->kind != E_LIST) {
            fail_line(x, &answers->loc, "answers takes a list such as [\"quality=是\", \"effect=否\"]");
            rc = -1;
            goto out;
        }
        if (sqlite3_prepare_v2(db, "INSERT INTO answers(visit_id, question, seq, answer) VALUES (?, ?, ?, ?)", -1, &st,
                               NULL) != SQLITE_OK)
            goto out;
        for (int i = 0; i < answers->nitems; i++) {
            const Expr *a = answers->items[i];
            const char *eq = a->kind == E_STR ? strchr(a->s, '=') : NULL;
            if (!eq || eq == a->s) {
                fail_line(x, &a->loc, "an answer is written \"question=answer\"");
                rc = -1;
                goto out;
            }
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, vid);
            sqlite3_bind_text(st, 2, a->s, (int)(eq - a->s), SQLITE_STATIC);
            sqlite3_bind_int(st, 3, i + 1);
            sqlite3_bind_text(st, 4, eq + 1, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                fail_line(x, &a->loc, "cannot insert answer: %s", sqlite3_errmsg(db));
                rc = -1;
                goto out;
            }
        }
    }
out:
    sqlite3_finalize(st);
    free(sql);
    free(err);
    free(def_customer);
    free(def_opened);
    sb_free(&cols);
    sb_free(&qs);
    return rc;
}

/* ---- coverage bookkeeping ---- */
static Rule *rule_find(Tst *x, const char *key)
{
    for (size_t i = 0; i < x->rules.n; i++)
        if (!strcmp(((Rule *)x->rules.v[i])->key, key)) return x->rules.v[i];
    return NULL;
}

static void rule_add(Tst *x, char *key, Loc loc, char *what)
{
    if (rule_find(x, key)) {
        free(key);
        free(what);
        return;
    }
    Rule *r = xcalloc(1, sizeof *r);
    r->key = key;
    r->loc = loc;
    r->what = what;
    pv_push(&x->rules, r);
}

static void rules_init(Tst *x)
{
    for (size_t i = 0; i < x->prog->policies.n; i++) {
        Policy *p = x->prog->policies.v[i];
        for (size_t s = 0; s < p->scheds.n; s++) {
            Sched *sc = p->scheds.v[s];
            char *txt = diag_loc_text(&sc->loc);
            rule_add(x, xasprintf("%s\tsched\t%zu", p->id, s + 1), sc->loc, xasprintf("%s: %s", p->id, txt));
            free(txt);
        }
        for (size_t a = 0; a < p->assigns.n; a++) {
            AssignRule *ar = p->assigns.v[a];
            char *txt = diag_loc_lines(&ar->loc);
            size_t n = strlen(txt);
            while (n && (txt[n - 1] == '\n' || txt[n - 1] == ' ')) txt[--n] = 0;
            char *t = txt;
            while (*t == ' ') t++;
            rule_add(x, xasprintf("%s\tassign\t%d", p->id, ar->loc.first_line), ar->loc, xasprintf("%s: %s", p->id, t));
            free(txt);
        }
        for (size_t k = 0; k < p->escalations.n; k++) {
            Escalation *es = p->escalations.v[k];
            rule_add(x, xasprintf("%s\tesc\t%s", p->id, es->name), es->loc, xasprintf("%s: escalate %s", p->id, es->name));
        }
        if (p->asks && p->qsets)
            for (int k = 0; p->asks[k]; k++) {
                QSet *q = p->qsets[k];
                if (!q) continue;
                for (size_t j = 0; j < q->qs.n; j++) {
                    Question *qq = q->qs.v[j];
                    rule_add(x, xasprintf("%s\tq\t%s\t%s", p->id, q->id, qq->id), qq->loc,
                             xasprintf("%s: question %s.%s%s", p->id, q->id, qq->id, qq->when ? " (conditional)" : ""));
                }
            }
    }
}

static void rule_hit(Tst *x, char *key)
{
    Rule *r = rule_find(x, key);
    if (r) r->hits++;
    free(key);
}

static void cover(Tst *x, const EvalResult *res)
{
    for (size_t i = 0; i < res->obls.n; i++) {
        Obligation *o = res->obls.v[i];
        rule_hit(x, xasprintf("%s\tsched\t%d", o->pol->id, atoi(o->occ)));
        const char *a = strstr(o->facts, "\"assign_rule_line\":");
        if (a) rule_hit(x, xasprintf("%s\tassign\t%d", o->pol->id, atoi(a + 19)));
        for (const char *p = o->script ? o->script : ""; *p;) {
            const char *eol = strchr(p, '\n');
            if (!eol) break;
            char *line = xstrndup(p, (size_t)(eol - p));
            char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *t3 = t2 ? strchr(t2 + 1, '\t') : NULL,
                 *t4 = t3 ? strchr(t3 + 1, '\t') : NULL;
            if (t1 && t4) {
                *t1 = 0;
                *t4 = 0;
                rule_hit(x, xasprintf("%s\tq\t%s\t%s", o->pol->id, line, t3 + 1));
            }
            free(line);
            p = eol + 1;
        }
    }
}

static void cover_escalations(Tst *x, sqlite3 *db)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT policy, rule FROM escalations", -1, &q, NULL) != SQLITE_OK) return;
    while (sqlite3_step(q) == SQLITE_ROW)
        rule_hit(x, xasprintf("%s\tesc\t%s", sqlite3_column_text(q, 0), sqlite3_column_text(q, 1)));
    sqlite3_finalize(q);
}

/* ---- expectations ---- */
static int match_due(const Expect *e, const Obligation *o)
{
    if (o->done || strcmp(o->pol->id, e->policy)) return 0;
    if (e->subject && strcmp(o->subject_id, e->subject)) return 0;
    if (e->by != INT64_MIN && o->by_day != e->by) return 0;
    if (e->from != INT64_MIN && o->from_day != e->from) return 0;
    if (e->via && !strstr(o->channels, e->via)) return 0;
    if (e->status && strcmp(ob_status_name(o->status), e->status)) return 0;
    if (e->priority >= 0 && o->priority != e->priority) return 0;
    if (e->assign) {
        StrBuf b = {0};
        for (char **r = e->assign; *r; r++) {
            if (r != e->assign) sb_putc(&b, '+');
            sb_puts(&b, *r);
        }
        int same = !strcmp(sb_str(&b), o->assignees);
        sb_free(&b);
        if (!same) return 0;
    }
    return 1;
}

static void describe_expect(const Expect *e, StrBuf *b)
{
    char d[11];
    sb_printf(b, "%s %s", e->kind == X_NODUE ? "no obligation of" : "due", e->policy);
    if (e->subject) sb_printf(b, " for %s", e->subject);
    if (e->from != INT64_MIN) { cal_fmt_date(e->from, d); sb_printf(b, " from %s", d); }
    if (e->by != INT64_MIN) { cal_fmt_date(e->by, d); sb_printf(b, " by %s", d); }
    if (e->via) sb_printf(b, " via %s", e->via);
    if (e->assign) {
        sb_puts(b, " assign ");
        for (char **r = e->assign; *r; r++) sb_printf(b, "%s%s", r != e->assign ? "+" : "", *r);
    }
    if (e->status) sb_printf(b, " status %s", e->status);
    if (e->priority >= 0) sb_printf(b, " priority %lld", (long long)e->priority);
    if (e->count >= 0 && e->kind == X_DUE) sb_printf(b, " count %lld", (long long)e->count);
}

static void check_due(Tst *x, const Expect *e, const EvalResult *res)
{
    long n = 0;
    for (size_t i = 0; i < res->obls.n; i++) n += match_due(e, res->obls.v[i]);
    int ok = e->count >= 0 ? n == e->count : n > 0;
    if (ok) return;
    StrBuf want = {0}, got = {0};
    describe_expect(e, &want);
    long shown = 0;
    for (size_t i = 0; i < res->obls.n; i++) {
        Obligation *o = res->obls.v[i];
        if (o->done || strcmp(o->pol->id, e->policy) || (e->subject && strcmp(o->subject_id, e->subject))) continue;
        if (shown++ < 6)
            sb_printf(&got, "\n      %s for %s: from %s by %s via %s assign %s priority %d, %s", o->pol->id,
                      o->subject_id, o->due_from, o->due_by, o->channels, *o->assignees ? o->assignees : "-",
                      o->priority, ob_status_name(o->status));
    }
    if (shown > 6) sb_printf(&got, "\n      ... %ld more", shown - 6);
    int known = 0;
    for (size_t i = 0; i < x->prog->policies.n; i++) known |= !strcmp(((Policy *)x->prog->policies.v[i])->id, e->policy);
    if (!known)
        fail_line(x, &e->loc, "expected %s\n    but there is no policy %s", sb_str(&want), e->policy);
    else
        fail_line(x, &e->loc, "expected %s%s\n    got %ld matching; %s%s", sb_str(&want),
                  e->count >= 0 ? "" : "", n, shown ? "the policy's obligations for it:" : "no obligation of the policy for it",
                  sb_str(&got));
    sb_free(&want);
    sb_free(&got);
}

static int run_test(Tst *x, const Test *t, int64_t *verdict_range)
{
    x->t = t;
    x->failed = 0;
    if (t->as_of == INT64_MIN) {
        fail_line(x, &t->loc, "the test has no 'as of' date");
        return 1;
    }
    sqlite3 *db = test_store(x->prog);
    Schema *schema = db ? store_schema(db) : NULL;
    if (!schema) {
        fail_line(x, &t->loc, "cannot create an in-memory store");
        if (db) sqlite3_close(db);
        return 1;
    }
    char *last_customer = NULL;
    int bad = 0;
    if (t->uses) {
        const Fixture *f = NULL;
        for (size_t i = 0; i < x->prog->fixtures.n; i++)
            if (!strcmp(((Fixture *)x->prog->fixtures.v[i])->name, t->uses)) f = x->prog->fixtures.v[i];
        if (!f) {
            fail_line(x, &t->uses_loc, "no fixture named %s", t->uses);
            bad = 1;
        } else {
            for (size_t i = 0; i < f->rows.n && !bad; i++) bad = insert_row(x, db, schema, f->rows.v[i], &last_customer);
        }
    }
    for (size_t i = 0; i < t->rows.n && !bad; i++) bad = insert_row(x, db, schema, t->rows.v[i], &last_customer);
    free(last_customer);
    EvalResult res = {0};
    if (!bad) {
        /* warnings of the evaluation are not shown: a test judges results */
        EvalOpts eo = {.as_of = t->as_of, .horizon = t->horizon >= 0 ? (int)t->horizon : 7, .quiet = 1};
        int rc = ob_evaluate(db, x->prog, schema, &eo, &res);
        long added, suppressed;
        sqlite3_int64 run_id;
        if (!rc) {
            sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
            rc = run_record(db, x->prog, &res, eo.horizon, t->as_of, &added, &suppressed, &run_id);
            sqlite3_exec(db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
        }
        if (rc) fail_line(x, &t->loc, "evaluation failed: %s", sqlite3_errmsg(db));
        else cover(x, &res);
        int needs_judging = 0;
        for (size_t i = 0; i < t->expects.n; i++) {
            const Expect *e = t->expects.v[i];
            needs_judging |= e->kind == X_VERDICT || e->kind == X_COVERAGE || e->kind == X_ESCALATION ||
                             e->kind == X_NOESCALATION;
        }
        VdResult *vr = NULL;
        /* judge first when anything depends on verdicts (escalations on verdicts included) */
        if (!rc && needs_judging) vr = vd_judge(db, verdict_range[0], verdict_range[1], t->as_of);
        if (!rc) cover_escalations(x, db);
        for (size_t i = 0; i < t->expects.n && !rc; i++) {
            const Expect *e = t->expects.v[i];
            if (e->kind == X_DUE || e->kind == X_NODUE) {
                check_due(x, e, &res);
                continue;
            }
            if (!vr) vr = vd_judge(db, verdict_range[0], verdict_range[1], t->as_of);
            if (!vr) {
                fail_line(x, &e->loc, "cannot judge: %s", sqlite3_errmsg(db));
                break;
            }
            if (e->kind == X_ESCALATION || e->kind == X_NOESCALATION) {
                /* raised by the run (facts) or by the judging above (verdicts) */
                sqlite3_stmt *q;
                long n = 0;
                StrBuf got = {0};
                if (sqlite3_prepare_v2(db, "SELECT e.rule, e.target, e.due_by, (SELECT group_concat(subject_id, ',') FROM "
                                           "escalation_cites c WHERE c.escalation_id = e.id) FROM escalations e WHERE "
                                           "e.policy = ?1 ORDER BY e.id", -1, &q, NULL) == SQLITE_OK) {
                    sqlite3_bind_text(q, 1, e->policy, -1, SQLITE_STATIC);
                    while (sqlite3_step(q) == SQLITE_ROW) {
                        const char *rule = (const char *)sqlite3_column_text(q, 0);
                        const char *cites = (const char *)sqlite3_column_text(q, 3);
                        int hit = !strcmp(rule, e->verdict);
                        if (hit && e->subject) {
                            hit = 0;
                            for (const char *c = cites ? cites : ""; *c;) {
                                const char *end = strchr(c, ',');
                                size_t len = end ? (size_t)(end - c) : strlen(c);
                                if (len == strlen(e->subject) && !strncmp(c, e->subject, len)) hit = 1;
                                if (!end) break;
                                c = end + 1;
                            }
                        }
                        n += hit;
                        sb_printf(&got, "\n      %s to %s due by %s citing %s", rule, sqlite3_column_text(q, 1),
                                  sqlite3_column_text(q, 2), cites ? cites : "-");
                    }
                    sqlite3_finalize(q);
                }
                if ((e->kind == X_ESCALATION) != (n > 0))
                    fail_line(x, &e->loc, "expected %sescalation %s of %s%s%s\n    got%s", e->kind == X_ESCALATION ? "an " : "no ",
                              e->verdict, e->policy, e->subject ? " citing " : "", e->subject ? e->subject : "",
                              got.len ? sb_str(&got) : " no escalation of the policy");
                sb_free(&got);
                continue;
            }
            if (e->kind == X_VERDICT) {
                int found = 0;
                StrBuf got = {0};
                for (size_t k = 0; k < vd_count(vr); k++) {
                    if (strcmp(vd_policy(vr, k), e->policy) || strcmp(vd_subject(vr, k), e->subject)) continue;
                    if (!strcmp(vd_verdict(vr, k), e->verdict)) found = 1;
                    sb_printf(&got, "\n      %s%s%s", vd_verdict(vr, k), *vd_reasons(vr, k) ? ": " : "", vd_reasons(vr, k));
                }
                if (!found)
                    fail_line(x, &e->loc, "expected verdict %s for %s under %s\n    got%s", e->verdict, e->subject,
                              e->policy, got.len ? sb_str(&got) : " no obligation of the policy for it");
                sb_free(&got);
            } else {
                long covered = 0, eligible = 0;
                vd_coverage(db, vr, e->policy, verdict_range[0], verdict_range[1], &covered, &eligible);
                long want = e->pct;
                long have = eligible ? (long)((covered * 10000 + eligible / 2) / eligible) : 0;
                if (!eligible || labs(have - want) > 5)
                    fail_line(x, &e->loc, "expected coverage %ld.%02ld%% for %s\n    got %ld of %ld eligible visited on time",
                              want / 100, want % 100, e->policy, covered, eligible);
            }
        }
        vd_free(vr);
    }
    ob_result_free(&res);
    store_schema_free(schema);
    sqlite3_close(db);
    return x->failed ? 1 : 0;
}

int cmd_test(const Opts *o)
{
    if (!o->nargs) {
        fprintf(stderr, "revisit: usage: revisit test [--run PATTERN] [--coverage] POLICY...\n");
        return EXIT_USAGE;
    }
    Program *prog = load_new();
    int errs = load_paths(prog, o->args, o->nargs);
    sqlite3 *mem = store_memory();
    Schema *schema = mem ? store_schema(mem) : NULL;
    if (!schema) {
        program_free(prog);
        if (mem) sqlite3_close(mem);
        return EXIT_STORE;
    }
    schema->documented = 1;
    if (!errs) errs = chk_program(prog, schema);
    store_schema_free(schema);
    sqlite3_close(mem);
    if (errs) {
        diag_summary("no test was run");
        program_free(prog);
        return EXIT_FINDINGS;
    }
    run_hash_policies(prog);
    Tst x = {prog, {0}, 0, NULL};
    rules_init(&x);
    int64_t range[2] = {cal_days(1, 1, 1), cal_days(9999, 12, 31)};
    int passed = 0, failed = 0;
    for (size_t i = 0; i < prog->tests.n; i++) {
        const Test *t = prog->tests.v[i];
        if (o->pattern && !strstr(t->name, o->pattern)) continue;
        if (run_test(&x, t, range)) failed++;
        else passed++;
    }
    if (o->coverage) {
        size_t hit = 0;
        for (size_t i = 0; i < x.rules.n; i++) hit += ((Rule *)x.rules.v[i])->hits > 0;
        printf("coverage: %zu of %zu rules exercised by the tests", hit, x.rules.n);
        if (hit < x.rules.n) printf("; not exercised:\n");
        else printf("\n");
        for (size_t i = 0; i < x.rules.n; i++) {
            Rule *r = x.rules.v[i];
            if (!r->hits) printf("  %s:%d:%d: %s\n", r->loc.src->path, r->loc.first_line, r->loc.first_column, r->what);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    for (size_t i = 0; i < x.rules.n; i++) {
        Rule *r = x.rules.v[i];
        free(r->key);
        free(r->what);
        free(r);
    }
    pv_free(&x.rules);
    program_free(prog);
    return failed ? EXIT_FINDINGS : EXIT_OK;
}
