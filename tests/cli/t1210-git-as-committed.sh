#!/bin/sh
# scan --git reads each file as committed: no filter, attribute or config
# of the repository's runs a command or changes a byte (git archive ran
# a smudge filter and left out export-ignore files), replacement objects
# and a GIT_DIR in the environment do not change what a revision is, and
# a path no checkout would write is refused.
. "$(dirname "$0")/lib.sh"

command -v git >/dev/null || { echo "1..0 # skip git is not installed"; exit 0; }
REPO=$TMP/xen
g() { git -C "$REPO" -c user.name=xenabi -c user.email=xenabi@example.org \
	-c commit.gpgsign=false -c tag.gpgsign=false "$@"; }
PUB=xen/include/public
mkdir -p "$REPO" && cp -r "$FIXTURES/mini/." "$REPO/" &&
	printf '/* $Id$ $Format:%%H$ */\n' >>"$REPO/$PUB/ctl.h" &&
	printf '*.h filter=evil ident export-subst text eol=crlf\n%s export-ignore\n' \
		"$PUB/arch-arm.h" >"$REPO/.gitattributes" &&
	g init -q && g add -A 2>/dev/null && g commit -q -m mini ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }

# The repository's own config and attributes, set once the files are in.
cat >"$TMP/gpg" <<EOF
#!/bin/sh
touch "$TMP/gpg-ran"
cat >/dev/null
EOF
chmod +x "$TMP/gpg"
g config filter.evil.smudge "touch '$TMP/smudged'; sed s/FIX_/EVIL_/g" &&
g config filter.evil.clean cat &&
g config core.autocrlf true &&
g config log.showSignature true &&
g config gpg.program "$TMP/gpg" &&
echo '*.h filter=evil' >"$REPO/.git/info/attributes" ||
	{ echo "Bail out! cannot configure the test repository"; exit 2; }
# A signed commit (the signature is not checked): git show would run gpg.
REV=$(g cat-file commit HEAD | awk '!done && /^$/ {
	print "gpgsig -----BEGIN PGP SIGNATURE-----"
	print " x"
	print " -----END PGP SIGNATURE-----"
	done = 1 } { print }' | g hash-object -t commit -w --stdin) ||
	{ echo "Bail out! cannot make a signed commit"; exit 2; }
# A replacement for one header: what REV holds is still what is read.
g replace "$(g rev-parse "$REV:$PUB/io/ring.h")" \
	"$(echo '#error replaced' | g hash-object -w --stdin)" ||
	{ echo "Bail out! cannot replace an object"; exit 2; }

mkdir "$TMP/probes"
XENABI_KEEP_PROBES=1 TMPDIR=$TMP/probes \
	run_status 0 "scan the revision" scan --git "$REPO" --rev "$REV" \
	--release x --db "$DB"
check "no smudge filter ran" test ! -e "$TMP/smudged"
check "no gpg ran" test ! -e "$TMP/gpg-ran"
TREE=$(echo "$TMP"/probes/xenabi.*/tree)
g --no-replace-objects ls-tree -r --name-only "$REV" -- "$PUB" >"$TMP/files"
bad=
while read -r f; do
	g --no-replace-objects cat-file blob "$REV:$f" >"$TMP/blob" &&
		cmp -s "$TMP/blob" "$TREE/$f" || bad="$bad $f"
done <"$TMP/files"
check "every public file, byte for byte as committed" test -z "$bad"
[ -z "$bad" ] || echo "# differ or missing:$bad"
check "the export-ignore file among them" test -f "$TREE/$PUB/arch-arm.h"
xenabi list constants x --db "$DB" >"$TMP/out"
check "the constants are the committed ones" grep -q '^FIX_NAME ' "$TMP/out"

# A scan run from a hook, which has GIT_DIR set to its own repository.
git init -q "$TMP/other"
GIT_DIR=$TMP/other/.git GIT_INDEX_FILE=$TMP/other/.git/index \
	run_status 0 "with GIT_DIR naming another repository" \
	scan --git "$REPO" --rev "$REV" --release y --db "$DB"
unset GIT_DIR GIT_INDEX_FILE
check "the repository named is read" grep -q '^stored y from the scan of x' "$TMP/out"

# A tree no git makes: "..", five deep, inside the public headers.
b=$(echo '#define ESCAPED 1' | g hash-object -w --stdin)
t=$(printf '100644 blob %s\tescaped.h\n' "$b" | g mktree)
for i in 1 2 3 4 5; do t=$(printf '040000 tree %s\t..\n' "$t" | g mktree); done
sub() { { g ls-tree "$1" | grep -v "	$2\$"; printf '040000 tree %s\t%s\n' "$3" "$2"; } |
	g mktree; }
t=$(sub "$REV:$PUB" .. "$t") && t=$(sub "$REV:xen/include" public "$t") &&
t=$(sub "$REV:xen" include "$t") && t=$(sub "$REV^{tree}" xen "$t") &&
EVIL=$(g commit-tree -m evil "$t") ||
	{ echo "Bail out! cannot build the crafted tree"; exit 2; }
rm -rf "$TMP/probes" && mkdir "$TMP/probes"
TMPDIR=$TMP/probes run_status 2 "a path with '..' in it" \
	scan --git "$REPO" --rev "$EVIL" --release z --db "$DB"
error_line "is refused" "holds a path git would not check out: 'xen/include/public/\.\./"
check "and nothing is written out of the tree" \
	sh -c "! find '$TMP' -name escaped.h | grep -q ."

done_testing
