#!/bin/sh
# The hand audit (tests/audit/x86-breaks.tsv) against the shipped
# baselines: every finding judged TRUE is still a break, every break on x86
# over the 22 consecutive x.0 pairs has a row, and each row says what diff
# says of it now.  Prints the precision: breaks judged TRUE over breaks.
. "$(dirname "$0")/lib.sh"

SHIPPED=$TOP/build/baselines.db
if [ ! -f "$SHIPPED" ]; then
	echo "1..0 # skip no shipped baselines: run make"
	exit 0
fi
export XENABI_BASELINES="$SHIPPED" HOME="$TMP/home" XDG_DATA_HOME=
TABLE=$TOP/tests/audit/x86-breaks.tsv

: >"$TMP/breaks"
i=0
while [ $i -le 21 ]; do
	old=4.$i.0 new=4.$((i + 1)).0
	xenabi diff "$old" "$new" --abi x86_32,x86_64 --format json >"$TMP/d.json" 2>"$TMP/err"
	[ $? -le 1 ] || { not_ok "diff $old $new"; diag "$TMP/err"; }
	jq -r --arg o "$old" --arg n "$new" '.changes[] |
		select(.severity == "break") |
		[$o, $n, .kind, .symbol] | @tsv' "$TMP/d.json" >>"$TMP/breaks"
	i=$((i + 1))
done
# The table's rows, without comments: old new kind symbol verdict now.
grep -v '^#' "$TABLE" | cut -f1-6 >"$TMP/rows"

check "the table is well formed: 7 fields, a verdict, a state" \
	awk -F '\t' '!/^#/ && (NF != 7 || $5 !~ /^(TRUE|COMPAT|FALSE)$/ || $6 !~ /^(break|-)$/) { bad = 1 } END { exit bad }' "$TABLE"

# Every break has a row.
cut -f1-4 "$TMP/rows" | sort -u >"$TMP/known"
sort -u "$TMP/breaks" | comm -23 - "$TMP/known" >"$TMP/unaudited"
if [ -s "$TMP/unaudited" ]; then
	not_ok "every break has a row (audit these and add them)"
	diag "$TMP/unaudited"
else
	ok "every break has a row"
fi

# Each row's state is today's.
sort -u "$TMP/breaks" >"$TMP/now"
: >"$TMP/wrong"
while IFS='	' read -r o n k s verdict state; do
	if grep -q -F -x "$o	$n	$k	$s" "$TMP/now"; then is=break; else is=-; fi
	[ "$is" = "$state" ] || echo "$o $n $k $s: table says $state, diff says $is ($verdict)" >>"$TMP/wrong"
done <"$TMP/rows"
if [ -s "$TMP/wrong" ]; then
	not_ok "each row says what diff says now"
	diag "$TMP/wrong"
else
	ok "each row says what diff says now"
fi

# No true break lost: every TRUE row is a break.
check "every finding judged TRUE is a break" \
	sh -c "! awk -F '\t' '\$5 == \"TRUE\" && \$6 != \"break\"' '$TMP/rows' | grep -q ."

# Precision, counted per finding as diff reports them (one per ABI where
# the ABIs differ).
total=$(wc -l <"$TMP/breaks")
true_n=$(awk -F '\t' 'NR == FNR { if ($5 == "TRUE") t[$1 "\t" $2 "\t" $3 "\t" $4] = 1; next }
	t[$1 "\t" $2 "\t" $3 "\t" $4] { n++ } END { print n + 0 }' "$TMP/rows" "$TMP/breaks")
echo "# x86 breaks over the 22 x.0 pairs: $total, judged TRUE: $true_n"
check "precision does not fall below the recorded floor (24 of 31)" \
	test "$((true_n * 100))" -ge "$((total * 77))"

done_testing
