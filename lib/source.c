/* SPDX-License-Identifier: MIT */
/*
 * source: finding the public headers under a directory and the content
 * hash of what was found.  Knows files; not the compiler, not sqlite.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sha2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walk {
	struct xenabi_ctx *ctx;
	const char *root;
	struct xa_vec headers;	/* char * */
};

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
		    stat(full, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			/* Deep enough for any Xen tree, and stops symlink loops. */
			if (depth < 8 && (ret = walk_dir(w, sub, depth + 1)))
				break;
		} else if (S_ISREG(st.st_mode) && len > 2 &&
			   !strcmp(de->d_name + len - 2, ".h")) {
			char **slot = xa_vec_push(&w->headers);

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

static int hash_file(struct xenabi_ctx *ctx, SHA2_CTX *sha, const char *path,
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
		SHA256Update(sha, buf, n);
		if (memmem(buf, n, "#include <", 10))
			*system_include = true;
	}
	close(fd);
	if (n < 0)
		return xa_error(ctx, XENABI_EIO, "cannot read '%s': %s", path,
				strerror(errno));
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
	SHA2_CTX sha;
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

	xa_vec_init(&w.headers, sizeof(char *));
	w.root = src->public_dir;
	ret = walk_dir(&w, "", 0);
	src->headers = w.headers.data;
	src->nheaders = w.headers.len;
	if (ret)
		goto out;
	qsort(src->headers, src->nheaders, sizeof(char *), cmp_str);
	src->system_include = calloc(src->nheaders + 1, sizeof(bool));
	if (!src->system_include) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}

	/* Paths go into the hash too: a renamed header is a changed tree. */
	SHA256Init(&sha);
	for (size_t i = 0; i < src->nheaders; i++) {
		SHA256Update(&sha, (const uint8_t *)src->headers[i],
			     strlen(src->headers[i]) + 1);
		snprintf(path, sizeof(path), "%s/%s", src->public_dir,
			 src->headers[i]);
		if ((ret = hash_file(ctx, &sha, path,
				     &src->system_include[i])))
			goto out;
		if (!strcmp(src->headers[i], "arch-arm.h"))
			src->has_arm = true;
	}
	SHA256End(&sha, src->tree_hash);
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
	free(src->system_include);
	free(src->tree_top);
	free(src->public_dir);
	memset(src, 0, sizeof(*src));
}
