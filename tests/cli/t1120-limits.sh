#!/bin/sh
# The limits on the compiler (issue 13, item 4): a macro that drives it
# out of memory and a header it never finishes are each a failure of
# that macro or header, listed with why; the rest of the release is
# scanned, and no crash report is left behind.
. "$(dirname "$0")/lib.sh"

MINI=$FIXTURES/mini

# A runaway macro: FIX_RUNAWAY expands to 2^24 terms (the function-like
# steps are not constants themselves); FIX_FINE beside it is ordinary.
cp -r "$MINI" "$TMP/runaway"
{
	echo '#ifndef FIX_RUNAWAY_H'
	echo '#define FIX_RUNAWAY_H'
	echo '#define FIX_D0(x) x'
	i=1
	while [ $i -le 24 ]; do
		echo "#define FIX_D$i(x) (FIX_D$((i - 1))(x) + FIX_D$((i - 1))(x))"
		i=$((i + 1))
	done
	echo '#define FIX_RUNAWAY FIX_D24(1)'
	echo '#define FIX_FINE 7'
	echo '#endif'
} >"$TMP/runaway/xen/include/public/runaway.h"
mkdir "$TMP/scratch"
TMPDIR=$TMP/scratch xenabi scan --release r --tree "$TMP/runaway" \
	--memory-limit 256 --db "$DB" >"$TMP/out" 2>"$TMP/err"
check "a runaway macro does not sink the scan" test $? = 0
run_status 0 "its failures are listed" list failures r --db "$DB"
check "the macro is a failure of its header in every unit, saying why" \
	test "$(grep -c 'runaway.h *FIX_RUNAWAY: the compiler ran out of its memory limit of 256 MiB evaluating it' "$TMP/out")" = 12
run_status 0 "its neighbour is evaluated" list constants r --db "$DB"
check "FIX_FINE is 7" grep -q -E '^FIX_FINE +7 ' "$TMP/out"
check "no crash report or scratch left in TMPDIR" \
	test -z "$(ls -A "$TMP/scratch")"
# What a scan keeps depends on its limits: a stored scan under others is
# not reused for the same tree.
xenabi scan --release r2 --tree "$TMP/runaway" --memory-limit 300 --db "$DB" \
	>"$TMP/out" 2>"$TMP/err"
check "the same tree under other limits is scanned again" \
	sh -c "! grep -q 'nothing compiled' '$TMP/out' && grep -q '^scanned r2' '$TMP/out'"
xenabi scan --release r3 --tree "$TMP/runaway" --memory-limit 256 --db "$DB" \
	>"$TMP/out" 2>"$TMP/err"
check "and under the same limits it is reused" \
	grep -q 'stored r3 from the scan of r.*nothing compiled' "$TMP/out"

# A header the compiler never finishes: a compiler that hangs on any
# probe naming hang.h.
cp -r "$MINI" "$TMP/hang"
echo '#define FIX_HANG 1' >"$TMP/hang/xen/include/public/hang.h"
cat >"$TMP/cc" <<'CC'
#!/bin/sh
for a; do
	case $a in
	*.c) if grep -q 'hang.h' "$a"; then exec sleep 600; fi ;;
	esac
done
exec clang "$@"
CC
chmod +x "$TMP/cc"
XENABI_CC=$TMP/cc xenabi scan --release h --tree "$TMP/hang" --time-limit 2 \
	--db "$DB" >"$TMP/out" 2>"$TMP/err"
check "a header the compiler never finishes does not sink the scan" test $? = 0
run_status 0 "its failures are listed" list failures h --db "$DB"
check "hang.h is a failure in every unit, saying why" \
	test "$(grep -c 'hang.h *the compiler ran past its time limit of 2 s on it' "$TMP/out")" = 12
run_status 0 "the other headers are scanned" list types h --db "$DB"
check "fix_op is there" grep -q 'fix_op' "$TMP/out"
check "no compiler is left running" sh -c "! pgrep -f 'sleep 6[0]0' >/dev/null"

# The options take numbers in range only.
run_status 2 "a limit that is no number" scan --release x --tree "$MINI" \
	--time-limit soon --db "$DB"
error_line "says what a time limit is" "bad --time-limit 'soon' \(seconds, 0 to 86400; 0: none\)"
run_status 2 "a memory limit too small to run a compiler" scan --release x \
	--tree "$MINI" --memory-limit 10 --db "$DB"
error_line "says what a memory limit is" "bad --memory-limit '10' \(MiB, 64 to 1048576; 0: none\)"
run_status 0 "0 is no limit" scan --release z --tree "$MINI" --time-limit 0 \
	--memory-limit 0 --db "$DB"

done_testing
