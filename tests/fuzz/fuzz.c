/* fuzz.c - libFuzzer harnesses for the front end and the evaluator.
 *
 * One source, three targets chosen at compile time:
 *   FUZZ_PARSE  the lexer and parser (load_text) on arbitrary bytes;
 *   FUZZ_CHECK  parse + check against the documented schema;
 *   FUZZ_EVAL   parse + check + evaluate every policy as of a fixed date
 *               against a small in-memory fixture store.
 * Built with clang -fsanitize=fuzzer,address (make fuzz); with
 * -DFUZZ_REPLAY and any C compiler it becomes a program that runs every
 * file named on its command line once, which is how `make test` replays the
 * committed corpus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "diag.h"
#include "load.h"
#include "oblig.h"
#include "store.h"

#define FIXTURE                                                                                                      \
    "INSERT INTO customers(id, name, mobile, tier, region, created_at) VALUES ('C-1', 'a', '13800000000', 'large', "  \
    "'x', '2025-01-01 00:00:00'), ('C-2', 'b', NULL, 'ordinary', NULL, '2025-06-01 00:00:00');"                      \
    "INSERT INTO cases(id, customer_id, kind, subtype, subject, severity, department, opened_at, closed_at) VALUES "   \
    "('K-1', 'C-1', 'complaint', 'x', 's', 'major', 'd', '2026-01-01 00:00:00', '2026-01-31 10:00:00'),"             \
    "('K-2', 'C-2', 'repair', NULL, 's', NULL, NULL, '2026-02-01 00:00:00', NULL),"                                  \
    "('K-3', 'C-1', 'complaint', 'x', 's', 'minor', 'd', '2026-03-01 00:00:00', 'not a time');"                       \
    "INSERT INTO events(id, customer_id, case_id, kind, region, at) VALUES ('E-1', 'C-1', 'K-1', 'rain', 'x', "       \
    "'2026-02-02 00:00:00');"                                                                                          \
    "INSERT INTO staff(id, role, department) VALUES ('S-1', 'steward', 'd');"                                         \
    "INSERT INTO visits(obligation_id, customer_id, case_id, channel, at, outcome) VALUES (NULL, 'C-1', 'K-1', "      \
    "'phone', '2026-02-01 10:00:00', 'completed');"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static FILE *devnull;
    if (!devnull) devnull = fopen("/dev/null", "w");
    diag_set_stream(devnull);
    diag_reset();
    Program *prog = load_new();
    int errs = load_text(prog, "fuzz.rv", (const char *)data, size);
#if defined(FUZZ_CHECK) || defined(FUZZ_EVAL)
    static sqlite3 *mem;
    static Schema *schema;
    if (!mem) {
        mem = store_memory();
#ifdef FUZZ_EVAL
        sqlite3_exec(mem, FIXTURE, NULL, NULL, NULL);
#endif
    }
    if (!errs) {
        Schema *s = store_schema(mem);
        s->documented = 1;
        errs = chk_program(prog, s);
#ifdef FUZZ_EVAL
        if (!errs && prog->policies.n <= 20) {
            EvalOpts o = {.as_of = 20517 /* 2026-03-05 */, .horizon = 30, .quiet = 1};
            EvalResult res = {0};
            ob_evaluate(mem, prog, s, &o, &res);
            ob_result_free(&res);
        }
#endif
        store_schema_free(s);
    }
    (void)schema;
#endif
    (void)errs;
    program_free(prog);
    return 0;
}

#ifdef FUZZ_REPLAY
int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) continue;
        unsigned char *buf = malloc(1 << 22);
        size_t len = fread(buf, 1, 1 << 22, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        n++;
    }
    printf("replayed %d input%s\n", n, n == 1 ? "" : "s");
    return 0;
}
#endif
