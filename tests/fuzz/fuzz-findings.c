/*
 * libFuzzer target: the reader of the findings log stores in a database
 * (tree_diff), text a database file (a user's, or one handed over)
 * provides.  Whatever parses is rendered as text and JSON again, which
 * must not read past what was parsed.  make fuzz runs it.
 */
#include <stdlib.h>
#include <string.h>

#include "xenabi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	struct xenabi_diff *d = NULL;
	char *text = malloc(size + 1), *out;

	if (!ctx || !text) {
		xenabi_ctx_free(ctx);
		free(text);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	if (!xenabi_diff_from_json(ctx, text, 0x3, &d)) {
		free(xenabi_diff_text(d, XENABI_TEXT_ALL, XENABI_SEV_INFO));
		out = xenabi_diff_json(d);
		free(out);
		free(xenabi_diff_sarif(d));
		xenabi_diff_free(d);
	}
	free(text);
	xenabi_ctx_free(ctx);
	return 0;
}
