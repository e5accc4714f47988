# A first run that makes more new obligations than the store holds (here
# 118,800 for an empty store) loads them in id order and rebuilds the
# obligations' indexes once; the store must come out whole: every index
# there, integrity ok, the same due-list as a run that did not load in
# bulk, and a second run adding nothing.  Also `run --stats`.
. "$TOP/tests/lib.sh"
new_store s.db
sqlite3 -bail s.db "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
INSERT INTO customers(id, name, created_at) SELECT printf('C-%04d', i), printf('客户%d', i), '2025-01-01' FROM n;
INSERT INTO staff(id, name, role, active) VALUES ('S-1', '甲', 'steward', 1), ('S-2', '乙', 'steward', 1);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
  SELECT printf('K-%04d', i), printf('C-%04d', i), 'service', '2026-01-01 09:00:00', '2026-01-01 10:00:00' FROM n;" ||
    fail "fixture"
cat > p.rv <<'P'
policy daily "每日回访" version 1 effective 2026-01-01 {
  applies to cases where kind = "service"
  due every 1 day from closed_at
  channels phone
  assign steward
}
P
# 1200 cases x 99 days (2026-01-02 .. 2026-04-10), none done: all listed
expect_rc 0 "$RV" run -s s.db --as-of 2026-04-10 --horizon 0 --format csv --stats p.rv
cp stdout.txt bulk.csv
expect_grep "118800 new in the store (run 1)" stderr.txt
expect_grep "^policy  *rows  *eligible  *listed  *done  *later  *skipped  *seconds" stderr.txt
expect_grep "^daily  *1200  *1200  *118800  *0  *0  *0 " stderr.txt
expect_grep "^phases: evaluate .* record .* (route .*, insert .*, indexes .*" stderr.txt
# the secondary indexes are built after the commit, beside the output
expect_grep "^phases: .*, secondary indexes [0-9.]* s (after the commit, beside the output)$" stderr.txt
expect_eq 118801 "$(wc -l < bulk.csv | tr -d ' ')" "due-list lines"
expect_eq 118800 "$(sqlite3 s.db 'SELECT count(*) FROM obligations')" "obligations"
expect_eq ok "$(sqlite3 s.db 'PRAGMA integrity_check')" "integrity"
expect_eq "obligations_customer obligations_id obligations_trigger" \
    "$(sqlite3 s.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obligations' AND name LIKE 'obligations_%' ORDER BY name)")" "indexes"
# new obligations spread evenly over the two stewards
expect_eq "59400|59400" "$(sqlite3 s.db "SELECT group_concat(n, '|') FROM (SELECT count(*) AS n FROM obligations WHERE staff IS NOT NULL GROUP BY staff ORDER BY staff)")" "routed per steward"
# the same list from a store that already held the obligations
expect_rc 0 "$RV" run -s s.db --as-of 2026-04-10 --horizon 0 --format csv p.rv
cmp -s bulk.csv stdout.txt || fail "the second due-list differs"
expect_grep "0 new in the store (run 2)" stderr.txt
# and without --stats nothing but the summary on stderr (not a terminal: no progress line)
expect_eq 1 "$(wc -l < stderr.txt | tr -d ' ')" "stderr lines"
# a later run that loads more new obligations than the store holds drops
# the two secondary indexes and has them built after its commit too: the
# same fixture with one obligation already recorded by another policy
new_store t.db
sqlite3 -bail t.db "ATTACH 's.db' AS src; INSERT INTO customers SELECT * FROM src.customers;
INSERT INTO staff SELECT * FROM src.staff; INSERT INTO cases SELECT * FROM src.cases;" || fail "copy the fixture"
cat > one.rv <<'P'
policy one_case "一例" version 1 effective 2026-01-01 {
  applies to cases where id = "K-0001"
  due within 1 day after closed_at
  channels phone
  assign steward
}
P
expect_rc 0 "$RV" run -s t.db --as-of 2026-04-10 --horizon 0 --format csv one.rv
expect_eq 1 "$(sqlite3 t.db 'SELECT count(*) FROM obligations')" "one obligation before the bulk run"
expect_rc 0 "$RV" run -s t.db --as-of 2026-04-10 --horizon 0 --format csv --stats p.rv
cmp -s bulk.csv stdout.txt || fail "the bulk run on a store with obligations gives another due-list"
expect_grep "118800 new in the store (run 2)" stderr.txt
expect_grep "^phases: .*, secondary indexes [0-9.]* s (after the commit, beside the output)$" stderr.txt
expect_eq "obligations_customer obligations_id obligations_trigger" \
    "$(sqlite3 t.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obligations' AND name LIKE 'obligations_%' ORDER BY name)")" "indexes after the bulk load"
expect_eq ok "$(sqlite3 t.db 'PRAGMA integrity_check')" "integrity after the bulk load"
