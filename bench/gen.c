/* gen.c - deterministic synthetic store for the revisit benchmarks.
 *
 *   gen --customers N --seed S -o STORE [--as-of YYYY-MM-DD] [--revisit PATH]
 *
 * Starts from `revisit init STORE` (the store must not exist), then fills
 * the customer tables in one transaction with the indexes dropped, and
 * recreates the indexes at the end.  Everything derives from one
 * splitmix64 stream seeded with S, so the same N and S give the same file
 * contents (row for row).
 *
 * What it makes (per customer, on average):
 *   - about 5 cases over the 18 months before the as-of date, skewed: one
 *     customer in ten has none (a prospect), most have 1-6, one in a hundred
 *     has 20-80; the kinds the policy library and bench/policies use, with
 *     the subtypes and severities the policies select on;
 *   - visits for most past obligations of the library (policies/, effective
 *     2026-11-01) and of bench/policies (effective 2026-01-01): the visit
 *     names the obligation id the engine derives (see docs/store.md), most
 *     are on time, some late, some unreachable or refused, about 12 %
 *     missing; answers for the visits of policies that ask question sets;
 *   - rain events by region, appointment events for bookings and
 *     re-bookings, complaint / adverse-reaction events for a few purchases;
 *   - staff across departments and roles (some inactive), contacts for
 *     corporate customers.
 * Visits are made for the obligations of sampled policies whether or not
 * the case is drawn (the generator does not draw samples).
 */
#include <math.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- PRNG */
static uint64_t rng_state;
static uint64_t next64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static double unif(void) { return (double)(next64() >> 11) * (1.0 / 9007199254740992.0); }
static int64_t rnd(int64_t n) { return n <= 0 ? 0 : (int64_t)(unif() * (double)n); } /* [0, n) */
static int chance(double p) { return unif() < p; }

/* ---------------------------------------------------------------- dates */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}
static int month_len(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : n[m - 1];
}
static int64_t add_months(int64_t day, int n)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    int t = y * 12 + (m - 1) + n;
    int ny = t / 12, nm = t % 12 + 1;
    int ml = month_len(ny, nm);
    return days_from_civil(ny, nm, d > ml ? ml : d);
}
static void fmt_time(int64_t secs, char out[24])
{
    int64_t day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t s = secs - day * 86400;
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(out, 24, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
}
static int parse_date(const char *s, int64_t *out)
{
    int y, m, d;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > month_len(y, m)) return -1;
    *out = days_from_civil(y, m, d);
    return 0;
}

/* ---------------------------------------------------------------- store */
static sqlite3 *db;
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}
static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) die("%s: %s", sql, err);
}
static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die("%s: %s", sql, sqlite3_errmsg(db));
    return st;
}
static void step(sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE) die("insert: %s", sqlite3_errmsg(db));
    sqlite3_reset(st);
}
static void bt(sqlite3_stmt *st, int i, const char *s)
{
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}
static void bi(sqlite3_stmt *st, int i, int64_t v) { sqlite3_bind_int64(st, i, v); }

static sqlite3_stmt *ins_customer, *ins_case, *ins_event, *ins_contact, *ins_staff, *ins_visit, *ins_answer;
static int64_t n_cases, n_events, n_visits, n_answers, n_contacts;

/* ---------------------------------------------------------------- text */
static const char *const SURN[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
                                   "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许",
                                   "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡",
                                   "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "欧阳", "司马"};
static const char *const GIVN[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
                                   "娟", "涛", "明", "超", "兰", "霞", "平", "刚", "华", "玉", "萍", "红", "玲",
                                   "芬", "燕", "春", "梅", "琳", "云", "雪", "荣", "建", "国", "志", "文", "斌",
                                   "浩", "宇", "轩", "涵", "欣", "怡", "晨", "俊", "博", "鹏", "飞", "德", "海"};
#define NELEM(a) ((int)(sizeof(a) / sizeof *(a)))
static const char *const REGION[] = {"浦东", "徐汇", "静安", "闵行", "海淀", "朝阳", "天河", "南山",
                                     "武侯", "江干", "鼓楼", "雁塔"};
static const double REGION_W[] = {20, 12, 8, 14, 12, 10, 7, 6, 4, 3, 2, 2};
static const char *const CITY[] = {"上海市浦东新区", "上海市徐汇区", "上海市静安区", "上海市闵行区",
                                   "北京市海淀区",   "北京市朝阳区", "广州市天河区", "深圳市南山区",
                                   "成都市武侯区",   "杭州市江干区", "南京市鼓楼区", "西安市雁塔区"};
static const char *const STREET[] = {"张杨路", "世纪大道", "漕溪北路", "南京西路", "虹梅路", "中关村大街",
                                     "学院路", "天河路",   "科技园路", "人民南路", "解放路", "长安南路"};

static int pick_w(const double *w, int n)
{
    double t = 0;
    for (int i = 0; i < n; i++) t += w[i];
    double x = unif() * t;
    for (int i = 0; i < n; i++) {
        if (x < w[i]) return i;
        x -= w[i];
    }
    return n - 1;
}

static void person_name(char *out, size_t n)
{
    const char *s = SURN[rnd(NELEM(SURN))];
    const char *g1 = GIVN[rnd(NELEM(GIVN))];
    const char *g2 = chance(0.7) ? GIVN[rnd(NELEM(GIVN))] : "";
    snprintf(out, n, "%s%s%s", s, g1, g2);
}

static void mobile_no(char *out, size_t n)
{
    static const char *const pre[] = {"138", "139", "150", "186", "137", "159", "135", "136", "158", "188", "177"};
    const char *p = pre[rnd(NELEM(pre))];
    int num = (int)rnd(100000000);
    snprintf(out, n, "%s%08d", p, num);
}

/* ---------------------------------------------------------------- staff */
typedef struct {
    const char *role, *dept;
    int per100k; /* head count per 100k customers (at least 2) */
} StaffKind;
static const StaffKind STAFF[] = {
    {"project_manager", "property", 20},        {"steward", "service", 120},
    {"department_supervisor", "engineering", 8}, {"department_supervisor", "cleaning", 6},
    {"department_supervisor", "security", 6},    {"department_supervisor", "gas_north", 4},
    {"department_supervisor", "gas_south", 4},   {"attending_doctor", "surgery", 40},
    {"attending_doctor", "internal", 40},         {"attending_doctor", "gynecology", 12},
    {"customer_service", "service", 150},         {"medical_adviser", "optometry", 12},
    {"sales", "sales", 60},                       {"team_lead", "followup", 4},
    {"deputy_director", "followup", 2},           {"director", "followup", 1},
    {"branch_agent", "gas_north", 30},            {"branch_agent", "gas_south", 30},
};
typedef struct {
    int64_t first, count; /* staff ids S-first .. */
} StaffRange;
static StaffRange staff_of[NELEM(STAFF)];
static int64_t n_staff;

static void gen_staff(int64_t customers)
{
    char id[16], name[64];
    for (int k = 0; k < NELEM(STAFF); k++) {
        int64_t c = (int64_t)STAFF[k].per100k * customers / 100000;
        if (c < 2) c = 2;
        staff_of[k].first = n_staff + 1;
        staff_of[k].count = c;
        for (int64_t i = 0; i < c; i++) {
            n_staff++;
            snprintf(id, sizeof id, "S-%05lld", (long long)n_staff);
            person_name(name, sizeof name);
            bt(ins_staff, 1, id);
            bt(ins_staff, 2, name);
            bt(ins_staff, 3, STAFF[k].role);
            bt(ins_staff, 4, STAFF[k].dept);
            bi(ins_staff, 5, i == 0 ? 1 : !chance(0.05)); /* the first of each is active */
            step(ins_staff);
        }
    }
}
static void staff_id(int kind, char *out, size_t n)
{
    snprintf(out, n, "S-%05lld", (long long)(staff_of[kind].first + rnd(staff_of[kind].count)));
}

/* ---------------------------------------------------------------- cases */
enum {
    K_COMPLAINT, K_REPAIR, K_SPECIAL, K_HELP, K_SERVICE_WORK, K_PERIODICAL, K_GAS_ONSITE, K_HOTLINE,
    K_GAS_BACKOFFICE, K_IGNITION, K_INSURANCE, K_DISCHARGE, K_OUTPATIENT, K_LEEP, K_FAMILY, K_TREATMENT,
    K_HEALTH, K_INFERTILITY, K_MEDICATION, K_CLINIC, K_PURCHASE, K_BOOKING, K_AFTER_SALES, K_MEDIATION,
    K_INSTALLATION, NKIND
};
static const char *const KIND[NKIND] = {
    "complaint",      "repair",      "special_service",    "help_request", "service_work",    "periodical",
    "gas_onsite",     "hotline_order", "gas_backoffice",   "ignition",     "insurance_sale",  "discharge",
    "outpatient_surgery", "leep_surgery", "family_planning", "treatment",  "health_check",    "infertility",
    "medication_course", "clinic_visit", "purchase",        "booking",      "after_sales",     "mediation",
    "installation"};
/* relative frequency (per cent of cases, roughly) */
static const double KIND_W[NKIND] = {9, 16, 3, 3, 3, 3, 11, 7, 3, 2, 6, 7, 2, 1, 1, 2, 3, 0.5, 2, 3, 4, 2, 6, 1, 0.5};

typedef struct {
    char id[16], cust[16];
    int kind;
    const char *subtype, *severity;
    int64_t opened, closed; /* seconds; closed < 0: open */
    int has_closed;
} Case;

/* ------------------------------------------------------ obligation ids */
static void obligation_id(const char *policy, const char *table, const char *subject, const char *occ, char out[16])
{
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s\x1f%s", policy, table, subject, occ);
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(buf, (size_t)n, md, &mdlen, EVP_sha256(), NULL);
    static const char hx[] = "0123456789abcdef";
    out[0] = 'O';
    out[1] = '-';
    for (int i = 0; i < 6; i++) {
        out[2 + 2 * i] = hx[md[i] >> 4];
        out[3 + 2 * i] = hx[md[i] & 15];
    }
    out[14] = 0;
}

static int64_t as_of;          /* run date (day number) */
static int64_t lib_effective;  /* 2026-11-01 */
static int64_t bench_effective; /* 2026-01-01 */

/* Questions asked by a policy's sets, for answers. */
static const char *const Q_PROPERTY[] = {"quality", "effect", "satisfaction", "shortcomings", "suggestions", NULL};
static const char *const Q_GAS[] = {"conduct", "attitude", "guidance", "efficiency", NULL};
static const char *const Q_INSURANCE[] = {"identity", "introduction", "contract", "read_terms", "risk_copy",
                                          "liability", "period", "surrender", NULL};

/* One past obligation: most get a visit naming it. */
static void visit_for(const char *policy, const char *table, const char *subject, const char *cust,
                      const char *case_id, const char *occ, int64_t due_day, int64_t effective,
                      const char *const *questions)
{
    if (due_day < effective || due_day >= as_of - 1) return; /* not in force, or not yet due */
    if (chance(0.12)) return;                                 /* missed */
    char oid[16], at[24], staff[16];
    obligation_id(policy, table, subject, occ, oid);
    int late = chance(0.1);
    int64_t day = late ? due_day + 1 + rnd(5) : due_day - rnd(3);
    if (day >= as_of) day = as_of - 1;
    int attempts = chance(0.06) ? 2 : 1;
    for (int a = 0; a < attempts; a++) {
        int64_t secs = (day + a) * 86400 + 9 * 3600 + rnd(9 * 3600);
        if (day + a >= as_of) break;
        fmt_time(secs, at);
        const char *channel = chance(0.8) ? "phone" : chance(0.5) ? "onsite" : chance(0.5) ? "sms" : "wechat";
        const char *outcome = a + 1 < attempts ? (chance(0.7) ? "unreachable" : "refused")
                                               : chance(0.97) ? "completed" : "unreachable";
        staff_id(10, staff, sizeof staff); /* customer_service */
        n_visits++;
        bi(ins_visit, 1, n_visits);
        bt(ins_visit, 2, oid);
        bt(ins_visit, 3, cust);
        bt(ins_visit, 4, case_id);
        bt(ins_visit, 5, channel);
        bt(ins_visit, 6, staff);
        bt(ins_visit, 7, at);
        bi(ins_visit, 8, !strcmp(channel, "onsite") ? 600 + rnd(2400) : 40 + rnd(400));
        bt(ins_visit, 9, outcome);
        bt(ins_visit, 10, !strcmp(outcome, "unreachable") ? (chance(0.5) ? "无人接听" : "空号")
                          : !strcmp(outcome, "refused") ? "客户拒绝回访" : NULL);
        int sat = 1 + (int)rnd(5);
        if (sat < 3 && chance(0.6)) sat += 2;
        if (!strcmp(outcome, "completed")) bi(ins_visit, 11, sat);
        else sqlite3_bind_null(ins_visit, 11);
        step(ins_visit);
        if (questions && !strcmp(outcome, "completed"))
            for (int q = 0; questions[q]; q++) {
                if (chance(0.03)) continue; /* incomplete script */
                int aff = sat >= 3 || chance(0.5);
                bi(ins_answer, 1, n_visits);
                bt(ins_answer, 2, questions[q]);
                bi(ins_answer, 3, q + 1);
                bt(ins_answer, 4, aff ? "是" : "否");
                bi(ins_answer, 5, aff);
                step(ins_answer);
                n_answers++;
            }
    }
}

/* Visits for the one-off obligations of a case (library and bench). */
typedef struct {
    const char *policy;
    int line, npoints;
    int unit[6]; /* 'd' days, 'w' weeks, 'm' months, 'W' working days (approximate) */
    int n[6];
    const char *const *questions;
    int bench;
} OneOff;

static int64_t approx_add(int64_t day, int unit, int n)
{
    switch (unit) {
    case 'd': return day + n;
    case 'w': return day + 7 * n;
    case 'm': return add_months(day, n);
    case 'W': return day + n + 2 * ((n + 4) / 5);
    }
    return day;
}

static void oneoffs(const Case *c, const OneOff *o, int no)
{
    int64_t trig = c->closed / 86400;
    char occ[16];
    for (int i = 0; i < no; i++) {
        int64_t eff = o[i].bench ? bench_effective : lib_effective;
        if (trig < eff) continue;
        for (int k = 0; k < o[i].npoints; k++) {
            snprintf(occ, sizeof occ, "%d.%d", o[i].line, k + 1);
            visit_for(o[i].policy, "cases", c->id, c->cust, c->id, occ, approx_add(trig, o[i].unit[k], o[i].n[k]), eff,
                      o[i].questions);
        }
    }
}

/* Monthly series from anchor (occurrence k due anchor + k*per months). */
static void monthly(const char *policy, const char *table, const char *subject, const char *cust, const char *case_id,
                    int line, int64_t anchor, int per, int64_t until, int64_t eff)
{
    char occ[16];
    for (int k = 1; k < 1000; k++) {
        int64_t due = add_months(anchor, k * per);
        if (due > until || due >= as_of - 1) break;
        if (due < eff) continue;
        snprintf(occ, sizeof occ, "%d.%d", line, k);
        visit_for(policy, table, subject, cust, case_id, occ, due, eff, NULL);
    }
}

static void visits_for_case(const Case *c)
{
    if (!c->has_closed && c->kind != K_INFERTILITY && c->kind != K_BOOKING) return;
#define OO(...) ((OneOff){__VA_ARGS__})
    switch (c->kind) {
    case K_COMPLAINT: {
        OneOff o[] = {OO("r01_complaint", 1, 1, {'d'}, {3}, Q_PROPERTY, 0), OO("r18_complaint", 1, 1, {'W'}, {3}, NULL, 0),
                      OO("bench_complaint", 1, 1, {'W'}, {3}, NULL, 1)};
        oneoffs(c, o, 3);
        break;
    }
    case K_REPAIR: {
        OneOff o[] = {OO("r01_repair", 1, 1, {'m'}, {2}, Q_PROPERTY, 0), OO("bench_repair_sample", 1, 1, {'w'}, {1}, NULL, 1)};
        oneoffs(c, o, 2);
        break;
    }
    case K_SPECIAL: { OneOff o[] = {OO("r01_special_service", 1, 1, {'w'}, {1}, Q_PROPERTY, 0)}; oneoffs(c, o, 1); break; }
    case K_HELP: { OneOff o[] = {OO("r01_help_request", 1, 1, {'w'}, {1}, Q_PROPERTY, 0)}; oneoffs(c, o, 1); break; }
    case K_PERIODICAL: { OneOff o[] = {OO("r01_periodical", 1, 1, {'w'}, {1}, Q_PROPERTY, 0)}; oneoffs(c, o, 1); break; }
    case K_GAS_ONSITE: { OneOff o[] = {OO("r03_branch_onsite", 1, 1, {'d'}, {1}, Q_GAS, 0)}; oneoffs(c, o, 1); break; }
    case K_GAS_BACKOFFICE: { OneOff o[] = {OO("r03_backoffice", 1, 1, {'d'}, {1}, Q_GAS, 0)}; oneoffs(c, o, 1); break; }
    case K_HOTLINE: {
        const char *p = !strcmp(c->subtype, "other") ? "r03_hotline_other"
                      : !strcmp(c->subtype, "call")  ? "r03_hotline_call" : "r03_hotline_full";
        OneOff o[] = {OO(p, 1, 1, {'d'}, {1}, Q_GAS, 0)};
        oneoffs(c, o, 1);
        break;
    }
    case K_INSURANCE: { OneOff o[] = {OO("r04_new_policy", 1, 1, {'d'}, {15}, Q_INSURANCE, 0)}; oneoffs(c, o, 1); break; }
    case K_FAMILY: { OneOff o[] = {OO("r05_family_planning", 1, 1, {'w'}, {1}, NULL, 0)}; oneoffs(c, o, 1); break; }
    case K_LEEP: case K_OUTPATIENT: {
        OneOff o[] = {OO(c->kind == K_LEEP ? "r05_leep" : "r05_outpatient_surgery", 1, 5, {'d', 'w', 'w', 'w', 'w'},
                         {1, 1, 2, 3, 4}, NULL, 0)};
        oneoffs(c, o, 1);
        break;
    }
    case K_TREATMENT: { OneOff o[] = {OO("r05_treatment", 1, 2, {'d', 'w'}, {1, 1}, NULL, 0)}; oneoffs(c, o, 1); break; }
    case K_HEALTH:
        if (!strcmp(c->severity, "positive")) {
            OneOff o[] = {OO("r05_health_check", 1, 2, {'w', 'm'}, {1, 1}, NULL, 0)};
            oneoffs(c, o, 1);
        }
        break;
    case K_INFERTILITY:
        monthly("r05_infertility", "cases", c->id, c->cust, c->id, 1, c->opened / 86400, 1,
                c->has_closed ? c->closed / 86400 : INT64_MAX, lib_effective);
        break;
    case K_DISCHARGE: {
        OneOff o[] = {OO("r06_first_followup", 1, 1, {'w'}, {1}, NULL, 0),
                      OO("bench_discharge", 1, 4, {'d', 'w', 'm', 'm'}, {1, 1, 1, 3}, NULL, 1),
                      OO("r05_inpatient_surgery", 1, 3, {'d', 'w', 'm'}, {1, 1, 1}, NULL, 0),
                      OO("r05_inpatient_surgery", 2, 1, {'m'}, {6}, NULL, 0)};
        oneoffs(c, o, !strcmp(c->subtype, "inpatient_surgery") ? 4 : 2);
        if (!strcmp(c->severity, "chronic"))
            monthly("r06_chronic_monthly", "cases", c->id, c->cust, c->id, 1, c->closed / 86400, 1, INT64_MAX,
                    lib_effective);
        break;
    }
    case K_CLINIC: {
        OneOff o[] = {OO("r07_no_purchase", 1, 1, {'d'}, {1}, NULL, 0), OO("r13_no_purchase", 1, 1, {'d'}, {7}, NULL, 0)};
        oneoffs(c, o, 2);
        break;
    }
    case K_PURCHASE: {
        OneOff o[] = {OO("r13_purchase", 1, 2, {'d', 'd'}, {3, 15}, NULL, 0)};
        oneoffs(c, o, 1);
        monthly("r13_purchase", "cases", c->id, c->cust, c->id, 2, c->closed / 86400, 1, INT64_MAX, lib_effective);
        break;
    }
    case K_AFTER_SALES: {
        OneOff o[] = {OO("r14_after_sales", 1, 1, {'d'}, {3}, NULL, 0), OO("r14_after_sales", 2, 1, {'d'}, {15}, NULL, 0)};
        oneoffs(c, o, 2);
        break;
    }
    default: break;
    }
#undef OO
}

/* ---------------------------------------------------------------- events */
static void event(const char *cust, const char *case_id, const char *kind, const char *region, int64_t secs)
{
    char id[32], at[24];
    n_events++;
    snprintf(id, sizeof id, "E-%09lld", (long long)n_events);
    fmt_time(secs, at);
    bt(ins_event, 1, id);
    bt(ins_event, 2, cust);
    bt(ins_event, 3, case_id);
    bt(ins_event, 4, kind);
    bt(ins_event, 5, region);
    bt(ins_event, 6, at);
    step(ins_event);
}

/* ------------------------------------------------------------- one case */
static int64_t window_start; /* first day cases open */

static void gen_case(const char *cust, int64_t created_day, int tier_large, int64_t *case_no)
{
    Case c = {0};
    c.kind = pick_w(KIND_W, NKIND);
    if (c.kind == K_INSTALLATION && !tier_large) c.kind = K_AFTER_SALES;
    snprintf(c.cust, sizeof c.cust, "%s", cust);
    (*case_no)++;
    n_cases++;
    snprintf(c.id, sizeof c.id, "K-%08lld", (long long)*case_no);
    int64_t lo = created_day > window_start ? created_day : window_start;
    if (lo >= as_of) lo = as_of - 1;
    int64_t open_day = lo + rnd(as_of - lo);
    c.opened = open_day * 86400 + 8 * 3600 + rnd(12 * 3600);
    /* how long the case stays open, in seconds, and whether it is still open */
    int64_t dur = 3600;
    double p_open = 0.03;
    const char *subject = NULL, *dept = "service", *product = NULL, *pmode = NULL;
    int staff_kind = 10;
    c.subtype = NULL;
    c.severity = NULL;
    static const char *const COMPLAINT_SUBJ[] = {"电梯噪音", "保洁不及时", "停车收费", "门禁故障", "垃圾清运不及时",
                                                 "水压不足", "楼道照明损坏", "保安态度差", "绿化修剪不及时", "装修噪音扰民"};
    static const char *const COMPLAINT_DEPT[] = {"engineering", "cleaning", "security", "security", "cleaning",
                                                 "engineering", "engineering", "security", "cleaning", "security"};
    switch (c.kind) {
    case K_COMPLAINT: {
        int s = (int)rnd(10);
        subject = COMPLAINT_SUBJ[s];
        dept = COMPLAINT_DEPT[s];
        c.severity = chance(0.2) ? "major" : "general";
        staff_kind = !strcmp(c.severity, "major") ? 0 : 2;
        dur = 3 * 3600 + rnd(70 * 3600);
        p_open = 0.06;
        break;
    }
    case K_REPAIR: {
        double x = unif();
        c.subtype = x < 0.2 ? "urgent" : x < 0.4 ? "leak" : "general";
        static const char *const RS[] = {"厨房水管", "入户门锁", "客厅灯具", "空调冷凝管", "卫生间漏水", "电梯困人"};
        subject = RS[rnd(NELEM(RS))];
        dept = "engineering";
        staff_kind = 1;
        dur = !strcmp(c.subtype, "urgent") ? 3600 + rnd(3 * 3600) : 4 * 3600 + rnd(96 * 3600);
        p_open = 0.04;
        break;
    }
    case K_SPECIAL: case K_HELP: case K_SERVICE_WORK: case K_PERIODICAL:
        subject = c.kind == K_PERIODICAL ? "《社区月刊》" : "物业服务";
        staff_kind = 1;
        dur = 2 * 3600 + rnd(48 * 3600);
        break;
    case K_GAS_ONSITE: {
        static const char *const ST[] = {"safety_inspection", "meter_reading", "repair"};
        c.subtype = ST[rnd(3)];
        subject = "户内服务";
        dept = chance(0.5) ? "gas_north" : "gas_south";
        staff_kind = !strcmp(dept, "gas_north") ? 16 : 17;
        dur = 1800 + rnd(5400);
        p_open = 0.01;
        break;
    }
    case K_HOTLINE: {
        static const char *const ST[] = {"12345", "repair", "other", "call"};
        static const double W[] = {2, 3, 2, 5};
        c.subtype = ST[pick_w(W, 4)];
        subject = "热线工单";
        dept = "hotline";
        dur = 3600 + rnd(47 * 3600);
        p_open = 0.05;
        break;
    }
    case K_GAS_BACKOFFICE: {
        static const char *const ST[] = {"connection", "pipe_alteration", "repair"};
        c.subtype = ST[rnd(3)];
        subject = "后台工单";
        dept = chance(0.5) ? "gas_north" : "gas_south";
        staff_kind = !strcmp(dept, "gas_north") ? 5 : 6;
        dur = 2 * 86400 + rnd(10 * 86400);
        break;
    }
    case K_IGNITION:
        c.subtype = chance(0.75) ? "household" : "business";
        subject = "通气点火";
        dept = chance(0.5) ? "gas_north" : "gas_south";
        staff_kind = 16;
        dur = 7 * 86400 + rnd(21 * 86400);
        break;
    case K_INSURANCE: {
        static const char *const ST[] = {"traditional", "participating", "universal", "unit_linked"};
        static const char *const PR[] = {"安康终身寿险", "鑫福年金保险(分红型)", "金账户终身寿险(万能型)",
                                         "稳赢投资连结保险"};
        int k = (int)rnd(4);
        c.subtype = ST[k];
        product = ST[k];
        subject = PR[k];
        pmode = chance(0.6) ? "periodic" : "single";
        dept = "sales";
        staff_kind = 12;
        dur = 5 * 86400 + rnd(20 * 86400);
        break;
    }
    case K_DISCHARGE: {
        c.subtype = chance(0.5) ? "inpatient_surgery" : "medical";
        double x = unif();
        c.severity = x < 0.1 ? "critical" : x < 0.4 ? "chronic" : "normal";
        static const char *const SS[] = {"腹腔镜胆囊切除术", "阑尾切除术", "膝关节置换术", "甲状腺部分切除术"};
        static const char *const SM[] = {"2型糖尿病", "高血压3级", "慢性阻塞性肺病", "社区获得性肺炎"};
        subject = !strcmp(c.subtype, "medical") ? SM[rnd(4)] : SS[rnd(4)];
        dept = !strcmp(c.subtype, "medical") ? "internal" : "surgery";
        staff_kind = !strcmp(c.subtype, "medical") ? 8 : 7;
        dur = 3 * 86400 + rnd(14 * 86400);
        p_open = 0.03;
        break;
    }
    case K_OUTPATIENT: case K_LEEP: case K_FAMILY:
        subject = c.kind == K_OUTPATIENT ? "体表肿物切除" : c.kind == K_LEEP ? "LEEP宫颈锥切术" : "宫内节育器放置术";
        dept = c.kind == K_OUTPATIENT ? "surgery" : "gynecology";
        staff_kind = c.kind == K_OUTPATIENT ? 7 : 9;
        dur = 3600 + rnd(3 * 3600);
        break;
    case K_TREATMENT: case K_MEDICATION:
        subject = c.kind == K_TREATMENT ? "康复理疗" : "降压药调整";
        dept = "internal";
        staff_kind = 8;
        dur = 5 * 86400 + rnd(28 * 86400);
        break;
    case K_HEALTH:
        subject = "年度体检";
        c.severity = chance(0.33) ? "positive" : "negative";
        dept = "checkup";
        staff_kind = 8;
        dur = 3 * 86400 + rnd(7 * 86400);
        break;
    case K_INFERTILITY:
        subject = "不孕症诊疗";
        dept = "gynecology";
        staff_kind = 9;
        dur = 60 * 86400 + rnd(300 * 86400);
        p_open = 0.5;
        break;
    case K_CLINIC:
        c.subtype = "no_purchase";
        subject = chance(0.5) ? "验光咨询" : "近视防控咨询";
        dept = "optometry";
        staff_kind = 11;
        dur = 1200 + rnd(5400);
        break;
    case K_PURCHASE:
        c.subtype = "optometry";
        subject = chance(0.5) ? "角膜塑形镜" : "离焦镜片";
        dept = "optometry";
        staff_kind = 11;
        dur = 1200 + rnd(5400);
        break;
    case K_BOOKING:
        subject = "验光配镜预约";
        dept = "optometry";
        staff_kind = 11;
        dur = (3 + rnd(9)) * 86400;
        dur += rnd(8 * 3600);
        break;
    case K_AFTER_SALES: case K_MEDIATION:
        subject = c.kind == K_AFTER_SALES ? "空调安装" : "邻里噪音纠纷";
        dur = c.kind == K_AFTER_SALES ? 3600 + rnd(72 * 3600) : (7 + rnd(30)) * 86400;
        break;
    case K_INSTALLATION:
        subject = "回访管理系统 V3 安装";
        dept = "implementation";
        dur = (10 + rnd(20)) * 86400;
        break;
    }
    c.closed = c.opened + dur;
    c.has_closed = !chance(p_open) && c.closed < as_of * 86400;
    /* a few closings are entered ahead of time (after the run's date) */
    if (!c.has_closed && c.closed >= as_of * 86400 && c.closed < (as_of + 5) * 86400 && chance(0.3)) c.has_closed = 1;
    if (c.kind == K_BOOKING) { /* the appointment; closed when the customer came */
        int came = chance(0.75);
        c.has_closed = came && c.closed < as_of * 86400;
    }
    char opened[24], closed[24], staff[16];
    fmt_time(c.opened, opened);
    fmt_time(c.closed, closed);
    staff_id(staff_kind, staff, sizeof staff);
    bt(ins_case, 1, c.id);
    bt(ins_case, 2, c.cust);
    bt(ins_case, 3, KIND[c.kind]);
    bt(ins_case, 4, c.subtype);
    bt(ins_case, 5, subject);
    bt(ins_case, 6, c.severity);
    bt(ins_case, 7, dept);
    bt(ins_case, 8, staff);
    bt(ins_case, 9, opened);
    bt(ins_case, 10, c.has_closed ? closed : NULL);
    bt(ins_case, 11, product);
    bt(ins_case, 12, pmode);
    step(ins_case);
    /* linked events */
    if (c.kind == K_BOOKING) event(c.cust, c.id, "appointment", NULL, c.closed);
    if (c.kind == K_CLINIC && c.has_closed && chance(1.0 / 6))
        event(c.cust, c.id, "appointment", NULL, c.closed + (3 + rnd(9)) * 86400);
    if (c.kind == K_PURCHASE && c.has_closed && chance(0.02)) {
        const char *k = chance(0.5) ? "complaint" : "adverse_reaction";
        event(c.cust, c.id, k, NULL, c.closed + rnd(20 * 86400));
    }
    visits_for_case(&c);
}

/* ---------------------------------------------------------------- main */
static void usage(void)
{
    fputs("usage: gen --customers N --seed S -o STORE [--as-of YYYY-MM-DD] [--revisit PATH]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    int64_t customers = -1;
    uint64_t seed = 1;
    const char *out = NULL, *asof = "2026-12-15", *revisit = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--customers") && i + 1 < argc) customers = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--as-of") && i + 1 < argc) asof = argv[++i];
        else if (!strcmp(argv[i], "--revisit") && i + 1 < argc) revisit = argv[++i];
        else usage();
    }
    if (customers < 0 || !out) usage();
    if (parse_date(asof, &as_of)) die("--as-of %s is not a date", asof);
    lib_effective = days_from_civil(2026, 11, 1);
    bench_effective = days_from_civil(2026, 1, 1);
    window_start = add_months(as_of, -18);
    rng_state = seed * 0x2545F4914F6CDD1DULL + 1;
    if (!access(out, F_OK)) die("%s exists; remove it first", out);

    /* the schema comes from the engine itself */
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' init '%s' >/dev/null", revisit ? revisit : "./revisit", out);
    if (system(cmd) != 0) die("'%s' failed", cmd);
    if (sqlite3_open(out, &db) != SQLITE_OK) die("%s: cannot open", out);
    exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");
    exec("DROP INDEX cases_customer; DROP INDEX cases_kind; DROP INDEX events_kind; DROP INDEX visits_obligation;"
         "DROP INDEX visits_customer;");
    exec("ALTER TABLE cases ADD COLUMN product TEXT; ALTER TABLE cases ADD COLUMN premium_mode TEXT;");
    exec("BEGIN");
    ins_customer = prep("INSERT INTO customers(id, name, tier, mobile, phone, email, wechat, address, region, id_number,"
                        " do_not_contact, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    ins_case = prep("INSERT INTO cases(id, customer_id, kind, subtype, subject, severity, department, staff_id,"
                    " opened_at, closed_at, product, premium_mode) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    ins_event = prep("INSERT INTO events(id, customer_id, case_id, kind, region, at) VALUES (?,?,?,?,?,?)");
    ins_contact = prep("INSERT INTO contacts(id, customer_id, role, name, mobile) VALUES (?,?,?,?,?)");
    ins_staff = prep("INSERT INTO staff(id, name, role, department, active) VALUES (?,?,?,?,?)");
    ins_visit = prep("INSERT INTO visits(id, obligation_id, customer_id, case_id, channel, staff_id, at, duration_s,"
                     " outcome, reason, satisfaction) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    ins_answer = prep("INSERT INTO answers(visit_id, question, seq, answer, affirmative) VALUES (?,?,?,?,?)");

    gen_staff(customers);

    /* rain by region, every day with some chance, over the case window and
     * the week after the run's date */
    for (int64_t d = window_start; d < as_of + 7; d++)
        for (int r = 0; r < NELEM(REGION); r++)
            if (chance(0.12)) event(NULL, NULL, "rain", REGION[r], d * 86400 + rnd(86400));

    int64_t created_lo = days_from_civil(2024, 1, 1);
    int64_t case_no = 0;
    int tty = isatty(2);
    time_t t0 = time(NULL);
    char id[16], name[64], mobile[16], phone[24], email[48], wechat[32], address[160], idno[24], created[24];
    for (int64_t i = 1; i <= customers; i++) {
        snprintf(id, sizeof id, "C-%07lld", (long long)i);
        double tx = unif();
        int large = tx < 0.02, important = !large && tx < 0.12;
        const char *tier = large ? "large" : important ? "important" : "ordinary";
        if (large) {
            const char *a = SURN[rnd(NELEM(SURN))];
            const char *b = GIVN[rnd(NELEM(GIVN))];
            snprintf(name, sizeof name, "%s%s有限公司", a, b);
        } else {
            person_name(name, sizeof name);
        }
        int has_mobile = chance(0.92);
        if (has_mobile) mobile_no(mobile, sizeof mobile);
        int r = pick_w(REGION_W, NELEM(REGION));
        snprintf(phone, sizeof phone, "0%02d-%08d", 10 + r, (int)rnd(100000000));
        snprintf(email, sizeof email, "u%lld@example.cn", (long long)i);
        snprintf(wechat, sizeof wechat, "wxid_%012llx", (unsigned long long)(next64() & 0xffffffffffffULL));
        {
            const char *st = STREET[rnd(NELEM(STREET))];
            int no = 1 + (int)rnd(800);
            int room = 100 + (int)rnd(2000);
            snprintf(address, sizeof address, "%s%s%d号%d室", CITY[r], st, no, room);
        }
        int64_t cday = created_lo + rnd(as_of - created_lo);
        fmt_time(cday * 86400 + 8 * 3600 + rnd(10 * 3600), created);
        {
            int a = (int)rnd(10), y = 1950 + (int)rnd(55), mo = 1 + (int)rnd(12);
            int d = 1 + (int)rnd(28), q = (int)rnd(1000);
            char ck = "0123456789X"[rnd(11)];
            snprintf(idno, sizeof idno, "31011%01d%04d%02d%02d%03d%c", a, y, mo, d, q, ck);
        }
        int dnc = chance(0.03);
        bt(ins_customer, 1, id);
        bt(ins_customer, 2, name);
        bt(ins_customer, 3, tier);
        bt(ins_customer, 4, has_mobile ? mobile : NULL);
        bt(ins_customer, 5, chance(0.3) || large ? phone : NULL);
        bt(ins_customer, 6, chance(0.3) ? email : NULL);
        bt(ins_customer, 7, chance(0.4) ? wechat : NULL);
        bt(ins_customer, 8, address);
        bt(ins_customer, 9, REGION[r]);
        bt(ins_customer, 10, large ? NULL : idno);
        bi(ins_customer, 11, dnc);
        bt(ins_customer, 12, created);
        step(ins_customer);
        if (large)
            for (int k = 0; k < 4; k++) {
                static const char *const ROLE[] = {"technical_lead", "admin_lead", "chief_engineer", "main_user"};
                char cid[20], cname[64], cmob[16];
                n_contacts++;
                snprintf(cid, sizeof cid, "CT-%08lld", (long long)n_contacts);
                person_name(cname, sizeof cname);
                mobile_no(cmob, sizeof cmob);
                bt(ins_contact, 1, cid);
                bt(ins_contact, 2, id);
                bt(ins_contact, 3, ROLE[k]);
                bt(ins_contact, 4, cname);
                bt(ins_contact, 5, cmob);
                step(ins_contact);
            }
        /* cases: none for a prospect, a heavy tail for a few */
        int ncases;
        double x = unif();
        if (x < 0.10) ncases = 0;
        else if (x < 0.99) ncases = 1 + (int)floor(-log(1 - unif()) * 4.5);
        else ncases = 20 + (int)rnd(61);
        if (ncases > 200) ncases = 200;
        for (int k = 0; k < ncases; k++) gen_case(id, cday, large, &case_no);
        /* customer-level obligations of the library (r18) */
        int64_t eff = lib_effective;
        if (ncases > 0) {
            monthly("r18_routine", "customers", id, id, NULL, 1, cday, 1, INT64_MAX, eff);
            monthly("r18_contracted", "customers", id, id, NULL, 1, cday, 3, INT64_MAX, eff);
        } else {
            monthly("r18_prospect", "customers", id, id, NULL, 1, cday, 6, INT64_MAX, eff);
        }
        visit_for("r18_new_customer", "customers", id, id, NULL, "1.1", cday, eff, NULL);
        if (tty && (i % 10000 == 0 || i == customers)) {
            double el = difftime(time(NULL), t0);
            fprintf(stderr, "\rgen: %lld/%lld customers, %lld cases, %lld visits, %.0f s", (long long)i,
                    (long long)customers, (long long)n_cases, (long long)n_visits, el);
        }
    }
    if (tty) fputc('\n', stderr);
    exec("COMMIT");
    sqlite3_finalize(ins_customer);
    sqlite3_finalize(ins_case);
    sqlite3_finalize(ins_event);
    sqlite3_finalize(ins_contact);
    sqlite3_finalize(ins_staff);
    sqlite3_finalize(ins_visit);
    sqlite3_finalize(ins_answer);
    /* the indexes `revisit init` makes */
    exec("CREATE INDEX cases_customer ON cases(customer_id);"
         "CREATE INDEX cases_kind ON cases(kind, closed_at);"
         "CREATE INDEX events_kind ON events(kind, at);"
         "CREATE INDEX visits_obligation ON visits(obligation_id);"
         "CREATE INDEX visits_customer ON visits(customer_id, at);");
    exec("PRAGMA journal_mode=WAL;");
    sqlite3_close(db);
    fprintf(stderr, "gen: %s: %lld customers, %lld cases, %lld events, %lld visits, %lld answers, %lld staff, %lld contacts\n",
            out, (long long)customers, (long long)n_cases, (long long)n_events, (long long)n_visits,
            (long long)n_answers, (long long)n_staff, (long long)n_contacts);
    return 0;
}
