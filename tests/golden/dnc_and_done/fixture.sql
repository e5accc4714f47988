INSERT INTO customers(id, name, mobile, do_not_contact, created_at) VALUES
  ('C-1', '王芳', '13800000001', 0, '2025-01-01 00:00:00'),
  ('C-2', '刘洋', '13800000002', 1, '2025-01-01 00:00:00'),
  ('C-3', '陈静', '13800000003', 0, '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'repair', '2026-11-10 09:00:00', '2026-11-16 10:00:00'),
  ('K-2', 'C-2', 'repair', '2026-11-10 09:00:00', '2026-11-16 10:00:00'),
  ('K-3', 'C-3', 'repair', '2026-11-10 09:00:00', '2026-11-17 10:00:00'),
  ('K-4', 'C-3', 'repair', '2026-11-10 09:00:00', '2026-11-18 10:00:00');
-- K-3's obligation was completed; K-4's attempt was unreachable
INSERT INTO visits(obligation_id, customer_id, case_id, channel, at, outcome) VALUES
  ('O-0c006701caec', 'C-3', 'K-3', 'phone', '2026-11-18 10:00:00', 'completed'),
  ('O-cbe4ad06b4f9', 'C-3', 'K-4', 'phone', '2026-11-19 10:00:00', 'unreachable');
