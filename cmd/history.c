/* SPDX-License-Identifier: MIT */
/*
 * xenabi history: one type, member, constant or encoding across releases.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"

int cmd_history(int argc, char **argv)
{
	const struct cmd *self = find_cmd("history");
	const struct option *opts = cmd_long_options(self);
	struct xenabi_history *h = NULL;
	struct dbs dbs = { NULL, NULL };
	struct xenabi_ctx *ctx;
	int opt, view = XENABI_VIEW_TOOLS, ret = EXIT_TROUBLE;
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
	if (open_dbs(ctx, false, &dbs))
		goto out;
	{
		struct xenabi_db *order[] = { dbs.user, dbs.shipped };

		if (xenabi_history_load(ctx, order, 2, argv[optind], view, &h)) {
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
	fputs(out, stdout);
	if (global.format == FORMAT_JSON)
		putchar('\n');
	free(out);
	ret = EXIT_NOTHING;
out:
	xenabi_history_free(h);
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}
