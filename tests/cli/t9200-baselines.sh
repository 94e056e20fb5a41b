#!/bin/sh
# Baselines: releases written as sorted text and loaded back give the
# same releases and the same bytes again; a database built from them is
# found without flags and shadowed by the user's own releases; bad
# baselines are refused with FILE:LINE.
. "$(dirname "$0")/lib.sh"

for r in old new; do
	xenabi scan --release "$r" --tree "$FIXTURES/diff/$r" --db "$DB" >/dev/null &&
	xenabi scan --release "cont-$r" --tree "$FIXTURES/cont/$r" --db "$DB" >/dev/null ||
		{ echo "Bail out! cannot scan the fixtures"; exit 2; }
done

xenabi scan --release compat --tree "$FIXTURES/compat" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the compat fixture"; exit 2; }

run_status 0 "write baselines" baselines write "$TMP/bl" --db "$DB"
check "one file per release" test "$(ls "$TMP/bl/releases" | tr '\n' ' ')" = "compat cont-new cont-old new old "
check "the compat list is in the release" grep -q '^compat	fix_stamp	xen.h$' "$TMP/bl/releases/compat"
check "layouts, constants and sets beside them, and the manifest" \
	test -s "$TMP/bl/layouts" -a -s "$TMP/bl/constants" -a -s "$TMP/bl/sets" -a -s "$TMP/bl/manifest"
check "which names each of them and each release" \
	test "$(grep -v '^#' "$TMP/bl/manifest" | cut -f1 | tr '\n' ' ')" = \
	"constants layouts releases/compat releases/cont-new releases/cont-old releases/new releases/old sets end "
check "a changed layout is a second entry under its name" \
	test "$(grep -c '^struct	fix_arm	' "$TMP/bl/layouts")" -ge 2
run_status 0 "write them again" baselines write "$TMP/bl2" --db "$DB"
check "the same bytes" diff -r "$TMP/bl" "$TMP/bl2"

run_status 0 "load them into a new database" baselines load "$TMP/bl" --db "$TMP/shipped.db"
check "sealed: one file, no write-ahead log" \
	test "$(sqlite3 "$TMP/shipped.db" 'PRAGMA journal_mode')" = delete
run_status 0 "and write that one out" baselines write "$TMP/bl3" --db "$TMP/shipped.db"
check "the text goes round unchanged" diff -r "$TMP/bl" "$TMP/bl3"
check "reading did not change the database" \
	test "$(sqlite3 "$TMP/shipped.db" 'PRAGMA journal_mode')" = delete
xenabi diff old new --format json --db "$DB" >"$TMP/from-scan.json"
xenabi diff old new --format json --db "$TMP/shipped.db" >"$TMP/from-baselines.json"
check "a diff of loaded releases is the diff of the scanned ones" \
	cmp "$TMP/from-scan.json" "$TMP/from-baselines.json"
xenabi diff cont-old cont-new --db "$TMP/shipped.db" >"$TMP/out"
check "encodings survive the round trip" grep -q continuation_bits_moved "$TMP/out"
xenabi lint compat --format json --db "$DB" >"$TMP/lint-scan.json"
xenabi lint compat --format json --db "$TMP/shipped.db" >"$TMP/lint-baselines.json"
check "and so does the compat list: lint says the same" \
	cmp "$TMP/lint-scan.json" "$TMP/lint-baselines.json"
run_status 2 "load refuses an existing database" baselines load "$TMP/bl" --db "$TMP/shipped.db"
error_line "and says so" "exists; baselines load into a new database"

# Baselines written before the latest view: UNITS in two hex digits and
# no latest units (tests/fixtures/baselines-2digit, by that xenabi).
run_status 0 "baselines with two-digit UNITS load" \
	baselines load "$FIXTURES/baselines-2digit" --db "$TMP/old.db"
run_status 0 "their release is there" show compat fix_padded --abi x86_64 --db "$TMP/old.db"
run_status 2 "without a latest view" show compat fix_padded --view latest --db "$TMP/old.db"
error_line "which a new scan adds" "release 'compat' has no latest view: it was stored by an older xenabi; scan it again"
run_status 0 "written out again" baselines write "$TMP/bl-old" --db "$TMP/old.db"
check "in three digits" grep -q '^	0b4095911968c1ee	14	00c	fix_time_info$' "$TMP/bl-old/sets"
check "with the units it had" grep -q '^units	00f$' "$TMP/bl-old/releases/compat"
run_status 0 "which load as well" baselines load "$TMP/bl-old" --db "$TMP/old2.db"

# The shipped database, found without --db, shadowed by the user's.
export XENABI_BASELINES="$TMP/shipped.db"
HOME=$TMP/home XDG_DATA_HOME= xenabi diff old new >"$TMP/out" 2>"$TMP/err"
check "diff works out of the box, with no database of the user's" test $? = 1
check "from the shipped releases" grep -q '^old -> new:' "$TMP/out"
HOME=$TMP/home XDG_DATA_HOME= xenabi list releases >"$TMP/out"
check "list marks them shipped" grep -q '^old .* shipped$' "$TMP/out"
check "and created no database of the user's" test ! -e "$TMP/home/.local"
xenabi scan --release old --tree "$FIXTURES/diff/new" --db "$TMP/user.db" >/dev/null
run_status 0 "a user's release of the same name" diff old new --db "$TMP/user.db"
check "shadows the shipped one" grep -q '^old -> new: 0 break, 0 risk, 0 info' "$TMP/out"
xenabi list releases --db "$TMP/user.db" >"$TMP/out"
check "listed once, as the user's" test "$(grep -c '^old ' "$TMP/out")" = 1 -a \
	"$(grep -c '^old .*shipped' "$TMP/out")" = 0
xenabi scan --release again --tree "$FIXTURES/diff/old" --db "$TMP/user.db" >"$TMP/out"
check "a scan of a shipped release's tree is copied from it" \
	grep -q '^stored again from the scan of old (shipped)' "$TMP/out"
xenabi list releases --format json --db "$TMP/user.db" >"$TMP/out"
check "recording its own tree as the source" \
	sh -c "jq -e '.[] | select(.name == \"again\") | .source | endswith(\"fixtures/diff/old\")' '$TMP/out' >/dev/null"
XENABI_BASELINES=$TMP/nope.db xenabi list releases --db "$DB" >"$TMP/out" 2>"$TMP/err"
check "missing shipped baselines named by XENABI_BASELINES are trouble" test $? = 2
error_line "named" "nope.db"
unset XENABI_BASELINES

# Bad baselines: one clear line with the file and line, nothing stored.
# Without the manifest, which would refuse any edit (below), as in a
# directory written before manifests.
bad() {
	rm -rf "$TMP/bad" "$TMP/bad.db"; cp -r "$TMP/bl" "$TMP/bad"
	rm "$TMP/bad/manifest"
	sed -i "$2" "$TMP/bad/$1"
	run_status 2 "$3" baselines load "$TMP/bad" --db "$TMP/bad.db"
	error_line "$3: names the place" "$TMP/bad/$1:[0-9]+: .*$4"
	check "$3: no database left behind" test ! -e "$TMP/bad.db"
}
bad layouts 's/^\(	cmd	\)0	/\14	/' "an edited member offset" "does not match its key"
bad layouts '6s/	[0-9]*	/	x	/' "a malformed layout line" "not a"
bad constants 's/^\(XEN_DOMCTL_INTERFACE_VERSION	[0-9a-f]*	int	\)18/\119/' \
	"an edited constant" "does not match its key"
bad sets '0,/^	[0-9a-f]\{16\}/s//	0000000000000000/' "a set naming no layout" "no layout of this key"
bad releases/old 's/^file	xen.h	[0-9a-f]*/file	xen.h	0123456789abcdef/' \
	"a release naming no set" "no such set"
bad releases/old '/^file	xen.h	/d' "a release missing a header" "does not match its end line"
bad releases/old '$d' "a release cut short" "no end line"
bad releases/old 's/^release	old$/release	new/' "a release named apart from its file" \
	"not named as its file"
bad releases/old 's/$/\r/' "a release with CRLF line endings" "CRLF line endings"
bad constants 's/$/\r/' "a table with CRLF line endings" "CRLF line endings"
# The manifest: each file it names is the one it names, or load refuses.
manifest_bad() {
	rm -rf "$TMP/bad" "$TMP/bad.db"; cp -r "$TMP/bl" "$TMP/bad"
	sed -i "$2" "$TMP/bad/$1"
	run_status 2 "$3" baselines load "$TMP/bad" --db "$TMP/bad.db"
	error_line "$3: says so" "$4"
	check "$3: no database left behind" test ! -e "$TMP/bad.db"
}
manifest_bad layouts 's/^\(	cmd	\)0	/\14	/' "an edited layout beside the manifest" \
	"baselines '.*bad/layouts' is not the file its manifest names \(size or sha256 differ\); regenerate"
manifest_bad releases/old 's/$/\r/' "a release with CRLF line endings beside the manifest" \
	"releases/old' is not the file its manifest names .*CRLF line endings"
manifest_bad manifest '/^sets	/d' "a manifest with a line less" "bad/manifest:[0-9]+: the manifest does not match its end line"
manifest_bad manifest '$d' "a manifest cut short" "bad/manifest:[0-9]+: no end line"
manifest_bad manifest 's/^sets	[0-9]*	/sets	x	/' "a malformed manifest line" "not a line of a manifest"
manifest_bad manifest 's/^releases\/old	/releases\/..\/..\/x	/' "a manifest naming a file elsewhere" \
	"not a line of a manifest"
rm -rf "$TMP/bad" "$TMP/bad.db" && cp -r "$TMP/bl" "$TMP/bad" && rm "$TMP/bad/releases/old"
run_status 2 "a release the manifest names, missing" baselines load "$TMP/bad" --db "$TMP/bad.db"
error_line "is named" "cannot read baselines '.*bad/releases/old': No such file"
rm -rf "$TMP/bad" "$TMP/bad.db" && cp -r "$TMP/bl" "$TMP/bad" && echo "mine" >"$TMP/bad/releases/notes.txt"
run_status 0 "a file the manifest does not name is not read" baselines load "$TMP/bad" --db "$TMP/bad.db"
# Plain files only: a FIFO must not hang load, /dev/zero not eat memory.
rm -rf "$TMP/bad" "$TMP/bad.db" && cp -r "$TMP/bl" "$TMP/bad" &&
	rm "$TMP/bad/releases/old" && mkfifo "$TMP/bad/releases/old"
timeout 20 "$XENABI" baselines load "$TMP/bad" --db "$TMP/bad.db" >"$TMP/out" 2>"$TMP/err"
check "a FIFO for a release: refused, not waited on" test $? = 2
error_line "saying it is no regular file" "baselines '.*releases/old' is not a regular file"
rm -rf "$TMP/bad" "$TMP/bad.db" && cp -r "$TMP/bl" "$TMP/bad" && rm "$TMP/bad/manifest" &&
	mkfifo "$TMP/bad/releases/fifo"
timeout 20 "$XENABI" baselines load "$TMP/bad" --db "$TMP/bad.db" >"$TMP/out" 2>"$TMP/err"
check "a FIFO among the releases of a directory without a manifest: refused" test $? = 2
error_line "saying it is no regular file" "baselines '.*releases/fifo' is not a regular file"
rm -rf "$TMP/bad" "$TMP/bad.db" && cp -r "$TMP/bl" "$TMP/bad" &&
	rm "$TMP/bad/releases/old" && ln -s /dev/zero "$TMP/bad/releases/old"
timeout 20 "$XENABI" baselines load "$TMP/bad" --db "$TMP/bad.db" >"$TMP/out" 2>"$TMP/err"
check "a link to /dev/zero: refused, not read" test $? = 2
error_line "saying it is no regular file" "baselines '.*releases/old' is not a regular file"
rm -rf "$TMP/bad" "$TMP/bad.db" && cp -r "$TMP/bl" "$TMP/bad" &&
	rm "$TMP/bad/manifest" && mkfifo "$TMP/bad/manifest"
timeout 20 "$XENABI" baselines load "$TMP/bad" --db "$TMP/bad.db" >"$TMP/out" 2>"$TMP/err"
check "a FIFO for the manifest: refused, not waited on" test $? = 2
error_line "saying it is no regular file" "baselines '.*bad/manifest' is not a regular file"
# NAME.tmp is a half-written file to load: no release is named so.
run_status 2 "a release named x.tmp" scan --release x.tmp --tree "$FIXTURES/mini" --db "$TMP/tmpname.db"
error_line "is refused" "bad release name 'x.tmp'.*not ending in '.tmp'"
# One writer at a time.
if command -v flock >/dev/null; then
	# The lock is held by sleep: kill it, not only flock(1), to free it.
	flock "$TMP/bl" sh -c "echo \$\$ >'$TMP/holder'; exec sleep 10" &
	sleep 1
	run_status 2 "a second writer into the same directory" \
		baselines write "$TMP/bl" --db "$DB"
	error_line "is refused, saying why" "another writer is writing baselines into '.*bl'"
	kill "$(cat "$TMP/holder")" 2>/dev/null
	wait 2>/dev/null
else
	skip "flock(1) missing"
	skip "flock(1) missing"
	skip "flock(1) missing"
fi
rm -rf "$TMP/bad" && cp -r "$TMP/bl" "$TMP/bad" && rm -r "$TMP/bad/releases"
run_status 2 "no releases directory" baselines load "$TMP/bad" --db "$TMP/bad.db"
error_line "says what it could not read" "cannot read baselines '.*releases/compat': No such file"

# A write that fails half-way leaves the baselines as they were (a kill
# at any step: t9230).
rm -rf "$TMP/keep" && cp -r "$TMP/bl" "$TMP/keep" && mkdir -p "$TMP/bl/.xenabi-new/sets"
run_status 2 "a write that cannot finish" baselines write "$TMP/bl" --db "$TMP/user.db"
error_line "says what it could not write" "cannot write '.*bl/.xenabi-new/sets'"
check "and leaves no file of its own" rmdir "$TMP/bl/.xenabi-new/sets" "$TMP/bl/.xenabi-new"
check "changes none of the files" diff -r "$TMP/keep" "$TMP/bl"

run_status 2 "an unknown verb" baselines make "$TMP/bl"
run_status 2 "generate needs --git" baselines generate "$TMP/bl" --db "$DB"

done_testing
