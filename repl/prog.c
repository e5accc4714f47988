/* prog.c - the policies a REPL session works with.  They come from files
 * and folders (the command line, :load) and from declarations typed in.
 * Files are read once and kept as text, so what is in use changes only
 * when the user says so (:load, :reload) and :reload can tell what
 * changed.  Every change builds a fresh program from all the texts and
 * checks it against the store's schema; only a program that passes
 * replaces the one in use, so an error never leaves the session with half
 * a change. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../interp/check.h"
#include "../interp/diag.h"
#include "../interp/load.h"
#include "../interp/oblig.h"
#include "session.h"

void repl_files_free(PtrVec *files)
{
    for (size_t i = 0; i < files->n; i++) {
        ReplFile *f = files->v[i];
        free(f->path);
        free(f->real);
        free(f->text);
        free(f);
    }
    pv_free(files);
}

void repl_snippet_free(ReplSnippet *sn)
{
    if (!sn) return;
    free(sn->name);
    free(sn->text);
    for (size_t i = 0; i < sn->ids.n; i++) free(sn->ids.v[i]);
    pv_free(&sn->ids);
    free(sn);
}

void repl_snippets_free(PtrVec *snippets)
{
    for (size_t i = 0; i < snippets->n; i++) repl_snippet_free(snippets->v[i]);
    pv_free(snippets);
}

static int read_one(const char *path, PtrVec *files)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) snprintf(real, sizeof real, "%s", path);
    for (size_t i = 0; i < files->n; i++)
        if (!strcmp(((ReplFile *)files->v[i])->real, real)) return 0;
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size > MAX_SOURCE_BYTES) {
        diag_error(NULL, "%s: file is %lld bytes; the limit is %d", path, (long long)sb.st_size, MAX_SOURCE_BYTES);
        return 1;
    }
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        diag_error(NULL, "cannot read %s: %s", path, strerror(errno));
        return 1;
    }
    ReplFile *f = xcalloc(1, sizeof *f);
    f->path = xstrdup(path);
    f->real = xstrdup(real);
    f->text = text;
    f->len = len;
    pv_push(files, f);
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The *.rv files of dir and its folders, in name order (as load.c). */
static int read_dir(const char *dir, PtrVec *files, int depth)
{
    if (depth > 32) return 0;
    DIR *d = opendir(dir);
    if (!d) {
        diag_error(NULL, "cannot read folder %s: %s", dir, strerror(errno));
        return 1;
    }
    PtrVec names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') pv_push(&names, xstrdup(e->d_name));
    closedir(d);
    if (names.n > 1) qsort(names.v, names.n, sizeof *names.v, cmp_str);
    int errs = 0;
    for (size_t i = 0; i < names.n; i++) {
        char *p = xasprintf("%s/%s", dir, (char *)names.v[i]);
        size_t n = strlen(p);
        struct stat sb;
        if (stat(p, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) errs += read_dir(p, files, depth + 1);
            else if (n > 3 && !strcmp(p + n - 3, ".rv")) errs += read_one(p, files);
        }
        free(p);
        free(names.v[i]);
    }
    pv_free(&names);
    return errs;
}

int repl_read_root(const char *root, PtrVec *files)
{
    struct stat sb;
    if (stat(root, &sb) != 0) {
        diag_error(NULL, "cannot read %s: %s", root, strerror(errno));
        return 1;
    }
    return S_ISDIR(sb.st_mode) ? read_dir(root, files, 0) : read_one(root, files);
}

int repl_build(ReplSession *S, PtrVec *files, PtrVec *snippets, Program **progp, Schema **schemap)
{
    Program *prog = load_new();
    int errs = 0;
    for (size_t i = 0; i < files->n; i++) {
        ReplFile *f = files->v[i];
        pv_push(&prog->loaded, xstrdup(f->real)); /* a `use` of the same file loads nothing twice */
        errs += load_text(prog, f->path, f->text, f->len);
    }
    for (size_t i = 0; i < snippets->n; i++) {
        ReplSnippet *sn = snippets->v[i];
        errs += load_text(prog, sn->name, sn->text, strlen(sn->text));
    }
    errs += load_paths(prog, NULL, 0); /* the stdlib modules named by `use` */
    Schema *schema = store_schema(S->db);
    if (!schema) {
        program_free(prog);
        return errs + 1;
    }
    schema->documented = !S->has_store;
    if (!errs) errs = chk_program(prog, schema);
    if (errs) {
        program_free(prog);
        store_schema_free(schema);
        return errs;
    }
    for (size_t i = 0; i < prog->policies.n; i++) {
        Policy *p = prog->policies.v[i];
        char *src = ob_policy_source(p);
        sha256_hex(src, strlen(src), p->sha256);
        free(src);
    }
    *progp = prog;
    *schemap = schema;
    return 0;
}

void repl_adopt(ReplSession *S, Program *prog, Schema *schema)
{
    program_free(S->prog);
    store_schema_free(S->schema);
    S->prog = prog;
    S->schema = schema;
}

Policy *repl_policy(const ReplSession *S, const char *id)
{
    for (size_t i = 0; i < S->prog->policies.n; i++)
        if (!strcmp(((Policy *)S->prog->policies.v[i])->id, id)) return S->prog->policies.v[i];
    return NULL;
}

void repl_unknown_policy(ReplSession *S, const char *id)
{
    size_t n = S->prog->policies.n;
    const char **ids = xcalloc(n + 1, sizeof *ids);
    for (size_t i = 0; i < n; i++) ids[i] = ((Policy *)S->prog->policies.v[i])->id;
    const char *best = closest_name(id, ids, n);
    if (best) repl_error(S, "unknown policy '%s' (did you mean '%s'?)", id, best);
    else if (!n) repl_error(S, "unknown policy '%s': no policies are loaded (:load FILE|DIR, or type one)", id);
    else repl_error(S, "unknown policy '%s' (:policies lists them)", id);
    free(ids);
}

const Calendar *repl_calendar(const ReplSession *S)
{
    const char *id = S->prog->default_calendar;
    if (!id) return NULL;
    for (size_t i = 0; i < S->prog->calendars.n; i++)
        if (!strcmp(((Calendar *)S->prog->calendars.v[i])->id, id)) return S->prog->calendars.v[i];
    return NULL;
}

/* What a declaration text declares, as "policy:ID", "questions:ID" and
 * "calendar:ID" keys onto out (a quiet parse of its own). */
static void declared(const char *name, const char *text, PtrVec *out)
{
    Program *scratch = load_new();
    FILE *null = fopen("/dev/null", "w");
    int before = diag_count();
    if (null) diag_set_stream(null);
    load_text(scratch, name, text, strlen(text));
    diag_set_stream(NULL);
    if (null) fclose(null);
    if (diag_count() != before) diag_reset(); /* those reports were not shown */
    for (size_t i = 0; i < scratch->policies.n; i++)
        pv_push(out, xasprintf("policy:%s", ((Policy *)scratch->policies.v[i])->id));
    for (size_t i = 0; i < scratch->qsets.n; i++)
        pv_push(out, xasprintf("questions:%s", ((QSet *)scratch->qsets.v[i])->id));
    for (size_t i = 0; i < scratch->calendars.n; i++)
        pv_push(out, xasprintf("calendar:%s", ((Calendar *)scratch->calendars.v[i])->id));
    program_free(scratch);
}

static int shares_key(const ReplSnippet *a, const ReplSnippet *b)
{
    for (size_t i = 0; i < a->ids.n; i++)
        for (size_t j = 0; j < b->ids.n; j++)
            if (!strcmp(a->ids.v[i], b->ids.v[j])) return 1;
    return 0;
}

static void describe_policy(ReplSession *S, const Policy *p, const char *verb)
{
    printf("policy %s %s (version %lld, applies to %s, %zu schedule%s%s%s)\n", p->id, verb, (long long)p->version,
           p->table, p->scheds.n, p->scheds.n == 1 ? "" : "s", p->coverage >= 0 && p->coverage < 10000 ? ", sampled" : "",
           p->effective != INT64_MIN && S->as_of < p->effective ? ", not in force yet" : "");
}

int repl_declare(ReplSession *S, const char *text)
{
    ReplSnippet *sn = xcalloc(1, sizeof *sn);
    sn->name = xstrdup(S->src_name);
    StrBuf b = {0};
    for (long i = 1; i < S->line; i++) sb_putc(&b, '\n'); /* messages give the script's line numbers */
    sb_puts(&b, text);
    sn->text = sb_take(&b);
    declared(sn->name, sn->text, &sn->ids);

    PtrVec next = {0}, replaced = {0};
    for (size_t i = 0; i < S->snippets.n; i++) {
        ReplSnippet *old = S->snippets.v[i];
        pv_push(shares_key(old, sn) ? &replaced : &next, old);
    }
    pv_push(&next, sn);
    Program *prog;
    Schema *schema;
    int errs = repl_build(S, &S->files, &next, &prog, &schema);
    if (errs) {
        int n = diag_count() ? diag_count() : errs;
        repl_error(S, "%d error%s; nothing was loaded", n, n == 1 ? "" : "s");
        repl_snippet_free(sn);
        pv_free(&next);
        pv_free(&replaced);
        return -1;
    }
    repl_adopt(S, prog, schema);
    pv_free(&S->snippets);
    S->snippets = next;
    int said = 0;
    for (size_t i = 0; i < sn->ids.n; i++) {
        const char *key = sn->ids.v[i];
        const char *colon = strchr(key, ':');
        int again = 0;
        for (size_t j = 0; j < replaced.n && !again; j++) {
            ReplSnippet *old = replaced.v[j];
            for (size_t k = 0; k < old->ids.n; k++) again |= !strcmp(old->ids.v[k], key);
        }
        if (!strncmp(key, "policy:", 7)) {
            const Policy *p = repl_policy(S, colon + 1);
            if (p) describe_policy(S, p, again ? "replaced" : "loaded");
        } else {
            printf("%.*s %s %s\n", (int)(colon - key), key, colon + 1, again ? "replaced" : "loaded");
        }
        said = 1;
    }
    if (!said) printf("ok\n");
    repl_snippets_free(&replaced);
    return 0;
}

/* The ids of the policies that come from the files from index `from` on. */
static void policies_from(const ReplSession *S, const PtrVec *files, size_t from, StrBuf *out, int *count)
{
    *count = 0;
    for (size_t i = 0; i < S->prog->policies.n; i++) {
        const Policy *p = S->prog->policies.v[i];
        for (size_t j = from; j < files->n; j++)
            if (p->loc.src && !strcmp(p->loc.src->path, ((ReplFile *)files->v[j])->path)) {
                sb_printf(out, "%s%s", (*count)++ ? ", " : "", p->id);
                break;
            }
    }
}

int repl_load(ReplSession *S, const char *path)
{
    PtrVec all = {0};
    for (size_t i = 0; i < S->files.n; i++) pv_push(&all, S->files.v[i]);
    size_t old = all.n;
    int errs = repl_read_root(path, &all);
    Program *prog;
    Schema *schema;
    if (!errs && all.n == old) {
        int known = 0;
        for (size_t i = 0; i < S->roots.n; i++) known |= !strcmp(S->roots.v[i], path);
        printf("%s: nothing new to load%s\n", path, known ? " (already loaded; :reload reads the files again)" : "");
        pv_free(&all);
        return 0;
    }
    if (!errs) errs = repl_build(S, &all, &S->snippets, &prog, &schema);
    if (errs) {
        int n = diag_count() ? diag_count() : errs;
        repl_error(S, "%d error%s; %s was not loaded", n, n == 1 ? "" : "s", path);
        PtrVec added = {0};
        for (size_t i = old; i < all.n; i++) pv_push(&added, all.v[i]);
        repl_files_free(&added);
        pv_free(&all);
        return -1;
    }
    repl_adopt(S, prog, schema);
    pv_free(&S->files);
    S->files = all;
    pv_push(&S->roots, xstrdup(path));
    StrBuf ids = {0};
    int n;
    policies_from(S, &S->files, old, &ids, &n);
    printf("loaded %zu file%s from %s: %d polic%s%s%s\n", S->files.n - old, S->files.n - old == 1 ? "" : "s", path, n,
           n == 1 ? "y" : "ies", n ? ": " : "", sb_str(&ids));
    sb_free(&ids);
    return 0;
}

/* Policy of prog by id, or NULL. */
static const Policy *find_in(const Program *prog, const char *id)
{
    for (size_t i = 0; i < prog->policies.n; i++)
        if (!strcmp(((Policy *)prog->policies.v[i])->id, id)) return prog->policies.v[i];
    return NULL;
}

int repl_reload(ReplSession *S)
{
    if (!S->roots.n) {
        printf("nothing to reload: no files were loaded (:load FILE|DIR)\n");
        return 0;
    }
    PtrVec files = {0};
    int errs = 0;
    for (size_t i = 0; i < S->roots.n; i++) errs += repl_read_root(S->roots.v[i], &files);
    Program *prog;
    Schema *schema;
    if (!errs) errs = repl_build(S, &files, &S->snippets, &prog, &schema);
    if (errs) {
        int n = diag_count() ? diag_count() : errs;
        repl_error(S, "%d error%s; the reload was not done: the policies loaded before stay in use", n, n == 1 ? "" : "s");
        repl_files_free(&files);
        return -1;
    }
    StrBuf added = {0}, removed = {0}, changed = {0};
    int na = 0, nr = 0, nc = 0, same = 0;
    for (size_t i = 0; i < prog->policies.n; i++) {
        const Policy *p = prog->policies.v[i];
        const Policy *q = find_in(S->prog, p->id);
        if (!q) sb_printf(&added, "%s%s", na++ ? ", " : "", p->id);
        else if (strcmp(p->sha256, q->sha256)) {
            sb_printf(&changed, "%s%s", nc++ ? ", " : "", p->id);
            if (p->version != q->version)
                sb_printf(&changed, " (version %lld -> %lld)", (long long)q->version, (long long)p->version);
        } else same++;
    }
    for (size_t i = 0; i < S->prog->policies.n; i++) {
        const Policy *q = S->prog->policies.v[i];
        if (!find_in(prog, q->id)) sb_printf(&removed, "%s%s", nr++ ? ", " : "", q->id);
    }
    repl_adopt(S, prog, schema);
    repl_files_free(&S->files);
    S->files = files;
    printf("reloaded %zu file%s: ", S->files.n, S->files.n == 1 ? "" : "s");
    if (!na && !nr && !nc) printf("nothing changed (%d polic%s)\n", same, same == 1 ? "y" : "ies");
    else {
        if (na) printf("added %s; ", sb_str(&added));
        if (nr) printf("removed %s; ", sb_str(&removed));
        if (nc) printf("changed %s; ", sb_str(&changed));
        printf("%d unchanged\n", same);
    }
    sb_free(&added);
    sb_free(&removed);
    sb_free(&changed);
    return 0;
}
