#!/bin/sh
# Constants of the mini fixture: classification (integer, string, other),
# values per ABI, enumerators.  t2210 checks them against the compiler.
. "$(dirname "$0")/lib.sh"

xenabi scan --release mini --tree "$FIXTURES/mini" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the fixture"; exit 2; }

run_status 0 "list constants" list constants mini --db "$DB"
golden constants.txt "$TMP/out"
check "a string through another macro" grep -q -E '^FIX_NAME_ALIAS +"mini-xen"' "$TMP/out"
check "a value that differs by ABI is shown per ABI" \
	grep -q -E '^FIX_LONG_BITS +x86_32=32 x86_64=64 arm32=32 arm64=64 ' "$TMP/out"
check "a negative constant" grep -q -E '^FIX_ENOSYS +-38 ' "$TMP/out"
check "a 64-bit constant" grep -q -E '^FIX_TOP_BIT +0x8000000000000000 ' "$TMP/out"
check "a type is other" grep -q -E '^FIX_TYPE +\(unsigned long\) ' "$TMP/out"
check "an enumerator" grep -q -E '^FIX_STATE_BAD +-1 ' "$TMP/out"
check "function-like macros are not recorded" sh -c "! grep -q FIX_PLUS_ONE '$TMP/out'"
check "undefined macros are not recorded" sh -c "! grep -q FIX_GONE '$TMP/out'"
run_status 0 "list constants --view guest" list constants mini --view guest --db "$DB"
check "guest view: legacy interface version" grep -q -E '^__XEN_INTERFACE_VERSION__ +0 ' "$TMP/out"
check "guest view: no tools-only constant" sh -c "! grep -q FIX_CTL_INTERFACE_VERSION '$TMP/out'"
run_status 0 "list constants --format json" list constants mini --format json --db "$DB"
golden constants.json "$TMP/out"

done_testing
