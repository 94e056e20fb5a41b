#!/bin/sh
# Writes that must not happen: into a database with a damaged page (it
# went through, and the next read said "malformed"), and a new database
# on a full disk (it left an empty file behind).
. "$(dirname "$0")/lib.sh"

MINI=$FIXTURES/mini

run_status 0 "a database" scan --release mini --tree "$MINI" --db "$DB"
run_status 0 "with a second release" scan --release mini2 --tree "$MINI" --db "$DB"

# Damage the first leaf of the failures (mini's): a scan of another tree
# writes at the other end and never reads it.
D=$TMP/damaged.db
cp "$DB" "$D"
page=$(sqlite3 "$D" "SELECT pageno FROM dbstat WHERE name = 'failure' AND pagetype = 'leaf' ORDER BY path LIMIT 1" 2>/dev/null)
size=$(sqlite3 "$D" "PRAGMA page_size")
if [ -z "$page" ]; then
	for t in 1 2 3 4 5 6 7; do skip "sqlite3 has no dbstat to find a page"; done
else
	head -c "$size" /dev/zero | tr '\0' '\252' |
		dd of="$D" bs="$size" seek=$((page - 1)) count=1 conv=notrunc 2>/dev/null
	check "quick_check sees the damaged page" \
		sh -c "sqlite3 '$D' 'PRAGMA quick_check' 2>/dev/null | grep -q '^Page $page: '"
	cp "$D" "$TMP/damaged.orig"
	run_status 2 "a scan into it" scan --release zx --tree "$FIXTURES/zeroext" --db "$D"
	error_line "is refused, naming the damage" \
		"database '.*damaged.db' is damaged \(sqlite: Page $page: .*\): nothing was written; restore it from a copy, or remove it and scan again"
	check "and leaves it as it was" cmp -s "$D" "$TMP/damaged.orig"
	run_status 2 "forget too" forget mini2 --db "$D"
	error_line "says why" "database '.*damaged.db' is damaged"
	check "and leaves it as it was" cmp -s "$D" "$TMP/damaged.orig"
fi

# Save records are in a WITHOUT ROWID table whose key is not in column
# order: sqlite 3.40's quick_check calls their column NULL.
run_status 0 "a database with save records" scan --release zx --tree "$FIXTURES/zeroext" --db "$TMP/zx.db"
run_status 0 "takes a write" forget zx --db "$TMP/zx.db"

# A full disk: no file may grow (ulimit -f 0; SIGXFSZ ignored, so a write
# fails with EFBIG).  stderr goes through a pipe, which is not a file.
# full_scan DB: scan into DB so; sets st and $TMP/err.
full_scan() {
	(trap '' XFSZ; ulimit -f 0 &&
		"$XENABI" scan --release mini --tree "$MINI" --db "$1" 2>&1 >/dev/null
	echo "exit $?") | cat >"$TMP/full.out"
	st=$(sed -n '$s/^exit //p' "$TMP/full.out")
	sed '$d' "$TMP/full.out" >"$TMP/err"
}
mkdir "$TMP/full"
full_scan "$TMP/full/new.db"
check "a new database on a full disk is trouble" test "$st" = 2
error_line "that says so" "cannot create database '.*new.db': "
check "and leaves no file behind" test -z "$(ls -A "$TMP/full")"
: >"$TMP/full/mine.db"
full_scan "$TMP/full/mine.db"
check "an empty file of the user's on a full disk is trouble" test "$st" = 2
check "and stays" test -f "$TMP/full/mine.db"

done_testing
