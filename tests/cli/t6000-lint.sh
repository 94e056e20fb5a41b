#!/bin/sh
# lint: one release on its own.  The mini fixture has holes and tail
# padding, an arm32/arm64 divergence (fix_buffer's unsigned long) and
# siblings that disagree on a width (fix_map.space, fix_map_batch.space);
# the compat fixture has x86 structs xlat.lst declares alike that are not.
. "$(dirname "$0")/lib.sh"

xenabi scan --release mini --tree "$FIXTURES/mini" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the fixture"; exit 2; }

run_status 1 "lint finds a break: exit 1" lint mini --db "$DB"
golden lint.txt "$TMP/out"
check "the summary says lint" grep -q '^lint mini: ' "$TMP/out"
run_status 1 "lint --format json" lint mini --format json --db "$DB"
golden lint.json "$TMP/out"
check "json names the release" sh -c "jq -e '.release == \"mini\"' '$TMP/out' >/dev/null"
check "implicit padding names the ABIs it is on" \
	sh -c "jq -e '.changes[] | select(.kind == \"implicit_padding\" and .symbol == \"fix_holes\" and (.new | startswith(\"3-byte hole after kind\"))) | .abi == [\"x86_32\", \"x86_64\", \"arm32\", \"arm64\"]' '$TMP/out' >/dev/null"
check "a hole on some ABIs only names those" \
	sh -c "jq -e '[.changes[] | select(.kind == \"implicit_padding\" and .symbol == \"fix_op\")] | all(.abi == [\"x86_64\", \"arm32\", \"arm64\"])' '$TMP/out' >/dev/null"
check "arm32/arm64 divergence is a break" \
	sh -c "jq -e '.changes[] | select(.kind == \"abi_divergence\" and .symbol == \"fix_buffer\") | .severity == \"break\"' '$TMP/out' >/dev/null"
check "the arm guest handle is not a divergence" \
	sh -c "! jq -r '.changes[] | select(.kind == \"abi_divergence\") | .symbol' '$TMP/out' | grep -q guest_handle"
check "siblings that disagree on a width" \
	sh -c "jq -e '.changes[] | select(.kind == \"sibling_width_mismatch\") | .symbol == \"fix_map_batch.space\"' '$TMP/out' >/dev/null"
check "padding fields are not compared" \
	sh -c "! jq -r '.changes[].symbol' '$TMP/out' | grep -q 'fix_map_batch.pad'"
run_status 0 "--fail-on break with only x86: nothing at break" lint mini --abi x86_32,x86_64 --db "$DB"
run_status 1 "--fail-on risk" lint mini --abi x86_32,x86_64 --fail-on risk --db "$DB"
printf 'accept implicit_padding *\n  reason: known, see the header comment\naccept abi_divergence fix_buffer\n  reason: fixture\naccept sibling_width_mismatch fix_map_batch.*\n  reason: fixture\n' >"$TMP/accepted"
run_status 0 "all accepted: exit 0 at risk" lint mini --fail-on risk --suppress "$TMP/accepted" --db "$DB"
run_status 1 "lint --format junit" lint mini --format junit --db "$DB"
check "junit: well-formed" xmllint --noout "$TMP/out"
# x86: the structs xlat.lst declares alike for 32-bit guests ("?").
xenabi scan --release compat --tree "$FIXTURES/compat" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the compat fixture"; exit 2; }
run_status 1 "a compat struct laid out apart is a break" lint compat --format json --db "$DB"
jq -r '.changes[] | select(.kind == "abi_divergence") | .symbol' "$TMP/out" >"$TMP/div"
check "the unsigned long one, on x86_32 and x86_64" \
	sh -c "jq -e '.changes[] | select(.kind == \"abi_divergence\" and .symbol == \"fix_ulong_info\") | .abi == [\"x86_32\", \"x86_64\"] and (.detail | test(\"xlat.lst; size 8 vs 16; pending at 4, 4 bytes vs at 8, 8 bytes\"))' '$TMP/out' >/dev/null"
check "a name listed without xen_, as Xen lists it" grep -q '^xen_fix_stamp$' "$TMP/div"
check "fixed widths are alike: no finding" sh -c "! grep -q fix_time_info '$TMP/div'"
check "_pad fields are not held alike" sh -c "! grep -q fix_padded '$TMP/div'"
check "translated (!) structs are not compared" sh -c "! grep -q fix_translated '$TMP/div'"
check "two findings in all" test "$(wc -l <"$TMP/div")" = 2
cp -r "$FIXTURES/compat/xen/include/public" "$TMP/installed"
xenabi scan --release compat-pub --tree "$TMP/installed" --db "$DB" >/dev/null
run_status 0 "installed headers have no compat list: nothing to hold" lint compat-pub --db "$DB"

run_status 2 "lint of an unknown release" lint nosuch --db "$DB"
run_status 2 "lint without a release" lint --db "$DB"

done_testing
