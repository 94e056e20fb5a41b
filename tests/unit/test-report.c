/* Unit tests: report (pahole-style text and JSON of a layout). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xa.h"

static struct xenabi_member members[] = {
	{ .name = "kind", .type = "uint8_t", .base = "unsigned char", .dims = "",
	  .offset = 0, .size = 1, .bits = 8 },
	{ .name = "mode", .type = "unsigned int", .base = "unsigned int",
	  .dims = "", .offset = 4, .size = 4, .bits = 3, .bit_offset = 0,
	  .bit_size = 3 },
	{ .name = "handle", .type = "uint8_t[16]", .base = "unsigned char",
	  .dims = "[16]", .offset = 8, .size = 16, .bits = 8 },
	{ .name = "tail", .type = "uint16_t", .base = "unsigned short",
	  .dims = "", .offset = 24, .size = 2, .bits = 16 },
};

static const struct xenabi_type type = {
	.kind = XENABI_KIND_STRUCT, .name = "s", .target = "", .file = "x.h",
	.line = 3, .size = 32, .align = 8, .nmembers = 4, .members = members,
};

static void test_text(void **state)
{
	struct xenabi_unit unit = { .abi = XENABI_ABI_X86_64, .ntypes = 1,
				    .types = (struct xenabi_type *)&type };
	char *s = xenabi_layout_text(&unit, &type);

	(void)state;
	assert_non_null(s);
	assert_non_null(strstr(s, "struct s {\n"));
	assert_non_null(strstr(s, "/* XXX 3 bytes hole */"));
	assert_non_null(strstr(s, " mode:3;"));
	assert_non_null(strstr(s, " handle[16];"));
	/* The bit-field ends in byte 4; bytes 5..7 are a hole too. */
	assert_non_null(strstr(s, "holes: 2, sum holes: 6"));
	assert_non_null(strstr(s, "/* XXX 6 bytes tail padding */"));
	assert_non_null(strstr(s, "size: 32, align: 8, members: 4"));
	assert_null(strstr(s, " \n"));
	free(s);
}

static void test_json(void **state)
{
	struct xenabi_unit unit = { .abi = XENABI_ABI_ARM32,
				    .view = XENABI_VIEW_GUEST };
	char *s = xenabi_layout_json("4.17.0", &unit, &type);

	(void)state;
	assert_non_null(s);
	assert_non_null(strstr(s, "\"release\": \"4.17.0\""));
	assert_non_null(strstr(s, "\"abi\": \"arm32\""));
	assert_non_null(strstr(s, "\"view\": \"guest\""));
	assert_non_null(strstr(s, "\"bit_size\": 3"));
	/* Only the bit-field has bit_* members. */
	assert_null(strstr(strstr(s, "\"handle\""), "bit_"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
