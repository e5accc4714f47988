/* store.h - the SQLite customer store: opening, creating and upgrading it,
 * reading its schema for the checker, and loading CSV files.
 *
 * Every function that changes the store does so inside one transaction: on
 * error it rolls back and the store is as it was. */
#ifndef RV_STORE_H
#define RV_STORE_H

#include <sqlite3.h>
#include "../grammar/ast.h"

#define STORE_SCHEMA_VERSION 2

typedef struct {
    char *name;  /* column name */
    Type type;   /* T_INT, T_DEC, T_TEXT, T_DATE or T_TIME */
    int notnull; /* declared NOT NULL */
    int pk;      /* part of the primary key */
} Column;

typedef struct {
    char *name;   /* table name */
    Column *cols; /* its columns, in table order */
    int ncols;    /* how many */
} Table;

/* The tables a policy may read, as they really are in the store. */
typedef struct {
    Table *tables; /* heap array */
    int ntables;   /* how many */
    int documented; /* the documented schema, not a real store's */
} Schema;

/* Open an existing store for reading and writing (WAL, foreign keys, busy
 * timeout).  On failure prints "revisit: ..." and returns NULL. */
sqlite3 *store_open(const char *path, int readonly);
/* Create the store (or upgrade an older one) with the documented schema and
 * the engine's own tables.  Returns 0 on success. */
int store_init(const char *path);
/* An in-memory database holding the documented schema (for check without
 * a store, and for tests).  Returns NULL on failure. */
sqlite3 *store_memory(void);

/* Copy the WAL of the store at path into the database file (a PASSIVE
 * checkpoint) on a connection of its own, so that it can run on another
 * thread while the caller goes on reading.  0, or -1 when it could not
 * (silently: the WAL stays, and SQLite checkpoints it later). */
int store_checkpoint(const char *path);
/* Build the indexes of obligations that are missing (STORE_OBLIGATION_INDEXES)
 * in a transaction of their own, on a connection of their own, so that a
 * run can have them built on another thread after its commit while its own
 * connection prints.  0, or -1 with SQLite's message copied into err (n
 * bytes, caller's); the indexes then stay missing until the store is next
 * opened for writing (store_open makes them). */
int store_index_obligations(const char *path, char *err, size_t n);
/* Create the documented tables in db (idempotent).  Returns 0 or -1. */
int store_create_schema(sqlite3 *db);

/* Read the schema of the policy-readable tables from db.  Caller frees with
 * store_schema_free. */
Schema *store_schema(sqlite3 *db);
void store_schema_free(Schema *s);
/* Add a column to a table of the schema (for `column` declarations). */
void schema_add_column(Schema *s, const char *table, const char *name, Type type);
/* Table by name, or NULL. */
const Table *schema_table(const Schema *s, const char *name);
/* Column by name, or NULL. */
const Column *table_column(const Table *t, const char *name);
/* Default time column of a table for "within" counts (opened_at, at,
 * created_at), or NULL. */
const Column *table_time_column(const Table *t);

/* Load a CSV file (RFC 4180, UTF-8, header row) into table, all or nothing.
 * Errors name the file and line.  Returns 0 on success (and the number of
 * rows in *rows), 1 on bad input, 3 on store errors. */
int store_import_csv(sqlite3 *db, const char *table, const char *path, long *rows);

/* Print the last SQLite error of db as "revisit: what: message". */
void store_error(sqlite3 *db, const char *what);


/* A copy of column i of st's current row (heap), or NULL when it is NULL. */
char *store_col_dup(sqlite3_stmt *st, int i);

/* 1 when sql, with the texts a and b bound to ?1 and ?2, returns a row, 0
 * when it returns none, -1 when it cannot be run (a schema question:
 * "is there a table ...", "a column ...", "an index ..."). */
int store_has_row(sqlite3 *db, const char *sql, const char *a, const char *b);

/* SQL for the verdict rules of obligation row A (an alias): a row
 * recorded since they moved to policy_versions holds '' and its policy
 * version's rules apply (one per version, not a copy per row); an older
 * row keeps its own copy.  '{}' (no rules) when neither has them. */
#define STORE_OBLIGATION_RULES(A)                                                                             \
    "CASE WHEN " A ".rules <> '' THEN " A ".rules ELSE coalesce((SELECT pv.rules FROM obligation_rules orl "      \
    "JOIN policy_versions pv ON pv.policy = orl.policy AND pv.version = orl.version AND pv.sha256 = orl.sha256 " \
    "WHERE orl.id = " A ".rule_id), '{}') END"

/* The indexes of obligations: obligations_id makes ids unique (a store's
 * first run drops them all and builds them after loading its rows; a run
 * that loads as many new obligations as the store holds rebuilds the two
 * others). */
#define STORE_OBLIGATION_INDEXES \
    "CREATE UNIQUE INDEX IF NOT EXISTS obligations_id ON obligations(id);\n" \
    "CREATE INDEX IF NOT EXISTS obligations_trigger ON obligations(trigger_day);\n" \
    "CREATE INDEX IF NOT EXISTS obligations_customer ON obligations(customer_id);\n"

#endif
