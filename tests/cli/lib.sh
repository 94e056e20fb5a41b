# TAP helpers for xenabi's command-line tests.  Each tNNNN-*.sh sources
# this, runs checks, and ends with done_testing.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${XENABI:=$TOP/xenabi}"
FIXTURES=$TOP/tests/fixtures
EXPECT=$TOP/tests/cli/expect
export LC_ALL=C TZ=UTC NO_COLOR=1
# The shipped baselines only where a test asks for them.
export XENABI_BASELINES=
TMP=$(mktemp -d "${TMPDIR:-/tmp}/xenabi-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/test.db
_n=0
_failed=0

# Run the command under test; VALGRIND=1 wraps every run.
xenabi() {
	if [ "${VALGRIND:-}" = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$XENABI" "$@"
	else
		"$XENABI" "$@"
	fi
}

ok() { _n=$((_n + 1)); echo "ok $_n - $1"; }
not_ok() {
	_n=$((_n + 1)); _failed=$((_failed + 1))
	echo "not ok $_n - $1"
}
skip() { _n=$((_n + 1)); echo "ok $_n # skip $1"; }
diag() { sed 's/^/# /' "$@"; }

# check DESC CMD...: passes when CMD exits 0.
check() {
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# run_status WANT DESC ARGS...: run xenabi ARGS with stdout to $TMP/out and
# stderr to $TMP/err; passes when the exit status is WANT.
run_status() {
	want=$1; desc=$2; shift 2
	xenabi "$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $got, wanted $want)"
		diag "$TMP/err"
	fi
}

# error_line DESC PATTERN: stderr of the last run is one line matching
# PATTERN (an extended regex), starting "xenabi: ".
error_line() {
	if [ "$(wc -l <"$TMP/err")" = 1 ] &&
	   grep -q -E "^xenabi: .*$2" "$TMP/err"; then
		ok "$1"
	else
		not_ok "$1"
		diag "$TMP/err"
	fi
}

# golden NAME FILE: FILE equals tests/cli/expect/NAME; GOLDEN=1 rewrites it.
golden() {
	if [ "${GOLDEN:-}" = 1 ]; then
		cp "$2" "$EXPECT/$1"
		ok "golden $1 (rewritten)"
	elif diff -u "$EXPECT/$1" "$2" >"$TMP/golden.diff"; then
		ok "golden $1"
	else
		not_ok "golden $1"
		diag "$TMP/golden.diff"
	fi
}

# scan_keeping TREE: scan TREE as release "x" into $DB, keeping the probes;
# sets PROBES (their directory) and PUBLIC (the tree's public directory).
scan_keeping() {
	mkdir -p "$TMP/probes"
	XENABI_KEEP_PROBES=1 TMPDIR=$TMP/probes xenabi scan --release x \
		--tree "$1" --db "$DB" >/dev/null ||
		{ echo "Bail out! cannot scan $1"; exit 2; }
	PROBES=$(echo "$TMP"/probes/xenabi.*)
	PUBLIC=$(cd "$1" && { [ -f xen/include/public/xen.h ] &&
		cd xen/include/public; pwd; })
}

# probe_flags ABI VIEW: the compiler flags of that unit's probes, for
# checks compiled against the same headers.
probe_flags() {
	case $1 in
	x86_32) set -- i386-linux-gnu "$2" ;;
	x86_64) set -- x86_64-linux-gnu "$2" ;;
	arm32) set -- arm-linux-gnueabihf "$2" ;;
	arm64) set -- aarch64-linux-gnu "$2" ;;
	esac
	echo "--target=$1 -ffreestanding -nostdlibinc -std=gnu11 -w -I $PUBLIC -idirafter $PUBLIC/.."
	case $2 in
	tools) echo "-D__XEN_TOOLS__" ;;
	latest) echo "-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__" ;;
	esac
}

# use_shipped: the shipped baselines (build/baselines.db) as the only
# database, with no user's; skips the whole file when make has not built
# them.  Sets SHIPPED.
use_shipped() {
	SHIPPED=$TOP/build/baselines.db
	if [ ! -f "$SHIPPED" ]; then
		echo "1..0 # skip no shipped baselines: run make"
		exit 0
	fi
	export XENABI_BASELINES="$SHIPPED" HOME="$TMP/home" XDG_DATA_HOME=
}

# records_of DB RELEASE: every record stored for RELEASE, in text, without
# its name, source or date: two releases scanned alike print the same
# (layouts and constants are content-addressed, so their set ids match).
records_of() {
	for t in release_file failure compat_check zeroext hypercall ctype \
		dispatch subop_use; do
		echo "== $t"
		sqlite3 "$1" "SELECT * FROM $t WHERE release_id = (SELECT id FROM release WHERE name = '$2')" |
			cut -d"|" -f2- | sort
	done
	sqlite3 "$1" "SELECT tree_hash, units, ntypes, nconsts FROM release WHERE name = '$2'"
}

# same_as_full DESC REPO COMMIT: the records log stored for COMMIT (its
# hidden release) are those a full scan of it stores; the full scan goes
# into release "full-COMMIT" of $DB.
same_as_full() {
	xenabi scan --git "$2" --rev "$3" --force --release "full-$3" \
		--db "$DB" >/dev/null
	records_of "$DB" ".git-$3" >"$TMP/from-log"
	records_of "$DB" "full-$3" >"$TMP/full"
	check "$1" cmp -s "$TMP/from-log" "$TMP/full"
	diff "$TMP/from-log" "$TMP/full" | head -10 | diag /dev/stdin
}

# git_repo DIR: a test repository at DIR, which the caller makes, with
# fixed names and dates so that commit ids, and golden files, are stable;
# skips the whole file without git.  Sets REPO and PUB (its public
# headers).  Then commit MESSAGE commits every change, a day later each
# time, and g ARGS runs git in it quietly.
git_repo() {
	command -v git >/dev/null ||
		{ echo "1..0 # skip git is not installed"; exit 0; }
	REPO=$1
	PUB=$REPO/xen/include/public
	export GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL=author@example.org \
		GIT_COMMITTER_NAME="A U Thor" GIT_COMMITTER_EMAIL=author@example.org \
		GIT_CONFIG_NOSYSTEM=1 HOME=$TMP/home
	_day=0
}
commit() {
	_day=$((_day + 1))
	GIT_AUTHOR_DATE="2026-01-0$_day 12:00:00 +0000" \
	GIT_COMMITTER_DATE="2026-01-0$_day 12:00:00 +0000" \
		git -C "$REPO" -c commit.gpgsign=false commit -q -a -m "$1" \
		>/dev/null 2>&1
}
g() { git -C "$REPO" -c tag.gpgsign=false "$@" >/dev/null 2>&1; }

# log_killed N DB ARGS...: xenabi log ARGS into DB, its compiler slowed
# down, killed (SIGTERM) once it has stored N commits; returns its exit
# status.
log_killed() {
	_want=$1 _db=$2
	shift 2
	printf '#!/bin/sh\nsleep 0.2\nexec clang "$@"\n' >"$TMP/slowcc"
	chmod +x "$TMP/slowcc"
	XENABI_CC=$TMP/slowcc "$XENABI" log "$@" --db "$_db" >/dev/null 2>&1 &
	_pid=$!
	_i=0
	while [ $_i -lt 600 ] && [ "$(sqlite3 "$_db" 'SELECT count(*) FROM commit_tree' 2>/dev/null || echo 0)" -lt "$_want" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -TERM $_pid
	wait $_pid 2>/dev/null
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" = 0 ]
}
