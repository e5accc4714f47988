# Publishing, history, effective dating, the semantic diff and the impact
# of "within 5 days" -> "within 3 working days" on a fixture month.
. "$TOP/tests/lib.sh"
cat > v1.rv <<'X'
use calendar cn
policy complaint "投诉回访" version 1 effective 2026-09-01 {
  applies to cases where kind = "complaint"
  due within 5 days after closed_at
  coverage 100%
  channels phone
  assign steward
}
X
# the same meaning, laid out differently and commented
cat > v1b.rv <<'X'
use calendar cn
# 投诉回访: reformatted
policy complaint "投诉回访" version 1 effective 2026-09-01 { applies to cases where (kind = "complaint")
  assign steward   channels phone
  due within 5 days after closed_at   coverage 100%   }
X
sed 's/version 1 effective 2026-09-01/version 2 effective 2026-10-15/; s/due within 5 days after closed_at/due within 3 working days after closed_at/' v1.rv > v2.rv
sed 's/due within 5 days after closed_at/due within 3 working days after closed_at/' v1.rv > v1changed.rv
cat > f.sql <<'X'
INSERT INTO customers(id, name, created_at) VALUES ('C-1', '甲', '2025-01-01 00:00:00');
INSERT INTO staff(id, role) VALUES ('S-1', 'steward');
-- K-1 closed on Thursday 2026-10-08
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'complaint', '2026-10-08 09:00:00', '2026-10-08 10:00:00'),
  ('K-2', 'C-1', 'complaint', '2026-10-19 09:00:00', '2026-10-19 10:00:00'),
  ('K-3', 'C-1', 'complaint', '2026-10-26 09:00:00', '2026-10-26 10:00:00');
-- K-1 visited on 10-13 (in time for 5 days, late for 3 working days); K-2 on 10-20 (in time for both)
INSERT INTO visits(customer_id, case_id, channel, staff_id, at, outcome) VALUES
  ('C-1', 'K-1', 'phone', 'S-1', '2026-10-13 09:00:00', 'completed'),
  ('C-1', 'K-2', 'phone', 'S-1', '2026-10-20 09:00:00', 'completed');
-- K-3 closed Monday 10-26, visited Friday 10-30: 5 days -> 10-31, met; 3 working days -> Thu 10-29, late
INSERT INTO visits(customer_id, case_id, channel, staff_id, at, outcome) VALUES
  ('C-1', 'K-3', 'phone', 'S-1', '2026-10-30 09:00:00', 'completed');
X
new_store s.db f.sql
expect_rc 0 "$RV" publish -s s.db v1.rv --by 合规部 --message "首版"
expect_grep "complaint version 1 published" stdout.txt
expect_rc 0 "$RV" publish -s s.db v1b.rv --by 合规部 --message "重排"
expect_grep "complaint version 1: unchanged, already published" stdout.txt
expect_rc 1 "$RV" publish -s s.db v1changed.rv --by 合规部 --message "改期限"
expect_grep "already published with a different meaning: raise its version" stderr.txt
expect_rc 0 "$RV" publish -s s.db v2.rv --by 合规部 --message "三个工作日"
expect_rc 0 "$RV" history -s s.db complaint
expect_grep "^1 .*2026-09-01 .*合规部.*首版" stdout.txt
expect_grep "^2 .*2026-10-15 .*三个工作日" stdout.txt
# the semantic diff
expect_rc 1 "$RV" diff v1.rv v2.rv
expect_grep "complaint: version 1 -> 2" stdout.txt
expect_grep "complaint: effective 2026-09-01 -> 2026-10-15" stdout.txt
expect_grep "complaint: deadline: due within 5 days after closed_at -> due within 3 working days after closed_at" stdout.txt
expect_rc 0 "$RV" diff v1.rv v1b.rv
expect_grep "no change in meaning" stdout.txt
expect_rc 1 "$RV" diff -s s.db complaint@v1 complaint@v2
expect_grep "deadline: due within 5 days after closed_at -> due within 3 working days after closed_at" stdout.txt
sed 's/coverage 100%/coverage 30%/; s/channels phone/channels phone, sms/; s/kind = "complaint"/kind = "complaint" and severity = "major"/' v1.rv > v1other.rv
expect_rc 1 "$RV" diff v1.rv v1other.rv
expect_grep "complaint: coverage 100% -> coverage 30%" stdout.txt
expect_grep "complaint: channel added: sms" stdout.txt
expect_grep 'complaint: selection narrowed: added condition severity = "major"' stdout.txt
# effective dating: running the v2 file before 2026-10-15 uses the published v1
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-09 --format csv v2.rv
expect_grep ',complaint,1,C-1,.*,K-1,2026-10-08,2026-10-13,' stdout.txt
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-20 --format csv --horizon 0 v2.rv
expect_eq "1" "$(sqlite3 s.db "SELECT version FROM obligations WHERE case_id = 'K-1'")" "K-1 keeps the version that made it due"
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-20 --published --format csv
expect_rc 2 "$RV" run -s s.db --published v2.rv
# impact of only the deadline change (same effective date) on October, by hand:
#   K-1 closed Thu 10-08: 5 days -> 10-13; 3 working days -> 10-12 (Sat 10-10 is a make-up day);
#       visited 10-13: met -> late
#   K-2 closed Mon 10-19: 10-24 -> 10-22; visited 10-20: met -> met
#   K-3 closed Mon 10-26: 10-31 -> 10-29; visited 10-30: met -> late
expect_rc 0 "$RV" impact -s s.db --period 2026-10 --as-of 2026-11-30 v1.rv v1changed.rv
expect_grep "obligations: 3 -> 3 (0 added, 0 removed); deadlines earlier 3, later 0; verdicts flipped 2" stdout.txt
expect_grep "K-1 .*deadline earlier  *due by 2026-10-13 -> 2026-10-12; met -> late" stdout.txt
expect_grep "K-2 .*deadline earlier  *due by 2026-10-24 -> 2026-10-22; met -> met" stdout.txt
expect_grep "K-3 .*deadline earlier  *due by 2026-10-31 -> 2026-10-29; met -> late" stdout.txt
expect_grep "coverage: 3 of 3 -> 1 of 3 eligible visited on time" stdout.txt
# with v2's later effective date K-1 is no longer in scope at all
expect_rc 0 "$RV" impact -s s.db --period 2026-10 --as-of 2026-11-30 --format csv v1.rv v2.rv
expect_grep ',K-1,removed,"was due by 2026-10-13"' stdout.txt
# impact never writes to the store
expect_eq 0 "$(sqlite3 s.db "SELECT count(*) FROM verdicts")" "no verdicts written by impact"
# a published version carries the question sets declared beside it
new_store q.db "$TOP/docs/examples/small.sql"
expect_rc 0 "$RV" publish -s q.db "$TOP/docs/examples/readme.rv" --by a --message m
expect_rc 0 "$RV" run -s q.db --published --as-of 2026-10-20 --format csv
expect_grep ',K-7,2026-09-30,2026-10-10,.*property_five(5)' stdout.txt
