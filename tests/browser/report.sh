#!/bin/sh
# tests/browser/report.sh - render the demo store's compliance report in
# headless Chromium, as a person would open it (not part of `make test`:
# it needs Chromium and takes a while).
#
#   sh tests/browser/report.sh            from the top of the tree, after `make`
#
# Builds the demo store in a scratch folder (as `make demo` does), records a
# few visits so that the figures are not all zero, judges November 2026,
# writes the report, then in headless Chromium with a fresh profile and no
# network: takes a screenshot (tests/browser/out/report.png), dumps the DOM
# and checks that the page logged no console message and that every policy
# of the store is in the DOM.  Installs chromium (and a CJK font when
# fontconfig knows none) with apt-get when missing.  Exit 0 = pass.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
RV=${REVISIT:-$TOP/revisit}
OUT=$TOP/tests/browser/out
fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
[ -x "$RV" ] || fail "$RV not built (run make)"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
need=""
command -v chromium > /dev/null 2>&1 || need="chromium"
command -v fc-list > /dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ] && need="$need fonts-noto-cjk"
if [ -n "$need" ]; then
    echo "installing:$need"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need > /dev/null ||
        fail "cannot install$need"
fi
mkdir -p "$OUT"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
"$RV" init demo.db > /dev/null || fail init
sqlite3 -bail demo.db < "$TOP/demo/demo.sql" || fail "demo.sql"
"$RV" run -s demo.db --as-of 2026-11-20 -o due.txt "$TOP/policies" 2> run.txt || fail "run: $(cat run.txt)"
# a few visits: on time, late, through a wrong channel, unreachable
ob() { sqlite3 demo.db "SELECT id FROM obligations WHERE policy = '$1' AND trigger_day >= '2026-11-01' ORDER BY id LIMIT 1 OFFSET $2"; }
rec() { "$RV" record -s demo.db "$@" > /dev/null 2>&1 || fail "record $*"; }
rec --obligation "$(ob r01_complaint 0)" --channel phone --staff S-01 --at "2026-11-05 10:30" --outcome completed \
    --satisfaction 5 --answer quality=是 --answer effect=是 --answer satisfaction=满意
rec --obligation "$(ob r01_complaint 1)" --channel onsite --staff S-02 --at "2026-11-19 15:00" --outcome completed \
    --satisfaction 3 --answer quality=是
rec --obligation "$(ob r04_new_policy 0)" --channel sms --staff S-24 --at "2026-11-10 09:00" --outcome completed
rec --obligation "$(ob r03_hotline_full 0)" --channel phone --at "2026-11-12 16:00" --outcome unreachable --reason 无人接听
"$RV" verdicts -s demo.db --period 2026-11 --as-of 2026-11-20 > /dev/null 2>&1 || fail verdicts
"$RV" report -s demo.db --period 2026-11 --as-of 2026-11-20 -o report.html 2> report.txt || fail "report: $(cat report.txt)"
cat report.txt
size=$(wc -c < report.html)
[ "$size" -lt 1048576 ] || fail "report.html is $size bytes, over 1 MB"
cp report.html "$OUT/report.html"

chrome() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-extensions --user-data-dir="$(mktemp -d -p "$W")" \
        --enable-logging=stderr --v=0 "$@"
}
url="file://$W/report.html"
chrome --window-size=1400,2000 --hide-scrollbars --screenshot="$OUT/report.png" "$url" > shot.out 2> shot.err ||
    fail "chromium screenshot: $(tail -n 5 shot.err)"
[ -s "$OUT/report.png" ] || fail "no screenshot: $(tail -n 5 shot.err)"
chrome --dump-dom "$url" > dom.html 2> dom.err || fail "chromium dump-dom: $(tail -n 5 dom.err)"
# console messages (errors, warnings, logs) of the page, and failed loads
if grep -E 'CONSOLE|Failed to load resource|Refused to|Uncaught' shot.err dom.err > console.txt; then
    fail "the page logged: $(head -c 2000 console.txt)"
fi
grep -q 'id="coverage-chart"' dom.html || fail "no coverage chart in the DOM"
grep -q 'id="trend-chart"' dom.html || fail "no trend chart in the DOM"
missing=""
for p in $(sqlite3 demo.db "SELECT DISTINCT policy FROM policy_versions ORDER BY 1"); do
    grep -q "id=\"policy-$p\"" dom.html || missing="$missing $p"
done
[ -z "$missing" ] || fail "policies missing from the DOM:$missing"
n=$(sqlite3 demo.db "SELECT count(DISTINCT policy) FROM policy_versions")
echo "ok: $n policies in the DOM, no console messages, $size bytes; screenshot in $OUT/report.png"
