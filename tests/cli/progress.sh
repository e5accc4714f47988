# On a terminal `revisit run` shows a progress line on stderr (policy,
# rows, rate); written to a file or a pipe it shows none.  The terminal is
# a pseudo-terminal from script(1); skipped (with a note) without it.
. "$TOP/tests/lib.sh"
if ! command -v script > /dev/null 2>&1; then
    echo "SKIP: script(1) is not installed; no terminal to show progress on"
    exit 0
fi
new_store s.db "$TOP/tests/golden/discharge_points/fixture.sql"
P=$TOP/tests/golden/discharge_points/policy.rv
script -q -e -c "$RV run -s s.db --as-of 2026-02-01 --horizon 120 --format csv -o list.csv $P" /dev/null > tty.txt 2>&1 ||
    fail "run on a terminal: $(cat tty.txt)"
expect_grep "revisit: policy 1/1 discharge" tty.txt
expect_grep "rows/s" tty.txt
expect_grep "4 new in the store (run 1)" tty.txt
expect_rc 0 "$RV" run -s s.db --as-of 2026-02-01 --horizon 120 --format csv -o list2.csv "$P"
expect_nogrep "rows/s" stderr.txt
cmp -s list.csv list2.csv || fail "the due-list differs between the terminal and the plain run"
