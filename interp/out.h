/* out.h - writers of due-lists: an aligned table for people, CSV (RFC 4180)
 * and JSON Lines for machines.  Mobile numbers are masked unless reveal.
 * CSV for Excel users may start with a byte-order mark (out_bom). */
#ifndef RV_OUT_H
#define RV_OUT_H

#include <stdio.h>
#include "oblig.h"

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON } OutFormat;

/* Parse "table", "csv" or "json"; returns -1 for anything else. */
int out_format(const char *s);
/* Sort obligations for people: overdue, due, upcoming; then priority, due
 * by, policy, customer, id. */
void out_sort(Obligation **v, size_t n);
/* Write the due-list.  The caller keeps ownership of v. */
void out_duelist(FILE *f, OutFormat fmt, Obligation **v, size_t n, int reveal);

/* The same a row at a time, for due-lists too large to hold: out_start,
 * then out_measure every row (the table format needs the widths before the
 * first line; the others ignore it), out_header, then out_row each row in
 * order.  Nothing is allocated; the stream borrows f. */
enum { OUT_NCOL = 16 };
typedef struct {
    FILE *f;          /* where rows go (borrowed) */
    OutFormat fmt;    /* table, CSV or JSON lines */
    int reveal;       /* print mobile numbers unmasked */
    int w[OUT_NCOL];  /* table column widths, in terminal cells */
} OutStream;
void out_start(OutStream *s, FILE *f, OutFormat fmt, int reveal);
void out_measure(OutStream *s, const Obligation *o);
void out_header(OutStream *s);
void out_row(OutStream *s, const Obligation *o);
/* Write one CSV row of n fields (each quoted when needed; NULL is empty)
 * and its CRLF, under one lock of f. */
void out_csv_row(FILE *f, const char *const *cell, int n);
/* Write the UTF-8 byte-order mark (EF BB BF) that makes Excel read a CSV
 * file as UTF-8 (--bom); call it before anything else is written to f.
 * `revisit import` skips it. */
void out_bom(FILE *f);

#endif
