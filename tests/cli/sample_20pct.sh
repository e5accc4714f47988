# coverage 20% over 1,000 eligible cases closed the same day: exactly 200,
# the same 200 on every run and in a fresh store, and an auditor can
# re-derive them with sha256sum from the documented key.
. "$TOP/tests/lib.sh"
cat > p.rv <<'P'
policy gas_sample "燃气抽样回访" effective 2026-01-01 {
  applies to cases where kind = "gas_onsite"
  due within 2 days after closed_at
  coverage 20% seed "gas-2026"
  channels phone
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, mobile, created_at) VALUES ('C-1', '客户', '13800000000', '2025-01-01 00:00:00');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
SELECT printf('K-%04d', i), 'C-1', 'gas_onsite', '2026-11-19 08:00:00', printf('2026-11-19 %02d:%02d:00', 8 + i % 10, i % 60) FROM n;
-- a case of another kind is not eligible
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES ('X-1', 'C-1', 'repair', '2026-11-19 08:00:00', '2026-11-19 09:00:00');
P
new_store a.db f.sql
expect_rc 0 "$RV" run -s a.db --as-of 2026-11-20 --format csv p.rv
tail -n +2 stdout.txt | cut -d, -f7 | sort > first.txt
expect_eq 200 "$(wc -l < first.txt | tr -d ' ')" "sampled cases"
expect_rc 0 "$RV" run -s a.db --as-of 2026-11-20 --format csv p.rv
tail -n +2 stdout.txt | cut -d, -f7 | sort > second.txt
cmp -s first.txt second.txt || fail "second run drew a different sample"
new_store b.db f.sql
expect_rc 0 "$RV" run -s b.db --as-of 2026-11-21 --format csv p.rv
tail -n +2 stdout.txt | cut -d, -f7 | sort > third.txt
cmp -s first.txt third.txt || fail "a fresh store drew a different sample"
# the auditor's derivation: lowest 200 keys of sha256("policy|version|seed|case")
i=1
: > keys.txt
while [ $i -le 1000 ]; do
    id=$(printf 'K-%04d' $i)
    printf '%s %s\n' "$(printf 'gas_sample|1|gas-2026|%s' "$id" | sha256sum | cut -c1-16)" "$id" >> keys.txt
    i=$((i + 1))
done
sort keys.txt | head -n 200 | cut -d' ' -f2 | sort > audit.txt
cmp -s first.txt audit.txt || fail "sample differs from the auditor's derivation: $(diff first.txt audit.txt | head)"
