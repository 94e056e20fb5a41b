/* SPDX-License-Identifier: MIT */
/*
 * xenabi log and blame: the commits of a range that changed the ABI, each
 * with its findings against its first parent, exactly as diff has them.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

struct log_opts {
	const char *gitdir;
	const char *symbol;	/* blame: the name asked about; log: NULL */
	unsigned int abis;	/* 0: every ABI both sides have */
	int min_severity;
	int fail_on;
	bool all;
	unsigned long jobs;
};

struct log_state {
	struct xenabi_ctx *ctx;
	struct dbs *dbs;
	const struct log_opts *o;
	char inputs[65];	/* xenabi_scan_inputs */
	size_t scanned;		/* commits compiled in this run */
	size_t rescanned;	/* of those, their internal files only */
	bool progress;		/* stderr is a terminal */
};

/* A fresh copy of a stored release, to change. */
static int load_copy(struct log_state *ls, const struct xenabi_release *rel,
		     struct xenabi_release **out)
{
	struct xenabi_db *order[] = { ls->dbs->user, ls->dbs->shipped };
	int ret = -XENABI_ENOTFOUND;

	for (size_t i = 0; i < 2 && ret == -XENABI_ENOTFOUND; i++)
		if (order[i])
			ret = xenabi_db_load_release(ls->ctx, order[i], rel->name,
						     out);
	return ret;
}

/*
 * The records of commit: a stored scan of its tree when there is one
 * (known from an earlier log, or found by checking the commit out and
 * hashing it), else a scan of it, stored under a hidden name.  Returns 0
 * or EXIT_TROUBLE once the message is printed.
 */
static int commit_release(struct log_state *ls, const char *commit,
			  const struct xenabi_release *same_headers,
			  struct xenabi_release **out)
{
	struct xenabi_ctx *ctx = ls->ctx;
	struct xenabi_checkout *co = NULL;
	struct xenabi_db *db = NULL;
	char *known = NULL, *name = NULL, hash[65], hidden[64];
	int ret = EXIT_TROUBLE;

	*out = NULL;
	if (xenabi_db_commit_tree(ctx, ls->dbs->user, commit, ls->inputs, &known) ||
	    (known && find_tree_hash(ctx, ls->dbs, known, NULL, &db, &name)))
		goto fail;
	if (!name) {
		snprintf(hidden, sizeof(hidden), "%sgit-%s",
			 XENABI_HIDDEN_PREFIX, commit);
		if (xenabi_git_checkout(ctx, ls->o->gitdir, commit, &co) ||
		    xenabi_tree_hash(ctx, xenabi_checkout_dir(co), hash) ||
		    find_tree_hash(ctx, ls->dbs, hash, NULL, &db, &name))
			goto fail;
		if (!name) {
			if (ls->progress)
				fprintf(stderr, "\r\033[Klog: scanning %.12s",
					commit);
			/*
			 * Headers as the parent's: only what the internal
			 * files give is read again, into a copy of its scan.
			 */
			if (same_headers
				    ? load_copy(ls, same_headers, out) ||
				      xenabi_rescan_internal(
					      ctx, xenabi_checkout_dir(co), *out)
				    : xenabi_scan_tree(ctx, xenabi_checkout_dir(co),
						       hidden, NULL, NULL, out))
				goto fail;
			ls->scanned++;
			ls->rescanned += same_headers != NULL;
			if (xenabi_release_set_origin(ctx, *out, hidden,
						      xenabi_checkout_origin(co),
						      xenabi_checkout_date(co)) ||
			    xenabi_db_put_release(ctx, ls->dbs->user, *out))
				goto fail;
		}
		/* After the release: what it names is stored first. */
		if (xenabi_db_put_commit_tree(ctx, ls->dbs->user, commit,
					      ls->inputs, hash))
			goto fail;
	}
	if (!*out && xenabi_db_load_release(ctx, db, name, out))
		goto fail;
	ret = 0;
	goto out;
fail:
	ret = die_ctx(ctx);
	xenabi_release_free(*out);
	*out = NULL;
out:
	xenabi_checkout_free(co);
	free(known);
	free(name);
	return ret;
}

/*
 * The diff of two scans over the ABIs both have (or those asked for that
 * both have): a commit that adds an ABI adds no finding for it.  *out
 * NULL when the trees are the same.
 */
static int diff_pair(struct log_state *ls, struct xenabi_release *old,
		     struct xenabi_release *new, struct xenabi_diff **out)
{
	bool old_present[XENABI_UNIT_COUNT], new_present[XENABI_UNIT_COUNT];
	unsigned int both = 0;
	int ret = 0;

	*out = NULL;
	if (!strcmp(old->tree_hash, new->tree_hash))
		return 0;
	memcpy(old_present, old->present, sizeof(old_present));
	memcpy(new_present, new->present, sizeof(new_present));
	for (int a = 0; a < XENABI_ABI_COUNT; a++)
		if (old->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)] &&
		    new->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)])
			both |= 1u << a;
	if (ls->o->abis)
		both &= ls->o->abis;
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		bool keep = both & (1u << xenabi_unit_abi(u));

		old->present[u] = old->present[u] && keep;
		new->present[u] = new->present[u] && keep;
	}
	if (both && xenabi_diff_releases(ls->ctx, old, new, out))
		ret = die_ctx(ls->ctx);
	memcpy(old->present, old_present, sizeof(old_present));
	memcpy(new->present, new_present, sizeof(new_present));
	return ret;
}

/* Whether word stands in text as a whole C name. */
static bool has_word(const char *text, const char *word, size_t n)
{
	for (const char *p = strstr(text, word); n && p; p = strstr(p + 1, word)) {
		char before = p == text ? ' ' : p[-1], after = p[n];

		if (!(before == '_' || isalnum((unsigned char)before)) &&
		    !(after == '_' || isalnum((unsigned char)after)))
			return true;
	}
	return false;
}

/*
 * blame: keep the findings about the name: the name itself, a member of
 * it, the type it belongs to (a type's removal), or a change in the same
 * type that moves it (an insertion's "moves count, gfn").
 */
static bool about(const struct xenabi_finding *f, const char *name)
{
	const char *symbol = f->symbol, *dot = strrchr(name, '.');
	size_t s = strlen(symbol), n = strlen(name);
	size_t root = strcspn(name, ".");

	if (!strcmp(symbol, name) ||
	    (s > n && !strncmp(symbol, name, n) && symbol[n] == '.') ||
	    (n > s && !strncmp(name, symbol, s) && name[s] == '.'))
		return true;
	return dot && strcspn(symbol, ".") == root &&
	       !strncmp(symbol, name, root) &&
	       has_word(f->detail, dot + 1, strlen(dot + 1));
}

/* Leave out what --min-severity and blame leave out; the count kept. */
static size_t keep_findings(struct xenabi_diff *d, const struct log_opts *o)
{
	size_t n = 0;

	for (size_t i = 0; d && i < d->nfindings; i++)
		if (d->findings[i].severity >= (enum xenabi_severity)o->min_severity &&
		    (!o->symbol || about(&d->findings[i], o->symbol)))
			d->findings[n++] = d->findings[i];
	if (d)
		d->nfindings = n;
	return n;
}

static void print_text(const struct xenabi_walk *w, const char *range,
		       struct xenabi_diff *const *diffs,
		       const struct xenabi_diff *loose, const struct log_opts *o,
		       size_t changed, size_t breaks)
{
	bool color = want_color();

	printf("%s: %zu commits, %zu of them change what a scan reads, "
	       "%zu changed the ABI%s%s, %zu with breaks\n", range, w->nrange,
	       w->ncommits, changed, o->symbol ? " of " : "",
	       o->symbol ? o->symbol : "", breaks);
	for (size_t i = 0; i < w->ncommits; i++) {
		const struct xenabi_commit *c = &w->commits[i];
		char *text, *body;

		if (!diffs[i] || !diffs[i]->nfindings)
			continue;
		text = xenabi_diff_text(diffs[i], (color ? XENABI_TEXT_COLOR : 0) |
						  (o->all ? XENABI_TEXT_ALL : 0),
					o->min_severity);
		if (!text) {
			die_msg("out of memory");
			return;
		}
		printf("\n%s%.12s%s %s %s  ", color ? "\033[33m" : "", c->id,
		       color ? "\033[0m" : "", c->date, c->author);
		put_text(c->subject);
		putchar('\n');
		/* The counts of the diff's first line, without its two names. */
		body = strstr(text, ": ");
		body = body ? body + 2 : text;
		for (char *line = body, *eol; *line; line = eol) {
			eol = line + strcspn(line, "\n");
			if (*eol)
				eol++;
			if (eol - line > 1)
				fputs("  ", stdout);
			fwrite(line, 1, (size_t)(eol - line), stdout);
		}
		free(text);
	}
	if (loose && loose->nfindings)
		printf("\n%zu findings of %.12s..%.12s are explained by no commit "
		       "(a xenabi bug: please report it); --format json lists "
		       "them\n", loose->nfindings, w->base, w->to);
}

static int print_report(struct log_state *ls, const struct xenabi_walk *w,
			const char *range, struct xenabi_diff **diffs,
			const struct xenabi_diff *loose)
{
	const struct log_opts *o = ls->o;
	size_t changed = 0, breaks = 0, failing = 0;
	struct xenabi_diff *merged = NULL;
	const char **ids = calloc(w->ncommits + 1, sizeof(*ids));
	char *s = NULL;

	if (!ids)
		return die_msg("out of memory");
	for (size_t i = 0; i < w->ncommits; i++) {
		ids[i] = w->commits[i].id;
		if (!keep_findings(diffs[i], o))
			continue;
		changed++;
		breaks += xenabi_diff_count(diffs[i], XENABI_SEV_BREAK) > 0;
		failing += xenabi_diff_count(diffs[i], o->fail_on);
	}
	start_pager();
	switch (global.format) {
	case FORMAT_JSON:
		s = xenabi_log_json(w, range, diffs, loose);
		break;
	case FORMAT_SARIF:
	case FORMAT_JUNIT:
		if (xenabi_diff_merge(ls->ctx, diffs, ids, w->ncommits, w->base,
				      w->to, &merged)) {
			free(ids);
			return die_ctx(ls->ctx);
		}
		s = global.format == FORMAT_SARIF
			    ? xenabi_diff_sarif(merged)
			    : xenabi_diff_junit(merged, o->fail_on);
		break;
	default:
		print_text(w, range, diffs, loose, o, changed, breaks);
		s = strdup("");
		break;
	}
	xenabi_diff_free(merged);
	free(ids);
	if (!s)
		return die_msg("out of memory");
	fputs(s, stdout);
	if (global.format == FORMAT_JSON || global.format == FORMAT_SARIF)
		putchar('\n');
	free(s);
	return failing ? EXIT_FOUND : EXIT_NOTHING;
}

/*
 * Scan the walk's commits, oldest first, each diffed with the one before
 * (its first parent holds the same files a scan reads); then the walk's
 * two ends, whose diff the commits' diffs must explain.
 */
static int run_log(struct log_state *ls, const char *range, const char *from,
		   const char *to)
{
	struct xenabi_ctx *ctx = ls->ctx;
	struct xenabi_walk *w = NULL;
	struct xenabi_release *prev = NULL, *cur = NULL, *end = NULL;
	struct xenabi_diff **diffs = NULL, *whole = NULL, *loose = NULL;
	int ret = EXIT_TROUBLE;

	if (xenabi_scan_inputs(ctx, ls->inputs) ||
	    xenabi_git_walk(ctx, ls->o->gitdir, from, to, &w))
		return die_ctx(ctx);
	if (strcmp(w->base, w->from))
		fprintf(stderr, "xenabi: note: %s is not an ancestor of %s: "
			"walking from their merge base %.12s\n", from, to,
			w->base);
	if (!(diffs = calloc(w->ncommits + 1, sizeof(*diffs)))) {
		ret = die_msg("out of memory");
		goto out;
	}
	if (commit_release(ls, w->base, NULL, &prev))
		goto out;
	for (size_t i = 0; i < w->ncommits; i++) {
		if (ls->progress)
			fprintf(stderr, "\r\033[Klog: %zu/%zu commits (%.12s)", i,
				w->ncommits, w->commits[i].id);
		if (commit_release(ls, w->commits[i].id,
				   w->commits[i].headers_changed ? NULL : prev,
				   &cur) ||
		    diff_pair(ls, prev, cur, &diffs[i]))
			goto out;
		if (diffs[i]) {
			diffs[i]->old_name = w->commits[i].parent;
			diffs[i]->new_name = w->commits[i].id;
		}
		xenabi_release_free(prev);
		prev = cur;
		cur = NULL;
	}
	if (ls->progress)
		fputs("\r\033[K", stderr);
	/* The composition: every change between the ends has its commit. */
	if (!ls->o->symbol) {
		if (commit_release(ls, w->to, NULL, &end) ||
		    (commit_release(ls, w->base, NULL, &cur) ||
		     diff_pair(ls, cur, end, &whole)))
			goto out;
		if (whole && xenabi_diff_unexplained(ctx, whole, diffs,
						     w->ncommits, &loose)) {
			ret = die_ctx(ctx);
			goto out;
		}
	}
	ret = print_report(ls, w, range, diffs, loose);
out:
	for (size_t i = 0; diffs && i < w->ncommits; i++)
		xenabi_diff_free(diffs[i]);
	free(diffs);
	xenabi_diff_free(whole);
	xenabi_diff_free(loose);
	xenabi_release_free(prev);
	xenabi_release_free(cur);
	xenabi_release_free(end);
	xenabi_walk_free(w);
	return ret;
}

static int log_main(const char *cmdname, int argc, char **argv)
{
	const struct cmd *self = find_cmd(cmdname);
	const struct option *opts = cmd_long_options(self);
	struct log_opts o = { .fail_on = XENABI_SEV_BREAK };
	struct dbs dbs = { NULL, NULL };
	struct log_state ls = { .dbs = &dbs, .o = &o };
	const char *range, *dots;
	char *from = NULL;
	int opt, ret = EXIT_TROUBLE;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int r = common_option(self, opt, optarg), a;
		char *end;

		if (r < 0)
			return EXIT_TROUBLE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'g':
			o.gitdir = optarg;
			break;
		case 'a':
			if ((a = option_abi(self, optarg)) < 0)
				return EXIT_TROUBLE;
			o.abis |= 1u << a;
			break;
		case 'm':
		case 'f':
			if ((a = xenabi_severity_parse(optarg)) < 0)
				return usage_error(self, "unknown --%s '%s' "
						   "(break, risk or info)",
						   opt == 'm' ? "min-severity"
							      : "fail-on", optarg);
			*(opt == 'm' ? &o.min_severity : &o.fail_on) = a;
			break;
		case 'A' + 256:
			o.all = true;
			break;
		case 'j':
			o.jobs = strspn(optarg, "0123456789") == strlen(optarg)
					 ? strtoul(optarg, &end, 10) : 0;
			if (o.jobs < 1 || o.jobs > 64)
				return usage_error(self, "bad --jobs '%s' "
						   "(a number, 1 to 64)", optarg);
			break;
		default:
			return usage_error(self, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (!o.gitdir)
		return usage_error(self, "give --git DIR, a clone of Xen");
	if (!strcmp(cmdname, "blame")) {
		if (optind >= argc)
			return usage_error(self, "give the name to blame and "
					   "the range");
		o.symbol = argv[optind++];
	}
	if (optind >= argc)
		return usage_error(self, "give the range, FROM..TO");
	if (optind + 1 < argc)
		return usage_error(self, "unexpected argument '%s'",
				   argv[optind + 1]);
	range = argv[optind];
	dots = strstr(range, "..");
	if (!dots || dots == range || !dots[2] || dots[2] == '.' ||
	    strstr(dots + 2, ".."))
		return usage_error(self, "'%s' is not a range; give FROM..TO "
				   "(4.19.0..4.20.0)", range);
	if (!(from = strndup(range, (size_t)(dots - range))))
		return die_msg("out of memory");
	if (!(ls.ctx = xenabi_ctx_new())) {
		free(from);
		return die_msg("out of memory");
	}
	xenabi_ctx_set_jobs(ls.ctx, o.jobs);
	apply_limits(ls.ctx);
	ls.progress = isatty(STDERR_FILENO);
	if (!open_dbs(ls.ctx, XENABI_DB_CREATE, &dbs))
		ret = run_log(&ls, range, from, dots + 2);
	close_dbs(&dbs);
	xenabi_ctx_free(ls.ctx);
	free(from);
	return ret;
}

int cmd_log(int argc, char **argv)
{
	return log_main("log", argc, argv);
}

int cmd_blame(int argc, char **argv)
{
	return log_main("blame", argc, argv);
}
