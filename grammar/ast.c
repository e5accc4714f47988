/* ast.c - constructors for the syntax tree.  The grammar calls exactly one
 * of these per action; they allocate from the program's arena and attach
 * policy items to the policy being parsed. */
#include "ast.h"
#include "../interp/diag.h"

#include <stdlib.h>
#include <string.h>

static Expr *node(ParseCtx *c, ExprKind k, Loc l)
{
    Expr *e = arena_alloc(&c->prog->arena, sizeof *e);
    e->kind = k;
    e->loc = l;
    e->slot = -1;
    return e;
}

char *ast_strndup(ParseCtx *c, const char *s, size_t n) { return arena_strndup(&c->prog->arena, s, n); }

Expr *ast_str(ParseCtx *c, Loc l, char *s) { Expr *e = node(c, E_STR, l); e->s = s; return e; }
Expr *ast_int(ParseCtx *c, Loc l, int64_t v) { Expr *e = node(c, E_INT, l); e->i = v; return e; }
Expr *ast_dec(ParseCtx *c, Loc l, double v) { Expr *e = node(c, E_DEC, l); e->d = v; return e; }
Expr *ast_pct(ParseCtx *c, Loc l, int64_t bp) { Expr *e = node(c, E_PCT, l); e->i = bp; return e; }
Expr *ast_date(ParseCtx *c, Loc l, int64_t days) { Expr *e = node(c, E_DATE, l); e->i = days; return e; }
Expr *ast_time(ParseCtx *c, Loc l, int64_t secs) { Expr *e = node(c, E_TIME, l); e->i = secs; return e; }
Expr *ast_dur(ParseCtx *c, Loc l, Dur d) { Expr *e = node(c, E_DUR, l); e->dur = d; return e; }
Expr *ast_bool(ParseCtx *c, Loc l, int v) { Expr *e = node(c, E_BOOL, l); e->i = v; return e; }
Expr *ast_null(ParseCtx *c, Loc l) { return node(c, E_NULL, l); }
Expr *ast_today(ParseCtx *c, Loc l) { return node(c, E_TODAY, l); }

Expr *ast_col(ParseCtx *c, Loc l, Qual q, char *name)
{
    Expr *e = node(c, E_COL, l);
    e->qual = q;
    e->s = name;
    return e;
}

Expr *ast_binop(ParseCtx *c, Loc l, Expr *a, int op, Expr *b)
{
    Expr *e = node(c, E_BIN, l);
    e->a = a;
    e->b = b;
    e->op = op;
    return e;
}

Expr *ast_not(ParseCtx *c, Loc l, Expr *a) { Expr *e = node(c, E_NOT, l); e->a = a; return e; }
Expr *ast_neg(ParseCtx *c, Loc l, Expr *a) { Expr *e = node(c, E_NEG, l); e->a = a; return e; }

Expr *ast_isnull(ParseCtx *c, Loc l, Expr *a, int neg)
{
    Expr *e = node(c, E_ISNULL, l);
    e->a = a;
    e->neg = neg;
    return e;
}

Expr *ast_in(ParseCtx *c, Loc l, Expr *a, Expr *list, int neg)
{
    Expr *e = node(c, E_IN, l);
    e->a = a;
    e->b = list;
    e->neg = neg;
    return e;
}

Expr *ast_count(ParseCtx *c, Loc l, int exists, char *table, Expr *where, Dur *within)
{
    Expr *e = node(c, exists ? E_EXISTS : E_COUNT, l);
    e->s = table;
    e->where = where;
    if (within) e->dur = *within;
    return e;
}

Expr *ast_count_same(ParseCtx *c, Loc l, int exists, char *table, Expr *where, int64_t unit)
{
    Expr *e = ast_count(c, l, exists, table, where, NULL);
    e->same = (int)unit + 1;
    return e;
}

Expr *ast_next(ParseCtx *c, Loc l, char *table, Expr *where, Expr *after)
{
    Expr *e = node(c, E_NEXT, l);
    e->s = table;
    e->where = where;
    e->a = after;
    return e;
}

Expr *ast_call(ParseCtx *c, Loc l, char *name, Expr *args)
{
    Expr *e = node(c, E_CALL, l);
    e->s = name;
    if (args) {
        e->items = args->items;
        e->nitems = args->nitems;
    }
    return e;
}

Expr *ast_list(ParseCtx *c, Loc l, Expr *first)
{
    Expr *e = node(c, E_LIST, l);
    if (first) ast_list_add(c, e, first);
    return e;
}

Expr *ast_list_add(ParseCtx *c, Expr *list, Expr *item)
{
    Expr **v = arena_alloc(&c->prog->arena, sizeof *v * (size_t)(list->nitems + 1));
    if (list->nitems) memcpy(v, list->items, sizeof *v * (size_t)list->nitems);
    v[list->nitems++] = item;
    list->items = v;
    return list;
}

DurList *ast_durs(ParseCtx *c, DurList *l, Dur d)
{
    if (!l) l = arena_alloc(&c->prog->arena, sizeof *l);
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        Dur *v = arena_alloc(&c->prog->arena, sizeof *v * (size_t)cap);
        if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = d;
    return l;
}

NameList *ast_names(ParseCtx *c, NameList *l, char *name)
{
    if (!l) l = arena_alloc(&c->prog->arena, sizeof *l);
    if (l->n + 1 >= l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        char **v = arena_alloc(&c->prog->arena, sizeof *v * (size_t)cap);
        if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = name;
    l->v[l->n] = NULL;
    return l;
}

/* ---- blocks left open ---- */

/* A block whose closing action never ran (a syntax error took the parser
 * out of it) owns heap vectors nobody else will free. */
void ast_discard_open(ParseCtx *c)
{
    if (c->cur) {
        pv_free(&c->cur->scheds);
        pv_free(&c->cur->assigns);
        pv_free(&c->cur->prios);
        pv_free(&c->cur->escalations);
        c->cur = NULL;
    }
    if (c->curq) {
        pv_free(&c->curq->qs);
        c->curq = NULL;
    }
    if (c->curf) {
        pv_free(&c->curf->rows);
        c->curf = NULL;
    }
    if (c->curt) {
        pv_free(&c->curt->rows);
        pv_free(&c->curt->expects);
        c->curt = NULL;
    }
    c->curc = NULL; /* calendars keep their days in the arena */
}

/* ---- policies ---- */

/* Single-valued clauses may be given once per policy. */
enum { SEEN_VERSION = 1, SEEN_EFFECTIVE = 2, SEEN_APPLIES = 4, SEEN_COVERAGE = 8, SEEN_CHANNELS = 16, SEEN_ASK = 32,
       SEEN_CALENDAR = 64, SEEN_ATTEMPTS = 128, SEEN_PROBLEM = 256, SEEN_DISSATISFIED = 512 };

/* 1 when the clause is new for the current policy; else reports it. */
static int once(ParseCtx *c, unsigned bit, const Loc *l, const char *what)
{
    if (!c->cur) return 0;
    if (c->cur->seen & bit) {
        diag_error(l, "'%s' is given twice in policy '%s'", what, c->cur->id);
        return 0;
    }
    c->cur->seen |= bit;
    return 1;
}
void ast_policy_begin(ParseCtx *c, Loc l, char *id, char *title)
{
    ast_discard_open(c);
    Policy *p = arena_alloc(&c->prog->arena, sizeof *p);
    p->loc = l;
    p->id = id;
    p->title = title;
    p->version = 1;
    p->effective = INT64_MIN;
    p->coverage = -1;
    p->sample_per = U_DAYS;
    c->cur = p;
}

void ast_policy_end(ParseCtx *c, Loc l)
{
    Policy *p = c->cur;
    if (!p) return;
    p->loc.last_line = l.last_line;
    p->loc.last_column = l.last_column;
    pv_push(&c->prog->policies, p);
    c->cur = NULL;
}

void ast_policy_version(ParseCtx *c, Loc l, int64_t v)
{
    if (!once(c, SEEN_VERSION, &l, "version")) return;
    c->cur->version = v;
    c->cur->version_loc = l;
}

void ast_policy_effective(ParseCtx *c, Loc l, int64_t day)
{
    if (!once(c, SEEN_EFFECTIVE, &l, "effective")) return;
    c->cur->effective = day;
    c->cur->effective_loc = l;
}

void ast_policy_applies(ParseCtx *c, Loc tl, char *table, Expr *where)
{
    if (!once(c, SEEN_APPLIES, &tl, "applies to")) return;
    c->cur->table = table;
    c->cur->table_loc = tl;
    c->cur->where = where;
}

void ast_policy_sched(ParseCtx *c, Loc l, SchedKind k, DurList *durs, Expr *anchor, Expr *until)
{
    if (!c->cur) return;
    Sched *s = arena_alloc(&c->prog->arena, sizeof *s);
    s->kind = k;
    s->loc = l;
    if (durs) {
        s->durs = durs->v;
        s->ndurs = durs->n;
    }
    s->anchor = anchor;
    s->until = until;
    pv_push(&c->cur->scheds, s);
}

void ast_policy_remind(ParseCtx *c, Loc l, DurList *durs, Dur period, Expr *anchor, Expr *until)
{
    ast_policy_sched(c, l, S_REMIND, durs, anchor, until);
    if (c->cur && c->cur->scheds.n) ((Sched *)c->cur->scheds.v[c->cur->scheds.n - 1])->period = period;
}

void ast_policy_coverage(ParseCtx *c, Loc l, int64_t bp)
{
    if (!once(c, SEEN_COVERAGE, &l, "coverage")) return;
    c->cur->coverage = bp;
    c->cur->coverage_loc = l;
}

void ast_policy_at_least(ParseCtx *c, Loc l, int64_t n)
{
    if (n <= 0 || n > 1000000) {
        diag_error(&l, "'at least' takes a number from 1 to 1000000");
        n = 1; /* reported: no follow-on errors */
    }
    if (c->cur) c->cur->at_least = n;
}
void ast_policy_sample_per(ParseCtx *c, int64_t unit) { if (c->cur) c->cur->sample_per = (Unit)unit; }
void ast_policy_seed(ParseCtx *c, char *seed) { if (c->cur) c->cur->seed = seed; }

void ast_policy_channels(ParseCtx *c, Loc l, NameList *names)
{
    if (!once(c, SEEN_CHANNELS, &l, "channels")) return;
    c->cur->channels = names->v;
    c->cur->channels_loc = l;
}

void ast_policy_window(ParseCtx *c, Loc l, int from, int to)
{
    Policy *p = c->cur;
    if (from >= to) {
        diag_error(&l, "calling window %02d:%02d-%02d:%02d does not end after it starts", from / 60, from % 60, to / 60,
                   to % 60);
        return;
    }
    if (!p) return;
    Window *v = arena_alloc(&c->prog->arena, sizeof *v * (size_t)(p->nwindows + 1));
    if (p->nwindows) memcpy(v, p->windows, sizeof *v * (size_t)p->nwindows);
    v[p->nwindows].from = from;
    v[p->nwindows].to = to;
    p->windows = v;
    p->nwindows++;
}

void ast_policy_windows_workdays(ParseCtx *c, Loc l, int64_t unit)
{
    if (unit != U_DAYS) diag_error(&l, "expected 'on working days'");
    if (c->cur) c->cur->windows_workdays = 1;
}

void ast_policy_assign_when(ParseCtx *c, Expr *when)
{
    if (!c->cur || !c->cur->assigns.n) return;
    ((AssignRule *)c->cur->assigns.v[c->cur->assigns.n - 1])->when = when;
}

void ast_policy_assign(ParseCtx *c, Loc l, NameList *group)
{
    if (!c->cur) return;
    AssignRule *r = arena_alloc(&c->prog->arena, sizeof *r);
    r->loc = l;
    r->groups = arena_alloc(&c->prog->arena, sizeof *r->groups * 8);
    r->groups[0] = group->v;
    r->ngroups = 1;
    pv_push(&c->cur->assigns, r);
}

void ast_policy_assign_fallback(ParseCtx *c, NameList *group)
{
    if (!c->cur || !c->cur->assigns.n) return;
    AssignRule *r = c->cur->assigns.v[c->cur->assigns.n - 1];
    if (r->ngroups % 8 == 0) {
        char ***g = arena_alloc(&c->prog->arena, sizeof *g * (size_t)(r->ngroups + 8));
        memcpy(g, r->groups, sizeof *g * (size_t)r->ngroups);
        r->groups = g;
    }
    r->groups[r->ngroups++] = group->v;
}

void ast_policy_priority(ParseCtx *c, Loc l, Expr *value, Expr *when)
{
    if (!c->cur) return;
    PrioRule *r = arena_alloc(&c->prog->arena, sizeof *r);
    r->loc = l;
    r->value = value;
    r->when = when;
    pv_push(&c->cur->prios, r);
}

void ast_policy_ask(ParseCtx *c, Loc l, NameList *names)
{
    if (!once(c, SEEN_ASK, &l, "ask")) return;
    for (int i = 0; i < names->n; i++)
        for (int j = 0; j < i; j++)
            if (!strcmp(names->v[i], names->v[j])) diag_error(&l, "question set '%s' is asked twice", names->v[i]);
    c->cur->asks = names->v;
    c->cur->asks_loc = l;
}

void ast_policy_calendar(ParseCtx *c, Loc l, char *name)
{
    if (!once(c, SEEN_CALENDAR, &l, "calendar")) return;
    c->cur->calendar = name;
    c->cur->calendar_loc = l;
}

void ast_policy_attempts(ParseCtx *c, Loc l, int64_t n, int different_days)
{
    if (!once(c, SEEN_ATTEMPTS, &l, "attempts")) return;
    if (n < 1 || n > 100) diag_error(&l, "'attempts' takes a number from 1 to 100");
    c->cur->attempts = n;
    c->cur->attempts_days = different_days;
}

void ast_policy_deny(ParseCtx *c, char *channel, char *role)
{
    Policy *p = c->cur;
    if (!p) return;
    char **v = arena_alloc(&c->prog->arena, sizeof *v * (size_t)(p->ndeny + 2));
    if (p->ndeny) memcpy(v, p->deny, sizeof *v * (size_t)p->ndeny);
    size_t n = strlen(channel) + strlen(role) + 2;
    v[p->ndeny] = arena_alloc(&c->prog->arena, n);
    snprintf(v[p->ndeny], n, "%s:%s", channel, role);
    v[++p->ndeny] = NULL;
    p->deny = v;
}

void ast_policy_problem(ParseCtx *c, Loc l, Dur within, NameList *assign)
{
    if (!once(c, SEEN_PROBLEM, &l, "problem")) return;
    if ((int)within.unit < 0 || within.n <= 0 || within.n > 100000)
        diag_error(&l, "'problem within' needs a duration such as 10 days");
    c->cur->problem_within = within;
    c->cur->problem_assign = assign ? assign->v : NULL;
}

void ast_policy_dissatisfied(ParseCtx *c, Loc l, int64_t below)
{
    if (!once(c, SEEN_DISSATISFIED, &l, "dissatisfied")) return;
    if (below < 1 || below > 100) diag_error(&l, "'dissatisfied below' takes a score from 1 to 100");
    c->cur->dissatisfied_below = below;
}

static Escalation *cur_esc(ParseCtx *c)
{
    if (!c->cur || !c->cur->escalations.n) return NULL;
    return c->cur->escalations.v[c->cur->escalations.n - 1];
}

void ast_escalate(ParseCtx *c, Loc l, char *name, NameList *first)
{
    if (!c->cur) return;
    Escalation *e = arena_alloc(&c->prog->arena, sizeof *e);
    e->loc = l;
    e->name = name;
    if (!e->name) {
        char buf[32];
        snprintf(buf, sizeof buf, "escalation%zu", c->cur->escalations.n + 1);
        e->name = arena_strdup(&c->prog->arena, buf);
    }
    e->levels = arena_alloc(&c->prog->arena, sizeof *e->levels * 8);
    e->levels[0] = first->v;
    e->nlevels = 1;
    pv_push(&c->cur->escalations, e);
}

void ast_escalate_then(ParseCtx *c, NameList *roles)
{
    Escalation *e = cur_esc(c);
    if (!e) return;
    if (e->nlevels % 8 == 0) {
        char ***v = arena_alloc(&c->prog->arena, sizeof *v * (size_t)(e->nlevels + 8));
        memcpy(v, e->levels, sizeof *v * (size_t)e->nlevels);
        e->levels = v;
    }
    e->levels[e->nlevels++] = roles->v;
}

void ast_escalate_within(ParseCtx *c, Dur d)
{
    Escalation *e = cur_esc(c);
    if (e) e->within = d;
}

void ast_escalate_when(ParseCtx *c, Expr *when, NameList *once_per)
{
    Escalation *e = cur_esc(c);
    if (!e) return;
    e->when = when;
    e->once_per = once_per ? once_per->v : NULL;
}

void ast_escalate_on(ParseCtx *c, Loc l, const char *what, char *question, char *value)
{
    Escalation *e = cur_esc(c);
    if (!e) return;
    static const char *const ok[] = {"met", "late", "missed", "wrong_channel", "wrong_assignee", "incomplete",
                                     "unreachable", "problem_case", "dissatisfied", "answer", NULL};
    int known = 0;
    for (const char *const *k = ok; *k; k++) known |= !strcmp(*k, what);
    if (!known)
        diag_error(&l, "'on %s': escalate on a verdict (missed, late, problem_case, ...), on dissatisfied, or on answer Q = \"V\"",
                   what);
    else if ((strcmp(what, "answer") == 0) != (question != NULL))
        diag_error(&l, "write: on answer QUESTION = \"ANSWER\"");
    e->on = arena_strdup(&c->prog->arena, what);
    e->question = question;
    e->value = value;
}

/* ---- question sets ---- */
void ast_qset_begin(ParseCtx *c, Loc l, char *id, char *title, int ordered)
{
    ast_discard_open(c);
    QSet *q = arena_alloc(&c->prog->arena, sizeof *q);
    q->loc = l;
    q->id = id;
    q->title = title;
    q->ordered = ordered;
    c->curq = q;
}

void ast_qset_end(ParseCtx *c, Loc l)
{
    if (c->curq) {
        c->curq->loc.last_line = l.last_line;
        c->curq->loc.last_column = l.last_column;
    }
    if (c->curq) pv_push(&c->prog->qsets, c->curq);
    c->curq = NULL;
}

void ast_question(ParseCtx *c, Loc l, char *id, char *text)
{
    if (!c->curq) return;
    Question *q = arena_alloc(&c->prog->arena, sizeof *q);
    q->loc = l;
    q->id = id;
    q->text = text;
    q->mandatory = 1;
    q->affirmative = NULL;
    pv_push(&c->curq->qs, q);
}

static Question *last_question(ParseCtx *c)
{
    if (!c->curq || !c->curq->qs.n) return NULL;
    return c->curq->qs.v[c->curq->qs.n - 1];
}

void ast_question_mandatory(ParseCtx *c, int mandatory)
{
    Question *q = last_question(c);
    if (q) q->mandatory = mandatory;
}

void ast_question_affirmative(ParseCtx *c, Loc l, char *answer)
{
    Question *q = last_question(c);
    if (q && q->affirmative) diag_error(&l, "question '%s' names its affirmative answer twice", q->id);
    if (q) q->affirmative = answer;
}

void ast_question_when(ParseCtx *c, Expr *when)
{
    Question *q = last_question(c);
    if (q) q->when = when;
}

/* ---- calendars ---- */
void ast_cal_begin(ParseCtx *c, Loc l, char *id, char *title, char *extends, Loc el)
{
    ast_discard_open(c);
    Calendar *k = arena_alloc(&c->prog->arena, sizeof *k);
    k->loc = l;
    k->id = id;
    k->title = title;
    k->extends = extends;
    k->extends_loc = el;
    k->weekend_mask = -1;
    k->cover_from = k->cover_to = INT64_MIN;
    c->curc = k;
}

void ast_cal_end(ParseCtx *c, Loc l)
{
    if (c->curc) {
        c->curc->loc.last_line = l.last_line;
        c->curc->loc.last_column = l.last_column;
    }
    if (c->curc) pv_push(&c->prog->calendars, c->curc);
    c->curc = NULL;
}

void ast_cal_weekend(ParseCtx *c, NameList *days, Loc l)
{
    static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    int mask = 0;
    for (int i = 0; i < days->n; i++) {
        int d = 0;
        while (d < 7 && strcmp(days->v[i], names[d])) d++;
        if (d == 7) {
            const char *best = closest_name(days->v[i], names, 7);
            diag_error(&l, "'%s' is not a day: write mon, tue, wed, thu, fri, sat or sun%s%s%s", days->v[i],
                       best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
        } else if (mask & (1 << d)) {
            diag_error(&l, "'%s' is listed twice", days->v[i]);
        }
        if (d < 7) mask |= 1 << d;
    }
    if (c->curc) c->curc->weekend_mask = mask;
}

void ast_cal_covers(ParseCtx *c, Loc l, int64_t from, int64_t to)
{
    if (to < from) {
        diag_error(&l, "'covers' must run forwards");
        return;
    }
    if (!c->curc) return;
    c->curc->cover_from = from;
    c->curc->cover_to = to;
}

void ast_cal_days(ParseCtx *c, int holiday, int64_t from, int64_t to, Loc l, char *label)
{
    (void)label;
    Calendar *k = c->curc;
    if (to < from || to - from > 366) {
        diag_error(&l, "a day range must run forwards and span at most 366 days");
        return;
    }
    if (!k) return;
    int64_t **v = holiday ? &k->holidays : &k->workdays;
    int *n = holiday ? &k->nholidays : &k->nworkdays;
    int add = (int)(to - from + 1);
    int64_t *nv = arena_alloc(&c->prog->arena, sizeof *nv * (size_t)(*n + add));
    if (*n) memcpy(nv, *v, sizeof *nv * (size_t)*n);
    for (int i = 0; i < add; i++) nv[*n + i] = from + i;
    *v = nv;
    *n += add;
}

void ast_use(ParseCtx *c, Loc l, const char *kind, char *name)
{
    Use *u = arena_alloc(&c->prog->arena, sizeof *u);
    u->loc = l;
    u->kind = kind;
    u->name = name;
    pv_push(&c->prog->uses, u);
}

void ast_column(ParseCtx *c, Loc l, char *table, char *name, char *type)
{
    ColumnDecl *d = arena_alloc(&c->prog->arena, sizeof *d);
    d->loc = l;
    d->table = table;
    d->name = name;
    d->type = type;
    pv_push(&c->prog->columns, d);
}

/* ---- tests ---- */
void ast_fixture_begin(ParseCtx *c, Loc l, char *name)
{
    ast_discard_open(c);
    Fixture *f = arena_alloc(&c->prog->arena, sizeof *f);
    f->loc = l;
    f->name = name;
    c->curf = f;
}

void ast_fixture_end(ParseCtx *c)
{
    if (c->curf) pv_push(&c->prog->fixtures, c->curf);
    c->curf = NULL;
}

void ast_test_begin(ParseCtx *c, Loc l, char *name, char *uses, Loc ul)
{
    ast_discard_open(c);
    Test *t = arena_alloc(&c->prog->arena, sizeof *t);
    t->loc = l;
    t->name = name;
    t->uses = uses;
    t->uses_loc = ul;
    t->as_of = INT64_MIN;
    t->horizon = -1;
    c->curt = t;
}

void ast_test_end(ParseCtx *c)
{
    if (c->curt) pv_push(&c->prog->tests, c->curt);
    c->curt = NULL;
}

void ast_test_as_of(ParseCtx *c, int64_t day) { if (c->curt) c->curt->as_of = day; }
void ast_test_horizon(ParseCtx *c, int64_t days) { if (c->curt) c->curt->horizon = days; }

void ast_row(ParseCtx *c, Loc l, char *table, char *id)
{
    FixRow *r = arena_alloc(&c->prog->arena, sizeof *r);
    r->loc = l;
    r->table = table;
    r->id = id;
    c->currow = r;
    if (c->curt) pv_push(&c->curt->rows, r);
    else if (c->curf) pv_push(&c->curf->rows, r);
}

void ast_row_field(ParseCtx *c, char *name, Expr *value)
{
    FixRow *r = c->currow;
    if (!r) return;
    char **f = arena_alloc(&c->prog->arena, sizeof *f * (size_t)(r->n + 1));
    Expr **v = arena_alloc(&c->prog->arena, sizeof *v * (size_t)(r->n + 1));
    if (r->n) {
        memcpy(f, r->fields, sizeof *f * (size_t)r->n);
        memcpy(v, r->values, sizeof *v * (size_t)r->n);
    }
    f[r->n] = name;
    v[r->n] = value;
    r->fields = f;
    r->values = v;
    r->n++;
}

void ast_expect(ParseCtx *c, Loc l, ExpectKind k, char *policy)
{
    Expect *x = arena_alloc(&c->prog->arena, sizeof *x);
    x->loc = l;
    x->kind = k;
    x->policy = policy;
    x->by = x->from = INT64_MIN;
    x->priority = -1;
    x->count = k == X_NODUE ? 0 : -1;
    c->curx = x;
    if (c->curt) pv_push(&c->curt->expects, x);
}

void ast_expect_for(ParseCtx *c, char *subject) { if (c->curx) c->curx->subject = subject; }
void ast_expect_by(ParseCtx *c, int64_t day) { if (c->curx) c->curx->by = day; }
void ast_expect_from(ParseCtx *c, int64_t day) { if (c->curx) c->curx->from = day; }
void ast_expect_via(ParseCtx *c, char *channel) { if (c->curx) c->curx->via = channel; }
void ast_expect_assign(ParseCtx *c, NameList *roles) { if (c->curx) c->curx->assign = roles->v; }
void ast_expect_status(ParseCtx *c, const char *status)
{
    if (c->curx) c->curx->status = arena_strdup(&c->prog->arena, status);
}
void ast_expect_priority(ParseCtx *c, int64_t p) { if (c->curx) c->curx->priority = p; }
void ast_expect_count(ParseCtx *c, int64_t n) { if (c->curx) c->curx->count = n; }
void ast_expect_verdict(ParseCtx *c, Loc l, char *policy, char *subject, char *verdict)
{
    ast_expect(c, l, X_VERDICT, policy);
    c->curx->subject = subject;
    c->curx->verdict = verdict;
}

void ast_expect_escalation(ParseCtx *c, Loc l, char *policy, char *rule, char *subject, int none)
{
    ast_expect(c, l, none ? X_NOESCALATION : X_ESCALATION, policy);
    c->curx->verdict = rule;
    c->curx->subject = subject;
}

void ast_expect_coverage(ParseCtx *c, Loc l, char *policy, int64_t bp)
{
    ast_expect(c, l, X_COVERAGE, policy);
    c->curx->pct = bp;
}

const char *type_name(Type t)
{
    static const char *const n[] = {"unknown", "null", "boolean", "integer", "decimal", "text",
                                    "date", "time", "duration", "percentage", "list"};
    return n[t];
}

const char *unit_name(Unit u, int plural)
{
    static const char *const s[] = {"hour", "day", "working day", "week", "month", "quarter", "year"};
    static const char *const p[] = {"hours", "days", "working days", "weeks", "months", "quarters", "years"};
    return plural ? p[u] : s[u];
}

void program_free(Program *p)
{
    for (size_t i = 0; i < p->sources.n; i++) {
        Source *s = p->sources.v[i];
        free(s->path);
        free(s->text);
        free(s);
    }
    for (size_t i = 0; i < p->loaded.n; i++) free(p->loaded.v[i]);
    pv_free(&p->sources);
    pv_free(&p->loaded);
    /* the PtrVecs inside arena nodes hold heap arrays */
    for (size_t i = 0; i < p->policies.n; i++) {
        Policy *q = p->policies.v[i];
        pv_free(&q->scheds);
        pv_free(&q->assigns);
        pv_free(&q->prios);
        pv_free(&q->escalations);
    }
    for (size_t i = 0; i < p->qsets.n; i++) pv_free(&((QSet *)p->qsets.v[i])->qs);
    for (size_t i = 0; i < p->fixtures.n; i++) pv_free(&((Fixture *)p->fixtures.v[i])->rows);
    for (size_t i = 0; i < p->tests.n; i++) {
        pv_free(&((Test *)p->tests.v[i])->rows);
        pv_free(&((Test *)p->tests.v[i])->expects);
    }
    pv_free(&p->fixtures);
    pv_free(&p->tests);
    pv_free(&p->policies);
    pv_free(&p->qsets);
    pv_free(&p->calendars);
    pv_free(&p->uses);
    pv_free(&p->columns);
    arena_free(&p->arena);
    free(p->default_calendar);
    free(p);
}
