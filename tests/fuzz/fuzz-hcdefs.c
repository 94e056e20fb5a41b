/*
 * libFuzzer target: the reader of a preprocessed hypercall-defs.c, text
 * a Xen tree (any revision a user scans) provides.  make fuzz runs it.
 */
#include <stdlib.h>
#include <string.h>

#include "xa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int arm = 0; arm < 2; arm++) {
		char *text = malloc(size + 1), *why = NULL;
		struct xa_vec cells;

		if (!text)
			return 0;
		memcpy(text, data, size);
		text[size] = '\0';
		xa_vec_init(&cells, sizeof(struct xa_hcall_cell));
		xa_hcall_parse_reading(text, arm, &cells, &why);
		xa_hcall_cells_release(&cells);
		free(why);
		free(text);
	}
	return 0;
}
