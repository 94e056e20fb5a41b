/* SPDX-License-Identifier: MIT */
/*
 * hcold: the hypercall tables of Xen 4.8 to 4.16, C arrays filled through
 * HYPERCALL()/COMPAT_CALL()-style macros, read with the tree's own macros
 * by the preprocessor (xa_hcall_cpp), and the prototypes of their handlers
 * read from the tree's C text.  Libc and xa.h only; it never guesses a cell.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xa.h"

/* A failure of the tree, recorded in hc->failure: stop, but no error. */
#define FAILED 1

enum arch { X86, ARM, NARCH };

/* One table: the files it may be in, its handler members and their kinds. */
struct spec {
	const char *table;
	enum arch arch;
	const char *files[2];	/* newest place first */
	const char *fields[2];
	enum xa_guest_kind kinds[2];
	const char *other;	/* a member that holds no handler */
};

static const struct spec specs[] = {
	{ "pv_hypercall_table", X86,
	  { "xen/arch/x86/pv/hypercall.c", "xen/arch/x86/hypercall.c" },
	  { "native", "compat" }, { XA_GUEST_PV64, XA_GUEST_PV32 }, NULL },
	{ "hvm_hypercall_table", X86,
	  { "xen/arch/x86/hvm/hypercall.c", "xen/arch/x86/hvm/hvm.c" },
	  { "native", "compat" }, { XA_GUEST_HVM64, XA_GUEST_HVM32 }, NULL },
	{ "arm_hypercall_table", ARM, { "xen/arch/arm/traps.c", NULL },
	  { "fn", NULL }, { XA_GUEST_ARM, XA_GUEST_ARM }, "nr_args" },
};

#define NSPECS XA_ARRAY_SIZE(specs)

static const char *const arch_name[NARCH] = { "x86", "arm" };

/*
 * The options that give an architecture its kinds of guest: on in both
 * readings.  The other architecture's are off, and so is a shim, which is
 * not a Xen guests are built for.  Every other CONFIG_ name a table's
 * text mentions is a feature: on in the full reading, off in the minimal.
 */
static const char *const guest_opts[NARCH][8] = {
	{ "CONFIG_X86", "CONFIG_PV", "CONFIG_PV32", "CONFIG_HVM",
	  "CONFIG_COMPAT", "CONFIG_X86_64", "__x86_64__", NULL },
	{ "CONFIG_ARM", "CONFIG_ARM_64", "CONFIG_HVM", NULL },
};
static const char *const never[] = { "CONFIG_PV_SHIM",
				     "CONFIG_PV_SHIM_EXCLUSIVE", NULL };

/* A file of the tree, whole, in two cleaned copies that line up. */
struct src {
	char *path;	/* from the top */
	char *text;	/* comments blanked */
	char *code;	/* preprocessor lines and literals' insides blanked too */
	size_t len;
	bool absent;
};

/* A cell as a reading of the table gives it. */
struct entry {
	char *name;
	enum xa_guest_kind kind;
	char *handler;
};

struct proto {
	char *handler;
	char *rettype;
	char *params;
};

/* A table found, and what it takes to read it. */
struct table {
	const struct spec *spec;
	struct src *src;
	size_t open, close;	/* its initialiser's braces */
	char *body;		/* its element struct's members, or NULL */
	char *type;		/* the struct's typedef name, or NULL */
	struct xa_buf pre;	/* the file's #defines it uses, in context */
	unsigned int unclosed;	/* conditionals pre leaves open */
	struct xa_vec defined;	/* char *: the macros pre defines */
	struct xa_vec features;	/* char *: CONFIG_ names */
	struct xa_vec got[2];	/* struct entry: full and minimal reading */
	struct xa_vec protos;	/* struct proto */
};

struct hc {
	struct xenabi_ctx *ctx;
	const char *top;
	struct xa_vec files;	/* struct src *: every file read, kept */
	char *failure;
};

static int oom(struct hc *hc)
{
	return xa_error(hc->ctx, XENABI_ENOMEM, "out of memory");
}

static int fail(struct hc *hc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct hc *hc, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&hc->failure, fmt, ap);
	va_end(ap);
	if (n < 0) {
		hc->failure = NULL;
		return oom(hc);
	}
	return FAILED;
}

static bool ident_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool ident_start(char c)
{
	return ident_char(c) && !(c >= '0' && c <= '9');
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool space(char c)
{
	return blank(c) || c == '\n';
}

/* ---- string sets --------------------------------------------------------- */

static bool has_str(const struct xa_vec *set, const char *s, size_t n)
{
	char *const *v = set->data;

	for (size_t i = 0; i < set->len; i++)
		if (strlen(v[i]) == n && !strncmp(v[i], s, n))
			return true;
	return false;
}

static int add_str(struct xa_vec *set, const char *s, size_t n)
{
	char **slot;

	if (has_str(set, s, n))
		return 0;
	if (!(slot = xa_vec_push(set)))
		return -1;
	if (!(*slot = strndup(s, n))) {
		set->len--;
		return -1;
	}
	return 0;
}

/* Add the identifiers of s[0..n) that start with prefix. */
static int add_idents(struct xa_vec *set, const char *s, size_t n,
		      const char *prefix)
{
	size_t plen = strlen(prefix);

	for (size_t i = 0; i < n;) {
		size_t e = i;

		if (!ident_char(s[i])) {
			i++;
			continue;
		}
		while (e < n && ident_char(s[e]))
			e++;
		if (ident_start(s[i]) && e - i >= plen &&
		    !strncmp(s + i, prefix, plen) && add_str(set, s + i, e - i))
			return -1;
		i = e;
	}
	return 0;
}

static bool listed(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !strncmp(list[i], s, n))
			return true;
	return false;
}

static void strs_release(struct xa_vec *set)
{
	for (size_t i = 0; i < set->len; i++)
		free(((char **)set->data)[i]);
	xa_vec_release(set);
}

/* ---- files --------------------------------------------------------------- */

/* Where the logical line from i ends: its newline, past backslash-newlines. */
static size_t line_end(const char *t, size_t len, size_t i)
{
	size_t start = i;

	for (;;) {
		while (i < len && t[i] != '\n')
			i++;
		if (i < len && i > start && t[i - 1] == '\\') {
			i++;
			continue;
		}
		return i;
	}
}

/* Whether the logical line [i, e) is a preprocessor line; *hash its '#'. */
static bool directive(const char *t, size_t i, size_t e, size_t *hash)
{
	while (i < e && blank(t[i]))
		i++;
	*hash = i;
	return i < e && t[i] == '#';
}

/*
 * Blank comments in text and code; in code also preprocessor lines and
 * the insides of literals, so that braces, parentheses and names there
 * are plain C.  Offsets and newlines stay, so the copies line up.
 */
static void clean(struct src *s)
{
	char *t = s->text, *c = s->code, lit = 0;
	size_t len = s->len;

	for (size_t i = 0; i < len; i++) {
		if (lit) {
			if (t[i] == '\\' && i + 1 < len && t[i + 1] != '\n') {
				c[i] = c[i + 1] = ' ';
				i++;
			} else if (t[i] == lit || t[i] == '\n') {
				lit = 0;
			} else {
				c[i] = ' ';
			}
		} else if (t[i] == '/' && i + 1 < len && t[i + 1] == '*') {
			size_t e = i + 2;

			while (e + 1 < len && !(t[e] == '*' && t[e + 1] == '/'))
				e++;
			e = e + 1 < len ? e + 2 : len;
			for (; i < e; i++)
				if (t[i] != '\n')
					t[i] = c[i] = ' ';
			i--;
		} else if (t[i] == '/' && i + 1 < len && t[i + 1] == '/') {
			for (; i < len && t[i] != '\n'; i++)
				t[i] = c[i] = ' ';
			i--;
		} else if (t[i] == '"' || t[i] == '\'') {
			lit = t[i];
		}
	}
	for (size_t i = 0; i < len;) {
		size_t e = line_end(t, len, i), h;

		if (directive(t, i, e, &h))
			for (; h < e; h++)
				if (c[h] != '\n')
					c[h] = ' ';
		i = e + 1;
	}
}

static void src_free(struct src *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->text);
	free(s->code);
	free(s);
}

/* The bytes of top/rel into *out; 1 when there is no such file. */
static int read_file(struct hc *hc, const char *rel, char **out, size_t *len)
{
	struct xa_buf buf;
	char *path;
	FILE *f;
	int ret = 0;

	*out = NULL;
	if (asprintf(&path, "%s/%s", hc->top, rel) < 0)
		return oom(hc);
	if (!(f = fopen(path, "r"))) {
		ret = errno == ENOENT || errno == ENOTDIR
			      ? 1
			      : xa_error(hc->ctx, XENABI_EIO,
					 "cannot read '%s': %s", path,
					 strerror(errno));
		free(path);
		return ret;
	}
	xa_buf_init(&buf);
	if (!xa_buf_read(&buf, f))
		ret = xa_error(hc->ctx, XENABI_EIO, "cannot read '%s'", path);
	fclose(f);
	free(path);
	*len = buf.len;
	if (ret) {
		xa_buf_release(&buf);
		return ret;
	}
	if (!(*out = xa_buf_detach(&buf)))
		return oom(hc);
	return 0;
}

/*
 * The file rel, cleaned, as *out (NULL when absent).  A file read for
 * the sake of name (not NULL) is only cleaned and kept when it mentions
 * it: the headers searched last are many.
 */
static int load(struct hc *hc, const char *rel, const char *name,
		struct src **out)
{
	struct src **files = hc->files.data, *s, **slot;
	char *raw;
	size_t len = 0;
	int ret;

	*out = NULL;
	for (size_t i = 0; i < hc->files.len; i++)
		if (!strcmp(files[i]->path, rel)) {
			*out = files[i]->absent ? NULL : files[i];
			return 0;
		}
	if ((ret = read_file(hc, rel, &raw, &len)) < 0)
		return ret;
	if (!ret && name && !memmem(raw, len, name, strlen(name))) {
		free(raw);
		return 0;
	}
	if (!(s = calloc(1, sizeof(*s))) || !(s->path = strdup(rel)) ||
	    !(slot = xa_vec_push(&hc->files))) {
		src_free(s);
		free(raw);
		return oom(hc);
	}
	*slot = s;
	if (ret) {
		s->absent = true;
		return 0;
	}
	s->text = raw;
	s->len = len;
	if (!(s->code = malloc(len + 1)))
		return oom(hc);
	memcpy(s->code, raw, len + 1);
	clean(s);
	*out = s;
	return 0;
}

/* 1 when top/rel exists, 0 when not, or an error. */
static int exists(struct hc *hc, const char *rel)
{
	char *path;
	int yes;

	if (asprintf(&path, "%s/%s", hc->top, rel) < 0)
		return oom(hc);
	yes = !access(path, F_OK);
	free(path);
	return yes;
}

/* ---- C text -------------------------------------------------------------- */

/* The next non-blank of code at or after i (len at the end). */
static size_t skip(const struct src *s, size_t i)
{
	while (i < s->len && space(s->code[i]))
		i++;
	return i;
}

/* The last non-blank of code before i ((size_t)-1 at the start). */
static size_t back(const struct src *s, size_t i)
{
	while (i-- > 0)
		if (!space(s->code[i]))
			return i;
	return (size_t)-1;
}

/* The bracket that closes the one at i, or 0. */
static size_t match(const struct src *s, size_t i)
{
	char open = s->code[i], close = open == '(' ? ')' : open == '[' ? ']' : '}';
	int depth = 0;

	for (; i < s->len; i++)
		if (s->code[i] == open)
			depth++;
		else if (s->code[i] == close && !--depth)
			return i;
	return 0;
}

/* The brace that opens the one at i, or (size_t)-1. */
static size_t match_back(const struct src *s, size_t i)
{
	int depth = 0;

	for (;; i--) {
		if (s->code[i] == '}')
			depth++;
		else if (s->code[i] == '{' && !--depth)
			return i;
		if (!i)
			return (size_t)-1;
	}
}

/*
 * Step to the next identifier of code at file scope from *pos: *at and
 * *n give it.  Macro bodies, literals and comments are blank in code, so
 * braces there do not count.
 */
static bool next_global(const struct src *s, size_t *pos, int *depth,
			size_t *at, size_t *n)
{
	for (size_t i = *pos; i < s->len; i++) {
		char c = s->code[i];
		size_t e = i;

		if (c == '{' || c == '}') {
			*depth += c == '{' ? 1 : -1;
			continue;
		}
		if (!ident_char(c))
			continue;
		while (e < s->len && ident_char(s->code[e]))
			e++;
		if (*depth || !ident_start(c)) {
			i = e - 1;
			continue;
		}
		*at = i;
		*n = e - i;
		*pos = e;
		return true;
	}
	*pos = s->len;
	return false;
}

static bool is_word(const struct src *s, size_t at, size_t n, const char *w)
{
	return strlen(w) == n && !strncmp(s->code + at, w, n);
}

/* Whether [from, to) holds a preprocessor line: blank in code only. */
static bool has_directive(const struct src *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (s->code[i] == ' ' && !space(s->text[i]))
			return true;
	return false;
}

/* ---- finding a table ----------------------------------------------------- */

/* The identifier that ends before i, blanks skipped: its start, or -1. */
static size_t word_before(const struct src *s, size_t i, size_t *n)
{
	size_t e = back(s, i), w;

	if (e == (size_t)-1 || !ident_char(s->code[e]))
		return (size_t)-1;
	for (w = e; w > 0 && ident_char(s->code[w - 1]); w--)
		;
	*n = e + 1 - w;
	return w;
}

/* The members of the struct s typedefs as name, or NULL. */
static char *typedef_body(const struct src *s, const char *name, bool *oomed)
{
	size_t pos = 0, at, n;
	int depth = 0;

	while (next_global(s, &pos, &depth, &at, &n)) {
		size_t close = back(s, at), open, w, wn;
		char *body;

		if (!is_word(s, at, n, name) || close == (size_t)-1 ||
		    s->code[close] != '}' || s->code[skip(s, at + n)] != ';' ||
		    (open = match_back(s, close)) == (size_t)-1)
			continue;
		/* "typedef struct [tag] {" */
		w = word_before(s, open, &wn);
		if (w != (size_t)-1 && !is_word(s, w, wn, "struct"))
			w = word_before(s, w, &wn);
		if (w == (size_t)-1 || !is_word(s, w, wn, "struct") ||
		    (w = word_before(s, w, &wn)) == (size_t)-1 ||
		    !is_word(s, w, wn, "typedef"))
			continue;
		body = strndup(s->text + open + 1, close - open - 1);
		*oomed = !body;
		return body;
	}
	return NULL;
}

/* The arch's hypercall header: before 4.17 and after. */
static int arch_header(struct hc *hc, enum arch a, struct src **out)
{
	char rel[64];
	int ret;

	snprintf(rel, sizeof(rel), "xen/include/asm-%s/hypercall.h",
		 arch_name[a]);
	if ((ret = load(hc, rel, NULL, out)) || *out)
		return ret;
	snprintf(rel, sizeof(rel), "xen/arch/%s/include/asm/hypercall.h",
		 arch_name[a]);
	return load(hc, rel, NULL, out);
}

/*
 * Where a table's element struct is: the table's own file, its arch's
 * hypercall header, xen/hypercall.h.  Not finding it is not a failure
 * yet: a table of designated members does not need it.
 */
static int find_struct(struct hc *hc, struct table *t)
{
	struct src *files[3] = { t->src, NULL, NULL };
	bool oomed = false;
	int ret;

	if ((ret = arch_header(hc, t->spec->arch, &files[1])) ||
	    (ret = load(hc, "xen/include/xen/hypercall.h", NULL, &files[2])))
		return ret;
	for (int i = 0; i < 3 && !t->body && !oomed; i++)
		if (files[i])
			t->body = typedef_body(files[i], t->type, &oomed);
	return oomed ? oom(hc) : 0;
}

/*
 * Find "NAME[...] = {" at file scope in one of the spec's files.  1 when
 * none of them names the table at all; named but not found fails, so a
 * file we misread cannot pass for a tree without the table.
 */
static int find_table(struct hc *hc, const struct spec *spec, struct table *t)
{
	const char *named = NULL;

	for (int f = 0; f < 2 && spec->files[f]; f++) {
		size_t pos = 0, at, n;
		struct src *s;
		int depth = 0, ret;

		if ((ret = load(hc, spec->files[f], NULL, &s)))
			return ret;
		if (s && !named && strstr(s->code, spec->table))
			named = s->path;
		while (s && next_global(s, &pos, &depth, &at, &n)) {
			size_t i = skip(s, at + n), prev;

			if (!is_word(s, at, n, spec->table) || s->code[i] != '[' ||
			    !(i = match(s, i)) || s->code[i = skip(s, i + 1)] != '=' ||
			    s->code[i = skip(s, i + 1)] != '{')
				continue;
			t->spec = spec;
			t->src = s;
			t->open = i;
			if (!(t->close = match(s, i)))
				return fail(hc, "%s: %s has no end", s->path,
					    spec->table);
			prev = back(s, at);
			if (prev != (size_t)-1 && s->code[prev] == '}') {
				size_t open = match_back(s, prev);

				if (open == (size_t)-1)
					return fail(hc, "%s: cannot read the "
						    "type of %s", s->path,
						    spec->table);
				t->body = strndup(s->text + open + 1,
						  prev - open - 1);
				return t->body ? 0 : oom(hc);
			}
			if ((prev = word_before(s, at, &n)) == (size_t)-1)
				return fail(hc, "%s: cannot read the type of %s",
					    s->path, spec->table);
			if (!(t->type = strndup(s->code + prev, n)))
				return oom(hc);
			return find_struct(hc, t);
		}
	}
	return named ? fail(hc, "%s: cannot find where %s is defined", named,
			    spec->table)
		     : 1;
}

/* ---- the text the preprocessor reads ------------------------------------- */

enum dkind { D_IF, D_ELSE, D_ENDIF, D_DEFINE, D_UNDEF, D_OTHER };

struct dir {
	enum dkind kind;
	char *line;	/* continuation lines joined */
	size_t name, nlen;	/* the macro of a define or undef, in line */
	bool wanted;
};

static void dirs_release(struct xa_vec *dirs)
{
	for (size_t i = 0; i < dirs->len; i++)
		free(((struct dir *)dirs->data)[i].line);
	xa_vec_release(dirs);
}

/* The preprocessor lines of s before offset end, in order. */
static int read_dirs(const struct src *s, size_t end, struct xa_vec *dirs)
{
	static const struct {
		const char *w;
		enum dkind k;
	} words[] = { { "if", D_IF },	     { "ifdef", D_IF },
		      { "ifndef", D_IF },    { "elif", D_ELSE },
		      { "else", D_ELSE },    { "endif", D_ENDIF },
		      { "define", D_DEFINE }, { "undef", D_UNDEF } };

	for (size_t i = 0; i < s->len && i < end;) {
		size_t e = line_end(s->text, s->len, i), h, w, n = 0;
		struct xa_buf buf;
		struct dir *d;
		char *line;

		if (!directive(s->text, i, e, &h)) {
			i = e + 1;
			continue;
		}
		i = e + 1;
		xa_buf_init(&buf);
		for (size_t k = h; k < e; k++) {
			if (s->text[k] == '\\' && k + 1 < e && s->text[k + 1] == '\n')
				continue;
			xa_buf_add(&buf, s->text[k] == '\n' ? " " : &s->text[k], 1);
		}
		if (!(line = xa_buf_detach(&buf)))
			return -1;
		if (!(d = xa_vec_push(dirs))) {
			free(line);
			return -1;
		}
		d->line = line;
		d->kind = D_OTHER;
		for (w = 1; blank(d->line[w]); w++)
			;
		while (ident_char(d->line[w + n]))
			n++;
		for (size_t k = 0; k < XA_ARRAY_SIZE(words); k++)
			if (strlen(words[k].w) == n &&
			    !strncmp(d->line + w, words[k].w, n))
				d->kind = words[k].k;
		if (d->kind != D_DEFINE && d->kind != D_UNDEF)
			continue;
		for (w += n; blank(d->line[w]); w++)
			;
		d->name = w;
		while (ident_char(d->line[w]))
			w++;
		d->nlen = w - d->name;
	}
	return 0;
}

/*
 * What the table's text uses: the names in it and in the macros it uses,
 * and the halves a macro pastes with ## ("do_ ## x" makes any do_* macro
 * count: HVM's "#define do_memory_op hvm_memory_op").
 */
struct used {
	struct xa_vec names, prefixes, suffixes;	/* char * */
};

static bool is_used(const struct used *u, const char *s, size_t n)
{
	char *const *v;

	if (has_str(&u->names, s, n))
		return true;
	v = u->prefixes.data;
	for (size_t i = 0; i < u->prefixes.len; i++)
		if (strlen(v[i]) <= n && !strncmp(v[i], s, strlen(v[i])))
			return true;
	v = u->suffixes.data;
	for (size_t i = 0; i < u->suffixes.len; i++)
		if (strlen(v[i]) <= n &&
		    !strncmp(v[i], s + n - strlen(v[i]), strlen(v[i])))
			return true;
	return false;
}

/* Add what a wanted #define's text (after its name) uses. */
static int use_macro(struct used *u, const char *rest)
{
	struct xa_vec params;
	const char *body = rest;
	int ret = -1;

	xa_vec_init(&params, sizeof(char *));
	if (*rest == '(') {
		body = strchr(rest, ')');
		body = body ? body + 1 : rest + strlen(rest);
		if (add_idents(&params, rest, body - rest, ""))
			goto out;
	}
	for (const char *p = body; *p;) {
		const char *e = p, *l, *r;

		if (!ident_start(*p) || (p > body && ident_char(p[-1]))) {
			p++;
			continue;
		}
		while (ident_char(*e))
			e++;
		for (l = p; l > body && blank(l[-1]); l--)
			;
		for (r = e; blank(*r); r++)
			;
		if (!has_str(&params, p, e - p) &&
		    (add_str(&u->names, p, e - p) ||
		     (!strncmp(r, "##", 2) && add_str(&u->prefixes, p, e - p)) ||
		     (l - body >= 2 && !strncmp(l - 2, "##", 2) &&
		      add_str(&u->suffixes, p, e - p))))
			goto out;
		p = e;
	}
	ret = 0;
out:
	strs_release(&params);
	return ret;
}

/*
 * The table's preamble: the #defines and #undefs of its file before it
 * that its text uses, directly or through one another, in the
 * conditionals around them.  Conditionals with nothing wanted inside are
 * dropped; those still open where the table starts stay open around it.
 */
static int build_preamble(struct hc *hc, struct table *t)
{
	struct xa_vec dirs;
	struct used u;
	struct dir *d;
	size_t stack[64];
	bool keep[64];
	unsigned int depth = 0;
	bool grew = true;
	int ret = -1;

	xa_vec_init(&dirs, sizeof(struct dir));
	xa_vec_init(&u.names, sizeof(char *));
	xa_vec_init(&u.prefixes, sizeof(char *));
	xa_vec_init(&u.suffixes, sizeof(char *));
	if (read_dirs(t->src, t->open, &dirs) ||
	    add_idents(&u.names, t->src->text + t->open,
		       t->close + 1 - t->open, ""))
		goto out;
	d = dirs.data;
	while (grew) {
		grew = false;
		for (size_t i = 0; i < dirs.len; i++) {
			if (d[i].kind != D_DEFINE || d[i].wanted ||
			    !is_used(&u, d[i].line + d[i].name, d[i].nlen))
				continue;
			d[i].wanted = grew = true;
			if (use_macro(&u, d[i].line + d[i].name + d[i].nlen))
				goto out;
		}
	}
	for (size_t i = 0; i < dirs.len; i++) {
		switch (d[i].kind) {
		case D_IF:
			if (depth == XA_ARRAY_SIZE(stack)) {
				ret = fail(hc, "%s: conditionals nest too deep",
					   t->src->path);
				goto out;
			}
			stack[depth] = t->pre.len;
			keep[depth++] = false;
			break;
		case D_ELSE:
		case D_ENDIF:
			if (!depth) {
				ret = fail(hc, "%s: unbalanced '%s'",
					   t->src->path, d[i].line);
				goto out;
			}
			if (d[i].kind == D_ELSE)
				break;
			if (!keep[--depth]) {
				t->pre.len = stack[depth];
				if (t->pre.s)
					t->pre.s[t->pre.len] = '\0';
				continue;
			}
			if (depth)
				keep[depth - 1] = true;
			break;
		case D_UNDEF:
			d[i].wanted = is_used(&u, d[i].line + d[i].name,
					      d[i].nlen);
			/* fall through */
		case D_DEFINE:
			if (!d[i].wanted)
				continue;
			if (add_str(&t->defined, d[i].line + d[i].name,
				    d[i].nlen))
				goto out;
			if (depth)
				keep[depth - 1] = true;
			break;
		default:
			continue;
		}
		xa_buf_printf(&t->pre, "%s\n", d[i].line);
	}
	t->unclosed = depth;
	ret = t->pre.oom ? -1 : 0;
out:
	dirs_release(&dirs);
	strs_release(&u.names);
	strs_release(&u.prefixes);
	strs_release(&u.suffixes);
	return ret < 0 ? oom(hc) : ret;
}

/* The CONFIG_ names of the table's text that are features. */
static int find_features(struct table *t)
{
	struct xa_vec names;
	char **v;
	int ret = -1;

	xa_vec_init(&names, sizeof(char *));
	if (add_idents(&names, t->pre.s ? t->pre.s : "", t->pre.len, "CONFIG_") ||
	    add_idents(&names, t->src->text + t->open, t->close + 1 - t->open,
		       "CONFIG_") ||
	    (t->body && add_idents(&names, t->body, strlen(t->body), "CONFIG_")))
		goto out;
	v = names.data;
	for (size_t i = 0; i < names.len; i++)
		if (!listed(guest_opts[X86], v[i], strlen(v[i])) &&
		    !listed(guest_opts[ARM], v[i], strlen(v[i])) &&
		    !listed(never, v[i], strlen(v[i])) &&
		    add_str(&t->features, v[i], strlen(v[i])))
			goto out;
	ret = 0;
out:
	strs_release(&names);
	return ret;
}

/*
 * Each table under each reading, in one file for one compiler run.  Each
 * part starts from nothing defined that any part defines, and is cut out
 * of the output by marker names: struct members, then the table.
 */
static int write_readings(struct hc *hc, const char *path, struct table *t,
			  size_t ntabs)
{
	struct xa_vec undef;
	FILE *f;
	int ret = -1;

	xa_vec_init(&undef, sizeof(char *));
	for (size_t k = 0; k < ntabs; k++)
		for (size_t j = 0; j < 2; j++) {
			struct xa_vec *v = j ? &t[k].features : &t[k].defined;

			for (size_t i = 0; i < v->len; i++) {
				const char *s = ((char **)v->data)[i];

				if (add_str(&undef, s, strlen(s)))
					goto out;
			}
		}
	for (int a = 0; a < NARCH; a++)
		for (int i = 0; guest_opts[a][i]; i++)
			if (add_str(&undef, guest_opts[a][i],
				    strlen(guest_opts[a][i])))
				goto out;
	for (int i = 0; never[i]; i++)
		if (add_str(&undef, never[i], strlen(never[i])))
			goto out;
	if (!(f = fopen(path, "w"))) {
		ret = xa_error(hc->ctx, XENABI_EIO, "cannot write '%s': %s",
			       path, strerror(errno));
		goto out;
	}
	for (size_t k = 0; k < ntabs; k++)
		for (int r = 0; r < 2; r++) {
			char **u = undef.data, **feat = t[k].features.data;
			const char *const *opt = guest_opts[t[k].spec->arch];

			for (size_t i = 0; i < undef.len; i++)
				fprintf(f, "#undef %s\n", u[i]);
			for (size_t i = 0; opt[i]; i++)
				fprintf(f, "#define %s 1\n", opt[i]);
			for (size_t i = 0; !r && i < t[k].features.len; i++)
				fprintf(f, "#define %s 1\n", feat[i]);
			fprintf(f, "xa_hcold_struct_%zu_%d\n%s\n", k, r,
				t[k].body ? t[k].body : "");
			fprintf(f, "xa_hcold_table_%zu_%d\n%s\n%.*s\n", k, r,
				t[k].pre.s ? t[k].pre.s : "",
				(int)(t[k].close + 1 - t[k].open),
				t[k].src->text + t[k].open);
			for (unsigned int i = 0; i < t[k].unclosed; i++)
				fputs("#endif\n", f);
			fprintf(f, "xa_hcold_end_%zu_%d\n", k, r);
		}
	ret = ferror(f) ? xa_error(hc->ctx, XENABI_EIO, "cannot write '%s'",
				   path)
			: 0;
	if (fclose(f) && !ret)
		ret = xa_error(hc->ctx, XENABI_EIO, "cannot write '%s': %s",
			       path, strerror(errno));
out:
	strs_release(&undef);
	return ret == -1 ? oom(hc) : ret;
}

/* ---- reading the preprocessor's output ----------------------------------- */

struct tok {
	const char *s;
	size_t n;
};

static int tokenise(const char *s, struct xa_vec *toks)
{
	while (*s) {
		struct tok *t;
		size_t n = 1;

		if (space(*s)) {
			s++;
			continue;
		}
		if (ident_char(*s)) {
			while (ident_char(s[n]) || (s[n] == '.' && !ident_start(*s)))
				n++;
		} else if (*s == '"' || *s == '\'') {
			while (s[n] && s[n] != *s && s[n] != '\n')
				n += s[n] == '\\' && s[n + 1] ? 2 : 1;
			n += s[n] == *s;
		}
		if (!(t = xa_vec_push(toks)))
			return -1;
		t->s = s;
		t->n = n;
		s += n;
	}
	return 0;
}

static bool tok_is(const struct tok *t, const char *w)
{
	return t->n == strlen(w) && !strncmp(t->s, w, t->n);
}

static bool tok_ident(const struct tok *t)
{
	return ident_start(*t->s);
}

/* Where the marker name is in toks[from..n), or n. */
static size_t find_marker(const struct tok *toks, size_t from, size_t n,
			  const char *what, size_t k, int r)
{
	char name[64];

	snprintf(name, sizeof(name), "xa_hcold_%s_%zu_%d", what, k, r);
	for (size_t i = from; i < n; i++)
		if (tok_is(&toks[i], name))
			return i;
	return n;
}

/* The index of the bracket closing the one at i, below end; or end. */
static size_t tok_match(const struct tok *toks, size_t i, size_t end)
{
	int depth = 0;

	for (; i < end; i++) {
		char c = *toks[i].s;

		if (toks[i].n != 1)
			continue;
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if ((c == ')' || c == ']' || c == '}') && !--depth)
			return i;
	}
	return end;
}

/*
 * The member names of a struct, in order: in each declarator the first
 * name that a declarator can end with ("hypercall_fn_t *native, *compat;"
 * gives native and compat).
 */
static int read_fields(struct hc *hc, struct table *t, const struct tok *tk,
		       size_t from, size_t to, struct xa_vec *fields)
{
	bool named = false;
	int paren = 0;

	for (size_t i = from; i < to; i++) {
		char c = *tk[i].s;

		if (tk[i].n == 1 && (c == '{' || c == '}'))
			return fail(hc, "%s: cannot read the members of %s",
				    t->src->path, t->type ? t->type : t->spec->table);
		if (tk[i].n == 1 && (c == '(' || c == ')')) {
			paren += c == '(' ? 1 : -1;
			continue;
		}
		if (tk[i].n == 1 && !paren && (c == ',' || c == ';')) {
			if (!named)
				return fail(hc, "%s: cannot read the members "
					    "of %s", t->src->path,
					    t->type ? t->type : t->spec->table);
			named = false;
			continue;
		}
		if (named || paren > 1 || !tok_ident(&tk[i]))
			continue;
		if (i + 1 == to || tok_is(&tk[i + 1], ",") ||
		    tok_is(&tk[i + 1], ";") || tok_is(&tk[i + 1], ")") ||
		    tok_is(&tk[i + 1], "[") || tok_is(&tk[i + 1], ":")) {
			char **slot = xa_vec_push(fields);

			if (!slot || !(*slot = strndup(tk[i].s, tk[i].n)))
				return oom(hc);
			named = true;
		}
	}
	return 0;
}

static int add_entry(struct hc *hc, struct table *t, int r,
		     const struct tok *name, const char *field,
		     const struct tok *handler)
{
	const struct spec *sp = t->spec;
	struct entry *e = t->got[r].data;
	enum xa_guest_kind kind;
	int j = 0;

	while (j < 2 && !(sp->fields[j] && !strcmp(sp->fields[j], field)))
		j++;
	if (j == 2)
		return fail(hc, "%s: %s has a member %s we do not know",
			    t->src->path, sp->table, field);
	kind = sp->kinds[j];
	for (size_t i = 0; i < t->got[r].len; i++)
		if (e[i].kind == kind && strlen(e[i].name) == name->n &&
		    !strncmp(e[i].name, name->s, name->n))
			return fail(hc, "%s: %s sets %s twice", t->src->path,
				    sp->table, e[i].name);
	if (!(e = xa_vec_push(&t->got[r])))
		return oom(hc);
	e->kind = kind;
	if (!(e->name = strndup(name->s, name->n)) ||
	    !(e->handler = strndup(handler->s, handler->n)))
		return oom(hc);
	return 0;
}

/*
 * One reading of a table: "{ [ __HYPERVISOR_x ] = { inits }, ... }", each
 * init "[.member =] [(cast)] [&] handler"; positional inits take the
 * struct's members in order, as C does.
 */
static int read_table(struct hc *hc, struct table *t, int r,
		      const struct tok *tk, size_t from, size_t to,
		      const struct xa_vec *fields)
{
	const char *path = t->src->path, *table = t->spec->table;
	size_t i = from;

	if (from == to)
		return 0;	/* the table is not in this build */
	if (!tok_is(&tk[from], "{") || tok_match(tk, from, to) != to - 1)
		return fail(hc, "%s: cannot read %s", path, table);
	for (i = from + 1; i < to - 1;) {
		struct tok name;
		size_t end, pos = 0;

		if (i + 5 >= to || !tok_is(&tk[i], "[") || !tok_ident(&tk[i + 1]) ||
		    tk[i + 1].n <= 13 || strncmp(tk[i + 1].s, "__HYPERVISOR_", 13) ||
		    !tok_is(&tk[i + 2], "]") || !tok_is(&tk[i + 3], "=") ||
		    !tok_is(&tk[i + 4], "{"))
			return fail(hc, "%s: cannot read %s at '%.*s'", path,
				    table, (int)tk[i].n, tk[i].s);
		name.s = tk[i + 1].s + 13;
		name.n = tk[i + 1].n - 13;
		end = tok_match(tk, i + 4, to);
		for (i += 5; i < end;) {
			const char *field;
			char dot[64];

			if (tok_is(&tk[i], ".") && i + 2 < end &&
			    tok_ident(&tk[i + 1]) && tok_is(&tk[i + 2], "=")) {
				snprintf(dot, sizeof(dot), "%.*s",
					 (int)tk[i + 1].n, tk[i + 1].s);
				field = dot;
				pos = 0;
				while (pos < fields->len &&
				       strcmp(((char **)fields->data)[pos], dot))
					pos++;
				pos++;
				i += 3;
			} else if (pos < fields->len) {
				field = ((char **)fields->data)[pos++];
			} else {
				return fail(hc, "%s: cannot tell which member "
					    "of %s's elements %.*s sets",
					    path, table, (int)name.n, name.s);
			}
			if (t->spec->other && !strcmp(field, t->spec->other)) {
				while (i < end && !tok_is(&tk[i], ","))
					i = tok_is(&tk[i], "(")
						    ? tok_match(tk, i, end) + 1
						    : i + 1;
			} else {
				int ret;

				if (tok_is(&tk[i], "("))
					i = tok_match(tk, i, end) + 1;
				if (i < end && tok_is(&tk[i], "&"))
					i++;
				if (i >= end || !tok_ident(&tk[i]) ||
				    (i + 1 < end && !tok_is(&tk[i + 1], ",")))
					return fail(hc, "%s: cannot read the "
						    "handler of %.*s in %s",
						    path, (int)name.n,
						    name.s, table);
				if ((ret = add_entry(hc, t, r, &name, field,
						     &tk[i])))
					return ret;
				i++;
			}
			if (i < end)
				i++;	/* the comma */
		}
		i = end + 1;
		if (i < to - 1 && tok_is(&tk[i], ","))
			i++;
	}
	return 0;
}

/* Run the preprocessor once over every reading and read them. */
static int read_all(struct hc *hc, struct table *t, size_t ntabs)
{
	static const char *const none[] = { NULL };
	struct xa_vec toks;
	char *dir = NULL, *path = NULL, *out = NULL;
	int ret;

	xa_vec_init(&toks, sizeof(struct tok));
	if ((ret = xa_tmpdir(hc->ctx, &dir)))
		return ret;
	if (asprintf(&path, "%s/hcold.c", dir) < 0) {
		path = NULL;
		ret = oom(hc);
		goto out;
	}
	if ((ret = write_readings(hc, path, t, ntabs)))
		goto out;
	ret = xa_hcall_cpp(hc->ctx, path, none, &out);
	if (ret == 1) {
		ret = fail(hc, "the hypercall tables do not preprocess: %s",
			   out);
		goto out;
	}
	if (ret)
		goto out;
	if (tokenise(out, &toks)) {
		ret = oom(hc);
		goto out;
	}
	for (size_t k = 0, at = 0; k < ntabs && !ret; k++)
		for (int r = 0; r < 2 && !ret; r++) {
			const struct tok *tk = toks.data;
			size_t n = toks.len, s, b, e;
			struct xa_vec fields;

			s = find_marker(tk, at, n, "struct", k, r);
			b = find_marker(tk, s, n, "table", k, r);
			e = find_marker(tk, b, n, "end", k, r);
			if (e == n) {
				ret = fail(hc, "%s: the preprocessor lost %s",
					   t[k].src->path, t[k].spec->table);
				break;
			}
			xa_vec_init(&fields, sizeof(char *));
			ret = read_fields(hc, &t[k], tk, s + 1, b, &fields);
			if (!ret)
				ret = read_table(hc, &t[k], r, tk, b + 1, e,
						 &fields);
			strs_release(&fields);
			at = e + 1;
		}
out:
	xa_vec_release(&toks);
	free(out);
	xa_rmdir(dir);
	free(dir);
	free(path);
	return ret;
}

/* ---- prototypes ---------------------------------------------------------- */

/* Words of a declaration before its name that are not its return type. */
static const char *const storage[] = { "extern", "static", "inline",
				       "__inline", "__inline__", NULL };
/*
 * Xen's function attributes (xen/include/xen/compiler.h), not part of the
 * return type: "extern long cf_check do_memory_op(...)" returns long
 * (cf_check marks indirect-call targets for CET, in 4.17's development).
 */
static const char *const attributes[] = { "cf_check", "__must_check",
					  "__init", "__cold", "noinline",
					  "always_inline", NULL };
/* Words that make it no declaration at all. */
static const char *const not_decl[] = { "typedef", "return", "else", "case",
					"goto",	   "do",     "sizeof", NULL };

/*
 * A declaration or definition of name at file scope in s, found at at:
 * "[extern|static] RETTYPE NAME(PARAMS);" or "... NAME(PARAMS) {".
 * 0 with *rettype NULL when that is no declaration (a call, a typedef).
 */
static int read_decl(struct hc *hc, const struct src *s, size_t at, size_t n,
		     char **rettype, char **params)
{
	struct xa_buf type;
	size_t open = skip(s, at + n), close, first = at, words[16][2];
	size_t nwords = 0;
	char *raw;

	*rettype = *params = NULL;
	if (s->code[open] != '(' || !(close = match(s, open)))
		return 0;
	if (s->code[skip(s, close + 1)] != ';' && s->code[skip(s, close + 1)] != '{')
		return 0;
	for (size_t i = back(s, at); i != (size_t)-1; i = back(s, i)) {
		size_t w = i;

		if (s->code[i] == ';' || s->code[i] == '{' || s->code[i] == '}')
			break;
		if (s->code[i] != '*' && !ident_char(s->code[i]))
			return 0;
		while (s->code[i] != '*' && w > 0 && ident_char(s->code[w - 1]))
			w--;
		if (nwords == XA_ARRAY_SIZE(words))
			return 0;
		words[nwords][0] = w;
		words[nwords++][1] = i + 1 - w;
		first = i = w;
	}
	if (has_directive(s, first, close))
		return fail(hc, "%s: a preprocessor line inside the prototype "
			    "of %.*s", s->path, (int)n, s->code + at);
	xa_buf_init(&type);
	while (nwords--) {
		const char *w = s->code + words[nwords][0];
		size_t wn = words[nwords][1];

		if (listed(not_decl, w, wn)) {
			xa_buf_release(&type);
			return 0;
		}
		if (listed(storage, w, wn) || listed(attributes, w, wn))
			continue;
		if (type.len)
			xa_buf_puts(&type, " ");
		xa_buf_add(&type, w, wn);
	}
	if (!type.len && !type.oom) {
		xa_buf_release(&type);
		return 0;
	}
	if (!(*rettype = xa_buf_detach(&type)))
		return oom(hc);
	if ((raw = strndup(s->text + open + 1, close - open - 1))) {
		for (char *p = raw; *p; p++)
			if (space(*p))
				*p = ' ';
		*params = xa_hcall_params(raw);
		free(raw);
	}
	if (!*params) {
		free(*rettype);
		*rettype = NULL;
		return oom(hc);
	}
	return 0;
}

/* Whether s #defines name: then the handler is some other function. */
static bool defines(const struct src *s, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < s->len;) {
		size_t e = line_end(s->text, s->len, i), h, w;

		if (directive(s->text, i, e, &h)) {
			for (w = h + 1; w < e && blank(s->text[w]); w++)
				;
			if (e - w > 6 && !strncmp(s->text + w, "define", 6) &&
			    blank(s->text[w + 6])) {
				for (w += 6; w < e && blank(s->text[w]); w++)
					;
				if (e - w >= n && !strncmp(s->text + w, name, n) &&
				    (w + n == e || !ident_char(s->text[w + n])))
					return true;
			}
		}
		i = e + 1;
	}
	return false;
}

/*
 * Add the declarations of p->handler in s to p; every one must agree.
 * A file that makes the name a macro fails (not the table's file: its
 * macros before the table were applied by the preprocessor).
 */
static int decls_in(struct hc *hc, const struct table *t, const struct src *s,
		    struct proto *p)
{
	size_t pos = 0, at, n;
	int depth = 0, ret;

	if (s != t->src && defines(s, p->handler))
		return fail(hc, "%s: %s is a macro in %s", t->src->path,
			    p->handler, s->path);
	while (next_global(s, &pos, &depth, &at, &n)) {
		char *rettype, *params;

		if (!is_word(s, at, n, p->handler))
			continue;
		if ((ret = read_decl(hc, s, at, n, &rettype, &params)))
			return ret;
		if (!rettype)
			continue;
		if (!p->rettype) {
			p->rettype = rettype;
			p->params = params;
			continue;
		}
		ret = strcmp(p->rettype, rettype) || strcmp(p->params, params);
		if (ret)
			ret = fail(hc, "%s: conflicting prototypes for %s: "
				   "%s (%s) and %s (%s) in %s",
				   t->src->path, p->handler, p->rettype,
				   p->params, rettype, params, s->path);
		free(rettype);
		free(params);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The last step of the search: headers that declare a handler the tables
 * name and the first three places do not.  A fixed list, so that a scan
 * of a directory and of a git revision read the same files, all of them
 * in the tree's hash (lib/source.c lists them too).
 */
static const char *const other_headers[] = {
	/* paging_domctl_continuation, the x86 tables' arch_1, 4.8-4.16 */
	"xen/include/asm-x86/paging.h",
};

/*
 * The prototype of a handler of t, searched for in this order, the first
 * place with a declaration winning: the table's own file (static
 * handlers), xen/hypercall.h, the arch's hypercall header, then
 * other_headers.
 */
static int find_proto(struct hc *hc, struct table *t, struct proto *p)
{
	struct src *s, *steps[3] = { t->src, NULL, NULL };
	int ret;

	if ((ret = load(hc, "xen/include/xen/hypercall.h", NULL, &steps[1])) ||
	    (ret = arch_header(hc, t->spec->arch, &steps[2])))
		return ret;
	/* Those two are included wherever a table is: a macro there counts. */
	for (int i = 1; i < 3; i++)
		if (steps[i] && defines(steps[i], p->handler))
			return fail(hc, "%s: %s is a macro in %s", t->src->path,
				    p->handler, steps[i]->path);
	for (int i = 0; i < 3 && !p->rettype; i++)
		if (steps[i] && (ret = decls_in(hc, t, steps[i], p)))
			return ret;
	if (p->rettype)
		return 0;
	for (size_t i = 0; !ret && !p->rettype && i < XA_ARRAY_SIZE(other_headers);
	     i++)
		if (!(ret = load(hc, other_headers[i], p->handler, &s)) && s)
			ret = decls_in(hc, t, s, p);
	if (!ret && !p->rettype)
		ret = fail(hc, "%s: no prototype found for %s", t->src->path,
			   p->handler);
	return ret;
}

static int get_proto(struct hc *hc, struct table *t, const char *handler,
		     const struct proto **out)
{
	struct proto *p = t->protos.data;
	int ret;

	for (size_t i = 0; i < t->protos.len; i++)
		if (!strcmp(p[i].handler, handler)) {
			*out = &p[i];
			return 0;
		}
	if (!(p = xa_vec_push(&t->protos)) || !(p->handler = strdup(handler)))
		return oom(hc);
	if ((ret = find_proto(hc, t, p)))
		return ret;
	*out = p;
	return 0;
}

/* ---- cells --------------------------------------------------------------- */

static const struct entry *find_entry(const struct xa_vec *v,
				      const struct entry *like)
{
	const struct entry *e = v->data;

	for (size_t i = 0; i < v->len; i++)
		if (e[i].kind == like->kind && !strcmp(e[i].name, like->name))
			return &e[i];
	return NULL;
}

/*
 * The cells of the full reading; one the minimal reading lacks is
 * optional.  One only the minimal reading has, or has with another
 * handler, is a cell no one build has the same way: not ours to guess.
 */
static int emit(struct hc *hc, struct table *t, struct xa_vec *cells)
{
	const struct entry *full = t->got[0].data, *min = t->got[1].data;

	for (size_t i = 0; i < t->got[1].len; i++) {
		const struct entry *f = find_entry(&t->got[0], &min[i]);

		if (!f || strcmp(f->handler, min[i].handler))
			return fail(hc, "%s: %s (%s) is %s only in a build "
				    "without some feature", t->src->path,
				    min[i].name, xa_guest_kind_name(min[i].kind),
				    min[i].handler);
	}
	for (size_t i = 0; i < t->got[0].len; i++) {
		const struct proto *p = NULL;
		struct xa_hcall_cell *c;
		int ret;

		if ((ret = get_proto(hc, t, full[i].handler, &p)))
			return ret;
		if (!(c = xa_vec_push(cells)))
			return oom(hc);
		c->kind = full[i].kind;
		c->optional = !find_entry(&t->got[1], &full[i]);
		if (!(c->name = strdup(full[i].name)) ||
		    !(c->handler = strdup(full[i].handler)) ||
		    !(c->rettype = strdup(p->rettype)) ||
		    !(c->params = strdup(p->params)) ||
		    !(c->file = strdup(t->src->path)))
			return oom(hc);
	}
	return 0;
}

static void table_release(struct table *t)
{
	struct proto *p = t->protos.data;

	for (int r = 0; r < 2; r++) {
		struct entry *e = t->got[r].data;

		for (size_t i = 0; i < t->got[r].len; i++) {
			free(e[i].name);
			free(e[i].handler);
		}
		xa_vec_release(&t->got[r]);
	}
	for (size_t i = 0; i < t->protos.len; i++) {
		free(p[i].handler);
		free(p[i].rettype);
		free(p[i].params);
	}
	xa_vec_release(&t->protos);
	strs_release(&t->defined);
	strs_release(&t->features);
	xa_buf_release(&t->pre);
	free(t->body);
	free(t->type);
}

int xa_hcall_read_tables(struct xenabi_ctx *ctx, const char *top,
			 struct xa_vec *cells, char **failure)
{
	struct hc hc = { .ctx = ctx, .top = top };
	struct table tabs[NSPECS];
	size_t ntabs = 0, start = cells->len;
	int ret = 0;

	*failure = NULL;
	memset(tabs, 0, sizeof(tabs));
	for (size_t k = 0; k < NSPECS; k++) {
		xa_vec_init(&tabs[k].defined, sizeof(char *));
		xa_vec_init(&tabs[k].features, sizeof(char *));
		xa_vec_init(&tabs[k].got[0], sizeof(struct entry));
		xa_vec_init(&tabs[k].got[1], sizeof(struct entry));
		xa_vec_init(&tabs[k].protos, sizeof(struct proto));
	}
	xa_vec_init(&hc.files, sizeof(struct src *));
	if ((ret = exists(&hc, "xen/include/hypercall-defs.c")))
		return ret;
	for (size_t k = 0; k < NSPECS && !ret; k++) {
		const struct spec *sp = &specs[k];

		ret = find_table(&hc, sp, &tabs[ntabs]);
		if (!ret) {
			ntabs++;
			continue;
		}
		if (ret != 1 || hc.failure)
			break;
		/*
		 * No PV table in C: Xen before 4.8 keeps it in assembly
		 * (entry.S), and a tree with only some of its tables
		 * would say guests lack the others' hypercalls.
		 */
		if (sp == &specs[0])
			goto out;
		if (sp->arch == ARM && !(ret = exists(&hc, "xen/arch/arm")))
			continue;
		if (ret > 0)
			ret = fail(&hc, "%s: no %s found", sp->files[0],
				   sp->table);
	}
	for (size_t k = 0; k < ntabs && !ret; k++) {
		if (!(ret = build_preamble(&hc, &tabs[k])) &&
		    find_features(&tabs[k]))
			ret = oom(&hc);
	}
	if (!ret)
		ret = read_all(&hc, tabs, ntabs);
	for (size_t k = 0; k < ntabs && !ret; k++)
		ret = emit(&hc, &tabs[k], cells);
	if (!ret)
		ret = xa_hcall_number_aliases(ctx, top, cells, start);
out:
	if (ret == FAILED && hc.failure) {
		*failure = hc.failure;
		hc.failure = NULL;
		ret = 0;
	}
	if (ret || *failure)
		xa_hcall_cells_truncate(cells, start);
	for (size_t k = 0; k < NSPECS; k++)
		table_release(&tabs[k]);
	for (size_t i = 0; i < hc.files.len; i++)
		src_free(((struct src **)hc.files.data)[i]);
	xa_vec_release(&hc.files);
	free(hc.failure);
	return ret;
}
