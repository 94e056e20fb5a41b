/* SPDX-License-Identifier: MIT */
/*
 * report: rendering layouts as text (the way pahole does) and as JSON.
 * Knows records only; decides nothing about severity.
 */
#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "xa.h"

/*
 * The length of the UTF-8 sequence at p (RFC 3629: no overlong form, no
 * surrogate, nothing above U+10FFFF, as jansson checks), 0: not one.
 */
static size_t utf8_len(const unsigned char *p)
{
	unsigned int c = p[0], n, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (unsigned int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* What escape_bytes escapes beyond bytes that are not UTF-8. */
#define ESC_XML 0x1u		/* controls XML 1.0 cannot carry */
#define ESC_LINE 0x2u		/* every control: one line on a terminal */

static bool escaped(const unsigned char *p, size_t n, unsigned int esc)
{
	if (!n)
		return true;
	if (n > 1 || (*p >= 0x20 && *p != 0x7f))
		return false;
	if (esc & ESC_LINE)
		return true;
	return (esc & ESC_XML) && *p != '\t' && *p != '\n' && *p != '\r';
}

/*
 * s with every byte kept: what is not UTF-8, and the controls esc names,
 * as the four characters \xHH; a backslash before 'x' or another
 * backslash doubled.  *changed: whether anything was.  A new string,
 * NULL when out of memory.
 */
static char *escape_bytes(const char *s, unsigned int esc, bool *changed)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len = 0;
	char *out, *o;

	*changed = false;
	for (size_t i = 0; p[i]; i += n ? n : 1) {
		n = utf8_len(p + i);
		if (escaped(p + i, n, esc) ||
		    (p[i] == '\\' && (p[i + 1] == 'x' || p[i + 1] == '\\')))
			*changed = true;
		len += n ? n + 3 : 4;
	}
	if (!(o = out = malloc(len + 1)))
		return NULL;
	for (size_t i = 0; p[i]; i += n ? n : 1) {
		n = utf8_len(p + i);
		if (escaped(p + i, n, esc)) {
			o += sprintf(o, "\\x%02x", p[i]);
			continue;
		}
		if (p[i] == '\\' && (p[i + 1] == 'x' || p[i + 1] == '\\'))
			*o++ = '\\';
		memcpy(o, p + i, n);
		o += n;
	}
	*o = '\0';
	return out;
}

struct json_t *xenabi_json_text(const char *s)
{
	bool changed;
	char *text;
	json_t *j;

	if (!s)
		return json_null();
	if (!(text = escape_bytes(s, 0, &changed)))
		return NULL;
	j = json_string(changed ? text : s);
	free(text);
	return j;
}

char *xenabi_text_line(const char *s)
{
	bool changed;

	return escape_bytes(s ? s : "", ESC_LINE, &changed);
}

/* "uint8_t[16]" splits into "uint8_t" and "[16]" around the member name. */
static void split_declarator(const char *type, const char **dims,
			     size_t *elem_len)
{
	const char *open = strchr(type, '[');

	/* Function pointers keep their spelling whole. */
	if (!open || strchr(type, '(')) {
		*dims = "";
		*elem_len = strlen(type);
		return;
	}
	*dims = open;
	*elem_len = open - type;
}

/* The nested anonymous aggregate a member's type names, if any. */
static const struct xenabi_type *nested_type(const struct xenabi_unit *unit,
					     const struct xenabi_member *m)
{
	static const struct {
		const char *keyword;
		enum xenabi_type_kind kind;
	} kw[] = { { "struct ", XENABI_KIND_STRUCT },
		   { "union ", XENABI_KIND_UNION },
		   { "enum ", XENABI_KIND_ENUM } };

	if (!strchr(m->type, '.'))
		return NULL;
	for (size_t i = 0; i < XA_ARRAY_SIZE(kw); i++) {
		size_t n = strlen(kw[i].keyword);
		char name[512];
		size_t len;

		if (strncmp(m->type, kw[i].keyword, n))
			continue;
		len = strcspn(m->type + n, "[ ");
		if (len >= sizeof(name) || m->type[n + len] == ' ')
			return NULL;
		memcpy(name, m->type + n, len);
		name[len] = '\0';
		return xenabi_unit_find_type(unit, kw[i].kind, name);
	}
	return NULL;
}

/* Where names start and comments start, as pahole lays them out. */
#define TYPE_COLUMN 24

static void indent(struct xa_buf *out, int depth)
{
	for (int i = 0; i < depth; i++)
		xa_buf_puts(out, "\t");
}

/* Pad a declaration to a column, counting a tab as 8. */
static void decl_line(struct xa_buf *out, int depth, const char *decl,
		      const char *comment)
{
	int col = depth * 8 + (int)strlen(decl);

	indent(out, depth);
	xa_buf_puts(out, decl);
	for (; col < 64; col++)
		xa_buf_puts(out, " ");
	xa_buf_printf(out, " %s\n", comment);
}

struct layout_stats {
	unsigned int holes;
	uint64_t hole_bytes;
};

static void render_members(struct xa_buf *out, const struct xenabi_unit *unit,
			   const struct xenabi_type *t, uint64_t base,
			   int depth, struct layout_stats *stats)
{
	bool is_union = t->kind == XENABI_KIND_UNION;
	uint64_t end = 0;

	for (size_t i = 0; i < t->nmembers; i++) {
		const struct xenabi_member *m = &t->members[i];
		const struct xenabi_type *nested = nested_type(unit, m);
		uint64_t m_end = xa_member_end(m);
		char decl[640], comment[64];
		const char *dims;
		size_t elem_len;

		if (!is_union && m->offset > end) {
			uint64_t gap = m->offset - end;

			xa_buf_puts(out, "\n");
			indent(out, depth);
			xa_buf_printf(out, "/* XXX %llu byte%s hole */\n\n",
				      (unsigned long long)gap, gap == 1 ? "" : "s");
			stats->holes++;
			stats->hole_bytes += gap;
		}
		if (m->bit_size)
			snprintf(comment, sizeof(comment), "/* %5llu:%2u %4llu */",
				 (unsigned long long)(base + m->offset),
				 m->bit_offset, (unsigned long long)m->size);
		else
			snprintf(comment, sizeof(comment), "/* %5llu %5llu */",
				 (unsigned long long)(base + m->offset),
				 (unsigned long long)m->size);
		split_declarator(m->type, &dims, &elem_len);
		if (nested) {
			struct layout_stats inner = { 0 };

			indent(out, depth);
			xa_buf_printf(out, "%s {\n",
				      xenabi_kind_name(nested->kind));
			render_members(out, unit, nested, base + m->offset,
				       depth + 1, &inner);
			snprintf(decl, sizeof(decl), "}%s%s%s;", *m->name ? " " : "",
				 m->name, dims);
		} else if (m->bit_size) {
			snprintf(decl, sizeof(decl), "%-*.*s %s:%u;",
				 TYPE_COLUMN, (int)elem_len, m->type, m->name,
				 m->bit_size);
		} else {
			snprintf(decl, sizeof(decl), "%-*.*s %s%s;",
				 TYPE_COLUMN, (int)elem_len, m->type, m->name,
				 dims);
		}
		decl_line(out, depth, decl, comment);
		if (m_end > end)
			end = m_end;
	}
}

char *xenabi_layout_text(const struct xenabi_unit *unit,
			 const struct xenabi_type *t)
{
	struct layout_stats stats = { 0 };
	struct xa_buf out;
	uint64_t used;

	xa_buf_init(&out);
	if (t->kind == XENABI_KIND_TYPEDEF) {
		xa_buf_printf(&out, "typedef %s %s; /* size: %llu, align: %u */\n",
			      t->target, t->name, (unsigned long long)t->size,
			      t->align);
		return xa_buf_detach(&out);
	}
	xa_buf_printf(&out, "%s %s {\n", xenabi_kind_name(t->kind), t->name);
	if (t->kind == XENABI_KIND_ENUM) {
		for (size_t i = 0; i < t->nmembers; i++)
			xa_buf_printf(&out, "\t%s = %lld,\n", t->members[i].name,
				      (long long)t->members[i].value);
		xa_buf_printf(&out, "\n\t/* size: %llu */\n};\n",
			      (unsigned long long)t->size);
		return xa_buf_detach(&out);
	}
	render_members(&out, unit, t, 0, 1, &stats);
	used = xa_type_used_end(t);
	if (t->size > used) {
		xa_buf_printf(&out, "\n\t/* XXX %llu byte%s tail padding */\n",
			      (unsigned long long)(t->size - used),
			      t->size - used == 1 ? "" : "s");
	}
	xa_buf_printf(&out, "\n\t/* size: %llu, align: %u, members: %zu",
		      (unsigned long long)t->size, t->align, t->nmembers);
	if (stats.holes)
		xa_buf_printf(&out, ", holes: %u, sum holes: %llu", stats.holes,
			      (unsigned long long)stats.hole_bytes);
	if (t->size > used)
		xa_buf_printf(&out, ", padding: %llu",
			      (unsigned long long)(t->size - used));
	xa_buf_puts(&out, " */\n};\n");
	return xa_buf_detach(&out);
}

static json_t *layout_object(const char *release, const struct xenabi_unit *unit,
			     const struct xenabi_type *t)
{
	json_t *obj = json_object(), *members = json_array();

	if (!obj || !members) {
		json_decref(obj);
		json_decref(members);
		return NULL;
	}
	json_object_set_new(obj, "release", xenabi_json_text(release));
	json_object_set_new(obj, "abi", xenabi_json_text(xenabi_abi_name(unit->abi)));
	json_object_set_new(obj, "view",
			    xenabi_json_text(xenabi_view_name(unit->view)));
	json_object_set_new(obj, "kind", xenabi_json_text(xenabi_kind_name(t->kind)));
	json_object_set_new(obj, "name", xenabi_json_text(t->name));
	json_object_set_new(obj, "size", json_integer(t->size));
	json_object_set_new(obj, "align", json_integer(t->align));
	json_object_set_new(obj, "file", xenabi_json_text(t->file ? t->file : ""));
	json_object_set_new(obj, "line", json_integer(t->line));
	if (t->kind == XENABI_KIND_TYPEDEF)
		json_object_set_new(obj, "target", xenabi_json_text(t->target));
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct xenabi_member *m = &t->members[i];
		json_t *jm = json_object();

		if (!jm)
			break;
		json_object_set_new(jm, "name", xenabi_json_text(m->name));
		if (t->kind == XENABI_KIND_ENUM) {
			json_object_set_new(jm, "value", json_integer(m->value));
		} else {
			json_object_set_new(jm, "type", xenabi_json_text(m->type));
			json_object_set_new(jm, "offset", json_integer(m->offset));
			json_object_set_new(jm, "size", json_integer(m->size));
			if (m->bit_size) {
				json_object_set_new(jm, "bit_offset",
						    json_integer(m->bit_offset));
				json_object_set_new(jm, "bit_size",
						    json_integer(m->bit_size));
			}
			/* What the type is once typedefs are resolved. */
			json_object_set_new(jm, "base", xenabi_json_text(m->base));
			json_object_set_new(jm, "base_class",
				xenabi_json_text(xenabi_base_class_name(m->base_class)));
			json_object_set_new(jm, "bits", json_integer(m->bits));
			json_object_set_new(jm, "signed", json_boolean(m->is_signed));
			if (*m->dims)
				json_object_set_new(jm, "dims", xenabi_json_text(m->dims));
		}
		json_array_append_new(members, jm);
	}
	json_object_set_new(obj, "members", members);
	return obj;
}

char *xenabi_layout_json(const char *release, const struct xenabi_unit *unit,
			 const struct xenabi_type *t)
{
	json_t *obj = layout_object(release, unit, t);
	char *s;

	if (!obj)
		return NULL;
	json_object_set_new(obj, "schema", json_integer(xenabi_schema_version()));
	s = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(obj);
	return s;
}

/* ---- diffs --------------------------------------------------------------- */

static void abi_list(struct xa_buf *out, unsigned int abis, unsigned int all)
{
	bool first = true;

	/* "all" says something only when there was more than one. */
	if (abis == all && (all & (all - 1))) {
		xa_buf_puts(out, "all ABIs");
		return;
	}
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		if (!(abis & (1u << a)))
			continue;
		xa_buf_printf(out, "%s%s", first ? "" : ", ", xenabi_abi_name(a));
		first = false;
	}
}

static const char *const sev_colors[XENABI_SEV_COUNT] = {
	[XENABI_SEV_INFO] = "\033[36m",
	[XENABI_SEV_RISK] = "\033[33m",
	[XENABI_SEV_BREAK] = "\033[1;31m",
};

static const char *view_heading(enum xenabi_view view)
{
	return view == XENABI_VIEW_GUEST
		       ? "guest ABI"
		       : view == XENABI_VIEW_LATEST
			 ? "guests declaring the latest interface version only"
			 : "tools only (domctl, sysctl and the like)";
}

/* s on one line of a terminal: controls and bytes not UTF-8 escaped. */
static void put_line(struct xa_buf *out, const char *s)
{
	bool changed;
	char *e = escape_bytes(s ? s : "", ESC_LINE, &changed);

	if (!e) {
		out->oom = true;
		return;
	}
	xa_buf_puts(out, e);
	free(e);
}

/* One finding's line, and for break and risk the reason under it. */
static void finding_lines(struct xa_buf *out, const struct xenabi_diff *d,
			  const struct xenabi_finding *f, bool color,
			  bool why)
{
	struct xa_buf data;

	xa_buf_printf(out, "      %s%-5s%s %-25s ", color ? sev_colors[f->severity] : "",
		      xenabi_severity_name(f->severity), color ? "\033[0m" : "",
		      xenabi_change_kind_name(f->kind));
	/* What the headers gave, escaped as a whole: never a raw ESC. */
	xa_buf_init(&data);
	xa_buf_puts(&data, f->symbol);
	if (*f->old && *f->new)
		xa_buf_printf(&data, ": %s -> %s", f->old, f->new);
	else if (*f->old || *f->new)
		xa_buf_printf(&data, ": %s", *f->old ? f->old : f->new);
	if (*f->detail)
		xa_buf_printf(&data, "; %s", f->detail);
	xa_buf_puts(&data, " [");
	abi_list(&data, f->abis, d->abis);
	xa_buf_puts(&data, "]");
	if (f->line)
		xa_buf_printf(&data, " line %u", f->line);
	if (f->suppressed)
		xa_buf_printf(&data, " %s view; accepted: %s",
			      xenabi_view_name(f->view), f->suppressed);
	if (data.oom)
		out->oom = true;
	put_line(out, data.s);
	xa_buf_release(&data);
	xa_buf_puts(out, "\n");
	if (why && f->reason && *f->reason) {
		xa_buf_puts(out, "            why: ");
		put_line(out, f->reason);
		xa_buf_puts(out, "\n");
	}
}

/*
 * The findings of one severity (or the accepted ones), grouped by view,
 * header and type as the headers are read.
 */
static void findings_section(struct xa_buf *out, const struct xenabi_diff *d,
			     int sev, bool accepted, bool color, bool why)
{
	const char *file = NULL;
	char group[256] = "";
	int view = -1;

	for (size_t i = 0; i < d->nfindings; i++) {
		const struct xenabi_finding *f = &d->findings[i];
		char g[256];

		if (!f->suppressed != !accepted ||
		    (!accepted && (int)f->severity != sev))
			continue;
		if ((int)f->view != view) {
			view = f->view;
			file = NULL;
			xa_buf_printf(out, "  %s\n", view_heading(f->view));
		}
		if (!file || strcmp(file, f->file)) {
			file = f->file;
			group[0] = '\0';
			xa_buf_puts(out, "   ");
			put_line(out, *file ? file : "(no file)");
			xa_buf_puts(out, "\n");
		}
		/* Under the file, a heading per type, then its constants. */
		if (xa_change_is_constant(f->kind))
			snprintf(g, sizeof(g), "constants");
		else if (f->kind == XENABI_HEADER_FAILED)
			snprintf(g, sizeof(g), "(the header itself)");
		else
			snprintf(g, sizeof(g), "%.*s",
				 (int)strcspn(f->symbol, "."), f->symbol);
		if (strcmp(g, group)) {
			snprintf(group, sizeof(group), "%s", g);
			xa_buf_puts(out, "    ");
			put_line(out, group);
			xa_buf_puts(out, "\n");
		}
		finding_lines(out, d, f, color, why);
	}
}

/* Info in brief: one line per kind and header, with how many. */
static void info_summary(struct xa_buf *out, const struct xenabi_diff *d)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct xenabi_finding *f = &d->findings[i];
		size_t n = 0;
		bool seen = false;

		if (f->suppressed || f->severity != XENABI_SEV_INFO)
			continue;
		for (size_t k = 0; k < d->nfindings && !seen; k++) {
			const struct xenabi_finding *g = &d->findings[k];

			if (g->suppressed || g->severity != XENABI_SEV_INFO ||
			    g->kind != f->kind || strcmp(g->file, f->file))
				continue;
			if (k < i)
				seen = true;
			else
				n++;
		}
		if (seen)
			continue;
		xa_buf_printf(out, "  %5zu %-25s ", n,
			      xenabi_change_kind_name(f->kind));
		put_line(out, *f->file ? f->file : "(no file)");
		xa_buf_puts(out, "\n");
	}
}

char *xenabi_diff_text(const struct xenabi_diff *d, unsigned int flags,
		       enum xenabi_severity min)
{
	static const char *const headings[XENABI_SEV_COUNT] = {
		[XENABI_SEV_BREAK] = "breaks: a binary built against the old headers misbehaves",
		[XENABI_SEV_RISK] = "risks: source changes, or compatible only as the reason says",
		[XENABI_SEV_INFO] = "info: compatible by Xen's rules",
	};
	bool color = flags & XENABI_TEXT_COLOR, all = flags & XENABI_TEXT_ALL;
	size_t count[XENABI_SEV_COUNT] = { 0 }, accepted = 0;
	struct xa_buf out;

	xa_buf_init(&out);
	for (size_t i = 0; i < d->nfindings; i++) {
		if (d->findings[i].suppressed)
			accepted++;
		else
			count[d->findings[i].severity]++;
	}
	if (d->lint)
		xa_buf_printf(&out, "lint %s: ", d->old_name);
	else
		xa_buf_printf(&out, "%s -> %s: ", d->old_name, d->new_name);
	xa_buf_printf(&out, "%zu break, %zu risk, %zu info",
		      count[XENABI_SEV_BREAK], count[XENABI_SEV_RISK],
		      count[XENABI_SEV_INFO]);
	if (accepted)
		xa_buf_printf(&out, ", %zu accepted", accepted);
	xa_buf_puts(&out, " (");
	abi_list(&out, d->abis, 0);
	xa_buf_puts(&out, ")\n");
	/* Most severe first: the first screen says whether anything broke. */
	for (int sev = XENABI_SEV_BREAK; sev >= (int)min; sev--) {
		if (!count[sev])
			continue;
		xa_buf_printf(&out, "\n%s%s%s\n", color ? sev_colors[sev] : "",
			      headings[sev], color ? "\033[0m" : "");
		if (sev == XENABI_SEV_INFO && !all) {
			info_summary(&out, d);
			continue;
		}
		findings_section(&out, d, sev, false, color,
				 sev > XENABI_SEV_INFO || all);
	}
	/* Accepted changes last, each with its reason: never dropped. */
	if (accepted) {
		xa_buf_puts(&out, "\naccepted (suppressed)\n");
		findings_section(&out, d, -1, true, color, false);
	}
	return xa_buf_detach(&out);
}

/* The names of the ABIs of a mask, as a JSON array; NULL when out of memory. */
static json_t *abi_names_json(unsigned int abis)
{
	json_t *arr = json_array();

	for (int a = 0; arr && a < XENABI_ABI_COUNT; a++)
		if (abis & (1u << a))
			json_array_append_new(arr,
					      xenabi_json_text(xenabi_abi_name(a)));
	return arr;
}

/* One finding as diff --format json has it. */
static json_t *change_json(const struct xenabi_finding *f)
{
	json_t *c = json_object(), *abis = abi_names_json(f->abis);

	if (!c || !abis) {
		json_decref(c);
		json_decref(abis);
		return NULL;
	}
	json_object_set_new(c, "kind",
			    xenabi_json_text(xenabi_change_kind_name(f->kind)));
	json_object_set_new(c, "severity",
			    xenabi_json_text(xenabi_severity_name(f->severity)));
	json_object_set_new(c, "abi", abis);
	json_object_set_new(c, "view", xenabi_json_text(xenabi_view_name(f->view)));
	json_object_set_new(c, "symbol", xenabi_json_text(f->symbol));
	json_object_set_new(c, "old", xenabi_json_text(f->old));
	json_object_set_new(c, "new", xenabi_json_text(f->new));
	if (*f->detail)
		json_object_set_new(c, "detail", xenabi_json_text(f->detail));
	if (f->reason && *f->reason)
		json_object_set_new(c, "reason", xenabi_json_text(f->reason));
	json_object_set_new(c, "file", xenabi_json_text(f->file));
	json_object_set_new(c, "line", json_integer(f->line));
	if (f->suppressed)
		json_object_set_new(c, "suppressed",
				    xenabi_json_text(f->suppressed));
	return c;
}

char *xenabi_diff_json(const struct xenabi_diff *d)
{
	json_t *doc = json_object(), *changes = json_array();
	char *s;

	if (!doc || !changes) {
		json_decref(doc);
		json_decref(changes);
		return NULL;
	}
	/* Which xenabi wrote it: the database schema version. */
	json_object_set_new(doc, "schema", json_integer(xenabi_schema_version()));
	if (d->lint) {
		json_object_set_new(doc, "release", xenabi_json_text(d->old_name));
	} else {
		json_object_set_new(doc, "old", xenabi_json_text(d->old_name));
		json_object_set_new(doc, "new", xenabi_json_text(d->new_name));
	}
	for (size_t i = 0; i < d->nfindings; i++)
		json_array_append_new(changes, change_json(&d->findings[i]));
	json_object_set_new(doc, "changes", changes);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s;
}

char *xenabi_log_json(const struct xenabi_walk *w, const char *range,
		      struct xenabi_diff *const *diffs,
		      const struct xenabi_diff *unattributed)
{
	json_t *doc = json_object(), *commits = json_array(), *loose = json_array();
	char *s;

	if (!doc || !commits || !loose) {
		json_decref(doc);
		json_decref(commits);
		json_decref(loose);
		return NULL;
	}
	json_object_set_new(doc, "schema", json_integer(xenabi_schema_version()));
	json_object_set_new(doc, "range", xenabi_json_text(range));
	json_object_set_new(doc, "from", xenabi_json_text(w->from));
	json_object_set_new(doc, "to", xenabi_json_text(w->to));
	json_object_set_new(doc, "base", xenabi_json_text(w->base));
	json_object_set_new(doc, "walked", json_integer((json_int_t)w->nrange));
	json_object_set_new(doc, "read", json_integer((json_int_t)w->ncommits));
	for (size_t i = 0; i < w->ncommits; i++) {
		const struct xenabi_commit *c = &w->commits[i];
		json_t *o, *changes;

		if (!diffs[i] || !diffs[i]->nfindings)
			continue;
		changes = json_array();
		for (size_t k = 0; k < diffs[i]->nfindings; k++)
			json_array_append_new(changes,
					      change_json(&diffs[i]->findings[k]));
		o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id",
			      xenabi_json_text(c->id), "parent",
			      xenabi_json_text(c->parent), "author",
			      xenabi_json_text(c->author), "date",
			      xenabi_json_text(c->date), "subject",
			      xenabi_json_text(c->subject), "changes", changes);
		json_array_append_new(commits, o);
	}
	json_object_set_new(doc, "commits", commits);
	for (size_t k = 0; unattributed && k < unattributed->nfindings; k++)
		json_array_append_new(loose,
				      change_json(&unattributed->findings[k]));
	json_object_set_new(doc, "unattributed", loose);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s;
}

static const char *const sarif_levels[XENABI_SEV_COUNT] = {
	[XENABI_SEV_INFO] = "note",
	[XENABI_SEV_RISK] = "warning",
	[XENABI_SEV_BREAK] = "error",
};

/* What a finding says, in one sentence: the text of SARIF and JUnit. */
static char *finding_message(const struct xenabi_diff *d,
			     const struct xenabi_finding *f)
{
	struct xa_buf b;

	xa_buf_init(&b);
	xa_buf_printf(&b, "%s: %s", xenabi_change_kind_name(f->kind), f->symbol);
	if (*f->old && *f->new)
		xa_buf_printf(&b, ": %s -> %s", f->old, f->new);
	else if (*f->old || *f->new)
		xa_buf_printf(&b, ": %s", *f->old ? f->old : f->new);
	if (*f->detail)
		xa_buf_printf(&b, "; %s", f->detail);
	if (f->reason && *f->reason)
		xa_buf_printf(&b, ". %s: %s", xenabi_severity_name(f->severity),
			      f->reason);
	xa_buf_printf(&b, " (%s view, ", xenabi_view_name(f->view));
	abi_list(&b, f->abis, d->abis);
	if (f->commit)
		xa_buf_printf(&b, ", commit %.12s)", f->commit);
	else
		xa_buf_printf(&b, ", %s -> %s)", d->old_name, d->new_name);
	return xa_buf_detach(&b);
}

char *xenabi_diff_sarif(const struct xenabi_diff *d)
{
	json_t *doc, *rules = json_array(), *results = json_array();
	bool used[XENABI_CHANGE_COUNT] = { false };
	char *s;

	for (size_t i = 0; i < d->nfindings; i++)
		used[d->findings[i].kind] = true;
	for (int k = 0; k < XENABI_CHANGE_COUNT; k++)
		if (used[k])
			json_array_append_new(rules, json_pack(
				"{s:s, s:{s:s}}", "id", xenabi_change_kind_name(k),
				"shortDescription", "text",
				xenabi_change_kind_name(k)));
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct xenabi_finding *f = &d->findings[i];
		char *msg = finding_message(d, f);
		char *uri = NULL;
		json_t *abis = abi_names_json(f->abis), *loc;

		if (!msg || asprintf(&uri, "xen/include/public/%s", f->file) < 0) {
			free(msg);
			json_decref(abis);
			json_decref(rules);
			json_decref(results);
			return NULL;
		}
		loc = json_pack("{s:{s:{s:o}, s:{s:i}}}", "physicalLocation",
				"artifactLocation", "uri", xenabi_json_text(uri), "region",
				"startLine", f->line ? (int)f->line : 1);
		json_t *result = json_pack(
			"{s:s, s:s, s:{s:o}, s:[o], s:{s:o, s:s, s:s}}",
			"ruleId", xenabi_change_kind_name(f->kind),
			"level", sarif_levels[f->severity],
			"message", "text", xenabi_json_text(msg), "locations", loc,
			"properties", "abi", abis, "view",
			xenabi_view_name(f->view), "severity",
			xenabi_severity_name(f->severity));

		if (result && f->commit)
			json_object_set_new(json_object_get(result, "properties"),
					    "commit", xenabi_json_text(f->commit));
		if (result && f->suppressed)
			json_object_set_new(result, "suppressions", json_pack(
				"[{s:s, s:o}]", "kind", "external",
				"justification", xenabi_json_text(f->suppressed)));
		json_array_append_new(results, result);
		free(msg);
		free(uri);
	}
	doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o}]}",
			"$schema", "https://json.schemastore.org/sarif-2.1.0.json",
			"version", "2.1.0", "runs", "tool", "driver", "name",
			"xenabi", "version", XENABI_VERSION, "rules", rules,
			"results", results);
	if (!doc)
		return NULL;
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s;
}

/* new in place of old, which is freed; NULL (new's) when out of memory. */
static char *replace(char *old, char *new)
{
	free(old);
	return new;
}

char *xenabi_diff_junit(const struct xenabi_diff *d, enum xenabi_severity fail_on)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char suite[256], *out = NULL;
	size_t failures = xenabi_diff_count(d, fail_on);
	int rc = 0;

	if (!w) {
		xmlBufferFree(buf);
		return NULL;
	}
	snprintf(suite, sizeof(suite), "xenabi %s -> %s", d->old_name,
		 d->new_name);
	xmlTextWriterSetIndent(w, 1);
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST suite) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu",
						d->nfindings ? d->nfindings : 1) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu",
						failures) < 0;
	if (!d->nfindings) {
		rc |= xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "classname",
						  BAD_CAST "xenabi") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name",
						  BAD_CAST "no ABI changes") < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	for (size_t i = 0; i < d->nfindings && !rc; i++) {
		const struct xenabi_finding *f = &d->findings[i];
		char *raw = finding_message(d, f), *name = NULL, *at = NULL;
		char *msg = NULL, *file = NULL, *text = NULL;
		bool changed;

		/* XML 1.0 carries no control character and only UTF-8. */
		if (!raw || asprintf(&name, "%.12s%s%s %s (%s)",
				     f->commit ? f->commit : "",
				     f->commit ? " " : "",
				     xenabi_change_kind_name(f->kind), f->symbol,
				     xenabi_view_name(f->view)) < 0)
			name = NULL;
		if (!raw || asprintf(&at, "%s:%u", f->file, f->line) < 0)
			at = NULL;
		if (!raw || asprintf(&text, f->suppressed ? "%s; accepted: %s"
							  : "%s", raw,
				     f->suppressed) < 0)
			text = NULL;
		if (!name || !at || !text ||
		    !(msg = escape_bytes(raw, ESC_XML, &changed)) ||
		    !(file = escape_bytes(f->file, ESC_XML, &changed)) ||
		    !(name = replace(name, escape_bytes(name, ESC_XML, &changed))) ||
		    !(at = replace(at, escape_bytes(at, ESC_XML, &changed))) ||
		    !(text = replace(text, escape_bytes(text, ESC_XML, &changed))))
			rc = 1;
		if (!rc) {
			rc |= xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
			rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "classname",
							  BAD_CAST file) < 0;
			rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name",
							  BAD_CAST name) < 0;
		}
		if (!rc && f->severity >= fail_on && !f->suppressed) {
			rc |= xmlTextWriterStartElement(w, BAD_CAST "failure") < 0;
			rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "type",
				BAD_CAST xenabi_severity_name(f->severity)) < 0;
			rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "message",
							  BAD_CAST msg) < 0;
			rc |= xmlTextWriterWriteString(w, BAD_CAST at) < 0;
			rc |= xmlTextWriterEndElement(w) < 0;
		} else if (!rc) {
			rc |= xmlTextWriterWriteElement(w, BAD_CAST "system-out",
							BAD_CAST text) < 0;
		}
		if (!rc)
			rc |= xmlTextWriterEndElement(w) < 0;
		free(raw);
		free(name);
		free(at);
		free(msg);
		free(file);
		free(text);
	}
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (!rc)
		out = strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return out;
}

/* ---- the hypercall table ------------------------------------------------- */

/* __HYPERVISOR_<name>'s value from the first tools unit that has it. */
static bool hypercall_number(const struct xenabi_release *rel,
			     const char *name, uint64_t *nr)
{
	char macro[128];

	snprintf(macro, sizeof(macro), "__HYPERVISOR_%s", name);
	for (int a = XENABI_ABI_COUNT; a-- > 0;) {
		const struct xenabi_unit *u = &rel->units[XENABI_UNIT(a, XENABI_VIEW_TOOLS)];

		for (size_t i = 0; i < u->nconsts; i++)
			if (u->consts[i].class == XENABI_CONST_INT &&
			    !strcmp(u->consts[i].name, macro)) {
				*nr = u->consts[i].value;
				return true;
			}
	}
	return false;
}

/* Each ABI and kind of guest that reaches h, in ABI order. */
static bool shows(const struct xenabi_release *rel, const char *only,
		  const struct xenabi_hypercall *h)
{
	return !only || !strcmp(only, h->name);
}

static void params_text(struct xa_buf *b, const struct xenabi_release *rel,
			enum xenabi_abi abi, const struct xenabi_hypercall *h)
{
	char **types = NULL, **names = NULL;
	size_t n = 0;

	if (xa_hcall_param_split(h->params, &types, &names, &n)) {
		b->oom = true;
	} else {
		xa_buf_puts(b, "(");
		for (size_t i = 0; i < n; i++) {
			uint32_t size;
			bool sg;

			xa_buf_printf(b, "%s%s%s%s", i ? ", " : "", types[i],
				      *names[i] && !strchr(types[i], '*') ? " " : "",
				      names[i]);
			if (xa_ctype_lookup(rel, abi, types[i], &size, &sg))
				xa_buf_printf(b, " [%u]", size);
			else
				xa_buf_puts(b, " [?]");
		}
		xa_buf_puts(b, ")");
	}
	xa_strings_free(types, n);
	xa_strings_free(names, n);
}

char *xenabi_hypercalls_text(const struct xenabi_release *rel,
			     const char *only)
{
	struct xa_buf b;
	bool any = false;

	xa_buf_init(&b);
	for (size_t i = 0; i < rel->nhypercalls; i++) {
		const struct xenabi_hypercall *h = &rel->hypercalls[i];
		uint64_t nr;

		if (!shows(rel, only, h) ||
		    (i && !strcmp(h->name, rel->hypercalls[i - 1].name)))
			continue;
		if (!any) {
			/* The tables' files: one, or three before 4.17. */
			xa_buf_printf(&b, "/* %s hypercall table, from ", rel->name);
			for (size_t j = 0; j < rel->nhypercalls; j++) {
				bool seen = false;

				for (size_t k = 0; k < j && !seen; k++)
					seen = !strcmp(rel->hypercalls[k].file,
						       rel->hypercalls[j].file);
				if (!seen)
					xa_buf_printf(&b, "%s%s", j ? ", " : "",
						      rel->hypercalls[j].file);
			}
			xa_buf_puts(&b, "; per ABI and kind of guest: handler, "
				    "result, arguments [bytes] */\n");
		}
		any = true;
		xa_buf_puts(&b, h->name);
		if (hypercall_number(rel, *h->number ? h->number : h->name, &nr))
			xa_buf_printf(&b, " (%llu)", (unsigned long long)nr);
		if (*h->number)
			xa_buf_printf(&b, ", the number of %s", h->number);
		xa_buf_puts(&b, "\n");
		for (int a = 0; a < XENABI_ABI_COUNT; a++)
			for (size_t j = i; j < rel->nhypercalls &&
					   !strcmp(rel->hypercalls[j].name, h->name);
			     j++) {
				const struct xenabi_hypercall *k = &rel->hypercalls[j];
				struct xa_hcall_ret r;

				if (!(xenabi_guest_kind_abis(k->kind) & 1u << a) ||
				    !rel->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)])
					continue;
				xa_buf_printf(&b, "  %-6s  %-5s  %-28s %s", xenabi_abi_name(a),
					      k->kind, k->handler, k->rettype);
				if (xa_hcall_returns(rel, a, k, &r)) {
					xa_buf_printf(&b, " [%u", r.hv_bytes);
					if (r.received < r.hv_bytes)
						xa_buf_printf(&b, ", guest keeps %u",
							      r.received);
					xa_buf_puts(&b, "]");
				}
				xa_buf_puts(&b, "  ");
				params_text(&b, rel, a, k);
				if (k->priority)
					xa_buf_printf(&b, "  priority %u", k->priority);
				if (k->optional)
					xa_buf_puts(&b, "  optional");
				xa_buf_puts(&b, "\n");
			}
	}
	if (!any) {
		xa_buf_release(&b);
		return NULL;
	}
	return xa_buf_detach(&b);
}

static json_t *params_json(const struct xenabi_release *rel,
			   enum xenabi_abi abi, const struct xenabi_hypercall *h)
{
	json_t *arr = json_array();
	char **types = NULL, **names = NULL;
	size_t n = 0;

	if (!arr || xa_hcall_param_split(h->params, &types, &names, &n)) {
		json_decref(arr);
		arr = NULL;
	}
	for (size_t i = 0; arr && i < n; i++) {
		uint32_t size;
		bool sg;
		json_t *p = json_pack("{s:o, s:o}", "type",
				      xenabi_json_text(types[i]), "name",
				      xenabi_json_text(names[i]));

		if (!p || json_array_append_new(arr, p)) {
			json_decref(arr);
			arr = NULL;
			break;
		}
		if (xa_ctype_lookup(rel, abi, types[i], &size, &sg)) {
			json_object_set_new(p, "bytes", json_integer(size));
			json_object_set_new(p, "signed", json_boolean(sg));
		}
	}
	xa_strings_free(types, n);
	xa_strings_free(names, n);
	return arr;
}

char *xenabi_hypercalls_json(const struct xenabi_release *rel,
			     const char *only)
{
	json_t *doc = json_pack("{s:i, s:o, s:s, s:[]}", "schema",
				xenabi_schema_version(), "release",
				xenabi_json_text(rel->name),
				"kind", "hypercalls", "hypercalls");
	json_t *list = doc ? json_object_get(doc, "hypercalls") : NULL;
	char *out = NULL;
	bool oom = !doc, any = false;

	for (size_t i = 0; !oom && i < rel->nhypercalls; i++) {
		const struct xenabi_hypercall *h = &rel->hypercalls[i];
		json_t *one, *handlers;
		uint64_t nr;

		if (!shows(rel, only, h) ||
		    (i && !strcmp(h->name, rel->hypercalls[i - 1].name)))
			continue;
		any = true;
		one = json_pack("{s:o, s:o, s:[]}", "name", xenabi_json_text(h->name),
				"file", xenabi_json_text(h->file), "handlers");
		if (!one || json_array_append_new(list, one)) {
			oom = true;
			break;
		}
		if (hypercall_number(rel, *h->number ? h->number : h->name, &nr))
			json_object_set_new(one, "number", json_integer(nr));
		if (*h->number)
			json_object_set_new(one, "number_of", xenabi_json_text(h->number));
		handlers = json_object_get(one, "handlers");
		for (int a = 0; a < XENABI_ABI_COUNT && !oom; a++)
			for (size_t j = i; j < rel->nhypercalls &&
					   !strcmp(rel->hypercalls[j].name, h->name);
			     j++) {
				const struct xenabi_hypercall *k = &rel->hypercalls[j];
				struct xa_hcall_ret r;
				json_t *e, *ret;

				if (!(xenabi_guest_kind_abis(k->kind) & 1u << a) ||
				    !rel->present[XENABI_UNIT(a, XENABI_VIEW_TOOLS)])
					continue;
				ret = json_pack("{s:o}", "type",
						xenabi_json_text(k->rettype));
				if (ret && xa_hcall_returns(rel, a, k, &r)) {
					json_object_set_new(ret, "bytes",
							    json_integer(r.hv_bytes));
					json_object_set_new(ret, "signed",
							    json_boolean(r.is_signed));
					json_object_set_new(ret, "received",
							    json_integer(r.received));
				}
				e = json_pack("{s:s, s:s, s:o, s:i, s:b, s:o, s:o*}",
					      "abi", xenabi_abi_name(a), "guest",
					      k->kind, "handler",
					      xenabi_json_text(k->handler),
					      "priority", (int)k->priority,
					      "optional", k->optional, "returns",
					      ret, "params", params_json(rel, a, k));
				if (!e || json_array_append_new(handlers, e))
					oom = true;
			}
	}
	if (!oom && any)
		out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return out;
}

/* A JSON string member, "" when absent; NULL when out of memory. */
static const char *json_member(struct xa_arena *arena, json_t *o,
			       const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return xa_arena_strdup(arena, s ? s : "");
}

int xenabi_diff_from_json(struct xenabi_ctx *ctx, const char *json,
			  unsigned int compared, struct xenabi_diff **out)
{
	json_t *doc = json_loads(json, 0, NULL), *changes, *c;
	struct xenabi_diff *d = calloc(1, sizeof(*d));
	size_t i;
	int ret = 0;

	*out = NULL;
	if (!d || !(d->arena = xa_arena_new())) {
		free(d);
		json_decref(doc);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	changes = json_object_get(doc, "changes");
	if (!json_is_array(changes)) {
		ret = xa_error(ctx, XENABI_EINVAL, "stored findings are no "
			       "diff: run log with another --db");
		goto out;
	}
	d->abis = compared;
	d->old_name = json_member(d->arena, doc, "old");
	d->new_name = json_member(d->arena, doc, "new");
	d->nfindings = json_array_size(changes);
	if (d->nfindings && !(d->findings = xa_arena_alloc(
				      d->arena, d->nfindings * sizeof(*d->findings)))) {
		ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(changes, i, c) {
		struct xenabi_finding *f = &d->findings[i];
		const char *kind = json_string_value(json_object_get(c, "kind"));
		const char *sev = json_string_value(json_object_get(c, "severity"));
		const char *view = json_string_value(json_object_get(c, "view"));
		json_t *abi;
		size_t k;
		int v, s = sev ? xenabi_severity_parse(sev) : -1;

		memset(f, 0, sizeof(*f));
		f->kind = XENABI_CHANGE_COUNT;
		for (int n = 0; kind && n < XENABI_CHANGE_COUNT; n++)
			if (!strcmp(kind, xenabi_change_kind_name(n)))
				f->kind = n;
		v = view ? xenabi_view_parse(view) : -1;
		if (f->kind == XENABI_CHANGE_COUNT || s < 0 || v < 0) {
			ret = xa_error(ctx, XENABI_EINVAL, "stored findings are no "
				       "diff: run log with another --db");
			goto out;
		}
		f->severity = s;
		f->view = v;
		json_array_foreach(json_object_get(c, "abi"), k, abi) {
			int a = xenabi_abi_parse(json_string_value(abi) ?
						 json_string_value(abi) : "");

			if (a >= 0)
				f->abis |= 1u << a;
		}
		f->symbol = json_member(d->arena, c, "symbol");
		f->old = json_member(d->arena, c, "old");
		f->new = json_member(d->arena, c, "new");
		f->detail = json_member(d->arena, c, "detail");
		f->reason = json_member(d->arena, c, "reason");
		f->file = json_member(d->arena, c, "file");
		f->line = (uint32_t)json_integer_value(json_object_get(c, "line"));
		if (!f->symbol || !f->old || !f->new || !f->detail || !f->reason ||
		    !f->file) {
			ret = xa_error(ctx, XENABI_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	json_decref(doc);
	if (ret) {
		xenabi_diff_free(d);
		return ret;
	}
	*out = d;
	return 0;
}
