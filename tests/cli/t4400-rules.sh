#!/bin/sh
# Xen's ABI rules (lib/abirules.txt) on the rules fixture pair: each case
# gets the kind, severity and reason its rule gives it, and nothing it
# does not; each is commented at its change in tests/fixtures/rules/new.
. "$(dirname "$0")/lib.sh"

OLD=$FIXTURES/rules/old
NEW=$FIXTURES/rules/new
xenabi scan --release old --tree "$OLD" --db "$DB" >/dev/null &&
xenabi scan --release new --tree "$NEW" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the rules fixtures"; exit 2; }

run_status 1 "diff finds breaks: exit 1" diff old new --format json --db "$DB"
check "an x86-only tree is diffed on x86 alone" \
	sh -c "jq -e '[.changes[].abi[]] | unique == [\"x86_32\", \"x86_64\"]' '$TMP/out' >/dev/null"

# jqcheck DESC FILTER: FILTER (no single quotes in it) holds on the diff.
jqcheck() {
	check "$1" sh -c "jq -e '$2' '$TMP/out' >/dev/null"
}

# one DESC SYMBOL KIND SEVERITY REASON: exactly one finding of KIND on
# SYMBOL, of SEVERITY, its reason containing REASON.
one() {
	jqcheck "$1" "[.changes[] | select(.symbol == \"$2\" and .kind == \"$3\")] | length == 1 and .[0].severity == \"$4\" and (.[0].reason | contains(\"$5\"))"
}

# none DESC FILTER: no finding matches the select FILTER.
none() {
	jqcheck "$1" "[.changes[] | select($2)] | length == 0"
}

# a: the version moved with the layout: refused, not misled.
one "a: member added to a versioned interface whose version moved: info" \
	xen_domctl_fix.extra member_added info \
	"XEN_DOMCTL_INTERFACE_VERSION 16 (0x10) -> 17 (0x11): do_domctl() refuses"
none "a: nothing on xen_domctl_fix above info" \
	"(.symbol | startswith(\"xen_domctl_fix\")) and .severity != \"info\""
one "a: the version itself moving is info" \
	XEN_DOMCTL_INTERFACE_VERSION constant_changed info \
	"an interface version is made to move"

# b: a break in a versioned protocol whose version stayed.
one "b: narrowing under an unchanged protocol version: break" \
	xensnd_rw_req.length member_narrowed break \
	"XENSND_PROTOCOL_VERSION stays 2: frontend and backend"
one "b: interface_version_unchanged for XENSND_PROTOCOL_VERSION" \
	XENSND_PROTOCOL_VERSION interface_version_unchanged break \
	"but it did not move: old binaries pass the check"
jqcheck "b: which counts the one break under it" \
	"[.changes[] | select(.kind == \"interface_version_unchanged\")] | length == 1 and .[0].detail == \"1 break under it\""

# c: one change, one finding.
one "c: an insertion before three members: member_added, break" \
	fix_insert.extra member_added break "inserted before 3 members"
jqcheck "c: its detail names the moved members" \
	".changes[] | select(.symbol == \"fix_insert.extra\") | .detail | contains(\"moves a, b, c\")"
none "c: no member_offset_changed or size_changed for fix_insert" \
	"(.symbol | startswith(\"fix_insert\")) and (.kind == \"member_offset_changed\" or .kind == \"size_changed\")"
jqcheck "c: exactly one finding for fix_insert" \
	"[.changes[] | select(.symbol | startswith(\"fix_insert\"))] | length == 1"

# d: anonymous members matched by what they hold, not by position.
none "d: registers become anonymous unions in place: no break" \
	"(.symbol | startswith(\"cpu_user_regs\")) and .severity == \"break\""

# e: explicit padding taken, or grown over.
one "e: a member in a pad member's bytes: info" \
	fix_padded.flags member_added info "takes bytes that carried nothing"
one "e: a member widened over the _pad after it: risk" \
	fix_padded.port member_widened risk "widened into bytes that carried nothing"
jqcheck "e: nothing else for fix_padded" \
	"[.changes[] | select(.symbol | startswith(\"fix_padded\"))] | length == 2"

# f: only explicit tail padding changed.
one "f: tail padding shrinks, members in place: size_changed, risk" \
	fix_tail size_changed risk "only tail padding changed"
jqcheck "f: its only finding" \
	"[.changes[] | select(.symbol | startswith(\"fix_tail\"))] | length == 1"

# g: counts and bounds.
one "g: a count grows: info" \
	FIX_NR_THINGS constant_changed info "grew: a count"
one "g: a bound shrinks: risk" \
	FIX_THING_MAX constant_changed risk "shrank, and an old binary may pass values past the new bound"

# h: a page's zeroed tail.
one "h: xenstore page grows at its tail: risk with the page reason" \
	xenstore_domain_interface.server_features member_added risk \
	"grows at its tail only: the xenstore ring page is zeroed"
one "h: the same change to an ordinary struct: break" \
	fix_ring_state.features member_added break "appended"

# i: the save format's type-checking helpers are never passed.
none "i: __HVM_SAVE_TYPE_CPU changes: no finding at all" \
	"(.symbol | contains(\"__HVM_SAVE_TYPE_\")) or .file == \"hvm/save.h\""

# j: the same bytes under another name or spelling.
one "j: a type renamed, same layout: type_renamed, risk" \
	fix_oldname type_renamed risk "same bytes under a new name"
none "j: and no type_removed or type_added for it" \
	"(.kind == \"type_removed\" and .symbol == \"fix_oldname\") or (.kind == \"type_added\" and .symbol == \"fix_newname\")"
none "j: a macro become an enumerator of its value: no break" \
	".symbol == \"FIX_E\" and .severity == \"break\""
none "j: (1<<31) -> (1u<<31): not a break" \
	".symbol == \"FIX_BIT\" and .severity == \"break\""

# k: structures removed with and without their operation.
one "k: a struct removed with its operation: risk, retired" \
	xen_fix_frob type_removed risk \
	"retired with its operation FIXOP_frob"
one "k: a struct removed alone: break" \
	fix_lonely type_removed break "no operation went with it"
one "k: a struct named for the object of a removed operation: risk" \
	xen_fix_io_span type_removed risk \
	"retired with its operation FIXOP_map_io_span_to_server"
one "k: a removed field value that looks alike is no operation: break" \
	xen_fix_mem_span type_removed break "no operation went with it"

# l: an enumerator's value taken by a new one.
one "l: FIX_ACC_DEFAULT moved and its value reused: enumerator_changed, break" \
	FIX_ACC_DEFAULT enumerator_changed break \
	"an old binary passes or expects the old value"

# m: no true break lost.
one "m: a plain guest member narrowed: break" \
	fix_physmap.space member_narrowed break "narrowed"

# n: padding inserted with a member is no root of its own.
one "n: the first member inserted is the root: member_added, break" \
	fix_physinfo.cap member_added break "inserted before 2 members"
jqcheck "n: it names what it moves" \
	".changes[] | select(.symbol == \"fix_physinfo.cap\") | .detail | startswith(\"moves total_pages, free_pages\")"
jqcheck "n: exactly one finding for fix_physinfo" \
	"[.changes[] | select(.symbol | startswith(\"fix_physinfo\"))] | length == 1"

# o, p: bytes under new names.
one "o: a byte moved into a union member read the same way: risk" \
	fix_sring.smartpoll member_removed risk "the same bytes, read the same way"
jqcheck "o: it names where the byte went" \
	".changes[] | select(.symbol == \"fix_sring.smartpoll\") | .new == \"now fix_sring.pvt.netif.smartpoll_active\""
one "p: an anonymous union renamed, laid out alike: member_renamed, risk" \
	fix_sring.private member_renamed risk "same bytes under a new name"
none "o, p: no break for fix_sring" \
	"(.symbol | startswith(\"fix_sring\")) and .severity == \"break\""

# q: trace record numbers are read by tools built with the hypervisor.
one "q: a trace record renumbered: risk" \
	TRC_FIX_TRAP constant_changed risk "read only by xentrace and xenalyze"

# r: the highest operation number is a count.
one "r: FIXOP_last_op grows: info" FIXOP_last_op constant_changed info \
	"the highest operation number"

# s: a string version is compared as a string.
one "s: a request changed while the string version moved: info" \
	xendispl_dbuf_req.data_ofs member_added info \
	"XENDISPL_PROTOCOL_VERSION \\\"1\\\" -> \\\"2\\\""
none "s: no interface_version_unchanged for it" \
	".symbol == \"XENDISPL_PROTOCOL_VERSION\" and .kind == \"interface_version_unchanged\""

# t: a zero-length array held no bytes.
one "t: a zero-length array removed: risk" fix_xsave.ymm member_removed risk \
	"it held no bytes"

# u: a container only realigned moves nothing in it.
none "u: no break for fix_mc_op" \
	"(.symbol | startswith(\"fix_mc_op\")) and .severity == \"break\""

# v: members regrouped under their names at their offsets.
one "v: cur_freq regrouped into u.s: risk" fix_freq.cur_freq member_removed \
	risk "the same bytes, read the same way"
jqcheck "v: it names where it went" \
	".changes[] | select(.symbol == \"fix_freq.max_freq\") | .new == \"now fix_freq.u.s.max_freq\""

# v2: one level deeper, beside a new union arm laid over the old members.
one "v2: the old union regrouped into u.s.u: risk" fix_freq2.u member_removed \
	risk "the same bytes, read the same way"
jqcheck "v2: it names where it went" \
	".changes[] | select(.symbol == \"fix_freq2.u\" and .kind == \"member_removed\") | .new == \"now fix_freq2.u.s.u\""
one "v2: the new u gathers them: info" fix_freq2.u member_added info \
	"it gathers old members at their places"
one "v2: the new arm over them: break" fix_freq2.u.cppc member_added break \
	"a new arm of a union laid over cur_freq, governor, u"
jqcheck "v2: which is the only break on fix_freq2" \
	"[.changes[] | select((.symbol | startswith(\"fix_freq2\")) and .severity == \"break\")] | length == 1"
none "v2: no offset change, no u.s, no u.userspace" \
	"(.symbol | startswith(\"fix_freq2\")) and (.kind == \"member_offset_changed\" or .symbol == \"fix_freq2.u.s\" or .symbol == \"fix_freq2.u.userspace\")"
none "v: no break on fix_freq" \
	"(.symbol | startswith(\"fix_freq.\")) and .severity == \"break\""

# ab: a structure that moved from a versioned header takes its version along.
one "ab: moved from domctl.h, member added: info, under the domctl version" \
	fix_shr_share.source_gfn member_added info \
	"in domctl.h before, under XEN_DOMCTL_INTERFACE_VERSION 16 (0x10) -> 17 (0x11)"

# ac: an interface version that arrives with the change.
jqcheck "ac: a version check new with the layout: risk on every ABI, saying so" \
	"[.changes[] | select(.symbol == \"fix_flask_op.interface_version\")] | length > 0 and all(.severity == \"risk\" and (.reason | startswith(\"XEN_FLASK_INTERFACE_VERSION is new (1): do_flask_op() refuses\")))"

# ad, ae: structures that tell an old reader from a new one grow at the tail.
jqcheck "ad: hvm_start_info grows at its tail: risk on every ABI" \
	"[.changes[] | select(.symbol == \"hvm_start_info.rsdp_paddr\")] | length > 0 and all(.severity == \"risk\" and (.reason | contains(\"grows at its tail only: the guest reads version\")))"
jqcheck "ae: a nested tail of dom0_vga_console_info: risk, quoting info_size" \
	"[.changes[] | select(.symbol == \"dom0_vga_console_info.u.vesa_lfb.ext_lfb_base\")] | length > 0 and all(.severity == \"risk\" and (.reason | contains(\"console.dom0.info_size\")))"

# af: a sub-op number reused is a break; one left unused refuses.
one "af: a sub-op's old value now another's: break, naming it" \
	FIXMEM_sharing_op_share constant_changed break \
	"its old value 2 is FIXMEM_sharing_op_audit now"
one "af: a sub-op's old value now no sub-op's: risk" \
	FIXMEM_sharing_op_audit constant_changed risk \
	"its old value 3 is no FIXMEM_sharing_op_* operation now"

# ag: a structure named for the object of a removed operation.
one "ag: fixobj_handle retired with FIXOP_fixobj_op: risk" \
	fixobj_handle type_removed risk \
	"retired with its operation FIXOP_fixobj_op"

# ah: a structure now for the tools only.
one "ah: gone from the guest view, kept for the tools: risk" \
	fix_vcpu_ctx type_removed risk "now for the tools only"

# ai: x86_32's header fixed to the layout Xen always used with it.
one "ai: a compat-checked struct's x86_32 header now agrees with x86_64: risk" \
	fix_mca_ext.msr member_type_changed risk \
	"fix_mca_ext now agrees with x86_64"
none "ai: nothing on fix_mca_ext for x86_64" \
	"(.symbol | startswith(\"fix_mca_ext\")) and (.abi | index(\"x86_64\"))"

# aj, ak: what the hypervisor's dispatcher names (xen/arch/x86/...).
one "aj: a struct whose operation stays defined, no longer dispatched: risk" \
	xen_hvm_fix_get_thing type_removed risk \
	"retired with its operation HVMOP_fix_get_thing, which stays defined but which the hypervisor no longer names"
one "aj: a struct whose operation is still dispatched: break" \
	xen_hvm_fix_kept type_removed break "no operation went with it"
one "ak: an old sub-op value that selects an undispatched one now: risk" \
	XENMEM_sharing_op_debug_gfn constant_changed risk \
	"its old value 4 is XENMEM_sharing_op_debug_mfn now, which the hypervisor does not name"
one "ak: an old sub-op value that selects a dispatched one now: break" \
	XENMEM_sharing_op_debug_mfn constant_changed break \
	"its old value 5 is XENMEM_sharing_op_debug_gref now"
one "ak: an old sub-op value that selects none now: risk" \
	XENMEM_sharing_op_debug_gref constant_changed risk \
	"its old value 6 is no XENMEM_sharing_op_* operation now"

# al: a struct of a sub-op no dispatcher of the ABI ever named.
jqcheck "al: narrowed, but its sub-op never dispatched: info on every ABI" \
	"[.changes[] | select(.symbol == \"xen_hvm_fix_unhandled.nr\")] | length > 0 and all(.severity == \"info\" and (.reason | startswith(\"only HVMOP_fix_unhandled carries xen_hvm_fix_unhandled, and guests of this ABI could not make it at old: the hypervisor\")))"

# an: members appended for new sub-ops, as the dispatchers' cases use them.
one "an: appended, used by a new sub-op's case alone: risk" \
	xen_mem_access_op.pfn_list member_added risk \
	"in xen/common/mem_access.c only the case of XENMEM_access_op_set_access_multi (new) uses pfn_list"
one "an: the other member of that case alike" \
	xen_mem_access_op.access_list member_added risk \
	"only the case of XENMEM_access_op_set_access_multi (new) uses access_list"
one "an: appended, reached by an old sub-op falling through: break" \
	xen_mem_access_op.stride member_added break "appended: the structure grows"
one "an: appended for a new sub-op, but copied back whole: break" \
	xen_mem_sharing_op.parent member_added break "appended: the structure grows"

# am: a member that holds no bytes moves nothing.
one "am: an empty structure member moved: risk" fix_shinfo.arch \
	member_offset_changed risk "it holds no bytes on this ABI"
none "am: nothing on fix_shinfo above risk" \
	"(.symbol | startswith(\"fix_shinfo\")) and .severity == \"break\""

# w: a union's new member grows it inside a fixed-size container.
one "w: a larger new union member with room in its container: risk" \
	fix_fw_info.u.efi member_added risk "a new member of a union"
none "w: nothing moves in the container" \
	"(.symbol | startswith(\"fix_platform_op_u\"))"

# x: the same, when the new member realigns the union on one ABI.
jqcheck "x: where the union moves (x86_64): break" \
	"[.changes[] | select(.symbol == \"fix_fw_info2.u.efi\" and .severity == \"break\") | .abi] == [[\"x86_64\"]]"
jqcheck "x: where nothing moves (x86_32): risk" \
	"[.changes[] | select(.symbol == \"fix_fw_info2.u.efi\" and .severity == \"risk\") | .abi] == [[\"x86_32\"]]"

# y: a table only tools built with Xen write and read.
one "y: a member removed from hvm_info_table: risk, lock-step" \
	hvm_info_table.acpi_enabled member_removed risk "read only by hvmloader"

# z: renamed with its members, within its family; never a look-alike.
one "z: a type renamed with its members: type_renamed, risk" \
	fix_request_trim type_renamed risk "its members renamed too"
one "z: a look-alike of another family is no rename" \
	fix_lookalike_old type_removed break "no operation went with it"

done_testing
