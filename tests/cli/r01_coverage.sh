# R1 repairs, coverage 30 %, followed up 1 to 2 months after completion:
# 10 eligible repairs in October draw 3; two visited on time give 20 %, a
# breach; the third visit meets the 30 %.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
policy repairs "维修回访" effective 2026-10-01 {
  applies to cases where kind = "repair"
  due between 1 month and 2 months after closed_at
  coverage 30% per month
  channels phone
  assign steward
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', '业主', '13800000071', '2025-01-01 00:00:00');
INSERT INTO staff(id, name, role) VALUES ('S-1', '管家', 'steward');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
SELECT printf('R-%02d', i), 'C-1', 'repair', '2026-10-01 08:00:00', printf('2026-10-%02d 10:00:00', i + 10) FROM n;
P
new_store s.db f.sql
# October's sample is drawn once October is over
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-25 --format csv p.rv
expect_eq 0 "$(tail -n +2 stdout.txt | wc -l | tr -d ' ')" "obligations while October is open"
expect_grep "pending: 10 subjects in sampling periods not over yet" stderr.txt
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-01 --horizon 60 --format csv p.rv
expect_eq 3 "$(tail -n +2 stdout.txt | wc -l | tr -d ' ')" "drawn"
tail -n +2 stdout.txt | cut -d, -f1,8 | tr ',' ' ' > ids.txt
# visit two of them on the day they became due
head -n 2 ids.txt | while read -r id day; do
    "$RV" record -s s.db --obligation "$id" --channel phone --staff S-1 --at "$day 12:00" --outcome completed || fail "record $id"
done
# while the third is still open the policy is only at risk
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-11-30 --format csv --fail-on-breach
expect_eq "repairs,30%,10,3,2,0,0,0,0,0,0,0,1,20.0%,100.0%,100.0%,-,-,at risk" "$(sed -n 2p stdout.txt | tr -d '\r')" "two of ten, one open"
# judged after every deadline, 2 of 10 is a breach
cp s.db later.db
expect_rc 1 "$RV" verdicts -s later.db --period 2026-10 --as-of 2026-12-31 --format csv --fail-on-breach
expect_eq "repairs,30%,10,3,2,0,1,0,0,0,0,0,0,20.0%,100.0%,100.0%,-,-,BREACH" "$(sed -n 2p stdout.txt | tr -d '\r')" "two of ten"
set -- $(sed -n 3p ids.txt)
expect_rc 0 "$RV" record -s s.db --obligation "$1" --channel phone --staff S-1 --at "$2 15:00" --outcome completed
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-11-30 --format csv --fail-on-breach
expect_eq "repairs,30%,10,3,3,0,0,0,0,0,0,0,0,30.0%,100.0%,100.0%,-,-,ok" "$(sed -n 2p stdout.txt | tr -d '\r')" "three of ten"
