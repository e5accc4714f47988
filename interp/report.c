/* report.c - `revisit report`: the compliance report of a period, written
 * for the people who read monthly and quarterly figures rather than run
 * commands.
 *
 * It judges the period exactly as `revisit verdicts` does (vd_judge, so the
 * same new verdicts are recorded), takes the same statistics (vd_stats) by
 * policy, department, staff member and week or month, reads the policy
 * versions and the escalations from the store, and writes one document:
 *
 *   - HTML: one self-contained, well-formed (XHTML-style) file in UTF-8 with
 *     a system font stack, inline CSS and inline SVG charts drawn here; no
 *     script, no web font, no reference to anything outside the file;
 *   - Markdown: the same sections as tables, for e-mail.
 *
 * Sections, in order: key figures; breaches (and policies at risk) first;
 * coverage by policy (achieved vs required, the threshold marked), with
 * timeliness, completeness and satisfaction; the trend by week or month;
 * by department; by staff member; the non-compliant obligations, breached
 * policies first; the escalations open at the end of the period; the policy
 * versions in force.
 *
 * Personal numbers never reach the report: every text read from the store
 * passes through mask_text(), which masks runs of 7 or more digits like a
 * mobile number (138****5678) and 15/18-character identity numbers
 * (1****************X), unless the run is part of an identifier (follows a
 * letter or '_', or a letter and '-' as in O-123456789012, or runs into a
 * letter).  Customers are named by their id only. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cal.h"
#include "store.h"
#include "util.h"
#include "verdict.h"

#define REP_MAX_ROWS_HTML 500 /* non-compliant obligations listed in HTML */
#define REP_MAX_ROWS_MD 100   /* and in Markdown */

/* One row of policy_versions, with the days it was in force. */
typedef struct {
    char *policy;     /* policy id */
    int version;      /* its version */
    char *sha;        /* SHA-256 of its text (hex) */
    char *title;      /* title, or NULL */
    char *effective;  /* YYYY-MM-DD, or NULL */
    char *file;       /* file it was read from, or NULL */
    char *first_seen; /* local time of the first run that used it */
    int64_t start;    /* first day in force (INT64_MIN: no effective date) */
    int64_t end;      /* last day in force (INT64_MAX: still in force) */
    int replaced;     /* a later text took effect the same day: never in force */
    long judged;      /* obligations of this version judged in the period */
} Version;

/* One policy of the report. */
typedef struct {
    char *id;          /* policy id */
    const char *title; /* title of the version in force at the end of the period (borrowed), or NULL */
    const VdStat *st;  /* its statistics row (borrowed), or NULL when nothing was judged or eligible */
    int rank;          /* 0 breach, 1 at risk, 2 ok, 3 no requirement known, 4 nothing in the period */
} PolRow;

/* One escalation open at the end of the period. */
enum { E_ID, E_POLICY, E_RULE, E_LEVEL, E_TARGET, E_CUSTOMER, E_SUBJECT, E_RAISED, E_DUE, E_CITES, E_STATUS, E_N };
typedef struct {
    char *c[E_N]; /* the cells, as above; never NULL */
} EscRow;

/* One staff member (for names and departments in the staff table). */
typedef struct {
    char *id, *name, *department; /* staff.id, name and department ("" when null) */
} Staffer;

/* A trend bucket: a week, month or quarter of the period. */
typedef struct {
    char key[32];     /* vd_stats key (week of 2026-11-02, 2026-11, 2026-Q4) */
    char label[32];   /* axis label (11-02, 2026-11, 2026-Q4) */
    const VdStat *st; /* its row, or NULL when nothing was triggered in it */
} Bucket;

typedef struct {
    sqlite3 *db;          /* the store */
    const char *store;    /* its name as given */
    int64_t from, to;     /* the period, day numbers */
    int64_t as_of;        /* judgement date */
    int64_t cut;          /* end of the period, or as_of when earlier: the escalations' cut-off */
    char pf[11], pt[11], asof[11], cutd[11]; /* the same as text */
    char now[20];         /* local time of writing */
    VdResult *vr;         /* the judged obligations */
    VdStats *pol, *dept, *staff, *trend; /* statistics by policy, department, staff member, trend bucket */
    const char *trend_by; /* "week", "month" or "quarter" */
    PtrVec versions;      /* Version*, by policy then start */
    PtrVec policies;      /* PolRow*, in report order */
    PtrVec escalations;   /* EscRow*, by due date */
    PtrVec staffers;      /* Staffer* */
    Bucket *buckets;      /* trend buckets, in time order */
    size_t nbuckets;      /* how many */
    long breaches, at_risk; /* policies in breach, at risk */
} Report;

int rep_format(const char *s)
{
    if (!strcmp(s, "html")) return REP_HTML;
    if (!strcmp(s, "md") || !strcmp(s, "markdown")) return REP_MD;
    return -1;
}

/* ---- text: masking and escaping ---- */

static int is_alpha(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* s with personal numbers masked (see the head of this file); code: wrap
 * each masked number in backticks (a Markdown code span, so that its
 * asterisks stay asterisks).  Heap. */
static char *mask_text(const char *s, int code)
{
    StrBuf b = {0};
    if (!s) return xstrdup("");
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        if (!is_digit((unsigned char)s[i])) {
            sb_putc(&b, s[i++]);
            continue;
        }
        size_t j = i;
        while (j < n && is_digit((unsigned char)s[j])) j++;
        size_t len = j - i;
        int id_tail = len == 17 && j < n && (s[j] == 'X' || s[j] == 'x');
        if (id_tail) j++, len++;
        int part_of_id = (i > 0 && (is_alpha((unsigned char)s[i - 1]) || s[i - 1] == '_')) ||
                         (i > 1 && s[i - 1] == '-' && is_alpha((unsigned char)s[i - 2])) ||
                         (j < n && is_alpha((unsigned char)s[j]));
        if (len < 7 || part_of_id) {
            sb_putn(&b, s + i, j - i);
        } else {
            char *num = xstrndup(s + i, len), out[64];
            if (len == 15 || len == 18) mask_id(num, out, sizeof out);
            else if (len < sizeof out) mask_phone(num, out, sizeof out);
            else snprintf(out, sizeof out, "%s", "****");
            if (code) sb_putc(&b, '`');
            sb_puts(&b, out);
            if (code) sb_putc(&b, '`');
            free(num);
        }
        i = j;
    }
    return sb_take(&b);
}

/* Append s escaped for XML text and attributes: & < > " ' as references,
 * control characters other than tab and newline as spaces, bytes that are
 * not UTF-8 as U+FFFD.  Not masked. */
static void h_raw(StrBuf *b, const char *s)
{
    if (!s) return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            switch (c) {
            case '&': sb_puts(b, "&amp;"); break;
            case '<': sb_puts(b, "&lt;"); break;
            case '>': sb_puts(b, "&gt;"); break;
            case '"': sb_puts(b, "&quot;"); break;
            case '\'': sb_puts(b, "&#39;"); break;
            default: sb_putc(b, (char)(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c));
            }
            p++;
            continue;
        }
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        size_t avail = strnlen((const char *)p, (size_t)len);
        if (len > 1 && avail == (size_t)len && utf8_valid((const char *)p, (size_t)len)) {
            sb_putn(b, (const char *)p, (size_t)len);
            p += len;
        } else {
            sb_puts(b, "\xEF\xBF\xBD");
            p++;
        }
    }
}

/* Append a text from the store: masked, then escaped. */
static void h_text(StrBuf *b, const char *s)
{
    char *m = mask_text(s, 0);
    h_raw(b, m);
    free(m);
}

/* Append a text from the store for a Markdown table cell: the characters
 * that would break the table or become markup escaped, line breaks as
 * spaces, then masked (numbers as code spans), with the same UTF-8 repair
 * as HTML. */
static void md_text(StrBuf *b, const char *s)
{
    StrBuf t = {0};
    for (const char *p = s ? s : ""; *p; p++) {
        if (strchr("\\|<>*[]`", *p)) sb_putc(&t, '\\');
        sb_putc(&t, *p == '\n' || *p == '\r' ? ' ' : *p);
    }
    char *m = mask_text(sb_str(&t), 1);
    /* repair UTF-8 through the XML path, then undo its references */
    StrBuf h = {0};
    h_raw(&h, m);
    for (const char *p = sb_str(&h); *p;) {
        static const struct { const char *ref, *ch; } refs[] = {
            {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
        int done = 0;
        for (size_t k = 0; k < sizeof refs / sizeof *refs && !done; k++)
            if (!strncmp(p, refs[k].ref, strlen(refs[k].ref))) {
                sb_puts(b, refs[k].ch);
                p += strlen(refs[k].ref);
                done = 1;
            }
        if (!done) sb_putc(b, *p++);
    }
    sb_free(&h);
    sb_free(&t);
    free(m);
}

/* s cut to at most maxw display columns (a CJK character is two), with an
 * ellipsis when cut; heap. */
static char *cut_width(const char *s, int maxw)
{
    if (!s) return xstrdup("");
    size_t n = strlen(s);
    if (utf8_width(s, n) <= maxw) return xstrdup(s);
    size_t i = 0;
    int w = 0;
    while (i < n) {
        size_t k = i + 1;
        while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
        int cw = utf8_width(s + i, k - i);
        if (w + cw > maxw - 1) break;
        w += cw;
        i = k;
    }
    char *r = xasprintf("%.*s\xE2\x80\xA6", (int)i, s);
    return r;
}

static void pct(char *buf, size_t n, long num, long den)
{
    if (den <= 0) snprintf(buf, n, "-");
    else snprintf(buf, n, "%.1f%%", 100.0 * (double)num / (double)den);
}

static double ratio(long num, long den) { return den > 0 ? (double)num / (double)den : 0.0; }

/* ---- reading the store ---- */

static int cmp_version(const void *a, const void *b)
{
    const Version *x = *(Version *const *)a, *y = *(Version *const *)b;
    int c = strcmp(x->policy, y->policy);
    if (c) return c;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->version != y->version) return x->version < y->version ? -1 : 1;
    return strcmp(x->first_seen, y->first_seen);
}

/* policy_versions, with the days each text was in force: from its effective
 * date until the day before the next text of the policy takes effect (a
 * later text with the same start replaces it at once). */
static int read_versions(Report *r)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, "SELECT policy, version, sha256, title, effective, file, first_seen "
                                  "FROM policy_versions", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        Version *v = xcalloc(1, sizeof *v);
        v->policy = store_col_dup(st, 0);
        v->version = sqlite3_column_int(st, 1);
        v->sha = store_col_dup(st, 2);
        v->title = store_col_dup(st, 3);
        v->effective = store_col_dup(st, 4);
        v->file = store_col_dup(st, 5);
        v->first_seen = store_col_dup(st, 6);
        if (!v->policy) v->policy = xstrdup("");
        if (!v->sha) v->sha = xstrdup("");
        if (!v->first_seen) v->first_seen = xstrdup("");
        int64_t d;
        v->start = v->effective && !cal_parse_date(v->effective, strlen(v->effective), &d) ? d : INT64_MIN;
        v->end = INT64_MAX;
        pv_push(&r->versions, v);
    }
    sqlite3_finalize(st);
    if (r->versions.n > 1) qsort(r->versions.v, r->versions.n, sizeof *r->versions.v, cmp_version);
    for (size_t i = 0; i + 1 < r->versions.n; i++) {
        Version *v = r->versions.v[i], *w = r->versions.v[i + 1];
        if (strcmp(v->policy, w->policy)) continue;
        if (w->start == v->start) v->replaced = 1;
        else v->end = w->start - 1; /* w->start > v->start >= INT64_MIN */
    }
    /* obligations judged per version */
    for (size_t i = 0; i < vd_count(r->vr); i++) {
        VdView o;
        vd_view(r->vr, i, &o);
        Version *best = NULL;
        for (size_t k = 0; k < r->versions.n; k++) {
            Version *v = r->versions.v[k];
            if (!strcmp(v->policy, o.policy) && v->version == o.version) best = v; /* the latest text of it */
        }
        if (best) best->judged++;
    }
    return 0;
}

static int in_force(const Version *v, int64_t from, int64_t to)
{
    return !v->replaced && v->start <= to && v->end >= from;
}

static int cmp_polrow(const void *a, const void *b)
{
    const PolRow *x = *(PolRow *const *)a, *y = *(PolRow *const *)b;
    if (x->rank != y->rank) return x->rank - y->rank;
    return strcmp(x->id, y->id);
}

/* Every policy with statistics or a version in force during the period,
 * breaches first. */
static void build_policies(Report *r)
{
    for (size_t i = 0; i < r->pol->n; i++) {
        PolRow *p = xcalloc(1, sizeof *p);
        p->id = xstrdup(r->pol->v[i].key);
        p->st = &r->pol->v[i];
        pv_push(&r->policies, p);
    }
    for (size_t i = 0; i < r->versions.n; i++) {
        Version *v = r->versions.v[i];
        if (!in_force(v, r->from, r->to)) continue;
        int seen = 0;
        for (size_t k = 0; k < r->policies.n && !seen; k++) seen = !strcmp(((PolRow *)r->policies.v[k])->id, v->policy);
        if (seen) continue;
        PolRow *p = xcalloc(1, sizeof *p);
        p->id = xstrdup(v->policy);
        pv_push(&r->policies, p);
    }
    for (size_t i = 0; i < r->policies.n; i++) {
        PolRow *p = r->policies.v[i];
        /* the title of the latest text in force by the end of the period, else of any text */
        for (size_t k = 0; k < r->versions.n; k++) {
            Version *v = r->versions.v[k];
            if (strcmp(v->policy, p->id)) continue;
            if (!p->title || v->start <= r->to) p->title = v->title;
        }
        if (!p->st || !p->st->total) p->rank = p->st && p->st->eligible ? 3 : 4;
        else {
            int s = vd_standing(p->st);
            p->rank = s == VD_STAND_BREACH ? 0 : s == VD_STAND_AT_RISK ? 1 : s == VD_STAND_OK ? 2 : 3;
        }
        if (p->st && vd_standing(p->st) == VD_STAND_BREACH) p->rank = 0; /* eligible but nothing judged */
        r->breaches += p->rank == 0;
        r->at_risk += p->rank == 1;
    }
    if (r->policies.n > 1) qsort(r->policies.v, r->policies.n, sizeof *r->policies.v, cmp_polrow);
}

/* Escalations open at the end of the period: raised by the cut-off day and
 * neither closed nor moved up to a next level by then; and, since judging a
 * period raises escalations on its verdicts after it ended, those raised
 * later on obligations of the period, open as of the judgement date. */
static int read_escalations(Report *r)
{
    const char *sql =
        "WITH x AS (SELECT e.*, CASE WHEN e.raised_on <= ?1 THEN ?1 ELSE ?2 END AS cut FROM escalations e "
        "WHERE e.raised_on <= ?1 OR (e.raised_on <= ?2 AND e.obligation_id IN "
        "(SELECT id FROM obligations WHERE trigger_day BETWEEN ?3 AND ?4))) "
        "SELECT x.id, x.policy, x.rule, x.level, x.target, x.customer_id, x.subject_id, x.raised_on, x.due_by, "
        "(SELECT count(*) FROM escalation_cites c WHERE c.escalation_id = x.id), "
        "CASE WHEN EXISTS (SELECT 1 FROM escalation_acks a WHERE a.escalation_id = x.id AND a.at < date(x.cut, '+1 day')) "
        "THEN 'acknowledged' WHEN x.due_by < x.cut THEN 'overdue' ELSE 'open' END "
        "FROM x WHERE NOT EXISTS (SELECT 1 FROM escalation_acks a WHERE a.escalation_id = x.id AND a.action = 'close' "
        "AND a.at < date(x.cut, '+1 day')) "
        "AND NOT EXISTS (SELECT 1 FROM escalations c WHERE c.parent_id = x.id AND c.raised_on <= x.cut) "
        "ORDER BY x.raised_on, x.policy, x.id";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, r->cutd, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->asof, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->pf, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->pt, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        EscRow *e = xcalloc(1, sizeof *e);
        for (int c = 0; c < E_N; c++) {
            e->c[c] = store_col_dup(st, c);
            if (!e->c[c]) e->c[c] = xstrdup("");
        }
        pv_push(&r->escalations, e);
    }
    sqlite3_finalize(st);
    return 0;
}

static int read_staff(Report *r)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, "SELECT id, name, department FROM staff", -1, &st, NULL) != SQLITE_OK) return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        Staffer *s = xcalloc(1, sizeof *s);
        s->id = store_col_dup(st, 0);
        s->name = store_col_dup(st, 1);
        s->department = store_col_dup(st, 2);
        if (!s->id) s->id = xstrdup("");
        if (!s->name) s->name = xstrdup("");
        if (!s->department) s->department = xstrdup("");
        pv_push(&r->staffers, s);
    }
    sqlite3_finalize(st);
    return 0;
}

static const Staffer *staffer(const Report *r, const char *id)
{
    for (size_t i = 0; i < r->staffers.n; i++)
        if (!strcmp(((Staffer *)r->staffers.v[i])->id, id)) return r->staffers.v[i];
    return NULL;
}

/* The trend buckets covering the period: weeks up to 92 days, months up to
 * two years, quarters beyond. */
static const char *trend_unit(int64_t from, int64_t to)
{
    int64_t days = to - from + 1;
    return days <= 92 ? "week" : days <= 731 ? "month" : "quarter";
}

static void build_buckets(Report *r)
{
    int y, m, d;
    cal_civil(r->from, &y, &m, &d);
    int64_t start = !strcmp(r->trend_by, "week") ? r->from - cal_weekday(r->from)
                  : !strcmp(r->trend_by, "month") ? cal_days(y, m, 1) : cal_days(y, (m - 1) / 3 * 3 + 1, 1);
    size_t cap = 0;
    for (int64_t b = start; b <= r->to;) {
        if (r->nbuckets == cap) {
            cap = cap ? cap * 2 : 16;
            r->buckets = xrealloc(r->buckets, cap * sizeof *r->buckets);
        }
        Bucket *k = &r->buckets[r->nbuckets++];
        memset(k, 0, sizeof *k);
        vd_period_key(r->trend_by, b, k->key, sizeof k->key);
        cal_civil(b, &y, &m, &d);
        if (!strcmp(r->trend_by, "week")) snprintf(k->label, sizeof k->label, "%02d-%02d", m, d);
        else if (!strcmp(r->trend_by, "month")) snprintf(k->label, sizeof k->label, "%04d-%02d", y, m);
        else snprintf(k->label, sizeof k->label, "%04d-Q%d", y, (m - 1) / 3 + 1);
        for (size_t i = 0; i < r->trend->n; i++)
            if (!strcmp(r->trend->v[i].key, k->key)) k->st = &r->trend->v[i];
        b = !strcmp(r->trend_by, "week") ? b + 7 : cal_add_months(b, !strcmp(r->trend_by, "month") ? 1 : 3);
    }
}

/* The rank of a policy (breach first) for ordering obligations. */
static int policy_rank(const Report *r, const char *policy)
{
    for (size_t i = 0; i < r->policies.n; i++) {
        const PolRow *p = r->policies.v[i];
        if (!strcmp(p->id, policy)) return p->rank;
    }
    return 5;
}

typedef struct {
    VdView v; /* the obligation */
    int rank; /* its policy's rank */
} Finding;

static int cmp_finding(const void *a, const void *b)
{
    const Finding *x = a, *y = b;
    if (x->rank != y->rank) return x->rank - y->rank;
    int c = strcmp(x->v.policy, y->v.policy);
    if (c) return c;
    if ((c = strcmp(x->v.due_by, y->v.due_by))) return c;
    return strcmp(x->v.id, y->v.id);
}

/* The non-compliant obligations (judged, not ok), breached policies first.
 * Caller frees the array. */
static Finding *findings(const Report *r, size_t *n)
{
    Finding *f = xcalloc(vd_count(r->vr) + 1, sizeof *f);
    *n = 0;
    for (size_t i = 0; i < vd_count(r->vr); i++) {
        Finding *x = &f[*n];
        vd_view(r->vr, i, &x->v);
        if (x->v.verdict == VD_OPEN || x->v.ok) continue;
        x->rank = policy_rank(r, x->v.policy);
        (*n)++;
    }
    if (*n > 1) qsort(f, *n, sizeof *f, cmp_finding);
    return f;
}

/* Totals over the policy rows: coverage (sum of covered / sum of eligible),
 * obligations, failed, open, completed, on time, complete, scores. */
typedef struct {
    long eligible, covered, total, failed, open, completed, on_time, complete, sat_n, sat_sum, sat_ok; /* sums */
} Totals;

static Totals totals(const Report *r)
{
    Totals t = {0};
    for (size_t i = 0; i < r->pol->n; i++) {
        const VdStat *s = &r->pol->v[i];
        t.eligible += s->eligible;
        t.covered += s->covered;
        t.total += s->total;
        t.failed += s->failed;
        t.open += s->n[VD_OPEN];
        t.completed += s->completed;
        t.on_time += s->on_time;
        t.complete += s->complete;
        t.sat_n += s->sat_n;
        t.sat_sum += s->sat_sum;
        t.sat_ok += s->sat_ok;
    }
    return t;
}

/* ---- HTML ---- */

static const char *const CSS =
    ":root{--ok:#2e7d32;--risk:#d97706;--breach:#c62828;--none:#8a94a3;--open:#cfd6de;--ink:#1f2933;"
    "--muted:#5f6b7a;--line:#dde2e8;--head:#f3f5f8}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;padding:24px 32px 48px;max-width:1320px;color:var(--ink);background:#fff;"
    "font:14px/1.5 system-ui,-apple-system,\"Segoe UI\",\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\","
    "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",\"Droid Sans Fallback\",Roboto,"
    "\"Helvetica Neue\",Arial,sans-serif}\n"
    "h1{font-size:24px;margin:0 0 4px}\n"
    "h2{font-size:18px;margin:36px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}\n"
    "h3{font-size:15px;margin:20px 0 6px}\n"
    ".meta,.note{color:var(--muted)}\n.note{font-size:12px}\n"
    "table{border-collapse:collapse;width:100%;margin:8px 0;font-variant-numeric:tabular-nums}\n"
    "th,td{padding:4px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}\n"
    "td{font-size:13px}th{background:var(--head);font-weight:600;font-size:12px}\n"
    "td.n,th.n{text-align:right;white-space:nowrap}\n"
    "td.nw,td.bar{white-space:nowrap}\n"
    "details.findings{margin:4px 0;border:1px solid var(--line);border-radius:4px;padding:2px 8px}\n"
    "details.findings summary{cursor:pointer;padding:4px 0}\n"
    "td.id{white-space:nowrap;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\",monospace;"
    "font-size:12px}\n"
    "td .sub{display:block;color:var(--muted);font-size:12px}\n"
    ".badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;font-weight:600;"
    "white-space:nowrap}\n"
    ".s0{background:var(--breach)}.s1{background:var(--risk)}.s2{background:var(--ok)}.s3,.s4{background:var(--none)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:160px}\n"
    ".card .v{font-size:22px;font-weight:700}.card .k{color:var(--muted);font-size:12px}\n"
    ".card.bad .v{color:var(--breach)}.card.warn .v{color:var(--risk)}\n"
    "svg{max-width:100%;height:auto}\nsvg text{font-family:inherit}\n"
    "svg.mini{vertical-align:middle;margin-right:6px}\n"
    ".bad{color:var(--breach)}\n"
    ".chips{display:flex;flex-wrap:wrap;gap:6px}\n"
    ".chip{border:1px solid #f0c27a;background:#fff7e8;border-radius:12px;padding:1px 10px;font-size:12px;"
    "white-space:nowrap}\n.chip.idle{border-color:var(--line);background:#f6f7f9}.chip .t{color:var(--muted)}\n"
    "@media print{body{padding:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}\n";

static const char *const rank_names[] = {"BREACH", "at risk", "ok", "no requirement", "nothing judged"};

static void h_badge(StrBuf *b, int rank)
{
    sb_printf(b, "<span class=\"badge s%d\">%s</span>", rank, rank_names[rank]);
}

static const char *rank_color(int rank)
{
    static const char *const c[] = {"#c62828", "#d97706", "#2e7d32", "#8a94a3", "#8a94a3"};
    return c[rank];
}

/* A small horizontal bar (share 0..1) and the percentage next to it. */
static void h_minibar(StrBuf *b, long num, long den)
{
    char p[32];
    pct(p, sizeof p, num, den);
    if (den <= 0) {
        sb_puts(b, "-");
        return;
    }
    double x = ratio(num, den);
    if (x > 1) x = 1;
    sb_printf(b, "<svg class=\"mini\" xmlns=\"http://www.w3.org/2000/svg\" width=\"60\" height=\"8\" viewBox=\"0 0 60 8\">"
                 "<rect width=\"60\" height=\"8\" fill=\"#e8ecf0\"/><rect width=\"%.1f\" height=\"8\" fill=\"#4f7fd6\"/>"
                 "</svg>%s", 60 * x, p);
}

static void h_satisfaction(StrBuf *b, const VdStat *s)
{
    if (!s->sat_n) {
        sb_puts(b, "-");
        return;
    }
    char p[32];
    pct(p, sizeof p, s->sat_ok, s->sat_n);
    sb_printf(b, "%.2f<span class=\"sub\">%s satisfied (%ld)</span>", (double)s->sat_sum / (double)s->sat_n, p,
              s->sat_n);
}

/* A table cell naming a policy and its title; anchor: give it the id
 * policy-ID (once per document). */
static void h_policy_cell(StrBuf *b, const char *id, const char *title, int anchor)
{
    sb_puts(b, "<td>");
    if (anchor) {
        sb_puts(b, "<span id=\"policy-");
        h_raw(b, id);
        sb_puts(b, "\">");
    }
    h_text(b, id);
    if (anchor) sb_puts(b, "</span>");
    if (title && *title) {
        sb_puts(b, "<span class=\"sub\">");
        h_text(b, title);
        sb_puts(b, "</span>");
    }
    sb_puts(b, "</td>");
}

/* The verdict columns of the tables, headers and cells. */
static void h_verdict_heads(StrBuf *b)
{
    sb_puts(b, "<th class=\"n\" title=\"visited in time through an allowed channel by an assigned role with the whole "
               "script\">Met</th><th class=\"n\" title=\"visited after the deadline\">Late</th>"
               "<th class=\"n\" title=\"no visit by the deadline\">Missed</th>"
               "<th class=\"n\" title=\"wrong channel, wrong assignee or incomplete script\">Other findings</th>"
               "<th class=\"n\" title=\"only failed attempts\">Unreach&#173;able</th>"
               "<th class=\"n\" title=\"a non-affirmative answer opened a problem case (compliant)\">Problem case</th>"
               "<th class=\"n\" title=\"deadline not passed yet\">Open</th>");
}

static void h_verdict_cells(StrBuf *b, const VdStat *s)
{
    long other = s->n[VD_WRONG_CHANNEL] + s->n[VD_WRONG_ASSIGNEE] + s->n[VD_INCOMPLETE];
    sb_printf(b, "<td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\" "
                 "title=\"wrong channel %ld, wrong assignee %ld, incomplete %ld\">%ld</td><td class=\"n\">%ld</td>"
                 "<td class=\"n\">%ld</td><td class=\"n\">%ld</td>",
              s->n[VD_MET], s->n[VD_LATE], s->n[VD_MISSED], s->n[VD_WRONG_CHANNEL], s->n[VD_WRONG_ASSIGNEE],
              s->n[VD_INCOMPLETE], other, s->n[VD_UNREACHABLE], s->n[VD_PROBLEM], s->n[VD_OPEN]);
}

static void h_cards(StrBuf *b, const Report *r)
{
    Totals t = totals(r);
    char cov[32], tim[32], com[32];
    pct(cov, sizeof cov, t.covered, t.eligible);
    pct(tim, sizeof tim, t.on_time, t.completed);
    pct(com, sizeof com, t.complete, t.completed);
    sb_puts(b, "<div class=\"cards\">\n");
    sb_printf(b, "<div class=\"card%s\"><div class=\"v\">%ld</div><div class=\"k\">policies in breach 未达标</div></div>\n",
              r->breaches ? " bad" : "", r->breaches);
    sb_printf(b, "<div class=\"card%s\"><div class=\"v\">%ld</div><div class=\"k\">at risk 有风险</div></div>\n",
              r->at_risk ? " warn" : "", r->at_risk);
    sb_printf(b, "<div class=\"card\"><div class=\"v\">%ld</div><div class=\"k\">obligations judged 应回访</div></div>\n",
              t.total);
    sb_printf(b, "<div class=\"card%s\"><div class=\"v\">%ld</div><div class=\"k\">non-compliant 不合规</div></div>\n",
              t.failed ? " bad" : "", t.failed);
    sb_printf(b, "<div class=\"card\"><div class=\"v\">%ld</div><div class=\"k\">still open 未到期</div></div>\n", t.open);
    sb_printf(b, "<div class=\"card\"><div class=\"v\">%s</div><div class=\"k\">coverage 覆盖率 (%ld of %ld)</div></div>\n",
              cov, t.covered, t.eligible);
    sb_printf(b, "<div class=\"card\"><div class=\"v\">%s</div><div class=\"k\">timeliness 及时率</div></div>\n", tim);
    sb_printf(b, "<div class=\"card\"><div class=\"v\">%s</div><div class=\"k\">completeness 完整率</div></div>\n", com);
    if (t.sat_n)
        sb_printf(b, "<div class=\"card\"><div class=\"v\">%.2f</div><div class=\"k\">mean satisfaction 满意度 (%ld)</div>"
                     "</div>\n", (double)t.sat_sum / (double)t.sat_n, t.sat_n);
    sb_puts(b, "</div>\n");
}

static void h_breaches(StrBuf *b, const Report *r)
{
    sb_puts(b, "<h2 id=\"breaches\">Breaches 未达标</h2>\n");
    if (!r->breaches) {
        sb_puts(b, "<p>No policy missed its required coverage in this period.</p>\n");
    } else {
        sb_puts(b, "<p class=\"note\">Coverage below the required coverage, with no obligation of the period still "
                   "open. The shortfall is the number of subjects that would have had to be visited in time.</p>\n");
        sb_puts(b, "<table id=\"breaches-table\">\n<tr><th>Policy 政策</th><th class=\"n\">Required</th>"
                   "<th class=\"n\">Achieved</th><th class=\"n\">Covered / eligible</th><th class=\"n\">Shortfall</th>"
                   "<th class=\"n\">Non-compliant</th></tr>\n");
        for (size_t i = 0; i < r->policies.n; i++) {
            const PolRow *p = r->policies.v[i];
            if (p->rank != 0 || !p->st) continue;
            const VdStat *s = p->st;
            char ach[32];
            pct(ach, sizeof ach, s->covered, s->eligible);
            long need = (s->required_bp * s->eligible + 9999) / 10000 - s->covered;
            sb_puts(b, "<tr>");
            h_policy_cell(b, p->id, p->title, 0);
            sb_printf(b, "<td class=\"n\">%.4g%%</td><td class=\"n bad\">%s</td><td class=\"n\">%ld / %ld</td>"
                         "<td class=\"n\">%ld subject%s</td><td class=\"n\">%ld</td></tr>\n",
                      s->required_bp / 100.0, ach, s->covered, s->eligible, need, need == 1 ? "" : "s", s->failed);
        }
        sb_puts(b, "</table>\n");
    }
    if (!r->at_risk) {
        sb_puts(b, "<p>No policy is at risk.</p>\n");
        return;
    }
    sb_printf(b, "<p><strong>At risk 有风险 (%ld)</strong>: below the requirement while obligations are still open, so "
                 "visiting them in time can still meet it:</p>\n<p class=\"chips\">", r->at_risk);
    for (size_t i = 0; i < r->policies.n; i++) {
        const PolRow *p = r->policies.v[i];
        if (p->rank != 1 || !p->st) continue;
        char ach[32];
        pct(ach, sizeof ach, p->st->covered, p->st->eligible);
        sb_puts(b, "<span class=\"chip\">");
        h_text(b, p->id);
        sb_printf(b, " <b>%s</b> / %.4g%% · %ld open</span> ", ach, p->st->required_bp / 100.0, p->st->n[VD_OPEN]);
    }
    sb_puts(b, "</p>\n");
}

/* The coverage chart: one bar per policy, the required coverage marked. */
static void h_coverage_chart(StrBuf *b, const Report *r)
{
    const int left = 330, barw = 470, rowh = 24, top = 34;
    int rows = 0; /* the policies with figures come first (rank < 4) */
    while ((size_t)rows < r->policies.n && ((const PolRow *)r->policies.v[rows])->rank < 4) rows++;
    int width = left + barw + 150, height = top + rows * rowh + 44;
    sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"coverage-chart\" width=\"%d\" "
                 "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"coverage-chart-title\">\n",
              width, height, width, height);
    sb_puts(b, "<title id=\"coverage-chart-title\">Coverage achieved by policy, with the required coverage marked</title>\n");
    sb_printf(b, "<text x=\"%d\" y=\"14\" font-size=\"12\" fill=\"#5f6b7a\">coverage achieved 实际覆盖率</text>\n", left);
    for (int t = 0; t <= 100; t += 25) {
        double x = left + barw * t / 100.0;
        sb_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e7ec\"/>"
                     "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#5f6b7a\" text-anchor=\"middle\">%d%%</text>\n",
                  x, top - 4, x, top + rows * rowh, x, top - 8, t);
    }
    for (int i = 0; i < rows; i++) {
        const PolRow *p = r->policies.v[i];
        const VdStat *s = p->st;
        int y = top + i * rowh;
        StrBuf label = {0};
        sb_puts(&label, p->id);
        if (p->title && *p->title) {
            sb_puts(&label, "  ");
            sb_puts(&label, p->title);
        }
        char *masked = mask_text(sb_str(&label), 0); /* before cutting, so no number is cut short of masking */
        char *lab = cut_width(masked, 50);
        free(masked);
        sb_free(&label);
        char ach[32] = "-";
        if (s) pct(ach, sizeof ach, s->covered, s->eligible);
        sb_puts(b, "<g><title>");
        h_text(b, p->id);
        if (p->title) {
            sb_puts(b, " ");
            h_text(b, p->title);
        }
        if (s && s->eligible > 0)
            sb_printf(b, ": coverage %s (%ld of %ld eligible)", ach, s->covered, s->eligible);
        if (s && s->required_bp >= 0) sb_printf(b, ", required %.4g%%", s->required_bp / 100.0);
        sb_printf(b, ": %s</title>", rank_names[p->rank]);
        sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" fill=\"#1f2933\">", left - 10, y + 16);
        h_raw(b, lab);
        free(lab);
        sb_puts(b, "</text>");
        sb_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"#eef1f4\"/>", left, y + 5, barw);
        if (s && s->eligible > 0) {
            double x = ratio(s->covered, s->eligible);
            if (x > 1) x = 1;
            sb_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>", left, y + 5, barw * x,
                      rank_color(p->rank));
        }
        if (s && s->required_bp >= 0) {
            double xr = left + barw * (s->required_bp > 10000 ? 1.0 : s->required_bp / 10000.0);
            sb_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1f2933\" stroke-width=\"2\"/>"
                         "<path d=\"M%.1f %dl-4 -5h8z\" fill=\"#1f2933\"/>",
                      xr, y + 2, xr, y + 22, xr, y + 3);
        }
        sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">", left + barw + 10, y + 16,
                  p->rank <= 1 ? rank_color(p->rank) : "#1f2933");
        if (!s || (!s->total && !s->eligible)) sb_puts(b, "nothing in the period");
        else if (s->eligible <= 0) sb_puts(b, "no eligible subjects");
        else if (s->required_bp >= 0) sb_printf(b, "%s / %.4g%%", ach, s->required_bp / 100.0);
        else sb_printf(b, "%s", ach);
        sb_puts(b, "</text></g>\n");
    }
    /* legend */
    int y = top + rows * rowh + 20;
    static const struct { int rank; const char *text; } keys[] = {
        {0, "breach 未达标"}, {1, "at risk 有风险"}, {2, "met 达标"}, {3, "no requirement known"}};
    int x = left;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        sb_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                     "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#1f2933\">%s</text>\n",
                  x, y, rank_color(keys[k].rank), x + 16, y + 10, keys[k].text);
        x += 34 + utf8_width(keys[k].text, strlen(keys[k].text)) * 7;
    }
    sb_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f2933\" stroke-width=\"2\"/>"
                 "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#1f2933\">required 要求</text>\n",
              x + 6, y - 2, x + 6, y + 14, x + 14, y + 10);
    sb_puts(b, "</svg>\n");
}

static void h_policy_table(StrBuf *b, const Report *r)
{
    sb_puts(b, "<table id=\"policy-table\">\n<tr><th>Standing</th><th>Policy 政策</th><th class=\"n\">Required</th>"
               "<th class=\"n\">Coverage</th><th class=\"n\">Obliga&#173;tions</th>");
    h_verdict_heads(b);
    sb_puts(b, "<th>Timeliness 及时率</th><th>Completeness 完整率</th><th class=\"n\">Satisfaction 满意度</th></tr>\n");
    size_t idle = 0;
    for (size_t i = 0; i < r->policies.n; i++) {
        const PolRow *p = r->policies.v[i];
        const VdStat *s = p->st;
        if (p->rank == 4) {
            idle++;
            continue;
        }
        sb_puts(b, "<tr><td>");
        h_badge(b, p->rank);
        sb_puts(b, "</td>");
        h_policy_cell(b, p->id, p->title, 1);
        char cov[32];
        pct(cov, sizeof cov, s->covered, s->eligible);
        if (s->required_bp >= 0) sb_printf(b, "<td class=\"n\">%.4g%%</td>", s->required_bp / 100.0);
        else sb_puts(b, "<td class=\"n\">-</td>");
        sb_printf(b, "<td class=\"n\">%s<span class=\"sub\">%ld / %ld</span></td><td class=\"n\">%ld</td>", cov,
                  s->covered, s->eligible, s->total);
        h_verdict_cells(b, s);
        sb_puts(b, "<td class=\"bar\">");
        h_minibar(b, s->on_time, s->completed);
        sb_puts(b, "</td><td class=\"bar\">");
        h_minibar(b, s->complete, s->completed);
        sb_puts(b, "</td><td class=\"n\">");
        h_satisfaction(b, s);
        sb_puts(b, "</td></tr>\n");
    }
    sb_puts(b, "</table>\n");
    if (!idle) return;
    sb_printf(b, "<p><strong>Nothing in the period (%zu)</strong>: in force, but no obligation was triggered and no "
                 "subject was eligible:</p>\n<p class=\"chips\">", idle);
    for (size_t i = 0; i < r->policies.n; i++) {
        const PolRow *p = r->policies.v[i];
        if (p->rank != 4) continue;
        sb_puts(b, "<span class=\"chip idle\" id=\"policy-");
        h_raw(b, p->id);
        sb_puts(b, "\">");
        h_text(b, p->id);
        if (p->title && *p->title) {
            sb_puts(b, " <span class=\"t\">");
            h_text(b, p->title);
            sb_puts(b, "</span>");
        }
        sb_puts(b, "</span> ");
    }
    sb_puts(b, "</p>\n");
}

/* Verdict groups of the trend chart, bottom to top. */
typedef struct {
    const char *name;  /* legend */
    const char *color; /* fill */
} Band;
static const Band bands[] = {{"met or problem case 合格", "#2e7d32"}, {"unreachable 无法联系", "#6b8fb3"},
                             {"late 逾期", "#e0a100"}, {"wrong channel, assignee or script 不规范", "#8e5bb5"},
                             {"missed 未回访", "#c62828"}, {"open 未到期", "#cfd6de"}};
enum { NBANDS = sizeof bands / sizeof *bands };

static void band_counts(const VdStat *s, long c[NBANDS])
{
    memset(c, 0, NBANDS * sizeof *c);
    if (!s) return;
    c[0] = s->n[VD_MET] + s->n[VD_PROBLEM];
    c[1] = s->n[VD_UNREACHABLE];
    c[2] = s->n[VD_LATE];
    c[3] = s->n[VD_WRONG_CHANNEL] + s->n[VD_WRONG_ASSIGNEE] + s->n[VD_INCOMPLETE];
    c[4] = s->n[VD_MISSED];
    c[5] = s->n[VD_OPEN];
}

/* A round upper bound for an axis reaching max, and its tick step. */
static long nice_axis(long max, long *step)
{
    long s = 1;
    for (;;) {
        if (max <= s * 5) break;
        if (max <= s * 10) { s *= 2; break; }
        if (max <= s * 25) { s *= 5; break; }
        s *= 10;
    }
    *step = s;
    long top = (max + s - 1) / s * s;
    return top > 0 ? top : s;
}

static void h_trend(StrBuf *b, const Report *r)
{
    sb_printf(b, "<h2 id=\"trend\">Trend by %s 趋势</h2>\n", r->trend_by);
    sb_printf(b, "<p class=\"note\">Obligations by the %s their trigger falls in, by verdict (bars, left axis), and "
                 "the coverage of the subjects eligible in that %s (line, right axis).</p>\n", r->trend_by, r->trend_by);
    const int x0 = 64, x1 = 880, y0 = 24, y1 = 250, width = 950, height = 330;
    long max = 1;
    for (size_t i = 0; i < r->nbuckets; i++)
        if (r->buckets[i].st && r->buckets[i].st->total > max) max = r->buckets[i].st->total;
    long step;
    long top = nice_axis(max, &step);
    sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"trend-chart\" width=\"%d\" height=\"%d\" "
                 "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"trend-chart-title\">\n",
              width, height, width, height);
    sb_printf(b, "<title id=\"trend-chart-title\">Obligations and coverage by %s</title>\n", r->trend_by);
    for (long t = 0; t <= top; t += step) {
        double y = y1 - (double)(y1 - y0) * (double)t / (double)top;
        sb_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
                     "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#5f6b7a\" text-anchor=\"end\">%ld</text>\n",
                  x0, y, x1, y, t ? "#eceff3" : "#9aa5b1", x0 - 6, y + 4, t);
    }
    for (int t = 0; t <= 100; t += 50) {
        double y = y1 - (y1 - y0) * t / 100.0;
        sb_printf(b, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#1f4e99\">%d%%</text>\n", x1 + 6, y + 4, t);
    }
    sb_printf(b, "<text x=\"14\" y=\"%d\" font-size=\"11\" fill=\"#5f6b7a\" transform=\"rotate(-90 14 %d)\" "
                 "text-anchor=\"middle\">obligations 应回访数</text>\n", (y0 + y1) / 2, (y0 + y1) / 2);
    size_t n = r->nbuckets ? r->nbuckets : 1;
    double slot = (double)(x1 - x0) / (double)n, bw = slot * 0.64 > 56 ? 56 : slot * 0.64;
    size_t every = n > 24 ? (n + 23) / 24 : 1;
    StrBuf line = {0};
    int pen = 0;
    for (size_t i = 0; i < r->nbuckets; i++) {
        const Bucket *k = &r->buckets[i];
        double cx = x0 + slot * ((double)i + 0.5);
        long c[NBANDS];
        band_counts(k->st, c);
        sb_puts(b, "<g><title>");
        h_raw(b, k->key);
        if (k->st) {
            sb_printf(b, ": %ld obligations", k->st->total);
            for (int j = 0; j < NBANDS; j++)
                if (c[j]) sb_printf(b, "; %s %ld", bands[j].name, c[j]);
            if (k->st->eligible > 0)
                sb_printf(b, "; coverage %.1f%% (%ld of %ld)", 100 * ratio(k->st->covered, k->st->eligible),
                          k->st->covered, k->st->eligible);
        } else {
            sb_puts(b, ": no obligations");
        }
        sb_puts(b, "</title>");
        double y = y1;
        for (int j = 0; j < NBANDS; j++) {
            if (!c[j]) continue;
            double h = (double)(y1 - y0) * (double)c[j] / (double)top;
            y -= h;
            sb_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", cx - bw / 2, y, bw,
                      h, bands[j].color);
        }
        if (i % every == 0)
            sb_printf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#5f6b7a\" text-anchor=\"middle\">%s</text>",
                      cx, y1 + 16, k->label);
        sb_puts(b, "</g>\n");
        if (k->st && k->st->eligible > 0) {
            double v = ratio(k->st->covered, k->st->eligible);
            if (v > 1) v = 1;
            double py = y1 - (y1 - y0) * v;
            sb_printf(&line, "%s%.1f %.1f", pen ? " L" : " M", cx, py);
            pen = 1;
        } else {
            pen = 0;
        }
    }
    if (line.len) sb_printf(b, "<path d=\"%s\" fill=\"none\" stroke=\"#1f4e99\" stroke-width=\"2\"/>\n", sb_str(&line) + 1);
    sb_free(&line);
    for (size_t i = 0; i < r->nbuckets; i++) {
        const Bucket *k = &r->buckets[i];
        if (!k->st || k->st->eligible <= 0) continue;
        double v = ratio(k->st->covered, k->st->eligible);
        if (v > 1) v = 1;
        sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#fff\" stroke=\"#1f4e99\" stroke-width=\"2\"/>\n",
                  x0 + slot * ((double)i + 0.5), y1 - (y1 - y0) * v);
    }
    if (!strcmp(r->trend_by, "week"))
        sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#5f6b7a\">weeks starting on Monday</text>\n", x0,
                  y1 + 32);
    int lx = x0, ly = height - 30;
    for (int j = 0; j < NBANDS; j++) {
        int w = 30 + utf8_width(bands[j].name, strlen(bands[j].name)) * 6;
        if (lx + w > x1 + 40) {
            lx = x0;
            ly += 18;
        }
        sb_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                     "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#1f2933\">%s</text>\n",
                  lx, ly, bands[j].color, lx + 16, ly + 10, bands[j].name);
        lx += w;
    }
    sb_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f4e99\" stroke-width=\"2\"/>"
                 "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#1f4e99\">coverage 覆盖率</text>\n",
              lx, ly + 6, lx + 14, ly + 6, lx + 18, ly + 10);
    sb_puts(b, "</svg>\n");
    /* the figures behind it */
    sb_printf(b, "<table id=\"trend-table\">\n<tr><th>%s</th><th class=\"n\">Obligations</th>", r->trend_by);
    for (int j = 0; j < NBANDS; j++) {
        sb_puts(b, "<th class=\"n\">");
        h_raw(b, bands[j].name);
        sb_puts(b, "</th>");
    }
    sb_puts(b, "<th class=\"n\">Coverage</th><th class=\"n\">Timeliness</th></tr>\n");
    for (size_t i = 0; i < r->nbuckets; i++) {
        const Bucket *k = &r->buckets[i];
        long c[NBANDS];
        band_counts(k->st, c);
        char cov[32] = "-", tim[32] = "-";
        if (k->st) {
            pct(cov, sizeof cov, k->st->covered, k->st->eligible);
            pct(tim, sizeof tim, k->st->on_time, k->st->completed);
        }
        sb_puts(b, "<tr><td>");
        h_raw(b, k->key);
        sb_printf(b, "</td><td class=\"n\">%ld</td>", k->st ? k->st->total : 0L);
        for (int j = 0; j < NBANDS; j++) sb_printf(b, "<td class=\"n\">%ld</td>", c[j]);
        sb_printf(b, "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n", cov, tim);
    }
    sb_puts(b, "</table>\n");
}

static int cmp_group(const void *a, const void *b)
{
    const VdStat *x = *(const VdStat *const *)a, *y = *(const VdStat *const *)b;
    int xn = !strcmp(x->key, "-"), yn = !strcmp(y->key, "-");
    if (xn != yn) return xn - yn;
    if (x->failed != y->failed) return x->failed > y->failed ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Rows of a grouping, the most non-compliant first, "-" last.  Caller
 * frees the array (not the rows). */
static const VdStat **group_order(const VdStats *s)
{
    const VdStat **v = xcalloc(s->n + 1, sizeof *v);
    for (size_t i = 0; i < s->n; i++) v[i] = &s->v[i];
    if (s->n > 1) qsort(v, s->n, sizeof *v, cmp_group);
    return v;
}

static void h_groups(StrBuf *b, const Report *r, int staff)
{
    const VdStats *g = staff ? r->staff : r->dept;
    if (staff)
        sb_puts(b, "<h2 id=\"staff\">By staff member 按回访人员</h2>\n<p class=\"note\">By who made the completed visit; "
                   "obligations without a completed visit are counted last.</p>\n");
    else
        sb_puts(b, "<h2 id=\"departments\">By department 按部门</h2>\n<p class=\"note\">By the department of the case; "
                   "the most non-compliant first.</p>\n");
    sb_printf(b, "<table id=\"%s-table\">\n<tr><th>%s</th>", staff ? "staff" : "department",
              staff ? "Staff member 人员" : "Department 部门");
    sb_puts(b, "<th class=\"n\">Obliga&#173;tions</th><th class=\"n\">Non-compliant</th>");
    h_verdict_heads(b);
    sb_puts(b, "<th>Timeliness</th><th>Completeness</th><th class=\"n\">Satisfaction</th></tr>\n");
    const VdStat **v = group_order(g);
    for (size_t i = 0; i < g->n; i++) {
        const VdStat *s = v[i];
        sb_puts(b, "<tr><td>");
        if (!strcmp(s->key, "-")) {
            sb_puts(b, staff ? "(no completed visit)" : "(no department)");
        } else {
            h_text(b, s->key);
            const Staffer *p = staff ? staffer(r, s->key) : NULL;
            if (p && (*p->name || *p->department)) {
                sb_puts(b, "<span class=\"sub\">");
                h_text(b, p->name);
                if (*p->name && *p->department) sb_puts(b, " · ");
                h_text(b, p->department);
                sb_puts(b, "</span>");
            }
        }
        sb_printf(b, "</td><td class=\"n\">%ld</td><td class=\"n%s\">%ld</td>", s->total, s->failed ? " bad" : "",
                  s->failed);
        h_verdict_cells(b, s);
        sb_puts(b, "<td class=\"bar\">");
        h_minibar(b, s->on_time, s->completed);
        sb_puts(b, "</td><td class=\"bar\">");
        h_minibar(b, s->complete, s->completed);
        sb_puts(b, "</td><td class=\"n\">");
        h_satisfaction(b, s);
        sb_puts(b, "</td></tr>\n");
    }
    if (!g->n) sb_puts(b, "<tr><td colspan=\"13\">No obligation was judged in the period.</td></tr>\n");
    free(v);
    sb_puts(b, "</table>\n");
}

static void h_findings(StrBuf *b, const Report *r)
{
    size_t n;
    Finding *f = findings(r, &n);
    sb_printf(b, "<h2 id=\"findings\">Non-compliant obligations 不合规回访 (%zu)</h2>\n", n);
    sb_puts(b, "<p class=\"note\">Judged and not compliant, by policy, the policies in breach first (open; click a "
               "policy to open or close its list). Customers are named by their id; <code>revisit explain</code> shows "
               "an obligation in full.</p>\n");
    if (!n) {
        sb_puts(b, "<p>None.</p>\n");
        free(f);
        return;
    }
    size_t shown = n < REP_MAX_ROWS_HTML ? n : REP_MAX_ROWS_HTML;
    for (size_t i = 0; i < shown;) {
        size_t e = i;
        long count[VD_NVERDICTS] = {0};
        while (e < n && !strcmp(f[e].v.policy, f[i].v.policy)) count[f[e++].v.verdict]++;
        const char *title = NULL;
        for (size_t k = 0; k < r->policies.n; k++)
            if (!strcmp(((const PolRow *)r->policies.v[k])->id, f[i].v.policy)) title = ((const PolRow *)r->policies.v[k])->title;
        sb_printf(b, "<details class=\"findings\"%s><summary>", f[i].rank == 0 ? " open=\"open\"" : "");
        h_badge(b, f[i].rank < 5 ? f[i].rank : 4);
        sb_puts(b, " <strong>");
        h_text(b, f[i].v.policy);
        sb_puts(b, "</strong> ");
        if (title) h_text(b, title);
        sb_printf(b, " · %zu:", e - i);
        for (int v = 0; v < VD_NVERDICTS; v++)
            if (count[v]) sb_printf(b, " %s %ld", vd_verdict_name(v), count[v]);
        sb_puts(b, "</summary>\n<table>\n<tr><th>Obligation</th><th>Customer</th><th>Case</th><th>Due by</th>"
                   "<th>Verdict</th><th>Staff</th><th>Reasons</th></tr>\n");
        for (size_t k = i; k < e && k < shown; k++) {
            const VdView *o = &f[k].v;
            sb_puts(b, "<tr><td class=\"id\">");
            h_text(b, o->id);
            sb_puts(b, "</td><td class=\"nw\">");
            h_text(b, o->customer);
            sb_puts(b, "</td><td class=\"nw\">");
            h_text(b, o->case_id ? o->case_id : "-");
            sb_puts(b, "</td><td class=\"nw\">");
            h_text(b, o->due_by);
            sb_puts(b, "</td><td class=\"bad\">");
            h_raw(b, vd_verdict_name(o->verdict));
            sb_puts(b, "</td><td class=\"nw\">");
            h_text(b, o->staff ? o->staff : "-");
            sb_puts(b, "</td><td>");
            h_text(b, *o->reasons ? o->reasons : "-");
            sb_puts(b, "</td></tr>\n");
        }
        sb_puts(b, "</table>\n</details>\n");
        i = e;
    }
    if (shown < n)
        sb_printf(b, "<p class=\"note\">The list stops after %zu obligations; %zu more: <code>revisit verdicts -s STORE "
                     "--period %s..%s --list</code> lists them all.</p>\n", shown, n - shown, r->pf, r->pt);
    free(f);
}

static void h_escalations(StrBuf *b, const Report *r)
{
    sb_printf(b, "<h2 id=\"escalations\">Escalations open at the end of the period 期末未结升级 (%zu)</h2>\n",
              r->escalations.n);
    sb_printf(b, "<p class=\"note\">Raised by %s and neither closed nor moved up to the next level by then", r->cutd);
    if (r->as_of > r->cut)
        sb_printf(b, "; and raised since on the verdicts of this period's obligations, open as of %s", r->asof);
    sb_puts(b, ". The status is as of the same day: open, overdue (past its deadline) or acknowledged.</p>\n");
    if (!r->escalations.n) {
        sb_puts(b, "<p>None.</p>\n");
        return;
    }
    sb_puts(b, "<table id=\"escalations-table\">\n<tr><th>Escalation</th><th>Policy</th><th>Rule</th>"
               "<th class=\"n\">Level</th><th>Target</th><th>Customer</th><th>Subject</th><th>Raised</th><th>Due by</th>"
               "<th class=\"n\">Cites</th><th>Status</th></tr>\n");
    for (size_t i = 0; i < r->escalations.n; i++) {
        const EscRow *e = r->escalations.v[i];
        sb_puts(b, "<tr>");
        for (int c = 0; c < E_N; c++) {
            int num = c == E_LEVEL || c == E_CITES;
            int bad = c == E_STATUS && !strcmp(e->c[c], "overdue");
            sb_printf(b, "<td%s>", c == E_ID ? " class=\"id\"" : num ? " class=\"n\"" : bad ? " class=\"bad\""
                                  : c == E_RAISED || c == E_DUE ? " class=\"nw\"" : "");
            h_text(b, *e->c[c] ? e->c[c] : "-");
            sb_puts(b, "</td>");
        }
        sb_puts(b, "</tr>\n");
    }
    sb_puts(b, "</table>\n");
}

static void day_text(int64_t d, char out[11], const char *inf)
{
    if (d == INT64_MIN || d == INT64_MAX) snprintf(out, 11, "%s", inf);
    else cal_fmt_date(d, out);
}

static void h_versions(StrBuf *b, const Report *r)
{
    sb_puts(b, "<h2 id=\"versions\">Policy versions in force 生效的政策版本</h2>\n");
    sb_puts(b, "<p class=\"note\">Every policy text in force on some day of the period (from policy_versions): in force "
               "from its effective date until the next version takes effect. <code>revisit explain</code> shows the "
               "text an obligation came from.</p>\n");
    sb_puts(b, "<table id=\"versions-table\">\n<tr><th>Policy</th><th class=\"n\">Version</th><th>Title</th>"
               "<th>Effective</th><th>In force until</th><th>SHA-256 (first 12)</th><th>File</th><th>First run</th>"
               "<th class=\"n\">Judged</th></tr>\n");
    size_t shown = 0;
    for (size_t i = 0; i < r->versions.n; i++) {
        const Version *v = r->versions.v[i];
        if (!in_force(v, r->from, r->to)) continue;
        char start[11], end[11];
        day_text(v->start, start, "-");
        day_text(v->end, end, "current");
        sb_puts(b, "<tr><td>");
        h_text(b, v->policy);
        sb_printf(b, "</td><td class=\"n\">%d</td><td>", v->version);
        h_text(b, v->title ? v->title : "-");
        sb_printf(b, "</td><td class=\"nw\">%s</td><td class=\"nw\">%s</td><td class=\"id\">", start, end);
        sb_printf(b, "%.12s", v->sha); /* as `revisit explain` shows it */
        sb_puts(b, "</td><td>");
        h_text(b, v->file ? v->file : "-");
        sb_puts(b, "</td><td class=\"nw\">");
        h_text(b, v->first_seen);
        sb_printf(b, "</td><td class=\"n\">%ld</td></tr>\n", v->judged);
        shown++;
    }
    if (!shown) sb_puts(b, "<tr><td colspan=\"9\">No policy has been run on this store.</td></tr>\n");
    sb_puts(b, "</table>\n");
}

static void html(StrBuf *b, const Report *r)
{
    sb_puts(b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\" xml:lang=\"zh-CN\">\n<head>\n"
               "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
               "<meta name=\"generator\" content=\"revisit 0.1\"/>\n<link rel=\"icon\" href=\"data:,\"/>\n");
    sb_printf(b, "<title>Compliance report 回访合规报告 %s..%s</title>\n<style>\n%s</style>\n</head>\n<body>\n", r->pf,
              r->pt, CSS);
    sb_printf(b, "<h1>Compliance report 回访合规报告</h1>\n<p class=\"meta\">Period <strong>%s</strong> to "
                 "<strong>%s</strong>, judged as of <strong>%s</strong> · store ", r->pf, r->pt, r->asof);
    h_text(b, r->store);
    sb_printf(b, " · %zu polic%s · written %s by revisit 0.1</p>\n", r->policies.n, r->policies.n == 1 ? "y" : "ies",
              r->now);
    if (r->as_of < r->to)
        sb_printf(b, "<p class=\"note\">The period is not over as of %s: obligations whose deadline has not passed are "
                     "open, and a policy below its requirement is at risk rather than in breach.</p>\n", r->asof);
    h_cards(b, r);
    sb_puts(b, "<p class=\"note\">Sections: <a href=\"#breaches\">breaches</a> · <a href=\"#coverage\">coverage by "
               "policy</a> · <a href=\"#trend\">trend</a> · <a href=\"#departments\">departments</a> · "
               "<a href=\"#staff\">staff</a> · <a href=\"#findings\">non-compliant obligations</a> · "
               "<a href=\"#escalations\">escalations</a> · <a href=\"#versions\">policy versions</a> · "
               "<a href=\"#definitions\">definitions</a></p>\n");
    h_breaches(b, r);
    sb_puts(b, "<h2 id=\"coverage\">Coverage by policy 各政策覆盖率</h2>\n");
    h_coverage_chart(b, r);
    h_policy_table(b, r);
    h_trend(b, r);
    h_groups(b, r, 0);
    h_groups(b, r, 1);
    h_findings(b, r);
    h_escalations(b, r);
    h_versions(b, r);
    sb_puts(b, "<h2 id=\"definitions\">Definitions 口径</h2>\n<ul class=\"note\">\n"
               "<li><b>Coverage</b>: distinct subjects with a completed visit by the deadline / subjects eligible in the "
               "period (from the runs' records), against the policy's required coverage.</li>\n"
               "<li><b>Breach</b>: coverage below the requirement with no obligation of the period still open; "
               "<b>at risk</b>: below it while some are open.</li>\n"
               "<li><b>Timeliness</b>: completed visits by the deadline / completed visits. <b>Completeness</b>: completed "
               "visits with every mandatory question answered in order (and a reason for dissatisfaction) / completed "
               "visits. <b>Satisfaction</b>: mean score of the completed visits that have one; <i>satisfied</i>: the "
               "share of scores of 4 or more.</li>\n"
               "<li>Obligations belong to the period in which their trigger (the anchor of the first due line) falls; "
               "the verdicts are those of <code>revisit verdicts</code> for the same period and date.</li>\n"
               "<li>Mobile, phone and identity numbers are masked.</li>\n</ul>\n</body>\n</html>\n");
}

/* ---- Markdown ---- */

/* A 20-cell text bar for share x (0..1) with the requirement (0..1, or
 * negative: none) marked by a bar character. */
static void md_bar(StrBuf *b, double x, double req)
{
    if (x > 1) x = 1;
    int fill = (int)(x * 20 + 0.5), mark = req < 0 ? -1 : (int)(req * 20 + 0.5) - 1;
    if (req > 0 && mark < 0) mark = 0;
    for (int i = 0; i < 20; i++) sb_puts(b, i == mark ? "\xE2\x94\x82" : i < fill ? "\xE2\x96\x88" : "\xE2\x96\x91");
}

static void md_pct_cell(StrBuf *b, long num, long den)
{
    char p[32];
    pct(p, sizeof p, num, den);
    sb_printf(b, " %s |", p);
}

static void md_sat_cell(StrBuf *b, const VdStat *s)
{
    if (!s->sat_n) sb_puts(b, " - |");
    else sb_printf(b, " %.2f (%.0f%% satisfied) |", (double)s->sat_sum / (double)s->sat_n, 100 * ratio(s->sat_ok, s->sat_n));
}

static void md(StrBuf *b, const Report *r)
{
    Totals t = totals(r);
    char cov[32], tim[32], com[32];
    pct(cov, sizeof cov, t.covered, t.eligible);
    pct(tim, sizeof tim, t.on_time, t.completed);
    pct(com, sizeof com, t.complete, t.completed);
    sb_printf(b, "# Compliance report 回访合规报告 %s..%s\n\n", r->pf, r->pt);
    sb_printf(b, "Judged as of %s · store ", r->asof);
    md_text(b, r->store);
    sb_printf(b, " · %zu polic%s · written %s by revisit 0.1\n\n", r->policies.n, r->policies.n == 1 ? "y" : "ies",
              r->now);
    if (r->as_of < r->to)
        sb_printf(b, "The period is not over as of %s: obligations whose deadline has not passed are open, and a policy "
                     "below its requirement is at risk rather than in breach.\n\n", r->asof);
    sb_printf(b, "- Policies in breach 未达标: **%ld**; at risk 有风险: %ld\n", r->breaches, r->at_risk);
    sb_printf(b, "- Obligations judged 应回访: %ld; non-compliant 不合规: %ld; still open 未到期: %ld\n", t.total, t.failed,
              t.open);
    sb_printf(b, "- Coverage 覆盖率: %s (%ld of %ld eligible); timeliness 及时率: %s; completeness 完整率: %s", cov,
              t.covered, t.eligible, tim, com);
    if (t.sat_n) sb_printf(b, "; mean satisfaction 满意度: %.2f (%ld scores)", (double)t.sat_sum / (double)t.sat_n, t.sat_n);
    sb_puts(b, "\n\n## Breaches 未达标\n\n");
    if (!r->breaches) {
        sb_puts(b, "No policy missed its required coverage in this period.\n\n");
    } else {
        sb_puts(b, "| Policy | Title | Required | Achieved | Covered / eligible | Shortfall | Non-compliant |\n"
                   "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (size_t i = 0; i < r->policies.n; i++) {
            const PolRow *p = r->policies.v[i];
            if (p->rank != 0 || !p->st) continue;
            const VdStat *s = p->st;
            char ach[32];
            pct(ach, sizeof ach, s->covered, s->eligible);
            long need = (s->required_bp * s->eligible + 9999) / 10000 - s->covered;
            sb_puts(b, "| ");
            md_text(b, p->id);
            sb_puts(b, " | ");
            md_text(b, p->title ? p->title : "-");
            sb_printf(b, " | %.4g%% | %s | %ld / %ld | %ld | %ld |\n", s->required_bp / 100.0, ach, s->covered,
                      s->eligible, need, s->failed);
        }
        sb_puts(b, "\n");
    }
    if (!r->at_risk) {
        sb_puts(b, "No policy is at risk.\n\n");
    } else {
        sb_printf(b, "At risk 有风险 (%ld, below the requirement while obligations are still open):", r->at_risk);
        const char *sep = " ";
        for (size_t i = 0; i < r->policies.n; i++) {
            const PolRow *p = r->policies.v[i];
            if (p->rank != 1 || !p->st) continue;
            char ach[32];
            pct(ach, sizeof ach, p->st->covered, p->st->eligible);
            sb_puts(b, sep);
            md_text(b, p->id);
            sb_printf(b, " %s of %.4g%%", ach, p->st->required_bp / 100.0);
            sep = "; ";
        }
        sb_puts(b, ".\n\n");
    }
    sb_puts(b, "## Coverage by policy 各政策覆盖率\n\n"
               "| Standing | Policy | Title | Coverage (│ = required) | Achieved | Required | Obligations | Met | Late | "
               "Missed | Other findings | Unreachable | Open | Timeliness | Completeness | Satisfaction |\n"
               "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    size_t idle = 0;
    for (size_t i = 0; i < r->policies.n; i++) {
        const PolRow *p = r->policies.v[i];
        const VdStat *s = p->st;
        if (p->rank == 4) {
            idle++;
            continue;
        }
        sb_printf(b, "| %s | ", rank_names[p->rank]);
        md_text(b, p->id);
        sb_puts(b, " | ");
        md_text(b, p->title ? p->title : "-");
        sb_puts(b, " | ");
        if (s->eligible > 0) md_bar(b, ratio(s->covered, s->eligible), s->required_bp >= 0 ? s->required_bp / 10000.0 : -1);
        sb_puts(b, " |");
        md_pct_cell(b, s->covered, s->eligible);
        if (s->required_bp >= 0) sb_printf(b, " %.4g%% |", s->required_bp / 100.0);
        else sb_puts(b, " - |");
        sb_printf(b, " %ld | %ld | %ld | %ld | %ld | %ld | %ld |", s->total, s->n[VD_MET] + s->n[VD_PROBLEM],
                  s->n[VD_LATE], s->n[VD_MISSED], s->n[VD_WRONG_CHANNEL] + s->n[VD_WRONG_ASSIGNEE] + s->n[VD_INCOMPLETE],
                  s->n[VD_UNREACHABLE], s->n[VD_OPEN]);
        md_pct_cell(b, s->on_time, s->completed);
        md_pct_cell(b, s->complete, s->completed);
        md_sat_cell(b, s);
        sb_puts(b, "\n");
    }
    if (idle) {
        sb_printf(b, "\nNothing in the period (%zu: in force, but no obligation was triggered and no subject was "
                     "eligible):", idle);
        const char *sep = " ";
        for (size_t i = 0; i < r->policies.n; i++) {
            const PolRow *p = r->policies.v[i];
            if (p->rank != 4) continue;
            sb_puts(b, sep);
            md_text(b, p->id);
            if (p->title && *p->title) {
                sb_puts(b, " ");
                md_text(b, p->title);
            }
            sep = "; ";
        }
        sb_puts(b, ".\n");
    }
    sb_printf(b, "\n## Trend by %s 趋势\n\n| %s | Obligations |", r->trend_by, r->trend_by);
    for (int j = 0; j < NBANDS; j++) sb_printf(b, " %s |", bands[j].name);
    sb_puts(b, " Coverage | Timeliness |\n| --- | ---: |");
    for (int j = 0; j < NBANDS; j++) sb_puts(b, " ---: |");
    sb_puts(b, " ---: | ---: |\n");
    for (size_t i = 0; i < r->nbuckets; i++) {
        const Bucket *k = &r->buckets[i];
        long c[NBANDS];
        band_counts(k->st, c);
        sb_printf(b, "| %s | %ld |", k->key, k->st ? k->st->total : 0L);
        for (int j = 0; j < NBANDS; j++) sb_printf(b, " %ld |", c[j]);
        if (k->st) {
            md_pct_cell(b, k->st->covered, k->st->eligible);
            md_pct_cell(b, k->st->on_time, k->st->completed);
        } else {
            sb_puts(b, " - | - |");
        }
        sb_puts(b, "\n");
    }
    for (int staff = 0; staff <= 1; staff++) {
        const VdStats *g = staff ? r->staff : r->dept;
        sb_printf(b, "\n## %s\n\n| %s | Obligations | Non-compliant | Met | Late | Missed | Other findings | "
                     "Unreachable | Open | Timeliness | Completeness | Satisfaction |\n"
                     "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
                  staff ? "By staff member 按回访人员" : "By department 按部门", staff ? "Staff member" : "Department");
        const VdStat **v = group_order(g);
        for (size_t i = 0; i < g->n; i++) {
            const VdStat *s = v[i];
            sb_puts(b, "| ");
            if (!strcmp(s->key, "-")) {
                sb_puts(b, staff ? "(no completed visit)" : "(no department)");
            } else {
                md_text(b, s->key);
                const Staffer *p = staff ? staffer(r, s->key) : NULL;
                if (p && *p->name) {
                    sb_puts(b, " ");
                    md_text(b, p->name);
                }
            }
            sb_printf(b, " | %ld | %ld | %ld | %ld | %ld | %ld | %ld | %ld |", s->total, s->failed,
                      s->n[VD_MET] + s->n[VD_PROBLEM], s->n[VD_LATE], s->n[VD_MISSED],
                      s->n[VD_WRONG_CHANNEL] + s->n[VD_WRONG_ASSIGNEE] + s->n[VD_INCOMPLETE], s->n[VD_UNREACHABLE],
                      s->n[VD_OPEN]);
            md_pct_cell(b, s->on_time, s->completed);
            md_pct_cell(b, s->complete, s->completed);
            md_sat_cell(b, s);
            sb_puts(b, "\n");
        }
        free(v);
    }
    size_t n;
    Finding *f = findings(r, &n);
    sb_printf(b, "\n## Non-compliant obligations 不合规回访 (%zu)\n\n", n);
    if (n) {
        sb_puts(b, "| Policy | Obligation | Customer | Case | Due by | Verdict | Staff | Reasons |\n"
                   "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        size_t shown = n < REP_MAX_ROWS_MD ? n : REP_MAX_ROWS_MD;
        for (size_t i = 0; i < shown; i++) {
            const VdView *o = &f[i].v;
            const char *cells[] = {o->policy, o->id, o->customer, o->case_id ? o->case_id : "-", o->due_by,
                                   vd_verdict_name(o->verdict), o->staff ? o->staff : "-", *o->reasons ? o->reasons : "-"};
            sb_puts(b, "|");
            for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
                sb_puts(b, " ");
                md_text(b, cells[c]);
                sb_puts(b, " |");
            }
            sb_puts(b, "\n");
        }
        if (shown < n)
            sb_printf(b, "\n… and %zu more: `revisit verdicts -s STORE --period %s..%s --list` lists them all.\n",
                      n - shown, r->pf, r->pt);
    } else {
        sb_puts(b, "None.\n");
    }
    free(f);
    sb_printf(b, "\n## Escalations open at the end of the period 期末未结升级 (%zu)\n\n", r->escalations.n);
    sb_printf(b, "Raised by %s and neither closed nor moved up by then", r->cutd);
    if (r->as_of > r->cut)
        sb_printf(b, "; and raised since on the verdicts of this period's obligations, open as of %s", r->asof);
    sb_puts(b, ".\n\n");
    if (r->escalations.n) {
        sb_puts(b, "| Escalation | Policy | Rule | Level | Target | Customer | Subject | Raised | Due by | Cites | Status |\n"
                   "| --- | --- | --- | ---: | --- | --- | --- | --- | --- | ---: | --- |\n");
        for (size_t i = 0; i < r->escalations.n; i++) {
            const EscRow *e = r->escalations.v[i];
            sb_puts(b, "|");
            for (int c = 0; c < E_N; c++) {
                sb_puts(b, " ");
                md_text(b, *e->c[c] ? e->c[c] : "-");
                sb_puts(b, " |");
            }
            sb_puts(b, "\n");
        }
    } else {
        sb_puts(b, "None.\n");
    }
    sb_puts(b, "\n## Policy versions in force 生效的政策版本\n\n"
               "| Policy | Version | Title | Effective | In force until | SHA-256 | File | Judged |\n"
               "| --- | ---: | --- | --- | --- | --- | --- | ---: |\n");
    for (size_t i = 0; i < r->versions.n; i++) {
        const Version *v = r->versions.v[i];
        if (!in_force(v, r->from, r->to)) continue;
        char start[11], end[11];
        day_text(v->start, start, "-");
        day_text(v->end, end, "current");
        sb_puts(b, "| ");
        md_text(b, v->policy);
        sb_printf(b, " | %d | ", v->version);
        md_text(b, v->title ? v->title : "-");
        sb_printf(b, " | %s | %s | %.12s | ", start, end, v->sha);
        md_text(b, v->file ? v->file : "-");
        sb_printf(b, " | %ld |\n", v->judged);
    }
    sb_puts(b, "\nCoverage: distinct subjects with a completed visit by the deadline / subjects eligible in the period. "
               "Breach: below the required coverage with nothing open; at risk: below it while obligations are open. "
               "Timeliness: completed visits by the deadline / completed visits. Completeness: completed visits with the "
               "whole script / completed visits. Mobile, phone and identity numbers are masked.\n");
}

/* ---- the command ---- */

static void report_free(Report *r)
{
    for (size_t i = 0; i < r->versions.n; i++) {
        Version *v = r->versions.v[i];
        free(v->policy); free(v->sha); free(v->title); free(v->effective); free(v->file); free(v->first_seen);
        free(v);
    }
    pv_free(&r->versions);
    for (size_t i = 0; i < r->policies.n; i++) {
        PolRow *p = r->policies.v[i];
        free(p->id);
        free(p);
    }
    pv_free(&r->policies);
    for (size_t i = 0; i < r->escalations.n; i++) {
        EscRow *e = r->escalations.v[i];
        for (int c = 0; c < E_N; c++) free(e->c[c]);
        free(e);
    }
    pv_free(&r->escalations);
    for (size_t i = 0; i < r->staffers.n; i++) {
        Staffer *s = r->staffers.v[i];
        free(s->id); free(s->name); free(s->department);
        free(s);
    }
    pv_free(&r->staffers);
    free(r->buckets);
    vd_stats_free(r->pol);
    vd_stats_free(r->dept);
    vd_stats_free(r->staff);
    vd_stats_free(r->trend);
    vd_free(r->vr);
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

int cmd_report(const Opts *o)
{
    Report r = {0};
    if (!o->store || !o->period) {
        fprintf(stderr, "revisit: usage: revisit report -s STORE --period P [--as-of DATE] [--format html|md] [-o FILE] "
                        "(see revisit report --help)\n");
        return EXIT_USAGE;
    }
    if (cli_parse_period(o->period, &r.from, &r.to)) {
        fprintf(stderr, "revisit: --period '%s' is not a period (2026-10, 2026-Q3, 2026-H2, 2026, or "
                        "2026-10-01..2026-10-31)\n", o->period);
        return EXIT_USAGE;
    }
    int fmt = o->format >= 0 ? o->format : o->output && (ends_with(o->output, ".md") || ends_with(o->output, ".markdown"))
                                               ? REP_MD : REP_HTML;
    if (fmt != REP_HTML && fmt != REP_MD) {
        fprintf(stderr, "revisit: report: --format takes html or md\n");
        return EXIT_USAGE;
    }
    r.as_of = cli_as_of(o);
    if (r.as_of < 0) return EXIT_USAGE;
    r.store = o->store;
    r.cut = r.to < r.as_of ? r.to : r.as_of;
    cal_fmt_date(r.from, r.pf);
    cal_fmt_date(r.to, r.pt);
    cal_fmt_date(r.as_of, r.asof);
    cal_fmt_date(r.cut, r.cutd);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(r.now, sizeof r.now, "%Y-%m-%d %H:%M:%S", &tm);

    r.db = store_open(o->store, 0);
    if (!r.db) return EXIT_STORE;
    FILE *out = cli_output(o);
    if (!out) {
        sqlite3_close(r.db);
        return EXIT_STORE;
    }
    int code = EXIT_OK;
    StrBuf doc = {0};
    r.vr = vd_judge(r.db, r.from, r.to, r.as_of);
    if (!r.vr) {
        code = EXIT_STORE;
        goto done;
    }
    r.pol = vd_stats(r.db, r.vr, "policy", r.from, r.to);
    r.dept = r.pol ? vd_stats(r.db, r.vr, "department", r.from, r.to) : NULL;
    r.staff = r.dept ? vd_stats(r.db, r.vr, "staff", r.from, r.to) : NULL;
    r.trend_by = trend_unit(r.from, r.to);
    r.trend = r.staff ? vd_stats(r.db, r.vr, r.trend_by, r.from, r.to) : NULL;
    if (!r.trend) {
        code = EXIT_STORE;
        goto done;
    }
    if (read_versions(&r) || read_escalations(&r) || read_staff(&r)) {
        store_error(r.db, "report");
        code = EXIT_STORE;
        goto done;
    }
    build_policies(&r);
    build_buckets(&r);
    if (fmt == REP_HTML) html(&doc, &r);
    else md(&doc, &r);
    if (fwrite(sb_str(&doc), 1, doc.len, out) != doc.len || fflush(out)) {
        perror(o->output ? o->output : "stdout");
        code = EXIT_STORE;
    }
    Totals t = totals(&r);
    fprintf(stderr, "report %s..%s as of %s: %zu polic%s, %ld obligations judged, %ld in breach, %ld at risk, %zu open "
                    "escalation%s; %zu bytes of %s%s%s\n",
            r.pf, r.pt, r.asof, r.policies.n, r.policies.n == 1 ? "y" : "ies", t.total, r.breaches, r.at_risk,
            r.escalations.n, r.escalations.n == 1 ? "" : "s", doc.len, fmt == REP_HTML ? "HTML" : "Markdown",
            o->output && strcmp(o->output, "-") ? " in " : "", o->output && strcmp(o->output, "-") ? o->output : "");
    if (code == EXIT_OK && o->fail_on_breach && r.breaches) code = EXIT_FINDINGS;
done:
    if (cli_output_end(out, o, code == EXIT_OK || code == EXIT_FINDINGS) && code == EXIT_OK) code = EXIT_STORE;
    sb_free(&doc);
    report_free(&r);
    sqlite3_close(r.db);
    return code;
}
