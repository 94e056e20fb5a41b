/* SPDX-License-Identifier: MIT */
/*
 * probe: writing probe translation units and running the compiler on them;
 * finding which header a compiler error belongs to.  Knows source and abi;
 * never reads DWARF.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xa.h"

int xa_probe_run(struct xenabi_ctx *ctx, char *const argv[],
		 const char *out_path, struct xa_run *run)
{
	int ret = out_path ? 1 : xa_cc_run(ctx, argv, false, run);

	return ret != 1 ? ret : xa_probe_run_alone(ctx, argv, out_path, run);
}

int xa_probe_run_alone(struct xenabi_ctx *ctx, char *const argv[],
		       const char *out_path, struct xa_run *run)
{
	xa_cc_count_alone();
	return xa_run(ctx, argv, out_path, false, XENABI_ECOMPILER,
		      "install clang (apt-get install clang) or set XENABI_CC",
		      run);
}

void xa_probe_keep_diag(const char *probe, unsigned int round,
			const char *diag)
{
	char *path;
	FILE *f;

	if (!getenv("XENABI_KEEP_PROBES") ||
	    asprintf(&path, "%s.round%u.err", probe, round) < 0)
		return;
	f = fopen(path, "w");
	if (f) {
		fputs(diag, f);
		fclose(f);
	}
	free(path);
}

char **xa_probe_argv(const struct xenabi_ctx *ctx, enum xenabi_abi abi,
		     enum xenabi_view view, const char *public_dir,
		     const char *const *extra, const char *input,
		     const char *output)
{
	const char *cc = ctx->compiler ? ctx->compiler : getenv("XENABI_CC");
	const char *fixed[] = {
		"-ffreestanding",
		/* Only clang's own stddef.h/stdint.h: never the host's libc. */
		"-nostdlibinc",
		"-std=gnu11",
		"-w",
		"-ferror-limit=0",
		"-fno-color-diagnostics",
		"-fno-caret-diagnostics",
		"-fno-diagnostics-show-option",
		/*
		 * Typo correction searches every name in scope for each
		 * undeclared one: a tenth of a scan, and no message we keep
		 * ("did you mean") needs it.
		 */
		"-fno-spell-checking",
		/* A crash leaves no reproducer in TMPDIR: 0.5 MB each. */
		"-fno-crash-diagnostics",
	};
	size_t nextra = 0, n = 0;
	char **argv;

	while (extra && extra[nextra])
		nextra++;
	argv = calloc(XA_ARRAY_SIZE(fixed) + nextra + 12, sizeof(char *));
	if (!argv)
		return NULL;
	argv[n++] = strdup(cc && *cc ? cc : "clang");
	if (asprintf(&argv[n++], "--target=%s", xa_abi_info(abi)->triple) < 0)
		argv[n - 1] = NULL;
	for (size_t i = 0; i < XA_ARRAY_SIZE(fixed); i++)
		argv[n++] = strdup(fixed[i]);
	if (view == XENABI_VIEW_TOOLS)
		argv[n++] = strdup("-D__XEN_TOOLS__");
	/*
	 * xen-compat.h defines the latest version before it tests the one
	 * asked for, so the macro's name stands for the release's own value.
	 */
	if (view == XENABI_VIEW_LATEST)
		argv[n++] = strdup("-D__XEN_INTERFACE_VERSION__="
				   "__XEN_LATEST_INTERFACE_VERSION__");
	argv[n++] = strdup("-I");
	argv[n++] = strdup(public_dir);
	/* Some headers include "public/xen.h", as Xen's own build sees them. */
	if (strlen(public_dir) > 7 &&
	    !strcmp(public_dir + strlen(public_dir) - 7, "/public")) {
		argv[n++] = strdup("-idirafter");
		argv[n++] = strndup(public_dir, strlen(public_dir) - 7);
	}
	for (size_t i = 0; i < nextra; i++)
		argv[n++] = strdup(extra[i]);
	argv[n++] = strdup(input);
	if (output) {
		argv[n++] = strdup("-o");
		argv[n++] = strdup(output);
	}
	for (size_t i = 0; i < n; i++)
		if (!argv[i])
			goto oom;
	return argv;
oom:
	for (size_t i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	return NULL;
}

void xa_argv_free(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

/* "PATH:LINE:" at s: returns LINE, or 0 when s does not start with PATH. */
static unsigned long line_in(const char *s, size_t len, const char *path)
{
	size_t n = strlen(path);

	if (len <= n + 1 || memcmp(s, path, n) || s[n] != ':')
		return 0;
	return strtoul(s + n + 1, NULL, 10);
}

size_t xa_probe_blame(const char *diag, const char *probe_path,
		      void (*blame)(void *data, unsigned long line,
				    const char *msg, size_t msglen),
		      void *data)
{
	static const char included[] = "In file included from ";
	unsigned long outer = 0;
	size_t nerrors = 0;
	const char *p = diag;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (starts_with(p, len, included)) {
			/* The first line of a chain names the probe's own line. */
			if (!outer)
				outer = line_in(p + sizeof(included) - 1,
						len - (sizeof(included) - 1),
						probe_path);
		} else if (memmem(p, len, ": error: ", 9) ||
			   memmem(p, len, ": fatal error: ", 15)) {
			unsigned long line = outer ? outer
						   : line_in(p, len, probe_path);

			nerrors++;
			blame(data, line, p, len);
			outer = 0;
		} else if (memmem(p, len, ": warning: ", 11) ||
			   memmem(p, len, ": note: ", 8)) {
			outer = 0;
		}
		p += len + (eol ? 1 : 0);
	}
	return nerrors;
}

/* ---- the layout probe --------------------------------------------------- */

struct blame_state {
	size_t first_line;	/* probe line of the first header */
	size_t nlines;		/* headers written, one per line */
	size_t *line_header;	/* probe line index -> header index */
	char **message;		/* header index -> first error (heap) */
	bool hidden;		/* a fatal error stopped before the last line */
	unsigned long fatal_line; /* the first fatal error's line */
};

static void blame_header(void *data, unsigned long line, const char *msg,
			 size_t len)
{
	struct blame_state *bs = data;

	if (line >= bs->first_line && line < bs->first_line + bs->nlines) {
		size_t h = bs->line_header[line - bs->first_line];

		if (!bs->message[h])
			bs->message[h] = strndup(msg, len);
	}
	/* A fatal error hides the errors of every header after it. */
	if (memmem(msg, len, ": fatal error: ", 15) && !bs->hidden &&
	    line >= bs->first_line && line + 1 < bs->first_line + bs->nlines) {
		bs->hidden = true;
		bs->fatal_line = line;
	}
}

/* Drop "PUBLIC/" from a compiler message so it reads the same anywhere. */
static char *relative_message(struct xa_arena *arena, const char *msg,
			      const char *public_dir)
{
	struct xa_buf buf;
	size_t plen = strlen(public_dir);
	const char *p = msg, *hit;
	char *out;

	xa_buf_init(&buf);
	while ((hit = strstr(p, public_dir)) && hit[plen] == '/') {
		xa_buf_add(&buf, p, hit - p);
		p = hit + plen + 1;
	}
	xa_buf_puts(&buf, p);
	out = buf.oom ? NULL : xa_arena_strdup(arena, buf.s ? buf.s : "");
	xa_buf_release(&buf);
	return out;
}

int xa_probe_write_includes(FILE *f, const struct xa_source *src,
			    const bool *included, size_t *line_header,
			    size_t *nlines)
{
	size_t xen_h = src->nheaders, n = 0;

	/*
	 * The public headers expect the fixed-width types without including
	 * <stdint.h> themselves; xen.h goes first because most headers
	 * assume it and a header that fails alone is not our finding here.
	 */
	fputs("#include <stddef.h>\n#include <stdint.h>\n", f);
	for (size_t i = 0; i < src->nheaders; i++)
		if (!strcmp(src->headers[i], "xen.h"))
			xen_h = i;
	if (xen_h < src->nheaders && included[xen_h]) {
		fprintf(f, "#include \"xen.h\"\n");
		if (line_header)
			line_header[n] = xen_h;
		n++;
	}
	/*
	 * A missing system header is a fatal error, which hides every error
	 * after it and costs a round; headers that include system headers go
	 * last so that one round finds everything.
	 */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < src->nheaders; i++) {
			if (!included[i] || i == xen_h ||
			    src->system_include[i] != (pass == 1))
				continue;
			fprintf(f, "#include \"%s\"\n", src->headers[i]);
			if (line_header)
				line_header[n] = i;
			n++;
		}
	}
	if (nlines)
		*nlines = n;
	return 2 + n;
}

static int write_probe(struct xenabi_ctx *ctx, const char *path,
		       const struct xa_source *src, const bool *included,
		       struct blame_state *bs)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", path,
				strerror(errno));
	bs->first_line = 3;
	xa_probe_write_includes(f, src, included, bs->line_header, &bs->nlines);
	if (fclose(f))
		return xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", path,
				strerror(errno));
	return 0;
}

struct xa_given_up {
	pthread_mutex_t lock;
	struct xa_vec keys;	/* char *: key, why, key, why, ... */
};

struct xa_given_up *xa_given_up_new(void)
{
	struct xa_given_up *g = calloc(1, sizeof(*g));

	if (g) {
		pthread_mutex_init(&g->lock, NULL);
		xa_vec_init(&g->keys, sizeof(char *));
	}
	return g;
}

void xa_given_up_free(struct xa_given_up *g)
{
	if (!g)
		return;
	xa_strings_free(g->keys.data, g->keys.len);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

int xa_given_up_add(struct xenabi_ctx *ctx, struct xa_given_up *g,
		    const char *key, const char *why)
{
	char **slot;
	bool oom = false;

	if (!g)
		return 0;
	pthread_mutex_lock(&g->lock);
	for (int k = 0; k < 2 && !oom; k++)
		oom = !(slot = xa_vec_push(&g->keys)) ||
		      !(*slot = strdup(k ? why : key));
	pthread_mutex_unlock(&g->lock);
	return oom ? xa_error(ctx, XENABI_ENOMEM, "out of memory") : 0;
}

const char *xa_given_up_find(struct xa_given_up *g, const char *key,
			     struct xa_arena *arena)
{
	const char *why = NULL;

	if (!g)
		return NULL;
	pthread_mutex_lock(&g->lock);
	for (size_t i = 0; i + 1 < g->keys.len && !why; i += 2) {
		char **k = g->keys.data;

		if (k[i] && k[i + 1] && !strcmp(k[i], key))
			why = xa_arena_strdup(arena, k[i + 1]);
	}
	pthread_mutex_unlock(&g->lock);
	return why;
}

/*
 * A check of the items from lo to hi: *limit says what stopped the
 * compiler ("": nothing did), *cost what it took: milliseconds when
 * by_time, else KiB of memory.  1: no item left there.
 */
static int check_some(struct xenabi_ctx *ctx, const struct xa_rounds *r,
		      bool *take, size_t lo, size_t hi, char *limit,
		      size_t limit_size, bool by_time, long long *cost)
{
	struct xa_run run = { 0 };
	int ret;

	memset(take, 0, r->nitems * sizeof(bool));
	memset(take + lo, 1, (hi - lo) * sizeof(bool));
	*limit = '\0';
	*cost = 0;
	if ((ret = r->write_some(r->data, take)))
		return ret;
	/* A process each: the cost of one compile, the limits of one. */
	if ((ret = xa_probe_run_alone(ctx, r->check, NULL, &run)))
		return ret;
	if (run.limit)
		snprintf(limit, limit_size, "%s", run.limit);
	*cost = by_time ? run.ms : run.max_kib;
	xa_run_release(&run);
	return 0;
}

/*
 * Items lo to hi stop the compiler together though neither half does
 * alone: the costliest one goes, found by following the costlier half
 * down, and the reason says it was in company.
 */
static int give_up_costliest(struct xenabi_ctx *ctx, const struct xa_rounds *r,
			     bool *take, size_t lo, size_t hi, const char *why)
{
	bool by_time = strstr(why, "time");
	char limit[96], reason[160];
	int ret;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		long long a, b;

		if ((ret = check_some(ctx, r, take, lo, mid, limit, sizeof(limit),
				      by_time, &a)) < 0 ||
		    (ret = check_some(ctx, r, take, mid, hi, limit, sizeof(limit),
				      by_time, &b)) < 0)
			return ret;
		if (a >= b)
			hi = mid;
		else
			lo = mid;
	}
	snprintf(reason, sizeof(reason), "%s with others, and this one cost "
		 "the most", why);
	return r->give_up(r->data, lo, reason);
}

/*
 * Check the items from lo to hi, and when a limit stops the compiler on
 * them, each half, down to the one item that does it alone, which is
 * given up.  When only the two halves together are stopped, the costliest
 * item goes instead, and the window is tried again.  *dropped counts what
 * went.
 */
static int isolate(struct xenabi_ctx *ctx, const struct xa_rounds *r,
		   bool *take, size_t lo, size_t hi, size_t *dropped)
{
	for (;;) {
		char limit[96];
		long long cost;
		size_t mid, before = *dropped;
		int ret;

		if ((ret = check_some(ctx, r, take, lo, hi, limit, sizeof(limit),
				      false, &cost)))
			return ret < 0 ? ret : 0;
		if (!*limit)
			return 0;
		if (hi - lo == 1) {
			ret = r->give_up(r->data, lo, limit);
			*dropped += !ret;
			return ret;
		}
		mid = lo + (hi - lo) / 2;
		if ((ret = isolate(ctx, r, take, lo, mid, dropped)) ||
		    (ret = isolate(ctx, r, take, mid, hi, dropped)))
			return ret;
		if (*dropped > before)
			continue;
		if ((ret = give_up_costliest(ctx, r, take, lo, hi, limit)))
			return ret;
		++*dropped;
	}
}

/* The compiler stopped by a limit on the whole probe: give up its culprits. */
static int stopped(struct xenabi_ctx *ctx, const struct xa_rounds *r,
		   const struct xa_run *run)
{
	bool *take;
	size_t dropped = 0;
	int ret;

	if (!r->nitems || !r->write_some)
		return xa_error(ctx, XENABI_ECOMPILER, "%s %s on the %s",
				r->compile[0], run->limit, r->what);
	if (!(take = calloc(r->nitems, sizeof(bool))))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	ret = isolate(ctx, r, take, 0, r->nitems, &dropped);
	free(take);
	/* The checks pass, and only the full compile is stopped. */
	if (!ret && !dropped)
		ret = xa_error(ctx, XENABI_ECOMPILER, "%s %s on the %s, though "
			       "not when checking it: raise the limit (scan "
			       "--time-limit, --memory-limit)", r->compile[0],
			       run->limit, r->what);
	return ret;
}

int xa_probe_rounds(struct xenabi_ctx *ctx, const struct xa_rounds *r)
{
	struct xa_run run = { 0 };
	/*
	 * The first round compiles: a compile that fails says what a check
	 * would (the front end stops before code), and one that passes is
	 * the last round.  Checks come after a drop, when the next round may
	 * need headers checked alone beside the probe.
	 */
	bool check = false;
	int ret;

	for (unsigned int round = 0;; round++) {
		char **check_argv = NULL;
		size_t dropped;

		if ((ret = r->write(r->data, check)))
			break;
		if (check && r->check_argv && !(check_argv = r->check_argv(r->data))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
		ret = xa_probe_run(ctx, !check ? r->compile
					       : check_argv ? check_argv : r->check,
				   NULL, &run);
		xa_argv_free(check_argv);
		if (ret)
			break;
		if (run.limit) {
			if ((ret = stopped(ctx, r, &run)))
				break;
			check = true;
			xa_run_release(&run);
			continue;
		}
		if (run.status == 0 && !check)
			break;
		if (run.status == 0) {
			check = false;
			xa_run_release(&run);
			continue;
		}
		xa_probe_keep_diag(r->probe, round, run.err);
		check = false;
		dropped = r->drop(r->data, run.err, &check);
		if (dropped == (size_t)-1) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
		if (!dropped) {
			ret = xa_error(ctx, XENABI_ECOMPILER,
				       "%s failed on the %s: %.300s",
				       r->compile[0], r->what,
				       *run.err ? run.err : "no message");
			break;
		}
		xa_run_release(&run);
	}
	xa_run_release(&run);
	return ret;
}

/*
 * A missing system header is a fatal error, which stops the compiler and
 * hides the errors of every header after it.  Headers with system
 * includes come last; when one of them stops the compiler, the next check
 * round puts each of the others it hid in a probe of its own (the
 * prelude, xen.h, the header on line 4), all on one compiler command
 * line, so that one more round finds them all.
 */
struct layout_rounds {
	struct xenabi_ctx *ctx;
	const struct xa_source *src;
	struct xa_arena *arena;
	bool *included;
	const char *probe;
	enum xenabi_abi abi;
	enum xenabi_view view;
	struct blame_state bs;
	struct xa_vec failures;
	bool *hidden;		/* headers to check alone in the next round */
	bool *in_main;		/* scratch: what the main probe includes */
	size_t *alone;		/* headers checked alone in the last round */
	size_t nalone;
};

#define ALONE_LINE 4

static char *alone_path(const struct layout_rounds *lr, size_t k)
{
	char *path;

	return asprintf(&path, "%s.alone%zu.c", lr->probe, k) < 0 ? NULL : path;
}

static int layout_write(void *data, bool check)
{
	struct layout_rounds *lr = data;
	const struct xa_source *src = lr->src;
	int ret;

	for (size_t i = 0; i < src->nheaders; i++)
		lr->in_main[i] = lr->included[i] && !(check && lr->hidden[i]);
	ret = write_probe(lr->ctx, lr->probe, src, lr->in_main, &lr->bs);
	lr->nalone = 0;
	for (size_t i = 0; !ret && check && i < src->nheaders; i++) {
		char *path;
		FILE *f;

		if (!lr->included[i] || !lr->hidden[i])
			continue;
		path = alone_path(lr, lr->nalone);
		f = path ? fopen(path, "w") : NULL;
		if (!f) {
			ret = xa_error(lr->ctx, XENABI_EIO, "cannot write '%s'",
				       path ? path : lr->probe);
			free(path);
			break;
		}
		fprintf(f, "#include <stddef.h>\n#include <stdint.h>\n"
			   "#include \"xen.h\"\n#include \"%s\"\n",
			src->headers[i]);
		fclose(f);
		free(path);
		lr->alone[lr->nalone++] = i;
	}
	memset(lr->hidden, 0, src->nheaders * sizeof(bool));
	if (ret)
		return ret;
	return lr->bs.nlines || lr->nalone ? 0 : 1;
}

/* Isolation: a probe of the headers take[] names, of those still in. */
static int layout_write_some(void *data, const bool *take)
{
	struct layout_rounds *lr = data;
	bool any = false;

	for (size_t i = 0; i < lr->src->nheaders; i++)
		any |= lr->in_main[i] = lr->included[i] && take[i];
	if (!any)
		return 1;
	return write_probe(lr->ctx, lr->probe, lr->src, lr->in_main, &lr->bs);
}

/* A header given up: a failure with why, and the other units are told. */
static int layout_fail(struct layout_rounds *lr, size_t k, const char *message)
{
	struct xenabi_failure *f = xa_vec_push(&lr->failures);

	lr->included[k] = false;
	if (!f || !(f->header = xa_arena_strdup(lr->arena, lr->src->headers[k])) ||
	    !(f->message = xa_arena_strdup(lr->arena, message)))
		return xa_error(lr->ctx, XENABI_ENOMEM, "out of memory");
	return 0;
}

static int layout_give_up(void *data, size_t k, const char *why)
{
	struct layout_rounds *lr = data;
	char message[256], key[PATH_MAX];

	snprintf(message, sizeof(message), "the compiler %s on it (scan "
		 "--time-limit, --memory-limit)", why);
	snprintf(key, sizeof(key), "header:%s", lr->src->headers[k]);
	int ret = layout_fail(lr, k, message);

	return ret ? ret : xa_given_up_add(lr->ctx, lr->ctx->given_up, key,
					   message);
}

static char **layout_check_argv(void *data)
{
	struct layout_rounds *lr = data;
	const char **extra = calloc(lr->nalone + 2, sizeof(char *));
	char **argv = NULL;
	size_t k;

	if (!extra)
		return NULL;
	extra[0] = "-fsyntax-only";
	for (k = 0; k < lr->nalone; k++)
		if (!(extra[k + 1] = alone_path(lr, k)))
			goto out;
	argv = xa_probe_argv(lr->ctx, lr->abi, lr->view, lr->src->public_dir,
			     extra, lr->probe, NULL);
out:
	for (size_t j = 1; j <= k; j++)
		free((char *)extra[j]);
	free(extra);
	return argv;
}

struct alone_blame {
	struct layout_rounds *lr;
	size_t header;
};

static void blame_alone(void *data, unsigned long line, const char *msg,
			size_t len)
{
	struct alone_blame *ab = data;
	char **slot = &ab->lr->bs.message[ab->header];

	/* Errors of xen.h itself belong to the main probe's report. */
	if (line == ALONE_LINE && !*slot)
		*slot = strndup(msg, len);
}

static size_t layout_drop(void *data, const char *diag, bool *recheck)
{
	struct layout_rounds *lr = data;
	const struct xa_source *src = lr->src;
	size_t dropped = 0;

	lr->bs.hidden = false;
	xa_probe_blame(diag, lr->probe, blame_header, &lr->bs);
	*recheck = lr->bs.hidden;
	/*
	 * What the fatal error hid is checked again next round: the headers
	 * with system includes alone, since each of them may stop the
	 * compiler in turn; the others in the main probe.
	 */
	for (size_t l = lr->bs.fatal_line + 1;
	     lr->bs.hidden && l < lr->bs.first_line + lr->bs.nlines; l++) {
		size_t h = lr->bs.line_header[l - lr->bs.first_line];

		lr->hidden[h] = src->system_include[h];
	}
	for (size_t k = 0; k < lr->nalone; k++) {
		struct alone_blame ab = { lr, lr->alone[k] };
		char *path = alone_path(lr, k);

		if (!path)
			return (size_t)-1;
		xa_probe_blame(diag, path, blame_alone, &ab);
		free(path);
	}
	for (size_t i = 0; i < src->nheaders; i++) {
		struct xenabi_failure *f;

		if (!lr->included[i] || !lr->bs.message[i])
			continue;
		lr->included[i] = false;
		dropped++;
		f = xa_vec_push(&lr->failures);
		if (!f)
			return (size_t)-1;
		f->header = xa_arena_strdup(lr->arena, src->headers[i]);
		f->message = relative_message(lr->arena, lr->bs.message[i],
					      src->public_dir);
		if (!f->header || !f->message)
			return (size_t)-1;
	}
	return dropped;
}

int xa_probe_layouts(struct xenabi_ctx *ctx, const struct xa_source *src,
		     struct xenabi_unit *unit, struct xa_arena *arena,
		     const char *workdir, const char *obj_path,
		     bool *included)
{
	static const char *const flags[] = {
		"-c", "-g3", "-gdwarf-4", "-fdebug-macro",
		"-fno-eliminate-unused-debug-types", NULL
	};
	static const char *const check_flags[] = { "-fsyntax-only", NULL };
	struct layout_rounds lr = {
		.ctx = ctx, .src = src, .arena = arena, .included = included,
		.abi = unit->abi, .view = unit->view,
	};
	struct blame_state *bs = &lr.bs;
	struct xa_rounds rounds = { .write = layout_write,
				    .drop = layout_drop,
				    .check_argv = layout_check_argv,
				    .nitems = src->nheaders,
				    .write_some = layout_write_some,
				    .give_up = layout_give_up, .data = &lr };
	char *probe = NULL, what[64];
	char **argv = NULL, **check = NULL;
	int ret = 0;

	rounds.what = what;
	xa_vec_init(&lr.failures, sizeof(struct xenabi_failure));
	bs->line_header = calloc(src->nheaders + 1, sizeof(size_t));
	bs->message = calloc(src->nheaders + 1, sizeof(char *));
	lr.alone = calloc(src->nheaders + 1, sizeof(size_t));
	lr.hidden = calloc(src->nheaders + 1, sizeof(bool));
	lr.in_main = calloc(src->nheaders + 1, sizeof(bool));
	if (!bs->line_header || !bs->message || !lr.alone || !lr.hidden ||
	    !lr.in_main ||
	    asprintf(&probe, "%s/layout-%s-%s.c", workdir,
		     xenabi_abi_name(unit->abi),
		     xenabi_view_name(unit->view)) < 0) {
		probe = NULL;
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < src->nheaders && !ret; i++) {
		char key[PATH_MAX];
		const char *why;

		included[i] = xa_abi_owns_header(unit->abi, src->headers[i]) &&
			      (!src->probe_only || src->probe_only[i]);
		snprintf(key, sizeof(key), "header:%s", src->headers[i]);
		/* Another unit found it stops the compiler: so it would here. */
		if (included[i] &&
		    (why = xa_given_up_find(ctx->given_up, key, arena)))
			ret = layout_fail(&lr, i, why);
	}
	if (ret)
		goto out;
	snprintf(what, sizeof(what), "%s %s probe", xenabi_abi_name(unit->abi),
		 xenabi_view_name(unit->view));
	argv = xa_probe_argv(ctx, unit->abi, unit->view, src->public_dir,
			     flags, probe, obj_path);
	check = xa_probe_argv(ctx, unit->abi, unit->view, src->public_dir,
			      check_flags, probe, NULL);
	if (!argv || !check) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	rounds.check = check;
	rounds.compile = argv;
	rounds.probe = lr.probe = probe;

	ret = xa_probe_rounds(ctx, &rounds);
	if (ret < 0)
		goto out;
	ret = 0;
	unit->nheaders = bs->nlines;
	unit->failures = xa_vec_finish(&lr.failures, arena, &unit->nfailures);
out:
	xa_vec_release(&lr.failures);
	for (size_t i = 0; bs->message && i < src->nheaders; i++)
		free(bs->message[i]);
	free(bs->message);
	free(bs->line_header);
	free(lr.alone);
	free(lr.hidden);
	free(lr.in_main);
	xa_argv_free(argv);
	xa_argv_free(check);
	free(probe);
	return ret;
}
