/* diag.c - error reports with position, source line and caret (diag.h). */
#include "diag.h"

#include <string.h>

static int nerrors;
static int capped_said;
static FILE *out;

void diag_set_stream(FILE *f) { out = f; }
int diag_count(void) { return nerrors; }
int diag_capped(void) { return nerrors >= DIAG_MAX_ERRORS; }

void diag_summary(const char *tail)
{
    FILE *f = out ? out : stderr;
    if (nerrors > DIAG_MAX_ERRORS)
        fprintf(f, "revisit: %d errors, the first %d shown%s%s\n", nerrors, DIAG_MAX_ERRORS, tail ? "; " : "",
                tail ? tail : "");
    else
        fprintf(f, "revisit: %d error%s%s%s\n", nerrors, nerrors == 1 ? "" : "s", tail ? "; " : "", tail ? tail : "");
}

void diag_reset(void)
{
    nerrors = 0;
    capped_said = 0;
}

static int u8len(unsigned char c) { return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1; }

/* Print the source line of l and a caret line under its columns: `^` under
 * the first character, `~` under the rest of the construct (inclusive of its
 * last column).  A long line is shown as a window around the column. */
static void show_line(FILE *f, const Loc *l)
{
    enum { BEFORE = 60, WIDTH = 200 };
    const Source *s = l->src;
    const char *p = s->text, *end = s->text + s->len;
    for (int line = 1; line < l->first_line && p < end; p++)
        if (*p == '\n') line++;
    const char *eol = p;
    while (eol < end && *eol != '\n') eol++;
    if (eol > p && eol[-1] == '\r') eol--;
    /* the window: from BEFORE characters ahead of the column, WIDTH long */
    int col = 1;
    const char *w0 = p;
    int skip = l->first_column > BEFORE ? l->first_column - BEFORE : 0;
    while (col <= skip && w0 < eol) {
        w0 += u8len((unsigned char)*w0);
        col++;
    }
    if (w0 > eol) w0 = eol; /* a truncated sequence at the end of the line */
    const char *w1 = w0;
    for (int k = 0; k < WIDTH && w1 < eol; k++) w1 += u8len((unsigned char)*w1);
    if (w1 > eol) w1 = eol;
    size_t n = (size_t)(w1 - w0);
    if (!utf8_valid(w0, n)) return;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w0[i] < 0x20 && w0[i] != '\t') return;
    const char *lead = w0 > p ? "... " : "";
    fprintf(f, "  %s%.*s%s\n  %s", lead, (int)n, w0, w1 < eol ? " ..." : "", *lead ? "    " : "");
    const char *q = w0;
    while (col < l->first_column && q < w1) {
        int len = u8len((unsigned char)*q);
        if (len > w1 - q) len = (int)(w1 - q);
        if (*q == '\t') fputc('\t', f);
        else fprintf(f, "%*s", utf8_width(q, (size_t)len), "");
        q += len;
        col++;
    }
    if (col < l->first_column) return (void)fputc('\n', f);
    fputc('^', f);
    int last = l->last_line == l->first_line ? l->last_column : col;
    int w = 0;
    for (int c2 = col; c2 <= last && q < w1; c2++) {
        int len = u8len((unsigned char)*q);
        if (len > w1 - q) len = (int)(w1 - q);
        w += *q == '\t' ? 1 : utf8_width(q, (size_t)len);
        q += len;
    }
    for (int i = 1; i < w && i < WIDTH; i++) fputc('~', f);
    fputc('\n', f);
}

static void report(const char *kind, int count, const Loc *l, const char *fmt, va_list ap)
{
    FILE *f = out ? out : stderr;
    if (count) {
        if (nerrors >= DIAG_MAX_ERRORS) {
            if (!capped_said) {
                fprintf(f, "revisit: too many errors (%d); stopping\n", DIAG_MAX_ERRORS);
                capped_said = 1;
            }
            nerrors++;
            return;
        }
        nerrors++;
    }
    if (l && l->src)
        fprintf(f, "%s:%d:%d: %s: ", l->src->path, l->first_line, l->first_column, kind);
    else
        fprintf(f, "revisit: %s: ", kind);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    if (l && l->src && l->first_line > 0) show_line(f, l);
}

void diag_error(const Loc *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("error", 1, l, fmt, ap);
    va_end(ap);
}

void diag_warning(const Loc *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("warning", 0, l, fmt, ap);
    va_end(ap);
}

void diag_note(const Loc *l, const char *fmt, ...)
{
    if (nerrors > DIAG_MAX_ERRORS) return;
    va_list ap;
    va_start(ap, fmt);
    report("note", 0, l, fmt, ap);
    va_end(ap);
}

/* Byte offset of (line, col) in src; col counts code points. */
static size_t offset_of(const Source *s, int line, int col)
{
    size_t i = 0;
    for (int ln = 1; ln < line && i < s->len; i++)
        if (s->text[i] == '\n') ln++;
    for (int c = 1; c < col && i < s->len; i++) {
        unsigned char ch = (unsigned char)s->text[i];
        if ((ch & 0xC0) == 0x80) continue;
        if (ch == '\n') break;
        c++;
    }
    /* skip the continuation bytes that still belong to the previous char */
    while (i < s->len && ((unsigned char)s->text[i] & 0xC0) == 0x80) i++;
    return i;
}

char *diag_loc_text(const Loc *l)
{
    if (!l || !l->src) return xstrdup("");
    size_t a = offset_of(l->src, l->first_line, l->first_column);
    size_t b = offset_of(l->src, l->last_line, l->last_column);
    if (b < l->src->len) { /* include the whole last character */
        b++;
        while (b < l->src->len && ((unsigned char)l->src->text[b] & 0xC0) == 0x80) b++;
    }
    if (b < a) b = a;
    return xstrndup(l->src->text + a, b - a);
}

char *diag_loc_lines(const Loc *l)
{
    if (!l || !l->src) return xstrdup("");
    size_t a = offset_of(l->src, l->first_line, 1);
    size_t b = offset_of(l->src, l->last_line + 1, 1);
    if (b < a) b = a;
    return xstrndup(l->src->text + a, b - a);
}
