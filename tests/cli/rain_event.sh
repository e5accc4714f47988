# Event-triggered schedules: a leak repair is followed up within 3 days and
# once more within 2 days after the next rain in the customer's region.
# Without rain there is no second obligation and explain says what it waits
# for; a rain event makes the next run produce it, once.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
use calendar cn
policy leak_repair "渗漏维修回访" effective 2026-01-01 {
  applies to cases where kind = "repair" and subtype = "leak" and closed_at is not null
  due within 3 days after closed_at
  due within 2 days after next(events where kind = "rain" and region = customer.region, after closed_at)
  channels phone
  assign steward
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, mobile, region, created_at) VALUES
  ('C-1', '黄磊', '13800000031', '浦东', '2025-01-01 00:00:00'),
  ('C-2', '林琳', '13800000032', '徐汇', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, subtype, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'repair', 'leak', '2026-11-17 08:00:00', '2026-11-18 15:00:00'),
  ('K-2', 'C-2', 'repair', 'leak', '2026-11-17 08:00:00', '2026-11-18 15:00:00');
-- rain before the repair, and rain elsewhere, do not count
INSERT INTO events(id, kind, region, at) VALUES ('E-1', 'rain', '浦东', '2026-11-17 10:00:00'),
  ('E-2', 'rain', '静安', '2026-11-19 10:00:00');
P
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv
expect_eq 2 "$(tail -n +2 stdout.txt | wc -l | tr -d ' ')" "obligations before any rain"
expect_grep "waiting: 2 schedules whose start is not known yet" stderr.txt
id=$(grep K-1 stdout.txt | cut -d, -f1)
expect_rc 0 "$RV" explain -s s.db "$id"
expect_grep 'waiting_for_anchor' stdout.txt
expect_grep 'next(events where kind = \\"rain\\"' stdout.txt
# it rains in 浦东 on Saturday
sqlite3 s.db "INSERT INTO events(id, kind, region, at) VALUES ('E-3', 'rain', '浦东', '2026-11-21 06:00:00')"
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-22 --format csv p.rv
expect_grep 'K-1,2026-11-21,2026-11-23' stdout.txt
expect_eq 1 "$(grep -c 'K-2' stdout.txt)" "K-2 still has only its first obligation"
expect_grep "1 new in the store" stderr.txt
expect_grep "waiting: 1 schedule " stderr.txt
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-22 --format csv p.rv
expect_grep "0 new in the store" stderr.txt
# a second rain does not make a third obligation
sqlite3 s.db "INSERT INTO events(id, kind, region, at) VALUES ('E-4', 'rain', '浦东', '2026-11-23 06:00:00')"
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-23 --format csv p.rv
expect_eq 3 "$(sqlite3 s.db "SELECT count(*) FROM obligations WHERE subject_id = 'K-1' OR subject_id = 'K-2'")" "obligations in the store"
