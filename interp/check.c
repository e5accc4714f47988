/* check.c - the checker: names against the store schema, types of every
 * expression, and the rules a policy must obey (one schedule at least, a
 * coverage between 0 and 100 %, known channels, question sets and
 * calendars).  It never stops at the first problem. */
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "cal.h"
#include "plan.h"
#include <stddef.h>

#define MAX_EXPR_DEPTH 1000
#define MAX_POLICIES 10000

const char *const chk_channels[] = {"phone", "mobile", "landline", "sms", "email", "letter", "onsite",
                                    "wechat", "weibo", "qq", "online", "app", NULL};

static const char *const subject_tables[] = {"cases", "customers", "contacts"};

typedef struct {
    const Schema *schema;    /* the store's tables */
    const Table *subject;    /* the policy's subject table */
    const Table *customers;  /* the customers table */
    const Table *inner[8];   /* tables of enclosing count()/exists(), innermost last */
    int depth;               /* how many of inner[] are in use */
    int edepth;              /* expression recursion depth */
    int too_deep;            /* depth error already reported */
} Scope;

static Type check(Scope *sc, Expr *e);

static void suggest_column(const Loc *l, const Table *t, const char *name)
{
    const char *cands[256];
    int n = 0;
    for (int i = 0; i < t->ncols && n < 256; i++) cands[n++] = t->cols[i].name;
    const char *best = closest_name(name, cands, (size_t)n);
    if (best)
        diag_error(l, "unknown column '%s' in table %s (did you mean '%s'?)", name, t->name, best);
    else
        diag_error(l, "unknown column '%s' in table %s", name, t->name);
}

static Type column_type(Scope *sc, Expr *e)
{
    const Table *t = NULL;
    switch (e->qual) {
    case Q_NONE: t = sc->depth ? sc->inner[sc->depth - 1] : sc->subject; break;
    case Q_CUSTOMER:
        t = sc->customers;
        if (sc->subject && !table_column(sc->subject, "customer_id") && strcmp(sc->subject->name, "customers")) {
            diag_error(&e->loc, "table %s has no customer to refer to", sc->subject->name);
            return T_UNKNOWN;
        }
        break;
    case Q_THIS:
        if (!sc->depth) {
            diag_error(&e->loc, "'this' is only meaningful inside count() or exists()");
            return T_UNKNOWN;
        }
        t = sc->subject;
        break;
    }
    if (!t) return T_UNKNOWN;
    const Column *c = table_column(t, e->s);
    if (!c) {
        suggest_column(&e->loc, t, e->s);
        return T_UNKNOWN;
    }
    return c->type;
}

static int numeric(Type t) { return t == T_INT || t == T_DEC || t == T_BOOL; }
static int temporal(Type t) { return t == T_DATE || t == T_TIME; }

/* Turn a string literal into a date or time literal when compared with a
 * temporal value; returns the new type or T_TEXT if it does not parse. */
static Type coerce_time(Expr *e)
{
    if (e->kind != E_STR) return e->type;
    int64_t v;
    size_t n = strlen(e->s);
    if (n == 10 && cal_parse_date(e->s, n, &v) == 0) {
        e->kind = E_DATE;
        e->i = v;
        return e->type = T_DATE;
    }
    if (cal_parse_time(e->s, n, &v) == 0) {
        e->kind = E_TIME;
        e->i = v;
        return e->type = T_TIME;
    }
    return e->type;
}

static int comparable(Type a, Type b)
{
    if (a == T_UNKNOWN || b == T_UNKNOWN || a == T_NULL || b == T_NULL) return 1;
    if (numeric(a) && numeric(b)) return 1;
    if (temporal(a) && temporal(b)) return 1;
    return a == b;
}

static const char *op_text(int op)
{
    switch (op) {
    case OP_AND: return "and";
    case OP_OR: return "or";
    case OP_EQ: return "=";
    case OP_NE: return "!=";
    case OP_LE: return "<=";
    case OP_GE: return ">=";
    case '<': return "<";
    case '>': return ">";
    case '+': return "+";
    case '-': return "-";
    case '*': return "*";
    case '/': return "/";
    }
    return "?";
}

static Type check_bin(Scope *sc, Expr *e)
{
    Type a = check(sc, e->a), b = check(sc, e->b);
    switch (e->op) {
    case OP_AND:
    case OP_OR:
        if (a != T_BOOL && a != T_UNKNOWN && a != T_NULL)
            diag_error(&e->a->loc, "'%s' needs a boolean on its left, got %s", op_text(e->op), type_name(a));
        if (b != T_BOOL && b != T_UNKNOWN && b != T_NULL)
            diag_error(&e->b->loc, "'%s' needs a boolean on its right, got %s", op_text(e->op), type_name(b));
        return T_BOOL;
    case OP_EQ: case OP_NE: case '<': case '>': case OP_LE: case OP_GE:
        if (temporal(a) && b == T_TEXT) b = coerce_time(e->b);
        if (temporal(b) && a == T_TEXT) a = coerce_time(e->a);
        if (e->a->kind == E_NULL || e->b->kind == E_NULL) {
            diag_error(&e->loc, "comparison with null is never true; use 'is null' or 'is not null'");
            return T_BOOL;
        }
        if (!comparable(a, b))
            diag_error(&e->loc, "cannot compare %s with %s", type_name(a), type_name(b));
        else if ((a == T_DUR || a == T_LIST || a == T_PCT) && e->op != OP_EQ && e->op != OP_NE && a != T_PCT)
            diag_error(&e->loc, "%s values cannot be ordered with '%s'", type_name(a), op_text(e->op));
        return T_BOOL;
    case '+': case '-':
        if (a == T_UNKNOWN || b == T_UNKNOWN) return T_UNKNOWN;
        if (numeric(a) && numeric(b)) return (a == T_DEC || b == T_DEC) ? T_DEC : T_INT;
        if (temporal(a) && b == T_DUR) {
            if (a == T_DATE && e->b->dur.unit == U_HOURS) return T_TIME;
            return a;
        }
        if (e->op == '+' && a == T_DUR && temporal(b)) return b;
        if (e->op == '-' && a == T_DATE && b == T_DATE) return T_INT;
        if (temporal(a) && numeric(b))
            diag_error(&e->loc, "cannot apply '%s' to %s and %s (write a duration, such as %s %s 3 days)", op_text(e->op),
                       type_name(a), type_name(b), a == T_DATE ? "today" : "closed_at", op_text(e->op));
        else
            diag_error(&e->loc, "cannot apply '%s' to %s and %s", op_text(e->op), type_name(a), type_name(b));
        return T_UNKNOWN;
    case '*': case '/':
        if (a == T_UNKNOWN || b == T_UNKNOWN) return T_UNKNOWN;
        if (numeric(a) && numeric(b)) return (a == T_DEC || b == T_DEC) ? T_DEC : T_INT;
        diag_error(&e->loc, "cannot apply '%s' to %s and %s", op_text(e->op), type_name(a), type_name(b));
        return T_UNKNOWN;
    }
    return T_UNKNOWN;
}

static Type check_count(Scope *sc, Expr *e)
{
    const Table *t = schema_table(sc->schema, e->s);
    if (!t) {
        const char *cands[64];
        int n = 0;
        for (int i = 0; i < sc->schema->ntables && n < 64; i++) cands[n++] = sc->schema->tables[i].name;
        const char *best = closest_name(e->s, cands, (size_t)n);
        if (best) diag_error(&e->loc, "unknown table '%s' (did you mean '%s'?)", e->s, best);
        else diag_error(&e->loc, "unknown table '%s'", e->s);
        return e->kind == E_COUNT ? T_INT : T_BOOL;
    }
    if (sc->depth >= 8) {
        diag_error(&e->loc, "count() and exists() nest at most 8 deep");
        return T_UNKNOWN;
    }
    if (e->dur.n && !table_time_column(t))
        diag_error(&e->loc, "table %s has no time column (opened_at, at or created_at) for 'within'", t->name);
    if (e->same) {
        Unit u = (Unit)(e->same - 1);
        if (u != U_WEEKS && u != U_MONTHS && u != U_QUARTERS && u != U_YEARS)
            diag_error(&e->loc, "'same' takes week, month, quarter or year");
        if (!table_time_column(t))
            diag_error(&e->loc, "table %s has no time column (opened_at, at or created_at) for 'same'", t->name);
        if (sc->subject && !table_time_column(sc->subject))
            diag_error(&e->loc, "table %s has no time column to compare periods with", sc->subject->name);
    }
    if (e->dur.n < 0 || (int)e->dur.unit < 0)
        diag_error(&e->loc, "invalid period for 'within'");
    sc->inner[sc->depth++] = t;
    if (e->where) {
        Type w = check(sc, e->where);
        if (w != T_BOOL && w != T_UNKNOWN)
            diag_error(&e->where->loc, "the filter of %s() must be a boolean, got %s",
                       e->kind == E_COUNT ? "count" : "exists", type_name(w));
        else if (!plan_pushable(e->where))
            diag_error(&e->where->loc, "the filter of %s() is evaluated by the store and cannot use date arithmetic",
                       e->kind == E_COUNT ? "count" : "exists");
    }
    sc->depth--;
    return e->kind == E_COUNT ? T_INT : T_BOOL;
}

static Type check_next(Scope *sc, Expr *e)
{
    const Table *t = schema_table(sc->schema, e->s);
    if (!t) {
        diag_error(&e->loc, "unknown table '%s'", e->s);
        return T_TIME;
    }
    const Column *tc = table_time_column(t);
    if (!tc) {
        diag_error(&e->loc, "table %s has no time column (opened_at, at or created_at) for next()", t->name);
        return T_TIME;
    }
    Type a = check(sc, e->a);
    if (a != T_UNKNOWN && !temporal(a)) diag_error(&e->a->loc, "next(..., after T) needs a date or time, got %s", type_name(a));
    else if (!plan_pushable(e->a)) diag_error(&e->a->loc, "the 'after' of next() is evaluated by the store and cannot use date arithmetic");
    if (sc->depth >= 8) {
        diag_error(&e->loc, "count(), exists() and next() nest at most 8 deep");
        return tc->type;
    }
    sc->inner[sc->depth++] = t;
    if (e->where) {
        Type w = check(sc, e->where);
        if (w != T_BOOL && w != T_UNKNOWN)
            diag_error(&e->where->loc, "the filter of next() must be a boolean, got %s", type_name(w));
        else if (!plan_pushable(e->where))
            diag_error(&e->where->loc, "the filter of next() is evaluated by the store and cannot use date arithmetic");
    }
    sc->depth--;
    return tc->type;
}

/* Builtin functions: name, result. All take one date or time. */
static const char *const builtins[] = {"date", "start_of_week", "start_of_month", "start_of_quarter",
                                       "start_of_half", "start_of_year", NULL};

static Type check_call(Scope *sc, Expr *e)
{
    int known = 0;
    for (const char *const *b = builtins; *b; b++) known |= !strcmp(*b, e->s);
    for (int i = 0; i < e->nitems; i++) check(sc, e->items[i]);
    if (!known) {
        const char *best = closest_name(e->s, builtins, 6);
        if (best) diag_error(&e->loc, "unknown function '%s' (did you mean '%s'?)", e->s, best);
        else diag_error(&e->loc, "unknown function '%s'", e->s);
        return T_UNKNOWN;
    }
    if (e->nitems != 1) {
        diag_error(&e->loc, "%s() takes one date or time", e->s);
        return T_DATE;
    }
    Type a = e->items[0]->type;
    if (a != T_UNKNOWN && a != T_NULL && !temporal(a)) diag_error(&e->items[0]->loc, "%s() needs a date or time, got %s", e->s, type_name(a));
    return T_DATE;
}

static Type check_inner(Scope *sc, Expr *e)
{
    switch (e->kind) {
    case E_STR: return T_TEXT;
    case E_INT: return T_INT;
    case E_DEC: return T_DEC;
    case E_PCT: return T_PCT;
    case E_DATE: return T_DATE;
    case E_TIME: return T_TIME;
    case E_DUR:
        if ((int)e->dur.unit < 0) {
            diag_error(&e->loc, "only days can be counted as working days");
            return T_UNKNOWN;
        }
        return T_DUR;
    case E_BOOL: return T_BOOL;
    case E_NULL: return T_NULL;
    case E_TODAY: return T_DATE;
    case E_COL: return column_type(sc, e);
    case E_BIN: return check_bin(sc, e);
    case E_NOT: {
        Type a = check(sc, e->a);
        if (a != T_BOOL && a != T_UNKNOWN && a != T_NULL)
            diag_error(&e->a->loc, "'not' needs a boolean, got %s", type_name(a));
        return T_BOOL;
    }
    case E_NEG: {
        Type a = check(sc, e->a);
        if (!numeric(a) && a != T_UNKNOWN) {
            diag_error(&e->loc, "cannot negate %s", type_name(a));
            return T_UNKNOWN;
        }
        return a;
    }
    case E_ISNULL: check(sc, e->a); return T_BOOL;
    case E_IN: {
        Type a = check(sc, e->a);
        if (e->b->kind != E_LIST) {
            diag_error(&e->b->loc, "'in' needs a list such as [\"a\", \"b\"]");
            return T_BOOL;
        }
        for (int i = 0; i < e->b->nitems; i++) {
            Expr *it = e->b->items[i];
            Type t = check(sc, it);
            if (temporal(a) && t == T_TEXT) t = coerce_time(it);
            if (!comparable(a, t))
                diag_error(&it->loc, "list item is %s but the value tested is %s", type_name(t), type_name(a));
        }
        return T_BOOL;
    }
    case E_LIST:
        for (int i = 0; i < e->nitems; i++) check(sc, e->items[i]);
        return T_LIST;
    case E_COUNT:
    case E_EXISTS: return check_count(sc, e);
    case E_NEXT: return check_next(sc, e);
    case E_CALL: return check_call(sc, e);
    }
    return T_UNKNOWN;
}

static Type check(Scope *sc, Expr *e)
{
    if (++sc->edepth > MAX_EXPR_DEPTH) {
        if (!sc->too_deep)
            diag_error(&e->loc, "expression too long or too deeply nested (more than %d operations)", MAX_EXPR_DEPTH);
        sc->too_deep = 1;
        sc->edepth--;
        return e->type = T_UNKNOWN;
    }
    e->type = check_inner(sc, e);
    sc->edepth--;
    return e->type;
}

/* Check e as a condition: it must be boolean. */
static void check_cond(Scope *sc, Expr *e, const char *what)
{
    if (!e) return;
    Type t = check(sc, e);
    if (t != T_BOOL && t != T_UNKNOWN)
        diag_error(&e->loc, "%s must be a condition (boolean), got %s", what, type_name(t));
}

static QSet *find_qset(Program *p, const char *id)
{
    for (size_t i = 0; i < p->qsets.n; i++)
        if (!strcmp(((QSet *)p->qsets.v[i])->id, id)) return p->qsets.v[i];
    return NULL;
}

static Calendar *find_cal(Program *p, const char *id)
{
    for (size_t i = 0; i < p->calendars.n; i++)
        if (!strcmp(((Calendar *)p->calendars.v[i])->id, id)) return p->calendars.v[i];
    return NULL;
}

static void unknown_name(const Loc *l, const char *what, const char *name, PtrVec *pool, size_t off)
{
    const char *cands[512];
    size_t n = 0;
    for (size_t i = 0; i < pool->n && n < 512; i++) cands[n++] = *(char **)((char *)pool->v[i] + off);
    const char *best = closest_name(name, cands, n);
    if (best) diag_error(l, "unknown %s '%s' (did you mean '%s'?)", what, name, best);
    else diag_error(l, "unknown %s '%s'", what, name);
}

/* Question conditions read the subject of the policy that asks the set:
 * check each set once per subject table. */
static PtrVec checked_sets; /* "set\ttable" keys, for one chk_program call */
static PtrVec checked_copies; /* QSet*, parallel to checked_sets: the copy checked for that table, or
                                * the set itself when none of its questions has a condition */

/* A copy of expression e (and all below it) in arena a; texts shared. */
static Expr *clone_expr(Arena *a, const Expr *e)
{
    if (!e) return NULL;
    Expr *c = arena_alloc(a, sizeof *c);
    *c = *e;
    c->a = clone_expr(a, e->a);
    c->b = clone_expr(a, e->b);
    c->where = clone_expr(a, e->where);
    if (e->nitems > 0) {
        c->items = arena_alloc(a, sizeof *c->items * (size_t)e->nitems);
        for (int i = 0; i < e->nitems; i++) c->items[i] = clone_expr(a, e->items[i]);
    }
    return c;
}

/* Question set q itself when none of its questions has a condition, else a
 * copy in arena a with conditions of its own: the planner numbers a
 * condition's columns among one policy's values (Expr.slot), and two
 * policies asking one set are evaluated side by side.  The copy is not
 * grown (its question list lives in the arena). */
static QSet *own_qset(Arena *a, QSet *q)
{
    int cond = 0;
    for (size_t j = 0; j < q->qs.n; j++) cond |= ((Question *)q->qs.v[j])->when != NULL;
    if (!cond) return q;
    QSet *c = arena_alloc(a, sizeof *c);
    *c = *q;
    c->qs.v = arena_alloc(a, sizeof *c->qs.v * (q->qs.n + 1));
    c->qs.cap = c->qs.n = q->qs.n;
    for (size_t j = 0; j < q->qs.n; j++) {
        Question *qq = arena_alloc(a, sizeof *qq);
        *qq = *(Question *)q->qs.v[j];
        qq->when = clone_expr(a, qq->when);
        c->qs.v[j] = qq;
    }
    return c;
}

/* Check the conditions of question set q for a policy on sc's subject
 * table (asker, or NULL for a set no policy asks), once per set and table.
 * With an arena, returns the asker's own copy of the set (own_qset),
 * checked for that table: its conditions are the asker's alone. */
static QSet *check_qset_conditions(Scope *sc, QSet *q, const Policy *asker, Arena *arena)
{
    char *key = xasprintf("%s\t%s", q->id, sc->subject->name);
    for (size_t i = 0; i < checked_sets.n; i++)
        if (!strcmp(checked_sets.v[i], key)) {
            free(key);
            return arena ? own_qset(arena, checked_copies.v[i]) : q;
        }
    QSet *c = arena ? own_qset(arena, q) : q;
    pv_push(&checked_sets, key);
    pv_push(&checked_copies, c);
    int before = diag_count();
    for (size_t j = 0; j < c->qs.n; j++) {
        Question *qq = c->qs.v[j];
        if (qq->when) check_cond(sc, qq->when, "a question's 'when' condition");
    }
    if (asker && diag_count() > before)
        diag_note(&asker->asks_loc, "question set '%s' is asked by policy '%s', which applies to %s", q->id, asker->id,
                  sc->subject->name);
    return c;
}

static void check_sched(Scope *sc, Policy *p, Sched *s)
{
    for (int i = 0; i < s->ndurs; i++) {
        if ((int)s->durs[i].unit < 0) diag_error(&s->loc, "only days can be counted as working days");
        else if (s->durs[i].n < 0) diag_error(&s->loc, "a schedule duration cannot be negative");
        else if (s->durs[i].n > 100000) diag_error(&s->loc, "schedule duration %lld is too large", (long long)s->durs[i].n);
    }
    if (s->kind == S_EVERY && s->durs[0].n == 0) diag_error(&s->loc, "'every' needs a period longer than zero");
    if (s->kind == S_REMIND && (s->period.n <= 0 || (int)s->period.unit < 0))
        diag_error(&s->loc, "'every' needs a period longer than zero");
    if (s->kind == S_BETWEEN && s->ndurs != 2)
        diag_error(&s->loc, "'between' takes two durations: between 1 month and 2 months after T");
    if (s->kind == S_BETWEEN && s->ndurs == 2 && (int)s->durs[0].unit >= 0 && (int)s->durs[1].unit >= 0) {
        /* compare in hours, months as 28-31 days: reversed beyond doubt */
        static const double lo[] = {1, 24, 24, 168, 672, 2016, 8760}, hi[] = {1, 24, 24 * 1.6, 168, 744, 2208, 8784};
        if (s->durs[0].n * lo[s->durs[0].unit] > s->durs[1].n * hi[s->durs[1].unit])
            diag_error(&s->loc, "the window's start comes after its end");
    }
    Type t = check(sc, s->anchor);
    if (t != T_UNKNOWN && !temporal(t)) {
        if (s->anchor->kind == E_COL)
            diag_error(&s->anchor->loc, "schedule anchor '%s' is %s, not a date or time", s->anchor->s, type_name(t));
        else
            diag_error(&s->anchor->loc, "a schedule needs a date or time to count from, got %s", type_name(t));
    }
    if (s->until) {
        Type u = check(sc, s->until);
        if (u != T_UNKNOWN && !temporal(u)) diag_error(&s->until->loc, "'until' needs a date or time, got %s", type_name(u));
    }
    (void)p;
}

static void check_policy(Program *prog, Scope *sc, Policy *p)
{
    sc->subject = NULL;
    if (!p->table) {
        diag_error(&p->loc, "policy '%s' has no 'applies to' clause", p->id);
    } else {
        int ok = 0;
        for (size_t i = 0; i < 3; i++) ok |= !strcmp(p->table, subject_tables[i]);
        if (!ok) {
            const char *best = closest_name(p->table, subject_tables, 3);
            if (best) diag_error(&p->table_loc, "a policy applies to cases, customers or contacts, not '%s' (did you mean '%s'?)", p->table, best);
            else diag_error(&p->table_loc, "a policy applies to cases, customers or contacts, not '%s'", p->table);
        } else {
            sc->subject = schema_table(sc->schema, p->table);
            if (!sc->subject) diag_error(&p->table_loc, "the store has no table %s", p->table);
        }
    }
    if (p->version < 1) diag_error(&p->version_loc, "version must be 1 or more");
    if (p->where) check_cond(sc, p->where, "the 'where' filter");
    if (!p->scheds.n) diag_error(&p->loc, "policy '%s' has no 'due' schedule", p->id);
    for (size_t i = 0; i < p->scheds.n; i++) check_sched(sc, p, p->scheds.v[i]);
    if (p->coverage > 10000)
        diag_error(&p->coverage_loc, "coverage %lld.%02lld%% is more than 100%%", (long long)(p->coverage / 100), (long long)(p->coverage % 100));
    if (p->coverage == 0 && p->at_least <= 0)
        diag_error(&p->coverage_loc, "coverage 0%% selects nothing; use 'coverage at least N' for a fixed sample");
    if (p->sample_per != U_DAYS && p->sample_per != U_WEEKS && p->sample_per != U_MONTHS &&
        p->sample_per != U_QUARTERS && p->sample_per != U_YEARS)
        diag_error(&p->coverage_loc, "samples are drawn per day, week, month, quarter or year");
    if (p->channels) {
        for (char **c = p->channels; *c; c++) {
            int ok = 0;
            for (const char *const *k = chk_channels; *k; k++) ok |= !strcmp(*c, *k);
            if (!ok) {
                const char *best = closest_name(*c, chk_channels, sizeof chk_channels / sizeof *chk_channels - 1);
                if (best) diag_error(&p->channels_loc, "unknown channel '%s' (did you mean '%s'?)", *c, best);
                else diag_error(&p->channels_loc, "unknown channel '%s'", *c);
            }
            for (char **d = p->channels; d < c; d++)
                if (!strcmp(*c, *d)) diag_error(&p->channels_loc, "channel '%s' is listed twice", *c);
        }
    }
    for (int i = 0; i < p->ndeny; i++) {
        char ch[64];
        snprintf(ch, sizeof ch, "%.*s", (int)(strchr(p->deny[i], ':') - p->deny[i]), p->deny[i]);
        int ok = 0;
        for (const char *const *k = chk_channels; *k; k++) ok |= !strcmp(ch, *k);
        if (!ok) diag_error(&p->loc, "policy '%s' denies unknown channel '%s'", p->id, ch);
    }
    for (size_t i = 0; i < p->assigns.n; i++) {
        AssignRule *r = p->assigns.v[i];
        check_cond(sc, r->when, "an 'assign ... when' condition");
        if (!r->when && i + 1 < p->assigns.n)
            diag_error(&r->loc, "this 'assign' has no 'when', so the assign lines after it never apply");
    }
    for (size_t i = 0; i < p->prios.n; i++) {
        PrioRule *r = p->prios.v[i];
        Type t = check(sc, r->value);
        if (t != T_INT && t != T_UNKNOWN) diag_error(&r->value->loc, "priority must be an integer, got %s", type_name(t));
        check_cond(sc, r->when, "a 'priority ... when' condition");
    }
    for (size_t i = 0; i < p->escalations.n; i++) {
        Escalation *e = p->escalations.v[i];
        for (size_t j = 0; j < i; j++)
            if (!strcmp(((Escalation *)p->escalations.v[j])->name, e->name))
                diag_error(&e->loc, "escalation '%s' is declared twice in policy '%s'", e->name, p->id);
        if ((int)e->within.unit < 0 || e->within.n < 0) diag_error(&e->loc, "an escalation deadline needs a duration");
        if (e->when) check_cond(sc, e->when, "an escalation's 'when' condition");
        int n = 0;
        for (char **k = e->once_per; k && *k; k++) n++;
        e->once_cols = arena_alloc(&prog->arena, sizeof *e->once_cols * (size_t)(n + 1));
        for (int k = 0; k < n; k++) {
            const char *key = e->once_per[k];
            if (!strcmp(key, "week") || !strcmp(key, "month") || !strcmp(key, "quarter") || !strcmp(key, "year"))
                continue;
            if (!strcmp(key, "day") || !strcmp(key, "hour") || !strcmp(key, "working day")) {
                diag_error(&e->loc, "'once per %s': periods are week, month, quarter or year", key);
                continue;
            }
            /* a column of the subject: a checked reference the planner can read */
            Expr *col = arena_alloc(&prog->arena, sizeof *col);
            col->kind = E_COL;
            col->loc = e->loc;
            col->slot = -1;
            col->qual = Q_NONE;
            col->s = e->once_per[k];
            check(sc, col);
            e->once_cols[k] = col;
        }
    }
    if (p->asks) {
        int n = 0;
        for (char **a = p->asks; *a; a++) n++;
        p->qsets = arena_alloc(&prog->arena, sizeof *p->qsets * (size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            p->qsets[i] = find_qset(prog, p->asks[i]);
            if (!p->qsets[i]) unknown_name(&p->asks_loc, "question set", p->asks[i], &prog->qsets, offsetof(QSet, id));
            else if (sc->subject)
                p->qsets[i] = check_qset_conditions(sc, p->qsets[i], p, &prog->arena);
        }
    }
    const char *cal = p->calendar ? p->calendar : prog->default_calendar;
    if (cal) {
        p->cal = find_cal(prog, cal);
        if (!p->cal) {
            if (p->calendar) unknown_name(&p->calendar_loc, "calendar", cal, &prog->calendars, offsetof(Calendar, id));
            else diag_error(&p->loc, "unknown calendar '%s'", cal);
        }
    }
}

/* `column T.C type` declarations: on the documented schema they add the
 * column; on a real store the column must exist with that type. */
static void check_columns(Program *prog, Schema *schema)
{
    static const char *const tn[] = {"text", "integer", "decimal", "date", "time"};
    static const Type tt[] = {T_TEXT, T_INT, T_DEC, T_DATE, T_TIME};
    for (size_t i = 0; i < prog->columns.n; i++) {
        ColumnDecl *d = prog->columns.v[i];
        int k = -1;
        for (int j = 0; j < 5; j++)
            if (!strcmp(d->type, tn[j])) k = j;
        if (k < 0) {
            diag_error(&d->loc, "column type must be text, integer, decimal, date or time, not '%s'", d->type);
            continue;
        }
        const Table *t = schema_table(schema, d->table);
        if (!t) {
            diag_error(&d->loc, "unknown table '%s'", d->table);
            continue;
        }
        const Column *c = table_column(t, d->name);
        if (c && c->type != tt[k])
            diag_error(&d->loc, "column %s.%s is %s in the store, not %s", d->table, d->name, type_name(c->type), d->type);
        else if (!c) {
            if (!schema->documented)
                diag_error(&d->loc, "the store has no column %s.%s (add it: ALTER TABLE %s ADD COLUMN %s %s)",
                           d->table, d->name, d->table, d->name, k == 1 ? "INTEGER" : k == 2 ? "REAL" : "TEXT");
            schema_add_column(schema, d->table, d->name, tt[k]); /* no cascade of unknown-column errors */
        }
    }
}

int chk_program(Program *prog, Schema *schema)
{
    int before = diag_count();
    if (prog->policies.n > MAX_POLICIES) {
        Policy *p = prog->policies.v[MAX_POLICIES];
        diag_error(&p->loc, "more than %d policies in one run", MAX_POLICIES);
        return diag_count() - before;
    }
    check_columns(prog, schema);
    Scope sc = {0};
    sc.schema = schema;
    sc.customers = schema_table(schema, "customers");

    /* duplicates */
    for (size_t i = 0; i < prog->policies.n; i++) {
        Policy *p = prog->policies.v[i];
        for (size_t j = 0; j < i; j++) {
            Policy *q = prog->policies.v[j];
            if (!strcmp(p->id, q->id)) {
                diag_error(&p->loc, "duplicate policy id '%s'", p->id);
                diag_note(&q->loc, "'%s' was first defined here", q->id);
                break;
            }
        }
    }
    for (size_t i = 0; i < prog->qsets.n; i++) {
        QSet *p = prog->qsets.v[i];
        for (size_t j = 0; j < i; j++)
            if (!strcmp(p->id, ((QSet *)prog->qsets.v[j])->id)) {
                diag_error(&p->loc, "duplicate question set '%s'", p->id);
                break;
            }
        if (!p->qs.n) diag_error(&p->loc, "question set '%s' has no questions", p->id);
        for (size_t k = 0; k < p->qs.n; k++) {
            Question *q = p->qs.v[k];
            for (size_t m = 0; m < k; m++)
                if (!strcmp(q->id, ((Question *)p->qs.v[m])->id)) diag_error(&q->loc, "question '%s' appears twice in set '%s'", q->id, p->id);
            (void)q; /* conditions are checked with each policy that asks the set */
        }
    }
    for (size_t i = 0; i < prog->calendars.n; i++) {
        Calendar *c = prog->calendars.v[i];
        for (size_t j = 0; j < i; j++)
            if (!strcmp(c->id, ((Calendar *)prog->calendars.v[j])->id)) diag_error(&c->loc, "duplicate calendar '%s'", c->id);
        if (c->extends) {
            c->parent = find_cal(prog, c->extends);
            if (!c->parent) unknown_name(&c->extends_loc, "calendar", c->extends, &prog->calendars, offsetof(Calendar, id));
            int steps = 0;
            for (Calendar *a = c->parent; a && steps < 64; a = a->parent, steps++)
                if (a == c) {
                    if (c->parent == c) diag_error(&c->loc, "calendar '%s' extends itself", c->id);
                    else diag_error(&c->loc, "calendar '%s' is part of a cycle of 'extends'", c->id);
                    c->parent = NULL;
                    break;
                }
        }
        /* sort day lists for binary search */
        for (int pass = 0; pass < 2; pass++) {
            int64_t *v = pass ? c->workdays : c->holidays;
            int n = pass ? c->nworkdays : c->nholidays;
            for (int a = 1; a < n; a++) {
                int64_t x = v[a];
                int b = a - 1;
                while (b >= 0 && v[b] > x) { v[b + 1] = v[b]; b--; }
                v[b + 1] = x;
            }
        }
    }
    for (size_t i = 0; i < prog->policies.n; i++) check_policy(prog, &sc, prog->policies.v[i]);
    /* sets no policy asks: their conditions are checked against cases */
    sc.subject = schema_table(schema, "cases");
    for (size_t i = 0; i < prog->qsets.n && sc.subject; i++) {
        QSet *q = prog->qsets.v[i];
        int asked = 0;
        for (size_t k = 0; k < checked_sets.n && !asked; k++) {
            size_t n = strlen(q->id);
            asked = !strncmp(checked_sets.v[k], q->id, n) && ((char *)checked_sets.v[k])[n] == '\t';
        }
        if (!asked) check_qset_conditions(&sc, q, NULL, NULL);
    }
    for (size_t i = 0; i < checked_sets.n; i++) free(checked_sets.v[i]);
    pv_free(&checked_sets);
    pv_free(&checked_copies);
    return diag_count() - before;
}

int chk_expr(Expr *e, const Schema *schema, const char *table)
{
    int before = diag_count();
    Scope sc = {0};
    sc.schema = schema;
    sc.customers = schema_table(schema, "customers");
    sc.subject = schema_table(schema, table);
    check(&sc, e);
    return diag_count() - before;
}
