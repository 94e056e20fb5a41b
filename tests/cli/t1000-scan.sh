#!/bin/sh
# Scanning the mini fixture: every ABI and view, failures isolated and
# recorded, arch headers kept to their own ABI.
. "$(dirname "$0")/lib.sh"

# From another directory, with a relative tree: paths must still resolve.
cp -r "$FIXTURES/mini" "$TMP/tree"
cd "$TMP" || exit 2
run_status 0 "scan of the fixture succeeds" scan --release mini --tree tree --db "$DB"
check "summary names the release and 12 units" grep -q '^scanned mini: 12 units' "$TMP/out"
check "summary points at the failures" grep -q "list failures mini" "$TMP/out"

run_status 0 "list failures" list failures mini --db "$DB"
golden scan-failures.txt "$TMP/out"
check "failure messages carry no absolute path" sh -c "! grep -q '$TMP' '$TMP/out'"

run_status 0 "list types" list types mini --db "$DB"
golden scan-types.txt "$TMP/out"
run_status 0 "list types --view guest" list types mini --view guest --db "$DB"
golden scan-types-guest.txt "$TMP/out"

# Never record one architecture's structs under another's ABI.
run_status 0 "list types --abi x86_64" list types mini --abi x86_64 --db "$DB"
check "x86_64 has no arm-only type" sh -c "! grep -q vcpu_guest_context '$TMP/out'"
check "x86_64 cpu_user_regs is the 64-bit one" grep -q -E '^struct +cpu_user_regs +x86_64=32 ' "$TMP/out"
run_status 0 "list types --abi arm64" list types mini --abi arm64 --db "$DB"
check "arm64 has no x86 type" sh -c "! grep -q cpu_user_regs '$TMP/out'"
check "arm vcpu_guest_context is tools-only" grep -q vcpu_guest_context "$TMP/out"
run_status 0 "list types --abi arm64 --view guest" list types mini --abi arm64 --view guest --db "$DB"
check "arm guest view has no vcpu_guest_context" sh -c "! grep -q vcpu_guest_context '$TMP/out'"

run_status 0 "list releases" list releases --db "$DB"
check "release listed with its ABIs" grep -q -E '^mini +x86_32,x86_64,arm32,arm64 ' "$TMP/out"
run_status 0 "list releases --format json" list releases --format json --db "$DB"
check "json release has a tree hash" grep -q -E '"tree_hash": "[0-9a-f]{64}"' "$TMP/out"

# A tree without arch-arm headers is scanned for x86 only.
mkdir -p "$TMP/x86only"
cp -r "$FIXTURES/mini/xen" "$TMP/x86only/"
rm "$TMP/x86only/xen/include/public/arch-arm.h"
run_status 0 "scan of a tree without arm headers" scan --release x86 --tree x86only --db "$DB"
check "only the x86 units are scanned" grep -q '^scanned x86: 6 units' "$TMP/out"

# The public directory itself, or installed headers, are trees too.
run_status 0 "scan of the public directory itself" scan --release pub --tree tree/xen/include/public --db "$DB"
xenabi list types pub --db "$DB" >"$TMP/pub.txt"
xenabi list types mini --db "$DB" >"$TMP/mini.txt"
check "same types as from the top of the tree" cmp -s "$TMP/pub.txt" "$TMP/mini.txt"

# The summary for machines.
run_status 0 "scan --format json" scan --release js --tree "$FIXTURES/mini" --db "$TMP/js.db" --format json
check "a JSON summary: schema, outcome, units with numbers" \
	sh -c "jq -e '.schema >= 4 and .outcome == \"scanned\" and (.units | length == 12) and (.units[0].types | type == \"number\") and .hypercalls == 0' '$TMP/out' >/dev/null"
run_status 0 "again: unchanged" scan --release js --tree "$FIXTURES/mini" --db "$TMP/js.db" --format json
check "says so" sh -c "jq -e '.outcome == \"unchanged\"' '$TMP/out' >/dev/null"
run_status 0 "another name: copied" scan --release js2 --tree "$FIXTURES/mini" --db "$TMP/js.db" --format json
check "from the first" sh -c "jq -e '.outcome == \"copied\" and .from == \"js\"' '$TMP/out' >/dev/null"

done_testing
