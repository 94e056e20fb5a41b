/* Unit tests: encode (the manifest, sub-op matching, the bit arithmetic). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xa.h"

static void test_bits(void **state)
{
	struct xa_arena *a = xa_arena_new();

	(void)state;
	assert_int_equal(xa_mask_bits(0x3f), 6);
	assert_int_equal(xa_mask_bits(0xfff), 12);
	assert_int_equal(xa_mask_bits(0xff), 8);
	assert_int_equal(xa_mask_bits(1), 1);
	/* Not 2^n - 1: no op-bit width. */
	assert_int_equal(xa_mask_bits(0x3e), 0);
	assert_int_equal(xa_mask_bits(0x101), 0);
	assert_int_equal(xa_mask_bits(0), 0);
	assert_int_equal(xa_mask_bits(UINT64_MAX), 64);
	xa_arena_free(a);
}

/* A unit holding the given integer constants, sorted as units are. */
static void unit_of(struct xenabi_unit *u, enum xenabi_abi abi,
		    struct xenabi_const *c, size_t n)
{
	memset(u, 0, sizeof(*u));
	u->abi = abi;
	u->consts = c;
	u->nconsts = n;
	qsort(c, n, sizeof(*c), xa_const_cmp);
}

static void test_layout(void **state)
{
	struct xa_encoding mem = { .hypercall = "memory_op", .field = "start_extent",
				   .arg = "cmd", .shift = "S", .mask = "M" };
	struct xa_encoding gnt = { .hypercall = "grant_table_op", .field = "arg",
				   .arg = "cmd", .arg_bits = 32, .shift = "S",
				   .mask = "M" };
	struct xa_encoding hvm = { .hypercall = "hvm_op", .field = "arg",
				   .arg = "op", .mask = "M" };
	struct xa_encoding mmu = { .hypercall = "mmu_update", .field = "preempted",
				   .arg = "count", .arg_bits = 32, .flag = "F" };
	struct xenabi_const c6[] = {
		{ .name = "S", .class = XENABI_CONST_INT, .value = 6 },
		{ .name = "M", .class = XENABI_CONST_INT, .value = 0x3f },
	};
	struct xenabi_const c8[] = {
		{ .name = "S", .class = XENABI_CONST_INT, .value = 8 },
		{ .name = "M", .class = XENABI_CONST_INT, .value = 0xff },
	};
	struct xenabi_const mask_only[] = {
		{ .name = "M", .class = XENABI_CONST_INT, .value = 0xff },
	};
	struct xenabi_const flag[] = {
		{ .name = "F", .class = XENABI_CONST_INT, .value = 0x80000000 },
	};
	struct xenabi_const none[] = {
		{ .name = "OTHER", .class = XENABI_CONST_INT, .value = 1 },
	};
	struct xa_arena *a = xa_arena_new();
	struct xa_enc_bits b6, b8, b;
	struct xenabi_unit u;

	(void)state;
	unit_of(&u, XENABI_ABI_X86_64, c6, 2);
	assert_true(xa_encoding_bits(&mem, &u, &b6));
	assert_int_equal(b6.word, 64);
	assert_int_equal(b6.op_bits, 6);
	assert_int_equal(b6.cont_lo, 6);
	assert_string_equal(xa_encoding_layout(a, &mem, &b6),
			    "cmd: [63..6] start_extent | [5..0] op");
	/* A 32-bit guest's cmd is 32 bits; grant_table_op's always is. */
	unit_of(&u, XENABI_ABI_X86_32, c6, 2);
	assert_true(xa_encoding_bits(&mem, &u, &b));
	assert_string_equal(xa_encoding_layout(a, &mem, &b),
			    "cmd: [31..6] start_extent | [5..0] op");
	assert_false(xa_enc_bits_equal(&b, &b6));
	unit_of(&u, XENABI_ABI_ARM64, c8, 2);
	assert_true(xa_encoding_bits(&gnt, &u, &b8));
	assert_string_equal(xa_encoding_layout(a, &gnt, &b8),
			    "cmd: [31..8] arg | [7..0] op");
	unit_of(&u, XENABI_ABI_ARM64, c8, 2);
	assert_true(xa_encoding_bits(&mem, &u, &b8));
	assert_false(xa_enc_bits_equal(&b6, &b8));
	assert_string_equal(xa_encoding_moved(a, &mem, &b6, &b8),
			    "start_extent moved from cmd[63..6] to cmd[63..8]");
	assert_string_equal(xa_encoding_moved(a, &mem, &b6, NULL),
			    "start_extent is no longer kept in cmd");
	/* A mask alone: the progress is what lies above it. */
	unit_of(&u, XENABI_ABI_X86_64, mask_only, 1);
	assert_true(xa_encoding_bits(&hvm, &u, &b));
	assert_string_equal(xa_encoding_layout(a, &hvm, &b),
			    "op: [63..8] arg | [7..0] op");
	/* A flag: one bit of the count. */
	unit_of(&u, XENABI_ABI_X86_32, flag, 1);
	assert_true(xa_encoding_bits(&mmu, &u, &b));
	assert_string_equal(xa_encoding_layout(a, &mmu, &b),
			    "count: [31] preempted");
	/* None of its macros: not in this unit. */
	unit_of(&u, XENABI_ABI_X86_64, none, 1);
	assert_false(xa_encoding_bits(&mem, &u, &b));
	xa_arena_free(a);
}

static void test_manifest(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xa_encoding *enc;
	const struct xa_encoding *e;
	size_t n;
	enum xa_enc_role role;

	(void)state;
	assert_int_equal(xa_encodings_load(ctx, &enc, &n), 0);
	assert_true(n >= 3);
	e = xa_encoding_of(enc, n, "MEMOP_EXTENT_SHIFT", &role);
	assert_non_null(e);
	assert_int_equal(role, XA_ROLE_SHIFT);
	assert_string_equal(e->hypercall, "memory_op");
	assert_string_equal(e->field, "start_extent");
	assert_non_null(xa_encoding_of(enc, n, "GNTTABOP_CMD_MASK", &role));
	assert_int_equal(role, XA_ROLE_MASK);
	assert_non_null(xa_encoding_of(enc, n, "MMU_UPDATE_PREEMPTED", &role));
	assert_int_equal(role, XA_ROLE_FLAG);
	assert_null(xa_encoding_of(enc, n, "XENMEM_populate_physmap", &role));
	/* Sub-ops: lower-case op names of memory.h, not flags, not sub-sub-ops. */
	assert_true(xa_encoding_subop(e, "memory.h", "XENMEM_populate_physmap"));
	assert_false(xa_encoding_subop(e, "memory.h", "XENMEMF_populate_on_demand"));
	assert_false(xa_encoding_subop(e, "memory.h", "XENMEM_SHARING_OP_FIELD_IS_GREF_FLAG"));
	assert_false(xa_encoding_subop(e, "memory.h", "XENMEM_access_op_set_access"));
	assert_false(xa_encoding_subop(e, "grant_table.h", "XENMEM_populate_physmap"));
	e = xa_encoding_of(enc, n, "GNTTABOP_CMD_MASK", &role);
	assert_true(xa_encoding_subop(e, "grant_table.h", "GNTTABOP_cache_flush"));
	assert_false(xa_encoding_subop(e, "grant_table.h", "GNTTABOP_error_msgs"));
	assert_string_equal(e->arg, "cmd");
	assert_int_equal(e->arg_bits, 32);
	xa_encodings_free(enc, n);
	xenabi_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_manifest),
	};

	return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}
