# Two workers evaluating policies side by side make the same store and the
# same due-list as one: each policy's obligations come from one worker, and
# escalations are merged back in policy order (two policies raise them on
# the demo store: r01_complaint and one of this test's).  A third run cuts
# every policy that is not escalating into rowid ranges (REVISIT_PART_ROWS=1:
# parts of one row and up, as a store of millions is cut): the samples are
# drawn from all parts' candidates, and the counters are summed.
. "$TOP/tests/lib.sh"
new_store one.db "$TOP/demo/demo.sql"
cp one.db two.db
cp one.db parts.db
cat > extra.rv <<'P'
policy t_every_complaint "每宗投诉报告" version 1 effective 2026-11-01 {
  applies to cases where kind = "complaint" and closed_at is not null
  due within 5 days after closed_at
  channels phone
  assign project_manager
  escalate any_complaint to project_manager
    when count(cases where kind = "complaint" and customer_id = this.customer_id) >= 1
    once per customer_id
}
P
REVISIT_WORKERS=1 expect_rc 0 "$RV" run -s one.db --as-of 2026-11-20 --format csv --stats "$TOP/policies" extra.rv
cp stdout.txt one.csv
# the counters (the table's rows), without the seconds
counters() { grep -E '^(policy +rows|total +[0-9]|[a-z][a-z0-9_]* +[0-9]+ +[0-9]+ )' "$1" | cut -c1-86; }
counters stderr.txt > one.stats
REVISIT_WORKERS=2 expect_rc 0 "$RV" run -s two.db --as-of 2026-11-20 --format csv "$TOP/policies" extra.rv
cp stdout.txt two.csv
cmp -s one.csv two.csv || fail "the due-lists differ: $(diff one.csv two.csv | head -5)"
[ "$(wc -l < one.csv)" -gt 100 ] || fail "the demo due-list is too short to tell: $(wc -l < one.csv) lines"
# the store, row for row, without the wall-clock columns
dump() {
    sqlite3 -bail "$1" "
SELECT o.id, o.policy, o.version, u.sha256, o.run_id, o.subject_id, o.customer_id, o.case_id, o.occurrence,
       o.due_from, o.due_by, o.channels, o.assignees, o.priority, o.questions, u.rule, o.facts, o.trigger_day, o.rules,
       o.staff FROM obligations o JOIN obligation_rules u ON u.id = o.rule_id ORDER BY o.id;
SELECT * FROM obligation_questions ORDER BY 1, 2, 3, 4;
SELECT id, policy, version, rule, level, levels, target, customer_id, subject_table, subject_id, obligation_id,
       raised_on, due_by, within_n, within_unit, parent_id, facts
  FROM escalations ORDER BY rowid;
SELECT * FROM escalation_cites ORDER BY rowid;
SELECT * FROM policy_groups ORDER BY policy, grp;"
}
dump one.db > one.txt || fail "dump one.db"
dump two.db > two.txt || fail "dump two.db"
cmp -s one.txt two.txt || fail "the stores differ: $(diff one.txt two.txt | head -5)"
REVISIT_WORKERS=2 REVISIT_PART_ROWS=1 expect_rc 0 "$RV" run -s parts.db --as-of 2026-11-20 --format csv --stats \
    --explain-plan "$TOP/policies" extra.rv
cp stdout.txt parts.csv
cmp -s one.csv parts.csv || fail "the due-lists differ with parts: $(diff one.csv parts.csv | head -5)"
expect_grep "read in 4 parts by rowid range" stderr.txt
counters stderr.txt > parts.stats
cmp -s one.stats parts.stats || fail "the counters differ with parts: $(diff one.stats parts.stats | head -5)"
grep -q '^r01_repair  ' one.stats || fail "no sampled policy in the stats: $(head -3 one.stats)"
dump parts.db > parts.txt || fail "dump parts.db"
cmp -s one.txt parts.txt || fail "the stores differ with parts: $(diff one.txt parts.txt | head -5)"
grep -q '"sample"' parts.txt || fail "no sampled obligation in the store: the draw is not exercised"
n=$(sqlite3 one.db 'SELECT count(DISTINCT policy) FROM escalations')
[ "$n" -ge 2 ] || fail "escalations of $n policies: the merge is not exercised"
