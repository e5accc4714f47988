# One obligation per verdict kind, judged from visits and answers recorded
# against them; the listing is compared with tests/cli/verdicts.expected.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
questions five "五项" ordered {
  quality "服务质量？" affirmative "是"
  effect "服务效果？" affirmative "是"
  suggestions "建议？" optional
}
policy complaint "投诉回访" effective 2026-10-01 {
  applies to cases where kind = "complaint"
  due within 3 days after closed_at
  channels phone, onsite
  attempts 3 on different days
  dissatisfied below 3
  assign steward
  ask five
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', '客户一', '13800000061', '2025-01-01 00:00:00'),
  ('C-2', '客户二', '13800000062', '2025-01-01 00:00:00');
INSERT INTO staff(id, name, role, department) VALUES ('S-1', '管家甲', 'steward', 'service'), ('S-2', '销售乙', 'sales', 'sales');
WITH k(id) AS (VALUES ('K-met'), ('K-late'), ('K-missed'), ('K-wrongch'), ('K-wrongas'), ('K-incomplete'),
  ('K-order'), ('K-unreach-ok'), ('K-unreach-bad'), ('K-problem'), ('K-dissat'), ('K-window'), ('K-open'))
INSERT INTO cases(id, customer_id, kind, department, opened_at, closed_at)
SELECT id, 'C-1', 'complaint', 'cleaning', '2026-10-01 09:00:00',
       CASE id WHEN 'K-open' THEN '2026-10-30 09:00:00' ELSE '2026-10-05 10:00:00' END FROM k;
P
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-06 p.rv
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-30 p.rv
ob() { sqlite3 s.db "SELECT id FROM obligations WHERE case_id = '$1'"; }
rec() { expect_rc 0 "$RV" record -s s.db --obligation "$(ob "$1")" "$@"; }
visit() { # case channel staff at outcome [answers...]
    c=$1; shift
    rec_c=$1; rec_s=$2; rec_at=$3; rec_o=$4; shift 4
    args=""
    expect_rc 0 "$RV" record -s s.db --obligation "$(ob "$c")" --channel "$rec_c" --staff "$rec_s" --at "$rec_at" --outcome "$rec_o" "$@"
}
visit K-met phone S-1 "2026-10-06 10:00" completed --answer quality=是 --answer effect=是 --satisfaction 5
visit K-late phone S-1 "2026-10-12 10:00" completed --answer quality=是 --answer effect=是 --satisfaction 4
visit K-wrongch sms S-1 "2026-10-06 10:00" completed --answer quality=是 --answer effect=是
visit K-wrongas phone S-2 "2026-10-06 10:00" completed --answer quality=是 --answer effect=是
visit K-incomplete phone S-1 "2026-10-06 10:00" completed --answer quality=是
visit K-order phone S-1 "2026-10-06 10:00" completed --answer effect=是 --answer quality=是
visit K-unreach-ok phone S-1 "2026-10-05 15:00" unreachable --reason 无人接听
visit K-unreach-ok phone S-1 "2026-10-06 15:00" unreachable --reason 无人接听
visit K-unreach-ok phone S-1 "2026-10-07 15:00" unreachable --reason 关机
visit K-unreach-ok onsite S-1 "2026-10-08 11:00" unreachable --reason 家中无人
visit K-unreach-bad phone S-1 "2026-10-06 15:00" unreachable --reason 无人接听
visit K-unreach-bad phone S-1 "2026-10-06 16:00" unreachable
visit K-problem phone S-1 "2026-10-06 10:00" completed --answer quality=否 --answer effect=是 --satisfaction 3
visit K-dissat phone S-1 "2026-10-06 10:00" completed --answer quality=是 --answer effect=是 --satisfaction 2
# a visit without an obligation id, matched by customer, case and window
sqlite3 s.db "INSERT INTO visits(customer_id, case_id, channel, staff_id, at, outcome, satisfaction) VALUES ('C-1', 'K-window', 'phone', 'S-1', '2026-10-07 09:00:00', 'completed', 4)"
sqlite3 s.db "INSERT INTO answers(visit_id, question, seq, answer, affirmative) SELECT max(id), 'quality', 1, '是', 1 FROM visits; INSERT INTO answers(visit_id, question, seq, answer, affirmative) SELECT max(id), 'effect', 2, '是', 1 FROM visits"
# and one that belongs to nothing
sqlite3 s.db "INSERT INTO visits(customer_id, channel, staff_id, at, outcome) VALUES ('C-2', 'phone', 'S-1', '2026-10-09 09:00:00', 'completed')"
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-10-31 --list
# the obligation ids are hashes: show the case instead, for a stable listing
sed 's/^O-[0-9a-f]\{12\}  //' stdout.txt > got.txt
diff -u "$TOP/tests/cli/verdicts.expected" got.txt > diff.txt || fail "listing differs: $(cat diff.txt)"
expect_grep "1 visit in the period matched no obligation" stdout.txt
# verdicts are recorded once; judging again adds none
expect_eq 12 "$(sqlite3 s.db 'SELECT count(*) FROM verdicts')" "verdicts recorded"
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-10-31 --list
expect_eq 12 "$(sqlite3 s.db 'SELECT count(*) FROM verdicts')" "verdicts after a second judgement"
# the statistics: 13 obligations, 12 judged, coverage = subjects visited on time / eligible
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-10-31 --format csv
expect_eq "complaint,100%,13,13,2,1,1,1,1,3,2,1,1,61.5%,88.9%,66.7%,3.60,60.0%,at risk" "$(sed -n 2p stdout.txt | tr -d '\r')" "csv statistics"
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-10-31 --fail-on-breach
# once K-open's deadline has passed too, the shortfall is a breach
expect_rc 1 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-11-30 --fail-on-breach
expect_grep "BREACH" stdout.txt
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-10-31 --by department --format json
expect_grep '"key":"cleaning"' stdout.txt
expect_rc 2 "$RV" verdicts -s s.db --period 2026-13
expect_rc 2 "$RV" verdicts -s s.db --period 2026-10 --by color
