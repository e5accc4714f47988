# tests/lib.sh - helpers sourced by the end-to-end scripts in tests/cli.
# Each script runs in its own scratch folder ($T) with $RV (revisit, maybe
# under valgrind) and $TOP (the source tree).  A failed expectation prints
# what differed and exits 1.
set -u
fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
# expect_rc WANT CMD...: run CMD, compare its exit status
expect_rc() {
    want=$1; shift
    "$@" > stdout.txt 2> stderr.txt
    got=$?
    [ "$got" = "$want" ] || fail "$* -> exit $got, expected $want; stderr: $(head -c 1500 stderr.txt)"
}
# expect_eq WANT GOT LABEL
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"; }
# expect_grep PATTERN FILE
expect_grep() { grep -q -- "$1" "$2" || fail "'$1' not found in $2: $(head -c 1500 "$2")"; }
expect_nogrep() { ! grep -q -- "$1" "$2" || fail "'$1' unexpectedly found in $2"; }
# new_store NAME [FIXTURE.sql]
new_store() {
    "$RV" init "$1" > /dev/null || fail "init $1"
    [ $# -lt 2 ] || sqlite3 -bail "$1" < "$2" || fail "fixture $2"
}
