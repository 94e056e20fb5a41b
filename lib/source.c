/* SPDX-License-Identifier: MIT */
/*
 * source: finding the public headers under a directory and the content
 * hash of what was found.  Knows files; not the compiler, not sqlite.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xa.h"

void xa_path_normalise(char *path)
{
	char *seg[PATH_MAX / 2];
	size_t nseg = 0;
	bool absolute = path[0] == '/';
	char *copy, *p, *save = NULL, *out = path;

	/* "" stays "": it has no room to become ".". */
	if (!*path || !(copy = strdup(path)))
		return;
	for (p = strtok_r(copy, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		if (!strcmp(p, "."))
			continue;
		if (!strcmp(p, "..") && nseg && strcmp(seg[nseg - 1], "..")) {
			nseg--;
			continue;
		}
		/* "/.." is "/"; a relative path keeps its leading "..". */
		if (!strcmp(p, "..") && absolute)
			continue;
		if (nseg < XA_ARRAY_SIZE(seg))
			seg[nseg++] = p;
	}
	if (absolute)
		*out++ = '/';
	for (size_t i = 0; i < nseg; i++) {
		size_t n = strlen(seg[i]);

		if (i)
			*out++ = '/';
		memcpy(out, seg[i], n);
		out += n;
	}
	if (out == path)
		*out++ = '.';
	*out = '\0';
	free(copy);
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

extern const char xa_continuations_manifest[];

/* Internal files a scan reads besides the manifest's: the compat list. */
static const char *const xa_tree_files[] = {
	"xen/include/xlat.lst",
	/* The hypercall table (hypercall.c). */
	"xen/include/hypercall-defs.c",
	"xen/arch/x86/hypercall.c",
	"xen/arch/x86/pv/hypercall.c",
	"xen/arch/x86/hvm/hvm.c",
	"xen/arch/x86/hvm/hypercall.c",
	"xen/arch/arm/traps.c",
	"xen/include/xen/hypercall.h",
	"xen/include/asm-x86/hypercall.h",
	"xen/include/asm-arm/hypercall.h",
	"xen/arch/x86/include/asm/hypercall.h",
	"xen/arch/arm/include/asm/hypercall.h",
	"xen/include/asm-x86/paging.h",	/* hcold.c's other_headers */
};

struct walk {
	struct xenabi_ctx *ctx;
	const char *root;
	const char *bound;	/* what a scan may read: the tree */
	struct xa_vec headers;	/* char * */
	struct xa_vec unnamable;	/* char *: see xa_source */
	struct xa_vec outside;	/* pairs: header, why */
};

/* Whether real path p is bound or under it. */
static bool within(const char *p, const char *bound)
{
	size_t n = strlen(bound);

	return !strncmp(p, bound, n) && (!p[n] || p[n] == '/');
}

/* (a, b) copied onto v, a vector of pairs (elem 2 * sizeof(char *)). */
static int push_pair(struct xenabi_ctx *ctx, struct xa_vec *v, const char *a,
		     const char *b)
{
	char **pair = xa_vec_push(v);

	/* A pair half made holds NULL: pairs_finish frees it as it is. */
	if (!pair || !(pair[0] = strdup(a)) || !(pair[1] = strdup(b)))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return 0;
}

/*
 * Whether #include "name" names the file: not with a double quote, which
 * ends it, a backslash, whose meaning there is the compiler's, or a
 * control character (a newline ends the directive and shifts every line
 * after it, so diagnostics would name the wrong header).
 */
static bool includable(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p == '"' || *p == '\\' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static int walk_dir(struct walk *w, const char *rel, int depth)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), "%s%s%s", w->root, *rel ? "/" : "", rel);
	d = opendir(path);
	if (!d)
		return xa_error(w->ctx, XENABI_EIO, "cannot read directory '%s': %s",
				path, strerror(errno));
	while ((de = readdir(d))) {
		char sub[PATH_MAX], full[PATH_MAX];
		struct stat st;
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel,
				     *rel ? "/" : "", de->d_name) >= sizeof(sub) ||
		    (size_t)snprintf(full, sizeof(full), "%s/%s", w->root,
				     sub) >= sizeof(full) ||
		    lstat(full, &st))
			continue;
		/*
		 * A link is read only where it stays in the tree, and never
		 * into a directory: no loop, no host headers taken for Xen's.
		 */
		if (S_ISLNK(st.st_mode)) {
			char real[PATH_MAX];

			if (!realpath(full, real) || stat(real, &st) ||
			    S_ISDIR(st.st_mode) || len < 3 ||
			    strcmp(de->d_name + len - 2, ".h"))
				continue;
			if (!within(real, w->bound)) {
				if ((ret = push_pair(w->ctx, &w->outside, sub,
						     "a symbolic link to a file "
						     "outside the tree: not read")))
					break;
				continue;
			}
		}
		if (S_ISDIR(st.st_mode)) {
			/* Deep enough for any Xen tree, and stops symlink loops. */
			if (depth < 8 && (ret = walk_dir(w, sub, depth + 1)))
				break;
		} else if (S_ISREG(st.st_mode) && len > 2 &&
			   !strcmp(de->d_name + len - 2, ".h")) {
			char **slot = xa_vec_push(includable(sub) ? &w->headers
								  : &w->unnamable);

			if (!slot || !(*slot = strdup(sub))) {
				ret = xa_error(w->ctx, XENABI_ENOMEM,
					       "out of memory");
				break;
			}
		}
	}
	closedir(d);
	return ret;
}

/*
 * The name of an #include line ("x.h" of #include "x.h", cut out of line
 * in place), quoted or not (<...>); NULL for any other line.
 */
static char *include_name(char *line, bool *quoted)
{
	char *p = line + strspn(line, " \t"), *end, close;

	if (*p != '#')
		return NULL;
	p += 1 + strspn(p + 1, " \t");
	if (strncmp(p, "include", 7))
		return NULL;
	p += 7 + strspn(p + 7, " \t");
	if (*p != '"' && *p != '<')
		return NULL;
	close = *p == '"' ? '"' : '>';
	if (!(end = strchr(p + 1, close)))
		return NULL;
	*end = '\0';
	*quoted = close == '"';
	return p + 1;
}

/* The probe's -idirafter for src: "public/xen.h" is found there. */
static void include_dir(const struct xa_source *src, char incdir[PATH_MAX])
{
	size_t plen = strlen(src->public_dir);

	snprintf(incdir, PATH_MAX, "%.*s", (int)(plen > 7 &&
		 !strcmp(src->public_dir + plen - 7, "/public") ? plen - 7 : plen),
		 src->public_dir);
}

/*
 * Where #include NAME in header rel would open, as the probe's compiler
 * looks: beside the includer for "...", then the public directory, then
 * the tree's include directory.  real: its real path; false: not found.
 */
static bool include_target(const char *root, const char *incdir,
			   const char *rel, const char *name, bool quoted,
			   char *real)
{
	const char *slash = strrchr(rel, '/');
	char path[PATH_MAX];

	if (*name == '/')
		return realpath(name, real) != NULL;
	if (quoted &&
	    (size_t)snprintf(path, sizeof(path), "%s/%.*s%s%s", root,
			     slash ? (int)(slash - rel) : 0, rel,
			     slash ? "/" : "", name) < sizeof(path) &&
	    realpath(path, real))
		return true;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, name) < sizeof(path) &&
	    realpath(path, real))
		return true;
	return (size_t)snprintf(path, sizeof(path), "%s/%s", incdir, name) <
		       sizeof(path) && realpath(path, real);
}

/*
 * Headers whose #include reaches outside the tree (an absolute name, a
 * "../" past its top, a link out), and the headers that include those,
 * are left out before anything compiles them: the compiler would read,
 * and a scan store, what is not Xen's.  They go to outside with why.
 */
static int leave_out_outside(struct xenabi_ctx *ctx, struct xa_source *src,
			     const char *bound, struct xa_vec *outside)
{
	size_t n = src->nheaders, plen = strlen(src->public_dir), kept = 0;
	char incdir[PATH_MAX];
	char **why = calloc(n + 1, sizeof(char *));
	struct xa_vec *deps = calloc(n + 1, sizeof(struct xa_vec));
	bool changed = true;
	int ret = 0;

	if (!why || !deps) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	include_dir(src, incdir);
	for (size_t i = 0; i < n && !ret; i++) {
		char path[PATH_MAX], *line = NULL;
		size_t cap = 0;
		FILE *f;

		xa_vec_init(&deps[i], sizeof(size_t));
		snprintf(path, sizeof(path), "%s/%s", src->public_dir, src->headers[i]);
		if (!(f = fopen(path, "r")))
			continue;
		while (!ret && !why[i] && getline(&line, &cap, f) > 0) {
			char real[PATH_MAX], *p;
			bool quoted;

			if (!(p = include_name(line, &quoted)) ||
			    !include_target(src->public_dir, incdir, src->headers[i],
					    p, quoted, real))
				continue;
			if (!within(real, bound)) {
				if (asprintf(&why[i], "includes '%s', outside the "
					     "tree: not compiled", p) < 0) {
					why[i] = NULL;
					ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
				}
			} else if (within(real, src->public_dir) && real[plen]) {
				const char *key = real + plen + 1;
				char **hit = bsearch(&key, src->headers, n,
						     sizeof(char *), xa_str_cmp);
				size_t *dep;

				if (hit && !(dep = xa_vec_push(&deps[i])))
					ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
				else if (hit)
					*dep = hit - src->headers;
			}
		}
		free(line);
		fclose(f);
	}
	/* What includes a header left out would read it all the same. */
	while (!ret && changed) {
		changed = false;
		for (size_t i = 0; i < n && !ret; i++)
			for (size_t k = 0; !why[i] && k < deps[i].len; k++) {
				size_t j = ((size_t *)deps[i].data)[k];

				if (!why[j])
					continue;
				if (asprintf(&why[i], "includes '%s', which is left "
					     "out: not compiled", src->headers[j]) < 0) {
					why[i] = NULL;
					ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
				}
				changed = true;
			}
	}
	for (size_t i = 0; i < n; i++) {
		if (!why[i]) {
			src->headers[kept++] = src->headers[i];
			continue;
		}
		if (!ret)
			ret = push_pair(ctx, outside, src->headers[i], why[i]);
		free(src->headers[i]);
	}
	src->nheaders = kept;
out:
	for (size_t i = 0; why && deps && i < n; i++) {
		free(why[i]);
		xa_vec_release(&deps[i]);
	}
	free(why);
	free(deps);
	return ret;
}

static int hash_file(struct xenabi_ctx *ctx, struct sha256_ctx *sha, const char *path,
		     bool *system_include)
{
	uint8_t buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*system_include = false;
	if (fd < 0)
		return xa_error(ctx, XENABI_EIO, "cannot read '%s': %s", path,
				strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sha256_update(sha, n, buf);
		if (memmem(buf, n, "#include <", 10))
			*system_include = true;
	}
	close(fd);
	if (n < 0)
		return xa_error(ctx, XENABI_EIO, "cannot read '%s': %s", path,
				strerror(errno));
	return 0;
}

/* The files the manifest's dispatch lines name, added to files once. */
static int add_dispatch_files(struct xenabi_ctx *ctx, struct xa_vec *files)
{
	struct xa_rules rules;
	char path[PATH_MAX];
	int ret;

	if ((ret = xa_rules_load(ctx, &rules)))
		return ret;
	for (size_t r = 0; r < rules.n && !ret; r++) {
		const char *list = rules.r[r].macro;

		if (rules.r[r].kind != XA_RULE_DISPATCH)
			continue;
		while (!ret && xa_list_next(&list, path, sizeof(path))) {
			bool dup = false;
			char **slot;

			for (size_t j = 0; j < files->len; j++)
				dup |= !strcmp(((char **)files->data)[j], path);
			if (!dup && (!(slot = xa_vec_push(files)) ||
				     !(*slot = strdup(path))))
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
	}
	xa_rules_release(&rules);
	return ret;
}

int xa_internal_files(struct xenabi_ctx *ctx, char ***out, size_t *count)
{
	struct xa_encoding *enc = NULL;
	struct xa_vec files;
	size_t nenc = 0;
	int ret;

	*out = NULL;
	*count = 0;
	if ((ret = xa_encodings_load(ctx, &enc, &nenc)))
		return ret;
	xa_vec_init(&files, sizeof(char *));
	for (size_t i = 0; i < XA_ARRAY_SIZE(xa_tree_files) + nenc && !ret; i++) {
		char **names = i < XA_ARRAY_SIZE(xa_tree_files)
				       ? (char **)&xa_tree_files[i]
				       : enc[i - XA_ARRAY_SIZE(xa_tree_files)].files;
		size_t n = i < XA_ARRAY_SIZE(xa_tree_files)
				   ? 1 : enc[i - XA_ARRAY_SIZE(xa_tree_files)].nfiles;

		for (size_t k = 0; k < n && !ret; k++) {
			char **slot;
			bool dup = false;

			for (size_t j = 0; j < files.len; j++)
				dup |= !strcmp(((char **)files.data)[j], names[k]);
			if (dup)
				continue;
			if (!(slot = xa_vec_push(&files)) ||
			    !(*slot = strdup(names[k])))
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
	}
	xa_encodings_free(enc, nenc);
	if (!ret)
		ret = add_dispatch_files(ctx, &files);
	if (ret) {
		xa_strings_free(files.data, files.len);
		return ret;
	}
	if (files.len)
		qsort(files.data, files.len, sizeof(char *), xa_str_cmp);
	*out = files.data;
	*count = files.len;
	return 0;
}

void xa_strings_free(char **s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i]);
	free(s);
}

void xenabi_strings_free(char **strings, size_t n)
{
	xa_strings_free(strings, n);
}

/* The internal files a scan reads are part of what it read. */
static int hash_internal(struct xenabi_ctx *ctx, struct sha256_ctx *sha,
			 const char *top)
{
	char **files, path[PATH_MAX];
	size_t n;
	bool unused;
	int ret;

	if ((ret = xa_internal_files(ctx, &files, &n)))
		return ret;
	/* What the manifest asks for shapes what a scan takes from them. */
	sha256_update(sha, strlen(xa_continuations_manifest),
		      (const uint8_t *)xa_continuations_manifest);
	for (size_t i = 0; i < n && !ret; i++) {
		snprintf(path, sizeof(path), "%s/%s", top, files[i]);
		if (!is_file(path))
			continue;
		xa_sha256_str(sha, files[i]);
		ret = hash_file(ctx, sha, path, &unused);
	}
	xa_strings_free(files, n);
	return ret;
}

/* What the dispatch lines ask for shapes what a scan takes, as above. */
static int hash_dispatch_rules(struct xenabi_ctx *ctx, struct sha256_ctx *sha)
{
	struct xa_rules rules;
	int ret;

	if ((ret = xa_rules_load(ctx, &rules)))
		return ret;
	for (size_t r = 0; r < rules.n; r++) {
		const struct xa_rule *rule = &rules.r[r];

		if (rule->kind != XA_RULE_DISPATCH)
			continue;
		xa_sha256_str(sha, rule->header);
		xa_sha256_str(sha, rule->glob);
		xa_sha256_str(sha, rule->macro);
	}
	xa_rules_release(&rules);
	return 0;
}

/* The .c files under a directory, relative to the tree's top. */
static int walk_sources(struct xenabi_ctx *ctx, const char *top,
			const char *rel, int depth, struct xa_vec *out)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d)) && !ret) {
		char sub[PATH_MAX], full[PATH_MAX];
		size_t len = strlen(de->d_name);
		struct stat st;
		char **slot;

		if (de->d_name[0] == '.' ||
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", rel,
				     de->d_name) >= sizeof(sub) ||
		    (size_t)snprintf(full, sizeof(full), "%s/%s", top, sub) >=
			    sizeof(full) ||
		    lstat(full, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < 8)
			ret = walk_sources(ctx, top, sub, depth + 1, out);
		else if (S_ISREG(st.st_mode) && len > 2 &&
			 !strcmp(de->d_name + len - 2, ".c") &&
			 (!(slot = xa_vec_push(out)) || !(*slot = strdup(sub))))
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	closedir(d);
	return ret;
}

static const char *skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* The save types a source file loads zero-extended: (TYPE, file) pairs. */
static int zeroext_calls(struct xenabi_ctx *ctx, const char *text,
			 const char *file, struct xa_vec *out)
{
	static const size_t mlen = sizeof(XA_ZEROEXT_MACRO) - 1;

	for (const char *p = text; (p = strstr(p, XA_ZEROEXT_MACRO)); p += mlen) {
		const char *q = skip_blank(p + mlen), *line = p, *name;
		char **pair;
		size_t n;

		/* Not its definition, nor a longer name. */
		while (line > text && line[-1] != '\n')
			line--;
		if (*skip_blank(line) == '#' ||
		    (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) ||
		    *q != '(')
			continue;
		name = skip_blank(q + 1);
		for (n = 0; isalnum((unsigned char)name[n]) || name[n] == '_'; n++)
			;
		if (!n || *skip_blank(name + n) != ',')
			continue;
		if (!(pair = xa_vec_push(out)) || !(pair[0] = strndup(name, n)) ||
		    !(pair[1] = strdup(file)))
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	return 0;
}

static int pair_cmp(const void *a, const void *b)
{
	char *const *x = a, *const *y = b;
	int c = strcmp(x[0], y[0]);

	return c ? c : strcmp(x[1], y[1]);
}

static void pair_drop(void *kept, const void *dropped)
{
	char *const *p = dropped;

	free(p[0]);
	free(p[1]);
	(void)kept;
}

/*
 * Pairs read into *out, sorted and one of each; when ret says the reading
 * failed they are freed instead (a pair half made holds NULL, which free
 * takes) and ret is returned.
 */
static int pairs_finish(int ret, struct xa_vec *pairs, char ***out, size_t *n)
{
	if (ret) {
		xa_strings_free(pairs->data, 2 * pairs->len);
		return ret;
	}
	xa_vec_sort_merge(pairs, pair_cmp, pair_drop);
	*out = pairs->data;
	*n = pairs->len;
	return 0;
}

/*
 * The HVM save record types the hypervisor loads zero-extended: a record
 * saved by an older Xen, shorter, is padded with zeroes, so the record
 * may grow at its tail.  From every .c file under xen/arch/x86 that
 * calls hvm_load_entry_zeroextend(TYPE, ...), 4.1 on.
 */
static int read_zeroext(struct xenabi_ctx *ctx, struct xa_source *src)
{
	struct xa_vec files, pairs;
	char path[PATH_MAX];
	int ret;

	xa_vec_init(&files, sizeof(char *));
	xa_vec_init(&pairs, 2 * sizeof(char *));
	ret = walk_sources(ctx, src->tree_top, XA_ZEROEXT_DIR, 0, &files);
	for (size_t i = 0; i < files.len && !ret; i++) {
		const char *file = ((char **)files.data)[i];
		char *text = NULL;
		size_t len = 0;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", src->tree_top, file);
		if (!(f = fopen(path, "r")))
			continue;
		if (getdelim(&text, &len, '\0', f) > 0 &&
		    strstr(text, XA_ZEROEXT_MACRO))
			ret = zeroext_calls(ctx, text, file, &pairs);
		free(text);
		fclose(f);
	}
	xa_strings_free(files.data, files.len);
	/* One of each: LAPIC is loaded twice in vlapic.c. */
	return pairs_finish(ret, &pairs, &src->zeroext, &src->nzeroext);
}

/* text with its comments and literals blanked: only code names a sub-op. */
static void blank_comments(char *text)
{
	for (char *p = text; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;

			/* A message naming a sub-op does not dispatch it. */
			for (p++; *p && *p != q; p++) {
				if (*p == '\\' && p[1])
					*p++ = ' ';
				*p = ' ';
			}
			if (!*p)
				return;
		} else if (p[0] == '/' && p[1] == '*') {
			char *end = strstr(p + 2, "*/");

			end = end ? end + 2 : p + strlen(p);
			memset(p, ' ', end - p);
			p = end - 1;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				*p++ = ' ';
			if (!*p)
				return;
		}
	}
}

/* Each identifier of code that glob matches: (name, file) pairs. */
static int dispatch_names(struct xenabi_ctx *ctx, const char *text,
			  const char *glob, const char *file, struct xa_vec *out)
{
	char name[256];

	for (const char *p = text; *p;) {
		size_t n;

		if (!isalpha((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
			;
		if (n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			if (!fnmatch(glob, name, 0) &&
			    push_pair(ctx, out, name, file))
				return -XENABI_ENOMEM;
		}
		p += n;
	}
	return 0;
}

/* The deepest braces a dispatcher's case labels are followed into. */
#define XA_CASE_DEPTH 64

/*
 * The sub-op case labels in force at each brace depth of a dispatcher,
 * as a stack: depth d's labels are label[base[d]] up to the next depth's
 * base (or top).  A block that closes takes its labels with it.
 */
struct case_scope {
	const char *label[256];
	size_t len[256];
	size_t base[XA_CASE_DEPTH + 1];
	size_t top;
	unsigned int depth;
	unsigned int beyond;	/* braces open past XA_CASE_DEPTH */
	bool code[XA_CASE_DEPTH + 1];	/* a token since the last label */
	bool fresh[XA_CASE_DEPTH + 1];	/* at the start of a statement */
	bool jumping[XA_CASE_DEPTH + 1];	/* this statement is a jump */
	bool ended[XA_CASE_DEPTH + 1];	/* the last one was, nothing since */
	bool plain[XA_CASE_DEPTH + 1];	/* a block of its own, no if's body */
};

static bool is_word(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(p, word, n);
}

/* A token of code at depth d, word (NULL: punctuation) its text. */
static void case_token(struct case_scope *cs, const char *w, size_t n)
{
	unsigned int d = cs->depth;

	/* Only "break;" whole jumps: "if (rc) break;" may fall through. */
	if (w && cs->fresh[d] &&
	    (is_word(w, n, "break") || is_word(w, n, "return") ||
	     is_word(w, n, "goto") || is_word(w, n, "continue")))
		cs->jumping[d] = true;
	cs->code[d] = true;
	cs->fresh[d] = false;
	cs->ended[d] = false;
}

/* A statement's end at the current depth. */
static void case_statement_end(struct case_scope *cs)
{
	unsigned int d = cs->depth;

	cs->ended[d] = cs->jumping[d];
	cs->jumping[d] = false;
	cs->fresh[d] = true;
	cs->code[d] = true;
}

/*
 * A case label at the current depth.  Labels that follow one another, or
 * that code falls through to (the last statement did not break, return,
 * goto or continue), add to the labels in force; others replace them.  A
 * switch whose labels the glob does not match is another switch: it is
 * not followed unless it shares the depth of one that is.  A label past
 * the stack's room stands as "?", which no sub-op is.
 */
static void case_label(struct case_scope *cs, const char *p, size_t n,
		       bool matching)
{
	unsigned int d = cs->depth;
	bool open = cs->top > cs->base[d];

	if (!open && !matching)
		return;
	if (open && cs->code[d] && cs->ended[d])
		cs->top = cs->base[d];
	if (cs->top == XA_ARRAY_SIZE(cs->label)) {
		p = "?";
		n = 1;
		cs->top--;
	}
	cs->label[cs->top] = p;
	cs->len[cs->top++] = n;
	cs->code[d] = false;
	cs->ended[d] = false;
	cs->fresh[d] = true;
}

/* Record a use, prefix then name, under the labels in force: "NAME SUBOP". */
static int case_use(struct xenabi_ctx *ctx, const struct case_scope *cs,
		    const char *prefix, const char *name, size_t n,
		    struct xa_vec *out)
{
	size_t from = 0, to = 0;
	char **slot;

	/* The innermost depth with labels: uses in an inner switch are its. */
	for (unsigned int d = cs->depth + 1; d-- > 0;) {
		size_t end = d == cs->depth ? cs->top : cs->base[d + 1];

		if (end > cs->base[d]) {
			from = cs->base[d];
			to = end;
			break;
		}
	}
	do {
		if (!(slot = xa_vec_push(out)))
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		if (asprintf(slot, "%s%.*s %.*s", prefix, (int)n, name,
			     (int)(to > from ? cs->len[from] : 0),
			     to > from ? cs->label[from] : "") < 0) {
			*slot = NULL;
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
	} while (++from < to);
	return 0;
}

/* Of uses sorted, each member some sub-op uses and every other name. */
static int owned_uses(struct xenabi_ctx *ctx, char **u, size_t n,
		      const char *file, struct xa_vec *out)
{
	for (size_t i = 0, j; i < n; i = j) {
		size_t key = strcspn(u[i], " ");
		bool owned = u[i][0] != '.';

		for (j = i; j < n && !strncmp(u[j], u[i], key + 1); j++)
			owned |= u[j][key + 1] != '\0';
		for (size_t k = i; k < j && owned; k++)
			if ((k == i || strcmp(u[k], u[k - 1])) &&
			    push_pair(ctx, out, u[k], file))
				return -XENABI_ENOMEM;
	}
	return 0;
}

/*
 * Which sub-op cases of a dispatcher use what (text with its comments
 * blanked): the members it reads or writes, as ".member", and the whole
 * objects it copies back to the guest, as "copy_to_guest", each with the
 * case label of a glob-matching sub-op it sits under, or none.  A member
 * no such case uses is left out: only a member some sub-op owns says
 * anything.  Pairs ("NAME SUBOP", file) go to out.
 */
static int case_uses(struct xenabi_ctx *ctx, const char *text,
		     const char *glob, const char *file, struct xa_vec *out)
{
	struct case_scope *cs = calloc(1, sizeof(*cs));
	struct xa_vec uses;
	int ret = 0;

	if (!cs)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	cs->fresh[0] = true;
	xa_vec_init(&uses, sizeof(char *));
	for (const char *p = text; *p && !ret;) {
		const char *w = p;
		size_t n;

		if (*p == '{') {
			bool plain = cs->fresh[cs->depth];

			case_token(cs, NULL, 0);
			if (cs->depth == XA_CASE_DEPTH) {
				cs->beyond++;
			} else {
				unsigned int d = ++cs->depth;

				cs->base[d] = cs->top;
				cs->code[d] = cs->jumping[d] = cs->ended[d] = false;
				cs->fresh[d] = true;
				cs->plain[d] = plain;
			}
			p++;
		} else if (*p == '}') {
			if (cs->beyond) {
				cs->beyond--;
			} else if (cs->depth) {
				unsigned int d = cs->depth;
				/*
				 * A block of its own that ends in a jump jumps
				 * away ("case X: { ...; break; }"); the body of
				 * an if or a loop may not run at all.
				 */
				bool ended = cs->plain[d] && cs->ended[d];

				cs->top = cs->base[cs->depth--];
				case_token(cs, NULL, 0);
				cs->fresh[cs->depth] = true;
				cs->ended[cs->depth] = ended;
			}
			p++;
		} else if (*p == ';') {
			case_statement_end(cs);
			p++;
		} else if ((*p == '.' || (p[0] == '-' && p[1] == '>')) &&
			   !(*p == '.' && p > text && isdigit((unsigned char)p[-1]))) {
			const char *m = p + (*p == '.' ? 1 : 2);

			for (n = 0; isalnum((unsigned char)m[n]) || m[n] == '_'; n++)
				;
			/* "...", a number's point: no member. */
			if (n && !isdigit((unsigned char)*m))
				ret = case_use(ctx, cs, ".", m, n, &uses);
			case_token(cs, NULL, 0);
			p = m + n;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			for (n = 0; isalnum((unsigned char)w[n]) || w[n] == '_'; n++)
				;
			p = w + n;
			if (is_word(w, n, "case") || is_word(w, n, "default")) {
				const char *colon = strchr(p, ':'), *l = p;
				char label[256];
				size_t k = 0;

				if (!colon)
					break;
				if (*w == 'd') {
					l = w;
					k = n;
				} else {
					/* The label's first name: case (FOO): is FOO. */
					while (l < colon && !isalpha((unsigned char)*l) &&
					       *l != '_')
						l++;
					while (l + k < colon && (isalnum((unsigned char)l[k]) ||
								 l[k] == '_'))
						k++;
				}
				snprintf(label, sizeof(label), "%.*s", (int)k, l);
				case_label(cs, l, k, *w == 'c' && k &&
					   !fnmatch(glob, label, 0));
				p = colon + 1;
				continue;
			}
			if (is_word(w, n, "copy_to_guest") ||
			    is_word(w, n, "__copy_to_guest"))
				ret = case_use(ctx, cs, "", "copy_to_guest", 13, &uses);
			case_token(cs, w, n);
		} else {
			if (!isspace((unsigned char)*p))
				case_token(cs, NULL, 0);
			p++;
		}
	}
	free(cs);
	if (uses.len)
		qsort(uses.data, uses.len, sizeof(char *), xa_str_cmp);
	if (!ret)
		ret = owned_uses(ctx, uses.data, uses.len, file, out);
	xa_strings_free(uses.data, uses.len);
	return ret;
}

/*
 * The sub-ops the hypervisor's dispatchers name (the manifest's dispatch
 * lines): a sub-op that stays in a public header after its handler left
 * is refused by the default case, and only the code says so.  Each file
 * read is a ("", file) pair, so that "not named" is told from "not read".
 */
static int read_dispatch(struct xenabi_ctx *ctx, struct xa_source *src)
{
	struct xa_rules rules;
	struct xa_vec pairs, uses;
	char rel[PATH_MAX], path[PATH_MAX];
	int ret;

	if ((ret = xa_rules_load(ctx, &rules)))
		return ret;
	xa_vec_init(&pairs, 2 * sizeof(char *));
	xa_vec_init(&uses, 2 * sizeof(char *));
	for (size_t r = 0; r < rules.n && !ret; r++) {
		const char *list = rules.r[r].macro;

		if (rules.r[r].kind != XA_RULE_DISPATCH)
			continue;
		while (!ret && xa_list_next(&list, rel, sizeof(rel))) {
			char *text = NULL;
			size_t len = 0;
			FILE *f;

			if ((size_t)snprintf(path, sizeof(path), "%s/%s",
					     src->tree_top, rel) >= sizeof(path) ||
			    !(f = fopen(path, "r")))
				continue;
			if (getdelim(&text, &len, '\0', f) > 0) {
				blank_comments(text);
				ret = dispatch_names(ctx, text, rules.r[r].glob,
						     rel, &pairs);
				if (!ret)
					ret = case_uses(ctx, text, rules.r[r].glob,
							rel, &uses);
			}
			free(text);
			fclose(f);
			if (!ret)
				ret = push_pair(ctx, &pairs, "", rel);
		}
	}
	xa_rules_release(&rules);
	ret = pairs_finish(ret, &uses, &src->uses, &src->nuses);
	return pairs_finish(ret, &pairs, &src->dispatch, &src->ndispatch);
}

/*
 * The "?" lines of xen/include/xlat.lst: the structs the compat layer
 * re-uses for 32-bit guests as they are.  "@arch@" in a header is x86_32,
 * as Xen's build has it.  A tree without the file has none.
 */
static int read_compat(struct xenabi_ctx *ctx, struct xa_source *src)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	struct xa_vec v;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/xen/include/xlat.lst", src->tree_top);
	if (!(f = fopen(path, "r")))
		return 0;
	xa_vec_init(&v, sizeof(char *));
	while (!ret && getline(&line, &cap, f) > 0) {
		char *save = NULL, *what = strtok_r(line, " \t\n", &save);
		char *name = strtok_r(NULL, " \t\n", &save);
		char *hdr = strtok_r(NULL, " \t\n", &save);
		char *at, **slot;

		if (!what || strcmp(what, "?") || !name || !hdr)
			continue;
		if ((at = strstr(hdr, "@arch@")))
			memcpy(at, "x86_32", 6);
		for (int k = 0; k < 2 && !ret; k++)
			if (!(slot = xa_vec_push(&v)) ||
			    !(*slot = strdup(k ? hdr : name)))
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	free(line);
	fclose(f);
	if (ret) {
		xa_strings_free(v.data, v.len);
		return ret;
	}
	src->compat = v.data;
	src->ncompat = v.len / 2;
	return 0;
}

int xa_source_open(struct xenabi_ctx *ctx, const char *dir,
		   struct xa_source *src)
{
	static const char *const layouts[] = { "xen/include/public",
					       "include/public", "public", "." };
	char path[PATH_MAX], real[PATH_MAX];
	struct walk w = { .ctx = ctx };
	struct stat st;
	struct sha256_ctx sha;
	int ret = 0;

	memset(src, 0, sizeof(*src));
	if (stat(dir, &st))
		return xa_error(ctx, XENABI_EIO, "cannot open '%s': %s", dir,
				strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return xa_error(ctx, XENABI_ENOTREE,
				"'%s' is not a directory: give the top of a Xen "
				"tree or a directory of public headers", dir);
	for (size_t i = 0; i < XA_ARRAY_SIZE(layouts); i++) {
		snprintf(path, sizeof(path), "%s/%s/xen.h", dir, layouts[i]);
		if (is_file(path)) {
			snprintf(path, sizeof(path), "%s/%s", dir, layouts[i]);
			break;
		}
		path[0] = '\0';
	}
	if (!path[0])
		return xa_error(ctx, XENABI_ENOTREE,
				"'%s' is not a Xen tree: found neither "
				"xen/include/public/xen.h nor xen.h in it", dir);
	if (!realpath(path, real))
		return xa_error(ctx, XENABI_EIO, "cannot resolve '%s': %s",
				path, strerror(errno));
	src->public_dir = strdup(real);
	if (!src->public_dir)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	/* A source tree has internal files too: the continuation encodings. */
	if (strlen(real) > 19 &&
	    !strcmp(real + strlen(real) - 19, "/xen/include/public") &&
	    !(src->tree_top = strndup(real, strlen(real) - 19))) {
		xa_source_release(src);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}

	if (src->tree_top &&
	    ((ret = read_compat(ctx, src)) || (ret = read_zeroext(ctx, src)) ||
	     (ret = read_dispatch(ctx, src))))
		goto out;
	xa_vec_init(&w.headers, sizeof(char *));
	xa_vec_init(&w.unnamable, sizeof(char *));
	xa_vec_init(&w.outside, 2 * sizeof(char *));
	w.root = src->public_dir;
	/* A source tree is what a scan may read; installed headers, their own. */
	w.bound = src->tree_top ? src->tree_top : src->public_dir;
	ret = walk_dir(&w, "", 0);
	src->headers = w.headers.data;
	src->nheaders = w.headers.len;
	src->unnamable = w.unnamable.data;
	src->nunnamable = w.unnamable.len;
	if (!ret) {
		qsort(src->headers, src->nheaders, sizeof(char *), xa_str_cmp);
		ret = leave_out_outside(ctx, src, w.bound, &w.outside);
	}
	src->outside = w.outside.data;
	src->noutside = w.outside.len;
	if (ret)
		goto out;
	if (src->nunnamable)
		qsort(src->unnamable, src->nunnamable, sizeof(char *), xa_str_cmp);
	if (src->noutside)
		qsort(src->outside, src->noutside, 2 * sizeof(char *), pair_cmp);

	src->system_include = calloc(src->nheaders + 1, sizeof(bool));
	if (!src->system_include) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}

	/*
	 * Paths go into the hash too: a renamed header is a changed tree.  So
	 * does the scan's format: the hash keys stored work, which a scan
	 * that reads more or differently must not reuse.
	 */
	sha256_init(&sha);
	xa_sha256_str(&sha, XA_SCAN_FORMAT);
	/*
	 * Limits other than the defaults may leave out what a scan under
	 * the defaults (a shipped one) keeps: not the same work.
	 */
	if (ctx->time_limit != XENABI_DEFAULT_TIME_LIMIT ||
	    ctx->memory_limit != XENABI_DEFAULT_MEMORY_LIMIT) {
		char limits[64];

		snprintf(limits, sizeof(limits), "limits %u s %u MiB",
			 ctx->time_limit, ctx->memory_limit);
		xa_sha256_str(&sha, limits);
	}
	for (size_t i = 0; i < src->nheaders; i++) {
		xa_sha256_str(&sha, src->headers[i]);
		snprintf(path, sizeof(path), "%s/%s", src->public_dir,
			 src->headers[i]);
		if ((ret = hash_file(ctx, &sha, path,
				     &src->system_include[i])))
			goto out;
		if (!strcmp(src->headers[i], "arch-arm.h"))
			src->has_arm = true;
	}
	/* Their names are part of the tree, though they are not compiled. */
	for (size_t i = 0; i < src->nunnamable; i++)
		xa_sha256_str(&sha, src->unnamable[i]);
	for (size_t i = 0; i < 2 * src->noutside; i++)
		xa_sha256_str(&sha, src->outside[i]);
	if (src->tree_top && (ret = hash_internal(ctx, &sha, src->tree_top)))
		goto out;
	/*
	 * What was found, not the files it was found in: a git checkout
	 * holds only the files with a call, a source tree all of them.
	 */
	for (size_t i = 0; i < 2 * src->nzeroext; i++)
		xa_sha256_str(&sha, src->zeroext[i]);
	for (size_t i = 0; i < 2 * src->ndispatch; i++)
		xa_sha256_str(&sha, src->dispatch[i]);
	for (size_t i = 0; i < 2 * src->nuses; i++)
		xa_sha256_str(&sha, src->uses[i]);
	if (src->tree_top && (ret = hash_dispatch_rules(ctx, &sha)))
		goto out;
	xa_sha256_hex(&sha, src->tree_hash);
out:
	if (ret)
		xa_source_release(src);
	return ret;
}

void xa_source_release(struct xa_source *src)
{
	for (size_t i = 0; i < src->nheaders; i++)
		free(src->headers[i]);
	free(src->headers);
	for (size_t i = 0; i < src->nunnamable; i++)
		free(src->unnamable[i]);
	free(src->unnamable);
	for (size_t i = 0; i < 2 * src->noutside; i++)
		free(src->outside[i]);
	free(src->outside);
	free(src->system_include);
	for (size_t i = 0; i < 2 * src->ncompat; i++)
		free(src->compat[i]);
	free(src->compat);
	for (size_t i = 0; i < 2 * src->nzeroext; i++)
		free(src->zeroext[i]);
	free(src->zeroext);
	for (size_t i = 0; i < 2 * src->ndispatch; i++)
		free(src->dispatch[i]);
	free(src->dispatch);
	for (size_t i = 0; i < 2 * src->nuses; i++)
		free(src->uses[i]);
	free(src->uses);
	free(src->tree_top);
	free(src->public_dir);
	memset(src, 0, sizeof(*src));
}

/* ---- git: a revision's files, read without a checkout ------------------ */

struct xenabi_checkout {
	char *scratch;		/* ours: removed by xenabi_checkout_free */
	char *dir;		/* the tree inside it */
	char *name;
	char *origin;
	char *date;
	/* What the tree holds: git's files by path, sorted, and their objects. */
	size_t nfiles;
	char **paths;
	char **oids;
	bool *written;		/* not every source under XA_ZEROEXT_DIR is */
	char *commit;		/* what it holds */
	char *before;		/* what it held before the last move, or NULL */
	char **changes;		/* the files that move wrote or removed */
	size_t nchanges;
};

bool xenabi_release_name_valid(const char *name)
{
	size_t n = strlen(name);

	/* NAME.tmp is what baselines write once left half written. */
	if (!n || n > 64 || name[0] == '.' || name[0] == '-' ||
	    (n >= 4 && !strcmp(name + n - 4, ".tmp")))
		return false;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '/' || *p == '\\' ||
		    (unsigned char)*p == 0x7f)
			return false;
	return true;
}

/* "RELEASE-4.22.0" -> "4.22.0"; NULL for any other tag. */
static char *release_of_tag(const char *tag)
{
	if (strncmp(tag, "RELEASE-", 8) || tag[8] < '0' || tag[8] > '9')
		return NULL;
	return strdup(tag + 8);
}

/*
 * *name: a release tag's name, if tag is one and of commit, and a valid
 * name; else NULL.  An error only when git could not say.
 */
static int tag_release(struct xenabi_ctx *ctx, const char *gitdir,
		       const char *tag, const char *commit, char **name)
{
	char *ref = NULL, *peel = NULL, *exact = NULL, *peeled = NULL;
	bool is_tag = false;
	const char *show[] = { "show-ref", "--verify", "--quiet", NULL, NULL };
	const char *parse[] = { "rev-parse", "--verify", "--quiet", NULL, NULL };
	int ret;

	*name = release_of_tag(tag);
	if (!*name || !xenabi_release_name_valid(*name)) {
		free(*name);
		*name = NULL;
		return 0;
	}
	if (asprintf(&ref, "refs/tags/%s", tag) < 0 ||
	    asprintf(&peel, "refs/tags/%s^{commit}", tag) < 0) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	/*
	 * "RELEASE-4.9.0~1" looks like a tag and is not one: the ref must be
	 * there as it is spelt, and be the commit.
	 */
	show[3] = ref;
	parse[3] = peel;
	if (!(ret = xa_git_line(ctx, gitdir, show, &exact)) &&
	    !(ret = xa_git_line(ctx, gitdir, parse, &peeled)))
		is_tag = !strcmp(peeled, commit);
	if (ret > 0)
		ret = 0;
out:
	if (ret || !is_tag) {
		free(*name);
		*name = NULL;
	}
	free(exact);
	free(peeled);
	free(peel);
	free(ref);
	return ret;
}

static int default_name(struct xenabi_ctx *ctx, const char *gitdir,
			const char *rev, const char *commit, char **name)
{
	const char *describe[] = { "describe", "--tags", "--exact-match",
				   "--match", "RELEASE-*", commit, NULL };
	const char *shortid[] = { "rev-parse", "--short=12", commit, NULL };
	char *tag = NULL;
	int ret;

	/* The tag the user named wins over another tag of the same commit. */
	if ((ret = tag_release(ctx, gitdir, rev, commit, name)) || *name)
		return ret;
	ret = xa_git_line(ctx, gitdir, describe, &tag);
	if (ret < 0)
		return ret;
	if (!ret && ((ret = tag_release(ctx, gitdir, tag, commit, name)) ||
		     *name)) {
		free(tag);
		return ret;
	}
	free(tag);
	ret = xa_git_line(ctx, gitdir, shortid, name);
	if (ret > 0)
		ret = xa_error(ctx, XENABI_EGIT, "cannot name commit %s", commit);
	return ret;
}

/*
 * A path git would check out: relative, with no empty, "." or ".." part.
 * git makes no other, but a tree object crafted by hand can hold one.
 */
static bool git_path_ok(const char *path)
{
	if (*path == '/')
		return false;
	for (const char *p = path;; p++) {
		size_t n = strcspn(p, "/");

		if (!n || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!p[n])
			return true;
		p += n;
	}
}

/* dir/path, written afresh with its directories: never over a file. */
static int write_new(struct xenabi_ctx *ctx, const char *dir, const char *path,
		     const char *data, size_t len)
{
	char *full;
	int fd = -1, ret = 0;

	if (asprintf(&full, "%s/%s", dir, path) < 0)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (char *s = full + strlen(dir) + 1; (s = strchr(s, '/')); *s++ = '/') {
		*s = '\0';
		if (mkdir(full, 0755) && errno != EEXIST)
			goto fail;
	}
	/*
	 * Nothing here is a link (none is written), and a path twice in a
	 * crafted tree is refused rather than written twice.
	 */
	fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		goto fail;
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		data += n;
		len -= (size_t)n;
	}
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	free(full);
	return 0;
fail:
	ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", full,
		       strerror(errno ? errno : ENOSPC));
	if (fd >= 0)
		close(fd);
	free(full);
	return ret;
}

/* A file of the revision: its object and path, both in the listing. */
struct git_file {
	const char *oid;
	const char *path;
	bool if_zeroext;	/* written only if it calls XA_ZEROEXT_MACRO */
};

/*
 * The files a scan reads, from ls-tree -r -z: the public headers, the
 * internal files, the sources under XA_ZEROEXT_DIR (kept if they call
 * XA_ZEROEXT_MACRO).  Only regular files: no link is written, so none
 * can lead out of the tree; no Xen release has one among these.
 */
static int pick_files(struct xenabi_ctx *ctx, const char *gitdir,
		      const char *rev, char *listing, size_t len,
		      char *const *internal, size_t ninternal,
		      struct xa_vec *files, bool *has_xen)
{
	static const char pub[] = "xen/include/public/";
	static const char zdir[] = XA_ZEROEXT_DIR "/";

	*has_xen = false;
	for (char *p = listing, *end = listing + len, *next; p < end; p = next) {
		/* "MODE TYPE OID\tPATH" */
		char *type = strchr(p, ' '), *oid, *path = strchr(p, '\t');
		struct git_file *f;
		bool keep = false, zero = false;
		size_t n;

		next = p + strlen(p) + 1;
		if (!type || !path || !(oid = strchr(type + 1, ' ')) ||
		    oid > path)
			return xa_error(ctx, XENABI_EGIT, "git ls-tree on '%s' of "
					"'%s' said '%s', not a file", rev,
					gitdir, p);
		*type++ = '\0';
		*oid++ = '\0';
		*path++ = '\0';
		if (!git_path_ok(path))
			return xa_error(ctx, XENABI_ENOTREE, "revision '%s' of '%s' "
					"holds a path git would not check out: "
					"'%s'", rev, gitdir, path);
		/* Links (120000) and submodules left out. */
		if (strcmp(type, "blob") || strncmp(p, "100", 3))
			continue;
		keep = !strncmp(path, pub, sizeof(pub) - 1);
		for (size_t i = 0; i < ninternal && !keep; i++)
			keep = !strcmp(path, internal[i]);
		n = strlen(path);
		zero = !keep && !strncmp(path, zdir, sizeof(zdir) - 1) &&
		       n > 2 && !strcmp(path + n - 2, ".c");
		if (!keep && !zero)
			continue;
		if (!(f = xa_vec_push(files)))
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		f->oid = oid;
		f->path = path;
		f->if_zeroext = zero;
		*has_xen |= !strcmp(path, "xen/include/public/xen.h");
	}
	return 0;
}

/*
 * Write files[] into dir from git cat-file --batch's output: "OID TYPE
 * SIZE\n", the bytes as committed, "\n", for each in order.  No filter,
 * attribute or config of the repository's comes between.
 */
static int write_blobs(struct xenabi_ctx *ctx, const char *gitdir,
		       const char *rev, const char *dir, const char *batch,
		       size_t len, const struct xa_vec *files, const bool *need,
		       bool *written)
{
	const struct git_file *f = files->data;
	const char *p = batch, *end = batch + len;
	static const size_t mlen = sizeof(XA_ZEROEXT_MACRO) - 1;

	for (size_t i = 0; i < files->len; i++) {
		if (!need[i])
			continue;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t olen = strlen(f[i].oid);
		unsigned long long size;
		char *after;
		int ret;

		if (!eol || (size_t)(eol - p) < olen + 1 ||
		    memcmp(p, f[i].oid, olen) || p[olen] != ' ')
			return xa_error(ctx, XENABI_EGIT, "git cat-file on '%s' of "
					"'%s' did not give object %s ('%s')",
					rev, gitdir, f[i].oid, f[i].path);
		p += olen + 1;
		if (strncmp(p, "blob ", 5))
			return xa_error(ctx, XENABI_EGIT, "git repository '%s' "
					"cannot give object %s ('%s' of '%s'): "
					"%.*s", gitdir, f[i].oid, f[i].path, rev,
					(int)(eol - p), p);
		errno = 0;
		size = strtoull(p + 5, &after, 10);
		if (errno || after != eol || size >= (size_t)(end - eol) - 1 ||
		    eol[1 + size] != '\n')
			return xa_error(ctx, XENABI_EGIT, "git cat-file on '%s' of "
					"'%s' gave object %s ('%s') cut short",
					rev, gitdir, f[i].oid, f[i].path);
		p = eol + 1 + size + 1;
		written[i] = false;
		if (f[i].if_zeroext &&
		    !memmem(eol + 1, size, XA_ZEROEXT_MACRO, mlen))
			continue;
		if ((ret = write_new(ctx, dir, f[i].path, eol + 1, size)))
			return ret;
		written[i] = true;
	}
	return 0;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(((const struct git_file *)a)->path,
		      ((const struct git_file *)b)->path);
}

/*
 * Bring co's tree from what it holds to files: which to write (need[]),
 * what it wrote before at each (written[]), and the files gone removed.
 * A fresh checkout needs them all.
 */
static int plan_update(struct xenabi_ctx *ctx, struct xenabi_checkout *co,
		       const struct xa_vec *files, bool *need, bool *written)
{
	const struct git_file *f = files->data;
	bool *kept = calloc(co->nfiles + 1, sizeof(bool));

	if (!kept)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (size_t i = 0; i < files->len; i++) {
		char **hit = co->nfiles ? bsearch(f[i].path, co->paths, co->nfiles,
						   sizeof(char *), xa_str_key_cmp)
					: NULL;
		size_t k = hit ? (size_t)(hit - co->paths) : 0;

		need[i] = !hit || strcmp(co->oids[k], f[i].oid);
		written[i] = hit && co->written[k];
		if (hit)
			kept[k] = !need[i];
	}
	/* What changed or went: its old file out of the way. */
	for (size_t k = 0; k < co->nfiles; k++) {
		char path[PATH_MAX];

		if (kept[k] || !co->written[k])
			continue;
		snprintf(path, sizeof(path), "%s/%s", co->dir, co->paths[k]);
		if (unlink(path) && errno != ENOENT) {
			free(kept);
			return xa_error(ctx, XENABI_EIO, "cannot remove '%s': %s",
					path, strerror(errno));
		}
	}
	free(kept);
	return 0;
}

/*
 * What the move to commit changed: the files written (need[]) and those
 * co held that files lacks.  Kept with the commit moved from.
 */
static int record_changes(struct xenabi_ctx *ctx, struct xenabi_checkout *co,
			  const struct xa_vec *files, const bool *need,
			  const char *commit)
{
	const struct git_file *f = files->data;
	char **changes = calloc(files->len + co->nfiles + 1, sizeof(char *));
	size_t n = 0;
	bool oom = !changes;

	for (size_t i = 0; i < files->len && !oom; i++)
		if (need[i])
			oom = !(changes[n++] = strdup(f[i].path));
	for (size_t k = 0; k < co->nfiles && !oom; k++) {
		bool there = false;

		for (size_t i = 0; i < files->len && !there; i++)
			there = !strcmp(f[i].path, co->paths[k]);
		if (!there)
			oom = !(changes[n++] = strdup(co->paths[k]));
	}
	if (oom) {
		xa_strings_free(changes, n);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	xa_strings_free(co->changes, co->nchanges);
	free(co->before);
	co->before = co->commit;
	co->commit = strdup(commit);
	co->changes = changes;
	co->nchanges = n;
	return co->commit ? 0 : xa_error(ctx, XENABI_ENOMEM, "out of memory");
}

int xenabi_checkout_changes(const struct xenabi_checkout *co, const char *since,
			    char *const **paths, size_t *count)
{
	if (!co->before || strcmp(co->before, since))
		return 1;
	*paths = co->changes;
	*count = co->nchanges;
	return 0;
}

/* What co's tree now holds: files, with what was written of them. */
static int record_files(struct xenabi_ctx *ctx, struct xenabi_checkout *co,
			const struct xa_vec *files, bool *written)
{
	const struct git_file *f = files->data;
	char **paths = calloc(files->len + 1, sizeof(char *));
	char **oids = calloc(files->len + 1, sizeof(char *));
	bool oom = !paths || !oids;

	for (size_t i = 0; i < files->len && !oom; i++)
		oom = !(paths[i] = strdup(f[i].path)) ||
		      !(oids[i] = strdup(f[i].oid));
	if (oom) {
		xa_strings_free(paths, files->len);
		xa_strings_free(oids, files->len);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	xa_strings_free(co->paths, co->nfiles);
	xa_strings_free(co->oids, co->nfiles);
	free(co->written);
	co->paths = paths;
	co->oids = oids;
	co->written = written;
	co->nfiles = files->len;
	return 0;
}

/* The committer's date of a commit object's text, seconds since 1970. */
static int commit_time(const char *text, long long *when)
{
	for (const char *line = text; *line && *line != '\n';) {
		const char *eol = line + strcspn(line, "\n"), *tz, *ts;

		if (!strncmp(line, "committer ", 10)) {
			/* "committer NAME <MAIL> SECONDS ZONE" */
			for (tz = eol; tz > line && tz[-1] != ' '; tz--)
				;
			if (tz <= line + 1)
				return -1;
			for (ts = tz - 1; ts > line && ts[-1] != ' '; ts--)
				;
			if (!isdigit((unsigned char)*ts))
				return -1;
			*when = strtoll(ts, NULL, 10);
			return 0;
		}
		line = *eol ? eol + 1 : eol;
	}
	return -1;
}

/*
 * Check rev out into co: all of it when co is new, else only what differs
 * from what co holds.  name: a release tag's name, or the short id.
 */
static int checkout(struct xenabi_ctx *ctx, const char *gitdir,
		    const char *rev, struct xenabi_checkout *co, bool name)
{
	bool fresh = co->dir == NULL, *need = NULL, *written = NULL;
	char *commit = NULL, *spec = NULL, *listing = NULL, *text = NULL;
	char *batch = NULL, *wanted = NULL, **internal = NULL;
	const char *argv[8];
	size_t ninternal = 0, listing_len = 0, batch_len = 0;
	struct xa_vec files;	/* struct git_file, into listing */
	long long when;
	bool has_xen;
	FILE *f;
	int ret;

	xa_vec_init(&files, sizeof(struct git_file));
	if (*rev == '-' || !*rev) {
		ret = xa_error(ctx, XENABI_EINVAL, "'%s' is not a revision", rev);
		goto out;
	}
	if (fresh && (ret = xa_git_repo_check(ctx, gitdir)))
		goto out;
	if (asprintf(&spec, "%s^{commit}", rev) < 0) {
		spec = NULL;
		goto oom;
	}
	argv[0] = "rev-parse"; argv[1] = "--verify"; argv[2] = "--quiet";
	argv[3] = spec; argv[4] = NULL;
	/* A walk's commit ids are git's own: cat-file says if one is not. */
	if (!name && strlen(rev) == 40 && strspn(rev, "0123456789abcdef") == 40)
		ret = (commit = strdup(rev)) ? 0 : -XENABI_ENOMEM;
	else if ((ret = xa_git_line(ctx, gitdir, argv, &commit)) > 0)
		ret = xa_error(ctx, XENABI_ENOTFOUND, "no revision '%s' in git "
			       "repository '%s'; 'git -C %s tag -l RELEASE-*' "
			       "lists the releases", rev, gitdir, gitdir);
	if (ret)
		goto out;

	/* Only what a scan reads: the public headers and the internal files. */
	if ((ret = xa_internal_files(ctx, &internal, &ninternal)))
		goto out;
	{
		const char *ls[] = { "ls-tree", "-r", "-z", "--full-tree", commit,
				     "--", "xen/include/public",
				     XA_ZEROEXT_DIR, NULL };

		if ((ret = xa_git_output(ctx, gitdir, rev, NULL, ls,
					 (const char *const *)internal,
					 ninternal, &listing, &listing_len)))
			goto out;
	}
	if ((ret = pick_files(ctx, gitdir, rev, listing, listing_len, internal,
			      ninternal, &files, &has_xen)))
		goto out;
	if (!has_xen) {
		ret = xa_error(ctx, XENABI_ENOTREE, "revision '%s' of '%s' has no "
			       "xen/include/public/xen.h: not a Xen tree", rev,
			       gitdir);
		goto out;
	}

	if (files.len)
		qsort(files.data, files.len, files.elem, path_cmp);
	if (!(need = calloc(files.len + 1, sizeof(bool))) ||
	    !(written = calloc(files.len + 1, sizeof(bool))))
		goto oom;
	if (!fresh) {
		if ((ret = plan_update(ctx, co, &files, need, written)))
			goto out;
		goto fetch;
	}
	for (size_t i = 0; i < files.len; i++)
		need[i] = true;
	if ((ret = xa_tmpdir(ctx, &co->scratch)))
		goto out;
	if (asprintf(&co->dir, "%s/tree", co->scratch) < 0) {
		co->dir = NULL;
		goto oom;
	}
	if (mkdir(co->dir, 0755)) {
		ret = xa_error(ctx, XENABI_EIO, "cannot create '%s': %s", co->dir,
			       strerror(errno));
		goto out;
	}
fetch:
	if (asprintf(&wanted, "%s/objects", co->scratch) < 0) {
		wanted = NULL;
		goto oom;
	}
	/* The objects, one a line, for cat-file to read in that order. */
	if (!(f = fopen(wanted, "we"))) {
		ret = xa_error(ctx, XENABI_EIO, "cannot create '%s': %s", wanted,
			       strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < files.len; i++)
		if (need[i])
			fprintf(f, "%s\n", ((struct git_file *)files.data)[i].oid);
	if (ferror(f) | fclose(f)) {
		ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", wanted,
			       strerror(errno));
		goto out;
	}
	{
		const char *cf[] = { "cat-file", "--batch", NULL };

		if ((ret = xa_git_output(ctx, gitdir, rev, wanted, cf, NULL, 0,
					 &batch, &batch_len)))
			goto out;
	}
	if ((ret = write_blobs(ctx, gitdir, rev, co->dir, batch, batch_len,
			       &files, need, written)) ||
	    (ret = record_changes(ctx, co, &files, need, commit)) ||
	    (ret = record_files(ctx, co, &files, written)))
		goto out;
	written = NULL;

	/* A commit's date, not the scan's: the same revision, the same record. */
	argv[0] = "cat-file"; argv[1] = "commit"; argv[2] = commit;
	argv[3] = NULL;
	if ((ret = xa_git_output(ctx, gitdir, rev, NULL, argv, NULL, 0, &text,
				 NULL)))
		goto out;
	if (commit_time(text, &when)) {
		ret = xa_error(ctx, XENABI_EGIT, "cannot read the date of %s",
			       commit);
		goto out;
	}
	{
		time_t t = (time_t)when;
		struct tm tm;
		char buf[32];

		if (!gmtime_r(&t, &tm) ||
		    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
			ret = xa_error(ctx, XENABI_EGIT, "cannot read the date "
				       "of %s", commit);
			goto out;
		}
		free(co->date);
		if (!(co->date = strdup(buf)))
			goto oom;
	}
	free(co->name);
	free(co->origin);
	co->name = co->origin = NULL;
	if (name && (ret = default_name(ctx, gitdir, rev, commit, &co->name)))
		goto out;
	if (!name && !(co->name = strndup(commit, 12)))
		goto oom;
	if (asprintf(&co->origin, "git %s %s", rev, commit) < 0) {
		co->origin = NULL;
		goto oom;
	}
	ret = 0;
	goto out;
oom:
	ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
out:
	free(need);
	free(written);
	xa_vec_release(&files);
	xa_strings_free(internal, ninternal);
	free(commit);
	free(spec);
	free(listing);
	free(batch);
	free(wanted);
	free(text);
	return ret;
}

int xenabi_git_checkout(struct xenabi_ctx *ctx, const char *gitdir,
			const char *rev, struct xenabi_checkout **out)
{
	struct xenabi_checkout *co = calloc(1, sizeof(*co));
	int ret;

	*out = NULL;
	if (!co)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if ((ret = checkout(ctx, gitdir, rev, co, true))) {
		xenabi_checkout_free(co);
		return ret;
	}
	*out = co;
	return 0;
}

int xenabi_git_checkout_move(struct xenabi_ctx *ctx, const char *gitdir,
			     const char *rev, struct xenabi_checkout **co)
{
	if (!*co && !(*co = calloc(1, sizeof(**co))))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return checkout(ctx, gitdir, rev, *co, false);
}

const char *xenabi_checkout_dir(const struct xenabi_checkout *co)
{
	return co->dir;
}

const char *xenabi_checkout_name(const struct xenabi_checkout *co)
{
	return co->name;
}

const char *xenabi_checkout_origin(const struct xenabi_checkout *co)
{
	return co->origin;
}

const char *xenabi_checkout_date(const struct xenabi_checkout *co)
{
	return co->date;
}

void xenabi_checkout_free(struct xenabi_checkout *co)
{
	if (!co)
		return;
	if (co->scratch && !getenv("XENABI_KEEP_PROBES"))
		xa_rmdir(co->scratch);
	free(co->scratch);
	free(co->dir);
	free(co->name);
	free(co->origin);
	free(co->date);
	xa_strings_free(co->paths, co->nfiles);
	xa_strings_free(co->oids, co->nfiles);
	free(co->written);
	xa_strings_free(co->changes, co->nchanges);
	free(co->commit);
	free(co->before);
	free(co);
}

int xa_source_dirty(struct xenabi_ctx *ctx, const struct xa_source *src,
		    char *const *changed, size_t nchanged, bool *dirty)
{
	size_t n = src->nheaders, plen = strlen(src->public_dir);
	struct xa_vec *deps = calloc(n + 1, sizeof(struct xa_vec));
	char incdir[PATH_MAX], *line = NULL;
	size_t cap = 0;
	bool grown = true;
	int ret = 0;

	if (!deps)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	include_dir(src, incdir);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		FILE *f;

		xa_vec_init(&deps[i], sizeof(char *));
		dirty[i] = false;
		for (size_t k = 0; k < nchanged; k++)
			dirty[i] |= !strcmp(changed[k], src->headers[i]);
		snprintf(path, sizeof(path), "%s/%s", src->public_dir, src->headers[i]);
		if (!(f = fopen(path, "r")))
			continue;
		while (!ret && getline(&line, &cap, f) > 0) {
			char real[PATH_MAX], *p, **dep;
			bool quoted;

			if (!(p = include_name(line, &quoted)) ||
			    !include_target(src->public_dir, incdir, src->headers[i],
					    p, quoted, real) ||
			    strncmp(real, src->public_dir, plen) || real[plen] != '/')
				continue;
			if (!(dep = xa_vec_push(&deps[i])) ||
			    !(*dep = strdup(real + plen + 1)))
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
		fclose(f);
	}
	/* What includes a changed header, or one that does, is dirty too. */
	while (!ret && grown) {
		grown = false;
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; !dirty[i] && k < deps[i].len; k++) {
				const char *dep = ((char **)deps[i].data)[k];

				for (size_t c = 0; c < nchanged && !dirty[i]; c++)
					dirty[i] = !strcmp(changed[c], dep);
				for (size_t j = 0; j < n && !dirty[i]; j++)
					dirty[i] = dirty[j] && !strcmp(src->headers[j], dep);
				grown |= dirty[i];
			}
	}
	for (size_t i = 0; i < n; i++)
		xa_strings_free(deps[i].data, deps[i].len);
	free(deps);
	free(line);
	return ret;
}

int xenabi_scan_inputs(struct xenabi_ctx *ctx, char digest[65])
{
	char **files, limits[64];
	size_t n;
	struct sha256_ctx sha;
	int ret;

	if ((ret = xa_internal_files(ctx, &files, &n)))
		return ret;
	sha256_init(&sha);
	xa_sha256_str(&sha, XENABI_VERSION);
	xa_sha256_str(&sha, XA_SCAN_FORMAT);
	snprintf(limits, sizeof(limits), "limits %u s %u MiB", ctx->time_limit,
		 ctx->memory_limit);
	xa_sha256_str(&sha, limits);
	sha256_update(&sha, strlen(xa_continuations_manifest),
		      (const uint8_t *)xa_continuations_manifest);
	for (size_t i = 0; i < n; i++)
		xa_sha256_str(&sha, files[i]);
	xa_strings_free(files, n);
	ret = hash_dispatch_rules(ctx, &sha);
	xa_sha256_hex(&sha, digest);
	return ret;
}

int xenabi_tree_hash(struct xenabi_ctx *ctx, const char *dir, char hash[65])
{
	struct xa_source src;
	int ret = xa_source_open(ctx, dir, &src);

	if (ret)
		return ret;
	memcpy(hash, src.tree_hash, 65);
	xa_source_release(&src);
	return 0;
}

/* "4.17.0" and the like: digits and dots, at least 4.0. */
static bool release_version(const char *v)
{
	if (strtoul(v, NULL, 10) < 4 || !strchr(v, '.'))
		return false;
	for (; *v; v++)
		if (!(*v == '.' || (*v >= '0' && *v <= '9')))
			return false;
	return true;
}

/* The "x.y" of "x.y.z[.w]", for grouping a branch's releases. */
static size_t branch_len(const char *v)
{
	const char *dot = strchr(v, '.');

	dot = dot ? strchr(dot + 1, '.') : NULL;
	return dot ? (size_t)(dot - v) : strlen(v);
}

static int version_cmp(const void *a, const void *b)
{
	return xenabi_release_name_cmp(*(char *const *)a + 8,
				       *(char *const *)b + 8);
}

int xenabi_git_release_tags(struct xenabi_ctx *ctx, const char *gitdir,
			    char ***tags, size_t *count)
{
	const char *args[] = { "tag", "-l", "--no-column", "RELEASE-*", NULL };
	struct xa_vec all, out;
	char *listing = NULL, *line, *save = NULL;
	int ret;

	*tags = NULL;
	*count = 0;
	xa_vec_init(&all, sizeof(char *));
	xa_vec_init(&out, sizeof(char *));
	if ((ret = xa_git_repo_check(ctx, gitdir)))
		return ret;
	ret = xa_git_output(ctx, gitdir, NULL, NULL, args, NULL, 0, &listing,
			    NULL);
	for (line = ret ? NULL : strtok_r(listing, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char **slot;

		if (!release_version(line + 8))
			continue;
		if (!(slot = xa_vec_push(&all)) || !(*slot = strdup(line))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
	}
	free(listing);
	if (!ret && all.len)
		qsort(all.data, all.len, sizeof(char *), version_cmp);
	/* Each branch's first release, and its newest if that is another. */
	for (size_t i = 0; !ret && i < all.len; i++) {
		char **t = all.data, **slot;
		size_t b = branch_len(t[i] + 8);
		bool first = !i || branch_len(t[i - 1] + 8) != b ||
			     strncmp(t[i - 1], t[i], 8 + b);
		bool last = i + 1 == all.len || branch_len(t[i + 1] + 8) != b ||
			    strncmp(t[i + 1], t[i], 8 + b);

		if (!first && !last)
			continue;
		if (!(slot = xa_vec_push(&out)) || !(*slot = strdup(t[i])))
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	xa_strings_free(all.data, all.len);
	if (ret) {
		xa_strings_free(out.data, out.len);
		return ret;
	}
	*tags = out.data;
	*count = out.len;
	return 0;
}

bool xa_source_wanted(const struct xa_source *src, const char *header)
{
	char *const *hit;

	if (!src->macros_only)
		return true;
	hit = header ? bsearch(header, src->headers, src->nheaders,
			       sizeof(char *), xa_str_key_cmp)
		     : NULL;
	return hit && src->macros_only[hit - src->headers];
}
