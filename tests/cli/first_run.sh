# A store's first run appends its new obligations as they come and builds
# the obligations' indexes once at the end; a later run looks each one up
# and loads the new ones in id order.  Both must leave the same store: the
# library on the demo store, first on an empty store (a.db), and after a
# run of another policy had put obligations there (b.db).
. "$TOP/tests/lib.sh"
new_store a.db "$TOP/demo/demo.sql"
cp a.db b.db
cat > other.rv <<'P'
policy t_other "另一条政策" version 1 effective 2026-11-01 {
  applies to cases where kind = "complaint" and closed_at is not null
  due within 5 days after closed_at
  channels phone
  assign project_manager
}
P
expect_rc 0 "$RV" run -s b.db --as-of 2026-11-20 --format csv other.rv
n=$(sqlite3 b.db "SELECT count(*) FROM obligations")
[ "$n" -gt 0 ] || fail "the other policy made no obligations"
expect_rc 0 "$RV" run -s a.db --as-of 2026-11-20 --format csv "$TOP/policies"
cp stdout.txt a.csv
expect_rc 0 "$RV" run -s b.db --as-of 2026-11-20 --format csv "$TOP/policies"
cmp -s a.csv stdout.txt || fail "the due-lists differ: $(diff a.csv stdout.txt | head -5)"
# the store, row for row, without the wall-clock columns, the run ids and
# the other policy's rows
dump() {
    sqlite3 -bail "$1" "
SELECT o.id, o.policy, o.version, u.sha256, o.subject_table, o.subject_id, o.customer_id, o.case_id, o.occurrence,
       o.due_from, o.due_by, o.channels, o.assignees, o.priority, o.questions, u.rule, o.facts, o.trigger_day, o.rules,
       o.source, o.staff
  FROM obligations o JOIN obligation_rules u ON u.id = o.rule_id WHERE o.policy <> 't_other' ORDER BY o.id;
SELECT * FROM obligation_questions WHERE obligation_id IN (SELECT id FROM obligations WHERE policy <> 't_other')
  ORDER BY 1, 2, 3, 4;
SELECT id, policy, version, rule, level, levels, target, customer_id, subject_table, subject_id, obligation_id,
       raised_on, due_by, within_n, within_unit, parent_id, facts FROM escalations ORDER BY id;
SELECT * FROM escalation_cites ORDER BY 1, 2;
SELECT policy, grp, version, eligible, drawn, coverage_bp FROM policy_groups WHERE policy <> 't_other'
  ORDER BY policy, grp;"
}
dump a.db > a.txt || fail "dump a.db"
dump b.db > b.txt || fail "dump b.db"
cmp -s a.txt b.txt || fail "the stores differ: $(diff a.txt b.txt | head -5)"
# the first run did record done obligations (those not on the due-list)
# and their questions
done_q=$(sqlite3 :memory: "ATTACH 'a.db' AS s" ".import --csv a.csv lst" "SELECT count(*) FROM s.obligation_questions
  WHERE obligation_id NOT IN (SELECT id FROM lst)")
[ "$done_q" -gt 0 ] || fail "no questions of done obligations in the first run's store"
expect_eq "obligations_customer obligations_id obligations_trigger" \
    "$(sqlite3 a.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obligations' ORDER BY name)")" "indexes"
expect_eq ok "$(sqlite3 a.db 'PRAGMA integrity_check')" "integrity"
# run does not have SQLite check its references (run.c): they hold
expect_eq "" "$(sqlite3 a.db 'PRAGMA foreign_key_check')" "a.db: foreign keys"
expect_eq "" "$(sqlite3 b.db 'PRAGMA foreign_key_check')" "b.db: foreign keys"
# ids stay unique
expect_rc 19 sqlite3 a.db "INSERT INTO obligations SELECT * FROM obligations LIMIT 1"
expect_grep "UNIQUE constraint failed: obligations.id" stderr.txt
# each distinct set of questions is stored once and named by the
# obligations that ask it (in the first run's store, a.db, and in the one
# that had a run of another policy first, b.db)
for db in a.db b.db; do
    expect_eq 0 "$(sqlite3 "$db" "SELECT count(*) FROM obligations o WHERE script IS NOT NULL AND NOT EXISTS
        (SELECT 1 FROM obligation_questions q WHERE q.obligation_id = o.id)")" "$db: an obligation naming a script without lines"
    s=$(sqlite3 "$db" "SELECT count(*) FROM question_scripts")
    o=$(sqlite3 "$db" "SELECT count(*) FROM obligations WHERE script IS NOT NULL")
    [ "$s" -gt 0 ] && [ "$s" -lt "$o" ] || fail "$db: scripts are not shared: $s scripts for $o obligations with questions"
done
# the secondary indexes are built after the run's commit, in a transaction
# of their own: a run killed between the two leaves them missing, and the
# next command that opens the store for writing makes them again
cp a.db c.db
sqlite3 c.db "DROP INDEX obligations_trigger; DROP INDEX obligations_customer"
expect_rc 0 "$RV" run -s c.db --as-of 2026-11-20 --format csv "$TOP/policies"
cmp -s a.csv stdout.txt || fail "the due-list after the lost indexes differs: $(diff a.csv stdout.txt | head -5)"
expect_eq "obligations_customer obligations_id obligations_trigger" \
    "$(sqlite3 c.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obligations' ORDER BY name)")" "indexes made again"
expect_eq ok "$(sqlite3 c.db 'PRAGMA integrity_check')" "integrity after the lost indexes"
