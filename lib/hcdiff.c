/* SPDX-License-Identifier: MIT */
/*
 * hcdiff: findings about the hypercall table.  Between two releases:
 * which hypercalls a kind of guest gained or lost, and whether the
 * width of what a guest passes or receives changed.  In one release:
 * handlers whose result does not reach every guest whole.  Works on
 * records only (struct xenabi_hypercall and the release's type widths).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"

static const struct xenabi_hypercall *find(const struct xenabi_release *rel,
					   const char *name, const char *kind)
{
	struct xenabi_hypercall key = { .name = name, .kind = kind };

	return rel->nhypercalls ? bsearch(&key, rel->hypercalls,
					  rel->nhypercalls, sizeof(key),
					  xa_hypercall_cmp)
				: NULL;
}

/* A hypercall's identity: its number, named by the public hypercall. */
static const char *key_of(const struct xenabi_hypercall *h)
{
	return h->number && *h->number ? h->number : h->name;
}

/* Whether a handler refuses every call ("refuses" rules). */
static bool refuses(const struct xa_rules *rules,
		    const struct xenabi_hypercall *h)
{
	return h && rules && xa_rules_match(rules, XA_RULE_REFUSES, NULL,
					    h->handler);
}

/*
 * The hypercall of that number for a kind of guest, NULL when the table
 * has none or names a handler that refuses every call: no guest makes
 * that hypercall either way.
 */
static const struct xenabi_hypercall *find_key(const struct xenabi_release *rel,
					       const struct xa_rules *rules,
					       const char *key, const char *kind)
{
	const struct xenabi_hypercall *h = find(rel, key, kind);

	if (!h || strcmp(key_of(h), key)) {
		h = NULL;
		for (size_t i = 0; i < rel->nhypercalls && !h; i++)
			if (!strcmp(key_of(&rel->hypercalls[i]), key) &&
			    !strcmp(rel->hypercalls[i].kind, kind))
				h = &rel->hypercalls[i];
	}
	return refuses(rules, h) ? NULL : h;
}

/* Whether rel has a hypercall of that number for any kind of guest. */
static bool find_any_key(const struct xenabi_release *rel, const char *key)
{
	for (size_t i = 0; i < rel->nhypercalls; i++)
		if (!strcmp(key_of(&rel->hypercalls[i]), key))
			return true;
	return false;
}

bool xa_hcall_returns(const struct xenabi_release *rel, enum xenabi_abi abi,
		      const struct xenabi_hypercall *h, struct xa_hcall_ret *r)
{
	unsigned int word = xa_abi_info(abi)->pointer_size;

	memset(r, 0, sizeof(*r));
	if (!xa_ctype_lookup(rel, xa_hypervisor_abi(abi), h->rettype,
			     &r->hv_bytes, &r->is_signed))
		return false;
	r->received = r->hv_bytes < word ? r->hv_bytes : word;
	return true;
}

/* The guest kinds whose guests have abi, as names. */
static size_t abi_kinds(enum xenabi_abi abi, const char **kinds)
{
	size_t n = 0;

	for (int k = 0; k < XA_GUEST_COUNT; k++)
		if (xenabi_guest_kind_abis(xa_guest_kind_name(k)) & 1u << abi)
			kinds[n++] = xa_guest_kind_name(k);
	return n;
}

struct hc_diff {
	struct xa_arena *arena;
	const struct xa_rules *rules;
	const struct xenabi_release *old, *new;
	struct xa_vec *out;
	bool oom;
};

/* One change on one ABI for some of its kinds of guest. */
struct change {
	enum xenabi_change_kind kind;
	enum xenabi_severity severity;
	const char *symbol, *old, *new, *reason, *file;
	unsigned int kinds;	/* bit per enum xa_guest_kind */
};

/* A string in the diff's arena; "" and d->oom set when out of memory. */
#define fmt(d, ...) xa_arena_fmt((d)->arena, &(d)->oom, __VA_ARGS__)

static void note(struct hc_diff *d, struct change *changes, size_t *n,
		 const struct change *c)
{
	for (size_t i = 0; i < *n; i++)
		if (changes[i].kind == c->kind &&
		    !strcmp(changes[i].symbol, c->symbol) &&
		    !strcmp(changes[i].old, c->old) &&
		    !strcmp(changes[i].new, c->new) &&
		    !strcmp(changes[i].reason, c->reason)) {
			changes[i].kinds |= c->kinds;
			return;
		}
	if (*n < 64)
		changes[(*n)++] = *c;
}

static const char *width_words(struct hc_diff *d, const char *type,
			       bool known, uint32_t size, bool is_signed)
{
	if (!known)
		return fmt(d, "%s (not a public type)", type);
	if (strchr(type, '*'))
		return fmt(d, "%s (%u-byte pointer)", type, size);
	return fmt(d, "%s (%u bytes, %s)", type, size,
		   is_signed ? "signed" : "unsigned");
}

static void compare_returns(struct hc_diff *d, enum xenabi_abi abi,
			    const struct xenabi_hypercall *o,
			    const struct xenabi_hypercall *n,
			    struct change *c)
{
	struct xa_hcall_ret ro, rn;

	if (!xa_hcall_returns(d->old, abi, o, &ro) ||
	    !xa_hcall_returns(d->new, abi, n, &rn) ||
	    (ro.hv_bytes == rn.hv_bytes && ro.is_signed == rn.is_signed))
		return;
	c->kind = rn.hv_bytes > ro.hv_bytes ? XENABI_HYPERCALL_RETURN_WIDENED
					    : XENABI_HYPERCALL_RETURN_NARROWED;
	c->severity = XENABI_SEV_RISK;
	c->symbol = n->name;
	c->old = fmt(d, "%s %s: %u bytes, %s", o->handler, o->rettype,
		     ro.hv_bytes, ro.is_signed ? "signed" : "unsigned");
	c->new = fmt(d, "%s %s: %u bytes, %s", n->handler, n->rettype,
		     rn.hv_bytes, rn.is_signed ? "signed" : "unsigned");
	if (ro.hv_bytes == rn.hv_bytes)
		c->reason = rn.is_signed
			? "the same width, now signed: a result with the top "
			  "bit set reads as negative, like an error"
			: "the same width, now unsigned: an error (-errno) "
			  "reads as a large result";
	else if (ro.received != rn.received)
		c->reason = fmt(d, "the guest's register now carries %u bytes of "
				"the result where it carried %u: results above "
				"the narrower width are cut for these callers",
				rn.received, ro.received);
	else
		c->reason = fmt(d, "the guest still receives %u bytes, but "
				"results above the %s's range now arrive %s",
				rn.received, ro.hv_bytes < rn.hv_bytes
					? o->rettype : n->rettype,
				ro.hv_bytes < rn.hv_bytes ? "cut to the register "
					"instead of saturated" : "saturated or cut "
					"by the handler");
}

/*
 * The kind of abi's guests whose handler, in the old release, already
 * read argument i of the hypercall numbered key at width bytes or more,
 * or NULL: the ABI's register was read whole on that path, so its guests
 * set it whole (the hypercall ABI passes registers, not C types).
 */
static const char *read_whole_before(struct hc_diff *d, enum xenabi_abi abi,
				     const char *key, unsigned int kindbit,
				     size_t i, uint32_t width)
{
	const char *kinds[XA_GUEST_COUNT];
	size_t nk = abi_kinds(abi, kinds);

	for (size_t k = 0; k < nk; k++) {
		const struct xenabi_hypercall *h;
		char **t = NULL;
		size_t n = 0;
		uint32_t size;
		bool is_signed, whole;

		if (1u << xa_guest_kind_parse(kinds[k]) == kindbit ||
		    !(h = find_key(d->old, d->rules, key, kinds[k])))
			continue;
		if (xa_hcall_param_types(h->params, &t, &n)) {
			d->oom = true;
			return NULL;
		}
		whole = i < n && !strchr(t[i], '*') &&
			xa_ctype_lookup(d->old, abi, t[i], &size, &is_signed) &&
			size >= width;
		xa_strings_free(t, n);
		if (whole)
			return kinds[k];
	}
	return NULL;
}

/*
 * The arguments as a guest of abi passes them, position by position:
 * what matters is what its registers carry, not how the hypervisor
 * spells the type.
 */
static void compare_params(struct hc_diff *d, enum xenabi_abi abi,
			   const struct xenabi_hypercall *o,
			   const struct xenabi_hypercall *n,
			   unsigned int kindbit, struct change *changes,
			   size_t *nchanges)
{
	char **ot = NULL, **nt = NULL, **names = NULL;
	size_t no = 0, nn = 0;

	if (xa_hcall_param_types(o->params, &ot, &no) ||
	    xa_hcall_param_split(n->params, &nt, &names, &nn)) {
		d->oom = true;
		goto out;
	}
	for (size_t i = 0; i < (no > nn ? no : nn); i++) {
		struct change c = { .kind = XENABI_HYPERCALL_ARGUMENT_CHANGED,
				    .kinds = kindbit, .file = n->file };
		uint32_t os = 0, ns = 0;
		bool osg = false, nsg = false, ok, nk;
		const char *whole;

		/* Named as the new prototype names it: "multicall(nr_calls)". */
		c.symbol = i < nn && *names[i] ? fmt(d, "%s(%s)", n->name, names[i])
					       : fmt(d, "%s#%zu", n->name, i + 1);
		if (i >= no || i >= nn) {
			/*
			 * Guests pass what the public interface says, not
			 * what a handler declares: a handler that starts
			 * reading an argument it ignored misleads only
			 * callers that left it unset.
			 */
			c.severity = XENABI_SEV_RISK;
			c.old = i < no ? fmt(d, "%s", ot[i]) : "none";
			c.new = i < nn ? fmt(d, "%s", nt[i]) : "none";
			c.reason = i >= no
				? "the handler now reads an argument it ignored: "
				  "callers that left that register unset are "
				  "misread"
				: "the handler no longer reads an argument "
				  "callers pass";
			note(d, changes, nchanges, &c);
			continue;
		}
		ok = xa_ctype_lookup(d->old, abi, ot[i], &os, &osg);
		nk = xa_ctype_lookup(d->new, abi, nt[i], &ns, &nsg);
		if (!ok || !nk) {
			if (!strcmp(ot[i], nt[i]))
				continue;
			c.severity = XENABI_SEV_RISK;
			c.old = width_words(d, ot[i], ok, os, osg);
			c.new = width_words(d, nt[i], nk, ns, nsg);
			c.reason = "a type the public headers do not name: "
				   "compare its width by hand";
			note(d, changes, nchanges, &c);
			continue;
		}
		if (os == ns && osg == nsg &&
		    !strchr(ot[i], '*') == !strchr(nt[i], '*'))
			continue;
		c.old = width_words(d, ot[i], true, os, osg);
		c.new = width_words(d, nt[i], true, ns, nsg);
		if (!strchr(ot[i], '*') != !strchr(nt[i], '*')) {
			c.severity = XENABI_SEV_BREAK;
			c.reason = "the handler reads the register as a "
				   "different kind of value than old callers "
				   "pass";
		} else if (ns > os &&
			   (whole = read_whole_before(d, abi, key_of(o), kindbit,
						      i, ns))) {
			c.severity = XENABI_SEV_RISK;
			c.reason = fmt(d, "the handler now reads %u bytes of the "
				       "guest's register where it read %u, as "
				       "the %s handler already did: a guest "
				       "that sets the whole register, as %s "
				       "guests must, is read the same; one "
				       "that left the upper bits unset relied "
				       "on the old cut", ns, os, whole, whole);
		} else if (ns > os) {
			c.severity = XENABI_SEV_BREAK;
			c.reason = fmt(d, "the handler now reads %u bytes of the "
				       "guest's register where old callers set "
				       "only %u: the upper bits they leave "
				       "unset now count", ns, os);
		} else if (ns < os) {
			c.severity = XENABI_SEV_RISK;
			c.reason = fmt(d, "the handler now reads only %u of the "
				       "%u bytes old callers pass: larger values "
				       "are cut", ns, os);
		} else {
			c.severity = XENABI_SEV_RISK;
			c.reason = "the same width, read with the other "
				   "signedness: values with the top bit set "
				   "change meaning";
		}
		note(d, changes, nchanges, &c);
	}
out:
	xa_strings_free(ot, no);
	xa_strings_free(nt, nn);
	xa_strings_free(names, nn);
}

static void emit(struct hc_diff *d, enum xenabi_abi abi,
		 const struct change *c, unsigned int present)
{
	struct xenabi_finding *f = xa_vec_push(d->out);
	const char *kinds = "";

	if (!f) {
		d->oom = true;
		return;
	}
	/* Name the kinds of guest only when not all of the ABI's are hit. */
	if ((c->kinds & present) != present)
		for (int k = 0; k < XA_GUEST_COUNT; k++)
			if (c->kinds & 1u << k)
				kinds = fmt(d, "%s%s%s", kinds, *kinds ? ", " : "",
					    xa_guest_kind_name(k));
	memset(f, 0, sizeof(*f));
	f->kind = c->kind;
	f->severity = c->severity;
	f->abis = 1u << abi;
	f->view = XENABI_VIEW_GUEST;
	f->symbol = c->symbol;
	f->old = c->old;
	f->new = c->new;
	f->detail = *kinds ? fmt(d, "%s guests only", kinds) : "";
	f->reason = c->reason;
	f->file = c->file ? c->file : "";
}

static void diff_abi(struct hc_diff *d, enum xenabi_abi abi)
{
	const struct xenabi_release *rels[2] = { d->old, d->new };
	const char *kinds[XA_GUEST_COUNT];
	size_t nk = abi_kinds(abi, kinds);

	/* Every number either side has, each once. */
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < rels[side]->nhypercalls; i++) {
			const char *name = key_of(&rels[side]->hypercalls[i]);
			struct change changes[64];
			size_t nchanges = 0;
			unsigned int present = 0;

			if (i && !strcmp(name, key_of(&rels[side]->hypercalls[i - 1])))
				continue;
			/* The new side's numbers the old side has were done. */
			if (side && find_any_key(d->old, name))
				continue;
			for (size_t k = 0; k < nk; k++) {
				const struct xenabi_hypercall *o =
					find_key(d->old, d->rules, name, kinds[k]);
				const struct xenabi_hypercall *n =
					find_key(d->new, d->rules, name, kinds[k]);
				unsigned int bit = 1u << xa_guest_kind_parse(kinds[k]);
				struct change c = { .symbol = n ? n->name : o ? o->name : name,
						    .kinds = bit };

				if (o || n)
					present |= bit;
				if (o && !n) {
					c.kind = XENABI_HYPERCALL_REMOVED;
					c.file = o->file;
					c.old = "in the table";
					c.new = "not in the table";
					if (o->optional) {
						c.severity = XENABI_SEV_RISK;
						c.reason = "only builds with an "
							"optional feature (a CONFIG_ "
							"option) had it: its callers "
							"already meet -ENOSYS from "
							"builds without";
					} else {
						c.severity = XENABI_SEV_BREAK;
						c.reason = fmt(d, "a guest that made it "
							"(%s) gets -ENOSYS", o->handler);
					}
					note(d, changes, &nchanges, &c);
				} else if (!o && n) {
					c.kind = XENABI_HYPERCALL_ADDED;
					c.severity = XENABI_SEV_INFO;
					c.file = n->file;
					c.old = "not in the table";
					c.new = "in the table";
					c.reason = "new callers only";
					note(d, changes, &nchanges, &c);
				} else if (o && n) {
					struct change r = { 0 };

					r.kinds = bit;
					r.file = n->file;
					compare_returns(d, abi, o, n, &r);
					if (r.symbol)
						note(d, changes, &nchanges, &r);
					compare_params(d, abi, o, n, bit, changes,
						       &nchanges);
				}
			}
			for (size_t c = 0; c < nchanges; c++)
				emit(d, abi, &changes[c], present);
		}
}

int xa_hcall_diff(struct xa_arena *arena, const struct xa_rules *rules,
		  const struct xenabi_release *old,
		  const struct xenabi_release *new, unsigned int abis,
		  struct xa_vec *out)
{
	struct hc_diff d = { .arena = arena, .rules = rules, .old = old,
			     .new = new, .out = out };

	/* A side without a table (installed headers, an old tree) says nothing. */
	if (!old->nhypercalls || !new->nhypercalls)
		return 0;
	for (int a = 0; a < XENABI_ABI_COUNT && !d.oom; a++)
		if (abis & 1u << a)
			diff_abi(&d, a);
	return d.oom ? -1 : 0;
}

/* ---- lint ------------------------------------------------------------------ */

/*
 * Sub-ops known to return values that need more than 32 bits on a large
 * host, as data: the tree does not say which sub-ops return what.
 * Source: do_memory_op() in xen/common/memory.c, which returns max_page,
 * a domain's page counts and its highest gpfn as the hypercall's result;
 * compat_memory_op() saturates them to INT_MAX for 32-bit x86 guests
 * (4.3 on), and a 32-bit arm guest receives the low 32 bits.
 */
static const struct {
	const char *hypercall;
	const char *subops;
} large_results[] = {
	{ "memory_op", "XENMEM_maximum_ram_page, XENMEM_current_reservation, "
		       "XENMEM_maximum_reservation, XENMEM_maximum_gpfn" },
};

int xa_hcall_lint(struct xa_arena *arena, const struct xa_rules *rules,
		  const struct xenabi_release *rel, struct xa_vec *out)
{
	struct hc_diff d = { .arena = arena, .rules = rules, .old = rel,
			     .new = rel, .out = out };

	for (size_t i = 0; i < rel->nhypercalls && !d.oom; i++) {
		const char *name = rel->hypercalls[i].name;
		const char *wide = NULL, *cut = "";
		uint32_t widest = 0;
		unsigned int abis = 0;
		struct xenabi_finding *f;

		if (i && !strcmp(name, rel->hypercalls[i - 1].name))
			continue;
		/* The widest result any guest's handler gives. */
		for (size_t j = i; j < rel->nhypercalls &&
				   !strcmp(rel->hypercalls[j].name, name); j++)
			for (int a = 0; a < XENABI_ABI_COUNT; a++) {
				struct xa_hcall_ret r;

				if (!refuses(rules, &rel->hypercalls[j]) &&
				    (xenabi_guest_kind_abis(rel->hypercalls[j].kind) &
				     1u << a) &&
				    xa_hcall_returns(rel, a, &rel->hypercalls[j], &r) &&
				    r.hv_bytes > widest) {
					widest = r.hv_bytes;
					wide = fmt(&d, "%s returns %s (%u bytes)",
						   rel->hypercalls[j].handler,
						   rel->hypercalls[j].rettype,
						   r.hv_bytes);
				}
			}
		/* Each kind of guest that receives less of it. */
		for (size_t j = i; j < rel->nhypercalls &&
				   !strcmp(rel->hypercalls[j].name, name); j++) {
			const struct xenabi_hypercall *h = &rel->hypercalls[j];

			for (int a = 0; a < XENABI_ABI_COUNT; a++) {
				struct xa_hcall_ret r;

				if (refuses(rules, h) ||
				    !(xenabi_guest_kind_abis(h->kind) & 1u << a) ||
				    !xa_hcall_returns(rel, a, h, &r) ||
				    r.received >= widest)
					continue;
				abis |= 1u << a;
				if (!strstr(cut, fmt(&d, "%s %s", xenabi_abi_name(a),
						    h->kind)))
					cut = fmt(&d, "%s%s%s %s: %s %s, %s %u bytes",
						  cut, *cut ? "; " : "",
						  xenabi_abi_name(a), h->kind,
						  h->handler, h->rettype,
						  r.hv_bytes > r.received
							  ? "register keeps"
							  : "receives",
						  r.received);
			}
		}
		if (!abis)
			continue;
		if (!(f = xa_vec_push(out))) {
			d.oom = true;
			break;
		}
		memset(f, 0, sizeof(*f));
		f->kind = XENABI_RETURN_WIDTH_DIFFERS;
		f->severity = XENABI_SEV_INFO;
		f->abis = abis;
		f->view = XENABI_VIEW_GUEST;
		f->symbol = name;
		f->old = wide;
		f->new = cut;
		f->detail = "";
		f->file = rel->hypercalls[i].file;
		f->reason = "results above the narrower width are saturated by "
			    "the handler or cut to the guest's register for "
			    "these callers";
		for (size_t k = 0; k < XA_ARRAY_SIZE(large_results); k++)
			if (!strcmp(large_results[k].hypercall, name)) {
				f->severity = XENABI_SEV_RISK;
				f->reason = fmt(&d, "%s; %s return values that can "
						"exceed 32 bits (known large-result "
						"sub-ops, from do_memory_op())",
						f->reason, large_results[k].subops);
			}
	}
	return d.oom ? -1 : 0;
}

/* ---- availability ------------------------------------------------------------ */

/* A structure reached from a hypercall's typed arguments. */
struct carried {
	const char *type;	/* a type name in the unit */
	const char *hypercall;
};

struct avail {
	const struct xenabi_release *old;
	const struct xa_rules *rules;
	const struct xenabi_unit *unit;
	struct xa_vec carried;	/* struct carried */
	bool oom;
};

/* "const struct foo *" -> "foo"; "union xen_domctl.u" -> "xen_domctl.u". */
static void base_name(const char *spelled, char *out, size_t len)
{
	static const char *const words[] = { "const ", "volatile ", "struct ",
					     "union ", "enum " };
	size_t n;
	bool again = true;

	while (again) {
		again = false;
		for (size_t i = 0; i < XA_ARRAY_SIZE(words); i++)
			if (!strncmp(spelled, words[i], strlen(words[i]))) {
				spelled += strlen(words[i]);
				again = true;
			}
	}
	n = strcspn(spelled, " *[");
	snprintf(out, len, "%.*s", (int)n, spelled);
}

/* The struct or union a name stands for, through typedefs. */
static const struct xenabi_type *aggregate(const struct xenabi_unit *u,
					   const char *name)
{
	char buf[256];

	for (int depth = 0; depth < 8; depth++) {
		const struct xenabi_type *t;

		if ((t = xenabi_unit_find_type(u, XENABI_KIND_STRUCT, name)) ||
		    (t = xenabi_unit_find_type(u, XENABI_KIND_UNION, name)))
			return t;
		t = xenabi_unit_find_type(u, XENABI_KIND_TYPEDEF, name);
		if (!t)
			return NULL;
		base_name(t->target, buf, sizeof(buf));
		name = buf;
		if (!strcmp(name, t->name))
			return NULL;
	}
	return NULL;
}

/* The struct or union a member holds or points to, or NULL. */
static const struct xenabi_type *member_aggregate(const struct xenabi_unit *u,
						  const struct xenabi_member *m)
{
	char name[256];

	if (m->base_class != XENABI_BASE_STRUCT &&
	    m->base_class != XENABI_BASE_POINTER)
		return NULL;
	base_name(m->type, name, sizeof(name));
	return aggregate(u, name);
}

static bool is_carried(const struct avail *av, const char *type,
		       const char *hypercall)
{
	const struct carried *c = av->carried.data;

	for (size_t i = 0; i < av->carried.len; i++)
		if (!strcmp(c[i].type, type) &&
		    (!hypercall || !strcmp(c[i].hypercall, hypercall)))
			return true;
	return false;
}

/* t and every structure its members reach, pointers included. */
static void carry(struct avail *av, const struct xenabi_type *t,
		  const char *hypercall, int depth)
{
	struct carried *c;

	if (!t || depth > 16 || is_carried(av, t->name, hypercall))
		return;
	if (!(c = xa_vec_push(&av->carried))) {
		av->oom = true;
		return;
	}
	c->type = t->name;
	c->hypercall = hypercall;
	for (size_t i = 0; i < t->nmembers; i++)
		carry(av, member_aggregate(av->unit, &t->members[i]), hypercall,
		      depth + 1);
}

static bool reaches(const struct xenabi_unit *u, const struct xenabi_type *t,
		    const char *target, int depth)
{
	if (!t || depth > 16)
		return false;
	if (!strcmp(t->name, target))
		return true;
	for (size_t i = 0; i < t->nmembers; i++)
		if (reaches(u, member_aggregate(u, &t->members[i]), target,
			    depth + 1))
			return true;
	return false;
}

bool xa_type_reaches(const struct xenabi_unit *u, const char *type,
		     const char *target)
{
	char name[256];

	base_name(type, name, sizeof(name));
	return reaches(u, aggregate(u, name), target, 0);
}

/* What the old release's typed prototypes carry on the unit's ABI. */
static void derive_carried(struct avail *av)
{
	for (size_t i = 0; i < av->old->nhypercalls && !av->oom; i++) {
		const struct xenabi_hypercall *h = &av->old->hypercalls[i];
		char **types = NULL, name[256];
		size_t n = 0;

		if (xa_hcall_param_types(h->params, &types, &n)) {
			av->oom = true;
			break;
		}
		for (size_t k = 0; k < n; k++)
			if (strchr(types[k], '*')) {
				base_name(types[k], name, sizeof(name));
				carry(av, aggregate(av->unit, name), h->name, 0);
			}
		xa_strings_free(types, n);
	}
}

/* Whether a guest of abi could make hypercall at the old release. */
static bool callable(const struct avail *av, enum xenabi_abi abi,
		     const char *hypercall, const char **why)
{
	if (av->old->nhypercalls) {
		for (int k = 0; k < XA_GUEST_COUNT; k++)
			if ((xenabi_guest_kind_abis(xa_guest_kind_name(k)) &
			     1u << abi) &&
			    find_key(av->old, av->rules, hypercall,
				     xa_guest_kind_name(k)))
				return true;
		*why = "not in its hypercall table";
		return false;
	}
	if (!xa_release_names_version(av->old->name))
		return true;
	for (size_t i = 0; i < av->rules->n; i++) {
		const struct xa_rule *r = &av->rules->r[i];

		if (r->kind != XA_RULE_SINCE || strcmp(r->glob, hypercall))
			continue;
		if (xa_list_has(r->abis, xenabi_abi_name(abi)) &&
		    xenabi_release_name_cmp(av->old->name, r->macro) < 0) {
			*why = r->reason;
			return false;
		}
	}
	return true;
}

int xa_hcall_availability(struct xa_arena *arena, const struct xa_rules *rules,
			  const struct xenabi_release *old, struct xa_vec *findings)
{
	struct avail av = { .old = old, .rules = rules };
	struct hc_diff d = { .arena = arena };
	int built = -1;

	xa_vec_init(&av.carried, sizeof(struct carried));
	for (size_t i = 0; i < findings->len && !av.oom && !d.oom; i++) {
		struct xenabi_finding *f = (struct xenabi_finding *)findings->data + i;
		const char *hcs[8], *why = NULL, *blocked = "";
		size_t nhcs = 0;
		char root[256];
		int abi = __builtin_ctz(f->abis);
		bool any = true;

		if (f->severity == XENABI_SEV_INFO || f->kind > XENABI_BITFIELD_CHANGED ||
		    !f->abis || (f->abis & (f->abis - 1)))
			continue;
		if (built != abi) {
			av.carried.len = 0;
			av.unit = &old->units[XENABI_UNIT(abi, XENABI_VIEW_TOOLS)];
			derive_carried(&av);
			built = abi;
		}
		snprintf(root, sizeof(root), "%.*s", (int)strcspn(f->symbol, "."),
			 f->symbol);
		/* The hypercalls that carry it: derived, then the rules'. */
		for (size_t k = 0; k < av.carried.len && nhcs < 8; k++) {
			const struct carried *c = (struct carried *)av.carried.data + k;
			bool seen = false;

			if (strcmp(c->type, root))
				continue;
			for (size_t j = 0; j < nhcs; j++)
				seen |= !strcmp(hcs[j], c->hypercall);
			if (!seen)
				hcs[nhcs++] = c->hypercall;
		}
		for (size_t k = 0; k < rules->n && nhcs < 8; k++) {
			const struct xa_rule *r = &rules->r[k];

			if (r->kind == XA_RULE_CARRIES && f->file &&
			    !strcmp(r->header, f->file) &&
			    !fnmatch(r->glob, root, 0))
				hcs[nhcs++] = r->macro;
		}
		if (!nhcs)
			continue;
		for (size_t j = 0; j < nhcs && any; j++) {
			const char *w = NULL;

			if (callable(&av, abi, hcs[j], &w)) {
				any = false;
				break;
			}
			blocked = fmt(&d, "%s%s%s", blocked, *blocked ? ", " : "",
				      hcs[j]);
			why = w;
		}
		if (!any)
			continue;
		f->severity = XENABI_SEV_INFO;
		f->reason = fmt(&d, "%s reaches Xen only through %s, which "
				"guests of these ABIs could not make at %s (%s): "
				"none of their binaries passes this layout", root,
				blocked, old->name, why);
	}
	xa_vec_release(&av.carried);
	return av.oom || d.oom ? -1 : 0;
}
