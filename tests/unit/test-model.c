/* Unit tests: the model (arena, vectors, buffers, name tables). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xa.h"

static void test_arena(void **state)
{
	struct xa_arena *a = xa_arena_new(), *b = xa_arena_new();
	char *big;

	(void)state;
	assert_non_null(a);
	assert_string_equal(xa_arena_strdup(a, "xen"), "xen");
	assert_string_equal(xa_arena_strndup(a, "xenabi", 3), "xen");
	assert_string_equal(xa_arena_printf(a, "%s.%d", "u", 7), "u.7");
	/* Larger than a chunk, and longer than printf's small buffer. */
	big = xa_arena_alloc(a, 1 << 20);
	assert_non_null(big);
	big[(1 << 20) - 1] = 1;
	assert_int_equal(strlen(xa_arena_printf(a, "%0300d", 1)), 300);
	assert_null(xa_arena_strdup(a, NULL));
	/* Adopting moves ownership; freeing both frees everything once. */
	assert_string_equal(xa_arena_strdup(b, "kept"), "kept");
	xa_arena_adopt(a, b);
	xa_arena_free(b);
	xa_arena_free(a);
	xa_arena_free(NULL);
}

static void test_vec(void **state)
{
	struct xa_arena *a = xa_arena_new();
	struct xa_vec v;
	size_t len;
	int *out;

	(void)state;
	xa_vec_init(&v, sizeof(int));
	for (int i = 0; i < 1000; i++)
		*(int *)xa_vec_push(&v) = i;
	out = xa_vec_finish(&v, a, &len);
	assert_int_equal(len, 1000);
	assert_int_equal(out[999], 999);
	assert_int_equal(v.len, 0);
	xa_vec_init(&v, sizeof(int));
	assert_null(xa_vec_finish(&v, a, &len));
	assert_int_equal(len, 0);
	xa_arena_free(a);
}

static void test_buf(void **state)
{
	struct xa_buf b;
	char *s;

	(void)state;
	xa_buf_init(&b);
	s = xa_buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	xa_buf_puts(&b, "a");
	xa_buf_printf(&b, "%s%0600d", "b", 0);
	s = xa_buf_detach(&b);
	assert_int_equal(strlen(s), 602);
	assert_memory_equal(s, "ab0", 3);
	free(s);
}

static void test_release_names(void **state)
{
	(void)state;
	assert_true(xenabi_release_name_cmp("4.9.0", "4.10.0") < 0);
	assert_true(xenabi_release_name_cmp("4.10.0", "4.9.0") > 0);
	assert_true(xenabi_release_name_cmp("4.17.0", "4.17.0") == 0);
	assert_true(xenabi_release_name_cmp("4.17.0", "4.17.1") < 0);
	assert_true(xenabi_release_name_cmp("4.22.0", "next") < 0);
	assert_true(xenabi_release_name_cmp("4.2", "4.2.0") < 0);
}

static void test_names(void **state)
{
	(void)state;
	for (int i = 0; i < XENABI_ABI_COUNT; i++)
		assert_int_equal(xenabi_abi_parse(xenabi_abi_name(i)), i);
	for (int i = 0; i < XENABI_NVIEWS; i++)
		assert_int_equal(xenabi_view_parse(xenabi_view_name(i)), i);
	for (int i = 0; i < XENABI_KIND_COUNT; i++)
		assert_int_equal(xenabi_kind_parse(xenabi_kind_name(i)), i);
	assert_int_equal(xenabi_abi_parse("x86"), -1);
	assert_null(xenabi_abi_name(XENABI_ABI_COUNT));
	assert_null(xenabi_kind_name(XENABI_KIND_COUNT));
	assert_string_equal(xenabi_const_class_name(XENABI_CONST_STRING), "string");
	assert_string_equal(xenabi_base_class_name(XENABI_BASE_POINTER), "pointer");
	assert_string_equal(xenabi_view_name(XENABI_VIEW_LATEST), "latest");
	assert_null(xenabi_view_name(XENABI_NVIEWS));
	/* Old units keep their bits; the latest view's follow them. */
	assert_int_equal(XENABI_UNIT_COUNT, 12);
	assert_int_equal(XENABI_UNIT(XENABI_ABI_X86_64, XENABI_VIEW_TOOLS), 2);
	assert_int_equal(XENABI_UNIT(XENABI_ABI_ARM64, XENABI_VIEW_GUEST), 7);
	assert_int_equal(XENABI_UNIT(XENABI_ABI_X86_32, XENABI_VIEW_LATEST), 8);
	assert_int_equal(XENABI_UNIT(XENABI_ABI_ARM64, XENABI_VIEW_LATEST), 11);
	for (int u = 0; u < XENABI_UNIT_COUNT; u++)
		assert_int_equal(XENABI_UNIT(xenabi_unit_abi(u),
					     xenabi_unit_view(u)), u);
	/* Masks stored before the latest view: units 0..7 are abi * 2 + view. */
	for (int u = 0; u < 2 * XENABI_ABI_COUNT; u++) {
		assert_int_equal(u / 2, xenabi_unit_abi(u));
		assert_int_equal(u % 2, xenabi_unit_view(u));
	}
}

/* The comma-separated lists of rule fields: whole items only. */
static void test_lists(void **state)
{
	const char *list = "xen/arch/x86/hvm/hvm.c,xen/arch/arm/hvm.c";
	char item[64];

	(void)state;
	assert_true(xa_list_has("arm32,arm64", "arm64"));
	assert_false(xa_list_has("arm32,arm64", "arm"));
	assert_false(xa_list_has("xarm32", "arm32"));
	assert_false(xa_list_has("", "arm32"));
	assert_true(xa_list_next(&list, item, sizeof(item)));
	assert_string_equal(item, "xen/arch/x86/hvm/hvm.c");
	assert_true(xa_list_next(&list, item, sizeof(item)));
	assert_string_equal(item, "xen/arch/arm/hvm.c");
	assert_false(xa_list_next(&list, item, sizeof(item)));
}

static void test_error(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();

	(void)state;
	assert_string_equal(xenabi_errmsg(ctx), "");
	assert_int_equal(xa_error(ctx, XENABI_EIO, "cannot %s\n'%s'", "read", "x"),
			 -XENABI_EIO);
	/* Always one line, whatever the message had in it. */
	assert_string_equal(xenabi_errmsg(ctx), "cannot read 'x'");
	xenabi_ctx_free(ctx);
	xenabi_ctx_free(NULL);
}

static void test_digest(void **state)
{
	struct xenabi_member m = { .name = "a", .type = "int", .base = "int",
				   .dims = "", .size = 4, .bits = 32 };
	struct xenabi_type t = { .kind = XENABI_KIND_STRUCT, .name = "s",
				 .target = "", .size = 4, .align = 4,
				 .nmembers = 1, .members = &m,
				 .file = "a.h", .line = 1 };
	uint8_t d1[32], d2[32];

	(void)state;
	xa_type_digest(&t, d1);
	/* Where it was declared is not part of what it is. */
	t.file = "b.h";
	t.line = 99;
	xa_type_digest(&t, d2);
	assert_memory_equal(d1, d2, 32);
	m.bits = 16;
	xa_type_digest(&t, d2);
	assert_memory_not_equal(d1, d2, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_vec),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_release_names),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_digest),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
