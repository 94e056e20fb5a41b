/* SPDX-License-Identifier: MIT */
/*
 * consts: classifying the macros of the public headers and getting their
 * values from the compiler, per ABI and view.  Values come from clang, not
 * from an expression evaluator of ours: each candidate becomes an
 * enumerator of a second probe and its value is read back from DWARF.
 * The one exception is a lone integer literal, whose value and type C11
 * fixes (6.4.4.1); a test holds those rules to clang's on every literal
 * form.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"


/*
 * A macro is tried as an integer, as a string, or both; a form the
 * compiler rejects is dropped and not tried again.
 */
struct candidate {
	const struct xa_macro *macro;
	const char *file;	/* relative, arena */
	bool try_int;
	bool try_str;
	bool literal;		/* an integer literal: value and type known */
	uint64_t value;
	uint64_t type;		/* the type code, as XA_TYPE_CODES */
};

/*
 * The probe: the headers, then one enum with a line per integer form,
 * then a line per string form.  A candidate keeps its lines (blank once
 * dropped), so a compiler error names a form by its line in every round.
 */
struct const_probe {
	struct xenabi_ctx *ctx;
	const struct xa_source *src;
	const bool *included;
	const char *path;
	struct candidate *cands;
	size_t n;
	size_t int_line;	/* line of candidate 0's integer form */
	size_t str_line;	/* line of candidate 0's string form */
	struct xa_expr *exprs;
	size_t nexprs;
	size_t expr_line;	/* line of expression 0 */
	size_t blamed;
	const bool *take;	/* isolating: only these items (cands, exprs) */
	struct xa_arena *arena;
	struct xa_vec *failures;	/* struct xenabi_failure */
};

/* Whether the probe being written holds item k (candidate, then expression). */
static bool taken(const struct const_probe *cp, size_t k)
{
	return !cp->take || cp->take[k];
}

static int const_write(void *data, bool check)
{
	struct const_probe *cp = data;
	FILE *f = fopen(cp->path, "w");

	(void)check;
	if (!f)
		return xa_error(cp->ctx, XENABI_EIO, "cannot write '%s': %s",
				cp->path, strerror(errno));
	/*
	 * One enum for all: a type per candidate would cost the compiler a
	 * DWARF entry each.  The fixed underlying type is a clang extension
	 * in C; without it a value past INT_MAX would not be representable.
	 * The type code packs the expression's type class, width and
	 * signedness.
	 */
	cp->int_line = xa_probe_write_includes(f, cp->src, cp->included, NULL,
					       NULL) + 2;
	fputs("enum xa_values : unsigned long long {\n", f);
	for (size_t i = 0; i < cp->n; i++) {
		const char *m = cp->cands[i].macro->name;

		if (!cp->cands[i].try_int || !taken(cp, i)) {
			fputc('\n', f);
			continue;
		}
		fprintf(f,
			"xa_v%zu = (unsigned long long)(%s), "
			"xa_t%zu = _Generic((%s), " XA_TYPE_CODES "),\n",
			i, m, i, m);
	}
	/* The caller's expressions, in the same enum. */
	cp->expr_line = cp->int_line + cp->n;
	for (size_t i = 0; i < cp->nexprs; i++) {
		if (!cp->exprs[i].ok || !taken(cp, cp->n + i))
			fputc('\n', f);
		else
			fprintf(f, "xa_x%zu = (unsigned long long)(%s),\n", i,
				cp->exprs[i].expr);
	}
	/* A use keeps the enum in DWARF without keeping every header type. */
	fputs("xa_end };\nenum xa_values xa_use;\n", f);
	/*
	 * Strings land in sections of their own, read back by name: the
	 * bytes are the compiler's, escapes and concatenation done.  The
	 * leading "" admits only string literals, not brace lists.
	 */
	cp->str_line = cp->expr_line + cp->nexprs + 2;
	for (size_t i = 0; i < cp->n; i++) {
		if (!cp->cands[i].try_str || !taken(cp, i)) {
			fputc('\n', f);
			continue;
		}
		/* The assertion rejects a name that expands to nothing. */
		fprintf(f,
			"static const char xa_s%zu[] __attribute__((used, "
			"section(\".xa_s.%zu\"))) = \"\" %s; "
			"_Static_assert(sizeof(%s), \"\");\n",
			i, i, cp->cands[i].macro->name,
			cp->cands[i].macro->name);
	}
	if (fclose(f))
		return xa_error(cp->ctx, XENABI_EIO, "cannot write '%s': %s",
				cp->path, strerror(errno));
	return 0;
}

/* Isolation: a probe of the macros and expressions take[] names. */
static int const_write_some(void *data, const bool *take)
{
	struct const_probe *cp = data;
	bool any = false;
	int ret;

	for (size_t k = 0; k < cp->n + cp->nexprs; k++)
		any |= take[k] && (k < cp->n ? cp->cands[k].try_int ||
						       cp->cands[k].try_str
					     : cp->exprs[k - cp->n].ok);
	if (!any)
		return 1;
	cp->take = take;
	ret = const_write(cp, true);
	cp->take = NULL;
	return ret;
}

/* The key of candidate k among what a scan's units gave up. */
static char *given_up_key(const struct const_probe *cp, size_t k)
{
	char *key;

	return asprintf(&key, "macro:%s:%s", cp->cands[k].file,
			cp->cands[k].macro->name) < 0 ? NULL : key;
}

/* Candidate k dropped, a failure of its header saying why. */
static int const_fail(struct const_probe *cp, size_t k, const char *message)
{
	struct xenabi_failure *f = xa_vec_push(cp->failures);

	cp->cands[k].try_int = cp->cands[k].try_str = false;
	if (!f || !(f->header = cp->cands[k].file) ||
	    !(f->message = xa_arena_strdup(cp->arena, message)))
		return xa_error(cp->ctx, XENABI_ENOMEM, "out of memory");
	return 0;
}

/* A macro that stops the compiler alone is a failure of its header. */
static int const_give_up(void *data, size_t k, const char *why)
{
	struct const_probe *cp = data;
	char message[512], *key;
	int ret;

	if (k >= cp->n) {
		cp->exprs[k - cp->n].ok = false;
		return 0;
	}
	snprintf(message, sizeof(message), "%s: the compiler %s evaluating it "
		 "(scan --time-limit, --memory-limit)", cp->cands[k].macro->name,
		 why);
	if ((ret = const_fail(cp, k, message)))
		return ret;
	if (!(key = given_up_key(cp, k)))
		return xa_error(cp->ctx, XENABI_ENOMEM, "out of memory");
	ret = xa_given_up_add(cp->ctx, cp->ctx->given_up, key, message);
	free(key);
	return ret;
}

static void blame_form(void *data, unsigned long line, const char *msg,
		       size_t len)
{
	struct const_probe *cp = data;
	bool *form = NULL;

	(void)msg;
	(void)len;
	if (line >= cp->int_line && line < cp->int_line + cp->n)
		form = &cp->cands[line - cp->int_line].try_int;
	else if (line >= cp->str_line && line < cp->str_line + cp->n)
		form = &cp->cands[line - cp->str_line].try_str;
	else if (line >= cp->expr_line && line < cp->expr_line + cp->nexprs)
		form = &cp->exprs[line - cp->expr_line].ok;
	if (form && *form) {
		*form = false;
		cp->blamed++;
	}
}

static size_t const_drop(void *data, const char *diag, bool *recheck)
{
	/* No #include here: a macro cannot raise a fatal error. */
	(void)recheck;
	struct const_probe *cp = data;

	cp->blamed = 0;
	xa_probe_blame(diag, cp->path, blame_form, cp);
	return cp->blamed;
}

bool xa_consts_read_values(const char *out, size_t len, size_t n, size_t nexprs,
			uint64_t *values, bool *seen, uint64_t *types,
			bool *tseen, uint64_t *xv, bool *xseen, char **strs)
{
	const char *p = out, *end = out + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *space;
		unsigned long long idx = ULLONG_MAX, value;
		char kind = *p, form = 0, *next;

		if (!nl || nl - p < 4 || p[1] != ' ' ||
		    !(space = memchr(p + 2, ' ', (size_t)(nl - p - 2))))
			return false;
		/* xa_end and the like: no form's name. */
		if (space - p > 6 && !memcmp(p + 2, "xa_", 3) &&
		    p[6] >= '0' && p[6] <= '9') {
			form = p[5];
			idx = strtoull(p + 6, &next, 10);
			if (next != space)
				form = 0;
		}
		/* Digits only: strtoull would take blanks, newlines, a sign. */
		if (space + 1 == nl || space[1] < '0' || space[1] > '9')
			return false;
		errno = 0;
		value = strtoull(space + 1, &next, 10);
		if (errno || next != nl)
			return false;
		p = nl + 1;
		if (kind == 's') {
			if (value >= (size_t)(end - p) || p[value] != '\n')
				return false;
			if (form == 's' && idx < n) {
				free(strs[idx]);
				if (!(strs[idx] = strndup(p, value)))
					return false;
			}
			p += value + 1;
		} else if (kind != 'v') {
			return false;
		} else if (form == 'v' && idx < n) {
			values[idx] = value;
			seen[idx] = true;
		} else if (form == 't' && idx < n) {
			types[idx] = value;
			tseen[idx] = true;
		} else if (form == 'x' && idx < nexprs) {
			xv[idx] = value;
			xseen[idx] = true;
		}
	}
	return true;
}

/*
 * The probe in one compile, when a xenabi-cc serves: its front end's value
 * for every form no error names, which is what a second compile without
 * the named forms gives (each form stands alone: an enumerator with its
 * own initializer, an array with its own).  1: no xenabi-cc, a limit, or
 * a form that should have a value and has none; the forms the errors
 * named stay dropped, and the caller compiles as a process would.
 */
static int values_at_once(struct const_probe *cp, char **check,
			  uint64_t *values, bool *seen, uint64_t *types,
			  bool *tseen, char **strs)
{
	size_t n = cp->n, nexprs = cp->nexprs;
	uint64_t *xv = calloc(nexprs + 1, sizeof(uint64_t));
	bool *xseen = calloc(nexprs + 1, sizeof(bool));
	bool whole = true;
	struct xa_run run;
	int ret;

	if (!xv || !xseen) {
		ret = xa_error(cp->ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if ((ret = const_write(cp, false)) ||
	    (ret = xa_cc_values(cp->ctx, check, &run)))
		goto out;
	/* The forms the errors name go, as the rounds would drop them. */
	if (run.status && !run.limit) {
		xa_probe_keep_diag(cp->path, 0, run.err);
		whole = const_drop(cp, run.err, NULL) > 0;
	}
	whole = whole && !run.limit &&
		xa_consts_read_values(run.out, run.out_len, n, nexprs, values,
				      seen, types, tseen, xv, xseen, strs);
	xa_run_release(&run);
	for (size_t i = 0; i < n && whole; i++)
		whole = (!cp->cands[i].try_int || (seen[i] && tseen[i])) &&
			(!cp->cands[i].try_str || strs[i]);
	for (size_t i = 0; i < nexprs && whole; i++)
		whole = !cp->exprs[i].ok || xseen[i];
	if (!whole) {
		/* As the DWARF of the next compile would have them: not yet. */
		memset(seen, 0, n * sizeof(bool));
		memset(tseen, 0, n * sizeof(bool));
		for (size_t i = 0; i < n; i++) {
			free(strs[i]);
			strs[i] = NULL;
		}
		ret = 1;
		goto out;
	}
	for (size_t i = 0; i < nexprs; i++) {
		cp->exprs[i].ok = cp->exprs[i].ok && xseen[i];
		cp->exprs[i].value = xv[i];
	}
out:
	free(xv);
	free(xseen);
	return ret;
}

/* A C name: what a lone name of a macro is. */
static bool is_name(const char *text)
{
	if (!*text || (*text >= '0' && *text <= '9'))
		return false;
	for (const char *p = text; *p; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

/*
 * A string is tried where a literal appears, and for a lone name, which
 * may stand for one.
 */
static bool may_be_string(const char *text)
{
	return strchr(text, '"') || is_name(text);
}

static int macro_key_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct xa_macro *)elem)->name);
}

/* What a lone name ends as once the object-like macros are expanded. */
enum lone_end {
	LONE_OPEN,
	LONE_EMPTY,
	LONE_NUMBER,
	LONE_NAME,
	LONE_TYPE,	/* a typedef's name: no expression either */
	LONE_PAREN,	/* "(...": after a string literal, a call of it */
	LONE_STRING
};

/*
 * By the table of what is defined after the headers (the layout probe's,
 * whose headers the constants probe includes), where the probe's forms
 * stand.  A string literal followed by a number, a name or "(" is no
 * initializer, a string literal is no integer, and neither form holds
 * nothing: a lone name that ends so would cost a compiler round to learn
 * it, in every partial scan of its header.
 */
static enum lone_end lone_end(const struct xa_names *names, const char *text)
{
	for (int depth = 0; depth < 64; depth++) {
		const struct xa_macro *hit;
		size_t len = strlen(text);

		if (!len)
			return LONE_EMPTY;
		if (*text >= '0' && *text <= '9')
			return LONE_NUMBER;
		if (*text == '(')
			return LONE_PAREN;
		if (*text == '"')
			return len > 1 && text[len - 1] == '"' ? LONE_STRING
							       : LONE_OPEN;
		if (!is_name(text))
			return LONE_OPEN;
		hit = bsearch(text, names->macros, names->nmacros,
			      sizeof(*hit), macro_key_cmp);
		/* A function-like name without its "(" stays a name. */
		if (!hit || hit->function_like)
			return bsearch(text, names->typedefs, names->ntypedefs,
				       sizeof(char *), xa_str_key_cmp)
				       ? LONE_TYPE : LONE_NAME;
		text = hit->text;
	}
	return LONE_OPEN;
}

/*
 * An integer literal's value and type code, by C11 6.4.4.1: the first
 * type of its list that holds the value, int being 4 bytes, long
 * long_size and long long 8.  false for anything else (outer parentheses
 * aside), and for what C11 leaves to the compiler: a binary literal, a
 * value no type of the list holds, a suffix of no standard.
 */
bool xa_integer_literal(const char *text, unsigned int long_size,
			uint64_t *value, uint64_t *type)
{
	/* (size, signed) of int, unsigned, long, unsigned long, long long... */
	const unsigned int size[6] = { 4, 4, long_size, long_size, 8, 8 };
	const char *p = text, *digits;
	unsigned int depth = 0, base = 10, longs = 0, first;
	bool is_unsigned = false;
	uint64_t v = 0;

	while (*p == ' ' || *p == '\t' || *p == '(')
		depth += *p++ == '(';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	else if (p[0] == '0')
		base = 8;
	for (digits = p;; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			break;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	if (p == digits)
		return false;
	if (*p == 'u' || *p == 'U')
		is_unsigned = true, p++;
	if ((p[0] == 'l' && p[1] == 'l') || (p[0] == 'L' && p[1] == 'L'))
		longs = 2, p += 2;
	else if (*p == 'l' || *p == 'L')
		longs = 1, p++;
	if (!is_unsigned && (*p == 'u' || *p == 'U'))
		is_unsigned = true, p++;
	while (*p == ' ' || *p == '\t' || (*p == ')' && depth)) {
		depth -= *p == ')';
		p++;
	}
	if (*p || depth)
		return false;
	/*
	 * The lists: from int (or long, long long) on; unsigned suffixes
	 * take only unsigned types, decimal ones without only signed types.
	 */
	first = 2 * longs;
	for (unsigned int t = first; t < 6; t++) {
		bool is_signed = !(t & 1);

		if ((is_unsigned && is_signed) ||
		    (base == 10 && !is_unsigned && !is_signed))
			continue;
		if (is_signed ? v <= (UINT64_MAX >> (65 - 8 * size[t]))
			      : size[t] == 8 || v < (1ULL << (8 * size[t]))) {
			*value = v;
			*type = 2 * size[t] + is_signed;
			return true;
		}
	}
	return false;
}

int xa_consts_evaluate(struct xenabi_ctx *ctx, const struct xa_source *src,
		       const bool *included, enum xenabi_abi abi,
		       enum xenabi_view view, const struct xa_names *names,
		       struct xa_expr *exprs, size_t nexprs,
		       const char *workdir, struct xa_arena *arena,
		       struct xa_vec *consts, struct xa_vec *failures)
{
	static const char *const flags[] = { "-c", "-g", "-gdwarf-4", NULL };
	static const char *const check_flags[] = { "-fsyntax-only", NULL };
	size_t plen = strlen(src->public_dir), n = 0;
	static const struct xa_names none;
	const struct xa_macro *macros = (names ? names : &none)->macros;
	size_t nmacros = (names ? names : &none)->nmacros;
	struct candidate *cands = calloc(nmacros + 1, sizeof(*cands));
	uint64_t *values = calloc(nmacros + 1, sizeof(uint64_t));
	uint64_t *types = calloc(nmacros + 1, sizeof(uint64_t));
	bool *seen = calloc(nmacros + 1, sizeof(bool));
	bool *tseen = calloc(nmacros + 1, sizeof(bool));
	char **strs = calloc(nmacros + 1, sizeof(char *));
	struct const_probe cp = { .ctx = ctx, .src = src, .included = included,
				  .cands = cands, .exprs = exprs,
				  .nexprs = nexprs, .arena = arena,
				  .failures = failures };
	struct xa_rounds rounds = { .write = const_write, .drop = const_drop,
				    .write_some = const_write_some,
				    .give_up = const_give_up, .data = &cp };
	char *probe = NULL, *obj = NULL, what[64];
	char **argv = NULL, **check = NULL;
	bool forms = false;
	int ret = 0;

	snprintf(what, sizeof(what), "%s %s constants probe",
		 xenabi_abi_name(abi), xenabi_view_name(view));
	if (!cands || !values || !types || !seen || !tseen || !strs ||
	    asprintf(&probe, "%s/consts-%s-%s.c", workdir,
		     xenabi_abi_name(abi), xenabi_view_name(view)) < 0 ||
	    asprintf(&obj, "%s/consts-%s-%s.o", workdir,
		     xenabi_abi_name(abi), xenabi_view_name(view)) < 0 ||
	    !(argv = xa_probe_argv(ctx, abi, view, src->public_dir, flags,
				   probe, obj)) ||
	    !(check = xa_probe_argv(ctx, abi, view, src->public_dir,
				    check_flags, probe, NULL))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nmacros; i++) {
		const struct xa_macro *m = &macros[i];

		if (m->function_like || strncmp(m->file, src->public_dir, plen) ||
		    m->file[plen] != '/' || !xa_source_wanted(src, m->file + plen + 1))
			continue;
		cands[n].macro = m;
		cands[n].file = xa_arena_strdup(arena, m->file + plen + 1);
		/* An empty macro (an include guard) is no expression at all. */
		cands[n].try_str = *m->text && may_be_string(m->text);
		cands[n].try_int = *m->text && m->text[0] != '"';
		switch (is_name(m->text) ? lone_end(names, m->text) : LONE_OPEN) {
		case LONE_EMPTY:
		case LONE_TYPE:
			cands[n].try_int = cands[n].try_str = false;
			break;
		case LONE_NUMBER:
		case LONE_NAME:
		case LONE_PAREN:
			cands[n].try_str = false;
			break;
		case LONE_STRING:
			cands[n].try_int = false;
			break;
		case LONE_OPEN:
			break;
		}
		/*
		 * A literal's value and type are C's rules: no form to
		 * compile (xa_integer_literal's test holds them to clang's).
		 */
		if (cands[n].try_int &&
		    xa_integer_literal(m->text, xa_abi_info(abi)->pointer_size,
				       &cands[n].value, &cands[n].type)) {
			cands[n].literal = true;
			cands[n].try_int = false;
		}
		n++;
	}
	cp.n = n;
	rounds.nitems = n + nexprs;
	/* What stopped the compiler in another unit would stop it here. */
	for (size_t k = 0; k < n && !ret && ctx->given_up; k++) {
		char *key = given_up_key(&cp, k);
		const char *why = key ? xa_given_up_find(ctx->given_up, key, arena)
				      : NULL;

		if (!key)
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		else if (why)
			ret = const_fail(&cp, k, why);
		free(key);
	}
	if (ret)
		goto out;
	for (size_t i = 0; i < nexprs; i++)
		exprs[i].ok = true;
	cp.path = rounds.probe = probe;
	rounds.what = what;
	rounds.check = check;
	rounds.compile = argv;
	if (n + nexprs == 0)
		goto out;
	/*
	 * Include guards and the like have no form to try: their records
	 * say so without a compile, which a partial scan of a header with
	 * no other macro would otherwise pay for.
	 */
	for (size_t k = 0; k < n && !forms; k++)
		forms = cands[k].try_int || cands[k].try_str;
	if (!forms && !nexprs)
		goto records;
	ret = values_at_once(&cp, check, values, seen, types, tseen, strs);
	if (ret <= 0)
		goto records_or_out;
	if ((ret = xa_probe_rounds(ctx, &rounds)) < 0)
		goto out;
	if ((ret = xa_dwarf_read_enumerators(ctx, obj, "xa_v", n, values,
					     seen)) ||
	    (ret = xa_dwarf_read_enumerators(ctx, obj, "xa_t", n, types,
					     tseen)) ||
	    (ret = xa_dwarf_read_sections(ctx, obj, ".xa_s.", n, strs)))
		goto out;
	if (nexprs) {
		uint64_t *xv = calloc(nexprs, sizeof(uint64_t));
		bool *xseen = calloc(nexprs, sizeof(bool));

		if (!xv || !xseen)
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		else
			ret = xa_dwarf_read_enumerators(ctx, obj, "xa_x", nexprs,
							xv, xseen);
		for (size_t i = 0; !ret && i < nexprs; i++) {
			exprs[i].ok = exprs[i].ok && xseen[i];
			exprs[i].value = xv[i];
		}
		free(xv);
		free(xseen);
		if (ret)
			goto out;
	}
records_or_out:
	if (ret < 0)
		goto out;
records:
	for (size_t i = 0; i < n; i++) {
		struct xenabi_const *c = xa_vec_push(consts);

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
		if (cands[i].literal) {
			c->class = XENABI_CONST_INT;
			c->value = cands[i].value;
			c->width = cands[i].type >> 1;
			c->is_signed = cands[i].type & 1;
		} else if (cands[i].try_int && seen[i] && tseen[i] && types[i]) {
			c->class = XENABI_CONST_INT;
			c->value = values[i];
			c->width = types[i] >> 1;
			c->is_signed = types[i] & 1;
			/* Keep the value's own width: u64 bits of a narrower type. */
			if (c->width && c->width < 8 && !c->is_signed)
				c->value &= (1ULL << (8 * c->width)) - 1;
		} else if (cands[i].try_str && strs[i]) {
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
	free(cands);
	free(values);
	free(types);
	free(seen);
	free(tseen);
	xa_argv_free(argv);
	xa_argv_free(check);
	free(probe);
	free(obj);
	return ret;
}
