#!/bin/sh
# diff and check on the diff fixture pair: one change of every kind, each
# at its root, collapsed across ABIs, tools-only changes apart; exit
# statuses like diff(1).
. "$(dirname "$0")/lib.sh"

OLD=$FIXTURES/diff/old
NEW=$FIXTURES/diff/new
xenabi scan --release old --tree "$OLD" --db "$DB" >/dev/null &&
xenabi scan --release new --tree "$NEW" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the diff fixtures"; exit 2; }

run_status 1 "diff finds breaks: exit 1" diff old new --db "$DB"
golden diff.txt "$TMP/out"
run_status 1 "diff --format json" diff old new --format json --db "$DB"
golden diff.json "$TMP/out"
check "json changes carry kind, severity, abi list, view, file, line" \
	sh -c "jq -e '.changes | all(has(\"kind\") and has(\"severity\") and (.abi | type == \"array\") and has(\"view\") and has(\"file\") and has(\"line\"))' '$TMP/out' >/dev/null"

for kind in type_removed type_added type_renamed size_changed align_changed member_removed \
	    member_added member_offset_changed member_narrowed member_widened \
	    member_signedness_changed member_type_changed member_renamed \
	    bitfield_changed enumerator_changed enumerator_removed \
	    constant_changed constant_removed constant_added \
	    interface_version_unchanged; do
	check "reports $kind" sh -c "jq -e '[.changes[] | select(.kind == \"$kind\")] | length > 0' '$TMP/out' >/dev/null"
done

# At the root: fix_inner's widened member names the new size and the
# containers it shifts, and they have no findings of their own.
check "the root names what it shifts" \
	sh -c "jq -e '.changes[] | select(.symbol == \"fix_inner.y\" and .kind == \"member_widened\") | .detail == \"fix_inner 4 -> 8 bytes; align 2 -> 4; shifts: fix_outer_a, fix_outer_b\"' '$TMP/out' >/dev/null"
check "a widening is one finding: no size, alignment or offset of its own" \
	sh -c "! jq -e '.changes[] | select(.symbol | startswith(\"fix_inner\")) | select(.kind != \"member_widened\")' '$TMP/out' >/dev/null"
check "every finding says why" \
	sh -c "jq -e '.changes | all(.reason | type == \"string\" and length > 0)' '$TMP/out' >/dev/null"
check "the shifted containers have no findings" \
	sh -c "! jq -r '.changes[].symbol' '$TMP/out' | grep -q fix_outer"
# Nothing for blanks and comments, nor for an unchanged macro's spacing.
check "a comment- and whitespace-only change gives nothing" \
	sh -c "! jq -r '.changes[].symbol' '$TMP/out' | grep -q -e fix_same -e FIX_EXPR"
check "same change on both ABIs is one finding" \
	sh -c "jq -e '.changes[] | select(.symbol == \"fix_members.narrow\") | .abi == [\"x86_32\", \"x86_64\", \"arm32\", \"arm64\"]' '$TMP/out' >/dev/null"
check "an arm-only change names arm32 and arm64 alone" \
	sh -c "jq -e '.changes[] | select(.symbol == \"fix_arm.pc\") | .abi == [\"arm32\", \"arm64\"]' '$TMP/out' >/dev/null"
check "a change that differs by ABI is shown per ABI" \
	test "$(jq '[.changes[] | select(.symbol == "fix_members.handle")] | length' "$TMP/out")" = 2
check "tools-only changes are reported apart" \
	sh -c "jq -e '.changes[] | select(.symbol == \"fix_domctl.arg\") | .view == \"tools\"' '$TMP/out' >/dev/null"

# SARIF for code scanning: the structure of 2.1.0 (checked with jq; no
# SARIF schema is packaged for Debian), one result per finding.
n=$(jq '.changes | length' "$TMP/out")
run_status 1 "diff --format sarif" diff old new --format sarif --db "$DB"
check "sarif: version 2.1.0, one run by xenabi" \
	sh -c "jq -e '.version == \"2.1.0\" and (.runs | length) == 1 and .runs[0].tool.driver.name == \"xenabi\"' '$TMP/out' >/dev/null"
check "sarif: one result per finding" test "$(jq '.runs[0].results | length' "$TMP/out")" = "$n"
check "sarif: results have a known rule, a level and a location" \
	sh -c "jq -e '[.runs[0].tool.driver.rules[].id] as \$ids | .runs[0].results | all((.ruleId as \$r | \$ids | index(\$r)) and (.level | IN(\"error\", \"warning\", \"note\")) and (.locations[0].physicalLocation.artifactLocation.uri | startswith(\"xen/include/public/\")) and .locations[0].physicalLocation.region.startLine > 0)' '$TMP/out' >/dev/null"
check "sarif: breaks are errors" \
	test "$(jq '[.runs[0].results[] | select(.level == "error")] | length' "$TMP/out")" = 14

# JUnit for GitLab's test report: parsed back with xmllint.
run_status 1 "diff --format junit" diff old new --format junit --db "$DB"
check "junit: well-formed XML" xmllint --noout "$TMP/out"
check "junit: one testcase per finding" \
	test "$(xmllint --xpath 'count(//testcase)' "$TMP/out")" = "$n"
check "junit: a failure per break" \
	test "$(xmllint --xpath 'count(//testcase/failure)' "$TMP/out")" = 14
check "junit: failures attribute agrees" \
	test "$(xmllint --xpath 'string(//testsuite/@failures)' "$TMP/out")" = 14
run_status 0 "junit of no change" diff new new --format junit --db "$DB"
check "junit: one passing testcase when nothing changed" \
	test "$(xmllint --xpath 'count(//testcase[not(failure)])' "$TMP/out")" = 1
run_status 2 "sarif is for diff and check only" list releases --format sarif --db "$DB"

run_status 0 "a release against itself: nothing, exit 0" diff new new --db "$DB"
check "and says so" grep -q '^new -> new: 0 break, 0 risk, 0 info' "$TMP/out"
run_status 1 "--fail-on info" diff new old --fail-on info --db "$DB"
run_status 0 "--view guest --abi x86_64 on a guest-clean pair" \
	diff old old --view guest --abi x86_64 --db "$DB"

# check: a working tree against a stored release, the store untouched.
sqlite3 "$DB" .dump >"$TMP/before.sql"
run_status 1 "check a tree against a release" check --tree "$NEW" --against old --db "$DB"
sed 's/^old -> new:/old -> tree:/' "$EXPECT/diff.txt" >"$TMP/want.txt"
check "check reports what diff does" cmp -s "$TMP/want.txt" "$TMP/out"
run_status 0 "check an unchanged tree" check --tree "$OLD" --against old --db "$DB"
# A tree stored already is loaded, not compiled: a compiler that fails
# at once does not matter to it, and does to a changed tree.
printf '#!/bin/sh\nexit 1\n' >"$TMP/nocc"
chmod +x "$TMP/nocc"
XENABI_CC=$TMP/nocc xenabi check --tree "$OLD" --against new --db "$DB" >"$TMP/out" 2>"$TMP/err"
check "check of a stored tree compiles nothing" test $? = 1
run_status 1 "the diff it stands for" diff new old --db "$DB"
sed '1s/^new -> old:/new -> tree:/' "$TMP/out" >"$TMP/want.txt"
XENABI_CC=$TMP/nocc xenabi check --tree "$OLD" --against new --db "$DB" >"$TMP/out" 2>&1
check "and it reports what diff does" cmp -s "$TMP/want.txt" "$TMP/out"
XENABI_CC=$TMP/nocc xenabi check --tree "$NEW" --against new --db "$DB" >/dev/null 2>&1
check "a tree stored under another name is loaded too" test $? = 0
cp -r "$OLD" "$TMP/changed"
echo '#define FIX_CHANGED 1' >>"$TMP/changed/xen/include/public/xen.h"
XENABI_CC=$TMP/nocc xenabi check --tree "$TMP/changed" --against old --db "$DB" >/dev/null 2>&1
check "a changed tree is compiled" test $? = 2
sqlite3 "$DB" .dump >"$TMP/after.sql"
check "check never writes the database" cmp -s "$TMP/before.sql" "$TMP/after.sql"

# Bad input.
run_status 2 "unknown release" diff old nosuch --db "$DB"
error_line "names it" "no release 'nosuch'"
run_status 2 "unknown ABI" diff old new --abi sparc --db "$DB"
run_status 2 "bad --fail-on" diff old new --fail-on often --db "$DB"
cp -r "$OLD" "$TMP/x86old"
rm "$TMP/x86old/xen/include/public/arch-arm.h"
xenabi scan --release x86old --tree "$TMP/x86old" --db "$DB" >/dev/null
run_status 1 "releases with different ABI sets: the ABIs both have" diff x86old new --db "$DB"
check "compared on x86 only" grep -q '^x86old -> new: .* (x86_32, x86_64)$' "$TMP/out"
error_line "says what only one side has" "note: 'new' also has arm32, arm64, which 'x86old' lacks: not compared"
run_status 2 "an ABI one release lacks" diff x86old new --abi arm64 --db "$DB"
run_status 1 "the ABIs both have, with --abi" diff x86old new --abi x86_32,x86_64 --db "$DB"
run_status 2 "check without --against" check --tree "$NEW" --db "$DB"

# An ABI Xen had not declared stable yet ("stable" in lib/abirules.txt:
# arm from 4.4.0): the same change is a break on x86, a risk on arm.
SDB=$TMP/stable.db
xenabi scan --release 4.3.9 --tree "$OLD" --db "$SDB" >/dev/null &&
xenabi scan --release 4.4.0 --tree "$NEW" --db "$SDB" >/dev/null ||
	not_ok "scan the diff fixtures as 4.3.9 and 4.4.0"
run_status 1 "diff 4.3.9 4.4.0" diff 4.3.9 4.4.0 --db "$SDB" --format json
check "a narrowing before arm was stable: break on x86, risk on arm saying why" \
	sh -c "jq -e '[.changes[] | select(.symbol == \"fix_members.narrow\")] | map({(.abi | join(\",\")): .severity}) | add == {\"x86_32,x86_64\": \"break\", \"arm32,arm64\": \"risk\"}' '$TMP/out' >/dev/null &&
	       jq -e '.changes[] | select(.symbol == \"fix_members.narrow\" and .severity == \"risk\") | .reason | startswith(\"not promised at 4.3.9: the ARM ABI was declared stable as of Xen 4.4\")' '$TMP/out' >/dev/null"
xenabi scan --release 4.4.1 --tree "$OLD" --db "$SDB" >/dev/null &&
xenabi scan --release 4.4.2 --tree "$NEW" --db "$SDB" >/dev/null ||
	not_ok "scan the diff fixtures as 4.4.1 and 4.4.2"
run_status 1 "diff 4.4.1 4.4.2" diff 4.4.1 4.4.2 --db "$SDB" --format json
check "from 4.4.0 on, arm is held to it: break everywhere" \
	sh -c "jq -e '[.changes[] | select(.symbol == \"fix_members.narrow\")] | length == 1 and .[0].severity == \"break\"' '$TMP/out' >/dev/null"

done_testing
