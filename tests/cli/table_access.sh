# How a policy's query reads its table: through the index on the column its
# filter fixes when the value is rare (the matching rowids first, then the
# rows in rowid order), the whole table in rowid order when it is common (at
# least 5 % of the table: a random row fetch per match costs more than
# reading every row).  --explain-plan says which; the customer stays the
# inner lookup and an escalation's ORDER BY sorts instead of walking the id
# index; the due-lists are the same either way.
. "$TOP/tests/lib.sh"
new_store s.db
# 1000 cases of 50 customers: 960 repairs, 40 complaints (4 %), all closed
sqlite3 -bail s.db "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO customers(id, name, mobile, created_at)
  SELECT printf('C-%03d', i), 'N' || i, '1380000' || printf('%04d', i), '2025-01-01 00:00:00' FROM n WHERE i <= 50;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
  SELECT printf('K-%04d', i), printf('C-%03d', 1 + i % 50), CASE WHEN i % 25 = 0 THEN 'complaint' ELSE 'repair' END,
         '2026-11-01 09:00:00', printf('2026-11-%02d 10:00:00', 1 + i % 19) FROM n;" || fail "fixture"
cat > p.rv <<'P'
policy common "repairs" effective 2026-01-01 {
  applies to cases where kind = "repair" and closed_at is not null
  due within 3 days after closed_at
  channels phone
  escalate late to department_supervisor on missed
}
policy rare "complaints" effective 2026-01-01 {
  applies to cases where kind = "complaint" and closed_at is not null
  due within 3 days after closed_at
  channels phone
}
policy rare_list "complaints and certificates" effective 2026-01-01 {
  applies to cases where kind in ["complaint", "certificate"] and closed_at is not null
  due within 3 days after closed_at
  channels phone
}
policy common_list "repairs and complaints" effective 2026-01-01 {
  applies to cases where kind in ["complaint", "repair"]
  due within 1 week after closed_at
  channels phone
}
P
expect_rc 0 "$RV" check -s s.db --explain-plan --as-of 2026-11-20 p.rv
expect_grep "^-- kind = 'repair' holds for at least 5% of cases: the table is read in order, not through its index$" stdout.txt
expect_grep "^-- kind = 'complaint' holds for 4% of cases: its rows are found through its index, then read in rowid order$" stdout.txt
expect_grep "^-- kind in ('complaint', 'certificate') holds for 4% of cases: its rows are found through its index, then read in rowid order$" stdout.txt
expect_grep "^-- kind in ('complaint', 'repair') holds for at least 5% of cases: the table is read in order, not through its index$" stdout.txt
expect_grep 'FROM "cases" AS s NOT INDEXED CROSS JOIN "customers" AS c ON' stdout.txt
expect_grep 'WHERE (s."kind" = ?) AND (s."closed_at" IS NOT NULL) AND s.rowid IN (SELECT rowid FROM "cases" WHERE "kind" IN (?2))' stdout.txt
expect_grep 'AND s.rowid IN (SELECT rowid FROM "cases" WHERE "kind" IN (?3, ?4))' stdout.txt
# SQLite's plan for each: the scan keeps cases outside, the sort is a sort
grep -A2 "policy common v1" stdout.txt | tail -1 | sed 's/;$//' > common.sql
grep -A2 "policy rare v1" stdout.txt | tail -1 | sed 's/;$//' > rare.sql
expect_eq "SCAN s
SEARCH c USING INDEX sqlite_autoindex_customers_1 (id=?)
USE TEMP B-TREE FOR ORDER BY" "$(sqlite3 s.db "EXPLAIN QUERY PLAN $(cat common.sql)" | sed -n 's/^[|`]--//p')" "plan, common"
expect_eq "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)
LIST SUBQUERY 1
SEARCH c USING INDEX sqlite_autoindex_customers_1 (id=?)" \
    "$(sqlite3 s.db "EXPLAIN QUERY PLAN $(cat rare.sql)" | sed -n 's/^[|`]--//p')" "plan, rare"
# the same due-list as a store without the index (where every read is a scan)
cp s.db noindex.db
sqlite3 noindex.db "DROP INDEX cases_kind"
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format csv --explain-plan p.rv
expect_grep "^-- kind = 'repair' holds for at least 5% of cases" stderr.txt
cp stdout.txt with.csv
expect_rc 0 "$RV" run -s noindex.db --as-of 2026-11-20 --format csv p.rv
expect_eq "$(cat with.csv)" "$(cat stdout.txt)" "due-lists"
expect_eq 2041 "$(wc -l < with.csv | tr -d ' ')" "rows: 960 + 40 + 40 + 1000, and a header"
