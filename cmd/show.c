/* SPDX-License-Identifier: MIT */
/*
 * xenabi show: one type's layout in one release, per ABI.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/*
 * A name finds a struct, union or enum first ("struct " or "union " may
 * lead), then a typedef; a typedef of a tagged type shows that type.
 */
static const struct xenabi_type *lookup(const struct xenabi_unit *u,
					const char *name)
{
	static const enum xenabi_type_kind order[] = {
		XENABI_KIND_STRUCT, XENABI_KIND_UNION, XENABI_KIND_ENUM,
		XENABI_KIND_TYPEDEF
	};
	const struct xenabi_type *t = NULL;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *kw = xenabi_kind_name(order[i]);
		size_t n = strlen(kw);

		if (!strncmp(name, kw, n) && name[n] == ' ') {
			t = xenabi_unit_find_type(u, order[i], name + n + 1);
			if (t)
				return t;
		}
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && !t; i++)
		t = xenabi_unit_find_type(u, order[i], name);
	if (t && t->kind == XENABI_KIND_TYPEDEF) {
		for (size_t i = 0; i < 3; i++) {
			const char *kw = xenabi_kind_name(order[i]);
			size_t n = strlen(kw);
			const struct xenabi_type *target;

			if (strncmp(t->target, kw, n) || t->target[n] != ' ')
				continue;
			target = xenabi_unit_find_type(u, order[i],
						       t->target + n + 1);
			if (target)
				return target;
		}
	}
	return t;
}

/* An encoding's bits, then the macros they come from. */
static char *encoding_text(const struct xenabi_encoding_info *e)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	fprintf(f, "%s: %s\n", e->hypercall, e->layout);
	for (int i = 0; i < 3; i++) {
		const struct xenabi_const *c = e->macros[i];

		if (c)
			fprintf(f, "\t%-32s %#-10" PRIx64 " %s:%u\n", c->name,
				c->value, c->file, c->line);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

static json_t *encoding_json(const char *release, const struct xenabi_unit *u,
			     const struct xenabi_encoding_info *e)
{
	json_t *macros = json_array();

	for (int i = 0; i < 3; i++) {
		const struct xenabi_const *c = e->macros[i];

		if (c)
			json_array_append_new(macros, json_pack(
				"{s:o, s:I, s:o, s:i}", "name",
				xenabi_json_text(c->name), "value",
				(json_int_t)c->value, "file", xenabi_json_text(c->file),
				"line", (int)c->line));
	}
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, "
			 "s:I, s:s, s:o}",
			 "release", xenabi_json_text(release), "abi", xenabi_abi_name(u->abi),
			 "view", xenabi_view_name(u->view), "kind", "encoding",
			 "name", e->hypercall, "arg", e->arg, "field", e->field,
			 "word", e->word, "op_bits", e->op_bits,
			 "progress_lo", e->cont_lo, "flag", (json_int_t)e->flag,
			 "layout", e->layout, "macros", macros);
}

/* " (did you mean xen_add_to_physmap?)": the nearest type name, or "". */
static void suggest_type(const struct xenabi_release *rel, int view,
			 const char *name, char *buf, size_t len)
{
	size_t best = strlen(name) < 6 ? 2 : 3;

	buf[0] = '\0';
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		const struct xenabi_unit *u = &rel->units[XENABI_UNIT(a, view)];

		for (size_t i = 0; i < u->ntypes; i++) {
			size_t d = xenabi_name_distance(name, u->types[i].name,
							best - 1);

			if (d < best) {
				best = d;
				snprintf(buf, len, " (did you mean %s?)",
					 u->types[i].name);
			}
		}
	}
}

int cmd_show(int argc, char **argv)
{
	const struct cmd *self = find_cmd("show");
	const struct option *opts = cmd_long_options(self);
	struct xenabi_release *rel = NULL;
	struct xenabi_ctx *ctx = NULL;
	struct dbs dbs = { NULL, NULL };
	char *shown[XENABI_ABI_COUNT] = { 0 }, *hc = NULL;
	json_t *arr = NULL;
	int opt, abi = -1, view = XENABI_VIEW_TOOLS, ret = EXIT_TROUBLE;
	const char *name;
	bool found = false;

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
	if (optind + 2 != argc)
		return usage_error(self, "give a release and a type name");
	name = argv[optind + 1];

	start_pager();
	ctx = xenabi_ctx_new();
	if (!ctx)
		return die_msg("out of memory");
	if (open_dbs(ctx, XENABI_DB_READ, &dbs) ||
	    load_release(ctx, &dbs, argv[optind], &rel))
		goto out;
	/* The hypercall table, whole or one hypercall's, is the tree's. */
	if (!strcmp(name, "hypercalls")) {
		char *t = global.format == FORMAT_JSON
				  ? xenabi_hypercalls_json(rel, NULL)
				  : xenabi_hypercalls_text(rel, NULL);

		if (!t) {
			ret = die_msg("release '%s' has no hypercall table (it "
				      "comes from a Xen tree, 4.8 on); 'xenabi "
				      "list failures %s' says why", rel->name,
				      rel->name);
			goto out;
		}
		if (global.format == FORMAT_JSON)
			printf("%s\n", t);
		else
			put_text(t);
		free(t);
		ret = EXIT_NOTHING;
		goto out;
	}
	hc = global.format == FORMAT_JSON ? xenabi_hypercalls_json(rel, name)
					  : xenabi_hypercalls_text(rel, name);
	if (!release_has_view(rel, view))
		goto out;
	if (abi >= 0 && !rel->present[XENABI_UNIT(abi, view)]) {
		ret = die_msg("release '%s' has no %s headers", rel->name,
			      xenabi_abi_name(abi));
		goto out;
	}
	if (global.format == FORMAT_JSON && (abi < 0 || hc))
		arr = json_array();
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		const struct xenabi_unit *u = &rel->units[XENABI_UNIT(a, view)];
		const struct xenabi_type *t;

		if (!rel->present[XENABI_UNIT(a, view)] || (abi >= 0 && a != abi))
			continue;
		t = lookup(u, name);
		if (!t) {
			struct xenabi_encoding_info e;
			int r = xenabi_encoding_find(ctx, u, name, &e);

			if (r < 0 && r != -XENABI_ENOTFOUND) {
				ret = die_ctx(ctx);
				goto out;
			}
			if (r)
				continue;
			found = true;
			if (global.format == FORMAT_JSON) {
				json_t *doc = encoding_json(rel->name, u, &e);

				if (arr) {
					json_array_append_new(arr, doc);
				} else {
					json_dumpf(doc, stdout, JSON_INDENT(2) |
							JSON_PRESERVE_ORDER);
					putchar('\n');
					json_decref(doc);
				}
			} else if (!(shown[a] = encoding_text(&e))) {
				ret = die_msg("out of memory");
				goto out;
			}
			continue;
		}
		found = true;
		if (global.format == FORMAT_JSON) {
			char *s = xenabi_layout_json(rel->name, u, t);

			if (!s) {
				ret = die_msg("out of memory");
				goto out;
			}
			if (arr)
				json_array_append_new(arr, json_loads(s, 0, NULL));
			else {
				put_text(s);
				putchar('\n');
			}
			free(s);
			continue;
		}
		shown[a] = xenabi_layout_text(u, t);
		if (!shown[a]) {
			ret = die_msg("out of memory");
			goto out;
		}
	}
	if (hc && arr) {
		json_array_append_new(arr, json_loads(hc, 0, NULL));
	}
	if (!found && !hc) {
		char hint[300];

		suggest_type(rel, view, name, hint, sizeof(hint));
		ret = die_msg("no type, encoding or hypercall '%s' in release '%s' (%s "
			      "view%s%s)%s; 'xenabi list types %s' lists them", name,
			      rel->name, xenabi_view_name(view),
			      abi >= 0 ? ", " : "",
			      abi >= 0 ? xenabi_abi_name(abi) : "", hint, rel->name);
		goto out;
	}
	if (arr) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	}
	/* Identical layouts are printed once, under every ABI that has them. */
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		bool first = true;

		if (!shown[a])
			continue;
		printf("/* %s", rel->name);
		for (int b = a; b < XENABI_ABI_COUNT; b++) {
			if (!shown[b] || strcmp(shown[a], shown[b]))
				continue;
			printf("%s%s", first ? " " : ", ", xenabi_abi_name(b));
			first = false;
			if (b != a) {
				free(shown[b]);
				shown[b] = NULL;
			}
		}
		printf(" (%s) */\n", xenabi_view_name(view));
		put_text(shown[a]);
		if (a + 1 < XENABI_ABI_COUNT)
			for (int b = a + 1; b < XENABI_ABI_COUNT; b++)
				if (shown[b]) {
					putchar('\n');
					break;
				}
	}
	if (hc && !arr) {
		if (found)
			putchar('\n');
		put_text(hc);
	}
	ret = EXIT_NOTHING;
out:
	free(hc);
	for (int a = 0; a < XENABI_ABI_COUNT; a++)
		free(shown[a]);
	json_decref(arr);
	xenabi_release_free(rel);
	close_dbs(&dbs);
	xenabi_ctx_free(ctx);
	return ret;
}
