#!/bin/sh
# Who implements an interface (the "absent" and "sizechecked" lines of
# lib/abirules.txt) on the reach fixture pair, scanned under release
# names so that "before 4.6.0" can be decided: a change to what an ABI's
# hypervisor did not implement is info on that ABI alone, and stays a
# break on the others and from a release that did implement it; a grown
# structure whose buffer Xen measures refuses an old caller.
. "$(dirname "$0")/lib.sh"

OLD=$FIXTURES/reach/old
NEW=$FIXTURES/reach/new
for r in 4.5.0:$OLD 4.6.0:$NEW 4.6.1:$OLD 4.7.0:$NEW; do
	xenabi scan --release "${r%%:*}" --tree "${r#*:}" --db "$DB" >/dev/null ||
		{ echo "Bail out! cannot scan the reach fixtures"; exit 2; }
done

# sev DESC FILE SYMBOL KIND ABIS SEVERITY [REASON]: the finding of KIND on
# SYMBOL whose ABIs are ABIS (JSON array text) has SEVERITY and a reason
# containing REASON.
sev() {
	check "$1" sh -c "jq -e '[.changes[] | select(.symbol == \"$3\" and .kind == \"$4\" and .abi == $5)] | length == 1 and .[0].severity == \"$6\" and (.[0].reason | contains(\"$7\"))' '$2' >/dev/null"
}

run_status 1 "diff 4.5.0 4.6.0: breaks, exit 1" diff 4.5.0 4.6.0 --format json --db "$DB"
cp "$TMP/out" "$TMP/early"
run_status 1 "diff 4.6.1 4.7.0: breaks, exit 1" diff 4.6.1 4.7.0 --format json --db "$DB"
cp "$TMP/out" "$TMP/late"

X86='["x86_32","x86_64"]' ARM='["arm32","arm64"]' ALL='["x86_32","x86_64","arm32","arm64"]'

# An interface arm's hypervisor implements only from a release on.
sev "sub-op renumbered before arm had it: info on arm, quoting the rule" \
	"$TMP/early" XENMEM_access_op_set_access constant_changed "$ARM" info \
	"hypervisor before 4.6.0: before 4.6 config/arm32.mk"
sev "the same renumbering: a break on x86" \
	"$TMP/early" XENMEM_access_op_set_access constant_changed "$X86" break \
	"XENMEM_access_op_enable_emulate now"
sev "renumbered once arm had it: a break on every ABI" \
	"$TMP/late" XENMEM_access_op_set_access constant_changed "$ALL" break \
	"XENMEM_access_op_enable_emulate now"

# An interface arm's hypervisor never implemented.
for f in early late; do
	sev "$f: cpufreq narrowed: info on arm, whatever the release" \
		"$TMP/$f" xen_get_cpufreq_para.scaling_cur_freq member_narrowed "$ARM" info \
		"only xen/arch/x86/Kconfig selects HAS_CPUFREQ"
	sev "$f: and a break on x86" \
		"$TMP/$f" xen_get_cpufreq_para.scaling_cur_freq member_narrowed "$X86" break \
		"XEN_SYSCTL_INTERFACE_VERSION stays 21 (0x15)"
	sev "$f: the unmoved version counts x86's break only" \
		"$TMP/$f" XEN_SYSCTL_INTERFACE_VERSION interface_version_unchanged "$X86" break \
		"but it did not move"
	sev "$f: altp2m_opts split: info on arm, which took only zero" \
		"$TMP/$f" xen_domctl_createdomain.altp2m_opts member_removed "$ARM" info \
		"zero means"
	sev "$f: and a break on x86" \
		"$TMP/$f" xen_domctl_createdomain.altp2m_opts member_removed "$X86" break \
		"XEN_DOMCTL_INTERFACE_VERSION stays 23 (0x17)"
	# What every ABI implements stays a break everywhere.
	check "$f: a narrowing outside the rules: a break on every ABI" \
		sh -c "jq -e '[.changes[] | select(.symbol == \"xen_fix_reservation.extent_order\") | .severity] | length > 0 and all(. == \"break\")' '$TMP/$f' >/dev/null"
	# A structure Xen writes only into a buffer it measures.
	sev "$f: tmem_handle grown: risk, the buffer is refused" \
		"$TMP/$f" tmem_handle.oid member_type_changed "$ALL" risk \
		"tmem_handle grows from 16 to 32 bytes, and Xen writes it only into a TMEM_CONTROL save buffer"
	sev "$f: the same growth, no measured buffer: break" \
		"$TMP/$f" fix_tmem_unchecked.oid member_type_changed "$ALL" break \
		"its size or place changed"
done

# A release not named for its version decides no "before RELEASE".
xenabi scan --release deb-old --tree "$OLD" --db "$DB" >/dev/null &&
xenabi scan --release deb-new --tree "$NEW" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the reach fixtures"; exit 2; }
run_status 1 "diff deb-old deb-new" diff deb-old deb-new --format json --db "$DB"
sev "named releases: the renumbering stays a break on arm" \
	"$TMP/out" XENMEM_access_op_set_access constant_changed "$ALL" break ""
sev "named releases: a never-implemented interface is still info on arm" \
	"$TMP/out" xen_get_cpufreq_para.scaling_cur_freq member_narrowed "$ARM" info ""

done_testing
