#!/bin/sh
# Continuation encodings: taken from a tree's internal files per the
# manifest, evaluated by the compiler per ABI; a moved encoding is a
# break in words; a sub-op above its mask is a break in diff and lint;
# constants that only look like sub-ops are left alone; what the manifest
# names but the tree lacks is reported.
. "$(dirname "$0")/lib.sh"

OLD=$FIXTURES/cont/old
NEW=$FIXTURES/cont/new
xenabi scan --release old --tree "$OLD" --db "$DB" >/dev/null &&
xenabi scan --release new --tree "$NEW" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the continuation fixtures"; exit 2; }

run_status 0 "list constants" list constants old --db "$DB"
check "the shift from the internal header" \
	grep -q -E '^MEMOP_EXTENT_SHIFT +6  xen/include/xen/hypercall.h:4$' "$TMP/out"
check "the mask, through the shift it is built on" \
	grep -q -E '^MEMOP_CMD_MASK +0x3f  xen/include/xen/hypercall.h:5$' "$TMP/out"
check "a .c file's macros, through a helper macro" \
	grep -q -E '^GNTTABOP_CMD_MASK +0xfff  xen/common/grant_table.c:9$' "$TMP/out"
run_status 0 "the guest view has them too" list constants old --view guest --db "$DB"
check "copied from the tools view" grep -q '^MEMOP_EXTENT_SHIFT ' "$TMP/out"
run_status 0 "list failures" list failures old --db "$DB"
check "an encoding the tree lacks is reported, not ignored" \
	grep -q 'continuation hvm_op .*HVMOP_op_mask not found in this release' "$TMP/out"

run_status 1 "diff: the moved encoding breaks" diff old new --db "$DB"
golden continuations.txt "$TMP/out"
check "in words, with the bits of a 64-bit word" \
	grep -q 'memory_op: cmd: \[63..6\] start_extent | \[5..0\] op -> cmd: \[63..8\] start_extent | \[7..0\] op; start_extent moved from cmd\[63..6\] to cmd\[63..8\]' "$TMP/out" &&
	grep -q 'why: a guest suspended mid-continuation' "$TMP/out"
check "one finding per encoding and ABI, not one per macro" \
	test "$(grep -c continuation_bits_moved "$TMP/out")" = 2
check "and of a 32-bit one" grep -q 'cmd: \[31..6\] start_extent' "$TMP/out"
check "a sub-op that does not fit" \
	grep -q 'subop_exceeds_mask *XENMEM_wide_op: XENMEM_wide_op = 300 does not fit memory_op' "$TMP/out"
check "no false sub-op: flags and sub-sub-ops are not sub-ops" \
	sh -c "! grep -E 'subop_exceeds_mask *(XENMEMF|XENMEM_SHARING|XENMEM_access_op)' '$TMP/out'"
run_status 0 "the old release lints clean at break" lint old --db "$DB"
run_status 1 "the new one does not" lint new --format json --db "$DB"
check "lint reports the sub-op, on every ABI" \
	sh -c "jq -e '[.changes[] | select(.kind == \"subop_exceeds_mask\")] | length == 1 and .[0].symbol == \"XENMEM_wide_op\" and .[0].abi == [\"x86_32\", \"x86_64\"]' '$TMP/out' >/dev/null"

# variant NAME FILE SED DESC: the new tree with FILE edited by SED (a sed
# script), scanned as release NAME, which must work; its failures in out.
variant() {
	cp -r "$NEW" "$TMP/$1"
	sed -i "$3" "$TMP/$1/$2"
	run_status 0 "$4: the tree scans" scan --release "$1" --tree "$TMP/$1" --db "$DB"
	xenabi list failures "$1" --db "$DB" >"$TMP/out"
}

# A macro that does not evaluate is reported with the compiler's words.
variant bad xen/common/grant_table.c 's/^#define ARG_BITS .*/#define ARG_BITS PAGE_SHIFT/' \
	"a macro that does not evaluate"
check "and says which macro, where, and why" \
	grep -q "continuation grant_table_op  *GNTTABOP_CONTINUATION_ARG_SHIFT, GNTTABOP_CMD_MASK do not evaluate in xen/common/grant_table.c: error: use of undeclared identifier 'PAGE_SHIFT'" "$TMP/out"
check "the other encodings still evaluate" \
	sh -c "'$XENABI' list constants bad --db '$DB' | grep -q '^MEMOP_CMD_MASK '"

# Each way a macro can fail is a failure of its encoding, naming it; none
# vanishes, and the others stay.
hc=xen/include/xen/hypercall.h
variant selfref $hc 's/^#define MEMOP_CMD_MASK .*/#define MEMOP_CMD_MASK MEMOP_CMD_MASK/' \
	"a self-referential mask"
check "the mask alone is named" grep -q "continuation memory_op  *MEMOP_CMD_MASK does not evaluate in $hc: error: " "$TMP/out"
xenabi list constants selfref --db "$DB" >"$TMP/out"
check "its shift and the other encoding stay" \
	sh -c "grep -q '^MEMOP_EXTENT_SHIFT ' '$TMP/out' && grep -q '^GNTTABOP_CMD_MASK ' '$TMP/out'"
variant string $hc 's/^#define MEMOP_EXTENT_SHIFT .*/#define MEMOP_EXTENT_SHIFT "8"/' \
	"a string shift"
check "the shift is named, with the mask built on it" \
	grep -q "continuation memory_op  *MEMOP_EXTENT_SHIFT, MEMOP_CMD_MASK do not evaluate in $hc: error: expression is not an integer constant expression" "$TMP/out"
variant gone $hc '/^#define MEMOP_CMD_MASK/d' "a mask not defined"
check "the missing macro is the one named" \
	grep -q "continuation memory_op  *MEMOP_CMD_MASK not found in this release (looked in $hc" "$TMP/out"
# A mask line that ends the file with a backslash continues into nothing.
cp -r "$NEW" "$TMP/tail"
printf '/* fixture */\n#define MEMOP_EXTENT_SHIFT 8\n#define MEMOP_CMD_MASK ((1 << MEMOP_EXTENT_SHIFT) - 1) \\' >"$TMP/tail/$hc"
run_status 0 "a mask on the last line, ending in a backslash" scan --release tail --tree "$TMP/tail" --db "$DB"
check "is read, not reported missing" \
	sh -c "'$XENABI' list constants tail --db '$DB' | grep -q '^MEMOP_CMD_MASK  *0xff ' && ! '$XENABI' list failures tail --db '$DB' | grep -q 'memory_op'"

# Installed headers have no internal files: no encodings, nothing moved.
run_status 0 "the public directory alone" scan --release pub --tree "$OLD/xen/include/public" --db "$DB"
run_status 0 "diff against it reports no moved encoding" diff old pub --db "$DB"
check "nothing about encodings" sh -c "! grep -q continuation_bits_moved '$TMP/out'"

done_testing
