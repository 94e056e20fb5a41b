/* SPDX-License-Identifier: MIT */
/*
 * diff: comparing two releases' records into findings, unit by unit, each
 * change reported once at its root and collapsed across ABIs and views.
 * Works on records only: never on sqlite rows or DWARF; never writes into
 * the releases it compares.
 */
#include <stdlib.h>
#include <string.h>

#include "xa.h"

static const char *const kind_names[XENABI_CHANGE_COUNT] = {
	[XENABI_TYPE_REMOVED] = "type_removed",
	[XENABI_TYPE_ADDED] = "type_added",
	[XENABI_SIZE_CHANGED] = "size_changed",
	[XENABI_ALIGN_CHANGED] = "align_changed",
	[XENABI_MEMBER_REMOVED] = "member_removed",
	[XENABI_MEMBER_ADDED] = "member_added",
	[XENABI_MEMBER_OFFSET_CHANGED] = "member_offset_changed",
	[XENABI_MEMBER_NARROWED] = "member_narrowed",
	[XENABI_MEMBER_WIDENED] = "member_widened",
	[XENABI_MEMBER_SIGNEDNESS_CHANGED] = "member_signedness_changed",
	[XENABI_MEMBER_TYPE_CHANGED] = "member_type_changed",
	[XENABI_MEMBER_RENAMED] = "member_renamed",
	[XENABI_BITFIELD_CHANGED] = "bitfield_changed",
	[XENABI_ENUMERATOR_CHANGED] = "enumerator_changed",
	[XENABI_ENUMERATOR_REMOVED] = "enumerator_removed",
	[XENABI_CONSTANT_CHANGED] = "constant_changed",
	[XENABI_CONSTANT_REMOVED] = "constant_removed",
	[XENABI_CONSTANT_ADDED] = "constant_added",
	[XENABI_INTERFACE_VERSION_UNCHANGED] = "interface_version_unchanged",
	[XENABI_CONTINUATION_BITS_MOVED] = "continuation_bits_moved",
	[XENABI_SUBOP_EXCEEDS_MASK] = "subop_exceeds_mask",
	[XENABI_IMPLICIT_PADDING] = "implicit_padding",
	[XENABI_ABI_DIVERGENCE] = "abi_divergence",
	[XENABI_SIBLING_WIDTH_MISMATCH] = "sibling_width_mismatch",
};

static const char *const severity_names[XENABI_SEV_COUNT] = {
	[XENABI_SEV_INFO] = "info",
	[XENABI_SEV_RISK] = "risk",
	[XENABI_SEV_BREAK] = "break",
};

const char *xenabi_change_kind_name(enum xenabi_change_kind kind)
{
	return (unsigned)kind < XENABI_CHANGE_COUNT ? kind_names[kind] : NULL;
}

const char *xenabi_severity_name(enum xenabi_severity sev)
{
	return (unsigned)sev < XENABI_SEV_COUNT ? severity_names[sev] : NULL;
}

int xenabi_severity_parse(const char *name)
{
	for (int i = 0; i < XENABI_SEV_COUNT; i++)
		if (!strcmp(severity_names[i], name))
			return i;
	return -1;
}

/* A finding of one unit, before collapsing; owner is the aggregate. */
struct raw {
	struct xenabi_finding f;
	const char *owner;
	bool derived;	/* a consequence of an embedded type's change */
};

struct unit_diff {
	struct xenabi_ctx *ctx;
	struct xa_arena *arena;
	const struct xenabi_unit *o, *n;
	unsigned int abi_bit;
	enum xenabi_view view;
	struct xa_vec *raws;	/* struct raw, all units */
	size_t first;		/* this unit's first raw */
	const struct xa_encoding *enc;	/* the continuation manifest */
	size_t nenc;
	bool oom;
};

static struct raw *emit(struct unit_diff *ud, enum xenabi_change_kind kind,
			enum xenabi_severity sev, const char *owner,
			const char *symbol, const char *old, const char *new,
			const struct xenabi_type *where)
{
	struct raw *r = xa_vec_push(ud->raws);

	if (!r) {
		ud->oom = true;
		return NULL;
	}
	r->f.kind = kind;
	r->f.severity = sev;
	r->f.abis = ud->abi_bit;
	r->f.view = ud->view;
	r->f.symbol = symbol;
	r->f.old = old ? old : "";
	r->f.new = new ? new : "";
	r->f.detail = "";
	r->f.file = where && where->file ? where->file : "";
	r->f.line = where ? where->line : 0;
	r->owner = owner;
	return r;
}

static bool is_path(const char *name)
{
	return strchr(name, '.') != NULL;
}

/* How a member is matched across releases: by name, unnamed ones by path. */
static const char *member_key(const struct xenabi_member *m)
{
	return *m->name ? m->name : m->type;
}

static const char *member_symbol(struct unit_diff *ud,
				 const struct xenabi_type *t,
				 const struct xenabi_member *m)
{
	const char *sp;

	if (*m->name)
		return xa_arena_fmt(ud->arena, &ud->oom, "%s.%s", t->name, m->name);
	/* An unnamed member is its type's path: "union fix_op.@0" -> fix_op.@0 */
	sp = strchr(m->type, ' ');
	return xa_arena_fmt(ud->arena, &ud->oom, "%s", sp ? sp + 1 : m->type);
}

static const char *describe(struct unit_diff *ud, const struct xenabi_member *m)
{
	if (m->bit_size)
		return xa_arena_fmt(ud->arena, &ud->oom, "%s:%u (bits %u..%u of the unit at %llu)", m->type,
			    m->bit_size, m->bit_offset,
			    m->bit_offset + m->bit_size - 1,
			    (unsigned long long)m->offset);
	if (m->base_class == XENABI_BASE_INT || m->base_class == XENABI_BASE_FLOAT)
		return xa_arena_fmt(ud->arena, &ud->oom, "%s (%u-bit %s%s)", m->type, m->bits,
			    m->is_signed ? "signed" : "unsigned",
			    m->base_class == XENABI_BASE_FLOAT ? " float" : "");
	return xa_arena_fmt(ud->arena, &ud->oom, "%s (%llu bytes)", m->type, (unsigned long long)m->size);
}

static const struct xenabi_member *find_member(const struct xenabi_type *t,
					       const char *key)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (!strcmp(member_key(&t->members[i]), key))
			return &t->members[i];
	return NULL;
}

static bool same_shape(const struct xenabi_member *a,
		       const struct xenabi_member *b)
{
	return a->offset == b->offset && a->size == b->size &&
	       a->bits == b->bits && a->bit_size == b->bit_size &&
	       a->bit_offset == b->bit_offset && a->is_signed == b->is_signed &&
	       a->base_class == b->base_class && !strcmp(a->base, b->base) &&
	       !strcmp(a->dims, b->dims);
}

static void compare_member(struct unit_diff *ud, const struct xenabi_type *ot,
			   const struct xenabi_type *nt,
			   const struct xenabi_member *om,
			   const struct xenabi_member *nm)
{
	const char *sym = member_symbol(ud, nt, om);

	if (om->offset != nm->offset) {
		emit(ud, XENABI_MEMBER_OFFSET_CHANGED, XENABI_SEV_BREAK,
		     nt->name, sym,
		     xa_arena_fmt(ud->arena, &ud->oom, "offset %llu", (unsigned long long)om->offset),
		     xa_arena_fmt(ud->arena, &ud->oom, "offset %llu", (unsigned long long)nm->offset), nt);
	}
	if (om->bit_size || nm->bit_size) {
		if (om->bit_size != nm->bit_size ||
		    om->bit_offset != nm->bit_offset ||
		    om->size != nm->size)
			emit(ud, XENABI_BITFIELD_CHANGED, XENABI_SEV_BREAK,
			     nt->name, sym, describe(ud, om), describe(ud, nm),
			     nt);
		return;
	}
	if (om->base_class != nm->base_class || strcmp(om->dims, nm->dims) ||
	    (om->base_class == XENABI_BASE_STRUCT && strcmp(om->base, nm->base))) {
		emit(ud, XENABI_MEMBER_TYPE_CHANGED, XENABI_SEV_BREAK, nt->name,
		     sym, describe(ud, om), describe(ud, nm), nt);
		return;
	}
	if (om->base_class == XENABI_BASE_STRUCT)
		return;	/* the embedded type's own change is its root */
	if (om->bits > nm->bits)
		emit(ud, XENABI_MEMBER_NARROWED, XENABI_SEV_BREAK, nt->name, sym,
		     describe(ud, om), describe(ud, nm), nt);
	else if (om->bits < nm->bits)
		emit(ud, XENABI_MEMBER_WIDENED, XENABI_SEV_BREAK, nt->name, sym,
		     describe(ud, om), describe(ud, nm), nt);
	else if (om->is_signed != nm->is_signed)
		emit(ud, XENABI_MEMBER_SIGNEDNESS_CHANGED, XENABI_SEV_RISK,
		     nt->name, sym, describe(ud, om), describe(ud, nm), nt);
	(void)ot;
}

/* Whether [off, off + size) was free in the old layout: padding or tail. */
static bool was_padding(const struct xenabi_type *ot, uint64_t off,
			uint64_t size)
{
	if (ot->kind == XENABI_KIND_UNION)
		return false;
	for (size_t i = 0; i < ot->nmembers; i++) {
		const struct xenabi_member *m = &ot->members[i];

		if (off < xa_member_end(m) && m->offset < off + size)
			return false;
	}
	return off + size <= ot->size;
}

static void compare_aggregate(struct unit_diff *ud, const struct xenabi_type *ot,
			      const struct xenabi_type *nt)
{
	bool *matched_new = calloc(nt->nmembers + 1, sizeof(bool));
	bool *gone = calloc(ot->nmembers + 1, sizeof(bool));
	bool moved = false;

	if (!matched_new || !gone) {
		ud->oom = true;
		goto out;
	}
	if (ot->size != nt->size)
		emit(ud, XENABI_SIZE_CHANGED, XENABI_SEV_BREAK, nt->name,
		     nt->name, xa_arena_fmt(ud->arena, &ud->oom, "%llu bytes", (unsigned long long)ot->size),
		     xa_arena_fmt(ud->arena, &ud->oom, "%llu bytes", (unsigned long long)nt->size), nt);
	if (ot->align != nt->align)
		emit(ud, XENABI_ALIGN_CHANGED, XENABI_SEV_BREAK, nt->name,
		     nt->name, xa_arena_fmt(ud->arena, &ud->oom, "align %u", ot->align),
		     xa_arena_fmt(ud->arena, &ud->oom, "align %u", nt->align), nt);
	for (size_t i = 0; i < ot->nmembers; i++) {
		const struct xenabi_member *om = &ot->members[i];
		const struct xenabi_member *nm = find_member(nt, member_key(om));

		if (!nm) {
			gone[i] = true;
			continue;
		}
		matched_new[nm - nt->members] = true;
		moved |= om->offset != nm->offset;
		compare_member(ud, ot, nt, om, nm);
	}
	/* A member in the same place, of the same shape, under a new name. */
	for (size_t i = 0; i < ot->nmembers; i++) {
		const struct xenabi_member *om = &ot->members[i];

		if (!gone[i] || !*om->name)
			continue;
		for (size_t j = 0; j < nt->nmembers; j++) {
			const struct xenabi_member *nm = &nt->members[j];

			if (matched_new[j] || !*nm->name || !same_shape(om, nm) ||
			    find_member(ot, nm->name))
				continue;
			emit(ud, XENABI_MEMBER_RENAMED, XENABI_SEV_RISK, nt->name,
			     member_symbol(ud, nt, om), om->name, nm->name, nt);
			matched_new[j] = true;
			gone[i] = false;
			break;
		}
	}
	for (size_t i = 0; i < ot->nmembers; i++)
		if (gone[i])
			emit(ud, XENABI_MEMBER_REMOVED, XENABI_SEV_BREAK, nt->name,
			     member_symbol(ud, ot, &ot->members[i]),
			     describe(ud, &ot->members[i]), "", ot);
	for (size_t j = 0; j < nt->nmembers; j++) {
		const struct xenabi_member *nm = &nt->members[j];
		/* In a union, a new member within its old size moves nothing. */
		bool quiet = ot->size == nt->size && !moved &&
			     (ot->kind == XENABI_KIND_UNION
				      ? nm->offset + nm->size <= ot->size
				      : was_padding(ot, nm->offset, nm->size));
		struct raw *r;

		if (matched_new[j])
			continue;
		r = emit(ud, XENABI_MEMBER_ADDED,
			 quiet ? XENABI_SEV_INFO : XENABI_SEV_RISK, nt->name,
			 member_symbol(ud, nt, nm), "", describe(ud, nm), nt);
		if (r && quiet && ot->kind == XENABI_KIND_UNION)
			r->f.detail = "within the union's size";
		else if (r && quiet)
			r->f.detail = nm->offset >= xa_type_used_end(ot)
					      ? "in former tail padding"
					      : "in former padding";
	}
out:
	free(matched_new);
	free(gone);
}

/* "struct x" or "union x[2]" as a member base names aggregate x. */
static const struct xenabi_type *base_aggregate(const struct xenabi_unit *u,
						const char *base)
{
	static const struct {
		const char *kw;
		enum xenabi_type_kind kind;
	} kws[] = { { "struct ", XENABI_KIND_STRUCT },
		    { "union ", XENABI_KIND_UNION } };
	char name[512];

	for (size_t i = 0; i < XA_ARRAY_SIZE(kws); i++) {
		size_t n = strlen(kws[i].kw), len;

		if (strncmp(base, kws[i].kw, n))
			continue;
		len = strcspn(base + n, " [");
		if (len >= sizeof(name))
			return NULL;
		memcpy(name, base + n, len);
		name[len] = '\0';
		return xenabi_unit_find_type(u, kws[i].kind, name);
	}
	return NULL;
}

/*
 * A typedef naming an anonymous aggregate of its own name (every guest
 * handle) comes and goes with it: the aggregate's finding says it all.
 */
static bool names_own_aggregate(const struct xenabi_unit *u,
				const struct xenabi_type *t)
{
	return t->kind == XENABI_KIND_TYPEDEF &&
	       (xenabi_unit_find_type(u, XENABI_KIND_STRUCT, t->name) ||
		xenabi_unit_find_type(u, XENABI_KIND_UNION, t->name));
}

/*
 * A type going away breaks guests that use it; a typedef going away breaks
 * their source only; a guest handle goes with the type it carries, whose
 * own finding is the one to read.
 */
static enum xenabi_severity removed_severity(const struct xenabi_type *t)
{
	if (!strncmp(t->name, "__guest_handle_", 15))
		return XENABI_SEV_INFO;
	return t->kind == XENABI_KIND_TYPEDEF ? XENABI_SEV_RISK
					      : XENABI_SEV_BREAK;
}

static void compare_types(struct unit_diff *ud)
{
	const struct xenabi_unit *o = ud->o, *n = ud->n;
	size_t i = 0, j = 0;

	while (i < o->ntypes || j < n->ntypes) {
		const struct xenabi_type *ot = i < o->ntypes ? &o->types[i] : NULL;
		const struct xenabi_type *nt = j < n->ntypes ? &n->types[j] : NULL;
		int c = !ot ? 1 : !nt ? -1 : xa_type_cmp(ot, nt);

		if (c < 0) {
			i++;
			/* Path-named types are their parents' members. */
			if (is_path(ot->name) || names_own_aggregate(o, ot))
				continue;
			emit(ud, XENABI_TYPE_REMOVED, removed_severity(ot),
			     ot->name, xa_arena_fmt(ud->arena, &ud->oom, "%s", ot->name),
			     xa_arena_fmt(ud->arena, &ud->oom, "%s %s", xenabi_kind_name(ot->kind), ot->name),
			     "", ot);
			continue;
		}
		if (c > 0) {
			j++;
			if (is_path(nt->name) || names_own_aggregate(n, nt))
				continue;
			emit(ud, XENABI_TYPE_ADDED, XENABI_SEV_INFO, nt->name,
			     xa_arena_fmt(ud->arena, &ud->oom, "%s", nt->name), "",
			     xa_arena_fmt(ud->arena, &ud->oom, "%s %s", xenabi_kind_name(nt->kind), nt->name),
			     nt);
			continue;
		}
		i++;
		j++;
		switch (nt->kind) {
		case XENABI_KIND_STRUCT:
		case XENABI_KIND_UNION:
			compare_aggregate(ud, ot, nt);
			break;
		case XENABI_KIND_ENUM:
			/* Enumerators are constants: compared there. */
			if (ot->size != nt->size)
				emit(ud, XENABI_SIZE_CHANGED, XENABI_SEV_BREAK,
				     nt->name, nt->name,
				     xa_arena_fmt(ud->arena, &ud->oom, "%llu bytes", (unsigned long long)ot->size),
				     xa_arena_fmt(ud->arena, &ud->oom, "%llu bytes", (unsigned long long)nt->size),
				     nt);
			break;
		default:
			/* A typedef of an aggregate changes with it: not here. */
			if (ot->size != nt->size && !base_aggregate(n, nt->target) &&
			    !base_aggregate(o, ot->target))
				emit(ud, XENABI_SIZE_CHANGED, XENABI_SEV_BREAK,
				     nt->name, nt->name,
				     xa_arena_fmt(ud->arena, &ud->oom, "%s (%llu bytes)", ot->target,
					  (unsigned long long)ot->size),
				     xa_arena_fmt(ud->arena, &ud->oom, "%s (%llu bytes)", nt->target,
					  (unsigned long long)nt->size),
				     nt);
			break;
		}
	}
}

/* ---- roots ---------------------------------------------------------------- */

/* The raw size/align change of an aggregate in this unit, if any. */
static struct raw *layout_change(struct unit_diff *ud, const char *name)
{
	struct raw *r = ud->raws->data;

	for (size_t k = ud->first; k < ud->raws->len; k++)
		if ((r[k].f.kind == XENABI_SIZE_CHANGED ||
		     r[k].f.kind == XENABI_ALIGN_CHANGED) &&
		    !strcmp(r[k].owner, name))
			return &r[k];
	return NULL;
}

/*
 * The roots of a changed aggregate: the embedded aggregates whose own
 * change explains its size and the shifts of its members, recursively;
 * itself when nothing embedded changed.  Appends to roots (names).
 */
static void find_roots(struct unit_diff *ud, const struct xenabi_type *nt,
		       struct xa_vec *roots, int depth, uint64_t *first)
{
	bool any = false;

	*first = UINT64_MAX;
	for (size_t i = 0; depth < 32 && i < nt->nmembers; i++) {
		const struct xenabi_member *m = &nt->members[i];
		const struct xenabi_type *inner;
		uint64_t ignored;

		if (m->base_class != XENABI_BASE_STRUCT ||
		    !(inner = base_aggregate(ud->n, m->base)) ||
		    !layout_change(ud, inner->name))
			continue;
		any = true;
		if (m->offset < *first)
			*first = m->offset;
		find_roots(ud, inner, roots, depth + 1, &ignored);
	}
	if (!any) {
		const char **slot = xa_vec_push(roots);

		if (slot)
			*slot = nt->name;
		else
			ud->oom = true;
	}
}

/*
 * A change is reported once, at its root: an aggregate whose size or
 * alignment changed only because an embedded one did loses its size,
 * alignment and member-shift findings, and becomes one of the names the
 * root's finding says it shifts.
 */
static void attribute_roots(struct unit_diff *ud)
{
	struct xa_vec roots;
	size_t end = ud->raws->len;

	xa_vec_init(&roots, sizeof(const char *));
	for (size_t k = ud->first; k < end; k++) {
		struct raw *r = (struct raw *)ud->raws->data + k;
		const struct xenabi_type *nt;
		uint64_t first;
		const char *owner = r->owner;

		if (r->f.kind != XENABI_SIZE_CHANGED &&
		    r->f.kind != XENABI_ALIGN_CHANGED)
			continue;
		nt = xenabi_unit_find_type(ud->n, XENABI_KIND_STRUCT, owner);
		if (!nt)
			nt = xenabi_unit_find_type(ud->n, XENABI_KIND_UNION, owner);
		if (!nt)
			continue;
		roots.len = 0;
		find_roots(ud, nt, &roots, 0, &first);
		if (roots.len == 1 &&
		    !strcmp(((const char **)roots.data)[0], owner))
			continue;	/* its own change: a root */
		/* Derived: drop its layout change and the shifts it causes. */
		for (size_t q = ud->first; q < end; q++) {
			struct raw *d = (struct raw *)ud->raws->data + q;
			const struct xenabi_member *m;
			const char *dot;

			if (strcmp(d->owner, owner))
				continue;
			if (d->f.kind == XENABI_SIZE_CHANGED ||
			    d->f.kind == XENABI_ALIGN_CHANGED) {
				d->derived = true;
				continue;
			}
			if (d->f.kind != XENABI_MEMBER_OFFSET_CHANGED)
				continue;
			dot = strrchr(d->f.symbol, '.');
			m = dot ? find_member(nt, dot + 1) : NULL;
			if (!m || m->offset >= first)
				d->derived = true;
		}
		/* Name it at every root's layout change. */
		for (size_t q = 0; q < roots.len; q++) {
			const char *root = ((const char **)roots.data)[q];
			struct raw *rr = layout_change(ud, root);

			if (!rr || rr->derived)
				continue;
			if (!*rr->f.detail)
				rr->f.detail = xa_arena_fmt(ud->arena, &ud->oom, "shifts: %s", owner);
			else if (!strstr(rr->f.detail, owner))
				rr->f.detail = xa_arena_fmt(ud->arena, &ud->oom, "%s, %s", rr->f.detail,
						    owner);
		}
	}
	xa_vec_release(&roots);
}

/* ---- constants ---------------------------------------------------------- */

/* Definitions compare without their blanks: clang's spacing varies. */
static bool same_text(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '\t')
			a++;
		while (*b == ' ' || *b == '\t')
			b++;
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

static const char *const_value(struct unit_diff *ud,
			       const struct xenabi_const *c)
{
	return xa_const_words(ud->arena, &ud->oom, c);
}

static const struct xenabi_type *const_where(const struct xenabi_const *c,
					     struct xenabi_type *tmp)
{
	memset(tmp, 0, sizeof(*tmp));
	tmp->file = c->file;
	tmp->line = c->line;
	return tmp;
}

/* Whether a unit was scanned from a source tree: it has encodings. */
static bool has_encodings(const struct xenabi_unit *u)
{
	for (size_t i = 0; i < u->nconsts; i++)
		if (xa_const_from_tree(&u->consts[i]))
			return true;
	return false;
}

/* Whether a constant is an encoding's macro: compare_encodings has it. */
static bool encoding_macro(const struct unit_diff *ud, const char *name)
{
	enum xa_enc_role role;

	return xa_encoding_of(ud->enc, ud->nenc, name, &role) != NULL;
}

static const char *layout_words(struct unit_diff *ud, const struct xa_encoding *e,
				const struct xa_enc_bits *b)
{
	const char *s = xa_encoding_layout(ud->arena, e, b);

	if (!s)
		ud->oom = true;
	return s ? s : "";
}

/*
 * A continuation encoding that moved, one finding for all its macros: a
 * guest suspended mid-continuation on the old hypervisor resumes on the
 * new one with the old bits.  A new encoding is only its macros' adding.
 */
static void compare_encodings(struct unit_diff *ud)
{
	for (size_t k = 0; k < ud->nenc; k++) {
		const struct xa_encoding *e = &ud->enc[k];
		struct xa_enc_bits ob, nb;
		bool in_new = xa_encoding_bits(e, ud->n, &nb);
		struct xenabi_type where;
		const char *moved;
		struct raw *r;

		if (!xa_encoding_bits(e, ud->o, &ob) ||
		    (in_new && xa_enc_bits_equal(&ob, &nb)) ||
		    /* Scanned without the internal files: nothing to say. */
		    (!in_new && !has_encodings(ud->n)))
			continue;
		/* The manifest goes with the diff's end; the finding stays. */
		r = emit(ud, XENABI_CONTINUATION_BITS_MOVED, XENABI_SEV_BREAK, "",
			 xa_arena_fmt(ud->arena, &ud->oom, "%s", e->hypercall),
			 layout_words(ud, e, &ob),
			 in_new ? layout_words(ud, e, &nb) : "not found",
			 const_where(in_new ? nb.anchor : ob.anchor, &where));
		moved = xa_encoding_moved(ud->arena, e, &ob, in_new ? &nb : NULL);
		if (!moved)
			ud->oom = true;
		else if (r)
			r->f.detail = xa_arena_fmt(ud->arena, &ud->oom,
				"%s; guests suspended mid-continuation on the "
				"old hypervisor resume wrongly on the new one",
				moved);
	}
}

static void subop_found(void *data, const struct xa_encoding *e,
			const struct xenabi_const *c, uint64_t mask,
			const char *macro)
{
	struct unit_diff *ud = data;
	struct xenabi_type where;

	emit(ud, XENABI_SUBOP_EXCEEDS_MASK, XENABI_SEV_BREAK, "", c->name, "",
	     xa_arena_fmt(ud->arena, &ud->oom, "%s = %llu does not fit %s's op bits (%s = 0x%llx)",
		  c->name, (unsigned long long)c->value, e->hypercall, macro,
		  (unsigned long long)mask),
	     const_where(c, &where));
}

static void compare_consts(struct unit_diff *ud)
{
	const struct xenabi_unit *o = ud->o, *n = ud->n;
	struct xenabi_type where;
	size_t i = 0, j = 0;

	while (i < o->nconsts || j < n->nconsts) {
		const struct xenabi_const *oc = i < o->nconsts ? &o->consts[i] : NULL;
		const struct xenabi_const *nc = j < n->nconsts ? &n->consts[j] : NULL;
		int c = !oc ? 1 : !nc ? -1 : strcmp(oc->name, nc->name);
		bool is_enum;

		if (c < 0) {
			i++;
			if (encoding_macro(ud, oc->name))
				continue;
			/* An include guard going is not an interface change. */
			if (oc->class == XENABI_CONST_OTHER && !*oc->text)
				continue;
			is_enum = oc->class == XENABI_CONST_ENUMERATOR;
			emit(ud, is_enum ? XENABI_ENUMERATOR_REMOVED
					 : XENABI_CONSTANT_REMOVED,
			     is_enum ? XENABI_SEV_BREAK
			     : oc->class == XENABI_CONST_OTHER ? XENABI_SEV_INFO
							       : XENABI_SEV_RISK,
			     "", oc->name, const_value(ud, oc), "",
			     const_where(oc, &where));
			continue;
		}
		if (c > 0) {
			j++;
			if (nc->class == XENABI_CONST_OTHER && !*nc->text)
				continue;
			emit(ud, XENABI_CONSTANT_ADDED, XENABI_SEV_INFO, "",
			     nc->name, "", const_value(ud, nc),
			     const_where(nc, &where));
			continue;
		}
		i++;
		j++;
		if (encoding_macro(ud, oc->name))
			continue;
		is_enum = nc->class == XENABI_CONST_ENUMERATOR ||
			  oc->class == XENABI_CONST_ENUMERATOR;
		if (oc->class != nc->class ||
		    (oc->class == XENABI_CONST_STRING && strcmp(oc->str, nc->str)) ||
		    ((oc->class == XENABI_CONST_INT || is_enum) &&
		     oc->value != nc->value)) {
			/* An interface version is made to move every release. */
			bool version = strstr(nc->name, "INTERFACE_VERSION") != NULL;

			emit(ud, is_enum ? XENABI_ENUMERATOR_CHANGED
					 : XENABI_CONSTANT_CHANGED,
			     version ? XENABI_SEV_INFO : XENABI_SEV_BREAK, "",
			     nc->name, const_value(ud, oc), const_value(ud, nc),
			     const_where(nc, &where));
		} else if (oc->class == XENABI_CONST_INT &&
			   (oc->width != nc->width ||
			    oc->is_signed != nc->is_signed)) {
			emit(ud, XENABI_CONSTANT_CHANGED, XENABI_SEV_RISK, "",
			     nc->name,
			     xa_arena_fmt(ud->arena, &ud->oom, "%s, %u-byte %s", const_value(ud, oc),
				  oc->width, oc->is_signed ? "signed" : "unsigned"),
			     xa_arena_fmt(ud->arena, &ud->oom, "%s, %u-byte %s", const_value(ud, nc),
				  nc->width, nc->is_signed ? "signed" : "unsigned"),
			     const_where(nc, &where));
		} else if (oc->class == XENABI_CONST_OTHER &&
			   !same_text(oc->text, nc->text)) {
			emit(ud, XENABI_CONSTANT_CHANGED, XENABI_SEV_INFO, "",
			     nc->name, oc->text, nc->text,
			     const_where(nc, &where));
		}
	}
}

/* ---- collapsing ----------------------------------------------------------- */

static int str_cmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Same change, whatever ABI and view: the collapse key. */
static int change_cmp(const struct xenabi_finding *a,
		      const struct xenabi_finding *b)
{
	int c;

	if ((c = str_cmp0(a->file, b->file)) || (c = str_cmp0(a->symbol, b->symbol)))
		return c;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if ((c = str_cmp0(a->old, b->old)) || (c = str_cmp0(a->new, b->new)) ||
	    (c = str_cmp0(a->detail, b->detail)))
		return c;
	return 0;
}

/* Collapse order: the change, then guest before tools, then ABIs. */
static int collapse_cmp(const void *pa, const void *pb)
{
	const struct xenabi_finding *a = pa, *b = pb;
	int c = change_cmp(a, b);

	if (c)
		return c;
	if (a->view != b->view)
		return a->view == XENABI_VIEW_GUEST ? -1 : 1;
	return (int)a->abis - (int)b->abis;
}

int xa_findings_collapse(struct xa_vec *in, struct xa_vec *out)
{
	if (in->len)
		qsort(in->data, in->len, in->elem, collapse_cmp);
	for (size_t k = 0; k < in->len; k++) {
		const struct xenabi_finding *f = (struct xenabi_finding *)in->data + k;
		struct xenabi_finding *last = out->len
			? (struct xenabi_finding *)out->data + out->len - 1
			: NULL;

		/* Guest sorts first: the tools twin of a guest change folds in. */
		if (last && !change_cmp(last, f) &&
		    (last->view == f->view || (last->abis & f->abis) == f->abis)) {
			last->abis |= f->abis;
			continue;
		}
		last = xa_vec_push(out);
		if (!last)
			return -1;
		*last = *f;
	}
	return 0;
}

bool xa_change_is_constant(enum xenabi_change_kind kind)
{
	return kind >= XENABI_ENUMERATOR_CHANGED &&
	       kind <= XENABI_INTERFACE_VERSION_UNCHANGED;
}

/* Report order: view, file, then a file's types before its constants. */
static int finding_cmp(const void *pa, const void *pb);

void xa_findings_sort(struct xa_vec *findings)
{
	if (findings->len)
		qsort(findings->data, findings->len, findings->elem,
		      finding_cmp);
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct xenabi_finding *a = pa, *b = pb;
	int c;

	if (a->view != b->view)
		return a->view == XENABI_VIEW_GUEST ? -1 : 1;
	if ((c = str_cmp0(a->file, b->file)))
		return c;
	if (xa_change_is_constant(a->kind) != xa_change_is_constant(b->kind))
		return xa_change_is_constant(a->kind) ? 1 : -1;
	return change_cmp(a, b);
}

/*
 * A tools-only change in domctl.h or sysctl.h whose interface version
 * stayed the same: a tool built against the old headers passes the
 * hypervisor's version check and then misreads the new layout.
 */
static void version_rule(struct xenabi_diff *d, struct xa_vec *out,
			 const struct xenabi_release *old,
			 const struct xenabi_release *new, struct unit_diff *ud)
{
	static const struct {
		const char *file, *constant;
	} rules[] = { { "domctl.h", "XEN_DOMCTL_INTERFACE_VERSION" },
		      { "sysctl.h", "XEN_SYSCTL_INTERFACE_VERSION" } };

	for (size_t r = 0; r < XA_ARRAY_SIZE(rules); r++) {
		const struct xenabi_finding *f = out->data;
		const struct xenabi_const *oc = NULL, *nc = NULL;
		size_t count = 0;
		unsigned int abis = 0;

		for (size_t k = 0; k < out->len; k++)
			if (f[k].view == XENABI_VIEW_TOOLS &&
			    f[k].severity >= XENABI_SEV_RISK &&
			    !strcmp(f[k].file, rules[r].file)) {
				count++;
				abis |= f[k].abis;
			}
		if (!count)
			continue;
		for (int u = 0; u < XENABI_UNIT_COUNT && !(oc && nc); u++) {
			const struct xenabi_const key = { .name = rules[r].constant };

			if (!old->present[u] || !new->present[u] ||
			    u % XENABI_VIEW_COUNT != XENABI_VIEW_TOOLS)
				continue;
			if (old->units[u].nconsts)
				oc = bsearch(&key, old->units[u].consts,
					     old->units[u].nconsts, sizeof(key),
					     xa_const_cmp);
			if (new->units[u].nconsts)
				nc = bsearch(&key, new->units[u].consts,
					     new->units[u].nconsts, sizeof(key),
					     xa_const_cmp);
		}
		if (!oc || !nc || oc->value != nc->value)
			continue;
		struct xenabi_finding *v = xa_vec_push(out);

		if (!v) {
			ud->oom = true;
			return;
		}
		v->kind = XENABI_INTERFACE_VERSION_UNCHANGED;
		v->severity = XENABI_SEV_RISK;
		v->abis = abis;
		v->view = XENABI_VIEW_TOOLS;
		v->symbol = rules[r].constant;
		v->old = const_value(ud, oc);
		v->new = const_value(ud, nc);
		v->detail = xa_arena_fmt(ud->arena, &ud->oom, "%zu tools-only change%s in %s", count,
				 count == 1 ? "" : "s", rules[r].file);
		v->file = nc->file;
		v->line = nc->line;
	}
	(void)d;
}

int xenabi_diff_releases(struct xenabi_ctx *ctx,
			 const struct xenabi_release *old,
			 const struct xenabi_release *new,
			 struct xenabi_diff **out)
{
	struct xenabi_diff *d = calloc(1, sizeof(*d));
	struct xa_vec raws, kept, findings;
	struct unit_diff ud = { .ctx = ctx };
	int ret = 0;

	*out = NULL;
	xa_vec_init(&raws, sizeof(struct raw));
	xa_vec_init(&kept, sizeof(struct xenabi_finding));
	xa_vec_init(&findings, sizeof(struct xenabi_finding));
	if (!d || !(d->arena = xa_arena_new())) {
		free(d);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	d->old_name = xa_arena_strdup(d->arena, old->name);
	d->new_name = xa_arena_strdup(d->arena, new->name);
	ud.arena = d->arena;
	if ((ret = xa_encodings_load(ctx, (struct xa_encoding **)&ud.enc,
				     &ud.nenc)))
		goto out;
	ud.raws = &raws;
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		if (!old->present[u] || !new->present[u])
			continue;
		d->abis |= 1u << (u / XENABI_VIEW_COUNT);
		ud.o = &old->units[u];
		ud.n = &new->units[u];
		ud.abi_bit = 1u << (u / XENABI_VIEW_COUNT);
		ud.view = u % XENABI_VIEW_COUNT;
		ud.first = raws.len;
		compare_types(&ud);
		compare_consts(&ud);
		compare_encodings(&ud);
		xa_subops_exceeding(ud.n, ud.enc, ud.nenc, subop_found, &ud);
		attribute_roots(&ud);
	}
	if (!d->abis) {
		ret = xa_error(ctx, XENABI_EINVAL,
			       "releases '%s' and '%s' have no ABI in common",
			       old->name, new->name);
		goto out;
	}

	/* Collapse: one finding per change, its ABIs and its views merged. */
	for (size_t k = 0; k < raws.len && !ud.oom; k++) {
		const struct raw *r = (struct raw *)raws.data + k;
		struct xenabi_finding *f;

		if (r->derived)
			continue;
		if (!(f = xa_vec_push(&kept)))
			ud.oom = true;
		else
			*f = r->f;
	}
	if (!ud.oom && xa_findings_collapse(&kept, &findings))
		ud.oom = true;
	version_rule(d, &findings, old, new, &ud);
	if (ud.oom) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	xa_findings_sort(&findings);
	d->findings = xa_vec_finish(&findings, d->arena, &d->nfindings);
out:
	xa_encodings_free((struct xa_encoding *)ud.enc, ud.nenc);
	xa_vec_release(&raws);
	xa_vec_release(&kept);
	xa_vec_release(&findings);
	if (ret) {
		xenabi_diff_free(d);
		return ret;
	}
	*out = d;
	return 0;
}

void xenabi_diff_free(struct xenabi_diff *diff)
{
	if (!diff)
		return;
	xa_arena_free(diff->arena);
	free(diff);
}

size_t xenabi_diff_count(const struct xenabi_diff *diff,
			 enum xenabi_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < diff->nfindings; i++)
		n += diff->findings[i].severity >= sev &&
		     !diff->findings[i].suppressed;
	return n;
}
