/* SPDX-License-Identifier: MIT */
/*
 * store: the sqlite schema and its upgrades, writing a release in one
 * transaction, reading it back.  The only file that includes sqlite3.h;
 * knows records, not diffs.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xa.h"

struct xenabi_db {
	sqlite3 *db;
	char *path;
};

/* A writer waits this long for another writer before giving up. */
#define XA_BUSY_TIMEOUT_MS 120000

int xenabi_schema_version(void)
{
	return xa_schema_steps[xa_schema_nsteps - 1].version;
}

static int db_error(struct xenabi_ctx *ctx, struct xenabi_db *db,
		    const char *what)
{
	int code = sqlite3_errcode(db->db);

	if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
		return xa_error(ctx, XENABI_EDB,
				"cannot %s database '%s': %s; give another "
				"file with --db", what, db->path,
				sqlite3_errmsg(db->db));
	if (code == SQLITE_BUSY)
		return xa_error(ctx, XENABI_EDB,
				"database '%s' is locked by another writer; "
				"try again when it finishes", db->path);
	if (code == SQLITE_READONLY)
		return xa_error(ctx, XENABI_EDB,
				"database '%s' is read-only (a write needs the "
				"file and its directory writable); give "
				"another with --db", db->path);
	return xa_error(ctx, XENABI_EDB, "cannot %s database '%s': %s", what,
			db->path, sqlite3_errmsg(db->db));
}

static int exec(struct xenabi_ctx *ctx, struct xenabi_db *db, const char *sql,
		const char *what)
{
	if (sqlite3_exec(db->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(ctx, db, what);
	return 0;
}

static int query_int(struct xenabi_db *db, const char *sql, long long *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int mkdir_parents(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

/*
 * The schema version of db, 0 for an empty file.  Refused: a newer
 * schema, and another program's tables.
 */
static int schema_version(struct xenabi_ctx *ctx, struct xenabi_db *db,
			  long long *version, const char *what)
{
	long long tables;

	if (query_int(db, "PRAGMA user_version", version) != SQLITE_OK ||
	    query_int(db, "SELECT count(*) FROM sqlite_master", &tables) !=
		    SQLITE_OK)
		return db_error(ctx, db, what);
	if (*version > xenabi_schema_version())
		return xa_error(ctx, XENABI_ESCHEMA,
				"database '%s' has schema version %lld, newer "
				"than this xenabi supports (%d); upgrade xenabi",
				db->path, *version, xenabi_schema_version());
	if (*version == 0 && tables)
		return xa_error(ctx, XENABI_EDB,
				"'%s' is an sqlite database but not a xenabi "
				"one; give another file with --db", db->path);
	return 0;
}

/*
 * Bring the schema up to date.  The version is read again under the write
 * lock, so two processes creating one database do not both create it.
 */
static int upgrade(struct xenabi_ctx *ctx, struct xenabi_db *db)
{
	const char *what = "upgrade";
	long long version;
	int ret;

	if ((ret = schema_version(ctx, db, &version, "open")))
		return ret;
	if (version == xenabi_schema_version())
		return 0;
	if (!version)
		what = "create";
	if ((ret = exec(ctx, db, "BEGIN IMMEDIATE", what)))
		return ret;
	if ((ret = schema_version(ctx, db, &version, what)))
		goto rollback;
	for (size_t i = 0; i < xa_schema_nsteps; i++) {
		char pragma[64];

		if (xa_schema_steps[i].version <= version)
			continue;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
			 xa_schema_steps[i].version);
		if ((ret = exec(ctx, db, xa_schema_steps[i].sql, what)) ||
		    (ret = exec(ctx, db, pragma, what)))
			goto rollback;
	}
	return exec(ctx, db, "COMMIT", what);
rollback:
	sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}

/*
 * Whether a quick_check row is one of the false "NULL value in T.C" that
 * sqlite 3.40.0 to 3.41.0 report for a WITHOUT ROWID table whose key is
 * not in column order (zeroext): the column is read to see.  typeof(),
 * because "C IS NULL" is taken as false for a NOT NULL column.
 */
static bool false_null(struct xenabi_db *db, const char *row)
{
	static const char prefix[] = "NULL value in ";
	const char *dot;
	char *table, *sql;
	sqlite3_stmt *st;
	int rc;

	if (strncmp(row, prefix, strlen(prefix)))
		return false;
	row += strlen(prefix);
	if (!(dot = strchr(row, '.')) || !(table = strndup(row, dot - row)))
		return false;
	sql = sqlite3_mprintf("SELECT 1 FROM \"%w\" WHERE typeof(\"%w\") = "
			      "'null' LIMIT 1", table, dot + 1);
	free(table);
	if (!sql)
		return false;
	rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return false;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE;
}

/*
 * Refuse to write to a damaged file: a write may fail half-way over a bad
 * page, or go around it and leave "malformed" for the next read.
 * quick_check reads every page, O(size) but without integrity_check's
 * index cross-checks: 10-25 ms for 10 MB (the shipped baselines), little
 * beside a scan.  Its first row is the b-tree's (every page); the rows
 * after it are NOT NULL and CHECK constraints.
 */
static int check_damage(struct xenabi_ctx *ctx, struct xenabi_db *db)
{
	sqlite3_stmt *st;
	char *damage = NULL, *cleared = NULL;
	int rc = sqlite3_prepare_v2(db->db, "PRAGMA quick_check", -1, &st,
				    NULL);

	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		const char *line;

		/* A false row comes once per row of its table: read it once. */
		if (!row || !strcmp(row, "ok") ||
		    (cleared && !strcmp(row, cleared))) {
			rc = SQLITE_OK;
			continue;
		}
		if (false_null(db, row)) {
			free(cleared);
			cleared = strdup(row);
			rc = SQLITE_OK;
			continue;
		}
		/* "*** in database main ***\nPage 5: ...\n...": one line. */
		line = strncmp(row, "***", 3) || !strchr(row, '\n')
			       ? row : strchr(row, '\n') + 1;
		damage = strndup(line, strcspn(line, "\n"));
		if (!damage) {
			sqlite3_finalize(st);
			free(cleared);
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
		break;
	}
	sqlite3_finalize(st);
	free(cleared);
	if (!damage && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		if (rc != SQLITE_CORRUPT && rc != SQLITE_NOTADB)
			return db_error(ctx, db, "check");
		damage = strdup(sqlite3_errmsg(db->db));
		if (!damage)
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	if (!damage)
		return 0;
	rc = xa_error(ctx, XENABI_EDB,
		      "database '%s' is damaged (sqlite: %s): nothing was "
		      "written; restore it from a copy, or remove it and scan "
		      "again", db->path, damage);
	free(damage);
	return rc;
}

/* Whether a -wal or -journal with something in it is beside path. */
static bool log_beside(const char *path)
{
	static const char *const suffix[] = { "-wal", "-journal" };
	char name[PATH_MAX];
	struct stat st;

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		if (snprintf(name, sizeof(name), "%s%s", path, suffix[i]) >=
		    (int)sizeof(name))
			return true;
		if (!stat(name, &st) && st.st_size > 0)
			return true;
	}
	return false;
}

/* path as an sqlite URI opening it immutable; NULL: out of memory. */
static char *immutable_uri(const char *path)
{
	static const char keep[] = "/._-";
	char *uri = malloc(3 * strlen(path) + sizeof("file://?immutable=1"));
	char *p = uri;

	if (!uri)
		return NULL;
	/* An empty authority, so that "//x" stays a path. */
	p += sprintf(p, "file:%s", *path == '/' ? "//" : "");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(keep, *s))
			*p++ = (char)*s;
		else
			p += sprintf(p, "%%%02X", *s);
	}
	strcpy(p, "?immutable=1");
	return uri;
}

/* Open db->path read-only and read its schema version; nothing written. */
static int open_read(struct xenabi_ctx *ctx, struct xenabi_db *db,
		     long long *version)
{
	int rc = sqlite3_open_v2(db->path, &db->db, SQLITE_OPEN_READONLY |
				 SQLITE_OPEN_NOMUTEX, NULL);
	char *uri;

	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db->db, XA_BUSY_TIMEOUT_MS);
		sqlite3_extended_result_codes(db->db, 0);
		rc = query_int(db, "PRAGMA user_version", version);
	}
	/*
	 * A WAL database is read with a -shm file beside it that its
	 * readers share; in a directory we cannot write it cannot be made
	 * (sqlite's wal.html, "Read-Only Databases").  With no log beside
	 * it, the file holds every commit, and no writer can start one (its
	 * log would be made in this directory too): it is read as immutable,
	 * with no locks and no -shm.  With a log, only a writer can read it.
	 */
	if ((rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN) &&
	    !access(db->path, R_OK)) {
		if (log_beside(db->path))
			return xa_error(ctx, XENABI_EDB,
					"cannot read database '%s' without "
					"writing to it: it has a log beside it "
					"(sqlite: %s); copy it and its -wal or "
					"-journal somewhere writable and give "
					"the copy with --db", db->path,
					db->db ? sqlite3_errmsg(db->db)
					       : "out of memory");
		if (!(uri = immutable_uri(db->path)))
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		sqlite3_close(db->db);
		rc = sqlite3_open_v2(uri, &db->db, SQLITE_OPEN_READONLY |
				     SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
				     NULL);
		free(uri);
		if (rc == SQLITE_OK) {
			sqlite3_extended_result_codes(db->db, 0);
			rc = query_int(db, "PRAGMA user_version", version);
		}
	}
	if (rc == SQLITE_OK)
		return 0;
	if (!db->db)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return db_error(ctx, db, "open");
}

/*
 * Read an older schema as the upgrade would make it: from a copy in
 * memory, upgraded there, so that the file is not changed and every
 * query has one form.  Costs memory the size of the file, until a
 * write upgrades it.
 */
static int read_upgraded(struct xenabi_ctx *ctx, struct xenabi_db *db)
{
	sqlite3 *mem = NULL;
	sqlite3_backup *copy;
	int rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE |
				 SQLITE_OPEN_NOMUTEX, NULL);

	if (rc == SQLITE_OK) {
		copy = sqlite3_backup_init(mem, "main", db->db, "main");
		rc = copy ? sqlite3_backup_step(copy, -1)
			  : sqlite3_errcode(mem);
		if (copy && sqlite3_backup_finish(copy) != SQLITE_OK &&
		    rc == SQLITE_DONE)
			rc = sqlite3_errcode(mem);
	}
	if (rc != SQLITE_DONE) {
		sqlite3_close(mem);
		return xa_error(ctx, XENABI_EDB, "cannot read database '%s': "
				"%s", db->path, sqlite3_errstr(rc));
	}
	sqlite3_close(db->db);
	db->db = mem;
	sqlite3_extended_result_codes(db->db, 0);
	return upgrade(ctx, db);
}

/*
 * Make a new database's file, so that a failed creation knows the file
 * is its own to remove.  false: it was there already (another process
 * creating it too) or is not a file (":memory:").
 */
static bool make_file(const char *path, struct stat *made)
{
	int fd;

	if (!strcmp(path, ":memory:"))
		return false;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	if (fstat(fd, made)) {
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

/*
 * Remove the file make_file() made when it is still that file and holds
 * nothing (sqlite rolls a failed creation back to 0 bytes): on a full
 * disk a scan leaves no empty database behind.  A second scan creating
 * it at the same moment has it open, and fails on the same full disk.
 */
static void unmake_file(const char *path, const struct stat *made)
{
	struct stat st;

	if (!stat(path, &st) && st.st_dev == made->st_dev &&
	    st.st_ino == made->st_ino && st.st_size == 0)
		unlink(path);
}

struct xenabi_db *xenabi_db_open(struct xenabi_ctx *ctx, const char *path,
				 enum xenabi_db_mode mode)
{
	struct xenabi_db *db = calloc(1, sizeof(*db));
	struct stat st, made_st;
	bool made = false;
	long long version;
	int rc, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if (!db || !(db->path = strdup(path))) {
		xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto fail;
	}
	if (stat(path, &st)) {
		if (mode != XENABI_DB_CREATE) {
			xa_error(ctx, XENABI_ENOTFOUND,
				 "no database '%s': scan a release first "
				 "(xenabi scan) or give one with --db", path);
			goto fail;
		}
		if (mkdir_parents(path)) {
			xa_error(ctx, XENABI_EIO,
				 "cannot create the directory of database "
				 "'%s': %s", path, strerror(errno));
			goto fail;
		}
		made = make_file(path, &made_st);
		flags |= SQLITE_OPEN_CREATE;
	} else if (!S_ISREG(st.st_mode)) {
		xa_error(ctx, XENABI_EDB, "database '%s' is not a file", path);
		goto fail;
	}
	if (mode == XENABI_DB_READ) {
		if (open_read(ctx, db, &version) ||
		    schema_version(ctx, db, &version, "open"))
			goto fail;
		if (!version) {
			xa_error(ctx, XENABI_EDB,
				 "database '%s' is empty: scan a release into "
				 "it first (xenabi scan) or give another with "
				 "--db", path);
			goto fail;
		}
		if (version < xenabi_schema_version() &&
		    read_upgraded(ctx, db))
			goto fail;
		return db;
	}
	rc = sqlite3_open_v2(path, &db->db, flags, NULL);
	if (rc != SQLITE_OK) {
		xa_error(ctx, XENABI_EDB,
			 "cannot open database '%s': %s; check that its "
			 "directory is writable or give another with --db",
			 path, db->db ? sqlite3_errmsg(db->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->db, XA_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->db, 0);
	/* sqlite opens a file it cannot write read-only, and says nothing. */
	if (sqlite3_db_readonly(db->db, "main") == 1) {
		xa_error(ctx, XENABI_EDB,
			 "database '%s' is read-only (a write needs the file "
			 "and its directory writable); give another with --db",
			 path);
		goto fail;
	}
	if (exec(ctx, db, "PRAGMA foreign_keys = ON", "open") ||
	    check_damage(ctx, db) || upgrade(ctx, db))
		goto fail;
	/* WAL: readers never wait for a scan, and a scan never for readers. */
	sqlite3_exec(db->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	return db;
fail:
	xenabi_db_close(db);
	if (made)
		unmake_file(path, &made_st);
	return NULL;
}

struct xenabi_db *xenabi_db_open_readonly(struct xenabi_ctx *ctx,
					  const char *path)
{
	struct xenabi_db *db = calloc(1, sizeof(*db));
	long long version;

	if (!db || !(db->path = strdup(path))) {
		xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto fail;
	}
	if (open_read(ctx, db, &version))
		goto fail;
	if (version != xenabi_schema_version()) {
		xa_error(ctx, XENABI_ESCHEMA, "database '%s' has schema version "
			 "%lld and this xenabi reads %d as it is",
			 path, version, xenabi_schema_version());
		goto fail;
	}
	return db;
fail:
	xenabi_db_close(db);
	return NULL;
}

int xenabi_db_seal(struct xenabi_ctx *ctx, struct xenabi_db *db)
{
	int ret = exec(ctx, db, "PRAGMA journal_mode = DELETE", "write to");

	return ret ? ret : exec(ctx, db, "VACUUM", "write to");
}

const char *xenabi_db_path(const struct xenabi_db *db)
{
	return db->path;
}

void xenabi_db_close(struct xenabi_db *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	free(db->path);
	free(db);
}

char *xenabi_default_db_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *path = NULL;

	if (xdg && *xdg == '/') {
		if (asprintf(&path, "%s/xenabi/xenabi.db", xdg) < 0)
			path = NULL;
	} else if (home && *home) {
		if (asprintf(&path, "%s/.local/share/xenabi/xenabi.db", home) < 0)
			path = NULL;
	}
	return path;
}

/* Release names in version order, for qsort of char *. */
static int name_version_cmp(const void *a, const void *b)
{
	return xenabi_release_name_cmp(*(char *const *)a, *(char *const *)b);
}

/* ---- writing a release -------------------------------------------------- */

enum {
	ST_FILE_GET, ST_FILE_PUT,
	ST_LAYOUT_GET, ST_LAYOUT_PUT, ST_MTYPE_GET, ST_MTYPE_PUT, ST_MEMBER_PUT,
	ST_DECLSET_GET, ST_DECLSET_PUT, ST_DECLSET_ITEM_PUT,
	ST_CVALUE_GET, ST_CVALUE_PUT,
	ST_CONSTSET_GET, ST_CONSTSET_PUT, ST_CONSTSET_ITEM_PUT,
	ST_RELFILE_DECLS, ST_RELFILE_CONSTS,
	ST_FAILURE_PUT,
	ST_COMPAT_PUT,
	ST_ZEROEXT_PUT,
	ST_DISPATCH_PUT,
	ST_USE_PUT,
	ST_HYPERCALL_PUT,
	ST_CTYPE_PUT,
	ST_COUNT
};

static const char *const put_sql[ST_COUNT] = {
	[ST_FILE_GET] = "SELECT id FROM file WHERE path = ?1",
	[ST_FILE_PUT] = "INSERT INTO file (path) VALUES (?1)",
	[ST_LAYOUT_GET] = "SELECT id FROM layout WHERE digest = ?1",
	[ST_LAYOUT_PUT] = "INSERT INTO layout (digest, kind, name, target, "
			  "size, align) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_MTYPE_GET] = "SELECT id FROM mtype WHERE type = ?1 AND base = ?2 AND "
			 "dims = ?3 AND base_class = ?4 AND size = ?5 AND "
			 "bits = ?6 AND is_signed = ?7",
	[ST_MTYPE_PUT] = "INSERT INTO mtype (type, base, dims, base_class, size, "
			 "bits, is_signed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_MEMBER_PUT] = "INSERT INTO member (layout_id, idx, name, mtype_id, "
			  "offset, bit_offset, bit_size, value) VALUES (?1, ?2, "
			  "?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_DECLSET_GET] = "SELECT id FROM declset WHERE digest = ?1",
	[ST_DECLSET_PUT] = "INSERT INTO declset (digest) VALUES (?1)",
	[ST_DECLSET_ITEM_PUT] = "INSERT INTO declset_item (declset_id, "
				"layout_id, line, units) VALUES (?1, ?2, ?3, ?4)",
	[ST_CVALUE_GET] = "SELECT id FROM cvalue WHERE digest = ?1",
	[ST_CVALUE_PUT] = "INSERT INTO cvalue (digest, name, text, class, value, "
			  "width, is_signed, str) VALUES (?1, ?2, ?3, ?4, ?5, "
			  "?6, ?7, ?8)",
	[ST_CONSTSET_GET] = "SELECT id FROM constset WHERE digest = ?1",
	[ST_CONSTSET_PUT] = "INSERT INTO constset (digest) VALUES (?1)",
	[ST_CONSTSET_ITEM_PUT] = "INSERT INTO constset_item (constset_id, "
				 "cvalue_id, line, units) VALUES (?1, ?2, ?3, ?4)",
	[ST_RELFILE_DECLS] = "INSERT INTO release_file (release_id, file_id, "
			     "declset_id) VALUES (?1, ?2, ?3) ON CONFLICT DO "
			     "UPDATE SET declset_id = excluded.declset_id",
	[ST_RELFILE_CONSTS] = "INSERT INTO release_file (release_id, file_id, "
			      "constset_id) VALUES (?1, ?2, ?3) ON CONFLICT DO "
			      "UPDATE SET constset_id = excluded.constset_id",
	[ST_FAILURE_PUT] = "INSERT OR REPLACE INTO failure (release_id, unit, "
			   "header, message) VALUES (?1, ?2, ?3, ?4)",
	[ST_COMPAT_PUT] = "INSERT OR IGNORE INTO compat_check (release_id, name, "
			  "header) VALUES (?1, ?2, ?3)",
	[ST_ZEROEXT_PUT] = "INSERT OR IGNORE INTO zeroext (release_id, name, tag, "
			   "file) VALUES (?1, ?2, ?3, ?4)",
	[ST_DISPATCH_PUT] = "INSERT OR IGNORE INTO dispatch (release_id, name, "
			    "file) VALUES (?1, ?2, ?3)",
	[ST_USE_PUT] = "INSERT OR IGNORE INTO subop_use (release_id, name, "
		       "subop, file) VALUES (?1, ?2, ?3, ?4)",
	[ST_HYPERCALL_PUT] = "INSERT OR IGNORE INTO hypercall (release_id, name, "
			     "kind, handler, priority, optional, rettype, params, "
			     "file, number) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			     "?8, ?9, ?10)",
	[ST_CTYPE_PUT] = "INSERT OR IGNORE INTO ctype (release_id, abi, type, "
			 "size, is_signed) VALUES (?1, ?2, ?3, ?4, ?5)",
};

struct file_slot {
	const char *path;
	sqlite3_int64 id;
};

struct writer {
	struct xenabi_ctx *ctx;
	struct xenabi_db *db;
	sqlite3_stmt *st[ST_COUNT];
	sqlite3_int64 release_id;
	struct xa_vec files;	/* struct file_slot: ids already known */
};

/*
 * A record on its way to the database, with the units it holds in: the
 * same layout declared at the same place in several units is one row.
 */
struct pending {
	uint8_t digest[32];
	const void *rec;
	const char *file;
	uint32_t line;
	long long units;
};

/* A slice of the records to digest: types or constants. */
struct digest_slice {
	struct pending *p;
	size_t n;
	bool types;
};

static void *digest_slice(void *arg)
{
	struct digest_slice *d = arg;

	for (size_t i = 0; i < d->n; i++) {
		if (d->types)
			xa_type_digest(d->p[i].rec, d->p[i].digest);
		else
			xa_const_digest(d->p[i].rec, d->p[i].digest);
	}
	return NULL;
}

/*
 * The records' digests, on every CPU: a release holds some 40,000, and
 * hashing them one after the other is most of what storing it costs.
 * A slice no thread could be made for is hashed here.
 */
static void digest_all(struct pending *types, size_t ntypes,
		      struct pending *consts, size_t nconsts)
{
	enum { SLICES = 8 };
	struct digest_slice slices[2 * SLICES];
	pthread_t threads[2 * SLICES];
	bool started[2 * SLICES] = { false };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t per = cpus > 1 ? (size_t)(cpus < SLICES ? cpus : SLICES) : 1;
	size_t n = 0;

	for (int kind = 0; kind < 2; kind++) {
		struct pending *p = kind ? consts : types;
		size_t total = kind ? nconsts : ntypes;

		for (size_t k = 0; k < per && total; k++) {
			size_t from = total * k / per, to = total * (k + 1) / per;

			slices[n] = (struct digest_slice){ p + from, to - from, !kind };
			n++;
		}
	}
	for (size_t i = 1; i < n; i++)
		started[i] = per > 1 &&
			     !pthread_create(&threads[i], NULL, digest_slice, &slices[i]);
	if (n)
		digest_slice(&slices[0]);
	for (size_t i = 1; i < n; i++) {
		if (started[i])
			pthread_join(threads[i], NULL);
		else
			digest_slice(&slices[i]);
	}
}

/* By file, then content, then line: a file's records are a run. */
static int pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if ((c = memcmp(x->digest, y->digest, sizeof(x->digest))))
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Equal file, digest and line become one with both units. */
static void pending_units(void *into, const void *from)
{
	((struct pending *)into)->units |= ((const struct pending *)from)->units;
}

static int step_done(struct writer *w, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_error(w->ctx, w->db, "write to");
}

static int file_id_lookup(struct writer *w, const char *path,
			  sqlite3_int64 *id);

/* Run a one-column SELECT bound to ?1; *id = 0 when there is no row. */
static int get_id(struct writer *w, sqlite3_stmt *st, sqlite3_int64 *id)
{
	int rc = sqlite3_step(st);

	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? 0 : db_error(w->ctx, w->db, "read");
}

static int file_id(struct writer *w, const char *path, sqlite3_int64 *id)
{
	struct file_slot *slot;
	int ret;

	for (size_t i = 0; i < w->files.len; i++) {
		slot = (struct file_slot *)w->files.data + i;
		if (!strcmp(slot->path, path)) {
			*id = slot->id;
			return 0;
		}
	}
	if ((ret = file_id_lookup(w, path, id)))
		return ret;
	slot = xa_vec_push(&w->files);
	if (!slot)
		return xa_error(w->ctx, XENABI_ENOMEM, "out of memory");
	slot->path = path;
	slot->id = *id;
	return 0;
}

static int file_id_lookup(struct writer *w, const char *path,
			  sqlite3_int64 *id)
{
	int ret;

	sqlite3_bind_text(w->st[ST_FILE_GET], 1, path, -1, SQLITE_STATIC);
	if ((ret = get_id(w, w->st[ST_FILE_GET], id)) || *id)
		return ret;
	sqlite3_bind_text(w->st[ST_FILE_PUT], 1, path, -1, SQLITE_STATIC);
	if ((ret = step_done(w, w->st[ST_FILE_PUT])))
		return ret;
	*id = sqlite3_last_insert_rowid(w->db->db);
	return 0;
}

static void bind_mtype(sqlite3_stmt *st, const struct xenabi_member *m)
{
	sqlite3_bind_text(st, 1, m->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->base, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->dims, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, m->base_class);
	sqlite3_bind_int64(st, 5, m->size);
	sqlite3_bind_int64(st, 6, m->bits);
	sqlite3_bind_int(st, 7, m->is_signed);
}

static int mtype_id(struct writer *w, const struct xenabi_member *m,
		    sqlite3_int64 *id)
{
	int ret;

	bind_mtype(w->st[ST_MTYPE_GET], m);
	if ((ret = get_id(w, w->st[ST_MTYPE_GET], id)) || *id)
		return ret;
	bind_mtype(w->st[ST_MTYPE_PUT], m);
	if ((ret = step_done(w, w->st[ST_MTYPE_PUT])))
		return ret;
	*id = sqlite3_last_insert_rowid(w->db->db);
	return 0;
}

static int layout_id(struct writer *w, const struct xenabi_type *t,
		     const uint8_t digest[32], sqlite3_int64 *id)
{
	sqlite3_stmt *st;
	int ret;

	sqlite3_bind_blob(w->st[ST_LAYOUT_GET], 1, digest, 32, SQLITE_STATIC);
	if ((ret = get_id(w, w->st[ST_LAYOUT_GET], id)) || *id)
		return ret;
	st = w->st[ST_LAYOUT_PUT];
	sqlite3_bind_blob(st, 1, digest, 32, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, t->kind);
	sqlite3_bind_text(st, 3, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->target ? t->target : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, t->size);
	sqlite3_bind_int64(st, 6, t->align);
	if ((ret = step_done(w, st)))
		return ret;
	*id = sqlite3_last_insert_rowid(w->db->db);
	st = w->st[ST_MEMBER_PUT];
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct xenabi_member *m = &t->members[i];
		sqlite3_int64 mtype;

		if ((ret = mtype_id(w, m, &mtype)))
			return ret;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, i);
		sqlite3_bind_text(st, 3, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, mtype);
		sqlite3_bind_int64(st, 5, m->offset);
		sqlite3_bind_int64(st, 6, m->bit_offset);
		sqlite3_bind_int64(st, 7, m->bit_size);
		sqlite3_bind_int64(st, 8, m->value);
		if ((ret = step_done(w, st)))
			return ret;
	}
	return 0;
}

static int cvalue_id(struct writer *w, const struct xenabi_const *c,
		     const uint8_t digest[32], sqlite3_int64 *id)
{
	sqlite3_stmt *st;
	int ret;

	sqlite3_bind_blob(w->st[ST_CVALUE_GET], 1, digest, 32, SQLITE_STATIC);
	if ((ret = get_id(w, w->st[ST_CVALUE_GET], id)) || *id)
		return ret;
	st = w->st[ST_CVALUE_PUT];
	sqlite3_bind_blob(st, 1, digest, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->text ? c->text : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, c->class);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)c->value);
	sqlite3_bind_int(st, 6, c->width);
	sqlite3_bind_int(st, 7, c->is_signed);
	sqlite3_bind_text(st, 8, c->str ? c->str : "", -1, SQLITE_STATIC);
	if ((ret = step_done(w, st)))
		return ret;
	*id = sqlite3_last_insert_rowid(w->db->db);
	return 0;
}

/*
 * Store one file's records as a set, shared with every release where the
 * file declares the same records at the same lines, and point the release
 * at it.  p[0..n) are the file's merged records; id_of() gives a record's
 * row (storing it if new).
 */
static int put_set(struct writer *w, const struct pending *p, size_t n,
		   int (*id_of)(struct writer *, const void *, const uint8_t *,
				sqlite3_int64 *),
		   int get, int put, int item, int relfile)
{
	sqlite3_int64 set_id, file, id;
	uint8_t digest[32];
	struct sha256_ctx sha;
	int ret;

	sha256_init(&sha);
	for (size_t i = 0; i < n; i++) {
		uint8_t tail[12];

		for (int b = 0; b < 4; b++)
			tail[b] = p[i].line >> (8 * b);
		for (int b = 0; b < 8; b++)
			tail[4 + b] = (uint64_t)p[i].units >> (8 * b);
		sha256_update(&sha, sizeof(p[i].digest), p[i].digest);
		sha256_update(&sha, sizeof(tail), tail);
	}
	sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
	sqlite3_bind_blob(w->st[get], 1, digest, 32, SQLITE_STATIC);
	if ((ret = get_id(w, w->st[get], &set_id)))
		return ret;
	if (!set_id) {
		sqlite3_bind_blob(w->st[put], 1, digest, 32, SQLITE_STATIC);
		if ((ret = step_done(w, w->st[put])))
			return ret;
		set_id = sqlite3_last_insert_rowid(w->db->db);
		for (size_t i = 0; i < n; i++) {
			if ((ret = id_of(w, p[i].rec, p[i].digest, &id)))
				return ret;
			sqlite3_bind_int64(w->st[item], 1, set_id);
			sqlite3_bind_int64(w->st[item], 2, id);
			sqlite3_bind_int64(w->st[item], 3, p[i].line);
			sqlite3_bind_int64(w->st[item], 4, p[i].units);
			if ((ret = step_done(w, w->st[item])))
				return ret;
		}
	}
	if ((ret = file_id(w, p[0].file, &file)))
		return ret;
	sqlite3_bind_int64(w->st[relfile], 1, w->release_id);
	sqlite3_bind_int64(w->st[relfile], 2, file);
	sqlite3_bind_int64(w->st[relfile], 3, set_id);
	return step_done(w, w->st[relfile]);
}

static int layout_id_of(struct writer *w, const void *rec,
			const uint8_t *digest, sqlite3_int64 *id)
{
	return layout_id(w, rec, digest, id);
}

static int cvalue_id_of(struct writer *w, const void *rec,
			const uint8_t *digest, sqlite3_int64 *id)
{
	return cvalue_id(w, rec, digest, id);
}

/* Each run of one file's records becomes that file's set. */
static int put_sets(struct writer *w, struct xa_vec *vec, bool types)
{
	const struct pending *p = vec->data;
	int ret = 0;

	for (size_t start = 0, end; start < vec->len && !ret; start = end) {
		for (end = start + 1; end < vec->len &&
				      !strcmp(p[end].file, p[start].file); end++)
			;
		ret = types ? put_set(w, p + start, end - start, layout_id_of,
				      ST_DECLSET_GET, ST_DECLSET_PUT,
				      ST_DECLSET_ITEM_PUT, ST_RELFILE_DECLS)
			    : put_set(w, p + start, end - start, cvalue_id_of,
				      ST_CONSTSET_GET, ST_CONSTSET_PUT,
				      ST_CONSTSET_ITEM_PUT, ST_RELFILE_CONSTS);
	}
	return ret;
}

static int put_records(struct writer *w, const struct xenabi_release *rel)
{
	struct xa_vec types, consts;
	int ret = 0;

	xa_vec_init(&types, sizeof(struct pending));
	xa_vec_init(&consts, sizeof(struct pending));
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		const struct xenabi_unit *unit = &rel->units[u];

		/* A unit not present may say why: its ABI did not exist. */
		for (size_t i = 0; i < unit->nfailures; i++) {
			sqlite3_stmt *st = w->st[ST_FAILURE_PUT];

			sqlite3_bind_int64(st, 1, w->release_id);
			sqlite3_bind_int(st, 2, u);
			sqlite3_bind_text(st, 3, unit->failures[i].header, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(st, 4, unit->failures[i].message, -1,
					  SQLITE_STATIC);
			if ((ret = step_done(w, st)))
				goto out;
		}
		if (!rel->present[u])
			continue;
		for (size_t i = 0; i < unit->ntypes; i++) {
			struct pending *p = xa_vec_push(&types);

			if (!p)
				goto oom;
			p->rec = &unit->types[i];
			p->file = unit->types[i].file ? unit->types[i].file : "";
			p->line = unit->types[i].line;
			p->units = 1LL << u;
		}
		for (size_t i = 0; i < unit->nconsts; i++) {
			struct pending *p = xa_vec_push(&consts);

			if (!p)
				goto oom;
			p->rec = &unit->consts[i];
			p->file = unit->consts[i].file ? unit->consts[i].file : "";
			p->line = unit->consts[i].line;
			p->units = 1LL << u;
		}
	}
	digest_all(types.data, types.len, consts.data, consts.len);
	for (size_t i = 0; i < rel->ncompat; i++) {
		sqlite3_stmt *st = w->st[ST_COMPAT_PUT];

		sqlite3_bind_int64(st, 1, w->release_id);
		sqlite3_bind_text(st, 2, rel->compat[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rel->compat[i].header, -1, SQLITE_STATIC);
		if ((ret = step_done(w, st)))
			goto out;
	}
	for (size_t i = 0; i < rel->nzeroext; i++) {
		sqlite3_stmt *st = w->st[ST_ZEROEXT_PUT];

		sqlite3_bind_int64(st, 1, w->release_id);
		sqlite3_bind_text(st, 2, rel->zeroext[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rel->zeroext[i].tag ? rel->zeroext[i].tag
							     : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, rel->zeroext[i].file, -1, SQLITE_STATIC);
		if ((ret = step_done(w, st)))
			goto out;
	}
	for (size_t i = 0; i < rel->ndispatch; i++) {
		sqlite3_stmt *st = w->st[ST_DISPATCH_PUT];

		sqlite3_bind_int64(st, 1, w->release_id);
		sqlite3_bind_text(st, 2, rel->dispatch[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rel->dispatch[i].file, -1, SQLITE_STATIC);
		if ((ret = step_done(w, st)))
			goto out;
	}
	for (size_t i = 0; i < rel->nuses; i++) {
		sqlite3_stmt *st = w->st[ST_USE_PUT];

		sqlite3_bind_int64(st, 1, w->release_id);
		sqlite3_bind_text(st, 2, rel->uses[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rel->uses[i].subop, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, rel->uses[i].file, -1, SQLITE_STATIC);
		if ((ret = step_done(w, st)))
			goto out;
	}
	for (size_t i = 0; i < rel->nhypercalls; i++) {
		const struct xenabi_hypercall *h = &rel->hypercalls[i];
		sqlite3_stmt *st = w->st[ST_HYPERCALL_PUT];

		sqlite3_bind_int64(st, 1, w->release_id);
		sqlite3_bind_text(st, 2, h->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, h->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, h->handler, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, h->priority);
		sqlite3_bind_int(st, 6, h->optional);
		sqlite3_bind_text(st, 7, h->rettype, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, h->params, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, h->file, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, h->number ? h->number : "", -1,
				  SQLITE_STATIC);
		if ((ret = step_done(w, st)))
			goto out;
	}
	for (size_t i = 0; i < rel->nctypes; i++) {
		sqlite3_stmt *st = w->st[ST_CTYPE_PUT];

		sqlite3_bind_int64(st, 1, w->release_id);
		sqlite3_bind_int(st, 2, rel->ctypes[i].abi);
		sqlite3_bind_text(st, 3, rel->ctypes[i].type, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, rel->ctypes[i].size);
		sqlite3_bind_int(st, 5, rel->ctypes[i].is_signed);
		if ((ret = step_done(w, st)))
			goto out;
	}
	xa_vec_sort_merge(&types, pending_cmp, pending_units);
	xa_vec_sort_merge(&consts, pending_cmp, pending_units);
	if (!(ret = put_sets(w, &types, true)))
		ret = put_sets(w, &consts, false);
	goto out;
oom:
	ret = xa_error(w->ctx, XENABI_ENOMEM, "out of memory");
out:
	xa_vec_release(&types);
	xa_vec_release(&consts);
	return ret;
}

/*
 * Bind ?6 and ?7: the distinct type names (with their kind) and constant
 * names of every unit, what 'list releases' shows.
 */
static int bind_counts(struct xenabi_ctx *ctx, sqlite3_stmt *st,
		       const struct xenabi_release *rel)
{
	size_t nt = 0, nc = 0, ut = 0, uc = 0;
	const char **t, **c;

	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		nt += rel->units[u].ntypes;
		nc += rel->units[u].nconsts;
	}
	t = malloc((nt + 1) * sizeof(*t));
	c = malloc((nc + 1) * sizeof(*c));
	if (!t || !c) {
		free(t);
		free(c);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	nt = nc = 0;
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		const struct xenabi_unit *un = &rel->units[u];

		for (size_t i = 0; i < un->ntypes; i++) {
			/* Kind and name, as list releases counts them. */
			char *k = NULL;

			if (asprintf(&k, "%d %s", un->types[i].kind,
				     un->types[i].name) < 0) {
				for (size_t j = 0; j < nt; j++)
					free((char *)t[j]);
				free(t);
				free(c);
				return xa_error(ctx, XENABI_ENOMEM, "out of memory");
			}
			t[nt++] = k;
		}
		for (size_t i = 0; i < un->nconsts; i++)
			c[nc++] = un->consts[i].name;
	}
	if (nt)
		qsort(t, nt, sizeof(*t), xa_str_cmp);
	if (nc)
		qsort(c, nc, sizeof(*c), xa_str_cmp);
	for (size_t i = 0; i < nt; i++)
		ut += !i || strcmp(t[i], t[i - 1]);
	for (size_t i = 0; i < nc; i++)
		uc += !i || strcmp(c[i], c[i - 1]);
	for (size_t i = 0; i < nt; i++)
		free((char *)t[i]);
	free(t);
	free(c);
	sqlite3_bind_int64(st, 6, ut);
	sqlite3_bind_int64(st, 7, uc);
	return 0;
}

/* Rows that no release refers to any more, after a replace or delete. */
static const char collect_sql[] =
	"DELETE FROM declset WHERE id NOT IN "
	"(SELECT declset_id FROM release_file WHERE declset_id IS NOT NULL);"
	"DELETE FROM constset WHERE id NOT IN "
	"(SELECT constset_id FROM release_file WHERE constset_id IS NOT NULL);"
	"DELETE FROM layout WHERE id NOT IN (SELECT layout_id FROM declset_item);"
	"DELETE FROM cvalue WHERE id NOT IN (SELECT cvalue_id FROM constset_item);"
	"DELETE FROM file WHERE id NOT IN (SELECT file_id FROM release_file);"
	"DELETE FROM mtype WHERE id NOT IN (SELECT mtype_id FROM member);";

static int delete_release(struct writer *w, const char *name, bool *found)
{
	sqlite3_stmt *st;
	int ret;

	if (sqlite3_prepare_v2(w->db->db, "DELETE FROM release WHERE name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(w->ctx, w->db, "write to");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	ret = step_done(w, st);
	sqlite3_finalize(st);
	*found = sqlite3_changes(w->db->db) > 0;
	if (!ret && *found)
		ret = exec(w->ctx, w->db, collect_sql, "write");
	return ret;
}

/*
 * The name a release being replaced has while its successor is written:
 * none a user can give (a leading dot), and so its sets, shared with the
 * successor's, are found instead of being collected and written again.
 */
#define REPLACED ".replaced"

static int rename_release(struct writer *w, const char *from, const char *to)
{
	sqlite3_stmt *st;
	int ret;

	if (sqlite3_prepare_v2(w->db->db,
			       "UPDATE release SET name = ?2 WHERE name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(w->ctx, w->db, "write to");
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	ret = step_done(w, st);
	sqlite3_finalize(st);
	return ret;
}

int xenabi_db_put_release(struct xenabi_ctx *ctx, struct xenabi_db *db,
			  const struct xenabi_release *rel)
{
	struct writer w = { .ctx = ctx, .db = db };
	sqlite3_stmt *st = NULL;
	long long units = 0;

	xa_vec_init(&w.files, sizeof(struct file_slot));
	bool found;
	int ret;

	for (int u = 0; u < XENABI_UNIT_COUNT; u++)
		if (rel->present[u])
			units |= 1LL << u;
	if ((ret = exec(ctx, db, "BEGIN IMMEDIATE", "write to")))
		return ret;
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v2(db->db, put_sql[i], -1, &w.st[i], NULL) !=
		    SQLITE_OK) {
			ret = db_error(ctx, db, "write to");
			goto out;
		}
	/* One left by an earlier write that failed goes first. */
	if ((ret = delete_release(&w, REPLACED, &found)) ||
	    (ret = rename_release(&w, rel->name, REPLACED)))
		goto out;
	if (sqlite3_prepare_v2(db->db,
			       "INSERT INTO release (name, source, tree_hash, "
			       "scanned_at, units, ntypes, nconsts) VALUES (?1, "
			       "?2, ?3, ?4, ?5, ?6, ?7)",
			       -1, &st, NULL) != SQLITE_OK) {
		ret = db_error(ctx, db, "write to");
		goto out;
	}
	sqlite3_bind_text(st, 1, rel->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rel->source ? rel->source : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rel->tree_hash ? rel->tree_hash : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rel->scanned_at ? rel->scanned_at : "", -1,
			  SQLITE_STATIC);
	if ((ret = bind_counts(ctx, st, rel)))
		goto out;
	sqlite3_bind_int64(st, 5, units);
	if ((ret = step_done(&w, st)))
		goto out;
	w.release_id = sqlite3_last_insert_rowid(db->db);
	ret = put_records(&w, rel);
	if (!ret)
		ret = delete_release(&w, REPLACED, &found);
out:
	xa_vec_release(&w.files);
	sqlite3_finalize(st);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(w.st[i]);
	if (!ret)
		ret = exec(ctx, db, "COMMIT", "write to");
	if (ret)
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}

int xenabi_db_delete_release(struct xenabi_ctx *ctx, struct xenabi_db *db,
			     const char *name)
{
	struct writer w = { .ctx = ctx, .db = db };
	bool found = false;
	int ret;

	if ((ret = exec(ctx, db, "BEGIN IMMEDIATE", "write to")))
		return ret;
	ret = delete_release(&w, name, &found);
	if (!ret && !found)
		ret = xa_error(ctx, XENABI_ENOTFOUND,
			       "no release '%s' in database '%s'", name,
			       db->path);
	if (!ret)
		ret = exec(ctx, db, "COMMIT", "write to");
	if (ret)
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}

/* ---- reading ------------------------------------------------------------ */

static char *column_strdup(sqlite3_stmt *st, int col);

/* A release of a name no user can give: a commit's scan, made by log. */
#define NOT_HIDDEN(col) "substr(" col ", 1, 1) <> '" XENABI_HIDDEN_PREFIX "'"

int xenabi_db_commit_tree(struct xenabi_ctx *ctx, struct xenabi_db *db,
			  const char *commit, const char *inputs,
			  char **tree_hash)
{
	sqlite3_stmt *st;
	int rc;

	*tree_hash = NULL;
	if (sqlite3_prepare_v2(db->db, "SELECT tree_hash FROM commit_tree "
				       "WHERE commit_id = ?1 AND inputs = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_text(st, 1, commit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, inputs, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*tree_hash = column_strdup(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(ctx, db, "read");
	if (rc == SQLITE_ROW && !*tree_hash)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return 0;
}

int xenabi_db_put_commit_tree(struct xenabi_ctx *ctx, struct xenabi_db *db,
			      const char *commit, const char *inputs,
			      const char *tree_hash)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO commit_tree "
				       "(commit_id, inputs, tree_hash) VALUES "
				       "(?1, ?2, ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "write to");
	sqlite3_bind_text(st, 1, commit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, inputs, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, tree_hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(ctx, db, "write to");
}

/* What decides a diff: xenabi's version and its library as built. */
static void rules_digest(char out[80])
{
	snprintf(out, 80, "%s %s", XENABI_VERSION, xa_build_digest);
}

int xenabi_db_tree_diff(struct xenabi_ctx *ctx, struct xenabi_db *db,
			const char *old_tree, const char *new_tree,
			unsigned int abis, char **findings, unsigned int *compared)
{
	sqlite3_stmt *st;
	char rules[80];
	int rc;

	*findings = NULL;
	rules_digest(rules);
	if (sqlite3_prepare_v2(db->db, "SELECT findings, compared FROM tree_diff "
				       "WHERE old_tree = ?1 AND new_tree = ?2 "
				       "AND rules = ?3 AND abis = ?4",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_text(st, 1, old_tree, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, new_tree, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rules, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, abis);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*findings = column_strdup(st, 0);
		*compared = (unsigned int)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(ctx, db, "read");
	if (rc == SQLITE_ROW && !*findings)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return 0;
}

int xenabi_db_put_tree_diff(struct xenabi_ctx *ctx, struct xenabi_db *db,
			    const char *old_tree, const char *new_tree,
			    unsigned int abis, unsigned int compared,
			    const char *findings)
{
	sqlite3_stmt *st;
	char rules[80];
	int rc;

	rules_digest(rules);
	if (sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO tree_diff "
				       "(old_tree, new_tree, rules, abis, compared, "
				       "findings) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "write to");
	sqlite3_bind_text(st, 1, old_tree, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, new_tree, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rules, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, abis);
	sqlite3_bind_int64(st, 5, compared);
	sqlite3_bind_text(st, 6, findings, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(ctx, db, "write to");
}

int xenabi_db_tree_hypercalls(struct xenabi_ctx *ctx, struct xenabi_db *db,
			      const char *tree_hash, int *has)
{
	sqlite3_stmt *st;
	int rc;

	*has = -1;
	if (sqlite3_prepare_v2(db->db, "SELECT EXISTS (SELECT 1 FROM hypercall h "
				       "WHERE h.release_id = r.id) FROM release r "
				       "WHERE r.tree_hash = ?1 LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_text(st, 1, tree_hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*has = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(ctx, db, "read");
}

int xenabi_db_find_tree(struct xenabi_ctx *ctx, struct xenabi_db *db,
			const char *tree_hash, const char *prefer, char **name)
{
	sqlite3_stmt *st;
	int rc;

	*name = NULL;
	if (sqlite3_prepare_v2(db->db,
			       "SELECT name FROM release WHERE tree_hash = ?1 "
			       "ORDER BY name = ?2 DESC, "
			       "substr(name, 1, 1) = '" XENABI_HIDDEN_PREFIX "', "
			       "name LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_text(st, 1, tree_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, prefer ? prefer : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*name = column_strdup(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(ctx, db, "read");
	if (rc == SQLITE_ROW && !*name)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return 0;
}

bool xa_release_names_version(const char *name)
{
	return *name >= '0' && *name <= '9' && strchr(name, '.');
}

int xenabi_release_name_cmp(const char *a, const char *b)
{
	/* Digit runs compare as numbers, the rest as bytes: 4.9 < 4.10. */
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			char *ea, *eb;
			unsigned long long x = strtoull(a, &ea, 10);
			unsigned long long y = strtoull(b, &eb, 10);

			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int info_cmp(const void *a, const void *b)
{
	const struct xenabi_release_info *x = a, *y = b;

	return xenabi_release_name_cmp(x->name, y->name);
}

static char *column_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return strdup(s ? (const char *)s : "");
}

int xenabi_db_list_releases(struct xenabi_ctx *ctx, struct xenabi_db *db,
			    struct xenabi_release_info **out, size_t *count)
{
	static const char sql[] =
		"SELECT r.name, r.source, r.tree_hash, r.scanned_at, r.units, "
		"coalesce(r.ntypes, "
		"(SELECT count(DISTINCT l.kind || ' ' || l.name) FROM release_file f "
		" JOIN declset_item d ON d.declset_id = f.declset_id "
		" JOIN layout l ON l.id = d.layout_id WHERE f.release_id = r.id)), "
		"coalesce(r.nconsts, "
		"(SELECT count(DISTINCT v.name) FROM release_file f "
		" JOIN constset_item c ON c.constset_id = f.constset_id "
		" JOIN cvalue v ON v.id = c.cvalue_id WHERE f.release_id = r.id)) "
		"FROM release r WHERE " NOT_HIDDEN("r.name");
	struct xa_vec infos;
	sqlite3_stmt *st;
	int rc, ret = 0;

	xa_vec_init(&infos, sizeof(struct xenabi_release_info));
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct xenabi_release_info *ri = xa_vec_push(&infos);
		long long units = sqlite3_column_int64(st, 4);

		if (!ri) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
		ri->name = column_strdup(st, 0);
		ri->source = column_strdup(st, 1);
		ri->tree_hash = column_strdup(st, 2);
		ri->scanned_at = column_strdup(st, 3);
		for (int u = 0; u < XENABI_UNIT_COUNT; u++)
			ri->present[u] = units & (1LL << u);
		ri->ntypes = sqlite3_column_int64(st, 5);
		ri->nconsts = sqlite3_column_int64(st, 6);
		if (!ri->name || !ri->source || !ri->tree_hash ||
		    !ri->scanned_at) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_error(ctx, db, "read");
	sqlite3_finalize(st);
	if (ret) {
		xenabi_release_infos_free(infos.data, infos.len);
		return ret;
	}
	if (infos.len)
		qsort(infos.data, infos.len, infos.elem, info_cmp);
	*out = infos.data;
	*count = infos.len;
	return 0;
}

void xenabi_release_infos_free(struct xenabi_release_info *infos,
			       size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(infos[i].name);
		free(infos[i].source);
		free(infos[i].tree_hash);
		free(infos[i].scanned_at);
	}
	free(infos);
}

static const char *col_text(struct xa_arena *arena, sqlite3_stmt *st, int col,
			    bool *oom)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	char *p = xa_arena_strdup(arena, s ? (const char *)s : "");

	if (!p)
		*oom = true;
	return p ? p : "";
}

/* Members of every layout the release uses, keyed by layout id. */
struct loaded_layout {
	sqlite3_int64 id;
	struct xenabi_member *members;
	size_t nmembers;
};

static int loaded_cmp(const void *a, const void *b)
{
	const struct loaded_layout *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The member columns every member query selects, after the layout id. */
#define MEMBER_COLUMNS                                                       \
	"m.name, t.type, t.base, t.dims, t.base_class, m.offset, t.size, "   \
	"t.bits, m.bit_offset, m.bit_size, t.is_signed, m.value"

static void member_from_row(struct xenabi_member *m, sqlite3_stmt *st,
			    struct xa_arena *arena, bool *oom)
{
	m->name = col_text(arena, st, 1, oom);
	m->type = col_text(arena, st, 2, oom);
	m->base = col_text(arena, st, 3, oom);
	m->dims = col_text(arena, st, 4, oom);
	m->base_class = sqlite3_column_int(st, 5);
	m->offset = sqlite3_column_int64(st, 6);
	m->size = sqlite3_column_int64(st, 7);
	m->bits = sqlite3_column_int64(st, 8);
	m->bit_offset = sqlite3_column_int64(st, 9);
	m->bit_size = sqlite3_column_int64(st, 10);
	m->is_signed = sqlite3_column_int(st, 11);
	m->value = sqlite3_column_int64(st, 12);
}

static int load_members(struct xenabi_ctx *ctx, struct xenabi_db *db,
			struct xenabi_release *rel, sqlite3_int64 release_id,
			struct loaded_layout **out, size_t *count)
{
	static const char sql[] =
		"SELECT m.layout_id, " MEMBER_COLUMNS " FROM member m JOIN mtype t ON "
		"t.id = m.mtype_id WHERE "
		"m.layout_id IN (SELECT d.layout_id FROM release_file f JOIN "
		"declset_item d ON d.declset_id = f.declset_id WHERE "
		"f.release_id = ?1) "
		"ORDER BY m.layout_id, m.idx";
	struct xa_vec layouts, members;
	sqlite3_int64 current = 0;
	sqlite3_stmt *st;
	bool oom = false;
	int rc;

	xa_vec_init(&layouts, sizeof(struct loaded_layout));
	xa_vec_init(&members, sizeof(struct xenabi_member));
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_int64(st, 1, release_id);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		struct xenabi_member *m;

		if (id != current) {
			struct loaded_layout *l;

			if (layouts.len) {
				l = (struct loaded_layout *)layouts.data +
				    layouts.len - 1;
				l->members = xa_vec_finish(&members, rel->arena,
							   &l->nmembers);
				xa_vec_init(&members,
					    sizeof(struct xenabi_member));
			}
			l = xa_vec_push(&layouts);
			if (!l) {
				oom = true;
				break;
			}
			l->id = current = id;
		}
		m = xa_vec_push(&members);
		if (!m) {
			oom = true;
			break;
		}
		member_from_row(m, st, rel->arena, &oom);
	}
	sqlite3_finalize(st);
	if (!oom && layouts.len) {
		struct loaded_layout *l =
			(struct loaded_layout *)layouts.data + layouts.len - 1;

		l->members = xa_vec_finish(&members, rel->arena, &l->nmembers);
	}
	xa_vec_release(&members);
	if (oom) {
		xa_vec_release(&layouts);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	if (rc != SQLITE_DONE) {
		xa_vec_release(&layouts);
		return db_error(ctx, db, "read");
	}
	*out = layouts.data;
	*count = layouts.len;
	return 0;
}

static int load_types(struct xenabi_ctx *ctx, struct xenabi_db *db,
		      struct xenabi_release *rel, sqlite3_int64 release_id,
		      struct xa_vec *types)
{
	static const char sql[] =
		"SELECT l.id, l.kind, l.name, l.target, l.size, l.align, f.path, "
		"d.line, d.units FROM release_file rf JOIN declset_item d ON "
		"d.declset_id = rf.declset_id JOIN layout l ON l.id = d.layout_id "
		"JOIN file f ON f.id = rf.file_id WHERE rf.release_id = ?1";
	struct loaded_layout *loaded = NULL;
	size_t nloaded = 0;
	sqlite3_stmt *st;
	bool oom = false;
	int rc, ret;

	if ((ret = load_members(ctx, db, rel, release_id, &loaded, &nloaded)))
		return ret;
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(loaded);
		return db_error(ctx, db, "read");
	}
	sqlite3_bind_int64(st, 1, release_id);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct loaded_layout key = { .id = sqlite3_column_int64(st, 0) };
		struct loaded_layout *l = nloaded ? bsearch(&key, loaded, nloaded,
							    sizeof(key), loaded_cmp)
						  : NULL;
		struct xenabi_type t = {
			.kind = sqlite3_column_int(st, 1),
			.name = col_text(rel->arena, st, 2, &oom),
			.target = col_text(rel->arena, st, 3, &oom),
			.size = sqlite3_column_int64(st, 4),
			.align = sqlite3_column_int64(st, 5),
			.file = col_text(rel->arena, st, 6, &oom),
			.line = sqlite3_column_int64(st, 7),
			.members = l ? l->members : NULL,
			.nmembers = l ? l->nmembers : 0,
		};
		long long units = sqlite3_column_int64(st, 8);

		for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
			struct xenabi_type *slot;

			if (!(units & (1LL << u)))
				continue;
			slot = xa_vec_push(&types[u]);
			if (!slot) {
				oom = true;
				break;
			}
			*slot = t;
		}
	}
	sqlite3_finalize(st);
	free(loaded);
	if (oom)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? 0 : db_error(ctx, db, "read");
}

static int load_consts(struct xenabi_ctx *ctx, struct xenabi_db *db,
		       struct xenabi_release *rel, sqlite3_int64 release_id,
		       struct xa_vec *consts)
{
	static const char sql[] =
		"SELECT v.name, v.text, v.class, v.value, v.width, v.is_signed, "
		"v.str, f.path, c.line, c.units FROM release_file rf JOIN "
		"constset_item c ON c.constset_id = rf.constset_id JOIN cvalue v ON "
		"v.id = c.cvalue_id JOIN file f ON f.id = rf.file_id WHERE "
		"rf.release_id = ?1";
	sqlite3_stmt *st;
	bool oom = false;
	int rc;

	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_int64(st, 1, release_id);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct xenabi_const c = {
			.name = col_text(rel->arena, st, 0, &oom),
			.text = col_text(rel->arena, st, 1, &oom),
			.class = sqlite3_column_int(st, 2),
			.value = (uint64_t)sqlite3_column_int64(st, 3),
			.width = sqlite3_column_int(st, 4),
			.is_signed = sqlite3_column_int(st, 5),
			.str = col_text(rel->arena, st, 6, &oom),
			.file = col_text(rel->arena, st, 7, &oom),
			.line = sqlite3_column_int64(st, 8),
		};
		long long units = sqlite3_column_int64(st, 9);

		for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
			struct xenabi_const *slot;

			if (!(units & (1LL << u)))
				continue;
			slot = xa_vec_push(&consts[u]);
			if (!slot) {
				oom = true;
				break;
			}
			*slot = c;
		}
	}
	sqlite3_finalize(st);
	if (oom)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? 0 : db_error(ctx, db, "read");
}

static int load_failures(struct xenabi_ctx *ctx, struct xenabi_db *db,
			 struct xenabi_release *rel, sqlite3_int64 release_id,
			 struct xa_vec *failures)
{
	static const char sql[] =
		"SELECT unit, header, message FROM failure WHERE release_id = ?1 "
		"ORDER BY unit, header";
	sqlite3_stmt *st;
	bool oom = false;
	int rc;

	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_int64(st, 1, release_id);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int u = sqlite3_column_int(st, 0);
		struct xenabi_failure *f;

		if (u < 0 || u >= XENABI_UNIT_COUNT)
			continue;
		f = xa_vec_push(&failures[u]);
		if (!f) {
			oom = true;
			break;
		}
		f->header = col_text(rel->arena, st, 1, &oom);
		f->message = col_text(rel->arena, st, 2, &oom);
	}
	sqlite3_finalize(st);
	if (oom)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? 0 : db_error(ctx, db, "read");
}

/*
 * Read a release's rows of text columns (sql binds the release as ?1)
 * into an array of elem-byte records, column k going to the string at
 * offsets[k]; *out and *count are the release's.
 */
static int load_text_rows(struct xenabi_ctx *ctx, struct xenabi_db *db,
			  struct xenabi_release *rel, sqlite3_int64 release_id,
			  const char *sql, size_t elem, const size_t *offsets,
			  int ncols, void **out, size_t *count)
{
	struct xa_vec v;
	sqlite3_stmt *st;
	bool oom = false;
	int rc;

	xa_vec_init(&v, elem);
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_int64(st, 1, release_id);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *row = xa_vec_push(&v);

		if (!row) {
			oom = true;
			break;
		}
		for (int k = 0; k < ncols; k++)
			*(const char **)(row + offsets[k]) =
				col_text(rel->arena, st, k, &oom);
	}
	sqlite3_finalize(st);
	if (!oom)
		*out = xa_vec_finish(&v, rel->arena, count);
	xa_vec_release(&v);
	if (oom || (*count && !*out))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? 0 : db_error(ctx, db, "read");
}

static int load_compat(struct xenabi_ctx *ctx, struct xenabi_db *db,
		       struct xenabi_release *rel, sqlite3_int64 release_id)
{
	static const size_t cols[] = { offsetof(struct xenabi_compat, name),
				       offsetof(struct xenabi_compat, header) };

	void *rows = NULL;
	int ret = load_text_rows(ctx, db, rel, release_id,
				 "SELECT name, header FROM compat_check "
				 "WHERE release_id = ?1 ORDER BY name, header",
				 sizeof(struct xenabi_compat), cols, 2, &rows,
				 &rel->ncompat);

	rel->compat = rows;
	return ret;
}

static int load_dispatch(struct xenabi_ctx *ctx, struct xenabi_db *db,
			 struct xenabi_release *rel, sqlite3_int64 release_id)
{
	static const size_t cols[] = { offsetof(struct xenabi_dispatch, name),
				       offsetof(struct xenabi_dispatch, file) };

	void *rows = NULL;
	int ret = load_text_rows(ctx, db, rel, release_id,
				 "SELECT name, file FROM dispatch "
				 "WHERE release_id = ?1 ORDER BY name, file",
				 sizeof(struct xenabi_dispatch), cols, 2, &rows,
				 &rel->ndispatch);

	rel->dispatch = rows;
	return ret;
}

static int load_uses(struct xenabi_ctx *ctx, struct xenabi_db *db,
		     struct xenabi_release *rel, sqlite3_int64 release_id)
{
	static const size_t cols[] = { offsetof(struct xenabi_subop_use, name),
				       offsetof(struct xenabi_subop_use, subop),
				       offsetof(struct xenabi_subop_use, file) };

	void *rows = NULL;
	int ret = load_text_rows(ctx, db, rel, release_id,
				 "SELECT name, subop, file FROM subop_use "
				 "WHERE release_id = ?1 ORDER BY name, subop, file",
				 sizeof(struct xenabi_subop_use), cols, 3, &rows,
				 &rel->nuses);

	rel->uses = rows;
	return ret;
}

static int load_zeroext(struct xenabi_ctx *ctx, struct xenabi_db *db,
			struct xenabi_release *rel, sqlite3_int64 release_id)
{
	static const size_t cols[] = { offsetof(struct xenabi_zeroext, name),
				       offsetof(struct xenabi_zeroext, tag),
				       offsetof(struct xenabi_zeroext, file) };

	void *rows = NULL;
	int ret = load_text_rows(ctx, db, rel, release_id,
				 "SELECT name, tag, file FROM zeroext "
				 "WHERE release_id = ?1 ORDER BY name, file",
				 sizeof(struct xenabi_zeroext), cols, 3, &rows,
				 &rel->nzeroext);

	rel->zeroext = rows;
	return ret;
}

static int load_hypercalls(struct xenabi_ctx *ctx, struct xenabi_db *db,
			   struct xenabi_release *rel, sqlite3_int64 release_id)
{
	struct xa_vec hv, cv;
	sqlite3_stmt *st = NULL;
	bool oom = false;
	int rc = SQLITE_DONE;

	xa_vec_init(&hv, sizeof(struct xenabi_hypercall));
	xa_vec_init(&cv, sizeof(struct xenabi_ctype));
	if (sqlite3_prepare_v2(db->db,
			       "SELECT name, kind, handler, priority, optional, "
			       "rettype, params, file, number FROM hypercall "
			       "WHERE release_id = ?1 ORDER BY name, kind",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_int64(st, 1, release_id);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct xenabi_hypercall *h = xa_vec_push(&hv);

		if (!(oom = !h)) {
			h->name = col_text(rel->arena, st, 0, &oom);
			h->kind = col_text(rel->arena, st, 1, &oom);
			h->handler = col_text(rel->arena, st, 2, &oom);
			h->priority = sqlite3_column_int64(st, 3);
			h->optional = sqlite3_column_int(st, 4);
			h->rettype = col_text(rel->arena, st, 5, &oom);
			h->params = col_text(rel->arena, st, 6, &oom);
			h->file = col_text(rel->arena, st, 7, &oom);
			h->number = col_text(rel->arena, st, 8, &oom);
		}
	}
	sqlite3_finalize(st);
	if (!oom && rc == SQLITE_DONE) {
		if (sqlite3_prepare_v2(db->db,
				       "SELECT abi, type, size, is_signed FROM "
				       "ctype WHERE release_id = ?1 ORDER BY "
				       "abi, type",
				       -1, &st, NULL) != SQLITE_OK) {
			xa_vec_release(&hv);
			return db_error(ctx, db, "read");
		}
		sqlite3_bind_int64(st, 1, release_id);
		while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct xenabi_ctype *c = xa_vec_push(&cv);

			if (!(oom = !c)) {
				c->abi = sqlite3_column_int(st, 0);
				c->type = col_text(rel->arena, st, 1, &oom);
				c->size = sqlite3_column_int64(st, 2);
				c->is_signed = sqlite3_column_int(st, 3);
			}
		}
		sqlite3_finalize(st);
	}
	if (!oom) {
		rel->hypercalls = xa_vec_finish(&hv, rel->arena, &rel->nhypercalls);
		rel->ctypes = xa_vec_finish(&cv, rel->arena, &rel->nctypes);
		oom = (rel->nhypercalls && !rel->hypercalls) ||
		      (rel->nctypes && !rel->ctypes);
	}
	xa_vec_release(&hv);
	xa_vec_release(&cv);
	if (oom)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? 0 : db_error(ctx, db, "read");
}

int xenabi_db_load_release(struct xenabi_ctx *ctx, struct xenabi_db *db,
			   const char *name, struct xenabi_release **out)
{
	struct xa_vec types[XENABI_UNIT_COUNT], consts[XENABI_UNIT_COUNT],
		failures[XENABI_UNIT_COUNT];
	struct xenabi_release *rel = NULL;
	sqlite3_int64 release_id = 0;
	sqlite3_stmt *st;
	bool oom = false;
	long long units = 0;
	int rc, ret = 0;

	*out = NULL;
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		xa_vec_init(&types[u], sizeof(struct xenabi_type));
		xa_vec_init(&consts[u], sizeof(struct xenabi_const));
		xa_vec_init(&failures[u], sizeof(struct xenabi_failure));
	}
	if (sqlite3_prepare_v2(db->db,
			       "SELECT id, source, tree_hash, scanned_at, units "
			       "FROM release WHERE name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (rel = xa_release_new(name))) {
		release_id = sqlite3_column_int64(st, 0);
		rel->source = col_text(rel->arena, st, 1, &oom);
		rel->tree_hash = col_text(rel->arena, st, 2, &oom);
		rel->scanned_at = col_text(rel->arena, st, 3, &oom);
		units = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return xa_error(ctx, XENABI_ENOTFOUND,
				"no release '%s' in database '%s'; 'xenabi list "
				"releases' shows what there is", name, db->path);
	if (rc != SQLITE_ROW)
		return db_error(ctx, db, "read");
	if (!rel || oom) {
		xenabi_release_free(rel);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	/* One read transaction: a scan committing meanwhile is not half seen. */
	if ((ret = exec(ctx, db, "BEGIN", "read")))
		goto out;
	ret = load_types(ctx, db, rel, release_id, types);
	if (!ret)
		ret = load_consts(ctx, db, rel, release_id, consts);
	if (!ret)
		ret = load_failures(ctx, db, rel, release_id, failures);
	if (!ret)
		ret = load_compat(ctx, db, rel, release_id);
	if (!ret)
		ret = load_zeroext(ctx, db, rel, release_id);
	if (!ret)
		ret = load_dispatch(ctx, db, rel, release_id);
	if (!ret)
		ret = load_uses(ctx, db, rel, release_id);
	if (!ret)
		ret = load_hypercalls(ctx, db, rel, release_id);
	sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
	for (int u = 0; u < XENABI_UNIT_COUNT && !ret; u++) {
		struct xenabi_unit *unit = &rel->units[u];

		rel->present[u] = units & (1LL << u);
		if (types[u].len)
			qsort(types[u].data, types[u].len, types[u].elem,
			      xa_type_cmp);
		if (consts[u].len)
			qsort(consts[u].data, consts[u].len, consts[u].elem,
			      xa_const_cmp);
		unit->types = xa_vec_finish(&types[u], rel->arena, &unit->ntypes);
		unit->consts = xa_vec_finish(&consts[u], rel->arena,
					     &unit->nconsts);
		unit->failures = xa_vec_finish(&failures[u], rel->arena,
					       &unit->nfailures);
	}
out:
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		xa_vec_release(&types[u]);
		xa_vec_release(&consts[u]);
		xa_vec_release(&failures[u]);
	}
	if (ret) {
		xenabi_release_free(rel);
		return ret;
	}
	*out = rel;
	return 0;
}

/* ---- one name across every release ---------------------------------------- */

static int rel_by_id_cmp(const void *a, const void *b)
{
	const struct xenabi_release *const *x = a, *const *y = b;

	return xenabi_release_name_cmp((*x)->name, (*y)->name);
}

struct named {
	struct xenabi_ctx *ctx;
	struct xenabi_db *db;
	sqlite3_int64 *ids;		/* release ids, parallel to rels */
	struct xenabi_release **rels;
	size_t nrels;
	struct xa_vec *types;		/* per release, per unit */
	struct xa_vec *consts;
	bool oom;
};

static struct xenabi_release *named_release(struct named *n, sqlite3_int64 id,
					    size_t *index)
{
	for (size_t i = 0; i < n->nrels; i++)
		if (n->ids[i] == id) {
			*index = i;
			return n->rels[i];
		}
	return NULL;
}

/* The hypercall called name, each kind of guest's, into each release. */
static int named_hypercalls(struct named *n, const char *name)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(n->db->db, "SELECT release_id, name, kind, "
				       "handler, priority, optional, rettype, "
				       "params, file, number FROM hypercall WHERE name = ?1 "
				       "ORDER BY release_id, kind", -1, &st,
			       NULL) != SQLITE_OK)
		return db_error(n->ctx, n->db, "read");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (!n->oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t idx;
		struct xenabi_release *rel =
			named_release(n, sqlite3_column_int64(st, 0), &idx);
		struct xenabi_hypercall *grown, *h;

		if (!rel)
			continue;
		/* Rows come in (name, kind) order: the array stays sorted. */
		grown = xa_arena_alloc(rel->arena, (rel->nhypercalls + 1) *
							   sizeof(*grown));
		if (!grown) {
			n->oom = true;
			break;
		}
		if (rel->nhypercalls)
			memcpy(grown, rel->hypercalls,
			       rel->nhypercalls * sizeof(*grown));
		h = &grown[rel->nhypercalls];
		h->name = col_text(rel->arena, st, 1, &n->oom);
		h->kind = col_text(rel->arena, st, 2, &n->oom);
		h->handler = col_text(rel->arena, st, 3, &n->oom);
		h->priority = sqlite3_column_int64(st, 4);
		h->optional = sqlite3_column_int(st, 5);
		h->rettype = col_text(rel->arena, st, 6, &n->oom);
		h->params = col_text(rel->arena, st, 7, &n->oom);
		h->file = col_text(rel->arena, st, 8, &n->oom);
		h->number = col_text(rel->arena, st, 9, &n->oom);
		rel->hypercalls = grown;
		rel->nhypercalls++;
	}
	sqlite3_finalize(st);
	if (n->oom)
		return xa_error(n->ctx, XENABI_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? 0 : db_error(n->ctx, n->db, "read");
}

/* Every layout called name, with its members, into each release using it. */
static int named_types(struct named *n, const char *name)
{
	static const char members_sql[] =
		"SELECT m.layout_id, " MEMBER_COLUMNS " FROM member m JOIN mtype t "
		"ON t.id = m.mtype_id WHERE m.layout_id IN (SELECT id FROM layout "
		"WHERE name = ?1) ORDER BY m.layout_id, m.idx";
	static const char types_sql[] =
		"SELECT rf.release_id, l.id, l.kind, l.name, l.target, l.size, "
		"l.align, f.path, d.line, d.units FROM layout l JOIN declset_item d "
		"ON d.layout_id = l.id JOIN release_file rf ON rf.declset_id = "
		"d.declset_id JOIN file f ON f.id = rf.file_id WHERE l.name = ?1";
	struct xa_arena *scratch = xa_arena_new();
	struct xa_vec members;	/* struct xenabi_member, with ids beside */
	struct xa_vec owners;	/* sqlite3_int64 layout id per member */
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	xa_vec_init(&members, sizeof(struct xenabi_member));
	xa_vec_init(&owners, sizeof(sqlite3_int64));
	if (!scratch)
		return xa_error(n->ctx, XENABI_ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(n->db->db, members_sql, -1, &st, NULL) != SQLITE_OK) {
		ret = db_error(n->ctx, n->db, "read");
		goto out;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (!n->oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct xenabi_member *m = xa_vec_push(&members);
		sqlite3_int64 *owner = xa_vec_push(&owners);

		if (!m || !owner) {
			n->oom = true;
			break;
		}
		*owner = sqlite3_column_int64(st, 0);
		member_from_row(m, st, scratch, &n->oom);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!n->oom && rc != SQLITE_DONE) {
		ret = db_error(n->ctx, n->db, "read");
		goto out;
	}
	if (sqlite3_prepare_v2(n->db->db, types_sql, -1, &st, NULL) != SQLITE_OK) {
		ret = db_error(n->ctx, n->db, "read");
		goto out;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (!n->oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t r;
		struct xenabi_release *rel =
			named_release(n, sqlite3_column_int64(st, 0), &r);
		sqlite3_int64 layout = sqlite3_column_int64(st, 1);
		long long units = sqlite3_column_int64(st, 9);
		struct xenabi_type t;
		size_t first = 0, count = 0;

		if (!rel)
			continue;
		for (size_t i = 0; i < owners.len; i++)
			if (((sqlite3_int64 *)owners.data)[i] == layout) {
				if (!count)
					first = i;
				count++;
			}
		/* The release owns its copy: it is freed on its own. */
		memset(&t, 0, sizeof(t));
		t.kind = sqlite3_column_int(st, 2);
		t.name = col_text(rel->arena, st, 3, &n->oom);
		t.target = col_text(rel->arena, st, 4, &n->oom);
		t.size = sqlite3_column_int64(st, 5);
		t.align = sqlite3_column_int64(st, 6);
		t.file = col_text(rel->arena, st, 7, &n->oom);
		t.line = sqlite3_column_int64(st, 8);
		t.nmembers = count;
		t.members = count ? xa_arena_alloc(rel->arena,
						   count * sizeof(*t.members))
				  : NULL;
		if (count && !t.members) {
			n->oom = true;
			break;
		}
		for (size_t i = 0; i < count; i++) {
			struct xenabi_member *m = &t.members[i];

			*m = ((struct xenabi_member *)members.data)[first + i];
			m->name = xa_arena_strdup(rel->arena, m->name);
			m->type = xa_arena_strdup(rel->arena, m->type);
			m->base = xa_arena_strdup(rel->arena, m->base);
			m->dims = xa_arena_strdup(rel->arena, m->dims);
			if (!m->name || !m->type || !m->base || !m->dims)
				n->oom = true;
		}
		for (int u = 0; u < XENABI_UNIT_COUNT && !n->oom; u++) {
			struct xenabi_type *slot;

			if (!(units & (1LL << u)))
				continue;
			if (!(slot = xa_vec_push(&n->types[r * XENABI_UNIT_COUNT + u])))
				n->oom = true;
			else
				*slot = t;
		}
	}
	if (!n->oom && rc != SQLITE_DONE)
		ret = db_error(n->ctx, n->db, "read");
out:
	sqlite3_finalize(st);
	xa_vec_release(&members);
	xa_vec_release(&owners);
	xa_arena_free(scratch);
	return ret;
}

static int named_consts(struct named *n, const char *name)
{
	static const char sql[] =
		"SELECT rf.release_id, v.name, v.text, v.class, v.value, v.width, "
		"v.is_signed, v.str, f.path, c.line, c.units FROM cvalue v JOIN "
		"constset_item c ON c.cvalue_id = v.id JOIN release_file rf ON "
		"rf.constset_id = c.constset_id JOIN file f ON f.id = rf.file_id "
		"WHERE v.name = ?1";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(n->db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(n->ctx, n->db, "read");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (!n->oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t r;
		struct xenabi_release *rel =
			named_release(n, sqlite3_column_int64(st, 0), &r);
		long long units = sqlite3_column_int64(st, 10);
		struct xenabi_const c;

		if (!rel)
			continue;
		c = (struct xenabi_const){
			.name = col_text(rel->arena, st, 1, &n->oom),
			.text = col_text(rel->arena, st, 2, &n->oom),
			.class = sqlite3_column_int(st, 3),
			.value = (uint64_t)sqlite3_column_int64(st, 4),
			.width = sqlite3_column_int(st, 5),
			.is_signed = sqlite3_column_int(st, 6),
			.str = col_text(rel->arena, st, 7, &n->oom),
			.file = col_text(rel->arena, st, 8, &n->oom),
			.line = sqlite3_column_int64(st, 9),
		};
		for (int u = 0; u < XENABI_UNIT_COUNT && !n->oom; u++) {
			struct xenabi_const *slot;

			if (!(units & (1LL << u)))
				continue;
			if (!(slot = xa_vec_push(&n->consts[r * XENABI_UNIT_COUNT + u])))
				n->oom = true;
			else
				*slot = c;
		}
	}
	sqlite3_finalize(st);
	return !n->oom && rc != SQLITE_DONE ? db_error(n->ctx, n->db, "read") : 0;
}

int xenabi_db_release_names(struct xenabi_ctx *ctx, struct xenabi_db *db,
			    char ***names, size_t *count)
{
	struct xa_vec v;
	sqlite3_stmt *st;
	bool oom = false;
	int rc;

	*names = NULL;
	*count = 0;
	xa_vec_init(&v, sizeof(char *));
	if (sqlite3_prepare_v2(db->db, "SELECT name FROM release WHERE "
			       NOT_HIDDEN("name"), -1, &st,
			       NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **slot = xa_vec_push(&v);

		if (!slot || !(*slot = strdup((const char *)sqlite3_column_text(st, 0)))) {
			if (slot)
				v.len--;
			oom = true;
		}
	}
	sqlite3_finalize(st);
	if (oom || rc != SQLITE_DONE) {
		xa_strings_free(v.data, v.len);
		return oom ? xa_error(ctx, XENABI_ENOMEM, "out of memory")
			   : db_error(ctx, db, "read");
	}
	if (v.len)
		qsort(v.data, v.len, sizeof(char *), name_version_cmp);
	*names = v.data;
	*count = v.len;
	return 0;
}

int xenabi_db_load_named(struct xenabi_ctx *ctx, struct xenabi_db *db,
			 const char *type_name, const char *const *const_names,
			 size_t nconst, struct xenabi_release ***out,
			 size_t *count)
{
	struct named n = { .ctx = ctx, .db = db };
	struct xa_vec rels, ids;
	sqlite3_stmt *st;
	int rc, ret = 0;

	*out = NULL;
	*count = 0;
	xa_vec_init(&rels, sizeof(struct xenabi_release *));
	xa_vec_init(&ids, sizeof(sqlite3_int64));
	if ((ret = exec(ctx, db, "BEGIN", "read")))
		return ret;
	if (sqlite3_prepare_v2(db->db, "SELECT id, name, source, tree_hash, "
				       "scanned_at, units FROM release WHERE "
				       NOT_HIDDEN("name"), -1, &st,
			       NULL) != SQLITE_OK) {
		ret = db_error(ctx, db, "read");
		goto out;
	}
	while (!n.oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct xenabi_release **slot = xa_vec_push(&rels);
		sqlite3_int64 *id = xa_vec_push(&ids);
		struct xenabi_release *rel;
		long long units = sqlite3_column_int64(st, 5);

		if (!slot || !id ||
		    !(rel = xa_release_new((const char *)sqlite3_column_text(st, 1)))) {
			if (slot)
				rels.len--;
			n.oom = true;
			break;
		}
		*slot = rel;
		*id = sqlite3_column_int64(st, 0);
		rel->source = col_text(rel->arena, st, 2, &n.oom);
		rel->tree_hash = col_text(rel->arena, st, 3, &n.oom);
		rel->scanned_at = col_text(rel->arena, st, 4, &n.oom);
		for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
			rel->present[u] = units & (1LL << u);
			rel->units[u].abi = xenabi_unit_abi(u);
			rel->units[u].view = xenabi_unit_view(u);
		}
	}
	sqlite3_finalize(st);
	if (!n.oom && rc != SQLITE_DONE) {
		ret = db_error(ctx, db, "read");
		goto out;
	}
	n.rels = rels.data;
	n.ids = ids.data;
	n.nrels = rels.len;
	n.types = calloc(rels.len * XENABI_UNIT_COUNT + 1, sizeof(struct xa_vec));
	n.consts = calloc(rels.len * XENABI_UNIT_COUNT + 1, sizeof(struct xa_vec));
	if (n.oom || !n.types || !n.consts) {
		n.oom = true;
		goto out;
	}
	for (size_t i = 0; i < rels.len * XENABI_UNIT_COUNT; i++) {
		xa_vec_init(&n.types[i], sizeof(struct xenabi_type));
		xa_vec_init(&n.consts[i], sizeof(struct xenabi_const));
	}
	if (type_name && ((ret = named_types(&n, type_name)) ||
			  (ret = named_hypercalls(&n, type_name))))
		goto out;
	for (size_t i = 0; i < nconst && !ret; i++)
		ret = named_consts(&n, const_names[i]);
	for (size_t r = 0; !ret && !n.oom && r < rels.len; r++)
		for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
			struct xenabi_release *rel = n.rels[r];
			struct xenabi_unit *unit = &rel->units[u];
			struct xa_vec *t = &n.types[r * XENABI_UNIT_COUNT + u];
			struct xa_vec *c = &n.consts[r * XENABI_UNIT_COUNT + u];

			if (t->len)
				qsort(t->data, t->len, t->elem, xa_type_cmp);
			if (c->len)
				qsort(c->data, c->len, c->elem, xa_const_cmp);
			unit->types = xa_vec_finish(t, rel->arena, &unit->ntypes);
			unit->consts = xa_vec_finish(c, rel->arena, &unit->nconsts);
			if ((unit->ntypes && !unit->types) ||
			    (unit->nconsts && !unit->consts))
				n.oom = true;
		}
out:
	sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
	for (size_t i = 0; (n.types || n.consts) && i < rels.len * XENABI_UNIT_COUNT; i++) {
		if (n.types)
			xa_vec_release(&n.types[i]);
		if (n.consts)
			xa_vec_release(&n.consts[i]);
	}
	free(n.types);
	free(n.consts);
	xa_vec_release(&ids);
	if (!ret && n.oom)
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if (ret) {
		for (size_t i = 0; i < rels.len; i++)
			xenabi_release_free(((struct xenabi_release **)rels.data)[i]);
		xa_vec_release(&rels);
		return ret;
	}
	if (rels.len)
		qsort(rels.data, rels.len, sizeof(struct xenabi_release *),
		      rel_by_id_cmp);
	*out = rels.data;
	*count = rels.len;
	return 0;
}

int xenabi_db_names(struct xenabi_ctx *ctx, struct xenabi_db *db,
		    char ***names, size_t *count)
{
	static const char sql[] = "SELECT DISTINCT name FROM layout UNION "
				  "SELECT DISTINCT name FROM cvalue";
	struct xa_vec v;
	sqlite3_stmt *st;
	bool oom = false;
	int rc;

	*names = NULL;
	*count = 0;
	xa_vec_init(&v, sizeof(char *));
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(ctx, db, "read");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **slot = xa_vec_push(&v);

		if (!slot || !(*slot = column_strdup(st, 0))) {
			oom = true;
			break;
		}
	}
	sqlite3_finalize(st);
	if (oom || (rc != SQLITE_ROW && rc != SQLITE_DONE)) {
		xa_strings_free(v.data, v.len);
		return oom ? xa_error(ctx, XENABI_ENOMEM, "out of memory")
			   : db_error(ctx, db, "read");
	}
	*names = v.data;
	*count = v.len;
	return 0;
}
