-- xenabi database, schema version 5: the public sub-op constants a
-- release's hypervisor names in the code that dispatches them (the
-- "dispatch" lines of lib/abirules.txt), per release.  A sub-op a
-- dispatcher no longer names falls to its default case and is refused.
-- A row with an empty name says the file was read.  Releases stored
-- before have none: scan them again to add them.
CREATE TABLE dispatch (
	release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
	name TEXT NOT NULL,		-- HVMOP_set_mem_access; '': file read
	file TEXT NOT NULL,		-- xen/arch/x86/hvm/hvm.c, from the top
	PRIMARY KEY (release_id, name, file)
) WITHOUT ROWID;
