#!/bin/sh
# check of a git work tree whose HEAD an earlier log stored (or a shipped
# release was scanned from): scanned from that commit's scan, only what
# the work tree's changes reach compiled again (a CI job's patch on a
# commit a nightly log walked), with the report a full scan gives.  No stored commit, a change that reaches too
# far, or not the top of a work tree: a full scan, the same report.
. "$(dirname "$0")/lib.sh"

git_repo "$TMP/xen"
demo() {
	cat >"$PUB/demo.h" <<EOT
/* xenabi test fixture: a guest structure the work tree changes. */
#ifndef FIX_DEMO_H
#define FIX_DEMO_H
struct demo_op {
	unsigned int domid;
	$1 count;
};
#define DEMO_OP_MAX $2
#endif
EOT
}
mkdir -p "$REPO" && cp -r "$FIXTURES/cont/old/." "$REPO/" &&
	git -C "$REPO" init -q && demo "unsigned int" 4 &&
	mkdir "$PUB/io" && for h in a b c d e f; do
		printf '#ifndef FIX_IO_%s\n#define FIX_IO_%s\n#include "../xen.h"\nstruct io_%s { unsigned int id; };\n#define IO_%s_RING 32\n#endif\n' \
			$h $h $h $h >"$PUB/io/$h.h"
	done &&
	g add -A && commit "the tree" && g tag RELEASE-9.1.0 &&
	demo "unsigned int" 8 && commit "demo: more ops" &&
	echo "/* a comment */" >>"$PUB/io/a.h" && commit "io/a.h: a comment" ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }

printf '#!/bin/sh\necho x >>"%s"\nexec clang "$@"\n' "$TMP/runs" >"$TMP/cc"
chmod +x "$TMP/cc"
# check_counted DB: check the work tree against 9.1.0, counting compiles.
check_counted() {
	: >"$TMP/runs"
	XENABI_CC=$TMP/cc "$XENABI" check --tree "$REPO" --against 9.1.0 \
		--format json --db "$1" >"$TMP/out" 2>"$TMP/err"
	echo $? >"$TMP/status"
	wc -l <"$TMP/runs" | tr -d ' ' >"$TMP/nruns"
}
# The same against a database that knows no commit: a full scan.
full_check() {
	rm -f "$TMP/full.db"
	xenabi scan --git "$REPO" --rev RELEASE-9.1.0 --db "$TMP/full.db" >/dev/null &&
		check_counted "$TMP/full.db" && cp "$TMP/out" "$TMP/full.json" &&
		cp "$TMP/nruns" "$TMP/full.nruns"
}

xenabi scan --git "$REPO" --rev RELEASE-9.1.0 --db "$DB" >/dev/null &&
	xenabi log --git "$REPO" 9.1.0..HEAD --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot log the repository"; exit 2; }

# A patch in the work tree: a narrowing, and a new header git does not track.
demo "unsigned short" 8 &&
	printf '#ifndef FIX_IO_Z\n#define FIX_IO_Z\nstruct io_z { unsigned int id; };\n#endif\n' >"$PUB/io/z.h"
check_counted "$DB"
check "check from the stored commit finds the break" sh -c "[ \$(cat '$TMP/status') = 1 ]"
cp "$TMP/out" "$TMP/part.json"
parts=$(cat "$TMP/nruns")
full_check
check "a full scan gives the same report" cmp "$TMP/part.json" "$TMP/full.json"
check "the new header is in it" grep -q '"io_z"' "$TMP/part.json"
check "it compiled less ($parts against $(cat "$TMP/full.nruns"))" \
	sh -c "[ $parts -lt \$(cat '$TMP/full.nruns') ]"

# A new header .gitignore names: a scan reads it all the same.
echo "xen/include/public/io/ign.h" >"$REPO/.gitignore" &&
	printf 'struct io_ign { unsigned int id; };\n' >"$PUB/io/ign.h"
check_counted "$DB"
cp "$TMP/out" "$TMP/part.json"
full_check
check "an ignored new header: the same report" cmp "$TMP/part.json" "$TMP/full.json"
check "with it" grep -q '"io_ign"' "$TMP/part.json"
rm "$REPO/.gitignore" "$PUB/io/ign.h"

# A commit on top that no log stored: the one below it is used.
g add -A && commit "demo: narrow count" &&
	demo "unsigned char" 8 || { echo "Bail out! cannot commit"; exit 2; }
check_counted "$DB"
cp "$TMP/out" "$TMP/part.json"
parts=$(cat "$TMP/nruns")
full_check
check "from a commit below HEAD: the same report" cmp "$TMP/part.json" "$TMP/full.json"
check "and fewer compiles" sh -c "[ $parts -lt \$(cat '$TMP/full.nruns') ]"

# xen.h changed: every header is reached, a full scan.
echo "#define FIX_MORE 1" >>"$PUB/xen.h"
check_counted "$DB"
cp "$TMP/out" "$TMP/part.json"
full_check
check "a change to xen.h: the same report" cmp "$TMP/part.json" "$TMP/full.json"

# No log at all, HEAD on a release the shipped baselines have: scanned
# from that release's scan.
git -C "$REPO" checkout -q -f RELEASE-9.1.0 && git -C "$REPO" clean -q -f -d &&
	xenabi scan --git "$REPO" --rev RELEASE-9.1.0 --db "$TMP/ship.db" >/dev/null &&
	demo "unsigned short" 4 ||
	{ echo "Bail out! cannot check out the release"; exit 2; }
: >"$TMP/runs"
HOME=$TMP/nohome XDG_DATA_HOME= XENABI_BASELINES=$TMP/ship.db XENABI_CC=$TMP/cc \
	"$XENABI" check --tree "$REPO" --against 9.1.0 --format json >"$TMP/part.json" 2>"$TMP/err"
check "on a shipped release: exit 1" test $? = 1
parts=$(wc -l <"$TMP/runs")
full_check
check "on a shipped release: the same report" cmp "$TMP/part.json" "$TMP/full.json"
check "and fewer compiles" sh -c "[ $parts -lt \$(cat '$TMP/full.nruns') ]"

# Not the top of a work tree: the public directory, scanned in full.
run_status 1 "check of the public directory" check --tree "$PUB" --against 9.1.0 --db "$DB"
check "stderr is empty" test ! -s "$TMP/err"

done_testing
