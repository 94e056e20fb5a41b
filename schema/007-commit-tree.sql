-- xenabi database, schema version 7: the tree a git commit holds, for
-- `xenabi log`, so that a commit seen before costs one lookup instead of
-- a checkout.  inputs is the digest of what this xenabi reads (its
-- version, scan format and manifests): another xenabi may read other
-- files, and looks the commit up afresh.  The scans of commits that no
-- release shares are releases named ".git-COMMIT": a name no user can
-- give, kept out of the release lists and of history.
CREATE TABLE commit_tree (
	commit_id TEXT NOT NULL,
	inputs TEXT NOT NULL,
	tree_hash TEXT NOT NULL,
	PRIMARY KEY (commit_id, inputs)
) WITHOUT ROWID;
