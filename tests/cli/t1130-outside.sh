#!/bin/sh
# A scan reads only the tree it was given (issue 13, item 5): links in
# loops or out of the tree are not followed, and a header whose #include
# reaches outside it, or includes one that does, is left out with why.
. "$(dirname "$0")/lib.sh"

cp -r "$FIXTURES/mini" "$TMP/tree"
P=$TMP/tree/xen/include/public
mkdir "$TMP/host"
echo 'struct fix_host_secret { int pin; };' >"$TMP/host/secret.h"
echo 'the-host-name' >"$TMP/host/hostname"
ln -s . "$P/a"
ln -s . "$P/b"
ln -s "$TMP/host" "$P/hostdir"
ln -s "$TMP/host/secret.h" "$P/linked.h"
printf '#include "%s/host/hostname"\n' "$TMP" >"$P/absolute.h"
printf '#include "../../../../host/hostname"\n' >"$P/climbs.h"
printf '#include "climbs.h"\nstruct fix_via { int x; };\n' >"$P/via.h"
# Inside the tree, "../" is fine.
mkdir "$P/sub"
printf '#include "../xen.h"\nstruct fix_inside { int x; };\n' >"$P/sub/inside.h"

run_status 0 "a tree with links in loops and out is scanned" \
	scan --release t --tree "$TMP/tree" --db "$DB"
run_status 0 "types listed" list types t --db "$DB"
check "nothing of the host's is stored" sh -c "! grep -q fix_host_secret '$TMP/out'"
check "a header that includes inside the tree is scanned" grep -q fix_inside "$TMP/out"
check "no header through a directory link (a, b, hostdir)" \
	sh -c "! grep -q -E '(^| )(a|b|hostdir)/' '$TMP/out'"
run_status 0 "failures listed" list failures t --db "$DB"
check "a link to a file outside: left out, saying so" \
	grep -q 'linked.h *a symbolic link to a file outside the tree: not read' "$TMP/out"
check "an absolute #include: left out, naming it" \
	grep -q "absolute.h *includes '$TMP/host/hostname', outside the tree: not compiled" "$TMP/out"
check "an #include climbing out: left out" \
	grep -q "climbs.h *includes '../../../../host/hostname', outside the tree: not compiled" "$TMP/out"
check "its includer: left out too" \
	grep -q "via.h *includes 'climbs.h', which is left out: not compiled" "$TMP/out"
check "no compiler message quotes the host's file" \
	sh -c "! grep -q the-host-name '$TMP/out'"

done_testing
