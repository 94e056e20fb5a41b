/* Unit tests: source (paths, finding headers) and abi (header ownership). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xa.h"

static void norm(const char *in, const char *want)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", in);
	xa_path_normalise(buf);
	assert_string_equal(buf, want);
}

static void test_normalise(void **state)
{
	(void)state;
	norm("/a/b/../c", "/a/c");
	norm("/a/./b//c/", "/a/b/c");
	norm("/pub/io/../xen.h", "/pub/xen.h");
	norm("/..", "/");
	norm(".", ".");
	norm("", "");
	norm("a/../..", "..");
	norm("../x", "../x");
	norm(".", ".");
	norm("", "");
	norm("a/b/../../", ".");
}

static void test_owns(void **state)
{
	(void)state;
	assert_true(xa_abi_owns_header(XENABI_ABI_X86_32, "memory.h"));
	assert_true(xa_abi_owns_header(XENABI_ABI_X86_32, "arch-x86/xen-x86_32.h"));
	assert_false(xa_abi_owns_header(XENABI_ABI_X86_32, "arch-x86/xen-x86_64.h"));
	assert_true(xa_abi_owns_header(XENABI_ABI_X86_64, "arch-x86_64.h"));
	assert_false(xa_abi_owns_header(XENABI_ABI_X86_64, "arch-x86_32.h"));
	assert_false(xa_abi_owns_header(XENABI_ABI_X86_64, "arch-arm.h"));
	assert_true(xa_abi_owns_header(XENABI_ABI_ARM32, "arch-arm/hvm/save.h"));
	assert_false(xa_abi_owns_header(XENABI_ABI_ARM64, "arch-x86/xen.h"));
	/* Architectures xenabi does not probe belong to nobody. */
	for (int a = 0; a < XENABI_ABI_COUNT; a++) {
		assert_false(xa_abi_owns_header(a, "arch-ia64.h"));
		assert_false(xa_abi_owns_header(a, "arch-riscv.h"));
	}
}

static void test_source_open(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xa_source src, again;

	(void)state;
	assert_int_equal(xa_source_open(ctx, "tests/fixtures/mini", &src), 0);
	assert_true(src.has_arm);
	assert_non_null(strstr(src.public_dir, "/xen/include/public"));
	assert_int_equal(src.public_dir[0], '/');
	assert_string_equal(src.headers[0], "arch-arm.h");
	for (size_t i = 1; i < src.nheaders; i++)
		assert_true(strcmp(src.headers[i - 1], src.headers[i]) < 0);
	for (size_t i = 0; i < src.nheaders; i++)
		assert_int_equal(!strcmp(src.headers[i], "io/sysdep.h"),
				 src.system_include[i]);
	/* The public directory itself is the same tree, with the same hash. */
	assert_int_equal(xa_source_open(ctx, src.public_dir, &again), 0);
	assert_string_equal(src.tree_hash, again.tree_hash);
	assert_int_equal(strlen(src.tree_hash), 64);
	xa_source_release(&again);
	xa_source_release(&src);

	assert_int_equal(xa_source_open(ctx, "tests/unit", &src), -XENABI_ENOTREE);
	assert_non_null(strstr(xenabi_errmsg(ctx), "is not a Xen tree"));
	assert_int_equal(xa_source_open(ctx, "tests/no-such-dir", &src), -XENABI_EIO);
	xenabi_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_owns),
		cmocka_unit_test(test_source_open),
	};

	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
