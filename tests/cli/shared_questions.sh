# Two policies ask one question set whose question has a condition.  The
# planner numbers a condition's columns among the policy's own values, and
# the two policies number them differently (t_a reads subtype first, for
# its assign rule); with two workers, and with the policies cut into parts
# (REVISIT_PART_ROWS=1), each must still ask the conditional question of
# exactly its major complaints, as one worker does.
. "$TOP/tests/lib.sh"
new_store one.db "$TOP/demo/demo.sql"
cp one.db two.db
cat > shared.rv <<'P'
questions shared_q "共享问题" {
  satisfied "您对处理结果满意吗？" mandatory affirmative "是"
  major_callback "重大投诉：主管是否已回电？" mandatory affirmative "是" when severity = "major"
}
policy t_a "投诉回访甲" version 1 effective 2026-01-01 {
  applies to cases where kind = "complaint" and closed_at is not null
  due within 5 days after closed_at
  channels phone
  assign customer_service when subtype = "hotline"
  assign project_manager
  ask shared_q
}
policy t_b "投诉回访乙" version 1 effective 2026-01-01 {
  applies to cases where kind = "complaint" and closed_at is not null
  due within 3 days after closed_at
  channels phone
  assign project_manager
  ask shared_q
}
P
REVISIT_WORKERS=1 expect_rc 0 "$RV" run -s one.db --as-of 2026-11-20 --horizon 400 --format csv shared.rv
cp stdout.txt one.csv
REVISIT_WORKERS=2 REVISIT_PART_ROWS=1 expect_rc 0 "$RV" run -s two.db --as-of 2026-11-20 --horizon 400 --format csv \
    --explain-plan shared.rv
cp stdout.txt two.csv
expect_grep "read in 4 parts by rowid range" stderr.txt
cmp -s one.csv two.csv || fail "the due-lists differ: $(diff one.csv two.csv | head -5)"
# each policy asks the second question of its major complaints only
for p in t_a t_b; do
    got=$(sqlite3 one.db "SELECT count(*) FROM obligations o JOIN cases c ON c.id = o.case_id
                          WHERE o.policy = '$p' AND (o.questions = 'shared_q(2)') <> (c.severity = 'major')")
    expect_eq 0 "$got" "$p: obligations whose question count does not follow the severity"
    n=$(sqlite3 two.db "SELECT count(*) FROM obligations WHERE policy = '$p' AND questions = 'shared_q(2)'")
    [ "$n" -gt 0 ] || fail "$p: no obligation asks the conditional question"
done
sqlite3 one.db "SELECT id, questions, script FROM obligations ORDER BY id" > one.txt
sqlite3 two.db "SELECT id, questions, script FROM obligations ORDER BY id" > two.txt
cmp -s one.txt two.txt || fail "the stores differ: $(diff one.txt two.txt | head -5)"
