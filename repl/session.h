/* session.h - what the REPL's modules share (private to repl/): the session
 * state, and the functions each module offers the others.
 *
 *   repl.c      the loop: reading inputs, telling commands, declarations
 *               and expressions apart, script mode
 *   line.c      GNU readline hidden behind a few functions (prompt, history,
 *               Ctrl-C, completion hook)
 *   complete.c  what Tab offers at a given point of a line
 *   prog.c      the policies in use: files read, declarations typed in,
 *               rebuilding and checking them as one program
 *   expr.c      expressions evaluated against the chosen subject; reading
 *               a plan's row; messages
 *   why.c       :why - the filters, exclusions, sample and dates of a subject
 *   cmd.c       the colon commands */
#ifndef RV_REPL_SESSION_H
#define RV_REPL_SESSION_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include "../grammar/ast.h"
#include "../interp/plan.h"
#include "../interp/store.h"
#include "../interp/value.h"

/* A policy file as read when it was loaded (:reload reads it again). */
typedef struct {
    char *path; /* as found under the root the user named */
    char *real; /* realpath, so a file is read once */
    char *text; /* contents, NUL-terminated */
    size_t len; /* bytes in text */
} ReplFile;

/* Declarations typed in (a policy, a question set...). */
typedef struct {
    char *name; /* source name in messages: "<input>" or "<stdin>" */
    char *text; /* the text, after blank lines that keep script line numbers right */
    PtrVec ids; /* char*: the policy ids it declares */
} ReplSnippet;

typedef struct {
    sqlite3 *db;          /* the store, read-only; or an in-memory documented schema */
    int has_store;        /* -s STORE was given */
    Schema *schema;       /* the schema prog was checked against */
    Program *prog;        /* the checked program in use; never NULL */
    PtrVec roots;         /* char*: files and folders named (argv, :load) */
    PtrVec files;         /* ReplFile*: the .rv files read from roots */
    PtrVec snippets;      /* ReplSnippet*: declarations typed in */
    int64_t as_of;        /* the run date (day number) */
    int horizon;          /* days ahead listed by :due, as `run --horizon` */
    int format;           /* OutFormat of :due */
    char *subj_table;     /* :with - cases, customers or contacts; NULL: none */
    char *subj_id;        /* :with - the subject's id */
    int interactive;      /* standard input is a terminal */
    int color;            /* ANSI colours on standard output */
    int failed;           /* some input failed (script mode exit status) */
    int quit;             /* :quit was given */
    const char *src_name; /* name of typed sources: "<input>" or "<stdin>" */
    long line;            /* script mode: line where the current input starts; else 1 */
} ReplSession;

/* ---- repl.c ---- */
/* Report a problem with the current input on stderr ("error: ...", in
 * script mode "<stdin>:LINE: error: ...") and mark the session failed. */
void repl_error(ReplSession *S, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text wrapped in an ANSI colour when the session uses colours: code is
 * an SGR number such as "31" (red) or "32" (green).  Returns a pointer to
 * a static buffer (one of four, reused in turn). */
const char *repl_paint(const ReplSession *S, const char *code, const char *text);

/* ---- line.c ---- */
/* Start line editing on the terminal: history from the user's data
 * directory, Tab completion over S, Ctrl-C handling. */
void repl_line_open(ReplSession *S);
/* Read one line after prompt.  Returns a heap line without its newline
 * (caller frees), or NULL at end of input (Ctrl-D); on Ctrl-C returns
 * NULL and sets *interrupted. */
char *repl_line_read(const char *prompt, int *interrupted);
/* Add a line typed to the history (in memory and in the history file). */
void repl_line_remember(const char *line);
/* Tell the completer the unfinished input typed before the line being
 * read ("" when none): set by the loop before each line. */
void repl_line_set_pending(const char *pending);
/* While evaluating: Ctrl-C interrupts the queries running on db (NULL:
 * back to reading, where Ctrl-C cancels the line). */
void repl_line_busy(sqlite3 *db);
/* 1 once Ctrl-C was pressed during an evaluation; clears the flag. */
int repl_line_interrupted(void);
/* Restore the terminal and save nothing more. */
void repl_line_close(void);

/* ---- complete.c ---- */
/* Words that complete `word`, which starts at byte `start` of `line`, with
 * `pending` the unfinished input before this line ("" when none).  Pushes
 * heap strings onto out.  Returns 1 when file names should be completed
 * instead (after :load). */
int repl_complete(ReplSession *S, const char *pending, const char *line, int start, const char *word, PtrVec *out);
/* The colon commands, NULL-terminated, for completion and :help. */
extern const char *const repl_command_names[];

/* ---- prog.c ---- */
/* Read the .rv files under root (a file, or a folder searched recursively
 * in name order, as `revisit check` does) onto files, skipping files
 * already there.  Returns the number of errors (reported). */
int repl_read_root(const char *root, PtrVec *files);
/* Build and check a program from files and snippets (then the stdlib
 * modules they use) against the store's current schema.  On success
 * returns 0 with *prog and *schema set (policy hashes filled in); else
 * returns the number of errors, reported through diag, and sets nothing. */
int repl_build(ReplSession *S, PtrVec *files, PtrVec *snippets, Program **prog, Schema **schema);
/* Make prog and schema the session's, freeing the ones before. */
void repl_adopt(ReplSession *S, Program *prog, Schema *schema);
/* Free a list of ReplFile* / ReplSnippet* (the elements and the vector). */
void repl_files_free(PtrVec *files);
void repl_snippets_free(PtrVec *snippets);
void repl_snippet_free(ReplSnippet *sn);
/* The policy of the session with this id, or NULL. */
Policy *repl_policy(const ReplSession *S, const char *id);
/* Report "unknown policy X" with a suggestion; marks the input failed. */
void repl_unknown_policy(ReplSession *S, const char *id);
/* The working-day calendar of the session's program (its `use calendar`),
 * or NULL for Monday to Friday. */
const Calendar *repl_calendar(const ReplSession *S);
/* A typed declaration (policy, questions, calendar, use...): parse it with
 * the rest, check, and keep it when it passes; a policy typed again
 * replaces the one typed before.  Returns 0, or -1 after reporting. */
int repl_declare(ReplSession *S, const char *text);
/* :load PATH and :reload.  Return 0, or -1 after reporting. */
int repl_load(ReplSession *S, const char *path);
int repl_reload(ReplSession *S);

/* ---- expr.c ---- */
/* Evaluate expression text against the subject chosen with :with and
 * print its value and type.  Returns 0, or -1 after reporting. */
int repl_eval(ReplSession *S, const char *text);
/* Parse text (a policy-language fragment wrapped in a policy header
 * `head`, the fragment on the lines after it) into a new program, with
 * diagnostics renumbered to the fragment's own lines (the session's
 * script line in script mode).  Returns the program (caller frees) and
 * the number of errors in *errs. */
Program *repl_parse_wrapped(ReplSession *S, const char *head, const char *text, int *errs);
/* A string literal of the policy language for s (quotes and escapes), heap. */
char *repl_quote(const char *s);
/* Decode the slot columns of a plan's current row into vals (pl->nslots);
 * text values are copied into texts[i], freed by repl_slots_clear. */
void repl_read_slots(sqlite3_stmt *st, const Plan *pl, Value *vals, char **texts);
void repl_slots_clear(char **texts, int n);
/* A value for people: text quoted, mobile numbers and identity numbers
 * masked when label names such a column.  Writes into buf. */
const char *repl_show_value(const Value *v, const char *label, char *buf, size_t n);
/* 1 when the row with this id exists in table (a subject table). */
int repl_subject_exists(ReplSession *S, const char *table, const char *id);
/* The source text of expression e (a whole conjunct, brackets and a
 * trailing `is [not] null` included), heap. */
char *repl_expr_text(const Expr *e);
/* Parse a date: YYYY-MM-DD or `today`.  Returns 0, or -1 after reporting. */
int repl_parse_date(ReplSession *S, const char *s, int64_t *day);

/* ---- why.c ---- */
/* :why [case|customer|contact] ID [POLICY].  Returns 0, or -1 after
 * reporting. */
int repl_why(ReplSession *S, const char *table, const char *id, const char *policy);

/* ---- cmd.c ---- */
/* Run a colon command line (":due --as-of 2026-11-20").  Returns 0, or -1
 * after reporting. */
int repl_command(ReplSession *S, const char *line);

#endif
