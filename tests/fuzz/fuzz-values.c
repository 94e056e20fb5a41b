/*
 * libFuzzer target: xenabi-cc's "values" lines (the front end's values of
 * a constants probe) through the reader that fills the probe's arrays.
 * A string it keeps holds no NUL and fits what was read.  Seeds: lines of
 * every kind, and names of no form.
 */
#include <stdlib.h>
#include <string.h>

#include "xa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { N = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t values[N], types[N], xv[N];
	bool seen[N] = { false }, tseen[N] = { false }, xseen[N] = { false };
	char *strs[N] = { NULL };
	/* Not NUL-terminated: the reader must keep to the length. */
	char *out = malloc(size ? size : 1);

	if (!out)
		return 0;
	memcpy(out, data, size);
	xa_consts_read_values(out, size, N, N, values, seen, types, tseen, xv,
			      xseen, strs);
	for (size_t i = 0; i < N; i++) {
		if (strs[i] && strlen(strs[i]) > size)
			abort();
		free(strs[i]);
	}
	free(out);
	return 0;
}
