# Tamper-evident records: sealed visits, answers, verdicts and
# acknowledgements cannot be updated or deleted (triggers); with the
# triggers dropped, 100 random edits, deletions and reorderings made
# directly in SQLite are each caught by `revisit verify`; a correction is a
# new visit; purge keeps the chain verifiable and refuses young records.
. "$TOP/tests/lib.sh"
P=$TOP/tests/cli/tamper.rv
cat > p.rv <<'X'
questions two "两项" {
  quality "质量？" affirmative "是"
  effect "效果？" affirmative "是"
}
policy repairs "维修回访" effective 2024-01-01 {
  applies to cases where kind = "repair"
  due within 7 days after closed_at
  channels phone
  ask two
  escalate slow to project_manager on missed
}
X
cat > f.sql <<'X'
INSERT INTO customers(id, name, created_at) VALUES ('C-1', '业主', '2024-01-01 00:00:00');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at)
SELECT printf('R-%02d', i), 'C-1', 'repair', '2024-03-01 08:00:00', printf('2024-03-%02d 10:00:00', i) FROM n;
X
new_store s.db f.sql
expect_rc 0 "$RV" run -s s.db --as-of 2024-03-13 --format csv p.rv
i=0
for id in $(tail -n +2 stdout.txt | cut -d, -f1 | head -n 8); do
    i=$((i + 1))
    expect_rc 0 "$RV" record -s s.db --obligation "$id" --channel phone --at "2024-03-1$((i % 9)) 10:00" --outcome completed --answer quality=是 --answer effect=是 --satisfaction 5
done
expect_rc 0 "$RV" verdicts -s s.db --period 2024-03 --as-of 2024-04-01
e=$(sqlite3 s.db "SELECT id FROM escalations LIMIT 1")
expect_rc 0 "$RV" ack -s s.db "$e" --by S-1 --note 已处理
expect_rc 0 "$RV" verify -s s.db
expect_grep '^ok: [0-9]* records in the chain (0 purged), head [0-9a-f]\{64\}$' stdout.txt
# the triggers refuse edits and deletions
if sqlite3 s.db "UPDATE visits SET outcome = 'refused' WHERE id = 1" 2> err.txt; then fail "an UPDATE of a visit was allowed"; fi
expect_grep "visits are append-only" err.txt
if sqlite3 s.db "DELETE FROM verdicts WHERE id = 1" 2> err.txt; then fail "a DELETE of a verdict was allowed"; fi
if sqlite3 s.db "DELETE FROM audit_chain" 2> err.txt; then fail "the chain could be emptied"; fi
# a correction is a new row that names the visit it corrects; the corrected one no longer counts
o=$(sqlite3 s.db "SELECT obligation_id FROM visits WHERE id = 1")
expect_rc 0 "$RV" record -s s.db --obligation "$o" --channel phone --at "2024-03-12 11:00" --outcome completed --answer quality=否 --answer effect=是 --corrects 1
expect_rc 0 "$RV" verdicts -s s.db --period 2024-03 --as-of 2024-04-01 --list
expect_grep "problem_case" stdout.txt
expect_rc 0 "$RV" verify -s s.db
# 100 random tamperings, each on a fresh copy with the triggers dropped
drop="DROP TRIGGER visits_no_update; DROP TRIGGER visits_no_delete; DROP TRIGGER answers_no_update; DROP TRIGGER answers_no_delete;
DROP TRIGGER verdicts_no_update; DROP TRIGGER verdicts_no_delete; DROP TRIGGER escalation_acks_no_update;
DROP TRIGGER escalation_acks_no_delete; DROP TRIGGER audit_chain_no_update; DROP TRIGGER audit_chain_no_delete;"
nv=$(sqlite3 s.db "SELECT count(*) FROM visits")
na=$(sqlite3 s.db "SELECT count(*) FROM answers")
nd=$(sqlite3 s.db "SELECT count(*) FROM verdicts")
nc=$(sqlite3 s.db "SELECT count(*) FROM audit_chain")
seed=12345
rnd() { seed=$(( (seed * 1103515245 + 12345) % 2147483648 )); echo $(( seed % $1 )); }
k=0
caught=0
while [ $k -lt 100 ]; do
    k=$((k + 1))
    cp s.db t.db
    rm -f t.db-wal t.db-shm
    kind=$(rnd 9)
    v=$(( $(rnd "$nv") + 1 ))
    case $kind in
    0) sql="UPDATE visits SET satisfaction = coalesce(satisfaction, 0) + 1 WHERE rowid = (SELECT rowid FROM visits LIMIT 1 OFFSET $((v - 1)))" ;;
    1) sql="UPDATE visits SET at = '2024-03-01 00:00:00' WHERE rowid = (SELECT rowid FROM visits LIMIT 1 OFFSET $((v - 1)))" ;;
    2) sql="DELETE FROM visits WHERE rowid = (SELECT rowid FROM visits LIMIT 1 OFFSET $((v - 1)))" ;;
    3) sql="UPDATE answers SET answer = '否' WHERE rowid = (SELECT rowid FROM answers LIMIT 1 OFFSET $(rnd "$na"))" ;;
    4) sql="DELETE FROM answers WHERE rowid = (SELECT rowid FROM answers LIMIT 1 OFFSET $(rnd "$na"))" ;;
    5) sql="UPDATE verdicts SET verdict = 'met', ok = 1 WHERE rowid = (SELECT rowid FROM verdicts LIMIT 1 OFFSET $(rnd "$nd"))" ;;
    6) # reorder: swap the contents of two visits (ids stay)
       a=$(( $(rnd "$nv") + 1 )); b=$(( a % nv + 1 ))
       sql="CREATE TEMP TABLE x AS SELECT * FROM visits WHERE id IN ($a, $b);
            UPDATE visits SET at = (SELECT at FROM x WHERE id = $b), obligation_id = (SELECT obligation_id FROM x WHERE id = $b) WHERE id = $a;
            UPDATE visits SET at = (SELECT at FROM x WHERE id = $a), obligation_id = (SELECT obligation_id FROM x WHERE id = $a) WHERE id = $b;
            UPDATE visits SET note = coalesce(note, '') || '.' WHERE id = $a" ;;
    7) sql="DELETE FROM audit_chain WHERE seq = (SELECT seq FROM audit_chain LIMIT 1 OFFSET $(rnd "$nc"))" ;;
    8) sql="UPDATE escalation_acks SET note = '改过' WHERE id = 1" ;;
    esac
    sqlite3 t.db "$drop $sql" || fail "tampering $k failed to apply: $sql"
    if "$RV" verify -s t.db > v.txt 2>&1; then
        fail "tampering $k ($sql) was not detected: $(cat v.txt)"
    fi
    grep -q "^broken" v.txt || fail "tampering $k: no broken link reported: $(cat v.txt)"
    caught=$((caught + 1))
done
expect_eq 100 "$caught" "tamperings detected"
# purge: refuses what retention keeps, keeps the chain verifiable, signs off
expect_rc 1 "$RV" purge -s s.db --before 2024-03-15 --by 审计员 --as-of 2025-01-01
expect_grep "records are kept 730 days" stderr.txt
expect_rc 0 "$RV" purge -s s.db --before 2024-03-15 --by 审计员 --note 年度归档 --as-of 2026-06-01
expect_grep "purged [0-9]* records older than 2024-03-15" stdout.txt
expect_eq 0 "$(sqlite3 s.db "SELECT count(*) FROM visits WHERE at < '2024-03-15'")" "old visits gone"
expect_rc 0 "$RV" verify -s s.db
expect_grep "purged), head" stdout.txt
expect_eq "purge|审计员" "$(sqlite3 s.db "SELECT kind, staff_id FROM audit_checkpoints")" "checkpoint"
