# A policy version's verdict rules are stored once, in policy_versions.rules;
# its obligations hold '' and are judged by them.  A row of an older store
# that carries its own copy is judged by that copy, and a version recorded
# before (rules null) gets them from the next run.  Facts hold what the
# row's columns do not; explain lists each set's questions.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
questions basic "基本问题" {
  service "对服务满意吗？" affirmative "满意"
  advice "有什么建议？" optional
  result "问题解决了吗？" affirmative "解决了"
}
policy complaint "投诉回访" effective 2026-10-01 {
  applies to cases where kind = "complaint"
  due within 3 days after closed_at
  channels phone
  attempts 3 on different days
  deny sms by steward
  dissatisfied below 3
  assign steward
  ask basic
  problem within 5 days by supervisor
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', '客户一', '13800000061', '2025-01-01 00:00:00');
INSERT INTO staff(id, name, role) VALUES ('S-1', '管家甲', 'steward'), ('S-9', '主管', 'supervisor');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-own', 'C-1', 'complaint', '2026-10-01 09:00:00', '2026-10-05 10:00:00'),
  ('K-ver', 'C-1', 'complaint', '2026-10-01 09:00:00', '2026-10-05 10:00:00');
P
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-06 p.rv
expect_eq 2 "$(sqlite3 s.db "SELECT count(*) FROM obligations WHERE rules = ''")" "rows without their own copy"
expect_eq '{"attempts":3,"attempts_days":1,"deny":["sms:steward"],"problem_n":5,"problem_unit":1,"problem_assign":"supervisor","dissatisfied_below":3}' \
    "$(sqlite3 s.db "SELECT rules FROM policy_versions WHERE policy = 'complaint'")" "policy_versions.rules"
# facts: the values and the assign line, not the columns again
expect_eq '{"values":{"closed_at":"2026-10-05 10:00:00"},"assign_rule_line":13}' \
    "$(sqlite3 s.db "SELECT facts FROM obligations WHERE case_id = 'K-ver'")" "facts"
own=$(sqlite3 s.db "SELECT id FROM obligations WHERE case_id = 'K-own'")
ver=$(sqlite3 s.db "SELECT id FROM obligations WHERE case_id = 'K-ver'")
expect_rc 0 "$RV" explain -s s.db "$ver"
expect_grep '^questions   basic(3): service, advice, result$' stdout.txt
expect_grep '^due         from 2026-10-05 by 2026-10-08$' stdout.txt
# a row as an older store wrote it: its own rules (one attempt is enough)
sqlite3 s.db "UPDATE obligations SET rules = '{\"attempts\":1,\"attempts_days\":0,\"deny\":[],\"problem_n\":0,\"problem_unit\":0,\"problem_assign\":\"\",\"dissatisfied_below\":0}' WHERE id = '$own'"
for id in "$own" "$ver"; do
    expect_rc 0 "$RV" record -s s.db --obligation "$id" --channel phone --staff S-1 --at "2026-10-06 15:00" \
        --outcome unreachable --reason 无人接听
done
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-10-31 --list --format csv
expect_eq "unreachable,1" "$(sqlite3 s.db "SELECT verdict || ',' || ok FROM verdicts WHERE obligation_id = '$own'")" "own copy"
expect_eq "unreachable,0" "$(sqlite3 s.db "SELECT verdict || ',' || ok FROM verdicts WHERE obligation_id = '$ver'")" "version's rules"
# a version recorded before its rules were kept there gets them on the next run
sqlite3 s.db "UPDATE policy_versions SET rules = NULL"
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-07 p.rv
expect_eq 1 "$(sqlite3 s.db "SELECT count(*) FROM policy_versions WHERE rules LIKE '{\"attempts\":3,%'")" "rules filled in"
