/* Unit tests: consts (C11's integer literals, value and type). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xa.h"

struct literal_case {
	const char *text;
	unsigned int long_size;
	uint64_t value;
	uint64_t type;		/* 2 * size + signed */
};

static void test_literal_types(void **state)
{
	static const struct literal_case cases[] = {
		{ "0", 4, 0, 9 },
		{ "1", 8, 1, 9 },
		{ "(48)", 4, 48, 9 },
		{ " ( (0x10) ) ", 8, 16, 9 },
		{ "2147483647", 4, 2147483647, 9 },
		/* Decimal: int, long, long long; never unsigned. */
		{ "2147483648", 4, 2147483648u, 17 },
		{ "2147483648", 8, 2147483648u, 17 },
		{ "9223372036854775807", 8, 9223372036854775807u, 17 },
		/* Octal and hex: unsigned int before long. */
		{ "0x80000000", 4, 0x80000000u, 8 },
		{ "0x80000000", 8, 0x80000000u, 8 },
		{ "020000000000", 8, 0x80000000u, 8 },
		{ "0x100000000", 4, 0x100000000u, 17 },
		{ "0x100000000", 8, 0x100000000u, 17 },
		{ "0xffffffffffffffff", 8, UINT64_MAX, 16 },
		{ "0xffffffffffffffff", 4, UINT64_MAX, 16 },
		/* Suffixes take their list from there on. */
		{ "1u", 4, 1, 8 },
		{ "1U", 8, 1, 8 },
		{ "0x100000000U", 4, 0x100000000u, 16 },
		{ "0x100000000U", 8, 0x100000000u, 16 },
		{ "1l", 4, 1, 9 },
		{ "1L", 8, 1, 17 },
		{ "1UL", 4, 1, 8 },
		{ "1lu", 8, 1, 16 },
		{ "0xffffffffL", 4, 0xffffffffu, 8 },
		{ "0xffffffffL", 8, 0xffffffffu, 17 },
		{ "4294967295L", 4, 4294967295u, 17 },
		{ "1LL", 4, 1, 17 },
		{ "1ull", 4, 1, 16 },
		{ "1LLU", 8, 1, 16 },
		{ "0x8000000000000000LL", 8, 0x8000000000000000u, 16 },
	};
	static const char *const not_literals[] = {
		"", "x", "(1", "1)", "((1)", "1 + 2", "-1", "0x", "08", "1.0",
		"1e3", "0b1", "1lL", "1uu", "1Ul2", "'a'", "\"1\"", "1i",
		"18446744073709551616", "9223372036854775808",
		"(1) (2)", "1 1",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t value = 0, type = 0;

		assert_true(xa_integer_literal(cases[i].text, cases[i].long_size,
					       &value, &type));
		assert_int_equal(value, cases[i].value);
		if (type != cases[i].type)
			fail_msg("'%s' with long of %u bytes: type %llu, wanted "
				 "%llu", cases[i].text, cases[i].long_size,
				 (unsigned long long)type,
				 (unsigned long long)cases[i].type);
	}
	for (size_t i = 0; i < sizeof(not_literals) / sizeof(not_literals[0]); i++) {
		uint64_t value, type;

		if (xa_integer_literal(not_literals[i], 8, &value, &type))
			fail_msg("'%s' taken for a literal", not_literals[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
