# The REPL as a script (standard input is not a terminal): expressions on a
# chosen subject, a policy typed over several lines, :due without writing,
# :why naming the failing filter and saying do_not_contact, :reload saying
# what changed, errors in the checker's format, and the exit status (1 when
# a line failed).  The store must come out byte for byte unchanged.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
# complaints follow-up, and a 50 % sample of repairs
policy complaint_followup "complaint follow-up" {
  applies to cases where kind = "complaint" and closed_at is not null and customer.tier != "blocked"
  due within 3 days after closed_at
  channels phone
  assign steward
}

policy repairs "repair sample" {
  applies to cases where kind = "repair" and closed_at is not null
  due between 1 month and 2 months after closed_at
  coverage 50% per month
  channels phone
  assign steward
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, tier, mobile, do_not_contact, created_at) VALUES
  ('C-1', 'Wang Fang', 'ordinary', '13800000001', 0, '2025-01-01 00:00:00'),
  ('C-2', 'Li Lei', 'ordinary', '13800000002', 1, '2025-01-01 00:00:00'),
  ('C-3', 'Han Meimei', 'large', '13800000003', 0, '2025-01-01 00:00:00');
INSERT INTO staff(id, name, role) VALUES ('S-1', 'Zhou', 'steward');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'complaint', '2026-11-16 09:00:00', '2026-11-18 17:00:00'),
  ('K-2', 'C-1', 'complaint', '2026-11-17 09:00:00', NULL),
  ('K-3', 'C-2', 'complaint', '2026-11-16 09:00:00', '2026-11-18 10:00:00'),
  ('R-1', 'C-3', 'repair', '2026-09-01 09:00:00', '2026-09-03 10:00:00'),
  ('R-2', 'C-3', 'repair', '2026-09-02 09:00:00', '2026-09-05 10:00:00'),
  ('R-3', 'C-1', 'repair', '2026-09-02 09:00:00', '2026-09-10 10:00:00');
P
new_store s.db f.sql
before=$(sha256sum s.db | cut -d' ' -f1)

# ---- a clean session: exit 0 ----
cat > ok.txt <<'P'
# comments and blank lines are skipped

2026-01-31 + 1 month
"a" in ["a", "b"]
:asof 2026-11-20
today + 3 working days
:with case K-1
closed_at + 3 days
customer.name
customer.mobile
count(cases where customer_id = this.customer_id and kind = "complaint")
:with customer C-1
count(cases where customer_id = this.id) >= 2 and
  tier = "ordinary"
policy vip "VIP" {
  applies to customers where tier = "large"
  due every 1 month from created_at
  channels phone
}
:policies
:show vip
:format csv
:due
:due repairs --as-of 2026-10-15
:format table
:why C-1 complaint_followup
:why C-2
:why R-3 repairs
:why R-1 repairs
:schema cases
:help why
:quit
this line is never read
P
expect_rc 0 "$RV" repl -s s.db p.rv < ok.txt
cp stdout.txt ok.out
expect_nogrep 'error' stderr.txt
# with csv the summary goes to stderr, as `run` does, so stdout stays CSV
expect_grep '^2 obligations: 0 overdue, 2 due, 0 upcoming (as of 2026-10-15, horizon 7 days; nothing was recorded)$' stderr.txt
expect_grep '^2026-02-28 (date)$' ok.out
expect_grep '^true (boolean)$' ok.out
expect_grep '^2026-11-25 (date)$' ok.out
expect_grep '^2026-11-21 17:00:00 (time)$' ok.out
expect_grep '^"Wang Fang" (text)$' ok.out
expect_grep '^"138\*\*\*\*0001" (text)$' ok.out
expect_grep '^2 (integer)$' ok.out
expect_grep '^policy vip loaded (version 1, applies to customers, 1 schedule)$' ok.out
expect_grep '^vip  *1  customers .*<stdin>:15 ' ok.out
expect_grep '^# <stdin>:15$' ok.out
# :due prints what a run would: K-1 due, R-1 and R-2 drawn (R-3 is not), K-3 suppressed
expect_grep '^O-c52aac90bf18,complaint_followup,1,C-1,Wang Fang,138\*\*\*\*0001,K-1,2026-11-18,2026-11-21,' ok.out
expect_grep '^O-6fc248b30c06,repairs,1,C-3,.*,R-1,2026-10-03,2026-11-03,' ok.out
expect_grep '^O-04f7b4de54f7,repairs,1,C-3,.*,R-2,' ok.out
expect_nogrep ',R-3,' ok.out
# September's sample is not drawn before September is over
expect_grep '^O-6fc248b30c06' ok.out
# :why: the failing filter named, do_not_contact said, the sample explained
expect_grep '^complaint_followup v1 - case K-1 (customer C-1 Wang Fang)$' ok.out
expect_grep '=> on the due-list: O-c52aac90bf18 by 2026-11-21 (due)' ok.out
expect_grep '^  filter 2 FAIL  closed_at is not null  *\[closed_at = null\]$' ok.out
expect_grep '=> not due: filter 2 fails (closed_at is not null)' ok.out
expect_grep '^customer C-2 (Li Lei): marked do_not_contact, never on a due-list' ok.out
expect_grep 'do_not_contact: customer C-2 is marked do_not_contact: excluded' ok.out
expect_grep '=> not due: excluded as do_not_contact' ok.out
expect_grep 'not drawn, key d4b1f10aadd91761 ranks after the 2 drawn of 3 eligible in 2026-09-01..2026-09-30' ok.out
expect_grep '=> not due: not drawn in the sample' ok.out
expect_grep 'drawn, rank 2 of 3 eligible in 2026-09-01..2026-09-30 (2 drawn; key 8d15b2b6adeac262)' ok.out
expect_grep '^closed_at  *time$' ok.out
expect_grep '^:why \[case|customer|contact\] ID \[POLICY\]$' ok.out
expect_nogrep 'never read' ok.out
# the sample key is the documented one, re-derivable with sha256sum
expect_eq d4b1f10aadd91761 "$(printf 'repairs|1|repairs|R-3' | sha256sum | cut -c1-16)" "sample key"

# ---- errors: shown like the checker's, the session goes on, exit 1 ----
cat > bad.txt <<'P'
:asof 2026-11-20
kindd = "complaint"
1 +
  "x"
1 + 1
closed_at
:with case K-404
:why K-404
:due nosuch
policy broken {
  applies to cases where kind = "x"
  due within 3 days after closedat
}
:frobnicate
2 + 2
P
expect_rc 1 "$RV" repl -s s.db p.rv < bad.txt
cp stdout.txt bad.out
cp stderr.txt bad.err
cat > bad.want <<'P'
<stdin>:2:1: error: unknown column 'kindd' in table cases (did you mean 'kind'?)
  kindd = "complaint"
  ^~~~~
<stdin>:3:3: error: cannot apply '+' to integer and text
  1 +
    ^
<stdin>:6: error: this expression reads the store: choose whose values to use first, with :with case ID, :with customer ID or :with contact ID
<stdin>:7: error: no case 'K-404' in the store
<stdin>:8: error: no customer, case or contact has the id 'K-404'
<stdin>:9: error: unknown policy 'nosuch' (:policies lists them)
<stdin>:12:27: error: unknown column 'closedat' in table cases (did you mean 'closed_at'?)
    due within 3 days after closedat
                            ^~~~~~~~
<stdin>:10: error: 1 error; nothing was loaded
<stdin>:14: error: unknown command :frobnicate (:help lists them)
P
diff bad.want bad.err > diff.txt || fail "errors differ: $(cat diff.txt)"
expect_eq "as of 2026-11-20
2 (integer)
4 (integer)" "$(cat bad.out)" "the session went on after each error"
# unfinished input at the end of the script fails too
printf '1 + (2 *\n3\n' > open.txt
expect_rc 1 "$RV" repl -s s.db < open.txt
expect_grep "<stdin>:1: error: end of input inside an unfinished input" stderr.txt

# ---- :load and :reload say what changed ----
cp p.rv q.rv
printf ':load q.rv\n:load q.rv\n:reload\n' > reload.txt
expect_rc 0 "$RV" repl -s s.db < reload.txt
expect_grep '^loaded 1 file from q.rv: 2 policies: complaint_followup, repairs$' stdout.txt
expect_grep '^q.rv: nothing new to load (already loaded; :reload reads the files again)$' stdout.txt
expect_grep '^reloaded 1 file: nothing changed (2 policies)$' stdout.txt
# the file changes on disk between two commands (fed through a fifo)
sed 's/due within 3 days/due within 5 days/' p.rv | sed '/^policy repairs/,/^}/d' > q2.rv
printf 'policy extra { applies to customers due immediately after created_at }\n' >> q2.rv
rm -f fifo
mkfifo fifo
"$RV" repl -s s.db q.rv < fifo > rl.out 2> rl.err &
pid=$!
exec 3> fifo
echo ':policies' >&3
# wait until the REPL has loaded and answered (slow under valgrind)
n=0
while ! grep -q '^complaint_followup' rl.out 2> /dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
cp q2.rv q.rv
echo ':reload' >&3
echo 'policy extra { applies to cases due immediately after opened_at }' >&3
exec 3>&-
wait $pid && fail "a duplicate policy id should fail the script"
expect_grep '^reloaded 1 file: added extra; removed repairs; changed complaint_followup; 0 unchanged$' rl.out
expect_grep "^<stdin>:3:1: error: duplicate policy id 'extra'" rl.err

# ---- :test runs the tests written in the files loaded ----
cat > pt.rv <<'P'
use calendar cn
policy complaint_followup "complaints" {
  applies to cases where kind = "complaint" and closed_at is not null
  due within 3 working days after closed_at
  channels phone
}
test "closed on Friday, due by Wednesday" {
  given customer c1 { name = "Zhang" }, case k1 { kind = "complaint", closed_at = 2026-11-20T17:00 }
  as of 2026-11-23
  expect due complaint_followup for k1 by 2026-11-25
}
test "National Day is not worked" {
  given customer c1 { name = "Zhang" }, case k1 { kind = "complaint", closed_at = 2026-09-30T16:00 }
  as of 2026-10-08
  expect due complaint_followup for k1 by 2026-10-10
}
P
printf ':test\n:test "National Day"\n' > test.txt
expect_rc 0 "$RV" repl pt.rv < test.txt
expect_eq "2 passed, 0 failed
1 passed, 0 failed" "$(cat stdout.txt)" ":test and :test PATTERN"
sed 's/by 2026-11-25/by 2026-11-26/' pt.rv > pt2.rv
expect_rc 1 "$RV" repl pt2.rv < test.txt
expect_grep '^1 passed, 1 failed$' stdout.txt

# ---- no store: expressions and checks only ----
printf '2026-03-31 - 1 month\n:due\n' > nostore.txt
expect_rc 1 "$RV" repl < nostore.txt
expect_grep '^2026-02-28 (date)$' stdout.txt
expect_grep ':due needs a store' stderr.txt

# ---- the store was only read ----
expect_eq "$before" "$(sha256sum s.db | cut -d' ' -f1)" "store bytes after the REPL"
expect_eq 0 "$(sqlite3 s.db 'SELECT count(*) FROM runs')" "runs recorded"
expect_eq 0 "$(sqlite3 s.db 'SELECT count(*) FROM obligations')" "obligations recorded"
