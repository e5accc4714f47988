# Escalations: repeats over a calendar quarter and over all time, a
# dissatisfied answer the same day, and a chain climbed one level per run
# when nobody acknowledges; acknowledgement stops the climb.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
policy complaints "投诉回访" effective 2026-01-01 {
  applies to cases where kind = "complaint"
  due within 3 days after closed_at
  channels phone
  dissatisfied below 3
  escalate repeat_complaint to project_manager within 5 days
    when count(cases where kind = "complaint" and customer_id = this.customer_id and subject = this.subject, same quarter) >= 2
    once per customer_id, subject, quarter
  escalate unhappy to department_supervisor on dissatisfied
  escalate unanswered to team_lead then deputy_director then director within 1 day on missed
}
policy repairs "维修回访" effective 2026-01-01 {
  applies to cases where kind = "repair"
  due within 7 days after closed_at
  channels phone
  escalate repeat_repair to project_manager
    when count(cases where kind = "repair" and customer_id = this.customer_id and subject = this.subject) >= 3
    once per customer_id, subject
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, created_at) VALUES ('C-1', '甲', '2025-01-01 00:00:00'), ('C-2', '乙', '2025-01-01 00:00:00'),
  ('C-3', '丙', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, subject, opened_at, closed_at) VALUES
  -- C-1: the same matter twice in 2026-Q3 -> one escalation citing both
  ('K-1', 'C-1', 'complaint', '电梯噪音', '2026-07-10 09:00:00', '2026-07-11 09:00:00'),
  ('K-2', 'C-1', 'complaint', '电梯噪音', '2026-09-20 09:00:00', '2026-09-21 09:00:00'),
  -- C-2: once in Q2, once in Q3 -> none
  ('K-3', 'C-2', 'complaint', '保洁不及时', '2026-06-20 09:00:00', '2026-06-21 09:00:00'),
  ('K-4', 'C-2', 'complaint', '保洁不及时', '2026-07-05 09:00:00', '2026-07-06 09:00:00'),
  -- C-3: the same repair three times -> one escalation; another item twice -> none
  ('R-1', 'C-3', 'repair', '厨房水管', '2026-03-01 09:00:00', '2026-03-02 09:00:00'),
  ('R-2', 'C-3', 'repair', '厨房水管', '2026-05-01 09:00:00', '2026-05-02 09:00:00'),
  ('R-3', 'C-3', 'repair', '厨房水管', '2026-09-01 09:00:00', '2026-09-02 09:00:00'),
  ('R-4', 'C-3', 'repair', '门锁', '2026-09-01 09:00:00', '2026-09-02 09:00:00'),
  ('R-5', 'C-3', 'repair', '门锁', '2026-09-05 09:00:00', '2026-09-06 09:00:00');
P
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-09-22 --format csv p.rv
expect_grep "2 escalations raised" stderr.txt
expect_rc 0 "$RV" escalations -s s.db --format csv --as-of 2026-09-22
expect_eq 3 "$(wc -l < stdout.txt | tr -d ' ')" "header + 2 escalations"
expect_grep ',complaints,1,repeat_complaint,0,project_manager,C-1,K-[12],2026-09-22,2026-09-27,2,open' stdout.txt
expect_grep ',repairs,1,repeat_repair,0,project_manager,C-3,R-[123],2026-09-22,2026-09-22,3,open' stdout.txt
expect_nogrep 'C-2' stdout.txt
e=$(grep repeat_complaint stdout.txt | cut -d, -f1)
expect_rc 0 "$RV" explain -s s.db "$e"
expect_grep '  K-1  complaint  电梯噪音' stdout.txt
expect_grep '  K-2  complaint  电梯噪音' stdout.txt
expect_grep '"quarter":"2026-Q3"' stdout.txt
# a second run raises nothing new
expect_rc 0 "$RV" run -s s.db --as-of 2026-09-22 --format csv p.rv
expect_nogrep "escalation" stderr.txt
# a dissatisfied answer on K-2's visit: escalated the day of the visit
o2=$(sqlite3 s.db "SELECT id FROM obligations WHERE case_id = 'K-2'")
expect_rc 0 "$RV" record -s s.db --obligation "$o2" --channel phone --at "2026-09-22 10:00" --outcome completed --satisfaction 2 --reason 噪音仍在
# judging the quarter: K-2 met but dissatisfied -> the department the same day;
# K-1 and K-4 were missed -> each starts the chain at the team lead
expect_rc 0 "$RV" verdicts -s s.db --period 2026-Q3 --as-of 2026-09-22 --list
expect_grep "3 escalations raised" stdout.txt
expect_rc 0 "$RV" escalations -s s.db --format csv --as-of 2026-09-22
expect_grep ',complaints,1,unhappy,0,department_supervisor,C-1,K-2,2026-09-22,2026-09-22,1,open' stdout.txt
expect_grep ',complaints,1,unanswered,0,team_lead,C-1,K-1,2026-09-22,2026-09-23,1,open' stdout.txt
# judging again raises nothing new
expect_rc 0 "$RV" verdicts -s s.db --period 2026-Q3 --as-of 2026-09-23
expect_nogrep "escalation" stdout.txt
expect_rc 0 "$RV" escalations -s s.db --format csv --as-of 2026-09-23
miss=$(grep ',unanswered,0,team_lead,C-2,K-4,' stdout.txt | cut -d, -f1)
[ -n "$miss" ] || fail "no team_lead escalation for the missed K-4: $(cat stdout.txt)"
# not acknowledged by its deadline: the next run raises the deputy director, once
k1=$(grep ',unanswered,0,team_lead,C-1,K-1,' stdout.txt | cut -d, -f1)
expect_rc 0 "$RV" ack -s s.db "$k1" --by S-9 --note "已回访"
expect_rc 0 "$RV" run -s s.db --as-of 2026-09-26 --format csv p.rv
expect_rc 0 "$RV" run -s s.db --as-of 2026-09-26 --format csv p.rv
expect_eq 1 "$(sqlite3 s.db "SELECT count(*) FROM escalations WHERE rule = 'unanswered' AND level = 1")" "deputy director raised once (K-1's was acknowledged)"
expect_eq "deputy_director" "$(sqlite3 s.db "SELECT target FROM escalations WHERE parent_id = '$miss'")" "level 2 target"
# acknowledging the deputy director's stops the climb
dep=$(sqlite3 s.db "SELECT id FROM escalations WHERE parent_id = '$miss'")
expect_rc 0 "$RV" ack -s s.db "$dep" --by S-9 --note "已联系客户"
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-05 --format csv p.rv
expect_eq 0 "$(sqlite3 s.db "SELECT count(*) FROM escalations WHERE rule = 'unanswered' AND level = 2")" "director not raised"
expect_rc 0 "$RV" escalations -s s.db --as-of 2026-10-05 --open
expect_grep "acknowledged" stdout.txt
expect_nogrep "$miss" stdout.txt
expect_rc 1 "$RV" ack -s s.db E-000000000000 --by S-9
