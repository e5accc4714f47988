-- A small store for the examples of docs/commands.md:
--   revisit init s.db && sqlite3 -bail s.db < docs/examples/small.sql
INSERT INTO customers(id, name, tier, mobile, region, created_at) VALUES
  ('C-1042', '王芳', 'ordinary', '13812345678', '浦东', '2024-03-01 09:00:00'),
  ('C-2001', '上海申达物业', 'large', '13900001111', '徐汇', '2023-06-15 10:00:00'),
  ('C-1077', '李强', 'ordinary', '13700002222', '浦东', '2025-01-10 14:00:00');
INSERT INTO staff(id, name, role, department, active) VALUES
  ('S-01', '张伟', 'project_manager', '物业一部', 1),
  ('S-02', '李娜', 'department_supervisor', '物业一部', 1),
  ('S-03', '王磊', 'steward', '物业一部', 1),
  ('S-04', '刘洋', 'steward', '物业二部', 1),
  ('S-05', '陈静', 'team_lead', '客服中心', 1),
  ('S-06', '周杰', 'director', NULL, 1);
INSERT INTO cases(id, customer_id, kind, subject, severity, department, opened_at, closed_at) VALUES
  ('K-7', 'C-1042', 'complaint', '电梯噪音', 'minor', '物业一部', '2026-09-29 09:00:00', '2026-09-30 16:00:00'),
  ('K-8', 'C-2001', 'complaint', '保洁不及时', 'major', '物业一部', '2026-10-08 10:00:00', '2026-10-09 11:00:00'),
  ('R-1', 'C-1077', 'repair', '厨房水管', NULL, '物业二部', '2026-10-09 08:00:00', '2026-10-12 10:00:00'),
  ('R-2', 'C-1077', 'repair', '厨房水管', NULL, '物业二部', '2026-10-13 08:00:00', '2026-10-14 15:00:00'),
  ('R-3', 'C-1042', 'repair', '门锁', NULL, '物业一部', '2026-10-12 08:00:00', '2026-10-13 09:00:00');
