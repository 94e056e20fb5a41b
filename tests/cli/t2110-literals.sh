#!/bin/sh
# A lone integer literal's value and type come from C11's rules, not from
# a compile: each literal form, at the edges of every type, must read as
# clang reads "(0 + literal)", which still goes through the compiler, on
# every ABI (long is 4 bytes on x86_32 and arm32, 8 on the others).
. "$(dirname "$0")/lib.sh"

cp -r "$FIXTURES/mini/." "$TMP/tree" &&
	pub=$TMP/tree/xen/include/public &&
	{
		echo '/* xenabi test: literals, each with its compiled twin. */'
		echo '#ifndef FIX_LIT_H'
		echo '#define FIX_LIT_H'
		k=0
		for v in 0 1 7 2147483647 2147483648 4294967295 4294967296 \
			 9223372036854775807 0x7fffffff 0x80000000 0xffffffff \
			 0x100000000 0x7fffffffffffffff 0x8000000000000000 \
			 0xffffffffffffffff 017777777777 020000000000 \
			 037777777777 040000000000 0X1F; do
			for s in "" u U l L ul UL lu LU ll LL ull ULL llu LLU uLL; do
				k=$((k + 1))
				echo "#define N_$k $v$s"
				echo "#define E_$k (0 + $v$s)"
			done
		done
		echo '#define N_P1 (42)'
		echo '#define E_P1 (0 + 42)'
		echo '#define N_P2 ((0x80000000))'
		echo '#define E_P2 (0 + 0x80000000)'
		# No C type holds it: left to the compiler, both sides.
		echo '#define N_P3 18446744073709551615'
		echo '#define E_P3 (0 + 18446744073709551615)'
		echo '#endif'
	} >"$pub/lit.h" ||
	{ echo "Bail out! cannot write the fixture"; exit 2; }

xenabi scan --release lit --tree "$TMP/tree" --db "$DB" >/dev/null 2>"$TMP/err" ||
	{ diag "$TMP/err"; echo "Bail out! cannot scan the fixture"; exit 2; }
# (name without its prefix, value, width, signedness, units) of one side.
side() {
	sqlite3 "$DB" "SELECT substr(c.name, 3), c.class, c.value, c.width,
		c.is_signed, i.units FROM cvalue c
		JOIN constset_item i ON i.cvalue_id = c.id
		WHERE c.name LIKE '$1\\_%' ESCAPE '\\' ORDER BY 1, 6" >"$TMP/$1"
}
side N && side E
check "every literal was read" sh -c "[ \$(cut -d'|' -f1 '$TMP/N' | sort -u | wc -l) -eq 323 ]"
check "each reads as the compiler reads it, on every ABI" cmp "$TMP/N" "$TMP/E"
check "the literals are integers" sh -c "! grep -v '^[^|]*|0|' '$TMP/N'"
check "a value one ABI's long holds and another's does not" \
	grep -q '^[0-9]*|0|4294967296|8|1|' "$TMP/N"
if ! cmp -s "$TMP/N" "$TMP/E"; then
	diff "$TMP/N" "$TMP/E" | head -20 | diag
fi

done_testing
