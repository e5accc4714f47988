# Readers never see "database is locked" while a run writes (WAL, busy
# timeout); two runs on one store do not both write at once: the second
# waits for the first and then adds nothing.
. "$TOP/tests/lib.sh"
# timing- and size-bound: under valgrind it runs the plain binary
[ -z "${VALGRIND:-}" ] || RV=$REVISIT
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
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
SELECT printf('R-%06d', i), 'C-1', 'repair', '2026-11-01 08:00:00', printf('2026-11-%02d 10:00:00', 1 + i % 19) FROM n;
X
new_store s.db f.sql
"$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv > run1.csv 2> run1.err &
pid1=$!
"$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv > run2.csv 2> run2.err &
pid2=$!
# readers while they write
i=0
while [ $i -lt 10 ]; do
    "$RV" due -s s.db --as-of 2026-11-20 --format csv > due.csv 2> due.err || fail "due failed while a run wrote: $(cat due.err)"
    i=$((i + 1))
done
wait $pid1 || fail "first run: $(cat run1.err)"
wait $pid2 || fail "second run: $(cat run2.err)"
added=$(sqlite3 s.db 'SELECT group_concat(added, "+") FROM (SELECT added FROM runs ORDER BY id)')
case $added in
    *+0) ;;
    *) fail "the second run added obligations too: $added" ;;
esac
cmp -s run1.csv run2.csv || fail "the two runs listed different due-lists"
