/* canon.c - the canonical text of expressions and policies: one spelling
 * for each meaning, independent of layout and comments.  It is what
 * `publish` hashes, what the semantic diff compares, and what `fmt` prints
 * expressions with. */
#include "canon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cal.h"

int canon_prec(const Expr *e)
{
    if (e->kind != E_BIN) {
        if (e->kind == E_NOT) return 3;
        if (e->kind == E_ISNULL || e->kind == E_IN) return 4;
        if (e->kind == E_NEG) return 7;
        return 8;
    }
    switch (e->op) {
    case OP_OR: return 1;
    case OP_AND: return 2;
    case '+': case '-': return 5;
    case '*': case '/': return 6;
    default: return 4; /* comparisons */
    }
}

const char *canon_opname(int op)
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

void canon_dur(StrBuf *b, Dur d)
{
    sb_printf(b, "%lld %s", (long long)d.n, (int)d.unit < 0 ? "?" : unit_name(d.unit, d.n != 1));
}

void canon_str(StrBuf *b, const char *s)
{
    sb_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') sb_putc(b, '\\');
        if (*s == '\n') sb_puts(b, "\\n");
        else if (*s == '\t') sb_puts(b, "\\t");
        else sb_putc(b, *s);
    }
    sb_putc(b, '"');
}

void canon_expr_sub(StrBuf *b, const Expr *e, int min, int flags)
{
    int paren = canon_prec(e) < min;
    if (paren) sb_putc(b, '(');
    canon_expr_f(b, e, flags);
    if (paren) sb_putc(b, ')');
}
#define sub(b, e, min) canon_expr_sub(b, e, min, flags)

static void count_body(StrBuf *b, const Expr *e, int flags)
{
    sb_puts(b, e->s);
    if (e->where) {
        sb_puts(b, " where ");
        canon_expr_f(b, e->where, flags);
    }
    if (e->dur.n) {
        sb_puts(b, ", within ");
        canon_dur(b, e->dur);
    }
    if (e->same) sb_printf(b, ", same %s", unit_name((Unit)(e->same - 1), 0));
}

void canon_expr(StrBuf *b, const Expr *e) { canon_expr_f(b, e, 0); }

void canon_expr_f(StrBuf *b, const Expr *e, int flags)
{
    char buf[24];
    switch (e->kind) {
    case E_STR: canon_str(b, e->s); break;
    case E_INT: sb_printf(b, "%lld", (long long)e->i); break;
    case E_DEC: {
        char d[400];
        /* the shortest spelling that reads back as the same number, in
         * the form the scanner accepts (digits.digits, no exponent) */
        for (int digits = 15; digits <= 17; digits++) {
            snprintf(d, sizeof d, "%.*g", digits, e->d);
            if (strtod(d, NULL) == e->d) break;
        }
        if (strpbrk(d, "e") && isfinite(e->d))
            for (int places = 1; places <= 340; places++) {
                snprintf(d, sizeof d, "%.*f", places, e->d);
                if (strtod(d, NULL) == e->d) break;
            }
        sb_puts(b, d);
        if (!strpbrk(d, ".n")) sb_puts(b, ".0"); /* stays a decimal */
        break;
    }
    case E_PCT:
        if (e->i % 100) sb_printf(b, "%lld.%02lld%%", (long long)(e->i / 100), (long long)(e->i % 100));
        else sb_printf(b, "%lld%%", (long long)(e->i / 100));
        break;
    case E_DATE: cal_fmt_date(e->i, buf); sb_puts(b, buf); break;
    case E_TIME:
        cal_fmt_time(e->i, buf);
        buf[10] = 'T';
        if ((flags & CANON_SHORT_TIME) && !strcmp(buf + 16, ":00")) buf[16] = 0;
        sb_puts(b, buf);
        break;
    case E_DUR: canon_dur(b, e->dur); break;
    case E_BOOL: sb_puts(b, e->i ? "true" : "false"); break;
    case E_NULL: sb_puts(b, "null"); break;
    case E_TODAY: sb_puts(b, "today"); break;
    case E_COL:
        if (e->qual == Q_CUSTOMER) sb_puts(b, "customer.");
        else if (e->qual == Q_THIS) sb_puts(b, "this.");
        sb_puts(b, e->s);
        break;
    case E_BIN: {
        int p = canon_prec(e);
        /* left-associative: the left operand may share the level */
        sub(b, e->a, p);
        sb_printf(b, " %s ", canon_opname(e->op));
        sub(b, e->b, p == 4 ? 5 : p + 1);
        break;
    }
    case E_NOT: sb_puts(b, "not "); sub(b, e->a, 3); break;
    case E_NEG: sb_putc(b, '-'); sub(b, e->a, 7); break;
    case E_ISNULL: sub(b, e->a, 5); sb_puts(b, e->neg ? " is not null" : " is null"); break;
    case E_IN:
        sub(b, e->a, 5);
        sb_puts(b, e->neg ? " not in " : " in ");
        sub(b, e->b, 8); /* the grammar takes a primary after in */
        break;
    case E_LIST:
        sb_putc(b, '[');
        for (int i = 0; i < e->nitems; i++) {
            if (i) sb_puts(b, ", ");
            canon_expr_f(b, e->items[i], flags);
        }
        sb_putc(b, ']');
        break;
    case E_COUNT: sb_puts(b, "count("); count_body(b, e, flags); sb_putc(b, ')'); break;
    case E_EXISTS: sb_puts(b, "exists("); count_body(b, e, flags); sb_putc(b, ')'); break;
    case E_NEXT:
        sb_printf(b, "next(%s", e->s);
        if (e->where) {
            sb_puts(b, " where ");
            canon_expr_f(b, e->where, flags);
        }
        sb_puts(b, ", after ");
        canon_expr_f(b, e->a, flags);
        sb_putc(b, ')');
        break;
    case E_CALL:
        sb_printf(b, "%s(", e->s);
        for (int i = 0; i < e->nitems; i++) {
            if (i) sb_puts(b, ", ");
            canon_expr_f(b, e->items[i], flags);
        }
        sb_putc(b, ')');
        break;
    }
}

#undef sub

char *canon_expr_text(const Expr *e)
{
    StrBuf b = {0};
    if (e) canon_expr(&b, e);
    return sb_take(&b);
}

void canon_sched(StrBuf *b, const Sched *s) { canon_sched_f(b, s, 0); }

void canon_sched_f(StrBuf *b, const Sched *s, int flags)
{
    sb_puts(b, "due ");
    switch (s->kind) {
    case S_WITHIN: sb_puts(b, "within "); canon_dur(b, s->durs[0]); sb_puts(b, " after "); break;
    case S_BETWEEN:
        sb_puts(b, "between ");
        canon_dur(b, s->durs[0]);
        sb_puts(b, " and ");
        canon_dur(b, s->durs[1]);
        sb_puts(b, " after ");
        break;
    case S_AT: case S_BEFORE: case S_REMIND:
        sb_puts(b, "at ");
        for (int i = 0; i < s->ndurs; i++) {
            if (i) sb_puts(b, ", ");
            canon_dur(b, s->durs[i]);
        }
        if (s->kind == S_AT) sb_puts(b, " after ");
        else if (s->kind == S_BEFORE) sb_puts(b, " before ");
        else {
            sb_puts(b, " before every ");
            canon_dur(b, s->period);
            sb_puts(b, " from ");
        }
        break;
    case S_EVERY: sb_puts(b, "every "); canon_dur(b, s->durs[0]); sb_puts(b, " from "); break;
    case S_IMMEDIATELY: sb_puts(b, "immediately after "); break;
    }
    canon_expr_f(b, s->anchor, flags);
    if (s->until) {
        sb_puts(b, " until ");
        canon_expr_f(b, s->until, flags);
    }
}

static void names(StrBuf *b, char **v, const char *sep)
{
    for (char **p = v; p && *p; p++) {
        if (p != v) sb_puts(b, sep);
        sb_puts(b, *p);
    }
}

void canon_policy(StrBuf *b, const Policy *p)
{
    char d[11];
    sb_printf(b, "policy %s", p->id);
    if (p->title) {
        sb_putc(b, ' ');
        canon_str(b, p->title);
    }
    sb_puts(b, " {\n");
    sb_printf(b, "  version %lld\n", (long long)p->version);
    if (p->effective != INT64_MIN) {
        cal_fmt_date(p->effective, d);
        sb_printf(b, "  effective %s\n", d);
    }
    if (p->calendar) sb_printf(b, "  calendar %s\n", p->calendar);
    sb_printf(b, "  applies to %s", p->table ? p->table : "?");
    if (p->where) {
        sb_puts(b, " where ");
        canon_expr(b, p->where);
    }
    sb_putc(b, '\n');
    for (size_t i = 0; i < p->scheds.n; i++) {
        sb_puts(b, "  ");
        canon_sched(b, p->scheds.v[i]);
        sb_putc(b, '\n');
    }
    if (p->coverage >= 0) {
        sb_puts(b, "  coverage ");
        if (p->coverage == 0 && p->at_least) sb_printf(b, "at least %lld", (long long)p->at_least);
        else {
            Expr pe = {0};
            pe.kind = E_PCT;
            pe.i = p->coverage;
            canon_expr(b, &pe);
            if (p->at_least) sb_printf(b, " at least %lld", (long long)p->at_least);
        }
        if (p->sample_per != U_DAYS) sb_printf(b, " per %s", unit_name(p->sample_per, 0));
        if (p->seed) {
            sb_puts(b, " seed ");
            canon_str(b, p->seed);
        }
        sb_putc(b, '\n');
    }
    if (p->channels) {
        sb_puts(b, "  channels ");
        names(b, p->channels, ", ");
        sb_putc(b, '\n');
    }
    if (p->nwindows) {
        sb_puts(b, "  contact between ");
        for (int i = 0; i < p->nwindows; i++)
            sb_printf(b, "%s%02d:%02d-%02d:%02d", i ? ", " : "", p->windows[i].from / 60, p->windows[i].from % 60,
                      p->windows[i].to / 60, p->windows[i].to % 60);
        if (p->windows_workdays) sb_puts(b, " on working days");
        sb_putc(b, '\n');
    }
    for (size_t i = 0; i < p->assigns.n; i++) {
        const AssignRule *r = p->assigns.v[i];
        sb_puts(b, "  assign ");
        for (int g = 0; g < r->ngroups; g++) {
            if (g) sb_puts(b, " fallback ");
            names(b, r->groups[g], " + ");
        }
        if (r->when) {
            sb_puts(b, " when ");
            canon_expr(b, r->when);
        }
        sb_putc(b, '\n');
    }
    for (size_t i = 0; i < p->prios.n; i++) {
        const PrioRule *r = p->prios.v[i];
        sb_puts(b, "  priority ");
        canon_expr(b, r->value);
        if (r->when) {
            sb_puts(b, " when ");
            canon_expr(b, r->when);
        }
        sb_putc(b, '\n');
    }
    if (p->asks) {
        sb_puts(b, "  ask ");
        names(b, p->asks, ", ");
        sb_putc(b, '\n');
    }
    if (p->attempts)
        sb_printf(b, "  attempts %lld%s\n", (long long)p->attempts, p->attempts_days ? " on different days" : "");
    for (int i = 0; i < p->ndeny; i++) {
        const char *c = strchr(p->deny[i], ':');
        sb_printf(b, "  deny %.*s by %s\n", (int)(c - p->deny[i]), p->deny[i], c + 1);
    }
    if (p->problem_within.n) {
        sb_puts(b, "  problem within ");
        canon_dur(b, p->problem_within);
        if (p->problem_assign) {
            sb_puts(b, " by ");
            names(b, p->problem_assign, " + ");
        }
        sb_putc(b, '\n');
    }
    if (p->dissatisfied_below) sb_printf(b, "  dissatisfied below %lld\n", (long long)p->dissatisfied_below);
    for (size_t i = 0; i < p->escalations.n; i++) {
        const Escalation *e = p->escalations.v[i];
        sb_printf(b, "  escalate %s to ", e->name);
        for (int k = 0; k < e->nlevels; k++) {
            if (k) sb_puts(b, " then ");
            names(b, e->levels[k], " + ");
        }
        if (e->within.n) {
            sb_puts(b, " within ");
            canon_dur(b, e->within);
        }
        if (e->when) {
            sb_puts(b, " when ");
            canon_expr(b, e->when);
            if (e->once_per) {
                sb_puts(b, " once per ");
                names(b, e->once_per, ", ");
            }
        } else if (e->on) {
            sb_printf(b, " on %s", e->on);
            if (e->question) {
                sb_printf(b, " %s = ", e->question);
                canon_str(b, e->value);
            }
        }
        sb_putc(b, '\n');
    }
    sb_puts(b, "}\n");
}

void canon_qset(StrBuf *b, const QSet *q)
{
    sb_printf(b, "questions %s", q->id);
    if (q->title) {
        sb_putc(b, ' ');
        canon_str(b, q->title);
    }
    sb_puts(b, q->ordered ? " ordered {\n" : " {\n");
    for (size_t i = 0; i < q->qs.n; i++) {
        const Question *qq = q->qs.v[i];
        sb_printf(b, "  %s ", qq->id);
        canon_str(b, qq->text);
        sb_puts(b, qq->mandatory ? " mandatory" : " optional");
        if (qq->affirmative) {
            sb_puts(b, " affirmative ");
            canon_str(b, qq->affirmative);
        }
        if (qq->when) {
            sb_puts(b, " when ");
            canon_expr(b, qq->when);
        }
        sb_putc(b, '\n');
    }
    sb_puts(b, "}\n");
}
