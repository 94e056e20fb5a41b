/* SPDX-License-Identifier: MIT */
/*
 * scan: one release from a tree, by running source -> probe -> dwarf ->
 * consts for every (ABI, view) unit, several units at once.  Each unit
 * works in its own arena and scratch files; the release adopts them at
 * the end.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xa.h"

struct unit_job {
	/*
	 * A rescan with the parent's headers: the sizes the parent's scan
	 * evaluated (known), and every type it tried (tried), evaluated or
	 * not: the same headers give the same answers.
	 */
	const struct xenabi_ctype *known;
	size_t nknown;
	char **tried;
	size_t ntried;
	/* A rescan: the files that differ from the parent's tree; NULL: all */
	char *const *files;
	size_t nfiles;
	struct xenabi_unit *unit;
	struct xenabi_unit *rel_units;	/* the release's units[], for its index */
	struct xa_arena *arena;
	struct xenabi_ctype *ctypes;	/* a tools unit's, in arena */
	size_t nctypes;
	int ret;
	char errmsg[sizeof(((struct xenabi_ctx *)0)->errmsg)];
};

struct scan_state {
	struct xenabi_ctx *ctx;
	struct xenabi_ctx settings;	/* ctx as the scan began, for workers */
	const struct xa_source *src;
	const struct xa_encoding *enc;
	size_t nenc;
	const char *workdir;
	struct unit_job *jobs;
	unsigned int njobs;
	unsigned int next;
	unsigned int done;
	bool stop;
	pthread_mutex_t lock;
	/*
	 * The hypercall table, read while the first units compile; the
	 * tools units, queued last, wait for it to evaluate its types.
	 */
	struct xa_vec cells;
	bool cells_ready;
	pthread_cond_t cells_cond;
	xenabi_progress_fn progress;
	void *progress_data;
	bool rescan;		/* the units hold the headers' records already */
	/* A partial scan: only the dirty headers probed, merged into parent. */
	const bool *dirty;
	char *const *changed;
	size_t nchanged;
	struct xenabi_unit parent[XENABI_UNIT_COUNT];
};

/* Sorted, and one record per key: C allows a typedef to be repeated. */
static void *sorted_unique(struct xa_vec *vec, int (*cmp)(const void *,
							  const void *),
			   struct xa_arena *arena, size_t *len)
{
	xa_vec_sort_merge(vec, cmp, NULL);
	return xa_vec_finish(vec, arena, len);
}

/*
 * The C spelling of a recorded type, for _Alignof: a tag, a typedef, or
 * for a path-named aggregate the type of its member expression.  NULL
 * when C cannot name it (a path through an unnamed member).
 */
static char *c_type_name(const struct xenabi_unit *unit,
			 const struct xenabi_type *t)
{
	const char *dot = strchr(t->name, '.');
	const struct xenabi_type *td, *tag;
	char root[256], *out = NULL;
	const char *sp;
	size_t len;
	int n;

	if (t->kind == XENABI_KIND_TYPEDEF)
		return strdup(t->name);
	len = dot ? (size_t)(dot - t->name) : strlen(t->name);
	if (len >= sizeof(root) || (dot && strstr(dot, ".@")))
		return NULL;
	memcpy(root, t->name, len);
	root[len] = '\0';
	/* An anonymous aggregate a typedef names has no tag: use the typedef. */
	td = xenabi_unit_find_type(unit, XENABI_KIND_TYPEDEF, root);
	if (td && (sp = strchr(td->target, ' ')) && !strcmp(sp + 1, root) &&
	    (!strncmp(td->target, "struct ", 7) ||
	     !strncmp(td->target, "union ", 6)))
		n = dot ? asprintf(&out, "__typeof__(((%s *)0)->%s)", root,
				   dot + 1)
			: asprintf(&out, "%s", root);
	else if (!dot)
		n = asprintf(&out, "%s %s", xenabi_kind_name(t->kind), root);
	else if ((tag = xenabi_unit_find_type(unit, XENABI_KIND_STRUCT, root)) ||
		 (tag = xenabi_unit_find_type(unit, XENABI_KIND_UNION, root)))
		n = asprintf(&out, "__typeof__(((%s %s *)0)->%s)",
			     xenabi_kind_name(tag->kind), root, dot + 1);
	else
		return NULL;
	return n < 0 ? NULL : out;
}

/* The struct, union or enum a typedef names directly, if recorded. */
static struct xenabi_type *typedef_tag(const struct xenabi_unit *unit,
				       const struct xenabi_type *t)
{
	const char *sp;
	int kind;
	char kw[8];

	if (t->kind != XENABI_KIND_TYPEDEF || !(sp = strchr(t->target, ' ')) ||
	    (size_t)(sp - t->target) >= sizeof(kw) || strchr(sp + 1, ' ') ||
	    strchr(sp + 1, '['))
		return NULL;
	memcpy(kw, t->target, sp - t->target);
	kw[sp - t->target] = '\0';
	kind = xenabi_kind_parse(kw);
	if (kind < 0 || kind == XENABI_KIND_TYPEDEF)
		return NULL;
	return (struct xenabi_type *)xenabi_unit_find_type(unit, kind, sp + 1);
}

/*
 * DWARF 4 records alignment only where the source asked for it, and
 * never a #pragma pack: the alignment computed from the layout is checked
 * against the compiler's _Alignof wherever C can name the type.
 */
static int align_exprs(const struct xa_source *src,
		       const struct xenabi_unit *unit, struct xa_expr **out,
		       size_t **index, size_t *count)
{
	bool *want = calloc(unit->ntypes + 1, sizeof(bool));
	size_t n = 0;

	*out = calloc(unit->ntypes + 1, sizeof(**out));
	*index = calloc(unit->ntypes + 1, sizeof(**index));
	if (!*out || !*index || !want) {
		free(want);
		return -1;
	}
	/*
	 * A partial scan keeps only the changed headers' types, and a kept
	 * typedef of a tag takes the tag's alignment, wherever the tag is.
	 */
	for (size_t i = 0; i < unit->ntypes; i++) {
		const struct xenabi_type *t = &unit->types[i], *tag;

		if (!xa_source_wanted(src, t->file))
			continue;
		want[i] = true;
		if ((tag = typedef_tag(unit, t)))
			want[tag - unit->types] = true;
	}
	for (size_t i = 0; i < unit->ntypes; i++) {
		char *name, *expr;

		/* A typedef of a tag takes the tag's alignment: see below. */
		if (!want[i] || typedef_tag(unit, &unit->types[i]))
			continue;
		name = c_type_name(unit, &unit->types[i]);
		if (!name)
			continue;
		if (asprintf(&expr, "_Alignof(%s)", name) < 0) {
			free(name);
			free(want);
			return -1;
		}
		free(name);
		(*out)[n].expr = expr;
		(*index)[n++] = i;
	}
	free(want);
	*count = n;
	return 0;
}

/*
 * The hypercall table's parameter and result types a tools unit
 * evaluates: those of its architecture's columns (an x86_32 guest's
 * types also for x86_64, the hypervisor it runs on), once each, that C
 * can name from the public headers.  Two expressions per type, after
 * *count already there.
 */
static int ctype_exprs(const struct xenabi_unit *unit,
		       const struct xa_vec *cells, struct xa_expr **exprs,
		       size_t *count, char ***types, size_t *ntypes)
{
	const struct xa_hcall_cell *c = cells->data;
	bool arm = unit->abi == XENABI_ABI_ARM32 || unit->abi == XENABI_ABI_ARM64;

	*types = NULL;
	*ntypes = 0;
	for (size_t i = 0; i < cells->len; i++) {
		char **pt = NULL;
		size_t npt = 0;

		if ((c[i].kind == XA_GUEST_ARM) != arm)
			continue;
		if (xa_hcall_param_types(c[i].params, &pt, &npt)) {
			xa_strings_free(pt, npt);
			return -1;
		}
		for (size_t k = 0; k <= npt; k++) {
			const char *t = k < npt ? pt[k] : c[i].rettype;
			bool seen = false;
			char **grown;

			for (size_t j = 0; j < *ntypes && !seen; j++)
				seen = !strcmp((*types)[j], t);
			if (seen || !xa_ctype_nameable(unit, t))
				continue;
			grown = realloc(*types, (*ntypes + 1) * sizeof(char *));
			if (!grown || !(grown[*ntypes] = strdup(t))) {
				if (grown)
					*types = grown;
				xa_strings_free(pt, npt);
				return -1;
			}
			*types = grown;
			(*ntypes)++;
		}
		xa_strings_free(pt, npt);
	}
	if (!*ntypes)
		return 0;
	{
		struct xa_expr *grown = realloc(*exprs, (*count + 2 * *ntypes + 1) *
							sizeof(**exprs));

		if (!grown)
			return -1;
		*exprs = grown;
	}
	for (size_t j = 0; j < *ntypes; j++) {
		struct xa_expr *e = &(*exprs)[*count + 2 * j];
		char *size, *sign;

		memset(e, 0, 2 * sizeof(*e));
		const char *spelled = xa_ctype_spelling((*types)[j]);

		if (asprintf(&size, "sizeof(%s)", spelled) < 0)
			return -1;
		e[0].expr = size;
		if (asprintf(&sign, "((%s)-1 < 0)", spelled) < 0)
			return -1;
		e[1].expr = sign;
	}
	*count += 2 * *ntypes;
	return 0;
}

static void free_exprs(struct xa_expr *exprs, size_t n)
{
	for (size_t i = 0; exprs && i < n; i++)
		free((char *)exprs[i].expr);
	free(exprs);
}

/*
 * The sizes of the table's types the compiler gave (two expressions per
 * type in exprs: size, signedness), after those job holds already.
 */
static int add_ctypes(struct xenabi_ctx *ctx, struct unit_job *job,
		      enum xenabi_abi abi, struct xa_arena *arena,
		      const struct xa_expr *exprs, char **ctypes, size_t nctypes)
{
	struct xenabi_ctype *all;

	if (!nctypes)
		return 0;
	if (!(all = xa_arena_alloc(arena, (job->nctypes + nctypes) * sizeof(*all))))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if (job->nctypes)
		memcpy(all, job->ctypes, job->nctypes * sizeof(*all));
	job->ctypes = all;
	for (size_t j = 0; j < nctypes; j++) {
		const struct xa_expr *e = &exprs[2 * j];
		struct xenabi_ctype *ct = &job->ctypes[job->nctypes];

		if (!e[0].ok || !e[1].ok || !e[0].value)
			continue;
		ct->abi = abi;
		ct->type = xa_arena_strdup(arena, ctypes[j]);
		ct->size = e[0].value;
		ct->is_signed = e[1].value;
		if (!ct->type)
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		job->nctypes++;
	}
	return 0;
}

static int scan_unit(struct xenabi_ctx *ctx, const struct xa_source *src,
		     const struct xa_encoding *enc, size_t nenc,
		     const char *workdir, struct xenabi_unit *unit,
		     struct xa_arena *arena, const struct xa_vec *cells,
		     struct unit_job *job)
{
	char **ctypes = NULL;
	size_t nctypes = 0, nalign = 0;
	const char *abi = xenabi_abi_name(unit->abi);
	const char *view = xenabi_view_name(unit->view);
	bool *included = calloc(src->nheaders + 1, sizeof(bool));
	struct xa_macro *macros = NULL;
	char **typedefs = NULL;
	struct xa_names names;
	struct xa_vec types, consts, failures;
	struct xa_expr *exprs = NULL;
	size_t *expr_type = NULL, nexprs = 0;
	size_t nmacros = 0, ntypedefs = 0;
	char *obj = NULL;
	int ret;

	xa_vec_init(&types, sizeof(struct xenabi_type));
	xa_vec_init(&consts, sizeof(struct xenabi_const));
	xa_vec_init(&failures, sizeof(struct xenabi_failure));
	if (!included || asprintf(&obj, "%s/layout-%s-%s.o", workdir, abi,
				  view) < 0) {
		obj = NULL;
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if ((ret = xa_probe_layouts(ctx, src, unit, arena, workdir, obj,
				    included)))
		goto out;
	if (!unit->nheaders)
		goto out;
	if ((ret = xa_dwarf_read_types(ctx, obj, src->public_dir, unit->abi,
				       arena, &types, &consts)) ||
	    (ret = xa_dwarf_read_macros(ctx, obj, &macros, &nmacros)) ||
	    (ret = xa_dwarf_read_typedef_names(ctx, obj, &typedefs, &ntypedefs)))
		goto out;
	unit->types = sorted_unique(&types, xa_type_cmp, arena, &unit->ntypes);
	if (unit->ntypes && !unit->types) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if (align_exprs(src, unit, &exprs, &expr_type, &nexprs)) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	nalign = nexprs;
	if (cells && ctype_exprs(unit, cells, &exprs, &nexprs, &ctypes,
				 &nctypes)) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < unit->nfailures; i++) {
		struct xenabi_failure *f = xa_vec_push(&failures);

		if (!f) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
		*f = unit->failures[i];
	}
	names.macros = macros;
	names.nmacros = nmacros;
	names.typedefs = typedefs;
	names.ntypedefs = ntypedefs;
	ret = xa_consts_evaluate(ctx, src, included, unit->abi, unit->view,
				 &names, exprs, nexprs, workdir, arena,
				 &consts, &failures);
	/*
	 * The encodings live in internal files, the same in every view: the
	 * tools unit evaluates them and the others get a copy.
	 */
	if (!ret && src->tree_top && unit->view == XENABI_VIEW_TOOLS &&
	    !src->probe_only)
		ret = xa_encodings_scan(ctx, enc, nenc, src->tree_top, unit->abi,
					workdir, arena, &consts, &failures);
	unit->failures = xa_vec_finish(&failures, arena, &unit->nfailures);
	if (ret)
		goto out;
	for (size_t i = 0; i < nalign; i++)
		if (exprs[i].ok && exprs[i].value)
			unit->types[expr_type[i]].align = exprs[i].value;
	if ((ret = add_ctypes(ctx, job, unit->abi, arena, exprs + nalign, ctypes,
			      nctypes)))
		goto out;
	for (size_t i = 0; i < unit->ntypes; i++) {
		const struct xenabi_type *tag = typedef_tag(unit, &unit->types[i]);

		if (tag)
			unit->types[i].align = tag->align;
	}
	unit->consts = sorted_unique(&consts, xa_const_cmp, arena,
				     &unit->nconsts);
	if (unit->nconsts && !unit->consts)
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
out:
	free_exprs(exprs, nexprs);
	free(expr_type);
	xa_strings_free(ctypes, nctypes);
	xa_macros_free(macros, nmacros);
	xa_strings_free(typedefs, ntypedefs);
	xa_vec_release(&types);
	xa_vec_release(&consts);
	xa_vec_release(&failures);
	free(included);
	free(obj);
	return ret;
}

static bool push_copy(struct xa_vec *vec, const void *elem);
static size_t compiled_headers(const struct xa_source *src,
			       const struct xenabi_unit *unit, bool *included);

/* What a unit has from the internal files rather than the headers. */
static bool failure_from_tree(const struct xenabi_failure *f)
{
	return !strncmp(f->header, "continuation", 12) ||
	       !strcmp(f->header, "hypercall table");
}

/* Whether any of an encoding's files is among the files that changed. */
static bool encoding_changed(const struct xa_encoding *e, char *const *files,
			     size_t nfiles)
{
	for (size_t i = 0; i < e->nfiles; i++)
		for (size_t k = 0; k < nfiles; k++)
			if (!strcmp(e->files[i], files[k]))
				return true;
	return false;
}

/* Whether a constant from the tree is one of e's macros, in e's files. */
static bool encoding_const(const struct xa_encoding *e,
			   const struct xenabi_const *c)
{
	bool named = (e->shift && !strcmp(e->shift, c->name)) ||
		     (e->mask && !strcmp(e->mask, c->name)) ||
		     (e->flag && !strcmp(e->flag, c->name));

	for (size_t i = 0; named && i < e->nfiles; i++)
		if (!strcmp(e->files[i], c->file))
			return true;
	return false;
}

/*
 * Drop what unit has from the internal files (the encodings' constants
 * and failures, the hypercall table's failure), keeping what it has from
 * the headers, into consts and failures; and what kept[] encodings gave,
 * whose files did not change.
 */
static bool keep_header_records(const struct xenabi_unit *unit,
				const struct xa_encoding *enc, size_t nenc,
				const bool *kept, struct xa_vec *consts,
				struct xa_vec *failures)
{
	bool oom = false;

	for (size_t i = 0; i < unit->nconsts; i++) {
		bool keep = !xa_const_from_tree(&unit->consts[i]);

		for (size_t k = 0; k < nenc && !keep && kept; k++)
			keep = kept[k] && encoding_const(&enc[k], &unit->consts[i]);
		if (keep)
			oom |= push_copy(consts, &unit->consts[i]);
	}
	for (size_t i = 0; i < unit->nfailures; i++) {
		const struct xenabi_failure *f = &unit->failures[i];
		bool keep = !failure_from_tree(f);

		for (size_t k = 0; k < nenc && !keep && kept; k++)
			keep = kept[k] && !strncmp(f->header, "continuation ", 13) &&
			       !strcmp(f->header + 13, enc[k].hypercall);
		if (keep)
			oom |= push_copy(failures, f);
	}
	return oom;
}

/*
 * Of the types the hypercall table names, those the parent's scan sized
 * (the same headers: the same sizes) go straight to job->ctypes, those it
 * tried and could not size are dropped; the rest stay in exprs and
 * ctypes (two expressions per type) to be evaluated.  True when out of
 * memory.
 */
static bool reuse_ctypes(struct unit_job *job, enum xenabi_abi abi,
			 struct xa_arena *arena, struct xa_expr *exprs,
			 size_t *nexprs, char **ctypes, size_t *nctypes)
{
	size_t kept = 0;

	job->ctypes = xa_arena_alloc(arena, *nctypes * sizeof(*job->ctypes));
	if (!job->ctypes)
		return true;
	for (size_t j = 0; j < *nctypes; j++) {
		const struct xenabi_ctype *hit = NULL;
		bool tried = false;

		for (size_t k = 0; k < job->nknown && !hit; k++)
			if (job->known[k].abi == abi &&
			    !strcmp(job->known[k].type, ctypes[j]))
				hit = &job->known[k];
		for (size_t k = 0; k < job->ntried && !tried; k++)
			tried = !strcmp(job->tried[k], ctypes[j]);
		if (hit)
			job->ctypes[job->nctypes++] = *hit;
		if (hit || tried) {
			free((char *)exprs[2 * j].expr);
			free((char *)exprs[2 * j + 1].expr);
			free(ctypes[j]);
			continue;
		}
		exprs[2 * kept] = exprs[2 * j];
		exprs[2 * kept + 1] = exprs[2 * j + 1];
		ctypes[kept++] = ctypes[j];
	}
	*nctypes = kept;
	*nexprs = 2 * kept;
	return false;
}

/*
 * A tools unit of a release whose headers are the tree's already: only
 * what the internal files give is evaluated again, the encodings and the
 * sizes of the hypercall table's types, in a probe of the headers that
 * compiled (the same headers, so the same ones).
 */
static int rescan_unit(struct xenabi_ctx *ctx, const struct xa_source *src,
		       const struct xa_encoding *enc, size_t nenc,
		       const char *workdir, struct xenabi_unit *unit,
		       struct xa_arena *arena, const struct xa_vec *cells,
		       struct unit_job *job)
{
	bool *included = calloc(src->nheaders + 1, sizeof(bool));
	bool *kept = calloc(nenc + 1, sizeof(bool));
	struct xa_encoding *todo = calloc(nenc + 1, sizeof(*todo));
	struct xa_vec consts, failures, scratch;
	struct xa_expr *exprs = NULL;
	size_t nexprs = 0, nctypes = 0, ntodo = 0;
	char **ctypes = NULL;
	int ret = 0;

	xa_vec_init(&consts, sizeof(struct xenabi_const));
	xa_vec_init(&failures, sizeof(struct xenabi_failure));
	xa_vec_init(&scratch, sizeof(struct xenabi_const));
	/* No include path: an encoding stands on its own files alone. */
	for (size_t k = 0; kept && todo && k < nenc; k++) {
		kept[k] = job->files &&
			  !encoding_changed(&enc[k], job->files, job->nfiles);
		if (!kept[k])
			todo[ntodo++] = enc[k];
	}
	if (!included || !kept || !todo ||
	    keep_header_records(unit, enc, nenc, kept, &consts, &failures) ||
	    (cells && ctype_exprs(unit, cells, &exprs, &nexprs, &ctypes,
				  &nctypes))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	compiled_headers(src, unit, included);
	if (nctypes && (job->known || job->tried) &&
	    reuse_ctypes(job, unit->abi, arena, exprs, &nexprs, ctypes, &nctypes)) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if (nexprs)
		ret = xa_consts_evaluate(ctx, src, included, unit->abi,
					 unit->view, NULL, exprs, nexprs,
					 workdir, arena, &scratch, &failures);
	if (!ret && ntodo)
		ret = xa_encodings_scan(ctx, todo, ntodo, src->tree_top, unit->abi,
					workdir, arena, &consts, &failures);
	if (ret)
		goto out;
	if ((ret = add_ctypes(ctx, job, unit->abi, arena, exprs, ctypes, nctypes)))
		goto out;
	unit->consts = sorted_unique(&consts, xa_const_cmp, arena, &unit->nconsts);
	unit->failures = xa_vec_finish(&failures, arena, &unit->nfailures);
	if ((unit->nconsts && !unit->consts) ||
	    (unit->nfailures && !unit->failures))
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
out:
	free_exprs(exprs, nexprs);
	xa_strings_free(ctypes, nctypes);
	xa_vec_release(&consts);
	xa_vec_release(&failures);
	xa_vec_release(&scratch);
	free(included);
	free(kept);
	free(todo);
	return ret;
}

/* Whether a partial scan probed the header (or it is gone). */
static bool dirty_header(const struct scan_state *st, const char *header)
{
	const struct xa_source *src = st->src;

	for (size_t k = 0; k < st->nchanged; k++)
		if (!strcmp(st->changed[k], header))
			return true;
	for (size_t i = 0; i < src->nheaders; i++)
		if (!strcmp(src->headers[i], header))
			return st->dirty[i];
	return false;
}


/* Whether a partial scan changed a header that abi's units compile. */
static bool partial_touches(const struct scan_state *st, enum xenabi_abi abi)
{
	for (size_t i = 0; i < st->src->nheaders; i++)
		if (st->dirty[i] && xa_abi_owns_header(abi, st->src->headers[i]))
			return true;
	for (size_t k = 0; k < st->nchanged; k++)
		if (xa_abi_owns_header(abi, st->changed[k]))
			return true;
	return false;
}

/*
 * A macro of a changed header, its text as before, that evaluated in the
 * parent's full probe and does not in the partial one leans on a header
 * it does not include (XEN_ACPI_CPU_MAP_LEN in arch-x86/xen.h is
 * ((HVM_MAX_VCPUS + 7) / 8), from hvm/hvm_info_table.h): only a full
 * probe gives it the context it had.
 */
static bool lost_context(const struct scan_state *st,
			 const struct xenabi_unit *parent,
			 const struct xenabi_unit *unit)
{
	for (size_t i = 0; i < unit->nconsts; i++) {
		const struct xenabi_const *c = &unit->consts[i];

		if (c->class == XENABI_CONST_INT || !dirty_header(st, c->file))
			continue;
		for (size_t k = 0; k < parent->nconsts; k++) {
			const struct xenabi_const *p = &parent->consts[k];

			if (p->class == XENABI_CONST_INT && !strcmp(p->name, c->name) &&
			    !strcmp(p->text, c->text))
				return true;
		}
	}
	return false;
}

/*
 * A changed header that fails in the partial probe and did not in the
 * parent's: it may lean on a header the probe leaves out (as a macro may,
 * above), or the change broke it; only a full probe can say which.
 */
static bool new_failure(const struct xenabi_unit *parent,
			const struct xenabi_unit *unit)
{
	for (size_t i = 0; i < unit->nfailures; i++) {
		bool before = false;

		for (size_t k = 0; k < parent->nfailures && !before; k++)
			before = !strcmp(parent->failures[k].header,
					 unit->failures[i].header);
		if (!before)
			return true;
	}
	return false;
}

/*
 * A unit of a partial scan: the dirty headers probed (with xen.h, as in
 * every probe), their records put in place of the parent's for them; a
 * tools unit then evaluates the internal files' encodings and the table's
 * types over every header, as a rescan does.
 */
static int partial_unit(struct xenabi_ctx *ctx, struct scan_state *st,
			struct unit_job *job, const struct xa_vec *cells)
{
	struct xenabi_unit *unit = job->unit;
	const struct xenabi_unit *parent = &st->parent[unit - job->rel_units];
	struct xa_vec types, consts, failures;
	bool oom = false;
	int ret = 0;

	/* A unit none of whose headers changed keeps its parent's records. */
	if (partial_touches(st, unit->abi))
		ret = scan_unit(ctx, st->src, st->enc, st->nenc, st->workdir,
				unit, job->arena, NULL, job);
	else
		unit->ntypes = unit->nconsts = unit->nfailures = 0;
	if (ret)
		return ret;
	if (lost_context(st, parent, unit) || new_failure(parent, unit))
		return -XENABI_EDECLINED;
	xa_vec_init(&types, sizeof(struct xenabi_type));
	xa_vec_init(&consts, sizeof(struct xenabi_const));
	xa_vec_init(&failures, sizeof(struct xenabi_failure));
	for (size_t i = 0; i < parent->ntypes; i++)
		if (!dirty_header(st, parent->types[i].file))
			oom |= push_copy(&types, &parent->types[i]);
	for (size_t i = 0; i < unit->ntypes; i++)
		if (dirty_header(st, unit->types[i].file))
			oom |= push_copy(&types, &unit->types[i]);
	/* The encodings' records too: rescan_unit sorts them out. */
	for (size_t i = 0; i < parent->nconsts; i++)
		if (!dirty_header(st, parent->consts[i].file))
			oom |= push_copy(&consts, &parent->consts[i]);
	for (size_t i = 0; i < unit->nconsts; i++)
		if (dirty_header(st, unit->consts[i].file))
			oom |= push_copy(&consts, &unit->consts[i]);
	for (size_t i = 0; i < parent->nfailures; i++)
		if (!dirty_header(st, parent->failures[i].header))
			oom |= push_copy(&failures, &parent->failures[i]);
	for (size_t i = 0; i < unit->nfailures; i++)
		if (dirty_header(st, unit->failures[i].header))
			oom |= push_copy(&failures, &unit->failures[i]);
	if (oom) {
		xa_vec_release(&types);
		xa_vec_release(&consts);
		xa_vec_release(&failures);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	unit->types = sorted_unique(&types, xa_type_cmp, job->arena, &unit->ntypes);
	unit->consts = sorted_unique(&consts, xa_const_cmp, job->arena,
				     &unit->nconsts);
	unit->failures = xa_vec_finish(&failures, job->arena, &unit->nfailures);
	if ((!unit->types && unit->ntypes) || (!unit->consts && unit->nconsts) ||
	    (!unit->failures && unit->nfailures))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	unit->nheaders = compiled_headers(st->src, unit, NULL);
	if (!cells || !st->src->tree_top)
		return 0;
	return rescan_unit(ctx, st->src, st->enc, st->nenc, st->workdir, unit,
			   job->arena, cells, job);
}

static void *worker(void *arg)
{
	struct scan_state *st = arg;
	/*
	 * Each worker has its own context, so that messages do not
	 * interleave; the settings are the caller's, all of them.
	 */
	struct xenabi_ctx wctx = st->settings;

	for (;;) {
		struct unit_job *job;
		bool tree_tools;
		unsigned int i;

		pthread_mutex_lock(&st->lock);
		i = st->next++;
		if (st->stop || i >= st->njobs) {
			pthread_mutex_unlock(&st->lock);
			break;
		}
		pthread_mutex_unlock(&st->lock);

		tree_tools = st->src->tree_top &&
			     st->jobs[i].unit->view == XENABI_VIEW_TOOLS;
		job = &st->jobs[i];
		if (tree_tools) {
			pthread_mutex_lock(&st->lock);
			while (!st->cells_ready)
				pthread_cond_wait(&st->cells_cond, &st->lock);
			pthread_mutex_unlock(&st->lock);
		}
		wctx.errmsg[0] = '\0';
		if (st->dirty)
			job->ret = partial_unit(&wctx, st, job,
						tree_tools ? &st->cells : NULL);
		else
			job->ret = (st->rescan ? rescan_unit : scan_unit)(
				&wctx, st->src, st->enc, st->nenc, st->workdir,
				job->unit, job->arena,
				tree_tools ? &st->cells : NULL, job);
		memcpy(job->errmsg, wctx.errmsg, sizeof(job->errmsg));

		pthread_mutex_lock(&st->lock);
		st->done++;
		if (job->ret)
			st->stop = true;
		if (st->progress) {
			char what[64];

			snprintf(what, sizeof(what), "%s %s",
				 xenabi_abi_name(job->unit->abi),
				 xenabi_view_name(job->unit->view));
			st->progress(st->progress_data, st->done, st->njobs,
				     what);
		}
		pthread_mutex_unlock(&st->lock);
	}
	return NULL;
}

static bool push_copy(struct xa_vec *vec, const void *elem)
{
	void *slot = xa_vec_push(vec);

	if (slot)
		memcpy(slot, elem, vec->elem);
	return !slot;
}

static int copy_encodings(struct xenabi_ctx *ctx, struct xenabi_release *rel)
{
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		enum xenabi_abi a = xenabi_unit_abi(u);
		const struct xenabi_unit *t = &rel->units[XENABI_UNIT(a, XENABI_VIEW_TOOLS)];
		struct xenabi_unit *g = &rel->units[u];
		struct xa_vec consts, failures;
		bool oom = false;

		if (xenabi_unit_view(u) == XENABI_VIEW_TOOLS || !rel->present[u] ||
		    !g->nheaders)
			continue;

		xa_vec_init(&consts, sizeof(struct xenabi_const));
		xa_vec_init(&failures, sizeof(struct xenabi_failure));
		for (size_t i = 0; i < g->nconsts; i++)
			oom |= push_copy(&consts, &g->consts[i]);
		for (size_t i = 0; i < t->nconsts; i++)
			if (xa_const_from_tree(&t->consts[i]))
				oom |= push_copy(&consts, &t->consts[i]);
		for (size_t i = 0; i < g->nfailures; i++)
			oom |= push_copy(&failures, &g->failures[i]);
		for (size_t i = 0; i < t->nfailures; i++)
			if (!strncmp(t->failures[i].header, "continuation", 12))
				oom |= push_copy(&failures, &t->failures[i]);
		if (oom) {
			xa_vec_release(&consts);
			xa_vec_release(&failures);
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
		if (consts.len)
			qsort(consts.data, consts.len, consts.elem, xa_const_cmp);
		g->consts = xa_vec_finish(&consts, rel->arena, &g->nconsts);
		g->failures = xa_vec_finish(&failures, rel->arena, &g->nfailures);
		if ((g->nconsts && !g->consts) || (g->nfailures && !g->failures))
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * Whether a header that failed in unit refuses the unit's target outright:
 * it is xen.h or the ABI's arch header, the error is its own, and the
 * preprocessor alone stops at it (an #error, as 4.2's xen.h has for
 * aarch64), not a C error a fix could mend.
 */
static int refuses(struct xenabi_ctx *ctx, const struct xa_source *src,
		   const struct xenabi_unit *unit,
		   const struct xenabi_failure *f, const char *workdir,
		   bool *refused)
{
	static const char *const flags[] = { "-E", NULL };
	size_t n = strlen(f->header);
	struct xa_run run = { 0 };
	char *path = NULL, **argv = NULL;
	FILE *fp;
	int ret = 0;

	*refused = false;
	if (!xa_abi_arch_header(unit->abi, f->header) ||
	    strncmp(f->message, f->header, n) || f->message[n] != ':')
		return 0;
	if (asprintf(&path, "%s/refuse-%s-%s.c", workdir,
		     xenabi_abi_name(unit->abi),
		     xenabi_view_name(unit->view)) < 0)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if (!(fp = fopen(path, "w")) ||
	    (fprintf(fp, "#include \"%s\"\n", f->header), fclose(fp))) {
		ret = xa_error(ctx, XENABI_EIO, "cannot write '%s': %s", path,
			       strerror(errno));
		goto out;
	}
	if (!(argv = xa_probe_argv(ctx, unit->abi, unit->view,
				   src->public_dir, flags, path, NULL))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if (!(ret = xa_probe_run(ctx, argv, NULL, &run)))
		*refused = run.status != 0;
	xa_run_release(&run);
out:
	xa_argv_free(argv);
	free(path);
	return ret;
}

/*
 * An ABI that the release's own headers refuse did not exist in it (Xen
 * 4.2 has no arm64): its units are not present, each keeping one failure
 * that says why, and none of what its other headers gave on their own.
 * A tree that refuses every ABI is no release at all.
 */
static int drop_refused_abis(struct xenabi_ctx *ctx,
			     const struct xa_source *src,
			     struct xenabi_release *rel, const char *workdir,
			     const char *dir)
{
	const struct xenabi_failure *whys[XENABI_ABI_COUNT] = { 0 };
	int abis = 0, nrefused = 0;

	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		const struct xenabi_failure *why = NULL;
		int ret;

		abis += rel->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)];
		for (int v = 0; v < XENABI_NVIEWS && !why; v++) {
			const struct xenabi_unit *unit = &rel->units[XENABI_UNIT(a, v)];

			if (!rel->present[XENABI_UNIT(a, v)])
				continue;
			for (size_t i = 0; i < unit->nfailures && !why; i++) {
				bool refused;

				if ((ret = refuses(ctx, src, unit,
						   &unit->failures[i], workdir,
						   &refused)))
					return ret;
				if (refused)
					why = &unit->failures[i];
			}
		}
		nrefused += !!why;
		whys[a] = why;
	}
	if (nrefused && nrefused == abis) {
		for (int a = 0; a < XENABI_ABI_COUNT; a++)
			if (whys[a])
				return xa_error(ctx, XENABI_ECOMPILER,
						"no public header under '%s' "
						"compiled for any ABI; first "
						"error: %s", dir,
						whys[a]->message);
	}
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		const struct xenabi_failure *why = whys[a];
		struct xenabi_failure *f;

		if (!why)
			continue;
		if (!(f = xa_arena_alloc(rel->arena, sizeof(*f))) ||
		    !(f->header = xa_arena_strdup(rel->arena, why->header)) ||
		    !(f->message = xa_arena_printf(rel->arena, "the %s ABI does "
						   "not exist in this release: "
						   "%s", xenabi_abi_name(a),
						   why->message)))
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		for (int v = 0; v < XENABI_NVIEWS; v++) {
			struct xenabi_unit *unit = &rel->units[XENABI_UNIT(a, v)];

			if (!rel->present[XENABI_UNIT(a, v)])
				continue;
			rel->present[XENABI_UNIT(a, v)] = false;
			unit->nheaders = unit->ntypes = unit->nconsts = 0;
			unit->types = NULL;
			unit->consts = NULL;
			unit->failures = f;
			unit->nfailures = 1;
		}
	}
	return 0;
}

/*
 * n (first, second) string pairs of a source, copied into the release's
 * arena as records of size elem with the two strings at off1 and off2,
 * into *out (NULL when n is 0).  False: out of memory.
 */
static bool arena_pairs(struct xa_arena *arena, char **pairs, size_t n,
			size_t elem, size_t off1, size_t off2, void *out)
{
	char *rows = NULL;

	if (n && !(rows = xa_arena_alloc(arena, n * elem)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const char **a = (const char **)(rows + i * elem + off1);
		const char **b = (const char **)(rows + i * elem + off2);

		if (!(*a = xa_arena_strdup(arena, pairs[2 * i])) ||
		    !(*b = xa_arena_strdup(arena, pairs[2 * i + 1])))
			return false;
	}
	memcpy(out, &rows, sizeof(rows));
	return true;
}

/* The source's ("NAME SUBOP", file) pairs as the release's uses. */
static bool arena_uses(struct xenabi_release *rel, char **pairs, size_t n)
{
	if (n && !(rel->uses = xa_arena_alloc(rel->arena, n * sizeof(*rel->uses))))
		return false;
	for (size_t i = 0; i < n; i++) {
		struct xenabi_subop_use *u = &rel->uses[i];
		size_t key = strcspn(pairs[2 * i], " ");
		const char *subop = pairs[2 * i] + key + (pairs[2 * i][key] == ' ');

		if (!(u->name = xa_arena_strndup(rel->arena, pairs[2 * i], key)) ||
		    !(u->subop = xa_arena_strdup(rel->arena, subop)) ||
		    !(u->file = xa_arena_strdup(rel->arena, pairs[2 * i + 1])))
			return false;
	}
	rel->nuses = n;
	return true;
}

/*
 * The struct a save type loads, as the scan saw it: the public
 * DECLARE_HVM_SAVE_TYPE(CPU, 2, struct hvm_hw_cpu) declares
 * struct __HVM_SAVE_TYPE_CPU { struct hvm_hw_cpu t; ... }.  "" when no
 * x86 unit has it.
 */
static const char *save_type_tag(const struct xenabi_release *rel,
				 const char *name)
{
	char holder[128];

	snprintf(holder, sizeof(holder), "__HVM_SAVE_TYPE_%s", name);
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		enum xenabi_abi a = xenabi_unit_abi(u);
		const struct xenabi_type *t;

		if (!rel->present[u] ||
		    (a != XENABI_ABI_X86_32 && a != XENABI_ABI_X86_64) ||
		    !(t = xenabi_unit_find_type(&rel->units[u],
						XENABI_KIND_STRUCT, holder)))
			continue;
		for (size_t i = 0; i < t->nmembers; i++)
			if (!strcmp(t->members[i].name, "t"))
				return strncmp(t->members[i].type, "struct ", 7)
					       ? t->members[i].type
					       : t->members[i].type + 7;
	}
	return "";
}

static int fill_zeroext(struct xenabi_ctx *ctx, const struct xa_source *src,
			struct xenabi_release *rel)
{
	if (!src->nzeroext)
		return 0;
	rel->zeroext = xa_arena_alloc(rel->arena,
				      src->nzeroext * sizeof(*rel->zeroext));
	if (!rel->zeroext)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (size_t i = 0; i < src->nzeroext; i++) {
		struct xenabi_zeroext *z = &rel->zeroext[i];

		z->name = xa_arena_strdup(rel->arena, src->zeroext[2 * i]);
		z->file = xa_arena_strdup(rel->arena, src->zeroext[2 * i + 1]);
		z->tag = xa_arena_strdup(rel->arena,
					 save_type_tag(rel, src->zeroext[2 * i]));
		if (!z->name || !z->file || !z->tag)
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	rel->nzeroext = src->nzeroext;
	return 0;
}

/* The table from hypercall-defs.c, or the older C tables. */
static int read_hypercalls(struct xenabi_ctx *ctx, const char *top,
			   struct xa_vec *cells, char **failure)
{
	int ret = xa_hcall_read_defs(ctx, top, cells, failure);

	if (ret == 1)
		ret = xa_hcall_read_tables(ctx, top, cells, failure);
	if (ret == 1 && !(*failure = strdup("no hypercall table xenabi can "
					    "read (hypercall-defs.c, or the "
					    "C tables of Xen 4.8 on)")))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return ret < 0 ? ret : 0;
}

/* One more failure of unit u of rel, copied into its arena; false: OOM. */
static bool add_failure(struct xenabi_release *rel, int u, const char *header,
			const char *message)
{
	struct xenabi_unit *unit = &rel->units[u];
	struct xenabi_failure *f = xa_arena_alloc(rel->arena, (unit->nfailures + 1) *
						  sizeof(*f));

	if (!f)
		return false;
	if (unit->nfailures)
		memcpy(f, unit->failures, unit->nfailures * sizeof(*f));
	f[unit->nfailures].header = xa_arena_strdup(rel->arena, header);
	f[unit->nfailures].message = xa_arena_strdup(rel->arena, message);
	if (!f[unit->nfailures].header || !f[unit->nfailures].message)
		return false;
	unit->failures = f;
	unit->nfailures++;
	return true;
}

/*
 * A header whose name #include "..." cannot carry is a failure of every
 * unit, named for what is wrong with its name, never compiled: compiled,
 * it would shift the lines that say which header a diagnostic is about.
 */
static int fail_unnamable(struct xenabi_ctx *ctx, const struct xa_source *src,
			  struct xenabi_release *rel)
{
	for (size_t i = 0; i < src->nunnamable; i++)
		for (int u = 0; u < XENABI_UNIT_COUNT; u++)
			if (rel->present[u] &&
			    !add_failure(rel, u, src->unnamable[i],
					 "its name holds a double quote, a backslash "
					 "or a control character, which #include "
					 "\"...\" cannot carry: not compiled; rename it"))
				return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (size_t i = 0; i < src->noutside; i++)
		for (int u = 0; u < XENABI_UNIT_COUNT; u++)
			if (rel->present[u] &&
			    !add_failure(rel, u, src->outside[2 * i],
					 src->outside[2 * i + 1]))
				return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	return 0;
}

/*
 * The release's hypercalls from the cells, with the tools units' type
 * evaluations; a table that could not be read is a failure of the tools
 * units instead ("hypercall table").
 */
static int fill_hypercalls(struct xenabi_ctx *ctx, const struct scan_state *st,
			   struct xenabi_release *rel, const char *failure)
{
	const struct xa_hcall_cell *c = st->cells.data;
	size_t nct = 0;

	if (failure) {
		for (int a = 0; a < XENABI_ABI_COUNT; a++) {
			int u = XENABI_UNIT(a, XENABI_VIEW_TOOLS);

			if (rel->present[u] &&
			    !add_failure(rel, u, "hypercall table", failure))
				return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
		return 0;
	}
	if (!st->cells.len)
		return 0;
	rel->hypercalls = xa_arena_alloc(rel->arena, st->cells.len *
						     sizeof(*rel->hypercalls));
	if (!rel->hypercalls)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (size_t i = 0; i < st->cells.len; i++) {
		struct xenabi_hypercall *h = &rel->hypercalls[i];

		h->name = xa_arena_strdup(rel->arena, c[i].name);
		h->number = xa_arena_strdup(rel->arena, c[i].number ? c[i].number : "");
		h->kind = xa_guest_kind_name(c[i].kind);
		h->handler = xa_arena_strdup(rel->arena, c[i].handler);
		h->priority = c[i].priority;
		h->optional = c[i].optional;
		h->rettype = xa_arena_strdup(rel->arena, c[i].rettype);
		h->params = xa_arena_strdup(rel->arena, c[i].params);
		h->file = xa_arena_strdup(rel->arena, c[i].file);
		if (!h->name || !h->number || !h->handler || !h->rettype ||
		    !h->params || !h->file)
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	rel->nhypercalls = st->cells.len;
	qsort(rel->hypercalls, rel->nhypercalls, sizeof(*rel->hypercalls),
	      xa_hypercall_cmp);
	for (unsigned int i = 0; i < st->njobs; i++)
		nct += st->jobs[i].nctypes;
	if (!nct)
		return 0;
	rel->ctypes = xa_arena_alloc(rel->arena, nct * sizeof(*rel->ctypes));
	if (!rel->ctypes)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	for (unsigned int i = 0; i < st->njobs; i++) {
		if (!st->jobs[i].nctypes)
			continue;
		memcpy(rel->ctypes + rel->nctypes, st->jobs[i].ctypes,
		       st->jobs[i].nctypes * sizeof(*rel->ctypes));
		rel->nctypes += st->jobs[i].nctypes;
	}
	qsort(rel->ctypes, rel->nctypes, sizeof(*rel->ctypes), xa_ctype_cmp);
	return 0;
}

static unsigned int worker_count(const struct xenabi_ctx *ctx,
				 unsigned int njobs)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int n = ctx->jobs ? ctx->jobs : (cpus > 0 ? (unsigned)cpus : 1);

	return n < njobs ? n : njobs;
}

/*
 * How many of the source's headers unit compiled: its own, less those
 * that failed; which ones, into included (src->nheaders; may be NULL).
 */
static size_t compiled_headers(const struct xa_source *src,
			       const struct xenabi_unit *unit, bool *included)
{
	size_t n = 0;

	for (size_t i = 0; i < src->nheaders; i++) {
		bool ok = xa_abi_owns_header(unit->abi, src->headers[i]);

		for (size_t k = 0; k < unit->nfailures && ok; k++)
			ok = strcmp(unit->failures[k].header, src->headers[i]) != 0;
		if (included)
			included[i] = ok;
		n += ok;
	}
	return n;
}

/* The other views' copies of the encodings, from the tools unit's. */
static int strip_tree_records(struct xenabi_ctx *ctx, struct xenabi_release *rel)
{
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		struct xenabi_unit *g = &rel->units[u];
		struct xa_vec consts, failures;

		if (xenabi_unit_view(u) == XENABI_VIEW_TOOLS || !rel->present[u])
			continue;
		xa_vec_init(&consts, sizeof(struct xenabi_const));
		xa_vec_init(&failures, sizeof(struct xenabi_failure));
		if (keep_header_records(g, NULL, 0, NULL, &consts, &failures)) {
			xa_vec_release(&consts);
			xa_vec_release(&failures);
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
		g->consts = xa_vec_finish(&consts, rel->arena, &g->nconsts);
		g->failures = xa_vec_finish(&failures, rel->arena, &g->nfailures);
		if ((g->nconsts && !g->consts) || (g->nfailures && !g->failures))
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * A rescan's tools unit knows from the parent's scan (the same headers)
 * the sizes of the types its table named, and which it tried: the types
 * of the parent's table that ctype_exprs would have evaluated for unit.
 */
static int parent_ctypes(struct xenabi_ctx *ctx, struct unit_job *job,
			 const struct xenabi_unit *unit,
			 const struct xenabi_hypercall *hcalls, size_t nhcalls,
			 const struct xenabi_ctype *ctypes, size_t nctypes)
{
	bool arm = unit->abi == XENABI_ABI_ARM32 || unit->abi == XENABI_ABI_ARM64;
	struct xa_vec tried;

	xa_vec_init(&tried, sizeof(char *));
	job->known = ctypes;
	job->nknown = nctypes;
	for (size_t i = 0; i < nhcalls; i++) {
		char **pt = NULL;
		size_t npt = 0;

		if ((xa_guest_kind_parse(hcalls[i].kind) == XA_GUEST_ARM) != arm)
			continue;
		if (xa_hcall_param_types(hcalls[i].params, &pt, &npt))
			goto oom;
		for (size_t k = 0; k <= npt; k++) {
			const char *t = k < npt ? pt[k] : hcalls[i].rettype;
			char **slot;

			if (!xa_ctype_nameable(unit, t))
				continue;
			if (!(slot = xa_vec_push(&tried)) || !(*slot = strdup(t))) {
				if (slot)
					tried.len--;
				xa_strings_free(pt, npt);
				goto oom;
			}
		}
		xa_strings_free(pt, npt);
	}
	job->tried = tried.data;
	job->ntried = tried.len;
	return 0;
oom:
	xa_strings_free(tried.data, tried.len);
	return xa_error(ctx, XENABI_ENOMEM, "out of memory");
}

/*
 * Which headers a partial scan probes: the changed ones and those whose
 * include closure reaches one, with xen.h, which every probe has first.
 * XENABI_EDECLINED when a partial scan would not pay or not be sure: a
 * change to xen.h or an ABI's own header (which decide whether an ABI
 * exists at all), a quarter of the headers or more, a header left out
 * for its name or for reaching outside the tree.
 */
static int partial_plan(struct xenabi_ctx *ctx, const struct xa_source *src,
			char *const *changed, size_t nchanged, bool **out)
{
	static const char *const roots[] = {
		"xen.h", "xen-compat.h", "arch-x86/xen.h", "arch-x86_32.h",
		"arch-x86_64.h", "arch-x86/xen-x86_32.h",
		"arch-x86/xen-x86_64.h", "arch-arm.h",
	};
	bool *dirty = calloc(src->nheaders + 1, sizeof(bool));
	size_t n = 0;
	int ret;

	*out = NULL;
	if (!dirty)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if ((ret = xa_source_dirty(ctx, src, changed, nchanged, dirty))) {
		free(dirty);
		return ret;
	}
	for (size_t i = 0; i < src->nheaders; i++) {
		n += dirty[i];
		for (size_t k = 0; k < XA_ARRAY_SIZE(roots) && dirty[i]; k++)
			if (!strcmp(src->headers[i], roots[k]))
				n = src->nheaders;
	}
	for (size_t k = 0; k < nchanged; k++)
		for (size_t r = 0; r < XA_ARRAY_SIZE(roots); r++)
			if (!strcmp(changed[k], roots[r]))
				n = src->nheaders;
	if (4 * n >= src->nheaders || src->nunnamable || src->noutside) {
		free(dirty);
		return -XENABI_EDECLINED;
	}
	*out = dirty;
	return 0;
}

/*
 * A scan of dir, or with from (a scan of a tree whose public headers are
 * dir's) a rescan of only what the internal files give, into from.
 */
static int scan(struct xenabi_ctx *ctx, const char *dir, const char *name,
		xenabi_progress_fn progress, void *progress_data,
		struct xenabi_release *from, bool partial, char *const *files,
		size_t nfiles, struct xenabi_release **out)
{
	static const char pub[] = "xen/include/public/";
	struct xa_source src;
	char **changed = NULL;	/* partial: the public headers among files */
	size_t nchanged = 0;
	bool *dirty = NULL, *probe = NULL;
	/* The parent's table and sizes, in its arena: a rescan's answers. */
	const struct xenabi_hypercall *hcalls = NULL;
	const struct xenabi_ctype *ctypes = NULL;
	size_t nhcalls = 0, nctypes = 0;
	struct scan_state st = {
		.ctx = ctx,
		.src = &src,
		.progress = progress,
		.progress_data = progress_data,
		.rescan = from != NULL,
	};
	struct unit_job jobs[XENABI_UNIT_COUNT] = { 0 };

	xa_vec_init(&st.cells, sizeof(struct xa_hcall_cell));
	pthread_t threads[XENABI_UNIT_COUNT];
	unsigned int nthreads = 0;
	struct xenabi_release *rel = NULL;
	char *workdir = NULL, *hcall_failure = NULL;
	int hcall_ret = 0;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t compiled = 0;
	int ret;

	*out = NULL;
	if ((ret = xa_source_open(ctx, dir, &src)))
		return ret;
	if (src.tree_top &&
	    (ret = xa_encodings_load(ctx, (struct xa_encoding **)&st.enc,
				     &st.nenc))) {
		xa_source_release(&src);
		return ret;
	}
	if (from && !src.tree_top) {
		ret = xa_error(ctx, XENABI_EINVAL, "'%s' is no Xen source tree: "
			       "it has no internal files to read again", dir);
		goto out;
	}
	if (partial && !(changed = calloc(nfiles + 1, sizeof(char *)))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; partial && i < nfiles; i++)
		if (!strncmp(files[i], pub, sizeof(pub) - 1))
			changed[nchanged++] = (char *)files[i] + sizeof(pub) - 1;
	if (partial) {
		ret = partial_plan(ctx, &src, changed, nchanged, &dirty);
		if (ret)
			goto out;
		if (!(probe = calloc(src.nheaders + 1, sizeof(bool)))) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < src.nheaders; i++)
			probe[i] = dirty[i] || !strcmp(src.headers[i], "xen.h");
		st.dirty = dirty;
		src.probe_only = probe;
		/* The others' records are the parent's: not worth a value. */
		src.macros_only = dirty;
		st.changed = changed;
		st.nchanged = nchanged;
		memcpy(st.parent, from->units, sizeof(st.parent));
	}
	rel = from ? from : xa_release_new(name);
	if (!rel) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if (from) {
		/* What the internal files gave is all read again. */
		hcalls = rel->hypercalls;
		nhcalls = rel->nhypercalls;
		ctypes = rel->ctypes;
		nctypes = rel->nctypes;
		rel->nzeroext = rel->nhypercalls = rel->nctypes = 0;
		rel->zeroext = NULL;
		rel->hypercalls = NULL;
		rel->ctypes = NULL;
		/* Not stored: the headers of the unit that did not fail. */
		for (int u = 0; u < XENABI_UNIT_COUNT; u++)
			rel->units[u].nheaders = compiled_headers(&src,
								  &rel->units[u], NULL);
	}
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	rel->source = xa_arena_strdup(rel->arena, dir);
	rel->tree_hash = xa_arena_strdup(rel->arena, src.tree_hash);
	if (!arena_pairs(rel->arena, src.compat, src.ncompat, sizeof(*rel->compat),
			 offsetof(struct xenabi_compat, name),
			 offsetof(struct xenabi_compat, header), &rel->compat) ||
	    !arena_pairs(rel->arena, src.dispatch, src.ndispatch,
			 sizeof(*rel->dispatch),
			 offsetof(struct xenabi_dispatch, name),
			 offsetof(struct xenabi_dispatch, file), &rel->dispatch) ||
	    !arena_uses(rel, src.uses, src.nuses)) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	rel->ncompat = src.ncompat;
	rel->ndispatch = src.ndispatch;
	rel->scanned_at = xa_arena_strdup(rel->arena, stamp);
	if ((ret = xa_tmpdir(ctx, &workdir)))
		goto out;
	st.workdir = workdir;
	st.jobs = jobs;
	/* The tools units last: they wait for the hypercall table. */
	for (int pass = 0; pass < 2; pass++)
		for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
			enum xenabi_abi abi = xenabi_unit_abi(u);

			if ((xenabi_unit_view(u) == XENABI_VIEW_TOOLS) != pass ||
			    ((abi == XENABI_ABI_ARM32 || abi == XENABI_ABI_ARM64) &&
			     !src.has_arm))
				continue;
			/* A rescan evaluates in the tools units only. */
			if (from && ((!pass && !partial) || !rel->present[u]))
				continue;
			rel->present[u] = true;
			/* Headers as the parent's: so are the types' sizes. */
			if (from && (!partial || !partial_touches(&st, abi)) &&
			    (ret = parent_ctypes(ctx, &jobs[st.njobs], &rel->units[u],
						 hcalls, nhcalls, ctypes, nctypes)))
				goto out;
			jobs[st.njobs].rel_units = rel->units;
			jobs[st.njobs].files = files;
			jobs[st.njobs].nfiles = nfiles;
			jobs[st.njobs].unit = &rel->units[u];
			jobs[st.njobs].arena = xa_arena_new();
			if (!jobs[st.njobs++].arena) {
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
				goto out;
			}
		}
	xa_dwarf_init();
	if (!(ctx->given_up = xa_given_up_new())) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	/* Taken before the threads: ctx's message may change meanwhile. */
	st.settings = *ctx;
	st.settings.errmsg[0] = '\0';
	pthread_mutex_init(&st.lock, NULL);
	pthread_cond_init(&st.cells_cond, NULL);
	for (unsigned int i = 0, n = worker_count(ctx, st.njobs); i < n; i++)
		if (!pthread_create(&threads[nthreads], NULL, worker, &st))
			nthreads++;
	hcall_ret = src.tree_top ? read_hypercalls(ctx, src.tree_top, &st.cells,
						   &hcall_failure)
				 : 0;
	pthread_mutex_lock(&st.lock);
	st.cells_ready = true;
	if (hcall_ret < 0)
		st.stop = true;
	pthread_cond_broadcast(&st.cells_cond);
	pthread_mutex_unlock(&st.lock);
	if (!nthreads)
		worker(&st);
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	pthread_cond_destroy(&st.cells_cond);
	pthread_mutex_destroy(&st.lock);
	xa_given_up_free(ctx->given_up);
	ctx->given_up = NULL;
	if (hcall_ret < 0) {
		ret = hcall_ret;
		goto out;
	}

	for (unsigned int i = 0; i < st.njobs; i++) {
		if (jobs[i].ret && !ret) {
			ret = jobs[i].ret;
			memcpy(ctx->errmsg, jobs[i].errmsg, sizeof(ctx->errmsg));
		}
	}
	if (!ret && !from)
		ret = drop_refused_abis(ctx, &src, rel, workdir, dir);
	if (!ret && from)
		ret = strip_tree_records(ctx, rel);
	if (!ret)
		ret = copy_encodings(ctx, rel);
	if (!ret)
		ret = fill_zeroext(ctx, &src, rel);
	if (!ret && !from)
		ret = fail_unnamable(ctx, &src, rel);
	if (!ret && src.tree_top)
		ret = fill_hypercalls(ctx, &st, rel, hcall_failure);
	for (unsigned int i = 0; i < st.njobs; i++)
		compiled += jobs[i].unit->nheaders;
	if (!ret && !compiled && !from) {
		const struct xenabi_unit *u0 = jobs[0].unit;

		ret = xa_error(ctx, XENABI_ECOMPILER,
			       "no public header under '%s' compiled for any "
			       "ABI; first error: %s", dir,
			       u0->nfailures ? u0->failures[0].message : "none");
	}
out:
	for (unsigned int i = 0; i < st.njobs; i++) {
		xa_strings_free(jobs[i].tried, jobs[i].ntried);
		if (rel)
			xa_arena_adopt(rel->arena, jobs[i].arena);
		xa_arena_free(jobs[i].arena);
	}
	xa_encodings_free((struct xa_encoding *)st.enc, st.nenc);
	xa_hcall_cells_release(&st.cells);
	free(hcall_failure);
	if (workdir && !getenv("XENABI_KEEP_PROBES"))
		xa_rmdir(workdir);
	free(workdir);
	xa_source_release(&src);
	free(dirty);
	free(probe);
	free(changed);
	if (ret) {
		if (rel != from)
			xenabi_release_free(rel);
		return ret;
	}
	*out = rel;
	return 0;
}

int xenabi_scan_tree(struct xenabi_ctx *ctx, const char *dir,
		     const char *name, xenabi_progress_fn progress,
		     void *progress_data, struct xenabi_release **out)
{
	return scan(ctx, dir, name, progress, progress_data, NULL, false, NULL,
		    0, out);
}

int xenabi_rescan_internal(struct xenabi_ctx *ctx, const char *dir,
			   struct xenabi_release *rel, char *const *changed,
			   size_t nchanged)
{
	struct xenabi_release *out;

	return scan(ctx, dir, rel->name, NULL, NULL, rel, false, changed,
		    nchanged, &out);
}

int xenabi_rescan_headers(struct xenabi_ctx *ctx, const char *dir,
			  struct xenabi_release *rel, char *const *changed,
			  size_t nchanged)
{
	struct xenabi_release *out;

	return scan(ctx, dir, rel->name, NULL, NULL, rel, true, changed,
		    nchanged, &out);
}
