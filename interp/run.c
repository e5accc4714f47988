/* run.c - the commands that evaluate policies and read obligations back:
 * `run` (evaluate, record in one transaction, print), `due` (what the store
 * holds open) and `explain` (why an obligation exists). */
#ifdef __linux__
#define _GNU_SOURCE /* sync_file_range */
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include "cal.h"
#include "check.h"
#include "cli.h"
#include "diag.h"
#include "load.h"
#include "oblig.h"
#include "out.h"
#include "run.h"
#include "esc.h"
#include "route.h"
#include "chain.h"
#include "version.h"
#include "store.h"

int64_t cli_as_of(const Opts *o)
{
    if (!o->as_of) return cal_today();
    int64_t d;
    int r = cal_parse_date(o->as_of, strlen(o->as_of), &d);
    if (r) {
        fprintf(stderr, "revisit: --as-of '%s' is not %s\n", o->as_of, r == -2 ? "a real date" : "a date (YYYY-MM-DD)");
        return -1;
    }
    return d;
}

/* The temporary file cli_output writes -o FILE's new content to (FILE.tmp-
 * and six random characters, beside it), renamed over FILE by
 * cli_output_end; NULL when writing in place.  One output per process. */
static char *out_tmp;

/* A command stopped by a signal while it writes through out_tmp: the
 * temporary file goes (FILE is as it was), then the signal does what it
 * would have done. */
static void out_drop(int sig)
{
    if (out_tmp) unlink(out_tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Point SIGINT, SIGTERM and SIGHUP at handler (out_drop or SIG_DFL). */
static void out_signals(void (*handler)(int))
{
    signal(SIGINT, handler);
    signal(SIGTERM, handler);
    signal(SIGHUP, handler);
}

FILE *cli_output(const Opts *o)
{
    FILE *f = NULL;
    struct stat sb, ss; /* -o FILE's, the store's */
    int exists = 0;     /* FILE exists (sb is lstat's) */
    if (!o->output || !strcmp(o->output, "-")) f = stdout;
    else if (o->store && !stat(o->output, &sb) && !stat(o->store, &ss) && sb.st_dev == ss.st_dev &&
             sb.st_ino == ss.st_ino) {
        fprintf(stderr, "revisit: -o %s is the store itself; name another file\n", o->output);
        return NULL;
    } else if ((exists = !lstat(o->output, &sb)) && !S_ISREG(sb.st_mode))
        f = fopen(o->output, "w"); /* /dev/null, a pipe, a link: in place */
    else {
        char *tmp = xasprintf("%s.tmp-XXXXXX", o->output);
        int fd = mkstemp(tmp);
        if (fd < 0 && exists && errno == EACCES) {
            /* a writable file in a folder that is not: in place */
            free(tmp);
            f = fopen(o->output, "w");
        } else if (fd >= 0) {
            /* the mode the file has, or the one fopen would give a new one */
            mode_t mask = umask(0);
            umask(mask);
            (void)fchmod(fd, exists ? sb.st_mode & 07777 : 0666 & ~mask);
            if ((f = fdopen(fd, "w"))) {
                out_tmp = tmp;
                out_signals(out_drop);
            } else {
                close(fd);
                unlink(tmp);
                free(tmp);
            }
        } else
            free(tmp);
    }
    if (!f) perror(o->output);
    else if (o->bom && o->format == FMT_CSV) out_bom(f);
    return f;
}

int cli_output_end(FILE *f, const Opts *o, int keep)
{
    if (!f || f == stdout) return 0;
    int bad = ferror(f);
    if (fclose(f)) bad = 1;
    if (bad) perror(o->output);
    if (out_tmp) {
        if (keep && !bad && rename(out_tmp, o->output)) {
            perror(o->output);
            bad = 1;
        }
        if (!keep || bad) unlink(out_tmp);
        out_signals(SIG_DFL);
        free(out_tmp);
        out_tmp = NULL;
    }
    return bad ? -1 : 0;
}

static void now_text(char out[20])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

static int exec1(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Store the lines of questions script text (oblig.h: script; one line a
 * question, its six fields qset, ordered, pos, question, mandatory and
 * affirmative cut by tabs; lines without all six are skipped) as those of
 * question_scripts row sid.  The obligations of a policy share a few
 * scripts, so this runs once per script new to the store.  0 or -1. */
static int record_script(sqlite3_stmt *qs, sqlite3_int64 sid, const char *text)
{
    char *buf = xstrdup(text);
    int rc = 0;
    for (char *p = buf; *p && !rc;) {
        char *eol = strchr(p, '\n');
        if (!eol) break;
        *eol = 0;
        const char *f[6] = {0};
        int n = 0;
        for (char *tok = p; n < 6; n++) {
            f[n] = tok;
            char *tab = strchr(tok, '\t');
            if (!tab) { n++; break; }
            *tab = 0;
            tok = tab + 1;
        }
        p = eol + 1;
        if (n != 6) continue;
        sqlite3_reset(qs);
        sqlite3_bind_int64(qs, 1, sid);
        sqlite3_bind_text(qs, 2, f[0], -1, SQLITE_STATIC);
        sqlite3_bind_int(qs, 3, atoi(f[1]));
        sqlite3_bind_int(qs, 4, atoi(f[2]));
        sqlite3_bind_text(qs, 5, f[3], -1, SQLITE_STATIC);
        sqlite3_bind_int(qs, 6, atoi(f[4]));
        if (*f[5]) sqlite3_bind_text(qs, 7, f[5], -1, SQLITE_STATIC);
        else sqlite3_bind_null(qs, 7);
        if (sqlite3_step(qs) != SQLITE_DONE) rc = -1;
    }
    free(buf);
    return rc;
}

/* Drops the secondary indexes of obligations, which STORE_OBLIGATION_INDEXES
 * makes again. */
#define DROP_SECONDARY "DROP INDEX IF EXISTS main.obligations_trigger; DROP INDEX IF EXISTS main.obligations_customer"

/* The columns of obligations, in the order bind_pending binds them. */
#define OBL_COLS "id, policy, version, rule_id, run_id, subject_table, subject_id, customer_id, case_id, " \
                 "occurrence, due_from, due_by, channels, assignees, priority, questions, facts, trigger_day, rules, " \
                 "staff, script"

/* temp.run_new's columns, in the order stage_obligation binds them: the
 * obligation's own columns of OBL_COLS (staff: the staff a known obligation
 * keeps; rule_id: its obligation_rules.id; the policy's and the run's
 * columns are joined back when it is inserted, see NEW_COLS), its
 * questions script (question_scripts.id; 0 for none), then
 * the due-list's own: the policy's index in the list order (byid), customer
 * name and mobile, status, calling window, department, 1 when listed (else a
 * done one new to the store), 1 when the store has it. */
#define STAGE_COLS "id, version, subject_id, customer_id, case_id, occurrence, due_from, due_by, channels, " \
                   "assignees, priority, questions, rule_id, facts, trigger_day, staff, script, pidx, name, mobile, " \
                   "status, window, department, listed, known"

/* Bind the ten columns that obligations and run_new share in this order
 * (subject_id ... questions) from parameter i on. */
static void bind_subject_cols(sqlite3_stmt *st, int i, const Obligation *ob)
{
    sqlite3_bind_text(st, i, ob->subject_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i + 1, ob->customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i + 2, ob->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i + 3, ob->occ, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i + 4, ob->due_from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i + 5, ob->due_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i + 6, ob->channels, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i + 7, ob->assignees, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, i + 8, ob->priority);
    sqlite3_bind_text(st, i + 9, ob->questions, -1, SQLITE_STATIC);
}

/* How many columns OBL_COLS names. */
#define OBL_NCOLS 21

/* A done obligation of a first run, waiting to be appended: made by the
 * rule obligation_rules.id rid, its questions the script sid (0: none). */
typedef struct {
    const Obligation *ob;   /* the caller's until rec_flush */
    sqlite3_int64 rid, sid;
} Pending;

/* Done obligations appended by one INSERT on a first run: a statement's
 * own costs (its start, its end, its cursor) once for this many rows. */
enum { APPEND_ROWS = 32 };

/* Bind p as the row of OBL_COLS whose first parameter is b + 1, recorded
 * by run run_id.  created_at is left null: the run's started_at; staff
 * null, as only listed obligations are routed. */
static void bind_pending(sqlite3_stmt *st, int b, const Pending *p, sqlite3_int64 run_id)
{
    const Obligation *ob = p->ob;
    sqlite3_bind_text(st, b + 1, ob->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, b + 2, ob->pol->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, b + 3, ob->version);
    sqlite3_bind_int64(st, b + 4, p->rid);
    sqlite3_bind_int64(st, b + 5, run_id);
    sqlite3_bind_text(st, b + 6, ob->subject_table, -1, SQLITE_STATIC);
    bind_subject_cols(st, b + 7, ob);
    sqlite3_bind_text(st, b + 17, ob->facts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, b + 18, ob->trigger_day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, b + 19, "", -1, SQLITE_STATIC); /* the version's: policy_versions.rules */
    sqlite3_bind_null(st, b + 20);
    if (p->sid) sqlite3_bind_int64(st, b + 21, p->sid);
    else sqlite3_bind_null(st, b + 21);
}

/* Distinct strings, numbered from 1 in the order they came. */
typedef struct {
    char **v;               /* heap: n strings (heap each); string i is numbered i + 1 */
    size_t n, cap;
    size_t *slots;          /* heap: the strings hashed by text, each slot a number or 0 (empty) */
    size_t nslots;          /* a power of two, at least twice n */
} Interned;

static size_t text_hash(const char *t)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *t; t++) h = (h ^ (unsigned char)*t) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

/* The number of text among in's strings (adding a copy when new), 0 for
 * an empty or missing one. */
static sqlite3_int64 intern(Interned *in, const char *text)
{
    if (!text || !*text) return 0;
    if (2 * (in->n + 1) > in->nslots) {
        size_t n = in->nslots ? 2 * in->nslots : 64;
        free(in->slots);
        in->slots = xcalloc(n, sizeof *in->slots);
        in->nslots = n;
        for (size_t k = 0; k < in->n; k++) {
            size_t i = text_hash(in->v[k]) & (n - 1);
            while (in->slots[i]) i = (i + 1) & (n - 1);
            in->slots[i] = k + 1;
        }
    }
    size_t i = text_hash(text) & (in->nslots - 1);
    for (; in->slots[i]; i = (i + 1) & (in->nslots - 1))
        if (!strcmp(in->v[in->slots[i] - 1], text)) return (sqlite3_int64)in->slots[i];
    if (in->n == in->cap) in->v = xrealloc(in->v, (in->cap = in->cap ? 2 * in->cap : 16) * sizeof *in->v);
    in->v[in->n] = xstrdup(text);
    in->slots[i] = ++in->n;
    return (sqlite3_int64)in->n;
}

static void interned_free(Interned *in)
{
    for (size_t i = 0; i < in->n; i++) free(in->v[i]);
    free(in->v);
    free(in->slots);
}

/* A rule text of one policy met in a run, and its obligation_rules.id
 * (a policy has a few rules: its list is searched). */
typedef struct {
    char *text;             /* heap */
    sqlite3_int64 id;
} RuleId;

typedef struct {
    RuleId *v;              /* heap: n of them */
    size_t n;
} RuleIds;

struct Recorder {
    sqlite3 *db;            /* the store, inside the caller's transaction */
    Program *prog;          /* the policies evaluated (not owned) */
    int route;              /* route listed obligations to staff */
    sqlite3_int64 run_id;   /* the runs row */
    char now[20];           /* the run's wall-clock time */
    sqlite3_stmt *known;    /* is an obligation id in the store already */
    int append;             /* the store's first run: done obligations go straight into
                               main.obligations, indexed after the evaluation */
    int defer;              /* secondary indexes dropped for the run are left for the caller
                               to build after its commit (rec_defer_indexes) */
    int deferred;           /* ... and this run left them (rec_indexes_deferred) */
    sqlite3_stmt *app;      /* INSERT INTO main.obligations, one row, when append */
    sqlite3_stmt *appn;     /* the same, APPEND_ROWS rows */
    Pending pend[APPEND_ROWS]; /* done obligations not yet appended */
    int npend;
    long appended;          /* rows appended (app, appn) */
    sqlite3_stmt *ins;      /* INSERT INTO temp.run_new: staged obligations (STAGE_COLS) */
    sqlite3_stmt *qfind;    /* SELECT id FROM question_scripts WHERE script = ? */
    sqlite3_stmt *qnew;     /* INSERT INTO question_scripts(script) */
    sqlite3_stmt *qs;       /* INSERT OR IGNORE INTO script_questions */
    sqlite3_stmt *kstaff;   /* SELECT staff FROM main.obligations WHERE rowid = ? */
    char *staff;            /* heap: staff of the known obligation stage_obligation found, or NULL */
    long added;             /* obligations new in the store */
    long staged;            /* rows of run_new new to the store */
    long listed;            /* obligations listed (not done) */
    long st[3];             /* listed, per status */
    Policy **byid;          /* the policies sorted by id: the list's policy order (heap) */
    const Policy *lastp;    /* cache for rec_add: a policy and its index in byid */
    int lasti;
    double secs[4];         /* rec_finish's steps: route, insert, indexes, the rest */
    Interned scripts;       /* the run's distinct questions scripts */
    sqlite3_int64 *sids;    /* heap: by number in scripts less one, its question_scripts.id
                               (0 until looked up or stored); nsids entries */
    size_t nsids;
    RuleIds *rids;          /* heap: by policy index in byid, the rule texts met so far */
    sqlite3_stmt *rfind;    /* SELECT id FROM obligation_rules WHERE (policy, version, sha256, rule) */
    sqlite3_stmt *rnew;     /* INSERT INTO obligation_rules */
    Interned picked;        /* the staff routing picked, each once */
    uint32_t *routed;       /* heap: by row of run_new (rowid), the number of the staff
                               routed to it in picked, 0 for none; nrouted entries */
    size_t nrouted;
    sqlite3_int64 maxrow;   /* the largest rowid staged in run_new */
};

/* SQL rv_routed(rowid): the staff routed to run_new's row rowid, or NULL
 * (the function belongs to the recorder that registered it). */
static void sql_routed(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const Recorder *r = sqlite3_user_data(cx);
    sqlite3_int64 row = sqlite3_value_int64(argv[0]);
    uint32_t k = row > 0 && (size_t)row < r->nrouted ? r->routed[row] : 0;
    if (k) sqlite3_result_text(cx, r->picked.v[k - 1], -1, SQLITE_STATIC);
    else sqlite3_result_null(cx);
}

static int cmp_policy_id(const void *a, const void *b)
{
    return strcmp((*(Policy *const *)a)->id, (*(Policy *const *)b)->id);
}

/* The question_scripts row of script text (stored with its lines when
 * the store does not have it yet, looked up once per run): its id, 0 for
 * no questions, -1 on a store error. */
static sqlite3_int64 store_script(Recorder *r, const char *text)
{
    sqlite3_int64 sn = intern(&r->scripts, text);
    if (!sn) return 0;
    if ((size_t)sn > r->nsids) {
        size_t n = r->scripts.cap > (size_t)sn ? r->scripts.cap : (size_t)sn;
        r->sids = xrealloc(r->sids, n * sizeof *r->sids);
        memset(r->sids + r->nsids, 0, (n - r->nsids) * sizeof *r->sids);
        r->nsids = n;
    }
    if (r->sids[sn - 1]) return r->sids[sn - 1];
    sqlite3_reset(r->qfind);
    sqlite3_bind_text(r->qfind, 1, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(r->qfind);
    sqlite3_int64 sid = rc == SQLITE_ROW ? sqlite3_column_int64(r->qfind, 0) : 0;
    sqlite3_reset(r->qfind);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
    if (!sid) {
        sqlite3_reset(r->qnew);
        sqlite3_bind_text(r->qnew, 1, text, -1, SQLITE_STATIC);
        if (sqlite3_step(r->qnew) != SQLITE_DONE) return -1;
        sid = sqlite3_last_insert_rowid(r->db);
        if (record_script(r->qs, sid, text)) return -1;
    }
    return r->sids[sn - 1] = sid;
}

/* The obligation_rules id of ob's policy version and rule text (adding
 * the row when the store has none yet), ob's policy being r->byid[r->lasti].
 * An evaluated obligation has its policy's version (ob->version), so the
 * row is the policy's id, version and sha256 with the text.  -1 on error. */
static sqlite3_int64 rule_id(Recorder *r, const Obligation *ob)
{
    RuleIds *ri = &r->rids[r->lasti];
    const char *text = ob->rule ? ob->rule : "";
    for (size_t i = 0; i < ri->n; i++)
        if (!strcmp(ri->v[i].text, text)) return ri->v[i].id;
    sqlite3_int64 id = -1;
    for (int k = 0; k < 2 && id < 0; k++) { /* found, or else added */
        sqlite3_stmt *st = k ? r->rnew : r->rfind;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, ob->pol->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, ob->pol->version);
        sqlite3_bind_text(st, 3, ob->pol->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (!k && rc == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
        else if (k && rc == SQLITE_DONE) id = sqlite3_last_insert_rowid(r->db);
        else if (rc != SQLITE_DONE) return -1;
    }
    sqlite3_reset(r->rfind);
    ri->v = xrealloc(ri->v, (ri->n + 1) * sizeof *ri->v);
    ri->v[ri->n++] = (RuleId){xstrdup(text), id};
    return id;
}

/* Append the pending done obligations (r->pend): a full set by one
 * statement, fewer one by one.  0 or -1. */
static int append_pending(Recorder *r)
{
    int n = r->npend;
    r->npend = 0;
    if (n == APPEND_ROWS) {
        sqlite3_reset(r->appn);
        for (int k = 0; k < n; k++) bind_pending(r->appn, k * OBL_NCOLS, &r->pend[k], r->run_id);
        if (sqlite3_step(r->appn) != SQLITE_DONE) return -1;
    } else {
        for (int k = 0; k < n; k++) {
            sqlite3_reset(r->app);
            bind_pending(r->app, 0, &r->pend[k], r->run_id);
            if (sqlite3_step(r->app) != SQLITE_DONE) return -1;
        }
    }
    r->appended += n;
    return 0;
}

/* Stage ob: every obligation new to the store, and every listed one, is
 * one row of temp.run_new (STAGE_COLS: the obligation's columns, then what
 * the due-list shows).  New obligations wait there to be inserted at the
 * end, sorted by id: inserted as they come, their random ids would touch a
 * random page of the id index each, and a store with millions of them
 * would rewrite the same pages to the WAL over and over.  A listed one
 * waits there for its staff (routing) and its place in the list.  One row
 * serves both (it was a row in each of two tables, the listed one's
 * columns written twice).  On a store's first run (no obligations yet,
 * r->append) there is no index to touch: a done one goes straight into the
 * table.  A listed obligation the store already has (known) is staged with
 * what the list shows and the staff it keeps, not its whole row; a done
 * one it has is dropped (cmd_run's evaluation does not even build those:
 * EvalOpts.skip_known_done).  0 or -1. */
static int stage_obligation(Recorder *r, const Obligation *ob)
{
    int known = 0;
    free(r->staff);
    r->staff = NULL;
    if (ob->pol != r->lastp) {
        r->lastp = NULL;
        for (size_t i = 0; i < r->prog->policies.n; i++)
            if (r->byid[i] == ob->pol) {
                r->lastp = ob->pol;
                r->lasti = (int)i;
            }
        if (!r->lastp) return -1; /* not one of the run's policies: cannot be */
    }
    if (r->append && ob->done) {
        sqlite3_int64 sid = store_script(r, ob->script), rid = rule_id(r, ob);
        if (sid < 0 || rid < 0) return -1;
        r->pend[r->npend++] = (Pending){ob, rid, sid};
        return r->npend == APPEND_ROWS ? append_pending(r) : 0;
    }
    if (!r->append) {
        sqlite3_reset(r->known);
        sqlite3_bind_text(r->known, 1, ob->id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(r->known);
        if (rc == SQLITE_ROW) {
            if (ob->done) return 0;
            /* a listed one keeps the staff it was routed to: read now, while
             * the workers evaluate, not by the printing (by rowid: the id
             * index lookup above gave it) */
            known = 1;
            sqlite3_reset(r->kstaff);
            sqlite3_bind_int64(r->kstaff, 1, sqlite3_column_int64(r->known, 0));
            rc = sqlite3_step(r->kstaff);
            if (rc == SQLITE_ROW && sqlite3_column_text(r->kstaff, 0))
                r->staff = xstrdup((const char *)sqlite3_column_text(r->kstaff, 0));
            else if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
        } else if (rc != SQLITE_DONE) {
            return -1;
        }
    }
    sqlite3_stmt *st = r->ins;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, ob->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, ob->version);
    bind_subject_cols(st, 3, ob);
    if (known) { /* its row is in the store: only what the list shows */
        sqlite3_bind_null(st, 13);
        sqlite3_bind_null(st, 14);
        sqlite3_bind_text(st, 16, r->staff, -1, SQLITE_STATIC);
        sqlite3_bind_null(st, 17);
    } else {
        sqlite3_int64 sid = store_script(r, ob->script), rid = rule_id(r, ob);
        if (sid < 0 || rid < 0) return -1;
        sqlite3_bind_int64(st, 13, rid);
        sqlite3_bind_text(st, 14, ob->facts, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 16, ob->staff, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 17, sid);
    }
    sqlite3_bind_text(st, 15, ob->trigger_day, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 18, r->lasti);
    sqlite3_bind_text(st, 19, ob->customer_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 20, ob->mobile, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 21, ob->status);
    sqlite3_bind_text(st, 22, ob->window, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 23, ob->department, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 24, !ob->done);
    sqlite3_bind_int(st, 25, known);
    if (sqlite3_step(st) != SQLITE_DONE) return -1;
    r->maxrow = sqlite3_last_insert_rowid(r->db);
    r->staged += !known;
    return 0;
}

Recorder *rec_open(sqlite3 *db, Program *prog, int horizon, int64_t as_of, int route)
{
    Recorder *r = xcalloc(1, sizeof *r);
    r->db = db;
    r->prog = prog;
    r->route = route;
    r->byid = xcalloc(prog->policies.n + 1, sizeof *r->byid);
    r->rids = xcalloc(prog->policies.n + 1, sizeof *r->rids);
    for (size_t i = 0; i < prog->policies.n; i++) r->byid[i] = prog->policies.v[i];
    if (prog->policies.n > 1) qsort(r->byid, prog->policies.n, sizeof *r->byid, cmp_policy_id);
    now_text(r->now);
    char asof[11];
    cal_fmt_date(as_of, asof);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO runs(started_at, as_of, horizon, policies, listed, added, suppressed) "
                               "VALUES (?, ?, ?, ?, 0, 0, 0)", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, r->now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, asof, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, horizon);
    sqlite3_bind_int(st, 4, (int)prog->policies.n);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) goto fail;
    r->run_id = sqlite3_last_insert_rowid(db);

    /* a version recorded before its rules were kept here gets them now */
    if (sqlite3_prepare_v2(db, "INSERT INTO policy_versions(policy, version, sha256, title, effective, file, source, "
                               "first_seen, rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(policy, version, sha256) "
                               "DO UPDATE SET rules = excluded.rules WHERE rules IS NULL", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < prog->policies.n; i++) {
        Policy *p = prog->policies.v[i];
        char *src = ob_policy_source(p), *rules = ob_policy_rules(p);
        char eff[11] = "";
        if (p->effective != INT64_MIN) cal_fmt_date(p->effective, eff);
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, p->version);
        sqlite3_bind_text(st, 3, p->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, p->title, -1, SQLITE_STATIC);
        if (*eff) sqlite3_bind_text(st, 5, eff, -1, SQLITE_TRANSIENT);
        else sqlite3_bind_null(st, 5);
        sqlite3_bind_text(st, 6, p->loc.src->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, src, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, r->now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, rules, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        free(src);
        free(rules);
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(st);
            goto fail;
        }
    }
    sqlite3_finalize(st);
    /* the new and the listed obligations wait in run_new (see
     * stage_obligation) until they can be routed in due order, loaded and
     * printed in list order: a temporary table, so a due-list of millions
     * costs disk, not memory */
    if (exec1(db, "CREATE TEMP TABLE IF NOT EXISTS run_new(" STAGE_COLS "); DELETE FROM temp.run_new;"
                  "CREATE TEMP TABLE IF NOT EXISTS run_pol(pidx INTEGER PRIMARY KEY, policy, subject_table);"
                  "DELETE FROM temp.run_pol;"))
        goto fail;
    if (sqlite3_create_function(db, "rv_routed", 1, SQLITE_UTF8, r, sql_routed, NULL, NULL) != SQLITE_OK) goto fail;
    /* each policy's columns, joined to its staged rows when they are inserted */
    if (sqlite3_prepare_v2(db, "INSERT INTO temp.run_pol(pidx, policy, subject_table) VALUES (?, ?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < prog->policies.n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
        sqlite3_bind_text(st, 2, r->byid[i]->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->byid[i]->table, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            goto fail;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM main.obligations WHERE id = ?", -1, &r->known, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT staff FROM main.obligations WHERE rowid = ?", -1, &r->kstaff, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO temp.run_new(" STAGE_COLS ") VALUES "
                               "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &r->ins, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT id FROM main.question_scripts WHERE script = ?", -1, &r->qfind, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO main.question_scripts(script) VALUES (?)", -1, &r->qnew, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT id FROM main.obligation_rules WHERE policy = ? AND version = ? AND sha256 = ? "
                               "AND rule = ?", -1, &r->rfind, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO main.obligation_rules(policy, version, sha256, rule) VALUES (?,?,?,?)", -1,
                           &r->rnew, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO main.script_questions(script, qset, ordered, pos, question, "
                               "mandatory, affirmative) VALUES (?,?,?,?,?,?,?)", -1, &r->qs, NULL) != SQLITE_OK)
        goto fail;
    /* a store's first run (no obligations, and ids unique by an index that
     * can be dropped, not by the key of a store made before): the indexes
     * go until the evaluation is over, and done obligations are appended
     * as they come */
    if (sqlite3_prepare_v2(db, "SELECT NOT EXISTS (SELECT 1 FROM main.obligations) AND EXISTS (SELECT 1 FROM "
                               "main.sqlite_master WHERE name = 'obligations_id')", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    r->append = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (r->append) {
        StrBuf q = {0};
        /* OR FAIL: a row that failed would leave the rows before it of the
         * same statement in place (the run then rolls back as a whole), so
         * SQLite keeps no statement journal for it; with ABORT, every page a
         * statement touched was copied to one first (128 MB more written
         * in a first run at 100k) */
        sb_puts(&q, "INSERT OR FAIL INTO main.obligations(" OBL_COLS ") VALUES ");
        for (int k = 0; k < APPEND_ROWS; k++) {
            sb_puts(&q, k ? ",(" : "(");
            for (int c = 0; c < OBL_NCOLS; c++) sb_puts(&q, c ? ",?" : "?");
            sb_putc(&q, ')');
        }
        /* the first row's text is the one-row statement */
        size_t one = strlen("INSERT OR FAIL INTO main.obligations(" OBL_COLS ") VALUES ") + 2 * OBL_NCOLS + 1;
        int bad = exec1(db, "DROP INDEX main.obligations_id; " DROP_SECONDARY) ||
                  sqlite3_prepare_v2(db, sb_str(&q), (int)one, &r->app, NULL) != SQLITE_OK ||
                  sqlite3_prepare_v2(db, sb_str(&q), -1, &r->appn, NULL) != SQLITE_OK;
        sb_free(&q);
        if (bad) goto fail;
    }
    return r;
fail:
    store_error(db, "cannot record the run");
    rec_close(r);
    return NULL;
}

int rec_has_known(const Recorder *r) { return !r->append; }

void rec_defer_indexes(Recorder *r) { r->defer = 1; }

int rec_indexes_deferred(const Recorder *r) { return r->deferred; }

int rec_flush(Recorder *r)
{
    if (r->npend && append_pending(r)) {
        store_error(r->db, "cannot record the run");
        return -1;
    }
    return 0;
}

int rec_add(Recorder *r, const Obligation *ob)
{
    if (stage_obligation(r, ob)) {
        store_error(r->db, "cannot record the run");
        return -1;
    }
    if (!ob->done) {
        r->listed++;
        r->st[ob->status]++;
    }
    return 0;
}

static void col_cpy(sqlite3_stmt *st, int i, char *dst, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    str_copy(dst, n, t ? (const char *)t : "");
}

/* SQLite's text of column i of st, or NULL for a NULL (valid until the
 * next step of st). */
static char *col_view(sqlite3_stmt *st, int i)
{
    return (char *)(uintptr_t)sqlite3_column_text(st, i); /* read only: out_ never writes */
}

/* A listed obligation back from temp.run_new (LIST_SELECT), with what the
 * due-list shows (the columns of the table, in order), filled into *ob.
 * Its text fields point into st's current row (nothing to free; valid
 * until the next step of st): the due-list of a first run at 1M is 5
 * million rows, and ten allocations each were a part of its printing. */
static void listed_row(const Recorder *r, sqlite3_stmt *st, Obligation *ob)
{
    static char none[1]; /* "" for a NULL customer id or name */
    memset(ob, 0, sizeof *ob);
    int pidx = sqlite3_column_int(st, 1);
    ob->pol = r->byid[pidx >= 0 && (size_t)pidx < r->prog->policies.n ? pidx : 0];
    col_cpy(st, 0, ob->id, sizeof ob->id);
    ob->version = sqlite3_column_int(st, 2);
    ob->subject_table = ob->pol->table;
    ob->customer_id = col_view(st, 3);
    if (!ob->customer_id) ob->customer_id = none;
    ob->customer_name = col_view(st, 4);
    if (!ob->customer_name) ob->customer_name = none;
    ob->mobile = col_view(st, 5);
    ob->case_id = col_view(st, 6);
    col_cpy(st, 7, ob->due_from, sizeof ob->due_from);
    col_cpy(st, 8, ob->due_by, sizeof ob->due_by);
    ob->channels = col_view(st, 9);
    ob->assignees = col_view(st, 10);
    ob->staff = col_view(st, 11);
    ob->priority = sqlite3_column_int(st, 12);
    ob->status = sqlite3_column_int(st, 13);
    ob->questions = col_view(st, 14);
    col_cpy(st, 15, ob->window, sizeof ob->window);
    ob->department = col_view(st, 16);
}

/* After a first run's appending (r->append): the id index again.  Should
 * an id have come twice (two policies' ids colliding), the first row
 * appended stays, as INSERT OR IGNORE would have kept it, and r->added
 * counts the rows that stay.  0 or -1 (SQLite's error in db). */
static int append_index(Recorder *r)
{
    static const char *const id_index = "CREATE UNIQUE INDEX main.obligations_id ON obligations(id)";
    if (!exec1(r->db, id_index)) return 0;
    if ((sqlite3_extended_errcode(r->db) & 0xff) != SQLITE_CONSTRAINT) return -1;
    if (exec1(r->db, "DELETE FROM main.obligations WHERE rowid NOT IN (SELECT min(rowid) FROM main.obligations "
                     "GROUP BY id)"))
        return -1;
    r->added -= sqlite3_changes(r->db);
    return exec1(r->db, id_index);
}

/* run_new's columns as obligations takes them (OBL_COLS), with the staff
 * routed to each (run_routed t). */
#define NEW_COLS "n.id, p.policy, n.version, n.rule_id, ?1, p.subject_table, n.subject_id, n.customer_id, " \
                 "n.case_id, n.occurrence, n.due_from, n.due_by, n.channels, n.assignees, n.priority, "    \
                 "n.questions, n.facts, n.trigger_day, '', rv_routed(n.rowid), NULLIF(n.script, 0)"
/* ... from run_new n with its policy (run_pol p) */
#define NEW_FROM "temp.run_new n CROSS JOIN temp.run_pol p ON p.pidx = n.pidx WHERE NOT n.known"

/* Move the staged obligations into the store (rec_finish's steps insert
 * and indexes, timed into r->secs[1] and [2] from *t).  On a store's first
 * run they join the appended ones unsorted, as there is no index yet, and
 * the indexes are built once; otherwise they go in id order, and a batch
 * larger than what the store holds loads faster with the secondary indexes
 * rebuilt afterwards than updated row by row.  Sets r->added.  0 or -1. */
static int rec_load_new(Recorder *r, double *t)
{
    sqlite3 *db = r->db;
    int rebuild = r->append; /* build the indexes afterwards */
    if (!r->append) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT max(rowid) FROM main.obligations", -1, &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_int64 nnew = r->staged, nold = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        rebuild = nnew > 100000 && nnew > nold;
        if (rebuild && exec1(db, DROP_SECONDARY)) return -1;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, r->append ? "INSERT INTO main.obligations(" OBL_COLS ") SELECT " NEW_COLS " FROM " NEW_FROM
                                         : "INSERT OR IGNORE INTO main.obligations(" OBL_COLS ") SELECT " NEW_COLS
                                           " FROM " NEW_FROM " ORDER BY n.id",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, r->run_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return -1;
    r->added = r->appended + sqlite3_changes(db);
    double t2 = mono_seconds();
    r->secs[1] = t2 - *t;
    *t = t2;
    if (r->append && append_index(r)) return -1;
    if (rebuild && r->defer) r->deferred = 1;
    else if (rebuild && exec1(db, STORE_OBLIGATION_INDEXES)) return -1;
    t2 = mono_seconds();
    r->secs[2] = t2 - *t;
    *t = t2;
    return 0;
}

/* The due-list's rows with their staff (a known one's kept, a new one's
 * routed), in list order when sorted. */
static const char *const LIST_SELECT =
    "SELECT l.id, l.pidx, l.version, l.customer_id, l.name, l.mobile, l.case_id, l.due_from, l.due_by, l.channels, "
    "l.assignees, CASE WHEN l.known THEN l.staff "
    "ELSE rv_routed(l.rowid) END, "
    "l.priority, l.status, l.questions, l.window, l.department FROM temp.run_new l WHERE l.listed";

int rec_finish(Recorder *r, EvalResult *res, int64_t as_of, OutStream *out)
{
    sqlite3 *db = r->db;
    sqlite3_stmt *st = NULL;
    Router *rt = NULL;
    int rc;
    double t = mono_seconds(), t2;
    if (r->npend && append_pending(r)) goto fail;
    if (r->route) {
        /* the new ones in due order, spread evenly over the staff */
        if (!(rt = route_open(db))) return -1;
        if (sqlite3_prepare_v2(db, "SELECT rowid, assignees, department FROM temp.run_new WHERE listed AND NOT known "
                                   "AND assignees <> '' ORDER BY due_by, id", -1, &st, NULL) != SQLITE_OK)
            goto fail;
        /* picked in due order, kept by staged row in memory (4 bytes a
         * row; a temporary table keyed by row cost two more writes and a
         * sort of millions of rows), read back by rv_routed */
        r->nrouted = (size_t)r->maxrow + 1;
        r->routed = xcalloc(r->nrouted, sizeof *r->routed);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            char *staff = route_pick(rt, (const char *)sqlite3_column_text(st, 1),
                                     (const char *)sqlite3_column_text(st, 2));
            sqlite3_int64 row = sqlite3_column_int64(st, 0);
            if (staff && row > 0 && (size_t)row < r->nrouted) r->routed[row] = (uint32_t)intern(&r->picked, staff);
            free(staff);
        }
        sqlite3_finalize(st);
        st = NULL;
        route_close(rt);
        rt = NULL;
        if (rc != SQLITE_DONE) goto fail;
    }
    t2 = mono_seconds();
    r->secs[0] = t2 - t;
    t = t2;
    if (rec_load_new(r, &t)) goto fail;
    /* their questions went in with them: each names its script
     * (obligations.script), stored once as it was staged (store_script) */
    if (out && out->fmt == FMT_TABLE) {
        /* the table's column widths, before its first line */
        if (sqlite3_prepare_v2(db, LIST_SELECT, -1, &st, NULL) != SQLITE_OK) goto fail;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            Obligation ob;
            listed_row(r, st, &ob);
            out_measure(out, &ob);
        }
        sqlite3_finalize(st);
        st = NULL;
        if (rc != SQLITE_DONE) goto fail;
    }
    /* eligible and drawn per trigger day, for coverage figures */
    if (sqlite3_prepare_v2(db, "INSERT INTO policy_groups(policy, grp, version, eligible, drawn, coverage_bp, run_id) "
                               "VALUES (?,?,?,?,?,?,?) ON CONFLICT(policy, grp) DO UPDATE SET version = excluded.version, "
                               "eligible = excluded.eligible, drawn = excluded.drawn, coverage_bp = excluded.coverage_bp, "
                               "run_id = excluded.run_id", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    long suppressed = 0;
    for (int i = 0; i < res->nstats; i++) {
        const PolicyStats *ps = &res->stats[i];
        suppressed += ps->suppressed;
        for (int g = 0; g < ps->ngrp; g++) {
            char day[11];
            cal_fmt_date(ps->grp[g], day);
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, ps->pol->id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 3, ps->pol->version);
            sqlite3_bind_int64(st, 4, ps->grp_eligible[g]);
            sqlite3_bind_int64(st, 5, ps->grp_drawn[g]);
            sqlite3_bind_int64(st, 6, ps->pol->coverage < 0 ? 10000 : ps->pol->coverage);
            sqlite3_bind_int64(st, 7, r->run_id);
            if (sqlite3_step(st) != SQLITE_DONE) goto fail;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "UPDATE runs SET listed = ?, added = ?, suppressed = ? WHERE id = ?", -1, &st, NULL) !=
        SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, r->listed);
    sqlite3_bind_int64(st, 2, r->added);
    sqlite3_bind_int64(st, 3, suppressed);
    sqlite3_bind_int64(st, 4, r->run_id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) goto fail;
    res->raised = 0;
    if (esc_record_run(db, r->prog, res, as_of, &res->raised) || chain_seal(db, NULL)) goto fail;
    r->secs[3] = mono_seconds() - t;
    return 0;
fail:
    sqlite3_finalize(st);
    route_close(rt);
    store_error(db, "cannot record the run");
    return -1;
}

int rec_output(Recorder *r, OutStream *out)
{
    sqlite3_stmt *st = NULL;
    /* staff (LIST_SELECT): the people a new obligation was just routed to,
     * or those an older one keeps in the store (read by rec_add) */
    StrBuf q = {0};
    sb_puts(&q, LIST_SELECT);
    sb_puts(&q, " ORDER BY l.status DESC, l.priority, l.due_by, l.pidx, l.customer_id, l.id");
    int prc = sqlite3_prepare_v2(r->db, sb_str(&q), -1, &st, NULL);
    sb_free(&q);
    if (prc != SQLITE_OK) {
        store_error(r->db, "cannot read the due-list back");
        return -1;
    }
    out_header(out);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        Obligation ob;
        listed_row(r, st, &ob);
        out_row(out, &ob);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_error(r->db, "cannot read the due-list back");
        return -1;
    }
    return 0;
}

void rec_steps(const Recorder *r, double secs[4])
{
    memcpy(secs, r->secs, sizeof r->secs);
}

void rec_counts(const Recorder *r, long *added, long *listed, long st[3], sqlite3_int64 *run_id)
{
    if (added) *added = r->added;
    if (listed) *listed = r->listed;
    if (st) memcpy(st, r->st, sizeof r->st);
    if (run_id) *run_id = r->run_id;
}

void rec_close(Recorder *r)
{
    if (!r) return;
    sqlite3_finalize(r->known);
    sqlite3_finalize(r->app);
    sqlite3_finalize(r->appn);
    sqlite3_finalize(r->ins);
    sqlite3_finalize(r->qs);
    sqlite3_finalize(r->qfind);
    sqlite3_finalize(r->qnew);
    sqlite3_finalize(r->kstaff);
    free(r->staff);
    sqlite3_finalize(r->rfind);
    sqlite3_finalize(r->rnew);
    exec1(r->db, "DROP TABLE IF EXISTS temp.run_new; DROP TABLE IF EXISTS temp.run_pol");
    free(r->sids);
    interned_free(&r->scripts);
    for (size_t i = 0; r->rids && i < r->prog->policies.n; i++) {
        for (size_t k = 0; k < r->rids[i].n; k++) free(r->rids[i].v[k].text);
        free(r->rids[i].v);
    }
    free(r->rids);
    interned_free(&r->picked);
    free(r->routed);
    sqlite3_create_function(r->db, "rv_routed", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
    free(r->byid);
    free(r);
}

int run_record(sqlite3 *db, Program *prog, EvalResult *res, int horizon, int64_t as_of, long *added,
               long *suppressed, sqlite3_int64 *run_id)
{
    Recorder *r = rec_open(db, prog, horizon, as_of, 0);
    if (!r) return -1;
    int rc = 0;
    for (size_t i = 0; i < res->obls.n && !rc; i++) rc = rec_add(r, res->obls.v[i]);
    if (!rc) rc = rec_finish(r, res, as_of, NULL);
    *suppressed = 0;
    for (int i = 0; i < res->nstats; i++) *suppressed += res->stats[i].suppressed;
    rec_counts(r, added, NULL, NULL, run_id);
    rec_close(r);
    return rc;
}

static void summary(FILE *f, long n, const long st[3], const EvalResult *res, const char *tail)
{
    long done = 0;
    for (int i = 0; i < res->nstats; i++) done += res->stats[i].done;
    char donetxt[48] = "";
    if (done) snprintf(donetxt, sizeof donetxt, "; %ld already done", done);
    fprintf(f, "%ld obligation%s: %ld overdue, %ld due, %ld upcoming%s%s\n", n, n == 1 ? "" : "s", st[ST_OVERDUE],
            st[ST_DUE], st[ST_UPCOMING], donetxt, tail ? tail : "");
    long sup = 0, wait = 0;
    for (int i = 0; i < res->nstats; i++) {
        sup += res->stats[i].suppressed;
        wait += res->stats[i].not_yet;
    }
    long pend = 0;
    for (int i = 0; i < res->nstats; i++) pend += res->stats[i].pending;
    if (pend) {
        fprintf(f, "pending: %ld subject%s in sampling periods not over yet (drawn once the period ends):", pend,
                pend == 1 ? "" : "s");
        for (int i = 0; i < res->nstats; i++)
            if (res->stats[i].pending) fprintf(f, " %s %ld", res->stats[i].pol->id, res->stats[i].pending);
        fputc('\n', f);
    }
    if (wait) {
        fprintf(f, "waiting: %ld schedule%s whose start is not known yet (no such event or date so far):", wait,
                wait == 1 ? "" : "s");
        for (int i = 0; i < res->nstats; i++)
            if (res->stats[i].not_yet) fprintf(f, " %s %ld", res->stats[i].pol->id, res->stats[i].not_yet);
        fputc('\n', f);
    }
    if (sup) {
        fprintf(f, "suppressed %ld subject%s whose customer is marked do_not_contact:", sup, sup == 1 ? "" : "s");
        for (int i = 0; i < res->nstats; i++)
            if (res->stats[i].suppressed) fprintf(f, " %s %ld", res->stats[i].pol->id, res->stats[i].suppressed);
        fputc('\n', f);
    }
}

/* Load, check against the store, and compute hashes.  Returns exit code. */
static int prepare(const Opts *o, sqlite3 *db, Program **progp, Schema **schemap)
{
    Program *prog = load_new();
    *progp = prog;
    if (!o->nargs && !o->published) {
        fprintf(stderr, "revisit: name the policy files or folders to use (or --published)\n");
        return EXIT_USAGE;
    }
    if (o->nargs && o->published) {
        fprintf(stderr, "revisit: --published runs the store's versions: name no policy files with it\n");
        return EXIT_USAGE;
    }
    int errs = load_paths(prog, o->args, o->nargs);
    Schema *schema = store_schema(db);
    *schemap = schema;
    if (!schema) return EXIT_STORE;
    if (!errs) errs = chk_program(prog, schema);
    if (errs) {
        diag_summary("nothing was run");
        return EXIT_FINDINGS;
    }
    run_hash_policies(prog);
    return EXIT_OK;
}

void run_hash_policies(Program *prog)
{
    for (size_t i = 0; i < prog->policies.n; i++) {
        Policy *p = prog->policies.v[i];
        char *src = ob_policy_source(p);
        sha256_hex(src, strlen(src), p->sha256);
        free(src);
    }
}

/* run --stats: per policy, then the phases, on stderr. */
static void print_stats(const EvalResult *res, double eval, double rec, double outp, double ckpt, double secondary,
                        const double steps[4])
{
    long t[7] = {0};
    double secs = 0;
    fprintf(stderr, "%-32s %10s %10s %10s %10s %10s %10s %9s\n", "policy", "rows", "eligible", "listed", "done", "later",
            "skipped", "seconds");
    for (int i = 0; i < res->nstats; i++) {
        const PolicyStats *ps = &res->stats[i];
        long skipped = ps->suppressed + ps->sampled_out + ps->pending;
        fprintf(stderr, "%-32s %10ld %10ld %10ld %10ld %10ld %10ld %9.3f\n", ps->pol ? ps->pol->id : "?", ps->rows,
                ps->eligible, ps->listed, ps->done, ps->later, skipped, ps->secs);
        t[0] += ps->rows, t[1] += ps->eligible, t[2] += ps->listed, t[3] += ps->done, t[4] += ps->later;
        t[5] += skipped;
        secs += ps->secs;
    }
    fprintf(stderr, "%-32s %10ld %10ld %10ld %10ld %10ld %10ld %9.3f\n", "total", t[0], t[1], t[2], t[3], t[4], t[5],
            secs);
    fprintf(stderr, "phases: evaluate %.3f s (worker threads; new obligations staged meanwhile), record %.3f s (route "
                    "%.3f, insert %.3f, indexes %.3f, groups/escalations/seal %.3f), output %.3f s, "
                    "checkpoint %.3f s (beside the output)",
            eval, rec, steps[0], steps[1], steps[2], steps[3], outp, ckpt);
    if (secondary > 0) fprintf(stderr, ", secondary indexes %.3f s (after the commit, beside the output)", secondary);
    fputc('\n', stderr);
}

/* The evaluation's sink for `run`: record, then free. */
static int run_sink(void *ctx, Obligation *ob)
{
    int rc = rec_add(ctx, ob);
    if (!rc) rc = rec_flush(ctx);
    ob_free(ob);
    return rc;
}

/* ---- two cores: workers evaluate, this thread records ----
 * The policies are evaluated by worker threads, each on a read-only
 * connection of its own (WAL lets them read while this connection holds
 * the write transaction; they start reading after that transaction is
 * taken, so they see exactly what the run would have seen), and the
 * obligations come through one bounded queue to this thread, which
 * records them and hands them back to their maker to be freed.  Each
 * connection is used by one thread only. */
enum { PIPE_BATCH = 512, PIPE_CAP = 4096, MAX_EVAL = 2, PUSH_BATCH = 64 };

typedef struct {
    pthread_mutex_t mu;       /* guards everything below */
    pthread_cond_t more;      /* a batch arrived, or the producers ended */
    pthread_cond_t room;      /* items left, or the consumer failed */
    Obligation *q[PIPE_CAP];  /* ring of obligations in flight (owned) */
    unsigned char who[PIPE_CAP]; /* the producer of each */
    size_t head, n;           /* first item, how many */
    PtrVec spent[MAX_EVAL];   /* Obligation* recorded, per producer, for it to free (owned) */
    int ended;                /* the evaluation is over */
    int failed;               /* recording failed: the evaluation stops */
} Pipe;

typedef struct {
    Pipe *pipe;               /* shared with the recorder */
    int k;                    /* which producer */
    PtrVec mine;              /* recorded obligations it is freeing (its own, unguarded) */
    Obligation *out[PUSH_BATCH]; /* made, not yet in the pipe (owned; unguarded) */
    int nout;
} Producer;

typedef struct {
    Pipe *pipe;               /* shared with the recorder */
    Producer prod[MAX_EVAL];  /* one per evaluating worker */
    int nprod;                /* how many workers */
    const char *path;         /* the store */
    Program *prog;            /* what to evaluate (read by the workers only meanwhile) */
    const Schema *schema;     /* its schema */
    EvalOpts eo[MAX_EVAL];    /* options per worker, with pipe_push as the sink */
    EvalResult *res;          /* results other than obligations */
    int rc;                   /* ob_evaluate's return, or 3 when the store would not open */
} EvalJob;

/* Free what the recorder is done with, on the thread that allocated it:
 * ob_free keeps each in the calling thread's pool, and it is the maker's
 * pool that the evaluation refills from. */
static void free_spent(PtrVec *v)
{
    for (size_t i = 0; i < v->n; i++) ob_free(v->v[i]);
    v->n = 0;
}

/* Move pr's made obligations into the pipe, waiting for room (one lock
 * for them all, not one per obligation: the producers and the recorder
 * contend for it).  0, or -1 when recording failed (they are freed). */
static int push_made(Producer *pr)
{
    Pipe *p = pr->pipe;
    int n = pr->nout;
    pr->nout = 0;
    pthread_mutex_lock(&p->mu);
    while (p->n + (size_t)n > PIPE_CAP && !p->failed) pthread_cond_wait(&p->room, &p->mu);
    int failed = p->failed;
    if (!failed) {
        for (int i = 0; i < n; i++) {
            size_t at = (p->head + p->n) % PIPE_CAP;
            p->q[at] = pr->out[i];
            p->who[at] = (unsigned char)pr->k;
            p->n++;
        }
        /* wake the recorder for a batch, not for each obligation: a wake-up
         * per item costs more than the item */
        if (p->n >= PIPE_BATCH) pthread_cond_signal(&p->more);
        if (p->spent[pr->k].n >= PIPE_BATCH) { /* take the recorded ones back */
            PtrVec t = p->spent[pr->k];
            p->spent[pr->k] = pr->mine;
            pr->mine = t;
        }
    }
    pthread_mutex_unlock(&p->mu);
    if (failed)
        for (int i = 0; i < n; i++) ob_free(pr->out[i]);
    free_spent(&pr->mine);
    return failed ? -1 : 0;
}

static int pipe_push(void *ctx, Obligation *ob)
{
    Producer *pr = ctx;
    pr->out[pr->nout++] = ob;
    return pr->nout == PUSH_BATCH ? push_made(pr) : 0;
}

/* The evaluating side: one read connection per worker, each in a read
 * transaction begun after the run's write transaction was taken (no other
 * writer can commit in between, so all see the same snapshot, which is
 * what the run would have seen). */
static void *eval_thread(void *arg)
{
    EvalJob *j = arg;
    sqlite3 *rdb[MAX_EVAL] = {0};
    const EvalOpts *opts[MAX_EVAL];
    int n = 0;
    for (int k = 0; k < j->nprod; k++) {
        sqlite3 *c = store_open(j->path, 1);
        if (!c) break;
        exec1(c, "PRAGMA cache_size = -16384");
        if (exec1(c, "BEGIN")) {
            sqlite3_close(c);
            break;
        }
        rdb[n] = c;
        opts[n] = &j->eo[n];
        n++;
    }
    j->rc = n ? ob_evaluate_parallel(rdb, n, j->prog, j->schema, opts, j->res) : EXIT_STORE;
    /* the workers are over: what they made last goes in from here */
    for (int k = 0; k < j->nprod; k++)
        if (j->prod[k].nout) push_made(&j->prod[k]);
    for (int k = 0; k < n; k++) {
        exec1(rdb[k], "COMMIT");
        sqlite3_close(rdb[k]);
    }
    pthread_mutex_lock(&j->pipe->mu);
    j->pipe->ended = 1;
    pthread_cond_signal(&j->pipe->more);
    pthread_mutex_unlock(&j->pipe->mu);
    return NULL;
}

/* How many policies to evaluate at once: REVISIT_WORKERS (1 or 2) when
 * set, else two where there are two cores (the recorder shares them),
 * else one. */
static int eval_workers(void)
{
    const char *env = getenv("REVISIT_WORKERS");
    if (env && *env) {
        int n = atoi(env);
        return n < 1 ? 1 : n > MAX_EVAL ? MAX_EVAL : n;
    }
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c >= 2 ? MAX_EVAL : 1;
}

/* Evaluate prog, recording every obligation into rec: the policies on
 * worker threads of their own (the obligations go back to the thread that
 * made them to be freed) while this thread records; on this thread alone
 * through eo->sink when a thread cannot be started.  Returns ob_evaluate's
 * codes. */
static int evaluate_piped(const char *path, sqlite3 *db, Program *prog, const Schema *schema, const EvalOpts *eo,
                          Recorder *rec, EvalResult *res)
{
    Pipe *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->more, NULL);
    pthread_cond_init(&p->room, NULL);
    EvalJob *j = xcalloc(1, sizeof *j);
    j->pipe = p;
    j->nprod = eval_workers();
    j->path = path;
    j->prog = prog;
    j->schema = schema;
    j->res = res;
    for (int k = 0; k < j->nprod; k++) {
        j->prod[k] = (Producer){.pipe = p, .k = k};
        j->eo[k] = *eo;
        j->eo[k].sink = pipe_push;
        j->eo[k].sink_ctx = &j->prod[k];
        if (k) j->eo[k].progress = NULL; /* one progress line */
    }
    pthread_t th;
    int rc;
    if (pthread_create(&th, NULL, eval_thread, j)) {
        rc = ob_evaluate(db, prog, schema, eo, res);
    } else {
        Obligation *batch[PIPE_CAP];
        unsigned char who[PIPE_CAP];
        int bad = 0;
        for (;;) {
            pthread_mutex_lock(&p->mu);
            while (p->n < PIPE_BATCH && !p->ended) pthread_cond_wait(&p->more, &p->mu);
            size_t n = p->n;
            for (size_t i = 0; i < n; i++) {
                batch[i] = p->q[(p->head + i) % PIPE_CAP];
                who[i] = p->who[(p->head + i) % PIPE_CAP];
            }
            p->head = (p->head + n) % PIPE_CAP;
            p->n = 0;
            int ended = p->ended;
            pthread_cond_broadcast(&p->room);
            pthread_mutex_unlock(&p->mu);
            for (size_t i = 0; i <= n && !bad; i++) {
                /* the batch's pending ones are appended before it goes back */
                if (i < n ? rec_add(rec, batch[i]) : rec_flush(rec)) {
                    bad = 1;
                    pthread_mutex_lock(&p->mu);
                    p->failed = 1;
                    pthread_cond_broadcast(&p->room);
                    pthread_mutex_unlock(&p->mu);
                }
            }
            pthread_mutex_lock(&p->mu);
            for (size_t i = 0; i < n; i++) pv_push(&p->spent[who[i]], batch[i]);
            pthread_mutex_unlock(&p->mu);
            if (ended && !n) break;
        }
        pthread_join(th, NULL);
        rc = bad ? EXIT_STORE : j->rc;
    }
    for (int k = 0; k < MAX_EVAL; k++) { /* the workers have ended */
        free_spent(&p->spent[k]);
        pv_free(&p->spent[k]);
        free_spent(&j->prod[k].mine);
        pv_free(&j->prod[k].mine);
    }
    free(j);
    pthread_cond_destroy(&p->more);
    pthread_cond_destroy(&p->room);
    pthread_mutex_destroy(&p->mu);
    free(p);
    return rc;
}

/* The secondary indexes a run left for after its commit
 * (rec_indexes_deferred), built beside its printing. */
typedef struct {
    const char *path;         /* the store */
    double secs;              /* how long it took */
    int rc;                   /* store_index_obligations' */
    char err[256];            /* SQLite's message when rc is -1 */
} IndexJob;

static void index_build(IndexJob *j)
{
    double t = mono_seconds();
    j->rc = store_index_obligations(j->path, j->err, sizeof j->err);
    j->secs = mono_seconds() - t;
}

static void *index_thread(void *arg)
{
    index_build(arg);
    return NULL;
}

/* What runs beside a run's printing: the checkpoint of the run's pages,
 * then, once the secondary indexes are built (here, after it, or on a
 * thread of their own, beside it), the checkpoint of theirs. */
typedef struct {
    const char *path;         /* the store */
    const char *wal;          /* its WAL's file name (SQLite's, valid while the run's
                                 connection is open) when its pages are to be dropped
                                 (ckpt_copy), or NULL */
    IndexJob *ij;             /* the indexes to build after the checkpoint, or NULL */
    pthread_t *indexing;      /* the index thread to wait for, or NULL */
    double secs;              /* how long the copying took */
} CkptJob;

/* A WAL this large is dropped from the page cache once it is copied, and
 * the indexes are built after the copy instead of beside it (ckpt_copy);
 * a smaller one stays, as building the indexes beside the copy ends
 * sooner when memory is not what they wait for (a first run of the
 * subset at 100k has about 30 MB of WAL and took about 0.15 s longer
 * with them after it). */
#define WAL_DROP_BYTES ((off_t)256 << 20)

/* Copy the WAL into the database and then drop the WAL's pages from the
 * page cache: once copied, nothing reads them again, and a first run's
 * are gigabytes, which the printing and the index build would otherwise
 * have to find in memory nobody has used lately.  At 1M customers,
 * dropping them took the printing from about 20 s to about 16 s
 * (docs/performance.md).  The pages are on disk by then (the checkpoint
 * synced the WAL before copying it), so dropping them loses nothing;
 * fdatasync makes sure of it, as the kernel drops only clean pages.  A
 * checkpoint that cannot be made now, or not all of it (say, a reader
 * holds the WAL), is SQLite's to finish later: the last connection to
 * close makes it, reading from disk what was dropped. */
static void ckpt_copy(const CkptJob *j)
{
    if (store_checkpoint(j->path) || !j->wal) return;
    int fd = open(j->wal, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    if (!fdatasync(fd)) (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd); /* SQLite holds no lock on the WAL file itself: closing drops none */
}

/* Indexes built after the run's checkpoint (j->ij) read the database,
 * not the WAL (a reader that starts once the WAL is all copied ignores
 * it), and their own pages go to the start of the WAL again instead of
 * after the run's. */
static void *ckpt_thread(void *arg)
{
    CkptJob *j = arg;
    double t = mono_seconds();
    ckpt_copy(j);
    j->secs = mono_seconds() - t;
    if (j->ij) index_build(j->ij);
    if (j->indexing) pthread_join(*j->indexing, NULL);
    if (j->ij || j->indexing) {
        t = mono_seconds();
        ckpt_copy(j);
        j->secs += mono_seconds() - t;
    }
    return NULL;
}

/* ---- early writeback ----
 * A run's transaction writes its pages to the WAL as the page cache fills,
 * and the COMMIT waits until the disk has them all (fsync); the checkpoint
 * then writes them into the database and waits again.  The kernel would
 * hold most of those bytes until the fsync asked for them.  This thread
 * asks the kernel every FLUSH_MS to start writing what is dirty in the two
 * files (sync_file_range: it starts the writes, waits for none), so the
 * disk works while the run computes and the fsyncs find little left to
 * do.  What is durable, and at which point, does not change: the fsyncs
 * are the same; only the writing starts sooner. */
enum { FLUSH_MS = 100 };

typedef struct {
    const char *file[2];      /* the WAL's and the database's file names, as SQLite has them
                                 (valid while the run's connection is open, which outlives
                                 the thread) */
    pthread_mutex_t mu;       /* guards stop */
    pthread_cond_t cv;        /* stop was set */
    int stop;                 /* the run is over */
    int fd[2];                /* the WAL and the database, opened by the thread; closed only
                                 once the store is closed, as closing a descriptor of the
                                 database drops every POSIX lock this process holds on it */
} Flusher;

static void *flush_thread(void *arg)
{
    Flusher *f = arg;
#ifdef __linux__
    int *fds = f->fd;
    pthread_mutex_lock(&f->mu);
    while (!f->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += FLUSH_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&f->cv, &f->mu, &ts);
        if (f->stop) break;
        pthread_mutex_unlock(&f->mu);
        for (int i = 0; i < 2; i++) {
            if (fds[i] < 0 && f->file[i]) fds[i] = open(f->file[i], O_RDONLY | O_CLOEXEC);
            if (fds[i] >= 0) (void)sync_file_range(fds[i], 0, 0, SYNC_FILE_RANGE_WRITE);
        }
        pthread_mutex_lock(&f->mu);
    }
    pthread_mutex_unlock(&f->mu);
#else
    (void)f;
#endif
    return NULL;
}

/* Stop f's thread th and wait for it (its descriptors stay open, see Flusher). */
static void flush_stop(Flusher *f, pthread_t th)
{
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(th, NULL);
}

int cmd_run(const Opts *o)
{
    if (!o->store) {
        fprintf(stderr, "revisit: run needs a store: revisit run -s STORE POLICY...\n");
        return EXIT_USAGE;
    }
    int64_t as_of = cli_as_of(o);
    if (as_of < 0) return EXIT_USAGE;
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    /* modest page caches (bench/: larger ones cost more in faulting fresh
     * pages in than they save), and one helper thread for SQLite's sorts
     * (the recording's sorts run after the evaluating thread has ended) */
    exec1(db, "PRAGMA cache_size = -16384; PRAGMA temp.cache_size = -8192; PRAGMA threads = 1");
    /* the run writes only rows of its own making, each naming a runs,
     * obligation_rules or question_scripts row it has just read or written
     * in the same transaction: checking every reference of millions of
     * them (a lookup each, 2.6 % of a first run's instructions) finds
     * nothing (tests/cli/first_run.sh checks the store afterwards) */
    exec1(db, "PRAGMA foreign_keys = OFF");
    /* the WAL is copied into the database beside the printing (below), not
     * by the COMMIT */
    exec1(db, "PRAGMA wal_autocheckpoint = 0");
    /* SQLite is built here with secure_delete on: dropping the run's staging
     * tables at the end would overwrite every page of them with zeros (GBs
     * on a first run at a million customers).  A temporary file is unlinked
     * when SQLite opens it and goes with the connection: nothing to erase. */
    exec1(db, "PRAGMA temp.secure_delete = OFF");
    Program *prog = NULL;
    Schema *schema = NULL;
    EvalResult res = {0};
    Flusher fl = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .fd = {-1, -1}};
    pthread_t fl_th;
    int flushing = 0;
    int rc = prepare(o, db, &prog, &schema);
    FILE *out = NULL;
    int written = 0; /* the due-list is complete in out: -o FILE may be replaced */
    Program *extra = NULL;
    size_t nfile = prog ? prog->policies.n : 0;
    if (rc) goto done;
    /* the published versions that stand in for files not in force yet */
    if (ver_in_effect(db, prog, as_of, o->published, &extra)) {
        rc = EXIT_STORE;
        goto done;
    }
    if (extra) {
        if (chk_program(extra, schema)) {
            diag_summary("a published version does not check against this store; nothing was run");
            rc = EXIT_FINDINGS;
            goto done;
        }
        run_hash_policies(extra);
        if (o->published) prog->policies.n = 0; /* the store's versions only */
        for (size_t i = 0; i < extra->policies.n; i++) pv_push(&prog->policies, extra->policies.v[i]);
    }
    /* the output opens before anything is written, so a bad -o changes nothing */
    out = cli_output(o);
    if (!out) {
        rc = EXIT_STORE;
        goto done;
    }
    /* a store never analysed gets sampled statistics first (committed on
     * their own, so the evaluating connection sees them), so that SQLite
     * sends per-case subqueries down the case's index, not the kind's */
    sqlite3_stmt *an = NULL;
    int analysed = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_stat1 LIMIT 1", -1, &an, NULL) == SQLITE_OK &&
                   sqlite3_step(an) == SQLITE_ROW;
    sqlite3_finalize(an);
    if (!analysed && exec1(db, "PRAGMA analysis_limit = 1000; ANALYZE")) {
        store_error(db, "cannot analyse the store");
        rc = EXIT_STORE;
        goto done;
    }
    /* a store's first run (no obligations yet) commits without waiting for
     * the disk: the checkpoint after it (ckpt_thread) syncs the WAL before
     * copying it and the database after, and the index build that follows
     * (rec_indexes_deferred) commits with synchronous = FULL, whose
     * fdatasync of the WAL makes both transactions durable should the
     * checkpoint not have been made.  Until then a power cut can lose the
     * run, never part of it.  Should no index build follow (another run
     * filled the store first), a full checkpoint after the commit syncs
     * the run's pages instead. */
    int first = store_has_row(db, "SELECT 1 FROM main.obligations LIMIT 1", NULL, NULL) == 0;
    if (first) exec1(db, "PRAGMA synchronous = NORMAL");
    /* one write transaction, taken before reading so that two runs never
     * interleave: the second waits (busy timeout) or fails clearly */
    if (exec1(db, "BEGIN IMMEDIATE")) {
        fprintf(stderr, "revisit: the store is busy (another run is writing): %s\n", sqlite3_errmsg(db));
        rc = EXIT_STORE;
        goto done;
    }
    fl.file[1] = sqlite3_db_filename(db, "main");
    fl.file[0] = fl.file[1] ? sqlite3_filename_wal(fl.file[1]) : NULL;
    flushing = !pthread_create(&fl_th, NULL, flush_thread, &fl);
    if (o->reveal && chain_log_reveal(db, "run --reveal")) {
        store_error(db, "cannot log the reveal");
        exec1(db, "ROLLBACK");
        rc = EXIT_STORE;
        goto done;
    }
    Recorder *rec = rec_open(db, prog, o->horizon, as_of, 1);
    if (!rec) {
        exec1(db, "ROLLBACK");
        rc = EXIT_STORE;
        goto done;
    }
    rec_defer_indexes(rec);
    EvalOpts eo = {.as_of = as_of, .horizon = o->horizon, .explain_plan = o->explain_plan ? stderr : NULL,
                   .sink = run_sink, .sink_ctx = rec, .progress = isatty(2) ? stderr : NULL,
                   .skip_known_done = rec_has_known(rec)};
    double t0 = mono_seconds();
    rc = evaluate_piped(o->store, db, prog, schema, &eo, rec, &res);
    double t1 = mono_seconds();
    int fmt = o->format >= 0 ? o->format : FMT_TABLE;
    OutStream os;
    out_start(&os, out, (OutFormat)fmt, o->reveal);
    if (!rc && eo.progress) fprintf(stderr, "revisit: recording and routing the due-list...\r");
    if (!rc && rec_finish(rec, &res, as_of, &os)) rc = EXIT_STORE;
    if (eo.progress) fprintf(stderr, "\033[K");
    if (rc || exec1(db, "COMMIT")) {
        if (!rc) store_error(db, "cannot commit the run");
        exec1(db, "ROLLBACK");
        if (!rc) rc = EXIT_STORE;
        rec_close(rec);
        goto done;
    }
    double t2 = mono_seconds();
    /* the due-list: what is not done yet, while another thread copies the
     * run's WAL into the database (a first run's can be gigabytes) and the
     * secondary indexes the run left are built (a transaction of their
     * own: the run's rows and its id index are committed, and a store
     * opened for writing makes whatever index is missing, should this one
     * not end): after the copy when the WAL is large, beside it on a
     * thread of their own otherwise; then their part of the WAL is copied
     * (ckpt_thread) */
    IndexJob ij = {.path = o->store};
    int deferred = rec_indexes_deferred(rec);
    struct stat ws;
    int big = fl.file[0] && !stat(fl.file[0], &ws) && ws.st_size >= WAL_DROP_BYTES;
    int indexing = deferred && !big;
    pthread_t ix;
    if (indexing && pthread_create(&ix, NULL, index_thread, &ij)) {
        index_build(&ij);
        indexing = 0;
    }
    pthread_t ck;
    CkptJob cj = {.path = o->store,
                  .wal = big ? fl.file[0] : NULL,
                  .ij = deferred && big ? &ij : NULL,
                  .indexing = indexing ? &ix : NULL};
    int ckpt = !pthread_create(&ck, NULL, ckpt_thread, &cj);
    if (!ckpt) ckpt_thread(&cj);
    if (rec_output(rec, &os)) rc = EXIT_STORE;
    else written = 1;
    fflush(out);
    double t3 = mono_seconds();
    if (ckpt) pthread_join(ck, NULL);
    if (ij.rc) {
        fprintf(stderr, "revisit: the run is recorded, but the indexes of its obligations could not be built (%s); "
                        "the store builds them when it is next opened for writing\n", ij.err);
        rc = EXIT_STORE;
    }
    /* a first run that no index build's FULL commit followed: a full
     * checkpoint syncs it before run ends */
    if (first && (!deferred || ij.rc))
        exec1(db, "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(FULL)");
    double steps[4];
    rec_steps(rec, steps);
    if (o->stats) print_stats(&res, t1 - t0, t2 - t1, t3 - t2, cj.secs, ij.secs, steps);
    long added = 0, listed = 0, st[3];
    sqlite3_int64 run_id = 0;
    rec_counts(rec, &added, &listed, st, &run_id);
    rec_close(rec);
    char tail[160];
    snprintf(tail, sizeof tail, "; %ld new in the store (run %lld)", added, (long long)run_id);
    if (res.raised)
        snprintf(tail + strlen(tail), sizeof tail - strlen(tail), "; %d escalation%s raised", res.raised,
                 res.raised == 1 ? "" : "s");
    summary(fmt == FMT_TABLE && out == stdout ? stdout : stderr, listed, st, &res, tail);
    if (o->fail_on_overdue && st[ST_OVERDUE] && !rc) rc = EXIT_FINDINGS;
done:
    if (flushing) flush_stop(&fl, fl_th);
    if (out && cli_output_end(out, o, written)) rc = EXIT_STORE;
    ob_result_free(&res);
    store_schema_free(schema);
    if (prog) {
        if (extra) prog->policies.n = nfile; /* the borrowed ones belong to extra */
        program_free(prog);
    }
    if (extra) program_free(extra);
    sqlite3_close(db);
    for (int i = 0; i < 2; i++)
        if (fl.fd[i] >= 0) close(fl.fd[i]);
    return rc;
}

int cmd_due(const Opts *o)
{
    if (!o->store) {
        fprintf(stderr, "revisit: due needs a store: revisit due -s STORE\n");
        return EXIT_USAGE;
    }
    int64_t as_of = cli_as_of(o);
    if (as_of < 0) return EXIT_USAGE;
    sqlite3 *db = store_open(o->store, o->reveal ? 0 : 1);
    if (!db) return EXIT_STORE;
    if (o->reveal && chain_log_reveal(db, "due --reveal")) {
        store_error(db, "cannot log the reveal");
        sqlite3_close(db);
        return EXIT_STORE;
    }
    sqlite3_stmt *st = NULL;
    /* one customer's through the index obligations_customer: SQLite uses
     * no index for "?1 IS NULL OR o.customer_id = ?1", and would read every
     * obligation of the store (a second at a million customers) */
#define DUE_SQL(customer)                                                                                          \
    "SELECT o.id, o.policy, o.version, o.customer_id, c.name, c.mobile, o.case_id, o.due_from, o.due_by, "          \
    "o.channels, o.assignees, o.priority, o.questions, o.staff FROM obligations o LEFT JOIN customers c ON c.id = " \
    "o.customer_id WHERE NOT EXISTS (SELECT 1 FROM visits v WHERE v.outcome = 'completed' AND v.at < ?3 AND "      \
    "v.id NOT IN (SELECT corrects FROM visits WHERE corrects IS NOT NULL) AND (v.obligation_id = o.id OR "          \
    "(v.obligation_id IS NULL AND v.customer_id = o.customer_id AND "                                               \
    "(v.case_id IS NULL OR v.case_id = o.case_id) AND v.at >= substr(o.due_from, 1, 10) AND "                      \
    "v.at < date(substr(o.due_by, 1, 10), '+31 days')))) "                                                          \
    "AND " customer " AND substr(o.due_from, 1, 10) <= ?2"
    const char *sql = o->customer ? DUE_SQL("o.customer_id = ?1") : DUE_SQL("?1 IS NULL");
#undef DUE_SQL
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "due");
        sqlite3_close(db);
        return EXIT_STORE;
    }
    char asof[11], lim[11];
    cal_fmt_date(as_of, asof);
    cal_fmt_date(as_of + o->horizon, lim);
    sqlite3_bind_text(st, 1, o->customer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lim, -1, SQLITE_STATIC);
    char upto[11];
    cal_fmt_date(as_of + 1, upto);
    sqlite3_bind_text(st, 3, upto, -1, SQLITE_STATIC);
    PtrVec v = {0};
    PtrVec pols = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        Obligation *ob = xcalloc(1, sizeof *ob);
        /* a stand-in policy carrying just the id */
        Policy *p = xcalloc(1, sizeof *p);
        p->id = xstrdup((const char *)sqlite3_column_text(st, 1));
        pv_push(&pols, p);
        ob->pol = p;
        snprintf(ob->id, sizeof ob->id, "%s", (const char *)sqlite3_column_text(st, 0));
        ob->version = sqlite3_column_int(st, 2);
#define TXT(i) (sqlite3_column_text(st, i) ? xstrdup((const char *)sqlite3_column_text(st, i)) : NULL)
        ob->customer_id = TXT(3);
        ob->customer_name = TXT(4);
        if (!ob->customer_name) ob->customer_name = xstrdup("");
        ob->mobile = TXT(5);
        ob->case_id = TXT(6);
        snprintf(ob->due_from, sizeof ob->due_from, "%s", (const char *)sqlite3_column_text(st, 7));
        snprintf(ob->due_by, sizeof ob->due_by, "%s", (const char *)sqlite3_column_text(st, 8));
        ob->channels = TXT(9);
        ob->assignees = TXT(10);
        ob->priority = sqlite3_column_int(st, 11);
        ob->questions = TXT(12);
        ob->staff = TXT(13);
#undef TXT
        int64_t f = 0, b = 0;
        cal_parse_date(ob->due_from, 10, &f);
        cal_parse_date(ob->due_by, 10, &b);
        ob->status = ob_status(f, b, as_of);
        pv_push(&v, ob);
    }
    sqlite3_finalize(st);
    int code = EXIT_OK;
    if (rc != SQLITE_DONE) {
        store_error(db, "due");
        code = EXIT_STORE;
    } else {
        FILE *out = cli_output(o);
        if (!out) code = EXIT_STORE;
        else {
            out_sort((Obligation **)v.v, v.n);
            int fmt = o->format >= 0 ? o->format : FMT_TABLE;
            out_duelist(out, fmt, (Obligation **)v.v, v.n, o->reveal);
            EvalResult none = {0};
            long nst[3] = {0, 0, 0};
            for (size_t i = 0; i < v.n; i++) nst[((Obligation *)v.v[i])->status]++;
            summary(fmt == FMT_TABLE && out == stdout ? stdout : stderr, (long)v.n, nst, &none, " (open in the store)");
            if (o->fail_on_overdue)
                for (size_t i = 0; i < v.n; i++)
                    if (((Obligation *)v.v[i])->status == ST_OVERDUE) code = EXIT_FINDINGS;
            if (cli_output_end(out, o, 1)) code = EXIT_STORE;
        }
    }
    for (size_t i = 0; i < v.n; i++) ob_free(v.v[i]);
    for (size_t i = 0; i < pols.n; i++) {
        free(((Policy *)pols.v[i])->id);
        free(pols.v[i]);
    }
    pv_free(&v);
    pv_free(&pols);
    sqlite3_close(db);
    return code;
}

/* Print a JSON object's members one per line, indented (facts are flat
 * enough that this reads well). */
static void print_facts(const char *json)
{
    int depth = 0, instr = 0, brackets = 0;
    for (const char *p = json; *p; p++) {
        char c = *p;
        if (instr) {
            putchar(c);
            if (c == '\\' && p[1]) putchar(*++p);
            else if (c == '"') instr = 0;
            continue;
        }
        if (c == '"') {
            instr = 1;
            putchar(c);
        } else if (c == '{') {
            depth++;
            fputs("\n", stdout);
            for (int i = 0; i < depth; i++) fputs("  ", stdout);
        } else if (c == '}') {
            depth--;
        } else if (c == '[' || c == ']') {
            brackets += c == '[' ? 1 : -1;
            putchar(c);
        } else if (c == ',') {
            if (!brackets && (depth <= 1 || p[1] == '"')) {
                fputs("\n", stdout);
                for (int i = 0; i < depth; i++) fputs("  ", stdout);
            } else {
                fputs(", ", stdout);
            }
        } else if (c == ':') {
            fputs(": ", stdout);
        } else {
            putchar(c);
        }
    }
    putchar('\n');
}

/* The questions line of explain: each asked set as "set(n)" with the ids
 * of its applicable questions in order (from obligation_questions; a set
 * whose rows are not there shows its count only), one set per line. */
static void explain_questions(sqlite3 *db, const char *id, const char *sets)
{
    if (!*sets) {
        printf("questions   -\n");
        return;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT question FROM obligation_questions WHERE obligation_id = ? AND qset = ? "
                               "ORDER BY pos", -1, &st, NULL) != SQLITE_OK)
        st = NULL;
    const char *p = sets;
    for (int k = 0; *p; k++) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *paren = memchr(p, '(', n);
        char *set = xstrndup(p, paren ? (size_t)(paren - p) : n);
        printf("%s%.*s", k ? "            " : "questions   ", (int)n, p);
        if (st) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, set, -1, SQLITE_STATIC);
            for (int i = 0; sqlite3_step(st) == SQLITE_ROW; i++)
                printf("%s%s", i ? ", " : ": ", (const char *)sqlite3_column_text(st, 0));
        }
        putchar('\n');
        free(set);
        p += n;
        if (*p == ',') p++;
    }
    sqlite3_finalize(st);
}

int cmd_explain(const Opts *o)
{
    if (!o->store || o->nargs != 1) {
        fprintf(stderr, "revisit: usage: revisit explain -s STORE OBLIGATION-ID\n");
        return EXIT_USAGE;
    }
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    if (!strncmp(o->args[0], "E-", 2)) {
        int rc = esc_explain(db, o->args[0]);
        sqlite3_close(db);
        return rc;
    }
    sqlite3_stmt *st = NULL;
    const char *sql =
        "SELECT o.id, o.policy, o.version, u.sha256, o.subject_table, o.subject_id, o.customer_id, c.name, "
        "o.occurrence, o.due_from, o.due_by, o.channels, o.assignees, o.priority, o.questions, u.rule, o.facts, "
        "o.run_id, r.as_of, p.title, p.effective, p.file, p.source, "
        "(SELECT group_concat(v.id || ' ' || v.at || ' ' || v.outcome, '; ') FROM visits v WHERE v.obligation_id = o.id) "
        "FROM obligations o LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN runs r ON r.id = o.run_id "
        "LEFT JOIN obligation_rules u ON u.id = o.rule_id "
        "LEFT JOIN policy_versions p ON p.policy = u.policy AND p.version = u.version AND p.sha256 = u.sha256 "
        "WHERE o.id = ?";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "explain");
        sqlite3_close(db);
        return EXIT_STORE;
    }
    sqlite3_bind_text(st, 1, o->args[0], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int code = EXIT_OK;
    if (rc != SQLITE_ROW) {
        fprintf(stderr, "revisit: no obligation %s in %s\n", o->args[0], o->store);
        code = EXIT_FINDINGS;
    } else {
#define T(i) (sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")
        printf("obligation  %s\n", T(0));
        printf("policy      %s version %d%s%s%s (sha256 %.12s)\n", T(1), sqlite3_column_int(st, 2),
               *T(19) ? " \"" : "", T(19), *T(19) ? "\"" : "", T(3));
        if (*T(20)) printf("effective   %s\n", T(20));
        printf("file        %s\n", T(21));
        printf("subject     %s %s (customer %s %s)\n", T(4), T(5), T(6), T(7));
        printf("occurrence  %s\n", T(8));
        printf("rule        %s\n", T(15));
        printf("due         from %s by %s\n", T(9), T(10));
        printf("channels    %s\n", T(11));
        printf("assignees   %s\n", *T(12) ? T(12) : "-");
        printf("priority    %d\n", sqlite3_column_int(st, 13));
        explain_questions(db, T(0), T(14));
        printf("first run   %lld (as of %s)\n", (long long)sqlite3_column_int64(st, 17), T(18));
        printf("visits      %s\n", *T(23) ? T(23) : "none recorded");
        printf("facts:");
        print_facts(T(16));
        printf("policy source:\n%s", T(22));
#undef T
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return code;
}
