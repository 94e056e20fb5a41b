/* SPDX-License-Identifier: MIT */
/*
 * xenabi log and blame: the commits of a range that changed the ABI, each
 * with its findings against its first parent, exactly as diff has them.
 */
#include <ctype.h>
#include <getopt.h>
#include <pthread.h>
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
	long jobs;
};

/* What the chains of one walk share, under its lock. */
struct walk_progress {
	pthread_mutex_t lock;
	size_t done;		/* commits compared */
	size_t total;
	bool failed;		/* a chain failed: the others stop */
};

struct log_state {
	struct xenabi_ctx *ctx;
	struct dbs *dbs;
	const struct log_opts *o;
	char inputs[65];	/* xenabi_scan_inputs */
	bool progress;		/* stderr is a terminal */
	struct xenabi_checkout *co;	/* moved from commit to commit */
	struct walk_progress *walk;
};

/*
 * One end of a comparison: a tree, by its hash, and its scan once loaded
 * (a log run again compares stored findings and loads nothing).
 */
struct side {
	char hash[65];
	struct xenabi_release *rel;	/* NULL until needed */
};

static void side_free(struct side *s)
{
	xenabi_release_free(s->rel);
	s->rel = NULL;
}

/* Hand over a side: *to is freed first, *from left empty. */
static void side_move(struct side *to, struct side *from)
{
	side_free(to);
	*to = *from;
	memset(from, 0, sizeof(*from));
}

/* The scan of s's tree, from the first database that has it. */
static int side_load(struct log_state *ls, struct side *s)
{
	struct xenabi_db *db = NULL;
	char *name = NULL;
	int ret = 0;

	if (s->rel)
		return 0;
	if (find_tree_hash(ls->ctx, ls->dbs, s->hash, NULL, &db, &name))
		return die_ctx(ls->ctx);
	if (!name)
		return die_msg("the scan of tree %.12s left the database while "
			       "log ran; run it again", s->hash);
	if (xenabi_db_load_release(ls->ctx, db, name, &s->rel))
		ret = die_ctx(ls->ctx);
	free(name);
	return ret;
}

/* Whether s's tree has a hypercall table xenabi could read. */
static int side_has_table(struct log_state *ls, struct side *s, bool *has)
{
	struct xenabi_db *order[] = { ls->dbs->user, ls->dbs->shipped };
	int found = -1;

	if (s->rel) {
		*has = s->rel->nhypercalls > 0;
		return 0;
	}
	for (size_t i = 0; i < 2 && found < 0; i++)
		if (order[i] && xenabi_db_tree_hypercalls(ls->ctx, order[i],
							  s->hash, &found))
			return die_ctx(ls->ctx);
	*has = found > 0;
	return 0;
}

/*
 * A scan of commit's tree (at dir) made from its parent's (parent, of
 * commit parent_id): 0 with *out, 1 when a full scan is due instead
 * (the change reaches too far), -1 once the message is in ctx.
 */
static int rescan(struct log_state *ls, struct side *parent,
		  const char *parent_id, const char *commit,
		  bool headers_changed, const char *dir,
		  struct xenabi_release **out)
{
	struct xenabi_ctx *ctx = ls->ctx;
	struct xenabi_db *db = NULL;
	char *name = NULL, **changed = NULL, *const *moved = NULL;
	size_t nchanged = 0;
	int ret;

	*out = NULL;
	if (find_tree_hash(ctx, ls->dbs, parent->hash, NULL, &db, &name))
		return -1;
	if (!name)
		return 1;
	/* The checkout knows, when it held the parent last. */
	if (!xenabi_checkout_changes(ls->co, parent_id, &moved, &nchanged)) {
		changed = NULL;
	} else if (xenabi_git_changed_files(ctx, ls->o->gitdir, parent_id,
					    commit, &changed, &nchanged)) {
		free(name);
		return -1;
	}
	ret = xenabi_db_load_release(ctx, db, name, out);
	if (!ret)
		ret = headers_changed
			      ? xenabi_rescan_headers(ctx, dir, *out,
						      changed ? changed : moved,
						      nchanged)
			      : xenabi_rescan_internal(ctx, dir, *out,
						       changed ? changed : moved,
						       nchanged);
	xenabi_strings_free(changed, nchanged);
	free(name);
	if (ret) {
		xenabi_release_free(*out);
		*out = NULL;
	}
	return ret == -XENABI_EDECLINED ? 1 : ret < 0 ? -1 : 0;
}

/*
 * The tree of commit, into out: known from an earlier log, or found by
 * checking the commit out and hashing it; a tree no database has is
 * scanned and stored under a hidden name.  A commit that changes no
 * public header (!headers_changed) is rescanned from parent's scan: its
 * internal files only.  Returns 0 or EXIT_TROUBLE once the message is
 * printed.
 */
static int commit_tree(struct log_state *ls, const char *commit,
		       struct side *parent, const char *parent_id,
		       bool headers_changed, struct side *out)
{
	struct xenabi_ctx *ctx = ls->ctx;
	struct xenabi_checkout *co;
	struct xenabi_release *rel = NULL;
	struct xenabi_db *db = NULL;
	char *known = NULL, *name = NULL, hidden[64];
	int ret = EXIT_TROUBLE;

	side_free(out);
	if (xenabi_db_commit_tree(ctx, ls->dbs->user, commit, ls->inputs, &known) ||
	    (known && find_tree_hash(ctx, ls->dbs, known, NULL, &db, &name)))
		goto fail;
	if (name) {
		snprintf(out->hash, sizeof(out->hash), "%s", known);
		ret = 0;
		goto out;
	}
	snprintf(hidden, sizeof(hidden), "%sgit-%s", XENABI_HIDDEN_PREFIX, commit);
	if (xenabi_git_checkout_move(ctx, ls->o->gitdir, commit, &ls->co) ||
	    !(co = ls->co) ||
	    xenabi_tree_hash(ctx, xenabi_checkout_dir(co), out->hash) ||
	    find_tree_hash(ctx, ls->dbs, out->hash, NULL, &db, &name))
		goto fail;
	if (!name) {
		/*
		 * From the parent's scan: the internal files only when no
		 * header changed, else the headers the change can reach.
		 */
		ret = parent ? rescan(ls, parent, parent_id, commit,
				      headers_changed, xenabi_checkout_dir(co),
				      &rel)
			     : 1;
		if (ret < 0)
			goto fail;
		if (ret == 1 && xenabi_scan_tree(ctx, xenabi_checkout_dir(co),
						 hidden, NULL, NULL, &rel))
			goto fail;
		if (xenabi_release_set_origin(ctx, rel, hidden,
					      xenabi_checkout_origin(co),
					      xenabi_checkout_date(co)) ||
		    xenabi_db_put_release(ctx, ls->dbs->user, rel))
			goto fail;
		out->rel = rel;
		rel = NULL;
	}
	/* After the release: what it names is stored first. */
	if (xenabi_db_put_commit_tree(ctx, ls->dbs->user, commit, ls->inputs,
				      out->hash))
		goto fail;
	ret = 0;
	goto out;
fail:
	ret = die_ctx(ctx);
out:
	xenabi_release_free(rel);
	free(known);
	free(name);
	return ret;
}

/*
 * The diff of two scans over the ABIs both have (or those asked for that
 * both have): a commit that adds an ABI adds no finding for it.  *out
 * NULL when no ABI is in common.
 */
static int diff_pair(struct log_state *ls, struct xenabi_release *old,
		     struct xenabi_release *new, struct xenabi_diff **out)
{
	bool old_present[XENABI_UNIT_COUNT], new_present[XENABI_UNIT_COUNT];
	unsigned int both = 0;
	int ret = 0;

	*out = NULL;
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

/*
 * The findings between two trees: stored by an earlier log of this
 * xenabi, or found by comparing their scans and stored.  *out NULL when
 * the trees are the same or share no ABI.
 */
static int tree_findings(struct log_state *ls, struct side *old,
			 struct side *new, struct xenabi_diff **out)
{
	struct xenabi_ctx *ctx = ls->ctx;
	unsigned int compared = 0;
	char *json = NULL;
	int ret;

	*out = NULL;
	if (!strcmp(old->hash, new->hash))
		return 0;
	if (xenabi_db_tree_diff(ctx, ls->dbs->user, old->hash, new->hash,
				ls->o->abis, &json, &compared))
		return die_ctx(ctx);
	if (json) {
		ret = compared && xenabi_diff_from_json(ctx, json, compared, out)
			      ? die_ctx(ctx) : 0;
		free(json);
		return ret;
	}
	if ((ret = side_load(ls, old)) || (ret = side_load(ls, new)) ||
	    (ret = diff_pair(ls, old->rel, new->rel, out)))
		return ret;
	json = *out ? xenabi_diff_json(*out) : strdup("{\"changes\": []}");
	if (!json)
		return die_msg("out of memory");
	if (xenabi_db_put_tree_diff(ctx, ls->dbs->user, old->hash, new->hash,
				    ls->o->abis, *out ? (*out)->abis : 0, json))
		ret = die_ctx(ctx);
	free(json);
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
	if (print_output(s))
		return EXIT_TROUBLE;
	return failing ? EXIT_FOUND : EXIT_NOTHING;
}

/*
 * A commit whose tree has a hypercall table xenabi can read, where its
 * parent's had none (4.17's commits between the C tables and
 * hypercall-defs.c): what changed in it since the last table the walk
 * could read (table, of commit table_id), or the changes between the
 * walk's ends would be no commit's.
 */
static int table_changes(struct log_state *ls, struct side *table,
			 const char *table_id, struct side *prev,
			 struct side *cur, struct xenabi_diff *d)
{
	struct xenabi_diff *since = NULL;
	bool prev_has, cur_has;
	char note[160];
	size_t n = 0;
	int ret;

	if (!*table->hash || !strcmp(table->hash, prev->hash))
		return 0;
	if ((ret = side_has_table(ls, prev, &prev_has)) ||
	    (ret = side_has_table(ls, cur, &cur_has)) || prev_has || !cur_has)
		return ret;
	if ((ret = tree_findings(ls, table, cur, &since)) || !since)
		return ret;
	for (size_t i = 0; i < since->nfindings; i++)
		if (xenabi_change_is_hypercall(since->findings[i].kind))
			since->findings[n++] = since->findings[i];
	since->nfindings = n;
	snprintf(note, sizeof(note), "against %.12s, the last commit whose "
		 "hypercall table xenabi could read", table_id);
	ret = xenabi_diff_append(ls->ctx, d, since, note) ? die_ctx(ls->ctx) : 0;
	xenabi_diff_free(since);
	return ret;
}

/*
 * A stretch of the walk one thread scans: commits[from, to), oldest
 * first, each compared with the one before, from base_id's tree (scanned
 * in full when no database has it).
 */
struct chain {
	struct log_state ls;
	struct dbs dbs;		/* a chain's own connections */
	const struct xenabi_walk *w;
	const char *base_id;
	size_t from, to;
	char base_hash[65];	/* out: base_id's tree */
	char (*hashes)[65];	/* out: hashes[i], commits[i]'s tree */
	struct xenabi_diff **diffs;	/* out: diffs[i], against its parent */
	int ret;
};

/* One more commit compared; false when another chain failed. */
static bool chain_step(struct log_state *ls, const char *id)
{
	struct walk_progress *p = ls->walk;
	bool go;

	pthread_mutex_lock(&p->lock);
	go = !p->failed;
	if (go && ls->progress)
		fprintf(stderr, "\r\033[Klog: %zu/%zu commits (%.12s)", p->done,
			p->total, id);
	p->done++;
	pthread_mutex_unlock(&p->lock);
	return go;
}

static int run_chain(struct chain *c)
{
	const struct xenabi_walk *w = c->w;
	struct side prev = { "", NULL }, cur = { "", NULL };
	int ret = EXIT_TROUBLE;

	if (commit_tree(&c->ls, c->base_id, NULL, NULL, true, &prev))
		goto out;
	memcpy(c->base_hash, prev.hash, sizeof(c->base_hash));
	for (size_t i = c->from; i < c->to; i++) {
		if (!chain_step(&c->ls, w->commits[i].id) ||
		    commit_tree(&c->ls, w->commits[i].id, &prev,
				i ? w->commits[i - 1].id : w->base,
				w->commits[i].headers_changed, &cur) ||
		    tree_findings(&c->ls, &prev, &cur, &c->diffs[i]))
			goto out;
		memcpy(c->hashes[i], cur.hash, sizeof(c->hashes[i]));
		side_move(&prev, &cur);
	}
	ret = 0;
out:
	if (ret) {
		pthread_mutex_lock(&c->ls.walk->lock);
		c->ls.walk->failed = true;
		pthread_mutex_unlock(&c->ls.walk->lock);
	}
	side_free(&prev);
	side_free(&cur);
	return ret;
}

static void *chain_thread(void *arg)
{
	struct chain *c = arg;

	c->ret = run_chain(c);
	return NULL;
}

/*
 * What a commit costs to scan, about, in commits that change only
 * internal files (measured on 4.16.0..4.17.0, 0.15 s each): one that
 * changes a header four, two headers nine, more what a full scan costs
 * (fifteen), as a change to xen.h or to many headers is.
 */
#define FULL_SCAN_WEIGHT 15

static size_t commit_weight(const struct xenabi_commit *c)
{
	if (!c->headers_changed)
		return 1;
	return c->nheaders_changed < 2 ? 4 : c->nheaders_changed < 3 ? 9
								     : FULL_SCAN_WEIGHT;
}

/*
 * Where a second chain starts, 0 for none: its base is a commit scanned
 * in full, so the walk splits only when it is long enough, at the
 * commit where both halves weigh about the same.
 */
static size_t split_at(const struct xenabi_walk *w, long jobs)
{
	size_t total = 0, before = 0, best = 0, best_gap = (size_t)-1;

	if (w->ncommits < 16 ||
	    (jobs ? jobs : sysconf(_SC_NPROCESSORS_ONLN)) < 2)
		return 0;
	for (size_t i = 0; i < w->ncommits; i++)
		total += commit_weight(&w->commits[i]);
	/* The second chain has commits[m, n) and scans commits[m - 1]. */
	for (size_t m = 2; m < w->ncommits; m++) {
		size_t after, gap;

		before += commit_weight(&w->commits[m - 2]);
		after = total - before - commit_weight(&w->commits[m - 1]) +
			FULL_SCAN_WEIGHT;
		gap = before > after ? before - after : after - before;
		if (gap < best_gap) {
			best_gap = gap;
			best = m;
		}
	}
	return best;
}

/*
 * Scan the walk's commits, oldest first, each compared with the one
 * before (its first parent holds the same files a scan reads), in two
 * chains at once when the walk is long; then the walk's two ends, whose
 * findings the commits' must explain.
 */
static int run_log(struct log_state *ls, const char *range, const char *from,
		   const char *to)
{
	struct xenabi_ctx *ctx = ls->ctx;
	struct xenabi_walk *w = NULL;
	struct walk_progress progress = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct chain first = { 0 }, second = { 0 };
	struct side prev = { "", NULL }, cur = { "", NULL }, table = { "", NULL };
	struct side base = { "", NULL }, end = { "", NULL };
	struct xenabi_diff **diffs = NULL, *whole = NULL, *loose = NULL;
	struct xenabi_diff **against = NULL;
	char (*hashes)[65] = NULL;
	const char *table_id = NULL;
	pthread_t thread;
	bool started = false;
	size_t m;
	int ret = EXIT_TROUBLE;

	if (xenabi_scan_inputs(ctx, ls->inputs) ||
	    xenabi_git_walk(ctx, ls->o->gitdir, from, to, &w))
		return die_ctx(ctx);
	if (strcmp(w->base, w->from))
		fprintf(stderr, "xenabi: note: %s is not an ancestor of %s: "
			"walking from their merge base %.12s\n", from, to,
			w->base);
	if (!(diffs = calloc(w->ncommits + 1, sizeof(*diffs))) ||
	    !(hashes = calloc(w->ncommits + 1, sizeof(*hashes)))) {
		ret = die_msg("out of memory");
		goto out;
	}
	ls->walk = &progress;
	progress.total = w->ncommits;
	m = split_at(w, ls->o->jobs);
	first = (struct chain){ .ls = *ls, .w = w, .base_id = w->base,
				.from = 0, .to = m ? m - 1 : w->ncommits,
				.hashes = hashes, .diffs = diffs };
	if (m) {
		/* Its own context, checkout and connections. */
		second = (struct chain){ .ls = *ls, .w = w,
					 .base_id = w->commits[m - 1].id,
					 .from = m, .to = w->ncommits,
					 .hashes = hashes, .diffs = diffs };
		second.ls.co = NULL;
		second.ls.dbs = &second.dbs;
		if (!(second.ls.ctx = xenabi_ctx_dup(ctx))) {
			ret = die_msg("out of memory");
			goto out;
		}
		if (open_dbs(second.ls.ctx, XENABI_DB_CREATE, &second.dbs))
			goto out;
		started = !pthread_create(&thread, NULL, chain_thread, &second);
		if (!started)
			second.ret = run_chain(&second);
	}
	first.ret = run_chain(&first);
	ls->co = first.ls.co;
	if (started)
		pthread_join(thread, NULL);
	if (first.ret || second.ret)
		goto out;
	memcpy(base.hash, first.base_hash, sizeof(base.hash));
	if (m) {
		/* The commit the second chain starts from, against its parent. */
		memcpy(hashes[m - 1], second.base_hash, sizeof(hashes[m - 1]));
		memcpy(prev.hash, m > 1 ? hashes[m - 2] : base.hash,
		       sizeof(prev.hash));
		memcpy(cur.hash, hashes[m - 1], sizeof(cur.hash));
		if (tree_findings(ls, &prev, &cur, &diffs[m - 1]))
			goto out;
		side_free(&prev);
		side_free(&cur);
	}
	if (ls->progress)
		fputs("\r\033[K", stderr);
	/* In order: the last table the walk could read so far. */
	memcpy(prev.hash, base.hash, sizeof(prev.hash));
	for (size_t i = 0; i < w->ncommits; i++) {
		bool prev_has;

		memcpy(cur.hash, hashes[i], sizeof(cur.hash));
		if (diffs[i]) {
			diffs[i]->old_name = w->commits[i].parent;
			diffs[i]->new_name = w->commits[i].id;
			if (table_changes(ls, &table, table_id, &prev, &cur,
					  diffs[i]))
				goto out;
		}
		/* Kept while the walk's trees have no table xenabi can read. */
		if (side_has_table(ls, &prev, &prev_has))
			goto out;
		if (prev_has || !*table.hash) {
			side_move(&table, &prev);
			table_id = i ? w->commits[i - 1].id : w->base;
		}
		side_move(&prev, &cur);
	}
	/*
	 * Breaks by Xen's rules for a cycle, for binaries built against the
	 * base: what the base against each commit with a finding says.
	 */
	if (!(against = calloc(w->ncommits + 1, sizeof(*against)))) {
		ret = die_msg("out of memory");
		goto out;
	}
	for (size_t i = 0; i < w->ncommits; i++) {
		struct side at = { "", NULL };
		int r;

		if (!diffs[i] || !diffs[i]->nfindings)
			continue;
		memcpy(at.hash, hashes[i], sizeof(at.hash));
		r = tree_findings(ls, &base, &at, &against[i]);
		side_free(&at);
		if (r)
			goto out;
	}
	if (xenabi_diff_within_cycle(ctx, diffs, against, w->ncommits, w->base)) {
		ret = die_ctx(ctx);
		goto out;
	}
	/* The composition: every change between the ends has its commit. */
	if (!ls->o->symbol) {
		if (commit_tree(ls, w->to, NULL, NULL, true, &end) ||
		    tree_findings(ls, &base, &end, &whole))
			goto out;
		if (whole && xenabi_diff_unexplained(ctx, whole, diffs,
						     w->ncommits, &loose)) {
			ret = die_ctx(ctx);
			goto out;
		}
	}
	ret = print_report(ls, w, range, diffs, loose);
out:
	if (ls->progress && ret == EXIT_TROUBLE)
		fputs("\r\033[K", stderr);
	xenabi_checkout_free(second.ls.co);
	close_dbs(&second.dbs);
	if (second.ls.ctx != ctx)
		xenabi_ctx_free(second.ls.ctx);
	for (size_t i = 0; diffs && i < w->ncommits; i++)
		xenabi_diff_free(diffs[i]);
	for (size_t i = 0; against && i < w->ncommits; i++)
		xenabi_diff_free(against[i]);
	free(diffs);
	free(against);
	free(hashes);
	xenabi_diff_free(whole);
	xenabi_diff_free(loose);
	side_free(&prev);
	side_free(&cur);
	side_free(&table);
	side_free(&base);
	side_free(&end);
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
			if ((o.jobs = option_jobs(self, optarg)) < 0)
				return EXIT_TROUBLE;
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
	xenabi_checkout_free(ls.co);
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
