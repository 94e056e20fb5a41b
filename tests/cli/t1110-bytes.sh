#!/bin/sh
# Bytes that are not UTF-8 (a legal C string constant, a header's file
# name, a suppression reason) reach every JSON and SARIF record: as \xHH,
# never dropped, and the exact bytes come back from the escapes.
. "$(dirname "$0")/lib.sh"

# unescape: the bytes a JSON string's text (on stdin) stands for, in hex:
# \\ is a backslash, \xHH the byte HH, any other backslash itself.
unescape() {
	python3 -c '
import sys
t, out, i = sys.stdin.read().rstrip("\n"), bytearray(), 0
bs = chr(92)
while i < len(t):
    if t[i] == bs and t[i + 1:i + 2] == bs:
        out.append(92)
        i += 2
    elif t[i] == bs and t[i + 1:i + 2] == "x" and len(t) >= i + 4:
        out.append(int(t[i + 2:i + 4], 16))
        i += 4
    else:
        out += t[i].encode()
        i += 1
print(out.hex())'
}

cp -r "$FIXTURES/mini" "$TMP/a"
cp -r "$FIXTURES/mini" "$TMP/b"
pub=xen/include/public
printf '#ifndef FIX_BYTES_H\n#define FIX_BYTES_H\n#define FIX_BYTES "\\xff\\xfe"\n#define FIX_SLASH "a\\\\x41"\n#define FIX_ESC "\\x1b[31mred"\nstruct fix_odd { int a; };\n#endif\n' \
	>"$TMP/b/$pub/odd$(printf '\377\376').h"
printf '#define FIX_BYTES "\\xfe"\n' >>"$TMP/a/$pub/xen.h"
xenabi scan --release a --tree "$TMP/a" --db "$DB" >/dev/null &&
xenabi scan --release b --tree "$TMP/b" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the byte fixtures"; exit 2; }

run_status 0 "list constants --format json" list constants b --abi x86_64 --format json --db "$DB"
check "the output is JSON" sh -c "jq -e . '$TMP/out' >/dev/null"
check "a string of bytes that are not UTF-8 is there, escaped" \
	sh -c "jq -r '.[] | select(.name == \"FIX_BYTES\") | .values.x86_64' '$TMP/out' | grep -q -x -F '\\xff\\xfe'"
jq -r '.[] | select(.name == "FIX_BYTES") | .values.x86_64' "$TMP/out" | unescape >"$TMP/hex"
check "and gives its exact bytes back" test "$(cat "$TMP/hex")" = fffe
check "a backslash before x is doubled, so it is not read as a byte" \
	sh -c "jq -r '.[] | select(.name == \"FIX_SLASH\") | .values.x86_64' '$TMP/out' | grep -q -x -F 'a\\\\x41'"
jq -r '.[] | select(.name == "FIX_SLASH") | .values.x86_64' "$TMP/out" | unescape >"$TMP/hex"
check "and gives back the one backslash" test "$(cat "$TMP/hex")" = 615c783431
check "its file name is there, escaped" \
	sh -c "jq -r '.[] | select(.name == \"FIX_BYTES\") | .file' '$TMP/out' | grep -q -x -F 'odd\\xff\\xfe.h'"

run_status 0 "list types --format json" list types b --format json --db "$DB"
check "the struct of that header is listed, with its file" \
	sh -c "jq -r '.[] | select(.name == \"fix_odd\") | .file' '$TMP/out' | grep -q -x -F 'odd\\xff\\xfe.h'"

run_status 1 "diff --format json" diff a b --format json --db "$DB"
check "the changed constant keeps both values" \
	sh -c "jq -r '.changes[] | select(.symbol == \"FIX_BYTES\") | .old, .new' '$TMP/out' | tr '\\n' ' ' | grep -q -x -F '\"\\xfe\" \"\\xff\\xfe\" '"

printf 'accept constant_changed FIX_BYTES\n    reason: accepted \377 by someone\n' >"$TMP/accepted"
run_status 0 "diff with a suppression whose reason is not UTF-8" \
	diff a b --suppress "$TMP/accepted" --min-severity break --format json --db "$DB"
check "the finding is marked suppressed, its reason escaped" \
	sh -c "jq -r '.changes[] | select(.symbol == \"FIX_BYTES\") | .suppressed' '$TMP/out' | grep -q -x -F 'accepted \\xff by someone'"
run_status 0 "the same as SARIF" \
	diff a b --suppress "$TMP/accepted" --format sarif --db "$DB"
check "SARIF carries the suppression" \
	sh -c "jq -e '[.runs[0].results[] | select(.suppressions)] | length == 1' '$TMP/out' >/dev/null"
check "and every result" \
	sh -c "test \$(jq '.runs[0].results | length' '$TMP/out') -ge 2"

# Control characters: XML 1.0 cannot carry them, a terminal acts on them.
run_status 1 "diff --format junit" diff a b --format junit --db "$DB"
check "JUnit is well-formed XML" xmllint --noout "$TMP/out"
check "with the bytes escaped" grep -q 'odd\\xff\\xfe.h' "$TMP/out"
run_status 1 "diff as text" diff a b --all --db "$DB"
check "no raw ESC reaches the terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/out'"
check "it is written as \\x1b" grep -q 'FIX_ESC: "\\x1b\[31mred"' "$TMP/out"
cp -r "$FIXTURES/mini" "$TMP/c"
printf '#define FIX_NL 1\n' >"$TMP/c/$pub/new
line.h"
xenabi scan --release c --tree "$TMP/c" --db "$DB" >/dev/null || not_ok "scan c"
run_status 0 "list failures as text" list failures c --db "$DB"
check "a header named with a newline stays on its line" \
	grep -q '^x86_32 tools  new\\x0aline.h  *its name holds' "$TMP/out"

# show and history print to a terminal too: no raw ESC there either.
run_status 0 "history of a string with an ESC, as text" history FIX_ESC --releases mine --db "$DB"
check "the ESC is written \\x1b" grep -q -F '"\x1b[31mred"' "$TMP/out"
check "and never raw" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/out'"

done_testing
