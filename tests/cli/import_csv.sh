# CSV import is all-or-nothing and names the offending line; quoted fields,
# embedded commas, quotes and newlines survive; times are normalised.
. "$TOP/tests/lib.sh"
new_store s.db
printf 'id,name,mobile,created_at\nC-1,"Wang, Fang",13800000001,2025-01-01\nC-2,"say ""hi""",,2025-01-02 08:30\nC-3,"two\nlines",13800000003,2025-01-03 09:00:00\n' > good.csv
expect_rc 0 "$RV" import -s s.db customers good.csv
expect_grep "imported 3 rows into customers" stdout.txt
expect_eq "Wang, Fang" "$(sqlite3 s.db "SELECT name FROM customers WHERE id = 'C-1'")" "comma field"
expect_eq 'say "hi"' "$(sqlite3 s.db "SELECT name FROM customers WHERE id = 'C-2'")" "quote field"
expect_eq 1 "$(sqlite3 s.db "SELECT mobile IS NULL FROM customers WHERE id = 'C-2'")" "empty is null"
expect_eq "2025-01-02 08:30:00" "$(sqlite3 s.db "SELECT created_at FROM customers WHERE id = 'C-2'")" "normalised time"
expect_eq 4 "$(sqlite3 s.db "SELECT instr(name, char(10)) FROM customers WHERE id = 'C-3'")" "embedded newline kept"
# a bad time on line 3: nothing written
printf 'id,customer_id,kind,opened_at\nK-1,C-1,complaint,2026-01-01 10:00:00\nK-2,C-1,complaint,2026-02-30 10:00:00\n' > badtime.csv
expect_rc 1 "$RV" import -s s.db cases badtime.csv
expect_grep "badtime.csv:3: error: column opened_at: '2026-02-30 10:00:00' is not a valid time" stderr.txt
expect_grep "nothing was written" stderr.txt
expect_eq 0 "$(sqlite3 s.db 'SELECT count(*) FROM cases')" "cases after a failed import"
# wrong field count on line 2
printf 'id,customer_id,kind,opened_at\nK-1,C-1,complaint\n' > short.csv
expect_rc 1 "$RV" import -s s.db cases short.csv
expect_grep "short.csv:2: error: 3 fields, but the header has 4" stderr.txt
# unknown column with a suggestion
printf 'id,custmer_id,kind,opened_at\n' > hdr.csv
expect_rc 1 "$RV" import -s s.db cases hdr.csv
expect_grep "hdr.csv:1: error: table cases has no column 'custmer_id' (did you mean 'customer_id'?)" stderr.txt
# a constraint violation (duplicate key) on line 3 rolls back line 2 too
printf 'id,name,created_at\nC-9,x,2025-01-01\nC-1,dup,2025-01-01\n' > dup.csv
expect_rc 1 "$RV" import -s s.db customers dup.csv
expect_grep "dup.csv:3: error: UNIQUE constraint failed: customers.id" stderr.txt
expect_eq 0 "$(sqlite3 s.db "SELECT count(*) FROM customers WHERE id = 'C-9'")" "rolled back"
# unterminated quote
printf 'id,name,created_at\nC-8,"open,2025-01-01\n' > quote.csv
expect_rc 1 "$RV" import -s s.db customers quote.csv
expect_grep "quote.csv:2: error: unterminated quoted field" stderr.txt
# unknown table, missing file
expect_rc 2 "$RV" import -s s.db custmers good.csv
expect_grep "did you mean 'customers'" stderr.txt
expect_rc 3 "$RV" import -s s.db customers nope.csv
# a UTF-8 BOM is accepted
printf '\357\273\277id,name,created_at\nC-7,李,2025-01-01\n' > bom.csv
expect_rc 0 "$RV" import -s s.db customers bom.csv
expect_eq "李" "$(sqlite3 s.db "SELECT name FROM customers WHERE id = 'C-7'")" "bom import"
