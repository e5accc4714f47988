# The SQL sent for a policy carries its `kind = "complaint"` filter as a
# bound parameter; date arithmetic stays in C; explain shows the facts.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
policy complaint_followup "投诉事件回访" effective 2026-01-01 {
  applies to cases where kind = "complaint" and closed_at is not null and closed_at + 3 days >= 2026-11-01
  due within 3 days after closed_at
  channels phone
  priority 1 when count(cases where customer_id = this.customer_id and kind = "complaint", within 1 quarter) >= 2
}
P
expect_rc 0 "$RV" check --explain-plan --as-of 2026-11-20 p.rv
expect_grep 'WHERE (s."kind" = ?) AND (s."closed_at" IS NOT NULL)' stdout.txt
expect_grep "?[0-9]* = 'complaint'" stdout.txt
expect_grep '2 filter(s) pushed into SQL, 1 evaluated in C' stdout.txt
expect_nogrep "'complaint' " stdout.txt
new_store s.db "$TOP/tests/golden/month_end/fixture.sql"
sqlite3 s.db "INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES ('K-9', 'C-1', 'complaint', '2026-11-18 09:00:00', '2026-11-19 10:00:00'), ('K-8', 'C-1', 'complaint', '2026-10-18 09:00:00', '2026-10-30 10:00:00')"
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --explain-plan --format csv p.rv
expect_grep 'SELECT s."id"' stderr.txt
expect_eq 2 "$(tail -n +2 stdout.txt | wc -l | tr -d ' ')" "due rows"
id=$(grep K-9 stdout.txt | cut -d, -f1)
expect_rc 0 "$RV" explain -s s.db "$id"
expect_grep "policy      complaint_followup version 1" stdout.txt
expect_grep "rule        due within 3 days after closed_at" stdout.txt
expect_grep '"closed_at": "2026-11-19 10:00:00"' stdout.txt
expect_grep '"count(cases ...) at line 5": 2' stdout.txt
expect_grep "due         from 2026-11-19 by 2026-11-22" stdout.txt
expect_rc 1 "$RV" explain -s s.db O-000000000000
expect_grep "no obligation O-000000000000" stderr.txt
