#!/bin/sh
# Writes that must not happen: into a database with a damaged page (it
# went through, and the next read said "malformed").
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

done_testing
