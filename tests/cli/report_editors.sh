# Editor support (issue 11, with the reports): the Vim syntax file and the
# TextMate grammar in editors/ know every keyword of the scanner
# (grammar/lexer.l), and colour a sample the way they should: keywords,
# names, strings and escapes, dates, date-times, times of day, durations,
# percentages, numbers and comments.  The TextMate grammar is run by a small
# interpreter of the rule kinds it uses (match, captures, begin/end,
# include) over the sample and every policy of the tree; Vim, when
# installed, colours the sample headless.
. "$TOP/tests/lib.sh"
command -v python3 > /dev/null || fail "python3 is needed to check the TextMate grammar"
VIMDIR=$TOP/editors/vim
TM=$TOP/editors/vscode/syntaxes/rv.tmLanguage.json
[ -f "$VIMDIR/syntax/rv.vim" ] || fail "no $VIMDIR/syntax/rv.vim"
[ -f "$TM" ] || fail "no $TM"

# the scanner's keywords ("hour"|"hours" lines give both)
grep -o '^"[a-z]*"\(|"[a-z]*"\)*' "$TOP/grammar/lexer.l" | tr '|' '\n' | tr -d '"' | sort -u > keywords.txt
[ "$(wc -l < keywords.txt)" -gt 60 ] || fail "could not read the keywords of grammar/lexer.l"
missing=""
for k in $(cat keywords.txt); do
    grep '^syn keyword' "$VIMDIR/syntax/rv.vim" | grep -qw -- "$k" || missing="$missing $k"
done
[ -z "$missing" ] || fail "keywords of grammar/lexer.l missing from editors/vim/syntax/rv.vim:$missing"

cat > sample.rv <<'P'
use calendar cn # 日历 TODO
policy complaint_followup "投诉事件回访\n" version 2 effective 2026-01-01 {
  due within 3 working days after closed_at
  coverage 20% per day
  contact between 10:30-11:40
  given case k1 { closed_at = 2026-11-20T10:00, n = 1.5 }
  applies to cases where kind = "complaint" and closed_at is not null and count(cases where x = this.y) >= 2
}
P
# token (first occurrence on its line) -> Vim group, TextMate scope
cat > expect.txt <<'P'
1	use	rvStructure	storage.type.rv
1	calendar	rvStructure	storage.type.rv
1	cn	rvName	entity.name.function.rv
1	日历	rvComment	comment.line.number-sign.rv
1	TODO	rvTodo	keyword.other.todo.rv
2	policy	rvStructure	storage.type.rv
2	complaint_followup	rvName	entity.name.function.rv
2	投诉	rvString	string.quoted.double.rv
2	\n	rvEscape	constant.character.escape.rv
2	version	rvKeyword	keyword.control.rv
2	2026-01-01	rvDate	constant.other.date.rv
3	due	rvKeyword	keyword.control.rv
3	3 working	rvDuration	constant.numeric.duration.rv
3	closed_at	-	-
4	20%	rvPercent	constant.numeric.percentage.rv
4	day	rvUnit	storage.type.unit.rv
5	10:30	rvClock	constant.other.time.rv
6	2026-11-20T10:00	rvDateTime	constant.other.datetime.rv
6	1.5	rvNumber	constant.numeric.rv
7	and	rvOperator	keyword.operator.word.rv
7	null	rvConstant	constant.language.rv
7	count	rvFunction	support.function.builtin.rv
7	this	rvSpecial	variable.language.rv
7	>=	rvOperatorSym	keyword.operator.comparison.rv
P

python3 - "$TM" keywords.txt sample.rv expect.txt "$TOP/policies" "$TOP/stdlib" > tm.txt 2>&1 <<'PY' || fail "TextMate grammar: $(tail -n 20 tm.txt)"
import json, os, re, sys
gram = json.load(open(sys.argv[1], encoding="utf-8"))
repo = gram.get("repository", {})

def expand(patterns):
    out = []
    for p in patterns:
        if "include" in p:
            ref = p["include"]
            assert ref.startswith("#"), ref
            r = repo[ref[1:]]
            out += expand(r["patterns"]) if "patterns" in r and "match" not in r and "begin" not in r else [r]
        else:
            out.append(p)
    return out

for p in expand(gram["patterns"]):  # every regex compiles
    for k in ("match", "begin", "end"):
        if k in p: re.compile(p[k])

def tokenize(text):
    """[(line, start, end, scope)] for every scope a rule gives a span."""
    toks, stack = [], []
    for ln, line in enumerate(text.split("\n"), 1):
        pos = 0
        while pos <= len(line):
            pats = expand(stack[-1].get("patterns", [])) if stack else expand(gram["patterns"])
            best = None
            for p in pats:
                m = re.compile(p.get("match") or p["begin"]).search(line, pos)
                if m and (best is None or m.start() < best[1].start()):
                    best = (p, m)
            if stack:
                e = re.compile(stack[-1]["end"]).search(line, pos)
                if e and (best is None or e.start() <= best[1].start()):
                    toks.append((ln, stack[-1]["_start"][1] if stack[-1]["_start"][0] == ln else 0, e.end(), stack[-1]["name"]))
                    stack.pop()
                    pos = e.end() if e.end() > pos else pos + 1
                    continue
                if best is None:
                    toks.append((ln, stack[-1]["_start"][1] if stack[-1]["_start"][0] == ln else 0, len(line), stack[-1]["name"]))
                    break
            if best is None:
                break
            p, m = best
            if "match" in p:
                if "name" in p: toks.append((ln, m.start(), m.end(), p["name"]))
                for g, c in p.get("captures", {}).items():
                    if m.group(int(g)) is not None:
                        toks.append((ln, m.start(int(g)), m.end(int(g)), c["name"]))
            else:
                q = dict(p)
                q["_start"] = (ln, m.start())
                stack.append(q)
                for g, c in p.get("beginCaptures", {}).items():
                    toks.append((ln, m.start(int(g)), m.end(int(g)), c["name"]))
            pos = m.end() if m.end() > pos else pos + 1
    return toks

def scope_at(toks, ln, col):
    best = None
    for t in toks:  # the narrowest span wins (captures inside matches, escapes inside strings)
        if t[0] == ln and t[1] <= col < t[2] and (best is None or t[2] - t[1] <= best[2] - best[1]):
            best = t
    return best[3] if best else "-"

# every scanner keyword is coloured as something
words = [w.strip() for w in open(sys.argv[2], encoding="utf-8") if w.strip()]
bad = [w for w in words if scope_at(tokenize(w), 1, 0) == "-"]
assert not bad, "keywords of grammar/lexer.l the TextMate grammar does not colour: " + " ".join(bad)

lines = open(sys.argv[3], encoding="utf-8").read().split("\n")
toks = tokenize("\n".join(lines))
errs = []
for row in open(sys.argv[4], encoding="utf-8"):
    ln, tok, _, want = row.rstrip("\n").split("\t")
    col = lines[int(ln) - 1].find(tok)
    got = scope_at(toks, int(ln), col)
    if got != want: errs.append("line %s %r: %s, expected %s" % (ln, tok, got, want))
assert not errs, "\n".join(errs)

n = 0
for top in sys.argv[5:]:
    for d, _, files in os.walk(top):
        for f in files:
            if f.endswith(".rv"):
                tokenize(open(os.path.join(d, f), encoding="utf-8").read())
                n += 1
print("ok: %d keywords, the sample, %d policy files" % (len(words), n))
PY
expect_grep '^ok:' tm.txt

# Vim, when installed: colour the sample headless and compare
if command -v vim > /dev/null 2>&1; then
    cat > probe.vim <<P
set nocompatible
let &rtp = '$VIMDIR,' . &rtp
filetype plugin on
syntax on
edit sample.rv
let out = []
for row in readfile('expect.txt')
  let [l, tok, want, tm] = split(row, "\t")
  let c = stridx(getline(l), tok) + 1
  let got = synIDattr(synID(l, c, 1), 'name')
  call add(out, (got == '' ? '-' : got) . "\t" . want . "\t" . l . ' ' . tok)
endfor
call add(out, 'filetype ' . &filetype . ' commentstring ' . &commentstring)
call writefile(out, 'vim.txt')
qall!
P
    vim -u NONE -N -es -S probe.vim < /dev/null > vim.log 2>&1 || fail "vim: $(cat vim.log)"
    [ -f vim.txt ] || fail "vim wrote nothing: $(cat vim.log)"
    awk -F'\t' 'NF == 3 && $1 != $2 { print "line " $3 ": " $1 ", expected " $2; bad = 1 } END { exit bad }' vim.txt > vimbad.txt ||
        fail "Vim colours differ: $(cat vimbad.txt)"
    expect_grep 'filetype rv commentstring # %s' vim.txt
    # and every policy of the tree opens without an error
    for f in "$TOP"/policies/*/*.rv; do
        vim -u NONE -N -es -c "set rtp^=$VIMDIR" -c 'filetype plugin on' -c 'syntax on' -c 'qall!' "$f" < /dev/null > vimf.log 2>&1 ||
            fail "vim on $f: $(cat vimf.log)"
    done
fi
