#!/bin/sh
# Suppressions: accepted changes are listed with their reason, never
# dropped; they do not count for the exit status; an entry that matches
# nothing is warned about; a bad file is one error line with its line.
. "$(dirname "$0")/lib.sh"

xenabi scan --release old --tree "$FIXTURES/diff/old" --db "$DB" >/dev/null &&
xenabi scan --release new --tree "$FIXTURES/diff/new" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the diff fixtures"; exit 2; }

cat >"$TMP/accepted" <<'EOS'
# accepted for the fixture release
accept member_narrowed fix_members.narrow
    reason: freeze exception: the high half was never used
accept bitfield_changed fix_bits.* abi=x86_32,x86_64,arm32,arm64 view=guest
    reason: b was documented as 20 bits

accept type_removed no_such_type
    reason: stale on purpose
EOS
run_status 1 "other breaks still fail" diff old new --suppress "$TMP/accepted" --db "$DB"
check "the summary counts the accepted" grep -q '^old -> new: 12 break, 11 risk, 6 info, 2 accepted ' "$TMP/out"
check "accepted changes are listed with their reason" \
	grep -q 'member_narrowed *fix_members.narrow: .*accepted: freeze exception: the high half was never used' "$TMP/out"
check "a stale entry is warned about, with its line" \
	grep -q "^xenabi: warning: .*accepted:7: 'accept type_removed no_such_type' matched no change (stale suppression)$" "$TMP/err"
run_status 1 "json" diff old new --suppress "$TMP/accepted" --format json --db "$DB"
check "json marks them suppressed, with the reason" \
	test "$(jq '[.changes[] | select(.suppressed)] | length' "$TMP/out")" = 2
run_status 1 "sarif" diff old new --suppress "$TMP/accepted" --format sarif --db "$DB"
check "sarif carries the justification" \
	grep -q '"justification": "b was documented as 20 bits"' "$TMP/out"

# Accepting every break: exit 0, and nothing is hidden.
printf 'accept * *\n  reason: release manager: all accepted for the test\n' >"$TMP/all"
run_status 0 "everything accepted: exit 0" diff old new --suppress "$TMP/all" --db "$DB"
check "yet every change is still listed" grep -q 'fix_inner.y: uint16_t (16-bit unsigned) at 2 -> uint32_t' "$TMP/out"
# abi= and view= restrict what an entry accepts.
printf 'accept member_type_changed fix_members.handle abi=x86_32,arm32\n  reason: 32-bit only\n' >"$TMP/one"
run_status 1 "an abi= entry" diff old new --suppress "$TMP/one" --format json --db "$DB"
check "accepts the 32-bit finding only" \
	test "$(jq -c '[.changes[] | select(.symbol == "fix_members.handle") | .suppressed != null]' "$TMP/out")" = '[true,false]'

printf 'accept member_narrowed x\n\naccept * y\n  reason: z\n' >"$TMP/noreason"
run_status 2 "an entry without a reason" diff old new --suppress "$TMP/noreason" --db "$DB"
error_line "names the file and the line" "noreason:3: the entry on line 1 has no 'reason:' line"
printf 'accept member_shrunk x\n  reason: y\n' >"$TMP/badkind"
run_status 2 "an unknown kind" diff old new --suppress "$TMP/badkind" --db "$DB"
error_line "names the line" "badkind:1: unknown change kind"
printf 'accept * x\n  reason:   \n' >"$TMP/empty"
run_status 2 "an empty reason" diff old new --suppress "$TMP/empty" --db "$DB"
error_line "asks for one" "empty:2: the reason is empty"
printf 'accept * x view=host\n  reason: y\n' >"$TMP/badview"
run_status 2 "a bad view=" diff old new --suppress "$TMP/badview" --db "$DB"
printf 'reason: orphan\n' >"$TMP/orphan"
run_status 2 "a reason without an entry" diff old new --suppress "$TMP/orphan" --db "$DB"
run_status 2 "a missing file" diff old new --suppress "$TMP/nope" --db "$DB"
error_line "names it" "cannot read suppressions '.*nope'"

done_testing
