# `revisit fmt`: a messy hand-written file formats to the expected text;
# every file of the library (policies/, stdlib/, tests/golden, docs/examples)
# formats without error, twice gives the same bytes as once, keeps its
# comments and its meaning (`revisit check`, `revisit diff` and the library's
# own tests on the formatted copy); -w rewrites in place and writes nothing
# when a file does not parse; exit statuses.
. "$TOP/tests/lib.sh"

# ---- a messy file: odd spacing, clauses out of order, comments everywhere
cat > messy.rv <<'P'
# Complaint follow-up, typed in a hurry.
use questions   property
use calendar cn
column cases.appointment_on    date
policy complaints   "投诉回访"{   # R1 4.1.1a
  assign project_manager when severity=="major"   # 3.1
  assign department_supervisor+steward
  channels phone ,onsite
  # the regulator's deadline
  due within 3 working days after closed_at
  due 1 days before appointment_on
  version 2
  applies to cases where (kind = "complaint" and closed_at is not null) and customer.tier <> "vip"
     and not exists(visits where case_id = this.id and outcome = "completed" and at >= this.closed_at and channel in ["phone", "onsite"])


  effective 2026-01-01   # in force from New Year
  escalate to project_manager then "客服 主管" within 2 days on missed
  coverage 100%
  # closing remark
}
questions  short_set  ordered {
  q1 "满意吗？"  affirmative "是"
  longer_id "还有什么建议？" optional   # free text
}
calendar acme "ACME"extends cn{holiday 2026-11-23 "公司日"
  workday 2026-10-03..2026-10-04 "盘点" }
fixture people { customer c1 { name = "张三" } staff s1 {role="steward"} }
test "a complaint closed on Friday" uses people {
  expect due complaints for k1 by 2026-11-25 via phone
  as of 2026-11-23
  given case k1 { kind = "complaint", closed_at = 2026-11-20T17:00:00 }, visit v1 { case_id = "k1", at = 2026-11-24T10:00, channel = "sms" }
}
# end of file
P
# what it must become: version and effective in the header, clauses in the
# fixed order with their comments, canonical spelling (=, !=, 1 day, due at,
# no seconds), the long condition wrapped before `and`, question texts
# aligned, one row per line
cat > want.rv <<'P'
# Complaint follow-up, typed in a hurry.
use questions property
use calendar cn
column cases.appointment_on date

policy complaints "投诉回访" version 2 effective 2026-01-01 {  # R1 4.1.1a
  # in force from New Year
  applies to cases where kind = "complaint" and closed_at is not null and customer.tier != "vip"
    and not exists(visits where case_id = this.id and outcome = "completed" and at >= this.closed_at
                   and channel in ["phone", "onsite"])
  # the regulator's deadline
  due within 3 working days after closed_at
  due at 1 day before appointment_on
  coverage 100%
  channels phone, onsite
  assign project_manager when severity = "major"  # 3.1
  assign department_supervisor + steward
  escalate to project_manager then "客服 主管" within 2 days on missed
  # closing remark
}

questions short_set ordered {
  q1        "满意吗？"       affirmative "是"
  longer_id "还有什么建议？" optional  # free text
}

calendar acme "ACME" extends cn {
  holiday 2026-11-23 "公司日"
  workday 2026-10-03 .. 2026-10-04 "盘点"
}

fixture people {
  customer c1 { name = "张三" }
  staff s1 { role = "steward" }
}

test "a complaint closed on Friday" uses people {
  given case k1 { kind = "complaint", closed_at = 2026-11-20T17:00 },
        visit v1 { case_id = "k1", at = 2026-11-24T10:00, channel = "sms" }
  as of 2026-11-23
  expect due complaints for k1 by 2026-11-25 via phone
}
# end of file
P
expect_rc 0 "$RV" fmt messy.rv
cmp -s want.rv stdout.txt || fail "messy.rv formats differently: $(diff want.rv stdout.txt | head -40)"
expect_rc 0 "$RV" fmt want.rv
cmp -s want.rv stdout.txt || fail "the expected text is not stable: $(diff want.rv stdout.txt | head -20)"
expect_rc 0 "$RV" diff messy.rv want.rv
expect_grep "no change in meaning" stdout.txt
expect_rc 0 "$RV" test want.rv
expect_eq "1 passed, 0 failed" "$(tail -n 1 stdout.txt)" "the formatted file's test"

# ---- -w: rewritten in place, permissions kept; nothing written on an error
cp messy.rv w.rv
chmod 640 w.rv
expect_rc 0 "$RV" fmt -w w.rv
[ ! -s stdout.txt ] || fail "fmt -w printed: $(head -c 300 stdout.txt)"
cmp -s want.rv w.rv || fail "fmt -w wrote: $(diff want.rv w.rv | head -20)"
expect_eq "-rw-r-----" "$(ls -l w.rv | cut -c1-10)" "permissions after fmt -w"
[ "$(ls -a | grep -c 'fmt-')" = 0 ] || fail "a temporary file was left: $(ls -a)"
touch -t 202001010000 w.rv
expect_rc 0 "$RV" fmt -w w.rv
[ -z "$(find w.rv -newermt 2020-01-02)" ] || fail "fmt -w rewrote a file already formatted"
printf 'policy broken {\n  applies to cases where\n}\n' > bad.rv
cp bad.rv bad.orig
cp messy.rv good.rv
expect_rc 1 "$RV" fmt -w good.rv bad.rv
expect_grep '^bad.rv:3:1: error: syntax error' stderr.txt
cmp -s good.rv messy.rv || fail "fmt -w rewrote good.rv although bad.rv does not parse"
cmp -s bad.rv bad.orig || fail "fmt -w touched bad.rv"
expect_rc 1 "$RV" fmt good.rv bad.rv
[ ! -s stdout.txt ] || fail "fmt printed something although bad.rv does not parse"
printf 'policy p {\n  applies to cases\n  due within 3 working hours after closed_at\n}\n' > hours.rv
expect_rc 1 "$RV" fmt hours.rv
expect_grep '^hours.rv:3:16: error: only days can be counted as working days' stderr.txt

# ---- standard input, folders, usage
expect_rc 0 sh -c "\"$RV\" fmt - < messy.rv"
cmp -s want.rv stdout.txt || fail "fmt - (standard input) differs"
mkdir -p tree/sub
cp messy.rv tree/a.rv
cp messy.rv tree/sub/b.rv
cp bad.rv tree/sub/notes.txt
expect_rc 0 "$RV" fmt -w tree
cmp -s want.rv tree/a.rv && cmp -s want.rv tree/sub/b.rv || fail "fmt -w FOLDER did not format every .rv below it"
cmp -s bad.rv tree/sub/notes.txt || fail "fmt -w FOLDER touched a file that is not .rv"
expect_rc 2 "$RV" fmt
expect_rc 2 "$RV" fmt -w -
expect_rc 3 "$RV" fmt no-such-file.rv

# ---- the library: every file formats, idempotently, keeping its comments
# and its meaning
mkdir -p lib
cp -R "$TOP/policies" "$TOP/stdlib" lib/
for sub in golden examples; do
    mkdir -p "lib/$sub"
done
for d in "$TOP"/tests/golden/*/; do cp "$d/policy.rv" "lib/golden/$(basename "$d").rv"; done
cp "$TOP"/docs/examples/*.rv lib/examples/
find lib -name '*.rv' | sort > files.txt
[ "$(wc -l < files.txt)" -gt 60 ] || fail "too few library files: $(wc -l < files.txt)"
while read -r f; do
    cp "$f" "$f.orig"
done < files.txt
expect_rc 0 "$RV" fmt -w lib
while read -r f; do
    expect_rc 0 "$RV" fmt "$f"
    cmp -s "$f" stdout.txt || fail "fmt is not idempotent on ${f#lib/}: $(diff "$f" stdout.txt | head -20)"
    [ "$(grep -c '#' "$f.orig")" = "$(grep -c '#' "$f")" ] ||
        fail "${f#lib/}: $(grep -c '#' "$f.orig") comment lines before formatting, $(grep -c '#' "$f") after"
done < files.txt
export REVISIT_STDLIB="$PWD/lib/stdlib"
expect_rc 0 "$RV" check lib/policies
expect_rc 0 "$RV" diff "$TOP/policies" lib/policies
expect_grep "no change in meaning" stdout.txt
"$RV" test lib/policies lib/stdlib > formatted-tests.txt 2>&1
REVISIT_STDLIB="$TOP/stdlib" "$RV" test "$TOP/policies" "$TOP/stdlib" > original-tests.txt 2>&1
expect_eq "$(tail -n 1 original-tests.txt)" "$(tail -n 1 formatted-tests.txt)" "the library's tests on the formatted copy"
for f in lib/golden/*.rv lib/examples/*.rv; do
    "$RV" check "$f.orig" > /dev/null 2>&1 || continue
    expect_rc 0 "$RV" check "$f"
    expect_rc 0 "$RV" diff "$f.orig" "$f"
done
exit 0
