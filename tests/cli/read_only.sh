# A read-only store (made immutable with chattr, since root ignores file
# modes): run fails with exit 3 and a clear message, and changes nothing.
# Skipped (with a note) where chattr is unavailable.
. "$TOP/tests/lib.sh"
command -v chattr > /dev/null || { echo "SKIP: no chattr"; exit 0; }
cat > p.rv <<'X'
policy repairs "维修回访" effective 2026-01-01 {
  applies to cases where kind = "repair"
  due within 7 days after closed_at
  channels phone
}
X
cat > f.sql <<'X'
INSERT INTO customers(id, name, created_at) VALUES ('C-1', '业主', '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES ('R-1', 'C-1', 'repair', '2026-11-01 08:00:00', '2026-11-19 10:00:00');
X
new_store s.db f.sql
sqlite3 s.db "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
rm -f s.db-wal s.db-shm
sum=$(sha256sum s.db | cut -d' ' -f1)
chattr +i s.db 2> /dev/null || { echo "SKIP: chattr +i not permitted here"; exit 0; }
trap 'chattr -i s.db 2> /dev/null' EXIT
"$RV" run -s s.db --as-of 2026-11-20 --format csv p.rv > out.csv 2> err.txt
rc=$?
chattr -i s.db
expect_eq 3 "$rc" "exit status on a read-only store"
grep -q "read-only\|readonly\|nothing was changed" err.txt || fail "no clear message: $(cat err.txt)"
expect_eq "$sum" "$(sha256sum s.db | cut -d' ' -f1)" "store bytes unchanged"
