/* verdict.c - compliance verdicts and the recording of visits.
 *
 * `revisit verdicts` judges every obligation triggered in a period against
 * the visits that belong to it, with the rules stored on the obligation by
 * the policy version that made it due (so a later edit of the policy never
 * rewrites history), records new verdicts (append-only: a row is added only
 * when the verdict changes), opens the follow-up obligation of a problem
 * case, and prints per-policy (or department, staff, week, month, quarter)
 * statistics.  `revisit record` enters one visit with its answers.
 *
 * Matching a visit to an obligation: by visits.obligation_id; a visit
 * without one belongs to the earliest-due obligation of the same customer
 * (and the same case, when the visit names one) whose window it falls in:
 * from the obligation's due_from to 30 days after its due_by.  Visits in the
 * period that match nothing are reported. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cal.h"
#include "cli.h"
#include "oblig.h"
#include "out.h"
#include "store.h"
#include "verdict.h"
#include "esc.h"
#include "chain.h"

#define LATE_GRACE_DAYS 30

enum { V_MET, V_LATE, V_MISSED, V_WRONG_CHANNEL, V_WRONG_ASSIGNEE, V_INCOMPLETE, V_UNREACHABLE, V_PROBLEM,
       V_OPEN, V_N };
static const char *const vnames[V_N] = {"met", "late", "missed", "wrong_channel", "wrong_assignee",
                                        "incomplete", "unreachable", "problem_case", "open"};

typedef struct {
    int64_t id;           /* visits.id */
    char *obl;            /* obligation_id or NULL */
    char *customer;       /* customer_id */
    char *case_id;        /* or NULL */
    char *channel;        /* channel */
    char *staff;          /* staff_id or NULL */
    char *role;           /* the staff member's role, or NULL */
    char *department;     /* the staff member's department, or NULL */
    int64_t at;           /* seconds */
    char *at_text;        /* as stored */
    char *outcome;        /* completed, unreachable, refused, rescheduled */
    char *reason;         /* or NULL */
    int satisfaction;     /* -1 when none */
    int used;             /* matched to an obligation */
} Visit;

typedef struct {
    char *id, *policy, *customer, *case_id, *channels, *assignees, *rules, *department, *subject_table, *subject_id;
    char *trigger_day, *questions;
    int version, priority;
    int64_t from_t;      /* due_from, seconds */
    int64_t deadline;    /* end of due_by, seconds (exclusive) */
    int64_t by_day;      /* day number of due_by */
    char due_by[20];     /* as stored */
    PtrVec visits;       /* Visit* matched, in time order */
    int verdict;         /* V_* */
    int ok;              /* compliant */
    int on_time;         /* a completed visit by the deadline */
    int completed;       /* a completed visit at all */
    int complete_script; /* no mandatory question missing, order kept */
    Visit *done;         /* the completed visit, or NULL */
    StrBuf reasons;      /* why, for people */
} Obl;

int cli_parse_period(const char *p, int64_t *from, int64_t *to)
{
    size_t n = strlen(p);
    const char *dots = strstr(p, "..");
    if (dots) {
        if (cal_parse_date(p, (size_t)(dots - p), from) || cal_parse_date(dots + 2, strlen(dots + 2), to) || *to < *from)
            return -1;
        return 0;
    }
    if (n == 10) {
        if (cal_parse_date(p, n, from)) return -1;
        *to = *from;
        return 0;
    }
    int y = 0, k = 0;
    char c = 0;
    if (n == 4 && sscanf(p, "%4d", &y) == 1 && y > 0) {
        *from = cal_days(y, 1, 1);
        *to = cal_days(y, 12, 31);
        return 0;
    }
    if (n == 7 && sscanf(p, "%4d-%c%d", &y, &c, &k) == 3 && (c == 'Q' || c == 'q') && k >= 1 && k <= 4) {
        *from = cal_days(y, (k - 1) * 3 + 1, 1);
        *to = cal_add_months(*from, 3) - 1;
        return 0;
    }
    if (n == 7 && sscanf(p, "%4d-%c%d", &y, &c, &k) == 3 && (c == 'H' || c == 'h') && k >= 1 && k <= 2) {
        *from = cal_days(y, k == 1 ? 1 : 7, 1);
        *to = cal_add_months(*from, 6) - 1;
        return 0;
    }
    if (n == 7 && p[4] == '-' && sscanf(p, "%4d-%2d", &y, &k) == 2 && k >= 1 && k <= 12 && p[5] >= '0' && p[5] <= '9') {
        *from = cal_days(y, k, 1);
        *to = cal_add_months(*from, 1) - 1;
        return 0;
    }
    return -1;
}

static int64_t parse_when(const char *s)
{
    int64_t t = 0;
    if (!s || cal_parse_time(s, strlen(s), &t)) return INT64_MIN;
    return t;
}

/* 1 when item is one of the sep-separated words of list. */
static int in_list(const char *list, char sep, const char *item)
{
    if (!list || !item) return 0;
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, sep);
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, item, n)) return 1;
        if (!e) break;
        p = e + 1;
    }
    return 0;
}

/* A number from the rules JSON (written by oblig.c, flat). */
static long rule_num(const char *rules, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = rules ? strstr(rules, pat) : NULL;
    return p ? strtol(p + strlen(pat), NULL, 10) : 0;
}

/* A string from the rules JSON (no escapes are ever written in these). */
static char *rule_str(const char *rules, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = rules ? strstr(rules, pat) : NULL;
    if (!p) return xstrdup("");
    p += strlen(pat);
    const char *e = strchr(p, '"');
    return e ? xstrndup(p, (size_t)(e - p)) : xstrdup("");
}

/* 1 when the "deny" list of the rules holds "channel:role". */
static int denied(const char *rules, const char *channel, const char *role)
{
    if (!role) return 0;
    char pat[256];
    snprintf(pat, sizeof pat, "\"%s:%s\"", channel, role);
    const char *d = rules ? strstr(rules, "\"deny\":[") : NULL;
    if (!d) return 0;
    const char *e = strchr(d, ']');
    const char *hit = strstr(d, pat);
    return hit && e && hit < e;
}

static int default_affirmative(const char *a)
{
    static const char *const yes[] = {"yes", "y", "true", "1", "是", "满意", "有", "知道", "了解", "清楚", "收到", NULL};
    for (const char *const *y = yes; *y; y++)
        if (!strcasecmp(a, *y)) return 1;
    return 0;
}

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *qs;  /* questions of an obligation */
    sqlite3_stmt *ans; /* answers of a visit */
    int64_t as_of;     /* day */
} Judge;

static void add_reason(Obl *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_reason(Obl *o, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (o->reasons.len) sb_puts(&o->reasons, "; ");
    sb_puts(&o->reasons, buf);
}

/* Check the script of the completed visit: mandatory questions, order,
 * affirmative answers.  Sets *incomplete and *problem. */
static void judge_script(Judge *j, Obl *o, const Visit *v, int *incomplete, int *problem)
{
    /* answers of the visit */
    typedef struct { char *q, *a; int seq, aff; } Ans;
    Ans ans[256];
    int na = 0;
    sqlite3_reset(j->ans);
    sqlite3_bind_int64(j->ans, 1, v->id);
    while (sqlite3_step(j->ans) == SQLITE_ROW && na < 256) {
        ans[na].q = store_col_dup(j->ans, 0);
        ans[na].a = store_col_dup(j->ans, 1);
        ans[na].seq = sqlite3_column_type(j->ans, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(j->ans, 2);
        ans[na].aff = sqlite3_column_type(j->ans, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(j->ans, 3);
        na++;
    }
    sqlite3_reset(j->qs);
    sqlite3_bind_text(j->qs, 1, o->id, -1, SQLITE_STATIC);
    char last_set[128] = "";
    int last_seq = -1;
    char last_q[128] = "";
    while (sqlite3_step(j->qs) == SQLITE_ROW) {
        const char *set = (const char *)sqlite3_column_text(j->qs, 0);
        int ordered = sqlite3_column_int(j->qs, 1);
        const char *q = (const char *)sqlite3_column_text(j->qs, 2);
        int mandatory = sqlite3_column_int(j->qs, 3);
        const char *aff = (const char *)sqlite3_column_text(j->qs, 4);
        if (strcmp(set, last_set)) {
            snprintf(last_set, sizeof last_set, "%s", set);
            last_seq = -1;
            last_q[0] = 0;
        }
        Ans *a = NULL;
        for (int i = 0; i < na; i++)
            if (!strcmp(ans[i].q, q)) a = &ans[i];
        if (!a || !a->a || !*a->a) {
            if (mandatory) {
                *incomplete = 1;
                add_reason(o, "mandatory question %s not asked", q);
            }
            continue;
        }
        if (ordered && a->seq >= 0) {
            if (a->seq < last_seq) {
                *incomplete = 1;
                add_reason(o, "question %s asked before %s, out of the required order", q, last_q);
            }
            last_seq = a->seq;
            snprintf(last_q, sizeof last_q, "%s", q);
        }
        /* only a question that names its affirmative answer is judged on it:
         * free-text questions (shortcomings, suggestions) take any answer */
        int yes = !aff ? 1 : a->aff >= 0 ? a->aff : !strcmp(a->a, aff);
        if (!yes) {
            *problem = 1;
            add_reason(o, "non-affirmative answer to %s: %s", q, a->a);
        }
    }
    for (int i = 0; i < na; i++) {
        if (!strcmp(ans[i].q, "product_question") && ans[i].a && *ans[i].a) {
            *problem = 1;
            add_reason(o, "the customer raised a product question: %s", ans[i].a);
        }
        free(ans[i].q);
        free(ans[i].a);
    }
}

static void judge(Judge *j, Obl *o)
{
    Visit *done = NULL;
    for (size_t i = 0; i < o->visits.n && !done; i++) {
        Visit *v = o->visits.v[i];
        if (!strcmp(v->outcome, "completed")) done = v;
    }
    o->done = done;
    if (done) {
        o->completed = 1;
        int wrong_channel = 0, wrong_assignee = 0, incomplete = 0, problem = 0;
        int late = done->at >= o->deadline;
        if (!in_list(o->channels, ',', done->channel)) {
            wrong_channel = 1;
            add_reason(o, "channel %s is not allowed (%s)", done->channel, o->channels);
        } else if (denied(o->rules, done->channel, done->role)) {
            wrong_channel = 1;
            add_reason(o, "a visit through %s may not be made by %s staff alone", done->channel, done->role);
        }
        if (o->assignees && *o->assignees) {
            if (!done->staff) {
                wrong_assignee = 1;
                add_reason(o, "no staff member recorded (assigned: %s)", o->assignees);
            } else if (!in_list(o->assignees, '+', done->role)) {
                wrong_assignee = 1;
                add_reason(o, "done by %s (%s), assigned to %s", done->staff, done->role ? done->role : "unknown role",
                           o->assignees);
            }
        }
        judge_script(j, o, done, &incomplete, &problem);
        long below = rule_num(o->rules, "dissatisfied_below");
        if (below > 0 && done->satisfaction >= 0 && done->satisfaction < below && (!done->reason || !*done->reason)) {
            incomplete = 1;
            add_reason(o, "dissatisfied (%d) without a recorded reason", done->satisfaction);
        }
        if (late) {
            char d[11];
            cal_fmt_date(done->at / 86400, d);
            add_reason(o, "done %s, after the deadline %s", d, o->due_by);
        }
        o->on_time = !late;
        o->complete_script = !incomplete;
        o->ok = !wrong_channel && !wrong_assignee && !incomplete && !late;
        o->verdict = wrong_channel ? V_WRONG_CHANNEL : wrong_assignee ? V_WRONG_ASSIGNEE : incomplete ? V_INCOMPLETE
                   : problem ? V_PROBLEM : late ? V_LATE : V_MET;
        return;
    }
    /* failed attempts only */
    int failed = 0, with_reason = 0, days = 0;
    int64_t seen_days[64];
    for (size_t i = 0; i < o->visits.n; i++) {
        Visit *v = o->visits.v[i];
        if (strcmp(v->outcome, "unreachable") && strcmp(v->outcome, "refused")) continue;
        failed++;
        with_reason += v->reason && *v->reason;
        int64_t d = v->at / 86400;
        int seen = 0;
        for (int k = 0; k < days; k++) seen |= seen_days[k] == d;
        if (!seen && days < 64) seen_days[days++] = d;
    }
    int passed = o->by_day < j->as_of;
    if (failed) {
        long need = rule_num(o->rules, "attempts");
        int on_days = (int)rule_num(o->rules, "attempts_days");
        int counted = on_days ? days : failed;
        int all_channels = 1;
        for (const char *p = o->channels; p && *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            int tried = 0;
            for (size_t i = 0; i < o->visits.n; i++) {
                Visit *v = o->visits.v[i];
                tried |= strlen(v->channel) == len && !strncmp(v->channel, p, len);
            }
            if (!tried) {
                all_channels = 0;
                add_reason(o, "channel %.*s never tried", (int)len, p);
            }
            if (!e) break;
            p = e + 1;
        }
        int valid = counted >= need && with_reason == failed && all_channels;
        if (with_reason < failed) add_reason(o, "%d failed attempt%s without a recorded reason", failed - with_reason,
                                             failed - with_reason == 1 ? "" : "s");
        if (counted < need) add_reason(o, "%d failed attempt%s%s, %ld required", counted, counted == 1 ? "" : "s",
                                       on_days ? " on different days" : "", need);
        if (valid || passed) {
            o->verdict = V_UNREACHABLE;
            o->ok = valid;
            if (valid) add_reason(o, "%d failed attempt%s with reasons, every channel tried", failed, failed == 1 ? "" : "s");
            return;
        }
        o->verdict = V_OPEN;
        return;
    }
    if (passed) {
        o->verdict = V_MISSED;
        add_reason(o, "no visit by %s", o->due_by);
        return;
    }
    o->verdict = V_OPEN;
}

static int cmp_visit_customer(const void *a, const void *b)
{
    const Visit *x = *(Visit *const *)a, *y = *(Visit *const *)b;
    int c = strcmp(x->customer, y->customer);
    if (c) return c;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_obl_id(const void *a, const void *b)
{
    return strcmp((*(Obl *const *)a)->id, (*(Obl *const *)b)->id);
}

static void obl_free(Obl *o)
{
    free(o->id); free(o->policy); free(o->customer); free(o->case_id); free(o->channels); free(o->assignees);
    free(o->rules); free(o->department); free(o->subject_table); free(o->subject_id); free(o->trigger_day);
    free(o->questions);
    pv_free(&o->visits);
    sb_free(&o->reasons);
    free(o);
}

static void visit_free(Visit *v)
{
    free(v->obl); free(v->customer); free(v->case_id); free(v->channel); free(v->staff); free(v->role);
    free(v->department); free(v->at_text); free(v->outcome); free(v->reason);
    free(v);
}

static void now_text(char out[20])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Record the verdict when it differs from the latest one stored. */
static int store_verdict(sqlite3 *db, Obl *o, const char *asof, const char *now, int *added)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT verdict, reasons FROM verdicts WHERE obligation_id = ? ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, o->id, -1, SQLITE_STATIC);
    int same = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        same = !strcmp((const char *)sqlite3_column_text(st, 0), vnames[o->verdict]) &&
               !strcmp((const char *)sqlite3_column_text(st, 1), sb_str(&o->reasons));
    sqlite3_finalize(st);
    if (same) return 0;
    if (sqlite3_prepare_v2(db, "INSERT INTO verdicts(obligation_id, verdict, ok, reasons, visit_id, policy, version, "
                               "as_of, judged_at) VALUES (?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, o->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, vnames[o->verdict], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, o->ok);
    sqlite3_bind_text(st, 4, sb_str(&o->reasons), -1, SQLITE_STATIC);
    if (o->done) sqlite3_bind_int64(st, 5, o->done->id);
    else sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, o->policy, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, o->version);
    sqlite3_bind_text(st, 8, asof, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    *added += !rc;
    return rc;
}

/* Open the follow-up obligation of a problem case (R4: back to sales, then
 * a second return visit within N).  Returns 0 or -1. */
static int problem_followup(sqlite3 *db, Obl *o, const char *now, int *opened)
{
    long n = rule_num(o->rules, "problem_n");
    if (o->verdict != V_PROBLEM || n <= 0 || !o->done) return 0;
    Dur d = {n, (Unit)rule_num(o->rules, "problem_unit")};
    char occ[64], key[512], hex[65], id[16];
    snprintf(occ, sizeof occ, "problem.%lld", (long long)o->done->id);
    snprintf(key, sizeof key, "%s%c%s%c%s%c%s", o->policy, 0x1f, o->subject_table, 0x1f, o->subject_id, 0x1f, occ);
    sha256_hex(key, strlen(key), hex);
    snprintf(id, sizeof id, "O-%.12s", hex);
    char from[20], by[20], trig[11];
    int64_t due = cal_add_dur(NULL, o->done->at, d, 1);
    int timed = d.unit == U_HOURS;
    if (timed) {
        cal_fmt_time(o->done->at, from);
        from[16] = 0;
        cal_fmt_time(due, by);
        by[16] = 0;
    } else {
        cal_fmt_date(o->done->at / 86400, from);
        cal_fmt_date(due / 86400, by);
    }
    cal_fmt_date(o->done->at / 86400, trig);
    char *assign = rule_str(o->rules, "problem_assign");
    StrBuf facts = {0};
    sb_printf(&facts, "{\"problem_case_of\":\"%s\",\"visit\":%lld,\"reasons\":", o->id, (long long)o->done->id);
    sb_json_str(&facts, sb_str(&o->reasons));
    sb_putc(&facts, '}');
    char rule[96];
    snprintf(rule, sizeof rule, "problem within %ld %s after visit %lld", n, unit_name(d.unit, n != 1),
             (long long)o->done->id);
    sqlite3_stmt *st;
    int rc = -1;
    /* its rule: the original's policy version with this rule text */
    if (sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO obligation_rules(policy, version, sha256, rule) SELECT u.policy, "
                           "u.version, u.sha256, ?1 FROM obligations o JOIN obligation_rules u ON u.id = o.rule_id "
                           "WHERE o.id = ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, o->id, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    if (!rc) {
        rc = -1;
        if (sqlite3_prepare_v2(db,
                               "INSERT OR IGNORE INTO obligations(id, policy, version, rule_id, run_id, subject_table, "
                               "subject_id, customer_id, case_id, occurrence, due_from, due_by, channels, assignees, priority, "
                               "questions, facts, trigger_day, rules, source, created_at, script) "
                               "SELECT ?1, o.policy, o.version, (SELECT x.id FROM obligation_rules x WHERE x.policy = "
                               "u.policy AND x.version = u.version AND x.sha256 = u.sha256 AND x.rule = ?6), o.run_id, "
                               "o.subject_table, o.subject_id, o.customer_id, o.case_id, ?2, ?3, ?4, o.channels, "
                               "CASE WHEN ?5 = '' THEN o.assignees ELSE ?5 END, o.priority, o.questions, ?7, ?8, o.rules, "
                               "'problem_case', ?9, o.script FROM obligations o JOIN obligation_rules u ON u.id = o.rule_id "
                               "WHERE o.id = ?10",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, occ, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, assign, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, rule, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, sb_str(&facts), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 8, trig, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 10, o->id, -1, SQLITE_STATIC);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
            int fresh = sqlite3_changes(db);
            sqlite3_finalize(st);
            if (!rc && fresh) (*opened)++; /* its questions: the original's script, copied with the row */
        }
    }
    free(assign);
    sb_free(&facts);
    if (!rc) add_reason(o, "follow-up %s due by %s", id, by);
    return rc;
}

/* ---- statistics ---- */
_Static_assert((int)V_MET == (int)VD_MET && (int)V_PROBLEM == (int)VD_PROBLEM && (int)V_OPEN == (int)VD_OPEN &&
                   (int)V_N == (int)VD_NVERDICTS,
               "verdict.h numbers the verdicts as verdict.c does");

/* A row being counted: the public row and the subjects it covers. */
typedef struct {
    VdStat s;        /* the row */
    PtrVec subjects; /* char* "policy US subject" of each obligation visited on time */
} Stat;

static Stat *stat_for(PtrVec *stats, const char *key, int create)
{
    for (size_t i = 0; i < stats->n; i++)
        if (!strcmp(((Stat *)stats->v[i])->s.key, key)) return stats->v[i];
    if (!create) return NULL;
    Stat *s = xcalloc(1, sizeof *s);
    s->s.key = xstrdup(key);
    s->s.required_bp = -1;
    pv_push(stats, s);
    return s;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int cmp_stat(const void *a, const void *b)
{
    return strcmp(((const VdStat *)a)->key, ((const VdStat *)b)->key);
}

int vd_standing(const VdStat *s)
{
    if (s->required_bp < 0 || s->eligible <= 0) return VD_STAND_NONE;
    if (s->covered * 10000 >= s->required_bp * s->eligible) return VD_STAND_OK;
    /* below the requirement while obligations are still open is not yet a breach */
    return s->n[V_OPEN] ? VD_STAND_AT_RISK : VD_STAND_BREACH;
}

const char *vd_verdict_name(int v) { return v >= 0 && v < V_N ? vnames[v] : "?"; }

static void pct(char *buf, size_t n, long num, long den)
{
    if (den <= 0) snprintf(buf, n, "-");
    else snprintf(buf, n, "%.1f%%", 100.0 * (double)num / (double)den);
}

static void print_stats(FILE *f, int fmt, const VdStats *stats, int by_policy)
{
    static const char *const head[] = {"key", "required", "eligible", "obligations", "met", "late", "missed",
                                       "wrong_channel", "wrong_assignee", "incomplete", "unreachable", "problem_case",
                                       "open", "coverage", "timeliness", "completeness", "satisfaction",
                                       "satisfied", "breach"};
    enum { NH = sizeof head / sizeof *head };
    char cells[NH][48];
    /* table widths */
    int w[NH];
    for (int c = 0; c < NH; c++) w[c] = (int)strlen(head[c]);
    PtrVec rows = {0};
    for (size_t i = 0; i < stats->n; i++) {
        const VdStat *s = &stats->v[i];
        char **r = xcalloc(NH, sizeof *r);
        snprintf(cells[0], 48, "%s", s->key);
        if (by_policy && s->required_bp >= 0) snprintf(cells[1], 48, "%ld%%", s->required_bp / 100);
        else snprintf(cells[1], 48, "-");
        if (by_policy) snprintf(cells[2], 48, "%ld", s->eligible);
        else snprintf(cells[2], 48, "-");
        snprintf(cells[3], 48, "%ld", s->total);
        for (int v = 0; v <= V_OPEN; v++) snprintf(cells[4 + v], 48, "%ld", s->n[v]);
        if (by_policy) pct(cells[13], 48, s->covered, s->eligible);
        else snprintf(cells[13], 48, "-");
        pct(cells[14], 48, s->on_time, s->completed);
        pct(cells[15], 48, s->complete, s->completed);
        if (s->sat_n) snprintf(cells[16], 48, "%.2f", (double)s->sat_sum / (double)s->sat_n);
        else snprintf(cells[16], 48, "-");
        pct(cells[17], 48, s->sat_ok, s->sat_n);
        int stand = vd_standing(s);
        snprintf(cells[18], 48, "%s", !by_policy ? "-" : stand == VD_STAND_AT_RISK ? "at risk"
                                      : stand == VD_STAND_BREACH ? "BREACH" : "ok");
        for (int c = 0; c < NH; c++) {
            r[c] = xstrdup(cells[c]);
            int x = utf8_width(r[c], strlen(r[c]));
            if (x > w[c]) w[c] = x;
        }
        pv_push(&rows, r);
    }
    if (fmt == FMT_CSV) {
        for (int c = 0; c < NH; c++) fprintf(f, "%s%s", c ? "," : "", head[c]);
        fputs("\r\n", f);
        for (size_t i = 0; i < rows.n; i++) {
            out_csv_row(f, (const char *const *)rows.v[i], NH);
        }
    } else if (fmt == FMT_JSON) {
        for (size_t i = 0; i < rows.n; i++) {
            char **r = rows.v[i];
            StrBuf b = {0};
            sb_putc(&b, '{');
            for (int c = 0; c < NH; c++) {
                if (c) sb_putc(&b, ',');
                sb_json_str(&b, head[c]);
                sb_putc(&b, ':');
                if (!strcmp(r[c], "-")) sb_puts(&b, "null");
                else if (c >= 2 && c <= 12) sb_puts(&b, r[c]);
                else sb_json_str(&b, r[c]);
            }
            sb_puts(&b, "}\n");
            fputs(sb_str(&b), f);
            sb_free(&b);
        }
    } else {
        for (int c = 0; c < NH; c++) {
            const char *h = c == 0 ? (by_policy ? "POLICY" : "GROUP") : head[c];
            char up[48];
            size_t k = 0;
            for (; h[k] && k + 1 < sizeof up; k++) up[k] = (char)(h[k] >= 'a' && h[k] <= 'z' ? h[k] - 32 : h[k]);
            up[k] = 0;
            fprintf(f, "%s%-*s", c ? "  " : "", c == NH - 1 ? 0 : w[c], up);
        }
        fputc('\n', f);
        for (size_t i = 0; i < rows.n; i++) {
            char **r = rows.v[i];
            for (int c = 0; c < NH; c++) {
                int x = utf8_width(r[c], strlen(r[c]));
                if (c == 0) fprintf(f, "%s%*s", r[c], w[c] - x, "");
                else fprintf(f, "  %*s%s", c == NH - 1 ? 0 : w[c] - x, "", r[c]);
            }
            fputc('\n', f);
        }
    }
    for (size_t i = 0; i < rows.n; i++) {
        char **r = rows.v[i];
        for (int c = 0; c < NH; c++) free(r[c]);
        free(r);
    }
    pv_free(&rows);
}

static void print_list(FILE *f, int fmt, Obl **v, size_t n)
{
    static const char *const head[] = {"obligation", "policy", "version", "customer", "case", "due_by", "verdict",
                                       "ok", "visit", "reasons"};
    if (fmt == FMT_CSV) {
        fputs("obligation,policy,version,customer,case,due_by,verdict,ok,visit,reasons\r\n", f);
    }
    int w[10];
    for (int c = 0; c < 10; c++) w[c] = (int)strlen(head[c]);
    for (int pass = fmt == FMT_TABLE ? 0 : 1; pass < 2; pass++) {
        if (pass == 1 && fmt == FMT_TABLE) {
            for (int c = 0; c < 10; c++) {
                char up[32];
                size_t k = 0;
                for (; head[c][k]; k++) up[k] = (char)(head[c][k] >= 'a' ? head[c][k] - 32 : head[c][k]);
                up[k] = 0;
                fprintf(f, "%s%-*s", c ? "  " : "", c == 9 ? 0 : w[c], up);
            }
            fputc('\n', f);
        }
        for (size_t i = 0; i < n; i++) {
            Obl *o = v[i];
            char ver[16], visit[24];
            snprintf(ver, sizeof ver, "%d", o->version);
            if (o->done) snprintf(visit, sizeof visit, "%lld", (long long)o->done->id);
            else snprintf(visit, sizeof visit, "-");
            const char *cell[10] = {o->id, o->policy, ver, o->customer, o->case_id ? o->case_id : "-", o->due_by,
                                    vnames[o->verdict], o->verdict == V_OPEN ? "-" : o->ok ? "yes" : "no", visit,
                                    o->reasons.len ? sb_str(&o->reasons) : "-"};
            if (pass == 0) {
                for (int c = 0; c < 10; c++) {
                    int x = utf8_width(cell[c], strlen(cell[c]));
                    if (x > w[c]) w[c] = x;
                }
                continue;
            }
            if (fmt == FMT_CSV) {
                const char *row[10];
                for (int c = 0; c < 10; c++) row[c] = c == 4 && !o->case_id ? "" : c == 8 && !o->done ? "" : cell[c];
                out_csv_row(f, row, 10);
            } else if (fmt == FMT_JSON) {
                StrBuf b = {0};
                sb_putc(&b, '{');
                for (int c = 0; c < 10; c++) {
                    if (c) sb_putc(&b, ',');
                    sb_json_str(&b, head[c]);
                    sb_putc(&b, ':');
                    if (c == 2) sb_puts(&b, ver);
                    else if (c == 7) sb_puts(&b, o->verdict == V_OPEN ? "null" : o->ok ? "true" : "false");
                    else if (c == 8) sb_puts(&b, o->done ? visit : "null");
                    else if (c == 4 && !o->case_id) sb_puts(&b, "null");
                    else sb_json_str(&b, c == 9 ? sb_str(&o->reasons) : cell[c]);
                }
                sb_puts(&b, "}\n");
                fputs(sb_str(&b), f);
                sb_free(&b);
            } else {
                for (int c = 0; c < 10; c++) {
                    int x = utf8_width(cell[c], strlen(cell[c]));
                    fprintf(f, "%s%s%*s", c ? "  " : "", cell[c], c == 9 ? 0 : w[c] - x, "");
                }
                fputc('\n', f);
            }
        }
    }
}

const char *vd_period_key(const char *by, int64_t d, char *buf, size_t n)
{
    int y, m, dd;
    cal_civil(d, &y, &m, &dd);
    if (!strcmp(by, "week")) {
        char s[11];
        cal_fmt_date(d - cal_weekday(d), s);
        snprintf(buf, n, "week of %s", s);
        return buf;
    }
    if (!strcmp(by, "month")) {
        snprintf(buf, n, "%04d-%02d", y, m);
        return buf;
    }
    if (!strcmp(by, "quarter")) {
        snprintf(buf, n, "%04d-Q%d", y, (m - 1) / 3 + 1);
        return buf;
    }
    return NULL;
}

static const char *group_key(const char *by, Obl *ob, char *buf, size_t n)
{
    if (!strcmp(by, "department")) return ob->department ? ob->department : "-";
    if (!strcmp(by, "staff")) return ob->done && ob->done->staff ? ob->done->staff : "-";
    int64_t d = 0;
    cal_parse_date(ob->trigger_day, 10, &d);
    const char *k = vd_period_key(by, d, buf, n);
    return k ? k : ob->policy;
}

/* The judged obligations of a period (see verdict.h). */
struct VdResult {
    PtrVec obls;       /* Obl*, in due order */
    PtrVec visits;     /* Visit* read */
    int added;         /* verdicts recorded */
    int opened;        /* problem-case follow-ups opened */
    int raised;        /* escalations raised on verdicts */
    long unmatched;    /* visits in the period that matched nothing */
    StrBuf unmatched_ids; /* the first ten of them */
};

void vd_free(VdResult *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->obls.n; i++) obl_free(r->obls.v[i]);
    for (size_t i = 0; i < r->visits.n; i++) visit_free(r->visits.v[i]);
    pv_free(&r->obls);
    pv_free(&r->visits);
    sb_free(&r->unmatched_ids);
    free(r);
}

size_t vd_count(const VdResult *r) { return r->obls.n; }
const char *vd_policy(const VdResult *r, size_t i) { return ((Obl *)r->obls.v[i])->policy; }
const char *vd_subject(const VdResult *r, size_t i) { return ((Obl *)r->obls.v[i])->subject_id; }
const char *vd_verdict(const VdResult *r, size_t i) { return vnames[((Obl *)r->obls.v[i])->verdict]; }
const char *vd_reasons(const VdResult *r, size_t i) { return sb_str(&((Obl *)r->obls.v[i])->reasons); }
const char *vd_id(const VdResult *r, size_t i) { return ((Obl *)r->obls.v[i])->id; }
const char *vd_due_by(const VdResult *r, size_t i) { return ((Obl *)r->obls.v[i])->due_by; }

int vd_coverage(sqlite3 *db, const VdResult *r, const char *policy, int64_t from, int64_t to, long *covered,
                long *eligible)
{
    PtrVec subjects = {0};
    for (size_t i = 0; i < r->obls.n; i++) {
        Obl *ob = r->obls.v[i];
        if (strcmp(ob->policy, policy) || !ob->on_time) continue;
        int seen = 0;
        for (size_t k = 0; k < subjects.n && !seen; k++) seen = !strcmp(subjects.v[k], ob->subject_id);
        if (!seen) pv_push(&subjects, ob->subject_id);
    }
    *covered = (long)subjects.n;
    pv_free(&subjects);
    *eligible = 0;
    sqlite3_stmt *st;
    char pf[11], pt[11];
    cal_fmt_date(from, pf);
    cal_fmt_date(to, pt);
    if (sqlite3_prepare_v2(db, "SELECT coalesce(sum(eligible), 0) FROM policy_groups WHERE policy = ?1 AND grp BETWEEN ?2 AND ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, policy, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, pf, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, pt, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) *eligible = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}

void vd_view(const VdResult *r, size_t i, VdView *out)
{
    const Obl *o = r->obls.v[i];
    out->id = o->id;
    out->policy = o->policy;
    out->version = o->version;
    out->customer = o->customer;
    out->case_id = o->case_id;
    out->subject = o->subject_id;
    out->due_by = o->due_by;
    out->trigger_day = o->trigger_day;
    out->department = o->department;
    out->staff = o->done ? o->done->staff : NULL;
    out->verdict = o->verdict;
    out->ok = o->ok;
    out->visit = o->done ? (long long)o->done->id : 0;
    out->reasons = sb_str(&o->reasons);
}

VdStats *vd_stats(sqlite3 *db, const VdResult *r, const char *by, int64_t from, int64_t to)
{
    if (!by) by = "policy";
    int by_policy = !strcmp(by, "policy");
    char probe[32];
    int by_period = vd_period_key(by, 0, probe, sizeof probe) != NULL;
    if (!by_policy && !by_period && strcmp(by, "department") && strcmp(by, "staff")) return NULL;
    PtrVec acc = {0};
    for (size_t i = 0; i < r->obls.n; i++) {
        Obl *ob = r->obls.v[i];
        char buf[64];
        VdStat *s = &stat_for(&acc, group_key(by, ob, buf, sizeof buf), 1)->s;
        s->total++;
        s->n[ob->verdict]++;
        s->failed += ob->verdict != V_OPEN && !ob->ok;
        if (ob->completed) {
            s->completed++;
            s->on_time += ob->on_time;
            s->complete += ob->complete_script;
            if (ob->done->satisfaction >= 0) {
                s->sat_n++;
                s->sat_sum += ob->done->satisfaction;
                s->sat_ok += ob->done->satisfaction >= 4;
            }
        }
        if (ob->on_time) {
            /* counted once each below, after sorting */
            pv_push(&((Stat *)s)->subjects, xasprintf("%s\x1f%s", ob->policy, ob->subject_id));
        }
    }
    int rc = 0;
    if (by_policy || by_period) {
        /* eligible subjects (and, by policy, the required coverage) from the runs */
        char pf[11], pt[11];
        cal_fmt_date(from, pf);
        cal_fmt_date(to, pt);
        sqlite3_stmt *st = NULL;
        const char *sql = by_policy ? "SELECT policy, sum(eligible), max(coverage_bp) FROM policy_groups "
                                      "WHERE grp BETWEEN ?1 AND ?2 GROUP BY policy"
                                    : "SELECT grp, eligible FROM policy_groups WHERE grp BETWEEN ?1 AND ?2";
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = -1;
        } else {
            sqlite3_bind_text(st, 1, pf, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, pt, -1, SQLITE_STATIC);
            while (sqlite3_step(st) == SQLITE_ROW) {
                const char *k = (const char *)sqlite3_column_text(st, 0);
                char buf[64];
                int64_t d = 0;
                if (!k) continue;
                if (by_period) {
                    if (cal_parse_date(k, strlen(k) < 10 ? strlen(k) : 10, &d)) continue;
                    k = vd_period_key(by, d, buf, sizeof buf);
                }
                /* by period, only rows that have obligations (so the listing
                 * of `verdicts --by week` shows judged groups only) */
                Stat *s = stat_for(&acc, k, by_policy);
                if (!s) continue;
                s->s.eligible += sqlite3_column_int64(st, 1);
                if (by_policy) s->s.required_bp = sqlite3_column_int64(st, 2);
            }
            sqlite3_finalize(st);
        }
    }
    VdStats *res = NULL;
    if (rc) {
        store_error(db, "verdicts");
    } else {
        res = xcalloc(1, sizeof *res);
        res->n = acc.n;
        res->v = xcalloc(acc.n + 1, sizeof *res->v);
    }
    for (size_t i = 0; i < acc.n; i++) {
        Stat *s = acc.v[i];
        if (s->subjects.n > 1) qsort(s->subjects.v, s->subjects.n, sizeof *s->subjects.v, cmp_str);
        s->s.covered = 0;
        for (size_t k = 0; k < s->subjects.n; k++)
            s->s.covered += !k || strcmp(s->subjects.v[k - 1], s->subjects.v[k]);
        for (size_t k = 0; k < s->subjects.n; k++) free(s->subjects.v[k]);
        pv_free(&s->subjects);
        if (res) res->v[i] = s->s;
        else free(s->s.key);
        free(s);
    }
    pv_free(&acc);
    if (res && res->n > 1) qsort(res->v, res->n, sizeof *res->v, cmp_stat);
    return res;
}

void vd_stats_free(VdStats *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) free(s->v[i].key);
    free(s->v);
    free(s);
}

VdResult *vd_judge(sqlite3 *db, int64_t from, int64_t to, int64_t as_of)
{
    char pf[11], pt[11], asof[11], now[20];
    cal_fmt_date(from, pf);
    cal_fmt_date(to, pt);
    cal_fmt_date(as_of, asof);
    now_text(now);
    VdResult *res = xcalloc(1, sizeof *res);
    PtrVec obls = {0}, visits = {0};
    Judge j = {db, NULL, NULL, as_of};
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "revisit: the store is busy: %s\n", sqlite3_errmsg(db));
        free(res);
        return NULL;
    }
    const char *oq =
        "SELECT o.id, o.policy, o.version, o.customer_id, o.case_id, o.due_from, o.due_by, o.channels, o.assignees, "
        STORE_OBLIGATION_RULES("o") ", c.department, o.subject_table, o.subject_id, o.trigger_day, o.priority, o.questions "
        "FROM obligations o LEFT JOIN cases c ON c.id = o.case_id WHERE o.trigger_day BETWEEN ?1 AND ?2 "
        "ORDER BY o.due_by, o.id";
    if (sqlite3_prepare_v2(db, oq, -1, &st, NULL) != SQLITE_OK) goto store_fail;
    sqlite3_bind_text(st, 1, pf, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, pt, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        Obl *ob = xcalloc(1, sizeof *ob);
        ob->id = store_col_dup(st, 0);
        ob->policy = store_col_dup(st, 1);
        ob->version = sqlite3_column_int(st, 2);
        ob->customer = store_col_dup(st, 3);
        ob->case_id = store_col_dup(st, 4);
        const char *df = (const char *)sqlite3_column_text(st, 5), *db_ = (const char *)sqlite3_column_text(st, 6);
        ob->from_t = parse_when(df);
        snprintf(ob->due_by, sizeof ob->due_by, "%s", db_);
        int64_t byt = parse_when(db_);
        ob->by_day = byt / 86400;
        ob->deadline = strlen(db_) > 10 ? byt + 60 : (ob->by_day + 1) * 86400;
        ob->channels = store_col_dup(st, 7);
        ob->assignees = store_col_dup(st, 8);
        ob->rules = store_col_dup(st, 9);
        ob->department = store_col_dup(st, 10);
        ob->subject_table = store_col_dup(st, 11);
        ob->subject_id = store_col_dup(st, 12);
        ob->trigger_day = store_col_dup(st, 13);
        ob->priority = sqlite3_column_int(st, 14);
        ob->questions = store_col_dup(st, 15);
        pv_push(&obls, ob);
    }
    sqlite3_finalize(st);
    st = NULL;
    /* visits of the customers concerned, plus every visit in the period (to
     * report the ones that match nothing) */
    const char *vq =
        "SELECT v.id, v.obligation_id, v.customer_id, v.case_id, v.channel, v.staff_id, s.role, s.department, v.at, "
        "v.outcome, v.reason, v.satisfaction FROM visits v LEFT JOIN staff s ON s.id = v.staff_id "
        "WHERE (v.customer_id IN (SELECT customer_id FROM obligations WHERE trigger_day BETWEEN ?1 AND ?2) "
        "OR (v.at >= ?1 AND v.at < date(?2, '+1 day'))) "
        "AND v.id NOT IN (SELECT corrects FROM visits WHERE corrects IS NOT NULL)"; /* corrected visits yield */
    if (sqlite3_prepare_v2(db, vq, -1, &st, NULL) != SQLITE_OK) goto store_fail;
    sqlite3_bind_text(st, 1, pf, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, pt, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        Visit *v = xcalloc(1, sizeof *v);
        v->id = sqlite3_column_int64(st, 0);
        v->obl = store_col_dup(st, 1);
        v->customer = store_col_dup(st, 2);
        v->case_id = store_col_dup(st, 3);
        v->channel = store_col_dup(st, 4);
        v->staff = store_col_dup(st, 5);
        v->role = store_col_dup(st, 6);
        v->department = store_col_dup(st, 7);
        v->at_text = store_col_dup(st, 8);
        v->at = parse_when(v->at_text);
        v->outcome = store_col_dup(st, 9);
        v->reason = store_col_dup(st, 10);
        v->satisfaction = sqlite3_column_type(st, 11) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 11);
        if (!v->customer) v->customer = xstrdup("");
        if (!v->channel) v->channel = xstrdup("");
        if (!v->outcome) v->outcome = xstrdup("");
        pv_push(&visits, v);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (visits.n > 1) qsort(visits.v, visits.n, sizeof *visits.v, cmp_visit_customer);
    /* by obligation id */
    Obl **byid = xcalloc(obls.n + 1, sizeof *byid);
    if (obls.n) memcpy(byid, obls.v, obls.n * sizeof *byid);
    if (obls.n > 1) qsort(byid, obls.n, sizeof *byid, cmp_obl_id);
    for (size_t i = 0; i < visits.n; i++) {
        Visit *v = visits.v[i];
        if (!v->obl) continue;
        Obl key = {0}, *kp = &key;
        key.id = v->obl;
        Obl **hit = bsearch(&kp, byid, obls.n, sizeof *byid, cmp_obl_id);
        if (hit) {
            pv_push(&(*hit)->visits, v);
            v->used = 1;
        }
    }
    free(byid);
    /* by customer, case and window, earliest deadline first */
    for (size_t i = 0; i < obls.n; i++) {
        Obl *ob = obls.v[i];
        if (ob->visits.n) continue;
        size_t lo = 0, hi = visits.n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(((Visit *)visits.v[mid])->customer, ob->customer) < 0) lo = mid + 1;
            else hi = mid;
        }
        int64_t win_from = ob->from_t - ob->from_t % 86400, win_to = ob->deadline + LATE_GRACE_DAYS * 86400;
        for (size_t k = lo; k < visits.n; k++) {
            Visit *v = visits.v[k];
            if (strcmp(v->customer, ob->customer)) break;
            if (v->used || v->obl) continue;
            if (v->case_id && (!ob->case_id || strcmp(v->case_id, ob->case_id))) continue;
            if (v->at < win_from || v->at >= win_to) continue;
            v->used = 1;
            pv_push(&ob->visits, v);
            if (!strcmp(v->outcome, "completed")) break;
        }
    }
    if (sqlite3_prepare_v2(db, "SELECT qset, ordered, question, mandatory, affirmative FROM obligation_questions "
                               "WHERE obligation_id = ? ORDER BY qset, pos", -1, &j.qs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT question, answer, seq, affirmative FROM answers WHERE visit_id = ?", -1, &j.ans,
                           NULL) != SQLITE_OK)
        goto store_fail;
    int added = 0, opened = 0, raised = 0;
    for (size_t i = 0; i < obls.n; i++) {
        Obl *ob = obls.v[i];
        judge(&j, ob);
        if (problem_followup(db, ob, now, &opened)) goto store_fail;
        if (ob->verdict != V_OPEN && store_verdict(db, ob, asof, now, &added)) goto store_fail;
        if (ob->verdict != V_OPEN &&
            esc_on_verdict(db, ob->id, vnames[ob->verdict], ob->done ? ob->done->id : 0,
                           ob->done ? ob->done->satisfaction : -1, ob->done ? ob->done->at / 86400 : as_of, &raised))
            goto store_fail;
    }
    if (chain_seal(db, NULL)) goto store_fail;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto store_fail;

    res->added = added;
    res->opened = opened;
    res->raised = raised;
    sqlite3_stmt *known = NULL;
    sqlite3_prepare_v2(db, "SELECT 1 FROM obligations WHERE id = ?", -1, &known, NULL);
    for (size_t i = 0; i < visits.n; i++) {
        Visit *v = visits.v[i];
        int in_period = v->at >= from * 86400 && v->at < (to + 1) * 86400;
        if (!v->used && in_period && v->obl && known) {
            /* it names an obligation of another period: not unmatched */
            sqlite3_reset(known);
            sqlite3_bind_text(known, 1, v->obl, -1, SQLITE_STATIC);
            if (sqlite3_step(known) == SQLITE_ROW) continue;
        }
        if (!v->used && in_period) {
            if (res->unmatched < 10) sb_printf(&res->unmatched_ids, "%s%lld", res->unmatched ? ", " : "", (long long)v->id);
            res->unmatched++;
        }
    }
    sqlite3_finalize(known);
    res->obls = obls;
    res->visits = visits;
    sqlite3_finalize(j.qs);
    sqlite3_finalize(j.ans);
    return res;
store_fail:
    store_error(db, "verdicts");
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(st);
    sqlite3_finalize(j.qs);
    sqlite3_finalize(j.ans);
    res->obls = obls;
    res->visits = visits;
    vd_free(res);
    return NULL;
}

int cmd_verdicts(const Opts *o)
{
    int64_t from, to;
    if (!o->store || !o->period) {
        fprintf(stderr, "revisit: usage: revisit verdicts -s STORE --period P (see revisit verdicts --help)\n");
        return EXIT_USAGE;
    }
    if (cli_parse_period(o->period, &from, &to)) {
        fprintf(stderr, "revisit: --period '%s' is not a period (2026-10, 2026-Q3, 2026-H2, 2026, or "
                        "2026-10-01..2026-10-31)\n", o->period);
        return EXIT_USAGE;
    }
    if (o->by && strcmp(o->by, "policy") && strcmp(o->by, "department") && strcmp(o->by, "staff") &&
        strcmp(o->by, "week") && strcmp(o->by, "month") && strcmp(o->by, "quarter")) {
        fprintf(stderr, "revisit: --by takes policy, department, staff, week, month or quarter\n");
        return EXIT_USAGE;
    }
    int64_t as_of = cli_as_of(o);
    if (as_of < 0) return EXIT_USAGE;
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    char pf[11], pt[11], asof[11];
    cal_fmt_date(from, pf);
    cal_fmt_date(to, pt);
    cal_fmt_date(as_of, asof);
    int code = EXIT_OK;
    VdResult *vr = vd_judge(db, from, to, as_of);
    if (!vr) {
        sqlite3_close(db);
        return EXIT_STORE;
    }
    PtrVec obls = vr->obls;
    int by_policy = !o->by || !strcmp(o->by, "policy");
    VdStats *stats = vd_stats(db, vr, o->by, from, to);
    FILE *out = NULL;
    if (!stats) {
        code = EXIT_STORE;
        goto done;
    }
    out = cli_output(o);
    if (!out) {
        code = EXIT_STORE;
        goto done;
    }
    int fmt = o->format >= 0 ? o->format : FMT_TABLE;
    if (o->list) print_list(out, fmt, (Obl **)obls.v, obls.n);
    else print_stats(out, fmt, stats, by_policy);
    FILE *info = fmt == FMT_TABLE && out == stdout ? stdout : stderr;
    long unmatched = vr->unmatched;
    int added = vr->added, opened = vr->opened;
    fprintf(info, "period %s..%s as of %s: %zu obligation%s judged; %d verdict%s recorded; %d problem-case follow-up%s opened",
            pf, pt, asof, obls.n, obls.n == 1 ? "" : "s", added, added == 1 ? "" : "s", opened, opened == 1 ? "" : "s");
    if (vr->raised) fprintf(info, "; %d escalation%s raised", vr->raised, vr->raised == 1 ? "" : "s");
    fputc('\n', info);
    if (unmatched)
        fprintf(info, "%ld visit%s in the period matched no obligation: %s%s\n", unmatched, unmatched == 1 ? "" : "s",
                sb_str(&vr->unmatched_ids), unmatched > 10 ? ", ..." : "");
    if (o->fail_on_breach && by_policy)
        for (size_t i = 0; i < stats->n; i++)
            if (vd_standing(&stats->v[i]) == VD_STAND_BREACH) code = EXIT_FINDINGS;
    if (cli_output_end(out, o, 1)) code = EXIT_STORE;
done:
    vd_stats_free(stats);
    vd_free(vr);
    sqlite3_close(db);
    return code;
}

int cmd_record(const Opts *o)
{
    if (!o->store || !o->obligation || !o->channel || !o->at || !o->outcome) {
        fprintf(stderr, "revisit: usage: revisit record -s STORE --obligation ID --channel C --at TIME --outcome O "
                        "[--staff S] [--reason R] [--satisfaction N] [--answer Q=A ...]\n");
        return EXIT_USAGE;
    }
    static const char *const outcomes[] = {"completed", "unreachable", "refused", "rescheduled"};
    int ok = 0;
    for (int i = 0; i < 4; i++) ok |= !strcmp(o->outcome, outcomes[i]);
    if (!ok) {
        fprintf(stderr, "revisit: --outcome takes completed, unreachable, refused or rescheduled\n");
        return EXIT_USAGE;
    }
    int64_t at;
    if (cal_parse_time(o->at, strlen(o->at), &at)) {
        fprintf(stderr, "revisit: --at '%s' is not a time (YYYY-MM-DD HH:MM[:SS])\n", o->at);
        return EXIT_USAGE;
    }
    for (int i = 0; i < o->nanswers; i++)
        if (!strchr(o->answers[i], '=') || o->answers[i][0] == '=') {
            fprintf(stderr, "revisit: --answer takes QUESTION=ANSWER, not '%s'\n", o->answers[i]);
            return EXIT_USAGE;
        }
    if (strcmp(o->outcome, "completed") && !o->reason)
        fprintf(stderr, "revisit: warning: a failed attempt without --reason does not count towards 'unreachable'\n");
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    char attext[20];
    cal_fmt_time(at, attext);
    int code = EXIT_OK;
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (sqlite3_prepare_v2(db, "SELECT customer_id, case_id FROM obligations WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, o->obligation, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        fprintf(stderr, "revisit: no obligation %s in %s; nothing was written\n", o->obligation, o->store);
        sqlite3_finalize(st);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
        return EXIT_FINDINGS;
    }
    char *customer = store_col_dup(st, 0), *case_id = store_col_dup(st, 1);
    sqlite3_finalize(st);
    st = NULL;
    if (o->corrects) {
        int found = 0;
        if (sqlite3_prepare_v2(db, "SELECT 1 FROM visits WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, atoll(o->corrects));
            found = sqlite3_step(st) == SQLITE_ROW;
            sqlite3_finalize(st);
            st = NULL;
        }
        if (!found) {
            fprintf(stderr, "revisit: --corrects %s: no such visit; nothing was written\n", o->corrects);
            free(customer);
            free(case_id);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            sqlite3_close(db);
            return EXIT_USAGE;
        }
    }
    int rc = sqlite3_prepare_v2(db, "INSERT INTO visits(obligation_id, customer_id, case_id, channel, staff_id, at, "
                                    "outcome, reason, satisfaction, note, corrects) VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, o->obligation, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, customer, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, o->channel, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, o->staff, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, attext, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, o->outcome, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, o->reason, -1, SQLITE_STATIC);
        if (o->satisfaction >= 0) sqlite3_bind_int(st, 9, o->satisfaction);
        else sqlite3_bind_null(st, 9);
        sqlite3_bind_text(st, 10, o->note, -1, SQLITE_STATIC);
        if (o->corrects) sqlite3_bind_int64(st, 11, atoll(o->corrects));
        else sqlite3_bind_null(st, 11);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    st = NULL;
    free(customer);
    free(case_id);
    if (rc != SQLITE_OK) goto fail;
    sqlite3_int64 vid = sqlite3_last_insert_rowid(db);
    if (sqlite3_prepare_v2(db, "INSERT INTO answers(visit_id, question, seq, answer, affirmative) VALUES "
                               "(?1, ?2, ?3, ?4, CASE WHEN (SELECT affirmative FROM obligation_questions WHERE "
                               "obligation_id = ?5 AND question = ?2 LIMIT 1) IS NOT NULL THEN ?4 = (SELECT affirmative "
                               "FROM obligation_questions WHERE obligation_id = ?5 AND question = ?2 LIMIT 1) ELSE ?6 END)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (int i = 0; i < o->nanswers; i++) {
        const char *eq = strchr(o->answers[i], '=');
        char *q = xstrndup(o->answers[i], (size_t)(eq - o->answers[i]));
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_text(st, 2, q, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, i + 1);
        sqlite3_bind_text(st, 4, eq + 1, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, o->obligation, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, default_affirmative(eq + 1));
        free(q);
        if (sqlite3_step(st) != SQLITE_DONE) goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (chain_seal(db, NULL)) goto fail;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    printf("recorded visit %lld for %s (%d answer%s)\n", (long long)vid, o->obligation, o->nanswers,
           o->nanswers == 1 ? "" : "s");
    sqlite3_close(db);
    return code;
fail:
    store_error(db, "record");
    sqlite3_finalize(st);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    fprintf(stderr, "revisit: record: nothing was written\n");
    sqlite3_close(db);
    return EXIT_STORE;
}
