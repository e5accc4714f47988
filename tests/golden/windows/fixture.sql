ALTER TABLE customers ADD COLUMN contact_window TEXT;
INSERT INTO customers(id, name, mobile, contact_window, created_at) VALUES
  ('C-1', '周杰', '13800000021', NULL, '2025-01-01 00:00:00'),
  ('C-2', '吴敏', '13800000022', '16:00-17:00', '2025-01-01 00:00:00'),
  ('C-3', '郑强', '13800000023', '12:00-13:00', '2025-01-01 00:00:00');
-- Friday 2026-11-20 20:30: after today's windows; Saturday's are open unless
-- the policy restricts itself to working days
INSERT INTO cases(id, customer_id, kind, subtype, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'repair', 'urgent', '2026-11-20 08:00:00', '2026-11-20 20:30:00'),
  ('K-2', 'C-2', 'repair', 'urgent', '2026-11-20 08:00:00', '2026-11-20 20:30:00'),
  ('K-3', 'C-3', 'repair', 'urgent', '2026-11-20 08:00:00', '2026-11-20 09:00:00');
