#!/bin/sh
# An ABI the release's own headers refuse did not exist in it (Xen 4.2 has
# no arm64: xen.h says "Unsupported architecture"): its units are not
# present, the release's failures say why, and nothing is stored for it.
. "$(dirname "$0")/lib.sh"

run_status 0 "scan a tree whose xen.h refuses aarch64" \
	scan --release noabi --tree "$FIXTURES/noabi" --db "$DB"
check "three ABIs in three views" grep -q '^scanned noabi: 9 units' "$TMP/out"
check "the summary says why arm64 is not there" \
	grep -q '^the arm64 ABI does not exist in this release: xen.h:[0-9]*:2: error: "Unsupported architecture"$' "$TMP/out"
run_status 0 "list releases" list releases --db "$DB"
check "names the ABIs there are" grep -q -E '^noabi +x86_32,x86_64,arm32 ' "$TMP/out"
run_status 2 "no arm64 types" list types noabi --abi arm64 --db "$DB"
error_line "there are no arm64 headers" "release 'noabi' has no arm64 headers"
run_status 0 "the failures of arm64" list failures noabi --abi arm64 --db "$DB"
check "one per view, naming xen.h" \
	test "$(grep -c -E '^arm64 +(tools|guest|latest) +xen.h +the arm64 ABI does not exist in this release: ' "$TMP/out")" = 3 -a \
	"$(wc -l <"$TMP/out")" = 3
check "nothing stored for arm64, not even a standalone header's" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM declset_item WHERE units & 2240") $(sqlite3 "$DB" "SELECT count(*) FROM constset_item WHERE units & 2240")" = "0 0"
run_status 0 "arm32 has the standalone header" show noabi fix_standalone --abi arm32 --db "$DB"
run_status 2 "arm64 has not" show noabi fix_standalone --abi arm64 --db "$DB"
run_status 0 "history of it" history fix_standalone --db "$DB"
check "with no arm64 column to speak of" grep -q -E '^  noabi +8/4 +16/8 +8/4 +n/a$' "$TMP/out"

# The same through the baselines text, and back.
run_status 0 "write baselines" baselines write "$TMP/bl" --db "$DB"
check "the release's units have no arm64 bit" grep -q '^units	73f$' "$TMP/bl/releases/noabi"
check "its failure is kept on the arm64 units" \
	grep -q '^failure	8c0	xen.h	the arm64 ABI does not exist in this release: ' "$TMP/bl/releases/noabi"
run_status 0 "load them" baselines load "$TMP/bl" --db "$TMP/back.db"
xenabi list failures noabi --abi arm64 --db "$TMP/back.db" >"$TMP/back.txt"
xenabi list failures noabi --abi arm64 --db "$DB" >"$TMP/out"
check "the failures come back" cmp "$TMP/out" "$TMP/back.txt"

# A C error in xen.h itself is a failure, not a missing ABI.
cp -r "$FIXTURES/noabi" "$TMP/cerr"
sed -i 's/^#error "Unsupported architecture"$/struct fix_broken { int x }/' \
	"$TMP/cerr/xen/include/public/xen.h"
run_status 0 "scan a tree whose xen.h has a C error on aarch64" \
	scan --release cerr --tree "$TMP/cerr" --db "$DB"
check "all four ABIs are there" grep -q '^scanned cerr: 12 units' "$TMP/out"

done_testing
