#!/bin/sh
# The store: schema version, replace and dedup, transactions that leave
# the database as it was on failure or interruption, concurrent scans,
# databases that are corrupt, foreign or newer, and older ones, read as
# they are and upgraded by a write.
. "$(dirname "$0")/lib.sh"

MINI=$FIXTURES/mini
dump() { sqlite3 "$1" .dump; }
count() { sqlite3 "$DB" "SELECT count(*) FROM $1"; }

run_status 0 "first scan creates the database" scan --release mini --tree "$MINI" --db "$DB"
check "schema version is 7" test "$(sqlite3 "$DB" 'PRAGMA user_version')" = 7
check "journal is WAL" test "$(sqlite3 "$DB" 'PRAGMA journal_mode')" = wal
layouts=$(count layout)
values=$(count cvalue)
sets=$(count declset)

run_status 0 "scanning it again replaces it" scan --force --release mini --tree "$MINI" --db "$DB"
check "still one release" test "$(count release)" = 1
check "no layout rows left behind" test "$(count layout)" = "$layouts"
run_status 0 "the same tree as another release" scan --release mini2 --tree "$MINI" --db "$DB"
check "shares every layout row" test "$(count layout)" = "$layouts"
check "shares every constant row" test "$(count cvalue)" = "$values"
check "shares every header's set of layouts" test "$(count declset)" = "$sets"
check "identical across units, stored once" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM declset_item WHERE units = 4095")" -gt 5
run_status 0 "list releases shows both" list releases --db "$DB"
check "in version order" sh -c "awk '{print \$1}' '$TMP/out' | tr '\n' ' ' | grep -q '^mini mini2 $'"

# A write that fails half-way leaves the database as it was.
dump "$DB" >"$TMP/before.sql"
sqlite3 "$DB" "CREATE TRIGGER inject BEFORE INSERT ON release_file
	WHEN (SELECT count(*) FROM release_file) > 20
	BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
run_status 2 "a write failing half-way" scan --release mini3 --tree "$MINI" --db "$DB"
error_line "is one line naming the database" "cannot write to database '.*': injected failure"
sqlite3 "$DB" "DROP TRIGGER inject"
dump "$DB" >"$TMP/after.sql"
check "the database is as it was" cmp -s "$TMP/before.sql" "$TMP/after.sql"

# An interrupted scan leaves it as it was too.
cat >"$TMP/slowcc" <<'EOS'
#!/bin/sh
sleep 30
exec clang "$@"
EOS
chmod +x "$TMP/slowcc"
XENABI_CC=$TMP/slowcc "$XENABI" scan --release mini --tree "$MINI" --db "$DB" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
pkill -f "$TMP/slowcc" 2>/dev/null
dump "$DB" >"$TMP/after.sql"
check "killed mid-scan: the database is as it was" cmp -s "$TMP/before.sql" "$TMP/after.sql"
check "and passes an integrity check" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok

# Two scans into one new database at once: both succeed.
C=$TMP/concurrent.db
xenabi scan --release a --tree "$MINI" --db "$C" >"$TMP/a.out" 2>&1 &
pa=$!
xenabi scan --release b --tree "$MINI" --db "$C" >"$TMP/b.out" 2>&1 &
pb=$!
wait $pa; sa=$?
wait $pb; sb=$?
check "concurrent scan a succeeds" test "$sa" = 0
check "concurrent scan b succeeds" test "$sb" = 0
check "both releases are stored" test "$(sqlite3 "$C" 'SELECT group_concat(name) FROM (SELECT name FROM release ORDER BY name)')" = a,b
check "the database is sound" test "$(sqlite3 "$C" 'PRAGMA integrity_check')" = ok

# Files that are not our database.
head -c 4096 /dev/urandom >"$TMP/garbage.db"
cp "$TMP/garbage.db" "$TMP/garbage.orig"
run_status 2 "a corrupt file" list releases --db "$TMP/garbage.db"
error_line "says it is not a database" "database '.*garbage.db': file is not a database"
run_status 2 "a corrupt file as scan target" scan --release x --tree "$MINI" --db "$TMP/garbage.db"
check "the corrupt file is untouched" cmp -s "$TMP/garbage.db" "$TMP/garbage.orig"
sqlite3 "$TMP/foreign.db" "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');"
run_status 2 "another program's sqlite file" scan --release x --tree "$MINI" --db "$TMP/foreign.db"
error_line "says it is not a xenabi database" "'.*foreign.db' is an sqlite database but not a xenabi one"
check "its data is untouched" test "$(sqlite3 "$TMP/foreign.db" 'SELECT t FROM notes')" = mine
cp "$DB" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "PRAGMA user_version = 99"
run_status 2 "a database from a newer xenabi" list releases --db "$TMP/newer.db"
error_line "says to upgrade" "schema version 99, newer than this xenabi supports \(7\); upgrade xenabi"
# An older schema is read as it is, the file unchanged (a read never
# writes), and upgraded in place by the next write.  A version 1 database
# has no compat list and no history indexes.
cp "$DB" "$TMP/v1.db"
sqlite3 "$TMP/v1.db" "DROP INDEX layout_name; DROP INDEX cvalue_name; DROP INDEX declset_item_layout; DROP INDEX constset_item_cvalue; DROP INDEX release_file_declset; DROP INDEX release_file_constset; DROP INDEX release_tree; DROP TABLE compat_check; DROP TABLE zeroext; DROP TABLE hypercall; DROP TABLE ctype; DROP TABLE dispatch; DROP TABLE subop_use; DROP TABLE commit_tree; DROP TABLE tree_diff; ALTER TABLE release DROP COLUMN ntypes; ALTER TABLE release DROP COLUMN nconsts; PRAGMA user_version = 1"
cp "$TMP/v1.db" "$TMP/v1.orig"
run_status 0 "a version 1 database is read" list releases --db "$TMP/v1.db"
check "with its releases" grep -q '^mini ' "$TMP/out"
check "and left as it was" cmp -s "$TMP/v1.db" "$TMP/v1.orig"
run_status 0 "a write to it" forget mini2 --db "$TMP/v1.db"
check "upgrades it to version 7" test "$(sqlite3 "$TMP/v1.db" 'PRAGMA user_version')" = 7
check "with its indexes" test "$(sqlite3 "$TMP/v1.db" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'layout_name'")" = 1
# A version 2 database (no zero-extended save records) too.
cp "$DB" "$TMP/v2.db"
sqlite3 "$TMP/v2.db" "DROP TABLE zeroext; DROP TABLE hypercall; DROP TABLE ctype; DROP TABLE dispatch; DROP TABLE subop_use; DROP TABLE commit_tree; DROP TABLE tree_diff; ALTER TABLE release DROP COLUMN ntypes; ALTER TABLE release DROP COLUMN nconsts; PRAGMA user_version = 2"
cp "$TMP/v2.db" "$TMP/v2.orig"
run_status 0 "a version 2 database is read" list releases --db "$TMP/v2.db"
check "with its releases" grep -q '^mini ' "$TMP/out"
check "and left as it was" cmp -s "$TMP/v2.db" "$TMP/v2.orig"
run_status 0 "takes a release with zero-extended records" \
	scan --release zx --tree "$FIXTURES/zeroext" --db "$TMP/v2.db"
check "and is version 7 after" test "$(sqlite3 "$TMP/v2.db" 'PRAGMA user_version')" = 7
check "and keeps them" test "$(sqlite3 "$TMP/v2.db" 'SELECT count(*) FROM zeroext')" = 3
run_status 0 "reads the older releases as they were" show mini fix_op --abi x86_64 --db "$TMP/v2.db"
# A version 3 database (no hypercall table) too.
cp "$DB" "$TMP/v3.db"
sqlite3 "$TMP/v3.db" "DROP TABLE hypercall; DROP TABLE ctype; DROP TABLE dispatch; DROP TABLE subop_use; DROP TABLE commit_tree; DROP TABLE tree_diff; ALTER TABLE release DROP COLUMN ntypes; ALTER TABLE release DROP COLUMN nconsts; PRAGMA user_version = 3"
run_status 0 "a version 3 database's releases listed, counted" list releases --db "$TMP/v3.db"
cp "$TMP/out" "$TMP/v3.list"
check "and left at version 3" test "$(sqlite3 "$TMP/v3.db" 'PRAGMA user_version')" = 3
run_status 0 "the same database, counts stored" list releases --db "$DB"
check "the same counts either way" cmp -s "$TMP/v3.list" "$TMP/out"
run_status 0 "a write to it" forget mini2 --db "$TMP/v3.db"
check "upgrades it to version 7" test "$(sqlite3 "$TMP/v3.db" 'PRAGMA user_version')" = 7
check "with an empty hypercall table" test "$(sqlite3 "$TMP/v3.db" 'SELECT count(*) FROM hypercall')" = 0
# A version 4 database (no dispatch facts) too, and takes a release
# that has them.
cp "$DB" "$TMP/v4.db"
sqlite3 "$TMP/v4.db" "DROP TABLE dispatch; DROP TABLE subop_use; DROP TABLE commit_tree; DROP TABLE tree_diff; PRAGMA user_version = 4"
run_status 0 "a version 4 database is read" list releases --db "$TMP/v4.db"
check "and left at version 4" test "$(sqlite3 "$TMP/v4.db" 'PRAGMA user_version')" = 4
run_status 0 "takes a release whose dispatchers were read" \
	scan --release rules --tree "$FIXTURES/rules/new" --db "$TMP/v4.db"
check "and is version 7 after" test "$(sqlite3 "$TMP/v4.db" 'PRAGMA user_version')" = 7
check "and keeps what they name" \
	test "$(sqlite3 "$TMP/v4.db" "SELECT group_concat(name || ' ' || file, ';') FROM (SELECT name, file FROM dispatch ORDER BY name, file)")" = \
	" xen/arch/x86/hvm/hvm.c; xen/arch/x86/mm/mem_sharing.c; xen/common/mem_access.c;HVMOP_fix_kept xen/arch/x86/hvm/hvm.c;XENMEM_access_op_get_access xen/common/mem_access.c;XENMEM_access_op_get_stats xen/common/mem_access.c;XENMEM_access_op_set_access xen/common/mem_access.c;XENMEM_access_op_set_access_multi xen/common/mem_access.c;XENMEM_access_op_walk xen/common/mem_access.c;XENMEM_sharing_op_debug_gfn xen/arch/x86/mm/mem_sharing.c;XENMEM_sharing_op_debug_gref xen/arch/x86/mm/mem_sharing.c;XENMEM_sharing_op_fork xen/arch/x86/mm/mem_sharing.c"
# A version 5 database (no sub-op uses) too.
cp "$DB" "$TMP/v5.db"
sqlite3 "$TMP/v5.db" "DROP TABLE subop_use; DROP TABLE commit_tree; DROP TABLE tree_diff; PRAGMA user_version = 5"
run_status 0 "a version 5 database is read" list releases --db "$TMP/v5.db"
check "and left at version 5" test "$(sqlite3 "$TMP/v5.db" 'PRAGMA user_version')" = 5
run_status 0 "takes a release whose dispatchers' cases were read" \
	scan --release rules --tree "$FIXTURES/rules/new" --db "$TMP/v5.db"
check "and is version 7 after" test "$(sqlite3 "$TMP/v5.db" 'PRAGMA user_version')" = 7
check "and keeps what each case uses" \
	test "$(sqlite3 "$TMP/v5.db" "SELECT group_concat(name || ' ' || subop, ';') FROM (SELECT name, subop FROM subop_use WHERE name IN ('.pfn_list', '.stride', 'copy_to_guest') ORDER BY name, subop, file)")" = \
	".pfn_list XENMEM_access_op_set_access_multi;.stride XENMEM_access_op_get_stats;.stride XENMEM_access_op_walk;copy_to_guest "
cp "$DB" "$TMP/v6.db"
sqlite3 "$TMP/v6.db" "DROP TABLE commit_tree; DROP TABLE tree_diff; PRAGMA user_version = 6"
run_status 0 "a version 6 database is read" list releases --db "$TMP/v6.db"
check "and left at version 6" test "$(sqlite3 "$TMP/v6.db" 'PRAGMA user_version')" = 6
run_status 0 "a write to it" scan --release again6 --tree "$FIXTURES/mini" --db "$TMP/v6.db"
check "upgrades it to version 7, with the commit table" \
	test "$(sqlite3 "$TMP/v6.db" 'PRAGMA user_version; SELECT count(*) FROM commit_tree')" = "7
0"
: >"$TMP/empty.db"
run_status 0 "an empty file becomes a database" scan --release x --tree "$MINI" --db "$TMP/empty.db"
echo notadir >"$TMP/plainfile"
run_status 2 "a database path under a file" scan --release x --tree "$MINI" --db "$TMP/plainfile/x.db"
error_line "names the path" "database '.*plainfile/x.db'"
run_status 2 "listing a database that does not exist" list releases --db "$TMP/nope.db"
error_line "says to scan first" "no database '.*nope.db': scan a release first"
check "and does not create it" test ! -e "$TMP/nope.db"

# The default database lives under XDG_DATA_HOME.
XDG_DATA_HOME=$TMP/xdg xenabi scan --release d --tree "$MINI" >/dev/null 2>&1
check "default database under XDG_DATA_HOME" test -f "$TMP/xdg/xenabi/xenabi.db"
HOME=$TMP/home XDG_DATA_HOME= xenabi list releases >/dev/null 2>"$TMP/err"
error_line "without one, HOME's is used" "no database '$TMP/home/.local/share/xenabi/xenabi.db'"

done_testing
