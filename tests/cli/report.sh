# revisit report: a small store with a breach, a policy that is met, one
# with nothing in the period, visits (met, late, wrong channel with a
# product question that quotes a mobile and an identity number, missed) and
# an escalation on a missed visit.  The HTML must be well-formed XML, under
# 1 MB, self-contained, show every policy, the breach first and the
# escalation, and mask every personal number; the Markdown the same
# sections.  CSV for Excel: --bom puts EF BB BF first and changes nothing
# else; a due-list written with --bom goes out to the callers and comes back
# (as Excel saves "CSV UTF-8": BOM, CRLF, quoted fields) as visits through
# `revisit import`, Chinese intact.
. "$TOP/tests/lib.sh"
command -v python3 > /dev/null || fail "python3 is needed to check the report"
cat > p.rv <<'P'
questions script "回访问题" {
  quality "服务质量是否满意？" affirmative "是"
  product_question "还有其他问题吗？" optional
}
policy complaint "投诉回访" effective 2026-10-01 {
  applies to cases where kind = "complaint"
  due within 3 days after closed_at
  coverage 100%
  channels phone, onsite
  assign steward
  ask script
  escalate missed_call to team_lead within 30 days on missed
}
policy repair "维修回访" effective 2026-10-01 {
  applies to cases where kind = "repair"
  due within 5 days after closed_at
  coverage 100%
  channels phone
  ask script
}
policy idle "无触发的政策" effective 2026-10-01 {
  applies to cases where kind = "never"
  due within 5 days after closed_at
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, mobile, id_number, created_at) VALUES
  ('C-1', '王小明', '13800000001', '110101199003071234', '2025-01-01 00:00:00'),
  ('C-2', '李, "四"', '13800000002', '11010119900307123X', '2025-01-01 00:00:00'),
  ('C-3', '赵六', '13800000003', NULL, '2025-01-01 00:00:00');
INSERT INTO staff(id, name, role, department) VALUES ('S-1', '张三', 'steward', '客服部'),
  ('S-2', '钱七', 'team_lead', '客服部');
INSERT INTO cases(id, customer_id, kind, department, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'complaint', '工程部', '2026-10-01 09:00:00', '2026-10-05 10:00:00'),
  ('K-2', 'C-3', 'complaint', '工程部', '2026-10-01 09:00:00', '2026-10-05 10:00:00'),
  ('K-3', 'C-2', 'complaint', '保洁部', '2026-10-01 09:00:00', '2026-10-05 10:00:00'),
  ('K-4', 'C-1', 'complaint', '保洁部', '2026-10-01 09:00:00', '2026-10-05 10:00:00'),
  ('R-1', 'C-3', 'repair', '工程部', '2026-10-08 09:00:00', '2026-10-10 10:00:00'),
  ('R-2', 'C-1', 'repair', '工程部', '2026-10-08 09:00:00', '2026-10-10 10:00:00');
P
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-06 p.rv
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-11 p.rv
ob() { sqlite3 s.db "SELECT id FROM obligations WHERE case_id = '$1'"; }
expect_rc 0 "$RV" record -s s.db --obligation "$(ob K-1)" --channel phone --staff S-1 --at "2026-10-06 10:00" \
    --outcome completed --satisfaction 5 --answer quality=是
expect_rc 0 "$RV" record -s s.db --obligation "$(ob K-2)" --channel sms --staff S-1 --at "2026-10-07 10:00" \
    --outcome completed --satisfaction 2 --answer quality=是 \
    --answer "product_question=请回电13912345678，身份证110101199003071234"
expect_rc 0 "$RV" record -s s.db --obligation "$(ob K-4)" --channel phone --staff S-1 --at "2026-10-20 10:00" \
    --outcome completed --answer quality=是
expect_rc 0 "$RV" record -s s.db --obligation "$(ob R-1)" --channel phone --staff S-1 --at "2026-10-11 10:00" \
    --outcome completed --satisfaction 4 --answer quality=是
expect_rc 0 "$RV" record -s s.db --obligation "$(ob R-2)" --channel phone --staff S-1 --at "2026-10-12 11:00" \
    --outcome completed --satisfaction 5 --answer quality=是

# ---- HTML ----
expect_rc 0 "$RV" report -s s.db --period 2026-10 --as-of 2026-11-05 -o report.html
expect_grep "report 2026-10-01..2026-10-31 as of 2026-11-05: 3 policies, 6 obligations judged, 1 in breach" stderr.txt
python3 - report.html <<'PY' || fail "report.html is not well-formed: $(cat py.txt 2>/dev/null)"
import sys, xml.etree.ElementTree as ET
try:
    ET.parse(sys.argv[1])
except ET.ParseError as e:
    open("py.txt", "w").write(str(e)); sys.exit(1)
PY
size=$(wc -c < report.html)
[ "$size" -lt 1048576 ] || fail "report.html is $size bytes"
head -c 15 report.html | grep -q '<!DOCTYPE html>' || fail "no doctype"
expect_grep '<meta charset="utf-8"/>' report.html
# self-contained: no script, no reference outside the file
expect_nogrep '<script' report.html
expect_nogrep '@import' report.html
expect_nogrep '@font-face' report.html
if grep -Eo '(src|href)="[^"#][^"]*"' report.html | grep -v '^href="data:,"$' > refs.txt; then
    fail "external references: $(head -5 refs.txt)"
fi
# every policy, the breach first, charts, Chinese text
for p in complaint repair idle; do expect_grep "id=\"policy-$p\"" report.html; done
expect_grep 'id="coverage-chart"' report.html
expect_grep 'id="trend-chart"' report.html
expect_grep '投诉回访' report.html
tr -d '\n' < report.html | grep -q 'id="breaches-table">.*<td>complaint<span class="sub">投诉回访</span>' ||
    fail "complaint is not listed as a breach"
tr -d '\n' < report.html | sed 's/id="policy-table".*//' | grep -q '>repair<' && fail "repair (met) listed among the breaches"
awk '/id="breaches"/ { b = NR } /id="coverage"/ { c = NR } END { exit !(b && c && b < c) }' report.html ||
    fail "breaches do not come first"
# the figures: complaint 2 of 4 subjects on time (K-1 and K-2; K-4 late, K-3 missed), repair 2 of 2
expect_grep '2 / 4' report.html
expect_grep '2 / 2' report.html
expect_grep 'wrong_channel' report.html
# staff and departments
expect_grep '张三' report.html
expect_grep '工程部' report.html
# the escalation raised on the missed visit
tr -d '\n' < report.html | sed 's/.*id="escalations"//; s/id="versions".*//' > esc.txt
expect_grep 'missed_call' esc.txt
expect_grep 'team_lead' esc.txt
# policy versions in force
tr -d '\n' < report.html | sed 's/.*id="versions"//' > ver.txt
expect_grep '无触发的政策' ver.txt
# masking: no mobile or identity number in the clear, the masked forms there
if grep -Eo '(^|[^0-9A-Za-z])1[3-9][0-9]{9}([^0-9]|$)' report.html > leak.txt; then fail "mobile in the clear: $(cat leak.txt)"; fi
expect_nogrep '11010119900307123' report.html
expect_grep '139\*\*\*\*5678' report.html
expect_grep '1\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*4' report.html
# a second version of repair takes effect on 2026-10-20: both are listed, the first until the 19th
sed 's/policy repair "维修回访" effective 2026-10-01/policy repair "维修回访" version 2 effective 2026-10-20/' p.rv > p2.rv
grep -q 'version 2 effective 2026-10-20' p2.rv || fail "could not write p2.rv"
expect_rc 0 "$RV" run -s s.db --as-of 2026-10-21 p2.rv
expect_rc 0 "$RV" report -s s.db --period 2026-10 --as-of 2026-11-05 -o report2.html
tr -d '\n' < report2.html | sed 's/.*id="versions"//' | sed 's/<tr>/\n<tr>/g' | grep '<td>repair</td>' > ver2.txt
expect_eq 2 "$(wc -l < ver2.txt)" "versions of repair in force in October"
grep -q '<td class="n">1</td>.*<td class="nw">2026-10-01</td><td class="nw">2026-10-19</td>' ver2.txt || fail "version 1: $(cat ver2.txt)"
grep -q '<td class="n">2</td>.*<td class="nw">2026-10-20</td><td class="nw">current</td>' ver2.txt || fail "version 2: $(cat ver2.txt)"
# in November only version 2 is in force
expect_rc 0 "$RV" report -s s.db --period 2026-11 --as-of 2026-11-05 -o report3.html
tr -d '\n' < report3.html | sed 's/.*id="versions"//' | sed 's/<tr>/\n<tr>/g' | grep '<td>repair</td>' > ver3.txt
expect_eq 1 "$(wc -l < ver3.txt)" "versions of repair in force in November"
# --fail-on-breach
expect_rc 1 "$RV" report -s s.db --period 2026-10 --as-of 2026-11-05 --fail-on-breach -o /dev/null
# while the period is running the shortfall is only a risk
expect_rc 0 "$RV" report -s s.db --period 2026-10 --as-of 2026-10-07 --fail-on-breach -o early.html
expect_grep 'At risk' early.html

# ---- Markdown ----
expect_rc 0 "$RV" report -s s.db --period 2026-10 --as-of 2026-11-05 --format md
cp stdout.txt report.md
head -1 report.md | grep -q '^# Compliance report' || fail "Markdown does not start with a heading"
for h in '## Breaches' '## Coverage by policy' '## Trend by week' '## By department' '## By staff member' \
         '## Non-compliant obligations' '## Escalations open' '## Policy versions in force'; do
    expect_grep "$h" report.md
done
expect_grep '| complaint | 投诉回访 | 100% | 50.0% | 2 / 4 |' report.md
expect_grep 'idle' report.md
expect_grep '`139\*\*\*\*5678`' report.md
if grep -Eo '(^|[^0-9A-Za-z])1[3-9][0-9]{9}([^0-9]|$)' report.md > leak.txt; then fail "mobile in the clear: $(cat leak.txt)"; fi
# -o FILE.md picks Markdown
expect_rc 0 "$RV" report -s s.db --period 2026-10 --as-of 2026-11-05 -o same.md
head -1 same.md | grep -q '^# Compliance report' || fail "-o FILE.md is not Markdown"

# ---- usage ----
expect_rc 2 "$RV" report -s s.db --period 2026-10 --format pdf
expect_grep 'html or md' stderr.txt
expect_rc 2 "$RV" report -s s.db
expect_rc 2 "$RV" report -s s.db --period 2026-13
expect_rc 3 "$RV" report -s missing.db --period 2026-10

# ---- CSV for Excel: --bom ----
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-11-05 --format csv -o plain.csv
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-11-05 --format csv --bom -o bom.csv
expect_eq "efbbbf" "$(head -c 3 bom.csv | od -An -tx1 | tr -d ' \n')" "the first bytes of a --bom CSV"
tail -c +4 bom.csv | cmp -s - plain.csv || fail "--bom changed more than the first three bytes"
expect_rc 0 "$RV" verdicts -s s.db --period 2026-10 --as-of 2026-11-05 --bom
[ "$(head -c 3 stdout.txt | od -An -tx1 | tr -d ' \n')" != "efbbbf" ] || fail "a table got a BOM"
# the due-list goes out to the callers with a BOM and comes back as visits
# (Excel's "CSV UTF-8": BOM, CRLF, RFC 4180 quotes), Chinese names as notes
expect_rc 0 "$RV" due -s s.db --as-of 2026-10-11 --format csv --bom -o due.csv
expect_eq "efbbbf" "$(head -c 3 due.csv | od -An -tx1 | tr -d ' \n')" "the first bytes of the due-list"
expect_grep '"李, ""四"""' due.csv
python3 - due.csv visits.csv <<'PY' || fail "could not turn the due-list into visits"
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
assert rows, "empty due-list"
assert "," in rows[0]["channels"], rows[0]["channels"]  # a quoted field read back whole
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["obligation_id", "customer_id", "case_id", "channel", "staff_id", "at", "outcome", "note"])
    for r in rows:
        w.writerow([r["id"], r["customer"], r["case"], r["channels"].split(",")[0], "S-1", "2026-10-11 15:00",
                    "completed", r["name"]])
PY
expect_eq "efbbbf" "$(head -c 3 visits.csv | od -An -tx1 | tr -d ' \n')" "the first bytes of the visits file"
n=$(($(wc -l < due.csv) - 1))
expect_rc 0 "$RV" import -s s.db visits visits.csv
expect_grep "imported $n rows\{0,1\} into visits" stdout.txt
expect_rc 0 "$RV" due -s s.db --as-of 2026-10-11
expect_grep '^0 obligations' stdout.txt
expect_eq "" "$(sqlite3 s.db "SELECT v.id FROM visits v JOIN customers c ON c.id = v.customer_id WHERE v.note IS NOT NULL AND v.note <> c.name")" "notes that differ from the customer's name"
expect_eq "$n" "$(sqlite3 s.db "SELECT count(*) FROM visits v JOIN customers c ON c.id = v.customer_id WHERE v.note = c.name")" "names back as notes"
