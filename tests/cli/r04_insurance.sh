# R4 with the library policy: a unit-linked periodic sale whose visit
# answers every question affirmatively except the fee question is a
# problem case with a second-visit obligation; skipping the payment-method
# question makes it incomplete; a single-premium traditional sale never
# requires the payment-method or investment questions.
. "$TOP/tests/lib.sh"
P=$TOP/policies/r04-insurance
cat > f.sql <<'X'
ALTER TABLE cases ADD COLUMN premium_mode TEXT;
INSERT INTO customers(id, name, mobile, id_number, created_at) VALUES
  ('C-1', '投保人甲', '13800000081', '310101198001011234', '2025-01-01 00:00:00');
INSERT INTO staff(id, name, role, department) VALUES ('S-1', '回访员', 'customer_service', 'service'),
  ('S-2', '销售员', 'sales', 'sales');
INSERT INTO cases(id, customer_id, kind, subtype, premium_mode, department, opened_at, closed_at) VALUES
  ('P-1', 'C-1', 'insurance_sale', 'unit_linked', 'periodic', 'sales', '2026-11-01 09:00:00', '2026-11-02 10:00:00'),
  ('P-2', 'C-1', 'insurance_sale', 'unit_linked', 'periodic', 'sales', '2026-11-01 09:00:00', '2026-11-02 10:00:00'),
  ('P-3', 'C-1', 'insurance_sale', 'traditional', 'single', 'sales', '2026-11-01 09:00:00', '2026-11-02 10:00:00'),
  ('P-4', 'C-1', 'insurance_sale', 'traditional', 'single', 'sales', '2026-11-01 09:00:00', '2026-11-02 10:00:00');
X
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-03 --format csv "$P"
expect_eq 4 "$(tail -n +2 stdout.txt | wc -l | tr -d ' ')" "return visits due"
# the unit-linked periodic sales ask 11 questions (8 common, fees, investment,
# payment method), the single-premium traditional ones 8
expect_grep 'P-1,.*insurance(10),insurance_periodic(1)' stdout.txt
expect_grep 'P-3,.*insurance(8),insurance_periodic(0)' stdout.txt
ob() { sqlite3 s.db "SELECT id FROM obligations WHERE case_id = '$1' AND source = 'policy'"; }
all="--answer identity=是 --answer introduction=方便 --answer contract=是 --answer read_terms=是 --answer risk_copy=是 --answer liability=是 --answer period=是 --answer surrender=是"
# P-1: every answer affirmative but the fee question
expect_rc 0 "$RV" record -s s.db --obligation "$(ob P-1)" --channel phone --staff S-1 --at "2026-11-05 10:00" --outcome completed $all --answer fees=否 --answer investment=是 --answer payment_method=是
# P-2: the payment-method question skipped
expect_rc 0 "$RV" record -s s.db --obligation "$(ob P-2)" --channel phone --staff S-1 --at "2026-11-05 11:00" --outcome completed $all --answer fees=是 --answer investment=是
# P-3: single-premium traditional: the 8 common questions are the whole script
expect_rc 0 "$RV" record -s s.db --obligation "$(ob P-3)" --channel phone --staff S-1 --at "2026-11-05 12:00" --outcome completed $all
# P-4: an on-site visit by sales staff alone
expect_rc 0 "$RV" record -s s.db --obligation "$(ob P-4)" --channel onsite --staff S-2 --at "2026-11-05 12:00" --outcome completed $all
expect_rc 0 "$RV" verdicts -s s.db --period 2026-11 --as-of 2026-11-20 --list --format csv
expect_grep ',P-1,2026-11-17,problem_case,yes,1,non-affirmative answer to fees: 否; follow-up O-[0-9a-f]* due by 2026-11-15' stdout.txt
expect_grep ',P-2,2026-11-17,incomplete,no,2,mandatory question payment_method not asked' stdout.txt
expect_grep ',P-3,2026-11-17,met,yes,3,' stdout.txt
expect_grep ',P-4,2026-11-17,wrong_channel,no,4,"a visit through onsite may not be made by sales staff alone' stdout.txt
# the problem case opened a second return visit, assigned to sales and customer service
expect_eq "1|sales+customer_service|2026-11-05|2026-11-15" "$(sqlite3 s.db "SELECT count(*), assignees, due_from, due_by FROM obligations WHERE source = 'problem_case'")" "second visit"
# made by the same policy version as the first, with a rule of its own;
# its creation time is its own, not that of the run that made the first
# (whose rows leave created_at null: the run's started_at)
pid=$(sqlite3 s.db "SELECT id FROM obligations WHERE source = 'problem_case'")
expect_rc 0 "$RV" explain -s s.db "$pid"
expect_grep '^rule  *problem within 10 days after visit 1$' stdout.txt
expect_grep "^policy  *r04_new_policy version 1 \"新契约回访\" (sha256 $(sqlite3 s.db "SELECT substr(u.sha256, 1, 12) FROM obligations o JOIN obligation_rules u ON u.id = o.rule_id WHERE o.case_id = 'P-1' AND o.source = 'policy'"))" stdout.txt
expect_eq "1|0" "$(sqlite3 s.db "SELECT sum(source = 'problem_case' AND created_at IS NOT NULL), sum(source = 'policy' AND created_at IS NOT NULL) FROM obligations")" "created_at"
expect_rc 0 "$RV" due -s s.db --as-of 2026-11-06 --format csv
expect_grep 'P-1,2026-11-05,2026-11-15,"phone,letter,onsite",sales+customer_service' stdout.txt
