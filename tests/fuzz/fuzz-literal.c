/*
 * libFuzzer target: macro texts through the integer-literal reader.  What
 * it takes must read back with strtoull to the same value, and its type
 * must hold that value.  Seeds: the literal forms of t2110.
 */
#include <stdlib.h>
#include <string.h>

#include "xa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (unsigned int long_size = 4; long_size <= 8; long_size += 4) {
		uint64_t value, type, bytes;
		const char *p = text;

		if (!xa_integer_literal(text, long_size, &value, &type))
			continue;
		while (*p == ' ' || *p == '\t' || *p == '(')
			p++;
		if (strtoull(p, NULL, 0) != value)
			abort();
		bytes = type >> 1;
		if ((bytes != 4 && bytes != 8) ||
		    (bytes == 4 && value > (type & 1 ? 0x7fffffffULL : 0xffffffffULL)) ||
		    (bytes == 8 && (type & 1) && value > 0x7fffffffffffffffULL))
			abort();
	}
	free(text);
	return 0;
}
