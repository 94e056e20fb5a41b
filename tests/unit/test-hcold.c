/* Unit tests: hcold (the hypercall tables of Xen before 4.17). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "xa.h"

#define TREE "tests/fixtures/hcold/tree"
#define PVFILE "xen/arch/x86/pv/hypercall.c"

/* The fixture's files, copied into a scratch tree for each variant. */
static const char *const tree_files[] = {
	"xen/arch/x86/pv/hypercall.c", "xen/arch/x86/hvm/hypercall.c",
	"xen/arch/arm/traps.c",	       "xen/include/xen/hypercall.h",
	"xen/include/asm-x86/hypercall.h", "xen/include/asm-x86/paging.h",
	"xen/include/asm-arm/hypercall.h", "xen/include/asm-arm/paging.h",
};

struct want {
	const char *name, *kind, *handler, *rettype, *params;
	bool optional;
	const char *file;
};

static const struct want tree_cells[] = {
#define PV "xen/arch/x86/pv/hypercall.c"
#define HVM "xen/arch/x86/hvm/hypercall.c"
#define ARM "xen/arch/arm/traps.c"
	{ "memory_op", "pv64", "do_memory_op", "long",
	  "unsigned long cmd, void *arg", false, PV },
	{ "memory_op", "pv32", "compat_memory_op", "int",
	  "unsigned int cmd, void *arg", false, PV },
	{ "console_io", "pv64", "do_console_io", "long",
	  "unsigned int cmd, unsigned int count, char *buffer", false, PV },
	{ "console_io", "pv32", "do_console_io", "long",
	  "unsigned int cmd, unsigned int count, char *buffer", false, PV },
	{ "frob_op", "pv64", "do_frob_op", "long",
	  "unsigned int cmd, void *arg", true, PV },
	{ "frob_op", "pv32", "compat_frob_op", "int",
	  "unsigned int cmd, void *arg", true, PV },
	/* Found in asm-x86/paging.h; asm-arm's is another architecture's. */
	{ "arch_1", "pv64", "fixture_continuation", "long", "xen_domctl_t *",
	  false, PV },
	{ "arch_1", "pv32", "fixture_continuation", "long", "xen_domctl_t *",
	  false, PV },
	{ "memory_op", "hvm64", "hvm_memory_op", "long", "int cmd, void *arg",
	  false, HVM },
	{ "memory_op", "hvm32", "hvm_memory_op", "long", "int cmd, void *arg",
	  false, HVM },
	{ "console_io", "hvm64", "hvm_console_io", "long",
	  "unsigned int cmd, unsigned int count, char *buffer", false, HVM },
	{ "console_io", "hvm32", "hvm_console_io", "long",
	  "unsigned int cmd, unsigned int count, char *buffer", false, HVM },
	{ "memory_op", "arm", "do_memory_op", "long",
	  "unsigned long cmd, void *arg", false, ARM },
	{ "console_io", "arm", "do_deprecated_hypercall", "register_t", "",
	  false, ARM },
	{ "frob_op", "arm", "do_frob_op", "long", "unsigned int cmd, void *arg",
	  true, ARM },
#undef PV
#undef HVM
#undef ARM
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t cap = 0, n;

	assert_non_null(f);
	n = getdelim(&s, &cap, '\0', f);
	assert_true(n != (size_t)-1);
	fclose(f);
	return s;
}

/* Write (mode "w") or append ("a") text to top/rel, making directories. */
static void put(const char *top, const char *rel, const char *text,
		const char *mode)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	for (char *p = strchr(path + strlen(top) + 1, '/'); p;
	     p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	assert_non_null(f = fopen(path, mode));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/*
 * A copy of the fixture tree in a scratch directory, with extra appended
 * to file rel, or else rel's text replaced by text (NULL: removed).
 */
static char *variant(struct xenabi_ctx *ctx, const char *rel,
		     const char *text, const char *extra)
{
	char *dir;

	assert_int_equal(xa_tmpdir(ctx, &dir), 0);
	for (size_t i = 0; i < XA_ARRAY_SIZE(tree_files); i++) {
		char path[4096], *old;

		if (!strcmp(rel, tree_files[i]) && !extra)
			continue;
		snprintf(path, sizeof(path), "%s/%s", TREE, tree_files[i]);
		old = slurp(path);
		put(dir, tree_files[i], old, "w");
		free(old);
		if (!strcmp(rel, tree_files[i]))
			put(dir, rel, extra, "a");
	}
	if (!extra && text)
		put(dir, rel, text, "w");
	return dir;
}

/* A cell that was there before must stay, whatever the call does. */
static void seed(struct xa_vec *cells)
{
	struct xa_hcall_cell *c;

	xa_vec_init(cells, sizeof(struct xa_hcall_cell));
	assert_non_null(c = xa_vec_push(cells));
	c->name = strdup("before");
	c->handler = strdup("do_before");
	c->rettype = strdup("long");
	c->params = strdup("");
	c->file = strdup("elsewhere");
}

static void test_tree(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xa_vec cells;
	char *failure = (char *)"unset";

	(void)state;
	seed(&cells);
	assert_int_equal(xa_hcall_read_tables(ctx, TREE, &cells, &failure), 0);
	assert_null(failure);
	assert_int_equal(cells.len, 1 + XA_ARRAY_SIZE(tree_cells));
	for (size_t i = 0; i < XA_ARRAY_SIZE(tree_cells); i++) {
		const struct xa_hcall_cell *c =
			(struct xa_hcall_cell *)cells.data + 1 + i;
		const struct want *w = &tree_cells[i];

		assert_string_equal(c->name, w->name);
		assert_string_equal(xa_guest_kind_name(c->kind), w->kind);
		assert_string_equal(c->handler, w->handler);
		assert_string_equal(c->rettype, w->rettype);
		assert_string_equal(c->params, w->params);
		assert_int_equal(c->optional, w->optional);
		assert_int_equal(c->priority, 0);
		assert_string_equal(c->file, w->file);
	}
	xa_hcall_cells_release(&cells);
	xenabi_ctx_free(ctx);
}

/* Trees this reader leaves to others: nothing read, nothing appended. */
static void test_not_ours(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	/* 4.17 on: hypercall-defs.c, read by lib/hypercall.c. */
	char *defs = variant(ctx, "xen/include/hypercall-defs.c", "", NULL);
	/* Before 4.8: the PV table is in assembly, no C table to read. */
	char *asm_only = variant(ctx, "xen/arch/x86/pv/hypercall.c", NULL, NULL);
	const char *tops[] = { defs, asm_only, "tests/fixtures/hcold/no-such-tree" };
	struct xa_vec cells;
	char *failure;

	(void)state;
	for (size_t i = 0; i < XA_ARRAY_SIZE(tops); i++) {
		seed(&cells);
		assert_int_equal(xa_hcall_read_tables(ctx, tops[i], &cells,
						      &failure), 1);
		assert_null(failure);
		assert_int_equal(cells.len, 1);
		xa_hcall_cells_release(&cells);
	}
	xa_rmdir(defs);
	xa_rmdir(asm_only);
	free(defs);
	free(asm_only);
	xenabi_ctx_free(ctx);
}

/*
 * Tables that are there but cannot be read soundly: a failure naming
 * what, 0 returned, and nothing appended (the arm table fails last, after
 * the x86 cells were made).
 */
static void test_failures(void **state)
{
	static const struct {
		const char *rel, *text, *extra, *why;
	} cases[] = {
		{ "xen/include/asm-x86/hypercall.h",
		  "typedef struct {\n    hypercall_fn_t *native, *compat;\n"
		  "} pv_hypercall_table_t;\n", NULL,
		  PVFILE ": no prototype found for compat_frob_op" },
		{ "xen/include/xen/hypercall.h", NULL,
		  "#define compat_memory_op other_memory_op\n",
		  PVFILE ": compat_memory_op is a macro in "
		  "xen/include/xen/hypercall.h" },
		{ "xen/include/xen/hypercall.h", NULL,
		  "long do_memory_op(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg);\n",
		  PVFILE ": conflicting prototypes for do_memory_op" },
		{ "xen/arch/arm/traps.c",
		  "static arm_hypercall_t arm_hypercall_table[] = {\n"
		  "    { do_memory_op, 2 },\n};\n", NULL,
		  "xen/arch/arm/traps.c: cannot read arm_hypercall_table" },
		{ "xen/arch/arm/traps.c",
		  "static register_t do_deprecated_hypercall(void);\n"
		  "static arm_hypercall_t arm_hypercall_table[] = {\n"
		  "    [ __HYPERVISOR_memory_op ] = { .fn = &do_no_such_op },\n"
		  "};\n", NULL,
		  "xen/arch/arm/traps.c: no prototype found for do_no_such_op" },
		{ "xen/arch/arm/traps.c", "static int nothing;\n", NULL,
		  "xen/arch/arm/traps.c: no arm_hypercall_table found" },
		{ "xen/arch/x86/hvm/hypercall.c",
		  "static const hypercall_table_t hvm_hypercall_table[] = {\n"
		  "#ifndef CONFIG_FROB\n"
		  "    [ __HYPERVISOR_frob_op ] = { .native = do_frob_op,\n"
		  "                                 .compat = do_frob_op },\n"
		  "#endif\n};\n",
		  NULL, "frob_op (hvm64) is do_frob_op only in a build without" },
		{ "xen/arch/x86/hvm/hypercall.c",
		  "#if FIXTURE_VERSION(4)\n#define X(x) do_ ## x\n#endif\n"
		  "static const hypercall_table_t hvm_hypercall_table[] = {\n"
		  "    [ __HYPERVISOR_frob_op ] = { X(frob_op), X(frob_op) },\n"
		  "};\n",
		  NULL, "the hypercall tables do not preprocess" },
	};
	struct xenabi_ctx *ctx = xenabi_ctx_new();

	(void)state;
	for (size_t i = 0; i < XA_ARRAY_SIZE(cases); i++) {
		char *top = variant(ctx, cases[i].rel, cases[i].text,
				    cases[i].extra);
		struct xa_vec cells;
		char *failure = NULL;

		seed(&cells);
		assert_int_equal(xa_hcall_read_tables(ctx, top, &cells,
						      &failure), 0);
		assert_non_null(failure);
		if (!strstr(failure, cases[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, failure,
				 cases[i].why);
		assert_int_equal(cells.len, 1);
		assert_string_equal(((struct xa_hcall_cell *)cells.data)->name,
				    "before");
		free(failure);
		xa_hcall_cells_release(&cells);
		xa_rmdir(top);
		free(top);
	}
	xenabi_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
