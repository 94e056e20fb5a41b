#!/bin/sh
# What a partial scan in log compiles, beyond being right: a header with
# no type and no object-like macro (cpufeatureset.h's kind) costs no
# constants probe in the guest views, and lone names that end as a
# number, a name, a type or nothing cost no failing round.  Each result
# is still what a full scan of the commit stores, also for a header that
# compiles only in the full probe.
. "$(dirname "$0")/lib.sh"

git_repo "$TMP/xen"

# A counting compiler: one line per run, the probe's file name.
cat >"$TMP/countcc" <<EOF
#!/bin/sh
for a; do case \$a in *.c) echo "\${a##*/}" >>"$TMP/runs" ;; esac; done
exec "${XENABI_CC:-clang}" "\$@"
EOF
chmod +x "$TMP/countcc"

mkdir -p "$REPO" && git -C "$REPO" init -q &&
	cp -r "$FIXTURES/cont/old/." "$REPO/" && mkdir "$PUB/io" &&
	for h in a b c; do
		printf '#ifndef FIX_IO_%s\n#define FIX_IO_%s\n#include "../xen.h"\nstruct io_%s { unsigned int id; };\n#endif\n' \
			$h $h $h >"$PUB/io/$h.h"
	done &&
	cat >"$PUB/feat.h" <<'EOF' &&
/* xenabi test fixture: function-like macros only, as cpufeatureset.h. */
#ifndef FIX_FEAT_H
#define FIX_FEAT_H
#define FIX_FEAT_BIT(word, bit) ((word) * 32 + (bit))
#endif
EOF
	cat >"$PUB/lone.h" <<'EOF' &&
/* xenabi test fixture: macros that are one name of another. */
#ifndef FIX_LONE_H
#define FIX_LONE_H
#include "xen.h"
enum lone_kind { LONE_KIND_A = 3, LONE_KIND_B };
struct lone_rec { unsigned int kind; };
typedef unsigned int lone_word_t;
#define LONE_NUMBER_BASE 7
#define LONE_EMPTY_BASE
#define LONE_TEXT_BASE "lone"
#define LONE_BY_ENUM LONE_KIND_B
#define LONE_BY_NUMBER LONE_NUMBER_BASE
#define LONE_BY_TEXT LONE_TEXT_BASE
#define LONE_BY_NOTHING LONE_EMPTY_BASE
#define LONE_BY_CHAIN LONE_BY_NUMBER
#define LONE_BY_STDTYPE uint32_t
#define LONE_BY_TYPE lone_word_t
#define LONE_BY_PAREN LONE_PAREN_BASE
#define LONE_PAREN_BASE (1U << 4)
#define FIX_LONE_PLUS(x) ((x) + 1)
#endif
EOF
	# Its integer form fails (a round), so it is not in lone.h.
	echo '#define LONE_BY_FUNCTION FIX_LONE_PLUS' >>"$PUB/io/c.h" &&
	# Compiles only after io/a.h, which the full probe has before it
	# and a partial probe of it alone does not.
	printf '#ifndef FIX_ZCTX_H\n#define FIX_ZCTX_H\nstruct zctx { struct io_a a; };\n#endif\n' \
		>"$PUB/zctx.h" &&
	cp "$FIXTURES/hcall/old/xen/include/hypercall-defs.c" \
		"$REPO/xen/include/" &&
	g add -A && commit "the tree" && g tag base &&
	echo '#define FIX_FEAT_WORD(bit) ((bit) / 32)' >>"$PUB/feat.h" &&
	commit "feat.h: a function-like macro" && g tag feat &&
	sed -i 's/^#define LONE_BY_CHAIN .*/&\n#define LONE_BY_ENUM_A LONE_KIND_A/' "$PUB/lone.h" &&
	commit "lone.h: one more name" && g tag lone &&
	echo '/* a comment */' >>"$PUB/zctx.h" &&
	commit "zctx.h: a comment" && g tag zctx &&
	echo "/* a comment */" >>"$REPO/xen/common/grant_table.c" &&
	commit "grant_table.c: a comment" &&
	echo "/* another */" >>"$REPO/xen/common/grant_table.c" &&
	commit "grant_table.c: another comment" &&
	sed -i '/^retired_op /d' "$REPO/xen/include/hypercall-defs.c" &&
	commit "hypercall-defs.c: retire retired_op" && g tag hdefs ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }

# The base alone first: what follows counts only the commits' rescans.
xenabi log --git "$REPO" base..base --db "$DB" >/dev/null 2>&1
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM commit_tree')" = 1 ] ||
	{ echo "Bail out! log did not store the base"; exit 2; }

# runs_of RANGE: log RANGE with the counting compiler; $TMP/runs lists its
# compiler runs.
runs_of() {
	: >"$TMP/runs"
	XENABI_CC=$TMP/countcc xenabi log --git "$REPO" "$1" --db "$DB" \
		>"$TMP/out" 2>"$TMP/err"
}

runs_of base..feat
check "feat.h's commit was scanned from its parent's" test -s "$TMP/runs"
check "and no guest view evaluated constants for it" \
	sh -c "! grep -E '^consts-.*-(guest|latest)\.c$' '$TMP/runs'"
diag "$TMP/runs"
same_as_full "feat.h: a partial scan stores what a full scan does" \
	"$REPO" "$(git -C "$REPO" rev-parse feat)"

runs_of feat..lone
grep -E '^consts-.*-(guest|latest)\.c$' "$TMP/runs" | sort >"$TMP/guest"
check "lone.h's constants were evaluated in the guest views" test -s "$TMP/guest"
check "each in one compiler run: no form failed" \
	sh -c "test -z \"\$(uniq -d '$TMP/guest')\""
diag "$TMP/runs"
same_as_full "lone.h: a partial scan stores what a full scan does" \
	"$REPO" "$(git -C "$REPO" rev-parse lone)"

# A changed header that fails alone but compiled in its parent's full
# probe: the partial scan declines, and a full one says what is true.
runs_of lone..zctx
same_as_full "zctx.h: a header that needs context is scanned in full" \
	"$REPO" "$(git -C "$REPO" rev-parse zctx)"
check "where it compiles" sh -c "! grep -q zctx.h '$TMP/full'"

# The hypercall table is read once for two commits that do not change
# hypercall-defs.c (its text, as read for the first, decides it), and
# again for one that does, which finds what changed.
runs_of zctx..hdefs
check "the table was read twice in three commits" \
	test "$(grep -c '^hypercall-readings.c$' "$TMP/runs")" = 2
check "and the changed table's hypercall is found" \
	grep -q 'break hypercall_removed  *retired_op' "$TMP/out"
diag "$TMP/out"
same_as_full "an internal-only commit whose table was not read again: as a full scan reads it" \
	"$REPO" "$(git -C "$REPO" rev-parse hdefs~1)"
same_as_full "and the table's commit" "$REPO" "$(git -C "$REPO" rev-parse hdefs)"

# What those names are, from a full scan: no form dropped that holds.
xenabi list constants "full-$(git -C "$REPO" rev-parse lone)" --db "$DB" >"$TMP/consts"
check "a name of an enumerator is its value" grep -q -E '^LONE_BY_ENUM +4 ' "$TMP/consts"
check "a name of a number is the number" grep -q -E '^LONE_BY_NUMBER +7 ' "$TMP/consts"
check "through two names" grep -q -E '^LONE_BY_CHAIN +7 ' "$TMP/consts"
check "a name of a parenthesised value is the value" grep -q -E '^LONE_BY_PAREN +(16|0x10) ' "$TMP/consts"
check "a name of a string is the string" grep -q -E '^LONE_BY_TEXT +"lone" ' "$TMP/consts"
check "a name of nothing is other" grep -q -E '^LONE_BY_NOTHING +\(LONE_EMPTY_BASE\) ' "$TMP/consts"
check "a name of a type is other" grep -q -E '^LONE_BY_TYPE +\(lone_word_t\) ' "$TMP/consts"
check "a name of a standard type is other" grep -q -E '^LONE_BY_STDTYPE +\(uint32_t\) ' "$TMP/consts"
check "a name of a function-like macro is other" \
	grep -q -E '^LONE_BY_FUNCTION +\(FIX_LONE_PLUS\) ' "$TMP/consts"
diag "$TMP/consts"

done_testing
