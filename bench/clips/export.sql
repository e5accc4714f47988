-- bench/clips/export.sql - the facts for bench/clips/subset.clp, from a revisit
-- store, with the sha256ext extension loaded (see subset.clp for what is
-- precomputed and why).  Cases of the subset's three kinds, each joined with its
-- customer's tier and do_not_contact, with the obligation ids and sampling key
-- its own kind's policy needs (nil in the other slots); completed visits of
-- those cases.
--
-- Each line starts with its batch and a tab.  Every rule of the subset reads
-- one case and the visits of that case's obligations, except the repair
-- sample, which ranks the repairs closed in one month: so a repair's batch is
-- its closing month ("r2026-11"; "rnone" while open), and the complaints and
-- discharges go in blocks of 100,000 case rowids ("c3").  bench/clips/run
-- loads and runs the batches one by one, each on its own.
.mode list
.separator "\t"
.headers off
SELECT CASE s.kind WHEN 'repair' THEN 'r' || ifnull(substr(s.closed_at, 1, 7), 'none') ELSE 'c' || (s.rowid / 100000) END,
  '(case (id "' || s.id || '") (customer "' || s.customer_id || '") (kind ' || s.kind || ')'
  || ' (subtype ' || ifnull(s.subtype, 'nil') || ') (severity ' || ifnull(s.severity, 'nil') || ')'
  || ' (closed ' || ifnull(CAST(julianday(substr(s.closed_at, 1, 10)) - 2440587.5 AS INTEGER), 'nil') || ')'
  || ' (tier ' || c.tier || ') (dnc ' || c.do_not_contact || ')'
  || CASE s.kind
     WHEN 'complaint' THEN
       ' (oc "O-' || substr(sha256hex('bench_complaint' || char(31) || 'cases' || char(31) || s.id || char(31) || '1.1'), 1, 12) || '")'
     WHEN 'repair' THEN
       ' (skey "' || substr(sha256hex('bench_repair_sample|1|bench_repair_sample|' || s.id), 1, 16) || '")'
       || ' (or "O-' || substr(sha256hex('bench_repair_sample' || char(31) || 'cases' || char(31) || s.id || char(31) || '1.1'), 1, 12) || '")'
     ELSE
       ' (od1 "O-' || substr(sha256hex('bench_discharge' || char(31) || 'cases' || char(31) || s.id || char(31) || '1.1'), 1, 12) || '")'
       || ' (od2 "O-' || substr(sha256hex('bench_discharge' || char(31) || 'cases' || char(31) || s.id || char(31) || '1.2'), 1, 12) || '")'
       || ' (od3 "O-' || substr(sha256hex('bench_discharge' || char(31) || 'cases' || char(31) || s.id || char(31) || '1.3'), 1, 12) || '")'
       || ' (od4 "O-' || substr(sha256hex('bench_discharge' || char(31) || 'cases' || char(31) || s.id || char(31) || '1.4'), 1, 12) || '")'
     END || ')'
FROM cases s JOIN customers c ON c.id = s.customer_id
WHERE s.kind IN ('complaint', 'repair', 'discharge');
SELECT CASE s.kind WHEN 'repair' THEN 'r' || ifnull(substr(s.closed_at, 1, 7), 'none') ELSE 'c' || (s.rowid / 100000) END,
  '(done (id "' || v.obligation_id || '"))'
FROM visits v JOIN cases s ON s.id = v.case_id
WHERE v.outcome = 'completed' AND v.obligation_id IS NOT NULL AND s.kind IN ('complaint', 'repair', 'discharge');
