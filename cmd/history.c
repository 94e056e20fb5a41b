/* SPDX-License-Identifier: MIT */
/*
 * xenabi history: one type, member, constant or encoding across releases.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Whether a release of db matches one of only's comma-separated globs. */
static bool any_release(struct xenabi_ctx *ctx, struct xenabi_db *db,
			const char *only)
{
	char **names;
	size_t n;
	bool hit = false;

	if (!db || xenabi_db_release_names(ctx, db, &names, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		hit = hit || xenabi_name_in_globs(only, names[i]);
		free(names[i]);
	}
	free(names);
	return hit;
}

int cmd_history(int argc, char **argv)
{
	const struct cmd *self = find_cmd("history");
	const struct option *opts = cmd_long_options(self);
	struct xenabi_history *h = NULL;
	struct dbs dbs = { NULL, NULL };
	struct xenabi_ctx *ctx;
	int opt, view = XENABI_VIEW_TOOLS, ret = EXIT_TROUBLE;
	const char *only = NULL;
	char *out;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int r = common_option(self, opt, optarg);

		if (r < 0)
			return EXIT_TROUBLE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'v':
			if ((view = option_view(self, optarg)) < 0)
				return EXIT_TROUBLE;
			break;
		case 'r':
			only = optarg;
			break;
		default:
			return usage_error(self, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return usage_error(self, "give one name: a type, type.member, "
				   "a constant or a hypercall");
	start_pager();
	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	if (open_dbs(ctx, XENABI_DB_READ, &dbs))
		goto out;
	{
		struct xenabi_db *order[] = { dbs.user, dbs.shipped };
		bool shipped = only && !strcmp(only, "shipped");
		bool mine = only && !strcmp(only, "mine");

		/* "shipped" and "mine" are the databases, not names. */
		if (shipped)
			order[0] = NULL;
		if (mine)
			order[1] = NULL;
		if (only && !shipped && !mine && !any_release(ctx, order[0], only) &&
		    !any_release(ctx, order[1], only)) {
			ret = die_msg("--releases '%s' matches no release; 'xenabi "
				      "list releases' shows them", only);
			goto out;
		}
		if (xenabi_history_load_only(ctx, order, 2, argv[optind], view,
					     shipped || mine ? NULL : only, &h)) {
			ret = die_ctx(ctx);
			goto out;
		}
	}
	out = global.format == FORMAT_JSON ? xenabi_history_json(h)
					   : xenabi_history_text(h);
	if (!out) {
		ret = die_msg("out of memory");
		goto out;
	}
	if (global.format == FORMAT_JSON)
		printf("%s\n", out);
	else
		put_text(out);
	free(out);
	ret = EXIT_NOTHING;
out:
	xenabi_history_free(h);
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}
