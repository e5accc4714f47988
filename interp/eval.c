/* eval.c - the expression evaluator (see eval.h). */
#include "eval.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cal.h"

static Value vnull(void) { Value v = {0}; v.t = T_NULL; return v; }
static Value vbool(int b) { Value v = {0}; v.t = T_BOOL; v.i = b != 0; return v; }
static Value vint(int64_t i) { Value v = {0}; v.t = T_INT; v.i = i; return v; }
static Value vdec(double d) { Value v = {0}; v.t = T_DEC; v.d = d; return v; }

static int numeric(Type t) { return t == T_INT || t == T_DEC || t == T_BOOL || t == T_PCT; }

/* Seconds of a temporal value (dates at midnight). */
static int64_t secs_of(const Value *v) { return v->t == T_DATE ? v->i * 86400 : v->i; }

/* -1, 0, 1; *ok = 0 when the values cannot be compared. */
static int compare(const Value *a, const Value *b, int *ok)
{
    *ok = 1;
    if (numeric(a->t) && numeric(b->t)) {
        if (a->t == T_DEC || b->t == T_DEC) {
            double x = a->t == T_DEC ? a->d : (double)a->i, y = b->t == T_DEC ? b->d : (double)b->i;
            return x < y ? -1 : x > y;
        }
        return a->i < b->i ? -1 : a->i > b->i;
    }
    if ((a->t == T_DATE || a->t == T_TIME) && (b->t == T_DATE || b->t == T_TIME)) {
        int64_t x = secs_of(a), y = secs_of(b);
        return x < y ? -1 : x > y;
    }
    if (a->t == T_TEXT && b->t == T_TEXT) {
        int c = strcmp(a->s, b->s);
        return c < 0 ? -1 : c > 0;
    }
    if (a->t == T_DUR && b->t == T_DUR) return !(a->dur.n == b->dur.n && a->dur.unit == b->dur.unit);
    *ok = 0;
    return 0;
}

static Value arith(int op, Value a, Value b, const EvRow *row)
{
    if (a.t == T_NULL || b.t == T_NULL) return vnull();
    if ((a.t == T_DATE || a.t == T_TIME) && b.t == T_DUR) {
        int64_t s = cal_add_dur(row->cal, secs_of(&a), b.dur, op == '-' ? -1 : 1);
        Value v = {0};
        if (a.t == T_DATE && b.dur.unit != U_HOURS) {
            v.t = T_DATE;
            v.i = s / 86400;
        } else {
            v.t = T_TIME;
            v.i = s;
        }
        return v;
    }
    if (a.t == T_DUR && (b.t == T_DATE || b.t == T_TIME) && op == '+') return arith('+', b, a, row);
    if (a.t == T_DATE && b.t == T_DATE && op == '-') return vint(a.i - b.i);
    if (!numeric(a.t) || !numeric(b.t)) return vnull();
    if (a.t == T_DEC || b.t == T_DEC) {
        double x = a.t == T_DEC ? a.d : (double)a.i, y = b.t == T_DEC ? b.d : (double)b.i;
        switch (op) {
        case '+': return vdec(x + y);
        case '-': return vdec(x - y);
        case '*': return vdec(x * y);
        case '/': return y == 0 ? vnull() : vdec(x / y);
        }
        return vnull();
    }
    int64_t x = a.i, y = b.i, r = 0;
    switch (op) {
    case '+': if (__builtin_add_overflow(x, y, &r)) return vdec((double)x + (double)y); return vint(r);
    case '-': if (__builtin_sub_overflow(x, y, &r)) return vdec((double)x - (double)y); return vint(r);
    case '*': if (__builtin_mul_overflow(x, y, &r)) return vdec((double)x * (double)y); return vint(r);
    case '/':
        if (y == 0) return vnull();
        if (x == INT64_MIN && y == -1) return vdec(-(double)x);
        return vint(x / y);
    }
    return vnull();
}

static Value literal(const Expr *e, const EvRow *row)
{
    Value v = {0};
    switch (e->kind) {
    case E_STR: v.t = T_TEXT; v.s = e->s; break;
    case E_INT: v.t = T_INT; v.i = e->i; break;
    case E_DEC: v.t = T_DEC; v.d = e->d; break;
    case E_PCT: v.t = T_PCT; v.i = e->i; break;
    case E_DATE: v.t = T_DATE; v.i = e->i; break;
    case E_TIME: v.t = T_TIME; v.i = e->i; break;
    case E_DUR: v.t = T_DUR; v.dur = e->dur; break;
    case E_BOOL: v.t = T_BOOL; v.i = e->i; break;
    case E_TODAY: v.t = T_DATE; v.i = row->as_of; break;
    default: v.t = T_NULL;
    }
    return v;
}

Value ev_expr(const Expr *e, const EvRow *row)
{
    switch (e->kind) {
    case E_COL: case E_COUNT: case E_EXISTS: case E_NEXT:
        return e->slot >= 0 ? row->slots[e->slot] : vnull();
    case E_CALL: {
        Value a = e->nitems ? ev_expr(e->items[0], row) : vnull();
        if (a.t != T_DATE && a.t != T_TIME) return vnull();
        int64_t day = a.t == T_DATE ? a.i : (a.i >= 0 ? a.i / 86400 : -((-a.i + 86399) / 86400));
        int y, m, d;
        cal_civil(day, &y, &m, &d);
        Value v = {0};
        v.t = T_DATE;
        if (!strcmp(e->s, "date")) v.i = day;
        else if (!strcmp(e->s, "start_of_week")) v.i = day - cal_weekday(day);
        else if (!strcmp(e->s, "start_of_month")) v.i = cal_days(y, m, 1);
        else if (!strcmp(e->s, "start_of_quarter")) v.i = cal_days(y, (m - 1) / 3 * 3 + 1, 1);
        else if (!strcmp(e->s, "start_of_half")) v.i = cal_days(y, m <= 6 ? 1 : 7, 1);
        else v.i = cal_days(y, 1, 1);
        return v;
    }
    case E_NULL: case E_LIST: return vnull();
    case E_BIN: {
        if (e->op == OP_AND || e->op == OP_OR) {
            Value a = ev_expr(e->a, row);
            int an = a.t == T_NULL, av = !an && a.i;
            if (e->op == OP_AND && !an && !av) return vbool(0);
            if (e->op == OP_OR && av) return vbool(1);
            Value b = ev_expr(e->b, row);
            int bn = b.t == T_NULL, bv = !bn && b.i;
            if (e->op == OP_AND) {
                if (!bn && !bv) return vbool(0);
                return (an || bn) ? vnull() : vbool(1);
            }
            if (bv) return vbool(1);
            return (an || bn) ? vnull() : vbool(0);
        }
        Value a = ev_expr(e->a, row), b = ev_expr(e->b, row);
        switch (e->op) {
        case OP_EQ: case OP_NE: case '<': case '>': case OP_LE: case OP_GE: {
            if (a.t == T_NULL || b.t == T_NULL) return vnull();
            int ok, c = compare(&a, &b, &ok);
            if (!ok) return vnull();
            switch (e->op) {
            case OP_EQ: return vbool(c == 0);
            case OP_NE: return vbool(c != 0);
            case '<': return vbool(c < 0);
            case '>': return vbool(c > 0);
            case OP_LE: return vbool(c <= 0);
            default: return vbool(c >= 0);
            }
        }
        default: return arith(e->op, a, b, row);
        }
    }
    case E_NOT: {
        Value a = ev_expr(e->a, row);
        return a.t == T_NULL ? a : vbool(!a.i);
    }
    case E_NEG: {
        Value a = ev_expr(e->a, row);
        if (a.t == T_DEC) return vdec(-a.d);
        if (a.t == T_INT) return a.i == INT64_MIN ? vdec(-(double)a.i) : vint(-a.i);
        return vnull();
    }
    case E_ISNULL: {
        Value a = ev_expr(e->a, row);
        return vbool((a.t == T_NULL) != e->neg);
    }
    case E_IN: {
        Value a = ev_expr(e->a, row);
        if (a.t == T_NULL) return vnull();
        int saw_null = 0;
        for (int i = 0; i < e->b->nitems; i++) {
            Value b = ev_expr(e->b->items[i], row);
            if (b.t == T_NULL) { saw_null = 1; continue; }
            int ok, c = compare(&a, &b, &ok);
            if (ok && c == 0) return vbool(!e->neg);
        }
        return saw_null ? vnull() : vbool(e->neg);
    }
    default: return literal(e, row);
    }
}

int ev_true(const Expr *e, const EvRow *row)
{
    Value v = ev_expr(e, row);
    return v.t == T_BOOL && v.i;
}

const char *ev_show(const Value *v, char *buf, size_t n)
{
    char tmp[24];
    switch (v->t) {
    case T_NULL: str_copy(buf, n, "null"); break;
    case T_BOOL: str_copy(buf, n, v->i ? "true" : "false"); break;
    case T_INT: snprintf(buf, n, "%lld", (long long)v->i); break;
    case T_DEC: snprintf(buf, n, "%g", v->d); break;
    case T_PCT: snprintf(buf, n, "%lld.%02lld%%", (long long)(v->i / 100), (long long)(v->i % 100)); break;
    case T_TEXT: str_copy(buf, n, v->s); break;
    case T_DATE: cal_fmt_date(v->i, tmp); str_copy(buf, n, tmp); break;
    case T_TIME: cal_fmt_time(v->i, tmp); str_copy(buf, n, tmp); break;
    case T_DUR: snprintf(buf, n, "%lld %s", (long long)v->dur.n, unit_name(v->dur.unit, v->dur.n != 1)); break;
    default: snprintf(buf, n, "?");
    }
    return buf;
}
