/*
 * libFuzzer target: the baselines reader, which reads text a person may
 * have edited.  One input is the four files of a baselines directory
 * (layouts, constants, sets, one release) separated by NUL bytes; they are
 * loaded into a database in memory.  make fuzz builds and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xa.h"

static char dir[64];

static void put(const char *name, const uint8_t *data, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w"))) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tables[] = { "layouts", "constants", "sets" };
	static char release[80] = "releases/r";
	struct xenabi_ctx *ctx;
	struct xenabi_db *db;
	size_t start = 0;

	if (!*dir) {
		char tmpl[] = "/tmp/xenabi-fuzz.XXXXXX", sub[96];

		if (!mkdtemp(tmpl))
			abort();
		snprintf(dir, sizeof(dir), "%s", tmpl);
		snprintf(sub, sizeof(sub), "%s/releases", dir);
		mkdir(sub, 0755);
	}
	for (size_t k = 0; k < 4; k++) {
		const uint8_t *end = start <= size ? memchr(data + start, 0,
							    size - start) : NULL;
		size_t len = end ? (size_t)(end - (data + start))
				 : (start <= size ? size - start : 0);

		if (k == 3) {
			/* A release file is named as its release: find it. */
			char path[128], name[65] = "r";
			const uint8_t *p = memmem(data + start, len, "\nrelease\t", 9);

			snprintf(path, sizeof(path), "%s/%s", dir, release);
			unlink(path);
			if (p) {
				size_t n = 0;

				for (p += 9; n < 64 && p < data + start + len &&
					     *p != '\n'; p++)
					name[n++] = (char)*p;
				name[n] = '\0';
				if (!xenabi_release_name_valid(name))
					strcpy(name, "r");
			}
			snprintf(release, sizeof(release), "releases/%s", name);
			put(release, data + start, len);
		} else {
			put(tables[k], data + start, len);
		}
		start += len + 1;
	}
	ctx = xenabi_ctx_new();
	db = ctx ? xenabi_db_open(ctx, ":memory:", XENABI_DB_CREATE) : NULL;
	if (db)
		xenabi_baselines_load(ctx, dir, db, NULL, NULL);
	xenabi_db_close(db);
	xenabi_ctx_free(ctx);
	return 0;
}
