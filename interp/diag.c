/* diag.c - error reports with position, source line and caret (diag.h). */
#include "diag.h"

#include <string.h>

static int nerrors;
static int capped_said;
static FILE *out;

void diag_set_stream(FILE *f) { out = f; }
int diag_count(void) { return nerrors; }
int diag_capped(void) { return nerrors >= DIAG_MAX_ERRORS; }

void diag_reset(void)
{
    nerrors = 0;
    capped_said = 0;
}

/* Print the source line of l and a caret line under its columns. */
static void show_line(FILE *f, const Loc *l)
{
    const Source *s = l->src;
    const char *p = s->text, *end = s->text + s->len;
    for (int line = 1; line < l->first_line && p < end; p++)
        if (*p == '\n') line++;
    const char *eol = p;
    while (eol < end && *eol != '\n') eol++;
    size_t n = (size_t)(eol - p);
    if (n > 0 && p[n - 1] == '\r') n--;
    int shown = (int)n;
    if (shown > 240) shown = 240; /* a 1 MB line is not reprinted whole */
    /* only print lines that are valid text */
    int printable = utf8_valid(p, (size_t)shown);
    for (int i = 0; i < shown && printable; i++)
        if ((unsigned char)p[i] < 0x20 && p[i] != '\t') printable = 0;
    if (!printable) return;
    fprintf(f, "  %.*s%s\n  ", shown, p, shown < (int)n ? " ..." : "");
    /* pad to the column, honouring tabs and wide characters */
    int col = 1;
    const char *q = p;
    while (col < l->first_column && q < p + shown) {
        int len = 1;
        unsigned char c = (unsigned char)*q;
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        if (c == '\t') fputc('\t', f);
        else fprintf(f, "%*s", utf8_width(q, (size_t)len), "");
        q += len;
        col++;
    }
    if (col < l->first_column) return (void)fputc('\n', f);
    fputc('^', f);
    if (l->last_line == l->first_line) {
        int w = 0;
        const char *r = q;
        for (int c2 = col; c2 < l->last_column && r < p + shown; c2++) {
            int len = 1;
            unsigned char c = (unsigned char)*r;
            if (c >= 0xF0) len = 4;
            else if (c >= 0xE0) len = 3;
            else if (c >= 0xC0) len = 2;
            if (c2 > col) w += utf8_width(r, (size_t)len);
            r += len;
        }
        if (r < p + shown || 1) {
            /* the first character's own width beyond one column */
            for (int i = 0; i < w && i < 200; i++) fputc('~', f);
        }
    }
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
