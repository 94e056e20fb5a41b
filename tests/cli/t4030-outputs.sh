#!/bin/sh
# One run, every output: --output FORMAT=FILE beside the format on
# standard output, for diff, check and lint; each file is what --format
# would print; a path that cannot be written is trouble, not a silent
# loss.
. "$(dirname "$0")/lib.sh"

xenabi scan --release old --tree "$FIXTURES/diff/old" --db "$DB" >/dev/null &&
xenabi scan --release new --tree "$FIXTURES/diff/new" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the diff fixtures"; exit 2; }

run_status 1 "diff with three outputs beside text" diff old new --db "$DB" \
	--output sarif="$TMP/a.sarif" --output junit="$TMP/a.xml" --output json="$TMP/a.json"
check "text on standard output" grep -q '^old -> new: ' "$TMP/out"
for f in json sarif junit; do
	xenabi diff old new --db "$DB" --format $f >"$TMP/want.$f" || :
done
check "the JSON file is what --format json prints" cmp -s "$TMP/a.json" "$TMP/want.json"
check "the SARIF file is what --format sarif prints" cmp -s "$TMP/a.sarif" "$TMP/want.sarif"
check "the JUnit file is what --format junit prints" cmp -s "$TMP/a.xml" "$TMP/want.junit"
check "the JUnit file is well-formed XML" xmllint --noout "$TMP/a.xml"
check "the SARIF file is JSON" sh -c "jq -e '.version == \"2.1.0\"' '$TMP/a.sarif' >/dev/null"
run_status 1 "text to a file, JSON on standard output" diff old new --db "$DB" \
	--format json --output text="$TMP/a.txt"
check "the text file has no colour codes" sh -c "grep -q '^old -> new: ' '$TMP/a.txt' && ! grep -q \"\$(printf '\\033')\" '$TMP/a.txt'"

# check: one scan of the tree, every output.
run_status 1 "check with outputs" check --tree "$FIXTURES/diff/new" --against old --db "$DB" \
	--output sarif="$TMP/c.sarif" --output junit="$TMP/c.xml"
check "both written" sh -c "jq -e . '$TMP/c.sarif' >/dev/null && xmllint --noout '$TMP/c.xml'"
# Counted: a compiler that logs its runs, with outputs and without, on a
# tree not stored (one that is would be loaded, not compiled).
cp -r "$FIXTURES/diff/new" "$TMP/unstored"
echo '/* not stored */' >"$TMP/unstored/xen/include/public/unstored.h"
printf '#!/bin/sh\necho run >>"%s"\nexec clang "$@"\n' "$TMP/cc.log" >"$TMP/cc"
chmod +x "$TMP/cc"
XENABI_CC=$TMP/cc xenabi check --tree "$TMP/unstored" --against old --db "$DB" >/dev/null
plain=$(wc -l <"$TMP/cc.log")
: >"$TMP/cc.log"
XENABI_CC=$TMP/cc xenabi check --tree "$TMP/unstored" --against old --db "$DB" \
	--output sarif="$TMP/d.sarif" --output junit="$TMP/d.xml" --output json="$TMP/d.json" >/dev/null
check "three outputs, the compiler run as often as for none (one scan)" \
	test "$(wc -l <"$TMP/cc.log")" = "$plain" -a "$plain" -gt 0
# On a terminal, check says how far its scan is (script(1) gives it one).
if command -v script >/dev/null 2>&1; then
	script -qec "env PAGER=cat '$XENABI' check --tree '$TMP/unstored' --against old --db '$DB' --format json" \
		"$TMP/typescript" >/dev/null 2>&1 || :
	check "check shows its progress on a terminal" grep -q 'scanning the tree: [0-9]*/[0-9]* units' "$TMP/typescript"
	check "and not in a pipe" sh -c "! grep -q 'scanning the tree' '$TMP/err'"
else
	skip "no script(1)"
	skip "no script(1)"
fi
run_status 1 "lint with an output" lint old --db "$DB" --output json="$TMP/l.json"
check "lint's JSON" sh -c "jq -e '.changes | type == \"array\"' '$TMP/l.json' >/dev/null"

run_status 2 "a bad --output" diff old new --db "$DB" --output yaml=x
error_line "names the forms" "--output wants FORMAT=FILE with FORMAT text, json, sarif or junit, not 'yaml=x'"
run_status 2 "a path that cannot be written" diff old new --db "$DB" --output json="$TMP/no/such/dir/x.json"
error_line "says which, and what to do" "cannot write '.*/no/such/dir/x.json': No such file or directory; give a path"

done_testing
