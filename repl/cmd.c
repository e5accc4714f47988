/* cmd.c - the REPL's colon commands: loading policies (:load, :reload),
 * looking at them (:policies, :show, :schema), choosing the subject,
 * date and format (:with, :asof, :format), asking what a run would make
 * due and why (:due, :why), and :test, :help, :quit.  None of them writes
 * to the store: :due evaluates with ob_evaluate and prints with
 * out_duelist, and never calls the code that records a run. */
#include <stdlib.h>
#include <string.h>
#include "../interp/cal.h"
#include "../interp/cli.h"
#include "../interp/diag.h"
#include "../interp/oblig.h"
#include "../interp/out.h"
#include "session.h"

typedef struct {
    const char *name;  /* with its colon */
    const char *usage; /* the arguments */
    const char *help;  /* what it does */
} Help;

static const Help helps[] = {
    {":with", "[case|customer|contact] ID | none",
     "Choose the subject whose values expressions read (`:with case K-7`); without arguments, show it."},
    {":load", "FILE|DIR", "Read a policy file, or every .rv file under a folder, and check it with the rest."},
    {":reload", "", "Read the files loaded again and say which policies were added, removed or changed."},
    {":policies", "", "List the policies in use: id, version, subject table, schedules, where they come from."},
    {":show", "POLICY", "Print the source of a policy."},
    {":due", "[--as-of DATE] [--horizon DAYS] [POLICY]",
     "The due-list a run would print (overdue, due, and upcoming within the horizon), without recording anything."},
    {":why", "[case|customer|contact] ID [POLICY]",
     "Why a subject is or is not due: each filter with the values it reads, do_not_contact, the sample, the dates."},
    {":test", "[PATTERN]", "Run the tests written in the files loaded, as on disk now (those whose name contains PATTERN)."},
    {":schema", "[TABLE]", "The store's tables, or one table's columns with their types in the language."},
    {":asof", "[DATE|today]", "Set the run date used by today, :due and :why; without arguments, show it."},
    {":format", "[table|csv|json]", "Set the output format of :due; without arguments, show it."},
    {":help", "[COMMAND]", "Help on every command, or on one."},
    {":quit", "", "Leave (Ctrl-D too)."},
};
enum { NHELPS = sizeof helps / sizeof *helps };

/* Split a command line into words; "double quotes" keep blanks. */
static int split(const char *line, char **argv, int max)
{
    int n = 0;
    const char *p = line;
    while (*p && n < max) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        StrBuf w = {0};
        sb_puts(&w, "");
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1]) p++;
                sb_putc(&w, *p);
            }
            if (*p) p++;
        } else {
            while (*p && *p != ' ' && *p != '\t') sb_putc(&w, *p++);
        }
        argv[n++] = sb_take(&w);
    }
    return n;
}

static int want_args(ReplSession *S, const char *cmd, int nargs, int lo, int hi)
{
    if (nargs >= lo && nargs <= hi) return 1;
    for (int i = 0; i < NHELPS; i++)
        if (!strcmp(helps[i].name, cmd)) repl_error(S, "usage: %s %s", cmd, helps[i].usage);
    return 0;
}

static void do_help(ReplSession *S, const char *what)
{
    if (what) {
        char *name = what[0] == ':' ? xstrdup(what) : xasprintf(":%s", what);
        for (int i = 0; i < NHELPS; i++)
            if (!strcmp(helps[i].name, name)) {
                printf("%s %s\n  %s\n", helps[i].name, helps[i].usage, helps[i].help);
                free(name);
                return;
            }
        repl_error(S, "no command %s (:help lists them)", name);
        free(name);
        return;
    }
    printf("Type an expression to see its value for the subject chosen with :with, e.g.\n"
           "  closed_at + 3 working days\n"
           "or a whole policy (or question set, calendar, use ...) to check and load it; input goes on\n"
           "over several lines while a {, ( or [ or a string is open.  Commands:\n");
    for (int i = 0; i < NHELPS; i++) {
        char head[64];
        snprintf(head, sizeof head, "%s %s", helps[i].name, helps[i].usage);
        printf("  %-44s %s\n", head, helps[i].help);
    }
    printf("Tab completes commands, keywords, columns, policy ids and subject ids; Ctrl-C cancels the input\n"
           "or stops an evaluation; Ctrl-D leaves.  The store is only read, never written.\n");
}

static void do_policies(ReplSession *S)
{
    size_t n = S->prog->policies.n;
    if (!n) {
        printf("no policies are loaded (:load FILE|DIR, or type one)\n");
        return;
    }
    int w[4] = {2, 1, 7, 4};
    char **src = xcalloc(n + 1, sizeof *src);
    for (size_t i = 0; i < n; i++) {
        const Policy *p = S->prog->policies.v[i];
        src[i] = xasprintf("%s:%d", p->loc.src ? p->loc.src->path : "?", p->loc.first_line);
        int x = utf8_width(p->id, strlen(p->id));
        if (x > w[0]) w[0] = x;
        if ((x = utf8_width(src[i], strlen(src[i]))) > w[3]) w[3] = x;
    }
    printf("%-*s  V  %-9s  DUE  %-*s  TITLE\n", w[0], "ID", "APPLIES", w[3], "FROM");
    for (size_t i = 0; i < n; i++) {
        const Policy *p = S->prog->policies.v[i];
        int x = utf8_width(p->id, strlen(p->id));
        printf("%s%*s  %lld  %-9s  %3zu  %s%*s  %s\n", p->id, w[0] - x, "", (long long)p->version, p->table,
               p->scheds.n, src[i], w[3] - utf8_width(src[i], strlen(src[i])), "", p->title ? p->title : "-");
        free(src[i]);
    }
    free(src);
}

static void do_show(ReplSession *S, const char *id)
{
    Policy *p = repl_policy(S, id);
    if (!p) {
        repl_unknown_policy(S, id);
        return;
    }
    char *src = ob_policy_source(p);
    printf("# %s:%d\n%s", p->loc.src ? p->loc.src->path : "?", p->loc.first_line, src);
    if (*src && src[strlen(src) - 1] != '\n') putchar('\n');
    free(src);
}

static void do_schema(ReplSession *S, const char *table)
{
    if (!table) {
        for (int i = 0; i < S->schema->ntables; i++) {
            const Table *t = &S->schema->tables[i];
            printf("%-10s", t->name);
            for (int j = 0; j < t->ncols; j++) printf("%s%s", j ? ", " : " ", t->cols[j].name);
            printf("\n");
        }
        if (!S->has_store) printf("(the documented schema: no store was given)\n");
        return;
    }
    const Table *t = schema_table(S->schema, table);
    if (!t) {
        const char *names[16];
        size_t n = 0;
        for (int i = 0; i < S->schema->ntables && n < 16; i++) names[n++] = S->schema->tables[i].name;
        const char *best = closest_name(table, names, n);
        if (best) repl_error(S, "no table '%s' (did you mean '%s'?)", table, best);
        else repl_error(S, "no table '%s' that policies can read (:schema lists them)", table);
        return;
    }
    int w = 6;
    for (int j = 0; j < t->ncols; j++)
        if ((int)strlen(t->cols[j].name) > w) w = (int)strlen(t->cols[j].name);
    printf("%-*s  TYPE\n", w, "COLUMN");
    for (int j = 0; j < t->ncols; j++) {
        const Column *c = &t->cols[j];
        const char *note = c->pk ? "primary key" : c->notnull ? "not null" : NULL;
        if (note) printf("%-*s  %-8s  %s\n", w, c->name, type_name(c->type), note);
        else printf("%-*s  %s\n", w, c->name, type_name(c->type));
    }
}

/* :with [case|customer|contact] ID | none */
static void do_with(ReplSession *S, int argc, char **argv)
{
    if (argc == 1) {
        if (S->subj_id) printf("%s %s\n", !strcmp(S->subj_table, "cases") ? "case" : !strcmp(S->subj_table, "customers") ? "customer" : "contact", S->subj_id);
        else printf("no subject (:with case ID, :with customer ID or :with contact ID)\n");
        return;
    }
    if (argc == 2 && !strcmp(argv[1], "none")) {
        free(S->subj_table);
        free(S->subj_id);
        S->subj_table = S->subj_id = NULL;
        printf("no subject\n");
        return;
    }
    if (!want_args(S, ":with", argc - 1, 1, 2)) return;
    static const char *const words[] = {"case", "customer", "contact"};
    static const char *const tables[] = {"cases", "customers", "contacts"};
    const char *table = NULL, *id = argv[argc - 1];
    if (argc == 3) {
        for (int i = 0; i < 3; i++)
            if (!strcmp(argv[1], words[i])) table = tables[i];
        if (!table) {
            repl_error(S, ":with takes case, customer or contact before the id, not '%s'", argv[1]);
            return;
        }
    }
    if (!S->has_store) {
        repl_error(S, ":with needs a store to read the subject from: start with revisit repl -s STORE");
        return;
    }
    if (table && !repl_subject_exists(S, table, id)) {
        repl_error(S, "no %s '%s' in the store", argv[1], id);
        return;
    }
    if (!table) {
        for (int i = 0; i < 3 && !table; i++)
            if (schema_table(S->schema, tables[i]) && repl_subject_exists(S, tables[i], id)) table = tables[i];
        if (!table) {
            repl_error(S, "no case, customer or contact has the id '%s'", id);
            return;
        }
    }
    free(S->subj_table);
    free(S->subj_id);
    S->subj_table = xstrdup(table);
    S->subj_id = xstrdup(id);
    printf("%s %s\n", !strcmp(table, "cases") ? "case" : !strcmp(table, "customers") ? "customer" : "contact", id);
}

static void summary(FILE *f, Obligation **v, size_t n, const EvalResult *res, int64_t as_of, int horizon, long done)
{
    long st[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) st[v[i]->status]++;
    char d[11];
    cal_fmt_date(as_of, d);
    fprintf(f, "%zu obligation%s: %ld overdue, %ld due, %ld upcoming", n, n == 1 ? "" : "s", st[ST_OVERDUE],
            st[ST_DUE], st[ST_UPCOMING]);
    if (done) fprintf(f, "; %ld already done", done);
    fprintf(f, " (as of %s, horizon %d day%s; nothing was recorded)\n", d, horizon, horizon == 1 ? "" : "s");
    static const char *const what[] = {"suppressed (customer marked do_not_contact)",
                                       "pending (sampling period not over yet)",
                                       "waiting (a schedule's date is still empty)"};
    for (int k = 0; k < 3; k++) {
        long total = 0;
        for (int i = 0; i < res->nstats; i++)
            total += k == 0 ? res->stats[i].suppressed : k == 1 ? res->stats[i].pending : res->stats[i].not_yet;
        if (!total) continue;
        fprintf(f, "%s: %ld -", what[k], total);
        for (int i = 0; i < res->nstats; i++) {
            long x = k == 0 ? res->stats[i].suppressed : k == 1 ? res->stats[i].pending : res->stats[i].not_yet;
            if (x) fprintf(f, " %s %ld", res->stats[i].pol->id, x);
        }
        fprintf(f, "\n");
    }
}

/* :due [--as-of DATE] [--horizon DAYS] [POLICY] */
static void do_due(ReplSession *S, int argc, char **argv)
{
    int64_t as_of = S->as_of;
    int horizon = S->horizon;
    const char *pid = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--as-of") && i + 1 < argc) {
            if (repl_parse_date(S, argv[++i], &as_of)) return;
        } else if (!strcmp(argv[i], "--horizon") && i + 1 < argc) {
            char *end;
            long h = strtol(argv[++i], &end, 10);
            if (*end || h < 0 || h > 3660) {
                repl_error(S, "--horizon takes a number of days from 0 to 3660");
                return;
            }
            horizon = (int)h;
        } else if (argv[i][0] != '-' && !pid) {
            pid = argv[i];
        } else {
            want_args(S, ":due", -1, 0, 0);
            return;
        }
    }
    if (!S->has_store) {
        repl_error(S, ":due needs a store: start with revisit repl -s STORE");
        return;
    }
    Program view;
    memset(&view, 0, sizeof view);
    Program *prog = S->prog;
    if (pid) {
        Policy *p = repl_policy(S, pid);
        if (!p) {
            repl_unknown_policy(S, pid);
            return;
        }
        pv_push(&view.policies, p);
        prog = &view;
    }
    EvalOpts eo = {.as_of = as_of, .horizon = horizon, .explain_plan = NULL};
    EvalResult res = {0};
    repl_line_busy(S->db);
    int rc = ob_evaluate(S->db, prog, S->schema, &eo, &res);
    repl_line_busy(NULL);
    if (rc) {
        if (repl_line_interrupted()) repl_error(S, "interrupted");
        else S->failed = 1;
    } else {
        /* the due-list: what is not done yet (done ones come back for verdicts) */
        Obligation **v = xcalloc(res.obls.n + 1, sizeof *v);
        size_t nv = 0;
        long done = 0;
        for (size_t i = 0; i < res.obls.n; i++) {
            Obligation *ob = res.obls.v[i];
            if (ob->done) done++;
            else v[nv++] = ob;
        }
        out_sort(v, nv);
        out_duelist(stdout, (OutFormat)S->format, v, nv, 0);
        fflush(stdout);
        summary(S->format == FMT_TABLE ? stdout : stderr, v, nv, &res, as_of, horizon, done);
        free(v);
    }
    ob_result_free(&res);
    pv_free(&view.policies);
}

/* :test [PATTERN]: `revisit test` on the files and folders loaded. */
static void do_test(ReplSession *S, const char *pattern)
{
    if (!S->roots.n) {
        printf("no files are loaded: :test runs the tests written in the files loaded (:load FILE|DIR)\n");
        return;
    }
    Opts t;
    memset(&t, 0, sizeof t);
    t.format = -1;
    t.horizon = 7;
    t.satisfaction = -1;
    t.args = (char **)S->roots.v;
    t.nargs = (int)S->roots.n;
    t.pattern = pattern;
    fflush(stdout);
    if (cmd_test(&t) != EXIT_OK) S->failed = 1;
    fflush(stdout);
}

static void do_asof(ReplSession *S, const char *arg)
{
    char d[11];
    if (arg && repl_parse_date(S, arg, &S->as_of)) return;
    cal_fmt_date(S->as_of, d);
    printf("as of %s\n", d);
}

static void do_format(ReplSession *S, const char *arg)
{
    static const char *const names[] = {"table", "csv", "json"};
    if (arg) {
        int f = out_format(arg);
        if (f < 0) {
            repl_error(S, ":format takes table, csv or json, not '%s'", arg);
            return;
        }
        S->format = f;
    }
    printf("format %s\n", names[S->format]);
}

int repl_command(ReplSession *S, const char *line)
{
    char *argv[16] = {0};
    int argc = split(line, argv, 16);
    int before = S->failed;
    S->failed = 0;
    const char *c = argv[0];
    const char *a1 = argc > 1 ? argv[1] : NULL;
    if (!strcmp(c, ":quit") || !strcmp(c, ":q") || !strcmp(c, ":exit")) S->quit = 1;
    else if (!strcmp(c, ":help") || !strcmp(c, ":h") || !strcmp(c, ":?")) {
        if (want_args(S, ":help", argc - 1, 0, 1)) do_help(S, a1);
    } else if (!strcmp(c, ":load")) {
        if (want_args(S, ":load", argc - 1, 1, 1)) repl_load(S, a1);
    } else if (!strcmp(c, ":reload")) {
        if (want_args(S, ":reload", argc - 1, 0, 0)) repl_reload(S);
    } else if (!strcmp(c, ":policies")) {
        if (want_args(S, ":policies", argc - 1, 0, 0)) do_policies(S);
    } else if (!strcmp(c, ":show")) {
        if (want_args(S, ":show", argc - 1, 1, 1)) do_show(S, a1);
    } else if (!strcmp(c, ":schema")) {
        if (want_args(S, ":schema", argc - 1, 0, 1)) do_schema(S, a1);
    } else if (!strcmp(c, ":with")) {
        do_with(S, argc, argv);
    } else if (!strcmp(c, ":due")) {
        do_due(S, argc, argv);
    } else if (!strcmp(c, ":why")) {
        if (want_args(S, ":why", argc - 1, 1, 3)) {
            int typed = argc > 2 && (!strcmp(argv[1], "case") || !strcmp(argv[1], "customer") || !strcmp(argv[1], "contact"));
            if (argc == 4 && !typed) want_args(S, ":why", -1, 0, 0);
            else repl_why(S, typed ? argv[1] : NULL, argv[1 + typed], argc > 2 + typed ? argv[2 + typed] : NULL);
        }
    } else if (!strcmp(c, ":test")) {
        if (want_args(S, ":test", argc - 1, 0, 1)) do_test(S, a1);
    } else if (!strcmp(c, ":asof")) {
        if (want_args(S, ":asof", argc - 1, 0, 1)) do_asof(S, a1);
    } else if (!strcmp(c, ":format")) {
        if (want_args(S, ":format", argc - 1, 0, 1)) do_format(S, a1);
    } else {
        const char *best = closest_name(c, repl_command_names, NHELPS);
        if (best) repl_error(S, "unknown command %s (did you mean %s?)", c, best);
        else repl_error(S, "unknown command %s (:help lists them)", c);
    }
    for (int i = 0; i < argc; i++) free(argv[i]);
    int failed = S->failed;
    S->failed = before || failed;
    return failed ? -1 : 0;
}
