/* line.c - GNU readline behind a few small functions (as Lua's lua.c hides
 * it behind lua_readline and friends), so the rest of the REPL never sees
 * it: read a line with a prompt, remember it, complete words, and turn
 * Ctrl-C into "cancel this input" (or "stop this evaluation") instead of
 * leaving.  Uses readline's callback interface with our own select() loop,
 * so a Ctrl-C while waiting for keys returns control here cleanly.
 *
 * History lives in $XDG_DATA_HOME/revisit/history, else
 * ~/.local/share/revisit/history; one entry per line typed, the last 1000
 * kept. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <readline/history.h>
#include <readline/readline.h>
#include "session.h"

#define HISTORY_MAX 1000

static ReplSession *sess;               /* for the completer */
static char *history_path;              /* heap, or NULL when there is no home */
static char *pending;                   /* unfinished input before this line (heap) */
static volatile sig_atomic_t got_int;   /* Ctrl-C seen */
static sqlite3 *volatile busy_db;       /* store being queried, interrupted by Ctrl-C */
static char *got_line;                  /* the line handed over by readline */
static int line_done;                   /* readline finished a line (or saw end of input) */
static PtrVec cands;                    /* completion candidates (heap strings) */
static size_t cand_next;                /* next candidate to hand readline */

static void on_sigint(int sig)
{
    (void)sig;
    got_int = 1;
    if (busy_db) sqlite3_interrupt(busy_db);
}

/* mkdir -p for the folders of path (not its last part). */
static void make_parents(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0700);
            *s = '/';
        }
    free(p);
}

static char *find_history_path(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg == '/') return xasprintf("%s/revisit/history", xdg);
    const char *home = getenv("HOME");
    if (home && *home) return xasprintf("%s/.local/share/revisit/history", home);
    return NULL;
}

static void cands_clear(void)
{
    for (size_t i = cand_next; i < cands.n; i++) free(cands.v[i]);
    pv_free(&cands);
    cand_next = 0;
}

static char *next_candidate(const char *text, int state)
{
    (void)text;
    if (!state) cand_next = 0;
    if (cand_next < cands.n) return cands.v[cand_next++]; /* readline frees it */
    return NULL;
}

static char **attempt(const char *text, int start, int end)
{
    (void)end;
    cands_clear();
    if (repl_complete(sess, pending ? pending : "", rl_line_buffer, start, text, &cands)) {
        rl_attempted_completion_over = 0; /* file names, readline's own way */
        return NULL;
    }
    rl_attempted_completion_over = 1;
    if (!cands.n) return NULL;
    char **m = rl_completion_matches(text, next_candidate);
    cands_clear();
    return m;
}

void repl_line_open(ReplSession *S)
{
    sess = S;
    rl_readline_name = "revisit";
    rl_catch_signals = 0; /* Ctrl-C is ours: see repl_line_read */
    rl_attempted_completion_function = attempt;
    rl_completer_word_break_characters = " \t\n\"'()[]{},=<>!+*;"; /* not - . / : ids, paths, commands */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: select() returns */
    using_history();
    stifle_history(HISTORY_MAX);
    history_path = find_history_path();
    if (history_path) {
        make_parents(history_path);
        if (read_history(history_path) != 0) {
            FILE *f = fopen(history_path, "a"); /* append_history needs the file */
            if (f) fclose(f);
            else {
                free(history_path);
                history_path = NULL;
            }
        }
    }
}

static void on_line(char *line)
{
    got_line = line;
    line_done = 1;
    rl_callback_handler_remove();
}

char *repl_line_read(const char *prompt, int *interrupted)
{
    *interrupted = 0;
    got_int = 0;
    got_line = NULL;
    line_done = 0;
    rl_callback_handler_install(prompt, on_line);
    int fd = rl_instream ? fileno(rl_instream) : 0;
    while (!line_done) {
        if (got_int) {
            /* cancel the line: leave it visible, start afresh below it */
            got_int = 0;
            FILE *out = rl_outstream ? rl_outstream : stdout;
            rl_point = rl_end;
            rl_redisplay();
            fputs("^C\n", out);
            fflush(out);
            rl_replace_line("", 0);
            rl_free_line_state();
            rl_callback_sigcleanup();
            rl_callback_handler_remove();
            *interrupted = 1;
            return NULL;
        }
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        int r = select(fd + 1, &fds, NULL, NULL, NULL);
        if (r < 0) {
            if (errno == EINTR) continue;
            rl_callback_handler_remove();
            return NULL;
        }
        rl_callback_read_char();
    }
    return got_line;
}

void repl_line_remember(const char *line)
{
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && !strcmp(last->line, line)) return; /* Up, Enter: once is enough */
    add_history(line);
    if (history_path) append_history(1, history_path);
}

void repl_line_set_pending(const char *text)
{
    free(pending);
    pending = xstrdup(text);
}

void repl_line_busy(sqlite3 *db)
{
    if (db) got_int = 0;
    busy_db = db;
}

int repl_line_interrupted(void)
{
    int g = got_int;
    got_int = 0;
    return g;
}

void repl_line_close(void)
{
    if (history_path) history_truncate_file(history_path, HISTORY_MAX);
    free(history_path);
    history_path = NULL;
    free(pending);
    pending = NULL;
    cands_clear();
    clear_history();
    signal(SIGINT, SIG_DFL);
    sess = NULL;
}
