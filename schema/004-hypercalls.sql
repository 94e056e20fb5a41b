-- xenabi database, schema version 4: how many type and constant names a
-- release has, counted when it is written ('list releases' read them
-- back instead of counting every call; NULL for a release stored before,
-- which is counted then), and a release's hypercall table (which
-- handler each kind of guest reaches for each hypercall, with its return
-- type and parameters) and the widths of those types per ABI.  Releases
-- stored before have none: scan them again to add it.
CREATE TABLE hypercall (
	release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
	name TEXT NOT NULL,		-- memory_op
	number TEXT NOT NULL,		-- the public __HYPERVISOR_ name whose
					-- number it has, when not its own
					-- (paging_domctl_cont: arch_1); ''
	kind TEXT NOT NULL,		-- pv32, pv64, hvm32, hvm64, arm
	handler TEXT NOT NULL,		-- compat_memory_op
	priority INTEGER NOT NULL,	-- the table's :N; 0 none
	optional INTEGER NOT NULL,	-- only with an optional CONFIG_ feature
	rettype TEXT NOT NULL,
	params TEXT NOT NULL,
	file TEXT NOT NULL,		-- the table's file, from the tree's top
	PRIMARY KEY (release_id, name, kind)
) WITHOUT ROWID;

CREATE TABLE ctype (
	release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
	abi INTEGER NOT NULL,		-- 0 x86_32, 1 x86_64, 2 arm32, 3 arm64
	type TEXT NOT NULL,
	size INTEGER NOT NULL,
	is_signed INTEGER NOT NULL,
	PRIMARY KEY (release_id, abi, type)
) WITHOUT ROWID;

ALTER TABLE release ADD COLUMN ntypes INTEGER;
ALTER TABLE release ADD COLUMN nconsts INTEGER;
