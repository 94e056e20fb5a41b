#!/bin/sh
# log and blame: the commits of a range that changed the ABI, each with
# its findings against its parent as diff has them; the findings of the
# range's two ends all explained by some commit; a second log over the
# same range compiles nothing; bad ranges and repositories are one line.
. "$(dirname "$0")/lib.sh"

git_repo "$TMP/xen"
demo() {
	cat >"$PUB/demo.h" <<EOT
/* xenabi test fixture: a guest structure that log's commits change. */
#ifndef FIX_DEMO_H
#define FIX_DEMO_H
struct demo_op {
	unsigned int domid;$2
	$1 count;
	unsigned long long gfn;
};
#define DEMO_OP_MAX 4
#endif
EOT
}
mkdir -p "$REPO" && echo "a Xen tree, soon" >"$REPO/README" &&
	git -C "$REPO" init -q && g add README && commit "before the tree" &&
	g tag pre &&
	cp -r "$FIXTURES/cont/old/." "$REPO/" && demo "unsigned int" "" &&
	mkdir "$PUB/io" && for h in a b c d e f g h; do
		printf '#ifndef FIX_IO_%s\n#define FIX_IO_%s\n#include "../xen.h"\nstruct io_%s { unsigned int id; };\n#define IO_%s_RING 32\n#endif\n' \
			$h $h $h $h >"$PUB/io/$h.h"
	done &&
	# A macro that leans on a header it does not include: the full
	# probe has io/b.h, a probe of io/a.h alone does not.
	printf '#define IO_B_BASE 4\n' >>"$PUB/io/b.h" &&
	printf '#define IO_A_LEN (IO_B_BASE * 2)\n' >>"$PUB/io/a.h" &&
	g add -A && commit "the tree" && g tag RELEASE-9.1.0 &&
	demo "unsigned short" "" && commit "demo: narrow count" &&
	echo "/* a comment */" >>"$PUB/xen.h" && commit "xen.h: a comment" &&
	demo "unsigned short" "
	unsigned int flags;" && commit "demo: insert flags" &&
	echo "more words" >>"$REPO/README" && commit "README: not read" &&
	demo "unsigned int" "
	unsigned int flags;" && commit "Revert \"demo: narrow count\"" &&
	cp "$FIXTURES/cont/new/xen/include/xen/hypercall.h" \
		"$REPO/xen/include/xen/hypercall.h" &&
	commit "memory_op: move the continuation" &&
	echo "/* a comment */" >>"$REPO/xen/common/grant_table.c" &&
	commit "grant_table.c: a comment" &&
	sed -i 's/unsigned int id;/unsigned int id, flags;/' "$PUB/io/a.h" &&
	commit "io/a.h: flags" && g tag RELEASE-9.2.0 &&
	g checkout -q -b stable RELEASE-9.1.0 &&
	echo "a fix" >>"$REPO/README" && commit "stable: a fix" &&
	g tag RELEASE-9.1.1 && g checkout -q master ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }

run_status 1 "log a range with breaks" log --git "$REPO" 9.1.0..9.2.0 --db "$DB"
golden log.txt "$TMP/out"
check "the summary counts every commit and those read" \
	grep -q '^9.1.0..9.2.0: 8 commits, 7 of them change what a scan reads, 5 changed the ABI, 4 with breaks$' "$TMP/out"
check "the narrowing is its commit's break" \
	sh -c "grep -A8 'demo: narrow count' '$TMP/out' | grep -q 'break member_narrowed  *demo_op.count'"
check "the comment and the unread file are not listed" \
	sh -c "! grep -q -e 'a comment' -e 'not read' '$TMP/out'"
check "nothing unexplained" sh -c "! grep -q 'explained by no commit' '$TMP/out'"
check "stderr is empty" test ! -s "$TMP/err"
xenabi list releases --db "$DB" --format json >"$TMP/rel.json"
check "the scans are kept out of the release list" \
	sh -c "jq -e 'length == 0' '$TMP/rel.json' >/dev/null"

run_status 1 "the same as json" log --git "$REPO" 9.1.0..9.2.0 --format json --db "$DB"
golden log.json "$TMP/out"
check "json: four commits, none unexplained" \
	sh -c "jq -e '(.commits | length) == 5 and (.unattributed | length) == 0 and .walked == 8 and .read == 7' '$TMP/out' >/dev/null"
check "json: changes as diff has them" \
	sh -c "jq -e '.commits[0].changes[0] | .kind == \"member_narrowed\" and .severity == \"break\" and (.reason | length) > 0' '$TMP/out' >/dev/null"
jq -S '[.commits[].changes[] | {kind, symbol}] | unique' "$TMP/out" >"$TMP/parts"

# The composition: diff of the ends, scanned as releases, against the commits.
xenabi scan --git "$REPO" --rev RELEASE-9.1.0 --db "$DB" >/dev/null &&
	xenabi scan --git "$REPO" --rev RELEASE-9.2.0 --db "$DB" >/dev/null
xenabi diff 9.1.0 9.2.0 --format json --db "$DB" >"$TMP/ends"
check "the ends differ in the insertion and the continuation" \
	sh -c "jq -e '[.changes[].kind] | unique == [\"continuation_bits_moved\", \"member_added\"]' '$TMP/ends' >/dev/null"
check "each change of the ends is one of some commit" \
	sh -c "jq -S '[.changes[] | {kind, symbol}] | unique' '$TMP/ends' >'$TMP/whole' &&
	       jq -e --slurpfile p '$TMP/parts' '. - \$p[0] == []' '$TMP/whole' >/dev/null"

# A commit that changes only internal files is not compiled again: what
# its headers give is its parent's, the rest is read again.  The result is
# what a full scan of the commit stores.
for rev in RELEASE-9.2.0~2 RELEASE-9.2.0~1; do
	same_as_full "$rev: an internal-only commit's rescan stores what a full scan does" \
		"$REPO" "$(git -C "$REPO" rev-parse $rev)"
done
check "and it has records to compare" \
	sh -c "grep -q 'MEMOP\|memory_op\|[0-9]|[0-9]*|[0-9]' '$TMP/full' && test \$(wc -l <'$TMP/full') -gt 20"

# A commit that changes a header compiles only the headers it can reach
# (here demo.h alone), the rest from its parent's scan: again what a full
# scan stores.
for subject in "demo: narrow count" "demo: insert flags" "Revert" "io/a.h: flags"; do
	same_as_full "$subject: a partial scan stores what a full scan does" \
		"$REPO" "$(git -C "$REPO" log --format=%H --grep "^$subject" -1 master)"
done

# log moves one checkout from commit to commit, writing what changed;
# every commit's tree hashes as a fresh checkout of it does.
same=0 all=0
for c in $(sqlite3 "$DB" "SELECT commit_id FROM commit_tree"); do
	all=$((all + 1))
	xenabi scan --git "$REPO" --rev "$c" --release "fresh-$c" --db "$DB" >/dev/null
	[ "$(sqlite3 "$DB" "SELECT tree_hash FROM commit_tree WHERE commit_id = '$c'")" = \
	  "$(sqlite3 "$DB" "SELECT tree_hash FROM release WHERE name = 'fresh-$c'")" ] &&
		same=$((same + 1))
done
check "each of the $all commits hashes as a fresh checkout of it ($same)" test $same = $all -a $all = 8

# A second log reuses every scan: with no compiler at all it says the same.
cp "$TMP/out" "$TMP/first.json"
XENABI_CC=/bin/false xenabi log --git "$REPO" 9.1.0..9.2.0 --format json \
	--db "$DB" >"$TMP/out" 2>"$TMP/err"
check "a second log compiles nothing and says the same" \
	cmp -s "$TMP/out" "$TMP/first.json"

# An interrupted log leaves the database whole, and what it stored is
# used: killed after its first scans, run again it says what an
# uninterrupted log says.
log_killed 2 "$TMP/killed.db" --git "$REPO" 9.1.0..9.2.0
check "killed while scanning (SIGTERM)" test $? = 143
check "with some commits stored, not all" \
	sh -c "n=\$(sqlite3 '$TMP/killed.db' 'SELECT count(*) FROM commit_tree'); test \$n -ge 2 && test \$n -lt 9"
check "the database is whole" \
	test "$(sqlite3 "$TMP/killed.db" 'PRAGMA integrity_check')" = ok
run_status 1 "log again" log --git "$REPO" 9.1.0..9.2.0 --db "$TMP/killed.db"
golden log.txt "$TMP/out"

run_status 1 "a range from a stable branch" log --git "$REPO" RELEASE-9.1.1..RELEASE-9.2.0 --db "$DB"
check "walks from the merge base, and says so" \
	grep -q "^xenabi: note: RELEASE-9.1.1 is not an ancestor of RELEASE-9.2.0: walking from their merge base $(git -C "$REPO" rev-parse --short=12 RELEASE-9.1.0)\$" "$TMP/err"
check "with the same commits" \
	grep -q '^RELEASE-9.1.1..RELEASE-9.2.0: 8 commits, 7 of them change what a scan reads, 5 changed the ABI' "$TMP/out"

run_status 1 "--min-severity break" log --git "$REPO" 9.1.0..9.2.0 --min-severity break --db "$DB"
check "lists only the commits with breaks" \
	sh -c "test \$(grep -c '^[0-9a-f]\{12\} 2026' '$TMP/out') = 4"
run_status 0 "--fail-on with nothing at that severity in a clean range" \
	log --git "$REPO" 9.2.0..RELEASE-9.2.0 --db "$DB"
check "an empty range says so" grep -q '^9.2.0..RELEASE-9.2.0: 0 commits' "$TMP/out"

run_status 1 "sarif" log --git "$REPO" 9.1.0..9.2.0 --format sarif --db "$DB"
check "sarif: each result names its commit" \
	sh -c "jq -e '[.runs[0].results[].properties.commit | length == 40] | all and length == 7' '$TMP/out' >/dev/null"
run_status 1 "junit" log --git "$REPO" 9.1.0..9.2.0 --format junit --db "$DB"
check "junit: well formed, the commit in each test's name" \
	sh -c "xmllint --noout '$TMP/out' && grep -c '<testcase' '$TMP/out' | grep -qx 7"

run_status 1 "blame a member" blame --git "$REPO" demo_op.count 9.1.0..9.2.0 --db "$DB"
golden blame.txt "$TMP/out"
check "blame: the narrowing, the insertion that moved it, the revert" \
	sh -c "test \"\$(grep -o '^[0-9a-f]\{12\} [^ ]* A U Thor  .*' '$TMP/out' | sed 's/.*  //')\" = \"\$(printf 'demo: narrow count\ndemo: insert flags\nRevert \"demo: narrow count\"')\""
run_status 0 "blame a name no commit changed" blame --git "$REPO" DEMO_OP_MAX 9.1.0..9.2.0 --db "$DB"
check "says none changed it" grep -q ' 0 changed the ABI of DEMO_OP_MAX' "$TMP/out"

# Bad input: one line each, exit 2.
run_status 2 "not a range" log --git "$REPO" 9.1.0 --db "$DB"
error_line "says to give FROM..TO" "'9.1.0' is not a range; give FROM..TO"
run_status 2 "a revision that does not exist" log --git "$REPO" 9.1.0..9.9.9 --db "$DB"
error_line "names it" "no revision '9.9.9' in git repository"
run_status 2 "no --git" log 9.1.0..9.2.0 --db "$DB"
error_line "asks for the clone" "give --git DIR"
run_status 2 "not a repository" log --git "$TMP" 9.1.0..9.2.0 --db "$DB"
error_line "says so" "is not a git repository"
run_status 2 "an end without the public headers" log --git "$REPO" pre..9.2.0 --db "$DB"
error_line "names the revision" "has no xen/include/public/xen.h: not a Xen tree"
git clone -q --depth 1 "file://$REPO" "$TMP/shallow" >/dev/null 2>&1
run_status 2 "a shallow clone" log --git "$TMP/shallow" 9.1.0..9.2.0 --db "$DB"
error_line "says to unshallow it" "is a shallow clone.*fetch --unshallow"

done_testing
