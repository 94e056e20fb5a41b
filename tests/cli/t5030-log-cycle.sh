#!/bin/sh
# log judges a commit's breaks by Xen's rules for a development cycle:
# a versioned interface bumps once per cycle (domctl.h says so), and what
# the cycle added is no ABI until it is released.  A break against the
# walk's base stays a break.
. "$(dirname "$0")/lib.sh"

git_repo "$TMP/xen"
domctl() {
	cat >"$PUB/domctl.h" <<EOT
/* xenabi test fixture: a versioned tools interface. */
#ifndef FIX_DOMCTL_H
#define FIX_DOMCTL_H
#define XEN_DOMCTL_INTERFACE_VERSION $1
struct xen_domctl_demo {
	$2 flags;
	$3 size;
};
#endif
EOT
}
demo() {
	cat >"$PUB/demo.h" <<EOT
/* xenabi test fixture: guest structures, one of them new. */
#ifndef FIX_DEMO_H
#define FIX_DEMO_H
struct demo_op {
	unsigned int domid;${3:-}
	$1 count;
};$2
#endif
EOT
}
alt() {
	printf '/* xenabi test fixture: a member regrouped, then narrowed. */\nstruct alt_op {\n\tunsigned int flags;\n\t%s\n};\n' "$1" >"$PUB/alt.h"
}
pm() {
	printf '/* xenabi test fixture: old members into a union, then an arm over them. */\nstruct pm_para {\n\t%s\n};\n' "$1" >"$PUB/pm.h"
}
newop() {
	printf '\nstruct demo_new {\n\t%s a;\n\tunsigned int b;\n};' "$1"
}
mkdir -p "$REPO" && cp -r "$FIXTURES/cont/old/." "$REPO/" &&
	git -C "$REPO" init -q &&
	domctl 0x00000010 "unsigned int" "unsigned int" &&
	demo "unsigned int" "" && alt "unsigned int opts;" &&
	pm "unsigned int cur, max;" &&
	g add -A && commit "the tree" && g tag RELEASE-9.1.0 &&
	domctl 0x00000010 "unsigned short" "unsigned int" &&
	commit "domctl: narrow flags" &&
	domctl 0x00000011 "unsigned short" "unsigned short" &&
	commit "domctl: bump, narrow size" &&
	domctl 0x00000011 "unsigned short" "unsigned char" &&
	commit "domctl: narrow size more" &&
	demo "unsigned int" "$(newop "unsigned int")" &&
	commit "demo: add demo_new" &&
	demo "unsigned int" "$(newop "unsigned short")" &&
	commit "demo: narrow demo_new.a" &&
	alt "struct { unsigned int opts; } grp;" && commit "alt: group opts" &&
	alt "struct { unsigned short opts, nr; } grp;" &&
	commit "alt: narrow grp.opts" &&
	pm "union { struct { unsigned int cur, max; } s; } u;" &&
	commit "pm: nest cur and max" &&
	pm "union { struct { unsigned int cur, max; } s; struct { unsigned int lo, hi; } hw; } u;" &&
	commit "pm: add hw" &&
	demo "unsigned short" "$(newop "unsigned short")" &&
	commit "demo: narrow count" && g tag RELEASE-9.2.0 ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }
id() { git -C "$REPO" log --format=%h --abbrev=12 -1 --grep="^$1\$"; }
bump=$(id "domctl: bump, narrow size")

run_status 1 "log the cycle" log --git "$REPO" 9.1.0..9.2.0 --format json --db "$DB"
# change SUBJECT KIND SYMBOL: that commit's change, as JSON, in $TMP/c.
change() {
	jq -c --arg s "$1" --arg k "$2" --arg y "$3" '.commits[] |
		select(.subject == $s) | .changes[] |
		select(.kind == $k and .symbol == $y)' "$TMP/out" >"$TMP/c"
}
# is SEVERITY [REASON-REGEX]: the last change has it (jq 1.6 -e passes
# empty input).
is() {
	[ -s "$TMP/c" ] && jq -e --arg v "$1" --arg r "${2:-}" \
		'.severity == $v and (.reason | test($r))' "$TMP/c" >/dev/null
}
change "domctl: bump, narrow size" member_narrowed xen_domctl_demo.size
check "the bump's own narrowing is info, as diff has it" is info
change "domctl: narrow flags" member_narrowed xen_domctl_demo.flags
check "a narrowing before the cycle's bump is info" is info
check "its reason names the base's version and the bump" \
	is info "^XEN_DOMCTL_INTERFACE_VERSION moves in this development cycle \\(16 \\(0x10\\) at [0-9a-f]{12}, 17 \\(0x11\\) from $bump to the walk's end\\)"
change "domctl: narrow flags" interface_version_unchanged XEN_DOMCTL_INTERFACE_VERSION
check "the unmoved version lets no break in" is info
change "domctl: narrow size more" member_narrowed xen_domctl_demo.size
check "a narrowing after the cycle's bump is info" is info
change "demo: narrow demo_new.a" member_narrowed demo_new.a
check "a narrowing of what the cycle added is info" is info
check "its reason is what the base against it says" \
	is info "^against the walk's base \\([0-9a-f]{12}\\) it is info type_added: "

change "alt: narrow grp.opts" member_narrowed alt_op.grp.opts
check "a narrowing of an old member under a new name stays a break" is break
change "pm: add hw" member_added pm_para.u.hw
check "an arm laid over old members is a break, as against the base" \
	is break "^against the walk's base \\([0-9a-f]{12}\\) it is a break: "
change "demo: narrow count" member_narrowed demo_op.count
check "a narrowing of what the base had stays a break" is break

run_status 1 "the same as text" log --git "$REPO" 9.1.0..9.2.0 --db "$DB"
check "one commit with breaks" \
	grep -q '^9.1.0..9.2.0: 10 commits, 10 of them change what a scan reads, 10 changed the ABI, 3 with breaks$' "$TMP/out"
run_status 0 "blame the flags: no break" blame --git "$REPO" xen_domctl_demo.flags 9.1.0..9.2.0 --db "$DB"
check "blame names its commit" grep -q 'domctl: narrow flags' "$TMP/out"

# A version that moves and moves back lets the break in at the end.
domctl 0x00000011 "unsigned char" "unsigned char" &&
	commit "domctl: narrow flags again" &&
	domctl 0x00000012 "unsigned char" "unsigned char" &&
	commit "domctl: bump" &&
	domctl 0x00000011 "unsigned char" "unsigned char" &&
	commit "Revert \"domctl: bump\"" &&
	demo "unsigned short" "$(newop "unsigned short")" "
	unsigned int flags;" &&
	commit "demo: insert flags" &&
	demo "unsigned short" "$(newop "unsigned short")" &&
	commit "Revert \"demo: insert flags\"" &&
	printf 'struct tmp_op { unsigned int id; };\n' >"$PUB/tmp.h" &&
	g add -A && commit "tmp: add tmp_op" &&
	printf 'struct tmp_op2 { unsigned int id; };\n' >"$PUB/tmp.h" &&
	commit "tmp: rename tmp_op" && g tag RELEASE-9.3.0 ||
	{ echo "Bail out! cannot extend the test repository"; exit 2; }
run_status 1 "log a cycle whose bump is reverted" log --git "$REPO" 9.2.0..9.3.0 --format json --db "$DB"
change "domctl: narrow flags again" member_narrowed xen_domctl_demo.flags
check "its narrowing stays a break" is break "stays 17 \\(0x11\\)"
change "Revert \"demo: narrow count more\"" member_widened demo_op.count
change "Revert \"demo: insert flags\"" member_removed demo_op.flags
check "a change the next commit undoes is no break there" \
	is info "^the walk's base \\([0-9a-f]{12}\\) has it as this commit leaves it"
change "demo: insert flags" member_added demo_op.flags
check "the change undone is a break" is break
check "a type added, then renamed: the ends' addition has its commit" \
	sh -c "jq -e '.unattributed == []' '$TMP/out' >/dev/null"

# diff, between two trees, knows no cycle: the narrowing is a break there.
xenabi scan --git "$REPO" --rev RELEASE-9.2.0~10 --release base --db "$DB" >/dev/null &&
	xenabi scan --git "$REPO" --rev RELEASE-9.2.0~9 --release flags --db "$DB" >/dev/null
run_status 1 "diff of the two commits" diff base flags --db "$DB"
check "diff keeps the break" grep -q 'break member_narrowed  *xen_domctl_demo.flags' "$TMP/out"

done_testing
