/* chain.c - tamper-evident records: the append-only tables (visits,
 * answers, verdicts, escalation acknowledgements) are sealed into a SHA-256
 * hash chain, `revisit verify` recomputes it, and `revisit purge` removes
 * what is older than the retention period while keeping the chain
 * verifiable.
 *
 * Sealing: every command that writes seals, inside its own transaction, the
 * rows added since the last seal.  A row's hash covers its table, rowid and
 * every non-null column as name=quote(value) (so adding a column to a table
 * later does not change old hashes); each chain entry's hash is
 * SHA-256(previous entry's hash + row hash).  Triggers refuse UPDATE and
 * DELETE on the sealed tables and on the chain itself; a correction is a
 * new visit whose `corrects` column names the visit it corrects.  Purging
 * marks chain entries as purged in a signed-off checkpoint instead of
 * removing them, so the chain still verifies end to end.  The chain guards
 * against edits that do not rebuild it; keep its head hash (printed by
 * verify) outside the store to guard against a rebuilt chain too. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cal.h"
#include "chain.h"
#include "cli.h"
#include "store.h"

static const char *const sealed_tables[] = {"visits", "answers", "verdicts", "escalation_acks"};
enum { NSEALED = sizeof sealed_tables / sizeof *sealed_tables };

static void now_text(char out[20])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* "SELECT rowid, <canonical text> FROM t" built from the table's real
 * columns (identifiers from the schema, quoted). */
static char *canon_sql(sqlite3 *db, const char *table, const char *where)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    StrBuf b = {0};
    sb_puts(&b, "SELECT rowid, ''");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        StrBuf q = {0};
        for (const char *p = c; *p; p++) {
            if (*p == '"') sb_putc(&q, '"');
            sb_putc(&q, *p);
        }
        StrBuf lit = {0}; /* the column name as a SQL string literal */
        for (const char *p = c; *p; p++) {
            if (*p == '\'') sb_putc(&lit, '\'');
            sb_putc(&lit, *p);
        }
        sb_printf(&b, " || CASE WHEN \"%s\" IS NULL THEN '' ELSE '%s=' || quote(\"%s\") || char(31) END", sb_str(&q),
                  sb_str(&lit), sb_str(&q));
        sb_free(&q);
        sb_free(&lit);
    }
    sqlite3_finalize(st);
    sb_printf(&b, " FROM \"%s\"%s", table, where ? where : "");
    return sb_take(&b);
}

static void row_hash(const char *table, sqlite3_int64 rowid, const char *canon, char out[65])
{
    StrBuf b = {0};
    sb_printf(&b, "%s%c%lld%c%s", table, 0x1f, (long long)rowid, 0x1f, canon ? canon : "");
    sha256_hex(sb_str(&b), b.len, out);
    sb_free(&b);
}

static void link_hash(const char *prev, const char *row, char out[65])
{
    char buf[130];
    snprintf(buf, sizeof buf, "%s%s", prev, row);
    sha256_hex(buf, strlen(buf), out);
}

static int last_link(sqlite3 *db, char prev[65])
{
    sqlite3_stmt *st;
    snprintf(prev, 65, "%s", "genesis");
    if (sqlite3_prepare_v2(db, "SELECT chain_hash FROM audit_chain ORDER BY seq DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) snprintf(prev, 65, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return 0;
}

int chain_seal(sqlite3 *db, long *sealed)
{
    char prev[65], now[20];
    now_text(now);
    if (last_link(db, prev)) return -1;
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db, "INSERT INTO audit_chain(tbl, row_id, row_hash, chain_hash, sealed_at) VALUES (?,?,?,?,?)",
                           -1, &ins, NULL) != SQLITE_OK)
        return -1;
    int rc = 0;
    for (int t = 0; t < NSEALED && !rc; t++) {
        char *sql = canon_sql(db, sealed_tables[t],
                              " WHERE rowid > (SELECT coalesce(max(row_id), 0) FROM audit_chain WHERE tbl = ?1) ORDER BY rowid");
        sqlite3_stmt *st;
        if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            free(sql);
            rc = -1;
            break;
        }
        free(sql);
        sqlite3_bind_text(st, 1, sealed_tables[t], -1, SQLITE_STATIC);
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
            char rh[65], ch[65];
            row_hash(sealed_tables[t], rowid, (const char *)sqlite3_column_text(st, 1), rh);
            link_hash(prev, rh, ch);
            sqlite3_reset(ins);
            sqlite3_bind_text(ins, 1, sealed_tables[t], -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 2, rowid);
            sqlite3_bind_text(ins, 3, rh, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 4, ch, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 5, now, -1, SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE) rc = -1;
            memcpy(prev, ch, 65);
            if (sealed) (*sealed)++;
        }
        sqlite3_finalize(st);
    }
    sqlite3_finalize(ins);
    /* remember the head, so that entries cut from the end are noticed */
    if (!rc) {
        sqlite3_stmt *m;
        if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO revisit_meta(key, value) VALUES ('chain_head', ?)", -1, &m,
                               NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_text(m, 1, prev, -1, SQLITE_STATIC);
        rc = sqlite3_step(m) == SQLITE_DONE ? 0 : -1;
        sqlite3_finalize(m);
    }
    return rc;
}

int cmd_verify(const Opts *o)
{
    if (!o->store) {
        fprintf(stderr, "revisit: usage: revisit verify -s STORE\n");
        return EXIT_USAGE;
    }
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    /* one prepared row lookup per sealed table */
    sqlite3_stmt *look[NSEALED] = {0};
    for (int t = 0; t < NSEALED; t++) {
        char *sql = canon_sql(db, sealed_tables[t], " WHERE rowid = ?1");
        if (!sql || sqlite3_prepare_v2(db, sql, -1, &look[t], NULL) != SQLITE_OK) {
            free(sql);
            store_error(db, "verify");
            for (int k = 0; k < t; k++) sqlite3_finalize(look[k]);
            sqlite3_close(db);
            return EXIT_STORE;
        }
        free(sql);
    }
    sqlite3_stmt *st;
    int code = EXIT_OK;
    long n = 0, purged = 0;
    char prev[65] = "genesis";
    if (sqlite3_prepare_v2(db, "SELECT c.seq, c.tbl, c.row_id, c.row_hash, c.chain_hash, p.seq IS NOT NULL FROM audit_chain c "
                               "LEFT JOIN audit_purged p ON p.seq = c.seq ORDER BY c.seq", -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "verify");
        code = EXIT_STORE;
        goto out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long seq = sqlite3_column_int64(st, 0);
        const char *tbl = (const char *)sqlite3_column_text(st, 1);
        sqlite3_int64 rowid = sqlite3_column_int64(st, 2);
        const char *rh = (const char *)sqlite3_column_text(st, 3);
        const char *ch = (const char *)sqlite3_column_text(st, 4);
        char want[65];
        link_hash(prev, rh, want);
        if (strcmp(want, ch)) {
            printf("broken link at entry %lld (%s row %lld): the chain entry was altered or entries were removed or "
                   "reordered\n", seq, tbl, (long long)rowid);
            code = EXIT_FINDINGS;
            break;
        }
        memcpy(prev, ch, 65);
        n++;
        if (sqlite3_column_int(st, 5)) {
            purged++;
            continue;
        }
        int t = 0;
        while (t < NSEALED && strcmp(sealed_tables[t], tbl)) t++;
        if (t == NSEALED) {
            printf("broken link at entry %lld: unknown table %s\n", seq, tbl);
            code = EXIT_FINDINGS;
            break;
        }
        sqlite3_reset(look[t]);
        sqlite3_bind_int64(look[t], 1, rowid);
        if (sqlite3_step(look[t]) != SQLITE_ROW) {
            printf("broken link at entry %lld: %s row %lld was deleted\n", seq, tbl, (long long)rowid);
            code = EXIT_FINDINGS;
            break;
        }
        char got[65];
        row_hash(tbl, rowid, (const char *)sqlite3_column_text(look[t], 1), got);
        if (strcmp(got, rh)) {
            printf("broken link at entry %lld: %s row %lld was changed after it was sealed\n", seq, tbl, (long long)rowid);
            code = EXIT_FINDINGS;
            break;
        }
    }
    sqlite3_finalize(st);
    if (code == EXIT_OK && sqlite3_prepare_v2(db, "SELECT value FROM revisit_meta WHERE key = 'chain_head'", -1, &st,
                                              NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), prev)) {
            printf("broken chain: it ends at entry %ld, not at the last sealed head: entries were removed from its end\n", n);
            code = EXIT_FINDINGS;
        }
        sqlite3_finalize(st);
    }
    if (code == EXIT_OK) {
        /* rows the chain does not know: added outside revisit since the last seal */
        long unsealed = 0;
        for (int t = 0; t < NSEALED; t++) {
            char sql[256];
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM \"%s\" WHERE rowid NOT IN (SELECT row_id FROM audit_chain WHERE tbl = ?)",
                     sealed_tables[t]);
            if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
                sqlite3_bind_text(st, 1, sealed_tables[t], -1, SQLITE_STATIC);
                if (sqlite3_step(st) == SQLITE_ROW) unsealed += sqlite3_column_int64(st, 0);
                sqlite3_finalize(st);
            }
        }
        printf("ok: %ld record%s in the chain (%ld purged), head %s\n", n, n == 1 ? "" : "s", purged, prev);
        if (unsealed)
            printf("note: %ld record%s not sealed yet (added outside revisit; the next run, record or import seals them)\n",
                   unsealed, unsealed == 1 ? "" : "s");
    }
out:
    for (int t = 0; t < NSEALED; t++) sqlite3_finalize(look[t]);
    sqlite3_close(db);
    return code;
}

int cmd_purge(const Opts *o)
{
    if (!o->store || !o->before || !o->staff) {
        fprintf(stderr, "revisit: usage: revisit purge -s STORE --before DATE --by NAME [--note TEXT]\n");
        return EXIT_USAGE;
    }
    int64_t before;
    if (cal_parse_date(o->before, strlen(o->before), &before)) {
        fprintf(stderr, "revisit: --before '%s' is not a date (YYYY-MM-DD)\n", o->before);
        return EXIT_USAGE;
    }
    int64_t today = cli_as_of(o);
    if (today < 0) return EXIT_USAGE;
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    long retention = 730;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT value FROM revisit_meta WHERE key = 'retention_days'", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) retention = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (before > today - retention) {
        char lim[11];
        cal_fmt_date(today - retention, lim);
        fprintf(stderr, "revisit: records are kept %ld days: nothing younger than %s may be purged; nothing was removed\n",
                retention, lim);
        sqlite3_close(db);
        return EXIT_FINDINGS;
    }
    char cut[20], now[20];
    cal_fmt_time(before * 86400, cut);
    now_text(now);
    long removed = 0;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (chain_seal(db, NULL)) goto fail; /* what is about to go is sealed first */
    if (sqlite3_exec(db, "INSERT OR REPLACE INTO revisit_meta(key, value) VALUES ('purging', '1')", NULL, NULL, NULL) !=
        SQLITE_OK)
        goto fail;
    /* the checkpoint says what goes, before it goes */
    long going = 0;
    if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM visits WHERE at < ?1) + (SELECT count(*) FROM answers WHERE "
                               "visit_id IN (SELECT id FROM visits WHERE at < ?1)) + (SELECT count(*) FROM verdicts WHERE "
                               "judged_at < ?1) + (SELECT count(*) FROM escalation_acks WHERE at < ?1)", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, cut, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) going = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    char details[96];
    snprintf(details, sizeof details, "before %s: %ld rows", cut, going);
    if (sqlite3_prepare_v2(db, "INSERT INTO audit_checkpoints(kind, staff_id, note, at, details) VALUES ('purge', ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, o->staff, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, o->note, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, details, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_finalize(st);
        goto fail;
    }
    sqlite3_finalize(st);
    sqlite3_int64 cp = sqlite3_last_insert_rowid(db);
    /* which rows go: visits (with their answers), verdicts and acks older than the cut */
    static const char *const marks[] = {
        "INSERT OR IGNORE INTO audit_purged(seq, checkpoint) SELECT c.seq, ?2 FROM audit_chain c JOIN visits v ON "
        "c.tbl = 'visits' AND c.row_id = v.rowid WHERE v.at < ?1",
        "INSERT OR IGNORE INTO audit_purged(seq, checkpoint) SELECT c.seq, ?2 FROM audit_chain c JOIN answers a ON "
        "c.tbl = 'answers' AND c.row_id = a.rowid JOIN visits v ON v.id = a.visit_id WHERE v.at < ?1",
        "INSERT OR IGNORE INTO audit_purged(seq, checkpoint) SELECT c.seq, ?2 FROM audit_chain c JOIN verdicts d ON "
        "c.tbl = 'verdicts' AND c.row_id = d.rowid WHERE d.judged_at < ?1",
        "INSERT OR IGNORE INTO audit_purged(seq, checkpoint) SELECT c.seq, ?2 FROM audit_chain c JOIN escalation_acks k ON "
        "c.tbl = 'escalation_acks' AND c.row_id = k.rowid WHERE k.at < ?1",
        "DELETE FROM answers WHERE visit_id IN (SELECT id FROM visits WHERE at < ?1)",
        "DELETE FROM visits WHERE at < ?1",
        "DELETE FROM verdicts WHERE judged_at < ?1",
        "DELETE FROM escalation_acks WHERE at < ?1",
        /* obligations whose whole life lies before the cut: their visits are
         * gone, and their questions with them (the scripts they shared stay) */
        "DELETE FROM obligations WHERE due_by < substr(?1, 1, 10)",
    };
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        if (sqlite3_prepare_v2(db, marks[i], -1, &st, NULL) != SQLITE_OK) goto fail;
        sqlite3_bind_text(st, 1, cut, -1, SQLITE_STATIC);
        if (sqlite3_bind_parameter_count(st) >= 2) sqlite3_bind_int64(st, 2, cp);
        int rc = sqlite3_step(st);
        if (i >= 4 && i < 8) removed += sqlite3_changes(db);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) goto fail;
    }
    if (sqlite3_exec(db, "DELETE FROM revisit_meta WHERE key = 'purging'", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    printf("purged %ld record%s older than %s (checkpoint %lld, signed off by %s); the chain still verifies\n", removed,
           removed == 1 ? "" : "s", o->before, (long long)cp, o->staff);
    sqlite3_close(db);
    return EXIT_OK;
fail:
    store_error(db, "purge");
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    fprintf(stderr, "revisit: purge: nothing was removed\n");
    sqlite3_close(db);
    return EXIT_STORE;
}

int chain_log_reveal(sqlite3 *db, const char *command)
{
    char now[20];
    now_text(now);
    const char *who = getenv("USER");
    if (!who || !*who) who = getenv("LOGNAME");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO reveal_log(at, who, command) VALUES (?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, who ? who : "unknown", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, command, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}
