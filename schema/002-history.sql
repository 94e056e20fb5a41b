-- xenabi database, schema version 2: the compat list of a release, and
-- indexes for looking one name up across every release (history) and a
-- release up by its tree hash (a stored scan reused).
CREATE INDEX layout_name ON layout (name);
CREATE INDEX cvalue_name ON cvalue (name);
CREATE INDEX declset_item_layout ON declset_item (layout_id);
CREATE INDEX constset_item_cvalue ON constset_item (cvalue_id);
CREATE INDEX release_file_declset ON release_file (declset_id);
CREATE INDEX release_file_constset ON release_file (constset_id);
CREATE INDEX release_tree ON release (tree_hash);

-- The structs Xen's compat layer declares laid out alike for 32- and
-- 64-bit x86 guests ("?" lines of xen/include/xlat.lst), per release.
CREATE TABLE compat_check (
	release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	header TEXT NOT NULL,
	PRIMARY KEY (release_id, name, header)
) WITHOUT ROWID;
