# What a run counts as done, in a visits table of 30,000 rows where the
# visits that matter sit far apart: a correction thousands of rows after the
# visit it corrects (with and without an obligation id), a visit without an
# obligation id matched to its case by window, a completed visit naming the
# obligation.  One worker and two make the same due-list, and the right one.
. "$TOP/tests/lib.sh"
new_store one.db
sqlite3 -bail one.db "
INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', '王芳', '13800000001', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'repair', '2026-11-10 09:00:00', '2026-11-16 10:00:00'),
  ('K-2', 'C-1', 'repair', '2026-11-10 09:00:00', '2026-11-16 11:00:00'),
  ('K-3', 'C-1', 'repair', '2026-11-10 09:00:00', '2026-11-16 12:00:00'),
  ('K-4', 'C-1', 'repair', '2026-11-10 09:00:00', '2026-11-16 13:00:00'),
  ('K-5', 'C-1', 'repair', '2026-11-10 09:00:00', '2026-11-16 14:00:00');
-- 30000 visits that do not count (unreachable), then the ones that matter
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
INSERT INTO visits(id, obligation_id, customer_id, case_id, channel, at, outcome)
  SELECT i, 'O-000000000000', 'C-1', 'K-9', 'phone', '2026-11-17 10:00:00', 'unreachable' FROM n;
-- K-1: done in the lower half, corrected from the upper half: not done
INSERT OR REPLACE INTO visits(id, obligation_id, customer_id, case_id, channel, at, outcome, corrects) VALUES
  (5, 'O-c17c327488b7', 'C-1', 'K-1', 'phone', '2026-11-18 10:00:00', 'completed', NULL),
  (29000, 'O-c17c327488b7', 'C-1', 'K-1', 'phone', '2026-11-18 11:00:00', 'refused', 5),
-- K-2: a visit without an obligation id in the upper half: done
  (25000, NULL, 'C-1', 'K-2', 'phone', '2026-11-18 10:00:00', 'completed', NULL),
-- K-3: the same in the lower half, corrected from the upper half: not done
  (100, NULL, 'C-1', 'K-3', 'phone', '2026-11-18 10:00:00', 'completed', NULL),
  (29999, NULL, 'C-1', 'K-3', 'phone', '2026-11-18 11:00:00', 'refused', 100),
-- K-4: done in the upper half
  (28000, 'O-7bbe7b422b6a', 'C-1', 'K-4', 'phone', '2026-11-18 10:00:00', 'completed', NULL),
-- K-5: without an obligation id and corrected, both in the upper half: not done
  (27000, NULL, 'C-1', 'K-5', 'phone', '2026-11-18 10:00:00', 'completed', NULL),
  (29500, NULL, 'C-1', 'K-5', 'phone', '2026-11-18 11:00:00', 'refused', 27000);" || fail "fixture"
cp one.db two.db
cat > p.rv <<'P'
policy done_visits "维修回访" effective 2026-11-01 {
  applies to cases where kind = "repair"
  due within 1 week after closed_at
  channels phone
}
P
REVISIT_WORKERS=1 expect_rc 0 "$RV" run -s one.db --as-of 2026-11-20 --format csv p.rv
cp stdout.txt one.csv
REVISIT_WORKERS=2 expect_rc 0 "$RV" run -s two.db --as-of 2026-11-20 --format csv p.rv
expect_grep "^3 obligations: 0 overdue, 3 due, 0 upcoming; 2 already done;" stderr.txt
expect_eq "$(cat one.csv)" "$(cat stdout.txt)" "due-lists"
expect_eq "K-1
K-3
K-5" "$(tail -n +2 stdout.txt | cut -d, -f7 | sort)" "listed cases"
