/* SPDX-License-Identifier: MIT */
/*
 * suppress: parsing accepted-change files and matching findings.  Knows
 * findings; nothing of releases, sqlite or the compiler.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"

struct entry {
	char *text;		/* the accept line as written */
	unsigned int line;
	int kind;		/* -1: any */
	char *glob;
	unsigned int abis;	/* 0: any */
	int view;		/* -1: any */
	char *reason;
	size_t matched;
};

struct xenabi_suppressions {
	struct entry *entries;
	size_t n;
};

void xenabi_suppressions_free(struct xenabi_suppressions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->entries[i].text);
		free(s->entries[i].glob);
		free(s->entries[i].reason);
	}
	free(s->entries);
	free(s);
}

static char *trim(char *p)
{
	char *end;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return p;
}

static int parse_kind(const char *word)
{
	if (!strcmp(word, "*"))
		return -1;
	for (int k = 0; k < XENABI_CHANGE_COUNT; k++)
		if (!strcmp(word, xenabi_change_kind_name(k)))
			return k;
	return -2;
}

/* "accept KIND GLOB [abi=..] [view=..]" into e; NULL or what is wrong. */
static const char *parse_accept(char *line, struct entry *e)
{
	char *save = NULL, *word;

	e->view = -1;
	word = strtok_r(line, " \t", &save);
	if (!word || strcmp(word, "accept"))
		return "expected 'accept KIND SYMBOL' or a comment";
	word = strtok_r(NULL, " \t", &save);
	if (!word)
		return "'accept' needs a change kind (or *) and a symbol";
	if ((e->kind = parse_kind(word)) == -2)
		return "unknown change kind";
	word = strtok_r(NULL, " \t", &save);
	if (!word)
		return "'accept' needs a symbol (a glob) after the kind";
	if (!(e->glob = strdup(word)))
		return "out of memory";
	while ((word = strtok_r(NULL, " \t", &save))) {
		if (!strncmp(word, "abi=", 4)) {
			char *abi_save = NULL;

			for (char *a = strtok_r(word + 4, ",", &abi_save); a;
			     a = strtok_r(NULL, ",", &abi_save)) {
				int abi = xenabi_abi_parse(a);

				if (abi < 0)
					return "unknown ABI in abi=";
				e->abis |= 1u << abi;
			}
			if (!e->abis)
				return "empty abi=";
		} else if (!strncmp(word, "view=", 5)) {
			if ((e->view = xenabi_view_parse(word + 5)) < 0)
				return "view= is tools or guest";
		} else {
			return "unknown word after the symbol (abi= or view=)";
		}
	}
	return NULL;
}

int xenabi_suppressions_load(struct xenabi_ctx *ctx, const char *path,
			     struct xenabi_suppressions **out)
{
	struct xenabi_suppressions *s = calloc(1, sizeof(*s));
	FILE *f = fopen(path, "r");
	struct xa_vec entries;
	char *buf = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	struct entry *pending = NULL;
	int ret = 0;

	*out = NULL;
	xa_vec_init(&entries, sizeof(struct entry));
	if (!f) {
		free(s);
		return xa_error(ctx, XENABI_EIO, "cannot read suppressions '%s': %s",
				path, strerror(errno));
	}
	if (!s) {
		fclose(f);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	while (getline(&buf, &cap, f) > 0) {
		char *line = trim(buf);
		const char *err;

		lineno++;
		if (!*line || *line == '#')
			continue;
		if (!strncmp(line, "reason:", 7)) {
			char *why = trim(line + 7);

			if (!pending) {
				ret = xa_error(ctx, XENABI_EINVAL,
					       "%s:%u: 'reason:' without an "
					       "'accept' line before it", path,
					       lineno);
				break;
			}
			if (!*why) {
				ret = xa_error(ctx, XENABI_EINVAL,
					       "%s:%u: the reason is empty; say why "
					       "the change was accepted", path,
					       lineno);
				break;
			}
			if (!(pending->reason = strdup(why))) {
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
				break;
			}
			pending = NULL;
			continue;
		}
		if (pending) {
			ret = xa_error(ctx, XENABI_EINVAL,
				       "%s:%u: the entry on line %u has no "
				       "'reason:' line; every accepted change "
				       "needs one", path, lineno, pending->line);
			break;
		}
		pending = xa_vec_push(&entries);
		if (!pending || !(pending->text = strdup(line))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
		pending->line = lineno;
		if ((err = parse_accept(line, pending))) {
			ret = xa_error(ctx, XENABI_EINVAL, "%s:%u: %s", path,
				       lineno, err);
			break;
		}
	}
	if (!ret && pending)
		ret = xa_error(ctx, XENABI_EINVAL,
			       "%s:%u: the entry has no 'reason:' line; every "
			       "accepted change needs one", path, pending->line);
	if (!ret && ferror(f))
		ret = xa_error(ctx, XENABI_EIO, "cannot read suppressions '%s'",
			       path);
	free(buf);
	fclose(f);
	s->entries = entries.data;
	s->n = entries.len;
	if (ret) {
		xenabi_suppressions_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

static bool matches(const struct entry *e, const struct xenabi_finding *f)
{
	return (e->kind < 0 || e->kind == (int)f->kind) &&
	       (e->view < 0 || e->view == (int)f->view) &&
	       (!e->abis || (f->abis & ~e->abis) == 0) &&
	       !fnmatch(e->glob, f->symbol, 0);
}

size_t xenabi_suppressions_apply(struct xenabi_suppressions *s,
				 struct xenabi_diff *d)
{
	size_t stale = 0;

	for (size_t i = 0; i < s->n; i++) {
		/* The diff owns its findings: the reason is copied into it. */
		const char *reason = xa_arena_strdup(d->arena, s->entries[i].reason);

		s->entries[i].matched = 0;
		for (size_t k = 0; k < d->nfindings && reason; k++) {
			if (d->findings[k].suppressed ||
			    !matches(&s->entries[i], &d->findings[k]))
				continue;
			d->findings[k].suppressed = reason;
			s->entries[i].matched++;
		}
		stale += !s->entries[i].matched;
	}
	return stale;
}

bool xenabi_suppressions_stale(const struct xenabi_suppressions *s, size_t i,
			       unsigned int *line, const char **entry)
{
	for (size_t k = 0; k < s->n; k++) {
		if (s->entries[k].matched)
			continue;
		if (i--)
			continue;
		*line = s->entries[k].line;
		*entry = s->entries[k].text;
		return true;
	}
	return false;
}
