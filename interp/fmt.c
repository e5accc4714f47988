/* fmt.c - `revisit fmt`: policy files in one canonical layout, like gofmt.
 *
 * A file is parsed (load_text) and printed again from its syntax tree:
 * declarations in source order, a blank line around every block, two-space
 * indents, one clause per line, policy clauses in one fixed order, every
 * expression in canon_expr's spelling (minimal parentheses, "1 day",
 * "20%"), names bare when they are identifiers.  Lines wider than
 * FMT_WIDTH display columns are wrapped between parts of a clause (before
 * `and`/`or` of a condition, before `when`, `then`, `fallback`, a
 * schedule's anchor, between the fields of a row), continuation lines
 * indented two more; a part too wide even then is broken inside the filter
 * of count(), exists() or next() or inside a list, under the bracket.
 * Question texts of a set are aligned.  Blank lines inside blocks are kept
 * (runs become one); every block has a blank line before it.
 *
 * Comments are not in the tree.  A small scanner finds them (a `#` outside
 * a string, to the end of the line) together with the tokens, and each one
 * is tied to a construct of its block: a comment on its own line to the
 * construct that follows it, a comment after code to the construct whose
 * last token it follows (a comment inside a construct that spans lines goes
 * before it), anything else to the end of the block.  Constructs are found
 * on the token stream (a clause starts with its keyword, a question with
 * `ID "text"`, a row with `kind name`) and matched in order with the tree's
 * lists, so a comment moves with its clause when clauses are reordered.
 *
 * Nothing is written unless it is safe: the formatted text is parsed again
 * and must have the same meaning (canon_policy, canon_qset and a dump of
 * calendars, fixtures and tests) and the same comments, else fmt reports
 * an internal error and leaves the file alone. */
#include "fmt.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cal.h"
#include "canon.h"
#include "diag.h"
#include "load.h"

#define FMT_WIDTH 120 /* wrap lines wider than this many display columns */
#define ALIGN_MAX 60  /* question texts wider than this do not set the options' column */
#define F CANON_SHORT_TIME

/* ---- tokens and comments ---- */

enum { K_WORD, K_STR, K_NUM, K_PUNCT };

typedef struct {
    int kind;      /* K_* */
    const char *s; /* its text in the source */
    size_t n;      /* bytes */
    int line;      /* where it starts */
    int end_line;  /* where it ends (strings may span lines) */
    int depth;     /* brackets ( [ { open around it; a bracket counts as outside itself */
    int blank;     /* a blank line between it and the token or comment before */
} Tok;

typedef struct {
    const char *s; /* from '#' to the end of the line, trailing blanks cut */
    size_t n;      /* bytes */
    int next;      /* index of the first token after it (ntoks: none) */
    int trailing;  /* a token ends on its line before it */
    int blank;     /* a blank line between it and what precedes it */
    int in_body;   /* inside the braces of a declaration */
    int done;      /* tied to a construct */
} Com;

/* Where a comment is printed: before a construct, or after its last line. */
typedef struct {
    PtrVec lead;  /* Com* on lines of their own before it */
    PtrVec trail; /* Com* at the end of its last line (one; more go before it) */
    int blank;    /* the source has a blank line before it */
    int set;      /* blank was taken from its first piece of source */
} Slot;

/* A construct found on the token stream: its first token and its slot. */
typedef struct {
    int start; /* token index */
    Slot *slot;
} Seg;

typedef struct {
    Seg *v;     /* in token order */
    int n, cap; /* used, allocated */
} Segs;

/* The state of formatting one file. */
typedef struct {
    Tok *t;        /* tokens */
    int nt;        /* how many */
    size_t capt;   /* allocated */
    Com *c;        /* comments, in source order */
    int nc;        /* how many */
    size_t capc;   /* allocated */
    PtrVec slots;  /* every Slot made (freed at the end) */
    StrBuf *out;   /* the formatted text */
    int fresh;     /* nothing printed in the current block yet: no blank line */
} Fmt;

static const char *const keywords[] = {
    "policy", "version", "effective", "applies", "to", "where", "due", "within", "between", "and", "or", "not",
    "after", "before", "at", "every", "from", "until", "immediately", "coverage", "least", "per", "seed",
    "channels", "contact", "on", "assign", "when", "fallback", "priority", "ask", "questions", "ordered",
    "mandatory", "optional", "affirmative", "use", "calendar", "extends", "weekend", "holiday", "workday",
    "covers", "is", "null", "in", "count", "exists", "next", "column", "fixture", "test", "uses", "given",
    "expect", "as", "of", "horizon", "for", "via", "status", "no", "verdict", "escalate", "then", "once",
    "same", "attempts", "different", "deny", "by", "problem", "dissatisfied", "below", "today", "true",
    "false", "this", "customer", "working", "hour", "hours", "day", "days", "week", "weeks", "month",
    "months", "quarter", "quarters", "year", "years", NULL};

static int is_keyword(const char *s, size_t n)
{
    for (const char *const *k = keywords; *k; k++)
        if (strlen(*k) == n && !memcmp(*k, s, n)) return 1;
    return 0;
}

static int is(const Tok *t, const char *w) { return t->n == strlen(w) && !memcmp(t->s, w, t->n); }

static int digits(const char *s, size_t n, size_t at, size_t k)
{
    if (at + k > n) return 0;
    for (size_t i = at; i < at + k; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return 1;
}

/* Length of the number-like literal at s[0] (a digit), as the scanner of
 * the language reads it: date and time, date, time of day, percentage,
 * decimal, integer. */
static size_t num_len(const char *s, size_t n)
{
    if (digits(s, n, 0, 4) && n > 4 && s[4] == '-' && digits(s, n, 5, 2) && n > 7 && s[7] == '-' &&
        digits(s, n, 8, 2)) {
        if (n > 10 && s[10] == 'T' && digits(s, n, 11, 2) && n > 13 && s[13] == ':' && digits(s, n, 14, 2)) {
            if (n > 16 && s[16] == ':' && digits(s, n, 17, 2)) return 19;
            return 16;
        }
        return 10;
    }
    if (digits(s, n, 0, 2) && n > 2 && s[2] == ':' && digits(s, n, 3, 2)) return 5;
    size_t k = 0;
    while (k < n && isdigit((unsigned char)s[k])) k++;
    if (k + 1 < n && s[k] == '.' && isdigit((unsigned char)s[k + 1])) {
        k++;
        while (k < n && isdigit((unsigned char)s[k])) k++;
    }
    if (k < n && s[k] == '%') k++;
    return k;
}

static int word_byte(unsigned char c) { return isalnum(c) || c == '_' || c >= 0x80; }

/* Split the source into tokens and comments. */
static void scan(Fmt *f, const char *s, size_t len)
{
    int line = 1, last = 0, depth = 0; /* last: line where the previous token or comment ended */
    size_t i = 0;
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n') {
            line++;
            i++;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
            i++;
            continue;
        }
        int blank = last && line - last >= 2;
        if (ch == '#') {
            size_t j = i;
            while (j < len && s[j] != '\n') j++;
            size_t e = j;
            while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\f' ||
                             s[e - 1] == '\v'))
                e--;
            if ((size_t)f->nc == f->capc) {
                f->capc = f->capc ? f->capc * 2 : 64;
                f->c = xrealloc(f->c, f->capc * sizeof *f->c);
            }
            Com *c = &f->c[f->nc++];
            memset(c, 0, sizeof *c);
            c->s = s + i;
            c->n = e - i;
            c->next = f->nt;
            c->trailing = f->nt > 0 && f->t[f->nt - 1].end_line == line;
            c->blank = !c->trailing && blank;
            last = line;
            i = j;
            continue;
        }
        Tok t = {0};
        t.line = line;
        t.blank = blank;
        t.depth = depth;
        t.s = s + i;
        size_t j = i + 1;
        if (ch == '"') {
            t.kind = K_STR;
            while (j < len && s[j] != '"') {
                if (s[j] == '\\' && j + 1 < len) {
                    if (s[j + 1] == '\n') line++;
                    j += 2;
                    continue;
                }
                if (s[j] == '\n') line++;
                j++;
            }
            if (j < len) j++;
        } else if (isdigit(ch)) {
            t.kind = K_NUM;
            j = i + num_len(s + i, len - i);
            while (j < len && word_byte((unsigned char)s[j])) j++; /* malformed: does not parse anyway */
        } else if (word_byte(ch)) {
            t.kind = K_WORD;
            while (j < len && word_byte((unsigned char)s[j])) j++;
        } else {
            t.kind = K_PUNCT;
            static const char *const two[] = {"..", "<=", ">=", "!=", "<>", "==", NULL};
            for (const char *const *p = two; *p; p++)
                if (i + 1 < len && s[i] == (*p)[0] && s[i + 1] == (*p)[1]) j = i + 2;
            if (ch == '(' || ch == '[' || ch == '{') depth++;
            else if ((ch == ')' || ch == ']' || ch == '}') && depth > 0) t.depth = --depth;
        }
        t.n = j - i;
        t.end_line = line;
        if ((size_t)f->nt == f->capt) {
            f->capt = f->capt ? f->capt * 2 : 256;
            f->t = xrealloc(f->t, f->capt * sizeof *f->t);
        }
        f->t[f->nt++] = t;
        last = line;
        i = j;
    }
}

/* The string literal of token t, decoded (heap). */
static char *str_value(const Tok *t)
{
    StrBuf b = {0};
    for (size_t i = 1; i + 1 < t->n; i++) {
        char c = t->s[i];
        if (c == '\\' && i + 2 < t->n) {
            c = t->s[++i];
            sb_putc(&b, c == 'n' ? '\n' : c == 't' ? '\t' : c);
        } else {
            sb_putc(&b, c);
        }
    }
    return sb_take(&b);
}

/* The token closing the bracket opened at i (or the last token). */
static int closing(const Fmt *f, int i)
{
    for (int j = i + 1; j < f->nt; j++)
        if (f->t[j].depth == f->t[i].depth && f->t[j].kind == K_PUNCT &&
            (is(&f->t[j], ")") || is(&f->t[j], "]") || is(&f->t[j], "}")))
            return j;
    return f->nt - 1;
}

/* ---- tying comments to constructs ---- */

static Slot *slot_new(Fmt *f)
{
    Slot *s = xcalloc(1, sizeof *s);
    pv_push(&f->slots, s);
    return s;
}

static void seg_add(Fmt *f, Segs *g, int start, Slot *s)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->v = xrealloc(g->v, (size_t)g->cap * sizeof *g->v);
    }
    g->v[g->n].start = start;
    g->v[g->n].slot = s;
    g->n++;
    if (!s->set) {
        s->set = 1;
        s->blank = f->t[start].blank;
    }
}

/* The construct holding token i: the last one starting at or before it
 * (-1: none). */
static int seg_of(const Segs *g, int i)
{
    int lo = 0, hi = g->n; /* the first start > i is in [lo, hi] */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (g->v[mid].start <= i) lo = mid + 1;
        else hi = mid;
    }
    return lo - 1;
}

/* The first comment whose next token comes after token ob. */
static int com_after(const Fmt *f, int ob)
{
    int lo = 0, hi = f->nc;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (f->c[mid].next <= ob) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Tie the comments between the bracket tokens ob and cb (ob = -1, cb =
 * ntoks: the file) to the block's constructs g, its header line head and
 * its end close.  At the file level (body = 0) the comments inside
 * declarations are left for their blocks. */
static void tie(Fmt *f, int ob, int cb, const Segs *g, Slot *head, Slot *close, int body)
{
    for (int i = com_after(f, ob); i < f->nc && f->c[i].next <= cb; i++) {
        Com *c = &f->c[i];
        if (c->done || c->in_body != body) continue;
        c->done = 1;
        int prev = c->next - 1;
        Slot *to = close;
        int trail = 0;
        if (c->trailing && prev == ob && head) {
            to = head;
            trail = 1;
        } else if (c->trailing) {
            int k = seg_of(g, prev);
            if (k >= 0) {
                to = g->v[k].slot;
                trail = prev == (k + 1 < g->n ? g->v[k + 1].start : cb) - 1;
            } else if (g->n) {
                to = g->v[0].slot;
            }
        } else if (c->next < cb && g->n) {
            int k = seg_of(g, c->next);
            to = g->v[k < 0 ? 0 : k].slot;
        }
        pv_push(trail ? &to->trail : &to->lead, c);
    }
}

/* ---- printing ---- */

static void spaces(StrBuf *b, int n)
{
    while (n-- > 0) sb_putc(b, ' ');
}

static void put_com(Fmt *f, int indent, const Com *c, int blank)
{
    if (blank && !f->fresh) sb_putc(f->out, '\n');
    spaces(f->out, indent);
    sb_putn(f->out, c->s, c->n);
    sb_putc(f->out, '\n');
    f->fresh = 0;
}

/* Every comment of s on lines of their own. */
static void put_all(Fmt *f, int indent, const Slot *s)
{
    for (size_t i = 0; i < s->lead.n; i++) put_com(f, indent, s->lead.v[i], ((Com *)s->lead.v[i])->blank);
    for (size_t i = 0; i < s->trail.n; i++) put_com(f, indent, s->trail.v[i], 0);
}

/* What comes before a construct: its comments, then its blank line.  force:
 * a blank line before the first of them in any case. */
static void put_lead(Fmt *f, int indent, const Slot *s, int force)
{
    int first = 1;
    for (size_t i = 0; i < s->lead.n; i++, first = 0)
        put_com(f, indent, s->lead.v[i], ((Com *)s->lead.v[i])->blank || (first && force));
    if (s->trail.n > 1)
        for (size_t i = 0; i < s->trail.n; i++, first = 0) put_com(f, indent, s->trail.v[i], first && force);
    if ((s->blank || (first && force)) && !f->fresh) sb_putc(f->out, '\n');
}

/* The end of a construct's last line: its trailing comment and newline. */
static void put_end(Fmt *f, const Slot *s)
{
    if (s->trail.n == 1) {
        const Com *c = s->trail.v[0];
        sb_puts(f->out, "  ");
        sb_putn(f->out, c->s, c->n);
    }
    sb_putc(f->out, '\n');
    f->fresh = 0;
}

/* A line being filled with the parts of one construct. */
typedef struct {
    StrBuf *b;  /* where it goes */
    int col;    /* display columns used on the current line */
    int cont;   /* indent of continuation lines */
    int empty;  /* nothing after the indent yet */
} Wrap;

static void w_start(Wrap *w, StrBuf *b, int indent, int cont)
{
    w->b = b;
    spaces(b, indent);
    w->col = indent;
    w->cont = cont;
    w->empty = 1;
}

/* Append part s after a space (or spaces up to column pad) when it fits in
 * FMT_WIDTH or glue is set, else on a continuation line. */
static void w_part(Wrap *w, const char *s, int pad, int glue)
{
    int width = utf8_width(s, strlen(s));
    if (!w->empty) {
        int at = w->col + 1 > pad ? w->col + 1 : pad;
        if (glue || at + width <= FMT_WIDTH) {
            spaces(w->b, at - w->col);
            w->col = at;
        } else {
            sb_putc(w->b, '\n');
            spaces(w->b, w->cont);
            w->col = w->cont;
        }
    }
    sb_puts(w->b, s);
    w->col += width;
    w->empty = 0;
}

/* Part p, then empty p. */
static void w_buf(Wrap *w, StrBuf *p, int pad, int glue)
{
    w_part(w, sb_str(p), pad, glue);
    sb_clear(p);
}

/* A long expression laid out in pieces: text glued to what precedes it, or
 * after a space that may become a line break.  The breaks are before the
 * `and`s of the filter of count(), exists() and next(), and between the
 * items of a list; their continuation lines start under the first
 * character inside the bracket (a mark). */
typedef struct {
    char *text; /* heap */
    int brk;    /* a space, or a line break, before it */
    int mark;   /* the mark set to the column after it, or -1 */
    int level;  /* brk: the mark its continuation line starts at */
} Piece;

typedef struct {
    Piece *v;   /* in order */
    int n, cap; /* used, allocated */
    int nmarks; /* marks handed out */
} Pieces;

static void pc_add(Pieces *ps, const char *text, int brk, int mark, int level)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->v = xrealloc(ps->v, (size_t)ps->cap * sizeof *ps->v);
    }
    Piece *p = &ps->v[ps->n++];
    p->text = xstrdup(text);
    p->brk = brk;
    p->mark = mark;
    p->level = level;
}

/* Add the text of t as a piece and empty t. */
static void pc_buf(Pieces *ps, StrBuf *t, int brk, int mark, int level)
{
    pc_add(ps, sb_str(t), brk, mark, level);
    sb_clear(t);
}

static void pc_free(Pieces *ps)
{
    for (int i = 0; i < ps->n; i++) free(ps->v[i].text);
    free(ps->v);
}

/* The filter of count(), exists() or next(): a chain of `and` breaks. */
static void pc_where(Pieces *ps, StrBuf *t, const Expr *w, int m)
{
    if (w->kind == E_BIN && w->op == OP_AND) {
        pc_where(ps, t, w->a, m);
        pc_buf(ps, t, 0, -1, 0);
        sb_puts(t, "and ");
        canon_expr_sub(t, w->b, 3, F);
        pc_buf(ps, t, 1, -1, m);
        return;
    }
    canon_expr_sub(t, w, 2, F);
}

/* Pieces of e whose text, breaks read as spaces, is canon_expr_sub(e, min). */
static void pc_expr(Pieces *ps, const Expr *e, int min)
{
    StrBuf t = {0};
    int p = canon_prec(e);
    switch (p < min ? E_NULL : e->kind) { /* in parentheses: one piece */
    case E_BIN:
        pc_expr(ps, e->a, p);
        sb_printf(&t, " %s ", canon_opname(e->op));
        pc_buf(ps, &t, 0, -1, 0);
        pc_expr(ps, e->b, p == 4 ? 5 : p + 1);
        break;
    case E_NOT:
        pc_add(ps, "not ", 0, -1, 0);
        pc_expr(ps, e->a, 3);
        break;
    case E_IN:
        pc_expr(ps, e->a, 5);
        pc_add(ps, e->neg ? " not in " : " in ", 0, -1, 0);
        pc_expr(ps, e->b, 8);
        break;
    case E_COUNT: case E_EXISTS: case E_NEXT: {
        int m = ps->nmarks++;
        pc_add(ps, e->kind == E_COUNT ? "count(" : e->kind == E_EXISTS ? "exists(" : "next(", 0, m, 0);
        sb_puts(&t, e->s);
        if (e->where) {
            sb_puts(&t, " where ");
            pc_where(ps, &t, e->where, m);
        }
        if (e->kind == E_NEXT) {
            sb_puts(&t, ", after ");
            canon_expr_f(&t, e->a, F);
        } else {
            if (e->dur.n) {
                sb_puts(&t, ", within ");
                canon_dur(&t, e->dur);
            }
            if (e->same) sb_printf(&t, ", same %s", unit_name((Unit)(e->same - 1), 0));
        }
        sb_putc(&t, ')');
        pc_buf(ps, &t, 0, -1, 0);
        break;
    }
    case E_LIST: {
        int m = ps->nmarks++;
        pc_add(ps, "[", 0, m, 0);
        for (int i = 0; i < e->nitems; i++) {
            if (i) pc_add(ps, ",", 0, -1, 0);
            canon_expr_f(&t, e->items[i], F);
            pc_buf(ps, &t, i > 0, -1, m);
        }
        pc_add(ps, "]", 0, -1, 0);
        break;
    }
    default:
        canon_expr_sub(&t, e, min, F);
        pc_buf(ps, &t, 0, -1, 0);
    }
    sb_free(&t);
}

/* Part "prefix e suffix" (e bound at least as tightly as min): on this
 * line if it fits, else on a continuation line; when it is too wide even
 * there, a continuation line with breaks inside its brackets. */
static void w_deep(Wrap *w, const char *prefix, const Expr *e, int min, const char *suffix, int pad)
{
    Pieces ps = {0};
    pc_add(&ps, prefix, 0, -1, 0);
    pc_expr(&ps, e, min);
    pc_add(&ps, suffix, 0, -1, 0);
    StrBuf plain = {0};
    for (int i = 0; i < ps.n; i++) {
        if (ps.v[i].brk) sb_putc(&plain, ' ');
        sb_puts(&plain, ps.v[i].text);
    }
    int width = utf8_width(sb_str(&plain), plain.len);
    int at = w->col + 1 > pad ? w->col + 1 : pad;
    if (w->empty || at + width <= FMT_WIDTH || w->cont + width <= FMT_WIDTH) {
        w_part(w, sb_str(&plain), pad, 0);
    } else {
        int *marks = xcalloc((size_t)ps.nmarks + 1, sizeof *marks);
        sb_putc(w->b, '\n');
        spaces(w->b, w->cont);
        w->col = w->cont;
        for (int i = 0; i < ps.n; i++) {
            const Piece *p = &ps.v[i];
            int pw = utf8_width(p->text, strlen(p->text));
            if (p->brk) {
                int group = pw; /* with the glued pieces after it */
                for (int j = i + 1; j < ps.n && !ps.v[j].brk; j++) group += utf8_width(ps.v[j].text, strlen(ps.v[j].text));
                if (w->col + 1 + group <= FMT_WIDTH) {
                    sb_putc(w->b, ' ');
                    w->col++;
                } else {
                    sb_putc(w->b, '\n');
                    spaces(w->b, marks[p->level]);
                    w->col = marks[p->level];
                }
            }
            sb_puts(w->b, p->text);
            w->col += pw;
            if (p->mark >= 0) marks[p->mark] = w->col;
        }
        w->empty = 0;
        free(marks);
    }
    sb_free(&plain);
    pc_free(&ps);
}

/* The operands of a chain of op (OP_AND or OP_OR; 0: e alone) as parts,
 * the first after kw. */
static void w_chain(Wrap *w, const char *kw, const Expr *e, int op, int pad)
{
    if (op && e->kind == E_BIN && e->op == op) {
        w_chain(w, kw, e->a, op, pad);
        w_deep(w, op == OP_AND ? "and " : "or ", e->b, op == OP_AND ? 3 : 2, "", 0);
        return;
    }
    char *pre = xasprintf("%s ", kw);
    w_deep(w, pre, e, op == OP_AND ? 2 : op == OP_OR ? 1 : 0, "", pad);
    free(pre);
}

/* "KW cond" as parts: a chain of `and` (or of `or`) at the top of the
 * condition is split before each `and`, so that it can wrap there.  The
 * parts joined by spaces are canon_expr's text. */
static void w_cond(Wrap *w, const char *kw, const Expr *e, int pad)
{
    w_chain(w, kw, e, e->kind == E_BIN && (e->op == OP_AND || e->op == OP_OR) ? e->op : 0, pad);
}

/* "due ...": the schedule, its anchor and its end as parts. */
static void w_sched(Wrap *w, const Sched *s)
{
    StrBuf full = {0}, a = {0}, u = {0};
    canon_sched_f(&full, s, F);
    canon_expr_f(&a, s->anchor, F);
    if (s->until) canon_expr_f(&u, s->until, F);
    size_t tail = a.len + 1 + (s->until ? 7 + u.len : 0);
    if (full.len > tail) {
        full.s[full.len - tail] = 0;
        w_part(w, full.s, 0, 0);
        w_deep(w, "", s->anchor, 0, "", 0);
        if (s->until) w_deep(w, "until ", s->until, 0, "", 0);
    } else {
        w_part(w, sb_str(&full), 0, 0);
    }
    sb_free(&full);
    sb_free(&a);
    sb_free(&u);
}

/* A name (channel, role, question set, row id...): bare when it reads
 * back as an identifier, else a string literal. */
static void put_name(StrBuf *b, const char *s)
{
    size_t n = strlen(s);
    unsigned char c0 = (unsigned char)s[0];
    int ok = n > 0 && n <= 128 && (isalpha(c0) || c0 == '_' || (c0 >= 0xC2 && c0 <= 0xF4)) && utf8_valid(s, n) &&
             !is_keyword(s, n);
    for (size_t i = 0; ok && i < n; i++) ok = word_byte((unsigned char)s[i]);
    if (ok) sb_puts(b, s);
    else canon_str(b, s);
}

static void put_names(StrBuf *b, char **v, const char *sep)
{
    for (char **p = v; p && *p; p++) {
        if (p != v) sb_puts(b, sep);
        put_name(b, *p);
    }
}

static void put_date(StrBuf *b, int64_t day)
{
    char d[11];
    cal_fmt_date(day, d);
    sb_puts(b, d);
}

static void put_pct(StrBuf *b, int64_t bp)
{
    Expr pe = {0};
    pe.kind = E_PCT;
    pe.i = bp;
    canon_expr(b, &pe);
}

/* "{  # comment" at the end of a block's header line, then the comments
 * that belong at the top of the body. */
static void put_open(Fmt *f, const Slot *head)
{
    sb_puts(f->out, " {");
    if (head->trail.n) {
        sb_puts(f->out, "  ");
        sb_putn(f->out, ((Com *)head->trail.v[0])->s, ((Com *)head->trail.v[0])->n);
    }
    sb_putc(f->out, '\n');
    f->fresh = 1;
    for (size_t i = 0; i < head->lead.n; i++) put_com(f, 2, head->lead.v[i], 0);
    for (size_t i = 1; i < head->trail.n; i++) put_com(f, 2, head->trail.v[i], 0);
}

/* The comments at the end of a block and its closing brace (the caller
 * ends the line). */
static void put_close(Fmt *f, const Slot *close)
{
    put_all(f, 2, close);
    sb_putc(f->out, '}');
}

/* ---- policies ---- */

/* Clauses in the order fmt prints them (PI_TOP: version and effective,
 * which go to the header). */
enum {
    PI_APPLIES, PI_DUE, PI_CALENDAR, PI_COVERAGE, PI_CHANNELS, PI_CONTACT, PI_ASSIGN, PI_PRIORITY, PI_ASK,
    PI_ATTEMPTS, PI_DENY, PI_PROBLEM, PI_DISSATISFIED, PI_ESCALATE, PI_TOP, PI_N
};

static int clause_kind(const Tok *t)
{
    static const struct { const char *w; int k; } m[] = {
        {"version", PI_TOP}, {"effective", PI_TOP}, {"applies", PI_APPLIES}, {"due", PI_DUE},
        {"calendar", PI_CALENDAR}, {"coverage", PI_COVERAGE}, {"channels", PI_CHANNELS},
        {"contact", PI_CONTACT}, {"assign", PI_ASSIGN}, {"priority", PI_PRIORITY}, {"ask", PI_ASK},
        {"attempts", PI_ATTEMPTS}, {"deny", PI_DENY}, {"problem", PI_PROBLEM},
        {"dissatisfied", PI_DISSATISFIED}, {"escalate", PI_ESCALATE}};
    if (t->kind != K_WORD) return -1;
    for (size_t i = 0; i < sizeof m / sizeof *m; i++)
        if (is(t, m[i].w)) return m[i].k;
    return -1;
}

/* The clause starting at token i of a policy body, or -1.  attempts, deny,
 * problem and dissatisfied may also be column names inside expressions:
 * they start a clause only when followed by what the clause needs and not
 * preceded by an operator. */
static int clause_at(const Fmt *f, int i, int cb)
{
    const Tok *t = &f->t[i];
    if (t->depth != 1) return -1;
    int k = clause_kind(t);
    if (k == PI_ATTEMPTS || k == PI_DENY || k == PI_PROBLEM || k == PI_DISSATISFIED) {
        if (i + 1 >= cb) return -1;
        const Tok *nx = &f->t[i + 1];
        int ok = k == PI_ATTEMPTS ? nx->kind == K_NUM
               : k == PI_DENY ? nx->kind == K_STR || (nx->kind == K_WORD && !is_keyword(nx->s, nx->n))
               : k == PI_PROBLEM ? is(nx, "within")
               : is(nx, "below");
        static const char *const ops[] = {"=", "!=", "<>", "==", "<", ">", "<=", ">=", "+", "-", "*", "/", "(",
                                          "[", ",", ".", "and", "or", "not", "where", "when", "after", "from",
                                          "until", "in", "on", "per", "is", "by", "then", "to", "fallback", NULL};
        const Tok *pv = &f->t[i - 1];
        for (const char *const *o = ops; *o && ok; o++)
            if (is(pv, *o)) ok = 0;
        if (!ok) return -1;
    }
    return k;
}

/* The slots of one policy's clauses, parallel to its lists. */
typedef struct {
    Slot *one[PI_N];  /* single clauses, and the header (PI_TOP) */
    Slot **many[PI_N]; /* due, assign, priority, deny, escalate: one per element */
    int nmany[PI_N];  /* how many */
    int seen[PI_N];   /* segments met so far of each kind */
} PolSlots;

static void policy_decl(Fmt *f, const Policy *p, int ob, int cb)
{
    PolSlots ps;
    memset(&ps, 0, sizeof ps);
    ps.nmany[PI_DUE] = (int)p->scheds.n;
    ps.nmany[PI_ASSIGN] = (int)p->assigns.n;
    ps.nmany[PI_PRIORITY] = (int)p->prios.n;
    ps.nmany[PI_DENY] = p->ndeny;
    ps.nmany[PI_ESCALATE] = (int)p->escalations.n;
    for (int k = 0; k < PI_N; k++) {
        ps.one[k] = slot_new(f);
        if (ps.nmany[k]) {
            ps.many[k] = xcalloc((size_t)ps.nmany[k], sizeof *ps.many[k]);
            for (int i = 0; i < ps.nmany[k]; i++) ps.many[k][i] = slot_new(f);
        }
    }
    int *named = xcalloc(p->escalations.n + 1, sizeof *named);
    for (size_t i = 0; i < p->escalations.n; i++) named[i] = -1;
    Slot *head = slot_new(f), *close = slot_new(f);
    Segs g = {0};
    for (int i = ob + 1; i < cb; i++) {
        int k = clause_at(f, i, cb);
        if (k < 0) continue;
        int idx = ps.seen[k]++;
        Slot *s = ps.one[k];
        if (k == PI_DUE || k == PI_ASSIGN || k == PI_PRIORITY || k == PI_DENY || k == PI_ESCALATE)
            s = ps.nmany[k] ? ps.many[k][idx < ps.nmany[k] ? idx : ps.nmany[k] - 1] : close;
        if (k == PI_ESCALATE && idx < ps.nmany[k]) named[idx] = i + 1 < cb && !is(&f->t[i + 1], "to");
        seg_add(f, &g, i, s);
    }
    int per_day = 0; /* `per day` written, though it is the default */
    for (int s = 0; s < g.n; s++)
        if (is(&f->t[g.v[s].start], "coverage"))
            for (int i = g.v[s].start; i < (s + 1 < g.n ? g.v[s + 1].start : cb); i++)
                if (f->t[i].depth == 1 && is(&f->t[i], "per")) per_day = 1;
    tie(f, ob, cb, &g, head, close, 1);

    /* header */
    StrBuf *b = f->out;
    sb_printf(b, "policy %s", p->id);
    if (p->title) {
        sb_putc(b, ' ');
        canon_str(b, p->title);
    }
    if (p->version_loc.first_line) sb_printf(b, " version %lld", (long long)p->version);
    if (p->effective != INT64_MIN) {
        sb_puts(b, " effective ");
        put_date(b, p->effective);
    }
    put_open(f, head);
    put_all(f, 2, ps.one[PI_TOP]);

    StrBuf part = {0};
    Wrap w;
    for (int k = 0; k < PI_TOP; k++) {
        int n = ps.nmany[k];
        int single = !(k == PI_DUE || k == PI_ASSIGN || k == PI_PRIORITY || k == PI_DENY || k == PI_ESCALATE);
        if (single) {
            int present = (k == PI_APPLIES && p->table) || (k == PI_CALENDAR && p->calendar) ||
                          (k == PI_COVERAGE && p->coverage >= 0) || (k == PI_CHANNELS && p->channels) ||
                          (k == PI_CONTACT && p->nwindows) || (k == PI_ASK && p->asks) ||
                          (k == PI_ATTEMPTS && p->attempts) || (k == PI_PROBLEM && p->problem_within.n) ||
                          (k == PI_DISSATISFIED && p->dissatisfied_below);
            if (!present) {
                /* comments of a clause that left nothing (cannot happen in a
                 * file that parses): kept all the same */
                put_all(f, 2, ps.one[k]);
                continue;
            }
            n = 1;
        }
        for (int i = 0; i < n; i++) {
            const Slot *s = single ? ps.one[k] : ps.many[k][i];
            put_lead(f, 2, s, 0);
            w_start(&w, b, 2, 4);
            switch (k) {
            case PI_APPLIES:
                sb_printf(&part, "applies to %s", p->table);
                w_buf(&w, &part, 0, 0);
                if (p->where) w_cond(&w, "where", p->where, 0);
                break;
            case PI_DUE:
                w_sched(&w, p->scheds.v[i]);
                break;
            case PI_CALENDAR:
                sb_printf(&part, "calendar %s", p->calendar);
                w_buf(&w, &part, 0, 0);
                break;
            case PI_COVERAGE:
                sb_puts(&part, "coverage ");
                if (p->coverage == 0 && p->at_least) sb_printf(&part, "at least %lld", (long long)p->at_least);
                else {
                    put_pct(&part, p->coverage);
                    if (p->at_least) sb_printf(&part, " at least %lld", (long long)p->at_least);
                }
                if (p->sample_per != U_DAYS || per_day) sb_printf(&part, " per %s", unit_name(p->sample_per, 0));
                if (p->seed) {
                    sb_puts(&part, " seed ");
                    canon_str(&part, p->seed);
                }
                w_buf(&w, &part, 0, 0);
                break;
            case PI_CHANNELS:
                sb_puts(&part, "channels ");
                put_names(&part, p->channels, ", ");
                w_buf(&w, &part, 0, 0);
                break;
            case PI_CONTACT:
                sb_puts(&part, "contact between ");
                for (int j = 0; j < p->nwindows; j++)
                    sb_printf(&part, "%s%02d:%02d-%02d:%02d", j ? ", " : "", p->windows[j].from / 60,
                              p->windows[j].from % 60, p->windows[j].to / 60, p->windows[j].to % 60);
                if (p->windows_workdays) sb_puts(&part, " on working days");
                w_buf(&w, &part, 0, 0);
                break;
            case PI_ASSIGN: {
                const AssignRule *r = p->assigns.v[i];
                for (int gi = 0; gi < r->ngroups; gi++) {
                    sb_puts(&part, gi ? "fallback " : "assign ");
                    put_names(&part, r->groups[gi], " + ");
                    w_buf(&w, &part, 0, 0);
                }
                if (r->when) w_cond(&w, "when", r->when, 0);
                break;
            }
            case PI_PRIORITY: {
                const PrioRule *r = p->prios.v[i];
                sb_puts(&part, "priority ");
                canon_expr_f(&part, r->value, F);
                w_buf(&w, &part, 0, 0);
                if (r->when) w_cond(&w, "when", r->when, 0);
                break;
            }
            case PI_ASK:
                sb_puts(&part, "ask ");
                put_names(&part, p->asks, ", ");
                w_buf(&w, &part, 0, 0);
                break;
            case PI_ATTEMPTS:
                sb_printf(&part, "attempts %lld%s", (long long)p->attempts, p->attempts_days ? " on different days" : "");
                w_buf(&w, &part, 0, 0);
                break;
            case PI_DENY: {
                const char *d = p->deny[i], *colon = strchr(d, ':');
                char *ch = xstrndup(d, colon ? (size_t)(colon - d) : strlen(d));
                sb_puts(&part, "deny ");
                put_name(&part, ch);
                sb_puts(&part, " by ");
                put_name(&part, colon ? colon + 1 : "");
                free(ch);
                w_buf(&w, &part, 0, 0);
                break;
            }
            case PI_PROBLEM:
                sb_puts(&part, "problem within ");
                canon_dur(&part, p->problem_within);
                if (p->problem_assign) {
                    sb_puts(&part, " by ");
                    put_names(&part, p->problem_assign, " + ");
                }
                w_buf(&w, &part, 0, 0);
                break;
            case PI_DISSATISFIED:
                sb_printf(&part, "dissatisfied below %lld", (long long)p->dissatisfied_below);
                w_buf(&w, &part, 0, 0);
                break;
            case PI_ESCALATE: {
                const Escalation *e = p->escalations.v[i];
                int show = named[i];
                if (show < 0) { /* no segment seen: name it unless it is the default */
                    char def[32];
                    snprintf(def, sizeof def, "escalation%d", i + 1);
                    show = strcmp(e->name, def) != 0;
                }
                sb_puts(&part, "escalate ");
                if (show) sb_printf(&part, "%s ", e->name);
                sb_puts(&part, "to ");
                put_names(&part, e->levels[0], " + ");
                w_buf(&w, &part, 0, 0);
                for (int l = 1; l < e->nlevels; l++) {
                    sb_puts(&part, "then ");
                    put_names(&part, e->levels[l], " + ");
                    w_buf(&w, &part, 0, 0);
                }
                if (e->within.n) {
                    sb_puts(&part, "within ");
                    canon_dur(&part, e->within);
                    w_buf(&w, &part, 0, 0);
                }
                if (e->when) {
                    w_cond(&w, "when", e->when, 0);
                    if (e->once_per) {
                        sb_puts(&part, "once per ");
                        for (char **q = e->once_per; *q; q++) sb_printf(&part, "%s%s", q == e->once_per ? "" : ", ", *q);
                        w_buf(&w, &part, 0, 0);
                    }
                } else if (e->on) {
                    if (!strcmp(e->on, "dissatisfied")) sb_puts(&part, "on dissatisfied");
                    else {
                        sb_puts(&part, "on ");
                        put_name(&part, e->on);
                        if (e->question) {
                            sb_putc(&part, ' ');
                            put_name(&part, e->question);
                            sb_puts(&part, " = ");
                            canon_str(&part, e->value ? e->value : "");
                        }
                    }
                    w_buf(&w, &part, 0, 0);
                }
                break;
            }
            }
            put_end(f, s);
        }
    }
    sb_free(&part);
    put_close(f, close);
    for (int k = 0; k < PI_N; k++) free(ps.many[k]);
    free(named);
    free(g.v);
}

/* ---- question sets ---- */

static void qset_decl(Fmt *f, const QSet *q, int ob, int cb)
{
    int n = (int)q->qs.n;
    Slot **qs = xcalloc((size_t)n + 1, sizeof *qs);
    int *said = xcalloc((size_t)n + 1, sizeof *said); /* `mandatory` written */
    for (int i = 0; i < n; i++) qs[i] = slot_new(f);
    Slot *head = slot_new(f), *close = slot_new(f);
    Segs g = {0};
    for (int i = ob + 1; i + 1 < cb; i++) {
        const Tok *t = &f->t[i];
        if (t->depth != 1 || t->kind != K_WORD || is_keyword(t->s, t->n) || f->t[i + 1].kind != K_STR) continue;
        seg_add(f, &g, i, g.n < n ? qs[g.n] : close);
    }
    for (int k = 0; k < g.n && k < n; k++) {
        int end = k + 1 < g.n ? g.v[k + 1].start : cb;
        for (int i = g.v[k].start; i < end; i++)
            if (f->t[i].depth == 1 && is(&f->t[i], "mandatory")) said[k] = 1;
    }
    tie(f, ob, cb, &g, head, close, 1);

    StrBuf *b = f->out;
    sb_printf(b, "questions %s", q->id);
    if (q->title) {
        sb_putc(b, ' ');
        canon_str(b, q->title);
    }
    if (q->ordered) sb_puts(b, " ordered");
    put_open(f, head);

    /* columns: ids padded to the widest, options after the widest text
     * that is not too wide */
    StrBuf part = {0};
    int idw = 0, tw = 0;
    for (int i = 0; i < n; i++) {
        const Question *qq = q->qs.v[i];
        int w = utf8_width(qq->id, strlen(qq->id));
        if (w > idw) idw = w;
        canon_str(&part, qq->text);
        w = utf8_width(part.s, part.len);
        if (w <= ALIGN_MAX && w > tw) tw = w;
        sb_clear(&part);
    }
    int textcol = 2 + idw + 1, optcol = textcol + tw + 1;
    Wrap w;
    for (int i = 0; i < n; i++) {
        const Question *qq = q->qs.v[i];
        put_lead(f, 2, qs[i], 0);
        w_start(&w, b, 2, textcol);
        w_part(&w, qq->id, 0, 0);
        canon_str(&part, qq->text);
        w_buf(&w, &part, textcol, 1);
        if (!qq->mandatory) sb_puts(&part, "optional");
        else if (said[i]) sb_puts(&part, "mandatory");
        if (qq->affirmative) {
            sb_puts(&part, part.len ? " affirmative " : "affirmative ");
            canon_str(&part, qq->affirmative);
        }
        int opts = part.len > 0;
        if (opts) w_buf(&w, &part, optcol, 0);
        if (qq->when) w_cond(&w, "when", qq->when, opts ? 0 : optcol);
        put_end(f, qs[i]);
    }
    sb_free(&part);
    put_close(f, close);
    free(qs);
    free(said);
    free(g.v);
}

/* ---- calendars ---- */

static int cal_item_word(const Tok *t)
{
    return t->depth == 1 && (is(t, "weekend") || is(t, "covers") || is(t, "holiday") || is(t, "workday"));
}

/* Calendars are printed from their tokens: the tree keeps neither the
 * labels nor the ranges of holidays. */
static void calendar_decl(Fmt *f, const Calendar *k, int ob, int cb)
{
    Slot *head = slot_new(f), *close = slot_new(f);
    Segs g = {0};
    for (int i = ob + 1; i < cb; i++)
        if (cal_item_word(&f->t[i])) seg_add(f, &g, i, slot_new(f));
    tie(f, ob, cb, &g, head, close, 1);

    StrBuf *b = f->out;
    sb_printf(b, "calendar %s", k->id);
    if (k->title) {
        sb_putc(b, ' ');
        canon_str(b, k->title);
    }
    if (k->extends) sb_printf(b, " extends %s", k->extends);
    put_open(f, head);
    for (int s = 0; s < g.n; s++) {
        int a = g.v[s].start, e = s + 1 < g.n ? g.v[s + 1].start : cb;
        int weekend = is(&f->t[a], "weekend");
        put_lead(f, 2, g.v[s].slot, 0);
        spaces(b, 2);
        for (int i = a; i < e; i++) {
            const Tok *t = &f->t[i];
            if (i > a && !is(t, ",")) sb_putc(b, ' ');
            if (t->kind == K_STR) {
                char *v = str_value(t);
                if (weekend) put_name(b, v);
                else canon_str(b, v);
                free(v);
            } else {
                sb_putn(b, t->s, t->n);
            }
        }
        put_end(f, g.v[s].slot);
    }
    put_close(f, close);
    free(g.v);
}

/* ---- fixtures and tests ---- */

/* Rows (`kind name [{...}]`, separated by optional commas) from token i
 * on, until a token that cannot start a row or stop; each gets the next
 * slot of rows (*next counts them; past nrows: close).  The first row's
 * construct starts at token first when first >= 0 (the `given` before it).
 * Returns the index after the last row. */
static int row_segs(Fmt *f, Segs *g, int i, int stop, int first, Slot **rows, int nrows, int *next, Slot *close)
{
    int j = i;
    while (j < stop) {
        if (is(&f->t[j], ",")) {
            j++;
            continue;
        }
        const Tok *t = &f->t[j];
        if (t->depth != 1 || t->kind != K_WORD || (is_keyword(t->s, t->n) && !is(t, "customer"))) break;
        seg_add(f, g, first >= 0 ? first : j, *next < nrows ? rows[*next] : close);
        (*next)++;
        first = -1;
        j += 2;
        if (j < stop && is(&f->t[j], "{")) j = closing(f, j) + 1;
    }
    return j;
}

/* One row: `kind name { field = value, ... }`, its fields wrapped under
 * the first.  prefix goes before it, suffix after. */
static void put_row(Fmt *f, const FixRow *r, int indent, const char *prefix, const char *suffix)
{
    StrBuf p = {0};
    Wrap w;
    sb_printf(&p, "%s%s ", prefix, r->table);
    put_name(&p, r->id);
    if (!r->n) {
        sb_puts(&p, suffix);
        w_start(&w, f->out, indent, indent + 2);
        w_buf(&w, &p, 0, 0);
        sb_free(&p);
        return;
    }
    sb_puts(&p, " { ");
    w_start(&w, f->out, indent, indent + utf8_width(p.s, p.len));
    StrBuf end = {0};
    for (int i = 0; i < r->n; i++) {
        sb_printf(&p, "%s = ", r->fields[i]);
        if (i + 1 < r->n) sb_putc(&end, ',');
        else sb_printf(&end, " }%s", suffix);
        w_deep(&w, sb_str(&p), r->values[i], 8, sb_str(&end), 0);
        sb_clear(&p);
        sb_clear(&end);
    }
    sb_free(&end);
    sb_free(&p);
}

static void fixture_decl(Fmt *f, const Fixture *x, int ob, int cb)
{
    int n = (int)x->rows.n, next = 0;
    Slot **rows = xcalloc((size_t)n + 1, sizeof *rows);
    for (int i = 0; i < n; i++) rows[i] = slot_new(f);
    Slot *head = slot_new(f), *close = slot_new(f);
    Segs g = {0};
    row_segs(f, &g, ob + 1, cb, -1, rows, n, &next, close);
    tie(f, ob, cb, &g, head, close, 1);

    sb_printf(f->out, "fixture %s", x->name);
    put_open(f, head);
    for (int i = 0; i < n; i++) {
        put_lead(f, 2, rows[i], 0);
        put_row(f, x->rows.v[i], 2, "", "");
        put_end(f, rows[i]);
    }
    put_close(f, close);
    free(rows);
    free(g.v);
}

static void put_expect(Fmt *f, const Expect *x)
{
    StrBuf p = {0};
    Wrap w;
    w_start(&w, f->out, 2, 4);
    switch (x->kind) {
    case X_VERDICT:
        sb_puts(&p, "expect verdict ");
        put_name(&p, x->policy);
        sb_puts(&p, " for ");
        put_name(&p, x->subject ? x->subject : "");
        sb_putc(&p, ' ');
        put_name(&p, x->verdict ? x->verdict : "");
        w_buf(&w, &p, 0, 0);
        break;
    case X_ESCALATION: case X_NOESCALATION:
        sb_puts(&p, x->kind == X_ESCALATION ? "expect escalate " : "expect no escalate ");
        put_name(&p, x->policy);
        sb_putc(&p, ' ');
        put_name(&p, x->verdict ? x->verdict : "");
        w_buf(&w, &p, 0, 0);
        if (x->subject) {
            sb_puts(&p, "for ");
            put_name(&p, x->subject);
            w_buf(&w, &p, 0, 0);
        }
        break;
    case X_COVERAGE:
        sb_puts(&p, "expect coverage ");
        put_name(&p, x->policy);
        sb_putc(&p, ' ');
        put_pct(&p, x->pct);
        w_buf(&w, &p, 0, 0);
        break;
    case X_DUE: case X_NODUE:
        sb_puts(&p, x->kind == X_DUE ? "expect due " : "expect no due ");
        put_name(&p, x->policy);
        w_buf(&w, &p, 0, 0);
        if (x->subject) {
            sb_puts(&p, "for ");
            put_name(&p, x->subject);
            w_buf(&w, &p, 0, 0);
        }
        if (x->from != INT64_MIN) {
            sb_puts(&p, "from ");
            put_date(&p, x->from);
            w_buf(&w, &p, 0, 0);
        }
        if (x->by != INT64_MIN) {
            sb_puts(&p, "by ");
            put_date(&p, x->by);
            w_buf(&w, &p, 0, 0);
        }
        if (x->via) {
            sb_puts(&p, "via ");
            put_name(&p, x->via);
            w_buf(&w, &p, 0, 0);
        }
        if (x->assign) {
            sb_puts(&p, "assign ");
            put_names(&p, x->assign, " + ");
            w_buf(&w, &p, 0, 0);
        }
        if (x->status) {
            sb_puts(&p, "status ");
            if (!strcmp(x->status, "due")) sb_puts(&p, "due");
            else put_name(&p, x->status);
            w_buf(&w, &p, 0, 0);
        }
        if (x->priority >= 0) {
            sb_printf(&p, "priority %lld", (long long)x->priority);
            w_buf(&w, &p, 0, 0);
        }
        if (x->count >= 0 && x->count != (x->kind == X_NODUE ? 0 : -1)) {
            sb_printf(&p, "count %lld", (long long)x->count);
            w_buf(&w, &p, 0, 0);
        }
        break;
    }
    sb_free(&p);
}

static void test_decl(Fmt *f, const Test *t, int ob, int cb)
{
    int nr = (int)t->rows.n, nx = (int)t->expects.n, next = 0, ex = 0;
    Slot **rows = xcalloc((size_t)nr + 1, sizeof *rows), **exps = xcalloc((size_t)nx + 1, sizeof *exps);
    for (int i = 0; i < nr; i++) rows[i] = slot_new(f);
    for (int i = 0; i < nx; i++) exps[i] = slot_new(f);
    Slot *as_of = slot_new(f), *horizon = slot_new(f), *head = slot_new(f), *close = slot_new(f);
    Segs g = {0};
    for (int i = ob + 1; i < cb; i++) {
        const Tok *k = &f->t[i];
        if (k->depth != 1) continue;
        if (is(k, "given")) i = row_segs(f, &g, i + 1, cb, i, rows, nr, &next, close) - 1;
        else if (is(k, "as")) seg_add(f, &g, i, as_of);
        else if (is(k, "horizon")) seg_add(f, &g, i, horizon);
        else if (is(k, "expect")) seg_add(f, &g, i, ex < nx ? exps[ex++] : close);
    }
    tie(f, ob, cb, &g, head, close, 1);

    StrBuf *b = f->out;
    sb_puts(b, "test ");
    canon_str(b, t->name);
    if (t->uses) sb_printf(b, " uses %s", t->uses);
    put_open(f, head);
    for (int i = 0; i < nr; i++) {
        put_lead(f, i ? 8 : 2, rows[i], 0);
        put_row(f, t->rows.v[i], i ? 8 : 2, i ? "" : "given ", i + 1 < nr ? "," : "");
        put_end(f, rows[i]);
    }
    if (t->as_of != INT64_MIN) {
        put_lead(f, 2, as_of, 0);
        sb_puts(b, "  as of ");
        put_date(b, t->as_of);
        put_end(f, as_of);
    } else {
        put_all(f, 2, as_of);
    }
    if (t->horizon >= 0) {
        put_lead(f, 2, horizon, 0);
        sb_printf(b, "  horizon %lld", (long long)t->horizon);
        put_end(f, horizon);
    } else {
        put_all(f, 2, horizon);
    }
    for (int i = 0; i < nx; i++) {
        put_lead(f, 2, exps[i], 0);
        put_expect(f, t->expects.v[i]);
        put_end(f, exps[i]);
    }
    put_close(f, close);
    free(rows);
    free(exps);
    free(g.v);
}

/* ---- the file ---- */

typedef enum { D_POLICY, D_QSET, D_CAL, D_USE, D_COLUMN, D_FIXTURE, D_TEST } DeclKind;

typedef struct {
    DeclKind kind; /* which declaration */
    int start;     /* its first token */
    int ob, cb;    /* its braces (-1: none) */
    void *node;    /* Policy*, QSet*, Calendar*, Use*, ColumnDecl*, Fixture*, Test* */
    Slot *slot;    /* comments before it and after its last line */
} Decl;

static int decl_kind(const Fmt *f, int i)
{
    static const char *const w[] = {"policy", "questions", "calendar", "use", "column", "fixture", "test"};
    const Tok *t = &f->t[i];
    if (t->depth != 0 || t->kind != K_WORD) return -1;
    if (i > 0 && is(&f->t[i - 1], "use")) return -1;
    for (int k = 0; k < 7; k++)
        if (is(t, w[k])) return k;
    return -1;
}

/* Print the whole file into out.  Returns 0, or -1 when the declarations
 * on the token stream do not match the tree's (an internal error). */
static int layout(Fmt *f, const Program *prog)
{
    static const DeclKind kinds[] = {D_POLICY, D_QSET, D_CAL, D_USE, D_COLUMN, D_FIXTURE, D_TEST};
    const PtrVec *lists[] = {&prog->policies, &prog->qsets, &prog->calendars, &prog->uses, &prog->columns,
                             &prog->fixtures, &prog->tests};
    size_t used[7] = {0};
    Decl *d = xcalloc((size_t)f->nt + 1, sizeof *d);
    int nd = 0;
    for (int i = 0; i < f->nt; i++) {
        int k = decl_kind(f, i);
        if (k < 0) continue;
        if (used[k] >= lists[k]->n) {
            free(d);
            return -1;
        }
        d[nd].kind = kinds[k];
        d[nd].start = i;
        d[nd].ob = d[nd].cb = -1;
        d[nd].node = lists[k]->v[used[k]++];
        d[nd].slot = slot_new(f);
        nd++;
    }
    for (int k = 0; k < 7; k++)
        if (used[k] != lists[k]->n) {
            free(d);
            return -1;
        }
    if (nd && d[0].start != 0) {
        free(d);
        return -1;
    }
    Segs g = {0};
    for (int i = 0; i < nd; i++) {
        int end = i + 1 < nd ? d[i + 1].start : f->nt;
        if (d[i].kind != D_USE && d[i].kind != D_COLUMN) {
            for (int j = d[i].start; j < end && d[i].ob < 0; j++)
                if (is(&f->t[j], "{") && f->t[j].depth == 0) d[i].ob = j;
            if (d[i].ob < 0 || !is(&f->t[end - 1], "}")) {
                free(d);
                free(g.v);
                return -1;
            }
            d[i].cb = end - 1;
            for (int c = com_after(f, d[i].ob); c < f->nc && f->c[c].next <= d[i].cb; c++) f->c[c].in_body = 1;
        }
        seg_add(f, &g, d[i].start, d[i].slot);
    }
    Slot *tail = slot_new(f);
    tie(f, -1, f->nt, &g, NULL, tail, 0);
    free(g.v);

    f->fresh = 1;
    for (int i = 0; i < nd; i++) {
        int block = d[i].kind != D_USE && d[i].kind != D_COLUMN;
        int prev_block = i > 0 && d[i - 1].kind != D_USE && d[i - 1].kind != D_COLUMN;
        put_lead(f, 0, d[i].slot, i > 0 && (block || prev_block));
        switch (d[i].kind) {
        case D_POLICY: policy_decl(f, d[i].node, d[i].ob, d[i].cb); break;
        case D_QSET: qset_decl(f, d[i].node, d[i].ob, d[i].cb); break;
        case D_CAL: calendar_decl(f, d[i].node, d[i].ob, d[i].cb); break;
        case D_FIXTURE: fixture_decl(f, d[i].node, d[i].ob, d[i].cb); break;
        case D_TEST: test_decl(f, d[i].node, d[i].ob, d[i].cb); break;
        case D_USE: {
            const Use *u = d[i].node;
            sb_printf(f->out, "use %s%s%s", u->kind ? u->kind : "", u->kind ? " " : "", u->name);
            break;
        }
        case D_COLUMN: {
            const ColumnDecl *c = d[i].node;
            sb_printf(f->out, "column %s.%s %s", c->table, c->name, c->type);
            break;
        }
        }
        put_end(f, d[i].slot);
    }
    put_all(f, 0, tail);
    free(d);
    return 0;
}

/* ---- the safety net: same meaning, same comments ---- */

static void dump_row(StrBuf *b, const FixRow *r)
{
    sb_printf(b, "row %s %s", r->table, r->id);
    for (int i = 0; i < r->n; i++) {
        sb_printf(b, " %s=", r->fields[i]);
        canon_expr(b, r->values[i]);
    }
    sb_putc(b, '\n');
}

static void dump_days(StrBuf *b, const char *what, const int64_t *v, int n)
{
    sb_puts(b, what);
    for (int i = 0; i < n; i++) sb_printf(b, " %lld", (long long)v[i]);
    sb_putc(b, '\n');
}

/* Everything a program means, in one text. */
static char *meaning(const Program *p)
{
    StrBuf b = {0};
    for (size_t i = 0; i < p->uses.n; i++) {
        const Use *u = p->uses.v[i];
        sb_printf(&b, "use %s %s\n", u->kind ? u->kind : "-", u->name);
    }
    for (size_t i = 0; i < p->columns.n; i++) {
        const ColumnDecl *c = p->columns.v[i];
        sb_printf(&b, "column %s.%s %s\n", c->table, c->name, c->type);
    }
    for (size_t i = 0; i < p->policies.n; i++) canon_policy(&b, p->policies.v[i]);
    for (size_t i = 0; i < p->qsets.n; i++) canon_qset(&b, p->qsets.v[i]);
    for (size_t i = 0; i < p->calendars.n; i++) {
        const Calendar *k = p->calendars.v[i];
        sb_printf(&b, "calendar %s %s %s %d %lld %lld\n", k->id, k->title ? k->title : "-",
                  k->extends ? k->extends : "-", k->weekend_mask, (long long)k->cover_from, (long long)k->cover_to);
        dump_days(&b, "holidays", k->holidays, k->nholidays);
        dump_days(&b, "workdays", k->workdays, k->nworkdays);
    }
    for (size_t i = 0; i < p->fixtures.n; i++) {
        const Fixture *x = p->fixtures.v[i];
        sb_printf(&b, "fixture %s\n", x->name);
        for (size_t j = 0; j < x->rows.n; j++) dump_row(&b, x->rows.v[j]);
    }
    for (size_t i = 0; i < p->tests.n; i++) {
        const Test *t = p->tests.v[i];
        sb_printf(&b, "test %s uses %s as of %lld horizon %lld\n", t->name, t->uses ? t->uses : "-",
                  (long long)t->as_of, (long long)t->horizon);
        for (size_t j = 0; j < t->rows.n; j++) dump_row(&b, t->rows.v[j]);
        for (size_t j = 0; j < t->expects.n; j++) {
            const Expect *x = t->expects.v[j];
            sb_printf(&b, "expect %d %s %s %lld %lld %s %s %lld %lld %s %lld [", (int)x->kind, x->policy,
                      x->subject ? x->subject : "-", (long long)x->by, (long long)x->from, x->via ? x->via : "-",
                      x->status ? x->status : "-", (long long)x->priority, (long long)x->count,
                      x->verdict ? x->verdict : "-", (long long)x->pct);
            for (char **r = x->assign; r && *r; r++) sb_printf(&b, " %s", *r);
            sb_puts(&b, " ]\n");
        }
    }
    return sb_take(&b);
}

static int cmp_com(const void *a, const void *b)
{
    const Com *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* 1 when both texts hold the same comments (in any order). */
static int same_comments(Fmt *a, Fmt *b)
{
    if (a->nc != b->nc) return 0;
    if (!a->nc) return 1;
    qsort(a->c, (size_t)a->nc, sizeof *a->c, cmp_com);
    qsort(b->c, (size_t)b->nc, sizeof *b->c, cmp_com);
    for (int i = 0; i < a->nc; i++)
        if (cmp_com(&a->c[i], &b->c[i])) return 0;
    return 1;
}

static void fmt_free(Fmt *f)
{
    for (size_t i = 0; i < f->slots.n; i++) {
        Slot *s = f->slots.v[i];
        pv_free(&s->lead);
        pv_free(&s->trail);
        free(s);
    }
    pv_free(&f->slots);
    free(f->t);
    free(f->c);
}

/* "3 working hours" parses, but the tree cannot say what was written:
 * reported here as the checker would.  Returns the number of reports. */
static int bad_working(const Fmt *f, const Source *src, const char *text)
{
    int errs = 0;
    for (int i = 0; i + 1 < f->nt; i++) {
        const Tok *w = &f->t[i], *u = &f->t[i + 1];
        if (!is(w, "working") || is(u, "day") || is(u, "days")) continue;
        const char *bol = w->s;
        while (bol > text && bol[-1] != '\n') bol--;
        int col = 1;
        for (const char *q = bol; q < w->s; q++) col += ((unsigned char)*q & 0xC0) != 0x80;
        Loc l = {w->line, col, u->end_line, col + (int)(u->s + u->n - w->s) - 1, src};
        diag_error(&l, "only days can be counted as working days");
        errs++;
    }
    return errs;
}

int fmt_text(const char *name, const char *text, size_t len, StrBuf *out)
{
    Program *prog = load_new();
    if (load_text(prog, name, text, len)) {
        program_free(prog);
        return 1;
    }
    Fmt f;
    memset(&f, 0, sizeof f);
    StrBuf res = {0};
    f.out = &res;
    scan(&f, text, len);
    if (bad_working(&f, prog->sources.v[prog->sources.n - 1], text)) {
        fmt_free(&f);
        program_free(prog);
        return 1;
    }
    int rc = 0;
    const char *why = NULL;
    if (layout(&f, prog)) {
        rc = 2;
        why = "its declarations could not be matched with the source";
    } else {
        /* the formatted text must parse, mean the same and keep every comment */
        char *label = xasprintf("%s (formatted)", name);
        Program *again = load_new();
        if (load_text(again, label, sb_str(&res), res.len)) {
            rc = 2;
            why = "the formatted text does not parse";
        } else {
            char *m1 = meaning(prog), *m2 = meaning(again);
            Fmt g;
            memset(&g, 0, sizeof g);
            scan(&g, sb_str(&res), res.len);
            if (strcmp(m1, m2)) {
                rc = 2;
                why = "the formatted text would mean something else";
            } else if (!same_comments(&f, &g)) {
                rc = 2;
                why = "the formatted text would lose or change a comment";
            }
            fmt_free(&g);
            free(m1);
            free(m2);
        }
        program_free(again);
        free(label);
    }
    if (rc) fprintf(stderr, "revisit: fmt: internal error: %s: %s; left as it is\n", name, why);
    else sb_putn(out, sb_str(&res), res.len);
    sb_free(&res);
    fmt_free(&f);
    program_free(prog);
    return rc;
}

/* ---- files ---- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int ends_rv(const char *s)
{
    size_t n = strlen(s);
    return n > 3 && !strcmp(s + n - 3, ".rv");
}

/* Add the *.rv files below dir (names starting with '.' skipped), in name
 * order.  Returns 0 or -1 after reporting. */
static int walk(const char *dir, PtrVec *files, int depth)
{
    if (depth > 32) return 0;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "revisit: cannot read folder %s: %s\n", dir, strerror(errno));
        return -1;
    }
    PtrVec names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') pv_push(&names, xstrdup(e->d_name));
    closedir(d);
    if (names.n > 1) qsort(names.v, names.n, sizeof *names.v, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < names.n; i++) {
        char *p = xasprintf("%s/%s", dir, (char *)names.v[i]);
        struct stat sb;
        if (!rc && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) rc = walk(p, files, depth + 1);
        else if (!rc && ends_rv(p) && stat(p, &sb) == 0) {
            pv_push(files, p);
            p = NULL;
        }
        free(p);
        free(names.v[i]);
    }
    pv_free(&names);
    return rc;
}

static char *read_stdin(size_t *len)
{
    StrBuf b = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) sb_putn(&b, buf, n);
    *len = b.len;
    if (ferror(stdin)) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

/* Replace path's contents by data: a temporary file beside it, renamed
 * over it (the file's permissions kept).  Returns 0 or -1 after reporting. */
static int write_over(const char *path, const char *data, size_t len)
{
    char real[PATH_MAX];
    const char *target = realpath(path, real) ? real : path;
    struct stat sb;
    int have = stat(target, &sb) == 0;
    char *tmp = xasprintf("%s.fmt-XXXXXX", target);
    int fd = mkstemp(tmp);
    int ok = fd >= 0;
    size_t done = 0;
    while (ok && done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) ok = 0;
        else done += (size_t)w;
    }
    if (ok && have && fchmod(fd, sb.st_mode & 07777)) ok = 0;
    if (fd >= 0 && close(fd)) ok = 0;
    if (ok && rename(tmp, target)) ok = 0;
    if (!ok) {
        fprintf(stderr, "revisit: cannot write %s: %s\n", path, strerror(errno));
        if (fd >= 0) unlink(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}

int fmt_run(char **paths, int n, int write)
{
    if (!n) {
        fprintf(stderr, "revisit: usage: revisit fmt [-w] POLICY...\n");
        return EXIT_USAGE;
    }
    PtrVec files = {0};
    int rc = EXIT_OK;
    for (int i = 0; i < n && !rc; i++) {
        struct stat sb;
        if (!strcmp(paths[i], "-")) {
            if (write) {
                fprintf(stderr, "revisit: fmt -w cannot rewrite standard input\n");
                rc = EXIT_USAGE;
            } else {
                pv_push(&files, xstrdup("-"));
            }
        } else if (stat(paths[i], &sb) != 0) {
            fprintf(stderr, "revisit: cannot read %s: %s\n", paths[i], strerror(errno));
            rc = EXIT_STORE;
        } else if (S_ISDIR(sb.st_mode)) {
            if (walk(paths[i], &files, 0)) rc = EXIT_STORE;
        } else {
            pv_push(&files, xstrdup(paths[i]));
        }
    }
    StrBuf *res = xcalloc(files.n + 1, sizeof *res);
    int *changed = xcalloc(files.n + 1, sizeof *changed);
    int parse_errors = 0;
    for (size_t i = 0; i < files.n && rc != EXIT_USAGE; i++) {
        const char *path = files.v[i];
        int in = !strcmp(path, "-");
        size_t len = 0;
        struct stat sb;
        char *text = NULL;
        if (!in && stat(path, &sb) == 0 && sb.st_size > MAX_SOURCE_BYTES) {
            fprintf(stderr, "revisit: %s: file is %lld bytes; the limit is %d\n", path, (long long)sb.st_size,
                    MAX_SOURCE_BYTES);
            rc = EXIT_FINDINGS;
            continue;
        }
        text = in ? read_stdin(&len) : read_file(path, &len);
        if (!text) {
            fprintf(stderr, "revisit: cannot read %s: %s\n", in ? "standard input" : path, strerror(errno));
            rc = EXIT_STORE;
            continue;
        }
        int r = fmt_text(in ? "<stdin>" : path, text, len, &res[i]);
        if (r == 1) {
            parse_errors = 1;
            if (rc == EXIT_OK) rc = EXIT_FINDINGS;
        } else if (r) {
            rc = EXIT_STORE;
        } else {
            changed[i] = res[i].len != len || memcmp(sb_str(&res[i]), text, len);
        }
        free(text);
    }
    if (parse_errors) diag_summary(NULL);
    for (size_t i = 0; i < files.n && rc == EXIT_OK; i++) {
        if (!write) fwrite(sb_str(&res[i]), 1, res[i].len, stdout);
        else if (changed[i] && write_over(files.v[i], sb_str(&res[i]), res[i].len)) rc = EXIT_STORE;
    }
    if (!write && rc == EXIT_OK && fflush(stdout)) rc = EXIT_STORE;
    for (size_t i = 0; i < files.n; i++) {
        sb_free(&res[i]);
        free(files.v[i]);
    }
    free(res);
    free(changed);
    pv_free(&files);
    return rc;
}

int cmd_fmt(const Opts *o)
{
    return fmt_run(o->args, o->nargs, o->write);
}
