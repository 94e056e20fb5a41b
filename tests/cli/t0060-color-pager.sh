#!/bin/sh
# Colour and paging, as git does them: --color=auto|always|never, with
# NO_COLOR and TERM=dumb honoured under auto; long output goes through
# $PAGER on a terminal only, never with --no-pager.
. "$(dirname "$0")/lib.sh"

xenabi scan --release old --tree "$FIXTURES/diff/old" --db "$DB" >/dev/null &&
xenabi scan --release new --tree "$FIXTURES/diff/new" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the diff fixtures"; exit 2; }
ESC=$(printf '\033')

run_status 1 "--color=always" diff old new --color=always --db "$DB"
check "colours even into a file" grep -q "$ESC\[" "$TMP/out"
run_status 1 "--color=never" diff old new --color=never --db "$DB"
check "no colour" sh -c "! grep -q '$ESC' '$TMP/out'"
run_status 1 "before the command too" --color=always diff old new --db "$DB"
check "colours" grep -q "$ESC\[" "$TMP/out"
run_status 2 "a bad --color" diff old new --color=sometimes --db "$DB"
error_line "names the choices" "unknown --color 'sometimes' \(auto, always or never\)"
run_status 1 "auto, not a terminal" diff old new --db "$DB"
check "no colour in a pipe" sh -c "! grep -q '$ESC' '$TMP/out'"

if command -v script >/dev/null 2>&1; then
	tty_run() {	# tty_run FILE ENV... -- ARGS: on a terminal, output in FILE
		f=$1; shift
		script -qec "env $* '$XENABI' diff old new --db '$DB'" "$f" >/dev/null 2>&1 || :
	}
	tty_run "$TMP/t1" -u NO_COLOR TERM=xterm PAGER=cat
	check "auto on a terminal: colour" grep -q "$ESC\[1" "$TMP/t1"
	tty_run "$TMP/t2" NO_COLOR=1 TERM=xterm PAGER=cat
	check "NO_COLOR: none" sh -c "! grep -q '$ESC\[1' '$TMP/t2'"
	tty_run "$TMP/t3" -u NO_COLOR TERM=dumb PAGER=cat
	check "TERM=dumb: none" sh -c "! grep -q '$ESC\[1' '$TMP/t3'"
	tty_run "$TMP/t4" -u NO_COLOR TERM=xterm "PAGER='tee $TMP/paged'"
	check "on a terminal the output goes through \$PAGER" grep -q '^old -> new: ' "$TMP/paged"
	rm -f "$TMP/paged"
	script -qec "env PAGER='tee $TMP/paged' '$XENABI' --no-pager diff old new --db '$DB'" "$TMP/t5" >/dev/null 2>&1 || :
	check "not with --no-pager" test ! -e "$TMP/paged"
	script -qec "env PAGER='tee $TMP/paged' '$XENABI' list releases --no-pager --db '$DB'" "$TMP/t6" >/dev/null 2>&1 || :
	check "nor with a command's --no-pager" test ! -e "$TMP/paged"
else
	for i in 1 2 3 4 5 6; do skip "no script(1)"; done
fi
PAGER="tee $TMP/paged2" xenabi diff old new --db "$DB" >/dev/null
check "not in a pipe" test ! -e "$TMP/paged2"

done_testing
