/* SPDX-License-Identifier: MIT */
/*
 * encode: the continuation encodings named by lib/continuations.txt (the
 * manifest, data compiled in): their macros are pulled out of a Xen
 * tree's internal files with the #defines they use, and evaluated by the
 * compiler per ABI.  Also the bit arithmetic the reports use.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"

extern const char xa_continuations_manifest[];

static void encoding_release(struct xa_encoding *e)
{
	free(e->hypercall);
	free(e->field);
	free(e->arg);
	free(e->shift);
	free(e->mask);
	free(e->flag);
	for (size_t i = 0; i < e->nfiles; i++)
		free(e->files[i]);
	free(e->files);
	free(e->subop_header);
	free(e->subop_glob);
	for (size_t i = 0; i < e->nexcept; i++)
		free(e->except[i]);
	free(e->except);
	for (size_t i = 0; i < e->ncontinued; i++)
		free(e->continued[i]);
	free(e->continued);
}

void xa_encodings_free(struct xa_encoding *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		encoding_release(&e[i]);
	free(e);
}

static char **push_word(char ***arr, size_t *n, const char *w)
{
	char **a = realloc(*arr, (*n + 1) * sizeof(char *));

	if (!a)
		return NULL;
	*arr = a;
	if (!(a[*n] = strdup(w)))
		return NULL;
	(*n)++;
	return a;
}

int xa_encodings_load(struct xenabi_ctx *ctx, struct xa_encoding **out,
		      size_t *count)
{
	char *text = strdup(xa_continuations_manifest), *save = NULL, *line;
	struct xa_vec v;
	struct xa_encoding *cur = NULL;
	unsigned int lineno = 0;
	int ret = 0;

	xa_vec_init(&v, sizeof(struct xa_encoding));
	if (!text)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (line = strtok_r(text, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		char *wsave = NULL, *key = strtok_r(line, " \t", &wsave);
		char *w;

		lineno++;
		if (!key || *key == '#')
			continue;
		if (!strcmp(key, "encoding")) {
			char *h = strtok_r(NULL, " \t", &wsave);
			char *f = strtok_r(NULL, " \t", &wsave);

			cur = xa_vec_push(&v);
			if (!cur || !h || !f || !(cur->hypercall = strdup(h)) ||
			    !(cur->field = strdup(f)))
				ret = -1;
			continue;
		}
		if (!cur) {
			ret = -1;
			break;
		}
		w = strtok_r(NULL, " \t", &wsave);
		if (!w) {
			ret = -1;
		} else if (!strcmp(key, "arg")) {
			char *bits = strtok_r(NULL, " \t", &wsave), *end;

			ret = (cur->arg = strdup(w)) ? 0 : -1;
			if (!ret && bits) {
				cur->arg_bits = strtoul(bits, &end, 10);
				if (*end || !cur->arg_bits || cur->arg_bits > 64)
					ret = -1;
			}
		} else if (!strcmp(key, "shift")) {
			ret = (cur->shift = strdup(w)) ? 0 : -1;
		} else if (!strcmp(key, "mask")) {
			ret = (cur->mask = strdup(w)) ? 0 : -1;
		} else if (!strcmp(key, "flag")) {
			ret = (cur->flag = strdup(w)) ? 0 : -1;
		} else if (!strcmp(key, "abis")) {
			for (; w && !ret; w = strtok_r(NULL, " \t", &wsave)) {
				int abi = xenabi_abi_parse(w);

				if (abi < 0)
					ret = -1;
				else
					cur->abis |= 1u << abi;
			}
		} else if (!strcmp(key, "files")) {
			for (; w && !ret; w = strtok_r(NULL, " \t", &wsave))
				ret = push_word(&cur->files, &cur->nfiles, w) ? 0 : -1;
		} else if (!strcmp(key, "continued")) {
			for (; w && !ret; w = strtok_r(NULL, " \t", &wsave))
				ret = push_word(&cur->continued, &cur->ncontinued,
						w) ? 0 : -1;
		} else if (!strcmp(key, "subops")) {
			char *glob = strtok_r(NULL, " \t", &wsave);

			if (!glob || !(cur->subop_header = strdup(w)) ||
			    !(cur->subop_glob = strdup(glob)))
				ret = -1;
			w = strtok_r(NULL, " \t", &wsave);
			if (!ret && w && !strcmp(w, "except"))
				while (!ret && (w = strtok_r(NULL, " \t", &wsave)))
					ret = push_word(&cur->except, &cur->nexcept,
							w) ? 0 : -1;
		} else {
			ret = -1;
		}
	}
	free(text);
	for (size_t i = 0; !ret && i < v.len; i++) {
		struct xa_encoding *e = (struct xa_encoding *)v.data + i;

		/* Every entry says where it is and what it is made of. */
		if (!e->nfiles || (!e->shift && !e->mask && !e->flag) ||
		    (!e->arg && !(e->arg = strdup("cmd"))))
			ret = -1;
	}
	if (ret) {
		xa_encodings_free(v.data, v.len);
		/* The manifest is ours: a bad one is a build defect. */
		return xa_error(ctx, XENABI_EINVAL,
				"the continuation manifest is malformed near "
				"entry line %u", lineno);
	}
	*out = v.data;
	*count = v.len;
	return 0;
}

bool xa_const_from_tree(const struct xenabi_const *c)
{
	return !strncmp(c->file, "xen/", 4);
}

bool xa_encoding_subop(const struct xa_encoding *e, const char *file,
		       const char *name)
{
	if (!e->subop_header || strcmp(file, e->subop_header) ||
	    fnmatch(e->subop_glob, name, 0))
		return false;
	for (size_t i = 0; i < e->nexcept; i++)
		if (!fnmatch(e->except[i], name, 0))
			return false;
	return true;
}

/* ---- bits ------------------------------------------------------------------ */

/* The op bits of a mask value: its width when it is 2^n - 1, else 0. */
unsigned int xa_mask_bits(uint64_t mask)
{
	unsigned int n = 0;

	while (n < 64 && (mask >> n) & 1)
		n++;
	return n < 64 && (mask >> n) ? 0 : n;
}

static const struct xenabi_const *find_const(const struct xenabi_unit *u,
					     const char *name)
{
	struct xenabi_const key = { .name = name };

	if (!name || !u->nconsts)
		return NULL;
	return bsearch(&key, u->consts, u->nconsts, sizeof(key), xa_const_cmp);
}

bool xa_encoding_bits(const struct xa_encoding *e, const struct xenabi_unit *u,
		      struct xa_enc_bits *b)
{
	const struct xenabi_const *shift = find_const(u, e->shift);
	const struct xenabi_const *mask = find_const(u, e->mask);
	const struct xenabi_const *flag = find_const(u, e->flag);

	memset(b, 0, sizeof(*b));
	b->word = e->arg_bits ? e->arg_bits
			      : xa_abi_info(u->abi)->pointer_size * 8;
	if (shift && shift->class == XENABI_CONST_INT)
		b->cont_lo = shift->value < b->word ? shift->value : b->word;
	/* Without a mask the op is what lies below the progress. */
	if (mask && mask->class == XENABI_CONST_INT)
		b->op_bits = xa_mask_bits(mask->value);
	else
		b->op_bits = b->cont_lo;
	/* Without a shift the progress is what lies above the op. */
	if (!shift && b->op_bits)
		b->cont_lo = b->op_bits;
	if (flag && flag->class == XENABI_CONST_INT)
		b->flag = flag->value;
	b->anchor = shift ? shift : mask ? mask : flag;
	return b->anchor != NULL;
}

bool xa_enc_bits_equal(const struct xa_enc_bits *a, const struct xa_enc_bits *b)
{
	return a->word == b->word && a->op_bits == b->op_bits &&
	       a->cont_lo == b->cont_lo && a->flag == b->flag;
}

/* "[63..6]", or "[31]" for one bit. */
static void range(struct xa_buf *buf, unsigned int hi, unsigned int lo)
{
	if (hi == lo)
		xa_buf_printf(buf, "[%u]", hi);
	else
		xa_buf_printf(buf, "[%u..%u]", hi, lo);
}

char *xa_encoding_layout(struct xa_arena *arena, const struct xa_encoding *e,
			 const struct xa_enc_bits *b)
{
	struct xa_buf buf;
	char *s;

	xa_buf_init(&buf);
	xa_buf_printf(&buf, "%s: ", e->arg);
	if (b->flag) {
		unsigned int bit = 0;

		while (bit < 63 && !((b->flag >> bit) & 1))
			bit++;
		if (b->flag == 1ULL << bit)
			range(&buf, bit, bit);
		else
			xa_buf_printf(&buf, "0x%llx", (unsigned long long)b->flag);
		xa_buf_printf(&buf, " %s", e->field);
	} else if (b->cont_lo && b->cont_lo < b->word) {
		range(&buf, b->word - 1, b->cont_lo);
		xa_buf_printf(&buf, " %s", e->field);
		if (b->op_bits) {
			xa_buf_puts(&buf, " | ");
			range(&buf, b->op_bits - 1, 0);
			xa_buf_puts(&buf, " op");
		}
	} else {
		range(&buf, b->word - 1, 0);
		xa_buf_puts(&buf, " op");
	}
	s = buf.oom ? NULL : xa_arena_strdup(arena, buf.s ? buf.s : "");
	xa_buf_release(&buf);
	return s;
}

char *xa_encoding_moved(struct xa_arena *arena, const struct xa_encoding *e,
			const struct xa_enc_bits *old,
			const struct xa_enc_bits *new)
{
	struct xa_buf buf;
	char *s;

	xa_buf_init(&buf);
	if (!new) {
		xa_buf_printf(&buf, "%s is no longer kept in %s", e->field,
			      e->arg);
	} else if (old->flag != new->flag) {
		xa_buf_printf(&buf, "the %s flag moved from 0x%llx to 0x%llx",
			      e->field, (unsigned long long)old->flag,
			      (unsigned long long)new->flag);
	} else if (old->cont_lo != new->cont_lo || old->word != new->word) {
		xa_buf_printf(&buf, "%s moved from %s", e->field, e->arg);
		range(&buf, old->word - 1, old->cont_lo);
		xa_buf_printf(&buf, " to %s", e->arg);
		range(&buf, new->word - 1, new->cont_lo);
	} else {
		xa_buf_printf(&buf, "the op bits moved from %s", e->arg);
		range(&buf, old->op_bits ? old->op_bits - 1 : 0, 0);
		xa_buf_printf(&buf, " to %s", e->arg);
		range(&buf, new->op_bits ? new->op_bits - 1 : 0, 0);
	}
	s = buf.oom ? NULL : xa_arena_strdup(arena, buf.s ? buf.s : "");
	xa_buf_release(&buf);
	return s;
}

/* ---- extraction ------------------------------------------------------------ */

struct define {
	char *name;
	char *text;	/* the whole #define, continuation lines joined */
	unsigned int line;
	bool wanted;
};

static bool ident_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* The #define a whole (joined) line is, if it is one, appended to defs. */
static void take_define(const char *joined, unsigned int line, struct xa_vec *defs)
{
	const char *p = joined;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '#')
		return;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!strncmp(p, "define", 6) && (p[6] == ' ' || p[6] == '\t')) {
		const char *n = p + 7, *e;
		struct define *d;

		while (*n == ' ' || *n == '\t')
			n++;
		for (e = n; ident_char(*e); e++)
			;
		if (e > n && *e != '(' && (d = xa_vec_push(defs))) {
			d->name = strndup(n, e - n);
			d->text = strdup(joined);
			d->line = line;
		}
	}
}

/*
 * Object-like #defines of a file, in order.  A backslash on the file's
 * last line continues into nothing: that line still counts.
 */
static int read_defines(const char *path, struct xa_vec *defs)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	unsigned int lineno = 0, start = 0;
	struct xa_buf acc;

	if (!f)
		return -1;
	xa_buf_init(&acc);
	while (getline(&buf, &cap, f) > 0) {
		size_t len = strcspn(buf, "\n");

		lineno++;
		if (!acc.len)
			start = lineno;
		if (len && buf[len - 1] == '\\') {
			xa_buf_add(&acc, buf, len - 1);
			xa_buf_puts(&acc, " ");
			continue;
		}
		xa_buf_add(&acc, buf, len);
		take_define(acc.s ? acc.s : "", start, defs);
		acc.len = 0;
		if (acc.s)
			acc.s[0] = '\0';
	}
	if (acc.len)
		take_define(acc.s, start, defs);
	free(buf);
	xa_buf_release(&acc);
	fclose(f);
	return 0;
}

static struct define *find_define(struct xa_vec *defs, const char *name,
				  size_t len)
{
	struct define *d = defs->data;

	/* The last definition is the one in force at the end of the file. */
	for (size_t i = defs->len; i-- > 0;)
		if (strlen(d[i].name) == len && !strncmp(d[i].name, name, len))
			return &d[i];
	return NULL;
}

/* Mark a macro and, recursively, every macro of the file it uses. */
static void want(struct xa_vec *defs, struct define *d, int depth)
{
	const char *p;

	if (!d || d->wanted || depth > 32)
		return;
	d->wanted = true;
	p = strstr(d->text, d->name) + strlen(d->name);
	while (*p) {
		const char *s;

		if (!ident_char(*p) || (*p >= '0' && *p <= '9')) {
			p++;
			continue;
		}
		for (s = p; ident_char(*p); p++)
			;
		want(defs, find_define(defs, s, p - s), depth + 1);
	}
}

static void free_defines(struct xa_vec *defs)
{
	struct define *d = defs->data;

	for (size_t i = 0; i < defs->len; i++) {
		free(d[i].name);
		free(d[i].text);
	}
	xa_vec_release(defs);
}

static int add_failure(struct xa_arena *arena, struct xa_vec *failures,
		       const char *header, const char *message)
{
	struct xenabi_failure *f = xa_vec_push(failures);

	if (!f || !(f->header = xa_arena_strdup(arena, header)) ||
	    !(f->message = xa_arena_strdup(arena, message)))
		return -1;
	return 0;
}

/* What one encoding needs: its file, and the #defines its macros use. */
struct found {
	const struct xa_encoding *e;
	const char *file;
	struct xa_vec defs;	/* struct define, wanted ones marked */
	unsigned int probed;	/* the roles the probe evaluates, a bit each */
};

/* An encoding's macros, in a fixed order: shift, mask, flag. */
#define NROLES 3

static void roles(const struct xa_encoding *e, const char *macros[NROLES])
{
	macros[XA_ROLE_SHIFT] = e->shift;
	macros[XA_ROLE_MASK] = e->mask;
	macros[XA_ROLE_FLAG] = e->flag;
}

static bool defines_all(struct xa_vec *defs, const struct xa_encoding *e)
{
	const char *macros[NROLES];

	roles(e, macros);
	for (int m = 0; m < NROLES; m++)
		if (macros[m] && !find_define(defs, macros[m], strlen(macros[m])))
			return false;
	return true;
}

static int find_encoding(const struct xa_encoding *e, const char *top,
			 struct found *fd)
{
	const char *macros[NROLES];

	roles(e, macros);

	fd->e = e;
	fd->file = NULL;
	xa_vec_init(&fd->defs, sizeof(struct define));
	for (size_t i = 0; i < e->nfiles && !fd->file; i++) {
		char path[4096];

		free_defines(&fd->defs);
		xa_vec_init(&fd->defs, sizeof(struct define));
		snprintf(path, sizeof(path), "%s/%s", top, e->files[i]);
		if (read_defines(path, &fd->defs))
			continue;
		if (defines_all(&fd->defs, e))
			fd->file = e->files[i];
	}
	for (int m = 0; fd->file && m < NROLES; m++)
		if (macros[m])
			want(&fd->defs, find_define(&fd->defs, macros[m],
						    strlen(macros[m])), 0);
	return fd->file ? 0 : -1;
}

/*
 * The probe of every encoding found: each file's #defines in its own
 * block, #undef'd after, so two files cannot clash; the values are taken
 * where each block is in force, as enumerators.
 */
static int write_probe(const char *path, struct found *fd, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs("#include <stddef.h>\n#include <stdint.h>\n", f);
	for (size_t k = 0; k < n; k++) {
		const char *macros[NROLES];
		struct define *d = fd[k].defs.data;

		if (!fd[k].file || !fd[k].probed)
			continue;
		roles(fd[k].e, macros);
		for (size_t i = 0; i < fd[k].defs.len; i++)
			if (d[i].wanted)
				fprintf(f, "%s\n", d[i].text);
		fprintf(f, "enum xa_values%zu : unsigned long long {\n", k);
		for (int m = 0; m < NROLES; m++)
			if (macros[m] && (fd[k].probed & 1u << m))
				fprintf(f, "xa_v%zu = (unsigned long long)(%s), "
					   "xa_t%zu = _Generic((%s), " XA_TYPE_CODES "),\n",
					NROLES * k + m, macros[m], NROLES * k + m,
					macros[m]);
		fprintf(f, "xa_end%zu };\nenum xa_values%zu xa_use%zu;\n", k, k, k);
		for (size_t i = 0; i < fd[k].defs.len; i++)
			if (d[i].wanted)
				fprintf(f, "#undef %s\n", d[i].name);
	}
	return fclose(f) ? -1 : 0;
}

/*
 * Why an encoding's macros were not found: those no file of its list
 * defines, or that none defines them all.
 */
static void not_found(const struct xa_encoding *e, const char *top, char *msg,
		      size_t size)
{
	const char *macros[NROLES];
	struct xa_buf missing, files;

	roles(e, macros);
	xa_buf_init(&missing);
	xa_buf_init(&files);
	for (size_t i = 0; i < e->nfiles; i++)
		xa_buf_printf(&files, "%s%s", i ? ", " : "", e->files[i]);
	for (int m = 0; m < NROLES; m++) {
		bool anywhere = false;

		if (!macros[m])
			continue;
		for (size_t i = 0; i < e->nfiles && !anywhere; i++) {
			struct xa_vec defs;
			char path[4096];

			xa_vec_init(&defs, sizeof(struct define));
			snprintf(path, sizeof(path), "%s/%s", top, e->files[i]);
			anywhere = !read_defines(path, &defs) &&
				   find_define(&defs, macros[m], strlen(macros[m]));
			free_defines(&defs);
		}
		if (!anywhere)
			xa_buf_printf(&missing, "%s%s", missing.len ? ", " : "",
				      macros[m]);
	}
	if (missing.len)
		snprintf(msg, size, "%s not found in this release (looked in %s)",
			 missing.s, files.s ? files.s : "");
	else
		snprintf(msg, size, "no one file defines all its macros (looked "
			 "in %s)", files.s ? files.s : "");
	xa_buf_release(&missing);
	xa_buf_release(&files);
}

/* Write the probe of what fd marks as probed and compile it into run. */
static int compile_probe(struct xenabi_ctx *ctx, char **argv, const char *probe,
			 struct found *fd, size_t nenc, struct xa_run *run)
{
	xa_run_release(run);
	if (write_probe(probe, fd, nenc))
		return xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", probe,
				strerror(errno));
	return xa_probe_run(ctx, argv, NULL, run);
}

/*
 * Each macro in a probe of its own: one that does not compile is a
 * failure of its encoding, naming it and the compiler's first error, and
 * leaves the probe; the others stay.
 */
static int isolate(struct xenabi_ctx *ctx, char **argv, const char *probe,
		   struct found *fd, size_t nenc, struct xa_arena *arena,
		   struct xa_vec *failures)
{
	unsigned int *keep = calloc(nenc + 1, sizeof(*keep));
	struct xa_run run = { 0 };
	int ret = 0;

	if (!keep)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (size_t k = 0; k < nenc; k++)
		keep[k] = fd[k].probed;
	for (size_t k = 0; k < nenc && !ret; k++) {
		const char *macros[NROLES];
		char label[128], msg[512], first[256] = "";
		struct xa_buf bad;

		if (!keep[k])
			continue;
		roles(fd[k].e, macros);
		xa_buf_init(&bad);
		for (int m = 0; m < NROLES && !ret; m++) {
			const char *err;

			if (!(keep[k] & 1u << m))
				continue;
			for (size_t j = 0; j < nenc; j++)
				fd[j].probed = j == k ? 1u << m : 0;
			if ((ret = compile_probe(ctx, argv, probe, fd, nenc, &run)) ||
			    !run.status)
				continue;
			keep[k] &= ~(1u << m);
			xa_buf_printf(&bad, "%s%s", bad.len ? ", " : "", macros[m]);
			if (!*first && (err = strstr(run.err, "error: ")))
				snprintf(first, sizeof(first), "%.*s",
					 (int)strcspn(err, "\n"), err);
		}
		/* One failure per encoding: the store keeps one per name. */
		if (!ret && bad.len) {
			snprintf(label, sizeof(label), "continuation %s",
				 fd[k].e->hypercall);
			snprintf(msg, sizeof(msg), "%s %s not evaluate in %s: %s",
				 bad.s, strchr(bad.s, ',') ? "do" : "does",
				 fd[k].file, first);
			if (add_failure(arena, failures, label, msg))
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
		if (bad.oom && !ret)
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		xa_buf_release(&bad);
	}
	for (size_t k = 0; k < nenc; k++)
		fd[k].probed = keep[k];
	xa_run_release(&run);
	free(keep);
	return ret;
}

int xa_encodings_scan(struct xenabi_ctx *ctx, const struct xa_encoding *enc,
		      size_t nenc, const char *top, enum xenabi_abi abi,
		      const char *workdir, struct xa_arena *arena,
		      struct xa_vec *consts, struct xa_vec *failures)
{
	static const char *const flags[] = { "-c", "-g", "-gdwarf-4", NULL };
	struct found *fd = calloc(nenc + 1, sizeof(*fd));
	uint64_t *values = calloc(NROLES * nenc + 1, sizeof(uint64_t));
	uint64_t *types = calloc(NROLES * nenc + 1, sizeof(uint64_t));
	bool *seen = calloc(NROLES * nenc + 1, sizeof(bool));
	bool *tseen = calloc(NROLES * nenc + 1, sizeof(bool));
	char *probe = NULL, *obj = NULL, **argv = NULL;
	struct xa_run run = { 0 };
	size_t found = 0;
	int ret = 0;

	if (!fd || !values || !types || !seen || !tseen) {
		ret = -1;
		goto out;
	}
	for (size_t k = 0; k < nenc && !ret; k++) {
		char label[128], msg[512];
		const struct xa_encoding *e = &enc[k];

		/* hvm_op's and mmu_update's are x86's alone. */
		if (e->abis && !(e->abis & (1u << abi)))
			continue;
		if (!find_encoding(e, top, &fd[k])) {
			found++;
			continue;
		}
		/* Reported, not ignored: the manifest says it should be here. */
		snprintf(label, sizeof(label), "continuation %s", e->hypercall);
		not_found(e, top, msg, sizeof(msg));
		ret = add_failure(arena, failures, label, msg);
	}
	if (ret || !found)
		goto out;
	if (asprintf(&probe, "%s/cont-%s.c", workdir, xenabi_abi_name(abi)) < 0 ||
	    asprintf(&obj, "%s/cont-%s.o", workdir, xenabi_abi_name(abi)) < 0 ||
	    /* No include path: the macros stand on what their file defines. */
	    !(argv = xa_probe_argv(ctx, abi, XENABI_VIEW_TOOLS, workdir, flags,
				   probe, obj))) {
		ret = -1;
		goto out;
	}
	for (size_t k = 0; k < nenc; k++)
		fd[k].probed = fd[k].file ? (1u << NROLES) - 1 : 0;
	if ((ret = compile_probe(ctx, argv, probe, fd, nenc, &run)))
		goto out;
	/* One macro that does not evaluate sinks the probe: find it. */
	if (run.status &&
	    ((ret = isolate(ctx, argv, probe, fd, nenc, arena, failures)) ||
	     (ret = compile_probe(ctx, argv, probe, fd, nenc, &run))))
		goto out;
	if (run.status) {
		/* Only the ones that evaluate alone are left; together they fail. */
		const char *err = strstr(run.err, "error: ");
		char msg[512];

		snprintf(msg, sizeof(msg), "do not evaluate together: %.*s",
			 err ? (int)strcspn(err, "\n") : 0, err ? err : "");
		ret = add_failure(arena, failures, "continuation encodings", msg);
		goto out;
	}
	if ((ret = xa_dwarf_read_enumerators(ctx, obj, "xa_v", NROLES * nenc,
					     values, seen)) ||
	    (ret = xa_dwarf_read_enumerators(ctx, obj, "xa_t", NROLES * nenc,
					     types, tseen)))
		goto out;
	for (size_t k = 0; k < nenc; k++) {
		const char *macros[NROLES] = { NULL };

		if (fd[k].file)
			roles(fd[k].e, macros);
		for (int m = 0; fd[k].file && m < NROLES; m++) {
			size_t x = NROLES * k + m;
			struct define *d;
			struct xenabi_const *c;

			if (!macros[m] || !(fd[k].probed & 1u << m))
				continue;
			if (!seen[x] || !tseen[x] || !types[x]) {
				char label[128], msg[512];

				/* Not an integer: reported, never dropped. */
				snprintf(label, sizeof(label), "continuation %s",
					 fd[k].e->hypercall);
				snprintf(msg, sizeof(msg), "%s does not evaluate to "
					 "an integer constant in %s", macros[m],
					 fd[k].file);
				if ((ret = add_failure(arena, failures, label, msg)))
					goto out;
				continue;
			}
			d = find_define(&fd[k].defs, macros[m], strlen(macros[m]));
			if (!(c = xa_vec_push(consts))) {
				ret = -1;
				goto out;
			}
			c->name = xa_arena_strdup(arena, macros[m]);
			c->text = xa_arena_strdup(arena, strstr(d->text, d->name) +
								 strlen(d->name));
			c->file = xa_arena_strdup(arena, fd[k].file);
			c->line = d->line;
			c->class = XENABI_CONST_INT;
			c->value = values[x];
			c->width = types[x] >> 1;
			c->is_signed = types[x] & 1;
			c->str = "";
			if (!c->name || !c->text || !c->file) {
				ret = -1;
				goto out;
			}
		}
	}
out:
	if (ret == -1)
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (size_t k = 0; fd && k < nenc; k++)
		if (fd[k].e)
			free_defines(&fd[k].defs);
	free(fd);
	free(values);
	free(types);
	free(seen);
	free(tseen);
	xa_run_release(&run);
	xa_argv_free(argv);
	free(probe);
	free(obj);
	return ret;
}

const struct xa_encoding *xa_encoding_of(const struct xa_encoding *enc,
					 size_t nenc, const char *macro,
					 enum xa_enc_role *role)
{
	for (size_t i = 0; i < nenc; i++) {
		const char *macros[NROLES];

		roles(&enc[i], macros);
		for (int m = 0; m < NROLES; m++)
			if (macros[m] && !strcmp(macros[m], macro)) {
				*role = m;
				return &enc[i];
			}
	}
	return NULL;
}

/* An encoding's mask in a unit: the mask macro, or 2^shift - 1; 0: none. */
uint64_t xa_encoding_mask(const struct xa_encoding *e,
			  const struct xenabi_unit *u, const char **macro)
{
	const struct xenabi_const *mask = find_const(u, e->mask);
	const struct xenabi_const *shift = find_const(u, e->shift);

	if (mask && mask->class == XENABI_CONST_INT) {
		*macro = mask->name;
		return mask->value;
	}
	if (shift && shift->class == XENABI_CONST_INT) {
		*macro = shift->name;
		return shift->value >= 64 ? UINT64_MAX : (1ULL << shift->value) - 1;
	}
	return 0;
}

void xa_subops_exceeding(const struct xenabi_unit *u,
			 const struct xa_encoding *enc, size_t nenc,
			 void (*found)(void *data, const struct xa_encoding *e,
				       const struct xenabi_const *c,
				       uint64_t mask, const char *macro),
			 void *data)
{
	for (size_t k = 0; k < nenc; k++) {
		const char *macro = NULL;
		uint64_t mask = xa_encoding_mask(&enc[k], u, &macro);

		if (!mask)
			continue;
		for (size_t i = 0; i < u->nconsts; i++) {
			const struct xenabi_const *c = &u->consts[i];

			if ((c->class == XENABI_CONST_INT ||
			     c->class == XENABI_CONST_ENUMERATOR) &&
			    c->value > mask &&
			    xa_encoding_subop(&enc[k], c->file, c->name))
				found(data, &enc[k], c, mask, macro);
		}
	}
}

/* ---- the public view of one encoding ------------------------------------- */

int xenabi_encoding_find(struct xenabi_ctx *ctx, const struct xenabi_unit *u,
			 const char *name, struct xenabi_encoding_info *out)
{
	struct xa_encoding *enc = NULL;
	const struct xa_encoding *e = NULL;
	struct xa_arena *arena = NULL;
	struct xa_enc_bits b;
	enum xa_enc_role role;
	size_t nenc = 0;
	char *layout;
	int ret;

	memset(out, 0, sizeof(*out));
	if ((ret = xa_encodings_load(ctx, &enc, &nenc)))
		return ret;
	for (size_t i = 0; i < nenc && !e; i++)
		if (!strcmp(enc[i].hypercall, name))
			e = &enc[i];
	if (!e)
		e = xa_encoding_of(enc, nenc, name, &role);
	if (!e) {
		ret = xa_error(ctx, XENABI_ENOTFOUND, "'%s' is not a continuation "
			       "encoding", name);
		goto out;
	}
	snprintf(out->hypercall, sizeof(out->hypercall), "%s", e->hypercall);
	snprintf(out->arg, sizeof(out->arg), "%s", e->arg);
	snprintf(out->field, sizeof(out->field), "%s", e->field);
	if (!xa_encoding_bits(e, u, &b)) {
		ret = 1;
		goto out;
	}
	out->word = b.word;
	out->op_bits = b.op_bits;
	out->cont_lo = b.flag ? 0 : b.cont_lo;
	out->flag = b.flag;
	out->macros[0] = find_const(u, e->shift);
	out->macros[1] = find_const(u, e->mask);
	out->macros[2] = find_const(u, e->flag);
	if (!(arena = xa_arena_new()) ||
	    !(layout = xa_encoding_layout(arena, e, &b))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(out->layout, sizeof(out->layout), "%s", layout);
out:
	xa_arena_free(arena);
	xa_encodings_free(enc, nenc);
	return ret;
}

int xenabi_encoding_names(struct xenabi_ctx *ctx, char ***names, size_t *count)
{
	struct xa_encoding *enc = NULL;
	size_t nenc = 0;
	int ret;

	*names = NULL;
	*count = 0;
	if ((ret = xa_encodings_load(ctx, &enc, &nenc)))
		return ret;
	*names = calloc(nenc + 1, sizeof(char *));
	for (size_t i = 0; *names && i < nenc; i++)
		if (!((*names)[i] = strdup(enc[i].hypercall)))
			break;
		else
			*count = i + 1;
	xa_encodings_free(enc, nenc);
	if (!*names || *count != nenc) {
		xa_strings_free(*names, *count);
		*names = NULL;
		*count = 0;
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	return 0;
}
