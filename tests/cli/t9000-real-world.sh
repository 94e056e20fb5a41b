#!/bin/sh
# Real headers: Debian's libxen-dev (Xen 4.17, /usr/include/xen), all four
# ABIs and every view.  The sizes below are those of Xen 4.17's own oracle,
# tools/include/xen-foreign/reference.size.
. "$(dirname "$0")/lib.sh"

XEN=${XENABI_REAL_TREE:-/usr/include/xen}
if [ ! -f "$XEN/xen.h" ]; then
	echo "1..0 # skip no Xen headers at $XEN (apt-get install libxen-dev)"
	exit 0
fi

run_status 0 "scan of $XEN" scan --release deb --tree "$XEN" --db "$DB"
diag "$TMP/out"
check "all four ABIs, every view" grep -q '^scanned deb: 12 units' "$TMP/out"

size() { # TYPE ABI
	xenabi show deb "$1" --abi "$2" --format json --db "$DB" 2>/dev/null |
		jq -r .size
}
# type            arm32 arm64 x86_32 x86_64
while read -r t a32 a64 x32 x64; do
	for pair in "arm32 $a32" "arm64 $a64" "x86_32 $x32" "x86_64 $x64"; do
		set -- $pair
		got=$(size "$t" "$1")
		[ "$2" = - ] && { check "$t is not an $1 type" test -z "$got"; continue; }
		if [ "$got" = "$2" ]; then
			ok "$t on $1: $2 bytes"
		else
			not_ok "$t on $1: $2 bytes (got '$got')"
		fi
	done
done <<'EOS'
start_info            -     -     1112  1168
trap_info             -     -     8     16
cpu_user_regs         -     -     68    200
vcpu_guest_core_regs  312   312   -     -
vcpu_guest_context    352   352   2800  5168
arch_vcpu_info        0     0     24    16
vcpu_time_info        32    32    32    32
vcpu_info             48    48    64    64
arch_shared_info      0     0     28    48
shared_info           1088  1088  2344  3136
EOS

# The 4.4 truncation bug's two structs, side by side.
xenabi show deb xen_add_to_physmap_batch --abi x86_64 --format json --db "$DB" >"$TMP/batch.json"
check "xen_add_to_physmap_batch.space is 16 bits" \
	test "$(jq -r '.members[] | select(.name == "space") | .type' "$TMP/batch.json")" = uint16_t

xenabi list failures deb --db "$DB" >"$TMP/failures.txt"
check "domctl.h is left out of the guest views only" \
	test "$(grep -c -E ' (guest |latest) domctl.h ' "$TMP/failures.txt")" = 8 -a "$(grep -c ' tools  domctl.h ' "$TMP/failures.txt")" = 0
for abi in x86_32 x86_64 arm32 arm64; do
	for view in tools guest latest; do
		t=$(xenabi list types deb --abi $abi --view $view --db "$DB" | wc -l)
		c=$(xenabi list constants deb --abi $abi --view $view --db "$DB" | wc -l)
		f=$(grep -c "^$abi *$view " "$TMP/failures.txt")
		echo "# $abi $view: $t types, $c constants, $f headers left out"
	done
done

# lint on the real headers: its counts, and the 4.4 truncation it must see.
xenabi lint deb --format json --db "$DB" >"$TMP/lint.json"
check "lint runs on the real headers" test -s "$TMP/lint.json"
jq -r '.changes[].kind' "$TMP/lint.json" | sort | uniq -c | sed 's/^/# lint: /'
check "lint finds xen_add_to_physmap_batch.space narrower than its sibling's" \
	sh -c "jq -e '.changes[] | select(.kind == \"sibling_width_mismatch\" and .symbol == \"xen_add_to_physmap_batch.space\")' '$TMP/lint.json' >/dev/null"
check "lint raises no subop_exceeds_mask" \
	test "$(jq '[.changes[] | select(.kind == "subop_exceeds_mask")] | length' "$TMP/lint.json")" = 0

done_testing
