INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', '张伟', '13812341234', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'complaint', '2026-01-30 09:00:00', '2026-01-31 10:00:00'),
  ('K-2', 'C-1', 'complaint', '2026-01-30 09:00:00', NULL),
  ('K-3', 'C-1', 'repair',    '2026-01-30 09:00:00', '2026-01-31 10:00:00'),
  ('K-4', 'C-1', 'complaint', '2025-12-01 09:00:00', '2025-12-31 10:00:00');
