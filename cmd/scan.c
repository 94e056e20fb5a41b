/* SPDX-License-Identifier: MIT */
/*
 * xenabi scan: probe a tree and store it as a release.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
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

static void print_summary(const struct xenabi_release *rel)
{
	size_t failures = 0, units = 0;

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

		if (!rel->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)])
			continue;
		printf("%s %s %zu/%zu types", a ? "," : ";",
		       xenabi_abi_name(a), t->ntypes, g->ntypes);
	}
	printf(" (tools/guest)\n");
	if (failures)
		printf("%zu header probes left out; 'xenabi list failures %s' "
		       "says why\n", failures, rel->name);
}

int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "release", required_argument, NULL, 'r' },
		{ "tree", required_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'j' },
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd *self = find_cmd("scan");
	const char *release = NULL, *tree = NULL;
	struct xenabi_release *rel = NULL;
	struct xenabi_ctx *ctx;
	struct xenabi_db *db = NULL;
	unsigned long jobs = 0;
	int opt, ret = EXIT_TROUBLE;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
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
		case 'j':
			jobs = strtoul(optarg, &end, 10);
			if (*end || !*optarg || jobs > 64)
				return usage_error(self, "bad --jobs '%s' "
						   "(a number, 1 to 64)", optarg);
			break;
		default:
			return usage_error(self, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(self, "unexpected argument '%s'", argv[optind]);
	if (!tree)
		return usage_error(self, "missing --tree DIR");
	if (!release)
		return usage_error(self, "missing --release NAME");
	if (!*release || strpbrk(release, " \t\n/"))
		return usage_error(self, "bad release name '%s' (no blanks "
				   "or slashes)", release);

	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	xenabi_ctx_set_jobs(ctx, jobs);
	/* Open first: a bad --db fails before the probes run, not after. */
	db = open_db(ctx, true);
	if (!db)
		goto out;
	if (xenabi_scan_tree(ctx, tree, release,
			     isatty(STDERR_FILENO) ? progress : NULL,
			     (void *)release, &rel)) {
		ret = die_ctx(ctx);
		goto out;
	}
	if (xenabi_db_put_release(ctx, db, rel)) {
		ret = die_ctx(ctx);
		goto out;
	}
	print_summary(rel);
	ret = EXIT_NOTHING;
out:
	xenabi_release_free(rel);
	xenabi_db_close(db);
	xenabi_ctx_free(ctx);
	return ret;
}
