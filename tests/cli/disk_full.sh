# Disk full: when the store cannot grow (simulated with a file-size limit;
# SIGXFSZ ignored so that writes fail with EFBIG as on a full disk), a run
# fails with exit 3 and a clear message, and the store is unchanged.
. "$TOP/tests/lib.sh"
# timing- and size-bound: under valgrind it runs the plain binary
[ -z "${VALGRIND:-}" ] || RV=$REVISIT
cat > p.rv <<'X'
policy repairs "维修回访" effective 2026-01-01 {
  applies to cases where kind = "repair"
  due at 1 day, 1 week, 1 month after closed_at
  channels phone
}
X
cat > f.sql <<'X'
INSERT INTO customers(id, name, created_at) VALUES ('C-1', '业主', '2025-01-01 00:00:00');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
SELECT printf('R-%06d', i), 'C-1', 'repair', '2026-11-01 08:00:00', printf('2026-11-%02d 10:00:00', 1 + i % 19) FROM n;
X
new_store s.db f.sql
sqlite3 s.db "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
before=$(sqlite3 s.db "SELECT count(*) FROM obligations; SELECT count(*) FROM runs" | tr '\n' ' ')
size=$(( $(wc -c < s.db) / 512 + 200 ))
( trap '' XFSZ; ulimit -f "$size"; exec "$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv ) > out.csv 2> err.txt
rc=$?
expect_eq 3 "$rc" "exit status on a full disk"
grep -q "is the disk full" err.txt || fail "no clear message: $(cat err.txt)"
expect_eq "$before" "$(sqlite3 s.db "SELECT count(*) FROM obligations; SELECT count(*) FROM runs" | tr '\n' ' ')" "store unchanged"
expect_eq ok "$(sqlite3 s.db 'PRAGMA integrity_check')" "integrity"
