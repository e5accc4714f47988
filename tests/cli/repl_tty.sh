# The REPL on a real terminal, driven through tmux: Tab completes a column
# name and a policy id, a policy typed over several lines gets the
# continuation prompt, :why names the failing filter of a customer who is
# not due and says do_not_contact, Ctrl-C cancels the input and the session
# goes on, history is saved, Ctrl-D leaves with status 0.  Skipped (with a
# note) when tmux is not installed.
. "$TOP/tests/lib.sh"
if ! command -v tmux > /dev/null 2>&1; then
    echo "SKIP: tmux is not installed; the REPL was not driven through a terminal"
    exit 0
fi
cat > p.rv <<'P'
policy complaint_followup "complaint follow-up" {
  applies to cases where kind = "complaint" and closed_at is not null
  due within 3 days after closed_at
  channels phone
}
P
cat > f.sql <<'P'
INSERT INTO customers(id, name, do_not_contact, created_at) VALUES
  ('C-1', 'Wang Fang', 0, '2025-01-01 00:00:00'),
  ('C-2', 'Li Lei', 1, '2025-01-01 00:00:00'),
  ('C-4', 'Zhang Wei', 0, '2025-01-01 00:00:00');
INSERT INTO cases(id, customer_id, kind, opened_at, closed_at) VALUES
  ('K-1', 'C-1', 'complaint', '2026-11-16 09:00:00', '2026-11-18 17:00:00'),
  ('K-3', 'C-2', 'complaint', '2026-11-16 09:00:00', '2026-11-18 10:00:00'),
  ('K-4', 'C-4', 'complaint', '2026-11-19 09:00:00', NULL);
P
new_store s.db f.sql
before=$(sha256sum s.db | cut -d' ' -f1)

SOCK="rv-repl-$$"
tm() { env -u TMUX tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server > /dev/null 2>&1; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"' EXIT
WAIT=20
[ -n "${VALGRIND:-}" ] && WAIT=180
# wait_for PATTERN: until the screen (with its scrollback) shows it
wait_for() {
    i=0
    while [ $i -lt $((WAIT * 10)) ]; do
        tm capture-pane -p -J -S -3000 -t r > screen.txt 2> /dev/null
        grep -q -- "$1" screen.txt && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "timed out waiting for '$1'; the screen: $(tail -n 25 screen.txt)"
}
keys() { tm send-keys -t r "$@"; }

tm new-session -d -s r -x 220 -y 50 \
    "cd '$T' && XDG_DATA_HOME='$T/xdg' REVISIT_STDLIB='$REVISIT_STDLIB' $RV repl -s s.db --as-of 2026-11-20 p.rv 2> err.txt; echo \$? > rc.txt; sleep 600"
wait_for '^revisit> $'

# completion of a column name (closed_<Tab>), with the subject chosen
keys ':with case K-1' Enter
wait_for '^case K-1$'
keys 'closed_'
keys Tab
wait_for '^revisit> closed_at $'
keys '+ 3 days' Enter
wait_for '^2026-11-21 17:00:00 (time)$'

# completion of a policy id
keys ':show compl'
keys Tab
wait_for '^revisit> :show complaint_followup $'
keys Enter
wait_for '^# p.rv:1$'

# a policy typed over several lines: the continuation prompt, then loaded
keys 'policy vip "VIP" {' Enter
wait_for '^     \.\.\.> $'
keys '  applies to customers where tier = "large"' Enter
keys '  due every 1 month from created_at' Enter
keys '}' Enter
wait_for '^policy vip loaded (version 1, applies to customers, 1 schedule)$'

# :why on a customer who is not due: the failing filter is named
keys ':why C-4' Enter
wait_for 'complaint_followup v1 - case K-4: not due, filter 2 fails: closed_at is not null  \[closed_at = null\]'
# :why on a customer marked do_not_contact says so
keys ':why C-2 complaint_followup' Enter
wait_for 'do_not_contact: customer C-2 is marked do_not_contact: excluded'
wait_for '=> not due: excluded as do_not_contact'

# Ctrl-C cancels an unfinished input; the session goes on
keys '1 + (2 *' Enter
wait_for '^     \.\.\.> $'
keys 'abc'
keys C-c
wait_for '^     \.\.\.> abc^C$'
keys '40 + 2' Enter
wait_for '^42 (integer)$'
expect_nogrep 'error' screen.txt

# Ctrl-D leaves, with status 0
keys C-d
i=0
while [ ! -s rc.txt ] && [ $i -lt $((WAIT * 10)) ]; do sleep 0.1; i=$((i + 1)); done
expect_eq 0 "$(cat rc.txt 2> /dev/null)" "exit status after Ctrl-D; stderr: $(cat err.txt)"
expect_nogrep 'ERROR' err.txt

# history kept in the data directory, without the cancelled input
expect_grep '^40 + 2$' xdg/revisit/history
expect_grep '^:why C-4$' xdg/revisit/history
expect_nogrep 'abc' xdg/revisit/history
# and the store was only read
expect_eq "$before" "$(sha256sum s.db | cut -d' ' -f1)" "store bytes after the REPL"
