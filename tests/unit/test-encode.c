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
	assert_string_equal(xa_encoding_layout(a, "start_extent", 6, 64),
			    "cmd: [63..6] start_extent | [5..0] op");
	assert_string_equal(xa_encoding_layout(a, "arg", 12, 32),
			    "cmd: [31..12] arg | [11..0] op");
	assert_string_equal(xa_encoding_layout(a, "arg", 0, 32), "cmd[31..0] op");
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
	xa_encodings_free(enc, n);
	xenabi_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_manifest),
	};

	return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}
