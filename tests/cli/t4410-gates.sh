#!/bin/sh
# Interface-version gates: a change only guests declaring a version newer
# than the old release's latest can see reaches nobody built against the
# old release (info); the same change under a gate the old release
# already had is still a break for guests at that version.
. "$(dirname "$0")/lib.sh"

# tree DIR LATEST BODY: a one-header x86 tree whose latest version is LATEST.
tree() {
	mkdir -p "$1/xen/include/public"
	cat >"$1/xen/include/public/xen.h" <<EOT
#ifndef FIX_GATE_XEN_H
#define FIX_GATE_XEN_H
#include <stdint.h>
#define __XEN_LATEST_INTERFACE_VERSION__ $2
#if defined(__XEN__) || defined(__XEN_TOOLS__)
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#elif !defined(__XEN_INTERFACE_VERSION__)
#define __XEN_INTERFACE_VERSION__ 0x00000000
#endif
$3
#endif
EOT
}

# fix_ring: a one-element array that becomes flexible only for guests
# declaring 0x200, as Xen's rings did at 0x00041300.  fix_old: gated at
# 0x100, which the old release already offered, and then narrowed.
tree "$TMP/old" 0x100 '
struct fix_ring { uint32_t prod; uint32_t ring[1]; };
#if __XEN_INTERFACE_VERSION__ >= 0x100
struct fix_old { uint32_t space; };
#endif'
tree "$TMP/new" 0x200 '
#if __XEN_INTERFACE_VERSION__ >= 0x200
struct fix_ring { uint32_t prod; uint64_t ring[]; };
#else
struct fix_ring { uint32_t prod; uint32_t ring[1]; };
#endif
#if __XEN_INTERFACE_VERSION__ >= 0x100
struct fix_old { uint16_t space; };
#endif'
xenabi scan --release old --tree "$TMP/old" --db "$DB" >/dev/null &&
xenabi scan --release new --tree "$TMP/new" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the gate trees"; exit 2; }

run_status 1 "diff" diff old new --format json --db "$DB"
check "a change behind a gate newer than the old latest is info" \
	sh -c "jq -e '.changes[] | select(.symbol == \"fix_ring.ring\") | .view == \"latest\" and .severity == \"info\" and (.reason | contains(\"above 256 (0x100) (old\"))' '$TMP/out' >/dev/null"
check "the guest view at version 0 has no such change" \
	sh -c "! jq -e '.changes[] | select(.symbol == \"fix_ring.ring\" and .view == \"guest\")' '$TMP/out' >/dev/null"
check "a change behind a gate the old release had stays a break" \
	sh -c "jq -e '.changes[] | select(.symbol == \"fix_old.space\") | .view == \"latest\" and .severity == \"break\" and (.reason | contains(\"seen by guests built at the interface version old\"))' '$TMP/out' >/dev/null"
run_status 1 "text" diff old new --db "$DB"
check "reported under its own heading" grep -q '^  guests declaring the latest interface version only$' "$TMP/out"

done_testing
