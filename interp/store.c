/* store.c - the SQLite store: schema creation and upgrade, opening with the
 * right pragmas, reading the real schema for the checker, CSV import (see
 * store.h). */
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cal.h"
#include "chain.h"

static const char *const customer_schema =
    "CREATE TABLE IF NOT EXISTS customers(id TEXT PRIMARY KEY, name TEXT NOT NULL, tier TEXT NOT NULL DEFAULT 'ordinary',\n"
    "  mobile TEXT, phone TEXT, email TEXT, wechat TEXT, address TEXT, region TEXT,\n"
    "  id_number TEXT, do_not_contact INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS cases(id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id), kind TEXT NOT NULL,\n"
    "  subtype TEXT, subject TEXT, severity TEXT, department TEXT, staff_id TEXT,\n"
    "  opened_at TEXT NOT NULL, closed_at TEXT);\n"
    "CREATE TABLE IF NOT EXISTS events(id TEXT PRIMARY KEY, customer_id TEXT, case_id TEXT, kind TEXT NOT NULL, region TEXT, at TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS contacts(id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, role TEXT NOT NULL, name TEXT, mobile TEXT);\n"
    "CREATE TABLE IF NOT EXISTS staff(id TEXT PRIMARY KEY, name TEXT, role TEXT NOT NULL, department TEXT, active INTEGER NOT NULL DEFAULT 1);\n"
    "CREATE TABLE IF NOT EXISTS visits(id INTEGER PRIMARY KEY, obligation_id TEXT, customer_id TEXT NOT NULL, case_id TEXT, contact_id TEXT,\n"
    "  channel TEXT NOT NULL, staff_id TEXT, at TEXT NOT NULL, duration_s INTEGER,\n"
    "  outcome TEXT NOT NULL, reason TEXT, satisfaction INTEGER, note TEXT);\n"
    "CREATE TABLE IF NOT EXISTS answers(visit_id INTEGER NOT NULL, question TEXT NOT NULL, seq INTEGER, answer TEXT,\n"
    "  affirmative INTEGER, PRIMARY KEY (visit_id, question));\n"
    "CREATE INDEX IF NOT EXISTS cases_customer ON cases(customer_id);\n"
    "CREATE INDEX IF NOT EXISTS cases_kind ON cases(kind, closed_at);\n"
    "CREATE INDEX IF NOT EXISTS events_kind ON events(kind, at);\n"
    "CREATE INDEX IF NOT EXISTS visits_obligation ON visits(obligation_id);\n"
    "CREATE INDEX IF NOT EXISTS visits_customer ON visits(customer_id, at);\n"
    "CREATE INDEX IF NOT EXISTS visits_case ON visits(case_id, at);\n"
    "CREATE INDEX IF NOT EXISTS events_case ON events(case_id, at);\n"
    "CREATE INDEX IF NOT EXISTS events_customer ON events(customer_id, at);\n";

/* obligations' columns: unique by id through the index obligations_id
 * (STORE_OBLIGATION_INDEXES), not a primary key, so that a store's first
 * run can append its rows as they come and index them once at the end
 * (run.c).  What a policy version's obligations share is not repeated in
 * each row: rule_id names the version and the schedule clause
 * (obligation_rules), and a null created_at is the time of the run that
 * made the row (runs.started_at through run_id) */
#define OBLIGATIONS_COLUMNS                                                                                       \
    "(id TEXT NOT NULL, policy TEXT NOT NULL, version INTEGER NOT NULL,\n"                                      \
    "  rule_id INTEGER NOT NULL REFERENCES obligation_rules(id), run_id INTEGER NOT NULL REFERENCES runs(id),\n" \
    "  subject_table TEXT NOT NULL, subject_id TEXT NOT NULL, customer_id TEXT NOT NULL, case_id TEXT,\n"       \
    "  occurrence TEXT NOT NULL, due_from TEXT NOT NULL, due_by TEXT NOT NULL, channels TEXT NOT NULL,\n"       \
    "  assignees TEXT NOT NULL, priority INTEGER NOT NULL, questions TEXT NOT NULL, facts TEXT NOT NULL,\n"     \
    "  trigger_day TEXT NOT NULL, rules TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'policy', created_at TEXT,\n" \
    "  staff TEXT, script INTEGER REFERENCES question_scripts(id))"

/* The policy version (policy, version, sha256) and the rule text each
 * obligation was made by, once per pair rather than once per row */
#define OBLIGATION_RULES_TABLE                                                                                    \
    "CREATE TABLE IF NOT EXISTS obligation_rules(id INTEGER PRIMARY KEY, policy TEXT NOT NULL,\n"              \
    "  version INTEGER NOT NULL, sha256 TEXT NOT NULL, rule TEXT NOT NULL, UNIQUE (policy, version, sha256, rule));\n"

/* The questions an obligation must ask: each distinct script (the text
 * pick_questions makes, oblig.h: script) once in question_scripts, its
 * lines in script_questions, and the obligation's row naming it
 * (obligations.script).  The obligations of a policy share a few scripts,
 * so a run at a million customers writes hundreds of rows here, not one
 * per question per obligation.  obligation_questions is the view readers
 * use: one row per question of an obligation. */
#define QUESTION_TABLES                                                                                           \
    "CREATE TABLE IF NOT EXISTS question_scripts(id INTEGER PRIMARY KEY, script TEXT NOT NULL UNIQUE);\n"       \
    "CREATE TABLE IF NOT EXISTS script_questions(script INTEGER NOT NULL REFERENCES question_scripts(id),\n"    \
    "  qset TEXT NOT NULL, ordered INTEGER NOT NULL, pos INTEGER NOT NULL, question TEXT NOT NULL,\n"          \
    "  mandatory INTEGER NOT NULL, affirmative TEXT, PRIMARY KEY (script, qset, question)) WITHOUT ROWID;\n"
#define QUESTIONS_VIEW                                                                                            \
    "CREATE VIEW IF NOT EXISTS obligation_questions AS SELECT o.id AS obligation_id, q.qset AS qset,\n"         \
    "  q.ordered AS ordered, q.pos AS pos, q.question AS question, q.mandatory AS mandatory,\n"                 \
    "  q.affirmative AS affirmative FROM obligations o JOIN script_questions q ON q.script = o.script;\n"

static const char *const engine_schema =
    "CREATE TABLE IF NOT EXISTS revisit_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS policy_versions(policy TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL,\n"
    "  title TEXT, effective TEXT, file TEXT, source TEXT NOT NULL, first_seen TEXT NOT NULL, rules TEXT,\n"
    "  PRIMARY KEY (policy, version, sha256));\n"
    "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, as_of TEXT NOT NULL,\n"
    "  horizon INTEGER NOT NULL, policies INTEGER NOT NULL, listed INTEGER NOT NULL, added INTEGER NOT NULL,\n"
    "  suppressed INTEGER NOT NULL);\n"
    OBLIGATION_RULES_TABLE
    "CREATE TABLE IF NOT EXISTS obligations" OBLIGATIONS_COLUMNS ";\n"
    QUESTION_TABLES
    "CREATE TABLE IF NOT EXISTS policy_groups(policy TEXT NOT NULL, grp TEXT NOT NULL, version INTEGER NOT NULL,\n"
    "  eligible INTEGER NOT NULL, drawn INTEGER NOT NULL, coverage_bp INTEGER NOT NULL, run_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY (policy, grp));\n"
    "CREATE TABLE IF NOT EXISTS verdicts(id INTEGER PRIMARY KEY, obligation_id TEXT NOT NULL, verdict TEXT NOT NULL,\n"
    "  ok INTEGER NOT NULL, reasons TEXT NOT NULL, visit_id INTEGER, policy TEXT NOT NULL, version INTEGER NOT NULL,\n"
    "  as_of TEXT NOT NULL, judged_at TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS verdicts_obligation ON verdicts(obligation_id, id);\n"
    "CREATE TABLE IF NOT EXISTS policy_escalations(policy TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL,\n"
    "  rule TEXT NOT NULL, on_kind TEXT, question TEXT, value TEXT, levels TEXT NOT NULL, within_n INTEGER NOT NULL,\n"
    "  within_unit INTEGER NOT NULL, PRIMARY KEY (policy, sha256, rule));\n"
    "CREATE TABLE IF NOT EXISTS escalations(id TEXT PRIMARY KEY, policy TEXT NOT NULL, version INTEGER NOT NULL,\n"
    "  rule TEXT NOT NULL, level INTEGER NOT NULL, levels TEXT NOT NULL, target TEXT NOT NULL, customer_id TEXT,\n"
    "  subject_table TEXT, subject_id TEXT, obligation_id TEXT, raised_on TEXT NOT NULL, due_by TEXT NOT NULL,\n"
    "  within_n INTEGER NOT NULL, within_unit INTEGER NOT NULL, parent_id TEXT, facts TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS escalation_cites(escalation_id TEXT NOT NULL, subject_id TEXT NOT NULL,\n"
    "  PRIMARY KEY (escalation_id, subject_id));\n"
    "CREATE TABLE IF NOT EXISTS escalation_acks(id INTEGER PRIMARY KEY, escalation_id TEXT NOT NULL,\n"
    "  action TEXT NOT NULL, staff_id TEXT NOT NULL, note TEXT, at TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS escalations_parent ON escalations(parent_id);\n"
    "CREATE TABLE IF NOT EXISTS audit_chain(seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id INTEGER NOT NULL,\n"
    "  row_hash TEXT NOT NULL, chain_hash TEXT NOT NULL, sealed_at TEXT NOT NULL, UNIQUE (tbl, row_id));\n"
    "CREATE TABLE IF NOT EXISTS audit_checkpoints(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, staff_id TEXT, note TEXT,\n"
    "  at TEXT NOT NULL, details TEXT);\n"
    "CREATE TABLE IF NOT EXISTS audit_purged(seq INTEGER PRIMARY KEY, checkpoint INTEGER NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS published(policy TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL,\n"
    "  title TEXT, effective TEXT, source TEXT NOT NULL, canonical TEXT NOT NULL, author TEXT NOT NULL,\n"
    "  message TEXT NOT NULL, published_at TEXT NOT NULL, PRIMARY KEY (policy, version));\n"
    "CREATE TABLE IF NOT EXISTS reveal_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, command TEXT NOT NULL);\n";

/* Append-only tables: no UPDATE ever; DELETE only inside `revisit purge`. */
static const char *const append_only[] = {"visits", "answers", "verdicts", "escalation_acks"};
static const char *const never_changed[] = {"audit_chain", "audit_checkpoints", "audit_purged", "reveal_log", "published"};

/* Columns added to engine tables after they first shipped: an older store
 * gets them on `revisit init` (and any open). */
static const char *const added_columns[][3] = {
    {"obligations", "trigger_day", "TEXT NOT NULL DEFAULT ''"},
    {"obligations", "rules", "TEXT NOT NULL DEFAULT '{}'"},
    {"obligations", "source", "TEXT NOT NULL DEFAULT 'policy'"},
    {"obligations", "staff", "TEXT"},
    {"obligations", "script", "INTEGER REFERENCES question_scripts(id)"},
    {"policy_versions", "rules", "TEXT"},
    {"visits", "corrects", "INTEGER"},
};

/* obligations_due (on due_by) served only `purge`, and cost every run that
 * adds obligations its upkeep: a store made before loses it */
static const char *const engine_indexes =
    "DROP INDEX IF EXISTS obligations_due;\n"
    STORE_OBLIGATION_INDEXES
    /* the few visits that correct another (visits.corrects, added after
     * the table first shipped): every reader that leaves corrected visits
     * out ("v.id NOT IN (SELECT corrects ...)", due and verdicts) reads
     * them here instead of the whole table */
    "CREATE INDEX IF NOT EXISTS visits_corrects ON visits(corrects) WHERE corrects IS NOT NULL;\n";

char *store_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

void store_error(sqlite3 *db, const char *what)
{
    const char *hint = "";
    switch (db ? sqlite3_errcode(db) & 0xff : SQLITE_NOMEM) {
    case SQLITE_FULL: hint = " (the disk is full; nothing was changed)"; break;
    case SQLITE_IOERR: hint = " (is the disk full or failing? nothing was changed)"; break;
    case SQLITE_READONLY: hint = " (the store is read-only; nothing was changed)"; break;
    case SQLITE_BUSY: case SQLITE_LOCKED: hint = " (another revisit is writing; try again when it is done)"; break;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: hint = " (the store file is damaged or not a store)"; break;
    }
    fprintf(stderr, "revisit: %s: %s%s\n", what, db ? sqlite3_errmsg(db) : "out of memory", hint);
}

static int exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "revisit: store: %s\n", err ? err : "unknown error");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

/* Add the columns an older store lacks.  Returns 0 or -1. */
static int upgrade_columns(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof added_columns / sizeof *added_columns && !rc; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, added_columns[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, added_columns[i][1], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) rc = -1;
        else if (sqlite3_column_int(st, 0) == 0) {
            char sql[256]; /* names and types are the constants above, never input */
            snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s", added_columns[i][0], added_columns[i][1],
                     added_columns[i][2]);
            rc = exec(db, sql);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int store_has_row(sqlite3 *db, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* 1 when the schema has an object of this type ("table", "view", ...)
 * called name, 0 when not, -1 when it cannot be read. */
static int has_object(sqlite3 *db, const char *type, const char *name)
{
    return store_has_row(db, "SELECT 1 FROM sqlite_master WHERE type = ?1 AND name = ?2", type, name);
}

/* 1 when table has a column called col, 0 when not, -1 when the schema
 * cannot be read. */
static int has_column(sqlite3 *db, const char *table, const char *col)
{
    return store_has_row(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", table, col);
}

/* A store made before obligation_rules, whose obligations held their
 * version's sha256 and their rule text in each row (policy_sha256, rule),
 * gets the table rebuilt with the same rows in the same order: each
 * distinct (policy, version, sha256, rule) becomes a row of
 * obligation_rules, which rule_id names; created_at keeps its value.  A
 * store older still, whose obligations had id as primary key (SQLite's
 * automatic index, which cannot be dropped), loses it on the way.
 * engine_indexes then makes the indexes, and QUESTIONS_VIEW the view
 * dropped here (renaming a table checks every view that names it).  Inside
 * the caller's transaction, after upgrade_columns.  0 or -1. */
static int upgrade_obligations(sqlite3 *db)
{
    int old = has_column(db, "obligations", "policy_sha256");
    if (old <= 0) return old;
    int view = has_object(db, "view", "obligation_questions");
    if (view < 0 || (view && exec(db, "DROP VIEW obligation_questions"))) return -1;
    return exec(db,
                "INSERT OR IGNORE INTO obligation_rules(policy, version, sha256, rule) SELECT policy, version, "
                "policy_sha256, rule FROM obligations ORDER BY rowid;\n"
                "CREATE TABLE obligations_rekeyed" OBLIGATIONS_COLUMNS ";\n"
                "INSERT INTO obligations_rekeyed(id, policy, version, rule_id, run_id, subject_table, subject_id, "
                "customer_id, case_id, occurrence, due_from, due_by, channels, assignees, priority, questions, facts, "
                "trigger_day, rules, source, created_at, staff, script) SELECT o.id, o.policy, o.version, (SELECT r.id "
                "FROM obligation_rules r WHERE r.policy = o.policy AND r.version = o.version AND r.sha256 = "
                "o.policy_sha256 AND r.rule = o.rule), o.run_id, o.subject_table, o.subject_id, o.customer_id, "
                "o.case_id, o.occurrence, o.due_from, o.due_by, o.channels, o.assignees, o.priority, o.questions, "
                "o.facts, o.trigger_day, o.rules, o.source, o.created_at, o.staff, o.script FROM obligations o ORDER "
                "BY o.rowid;\n"
                "DROP TABLE obligations;\n"
                "ALTER TABLE obligations_rekeyed RENAME TO obligations;\n");
}

/* A store made when obligation_questions was a table of its own (one row
 * per question per obligation) gets each obligation's questions as a
 * script: rows grouped per obligation in (qset, pos) order make the
 * script's text, each distinct text is stored once with the lines of one
 * obligation that has it, and obligations.script names it.  The table then
 * goes (QUESTIONS_VIEW takes its name).  Inside the caller's transaction,
 * after upgrade_columns.  0 or -1. */
static int upgrade_questions(sqlite3 *db)
{
    int old = has_object(db, "table", "obligation_questions");
    if (old <= 0) return old;
    return exec(db,
                "CREATE TEMP TABLE upgrade_scripts(oid TEXT PRIMARY KEY, script TEXT NOT NULL, sid INTEGER) WITHOUT "
                "ROWID;\n"
                "INSERT INTO temp.upgrade_scripts(oid, script) SELECT obligation_id, group_concat(qset || char(9) || "
                "ordered || char(9) || pos || char(9) || question || char(9) || mandatory || char(9) || "
                "coalesce(affirmative, '') || char(10), '') FROM (SELECT * FROM obligation_questions ORDER BY "
                "obligation_id, qset, pos) GROUP BY obligation_id;\n"
                "INSERT OR IGNORE INTO question_scripts(script) SELECT script FROM temp.upgrade_scripts;\n"
                "UPDATE temp.upgrade_scripts SET sid = (SELECT id FROM question_scripts s WHERE s.script = "
                "upgrade_scripts.script);\n"
                "INSERT OR IGNORE INTO script_questions(script, qset, ordered, pos, question, mandatory, affirmative) "
                "SELECT m.sid, q.qset, q.ordered, q.pos, q.question, q.mandatory, q.affirmative FROM (SELECT sid, "
                "min(oid) AS oid FROM temp.upgrade_scripts GROUP BY sid) m JOIN obligation_questions q ON "
                "q.obligation_id = m.oid;\n"
                "UPDATE obligations SET script = (SELECT sid FROM temp.upgrade_scripts WHERE oid = obligations.id) "
                "WHERE id IN (SELECT oid FROM temp.upgrade_scripts);\n"
                "DROP TABLE temp.upgrade_scripts;\n"
                "DROP TABLE obligation_questions;\n");
}

/* The triggers that make records append-only. */
static int create_triggers(sqlite3 *db)
{
    char sql[640]; /* table names are the constants above, never input */
    for (size_t i = 0; i < sizeof append_only / sizeof *append_only; i++) {
        const char *t = append_only[i];
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER IF NOT EXISTS %s_no_update BEFORE UPDATE ON %s BEGIN SELECT RAISE(ABORT, "
                 "'%s are append-only: record a correction instead'); END;"
                 "CREATE TRIGGER IF NOT EXISTS %s_no_delete BEFORE DELETE ON %s WHEN (SELECT value FROM revisit_meta "
                 "WHERE key = 'purging') IS NULL BEGIN SELECT RAISE(ABORT, '%s are append-only: only revisit purge "
                 "removes them'); END;",
                 t, t, t, t, t, t);
        if (exec(db, sql)) return -1;
    }
    for (size_t i = 0; i < sizeof never_changed / sizeof *never_changed; i++) {
        const char *t = never_changed[i];
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER IF NOT EXISTS %s_no_update BEFORE UPDATE ON %s BEGIN SELECT RAISE(ABORT, "
                 "'%s is append-only'); END;"
                 "CREATE TRIGGER IF NOT EXISTS %s_no_delete BEFORE DELETE ON %s BEGIN SELECT RAISE(ABORT, "
                 "'%s is append-only'); END;",
                 t, t, t, t, t, t);
        if (exec(db, sql)) return -1;
    }
    return 0;
}

/* Record that the store now has this revisit's schema (an older revisit
 * then refuses it rather than write rows it no longer understands); a
 * store that has it already is not written to. */
static int set_schema_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT value FROM revisit_meta WHERE key = 'schema_version'", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    int has = rc == SQLITE_ROW && sqlite3_column_int(st, 0) == STORE_SCHEMA_VERSION;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
    if (has) return 0;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO revisit_meta(key, value) VALUES ('schema_version', ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    char ver[16];
    snprintf(ver, sizeof ver, "%d", STORE_SCHEMA_VERSION);
    sqlite3_bind_text(st, 1, ver, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

int store_create_schema(sqlite3 *db)
{
    return exec(db, customer_schema) || exec(db, engine_schema) || upgrade_columns(db) || upgrade_obligations(db) ||
                   upgrade_questions(db) || exec(db, QUESTIONS_VIEW) ||
                   exec(db, engine_indexes) || create_triggers(db) || set_schema_version(db)
               ? -1
               : 0;
}

sqlite3 *store_open(const char *path, int readonly)
{
    if (access(path, F_OK) != 0) {
        fprintf(stderr, "revisit: no store at %s (create one with: revisit init %s)\n", path, path);
        return NULL;
    }
    sqlite3 *db = NULL;
    /* one connection, one thread: no mutexes */
    int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        store_error(db, path);
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    /* a file that is not a database fails here, before anything else */
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "SELECT value FROM revisit_meta WHERE key = 'schema_version'", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "revisit: %s is not a revisit store (%s); create one with: revisit init\n", path,
                sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    int version = 0;
    if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > STORE_SCHEMA_VERSION) {
        fprintf(stderr, "revisit: %s has schema version %d; this revisit knows %d: upgrade revisit\n", path, version,
                STORE_SCHEMA_VERSION);
        sqlite3_close(db);
        return NULL;
    }
    /* a store made by an older revisit gets the tables and columns it lacks */
    if (!readonly && (exec(db, "BEGIN IMMEDIATE") || store_create_schema(db) || exec(db, "COMMIT"))) {
        exec(db, "ROLLBACK");
        fprintf(stderr, "revisit: %s could not be upgraded to this revisit's schema\n", path);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

int store_init(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        store_error(db, path);
        sqlite3_close(db);
        return 3;
    }
    sqlite3_busy_timeout(db, 10000);
    /* 16 KB pages for a new store (an existing one keeps its own): a
     * nightly run reads whole tables, and a quarter of the page reads
     * (each a system call) made a run on 100k customers 12 % faster */
    if (exec(db, "PRAGMA page_size = 16384") || exec(db, "PRAGMA journal_mode = WAL") || exec(db, "BEGIN IMMEDIATE")) {
        sqlite3_close(db);
        return 3;
    }
    sqlite3_stmt *st = NULL;
    /* never downgrade a store made by a newer revisit */
    if (sqlite3_prepare_v2(db, "SELECT value FROM revisit_meta WHERE key = 'schema_version'", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > STORE_SCHEMA_VERSION) {
        fprintf(stderr, "revisit: %s has schema version %d; this revisit knows %d: upgrade revisit\n", path,
                sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
        sqlite3_finalize(st);
        exec(db, "ROLLBACK");
        sqlite3_close(db);
        return 3;
    }
    sqlite3_finalize(st);
    int rc = store_create_schema(db);
    if (rc || exec(db, "COMMIT")) {
        if (rc) store_error(db, "cannot create the schema");
        exec(db, "ROLLBACK");
        sqlite3_close(db);
        return 3;
    }
    sqlite3_close(db);
    return 0;
}

int store_checkpoint(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 10000);
    /* a connection learns that the file is in WAL mode by reading it */
    int rc = sqlite3_exec(db, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

int store_index_obligations(const char *path, char *err, size_t n)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 10000);
        /* the run's own connection's page cache and sort helper (run.c) */
        rc = sqlite3_exec(db, "PRAGMA cache_size = -16384; PRAGMA threads = 1; BEGIN IMMEDIATE", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, STORE_OBLIGATION_INDEXES "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        str_copy(err, n, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

sqlite3 *store_memory(void)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || store_create_schema(db)) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* ---- schema ---- */
static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static Type decl_type(const char *decl, const char *name)
{
    char up[64];
    size_t i = 0;
    for (; decl && decl[i] && i + 1 < sizeof up; i++) up[i] = (char)(decl[i] >= 'a' && decl[i] <= 'z' ? decl[i] - 32 : decl[i]);
    up[i] = 0;
    if (strstr(up, "DATETIME") || strstr(up, "TIMESTAMP")) return T_TIME;
    if (strstr(up, "DATE")) return T_DATE;
    if (strstr(up, "INT") || strstr(up, "BOOL")) return T_INT;
    if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB") || strstr(up, "NUM") || strstr(up, "DEC"))
        return T_DEC;
    /* text columns named like times hold times (the store's convention) */
    if (!strcmp(name, "at") || ends_with(name, "_at")) return T_TIME;
    if (ends_with(name, "_date") || ends_with(name, "_on")) return T_DATE;
    return T_TEXT;
}

Schema *store_schema(sqlite3 *db)
{
    static const char *const readable[] = {"customers", "cases", "events", "contacts", "staff", "visits", "answers"};
    Schema *s = xcalloc(1, sizeof *s);
    s->tables = xcalloc(sizeof readable / sizeof *readable, sizeof *s->tables);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "cannot read the store's schema");
        free(s->tables);
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < sizeof readable / sizeof *readable; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, readable[i], -1, SQLITE_STATIC);
        Table t = {0};
        int cap = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (t.ncols == cap) {
                cap = cap ? cap * 2 : 16;
                t.cols = xrealloc(t.cols, sizeof *t.cols * (size_t)cap);
            }
            Column *c = &t.cols[t.ncols++];
            c->name = xstrdup((const char *)sqlite3_column_text(st, 0));
            c->type = decl_type((const char *)sqlite3_column_text(st, 1), c->name);
            c->notnull = sqlite3_column_int(st, 2);
            c->pk = sqlite3_column_int(st, 3);
        }
        if (!t.ncols) continue; /* a table the store lacks: policies cannot read it */
        t.name = xstrdup(readable[i]);
        s->tables[s->ntables++] = t;
    }
    sqlite3_finalize(st);
    return s;
}

void store_schema_free(Schema *s)
{
    if (!s) return;
    for (int i = 0; i < s->ntables; i++) {
        for (int j = 0; j < s->tables[i].ncols; j++) free(s->tables[i].cols[j].name);
        free(s->tables[i].cols);
        free(s->tables[i].name);
    }
    free(s->tables);
    free(s);
}

void schema_add_column(Schema *s, const char *table, const char *name, Type type)
{
    for (int i = 0; i < s->ntables; i++) {
        Table *t = &s->tables[i];
        if (strcmp(t->name, table)) continue;
        t->cols = xrealloc(t->cols, sizeof *t->cols * (size_t)(t->ncols + 1));
        Column *c = &t->cols[t->ncols++];
        memset(c, 0, sizeof *c);
        c->name = xstrdup(name);
        c->type = type;
        return;
    }
}

const Table *schema_table(const Schema *s, const char *name)
{
    for (int i = 0; i < s->ntables; i++)
        if (!strcmp(s->tables[i].name, name)) return &s->tables[i];
    return NULL;
}

const Column *table_column(const Table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i].name, name)) return &t->cols[i];
    return NULL;
}

const Column *table_time_column(const Table *t)
{
    static const char *const names[] = {"opened_at", "at", "created_at"};
    for (size_t i = 0; i < 3; i++) {
        const Column *c = table_column(t, names[i]);
        if (c) return c;
    }
    return NULL;
}

/* ---- CSV import ---- */
typedef struct {
    const char *p, *end; /* cursor in the file */
    long line;           /* line of the cursor (1-based) */
} CsvIn;

/* Read one record into fields (heap strings). Returns field count, 0 at EOF,
 * -1 on a malformed record (*err set). */
static int csv_record(CsvIn *in, PtrVec *fields, const char **err)
{
    for (size_t i = 0; i < fields->n; i++) free(fields->v[i]);
    fields->n = 0;
    if (in->p >= in->end) return 0;
    StrBuf f = {0};
    for (;;) {
        int quoted = 0;
        sb_free(&f);
        if (in->p < in->end && *in->p == '"') {
            quoted = 1;
            in->p++;
            for (;;) {
                if (in->p >= in->end) {
                    *err = "unterminated quoted field";
                    sb_free(&f);
                    return -1;
                }
                if (*in->p == '"') {
                    if (in->p + 1 < in->end && in->p[1] == '"') {
                        sb_putc(&f, '"');
                        in->p += 2;
                        continue;
                    }
                    in->p++;
                    break;
                }
                if (*in->p == '\n') in->line++;
                sb_putc(&f, *in->p++);
            }
        } else {
            while (in->p < in->end && *in->p != ',' && *in->p != '\n' && *in->p != '\r') {
                if (*in->p == '"') {
                    *err = "a quote inside an unquoted field";
                    sb_free(&f);
                    return -1;
                }
                sb_putc(&f, *in->p++);
            }
        }
        (void)quoted;
        pv_push(fields, sb_take(&f));
        if (in->p >= in->end) return (int)fields->n;
        if (*in->p == ',') {
            in->p++;
            continue;
        }
        if (*in->p == '\r') in->p++;
        if (in->p < in->end && *in->p == '\n') {
            in->p++;
            in->line++;
            return (int)fields->n;
        }
        if (in->p >= in->end) return (int)fields->n;
        *err = "unexpected text after a quoted field";
        return -1;
    }
}

int store_import_csv(sqlite3 *db, const char *table, const char *path, long *rows)
{
    static const char *const importable[] = {"customers", "cases", "events", "contacts", "staff", "visits", "answers"};
    int ok = 0;
    for (size_t i = 0; i < sizeof importable / sizeof *importable; i++) ok |= !strcmp(importable[i], table);
    if (!ok) {
        const char *best = closest_name(table, importable, sizeof importable / sizeof *importable);
        fprintf(stderr, "revisit: import: unknown table '%s'%s%s%s\n", table, best ? " (did you mean '" : "",
                best ? best : "", best ? "'?)" : "");
        return 2;
    }
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        fprintf(stderr, "revisit: import: cannot read %s: %s\n", path, strerror(errno));
        return 3;
    }
    Schema *schema = store_schema(db);
    const Table *t = schema ? schema_table(schema, table) : NULL;
    int rc = 0;
    PtrVec fields = {0}, header = {0};
    sqlite3_stmt *st = NULL;
    const char *err = NULL;
    CsvIn in = {text, text + len, 1};
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
        in.p += 3;
    if (!t) {
        fprintf(stderr, "revisit: import: the store has no table %s\n", table);
        rc = 3;
        goto out;
    }
    if (!utf8_valid(text, len)) {
        /* find the line */
        long line = 1;
        const char *p = text;
        while (p < text + len) {
            const char *e = memchr(p, '\n', (size_t)(text + len - p));
            if (!e) e = text + len;
            if (!utf8_valid(p, (size_t)(e - p))) break;
            line++;
            p = e + 1;
        }
        fprintf(stderr, "%s:%ld: error: not valid UTF-8\n", path, line);
        rc = 1;
        goto out;
    }
    long hline = in.line;
    int nh = csv_record(&in, &header, &err);
    if (nh <= 0) {
        fprintf(stderr, "%s:%ld: error: %s\n", path, hline, nh < 0 ? err : "empty file: a header row is required");
        rc = 1;
        goto out;
    }
    Type *types = xcalloc((size_t)nh, sizeof *types);
    StrBuf sql = {0};
    sb_printf(&sql, "INSERT INTO \"%s\"(", table);
    for (int i = 0; i < nh; i++) {
        const char *h = header.v[i];
        const Column *c = table_column(t, h);
        if (!c) {
            const char *cands[256];
            int n = 0;
            for (int k = 0; k < t->ncols && n < 256; k++) cands[n++] = t->cols[k].name;
            const char *best = closest_name(h, cands, (size_t)n);
            fprintf(stderr, "%s:%ld: error: table %s has no column '%s'%s%s%s\n", path, hline, table, h,
                    best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
            rc = 1;
            break;
        }
        for (int k = 0; k < i; k++)
            if (!strcmp(header.v[k], h)) {
                fprintf(stderr, "%s:%ld: error: column '%s' appears twice in the header\n", path, hline, h);
                rc = 1;
            }
        types[i] = c->type;
        sb_printf(&sql, "%s\"%s\"", i ? ", " : "", h);
    }
    sb_puts(&sql, ") VALUES (");
    for (int i = 0; i < nh; i++) sb_puts(&sql, i ? ", ?" : "?");
    sb_puts(&sql, ")");
    if (rc) goto out2;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        store_error(db, "import: cannot start a transaction");
        rc = 3;
        goto out2;
    }
    if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "import");
        rc = 3;
        goto rollback;
    }
    *rows = 0;
    for (;;) {
        long line = in.line;
        int n = csv_record(&in, &fields, &err);
        if (n == 0) break;
        if (n < 0) {
            fprintf(stderr, "%s:%ld: error: %s\n", path, line, err);
            rc = 1;
            goto rollback;
        }
        if (n == 1 && !*(char *)fields.v[0]) continue; /* blank line */
        if (n != nh) {
            fprintf(stderr, "%s:%ld: error: %d fields, but the header has %d\n", path, line, n, nh);
            rc = 1;
            goto rollback;
        }
        sqlite3_reset(st);
        for (int i = 0; i < n; i++) {
            const char *v = fields.v[i];
            if (!*v) {
                sqlite3_bind_null(st, i + 1);
                continue;
            }
            char canon[20];
            if (types[i] == T_TIME || types[i] == T_DATE) {
                int64_t x;
                size_t vl = strlen(v);
                int r = types[i] == T_DATE ? cal_parse_date(v, vl, &x) : cal_parse_time(v, vl, &x);
                if (r) {
                    fprintf(stderr, "%s:%ld: error: column %s: '%s' is not a valid %s\n", path, line,
                            (char *)header.v[i], v, types[i] == T_DATE ? "date (YYYY-MM-DD)" : "time (YYYY-MM-DD HH:MM:SS)");
                    rc = 1;
                    goto rollback;
                }
                if (types[i] == T_DATE) cal_fmt_date(x, canon);
                else cal_fmt_time(x, canon);
                sqlite3_bind_text(st, i + 1, canon, -1, SQLITE_TRANSIENT);
            } else if (types[i] == T_INT) {
                char *end;
                errno = 0;
                long long x = strtoll(v, &end, 10);
                if (*end || errno) {
                    fprintf(stderr, "%s:%ld: error: column %s: '%s' is not an integer\n", path, line,
                            (char *)header.v[i], v);
                    rc = 1;
                    goto rollback;
                }
                sqlite3_bind_int64(st, i + 1, x);
            } else {
                sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT);
            }
        }
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "%s:%ld: error: %s\n", path, line, sqlite3_errmsg(db));
            rc = 1;
            goto rollback;
        }
        (*rows)++;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (chain_seal(db, NULL)) {
        store_error(db, "import: cannot seal the new records");
        rc = 3;
        goto rollback;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        store_error(db, "import: commit failed");
        rc = 3;
        goto rollback;
    }
    goto out2;
rollback:
    sqlite3_finalize(st);
    st = NULL;
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    fprintf(stderr, "revisit: import: nothing was written\n");
out2:
    free(types);
    sb_free(&sql);
out:
    for (size_t i = 0; i < fields.n; i++) free(fields.v[i]);
    for (size_t i = 0; i < header.n; i++) free(header.v[i]);
    pv_free(&fields);
    pv_free(&header);
    store_schema_free(schema);
    free(text);
    return rc;
}
