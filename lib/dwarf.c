/* SPDX-License-Identifier: MIT */
/*
 * dwarf: reading a probe object with libdw into plain records (types,
 * members, enumerators, macros).  The only file that includes elfutils
 * headers; knows nothing of sqlite or of the compiler.  Every string is
 * copied out before the Dwarf handle is closed.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <pthread.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"

/*
 * A probe is an unlinked object.  Its .debug_info refers to .debug_str
 * through relocations whose addends live in .rela sections on x86_64 and
 * aarch64, so libdw alone reads wrong names there; libdwfl's offline mode
 * applies the relocations first.
 */
static pthread_once_t libelf_once = PTHREAD_ONCE_INIT;

static void libelf_init(void)
{
	elf_version(EV_CURRENT);
}

/*
 * libelf's version is one global that elf_version() writes: set once,
 * before a scan's threads start, not by each of them.
 */
void xa_dwarf_init(void)
{
	pthread_once(&libelf_once, libelf_init);
}

static int no_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			Dwarf_Addr base, const char *file_name,
			const char *debuglink_file, GElf_Word debuglink_crc,
			char **debuginfo_file_name)
{
	(void)mod, (void)userdata, (void)modname, (void)base, (void)file_name;
	(void)debuglink_file, (void)debuglink_crc, (void)debuginfo_file_name;
	return -1;
}

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = no_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static int open_dwarf(struct xenabi_ctx *ctx, const char *path, Dwfl **dwflp,
		      Dwarf **dwp, Dwarf_Die *cudie)
{
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwfl *dwfl = dwfl_begin(&offline_callbacks);
	Dwarf *dw;

	if (!dwfl)
		return xa_error(ctx, XENABI_EDWARF, "cannot start libdwfl: %s",
				dwfl_errmsg(-1));
	mod = dwfl_report_offline(dwfl, "probe", path, -1);
	if (!mod || dwfl_report_end(dwfl, NULL, NULL)) {
		int ret = xa_error(ctx, XENABI_EDWARF, "cannot read '%s': %s",
				   path, dwfl_errmsg(-1));

		dwfl_end(dwfl);
		return ret;
	}
	dw = dwfl_module_getdwarf(mod, &bias);
	if (!dw || dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) ||
	    !dwarf_offdie(dw, off + hsize, cudie)) {
		int ret = xa_error(ctx, XENABI_EDWARF,
				   "no debug information in '%s': %s", path,
				   dwfl_errmsg(-1));

		dwfl_end(dwfl);
		return ret;
	}
	*dwflp = dwfl;
	*dwp = dw;
	return 0;
}

/* ---- a small map from DIE offsets to names ------------------------------ */

struct offmap {
	Dwarf_Off *keys;
	const char **vals;
	size_t cap;
	size_t len;
};

static size_t offmap_slot(const struct offmap *m, Dwarf_Off key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (m->cap - 1);

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static const char *offmap_get(const struct offmap *m, Dwarf_Off key)
{
	return m->cap ? m->vals[offmap_slot(m, key)] : NULL;
}

/* DIE offsets are never 0 (the CU header is there), so 0 marks empty. */
static int offmap_put(struct offmap *m, Dwarf_Off key, const char *val)
{
	size_t i;

	if ((m->len + 1) * 2 > m->cap) {
		struct offmap n = { .cap = m->cap ? m->cap * 2 : 256 };

		n.keys = calloc(n.cap, sizeof(*n.keys));
		n.vals = calloc(n.cap, sizeof(*n.vals));
		if (!n.keys || !n.vals) {
			free(n.keys);
			free(n.vals);
			return -1;
		}
		for (size_t j = 0; j < m->cap; j++) {
			if (!m->keys[j])
				continue;
			i = offmap_slot(&n, m->keys[j]);
			n.keys[i] = m->keys[j];
			n.vals[i] = m->vals[j];
			n.len++;
		}
		free(m->keys);
		free(m->vals);
		*m = n;
	}
	i = offmap_slot(m, key);
	if (!m->keys[i])
		m->len++;
	m->keys[i] = key;
	m->vals[i] = val;
	return 0;
}

static void offmap_release(struct offmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- types -------------------------------------------------------------- */

struct file_rel {
	const char *raw;	/* libdw's string, only compared as a pointer */
	const char *rel;	/* arena copy, NULL when outside the public dir */
};

struct reader {
	struct xenabi_ctx *ctx;
	struct xa_arena *arena;
	const struct xa_abi_info *abi;
	const char *public_dir;
	size_t plen;
	struct xa_vec *types;
	struct xa_vec *consts;
	struct offmap anon;	/* anonymous aggregate -> its name */
	struct offmap done;	/* aggregates already recorded */
	struct xa_vec files;	/* struct file_rel */
	const char *comp_dir;
	bool oom;
};

/*
 * clang records paths under the compilation directory relative to it,
 * so a file is absolute only once joined to DW_AT_comp_dir.
 */
static char *absolute_path(const char *comp_dir, const char *path)
{
	char *out;

	if (path[0] == '/' || !comp_dir || !*comp_dir)
		out = strdup(path);
	else if (asprintf(&out, "%s/%s", comp_dir, path) < 0)
		out = NULL;
	if (out)
		xa_path_normalise(out);
	return out;
}

static const char *comp_dir_of(Dwarf_Die *cu)
{
	Dwarf_Attribute attr;

	return dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr));
}

static const char *reader_strdup(struct reader *r, const char *s)
{
	char *p = xa_arena_strdup(r->arena, s ? s : "");

	if (!p)
		r->oom = true;
	return p ? p : "";
}

/* The declaring file relative to the public dir; NULL when outside it. */
static const char *decl_file(struct reader *r, Dwarf_Die *die)
{
	const char *raw = dwarf_decl_file(die);
	struct file_rel *fr;
	char *norm;

	if (!raw)
		return NULL;
	for (size_t i = 0; i < r->files.len; i++) {
		fr = (struct file_rel *)r->files.data + i;
		if (fr->raw == raw)
			return fr->rel;
	}
	fr = xa_vec_push(&r->files);
	norm = absolute_path(r->comp_dir, raw);
	if (!fr || !norm) {
		free(norm);
		r->oom = true;
		return NULL;
	}
	fr->raw = raw;
	fr->rel = NULL;
	if (!strncmp(norm, r->public_dir, r->plen) && norm[r->plen] == '/')
		fr->rel = reader_strdup(r, norm + r->plen + 1);
	free(norm);
	return fr->rel;
}

static uint32_t decl_line(Dwarf_Die *die)
{
	int line = 0;

	dwarf_decl_line(die, &line);
	return line > 0 ? line : 0;
}

static bool attr_udata(Dwarf_Die *die, unsigned int name, Dwarf_Word *val)
{
	Dwarf_Attribute attr;

	return dwarf_attr(die, name, &attr) && !dwarf_formudata(&attr, val);
}

/*
 * A member's offset: a constant since DWARF 3, before that a location
 * expression "DW_OP_plus_uconst N" (gcc and clang -gdwarf-2 still say so).
 */
static bool member_location(Dwarf_Die *die, Dwarf_Word *val)
{
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t nops;

	if (!dwarf_attr(die, DW_AT_data_member_location, &attr))
		return false;
	if (!dwarf_formudata(&attr, val))
		return true;
	if (dwarf_getlocation(&attr, &ops, &nops) == 0 && nops == 1 &&
	    ops[0].atom == DW_OP_plus_uconst) {
		*val = ops[0].number;
		return true;
	}
	return false;
}

static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute attr;

	return dwarf_attr(die, DW_AT_type, &attr) &&
	       dwarf_formref_die(&attr, out);
}

static bool is_aggregate(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
	       tag == DW_TAG_enumeration_type;
}

static const char *tag_keyword(int tag)
{
	switch (tag) {
	case DW_TAG_structure_type:
		return "struct";
	case DW_TAG_union_type:
		return "union";
	default:
		return "enum";
	}
}

static uint64_t type_size(struct reader *r, Dwarf_Die *die)
{
	Dwarf_Word size;

	if (dwarf_tag(die) == DW_TAG_pointer_type &&
	    !attr_udata(die, DW_AT_byte_size, &size))
		return r->abi->pointer_size;
	return dwarf_aggregate_size(die, &size) ? 0 : size;
}

/* Array dimensions as "[2][16]"; *elem is the element type. */
static void array_dims(Dwarf_Die *array, struct xa_buf *dims, Dwarf_Die *elem)
{
	Dwarf_Die sub;

	if (dwarf_child(array, &sub) == 0) {
		do {
			Dwarf_Word n;
			Dwarf_Attribute attr;
			Dwarf_Sword ub;

			if (dwarf_tag(&sub) != DW_TAG_subrange_type)
				continue;
			if (attr_udata(&sub, DW_AT_count, &n))
				xa_buf_printf(dims, "[%llu]", (unsigned long long)n);
			else if (dwarf_attr(&sub, DW_AT_upper_bound, &attr) &&
				 !dwarf_formsdata(&attr, &ub) && ub >= 0)
				xa_buf_printf(dims, "[%lld]", (long long)ub + 1);
			else
				xa_buf_puts(dims, "[]");
		} while (dwarf_siblingof(&sub, &sub) == 0);
	}
	if (!type_of(array, elem))
		memset(elem, 0, sizeof(*elem));
}

static void spell(struct reader *r, Dwarf_Die *die, struct xa_buf *out);

static void spell_function(struct reader *r, Dwarf_Die *fn, const char *inner,
			   struct xa_buf *out)
{
	Dwarf_Die ret, param;
	bool first = true;

	if (type_of(fn, &ret))
		spell(r, &ret, out);
	else
		xa_buf_puts(out, "void");
	xa_buf_printf(out, " (%s)(", inner);
	if (dwarf_child(fn, &param) == 0) {
		do {
			Dwarf_Die t;

			if (dwarf_tag(&param) == DW_TAG_unspecified_parameters) {
				xa_buf_puts(out, first ? "..." : ", ...");
				first = false;
				continue;
			}
			if (dwarf_tag(&param) != DW_TAG_formal_parameter ||
			    !type_of(&param, &t))
				continue;
			if (!first)
				xa_buf_puts(out, ", ");
			spell(r, &t, out);
			first = false;
		} while (dwarf_siblingof(&param, &param) == 0);
	}
	xa_buf_puts(out, first ? "void)" : ")");
}

/* A type as a C programmer would write it; anonymous aggregates by name. */
static void spell(struct reader *r, Dwarf_Die *die, struct xa_buf *out)
{
	int tag = dwarf_tag(die);
	const char *name = dwarf_diename(die);
	Dwarf_Die t;
	struct xa_buf inner;

	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_typedef:
		xa_buf_puts(out, name ? name : "?");
		return;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
		if (!name)
			name = offmap_get(&r->anon, dwarf_dieoffset(die));
		xa_buf_printf(out, "%s %s", tag_keyword(tag),
			      name ? name : "{...}");
		return;
	case DW_TAG_pointer_type:
		if (!type_of(die, &t)) {
			xa_buf_puts(out, "void *");
			return;
		}
		if (dwarf_tag(&t) == DW_TAG_subroutine_type) {
			spell_function(r, &t, "*", out);
			return;
		}
		xa_buf_init(&inner);
		spell(r, &t, &inner);
		if (inner.s)
			xa_buf_puts(out, inner.s);
		xa_buf_puts(out, inner.len && inner.s[inner.len - 1] == '*'
					 ? "*" : " *");
		xa_buf_release(&inner);
		return;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type: {
		const char *q = tag == DW_TAG_const_type ? "const" : "volatile";

		if (!type_of(die, &t)) {
			xa_buf_printf(out, "%s void", q);
		} else if (dwarf_tag(&t) == DW_TAG_pointer_type) {
			spell(r, &t, out);
			xa_buf_printf(out, " %s", q);
		} else {
			xa_buf_printf(out, "%s ", q);
			spell(r, &t, out);
		}
		return;
	}
	case DW_TAG_array_type: {
		struct xa_buf dims;

		xa_buf_init(&dims);
		array_dims(die, &dims, &t);
		if (dwarf_tag(&t) > 0)
			spell(r, &t, out);
		else
			xa_buf_puts(out, "?");
		if (dims.s)
			xa_buf_puts(out, dims.s);
		xa_buf_release(&dims);
		return;
	}
	case DW_TAG_subroutine_type:
		spell_function(r, die, "", out);
		return;
	default:
		xa_buf_puts(out, name ? name : "?");
	}
}

static const char *spell_dup(struct reader *r, Dwarf_Die *die)
{
	struct xa_buf buf;
	const char *s;

	xa_buf_init(&buf);
	if (die)
		spell(r, die, &buf);
	else
		xa_buf_puts(&buf, "void");
	if (buf.oom)
		r->oom = true;
	s = reader_strdup(r, buf.s);
	xa_buf_release(&buf);
	return s;
}

/* Strip typedefs and qualifiers; arrays add to dims and go to the element. */
static void strip(Dwarf_Die *die, struct xa_buf *dims)
{
	for (int depth = 0; depth < 64; depth++) {
		int tag = dwarf_tag(die);
		Dwarf_Die t;

		if (tag == DW_TAG_array_type) {
			array_dims(die, dims, &t);
		} else if (tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
			   tag == DW_TAG_volatile_type ||
			   tag == DW_TAG_restrict_type ||
			   tag == DW_TAG_atomic_type) {
			if (!type_of(die, &t))
				return;
		} else {
			return;
		}
		*die = t;
	}
}

static bool enum_is_signed(Dwarf_Die *en)
{
	Dwarf_Die t, child;
	Dwarf_Word enc;

	if (type_of(en, &t)) {
		strip(&t, &(struct xa_buf){ 0 });
		return attr_udata(&t, DW_AT_encoding, &enc) &&
		       (enc == DW_ATE_signed || enc == DW_ATE_signed_char);
	}
	if (dwarf_child(en, &child) == 0) {
		do {
			Dwarf_Attribute attr;
			Dwarf_Sword v;

			if (dwarf_attr(&child, DW_AT_const_value, &attr) &&
			    dwarf_whatform(&attr) == DW_FORM_sdata &&
			    !dwarf_formsdata(&attr, &v) && v < 0)
				return true;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	return false;
}

static int64_t enumerator_value(Dwarf_Die *en, bool is_signed)
{
	Dwarf_Attribute attr;
	Dwarf_Sword s = 0;
	Dwarf_Word u = 0;
	unsigned int form;

	if (!dwarf_attr(en, DW_AT_const_value, &attr))
		return 0;
	form = dwarf_whatform(&attr);
	/* dwarf_formsdata sign-extends dataN forms: only right for signed. */
	if (form == DW_FORM_sdata || (is_signed && form != DW_FORM_udata)) {
		dwarf_formsdata(&attr, &s);
		return s;
	}
	dwarf_formudata(&attr, &u);
	return (int64_t)u;
}

/* Fill base, base_class, bits, is_signed and dims from a member's type. */
static void resolve_base(struct reader *r, Dwarf_Die *type,
			 struct xenabi_member *m)
{
	struct xa_buf dims;
	Dwarf_Die die = *type;
	Dwarf_Word enc = 0;

	xa_buf_init(&dims);
	strip(&die, &dims);
	m->dims = reader_strdup(r, dims.s);
	xa_buf_release(&dims);
	m->base = spell_dup(r, &die);
	m->bits = type_size(r, &die) * 8;
	switch (dwarf_tag(&die)) {
	case DW_TAG_base_type:
		attr_udata(&die, DW_AT_encoding, &enc);
		m->base_class = enc == DW_ATE_float || enc == DW_ATE_complex_float
					? XENABI_BASE_FLOAT : XENABI_BASE_INT;
		m->is_signed = enc == DW_ATE_signed ||
			       enc == DW_ATE_signed_char ||
			       enc == DW_ATE_float;
		break;
	case DW_TAG_enumeration_type:
		m->base_class = XENABI_BASE_INT;
		m->is_signed = enum_is_signed(&die);
		break;
	case DW_TAG_pointer_type:
		m->base_class = XENABI_BASE_POINTER;
		break;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
		m->base_class = XENABI_BASE_STRUCT;
		break;
	default:
		m->base_class = XENABI_BASE_OTHER;
		break;
	}
}

static uint32_t explicit_align(Dwarf_Die *die)
{
	Dwarf_Word a;

	return attr_udata(die, DW_AT_alignment, &a) ? (uint32_t)a : 0;
}

/*
 * Alignment from the layout, since DWARF 4 records it only where the
 * source asked for it: scalars align to their size up to the ABI's limit
 * (4 on i386, whose long long aligns to 4 in a struct), aggregates to
 * their strictest member.  A member placed off its alignment means the
 * aggregate is packed, which DWARF does not say otherwise.
 */
static uint32_t type_align(struct reader *r, Dwarf_Die *die, int depth)
{
	uint32_t a = explicit_align(die);
	Dwarf_Die t, child;
	uint64_t size;

	if (a || depth > 64)
		return a ? a : 1;
	switch (dwarf_tag(die)) {
	case DW_TAG_typedef:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_array_type:
		return type_of(die, &t) ? type_align(r, &t, depth + 1) : 1;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
		break;
	default:
		size = type_size(r, die);
		a = 1;
		while (a < size && a < r->abi->max_scalar_align)
			a *= 2;
		return a;
	}
	a = 1;
	size = type_size(r, die);
	if (dwarf_child(die, &child) == 0) {
		bool packed = false;

		do {
			Dwarf_Word off = 0;
			uint32_t ma;

			if (dwarf_tag(&child) != DW_TAG_member ||
			    !type_of(&child, &t))
				continue;
			ma = explicit_align(&child);
			if (!ma)
				ma = type_align(r, &t, depth + 1);
			if (!attr_udata(&child, DW_AT_bit_size, &off) &&
			    member_location(&child, &off) &&
			    off % ma)
				packed = true;
			if (ma > a)
				a = ma;
		} while (dwarf_siblingof(&child, &child) == 0);
		if (packed || (size && size % a))
			a = 1;
	}
	return a;
}

static int record_aggregate(struct reader *r, Dwarf_Die *die, const char *name,
			    const char *file);

/* The anonymous aggregate a member's type names, through arrays; or NULL. */
static bool anonymous_aggregate(Dwarf_Die *type, Dwarf_Die *out)
{
	*out = *type;
	for (int depth = 0; depth < 16; depth++) {
		int tag = dwarf_tag(out);

		if (is_aggregate(tag))
			return !dwarf_diename(out);
		if (tag != DW_TAG_array_type && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type)
			return false;
		if (!type_of(out, out))
			return false;
	}
	return false;
}

static void read_member(struct reader *r, Dwarf_Die *die, const char *parent,
			const char *file, unsigned int *unnamed,
			struct xenabi_member *m)
{
	const char *name = dwarf_diename(die);
	Dwarf_Word loc = 0, bit_size = 0, data_bit = 0, storage, old_bit;
	Dwarf_Die type, anon;

	m->name = reader_strdup(r, name);
	member_location(die, &loc);
	if (!type_of(die, &type)) {
		m->type = m->base = "void";
		m->dims = "";
		m->base_class = XENABI_BASE_OTHER;
		m->offset = loc;
		return;
	}
	if (anonymous_aggregate(&type, &anon) &&
	    !offmap_get(&r->anon, dwarf_dieoffset(&anon))) {
		const char *path = name ? xa_arena_printf(r->arena, "%s.%s",
							  parent, name)
					: xa_arena_printf(r->arena, "%s.@%u",
							  parent, (*unnamed)++);

		if (!path || offmap_put(&r->anon, dwarf_dieoffset(&anon), path))
			r->oom = true;
		else
			record_aggregate(r, &anon, path, file);
	}
	m->type = spell_dup(r, &type);
	m->size = type_size(r, &type);
	resolve_base(r, &type, m);
	m->offset = loc;
	if (!attr_udata(die, DW_AT_bit_size, &bit_size) || !bit_size)
		return;

	/*
	 * Bit-fields: DWARF 4 gives the bit offset from the start of the
	 * aggregate; the DWARF 2 form counts from the most significant bit
	 * of the storage unit.  All four ABIs are little-endian.
	 */
	storage = m->size ? m->size : 1;
	if (!attr_udata(die, DW_AT_data_bit_offset, &data_bit)) {
		Dwarf_Word unit = storage;

		attr_udata(die, DW_AT_byte_size, &unit);
		data_bit = loc * 8;
		if (attr_udata(die, DW_AT_bit_offset, &old_bit))
			data_bit += unit * 8 - old_bit - bit_size;
	}
	m->offset = data_bit / (storage * 8) * storage;
	m->bit_offset = data_bit - m->offset * 8;
	m->bit_size = bit_size;
	m->bits = bit_size;
}

static int record_aggregate(struct reader *r, Dwarf_Die *die, const char *name,
			    const char *file)
{
	struct xenabi_type *t;
	struct xa_vec members;
	unsigned int unnamed = 0;
	Dwarf_Die child;
	int tag = dwarf_tag(die);
	size_t index;

	if (offmap_get(&r->done, dwarf_dieoffset(die)))
		return 0;
	if (offmap_put(&r->done, dwarf_dieoffset(die), name)) {
		r->oom = true;
		return -1;
	}
	xa_vec_init(&members, sizeof(struct xenabi_member));
	t = xa_vec_push(r->types);
	if (!t) {
		r->oom = true;
		return -1;
	}
	/* Nested types are pushed while we work: keep an index, not t. */
	index = r->types->len - 1;
	t->kind = tag == DW_TAG_structure_type ? XENABI_KIND_STRUCT
		  : tag == DW_TAG_union_type   ? XENABI_KIND_UNION
					       : XENABI_KIND_ENUM;
	t->name = reader_strdup(r, name);
	t->file = file;
	t->line = decl_line(die);
	t->size = type_size(r, die);
	t->align = type_align(r, die, 0);
	t->target = "";

	if (dwarf_child(die, &child) == 0) {
		bool is_signed = tag == DW_TAG_enumeration_type &&
				 enum_is_signed(die);

		do {
			struct xenabi_member *m;
			int ctag = dwarf_tag(&child);

			if (ctag != DW_TAG_member && ctag != DW_TAG_enumerator)
				continue;
			m = xa_vec_push(&members);
			if (!m) {
				r->oom = true;
				break;
			}
			if (ctag == DW_TAG_member) {
				read_member(r, &child, name, file, &unnamed, m);
				continue;
			}
			m->name = reader_strdup(r, dwarf_diename(&child));
			m->type = m->base = m->dims = "";
			m->value = enumerator_value(&child, is_signed);
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	t = (struct xenabi_type *)r->types->data + index;
	t->members = xa_vec_finish(&members, r->arena, &t->nmembers);
	return 0;
}

static void record_enumerators(struct reader *r, Dwarf_Die *en,
			       const char *file)
{
	bool is_signed = enum_is_signed(en);
	Dwarf_Die child;

	if (dwarf_child(en, &child))
		return;
	do {
		struct xenabi_const *c;

		if (dwarf_tag(&child) != DW_TAG_enumerator)
			continue;
		c = xa_vec_push(r->consts);
		if (!c) {
			r->oom = true;
			return;
		}
		c->name = reader_strdup(r, dwarf_diename(&child));
		c->file = file;
		/* Enumerators carry no line of their own in DWARF. */
		c->line = decl_line(en);
		c->class = XENABI_CONST_ENUMERATOR;
		c->value = enumerator_value(&child, is_signed);
		c->width = type_size(r, en);
		c->is_signed = is_signed;
		c->text = c->str = "";
	} while (dwarf_siblingof(&child, &child) == 0);
}

static void record_typedef(struct reader *r, Dwarf_Die *die, const char *file)
{
	struct xenabi_type *t = xa_vec_push(r->types);
	Dwarf_Die target;
	bool has_target = type_of(die, &target);

	if (!t) {
		r->oom = true;
		return;
	}
	t->kind = XENABI_KIND_TYPEDEF;
	t->name = reader_strdup(r, dwarf_diename(die));
	t->file = file;
	t->line = decl_line(die);
	t->target = spell_dup(r, has_target ? &target : NULL);
	t->size = has_target ? type_size(r, &target) : 0;
	t->align = explicit_align(die);
	if (!t->align)
		t->align = has_target ? type_align(r, &target, 0) : 1;
}

/*
 * Walk every type DIE: named aggregates anywhere (C tags are file scope
 * even when declared inside a struct), typedefs at the top, and the
 * enumerators of every enum, named or not.
 */
static void walk_types(struct reader *r, Dwarf_Die *parent, bool top)
{
	Dwarf_Die die;

	if (dwarf_child(parent, &die))
		return;
	do {
		int tag = dwarf_tag(&die);
		const char *name = dwarf_diename(&die);
		const char *file;
		bool decl = dwarf_hasattr(&die, DW_AT_declaration);

		if (r->oom)
			return;
		if (tag != DW_TAG_typedef && !is_aggregate(tag))
			continue;
		if (decl || !(file = decl_file(r, &die)))
			continue;
		if (tag == DW_TAG_typedef) {
			if (top && name)
				record_typedef(r, &die, file);
			continue;
		}
		if (tag == DW_TAG_enumeration_type)
			record_enumerators(r, &die, file);
		if (!name)
			name = offmap_get(&r->anon, dwarf_dieoffset(&die));
		if (name)
			record_aggregate(r, &die, name, file);
		walk_types(r, &die, false);
	} while (dwarf_siblingof(&die, &die) == 0);
}

/* An anonymous aggregate that a typedef names takes the typedef's name. */
static void name_by_typedefs(struct reader *r, Dwarf_Die *cu)
{
	Dwarf_Die die, target;

	if (dwarf_child(cu, &die))
		return;
	do {
		const char *name = dwarf_diename(&die);

		if (dwarf_tag(&die) != DW_TAG_typedef || !name ||
		    !type_of(&die, &target) || !is_aggregate(dwarf_tag(&target)) ||
		    dwarf_diename(&target) ||
		    offmap_get(&r->anon, dwarf_dieoffset(&target)))
			continue;
		if (offmap_put(&r->anon, dwarf_dieoffset(&target),
			       reader_strdup(r, name)))
			r->oom = true;
	} while (dwarf_siblingof(&die, &die) == 0);
}

int xa_dwarf_read_types(struct xenabi_ctx *ctx, const char *obj_path,
			const char *public_dir, enum xenabi_abi abi,
			struct xa_arena *arena, struct xa_vec *types,
			struct xa_vec *consts)
{
	struct reader r = {
		.ctx = ctx,
		.arena = arena,
		.abi = xa_abi_info(abi),
		.public_dir = public_dir,
		.plen = strlen(public_dir),
		.types = types,
		.consts = consts,
	};
	Dwarf_Die cu;
	Dwarf *dw;
	Dwfl *dwfl;
	int ret;

	if ((ret = open_dwarf(ctx, obj_path, &dwfl, &dw, &cu)))
		return ret;
	xa_vec_init(&r.files, sizeof(struct file_rel));
	r.comp_dir = comp_dir_of(&cu);
	name_by_typedefs(&r, &cu);
	walk_types(&r, &cu, true);
	if (r.oom)
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
	xa_vec_release(&r.files);
	offmap_release(&r.anon);
	offmap_release(&r.done);
	dwfl_end(dwfl);
	return ret;
}

/* ---- macros ------------------------------------------------------------- */

struct macro_event {
	struct xa_macro m;
	size_t seq;
	bool undef;
};

struct macro_reader {
	Dwarf *dw;
	struct xa_vec events;	/* struct macro_event */
	const char *stack[256];	/* the include stack: file names */
	size_t depth;
	const char *comp_dir;
	bool oom;
};

static int macro_cb(Dwarf_Macro *macro, void *arg)
{
	struct macro_reader *mr = arg;
	unsigned int opcode;
	Dwarf_Word line = 0;
	const char *str = NULL;

	if (dwarf_macro_opcode(macro, &opcode))
		return DWARF_CB_ABORT;
	switch (opcode) {
	case DW_MACINFO_start_file: {
		Dwarf_Files *files;
		size_t nfiles;
		Dwarf_Word idx = 0;
		const char *name = NULL;

		dwarf_macro_param2(macro, &idx, NULL);
		if (dwarf_macro_getsrcfiles(mr->dw, macro, &files, &nfiles) == 0)
			name = dwarf_filesrc(files, idx, NULL, NULL);
		if (mr->depth < XA_ARRAY_SIZE(mr->stack))
			mr->stack[mr->depth] = name;
		mr->depth++;
		return DWARF_CB_OK;
	}
	case DW_MACINFO_end_file:
		if (mr->depth)
			mr->depth--;
		return DWARF_CB_OK;
	case DW_MACINFO_define:
	case DW_MACINFO_undef:
	case DW_MACRO_define_strp:
	case DW_MACRO_undef_strp:
	case DW_MACRO_define_strx:
	case DW_MACRO_undef_strx:
		break;
	default:
		return DWARF_CB_OK;
	}
	if (dwarf_macro_param1(macro, &line) ||
	    dwarf_macro_param2(macro, NULL, &str) || !str)
		return DWARF_CB_OK;

	struct macro_event *ev = xa_vec_push(&mr->events);
	const char *p = str;
	const char *file = mr->depth && mr->depth <= XA_ARRAY_SIZE(mr->stack)
				   ? mr->stack[mr->depth - 1] : NULL;

	if (!ev) {
		mr->oom = true;
		return DWARF_CB_ABORT;
	}
	while (*p == '_' || (*p >= 'a' && *p <= 'z') ||
	       (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
		p++;
	ev->seq = mr->events.len;
	ev->undef = opcode == DW_MACINFO_undef || opcode == DW_MACRO_undef_strp ||
		    opcode == DW_MACRO_undef_strx;
	ev->m.name = strndup(str, p - str);
	ev->m.function_like = *p == '(';
	if (ev->m.function_like)
		p = strchr(p, ')') ? strchr(p, ')') + 1 : p + strlen(p);
	while (*p == ' ' || *p == '\t')
		p++;
	ev->m.text = strdup(p);
	ev->m.file = absolute_path(mr->comp_dir, file ? file : "");
	ev->m.line = line;
	if (!ev->m.name || !ev->m.text || !ev->m.file) {
		mr->oom = true;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

static int event_cmp(const void *a, const void *b)
{
	const struct macro_event *x = a, *y = b;
	int c = strcmp(x->m.name, y->m.name);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int xa_dwarf_read_macros(struct xenabi_ctx *ctx, const char *obj_path,
			 struct xa_macro **macros, size_t *count)
{
	struct macro_reader mr = { 0 };
	struct macro_event *ev;
	struct xa_vec live;
	ptrdiff_t token = 0;
	Dwarf_Die cu;
	Dwfl *dwfl;
	int ret;

	*macros = NULL;
	*count = 0;
	if ((ret = open_dwarf(ctx, obj_path, &dwfl, &mr.dw, &cu)))
		return ret;
	xa_vec_init(&mr.events, sizeof(struct macro_event));
	xa_vec_init(&live, sizeof(struct xa_macro));
	mr.comp_dir = comp_dir_of(&cu);
	while ((token = dwarf_getmacros(&cu, macro_cb, &mr, token)) > 0)
		;
	if (mr.oom) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	if (token < 0) {
		ret = xa_error(ctx, XENABI_EDWARF,
			       "cannot read the macros of '%s': %s", obj_path,
			       dwarf_errmsg(-1));
		goto out;
	}

	/* What is live at the end: each name's last event, unless an undef. */
	ev = mr.events.data;
	if (mr.events.len)
		qsort(ev, mr.events.len, sizeof(*ev), event_cmp);
	for (size_t i = 0; i < mr.events.len; i++) {
		struct xa_macro *m;

		if (i + 1 < mr.events.len &&
		    !strcmp(ev[i].m.name, ev[i + 1].m.name))
			continue;
		if (ev[i].undef)
			continue;
		m = xa_vec_push(&live);
		if (!m) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
		*m = ev[i].m;
		memset(&ev[i].m, 0, sizeof(ev[i].m));
	}
	*macros = live.data;
	*count = live.len;
	live.data = NULL;
	live.len = 0;
out:
	ev = mr.events.data;
	for (size_t i = 0; i < mr.events.len; i++) {
		free(ev[i].m.name);
		free(ev[i].m.text);
		free(ev[i].m.file);
	}
	xa_vec_release(&mr.events);
	xa_macros_free(live.data, live.len);
	dwfl_end(dwfl);
	return ret;
}

void xa_macros_free(struct xa_macro *macros, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(macros[i].name);
		free(macros[i].text);
		free(macros[i].file);
	}
	free(macros);
}

/* ---- enumerators of a constants probe ------------------------------------ */

int xa_dwarf_read_enumerators(struct xenabi_ctx *ctx, const char *obj_path,
			      const char *prefix, size_t n, uint64_t *values,
			      bool *seen)
{
	size_t plen = strlen(prefix);
	Dwarf_Die cu, die, en;
	Dwarf *dw;
	Dwfl *dwfl;
	int ret;

	if ((ret = open_dwarf(ctx, obj_path, &dwfl, &dw, &cu)))
		return ret;
	if (dwarf_child(&cu, &die) == 0) {
		do {
			if (dwarf_tag(&die) != DW_TAG_enumeration_type ||
			    dwarf_child(&die, &en))
				continue;
			do {
				const char *name = dwarf_diename(&en);
				char *end;
				unsigned long long idx;

				if (!name || strncmp(name, prefix, plen))
					continue;
				idx = strtoull(name + plen, &end, 10);
				if (*end || idx >= n)
					continue;
				/* Always udata bits: the probe casts to u64. */
				values[idx] = (uint64_t)enumerator_value(&en, false);
				seen[idx] = true;
			} while (dwarf_siblingof(&en, &en) == 0);
		} while (dwarf_siblingof(&die, &die) == 0);
	}
	dwfl_end(dwfl);
	return 0;
}

int xa_dwarf_read_sections(struct xenabi_ctx *ctx, const char *obj_path,
			   const char *prefix, size_t n, char **strs)
{
	size_t plen = strlen(prefix), shstrndx;
	Elf_Scn *scn = NULL;
	int fd = open(obj_path, O_RDONLY | O_CLOEXEC);
	Elf *elf;
	int ret = 0;

	if (fd < 0)
		return xa_error(ctx, XENABI_EIO, "cannot read '%s': %s",
				obj_path, strerror(errno));
	xa_dwarf_init();
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		ret = xa_error(ctx, XENABI_EDWARF, "cannot read '%s': %s",
			       obj_path, elf_errmsg(-1));
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		const char *name;
		Elf_Data *data;
		unsigned long long idx;
		char *end;

		if (!gelf_getshdr(scn, &shdr) ||
		    !(name = elf_strptr(elf, shstrndx, shdr.sh_name)) ||
		    strncmp(name, prefix, plen))
			continue;
		idx = strtoull(name + plen, &end, 10);
		if (*end || end == name + plen || idx >= n || strs[idx])
			continue;
		data = elf_getdata(scn, NULL);
		strs[idx] = strndup(data && data->d_buf ? data->d_buf : "",
				    data ? data->d_size : 0);
		if (!strs[idx]) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			break;
		}
	}
out:
	elf_end(elf);
	close(fd);
	return ret;
}

/* ---- typedef names -------------------------------------------------------- */

/* Of two equal names, the one xa_vec_sort_merge drops. */
static void free_name(void *into, const void *from)
{
	(void)into;
	free(*(char *const *)from);
}

int xa_dwarf_read_typedef_names(struct xenabi_ctx *ctx, const char *obj_path,
				char ***names, size_t *count)
{
	struct xa_vec all;
	Dwarf_Die cu, die;
	Dwarf *dw;
	Dwfl *dwfl;
	int ret;

	*names = NULL;
	*count = 0;
	if ((ret = open_dwarf(ctx, obj_path, &dwfl, &dw, &cu)))
		return ret;
	xa_vec_init(&all, sizeof(char *));
	if (!dwarf_child(&cu, &die))
		do {
			const char *name = dwarf_diename(&die);
			char **slot;

			if (dwarf_tag(&die) != DW_TAG_typedef || !name)
				continue;
			if (!(slot = xa_vec_push(&all)) || !(*slot = strdup(name))) {
				if (slot)
					all.len--;
				ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
				break;
			}
		} while (dwarf_siblingof(&die, &die) == 0);
	dwfl_end(dwfl);
	if (ret) {
		xa_strings_free(all.data, all.len);
		return ret;
	}
	/* One name per typedef: C allows a typedef to be declared again. */
	xa_vec_sort_merge(&all, xa_str_cmp, free_name);
	*names = all.data;
	*count = all.len;
	return 0;
}
