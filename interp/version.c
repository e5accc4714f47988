/* version.c - policy versions: publishing them into the store, their
 * history, choosing the version in effect on a date, the semantic diff of
 * two versions, and the impact of a change replayed on the store's data.
 *
 * A published version keeps a self-contained source (the `use` and
 * `column` lines it needs, the question sets it asks, the policy) and the
 * SHA-256 of its canonical form (canon.c: layout and comments do not
 * count).  Publishing identical meaning again is a no-op; publishing a
 * changed policy under a version already published is refused. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cal.h"
#include "canon.h"
#include "check.h"
#include "cli.h"
#include "diag.h"
#include "load.h"
#include "oblig.h"
#include "out.h"
#include "run.h"
#include "store.h"
#include "verdict.h"
#include "version.h"

static void now_text(char out[20])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

char *ver_canonical(const Policy *p)
{
    StrBuf b = {0};
    canon_policy(&b, p);
    if (p->asks && p->qsets)
        for (int k = 0; p->asks[k]; k++)
            if (p->qsets[k]) canon_qset(&b, p->qsets[k]);
    return sb_take(&b);
}

/* The self-contained source stored with a published version. */
static char *stored_source(const Program *prog, const Policy *p)
{
    StrBuf b = {0};
    for (size_t i = 0; i < prog->uses.n; i++) {
        const Use *u = prog->uses.v[i];
        if (u->loc.src != p->loc.src) continue;
        char *t = diag_loc_text(&u->loc);
        sb_printf(&b, "%s\n", t);
        free(t);
    }
    for (size_t i = 0; i < prog->columns.n; i++) {
        const ColumnDecl *c = prog->columns.v[i];
        sb_printf(&b, "column %s.%s %s\n", c->table, c->name, c->type);
    }
    if (p->asks && p->qsets)
        for (int k = 0; p->asks[k]; k++) {
            const QSet *q = p->qsets[k];
            if (!q) continue;
            /* sets from stdlib come back through `use`; others are copied */
            int from_use = 0;
            for (size_t i = 0; i < prog->uses.n; i++) {
                const Use *u = prog->uses.v[i];
                if (u->loc.src == p->loc.src && u->kind && !strcmp(u->kind, "questions") && q->loc.src &&
                    strstr(q->loc.src->path, "/questions/"))
                    from_use = 1;
            }
            if (from_use || q->loc.src != p->loc.src) {
                if (q->loc.src != p->loc.src && !from_use) {
                    char *t = diag_loc_lines(&q->loc);
                    sb_puts(&b, t);
                    free(t);
                }
                continue;
            }
            char *t = diag_loc_lines(&q->loc);
            sb_puts(&b, t);
            free(t);
        }
    /* a calendar declared beside the policy (with what it extends) travels with it */
    for (const Calendar *c = p->cal; c; c = c->parent)
        if (c->loc.src == p->loc.src) {
            char *ct = diag_loc_lines(&c->loc);
            sb_puts(&b, ct);
            free(ct);
        }
    if (p->calendar) sb_printf(&b, "\n");
    char *t = diag_loc_lines(&p->loc);
    sb_puts(&b, t);
    free(t);
    return sb_take(&b);
}

static int load_checked(Program *prog, char **paths, int n, Schema *schema)
{
    int errs = load_paths(prog, paths, n);
    if (!errs) errs = chk_program(prog, schema);
    return errs;
}

int cmd_publish(const Opts *o)
{
    if (!o->store || !o->nargs || !o->staff || !o->message) {
        fprintf(stderr, "revisit: usage: revisit publish -s STORE POLICY... --by NAME --message TEXT\n");
        return EXIT_USAGE;
    }
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    Schema *schema = store_schema(db);
    Program *prog = load_new();
    int code = EXIT_OK;
    if (!schema || load_checked(prog, o->args, o->nargs, schema)) {
        diag_summary("nothing was published");
        code = EXIT_FINDINGS;
        goto out;
    }
    char now[20];
    now_text(now);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    sqlite3_stmt *get = NULL, *ins = NULL;
    if (sqlite3_prepare_v2(db, "SELECT sha256 FROM published WHERE policy = ? AND version = ?", -1, &get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO published(policy, version, sha256, title, effective, source, canonical, author, "
                               "message, published_at) VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK) {
        sqlite3_finalize(get);
        goto fail;
    }
    int published = 0, same = 0, refused = 0;
    for (size_t i = 0; i < prog->policies.n; i++) {
        Policy *p = prog->policies.v[i];
        char *canon = ver_canonical(p);
        char sha[65];
        sha256_hex(canon, strlen(canon), sha);
        /* the highest version published so far */
        sqlite3_stmt *mx;
        long long maxv = 0;
        if (sqlite3_prepare_v2(db, "SELECT coalesce(max(version), 0) FROM published WHERE policy = ?", -1, &mx, NULL) == SQLITE_OK) {
            sqlite3_bind_text(mx, 1, p->id, -1, SQLITE_STATIC);
            if (sqlite3_step(mx) == SQLITE_ROW) maxv = sqlite3_column_int64(mx, 0);
            sqlite3_finalize(mx);
        }
        sqlite3_reset(get);
        sqlite3_bind_text(get, 1, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(get, 2, p->version);
        if (sqlite3_step(get) == SQLITE_ROW) {
            if (!strcmp((const char *)sqlite3_column_text(get, 0), sha)) {
                printf("%s version %lld: unchanged, already published\n", p->id, (long long)p->version);
                same++;
            } else {
                diag_error(p->version_loc.src ? &p->version_loc : &p->loc,
                           "policy %s version %lld is already published with a different meaning: raise its version",
                           p->id, (long long)p->version);
                refused++;
            }
        } else if (p->version < maxv) {
            diag_error(p->version_loc.src ? &p->version_loc : &p->loc,
                       "policy %s version %lld is older than the published version %lld", p->id, (long long)p->version,
                       maxv);
            refused++;
        } else {
            char eff[11] = "";
            if (p->effective != INT64_MIN) cal_fmt_date(p->effective, eff);
            char *src = stored_source(prog, p);
            sqlite3_reset(ins);
            sqlite3_bind_text(ins, 1, p->id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 2, p->version);
            sqlite3_bind_text(ins, 3, sha, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 4, p->title, -1, SQLITE_STATIC);
            if (*eff) sqlite3_bind_text(ins, 5, eff, -1, SQLITE_TRANSIENT);
            else sqlite3_bind_null(ins, 5);
            sqlite3_bind_text(ins, 6, src, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 7, canon, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 8, o->staff, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 9, o->message, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 10, now, -1, SQLITE_STATIC);
            int rc = sqlite3_step(ins);
            free(src);
            if (rc != SQLITE_DONE) {
                free(canon);
                sqlite3_finalize(get);
                sqlite3_finalize(ins);
                goto fail;
            }
            printf("%s version %lld published (sha256 %.12s)\n", p->id, (long long)p->version, sha);
            published++;
        }
        free(canon);
    }
    sqlite3_finalize(get);
    sqlite3_finalize(ins);
    if (refused) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        diag_summary("nothing was published");
        code = EXIT_FINDINGS;
        goto out;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    printf("%d published, %d unchanged\n", published, same);
    goto out;
fail:
    store_error(db, "publish");
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    code = EXIT_STORE;
out:
    program_free(prog);
    store_schema_free(schema);
    sqlite3_close(db);
    return code;
}

int cmd_history(const Opts *o)
{
    if (!o->store || o->nargs != 1) {
        fprintf(stderr, "revisit: usage: revisit history -s STORE POLICY\n");
        return EXIT_USAGE;
    }
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT version, coalesce(effective, '-'), substr(sha256, 1, 12), author, published_at, "
                               "message FROM published WHERE policy = ? ORDER BY version", -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "history");
        sqlite3_close(db);
        return EXIT_STORE;
    }
    sqlite3_bind_text(st, 1, o->args[0], -1, SQLITE_STATIC);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (!n++) printf("VERSION  EFFECTIVE   SHA256        PUBLISHED BY / AT                  MESSAGE\n");
        printf("%-7d  %-10s  %-12s  %s, %s  %s\n", sqlite3_column_int(st, 0), sqlite3_column_text(st, 1),
               sqlite3_column_text(st, 2), sqlite3_column_text(st, 3), sqlite3_column_text(st, 4),
               sqlite3_column_text(st, 5));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (!n) {
        fprintf(stderr, "revisit: policy %s has no published version in %s\n", o->args[0], o->store);
        return EXIT_FINDINGS;
    }
    return EXIT_OK;
}

/* ---- the version in effect ---- */
int ver_in_effect(sqlite3 *db, Program *files, int64_t as_of, int published_only, Program **extra)
{
    *extra = NULL;
    sqlite3_stmt *st;
    /* per policy id, the highest published version in effect on as_of */
    const char *sql =
        "SELECT p.policy, p.version, p.source FROM published p WHERE (p.effective IS NULL OR p.effective <= ?1) AND "
        "p.version = (SELECT max(q.version) FROM published q WHERE q.policy = p.policy AND "
        "(q.effective IS NULL OR q.effective <= ?1)) ORDER BY p.policy";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "cannot read published versions");
        return -1;
    }
    char asof[11];
    cal_fmt_date(as_of, asof);
    sqlite3_bind_text(st, 1, asof, -1, SQLITE_STATIC);
    Program *x = load_new();
    int errs = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        long long v = sqlite3_column_int64(st, 1);
        int take = published_only;
        if (!take) {
            /* a file's version takes precedence when it is in force */
            const Policy *f = NULL;
            for (size_t i = 0; i < files->policies.n; i++)
                if (!strcmp(((Policy *)files->policies.v[i])->id, id)) f = files->policies.v[i];
            take = f && f->effective != INT64_MIN && f->effective > as_of && f->version > v;
        }
        if (!take) continue;
        char name[160];
        snprintf(name, sizeof name, "%s@v%lld", id, v);
        const char *src = (const char *)sqlite3_column_text(st, 2);
        errs += load_text(x, name, src, strlen(src));
    }
    sqlite3_finalize(st);
    if (!errs) errs += load_paths(x, NULL, 0); /* their `use` lines */
    if (errs) {
        program_free(x);
        return -1;
    }
    *extra = x;
    return 0;
}

/* ---- semantic diff ---- */

/* Load one side: a file/folder, or POLICY@vN from the store. */
static Program *load_side(const char *arg, sqlite3 *db, Schema *schema)
{
    Program *prog = load_new();
    const char *at = strstr(arg, "@v");
    int errs = 0;
    if (at && db) {
        char *id = xstrndup(arg, (size_t)(at - arg));
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT source FROM published WHERE policy = ? AND version = ?", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, atoll(at + 2));
            if (sqlite3_step(st) == SQLITE_ROW) {
                const char *src = (const char *)sqlite3_column_text(st, 0);
                errs = load_text(prog, arg, src, strlen(src));
                if (!errs) errs = load_paths(prog, NULL, 0);
            } else {
                diag_error(NULL, "%s: no such published version", arg);
                errs = 1;
            }
            sqlite3_finalize(st);
        }
        free(id);
    } else {
        char *p = xstrdup(arg);
        errs = load_paths(prog, &p, 1);
        free(p);
    }
    if (!errs) errs = chk_program(prog, schema);
    if (errs) {
        program_free(prog);
        return NULL;
    }
    return prog;
}

static void split_and(const Expr *e, PtrVec *out)
{
    if (e && e->kind == E_BIN && e->op == OP_AND) {
        split_and(e->a, out);
        split_and(e->b, out);
    } else if (e) {
        pv_push(out, canon_expr_text(e));
    }
}

static int in_vec(const PtrVec *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i], s)) return 1;
    return 0;
}

static void free_vec(PtrVec *v)
{
    for (size_t i = 0; i < v->n; i++) free(v->v[i]);
    pv_free(v);
}

/* Lines of a canonical text that start with prefix, as a vector. */
static void lines_with(const char *text, const char *prefix, PtrVec *out)
{
    size_t n = strlen(prefix);
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const char *q = p;
        while (*q == ' ' && q < p + len) q++;
        if (!strncmp(q, prefix, n)) pv_push(out, xstrndup(q, len - (size_t)(q - p)));
        if (!e) break;
        p = e + 1;
    }
}

static int diff_pair(const Policy *a, const Policy *b)
{
    int changes = 0;
#define SAY(...) do { printf("%s: ", b->id); printf(__VA_ARGS__); putchar('\n'); changes++; } while (0)
    if (a->version != b->version) SAY("version %lld -> %lld", (long long)a->version, (long long)b->version);
    if (a->effective != b->effective) {
        char x[11] = "-", y[11] = "-";
        if (a->effective != INT64_MIN) cal_fmt_date(a->effective, x);
        if (b->effective != INT64_MIN) cal_fmt_date(b->effective, y);
        SAY("effective %s -> %s", x, y);
    }
    if ((a->title || b->title) && (!a->title || !b->title || strcmp(a->title, b->title)))
        SAY("title \"%s\" -> \"%s\"", a->title ? a->title : "", b->title ? b->title : "");
    if (strcmp(a->table, b->table)) SAY("applies to %s -> %s", a->table, b->table);
    PtrVec fa = {0}, fb = {0};
    split_and(a->where, &fa);
    split_and(b->where, &fb);
    for (size_t i = 0; i < fb.n; i++)
        if (!in_vec(&fa, fb.v[i])) SAY("selection narrowed: added condition %s", (char *)fb.v[i]);
    for (size_t i = 0; i < fa.n; i++)
        if (!in_vec(&fb, fa.v[i])) SAY("selection widened: removed condition %s", (char *)fa.v[i]);
    free_vec(&fa);
    free_vec(&fb);
    size_t ns = a->scheds.n > b->scheds.n ? a->scheds.n : b->scheds.n;
    for (size_t i = 0; i < ns; i++) {
        StrBuf x = {0}, y = {0};
        if (i < a->scheds.n) canon_sched(&x, a->scheds.v[i]);
        if (i < b->scheds.n) canon_sched(&y, b->scheds.v[i]);
        if (strcmp(sb_str(&x), sb_str(&y))) {
            if (!x.len) SAY("schedule added: %s", sb_str(&y));
            else if (!y.len) SAY("schedule removed: %s", sb_str(&x));
            else SAY("deadline: %s -> %s", sb_str(&x), sb_str(&y));
        }
        sb_free(&x);
        sb_free(&y);
    }
    /* the remaining clauses compare by their canonical lines */
    StrBuf ca = {0}, cb = {0};
    canon_policy(&ca, a);
    canon_policy(&cb, b);
    static const char *const clauses[] = {"coverage", "contact", "assign", "priority", "attempts", "deny", "problem",
                                          "dissatisfied", "calendar", "escalate"};
    for (size_t c = 0; c < sizeof clauses / sizeof *clauses; c++) {
        PtrVec la = {0}, lb = {0};
        lines_with(sb_str(&ca), clauses[c], &la);
        lines_with(sb_str(&cb), clauses[c], &lb);
        if (la.n == 1 && lb.n == 1 && strcmp(la.v[0], lb.v[0])) SAY("%s -> %s", (char *)la.v[0], (char *)lb.v[0]);
        else {
            for (size_t i = 0; i < lb.n; i++)
                if (!in_vec(&la, lb.v[i])) SAY("added: %s", (char *)lb.v[i]);
            for (size_t i = 0; i < la.n; i++)
                if (!in_vec(&lb, la.v[i])) SAY("removed: %s", (char *)la.v[i]);
        }
        free_vec(&la);
        free_vec(&lb);
    }
    sb_free(&ca);
    sb_free(&cb);
    /* channels */
    for (char **c = b->channels; c && *c; c++) {
        int had = 0;
        for (char **d = a->channels; d && *d; d++) had |= !strcmp(*c, *d);
        if (!had) SAY("channel added: %s", *c);
    }
    for (char **c = a->channels; c && *c; c++) {
        int has = 0;
        for (char **d = b->channels; d && *d; d++) has |= !strcmp(*c, *d);
        if (!has) SAY("channel removed: %s", *c);
    }
    /* questions, set by set, question by question */
    for (int k = 0; b->asks && b->asks[k]; k++) {
        const QSet *qb = b->qsets[k], *qa = NULL;
        for (int j = 0; a->asks && a->asks[j]; j++)
            if (!strcmp(a->asks[j], b->asks[k])) qa = a->qsets[j];
        if (!qa) {
            SAY("question set added: %s", b->asks[k]);
            continue;
        }
        if (qa->ordered != qb->ordered) SAY("questions %s: %s", qb->id, qb->ordered ? "now asked in order" : "order no longer required");
        for (size_t i = 0; i < qb->qs.n; i++) {
            const Question *y = qb->qs.v[i], *x = NULL;
            for (size_t j = 0; j < qa->qs.n; j++)
                if (!strcmp(((Question *)qa->qs.v[j])->id, y->id)) x = qa->qs.v[j];
            if (!x) {
                SAY("question %s.%s added%s", qb->id, y->id, y->mandatory ? " (mandatory)" : "");
                continue;
            }
            if (x->mandatory != y->mandatory) SAY("question %s.%s made %s", qb->id, y->id, y->mandatory ? "mandatory" : "optional");
            if ((x->affirmative || y->affirmative) &&
                (!x->affirmative || !y->affirmative || strcmp(x->affirmative, y->affirmative)))
                SAY("question %s.%s: affirmative answer \"%s\" -> \"%s\"", qb->id, y->id,
                    x->affirmative ? x->affirmative : "", y->affirmative ? y->affirmative : "");
            char *cx = canon_expr_text(x->when), *cy = canon_expr_text(y->when);
            if (strcmp(cx, cy)) SAY("question %s.%s: condition \"%s\" -> \"%s\"", qb->id, y->id, cx, cy);
            if (strcmp(x->text, y->text)) SAY("question %s.%s: wording changed", qb->id, y->id);
            free(cx);
            free(cy);
        }
        for (size_t j = 0; j < qa->qs.n; j++) {
            const Question *x = qa->qs.v[j];
            int kept = 0;
            for (size_t i = 0; i < qb->qs.n; i++) kept |= !strcmp(((Question *)qb->qs.v[i])->id, x->id);
            if (!kept) SAY("question %s.%s removed", qa->id, x->id);
        }
    }
    for (int j = 0; a->asks && a->asks[j]; j++) {
        int kept = 0;
        for (int k = 0; b->asks && b->asks[k]; k++) kept |= !strcmp(a->asks[j], b->asks[k]);
        if (!kept) SAY("question set removed: %s", a->asks[j]);
    }
#undef SAY
    return changes;
}

int cmd_diff(const Opts *o)
{
    if (o->nargs != 2) {
        fprintf(stderr, "revisit: usage: revisit diff [-s STORE] OLD NEW   (files, folders, or POLICY@vN from the store)\n");
        return EXIT_USAGE;
    }
    sqlite3 *db = o->store ? store_open(o->store, 1) : store_memory();
    if (!db) return EXIT_STORE;
    Schema *schema = store_schema(db);
    if (!schema) {
        sqlite3_close(db);
        return EXIT_STORE;
    }
    schema->documented = !o->store;
    Program *a = load_side(o->args[0], o->store ? db : NULL, schema);
    Program *b = a ? load_side(o->args[1], o->store ? db : NULL, schema) : NULL;
    int code = EXIT_OK;
    if (!a || !b) {
        diag_summary(NULL);
        code = EXIT_USAGE;
    } else {
        int changes = 0;
        for (size_t i = 0; i < b->policies.n; i++) {
            const Policy *pb = b->policies.v[i], *pa = NULL;
            for (size_t j = 0; j < a->policies.n; j++)
                if (!strcmp(((Policy *)a->policies.v[j])->id, pb->id)) pa = a->policies.v[j];
            /* comparing POLICY@v3 with POLICY@v4: one policy on each side */
            if (!pa && a->policies.n == 1 && b->policies.n == 1) pa = a->policies.v[0];
            if (!pa) {
                printf("%s: policy added\n", pb->id);
                changes++;
            } else {
                changes += diff_pair(pa, pb);
            }
        }
        for (size_t j = 0; j < a->policies.n; j++) {
            const Policy *pa = a->policies.v[j];
            int kept = a->policies.n == 1 && b->policies.n == 1;
            for (size_t i = 0; i < b->policies.n; i++) kept |= !strcmp(((Policy *)b->policies.v[i])->id, pa->id);
            if (!kept) {
                printf("%s: policy removed\n", pa->id);
                changes++;
            }
        }
        if (!changes) printf("no change in meaning\n");
        code = changes ? EXIT_FINDINGS : EXIT_OK;
    }
    if (a) program_free(a);
    if (b) program_free(b);
    store_schema_free(schema);
    sqlite3_close(db);
    return code;
}

/* ---- impact: replay a period under two versions ---- */
typedef struct {
    char *id, *policy, *subject, *due_by, *verdict; /* heap */
} Row;

static int cmp_row(const void *x, const void *y) { return strcmp((*(Row *const *)x)->id, (*(Row *const *)y)->id); }

static void rows_free(PtrVec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        Row *r = v->v[i];
        free(r->id);
        free(r->policy);
        free(r->subject);
        free(r->due_by);
        free(r->verdict);
        free(r);
    }
    pv_free(v);
}

/* Copy the store into memory, evaluate prog over the period, judge it,
 * and collect (obligation, due by, verdict).  Returns 0 or -1. */
static int replay(sqlite3 *store, Program *prog, int64_t from, int64_t to, int64_t as_of, PtrVec *rows,
                  long *covered, long *eligible)
{
    sqlite3 *mem = NULL;
    if (sqlite3_open(":memory:", &mem) != SQLITE_OK) return -1;
    sqlite3_backup *bk = sqlite3_backup_init(mem, "main", store, "main");
    if (!bk || sqlite3_backup_step(bk, -1) != SQLITE_DONE) {
        sqlite3_backup_finish(bk);
        sqlite3_close(mem);
        return -1;
    }
    sqlite3_backup_finish(bk);
    /* a clean slate for what the versions produce (the copy only, in this
     * revisit's layout, which store_create_schema makes sure of) */
    if (store_create_schema(mem)) {
        sqlite3_close(mem);
        return -1;
    }
    sqlite3_exec(mem, "INSERT OR REPLACE INTO revisit_meta(key, value) VALUES ('purging', '1');"
                      "DELETE FROM verdicts; DELETE FROM obligations; DELETE FROM script_questions;"
                      "DELETE FROM question_scripts;"
                      "DELETE FROM policy_groups; DELETE FROM escalations; DELETE FROM escalation_cites;"
                      "DELETE FROM revisit_meta WHERE key = 'purging'", NULL, NULL, NULL);
    Schema *schema = store_schema(mem);
    EvalOpts eo = {.as_of = to, .horizon = (int)(as_of - to > 400 ? as_of - to : 400), .quiet = 1};
    EvalResult res = {0};
    int rc = schema ? ob_evaluate(mem, prog, schema, &eo, &res) : -1;
    long added, sup;
    sqlite3_int64 run_id;
    if (!rc) {
        sqlite3_exec(mem, "BEGIN", NULL, NULL, NULL);
        rc = run_record(mem, prog, &res, eo.horizon, to, &added, &sup, &run_id);
        sqlite3_exec(mem, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    }
    VdResult *vr = rc ? NULL : vd_judge(mem, from, to, as_of);
    if (!vr) rc = -1;
    for (size_t i = 0; vr && i < vd_count(vr); i++) {
        Row *r = xcalloc(1, sizeof *r);
        r->id = xstrdup(vd_id(vr, i));
        r->policy = xstrdup(vd_policy(vr, i));
        r->subject = xstrdup(vd_subject(vr, i));
        r->due_by = xstrdup(vd_due_by(vr, i));
        r->verdict = xstrdup(vd_verdict(vr, i));
        pv_push(rows, r);
    }
    *covered = *eligible = 0;
    for (size_t i = 0; vr && i < prog->policies.n; i++) {
        long c, e;
        vd_coverage(mem, vr, ((Policy *)prog->policies.v[i])->id, from, to, &c, &e);
        *covered += c;
        *eligible += e;
    }
    vd_free(vr);
    ob_result_free(&res);
    store_schema_free(schema);
    sqlite3_close(mem);
    if (rows->n > 1) qsort(rows->v, rows->n, sizeof *rows->v, cmp_row);
    return rc;
}

int cmd_impact(const Opts *o)
{
    int64_t from, to;
    if (!o->store || !o->period || o->nargs != 2) {
        fprintf(stderr, "revisit: usage: revisit impact -s STORE --period P [--as-of DATE] [--format F] OLD NEW\n");
        return EXIT_USAGE;
    }
    if (cli_parse_period(o->period, &from, &to)) {
        fprintf(stderr, "revisit: --period '%s' is not a period\n", o->period);
        return EXIT_USAGE;
    }
    int64_t as_of = cli_as_of(o);
    if (as_of < 0) return EXIT_USAGE;
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    Schema *schema = store_schema(db);
    Program *a = schema ? load_side(o->args[0], db, schema) : NULL;
    Program *b = a ? load_side(o->args[1], db, schema) : NULL;
    int code = EXIT_OK;
    PtrVec ra = {0}, rb = {0};
    long ca = 0, ea = 0, cb = 0, eb = 0;
    if (!a || !b) {
        diag_summary(NULL);
        code = EXIT_USAGE;
        goto out;
    }
    run_hash_policies(a);
    run_hash_policies(b);
    if (replay(db, a, from, to, as_of, &ra, &ca, &ea) || replay(db, b, from, to, as_of, &rb, &cb, &eb)) {
        store_error(db, "impact");
        code = EXIT_STORE;
        goto out;
    }
    /* merge by obligation id */
    long added = 0, removed = 0, earlier = 0, later = 0, flipped = 0;
    StrBuf rows = {0};
    size_t i = 0, j = 0;
    int fmt = o->format >= 0 ? o->format : FMT_TABLE;
    while (i < ra.n || j < rb.n) {
        Row *x = i < ra.n ? ra.v[i] : NULL, *y = j < rb.n ? rb.v[j] : NULL;
        int c = !x ? 1 : !y ? -1 : strcmp(x->id, y->id);
        const char *what = NULL;
        char detail[160] = "";
        Row *r = c < 0 ? x : y;
        if (c < 0) {
            removed++;
            what = "removed";
            snprintf(detail, sizeof detail, "was due by %s", x->due_by);
            i++;
        } else if (c > 0) {
            added++;
            what = "added";
            snprintf(detail, sizeof detail, "due by %s", y->due_by);
            j++;
        } else {
            int moved = strcmp(x->due_by, y->due_by);
            int flip = strcmp(x->verdict, y->verdict);
            if (moved < 0) later++;
            if (moved > 0) earlier++;
            if (flip) flipped++;
            if (moved || flip) {
                what = moved ? (moved > 0 ? "deadline earlier" : "deadline later") : "verdict flips";
                snprintf(detail, sizeof detail, "due by %s -> %s; %s -> %s", x->due_by, y->due_by, x->verdict, y->verdict);
            }
            i++;
            j++;
        }
        if (what) {
            if (fmt == FMT_CSV) sb_printf(&rows, "%s,%s,%s,%s,\"%s\"\r\n", r->id, r->policy, r->subject, what, detail);
            else if (fmt == FMT_JSON) {
                sb_printf(&rows, "{\"obligation\":\"%s\",\"policy\":", r->id);
                sb_json_str(&rows, r->policy);
                sb_puts(&rows, ",\"subject\":");
                sb_json_str(&rows, r->subject);
                sb_printf(&rows, ",\"change\":\"%s\",\"detail\":", what);
                sb_json_str(&rows, detail);
                sb_puts(&rows, "}\n");
            } else sb_printf(&rows, "  %-14s  %-20s  %-10s  %-16s  %s\n", r->id, r->policy, r->subject, what, detail);
        }
    }
    char pf[11], pt[11];
    cal_fmt_date(from, pf);
    cal_fmt_date(to, pt);
    FILE *info = fmt == FMT_TABLE ? stdout : stderr;
    fprintf(info, "impact of %s -> %s on %s..%s (judged as of the run date):\n", o->args[0], o->args[1], pf, pt);
    fprintf(info, "  obligations: %zu -> %zu (%ld added, %ld removed); deadlines earlier %ld, later %ld; verdicts flipped %ld\n",
            ra.n, rb.n, added, removed, earlier, later, flipped);
    fprintf(info, "  coverage: %ld of %ld -> %ld of %ld eligible visited on time\n", ca, ea, cb, eb);
    if (fmt == FMT_CSV) fputs("obligation,policy,subject,change,detail\r\n", stdout);
    else if (fmt == FMT_TABLE && rows.len) printf("changes:\n");
    fputs(sb_str(&rows), stdout);
    sb_free(&rows);
out:
    rows_free(&ra);
    rows_free(&rb);
    if (a) program_free(a);
    if (b) program_free(b);
    store_schema_free(schema);
    sqlite3_close(db);
    return code;
}
