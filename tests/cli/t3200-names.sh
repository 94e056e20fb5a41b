#!/bin/sh
# Names a person types: a command, release or type name one letter off
# gets a "did you mean"; a tag names its release; history can be kept to
# some releases; a stored release can be forgotten, a shipped one not.
. "$(dirname "$0")/lib.sh"

xenabi scan --release 4.16.0 --tree "$FIXTURES/mini" --db "$DB" >/dev/null &&
xenabi scan --release 4.16.2 --tree "$FIXTURES/mini" --db "$DB" >/dev/null &&
xenabi scan --release next --tree "$FIXTURES/mini" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the mini fixture"; exit 2; }

run_status 2 "a command one letter off" dif 4.16.0 next --db "$DB"
error_line "suggests the command" "no command 'dif' \(did you mean 'diff'\?\); 'xenabi help' lists them"
run_status 2 "a release by its branch" diff 4.16 next --db "$DB"
error_line "suggests its releases" "no release '4.16' in database '.*' \(did you mean 4.16.0 or 4.16.2\?\); 'xenabi list releases' shows what there is"
run_status 2 "a release one letter off" diff nxt 4.16.0 --db "$DB"
error_line "suggests the nearest" "no release 'nxt' .*\(did you mean next\?\)"
run_status 0 "a tag names its release" diff RELEASE-4.16.0 next --db "$DB"
check "compared as 4.16.0" grep -q '^4.16.0 -> next: ' "$TMP/out"
run_status 2 "a type one letter off" show next fix_opp --db "$DB"
error_line "suggests the type" "no type, encoding or hypercall 'fix_opp' .*\(did you mean fix_op\?\)"

run_status 0 "history of some releases" history fix_op --releases '4.16.*' --db "$DB"
check "only those" sh -c "grep -q '4.16.0 - 4.16.2' '$TMP/out' && ! grep -q next '$TMP/out'"
run_status 0 "history of one" history fix_op --releases next --db "$DB"
check "only it" sh -c "grep -q '^  next ' '$TMP/out' && ! grep -q '4.16' '$TMP/out'"
run_status 2 "a list that matches nothing" history fix_op --releases 'nope*' --db "$DB"
error_line "says so" "--releases 'nope\*' matches no release; 'xenabi list releases' shows them"

run_status 0 "forget a release" forget next --db "$DB"
check "says so" grep -qx 'forgot next' "$TMP/out"
run_status 0 "it is gone" list releases --db "$DB"
check "from the list" sh -c "! grep -q '^next ' '$TMP/out' && grep -q '^4.16.0 ' '$TMP/out'"
check "and its rows" test "$(sqlite3 "$DB" "SELECT count(*) FROM release WHERE name = 'next'")" = 0
run_status 2 "forget it again" forget next --db "$DB"
error_line "no such release" "no release 'next' in your database"
if [ -f "$TOP/build/baselines.db" ]; then
	XENABI_BASELINES=$TOP/build/baselines.db run_status 2 "forget a shipped release" forget 4.17.0 --db "$DB"
	error_line "refused, saying why" "release '4.17.0' is shipped, not yours: the baselines are read only"
else
	skip "no shipped baselines"; skip "no shipped baselines"
fi

done_testing
