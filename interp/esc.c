/* esc.c - escalations: recording them, raising them on verdicts, moving
 * unacknowledged ones up their chain, acknowledging and closing them, and
 * the `escalations` and `ack` commands.
 *
 * An escalation is raised once (its id is derived from the policy, the rule
 * and the rule's key: the `once per` values, or the subject, or the judged
 * obligation), cites every subject that triggered it, and is never
 * deleted.  When it is neither acknowledged nor closed by its deadline, the
 * next run raises the next level of its chain, once (a child row whose id
 * derives from the parent's). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cal.h"
#include "cli.h"
#include "diag.h"
#include "esc.h"
#include "chain.h"
#include "out.h"
#include "store.h"

static void now_text(char out[20])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* "a+b|c|d": the levels of a rule, joint roles joined by '+'. */
static char *levels_text(const Escalation *e)
{
    StrBuf b = {0};
    for (int k = 0; k < e->nlevels; k++) {
        if (k) sb_putc(&b, '|');
        for (char **r = e->levels[k]; *r; r++) {
            if (r != e->levels[k]) sb_putc(&b, '+');
            sb_puts(&b, *r);
        }
    }
    return sb_take(&b);
}

/* Level k of a levels text, heap. */
static char *level_at(const char *levels, int k)
{
    const char *p = levels;
    for (int i = 0; i < k && p; i++) {
        p = strchr(p, '|');
        if (p) p++;
    }
    if (!p) return NULL;
    const char *e = strchr(p, '|');
    return xstrndup(p, e ? (size_t)(e - p) : strlen(p));
}

static int insert_escalation(sqlite3 *db, const char *id, const char *policy, int version, const char *rule, int level,
                             const char *levels, const char *customer, const char *subject_table, const char *subject,
                             const char *obligation, const char *raised_on, const char *due_by, Dur within,
                             const char *parent, const char *facts, const char *now, int *added)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO escalations(id, policy, version, rule, level, levels, target, "
                               "customer_id, subject_table, subject_id, obligation_id, raised_on, due_by, within_n, "
                               "within_unit, parent_id, facts, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    char *target = level_at(levels, level);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, policy, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, version);
    sqlite3_bind_text(st, 4, rule, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, level);
    sqlite3_bind_text(st, 6, levels, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, target ? target : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, customer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, subject_table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, obligation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, raised_on, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, due_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 14, within.n);
    sqlite3_bind_int(st, 15, (int)within.unit);
    sqlite3_bind_text(st, 16, parent, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 17, facts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 18, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (!rc && added) *added += sqlite3_changes(db);
    sqlite3_finalize(st);
    free(target);
    return rc;
}

static int cite(sqlite3 *db, const char *id, const char *subject)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO escalation_cites(escalation_id, subject_id) VALUES (?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, subject, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

int esc_timeouts(sqlite3 *db, int64_t as_of, int *raised)
{
    char asof[11], now[20];
    cal_fmt_date(as_of, asof);
    now_text(now);
    sqlite3_stmt *st;
    /* open (no ack, no close), past its deadline, a level above it, not yet moved up */
    const char *sql =
        "SELECT e.id, e.policy, e.version, e.rule, e.level, e.levels, e.customer_id, e.subject_table, e.subject_id, "
        "e.obligation_id, e.within_n, e.within_unit, e.facts FROM escalations e "
        "WHERE e.due_by < ?1 AND NOT EXISTS (SELECT 1 FROM escalation_acks a WHERE a.escalation_id = e.id) "
        "AND NOT EXISTS (SELECT 1 FROM escalations c WHERE c.parent_id = e.id) ORDER BY e.id";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, asof, -1, SQLITE_STATIC);
    PtrVec rows = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        char **r = xcalloc(14, sizeof *r);
        for (int i = 0; i < 13; i++)
            r[i] = sqlite3_column_text(st, i) ? xstrdup((const char *)sqlite3_column_text(st, i)) : NULL;
        pv_push(&rows, r);
    }
    sqlite3_finalize(st);
    int rc = 0;
    for (size_t i = 0; i < rows.n; i++) {
        char **r = rows.v[i];
        int level = atoi(r[4]) + 1;
        char *next = rc ? NULL : level_at(r[5], level);
        if (next) {
            char key[128], hex[65], id[16], due[11];
            snprintf(key, sizeof key, "%s%cup", r[0], 0x1f);
            sha256_hex(key, strlen(key), hex);
            snprintf(id, sizeof id, "E-%.12s", hex);
            Dur within = {atoll(r[10]), (Unit)atoi(r[11])};
            cal_fmt_date(cal_add_dur(NULL, as_of * 86400, within, 1) / 86400, due);
            StrBuf f = {0};
            sb_printf(&f, "{\"escalated_from\":\"%s\",\"level\":%d,\"reason\":\"not acknowledged by its deadline\"}",
                      r[0], level);
            rc = insert_escalation(db, id, r[1], atoi(r[2]), r[3], level, r[5], r[6], r[7], r[8], r[9], asof, due,
                                   within, r[0], sb_str(&f), now, raised);
            sb_free(&f);
            /* the child cites what the parent cited */
            if (!rc) {
                sqlite3_stmt *c;
                if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO escalation_cites SELECT ?1, subject_id FROM "
                                           "escalation_cites WHERE escalation_id = ?2", -1, &c, NULL) == SQLITE_OK) {
                    sqlite3_bind_text(c, 1, id, -1, SQLITE_STATIC);
                    sqlite3_bind_text(c, 2, r[0], -1, SQLITE_STATIC);
                    rc = sqlite3_step(c) == SQLITE_DONE ? 0 : -1;
                    sqlite3_finalize(c);
                } else {
                    rc = -1;
                }
            }
            free(next);
        }
        for (int k = 0; k < 13; k++) free(r[k]);
        free(r);
    }
    pv_free(&rows);
    return rc;
}

int esc_record_run(sqlite3 *db, Program *prog, EvalResult *res, int64_t as_of, int *raised)
{
    char now[20];
    now_text(now);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO policy_escalations(policy, version, sha256, rule, on_kind, "
                               "question, value, levels, within_n, within_unit) VALUES (?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < prog->policies.n && !rc; i++) {
        Policy *p = prog->policies.v[i];
        for (size_t k = 0; k < p->escalations.n && !rc; k++) {
            Escalation *e = p->escalations.v[k];
            char *levels = levels_text(e);
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, p->version);
            sqlite3_bind_text(st, 3, p->sha256, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, e->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, e->on, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, e->question, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, e->value, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 8, levels, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 9, e->within.n);
            sqlite3_bind_int(st, 10, (int)e->within.unit);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
            free(levels);
        }
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < res->escs.n && !rc; i++) {
        Raised *r = res->escs.v[i];
        char *levels = levels_text(r->rule);
        rc = insert_escalation(db, r->id, r->pol->id, (int)r->pol->version, r->rule->name, 0, levels, r->customer_id,
                               r->pol->table, r->subject_id, NULL, r->raised_on, r->due_by, r->rule->within, NULL,
                               r->facts, now, raised);
        free(levels);
        for (size_t k = 0; k < r->cites.n && !rc; k++) rc = cite(db, r->id, r->cites.v[k]);
    }
    if (!rc) rc = esc_timeouts(db, as_of, raised);
    return rc;
}

int esc_on_verdict(sqlite3 *db, const char *obligation, const char *verdict, int64_t visit_id, int satisfaction,
                   int64_t at_day, int *raised)
{
    sqlite3_stmt *st;
    const char *sql =
        "SELECT o.policy, o.version, o.customer_id, o.subject_table, o.subject_id, e.rule, e.on_kind, e.question, "
        "e.value, e.levels, e.within_n, e.within_unit, " STORE_OBLIGATION_RULES("o")
        " FROM obligations o JOIN obligation_rules u ON u.id = o.rule_id "
        "JOIN policy_escalations e ON e.policy = u.policy AND e.sha256 = u.sha256 "
        "WHERE o.id = ? AND e.on_kind IS NOT NULL";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, obligation, -1, SQLITE_STATIC);
    int rc = 0;
    char now[20];
    now_text(now);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
#define T(i) ((const char *)sqlite3_column_text(st, i))
        const char *on = T(6);
        int fire = 0;
        StrBuf why = {0};
        if (!strcmp(on, "dissatisfied")) {
            const char *rules = T(12);
            const char *d = rules ? strstr(rules, "\"dissatisfied_below\":") : NULL;
            long below = d ? strtol(d + 21, NULL, 10) : 0;
            if (below <= 0) below = 3;
            fire = satisfaction >= 0 && satisfaction < below;
            if (fire) sb_printf(&why, "satisfaction %d, below %ld", satisfaction, below);
        } else if (!strcmp(on, "answer")) {
            sqlite3_stmt *a;
            if (visit_id > 0 && sqlite3_prepare_v2(db, "SELECT answer FROM answers WHERE visit_id = ? AND question = ?",
                                                   -1, &a, NULL) == SQLITE_OK) {
                sqlite3_bind_int64(a, 1, visit_id);
                sqlite3_bind_text(a, 2, T(7), -1, SQLITE_STATIC);
                if (sqlite3_step(a) == SQLITE_ROW && sqlite3_column_text(a, 0) &&
                    !strcmp((const char *)sqlite3_column_text(a, 0), T(8))) {
                    fire = 1;
                    sb_printf(&why, "answer to %s: %s", T(7), T(8));
                }
                sqlite3_finalize(a);
            }
        } else {
            fire = !strcmp(on, verdict);
            if (fire) sb_printf(&why, "verdict %s", verdict);
        }
        if (fire) {
            char key[256], hex[65], id[16], raised_on[11], due[11];
            snprintf(key, sizeof key, "%s%c%s%c%s", T(0), 0x1f, T(5), 0x1f, obligation);
            sha256_hex(key, strlen(key), hex);
            snprintf(id, sizeof id, "E-%.12s", hex);
            Dur within = {sqlite3_column_int64(st, 10), (Unit)sqlite3_column_int(st, 11)};
            cal_fmt_date(at_day, raised_on);
            cal_fmt_date(cal_add_dur(NULL, at_day * 86400, within, 1) / 86400, due);
            StrBuf f = {0};
            sb_puts(&f, "{\"rule\":");
            sb_json_str(&f, T(5));
            sb_printf(&f, ",\"obligation\":\"%s\",\"visit\":%lld,\"why\":", obligation, (long long)visit_id);
            sb_json_str(&f, sb_str(&why));
            sb_putc(&f, '}');
            rc = insert_escalation(db, id, T(0), sqlite3_column_int(st, 1), T(5), 0, T(9), T(2), T(3), T(4), obligation,
                                   raised_on, due, within, NULL, sb_str(&f), now, raised);
            if (!rc) rc = cite(db, id, T(4));
            sb_free(&f);
        }
        sb_free(&why);
#undef T
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- commands ---- */
int cmd_escalations(const Opts *o)
{
    if (!o->store) {
        fprintf(stderr, "revisit: usage: revisit escalations -s STORE [--open] [--period P] [--format F]\n");
        return EXIT_USAGE;
    }
    int64_t from = INT64_MIN, to = INT64_MAX;
    if (o->period && cli_parse_period(o->period, &from, &to)) {
        fprintf(stderr, "revisit: --period '%s' is not a period (2026-10, 2026-Q3, 2026-H2, 2026, A..B)\n", o->period);
        return EXIT_USAGE;
    }
    int64_t as_of = cli_as_of(o);
    if (as_of < 0) return EXIT_USAGE;
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    char pf[11] = "0001-01-01", pt[11] = "9999-12-31", asof[11];
    if (from != INT64_MIN) cal_fmt_date(from, pf);
    if (to != INT64_MAX) cal_fmt_date(to, pt);
    cal_fmt_date(as_of, asof);
    const char *sql =
        "SELECT e.id, e.policy, e.version, e.rule, e.level, e.target, e.customer_id, e.subject_id, e.raised_on, e.due_by, "
        "(SELECT count(*) FROM escalation_cites c WHERE c.escalation_id = e.id), "
        "CASE WHEN EXISTS (SELECT 1 FROM escalation_acks a WHERE a.escalation_id = e.id AND a.action = 'close') THEN 'closed' "
        "WHEN EXISTS (SELECT 1 FROM escalations c WHERE c.parent_id = e.id) THEN 'escalated' "
        "WHEN EXISTS (SELECT 1 FROM escalation_acks a WHERE a.escalation_id = e.id) THEN 'acknowledged' "
        "WHEN e.due_by < ?3 THEN 'overdue' ELSE 'open' END AS status "
        "FROM escalations e WHERE e.raised_on BETWEEN ?1 AND ?2 ORDER BY e.raised_on, e.policy, e.id";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "escalations");
        sqlite3_close(db);
        return EXIT_STORE;
    }
    sqlite3_bind_text(st, 1, pf, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, pt, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, asof, -1, SQLITE_STATIC);
    static const char *const head[] = {"id", "policy", "version", "rule", "level", "target", "customer", "subject",
                                       "raised_on", "due_by", "cites", "status"};
    enum { NC = 12 };
    PtrVec rows = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 11);
        if (o->open_only && (!strcmp(status, "closed") || !strcmp(status, "escalated"))) continue;
        char **r = xcalloc(NC, sizeof *r);
        for (int i = 0; i < NC; i++)
            r[i] = xstrdup(sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "");
        pv_push(&rows, r);
    }
    sqlite3_finalize(st);
    FILE *out = cli_output(o);
    int code = out ? EXIT_OK : EXIT_STORE;
    int fmt = o->format >= 0 ? o->format : FMT_TABLE;
    if (out && fmt == FMT_CSV) {
        for (int c = 0; c < NC; c++) fprintf(out, "%s%s", c ? "," : "", head[c]);
        fputs("\r\n", out);
        for (size_t i = 0; i < rows.n; i++) {
            out_csv_row(out, (const char *const *)rows.v[i], NC);
        }
    } else if (out && fmt == FMT_JSON) {
        for (size_t i = 0; i < rows.n; i++) {
            char **r = rows.v[i];
            StrBuf b = {0};
            sb_putc(&b, '{');
            for (int c = 0; c < NC; c++) {
                if (c) sb_putc(&b, ',');
                sb_json_str(&b, head[c]);
                sb_putc(&b, ':');
                if (c == 2 || c == 4 || c == 10) sb_puts(&b, r[c]);
                else sb_json_str(&b, r[c]);
            }
            sb_puts(&b, "}\n");
            fputs(sb_str(&b), out);
            sb_free(&b);
        }
    } else if (out) {
        int w[NC];
        for (int c = 0; c < NC; c++) w[c] = (int)strlen(head[c]);
        for (size_t i = 0; i < rows.n; i++)
            for (int c = 0; c < NC; c++) {
                int x = utf8_width(((char **)rows.v[i])[c], strlen(((char **)rows.v[i])[c]));
                if (x > w[c]) w[c] = x;
            }
        for (int c = 0; c < NC; c++) {
            char up[32];
            size_t k = 0;
            for (; head[c][k]; k++) up[k] = (char)(head[c][k] >= 'a' ? head[c][k] - 32 : head[c][k]);
            up[k] = 0;
            fprintf(out, "%s%-*s", c ? "  " : "", c == NC - 1 ? 0 : w[c], up);
        }
        fputc('\n', out);
        for (size_t i = 0; i < rows.n; i++) {
            char **r = rows.v[i];
            for (int c = 0; c < NC; c++) {
                const char *v = *r[c] ? r[c] : "-";
                int x = utf8_width(v, strlen(v));
                fprintf(out, "%s%s%*s", c ? "  " : "", v, c == NC - 1 ? 0 : w[c] - x, "");
            }
            fputc('\n', out);
        }
        fprintf(out, "%zu escalation%s\n", rows.n, rows.n == 1 ? "" : "s");
    }
    if (out && cli_output_end(out, o, 1)) code = EXIT_STORE;
    for (size_t i = 0; i < rows.n; i++) {
        for (int c = 0; c < NC; c++) free(((char **)rows.v[i])[c]);
        free(rows.v[i]);
    }
    pv_free(&rows);
    sqlite3_close(db);
    return code;
}

int cmd_ack(const Opts *o)
{
    if (!o->store || o->nargs != 1 || !o->staff) {
        fprintf(stderr, "revisit: usage: revisit ack -s STORE ESCALATION-ID --by STAFF [--note TEXT] [--close]\n");
        return EXIT_USAGE;
    }
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    char now[20];
    now_text(now);
    int code = EXIT_OK;
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM escalations WHERE id = ?", -1, &st, NULL) != SQLITE_OK) goto fail;
    sqlite3_bind_text(st, 1, o->args[0], -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    st = NULL;
    if (!found) {
        fprintf(stderr, "revisit: no escalation %s in %s; nothing was written\n", o->args[0], o->store);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
        return EXIT_FINDINGS;
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO escalation_acks(escalation_id, action, staff_id, note, at) VALUES (?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, o->args[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, o->close ? "close" : "ack", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, o->staff, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, o->note, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) goto fail;
    sqlite3_finalize(st);
    st = NULL;
    if (chain_seal(db, NULL)) goto fail;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    printf("%s %s by %s\n", o->close ? "closed" : "acknowledged", o->args[0], o->staff);
    sqlite3_close(db);
    return code;
fail:
    store_error(db, "ack");
    sqlite3_finalize(st);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return EXIT_STORE;
}

int esc_explain(sqlite3 *db, const char *id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, policy, version, rule, level, levels, target, customer_id, subject_table, "
                               "subject_id, obligation_id, raised_on, due_by, parent_id, facts FROM escalations WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return EXIT_STORE;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        fprintf(stderr, "revisit: no escalation %s in the store\n", id);
        return EXIT_FINDINGS;
    }
#define T(i) (sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")
    printf("escalation  %s\n", T(0));
    printf("policy      %s version %d, rule %s\n", T(1), sqlite3_column_int(st, 2), T(3));
    printf("target      %s (level %d of %s)\n", T(6), sqlite3_column_int(st, 4) + 1, T(5));
    printf("raised      %s, due by %s\n", T(11), T(12));
    if (*T(13)) printf("escalated from %s, not acknowledged by its deadline\n", T(13));
    printf("facts       %s\n", T(14));
    char *oblig = xstrdup(T(10));
#undef T
    sqlite3_finalize(st);
    /* the cited cases (or subjects) with their facts */
    printf("cites:\n");
    if (sqlite3_prepare_v2(db, "SELECT c.subject_id, k.kind, k.subject, k.opened_at, k.closed_at, k.department "
                               "FROM escalation_cites c LEFT JOIN cases k ON k.id = c.subject_id WHERE c.escalation_id = ? "
                               "ORDER BY k.opened_at, c.subject_id", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            printf("  %s", (const char *)sqlite3_column_text(st, 0));
            if (sqlite3_column_text(st, 1))
                printf("  %s  %s  opened %s  closed %s  %s", sqlite3_column_text(st, 1),
                       sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "-",
                       sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "-",
                       sqlite3_column_text(st, 4) ? (const char *)sqlite3_column_text(st, 4) : "-",
                       sqlite3_column_text(st, 5) ? (const char *)sqlite3_column_text(st, 5) : "");
            putchar('\n');
        }
        sqlite3_finalize(st);
    }
    if (*oblig && sqlite3_prepare_v2(db, "SELECT v.id, v.at, v.channel, v.staff_id, v.outcome, v.satisfaction, v.reason, "
                                         "(SELECT group_concat(a.question || '=' || coalesce(a.answer, ''), ', ') FROM "
                                         "answers a WHERE a.visit_id = v.id) FROM visits v WHERE v.obligation_id = ? "
                                         "ORDER BY v.at", -1, &st, NULL) == SQLITE_OK) {
        printf("visits of obligation %s:\n", oblig);
        sqlite3_bind_text(st, 1, oblig, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            printf("  visit %lld  %s  %s  by %s  %s", (long long)sqlite3_column_int64(st, 0), sqlite3_column_text(st, 1),
                   sqlite3_column_text(st, 2), sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "-",
                   sqlite3_column_text(st, 4));
            if (sqlite3_column_type(st, 5) != SQLITE_NULL) printf("  satisfaction %d", sqlite3_column_int(st, 5));
            if (sqlite3_column_text(st, 6)) printf("  reason: %s", sqlite3_column_text(st, 6));
            if (sqlite3_column_text(st, 7)) printf("\n    answers: %s", sqlite3_column_text(st, 7));
            putchar('\n');
        }
        sqlite3_finalize(st);
    }
    free(oblig);
    printf("acknowledgements:\n");
    if (sqlite3_prepare_v2(db, "SELECT at, action, staff_id, note FROM escalation_acks WHERE escalation_id = ? ORDER BY id",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        int any = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            any = 1;
            printf("  %s  %s by %s%s%s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                   sqlite3_column_text(st, 2), sqlite3_column_text(st, 3) ? ": " : "",
                   sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "");
        }
        if (!any) printf("  none\n");
        sqlite3_finalize(st);
    }
    return EXIT_OK;
}
