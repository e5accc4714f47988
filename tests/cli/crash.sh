# Crash safety: `revisit run` killed with SIGKILL at random moments leaves
# the store intact (integrity_check ok), with no partial run visible, and a
# re-run then gives a due-list byte-identical to an uninterrupted run.
# CRASH_KILLS sets how many kills (make test: 10; .ci/run: 100).
. "$TOP/tests/lib.sh"
# timing- and size-bound: under valgrind it runs the plain binary
[ -z "${VALGRIND:-}" ] || RV=$REVISIT
kills=${CRASH_KILLS:-10}
cat > p.rv <<'X'
policy repairs "维修回访" effective 2026-01-01 {
  applies to cases where kind = "repair"
  due at 1 day, 1 week, 1 month after closed_at
  channels phone
  assign steward
}
X
cat > f.sql <<'X'
INSERT INTO customers(id, name, created_at) VALUES ('C-1', '业主', '2025-01-01 00:00:00');
INSERT INTO staff(id, role) VALUES ('S-1', 'steward'), ('S-2', 'steward');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
SELECT printf('R-%06d', i), 'C-1', 'repair', '2026-11-01 08:00:00', printf('2026-11-%02d 10:00:00', 1 + i % 19) FROM n;
X
new_store clean.db f.sql
cp clean.db ref.db
start=$(date +%s%N)
"$RV" run -s ref.db --as-of 2026-11-20 --format csv p.rv > ref.csv 2>/dev/null || fail "reference run"
took=$(( ($(date +%s%N) - start) / 1000000 ))
cp clean.db s.db
seed=777
k=0
while [ $k -lt "$kills" ]; do
    k=$((k + 1))
    seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
    ms=$(( seed % (took + 1) ))
    "$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk "BEGIN { printf \"%.3f\", $ms / 1000 }")"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    expect_eq ok "$(sqlite3 s.db 'PRAGMA integrity_check')" "integrity after kill $k"
    runs=$(sqlite3 s.db 'SELECT count(*) FROM runs')
    obls=$(sqlite3 s.db 'SELECT count(*) FROM obligations')
    # all or nothing: either no run and no obligations, or a whole run
    if [ "$runs" = 0 ] && [ "$obls" != 0 ]; then fail "kill $k left $obls obligations without a run"; fi
    if [ "$runs" != 0 ] && [ "$obls" != "$(sqlite3 ref.db 'SELECT count(*) FROM obligations')" ]; then
        fail "kill $k left a partial run: $obls obligations"
    fi
done
"$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv > after.csv 2>/dev/null || fail "re-run after the kills"
cmp -s ref.csv after.csv || fail "the due-list after $kills kills differs from an uninterrupted run"
# a kill between the run's commit and its index build leaves the secondary
# indexes missing; the re-run (a writing command) has made them again
expect_eq "obligations_customer obligations_id obligations_trigger" \
    "$(sqlite3 s.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obligations' ORDER BY name)")" "indexes after the kills"
echo "$kills kills at random moments within ${took} ms runs"
