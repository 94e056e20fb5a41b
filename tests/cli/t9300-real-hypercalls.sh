#!/bin/sh
# The hypercall table of real Xen releases, each expectation checked by
# hand against the tree: 4.17's hypercall-defs.c, 4.20's nr_calls
# widening (d2bbb0d455), 4.17's harmonised return types against 4.16's
# C tables.  Needs a clone of xen-project/xen in XEN_GIT (not in CI: it
# has no network).
. "$(dirname "$0")/lib.sh"

if [ -z "${XEN_GIT:-}" ]; then
	echo "1..0 # skip set XEN_GIT to a clone of xen-project/xen"
	exit 0
fi
for v in 4.16.0 4.17.0 4.19.0 4.20.0; do
	xenabi scan --git "$XEN_GIT" --rev "RELEASE-$v" --db "$DB" >/dev/null ||
		{ echo "Bail out! cannot scan RELEASE-$v from $XEN_GIT"; exit 2; }
done

run_status 0 "show 4.17.0 hypercalls" show 4.17.0 hypercalls --db "$DB"
check "memory_op: compat for x86_32 PV guests, returning int" \
	grep -q -E '^  x86_32  pv32   compat_memory_op +int \[4\]  \(unsigned int cmd \[4\], void \*arg \[4\]\)$' "$TMP/out"
check "do for x86_64 PV guests, returning long" \
	grep -q -E '^  x86_64  pv64   do_memory_op +long \[8\]  \(unsigned long cmd \[8\], void \*arg \[8\]\)$' "$TMP/out"
check "arm's physdev_op is do_arm_physdev_op, returning int" \
	grep -q -E '^  arm64   arm    do_arm_physdev_op +int \[4\]' "$TMP/out"
check "mmu_update is PV only, priority 1" \
	test "$(grep -A9 '^mmu_update ' "$TMP/out" | grep -c -E '^  x86_(32|64)  pv(32|64)  +do_mmu_update .*priority 1$')" = 2 &&
	test "$(grep -A9 '^mmu_update ' "$TMP/out" | sed -n '2,9p' | grep -c -E '^  ')" = 2
check "tmem_op, wired for no guest, is absent" sh -c "! grep -q '^tmem_op' '$TMP/out'"
check "grant_table_op needs CONFIG_GRANT_TABLE: optional" \
	grep -q -E '^  x86_64  pv64   do_grant_table_op .*optional$' "$TMP/out"

run_status 1 "lint 4.17.0" lint 4.17.0 --all --db "$DB"
check "return_width_differs names memory_op, a risk" \
	grep -q 'risk  return_width_differs  *memory_op: .*x86_32 pv32: compat_memory_op int, receives 4 bytes' "$TMP/out"

run_status 1 "diff 4.19.0 4.20.0" diff 4.19.0 4.20.0 --all --db "$DB"
check "multicall's nr_calls: a break exactly where unsigned int and unsigned long differ" \
	grep -q 'break hypercall_argument_changed multicall(nr_calls): unsigned int (4 bytes, unsigned) -> unsigned long (8 bytes, unsigned) \[x86_64, arm64\]$' "$TMP/out"
check "and nowhere else" test "$(grep -c 'multicall(nr_calls)' "$TMP/out")" = 2

# No break between them: hvm_memory_op's cmd grew to the unsigned long
# do_memory_op read for pv64 guests at both (5168b6ee91), a risk.
run_status 0 "diff 4.16.0 4.17.0: no break" diff 4.16.0 4.17.0 --all --db "$DB"
diag "$TMP/out" >/dev/null
check "memory_op(cmd) for hvm64 guests is a risk, read whole as for pv64" \
	sh -c "grep -A1 'risk  hypercall_argument_changed memory_op(cmd): int (4 bytes, signed) -> unsigned long (8 bytes, unsigned); hvm64 guests only \\[x86_64\\]' '$TMP/out' | grep -q 'as the pv64 handler already did'"
check "the harmonised return types are reported: compat_callback_op long -> int" \
	grep -q 'risk  hypercall_return_narrowed callback_op: compat_callback_op long: 8 bytes, signed -> compat_callback_op int: 4 bytes, signed \[x86_32\]' "$TMP/out"
check "do_iret unsigned long -> long" \
	grep -q 'risk  hypercall_return_narrowed iret: do_iret unsigned long: 8 bytes, unsigned -> do_iret long: 8 bytes, signed \[x86_64\]' "$TMP/out"
check "arch_1, now paging_domctl_cont by the same number, is not removed" \
	sh -c "! grep -E 'hypercall_(removed|added) +(arch_1|paging_domctl_cont)' '$TMP/out'"
check "arm's deprecated stubs, -ENOSYS before and after, give nothing" \
	sh -c "! grep -E 'sched_op_compat|physdev_op_compat|event_channel_op_compat' '$TMP/out'"

# check: a header that stops compiling is the finding (issue 11's case).
mkdir "$TMP/x419"
git -C "$XEN_GIT" archive RELEASE-4.19.0 xen | tar -x -C "$TMP/x419"
sed '0,/unsigned int space;/s//unsigned int space/' "$TMP/x419/xen/include/public/memory.h" >"$TMP/m.h" &&
	mv "$TMP/m.h" "$TMP/x419/xen/include/public/memory.h"
run_status 1 "check of a 4.19.0 tree with memory.h broken" check --tree "$TMP/x419" --against 4.19.0 --db "$DB"
check "three breaks: memory.h, and domctl.h and sysctl.h through it" \
	grep -q '^4.19.0 -> tree: 3 break, 0 risk, 0 info' "$TMP/out"
check "memory.h with the compiler's message" \
	grep -q "break header_failed  *memory.h: compiled -> memory.h:[0-9]*:[0-9]*: error: expected ';' at end of declaration list \[all ABIs\]" "$TMP/out"
check "its includers fail through it" test "$(grep -c 'why: it fails through memory.h, which it includes' "$TMP/out")" = 2

done_testing
