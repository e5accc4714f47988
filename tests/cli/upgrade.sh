# `revisit init` on a store made by an older revisit keeps its data and
# brings the schema up to date: here obligations as they first shipped
# (id the primary key, no staff column, an index on due_by) become a table
# whose ids are unique by the index obligations_id, with every row and its
# order kept, and without the index on due_by; obligation_questions, a rowid
# table with its key's automatic index (one row per question per
# obligation), becomes a view over one stored script per distinct set of
# questions, with the same rows; policy_versions gains its rules column.
. "$TOP/tests/lib.sh"
new_store s.db "$TOP/demo/demo.sql"
sqlite3 -bail s.db "
DROP TABLE obligations;
CREATE TABLE obligations(id TEXT PRIMARY KEY, policy TEXT NOT NULL, version INTEGER NOT NULL,
  policy_sha256 TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(id), subject_table TEXT NOT NULL,
  subject_id TEXT NOT NULL, customer_id TEXT NOT NULL, case_id TEXT, occurrence TEXT NOT NULL,
  due_from TEXT NOT NULL, due_by TEXT NOT NULL, channels TEXT NOT NULL, assignees TEXT NOT NULL,
  priority INTEGER NOT NULL, questions TEXT NOT NULL, rule TEXT NOT NULL, facts TEXT NOT NULL,
  trigger_day TEXT NOT NULL, rules TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'policy',
  created_at TEXT NOT NULL);
CREATE INDEX obligations_due ON obligations(due_by);
DROP TABLE policy_versions;
CREATE TABLE policy_versions(policy TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL,
  title TEXT, effective TEXT, file TEXT, source TEXT NOT NULL, first_seen TEXT NOT NULL,
  PRIMARY KEY (policy, version, sha256));
INSERT INTO policy_versions VALUES ('p', 1, 'h', NULL, NULL, 'p.rv', 'policy p {}', '2026-11-01 02:00:00');
DROP VIEW obligation_questions;
DROP TABLE script_questions;
DROP TABLE question_scripts;
CREATE TABLE obligation_questions(obligation_id TEXT NOT NULL, qset TEXT NOT NULL, ordered INTEGER NOT NULL,
  pos INTEGER NOT NULL, question TEXT NOT NULL, mandatory INTEGER NOT NULL, affirmative TEXT,
  PRIMARY KEY (obligation_id, qset, question));
INSERT INTO obligation_questions VALUES ('O-00000000000b', 'q', 1, 2, '满意吗', 1, '是'),
  ('O-00000000000b', 'q', 1, 1, '来过吗', 1, '是'), ('O-00000000000a', 'q', 1, 1, '来过吗', 0, NULL);
INSERT INTO runs(id, started_at, as_of, horizon, policies, listed, added, suppressed)
  VALUES (1, '2026-11-01 02:00:00', '2026-11-01', 7, 1, 2, 2, 0);
INSERT INTO obligations VALUES
  ('O-00000000000b', 'p', 1, 'h', 1, 'customers', 'C-0001', 'C-0001', NULL, '1', '2026-11-02', '2026-11-05',
   'phone', 'steward', 3, '', 'due within 3 days', '{}', '2026-11-02', '{}', 'policy', '2026-11-01 02:00:00'),
  ('O-00000000000a', 'p', 1, 'h', 1, 'customers', 'C-0002', 'C-0002', NULL, '1', '2026-11-02', '2026-11-05',
   'phone', 'steward', 3, '', 'due within 3 days', '{}', '2026-11-02', '{}', 'policy', '2026-11-01 02:00:00');" ||
    fail "fixture"
expect_rc 0 "$RV" init s.db
expect_eq "" "$(sqlite3 s.db "SELECT name FROM sqlite_master WHERE tbl_name = 'obligations' AND name LIKE 'sqlite_autoindex%'")" "old key index"
expect_eq "obligations_customer obligations_id obligations_trigger" \
    "$(sqlite3 s.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obligations' ORDER BY name)")" "indexes"
expect_eq "O-00000000000b|C-0001|
O-00000000000a|C-0002|" "$(sqlite3 s.db "SELECT id, customer_id, staff FROM obligations ORDER BY rowid")" "rows"
expect_eq "" "$(sqlite3 s.db "SELECT name FROM sqlite_master WHERE name = 'sqlite_autoindex_obligation_questions_1'")" "old questions index"
expect_eq "view" "$(sqlite3 s.db "SELECT type FROM sqlite_master WHERE name = 'obligation_questions'")" "questions: a view"
expect_eq "2|3|2" "$(sqlite3 s.db "SELECT (SELECT count(*) FROM question_scripts), (SELECT count(*) FROM script_questions),
    (SELECT count(DISTINCT script) FROM obligations)")" "one script per distinct set of questions"
expect_eq "O-00000000000a|q|1|1|来过吗|0|
O-00000000000b|q|1|1|来过吗|1|是
O-00000000000b|q|1|2|满意吗|1|是" "$(sqlite3 s.db "SELECT * FROM obligation_questions ORDER BY obligation_id, pos")" "questions"
expect_rc 19 sqlite3 s.db "INSERT INTO obligations SELECT * FROM obligations LIMIT 1"
expect_grep "UNIQUE constraint failed: obligations.id" stderr.txt
expect_eq ok "$(sqlite3 s.db 'PRAGMA integrity_check')" "integrity"
# policy_versions gains rules (null until a run uses the text); the old rows keep their own
expect_eq "p|1|h|1" "$(sqlite3 s.db "SELECT policy, version, sha256, rules IS NULL FROM policy_versions")" "policy_versions.rules"
expect_eq "{}|{}" "$(sqlite3 s.db "SELECT group_concat(rules, '|') FROM obligations")" "obligations.rules kept"
# the commands read it as before; a second init changes nothing
expect_rc 0 "$RV" due -s s.db --as-of 2026-11-20 --format csv
expect_grep "^O-00000000000a,p,1,C-0002," stdout.txt
sqlite3 s.db .schema > before.txt
expect_rc 0 "$RV" init s.db
sqlite3 s.db .schema > after.txt
cmp -s before.txt after.txt || fail "a second init changed the schema: $(diff before.txt after.txt | head -5)"
