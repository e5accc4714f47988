/* plan.c - from a checked policy to one SQL query plus residual filters
 * (see plan.h).  Values are always bound as parameters; identifiers come
 * only from the checked schema and are quoted. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>
#include "cal.h"
#include "diag.h"

typedef struct {
    StrBuf sql;       /* query being built */
    PtrVec params;    /* Param* */
    PtrVec slots;     /* Slot* */
    PtrVec slot_keys; /* char* dedup keys parallel to slots */
    StrBuf cols;      /* slot SELECT expressions */
    int64_t as_of;    /* run date */
    const Schema *schema;
    const char *cust; /* alias of the customer row: "c" or "s" */
    const Calendar *cal; /* the policy's calendar, for working-day periods */
    const Table *subject; /* the policy's subject table */
    int depth;        /* count() nesting while generating */
    int outer_refs;   /* columns of the subject's row (or its customer's) read inside a subquery */
    int constant;     /* subqueries that read neither: run once per run of the query */
} PB;

static int temporal(Type t) { return t == T_DATE || t == T_TIME; }
#define pushable plan_pushable

int plan_pushable(const Expr *e)
{
    switch (e->kind) {
    case E_DUR: return 0;
    case E_BIN:
        if ((e->op == '+' || e->op == '-') &&
            (temporal(e->a->type) || temporal(e->b->type) || e->a->type == T_DUR || e->b->type == T_DUR))
            return 0;
        /* a date-typed column against a time-typed value compares text of
         * different shapes: keep it in C */
        if (e->a->type != e->b->type && temporal(e->a->type) && temporal(e->b->type)) {
            const Expr *d = e->a->type == T_DATE ? e->a : e->b;
            if (d->kind != E_DATE && d->kind != E_TODAY) return 0;
        }
        return pushable(e->a) && pushable(e->b);
    case E_NOT: case E_NEG: case E_ISNULL: return pushable(e->a);
    case E_IN:
        if (!pushable(e->a)) return 0;
        for (int i = 0; i < e->b->nitems; i++) if (!pushable(e->b->items[i])) return 0;
        return 1;
    case E_COUNT: case E_EXISTS: return !e->where || pushable(e->where);
    case E_NEXT: return (!e->where || pushable(e->where)) && pushable(e->a);
    case E_CALL: return 0;
    default: return 1;
    }
}

static void add_param(PB *b, Type t, int64_t i, double d, const char *s)
{
    Param *p = xcalloc(1, sizeof *p);
    p->t = t;
    p->i = i;
    p->d = d;
    p->s = s ? xstrdup(s) : NULL;
    pv_push(&b->params, p);
    sb_putc(&b->sql, '?');
}

/* name in double quotes, quotes inside doubled */
static void quoted(StrBuf *sb, const char *name)
{
    sb_putc(sb, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') sb_putc(sb, '"');
        sb_putc(sb, *p);
    }
    sb_putc(sb, '"');
}

static void ident(StrBuf *sb, const char *alias, const char *name)
{
    sb_printf(sb, "%s.", alias);
    quoted(sb, name);
}

static void gen(PB *b, const Expr *e, int want_time);

static void gen_temporal_literal(PB *b, int64_t v, int is_date, int want_time)
{
    char buf[20];
    if (is_date && want_time) cal_fmt_time(v * 86400, buf);
    else if (is_date) cal_fmt_date(v, buf);
    else cal_fmt_time(v, buf);
    add_param(b, T_TEXT, 0, 0, buf);
}

static void gen_count(PB *b, const Expr *e)
{
    const Table *t = schema_table(b->schema, e->s);
    char alias[16];
    int refs = b->outer_refs;
    b->depth++;
    snprintf(alias, sizeof alias, "r%d", b->depth);
    sb_puts(&b->sql, e->kind == E_EXISTS ? "EXISTS(SELECT 1" : "(SELECT count(*)");
    sb_printf(&b->sql, " FROM \"%s\" AS %s WHERE ", t->name, alias);
    if (e->where) gen(b, e->where, 0);
    else sb_puts(&b->sql, "1");
    if (e->same) {
        /* the calendar period of the subject's own time column */
        const Column *tc = table_time_column(t);
        const Column *sc = table_time_column(b->subject);
        char subj[80], start[256];
        snprintf(subj, sizeof subj, "s.\"%s\"", sc->name);
        switch ((Unit)(e->same - 1)) {
        case U_WEEKS: snprintf(start, sizeof start, "date(%s, 'weekday 0', '-6 days')", subj); break;
        case U_MONTHS: snprintf(start, sizeof start, "date(%s, 'start of month')", subj); break;
        case U_YEARS: snprintf(start, sizeof start, "date(%s, 'start of year')", subj); break;
        default:
            snprintf(start, sizeof start,
                     "date(%s, 'start of month', printf('-%%d months', (cast(strftime('%%m', %s) AS integer) - 1) %% 3))",
                     subj, subj);
        }
        static const char *const step[] = {"", "", "", "+7 days", "+1 month", "+3 months", "+1 year"};
        sb_puts(&b->sql, " AND ");
        ident(&b->sql, alias, tc->name);
        sb_printf(&b->sql, " >= %s AND ", start);
        ident(&b->sql, alias, tc->name);
        sb_printf(&b->sql, " < date(%s, '%s')", start, step[e->same - 1]);
    }
    if (e->dur.n) {
        const Column *tc = table_time_column(t);
        int is_time = tc->type == T_TIME;
        int64_t from = cal_add_dur(b->cal, b->as_of * 86400, e->dur, -1) / 86400;
        sb_puts(&b->sql, " AND ");
        ident(&b->sql, alias, tc->name);
        sb_puts(&b->sql, " >= ");
        gen_temporal_literal(b, from, 1, is_time);
        sb_puts(&b->sql, " AND ");
        ident(&b->sql, alias, tc->name);
        sb_puts(&b->sql, " < ");
        gen_temporal_literal(b, b->as_of + 1, 1, is_time);
    }
    sb_putc(&b->sql, ')');
    b->depth--;
    if (!b->depth && !e->same && b->outer_refs == refs) b->constant++;
}

static void gen_next(PB *b, const Expr *e)
{
    const Table *t = schema_table(b->schema, e->s);
    const Column *tc = table_time_column(t);
    char alias[16];
    /* the lower bound reads the enclosing row: generate it before entering
     * the subquery's scope; it comes first in the text, as its parameters */
    StrBuf saved = b->sql;
    b->sql = (StrBuf){0};
    gen(b, e->a, tc->type == T_TIME);
    char *after = sb_take(&b->sql);
    b->sql = saved;
    b->depth++;
    snprintf(alias, sizeof alias, "r%d", b->depth);
    sb_puts(&b->sql, "(SELECT min(");
    ident(&b->sql, alias, tc->name);
    sb_printf(&b->sql, ") FROM \"%s\" AS %s WHERE ", t->name, alias);
    ident(&b->sql, alias, tc->name);
    sb_printf(&b->sql, " > %s AND ", after);
    free(after);
    if (e->where) gen(b, e->where, 0);
    else sb_puts(&b->sql, "1");
    sb_putc(&b->sql, ')');
    b->depth--;
}

static const char *sql_op(int op)
{
    switch (op) {
    case OP_AND: return "AND";
    case OP_OR: return "OR";
    case OP_EQ: return "=";
    case OP_NE: return "<>";
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

static void gen(PB *b, const Expr *e, int want_time)
{
    StrBuf *s = &b->sql;
    switch (e->kind) {
    case E_STR: add_param(b, T_TEXT, 0, 0, e->s); break;
    case E_INT: case E_PCT: add_param(b, T_INT, e->i, 0, NULL); break;
    case E_BOOL: add_param(b, T_INT, e->i, 0, NULL); break;
    case E_DEC: add_param(b, T_DEC, 0, e->d, NULL); break;
    case E_DATE: gen_temporal_literal(b, e->i, 1, want_time); break;
    case E_TIME: gen_temporal_literal(b, e->i, 0, 1); break;
    case E_TODAY: gen_temporal_literal(b, b->as_of, 1, want_time); break;
    case E_NULL: sb_puts(s, "NULL"); break;
    case E_DUR: sb_puts(s, "NULL"); break; /* never pushed */
    case E_LIST: sb_puts(s, "NULL"); break;
    case E_COL: {
        char alias[16];
        if (e->qual == Q_CUSTOMER) snprintf(alias, sizeof alias, "%s", b->cust);
        else if (e->qual == Q_THIS || b->depth == 0) snprintf(alias, sizeof alias, "s");
        else snprintf(alias, sizeof alias, "r%d", b->depth);
        if (b->depth && alias[0] != 'r') b->outer_refs++;
        ident(s, alias, e->s);
        break;
    }
    case E_BIN: {
        int wt = (e->a->type == T_TIME || e->b->type == T_TIME);
        sb_putc(s, '(');
        gen(b, e->a, wt);
        sb_printf(s, " %s ", sql_op(e->op));
        gen(b, e->b, wt);
        sb_putc(s, ')');
        break;
    }
    case E_NOT: sb_puts(s, "(NOT "); gen(b, e->a, 0); sb_putc(s, ')'); break;
    case E_NEG: sb_puts(s, "(- "); gen(b, e->a, 0); sb_putc(s, ')'); break;
    case E_ISNULL:
        sb_putc(s, '(');
        gen(b, e->a, 0);
        sb_puts(s, e->neg ? " IS NOT NULL)" : " IS NULL)");
        break;
    case E_IN: {
        int wt = e->a->type == T_TIME;
        sb_putc(s, '(');
        gen(b, e->a, 0);
        sb_puts(s, e->neg ? " NOT IN (" : " IN (");
        for (int i = 0; i < e->b->nitems; i++) {
            if (i) sb_puts(s, ", ");
            gen(b, e->b->items[i], wt);
        }
        sb_puts(s, "))");
        break;
    }
    case E_COUNT: case E_EXISTS: gen_count(b, e); break;
    case E_NEXT: gen_next(b, e); break;
    case E_CALL: sb_puts(s, "NULL"); break; /* never pushed */
    }
}

/* Give e (and the columns and counts it reads) slots in the SELECT list. */
static void assign_slots(PB *b, Expr *e)
{
    if (!e) return;
    switch (e->kind) {
    case E_CALL:
        for (int i = 0; i < e->nitems; i++) assign_slots(b, e->items[i]);
        return;
    case E_COL: case E_COUNT: case E_EXISTS: case E_NEXT: {
        StrBuf key = {0};
        if (e->kind == E_COL)
            sb_printf(&key, "%s%s", e->qual == Q_CUSTOMER ? "customer." : "", e->s);
        else
            sb_printf(&key, "@%p", (void *)e);
        for (size_t i = 0; i < b->slot_keys.n; i++)
            if (!strcmp(b->slot_keys.v[i], sb_str(&key))) {
                e->slot = (int)i;
                sb_free(&key);
                return;
            }
        Slot *sl = xcalloc(1, sizeof *sl);
        sl->type = e->type;
        if (e->kind == E_COL) {
            sl->label = xstrdup(sb_str(&key));
        } else {
            const Source *src = e->loc.src;
            sl->label = xasprintf("%s(%s ...) at line %d",
                                  e->kind == E_COUNT ? "count" : e->kind == E_EXISTS ? "exists" : "next", e->s,
                                  e->loc.first_line);
            (void)src;
        }
        e->slot = (int)b->slots.n;
        pv_push(&b->slots, sl);
        pv_push(&b->slot_keys, sb_take(&key));
        /* generate the select expression into cols, with its own params
         * appended now: slots come before WHERE in the SQL text */
        StrBuf saved = b->sql;
        b->sql = (StrBuf){0};
        gen(b, e, 0);
        sb_puts(&b->cols, ", ");
        sb_puts(&b->cols, sb_str(&b->sql));
        sb_free(&b->sql);
        b->sql = saved;
        return;
    }
    case E_LIST:
        for (int i = 0; i < e->nitems; i++) assign_slots(b, e->items[i]);
        return;
    default:
        assign_slots(b, e->a);
        if (e->kind == E_IN) {
            for (int i = 0; i < e->b->nitems; i++) assign_slots(b, e->b->items[i]);
        } else {
            assign_slots(b, e->b);
        }
        return;
    }
}

static void split_and(Expr *e, PtrVec *out)
{
    if (e->kind == E_BIN && e->op == OP_AND) {
        split_and(e->a, out);
        split_and(e->b, out);
    } else {
        pv_push(out, e);
    }
}

/* When e is `col = "text"` or `col in ["text", ...]` on the subject row,
 * make it pl's probe (plan_choose_access). */
static void probe_term(Plan *pl, const Expr *e)
{
    const Expr *col = e->a;
    if (!col || col->kind != E_COL || col->qual != Q_NONE) return;
    if (e->kind == E_BIN && e->op == OP_EQ && e->b->kind == E_STR) {
        pl->probe_vals = xcalloc(2, sizeof *pl->probe_vals);
        pl->probe_vals[0] = xstrdup(e->b->s);
        pl->nprobe = 1;
    } else if (e->kind == E_IN && !e->neg && e->b->nitems > 0) {
        for (int i = 0; i < e->b->nitems; i++)
            if (e->b->items[i]->kind != E_STR) return;
        pl->probe_vals = xcalloc((size_t)e->b->nitems + 1, sizeof *pl->probe_vals);
        for (int i = 0; i < e->b->nitems; i++) pl->probe_vals[i] = xstrdup(e->b->items[i]->s);
        pl->nprobe = e->b->nitems;
        pl->probe_in = 1;
    } else {
        return;
    }
    pl->probe_col = xstrdup(col->s);
}

Plan *plan_policy(Policy *p, const Schema *schema, int64_t as_of)
{
    PB b = {0};
    b.as_of = as_of;
    b.schema = schema;
    int is_customers = !strcmp(p->table, "customers");
    b.cust = is_customers ? "s" : "c";
    b.cal = p->cal;
    b.subject = schema_table(schema, p->table);
    Plan *pl = xcalloc(1, sizeof *pl);
    pl->pol = p;
    pl->probe_share = -1;

    PtrVec conj = {0}, resid = {0}, pushed = {0};
    if (p->where) split_and(p->where, &conj);
    for (size_t i = 0; i < conj.n; i++) {
        Expr *c = conj.v[i];
        pv_push(pushable(c) ? &pushed : &resid, c);
        if (!pushable(c)) {
            /* counts inside a residual conjunct must themselves be pushable */
        }
    }
    /* slots: everything the C side reads; the slot parameters come first in
     * the SQL text, so they are generated first */
    for (size_t i = 0; i < resid.n; i++) assign_slots(&b, resid.v[i]);
    for (size_t i = 0; i < p->scheds.n; i++) {
        Sched *s = p->scheds.v[i];
        assign_slots(&b, s->anchor);
        assign_slots(&b, s->until);
    }
    for (size_t i = 0; i < p->assigns.n; i++) assign_slots(&b, ((AssignRule *)p->assigns.v[i])->when);
    for (size_t i = 0; i < p->escalations.n; i++) {
        Escalation *e = p->escalations.v[i];
        assign_slots(&b, e->when);
        for (int k = 0; e->once_per && e->once_per[k]; k++) assign_slots(&b, e->once_cols[k]);
    }
    for (size_t i = 0; i < p->prios.n; i++) {
        assign_slots(&b, ((PrioRule *)p->prios.v[i])->value);
        assign_slots(&b, ((PrioRule *)p->prios.v[i])->when);
    }
    if (p->qsets)
        for (int k = 0; p->asks[k]; k++) {
            QSet *q = p->qsets[k];
            if (!q) continue;
            for (size_t j = 0; j < q->qs.n; j++) assign_slots(&b, ((Question *)q->qs.v[j])->when);
        }
    for (size_t i = 0; i < resid.n; i++) {
        /* counts inside residuals were given slots; check their filters */
    }

    StrBuf *s = &b.sql;
    if (is_customers)
        sb_puts(s, "SELECT s.\"id\", s.\"id\", s.\"name\", s.\"mobile\", s.\"do_not_contact\"");
    else
        sb_puts(s, "SELECT s.\"id\", c.\"id\", c.\"name\", c.\"mobile\", c.\"do_not_contact\"");
    const Table *ct = schema_table(schema, "customers");
    if (p->nwindows && ct && table_column(ct, "contact_window"))
        sb_printf(s, ", %s.\"contact_window\"", b.cust);
    else
        sb_puts(s, ", NULL");
    const Table *st = schema_table(schema, p->table);
    if (!is_customers && st && table_column(st, "department")) sb_puts(s, ", s.\"department\"");
    else sb_puts(s, ", NULL");
    sb_puts(s, sb_str(&b.cols));
    sb_printf(s, " FROM \"%s\" AS s", p->table);
    pl->probe_at = (int)s->len; /* where plan_choose_access writes " NOT INDEXED CROSS" */
    if (!is_customers) sb_puts(s, " JOIN \"customers\" AS c ON c.\"id\" = s.\"customer_id\"");
    if (pushed.n) {
        sb_puts(s, " WHERE ");
        for (size_t i = 0; i < pushed.n; i++) {
            if (i) sb_puts(s, " AND ");
            const Expr *e = pushed.v[i];
            if (!pl->probe_col) probe_term(pl, e);
            gen(&b, e, 0);
        }
    }
    pl->where_end = (int)s->len;
    /* Row order matters only where an escalation cites the first subject
     * that triggered it; everything else is sorted later (samples by key,
     * due-lists by status and date), so other policies skip the sort. */
    if (p->escalations.n) sb_puts(s, " ORDER BY s.\"id\"");

    pl->sql = sb_take(s);
    pl->nparams = (int)b.params.n;
    pl->params = xcalloc(b.params.n + 1, sizeof *pl->params);
    for (size_t i = 0; i < b.params.n; i++) {
        pl->params[i] = *(Param *)b.params.v[i];
        free(b.params.v[i]);
    }
    pl->nslots = (int)b.slots.n;
    pl->slots = xcalloc(b.slots.n + 1, sizeof *pl->slots);
    for (size_t i = 0; i < b.slots.n; i++) {
        pl->slots[i] = *(Slot *)b.slots.v[i];
        free(b.slots.v[i]);
        free(b.slot_keys.v[i]);
    }
    pl->nresidual = (int)resid.n;
    pl->residual = xcalloc(resid.n + 1, sizeof *pl->residual);
    for (size_t i = 0; i < resid.n; i++) pl->residual[i] = resid.v[i];
    pl->pushed = (int)pushed.n;
    pl->constant_subqueries = b.constant;
    pv_free(&b.params);
    pv_free(&b.slots);
    pv_free(&b.slot_keys);
    sb_free(&b.cols);
    pv_free(&conj);
    pv_free(&resid);
    pv_free(&pushed);
    return pl;
}

/* 1 when an index of table has col as its first column, 0 when none, -1 on error. */
static int leading_index(sqlite3 *db, const char *table, const char *col)
{
    return store_has_row(db, "SELECT 1 FROM pragma_index_list(?1) AS l, pragma_index_info(l.name) AS i "
                             "WHERE i.seqno = 0 AND i.name = ?2", table, col);
}

/* The first column of sql's first row, after binding the n texts of v to
 * ?1..?n and limit (when >= 0) to ?(n+1); -1 when it cannot be read. */
static int64_t probe_int(sqlite3 *db, const char *sql, char *const *v, int n, int64_t limit)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    for (int i = 0; i < n; i++) sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    if (limit >= 0) sqlite3_bind_int64(st, n + 1, limit);
    int64_t x = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return x;
}

int plan_choose_access(Plan *pl, sqlite3 *db)
{
    pl->chosen = 1;
    if (!pl->probe_col || pl->scan) return 0;
    const char *table = pl->pol->table;
    int ix = leading_index(db, table, pl->probe_col);
    if (ix <= 0) return ix;
    StrBuf q = {0};
    sb_puts(&q, "SELECT max(rowid) FROM ");
    quoted(&q, table);
    int64_t rows = probe_int(db, sb_str(&q), NULL, 0, -1); /* without ROWID: -1, keep the index */
    sb_free(&q);
    if (rows <= 0) return 0;
    int64_t enough = (int64_t)(rows * PLAN_SCAN_SHARE) + 1;
    sb_puts(&q, "SELECT count(*) FROM (SELECT 1 FROM ");
    quoted(&q, table);
    sb_puts(&q, " WHERE ");
    quoted(&q, pl->probe_col);
    sb_puts(&q, " IN (");
    for (int i = 0; i < pl->nprobe; i++) sb_printf(&q, "%s?%d", i ? ", " : "", i + 1);
    sb_printf(&q, ") LIMIT ?%d)", pl->nprobe + 1);
    int64_t n = probe_int(db, sb_str(&q), pl->probe_vals, pl->nprobe, enough);
    sb_free(&q);
    if (n < 0) return -1;
    pl->probe_share = (double)n / (double)rows;
    const char *ins = strcmp(table, "customers") ? " NOT INDEXED CROSS" : " NOT INDEXED";
    if (n < enough) {
        /* through the index, in rowid order: the matching rowids first (a
         * sorted set), then each row by its rowid; in the index's order
         * every row (and its customer) is on another page.  The values are
         * bound again as parameters after the plan's own. */
        if (!n || pl->where_end <= pl->probe_at) return 0;
        sb_printf(&q, "%.*s%s%.*s AND s.rowid IN (SELECT rowid FROM ", pl->probe_at, pl->sql, ins,
                  pl->where_end - pl->probe_at, pl->sql + pl->probe_at);
        quoted(&q, table);
        sb_puts(&q, " WHERE ");
        quoted(&q, pl->probe_col);
        sb_puts(&q, " IN (");
        for (int i = 0; i < pl->nprobe; i++) sb_printf(&q, "%s?%d", i ? ", " : "", pl->nparams + 1 + i);
        sb_puts(&q, "))");
        sb_puts(&q, pl->sql + pl->where_end);
        free(pl->sql);
        pl->sql = sb_take(&q);
        pl->params = xrealloc(pl->params, sizeof *pl->params * (size_t)(pl->nparams + pl->nprobe + 1));
        for (int i = 0; i < pl->nprobe; i++)
            pl->params[pl->nparams++] = (Param){.t = T_TEXT, .s = xstrdup(pl->probe_vals[i])};
        return 0;
    }
    /* NOT INDEXED: read the subject table in rowid order (an ORDER BY s.id
     * sorts instead of walking the id index); CROSS JOIN keeps it the outer
     * loop, so the customer is looked up per case and not the other way */
    char *sql = xasprintf("%.*s%s%s", pl->probe_at, pl->sql, ins, pl->sql + pl->probe_at);
    free(pl->sql);
    pl->sql = sql;
    pl->scan = 1;
    return 0;
}

void plan_restrict_rows(Plan *pl, int64_t lo, int64_t hi)
{
    /* after the pushed filters (and any index subquery plan_choose_access
     * added), before the ORDER BY an escalating policy has */
    static const char order[] = " ORDER BY s.\"id\"";
    size_t len = strlen(pl->sql), at = len;
    if (len >= sizeof order - 1 && !strcmp(pl->sql + len - (sizeof order - 1), order)) at = len - (sizeof order - 1);
    /* found through the index: the range goes into the rowid subquery,
     * which the index (its key ends in the rowid) then reads in part */
    int sub = strstr(pl->sql, " AND s.rowid IN (SELECT rowid FROM ") != NULL;
    if (sub) at--;
    char *sql = xasprintf("%.*s%srowid BETWEEN ?%d AND ?%d%s", (int)at, pl->sql,
                          sub ? " AND " : pl->pushed ? " AND s." : " WHERE s.", pl->nparams + 1, pl->nparams + 2,
                          pl->sql + at);
    free(pl->sql);
    pl->sql = sql;
    pl->params = xrealloc(pl->params, sizeof *pl->params * (size_t)(pl->nparams + 3));
    pl->params[pl->nparams++] = (Param){.t = T_INT, .i = lo};
    pl->params[pl->nparams++] = (Param){.t = T_INT, .i = hi};
}

sqlite3_stmt *plan_prepare(Plan *pl, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (!pl->chosen && plan_choose_access(pl, db) < 0) {
        store_error(db, "cannot read the store");
        return NULL;
    }
    if (sqlite3_prepare_v2(db, pl->sql, -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "cannot prepare the policy query");
        return NULL;
    }
    for (int i = 0; i < pl->nparams; i++) {
        const Param *p = &pl->params[i];
        if (p->t == T_TEXT) sqlite3_bind_text(st, i + 1, p->s, -1, SQLITE_STATIC);
        else if (p->t == T_DEC) sqlite3_bind_double(st, i + 1, p->d);
        else sqlite3_bind_int64(st, i + 1, p->i);
    }
    return st;
}

void plan_print(const Plan *pl, FILE *f)
{
    flockfile(f); /* whole: the workers of a run print their plans at once */
    fprintf(f, "-- policy %s v%lld: %d filter(s) pushed into SQL, %d evaluated in C\n", pl->pol->id,
            (long long)pl->pol->version, pl->pushed, pl->nresidual);
    if (pl->probe_share >= 0) {
        fprintf(f, "-- %s %s", pl->probe_col, pl->probe_in ? "in (" : "= ");
        for (int i = 0; i < pl->nprobe; i++) fprintf(f, "%s'%s'", i ? ", " : "", pl->probe_vals[i]);
        fprintf(f, "%s holds for %s%.0f%% of %s: %s\n", pl->probe_in ? ")" : "", pl->scan ? "at least " : "",
                pl->probe_share * 100, pl->pol->table,
                pl->scan ? "the table is read in order, not through its index"
                         : "its rows are found through its index, then read in rowid order");
    }
    fprintf(f, "%s;\n", pl->sql);
    for (int i = 0; i < pl->nparams; i++) {
        const Param *p = &pl->params[i];
        if (p->t == T_TEXT) fprintf(f, "--   ?%d = '%s'\n", i + 1, p->s);
        else if (p->t == T_DEC) fprintf(f, "--   ?%d = %g\n", i + 1, p->d);
        else fprintf(f, "--   ?%d = %lld\n", i + 1, (long long)p->i);
    }
    funlockfile(f);
}

Plan *plan_dup(const Plan *pl)
{
    Plan *q = xmalloc(sizeof *q);
    *q = *pl;
    q->sql = xstrdup(pl->sql);
    q->params = xcalloc((size_t)pl->nparams + 1, sizeof *q->params);
    for (int i = 0; i < pl->nparams; i++) {
        q->params[i] = pl->params[i];
        if (pl->params[i].s) q->params[i].s = xstrdup(pl->params[i].s);
    }
    q->slots = xcalloc((size_t)pl->nslots + 1, sizeof *q->slots);
    for (int i = 0; i < pl->nslots; i++) {
        q->slots[i] = pl->slots[i];
        q->slots[i].label = xstrdup(pl->slots[i].label);
    }
    q->residual = xcalloc((size_t)pl->nresidual + 1, sizeof *q->residual);
    for (int i = 0; i < pl->nresidual; i++) q->residual[i] = pl->residual[i];
    q->probe_col = pl->probe_col ? xstrdup(pl->probe_col) : NULL;
    q->probe_vals = xcalloc((size_t)pl->nprobe + 1, sizeof *q->probe_vals);
    for (int i = 0; i < pl->nprobe; i++) q->probe_vals[i] = xstrdup(pl->probe_vals[i]);
    return q;
}

void plan_free(Plan *pl)
{
    if (!pl) return;
    free(pl->sql);
    for (int i = 0; i < pl->nparams; i++) free(pl->params[i].s);
    free(pl->params);
    for (int i = 0; i < pl->nslots; i++) free(pl->slots[i].label);
    free(pl->slots);
    free(pl->residual);
    free(pl->probe_col);
    for (int i = 0; i < pl->nprobe; i++) free(pl->probe_vals[i]);
    free(pl->probe_vals);
    free(pl);
}
