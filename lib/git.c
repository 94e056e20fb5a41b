/* SPDX-License-Identifier: MIT */
/*
 * Running git on a Xen clone: its objects as committed, none of the
 * repository's hooks, filters or replacements, one clear line when git
 * fails.  What source.c (checkouts) and walk.c (ranges) share.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xa.h"

static const char git_hint[] = "install git (apt-get install git)";

/*
 * git reads the repository named, its objects as committed.  These would
 * point it at another (a scan run from a hook has GIT_DIR set); the
 * user's own config stays, and safe.directory with it.
 */
static const char *const git_unset[] = {
	"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE",
	"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
	"GIT_NAMESPACE",
};

/* No prompt, and no fetch of a partial clone's missing objects (2.44 on). */
static const char *const git_set[] = {
	"GIT_TERMINAL_PROMPT=0", "GIT_NO_LAZY_FETCH=1",
};

/*
 * Before every command: no pager, no replacement objects (a commit id
 * names what is read), pathspecs as spelt, no hooks.
 */
static const char *const git_opts[] = {
	"git", "--no-pager", "--no-replace-objects", "--literal-pathspecs",
	"-c", "core.hooksPath=/dev/null",
};

/* Our environment less git_unset, plus git_set; the strings are not copied. */
static char **git_env(void)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	if (!(env = calloc(n + XA_ARRAY_SIZE(git_set) + 1, sizeof(*env))))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(environ[i], "=");
		bool drop = false;

		for (size_t j = 0; j < XA_ARRAY_SIZE(git_unset); j++)
			drop |= strlen(git_unset[j]) == len &&
				!strncmp(environ[i], git_unset[j], len);
		for (size_t j = 0; j < XA_ARRAY_SIZE(git_set); j++)
			drop |= !strncmp(environ[i], git_set[j], len + 1);
		if (!drop)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < XA_ARRAY_SIZE(git_set); j++)
		env[k++] = (char *)git_set[j];
	return env;
}

/*
 * git -C gitdir ARGS... MORE..., stdin from in_path (NULL: none); stdout
 * into *out (run->out_len long) when out is not NULL.  Built to size: a
 * path list never gets cut short.
 */
int xa_git_more(struct xenabi_ctx *ctx, const char *gitdir,
		    const char *in_path, char **out, struct xa_run *run,
		    const char *const args[], const char *const *more,
		    size_t nmore)
{
	size_t nargs = 0, n = 0;
	const char **argv;
	char **env = git_env();
	int ret;

	while (args[nargs])
		nargs++;
	argv = calloc(XA_ARRAY_SIZE(git_opts) + 2 + nargs + nmore + 1,
		      sizeof(*argv));
	if (!argv || !env) {
		free(argv);
		free(env);
		memset(run, 0, sizeof(*run));
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < XA_ARRAY_SIZE(git_opts); i++)
		argv[n++] = git_opts[i];
	argv[n++] = "-C";
	argv[n++] = gitdir;
	for (size_t i = 0; i < nargs; i++)
		argv[n++] = args[i];
	for (size_t i = 0; i < nmore; i++)
		argv[n++] = more[i];
	ret = xa_run_env(ctx, (char *const *)argv, env, in_path, NULL,
			 out != NULL, XENABI_EGIT, git_hint, run);
	free(argv);
	free(env);
	if (!ret && out) {
		*out = run->out;
		run->out = NULL;
	}
	return ret;
}

int xa_git(struct xenabi_ctx *ctx, const char *gitdir, char **out,
	       struct xa_run *run, const char *const args[])
{
	return xa_git_more(ctx, gitdir, NULL, out, run, args, NULL, 0);
}

/*
 * A git command that failed, in one line: the limit or signal that
 * stopped it, or git's own first line, "fatal: " dropped.  rev, when not
 * NULL, is the revision it was reading.
 */
int xa_git_failed(struct xenabi_ctx *ctx, const struct xa_run *run,
		      const char *cmd, const char *gitdir, const char *rev)
{
	const char *err = run->err ? run->err : "";
	char *where;
	int ret, n;

	if (!strncmp(err, "fatal: ", 7))
		err += 7;
	else if (!strncmp(err, "error: ", 7))
		err += 7;
	n = (int)strcspn(err, "\n");
	if ((rev ? asprintf(&where, "'%s' of '%s'", rev, gitdir)
		 : asprintf(&where, "'%s'", gitdir)) < 0)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if (run->limit)
		ret = xa_error(ctx, XENABI_EGIT, "git %s on %s %s%s", cmd, where,
			       run->limit,
			       strstr(run->limit, "time limit") ? "; raise it "
			       "with --time-limit" : strstr(run->limit, "memory")
			       ? "; raise it with --memory-limit" : "");
	else if (n)
		ret = xa_error(ctx, XENABI_EGIT, "git %s on %s failed: %.*s", cmd,
			       where, n, err);
	else
		ret = xa_error(ctx, XENABI_EGIT, "git %s on %s failed with exit "
			       "status %d", cmd, where, run->status);
	free(where);
	return ret;
}

/*
 * The first line of a git command's output; 1 when it exits non-zero
 * (the caller says what that means), an error when it could not run or
 * was stopped.
 */
int xa_git_line(struct xenabi_ctx *ctx, const char *gitdir,
		    const char *const args[], char **line)
{
	struct xa_run run;
	int ret = xa_git(ctx, gitdir, line, &run, args);

	if (!ret && run.limit)
		ret = xa_git_failed(ctx, &run, args[0], gitdir, NULL);
	else if (!ret && run.status)
		ret = 1;
	if (ret) {
		free(*line);
		*line = NULL;
	}
	if (*line)
		(*line)[strcspn(*line, "\n")] = '\0';
	xa_run_release(&run);
	return ret;
}

/*
 * Whether git takes gitdir for a repository, and if not, why not in git's
 * words: a repository of another user is refused ("dubious ownership")
 * until the user trusts it, which is theirs to do.
 */
int xa_git_repo_check(struct xenabi_ctx *ctx, const char *gitdir)
{
	const char *args[] = { "rev-parse", "--git-dir", NULL };
	const char *add = "git config --global --add safe.directory";
	struct xa_run run;
	int ret = xa_git(ctx, gitdir, NULL, &run, args);
	const char *err = run.err, *hint;

	if (ret || !run.status)
		goto out;
	if (run.limit)
		ret = xa_git_failed(ctx, &run, args[0], gitdir, NULL);
	else if (strstr(err, "safe.directory")) {
		/* 2.35.2: "unsafe repository"; 2.36 on: "dubious ownership" */
		if (!strncmp(err, "fatal: ", 7))
			err += 7;
		/* git's own advice names the directory as git sees it. */
		if ((hint = strstr(run.err, add)))
			ret = xa_error(ctx, XENABI_EGIT, "git refuses repository "
				       "'%s': %.*s; if you trust it: %.*s", gitdir,
				       (int)strcspn(err, "\n"), err,
				       (int)strcspn(hint, "\n"), hint);
		else
			ret = xa_error(ctx, XENABI_EGIT, "git refuses repository "
				       "'%s': %.*s; if you trust it: %s %s", gitdir,
				       (int)strcspn(err, "\n"), err, add, gitdir);
	} else if (strstr(err, "not a git repository"))
		ret = xa_error(ctx, XENABI_EGIT, "'%s' is not a git repository; "
			       "give a clone of Xen (xen-project/xen)", gitdir);
	else
		ret = xa_git_failed(ctx, &run, args[0], gitdir, NULL);
out:
	xa_run_release(&run);
	return ret;
}


int xa_git_output(struct xenabi_ctx *ctx, const char *gitdir, const char *rev,
		  const char *in_path, const char *const args[],
		  const char *const *more, size_t nmore, char **out,
		  size_t *len)
{
	struct xa_run run;
	int ret = xa_git_more(ctx, gitdir, in_path, out, &run, args, more, nmore);

	if (!ret && (run.status || run.limit)) {
		ret = xa_git_failed(ctx, &run, args[0], gitdir, rev);
		free(*out);
		*out = NULL;
	}
	if (len)
		*len = run.out_len;
	xa_run_release(&run);
	return ret;
}
