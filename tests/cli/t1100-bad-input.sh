#!/bin/sh
# Bad input to scan: one clear line naming the thing, exit 2, and the
# database left as it was.
. "$(dirname "$0")/lib.sh"

xenabi scan --release mini --tree "$FIXTURES/mini" --db "$DB" >/dev/null
sqlite3 "$DB" .dump >"$TMP/before.sql" 2>/dev/null || xenabi list types mini --db "$DB" >"$TMP/before.sql"
unchanged() {
	sqlite3 "$DB" .dump >"$TMP/after.sql" 2>/dev/null || xenabi list types mini --db "$DB" >"$TMP/after.sql"
	cmp -s "$TMP/before.sql" "$TMP/after.sql"
}

run_status 2 "a missing directory" scan --release bad --tree "$TMP/nowhere" --db "$DB"
error_line "names the missing directory" "cannot open '.*nowhere': No such file or directory"
mkdir "$TMP/empty"
run_status 2 "an empty directory" scan --release bad --tree "$TMP/empty" --db "$DB"
error_line "says it is not a Xen tree" "'.*empty' is not a Xen tree"
echo hello >"$TMP/file"
run_status 2 "a file, not a directory" scan --release bad --tree "$TMP/file" --db "$DB"
error_line "says it is not a directory" "is not a directory"
mkdir -p "$TMP/src/tools"
run_status 2 "a directory with no public headers" scan --release bad --tree "$TMP/src" --db "$DB"
error_line "names what it looked for" "xen/include/public/xen.h"

# Every header fails: nothing compiled is trouble, not an empty release.
mkdir -p "$TMP/broken/xen/include/public"
printf '#error "broken on purpose"\n' >"$TMP/broken/xen/include/public/xen.h"
run_status 2 "a tree where nothing compiles" scan --release bad --tree "$TMP/broken" --db "$DB"
error_line "quotes the compiler" "no public header .* compiled for any ABI; first error: xen.h:1:2: error: \"broken on purpose\""

# An internal file a scan reads that is no file: one line naming it (it
# once read as empty, and the scan went on with a table of nothing).
cp -r "$FIXTURES/hcall/new" "$TMP/defsdir" &&
	rm "$TMP/defsdir/xen/include/hypercall-defs.c" &&
	mkdir "$TMP/defsdir/xen/include/hypercall-defs.c"
run_status 2 "hypercall-defs.c is a directory" scan --release bad --tree "$TMP/defsdir" --db "$DB"
error_line "names it and why" "cannot read '.*/xen/include/hypercall-defs.c': Is a directory"

# One header that fails everywhere is recorded and the rest scanned.
cp -r "$FIXTURES/mini" "$TMP/onebad"
printf 'struct broken { int x }\n' >"$TMP/onebad/xen/include/public/broken.h"
run_status 0 "one broken header does not sink the scan" scan --release onebad --tree "$TMP/onebad" --db "$TMP/other.db"
xenabi list failures onebad --db "$TMP/other.db" >"$TMP/out"
check "the broken header is recorded on every unit" test "$(grep -c ' broken.h ' "$TMP/out")" = 12
check "with the compiler's message" grep -q "broken.h:1:24: error: expected ';' after struct" "$TMP/out"

# Header names #include "..." cannot carry: set aside, each a failure of
# every unit, and nothing else moves (a newline once shifted the line that
# maps a diagnostic to its header, dropped valid headers and made diff
# report false removals).
cp -r "$FIXTURES/mini" "$TMP/names"
pub=$TMP/names/xen/include/public
printf '#define FIX_NL 1\n' >"$pub/new
line.h"
printf '#define FIX_QUOTE 1\n' >"$pub/quo\"te.h"
printf '#define FIX_BACKSLASH 1\n' >"$pub/back\\slash.h"
xenabi scan --release plain --tree "$FIXTURES/mini" --db "$TMP/names.db" >/dev/null ||
	not_ok "scan the plain tree"
run_status 0 "a tree with unnamable headers scans" \
	scan --release odd --tree "$TMP/names" --db "$TMP/names.db"
xenabi list failures odd --db "$TMP/names.db" --format json >"$TMP/out"
check "each is a failure of all 12 units, saying why" \
	sh -c "test \$(jq '[.[] | select(.message | startswith(\"its name holds a double quote, a backslash or a control character\"))] | length' '$TMP/out') = 36"
check "under its own name, newline and all" \
	sh -c "jq -e 'map(.header) | index(\"new\\nline.h\") != null and index(\"quo\\\"te.h\") != null' '$TMP/out' >/dev/null"
xenabi list constants odd --db "$TMP/names.db" >"$TMP/consts"
check "the other headers' macros are read, theirs are not" \
	sh -c "grep -q '^DOMID_SELF ' '$TMP/consts' && ! grep -q 'FIX_NL\|FIX_QUOTE\|FIX_BACKSLASH' '$TMP/consts'"
run_status 0 "diff against the plain tree: nothing changed" \
	diff plain odd --db "$TMP/names.db"

# A relative TMPDIR that starts with '-': the compiler must not take the
# probe's path for an option.
mkdir -p "$TMP/cwd/-scratch"
(cd "$TMP/cwd" && TMPDIR=-scratch "$XENABI" scan --release dash \
	--tree "$FIXTURES/mini" --db "$TMP/dash.db" >"$TMP/out" 2>"$TMP/err")
check "a TMPDIR of -scratch: the scan works" test $? = 0
check "its scratch directory is gone after" \
	sh -c "test -z \"\$(ls -A '$TMP/cwd/-scratch')\""

# Scratch left by a killed scan (its process gone) is swept by the next
# one; a live process's, and what is not ours to judge, stays.
mkdir -p "$TMP/sweep"
dead=999999
while kill -0 "$dead" 2>/dev/null; do dead=$((dead - 1)); done
mkdir -p "$TMP/sweep/xenabi.$dead.AbCdEf/probes" "$TMP/sweep/xenabi.$$.AbCdEf" \
	"$TMP/sweep/xenabi.$dead.toolong1" "$TMP/sweep/other.$dead.AbCdEf" \
	"$TMP/sweep/xenabi.$dead.Recent"
touch -d '1 hour ago' "$TMP/sweep/xenabi.$dead.AbCdEf" "$TMP/sweep/xenabi.$$.AbCdEf" \
	"$TMP/sweep/xenabi.$dead.toolong1" "$TMP/sweep/other.$dead.AbCdEf"
TMPDIR=$TMP/sweep xenabi scan --release sweep --tree "$FIXTURES/mini" \
	--db "$TMP/sweep.db" >/dev/null 2>&1
check "a dead process's scratch is swept" test ! -e "$TMP/sweep/xenabi.$dead.AbCdEf"
check "a live one's stays" test -d "$TMP/sweep/xenabi.$$.AbCdEf"
check "names not of that form stay" \
	sh -c "test -d '$TMP/sweep/xenabi.$dead.toolong1' && test -d '$TMP/sweep/other.$dead.AbCdEf'"
check "one touched in the last ten minutes stays (another PID namespace's?)" \
	test -d "$TMP/sweep/xenabi.$dead.Recent"
check "and the scan's own is gone" \
	sh -c "test \$(ls '$TMP/sweep' | wc -l) = 4"

# A missing compiler.
XENABI_CC=/nonexistent/clang xenabi scan --force --release bad --tree "$FIXTURES/mini" --db "$DB" >"$TMP/out" 2>"$TMP/err"
check "a missing compiler exits 2" test $? = 2
error_line "names the compiler and the fix" "cannot run '/nonexistent/clang'.*apt-get install clang"

run_status 2 "scan without --tree" scan --release x --db "$DB"
error_line "says --tree is missing" "give --tree DIR or --git DIR"
run_status 2 "scan without --release" scan --tree "$FIXTURES/mini" --db "$DB"
error_line "says --release is missing" "missing --release NAME"
run_status 2 "a release name with a slash" scan --release a/b --tree "$FIXTURES/mini" --db "$DB"
error_line "says the name is bad" "bad release name 'a/b'"
run_status 2 "bad --jobs" scan --release x --tree "$FIXTURES/mini" --jobs many --db "$DB"
for j in 0 65 -1 " 4" 4x ""; do
	run_status 2 "--jobs '$j' is refused" scan --release x --tree "$FIXTURES/mini" --jobs "$j" --db "$DB"
	error_line "saying the range" "bad --jobs '$j' \(a number, 1 to 64\)"
done
run_status 0 "--jobs 1 is taken" scan --release j1 --tree "$FIXTURES/mini" --jobs 1 --db "$TMP/jobs.db"

check "after all that, the database is as it was" unchanged

done_testing
