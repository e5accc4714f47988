/* complete.c - what Tab offers: the colon commands and their arguments
 * (policy ids, tables, formats, subject ids read from the store with a
 * LIMITed query), and inside expressions and policies the language's
 * keywords, functions, tables, and the columns of the table in play (the
 * policy's `applies to`, the count()/exists() being written, `customer.`
 * and `this.`, or the subject chosen with :with). */
#include <stdlib.h>
#include <string.h>
#include "../interp/check.h"
#include "session.h"

const char *const repl_command_names[] = {":asof", ":due", ":format", ":help", ":load", ":policies", ":quit",
                                          ":reload", ":schema", ":show", ":test", ":why", ":with", NULL};

static const char *const keywords[] = {
    "policy", "version", "effective", "applies", "to", "where", "due", "within", "between", "and", "or", "not",
    "after", "before", "at", "every", "from", "until", "immediately", "coverage", "least", "per", "seed",
    "channels", "contact", "on", "assign", "when", "fallback", "priority", "ask", "questions", "ordered",
    "mandatory", "optional", "affirmative", "use", "calendar", "extends", "weekend", "holiday", "workday",
    "covers", "is", "null", "in", "count", "exists", "next", "attempts", "different", "deny", "by", "problem",
    "column", "dissatisfied", "below", "today", "this", "customer", "working", "true", "false", "hours",
    "days", "weeks", "months", "quarters", "years", "cases", "customers", "contacts", NULL};

static const char *const functions[] = {"date(", "start_of_week(", "start_of_month(", "start_of_quarter(",
                                        "start_of_half(", "start_of_year(", NULL};

/* Push cand when it extends word and is not there yet. */
static void add(PtrVec *out, const char *word, const char *cand)
{
    if (strncmp(cand, word, strlen(word))) return;
    for (size_t i = 0; i < out->n; i++)
        if (!strcmp(out->v[i], cand)) return;
    pv_push(out, xstrdup(cand));
}

static void add_list(PtrVec *out, const char *word, const char *const *list)
{
    for (; *list; list++) add(out, word, *list);
}

static void add_policies(ReplSession *S, PtrVec *out, const char *word)
{
    for (size_t i = 0; i < S->prog->policies.n; i++) add(out, word, ((Policy *)S->prog->policies.v[i])->id);
}

static void add_columns(ReplSession *S, PtrVec *out, const char *word, const char *table, const char *prefix)
{
    const Table *t = schema_table(S->schema, table);
    if (!t) return;
    for (int i = 0; i < t->ncols; i++) {
        char *c = xasprintf("%s%s", prefix, t->cols[i].name);
        add(out, word, c);
        free(c);
    }
}

/* Ids of table starting with word, from the store (at most 50). */
static void add_ids(ReplSession *S, PtrVec *out, const char *word, const char *table)
{
    if (!schema_table(S->schema, table)) return;
    char *sql = xasprintf("SELECT id FROM \"%s\" WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 50", table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW)
            if (sqlite3_column_text(st, 0)) add(out, word, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    free(sql);
}

static int is_word_char(char c)
{
    return c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

/* The words of text (identifiers, and each other non-blank character as a
 * word of its own), as heap strings onto out. */
static void words(const char *text, PtrVec *out)
{
    const char *p = text;
    while (*p) {
        if (*p == '"') { /* skip string literals whole */
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1]) p++;
            if (*p) p++;
            pv_push(out, xstrdup("\"\""));
            continue;
        }
        if (*p == '#') {
            while (*p && *p != '\n') p++;
            continue;
        }
        if (is_word_char(*p)) {
            const char *s = p;
            while (is_word_char(*p)) p++;
            pv_push(out, xstrndup(s, (size_t)(p - s)));
            continue;
        }
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') pv_push(out, xstrndup(p, 1));
        p++;
    }
}

static void words_free(PtrVec *w)
{
    for (size_t i = 0; i < w->n; i++) free(w->v[i]);
    pv_free(w);
}

/* The table whose columns fit at the end of the words: the innermost open
 * count()/exists()/next(), else the last `applies to`, else the subject's. */
static const char *table_in_play(ReplSession *S, PtrVec *w)
{
    int depth = 0;
    for (size_t i = w->n; i-- > 0;) {
        const char *x = w->v[i];
        if (!strcmp(x, ")")) depth++;
        else if (!strcmp(x, "(")) {
            if (depth) {
                depth--;
                continue;
            }
            if (i > 0 && i + 1 < w->n &&
                (!strcmp(w->v[i - 1], "count") || !strcmp(w->v[i - 1], "exists") || !strcmp(w->v[i - 1], "next")))
                return w->v[i + 1];
        }
    }
    for (size_t i = w->n; i-- > 1;)
        if (!strcmp(w->v[i - 1], "to") && i >= 2 && !strcmp(w->v[i - 2], "applies")) return w->v[i];
    return S->subj_table ? S->subj_table : "cases";
}

static void complete_command(ReplSession *S, PtrVec *w, int nargs_done, const char *word, PtrVec *out)
{
    const char *cmd = w->v[0];
    const char *a0 = w->n > 1 ? w->v[1] : "";
    if (!strcmp(cmd, ":show") || !strcmp(cmd, ":test")) {
        if (nargs_done == 0) add_policies(S, out, word);
    } else if (!strcmp(cmd, ":due")) {
        const char *prev = w->v[w->n - 1];
        if (!strcmp(prev, "--as-of")) add(out, word, "today");
        else if (strcmp(prev, "--horizon")) {
            add(out, word, "--as-of");
            add(out, word, "--horizon");
            add_policies(S, out, word);
        }
    } else if (!strcmp(cmd, ":why")) {
        int typed = !strcmp(a0, "case") || !strcmp(a0, "customer") || !strcmp(a0, "contact");
        if (nargs_done == 0) {
            add(out, word, "case");
            add(out, word, "customer");
            add(out, word, "contact");
            add_ids(S, out, word, "customers");
            add_ids(S, out, word, "cases");
        } else if (nargs_done == 1 && typed) {
            add_ids(S, out, word, !strcmp(a0, "case") ? "cases" : !strcmp(a0, "customer") ? "customers" : "contacts");
        } else if (nargs_done == 1 + typed) {
            add_policies(S, out, word);
        }
    } else if (!strcmp(cmd, ":with")) {
        if (nargs_done == 0) {
            static const char *const k[] = {"case", "customer", "contact", "none", NULL};
            add_list(out, word, k);
        } else if (nargs_done == 1) {
            add_ids(S, out, word, !strcmp(a0, "case") ? "cases" : !strcmp(a0, "customer") ? "customers" : "contacts");
        }
    } else if (!strcmp(cmd, ":schema")) {
        if (nargs_done == 0)
            for (int i = 0; i < S->schema->ntables; i++) add(out, word, S->schema->tables[i].name);
    } else if (!strcmp(cmd, ":format")) {
        static const char *const f[] = {"table", "csv", "json", NULL};
        if (nargs_done == 0) add_list(out, word, f);
    } else if (!strcmp(cmd, ":asof")) {
        if (nargs_done == 0) add(out, word, "today");
    } else if (!strcmp(cmd, ":help")) {
        if (nargs_done == 0)
            for (const char *const *c = repl_command_names; *c; c++) add(out, word, *c + 1);
    }
}

/* 1 when the words end with `kw NAME, NAME, ... ,` or `kw`: a list is
 * being written after kw. */
static int after_list_of(const PtrVec *w, const char *kw)
{
    size_t i = w->n;
    if (i && !strcmp(w->v[i - 1], kw)) return 1;
    while (i >= 2 && !strcmp(w->v[i - 1], ",")) {
        i -= 2;
        if (i >= 1 && !strcmp(w->v[i - 1], kw)) return 1;
    }
    return 0;
}

static void complete_text(ReplSession *S, PtrVec *w, const char *word, PtrVec *out)
{
    const char *prev = w->n ? w->v[w->n - 1] : "";
    const char *prev2 = w->n > 1 ? w->v[w->n - 2] : "";
    if (!strncmp(word, "customer.", 9)) {
        add_columns(S, out, word, "customers", "customer.");
        return;
    }
    if (!strncmp(word, "this.", 5)) {
        const char *t = S->subj_table ? S->subj_table : "cases";
        for (size_t i = 1; i < w->n; i++)
            if (!strcmp(w->v[i - 1], "to") && i >= 2 && !strcmp(w->v[i - 2], "applies")) t = w->v[i];
        add_columns(S, out, word, t, "this.");
        return;
    }
    if (after_list_of(w, "ask")) {
        for (size_t i = 0; i < S->prog->qsets.n; i++) add(out, word, ((QSet *)S->prog->qsets.v[i])->id);
        return;
    }
    if (!strcmp(prev, "calendar") || !strcmp(prev, "extends")) {
        for (size_t i = 0; i < S->prog->calendars.n; i++) add(out, word, ((Calendar *)S->prog->calendars.v[i])->id);
        add(out, word, "cn");
        return;
    }
    if (after_list_of(w, "channels")) {
        add_list(out, word, chk_channels);
        return;
    }
    if (!strcmp(prev, "to") && !strcmp(prev2, "applies")) {
        static const char *const t[] = {"cases", "customers", "contacts", NULL};
        add_list(out, word, t);
        return;
    }
    if (!strcmp(prev, "(") && (!strcmp(prev2, "count") || !strcmp(prev2, "exists") || !strcmp(prev2, "next"))) {
        for (int i = 0; i < S->schema->ntables; i++) add(out, word, S->schema->tables[i].name);
        return;
    }
    add_columns(S, out, word, table_in_play(S, w), "");
    add_list(out, word, keywords);
    add_list(out, word, functions);
    add(out, word, "customer.");
    add(out, word, "this.");
}

int repl_complete(ReplSession *S, const char *pending, const char *line, int start, const char *word, PtrVec *out)
{
    StrBuf before = {0};
    sb_puts(&before, pending);
    sb_putn(&before, line, (size_t)start);
    PtrVec w = {0};
    int files = 0;
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (!*pending && *p == ':') {
        /* a colon command: its name, then its arguments */
        char *text = xstrndup(line, (size_t)start);
        const char *q = text;
        while (*q == ' ' || *q == '\t') q++;
        int nw = 0;
        for (const char *s = q; *s;) {
            while (*s == ' ' || *s == '\t') s++;
            if (!*s) break;
            const char *e = s;
            while (*e && *e != ' ' && *e != '\t') e++;
            pv_push(&w, xstrndup(s, (size_t)(e - s)));
            nw++;
            s = e;
        }
        if (nw == 0) add_list(out, word, repl_command_names);
        else if (!strcmp(w.v[0], ":load")) files = nw == 1;
        else complete_command(S, &w, nw - 1, word, out);
        free(text);
    } else {
        words(sb_str(&before), &w);
        complete_text(S, &w, word, out);
    }
    words_free(&w);
    sb_free(&before);
    return files;
}
