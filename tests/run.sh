#!/bin/sh
# tests/run.sh - the one test driver behind `make test`.
#
# Runs, in order:
#   unit     the C unit tests (build/unit_tests), one line per test;
#   bad      every tests/bad/NAME.rv: `revisit check` must exit 1 and print
#            exactly tests/bad/NAME.err on stderr (FAIL cases);
#            tests/bad/generated/NAME.err: inputs too big or too odd to
#            commit (1 MB line, deep nesting), made here first;
#   golden   every tests/golden/NAME/: a store from fixture.sql, the words
#            in `cmd` run with -s STORE and policy.rv, stdout compared with
#            `expected` (and the exit status with `status`, default 0);
#   policy   `revisit test policies stdlib`: the tests written in the
#            library's policy files, each counted;
#   cli      every tests/cli/NAME.sh: an end-to-end script; exit 0 = pass.
# and ends with one line "N passed, N failed".
#
# Environment: REVISIT (the binary), UNIT (the unit-test binary),
# VALGRIND=1 to run every revisit call under memcheck (errors and leaks
# fail the test), KEEP=1 to keep the scratch folder.
set -u
LC_ALL=C
export LC_ALL
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
REVISIT=${REVISIT:-./revisit}
case $REVISIT in /*) ;; *) REVISIT=$TOP/${REVISIT#./} ;; esac
UNIT=${UNIT:-build/unit_tests}
VALGRIND=${VALGRIND:-}
OUT=${TEST_OUT:-$TOP/tests/out}
rm -rf "$OUT"
mkdir -p "$OUT"
export REVISIT_STDLIB=$TOP/stdlib
pass=0
fail=0
failed_names=""

if [ -n "$VALGRIND" ]; then
    # a wrapper script, so that "$RV" stays one word for the tests
    RV=$OUT/revisit-under-valgrind
    printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "%s" "$@"\n' "$REVISIT" > "$RV"
    chmod +x "$RV"
else
    RV=$REVISIT
fi
export RV REVISIT OUT TOP VALGRIND

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    failed_names="$failed_names $1"
    printf 'FAIL %s\n' "$1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /' | head -n 40
    return 0
}

# ---- unit ----
if [ -x "$UNIT" ]; then
    "$UNIT" > "$OUT/unit.txt" 2>&1
    while IFS= read -r line; do
        case $line in
        "ok "*) ok ;;
        "FAIL "*) bad "unit:${line#FAIL }" ;;
        esac
    done < "$OUT/unit.txt"
    grep -q '^unit tests done$' "$OUT/unit.txt" || bad "unit:crashed" "$(tail -n 5 "$OUT/unit.txt")"
else
    bad "unit:missing" "$UNIT not built"
fi

# ---- bad inputs ----
mkdir -p "$OUT/bad"
awk 'BEGIN { printf "policy p { applies to cases where kind = \""; for (i = 0; i < 1048576; i++) printf "a"; printf "\" }\n" }' > "$OUT/bad/long_line.rv"
awk 'BEGIN { printf "policy p { applies to cases where "; for (i = 0; i < 1000000; i++) printf "("; printf "\n" }' > "$OUT/bad/deep_parens.rv"
awk 'BEGIN { printf "policy p { applies to cases where kind = \"x\""; for (i = 0; i < 5000; i++) printf " and kind = \"x\""; printf "\n due within 1 day after closed_at }\n" }' > "$OUT/bad/long_and.rv"
awk 'BEGIN { printf "policy p { applies to cases where "; for (i = 0; i < 2000; i++) printf "1 + "; printf "1 > 0\n due within 1 day after closed_at }\n" }' > "$OUT/bad/long_sum.rv"
check_bad() { # file expected-err-file name
    "$RV" check "$1" > "$OUT/bad/out.txt" 2> "$OUT/bad/err.txt"
    rc=$?
    if [ $rc -ne 1 ]; then
        bad "bad:$3" "exit status $rc, expected 1; stderr: $(head -c 2000 "$OUT/bad/err.txt")"
    elif ! cmp -s "$2" "$OUT/bad/err.txt"; then
        bad "bad:$3" "$(diff "$2" "$OUT/bad/err.txt" | head -c 3000)"
    else
        ok
    fi
}
for f in tests/bad/*.rv; do
    [ -e "$f" ] || continue
    n=${f#tests/bad/}
    n=${n%.rv}
    if [ ! -f "tests/bad/$n.err" ]; then bad "bad:$n" "missing tests/bad/$n.err"; continue; fi
    check_bad "$f" "tests/bad/$n.err" "$n"
done
for n in long_line deep_parens long_and long_sum; do
    e=tests/bad/generated/$n.err
    if [ ! -f "$e" ]; then bad "bad:generated/$n" "missing $e"; continue; fi
    (cd "$OUT/bad" && "$RV" check "$n.rv" > out.txt 2> err.txt; echo $? > rc.txt)
    rc=$(cat "$OUT/bad/rc.txt")
    if [ "$rc" != 1 ]; then bad "bad:generated/$n" "exit status $rc, expected 1"
    elif ! cmp -s "$e" "$OUT/bad/err.txt"; then bad "bad:generated/$n" "$(diff "$e" "$OUT/bad/err.txt" | head -c 3000)"
    else ok; fi
done

# ---- golden ----
for d in tests/golden/*/; do
    [ -d "$d" ] || continue
    n=$(basename "$d")
    w="$OUT/golden/$n"
    mkdir -p "$w"
    if ! "$REVISIT" init "$w/store.db" > /dev/null 2> "$w/err.txt"; then bad "golden:$n" "init failed"; continue; fi
    if [ -f "$d/fixture.sql" ] && ! sqlite3 -bail "$w/store.db" < "$d/fixture.sql" 2> "$w/err.txt"; then
        bad "golden:$n" "fixture: $(cat "$w/err.txt")"
        continue
    fi
    want_rc=0
    [ -f "$d/status" ] && want_rc=$(cat "$d/status")
    # shellcheck disable=SC2046
    (cd "$d" && $RV $(cat cmd) -s "$w/store.db" policy.rv > "$w/stdout.txt" 2> "$w/stderr.txt"; echo $? > "$w/rc")
    rc=$(cat "$w/rc")
    if [ "$rc" != "$want_rc" ]; then
        bad "golden:$n" "exit status $rc, expected $want_rc; stderr: $(head -c 2000 "$w/stderr.txt")"
    elif ! cmp -s "$d/expected" "$w/stdout.txt"; then
        bad "golden:$n" "$(diff "$d/expected" "$w/stdout.txt" | head -c 3000)"
    else
        ok
    fi
done

# ---- policy tests: the tests written in the library's policy files ----
if ls policies/*/*.rv stdlib/*/*.rv > /dev/null 2>&1; then
    $RV test policies stdlib > "$OUT/policy-tests.txt" 2>&1
    rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$OUT/policy-tests.txt" | tail -n 1)
    if [ -z "$line" ]; then
        bad "policy-tests" "$(tail -n 20 "$OUT/policy-tests.txt")"
    else
        p=${line%% passed*}
        f=${line#*passed, }
        f=${f%% failed}
        pass=$((pass + p))
        if [ "$f" -gt 0 ] || [ $rc -ne 0 ]; then
            fail=$((fail + f))
            [ "$f" -gt 0 ] || fail=$((fail + 1))
            failed_names="$failed_names policy-tests($f)"
            grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$OUT/policy-tests.txt" | head -n 60
        fi
    fi
fi

# ---- cli ----
for s in tests/cli/*.sh; do
    [ -e "$s" ] || continue
    n=$(basename "$s" .sh)
    w="$OUT/cli/$n"
    mkdir -p "$w"
    if (cd "$w" && T=$w sh "$TOP/$s") > "$w/log.txt" 2>&1; then ok
    else bad "cli:$n" "$(tail -n 30 "$w/log.txt")"; fi
done

# ---- the fuzz corpus, replayed (crashes and sanitizer reports fail) ----
if [ -n "${FUZZ_REPLAY:-}" ]; then
    for t in parse check eval; do
        bin=${FUZZ_REPLAY}$t
        case $bin in /*) ;; *) bin=$TOP/$bin ;; esac
        set -- tests/fuzz/corpus/$t/*
        if [ ! -e "$1" ]; then bad "fuzz-corpus:$t" "no corpus in tests/fuzz/corpus/$t"; continue; fi
        if "$bin" "$@" > "$OUT/fuzz-$t.txt" 2>&1; then ok
        else bad "fuzz-corpus:$t" "$(tail -n 20 "$OUT/fuzz-$t.txt")"; fi
    done
fi

# ---- privacy: no output of the suite shows a whole mobile or ID number ----
leaks=$(find "$OUT" \( -name stdout.txt -o -name stderr.txt -o -name log.txt -o -name err.txt -o -name out.txt \
            -o -name 'policy-tests.txt' -o -name 'unit.txt' \) -type f -print0 2>/dev/null |
        xargs -0 grep -lE '(^|[^0-9a-fA-F])(1[3-9][0-9]{9}|[0-9]{17}[0-9X])([^0-9a-fA-F]|$)' 2>/dev/null)
if [ -n "$leaks" ]; then bad "privacy-scan" "unmasked numbers in: $leaks"; else ok; fi

[ -n "$failed_names" ] && printf 'failed:%s\n' "$failed_names"
[ -n "${KEEP:-}" ] || [ $fail -ne 0 ] || rm -rf "$OUT"
printf '%d passed, %d failed\n' "$pass" "$fail"
[ $fail -eq 0 ]
