-- xenabi database, schema version 6: what the sub-op cases of a
-- release's dispatchers use (the "dispatch" lines of lib/abirules.txt):
-- the members they read or write (".pfn_list") and whole objects copied
-- back to the guest ("copy_to_guest"), each with the case label it sits
-- under ('' for none).  A member appended for a new sub-op only is read
-- by no old caller's.  Releases stored before have none: scan them again
-- to add them.
CREATE TABLE subop_use (
	release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
	name TEXT NOT NULL,		-- .pfn_list, copy_to_guest
	subop TEXT NOT NULL,		-- XENMEM_access_op_set_access_multi; ''
	file TEXT NOT NULL,		-- xen/common/mem_access.c, from the top
	PRIMARY KEY (release_id, name, subop, file)
) WITHOUT ROWID;
