-- bench/js/export.sql - input for bench/js/engine.js: cases of the subset's three
-- kinds, each joined with its customer's tier and do_not_contact (tab-separated),
-- then a line "--" and the obligation ids of completed visits of those cases.
.mode tabs
.headers off
SELECT s.id, s.customer_id, s.kind, s.subtype, s.severity, s.closed_at, c.tier, c.do_not_contact
FROM cases s JOIN customers c ON c.id = s.customer_id
WHERE s.kind IN ('complaint', 'repair', 'discharge');
SELECT '--';
SELECT v.obligation_id
FROM visits v JOIN cases s ON s.id = v.case_id
WHERE v.outcome = 'completed' AND v.obligation_id IS NOT NULL AND s.kind IN ('complaint', 'repair', 'discharge');
