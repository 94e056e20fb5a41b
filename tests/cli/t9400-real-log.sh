#!/bin/sh
# log over a real release cycle, 4.19.0..4.20.0: the commits the issue
# names, nothing left unexplained between the ends, a second log the
# same; and a rescan of the internal files only (a commit that leaves the
# public headers alone) stores what a full scan of that commit does, on
# a sample of real commits.  Needs a clone of xen-project/xen in XEN_GIT
# (not in CI: it has no network); takes a few minutes.
. "$(dirname "$0")/lib.sh"

if [ -z "${XEN_GIT:-}" ]; then
	echo "1..0 # skip set XEN_GIT to a clone of xen-project/xen"
	exit 0
fi

run_status 1 "log 4.19.0..4.20.0" log --git "$XEN_GIT" 4.19.0..4.20.0 --format json --db "$DB"
cp "$TMP/out" "$TMP/first.json"
check "XENMEM_access_default 10 -> 11 is ff10aa9d8f's break" \
	sh -c "jq -e '[.commits[] | select(.id | startswith(\"ff10aa9d8f\")) | .changes[] | select(.symbol == \"XENMEM_access_default\" and .severity == \"break\" and .old == \"10 (0xa)\" and .new == \"11 (0xb)\")] | length == 1' '$TMP/out' >/dev/null"
check "multicall's nr_calls is d2bbb0d455's" \
	sh -c "jq -e '[.commits[] | select(.id | startswith(\"d2bbb0d455\")) | .changes[] | select(.symbol == \"multicall(nr_calls)\")] | length == 1' '$TMP/out' >/dev/null"
check "every change between the ends has its commit" \
	sh -c "jq -e '.unattributed == [] and .walked > 800 and .read > 40' '$TMP/out' >/dev/null"
check "walked from the merge base, and said so" \
	grep -q 'is not an ancestor of 4.20.0: walking from their merge base' "$TMP/err"

# The same log again: every scan is stored.
XENABI_CC=/bin/false xenabi log --git "$XEN_GIT" 4.19.0..4.20.0 --format json \
	--db "$DB" >"$TMP/out" 2>"$TMP/err"
check "again, with no compiler: the same" cmp -s "$TMP/out" "$TMP/first.json"

# Commits of the range that leave xen/include/public alone were rescanned
# from their parent's scan; scanned in full they store the same records.
base=$(git -C "$XEN_GIT" merge-base RELEASE-4.19.0 RELEASE-4.20.0)
git -C "$XEN_GIT" log --first-parent --format=%H "$base..RELEASE-4.20.0" -- \
	xen/include/public >"$TMP/headers"
n=0
for c in $(git -C "$XEN_GIT" log --first-parent --reverse --format=%H "$base..RELEASE-4.20.0" -- \
		xen/include/hypercall-defs.c xen/common/grant_table.c xen/arch/x86/hvm/hvm.c \
		xen/arch/x86/hvm/hypercall.c xen/common/mem_access.c); do
	grep -q "$c" "$TMP/headers" && continue
	# A revert's tree was stored already, under the first commit's name.
	[ -n "$(sqlite3 "$DB" "SELECT 1 FROM release WHERE name = '.git-$c'")" ] || continue
	[ $n -lt 4 ] || break
	n=$((n + 1))
	same_as_full "$(git -C "$XEN_GIT" log -1 --format='%h %s' "$c"): rescan = full scan" \
		"$XEN_GIT" "$c"
done
check "four internal-only commits compared" test $n = 4

# 4.16.0..4.17.0: 94 commits in the middle have no hypercall table xenabi
# can read (the C tables taken apart, hypercall-defs.c not yet whole);
# what changed in the table meanwhile is the first commit's after them,
# 7e21b25059ed "xen: harmonize return types of hypercall handlers",
# whose prototypes say "long cf_check".
run_status 0 "log 4.16.0..4.17.0: no break for 4.16's binaries" log --git "$XEN_GIT" 4.16.0..4.17.0 --format json --db "$DB"
check "every change between the ends has its commit" \
	sh -c "jq -e '.unattributed == [] and .read == 152' '$TMP/out' >/dev/null"
check "the return types harmonised are 7e21b25059ed's, against the last table read" \
	sh -c "jq -e '[.commits[] | select(.id | startswith(\"7e21b25059ed\")) | .changes[] | select(.kind == \"hypercall_return_narrowed\" and .symbol == \"argo_op\" and (.detail | test(\"the last commit whose hypercall table\")))] | length == 1' '$TMP/out' >/dev/null"
# 7e21b25059ed names arch_1 paging_domctl_cont, an alias its asm/hypercall.h
# defines: no removal.  a4180b03fffa gives kexec_op its unsigned long back,
# which 7e21b25059ed had made unsigned int: 4.16's binaries see no change.
check "the C tables' alias keeps arch_1's number" \
	sh -c "jq -e '[.commits[].changes[] | select(.kind == \"hypercall_removed\")] | length == 0' '$TMP/out' >/dev/null"
check "the argument restored is info, the base having it so" \
	sh -c "jq -e '[.commits[] | select(.id | startswith(\"a4180b03fffa\")) | .changes[] | select(.symbol == \"kexec_op(op)\" and .severity == \"info\" and (.reason | test(\"has it as this commit leaves it\")))] | length == 1' '$TMP/out' >/dev/null"
check "TSXLDTRK renumbered is info: the sysctl version moves later in the cycle" \
	sh -c "jq -e '[.commits[] | select(.id | startswith(\"249e0f1d8f20\")) | .changes[] | select(.symbol == \"XEN_X86_FEATURE_TSXLDTRK\" and .severity == \"info\" and (.reason | test(\"XEN_SYSCTL_INTERFACE_VERSION moves in this development cycle\")))] | length == 1' '$TMP/out' >/dev/null"


# Commits of 4.16.0..4.17.0 that change public headers were scanned in
# part, from their parent's scan (the headers their change can reach);
# scanned in full, a sample of them (one per set of headers changed)
# stores the same records.
base=$(git -C "$XEN_GIT" merge-base RELEASE-4.16.0 RELEASE-4.17.0)
n=0
: >"$TMP/seen"
for c in $(git -C "$XEN_GIT" log --first-parent --reverse --format=%H "$base..RELEASE-4.17.0" -- \
		xen/include/public); do
	[ -n "$(sqlite3 "$DB" "SELECT 1 FROM release WHERE name = '.git-$c'")" ] || continue
	# One commit per set of headers changed: the sample spans the tree.
	files=$(git -C "$XEN_GIT" diff-tree -r --no-commit-id --name-only "$c" -- xen/include/public | tr '\n' ' ')
	grep -qxF "$files" "$TMP/seen" && continue
	echo "$files" >>"$TMP/seen"
	[ $n -lt 12 ] || break
	n=$((n + 1))
	same_as_full "$(git -C "$XEN_GIT" log -1 --format='%h %s' "$c" | cut -c1-70): partial scan = full scan" \
		"$XEN_GIT" "$c"
done
check "twelve header commits compared, each changing other headers" test $n = 12

done_testing
