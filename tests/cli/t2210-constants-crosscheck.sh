#!/bin/sh
# Constants against the compiler: every integer value we recorded holds
# in a _Static_assert on the same probe, and the macro names read from
# DWARF are those clang -dM -E sees, less builtins and those not defined
# in a public header.  XENABI_CROSSCHECK_TREE runs it on another tree.
. "$(dirname "$0")/lib.sh"

scan_keeping "${XENABI_CROSSCHECK_TREE:-$FIXTURES/mini}"

for abi in x86_32 x86_64 arm32 arm64; do
	for view in tools guest latest; do
		flags=$(probe_flags $abi $view)
		probe=$PROBES/layout-$abi-$view.c
		[ -f "$probe" ] || continue
		xenabi list constants x --abi $abi --view $view --db "$DB" >"$TMP/c.txt"

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
		# The latest view defines the version on the command line.
		[ $view = latest ] && sed -i '/^__XEN_INTERFACE_VERSION__$/d' "$TMP/want.txt"
		xenabi list constants x --abi $abi --view $view --format json --db "$DB" |
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
