#!/bin/sh
# An interrupted scan (issue 13, item 10): SIGTERM or SIGHUP kills the
# programs it runs and removes its scratch directory before xenabi dies
# of the signal; nothing half-written is stored.
. "$(dirname "$0")/lib.sh"

# A compiler that takes its time: the scan is mid-probe when signalled.
cat >"$TMP/cc" <<'CC'
#!/bin/sh
exec sleep 300
CC
chmod +x "$TMP/cc"
mkdir "$TMP/scratch"

for num in 15 1; do
	sig=$(kill -l $num)
	XENABI_CC=$TMP/cc TMPDIR=$TMP/scratch "$XENABI" scan --release s \
		--tree "$FIXTURES/mini" --db "$DB" >/dev/null 2>&1 &
	pid=$!
	# Wait until the probes run.
	i=0
	while [ $i -lt 100 ] && ! pgrep -f 'sleep 3[0]0' >/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	check "SIG$sig: the scan was running its compiler" sh -c "pgrep -f 'sleep 3[0]0' >/dev/null"
	kill -$num $pid
	wait $pid
	st=$?
	check "SIG$sig: xenabi dies of it (status $st)" test $st = $((128 + num))
	check "SIG$sig: its compilers are gone" sh -c "! pgrep -f 'sleep 3[0]0' >/dev/null"
	check "SIG$sig: its scratch directory is gone" test -z "$(ls -A "$TMP/scratch")"
	check "SIG$sig: no release was stored" \
		sh -c "! '$XENABI' list releases --db '$DB' 2>/dev/null | grep -q '^s '"
done

done_testing
