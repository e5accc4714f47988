/* unit.c - C unit tests: civil dates, month clamping, working days,
 * parsing of dates and times, masking, UTF-8 widths, and the expression
 * evaluator (expressions are parsed from a policy, checked against the
 * documented schema, and evaluated on literals).  Prints "ok NAME" or
 * "FAIL NAME: why" per test and "unit tests done" at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cal.h"
#include "check.h"
#include "diag.h"
#include "eval.h"
#include "load.h"
#include "oblig.h"
#include "store.h"

static int failures;

#define CHECK(name, cond, ...)                                  \
    do {                                                        \
        if (cond) printf("ok %s\n", name);                      \
        else {                                                  \
            printf("FAIL %s: ", name);                          \
            printf(__VA_ARGS__);                                \
            printf("\n");                                       \
            failures++;                                         \
        }                                                       \
    } while (0)

static int64_t D(const char *s)
{
    int64_t d = 0;
    if (cal_parse_date(s, strlen(s), &d)) {
        fprintf(stderr, "bad test date %s\n", s);
        exit(2);
    }
    return d;
}

static const char *fmt(int64_t day)
{
    static char buf[4][11];
    static int i;
    i = (i + 1) % 4;
    cal_fmt_date(day, buf[i]);
    return buf[i];
}

static void test_dates(void)
{
    CHECK("epoch", D("1970-01-01") == 0, "got %lld", (long long)D("1970-01-01"));
    int bad = 0;
    for (int64_t d = D("1899-12-25"); d < D("2101-01-05"); d++) {
        int y, m, dd;
        cal_civil(d, &y, &m, &dd);
        if (cal_days(y, m, dd) != d) bad++;
    }
    CHECK("civil roundtrip 1900-2100", bad == 0, "%d days differ", bad);
    CHECK("weekday 2026-11-24 is Tuesday", cal_weekday(D("2026-11-24")) == 1, "got %d", cal_weekday(D("2026-11-24")));
    CHECK("2026-02-30 is no date", cal_parse_date("2026-02-30", 10, &(int64_t){0}) == -2, "accepted");
    CHECK("2024-02-29 is a date", cal_parse_date("2024-02-29", 10, &(int64_t){0}) == 0, "rejected");
    CHECK("2100-02-29 is no date", cal_parse_date("2100-02-29", 10, &(int64_t){0}) == -2, "accepted");
    CHECK("2000-02-29 is a date", cal_parse_date("2000-02-29", 10, &(int64_t){0}) == 0, "rejected");
    CHECK("1-02-03 not a date", cal_parse_date("1-02-03", 7, &(int64_t){0}) == -1, "accepted");
    int64_t t = 0;
    CHECK("time parses", cal_parse_time("2026-01-31 10:00:00", 19, &t) == 0 && t == D("2026-01-31") * 86400 + 36000,
          "got %lld", (long long)t);
    CHECK("time 24:00 rejected", cal_parse_time("2026-01-31 24:00:00", 19, &t) == -2, "accepted");
    CHECK("time with T parses", cal_parse_time("2026-01-31T10:00", 16, &t) == 0, "rejected");
    char buf[20];
    cal_fmt_time(D("2026-11-20") * 86400 + 20 * 3600 + 30 * 60, buf);
    CHECK("format time", !strcmp(buf, "2026-11-20 20:30:00"), "got %s", buf);
}

static void test_months(void)
{
    struct { const char *from; int n; const char *want; } cases[] = {
        {"2026-01-31", 1, "2026-02-28"}, {"2024-01-31", 1, "2024-02-29"}, {"2026-01-31", 3, "2026-04-30"},
        {"2026-01-31", 2, "2026-03-31"}, {"2026-03-31", -1, "2026-02-28"}, {"2026-12-15", 1, "2027-01-15"},
        {"2026-01-15", -1, "2025-12-15"}, {"2026-08-31", 12, "2027-08-31"}, {"2024-02-29", 12, "2025-02-28"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s %+d month", cases[i].from, cases[i].n);
        const char *got = fmt(cal_add_months(D(cases[i].from), cases[i].n));
        CHECK(name, !strcmp(got, cases[i].want), "want %s got %s", cases[i].want, got);
    }
    /* the discharge acceptance example: 1 day, 1 week, 1 month, 3 months after 2026-01-31 */
    Dur ds[] = {{1, U_DAYS}, {1, U_WEEKS}, {1, U_MONTHS}, {3, U_MONTHS}};
    const char *want[] = {"2026-02-01", "2026-02-07", "2026-02-28", "2026-04-30"};
    for (int i = 0; i < 4; i++) {
        char name[64];
        snprintf(name, sizeof name, "discharge point %d", i + 1);
        const char *got = fmt(cal_add_dur(NULL, D("2026-01-31") * 86400, ds[i], 1) / 86400);
        CHECK(name, !strcmp(got, want[i]), "want %s got %s", want[i], got);
    }
    int64_t h = cal_add_dur(NULL, D("2026-11-20") * 86400 + 20 * 3600 + 1800, (Dur){24, U_HOURS}, 1);
    char buf[20];
    cal_fmt_time(h, buf);
    CHECK("24 hours keep the clock", !strcmp(buf, "2026-11-21 20:30:00"), "got %s", buf);
}

static void test_workdays(void)
{
    /* without a calendar: Monday to Friday */
    const char *got = fmt(cal_add_dur(NULL, D("2026-11-20") * 86400 + 17 * 3600, (Dur){3, U_WDAYS}, 1) / 86400);
    CHECK("Fri + 3 working days (no calendar)", !strcmp(got, "2026-11-25"), "got %s", got);
    got = fmt(cal_add_dur(NULL, D("2026-11-21") * 86400, (Dur){1, U_WDAYS}, 1) / 86400);
    CHECK("Sat + 1 working day", !strcmp(got, "2026-11-23"), "got %s", got);
    got = fmt(cal_add_dur(NULL, D("2026-11-23") * 86400, (Dur){1, U_WDAYS}, -1) / 86400);
    CHECK("Mon - 1 working day", !strcmp(got, "2026-11-20"), "got %s", got);
    /* a calendar with the 2026 National Day holiday and its make-up day */
    Calendar c = {0};
    int64_t hol[7], work[1] = {D("2026-10-10")};
    for (int i = 0; i < 7; i++) hol[i] = D("2026-10-01") + i;
    c.weekend_mask = 0x60;
    c.holidays = hol;
    c.nholidays = 7;
    c.workdays = work;
    c.nworkdays = 1;
    c.cover_from = D("2026-01-01");
    c.cover_to = D("2026-12-31");
    got = fmt(cal_add_dur(&c, D("2026-09-30") * 86400 + 16 * 3600, (Dur){3, U_WDAYS}, 1) / 86400);
    CHECK("2026-09-30 + 3 working days = 2026-10-10", !strcmp(got, "2026-10-10"), "got %s", got);
    CHECK("make-up Saturday works", cal_is_workday(&c, D("2026-10-10")), "not a workday");
    CHECK("holiday Thursday is off", !cal_is_workday(&c, D("2026-10-01")), "a workday");
    CHECK("out of range", cal_out_of_range(&c, D("2027-01-01")) && !cal_out_of_range(&c, D("2026-06-01")), "wrong");
    Calendar child = {0};
    int64_t chol[1] = {D("2026-10-10")};
    child.weekend_mask = -1;
    child.holidays = chol;
    child.nholidays = 1;
    child.cover_from = INT64_MIN;
    child.parent = &c;
    CHECK("child holiday overrides parent workday", !cal_is_workday(&child, D("2026-10-10")), "still a workday");
    CHECK("child inherits parent holiday", !cal_is_workday(&child, D("2026-10-02")), "a workday");
}

static void test_util(void)
{
    char out[64];
    mask_phone("13812341234", out, sizeof out);
    CHECK("mask mobile", !strcmp(out, "138****1234"), "got %s", out);
    mask_id("310101199001011234", out, sizeof out);
    CHECK("mask id", !strcmp(out, "3****************4"), "got %s", out);
    mask_phone("12345", out, sizeof out);
    CHECK("mask short", !strcmp(out, "***45"), "got %s", out);
    CHECK("width ascii", utf8_width("abc", 3) == 3, "wrong");
    CHECK("width chinese", utf8_width("投诉回访", strlen("投诉回访")) == 8, "got %d", utf8_width("投诉回访", strlen("投诉回访")));
    CHECK("utf8 invalid", !utf8_valid("\xff", 1) && !utf8_valid("\xe4\xb8", 2) && utf8_valid("投", 3), "wrong");
    CHECK("closest name", closest_name("closd_at", (const char *const[]){"opened_at", "closed_at"}, 2) != NULL, "none");
    char hex[65];
    sha256_hex("abc", 3, hex);
    CHECK("sha256", !strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "got %s", hex);
    /* fmt_int and str_copy stand in for snprintf's "%lld" and "%s" */
    const long long nums[] = {0, 7, -7, 10, 1234567890123LL, -9223372036854775807LL - 1, 9223372036854775807LL};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        char want[32];
        snprintf(want, sizeof want, "%lld", nums[i]);
        *fmt_int(out, nums[i]) = 0;
        CHECK("fmt_int", !strcmp(out, want), "got %s, want %s", out, want);
    }
    str_copy(out, 4, "abcdef");
    CHECK("str_copy cuts", !strcmp(out, "abc"), "got %s", out);
    str_copy(out, sizeof out, "");
    CHECK("str_copy empty", !strcmp(out, ""), "got %s", out);
    str_copy(out, 1, "abc");
    CHECK("str_copy into one byte", !strcmp(out, ""), "got %s", out);
}

/* Evaluate EXPR (literal-only) as a priority condition of a tiny policy. */
static Value eval_text(const char *expr, int64_t as_of, int *errors)
{
    static Program *prog;
    static Schema *schema;
    static sqlite3 *db;
    if (!db) {
        db = store_memory();
        schema = store_schema(db);
    }
    if (prog) program_free(prog);
    prog = load_new();
    char *src = xasprintf("policy p { applies to cases due within 1 day after closed_at priority 1 when %s }", expr);
    FILE *devnull = fopen("/dev/null", "w");
    diag_set_stream(devnull);
    diag_reset();
    int errs = load_text(prog, "unit.rv", src, strlen(src));
    if (!errs) errs = chk_program(prog, schema);
    diag_set_stream(NULL);
    fclose(devnull);
    free(src);
    *errors = errs;
    Value v = {0};
    if (errs) return v;
    Policy *p = prog->policies.v[0];
    PrioRule *r = p->prios.v[0];
    EvRow row = {NULL, as_of, NULL};
    return ev_expr(r->when, &row);
}

static void test_eval(void)
{
    struct { const char *expr; int want; } truths[] = {
        {"1 + 2 * 3 = 7", 1},
        {"(1 + 2) * 3 = 9", 1},
        {"7 / 2 = 3", 1},
        {"7.0 / 2 = 3.5", 1},
        {"2026-01-31 + 1 month = 2026-02-28", 1},
        {"2026-01-31 + 3 months = 2026-04-30", 1},
        {"2026-03-01 - 2026-02-01 = 28", 1},
        {"2026-01-01T10:00 > 2026-01-01", 1},
        {"2026-01-01 + 24 hours = 2026-01-02T00:00", 1},
        {"\"b\" > \"a\"", 1},
        {"\"投诉\" in [\"咨询\", \"投诉\"]", 1},
        {"\"x\" not in [\"a\", \"b\"]", 1},
        {"not (1 > 2)", 1},
        {"true or false", 1},
        {"true and false", 0},
        {"today = 2026-11-24", 1},
        {"today - 1 day = 2026-11-23", 1},
        {"-3 < 0", 1},
        {"2026-11-24 + 1 week = 2026-12-01", 1},
        {"2026-01-15 + 1 quarter = 2026-04-15", 1},
        {"2024-02-29 + 1 year = 2025-02-28", 1},
    };
    int64_t as_of = D("2026-11-24");
    for (size_t i = 0; i < sizeof truths / sizeof *truths; i++) {
        int errs;
        Value v = eval_text(truths[i].expr, as_of, &errs);
        CHECK(truths[i].expr, !errs && v.t == T_BOOL && v.i == truths[i].want, "errors %d, type %s, value %lld", errs,
              type_name(v.t), (long long)v.i);
    }
    /* SQL null logic */
    struct { const char *expr; int is_null; } nulls[] = {
        {"1 / 0 = 1", 1},
        {"1 / 0 is null", 0},
        {"false and 1 / 0 = 1", 0},
        {"true or 1 / 0 = 1", 0},
        {"true and 1 / 0 = 1", 1},
        {"not (1 / 0 = 1)", 1},
    };
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++) {
        int errs;
        Value v = eval_text(nulls[i].expr, as_of, &errs);
        CHECK(nulls[i].expr, !errs && (v.t == T_NULL) == nulls[i].is_null, "errors %d, type %s", errs, type_name(v.t));
    }
    /* type errors are caught by the checker */
    const char *type_errors[] = {"1 = \"a\"", "1 and true", "2026-01-01 + 1", "\"a\" + 1", "1 = null", "kind > 3"};
    for (size_t i = 0; i < sizeof type_errors / sizeof *type_errors; i++) {
        int errs;
        eval_text(type_errors[i], as_of, &errs);
        char name[96];
        snprintf(name, sizeof name, "type error: %s", type_errors[i]);
        CHECK(name, errs > 0, "accepted");
    }
}

/* The cn calendar in stdlib against the day table built from the State
 * Council notices (tests/data/cn-2024-2026.tsv): every day of 2024-2026. */
static void test_cn_calendar(void)
{
    Program *prog = load_new();
    char p0[] = "stdlib/calendar/cn.rv";
    char *paths[] = {p0};
    sqlite3 *db = store_memory();
    Schema *schema = store_schema(db);
    int errs = load_paths(prog, paths, 1);
    if (!errs) errs = chk_program(prog, schema);
    const Calendar *cn = NULL;
    for (size_t i = 0; i < prog->calendars.n; i++)
        if (!strcmp(((Calendar *)prog->calendars.v[i])->id, "cn")) cn = prog->calendars.v[i];
    CHECK("cn calendar loads", !errs && cn, "errors %d", errs);
    FILE *f = fopen("tests/data/cn-2024-2026.tsv", "r");
    CHECK("cn day table opens", f != NULL, "missing tests/data/cn-2024-2026.tsv");
    if (cn && f) {
        char line[256];
        int days = 0, wrong = 0, working = 0;
        char first_wrong[64] = "";
        while (fgets(line, sizeof line, f)) {
            int64_t d;
            if (cal_parse_date(line, 10, &d) || line[10] != '\t') continue;
            int want = line[11] == 'W';
            int got = cal_is_workday(cn, d);
            working += got;
            if (got != want && !wrong++) snprintf(first_wrong, sizeof first_wrong, "%.10s", line);
            days++;
        }
        CHECK("cn: 1096 days listed", days == 1096, "got %d", days);
        CHECK("cn agrees with the notices on every day", wrong == 0, "%d days differ, first %s", wrong, first_wrong);
        CHECK("cn: 2024-2026 working days 251+248+248", working == 747, "got %d", working);
        CHECK("cn: 2027 is outside its data", cal_out_of_range(cn, D("2027-01-04")) && !cal_out_of_range(cn, D("2026-12-31")),
              "wrong range");
        int64_t t = D("2026-09-30") * 86400 + 16 * 3600;
        const char *got = fmt(cal_add_dur(cn, t, (Dur){3, U_WDAYS}, 1) / 86400);
        CHECK("cn: 2026-09-30 16:00 + 3 working days = 2026-10-10", !strcmp(got, "2026-10-10"), "got %s", got);
        got = fmt(cal_add_dur(cn, D("2026-02-13") * 86400, (Dur){1, U_WDAYS}, 1) / 86400);
        CHECK("cn: Fri 2026-02-13 + 1 working day = Sat 2026-02-14 (make-up)", !strcmp(got, "2026-02-14"), "got %s", got);
        got = fmt(cal_add_dur(cn, D("2026-02-14") * 86400, (Dur){1, U_WDAYS}, 1) / 86400);
        CHECK("cn: 2026-02-14 + 1 working day = 2026-02-24", !strcmp(got, "2026-02-24"), "got %s", got);
        got = fmt(cal_add_dur(cn, D("2026-10-05") * 86400, (Dur){1, U_WDAYS}, 1) / 86400);
        CHECK("cn: from inside a holiday, the next working day", !strcmp(got, "2026-10-08"), "got %s", got);
        got = fmt(cal_add_dur(cn, D("2026-10-08") * 86400, (Dur){15, U_WDAYS}, -1) / 86400);
        CHECK("cn: 15 working days before 2026-10-08 (Mid-Autumn and a make-up Sunday between)", !strcmp(got, "2026-09-10"), "got %s", got);
    }
    if (f) fclose(f);
    program_free(prog);
    store_schema_free(schema);
    sqlite3_close(db);
}

static int cmp_key(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* ob_key_search against a linear scan: keys spread evenly, bunched in a
 * corner of the range, all equal, with runs of duplicates; probes below,
 * between, on and above them, in the whole array and in slices of it. */
static void test_key_search(void)
{
    enum { N = 600 };
    static int64_t v[N];
    uint64_t seed = 88172645463325252ULL;
#define NEXT() (seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17, seed)
    static const char *const shapes[] = {"spread evenly", "bunched low", "all equal", "seven values, repeated",
                                         "in two bunches"};
    for (int shape = 0; shape < 5; shape++) {
        int wrong = 0;
        char what[120] = "";
        for (int n = 0; n <= N; n = n < 8 ? n + 1 : n * 3 / 2 + 1) {
            if (n > N) break;
            for (int i = 0; i < n; i++) {
                uint64_t r = NEXT();
                int64_t low = shape == 0   ? (int64_t)(r & 0xffffffff)
                              : shape == 1 ? (int64_t)(r & 0xff)
                              : shape == 2 ? 12345
                              : shape == 3 ? (int64_t)(r % 7) * 613566756
                                           : (r & 1 ? 0xfffffff0 : 0) + (int64_t)(r >> 40 & 3);
                v[i] = (int64_t)0x2a << 32 | low;
            }
            qsort(v, (size_t)n, sizeof *v, cmp_key);
            for (int t = 0; t < 400; t++) {
                uint64_t r = NEXT();
                int64_t k = t % 3 == 0 && n ? v[r % (uint64_t)n] + (int64_t)(r >> 60 & 1) - (int64_t)(r >> 61 & 1)
                            : t % 3 == 1    ? ((int64_t)0x2a << 32 | (int64_t)(r & 0xffffffff))
                                            : ((int64_t)(0x29 + (r >> 62 & 3)) << 32 | (int64_t)(r & 0xffffffff));
                uint32_t lo = n ? (uint32_t)(r >> 20 & 0xffff) % (uint32_t)(n + 1) : 0;
                uint32_t hi = t & 1 ? (uint32_t)n : lo + (uint32_t)(r >> 36 & 0xffff) % ((uint32_t)n - lo + 1);
                uint32_t want = lo;
                while (want < hi && v[want] < k) want++;
                uint32_t got = ob_key_search(v, lo, hi, k);
                if (got != want && !wrong++)
                    snprintf(what, sizeof what, "n %d [%u, %u) key %llx: want %u got %u", n, lo, hi,
                             (unsigned long long)k, want, got);
            }
        }
        char name[80];
        snprintf(name, sizeof name, "key search, 0 to %d keys %s", N, shapes[shape]);
        CHECK(name, wrong == 0, "%d probes wrong, first %s", wrong, what);
    }
#undef NEXT
}

int main(void)
{
    test_dates();
    test_months();
    test_workdays();
    test_util();
    test_eval();
    test_cn_calendar();
    test_key_search();
    printf("unit tests done\n");
    return failures ? 1 : 0;
}
