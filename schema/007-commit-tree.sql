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

-- What log found between two trees (findings as diff --format json has
-- them, over the ABIs compared), so that a log run again reads them back
-- instead of loading and comparing the scans.  rules is the digest of
-- what decides findings (xenabi's version and its library as built),
-- abis the ABIs asked for (0: every one both trees have).
CREATE TABLE tree_diff (
	old_tree TEXT NOT NULL,
	new_tree TEXT NOT NULL,
	rules TEXT NOT NULL,
	abis INTEGER NOT NULL,
	compared INTEGER NOT NULL,	-- the ABIs compared, a mask
	findings TEXT NOT NULL,
	PRIMARY KEY (old_tree, new_tree, rules, abis)
) WITHOUT ROWID;
