# `revisit due --customer ID` lists that customer's open obligations and no
# one else's: the same rows as the whole store's due-list filtered by its
# customer column, in the same order; an unknown customer lists nothing.
. "$TOP/tests/lib.sh"
new_store s.db "$TOP/demo/demo.sql"
expect_rc 0 "$RV" run -s s.db --as-of 2026-11-20 --format csv "$TOP/policies"
expect_rc 0 "$RV" due -s s.db --as-of 2026-11-20 --format csv
cp stdout.txt all.csv
# the customer with the most open obligations, and one with the fewest
tail -n +2 all.csv | cut -d, -f4 | sort | uniq -c | sort -k1,1nr -k2,2 > counts.txt
most=$(head -1 counts.txt | awk '{print $2}')
fewest=$(tail -1 counts.txt | awk '{print $2}')
[ -n "$most" ] && [ "$most" != "$fewest" ] || fail "the demo store's due-list has no customers to pick"
for c in "$most" "$fewest"; do
    expect_rc 0 "$RV" due -s s.db --as-of 2026-11-20 --format csv --customer "$c"
    head -1 all.csv > want.csv
    tail -n +2 all.csv | awk -F, -v c="$c" '$4 == c' >> want.csv
    n=$(($(wc -l < want.csv) - 1))
    [ "$n" -ge 1 ] || fail "no rows of $c in the whole list"
    cmp -s want.csv stdout.txt || fail "due --customer $c: $(diff want.csv stdout.txt | head -5)"
    expect_grep "^$n obligation" stderr.txt
done
expect_rc 0 "$RV" due -s s.db --as-of 2026-11-20 --format csv --customer C-NOBODY
expect_eq 1 "$(wc -l < stdout.txt)" "lines listed for an unknown customer (the header)"
