/* expr.c - expressions typed at the REPL, evaluated against the subject
 * chosen with :with, through the same parser, checker, planner and
 * evaluator as a run.
 *
 * The grammar parses whole files only, so an expression is wrapped into a
 * one-policy fragment on the lines after a header:
 *
 *     policy __repl { applies to cases where id = "K-7" priority 1 when
 *     <the expression, as typed>
 *     }
 *
 * The header's filter selects the subject (pushed into SQL by the
 * planner), and the `priority ... when` condition makes the planner read
 * every column and count() the expression needs into the query's slots;
 * ev_expr then evaluates it on that one row.  Diagnostics are held back
 * while the fragment is parsed and checked, then printed with line
 * numbers of the expression itself (of the script in script mode), so
 * they look exactly like the checker's. */
#include <stdlib.h>
#include <string.h>
#include "../interp/cal.h"
#include "../interp/check.h"
#include "../interp/diag.h"
#include "../interp/eval.h"
#include "../interp/load.h"
#include "../interp/plan.h"
#include "session.h"

char *repl_quote(const char *s)
{
    StrBuf b = {0};
    sb_putc(&b, '"');
    for (; *s; s++) {
        switch (*s) {
        case '"': sb_puts(&b, "\\\""); break;
        case '\\': sb_puts(&b, "\\\\"); break;
        case '\n': sb_puts(&b, "\\n"); break;
        case '\t': sb_puts(&b, "\\t"); break;
        default: sb_putc(&b, *s);
        }
    }
    sb_putc(&b, '"');
    return sb_take(&b);
}

/* ---- fragments ---- */

typedef struct {
    Program *prog;  /* the parsed fragment */
    Policy *pol;    /* its policy when it is exactly one, else NULL */
    const char *text; /* the text wrapped (borrowed) */
    int nlines;     /* lines of the text wrapped */
    char *held;     /* diagnostics held back (memstream buffer) */
    size_t held_len; /* bytes in held */
    FILE *hold;     /* the memstream, while holding */
} Frag;

static void frag_begin(ReplSession *S, Frag *f, const char *head, const char *text)
{
    memset(f, 0, sizeof *f);
    f->text = text;
    StrBuf w = {0};
    sb_puts(&w, head);
    sb_putc(&w, '\n');
    sb_puts(&w, text);
    if (!w.len || w.s[w.len - 1] != '\n') sb_putc(&w, '\n');
    for (const char *p = text; *p; p++) f->nlines += *p == '\n';
    if (*text && text[strlen(text) - 1] != '\n') f->nlines++;
    sb_puts(&w, "}\n");
    f->hold = open_memstream(&f->held, &f->held_len);
    if (f->hold) diag_set_stream(f->hold);
    f->prog = load_new();
    load_text(f->prog, S->src_name, w.s, w.len);
    sb_free(&w);
    if (f->prog->policies.n == 1) f->pol = f->prog->policies.v[0];
}

/* Print the held diagnostics, renumbered from the wrapped text's lines to
 * the fragment's (line 2 of the wrapped text is the first of the
 * fragment); a report on the closing line is "at the end of the input". */
static void frag_end(ReplSession *S, Frag *f)
{
    diag_set_stream(NULL);
    if (!f->hold) return;
    fclose(f->hold);
    f->hold = NULL;
    size_t nl = strlen(S->src_name);
    int skipping = 0;
    fflush(stdout);
    for (char *p = f->held; p && *p;) {
        char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        int line, col, used = 0;
        if (!strncmp(p, S->src_name, nl) && sscanf(p + nl, ":%d:%d:%n", &line, &col, &used) == 2 && used) {
            const char *msg = p + nl + used;
            size_t mlen = n - nl - (size_t)used;
            skipping = 0;
            if (line >= f->nlines + 2) {
                /* the closing brace is ours: the input ended too soon */
                StrBuf m = {0};
                const char *brace = strstr(msg, "'}'");
                if (brace && brace < msg + mlen) {
                    sb_putn(&m, msg, (size_t)(brace - msg));
                    sb_puts(&m, "end of input");
                    sb_putn(&m, brace + 3, mlen - (size_t)(brace + 3 - msg));
                } else {
                    sb_putn(&m, msg, mlen);
                }
                /* point just past the last line of the fragment */
                const char *last = f->text, *e = f->text + strlen(f->text);
                while (e > f->text && (e[-1] == '\n' || e[-1] == '\r')) e--;
                for (const char *q = f->text; q < e; q++)
                    if (*q == '\n') last = q + 1;
                int chars = 0;
                StrBuf pad = {0};
                for (const char *q = last; q < e; q++) {
                    unsigned char ch = (unsigned char)*q;
                    if ((ch & 0xC0) == 0x80) continue;
                    chars++;
                    int len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
                    if (ch == '\t') sb_putc(&pad, '\t');
                    else for (int k = utf8_width(q, (size_t)len); k > 0; k--) sb_putc(&pad, ' ');
                }
                fprintf(stderr, "%s:%ld:%d:%s\n  %.*s\n  %s^\n", S->src_name, f->nlines + S->line - 1, chars + 1,
                        sb_str(&m), (int)(e - last), last, sb_str(&pad));
                sb_free(&pad);
                sb_free(&m);
                skipping = 1;
            } else {
                long shown = line <= 1 ? S->line : line - 2 + S->line;
                fprintf(stderr, "%s:%ld:%d:%.*s\n", S->src_name, shown, col, (int)mlen, msg);
            }
        } else if (!skipping || strncmp(p, "  ", 2)) {
            skipping = 0;
            fprintf(stderr, "%.*s\n", (int)n, p);
        }
        p = eol ? eol + 1 : NULL;
    }
    free(f->held);
    f->held = NULL;
}

static void frag_free(Frag *f)
{
    if (f->hold) {
        diag_set_stream(NULL);
        fclose(f->hold);
    }
    if (f->prog) program_free(f->prog);
    free(f->held);
}

/* 1 when the fragment is the one policy of the header and nothing else. */
static int only_header(const Frag *f)
{
    const Program *g = f->prog;
    const Policy *p = f->pol;
    return p && g->qsets.n == 0 && g->calendars.n == 0 && g->uses.n == 0 && g->columns.n == 0 &&
           g->tests.n == 0 && g->fixtures.n == 0 && p->scheds.n == 0 && p->assigns.n == 0 && !p->asks &&
           !p->channels && p->nwindows == 0 && p->coverage < 0 && !p->calendar && p->prios.n == 1 &&
           ((PrioRule *)p->prios.v[0])->when;
}

/* ---- values ---- */

void repl_read_slots(sqlite3_stmt *st, const Plan *pl, Value *vals, char **texts)
{
    for (int i = 0; i < pl->nslots; i++) {
        int col = PC_FIXED + i;
        Value *v = &vals[i];
        memset(v, 0, sizeof *v);
        free(texts[i]);
        texts[i] = NULL;
        if (sqlite3_column_type(st, col) == SQLITE_NULL) {
            v->t = T_NULL;
            continue;
        }
        Type t = pl->slots[i].type;
        switch (t) {
        case T_INT: v->t = T_INT; v->i = sqlite3_column_int64(st, col); break;
        case T_BOOL: v->t = T_BOOL; v->i = sqlite3_column_int64(st, col) != 0; break;
        case T_DEC: v->t = T_DEC; v->d = sqlite3_column_double(st, col); break;
        case T_DATE: case T_TIME: {
            const char *s = (const char *)sqlite3_column_text(st, col);
            size_t n = (size_t)sqlite3_column_bytes(st, col);
            int64_t x;
            if (t == T_DATE && n == 10 && cal_parse_date(s, n, &x) == 0) {
                v->t = T_DATE;
                v->i = x;
            } else if (cal_parse_time(s, n, &x) == 0) {
                v->t = t;
                v->i = t == T_DATE ? (x >= 0 ? x / 86400 : -((-x + 86399) / 86400)) : x;
            } else {
                v->t = T_NULL; /* not a date: empty, as a run treats it */
            }
            break;
        }
        default:
            texts[i] = xstrdup((const char *)sqlite3_column_text(st, col));
            v->t = T_TEXT;
            v->s = texts[i];
        }
    }
}

void repl_slots_clear(char **texts, int n)
{
    for (int i = 0; i < n; i++) {
        free(texts[i]);
        texts[i] = NULL;
    }
}

const char *repl_show_value(const Value *v, const char *label, char *buf, size_t n)
{
    if (v->t != T_TEXT) return ev_show(v, buf, n);
    const char *col = label ? (strrchr(label, '.') ? strrchr(label, '.') + 1 : label) : "";
    char m[128];
    const char *s = v->s;
    if (!strcmp(col, "mobile") || !strcmp(col, "phone")) {
        mask_phone(v->s, m, sizeof m);
        s = m;
    } else if (!strcmp(col, "id_number")) {
        mask_id(v->s, m, sizeof m);
        s = m;
    }
    char *q = repl_quote(s);
    snprintf(buf, n, "%s", q);
    free(q);
    return buf;
}

int repl_subject_exists(ReplSession *S, const char *table, const char *id)
{
    char *sql = xasprintf("SELECT 1 FROM \"%s\" WHERE id = ? LIMIT 1", table);
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    free(sql);
    return found;
}

int repl_parse_date(ReplSession *S, const char *s, int64_t *day)
{
    if (!strcmp(s, "today")) {
        *day = cal_today();
        return 0;
    }
    int r = cal_parse_date(s, strlen(s), day);
    if (r) {
        repl_error(S, "'%s' is not %s", s, r == -2 ? "a real date" : "a date (YYYY-MM-DD, or today)");
        return -1;
    }
    return 0;
}

/* ---- source text of an expression ---- */

static int before(int l1, int c1, int l2, int c2) { return l1 < l2 || (l1 == l2 && c1 < c2); }

static void span(const Expr *e, Loc *acc, int *have)
{
    if (!e) return;
    if (e->loc.src && e->loc.first_line > 0) {
        if (!*have) {
            *acc = e->loc;
            *have = 1;
        } else {
            if (before(e->loc.first_line, e->loc.first_column, acc->first_line, acc->first_column)) {
                acc->first_line = e->loc.first_line;
                acc->first_column = e->loc.first_column;
            }
            if (before(acc->last_line, acc->last_column, e->loc.last_line, e->loc.last_column)) {
                acc->last_line = e->loc.last_line;
                acc->last_column = e->loc.last_column;
            }
        }
    }
    span(e->a, acc, have);
    span(e->b, acc, have);
    span(e->where, acc, have);
    for (int i = 0; i < e->nitems; i++) span(e->items[i], acc, have);
}

/* Byte offset of (line, col) in src; col counts code points. */
static size_t offset_at(const Source *s, int line, int col)
{
    size_t i = 0;
    for (int ln = 1; ln < line && i < s->len; i++)
        if (s->text[i] == '\n') ln++;
    for (int c = 1; c < col && i < s->len && s->text[i] != '\n'; c++) {
        i++;
        while (i < s->len && ((unsigned char)s->text[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

static size_t skip_blanks(const Source *s, size_t i)
{
    while (i < s->len && (s->text[i] == ' ' || s->text[i] == '\t' || s->text[i] == '\n' || s->text[i] == '\r')) i++;
    return i;
}

/* 1 when the word w starts at byte i of s (and ends there). */
static int word_at(const Source *s, size_t i, const char *w)
{
    size_t n = strlen(w);
    if (i + n > s->len || strncmp(s->text + i, w, n)) return 0;
    char c = i + n < s->len ? s->text[i + n] : ' ';
    return !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

char *repl_expr_text(const Expr *e)
{
    Loc l;
    int have = 0;
    span(e, &l, &have);
    if (!have) return xstrdup("");
    const Source *s = l.src;
    size_t a = offset_at(s, l.first_line, l.first_column);
    size_t b = offset_at(s, l.last_line, l.last_column);
    if (b < s->len) { /* past the last character */
        b++;
        while (b < s->len && ((unsigned char)s->text[b] & 0xC0) == 0x80) b++;
    }
    /* a trailing `is [not] null`: the tree ends at `is` */
    if (b >= a + 2 && !strncmp(s->text + b - 2, "is", 2) && (b == a + 2 || s->text[b - 3] == ' ' || s->text[b - 3] == ')')) {
        size_t i = skip_blanks(s, b);
        if (word_at(s, i, "not")) i = skip_blanks(s, i + 3);
        if (word_at(s, i, "null")) b = i + 4;
    }
    /* brackets opened inside and closed just after */
    int open = 0, in_str = 0;
    for (size_t i = a; i < b; i++) {
        char c = s->text[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = 0;
        } else if (c == '"') in_str = 1;
        else if (c == '(' || c == '[') open++;
        else if (c == ')' || c == ']') open--;
    }
    while (open > 0) {
        size_t i = skip_blanks(s, b);
        if (i < s->len && (s->text[i] == ')' || s->text[i] == ']')) {
            b = i + 1;
            open--;
        } else break;
    }
    if (b < a) b = a;
    /* one line for people: newlines and runs of blanks become one space */
    StrBuf out = {0};
    int blank = 0;
    for (size_t i = a; i < b; i++) {
        char c = s->text[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            blank = 1;
            continue;
        }
        if (blank && out.len) sb_putc(&out, ' ');
        blank = 0;
        sb_putc(&out, c);
    }
    return sb_take(&out);
}

/* ---- evaluation ---- */

static int reads_store(const Expr *e)
{
    if (!e) return 0;
    if (e->kind == E_COL || e->kind == E_COUNT || e->kind == E_EXISTS || e->kind == E_NEXT) return 1;
    if (reads_store(e->a) || reads_store(e->b) || reads_store(e->where)) return 1;
    for (int i = 0; i < e->nitems; i++)
        if (reads_store(e->items[i])) return 1;
    return 0;
}

static const char *subject_word(const char *table)
{
    return !strcmp(table, "cases") ? "case" : !strcmp(table, "customers") ? "customer" : "contact";
}

/* Evaluate e on the subject's row.  Returns 0 and prints, or -1. */
static int eval_on_subject(ReplSession *S, Policy *pol, Expr *e)
{
    Plan *pl = plan_policy(pol, S->schema, S->as_of);
    if (!pl) {
        S->failed = 1;
        return -1;
    }
    sqlite3_stmt *st = plan_prepare(pl, S->db);
    if (!st) {
        plan_free(pl);
        S->failed = 1;
        return -1;
    }
    Value *vals = xcalloc((size_t)pl->nslots + 1, sizeof *vals);
    char **texts = xcalloc((size_t)pl->nslots + 1, sizeof *texts);
    repl_line_busy(S->db);
    int rc = sqlite3_step(st);
    repl_line_busy(NULL);
    int ret = 0;
    if (rc == SQLITE_ROW) {
        repl_read_slots(st, pl, vals, texts);
        EvRow row = {vals, S->as_of, repl_calendar(S)};
        Value v = ev_expr(e, &row);
        char buf[512];
        repl_show_value(&v, e->kind == E_COL ? e->s : NULL, buf, sizeof buf);
        printf("%s (%s)\n", buf, type_name(v.t == T_NULL ? e->type : v.t));
    } else if (rc == SQLITE_DONE) {
        if (!strcmp(S->subj_table, "customers"))
            repl_error(S, "customer %s is not in the store any more", S->subj_id);
        else
            repl_error(S, "%s %s is not in the store any more, or its customer is missing", subject_word(S->subj_table),
                       S->subj_id);
        ret = -1;
    } else {
        if (rc == SQLITE_INTERRUPT || repl_line_interrupted()) repl_error(S, "interrupted");
        else repl_error(S, "the store: %s", sqlite3_errmsg(S->db));
        ret = -1;
    }
    sqlite3_finalize(st);
    repl_slots_clear(texts, pl->nslots);
    free(texts);
    free(vals);
    plan_free(pl);
    return ret;
}

int repl_eval(ReplSession *S, const char *text)
{
    const char *table = S->subj_table ? S->subj_table : "cases";
    char *head;
    if (S->subj_id) {
        char *q = repl_quote(S->subj_id);
        head = xasprintf("policy __repl { applies to %s where id = %s priority 1 when", table, q);
        free(q);
    } else {
        head = xasprintf("policy __repl { applies to %s priority 1 when", table);
    }
    Frag f;
    frag_begin(S, &f, head, text);
    free(head);
    int errs = diag_count(), shape = 1;
    Expr *e = NULL;
    if (!errs) {
        shape = only_header(&f);
        if (shape) {
            e = ((PrioRule *)f.pol->prios.v[0])->when;
            if (f.pol->where) chk_expr(f.pol->where, S->schema, table);
            chk_expr(e, S->schema, table);
            errs = diag_count();
        }
    }
    frag_end(S, &f);
    int ret = -1;
    if (errs) {
        S->failed = 1;
    } else if (!shape) {
        repl_error(S, "expected one expression (a policy or other declaration starts with its keyword: policy ...)");
    } else if (!reads_store(e)) {
        EvRow row = {NULL, S->as_of, repl_calendar(S)};
        Value v = ev_expr(e, &row);
        char buf[512];
        repl_show_value(&v, NULL, buf, sizeof buf);
        printf("%s (%s)\n", buf, type_name(v.t == T_NULL ? e->type : v.t));
        ret = 0;
    } else if (!S->subj_id) {
        repl_error(S, "this expression reads the store: choose whose values to use first, with :with case ID, "
                      ":with customer ID or :with contact ID");
    } else {
        ret = eval_on_subject(S, f.pol, e);
    }
    frag_free(&f);
    return ret;
}

Program *repl_parse_wrapped(ReplSession *S, const char *head, const char *text, int *errs)
{
    Frag f;
    int before = diag_count();
    frag_begin(S, &f, head, text);
    *errs = diag_count() - before;
    frag_end(S, &f);
    Program *p = f.prog;
    f.prog = NULL;
    frag_free(&f);
    return p;
}
