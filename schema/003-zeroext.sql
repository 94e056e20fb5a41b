-- xenabi database, schema version 3: the HVM save records a release's
-- hypervisor loads zero-extended (hvm_load_entry_zeroextend(TYPE, ...)
-- in xen/arch/x86), which may grow at their tail, per release.
CREATE TABLE zeroext (
	release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
	name TEXT NOT NULL,		-- the save type: CPU, LAPIC
	tag TEXT NOT NULL,		-- the struct it loads: hvm_hw_cpu ('' unknown)
	file TEXT NOT NULL,		-- where it is loaded, from the tree's top
	PRIMARY KEY (release_id, name, file)
) WITHOUT ROWID;
