#!/bin/sh
# The hypercall table: read from a tree's hypercall-defs.c under a full
# and a minimal configuration, its types' widths from the compiler per
# ABI; stored, shipped, shown, compared and linted.
. "$(dirname "$0")/lib.sh"

OLD=$FIXTURES/hcall/old
NEW=$FIXTURES/hcall/new
xenabi scan --release hold --tree "$OLD" --db "$DB" >/dev/null &&
xenabi scan --release hnew --tree "$NEW" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the hypercall fixtures"; exit 2; }

# Reading: every column, the handlers' prefixes and return types.
check "one row per hypercall and kind of guest" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM hypercall h JOIN release r ON r.id = h.release_id WHERE r.name = 'hold'")" = 43
check "compat handlers return int, by the rettype line" \
	test "$(sqlite3 "$DB" "SELECT rettype FROM hypercall WHERE name = 'memory_op' AND kind = 'pv32' AND handler = 'compat_memory_op' LIMIT 1")" = int
check "others long, the default" \
	test "$(sqlite3 "$DB" "SELECT rettype FROM hypercall WHERE name = 'memory_op' AND kind = 'hvm32' AND handler = 'hvm_memory_op' LIMIT 1")" = long
check "the priority marks" \
	test "$(sqlite3 "$DB" "SELECT priority FROM hypercall WHERE name = 'multicall' AND kind = 'pv64' LIMIT 1")" = 2
check "a hypercall only a CONFIG_ feature builds is optional" \
	test "$(sqlite3 "$DB" "SELECT DISTINCT optional FROM hypercall WHERE name = 'feature_op'")" = 1
check "a row of '-' reaches no guest" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM hypercall WHERE name = 'tmem_op'")" = 0
check "PV-only hypercalls have no HVM or arm cells" \
	test "$(sqlite3 "$DB" "SELECT group_concat(kind, ' ') FROM (SELECT DISTINCT kind FROM hypercall WHERE name = 'mmu_update' ORDER BY kind)")" = "pv32 pv64"
check "unsigned long is 4 bytes for x86_32 and arm32, by the compiler" \
	test "$(sqlite3 "$DB" "SELECT group_concat(size, ' ') FROM (SELECT DISTINCT abi, size FROM ctype WHERE type = 'unsigned long' ORDER BY abi)")" = "4 8 4 8"
check "a public typedef is evaluated too" \
	test "$(sqlite3 "$DB" "SELECT DISTINCT size FROM ctype WHERE type = 'domid_t'")" = 2
check "Xen's own s_time_t, through the standard type it is" \
	test "$(sqlite3 "$DB" "SELECT group_concat(size || is_signed, ' ') FROM (SELECT DISTINCT abi, size, is_signed FROM ctype WHERE type = 's_time_t' ORDER BY abi)")" = "81 81"
check "a type of no public header and no known alias is not guessed" \
	sh -c "sqlite3 '$DB' \"SELECT count(*) FROM ctype WHERE type LIKE '%compat%'\" | grep -qx 0"

# Show.
run_status 0 "show the table" show hold hypercalls --db "$DB"
golden hypercalls-show.txt "$TMP/out"
check "memory_op: compat for x86_32 pv32 returning int" \
	grep -q -E '^  x86_32  pv32   compat_memory_op +int \[4\]' "$TMP/out"
check "and do for x86_64 pv64 returning long" \
	grep -q -E '^  x86_64  pv64   do_memory_op +long \[8\]' "$TMP/out"
check "a 32-bit arm guest keeps 4 bytes of a long" \
	grep -q -E '^  arm32   arm    do_memory_op +long \[8, guest keeps 4\]' "$TMP/out"
run_status 0 "show the table as JSON" show hold hypercalls --format json --db "$DB"
golden hypercalls-show.json "$TMP/out"
check "valid JSON" jq -e '.hypercalls | length == 10' "$TMP/out"
run_status 0 "show a hypercall named by an internal alias" show hnew paging_op --db "$DB"
check "with the public number it has" grep -q '^paging_op (49), the number of arch_1$' "$TMP/out"
run_status 0 "show one hypercall" show hold multicall --db "$DB"
check "only it" test "$(grep -c '^[a-z]' "$TMP/out")" = 1
xenabi scan --release notable --tree "$FIXTURES/mini" --db "$DB" >/dev/null
run_status 2 "a release without a table says so" show notable hypercalls --db "$DB"
error_line "and where to look" "release 'notable' has no hypercall table .*'xenabi list failures notable' says why"
run_status 0 "list failures" list failures notable --db "$DB"
check "names the part that failed" grep -q 'hypercall table  *no hypercall table xenabi can read' "$TMP/out"

# The C tables of a tree before 4.17, read with the tree's own macros.
COLD=$FIXTURES/hcold/tree
run_status 0 "scan a tree with C tables" scan --release cold --tree "$COLD" --db "$DB"
run_status 0 "show its table" show cold hypercalls --db "$DB"
golden hypercalls-cold.txt "$TMP/out"
check "from the three tables' files" \
	grep -q 'from xen/arch/x86/pv/hypercall.c, xen/arch/arm/traps.c, xen/arch/x86/hvm/hypercall.c;' "$TMP/out"
check "a handler the file renames through the preprocessor" \
	grep -q -E '^  x86_64  hvm64  hvm_console_io ' "$TMP/out"
check "an alias of the file's own: arch_1" grep -q -E '^  x86_64  pv64   fixture_continuation +long \[8\]  \(xen_domctl_t \* \[8\]\)$' "$TMP/out"
check "register_t, Xen's own, sized per ABI" \
	grep -q -E '^  arm32   arm    do_deprecated_hypercall +register_t \[8, guest keeps 4\]' "$TMP/out"
run_status 0 "as JSON" show cold hypercalls --format json --db "$DB"
golden hypercalls-cold.json "$TMP/out"
# Xen's function attributes are not the return type: 4.17's development
# had "extern long cf_check" prototypes for a while.
cp "$TMP/out" "$TMP/cold.json"
cp -r "$COLD" "$TMP/cfcheck"
sed -i 's/^extern long$/extern long cf_check/; s/^extern int$/extern int __must_check/' \
	"$TMP/cfcheck/xen/include/xen/hypercall.h"
check "the fixture has the attributes" grep -q 'extern long cf_check' "$TMP/cfcheck/xen/include/xen/hypercall.h"
run_status 0 "scan it with cf_check prototypes" scan --release cfcheck --tree "$TMP/cfcheck" --db "$DB"
xenabi show cfcheck hypercalls --format json --db "$DB" | sed 's/"cfcheck"/"cold"/' >"$TMP/out"
check "the same table: cf_check and __must_check are no part of the type" \
	sh -c "jq -S 'del(.. | .release?) ' '$TMP/out' >'$TMP/a' && jq -S 'del(.. | .release?)' '$TMP/cold.json' >'$TMP/b' && cmp -s '$TMP/a' '$TMP/b'"

# Diff.
run_status 1 "diff finds the table's changes" diff hold hnew --all --db "$DB"
golden hypercalls-diff.txt "$TMP/out"
check "nr_calls widened: a break on the 64-bit ABIs only" \
	grep -q 'break hypercall_argument_changed multicall(nr_calls): unsigned int (4 bytes, unsigned) -> unsigned long (8 bytes, unsigned) \[x86_64, arm64\]' "$TMP/out"
check "a removed hypercall breaks" \
	grep -q 'break hypercall_removed  *retired_op: .*\[all ABIs\]' "$TMP/out"
check "a removed optional one is a risk" grep -q 'risk  hypercall_removed  *feature_op' "$TMP/out"
check "a handler reading a new argument is a risk: callers pass what the interface says" \
	grep -q 'risk  hypercall_argument_changed grant_op(count): none -> unsigned int' "$TMP/out"
check "a wider handler result for 32-bit guests is a risk" \
	grep -q 'risk  hypercall_return_widened  xen_version: compat_xen_version int: 4 bytes, signed -> do_xen_version long: 8 bytes, signed \[x86_32\]' "$TMP/out"
check "signedness on the same width" grep -q 'risk  hypercall_argument_changed set_timer_op(hi)' "$TMP/out"
check "a new hypercall is info" grep -q 'info  hypercall_added  *added_op' "$TMP/out"
check "a structure only PV guests pass: a break for x86" \
	grep -q 'break member_narrowed  *mmu_update.val: .*\[x86_64\]' "$TMP/out"
check "info for arm, whose guests cannot make mmu_update" \
	grep -q 'info  member_narrowed  *mmu_update.val: .*\[arm32, arm64\]' "$TMP/out" &&
	grep -q 'why: mmu_update reaches Xen only through mmu_update, which guests of these ABIs could not make at hold (not in its hypercall table)' "$TMP/out"
check "a hypercall renamed under its number is no removal" \
	sh -c "! grep -E 'arch_1|paging_op' '$TMP/out'"
check "a handler that refuses every call is no hypercall to compare" \
	sh -c "! grep 'sched_op_compat' '$TMP/out'"
check "every severity says why" \
	test "$(grep -c 'hypercall_' "$TMP/out")" = "$(grep -A1 'hypercall_' "$TMP/out" | grep -c 'why: ')"
run_status 1 "diff as JSON" diff hold hnew --format json --db "$DB"
golden hypercalls-diff.json "$TMP/out"
check "the kinds and reasons in JSON" \
	jq -e '[.changes[] | select(.kind == "hypercall_argument_changed" and .symbol == "multicall(nr_calls)")][0].reason | test("upper bits")' "$TMP/out"
run_status 1 "the reverse: a narrowed argument is a risk" diff hnew hold --all --db "$DB"
check "so said" grep -q 'risk  hypercall_argument_changed multicall(nr_calls): unsigned long (8 bytes, unsigned) -> unsigned int (4 bytes, unsigned)' "$TMP/out"
# An HVM handler that read cmd as int, widened to the unsigned long the
# PV handler of the same ABI always read (4.17's hvm_memory_op): a risk,
# since those guests set the whole register.  When no kind read it whole
# before, the same widening stays a break.
for v in hvmint allint; do
	cp -r "$OLD" "$TMP/$v"
done
sed -i 's/^prefix: do PREFIX_hvm$/prefix: do/; s/^memory_op(unsigned long cmd, void \*arg)$/&\n\nprefix: PREFIX_hvm\nmemory_op(int cmd, void *arg)/' \
	"$TMP/hvmint/xen/include/hypercall-defs.c"
sed -i 's/^memory_op(unsigned long cmd, void \*arg)$/memory_op(int cmd, void *arg)/' \
	"$TMP/allint/xen/include/hypercall-defs.c"
# Their own database: the history below counts the releases.
for v in hvmint allint; do
	xenabi scan --release $v --tree "$TMP/$v" --db "$TMP/int.db" >/dev/null ||
		{ echo "Bail out! cannot scan the int-cmd variant $v"; exit 2; }
done
xenabi scan --release hold --tree "$OLD" --db "$TMP/int.db" >/dev/null
xenabi diff hvmint hold --all --db "$TMP/int.db" >"$TMP/out"
check "widened to what the pv64 handler read: a risk, saying so" \
	sh -c "grep -A1 'risk  hypercall_argument_changed memory_op(cmd): int (4 bytes, signed) -> unsigned long (8 bytes, unsigned); hvm64 guests only' '$TMP/out' |
	       grep -q 'as the pv64 handler already did'"
check "and no break for it" sh -c "! grep -q 'break hypercall_argument_changed memory_op' '$TMP/out'"
diag "$TMP/out"
xenabi diff allint hold --all --db "$TMP/int.db" >"$TMP/out"
check "widened where no handler read it whole: a break" \
	grep -q 'break hypercall_argument_changed memory_op(cmd): int (4 bytes, signed) -> unsigned long (8 bytes, unsigned) \[x86_64, arm64\]' "$TMP/out"
diag "$TMP/out"
run_status 1 "no table on one side: nothing said about it" diff notable hold --all --db "$DB"
check "so no hypercall findings" sh -c "! grep -q hypercall_ '$TMP/out'"

# Lint.
run_status 0 "lint" lint hold --all --db "$DB"
check "return_width_differs once for memory_op, naming the ABIs" \
	grep -q 'risk  return_width_differs  *memory_op: .*x86_32 pv32: compat_memory_op int, receives 4 bytes.* \[x86_32, arm32\]' "$TMP/out"
check "with the known large-result sub-ops as its reason" \
	grep -q 'XENMEM_maximum_ram_page.*return values that can exceed 32 bits' "$TMP/out"
check "others are info" grep -q 'info  return_width_differs  *grant_op' "$TMP/out"

# History.
run_status 0 "history of a hypercall" history memory_op --db "$DB"
check "the return type per ABI" grep -q -E '^  .*(hold|hnew|cold) +hvm32 long, pv32 int +long +long +long$' "$TMP/out"

# Baselines carry it, and read back the same.
run_status 0 "baselines write" baselines write "$TMP/bl" --db "$DB"
check "hypercall lines" grep -q '^hypercall	multicall	pv32	compat_multicall	2	always	int	multicall_entry_compat_t \*call_list, uint32_t nr_calls	xen/include/hypercall-defs.c	-$' "$TMP/bl/releases/hold"
check "ctype lines" grep -q '^ctype	arm32	unsigned long	4	unsigned$' "$TMP/bl/releases/hold"
run_status 0 "baselines load" baselines load "$TMP/bl" --db "$TMP/bl.db"
run_status 0 "the table read back" show hold hypercalls --db "$TMP/bl.db"
golden hypercalls-show.txt "$TMP/out"
sed 's/^hypercall	multicall	pv32	compat_multicall	2	always/hypercall	multicall	px32	compat_multicall	2	always/' \
	"$TMP/bl/releases/hold" >"$TMP/bad" && mkdir -p "$TMP/bl2/releases" &&
	cp "$TMP/bl/layouts" "$TMP/bl/constants" "$TMP/bl/sets" "$TMP/bl2/" 2>/dev/null
cp "$TMP/bad" "$TMP/bl2/releases/hold"
run_status 2 "a bad hypercall line is refused" baselines load "$TMP/bl2" --db "$TMP/bl2.db"
error_line "naming the line" "hold:[0-9]*: .*bad hypercall line"

done_testing
