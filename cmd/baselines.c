/* SPDX-License-Identifier: MIT */
/*
 * xenabi baselines: the shipped releases as text (baselines/), made from
 * Xen's tags, turned into the shipped database, and written back.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

/* Releases done / total and the current one, on a terminal only. */
static void progress(void *data, unsigned int done, unsigned int total,
		     const char *what)
{
	const char *verb = data;

	fprintf(stderr, "\r\033[K%s %u/%u: %s", verb, done, total, what);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

static bool tty(void)
{
	return isatty(STDERR_FILENO);
}

/*
 * XENABI_TEST_CRASH_AFTER=N: the writer is killed (SIGKILL, which nothing
 * can catch or tidy after) after its Nth change on the disk, as a crash
 * would stop it there.  For the crash tests (t9230), which kill it at
 * every step and load what is left.
 */
static unsigned long crash_after, steps_done;

static void crash_step(void *data, const char *step)
{
	(void)data;
	if (++steps_done < crash_after)
		return;
	fprintf(stderr, "xenabi: killed after step %lu: %s\n", steps_done,
		step);
	fflush(stderr);
	raise(SIGKILL);
}

static int set_crash(struct xenabi_ctx *ctx)
{
	const char *env = getenv("XENABI_TEST_CRASH_AFTER");
	char *end;

	if (!env || !*env)
		return 0;
	errno = 0;
	crash_after = strtoul(env, &end, 10);
	if (*end || errno || !crash_after || *env == '-')
		return die_msg("XENABI_TEST_CRASH_AFTER is '%s'; give the step "
			       "to be killed after, from 1", env);
	xenabi_ctx_set_step_fn(ctx, crash_step, NULL);
	return 0;
}

/* Scan every release tag into the user's database, then write them. */
static int generate(struct xenabi_ctx *ctx, const char *gitdir,
		    const char *dir, bool force)
{
	struct dbs dbs = { NULL, NULL };
	char **tags = NULL, **names = NULL;
	size_t n = 0;
	int ret = EXIT_TROUBLE;

	if (open_dbs(ctx, XENABI_DB_CREATE, &dbs))
		return EXIT_TROUBLE;
	/* The shipped baselines are what is being remade: never reuse them. */
	xenabi_db_close(dbs.shipped);
	dbs.shipped = NULL;
	if (xenabi_git_release_tags(ctx, gitdir, &tags, &n)) {
		ret = die_ctx(ctx);
		goto out;
	}
	if (!n) {
		ret = die_msg("no RELEASE-4.* tags in '%s'; give a clone of "
			      "Xen with its tags", gitdir);
		goto out;
	}
	names = calloc(n, sizeof(char *));
	if (!names) {
		ret = die_msg("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		names[i] = tags[i] + strlen("RELEASE-");
		/* Minutes of work: a line per release in a log, a counter on a terminal. */
		if (tty())
			progress("scanning", i, n, names[i]);
		else
			fprintf(stderr, "xenabi: scanning %s (%zu/%zu)\n",
				names[i], i + 1, n);
		if (scan_one(ctx, &dbs, NULL, gitdir, tags[i], names[i], force,
			     true))
			goto out;
	}
	if (tty())
		progress("scanning", n, n, "");
	if (xenabi_baselines_write(ctx, dbs.user, names, n, dir)) {
		ret = die_ctx(ctx);
		goto out;
	}
	printf("wrote %zu releases to '%s', %s to %s\n", n, dir, names[0],
	       names[n - 1]);
	ret = EXIT_NOTHING;
out:
	free(names);
	xenabi_strings_free(tags, n);
	close_dbs(&dbs);
	return ret;
}

/* The text into a database of its own, sealed to be shipped. */
static int load(struct xenabi_ctx *ctx, const char *dir)
{
	struct xenabi_db *db;
	int ret = EXIT_NOTHING;

	if (!global.db_path)
		return die_msg("say which database to build with --db");
	if (access(global.db_path, F_OK) == 0)
		return die_msg("'%s' exists; baselines load into a new "
			       "database", global.db_path);
	db = xenabi_db_open(ctx, global.db_path, XENABI_DB_CREATE);
	if (!db)
		return die_ctx(ctx);
	if (xenabi_baselines_load(ctx, dir, db, tty() ? progress : NULL,
				  "loading") ||
	    xenabi_db_seal(ctx, db))
		ret = die_ctx(ctx);
	xenabi_db_close(db);
	if (ret)
		unlink(global.db_path);
	return ret;
}

/* A database's releases as baselines; the database is only read. */
static int write_out(struct xenabi_ctx *ctx, const char *dir)
{
	struct xenabi_db *db;
	int ret = EXIT_NOTHING;

	if (!global.db_path)
		return die_msg("say which database to write with --db");
	db = xenabi_db_open(ctx, global.db_path, XENABI_DB_READ);
	if (!db)
		return die_ctx(ctx);
	if (xenabi_baselines_write(ctx, db, NULL, 0, dir))
		ret = die_ctx(ctx);
	xenabi_db_close(db);
	return ret;
}

int cmd_baselines(int argc, char **argv)
{
	const struct cmd *self = find_cmd("baselines");
	const struct option *opts = cmd_long_options(self);
	const char *gitdir = NULL, *verb, *dir;
	struct xenabi_ctx *ctx;
	bool force = false;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int r = common_option(self, opt, optarg);

		if (r < 0)
			return EXIT_TROUBLE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'g':
			gitdir = optarg;
			break;
		case 'f':
			force = true;
			break;
		default:
			return usage_error(self, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind + 2 != argc)
		return usage_error(self, "give generate, load or write, and "
				   "the baselines directory");
	verb = argv[optind];
	dir = argv[optind + 1];
	if (strcmp(verb, "generate") && strcmp(verb, "load") &&
	    strcmp(verb, "write"))
		return usage_error(self, "no verb '%s' (generate, load, write)",
				   verb);
	if (!strcmp(verb, "generate") != !!gitdir)
		return usage_error(self, "--git DIR goes with generate, and "
				   "generate needs it");
	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	apply_limits(ctx);
	if (strcmp(verb, "load") && set_crash(ctx))
		ret = EXIT_TROUBLE;
	else if (!strcmp(verb, "generate"))
		ret = generate(ctx, gitdir, dir, force);
	else if (!strcmp(verb, "load"))
		ret = load(ctx, dir);
	else
		ret = write_out(ctx, dir);
	xenabi_ctx_free(ctx);
	return ret;
}
