/* SPDX-License-Identifier: MIT */
/*
 * hypercall: the table of which handler each kind of guest reaches for
 * each hypercall, read from a Xen tree's own description of it.  Xen 4.17
 * on describes it in xen/include/hypercall-defs.c, which its build
 * preprocesses with the configuration and feeds to gen_hypercall.awk; we
 * preprocess it with the compiler under a full and a minimal
 * configuration and read the result the way that script does.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "xa.h"

static const char *const guest_kind_names[XA_GUEST_COUNT] = {
	[XA_GUEST_PV32] = "pv32",   [XA_GUEST_PV64] = "pv64",
	[XA_GUEST_HVM32] = "hvm32", [XA_GUEST_HVM64] = "hvm64",
	[XA_GUEST_ARM] = "arm",
};

const char *xa_guest_kind_name(enum xa_guest_kind kind)
{
	return (unsigned)kind < XA_GUEST_COUNT ? guest_kind_names[kind] : NULL;
}

int xa_guest_kind_parse(const char *name)
{
	for (int k = 0; k < XA_GUEST_COUNT; k++)
		if (!strcmp(guest_kind_names[k], name))
			return k;
	return -1;
}

static void cell_release(struct xa_hcall_cell *c)
{
	free(c->name);
	free(c->number);
	free(c->handler);
	free(c->rettype);
	free(c->params);
	free(c->file);
}

void xa_hcall_cells_truncate(struct xa_vec *cells, size_t len)
{
	for (size_t i = len; i < cells->len; i++)
		cell_release((struct xa_hcall_cell *)cells->data + i);
	if (len < cells->len)
		cells->len = len;
}

void xa_hcall_cells_release(struct xa_vec *cells)
{
	xa_hcall_cells_truncate(cells, 0);
	xa_vec_release(cells);
}

/* Append s[0..n) with blank runs as one space, no blank at either end. */
static void add_collapsed(struct xa_buf *buf, const char *s, size_t n)
{
	bool blank = false;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i])) {
			blank = true;
			continue;
		}
		if (blank)
			xa_buf_add(buf, " ", 1);
		blank = false;
		xa_buf_add(buf, &s[i], 1);
	}
}

/* One parameter: "XEN_GUEST_HANDLE[_PARAM](T) name" becomes "T *name". */
static void add_param(struct xa_buf *buf, const char *p, size_t n)
{
	static const char *const handles[] = { "XEN_GUEST_HANDLE_PARAM(",
					       "XEN_GUEST_HANDLE(" };

	while (n && isspace((unsigned char)*p))
		p++, n--;
	for (size_t h = 0; h < XA_ARRAY_SIZE(handles); h++) {
		size_t hl = strlen(handles[h]);
		const char *close;

		if (n <= hl || strncmp(p, handles[h], hl))
			continue;
		close = memchr(p + hl, ')', n - hl);
		if (!close)
			break;
		add_collapsed(buf, p + hl, close - (p + hl));
		xa_buf_puts(buf, " *");
		n -= close + 1 - p;
		p = close + 1;
		while (n && isspace((unsigned char)*p))
			p++, n--;
		break;
	}
	add_collapsed(buf, p, n);
}

char *xa_hcall_params(const char *raw)
{
	struct xa_buf buf;
	const char *start = raw;
	int depth = 0;

	xa_buf_init(&buf);
	for (const char *s = raw;; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		else if (!*s || (*s == ',' && !depth)) {
			if (buf.len)
				xa_buf_puts(&buf, ", ");
			add_param(&buf, start, s - start);
			if (!*s)
				break;
			start = s + 1;
		}
	}
	if (!buf.oom && (!strcmp(buf.s ? buf.s : "", "void") || !buf.s)) {
		xa_buf_release(&buf);
		return strdup("");
	}
	return xa_buf_detach(&buf);
}

/*
 * The last outputs of the preprocessor, by what decided them: a table
 * changes in a few commits of a release cycle, and log reads it again
 * for each.  Its own lock: a scan's workers copy the context.
 */
#define CPP_MEMO_SIZE 4

struct xa_cpp_memo {
	pthread_mutex_t lock;
	char key[CPP_MEMO_SIZE][65];
	char *out[CPP_MEMO_SIZE];
	unsigned int next;	/* the slot the next output takes */
};

void xa_cpp_memo_free(struct xa_cpp_memo *memo)
{
	if (!memo)
		return;
	for (size_t i = 0; i < CPP_MEMO_SIZE; i++)
		free(memo->out[i]);
	pthread_mutex_destroy(&memo->lock);
	free(memo);
}

/*
 * Whether text may read another file: an #include, #import, #embed or
 * __has_include (a directive split across lines, or with a comment
 * before its name, counts as one).
 */
static bool may_include(const char *text, size_t len)
{
	const char *end = text + len;

	if (memmem(text, len, "__has_include", 13))
		return true;
	for (const char *p = text; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p < eol && *p == '#') {
			p++;
			while (p < eol && (*p == ' ' || *p == '\t'))
				p++;
			if (eol - p >= 6 && (!strncmp(p, "includ", 6) ||
					     !strncmp(p, "import", 6)))
				return true;
			if (eol - p >= 5 && !strncmp(p, "embed", 5))
				return true;
			/* Continued, or a comment before its name. */
			if ((eol > p && eol[-1] == '\\') || (p < eol && *p == '/'))
				return true;
		}
		p = eol + 1;
	}
	return false;
}

/*
 * The key of argv's output when file includes nothing (then its text and
 * argv are all that decide it); false when it may include a file.
 */
static bool cpp_key(char *const *argv, const char *file, char key[65])
{
	struct sha256_ctx sha;
	struct xa_buf buf;
	FILE *f = fopen(file, "r");
	bool ok;

	if (!f)
		return false;
	xa_buf_init(&buf);
	ok = xa_buf_read(&buf, f) && !buf.oom && buf.s &&
	     !may_include(buf.s, buf.len);
	fclose(f);
	if (ok) {
		sha256_init(&sha);
		for (size_t i = 0; argv[i]; i++)
			if (argv[i] != file)
				xa_sha256_str(&sha, argv[i]);
		sha256_update(&sha, buf.len, (const uint8_t *)buf.s);
		xa_sha256_hex(&sha, key);
	}
	xa_buf_release(&buf);
	return ok;
}

static struct xa_cpp_memo *memo_new(void)
{
	struct xa_cpp_memo *memo = calloc(1, sizeof(*memo));

	if (memo)
		pthread_mutex_init(&memo->lock, NULL);
	return memo;
}

/* A copy of the output kept for key, or NULL. */
static char *memo_get(struct xa_cpp_memo *memo, const char key[65])
{
	char *out = NULL;

	pthread_mutex_lock(&memo->lock);
	for (size_t i = 0; i < CPP_MEMO_SIZE && !out; i++)
		if (memo->out[i] && !strcmp(memo->key[i], key))
			out = strdup(memo->out[i]);
	pthread_mutex_unlock(&memo->lock);
	return out;
}

/* Keep a copy of out for key, in place of the oldest; none without memory. */
static void memo_put(struct xa_cpp_memo *memo, const char key[65],
		     const char *out)
{
	char *copy = strdup(out);

	if (!copy)
		return;
	pthread_mutex_lock(&memo->lock);
	free(memo->out[memo->next]);
	memo->out[memo->next] = copy;
	memcpy(memo->key[memo->next], key, 65);
	memo->next = (memo->next + 1) % CPP_MEMO_SIZE;
	pthread_mutex_unlock(&memo->lock);
}

int xa_hcall_cpp(struct xenabi_ctx *ctx, const char *file,
		 const char *const *defines, char **out)
{
	/* The compiler the probes use (lib/probe.c): the same choice. */
	const char *cc = ctx->compiler ? ctx->compiler : getenv("XENABI_CC");
	const char *fixed[] = { cc && *cc ? cc : "clang", "-E", "-P", "-undef",
				"-w", "-x", "c" };
	size_t n = 0, cap = XA_ARRAY_SIZE(fixed) + 2;
	char **argv, key[65];
	struct xa_run run;
	bool memo;
	int ret;

	*out = NULL;
	for (size_t i = 0; defines && defines[i]; i++)
		cap++;
	argv = calloc(cap + 1, sizeof(*argv));
	if (!argv)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (size_t i = 0; i < XA_ARRAY_SIZE(fixed); i++)
		argv[n++] = (char *)fixed[i];
	for (size_t i = 0; defines && defines[i]; i++)
		if (asprintf(&argv[n++], "-D%s", defines[i]) < 0) {
			argv[--n] = NULL;
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
	argv[n++] = (char *)file;
	memo = cpp_key(argv, file, key) &&
	       (ctx->cpp_memo || (ctx->cpp_memo = memo_new()));
	if (memo && (*out = memo_get(ctx->cpp_memo, key))) {
		ret = 0;
		goto out;
	}
	ret = xa_cc_run(ctx, argv, true, &run);
	if (ret == 1) {
		xa_cc_count_alone();
		ret = xa_run(ctx, argv, NULL, true, XENABI_ECOMPILER,
			     "install clang (apt-get install clang) or set XENABI_CC",
			     &run);
	}
	if (ret)
		goto out;
	if (run.status) {
		/* The file's fault, not ours: the caller records it. */
		*out = strndup(run.err, strcspn(run.err, "\n"));
		ret = *out ? 1 : xa_error(ctx, XENABI_ENOMEM, "out of memory");
	} else {
		*out = run.out;
		run.out = NULL;
		if (memo)
			memo_put(ctx->cpp_memo, key, *out);
	}
	xa_run_release(&run);
out:
	for (size_t i = XA_ARRAY_SIZE(fixed); i < n - (argv[n - 1] == file); i++)
		free(argv[i]);
	free(argv);
	return ret;
}

/* ---- hypercall-defs.c ---------------------------------------------------- */

#define DEFS_FILE "xen/include/hypercall-defs.c"

/*
 * The configurations the file is read under.  Xen's build defines the
 * CONFIG_ names from Kconfig; we want the table of a full hypervisor of
 * each architecture, so every option that adds a kind of guest is on,
 * the shim builds are off (a PV shim is not a Xen a guest is built for),
 * and every other CONFIG_ the file names is a feature: on in the full
 * reading, off in the minimal one, so a hypercall only a build with some
 * feature offers is marked optional.
 */
static const char *const x86_kinds[] = {
	"CONFIG_X86",	/* the architecture */
	"CONFIG_X86_64",/* Xen on x86 is 64-bit only since 4.3 */
	"CONFIG_PV",	/* pv32 and pv64 columns (PV guests) */
	"CONFIG_PV32",	/* the pv32 column */
	"CONFIG_HVM",	/* hvm32 and hvm64 columns */
	"CONFIG_COMPAT",/* the handlers of 32-bit guests */
	NULL
};
static const char *const arm_kinds[] = {
	"CONFIG_ARM",	/* the architecture; the arm column */
	"CONFIG_ARM_64",/* arm64 Xen, which runs arm32 and arm64 guests */
	"CONFIG_HVM",	/* def_bool y on arm */
	NULL
};
static const char *const never[] = {
	"CONFIG_PV_SHIM",		/* a shim, not a full hypervisor */
	"CONFIG_PV_SHIM_EXCLUSIVE",	/* the same */
	NULL
};

static bool listed(const char *const *list, const char *name, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !strncmp(list[i], name, n))
			return true;
	return false;
}

/* The CONFIG_ names text mentions that are features (see above). */
static int feature_names(const char *text, char ***names, size_t *count)
{
	*names = NULL;
	*count = 0;
	for (const char *s = text; (s = strstr(s, "CONFIG_"));) {
		size_t n = 7;
		bool seen = false;

		if (s > text && (isalnum((unsigned char)s[-1]) || s[-1] == '_')) {
			s += n;
			continue;
		}
		while (isalnum((unsigned char)s[n]) || s[n] == '_')
			n++;
		for (size_t i = 0; i < *count && !seen; i++)
			seen = strlen((*names)[i]) == n &&
			       !strncmp((*names)[i], s, n);
		if (!seen && !listed(x86_kinds, s, n) &&
		    !listed(arm_kinds, s, n) && !listed(never, s, n)) {
			char **grown = realloc(*names, (*count + 1) * sizeof(char *));

			if (!grown)
				return -1;
			*names = grown;
			if (!((*names)[*count] = strndup(s, n)))
				return -1;
			(*count)++;
		}
		s += n;
	}
	return 0;
}

/*
 * The file read once per configuration in a single compiler run: each
 * reading follows a marker line, with the file's own macros undefined
 * again so that one reading cannot leak into the next.
 */
#define MARK "xenabi-reading"

static int write_readings(struct xenabi_ctx *ctx, const char *path,
			  const char *text, char *const *features,
			  size_t nfeatures)
{
	static const char *const *const kinds[] = { x86_kinds, arm_kinds };
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", path,
				strerror(errno));
	for (int reading = 0; reading < 4; reading++) {
		const char *const *arch = kinds[reading / 2];
		bool full = !(reading % 2);

		for (const char *s = text; (s = strstr(s, "#define"));) {
			const char *name = s + 7;
			size_t n = 0;

			while (*name == ' ' || *name == '\t')
				name++;
			while (isalnum((unsigned char)name[n]) || name[n] == '_')
				n++;
			if (n)
				fprintf(f, "#undef %.*s\n", (int)n, name);
			s = name + n;
		}
		for (int k = 0; x86_kinds[k]; k++)
			fprintf(f, "#undef %s\n", x86_kinds[k]);
		for (int k = 0; arm_kinds[k]; k++)
			fprintf(f, "#undef %s\n", arm_kinds[k]);
		for (size_t k = 0; k < nfeatures; k++)
			fprintf(f, "#undef %s\n", features[k]);
		for (int k = 0; arch[k]; k++)
			fprintf(f, "#define %s 1\n", arch[k]);
		for (size_t k = 0; full && k < nfeatures; k++)
			fprintf(f, "#define %s 1\n", features[k]);
		/* The text itself, not an #include: no path to quote. */
		fprintf(f, MARK " %d\n%s\n", reading, text);
	}
	if (ferror(f))
		ret = xa_error(ctx, XENABI_EIO, "cannot write '%s'", path);
	if (fclose(f) && !ret)
		ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", path,
			       strerror(errno));
	return ret;
}

/* A name -> text map, small: a handful of prefixes, a few hundred protos. */
struct defs_map {
	struct xa_vec keys;	/* char * */
	struct xa_vec values;	/* char * */
};

static void map_init(struct defs_map *m)
{
	xa_vec_init(&m->keys, sizeof(char *));
	xa_vec_init(&m->values, sizeof(char *));
}

static void map_release(struct defs_map *m)
{
	for (size_t i = 0; i < m->keys.len; i++) {
		free(((char **)m->keys.data)[i]);
		free(((char **)m->values.data)[i]);
	}
	xa_vec_release(&m->keys);
	xa_vec_release(&m->values);
}

static const char *map_get(const struct defs_map *m, const char *key)
{
	for (size_t i = 0; i < m->keys.len; i++)
		if (!strcmp(((char **)m->keys.data)[i], key))
			return ((char **)m->values.data)[i];
	return NULL;
}

/* Set key (replacing); -1 when out of memory. */
static int map_set(struct defs_map *m, const char *key, const char *value)
{
	char **k, **v, *vcopy = strdup(value);

	if (!vcopy)
		return -1;
	for (size_t i = 0; i < m->keys.len; i++)
		if (!strcmp(((char **)m->keys.data)[i], key)) {
			free(((char **)m->values.data)[i]);
			((char **)m->values.data)[i] = vcopy;
			return 0;
		}
	k = xa_vec_push(&m->keys);
	v = k ? xa_vec_push(&m->values) : NULL;
	if (!k || !v || !(*k = strdup(key))) {
		if (k && !v)
			m->keys.len--;
		free(vcopy);
		return -1;
	}
	*v = vcopy;
	return 0;
}

/* The words of s (split on blanks), up to max; returns the count. */
static size_t split_words(char *s, char **words, size_t max)
{
	size_t n = 0;

	for (char *save = NULL, *w = strtok_r(s, " \t", &save); w && n < max;
	     w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	return n;
}

#define MAX_WORDS 16

/*
 * One reading: the directives and prototypes of gen_hypercall.awk, then
 * the table.  Cells go to out; *why is set (heap) when the text is not
 * what that script accepts.
 */
int xa_hcall_parse_reading(char *text, bool arm, struct xa_vec *out,
			   char **why)
{
	struct defs_map rettype, proto;
	char *prefixes[MAX_WORDS], *columns[MAX_WORDS];
	bool active[XA_GUEST_COUNT] = { false };
	int colkind[MAX_WORDS];
	size_t nprefixes = 0, ncolumns = 0;
	bool in_table = false;
	char *save = NULL, *prefix_copy = NULL;
	int ret = 0;

	map_init(&rettype);
	map_init(&proto);
	for (char *line = strtok_r(text, "\n", &save); line && !ret && !*why;
	     line = strtok_r(NULL, "\n", &save)) {
		char *words[MAX_WORDS], *paren;
		size_t nw;

		while (isspace((unsigned char)*line))
			line++;
		if (!*line)
			continue;
		if (in_table) {
			nw = split_words(line, words, MAX_WORDS);
			if (nw != ncolumns + 1) {
				if (asprintf(why, DEFS_FILE ": table row '%s' "
					     "has %zu columns, the table %zu",
					     words[0], nw - 1, ncolumns) < 0)
					ret = -1;
				break;
			}
			for (size_t c = 0; c < ncolumns; c++) {
				char *cell = words[c + 1], *colon, *handler;
				const char *params, *rt;
				struct xa_hcall_cell *hc;

				if (colkind[c] < 0 || !active[colkind[c]] ||
				    !strcmp(cell, "-"))
					continue;
				colon = strchr(cell, ':');
				if (colon)
					*colon = '\0';
				if (asprintf(&handler, "%s_%s", cell,
					     words[0]) < 0) {
					ret = -1;
					break;
				}
				params = map_get(&proto, handler);
				rt = map_get(&rettype, cell);
				if (!params) {
					if (asprintf(why, DEFS_FILE ": no "
						     "prototype for %s", handler) < 0)
						ret = -1;
					free(handler);
					break;
				}
				hc = xa_vec_push(out);
				if (!hc) {
					free(handler);
					ret = -1;
					break;
				}
				hc->kind = colkind[c];
				hc->handler = handler;
				hc->priority = colon ? strtoul(colon + 1, NULL, 10) : 0;
				if (!(hc->name = strdup(words[0])) ||
				    !(hc->rettype = strdup(rt ? rt : "long")) ||
				    !(hc->params = strdup(params)) ||
				    !(hc->file = strdup(DEFS_FILE)))
					ret = -1;
			}
			continue;
		}
		if (!strncmp(line, "rettype:", 8)) {
			char *p = line + 8, *t;

			while (isspace((unsigned char)*p))
				p++;
			t = p + strcspn(p, " \t");
			if (!*t)
				continue;
			*t++ = '\0';
			if (map_set(&rettype, p, t + strspn(t, " \t")))
				ret = -1;
		} else if (!strncmp(line, "prefix:", 7)) {
			free(prefix_copy);
			if (!(prefix_copy = strdup(line + 7))) {
				ret = -1;
				break;
			}
			nprefixes = split_words(prefix_copy, prefixes, MAX_WORDS);
		} else if (!strncmp(line, "caller:", 7)) {
			nw = split_words(line + 7, words, MAX_WORDS);
			if (nw == 1 && xa_guest_kind_parse(words[0]) >= 0)
				active[xa_guest_kind_parse(words[0])] = true;
		} else if (!strncmp(line, "table:", 6)) {
			ncolumns = split_words(line + 6, columns, MAX_WORDS);
			for (size_t c = 0; c < ncolumns; c++) {
				colkind[c] = xa_guest_kind_parse(columns[c]);
				/* The readings split the architectures. */
				if (colkind[c] >= 0 &&
				    (colkind[c] == XA_GUEST_ARM) != arm)
					colkind[c] = -1;
			}
			in_table = true;
		} else if (!strncmp(line, "handle:", 7) ||
			   !strncmp(line, "defhandle:", 10) ||
			   !strncmp(line, MARK, strlen(MARK))) {
			continue;
		} else if ((paren = strchr(line, '(')) && paren > line &&
			   line[strlen(line) - 1] == ')') {
			char *params;

			line[strlen(line) - 1] = '\0';
			*paren = '\0';
			params = xa_hcall_params(paren + 1);
			if (!params) {
				ret = -1;
				break;
			}
			for (size_t p = 0; p < nprefixes && !ret; p++) {
				char *key;

				if (asprintf(&key, "%s_%s", prefixes[p], line) < 0) {
					ret = -1;
					break;
				}
				ret = map_set(&proto, key, params);
				free(key);
			}
			free(params);
		} else if (asprintf(why, DEFS_FILE ": cannot read the line "
				    "'%s'", line) < 0) {
			ret = -1;
		}
	}
	if (!ret && !*why && !in_table && asprintf(why, DEFS_FILE ": no "
						   "'table:' line") < 0)
		ret = -1;
	free(prefix_copy);
	map_release(&rettype);
	map_release(&proto);
	return ret;
}

/*
 * A hypercall the table names by an internal alias has the number of the
 * public one it aliases: "#define __HYPERVISOR_paging_domctl_cont
 * __HYPERVISOR_arch_1" in the arch's hypercall header (7e21b25059ed, in
 * 4.17's cycle, with the C tables still).  Diff matches hypercalls by
 * number, so a rename is not a removal.
 */
static const char *const alias_headers[] = {
	"xen/arch/x86/include/asm/hypercall.h",
	"xen/arch/arm/include/asm/hypercall.h",
};

static int read_aliases(const char *top, struct defs_map *aliases)
{
	for (size_t i = 0; i < XA_ARRAY_SIZE(alias_headers); i++) {
		char path[4096], line[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", top, alias_headers[i]);
		if (!(f = fopen(path, "r")))
			continue;
		while (fgets(line, sizeof(line), f)) {
			char from[128], to[128];

			if (sscanf(line, " # define __HYPERVISOR_%127[A-Za-z0-9_] "
				   "__HYPERVISOR_%127[A-Za-z0-9_]", from, to) == 2 &&
			    map_set(aliases, from, to)) {
				fclose(f);
				return -1;
			}
		}
		fclose(f);
	}
	return 0;
}

int xa_hcall_number_aliases(struct xenabi_ctx *ctx, const char *top,
			    struct xa_vec *cells, size_t start)
{
	struct defs_map aliases;
	int ret = 0;

	map_init(&aliases);
	if (read_aliases(top, &aliases))
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (size_t i = start; !ret && i < cells->len; i++) {
		struct xa_hcall_cell *c = (struct xa_hcall_cell *)cells->data + i;
		const char *to = map_get(&aliases, c->name);

		if (to && !c->number && !(c->number = strdup(to)))
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	map_release(&aliases);
	return ret;
}

static int cell_key_cmp(const void *a, const void *b)
{
	const struct xa_hcall_cell *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)x->kind - (int)y->kind;
}

int xa_hcall_read_defs(struct xenabi_ctx *ctx, const char *top,
		       struct xa_vec *cells, char **failure)
{
	struct xa_vec readings[4];
		char *path = NULL, *text = NULL, *dir = NULL, *wrapper = NULL;
	char *out = NULL, **features = NULL;
	size_t nfeatures = 0, start = cells->len;
	FILE *f;
	int ret = 0;

	*failure = NULL;
	for (int r = 0; r < 4; r++)
		xa_vec_init(&readings[r], sizeof(struct xa_hcall_cell));
	if (asprintf(&path, "%s/" DEFS_FILE, top) < 0)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	f = fopen(path, "r");
	if (!f) {
		ret = errno == ENOENT ? 1
				      : xa_error(ctx, XENABI_EIO,
						 "cannot read '%s': %s", path,
						 strerror(errno));
		free(path);
		return ret;
	}
	{
		struct xa_buf buf;
		int saved = 0;
		bool read;

		xa_buf_init(&buf);
		read = xa_buf_read(&buf, f);
		if (!read)
			saved = errno;
		fclose(f);
		text = xa_buf_detach(&buf);
		if (!read) {
			ret = xa_error(ctx, XENABI_EIO, "cannot read '%s': %s",
				       path, strerror(saved));
			goto out;
		}
	}
	if (!text || feature_names(text, &features, &nfeatures)) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if ((ret = xa_tmpdir(ctx, &dir)))
		goto out;
	if (asprintf(&wrapper, "%s/hypercall-readings.c", dir) < 0) {
		wrapper = NULL;
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if ((ret = write_readings(ctx, wrapper, text, features, nfeatures)))
		goto out;
	ret = xa_hcall_cpp(ctx, wrapper, NULL, &out);
	if (ret == 1) {
		/* The tree's file, not us: a failure of this part. */
		ret = asprintf(failure, DEFS_FILE ": does not preprocess: %s",
			       out) < 0 ? xa_error(ctx, XENABI_ENOMEM,
						   "out of memory") : 0;
		if (ret)
			*failure = NULL;
		goto out;
	}
	if (ret)
		goto out;
	/* Cut the output at the markers and read each part. */
	for (int r = 3; r >= 0 && !ret && !*failure; r--) {
		char marker[32], *at;

		snprintf(marker, sizeof(marker), MARK " %d", r);
		at = strstr(out, marker);
		if (!at) {
			*failure = strdup(DEFS_FILE ": the preprocessor lost a "
					  "reading");
			break;
		}
		*at = '\0';
		at += strlen(marker);
		if (xa_hcall_parse_reading(at, r >= 2, &readings[r], failure))
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	if (ret || *failure)
		goto out;
	/* Full readings give the cells; a cell the minimal one lacks is optional. */
	for (int r = 0; r < 4 && !ret; r += 2) {
		struct xa_hcall_cell *full = readings[r].data;

		if (readings[r + 1].len)
			qsort(readings[r + 1].data, readings[r + 1].len,
			      sizeof(struct xa_hcall_cell), cell_key_cmp);
		for (size_t i = 0; i < readings[r].len; i++) {
			struct xa_hcall_cell *c = xa_vec_push(cells);

			if (!c) {
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
				goto out;
			}
			*c = full[i];
			memset(&full[i], 0, sizeof(full[i]));
			c->optional = !readings[r + 1].len ||
				      !bsearch(c, readings[r + 1].data,
					       readings[r + 1].len,
					       sizeof(struct xa_hcall_cell),
					       cell_key_cmp);
		}
	}
	if (!ret)
		ret = xa_hcall_number_aliases(ctx, top, cells, start);
out:
	/* On failure, free only what this call appended. */
	if (ret || *failure)
		xa_hcall_cells_truncate(cells, start);
	for (int r = 0; r < 4; r++)
		xa_hcall_cells_release(&readings[r]);
	for (size_t i = 0; i < nfeatures; i++)
		free(features[i]);
	free(features);
	if (dir)
		xa_rmdir(dir);
	free(dir);
	free(wrapper);
	free(out);
	free(text);
	free(path);
	return ret;
}

/* ---- types and widths ------------------------------------------------------ */

unsigned int xenabi_guest_kind_abis(const char *kind)
{
	switch (xa_guest_kind_parse(kind)) {
	case XA_GUEST_PV32:
	case XA_GUEST_HVM32:
		return 1u << XENABI_ABI_X86_32;
	case XA_GUEST_PV64:
	case XA_GUEST_HVM64:
		return 1u << XENABI_ABI_X86_64;
	case XA_GUEST_ARM:
		return 1u << XENABI_ABI_ARM32 | 1u << XENABI_ABI_ARM64;
	default:
		return 0;
	}
}

/*
 * Xen on x86 is 64-bit only (4.3 on) and a 32-bit arm guest may run on
 * arm64 Xen: the hypervisor behind any guest of an architecture can be
 * its 64-bit build, whose widths bound what a handler returns.
 */
enum xenabi_abi xa_hypervisor_abi(enum xenabi_abi abi)
{
	return abi == XENABI_ABI_X86_32 || abi == XENABI_ABI_X86_64
		       ? XENABI_ABI_X86_64
		       : XENABI_ABI_ARM64;
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* An unnamed "unsigned int" ends in a keyword, not a name. */
static bool type_keyword(const char *w, size_t n)
{
	static const char *const kw[] = { "int", "long", "short", "char",
					  "unsigned", "signed", "void",
					  "_Bool" };

	for (size_t i = 0; i < XA_ARRAY_SIZE(kw); i++)
		if (strlen(kw[i]) == n && !strncmp(kw[i], w, n))
			return true;
	return false;
}

int xa_hcall_param_types(const char *params, char ***types, size_t *n)
{
	return xa_hcall_param_split(params, types, NULL, n);
}

int xa_hcall_param_split(const char *params, char ***types, char ***names,
			 size_t *n)
{
	const char *p = params;

	*types = NULL;
	if (names)
		*names = NULL;
	*n = 0;
	while (*p) {
		size_t len = strcspn(p, ","), end = len, id;
		char **grown;

		/* Drop the name: the identifier ending a non-pointer, or
		 * following the last '*'. */
		while (end && isspace((unsigned char)p[end - 1]))
			end--;
		id = end;
		while (id && is_ident_char(p[id - 1]))
			id--;
		if (id < end && id > 0 &&
		    (p[id - 1] == '*' || isspace((unsigned char)p[id - 1])) &&
		    !type_keyword(p + id, end - id))
			end = id;
		if (names) {
			char **g = realloc(*names, (*n + 1) * sizeof(char *));

			if (!g)
				return -1;
			*names = g;
			g[*n] = strndup(p + end, len - end);
			if (!g[*n])
				return -1;
			/* Trim: the name is what follows the type. */
			{
				char *nm = g[*n], *e;

				nm += strspn(nm, " ");
				memmove(g[*n], nm, strlen(nm) + 1);
				e = g[*n] + strlen(g[*n]);
				while (e > g[*n] && e[-1] == ' ')
					*--e = '\0';
			}
		}
		while (end && isspace((unsigned char)p[end - 1]))
			end--;
		grown = realloc(*types, (*n + 1) * sizeof(char *));
		if (!grown)
			return -1;
		*types = grown;
		if (!((*types)[*n] = strndup(p, end))) {
			if (names)
				free((*names)[*n]);
			return -1;
		}
		(*n)++;
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

/*
 * Xen's own names for fixed-width types, which handler prototypes use,
 * with the standard type each is a typedef of, so that a probe of the
 * public headers can size them.  Data, with where Xen defines them.
 */
static const struct {
	const char *xen, *c;
} internal_types[] = {
	{ "u8", "uint8_t" },	/* asm/types.h, xen/types.h: typedef ... u8 */
	{ "u16", "uint16_t" },
	{ "u32", "uint32_t" },
	{ "u64", "uint64_t" },
	{ "s8", "int8_t" },
	{ "s16", "int16_t" },
	{ "s32", "int32_t" },
	{ "s64", "int64_t" },
	{ "s_time_t", "int64_t" },	/* xen/time.h: typedef s64 s_time_t */
	/* asm-arm/types.h: uint32_t on arm32, uint64_t on arm64, the
	   width of unsigned long on both */
	{ "register_t", "unsigned long" },
};

const char *xa_ctype_spelling(const char *type)
{
	for (size_t i = 0; i < XA_ARRAY_SIZE(internal_types); i++)
		if (!strcmp(internal_types[i].xen, type))
			return internal_types[i].c;
	return type;
}

bool xa_ctype_nameable(const struct xenabi_unit *unit, const char *type)
{
	if (xa_ctype_spelling(type) != type)
		return true;
	static const char *const words[] = { "unsigned", "signed", "int",
					     "long", "short", "char", "_Bool",
					     "const", "volatile" };
	const struct xenabi_type *td;
	char buf[128], *save = NULL;
	size_t others = 0;
	bool ok = true;

	if (strlen(type) >= sizeof(buf) || strchr(type, '*') || !*type)
		return false;
	strcpy(buf, type);
	for (char *w = strtok_r(buf, " ", &save); w && ok;
	     w = strtok_r(NULL, " ", &save)) {
		bool keyword = false;

		for (size_t i = 0; i < XA_ARRAY_SIZE(words) && !keyword; i++)
			keyword = !strcmp(w, words[i]);
		if (keyword)
			continue;
		others++;
		if (!strcmp(w, "int8_t") || !strcmp(w, "uint8_t") ||
		    !strcmp(w, "int16_t") || !strcmp(w, "uint16_t") ||
		    !strcmp(w, "int32_t") || !strcmp(w, "uint32_t") ||
		    !strcmp(w, "int64_t") || !strcmp(w, "uint64_t"))
			continue;
		/* A scalar typedef only: (T)-1 must compile. */
		td = xenabi_unit_find_type(unit, XENABI_KIND_TYPEDEF, w);
		ok = td && strncmp(td->target, "struct ", 7) &&
		     strncmp(td->target, "union ", 6) &&
		     !strpbrk(td->target, "[(*");
	}
	return ok && others <= 1;
}

int xa_hypercall_cmp(const void *a, const void *b)
{
	const struct xenabi_hypercall *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->kind, y->kind);
}

int xa_ctype_cmp(const void *a, const void *b)
{
	const struct xenabi_ctype *x = a, *y = b;

	if (x->abi != y->abi)
		return (int)x->abi - (int)y->abi;
	return strcmp(x->type, y->type);
}

bool xa_ctype_lookup(const struct xenabi_release *rel, enum xenabi_abi abi,
		     const char *type, uint32_t *size, bool *is_signed)
{
	struct xenabi_ctype key = { .abi = abi, .type = type };
	const struct xenabi_ctype *found;

	if (strchr(type, '*')) {
		*size = xa_abi_info(abi)->pointer_size;
		*is_signed = false;
		return true;
	}
	found = rel->nctypes ? bsearch(&key, rel->ctypes, rel->nctypes,
				       sizeof(key), xa_ctype_cmp)
			     : NULL;
	if (!found || !found->size)
		return false;
	*size = found->size;
	*is_signed = found->is_signed;
	return true;
}

