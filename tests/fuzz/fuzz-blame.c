/*
 * libFuzzer target: the compiler-diagnostic parser and path normaliser,
 * which read text another program wrote.  make fuzz builds and runs it.
 */
#include <stdlib.h>
#include <string.h>

#include "xa.h"

static void sink(void *data, unsigned long line, const char *msg, size_t len)
{
	size_t *n = data;

	/* Touch every byte the parser hands out. */
	for (size_t i = 0; i < len; i++)
		*n += (unsigned char)msg[i];
	*n += line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	size_t n = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	xa_probe_blame(text, "/w/p.c", sink, &n);
	if (size < 4096)
		xa_path_normalise(text);
	free(text);
	return 0;
}
