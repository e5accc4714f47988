# Limits, each at the limit (accepted) and one past it (a clear error, no
# crash): nesting 256, expression 1000 operations, string 65536 bytes,
# identifier 128 bytes, 10000 policies, source 16 MiB.
. "$TOP/tests/lib.sh"
# timing- and size-bound: under valgrind it runs the plain binary
[ -z "${VALGRIND:-}" ] || RV=$REVISIT
gen_nest() { awk -v n="$1" 'BEGIN { printf "policy p { applies to cases where "; for (i = 0; i < n - 1; i++) printf "("; printf "kind = \"x\""; for (i = 0; i < n - 1; i++) printf ")"; printf "\n due within 1 day after closed_at }\n" }'; }
gen_nest 256 > n256.rv
gen_nest 257 > n257.rv
expect_rc 0 "$RV" check n256.rv
expect_rc 1 "$RV" check n257.rv
expect_grep "nesting deeper than 256 levels" stderr.txt
gen_ops() { awk -v n="$1" 'BEGIN { printf "policy p { applies to cases where 0"; for (i = 0; i < n; i++) printf " + 1"; printf " > 0\n due within 1 day after closed_at }\n" }'; }
gen_ops 998 > o_ok.rv
gen_ops 999 > o_bad.rv
expect_rc 0 "$RV" check o_ok.rv
expect_rc 1 "$RV" check o_bad.rv
expect_grep "more than 1000 operations" stderr.txt
gen_str() { awk -v n="$1" 'BEGIN { printf "policy p { applies to cases where kind = \""; for (i = 0; i < n; i++) printf "a"; printf "\"\n due within 1 day after closed_at }\n" }'; }
gen_str 65536 > s_ok.rv
gen_str 65537 > s_bad.rv
expect_rc 0 "$RV" check s_ok.rv
expect_rc 1 "$RV" check s_bad.rv
expect_grep "string longer than 65536 bytes" stderr.txt
gen_id() { awk -v n="$1" 'BEGIN { printf "policy "; for (i = 0; i < n; i++) printf "p"; printf " { applies to cases due within 1 day after closed_at }\n" }'; }
gen_id 128 > i_ok.rv
gen_id 129 > i_bad.rv
expect_rc 0 "$RV" check i_ok.rv
expect_rc 1 "$RV" check i_bad.rv
expect_grep "identifier longer than 128 bytes" stderr.txt
gen_pol() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "policy p%d { applies to cases due within 1 day after closed_at }\n", i }'; }
gen_pol 10000 > p_ok.rv
gen_pol 10001 > p_bad.rv
expect_rc 0 "$RV" check p_ok.rv
expect_rc 1 "$RV" check p_bad.rv
expect_grep "more than 10000 policies in one run" stderr.txt
awk 'BEGIN { for (i = 0; i < 16 * 1024 * 1024 / 64 + 1; i++) printf "# %061d\n", i }' > big.rv
expect_rc 1 "$RV" check big.rv
expect_grep "the limit is 16777216" stderr.txt
