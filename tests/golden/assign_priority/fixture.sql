INSERT INTO customers(id, name, tier, mobile, created_at) VALUES
  ('C-1', '大客户', 'large', '13800000011', '2025-01-01 00:00:00'),
  ('C-2', '重要客户', 'important', '13800000012', '2025-01-01 00:00:00'),
  ('C-3', '普通客户', 'ordinary', '13800000013', '2025-01-01 00:00:00');
INSERT INTO staff(id, name, role, department, active) VALUES
  ('S-1', '赵经理', 'project_manager', 'property', 1),
  ('S-2', '钱前经理', 'former_project_manager', 'construction', 1),
  ('S-3', '孙队', 'project_team', 'construction', 0);
INSERT INTO cases(id, customer_id, kind, severity, department, opened_at, closed_at) VALUES
  ('K-1', 'C-3', 'complaint', 'major', 'cleaning', '2026-11-18 09:00:00', '2026-11-19 10:00:00'),
  ('K-2', 'C-2', 'complaint', 'general', 'construction', '2026-11-18 09:00:00', '2026-11-19 10:00:00'),
  ('K-3', 'C-1', 'complaint', 'general', 'cleaning', '2026-11-18 09:00:00', '2026-11-19 10:00:00'),
  ('K-4', 'C-3', 'complaint', 'general', 'cleaning', '2026-11-01 09:00:00', '2026-11-02 10:00:00');
