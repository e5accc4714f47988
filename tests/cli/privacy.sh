# Privacy: mobile numbers print as 138****1234 and ID numbers with all but
# the first and last characters hidden; --reveal prints them and is
# recorded with who and when; names that look like SQL come out unharmed.
. "$TOP/tests/lib.sh"
cat > p.rv <<'X'
policy all "全部" effective 2026-01-01 {
  applies to cases where kind = "complaint" and customer.id_number is not null
  due within 3 days after closed_at
  channels phone
  priority 1 when customer.id_number > "3"
}
X
cat > f.sql <<'X'
INSERT INTO customers(id, name, mobile, id_number, created_at) VALUES
  ('C-1', '''); DROP TABLE visits; --', '13812345678', '310101198001011234', '2025-01-01 00:00:00'),
  ('C-2', 'Robert"); DELETE FROM cases; --', '13987654321', '31010119900202567X', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'complaint', '2026-11-18 09:00:00', '2026-11-19 10:00:00'),
  ('K-2', 'C-2', 'complaint', '2026-11-18 09:00:00', '2026-11-19 10:00:00');
X
new_store s.db f.sql
for fmt in table csv json; do
    expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format $fmt p.rv
    expect_grep '138\*\*\*\*5678' stdout.txt
    expect_nogrep '13812345678' stdout.txt
done
expect_rc 0 "$RV" explain -s s.db "$(sqlite3 s.db "SELECT id FROM obligations WHERE case_id = 'K-1'")"
expect_grep '3\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*4' stdout.txt
expect_nogrep '310101198001011234' stdout.txt
# the SQL-looking names are data, nothing more
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv
expect_grep "'); DROP TABLE visits; --" stdout.txt
expect_grep 'Robert""); DELETE FROM cases; --' stdout.txt
expect_eq 2 "$(sqlite3 s.db 'SELECT count(*) FROM cases')" "cases intact"
expect_eq 0 "$(sqlite3 s.db 'SELECT count(*) FROM visits')" "visits table still there"
# --reveal shows the number and leaves a trace
expect_eq 0 "$(sqlite3 s.db 'SELECT count(*) FROM reveal_log')" "no reveal yet"
USER=auditor "$RV" run -s s.db --as-of 2026-11-20 --format csv --reveal p.rv > reveal.txt 2> /dev/null || fail "run --reveal"
grep -q '13812345678' reveal.txt || fail "--reveal did not reveal"
USER=auditor "$RV" due -s s.db --as-of 2026-11-20 --reveal > reveal2.txt 2> /dev/null || fail "due --reveal"
expect_eq "auditor|run --reveal
auditor|due --reveal" "$(sqlite3 s.db 'SELECT who, command FROM reveal_log ORDER BY id')" "reveal log"
rm -f reveal.txt reveal2.txt
