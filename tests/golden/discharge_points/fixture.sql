INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', '李娜', '13912345678', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'discharge', '2026-01-20 09:00:00', '2026-01-31 15:00:00');
