/* SPDX-License-Identifier: MIT */
/*
 * abi: the guest ABIs (clang triple, pointer width, scalar alignment) and
 * views, and which arch headers belong to which ABI.  Knows nothing else.
 */
#include <string.h>

#include "xa.h"

static const struct xa_abi_info abis[XENABI_ABI_COUNT] = {
	[XENABI_ABI_X86_32] = { "x86_32", "i386-linux-gnu", 4, 4 },
	[XENABI_ABI_X86_64] = { "x86_64", "x86_64-linux-gnu", 8, 8 },
	[XENABI_ABI_ARM32] = { "arm32", "arm-linux-gnueabihf", 4, 8 },
	[XENABI_ABI_ARM64] = { "arm64", "aarch64-linux-gnu", 8, 8 },
};

static const char *const views[XENABI_NVIEWS] = {
	[XENABI_VIEW_TOOLS] = "tools",
	[XENABI_VIEW_GUEST] = "guest",
	[XENABI_VIEW_LATEST] = "latest",
};

const struct xa_abi_info *xa_abi_info(enum xenabi_abi abi)
{
	return &abis[abi];
}

const char *xenabi_abi_name(enum xenabi_abi abi)
{
	return (unsigned)abi < XENABI_ABI_COUNT ? abis[abi].name : NULL;
}

const char *xenabi_view_name(enum xenabi_view view)
{
	return (unsigned)view < XENABI_NVIEWS ? views[view] : NULL;
}

int xenabi_abi_parse(const char *name)
{
	for (int i = 0; i < XENABI_ABI_COUNT; i++)
		if (!strcmp(abis[i].name, name))
			return i;
	return -1;
}

int xenabi_view_parse(const char *name)
{
	for (int i = 0; i < XENABI_NVIEWS; i++)
		if (!strcmp(views[i], name))
			return i;
	return -1;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * Headers of other architectures compile on any target, so including them
 * would record arm's structs as x86's.  A probe includes only the shared
 * headers and its own ABI's; whatever those reach through xen.h is the
 * ABI's by construction.  The other x86 word size's header is excluded
 * too: it redefines the same structs.
 */
bool xa_abi_owns_header(enum xenabi_abi abi, const char *header)
{
	if (!has_prefix(header, "arch-"))
		return true;
	switch (abi) {
	case XENABI_ABI_X86_32:
		return !strcmp(header, "arch-x86_32.h") ||
		       (has_prefix(header, "arch-x86/") &&
			strcmp(header, "arch-x86/xen-x86_64.h"));
	case XENABI_ABI_X86_64:
		return !strcmp(header, "arch-x86_64.h") ||
		       (has_prefix(header, "arch-x86/") &&
			strcmp(header, "arch-x86/xen-x86_32.h"));
	case XENABI_ABI_ARM32:
	case XENABI_ABI_ARM64:
		return !strcmp(header, "arch-arm.h") ||
		       has_prefix(header, "arch-arm/");
	default:
		return false;
	}
}

/*
 * The headers that choose an ABI's definitions: xen.h, which picks the
 * arch header from the compiler's predefined macros, and that arch
 * header.  When one of them refuses the target, the ABI is not there.
 */
bool xa_abi_arch_header(enum xenabi_abi abi, const char *header)
{
	if (!strcmp(header, "xen.h"))
		return true;
	switch (abi) {
	case XENABI_ABI_X86_32:
		return !strcmp(header, "arch-x86_32.h") ||
		       !strcmp(header, "arch-x86/xen.h") ||
		       !strcmp(header, "arch-x86/xen-x86_32.h");
	case XENABI_ABI_X86_64:
		return !strcmp(header, "arch-x86_64.h") ||
		       !strcmp(header, "arch-x86/xen.h") ||
		       !strcmp(header, "arch-x86/xen-x86_64.h");
	case XENABI_ABI_ARM32:
	case XENABI_ABI_ARM64:
		return !strcmp(header, "arch-arm.h");
	default:
		return false;
	}
}
