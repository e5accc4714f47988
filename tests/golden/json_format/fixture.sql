INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', 'Liam O''Brien', '13612345678', '2025-01-01 00:00:00'),
  ('C-2', '''); DROP TABLE visits; --', NULL, '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'complaint', '2026-11-18 09:00:00', '2026-11-19 10:00:00'),
  ('K-2', 'C-2', 'complaint', '2026-11-18 09:00:00', '2026-11-19 10:00:00');
