-- bench/sql/subset.sql - the benchmark's policy subset (bench/policies/subset.rv)
-- as hand-written SQL, run by the sqlite3 shell against a revisit store:
--
--   sqlite3 -readonly -bail \
--     -cmd ".load bench/build/sha256ext" \
--     -cmd "CREATE TEMP TABLE params AS SELECT '2026-12-15' AS a, 7 AS horizon" \
--     -cmd "CREATE TEMP TABLE cal(day TEXT PRIMARY KEY, workday INTEGER) WITHOUT ROWID" \
--     -cmd ".import --csv --skip 1 bench/out/cn_days.csv cal" \
--     STORE < bench/sql/subset.sql > due.csv
--
-- It prints the due-list with revisit's identifying columns, in revisit's order.
-- What it hard-codes from the policies: ids, versions, effective dates
-- (2026-01-01, the first of a month: the sample groups need no partial month),
-- the kinds, the schedules, the 30 % rate, the channels, the assign and
-- priority lines (no fallbacks: staff availability cannot change them).
.mode csv
.headers on

-- working days: n-th working day in order, and "3 working days after" for every day
CREATE TEMP TABLE wd AS SELECT row_number() OVER (ORDER BY day) AS n, day FROM cal WHERE workday = 1;
CREATE INDEX temp.wd_n ON wd(n);
CREATE TEMP TABLE wd3(day TEXT PRIMARY KEY, due TEXT) WITHOUT ROWID;
INSERT INTO wd3
SELECT c.day, w.day
FROM (SELECT day, (SELECT count(*) FROM wd WHERE wd.day <= cal.day) AS k FROM cal) AS c
JOIN wd w ON w.n = c.k + 3;

WITH
p AS (SELECT a, date(a, '+' || horizon || ' days') AS h, substr(a, 1, 7) || '-01' AS month_start,
             date(a, '+1 day') AS next_day FROM params),

-- bench_complaint: due within 3 working days after closed_at
comp AS (
  SELECT s.id AS case_id, s.customer_id AS cust, substr(s.closed_at, 1, 10) AS t,
         'O-' || substr(sha256hex('bench_complaint' || char(31) || 'cases' || char(31) || s.id || char(31) || '1.1'), 1, 12) AS id,
         CASE WHEN s.severity = 'major' THEN 'project_manager' ELSE 'department_supervisor+steward' END AS assignees,
         CASE c.tier WHEN 'large' THEN 1 WHEN 'important' THEN 2 ELSE 3 END AS priority
  FROM p, cases s JOIN customers c ON c.id = s.customer_id
  WHERE s.kind = 'complaint' AND s.closed_at >= '2026-01-01' AND s.closed_at < p.next_day
    AND c.do_not_contact = 0),
comp_ob AS (
  SELECT id, 'bench_complaint' AS policy, cust, case_id, t AS due_from, w.due AS due_by,
         'phone,onsite' AS channels, assignees, priority
  FROM comp JOIN wd3 w ON w.day = comp.t),

-- bench_repair_sample: 30 % per month, drawn once the month is over
rep AS (
  SELECT s.id AS case_id, s.customer_id AS cust, substr(s.closed_at, 1, 10) AS t, substr(s.closed_at, 1, 7) AS g,
         substr(sha256hex('bench_repair_sample|1|bench_repair_sample|' || s.id), 1, 16) AS k
  FROM p, cases s JOIN customers c ON c.id = s.customer_id
  WHERE s.kind = 'repair' AND s.closed_at >= '2026-01-01' AND s.closed_at < p.month_start
    AND c.do_not_contact = 0),
rep_ranked AS (
  SELECT *, row_number() OVER (PARTITION BY g ORDER BY k, case_id) AS rk, count(*) OVER (PARTITION BY g) AS n
  FROM rep),
rep_ob AS (
  SELECT 'O-' || substr(sha256hex('bench_repair_sample' || char(31) || 'cases' || char(31) || case_id || char(31) || '1.1'), 1, 12) AS id,
         'bench_repair_sample' AS policy, cust, case_id, t AS due_from, date(t, '+7 days') AS due_by,
         'phone,onsite' AS channels, 'steward' AS assignees, 3 AS priority
  FROM rep_ranked WHERE rk <= (3000 * n + 9999) / 10000),

-- bench_discharge: at 1 day, 1 week, 1 month, 3 months after closed_at
dis AS (
  SELECT s.id AS case_id, s.customer_id AS cust, substr(s.closed_at, 1, 10) AS t,
         CASE WHEN s.severity = 'critical' THEN 1 ELSE 3 END AS priority
  FROM p, cases s JOIN customers c ON c.id = s.customer_id
  WHERE s.kind = 'discharge' AND s.closed_at >= '2026-01-01' AND s.closed_at < p.next_day
    AND c.do_not_contact = 0),
pts(occ, unit, n) AS (VALUES ('1.1', 'd', 1), ('1.2', 'd', 7), ('1.3', 'm', 1), ('1.4', 'm', 3)),
dis_pt AS (
  SELECT dis.*, pts.occ,
         CASE pts.unit WHEN 'd' THEN date(t, '+' || pts.n || ' days')
         ELSE (SELECT CASE WHEN CAST(substr(t, 9, 2) AS INTEGER) > CAST(substr(last, 9, 2) AS INTEGER) THEN last
                           ELSE substr(first, 1, 8) || substr(t, 9, 2) END
               FROM (SELECT date(t, 'start of month', '+' || pts.n || ' months') AS first,
                            date(t, 'start of month', '+' || (pts.n + 1) || ' months', '-1 day') AS last))
         END AS due
  FROM dis, pts),
dis_ob AS (
  SELECT 'O-' || substr(sha256hex('bench_discharge' || char(31) || 'cases' || char(31) || case_id || char(31) || occ), 1, 12) AS id,
         'bench_discharge' AS policy, cust, case_id, due AS due_from, due AS due_by,
         'phone,onsite,letter' AS channels, 'attending_doctor' AS assignees, priority
  FROM dis_pt),

allob AS (SELECT * FROM comp_ob UNION ALL SELECT * FROM rep_ob UNION ALL SELECT * FROM dis_ob),
listed AS (
  SELECT o.*, CASE WHEN o.due_from > p.a THEN 'upcoming' WHEN o.due_by < p.a THEN 'overdue' ELSE 'due' END AS status
  FROM allob o, p
  WHERE o.due_from <= p.h
    AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.obligation_id = o.id AND v.outcome = 'completed'))
SELECT id, policy, 1 AS version, cust AS customer, case_id AS "case", due_from, due_by, channels, assignees,
       priority, status
FROM listed
ORDER BY CASE status WHEN 'overdue' THEN 0 WHEN 'due' THEN 1 ELSE 2 END, priority, due_by, policy, customer, id;
