/* SPDX-License-Identifier: MIT */
/*
 * consts: classifying the macros of the public headers and getting their
 * values from the compiler, per ABI and view.  Values come from clang, not
 * from an expression evaluator of ours: each candidate becomes an
 * enumerator of a second probe and its value is read back from DWARF.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"

/* __builtin_classify_type: integer, char, enumeral and boolean classes. */
static bool is_integer_class(unsigned int class)
{
	return class >= 1 && class <= 4;
}

struct candidate {
	const struct xa_macro *macro;
	const char *file;	/* relative, arena */
	bool failed;		/* not an integer constant expression */
};

struct cand_blame {
	size_t first_line;
	size_t n;
	struct candidate *cands;
	size_t blamed;
	bool stray;
};

static void blame_candidate(void *data, unsigned long line, const char *msg,
			    size_t len)
{
	struct cand_blame *cb = data;

	(void)msg;
	(void)len;
	if (line >= cb->first_line && line < cb->first_line + cb->n) {
		struct candidate *c = &cb->cands[line - cb->first_line];

		if (!c->failed) {
			c->failed = true;
			cb->blamed++;
		}
		return;
	}
	cb->stray = true;
}

/*
 * The integer probe: one line per candidate, so a compiler error names the
 * candidate by its line.  A failed candidate's line is kept (as a blank)
 * so the numbering holds from round to round.
 */
static int write_int_probe(struct xenabi_ctx *ctx, const char *path,
			   const struct xa_source *src, const bool *included,
			   struct candidate *cands, size_t n,
			   size_t *first_line)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", path,
				strerror(errno));
	*first_line = xa_probe_write_includes(f, src, included, NULL, NULL) + 1;
	for (size_t i = 0; i < n; i++) {
		const char *m = cands[i].macro->name;

		if (cands[i].failed) {
			fputc('\n', f);
			continue;
		}
		fprintf(f,
			"enum xa_e%zu : unsigned long long { xa_v%zu = "
			"(unsigned long long)(%s) }; "
			"enum xa_f%zu : unsigned long long { xa_t%zu = "
			"__builtin_classify_type(%s) * 1024ULL + sizeof(%s) * 2 + "
			"((__typeof__(%s))-1 < 0) };\n",
			i, i, m, i, i, m, m, m);
	}
	if (fclose(f))
		return xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", path,
				strerror(errno));
	return 0;
}

static int eval_integers(struct xenabi_ctx *ctx, const struct xa_source *src,
			 const bool *included, enum xenabi_abi abi,
			 enum xenabi_view view, struct candidate *cands,
			 size_t n, const char *workdir, uint64_t *values,
			 uint64_t *types, bool *seen)
{
	static const char *const flags[] = { "-c", "-g", "-gdwarf-4",
					     "-fno-eliminate-unused-debug-types",
					     NULL };
	char *probe = NULL, *obj = NULL;
	char **argv = NULL;
	struct cand_blame cb = { .n = n, .cands = cands };
	int ret = 0;

	if (asprintf(&probe, "%s/consts-%s-%s.c", workdir,
		     xenabi_abi_name(abi), xenabi_view_name(view)) < 0 ||
	    asprintf(&obj, "%s/consts-%s-%s.o", workdir,
		     xenabi_abi_name(abi), xenabi_view_name(view)) < 0 ||
	    !(argv = xa_probe_argv(ctx, abi, view, src->public_dir, flags,
				   probe, obj))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	/* Each round blames at least one candidate, or we stop. */
	for (;;) {
		struct xa_run run;

		if ((ret = write_int_probe(ctx, probe, src, included, cands, n,
					   &cb.first_line)))
			goto out;
		if ((ret = xa_probe_run(ctx, argv, NULL, &run)))
			goto out;
		if (run.status == 0) {
			xa_run_release(&run);
			break;
		}
		cb.blamed = 0;
		cb.stray = false;
		xa_probe_blame(run.err, probe, blame_candidate, &cb);
		if (!cb.blamed) {
			ret = xa_error(ctx, XENABI_ECOMPILER,
				       "%s failed on the %s %s constants probe: "
				       "%.300s", argv[0], xenabi_abi_name(abi),
				       xenabi_view_name(view), run.err);
			xa_run_release(&run);
			goto out;
		}
		xa_run_release(&run);
	}
	if ((ret = xa_dwarf_read_enumerators(ctx, obj, "xa_v", n, values, seen)))
		goto out;
	{
		bool *tseen = calloc(n ? n : 1, sizeof(bool));

		if (!tseen) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
		ret = xa_dwarf_read_enumerators(ctx, obj, "xa_t", n, types,
						tseen);
		for (size_t i = 0; i < n; i++)
			seen[i] = seen[i] && tseen[i];
		free(tseen);
	}
out:
	xa_argv_free(argv);
	free(probe);
	free(obj);
	return ret;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *xa_consts_decode_strings(const char *text)
{
	struct xa_buf out;
	const char *p = text;
	bool any = false;

	xa_buf_init(&out);
	xa_buf_add(&out, "", 0);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		/* Only narrow and UTF-8 literals: the public headers use no others. */
		if (p[0] == 'u' && p[1] == '8' && p[2] == '"')
			p += 2;
		if (*p != '"')
			goto fail;
		p++;
		while (*p != '"') {
			char c = *p++;

			if (!c || c == '\n')
				goto fail;
			if (c == '\\') {
				int v, d;

				c = *p++;
				switch (c) {
				case 'n': c = '\n'; break;
				case 't': c = '\t'; break;
				case 'r': c = '\r'; break;
				case 'a': c = '\a'; break;
				case 'b': c = '\b'; break;
				case 'f': c = '\f'; break;
				case 'v': c = '\v'; break;
				case '\\': case '\'': case '"': case '?':
					break;
				case 'x':
					for (v = 0; (d = hexval(*p)) >= 0; p++)
						v = v * 16 + d;
					c = (char)v;
					break;
				default:
					if (c < '0' || c > '7')
						goto fail;
					v = c - '0';
					for (int k = 0; k < 2 && *p >= '0' &&
							*p <= '7'; k++)
						v = v * 8 + (*p++ - '0');
					c = (char)v;
					break;
				}
			}
			xa_buf_add(&out, &c, 1);
		}
		p++;
		any = true;
	}
	if (!any)
		goto fail;
	return xa_buf_detach(&out);
fail:
	xa_buf_release(&out);
	return NULL;
}

/*
 * Strings: the preprocessor expands each candidate after a marker, and the
 * literals it produces are decoded.  Every candidate that failed as an
 * integer gets here: one may name another macro that is a string.
 */
static int eval_strings(struct xenabi_ctx *ctx, const struct xa_source *src,
			const bool *included, enum xenabi_abi abi,
			enum xenabi_view view, struct candidate *cands,
			size_t n, const char *workdir, char **strs)
{
	static const char *const flags[] = { "-E", "-P", NULL };
	char *probe = NULL, *out = NULL, *line = NULL;
	char **argv = NULL;
	size_t cap = 0, nstr = 0;
	struct xa_run run = { 0 };
	FILE *f = NULL;
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		if (cands[i].failed && *cands[i].macro->text)
			nstr++;
	if (!nstr)
		return 0;
	if (asprintf(&probe, "%s/strings-%s-%s.c", workdir,
		     xenabi_abi_name(abi), xenabi_view_name(view)) < 0 ||
	    asprintf(&out, "%s/strings-%s-%s.i", workdir,
		     xenabi_abi_name(abi), xenabi_view_name(view)) < 0 ||
	    !(argv = xa_probe_argv(ctx, abi, view, src->public_dir, flags,
				   probe, NULL))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	f = fopen(probe, "w");
	if (!f) {
		ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", probe,
			       strerror(errno));
		goto out;
	}
	xa_probe_write_includes(f, src, included, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		if (cands[i].failed && *cands[i].macro->text)
			fprintf(f, "\nxa_s%zu %s\n", i, cands[i].macro->name);
	if (fclose(f)) {
		f = NULL;
		ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", probe,
			       strerror(errno));
		goto out;
	}
	f = NULL;
	if ((ret = xa_probe_run(ctx, argv, out, &run)))
		goto out;
	if (run.status != 0) {
		/* Not fatal: the strings stay "other", with their text. */
		goto out;
	}
	f = fopen(out, "r");
	if (!f) {
		ret = xa_error(ctx, XENABI_EIO, "cannot read '%s': %s", out,
			       strerror(errno));
		goto out;
	}
	while (getline(&line, &cap, f) > 0) {
		char *end;
		unsigned long long idx;

		if (strncmp(line, "xa_s", 4))
			continue;
		idx = strtoull(line + 4, &end, 10);
		if (end == line + 4 || *end != ' ' || idx >= n || strs[idx])
			continue;
		end[strcspn(end, "\n")] = '\0';
		strs[idx] = xa_consts_decode_strings(end + 1);
	}
out:
	if (f)
		fclose(f);
	free(line);
	xa_run_release(&run);
	xa_argv_free(argv);
	free(probe);
	free(out);
	return ret;
}

int xa_consts_evaluate(struct xenabi_ctx *ctx, const struct xa_source *src,
		       const bool *included, enum xenabi_abi abi,
		       enum xenabi_view view, const struct xa_macro *macros,
		       size_t nmacros, const char *workdir,
		       struct xa_arena *arena, struct xa_vec *consts)
{
	size_t plen = strlen(src->public_dir), n = 0;
	struct candidate *cands = calloc(nmacros + 1, sizeof(*cands));
	uint64_t *values = calloc(nmacros + 1, sizeof(uint64_t));
	uint64_t *types = calloc(nmacros + 1, sizeof(uint64_t));
	bool *seen = calloc(nmacros + 1, sizeof(bool));
	char **strs = calloc(nmacros + 1, sizeof(char *));
	char *norm = NULL;
	int ret = 0;

	if (!cands || !values || !types || !seen || !strs) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nmacros; i++) {
		const struct xa_macro *m = &macros[i];

		if (m->function_like || !*m->file)
			continue;
		free(norm);
		norm = strdup(m->file);
		if (!norm) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
		xa_path_normalise(norm);
		if (strncmp(norm, src->public_dir, plen) || norm[plen] != '/')
			continue;
		cands[n].macro = m;
		cands[n].file = xa_arena_strdup(arena, norm + plen + 1);
		/* An empty macro (an include guard) is no expression at all. */
		cands[n].failed = !*m->text;
		n++;
	}
	if (n) {
		ret = eval_integers(ctx, src, included, abi, view, cands, n,
				    workdir, values, types, seen);
		if (!ret)
			ret = eval_strings(ctx, src, included, abi, view, cands,
					   n, workdir, strs);
		if (ret)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct xenabi_const *c = xa_vec_push(consts);
		unsigned int class = types[i] >> 10;

		if (!c || !cands[i].file) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
		c->name = xa_arena_strdup(arena, cands[i].macro->name);
		c->text = xa_arena_strdup(arena, cands[i].macro->text);
		c->file = cands[i].file;
		c->line = cands[i].macro->line;
		c->str = "";
		c->class = XENABI_CONST_OTHER;
		if (!cands[i].failed && seen[i] && is_integer_class(class)) {
			c->class = XENABI_CONST_INT;
			c->value = values[i];
			c->width = (types[i] & 1023) >> 1;
			c->is_signed = types[i] & 1;
			/* Keep the value's own width: u64 bits of a narrower type. */
			if (c->width && c->width < 8 && !c->is_signed)
				c->value &= (1ULL << (8 * c->width)) - 1;
		} else if (strs[i]) {
			c->class = XENABI_CONST_STRING;
			c->str = xa_arena_strdup(arena, strs[i]);
		}
		if (!c->name || !c->text || !c->str) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	for (size_t i = 0; strs && i < nmacros; i++)
		free(strs[i]);
	free(strs);
	free(norm);
	free(cands);
	free(values);
	free(types);
	free(seen);
	return ret;
}
