#!/bin/sh
# A repository git refuses (another user's: "dubious ownership") is
# reported in git's words with what to do, not as "not a git repository";
# the user's own safe.directory, from their config, is honoured.
. "$(dirname "$0")/lib.sh"

command -v git >/dev/null || { echo "1..0 # skip git is not installed"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "1..0 # skip needs root to give a repository to another user"; exit 0; }
REPO=$TMP/xen
mkdir -p "$REPO" && cp -r "$FIXTURES/mini/." "$REPO/" &&
	git -C "$REPO" init -q && git -C "$REPO" add -A &&
	git -C "$REPO" -c user.name=xenabi -c user.email=xenabi@example.org \
		-c commit.gpgsign=false commit -q -m mini ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }
chown -R 65534 "$REPO" 2>/dev/null ||
	{ echo "1..0 # skip cannot give the repository to uid 65534"; exit 0; }
# No config but the test's: a system or user safe.directory would trust it.
export HOME=$TMP/home GIT_CONFIG_NOSYSTEM=1 XDG_CONFIG_HOME=$TMP/home/.config
if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
	echo "1..0 # skip this git trusts another user's repository"
	exit 0
fi

run_status 2 "scan another user's repository" scan --git "$REPO" --rev HEAD \
	--release x --db "$DB"
error_line "git's reason, and what to do" \
	"git refuses repository '$REPO': detected dubious ownership in repository at '$REPO'; if you trust it: git config --global --add safe.directory $REPO\$"
run_status 2 "baselines generate" baselines generate --git "$REPO" \
	--db "$TMP/gen.db" "$TMP/gen"
error_line "says the same" "git refuses repository '$REPO': detected dubious ownership"
check "and writes no baselines" test ! -e "$TMP/gen"

# Trusted the way git says (here for one command), it is read.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0=$REPO
run_status 0 "once the user trusts it" scan --git "$REPO" --rev HEAD \
	--release x --db "$DB"

done_testing
