# Recurring dates with reminders ahead of each occurrence and a regional
# exception written in the policy (R12); a chained "first within 1 week,
# then at least monthly" (R6); period functions; a working-day count that
# leaves the calendar's data warns.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
use calendar cn
policy toxic_filing "剧毒化学品备案提醒" effective 2026-01-01 {
  applies to customers where not (region in ["广州", "深圳", "珠海"])
  due at 30 days, 7 days before every 3 years from created_at
  channels phone
}
policy toxic_filing_cities "剧毒化学品备案提醒(三市每年)" effective 2026-01-01 {
  applies to customers where region in ["广州", "深圳", "珠海"]
  due at 30 days, 7 days before every 1 year from created_at
  channels phone
}
policy chronic "慢性病随访" effective 2026-01-01 {
  applies to cases where kind = "discharge" and severity = "chronic"
  due within 1 week after closed_at
  due every month from closed_at + 1 week
  channels phone
}
policy archive "回访记录归档" effective 2026-01-01 {
  applies to cases where kind = "complaint"
  due immediately after start_of_quarter(closed_at + 1 quarter) + 9 days
  channels letter
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, mobile, region, created_at) VALUES
  ('C-1', '化工一厂', '13800000051', '广州', '2024-12-15 09:00:00'),
  ('C-2', '化工二厂', '13800000052', '上海', '2023-12-15 09:00:00');
INSERT INTO cases(id, customer_id, kind, severity, opened_at, closed_at) VALUES
  ('K-1', 'C-2', 'discharge', 'chronic', '2026-08-01 09:00:00', '2026-08-10 10:00:00'),
  ('K-2', 'C-2', 'complaint', NULL, '2026-08-01 09:00:00', '2026-08-20 10:00:00');
P
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --horizon 30 --format csv p.rv
# C-1 (Guangzhou, yearly): 2026-12-15 occurrence -> reminders 11-15 (overdue) and 12-08 (upcoming)
expect_grep 'toxic_filing_cities,1,C-1,.*,2026-11-15,2026-11-15,' stdout.txt
expect_grep 'toxic_filing_cities,1,C-1,.*,2026-12-08,2026-12-08,' stdout.txt
# C-2 (Shanghai, every 3 years): 2026-12-15 -> the same two reminders under the other policy
expect_grep 'toxic_filing,1,C-2,.*,2026-11-15,2026-11-15,' stdout.txt
expect_eq 0 "$(grep -c 'toxic_filing,1,C-1' stdout.txt)" "C-1 under the three-yearly policy"
# chronic: first within a week (08-17), then monthly windows from 08-17
expect_grep 'chronic,1,C-2,.*,K-1,2026-08-10,2026-08-17,' stdout.txt
expect_grep 'chronic,1,C-2,.*,K-1,2026-08-17,2026-09-17,' stdout.txt
expect_grep 'chronic,1,C-2,.*,K-1,2026-09-18,2026-10-17,' stdout.txt
expect_grep 'chronic,1,C-2,.*,K-1,2026-11-18,2026-12-17,' stdout.txt
# archive: 10th day of the next quarter
expect_grep 'archive,1,C-2,.*,K-2,2026-10-10,2026-10-10,' stdout.txt
# 3 working days counted in 2027 leave the cn data: a warning, not silence
cat > w.rv <<'P'
use calendar cn
policy late "跨年" effective 2026-01-01 {
  applies to cases where kind = "complaint"
  due 3 working days before closed_at + 5 months
  channels phone
}
P
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format csv w.rv
expect_grep "warning: policy late counts working days on 2027-01-20, outside the dates calendar cn has data for" stderr.txt
