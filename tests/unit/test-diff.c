/*
 * Unit tests: diff, on records built here: the root rule, collapsing
 * across ABIs, padding, and that the diff never writes into the releases
 * it compares.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xa.h"

#define M(n, t, off, sz) { .name = n, .type = t, .base = t, .dims = "", \
	.base_class = XENABI_BASE_INT, .offset = off, .size = sz, .bits = (sz) * 8 }
#define S(n, t, off, sz) { .name = n, .type = "struct " t, .base = "struct " t, \
	.dims = "", .base_class = XENABI_BASE_STRUCT, .offset = off, .size = sz, \
	.bits = (sz) * 8 }

static struct xenabi_member old_inner[] = { M("x", "uint16_t", 0, 2), M("y", "uint16_t", 2, 2) };
static struct xenabi_member new_inner[] = { M("x", "uint16_t", 0, 2), M("y", "uint32_t", 4, 4) };
static struct xenabi_member old_outer[] = { M("head", "uint32_t", 0, 4), S("in", "inner", 4, 4), M("after", "uint32_t", 8, 4) };
static struct xenabi_member new_outer[] = { M("head", "uint32_t", 0, 4), S("in", "inner", 4, 8), M("after", "uint32_t", 12, 4) };
static struct xenabi_member old_pad[] = { M("kind", "uint8_t", 0, 1), M("value", "uint32_t", 4, 4) };
static struct xenabi_member new_pad[] = { M("kind", "uint8_t", 0, 1), M("flags", "uint8_t", 1, 1), M("value", "uint32_t", 4, 4) };

static struct xenabi_type old_types[] = {
	{ .kind = XENABI_KIND_STRUCT, .name = "inner", .target = "", .file = "a.h", .line = 1, .size = 4, .align = 2, .nmembers = 2, .members = old_inner },
	{ .kind = XENABI_KIND_STRUCT, .name = "outer", .target = "", .file = "a.h", .line = 5, .size = 12, .align = 4, .nmembers = 3, .members = old_outer },
	{ .kind = XENABI_KIND_STRUCT, .name = "pad", .target = "", .file = "a.h", .line = 9, .size = 8, .align = 4, .nmembers = 2, .members = old_pad },
};

static struct xenabi_type new_types[] = {
	{ .kind = XENABI_KIND_STRUCT, .name = "inner", .target = "", .file = "a.h", .line = 1, .size = 8, .align = 4, .nmembers = 2, .members = new_inner },
	{ .kind = XENABI_KIND_STRUCT, .name = "outer", .target = "", .file = "a.h", .line = 5, .size = 16, .align = 4, .nmembers = 3, .members = new_outer },
	{ .kind = XENABI_KIND_STRUCT, .name = "pad", .target = "", .file = "a.h", .line = 9, .size = 8, .align = 4, .nmembers = 3, .members = new_pad },
};

static struct xenabi_release *release(const char *name, struct xenabi_type *types,
				      size_t ntypes, int abis)
{
	struct xenabi_release *rel = xa_release_new(name);

	rel->source = rel->tree_hash = rel->scanned_at = "";
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		int u = XENABI_UNIT(a, XENABI_VIEW_GUEST);

		if (!(abis & (1 << a)))
			continue;
		rel->present[u] = true;
		rel->units[u].types = types;
		rel->units[u].ntypes = ntypes;
	}
	return rel;
}

static const struct xenabi_finding *find(const struct xenabi_diff *d,
					 enum xenabi_change_kind kind,
					 const char *symbol)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (d->findings[i].kind == kind &&
		    !strcmp(d->findings[i].symbol, symbol))
			return &d->findings[i];
	return NULL;
}

static void test_roots_and_collapse(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xenabi_release *o = release("o", old_types, 3, 0x3);
	struct xenabi_release *n = release("n", new_types, 3, 0x3);
	struct xenabi_diff *d;
	const struct xenabi_finding *f;
	uint64_t before = new_types[1].size;

	(void)state;
	assert_int_equal(xenabi_diff_releases(ctx, o, n, &d), 0);
	/* One finding at the root: the widening, with its consequences. */
	f = find(d, XENABI_MEMBER_WIDENED, "inner.y");
	assert_non_null(f);
	assert_string_equal(f->detail, "inner 4 -> 8 bytes; align 2 -> 4; shifts: outer");
	assert_int_equal(f->severity, XENABI_SEV_BREAK);
	assert_non_null(strstr(f->reason, "widened"));
	/* Two ABIs, one finding naming both. */
	assert_int_equal(f->abis, 0x3);
	assert_int_equal(f->view, XENABI_VIEW_GUEST);
	assert_null(find(d, XENABI_SIZE_CHANGED, "inner"));
	assert_null(find(d, XENABI_MEMBER_OFFSET_CHANGED, "inner.y"));
	/* outer only moved because inner grew: nothing of its own. */
	assert_null(find(d, XENABI_SIZE_CHANGED, "outer"));
	assert_null(find(d, XENABI_MEMBER_OFFSET_CHANGED, "outer.after"));
	f = find(d, XENABI_MEMBER_ADDED, "pad.flags");
	assert_non_null(f);
	assert_int_equal(f->severity, XENABI_SEV_INFO);
	assert_string_equal(f->detail, "in former padding");
	assert_int_equal(xenabi_diff_count(d, XENABI_SEV_BREAK), 1);
	/* The diff owns its findings and wrote nothing into the releases. */
	assert_int_equal(new_types[1].size, before);
	xenabi_diff_free(d);

	/* A release against itself says nothing. */
	assert_int_equal(xenabi_diff_releases(ctx, n, n, &d), 0);
	assert_int_equal(d->nfindings, 0);
	xenabi_diff_free(d);
	xenabi_release_free(o);
	xenabi_release_free(n);
	xenabi_ctx_free(ctx);
}

static void test_no_common_abi(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xenabi_release *o = release("o", old_types, 3, 0x1);
	struct xenabi_release *n = release("n", new_types, 3, 0x4);
	struct xenabi_diff *d;

	(void)state;
	assert_int_equal(xenabi_diff_releases(ctx, o, n, &d), -XENABI_EINVAL);
	assert_null(d);
	assert_non_null(strstr(xenabi_errmsg(ctx), "no ABI in common"));
	xenabi_release_free(o);
	xenabi_release_free(n);
	xenabi_ctx_free(ctx);
}

static void test_names(void **state)
{
	(void)state;
	for (int k = 0; k < XENABI_CHANGE_COUNT; k++)
		assert_non_null(xenabi_change_kind_name(k));
	assert_null(xenabi_change_kind_name(XENABI_CHANGE_COUNT));
	assert_int_equal(xenabi_severity_parse("risk"), XENABI_SEV_RISK);
	assert_int_equal(xenabi_severity_parse("fatal"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roots_and_collapse),
		cmocka_unit_test(test_no_common_abi),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
