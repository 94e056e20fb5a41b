/*
 * libFuzzer target: odd objects through the DWARF reader (types, macros,
 * enumerators, sections).  Seeds are probe objects of the fixture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[4096];

/* The scratch object goes with the process (libFuzzer exits through exit). */
static void remove_scratch(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xa_arena *arena = xa_arena_new();
	struct xa_vec types, consts;
	struct xa_macro *macros;
	size_t nmacros;
	uint64_t values[8];
	bool seen[8];
	char *strs[8] = { 0 }, **names = NULL;
	size_t nnames = 0;
	FILE *f;

	if (!*path) {
		const char *tmp = getenv("TMPDIR");

		snprintf(path, sizeof(path), "%s/xenabi-fuzz-%d.o",
			 tmp && *tmp ? tmp : "/tmp", (int)getpid());
		atexit(remove_scratch);
	}
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	xa_vec_init(&types, sizeof(struct xenabi_type));
	xa_vec_init(&consts, sizeof(struct xenabi_const));
	xa_dwarf_read_types(ctx, path, "/", XENABI_ABI_X86_64, arena, &types,
			    &consts);
	if (xa_dwarf_read_macros(ctx, path, &macros, &nmacros) == 0)
		xa_macros_free(macros, nmacros);
	if (xa_dwarf_read_typedef_names(ctx, path, &names, &nnames) == 0)
		xa_strings_free(names, nnames);
	xa_dwarf_read_enumerators(ctx, path, "xa_v", 8, values, seen);
	xa_dwarf_read_sections(ctx, path, ".xa_s.", 8, strs);
	for (int i = 0; i < 8; i++)
		free(strs[i]);
	xa_vec_release(&types);
	xa_vec_release(&consts);
	xa_arena_free(arena);
	xenabi_ctx_free(ctx);
	return 0;
}
