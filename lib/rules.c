/* SPDX-License-Identifier: MIT */
/*
 * rules: Xen's ABI rules as data (lib/abirules.txt, compiled in): which
 * interfaces version themselves, which structures grow at their tail,
 * which constants count, which member names are padding.  Parsing and
 * matching only; diff decides with them.  Knows no sqlite, no DWARF.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"

extern const char xa_abirules_manifest[];

static const struct {
	const char *word;
	enum xa_rule_kind kind;
	unsigned int nargs;	/* fields before " -- " */
	bool header;		/* the first field is a header */
} rule_words[] = {
	{ "versioned", XA_RULE_VERSIONED, 3, true },
	{ "page", XA_RULE_PAGE, 1, false },
	{ "selfdescribing", XA_RULE_SELFDESCRIBING, 2, false },
	{ "count", XA_RULE_COUNT, 1, false },
	{ "lockstep", XA_RULE_LOCKSTEP, 2, true },
	{ "toolsonly", XA_RULE_TOOLSONLY, 2, true },
	{ "padding", XA_RULE_PADDING, 1, false },
	{ "version", XA_RULE_VERSION, 1, false },
	{ "carries", XA_RULE_CARRIES, 3, true },
	{ "since", XA_RULE_SINCE, 3, false },
	{ "refuses", XA_RULE_REFUSES, 1, false },
	{ "dispatch", XA_RULE_DISPATCH, 3, true },
	{ "stable", XA_RULE_STABLE, 2, false },
	{ "absent", XA_RULE_ABSENT, 4, true },
	{ "sizechecked", XA_RULE_SIZECHECKED, 1, false },
};

static void rule_release(struct xa_rule *r)
{
	free(r->header);
	free(r->glob);
	free(r->macro);
	free(r->abis);
	free(r->reason);
}

void xa_rules_release(struct xa_rules *rules)
{
	for (size_t i = 0; i < rules->n; i++)
		rule_release(&rules->r[i]);
	free(rules->r);
	rules->r = NULL;
	rules->n = 0;
}

/* One line: WORD ARGS... -- REASON.  Returns 0, 1 for a blank or a comment. */
static int parse_line(char *line, struct xa_rule *r)
{
	char *sep = strstr(line, " -- "), *save = NULL, *w, *args[4];
	unsigned int n = 0;
	size_t k;

	w = strtok_r(line, " \t", &save);
	if (!w || *w == '#')
		return 1;
	if (!sep)
		return -1;
	*sep = '\0';
	for (k = 0; k < XA_ARRAY_SIZE(rule_words); k++)
		if (!strcmp(rule_words[k].word, w))
			break;
	if (k == XA_ARRAY_SIZE(rule_words))
		return -1;
	while ((w = strtok_r(NULL, " \t", &save))) {
		if (n == XA_ARRAY_SIZE(args))
			return -1;
		args[n++] = w;
	}
	if (n != rule_words[k].nargs || !*(sep + 4))
		return -1;
	r->kind = rule_words[k].kind;
	n = 0;
	if (rule_words[k].header && !(r->header = strdup(args[n++])))
		return -1;
	if (!(r->glob = strdup(args[n++])) ||
	    (n < rule_words[k].nargs && !(r->macro = strdup(args[n++]))) ||
	    (n < rule_words[k].nargs && !(r->abis = strdup(args[n++]))) ||
	    !(r->reason = strdup(sep + 4)))
		return -1;
	return 0;
}

int xa_rules_load(struct xenabi_ctx *ctx, struct xa_rules *rules)
{
	char *text = strdup(xa_abirules_manifest), *save = NULL, *line;
	struct xa_vec v;
	unsigned int lineno = 0;
	int ret = 0;

	rules->r = NULL;
	rules->n = 0;
	xa_vec_init(&v, sizeof(struct xa_rule));
	if (!text)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (line = text; line && !ret; line = save) {
		struct xa_rule r = { 0 }, *slot;
		int rc;

		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		rc = parse_line(line, &r);
		if (rc == 0 && (slot = xa_vec_push(&v))) {
			*slot = r;
			continue;
		}
		rule_release(&r);
		if (rc < 0)
			ret = xa_error(ctx, XENABI_EINVAL, "abirules.txt:%u: "
				       "cannot parse the rule", lineno);
		else if (rc == 0)
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	free(text);
	rules->r = v.data;
	rules->n = v.len;
	if (ret)
		xa_rules_release(rules);
	return ret;
}

bool xa_list_next(const char **list, char *item, size_t size)
{
	size_t n = strcspn(*list, ",");

	if (!**list)
		return false;
	snprintf(item, size, "%.*s", (int)(n < size ? n : size - 1), *list);
	*list += n + ((*list)[n] == ',');
	return true;
}

bool xa_list_has(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (strcspn(p, ",") == n && !strncmp(p, item, n))
			return true;
	return false;
}

const struct xa_rule *xa_rules_match(const struct xa_rules *rules,
				     enum xa_rule_kind kind, const char *header,
				     const char *symbol)
{
	for (size_t i = 0; i < rules->n; i++) {
		const struct xa_rule *r = &rules->r[i];

		if (r->kind != kind)
			continue;
		if (r->header && (!header || strcmp(r->header, header)))
			continue;
		if (!fnmatch(r->glob, symbol, 0))
			return r;
	}
	return NULL;
}
