/* repl.c - the REPL's loop (repl.h): open the store read-only, load the
 * policies named, then read inputs until :quit or end of input.  An input
 * is a colon command (one line), a declaration (`policy`, `questions`,
 * `calendar`, `use`...), or an expression; it goes on over further lines
 * while a `{`, `(` or `[` or a string is open.  On a terminal lines come
 * from readline with prompts; otherwise standard input is a script: no
 * prompts, no colours, and the exit status says whether a line failed. */
#include "repl.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../interp/cal.h"
#include "../interp/diag.h"
#include "../interp/load.h"
#include "../interp/out.h"
#include "session.h"

#define PROMPT "revisit> "
#define PROMPT_MORE "     ...> "

void repl_error(ReplSession *S, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    if (!S->interactive) fprintf(stderr, "%s:%ld: ", S->src_name, S->line);
    fprintf(stderr, "%s: ", S->color ? "\033[1;31merror\033[0m" : "error");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    S->failed = 1;
}

const char *repl_paint(const ReplSession *S, const char *code, const char *text)
{
    static char bufs[4][256];
    static int next;
    if (!S->color) return text;
    char *b = bufs[next++ & 3];
    snprintf(b, sizeof bufs[0], "\033[%sm%s\033[0m", code, text);
    return b;
}

/* 1 when the word w ends text (after blanks and a comment). */
static int ends_with_word(const char *text, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k || strncmp(text + n - k, w, k)) return 0;
    char c = n > k ? text[n - k - 1] : ' ';
    return !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

static void first_word(const char *text, char *w, size_t n);

/* 1 when text is unfinished: a block, bracket, parenthesis or string is
 * open; a declaration has not reached its `{` yet; or the text ends with
 * an operator that needs a right-hand side (`and`, `+`, `=`, ...). */
static int unfinished(const char *text)
{
    int depth = 0, in_str = 0, braces = 0;
    size_t end = 0; /* bytes up to the last character that is not blank or comment */
    for (const char *p = text; *p; p++) {
        if (in_str) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == '"') in_str = 0;
            end = (size_t)(p - text) + 1;
            continue;
        }
        switch (*p) {
        case '"': in_str = 1; break;
        case '#': while (p[1] && p[1] != '\n') p++; continue;
        case '{': braces++; depth++; break;
        case '(': case '[': depth++; break;
        case '}': case ')': case ']': depth--; break;
        }
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') end = (size_t)(p - text) + 1;
    }
    if (in_str || depth > 0) return 1;
    char w[32];
    first_word(text, w, sizeof w);
    if (!braces && (!strcmp(w, "policy") || !strcmp(w, "questions") || !strcmp(w, "calendar") ||
                    !strcmp(w, "test") || !strcmp(w, "fixture")))
        return 1;
    if (end && strchr("+-*/=<>,!", text[end - 1])) return 1;
    static const char *const ops[] = {"and", "or", "not", "in", "is", "where", NULL};
    for (const char *const *o = ops; *o; o++)
        if (ends_with_word(text, end, *o)) return 1;
    return 0;
}

/* The first word of text, skipping blanks and comments, into w. */
static void first_word(const char *text, char *w, size_t n)
{
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
        if (*p != '#') break;
        while (*p && *p != '\n') p++;
    }
    size_t k = 0;
    while ((p[k] == '_' || (p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z')) && k + 1 < n) {
        w[k] = p[k];
        k++;
    }
    w[k] = 0;
}

/* 1 when the line holds nothing but blanks and a comment. */
static int blank(const char *line)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    return !*p || *p == '#';
}

/* A finished input that is not a command: a declaration or an expression. */
static void run_input(ReplSession *S, const char *text)
{
    static const char *const decls[] = {"policy", "questions", "calendar", "use", "column", "test", "fixture", NULL};
    char w[32];
    first_word(text, w, sizeof w);
    for (const char *const *d = decls; *d; d++)
        if (!strcmp(w, *d)) {
            repl_declare(S, text);
            return;
        }
    repl_eval(S, text);
}

/* One line of standard input without its newline (script mode), or NULL. */
static char *read_script_line(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n') line[--n] = 0;
    if (n > 0 && line[n - 1] == '\r') line[--n] = 0;
    return line;
}

static void banner(const ReplSession *S, const char *store)
{
    char d[11];
    cal_fmt_date(S->as_of, d);
    size_t n = S->prog->policies.n;
    printf("revisit repl: %zu polic%s; %s%s; as of %s.\n", n, n == 1 ? "y" : "ies",
           store ? "store " : "no store (documented schema, no data)", store ? store : "", d);
    printf("Type an expression, a policy, or :help.  Tab completes, Ctrl-C cancels, Ctrl-D leaves.\n");
}

/* Load the files and folders named on the command line. */
static void load_initial(ReplSession *S, const Opts *o)
{
    int errs = 0;
    for (int i = 0; i < o->nargs; i++) {
        pv_push(&S->roots, xstrdup(o->args[i]));
        errs += repl_read_root(o->args[i], &S->files);
    }
    if (!o->nargs) return;
    Program *prog = NULL;
    Schema *schema = NULL;
    if (!errs) errs = repl_build(S, &S->files, &S->snippets, &prog, &schema);
    if (!errs) {
        repl_adopt(S, prog, schema);
        return;
    }
    /* start without them; :reload reads the roots again once fixed */
    fprintf(stderr, "revisit: %d error%s in the policies given; starting without them (fix them, then :reload)\n",
            diag_count(), diag_count() == 1 ? "" : "s");
    repl_files_free(&S->files);
    S->failed = 1;
}

static void session_free(ReplSession *S)
{
    program_free(S->prog);
    store_schema_free(S->schema);
    if (S->db) sqlite3_close(S->db);
    for (size_t i = 0; i < S->roots.n; i++) free(S->roots.v[i]);
    pv_free(&S->roots);
    repl_files_free(&S->files);
    repl_snippets_free(&S->snippets);
    free(S->subj_table);
    free(S->subj_id);
}

int repl_main(const Opts *o)
{
    ReplSession S = {0};
    S.as_of = cli_as_of(o);
    if (S.as_of < 0) return EXIT_USAGE;
    S.horizon = o->horizon;
    S.format = o->format >= 0 ? o->format : FMT_TABLE;
    S.interactive = isatty(STDIN_FILENO);
    const char *term = getenv("TERM");
    S.color = S.interactive && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term && strcmp(term, "dumb");
    S.src_name = S.interactive ? "<input>" : "<stdin>";
    S.line = 1;
    if (o->store) {
        S.db = store_open(o->store, 1);
        S.has_store = 1;
    } else {
        S.db = store_memory();
    }
    if (!S.db) return EXIT_STORE;
    /* belt and braces: the connection is read-only, and refuses writes too */
    sqlite3_exec(S.db, "PRAGMA query_only = ON", NULL, NULL, NULL);
    S.schema = store_schema(S.db);
    if (!S.schema) {
        sqlite3_close(S.db);
        return EXIT_STORE;
    }
    S.schema->documented = !S.has_store;
    S.prog = load_new();
    diag_reset();
    load_initial(&S, o);

    if (S.interactive) {
        banner(&S, o->store);
        repl_line_open(&S);
    }
    StrBuf in = {0}; /* the input being gathered */
    long lineno = 0, start = 1;
    while (!S.quit) {
        char *line;
        if (S.interactive) {
            int intr = 0;
            repl_line_set_pending(sb_str(&in));
            line = repl_line_read(in.len ? PROMPT_MORE : PROMPT, &intr);
            if (intr) {
                sb_free(&in);
                continue;
            }
        } else {
            line = read_script_line();
        }
        if (!line) break;
        lineno++;
        if (S.interactive && !blank(line)) repl_line_remember(line);
        if (!in.len) {
            if (blank(line)) {
                free(line);
                continue;
            }
            start = lineno;
            const char *p = line;
            while (*p == ' ' || *p == '\t') p++;
            if (*p == ':') {
                S.line = S.interactive ? 1 : start;
                diag_reset();
                repl_command(&S, p);
                free(line);
                fflush(stdout);
                fflush(stderr);
                continue;
            }
        }
        sb_puts(&in, line);
        sb_putc(&in, '\n');
        free(line);
        if (unfinished(sb_str(&in))) continue;
        S.line = S.interactive ? 1 : start;
        diag_reset();
        run_input(&S, sb_str(&in));
        sb_free(&in);
        fflush(stdout);
        fflush(stderr);
    }
    if (in.len) {
        S.line = S.interactive ? 1 : start;
        if (S.interactive) fprintf(stderr, "\n(unfinished input discarded)\n");
        else repl_error(&S, "end of input inside an unfinished input (a '{', '(', '[' or string is still open)");
    } else if (S.interactive && !S.quit) {
        putchar('\n');
    }
    sb_free(&in);
    if (S.interactive) repl_line_close();
    int failed = S.failed;
    int interactive = S.interactive;
    session_free(&S);
    return failed && !interactive ? EXIT_FINDINGS : EXIT_OK;
}
