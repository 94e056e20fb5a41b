#!/bin/sh
# A header that compiled in the baseline and no longer compiles is the
# finding (header_failed, a break, with the compiler's message), before
# anything else; what it declared is not reported as removed.  Headers
# that include it fail through it, and say so (t9300 on real Xen).
. "$(dirname "$0")/lib.sh"

xenabi scan --release base --tree "$FIXTURES/mini" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the mini fixture"; exit 2; }
cp -r "$FIXTURES/mini" "$TMP/tree"
P=$TMP/tree/xen/include/public
sed 's/uint32_t interface_version;/uint32_t interface_version/' "$P/ctl.h" >"$TMP/ctl.h" &&
	mv "$TMP/ctl.h" "$P/ctl.h"

run_status 1 "check of a tree whose tools header lost a ';'" check --tree "$TMP/tree" --against base --all --db "$DB"
golden header-failed.txt "$TMP/out"
check "one finding: the header, with the compiler's file:line: message" \
	grep -q "break header_failed  *ctl.h: compiled -> ctl.h:19:[0-9]*: error: expected ';' at end of declaration list \[all ABIs\]" "$TMP/out"
check "nothing it declared is called removed" sh -c "! grep -q -E '_removed' '$TMP/out'"
check "it comes first" sed -n 3p "$TMP/out" | grep -q 'tools only'
run_status 1 "as JSON" check --tree "$TMP/tree" --against base --format json --db "$DB"
check "one change, of kind header_failed, with its reason" \
	jq -e '(.changes | length == 1) and .changes[0].kind == "header_failed" and (.changes[0].reason | test("no longer compiles"))' "$TMP/out"

# When nothing compiles at all, that is the one error.
cp -r "$FIXTURES/mini" "$TMP/tree2"
printf '#error broken on purpose\n' >>"$TMP/tree2/xen/include/public/xen.h"
run_status 2 "a tree where xen.h, which all include, fails" check --tree "$TMP/tree2" --against base --db "$DB"
error_line "says so, with the compiler's first error" "no public header under '.*' compiled for any ABI; first error: xen.h:[0-9]*:[0-9]*: error: broken on purpose"

# A header that failed on the old side only: nothing compared, no finding of it.
run_status 0 "the reverse is no break" check --tree "$FIXTURES/mini" --against base --db "$DB"

done_testing
