/* SPDX-License-Identifier: MIT */
/*
 * xenabi scan: probe a tree and store it as a release.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

static void progress(void *data, unsigned int done, unsigned int total,
		     const char *what)
{
	const char *release = data;

	fprintf(stderr, "\rscanning %s: %u/%u units (%s)   ", release, done,
		total, what);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/*
 * The summary for machines: what happened ("scanned"; "copied" from the
 * stored scan of the same tree; "unchanged"), and for a scan its units
 * with their counts.  rel may be NULL.
 */
static void print_summary_json(const char *name, const char *outcome,
			       const char *from, const struct xenabi_release *rel)
{
	json_t *doc = json_pack("{s:i, s:o, s:s}", "schema",
				xenabi_schema_version(), "release",
				xenabi_json_text(name),
				"outcome", outcome);
	json_t *units = json_array();
	char *s;

	if (doc && from)
		json_object_set_new(doc, "from", xenabi_json_text(from));
	for (int u = 0; rel && doc && units && u < XENABI_UNIT_COUNT; u++) {
		const struct xenabi_unit *un = &rel->units[u];

		if (!rel->present[u] && !un->nfailures)
			continue;
		json_array_append_new(units, json_pack(
			"{s:s, s:s, s:b, s:I, s:I, s:I, s:I}", "abi",
			xenabi_abi_name(xenabi_unit_abi(u)), "view",
			xenabi_view_name(xenabi_unit_view(u)), "probed",
			rel->present[u], "headers", (json_int_t)un->nheaders,
			"types", (json_int_t)un->ntypes, "constants",
			(json_int_t)un->nconsts, "failures",
			(json_int_t)un->nfailures));
	}
	if (doc && rel) {
		json_object_set_new(doc, "units", units);
		units = NULL;
		json_object_set_new(doc, "hypercalls",
				    json_integer(rel->nhypercalls));
	}
	s = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	if (s)
		printf("%s\n", s);
	else
		die_msg("out of memory");
	free(s);
	json_decref(units);
	json_decref(doc);
}

static void print_summary(const struct xenabi_release *rel)
{
	size_t failures = 0, units = 0;

	if (global.format == FORMAT_JSON) {
		print_summary_json(rel->name, "scanned", NULL, rel);
		return;
	}
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		if (!rel->present[u])
			continue;
		units++;
		failures += rel->units[u].nfailures;
	}
	printf("scanned %s: %zu units", rel->name, units);
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		const struct xenabi_unit *t =
			&rel->units[XENABI_UNIT(a, XENABI_VIEW_TOOLS)];
		const struct xenabi_unit *g =
			&rel->units[XENABI_UNIT(a, XENABI_VIEW_GUEST)];
		const struct xenabi_unit *l =
			&rel->units[XENABI_UNIT(a, XENABI_VIEW_LATEST)];

		if (!rel->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)])
			continue;
		printf("%s %s %zu/%zu/%zu types", a ? "," : ";",
		       xenabi_abi_name(a), t->ntypes, g->ntypes, l->ntypes);
	}
	printf(" (tools/guest/latest)\n");
	/* An ABI the release's own headers refuse: why it has none. */
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		const struct xenabi_unit *t =
			&rel->units[XENABI_UNIT(a, XENABI_VIEW_TOOLS)];

		if (!rel->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)] &&
		    t->nfailures)
			printf("%s\n", t->failures[0].message);
	}
	if (failures)
		printf("%zu header probes left out; 'xenabi list failures %s' "
		       "says why\n", failures, rel->name);
}

int find_tree_hash(struct xenabi_ctx *ctx, struct dbs *dbs, const char *hash,
		   const char *prefer, struct xenabi_db **db, char **name)
{
	struct xenabi_db *order[] = { dbs->user, dbs->shipped };

	*name = NULL;
	for (size_t i = 0; i < 2 && !*name; i++) {
		if (!order[i])
			continue;
		if (xenabi_db_find_tree(ctx, order[i], hash, prefer, name))
			return -1;
		*db = order[i];
	}
	return 0;
}

int find_stored_tree(struct xenabi_ctx *ctx, struct dbs *dbs, const char *dir,
		     const char *prefer, struct xenabi_db **db, char **name)
{
	char hash[65];

	*name = NULL;
	if (xenabi_tree_hash(ctx, dir, hash))
		return -1;
	return find_tree_hash(ctx, dbs, hash, prefer, db, name);
}

/*
 * A stored scan of the same tree is the same records: copy it under this
 * name rather than compile.  Returns 1 when it did, 0 when there is none.
 */
static int reuse(struct xenabi_ctx *ctx, struct dbs *dbs, const char *dir,
		 const char *name, const char *source, const char *date,
		 bool quiet)
{
	struct xenabi_release *rel = NULL;
	struct xenabi_db *db = NULL;
	char *found = NULL;
	int ret = 1;

	if (find_stored_tree(ctx, dbs, dir, name, &db, &found))
		return die_ctx(ctx);
	if (!found)
		return 0;
	if (db == dbs->user && !strcmp(found, name)) {
		if (!quiet && global.format == FORMAT_JSON)
			print_summary_json(name, "unchanged", NULL, NULL);
		else if (!quiet)
			printf("%s is stored already: its tree has not changed "
			       "(--force scans it again)\n", name);
	} else if (xenabi_db_load_release(ctx, db, found, &rel) ||
		   xenabi_release_set_origin(ctx, rel, name, source, date) ||
		   xenabi_db_put_release(ctx, dbs->user, rel)) {
		ret = die_ctx(ctx);
	} else if (!quiet && global.format == FORMAT_JSON) {
		print_summary_json(name, "copied", found, rel);
	} else if (!quiet) {
		printf("stored %s from the scan of %s%s: the same tree, "
		       "nothing compiled\n", name, found,
		       db == dbs->shipped ? " (shipped)" : "");
	}
	free(found);
	xenabi_release_free(rel);
	return ret;
}

int scan_one(struct xenabi_ctx *ctx, struct dbs *dbs, const char *tree,
	     const char *gitdir, const char *rev, const char *release,
	     bool force, bool quiet)
{
	struct xenabi_checkout *co = NULL;
	struct xenabi_release *rel = NULL;
	const char *source = tree, *date = NULL;
	int ret = EXIT_TROUBLE;
	char now[32];
	time_t t = time(NULL);

	/* A tree's record is where it is and when it was scanned, reused or not. */
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	date = now;
	if (gitdir) {
		if (xenabi_git_checkout(ctx, gitdir, rev ? rev : "HEAD", &co)) {
			ret = die_ctx(ctx);
			goto out;
		}
		tree = xenabi_checkout_dir(co);
		if (!release)
			release = xenabi_checkout_name(co);
		source = xenabi_checkout_origin(co);
		date = xenabi_checkout_date(co);
	}
	if (!force) {
		int r = reuse(ctx, dbs, tree, release, source, date, quiet);

		if (r) {
			ret = r == 1 ? EXIT_NOTHING : r;
			goto out;
		}
	}
	if (xenabi_scan_tree(ctx, tree, release,
			     !quiet && isatty(STDERR_FILENO) ? progress : NULL,
			     (void *)release, &rel) ||
	    xenabi_release_set_origin(ctx, rel, NULL, source, date) ||
	    xenabi_db_put_release(ctx, dbs->user, rel)) {
		ret = die_ctx(ctx);
		goto out;
	}
	if (!quiet)
		print_summary(rel);
	ret = EXIT_NOTHING;
out:
	xenabi_release_free(rel);
	xenabi_checkout_free(co);
	return ret;
}

int cmd_scan(int argc, char **argv)
{
	const struct cmd *self = find_cmd("scan");
	const struct option *opts = cmd_long_options(self);
	const char *release = NULL, *tree = NULL, *gitdir = NULL, *rev = NULL;
	struct dbs dbs = { NULL, NULL };
	struct xenabi_ctx *ctx;
	long jobs = 0;
	bool force = false;
	int opt, ret = EXIT_TROUBLE;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int r = common_option(self, opt, optarg);

		if (r < 0)
			return EXIT_TROUBLE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'r':
			release = optarg;
			break;
		case 't':
			tree = optarg;
			break;
		case 'g':
			gitdir = optarg;
			break;
		case 'R':
			rev = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'j':
			if ((jobs = option_jobs(self, optarg)) < 0)
				return EXIT_TROUBLE;
			break;
		default:
			return usage_error(self, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(self, "unexpected argument '%s'", argv[optind]);
	if (!tree == !gitdir)
		return usage_error(self, "give --tree DIR or --git DIR");
	if (rev && !gitdir)
		return usage_error(self, "--rev goes with --git");
	if (!release && tree)
		return usage_error(self, "missing --release NAME");
	if (release && !xenabi_release_name_valid(release))
		return usage_error(self, "bad release name '%s' (1 to 64 "
				   "characters, no blanks or slashes, not "
				   "starting with '.' or '-', not ending in "
				   "'.tmp')", release);

	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	xenabi_ctx_set_jobs(ctx, jobs);
	apply_limits(ctx);
	/* Open first: a bad --db fails before the probes run, not after. */
	if (!open_dbs(ctx, XENABI_DB_CREATE, &dbs))
		ret = scan_one(ctx, &dbs, tree, gitdir, rev, release, force,
			       false);
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}

int cmd_forget(int argc, char **argv)
{
	const struct cmd *self = find_cmd("forget");
	const struct option *opts = cmd_long_options(self);
	struct dbs dbs = { NULL, NULL };
	struct xenabi_ctx *ctx;
	int opt, ret = EXIT_NOTHING;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int r = common_option(self, opt, optarg);

		if (r < 0)
			return EXIT_TROUBLE;
		if (!r)
			return usage_error(self, "unknown option '%s'",
					   argv[optind - 1]);
	}
	if (optind >= argc)
		return usage_error(self, "give the releases to forget");
	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	if (open_dbs(ctx, XENABI_DB_WRITE, &dbs)) {
		xenabi_ctx_free(ctx);
		return EXIT_TROUBLE;
	}
	for (int i = optind; i < argc && ret == EXIT_NOTHING; i++) {
		struct xenabi_release *rel = NULL;
		bool shipped = dbs.shipped &&
			       !xenabi_db_load_release(ctx, dbs.shipped, argv[i],
						       &rel);
		int r;

		xenabi_release_free(rel);
		r = dbs.user ? xenabi_db_delete_release(ctx, dbs.user, argv[i])
			     : -XENABI_ENOTFOUND;
		if (!r)
			printf("forgot %s%s\n", argv[i], shipped ? " (the shipped "
			       "release of that name shows again)" : "");
		else if (r == -XENABI_ENOTFOUND && shipped)
			ret = die_msg("release '%s' is shipped, not yours: the "
				      "baselines are read only; set "
				      "XENABI_BASELINES= to do without them",
				      argv[i]);
		else if (r == -XENABI_ENOTFOUND)
			ret = die_msg("no release '%s' in your database; 'xenabi "
				      "list releases' shows what there is", argv[i]);
		else
			ret = die_ctx(ctx);
	}
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}
