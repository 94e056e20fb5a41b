#!/bin/sh
# A long walk is scanned in two chains at once, the second from a full
# scan of the commit before its first: the report is the one a single
# chain gives (--jobs 1), every change between the ends is some commit's,
# and a second log compiles nothing.
. "$(dirname "$0")/lib.sh"

git_repo "$TMP/xen"
# demo TYPE: the header whose member the walk narrows and widens.
demo() {
	printf '#ifndef FIX_DEMO_H\n#define FIX_DEMO_H\nstruct demo_op {\n\tunsigned int domid;\n\t%s count;\n};\n#endif\n' \
		"$1" >"$PUB/demo.h"
}
# comment N: a commit that changes only an internal file.
comment() {
	echo "/* change $1 */" >>"$REPO/xen/common/grant_table.c" &&
		commit "grant_table.c: change $1"
}

mkdir -p "$REPO" && git -C "$REPO" init -q &&
	cp -r "$FIXTURES/cont/old/." "$REPO/" && mkdir "$PUB/io" &&
	for h in a b c d e; do
		printf '#ifndef FIX_IO_%s\n#define FIX_IO_%s\nstruct io_%s { unsigned int id; };\n#endif\n' \
			$h $h $h >"$PUB/io/$h.h"
	done && demo "unsigned int" &&
	g add -A && commit "the tree" && g tag base &&
	comment 1 && comment 2 && comment 3 &&
	demo "unsigned short" && commit "demo: narrow count" &&
	comment 4 && comment 5 && comment 6 && comment 7 &&
	demo "unsigned int" && commit "demo: widen count again" &&
	comment 8 && comment 9 && comment 10 &&
	sed -i 's/unsigned int id;/unsigned char id;/' "$PUB/io/e.h" &&
	commit "io/e.h: narrow id" &&
	comment 11 && comment 12 && comment 13 && comment 14 &&
	g tag tip ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }

# A compiler that notes each full probe (one with io/a.h, which no
# commit changes) of the x86_64 tools unit.
cat >"$TMP/countcc" <<EOF
#!/bin/sh
for a; do
	case \$a in
	*/layout-x86_64-tools.c) grep -q io/a.h "\$a" && echo "\${a##*/} full" >>"$TMP/runs" ;;
	esac
done
exec "${XENABI_CC:-clang}" "\$@"
EOF
chmod +x "$TMP/countcc"
: >"$TMP/runs"
export XENABI_CC="$TMP/countcc"

run_status 1 "log a walk of 17 commits in two chains" \
	log --git "$REPO" base..tip --jobs 2 --db "$DB"
cp "$TMP/out" "$TMP/chains.txt"
check "every commit was walked" \
	grep -q '^base..tip: 17 commits, 17 of them change what a scan reads, 3 changed the ABI, 2 with breaks$' "$TMP/chains.txt"
check "both narrowings are breaks" \
	sh -c "grep -c 'break member_narrowed' '$TMP/chains.txt' | grep -qx 2"
check "every change of the ends is some commit's" \
	sh -c "! grep -q 'explained by no commit' '$TMP/chains.txt'"
diag "$TMP/chains.txt"
check "the second chain's first commit was scanned in full" \
	test "$(grep -c '^layout-x86_64-tools.c full' "$TMP/runs")" = 2
check "every commit's tree is stored" \
	test "$(sqlite3 "$DB" 'SELECT count(*) FROM commit_tree')" = 18

: >"$TMP/runs"
run_status 1 "the same walk in one chain" \
	log --git "$REPO" base..tip --jobs 1 --db "$TMP/one.db"
check "says the same" cmp -s "$TMP/out" "$TMP/chains.txt"
check "with one full scan, of its base" \
	test "$(grep -c '^layout-x86_64-tools.c full' "$TMP/runs")" = 1
xenabi log --git "$REPO" base..tip --jobs 2 --format json --db "$DB" >"$TMP/chains.json"
xenabi log --git "$REPO" base..tip --jobs 1 --format json --db "$TMP/one.db" >"$TMP/one.json"
check "in json too" cmp -s "$TMP/chains.json" "$TMP/one.json"

# Killed while both chains run, the database is whole, and a log run
# again says what an uninterrupted one says.
log_killed 4 "$TMP/killed.db" --git "$REPO" base..tip --jobs 2
check "killed while scanning (SIGTERM)" test $? = 143
check "with some commits stored, not all" \
	sh -c "n=\$(sqlite3 '$TMP/killed.db' 'SELECT count(*) FROM commit_tree'); test \$n -ge 4 && test \$n -lt 18"
check "the database is whole" \
	test "$(sqlite3 "$TMP/killed.db" 'PRAGMA integrity_check')" = ok
run_status 1 "log again" log --git "$REPO" base..tip --jobs 2 --db "$TMP/killed.db"
check "says what an uninterrupted log says" cmp -s "$TMP/out" "$TMP/chains.txt"

XENABI_CC=/bin/false xenabi log --git "$REPO" base..tip --jobs 2 --db "$DB" \
	>"$TMP/again" 2>"$TMP/err"
check "a second log compiles nothing and says the same" \
	cmp -s "$TMP/again" "$TMP/chains.txt"

done_testing
