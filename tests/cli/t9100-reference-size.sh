#!/bin/sh
# Xen's own oracle: tools/include/xen-foreign/reference.size lists the
# sizes of the core structs per ABI; every one must come out the same.
# Needs a clone of xen-project/xen in XEN_GIT (not in CI: it has no
# network); XENABI_REFERENCE_TAGS picks the releases (default: 4.17.0).
. "$(dirname "$0")/lib.sh"

if [ -z "${XEN_GIT:-}" ]; then
	echo "1..0 # skip set XEN_GIT to a clone of xen-project/xen"
	exit 0
fi
for tag in ${XENABI_REFERENCE_TAGS:-RELEASE-4.17.0}; do
	tree=$TMP/$tag
	mkdir -p "$tree"
	if ! git -C "$XEN_GIT" archive "$tag" xen/include/public \
		tools/include/xen-foreign/reference.size 2>/dev/null | tar -x -C "$tree"; then
		not_ok "$tag: cannot read it from $XEN_GIT"
		continue
	fi
	if ! xenabi scan --release "$tag" --tree "$tree" --db "$DB" >/dev/null 2>"$TMP/err"; then
		not_ok "$tag: scan"
		diag "$TMP/err"
		continue
	fi
	xenabi list types "$tag" --db "$DB" >"$TMP/types.txt"
	# reference.size: "name | arm32 arm64 x86_32 x86_64" (older ones lack arm).
	awk -F'|' '/^structs/ { n = split($2, abis, " "); next }
		   /\|/ && n { split($2, v, " "); sub(/ +$/, "", $1)
			for (i = 1; i <= n; i++)
				if (abis[i] ~ /^(x86_32|x86_64|arm32|arm64)$/)
					print $1, abis[i], v[i] }' \
		"$tree/tools/include/xen-foreign/reference.size" >"$TMP/want.txt"
	bad=0 total=0
	while read -r name abi size; do
		# "-": the foreign headers leave it out for that ABI, which
		# says nothing of the public headers.
		[ "$size" = - ] && continue
		total=$((total + 1))
		got=$(awk -v n="$name" -v a="$abi" '$1 == "struct" && $2 == n {
			for (i = 3; i <= NF; i++) if (index($i, a "=") == 1) { print substr($i, length(a) + 2); exit } }' "$TMP/types.txt")
		if [ "$got" != "$size" ]; then
			bad=$((bad + 1))
			echo "# $tag: $name on $abi: reference $size, xenabi ${got:-absent}"
		fi
	done <"$TMP/want.txt"
	if [ "$bad" = 0 ] && [ "$total" -gt 0 ]; then
		ok "$tag: all $total reference sizes agree"
	else
		not_ok "$tag: $bad of $total reference sizes differ"
	fi
done

done_testing
