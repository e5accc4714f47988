# -o FILE is replaced only by a complete output: a run stopped midway leaves
# the file as it was and no temporary file beside it; a successful one
# replaces it and keeps its mode; /dev/null is written in place.
. "$TOP/tests/lib.sh"
# timing-bound (a run stopped while it writes): under valgrind, the plain binary
[ -z "${VALGRIND:-}" ] || RV=$REVISIT
cat > p.rv <<'P'
policy repairs "维修回访" effective 2026-01-01 {
  applies to cases where kind = "repair"
  due at 1 day, 1 week after closed_at
  channels phone
  assign steward
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, created_at) VALUES ('C-1', '业主', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('R-1', 'C-1', 'repair', '2026-11-01 08:00:00', '2026-11-02 10:00:00'),
  ('R-2', 'C-1', 'repair', '2026-11-10 08:00:00', '2026-11-12 10:00:00');
P
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-05 --format csv -o out.csv p.rv
expect_eq 2 "$(grep -c '^O-' out.csv)" "obligations in out.csv"
cp out.csv before.csv
chmod 640 out.csv
# a run stopped while it writes: out.csv as it was, its temporary file gone
cat > big.sql <<'P'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
SELECT printf('B-%06d', i), 'C-1', 'repair', '2026-11-01 08:00:00', printf('2026-11-%02d 10:00:00', 1 + i % 19) FROM n;
P
cp s.db big.db
sqlite3 -bail big.db < big.sql || fail "fixture big.sql"
"$RV" run -s big.db --as-of 2026-11-20 --format csv -o out.csv p.rv > /dev/null 2>&1 &
running=$!
i=0
while [ $i -lt 500 ] && ! ls | grep -q 'tmp-'; do sleep 0.01; i=$((i + 1)); done
ls | grep -q 'tmp-' || fail "no temporary file beside out.csv while the run wrote"
kill -TERM $running
wait $running
rc=$?
[ $rc -ne 0 ] || fail "the run ended before it could be stopped; make its fixture larger"
left=$(ls | grep -c 'tmp-' || true)
expect_eq 0 "$left" "temporary files left by a stopped run"
cmp -s out.csv before.csv || fail "a stopped run changed out.csv: $(head -3 out.csv)"
# the store itself is refused, and stays a store
expect_rc 3 "$RV" due -s s.db --as-of 2026-11-20 --format csv -o ./s.db
expect_grep 'is the store itself' stderr.txt
expect_rc 0 "$RV" due -s s.db --as-of 2026-11-20 --format csv
# a bad folder: nothing made, the message names the path
expect_rc 3 "$RV" run -s s.db --as-of 2026-11-20 -o nodir/out.csv p.rv
expect_grep 'nodir/out.csv: No such file or directory' stderr.txt
# the next run replaces the file whole and keeps its mode
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format csv -o out.csv p.rv
expect_eq 4 "$(grep -c '^O-' out.csv)" "obligations in the replaced out.csv"
expect_eq 640 "$(stat -c %a out.csv)" "mode of the replaced out.csv"
left=$(ls | grep -c 'tmp-' || true)
expect_eq 0 "$left" "temporary files left after a run"
# not a regular file: written in place
expect_rc 0 "$RV" due -s s.db --as-of 2026-11-20 --format csv -o /dev/null
[ -c /dev/null ] || fail "/dev/null is no longer a device"
# due and verdicts replace their -o FILE the same way
expect_rc 0 "$RV" due -s s.db --as-of 2026-11-20 --format csv -o due.csv
expect_grep '^id,' due.csv
expect_rc 0 "$RV" verdicts -s s.db --period 2026-11 --as-of 2026-11-20 --format csv -o v.csv
[ -s v.csv ] || fail "verdicts wrote nothing to v.csv"
left=$(ls | grep -c 'tmp-' || true)
expect_eq 0 "$left" "temporary files left"
