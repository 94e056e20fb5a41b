/* SPDX-License-Identifier: MIT */
/*
 * xenabi list: releases, and one release's types, constants and failures.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define XA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Print a JSON document and drop it. */
static void print_json(json_t *doc)
{
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(doc);
}

struct listed {
	const struct xenabi_release_info *info;
	bool shipped;
};

static int listed_cmp(const void *a, const void *b)
{
	return xenabi_release_name_cmp(((const struct listed *)a)->info->name,
				       ((const struct listed *)b)->info->name);
}

/* The user's releases and the shipped ones they do not shadow. */
static int list_releases(struct xenabi_ctx *ctx, struct dbs *dbs)
{
	struct xenabi_release_info *infos[2] = { NULL, NULL };
	struct xenabi_db *order[2] = { dbs->user, dbs->shipped };
	size_t n[2] = { 0, 0 }, count = 0;
	struct listed *rows;
	int ret = EXIT_NOTHING;

	for (int k = 0; k < 2; k++)
		if (order[k] &&
		    xenabi_db_list_releases(ctx, order[k], &infos[k], &n[k])) {
			ret = die_ctx(ctx);
			goto out;
		}
	rows = calloc(n[0] + n[1] + 1, sizeof(*rows));
	if (!rows) {
		ret = die_msg("out of memory");
		goto out;
	}
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < n[k]; i++) {
			bool shadowed = false;

			for (size_t j = 0; k == 1 && j < n[0]; j++)
				shadowed |= !strcmp(infos[0][j].name,
						    infos[1][i].name);
			if (!shadowed)
				rows[count++] = (struct listed){ &infos[k][i], k == 1 };
		}
	qsort(rows, count, sizeof(*rows), listed_cmp);
	if (global.format == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; i < count; i++) {
			const struct xenabi_release_info *ri = rows[i].info;
			json_t *abis = json_array();

			for (int a = 0; a < XENABI_ABI_COUNT; a++)
				if (ri->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)])
					json_array_append_new(abis,
						xenabi_json_text(xenabi_abi_name(a)));
			json_array_append_new(arr, json_pack(
				"{s:o, s:o, s:s, s:s, s:o, s:I, s:I, s:b}",
				"name", xenabi_json_text(ri->name), "source",
				xenabi_json_text(ri->source),
				"tree_hash", ri->tree_hash,
				"scanned_at", ri->scanned_at, "abis", abis,
				"types", (json_int_t)ri->ntypes,
				"constants", (json_int_t)ri->nconsts,
				"shipped", rows[i].shipped));
		}
		print_json(arr);
	} else {
		for (size_t i = 0; i < count; i++) {
			const struct xenabi_release_info *ri = rows[i].info;
			char abis[64] = "";

			for (int a = 0; a < XENABI_ABI_COUNT; a++)
				if (ri->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)])
					snprintf(abis + strlen(abis),
						 sizeof(abis) - strlen(abis),
						 "%s%s", *abis ? "," : "",
						 xenabi_abi_name(a));
			printf("%-12s %-27s %5zu types %6zu constants  %s%s\n",
			       ri->name, abis, ri->ntypes, ri->nconsts,
			       ri->scanned_at, rows[i].shipped ? "  shipped" : "");
		}
	}
	free(rows);
out:
	for (int k = 0; k < 2; k++)
		xenabi_release_infos_free(infos[k], n[k]);
	return ret;
}

/* The ABIs to show: one, or all the release has. */
static bool abi_wanted(const struct xenabi_release *rel, int abi, int only,
		       int view)
{
	return rel->present[XENABI_UNIT(abi, view)] && (only < 0 || abi == only);
}

/* A type name with its layout per ABI (NULL where the ABI lacks it). */
struct name_row {
	enum xenabi_type_kind kind;
	const char *name;
	const struct xenabi_type *t[XENABI_ABI_COUNT];
};

static int row_cmp(const void *a, const void *b)
{
	const struct name_row *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->name, y->name);
}

/* prefix, then file:line, the file's name escaped for a terminal. */
static void print_line(const char *prefix, const char *file, unsigned int line)
{
	char *name = xenabi_text_line(file);

	printf("%s%s:%u\n", prefix, name ? name : "(out of memory)", line);
	free(name);
}

static int list_types(const struct xenabi_release *rel, int only, int view)
{
	json_t *arr = global.format == FORMAT_JSON ? json_array() : NULL;
	struct name_row *rows = NULL;
	size_t nrows = 0, cap = 0;

	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		const struct xenabi_unit *u = &rel->units[XENABI_UNIT(a, view)];

		if (!abi_wanted(rel, a, only, view))
			continue;
		for (size_t i = 0; i < u->ntypes; i++) {
			const struct xenabi_type *t = &u->types[i];
			size_t j;

			for (j = 0; j < nrows; j++)
				if (rows[j].kind == t->kind &&
				    !strcmp(rows[j].name, t->name))
					break;
			if (j == nrows) {
				if (nrows == cap) {
					cap = cap ? cap * 2 : 1024;
					rows = realloc(rows, cap * sizeof(*rows));
					if (!rows)
						return die_msg("out of memory");
				}
				memset(&rows[nrows], 0, sizeof(rows[0]));
				rows[nrows].kind = t->kind;
				rows[nrows].name = t->name;
				nrows++;
			}
			rows[j].t[a] = t;
		}
	}
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), row_cmp);
	for (size_t j = 0; j < nrows; j++) {
		const struct xenabi_type *any = NULL;
		json_t *sizes = arr ? json_object() : NULL;

		if (!arr)
			printf("%-8s %-48s", xenabi_kind_name(rows[j].kind),
			       rows[j].name);
		for (int a = 0; a < XENABI_ABI_COUNT; a++) {
			if (!abi_wanted(rel, a, only, view))
				continue;
			if (rows[j].t[a] && !any)
				any = rows[j].t[a];
			if (arr && rows[j].t[a])
				json_object_set_new(sizes, xenabi_abi_name(a),
						    json_integer(rows[j].t[a]->size));
			else if (!arr && rows[j].t[a])
				printf(" %s=%" PRIu64, xenabi_abi_name(a),
				       rows[j].t[a]->size);
		}
		if (arr)
			json_array_append_new(arr, json_pack(
				"{s:s, s:o, s:o, s:o, s:i}",
				"kind", xenabi_kind_name(rows[j].kind),
				"name", xenabi_json_text(rows[j].name), "size", sizes,
				"file", xenabi_json_text(any->file), "line",
				(int)any->line));
		else
			print_line("  ", any->file, any->line);
	}
	free(rows);
	if (arr)
		print_json(arr);
	return EXIT_NOTHING;
}

static void format_value(const struct xenabi_const *c, char *buf, size_t len)
{
	switch (c->class) {
	case XENABI_CONST_INT:
	case XENABI_CONST_ENUMERATOR:
		if (c->is_signed && (int64_t)c->value < 0)
			snprintf(buf, len, "%" PRId64, (int64_t)c->value);
		else if (c->value < 10 || (!strstr(c->text, "0x") &&
					   !strstr(c->text, "<<")))
			snprintf(buf, len, "%" PRIu64, c->value);
		else
			snprintf(buf, len, "0x%" PRIx64, c->value);
		break;
	case XENABI_CONST_STRING: {
		size_t n = 0;

		/* C escapes, so a tab or a newline cannot break the line. */
		buf[n++] = '"';
		for (const unsigned char *p = (const unsigned char *)c->str;
		     *p && n + 6 < len; p++) {
			if (*p == '"' || *p == '\\')
				n += snprintf(buf + n, len - n, "\\%c", *p);
			else if (*p == '\n')
				n += snprintf(buf + n, len - n, "\\n");
			else if (*p == '\t')
				n += snprintf(buf + n, len - n, "\\t");
			else if (*p < 0x20 || *p >= 0x7f)
				n += snprintf(buf + n, len - n, "\\x%02x", *p);
			else
				buf[n++] = *p;
		}
		buf[n++] = '"';
		buf[n] = '\0';
		break;
	}
	default:
		snprintf(buf, len, "(%s)", c->text);
		break;
	}
}

/*
 * JSON numbers where the value fits an int64 (as its type reads it), a
 * hex string past that; strings as themselves; null for the rest.
 */
static json_t *json_value(const struct xenabi_const *c)
{
	switch (c->class) {
	case XENABI_CONST_INT:
	case XENABI_CONST_ENUMERATOR:
		if (c->is_signed || c->value <= INT64_MAX)
			return json_integer((json_int_t)c->value);
		return json_sprintf("0x%" PRIx64, c->value);
	case XENABI_CONST_STRING:
		return xenabi_json_text(c->str);
	default:
		return json_null();
	}
}

static bool same_value(const struct xenabi_const *a,
		       const struct xenabi_const *b)
{
	return a->class == b->class && a->value == b->value &&
	       !strcmp(a->str, b->str) && !strcmp(a->text, b->text);
}

static int list_constants(const struct xenabi_release *rel, int only, int view)
{
	json_t *arr = global.format == FORMAT_JSON ? json_array() : NULL;
	const struct xenabi_unit *units[XENABI_ABI_COUNT] = { 0 };
	size_t pos[XENABI_ABI_COUNT] = { 0 };

	for (int a = 0; a < XENABI_ABI_COUNT; a++)
		if (abi_wanted(rel, a, only, view))
			units[a] = &rel->units[XENABI_UNIT(a, view)];
	/* A merge over the sorted per-ABI lists. */
	for (;;) {
		const struct xenabi_const *at[XENABI_ABI_COUNT] = { 0 };
		const struct xenabi_const *first = NULL;
		const char *name = NULL;
		bool differs = false;
		char val[256];

		for (int a = 0; a < XENABI_ABI_COUNT; a++) {
			const struct xenabi_unit *u = units[a];

			if (u && pos[a] < u->nconsts &&
			    (!name || strcmp(u->consts[pos[a]].name, name) < 0))
				name = u->consts[pos[a]].name;
		}
		if (!name)
			break;
		for (int a = 0; a < XENABI_ABI_COUNT; a++) {
			const struct xenabi_unit *u = units[a];

			if (!u || pos[a] >= u->nconsts ||
			    strcmp(u->consts[pos[a]].name, name))
				continue;
			at[a] = &u->consts[pos[a]++];
			if (!first)
				first = at[a];
			else if (!same_value(first, at[a]))
				differs = true;
		}
		if (arr) {
			json_t *values = json_object();

			for (int a = 0; a < XENABI_ABI_COUNT; a++)
				if (at[a])
					json_object_set_new(values,
							    xenabi_abi_name(a),
							    json_value(at[a]));
			json_array_append_new(arr, json_pack(
				"{s:o, s:s, s:o, s:o, s:o, s:i}", "name",
				xenabi_json_text(name), "class",
				xenabi_const_class_name(first->class), "text",
				xenabi_json_text(first->text), "values", values,
				"file", xenabi_json_text(first->file), "line",
				(int)first->line));
			continue;
		}
		printf("%-48s", name);
		if (!differs) {
			format_value(first, val, sizeof(val));
			printf(" %s", val);
		} else {
			for (int a = 0; a < XENABI_ABI_COUNT; a++) {
				if (!at[a])
					continue;
				format_value(at[a], val, sizeof(val));
				printf(" %s=%s", xenabi_abi_name(a), val);
			}
		}
		print_line("  ", first->file, first->line);
	}
	if (arr)
		print_json(arr);
	return EXIT_NOTHING;
}

/* Every layout of one view: a JSON array, or pahole-style text. */
static int list_layouts(const struct xenabi_release *rel, int only, int view)
{
	json_t *arr = global.format == FORMAT_JSON ? json_array() : NULL;

	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		const struct xenabi_unit *u = &rel->units[XENABI_UNIT(a, view)];

		if (!abi_wanted(rel, a, only, view))
			continue;
		for (size_t i = 0; i < u->ntypes; i++) {
			char *s = arr ? xenabi_layout_json(rel->name, u,
							   &u->types[i])
				      : xenabi_layout_text(u, &u->types[i]);

			if (!s) {
				json_decref(arr);
				return die_msg("out of memory");
			}
			if (arr)
				json_array_append_new(arr, json_loads(s, 0, NULL));
			else
				printf("/* %s %s (%s) */\n%s\n", rel->name,
				       xenabi_abi_name(a), xenabi_view_name(view),
				       s);
			free(s);
		}
	}
	if (arr)
		print_json(arr);
	return EXIT_NOTHING;
}

/* One failure: the header's name and the message escaped for a terminal. */
static void print_failure(int abi, int view, const struct xenabi_failure *f)
{
	char *header = xenabi_text_line(f->header);
	char *message = xenabi_text_line(f->message);

	printf("%-6s %-6s %-28s %s\n", xenabi_abi_name(abi), xenabi_view_name(view),
	       header ? header : "(out of memory)",
	       message ? message : "(out of memory)");
	free(header);
	free(message);
}

static int list_failures(const struct xenabi_release *rel, int only, int view)
{
	json_t *arr = global.format == FORMAT_JSON ? json_array() : NULL;

	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		for (int v = 0; v < XENABI_NVIEWS; v++) {
			const struct xenabi_unit *u = &rel->units[XENABI_UNIT(a, v)];

			/* A unit not present may say why: no such ABI. */
			if ((!rel->present[XENABI_UNIT(a, v)] && !u->nfailures) ||
			    (only >= 0 && a != only) || (view >= 0 && v != view))
				continue;
			for (size_t i = 0; i < u->nfailures; i++) {
				if (arr)
					json_array_append_new(arr, json_pack(
						"{s:s, s:s, s:o, s:o}",
						"abi", xenabi_abi_name(a),
						"view", xenabi_view_name(v),
						"header", xenabi_json_text(u->failures[i].header),
						"message", xenabi_json_text(u->failures[i].message)));
				else
					print_failure(a, v, &u->failures[i]);
			}
		}
	}
	if (arr)
		print_json(arr);
	return EXIT_NOTHING;
}

int cmd_list(int argc, char **argv)
{
	const struct cmd *self = find_cmd("list");
	const struct option *opts = cmd_long_options(self);
	static const char *const what_names[] = { "releases", "types",
						  "constants", "failures",
						  "layouts" };
	struct xenabi_release *rel = NULL;
	struct xenabi_ctx *ctx = NULL;
	struct dbs dbs = { NULL, NULL };
	int opt, abi = -1, view = -1, what = -1, ret = EXIT_TROUBLE;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int r = common_option(self, opt, optarg);

		if (r < 0)
			return EXIT_TROUBLE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'a':
			if ((abi = option_abi(self, optarg)) < 0)
				return EXIT_TROUBLE;
			break;
		case 'v':
			if ((view = option_view(self, optarg)) < 0)
				return EXIT_TROUBLE;
			break;
		default:
			return usage_error(self, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error(self, "say what to list (releases, types, "
				   "constants, failures, layouts)");
	for (size_t i = 0; i < XA_ARRAY_SIZE(what_names); i++)
		if (!strcmp(argv[optind], what_names[i]))
			what = i;
	if (what < 0)
		return usage_error(self, "cannot list '%s' (releases, types, "
				   "constants, failures, layouts)", argv[optind]);
	if (what > 0 && optind + 2 != argc)
		return usage_error(self, "'list %s' takes one release",
				   what_names[what]);
	if (what == 0 && optind + 1 != argc)
		return usage_error(self, "'list releases' takes no argument");

	start_pager();
	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	if (open_dbs(ctx, XENABI_DB_READ, &dbs))
		goto out;
	if (what == 0) {
		ret = list_releases(ctx, &dbs);
		goto out;
	}
	if (load_release(ctx, &dbs, argv[optind + 1], &rel))
		goto out;
	if (view >= 0 && !release_has_view(rel, view))
		goto out;
	if (abi >= 0 && what != 3 &&
	    !rel->present[XENABI_UNIT(abi, XENABI_VIEW_TOOLS)]) {
		ret = die_msg("release '%s' has no %s headers", rel->name,
			      xenabi_abi_name(abi));
		goto out;
	}
	if (what == 1)
		ret = list_types(rel, abi, view < 0 ? XENABI_VIEW_TOOLS : view);
	else if (what == 2)
		ret = list_constants(rel, abi,
				     view < 0 ? XENABI_VIEW_TOOLS : view);
	else if (what == 3)
		ret = list_failures(rel, abi, view);
	else
		ret = list_layouts(rel, abi, view < 0 ? XENABI_VIEW_TOOLS : view);
out:
	xenabi_release_free(rel);
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}
