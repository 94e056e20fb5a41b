#!/bin/sh
# HVM save records loaded zero-extended (hvm_load_entry_zeroextend in
# xen/arch/x86): read from a tree or a git revision at scan time, stored
# with the release in sqlite and in baselines, each with the struct it
# loads; installed headers have none.
. "$(dirname "$0")/lib.sh"

ZX=$FIXTURES/zeroext
rows() { sqlite3 -separator ' ' "$1" "SELECT z.name, z.tag, z.file FROM zeroext z JOIN release r ON r.id = z.release_id WHERE r.name = '$2' ORDER BY 1, 3"; }

run_status 0 "scan a tree" scan --release zx --tree "$ZX" --db "$DB"
rows "$DB" zx >"$TMP/rows"
cat >"$TMP/want" <<'WANT'
CPU hvm_hw_cpu xen/arch/x86/hvm/hvm.c
LAPIC hvm_hw_lapic xen/arch/x86/hvm/vlapic.c
VIRIDIAN_VCPU  xen/arch/x86/hvm/viridian/viridian.c
WANT
check "each call's save type, its struct and its file, once" diff -u "$TMP/want" "$TMP/rows"

cp -r "$ZX/xen/include/public" "$TMP/installed"
run_status 0 "installed headers" scan --release inst --tree "$TMP/installed" --db "$DB"
check "have none" test -z "$(rows "$DB" inst)"

run_status 0 "write baselines" baselines write "$TMP/bl" --db "$DB"
check "a zeroext line per record, '-' for no struct" \
	test "$(grep '^zeroext	' "$TMP/bl/releases/zx" | tr '\t' ' ')" = "$(printf '%s\n' \
		'zeroext CPU hvm_hw_cpu xen/arch/x86/hvm/hvm.c' \
		'zeroext LAPIC hvm_hw_lapic xen/arch/x86/hvm/vlapic.c' \
		'zeroext VIRIDIAN_VCPU - xen/arch/x86/hvm/viridian/viridian.c')"
run_status 0 "load them" baselines load "$TMP/bl" --db "$TMP/back.db"
rows "$TMP/back.db" zx >"$TMP/back"
check "as they were" diff -u "$TMP/rows" "$TMP/back"
run_status 0 "and write again" baselines write "$TMP/bl2" --db "$TMP/back.db"
check "the same bytes" diff -r "$TMP/bl" "$TMP/bl2"

# A git revision: only the sources with a call come along, the same
# records, the same tree hash as the directory's scan.
if command -v git >/dev/null; then
	REPO=$TMP/xen
	mkdir -p "$REPO" && cp -r "$ZX/." "$REPO/" &&
	git -C "$REPO" init -q && git -C "$REPO" add -A &&
	git -C "$REPO" -c user.name=xenabi -c user.email=xenabi@example.org \
		-c commit.gpgsign=false commit -q -m zx &&
	git -C "$REPO" -c tag.gpgsign=false tag RELEASE-9.4.0 ||
		{ echo "Bail out! cannot build the test repository"; exit 2; }
	run_status 0 "scan the tag" scan --git "$REPO" --rev RELEASE-9.4.0 --db "$DB"
	check "the same tree as the directory's scan" grep -q '^stored 9.4.0 from the scan of zx' "$TMP/out"
	run_status 0 "scanned all the same" scan --git "$REPO" --rev RELEASE-9.4.0 --force --db "$DB"
	rows "$DB" 9.4.0 >"$TMP/git"
	check "with the same records" diff -u "$TMP/rows" "$TMP/git"
else
	skip "git is not installed"
fi

# diff: a record the new hypervisor loads zero-extended may grow at its
# tail (risk); one it loads whole may not (break).
cp -r "$ZX" "$TMP/grown"
sed -i 's/^    unsigned int flags;$/    unsigned int flags;\n    unsigned long long more;/; s/^    unsigned char cmos_data\[14\];$/    unsigned char cmos_data[14];\n    unsigned char more;/' \
	"$TMP/grown/xen/include/public/hvm/save.h"
xenabi scan --release grown --tree "$TMP/grown" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the grown tree"; exit 2; }
run_status 1 "diff a grown record" diff zx grown --format json --db "$DB"
check "loaded zero-extended: a risk, saying where" \
	sh -c "jq -e '.changes[] | select(.symbol == \"hvm_hw_cpu.more\") | .severity == \"risk\" and (.reason | contains(\"xen/arch/x86/hvm/hvm.c loads it with hvm_load_entry_zeroextend(CPU)\"))' '$TMP/out' >/dev/null"
check "loaded whole: a break" \
	sh -c "jq -e '.changes[] | select(.symbol == \"hvm_hw_rtc.more\") | .severity == \"break\"' '$TMP/out' >/dev/null"

done_testing
