# Reminders before the next appointment (R13): 1 day before, computed from
# events; no appointment -> nothing due.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
policy booking_reminder "预约提醒" effective 2026-01-01 {
  applies to cases where kind = "booking"
  due 1 day before next(events where kind = "appointment" and case_id = this.id, after opened_at)
  channels sms, phone
  assign customer_service
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', '何静', '13800000041', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at) VALUES
  ('K-1', 'C-1', 'booking', '2026-11-10 09:00:00'), ('K-2', 'C-1', 'booking', '2026-11-10 09:00:00');
INSERT INTO events(id, customer_id, case_id, kind, at) VALUES ('E-1', 'C-1', 'K-1', 'appointment', '2026-11-25 14:00:00');
P
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv
expect_eq 1 "$(tail -n +2 stdout.txt | wc -l | tr -d ' ')" "reminders"
expect_grep 'K-1,2026-11-24,2026-11-24' stdout.txt
