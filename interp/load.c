/* load.c - policy sources from files, folders and stdlib modules (load.h). */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "diag.h"

#ifndef REVISIT_DATADIR
#define REVISIT_DATADIR "/usr/local/share/revisit"
#endif

Program *load_new(void) { return xcalloc(1, sizeof(Program)); }

int load_text(Program *prog, const char *name, const char *text, size_t len)
{
    Source *src = xcalloc(1, sizeof *src);
    src->path = xstrdup(name);
    src->text = xstrndup(text, len);
    src->len = len;
    pv_push(&prog->sources, src);
    if (len > MAX_SOURCE_BYTES) {
        Loc l = {1, 1, 1, 1, src};
        diag_error(&l, "source is %zu bytes; the limit is %d", len, MAX_SOURCE_BYTES);
        return 1;
    }
    const char *nul = memchr(src->text, 0, len);
    if (nul) {
        int line = 1, col = 1;
        for (const char *q = src->text; q < nul; q++) {
            if (*q == '\n') { line++; col = 1; }
            else if (((unsigned char)*q & 0xC0) != 0x80) col++;
        }
        Loc l = {line, col, line, col, src};
        diag_error(&l, "this file is not policy text (it holds a NUL byte)");
        return 1;
    }
    size_t nuses = prog->uses.n;
    ParseCtx ctx = {0};
    ctx.prog = prog;
    ctx.src = src;
    int errs = rv_parse_source(&ctx);
    /* a block left open at the end of the file was not added to the
     * program: release the heap arrays inside it */
    ast_discard_open(&ctx);
    /* `use calendar X` at file level makes X the default calendar */
    for (size_t i = nuses; i < prog->uses.n; i++) {
        Use *u = prog->uses.v[i];
        if (u->kind && !strcmp(u->kind, "calendar") && !prog->default_calendar)
            prog->default_calendar = xstrdup(u->name);
    }
    return errs;
}

static int load_file(Program *prog, const char *path)
{
    char real[PATH_MAX];
    if (realpath(path, real)) {
        for (size_t i = 0; i < prog->loaded.n; i++)
            if (!strcmp(prog->loaded.v[i], real)) return 0;
        pv_push(&prog->loaded, xstrdup(real));
    }
    size_t len;
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size > MAX_SOURCE_BYTES) {
        diag_error(NULL, "%s: file is %lld bytes; the limit is %d", path, (long long)sb.st_size, MAX_SOURCE_BYTES);
        return 1;
    }
    char *text = read_file(path, &len);
    if (!text) {
        diag_error(NULL, "cannot read %s: %s", path, strerror(errno));
        return 1;
    }
    int errs = load_text(prog, path, text, len);
    free(text);
    return errs;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int ends_rv(const char *s)
{
    size_t n = strlen(s);
    return n > 3 && !strcmp(s + n - 3, ".rv");
}

static int load_dir(Program *prog, const char *dir, int depth)
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
        struct stat sb;
        if (stat(p, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) errs += load_dir(prog, p, depth + 1);
            else if (ends_rv(p)) errs += load_file(prog, p);
        }
        free(p);
        free(names.v[i]);
    }
    pv_free(&names);
    return errs;
}

const char *load_stdlib_dir(void)
{
    static char buf[PATH_MAX + 64];
    const char *env = getenv("REVISIT_STDLIB");
    if (env && *env) return env;
    char exe[PATH_MAX - 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            struct stat sb;
            for (int up = 0; up < 2; up++) {
                snprintf(buf, sizeof buf, "%s%s/stdlib", exe, up ? "/.." : "");
                if (stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode)) return buf;
            }
        }
    }
    snprintf(buf, sizeof buf, "%s/stdlib", REVISIT_DATADIR);
    return buf;
}

static int load_uses(Program *prog)
{
    int errs = 0;
    const char *dir = load_stdlib_dir();
    for (size_t i = 0; i < prog->uses.n; i++) { /* uses may grow while loading */
        Use *u = prog->uses.v[i];
        char *path = u->kind ? xasprintf("%s/%s/%s.rv", dir, u->kind, u->name) : xasprintf("%s/%s.rv", dir, u->name);
        if (access(path, R_OK) != 0) {
            char *alt = xasprintf("%s/%s", dir, u->name);
            struct stat sb;
            if (!u->kind && stat(alt, &sb) == 0 && S_ISDIR(sb.st_mode)) {
                errs += load_dir(prog, alt, 0);
            } else {
                diag_error(&u->loc, "no stdlib module %s%s%s (there is no %s%s%s.rv in the stdlib folder)",
                           u->kind ? u->kind : "", u->kind ? " " : "", u->name, u->kind ? u->kind : "",
                           u->kind ? "/" : "", u->name);
                errs++;
            }
            free(alt);
        } else {
            errs += load_file(prog, path);
        }
        free(path);
    }
    return errs;
}

int load_paths(Program *prog, char **paths, int n)
{
    int errs = 0;
    for (int i = 0; i < n; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0) {
            diag_error(NULL, "cannot read %s: %s", paths[i], strerror(errno));
            errs++;
            continue;
        }
        if (S_ISDIR(sb.st_mode)) errs += load_dir(prog, paths[i], 0);
        else errs += load_file(prog, paths[i]);
    }
    errs += load_uses(prog);
    return errs;
}
