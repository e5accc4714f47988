# A second run on the same store adds zero obligations and lists the same
# due-list; the run records say so.
. "$TOP/tests/lib.sh"
new_store s.db "$TOP/tests/golden/discharge_points/fixture.sql"
P=$TOP/tests/golden/discharge_points/policy.rv
expect_rc 0 "$RV" run -s s.db --as-of 2026-02-01 --horizon 120 --format csv "$P"
cp stdout.txt first.csv
expect_grep "4 new in the store (run 1)" stderr.txt
expect_rc 0 "$RV" run -s s.db --as-of 2026-02-01 --horizon 120 --format csv "$P"
cmp -s first.csv stdout.txt || fail "the second due-list differs"
expect_grep "0 new in the store (run 2)" stderr.txt
expect_eq 4 "$(sqlite3 s.db 'SELECT count(*) FROM obligations')" "obligations in the store"
expect_eq "4|0" "$(sqlite3 s.db 'SELECT group_concat(added, "|") FROM (SELECT added FROM runs ORDER BY id)')" "runs.added"
# a later run (the first point done) still adds nothing new
id=$(sed -n 2p first.csv | cut -d, -f1)
sqlite3 s.db "INSERT INTO visits(obligation_id, customer_id, case_id, channel, at, outcome) VALUES ('$id', 'C-1', 'K-1', 'phone', '2026-02-01 10:00:00', 'completed')"
expect_rc 0 "$RV" run -s s.db --as-of 2026-02-03 --horizon 120 --format csv "$P"
expect_eq 3 "$(tail -n +2 stdout.txt | wc -l | tr -d ' ')" "rows after one is done"
expect_nogrep "$id" stdout.txt
expect_eq 4 "$(sqlite3 s.db 'SELECT count(*) FROM obligations')" "obligations after the third run"
# `due` reads the same open obligations back from the store
expect_rc 0 "$RV" due -s s.db --as-of 2026-02-03 --horizon 120 --format csv
expect_eq 3 "$(tail -n +2 stdout.txt | wc -l | tr -d ' ')" "rows from due"
