INSERT INTO customers(id, name, mobile, created_at) VALUES
  ('C-1', '王芳', '13800000001', '2025-01-01 00:00:00'),
  ('C-3', '陈静', '13800000003', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'repair', '2026-11-10 09:00:00', '2026-11-16 10:00:00'),
  ('K-2', 'C-1', 'repair', '2026-11-10 09:00:00', '2026-11-16 11:00:00'),
  ('K-3', 'C-3', 'repair', '2026-11-10 09:00:00', '2026-11-17 10:00:00'),
  ('K-4', 'C-3', 'repair', '2026-11-10 09:00:00', '2026-11-18 10:00:00'),
  ('K-5', 'C-3', 'repair', '2026-11-10 09:00:00', '2026-11-18 11:00:00'),
  ('K-6', 'C-3', 'repair', '2026-11-10 09:00:00', '2026-11-18 12:00:00');
-- visit 3 corrects visit 2 (K-2 done -> not reached); visit 6 corrects visit 5
-- (K-4's visit without an obligation id); visit 7 is after the run's day
INSERT INTO visits(id, obligation_id, customer_id, case_id, channel, at, outcome, corrects) VALUES
  (1, 'O-7c25bc60f0dc', 'C-1', 'K-1', 'phone', '2026-11-18 10:00:00', 'completed', NULL),
  (2, 'O-b4f93d1651f5', 'C-1', 'K-2', 'phone', '2026-11-18 10:30:00', 'completed', NULL),
  (3, 'O-b4f93d1651f5', 'C-1', 'K-2', 'phone', '2026-11-19 10:30:00', 'unreachable', 2),
  (4, NULL, 'C-3', 'K-3', 'phone', '2026-11-18 09:00:00', 'completed', NULL),
  (5, NULL, 'C-3', 'K-4', 'phone', '2026-11-19 09:00:00', 'completed', NULL),
  (6, NULL, 'C-3', 'K-4', 'phone', '2026-11-19 09:30:00', 'refused', 5),
  (7, 'O-5c0abea59fd2', 'C-3', 'K-5', 'phone', '2026-11-21 09:00:00', 'completed', NULL),
  (8, NULL, 'C-3', 'K-6', 'onsite', '2026-11-19 15:00:00', 'unreachable', NULL);
