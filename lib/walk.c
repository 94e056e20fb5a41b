/* SPDX-License-Identifier: MIT */
/*
 * The commits of a range of a Xen clone that change what a scan reads:
 * what `xenabi log` scans and compares, each against the one before.
 */
#include <stdlib.h>
#include <string.h>

#include "xa.h"

/* A revision as a commit id: REV, else RELEASE-REV; 1 when neither is. */
static int resolve(struct xenabi_ctx *ctx, const char *gitdir, const char *rev,
		   char **commit)
{
	const char *forms[] = { "%s^{commit}", "RELEASE-%s^{commit}" };
	int ret = 1;

	*commit = NULL;
	if (!*rev || *rev == '-')
		return xa_error(ctx, XENABI_EINVAL, "'%s' is not a revision", rev);
	for (size_t i = 0; i < XA_ARRAY_SIZE(forms) && ret == 1; i++) {
		const char *args[] = { "rev-parse", "--verify", "--quiet", NULL,
				       NULL };
		char *spec;

		if (asprintf(&spec, forms[i], rev) < 0)
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		args[3] = spec;
		ret = xa_git_line(ctx, gitdir, args, commit);
		free(spec);
	}
	if (ret == 1)
		return xa_error(ctx, XENABI_ENOTFOUND, "no revision '%s' in git "
				"repository '%s'; 'git -C %s tag -l RELEASE-*' "
				"lists the releases", rev, gitdir, gitdir);
	return ret;
}

/*
 * The sources under XA_ZEROEXT_DIR that call XA_ZEROEXT_MACRO at commit,
 * appended to paths.  A file that calls it only between the two ends
 * changes neither end's records, so the two ends' files are enough.
 */
static int zeroext_sources(struct xenabi_ctx *ctx, const char *gitdir,
			   const char *commit, struct xa_vec *paths)
{
	const char *args[] = { "grep", "-l", "-F", "-e", XA_ZEROEXT_MACRO,
			       commit, "--", XA_ZEROEXT_DIR, NULL };
	struct xa_run run;
	char *out = NULL, *save = NULL;
	int ret = xa_git_more(ctx, gitdir, NULL, &out, &run, args, NULL, 0);

	/* git grep exits 1 when nothing matches. */
	if (!ret && (run.limit || run.status > 1))
		ret = xa_git_failed(ctx, &run, "grep", gitdir, commit);
	xa_run_release(&run);
	for (char *line = ret || !out ? NULL : strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *path = strchr(line, ':'), **slot;
		size_t n;

		if (!path)
			continue;
		n = strlen(++path);
		if (n < 3 || strcmp(path + n - 2, ".c"))
			continue;
		if (!(slot = xa_vec_push(paths)) || !(*slot = strdup(path))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
	}
	free(out);
	return ret;
}

/* Every path a scan reads from a tree, for git to limit the walk to. */
static int read_paths(struct xenabi_ctx *ctx, const char *gitdir,
		      const char *base, const char *to, struct xa_vec *paths)
{
	char **internal = NULL, **slot;
	size_t n = 0;
	int ret;

	if (!(slot = xa_vec_push(paths)) ||
	    !(*slot = strdup("xen/include/public")))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if ((ret = xa_internal_files(ctx, &internal, &n)))
		return ret;
	for (size_t i = 0; i < n && !ret; i++) {
		if (!(slot = xa_vec_push(paths)))
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		else
			*slot = internal[i];
		internal[i] = slot ? NULL : internal[i];
	}
	xa_strings_free(internal, n);
	if (!ret)
		ret = zeroext_sources(ctx, gitdir, base, paths);
	if (!ret)
		ret = zeroext_sources(ctx, gitdir, to, paths);
	return ret;
}

/* "ID\x1fPARENTS\x1fAUTHOR\x1fDATE\x1fSUBJECT" records, NUL-separated. */
static int parse_log(struct xenabi_ctx *ctx, struct xenabi_walk *w,
		     char *text, size_t len)
{
	struct xa_vec commits;
	size_t n;

	xa_vec_init(&commits, sizeof(struct xenabi_commit));
	for (char *p = text, *end = text + len, *next; p < end; p = next) {
		char *field[5] = { p };
		struct xenabi_commit *c;
		size_t k = 1;

		next = p + strlen(p) + 1;
		/* git log -z ends a record with NUL; a newline may lead the next. */
		while (*field[0] == '\n')
			field[0]++;
		if (!*field[0])
			continue;
		for (char *q = field[0]; *q && k < 5; q++)
			if (*q == '\x1f') {
				*q = '\0';
				field[k++] = q + 1;
			}
		if (k != 5 || strlen(field[0]) != 40) {
			xa_vec_release(&commits);
			return xa_error(ctx, XENABI_EGIT, "git log said '%.60s', not "
					"a commit", field[0]);
		}
		field[1][strcspn(field[1], " ")] = '\0';
		if (!(c = xa_vec_push(&commits))) {
			xa_vec_release(&commits);
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
		c->id = xa_arena_strdup(w->arena, field[0]);
		c->parent = xa_arena_strdup(w->arena, field[1]);
		c->author = xa_arena_strdup(w->arena, field[2]);
		c->date = xa_arena_strdup(w->arena, field[3]);
		c->subject = xa_arena_strdup(w->arena, field[4]);
		if (!c->id || !c->parent || !c->author || !c->date || !c->subject) {
			xa_vec_release(&commits);
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
	}
	n = commits.len;
	w->commits = xa_vec_finish(&commits, w->arena, &w->ncommits);
	if (n && !w->commits)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return 0;
}

int xenabi_git_walk(struct xenabi_ctx *ctx, const char *gitdir,
		    const char *from_rev, const char *to_rev,
		    struct xenabi_walk **out)
{
	struct xenabi_walk *w = calloc(1, sizeof(*w));
	char *from = NULL, *to = NULL, *base = NULL, *shallow = NULL;
	char *count = NULL, *range = NULL, *log = NULL;
	struct xa_vec paths;
	size_t log_len = 0;
	int ret;

	*out = NULL;
	xa_vec_init(&paths, sizeof(char *));
	if (!w || !(w->arena = xa_arena_new())) {
		free(w);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	if ((ret = xa_git_repo_check(ctx, gitdir)))
		goto out;
	{
		const char *args[] = { "rev-parse", "--is-shallow-repository",
				       NULL };

		if ((ret = xa_git_line(ctx, gitdir, args, &shallow)) > 0)
			ret = xa_error(ctx, XENABI_EGIT, "git rev-parse on '%s' "
				       "failed", gitdir);
		if (!ret && !strcmp(shallow, "true"))
			ret = xa_error(ctx, XENABI_EGIT, "'%s' is a shallow clone: "
				       "the commits of the range may be missing; "
				       "run 'git -C %s fetch --unshallow'", gitdir,
				       gitdir);
		if (ret)
			goto out;
	}
	if ((ret = resolve(ctx, gitdir, from_rev, &from)) ||
	    (ret = resolve(ctx, gitdir, to_rev, &to)))
		goto out;
	{
		const char *args[] = { "merge-base", from, to, NULL };

		if ((ret = xa_git_line(ctx, gitdir, args, &base)) > 0)
			ret = xa_error(ctx, XENABI_EGIT, "'%s' and '%s' have no "
				       "common history in '%s'", from_rev, to_rev,
				       gitdir);
		if (ret)
			goto out;
	}
	if (asprintf(&range, "%s..%s", base, to) < 0) {
		range = NULL;
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	{
		const char *args[] = { "rev-list", "--count", range, NULL };

		if ((ret = xa_git_line(ctx, gitdir, args, &count)) > 0)
			ret = xa_error(ctx, XENABI_EGIT, "git rev-list on '%s' "
				       "failed", gitdir);
		if (ret)
			goto out;
		w->nrange = strtoul(count, NULL, 10);
	}
	if ((ret = read_paths(ctx, gitdir, base, to, &paths)))
		goto out;
	{
		const char *args[] = {
			"log", "--first-parent", "--reverse", "-z",
			"--no-show-signature", "--no-mailmap", "--date=short",
			"--format=%H%x1f%P%x1f%an%x1f%ad%x1f%s", range, "--",
			NULL
		};

		if ((ret = xa_git_output(ctx, gitdir, NULL, NULL, args,
				      (const char *const *)paths.data, paths.len,
				      &log, &log_len)))
			goto out;
	}
	if ((ret = parse_log(ctx, w, log, log_len)))
		goto out;
	/* Which of them touch the headers; the others reuse their parent's. */
	free(log);
	log = NULL;
	{
		const char *args[] = { "log", "--first-parent", "--format=@%H",
				       "--name-only", range, "--",
				       "xen/include/public", NULL };
		struct xenabi_commit *c = NULL;
		char *save = NULL;

		if ((ret = xa_git_output(ctx, gitdir, NULL, NULL, args, NULL, 0,
					 &log, NULL)))
			goto out;
		/* "@COMMIT", then the public files it changes, a line each. */
		for (char *line = strtok_r(log, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (*line != '@') {
				if (c)
					c->nheaders_changed++;
				continue;
			}
			c = NULL;
			for (size_t i = 0; i < w->ncommits && !c; i++)
				if (!strcmp(w->commits[i].id, line + 1))
					c = &w->commits[i];
			if (c)
				c->headers_changed = true;
		}
	}
	w->from = xa_arena_strdup(w->arena, from);
	w->to = xa_arena_strdup(w->arena, to);
	w->base = xa_arena_strdup(w->arena, base);
	if (!w->from || !w->to || !w->base) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	*out = w;
	w = NULL;
out:
	xenabi_walk_free(w);
	xa_strings_free(paths.data, paths.len);
	free(from);
	free(to);
	free(base);
	free(shallow);
	free(count);
	free(range);
	free(log);
	return ret;
}

void xenabi_walk_free(struct xenabi_walk *walk)
{
	if (!walk)
		return;
	xa_arena_free(walk->arena);
	free(walk);
}

/*
 * What git ARGS prints in dir (rev: the revision it reads, for its
 * message), pieces split at sep, appended to v as new strings.
 */
static int git_list(struct xenabi_ctx *ctx, const char *dir, const char *rev,
		    const char *const args[], char sep, struct xa_vec *v)
{
	char *out = NULL;
	size_t len = 0;
	int ret = xa_git_output(ctx, dir, rev, NULL, args, NULL, 0, &out, &len);
	const char *end = out ? out + len : NULL, *cut;

	for (const char *p = out; !ret && p && p < end; p = cut + 1) {
		char **slot;

		if (!(cut = memchr(p, sep, (size_t)(end - p))))
			cut = end;
		if (cut > p && (!(slot = xa_vec_push(v)) ||
				!(*slot = strndup(p, (size_t)(cut - p)))))
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	free(out);
	return ret;
}

/* v's strings to the caller when ret is 0, else freed; returns ret. */
static int hand_over(struct xa_vec *v, int ret, char ***strings, size_t *n)
{
	if (ret) {
		xa_strings_free(v->data, v->len);
		return ret;
	}
	*strings = v->data;
	*n = v->len;
	return 0;
}

int xenabi_git_changed_files(struct xenabi_ctx *ctx, const char *gitdir,
			     const char *from, const char *to, char ***paths,
			     size_t *count)
{
	const char *args[] = { "diff-tree", "-r", "-z", "--no-renames",
			       "--name-only", "--no-commit-id", from, to, NULL };
	struct xa_vec v;

	*paths = NULL;
	*count = 0;
	xa_vec_init(&v, sizeof(char *));
	return hand_over(&v, git_list(ctx, gitdir, NULL, args, '\0', &v),
			 paths, count);
}

int xenabi_git_work_base(struct xenabi_ctx *ctx, const char *dir,
			 size_t max, char ***ids, size_t *count)
{
	const char *top[] = { "rev-parse", "--show-prefix", NULL };
	char depth[32], *prefix = NULL;
	const char *list[] = { "rev-list", "--first-parent", depth, "HEAD",
			       "--", NULL };
	struct xa_vec v;
	int ret;

	*ids = NULL;
	*count = 0;
	xa_vec_init(&v, sizeof(char *));
	/* Paths from git are from the work tree's top: dir must be it. */
	if ((ret = xa_git_line(ctx, dir, top, &prefix)) || !prefix || *prefix) {
		free(prefix);
		return ret < 0 ? ret : 1;
	}
	free(prefix);
	snprintf(depth, sizeof(depth), "--max-count=%zu", max);
	return hand_over(&v, git_list(ctx, dir, "HEAD", list, '\n', &v), ids,
			 count);
}

int xenabi_git_work_changes(struct xenabi_ctx *ctx, const char *dir,
			    const char *commit, char ***paths, size_t *count)
{
	const char *diff[] = { "diff", "-z", "--no-renames", "--name-only",
			       commit, "--", NULL };
	/*
	 * Ignored files too: a scan reads every header under the public
	 * directory, whatever .gitignore says.  Everything a scan reads is
	 * under xen/.
	 */
	const char *others[] = { "ls-files", "-z", "--others", "--", "xen",
				 NULL };
	struct xa_vec v;
	int ret;

	*paths = NULL;
	*count = 0;
	xa_vec_init(&v, sizeof(char *));
	ret = git_list(ctx, dir, commit, diff, '\0', &v);
	if (!ret)
		ret = git_list(ctx, dir, NULL, others, '\0', &v);
	return hand_over(&v, ret, paths, count);
}
