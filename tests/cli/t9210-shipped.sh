#!/bin/sh
# The shipped baselines: the database make builds agrees with baselines/
# byte for byte; every release 4.0.0 to 4.22.0 is there, diffable and
# searchable with no database of the user's; what lint finds on four of
# them is known and explained; Debian's libxen-dev headers break nothing
# guest-visible against the matching release.
. "$(dirname "$0")/lib.sh"

use_shipped

run_status 0 "write the shipped database out" baselines write "$TMP/bl" --db "$SHIPPED"
check "it agrees with baselines/ byte for byte" diff -r -x README.md "$TOP/baselines" "$TMP/bl"
bytes=$(du -sb "$TOP/baselines" | cut -f1)
echo "# baselines/ is $bytes bytes"
check "baselines/ is under 15 MB" test "$bytes" -lt 15000000
check "every release came from a tag, no path of a machine" \
	test "$(grep -h -c -E '^source	git RELEASE-[0-9.]+ [0-9a-f]{40}$' "$TOP"/baselines/releases/* | awk '{ s += $1 } END { print s }')" = 45 -a \
	"$(ls "$TOP/baselines/releases" | wc -l)" = 45

run_status 0 "list releases with no database of the user's" list releases
check "45 releases, all shipped" test "$(grep -c ' shipped$' "$TMP/out")" = 45
for y in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22; do
	grep -q "^4\.$y\.0 " "$TMP/out" || echo "4.$y.0" >>"$TMP/missing"
done
check "each branch's first release, 4.0.0 to 4.22.0" test ! -e "$TMP/missing"
check "and its newest point release" grep -q '^4\.17\.7 ' "$TMP/out"

run_status 1 "diff two releases out of the box" diff 4.3.0 4.4.0 --format json
check "the 4.4 add_to_physmap_batch arrives, renamed from _range with its bytes" \
	sh -c "jq -e '.changes[] | select(.symbol == \"xen_add_to_physmap_range\" and .kind == \"type_renamed\" and .new == \"struct xen_add_to_physmap_batch\" and .severity == \"risk\")' '$TMP/out' >/dev/null"

run_status 1 "diff 4.4.0 4.5.0" diff 4.4.0 4.5.0 --all
check "arm32's multicall_entry widening: info, arm could not make multicall in 4.4" \
	grep -q 'info  member_widened  *multicall_entry.op: unsigned long (32-bit unsigned) -> xen_ulong_t (64-bit unsigned); moves result \[arm32\]' "$TMP/out" &&
	grep -q 'why: multicall_entry reaches Xen only through multicall, which guests of these ABIs could not make at 4.4.0 (arm_hypercall_table' "$TMP/out"
check "and no break left on it" sh -c "! grep -q 'break .*multicall_entry' '$TMP/out'"
run_status 0 "diff 4.8.0 4.9.0: no break (hvm_op to dm_op retired its structures with their operations)" diff 4.8.0 4.9.0 --all --min-severity risk
check "hvm_op's encoding gone with dm_op: a risk, its continued sub-ops were tools-only" \
	grep -q 'risk  continuation_bits_moved   hvm_op: op: \[63..8\] arg | \[7..0\] op -> not found' "$TMP/out" &&
	grep -q 'why: its continued sub-ops (HVMOP_modified_memory, HVMOP_set_mem_type) are for the tools only at 4.8.0' "$TMP/out"
run_status 0 "diff 4.15.0 4.16.0 on arm: no break (arm's vCPU context widened with the domctl version)" \
	diff 4.15.0 4.16.0 --abi arm32,arm64 --all
check "vcpu_guest_core_regs.cpsr: info, naming XEN_DOMCTL_INTERFACE_VERSION 19 -> 20" \
	grep -q 'why: XEN_DOMCTL_INTERFACE_VERSION 19 (0x13) -> 20 (0x14): on arm a vCPU context reaches Xen only through XEN_DOMCTL_setvcpucontext' "$TMP/out"
run_status 0 "diff 4.2.0 4.3.0: no break (arm32's handles widened before arm was declared stable)" \
	diff 4.2.0 4.3.0 --all --min-severity risk
check "sched_poll.ports on arm32: risk, quoting the 4.4 release notes" \
	grep -q 'why: not promised at 4.2.0: the ARM ABI was declared stable as of Xen 4.4' "$TMP/out"
run_status 0 "diff 4.4.0 4.5.0 on arm: no break" diff 4.4.0 4.5.0 --abi arm32,arm64 --all
check "HVMOP_modified_memory's struct narrowed: info on arm, whose do_hvm_op never named it" \
	grep -q 'why: only HVMOP_modified_memory carries xen_hvm_modified_memory, and guests of this ABI could not make it at 4.4.0: the hypervisor.s dispatcher for them (xen/arch/arm/hvm.c) does not name it' "$TMP/out"
run_status 0 "history of the 4.4 member" history xen_add_to_physmap_batch.space
check "16 bits from 4.4.0 on, where it is" \
	grep -q -E '^  4\.4\.0 - 4\.22\.0 +uint16_t @2 u16$' "$TMP/out"
check "absent before" grep -q -E '^  4\.0\.0 - 4\.3\.4 +-$' "$TMP/out"
run_status 0 "history of its sibling's" history xen_add_to_physmap.space
check "32 bits throughout" sh -c "! grep -q u16 '$TMP/out' && grep -q 'unsigned int @4 u32' '$TMP/out'"
run_status 0 "history of a continuation mask" history MEMOP_CMD_MASK
check "one span, 63 everywhere" \
	sh -c "test \$(wc -l <'$TMP/out') = 3 && grep -q -E '^  4\.0\.0 - 4\.22\.0 +63 \(0x3f\)$' '$TMP/out'"
run_status 0 "history of an encoding" history grant_table_op
check "from 4.5.0, 32 bits on every ABI" \
	grep -q -E '^  4\.5\.0 - 4\.22\.0 +cmd: \[31\.\.12\] arg \| \[11\.\.0\] op$' "$TMP/out"
run_status 0 "history of hvm_op's encoding" history hvm_op
check "4.5.0 to 4.8.5 only" grep -q -E '^  4\.5\.0 - 4\.8\.5 +op: \[31\.\.8\]' "$TMP/out"
run_status 2 "a name no release has" history xen_add_to_physmapp
error_line "offers the closest" "did you mean xen_add_to_physmap"

# Lint on four releases: the counts, and every finding that is not
# padding explained by name.
for r in 4.0.0 4.4.0 4.17.0 4.22.0; do
	xenabi lint "$r" --format json >"$TMP/lint-$r.json"
	echo "# lint $r: $(jq -r '[.changes[].kind] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$TMP/lint-$r.json")"
	check "lint $r: no sub-op reaches a continuation mask" \
		test "$(jq '[.changes[] | select(.kind == "subop_exceeds_mask")] | length' "$TMP/lint-$r.json")" = 0
done
x86div() { jq -r '[.changes[] | select(.kind == "abi_divergence" and (.abi | index("x86_32"))) | .symbol] | unique | join(" ")' "$TMP/lint-$1.json"; }
check "4.0.0: the x86 structs xlat.lst holds alike that are not" \
	test "$(x86div 4.0.0)" = "mcinfo_extended mcinfo_logical_cpu vcpu_info"
check "4.4.0: the same three" test "$(x86div 4.4.0)" = "mcinfo_extended mcinfo_logical_cpu vcpu_info"
check "4.17.0: mcinfo_logical_cpu, 300 bytes on i386, 304 on x86_64" \
	sh -c "test '$(x86div 4.17.0)' = mcinfo_logical_cpu && jq -e '.changes[] | select(.symbol == \"mcinfo_logical_cpu\") | .old == \"x86_32: 300 bytes\" and .new == \"x86_64: 304 bytes\"' '$TMP/lint-4.17.0.json' >/dev/null"
check "4.22.0: still it" test "$(x86div 4.22.0)" = mcinfo_logical_cpu
check "4.4.0: the add_to_physmap_batch truncation" \
	sh -c "jq -e '.changes[] | select(.kind == \"sibling_width_mismatch\" and .symbol == \"xen_add_to_physmap_batch.space\")' '$TMP/lint-4.4.0.json' >/dev/null"
check "4.0.0 has no sibling mismatch: no batch struct yet" \
	test "$(jq '[.changes[] | select(.kind == "sibling_width_mismatch")] | length' "$TMP/lint-4.0.0.json")" = 0

# Debian's libxen-dev (Xen 4.17.7 and a few commits) against 4.17.7.
if [ -f /usr/include/xen/xen.h ]; then
	xenabi scan --release deb --tree /usr/include/xen --db "$DB" >/dev/null
	run_status 1 "libxen-dev against 4.17.7: one break" \
		diff 4.17.7 deb --view guest --db "$DB"
	echo "# libxen-dev against 4.17.7: $(head -1 "$TMP/out")"
	check "the one break: arch-arm/smccc.h, whose \"public/xen.h\" include only resolves in a source tree, no longer compiles" \
		sh -c "grep -c '^      break' '$TMP/out' | grep -qx 1 &&
		       grep -q 'break header_failed  *arch-arm/smccc.h: compiled -> arch-arm/smccc.h:[0-9]*:[0-9]*: fatal error: .public/xen.h. file not found \[arm32, arm64\]' '$TMP/out'"
	check "and its constants are not called removed" \
		sh -c "! grep -q 'constant_removed' '$TMP/out'"
	xenabi diff 4.17.7 deb --view guest --fail-on info --format json --db "$DB" >"$TMP/deb.json"
	# What differs: Linux's ioctl headers and foreign/ that Debian installs
	# beside the public ones, and arch-arm/smccc.h, whose "public/xen.h"
	# include only resolves in a source tree.
	check "what differs is only what Debian installs beside Xen's headers" \
		sh -c "jq -r '.changes[].file' '$TMP/deb.json' | sort -u | grep -v -E '^(foreign/|sys/|evtchn.h|arch-arm/smccc.h)' | grep -q . && exit 1 || exit 0"
else
	skip "no libxen-dev headers"
	skip "no libxen-dev headers"
	skip "no libxen-dev headers"
	skip "no libxen-dev headers"
fi

done_testing
