/* SPDX-License-Identifier: MIT */
/*
 * lint: findings about one release on its own, on records only: padding
 * the compiler inserts, arm32/arm64 layouts that part ways and x86 ones
 * the compat layer holds alike, and sibling structs that disagree on a
 * member's width.
 */
#include <stdlib.h>
#include <string.h>

#include "xa.h"

struct linter {
	struct xa_arena *arena;
	struct xa_vec *findings;	/* struct xenabi_finding, per unit */
	bool oom;
};

static void add(struct linter *l, enum xenabi_change_kind kind,
		enum xenabi_severity sev, unsigned int abis,
		enum xenabi_view view, const char *symbol, const char *old,
		const char *new, const struct xenabi_type *where)
{
	struct xenabi_finding *f = xa_vec_push(l->findings);

	if (!f) {
		l->oom = true;
		return;
	}
	f->kind = kind;
	f->severity = sev;
	f->abis = abis;
	f->view = view;
	f->symbol = symbol;
	f->old = old;
	f->new = new;
	f->detail = "";
	f->file = where->file ? where->file : "";
	f->line = where->line;
}

/*
 * Xen's rule is explicit padding: a hole the compiler fills in differs
 * between ABIs and leaks what was in memory.  Each hole and each tail is
 * a finding; the same hole on several ABIs collapses into one.
 */
static void implicit_padding(struct linter *l, const struct xenabi_unit *u)
{
	for (size_t i = 0; i < u->ntypes; i++) {
		const struct xenabi_type *t = &u->types[i];
		uint64_t end = 0;
		const char *after = NULL;

		if (t->kind != XENABI_KIND_STRUCT || !t->nmembers ||
		    !strncmp(t->name, "__guest_handle_", 15))
			continue;
		for (size_t k = 0; k < t->nmembers; k++) {
			const struct xenabi_member *m = &t->members[k];

			if (m->offset > end && after)
				add(l, XENABI_IMPLICIT_PADDING, XENABI_SEV_RISK,
				    1u << u->abi, u->view, t->name, "",
				    xa_arena_fmt(l->arena, &l->oom, "%llu-byte hole after %s, at offset %llu",
					 (unsigned long long)(m->offset - end),
					 after, (unsigned long long)end), t);
			if (xa_member_end(m) > end)
				end = xa_member_end(m);
			after = *m->name ? m->name : "an unnamed member";
		}
		if (t->size > end)
			add(l, XENABI_IMPLICIT_PADDING, XENABI_SEV_RISK,
			    1u << u->abi, u->view, t->name, "",
			    xa_arena_fmt(l->arena, &l->oom, "%llu bytes of tail padding, at offset %llu",
				 (unsigned long long)(t->size - end),
				 (unsigned long long)end), t);
	}
}

/*
 * The same size and every member at the same place with the same size,
 * but for a pointer in a union: that is the guest handle's pattern, a
 * pointer beside the 64-bit q that carries it on both.
 */
static bool same_layout(const struct xenabi_type *a, const struct xenabi_type *b)
{
	if (a->size != b->size || a->nmembers != b->nmembers)
		return false;
	for (size_t k = 0; k < a->nmembers; k++) {
		const struct xenabi_member *x = &a->members[k], *y = &b->members[k];
		bool sized = a->kind != XENABI_KIND_UNION ||
			     x->base_class != XENABI_BASE_POINTER;

		if (x->offset != y->offset || x->bit_offset != y->bit_offset ||
		    x->bit_size != y->bit_size || strcmp(x->name, y->name) ||
		    (sized && x->size != y->size))
			return false;
	}
	return true;
}

/* "arm32: 88 bytes" */
static const char *describe_layout(struct linter *l, const char *abi,
				   const struct xenabi_type *t)
{
	return xa_arena_fmt(l->arena, &l->oom, "%s: %llu bytes", abi, (unsigned long long)t->size);
}

/*
 * DEFINE_RING_TYPES' front and back ring structs are one side's own
 * bookkeeping, with pointers, never shared: word-sized by design.
 */
static bool private_ring(const char *name)
{
	size_t n = strlen(name);

	return (n > 11 && !strcmp(name + n - 11, "_front_ring")) ||
	       (n > 10 && !strcmp(name + n - 10, "_back_ring"));
}

/* Xen's Arm ABI is one ABI: an arm32 guest runs on arm64 Xen unchanged. */
static void arm_divergence(struct linter *l, const struct xenabi_unit *a32,
			   const struct xenabi_unit *a64)
{
	for (size_t i = 0; i < a32->ntypes; i++) {
		const struct xenabi_type *t = &a32->types[i];
		const struct xenabi_type *t64;

		/*
		 * __guest_handle_X (not _64_) carries a hypercall argument in
		 * a register, which is meant to follow the word size.
		 */
		if ((t->kind != XENABI_KIND_STRUCT && t->kind != XENABI_KIND_UNION) ||
		    (!strncmp(t->name, "__guest_handle_", 15) &&
		     strncmp(t->name, "__guest_handle_64_", 18)) ||
		    private_ring(t->name) ||
		    !(t64 = xenabi_unit_find_type(a64, t->kind, t->name)) ||
		    same_layout(t, t64))
			continue;
		add(l, XENABI_ABI_DIVERGENCE, XENABI_SEV_BREAK,
		    (1u << XENABI_ABI_ARM32) | (1u << XENABI_ABI_ARM64), a32->view,
		    t->name, describe_layout(l, "arm32", t),
		    describe_layout(l, "arm64", t64), t64);
	}
}

/* A struct or union of the unit called name, or xen_name as xlat.lst has it. */
const struct xenabi_type *xa_compat_type(const struct xenabi_unit *u,
					 const char *name)
{
	static const enum xenabi_type_kind kinds[] = { XENABI_KIND_STRUCT,
						       XENABI_KIND_UNION };
	char prefixed[256];

	snprintf(prefixed, sizeof(prefixed), "xen_%s", name);
	for (size_t k = 0; k < XA_ARRAY_SIZE(kinds); k++) {
		const struct xenabi_type *t = xenabi_unit_find_type(u, kinds[k], name);

		if (t || (t = xenabi_unit_find_type(u, kinds[k], prefixed)))
			return t;
	}
	return NULL;
}

/*
 * How x86_32's layout a of a compat-checked struct differs from x86_64's
 * b, by the CHECK_ macros' measure: size, and each field's offset and
 * size, _pad fields aside (never alignment).  Appended to why; nothing
 * appended when they agree.
 */
void xa_compat_divergence(const struct xenabi_type *a,
			  const struct xenabi_type *b, struct xa_buf *why)
{
	if (a->size != b->size)
		xa_buf_printf(why, "size %llu vs %llu",
			      (unsigned long long)a->size,
			      (unsigned long long)b->size);
	for (size_t k = 0; k < a->nmembers; k++) {
		const struct xenabi_member *ma = &a->members[k], *mb = NULL;

		if (!strncmp(ma->name, "_pad", 4) || !*ma->name)
			continue;
		for (size_t n = 0; n < b->nmembers && !mb; n++)
			if (!strcmp(b->members[n].name, ma->name))
				mb = &b->members[n];
		if (!mb)
			xa_buf_printf(why, "%s%s only on x86_32",
				      why->len ? "; " : "", ma->name);
		else if (ma->offset != mb->offset || ma->size != mb->size ||
			 ma->bit_offset != mb->bit_offset ||
			 ma->bit_size != mb->bit_size)
			xa_buf_printf(why, "%s%s at %llu, %llu bytes vs at "
				      "%llu, %llu bytes", why->len ? "; " : "",
				      ma->name,
				      (unsigned long long)ma->offset,
				      (unsigned long long)ma->size,
				      (unsigned long long)mb->offset,
				      (unsigned long long)mb->size);
	}
}

/*
 * The compat layer re-uses the structs of xlat.lst's "?" lines for 32-bit
 * x86 guests as they are, and Xen's CHECK_ macros hold it to their size
 * and each field's offset and size, _pad fields aside (never to their
 * alignment).  A 32-bit guest lays them out as i386 does: where that
 * differs from x86_64, the guest and Xen disagree.
 */
static void x86_divergence(struct linter *l, const struct xenabi_release *rel,
			   enum xenabi_view view)
{
	const struct xenabi_unit *u32 = &rel->units[XENABI_UNIT(XENABI_ABI_X86_32, view)];
	const struct xenabi_unit *u64 = &rel->units[XENABI_UNIT(XENABI_ABI_X86_64, view)];

	for (size_t i = 0; i < rel->ncompat; i++) {
		const struct xenabi_type *a = xa_compat_type(u32, rel->compat[i].name);
		const struct xenabi_type *b = xa_compat_type(u64, rel->compat[i].name);
		struct xa_buf why;
		struct xenabi_finding *f;

		if (!a || !b)
			continue;
		xa_buf_init(&why);
		xa_compat_divergence(a, b, &why);
		if (why.len) {
			add(l, XENABI_ABI_DIVERGENCE, XENABI_SEV_BREAK,
			    (1u << XENABI_ABI_X86_32) | (1u << XENABI_ABI_X86_64),
			    view, a->name, describe_layout(l, "x86_32", a),
			    describe_layout(l, "x86_64", b), b);
			f = l->oom ? NULL
				   : (struct xenabi_finding *)l->findings->data +
					     l->findings->len - 1;
			if (f)
				f->detail = xa_arena_fmt(l->arena, &l->oom,
					"declared alike for 32-bit guests by "
					"xen/include/xlat.lst; %s", why.s);
		}
		if (why.oom)
			l->oom = true;
		xa_buf_release(&why);
	}
}

/*
 * "space" is unsigned int in xen_add_to_physmap and uint16_t in
 * xen_add_to_physmap_batch: a value that fits one truncates in the other
 * (Xen 4.4).  Siblings are a struct and the structs of the same header
 * named after it with a suffix; generic names (pad, flags) in unrelated
 * structs are not compared.
 */
/* Padding and reserved fields are sized to fit, not meant to agree. */
static bool filler(const char *name)
{
	while (*name == '_')
		name++;
	return !strncmp(name, "pad", 3) || !strncmp(name, "rsvd", 4) ||
	       !strncmp(name, "reserved", 8);
}

static void sibling_widths(struct linter *l, const struct xenabi_unit *u)
{
	for (size_t i = 0; i < u->ntypes; i++) {
		const struct xenabi_type *a = &u->types[i];
		size_t alen = strlen(a->name);

		if (a->kind != XENABI_KIND_STRUCT || strchr(a->name, '.'))
			continue;
		for (size_t j = 0; j < u->ntypes; j++) {
			const struct xenabi_type *b = &u->types[j];

			if (b->kind != XENABI_KIND_STRUCT || b == a ||
			    strncmp(b->name, a->name, alen) || b->name[alen] != '_' ||
			    strchr(b->name, '.') || strcmp(a->file, b->file))
				continue;
			for (size_t k = 0; k < a->nmembers; k++) {
				const struct xenabi_member *ma = &a->members[k];

				for (size_t n = 0; n < b->nmembers; n++) {
					const struct xenabi_member *mb = &b->members[n];

					if (!*ma->name || filler(ma->name) ||
					    strcmp(ma->name, mb->name) ||
					    ma->base_class != XENABI_BASE_INT ||
					    mb->base_class != XENABI_BASE_INT ||
					    ma->bits == mb->bits)
						continue;
					add(l, XENABI_SIBLING_WIDTH_MISMATCH,
					    XENABI_SEV_RISK, 1u << u->abi, u->view,
					    xa_arena_fmt(l->arena, &l->oom, "%s.%s", b->name, mb->name),
					    xa_arena_fmt(l->arena, &l->oom, "%s.%s: %s (%u bits)", a->name,
						 ma->name, ma->type, ma->bits),
					    xa_arena_fmt(l->arena, &l->oom, "%s.%s: %s (%u bits)", b->name,
						 mb->name, mb->type, mb->bits), b);
				}
			}
		}
	}
}

struct subop_ctx {
	struct linter *l;
	const struct xenabi_unit *u;
};

static void subop_found(void *data, const struct xa_encoding *e,
			const struct xenabi_const *c, uint64_t mask,
			const char *macro)
{
	struct subop_ctx *sc = data;
	struct xenabi_type where = { .file = c->file, .line = c->line };

	add(sc->l, XENABI_SUBOP_EXCEEDS_MASK, XENABI_SEV_BREAK,
	    1u << sc->u->abi, sc->u->view, c->name, "",
	    xa_arena_fmt(sc->l->arena, &sc->l->oom, "%s = %llu does not fit %s's op bits (%s = 0x%llx)",
		 c->name, (unsigned long long)c->value, e->hypercall, macro,
		 (unsigned long long)mask), &where);
}

int xenabi_lint_release(struct xenabi_ctx *ctx,
			const struct xenabi_release *rel,
			struct xenabi_diff **out)
{
	struct xenabi_diff *d = calloc(1, sizeof(*d));
	struct xa_vec raw, findings;
	struct linter l = { .findings = &raw };
	struct xa_encoding *enc = NULL;
	struct xa_rules rules = { 0 };
	size_t nenc = 0;
	int ret;

	*out = NULL;
	if ((ret = xa_encodings_load(ctx, &enc, &nenc))) {
		free(d);
		return ret;
	}
	xa_vec_init(&raw, sizeof(struct xenabi_finding));
	xa_vec_init(&findings, sizeof(struct xenabi_finding));
	if (!d || !(d->arena = xa_arena_new())) {
		free(d);
		xa_encodings_free(enc, nenc);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	l.arena = d->arena;
	d->lint = true;
	d->old_name = d->new_name = xa_arena_strdup(d->arena, rel->name);
	/*
	 * The tools and guest views only: the findings' order and folding
	 * (xa_findings_collapse, xa_findings_sort) know no third view yet.
	 */
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		if (!rel->present[u] || xenabi_unit_view(u) == XENABI_VIEW_LATEST)
			continue;
		d->abis |= 1u << xenabi_unit_abi(u);
		struct subop_ctx sc = { &l, &rel->units[u] };

		implicit_padding(&l, &rel->units[u]);
		sibling_widths(&l, &rel->units[u]);
		xa_subops_exceeding(&rel->units[u], enc, nenc, subop_found, &sc);
	}
	for (int v = 0; v < XENABI_VIEW_LATEST; v++) {
		int u32 = XENABI_UNIT(XENABI_ABI_ARM32, v);
		int u64 = XENABI_UNIT(XENABI_ABI_ARM64, v);

		if (rel->present[u32] && rel->present[u64])
			arm_divergence(&l, &rel->units[u32], &rel->units[u64]);
		if (rel->present[XENABI_UNIT(XENABI_ABI_X86_32, v)] &&
		    rel->present[XENABI_UNIT(XENABI_ABI_X86_64, v)])
			x86_divergence(&l, rel, v);
	}
	xa_encodings_free(enc, nenc);
	if (!l.oom && (ret = xa_rules_load(ctx, &rules))) {
		xa_vec_release(&raw);
		xa_vec_release(&findings);
		xenabi_diff_free(d);
		return ret;
	}
	if (!l.oom && xa_hcall_lint(d->arena, &rules, rel, &raw))
		l.oom = true;
	xa_rules_release(&rules);
	if (l.oom || xa_findings_collapse(&raw, &findings)) {
		xa_vec_release(&raw);
		xa_vec_release(&findings);
		xenabi_diff_free(d);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	xa_findings_sort(&findings);
	d->findings = xa_vec_finish(&findings, d->arena, &d->nfindings);
	xa_vec_release(&raw);
	*out = d;
	return 0;
}
