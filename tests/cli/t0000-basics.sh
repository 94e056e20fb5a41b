#!/bin/sh
# Basics: help, version, exit statuses, and help in step with the table.
. "$(dirname "$0")/lib.sh"

run_status 0 "help exits 0" help
cp "$TMP/out" "$TMP/help"
for c in scan list show help; do
	check "help lists $c" grep -q "^  $c " "$TMP/help"
	run_status 0 "$c --help exits 0" "$c" --help
	check "$c --help starts with its usage" \
		grep -q "^usage: xenabi $c " "$TMP/out"
done
for c in scan list show; do
	run_status 0 "$c --help" "$c" --help
	check "$c --help names --db" grep -q -- '--db FILE' "$TMP/out"
done
# The help is true: every option it names is one the command accepts
# (the parser and the help read one table), each named once.
for c in $(xenabi help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
	xenabi "$c" --help >"$TMP/h.$c"
	for o in $(sed -n 's/^  \(--[a-z-]*\).*/\1/p' "$TMP/h.$c"); do
		xenabi "$c" "$o" x y z </dev/null >/dev/null 2>"$TMP/e" || :
		grep -q "unknown option" "$TMP/e" && echo "$c $o" >>"$TMP/refused"
	done
	sed -n 's/^  \(--[a-z-]*\).*/\1/p' "$TMP/h.$c" | sort | uniq -d >>"$TMP/twice"
done
check "every option a --help names is accepted" test ! -s "$TMP/refused"
check "no --help names an option twice" test ! -s "$TMP/twice"
check "scan --help has --git, --rev and --force" \
	sh -c "grep -q -- '--git DIR' '$TMP/h.scan' && grep -q -- '--rev REV' '$TMP/h.scan' && grep -q -- '--force' '$TMP/h.scan'"
run_status 2 "an option no help names is refused" scan --abi x86_32
error_line "as unknown" "unknown option .--abi."
# Every command in 'help' answers --help: the table and the help agree.
for c in $(xenabi help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
	run_status 0 "listed command $c has --help" "$c" --help
done

run_status 0 "-V exits 0" -V
check "-V is --version" grep -q -E '^xenabi [0-9.]+ \(schema [0-9]+\)$' "$TMP/out"
run_status 0 "--version exits 0" --version
check "--version names the schema" grep -q -E '^xenabi [0-9.]+ \(schema [0-9]+\)$' "$TMP/out"

run_status 2 "no command is a usage error" 
run_status 2 "unknown command exits 2" frobnicate
error_line "unknown command names it" "no command 'frobnicate'"
run_status 2 "abbreviated command is not accepted" sca
run_status 2 "unknown option exits 2" list releases --bogus
error_line "unknown option is named" "unknown option '--bogus'"
run_status 2 "bad --format exits 2" list releases --format yaml
error_line "bad --format is named" "unknown format 'yaml'"

# A failed write of stdout is trouble, never success.
if [ -w /dev/full ]; then
	xenabi help >/dev/full 2>"$TMP/err"
	st=$?
	check "a full stdout exits 2" test "$st" = 2
	error_line "a full stdout says so" "cannot write the output"
else
	skip "no /dev/full"
	skip "no /dev/full"
fi

done_testing
