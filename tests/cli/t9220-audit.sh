#!/bin/sh
# The hand audits (tests/audit/x86-breaks.tsv, arm-breaks.tsv) against the
# shipped baselines: every finding judged TRUE is still a break, every
# break over the 22 consecutive x.0 pairs has a row, and each row says what
# diff says of it now.  Prints the precision: breaks judged TRUE over
# breaks, per architecture.
. "$(dirname "$0")/lib.sh"

use_shipped

# The breaks of each pair: on x86 as the before-stop gauge counts them
# (--abi x86_32,x86_64), on arm every finding that touches arm32 or arm64.
: >"$TMP/x86"
: >"$TMP/arm"
i=0
while [ $i -le 21 ]; do
	old=4.$i.0 new=4.$((i + 1)).0
	for arch in x86 arm; do
		if [ $arch = x86 ]; then set -- --abi x86_32,x86_64; else set --; fi
		xenabi diff "$old" "$new" "$@" --format json >"$TMP/d.json" 2>"$TMP/err"
		[ $? -le 1 ] || { not_ok "diff $old $new $*"; diag "$TMP/err"; }
		jq -r --arg o "$old" --arg n "$new" --arg a "$arch" '.changes[] |
			select(.severity == "break") |
			select(.abi | map(startswith($a)) | any) |
			[$o, $n, .kind, .symbol] | @tsv' "$TMP/d.json" >>"$TMP/$arch"
	done
	i=$((i + 1))
done

# audit ARCH FLOOR: the table of ARCH against its breaks; FLOOR: the least
# precision, in percent, it may fall to.
audit() {
	table=$TOP/tests/audit/$1-breaks.tsv breaks=$TMP/$1
	check "$1: the table is well formed: 7 fields, a verdict, a state" \
		awk -F '\t' '!/^#/ && (NF != 7 || $5 !~ /^(TRUE|COMPAT|FALSE|UNPROMISED)$/ || $6 !~ /^(break|-)$/) { bad = 1 } END { exit bad }' "$table"
	grep -v '^#' "$table" | cut -f1-6 >"$TMP/rows"

	cut -f1-4 "$TMP/rows" | sort -u >"$TMP/known"
	sort -u "$breaks" | comm -23 - "$TMP/known" >"$TMP/unaudited"
	if [ -s "$TMP/unaudited" ]; then
		not_ok "$1: every break has a row (audit these and add them)"
		diag "$TMP/unaudited"
	else
		ok "$1: every break has a row"
	fi

	sort -u "$breaks" >"$TMP/now"
	: >"$TMP/wrong"
	while IFS='	' read -r o n k s verdict state; do
		if grep -q -F -x "$o	$n	$k	$s" "$TMP/now"; then is=break; else is=-; fi
		[ "$is" = "$state" ] || echo "$o $n $k $s: table says $state, diff says $is ($verdict)" >>"$TMP/wrong"
	done <"$TMP/rows"
	if [ -s "$TMP/wrong" ]; then
		not_ok "$1: each row says what diff says now"
		diag "$TMP/wrong"
	else
		ok "$1: each row says what diff says now"
	fi

	# No true break lost.
	check "$1: every finding judged TRUE is a break" \
		sh -c "! awk -F '\t' '\$5 == \"TRUE\" && \$6 != \"break\"' '$TMP/rows' | grep -q ."

	# Precision, per finding as diff reports them (one per ABI set).
	total=$(wc -l <"$breaks")
	true_n=$(awk -F '\t' 'NR == FNR { if ($5 == "TRUE") t[$1 "\t" $2 "\t" $3 "\t" $4] = 1; next }
		t[$1 "\t" $2 "\t" $3 "\t" $4] { n++ } END { print n + 0 }' "$TMP/rows" "$breaks")
	echo "# $1 breaks over the 22 x.0 pairs: $total, judged TRUE: $true_n"
	check "$1: precision does not fall below $2 %" \
		test "$((true_n * 100))" -ge "$((total * $2))"
}

audit x86 92	# 24 of 26
audit arm 100	# 4 of 4

done_testing
