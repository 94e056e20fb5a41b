/* SPDX-License-Identifier: MIT */
/*
 * history: one type, member, constant or continuation encoding across
 * every stored release, as spans of releases where it did not change.
 * Reads only that name from the store; renders text and JSON.
 */
#include <jansson.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"

enum hist_kind { HIST_TYPE, HIST_MEMBER, HIST_CONSTANT, HIST_ENCODING,
		 HIST_HYPERCALL };

static const char *const hist_kind_names[] = { "type", "member", "constant",
					       "encoding", "hypercall" };

/* What one release had on one ABI. */
struct cell {
	bool abi_present;	/* the release has this ABI at all */
	const char *text;	/* NULL: absent */
	uint8_t fp[32];		/* the layout's digest: a change of members */
	const struct xenabi_type *type;
	const struct xenabi_member *member;
	const struct xenabi_const *cval;
	struct xa_enc_bits bits;
};

struct span {
	size_t first, last;	/* release indexes */
	const char *notes;	/* what changed underneath equal cells */
};

struct xenabi_history {
	enum hist_kind kind;
	enum xenabi_view view;
	const char *symbol;
	const char *type_name;	/* HIST_TYPE and HIST_MEMBER */
	const char *member;	/* HIST_MEMBER */
	const char *what;	/* "struct xen_add_to_physmap" for the heading */
	const char *file;	/* from the newest release that has it */
	struct xa_encoding *enc;	/* HIST_ENCODING: the manifest */
	size_t nenc;
	const struct xa_encoding *e;
	struct xenabi_release **rels;
	size_t nrels;
	struct cell *cells;	/* nrels * XENABI_ABI_COUNT */
	struct span *spans;
	size_t nspans;
	bool one_column;	/* every ABI the same in every span */
	struct xenabi_history *also;	/* a hypercall's handlers, after */
	const char *only;	/* comma-separated globs of release names */
	struct xa_arena *arena;
	bool oom;
};

void xenabi_history_free(struct xenabi_history *h)
{
	if (!h)
		return;
	xenabi_history_free(h->also);
	for (size_t i = 0; i < h->nrels; i++)
		xenabi_release_free(h->rels[i]);
	free(h->rels);
	free(h->cells);
	free(h->spans);
	xa_encodings_free(h->enc, h->nenc);
	xa_arena_free(h->arena);
	free(h);
}

static int rel_cmp(const void *a, const void *b)
{
	return xenabi_release_name_cmp((*(struct xenabi_release *const *)a)->name,
				       (*(struct xenabi_release *const *)b)->name);
}

bool xenabi_name_in_globs(const char *only, const char *name)
{
	char glob[256];

	for (const char *p = only; p && *p;) {
		size_t n = strcspn(p, ",");

		snprintf(glob, sizeof(glob), "%.*s", (int)n, p);
		if (!fnmatch(glob, name, 0))
			return true;
		p += n + (p[n] == ',');
	}
	return !only;
}

/*
 * The named slices of every database, the first's releases shadowing the
 * later ones' of the same name.  *found says whether h's view has a
 * record, *other which other views do (a bit per view).
 */
static int load_slices(struct xenabi_ctx *ctx, struct xenabi_history *h,
		       struct xenabi_db *const *dbs, size_t ndbs,
		       const char *type_name, const char *const *consts,
		       size_t nconsts, bool *found, unsigned int *other)
{
	*found = false;
	*other = 0;
	for (size_t i = 0; i < h->nrels; i++)
		xenabi_release_free(h->rels[i]);
	free(h->rels);
	h->rels = NULL;
	h->nrels = 0;
	for (size_t d = 0; d < ndbs; d++) {
		struct xenabi_release **rels, **grown;
		size_t n, kept = h->nrels;
		int ret;

		if (!dbs[d])
			continue;
		if ((ret = xenabi_db_load_named(ctx, dbs[d], type_name, consts,
						nconsts, &rels, &n)))
			return ret;
		grown = realloc(h->rels, (h->nrels + n + 1) * sizeof(*grown));
		if (!grown) {
			for (size_t i = 0; i < n; i++)
				xenabi_release_free(rels[i]);
			free(rels);
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
		h->rels = grown;
		for (size_t i = 0; i < n; i++) {
			bool shadowed = !xenabi_name_in_globs(h->only, rels[i]->name);

			for (size_t k = 0; k < kept && !shadowed; k++)
				shadowed = !strcmp(h->rels[k]->name, rels[i]->name);
			if (shadowed) {
				xenabi_release_free(rels[i]);
				continue;
			}
			h->rels[h->nrels++] = rels[i];
			for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
				bool has = rels[i]->units[u].ntypes ||
					   rels[i]->units[u].nconsts;

				if (xenabi_unit_view(u) == h->view)
					*found |= has;
				else if (has)
					*other |= 1u << xenabi_unit_view(u);
			}
		}
		free(rels);
	}
	if (h->nrels)
		qsort(h->rels, h->nrels, sizeof(*h->rels), rel_cmp);
	return 0;
}

/* A struct, union or enum before a typedef of the same name, as show. */
static const struct xenabi_type *find_type(const struct xenabi_unit *u,
					   const char *name)
{
	static const enum xenabi_type_kind order[] = {
		XENABI_KIND_STRUCT, XENABI_KIND_UNION, XENABI_KIND_ENUM,
		XENABI_KIND_TYPEDEF
	};

	for (size_t i = 0; i < XA_ARRAY_SIZE(order); i++) {
		const struct xenabi_type *t = xenabi_unit_find_type(u, order[i], name);

		if (t)
			return t;
	}
	return NULL;
}

static const struct xenabi_member *find_member(const struct xenabi_type *t,
					       const char *name)
{
	for (size_t i = 0; t && i < t->nmembers; i++)
		if (!strcmp(t->members[i].name, name))
			return &t->members[i];
	return NULL;
}

/* "uint16_t @2 u16", "unsigned int @4:3 u5", "struct x @8 16 bytes" */
static const char *member_words(struct xenabi_history *h,
				const struct xenabi_member *m)
{
	char width[32];

	if (m->base_class == XENABI_BASE_INT)
		snprintf(width, sizeof(width), "%c%u", m->is_signed ? 's' : 'u',
			 m->bits);
	else
		snprintf(width, sizeof(width), "%llu bytes",
			 (unsigned long long)m->size);
	if (m->bit_size)
		return xa_arena_fmt(h->arena, &h->oom, "%s @%llu:%u %s", m->type,
				    (unsigned long long)m->offset, m->bit_offset,
				    width);
	return xa_arena_fmt(h->arena, &h->oom, "%s @%llu %s", m->type,
			    (unsigned long long)m->offset, width);
}

static void fill_cell(struct xenabi_history *h, const struct xenabi_release *rel,
		      int abi, struct cell *c)
{
	const struct xenabi_unit *u = &rel->units[XENABI_UNIT(abi, h->view)];

	memset(c, 0, sizeof(*c));
	c->abi_present = rel->present[XENABI_UNIT(abi, h->view)];
	if (!c->abi_present)
		return;
	switch (h->kind) {
	case HIST_TYPE:
		if (!(c->type = find_type(u, h->type_name)))
			return;
		xa_type_digest(c->type, c->fp);
		c->text = xa_arena_fmt(h->arena, &h->oom, "%llu/%u",
				       (unsigned long long)c->type->size,
				       c->type->align);
		if (!h->file || !*h->file)
			h->file = c->type->file;
		break;
	case HIST_MEMBER:
		c->type = find_type(u, h->type_name);
		if (!(c->member = find_member(c->type, h->member)))
			return;
		c->text = member_words(h, c->member);
		if (!h->file || !*h->file)
			h->file = c->type->file;
		break;
	case HIST_CONSTANT:
		for (size_t i = 0; i < u->nconsts && !c->cval; i++)
			if (!strcmp(u->consts[i].name, h->symbol))
				c->cval = &u->consts[i];
		if (!c->cval)
			return;
		c->text = xa_const_words(h->arena, &h->oom, c->cval);
		if (!h->file || !*h->file)
			h->file = c->cval->file;
		break;
	case HIST_HYPERCALL: {
		/* The return type per kind of guest; one word when they agree. */
		const char *all = NULL, *each = "";
		bool differ = false;

		c->abi_present = c->abi_present && rel->nhypercalls;
		for (size_t i = 0; i < rel->nhypercalls; i++) {
			const struct xenabi_hypercall *k = &rel->hypercalls[i];

			if (strcmp(k->name, h->symbol) ||
			    !(xenabi_guest_kind_abis(k->kind) & 1u << abi))
				continue;
			differ |= all && strcmp(all, k->rettype);
			all = all ? all : k->rettype;
			each = xa_arena_fmt(h->arena, &h->oom, "%s%s%s %s", each,
					    *each ? ", " : "", k->kind, k->rettype);
			if (!h->file || !*h->file)
				h->file = k->file;
		}
		c->text = differ ? each : all;
		break;
	}
	case HIST_ENCODING:
		if (!xa_encoding_bits(h->e, u, &c->bits))
			return;
		c->text = xa_encoding_layout(h->arena, h->e, &c->bits);
		if (!c->text)
			h->oom = true;
		if (!h->file || !*h->file)
			h->file = c->bits.anchor->file;
		break;
	}
}

static bool cells_equal(const struct cell *a, const struct cell *b)
{
	if (a->abi_present != b->abi_present || !a->text != !b->text)
		return false;
	return !a->text || (!strcmp(a->text, b->text) &&
			    !memcmp(a->fp, b->fp, sizeof(a->fp)));
}

/* "space, +pad" : what differs between two layouts, by member name. */
static void member_changes(struct xa_buf *b, const struct xenabi_type *o,
			   const struct xenabi_type *n)
{
	bool first = true;

	for (size_t i = 0; i < n->nmembers; i++) {
		const struct xenabi_member *nm = &n->members[i];
		const struct xenabi_member *om = find_member(o, nm->name);

		if (om && om->offset == nm->offset && om->size == nm->size &&
		    om->bits == nm->bits && om->is_signed == nm->is_signed &&
		    om->bit_offset == nm->bit_offset &&
		    om->bit_size == nm->bit_size && !strcmp(om->type, nm->type) &&
		    om->value == nm->value)
			continue;
		xa_buf_printf(b, "%s%s%s", first ? "" : ", ", om ? "" : "+",
			      *nm->name ? nm->name : "@");
		first = false;
	}
	for (size_t i = 0; i < o->nmembers; i++)
		if (!find_member(n, o->members[i].name)) {
			xa_buf_printf(b, "%s-%s", first ? "" : ", ",
				      *o->members[i].name ? o->members[i].name
							  : "@");
			first = false;
		}
}

/* The cell standing for a row when every ABI agrees: the first one present. */
static const struct cell *first_present(const struct xenabi_history *h,
					size_t r)
{
	const struct cell *row = &h->cells[r * XENABI_ABI_COUNT];

	for (int a = 0; a < XENABI_ABI_COUNT; a++)
		if (row[a].abi_present)
			return &row[a];
	return row;
}

/*
 * Two releases are one span when each ABI's cell is the same; in one
 * column, an ABI one of them lacks does not part them: "all ABIs" means
 * all the release has.
 */
static bool rows_equal(const struct xenabi_history *h, size_t r1, size_t r2)
{
	const struct cell *x = &h->cells[r1 * XENABI_ABI_COUNT];
	const struct cell *y = &h->cells[r2 * XENABI_ABI_COUNT];

	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		if (h->one_column && (!x[a].abi_present || !y[a].abi_present))
			continue;
		if (!cells_equal(&x[a], &y[a]))
			return false;
	}
	return !h->one_column ||
	       cells_equal(first_present(h, r1), first_present(h, r2));
}

static void note_changes(struct xenabi_history *h, struct span *cur,
			 size_t prev_row, size_t row_index)
{
	const struct cell *prev = &h->cells[prev_row * XENABI_ABI_COUNT];
	const struct cell *row = &h->cells[row_index * XENABI_ABI_COUNT];
	struct xa_buf b;

	xa_buf_init(&b);
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		struct xa_buf m;

		if (!prev[a].type || !row[a].type || !memcmp(prev[a].fp, row[a].fp, 32))
			continue;
		/* Only members: a new size or alignment is in the cells. */
		xa_buf_init(&m);
		member_changes(&m, prev[a].type, row[a].type);
		if (m.len)
			xa_buf_printf(&b, "%s%s: %s", b.len ? "; " : "",
				      xenabi_abi_name(a), m.s);
		b.oom |= m.oom;
		xa_buf_release(&m);
	}
	cur->notes = xa_arena_fmt(h->arena, &h->oom, "%s", b.s ? b.s : "");
	if (b.oom)
		h->oom = true;
	xa_buf_release(&b);
}

static int make_spans(struct xenabi_history *h)
{
	h->spans = calloc(h->nrels + 1, sizeof(*h->spans));
	if (!h->spans)
		return -1;
	/* One column when every release's ABIs all say the same. */
	h->one_column = true;
	for (size_t r = 0; r < h->nrels; r++) {
		const struct cell *row = &h->cells[r * XENABI_ABI_COUNT];

		for (int a = 0; a < XENABI_ABI_COUNT; a++)
			if (row[a].abi_present &&
			    !cells_equal(&row[a], first_present(h, r)))
				h->one_column = false;
	}
	for (size_t r = 0; r < h->nrels; r++) {
		struct span *cur = h->nspans ? &h->spans[h->nspans - 1] : NULL;

		if (cur && rows_equal(h, cur->last, r)) {
			cur->last = r;
			continue;
		}
		cur = &h->spans[h->nspans++];
		cur->first = cur->last = r;
		cur->notes = "";
		/* Same words, other members: say which. */
		if (h->kind == HIST_TYPE && h->nspans > 1)
			note_changes(h, cur, h->spans[h->nspans - 2].last, r);
	}
	return 0;
}

static int suggest(struct xenabi_ctx *ctx, struct xenabi_db *const *dbs,
		   size_t ndbs, const char *symbol, const char *what);

/* An empty history with its arena; NULL when out of memory. */
static struct xenabi_history *history_new(enum xenabi_view view,
					  const char *only)
{
	struct xenabi_history *h = calloc(1, sizeof(*h));

	if (h && !(h->arena = xa_arena_new())) {
		free(h);
		return NULL;
	}
	if (h) {
		h->view = view;
		h->only = only;
	}
	return h;
}

/*
 * The history of the hypercall called symbol, if a stored table has it;
 * NULL in *out otherwise.
 */
static int hypercall_history(struct xenabi_ctx *ctx,
			     struct xenabi_db *const *dbs, size_t ndbs,
			     const char *symbol, const char *only,
			     struct xenabi_history **out)
{
	struct xenabi_history *h = history_new(XENABI_VIEW_TOOLS, only);
	bool found = false, unused;
	unsigned int other;
	int ret;

	*out = NULL;
	if (!h)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	h->kind = HIST_HYPERCALL;
	h->symbol = xa_arena_strdup(h->arena, symbol);
	if (!h->symbol) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto fail;
	}
	if ((ret = load_slices(ctx, h, dbs, ndbs, h->symbol, NULL, 0, &unused,
			       &other)))
		goto fail;
	for (size_t r = 0; r < h->nrels; r++)
		found |= h->rels[r]->nhypercalls > 0;
	if (!found) {
		xenabi_history_free(h);
		return 0;
	}
	h->cells = calloc(h->nrels * XENABI_ABI_COUNT + 1, sizeof(*h->cells));
	if (!h->cells)
		goto fail_oom;
	for (size_t r = h->nrels; r-- > 0;)
		for (int a = 0; a < XENABI_ABI_COUNT; a++)
			fill_cell(h, h->rels[r], a, &h->cells[r * XENABI_ABI_COUNT + a]);
	h->what = xa_arena_fmt(h->arena, &h->oom, "hypercall %s", symbol);
	if (make_spans(h) || h->oom)
		goto fail_oom;
	*out = h;
	return 0;
fail_oom:
	ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
fail:
	xenabi_history_free(h);
	return ret;
}

int xenabi_history_load(struct xenabi_ctx *ctx, struct xenabi_db *const *dbs,
			size_t ndbs, const char *symbol, enum xenabi_view view,
			struct xenabi_history **out)
{
	return xenabi_history_load_only(ctx, dbs, ndbs, symbol, view, NULL, out);
}

int xenabi_history_load_only(struct xenabi_ctx *ctx,
			     struct xenabi_db *const *dbs, size_t ndbs,
			     const char *symbol, enum xenabi_view view,
			     const char *only, struct xenabi_history **out)
{
	struct xenabi_history *hc = NULL;
	struct xenabi_history *h = history_new(view, only);
	const char *name = symbol;
	bool found = false;
	unsigned int other = 0;
	int ret;

	*out = NULL;
	if (!h)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	/* "struct foo" is foo: a name has one history whatever its kind. */
	for (int k = 0; k < XENABI_KIND_COUNT; k++) {
		size_t n = strlen(xenabi_kind_name(k));

		if (!strncmp(name, xenabi_kind_name(k), n) && name[n] == ' ')
			name += n + 1;
	}
	h->symbol = h->type_name = xa_arena_strdup(h->arena, name);
	if (!h->symbol)
		goto fail_oom;
	if ((ret = xa_encodings_load(ctx, &h->enc, &h->nenc)))
		goto fail;
	if ((ret = hypercall_history(ctx, dbs, ndbs, h->symbol, only, &hc)))
		goto fail;

	/* A type, then a constant, then an encoding, then type.member. */
	if ((ret = load_slices(ctx, h, dbs, ndbs, h->symbol, NULL, 0, &found,
			       &other)))
		goto fail;
	if (found) {
		h->kind = HIST_TYPE;
		goto loaded;
	}
	if (other)
		goto other_view;
	{
		const char *const names[] = { h->symbol };

		if ((ret = load_slices(ctx, h, dbs, ndbs, NULL, names, 1, &found,
				       &other)))
			goto fail;
	}
	if (found) {
		h->kind = HIST_CONSTANT;
		goto loaded;
	}
	if (other)
		goto other_view;
	for (size_t i = 0; i < h->nenc && !h->e; i++)
		if (!strcmp(h->enc[i].hypercall, h->symbol))
			h->e = &h->enc[i];
	if (h->e) {
		const char *names[3];
		size_t n = 0;

		if (h->e->shift)
			names[n++] = h->e->shift;
		if (h->e->mask)
			names[n++] = h->e->mask;
		if (h->e->flag)
			names[n++] = h->e->flag;
		if ((ret = load_slices(ctx, h, dbs, ndbs, NULL, names, n, &found,
				       &other)))
			goto fail;
		if (found) {
			h->kind = HIST_ENCODING;
			goto loaded;
		}
		if (other)
			goto other_view;
	}
	{
		const char *dot = strrchr(h->symbol, '.');

		if (dot && dot[1]) {
			h->type_name = xa_arena_strndup(h->arena, h->symbol,
							dot - h->symbol);
			h->member = dot + 1;
			if (!h->type_name)
				goto fail_oom;
			if ((ret = load_slices(ctx, h, dbs, ndbs, h->type_name, NULL,
					       0, &found, &other)))
				goto fail;
			h->kind = HIST_MEMBER;
			/* The type is there; the member must be too. */
			found = false;
			other = 0;
			for (size_t r = 0; r < h->nrels; r++)
				for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
					bool has = find_member(find_type(
						&h->rels[r]->units[u], h->type_name),
						h->member);

					if (xenabi_unit_view(u) == view)
						found |= has;
					else if (has)
						other |= 1u << xenabi_unit_view(u);
				}
			if (found)
				goto loaded;
			if (other)
				goto other_view;
		}
	}
	if (hc) {
		/* Only a hypercall: its handlers are the history. */
		xenabi_history_free(h);
		*out = hc;
		return 0;
	}
	ret = suggest(ctx, dbs, ndbs, h->symbol,
		      h->member ? h->type_name : NULL);
	goto fail;

other_view:
	{
		/* The views that have it; the first is the one to try. */
		enum xenabi_view there = XENABI_NVIEWS;
		char names[64] = "";
		int n = 0, left = __builtin_popcount(other);

		for (int v = 0; v < XENABI_NVIEWS; v++) {
			if (!(other & 1u << v))
				continue;
			snprintf(names + strlen(names), sizeof(names) - strlen(names),
				 "%s%s", !n ? "" : --left > 1 ? ", " : " and ",
				 xenabi_view_name(v));
			if (!n++)
				there = v;
		}
		ret = xa_error(ctx, XENABI_ENOTFOUND, "'%s' is only in the %s "
			       "view%s; try --view %s", h->symbol, names,
			       n > 1 ? "s" : "", xenabi_view_name(there));
	}
	goto fail;

loaded:
	h->cells = calloc(h->nrels * XENABI_ABI_COUNT + 1, sizeof(*h->cells));
	if (!h->cells)
		goto fail_oom;
	for (size_t r = h->nrels; r-- > 0;)
		for (int a = 0; a < XENABI_ABI_COUNT; a++)
			fill_cell(h, h->rels[r], a, &h->cells[r * XENABI_ABI_COUNT + a]);
	if (h->kind == HIST_TYPE)
		for (size_t r = h->nrels; r-- > 0 && !h->what;)
			for (int a = 0; a < XENABI_ABI_COUNT && !h->what; a++) {
				const struct cell *c = &h->cells[r * XENABI_ABI_COUNT + a];

				if (c->type)
					h->what = xa_arena_fmt(h->arena, &h->oom,
						"%s %s", xenabi_kind_name(c->type->kind),
						c->type->name);
			}
	if (make_spans(h) || h->oom)
		goto fail_oom;
	h->also = hc;
	*out = h;
	return 0;
fail_oom:
	ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
fail:
	xenabi_history_free(hc);
	xenabi_history_free(h);
	return ret;
}

/* ---- suggestions ------------------------------------------------------- */

/* Levenshtein distance, giving up past max. */
size_t xenabi_name_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row, best, d;

	if ((la > lb ? la - lb : lb - la) > max || la > 256 || lb > 256)
		return max + 1;
	row = malloc((lb + 1) * sizeof(*row));
	if (!row)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t sub = diag + (a[i - 1] != b[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;

			row[j] = sub < del ? (sub < ins ? sub : ins)
					   : (del < ins ? del : ins);
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max) {
			free(row);
			return max + 1;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

struct candidate {
	const char *name;
	size_t d;
};

static int candidate_cmp(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * The error for a name nothing has, with the closest names known: the
 * types, constants and encodings of every database, and for "type.member"
 * the members of that type.
 */
static int suggest(struct xenabi_ctx *ctx, struct xenabi_db *const *dbs,
		   size_t ndbs, const char *symbol, const char *type_name)
{
	size_t max = strlen(symbol) / 3 < 2 ? 2 : strlen(symbol) / 3;
	struct xa_vec all;	/* char *, heap */
	struct candidate best[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	size_t nbest = 0;
	char **names;
	size_t n;
	int ret = 0;

	xa_vec_init(&all, sizeof(char *));
	for (size_t d = 0; d < ndbs && !ret; d++) {
		if (!dbs[d])
			continue;
		if ((ret = xenabi_db_names(ctx, dbs[d], &names, &n)))
			break;
		for (size_t i = 0; i < n; i++) {
			char **slot = xa_vec_push(&all);

			if (!slot) {
				free(names[i]);
				continue;
			}
			*slot = names[i];
		}
		free(names);
	}
	if (!ret && !xenabi_encoding_names(ctx, &names, &n)) {
		for (size_t i = 0; i < n; i++) {
			char **slot = xa_vec_push(&all);

			if (slot)
				*slot = names[i];
			else
				free(names[i]);
		}
		free(names);
	}
	/* A member of a known type is named after the type. */
	if (!ret && type_name)
		for (size_t d = 0; d < ndbs; d++) {
			struct xenabi_release **rels;
			size_t nr;

			if (!dbs[d] || xenabi_db_load_named(ctx, dbs[d], type_name,
							    NULL, 0, &rels, &nr))
				continue;
			for (size_t r = 0; r < nr; r++) {
				for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
					const struct xenabi_unit *unit = &rels[r]->units[u];

					for (size_t t = 0; t < unit->ntypes; t++)
						for (size_t m = 0; m < unit->types[t].nmembers; m++) {
							char **slot = xa_vec_push(&all);

							if (slot && asprintf(slot, "%s.%s", type_name,
									     unit->types[t].members[m].name) < 0)
								all.len--;
						}
				}
				xenabi_release_free(rels[r]);
			}
			free(rels);
		}
	for (size_t i = 0; i < all.len && !ret; i++) {
		const char *cand = ((char **)all.data)[i];
		size_t d = xenabi_name_distance(symbol, cand, max);
		bool dup = false;

		/* What was asked for is not a suggestion. */
		if (d > max || !strcmp(cand, symbol))
			continue;
		for (size_t k = 0; k < nbest; k++)
			dup |= !strcmp(best[k].name, cand);
		if (dup)
			continue;
		if (nbest < 3) {
			best[nbest++] = (struct candidate){ cand, d };
		} else if (candidate_cmp(&(struct candidate){ cand, d }, &best[2]) < 0) {
			best[2] = (struct candidate){ cand, d };
		}
		qsort(best, nbest, sizeof(best[0]), candidate_cmp);
	}
	if (!ret) {
		char list[512] = "";

		for (size_t k = 0; k < nbest; k++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", k ? ", " : "", best[k].name);
		ret = xa_error(ctx, XENABI_ENOTFOUND,
			       "no type, member, constant or encoding '%s' in "
			       "any release%s%s", symbol,
			       nbest ? "; did you mean " : "", list);
	}
	xa_strings_free(all.data, all.len);
	return ret;
}

/* ---- rendering --------------------------------------------------------- */

static const char *span_label(const struct xenabi_history *h,
			      const struct span *s, char *buf, size_t len)
{
	if (s->first == s->last)
		snprintf(buf, len, "%s", h->rels[s->first]->name);
	else
		snprintf(buf, len, "%s - %s", h->rels[s->first]->name,
			 h->rels[s->last]->name);
	return buf;
}

static const char *cell_words(const struct cell *c)
{
	return !c->abi_present ? "n/a" : c->text ? c->text : "-";
}

static const char *heading_what(const struct xenabi_history *h)
{
	static const char *const what[] = {
		[HIST_TYPE] = "size/align",
		[HIST_MEMBER] = "type @offset width",
		[HIST_CONSTANT] = "value",
		[HIST_ENCODING] = "continuation encoding",
		[HIST_HYPERCALL] = "hypercall handlers' return type",
	};

	return what[h->kind];
}

char *xenabi_history_text(const struct xenabi_history *h)
{
	size_t width[1 + XENABI_ABI_COUNT] = { 8 };
	int ncols = h->one_column ? 1 : XENABI_ABI_COUNT;
	struct xa_buf b;
	char label[128];

	xa_buf_init(&b);
	xa_buf_printf(&b, "%s (%s), %s view: %s\n",
		      h->what ? h->what : h->symbol,
		      h->file && *h->file ? h->file : "?",
		      xenabi_view_name(h->view), heading_what(h));
	for (size_t s = 0; s < h->nspans; s++) {
		size_t n = strlen(span_label(h, &h->spans[s], label, sizeof(label)));

		if (n > width[0])
			width[0] = n;
		for (int a = 0; a < ncols; a++) {
			const struct cell *c = h->one_column
				? first_present(h, h->spans[s].first)
				: &h->cells[h->spans[s].first * XENABI_ABI_COUNT + a];

			if (strlen(cell_words(c)) > width[1 + a])
				width[1 + a] = strlen(cell_words(c));
		}
	}
	for (int a = 0; a < ncols; a++) {
		const char *head = h->one_column ? "all ABIs" : xenabi_abi_name(a);

		if (strlen(head) > width[1 + a])
			width[1 + a] = strlen(head);
	}
	xa_buf_printf(&b, "  %-*s", (int)width[0], "releases");
	for (int a = 0; a < ncols; a++)
		xa_buf_printf(&b, "  %-*s", (int)width[1 + a],
			      h->one_column ? "all ABIs" : xenabi_abi_name(a));
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	xa_buf_puts(&b, "\n");
	for (size_t s = 0; s < h->nspans; s++) {
		const struct span *sp = &h->spans[s];

		xa_buf_printf(&b, "  %-*s", (int)width[0],
			      span_label(h, sp, label, sizeof(label)));
		for (int a = 0; a < ncols; a++) {
			const struct cell *c = h->one_column
				? first_present(h, sp->first)
				: &h->cells[sp->first * XENABI_ABI_COUNT + a];

			xa_buf_printf(&b, "  %-*s", (int)width[1 + a], cell_words(c));
		}
		/* Trailing blanks are noise in a terminal and a diff. */
		while (b.len && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
		if (*sp->notes)
			xa_buf_printf(&b, "  (members changed: %s)", sp->notes);
		xa_buf_puts(&b, "\n");
	}
	/* Say what the marks mean, where there are any. */
	{
		bool dash = false, na = false;

		for (size_t s = 0; s < h->nspans; s++)
			for (int a = 0; a < ncols; a++) {
				const struct cell *c = h->one_column
					? first_present(h, h->spans[s].first)
					: &h->cells[h->spans[s].first * XENABI_ABI_COUNT + a];

				na |= !c->abi_present;
				dash |= c->abi_present && !c->text;
			}
		if (dash || na)
			xa_buf_printf(&b, "  (%s%s%s)\n",
				      dash ? "-: not in that release" : "",
				      dash && na ? "; " : "",
				      na ? "n/a: the release has no such ABI, "
					   "or no table of it" : "");
	}
	if (h->also) {
		char *more = xenabi_history_text(h->also);

		if (!more)
			b.oom = true;
		else
			xa_buf_printf(&b, "\n%s", more);
		free(more);
	}
	return xa_buf_detach(&b);
}

static json_t *cell_json(const struct xenabi_history *h, const struct cell *c)
{
	switch (h->kind) {
	case HIST_TYPE:
		return json_pack("{s:s, s:I, s:i, s:o, s:i}", "kind",
				 xenabi_kind_name(c->type->kind), "size",
				 (json_int_t)c->type->size, "align", (int)c->type->align,
				 "file", xenabi_json_text(c->type->file), "line",
				 (int)c->type->line);
	case HIST_MEMBER: {
		const struct xenabi_member *m = c->member;
		json_t *o = json_pack("{s:o, s:I, s:I, s:s, s:i, s:b}", "type",
				      xenabi_json_text(m->type), "offset",
				      (json_int_t)m->offset,
				      "size", (json_int_t)m->size, "base_class",
				      xenabi_base_class_name(m->base_class), "bits",
				      (int)m->bits, "signed", m->is_signed);

		if (o && m->bit_size) {
			json_object_set_new(o, "bit_offset", json_integer(m->bit_offset));
			json_object_set_new(o, "bit_size", json_integer(m->bit_size));
		}
		return o;
	}
	case HIST_CONSTANT: {
		const struct xenabi_const *k = c->cval;
		json_t *o = json_pack("{s:s, s:o, s:o, s:i}", "class",
				      xenabi_const_class_name(k->class), "text",
				      xenabi_json_text(k->text), "file",
				      xenabi_json_text(k->file), "line", (int)k->line);

		if (o && (k->class == XENABI_CONST_INT ||
			  k->class == XENABI_CONST_ENUMERATOR))
			json_object_set_new(o, "value",
					    json_integer((json_int_t)k->value));
		if (o && k->class == XENABI_CONST_STRING)
			json_object_set_new(o, "str", xenabi_json_text(k->str));
		return o;
	}
	case HIST_HYPERCALL:
		return json_pack("{s:o}", "returns", xenabi_json_text(c->text));
	case HIST_ENCODING:
		return json_pack("{s:o, s:i, s:i, s:i, s:I}", "layout",
				 xenabi_json_text(c->text),
				 "word", (int)c->bits.word, "op_bits",
				 (int)c->bits.op_bits, "progress_lo",
				 (int)(c->bits.flag ? 0 : c->bits.cont_lo), "flag",
				 (json_int_t)c->bits.flag);
	}
	return NULL;
}

char *xenabi_history_json(const struct xenabi_history *h)
{
	json_t *doc = json_pack("{s:i, s:o, s:s, s:s, s:o}", "schema",
				xenabi_schema_version(), "symbol",
				xenabi_json_text(h->symbol), "kind",
				hist_kind_names[h->kind], "view",
				xenabi_view_name(h->view), "file",
				xenabi_json_text(h->file ? h->file : ""));
	json_t *spans = json_array();
	char *out;

	for (size_t s = 0; doc && spans && s < h->nspans; s++) {
		const struct span *sp = &h->spans[s];
		json_t *rels = json_array(), *abis = json_object();

		for (size_t r = sp->first; r <= sp->last; r++)
			json_array_append_new(rels, xenabi_json_text(h->rels[r]->name));
		for (int a = 0; a < XENABI_ABI_COUNT; a++) {
			const struct cell *c = &h->cells[sp->first * XENABI_ABI_COUNT + a];

			/* An ABI the span's first release lacks: a later one's. */
			for (size_t r = sp->first + 1; !c->abi_present && r <= sp->last; r++)
				c = &h->cells[r * XENABI_ABI_COUNT + a];
			if (c->abi_present)
				json_object_set_new(abis, xenabi_abi_name(a),
						    c->text ? cell_json(h, c)
							    : json_null());
		}
		json_array_append_new(spans, json_pack(
			"{s:o, s:o, s:o, s:o}", "from",
			xenabi_json_text(h->rels[sp->first]->name), "to",
			xenabi_json_text(h->rels[sp->last]->name), "releases", rels,
			"abis", abis));
		if (*sp->notes)
			json_object_set_new(json_array_get(spans, s), "changed",
					    xenabi_json_text(sp->notes));
	}
	if (h->member && doc) {
		json_object_set_new(doc, "type", xenabi_json_text(h->type_name));
		json_object_set_new(doc, "member", xenabi_json_text(h->member));
	}
	json_object_set_new(doc, "spans", spans);
	if (h->also && doc) {
		char *more = xenabi_history_json(h->also);

		json_object_set_new(doc, "hypercall", more ? json_loads(more, 0, NULL)
							  : NULL);
		free(more);
	}
	out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return out;
}
