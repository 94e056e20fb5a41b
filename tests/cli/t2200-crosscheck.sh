#!/bin/sh
# Cross-checks of the layouts against the compiler and pahole, in the
# spirit of dwarves' btfdiff: sizeof, _Alignof and offsetof of every
# struct and union we recorded hold in _Static_asserts on the same probe,
# per ABI and view; and pahole reads the same offsets from the same object.
. "$(dirname "$0")/lib.sh"

scan_keeping "${XENABI_CROSSCHECK_TREE:-$FIXTURES/mini}"

for abi in x86_32 x86_64 arm32 arm64; do
	[ -f "$PROBES/layout-$abi-tools.c" ] || continue
	for view in tools guest latest; do
		flags=$(probe_flags $abi $view)
		xenabi list layouts x --abi $abi --view $view --format json --db "$DB" >"$TMP/types.json"
		# C names: struct/union tags, or the typedef that names an
		# anonymous one; path-named nested types have no C name.
		jq -r '[.[] | select(.kind == "typedef") | .name] as $td |
		       .[] | select((.kind == "struct" or .kind == "union") and (.name | contains(".") | not)) |
		       (if (.name as $n | $td | index($n)) then .name else .kind + " " + .name end) as $c |
		       "_Static_assert(sizeof(\($c)) == \(.size), \"size \($c)\");",
		       "_Static_assert(_Alignof(\($c)) == \(.align), \"align \($c)\");",
		       (.members[] | select(.name != "" and (has("bit_size") | not)) |
			"_Static_assert(__builtin_offsetof(\($c), \(.name)) == \(.offset), \"offset \($c).\(.name)\");")' \
			"$TMP/types.json" >"$TMP/asserts.c"
		{ cat "$PROBES/layout-$abi-$view.c"; cat "$TMP/asserts.c"; } >"$TMP/check.c"
		n=$(wc -l <"$TMP/asserts.c")
		if [ "$n" -gt 0 ] && clang $flags -fsyntax-only "$TMP/check.c" 2>"$TMP/cc.err"; then
			ok "$abi $view: clang confirms $n sizes, alignments and offsets"
		else
			not_ok "$abi $view: clang confirms $n sizes, alignments and offsets"
			head -20 "$TMP/cc.err" | diag
		fi
	done
done

# pahole on the same objects: member offsets of the structs it prints
# flat (no nested anonymous members: pahole repeats those).
if command -v pahole >/dev/null 2>&1; then
	for abi in x86_32 x86_64 arm32 arm64; do
		obj=$PROBES/layout-$abi-tools.o
		[ -f "$obj" ] || continue
		xenabi list layouts x --abi $abi --format json --db "$DB" >"$TMP/layouts.json"
		jq -r '.[] | select(.kind == "struct" and (.name | contains(".") | not)) | .name' \
			"$TMP/layouts.json" >"$TMP/structs.txt"
		bad=0 total=0
		rm -rf "$TMP/pahole" && mkdir "$TMP/pahole"
		pahole "$obj" 2>/dev/null | awk -v dir="$TMP/pahole" '
			/^struct [A-Za-z_0-9]+ \{$/ { out = dir "/" $2 ".txt" }
			out { print > out }
			/^\};$/ { if (out) close(out); out = "" }'
		rm -rf "$TMP/ours" && mkdir "$TMP/ours"
		jq -r '.[] | select(.kind == "struct" and (.name | contains(".") | not)) |
			.name as $s | .members[] | "\($s) \(.name) \(.offset)"' "$TMP/layouts.json" |
			awk -v dir="$TMP/ours" '{ print $2, $3 > (dir "/" $1 ".txt") }'
		while read -r s; do
			[ -f "$TMP/pahole/$s.txt" ] || continue
			cp "$TMP/pahole/$s.txt" "$TMP/pahole.txt"
			grep -q '^	[a-z_]*[ 	]*{' "$TMP/pahole.txt" && continue
			grep -q '^	union\|^	struct {' "$TMP/pahole.txt" && continue
			awk -F';' '/^\t[^\t].*\/\* +[0-9]+(:[ 0-9]+)? +[0-9]+ \*\/$/ {
				decl = $1; sub(/ __attribute__.*/, "", decl); sub(/:[0-9]+$/, "", decl)
				n = split(decl, w, /[ \t*]+/); name = w[n]; sub(/\[.*/, "", name)
				c = $0; sub(/.*\/\* +/, "", c); sub(/ *\*\/$/, "", c); sub(/:.*/, "", c); split(c, o, / +/)
				print name, o[1] }' "$TMP/pahole.txt" >"$TMP/p.txt"
			cp "$TMP/ours/$s.txt" "$TMP/x.txt" 2>/dev/null || : >"$TMP/x.txt"
			total=$((total + 1))
			cmp -s "$TMP/p.txt" "$TMP/x.txt" || { bad=$((bad + 1)); diff "$TMP/p.txt" "$TMP/x.txt" | diag; }
		done <"$TMP/structs.txt"
		if [ "$total" -gt 0 ] && [ "$bad" = 0 ]; then
			ok "$abi: pahole agrees on $total structs' offsets"
		else
			not_ok "$abi: pahole agrees on structs' offsets ($bad of $total differ)"
		fi
	done
else
	skip "pahole is not installed"
fi

done_testing
