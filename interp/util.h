/* util.h - memory, strings and small containers shared by every module.
 *
 * Ownership rules: xmalloc/xcalloc/xrealloc/xstrdup never return NULL; on
 * exhaustion they print a message and exit(3).  Memory from an Arena is
 * released all at once by arena_free(); never free() a pointer that came
 * from an arena.  A StrBuf owns its buffer until sb_take() hands it over. */
#ifndef RV_UTIL_H
#define RV_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>

/* Allocate or die.  The caller owns the result and frees it with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string owned by the caller. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set up the C library's allocator for a process that reads and writes a
 * large store: call once, first thing in main(), before any thread starts.
 * On Linux with glibc it keeps blocks of 1 MB and more mapped on their own
 * (given back on free), puts every thread's small blocks in the one heap,
 * and asks the kernel to back that heap with transparent huge pages when
 * it offers them (each fresh 4 KB page otherwise costs a page fault, an
 * eighth of a first run's CPU time on this virtual machine).  Setting the
 * environment variable REVISIT_HUGEPAGES=0 leaves the heap as it is.
 * Elsewhere, and under an allocator that is not glibc's, it does nothing. */
void mem_init(void);

/* A bump allocator: many small objects, freed together. */
typedef struct ArenaBlock ArenaBlock;
typedef struct {
    ArenaBlock *head; /* newest block; older ones chained behind it */
} Arena;

/* Allocate n zeroed bytes from the arena, aligned for any type. */
void *arena_alloc(Arena *a, size_t n);
/* Copy n bytes of s into the arena and NUL-terminate. */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
/* Release every block of the arena; the arena is empty and reusable after. */
void arena_free(Arena *a);

/* FNV-1a of s, continuing from h (start with 1469598103934665603). */
uint64_t hash_fnv(const char *s, uint64_t h);

/* Seconds on a monotonic clock (for timing; not a date). */
double mono_seconds(void);

/* A growable byte string, always NUL-terminated. */
typedef struct {
    char *s;    /* the bytes; NULL until the first append */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
} StrBuf;

void sb_putc(StrBuf *b, char c);
void sb_puts(StrBuf *b, const char *s);
void sb_putn(StrBuf *b, const char *s, size_t n);
void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal (with quotes and escapes). */
void sb_json_str(StrBuf *b, const char *s);
/* Return the buffer (never NULL) and reset b; the caller frees the result. */
char *sb_take(StrBuf *b);
void sb_free(StrBuf *b);
/* Empty b, keeping its memory for the next appends. */
void sb_clear(StrBuf *b);
/* The current contents, "" when empty; valid until the next append. */
const char *sb_str(const StrBuf *b);

/* A growable array of pointers. */
typedef struct {
    void **v;   /* the elements */
    size_t n;   /* elements used */
    size_t cap; /* elements allocated */
} PtrVec;

void pv_push(PtrVec *p, void *x);
void pv_free(PtrVec *p);

/* Levenshtein distance between two ASCII/UTF-8 strings (byte-wise). */
int edit_distance(const char *a, const char *b);
/* Among cands (n strings), the closest to s when close enough to be a
 * plausible typo, else NULL.  Returns a pointer into cands. */
const char *closest_name(const char *s, const char *const *cands, size_t n);

/* Number of terminal columns the UTF-8 string s (n bytes) occupies:
 * East Asian wide characters count two. */
int utf8_width(const char *s, size_t n);
/* 1 when s[0..n) is well-formed UTF-8. */
int utf8_valid(const char *s, size_t n);

/* Mask a phone number for display: keep the first 3 and last 4 characters
 * (138****1234).  Writes into out (size outn). */
void mask_phone(const char *in, char *out, size_t outn);
/* Mask an identity number: all but the first and last characters. */
void mask_id(const char *in, char *out, size_t outn);

/* Copy src into dst (n > 0 bytes), cut to n - 1 bytes, NUL-terminated:
 * snprintf(dst, n, "%s", src) without the format. */
void str_copy(char *dst, size_t n, const char *src);

/* Write v in decimal at at (no NUL; at most 20 bytes) and return the end:
 * snprintf's work without its format parsing, for the hot paths. */
char *fmt_int(char *at, long long v);

/* Hex SHA-256 of n bytes into out (65 bytes including NUL). */
void sha256_hex(const void *data, size_t n, char out[65]);

/* Read a whole file into a NUL-terminated heap buffer; *len gets its size.
 * Returns NULL (errno set) when it cannot be read. Caller frees. */
char *read_file(const char *path, size_t *len);

#endif
