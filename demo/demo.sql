-- revisit demo data set.
-- Fills an EXISTING store (run `revisit init demo.db` first), then:
--     sqlite3 -bail demo.db < demo/demo.sql
-- Deterministic: no random(), no 'now'. Variety comes from arithmetic on row numbers.
-- The demo "as-of" date is 2026-11-20; nothing is closed after 2026-11-19, and some
-- appointments lie after the as-of date.
-- Extra columns used by some policies: cases.product, cases.premium_mode.

BEGIN;

ALTER TABLE cases ADD COLUMN product TEXT;       -- insurance product type
ALTER TABLE cases ADD COLUMN premium_mode TEXT;  -- 'periodic' | 'single'

-- ---------------------------------------------------------------- staff (40)
INSERT INTO staff(id, name, role, department, active) VALUES
 ('S-01','周建华','project_manager','property',1),  ('S-02','钱立新','project_manager','property',1),
 ('S-03','孙雅琴','project_manager','property',1),  ('S-04','李晓燕','steward','service',1),
 ('S-05','王海峰','steward','service',1),           ('S-06','陈佳怡','steward','service',1),
 ('S-07','赵德明','steward','service',1),           ('S-08','刘思雨','steward','service',1),
 ('S-09','黄文斌','steward','service',0),
 ('S-10','吴国强','department_supervisor','engineering',1),
 ('S-11','郑丽萍','department_supervisor','cleaning',1),
 ('S-12','冯志刚','department_supervisor','security',1),
 ('S-13','朱永康','department_supervisor','gas_north',1),
 ('S-14','何春梅','department_supervisor','gas_south',1),
 ('S-15','林振宇','attending_doctor','surgery',1),  ('S-16','高俊杰','attending_doctor','surgery',1),
 ('S-17','罗伟','attending_doctor','surgery',0),    ('S-18','梁静','attending_doctor','internal',1),
 ('S-19','谢明辉','attending_doctor','internal',1), ('S-20','宋婷婷','attending_doctor','internal',1),
 ('S-21','唐慧敏','attending_doctor','gynecology',1),
 ('S-22','许佳','customer_service','service',1),    ('S-23','韩雪','customer_service','service',1),
 ('S-24','邓丽君','customer_service','service',1),  ('S-25','肖楠','customer_service','service',1),
 ('S-26','曾晓东','customer_service','service',1),
 ('S-27','曹颖','medical_adviser','optometry',1),   ('S-28','彭浩','medical_adviser','optometry',1),
 ('S-29','蒋文杰','sales','sales',1),               ('S-30','沈美玲','sales','sales',1),
 ('S-31','姚军','sales','sales',1),                 ('S-32','卢芳','sales','sales',1),
 ('S-33','崔志强','sales','sales',0),
 ('S-34','田淑芬','team_lead','followup',1),
 ('S-35','董建国','deputy_director','followup',1),
 ('S-36','袁志远','director','followup',1),
 ('S-37','潘磊','branch_agent','gas_north',1),      ('S-38','姜勇','branch_agent','gas_north',1),
 ('S-39','蔡红','branch_agent','gas_south',1),      ('S-40','余涛','branch_agent','gas_south',1);

-- ------------------------------------------------------------ customers (300)
-- C-1001..C-1300. Every 20th is a corporate ('large') customer, n%8=3 'important'.
WITH RECURSIVE
seq(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM seq WHERE n < 300),
ch(sur, giv, cmp, co, ind) AS (SELECT
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤',
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红玲芬燕春菊凤洁梅琳云雪荣建国志文斌浩宇轩涵欣怡子晨俊博鹏飞德海波辉峰婷倩颖琪慧晶莉佳嘉瑞睿思雨晓鑫',
  '欧阳司马诸葛上官慕容',
  '华东申达浦江东方恒通金桥中瑞新宇百联宏远海纳博源德信万通星辰',
  '精密机械信息技术国际物流生物医药建设工程电子科技食品饮料'),
reg(ri, region, area, city, tel) AS (VALUES
  (0,'浦东','310115','上海市浦东新区','021'), (1,'徐汇','310104','上海市徐汇区','021'),
  (2,'静安','310106','上海市静安区','021'),   (3,'闵行','310112','上海市闵行区','021'),
  (4,'海淀','110108','北京市海淀区','010')),
street(ri, k, st) AS (VALUES
  (0,0,'张杨路'),(0,1,'世纪大道'),(0,2,'锦绣路'),  (1,0,'漕溪北路'),(1,1,'天钥桥路'),(1,2,'宜山路'),
  (2,0,'南京西路'),(2,1,'延安中路'),(2,2,'万航渡路'),(3,0,'虹梅路'),(3,1,'七莘路'),(3,2,'莘松路'),
  (4,0,'中关村大街'),(4,1,'学院路'),(4,2,'西三环北路')),
w(pos, wt) AS (VALUES (1,7),(2,9),(3,10),(4,5),(5,8),(6,4),(7,2),(8,1),(9,6),(10,3),
  (11,7),(12,9),(13,10),(14,5),(15,8),(16,4),(17,2)),          -- GB 11643 check weights
b AS (SELECT s.n, r.*, st.st,
  CASE WHEN s.n%20=0 THEN 'large' WHEN s.n%8=3 THEN 'important' ELSE 'ordinary' END AS tier,
  CASE WHEN s.n%20=0 THEN substr(r.city,1,2) || substr(ch.co, 1+2*((s.n/20)%15), 2)
         || substr(ch.ind, 1+4*((s.n/20*3)%7), 4) || '有限公司'
       ELSE CASE WHEN s.n%41=7 THEN substr(ch.cmp, 1+2*(s.n%5), 2)
                 ELSE substr(ch.sur, 1+(s.n*37)%length(ch.sur), 1) END
         || substr(ch.giv, 1+(s.n*53+11)%length(ch.giv), 1)
         || CASE WHEN (s.n*7)%10 < 7 THEN substr(ch.giv, 1+(s.n*29+5)%length(ch.giv), 1) ELSE '' END
  END AS name,
  CASE WHEN s.n%23=0 OR s.n%29=0 THEN NULL
       ELSE substr('138139150186137159135136158188177133', 1+3*((s.n*5)%12), 3)
            || printf('%08d', (s.n*48271 + 19260817) % 100000000) END AS mobile,
  r.area || printf('%04d%02d%02d%03d', 1950+(s.n*37)%53, 1+(s.n*7)%12, 1+(s.n*11)%28, (s.n*17)%1000) AS body
 FROM seq s, ch
 JOIN reg r ON r.ri = (s.n*3+1)%5
 JOIN street st ON st.ri = r.ri AND st.k = s.n%3)
INSERT INTO customers(id, name, tier, mobile, phone, email, wechat, address, region, id_number,
                      do_not_contact, created_at)
SELECT 'C-' || (1000+n), name, tier, mobile,
  CASE WHEN n%3=0 OR tier='large' THEN tel || '-' || (50000000 + (n*23757) % 40000000) END,
  CASE WHEN tier='large' THEN 'info@c' || (1000+n) || '.com.cn'
       WHEN n%6=1 THEN ((n*1037341) % 900000000 + 100000000) || '@qq.com'
       WHEN n%6=4 AND mobile IS NOT NULL THEN mobile || '@139.com'
       WHEN n%6=5 THEN 'cust' || printf('%04d', (n*13)%10000) || '@163.com' END,
  CASE WHEN tier='large' THEN NULL
       WHEN n%5 IN (0,2,3) THEN 'wxid_' || printf('%x%03x', (n*2654435761) % 4294967296, (n*40503+7)%4096)
       WHEN n%5=4 THEN mobile END,
  CASE WHEN tier='large' THEN city || st || (1+(n*37)%800) || '号' || (1+n%30) || '层'
       WHEN ri=4 THEN city || st || (1+(n*37)%200) || '号院' || (1+(n*13)%20) || '号楼'
                      || (1+n%6) || '单元' || ((1+(n*7)%20)*100 + 1 + n%4)
       ELSE city || st || (1+(n*37)%800) || '弄' || (1+(n*13)%40) || '号'
            || ((1+(n*7)%20)*100 + 1 + n%4) || '室' END,
  region,
  CASE WHEN tier='large' THEN NULL       -- corporate customers have no resident ID
       ELSE body || substr('10X98765432', (SELECT sum(substr(body,pos,1)*wt) FROM w) % 11 + 1, 1) END,
  CASE WHEN n%33=16 THEN 1 ELSE 0 END,
  CASE WHEN n%10=5 THEN datetime('2026-01-04', '+'||((n*7)%55)||' days', '+'||(9+n%9)||' hours', '+'||((n*7)%60)||' minutes')
       ELSE datetime('2024-01-01', '+'||((n*467)%730)||' days', '+'||(9+n%9)||' hours', '+'||((n*7)%60)||' minutes') END
FROM b ORDER BY n;

-- Names that exercise quoting and injection safety.
UPDATE customers SET name = 'Liam O''Brien' WHERE id = 'C-1013';
UPDATE customers SET name = '''); DROP TABLE visits; --' WHERE id = 'C-1066';
UPDATE customers SET name = '陈"小明"_%\' WHERE id = 'C-1109';

-- ------------------------------------------------ contacts (60, large tier only)
WITH RECURSIVE
seq(n) AS (SELECT 0 UNION ALL SELECT n+1 FROM seq WHERE n < 59),
ch(sur, giv) AS (SELECT '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾',
                        '伟芳敏静丽强磊军洋勇艳杰涛明超华玉红玲燕梅琳云雪荣建国志文斌浩宇鹏飞海波辉峰婷')
INSERT INTO contacts(id, customer_id, role, name, mobile)
SELECT printf('CT-%03d', n+1), 'C-' || (1000 + 20*(n/4 + 1)),
  CASE n%4 WHEN 0 THEN 'technical_lead' WHEN 1 THEN 'admin_lead' WHEN 2 THEN 'chief_engineer' ELSE 'main_user' END,
  substr(sur, 1+(n*13+3)%length(sur), 1) || substr(giv, 1+(n*17+5)%length(giv), 1)
    || CASE WHEN n%3 THEN substr(giv, 1+(n*31+2)%length(giv), 1) ELSE '' END,
  CASE WHEN n%13=6 THEN NULL
       ELSE substr('139186137150159138', 1+3*(n%6), 3) || printf('%08d', (n*69621 + 31415926) % 100000000) END
FROM seq, ch;

-- ----------------------------------------------------------------- cases (~1220)
-- Each block generates `cnt` rows of one kind; g2.ct is a closing time between
-- 2026-09-02 and 2026-11-19, skewed towards the last weeks; g2.y is a time on
-- 2026-11-19 (the day before the as-of date). Ids are numbered by opened_at.
WITH RECURSIVE
seq(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM seq WHERE n < 150),
blocks(blk, kind, cnt) AS (VALUES
  (1,'complaint',80),(2,'repair',150),(3,'special_service',40),(4,'help_request',40),
  (5,'service_work',50),(6,'periodical',30),(7,'gas_onsite',150),(8,'hotline_order',80),
  (9,'gas_backoffice',50),(10,'ignition',30),(11,'insurance_sale',80),(12,'discharge',90),
  (13,'outpatient_surgery',30),(14,'leep_surgery',20),(15,'family_planning',20),(16,'treatment',30),
  (17,'health_check',40),(18,'infertility',12),(19,'medication_course',30),(20,'clinic_visit',30),
  (21,'purchase',40),(22,'booking',25),(23,'after_sales',40),(24,'mediation',15),(25,'installation',12)),
lex(cat, k, v, x) AS (VALUES
  ('complaint',0,'电梯噪音','engineering'),('complaint',1,'保洁不及时','cleaning'),
  ('complaint',2,'停车收费','security'),('complaint',3,'门禁故障','security'),
  ('complaint',4,'垃圾清运不及时','cleaning'),('complaint',5,'水压不足','engineering'),
  ('complaint',6,'楼道照明损坏','engineering'),('complaint',7,'保安态度差','security'),
  ('complaint',8,'绿化修剪不及时','cleaning'),('complaint',9,'装修噪音扰民','security'),
  ('urgent',0,'电梯困人',NULL),('urgent',1,'停电抢修',NULL),('urgent',2,'水管爆裂',NULL),('urgent',3,'下水道堵塞',NULL),
  ('leak',0,'屋顶渗水',NULL),('leak',1,'卫生间漏水',NULL),('leak',2,'外墙渗水',NULL),('leak',3,'阳台渗水',NULL),
  ('general',0,'厨房水管',NULL),('general',1,'入户门锁',NULL),('general',2,'客厅灯具',NULL),('general',3,'空调冷凝管',NULL),
  ('special_service',0,'家政保洁',NULL),('special_service',1,'代收快递',NULL),('special_service',2,'搬家协助',NULL),
  ('help_request',0,'独居老人帮扶',NULL),('help_request',1,'代购药品',NULL),('help_request',2,'忘带钥匙开门',NULL),
  ('service_work',0,'公共区域消杀',NULL),('service_work',1,'楼道粉刷',NULL),('service_work',2,'绿化补种',NULL),
  ('periodical',0,'《社区月刊》10月刊',NULL),('periodical',1,'《社区月刊》11月刊',NULL),('periodical',2,'业主联谊会',NULL),
  ('gas_onsite',0,'safety_inspection','户内安全检查'),('gas_onsite',1,'meter_reading','抄表'),
  ('gas_onsite',2,'repair','灶具维修'),
  ('hotline_order',0,'12345','12345转办：燃气异味'),('hotline_order',1,'repair','燃气表故障报修'),
  ('hotline_order',2,'other','账单地址变更'),('hotline_order',3,'call','燃气价格咨询'),
  ('gas_backoffice',0,'connection','新装燃气接驳'),('gas_backoffice',1,'pipe_alteration','户内管道改装'),
  ('gas_backoffice',2,'repair','调压器维修'),
  ('ignition',0,'household','居民户通气点火'),('ignition',1,'business','商户通气点火'),
  ('insurance_sale',0,'traditional','安康终身寿险'),('insurance_sale',1,'participating','鑫福年金保险(分红型)'),
  ('insurance_sale',2,'universal','金账户终身寿险(万能型)'),('insurance_sale',3,'unit_linked','稳赢投资连结保险'),
  ('inpatient_surgery',0,'腹腔镜胆囊切除术',NULL),('inpatient_surgery',1,'阑尾切除术',NULL),
  ('inpatient_surgery',2,'膝关节置换术',NULL),('inpatient_surgery',3,'甲状腺部分切除术',NULL),
  ('medical',0,'2型糖尿病',NULL),('medical',1,'高血压3级',NULL),
  ('medical',2,'慢性阻塞性肺病',NULL),('medical',3,'社区获得性肺炎',NULL)),
rep(n, cust, kind, subtype, subject, severity, dept, staff, opened, closed) AS (VALUES
  -- same matter complained about twice in a quarter, and one repair item three times
  (1,'C-1012','complaint',NULL,'电梯噪音','general','engineering','S-10','2026-10-08 09:12:00','2026-10-09 16:40:00'),
  (2,'C-1012','complaint',NULL,'电梯噪音','major','engineering','S-01','2026-11-10 08:55:00','2026-11-12 11:20:00'),
  (3,'C-1057','complaint',NULL,'保洁不及时','general','cleaning','S-11','2026-07-15 10:05:00','2026-07-16 15:30:00'),
  (4,'C-1057','complaint',NULL,'保洁不及时','general','cleaning','S-11','2026-09-02 09:40:00','2026-09-03 14:10:00'),
  (5,'C-1131','complaint',NULL,'停车收费','general','security','S-12','2026-10-20 18:30:00','2026-10-22 10:00:00'),
  (6,'C-1131','complaint',NULL,'停车收费','major','security','S-02','2026-11-16 19:05:00','2026-11-18 17:20:00'),
  (7,'C-1088','repair','general','厨房水管',NULL,'engineering','S-05','2026-09-05 08:20:00','2026-09-05 15:00:00'),
  (8,'C-1088','repair','general','厨房水管',NULL,'engineering','S-05','2026-10-11 19:45:00','2026-10-12 10:30:00'),
  (9,'C-1088','repair','general','厨房水管',NULL,'engineering','S-06','2026-11-14 07:50:00','2026-11-14 11:15:00')),
g AS (SELECT b.blk, b.kind, s.n, (s.n*271 + b.blk*389) % 1000 AS q, (s.n*41 + b.blk*29) % 101 AS p,
        'C-' || (1001 + (s.n*263 + b.blk*97) % 300) AS cust
      FROM blocks b JOIN seq s ON s.n <= b.cnt),
g2 AS (SELECT *,
  datetime('2026-09-01', '+'||(79 - (p*80/101 + p*p*80/10201)/2)||' days', '+'||(8+(n*31+blk)%10)||' hours', '+'||((n*17+blk*7)%60)||' minutes') AS ct,
  datetime('2026-11-19', '+'||(8+(n+blk)%10)||' hours', '+'||((n*13+blk)%60)||' minutes') AS y
  FROM g),
raw(blk, n, cust, kind, subtype, subject, severity, dept, staff, opened, closed, product, pmode) AS (
  SELECT 0, n, cust, kind, subtype, subject, severity, dept, staff, opened, closed, NULL, NULL FROM rep
  UNION ALL -- property: complaints
  SELECT blk, n, cust, kind, NULL, l.v, CASE WHEN ((n*7)/3)%5=0 THEN 'major' ELSE 'general' END, l.x,
    CASE WHEN ((n*7)/3)%5=0 THEN printf('S-%02d', 1+n%3)
         ELSE CASE l.x WHEN 'engineering' THEN 'S-10' WHEN 'cleaning' THEN 'S-11' ELSE 'S-12' END END,
    datetime(ct, '-'||(3+q%70)||' hours'), CASE WHEN n%16=5 THEN NULL ELSE ct END, NULL, NULL
  FROM g2 JOIN lex l ON l.cat='complaint' AND l.k=(n*3)%10 WHERE kind='complaint'
  UNION ALL -- property: repairs (urgent 20 %, leak 20 %, general 60 %)
  SELECT blk, n, cust, kind, st, l.v, NULL, 'engineering', printf('S-%02d', 4+n%6),
    datetime(ct, '-'||(CASE st WHEN 'urgent' THEN 1+q%4 ELSE 4+q%96 END)||' hours'),
    CASE WHEN n%25=3 THEN NULL ELSE ct END, NULL, NULL
  FROM (SELECT *, CASE n%5 WHEN 0 THEN 'urgent' WHEN 1 THEN 'leak' ELSE 'general' END AS st
        FROM g2 WHERE kind='repair') JOIN lex l ON l.cat=st AND l.k=(n/5)%4
  UNION ALL -- property: other service kinds
  SELECT blk, n, cust, kind, NULL, l.v, NULL, 'service', printf('S-%02d', 4+n%5),
    datetime(ct, '-'||(2+q%48)||' hours'), ct, NULL, NULL
  FROM g2 JOIN lex l ON l.cat=kind AND l.k=n%3
  WHERE kind IN ('special_service','help_request','service_work','periodical')
  UNION ALL -- gas: on-site services, 40 % of them on the previous day
  SELECT blk, n, cust, kind, l.v, l.x, NULL, CASE WHEN n%2=0 THEN 'gas_north' ELSE 'gas_south' END,
    printf('S-%02d', CASE WHEN n%2=0 THEN 37 ELSE 39 END + (n/2)%2),
    datetime(CASE WHEN n%5<2 THEN y ELSE ct END, '-'||(30+q%90)||' minutes'),
    CASE WHEN n%5<2 THEN y ELSE ct END, NULL, NULL
  FROM g2 JOIN lex l ON l.cat='gas_onsite' AND l.k=n%3 WHERE kind='gas_onsite'
  UNION ALL -- gas: hotline work orders
  SELECT blk, n, cust, kind, l.v, l.x, NULL, 'hotline', printf('S-%02d', 22+n%5),
    datetime(CASE WHEN n%4=0 THEN y ELSE ct END, '-'||(1+q%48)||' hours'),
    CASE WHEN n%20=9 THEN NULL WHEN n%4=0 THEN y ELSE ct END, NULL, NULL
  FROM g2 JOIN lex l ON l.cat='hotline_order' AND l.k=(n*3)%4 WHERE kind='hotline_order'
  UNION ALL -- gas: back office
  SELECT blk, n, cust, kind, l.v, l.x, NULL, CASE WHEN n%2=0 THEN 'gas_north' ELSE 'gas_south' END,
    CASE WHEN n%2=0 THEN 'S-13' ELSE 'S-14' END,
    datetime(CASE WHEN n%3=0 THEN y ELSE ct END, '-'||(2+q%10)||' days'),
    CASE WHEN n%3=0 THEN y ELSE ct END, NULL, NULL
  FROM g2 JOIN lex l ON l.cat='gas_backoffice' AND l.k=(n/3)%3 WHERE kind='gas_backoffice'
  UNION ALL -- gas: ignition of new connections
  SELECT blk, n, cust, kind, l.v, l.x, NULL, CASE WHEN n%2=0 THEN 'gas_north' ELSE 'gas_south' END,
    printf('S-%02d', CASE WHEN n%2=0 THEN 37 ELSE 39 END + (n/2)%2),
    datetime(ct, '-'||(7+q%21)||' days'), ct, NULL, NULL
  FROM g2 JOIN lex l ON l.cat='ignition' AND l.k=(CASE WHEN n%4=0 THEN 1 ELSE 0 END) WHERE kind='ignition'
  UNION ALL -- insurance: new policies (closed_at = policy delivered)
  SELECT blk, n, cust, kind, NULL, l.x, NULL, 'sales', printf('S-%02d', 29+n%5),
    datetime(ct, '-'||(5+q%20)||' days'), ct, l.v,
    CASE WHEN (n%4<2 AND n%5=0) OR (n%4>=2 AND (n/4)%2=0) THEN 'single' ELSE 'periodic' END
  FROM g2 JOIN lex l ON l.cat='insurance_sale' AND l.k=n%4 WHERE kind='insurance_sale'
  UNION ALL -- hospital: discharges (a third discharged ~2 months earlier; a few still in hospital)
  SELECT blk, n, cust, kind, st, l.v,
    CASE WHEN ((n*13)/3)%10=0 THEN 'critical' WHEN ((n*13)/3)%10<4 THEN 'chronic' ELSE 'normal' END,
    CASE st WHEN 'inpatient_surgery' THEN 'surgery' ELSE 'internal' END,
    printf('S-%02d', CASE st WHEN 'inpatient_surgery' THEN 15 ELSE 18 END + (n/2)%3),
    datetime(ct, CASE WHEN (n/2)%3=1 THEN '-60 days' ELSE '+0 days' END, '-'||(3+q%14)||' days', '-'||(n%5)||' hours'),
    CASE WHEN n%30=7 THEN NULL ELSE datetime(ct, CASE WHEN (n/2)%3=1 THEN '-60 days' ELSE '+0 days' END) END,
    NULL, NULL
  FROM (SELECT *, CASE WHEN n%2=0 THEN 'inpatient_surgery' ELSE 'medical' END AS st
        FROM g2 WHERE kind='discharge') JOIN lex l ON l.cat=st AND l.k=(n/2)%4
  UNION ALL -- hospital: other follow-up kinds
  SELECT blk, n, cust, kind, NULL,
    CASE kind
      WHEN 'outpatient_surgery' THEN CASE n%3 WHEN 0 THEN '体表肿物切除' WHEN 1 THEN '清创缝合' ELSE '拔甲术' END
      WHEN 'leep_surgery' THEN 'LEEP宫颈锥切术'
      WHEN 'family_planning' THEN CASE n%2 WHEN 0 THEN '人工流产术' ELSE '宫内节育器放置术' END
      WHEN 'treatment' THEN CASE n%3 WHEN 0 THEN '针灸理疗疗程' WHEN 1 THEN '静脉输液治疗' ELSE '康复理疗' END
      WHEN 'health_check' THEN CASE n%2 WHEN 0 THEN '年度体检' ELSE '入职体检' END
      WHEN 'infertility' THEN '不孕症诊疗'
      ELSE CASE n%3 WHEN 0 THEN '幽门螺杆菌根除治疗' WHEN 1 THEN '抗结核治疗' ELSE '降压药调整' END END,
    CASE WHEN kind<>'health_check' THEN NULL WHEN n%3=0 THEN 'positive' ELSE 'negative' END,
    CASE kind WHEN 'outpatient_surgery' THEN 'surgery' WHEN 'health_check' THEN 'checkup'
      WHEN 'treatment' THEN 'internal' WHEN 'medication_course' THEN 'internal' ELSE 'gynecology' END,
    CASE kind WHEN 'outpatient_surgery' THEN printf('S-%02d', 15+n%2)
      WHEN 'treatment' THEN printf('S-%02d', 18+n%3) WHEN 'medication_course' THEN printf('S-%02d', 18+n%3)
      WHEN 'health_check' THEN printf('S-%02d', 18+n%3) ELSE 'S-21' END,
    CASE kind
      WHEN 'infertility' THEN datetime('2026-03-02', '+'||((n*17)%180)||' days', '+9 hours')
      WHEN 'treatment' THEN datetime(ct, '-'||(5+q%20)||' days')
      WHEN 'medication_course' THEN datetime(ct, '-'||(7+q%28)||' days')
      WHEN 'health_check' THEN datetime(ct, '-'||(3+q%7)||' days')
      ELSE datetime(ct, '-'||(1+q%3)||' hours') END,
    CASE WHEN kind='infertility' THEN NULL ELSE ct END, NULL, NULL
  FROM g2 WHERE kind IN ('outpatient_surgery','leep_surgery','family_planning','treatment',
                         'health_check','infertility','medication_course')
  UNION ALL -- clinic / optometry retail (bookings are closed below if the customer came)
  SELECT blk, n, cust, kind,
    CASE kind WHEN 'clinic_visit' THEN 'no_purchase' WHEN 'purchase' THEN 'optometry' END,
    CASE kind
      WHEN 'clinic_visit' THEN CASE n%2 WHEN 0 THEN '验光咨询' ELSE '近视防控咨询' END
      WHEN 'purchase' THEN CASE n%3 WHEN 0 THEN '角膜塑形镜' WHEN 1 THEN '离焦镜片' ELSE '硬性隐形眼镜' END
      ELSE CASE n%2 WHEN 0 THEN '角膜塑形镜复查预约' ELSE '验光配镜预约' END END,
    NULL, 'optometry', printf('S-%02d', 27+n%2),
    CASE WHEN kind='booking' THEN ct
      ELSE datetime(CASE WHEN kind='clinic_visit' AND n%3=0 THEN y ELSE ct END, '-'||(20+q%90)||' minutes') END,
    CASE WHEN kind='booking' THEN NULL WHEN kind='clinic_visit' AND n%3=0 THEN y ELSE ct END, NULL, NULL
  FROM g2 WHERE kind IN ('clinic_visit','purchase','booking')
  UNION ALL -- after-sales, mediation
  SELECT blk, n, cust, kind, NULL,
    CASE WHEN kind='after_sales' THEN CASE n%4 WHEN 0 THEN '空调安装' WHEN 1 THEN '热水器维修'
                                        WHEN 2 THEN '洗衣机维修' ELSE '净水器滤芯更换' END
         ELSE CASE n%3 WHEN 0 THEN '邻里噪音纠纷' WHEN 1 THEN '漏水赔偿纠纷' ELSE '物业费争议' END END,
    NULL, 'service',
    CASE WHEN kind='after_sales' THEN printf('S-%02d', 22+n%5) ELSE printf('S-%02d', 1+n%3) END,
    datetime(ct, '-'||(CASE WHEN kind='after_sales' THEN 1+q%72 ELSE 24*(7+q%30) END)||' hours'), ct, NULL, NULL
  FROM g2 WHERE kind IN ('after_sales','mediation')
  UNION ALL -- software installations at corporate customers, Feb..Oct 2026
  SELECT blk, n, 'C-' || (1000 + 20*(1+n%15)), kind, NULL,
    CASE n%3 WHEN 0 THEN '回访管理系统 V3 安装' WHEN 1 THEN 'ERP 财务模块部署' ELSE '设备监控平台实施' END,
    NULL, 'implementation', printf('S-%02d', 22+n%5),
    datetime('2026-02-16', '+'||((n*23)%250)||' days', '+14 hours', '-'||(10+n%20)||' days'),
    datetime('2026-02-16', '+'||((n*23)%250)||' days', '+14 hours'), NULL, NULL
  FROM g2 WHERE kind='installation')
INSERT INTO cases(id, customer_id, kind, subtype, subject, severity, department, staff_id,
                  opened_at, closed_at, product, premium_mode)
SELECT 'K-' || (10000 + row_number() OVER (ORDER BY opened, blk, n)),
  cust, kind, subtype, subject, severity, dept, staff, opened, closed, product, pmode
FROM raw ORDER BY opened, blk, n;

-- ----------------------------------------------------------------- events (~42)
INSERT INTO events(id, customer_id, case_id, kind, region, at) VALUES
 ('E-001',NULL,NULL,'rain','浦东','2026-10-21 15:00:00'), ('E-002',NULL,NULL,'rain','闵行','2026-10-21 16:00:00'),
 ('E-003',NULL,NULL,'rain','海淀','2026-10-28 07:00:00'), ('E-004',NULL,NULL,'rain','浦东','2026-11-05 14:00:00'),
 ('E-005',NULL,NULL,'rain','徐汇','2026-11-05 14:30:00'), ('E-006',NULL,NULL,'rain','闵行','2026-11-05 15:00:00'),
 ('E-007',NULL,NULL,'rain','静安','2026-11-06 09:00:00'), ('E-008',NULL,NULL,'rain','海淀','2026-11-12 18:00:00'),
 ('E-009',NULL,NULL,'rain','浦东','2026-11-16 06:00:00'), ('E-010',NULL,NULL,'rain','静安','2026-11-16 07:00:00'),
 ('E-011',NULL,NULL,'rain','徐汇','2026-11-17 20:00:00'), ('E-012',NULL,NULL,'rain','闵行','2026-11-18 13:00:00');

-- Appointments: every booking, and re-bookings by some visitors who did not buy.
INSERT INTO events(id, customer_id, case_id, kind, region, at)
SELECT printf('E-%03d', 100 + row_number() OVER (ORDER BY id)), customer_id, id, 'appointment', NULL,
  datetime(date(opened_at), '+'||(3 + CAST(substr(id,3) AS INTEGER)%9)||' days',
           '+'||(9 + CAST(substr(id,3) AS INTEGER)%8)||' hours', '+'||(30*(CAST(substr(id,3) AS INTEGER)%2))||' minutes')
FROM cases
WHERE kind='booking' OR (kind='clinic_visit' AND CAST(substr(id,3) AS INTEGER)%6=0)
ORDER BY id;

-- A booking is closed when the customer came (3 in 4 of the past appointments).
UPDATE cases SET closed_at = (SELECT e.at FROM events e WHERE e.case_id = cases.id AND e.kind='appointment')
WHERE kind='booking' AND CAST(substr(id,3) AS INTEGER)%4 <> 0
  AND (SELECT e.at FROM events e WHERE e.case_id = cases.id AND e.kind='appointment') < '2026-11-20';

-- ------------------------------------------------------------------ visits (~150)
-- Follow-ups already made for about a fifth of the cases closed before 2026-11-12.
-- Calls mostly fall in the windows 10:30-11:40 and 15:00-18:00; a few do not.
WITH
s AS (SELECT row_number() OVER (ORDER BY closed_at, id) AS v, c.*
      FROM cases c
      WHERE c.closed_at < '2026-11-12' AND c.kind NOT IN ('installation','booking')
        AND (CAST(substr(c.id,3) AS INTEGER)*7) % 100 < 13),
s2 AS (SELECT *, CASE WHEN v%10<7 THEN 'phone' WHEN v%10=7 THEN 'onsite' WHEN v%10=8 THEN 'sms' ELSE 'wechat' END AS ch,
         CASE WHEN kind='repair' AND subtype='general' THEN 30+v%25
              WHEN kind IN ('discharge','outpatient_surgery','leep_surgery','medication_course','clinic_visit',
                            'after_sales','complaint') THEN 1+v%4
              ELSE 1+(v*3)%7 END AS lag,
         CASE WHEN v%23=0 THEN 735 WHEN v%29=0 THEN 1240 WHEN v%2=0 THEN 630+(v*7)%70 ELSE 900+(v*11)%180 END AS mins
       FROM s),
s3 AS (SELECT *,
         CASE WHEN ch='phone' AND v%9=5 THEN 'unreachable' WHEN ch='phone' AND v%16=3 THEN 'refused' ELSE 'completed' END AS oc,
         datetime(date(closed_at), '+'||lag||' days', '+'||mins||' minutes', '+'||((v*13)%60)||' seconds') AS at0
       FROM s2)
INSERT INTO visits(id, obligation_id, customer_id, case_id, contact_id, channel, staff_id, at, duration_s,
                   outcome, reason, satisfaction, note)
SELECT v, NULL, customer_id, id, NULL, ch,
  CASE WHEN kind='complaint' AND severity='major' THEN printf('S-%02d', 1+v%3)
       WHEN kind IN ('complaint','repair','special_service','help_request','service_work','periodical','mediation')
         THEN printf('S-%02d', 4+v%5)
       WHEN kind='discharge' THEN staff_id
       WHEN kind IN ('clinic_visit','purchase') THEN printf('S-%02d', 27+v%2)
       WHEN ch='onsite' AND kind IN ('gas_onsite','insurance_sale') THEN staff_id
       ELSE printf('S-%02d', 22+v%5) END,
  CASE WHEN at0 > '2026-11-19 18:00:00' THEN datetime(date(closed_at), '+1 days', '+'||mins||' minutes') ELSE at0 END,
  CASE ch WHEN 'phone' THEN CASE oc WHEN 'unreachable' THEN 30+v%30 WHEN 'refused' THEN 15+v%30 ELSE 70+(v*37)%230 END
          WHEN 'onsite' THEN 900+(v*53)%1800 END,
  oc,
  CASE oc WHEN 'unreachable' THEN CASE WHEN v%2=0 THEN '无人接听' ELSE '空号' END
          WHEN 'refused' THEN '客户拒绝回访' END,
  CASE WHEN oc='completed' THEN CAST(substr('5545453542515', 1+v%13, 1) AS INTEGER) END,
  CASE WHEN oc='completed' AND substr('5545453542515', 1+v%13, 1) IN ('1','2') THEN '客户对处理结果不满意，已通知责任部门' END
FROM s3 ORDER BY v;

-- Second attempts after an unanswered call: WeChat if known, else on site.
INSERT INTO visits(customer_id, case_id, channel, staff_id, at, duration_s, outcome, satisfaction)
SELECT v.customer_id, v.case_id, CASE WHEN c.wechat IS NOT NULL THEN 'wechat' ELSE 'onsite' END, v.staff_id,
  datetime(v.at, '+1 days'), CASE WHEN c.wechat IS NULL THEN 1200 END, 'completed', 4 + v.id%2
FROM visits v JOIN customers c ON c.id = v.customer_id
WHERE v.outcome='unreachable' AND v.reason='无人接听' ORDER BY v.id;

-- Software installations: one call per contact role a month later; some miss roles.
INSERT INTO visits(customer_id, case_id, contact_id, channel, staff_id, at, duration_s, outcome, satisfaction)
SELECT c.customer_id, c.id, t.id, 'phone', c.staff_id,
  datetime(date(c.closed_at, '+1 month'), '+'||(630 + 20*((CAST(substr(t.id,4) AS INTEGER)-1)%4))||' minutes'),
  120 + 30*((CAST(substr(t.id,4) AS INTEGER)-1)%4), 'completed', 4 + CAST(substr(t.id,4) AS INTEGER)%2
FROM cases c JOIN contacts t ON t.customer_id = c.customer_id
WHERE c.kind='installation' AND c.closed_at < '2026-10-15'
  AND (CAST(substr(t.id,4) AS INTEGER)-1)%4 < 2 + CAST(substr(c.id,3) AS INTEGER)%3
ORDER BY c.id, t.id;

-- ------------------------------------------------------------------- answers
-- Five standard items; SMS/WeChat replies carry only the satisfaction item;
-- a few calls skipped 'effect' (incomplete script).
WITH q(seq, question) AS (VALUES (1,'quality'),(2,'effect'),(3,'satisfaction'),(4,'shortcomings'),(5,'suggestions'))
INSERT INTO answers(visit_id, question, seq, answer, affirmative)
SELECT v.id, q.question, q.seq,
  CASE q.question
    WHEN 'quality' THEN CASE WHEN v.satisfaction <= 2 THEN '否' ELSE '是' END
    WHEN 'effect' THEN CASE WHEN v.satisfaction <= 2 OR v.id%19=4 THEN '否' ELSE '是' END
    WHEN 'satisfaction' THEN CASE v.satisfaction WHEN 5 THEN '非常满意' WHEN 4 THEN '满意'
                               WHEN 3 THEN '基本满意' WHEN 2 THEN '不满意' ELSE '非常不满意' END
    WHEN 'shortcomings' THEN CASE WHEN v.satisfaction > 3 THEN '无'
                               ELSE CASE v.id%4 WHEN 0 THEN '上门时间比约定晚了半小时' WHEN 1 THEN '维修后现场未清理'
                                                WHEN 2 THEN '处理进度没有及时告知' ELSE '等待时间较长' END END
    ELSE CASE v.id%5 WHEN 0 THEN '希望提前电话告知上门时间' WHEN 1 THEN '建议增加夜间值班人员' ELSE '无' END END,
  CASE q.question
    WHEN 'quality' THEN v.satisfaction > 2
    WHEN 'effect' THEN v.satisfaction > 2 AND v.id%19 <> 4
    WHEN 'satisfaction' THEN v.satisfaction >= 3
    WHEN 'shortcomings' THEN v.satisfaction > 3
    ELSE 1 END
FROM visits v JOIN q
WHERE v.outcome='completed'
  AND (v.channel IN ('phone','onsite') OR q.question='satisfaction')
  AND NOT (v.id%11=3 AND q.question='effect')
ORDER BY v.id, q.seq;

COMMIT;
UPDATE cases SET subtype = product WHERE kind = 'insurance_sale';
