/* SPDX-License-Identifier: MIT */
/*
 * xenabi: the public interface of the library.
 *
 * The library reduces the public headers of a Xen tree to layouts and
 * constants for each guest ABI and view, stores them in sqlite and reads
 * them back.  It never prints and never exits: every call that can fail
 * returns 0 or a negative -XENABI_E* code (NULL for constructors) and keeps
 * a one-line message in the context, read with xenabi_errmsg().
 */
#ifndef XENABI_H
#define XENABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Error codes, returned negated.  XENABI_ENOTFOUND means "the thing asked
 * for does not exist" (a release, a type); the others mean trouble.
 */
enum xenabi_error {
	XENABI_EINVAL = 1,	/* bad argument or bad input file */
	XENABI_ENOMEM,		/* out of memory */
	XENABI_EIO,		/* a file or directory could not be read or written */
	XENABI_ENOTREE,		/* not a Xen tree: no public headers found */
	XENABI_ECOMPILER,	/* clang missing, crashed or failed for every header */
	XENABI_EDWARF,		/* the probe object's DWARF could not be read */
	XENABI_EDB,		/* sqlite failed, or the file is not a xenabi database */
	XENABI_ESCHEMA,		/* the database has a newer schema than this xenabi */
	XENABI_ENOTFOUND,	/* no such release, type or constant */
	XENABI_EGIT,		/* git missing or failed, or not a repository */
	XENABI_EDECLINED,	/* a shortcut that would not pay: do it in full */
};

/*
 * The context: holds the last error message and the options that every
 * call shares.  xenabi_ctx_new() returns NULL only when out of memory.
 * xenabi_ctx_free(NULL) is a no-op.
 */
struct xenabi_ctx;
struct xenabi_ctx *xenabi_ctx_new(void);
/* A context with ctx's options and no message, for another thread. */
struct xenabi_ctx *xenabi_ctx_dup(const struct xenabi_ctx *ctx);
void xenabi_ctx_free(struct xenabi_ctx *ctx);

/*
 * The message of the last failed call: one line, no trailing newline or
 * full stop, names in quotes.  Owned by ctx, valid until the next call.
 * Empty when nothing failed.
 */
const char *xenabi_errmsg(const struct xenabi_ctx *ctx);

/*
 * The compiler used for probes: "clang" (found on PATH) unless changed here
 * or by the XENABI_CC environment variable.  The string is copied.
 */
int xenabi_ctx_set_compiler(struct xenabi_ctx *ctx, const char *path);

/*
 * Free an array of strings the API handed out ("a new array of new
 * strings"): each string, then the array.  NULL is nothing.
 */
void xenabi_strings_free(char **strings, size_t n);

/*
 * How many probes run at once during a scan; 0 (the default) means one per
 * online CPU.
 */
void xenabi_ctx_set_jobs(struct xenabi_ctx *ctx, unsigned int jobs);

/*
 * For a program interrupted by a signal, from a thread of its own (not a
 * signal handler, and not a thread inside a call): kill the programs
 * xenabi is running and remove the scratch directories it made.  Calls
 * in flight then block or fail; the caller exits.  Stored data is safe
 * as it is: every write is a transaction.
 */
void xenabi_interrupted(void);

/*
 * The path of a file beside the running program (relative to the
 * directory it is in) when it is there and allows mode (access(2)), as a
 * new string; NULL otherwise.
 */
char *xenabi_beside_program(const char *relative, int mode);

/*
 * How many compiles this process has had so far: served by a clang kept
 * running (xenabi-cc), and run as clang processes.  Counts for a
 * person asking why a scan was slow (XENABI_STATS).
 */
void xenabi_compile_counts(unsigned long *kept_running,
			   unsigned long *processes);

/*
 * The limits on every program a scan runs (the compiler, git): the
 * seconds it may take and the address space in MiB it may use, 0 for no
 * limit.  A compiler stopped by one is a failure of the header or macro
 * it was working on, as a compile error is.  Defaults:
 * XENABI_DEFAULT_TIME_LIMIT and XENABI_DEFAULT_MEMORY_LIMIT.
 */
#define XENABI_DEFAULT_TIME_LIMIT 120
#define XENABI_DEFAULT_MEMORY_LIMIT 4096
void xenabi_ctx_set_limits(struct xenabi_ctx *ctx, unsigned int seconds,
			   unsigned int mib);

/*
 * For crash tests: fn(data, step) is called after each change that
 * xenabi_baselines_write() makes on the disk (a file written and synced,
 * a file moved or removed, a directory made or removed), step a few words
 * naming it ("wrote DIR/.xenabi-new/sets").  fn may kill the process
 * there, as a crash would; load must then find the old baselines or the
 * new, whole.  NULL fn (the default): none.
 */
typedef void (*xenabi_step_fn)(void *data, const char *step);
void xenabi_ctx_set_step_fn(struct xenabi_ctx *ctx, xenabi_step_fn fn,
			    void *data);

/* ---- guest ABIs and views -------------------------------------------- */

/*
 * The guest ABIs, in the order every table and report uses.  A release
 * scan covers the arm ABIs only when the tree has arch-arm headers.
 */
enum xenabi_abi {
	XENABI_ABI_X86_32,
	XENABI_ABI_X86_64,
	XENABI_ABI_ARM32,
	XENABI_ABI_ARM64,
	XENABI_ABI_COUNT
};

/*
 * The views: "tools" defines __XEN_TOOLS__ (latest interface version,
 * domctl and sysctl visible); "guest" leaves __XEN_INTERFACE_VERSION__ at
 * the headers' legacy default; "latest" is a guest built at the release's
 * own __XEN_LATEST_INTERFACE_VERSION__, without __XEN_TOOLS__.  Xen
 * promises a guest built against release A at any interface version up to
 * A's latest the same layout in later releases at that version: "guest"
 * and "latest" are the two ends of that range.
 */
enum xenabi_view {
	XENABI_VIEW_TOOLS,
	XENABI_VIEW_GUEST,
	XENABI_VIEW_LATEST,
	XENABI_NVIEWS		/* how many views there are */
};

/*
 * A unit is one (ABI, view) pair.  Units index a release's present[] and
 * units[] and the bit masks of the store and the baselines, numbered so
 * that masks written before the latest view existed keep their meaning:
 * tools and guest are abi * 2 + view (0..7), latest is 8 + abi (8..11).
 * A release stored before then lacks its latest units (present[] false).
 * XENABI_UNIT() is a constant expression; it evaluates view twice.
 */
#define XENABI_UNIT_COUNT (XENABI_ABI_COUNT * XENABI_NVIEWS)
#define XENABI_UNIT(abi, view)                                               \
	((int)(view) == XENABI_VIEW_LATEST ? 2 * XENABI_ABI_COUNT + (int)(abi) \
					   : (int)(abi) * 2 + (int)(view))

/* The ABI of a unit number (0 <= unit < XENABI_UNIT_COUNT). */
static inline enum xenabi_abi xenabi_unit_abi(int unit)
{
	return unit < 2 * XENABI_ABI_COUNT ? unit / 2
					   : unit - 2 * XENABI_ABI_COUNT;
}

/* The view of a unit number (0 <= unit < XENABI_UNIT_COUNT). */
static inline enum xenabi_view xenabi_unit_view(int unit)
{
	return unit < 2 * XENABI_ABI_COUNT ? unit % 2 : XENABI_VIEW_LATEST;
}

/* The names used on the command line and in JSON ("x86_32", "tools"). */
const char *xenabi_abi_name(enum xenabi_abi abi);
const char *xenabi_view_name(enum xenabi_view view);

/* Parse a name; returns the enum value or -1 when the name is unknown. */
int xenabi_abi_parse(const char *name);
int xenabi_view_parse(const char *name);

/* ---- records ----------------------------------------------------------- */

enum xenabi_type_kind {
	XENABI_KIND_STRUCT,
	XENABI_KIND_UNION,
	XENABI_KIND_ENUM,
	XENABI_KIND_TYPEDEF,
	XENABI_KIND_COUNT
};

/* "struct", "union", "enum", "typedef"; NULL for an out-of-range kind. */
const char *xenabi_kind_name(enum xenabi_type_kind kind);
/* Returns the kind or -1 for an unknown name. */
int xenabi_kind_parse(const char *name);

/*
 * What a member's type is once typedefs, const and volatile are stripped
 * (and, for arrays, once the element type is reached).
 */
enum xenabi_base_class {
	XENABI_BASE_INT,	/* integer, char, bool or enum: bits/is_signed apply */
	XENABI_BASE_FLOAT,
	XENABI_BASE_POINTER,
	XENABI_BASE_STRUCT,	/* struct or union */
	XENABI_BASE_OTHER,	/* function or unknown */
	XENABI_BASE_COUNT
};

const char *xenabi_base_class_name(enum xenabi_base_class class);

/*
 * A member of a struct or union, or an enumerator of an enum.
 *
 * For struct and union members: offset and size in bytes; for a bit-field,
 * offset is the byte offset of its storage unit (the size of its type),
 * bit_offset counts from that unit's least significant bit and bit_size is
 * the width (both 0 for other members).  type is spelled as in C source
 * ("uint16_t", "uint8_t[16]", "struct xen_foo *"); an anonymous struct or
 * union is spelled with its path name ("union xen_domctl.u").  base is the
 * underlying type after typedefs ("unsigned short"), bits its width
 * (element width for arrays, bit_size for bit-fields) and dims the array
 * dimensions ("[2][16]", "" for scalars, "[]" for a flexible array).
 *
 * For enumerators: name and value; the other fields are empty.
 *
 * An unnamed member (C11 anonymous struct or union) has name "" and a type
 * named by path ("union vcpu_guest_context.@0").
 */
struct xenabi_member {
	const char *name;
	const char *type;
	const char *base;
	const char *dims;
	enum xenabi_base_class base_class;
	uint64_t offset;
	uint64_t size;
	uint32_t bits;
	uint32_t bit_offset;
	uint32_t bit_size;
	bool is_signed;
	int64_t value;
};

/*
 * A named struct, union, enum or typedef.  Anonymous aggregates are named
 * by their path from the nearest named type ("xen_domctl.u.createdomain")
 * or, when only a typedef names them, by that typedef.  For a typedef,
 * target is the spelled type it names and size/align are the target's.
 * file is relative to the public header directory ("arch-x86/xen.h").
 */
struct xenabi_type {
	enum xenabi_type_kind kind;
	const char *name;
	const char *target;
	const char *file;
	uint32_t line;
	uint64_t size;
	uint32_t align;
	size_t nmembers;
	struct xenabi_member *members;
};

enum xenabi_const_class {
	XENABI_CONST_INT,	/* integer constant expression: value, width, is_signed */
	XENABI_CONST_STRING,	/* string literal: str */
	XENABI_CONST_OTHER,	/* anything else: text only */
	XENABI_CONST_ENUMERATOR, /* an enumerator (from DWARF, not a macro) */
	XENABI_CONST_COUNT
};

const char *xenabi_const_class_name(enum xenabi_const_class class);

/*
 * An object-like macro defined in a public header, or an enumerator.
 * text is the definition as the compiler recorded it (blank runs
 * collapsed).  For integers, value holds the bits of the value converted
 * to a 64-bit integer; width (bytes) and is_signed describe the
 * expression's type, so "-1" is value (uint64_t)-1, width 4, signed.
 */
struct xenabi_const {
	const char *name;
	const char *text;
	const char *file;
	uint32_t line;
	enum xenabi_const_class class;
	uint64_t value;
	uint32_t width;
	bool is_signed;
	const char *str;
};

/*
 * A header left out of a unit: it did not compile for that ABI and view.
 * message is the compiler's first error for it, paths relative to the
 * public directory.
 */
struct xenabi_failure {
	const char *header;
	const char *message;
};

/*
 * What one (ABI, view) probe produced.  Arrays are sorted by name (types by
 * kind then name), owned by the release that holds the unit.
 */
struct xenabi_unit {
	enum xenabi_abi abi;
	enum xenabi_view view;
	size_t nheaders;	/* headers that compiled into the probe */
	size_t ntypes;
	struct xenabi_type *types;
	size_t nconsts;
	struct xenabi_const *consts;
	size_t nfailures;
	struct xenabi_failure *failures;
};

/*
 * A struct Xen's compat layer re-uses for 32-bit x86 guests as it is, so
 * declared laid out alike on x86_32 and x86_64: a "?" line of the tree's
 * xen/include/xlat.lst ("?  vcpu_time_info  xen.h").
 */
struct xenabi_compat {
	const char *name;	/* the tag, or the tag without "xen_" */
	const char *header;	/* relative to the public directory */
};

/*
 * An HVM save record that the hypervisor loads zero-extended
 * (hvm_load_entry_zeroextend(TYPE, ...) in the tree's xen/arch/x86
 * sources, Xen 4.1 on): a record saved by an older Xen is shorter and is
 * padded with zeroes, so the record may grow at its tail compatibly,
 * members added there reading as zero.  One per (name, file).
 */
struct xenabi_zeroext {
	const char *name;	/* the save type, as in the call: "CPU" */
	const char *tag;	/* the struct it loads ("hvm_hw_cpu"), from the
				   scanned __HVM_SAVE_TYPE_<name> that
				   DECLARE_HVM_SAVE_TYPE declares; "" when no
				   unit has it */
	const char *file;	/* where it is loaded, from the top of the tree:
				   "xen/arch/x86/hvm/hvm.c" */
};

/*
 * A public sub-op constant the hypervisor's code names in a file that
 * dispatches it (the "dispatch" lines of lib/abirules.txt): a sub-op no
 * such file names falls to a default case and is refused.  name "" says
 * the file was read.  One per (name, file).
 */
struct xenabi_dispatch {
	const char *name;	/* "HVMOP_set_mem_access"; "": file was read */
	const char *file;	/* "xen/arch/x86/hvm/hvm.c", from the top */
};

/*
 * A name a dispatcher's code uses under the case label of one of its
 * sub-ops (the "dispatch" lines of lib/abirules.txt): a member read or
 * written, as ".pfn_list" (p->pfn_list too), or a whole object copied back
 * to the guest, "copy_to_guest".  subop "" when the use is under none of
 * them.  Of members, only those some sub-op's case uses are kept, with
 * all their uses.  One per (name, subop, file).
 */
struct xenabi_subop_use {
	const char *name;	/* ".pfn_list", "copy_to_guest" */
	const char *subop;	/* "XENMEM_access_op_set_access_multi"; "": none */
	const char *file;	/* "xen/common/mem_access.c", from the top */
};

/*
 * A hypercall as one kind of guest reaches it, from the tree's own table
 * (xen/include/hypercall-defs.c, 4.17 on, or the C tables before): the
 * handler the hypervisor calls, its return type and parameters as the
 * hypervisor's source spells them (guest handles as pointers).  kind is
 * the table's column: "pv32" and "hvm32" are x86_32 guests, "pv64" and
 * "hvm64" x86_64 guests, "arm" arm32 and arm64 guests.  One per (name,
 * kind); a kind the table marks "-" has none.
 */
struct xenabi_hypercall {
	const char *name;	/* "memory_op", its number __HYPERVISOR_memory_op */
	const char *number;	/* "" or the public hypercall whose number it
				   has: paging_domctl_cont is arch_1's
				   (#define __HYPERVISOR_paging_domctl_cont
				   __HYPERVISOR_arch_1 in the arch header) */
	const char *kind;
	const char *handler;	/* "compat_memory_op" */
	uint32_t priority;	/* the table's ":N" (1 first); 0 none */
	bool optional;		/* only a build with an optional CONFIG_
				   feature has it (grant tables, kexec...) */
	const char *rettype;	/* "int", "long" */
	const char *params;	/* "unsigned int cmd, void *arg"; "" none */
	const char *file;	/* the table's file, from the tree's top */
};

/*
 * A C type of a hypercall's parameters or result as one ABI has it, from
 * the compiler (sizeof, and (T)-1 < 0) in that ABI's probe: "unsigned
 * long" is 4 bytes for x86_32.  size 0: not a type the public headers
 * name (an internal one such as s_time_t).
 */
struct xenabi_ctype {
	enum xenabi_abi abi;
	const char *type;
	uint32_t size;
	bool is_signed;
};

/* The ABIs whose guests are of a hypercall kind, a mask of 1 << abi; 0 unknown. */
unsigned int xenabi_guest_kind_abis(const char *kind);

/*
 * A release: its name, where it came from, the content hash of its public
 * headers (sha256, hex) and the units that were probed (present[] says
 * which; a unit not present may still hold failures saying why, as the
 * units of an ABI the release's own headers refuse do).  Everything in
 * it is owned by it.
 */
struct xenabi_release {
	const char *name;
	const char *source;
	const char *tree_hash;
	const char *scanned_at;
	bool present[XENABI_UNIT_COUNT];
	struct xenabi_unit units[XENABI_UNIT_COUNT];
	size_t ncompat;		/* from a source tree; 0 for installed headers */
	struct xenabi_compat *compat;
	size_t nzeroext;	/* from a source tree; 0 for installed headers */
	struct xenabi_zeroext *zeroext;	/* sorted by name, then file */
	size_t ndispatch;	/* from a source tree; 0 for installed headers */
	struct xenabi_dispatch *dispatch;	/* sorted by name, then file */
	size_t nuses;		/* from a source tree; 0 for installed headers */
	struct xenabi_subop_use *uses;	/* sorted by name, subop, file */
	size_t nhypercalls;	/* from a source tree with a readable table */
	struct xenabi_hypercall *hypercalls;	/* sorted by name, then kind */
	size_t nctypes;
	struct xenabi_ctype *ctypes;	/* sorted by ABI, then type */
	struct xa_arena *arena;
};

/* xenabi_release_free(NULL) is a no-op. */
void xenabi_release_free(struct xenabi_release *rel);

/* Find a type in a unit by kind and name; NULL when absent. */
const struct xenabi_type *xenabi_unit_find_type(const struct xenabi_unit *unit,
						enum xenabi_type_kind kind,
						const char *name);

/* ---- continuation encodings ------------------------------------------------ */

/*
 * A continuation encoding as one unit has it: the bits of a hypercall's
 * own argument in which Xen keeps a preempted call's progress.  op is
 * [op_bits-1..0] and the progress [word-1..cont_lo] (0: none); a flag
 * encoding has flag set instead.  layout says it in words ("cmd: [63..6]
 * start_extent | [5..0] op").  macros are the unit's shift, mask and flag
 * constants (NULL where absent), owned by the unit.
 */
struct xenabi_encoding_info {
	char hypercall[32];
	char arg[16];
	char field[32];
	unsigned int word;
	unsigned int op_bits;
	unsigned int cont_lo;
	uint64_t flag;
	char layout[128];
	const struct xenabi_const *macros[3];
};

/*
 * Find the encoding named by its hypercall ("memory_op") or one of its
 * macros ("MEMOP_CMD_MASK") in u.  Returns 0 when u has it, 1 when it is
 * an encoding u lacks (names filled in), -XENABI_ENOTFOUND when name is
 * no encoding.
 */
int xenabi_encoding_find(struct xenabi_ctx *ctx, const struct xenabi_unit *u,
			 const char *name, struct xenabi_encoding_info *out);

/* The hypercalls with an encoding, a new array (xenabi_strings_free). */
int xenabi_encoding_names(struct xenabi_ctx *ctx, char ***names,
			  size_t *count);

/* ---- scan -------------------------------------------------------------- */

/*
 * Progress callback for a scan: called from the scanning thread after each
 * unit, with the number done and the total.  May be NULL.
 */
typedef void (*xenabi_progress_fn)(void *data, unsigned int done,
				   unsigned int total, const char *what);

/*
 * Scan the public headers under dir: a Xen source tree (with
 * xen/include/public), the public directory itself, or a directory of
 * installed headers (/usr/include/xen).  Probes every ABI the tree has, in
 * every view.  On success *out is a new release named name, owned by the
 * caller.  Errors: -XENABI_ENOTREE (no public headers under dir),
 * -XENABI_ECOMPILER (no compiler, or no header compiled for any ABI),
 * -XENABI_EDWARF, -XENABI_EIO, -XENABI_ENOMEM.
 */
int xenabi_scan_tree(struct xenabi_ctx *ctx, const char *dir,
		     const char *name, xenabi_progress_fn progress,
		     void *progress_data, struct xenabi_release **out);

/*
 * rel, a scan of a tree whose public headers are dir's (the same paths,
 * the same bytes), takes what a scan of dir would make: only what comes
 * from the internal files (the encodings, the hypercall table and its
 * types' sizes, the zero-extended records, the compat list, the
 * dispatchers' cases) is read and evaluated again; the headers are not
 * compiled.  changed[] (NULL: not known) names the files, from the top
 * of the tree, that differ from rel's tree: an encoding none of whose
 * files is among them keeps rel's values.  Its tree hash becomes dir's.
 * On failure rel is only fit to be freed.  Errors as xenabi_scan_tree's;
 * -XENABI_EINVAL when dir has no internal files (installed headers).
 */
int xenabi_rescan_internal(struct xenabi_ctx *ctx, const char *dir,
			   struct xenabi_release *rel, char *const *changed,
			   size_t nchanged);

/*
 * rel, a scan of a tree that differs from dir only in the files of
 * changed[] (paths from the top of the tree: modified, added or removed),
 * takes what a scan of dir would make: only the headers whose
 * #include closure reaches a changed one are compiled (with xen.h, as in
 * every probe), their records put in place of rel's for them; the
 * internal files are read again as xenabi_rescan_internal does.  That
 * holds while a header's records depend on its own closure alone, which
 * Xen's headers check for themselves (headers.chk) and a test checks on
 * real commits.  -XENABI_EDECLINED, rel untouched, when it would not pay
 * or not be sure (xen.h or an ABI's own header changed, a quarter of the
 * headers dirty): scan dir in full.  On other failures rel is only fit to
 * be freed.
 */
int xenabi_rescan_headers(struct xenabi_ctx *ctx, const char *dir,
			  struct xenabi_release *rel, char *const *changed,
			  size_t nchanged);

/*
 * The content hash a scan of dir would record (sha256, hex, NUL-terminated
 * in hash): of the public headers' paths and contents, the internal files
 * the scan reads, and the scan's own format.  Two trees with one hash scan
 * to the same records, so a stored scan of it can be reused.  Errors as
 * xenabi_scan_tree's before it compiles anything.
 */
int xenabi_tree_hash(struct xenabi_ctx *ctx, const char *dir, char hash[65]);

/*
 * The digest (sha256, hex) of what this xenabi reads from any tree: its
 * version, scan format, limits and manifests.  A commit's tree hash
 * recorded under one digest holds for every later run under the same.
 */
int xenabi_scan_inputs(struct xenabi_ctx *ctx, char digest[65]);

/*
 * A range of a Xen clone's history as `xenabi log` walks it: the commits
 * of base..to on to's first-parent line that change a file a scan reads
 * (the public headers, the internal files, the sources that load HVM
 * records zero-extended), oldest first.  base is from when from is an
 * ancestor of to, else their merge base: release tags sit on stable
 * branches.  Along a first-parent line, a commit's parent holds what the
 * commit before it in the list holds (base, for the first), in every
 * file a scan reads.
 */
struct xenabi_commit {
	const char *id;		/* 40 hex digits */
	const char *parent;	/* its first parent; "" for a root commit */
	const char *author;
	const char *date;	/* the author's, YYYY-MM-DD */
	const char *subject;
	bool headers_changed;	/* it changes a file under xen/include/public */
	size_t nheaders_changed;	/* how many */
};

struct xenabi_walk {
	const char *from;	/* the commits the two ends name */
	const char *to;
	const char *base;	/* from, or the merge base of from and to */
	size_t nrange;		/* commits in base..to, every one */
	size_t ncommits;	/* those that change a file a scan reads */
	struct xenabi_commit *commits;
	struct xa_arena *arena;
};

/*
 * Walk from_rev..to_rev of gitdir; a revision that does not resolve is
 * tried as a release tag too ("4.19.0" is RELEASE-4.19.0).  *out is the
 * caller's (xenabi_walk_free).  Errors: -XENABI_ENOTFOUND (no such
 * revision), -XENABI_EGIT (git failed, not a repository, a shallow clone,
 * no common history), -XENABI_ENOMEM.
 */
int xenabi_git_walk(struct xenabi_ctx *ctx, const char *gitdir,
		    const char *from_rev, const char *to_rev,
		    struct xenabi_walk **out);
void xenabi_walk_free(struct xenabi_walk *walk);

/*
 * The files that differ between two commits, as paths from the top of the
 * tree (modified, added or removed); *paths is a new array of new strings
 * (xenabi_strings_free).
 */
int xenabi_git_changed_files(struct xenabi_ctx *ctx, const char *gitdir,
			     const char *from, const char *to, char ***paths,
			     size_t *count);

/*
 * dir, the top of a git work tree: the first-parent line of its HEAD,
 * newest first, at most max full ids in *ids (xenabi_strings_free).
 * Returns 1, with nothing, when dir is not a work tree's top; errors as
 * xenabi_git_walk's.
 */
int xenabi_git_work_base(struct xenabi_ctx *ctx, const char *dir,
			 size_t max, char ***ids, size_t *count);

/*
 * The files of dir's work tree that differ from commit: modified,
 * removed, or new under xen/ (ignored or not: a scan reads them all), as
 * paths from the top; *paths as xenabi_git_changed_files's.
 */
int xenabi_git_work_changes(struct xenabi_ctx *ctx, const char *dir,
			    const char *commit, char ***paths, size_t *count);

/*
 * A revision of a Xen git repository, read into a scratch directory from
 * git's objects as committed (no filter or attribute of the repository's
 * applies, links are not written): the public headers and the internal
 * files a scan reads, never a checkout, and nothing in the repository
 * changes.  gitdir is a clone (bare or not); rev a tag, branch or commit.
 * Errors: -XENABI_EGIT (git missing, killed or failed, not a repository,
 * one git refuses), -XENABI_ENOTFOUND (no such revision),
 * -XENABI_ENOTREE (no public headers at it, or a path no checkout would
 * write), -XENABI_EIO.
 * *out is the caller's; xenabi_checkout_free() removes the directory.
 */
struct xenabi_checkout;
int xenabi_git_checkout(struct xenabi_ctx *ctx, const char *gitdir,
			const char *rev, struct xenabi_checkout **out);
/*
 * Move *co (NULL: none yet, one is made) to revision rev of gitdir,
 * writing only the files that differ from what it holds: a walk over
 * commits writes a few files each, not the tree.  Its name is the
 * commit's short id.  On failure *co is only fit to be freed.
 */
int xenabi_git_checkout_move(struct xenabi_ctx *ctx, const char *gitdir,
			     const char *rev, struct xenabi_checkout **co);
/*
 * The files (paths from the top of the tree) its last move wrote or
 * removed, when it moved from commit since (the full id): 0 with *paths
 * (co's own, valid until its next move); 1 when it moved from another.
 */
int xenabi_checkout_changes(const struct xenabi_checkout *co, const char *since,
			    char *const **paths, size_t *count);
void xenabi_checkout_free(struct xenabi_checkout *co);
/* The tree to scan.  Strings here are owned by the checkout. */
const char *xenabi_checkout_dir(const struct xenabi_checkout *co);
/* The release name: "4.22.0" for RELEASE-4.22.0, else the short commit id. */
const char *xenabi_checkout_name(const struct xenabi_checkout *co);
/* What to record as the source: "git REV COMMIT" (no local path). */
const char *xenabi_checkout_origin(const struct xenabi_checkout *co);
/* The commit's date, as "2022-12-12T10:00:00Z". */
const char *xenabi_checkout_date(const struct xenabi_checkout *co);

/*
 * Whether name can name a release: 1 to 64 characters, no blank, slash,
 * backslash or control character, not starting with "." or "-" (a
 * release is a file name in baselines/releases).
 */
bool xenabi_release_name_valid(const char *name);

/*
 * The release tags of a Xen repository a baseline is made of: each
 * branch's first release (RELEASE-4.17.0) and its newest point release
 * (RELEASE-4.17.7), from 4.0 on, in version order.  *tags is a new array
 * of new strings (xenabi_strings_free).
 */
int xenabi_git_release_tags(struct xenabi_ctx *ctx, const char *gitdir,
			    char ***tags, size_t *count);

/*
 * Give a release a new name, source or date (NULL: keep it); the strings
 * are copied.  Returns -XENABI_ENOMEM or 0.
 */
int xenabi_release_set_origin(struct xenabi_ctx *ctx,
			      struct xenabi_release *rel, const char *name,
			      const char *source, const char *date);

/* ---- store ------------------------------------------------------------- */

/*
 * A xenabi database, opened for one of:
 *
 * XENABI_DB_READ: read-only, and the file is never changed: no journal
 * mode, schema or upgrade is written.  A database in WAL mode whose
 * directory cannot be written is read too.  An older schema is read
 * through a copy upgraded in memory (the next write upgrades the file).
 * An empty file is an error (-XENABI_EDB): nothing was ever scanned
 * into it.
 *
 * XENABI_DB_WRITE: an existing database, to write to; an older schema
 * is upgraded in place.  A file that is damaged (sqlite's quick_check
 * finds a bad page) or read-only is refused before anything is written
 * (-XENABI_EDB).
 *
 * XENABI_DB_CREATE: the same, and a missing file (and its directories)
 * is made with the schema; when that fails, the file made is removed.
 *
 * xenabi_db_open() returns NULL with the message in ctx when the file
 * does not exist (-XENABI_ENOTFOUND, but with XENABI_DB_CREATE), cannot be
 * opened, is not a xenabi database, or has a newer schema
 * (-XENABI_ESCHEMA).  xenabi_db_close(NULL) is a no-op.
 */
struct xenabi_db;
enum xenabi_db_mode {
	XENABI_DB_READ,
	XENABI_DB_WRITE,
	XENABI_DB_CREATE,
};
struct xenabi_db *xenabi_db_open(struct xenabi_ctx *ctx, const char *path,
				 enum xenabi_db_mode mode);
void xenabi_db_close(struct xenabi_db *db);

/*
 * Open a database read-only as it is, as XENABI_DB_READ does, but only
 * at this xenabi's schema version (the shipped baselines, which make
 * builds with it).  NULL with the message in ctx when the file cannot be
 * read or has another schema version.
 */
struct xenabi_db *xenabi_db_open_readonly(struct xenabi_ctx *ctx,
					  const char *path);

/*
 * Make a database fit to ship: one file (no write-ahead log beside it),
 * vacuumed.  For the shipped baselines, once they are loaded.
 */
int xenabi_db_seal(struct xenabi_ctx *ctx, struct xenabi_db *db);

/* The file a database was opened from; owned by db. */
const char *xenabi_db_path(const struct xenabi_db *db);

/* The schema version this library writes (PRAGMA user_version). */
int xenabi_schema_version(void);

/*
 * The default database path: $XDG_DATA_HOME/xenabi/xenabi.db, else
 * $HOME/.local/share/xenabi/xenabi.db.  Returns a new string the caller
 * frees, or NULL when neither variable is set.
 */
char *xenabi_default_db_path(void);

/*
 * Store a release in one transaction, replacing any release of the same
 * name.  On failure the database is as it was.
 */
int xenabi_db_put_release(struct xenabi_ctx *ctx, struct xenabi_db *db,
			  const struct xenabi_release *rel);

/*
 * The name of a stored release whose tree hash is tree_hash (prefer when
 * it is one of them), or *name = NULL when there is none: its scan can be
 * reused.  *name is the caller's.
 */
int xenabi_db_find_tree(struct xenabi_ctx *ctx, struct xenabi_db *db,
			const char *tree_hash, const char *prefer, char **name);

/*
 * The scans `log` makes of commits no release shares are stored under
 * names starting with this, which no user can give ("." + "git-" + the
 * commit): they stay out of the release lists, history and baselines.
 */
#define XENABI_HIDDEN_PREFIX "."

/*
 * Which tree hash commit (40 hex digits) has, as this xenabi reads it
 * (inputs, from xenabi_scan_inputs), or *tree_hash NULL when not known;
 * the caller's.  And recording it, in a statement of its own.
 */
int xenabi_db_commit_tree(struct xenabi_ctx *ctx, struct xenabi_db *db,
			  const char *commit, const char *inputs,
			  char **tree_hash);
int xenabi_db_put_commit_tree(struct xenabi_ctx *ctx, struct xenabi_db *db,
			      const char *commit, const char *inputs,
			      const char *tree_hash);

/*
 * The findings stored for two trees (as xenabi_diff_json has them, a new
 * string; NULL when none are stored) by this xenabi as built, over abis
 * (0: every ABI both have) and the ABIs compared; and storing them.
 */
int xenabi_db_tree_diff(struct xenabi_ctx *ctx, struct xenabi_db *db,
			const char *old_tree, const char *new_tree,
			unsigned int abis, char **findings, unsigned int *compared);
int xenabi_db_put_tree_diff(struct xenabi_ctx *ctx, struct xenabi_db *db,
			    const char *old_tree, const char *new_tree,
			    unsigned int abis, unsigned int compared,
			    const char *findings);
/*
 * Whether the release of a tree has a hypercall table: 1 or 0, -1 when
 * db has no release of that tree.
 */
int xenabi_db_tree_hypercalls(struct xenabi_ctx *ctx, struct xenabi_db *db,
			      const char *tree_hash, int *has);

/* Remove a release and what only it used.  -XENABI_ENOTFOUND if absent. */
int xenabi_db_delete_release(struct xenabi_ctx *ctx, struct xenabi_db *db,
			     const char *name);

/*
 * The names of db's releases, in version order, without the counts that
 * make xenabi_db_list_releases() slow: a new array of new strings.
 */
int xenabi_db_release_names(struct xenabi_ctx *ctx, struct xenabi_db *db,
			    char ***names, size_t *count);

/*
 * The edit distance of two names (Levenshtein), or max + 1 when it is
 * more than max: for "did you mean".
 */
size_t xenabi_name_distance(const char *a, const char *b, size_t max);

/* One row of xenabi_db_list_releases(). */
struct xenabi_release_info {
	char *name;
	char *source;
	char *tree_hash;
	char *scanned_at;
	bool present[XENABI_UNIT_COUNT];
	size_t ntypes;		/* distinct type names */
	size_t nconsts;		/* distinct constant names */
};

/*
 * All releases, in version order ("4.9.0" before "4.10.0").  *out is a
 * new array the caller frees with xenabi_release_infos_free().
 */
int xenabi_db_list_releases(struct xenabi_ctx *ctx, struct xenabi_db *db,
			    struct xenabi_release_info **out, size_t *count);
void xenabi_release_infos_free(struct xenabi_release_info *infos,
			       size_t count);

/*
 * Load a stored release, all units, back into records.  *out is owned by
 * the caller (xenabi_release_free).  -XENABI_ENOTFOUND if absent.
 */
int xenabi_db_load_release(struct xenabi_ctx *ctx, struct xenabi_db *db,
			   const char *name, struct xenabi_release **out);

/*
 * Every release of db, in version order, each holding only the types
 * called type_name (NULL: none), the hypercall of that name (its
 * handlers, not the type widths) and the constants named in const_names:
 * one name's history, without loading whole releases.  *out is a new
 * array of releases the caller frees (each, then the array).
 */
int xenabi_db_load_named(struct xenabi_ctx *ctx, struct xenabi_db *db,
			 const char *type_name, const char *const *const_names,
			 size_t nconst, struct xenabi_release ***out,
			 size_t *count);

/*
 * Every type and constant name db knows, for suggesting one; *names is a
 * new array of new strings (xenabi_strings_free).
 */
int xenabi_db_names(struct xenabi_ctx *ctx, struct xenabi_db *db,
		    char ***names, size_t *count);

/* Compare release names as versions: "4.9.0" < "4.10.0" < "next". */
int xenabi_release_name_cmp(const char *a, const char *b);

/* ---- history ------------------------------------------------------------ */

/*
 * One name across every release of dbs (the first database's releases
 * shadow later ones' of the same name), in one view: a type (size and
 * alignment per ABI), "type.member" (its type, offset and width), a
 * constant (its value) or a hypercall's continuation encoding (its bits),
 * tried in that order.  Releases where nothing changed are one span.
 * Errors: -XENABI_ENOTFOUND naming the closest known names, the store's.
 * *out is the caller's (xenabi_history_free).
 */
struct xenabi_history;
int xenabi_history_load(struct xenabi_ctx *ctx, struct xenabi_db *const *dbs,
			size_t ndbs, const char *symbol, enum xenabi_view view,
			struct xenabi_history **out);
/* Whether name matches one of globs, comma-separated fnmatch(3) patterns
 * ("4.1[0-9].*,next"); NULL matches every name. */
bool xenabi_name_in_globs(const char *globs, const char *name);

/* The same, only for the releases whose names match one of only's
 * comma-separated fnmatch(3) globs ("4.1[0-9].0,next"); NULL: all. */
int xenabi_history_load_only(struct xenabi_ctx *ctx,
			     struct xenabi_db *const *dbs, size_t ndbs,
			     const char *symbol, enum xenabi_view view,
			     const char *only, struct xenabi_history **out);
void xenabi_history_free(struct xenabi_history *h);

/*
 * A heading, then a row per span with a column per ABI (one column when
 * every ABI agrees throughout): "4.4.0 - 4.22.0  16/4  24/8".  JSON:
 * {"symbol","kind","view","file","spans":[{"from","to","releases",
 * "abis":{ABI: value or null},"changed"}]}.  New strings, NULL when out
 * of memory.
 */
char *xenabi_history_text(const struct xenabi_history *h);
char *xenabi_history_json(const struct xenabi_history *h);

/* ---- baselines ---------------------------------------------------------- */

/*
 * The shipped baselines are text in a directory, sorted and line-oriented
 * so that a change to them reads like the ABI change itself:
 *
 *	layouts		every distinct layout, by name, keyed by its digest
 *	constants	every distinct constant
 *	sets		what one header declares, shared by the releases
 *			whose header declares the same
 *	releases/NAME	a release: its headers' sets and its failures
 *	manifest	the files above, each with its size and sha256
 *
 * Writing twice gives the same bytes.  xenabi_baselines_write() writes
 * the releases of db named in names (NULL: every one) into dir, and
 * removes the release files of any other; it touches no other file.  It
 * writes everything under dir/.xenabi-new/ first and switches by renaming
 * the manifest into place, so that a write killed at any point leaves the
 * old baselines or the new, whole; the next write finishes or drops what
 * a killed one left.  One writer at a time: a second gets -XENABI_EINVAL.
 * xenabi_baselines_load() reads the files dir's manifest names (a
 * directory without one, written before manifests: every file), each
 * checked against the manifest, every key against its record, and stores
 * each release into db.  Errors: -XENABI_EIO, -XENABI_EINVAL ("FILE:LINE:
 * what is wrong"), the store's.
 */
int xenabi_baselines_write(struct xenabi_ctx *ctx, struct xenabi_db *db,
			   char *const *names, size_t nnames, const char *dir);
int xenabi_baselines_load(struct xenabi_ctx *ctx, const char *dir,
			  struct xenabi_db *db, xenabi_progress_fn progress,
			  void *progress_data);

/* ---- diff -------------------------------------------------------------- */

/*
 * The kinds of change, in the order reports use; the names are the JSON
 * "kind" strings.  CONTINUATION_BITS_MOVED and SUBOP_EXCEEDS_MASK are
 * reserved for the continuation encodings; IMPLICIT_PADDING,
 * ABI_DIVERGENCE and SIBLING_WIDTH_MISMATCH are what lint finds in one
 * release.
 */
enum xenabi_change_kind {
	XENABI_TYPE_REMOVED,
	XENABI_TYPE_ADDED,
	XENABI_TYPE_RENAMED,
	XENABI_SIZE_CHANGED,
	XENABI_ALIGN_CHANGED,
	XENABI_MEMBER_REMOVED,
	XENABI_MEMBER_ADDED,
	XENABI_MEMBER_OFFSET_CHANGED,
	XENABI_MEMBER_NARROWED,
	XENABI_MEMBER_WIDENED,
	XENABI_MEMBER_SIGNEDNESS_CHANGED,
	XENABI_MEMBER_TYPE_CHANGED,
	XENABI_MEMBER_RENAMED,
	XENABI_BITFIELD_CHANGED,
	XENABI_ENUMERATOR_CHANGED,
	XENABI_ENUMERATOR_REMOVED,
	XENABI_CONSTANT_CHANGED,
	XENABI_CONSTANT_REMOVED,
	XENABI_CONSTANT_ADDED,
	XENABI_INTERFACE_VERSION_UNCHANGED,
	XENABI_CONTINUATION_BITS_MOVED,
	XENABI_SUBOP_EXCEEDS_MASK,
	XENABI_IMPLICIT_PADDING,
	XENABI_ABI_DIVERGENCE,
	XENABI_SIBLING_WIDTH_MISMATCH,
	XENABI_HYPERCALL_REMOVED,
	XENABI_HYPERCALL_ADDED,
	XENABI_HYPERCALL_RETURN_NARROWED,
	XENABI_HYPERCALL_RETURN_WIDENED,
	XENABI_HYPERCALL_ARGUMENT_CHANGED,
	XENABI_RETURN_WIDTH_DIFFERS,
	XENABI_HEADER_FAILED,
	XENABI_CHANGE_COUNT
};

enum xenabi_severity {
	XENABI_SEV_INFO,	/* nothing a guest can notice */
	XENABI_SEV_RISK,	/* a source break, or one to look at */
	XENABI_SEV_BREAK,	/* a guest built against old misbehaves on new */
	XENABI_SEV_COUNT
};

const char *xenabi_change_kind_name(enum xenabi_change_kind kind);
/* Whether a kind is about the hypercall table (removed, added, a width). */
bool xenabi_change_is_hypercall(enum xenabi_change_kind kind);
const char *xenabi_severity_name(enum xenabi_severity sev);
/* Returns the severity or -1 for an unknown name. */
int xenabi_severity_parse(const char *name);

/*
 * One change, reported once at its root.  abis is a bit mask over enum
 * xenabi_abi: a change identical on several ABIs is one finding.  view is
 * GUEST when the guest view has it (the tools view then has it too), TOOLS
 * when only the tools view does.  symbol names the type, "type.member" or
 * the constant; old and new say what it was and is, in words; detail
 * lists what else the change moves ("shifts: a, b; size 8 -> 12 bytes").
 * reason says in words why the change has its severity, by which of
 * Xen's rules ("XEN_DOMCTL_INTERFACE_VERSION 0x15 -> 0x16: do_domctl()
 * refuses ..."); never NULL in a diff, may be "" in lint.  file and line
 * are the new side's, or the old side's for removals.
 */
struct xenabi_finding {
	enum xenabi_change_kind kind;
	enum xenabi_severity severity;
	unsigned int abis;
	enum xenabi_view view;
	const char *symbol;
	const char *old;
	const char *new;
	const char *detail;
	const char *reason;
	const char *file;
	uint32_t line;
	const char *suppressed;	/* the accepting entry's reason, or NULL */
	const char *commit;	/* log: the commit that made it, or NULL */
};

/* A diff owns its findings; it never points into the releases. */
struct xenabi_diff {
	const char *old_name;
	const char *new_name;	/* for lint: the release, as old_name */
	bool lint;		/* findings of one release, not a comparison */
	unsigned int abis;	/* the ABIs both releases have */
	size_t nfindings;
	struct xenabi_finding *findings;
	struct xa_arena *arena;
};

/*
 * Compare two releases, unit by unit (ABI and view), into findings sorted
 * by view (guest first), file, symbol and kind.  *out is the caller's
 * (xenabi_diff_free).  Errors: -XENABI_EINVAL when the releases share no
 * ABI, -XENABI_ENOMEM.
 */
int xenabi_diff_releases(struct xenabi_ctx *ctx,
			 const struct xenabi_release *old,
			 const struct xenabi_release *new,
			 struct xenabi_diff **out);
void xenabi_diff_free(struct xenabi_diff *diff);

/*
 * One diff of the findings of n diffs, parts[i]'s tagged with commits[i]
 * (the SARIF and JUnit of `log`).  It copies no string: parts and commits
 * must outlive it.  *out is the caller's (xenabi_diff_free).
 */
int xenabi_diff_merge(struct xenabi_ctx *ctx, struct xenabi_diff *const *parts,
		      const char *const *commits, size_t n,
		      const char *old_name, const char *new_name,
		      struct xenabi_diff **out);

/*
 * Add src's findings to dst, note (NULL: none) added to each one's
 * detail, strings copied: src may go first.  For `log`: what a commit
 * changed in a hypercall table that its parent's tree had none of (4.17's
 * commits between the C tables and hypercall-defs.c), against the last
 * table the walk could read.
 */
int xenabi_diff_append(struct xenabi_ctx *ctx, struct xenabi_diff *dst,
		       const struct xenabi_diff *src, const char *note);

/*
 * The findings of whole that no finding of the parts explains: none of
 * them names the same symbol, or the type it belongs to, on one of its
 * ABIs.  An interface_version_unchanged of whole counts the breaks under
 * it, each checked on its own: it needs no part.  For `log`, a diff of
 * the walk's two ends against its commits'.  *out (the caller's) shares
 * whole's strings: whole must outlive it.
 */
int xenabi_diff_unexplained(struct xenabi_ctx *ctx,
			    const struct xenabi_diff *whole,
			    struct xenabi_diff *const *parts, size_t n,
			    struct xenabi_diff **out);

/*
 * Judge `log`'s diffs, parts[i] one commit's (oldest first, new_name its
 * id; NULL: none), by Xen's rules for a development cycle that starts at
 * the walk's base (base_id), for binaries built against it; against[i]
 * is the base's diff against commit i (NULL: no finding), needed where
 * parts[i] has a finding.  A finding whose kind and symbol are a break
 * against the base is a break.  A version moves once per cycle: a break
 * under a versioned interface whose version differs at the walk's end
 * from the base is info (a removal risk), the base's binaries being
 * refused.  Any other break takes the severity of what the base against
 * the commit has to say about its symbol or type (info when nothing): a
 * change of what the cycle added, or one undoing an earlier commit's,
 * breaks no binary built against the base.  Findings change in place.
 */
int xenabi_diff_within_cycle(struct xenabi_ctx *ctx,
			     struct xenabi_diff *const *parts,
			     struct xenabi_diff *const *against, size_t n,
			     const char *base_id);

/*
 * Lint one release on its own into findings, in the same container and
 * formats as a diff: implicit_padding (a hole or tail padding the
 * compiler inserts in a struct, naming the ABIs), abi_divergence (a type
 * whose layout differs between arm32 and arm64, whose ABI is meant to be
 * one), sibling_width_mismatch (a member of a struct and of its sibling
 * "<struct>_<suffix>" in the same header, same name, different width).
 * *out is the caller's (xenabi_diff_free).
 */
int xenabi_lint_release(struct xenabi_ctx *ctx,
			const struct xenabi_release *rel,
			struct xenabi_diff **out);

/* How many findings are at or above sev, not counting suppressed ones. */
size_t xenabi_diff_count(const struct xenabi_diff *diff,
			 enum xenabi_severity sev);

/*
 * The diff as text for people: a summary line, then the breaks, the risks
 * and the info, most severe first, each grouped by view, header and type,
 * breaks and risks with the reason for their severity ("why: ...").
 * Severities below min are left out; info is one line per kind and
 * header unless flags has XENABI_TEXT_ALL; XENABI_TEXT_COLOR adds colour
 * escapes.  Or as JSON, always everything:
 * {"old","new","changes":[{"kind","severity","abi":[...],"view","symbol",
 * "old","new","detail","reason","file","line"}]}.  New strings the
 * caller frees, NULL when out of memory.
 */
#define XENABI_TEXT_COLOR 0x1u
#define XENABI_TEXT_ALL 0x2u
char *xenabi_diff_text(const struct xenabi_diff *diff, unsigned int flags,
		       enum xenabi_severity min);
char *xenabi_diff_json(const struct xenabi_diff *diff);
/*
 * A diff back from xenabi_diff_json's text, compared over the ABIs of
 * the mask compared.  *out is the caller's.  -XENABI_EINVAL when the
 * text is no such JSON.
 */
int xenabi_diff_from_json(struct xenabi_ctx *ctx, const char *json,
			  unsigned int compared, struct xenabi_diff **out);

/*
 * The diff for machines that read code-scanning results: SARIF 2.1.0 (one
 * run, one rule per kind; break is "error", risk "warning", info "note";
 * locations under xen/include/public/), and JUnit XML (one testcase per
 * finding, failed when at or above fail_on; one passing testcase when
 * there is nothing).  New strings the caller frees, NULL when out of
 * memory.
 */
char *xenabi_diff_sarif(const struct xenabi_diff *diff);

/*
 * What `log` found, for machines: {"schema","range","from","to","base",
 * "walked","read","commits":[{"id","parent","author","date","subject",
 * "changes":[...]}],"unattributed":[...]}, the changes as in
 * xenabi_diff_json; diffs[i] is the diff of walk->commits[i] with its
 * parent (NULL or empty: not listed), unattributed (may be NULL) what the
 * diff of the walk's two ends has that no commit's diff explains.  A new
 * string, NULL when out of memory.
 */
char *xenabi_log_json(const struct xenabi_walk *walk, const char *range,
		      struct xenabi_diff *const *diffs,
		      const struct xenabi_diff *unattributed);
char *xenabi_diff_junit(const struct xenabi_diff *diff,
			enum xenabi_severity fail_on);

/*
 * Text for a JSON string that carries every byte of s: what is not UTF-8
 * becomes the four characters \xHH, and a backslash before 'x' or before
 * another backslash is doubled, so that the bytes can be had back exactly
 * (\\ is one backslash, \xHH one byte, any other backslash itself).
 * Headers, macro strings and suppression reasons are bytes, not always
 * UTF-8.  A new jansson string (struct json_t), JSON null for NULL, NULL
 * when out of memory.
 */
struct json_t;
struct json_t *xenabi_json_text(const char *s);

/*
 * s for one line of a terminal, with the same escapes, every control
 * character (a newline in a header's name, an ESC in a macro string) as
 * \xHH too.  A new string the caller frees, NULL when out of memory.
 */
char *xenabi_text_line(const char *s);

/* ---- suppressions ------------------------------------------------------ */

/*
 * A file of accepted changes, one entry per change a release manager let
 * in, each with the reason (the freeze exception):
 *
 *	# comment
 *	accept KIND SYMBOL-GLOB [abi=ABI[,ABI...]] [view=tools|guest]
 *	    reason: TEXT
 *
 * KIND is a change kind or "*"; SYMBOL-GLOB is an fnmatch(3) pattern.  The
 * reason line is required.
 */
struct xenabi_suppressions;

/*
 * Parse path.  Errors: -XENABI_EIO (cannot read), -XENABI_EINVAL with
 * "FILE:LINE: what is wrong" for a syntax error.  *out is the caller's.
 */
int xenabi_suppressions_load(struct xenabi_ctx *ctx, const char *path,
			     struct xenabi_suppressions **out);
void xenabi_suppressions_free(struct xenabi_suppressions *s);

/*
 * Mark every finding an entry matches as suppressed, with the entry's
 * reason.  Returns the number of entries that matched nothing.
 */
size_t xenabi_suppressions_apply(struct xenabi_suppressions *s,
				 struct xenabi_diff *diff);

/*
 * The i-th entry that matched nothing in the last apply: its line, and
 * the entry as written.  Returns false past the last.
 */
bool xenabi_suppressions_stale(const struct xenabi_suppressions *s, size_t i,
			       unsigned int *line, const char **entry);

/* ---- rendering --------------------------------------------------------- */

/*
 * A release's hypercall table, or only the hypercall called only (NULL:
 * all), as text or JSON (a new string); NULL when the release has none of
 * it, or out of memory.
 */
char *xenabi_hypercalls_text(const struct xenabi_release *rel,
			     const char *only);
char *xenabi_hypercalls_json(const struct xenabi_release *rel,
			     const char *only);

/*
 * Render a type's layout the way pahole does: one line per member with its
 * offset and size, holes and tail padding marked, bit-fields as "name:N".
 * Nested anonymous aggregates are rendered after their parent.  Returns a
 * new string the caller frees, or NULL when out of memory.
 */
char *xenabi_layout_text(const struct xenabi_unit *unit,
			 const struct xenabi_type *type);

/*
 * The same layout as a JSON object: {"release","abi","view","kind","name",
 * "size","align","file","line","members":[{"name","type","offset","size",
 * "bit_offset","bit_size","base","base_class","bits","signed","dims"}]}
 * (bit_* only for bit-fields, dims only for arrays; enumerators as
 * {"name","value"}; typedefs add "target").  Returns a new string (indented, no trailing newline)
 * the caller frees, or NULL when out of memory.
 */
char *xenabi_layout_json(const char *release, const struct xenabi_unit *unit,
			 const struct xenabi_type *type);

#endif
