#!/bin/sh
# Constants of the mini fixture: classification (integer, string, other),
# values per ABI, enumerators; and two cross-checks against the compiler:
# every recorded integer value holds in a _Static_assert on the same
# probe, and the macro names read from DWARF are those clang -dM -E sees.
. "$(dirname "$0")/lib.sh"

KEEP=$TMP/probes
mkdir -p "$KEEP"
XENABI_KEEP_PROBES=1 TMPDIR=$KEEP xenabi scan --release mini \
	--tree "$FIXTURES/mini" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the fixture"; exit 2; }
PROBES=$(echo "$KEEP"/xenabi.*)
PUBLIC=$FIXTURES/mini/xen/include/public

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

for abi in x86_32 x86_64 arm32 arm64; do
	case $abi in
	x86_32) triple=i386-linux-gnu ;;
	x86_64) triple=x86_64-linux-gnu ;;
	arm32) triple=arm-linux-gnueabihf ;;
	arm64) triple=aarch64-linux-gnu ;;
	esac
	for view in tools guest; do
		flags="--target=$triple -ffreestanding -nostdlibinc -std=gnu11 -w -I $PUBLIC"
		[ $view = tools ] && flags="$flags -D__XEN_TOOLS__"
		probe=$PROBES/layout-$abi-$view.c
		xenabi list constants mini --abi $abi --view $view --db "$DB" >"$TMP/c.txt"

		# Values: the compiler agrees with every integer we recorded.
		{ cat "$probe"
		  awk '$2 ~ /^-[0-9]+$/ { printf "_Static_assert((unsigned long long)(%s) == (unsigned long long)(%sLL), \"%s\");\n", $1, $2, $1 }
		       $2 ~ /^([0-9]+|0x[0-9a-f]+)$/ { printf "_Static_assert((unsigned long long)(%s) == %sULL, \"%s\");\n", $1, $2, $1 }' "$TMP/c.txt"
		} >"$TMP/assert.c"
		n=$(grep -c _Static_assert "$TMP/assert.c")
		check "$abi $view: clang confirms all $n integer values" \
			clang $flags -fsyntax-only "$TMP/assert.c"

		# Names: DWARF's macros are clang -dM -E's, less builtins and
		# those not defined in a public header.
		clang $flags -E -dM "$probe" | sed -n 's/^#define \([A-Za-z_][A-Za-z0-9_]*\)\([ ]\|$\).*/\1/p' |
			sort -u >"$TMP/dm.txt"
		grep -rhoE '^[[:space:]]*#[[:space:]]*define[[:space:]]+[A-Za-z_][A-Za-z0-9_]*([[:space:]]|$)' "$PUBLIC" |
			awk '{print $NF == "define" ? "" : $NF}' | sed 's/^#define//' | tr -d ' \t' | sort -u >"$TMP/defined.txt"
		comm -12 "$TMP/dm.txt" "$TMP/defined.txt" >"$TMP/want.txt"
		xenabi list constants mini --abi $abi --view $view --format json --db "$DB" |
			grep -B1 '"class": "\(int\|string\|other\)"' | sed -n 's/.*"name": "\(.*\)",/\1/p' | sort -u >"$TMP/got.txt"
		if [ -s "$TMP/want.txt" ] && cmp -s "$TMP/want.txt" "$TMP/got.txt"; then
			ok "$abi $view: $(wc -l <"$TMP/want.txt") macro names match clang -dM -E"
		else
			not_ok "$abi $view: $(wc -l <"$TMP/want.txt") macro names match clang -dM -E"
			diff "$TMP/want.txt" "$TMP/got.txt" | diag
		fi
	done
done

done_testing
