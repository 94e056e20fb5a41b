#!/bin/sh
# Baselines that survive a crash (issue 13, item 7): a write killed after
# any one of its steps on the disk (XENABI_TEST_CRASH_AFTER=N, SIGKILL)
# leaves a directory that loads as the old releases or the new, whole,
# never a mix: the old up to the switch, the new from it on.  The next
# write finishes what a killed one left.  Files the writer did not write
# are never moved or removed, killed or not.
. "$(dirname "$0")/lib.sh"

# The old set: a, b and gone.  The new: a and b changed, gone gone, c new.
scan() {
	xenabi scan --release "$1" --tree "$FIXTURES/$2" --db "$TMP/$3" >/dev/null ||
		{ echo "Bail out! cannot scan $2"; exit 2; }
}
scan a diff/old old.db
scan b cont/old old.db
scan gone compat old.db
scan a diff/new new.db
scan b cont/new new.db
scan c diff/old new.db
xenabi baselines write "$TMP/ref-old" --db "$TMP/old.db" &&
xenabi baselines write "$TMP/ref-new" --db "$TMP/new.db" ||
	{ echo "Bail out! cannot write the reference baselines"; exit 2; }

# Files of the user's beside the baselines, among them a name an older
# writer used for its own (layouts.tmp).
UNRELATED="README.md notes.tmp layouts.tmp releases/x.tmp releases/notes.txt"
mine() {
	for f in $UNRELATED; do echo "mine: $f" >"$1/$f"; done
}
# intact DIR: every file of the user's is there, as it was.
intact() {
	for f in $UNRELATED; do
		[ "$(cat "$1/$f" 2>/dev/null)" = "mine: $f" ] || return 1
	done
}

# settles DIR: which set DIR loads as (old, new), or what went wrong.
settles() {
	rm -rf "$TMP/l.db" "$TMP/w"
	if ! xenabi baselines load "$1" --db "$TMP/l.db" >/dev/null 2>"$TMP/lerr"; then
		echo "refused: $(cat "$TMP/lerr")"
	elif ! xenabi baselines write "$TMP/w" --db "$TMP/l.db" 2>"$TMP/lerr"; then
		echo "not written out: $(cat "$TMP/lerr")"
	elif diff -r "$TMP/ref-old" "$TMP/w" >/dev/null; then
		echo old
	elif diff -r "$TMP/ref-new" "$TMP/w" >/dev/null; then
		echo new
	else
		echo "a mix"
	fi
}

# every_step START DB: from a copy of the directory START each time,
# write DB's releases into it killed after step 1, 2, ... until a write
# finishes.  Sets KILLS (how many), SEEN (what each left, in order), BAD
# (kills that left neither set) and TOUCHED (kills after which a file of
# the user's was not as it was); keeps what the kill at the switch left
# in $TMP/switched.  The last write, which finished, leaves $TMP/d.
every_step() {
	KILLS=0 SEEN= BAD=0 TOUCHED=0
	rm -rf "$TMP/switched"
	while [ "$KILLS" -lt 200 ]; do
		rm -rf "$TMP/d" && cp -a "$1" "$TMP/d"
		XENABI_TEST_CRASH_AFTER=$((KILLS + 1)) "$XENABI" baselines write \
			"$TMP/d" --db "$2" >/dev/null 2>"$TMP/kerr"
		st=$?
		[ "$st" = 137 ] || break
		KILLS=$((KILLS + 1))
		got=$(settles "$TMP/d")
		case $got in
		old | new) SEEN="$SEEN $got" ;;
		*)
			BAD=$((BAD + 1))
			echo "# $(cat "$TMP/kerr"): $got"
			;;
		esac
		intact "$TMP/d" || TOUCHED=$((TOUCHED + 1))
		grep -q 'switched to' "$TMP/kerr" && cp -a "$TMP/d" "$TMP/switched"
	done
	[ "$st" = 0 ] || { echo "# the write exited $st:"; diag "$TMP/kerr"; }
	echo "# killed at $KILLS steps:$SEEN"
}

# A directory this xenabi wrote (with a manifest), and the user's files.
cp -a "$TMP/ref-old" "$TMP/start" && mine "$TMP/start"
every_step "$TMP/start" "$TMP/new.db"
check "a write is killed at every one of its steps (15 or more)" test "$KILLS" -ge 15
check "after each kill the directory loads, as the old set or the new" test "$BAD" = 0
check "the old set up to the switch, the new from it on" \
	sh -c "echo '$SEEN' | grep -q -E '^( old)+( new)+$'"
check "the user's files are untouched after every kill" test "$TOUCHED" = 0
check "the write that finished wrote the new set" test "$(settles "$TMP/d")" = new
check "and removed the release no longer written, nothing else" \
	test "$(ls "$TMP/d/releases" | tr '\n' ' ')" = "a b c notes.txt x.tmp "
check "the user's files are as they were" intact "$TMP/d"
check "and it left nothing of its own behind" test ! -e "$TMP/d/.xenabi-new"

# Killed at the switch, then a writer of the old set killed at each step
# of its own, the first of them finishing the switch the other began.
if [ -d "$TMP/switched" ]; then
	cp -a "$TMP/switched" "$TMP/start2"
	check "a kill at the switch leaves files to move into place" \
		test -d "$TMP/start2/.xenabi-new"
	every_step "$TMP/start2" "$TMP/old.db"
	check "the next writer too is killed at every step" test "$KILLS" -ge 15
	check "each kill of it leaves the old set or the new" test "$BAD" = 0
	check "the new up to its switch, the old from it on" \
		sh -c "echo '$SEEN' | grep -q -E '^( new)+( old)+$'"
	check "the user's files are untouched after every kill of it" test "$TOUCHED" = 0
	check "finished, it wrote the old set" test "$(settles "$TMP/d")" = old
	check "removing the release it does not write" \
		test "$(ls "$TMP/d/releases" | tr '\n' ' ')" = "a b gone notes.txt x.tmp "
	check "leaving nothing of its own behind" test ! -e "$TMP/d/.xenabi-new"
else
	not_ok "a kill at the switch"
fi

# A write killed before the switch: the next one drops its files.
rm -rf "$TMP/d" && cp -a "$TMP/start" "$TMP/d"
XENABI_TEST_CRASH_AFTER=3 "$XENABI" baselines write "$TMP/d" --db "$TMP/new.db" >/dev/null 2>&1
check "killed before the switch, a write leaves the files it began" \
	test -d "$TMP/d/.xenabi-new"
run_status 0 "the next write" baselines write "$TMP/d" --db "$TMP/new.db"
check "writes the new set" test "$(settles "$TMP/d")" = new
check "and drops them" test ! -e "$TMP/d/.xenabi-new"

# A directory written before manifests (where every file of releases/ is
# a release): the first write gives it one.
UNRELATED="README.md notes.tmp layouts.tmp releases/x.tmp"
cp -a "$TMP/ref-old" "$TMP/legacy" && rm "$TMP/legacy/manifest" && mine "$TMP/legacy"
check "a directory without a manifest loads as before" test "$(settles "$TMP/legacy")" = old
every_step "$TMP/legacy" "$TMP/new.db"
check "writing into it is killed at every step" test "$KILLS" -ge 15
check "each kill leaves the old set or the new" test "$BAD" = 0
check "the old up to the switch, the new from it on" \
	sh -c "echo '$SEEN' | grep -q -E '^( old)+( new)+$'"
check "the user's files are untouched after every kill" test "$TOUCHED" = 0
check "finished, it removed the release no longer written (a release file of xenabi's)" \
	test "$(ls "$TMP/d/releases" | tr '\n' ' ')" = "a b c x.tmp "

# The same from outside, whatever steps the writer tells of: strace kills
# it at the Nth rename, unlink or rmdir, before the call is made.
UNRELATED="README.md notes.tmp layouts.tmp releases/x.tmp releases/notes.txt"
if command -v strace >/dev/null &&
   strace -f -o /dev/null -e trace=getpid true 2>/dev/null; then
	kills=0 bad=0 touched=0
	for call in rename unlink rmdir; do
		n=0
		while [ "$n" -lt 100 ]; do
			n=$((n + 1))
			rm -rf "$TMP/d" && cp -a "$TMP/start" "$TMP/d"
			strace -f -o /dev/null -e trace=$call \
				-e inject=$call:signal=SIGKILL:when=$n \
				"$XENABI" baselines write "$TMP/d" --db "$TMP/new.db" \
				>/dev/null 2>&1
			[ $? = 0 ] && break
			kills=$((kills + 1))
			got=$(settles "$TMP/d")
			case $got in
			old | new) ;;
			*)
				bad=$((bad + 1))
				echo "# killed at $call $n: $got"
				;;
			esac
			intact "$TMP/d" || touched=$((touched + 1))
		done
	done
	echo "# strace killed the writer at $kills calls"
	check "strace kills the writer at each rename, unlink and rmdir" test "$kills" -ge 5
	check "each kill leaves the old set or the new" test "$bad" = 0
	check "and the user's files as they were" test "$touched" = 0
else
	skip "strace missing or not allowed to trace"
	skip "strace missing or not allowed to trace"
	skip "strace missing or not allowed to trace"
fi

# The hook takes a step number and nothing else.
XENABI_TEST_CRASH_AFTER=x run_status 2 "XENABI_TEST_CRASH_AFTER=x" \
	baselines write "$TMP/d" --db "$TMP/new.db"
error_line "is refused" "XENABI_TEST_CRASH_AFTER is 'x'; give the step"

done_testing
