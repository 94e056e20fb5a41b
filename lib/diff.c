/* SPDX-License-Identifier: MIT */
/*
 * diff: comparing two releases' records into findings, unit by unit, each
 * change reported once at its root and collapsed across ABIs and views.
 * Works on records only: never on sqlite rows or DWARF; never writes into
 * the releases it compares.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xa.h"

static const char *const kind_names[XENABI_CHANGE_COUNT] = {
	[XENABI_TYPE_REMOVED] = "type_removed",
	[XENABI_TYPE_ADDED] = "type_added",
	[XENABI_TYPE_RENAMED] = "type_renamed",
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
	[XENABI_HYPERCALL_REMOVED] = "hypercall_removed",
	[XENABI_HYPERCALL_ADDED] = "hypercall_added",
	[XENABI_HYPERCALL_RETURN_NARROWED] = "hypercall_return_narrowed",
	[XENABI_HYPERCALL_RETURN_WIDENED] = "hypercall_return_widened",
	[XENABI_HYPERCALL_ARGUMENT_CHANGED] = "hypercall_argument_changed",
	[XENABI_RETURN_WIDTH_DIFFERS] = "return_width_differs",
	[XENABI_HEADER_FAILED] = "header_failed",
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

/*
 * A finding of one unit, before collapsing.  owner is the aggregate it is
 * about; sized names the type whose size or alignment change it carries
 * (a root that absorbed it, or a size_changed of its own).
 */
struct raw {
	struct xenabi_finding f;
	const char *owner;
	const char *sized;
	bool derived;		/* a consequence of an embedded type's change */
	bool tail_growth;	/* grew at the tail, no member moved */
	bool shifts_containers;	/* what embeds it moves because of it */
};

struct unit_diff {
	struct xenabi_ctx *ctx;
	struct xa_arena *arena;
	const struct xenabi_release *orel, *nrel;
	const struct xenabi_unit *o, *n;
	int abi;
	unsigned int abi_bit;
	enum xenabi_view view;
	struct xa_vec *raws;	/* struct raw, all units */
	size_t first;		/* this unit's first raw */
	const struct xa_encoding *enc;	/* the continuation manifest */
	size_t nenc;
	const struct xa_rules *rules;
	bool oom;
};

#define FMT(ud, ...) xa_arena_fmt((ud)->arena, &(ud)->oom, __VA_ARGS__)

static struct raw *raw_at(struct unit_diff *ud, size_t k)
{
	return (struct raw *)ud->raws->data + k;
}

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
	r->f.reason = "";
	r->f.file = where && where->file ? where->file : "";
	r->f.line = where ? where->line : 0;
	r->owner = owner;
	return r;
}

/* Set a finding's severity and the reason for it. */
static void judge(struct raw *r, enum xenabi_severity sev, const char *reason)
{
	if (!r)
		return;
	r->f.severity = sev;
	r->f.reason = reason ? reason : "";
}

static bool is_path(const char *name)
{
	return strchr(name, '.') != NULL;
}

/* An anonymous aggregate, named by its position: compared via its parent. */
static bool is_anonymous(const char *name)
{
	return strstr(name, ".@") != NULL;
}

static const char *member_symbol(struct unit_diff *ud,
				 const struct xenabi_type *t,
				 const struct xenabi_member *m)
{
	const char *sp;

	if (*m->name)
		return FMT(ud, "%s.%s", t->name, m->name);
	/* An unnamed member is its type's path: "union fix_op.@0" -> fix_op.@0 */
	sp = strchr(m->type, ' ');
	return FMT(ud, "%s", sp ? sp + 1 : m->type);
}

static const char *describe(struct unit_diff *ud, const struct xenabi_member *m)
{
	if (m->bit_size)
		return FMT(ud, "%s:%u (bits %u..%u of the unit at %llu)", m->type,
			   m->bit_size, m->bit_offset,
			   m->bit_offset + m->bit_size - 1,
			   (unsigned long long)m->offset);
	if (m->base_class == XENABI_BASE_INT || m->base_class == XENABI_BASE_FLOAT)
		return FMT(ud, "%s (%u-bit %s%s)", m->type, m->bits,
			   m->is_signed ? "signed" : "unsigned",
			   m->base_class == XENABI_BASE_FLOAT ? " float" : "");
	return FMT(ud, "%s (%llu bytes)", m->type, (unsigned long long)m->size);
}

/* The same, with the offset when it moved. */
static const char *describe_at(struct unit_diff *ud,
			       const struct xenabi_member *m, bool moved)
{
	const char *d = describe(ud, m);

	return moved ? FMT(ud, "%s at %llu", d, (unsigned long long)m->offset)
		     : d;
}

static bool is_padding(const struct unit_diff *ud, const struct xenabi_member *m)
{
	return *m->name &&
	       xa_rules_match(ud->rules, XA_RULE_PADDING, NULL, m->name);
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
 * Same bytes: kind, size, alignment, and every member alike, under the
 * same name too when names is true.
 */
static bool alike(const struct xenabi_type *a, const struct xenabi_type *b,
		  bool names)
{
	if (a->kind != b->kind || a->size != b->size || a->align != b->align ||
	    a->nmembers != b->nmembers ||
	    (a->kind == XENABI_KIND_TYPEDEF && strcmp(a->target, b->target)))
		return false;
	for (size_t i = 0; i < a->nmembers; i++) {
		const struct xenabi_member *x = &a->members[i], *y = &b->members[i];

		if ((names && strcmp(x->name, y->name)) ||
		    (a->kind == XENABI_KIND_ENUM ? x->value != y->value
						 : !same_shape(x, y) &&
						   !(x->base_class == XENABI_BASE_STRUCT &&
						     x->offset == y->offset &&
						     x->size == y->size)))
			return false;
	}
	return a->nmembers > 0 || a->kind == XENABI_KIND_TYPEDEF;
}

static bool same_layout(const struct xenabi_type *a, const struct xenabi_type *b)
{
	return alike(a, b, true);
}

/*
 * Whether two members hold the same bytes the same way: the same shape,
 * or two anonymous aggregates (named by their paths, which a rename
 * changes) laid out alike.
 */
static bool same_bytes(const struct unit_diff *ud, const struct xenabi_member *om,
		       const struct xenabi_member *nm)
{
	const struct xenabi_type *oa, *na;

	if (same_shape(om, nm))
		return true;
	return om->base_class == XENABI_BASE_STRUCT &&
	       nm->base_class == XENABI_BASE_STRUCT &&
	       om->offset == nm->offset && om->size == nm->size &&
	       !strcmp(om->dims, nm->dims) && is_path(om->base) &&
	       is_path(nm->base) && (oa = base_aggregate(ud->o, om->base)) &&
	       (na = base_aggregate(ud->n, nm->base)) && same_layout(oa, na);
}

/*
 * The member of a new aggregate member nm that holds old member om's
 * bytes the same way (same offset, width and sign), through nested
 * aggregates, under om's name too when same_name:
 * "private.netif.smartpoll_active" for a byte that moved into a union.
 * NULL when there is none.
 */
static const char *leaf_at(struct unit_diff *ud, const struct xenabi_member *nm,
			   uint64_t base, const struct xenabi_member *om,
			   bool same_name, int depth)
{
	const struct xenabi_type *t;

	if (nm->base_class != XENABI_BASE_STRUCT) {
		if (same_name && strcmp(nm->name, om->name))
			return NULL;
		if (base + nm->offset == om->offset && nm->size == om->size &&
		    nm->bits == om->bits && nm->is_signed == om->is_signed &&
		    nm->base_class == om->base_class && !strcmp(nm->dims, om->dims) &&
		    !nm->bit_size && !om->bit_size)
			return *nm->name ? nm->name : "";
		return NULL;
	}
	if (*nm->dims || depth > 8 || !(t = base_aggregate(ud->n, nm->base)))
		return NULL;
	for (size_t i = 0; i < t->nmembers; i++) {
		const char *in = leaf_at(ud, &t->members[i], base + nm->offset,
					 om, same_name, depth + 1);

		if (in)
			return !*nm->name ? in
			       : *in ? FMT(ud, "%s.%s", nm->name, in) : nm->name;
	}
	return NULL;
}

/*
 * Where old member om (at base in its outermost aggregate) is now, when
 * every leaf of it (each scalar, through nested aggregates and every arm
 * of a union) sits in one of the new members scope[0..nscope) (at
 * scope_base) at its old offset, read the same way, under its own name:
 * "u.s.u" for a union regrouped one level down.  NULL: not so.
 */
static const char *kept_in_place(struct unit_diff *ud,
				 const struct xenabi_member *scope,
				 size_t nscope, uint64_t scope_base,
				 const struct xenabi_member *om, uint64_t base,
				 int depth)
{
	struct xenabi_member at = *om;
	const struct xenabi_type *oa;
	const char *where = NULL;

	at.offset += base;
	if (om->base_class != XENABI_BASE_STRUCT || *om->dims) {
		for (size_t j = 0; j < nscope && !where; j++)
			where = leaf_at(ud, &scope[j], scope_base, &at, true, 0);
		return where && *where ? where : NULL;
	}
	if (depth > 8 || !(oa = base_aggregate(ud->o, om->base)) ||
	    !oa->nmembers)
		return NULL;
	for (size_t i = 0; i < oa->nmembers; i++) {
		const struct xenabi_member *m = &oa->members[i];
		const char *in = kept_in_place(ud, scope, nscope, scope_base, m,
					       at.offset, depth + 1);
		size_t len, nlen = strlen(m->name);

		if (!in && is_padding(ud, m))
			continue;
		if (!in)
			return NULL;
		if (where)
			continue;
		/* The first leaf's place, less the leaf's own name. */
		len = strlen(in);
		where = nlen && len > nlen && in[len - nlen - 1] == '.' &&
				!strcmp(in + len - nlen, m->name)
			? FMT(ud, "%.*s", (int)(len - nlen - 1), in)
			: in;
	}
	return where;
}

/*
 * How alike two anonymous aggregates are: the member names they share,
 * through nested anonymous ones.  Anonymous members are matched by what
 * they hold, never by position: a union inserted before them renumbers
 * every "@N".
 */
static size_t shared_names(const struct unit_diff *ud,
			   const struct xenabi_type *a,
			   const struct xenabi_type *b, int depth)
{
	size_t n = 0;

	if (!a || !b || depth > 8)
		return 0;
	for (size_t i = 0; i < a->nmembers; i++) {
		const struct xenabi_member *am = &a->members[i];

		for (size_t j = 0; j < b->nmembers; j++) {
			const struct xenabi_member *bm = &b->members[j];

			if (*am->name && !strcmp(am->name, bm->name))
				n++;
			else if (!*am->name && !*bm->name)
				n += shared_names(ud, base_aggregate(ud->o, am->type),
						  base_aggregate(ud->n, bm->type),
						  depth + 1);
		}
	}
	return n;
}

/* Whether [off, off + size) was free in the old layout: a hole, explicit
 * padding or the tail. */
static bool was_free(const struct unit_diff *ud, const struct xenabi_type *ot,
		     uint64_t off, uint64_t size)
{
	for (size_t i = 0; i < ot->nmembers; i++) {
		const struct xenabi_member *m = &ot->members[i];

		if (is_padding(ud, m))
			continue;
		if (off < xa_member_end(m) && m->offset < off + size)
			return false;
	}
	return off + size <= ot->size;
}

/*
 * The old member whose bytes a new member took, now that it was removed
 * or narrowed out of them: its own finding is the root.  NULL: none.
 */
static const char *freed_member(const struct xenabi_type *ot,
				const struct xenabi_type *nt, const long *o2n,
				const struct xenabi_member *nm)
{
	const char *by = NULL;

	for (size_t i = 0; i < ot->nmembers; i++) {
		const struct xenabi_member *om = &ot->members[i], *now;

		if (!(nm->offset < xa_member_end(om) && om->offset < xa_member_end(nm)))
			continue;
		now = o2n[i] >= 0 ? &nt->members[o2n[i]] : NULL;
		/* Pushed along is not given up; only removed or narrowed. */
		if (now && (now->offset != om->offset ||
			    (nm->offset < xa_member_end(now) &&
			     now->offset < xa_member_end(nm))))
			return NULL;
		by = om->name;
	}
	return by && *by ? by : NULL;
}

/*
 * The old members a new aggregate member nm gathers: every old member
 * whose bytes it spans lost its match and sits inside nm at its old
 * place under its name (regrouped into "u.s").  Their names, or NULL.
 */
static const char *gathered(struct unit_diff *ud, const struct xenabi_type *ot,
			    const long *o2n, const struct xenabi_member *nm)
{
	const char *names = NULL;

	if (nm->base_class != XENABI_BASE_STRUCT || *nm->dims)
		return NULL;
	for (size_t i = 0; i < ot->nmembers; i++) {
		const struct xenabi_member *om = &ot->members[i];

		if (!(nm->offset < xa_member_end(om) &&
		      om->offset < xa_member_end(nm)) || is_padding(ud, om))
			continue;
		if (o2n[i] >= 0 || !*om->name ||
		    !kept_in_place(ud, nm, 1, 0, om, 0, 0))
			return NULL;
		names = names ? FMT(ud, "%s, %s", names, om->name) : om->name;
	}
	return names;
}

/*
 * A union that gathers old members in one arm gives their bytes another
 * meaning in each arm that holds none of them: a finding for each such
 * arm.  Whether there was one.
 */
static bool new_arms(struct unit_diff *ud, const struct xenabi_type *nt,
		     const struct xenabi_member *nm,
		     const struct xenabi_type *ot, const char *held)
{
	const struct xenabi_type *ua = base_aggregate(ud->n, nm->base);
	bool any = false;

	if (!ua || ua->kind != XENABI_KIND_UNION)
		return false;
	for (size_t a = 0; a < ua->nmembers; a++) {
		const struct xenabi_member *arm = &ua->members[a];
		bool holds = false;
		struct raw *r;

		if (is_padding(ud, arm))
			continue;
		for (size_t i = 0; i < ot->nmembers && !holds; i++) {
			const struct xenabi_member *om = &ot->members[i];

			holds = nm->offset < xa_member_end(om) &&
				om->offset < xa_member_end(nm) &&
				kept_in_place(ud, arm, 1, nm->offset, om, 0, 0);
		}
		if (holds)
			continue;
		r = emit(ud, XENABI_MEMBER_ADDED, XENABI_SEV_BREAK, nt->name,
			 FMT(ud, "%s.%s", member_symbol(ud, nt, nm),
			     *arm->name ? arm->name : "(anonymous)"),
			 "", describe(ud, arm), ua);
		judge(r, XENABI_SEV_BREAK, FMT(ud, "a new arm of a union laid "
		      "over %s, which another arm keeps in place: whenever "
		      "this arm is the one in use, an old binary reads and "
		      "writes its bytes as those members", held));
		any = true;
	}
	return any;
}

/* What changed in a matched member, as a change kind; -1: nothing. */
static int member_change(const struct xenabi_member *om,
			 const struct xenabi_member *nm, bool *embedded)
{
	*embedded = false;
	if (om->bit_size || nm->bit_size)
		return om->bit_size != nm->bit_size ||
				       om->bit_offset != nm->bit_offset ||
				       om->size != nm->size
			       ? XENABI_BITFIELD_CHANGED
			       : -1;
	if (!*om->name && !*nm->name) {
		/* Anonymous: its own members are compared on their own. */
		*embedded = om->size != nm->size;
		return -1;
	}
	if (om->base_class != nm->base_class || strcmp(om->dims, nm->dims) ||
	    (om->base_class == XENABI_BASE_STRUCT && strcmp(om->base, nm->base)))
		return XENABI_MEMBER_TYPE_CHANGED;
	if (om->base_class == XENABI_BASE_STRUCT) {
		/* The embedded type's own change is its root. */
		*embedded = om->size != nm->size;
		return -1;
	}
	if (om->bits > nm->bits)
		return XENABI_MEMBER_NARROWED;
	if (om->bits < nm->bits)
		return XENABI_MEMBER_WIDENED;
	if (om->is_signed != nm->is_signed)
		return XENABI_MEMBER_SIGNEDNESS_CHANGED;
	return -1;
}

/*
 * Something that disturbs a layout from an old offset on: a member added,
 * removed or resized.  Members after it that move, and the structure's new
 * size, are its consequences, reported in its one finding.
 */
struct event {
	size_t raw;		/* its finding; SIZE_MAX: none of its own */
	long member;		/* the new member it is about; -1: none */
	uint64_t anchor;	/* the old offset from which it disturbs */
	bool embedded;		/* an embedded aggregate resized: its root is there */
	bool quiet;		/* padding taken: moves nothing by itself */
	bool at_tail;		/* added after every old member */
	bool inserted;		/* added before the member at anchor */
	bool padding;		/* a padding member: reported only as a root */
	bool same_place;	/* resized or retyped in the same bytes */
	uint64_t width;		/* the old member's size in bytes */
	bool grew_into_free;	/* widened in place over bytes nothing used */
	bool to_flexible;	/* a trailing [1] became [] in place */
	const char *shifts;	/* names of the members it moves */
	size_t nshifts;
};

static void compare_aggregate(struct unit_diff *ud, const struct xenabi_type *ot,
			      const struct xenabi_type *nt, int depth);

/*
 * A member of anonymous aggregate t (at base) named name, through nested
 * anonymous ones; *at receives its offset from the outer aggregate.
 */
static const struct xenabi_member *find_wrapped(const struct unit_diff *ud,
						const struct xenabi_type *t,
						uint64_t base, const char *name,
						uint64_t *at, int depth)
{
	for (size_t i = 0; t && depth < 8 && i < t->nmembers; i++) {
		const struct xenabi_member *m = &t->members[i], *inner;

		if (*m->name && !strcmp(m->name, name)) {
			*at = base + m->offset;
			return m;
		}
		if (!*m->name &&
		    (inner = find_wrapped(ud, base_aggregate(ud->n, m->type),
					  base + m->offset, name, at, depth + 1)))
			return inner;
	}
	return NULL;
}

/* Pair old and new members: by name, anonymous ones by content, renames. */
static void match_members(struct unit_diff *ud, const struct xenabi_type *ot,
			  const struct xenabi_type *nt, long *o2n, long *n2o,
			  bool *renamed, bool *wrapped)
{
	size_t no = ot->nmembers, nn = nt->nmembers;

	for (size_t i = 0; i < no; i++)
		o2n[i] = -1;
	for (size_t j = 0; j < nn; j++)
		n2o[j] = -1;
	for (size_t i = 0; i < no; i++) {
		if (!*ot->members[i].name)
			continue;
		for (size_t j = 0; j < nn; j++)
			if (!strcmp(ot->members[i].name, nt->members[j].name)) {
				o2n[i] = j;
				n2o[j] = i;
				break;
			}
	}
	/*
	 * A name that moved, while the old member's bytes all sit where they
	 * were under their names deeper down: regrouped ("u" now "u.s.u",
	 * beside a new "u"), not moved.
	 */
	for (size_t i = 0; nt->kind != XENABI_KIND_UNION && i < no; i++) {
		long j = o2n[i];

		if (j < 0 || ot->members[i].offset == nt->members[j].offset ||
		    !kept_in_place(ud, nt->members, nn, 0, &ot->members[i], 0, 0))
			continue;
		o2n[i] = -1;
		n2o[j] = -1;
	}
	for (size_t i = 0; i < no; i++) {
		const struct xenabi_type *oa;
		size_t best = 0;
		long bj = -1;

		if (*ot->members[i].name)
			continue;
		oa = base_aggregate(ud->o, ot->members[i].type);
		for (size_t j = 0; j < nn; j++) {
			size_t k;

			if (*nt->members[j].name || n2o[j] >= 0)
				continue;
			k = shared_names(ud, oa, base_aggregate(ud->n, nt->members[j].type), 0);
			if (k > best) {
				best = k;
				bj = j;
			}
		}
		/* Nothing in common to go by: the next unnamed one in order. */
		for (size_t j = 0; bj < 0 && j < nn; j++)
			if (!*nt->members[j].name && n2o[j] < 0)
				bj = j;
		if (bj >= 0) {
			o2n[i] = bj;
			n2o[bj] = i;
		}
	}
	/* A named member now inside an anonymous union or struct. */
	for (size_t i = 0; i < no; i++) {
		const struct xenabi_member *om = &ot->members[i];
		uint64_t at;

		if (o2n[i] >= 0 || !*om->name)
			continue;
		for (size_t j = 0; j < nn && o2n[i] < 0; j++) {
			const struct xenabi_member *nm = &nt->members[j];

			if (*nm->name || (n2o[j] >= 0 && !wrapped[n2o[j]]) ||
			    !find_wrapped(ud, base_aggregate(ud->n, nm->type),
					  nm->offset, om->name, &at, 0))
				continue;
			o2n[i] = j;
			if (n2o[j] < 0)
				n2o[j] = i;
			wrapped[i] = true;
		}
	}
	/* A member in the same place, of the same shape, under a new name. */
	for (size_t i = 0; i < no; i++) {
		const struct xenabi_member *om = &ot->members[i];

		if (o2n[i] >= 0 || !*om->name)
			continue;
		for (size_t j = 0; j < nn; j++) {
			const struct xenabi_member *nm = &nt->members[j];
			bool taken = false;

			if (n2o[j] >= 0 || !*nm->name || !same_bytes(ud, om, nm))
				continue;
			for (size_t k = 0; k < no; k++)
				taken |= !strcmp(ot->members[k].name, nm->name);
			if (taken)
				continue;
			o2n[i] = j;
			n2o[j] = i;
			renamed[i] = true;
			break;
		}
	}
}

/* The old offset a new member was inserted at: the next kept member's. */
static uint64_t insertion_anchor(const struct xenabi_type *ot,
				 const struct xenabi_type *nt, const long *n2o,
				 size_t j)
{
	for (size_t k = j + 1; k < nt->nmembers; k++)
		if (n2o[k] >= 0)
			return ot->members[n2o[k]].offset;
	return ot->size;
}

static struct event *add_event(struct unit_diff *ud, struct xa_vec *events,
			       struct raw *r, uint64_t anchor)
{
	struct event *e = xa_vec_push(events);

	if (!e) {
		ud->oom = true;
		return NULL;
	}
	e->raw = r ? (size_t)(r - raw_at(ud, 0)) : SIZE_MAX;
	e->member = -1;
	e->anchor = anchor;
	e->shifts = "";
	return e;
}

/* Whether a member of union u other than symbol's spans width bytes at 0. */
static bool union_spans(const struct xenabi_type *u, const char *symbol,
			uint64_t width)
{
	const char *dot = strrchr(symbol, '.');

	for (size_t i = 0; i < u->nmembers; i++)
		if (u->members[i].offset == 0 && u->members[i].size >= width &&
		    (!dot || strcmp(u->members[i].name, dot + 1)))
			return true;
	return false;
}

/*
 * Whether new member j has a finding of its own that says where it went.
 * An embedded aggregate's move is its container's: reported as such, for
 * the embedded root to claim.
 */
static bool own_event(const struct xa_vec *events, long j)
{
	const struct event *ev = events->data;

	for (size_t k = 0; k < events->len; k++)
		if (ev[k].member == j && ev[k].raw != SIZE_MAX)
			return true;
	return false;
}

/*
 * Whether event a disturbs the layout after event b: by old offset, and
 * at one offset a member inserted there comes before that member's own
 * change.  Events at one place in the same phase keep their order: of
 * members inserted together, the first is named.
 */
static bool after(const struct event *a, const struct event *b)
{
	return a->anchor != b->anchor ? a->anchor > b->anchor
				      : a->inserted < b->inserted;
}

/*
 * The event a member that was at old offset anchor owes its move to: the
 * last one before it, its own change excluded.
 */
static struct event *cause_of(struct xa_vec *events, uint64_t anchor)
{
	const struct event at = { .anchor = anchor };
	struct event *ev = events->data, *best = NULL;

	for (size_t k = 0; k < events->len; k++)
		if (!ev[k].quiet && after(&at, &ev[k]) &&
		    (!best || after(&ev[k], best)))
			best = &ev[k];
	return best;
}

/* "inserted before 3 members: an old binary reads and writes them ..." */
static const char *moves_reason(struct unit_diff *ud, const char *what,
				const struct event *e)
{
	return FMT(ud, "%s before %zu member%s: an old binary reads and "
		   "writes them at their old offsets", what, e->nshifts,
		   e->nshifts == 1 ? "" : "s");
}

/*
 * The severity of a member's change, and why, from what it did to the
 * layout: the members it moved, the bytes it took, where it sits.
 */
static void judge_event(struct unit_diff *ud, struct raw *r,
			const struct event *e, const struct xenabi_type *nt,
			bool resized)
{
	bool is_union = nt->kind == XENABI_KIND_UNION;

	if (r->f.severity == XENABI_SEV_INFO && !e->nshifts)
		return;
	switch (r->f.kind) {
	case XENABI_MEMBER_ADDED:
		if (e->nshifts)
			judge(r, XENABI_SEV_BREAK, moves_reason(ud, "inserted", e));
		else if (e->at_tail) {
			r->tail_growth = true;
			judge(r, XENABI_SEV_BREAK, "appended: the structure "
			      "grows, and an old binary's buffer ends "
			      "before the new member");
		} else
			judge(r, XENABI_SEV_BREAK, is_union
			      ? "the union grows: an old binary's buffer "
				"ends before the new size"
			      : "it takes bytes an old binary uses for "
				"something else");
		break;
	case XENABI_MEMBER_WIDENED:
		if (!e->nshifts && e->grew_into_free)
			judge(r, XENABI_SEV_RISK, "widened into bytes that "
			      "carried nothing, every other member in place: "
			      "on these little-endian ABIs an old value keeps "
			      "its meaning, but an old binary sees only the "
			      "low bits of a new value");
		else
			judge(r, XENABI_SEV_BREAK, e->nshifts
			      ? "widened, moving the members after it"
			      : "widened, growing the structure");
		break;
	case XENABI_MEMBER_NARROWED:
		if (is_union && !resized && union_spans(nt, r->f.symbol, e->width))
			judge(r, XENABI_SEV_RISK, "another member of the union "
			      "still spans the old bytes: an old binary's "
			      "accesses land where they did; only source "
			      "using this name sees fewer bits");
		else
			judge(r, XENABI_SEV_BREAK, "narrowed: values an old "
			      "binary passes above the new width are cut");
		break;
	case XENABI_MEMBER_TYPE_CHANGED:
		if (e->to_flexible)
			judge(r, XENABI_SEV_RISK, "a trailing one-element "
			      "array became a flexible array at the same "
			      "offset: every element sits where it did; only "
			      "sizeof() of the structure changed");
		else if (!e->nshifts && e->same_place)
			judge(r, XENABI_SEV_RISK, "same size and offset: the "
			      "bytes stay where they were, only their C "
			      "type changed");
		else
			judge(r, XENABI_SEV_BREAK, "its size or place changed: "
			      "an old binary reads and writes other bytes");
		break;
	case XENABI_BITFIELD_CHANGED:
		judge(r, XENABI_SEV_BREAK, "its bits moved or narrowed: an "
		      "old binary reads and writes other bits");
		break;
	case XENABI_MEMBER_REMOVED:
		if (e->nshifts)
			judge(r, XENABI_SEV_BREAK, moves_reason(ud, "removed", e));
		break;
	default:
		break;
	}
}

/*
 * A size or alignment change no member's change carries: an embedded
 * structure's (whose root names this one), the tail padding's, or none.
 */
static void layout_only_change(struct unit_diff *ud,
			       const struct xenabi_type *ot,
			       const struct xenabi_type *nt,
			       const struct xa_vec *events, bool real_change)
{
	bool resized = ot->size != nt->size, realigned = ot->align != nt->align;
	const struct event *ev = events->data;
	bool embedded = false;
	struct raw *r;

	for (size_t k = 0; k < events->len; k++)
		embedded |= ev[k].embedded;
	r = resized ? emit(ud, XENABI_SIZE_CHANGED, XENABI_SEV_BREAK,
			   nt->name, nt->name,
			   FMT(ud, "%llu bytes", (unsigned long long)ot->size),
			   FMT(ud, "%llu bytes", (unsigned long long)nt->size), nt)
		    : emit(ud, XENABI_ALIGN_CHANGED, XENABI_SEV_BREAK,
			   nt->name, nt->name, FMT(ud, "align %u", ot->align),
			   FMT(ud, "align %u", nt->align), nt);
	if (!r)
		return;
	if (resized && realigned)
		r->f.detail = FMT(ud, "align %u -> %u", ot->align, nt->align);
	r->sized = nt->name;
	if (embedded)
		judge(r, XENABI_SEV_BREAK, "an embedded structure changed");
	else if (!real_change)
		judge(r, XENABI_SEV_RISK, resized
		      ? "only tail padding changed: every member keeps its "
			"offset and width, so a structure passed by pointer "
			"reads the same bytes (an array of it would not)"
		      : "only its alignment changed: every member keeps its "
			"offset and width; what embeds it may move");
	else
		judge(r, XENABI_SEV_BREAK, "its size changed");
}

static void compare_aggregate(struct unit_diff *ud, const struct xenabi_type *ot,
			      const struct xenabi_type *nt, int depth)
{
	size_t no = ot->nmembers, nn = nt->nmembers;
	long *o2n = calloc(no + 1, sizeof(long)), *n2o = calloc(nn + 1, sizeof(long));
	bool *renamed = calloc(no + 1, sizeof(bool));
	bool *wrapped = calloc(no + 1, sizeof(bool));
	bool is_union = nt->kind == XENABI_KIND_UNION;
	bool resized = ot->size != nt->size, realigned = ot->align != nt->align;
	bool real_change = false;	/* a real member added, removed or resized */
	struct xa_vec events;
	struct event *ev;
	struct raw *carrier = NULL;

	xa_vec_init(&events, sizeof(struct event));
	if (!o2n || !n2o || !renamed || !wrapped) {
		ud->oom = true;
		goto out;
	}
	match_members(ud, ot, nt, o2n, n2o, renamed, wrapped);

	/* Matched members: what changed in each. */
	for (size_t i = 0; i < no && !ud->oom; i++) {
		const struct xenabi_member *om = &ot->members[i], *nm;
		bool embedded, moved;
		int kind;
		struct raw *r;

		if (o2n[i] < 0)
			continue;
		nm = &nt->members[o2n[i]];
		if (wrapped[i]) {
			uint64_t at = 0;
			const struct xenabi_member *in = find_wrapped(ud,
				base_aggregate(ud->n, nm->type), nm->offset,
				om->name, &at, 0);

			/* Same bytes, now one view of a union: nothing moved. */
			if (in && at == om->offset && in->size == om->size &&
			    in->bits == om->bits && in->is_signed == om->is_signed &&
			    in->base_class == om->base_class)
				continue;
			r = emit(ud, XENABI_MEMBER_TYPE_CHANGED, XENABI_SEV_BREAK,
				 nt->name, member_symbol(ud, ot, om),
				 describe(ud, om), FMT(ud, "inside %s", nm->type), nt);
			judge(r, XENABI_SEV_BREAK, "moved into an anonymous "
			      "aggregate with another width or place");
			add_event(ud, &events, r, om->offset);
			real_change = true;
			continue;
		}
		moved = om->offset != nm->offset;
		if (!*om->name && depth < 16) {
			const struct xenabi_type *oa = base_aggregate(ud->o, om->type);
			const struct xenabi_type *na = base_aggregate(ud->n, nm->type);

			if (oa && na && oa->kind == na->kind)
				compare_aggregate(ud, oa, na, depth + 1);
		}
		if (renamed[i]) {
			r = emit(ud, XENABI_MEMBER_RENAMED, XENABI_SEV_RISK,
				 nt->name, member_symbol(ud, nt, om), om->name,
				 nm->name, nt);
			judge(r, XENABI_SEV_RISK, "same bytes under a new name: "
			      "a source change, binaries are unaffected");
			continue;
		}
		kind = member_change(om, nm, &embedded);
		if (embedded) {
			ev = add_event(ud, &events, NULL, om->offset);
			if (ev) {
				ev->embedded = true;
				ev->member = o2n[i];
			}
			continue;
		}
		/* Padding resized: whatever took its bytes says so. */
		if (kind < 0 || is_padding(ud, om))
			continue;
		if (om->size != nm->size || om->bit_size != nm->bit_size)
			real_change = true;
		r = emit(ud, kind, XENABI_SEV_BREAK, nt->name,
			 member_symbol(ud, nt, nm), describe_at(ud, om, moved),
			 describe_at(ud, nm, moved), nt);
		if (r && kind == XENABI_MEMBER_SIGNEDNESS_CHANGED)
			judge(r, XENABI_SEV_RISK, "same bytes read with another "
			      "sign: values above the signed maximum change meaning");
		ev = add_event(ud, &events, r, om->offset);
		if (ev) {
			ev->member = o2n[i];
			ev->to_flexible = !moved && i + 1 == no &&
				(size_t)o2n[i] + 1 == nn &&
				!strcmp(om->base, nm->base) &&
				!strcmp(om->dims, "[1]") &&
				(!strcmp(nm->dims, "[]") || !strcmp(nm->dims, "[0]"));
			ev->same_place = !moved && om->size == nm->size;
			ev->width = om->size;
			ev->grew_into_free = !moved && nm->size > om->size &&
				was_free(ud, ot, om->offset + om->size,
					 nm->size - om->size);
		}
	}
	/* Removed members. */
	for (size_t i = 0; i < no && !ud->oom; i++) {
		const struct xenabi_member *om = &ot->members[i];
		const char *now = NULL;
		struct raw *r;

		/* Padding gone: whatever took its bytes says so. */
		if (o2n[i] >= 0 || is_padding(ud, om))
			continue;
		r = emit(ud, XENABI_MEMBER_REMOVED, XENABI_SEV_BREAK, nt->name,
			 member_symbol(ud, ot, om), describe(ud, om), "", ot);
		/*
		 * Its bytes in a new member, read the same way; or in a kept
		 * aggregate under its own name (regrouped into a union arm).
		 */
		for (size_t j = 0; j < nn && r && !now && !is_union; j++)
			now = leaf_at(ud, &nt->members[j], 0, om, n2o[j] >= 0, 0);
		if (r && !now && !is_union)
			now = kept_in_place(ud, nt->members, nn, 0, om, 0, 0);
		if (!om->size) {
			/* A zero-length array marks a place: it held no bytes. */
			judge(r, XENABI_SEV_RISK, "it held no bytes: nothing an "
			      "old binary reads or writes moves, only source "
			      "naming it breaks");
			continue;
		}
		if (now && *now) {
			/* Its bytes, read the same way under another name. */
			r->f.new = FMT(ud, "now %s.%s", nt->name, now);
			judge(r, XENABI_SEV_RISK, "the same bytes, read the same "
			      "way, under a new name: a source change, binaries "
			      "are unaffected");
			continue;
		}
		real_change = true;
		if (r && is_union && !resized && is_anonymous(nt->name) &&
		    union_spans(nt, "", om->size))
			judge(r, XENABI_SEV_RISK, "another member of the union "
			      "still spans its bytes: an old binary's accesses "
			      "land where they did; only source using this name "
			      "breaks");
		else if (r && is_union && !resized)
			judge(r, XENABI_SEV_RISK, "the union keeps its size and "
			      "its other members: only a caller of the operation "
			      "that used this member is affected, and a retired "
			      "operation is refused");
		else
			judge(r, XENABI_SEV_BREAK, "an old binary still reads "
			      "and writes it: its bytes are now something else or "
			      "nothing");
		add_event(ud, &events, r, is_union ? 0 : om->offset);
	}
	/* Added members. */
	for (size_t j = 0; j < nn && !ud->oom; j++) {
		const struct xenabi_member *nm = &nt->members[j];
		uint64_t anchor;
		bool in_free;
		const char *freed_by, *held;
		struct raw *r;

		if (n2o[j] >= 0)
			continue;
		if (!is_union && (held = gathered(ud, ot, o2n, nm))) {
			r = emit(ud, XENABI_MEMBER_ADDED, XENABI_SEV_INFO, nt->name,
				 member_symbol(ud, nt, nm), "", describe(ud, nm), nt);
			if (r)
				r->f.detail = FMT(ud, "gathers %s", held);
			judge(r, XENABI_SEV_INFO, "it gathers old members at "
			      "their places, under their names: no byte moves");
			real_change |= new_arms(ud, nt, nm, ot, held);
			continue;
		}
		anchor = is_union ? 0 : insertion_anchor(ot, nt, n2o, j);
		in_free = is_union ? xa_member_end(nm) <= ot->size
				   : was_free(ud, ot, nm->offset, nm->size);
		freed_by = is_union || in_free ? NULL
			   : freed_member(ot, nt, o2n, nm);
		/*
		 * Padding carries nothing where it takes free or given-up
		 * bytes, or ends the structure (a tail padding change); in
		 * the middle it moves what follows and is the root.
		 */
		if (is_padding(ud, nm) &&
		    (in_free || freed_by || (!is_union && anchor == ot->size)))
			continue;
		r = emit(ud, XENABI_MEMBER_ADDED, XENABI_SEV_BREAK, nt->name,
			 member_symbol(ud, nt, nm), "", describe(ud, nm), nt);
		ev = add_event(ud, &events, r, anchor);
		if (!ev || !r)
			continue;
		ev->member = j;
		ev->padding = is_padding(ud, nm);
		ev->at_tail = !is_union && anchor == ot->size;
		ev->inserted = true;
		if (in_free) {
			ev->quiet = true;
			r->f.detail = is_union ? "within the union's size"
				      : nm->offset >= xa_type_used_end(ot)
					      ? "in former tail padding"
					      : "in former padding";
			judge(r, XENABI_SEV_INFO, is_union
			      ? "the union's size is unchanged: nothing else moves"
			      : "it takes bytes that carried nothing: every other "
				"member keeps its place, and zero there keeps the "
				"old meaning");
		} else if (freed_by) {
			ev->quiet = true;
			r->f.detail = FMT(ud, "in bytes %s gave up", freed_by);
			judge(r, XENABI_SEV_INFO, FMT(ud, "it takes bytes %s gave "
			      "up, whose own finding is the root", freed_by));
		} else {
			real_change = true;
		}
	}

	/* Moved members: each is a consequence of the event before it. */
	for (size_t i = 0; i < no && !ud->oom; i++) {
		const struct xenabi_member *om = &ot->members[i], *nm;
		struct event *cause;
		struct raw *r;

		if (o2n[i] < 0)
			continue;
		nm = &nt->members[o2n[i]];
		if (om->offset == nm->offset || is_padding(ud, om))
			continue;
		cause = cause_of(&events, om->offset);
		if (!cause && own_event(&events, o2n[i]))
			continue;	/* its own change says where it went */
		if (cause && cause->raw != SIZE_MAX) {
			cause->shifts = *cause->shifts
				? FMT(ud, "%s, %s", cause->shifts, *nm->name ? nm->name : "(anonymous)")
				: FMT(ud, "%s", *nm->name ? nm->name : "(anonymous)");
			cause->nshifts++;
			continue;
		}
		/* Moved by an embedded type (its root says so), or by nothing. */
		r = emit(ud, XENABI_MEMBER_OFFSET_CHANGED, XENABI_SEV_BREAK,
			 nt->name, member_symbol(ud, nt, nm),
			 FMT(ud, "offset %llu", (unsigned long long)om->offset),
			 FMT(ud, "offset %llu", (unsigned long long)nm->offset), nt);
		if (!om->size && !nm->size)
			judge(r, XENABI_SEV_RISK, "it holds no bytes on this ABI "
			      "(an empty structure or zero-length array): "
			      "nothing an old binary reads or writes moves, only "
			      "its offsetof()");
		else
			judge(r, XENABI_SEV_BREAK, cause
			      ? "an embedded structure before it changed size"
			      : "it moved with nothing before it changing: an "
				"old binary reads and writes it at the old offset");
	}

	/* The size change goes with the change nearest the tail. */
	ev = events.data;
	size_t last = SIZE_MAX;

	for (size_t k = 0; k < events.len; k++)
		if (ev[k].raw != SIZE_MAX && !ev[k].quiet &&
		    (last == SIZE_MAX || after(&ev[k], &ev[last])))
			last = k;
	/* Each event's finding: its consequences, then its severity. */
	for (size_t k = 0; k < events.len && !ud->oom; k++) {
		struct raw *r;

		if (ev[k].raw == SIZE_MAX)
			continue;
		r = raw_at(ud, ev[k].raw);
		/* Padding inserted beside a member that moves things: its part. */
		if (ev[k].padding && !ev[k].nshifts && k != last) {
			r->derived = true;
			continue;
		}
		if (ev[k].nshifts)
			r->f.detail = FMT(ud, "moves %s", ev[k].shifts);
		if (k == last && (resized || realigned)) {
			carrier = r;
			r->sized = nt->name;
			r->tail_growth = !ev[k].nshifts && nt->size > ot->size;
			if (resized)
				r->f.detail = FMT(ud, "%s%s%s %llu -> %llu bytes",
					r->f.detail, *r->f.detail ? "; " : "",
					nt->name, (unsigned long long)ot->size,
					(unsigned long long)nt->size);
			if (realigned)
				r->f.detail = FMT(ud, "%s%salign %u -> %u",
					r->f.detail, *r->f.detail ? "; " : "",
					ot->align, nt->align);
		}
		judge_event(ud, r, &ev[k], nt, resized);
	}

	if ((resized || realigned) && !carrier && !ud->oom)
		layout_only_change(ud, ot, nt, &events, real_change);
out:
	xa_vec_release(&events);
	free(o2n);
	free(n2o);
	free(renamed);
	free(wrapped);
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
 * Types that are never a finding of their own: guest handles (they go
 * with what they carry) and the save format's type-checking helpers
 * (never passed anywhere).
 */
static bool helper_type(const struct xenabi_unit *u, const struct xenabi_type *t)
{
	return names_own_aggregate(u, t) ||
	       !strncmp(t->name, "__guest_handle_", 15) ||
	       !strncmp(t->name, "__HVM_SAVE_TYPE_", 16);
}


/*
 * Whether two type names share their family: the same words up to an
 * "_" ("blkif_request_trim", "blkif_request_discard").
 */
static bool same_family(const char *a, const char *b)
{
	size_t n = 0, word = 0;

	for (; a[n] && a[n] == b[n]; n++)
		if (a[n] == '_')
			word = n;
	return word >= 3;
}

/*
 * How many types of others, still unpaired and of t's header, have t's
 * layout with other member names.
 */
static size_t renamed_alike(const struct xa_vec *others,
			    const struct xenabi_type *t)
{
	const struct xenabi_type *const *o = others->data;
	size_t n = 0;

	for (size_t k = 0; k < others->len; k++)
		n += o[k] && !strcmp(o[k]->file, t->file) && alike(t, o[k], false);
	return n;
}

/* Aggregate name of either kind in unit u. */
static const struct xenabi_type *find_aggregate(const struct xenabi_unit *u,
						const char *name)
{
	const struct xenabi_type *t = xenabi_unit_find_type(u, XENABI_KIND_STRUCT, name);

	return t ? t : xenabi_unit_find_type(u, XENABI_KIND_UNION, name);
}

/*
 * Whether path-named type name ("fix.u.s") lies under a member its
 * parent regrouped: the old "fix.u" and the new one are other members,
 * and the parent's comparison says where the old one went.
 */
static bool under_regrouped(struct unit_diff *ud, const char *name)
{
	char parent[512];

	for (const char *dot = strchr(name, '.'); dot; dot = strchr(dot + 1, '.')) {
		const char *member = dot + 1;
		size_t len = strcspn(member, ".");
		const struct xenabi_type *op, *np;
		const struct xenabi_member *om = NULL, *nm = NULL;

		if ((size_t)(dot - name) >= sizeof(parent))
			return false;
		memcpy(parent, name, dot - name);
		parent[dot - name] = '\0';
		op = find_aggregate(ud->o, parent);
		np = find_aggregate(ud->n, parent);
		if (!op || !np || np->kind == XENABI_KIND_UNION)
			continue;
		for (size_t i = 0; i < op->nmembers && !om; i++)
			if (strlen(op->members[i].name) == len &&
			    !strncmp(op->members[i].name, member, len))
				om = &op->members[i];
		for (size_t j = 0; j < np->nmembers && !nm; j++)
			if (strlen(np->members[j].name) == len &&
			    !strncmp(np->members[j].name, member, len))
				nm = &np->members[j];
		if (om && nm && om->offset != nm->offset &&
		    kept_in_place(ud, np->members, np->nmembers, 0, om, 0, 0))
			return true;
	}
	return false;
}

static void compare_types(struct unit_diff *ud)
{
	const struct xenabi_unit *o = ud->o, *n = ud->n;
	struct xa_vec gone, came;
	size_t i = 0, j = 0;

	xa_vec_init(&gone, sizeof(const struct xenabi_type *));
	xa_vec_init(&came, sizeof(const struct xenabi_type *));
	while (i < o->ntypes || j < n->ntypes) {
		const struct xenabi_type *ot = i < o->ntypes ? &o->types[i] : NULL;
		const struct xenabi_type *nt = j < n->ntypes ? &n->types[j] : NULL;
		int c = !ot ? 1 : !nt ? -1 : xa_type_cmp(ot, nt);
		const struct xenabi_type **slot;

		if (c < 0) {
			i++;
			/* Path-named types are their parents' members. */
			if (is_path(ot->name) || helper_type(o, ot))
				continue;
			if ((slot = xa_vec_push(&gone)))
				*slot = ot;
			else
				ud->oom = true;
			continue;
		}
		if (c > 0) {
			j++;
			if (is_path(nt->name) || helper_type(n, nt))
				continue;
			if ((slot = xa_vec_push(&came)))
				*slot = nt;
			else
				ud->oom = true;
			continue;
		}
		i++;
		j++;
		/* Anonymous aggregates are compared through their parents. */
		if (is_anonymous(nt->name) || helper_type(n, nt) ||
		    (is_path(nt->name) && under_regrouped(ud, nt->name)))
			continue;
		switch (nt->kind) {
		case XENABI_KIND_STRUCT:
		case XENABI_KIND_UNION:
			compare_aggregate(ud, ot, nt, 0);
			break;
		case XENABI_KIND_ENUM:
			/* Enumerators are constants: compared there. */
			if (ot->size != nt->size)
				judge(emit(ud, XENABI_SIZE_CHANGED, XENABI_SEV_BREAK,
					   nt->name, nt->name,
					   FMT(ud, "%llu bytes", (unsigned long long)ot->size),
					   FMT(ud, "%llu bytes", (unsigned long long)nt->size),
					   nt),
				      XENABI_SEV_BREAK, "a member of this enum type "
				      "changes width");
			break;
		default:
			/* A typedef of an aggregate changes with it: not here. */
			if (ot->size != nt->size && !base_aggregate(n, nt->target) &&
			    !base_aggregate(o, ot->target))
				judge(emit(ud, XENABI_SIZE_CHANGED, XENABI_SEV_BREAK,
					   nt->name, nt->name,
					   FMT(ud, "%s (%llu bytes)", ot->target,
					       (unsigned long long)ot->size),
					   FMT(ud, "%s (%llu bytes)", nt->target,
					       (unsigned long long)nt->size),
					   nt),
				      XENABI_SEV_BREAK, "every member of this type "
				      "changes width");
			break;
		}
	}
	/*
	 * Gone under one name, come under another, same bytes: a rename.
	 * With its members renamed too, only within its name's family and as
	 * the one such pair of its header, so that look-alikes are never
	 * taken for it.
	 */
	for (int pass = 0; pass < 2; pass++)
	for (size_t g = 0; g < gone.len && !ud->oom; g++) {
		const struct xenabi_type **gt = (const struct xenabi_type **)gone.data + g;
		const struct xenabi_type **match = NULL;

		if (!*gt || (pass && ((*gt)->nmembers < 2 ||
				      renamed_alike(&came, *gt) != 1)))
			continue;
		for (size_t k = 0; k < came.len && !match; k++) {
			const struct xenabi_type **ct = (const struct xenabi_type **)came.data + k;

			if (*ct && (pass ? alike(*gt, *ct, false) &&
						   !strcmp((*gt)->file, (*ct)->file) &&
						   same_family((*gt)->name, (*ct)->name) &&
						   renamed_alike(&gone, *ct) == 1
					 : same_layout(*gt, *ct)))
				match = ct;
		}
		if (!match)
			continue;
		judge(emit(ud, XENABI_TYPE_RENAMED, XENABI_SEV_RISK,
			   (*match)->name, FMT(ud, "%s", (*gt)->name),
			   FMT(ud, "%s %s", xenabi_kind_name((*gt)->kind), (*gt)->name),
			   FMT(ud, "%s %s", xenabi_kind_name((*match)->kind), (*match)->name),
			   *match),
		      XENABI_SEV_RISK, pass
		      ? "same bytes under a new name, its members renamed too: "
			"a source change, binaries are unaffected"
		      : "same bytes under a new name: a source change, "
			"binaries are unaffected");
		*gt = NULL;
		*match = NULL;
	}
	for (size_t g = 0; g < gone.len && !ud->oom; g++) {
		const struct xenabi_type *ot = ((const struct xenabi_type **)gone.data)[g];
		struct raw *r;

		if (!ot)
			continue;
		r = emit(ud, XENABI_TYPE_REMOVED, XENABI_SEV_BREAK, ot->name,
			 FMT(ud, "%s", ot->name),
			 FMT(ud, "%s %s", xenabi_kind_name(ot->kind), ot->name), "", ot);
		if (ot->kind == XENABI_KIND_TYPEDEF)
			judge(r, XENABI_SEV_RISK, "a name gone: a source change, "
			      "binaries keep what it named");
		else if (ot->kind == XENABI_KIND_ENUM)
			judge(r, XENABI_SEV_RISK, "its values are no longer named: "
			      "a source change; a value reused for something "
			      "else is reported on its constant");
		/* Structs and unions: judged once the constants are compared. */
	}
	for (size_t k = 0; k < came.len && !ud->oom; k++) {
		const struct xenabi_type *nt = ((const struct xenabi_type **)came.data)[k];

		if (nt)
			judge(emit(ud, XENABI_TYPE_ADDED, XENABI_SEV_INFO, nt->name,
				   FMT(ud, "%s", nt->name), "",
				   FMT(ud, "%s %s", xenabi_kind_name(nt->kind), nt->name),
				   nt),
			      XENABI_SEV_INFO, "new: nothing built before it uses it");
	}
	xa_vec_release(&gone);
	xa_vec_release(&came);
}

/* ---- roots ---------------------------------------------------------------- */

/* The raw that carries an aggregate's size or alignment change, if any. */
static struct raw *layout_change(struct unit_diff *ud, const char *name)
{
	for (size_t k = ud->first; k < ud->raws->len; k++) {
		struct raw *r = raw_at(ud, k);

		if (r->sized && !strcmp(r->sized, name))
			return r;
	}
	return NULL;
}

static const struct xenabi_member *find_member(const struct xenabi_type *t,
					       const char *name)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (*t->members[i].name && !strcmp(t->members[i].name, name))
			return &t->members[i];
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
		struct raw *r = raw_at(ud, k);
		const struct xenabi_type *nt, *ot;
		uint64_t first;
		const char *owner = r->sized;
		bool moves;

		if (!owner)
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
		if (r->f.kind == XENABI_SIZE_CHANGED ||
		    r->f.kind == XENABI_ALIGN_CHANGED)
			r->derived = true;
		/*
		 * It moves when members after it do; a container that only
		 * grows at its tail is judged by what embeds that in turn.
		 */
		ot = xenabi_unit_find_type(ud->o, nt->kind, owner);
		moves = !ot;
		for (size_t q = ud->first; q < end; q++) {
			struct raw *d = raw_at(ud, q);
			const struct xenabi_member *m;
			const char *dot;

			if (strcmp(d->owner, owner) ||
			    d->f.kind != XENABI_MEMBER_OFFSET_CHANGED)
				continue;
			dot = strrchr(d->f.symbol, '.');
			m = dot ? find_member(nt, dot + 1) : NULL;
			if (!m || m->offset >= first) {
				d->derived = true;
				moves = true;
			}
		}
		/* Name it at every root's layout change. */
		for (size_t q = 0; q < roots.len; q++) {
			const char *root = ((const char **)roots.data)[q];
			struct raw *rr = layout_change(ud, root);

			if (!rr || rr->derived)
				continue;
			if (!strstr(rr->f.detail, "shifts: "))
				rr->f.detail = FMT(ud, "%s%sshifts: %s", rr->f.detail,
						   *rr->f.detail ? "; " : "", owner);
			else if (!strstr(rr->f.detail, owner))
				rr->f.detail = FMT(ud, "%s, %s", rr->f.detail, owner);
			rr->shifts_containers |= moves;
			/* A container only realigned moves nothing in it. */
			if (moves && rr->f.severity < XENABI_SEV_BREAK)
				judge(rr, XENABI_SEV_BREAK, FMT(ud, "%s embeds it: "
				      "what follows it there moves", owner));
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
/*
 * The continued sub-ops of e, joined, when the old release shows none of
 * them to guests (its guest and latest views lack them): NULL otherwise,
 * or when the manifest does not say which are continued.
 */
static const char *tools_only_continued(struct unit_diff *ud,
					const struct xa_encoding *e)
{
	static const enum xenabi_view views[] = { XENABI_VIEW_GUEST,
						  XENABI_VIEW_LATEST };
	const char *all = "";

	if (!e->ncontinued)
		return NULL;
	for (size_t i = 0; i < e->ncontinued; i++) {
		for (size_t v = 0; v < XA_ARRAY_SIZE(views); v++) {
			const struct xenabi_unit *u =
				&ud->orel->units[XENABI_UNIT(ud->abi, views[v])];

			for (size_t c = 0; c < u->nconsts; c++)
				if (!strcmp(u->consts[c].name, e->continued[i]))
					return NULL;
		}
		all = FMT(ud, "%s%s%s", all, *all ? ", " : "", e->continued[i]);
	}
	return all;
}

static void compare_encodings(struct unit_diff *ud)
{
	for (size_t k = 0; k < ud->nenc; k++) {
		const struct xa_encoding *e = &ud->enc[k];
		struct xa_enc_bits ob, nb;
		bool in_new = xa_encoding_bits(e, ud->n, &nb);
		struct xenabi_type where;
		const char *moved, *tools;
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
			r->f.detail = moved;
		if ((tools = tools_only_continued(ud, e)))
			judge(r, XENABI_SEV_RISK, FMT(ud, "its continued sub-ops "
			      "(%s) are for the tools only at %s: their callers, "
			      "dom0 or a device model, are not live-migrated "
			      "mid-call", tools, ud->orel->name));
		else
			judge(r, XENABI_SEV_BREAK, "a guest suspended "
			      "mid-continuation on the old hypervisor and "
			      "migrated resumes with the old encoding, which the "
			      "new one reads wrongly");
	}
}

static void subop_found(void *data, const struct xa_encoding *e,
			const struct xenabi_const *c, uint64_t mask,
			const char *macro)
{
	struct unit_diff *ud = data;
	struct xenabi_type where;

	judge(emit(ud, XENABI_SUBOP_EXCEEDS_MASK, XENABI_SEV_BREAK, "", c->name, "",
		   FMT(ud, "%s = %llu does not fit %s's op bits (%s = 0x%llx)",
		       c->name, (unsigned long long)c->value, e->hypercall, macro,
		       (unsigned long long)mask),
		   const_where(c, &where)),
	      XENABI_SEV_BREAK, "the sub-op number collides with the "
	      "continuation's progress bits: a continued call is taken for "
	      "another sub-op");
}

/* The enum type an enumerator belongs to in u, or NULL. */
static const struct xenabi_type *enum_of(const struct xenabi_unit *u,
					 const char *name)
{
	for (size_t i = 0; i < u->ntypes; i++) {
		const struct xenabi_type *t = &u->types[i];

		if (t->kind != XENABI_KIND_ENUM)
			continue;
		for (size_t k = 0; k < t->nmembers; k++)
			if (!strcmp(t->members[k].name, name))
				return t;
	}
	return NULL;
}

static const struct xenabi_const *find_const(const struct xenabi_unit *u,
					     const char *name)
{
	const struct xenabi_const key = { .name = name };

	return u->nconsts ? bsearch(&key, u->consts, u->nconsts, sizeof(key),
				    xa_const_cmp)
			  : NULL;
}

/* A new enumerator of the same enum that took a removed one's value. */
static const char *value_reused(const struct unit_diff *ud,
				const struct xenabi_const *oc)
{
	const struct xenabi_type *ot = enum_of(ud->o, oc->name), *nt;

	if (!ot || !(nt = xenabi_unit_find_type(ud->n, XENABI_KIND_ENUM, ot->name)))
		return NULL;
	for (size_t k = 0; k < nt->nmembers; k++)
		if ((uint64_t)nt->members[k].value == oc->value &&
		    !find_const(ud->o, nt->members[k].name))
			return nt->members[k].name;
	return NULL;
}

/* Whether two integer values are one bit pattern at the narrower width. */
static bool same_bits(const struct xenabi_const *a, const struct xenabi_const *b)
{
	unsigned int w = a->width < b->width ? a->width : b->width;
	uint64_t mask = w && w < 8 ? (UINT64_C(1) << (w * 8)) - 1 : UINT64_MAX;

	return w && (a->value & mask) == (b->value & mask);
}

/*
 * Whether a hypervisor source file serves guests of abi: what is under
 * xen/arch/ARCH/ serves that architecture's guests only.
 */
static bool file_serves(const char *file, int abi)
{
	bool x86 = abi == XENABI_ABI_X86_32 || abi == XENABI_ABI_X86_64;

	if (strncmp(file, "xen/arch/", 9))
		return true;
	return !strncmp(file + 9, x86 ? "x86/" : "arm/", 4);
}

/*
 * Whether rel's hypervisor names sub-op name, for guests of abi, in the
 * files the dispatch rule lists: 1 named, 0 not named (it is refused),
 * -1 none of the files that serve abi was read (nothing known).
 */
static int dispatched(const struct xenabi_release *rel,
		      const struct xa_rule *rule, const char *name, int abi)
{
	int read = -1;

	for (size_t i = 0; i < rel->ndispatch; i++) {
		const struct xenabi_dispatch *d = &rel->dispatch[i];

		if (!file_serves(d->file, abi) || !xa_list_has(rule->macro, d->file))
			continue;
		if (!*d->name && read < 0)
			read = 0;
		else if (!strcmp(d->name, name))
			return 1;
	}
	return read;
}

/* The files of a dispatch rule that serve guests of abi, comma-separated. */
static const char *serving(struct unit_diff *ud, const struct xa_rule *rule)
{
	const char *files = NULL, *list = rule->macro;
	char file[512];

	while (xa_list_next(&list, file, sizeof(file)))
		if (file_serves(file, ud->abi))
			files = files ? FMT(ud, "%s, %s", files, file)
				      : FMT(ud, "%s", file);
	return files ? files : "";
}

/* Whether any dispatch rule covers sub-ops of header. */
static bool has_dispatcher(const struct unit_diff *ud, const char *header)
{
	for (size_t i = 0; i < ud->rules->n; i++)
		if (ud->rules->r[i].kind == XA_RULE_DISPATCH &&
		    !strcmp(ud->rules->r[i].header, header))
			return true;
	return false;
}

/* The dispatch rule of a sub-op constant of header, or NULL. */
static const struct xa_rule *dispatcher(const struct unit_diff *ud,
					const char *header, const char *name)
{
	return xa_rules_match(ud->rules, XA_RULE_DISPATCH, header, name);
}

/*
 * The family of a sub-operation number: its name up to the last "_op_"
 * before a lower-case operation name, as Xen names the sub-ops of an
 * operation (XENMEM_sharing_op_audit, XENMEM_access_op_set_access).
 * NULL for anything else: a flag, a size or a bit has no dispatcher
 * that refuses a value it does not know.
 */
static const char *subop_family(struct unit_diff *ud, const char *name)
{
	const char *op = NULL;

	for (const char *p = strstr(name, "_op_"); p; p = strstr(p + 1, "_op_"))
		op = p;
	if (!op || !islower((unsigned char)op[4]))
		return NULL;
	return FMT(ud, "%.*s", (int)(op + 4 - name), name);
}

/* The constant of file in u, named family..., whose value is oc's. */
static const struct xenabi_const *value_holder(const struct xenabi_unit *u,
					       const char *file,
					       const char *family,
					       const struct xenabi_const *oc)
{
	size_t n = strlen(family);

	for (size_t i = 0; i < u->nconsts; i++) {
		const struct xenabi_const *c = &u->consts[i];

		if (c->class == XENABI_CONST_INT && !strncmp(c->name, family, n) &&
		    !strcmp(c->file, file) && c->value == oc->value)
			return c;
	}
	return NULL;
}

static void constant_changed(struct unit_diff *ud, const struct xenabi_const *oc,
			     const struct xenabi_const *nc, bool is_enum)
{
	struct xenabi_type where;
	const struct xa_rule *rule;
	const struct xenabi_const *reuser = NULL;
	const char *family = NULL;
	struct raw *r;

	r = emit(ud, is_enum ? XENABI_ENUMERATOR_CHANGED : XENABI_CONSTANT_CHANGED,
		 XENABI_SEV_BREAK, "", nc->name, const_value(ud, oc),
		 const_value(ud, nc), const_where(nc, &where));
	if (!r)
		return;
	if ((rule = xa_rules_match(ud->rules, XA_RULE_VERSION, NULL, nc->name)))
		judge(r, XENABI_SEV_INFO, FMT(ud, "%s", rule->reason));
	else if (oc->class != nc->class &&
		 (oc->class == XENABI_CONST_OTHER || oc->class == XENABI_CONST_STRING ||
		  nc->class == XENABI_CONST_OTHER || nc->class == XENABI_CONST_STRING))
		judge(r, XENABI_SEV_INFO, oc->class == XENABI_CONST_OTHER
		      ? "it had no value of its own before (not an integer "
			"expression): nothing was built on one"
		      : "no longer an integer expression: a source change");
	else if (oc->class == XENABI_CONST_STRING)
		judge(r, XENABI_SEV_BREAK, "the string a binary compares or "
		      "sends changed");
	else if (same_bits(oc, nc))
		judge(r, XENABI_SEV_RISK, "the same bit pattern at the narrower "
		      "width, in another C type: a binary passes the same bits, "
		      "but wider arithmetic on it differs");
	else if ((rule = xa_rules_match(ud->rules, XA_RULE_COUNT, NULL, nc->name)))
		judge(r, (int64_t)nc->value > (int64_t)oc->value ? XENABI_SEV_INFO
								 : XENABI_SEV_RISK,
		      FMT(ud, "%s: %s", (int64_t)nc->value > (int64_t)oc->value
			  ? "grew" : "shrank, and an old binary may pass values "
			    "past the new bound", rule->reason));
	else if (!is_enum && (family = subop_family(ud, oc->name)) &&
		 !(reuser = value_holder(ud->n, nc->file, family, oc)))
		judge(r, XENABI_SEV_RISK, FMT(ud, "its old value %s is no "
		      "%s* operation now: an old binary's call is refused as "
		      "an unknown one", const_value(ud, oc), family));
	else if (family && (rule = dispatcher(ud, nc->file, reuser->name)) &&
		 !dispatched(ud->nrel, rule, reuser->name, ud->abi) &&
		 dispatched(ud->orel, rule, oc->name, ud->abi) >= 0)
		judge(r, XENABI_SEV_RISK, FMT(ud, "its old value %s is %s now, "
		      "which the hypervisor does not name (%s): %s",
		      const_value(ud, oc), reuser->name, serving(ud, rule),
		      rule->reason));
	else if (family)
		judge(r, XENABI_SEV_BREAK, FMT(ud, "its old value %s is %s "
		      "now: an old binary's call does that instead",
		      const_value(ud, oc), reuser->name));
	else
		judge(r, XENABI_SEV_BREAK, is_enum
		      ? "an old binary passes or expects the old value, which "
			"now means something else or nothing"
		      : "an old binary has the old value built in");
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
		struct raw *r;

		if (c < 0) {
			const struct xenabi_type *et;
			const char *reuser;

			i++;
			if (encoding_macro(ud, oc->name))
				continue;
			/* An include guard going is not an interface change. */
			if (oc->class == XENABI_CONST_OTHER && !*oc->text)
				continue;
			is_enum = oc->class == XENABI_CONST_ENUMERATOR;
			/* An enum gone whole: its removal is the one finding. */
			if (is_enum && (et = enum_of(o, oc->name)) &&
			    !xenabi_unit_find_type(n, XENABI_KIND_ENUM, et->name) &&
			    strncmp(et->name, "enum ", 5) && !strchr(et->name, '.'))
				continue;
			r = emit(ud, is_enum ? XENABI_ENUMERATOR_REMOVED
					     : XENABI_CONSTANT_REMOVED,
				 XENABI_SEV_RISK, "", oc->name, const_value(ud, oc),
				 "", const_where(oc, &where));
			if (is_enum && (reuser = value_reused(ud, oc)))
				judge(r, XENABI_SEV_BREAK, FMT(ud, "its value now "
				      "names %s: an old binary passing it asks for "
				      "something else", reuser));
			else if (oc->class == XENABI_CONST_OTHER)
				judge(r, XENABI_SEV_INFO, "not a value: a source "
				      "change only");
			else
				judge(r, XENABI_SEV_RISK, "a name gone: a source "
				      "change; an old binary passing the value is "
				      "refused unless it is reused");
			continue;
		}
		if (c > 0) {
			j++;
			if (nc->class == XENABI_CONST_OTHER && !*nc->text)
				continue;
			judge(emit(ud, XENABI_CONSTANT_ADDED, XENABI_SEV_INFO, "",
				   nc->name, "", const_value(ud, nc),
				   const_where(nc, &where)),
			      XENABI_SEV_INFO, "new: nothing built before it "
			      "uses it");
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
			/* A macro that became an enumerator of one value. */
			if (is_enum && oc->class != nc->class &&
			    oc->class != XENABI_CONST_OTHER &&
			    nc->class != XENABI_CONST_OTHER &&
			    oc->class != XENABI_CONST_STRING &&
			    nc->class != XENABI_CONST_STRING &&
			    oc->value == nc->value)
				continue;
			constant_changed(ud, oc, nc, is_enum);
		} else if (oc->class == XENABI_CONST_INT &&
			   (oc->width != nc->width ||
			    oc->is_signed != nc->is_signed)) {
			r = emit(ud, XENABI_CONSTANT_CHANGED, XENABI_SEV_RISK, "",
				 nc->name,
				 FMT(ud, "%s, %u-byte %s", const_value(ud, oc),
				     oc->width, oc->is_signed ? "signed" : "unsigned"),
				 FMT(ud, "%s, %u-byte %s", const_value(ud, nc),
				     nc->width, nc->is_signed ? "signed" : "unsigned"),
				 const_where(nc, &where));
			judge(r, XENABI_SEV_RISK, "the same value in another C type: "
			      "arithmetic and comparisons on it may differ");
		} else if (oc->class == XENABI_CONST_OTHER &&
			   !same_text(oc->text, nc->text)) {
			r = emit(ud, XENABI_CONSTANT_CHANGED, XENABI_SEV_INFO, "",
				 nc->name, oc->text, nc->text,
				 const_where(nc, &where));
			judge(r, XENABI_SEV_INFO, "not a value: its expansion "
			      "changed, which binaries do not see");
		}
	}
}

/* ---- Xen's rules, per unit ------------------------------------------------ */

/* A version macro's value in an ABI: the unit's, else its tools view's. */
static const struct xenabi_const *version_const(const struct xenabi_release *rel,
						const struct xenabi_unit *u,
						int abi, const char *name)
{
	const struct xenabi_const *c = find_const(u, name);
	int t = XENABI_UNIT(abi, XENABI_VIEW_TOOLS);

	if (!c && rel->present[t])
		c = find_const(&rel->units[t], name);
	return c;
}

/* Whether two values of a constant are the same: a number, or a string. */
static bool same_value(const struct xenabi_const *a, const struct xenabi_const *b)
{
	if (a->class == XENABI_CONST_STRING || b->class == XENABI_CONST_STRING)
		return a->class == b->class && !strcmp(a->str, b->str);
	return a->value == b->value;
}

static bool is_removal(enum xenabi_change_kind kind)
{
	return kind == XENABI_TYPE_REMOVED || kind == XENABI_MEMBER_REMOVED ||
	       kind == XENABI_CONSTANT_REMOVED ||
	       kind == XENABI_ENUMERATOR_REMOVED;
}

/*
 * Whether constant names the operation of struct type: its name past the
 * first "_" ("HVMOP_create_ioreq_server" -> "create_ioreq_server") ends
 * the type's name, case aside.
 */
static bool names_operation(const char *constant, const char *type)
{
	const char *op = strchr(constant, '_');
	size_t n, t = strlen(type);

	if (!op || (n = strlen(++op)) < 4 || n > t)
		return false;
	return !strcasecmp(type + t - n, op) &&
	       (n == t || type[t - n - 1] == '_');
}

/*
 * Whether constant is the operation a member of a multiplexing union is
 * for: XEN_SYSCTL_tmem_op and xen_sysctl.u.tmem_op,
 * XEN_SYSCTL_get_cpu_levelling_caps and u.cpu_levelling_caps.  The
 * member's name ends the constant, after an underscore; short names
 * ("op", "info") are too common to tell.
 */
static bool op_of_member(const char *constant, const char *member)
{
	size_t c = strlen(constant), m = strlen(member);

	return m >= 6 && c > m + 1 && constant[c - m - 1] == '_' &&
	       !strcasecmp(constant + c - m, member);
}

/*
 * Whether an operation is named after what a structure carries: a tail
 * of the type's name ("io_range" of xen_hvm_io_range, 6 characters or
 * more) stands between underscores in the constant
 * (HVMOP_map_io_range_to_ioreq_server), as Xen names an operation's
 * argument after its object.  Case matters: operations are lower case
 * after their prefix, the values of a field (HVMOP_IO_RANGE_PCI) upper.
 */
static bool op_mentions(const char *constant, const char *type)
{
	size_t c = strlen(constant);

	for (const char *tail = type; tail; tail = strchr(tail + 1, '_')) {
		const char *t = *tail == '_' ? tail + 1 : tail;
		size_t n = strlen(t);

		if (n < 6)
			break;
		for (size_t i = 1; i + n <= c; i++)
			if (constant[i - 1] == '_' && !strncmp(constant + i, t, n) &&
			    (constant[i + n] == '_' || !constant[i + n]))
				return true;
	}
	return false;
}

/*
 * Whether type is named for the object of operation constant, as Xen
 * names an operation's structures: XEN_SYSCTL_tmem_op works on "tmem",
 * and tmem_handle, xen_tmem_client are its.  The object is the lower-case
 * operation name less its "_op" (4 characters or more).
 */
static bool op_object_names(const char *constant, const char *type)
{
	const char *op = constant;
	size_t n;

	while ((op = strchr(op, '_')) && !islower((unsigned char)op[1]))
		op++;
	if (!op || (n = strlen(++op)) < 7 || strcmp(op + n - 3, "_op"))
		return false;
	n -= 3;
	if (!strncmp(type, "xen_", 4))
		type += 4;
	return !strncmp(type, op, n) && type[n] == '_';
}

/* A constant removed from r's header that matches r's type by name. */
static const char *retired_by_name(struct unit_diff *ud, const struct raw *r,
				   bool (*matches)(const char *, const char *))
{
	for (size_t q = ud->first; q < ud->raws->len; q++) {
		const struct raw *c = raw_at(ud, q);

		if ((c->f.kind == XENABI_CONSTANT_REMOVED ||
		     c->f.kind == XENABI_ENUMERATOR_REMOVED) &&
		    !strcmp(c->f.file, r->f.file) &&
		    matches(c->f.symbol, r->f.symbol))
			return c->f.symbol;
	}
	return NULL;
}

/*
 * How a struct is tied to the operation that carries it, by name, the
 * closest first: named for it, for its object in the middle, for the
 * object of an "_op".
 */
static bool (*const op_matchers[])(const char *, const char *) = {
	names_operation, op_mentions, op_object_names,
};

/*
 * The operation of removed struct r that stays defined but that the new
 * hypervisor's dispatcher no longer names (the old one did): it is
 * refused, as "HVMOP_set_mem_access (defined, no longer dispatched)".
 */
static const char *undispatched_op(struct unit_diff *ud, const struct raw *r)
{
	if (!has_dispatcher(ud, r->f.file))
		return NULL;
	for (size_t m = 0; m < XA_ARRAY_SIZE(op_matchers); m++) {
		for (size_t i = 0; i < ud->o->nconsts; i++) {
			const struct xenabi_const *c = &ud->o->consts[i];
			const struct xa_rule *rule;

			if (strcmp(c->file, r->f.file) ||
			    !op_matchers[m](c->name, r->f.symbol) ||
			    !find_const(ud->n, c->name) ||
			    !(rule = dispatcher(ud, c->file, c->name)) ||
			    dispatched(ud->orel, rule, c->name, ud->abi) != 1 ||
			    dispatched(ud->nrel, rule, c->name, ud->abi) != 0)
				continue;
			return FMT(ud, "%s, which stays defined but which the "
				   "hypervisor no longer names (%s)", c->name,
				   serving(ud, rule));
		}
	}
	return NULL;
}

/*
 * Why no guest or tool of this ABI could have passed the struct finding
 * r is about at the old release: the sub-op that carries it is one the
 * old hypervisor's dispatcher for this ABI does not name, so the call
 * was refused already (arm's do_hvm_op handles only a few HVMOPs).  A
 * sub-op number is left to its own rules: an old value that selected
 * nothing may select something now.  NULL: nothing says so.
 */
static const char *unreached_op(struct unit_diff *ud, const struct raw *r)
{
	const struct xa_rule *rule;
	char type[256];

	if (xa_change_is_constant(r->f.kind) || !has_dispatcher(ud, r->f.file))
		return NULL;
	snprintf(type, sizeof(type), "%.*s",
		 (int)strcspn(r->owner && *r->owner ? r->owner : r->f.symbol, "."),
		 r->owner && *r->owner ? r->owner : r->f.symbol);
	for (size_t m = 0; m < XA_ARRAY_SIZE(op_matchers); m++) {
		for (size_t i = 0; i < ud->o->nconsts; i++) {
			const struct xenabi_const *c = &ud->o->consts[i];

			if (strcmp(c->file, r->f.file) || !op_matchers[m](c->name, type) ||
			    !(rule = dispatcher(ud, c->file, c->name)))
				continue;
			if (dispatched(ud->orel, rule, c->name, ud->abi) != 0)
				return NULL;
			return FMT(ud, "only %s carries %s, and guests of this ABI "
				   "could not make it at %s: the hypervisor's "
				   "dispatcher for them (%s) does not name it; %s",
				   c->name, type, ud->orel->name, serving(ud, rule),
				   rule->reason);
		}
	}
	return NULL;
}

/*
 * Why the old release's ABI of this unit was not yet declared stable
 * (a "stable" rule naming a later release), or NULL.
 */
static const char *not_yet_stable(struct unit_diff *ud)
{
	const char *old = ud->orel->name;

	if (!xa_release_names_version(old))
		return NULL;
	for (size_t i = 0; i < ud->rules->n; i++) {
		const struct xa_rule *r = &ud->rules->r[i];

		if (r->kind == XA_RULE_STABLE &&
		    xa_list_has(r->glob, xenabi_abi_name(ud->abi)) &&
		    xenabi_release_name_cmp(old, r->macro) < 0)
			return FMT(ud, "not promised at %s: %s", old, r->reason);
	}
	return NULL;
}

/* The type a finding's symbol belongs to: "T" of "T.a.b", the symbol else. */
static size_t symbol_root(const char *symbol)
{
	return strcspn(symbol, ".");
}

/*
 * Why no binary of this ABI had a working use, at the old release, of
 * the interface finding r is about: an "absent" rule says the hypervisor
 * built for the ABI did not implement it then (it refused every call, or
 * took only zero, which keeps its meaning).  NULL: no rule says so.
 */
static const char *absent_interface(struct unit_diff *ud, const struct raw *r)
{
	const char *old = ud->orel->name;
	char root[256], glob[256];

	snprintf(root, sizeof(root), "%.*s", (int)symbol_root(r->f.symbol),
		 r->f.symbol);
	for (size_t i = 0; i < ud->rules->n; i++) {
		const struct xa_rule *rule = &ud->rules->r[i];
		const char *list = rule->glob;
		bool never;

		if (rule->kind != XA_RULE_ABSENT || !r->f.file ||
		    strcmp(rule->header, r->f.file) ||
		    !xa_list_has(rule->abis, xenabi_abi_name(ud->abi)))
			continue;
		never = !strcmp(rule->macro, "-");
		/* Before a release: decidable only for a release so named. */
		if (!never && (!xa_release_names_version(old) ||
			       xenabi_release_name_cmp(old, rule->macro) >= 0))
			continue;
		while (xa_list_next(&list, glob, sizeof(glob)))
			if (!fnmatch(glob, r->f.symbol, 0) || !fnmatch(glob, root, 0))
				return FMT(ud, "not implemented by this ABI's "
					   "hypervisor%s%s: %s; so no binary of this "
					   "ABI had a working use of what changed",
					   never ? "" : " before ",
					   never ? "" : rule->macro, rule->reason);
	}
	return NULL;
}

/*
 * Why a structure that grew refuses an old caller instead of misleading
 * it: Xen writes it only into a buffer whose length the caller passes
 * and Xen checks against the new size (a "sizechecked" rule), so an old
 * caller's shorter buffer is refused.  NULL: no rule says so, or the
 * structure did not grow.
 */
static const char *size_checked(struct unit_diff *ud, const struct raw *r)
{
	const char *name = r->owner && *r->owner ? r->owner : r->f.symbol;
	const struct xenabi_type *ot, *nt;
	const struct xa_rule *rule;
	char root[256];

	snprintf(root, sizeof(root), "%.*s", (int)symbol_root(name), name);
	if (!(rule = xa_rules_match(ud->rules, XA_RULE_SIZECHECKED, NULL, root)) ||
	    !(ot = find_aggregate(ud->o, root)) || !(nt = find_aggregate(ud->n, root)) ||
	    nt->size <= ot->size)
		return NULL;
	return FMT(ud, "%s grows from %" PRIu64 " to %" PRIu64 " bytes, and %s: "
		   "an old caller's shorter buffer is refused", root, ot->size,
		   nt->size, rule->reason);
}

/*
 * The removed operation whose union member in file reached type in the
 * old unit: the structure travelled only under it.  NULL when none.
 */
static const char *retired_through_member(struct unit_diff *ud,
					  const char *file, const char *type)
{
	for (size_t q = ud->first; q < ud->raws->len; q++) {
		const struct raw *c = raw_at(ud, q);

		if ((c->f.kind != XENABI_CONSTANT_REMOVED &&
		     c->f.kind != XENABI_ENUMERATOR_REMOVED) ||
		    strcmp(c->f.file, file))
			continue;
		for (size_t i = 0; i < ud->o->ntypes; i++) {
			const struct xenabi_type *u = &ud->o->types[i];

			if (u->kind != XENABI_KIND_UNION || strcmp(u->file, file))
				continue;
			for (size_t k = 0; k < u->nmembers; k++)
				if (op_of_member(c->f.symbol, u->members[k].name) &&
				    xa_type_reaches(ud->o, u->members[k].type, type))
					return c->f.symbol;
		}
	}
	return NULL;
}

/* Whether the new release's tools view of this ABI still has type name. */
static bool still_for_tools(struct unit_diff *ud, const char *name)
{
	int t = XENABI_UNIT(ud->abi, XENABI_VIEW_TOOLS);

	return ud->nrel->present[t] &&
	       (xenabi_unit_find_type(&ud->nrel->units[t], XENABI_KIND_STRUCT, name) ||
		xenabi_unit_find_type(&ud->nrel->units[t], XENABI_KIND_UNION, name));
}

/* Whether x86_32 layout a diverges from x86_64's b, as CHECK_ sees it. */
static bool compat_diverges(const struct xenabi_type *a, const struct xenabi_type *b,
			    bool *oom)
{
	struct xa_buf why;
	bool diverges;

	xa_buf_init(&why);
	xa_compat_divergence(a, b, &why);
	diverges = why.len > 0;
	*oom |= why.oom;
	xa_buf_release(&why);
	return diverges;
}

/*
 * The compat-checked struct (xlat.lst "?", in both releases) that the
 * finding's owner is or lies in, when only x86_32's header changed it,
 * from diverging from x86_64's layout to agreeing with it.  NULL: not so.
 */
static const char *compat_fix(struct unit_diff *ud, const char *owner)
{
	int v32 = XENABI_UNIT(XENABI_ABI_X86_32, ud->view);
	int v64 = XENABI_UNIT(XENABI_ABI_X86_64, ud->view);
	const struct xenabi_release *o = ud->orel, *n = ud->nrel;
	size_t len = strcspn(owner ? owner : "", ".");

	if (!len || !o->present[v32] || !o->present[v64] || !n->present[v32] ||
	    !n->present[v64])
		return NULL;
	for (size_t i = 0; i < n->ncompat; i++) {
		const char *name = n->compat[i].name;
		const struct xenabi_type *n32 = xa_compat_type(&n->units[v32], name);
		const struct xenabi_type *n64, *o32, *o64;
		bool in_old = false;

		if (!n32 || strlen(n32->name) != len || strncmp(n32->name, owner, len))
			continue;
		for (size_t k = 0; k < o->ncompat && !in_old; k++)
			in_old = !strcmp(o->compat[k].name, name);
		n64 = xa_compat_type(&n->units[v64], name);
		o32 = xa_compat_type(&o->units[v32], name);
		o64 = xa_compat_type(&o->units[v64], name);
		if (!in_old || !n64 || !o32 || !o64 || !same_layout(o64, n64) ||
		    !compat_diverges(o32, o64, &ud->oom) ||
		    compat_diverges(n32, n64, &ud->oom))
			return NULL;
		return n32->name;
	}
	return NULL;
}

/* Whether nothing of a header is left in a unit. */
static bool header_emptied(const struct xenabi_unit *u, const char *file)
{
	for (size_t i = 0; i < u->ntypes; i++)
		if (!strcmp(u->types[i].file, file))
			return false;
	for (size_t i = 0; i < u->nconsts; i++)
		if (!strcmp(u->consts[i].file, file))
			return false;
	return true;
}

/*
 * The versioned interface a finding falls under: by its header, or by
 * the header its structure was in before (a structure that moved from
 * domctl.h to memory.h was carried by a domctl in the old release), with
 * *was_in saying so ("in domctl.h before: ").  NULL: none.
 */
static const struct xa_rule *versioned_by(struct unit_diff *ud,
					  const struct raw *r,
					  const char **was_in)
{
	const struct xa_rule *rule;
	const struct xenabi_type *ot;

	*was_in = "";
	if ((rule = xa_rules_match(ud->rules, XA_RULE_VERSIONED, r->f.file,
				   r->f.symbol)))
		return rule;
	if (!r->owner || !*r->owner ||
	    !((ot = xenabi_unit_find_type(ud->o, XENABI_KIND_STRUCT, r->owner)) ||
	      (ot = xenabi_unit_find_type(ud->o, XENABI_KIND_UNION, r->owner))) ||
	    !ot->file || !strcmp(ot->file, r->f.file) ||
	    !(rule = xa_rules_match(ud->rules, XA_RULE_VERSIONED, ot->file,
				    r->f.symbol)))
		return NULL;
	*was_in = FMT(ud, "in %s before, under ", ot->file);
	return rule;
}

/*
 * The outermost structure a path-named aggregate ("dom0_vga_console_info.
 * u.vesa_lfb") grows at the tail of: each step is the last member of a
 * struct, or an arm of a union, in the new layout.  type itself when it
 * is no path, or when a step is not at its parent's tail.
 */
static const char *outer_at_tail(struct unit_diff *ud, const char *type)
{
	char name[512];
	size_t len = strlen(type);

	if (!is_path(type) || len >= sizeof(name))
		return type;
	memcpy(name, type, len + 1);
	for (char *dot = strrchr(name, '.'); dot; dot = strrchr(name, '.')) {
		const struct xenabi_type *parent;
		const char *member = dot + 1;
		uint64_t end = 0, mine = 0;

		*dot = '\0';
		if (!(parent = find_aggregate(ud->n, name)))
			return type;
		if (parent->kind == XENABI_KIND_UNION)
			continue;
		for (size_t i = 0; i < parent->nmembers; i++) {
			const struct xenabi_member *m = &parent->members[i];

			if (xa_member_end(m) > end)
				end = xa_member_end(m);
			if (!strcmp(m->name, member))
				mine = xa_member_end(m);
		}
		if (!mine || mine != end)
			return type;
	}
	return FMT(ud, "%s", name);
}

/*
 * Why a structure may grow at its tail, as ": ..." or ", and ...": a
 * zeroed shared page, a structure that says its own version, a save
 * record the new hypervisor loads zero-extended.  NULL: nothing says so.
 */
static const char *tail_reader(struct unit_diff *ud, const char *type)
{
	const struct xa_rule *rule;
	const char *outer = outer_at_tail(ud, type);

	if ((rule = xa_rules_match(ud->rules, XA_RULE_PAGE, NULL, outer)) ||
	    (rule = xa_rules_match(ud->rules, XA_RULE_SELFDESCRIBING, NULL, outer)))
		return FMT(ud, ": %s", rule->reason);
	for (size_t i = 0; i < ud->nrel->nzeroext; i++) {
		const struct xenabi_zeroext *zx = &ud->nrel->zeroext[i];

		if (!strcmp(zx->tag, type))
			return FMT(ud, ", and %s loads it with "
				   "hvm_load_entry_zeroextend(%s): a shorter "
				   "record saved by an older Xen reads the new "
				   "members as zero", zx->file, zx->name);
	}
	return NULL;
}

/* Whether constant is an operation whose sub-ops the rule's glob takes. */
static bool rule_selects(const struct xa_rule *rule, const char *constant)
{
	size_t n = strlen(constant);

	return !fnmatch(rule->glob, constant, 0) ||
	       (!strncmp(rule->glob, constant, n) && rule->glob[n] == '_');
}

/* Whether struct type of header is carried by an operation rule selects. */
static bool rule_carries(const struct unit_diff *ud, const struct xa_rule *rule,
			 const char *header, const char *type)
{
	for (size_t m = 0; m < XA_ARRAY_SIZE(op_matchers); m++)
		for (size_t i = 0; i < ud->n->nconsts; i++) {
			const struct xenabi_const *c = &ud->n->consts[i];

			if (!strcmp(c->file, header) && rule_selects(rule, c->name) &&
			    op_matchers[m](c->name, type))
				return true;
		}
	return false;
}

/*
 * Why member r appended at a structure's tail reaches no old caller's
 * call: in the dispatcher that selects the sub-ops of the operation
 * carrying the structure, only the cases of sub-ops new in this release
 * use it, and no case an old caller reaches copies the whole structure
 * back (which would write past an old, shorter buffer).  NULL: nothing
 * says so.  Read from the new tree's code (the "dispatch" lines).
 */
static const char *new_subops_only(struct unit_diff *ud, const struct raw *r)
{
	const char *dot = strrchr(r->f.symbol, '.');
	char type[256];

	if (!dot || !r->owner || !has_dispatcher(ud, r->f.file))
		return NULL;
	snprintf(type, sizeof(type), "%.*s", (int)symbol_root(r->owner), r->owner);
	for (size_t k = 0; k < ud->rules->n; k++) {
		const struct xa_rule *rule = &ud->rules->r[k];
		const char *subops = NULL, *files = NULL;
		bool blocked = false;

		if (rule->kind != XA_RULE_DISPATCH || strcmp(rule->header, r->f.file) ||
		    !rule_carries(ud, rule, r->f.file, type))
			continue;
		for (size_t i = 0; i < ud->nrel->nuses && !blocked; i++) {
			const struct xenabi_subop_use *u = &ud->nrel->uses[i];
			bool member = u->name[0] == '.' && !strcmp(u->name + 1, dot + 1);

			if ((!member && strcmp(u->name, "copy_to_guest")) ||
			    !file_serves(u->file, ud->abi) ||
			    !xa_list_has(rule->macro, u->file))
				continue;
			/* Used, or written back whole, where an old call goes. */
			if (!*u->subop || !find_const(ud->n, u->subop) ||
			    find_const(ud->o, u->subop)) {
				blocked = true;
				break;
			}
			if (!member)
				continue;
			subops = subops ? FMT(ud, "%s, %s", subops, u->subop)
					: FMT(ud, "%s", u->subop);
			if (!files || !strstr(files, u->file))
				files = files ? FMT(ud, "%s, %s", files, u->file)
					      : FMT(ud, "%s", u->file);
		}
		if (blocked || !subops)
			continue;
		return FMT(ud, ": in %s only the case of %s (new) uses %s, and "
			   "no case an old caller reaches copies the whole "
			   "structure back; the larger copy in may read past an "
			   "old caller's buffer, -EFAULT at worst", files, subops,
			   dot + 1);
	}
	return NULL;
}

/* A struct or union of u that embeds aggregate name, or NULL. */
static const char *container_of(const struct xenabi_unit *u, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < u->ntypes; i++) {
		const struct xenabi_type *t = &u->types[i];

		if (t->kind != XENABI_KIND_STRUCT && t->kind != XENABI_KIND_UNION)
			continue;
		for (size_t k = 0; k < t->nmembers; k++) {
			const char *b = t->members[k].base, *sp;

			if (t->members[k].base_class != XENABI_BASE_STRUCT ||
			    !(sp = strchr(b, ' ')) || strncmp(sp + 1, name, n) ||
			    (sp[1 + n] && sp[1 + n] != ' ' && sp[1 + n] != '['))
				continue;
			return t->name;
		}
	}
	return NULL;
}

/* Whether a failure names a header (not "continuation memory_op" and such). */
static bool failure_is_header(const struct xenabi_failure *f)
{
	return !strchr(f->header, ' ');
}

static const struct xenabi_failure *failure_of(const struct xenabi_unit *u,
					       const char *header)
{
	for (size_t i = 0; i < u->nfailures; i++)
		if (!strcmp(u->failures[i].header, header))
			return &u->failures[i];
	return NULL;
}

/* Whether a header failed on one side only: compare neither side's records. */
static bool skipped_file(const struct xenabi_unit *o, const struct xenabi_unit *n,
			 const char *file)
{
	return !failure_of(o, file) != !failure_of(n, file);
}

/*
 * Headers that compiled in the old unit and fail in the new one: a
 * header_failed break each, with the compiler's message.  Either side's
 * records of a header that failed on one side only are left out of the
 * comparison (copies in *fo and *fn, arrays in the arena): a header that
 * stopped compiling has not removed what it declares.  Returns whether
 * anything was left out.
 */
static bool failed_headers(struct unit_diff *ud, struct xenabi_unit *fo,
			   struct xenabi_unit *fn)
{
	const struct xenabi_unit *src[2] = { ud->o, ud->n };
	struct xenabi_unit *dst[2] = { fo, fn };
	bool any = false;

	for (size_t i = 0; i < ud->n->nfailures; i++) {
		const struct xenabi_failure *f = &ud->n->failures[i];
		struct xenabi_type where = { .file = f->header };
		struct raw *r;

		/* Compiled before: declared something in the old unit. */
		if (!failure_is_header(f) || failure_of(ud->o, f->header) ||
		    header_emptied(ud->o, f->header))
			continue;
		size_t at = strcspn(f->message, ":");

		any = true;
		r = emit(ud, XENABI_HEADER_FAILED, XENABI_SEV_BREAK, "",
			 xa_arena_strdup(ud->arena, f->header), "compiled",
			 xa_arena_strdup(ud->arena, f->message), &where);
		/* An includer fails through the header the error is in. */
		if (f->message[at] == ':' &&
		    (strlen(f->header) != at || strncmp(f->message, f->header, at)))
			judge(r, XENABI_SEV_BREAK, FMT(ud, "it fails through %.*s, "
			      "which it includes: nothing built against it builds, "
			      "and what it declared is not compared", (int)at,
			      f->message));
		else
			judge(r, XENABI_SEV_BREAK, "the header no longer compiles "
			      "for this ABI and view: nothing built against it "
			      "builds, and what it declared is not compared");
	}
	for (size_t i = 0; i < ud->o->nfailures && !any; i++)
		any = failure_is_header(&ud->o->failures[i]) &&
		      !failure_of(ud->n, ud->o->failures[i].header);
	if (!any)
		return false;
	for (int s = 0; s < 2; s++) {
		struct xenabi_type *t = xa_arena_alloc(ud->arena, (src[s]->ntypes + 1) *
							  sizeof(*t));
		struct xenabi_const *c = xa_arena_alloc(ud->arena, (src[s]->nconsts + 1) *
							    sizeof(*c));

		if (!t || !c) {
			ud->oom = true;
			return false;
		}
		*dst[s] = *src[s];
		dst[s]->types = t;
		dst[s]->consts = c;
		dst[s]->ntypes = dst[s]->nconsts = 0;
		for (size_t i = 0; i < src[s]->ntypes; i++)
			if (!skipped_file(ud->o, ud->n, src[s]->types[i].file))
				t[dst[s]->ntypes++] = src[s]->types[i];
		for (size_t i = 0; i < src[s]->nconsts; i++)
			if (!src[s]->consts[i].file ||
			    !skipped_file(ud->o, ud->n, src[s]->consts[i].file))
				c[dst[s]->nconsts++] = src[s]->consts[i];
	}
	return true;
}

/*
 * What a unit's findings become under Xen's rules: structures retired with
 * their operations, interfaces that version themselves, structures that
 * may grow at their tail.
 */
static void apply_rules(struct unit_diff *ud)
{
	for (size_t k = ud->first; k < ud->raws->len && !ud->oom; k++) {
		struct raw *r = raw_at(ud, k);
		const struct xa_rule *rule;
		const char *retired = NULL, *tail, *was_in;

		if (r->derived)
			continue;
		/* A struct gone: with its operation, or from under one. */
		if (r->f.kind == XENABI_TYPE_REMOVED && !*r->f.reason) {
			retired = retired_by_name(ud, r, names_operation);
			if (!retired)
				retired = retired_through_member(ud, r->f.file,
								 r->f.symbol);
			if (!retired)
				retired = retired_by_name(ud, r, op_mentions);
			if (!retired)
				retired = retired_by_name(ud, r, op_object_names);
			if (!retired)
				retired = undispatched_op(ud, r);
			if (retired)
				judge(r, XENABI_SEV_RISK, FMT(ud, "retired with "
				      "its operation %s: Xen refuses an old caller",
				      retired));
			else if (ud->view != XENABI_VIEW_TOOLS &&
				 still_for_tools(ud, r->f.symbol))
				judge(r, XENABI_SEV_RISK, "now for the tools only "
				      "(behind __XEN_TOOLS__), where it stays: the "
				      "hypervisor takes what it took, the tools "
				      "view's findings say whether its layout "
				      "changed; only guest source naming it breaks");
			else if (header_emptied(ud->n, r->f.file))
				judge(r, XENABI_SEV_RISK, "its whole header is gone "
				      "from this view: the interface was retired, "
				      "and Xen refuses an old caller");
			else
				judge(r, XENABI_SEV_BREAK, "no operation went with "
				      "it: an old binary may still pass this layout");
		}
		/* An ABI Xen had not declared stable yet. */
		if (r->f.severity == XENABI_SEV_BREAK && (tail = not_yet_stable(ud))) {
			judge(r, XENABI_SEV_RISK, FMT(ud, "%s; %s", tail, r->f.reason));
			continue;
		}
		/* An interface this ABI's hypervisor did not implement. */
		if (r->f.severity > XENABI_SEV_INFO && (tail = absent_interface(ud, r))) {
			judge(r, XENABI_SEV_INFO, tail);
			continue;
		}
		/* A buffer Xen measures against the grown structure. */
		if (r->f.severity == XENABI_SEV_BREAK && (tail = size_checked(ud, r))) {
			judge(r, XENABI_SEV_RISK, tail);
			continue;
		}
		/* A sub-op this ABI's hypervisor never dispatched. */
		if (r->f.severity > XENABI_SEV_INFO && (tail = unreached_op(ud, r))) {
			judge(r, XENABI_SEV_INFO, tail);
			continue;
		}
		/* x86_32's header brought to what Xen always exchanged. */
		if (r->f.severity == XENABI_SEV_BREAK && ud->abi == XENABI_ABI_X86_32 &&
		    (tail = compat_fix(ud, r->owner)))
			judge(r, XENABI_SEV_RISK, FMT(ud, "x86_32's %s now agrees "
			      "with x86_64's, which did not change: Xen exchanges "
			      "it with 32-bit guests in that layout, checked by "
			      "xen/include/xlat.lst, so the hypervisor's bytes are "
			      "what they were; the header now says so", tail));
		/* Tail growth of a structure that tells old from new. */
		if (r->tail_growth && r->f.severity == XENABI_SEV_BREAK &&
		    (tail = tail_reader(ud, r->owner)))
			judge(r, XENABI_SEV_RISK, FMT(ud, "grows at its tail only%s",
						      tail));
		/* Appended for new sub-ops only. */
		else if (r->tail_growth && r->f.severity == XENABI_SEV_BREAK &&
			 r->f.kind == XENABI_MEMBER_ADDED &&
			 (tail = new_subops_only(ud, r)))
			judge(r, XENABI_SEV_RISK, FMT(ud, "appended for new "
						      "sub-ops only%s", tail));
		/*
		 * A union grown by a new member: old callers never select it,
		 * their members keep their bytes, and nothing embedding the
		 * union moved (its growth fits the room they keep).
		 */
		else if (r->tail_growth && r->f.severity == XENABI_SEV_BREAK &&
			 r->f.kind == XENABI_MEMBER_ADDED && !r->shifts_containers &&
			 xenabi_unit_find_type(ud->n, XENABI_KIND_UNION, r->owner))
			judge(r, XENABI_SEV_RISK, (tail = container_of(ud->n, r->owner))
			      ? FMT(ud, "a new member of a union, which grows "
				    "inside %s without moving anything there: "
				    "old callers never select it and their members "
				    "keep their bytes", tail)
			      : "a new member of a union, which grows: old callers "
				"never select it and their members keep their "
				"bytes, but a caller's buffer of the old size is "
				"short");
		/* An interface that versions itself. */
		if (r->f.severity > XENABI_SEV_INFO &&
		    (rule = versioned_by(ud, r, &was_in))) {
			const struct xenabi_const *ov, *nv;

			ov = version_const(ud->orel, ud->o, ud->abi, rule->macro);
			nv = version_const(ud->nrel, ud->n, ud->abi, rule->macro);
			if (!ov && nv)
				/* The check arrived with the change. */
				judge(r, XENABI_SEV_RISK,
				      FMT(ud, "%s%s is new (%s): %s; an old binary "
					  "never declares it, and only a "
					  "coincidence passes that check", was_in, rule->macro,
					  const_value(ud, nv), rule->reason));
			if (!ov || !nv)
				continue;
			if (!same_value(ov, nv))
				judge(r, is_removal(r->f.kind) ? XENABI_SEV_RISK
							       : XENABI_SEV_INFO,
				      FMT(ud, "%s%s %s -> %s: %s", was_in, rule->macro,
					  const_value(ud, ov), const_value(ud, nv),
					  rule->reason));
			else if (*was_in)
				continue;
			else if (r->f.severity == XENABI_SEV_BREAK)
				judge(r, XENABI_SEV_BREAK,
				      FMT(ud, "%s stays %s: %s, but an old binary "
					  "passes that check; %s", rule->macro,
					  const_value(ud, nv), rule->reason,
					  r->f.reason));
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
	if (a->severity != b->severity)
		return (int)b->severity - (int)a->severity;
	return str_cmp0(a->reason, b->reason);
}

/*
 * Views from the widest audience to the narrowest: every guest, guests
 * that declare the latest interface version, the tools.  A change the
 * guest view has, the others have too; it is reported at the widest.
 */
static int view_rank(enum xenabi_view view)
{
	return view == XENABI_VIEW_GUEST ? 0 : view == XENABI_VIEW_LATEST ? 1 : 2;
}

/* Collapse order: the change, then the widest view first, then ABIs. */
static int collapse_cmp(const void *pa, const void *pb)
{
	const struct xenabi_finding *a = pa, *b = pb;
	int c = change_cmp(a, b);

	if (c)
		return c;
	if (a->view != b->view)
		return view_rank(a->view) - view_rank(b->view);
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
		return view_rank(a->view) - view_rank(b->view);
	if ((c = str_cmp0(a->file, b->file)))
		return c;
	if (xa_change_is_constant(a->kind) != xa_change_is_constant(b->kind))
		return xa_change_is_constant(a->kind) ? 1 : -1;
	return change_cmp(a, b);
}

/*
 * Xen's rules that look at the collapsed findings: values only the tools
 * view has, shipped with the hypervisor; interfaces whose version did not
 * move although they break.
 */
static void lockstep_rule(struct unit_diff *ud, struct xa_vec *out)
{
	struct xenabi_finding *f = out->data;

	for (size_t k = 0; k < out->len; k++) {
		const struct xa_rule *rule;

		if (f[k].severity != XENABI_SEV_BREAK)
			continue;
		if ((rule = xa_rules_match(ud->rules, XA_RULE_LOCKSTEP, f[k].file,
					   f[k].symbol)) ||
		    (f[k].view == XENABI_VIEW_TOOLS &&
		     xa_change_is_constant(f[k].kind) &&
		     (rule = xa_rules_match(ud->rules, XA_RULE_TOOLSONLY,
					    f[k].file, f[k].symbol)))) {
			f[k].severity = XENABI_SEV_RISK;
			f[k].reason = FMT(ud, "%s", rule->reason);
		}
	}
}

/* The type a finding's symbol is about: the longest prefix u declares. */
static const struct xenabi_type *symbol_type(const struct xenabi_unit *u,
					     const char *symbol)
{
	char name[512];

	snprintf(name, sizeof(name), "%s", symbol);
	for (;;) {
		for (int k = 0; k < XENABI_KIND_COUNT; k++) {
			const struct xenabi_type *t = xenabi_unit_find_type(u, k, name);

			if (t)
				return t;
		}
		char *dot = strrchr(name, '.');

		if (!dot)
			return NULL;
		*dot = '\0';
	}
}

/*
 * Whether what a finding is about looked the same to an old guest at
 * interface version 0 and at the old release's latest: no version gate of
 * the old release touched it.
 */
static bool ungated_in(const struct xenabi_release *rel, int abi,
		       const struct xenabi_finding *f)
{
	const struct xenabi_unit *g = &rel->units[XENABI_UNIT(abi, XENABI_VIEW_GUEST)];
	const struct xenabi_unit *l = &rel->units[XENABI_UNIT(abi, XENABI_VIEW_LATEST)];

	if (xa_change_is_constant(f->kind)) {
		const struct xenabi_const *a = find_const(g, f->symbol);
		const struct xenabi_const *b = find_const(l, f->symbol);

		return !a == !b && (!a || (a->class == b->class && a->value == b->value &&
					   same_text(a->text, b->text)));
	}
	const struct xenabi_type *a = symbol_type(g, f->symbol);
	const struct xenabi_type *b = symbol_type(l, f->symbol);

	return !a == !b && (!a || (!strcmp(a->name, b->name) && same_layout(a, b)));
}

/*
 * A change only guests declaring a newer interface version see.  Xen
 * promises a guest built against the old release at any version up to its
 * latest the same layout at that version; a change that arrives with a
 * version gate newer than the old release's latest reaches none of them.
 */
static void gate_rule(struct unit_diff *ud, struct xa_vec *out,
		      const struct xenabi_release *old,
		      const struct xenabi_release *new)
{
	struct xenabi_finding *f = out->data;

	for (size_t k = 0; k < out->len; k++) {
		const struct xenabi_const *ov = NULL, *nv = NULL;
		bool all_new_gate = true, known = false;

		if (f[k].view != XENABI_VIEW_LATEST || f[k].severity == XENABI_SEV_INFO)
			continue;
		for (int a = 0; a < XENABI_ABI_COUNT; a++) {
			int lu = XENABI_UNIT(a, XENABI_VIEW_LATEST);
			int gu = XENABI_UNIT(a, XENABI_VIEW_GUEST);

			if (!(f[k].abis & (1u << a)) || !old->present[lu] ||
			    !old->present[gu] || !new->present[lu])
				continue;
			ov = version_const(old, &old->units[lu], a,
					   "__XEN_LATEST_INTERFACE_VERSION__");
			nv = version_const(new, &new->units[lu], a,
					   "__XEN_LATEST_INTERFACE_VERSION__");
			if (!ov || !nv)
				continue;
			known = true;
			all_new_gate &= nv->value > ov->value && ungated_in(old, a, &f[k]);
		}
		if (!known)
			continue;
		if (all_new_gate) {
			f[k].severity = XENABI_SEV_INFO;
			f[k].reason = FMT(ud, "only guests declaring "
				"__XEN_INTERFACE_VERSION__ above %s (%s's latest) "
				"see it: a guest built against %s at any version it "
				"offers keeps the old layout", const_value(ud, ov),
				old->name, old->name);
		} else {
			f[k].reason = FMT(ud, "seen by guests built at the interface "
				"version %s's latest; %s", old->name, f[k].reason);
		}
	}
}

/*
 * A versioned interface that breaks with its version unchanged: a binary
 * built against the old headers passes the version check and misreads the
 * new layout.  One finding per version, naming how many breaks it lets in.
 */
static void version_rule(struct xa_vec *out, const struct xenabi_release *old,
			 const struct xenabi_release *new, struct unit_diff *ud)
{
	for (size_t r = 0; r < ud->rules->n; r++) {
		const struct xa_rule *rule = &ud->rules->r[r];
		const struct xenabi_const *oc = NULL, *nc = NULL;
		size_t count = 0, n = out->len;
		unsigned int abis = 0;
		enum xenabi_view view = XENABI_VIEW_TOOLS;
		bool seen = false;

		if (rule->kind != XA_RULE_VERSIONED)
			continue;
		/* One finding per version, however many headers it guards. */
		for (size_t q = 0; q < r; q++)
			seen |= ud->rules->r[q].kind == XA_RULE_VERSIONED &&
				!strcmp(ud->rules->r[q].macro, rule->macro);
		if (seen)
			continue;
		for (size_t k = 0; k < n; k++) {
			const struct xenabi_finding *f = (struct xenabi_finding *)out->data + k;

			const struct xa_rule *guard;

			if (f->severity != XENABI_SEV_BREAK || f->suppressed ||
			    f->kind == XENABI_INTERFACE_VERSION_UNCHANGED)
				continue;
			guard = xa_rules_match(ud->rules, XA_RULE_VERSIONED,
					       f->file, f->symbol);
			if (guard && !strcmp(guard->macro, rule->macro)) {
				count++;
				abis |= f->abis;
				if (view_rank(f->view) < view_rank(view))
					view = f->view;
			}
		}
		if (!count)
			continue;
		for (int a = 0; a < XENABI_ABI_COUNT && !(oc && nc); a++) {
			int u = XENABI_UNIT(a, XENABI_VIEW_TOOLS);

			if (!(abis & (1u << a)) || !old->present[u] || !new->present[u])
				continue;
			oc = version_const(old, &old->units[u], a, rule->macro);
			nc = version_const(new, &new->units[u], a, rule->macro);
		}
		if (!oc || !nc || !same_value(oc, nc))
			continue;
		struct xenabi_finding *v = xa_vec_push(out);

		if (!v) {
			ud->oom = true;
			return;
		}
		v->kind = XENABI_INTERFACE_VERSION_UNCHANGED;
		v->severity = XENABI_SEV_BREAK;
		v->abis = abis;
		v->view = view;
		v->symbol = FMT(ud, "%s", rule->macro);
		v->old = const_value(ud, oc);
		v->new = const_value(ud, nc);
		v->detail = FMT(ud, "%zu break%s under it", count,
				count == 1 ? "" : "s");
		v->reason = FMT(ud, "%s, but it did not move: old binaries pass "
				"the check and misread what changed", rule->reason);
		v->file = nc->file;
		v->line = nc->line;
	}
}

/*
 * Findings are made of the releases' strings: copied into the diff's
 * arena, a diff outlives the releases (log frees each commit's scan
 * once the next one is compared with it).
 */
static bool own_strings(struct xenabi_diff *d)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		struct xenabi_finding *f = &d->findings[i];
		const char **s[] = { &f->symbol, &f->old, &f->new, &f->detail,
				     &f->reason, &f->file };

		for (size_t k = 0; k < XA_ARRAY_SIZE(s); k++)
			if (*s[k] && !(*s[k] = xa_arena_strdup(d->arena, *s[k])))
				return true;
	}
	return false;
}

int xenabi_diff_releases(struct xenabi_ctx *ctx,
			 const struct xenabi_release *old,
			 const struct xenabi_release *new,
			 struct xenabi_diff **out)
{
	struct xenabi_diff *d = calloc(1, sizeof(*d));
	struct xa_vec raws, kept, kept2, findings;
	struct unit_diff ud = { .ctx = ctx };
	struct xa_rules rules = { 0 };
	int ret = 0;

	*out = NULL;
	xa_vec_init(&raws, sizeof(struct raw));
	xa_vec_init(&kept, sizeof(struct xenabi_finding));
	xa_vec_init(&kept2, sizeof(struct xenabi_finding));
	xa_vec_init(&findings, sizeof(struct xenabi_finding));
	if (!d || !(d->arena = xa_arena_new())) {
		free(d);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	d->old_name = xa_arena_strdup(d->arena, old->name);
	d->new_name = xa_arena_strdup(d->arena, new->name);
	ud.arena = d->arena;
	ud.orel = old;
	ud.nrel = new;
	ud.rules = &rules;
	if ((ret = xa_rules_load(ctx, &rules)))
		goto out;
	if ((ret = xa_encodings_load(ctx, (struct xa_encoding **)&ud.enc,
				     &ud.nenc)))
		goto out;
	ud.raws = &raws;
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		struct xenabi_unit fo, fn;

		if (!old->present[u] || !new->present[u])
			continue;
		d->abis |= 1u << xenabi_unit_abi(u);
		ud.o = &old->units[u];
		ud.n = &new->units[u];
		ud.first = raws.len;
		ud.abi = xenabi_unit_abi(u);
		ud.abi_bit = 1u << ud.abi;
		ud.view = xenabi_unit_view(u);
		/*
		 * A header that compiled before and fails now is the finding;
		 * what it declared is not compared (it is not "removed").
		 */
		if (failed_headers(&ud, &fo, &fn)) {
			ud.o = &fo;
			ud.n = &fn;
		}
		ud.abi = xenabi_unit_abi(u);
		ud.abi_bit = 1u << ud.abi;
		ud.view = xenabi_unit_view(u);
		compare_types(&ud);
		compare_consts(&ud);
		compare_encodings(&ud);
		xa_subops_exceeding(ud.n, ud.enc, ud.nenc, subop_found, &ud);
		attribute_roots(&ud);
		apply_rules(&ud);
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
	if (!ud.oom && xa_hcall_availability(d->arena, &rules, old, &kept))
		ud.oom = true;
	if (!ud.oom && xa_findings_collapse(&kept, &findings))
		ud.oom = true;
	if (!ud.oom && xa_hcall_diff(d->arena, &rules, old, new, d->abis, &kept2))
		ud.oom = true;
	if (!ud.oom && kept2.len && xa_findings_collapse(&kept2, &findings))
		ud.oom = true;
	lockstep_rule(&ud, &findings);
	gate_rule(&ud, &findings, old, new);
	version_rule(&findings, old, new, &ud);
	if (ud.oom) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	xa_findings_sort(&findings);
	d->findings = xa_vec_finish(&findings, d->arena, &d->nfindings);
	if (own_strings(d)) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
out:
	xa_encodings_free((struct xa_encoding *)ud.enc, ud.nenc);
	xa_rules_release(&rules);
	xa_vec_release(&raws);
	xa_vec_release(&kept);
	xa_vec_release(&kept2);
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

int xenabi_diff_merge(struct xenabi_ctx *ctx, struct xenabi_diff *const *parts,
		      const char *const *commits, size_t n,
		      const char *old_name, const char *new_name,
		      struct xenabi_diff **out)
{
	struct xenabi_diff *d = calloc(1, sizeof(*d));
	size_t total = 0;

	*out = NULL;
	if (!d || !(d->arena = xa_arena_new())) {
		free(d);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		if (parts[i]) {
			total += parts[i]->nfindings;
			d->abis |= parts[i]->abis;
		}
	d->old_name = xa_arena_strdup(d->arena, old_name);
	d->new_name = xa_arena_strdup(d->arena, new_name);
	d->findings = total ? xa_arena_alloc(d->arena, total * sizeof(*d->findings))
			    : NULL;
	if (!d->old_name || !d->new_name || (total && !d->findings)) {
		xenabi_diff_free(d);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; parts[i] && k < parts[i]->nfindings; k++) {
			d->findings[d->nfindings] = parts[i]->findings[k];
			d->findings[d->nfindings++].commit = commits[i];
		}
	*out = d;
	return 0;
}

static bool explains(const struct xenabi_finding *part,
		     const struct xenabi_finding *f)
{
	size_t a = symbol_root(part->symbol), b = symbol_root(f->symbol);
	const char *to;

	if (!(part->abis & f->abis))
		return false;
	/*
	 * A rename names the old type; its new name ("struct x" in new)
	 * is what the range's ends see added (4.7's xsplice, renamed
	 * livepatch in the same cycle).
	 */
	if (part->kind == XENABI_TYPE_RENAMED && part->new &&
	    (to = strrchr(part->new, ' ')) && strlen(to + 1) == b &&
	    !strncmp(to + 1, f->symbol, b))
		return true;
	return !strcmp(part->symbol, f->symbol) ||
	       (a == b && !strncmp(part->symbol, f->symbol, a));
}

int xenabi_diff_unexplained(struct xenabi_ctx *ctx,
			    const struct xenabi_diff *whole,
			    struct xenabi_diff *const *parts, size_t n,
			    struct xenabi_diff **out)
{
	struct xenabi_diff *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d || !(d->arena = xa_arena_new())) {
		free(d);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	d->old_name = whole->old_name;
	d->new_name = whole->new_name;
	d->abis = whole->abis;
	if (whole->nfindings &&
	    !(d->findings = xa_arena_alloc(d->arena, whole->nfindings *
							     sizeof(*d->findings)))) {
		xenabi_diff_free(d);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < whole->nfindings; k++) {
		const struct xenabi_finding *f = &whole->findings[k];
		/* It sums up breaks that are checked each on its own. */
		bool found = f->kind == XENABI_INTERFACE_VERSION_UNCHANGED;

		for (size_t i = 0; i < n && !found; i++)
			for (size_t j = 0; parts[i] && j < parts[i]->nfindings &&
					   !found; j++)
				found = explains(&parts[i]->findings[j], f);
		if (!found)
			d->findings[d->nfindings++] = *f;
	}
	*out = d;
	return 0;
}

int xenabi_diff_append(struct xenabi_ctx *ctx, struct xenabi_diff *dst,
		       const struct xenabi_diff *src, const char *note)
{
	struct xenabi_finding *all;
	size_t n = dst->nfindings + src->nfindings, first = dst->nfindings;

	if (!src->nfindings)
		return 0;
	if (!(all = xa_arena_alloc(dst->arena, n * sizeof(*all))))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if (dst->nfindings)
		memcpy(all, dst->findings, dst->nfindings * sizeof(*all));
	memcpy(all + first, src->findings, src->nfindings * sizeof(*all));
	dst->findings = all;
	dst->nfindings = n;
	dst->abis |= src->abis;
	for (size_t i = first; i < n; i++) {
		struct xenabi_finding *f = &all[i];
		char *detail = NULL;

		if (note && asprintf(&detail, "%s%s%s", f->detail,
				     *f->detail ? "; " : "", note) < 0)
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		if (detail) {
			f->detail = xa_arena_strdup(dst->arena, detail);
			free(detail);
			if (!f->detail)
				return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		}
	}
	if (own_strings(dst))
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	qsort(dst->findings, dst->nfindings, sizeof(*dst->findings), finding_cmp);
	return 0;
}

bool xenabi_change_is_hypercall(enum xenabi_change_kind kind)
{
	return kind == XENABI_HYPERCALL_REMOVED ||
	       kind == XENABI_HYPERCALL_ADDED ||
	       kind == XENABI_HYPERCALL_RETURN_NARROWED ||
	       kind == XENABI_HYPERCALL_RETURN_WIDENED ||
	       kind == XENABI_HYPERCALL_ARGUMENT_CHANGED;
}

/* ---- a development cycle: log's commits --------------------------------- */

/*
 * A version of the rules: its value at the walk's base and at its end,
 * per ABI, and the commit that moved it last.
 */
struct cycle_version {
	const char *macro;
	const char *base[XENABI_ABI_COUNT];
	const char *end[XENABI_ABI_COUNT];
	const char *moved_by[XENABI_ABI_COUNT];
};

static struct cycle_version *cycle_version(struct cycle_version *v, size_t n,
					   const char *macro)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].macro, macro))
			return &v[i];
	return NULL;
}

/* The versions at the walk's base and end: the first and last moves. */
static void cycle_versions(struct xenabi_diff *const *parts, size_t n,
			   struct cycle_version *versions, size_t nversions)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; parts[i] && k < parts[i]->nfindings; k++) {
			const struct xenabi_finding *f = &parts[i]->findings[k];
			struct cycle_version *v;

			if (f->kind != XENABI_CONSTANT_CHANGED ||
			    !(v = cycle_version(versions, nversions, f->symbol)))
				continue;
			for (int a = 0; a < XENABI_ABI_COUNT; a++) {
				if (!(f->abis & (1u << a)))
					continue;
				if (!v->base[a])
					v->base[a] = f->old;
				v->end[a] = f->new;
				v->moved_by[a] = parts[i]->new_name;
			}
		}
}

/* The commit from which v differs from the base to the end, on all abis. */
static const char *version_moved(const struct cycle_version *v,
				 unsigned int abis)
{
	const char *by = NULL;

	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		if (!(abis & (1u << a)))
			continue;
		if (!v->base[a] || !v->end[a] || !strcmp(v->base[a], v->end[a]))
			return NULL;
		by = v->moved_by[a];
	}
	return by;
}

/*
 * The strongest finding of against (the base against the commit) about
 * what f is about: its symbol or the type it belongs to.  NULL: none.
 */
static const struct xenabi_finding *
against_base(const struct xenabi_diff *against, const struct xenabi_finding *f)
{
	const struct xenabi_finding *best = NULL;

	for (size_t k = 0; against && k < against->nfindings; k++) {
		const struct xenabi_finding *g = &against->findings[k];

		if (!g->suppressed && explains(g, f) &&
		    (!best || g->severity > best->severity))
			best = g;
	}
	return best;
}

/* The finding of against of f's kind about f's very symbol, or NULL. */
static const struct xenabi_finding *
same_against_base(const struct xenabi_diff *against,
		  const struct xenabi_finding *f)
{
	for (size_t k = 0; against && k < against->nfindings; k++) {
		const struct xenabi_finding *g = &against->findings[k];

		if (!g->suppressed && g->kind == f->kind && (g->abis & f->abis) &&
		    !strcmp(g->symbol, f->symbol))
			return g;
	}
	return NULL;
}

static void cycle_judge(struct xenabi_diff *d, const struct xenabi_diff *against,
			struct cycle_version *versions, size_t nversions,
			const struct xa_rules *rules, const char *base_id,
			bool *oom)
{
	for (size_t k = 0; k < d->nfindings; k++) {
		struct xenabi_finding *f = &d->findings[k];
		const struct xenabi_finding *g;
		const struct xa_rule *guard;
		struct cycle_version *v;
		const char *by;
		int a;

		if (f->suppressed || f->kind == XENABI_INTERFACE_VERSION_UNCHANGED ||
		    f->kind == XENABI_HEADER_FAILED)
			continue;
		/*
		 * What breaks the base's binaries is a break here too, though
		 * against the parent it was not: 4.18's cppc_para, a new arm
		 * of a union that an earlier commit made of old members.
		 */
		if (f->severity < XENABI_SEV_BREAK &&
		    (g = same_against_base(against, f)) &&
		    g->severity == XENABI_SEV_BREAK) {
			f->severity = XENABI_SEV_BREAK;
			f->reason = xa_arena_printf(d->arena,
				"against the walk's base (%.12s) it is a break: %s",
				base_id, g->reason);
			*oom |= !f->reason;
		}
		if (f->severity != XENABI_SEV_BREAK)
			continue;
		if ((guard = xa_rules_match(rules, XA_RULE_VERSIONED, f->file,
					    f->symbol)) &&
		    (v = cycle_version(versions, nversions, guard->macro)) &&
		    (by = version_moved(v, f->abis))) {
			a = ffs((int)f->abis) - 1;
			f->severity = is_removal(f->kind) ? XENABI_SEV_RISK
							  : XENABI_SEV_INFO;
			f->reason = xa_arena_printf(d->arena,
				"%s moves in this development cycle (%s at %.12s, "
				"%s from %.12s to the walk's end): %s, so binaries "
				"built against the base are refused; it moves "
				"once per cycle", v->macro, v->base[a], base_id,
				v->end[a], by, guard->reason);
			*oom |= !f->reason;
			continue;
		}
		g = against_base(against, f);
		if (g && g->severity == XENABI_SEV_BREAK)
			continue;
		f->severity = g ? g->severity : XENABI_SEV_INFO;
		f->reason = g ? xa_arena_printf(d->arena,
					"against the walk's base (%.12s) it is "
					"%s %s: %s", base_id,
					xenabi_severity_name(g->severity),
					xenabi_change_kind_name(g->kind), g->reason)
			      : xa_arena_printf(d->arena,
					"the walk's base (%.12s) has it as this "
					"commit leaves it: binaries built against "
					"the base see no change (an earlier commit "
					"of this cycle made it, this one undoes "
					"or completes it)", base_id);
		*oom |= !f->reason;
	}
	/* A version that lets no break in any more says so. */
	for (size_t k = 0; k < d->nfindings; k++) {
		struct xenabi_finding *f = &d->findings[k];
		size_t left = 0;

		if (f->kind != XENABI_INTERFACE_VERSION_UNCHANGED ||
		    f->severity != XENABI_SEV_BREAK || f->suppressed)
			continue;
		for (size_t j = 0; j < d->nfindings; j++) {
			const struct xenabi_finding *g = &d->findings[j];
			const struct xa_rule *guard;

			left += g->severity == XENABI_SEV_BREAK && !g->suppressed &&
				g->kind != XENABI_INTERFACE_VERSION_UNCHANGED &&
				(guard = xa_rules_match(rules, XA_RULE_VERSIONED,
							g->file, g->symbol)) &&
				!strcmp(guard->macro, f->symbol);
		}
		if (left)
			continue;
		f->severity = XENABI_SEV_INFO;
		f->reason = xa_arena_printf(d->arena, "what it let in breaks "
			"no binary built against %.12s (each change says why)",
			base_id);
		*oom |= !f->reason;
	}
}

int xenabi_diff_within_cycle(struct xenabi_ctx *ctx,
			     struct xenabi_diff *const *parts,
			     struct xenabi_diff *const *against, size_t n,
			     const char *base_id)
{
	struct xa_rules rules = { 0 };
	struct xa_vec versions;
	bool oom = false;
	int ret;

	xa_vec_init(&versions, sizeof(struct cycle_version));
	if ((ret = xa_rules_load(ctx, &rules)))
		return ret;
	for (size_t r = 0; r < rules.n && !oom; r++) {
		struct cycle_version *v;

		if (rules.r[r].kind != XA_RULE_VERSIONED ||
		    cycle_version(versions.data, versions.len, rules.r[r].macro))
			continue;
		if (!(v = xa_vec_push(&versions)))
			oom = true;
		else
			*v = (struct cycle_version){ .macro = rules.r[r].macro };
	}
	if (!oom)
		cycle_versions(parts, n, versions.data, versions.len);
	for (size_t i = 0; i < n && !oom; i++)
		if (parts[i])
			cycle_judge(parts[i], against[i], versions.data,
				    versions.len, &rules, base_id, &oom);
	xa_vec_release(&versions);
	xa_rules_release(&rules);
	return oom ? xa_error(ctx, XENABI_ENOMEM, "out of memory") : 0;
}
