-- xenabi database, schema version 2: indexes for looking one name up
-- across every release (history), and a release by its tree hash (a
-- stored scan reused).
CREATE INDEX layout_name ON layout (name);
CREATE INDEX cvalue_name ON cvalue (name);
CREATE INDEX declset_item_layout ON declset_item (layout_id);
CREATE INDEX constset_item_cvalue ON constset_item (cvalue_id);
CREATE INDEX release_file_declset ON release_file (declset_id);
CREATE INDEX release_file_constset ON release_file (constset_id);
CREATE INDEX release_tree ON release (tree_hash);
