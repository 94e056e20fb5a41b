#!/bin/sh
# Read commands open the database read-only and never change it: not its
# journal mode, not an empty file.  A WAL database in a directory that
# cannot be written is read all the same.
. "$(dirname "$0")/lib.sh"

MINI=$FIXTURES/mini

run_status 0 "a database to read" scan --release mini --tree "$MINI" --db "$DB"

# Every read command, on a database in rollback (DELETE) mode: the mode is
# the file's, and a reader switching it to WAL changed the file.
R=$TMP/delete.db
cp "$DB" "$R"
sqlite3 "$R" "PRAGMA journal_mode = DELETE" >/dev/null
cp "$R" "$TMP/delete.orig"
for args in "list releases" "list types mini" "list failures mini" \
	"show mini fix_op --abi x86_64" "history fix_op" "diff mini mini" \
	"lint mini" "check --tree MINI --against mini"; do
	# shellcheck disable=SC2086 # the words are the arguments
	set -- $args
	[ "$1" = check ] && set -- check --tree "$MINI" --against mini
	xenabi "$@" --db "$R" >/dev/null 2>"$TMP/err"
	st=$?
	if [ "$st" -le 1 ]; then ok "$args reads it"; else
		not_ok "$args reads it (exit $st)"; diag "$TMP/err"; fi
done
run_status 0 "baselines write reads it" baselines write "$TMP/written" --db "$R"
check "and leave it as it was" cmp -s "$R" "$TMP/delete.orig"
check "no log beside it" test ! -e "$R-wal" -a ! -e "$R-shm" -a ! -e "$R-journal"
check "still in DELETE mode" test "$(sqlite3 "$R" 'PRAGMA journal_mode')" = delete

# An empty file is no database to read, and stays empty.
: >"$TMP/empty.db"
run_status 2 "reading an empty file" list releases --db "$TMP/empty.db"
error_line "says it is empty" "database '.*empty.db' is empty: scan a release into it"
check "and leaves it empty" test -f "$TMP/empty.db" -a ! -s "$TMP/empty.db"
run_status 2 "history on an empty file" history fix_op --db "$TMP/empty.db"
check "leaves it empty too" test ! -s "$TMP/empty.db"

# A WAL database in a directory nobody may write: root writes anyway,
# so as root the reads run as nobody.
RO=$TMP/ro
mkdir "$RO"
cp "$DB" "$RO/wal.db"
check "the database is in WAL mode" \
	test "$(sqlite3 "$RO/wal.db" 'PRAGMA journal_mode')" = wal
cp "$RO/wal.db" "$TMP/wal.orig"
# One with a log beside it that is not yet in the file: copied while a
# connection holds it.
cp "$DB" "$TMP/held.db"
(cd "$TMP" && printf '%s\n' "PRAGMA wal_autocheckpoint = 0;" \
	"CREATE TABLE held (x);" \
	".shell cp held.db ro/logged.db; cp held.db-wal ro/logged.db-wal" |
	sqlite3 held.db >/dev/null)
chmod 755 "$TMP"
chmod 555 "$RO"
as=
if [ "$(id -u)" = 0 ]; then
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	$as "$XENABI" help >/dev/null 2>&1 || as=none
fi
if [ "$as" != none ] && $as sh -c ": >'$RO/probe'" 2>/dev/null; then
	as=none
fi
# reader WANT DESC ARGS...: run_status, where permissions bind.
reader() {
	want=$1; desc=$2; shift 2
	$as "$XENABI" "$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$desc"; else
		not_ok "$desc (exit $got, wanted $want)"; diag "$TMP/err"; fi
}
if [ "$as" = none ]; then
	for t in 1 2 3 4 5 6 7 8 9; do
		skip "no user for whom a read-only directory binds"
	done
else
	reader 0 "a WAL database in a read-only directory is read" \
		list releases --db "$RO/wal.db"
	check "all of it" grep -q '^mini ' "$TMP/out"
	reader 0 "a diff reads it" diff mini mini --db "$RO/wal.db"
	check "the file is as it was" cmp -s "$RO/wal.db" "$TMP/wal.orig"
	check "alone in its directory" test "$(ls "$RO" | tr '\n' ' ')" = "logged.db logged.db-wal wal.db "
	reader 2 "a write there" forget mini --db "$RO/wal.db"
	error_line "says it is read-only" "database '.*wal.db' is read-only \(a write needs the file and its directory writable\)"
	reader 2 "one whose log only a writer can read" list releases --db "$RO/logged.db"
	error_line "says so" "cannot read database '.*logged.db' without writing to it: it has a log beside it"
fi
chmod 755 "$RO"

done_testing
