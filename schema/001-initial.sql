-- xenabi database, schema version 1.
--
-- A unit is one (ABI, view) pair, numbered abi * 2 + view with ABIs
-- x86_32, x86_64, arm32, arm64 and views tools, guest; "units" columns
-- are bit masks over those numbers.  Layouts and constant values are
-- content-addressed (digest = sha256 of the record without its file and
-- line), so a layout that did not change between releases, or between
-- ABIs, is stored once.

CREATE TABLE release (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	source TEXT NOT NULL,
	tree_hash TEXT NOT NULL,
	scanned_at TEXT NOT NULL,
	units INTEGER NOT NULL		-- the units that were probed
);

CREATE TABLE file (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE	-- relative to the public directory
);

CREATE TABLE layout (
	id INTEGER PRIMARY KEY,
	digest BLOB NOT NULL UNIQUE,
	kind INTEGER NOT NULL,		-- 0 struct, 1 union, 2 enum, 3 typedef
	name TEXT NOT NULL,
	target TEXT NOT NULL,		-- typedefs: the type named
	size INTEGER NOT NULL,
	align INTEGER NOT NULL
);

-- What a member's type is, shared by every member of that type: most
-- members are a uint32_t or a uint64_t, and their strings are stored once.
CREATE TABLE mtype (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL,
	base TEXT NOT NULL,
	dims TEXT NOT NULL,
	base_class INTEGER NOT NULL,	-- 0 int, 1 float, 2 pointer, 3 struct, 4 other
	size INTEGER NOT NULL,
	bits INTEGER NOT NULL,
	is_signed INTEGER NOT NULL,
	UNIQUE (type, base, dims, base_class, size, bits, is_signed)
);

-- Members of structs and unions; enumerators of enums (name, value).
CREATE TABLE member (
	layout_id INTEGER NOT NULL REFERENCES layout(id) ON DELETE CASCADE,
	idx INTEGER NOT NULL,
	name TEXT NOT NULL,
	mtype_id INTEGER NOT NULL REFERENCES mtype(id),
	offset INTEGER NOT NULL,
	bit_offset INTEGER NOT NULL,
	bit_size INTEGER NOT NULL,
	value INTEGER NOT NULL,
	PRIMARY KEY (layout_id, idx)
) WITHOUT ROWID;

-- What one header declares: layouts with their line and units.  A set is
-- content-addressed too, so a header whose layouts did not change between
-- two releases (most of them) is one set shared by both.
CREATE TABLE declset (
	id INTEGER PRIMARY KEY,
	digest BLOB NOT NULL UNIQUE
);

CREATE TABLE declset_item (
	declset_id INTEGER NOT NULL REFERENCES declset(id) ON DELETE CASCADE,
	layout_id INTEGER NOT NULL REFERENCES layout(id),
	line INTEGER NOT NULL,
	units INTEGER NOT NULL,
	PRIMARY KEY (declset_id, layout_id, line)
) WITHOUT ROWID;

CREATE TABLE cvalue (
	id INTEGER PRIMARY KEY,
	digest BLOB NOT NULL UNIQUE,
	name TEXT NOT NULL,
	text TEXT NOT NULL,
	class INTEGER NOT NULL,		-- 0 int, 1 string, 2 other, 3 enumerator
	value INTEGER NOT NULL,		-- the 64 bits of the value
	width INTEGER NOT NULL,		-- bytes of the expression's type
	is_signed INTEGER NOT NULL,
	str TEXT NOT NULL
);

CREATE TABLE constset (
	id INTEGER PRIMARY KEY,
	digest BLOB NOT NULL UNIQUE
);

CREATE TABLE constset_item (
	constset_id INTEGER NOT NULL REFERENCES constset(id) ON DELETE CASCADE,
	cvalue_id INTEGER NOT NULL REFERENCES cvalue(id),
	line INTEGER NOT NULL,
	units INTEGER NOT NULL,
	PRIMARY KEY (constset_id, cvalue_id, line)
) WITHOUT ROWID;

-- A release is the sets of its headers.
CREATE TABLE release_file (
	release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
	file_id INTEGER NOT NULL REFERENCES file(id),
	declset_id INTEGER REFERENCES declset(id),
	constset_id INTEGER REFERENCES constset(id),
	PRIMARY KEY (release_id, file_id)
) WITHOUT ROWID;

-- Headers left out of a unit's probe, with the compiler's first error.
CREATE TABLE failure (
	release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
	unit INTEGER NOT NULL,
	header TEXT NOT NULL,
	message TEXT NOT NULL,
	PRIMARY KEY (release_id, unit, header)
) WITHOUT ROWID;
