# Exit statuses: 0 ok, 1 findings, 2 usage, 3 store or I/O.
. "$TOP/tests/lib.sh"
P=$TOP/tests/golden/month_end/policy.rv
expect_rc 2 "$RV"
expect_rc 2 "$RV" frobnicate
expect_grep "unknown command 'frobnicate'" stderr.txt
expect_rc 0 "$RV" --help
expect_rc 0 "$RV" run --help
expect_grep "usage: revisit run" stdout.txt
expect_rc 2 "$RV" run "$P"
expect_rc 2 "$RV" run -s x.db --format xml "$P"
expect_rc 2 "$RV" run -s x.db --as-of 2026-02-30 "$P"
expect_grep "not a real date" stderr.txt
expect_rc 2 "$RV" run -s x.db --bogus "$P"
expect_rc 3 "$RV" run -s missing.db "$P"
expect_grep "no store at missing.db" stderr.txt
echo "not a database" > junk.db
expect_rc 3 "$RV" run -s junk.db "$P"
expect_rc 0 "$RV" init s.db
expect_rc 0 "$RV" init s.db
expect_rc 0 "$RV" check "$P"
expect_grep "ok: 1 policy" stdout.txt
expect_rc 0 "$RV" check -s s.db "$P"
expect_rc 1 "$RV" check "$TOP/tests/bad/column_did_you_mean.rv"
expect_rc 1 "$RV" check no-such-file.rv
expect_grep "cannot read no-such-file.rv" stderr.txt
# a policy error leaves the store untouched
expect_rc 1 "$RV" run -s s.db "$TOP/tests/bad/column_did_you_mean.rv"
expect_eq 0 "$(sqlite3 s.db 'SELECT count(*) FROM runs')" "runs after a failed run"
# overdue findings on request
sqlite3 -bail s.db < "$TOP/tests/golden/month_end/fixture.sql"
expect_rc 0 "$RV" run -s s.db --as-of 2026-03-10 "$P"
expect_rc 1 "$RV" run -s s.db --as-of 2026-03-10 --fail-on-overdue "$P"
expect_rc 1 "$RV" due -s s.db --as-of 2026-03-10 --fail-on-overdue
# -o writes the file
expect_rc 0 "$RV" run -s s.db --as-of 2026-02-10 --format csv -o out.csv "$P"
expect_grep "O-c52aac90bf18" out.csv
expect_rc 3 "$RV" run -s s.db --as-of 2026-02-10 -o /nonexistent/dir/out.csv "$P"
