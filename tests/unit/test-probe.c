/* Unit tests: probe (blaming compiler errors, argument vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xa.h"

struct blamed {
	unsigned long lines[16];
	char msgs[16][128];
	size_t n;
};

static void collect(void *data, unsigned long line, const char *msg,
		    size_t len)
{
	struct blamed *b = data;

	if (b->n < 16) {
		b->lines[b->n] = line;
		snprintf(b->msgs[b->n], sizeof(b->msgs[0]), "%.*s", (int)len, msg);
		b->n++;
	}
}

static void test_blame(void **state)
{
	static const char diag[] =
		"In file included from /w/p.c:5:\n"
		"In file included from /pub/domctl.h:38:\n"
		"/pub/xen.h:10:2: error: first\n"
		"/pub/xen.h:11:2: note: ignored\n"
		"/w/p.c:7:3: error: direct\n"
		"In file included from /w/p.c:9:\n"
		"/pub/io/x.h:2:10: fatal error: 'sys/types.h' file not found\n"
		"/w/p.c:12:1: warning: not an error\n"
		"In file included from /w/p.c.other:4:\n"
		"/pub/y.h:1:1: error: not from our probe\n"
		"3 errors generated.\n";
	struct blamed b = { 0 };

	(void)state;
	assert_int_equal(xa_probe_blame(diag, "/w/p.c", collect, &b), 4);
	assert_int_equal(b.n, 4);
	/* Errors in included files are blamed on the probe's include line. */
	assert_int_equal(b.lines[0], 5);
	assert_string_equal(b.msgs[0], "/pub/xen.h:10:2: error: first");
	assert_int_equal(b.lines[1], 7);
	assert_int_equal(b.lines[2], 9);
	assert_non_null(strstr(b.msgs[2], "fatal error"));
	/* A path that only starts like ours is not ours. */
	assert_int_equal(b.lines[3], 0);
	assert_int_equal(xa_probe_blame("", "/w/p.c", collect, &b), 0);
}

static void test_argv(void **state)
{
	static const char *const extra[] = { "-c", "-g", NULL };
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	char **argv;
	bool tools = false, target = false, after = false;
	size_t n;

	(void)state;
	assert_int_equal(xenabi_ctx_set_compiler(ctx, "my-clang"), 0);
	argv = xa_probe_argv(ctx, XENABI_ABI_ARM32, XENABI_VIEW_TOOLS,
			     "/x/xen/include/public", extra, "in.c", "out.o");
	assert_non_null(argv);
	assert_string_equal(argv[0], "my-clang");
	for (n = 0; argv[n]; n++) {
		tools |= !strcmp(argv[n], "-D__XEN_TOOLS__");
		target |= !strcmp(argv[n], "--target=arm-linux-gnueabihf");
		after |= !strcmp(argv[n], "/x/xen/include");
	}
	assert_true(tools && target && after);
	assert_string_equal(argv[n - 3], "in.c");
	assert_string_equal(argv[n - 1], "out.o");
	xa_argv_free(argv);

	argv = xa_probe_argv(ctx, XENABI_ABI_X86_32, XENABI_VIEW_GUEST,
			     "/usr/include/xen", NULL, "in.c", NULL);
	for (n = 0; argv[n]; n++) {
		assert_string_not_equal(argv[n], "-D__XEN_TOOLS__");
		assert_string_not_equal(argv[n], "-idirafter");
	}
	assert_string_equal(argv[n - 1], "in.c");
	xa_argv_free(argv);

	/* latest: a guest at the release's own latest interface version. */
	argv = xa_probe_argv(ctx, XENABI_ABI_X86_64, XENABI_VIEW_LATEST,
			     "/usr/include/xen", NULL, "in.c", NULL);
	for (n = 0, tools = false; argv[n]; n++) {
		assert_string_not_equal(argv[n], "-D__XEN_TOOLS__");
		tools |= !strcmp(argv[n], "-D__XEN_INTERFACE_VERSION__="
					  "__XEN_LATEST_INTERFACE_VERSION__");
	}
	assert_true(tools);
	xa_argv_free(argv);
	xenabi_ctx_free(ctx);
}

static void test_run(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	char *ok[] = { "sh", "-c", "echo oops >&2; exit 3", NULL };
	char *missing[] = { "/nonexistent/xenabi-cc", NULL };
	struct xa_run run;

	(void)state;
	assert_int_equal(xa_probe_run(ctx, ok, NULL, &run), 0);
	assert_int_equal(run.status, 3);
	assert_string_equal(run.err, "oops\n");
	xa_run_release(&run);
	assert_int_equal(xa_probe_run(ctx, missing, NULL, &run),
			 -XENABI_ECOMPILER);
	assert_non_null(strstr(xenabi_errmsg(ctx), "/nonexistent/xenabi-cc"));
	xa_run_release(&run);
	xenabi_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blame),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_run),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
