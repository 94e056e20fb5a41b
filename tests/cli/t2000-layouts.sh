#!/bin/sh
# Layouts of the mini fixture: show as text and JSON, per ABI, against
# golden files; bit-fields, anonymous members, typedef chains, guest
# handles, ABI-dependent sizes, explicit alignment, holes and padding.
. "$(dirname "$0")/lib.sh"

xenabi scan --release mini --tree "$FIXTURES/mini" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the fixture"; exit 2; }

for t in fix_flags fix_op fix_buffer fix_holes vcpu_time_info fix_state \
	 fix_uuid_t fix_pfn_t 'struct cpu_user_regs' fix_op.u; do
	f=$(echo "$t" | tr ' .' '__')
	run_status 0 "show $t" show mini "$t" --db "$DB"
	golden "show-$f.txt" "$TMP/out"
done

for abi in x86_32 x86_64 arm32 arm64; do
	run_status 0 "show fix_buffer --abi $abi --format json" \
		show mini fix_buffer --abi "$abi" --format json --db "$DB"
	golden "show-fix_buffer-$abi.json" "$TMP/out"
done
run_status 0 "show fix_flags --format json (every ABI)" \
	show mini fix_flags --format json --db "$DB"
golden show-fix_flags.json "$TMP/out"
check "json bit-fields carry bit_offset and bit_size" \
	grep -q '"bit_size": 5' "$TMP/out"
run_status 0 "show fix_op --abi x86_64 --format json" show mini fix_op --abi x86_64 --format json --db "$DB"
check "json plain members have no bit_* fields" sh -c "! grep -q bit_ '$TMP/out'"
check "the unnamed union is named by its path" grep -q '"type": "union fix_op.@0"' "$TMP/out"

# The guest view, and what only the tools view has.
run_status 0 "show vcpu_guest_context --abi arm64" show mini vcpu_guest_context --abi arm64 --db "$DB"
run_status 2 "vcpu_guest_context is not in the arm64 guest view" \
	show mini vcpu_guest_context --abi arm64 --view guest --db "$DB"
error_line "names the type, release and view" "no type, encoding or hypercall 'vcpu_guest_context' in release 'mini' \(guest view, arm64\)"
run_status 2 "cpu_user_regs is not an arm type" show mini cpu_user_regs --abi arm32 --db "$DB"

# The latest view: a guest at the release's latest interface version.
size_in() { # VIEW: fix_ring_sring's size on x86_64
	xenabi show mini fix_ring_sring --abi x86_64 --view "$1" --format json --db "$DB" | jq -r .size
}
check "a legacy guest sees one ring entry" test "$(size_in guest)" = 8
check "a guest at the latest version a flexible array" test "$(size_in latest)" = 4
check "as the tools see it" test "$(size_in tools)" = 4
run_status 2 "vcpu_guest_context is not in the arm64 latest view either" \
	show mini vcpu_guest_context --abi arm64 --view latest --db "$DB"
run_status 0 "list types --view latest" list types mini --view latest --db "$DB"
check "has the gated struct" grep -q -E '^struct +fix_ring_sring ' "$TMP/out"
# A release stored before the latest view existed has none of its units.
cp "$DB" "$TMP/old.db"
sqlite3 "$TMP/old.db" "UPDATE release SET units = units & 255;
	UPDATE declset_item SET units = units & 255 WHERE units & 255;
	DELETE FROM declset_item WHERE units & 255 = 0;
	UPDATE constset_item SET units = units & 255 WHERE units & 255;
	DELETE FROM constset_item WHERE units & 255 = 0;
	DELETE FROM failure WHERE unit >= 8"
run_status 0 "a release stored without the latest view" show mini fix_ring_sring --db "$TMP/old.db"
run_status 2 "has no latest view to show" show mini fix_ring_sring --view latest --db "$TMP/old.db"
error_line "and says to scan it again" "release 'mini' has no latest view: it was stored by an older xenabi; scan it again"
run_status 2 "nor to list" list types mini --view latest --db "$TMP/old.db"
run_status 2 "a type of the other views only" history fix_ring_sring --view latest --db "$TMP/old.db"
error_line "is named there" "'fix_ring_sring' is only in the tools and guest views; try --view tools"
run_status 0 "diff compares the latest view" diff mini mini --view latest --db "$DB"
check "and finds nothing in a release against itself" grep -q '^mini -> mini: 0 break, 0 risk, 0 info' "$TMP/out"

run_status 2 "unknown ABI" show mini fix_op --abi mips --db "$DB"
error_line "names the ABI and the choices" "unknown ABI 'mips' \(x86_32, x86_64, arm32, arm64\)"
run_status 2 "unknown view" show mini fix_op --view user --db "$DB"
error_line "names the views" "unknown view 'user' \\(tools, guest or latest\\)"
run_status 2 "unknown release" show nosuch fix_op --db "$DB"
error_line "names the release" "no release 'nosuch' in database"
run_status 2 "missing type name" show mini --db "$DB"

done_testing
