/* SPDX-License-Identifier: MIT */
/*
 * baseline: releases as sorted, line-oriented text (the shipped
 * baselines), written from stored releases and read back into records.
 * Content-addressed like the store, so forty releases share what did not
 * change.  Knows records, files and the store's public calls; not sqlite.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nettle/sha2.h>

#include "xa.h"

/*
 * Records are named by the first 64 bits of their digest, in hex: short
 * enough to read, long enough never to collide among a few hundred
 * thousand records (and a collision stops the writer, not trusted).
 */
typedef uint64_t key_t64;

static key_t64 key_of(const uint8_t digest[32])
{
	key_t64 k = 0;

	for (int i = 0; i < 8; i++)
		k = k << 8 | digest[i];
	return k;
}

/* ---- a map from keys to records ------------------------------------------ */

struct kmap {
	key_t64 *keys;
	void **vals;
	size_t cap;
	size_t len;
};

static void kmap_release(struct kmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static size_t kmap_slot(const struct kmap *m, key_t64 k)
{
	size_t i = (size_t)(k ^ k >> 29) & (m->cap - 1);

	while (m->vals[i] && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void *kmap_get(const struct kmap *m, key_t64 k)
{
	return m->cap ? m->vals[kmap_slot(m, k)] : NULL;
}

/* Returns -1 when out of memory. */
static int kmap_put(struct kmap *m, key_t64 k, void *v)
{
	if ((m->len + 1) * 2 > m->cap) {
		struct kmap bigger = { .cap = m->cap ? m->cap * 2 : 1024 };

		bigger.keys = calloc(bigger.cap, sizeof(key_t64));
		bigger.vals = calloc(bigger.cap, sizeof(void *));
		if (!bigger.keys || !bigger.vals) {
			kmap_release(&bigger);
			return -1;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->vals[i]) {
				size_t s = kmap_slot(&bigger, m->keys[i]);

				bigger.keys[s] = m->keys[i];
				bigger.vals[s] = m->vals[i];
			}
		bigger.len = m->len;
		kmap_release(m);
		*m = bigger;
	}
	size_t s = kmap_slot(m, k);

	if (!m->vals[s])
		m->len++;
	m->keys[s] = k;
	m->vals[s] = v;
	return 0;
}

/* ---- escaping ------------------------------------------------------------- */

/* Fields are tab-separated: tabs, newlines and backslashes are escaped. */
static void put_field(FILE *f, const char *s)
{
	for (s = s ? s : ""; *s; s++) {
		unsigned char c = *s;

		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Undo put_field in place; false on a bad escape. */
static bool unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*out++ = *s;
			continue;
		}
		s++;
		if (*s == '\\')
			*out++ = '\\';
		else if (*s == 't')
			*out++ = '\t';
		else if (*s == 'n')
			*out++ = '\n';
		else if (*s == 'x' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*out++ = (char)(hexval(s[1]) << 4 | hexval(s[2]));
			s += 2;
		} else
			return false;
	}
	*out = '\0';
	return true;
}

/* ---- files and the manifest ----------------------------------------------- */

/*
 * Why a manifest, and not a swap of whole directories (issue 13, item 7):
 * the directory is the user's to choose and baselines/ is committed to
 * git beside its README, so another directory cannot be swapped in, and
 * renaming NAME.tmp to NAME file by file left a mix of two sets when the
 * writer was killed half-way.  So every new file is written whole and
 * synced under DIR/.xenabi-new/, then the manifest naming each file with
 * its size and sha256 is renamed into place: that rename is the switch.
 * Load reads the files the manifest names and no others, each from DIR or,
 * where DIR's copy is not the one named (a writer stopped before moving
 * it), from .xenabi-new/; the next writer finishes those moves first.
 * Killed before the switch, the old manifest and its files are untouched;
 * after it, each file it names is whole in one of the two places.  The
 * existing files keep their names and bytes: the manifest is one more.
 */
#define STAGE ".xenabi-new"
#define MANIFEST "manifest"

/* A baselines file is a plain file of a sane size: never a FIFO, a device. */
#define XA_BASELINE_FILE_MAX (512u << 20)

/* One file a manifest names: its path under the directory, size and digest. */
struct mfile {
	char *path;		/* "sets", "releases/4.0.0" */
	uint64_t size;
	uint8_t digest[32];
};

static void mfiles_release(struct xa_vec *files)
{
	struct mfile *m = files->data;

	for (size_t i = 0; i < files->len; i++)
		free(m[i].path);
	xa_vec_release(files);
	xa_vec_init(files, sizeof(struct mfile));
}

static const struct mfile *mfile_find(const struct xa_vec *files,
				      const char *path)
{
	const struct mfile *m = files->data;

	for (size_t i = 0; i < files->len; i++)
		if (!strcmp(m[i].path, path))
			return &m[i];
	return NULL;
}

static int mfile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mfile *)a)->path,
		      ((const struct mfile *)b)->path);
}

/* What the manifest may name: the three tables and releases/NAME. */
static const char *const tables[] = { "layouts", "constants", "sets" };

static bool mfile_path_valid(const char *path)
{
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(path, tables[i]))
			return true;
	return !strncmp(path, "releases/", 9) &&
	       xenabi_release_name_valid(path + 9);
}

/* "a/b" in heap memory, or NULL when out of memory. */
static char *join(const char *a, const char *b)
{
	char *s;

	return asprintf(&s, "%s/%s", a, b) < 0 ? NULL : s;
}

/*
 * The bytes of the plain file at path into *buf (heap, NUL-terminated,
 * *len bytes).  Returns 0, 1 when there is no such file (no message), or
 * a negative error.
 */
static int slurp(struct xenabi_ctx *ctx, const char *path, char **buf,
		 size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), ret = 0;
	struct stat st;
	size_t got = 0;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return errno == ENOENT ? 1 : xa_error(ctx, XENABI_EIO, "cannot "
						      "read baselines '%s': %s",
						      path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > XA_BASELINE_FILE_MAX) {
		ret = xa_error(ctx, XENABI_EINVAL, "baselines '%s' %s", path,
			       !S_ISREG(st.st_mode)
				       ? "is not a regular file; baselines are "
					 "plain files written by 'xenabi "
					 "baselines write'"
				       : "is larger than 512 MiB: not a "
					 "baselines file");
		goto out;
	}
	if (!(*buf = malloc((size_t)st.st_size + 1))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	/* A file that grows while read is cut at its size: the digest says. */
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, *buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = xa_error(ctx, XENABI_EIO, "cannot read baselines "
				       "'%s': %s", path, strerror(errno));
			goto out;
		}
		if (!r)
			break;
		got += (size_t)r;
	}
	(*buf)[got] = '\0';
	*len = got;
out:
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	close(fd);
	return ret;
}

static void digest_of(const char *buf, size_t len, uint8_t digest[32])
{
	struct sha256_ctx sha;

	sha256_init(&sha);
	sha256_update(&sha, len, (const uint8_t *)buf);
	sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
}

/*
 * Read path if it is the file m names.  Returns 0 (it is: *buf holds its
 * bytes), 1 (another file's bytes, in *buf), 2 (no such file) or a
 * negative error.
 */
static int read_named(struct xenabi_ctx *ctx, const char *path,
		      const struct mfile *m, char **buf, size_t *len)
{
	uint8_t digest[32];
	int ret = slurp(ctx, path, buf, len);

	if (ret)
		return ret > 0 ? 2 : ret;
	digest_of(*buf, *len, digest);
	return *len == m->size && !memcmp(digest, m->digest, 32) ? 0 : 1;
}

static bool parse_digest(const char *s, uint8_t digest[32])
{
	for (size_t i = 0; i < 32; i++) {
		int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);

		if (lo < 0)
			return false;
		digest[i] = (uint8_t)(hi << 4 | lo);
	}
	return !s[64];
}

/* What is wrong with one line of a manifest, NULL for nothing. */
static const char *manifest_line(char *line, struct xa_vec *files, bool *oom)
{
	struct mfile *m;
	char *f[3], *p = line;
	uint8_t digest[32];
	size_t n = 0;

	while (p && n < 3)
		f[n++] = strsep(&p, "\t");
	if (p || n != 3 || !unescape(f[0]) || !mfile_path_valid(f[0]) ||
	    !*f[1] || strspn(f[1], "0123456789") != strlen(f[1]) ||
	    strlen(f[1]) > 12 || !parse_digest(f[2], digest))
		return "not a line of a manifest (PATH SIZE SHA256)";
	if (mfile_find(files, f[0]))
		return "a file named twice";
	if (!(m = xa_vec_push(files)) || !(m->path = strdup(f[0]))) {
		*oom = true;
		return "out of memory";
	}
	m->size = strtoull(f[1], NULL, 10);
	memcpy(m->digest, digest, 32);
	return NULL;
}

/*
 * The files dir's manifest names, sorted, into files (empty on entry);
 * *found false and 0 when there is no manifest.  Errors: FILE:LINE.
 */
static int read_manifest(struct xenabi_ctx *ctx, const char *dir,
			 struct xa_vec *files, bool *found)
{
	char *path, *buf = NULL, *line, *next, *nl;
	const char *why = NULL;
	unsigned int lineno = 0;
	bool ended = false, oom = false;
	uint8_t digest[32];
	struct sha256_ctx sha;
	size_t len;
	int ret;

	*found = false;
	if (!(path = join(dir, MANIFEST)))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if ((ret = slurp(ctx, path, &buf, &len)) > 0)
		ret = 0;
	if (ret || !buf)
		goto out;
	*found = true;
	sha256_init(&sha);
	for (line = buf; !why && line < buf + len; line = next) {
		lineno++;
		nl = memchr(line, '\n', (size_t)(buf + len - line));
		next = nl ? nl + 1 : buf + len;
		if (!nl)
			why = "a line with no end: the file is cut short";
		else if (memchr(line, '\0', (size_t)(nl - line)))
			why = "a NUL byte";
		else if (nl > line && nl[-1] == '\r')
			why = "CRLF line endings: the file went through a DOS "
			      "conversion; convert it back to LF (dos2unix)";
		else if (ended)
			why = "a line after the end line";
		if (why)
			break;
		/* The end line keys everything before it: none goes missing. */
		if (!strncmp(line, "end\t", 4)) {
			*nl = '\0';
			sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
			if (strlen(line + 4) != 16 ||
			    strspn(line + 4, "0123456789abcdef") != 16 ||
			    strtoull(line + 4, NULL, 16) != key_of(digest))
				why = "the manifest does not match its end line";
			ended = true;
			continue;
		}
		sha256_update(&sha, (size_t)(next - line), (const uint8_t *)line);
		*nl = '\0';
		if (line[0] != '#')
			why = manifest_line(line, files, &oom);
	}
	if (!why && !ended)
		why = "no end line: the file is cut short";
	if (oom)
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	else if (why)
		ret = xa_error(ctx, XENABI_EINVAL, "%s:%u: %s; regenerate the "
			       "baselines (make baselines) rather than edit "
			       "them", path, lineno, why);
	else
		qsort(files->data, files->len, sizeof(struct mfile), mfile_cmp);
out:
	if (ret)
		mfiles_release(files);
	free(buf);
	free(path);
	return ret;
}

/* Make what was written reach the disk: a file's bytes, a directory's names. */
static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	/* Some file systems cannot sync a directory; they order it anyway. */
	if (ret && (errno == EINVAL || errno == EROFS))
		ret = 0;
	close(fd);
	return ret;
}

/* Close f once its bytes are on the disk; nonzero when any write failed. */
static int close_synced(FILE *f)
{
	int bad = fflush(f) || fsync(fileno(f)) || ferror(f);

	return (fclose(f) != 0) | bad;
}

/* Tell the crash tests' hook that a change to the disk is done. */
static void step(struct xenabi_ctx *ctx, const char *what, const char *path)
{
	char s[512];

	if (!ctx->step_fn)
		return;
	snprintf(s, sizeof(s), "%s %s", what, path);
	ctx->step_fn(ctx->step_data, s);
}

/* ---- writing -------------------------------------------------------------- */

struct out_layout {
	key_t64 key;
	uint8_t digest[32];
	struct xenabi_type t;	/* members and strings in the writer's arena */
};

struct out_const {
	key_t64 key;
	uint8_t digest[32];
	struct xenabi_const c;
};

/* One line of a set: a record of a header, where, and in which units. */
struct item {
	const char *file;
	uint32_t line;
	key_t64 key;
	const char *name;	/* for the reader's eye: sets sort by line */
	unsigned int units;
	int digits;		/* of UNITS as read (2 in older files); 0: 3 */
};

struct out_set {
	key_t64 key;
	char kind;		/* 'D' layouts (declarations), 'K' constants */
	const char *file;
	struct item *items;
	size_t nitems;
};

struct writer {
	struct xenabi_ctx *ctx;
	struct xa_arena *arena;
	struct kmap layouts, consts, sets;
	bool oom;
	bool collision;		/* two records, one key: written nowhere */
	key_t64 collision_key;
};

static void collide(struct writer *w, key_t64 k)
{
	w->collision = true;
	w->collision_key = k;
}

static const char *wdup(struct writer *w, const char *s)
{
	char *p = xa_arena_strdup(w->arena, s ? s : "");

	if (!p)
		w->oom = true;
	return p ? p : "";
}

/* The layout's key, keeping a copy the first time it is seen. */
static key_t64 keep_layout(struct writer *w, const struct xenabi_type *t)
{
	uint8_t digest[32];
	key_t64 k;
	struct out_layout *o;

	xa_type_digest(t, digest);
	k = key_of(digest);
	if ((o = kmap_get(&w->layouts, k))) {
		if (memcmp(o->digest, digest, 32))
			collide(w, k);	/* never seen, never trusted */
		return k;
	}
	o = xa_arena_alloc(w->arena, sizeof(*o));
	if (!o || kmap_put(&w->layouts, k, o)) {
		w->oom = true;
		return k;
	}
	o->key = k;
	memcpy(o->digest, digest, 32);
	o->t = *t;
	o->t.name = wdup(w, t->name);
	o->t.target = wdup(w, t->target);
	o->t.file = "";
	o->t.line = 0;
	o->t.members = t->nmembers ? xa_arena_alloc(w->arena, t->nmembers *
						    sizeof(*t->members))
				   : NULL;
	if (t->nmembers && !o->t.members) {
		w->oom = true;
		o->t.nmembers = 0;
		return k;
	}
	for (size_t i = 0; i < t->nmembers; i++) {
		struct xenabi_member *m = &o->t.members[i];

		*m = t->members[i];
		m->name = wdup(w, m->name);
		m->type = wdup(w, m->type);
		m->base = wdup(w, m->base);
		m->dims = wdup(w, m->dims);
	}
	return k;
}

static key_t64 keep_const(struct writer *w, const struct xenabi_const *c)
{
	uint8_t digest[32];
	key_t64 k;
	struct out_const *o;

	xa_const_digest(c, digest);
	k = key_of(digest);
	if ((o = kmap_get(&w->consts, k))) {
		if (memcmp(o->digest, digest, 32))
			collide(w, k);
		return k;
	}
	o = xa_arena_alloc(w->arena, sizeof(*o));
	if (!o || kmap_put(&w->consts, k, o)) {
		w->oom = true;
		return k;
	}
	o->key = k;
	memcpy(o->digest, digest, 32);
	o->c = *c;
	o->c.name = wdup(w, c->name);
	o->c.text = wdup(w, c->text);
	o->c.str = wdup(w, c->str);
	o->c.file = "";
	o->c.line = 0;
	return k;
}

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return 0;
}

/* One item for a record at one place in several units. */
static void item_units(void *into, const void *from)
{
	((struct item *)into)->units |= ((const struct item *)from)->units;
}

/* A set's text, from which its key is taken, is what the file says. */
static void set_line(struct xa_buf *b, const struct item *it)
{
	xa_buf_printf(b, "\t%016" PRIx64 "\t%u\t%0*x\t%s\n", it->key, it->line,
		      it->digits ? it->digits : 3, it->units, it->name);
}

static key_t64 keep_set(struct writer *w, char kind, const struct item *it,
			size_t n)
{
	struct xa_buf b;
	uint8_t digest[32];
	struct out_set *s;
	key_t64 k;

	xa_buf_init(&b);
	xa_buf_printf(&b, "%c %s\n", kind, it[0].file);
	for (size_t i = 0; i < n; i++)
		set_line(&b, &it[i]);
	if (b.oom) {
		xa_buf_release(&b);
		w->oom = true;
		return 0;
	}
	digest_of(b.s, b.len, digest);
	xa_buf_release(&b);
	k = key_of(digest);
	if ((s = kmap_get(&w->sets, k))) {
		bool same = s->kind == kind && s->nitems == n &&
			    !strcmp(s->file, it[0].file);

		for (size_t i = 0; same && i < n; i++)
			same = s->items[i].key == it[i].key &&
			       s->items[i].line == it[i].line &&
			       s->items[i].units == it[i].units &&
			       !strcmp(s->items[i].name, it[i].name);
		if (!same)
			collide(w, k);
		return k;
	}
	s = xa_arena_alloc(w->arena, sizeof(*s));
	if (!s || kmap_put(&w->sets, k, s) ||
	    !(s->items = xa_arena_alloc(w->arena, n * sizeof(*it)))) {
		w->oom = true;
		return k;
	}
	s->key = k;
	s->kind = kind;
	s->file = wdup(w, it[0].file);
	s->nitems = n;
	for (size_t i = 0; i < n; i++) {
		s->items[i] = it[i];
		s->items[i].file = s->file;
		s->items[i].name = wdup(w, it[i].name);
	}
	return k;
}

struct failure_line {
	const char *header;
	const char *message;
	unsigned int units;
};

static int failure_cmp(const void *a, const void *b)
{
	const struct failure_line *x = a, *y = b;
	int c = strcmp(x->header, y->header);

	return c ? c : strcmp(x->message, y->message);
}

static int write_release(struct writer *w, const struct xenabi_release *rel,
			 const char *path)
{
	struct xa_vec decls, consts, failures;
	unsigned int units = 0;
	char *text = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int ret = 0;

	xa_vec_init(&decls, sizeof(struct item));
	xa_vec_init(&consts, sizeof(struct item));
	xa_vec_init(&failures, sizeof(struct failure_line));
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		const struct xenabi_unit *unit = &rel->units[u];

		/* A unit not present may say why: its ABI did not exist. */
		for (size_t i = 0; i < unit->nfailures && !w->oom; i++) {
			struct failure_line *fl = failures.data;
			size_t k;

			for (k = 0; k < failures.len; k++)
				if (!strcmp(fl[k].header, unit->failures[i].header) &&
				    !strcmp(fl[k].message, unit->failures[i].message))
					break;
			if (k == failures.len && !(fl = xa_vec_push(&failures))) {
				w->oom = true;
				break;
			}
			fl = (struct failure_line *)failures.data + k;
			fl->header = unit->failures[i].header;
			fl->message = unit->failures[i].message;
			fl->units |= 1u << u;
		}
		if (!rel->present[u])
			continue;
		units |= 1u << u;
		for (size_t i = 0; i < unit->ntypes && !w->oom; i++) {
			struct item *it = xa_vec_push(&decls);

			if (!it) {
				w->oom = true;
				break;
			}
			it->file = unit->types[i].file ? unit->types[i].file : "";
			it->line = unit->types[i].line;
			it->key = keep_layout(w, &unit->types[i]);
			it->name = unit->types[i].name;
			it->units = 1u << u;
		}
		for (size_t i = 0; i < unit->nconsts && !w->oom; i++) {
			struct item *it = xa_vec_push(&consts);

			if (!it) {
				w->oom = true;
				break;
			}
			it->file = unit->consts[i].file ? unit->consts[i].file : "";
			it->line = unit->consts[i].line;
			it->key = keep_const(w, &unit->consts[i]);
			it->name = unit->consts[i].name;
			it->units = 1u << u;
		}
	}
	if (w->oom)
		goto out;
	xa_vec_sort_merge(&decls, item_cmp, item_units);
	xa_vec_sort_merge(&consts, item_cmp, item_units);
	if (failures.len)
		qsort(failures.data, failures.len, failures.elem, failure_cmp);

	/* In memory first: the last line is a key of all the others. */
	f = open_memstream(&text, &len);
	if (!f) {
		w->oom = true;
		goto out;
	}
	fputs("# xenabi baseline of one release: its headers' sets of layouts "
	      "(D) and\n# constants (K), and the headers its probes left "
	      "out.  Written by\n# 'xenabi baselines', not by hand.\n", f);
	fputs("release\t", f);
	put_field(f, rel->name);
	fputs("\nsource\t", f);
	put_field(f, rel->source);
	fputs("\ndate\t", f);
	put_field(f, rel->scanned_at);
	fputs("\ntree\t", f);
	put_field(f, rel->tree_hash);
	fprintf(f, "\nunits\t%03x\n", units);
	/* Each header: its layouts' set and its constants' set. */
	{
		const struct item *d = decls.data, *c = consts.data;
		size_t i = 0, j = 0;

		while (i < decls.len || j < consts.len) {
			const char *file = i < decls.len && (j >= consts.len ||
				strcmp(d[i].file, c[j].file) <= 0) ? d[i].file
								 : c[j].file;
			size_t i0 = i, j0 = j;
			key_t64 dk = 0, ck = 0;

			while (i < decls.len && !strcmp(d[i].file, file))
				i++;
			while (j < consts.len && !strcmp(c[j].file, file))
				j++;
			if (i > i0)
				dk = keep_set(w, 'D', d + i0, i - i0);
			if (j > j0)
				ck = keep_set(w, 'K', c + j0, j - j0);
			fputs("file\t", f);
			put_field(f, file);
			if (i > i0)
				fprintf(f, "\t%016" PRIx64, dk);
			else
				fputs("\t-", f);
			if (j > j0)
				fprintf(f, "\t%016" PRIx64 "\n", ck);
			else
				fputs("\t-\n", f);
		}
	}
	/* The compat list, sorted as the store gives it. */
	for (size_t i = 0; i < rel->ncompat; i++) {
		fputs("compat\t", f);
		put_field(f, rel->compat[i].name);
		fputc('\t', f);
		put_field(f, rel->compat[i].header);
		fputc('\n', f);
	}
	/* The sub-ops dispatchers name; "-": the file was read. */
	for (size_t i = 0; i < rel->ndispatch; i++) {
		fputs("dispatch\t", f);
		put_field(f, *rel->dispatch[i].name ? rel->dispatch[i].name : "-");
		fputc('\t', f);
		put_field(f, rel->dispatch[i].file);
		fputc('\n', f);
	}
	/* What dispatchers' sub-op cases use; "-": under none of them. */
	for (size_t i = 0; i < rel->nuses; i++) {
		fputs("use\t", f);
		put_field(f, rel->uses[i].name);
		fputc('\t', f);
		put_field(f, *rel->uses[i].subop ? rel->uses[i].subop : "-");
		fputc('\t', f);
		put_field(f, rel->uses[i].file);
		fputc('\n', f);
	}
	/* The save records loaded zero-extended; "-": the struct unknown. */
	for (size_t i = 0; i < rel->nzeroext; i++) {
		const struct xenabi_zeroext *z = &rel->zeroext[i];

		fputs("zeroext\t", f);
		put_field(f, z->name);
		fputc('\t', f);
		put_field(f, z->tag && *z->tag ? z->tag : "-");
		fputc('\t', f);
		put_field(f, z->file);
		fputc('\n', f);
	}
	/*
	 * The hypercall table: one line per (hypercall, kind), "-" for no
	 * parameters; then the widths of its types per ABI.
	 */
	for (size_t i = 0; i < rel->nhypercalls; i++) {
		const struct xenabi_hypercall *h = &rel->hypercalls[i];

		fputs("hypercall\t", f);
		put_field(f, h->name);
		fputc('\t', f);
		put_field(f, h->kind);
		fputc('\t', f);
		put_field(f, h->handler);
		fprintf(f, "\t%u\t%s\t", h->priority,
			h->optional ? "optional" : "always");
		put_field(f, h->rettype);
		fputc('\t', f);
		put_field(f, *h->params ? h->params : "-");
		fputc('\t', f);
		put_field(f, h->file);
		fputc('\t', f);
		put_field(f, h->number && *h->number ? h->number : "-");
		fputc('\n', f);
	}
	for (size_t i = 0; i < rel->nctypes; i++) {
		const struct xenabi_ctype *c = &rel->ctypes[i];

		fprintf(f, "ctype\t%s\t", xenabi_abi_name(c->abi));
		put_field(f, c->type);
		fprintf(f, "\t%u\t%s\n", c->size, c->is_signed ? "signed"
								: "unsigned");
	}
	for (size_t i = 0; i < failures.len; i++) {
		const struct failure_line *fl =
			(const struct failure_line *)failures.data + i;

		fprintf(f, "failure\t%03x\t", fl->units);
		put_field(f, fl->header);
		fputc('\t', f);
		put_field(f, fl->message);
		fputc('\n', f);
	}
out:
	if (f && (ferror(f) | fclose(f)))
		w->oom = true;
	if (!ret && !w->oom) {
		uint8_t digest[32];
		FILE *file = fopen(path, "w");
		bool failed;

		digest_of(text, len, digest);
		if (file) {
			fwrite(text, 1, len, file);
			fprintf(file, "end\t%016" PRIx64 "\n", key_of(digest));
			failed = close_synced(file);
		}
		if (!file || failed)
			ret = xa_error(w->ctx, XENABI_EIO, "cannot write '%s': %s",
				       path, strerror(errno));
	}
	free(text);
	xa_vec_release(&decls);
	xa_vec_release(&consts);
	xa_vec_release(&failures);
	if (!ret && w->oom)
		ret = xa_error(w->ctx, XENABI_ENOMEM, "out of memory");
	return ret;
}

/* The values of a map, sorted. */
static void **sorted_values(const struct kmap *m,
			    int (*cmp)(const void *, const void *))
{
	void **v = calloc(m->len + 1, sizeof(void *));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < m->cap; i++)
		if (m->vals[i])
			v[n++] = m->vals[i];
	if (n)
		qsort(v, n, sizeof(void *), cmp);
	return v;
}

static int layout_cmp(const void *a, const void *b)
{
	const struct out_layout *x = *(void *const *)a, *y = *(void *const *)b;
	int c = strcmp(x->t.name, y->t.name);

	if (c)
		return c;
	if (x->t.kind != y->t.kind)
		return x->t.kind < y->t.kind ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int const_cmp(const void *a, const void *b)
{
	const struct out_const *x = *(void *const *)a, *y = *(void *const *)b;
	int c = strcmp(x->c.name, y->c.name);

	return c ? c : x->key < y->key ? -1 : x->key > y->key;
}

static int set_cmp(const void *a, const void *b)
{
	const struct out_set *x = *(void *const *)a, *y = *(void *const *)b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void write_layout(FILE *f, const struct out_layout *o)
{
	const struct xenabi_type *t = &o->t;

	fprintf(f, "%s\t", xenabi_kind_name(t->kind));
	put_field(f, t->name);
	fprintf(f, "\t%016" PRIx64 "\t%" PRIu64 "\t%u\t", o->key, t->size,
		t->align);
	put_field(f, t->target);
	fputc('\n', f);
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct xenabi_member *m = &t->members[i];

		fputc('\t', f);
		put_field(f, m->name);
		if (t->kind == XENABI_KIND_ENUM) {
			fprintf(f, "\t%" PRId64 "\n", m->value);
			continue;
		}
		fprintf(f, "\t%" PRIu64 "\t%" PRIu64 "\t", m->offset, m->size);
		put_field(f, m->type);
		fputc('\t', f);
		put_field(f, m->base);
		fputc('\t', f);
		put_field(f, m->dims);
		fprintf(f, "\t%s\t%u\t%c\t%u\t%u\n",
			xenabi_base_class_name(m->base_class), m->bits,
			m->is_signed ? 's' : 'u', m->bit_offset, m->bit_size);
	}
}

static void write_const(FILE *f, const struct out_const *o)
{
	const struct xenabi_const *c = &o->c;

	put_field(f, c->name);
	fprintf(f, "\t%016" PRIx64 "\t%s\t%" PRIu64 "\t%u\t%c\t", o->key,
		xenabi_const_class_name(c->class), c->value, c->width,
		c->is_signed ? 's' : 'u');
	put_field(f, c->text);
	fputc('\t', f);
	put_field(f, c->str);
	fputc('\n', f);
}

static void write_set(FILE *f, const struct out_set *s)
{
	struct xa_buf b;

	xa_buf_init(&b);
	for (size_t i = 0; i < s->nitems; i++)
		set_line(&b, &s->items[i]);
	fprintf(f, "%c\t%016" PRIx64 "\t", s->kind, s->key);
	put_field(f, s->file);
	fprintf(f, "\n%s", b.s ? b.s : "");
	xa_buf_release(&b);
}

/* Write stage/name with each sorted value, synced. */
static int write_table(struct writer *w, const char *stage, const char *name,
		       const char *heading, const struct kmap *m,
		       int (*cmp)(const void *, const void *),
		       void (*line)(FILE *, const void *))
{
	void **v = sorted_values(m, cmp);
	char *path = NULL;
	FILE *f = NULL;
	int ret = 0;

	if (!v || !(path = join(stage, name))) {
		ret = xa_error(w->ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if (!(f = fopen(path, "w"))) {
		ret = xa_error(w->ctx, XENABI_EIO, "cannot write '%s': %s", path,
			       strerror(errno));
		goto out;
	}
	fputs(heading, f);
	for (size_t i = 0; i < m->len; i++)
		line(f, v[i]);
	if (close_synced(f))
		ret = xa_error(w->ctx, XENABI_EIO, "cannot write '%s': %s", path,
			       strerror(errno));
	else
		step(w->ctx, "wrote", path);
out:
	free(v);
	free(path);
	return ret;
}

static void line_layout(FILE *f, const void *v) { write_layout(f, v); }
static void line_const(FILE *f, const void *v) { write_const(f, v); }
static void line_set(FILE *f, const void *v) { write_set(f, v); }

static int mkdir_p(const char *path)
{
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

/* Whether a stored release is one to write: every one, or one named. */
static bool wanted(const char *name, char *const *names, size_t nnames)
{
	for (size_t i = 0; i < nnames; i++)
		if (!strcmp(names[i], name))
			return true;
	return !names;
}

/*
 * Move into place each file of the manifest files still in the stage:
 * the second half of a switch, or the rest of one a writer was stopped
 * in.  With check, only a staged file that is the one named (a stopped
 * writer's stage may hold the files of a switch it never made).
 */
static int finish_switch(struct xenabi_ctx *ctx, const char *dir,
			 const struct xa_vec *files, bool check)
{
	const struct mfile *m = files->data;
	char *stage = join(dir, STAGE), *from = NULL, *to = NULL, *buf = NULL;
	size_t len;
	int ret = stage ? 0 : xa_error(ctx, XENABI_ENOMEM, "out of memory");

	for (size_t i = 0; i < files->len && !ret; i++) {
		free(from);
		free(to);
		from = join(stage, m[i].path);
		if (!from || !(to = join(dir, m[i].path))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
		if (check) {
			int named = read_named(ctx, from, &m[i], &buf, &len);

			free(buf);
			buf = NULL;
			if (named < 0)
				ctx->errmsg[0] = '\0';
			if (named)
				continue;
		}
		if (rename(from, to))
			ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", to,
				       strerror(errno));
		else
			step(ctx, "moved into place", to);
	}
	free(from);
	free(to);
	if (!ret && (!(to = join(dir, "releases")) || sync_path(to) ||
		     sync_path(dir)))
		ret = xa_error(ctx, XENABI_EIO, "cannot sync '%s': %s", dir,
			       strerror(errno));
	free(to);
	free(stage);
	return ret;
}

/*
 * Empty the stage, the directory only this writer writes (a stopped
 * writer's files, its switch finished), and remove it when rmdir.  Best
 * effort: what cannot go makes the write fail where it is in the way.
 */
static void clear_stage(struct xenabi_ctx *ctx, const char *dir, bool rmdirs)
{
	static const char *const subs[] = { STAGE "/releases", STAGE };

	for (size_t k = 0; k < 2; k++) {
		char *sub, *path;
		struct dirent *de;
		DIR *d;

		if (!(sub = join(dir, subs[k])))
			return;
		if ((d = opendir(sub))) {
			while ((de = readdir(d))) {
				if (de->d_name[0] == '.' ||
				    !(path = join(sub, de->d_name)))
					continue;
				/* Files only, and not the stage's releases/. */
				if ((k == 0 || strcmp(de->d_name, "releases")) &&
				    !unlink(path))
					step(ctx, "removed", path);
				free(path);
			}
			closedir(d);
		}
		if (rmdirs && !rmdir(sub))
			step(ctx, "removed", sub);
		free(sub);
	}
}

/*
 * Whether the file at path is a release as xenabi writes them, of the
 * release name: what load would read as that release.  Any other file
 * under releases/ is not the writer's to remove.
 */
static bool is_release_file(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char line[256];
	struct stat st;
	bool yes = false;
	FILE *f;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "r"))) {
		close(fd);
		return false;
	}
	for (int i = 0; i < 16 && fgets(line, sizeof(line), f); i++) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		yes = !strncmp(line, "release\t", 8) && !strcmp(line + 8, name);
		break;
	}
	fclose(f);
	return yes;
}

/*
 * A release no longer written is no longer a baseline: remove each file
 * of releases/ the new manifest does not name that the old one did, or
 * that is a release file of xenabi's (one a directory written before
 * manifests, or a stopped writer, left).  Nothing else.
 */
static void remove_stale(struct xenabi_ctx *ctx, const char *reldir,
			 const struct xa_vec *old, const struct xa_vec *files)
{
	DIR *d = opendir(reldir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *rel, *path;

		if (de->d_name[0] == '.')
			continue;
		rel = join("releases", de->d_name);
		path = join(reldir, de->d_name);
		if (rel && path && !mfile_find(files, rel) &&
		    (mfile_find(old, rel) || is_release_file(path, de->d_name)) &&
		    !unlink(path))
			step(ctx, "removed", path);
		free(rel);
		free(path);
	}
	closedir(d);
}

/*
 * The manifest of the files written to the stage (the tables, then
 * releases/NAME of each release written), into files, and written to the
 * stage, synced.  Its own end line keys it, as a release's does.
 */
static int write_manifest(struct xenabi_ctx *ctx, const char *stage,
			  const struct xenabi_release_info *infos, size_t n,
			  struct xa_vec *files)
{
	struct xa_buf b;
	uint8_t digest[32];
	char *path = NULL, *buf = NULL;
	FILE *f;
	int ret = 0;

	xa_buf_init(&b);
	for (size_t i = 0; i < 3 + n && !ret; i++) {
		struct mfile *m;
		char *rel;
		size_t len;

		free(path);
		rel = i < 3 ? strdup(tables[i])
			    : join("releases", infos[i - 3].name);
		path = rel ? join(stage, rel) : NULL;
		if (!path || !(m = xa_vec_push(files))) {
			free(rel);
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
		m->path = rel;
		if ((ret = slurp(ctx, path, &buf, &len)) > 0)
			ret = xa_error(ctx, XENABI_EIO, "cannot read '%s': %s",
				       path, strerror(ENOENT));
		if (ret)
			break;
		m->size = len;
		digest_of(buf, len, m->digest);
		free(buf);
		buf = NULL;
	}
	if (ret)
		goto out;
	qsort(files->data, files->len, sizeof(struct mfile), mfile_cmp);
	xa_buf_puts(&b, "# xenabi baselines: the files 'xenabi baselines load' "
			"reads, and no others:\n# PATH SIZE SHA256.  Written "
			"last, once they are whole, by 'xenabi\n# baselines'; "
			"see baselines/README.md.\n");
	for (size_t i = 0; i < files->len; i++) {
		const struct mfile *m = (const struct mfile *)files->data + i;

		xa_buf_printf(&b, "%s\t%" PRIu64 "\t", m->path, m->size);
		for (size_t k = 0; k < 32; k++)
			xa_buf_printf(&b, "%02x", m->digest[k]);
		xa_buf_puts(&b, "\n");
	}
	if (b.oom) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	digest_of(b.s, b.len, digest);
	xa_buf_printf(&b, "end\t%016" PRIx64 "\n", key_of(digest));
	free(path);
	if (!(path = join(stage, MANIFEST)) || b.oom) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if ((f = fopen(path, "w")))
		fwrite(b.s, 1, b.len, f);
	if (!f || close_synced(f))
		ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", path,
			       strerror(errno));
	else
		step(ctx, "wrote", path);
out:
	xa_buf_release(&b);
	free(path);
	return ret;
}

int xenabi_baselines_write(struct xenabi_ctx *ctx, struct xenabi_db *db,
			   char *const *names, size_t nnames, const char *dir)
{
	struct writer w = { .ctx = ctx };
	struct xenabi_release_info *infos = NULL;
	struct xa_vec old, files;	/* the manifests: the one there, ours */
	char *reldir = NULL, *stage = NULL, *stagerel = NULL, *tmp = NULL,
	     *to = NULL;
	size_t n = 0;
	int ret, lock = -1;
	bool staged = false, switched = false, found;

	xa_vec_init(&old, sizeof(struct mfile));
	xa_vec_init(&files, sizeof(struct mfile));
	if ((ret = xenabi_db_list_releases(ctx, db, &infos, &n)))
		return ret;
	/* The releases not asked for are not there. */
	for (size_t i = 0, k = 0; i < n; i++) {
		if (wanted(infos[i].name, names, nnames)) {
			infos[k++] = infos[i];
		} else {
			free(infos[i].name);
			free(infos[i].source);
			free(infos[i].tree_hash);
			free(infos[i].scanned_at);
		}
		if (i + 1 == n)
			n = k;
	}
	if (!(w.arena = xa_arena_new()) || !(reldir = join(dir, "releases")) ||
	    !(stage = join(dir, STAGE)) ||
	    !(stagerel = join(stage, "releases")) ||
	    !(to = join(dir, MANIFEST))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if (mkdir_p(dir) || mkdir_p(reldir)) {
		ret = xa_error(ctx, XENABI_EIO, "cannot create '%s': %s", reldir,
			       strerror(errno));
		goto out;
	}
	/* One writer at a time: two would mix their files. */
	if ((lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    flock(lock, LOCK_EX | LOCK_NB)) {
		ret = errno == EWOULDBLOCK
			? xa_error(ctx, XENABI_EINVAL, "another writer is writing "
				   "baselines into '%s'; wait for it to finish",
				   dir)
			: xa_error(ctx, XENABI_EIO, "cannot lock '%s': %s", dir,
				   strerror(errno));
		goto out;
	}
	/*
	 * A switch a writer was stopped in is finished first: the stage may
	 * hold files the manifest names.  A manifest that cannot be read is
	 * replaced, not finished.
	 */
	if (read_manifest(ctx, dir, &old, &found))
		ctx->errmsg[0] = '\0';
	if ((ret = finish_switch(ctx, dir, &old, true)))
		goto out;
	clear_stage(ctx, dir, false);
	staged = true;
	if (mkdir_p(stage) || mkdir_p(stagerel)) {
		ret = xa_error(ctx, XENABI_EIO, "cannot create '%s': %s",
			       stagerel, strerror(errno));
		goto out;
	}
	step(ctx, "made", stagerel);
	/* One release in memory at a time; what they share is kept once. */
	for (size_t i = 0; i < n && !ret; i++) {
		struct xenabi_release *rel = NULL;

		free(tmp);
		if (!xenabi_release_name_valid(infos[i].name)) {
			tmp = NULL;
			ret = xa_error(ctx, XENABI_EINVAL, "release '%s' cannot be "
				       "a baseline: its name is no file name",
				       infos[i].name);
			break;
		}
		if (!(tmp = join(stagerel, infos[i].name))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
		if ((ret = xenabi_db_load_release(ctx, db, infos[i].name, &rel)))
			break;
		if (!(ret = write_release(&w, rel, tmp)))
			step(ctx, "wrote", tmp);
		xenabi_release_free(rel);
	}
	if (ret ||
	    (ret = write_table(&w, stage, tables[0],
			       "# xenabi baselines: every distinct layout of "
			       "every release, by name.\n# KIND NAME KEY SIZE "
			       "ALIGN TARGET, then its members:\n#   NAME OFFSET "
			       "SIZE TYPE BASE DIMS CLASS BITS SIGN BITOFF "
			       "BITSIZE\n#   (enumerators: NAME VALUE).  Written "
			       "by 'xenabi baselines'.\n",
			       &w.layouts, layout_cmp, line_layout)) ||
	    (ret = write_table(&w, stage, tables[1],
			       "# xenabi baselines: every distinct constant.\n"
			       "# NAME KEY CLASS VALUE WIDTH SIGN TEXT STRING.  "
			       "Written by 'xenabi baselines'.\n",
			       &w.consts, const_cmp, line_const)) ||
	    (ret = write_table(&w, stage, tables[2],
			       "# xenabi baselines: what one header declares, "
			       "shared by the releases\n# whose header declares "
			       "the same.  D (layouts) or K (constants), KEY, "
			       "HEADER,\n# then KEY LINE UNITS NAME per record "
			       "(UNITS: bit abi*2+view,\n# x86_32 x86_64 arm32 "
			       "arm64, tools guest; bit 8+abi: latest).  Written "
			       "by 'xenabi baselines'.\n",
			       &w.sets, set_cmp, line_set)))
		goto out;
	if (w.collision) {
		ret = xa_error(ctx, XENABI_EINVAL, "two records share the key "
			       "%016" PRIx64 "; the baselines cannot be written",
			       w.collision_key);
		goto out;
	}
	if (w.oom) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	/* All written and synced, their names too: then the switch. */
	if ((ret = write_manifest(ctx, stage, infos, n, &files)))
		goto out;
	free(tmp);
	if (!(tmp = join(stage, MANIFEST))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if (sync_path(stagerel) || sync_path(stage) || rename(tmp, to) ||
	    sync_path(dir)) {
		ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", to,
			       strerror(errno));
		goto out;
	}
	switched = true;
	step(ctx, "switched to", to);
	if ((ret = finish_switch(ctx, dir, &files, false)))
		goto out;
	remove_stale(ctx, reldir, &old, &files);
	clear_stage(ctx, dir, true);
out:
	/* Before the switch the stage is ours to drop; after it, load's. */
	if (ret && staged && !switched)
		clear_stage(ctx, dir, true);
	if (lock >= 0)
		close(lock);
	kmap_release(&w.layouts);
	kmap_release(&w.consts);
	kmap_release(&w.sets);
	xa_arena_free(w.arena);
	xenabi_release_infos_free(infos, n);
	mfiles_release(&old);
	mfiles_release(&files);
	free(reldir);
	free(stage);
	free(stagerel);
	free(tmp);
	free(to);
	return ret;
}

/* ---- reading -------------------------------------------------------------- */

struct in_set {
	char kind;
	const char *file;
	struct item *items;
	size_t nitems;
};

struct reader {
	struct xenabi_ctx *ctx;
	struct xa_arena *arena;
	struct kmap layouts, consts, sets;
	const char *path;	/* the file being read, for messages */
	unsigned int lineno;
	bool manifest;		/* files names what to read; false: all */
	struct xa_vec files;
	char *buf;		/* the named bytes of the file being read */
};

static int bad(struct reader *r, const char *what)
{
	return xa_error(r->ctx, XENABI_EINVAL, "%s:%u: %s; regenerate the "
			"baselines (make baselines) rather than edit them",
			r->path, r->lineno, what);
}

/* Split a line into at most max tab-separated fields, unescaped. */
static size_t split(char *line, char **fields, size_t max, bool *ok)
{
	size_t n = 0;
	char *p = line;

	*ok = true;
	line[strcspn(line, "\n")] = '\0';
	while (n < max) {
		fields[n++] = strsep(&p, "\t");
		if (!unescape(fields[n - 1]))
			*ok = false;
		if (!p)
			break;
	}
	if (p)
		*ok = false;	/* more fields than the line may have */
	return n;
}

static bool parse_u64(const char *s, uint64_t *v, int base)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, base);
	return !*end && !errno;
}

static bool parse_key(const char *s, key_t64 *k)
{
	return strlen(s) == 16 && parse_u64(s, k, 16);
}

static const char *rdup(struct reader *r, const char *s, bool *oom)
{
	char *p = xa_arena_strdup(r->arena, s);

	if (!p)
		*oom = true;
	return p ? p : "";
}

static FILE *open_regular(struct xenabi_ctx *ctx, const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;

	if (fd < 0) {
		xa_error(ctx, XENABI_EIO, "cannot read baselines '%s': %s", path,
			 strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > XA_BASELINE_FILE_MAX) {
		xa_error(ctx, XENABI_EINVAL, "baselines '%s' %s", path,
			 !S_ISREG(st.st_mode)
				 ? "is not a regular file; baselines are plain "
				   "files written by 'xenabi baselines write'"
				 : "is larger than 512 MiB: not a baselines file");
		close(fd);
		return NULL;
	}
	/* Reads block again: O_NONBLOCK was only so a FIFO cannot hang open. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (!(f = fdopen(fd, "r"))) {
		xa_error(ctx, XENABI_ENOMEM, "out of memory");
		close(fd);
	}
	return f;
}

/* Whether line ends in CRLF, which *ret then says, pointing at the fix. */
static bool crlf(struct reader *r, const char *line, int *ret)
{
	size_t n = strlen(line);

	if (n < 2 || line[n - 2] != '\r' || line[n - 1] != '\n')
		return false;
	*ret = bad(r, "CRLF line endings: the file went through a DOS "
		      "conversion; convert it back to LF (dos2unix)");
	return true;
}

/*
 * Open dir's file rel (a table, releases/NAME); *path says which file
 * that is, for messages.  With a manifest, the bytes it names and no
 * others: from dir, or from the stage when a writer was stopped before
 * moving them into place.
 */
static FILE *open_table(struct reader *r, const char *dir, const char *rel,
			char **path)
{
	const struct mfile *m;
	char *stage = NULL, *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	bool cr;
	int got;

	free(r->buf);
	r->buf = NULL;
	r->lineno = 0;
	if (!(*path = join(dir, rel))) {
		xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
		return NULL;
	}
	r->path = *path;
	if (!r->manifest)
		return open_regular(r->ctx, *path);
	if (!(m = mfile_find(&r->files, rel))) {
		xa_error(r->ctx, XENABI_EINVAL, "baselines '%s/" MANIFEST "' "
			 "names no '%s'; regenerate the baselines (make "
			 "baselines) rather than edit them", dir, rel);
		return NULL;
	}
	got = read_named(r->ctx, *path, m, &r->buf, &len);
	cr = got == 1 && strstr(r->buf, "\r\n");
	if (got == 1 || got == 2) {
		char *sd = join(dir, STAGE);

		stage = sd ? join(sd, rel) : NULL;
		free(sd);
		if (!stage) {
			xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
			return NULL;
		}
		if (!read_named(r->ctx, stage, m, &buf, &len)) {
			free(r->buf);
			r->buf = buf;
			free(*path);
			r->path = *path = stage;
			stage = NULL;
			got = 0;
		} else {
			free(buf);
		}
	}
	if (got == 2)
		xa_error(r->ctx, XENABI_EIO, "cannot read baselines '%s': %s",
			 *path, strerror(ENOENT));
	else if (got == 1)
		xa_error(r->ctx, XENABI_EINVAL, "baselines '%s' is not the file "
			 "its manifest names (size or sha256 differ)%s; "
			 "regenerate the baselines (make baselines) rather than "
			 "edit them", *path, cr ? ": it has CRLF line endings "
			 "(convert it back to LF, dos2unix)" : "");
	else if (!got && !(f = fmemopen(r->buf, len, "r")))
		xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
	free(stage);
	return f;
}

/* Finish the layout being read: its members, and a digest that agrees. */
static int end_layout(struct reader *r, struct out_layout *o,
		      struct xa_vec *members)
{
	uint8_t digest[32];

	if (!o)
		return 0;
	o->t.members = xa_vec_finish(members, r->arena, &o->t.nmembers);
	if (o->t.nmembers && !o->t.members)
		return xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
	xa_type_digest(&o->t, digest);
	if (key_of(digest) != o->key)
		return bad(r, "this layout does not match its key");
	if (kmap_get(&r->layouts, o->key))
		return bad(r, "a second layout with this key");
	return kmap_put(&r->layouts, o->key, o)
		       ? xa_error(r->ctx, XENABI_ENOMEM, "out of memory") : 0;
}

static int read_layouts(struct reader *r, const char *dir)
{
	char *path = NULL, *line = NULL, *fl[12];
	FILE *f = open_table(r, dir, "layouts", &path);
	struct out_layout *cur = NULL;
	struct xa_vec members;
	size_t cap = 0;
	bool oom = false, ok;
	int ret = 0;

	xa_vec_init(&members, sizeof(struct xenabi_member));
	if (!f) {
		free(path);
		return -XENABI_EIO;
	}
	while (!ret && getline(&line, &cap, f) > 0) {
		r->lineno++;
		if (crlf(r, line, &ret))
			break;
		if (line[0] == '#')
			continue;
		if (line[0] != '\t') {
			size_t n = split(line, fl, 6, &ok);
			int kind = xenabi_kind_parse(fl[0]);
			uint64_t size, align;

			if ((ret = end_layout(r, cur, &members)))
				break;
			cur = xa_arena_alloc(r->arena, sizeof(*cur));
			if (!cur) {
				oom = true;
				break;
			}
			memset(cur, 0, sizeof(*cur));
			if (!ok || n != 6 || kind < 0 || !parse_key(fl[2], &cur->key) ||
			    !parse_u64(fl[3], &size, 10) ||
			    !parse_u64(fl[4], &align, 10)) {
				ret = bad(r, "not a layout line (KIND NAME KEY "
					     "SIZE ALIGN TARGET)");
				break;
			}
			cur->t.kind = kind;
			cur->t.name = rdup(r, fl[1], &oom);
			cur->t.target = rdup(r, fl[5], &oom);
			cur->t.file = "";
			cur->t.size = size;
			cur->t.align = align;
			continue;
		}
		if (!cur) {
			ret = bad(r, "a member before any layout");
			break;
		}
		struct xenabi_member *m = xa_vec_push(&members);
		size_t n = split(line + 1, fl, 11, &ok);
		uint64_t v[7];

		if (!m) {
			oom = true;
			break;
		}
		m->type = m->base = m->dims = "";
		m->name = rdup(r, fl[0], &oom);
		if (cur->t.kind == XENABI_KIND_ENUM) {
			char *end;

			errno = 0;
			m->value = n == 2 ? strtoll(fl[1], &end, 10) : 0;
			if (!ok || n != 2 || *end || errno || !*fl[1])
				ret = bad(r, "not an enumerator line (NAME VALUE)");
			continue;
		}
		int class = -1;

		for (int c = 0; n == 11 && c < XENABI_BASE_COUNT; c++)
			if (!strcmp(fl[6], xenabi_base_class_name(c)))
				class = c;
		if (!ok || n != 11 || class < 0 || !parse_u64(fl[1], &v[0], 10) ||
		    !parse_u64(fl[2], &v[1], 10) || !parse_u64(fl[7], &v[2], 10) ||
		    (strcmp(fl[8], "s") && strcmp(fl[8], "u")) ||
		    !parse_u64(fl[9], &v[3], 10) || !parse_u64(fl[10], &v[4], 10)) {
			ret = bad(r, "not a member line (NAME OFFSET SIZE TYPE "
				     "BASE DIMS CLASS BITS SIGN BITOFF BITSIZE)");
			break;
		}
		m->offset = v[0];
		m->size = v[1];
		m->type = rdup(r, fl[3], &oom);
		m->base = rdup(r, fl[4], &oom);
		m->dims = rdup(r, fl[5], &oom);
		m->base_class = class;
		m->bits = v[2];
		m->is_signed = fl[8][0] == 's';
		m->bit_offset = v[3];
		m->bit_size = v[4];
	}
	if (!ret && !oom)
		ret = end_layout(r, cur, &members);
	if (!ret && oom)
		ret = xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
	xa_vec_release(&members);
	free(line);
	fclose(f);
	free(path);
	return ret;
}

static int read_constants(struct reader *r, const char *dir)
{
	char *path = NULL, *line = NULL, *fl[8];
	FILE *f = open_table(r, dir, "constants", &path);
	size_t cap = 0;
	bool oom = false, ok;
	int ret = 0;

	if (!f) {
		free(path);
		return -XENABI_EIO;
	}
	while (!ret && !oom && getline(&line, &cap, f) > 0) {
		struct out_const *o;
		uint8_t digest[32];
		uint64_t value, width;
		int class = -1;
		size_t n;

		r->lineno++;
		if (crlf(r, line, &ret))
			break;
		if (line[0] == '#')
			continue;
		n = split(line, fl, 8, &ok);
		for (int c = 0; n == 8 && c < XENABI_CONST_COUNT; c++)
			if (!strcmp(fl[2], xenabi_const_class_name(c)))
				class = c;
		if (!(o = xa_arena_alloc(r->arena, sizeof(*o)))) {
			oom = true;
			break;
		}
		memset(o, 0, sizeof(*o));
		if (!ok || n != 8 || class < 0 || !parse_key(fl[1], &o->key) ||
		    !parse_u64(fl[3], &value, 10) || !parse_u64(fl[4], &width, 10) ||
		    (strcmp(fl[5], "s") && strcmp(fl[5], "u"))) {
			ret = bad(r, "not a constant line (NAME KEY CLASS VALUE "
				     "WIDTH SIGN TEXT STRING)");
			break;
		}
		o->c.name = rdup(r, fl[0], &oom);
		o->c.class = class;
		o->c.value = value;
		o->c.width = width;
		o->c.is_signed = fl[5][0] == 's';
		o->c.text = rdup(r, fl[6], &oom);
		o->c.str = rdup(r, fl[7], &oom);
		o->c.file = "";
		xa_const_digest(&o->c, digest);
		if (key_of(digest) != o->key)
			ret = bad(r, "this constant does not match its key");
		else if (kmap_get(&r->consts, o->key))
			ret = bad(r, "a second constant with this key");
		else if (kmap_put(&r->consts, o->key, o))
			oom = true;
	}
	if (!ret && oom)
		ret = xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
	free(line);
	fclose(f);
	free(path);
	return ret;
}

/* A set is what its text says: its key is taken from the text again. */
static int end_set(struct reader *r, struct in_set *s, key_t64 key,
		   struct xa_vec *items)
{
	struct xa_buf b;
	uint8_t digest[32];

	if (!s)
		return 0;
	s->items = xa_vec_finish(items, r->arena, &s->nitems);
	if (!s->nitems)
		return bad(r, "a set with no records");
	if (!s->items)
		return xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
	xa_buf_init(&b);
	xa_buf_printf(&b, "%c %s\n", s->kind, s->file);
	for (size_t i = 0; i < s->nitems; i++)
		set_line(&b, &s->items[i]);
	if (b.oom) {
		xa_buf_release(&b);
		return xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
	}
	digest_of(b.s, b.len, digest);
	xa_buf_release(&b);
	if (key_of(digest) != key)
		return bad(r, "the set before this line does not match its key");
	if (kmap_get(&r->sets, key))
		return bad(r, "a second set with this key");
	return kmap_put(&r->sets, key, s)
		       ? xa_error(r->ctx, XENABI_ENOMEM, "out of memory") : 0;
}

static int read_sets(struct reader *r, const char *dir)
{
	char *path = NULL, *line = NULL, *fl[4];
	FILE *f = open_table(r, dir, "sets", &path);
	struct in_set *cur = NULL;
	key_t64 key = 0;
	struct xa_vec items;
	size_t cap = 0;
	bool oom = false, ok;
	int ret = 0;

	xa_vec_init(&items, sizeof(struct item));
	if (!f) {
		free(path);
		return -XENABI_EIO;
	}
	while (!ret && !oom && getline(&line, &cap, f) > 0) {
		size_t n;

		r->lineno++;
		if (crlf(r, line, &ret))
			break;
		if (line[0] == '#')
			continue;
		if (line[0] != '\t') {
			if ((ret = end_set(r, cur, key, &items)))
				break;
			n = split(line, fl, 3, &ok);
			if (!(cur = xa_arena_alloc(r->arena, sizeof(*cur)))) {
				oom = true;
				break;
			}
			if (!ok || n != 3 || (strcmp(fl[0], "D") && strcmp(fl[0], "K")) ||
			    !parse_key(fl[1], &key)) {
				ret = bad(r, "not a set line (D|K KEY HEADER)");
				break;
			}
			cur->kind = fl[0][0];
			cur->file = rdup(r, fl[2], &oom);
			continue;
		}
		struct item *it = xa_vec_push(&items);
		uint64_t lineno, units;

		n = split(line + 1, fl, 4, &ok);
		if (!it) {
			oom = true;
			break;
		}
		if (!cur || !ok || n != 4 || !parse_key(fl[0], &it->key) ||
		    !parse_u64(fl[1], &lineno, 10) || !parse_u64(fl[2], &units, 16) ||
		    (strlen(fl[2]) != 2 && strlen(fl[2]) != 3) ||
		    !units || units >> XENABI_UNIT_COUNT || lineno > UINT32_MAX) {
			ret = bad(r, "not a set item (KEY LINE UNITS NAME)");
			break;
		}
		it->line = lineno;
		it->units = units;
		/* The key is of the text as written: older files have two digits. */
		it->digits = strlen(fl[2]);
		it->file = cur->file;
		it->name = rdup(r, fl[3], &oom);
		/* The record must be there, and be the one the name says. */
		if (cur->kind == 'D') {
			struct out_layout *o = kmap_get(&r->layouts, it->key);

			if (!o || strcmp(o->t.name, it->name))
				ret = bad(r, "no layout of this key and name");
		} else {
			struct out_const *o = kmap_get(&r->consts, it->key);

			if (!o || strcmp(o->c.name, it->name))
				ret = bad(r, "no constant of this key and name");
		}
	}
	if (!ret && !oom)
		ret = end_set(r, cur, key, &items);
	if (!ret && oom)
		ret = xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
	xa_vec_release(&items);
	free(line);
	fclose(f);
	free(path);
	return ret;
}

/* Put a set's records into the units its items name. */
static bool fill_units(struct reader *r, const struct in_set *s,
		       struct xa_vec *types, struct xa_vec *consts)
{
	for (size_t i = 0; i < s->nitems; i++) {
		const struct item *it = &s->items[i];

		for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
			if (!(it->units & (1u << u)))
				continue;
			if (s->kind == 'D') {
				struct xenabi_type *t = xa_vec_push(&types[u]);

				if (!t)
					return false;
				*t = ((struct out_layout *)kmap_get(&r->layouts,
								    it->key))->t;
				t->file = s->file;
				t->line = it->line;
			} else {
				struct xenabi_const *c = xa_vec_push(&consts[u]);

				if (!c)
					return false;
				*c = ((struct out_const *)kmap_get(&r->consts,
								   it->key))->c;
				c->file = s->file;
				c->line = it->line;
			}
		}
	}
	return true;
}

/*
 * One release file into a release.  Its records point into the reader's
 * arena, which outlives it: it is stored and freed before the reader is.
 */
/* Where a hypercall line (name, kind) sorts after the one before it. */
static int hypercall_order(const struct xenabi_hypercall *prev,
			   const char *name, const char *kind)
{
	struct xenabi_hypercall key = { .name = name, .kind = kind };

	return xa_hypercall_cmp(prev, &key);
}

static int read_release(struct reader *r, const char *dir, const char *file,
			struct xenabi_release **out)
{
	struct xa_vec types[XENABI_UNIT_COUNT], consts[XENABI_UNIT_COUNT],
		failures[XENABI_UNIT_COUNT];
	struct xenabi_release *rel = NULL;
	struct xa_vec compat, zeroext, hcalls, ctypes, dispatch, uses;
	char *path = NULL, *line = NULL, *fl[10];
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	FILE *f;
	uint64_t units = 0;
	bool oom = false, ok, have_units = false, ended = false;
	size_t cap = 0;
	ssize_t len;
	struct sha256_ctx sha;
	int ret = 0;

	*out = NULL;
	if (!(f = open_table(r, dir, file, &path))) {
		free(path);
		return -XENABI_EINVAL;
	}
	sha256_init(&sha);
	xa_vec_init(&compat, sizeof(struct xenabi_compat));
	xa_vec_init(&zeroext, sizeof(struct xenabi_zeroext));
	xa_vec_init(&dispatch, sizeof(struct xenabi_dispatch));
	xa_vec_init(&uses, sizeof(struct xenabi_subop_use));
	xa_vec_init(&hcalls, sizeof(struct xenabi_hypercall));
	xa_vec_init(&ctypes, sizeof(struct xenabi_ctype));
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		xa_vec_init(&types[u], sizeof(struct xenabi_type));
		xa_vec_init(&consts[u], sizeof(struct xenabi_const));
		xa_vec_init(&failures[u], sizeof(struct xenabi_failure));
	}
	while (!ret && !oom && (len = getline(&line, &cap, f)) > 0) {
		size_t n;

		r->lineno++;
		if (crlf(r, line, &ret))
			break;
		if (ended) {
			ret = bad(r, "a line after the end line");
			break;
		}
		/* The end line keys everything before it: no line goes missing. */
		if (!strncmp(line, "end\t", 4)) {
			uint8_t digest[32];
			key_t64 key;

			sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
			line[strcspn(line, "\n")] = '\0';
			if (!parse_key(line + 4, &key) || key != key_of(digest))
				ret = bad(r, "the release does not match its end line");
			ended = true;
			continue;
		}
		sha256_update(&sha, len, (const uint8_t *)line);
		if (line[0] == '#')
			continue;
		n = split(line, fl, 10, &ok);
		if (!ok) {
			ret = bad(r, "a bad escape");
			break;
		}
		if (!strcmp(fl[0], "release") && n == 2 && !rel) {
			/* Two files cannot be one release: the name is the file's. */
			if (strcmp(fl[1], base) || !xenabi_release_name_valid(fl[1]))
				ret = bad(r, "the release is not named as its file");
			else if (!(rel = xa_release_new(fl[1])))
				oom = true;
			continue;
		}
		if (!rel) {
			ret = bad(r, "a release file starts with 'release NAME'");
			break;
		}
		if (n == 2 && !strcmp(fl[0], "source")) {
			rel->source = rdup(r, fl[1], &oom);
		} else if (n == 2 && !strcmp(fl[0], "date")) {
			rel->scanned_at = rdup(r, fl[1], &oom);
		} else if (n == 2 && !strcmp(fl[0], "tree")) {
			rel->tree_hash = rdup(r, fl[1], &oom);
		} else if (n == 2 && !strcmp(fl[0], "units")) {
			if (!parse_u64(fl[1], &units, 16) || units >> XENABI_UNIT_COUNT)
				ret = bad(r, "bad units");
			have_units = true;
		} else if (n == 4 && !strcmp(fl[0], "file")) {
			const char *sets[2] = { fl[2], fl[3] };

			for (int k = 0; k < 2 && !ret; k++) {
				const struct in_set *s;
				key_t64 key;

				if (!strcmp(sets[k], "-"))
					continue;
				if (!parse_key(sets[k], &key) ||
				    !(s = kmap_get(&r->sets, key)) ||
				    s->kind != (k ? 'K' : 'D') || strcmp(s->file, fl[1]))
					ret = bad(r, "no such set for this header");
				else if (!fill_units(r, s, types, consts))
					oom = true;
			}
		} else if (n == 3 && !strcmp(fl[0], "compat")) {
			struct xenabi_compat *c = xa_vec_push(&compat);

			if (!c) {
				oom = true;
				break;
			}
			c->name = rdup(r, fl[1], &oom);
			c->header = rdup(r, fl[2], &oom);
		} else if (n == 4 && !strcmp(fl[0], "zeroext")) {
			struct xenabi_zeroext *z = xa_vec_push(&zeroext);

			if (!z) {
				oom = true;
				break;
			}
			z->name = rdup(r, fl[1], &oom);
			z->tag = rdup(r, strcmp(fl[2], "-") ? fl[2] : "", &oom);
			z->file = rdup(r, fl[3], &oom);
		} else if (n == 3 && !strcmp(fl[0], "dispatch")) {
			struct xenabi_dispatch *d = xa_vec_push(&dispatch);

			if (!d) {
				oom = true;
				break;
			}
			d->name = rdup(r, strcmp(fl[1], "-") ? fl[1] : "", &oom);
			d->file = rdup(r, fl[2], &oom);
		} else if (n == 4 && !strcmp(fl[0], "use")) {
			struct xenabi_subop_use *u = xa_vec_push(&uses);

			if (!u) {
				oom = true;
				break;
			}
			u->name = rdup(r, fl[1], &oom);
			u->subop = rdup(r, strcmp(fl[2], "-") ? fl[2] : "", &oom);
			u->file = rdup(r, fl[3], &oom);
		} else if (n == 10 && !strcmp(fl[0], "hypercall")) {
			struct xenabi_hypercall *h = xa_vec_push(&hcalls);
			uint64_t prio;

			if (!h) {
				oom = true;
				break;
			}
			if (xa_guest_kind_parse(fl[2]) < 0 ||
			    !parse_u64(fl[4], &prio, 10) || prio > 99 ||
			    (strcmp(fl[5], "optional") && strcmp(fl[5], "always")) ||
			    (hcalls.len > 1 && hypercall_order(h - 1, fl[1], fl[2]) >= 0)) {
				ret = bad(r, "bad hypercall line (name, kind, handler, "
					     "priority, optional|always, rettype, "
					     "params, file, number; sorted)");
				break;
			}
			h->name = rdup(r, fl[1], &oom);
			h->kind = xa_guest_kind_name(xa_guest_kind_parse(fl[2]));
			h->handler = rdup(r, fl[3], &oom);
			h->priority = prio;
			h->optional = !strcmp(fl[5], "optional");
			h->rettype = rdup(r, fl[6], &oom);
			h->params = rdup(r, strcmp(fl[7], "-") ? fl[7] : "", &oom);
			h->file = rdup(r, fl[8], &oom);
			h->number = rdup(r, strcmp(fl[9], "-") ? fl[9] : "", &oom);
		} else if (n == 5 && !strcmp(fl[0], "ctype")) {
			struct xenabi_ctype *c = xa_vec_push(&ctypes);
			uint64_t size;
			int abi = xenabi_abi_parse(fl[1]);

			if (!c) {
				oom = true;
				break;
			}
			if (abi < 0 || !parse_u64(fl[3], &size, 10) || !size ||
			    size > 64 || (strcmp(fl[4], "signed") &&
					  strcmp(fl[4], "unsigned")) ||
			    (ctypes.len > 1 &&
			     xa_ctype_cmp(c - 1, &(struct xenabi_ctype){
						  .abi = abi, .type = fl[2] }) >= 0)) {
				ret = bad(r, "bad ctype line (abi, type, size, "
					     "signed|unsigned; sorted)");
				break;
			}
			c->abi = abi;
			c->type = rdup(r, fl[2], &oom);
			c->size = size;
			c->is_signed = !strcmp(fl[4], "signed");
		} else if (n == 4 && !strcmp(fl[0], "failure")) {
			uint64_t fu;

			if (!parse_u64(fl[1], &fu, 16) || !fu ||
			    fu >> XENABI_UNIT_COUNT) {
				ret = bad(r, "bad failure units");
				break;
			}
			for (int u = 0; u < XENABI_UNIT_COUNT && !oom; u++) {
				struct xenabi_failure *fa;

				if (!(fu & (1u << u)))
					continue;
				if (!(fa = xa_vec_push(&failures[u]))) {
					oom = true;
					break;
				}
				fa->header = rdup(r, fl[2], &oom);
				fa->message = rdup(r, fl[3], &oom);
			}
		} else {
			ret = bad(r, "not a release line (release, source, date, "
				     "tree, units, file, compat, zeroext, "
				     "dispatch, use, hypercall, ctype, failure)");
		}
	}
	if (!ret && !oom && !ended)
		ret = bad(r, "no end line: the file is cut short");
	if (!ret && !oom && (!rel || !have_units || !rel->source ||
			     !rel->scanned_at || !rel->tree_hash))
		ret = bad(r, "a release needs release, source, date, tree and "
			     "units lines");
	for (int u = 0; u < XENABI_UNIT_COUNT && !ret && !oom; u++) {
		struct xenabi_unit *unit = &rel->units[u];

		rel->present[u] = units & (1u << u);
		unit->abi = xenabi_unit_abi(u);
		unit->view = xenabi_unit_view(u);
		if (types[u].len)
			qsort(types[u].data, types[u].len, types[u].elem,
			      xa_type_cmp);
		if (consts[u].len)
			qsort(consts[u].data, consts[u].len, consts[u].elem,
			      xa_const_cmp);
		unit->types = xa_vec_finish(&types[u], rel->arena, &unit->ntypes);
		unit->consts = xa_vec_finish(&consts[u], rel->arena, &unit->nconsts);
		unit->failures = xa_vec_finish(&failures[u], rel->arena,
					       &unit->nfailures);
		if ((unit->ntypes && !unit->types) ||
		    (unit->nconsts && !unit->consts) ||
		    (unit->nfailures && !unit->failures))
			oom = true;
	}
	if (!ret && !oom) {
		rel->compat = xa_vec_finish(&compat, rel->arena, &rel->ncompat);
		oom = rel->ncompat && !rel->compat;
	}
	if (!ret && !oom) {
		rel->zeroext = xa_vec_finish(&zeroext, rel->arena,
					     &rel->nzeroext);
		oom = rel->nzeroext && !rel->zeroext;
	}
	if (!ret && !oom) {
		rel->dispatch = xa_vec_finish(&dispatch, rel->arena,
					      &rel->ndispatch);
		oom = rel->ndispatch && !rel->dispatch;
	}
	if (!ret && !oom) {
		rel->uses = xa_vec_finish(&uses, rel->arena, &rel->nuses);
		oom = rel->nuses && !rel->uses;
	}
	if (!ret && !oom) {
		rel->hypercalls = xa_vec_finish(&hcalls, rel->arena,
						&rel->nhypercalls);
		rel->ctypes = xa_vec_finish(&ctypes, rel->arena, &rel->nctypes);
		oom = (rel->nhypercalls && !rel->hypercalls) ||
		      (rel->nctypes && !rel->ctypes);
	}
	if (!ret && oom)
		ret = xa_error(r->ctx, XENABI_ENOMEM, "out of memory");
	xa_vec_release(&compat);
	xa_vec_release(&zeroext);
	xa_vec_release(&dispatch);
	xa_vec_release(&uses);
	xa_vec_release(&hcalls);
	xa_vec_release(&ctypes);
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		xa_vec_release(&types[u]);
		xa_vec_release(&consts[u]);
		xa_vec_release(&failures[u]);
	}
	free(line);
	fclose(f);
	free(path);
	if (ret) {
		xenabi_release_free(rel);
		return ret;
	}
	*out = rel;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return xenabi_release_name_cmp(*(char *const *)a, *(char *const *)b);
}

int xenabi_baselines_load(struct xenabi_ctx *ctx, const char *dir,
			  struct xenabi_db *db, xenabi_progress_fn progress,
			  void *progress_data)
{
	struct reader r = { .ctx = ctx };
	struct xa_vec names;	/* releases/NAME */
	char *reldir = NULL;
	DIR *d = NULL;
	struct dirent *de;
	int ret;

	xa_vec_init(&names, sizeof(char *));
	xa_vec_init(&r.files, sizeof(struct mfile));
	if (!(r.arena = xa_arena_new())) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if ((ret = read_manifest(ctx, dir, &r.files, &r.manifest)) ||
	    (ret = read_layouts(&r, dir)) || (ret = read_constants(&r, dir)) ||
	    (ret = read_sets(&r, dir)))
		goto out;
	if (!(reldir = join(dir, "releases"))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	/* The releases the manifest names, or in a directory without one, all. */
	for (size_t i = 0; r.manifest && i < r.files.len; i++) {
		const char *rel = ((struct mfile *)r.files.data)[i].path;
		char **slot;

		if (strncmp(rel, "releases/", 9))
			continue;
		if (!(slot = xa_vec_push(&names)) || !(*slot = strdup(rel))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (!r.manifest && !(d = opendir(reldir))) {
		ret = xa_error(ctx, XENABI_EIO, "cannot read baselines '%s': %s",
			       reldir, strerror(errno));
		goto out;
	}
	while (d && (de = readdir(d))) {
		char **slot;

		size_t n = strlen(de->d_name);

		/* An older writer's half-written files; no release is named so. */
		if (de->d_name[0] == '.' ||
		    (n >= 4 && !strcmp(de->d_name + n - 4, ".tmp")))
			continue;
		if (!(slot = xa_vec_push(&names)) ||
		    !(*slot = join("releases", de->d_name))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (!names.len) {
		ret = r.manifest ? xa_error(ctx, XENABI_EINVAL, "no releases in "
					    "'%s/" MANIFEST "'", dir)
				 : xa_error(ctx, XENABI_EINVAL, "no releases in "
					    "'%s'", reldir);
		goto out;
	}
	qsort(names.data, names.len, sizeof(char *), name_cmp);
	for (size_t i = 0; i < names.len && !ret; i++) {
		struct xenabi_release *rel;

		if ((ret = read_release(&r, dir, ((char **)names.data)[i], &rel)))
			break;
		ret = xenabi_db_put_release(ctx, db, rel);
		if (!ret && progress)
			progress(progress_data, i + 1, names.len, rel->name);
		xenabi_release_free(rel);
	}
out:
	if (d)
		closedir(d);
	xa_strings_free(names.data, names.len);
	free(reldir);
	free(r.buf);
	mfiles_release(&r.files);
	kmap_release(&r.layouts);
	kmap_release(&r.consts);
	kmap_release(&r.sets);
	xa_arena_free(r.arena);
	return ret;
}
