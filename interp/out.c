/* out.c - due-list writers (see out.h). */
#include "out.h"

#include <stdlib.h>
#include <string.h>

int out_format(const char *s)
{
    if (!strcmp(s, "table")) return FMT_TABLE;
    if (!strcmp(s, "csv")) return FMT_CSV;
    if (!strcmp(s, "json")) return FMT_JSON;
    return -1;
}

static int cmp_obl(const void *a, const void *b)
{
    const Obligation *x = *(Obligation *const *)a, *y = *(Obligation *const *)b;
    if (x->status != y->status) return y->status - x->status;
    if (x->priority != y->priority) return x->priority - y->priority;
    int c = strcmp(x->due_by, y->due_by);
    if (c) return c;
    if ((c = strcmp(x->pol ? x->pol->id : "", y->pol ? y->pol->id : ""))) return c;
    if ((c = strcmp(x->customer_id, y->customer_id))) return c;
    return strcmp(x->id, y->id);
}

void out_sort(Obligation **v, size_t n)
{
    if (n > 1) qsort(v, n, sizeof *v, cmp_obl);
}

/* s as one CSV field, written while the caller holds f's lock
 * (flockfile): whole runs of text at a time, not a locked call per byte */
static void csv_field_locked(FILE *f, const char *s)
{
    size_t n = strcspn(s, ",\"\r\n");
    if (!s[n]) {
        fwrite(s, 1, n, f);
        return;
    }
    putc_unlocked('"', f);
    for (;;) {
        n = strcspn(s, "\"");
        fwrite(s, 1, n, f);
        if (!s[n]) break;
        fwrite("\"\"", 1, 2, f);
        s += n + 1;
    }
    putc_unlocked('"', f);
}

void out_csv_row(FILE *f, const char *const *cell, int n)
{
    flockfile(f); /* once per row: a due-list can have millions */
    for (int c = 0; c < n; c++) {
        if (c) putc_unlocked(',', f);
        if (cell[c]) csv_field_locked(f, cell[c]);
    }
    fwrite("\r\n", 1, 2, f);
    funlockfile(f);
}

void out_bom(FILE *f)
{
    fputs("\xEF\xBB\xBF", f);
}

enum { NCOL = OUT_NCOL };
static const char *const headers[NCOL] = {"id", "policy", "version", "customer", "name", "mobile", "case",
                                          "due_from", "due_by", "channels", "assignees", "staff", "priority",
                                          "status", "questions", "window"};
static const char *const titles[NCOL] = {"ID", "POLICY", "V", "CUSTOMER", "NAME", "MOBILE", "CASE",
                                         "DUE FROM", "DUE BY", "CHANNELS", "ASSIGNEES", "STAFF", "PRI",
                                         "STATUS", "QUESTIONS", "WINDOW"};

/* The cells of a row, as strings in buf (static per call). */
static void cells(const Obligation *o, int reveal, const char *cell[NCOL], char ver[16], char pri[16], char mob[64])
{
    snprintf(ver, 16, "%d", o->version);
    snprintf(pri, 16, "%d", o->priority);
    if (!o->mobile) snprintf(mob, 64, "%s", "");
    else if (reveal) snprintf(mob, 64, "%s", o->mobile);
    else mask_phone(o->mobile, mob, 64);
    cell[0] = o->id;
    cell[1] = o->pol ? o->pol->id : "";
    cell[2] = ver;
    cell[3] = o->customer_id;
    cell[4] = o->customer_name;
    cell[5] = mob;
    cell[6] = o->case_id ? o->case_id : "";
    cell[7] = o->due_from;
    cell[8] = o->due_by;
    cell[9] = o->channels;
    cell[10] = o->assignees;
    cell[11] = o->staff ? o->staff : "";
    cell[12] = pri;
    cell[13] = ob_status_name(o->status);
    cell[14] = o->questions ? o->questions : "";
    cell[15] = o->window;
}

static void json_list(FILE *f, const char *s, char sep)
{
    fputc('[', f);
    int first = 1;
    while (s && *s) {
        const char *e = strchr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char *item = xstrndup(s, n);
        StrBuf b = {0};
        sb_json_str(&b, item);
        fprintf(f, "%s%s", first ? "" : ",", sb_str(&b));
        sb_free(&b);
        free(item);
        first = 0;
        s = e ? e + 1 : NULL;
    }
    fputc(']', f);
}

void out_start(OutStream *s, FILE *f, OutFormat fmt, int reveal)
{
    s->f = f;
    s->fmt = fmt;
    s->reveal = reveal;
    for (int c = 0; c < NCOL; c++) s->w[c] = utf8_width(titles[c], strlen(titles[c]));
}

void out_measure(OutStream *s, const Obligation *o)
{
    if (s->fmt != FMT_TABLE) return;
    const char *cell[NCOL];
    char ver[16], pri[16], mob[64];
    cells(o, s->reveal, cell, ver, pri, mob);
    for (int c = 0; c < NCOL; c++) {
        int x = utf8_width(cell[c], strlen(cell[c]));
        if (x > s->w[c]) s->w[c] = x;
    }
}

void out_header(OutStream *s)
{
    FILE *f = s->f;
    if (s->fmt == FMT_CSV) {
        for (int c = 0; c < NCOL; c++) fprintf(f, "%s%s", c ? "," : "", headers[c]);
        fputs("\r\n", f);
    } else if (s->fmt == FMT_TABLE) {
        for (int c = 0; c < NCOL; c++) {
            int x = utf8_width(titles[c], strlen(titles[c]));
            fprintf(f, "%s%s%*s", c ? "  " : "", titles[c], c == NCOL - 1 ? 0 : s->w[c] - x, "");
        }
        fputc('\n', f);
    }
}

void out_row(OutStream *s, const Obligation *o)
{
    const char *cell[NCOL];
    char ver[16], pri[16], mob[64];
    FILE *f = s->f;
    cells(o, s->reveal, cell, ver, pri, mob);
    if (s->fmt == FMT_CSV) {
        out_csv_row(f, cell, NCOL);
        return;
    }
    if (s->fmt == FMT_JSON) {
        StrBuf b = {0};
        sb_putc(&b, '{');
        for (int c = 0; c < NCOL; c++) {
            if (c) sb_putc(&b, ',');
            sb_json_str(&b, headers[c]);
            sb_putc(&b, ':');
            if (c == 2 || c == 12) sb_puts(&b, cell[c]);
            else if ((c == 5 || c == 6 || c == 15) && !*cell[c]) sb_puts(&b, "null");
            else if (c == 9 || c == 10 || c == 11) {
                fputs(sb_str(&b), f);
                sb_free(&b);
                json_list(f, cell[c], c == 9 ? ',' : '+');
            } else sb_json_str(&b, cell[c]);
        }
        sb_putc(&b, '}');
        fputs(sb_str(&b), f);
        fputc('\n', f);
        sb_free(&b);
        return;
    }
    for (int c = 0; c < NCOL; c++) {
        const char *t = *cell[c] ? cell[c] : "-";
        int x = utf8_width(t, strlen(t));
        fprintf(f, "%s%s%*s", c ? "  " : "", t, c == NCOL - 1 ? 0 : s->w[c] - x, "");
    }
    fputc('\n', f);
}

void out_duelist(FILE *f, OutFormat fmt, Obligation **v, size_t n, int reveal)
{
    OutStream s;
    out_start(&s, f, fmt, reveal);
    for (size_t i = 0; i < n; i++) out_measure(&s, v[i]);
    out_header(&s);
    for (size_t i = 0; i < n; i++) out_row(&s, v[i]);
}
