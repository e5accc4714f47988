# `revisit test`: passing and failing tests, a deliberately broken
# expectation reported with file, line, expected and actual; --run and
# --coverage; exit statuses.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
use calendar cn
policy complaint_followup "投诉事件回访" version 2 effective 2026-01-01 {
  applies to cases where kind = "complaint" and closed_at is not null
  due within 3 working days after closed_at
  channels phone, onsite
  assign project_manager when severity = "major"
  assign department_supervisor + steward
}

fixture people {
  customer c1 { name = "张三", mobile = "13800000000" }
  staff s1 { role = "steward" }
}

test "complaint closed on Friday is due by Wednesday" uses people {
  given case k1 { kind = "complaint", closed_at = 2026-11-20T17:00 }
  as of 2026-11-23
  expect due complaint_followup for k1 by 2026-11-25 via phone assign department_supervisor + steward
}

test "a major complaint over National Day goes to the project manager" uses people {
  given case k1 { kind = "complaint", closed_at = 2026-09-30T16:00, severity = "major" }
  as of 2026-10-08
  expect due complaint_followup for k1 by 2026-10-10 assign project_manager status due
  expect no due complaint_followup for k2
}

test "a visit the next working day meets the deadline" uses people {
  given case k1 { kind = "complaint", closed_at = 2026-11-20T17:00 },
        visit v1 { case_id = "k1", at = 2026-11-24T10:00, staff_id = "s1" }
  as of 2026-11-26
  expect verdict complaint_followup for k1 met
}
P
expect_rc 0 "$RV" test p.rv
expect_eq "3 passed, 0 failed" "$(tail -n 1 stdout.txt)" "summary"
# break one expectation on purpose: the deadline is 2026-11-25, not 26
sed 's/for k1 by 2026-11-25 via phone/for k1 by 2026-11-26 via phone/' p.rv > broken.rv
expect_rc 1 "$RV" test broken.rv
expect_grep '^broken.rv:15:1: FAIL test "complaint closed on Friday is due by Wednesday"$' stdout.txt
expect_grep '^  broken.rv:18:3: expected due complaint_followup for k1 by 2026-11-26 via phone assign department_supervisor+steward$' stdout.txt
expect_grep 'complaint_followup for k1: from 2026-11-20 17:00 by 2026-11-25 17:00\|complaint_followup for k1: from 2026-11-20 by 2026-11-25' stdout.txt
expect_eq "2 passed, 1 failed" "$(tail -n 1 stdout.txt)" "summary of the broken file"
expect_rc 0 "$RV" test --run "National Day" --coverage p.rv
expect_grep "coverage: 2 of 3 rules exercised by the tests; not exercised:" stdout.txt
expect_grep "p.rv:7:10: complaint_followup: assign department_supervisor + steward" stdout.txt
expect_eq "1 passed, 0 failed" "$(tail -n 1 stdout.txt)" "--run"
# a test without a date, a wrong row kind and an unknown column fail clearly
cat > bad.rv <<'P'
policy p { applies to cases due immediately after closed_at channels phone }
test "no date" { given case k1 { kind = "x" } }
test "typo" { given casse k1 { kind = "x" } as of 2026-01-01 }
test "column" { given case k1 { knd = "x" } as of 2026-01-01 }
P
expect_rc 1 "$RV" test bad.rv
expect_grep 'bad.rv:2:1: the test has no .as of. date' stdout.txt
expect_grep "unknown row kind 'casse' (did you mean 'case'?)" stdout.txt
expect_grep "table cases has no column 'knd'" stdout.txt
expect_eq "0 passed, 3 failed" "$(tail -n 1 stdout.txt)" "bad tests"
# escalations can be expected (and their absence)
cat > esc.rv <<'P'
policy complaints "投诉回访" effective 2026-01-01 {
  applies to cases where kind = "complaint"
  due within 3 days after closed_at
  channels phone
  escalate repeat to project_manager
    when count(cases where kind = "complaint" and customer_id = this.customer_id and subject = this.subject, same quarter) >= 2
    once per customer_id, subject, quarter
  escalate unanswered to team_lead on missed
}
test "two complaints about the same matter in a quarter escalate once, citing both" {
  given customer c1, case k1 { kind = "complaint", subject = "噪音", opened_at = 2026-07-01T09:00, closed_at = 2026-07-02T09:00 },
        case k2 { kind = "complaint", subject = "噪音", opened_at = 2026-08-01T09:00, closed_at = 2026-08-02T09:00 },
        case k3 { kind = "complaint", subject = "保洁", opened_at = 2026-08-01T09:00, closed_at = 2026-08-02T09:00 }
  as of 2026-08-03
  expect escalate complaints repeat for k1
  expect escalate complaints repeat for k2
  expect no escalate complaints repeat for k3
  expect escalate complaints unanswered for k1
  expect no escalate complaints unanswered for k2
}
P
expect_rc 0 "$RV" test esc.rv
expect_eq "1 passed, 0 failed" "$(tail -n 1 stdout.txt)" "escalation expectations"
sed 's/expect no escalate complaints repeat for k3/expect escalate complaints repeat for k3/' esc.rv > esc_bad.rv
expect_rc 1 "$RV" test esc_bad.rv
expect_grep "expected an escalation repeat of complaints citing k3" stdout.txt
expect_grep "repeat to project_manager due by 2026-08-03 citing k1,k2" stdout.txt
