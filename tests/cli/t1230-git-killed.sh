#!/bin/sh
# A git that dies of a signal is one line naming the git command and the
# signal; before, the reason was empty, or the repository "not a git
# repository", or the kill went unseen and the release took another name.
. "$(dirname "$0")/lib.sh"

REAL_GIT=$(command -v git) || { echo "1..0 # skip git is not installed"; exit 0; }
REPO=$TMP/xen
g() { git -C "$REPO" -c user.name=xenabi -c user.email=xenabi@example.org \
	-c commit.gpgsign=false -c tag.gpgsign=false "$@" >/dev/null 2>&1; }
mkdir -p "$REPO" && cp -r "$FIXTURES/mini/." "$REPO/" &&
	g init -q && g add -A && g commit -q -m mini && g tag RELEASE-9.1.0 &&
	g commit -q --allow-empty -m untagged ||
	{ echo "Bail out! cannot build the test repository"; exit 2; }

# git, killed by signal 9 when its arguments hold $KILL_AT.
mkdir "$TMP/bin"
cat >"$TMP/bin/git" <<EOF
#!/bin/sh
case " \$* " in
*" \$KILL_AT "*) kill -9 \$\$ ;;
esac
exec "$REAL_GIT" "\$@"
EOF
chmod +x "$TMP/bin/git"
export PATH="$TMP/bin:$PATH"

# killed AT REV DESC: scan REV with git killed at AT; one line names both.
killed() {
	export KILL_AT="$1"
	run_status 2 "git killed at $1 ($3)" scan --git "$REPO" --rev "$2" \
		--db "$DB"
	error_line "says git ${1%% *} died of signal 9" \
		"git ${1%% *} on '[^']*'.* died of signal 9 \(Killed\)\$"
}
killed "rev-parse --git-dir" HEAD "is it a repository"
killed "rev-parse --verify" HEAD "the commit"
killed "ls-tree" HEAD "the file list"
killed "cat-file --batch" HEAD "the files"
killed "cat-file commit" HEAD "the date"
killed "show-ref" RELEASE-9.1.0 "is it a tag"
killed "describe" HEAD "the tag of a commit"
killed "rev-parse --short=12" HEAD "the short id"
export KILL_AT="tag -l"
run_status 2 "git killed listing tags" baselines generate --git "$REPO" \
	--db "$TMP/gen.db" "$TMP/gen"
error_line "says so" "git tag on '[^']*' died of signal 9 \(Killed\)\$"

export KILL_AT=nothing
run_status 0 "the same git, not killed" scan --git "$REPO" --rev RELEASE-9.1.0 \
	--db "$DB"

done_testing
