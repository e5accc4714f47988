/* util.c - allocation wrappers, arenas, string buffers, UTF-8 helpers,
 * masking of personal numbers and hashing: the small pieces every other
 * module leans on. */
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

static void oom(size_t n)
{
    fprintf(stderr, "revisit: out of memory (allocating %zu bytes)\n", n);
    exit(3);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    StrBuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < (int)sizeof tmp) {
        sb_puts(&b, tmp);
    } else {
        char *big = xmalloc((size_t)n + 1);
        vsnprintf(big, (size_t)n + 1, fmt, ap2);
        sb_puts(&b, big);
        free(big);
    }
    va_end(ap2);
    va_end(ap);
    return sb_take(&b);
}

/* ---- the process's heap ---- */

/* How much address space the heap takes at a time (virtual: pages count
 * towards the resident size only once written). */
#define HEAP_RESERVE ((size_t)1 << 30)

void mem_init(void)
{
#if defined(__linux__) && defined(__GLIBC__)
    /* Large arrays (a run's done set, its visit list) are mapped and given
     * back on free.  glibc would otherwise raise its threshold after the
     * first such free, and later blocks of up to 32 MB would come from the
     * heap, which does not shrink: the peak memory of a library run on a
     * million customers would then depend on the order of frees. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    const char *env = getenv("REVISIT_HUGEPAGES");
    if (env && !strcmp(env, "0")) return;
    /* One heap for every thread (glibc gives each thread an arena of its
     * own otherwise, which this could not advise), reserved in one piece
     * so that one madvise covers it: the break moves by HEAP_RESERVE at a
     * time and memory freed at its top stays for reuse, not faulted in
     * again.  A fault on a huge page maps 2 MB at once: a run at 100k
     * customers took 32,000 faults before, 700 after. */
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_TRIM_THRESHOLD, (int)HEAP_RESERVE);
    mallopt(M_TOP_PAD, (int)HEAP_RESERVE);
    char *p = malloc(256 << 10); /* under the mapping threshold: it grows the heap */
    if (!p) return;
    char *lo = (char *)(((uintptr_t)p + 4095) & ~(uintptr_t)4095);
    free(p);
    char *hi = sbrk(0);
    /* a block that did not come from the break (another allocator, or a
     * break that could not move) is left alone */
    if (hi == (char *)-1 || hi <= lo || (size_t)(hi - lo) > HEAP_RESERVE + (1 << 20)) return;
    (void)madvise(lo, (size_t)(hi - lo), MADV_HUGEPAGE);
#endif
}

/* ---- arena ---- */
struct ArenaBlock {
    ArenaBlock *next; /* older block */
    size_t used;      /* bytes handed out */
    size_t cap;       /* bytes in data */
    max_align_t data[]; /* the storage */
};

void *arena_alloc(Arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    ArenaBlock *b = a->head;
    if (!b || b->used + n > b->cap) {
        size_t cap = n > 65536 ? n : 65536;
        b = xmalloc(sizeof *b + cap);
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

/* ---- string buffer ---- */
static void sb_grow(StrBuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

uint64_t hash_fnv(const char *s, uint64_t h)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

double mono_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sb_putn(StrBuf *b, const char *s, size_t n)
{
    sb_grow(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void sb_putc(StrBuf *b, char c) { sb_putn(b, &c, 1); }
void sb_puts(StrBuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

void sb_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    sb_grow(b, 64); /* most appends fit: format once, into place */
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n >= b->cap - b->len) {
        sb_grow(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
    }
    if (n > 0) b->len += (size_t)n;
    b->s[b->len] = 0;
    va_end(ap2);
}

void sb_json_str(StrBuf *b, const char *s)
{
    sb_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (; *p; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\') continue;
        sb_putn(b, (const char *)run, (size_t)(p - run));
        run = p + 1;
        switch (*p) {
        case '"': sb_puts(b, "\\\""); break;
        case '\\': sb_puts(b, "\\\\"); break;
        case '\n': sb_puts(b, "\\n"); break;
        case '\r': sb_puts(b, "\\r"); break;
        case '\t': sb_puts(b, "\\t"); break;
        default: sb_printf(b, "\\u%04x", *p);
        }
    }
    sb_putn(b, (const char *)run, (size_t)(p - run));
    sb_putc(b, '"');
}

/* Empty b, keeping its memory for the next appends. */
void sb_clear(StrBuf *b)
{
    b->len = 0;
    if (b->s) b->s[0] = 0;
}

char *sb_take(StrBuf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void sb_free(StrBuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

const char *sb_str(const StrBuf *b) { return b->s ? b->s : ""; }

/* ---- pointer vector ---- */
void pv_push(PtrVec *p, void *x)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = x;
}

void pv_free(PtrVec *p)
{
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
}

/* ---- names ---- */
int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    int row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = prev + cost;
            if (row[j] + 1 < v) v = row[j] + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            prev = cur;
        }
    }
    return row[lb];
}

const char *closest_name(const char *s, const char *const *cands, size_t n)
{
    const char *best = NULL;
    int bestd = 99;
    for (size_t i = 0; i < n; i++) {
        int d = edit_distance(s, cands[i]);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    size_t len = strlen(s);
    int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    return bestd <= limit ? best : NULL;
}

/* ---- UTF-8 ---- */
static int is_wide(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

int utf8_width(const char *s, size_t n)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        unsigned cp = *p;
        int len = 1;
        if (cp >= 0xF0 && p + 3 < e) {
            len = 4;
            cp = ((cp & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u);
        } else if (cp >= 0xE0 && p + 2 < e) {
            len = 3;
            cp = ((cp & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
        } else if (cp >= 0xC0 && p + 1 < e) {
            len = 2;
            cp = ((cp & 31u) << 6) | (p[1] & 63u);
        }
        if (p + len > e) len = (int)(e - p);
        w += is_wide(cp) ? 2 : 1;
        p += len;
    }
    return w;
}

int utf8_valid(const char *s, size_t n)
{
    if (!s) return n == 0;
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        unsigned c = *p;
        int len;
        if (c < 0x80) len = 1;
        else if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) len = 3;
        else if (c >= 0xF0 && c <= 0xF4) len = 4;
        else return 0;
        if (p + len > e) return 0;
        for (int i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80) return 0;
        if (len == 3 && c == 0xE0 && p[1] < 0xA0) return 0;
        if (len == 3 && c == 0xED && p[1] >= 0xA0) return 0;
        if (len == 4 && c == 0xF0 && p[1] < 0x90) return 0;
        if (len == 4 && c == 0xF4 && p[1] >= 0x90) return 0;
        p += len;
    }
    return 1;
}

/* ---- masking ---- */
void mask_phone(const char *in, char *out, size_t outn)
{
    size_t n = strlen(in);
    if (outn == 0) return;
    if (n < 8) { /* too short to keep both ends: hide all but the last 2 */
        size_t i = 0;
        for (; i < n && i + 1 < outn; i++) out[i] = (i + 2 < n) ? '*' : in[i];
        out[i] = 0;
        return;
    }
    size_t i = 0;
    for (size_t k = 0; k < n && i + 1 < outn; k++, i++)
        out[i] = (k < 3 || k >= n - 4) ? in[k] : '*';
    out[i] = 0;
}

void mask_id(const char *in, char *out, size_t outn)
{
    size_t n = strlen(in), i = 0;
    if (outn == 0) return;
    for (size_t k = 0; k < n && i + 1 < outn; k++, i++)
        out[i] = (k == 0 || k == n - 1) ? in[k] : '*';
    out[i] = 0;
}

void str_copy(char *dst, size_t n, const char *src)
{
    size_t k = strnlen(src, n - 1);
    memcpy(dst, src, k);
    dst[k] = 0;
}

char *fmt_int(char *at, long long v)
{
    char tmp[20];
    int n = 0;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do tmp[n++] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *at++ = '-';
    while (n) *at++ = tmp[--n];
    return at;
}

/* SHA-256 fetched once: EVP_sha256() in EVP_Digest looks the algorithm up
 * in the provider tables on every call (half the cost of a short digest).
 * Kept for the life of the process. */
static EVP_MD *sha256_md;
static void sha256_fetch(void) { sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL); }

void sha256_hex(const void *data, size_t n, char out[65])
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sha256_fetch);
    unsigned char md[32];
    unsigned int mdlen = 0;
    if (!sha256_md || !EVP_Digest(data, n, md, &mdlen, sha256_md, NULL)) {
        fprintf(stderr, "revisit: cannot compute SHA-256 (OpenSSL)\n");
        exit(3);
    }
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hx[md[i] >> 4];
        out[2 * i + 1] = hx[md[i] & 15];
    }
    out[64] = 0;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    StrBuf b = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_putn(&b, buf, n);
    int err = ferror(f);
    fclose(f);
    if (err) {
        sb_free(&b);
        errno = EIO;
        return NULL;
    }
    *len = b.len;
    return sb_take(&b);
}
