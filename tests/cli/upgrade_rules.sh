# `revisit init` on a store of schema version 1, whose obligations held in
# every row their version's sha256, their rule text and their creation
# time, moves what rows share out of them: each distinct (policy, version,
# sha256, rule) is stored once in obligation_rules and named by rule_id;
# the rows, their order and their created_at are kept; explain, due and
# verdicts say what they said before; the store becomes version 2, which
# an older revisit refuses; a second init changes nothing.
. "$TOP/tests/lib.sh"
new_store s.db "$TOP/demo/demo.sql"
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format csv "$TOP/policies"
id=$(sqlite3 s.db "SELECT id FROM obligations ORDER BY rowid LIMIT 1 OFFSET 100")
"$RV" explain -s s.db "$id" > explain.before || fail "explain"
"$RV" due -s s.db --as-of 2026-11-25 --format csv > due.before 2> /dev/null || fail "due"
rows() {
    sqlite3 -bail s.db "SELECT o.id, o.policy, o.version, u.sha256, o.run_id, o.subject_id, o.customer_id, o.case_id,
       o.occurrence, o.due_from, o.due_by, o.channels, o.assignees, o.priority, o.questions, u.rule, o.facts,
       o.trigger_day, o.rules, o.source, coalesce(o.created_at, r.started_at), o.staff, o.script
  FROM obligations o JOIN obligation_rules u ON u.id = o.rule_id JOIN runs r ON r.id = o.run_id ORDER BY o.rowid"
}
rows > rows.before || fail "rows"
[ "$(wc -l < rows.before)" -gt 1000 ] || fail "too few obligations to tell: $(wc -l < rows.before)"
# the same store as schema version 1 had it
sqlite3 -bail s.db "
DROP VIEW obligation_questions;
CREATE TABLE v1(id TEXT NOT NULL, policy TEXT NOT NULL, version INTEGER NOT NULL,
  policy_sha256 TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(id), subject_table TEXT NOT NULL,
  subject_id TEXT NOT NULL, customer_id TEXT NOT NULL, case_id TEXT, occurrence TEXT NOT NULL,
  due_from TEXT NOT NULL, due_by TEXT NOT NULL, channels TEXT NOT NULL, assignees TEXT NOT NULL,
  priority INTEGER NOT NULL, questions TEXT NOT NULL, rule TEXT NOT NULL, facts TEXT NOT NULL,
  trigger_day TEXT NOT NULL, rules TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'policy',
  created_at TEXT NOT NULL, staff TEXT, script INTEGER REFERENCES question_scripts(id));
INSERT INTO v1 SELECT o.id, o.policy, o.version, u.sha256, o.run_id, o.subject_table, o.subject_id, o.customer_id,
  o.case_id, o.occurrence, o.due_from, o.due_by, o.channels, o.assignees, o.priority, o.questions, u.rule, o.facts,
  o.trigger_day, o.rules, o.source, coalesce(o.created_at, r.started_at), o.staff, o.script
  FROM obligations o JOIN obligation_rules u ON u.id = o.rule_id JOIN runs r ON r.id = o.run_id ORDER BY o.rowid;
DROP TABLE obligations;
DROP TABLE obligation_rules;
ALTER TABLE v1 RENAME TO obligations;
CREATE UNIQUE INDEX obligations_id ON obligations(id);
CREATE INDEX obligations_trigger ON obligations(trigger_day);
CREATE INDEX obligations_customer ON obligations(customer_id);
CREATE VIEW obligation_questions AS SELECT o.id AS obligation_id, q.qset AS qset,
  q.ordered AS ordered, q.pos AS pos, q.question AS question, q.mandatory AS mandatory,
  q.affirmative AS affirmative FROM obligations o JOIN script_questions q ON q.script = o.script;
UPDATE revisit_meta SET value = '1' WHERE key = 'schema_version';" || fail "fixture"
expect_rc 0 "$RV" init s.db
expect_eq 2 "$(sqlite3 s.db "SELECT value FROM revisit_meta WHERE key = 'schema_version'")" "schema version"
expect_eq "" "$(sqlite3 s.db "SELECT name FROM pragma_table_info('obligations') WHERE name IN ('policy_sha256', 'rule')")" "old columns"
rows > rows.after || fail "rows after"
cmp -s rows.before rows.after || fail "the rows differ: $(diff rows.before rows.after | head -5)"
expect_eq "$(cut -d'|' -f2,3,4,16 rows.before | sort -u | wc -l)" "$(sqlite3 s.db "SELECT count(*) FROM obligation_rules")" \
    "one obligation_rules row per distinct policy version and rule"
expect_eq 0 "$(sqlite3 s.db "SELECT count(*) FROM obligations WHERE created_at IS NULL")" "created_at kept"
expect_eq "obligations_customer obligations_id obligations_trigger" \
    "$(sqlite3 s.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obligations' ORDER BY name)")" "indexes"
expect_eq view "$(sqlite3 s.db "SELECT type FROM sqlite_master WHERE name = 'obligation_questions'")" "questions view"
expect_eq ok "$(sqlite3 s.db 'PRAGMA integrity_check')" "integrity"
expect_eq "" "$(sqlite3 s.db 'PRAGMA foreign_key_check')" "foreign keys"
expect_rc 0 "$RV" explain -s s.db "$id"
cmp -s explain.before stdout.txt || fail "explain differs: $(diff explain.before stdout.txt | head -5)"
expect_rc 0 "$RV" due -s s.db --as-of 2026-11-25 --format csv
cmp -s due.before stdout.txt || fail "due differs: $(diff due.before stdout.txt | head -5)"
# a later run adds rows of the new shape beside the old
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-27 --format csv "$TOP/policies"
expect_eq 0 "$(sqlite3 s.db "SELECT count(*) FROM obligations o LEFT JOIN obligation_rules u ON u.id = o.rule_id WHERE u.id IS NULL")" "every row names its rule"
sqlite3 s.db .schema > before.txt
expect_rc 0 "$RV" init s.db
sqlite3 s.db .schema > after.txt
cmp -s before.txt after.txt || fail "a second init changed the schema: $(diff before.txt after.txt | head -5)"
