#!/bin/sh
# scan --git: a revision read straight from git objects, no checkout, the
# user's repository untouched; the release named after its RELEASE- tag;
# an unchanged tree scanned twice does no work the second time.
. "$(dirname "$0")/lib.sh"

command -v git >/dev/null || { echo "1..0 # skip git is not installed"; exit 0; }
REPO=$TMP/xen
g() { git -C "$REPO" -c user.name=xenabi -c user.email=xenabi@example.org \
	-c commit.gpgsign=false -c tag.gpgsign=false "$@" >/dev/null 2>&1; }
mkdir -p "$REPO" && cp -r "$FIXTURES/cont/old/." "$REPO/" &&
g init -q && g add -A && g commit -q -m old && g tag RELEASE-9.1.0 &&
cp -r "$FIXTURES/cont/new/." "$REPO/" && g add -A && g commit -q -m new &&
	echo "#define XENABI_LOCAL_EDIT 1" >>"$REPO/xen/include/public/xen.h" ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }
# --no-optional-locks: a status that refreshes a racily clean index would
# rewrite it, and the check below would blame xenabi for git's own write.
before=$(git -C "$REPO" --no-optional-locks status --porcelain; git -C "$REPO" rev-parse HEAD;
	 ls -l "$REPO/.git/index")

run_status 0 "scan a tag" scan --git "$REPO" --rev RELEASE-9.1.0 --db "$DB"
check "named after the tag" grep -q '^scanned 9.1.0: 6 units' "$TMP/out"
xenabi list releases --format json --db "$DB" >"$TMP/rel.json"
check "the source names the revision and commit, not a path" \
	sh -c "jq -e '.[0].source | test(\"^git RELEASE-9.1.0 [0-9a-f]{40}\$\")' '$TMP/rel.json' >/dev/null"
check "the date is the commit's" \
	test "$(jq -r '.[0].scanned_at' "$TMP/rel.json")" = \
	"$(TZ=UTC git -C "$REPO" show -s --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd RELEASE-9.1.0)"
run_status 0 "the internal files come along" list constants 9.1.0 --db "$DB"
check "the continuation encoding is read" grep -q '^MEMOP_EXTENT_SHIFT .*xen/include/xen/hypercall.h' "$TMP/out"

run_status 0 "the same tag again" scan --git "$REPO" --rev RELEASE-9.1.0 --db "$DB"
check "does no work: the tree has not changed" grep -q '^9.1.0 is stored already' "$TMP/out"
run_status 0 "the same tree under another name" scan --git "$REPO" --rev HEAD~1 --release again --db "$DB"
check "is copied, not compiled" grep -q '^stored again from the scan of 9.1.0' "$TMP/out"
run_status 0 "and is the same release" diff 9.1.0 again --db "$DB"
run_status 0 "--force scans it all the same" scan --git "$REPO" --rev RELEASE-9.1.0 --force --db "$DB"
check "and says what it scanned" grep -q '^scanned 9.1.0' "$TMP/out"

run_status 0 "a commit without a tag" scan --git "$REPO" --rev HEAD --db "$DB"
id=$(git -C "$REPO" rev-parse --short=12 HEAD)
check "is named by its short id" grep -q "^scanned $id:" "$TMP/out"
xenabi list constants "$id" --db "$DB" >"$TMP/out"
check "the commit, not the work tree" grep -q '^XENMEM_wide_op ' "$TMP/out"
check "the local edit is not seen" sh -c "! grep -q XENABI_LOCAL_EDIT '$TMP/out'"
run_status 1 "diff the two revisions" diff 9.1.0 "$id" --db "$DB"
check "the moved encoding" grep -q 'continuation_bits_moved' "$TMP/out"

after=$(git -C "$REPO" --no-optional-locks status --porcelain; git -C "$REPO" rev-parse HEAD;
	ls -l "$REPO/.git/index")
check "the repository is as it was" test "$before" = "$after"

# Names: only a real RELEASE- tag names a release, and only a file name.
run_status 2 "a tag not there yet" scan --git "$REPO" --rev 'RELEASE-9.9.9~0' --db "$DB"
g tag RELEASE-9.9.9 HEAD
run_status 0 "a revision spelt like a tag" scan --git "$REPO" --rev 'RELEASE-9.9.9~0' --db "$DB"
check "is named by the commit's own tag, not its spelling" grep -q "^stored 9.9.9 from the scan of" "$TMP/out"
g tag -d RELEASE-9.9.9 && g tag 'RELEASE-9.2/x' HEAD
run_status 0 "a tag that is no file name" scan --git "$REPO" --rev 'RELEASE-9.2/x' --db "$DB"
check "is named by its commit" grep -q "^$id is stored already" "$TMP/out"
run_status 2 "a --release that is no file name" scan --git "$REPO" --release ../x --db "$DB"
error_line "is refused" "bad release name '../x'"

# A symlink in the repository is not followed out of it.
ln -s /etc/passwd "$REPO/xen/include/public/host.h" && g add -A && g commit -q -m link
run_status 0 "a revision with a symlink" scan --git "$REPO" --rev HEAD --release linked --db "$DB"
xenabi list failures linked --db "$DB" >"$TMP/out"
check "the link is not read" sh -c "! grep -q 'host.h' '$TMP/out'"

# The baselines take each branch's first and newest release tag, 4.0 on.
for v in 3.4.0 4.1.0 4.1.6.1 4.1.10 4.2.0-rc1 4.10.0; do
	g tag "RELEASE-$v" RELEASE-9.1.0
done
g tag -d RELEASE-9.1.0 && g tag -d 'RELEASE-9.2/x'
run_status 0 "baselines generate" baselines generate --git "$REPO" --db "$TMP/gen.db" "$TMP/gen"
check "4.1.0, 4.1.10 and 4.10.0: no rc, no 3.x, no middle point release" \
	test "$(ls "$TMP/gen/releases" | tr '\n' ' ')" = "4.1.0 4.1.10 4.10.0 "
check "not on a terminal: a line per release on stderr, for a CI log" \
	sh -c "grep -c '^xenabi: scanning 4\.1[0-9.]* ([123]/3)$' '$TMP/err' | grep -qx 3"
check "the same tree scanned once, the rest copied" \
	test "$(sqlite3 "$TMP/gen.db" 'SELECT count(DISTINCT tree_hash) FROM release')" = 1

run_status 2 "no such revision" scan --git "$REPO" --rev RELEASE-0.0 --db "$DB"
error_line "names it" "no revision 'RELEASE-0.0' in git repository"
mkdir "$TMP/plain"
run_status 2 "not a repository" scan --git "$TMP/plain" --db "$DB"
error_line "says so" "is not a git repository"
run_status 2 "an option for a revision" scan --git "$REPO" --rev --output=x --db "$DB"
error_line "is refused" "'--output=x' is not a revision"
g rm -q -r -f xen/include/public && g commit -q -m gone
run_status 2 "a revision without public headers" scan --git "$REPO" --rev HEAD --db "$DB"
error_line "is not a Xen tree" "has no xen/include/public/xen.h"
run_status 2 "--rev without --git" scan --tree "$FIXTURES/mini" --rev HEAD --release x --db "$DB"
run_status 2 "--tree and --git" scan --tree "$FIXTURES/mini" --git "$REPO" --db "$DB"

done_testing
