#!/bin/sh
# xenabi-cc, clang kept running between a scan's probes: the records are
# those of a clang process per probe, byte for byte, with failing macros
# and headers (the fixture's) and on Xen's real headers (libxen-dev); it
# serves only the clang it was built for; and a server that cannot
# serve, dies or hangs costs a process, not a result.
. "$(dirname "$0")/lib.sh"

SERVER=$(dirname "$XENABI")/xenabi-cc
CLANG=$(realpath "$(command -v clang)")
if [ ! -x "$(dirname "$CLANG")/llvm-config" ] ||
   [ ! -f "$("$(dirname "$CLANG")/llvm-config" --includedir)/clang/Driver/Driver.h" ]; then
	echo "1..0 # skip no clang and LLVM development files to build xenabi-cc with"
	exit 0
fi
check "make built xenabi-cc beside xenabi" test -x "$SERVER"

# scan_as NAME TREE [ENV...]: scan TREE into its own database, then
# write it as baselines; the records, less when they were made.
scan_as() {
	name=$1 tree=$2
	shift 2
	env "$@" "$XENABI" scan --release r --tree "$tree" --db "$TMP/$name.db" \
		>"$TMP/$name.out" 2>"$TMP/$name.err"
	echo $? >"$TMP/$name.status"
	"$XENABI" baselines write "$TMP/$name.bl" --db "$TMP/$name.db" \
		>/dev/null 2>&1
	grep -v -E '^(date|end)	' "$TMP/$name.bl/releases/r" >"$TMP/$name.records"
	cat "$TMP/$name.bl/layouts" "$TMP/$name.bl/constants" \
		"$TMP/$name.bl/sets" >>"$TMP/$name.records"
}

# same NAME DESC: NAME's scan passed and has the records of "alone".
same() {
	if [ "$(cat "$TMP/$1.status")" = 0 ] &&
	   cmp -s "$TMP/alone.records" "$TMP/$1.records"; then
		ok "$2"
	else
		not_ok "$2"
		diag "$TMP/$1.err"
		diff "$TMP/alone.records" "$TMP/$1.records" | head -20 | diag
	fi
}

# traced NAME ARGS...: xenabi ARGS under strace, a trace file per process
# (one file: lines of processes running at once split and interleave).
traced() {
	name=$1
	shift
	mkdir "$TMP/$name.trace"
	strace -f -ff -qq -e trace=execve -o "$TMP/$name.trace/t" "$XENABI" "$@" \
		>/dev/null 2>&1
}

# execs NAME PROGRAM: how many times the traced run NAME ran PROGRAM.
execs() {
	cat "$TMP/$1.trace"/t.* | grep -c "^execve(\"[^\"]*/$2\".* = 0$"
}

MINI=$FIXTURES/mini
scan_as alone "$MINI" XENABI_CC_SERVER=0
check "without a server the fixture scans" test "$(cat "$TMP/alone.status")" = 0
scan_as served "$MINI"
same served "with one, the same records: failing macros and headers as a process has them"

# Which programs ran: only servers, no clang process, when one serves.
traced served scan --release t --tree "$MINI" --db "$TMP/t.db"
check "a served scan runs no clang process" test "$(execs served clang)" = 0
check "and a server per worker at most (and one for the table)" \
	test "$(execs served xenabi-cc)" -ge 1 -a "$(execs served xenabi-cc)" -le "$(($(nproc) + 1))"
XENABI_CC_SERVER=0 traced alone scan --release t --tree "$MINI" --db "$TMP/t2.db"
check "XENABI_CC_SERVER=0 runs clang processes, no server" \
	test "$(execs alone clang)" -gt 12 -a "$(execs alone xenabi-cc)" = 0

# XENABI_STATS says how the compiles ran.
XENABI_STATS=1 run_status 0 "a served scan's figures" scan --release s \
	--tree "$MINI" --db "$TMP/s.db"
check "say every compile was served" \
	grep -q -E '^xenabi: stats: compiles: [1-9][0-9]* by clang kept running, 0 as clang processes$' "$TMP/err"
XENABI_STATS=1 XENABI_CC_SERVER=0 run_status 0 "an unserved scan's figures" \
	scan --release s --tree "$MINI" --db "$TMP/s2.db"
check "say none was" \
	grep -q -E '^xenabi: stats: compiles: 0 by clang kept running, [1-9][0-9]* as clang processes$' "$TMP/err"

# A clang on PATH that is not the one the server was built for: processes.
mkdir "$TMP/bin"
printf '#!/bin/sh\nexec %s "$@"\n' "$CLANG" >"$TMP/bin/clang"
chmod +x "$TMP/bin/clang"
PATH=$TMP/bin:$PATH traced other scan --release t --tree "$MINI" --db "$TMP/t3.db"
check "another clang on PATH is run as processes" \
	test "$(execs other xenabi-cc)" = 0 -a "$(execs other clang)" -gt 12

# A server that cannot serve says so and exits 2: processes, same records.
printf '#!/bin/sh\necho "xenabi-cc: built for another clang" >&2\nexit 2\n' \
	>"$TMP/cannot"
chmod +x "$TMP/cannot"
scan_as cannot "$MINI" XENABI_CC_SERVER="$TMP/cannot"
same cannot "a server that cannot serve leaves the scan to processes"

# A server that dies before it serves, of no limit of ours: this compile
# and the later ones are processes.
printf '#!/bin/sh\nhead -c 8 >/dev/null\nkill -9 $$\n' >"$TMP/dies"
chmod +x "$TMP/dies"
scan_as dies "$MINI" XENABI_CC_SERVER="$TMP/dies"
same dies "a server that dies before serving leaves the scan to processes"
# One killed a moment after it starts, after serving some: the compile it
# had is a process's, the next starts another server.
printf '#!/bin/sh\n"%s" "$@" &\nsleep 0.15\nkill -9 $!\n' "$SERVER" >"$TMP/killed"
chmod +x "$TMP/killed"
scan_as killed "$MINI" XENABI_CC_SERVER="$TMP/killed"
same killed "servers killed mid-scan cost their compile a process, not a result"

# A server that hangs meets the time limit as a compile would: the
# halving runs processes, which pass, and the scan says so.
printf '#!/bin/sh\nexec sleep 6133\n' >"$TMP/hangs"
chmod +x "$TMP/hangs"
XENABI_CC_SERVER=$TMP/hangs run_status 2 "a hung server is a compile past its time limit" \
	scan --release h --tree "$MINI" --time-limit 2 --db "$TMP/h.db"
error_line "one line: the limit, and that the checks passed" \
	"ran past its time limit of 2 s on the .* probe, though not when checking it"
check "no server left running" sh -c '! pgrep -f "^sleep 6133$" >/dev/null'

# Xen's own headers, as Debian installs them.
if [ -f /usr/include/xen/xen.h ]; then
	scan_as alone /usr/include/xen XENABI_CC_SERVER=0
	scan_as served /usr/include/xen
	same served "Xen 4.17's installed headers: the same records served"
else
	skip "no libxen-dev (/usr/include/xen)"
fi

done_testing
