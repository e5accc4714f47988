# Routing to people: a role's obligations spread over its 4 active staff
# (counts differ by at most one, the inactive one gets none), the same data
# routes the same way, a department's own staff are preferred, joint roles
# get one person each, and a routed obligation keeps its people.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
policy repairs "维修回访" effective 2026-01-01 {
  applies to cases where kind = "repair"
  due within 7 days after closed_at
  channels phone
  assign department_supervisor + steward when department = "security"
  assign steward
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, created_at) VALUES ('C-1', '业主', '2025-01-01 00:00:00');
INSERT INTO staff(id, name, role, department, active) VALUES
  ('S-1', 'a', 'steward', 'service', 1), ('S-2', 'b', 'steward', 'service', 1), ('S-3', 'c', 'steward', 'service', 1),
  ('S-4', 'd', 'steward', 'service', 1), ('S-5', 'e', 'steward', 'service', 0),
  ('S-6', 'f', 'steward', 'security', 1), ('S-7', 'g', 'department_supervisor', 'security', 1);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 14)
INSERT INTO cases(id, customer_id, kind, department, opened_at, closed_at)
SELECT printf('R-%02d', i), 'C-1', 'repair', 'cleaning', '2026-11-01 08:00:00', printf('2026-11-%02d 10:00:00', 5 + i % 7) FROM n;
INSERT INTO cases(id, customer_id, kind, department, opened_at, closed_at) VALUES
  ('X-1', 'C-1', 'repair', 'security', '2026-11-01 08:00:00', '2026-11-10 10:00:00');
P
new_store a.db f.sql
expect_rc 0 "$RV" run -s a.db --as-of 2026-11-12 --format csv p.rv
# the cleaning cases: 14 obligations over S-1..S-4 and S-6 (no steward in cleaning): 3,3,3,3,2
grep ',R-' stdout.txt | cut -d, -f12 | sort | uniq -c | awk '{print $1}' | sort -n | tr '\n' ' ' > counts.txt
expect_eq "2 3 3 3 3 " "$(cat counts.txt)" "per-person counts"
expect_nogrep ',S-5,' stdout.txt
# the security case: the security department's own supervisor and steward
expect_grep ',X-1,.*,department_supervisor+steward,S-7+S-6,' stdout.txt
cp stdout.txt first.csv
new_store b.db f.sql
expect_rc 0 "$RV" run -s b.db --as-of 2026-11-12 --format csv p.rv
cmp -s first.csv stdout.txt || fail "the same data routed differently: $(diff first.csv stdout.txt | head)"
# a later run keeps the people already routed, even when staff change
sqlite3 a.db "UPDATE staff SET active = 0 WHERE id = 'S-1'"
expect_rc 0 "$RV" run -s a.db --as-of 2026-11-12 --format csv p.rv
cmp -s first.csv stdout.txt || fail "routing changed on a re-run: $(diff first.csv stdout.txt | head)"
