/* Unit tests: store (schema, put/load round trip, replace, delete). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "xa.h"

static char dir[] = "/tmp/xenabi-unit.XXXXXX";
static char path[64];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xa_rmdir(dir);
	return 0;
}

/* A release with one struct on two units and a constant differing by unit. */
static struct xenabi_release *sample(const char *name, uint32_t space_bits)
{
	struct xenabi_release *rel = xa_release_new(name);
	struct xa_arena *a = rel->arena;
	struct xenabi_member *m = xa_arena_alloc(a, 2 * sizeof(*m));
	struct xenabi_type *t = xa_arena_alloc(a, sizeof(*t));
	struct xenabi_const *c = xa_arena_alloc(a, 2 * sizeof(*c));
	struct xenabi_failure *f = xa_arena_alloc(a, 2 * sizeof(*f));
	struct xenabi_zeroext *z = xa_arena_alloc(a, 2 * sizeof(*z));

	m[0] = (struct xenabi_member){ .name = "domid", .type = "domid_t",
				       .base = "unsigned short", .dims = "",
				       .size = 2, .bits = 16 };
	m[1] = (struct xenabi_member){ .name = "space", .type = "unsigned int",
				       .base = "unsigned int", .dims = "",
				       .offset = 4, .size = 4, .bits = space_bits,
				       .bit_size = space_bits < 32 ? space_bits : 0 };
	*t = (struct xenabi_type){ .kind = XENABI_KIND_STRUCT, .name = "xatp",
				   .target = "", .file = "memory.h", .line = 7,
				   .size = 8, .align = 4, .nmembers = 2,
				   .members = m };
	c[0] = (struct xenabi_const){ .name = "BITS", .text = "(sizeof(long)*8)",
				      .file = "xen.h", .line = 3,
				      .class = XENABI_CONST_INT, .value = 32,
				      .width = 4, .str = "" };
	c[1] = c[0];
	c[1].value = 64;
	*f = (struct xenabi_failure){ .header = "ctl.h", .message = "ctl.h:1: error: no" };
	rel->source = "unit";
	rel->tree_hash = "00";
	rel->scanned_at = "2026-01-01T00:00:00Z";
	rel->present[0] = rel->present[1] = rel->present[2] = rel->present[3] = true;
	for (int u = 0; u < 4; u++) {
		rel->units[u].types = t;
		rel->units[u].ntypes = 1;
		rel->units[u].consts = &c[u >= 2];
		rel->units[u].nconsts = 1;
	}
	rel->units[1].failures = f;
	rel->units[1].nfailures = 1;
	/* x86_64's latest unit, bit 9. */
	rel->present[XENABI_UNIT(XENABI_ABI_X86_64, XENABI_VIEW_LATEST)] = true;
	rel->units[9].types = t;
	rel->units[9].ntypes = 1;
	/* A unit not present, saying why. */
	f[1] = (struct xenabi_failure){ .header = "xen.h",
					.message = "the arm64 ABI does not exist" };
	rel->units[11].failures = &f[1];
	rel->units[11].nfailures = 1;
	z[0] = (struct xenabi_zeroext){ .name = "CPU", .tag = "hvm_hw_cpu",
					.file = "xen/arch/x86/hvm/hvm.c" };
	z[1] = (struct xenabi_zeroext){ .name = "LAPIC", .tag = "",
					.file = "xen/arch/x86/hvm/vlapic.c" };
	rel->zeroext = z;
	rel->nzeroext = 2;
	return rel;
}

static void test_round_trip(void **state)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xenabi_db *db;
	struct xenabi_release *rel = sample("4.4.0", 32), *back;
	struct xenabi_release_info *infos;
	size_t n;
	const struct xenabi_type *t;

	(void)state;
	assert_null(xenabi_db_open(ctx, path, XENABI_DB_READ));
	assert_null(xenabi_db_open(ctx, path, XENABI_DB_WRITE));
	db = xenabi_db_open(ctx, path, XENABI_DB_CREATE);
	assert_non_null(db);
	assert_int_equal(xenabi_db_put_release(ctx, db, rel), 0);
	assert_int_equal(xenabi_db_load_release(ctx, db, "4.4.0", &back), 0);
	for (int u = 0; u < XENABI_UNIT_COUNT; u++)
		assert_int_equal(back->present[u], u < 4 || u == 9);
	assert_int_equal(back->units[9].abi, XENABI_ABI_X86_64);
	assert_int_equal(back->units[9].view, XENABI_VIEW_LATEST);
	assert_non_null(xenabi_unit_find_type(&back->units[9],
					      XENABI_KIND_STRUCT, "xatp"));
	assert_int_equal(back->units[11].nfailures, 1);
	assert_string_equal(back->units[11].failures[0].header, "xen.h");
	assert_int_equal(back->nzeroext, 2);
	assert_string_equal(back->zeroext[0].name, "CPU");
	assert_string_equal(back->zeroext[0].tag, "hvm_hw_cpu");
	assert_string_equal(back->zeroext[1].file, "xen/arch/x86/hvm/vlapic.c");
	assert_string_equal(back->zeroext[1].tag, "");
	t = xenabi_unit_find_type(&back->units[3], XENABI_KIND_STRUCT, "xatp");
	assert_non_null(t);
	assert_int_equal(t->nmembers, 2);
	assert_string_equal(t->members[1].name, "space");
	assert_int_equal(t->members[1].offset, 4);
	assert_string_equal(t->file, "memory.h");
	assert_int_equal(back->units[0].consts[0].value, 32);
	assert_int_equal(back->units[3].consts[0].value, 64);
	assert_int_equal(back->units[1].nfailures, 1);
	assert_string_equal(back->units[1].failures[0].header, "ctl.h");
	assert_int_equal(back->units[0].nfailures, 0);
	xenabi_release_free(back);

	/* A second release narrowing the member, then listing both. */
	xenabi_release_free(rel);
	rel = sample("4.10.0", 16);
	assert_int_equal(xenabi_db_put_release(ctx, db, rel), 0);
	assert_int_equal(xenabi_db_list_releases(ctx, db, &infos, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(infos[0].name, "4.4.0");
	assert_string_equal(infos[1].name, "4.10.0");
	assert_int_equal(infos[1].ntypes, 1);
	assert_int_equal(infos[1].nconsts, 1);
	xenabi_release_infos_free(infos, n);

	assert_int_equal(xenabi_db_delete_release(ctx, db, "4.4.0"), 0);
	assert_int_equal(xenabi_db_delete_release(ctx, db, "4.4.0"),
			 -XENABI_ENOTFOUND);
	assert_int_equal(xenabi_db_load_release(ctx, db, "4.4.0", &back),
			 -XENABI_ENOTFOUND);
	assert_non_null(strstr(xenabi_errmsg(ctx), "no release '4.4.0'"));
	assert_int_equal(xenabi_db_load_release(ctx, db, "4.10.0", &back), 0);
	t = xenabi_unit_find_type(&back->units[0], XENABI_KIND_STRUCT, "xatp");
	assert_int_equal(t->members[1].bit_size, 16);
	xenabi_release_free(back);
	xenabi_release_free(rel);
	xenabi_db_close(db);
	xenabi_db_close(NULL);
	xenabi_ctx_free(ctx);
}

static void test_default_path(void **state)
{
	char *p;

	(void)state;
	setenv("XDG_DATA_HOME", "/data", 1);
	p = xenabi_default_db_path();
	assert_string_equal(p, "/data/xenabi/xenabi.db");
	free(p);
	/* A relative XDG_DATA_HOME is to be ignored, says the spec. */
	setenv("XDG_DATA_HOME", "rel", 1);
	setenv("HOME", "/home/u", 1);
	p = xenabi_default_db_path();
	assert_string_equal(p, "/home/u/.local/share/xenabi/xenabi.db");
	free(p);
	assert_int_equal(xenabi_schema_version(), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
