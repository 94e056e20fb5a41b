#!/bin/sh
# Installed as Debian puts things: the program, its compile server, its
# baselines, xenabi(1) (clean under mandoc -T lint) and the bash
# completion, which completes
# commands, options, release and type names from the program itself;
# uninstall takes away every file install put.
. "$(dirname "$0")/lib.sh"

if command -v mandoc >/dev/null 2>&1; then
	check "xenabi(1) is clean under mandoc -T lint" mandoc -T lint -W warning "$TOP/cmd/xenabi.1"
	mandoc -T ascii "$TOP/cmd/xenabi.1" 2>/dev/null | sed "s/.$(printf "\\b")//g" >"$TMP/man.txt"
	# Every finding kind the program knows is in the page.
	grep -o '\[XENABI_[A-Z_]*\] = "[a-z_]*"' "$TOP/lib/diff.c" | sed 's/.*= "\(.*\)"/\1/' >"$TMP/kinds"
	check "every finding kind is in the man page" \
		sh -c "while read k; do grep -q \"\$k\" '$TMP/man.txt' || { echo \"missing \$k\"; exit 1; }; done <'$TMP/kinds'"
	for c in $(xenabi help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
		grep -q "^ *$c\b" "$TMP/man.txt" || echo "$c" >>"$TMP/nocmd"
	done
	check "every command is in the man page" test ! -s "$TMP/nocmd"
	check "with the environment" sh -c "grep -q XENABI_BASELINES '$TMP/man.txt' && grep -q XDG_DATA_HOME '$TMP/man.txt' && grep -q NO_COLOR '$TMP/man.txt'"
else
	skip "no mandoc"; skip "no mandoc"; skip "no mandoc"; skip "no mandoc"
fi

# The completion, sourced in bash and asked as bash asks; it runs
# "xenabi", which is the binary under test (xenabi-asan in check-asan).
mkdir "$TMP/bin" && ln -s "$XENABI" "$TMP/bin/xenabi"
complete_words() {
	PATH="$TMP/bin:$PATH" bash -c '
		. "$1/cmd/xenabi.bash-completion"
		shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_xenabi; printf "%s\n" "${COMPREPLY[@]}"' sh "$TOP" "$@"
}
complete_words xenabi di >"$TMP/c1"
check "commands: di -> diff" grep -qx diff "$TMP/c1"
complete_words xenabi scan --g >"$TMP/c2"
check "options from the command's own help: scan --g -> --git" grep -qx -- --git "$TMP/c2"
xenabi scan --release 4.16.0-mini --tree "$FIXTURES/mini" --db "$DB" >/dev/null
export XDG_DATA_HOME=$TMP/data
mkdir -p "$XDG_DATA_HOME/xenabi" && cp "$DB" "$XDG_DATA_HOME/xenabi/xenabi.db"
complete_words xenabi diff 4.16 >"$TMP/c3"
check "release names from the database: 4.16 -> 4.16.0-mini" grep -qx 4.16.0-mini "$TMP/c3"
complete_words xenabi show 4.16.0-mini fix_o >"$TMP/c4"
check "type names after show REL" grep -qx fix_op "$TMP/c4"
complete_words xenabi diff --abi ar >"$TMP/c5"
check "values of an option" sh -c "grep -qx arm32 '$TMP/c5' && grep -qx arm64 '$TMP/c5'"

# install and uninstall, with none of an outer make's variables: under
# make check-asan they would relink ./xenabi from the sanitizer's objects.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
if make -C "$TOP" -s install DESTDIR="$TMP/root" PREFIX=/usr >"$TMP/make.out" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr"
else
	not_ok "make install DESTDIR=... PREFIX=/usr"; diag "$TMP/make.out"
fi
check "the program" test -x "$TMP/root/usr/bin/xenabi"
check "the man page" test -f "$TMP/root/usr/share/man/man1/xenabi.1"
check "the completion" test -f "$TMP/root/usr/share/bash-completion/completions/xenabi"
if [ -x "$TOP/xenabi-cc" ]; then
	check "the compile server, where xenabi looks when none is beside it" \
		test -x "$TMP/root/usr/libexec/xenabi/xenabi-cc"
else
	skip "no xenabi-cc built"
fi
make -C "$TOP" -s uninstall DESTDIR="$TMP/root" PREFIX=/usr >"$TMP/make.out" 2>&1
check "make uninstall leaves no file behind" test -z "$(find "$TMP/root" -type f)"

done_testing
