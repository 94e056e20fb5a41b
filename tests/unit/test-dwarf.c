/*
 * Unit tests: dwarf, on objects clang compiles here from small sources,
 * one per ABI: bit-fields in both DWARF encodings, anonymous members,
 * arrays, typedef-named aggregates, alignment, enumerators, macros.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xa.h"

static char dir[] = "/tmp/xenabi-dwarf.XXXXXX";

static const char source[] =
	"#define ANSWER 42\n"
	"#define GONE 1\n"
	"#undef GONE\n"
	"#define TWICE(x) ((x) * 2)\n"
	"typedef unsigned long long u64;\n"
	"struct s {\n"
	"  unsigned char c;\n"
	"  u64 v;\n"
	"  unsigned int a:3, b:7;\n"
	"  union { int i; short h; } u;\n"
	"  struct { int x; };\n"
	"  char name[2][5];\n"
	"  void (*fn)(int, ...);\n"
	"  const char *const str;\n"
	"};\n"
	"typedef struct { int q; } anon_t;\n"
	"enum e { E_NEG = -2, E_POS = 7 };\n"
	"struct __attribute__((packed)) p { char a; int b; };\n";

static int setup(void **state)
{
	char path[128];
	FILE *f;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.h", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(source, f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xa_rmdir(dir);
	return 0;
}

static const struct xenabi_type *find(struct xa_vec *types, int kind,
				      const char *name)
{
	struct xenabi_type *t = types->data;

	for (size_t i = 0; i < types->len; i++)
		if ((int)t[i].kind == kind && !strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static const struct xenabi_member *member(const struct xenabi_type *t,
					  const char *name)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (!strcmp(t->members[i].name, name))
			return &t->members[i];
	return NULL;
}

static void compile(const char *triple, const char *dwarf, char *obj)
{
	char cmd[512];

	snprintf(obj, 128, "%s/t-%s-%s.o", dir, triple, dwarf);
	snprintf(cmd, sizeof(cmd),
		 "echo '#include \"t.h\"' | clang --target=%s -ffreestanding "
		 "-w -x c -c -g3 %s -fdebug-macro "
		 "-fno-eliminate-unused-debug-types -I %s -o %s -",
		 triple, dwarf, dir, obj);
	assert_int_equal(system(cmd), 0);
}

static void check_abi(enum xenabi_abi abi, const char *triple,
		      const char *dwarf)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xa_arena *arena = xa_arena_new();
	struct xa_vec types, consts;
	const struct xenabi_type *s, *t;
	const struct xenabi_member *m;
	struct xa_macro *macros;
	size_t nmacros;
	char obj[128];
	bool answer = false;
	unsigned ptr = xa_abi_info(abi)->pointer_size;

	compile(triple, dwarf, obj);
	xa_vec_init(&types, sizeof(struct xenabi_type));
	xa_vec_init(&consts, sizeof(struct xenabi_const));
	assert_int_equal(xa_dwarf_read_types(ctx, obj, dir, abi, arena, &types,
					     &consts), 0);
	s = find(&types, XENABI_KIND_STRUCT, "s");
	assert_non_null(s);
	assert_string_equal(s->file, "t.h");
	assert_int_equal(s->line, 6);
	m = member(s, "v");
	assert_string_equal(m->type, "u64");
	assert_string_equal(m->base, "unsigned long long");
	assert_int_equal(m->bits, 64);
	/* i386 aligns a long long to 4 inside a struct. */
	assert_int_equal(m->offset, abi == XENABI_ABI_X86_32 ? 4 : 8);
	assert_int_equal(s->align, abi == XENABI_ABI_X86_32 ? 4 : 8);
	m = member(s, "b");
	assert_int_equal(m->bit_size, 7);
	assert_int_equal(m->bit_offset, 3);
	assert_int_equal(m->size, 4);
	m = member(s, "u");
	assert_string_equal(m->type, "union s.u");
	assert_non_null(find(&types, XENABI_KIND_UNION, "s.u"));
	m = member(s, "");
	assert_string_equal(m->type, "struct s.@0");
	assert_non_null(find(&types, XENABI_KIND_STRUCT, "s.@0"));
	m = member(s, "name");
	assert_string_equal(m->type, "char[2][5]");
	assert_string_equal(m->dims, "[2][5]");
	assert_int_equal(m->size, 10);
	m = member(s, "fn");
	assert_string_equal(m->type, "void (*)(int, ...)");
	assert_int_equal(m->size, ptr);
	assert_int_equal(m->base_class, XENABI_BASE_POINTER);
	m = member(s, "str");
	assert_string_equal(m->type, "const char * const");
	t = find(&types, XENABI_KIND_STRUCT, "anon_t");
	assert_non_null(t);
	t = find(&types, XENABI_KIND_TYPEDEF, "anon_t");
	assert_string_equal(t->target, "struct anon_t");
	t = find(&types, XENABI_KIND_STRUCT, "p");
	assert_int_equal(t->size, 5);
	assert_int_equal(t->align, 1);
	t = find(&types, XENABI_KIND_ENUM, "e");
	assert_int_equal(t->members[0].value, -2);
	assert_int_equal(consts.len, 2);

	assert_int_equal(xa_dwarf_read_macros(ctx, obj, &macros, &nmacros), 0);
	for (size_t i = 0; i < nmacros; i++) {
		assert_string_not_equal(macros[i].name, "GONE");
		if (!strcmp(macros[i].name, "ANSWER")) {
			answer = true;
			assert_string_equal(macros[i].text, "42");
			assert_int_equal(macros[i].line, 1);
			assert_non_null(strstr(macros[i].file, "/t.h"));
		}
		if (!strcmp(macros[i].name, "TWICE"))
			assert_true(macros[i].function_like);
	}
	assert_true(answer);
	xa_macros_free(macros, nmacros);
	xa_vec_release(&types);
	xa_vec_release(&consts);
	xa_arena_free(arena);
	xenabi_ctx_free(ctx);
}

static void test_abis(void **state)
{
	(void)state;
	check_abi(XENABI_ABI_X86_32, "i386-linux-gnu", "-gdwarf-4");
	check_abi(XENABI_ABI_X86_64, "x86_64-linux-gnu", "-gdwarf-4");
	check_abi(XENABI_ABI_ARM32, "arm-linux-gnueabihf", "-gdwarf-4");
	check_abi(XENABI_ABI_ARM64, "aarch64-linux-gnu", "-gdwarf-4");
}

/* The DWARF 2 bit-field encoding counts from the most significant bit. */
static void test_dwarf2_bitfields(void **state)
{
	(void)state;
	check_abi(XENABI_ABI_X86_64, "x86_64-linux-gnu", "-gdwarf-2");
}

static void test_bad_objects(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xa_arena *arena = xa_arena_new();
	struct xa_vec types, consts;
	char path[128];
	FILE *f;

	(void)state;
	xa_vec_init(&types, sizeof(struct xenabi_type));
	xa_vec_init(&consts, sizeof(struct xenabi_const));
	snprintf(path, sizeof(path), "%s/garbage.o", dir);
	f = fopen(path, "w");
	fputs("\177ELF garbage", f);
	fclose(f);
	assert_int_equal(xa_dwarf_read_types(ctx, path, dir, XENABI_ABI_X86_64,
					     arena, &types, &consts),
			 -XENABI_EDWARF);
	assert_int_equal(xa_dwarf_read_types(ctx, "/nonexistent.o", dir,
					     XENABI_ABI_X86_64, arena, &types,
					     &consts),
			 -XENABI_EDWARF);
	xa_arena_free(arena);
	xenabi_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abis),
		cmocka_unit_test(test_dwarf2_bitfields),
		cmocka_unit_test(test_bad_objects),
	};

	return cmocka_run_group_tests_name("dwarf", tests, setup, teardown);
}
