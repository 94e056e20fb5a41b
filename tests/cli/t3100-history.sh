#!/bin/sh
# history: a type, a member, a constant and a continuation encoding
# across releases, a row per span where nothing changed; unknown names
# are trouble with the closest names offered.
. "$(dirname "$0")/lib.sh"

# Release names sort as versions: 1.0 (old) < 1.1 (new) < 1.2 (cont-old) < 1.3.
xenabi scan --release 1.0 --tree "$FIXTURES/diff/old" --db "$DB" >/dev/null &&
xenabi scan --release 1.1 --tree "$FIXTURES/diff/new" --db "$DB" >/dev/null &&
xenabi scan --release 1.2 --tree "$FIXTURES/cont/old" --db "$DB" >/dev/null &&
xenabi scan --release 1.3 --tree "$FIXTURES/cont/new" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the fixtures"; exit 2; }

run_status 0 "a type" history fix_arm --db "$DB"
check "heading names kind, file and view" \
	grep -q '^struct fix_arm (arch-arm.h), tools view: size/align$' "$TMP/out"
check "size/align per ABI, arm only" \
	grep -q -E '^  1\.0 +- +- +8/4 +8/4$' "$TMP/out"
check "the release where it changed starts a span" \
	grep -q -E '^  1\.1 +- +- +16/8 +16/8 ' "$TMP/out"
check "with the members that changed" grep -q 'members changed: arm32: pc, flags' "$TMP/out"
check "later releases without it are one span" grep -q -E '^  1\.2 - 1\.3 +- +- +n/a +n/a$' "$TMP/out"
run_status 0 "'struct fix_arm' is the same" history "struct fix_arm" --db "$DB"

run_status 0 "a member" history fix_arm.pc --db "$DB"
check "type, offset and width" grep -q -E '^  1\.0 +- +- +uint32_t @0 u32 +uint32_t @0 u32$' "$TMP/out"
check "widened on arm" grep -q -E '^  1\.1 +- +- +uint64_t @0 u64 +uint64_t @0 u64$' "$TMP/out"

run_status 0 "a constant" history XENMEM_wide_op --db "$DB"
check "one column when every ABI agrees" grep -q -E '^  releases +all ABIs$' "$TMP/out"
check "absent, then its value" \
	sh -c "grep -q -E '^  1\.0 - 1\.2 +-$' '$TMP/out' && grep -q -E '^  1\.3 +300 \(0x12c\)$' '$TMP/out'"

run_status 0 "an encoding, by its hypercall" history memory_op --db "$DB"
check "its bits per word size" \
	grep -q -E '^  1\.2 +cmd: \[31\.\.6\] start_extent \| \[5\.\.0\] op +cmd: \[63\.\.6\] start_extent \| \[5\.\.0\] op' "$TMP/out"
check "and where they moved" grep -q -E '^  1\.3 +cmd: \[31\.\.8\] start_extent' "$TMP/out"
run_status 0 "an encoding's macro is a constant" history MEMOP_EXTENT_SHIFT --db "$DB"
check "its values" sh -c "grep -q -E '^  1\.2 +6$' '$TMP/out' && grep -q -E '^  1\.3 +8$' '$TMP/out'"

run_status 0 "json" history fix_arm.pc --format json --db "$DB"
check "kind, type, member and spans" \
	sh -c "jq -e '.kind == \"member\" and .type == \"fix_arm\" and .member == \"pc\" and (.spans | length) == 3' '$TMP/out' >/dev/null"
check "a span's releases and per-ABI values" \
	sh -c "jq -e '.spans[1].from == \"1.1\" and .spans[1].abis.arm64.bits == 64 and .spans[1].abis.x86_64 == null' '$TMP/out' >/dev/null"
run_status 0 "json of an encoding" history memory_op --format json --db "$DB"
check "its bits" sh -c "jq -e '.spans[] | select(.from == \"1.3\") | .abis.x86_64.progress_lo == 8 and .abis.x86_64.word == 64' '$TMP/out' >/dev/null"

run_status 0 "the guest view" history fix_arm --view guest --db "$DB"
check "says so" grep -q 'guest view' "$TMP/out"
check "with the guest's cells" grep -q -E '^  1\.0 +- +- +8/4 +8/4$' "$TMP/out"
run_status 2 "a tools-only type in the guest view" history fix_domctl --view guest --db "$DB"
error_line "says where it is" "'fix_domctl' is only in the tools view; try --view tools"
run_status 2 "a tools-only member in the guest view" history fix_domctl.cmd --view guest --db "$DB"
error_line "says so too" "'fix_domctl.cmd' is only in the tools view; try --view tools"
run_status 0 "it in the tools view" history fix_domctl.cmd --db "$DB"

run_status 2 "a misspelt member" history fix_arm.pcc --db "$DB"
error_line "offers the member" "no type, member, constant or encoding 'fix_arm.pcc' in any release; did you mean fix_arm.pc"
run_status 2 "a misspelt type" history fix_arn --db "$DB"
error_line "offers the closest names" "did you mean fix_arm"
run_status 2 "nothing like it" history zzzzzzzzzzzz --db "$DB"
error_line "says so, offering nothing" "no type, member, constant or encoding 'zzzzzzzzzzzz' in any release$"
run_status 2 "no name" history --db "$DB"
run_status 2 "a bad view" history fix_arm --view host --db "$DB"

done_testing
