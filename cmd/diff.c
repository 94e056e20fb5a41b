/* SPDX-License-Identifier: MIT */
/*
 * xenabi diff, check and lint: compare two releases, or a working tree
 * with a stored release, or check one release on its own; print the
 * findings and exit like diff(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

struct diff_opts {
	unsigned int abis;	/* 0: every ABI both releases have */
	int view;		/* -1: both */
	int fail_on;
	int min_severity;	/* text: leave out what is below */
	bool all;		/* text: every info finding, not a summary */
	const char *suppress;	/* accepted-changes file, or NULL */
	struct {
		enum output_format format;
		const char *path;
	} outputs[8];		/* --output FORMAT=FILE, beside stdout */
	size_t noutputs;
};

static int parse_abis(const struct cmd *self, const char *arg,
		      unsigned int *abis)
{
	char *copy = strdup(arg), *p, *save = NULL;

	if (!copy)
		return die_msg("out of memory");
	*abis = 0;
	for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		int a = option_abi(self, p);

		if (a < 0) {
			free(copy);
			return EXIT_TROUBLE;
		}
		*abis |= 1u << a;
	}
	free(copy);
	return *abis ? 0 : usage_error(self, "empty --abi");
}

static void abi_names(const struct xenabi_release *rel, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int a = 0; a < XENABI_ABI_COUNT; a++)
		if (rel->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)])
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 *buf ? ", " : "", xenabi_abi_name(a));
}

/*
 * Keep the units the options ask for: by default every ABI both releases
 * have, saying which ones only one side has.  An ABI asked for that one
 * release lacks is an error: comparing it would report nothing for it
 * and look clean.
 */
static int select_units(struct xenabi_release *old, struct xenabi_release *new,
			const struct diff_opts *o)
{
	unsigned int have_old = 0, have_new = 0, want;
	char a[64], b[64];

	for (int x = 0; x < XENABI_ABI_COUNT; x++) {
		if (old->present[XENABI_UNIT(x, XENABI_VIEW_TOOLS)])
			have_old |= 1u << x;
		if (new->present[XENABI_UNIT(x, XENABI_VIEW_TOOLS)])
			have_new |= 1u << x;
	}
	want = o->abis ? o->abis : have_old & have_new;
	if ((want & have_old) != want || (want & have_new) != want || !want) {
		abi_names(old, a, sizeof(a));
		abi_names(new, b, sizeof(b));
		return die_msg("release '%s' has %s but '%s' has %s; compare the "
			       "ABIs both have with --abi", old->name, a,
			       new->name, b);
	}
	for (int pass = 0; !o->abis && pass < 2; pass++) {
		unsigned int only = pass ? have_old & ~have_new : have_new & ~have_old;
		const struct xenabi_release *has = pass ? old : new;
		const struct xenabi_release *lacks = pass ? new : old;

		a[0] = '\0';
		for (int x = 0; x < XENABI_ABI_COUNT; x++)
			if (only & (1u << x))
				snprintf(a + strlen(a), sizeof(a) - strlen(a), "%s%s",
					 *a ? ", " : "", xenabi_abi_name(x));
		if (*a)
			fprintf(stderr, "xenabi: note: '%s' also has %s, which "
				"'%s' lacks: not compared\n", has->name, a,
				lacks->name);
	}
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		bool keep = (want & (1u << xenabi_unit_abi(u))) &&
			    (o->view < 0 || (int)xenabi_unit_view(u) == o->view);

		old->present[u] = old->present[u] && keep;
		new->present[u] = new->present[u] && keep;
	}
	return 0;
}

/* A scan takes seconds: on a terminal, say how far it is. */
static void check_progress(void *data, unsigned int done, unsigned int total,
			   const char *what)
{
	fprintf(stderr, "\r\033[Kscanning the tree: %u/%u units (%s)", done,
		total, what);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* The findings as one format: a new string, NULL when out of memory. */
static char *render(struct xenabi_diff *d, const struct diff_opts *o,
		    enum output_format format, bool color)
{
	switch (format) {
	case FORMAT_JSON:
		return xenabi_diff_json(d);
	case FORMAT_SARIF:
		return xenabi_diff_sarif(d);
	case FORMAT_JUNIT:
		return xenabi_diff_junit(d, o->fail_on);
	default:
		return xenabi_diff_text(d, (color ? XENABI_TEXT_COLOR : 0) |
					   (o->all ? XENABI_TEXT_ALL : 0),
					o->min_severity);
	}
}

/* Write one --output file whole; trouble (printed) when it cannot be. */
static int write_output(struct xenabi_diff *d, const struct diff_opts *o,
			enum output_format format, const char *path)
{
	char *s = render(d, o, format, false);
	FILE *f;
	int ok;

	if (!s)
		return die_msg("out of memory");
	f = fopen(path, "w");
	if (!f) {
		free(s);
		return die_msg("cannot write '%s': %s; give a path in a "
			       "directory that exists and you can write",
			       path, strerror(errno));
	}
	ok = fputs(s, f) >= 0 &&
	     (format == FORMAT_TEXT || format == FORMAT_JUNIT || fputc('\n', f) != EOF);
	free(s);
	if (fclose(f) || !ok)
		return die_msg("cannot write '%s': %s", path,
			       strerror(errno ? errno : EIO));
	return 0;
}

/* Print findings in the chosen format; the exit status they call for. */
static int print_findings(struct xenabi_ctx *ctx, struct xenabi_diff *d,
			  const struct diff_opts *o)
{
	struct xenabi_suppressions *sup = NULL;

	if (o->suppress && xenabi_suppressions_load(ctx, o->suppress, &sup))
		return die_ctx(ctx);
	if (sup && xenabi_suppressions_apply(sup, d)) {
		const char *entry;
		unsigned int line;

		/* Stale entries are worth a look, not a failure. */
		for (size_t i = 0; xenabi_suppressions_stale(sup, i, &line, &entry); i++)
			fprintf(stderr, "xenabi: warning: %s:%u: '%s' matched no "
				"change (stale suppression)\n", o->suppress, line,
				entry);
	}
	xenabi_suppressions_free(sup);
	for (size_t i = 0; i < o->noutputs; i++)
		if (write_output(d, o, o->outputs[i].format, o->outputs[i].path))
			return EXIT_TROUBLE;
	start_pager();
	if (print_output(render(d, o, global.format, want_color())))
		return EXIT_TROUBLE;
	return xenabi_diff_count(d, o->fail_on) ? EXIT_FOUND : EXIT_NOTHING;
}

static int report(struct xenabi_ctx *ctx, struct xenabi_release *old,
		  struct xenabi_release *new, const struct diff_opts *o)
{
	struct xenabi_diff *d = NULL;
	int ret;

	if ((ret = select_units(old, new, o)))
		return ret;
	if (xenabi_diff_releases(ctx, old, new, &d))
		return die_ctx(ctx);
	ret = print_findings(ctx, d, o);
	xenabi_diff_free(d);
	return ret;
}

/* Options diff and check share; returns 1 handled, 0 not ours, -1 bad. */
static int diff_option(const struct cmd *self, int opt, const char *arg,
		       struct diff_opts *o)
{
	switch (opt) {
	case 'a':
		return parse_abis(self, arg, &o->abis) ? -1 : 1;
	case 'v':
		if ((o->view = option_view(self, arg)) < 0)
			return -1;
		return 1;
	case 's':
		o->suppress = arg;
		return 1;
	case 'A' + 256:
		o->all = true;
		return 1;
	case 'o': {
		static const char *const names[] = { [FORMAT_TEXT] = "text",
						      [FORMAT_JSON] = "json",
						      [FORMAT_SARIF] = "sarif",
						      [FORMAT_JUNIT] = "junit" };
		const char *eq = strchr(arg, '=');
		size_t n = eq ? (size_t)(eq - arg) : 0;
		int format = -1;

		for (int k = 0; k < 4 && eq; k++)
			if (strlen(names[k]) == n && !strncmp(arg, names[k], n))
				format = k;
		if (format < 0 || !eq[1]) {
			usage_error(self, "--output wants FORMAT=FILE with FORMAT "
				    "text, json, sarif or junit, not '%s'", arg);
			return -1;
		}
		if (o->noutputs == sizeof(o->outputs) / sizeof(o->outputs[0])) {
			usage_error(self, "too many --output");
			return -1;
		}
		o->outputs[o->noutputs].format = format;
		o->outputs[o->noutputs++].path = eq + 1;
		return 1;
	}
	case 'm':
		if ((o->min_severity = xenabi_severity_parse(arg)) < 0) {
			usage_error(self, "unknown --min-severity '%s' (break, "
				    "risk or info)", arg);
			return -1;
		}
		return 1;
	case 'f':
		if ((o->fail_on = xenabi_severity_parse(arg)) < 0) {
			usage_error(self, "unknown --fail-on '%s' (break, risk "
				    "or info)", arg);
			return -1;
		}
		return 1;
	default:
		return common_option(self, opt, arg);
	}
}

/*
 * The option loop diff, check and lint share; extra (may be NULL) takes
 * the options only one of them has.  Returns 0, or an exit status.
 */
static int parse_opts(int argc, char **argv, const struct cmd *self,
		      const struct option *opts, struct diff_opts *o,
		      bool (*extra)(int opt, const char *arg, void *data),
		      void *data)
{
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int r;

		if (extra && extra(opt, optarg, data))
			continue;
		r = diff_option(self, opt, optarg, o);
		if (r < 0)
			return EXIT_TROUBLE;
		if (!r)
			return usage_error(self, "unknown option '%s'",
					   argv[optind - 1]);
	}
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	const struct cmd *self = find_cmd("diff");
	const struct option *opts = cmd_long_options(self);
	struct diff_opts o = { .view = -1, .fail_on = XENABI_SEV_BREAK };
	struct xenabi_release *old = NULL, *new = NULL;
	struct xenabi_ctx *ctx;
	struct dbs dbs = { NULL, NULL };
	int ret = EXIT_TROUBLE;

	if ((ret = parse_opts(argc, argv, self, opts, &o, NULL, NULL)))
		return ret;
	ret = EXIT_TROUBLE;
	if (optind + 2 != argc)
		return usage_error(self, "give two releases, old then new");
	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	if (open_dbs(ctx, XENABI_DB_READ, &dbs) ||
	    load_release(ctx, &dbs, argv[optind], &old) ||
	    load_release(ctx, &dbs, argv[optind + 1], &new))
		goto out;
	ret = report(ctx, old, new, &o);
out:
	xenabi_release_free(old);
	xenabi_release_free(new);
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}

struct check_args {
	const char *tree;
	const char *against;
};

static bool check_option(int opt, const char *arg, void *data)
{
	struct check_args *a = data;

	if (opt == 't')
		a->tree = arg;
	else if (opt == 'A')
		a->against = arg;
	else
		return false;
	return true;
}

/*
 * A stored scan of a tree with the same hash as dir's (the user's, then
 * the shipped baselines; against first): the same records a scan would
 * make, loaded in a fraction of the time.  0 with *rel NULL: none.
 */
static int stored_scan(struct xenabi_ctx *ctx, struct dbs *dbs, const char *dir,
		       const char *against, struct xenabi_release **rel)
{
	struct xenabi_db *db = NULL;
	char *found = NULL;
	int ret;

	*rel = NULL;
	ret = find_stored_tree(ctx, dbs, dir, against, &db, &found);
	if (!ret && found)
		ret = xenabi_db_load_release(ctx, db, found, rel) ||
		      xenabi_release_set_origin(ctx, *rel, "tree", dir, NULL);
	free(found);
	if (ret) {
		xenabi_release_free(*rel);
		*rel = NULL;
	}
	return ret;
}

/*
 * How far back on HEAD's first-parent line a stored commit is looked
 * for: a CI job's patch series sits on a commit a nightly log stored.
 */
#define CHECK_COMMITS_BACK 64

/*
 * The shipped release scanned from commit ("git TAG ID" its source) among
 * infos: the shipped baselines are this xenabi's own scans.  NULL: none.
 */
static const char *shipped_at(const struct xenabi_release_info *infos,
			      size_t n, const char *commit)
{
	size_t len = strlen(commit);

	for (size_t i = 0; i < n; i++) {
		const char *src = infos[i].source;
		size_t sl = strlen(src);

		if (!strncmp(src, "git ", 4) && sl > len &&
		    src[sl - len - 1] == ' ' && !strcmp(src + sl - len, commit))
			return infos[i].name;
	}
	return NULL;
}

/*
 * dir, a git work tree whose HEAD, or a commit a little behind it on its
 * first-parent line, an earlier log stored (or a shipped release was
 * scanned from): scanned from that commit's scan, only the headers the
 * work tree's changes reach compiled again.  0 with *rel NULL when there
 * is no such commit, or git cannot tell, or the change reaches too far:
 * then dir is scanned in full.
 */
static int scan_from_commit(struct xenabi_ctx *ctx, struct dbs *dbs,
			    const char *dir, struct xenabi_release **rel)
{
	char inputs[65], **ids = NULL, **changed = NULL, *hash = NULL;
	char *name = NULL;
	const char *base = NULL, *shipped;
	size_t nids = 0, nchanged = 0, ninfos = 0;
	struct xenabi_release_info *infos = NULL;
	struct xenabi_db *db = NULL;
	int ret = 0;

	*rel = NULL;
	if (xenabi_scan_inputs(ctx, inputs) ||
	    xenabi_git_work_base(ctx, dir, CHECK_COMMITS_BACK, &ids, &nids) ||
	    (dbs->shipped &&
	     xenabi_db_list_releases(ctx, dbs->shipped, &infos, &ninfos)))
		goto out;
	for (size_t i = 0; i < nids && !name; i++) {
		free(hash);
		hash = NULL;
		if ((dbs->user &&
		     xenabi_db_commit_tree(ctx, dbs->user, ids[i], inputs, &hash)) ||
		    (hash && find_tree_hash(ctx, dbs, hash, NULL, &db, &name)))
			break;
		if (!name && (shipped = shipped_at(infos, ninfos, ids[i]))) {
			if (!(name = strdup(shipped)))
				break;
			db = dbs->shipped;
		}
		base = ids[i];
	}
	if (!name || xenabi_git_work_changes(ctx, dir, base, &changed, &nchanged))
		goto out;
	ret = xenabi_db_load_release(ctx, db, name, rel);
	if (!ret)
		ret = xenabi_rescan_headers(ctx, dir, *rel, changed, nchanged);
	if (!ret)
		ret = xenabi_release_set_origin(ctx, *rel, "tree", dir, NULL);
	if (ret) {
		xenabi_release_free(*rel);
		*rel = NULL;
		ret = ret == -XENABI_EDECLINED ? 0 : -1;
	}
out:
	xenabi_release_infos_free(infos, ninfos);
	xenabi_strings_free(ids, nids);
	xenabi_strings_free(changed, nchanged);
	free(hash);
	free(name);
	return ret;
}

int cmd_check(int argc, char **argv)
{
	const struct cmd *self = find_cmd("check");
	const struct option *opts = cmd_long_options(self);
	struct diff_opts o = { .view = -1, .fail_on = XENABI_SEV_BREAK };
	struct xenabi_release *old = NULL, *new = NULL;
	struct check_args args = { NULL, NULL };
	const char *tree, *against;
	struct xenabi_ctx *ctx;
	struct dbs dbs = { NULL, NULL };
	int ret;

	if ((ret = parse_opts(argc, argv, self, opts, &o, check_option, &args)))
		return ret;
	ret = EXIT_TROUBLE;
	tree = args.tree;
	against = args.against;
	if (optind != argc)
		return usage_error(self, "unexpected argument '%s'", argv[optind]);
	if (!tree || !against)
		return usage_error(self, "give --tree DIR and --against RELEASE");
	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	apply_limits(ctx);
	/* The stored release first: no scan is wasted on a typo. */
	if (open_dbs(ctx, XENABI_DB_READ, &dbs) ||
	    load_release(ctx, &dbs, against, &old))
		goto out;
	/*
	 * A tree stored already (an unmodified release) is loaded; any other
	 * is scanned in memory: the user's database is not written.
	 */
	if (stored_scan(ctx, &dbs, tree, against, &new) ||
	    (!new && scan_from_commit(ctx, &dbs, tree, &new)) ||
	    (!new && xenabi_scan_tree(ctx, tree, "tree",
				      isatty(STDERR_FILENO) ? check_progress
							    : NULL,
				      NULL, &new))) {
		ret = die_ctx(ctx);
		goto out;
	}
	ret = report(ctx, old, new, &o);
out:
	xenabi_release_free(old);
	xenabi_release_free(new);
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}

int cmd_lint(int argc, char **argv)
{
	const struct cmd *self = find_cmd("lint");
	const struct option *opts = cmd_long_options(self);
	struct diff_opts o = { .view = -1, .fail_on = XENABI_SEV_BREAK };
	struct xenabi_release *rel = NULL;
	struct xenabi_diff *d = NULL;
	struct xenabi_ctx *ctx;
	struct dbs dbs = { NULL, NULL };
	int ret;

	if ((ret = parse_opts(argc, argv, self, opts, &o, NULL, NULL)))
		return ret;
	ret = EXIT_TROUBLE;
	if (optind + 1 != argc)
		return usage_error(self, "give one release");
	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	if (open_dbs(ctx, XENABI_DB_READ, &dbs) ||
	    load_release(ctx, &dbs, argv[optind], &rel))
		goto out;
	/* The same selection as diff's, the release against itself. */
	if ((ret = select_units(rel, rel, &o)))
		goto out;
	if (xenabi_lint_release(ctx, rel, &d)) {
		ret = die_ctx(ctx);
		goto out;
	}
	ret = print_findings(ctx, d, &o);
out:
	xenabi_diff_free(d);
	xenabi_release_free(rel);
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}
