/* SPDX-License-Identifier: MIT */
/*
 * model: the records, the arena that owns them, the error context and the
 * name tables.  No I/O here: nothing in this file opens a file or a process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>

#include "xa.h"

struct xenabi_ctx *xenabi_ctx_new(void)
{
	struct xenabi_ctx *ctx = calloc(1, sizeof(struct xenabi_ctx));

	if (ctx && !(ctx->cc_pool = xa_cc_pool_new())) {
		free(ctx);
		return NULL;
	}
	if (ctx)
		xenabi_ctx_set_limits(ctx, XENABI_DEFAULT_TIME_LIMIT,
				      XENABI_DEFAULT_MEMORY_LIMIT);
	return ctx;
}

void xenabi_ctx_set_limits(struct xenabi_ctx *ctx, unsigned int seconds,
			   unsigned int mib)
{
	ctx->time_limit = seconds;
	ctx->memory_limit = mib;
}

struct xenabi_ctx *xenabi_ctx_dup(const struct xenabi_ctx *ctx)
{
	struct xenabi_ctx *dup = calloc(1, sizeof(struct xenabi_ctx));

	if (!dup)
		return NULL;
	*dup = *ctx;
	dup->errmsg[0] = '\0';
	dup->given_up = NULL;
	dup->cpp_memo = NULL;
	if (ctx->compiler && !(dup->compiler = strdup(ctx->compiler))) {
		free(dup);
		return NULL;
	}
	/* The copy's scans share the compilers kept running. */
	dup->cc_pool = xa_cc_pool_ref(ctx->cc_pool);
	return dup;
}

void xenabi_ctx_free(struct xenabi_ctx *ctx)
{
	if (!ctx)
		return;
	free(ctx->compiler);
	xa_cpp_memo_free(ctx->cpp_memo);
	xa_cc_pool_unref(ctx->cc_pool);
	free(ctx);
}

const char *xenabi_errmsg(const struct xenabi_ctx *ctx)
{
	return ctx->errmsg;
}

int xenabi_ctx_set_compiler(struct xenabi_ctx *ctx, const char *path)
{
	char *copy = strdup(path);

	if (!copy)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	free(ctx->compiler);
	ctx->compiler = copy;
	return 0;
}

void xenabi_ctx_set_jobs(struct xenabi_ctx *ctx, unsigned int jobs)
{
	ctx->jobs = jobs;
}

void xenabi_ctx_set_step_fn(struct xenabi_ctx *ctx, xenabi_step_fn fn,
			    void *data)
{
	ctx->step_fn = fn;
	ctx->step_data = data;
}

int xa_error(struct xenabi_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;
	char *nl;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	/* The message is one line whatever a compiler or sqlite handed us. */
	while ((nl = strchr(ctx->errmsg, '\n')))
		*nl = ' ';
	return -code;
}

/* ---- arena ------------------------------------------------------------- */

struct xa_chunk {
	struct xa_chunk *next;
	size_t used;
	size_t cap;
	max_align_t data[];
};

struct xa_arena {
	struct xa_chunk *head;
};

#define XA_CHUNK_SIZE (256 * 1024)

struct xa_arena *xa_arena_new(void)
{
	return calloc(1, sizeof(struct xa_arena));
}

void xa_arena_free(struct xa_arena *arena)
{
	struct xa_chunk *c, *next;

	if (!arena)
		return;
	for (c = arena->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(arena);
}

void xa_arena_adopt(struct xa_arena *dst, struct xa_arena *src)
{
	struct xa_chunk **tail = &src->head;

	if (!src->head)
		return;
	while (*tail)
		tail = &(*tail)->next;
	/* src's chunks go behind dst's current one, which may have room. */
	if (dst->head) {
		*tail = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
	}
	src->head = NULL;
}

void *xa_arena_alloc(struct xa_arena *arena, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct xa_chunk *c = arena->head;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (!size)
		size = align;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > XA_CHUNK_SIZE ? size : XA_CHUNK_SIZE;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = arena->head;
		arena->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *xa_arena_strndup(struct xa_arena *arena, const char *s, size_t n)
{
	char *p = xa_arena_alloc(arena, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xa_arena_strdup(struct xa_arena *arena, const char *s)
{
	return s ? xa_arena_strndup(arena, s, strlen(s)) : NULL;
}

char *xa_arena_vprintf(struct xa_arena *arena, const char *fmt, va_list ap)
{
	va_list again;
	char small[256];
	char *p;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0 || (size_t)n < sizeof(small)) {
		va_end(again);
		return n < 0 ? NULL : xa_arena_strndup(arena, small, n);
	}
	p = xa_arena_alloc(arena, n + 1);
	if (p)
		vsnprintf(p, n + 1, fmt, again);
	va_end(again);
	return p;
}

char *xa_arena_printf(struct xa_arena *arena, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xa_arena_vprintf(arena, fmt, ap);
	va_end(ap);
	return p;
}

const char *xa_arena_fmt(struct xa_arena *arena, bool *oom, const char *fmt,
			 ...)
{
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	s = xa_arena_vprintf(arena, fmt, ap);
	va_end(ap);
	if (!s)
		*oom = true;
	return s ? s : "";
}

/* ---- vectors and buffers ------------------------------------------------ */

void xa_vec_init(struct xa_vec *vec, size_t elem)
{
	memset(vec, 0, sizeof(*vec));
	vec->elem = elem;
}

void xa_vec_release(struct xa_vec *vec)
{
	free(vec->data);
	xa_vec_init(vec, vec->elem);
}

void *xa_vec_push(struct xa_vec *vec)
{
	void *p;

	if (vec->len == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 16;
		void *data = realloc(vec->data, cap * vec->elem);

		if (!data)
			return NULL;
		vec->data = data;
		vec->cap = cap;
	}
	p = (char *)vec->data + vec->len++ * vec->elem;
	memset(p, 0, vec->elem);
	return p;
}

void *xa_vec_finish(struct xa_vec *vec, struct xa_arena *arena, size_t *len)
{
	void *p = NULL;

	*len = vec->len;
	if (vec->len) {
		p = xa_arena_alloc(arena, vec->len * vec->elem);
		if (p)
			memcpy(p, vec->data, vec->len * vec->elem);
		else
			*len = 0;
	}
	xa_vec_release(vec);
	return p;
}

void xa_vec_sort_merge(struct xa_vec *vec,
		       int (*cmp)(const void *, const void *),
		       void (*merge)(void *into, const void *from))
{
	char *base = vec->data;
	size_t out = 0;

	if (!vec->len)
		return;
	qsort(base, vec->len, vec->elem, cmp);
	for (size_t i = 1; i < vec->len; i++) {
		char *kept = base + out * vec->elem, *next = base + i * vec->elem;

		if (!cmp(kept, next)) {
			if (merge)
				merge(kept, next);
			continue;
		}
		if (++out != i)
			memcpy(base + out * vec->elem, next, vec->elem);
	}
	vec->len = out + 1;
}

void xa_buf_init(struct xa_buf *buf)
{
	memset(buf, 0, sizeof(*buf));
}

void xa_buf_release(struct xa_buf *buf)
{
	free(buf->s);
	xa_buf_init(buf);
}

void xa_buf_add(struct xa_buf *buf, const char *s, size_t n)
{
	if (buf->oom)
		return;
	if (buf->len + n + 1 > buf->cap) {
		size_t cap = buf->cap ? buf->cap : 64;
		char *p;

		while (cap < buf->len + n + 1)
			cap *= 2;
		p = realloc(buf->s, cap);
		if (!p) {
			buf->oom = true;
			return;
		}
		buf->s = p;
		buf->cap = cap;
	}
	memcpy(buf->s + buf->len, s, n);
	buf->len += n;
	buf->s[buf->len] = '\0';
}

void xa_buf_puts(struct xa_buf *buf, const char *s)
{
	xa_buf_add(buf, s, strlen(s));
}

void xa_buf_printf(struct xa_buf *buf, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	char *big;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf->oom = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		xa_buf_add(buf, small, n);
		return;
	}
	big = malloc(n + 1);
	if (!big) {
		buf->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, n + 1, fmt, ap);
	va_end(ap);
	xa_buf_add(buf, big, n);
	free(big);
}

bool xa_buf_read(struct xa_buf *buf, FILE *f)
{
	char chunk[16384];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)))
		xa_buf_add(buf, chunk, n);
	return !ferror(f);
}

char *xa_buf_detach(struct xa_buf *buf)
{
	char *s = buf->oom ? NULL : buf->s;

	if (!s && !buf->oom)
		s = strdup("");
	if (buf->oom)
		free(buf->s);
	xa_buf_init(buf);
	return s;
}

/* ---- releases ----------------------------------------------------------- */

struct xenabi_release *xa_release_new(const char *name)
{
	struct xenabi_release *rel = calloc(1, sizeof(*rel));

	if (!rel)
		return NULL;
	rel->arena = xa_arena_new();
	if (!rel->arena) {
		free(rel);
		return NULL;
	}
	rel->name = xa_arena_strdup(rel->arena, name);
	if (!rel->name) {
		xenabi_release_free(rel);
		return NULL;
	}
	for (int u = 0; u < XENABI_UNIT_COUNT; u++) {
		rel->units[u].abi = xenabi_unit_abi(u);
		rel->units[u].view = xenabi_unit_view(u);
	}
	return rel;
}

void xenabi_release_free(struct xenabi_release *rel)
{
	if (!rel)
		return;
	xa_arena_free(rel->arena);
	free(rel);
}

int xenabi_release_set_origin(struct xenabi_ctx *ctx, struct xenabi_release *rel,
			      const char *name, const char *source,
			      const char *date)
{
	const char *const in[] = { name, source, date };
	const char **fields[] = { &rel->name, &rel->source, &rel->scanned_at };

	for (size_t i = 0; i < XA_ARRAY_SIZE(in); i++) {
		char *copy;

		if (!in[i])
			continue;
		if (!(copy = xa_arena_strdup(rel->arena, in[i])))
			return xa_error(ctx, XENABI_ENOMEM, "out of memory");
		*fields[i] = copy;
	}
	return 0;
}

const char *xa_const_words(struct xa_arena *arena, bool *oom,
			   const struct xenabi_const *c)
{
	switch (c->class) {
	case XENABI_CONST_INT:
	case XENABI_CONST_ENUMERATOR:
		if (c->is_signed && (int64_t)c->value < 0)
			return xa_arena_fmt(arena, oom, "%lld", (long long)c->value);
		return c->value < 10 ? xa_arena_fmt(arena, oom, "%llu",
						    (unsigned long long)c->value)
				     : xa_arena_fmt(arena, oom, "%llu (0x%llx)",
						    (unsigned long long)c->value,
						    (unsigned long long)c->value);
	case XENABI_CONST_STRING:
		return xa_arena_fmt(arena, oom, "\"%s\"", c->str);
	default:
		return xa_arena_fmt(arena, oom, "%s", c->text);
	}
}

int xa_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int xa_str_key_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

int xa_type_cmp(const void *a, const void *b)
{
	const struct xenabi_type *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->name, y->name);
}

int xa_const_cmp(const void *a, const void *b)
{
	const struct xenabi_const *x = a, *y = b;

	return strcmp(x->name, y->name);
}

const struct xenabi_type *xenabi_unit_find_type(const struct xenabi_unit *unit,
						enum xenabi_type_kind kind,
						const char *name)
{
	struct xenabi_type key = { .kind = kind, .name = name };

	if (!unit->ntypes)
		return NULL;
	return bsearch(&key, unit->types, unit->ntypes, sizeof(key),
		       xa_type_cmp);
}

/* ---- layout arithmetic -------------------------------------------------- */

uint64_t xa_member_end(const struct xenabi_member *m)
{
	return m->offset + (m->bit_size ? (m->bit_offset + m->bit_size + 7) / 8
					: m->size);
}

uint64_t xa_type_used_end(const struct xenabi_type *t)
{
	uint64_t end = 0;

	for (size_t i = 0; i < t->nmembers; i++)
		if (xa_member_end(&t->members[i]) > end)
			end = xa_member_end(&t->members[i]);
	return end;
}

/* ---- name tables -------------------------------------------------------- */

static const char *const kind_names[XENABI_KIND_COUNT] = {
	[XENABI_KIND_STRUCT] = "struct",
	[XENABI_KIND_UNION] = "union",
	[XENABI_KIND_ENUM] = "enum",
	[XENABI_KIND_TYPEDEF] = "typedef",
};

static const char *const base_class_names[XENABI_BASE_COUNT] = {
	[XENABI_BASE_INT] = "int",
	[XENABI_BASE_FLOAT] = "float",
	[XENABI_BASE_POINTER] = "pointer",
	[XENABI_BASE_STRUCT] = "struct",
	[XENABI_BASE_OTHER] = "other",
};

static const char *const const_class_names[XENABI_CONST_COUNT] = {
	[XENABI_CONST_INT] = "int",
	[XENABI_CONST_STRING] = "string",
	[XENABI_CONST_OTHER] = "other",
	[XENABI_CONST_ENUMERATOR] = "enumerator",
};

const char *xenabi_kind_name(enum xenabi_type_kind kind)
{
	return (unsigned)kind < XENABI_KIND_COUNT ? kind_names[kind] : NULL;
}

int xenabi_kind_parse(const char *name)
{
	for (int i = 0; i < XENABI_KIND_COUNT; i++)
		if (!strcmp(kind_names[i], name))
			return i;
	return -1;
}

const char *xenabi_base_class_name(enum xenabi_base_class class)
{
	return (unsigned)class < XENABI_BASE_COUNT ? base_class_names[class]
						   : NULL;
}

const char *xenabi_const_class_name(enum xenabi_const_class class)
{
	return (unsigned)class < XENABI_CONST_COUNT ? const_class_names[class]
						    : NULL;
}

/* ---- digests ------------------------------------------------------------ */

void xa_sha256_str(struct sha256_ctx *sha, const char *s)
{
	s = s ? s : "";
	sha256_update(sha, strlen(s) + 1, (const uint8_t *)s);
}

void xa_sha256_hex(struct sha256_ctx *sha, char hex[65])
{
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_digest(sha, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static void digest_u64(struct sha256_ctx *sha, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = v >> (8 * i);
	sha256_update(sha, sizeof(b), b);
}

/*
 * The digest covers what makes a layout a layout, and not where it was
 * declared: file and line move with every edit above them, and keeping
 * them out is what lets forty releases share one row per unchanged type.
 */
void xa_type_digest(const struct xenabi_type *type, uint8_t digest[32])
{
	struct sha256_ctx sha;

	sha256_init(&sha);
	digest_u64(&sha, type->kind);
	xa_sha256_str(&sha, type->name);
	xa_sha256_str(&sha, type->target);
	digest_u64(&sha, type->size);
	digest_u64(&sha, type->align);
	digest_u64(&sha, type->nmembers);
	for (size_t i = 0; i < type->nmembers; i++) {
		const struct xenabi_member *m = &type->members[i];

		xa_sha256_str(&sha, m->name);
		xa_sha256_str(&sha, m->type);
		xa_sha256_str(&sha, m->base);
		xa_sha256_str(&sha, m->dims);
		digest_u64(&sha, m->base_class);
		digest_u64(&sha, m->offset);
		digest_u64(&sha, m->size);
		digest_u64(&sha, m->bits);
		digest_u64(&sha, m->bit_offset);
		digest_u64(&sha, m->bit_size);
		digest_u64(&sha, m->is_signed);
		digest_u64(&sha, (uint64_t)m->value);
	}
	sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
}

void xa_const_digest(const struct xenabi_const *c, uint8_t digest[32])
{
	struct sha256_ctx sha;

	sha256_init(&sha);
	xa_sha256_str(&sha, c->name);
	xa_sha256_str(&sha, c->text);
	digest_u64(&sha, c->class);
	digest_u64(&sha, c->value);
	digest_u64(&sha, c->width);
	digest_u64(&sha, c->is_signed);
	xa_sha256_str(&sha, c->str);
	sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
}
