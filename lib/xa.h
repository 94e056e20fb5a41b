/* SPDX-License-Identifier: MIT */
/*
 * Internal interface shared by the files of lib/.  Not installed.
 */
#ifndef XA_H
#define XA_H

#include <stdarg.h>
#include <stdio.h>
#include <poll.h>
#include <sys/types.h>

#include "xenabi.h"

#define XA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct xenabi_ctx {
	char errmsg[1024];
	char *compiler;
	unsigned int jobs;
	unsigned int time_limit;	/* seconds a child may run; 0 none */
	unsigned int memory_limit;	/* MiB of address space; 0 none */
	struct xa_given_up *given_up;	/* a scan's, shared by its units */
	struct xa_cpp_memo *cpp_memo;	/* xa_hcall_cpp's last outputs */
	struct xa_cc_pool *cc_pool;	/* compilers kept running (ccsrv.c) */
	xenabi_step_fn step_fn;	/* crash tests: after each change to disk */
	void *step_data;
};

/* Format the message into ctx and return -code, so "return xa_error()". */
void xa_cpp_memo_free(struct xa_cpp_memo *memo);

int xa_error(struct xenabi_ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- model: the arena that owns records --------------------------------- */

/*
 * A bump allocator: everything a release holds lives in one arena and is
 * freed with it.  Allocation failure returns NULL.
 */
struct xa_arena;
struct xa_arena *xa_arena_new(void);
void xa_arena_free(struct xa_arena *arena);
void *xa_arena_alloc(struct xa_arena *arena, size_t size);
/* Move everything src owns into dst; src is left empty. */
void xa_arena_adopt(struct xa_arena *dst, struct xa_arena *src);
char *xa_arena_strdup(struct xa_arena *arena, const char *s);
char *xa_arena_strndup(struct xa_arena *arena, const char *s, size_t n);
char *xa_arena_printf(struct xa_arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *xa_arena_vprintf(struct xa_arena *arena, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The same, for building records: "" and *oom set when out of memory. */
const char *xa_arena_fmt(struct xa_arena *arena, bool *oom, const char *fmt,
			 ...) __attribute__((format(printf, 3, 4)));

/*
 * A growable array of fixed-size elements in plain heap memory; used while
 * building and then copied into the arena with xa_vec_finish().
 */
struct xa_vec {
	void *data;
	size_t len;
	size_t cap;
	size_t elem;
};

void xa_vec_init(struct xa_vec *vec, size_t elem);
void xa_vec_release(struct xa_vec *vec);
/* Append a zeroed element and return it, or NULL when out of memory. */
void *xa_vec_push(struct xa_vec *vec);
/*
 * Sort the elements and keep one of each run that cmp finds equal,
 * merge(kept, dropped) called for each one dropped (NULL: just drop).
 */
void xa_vec_sort_merge(struct xa_vec *vec,
		       int (*cmp)(const void *, const void *),
		       void (*merge)(void *into, const void *from));
/* Copy the elements into the arena, release the vector; NULL if empty/OOM. */
void *xa_vec_finish(struct xa_vec *vec, struct xa_arena *arena, size_t *len);

struct xenabi_release *xa_release_new(const char *name);

/* Where a member's bytes end (a bit-field: the byte after its last bit). */
uint64_t xa_member_end(const struct xenabi_member *m);
/* Where a type's members end: what lies past it is tail padding. */
uint64_t xa_type_used_end(const struct xenabi_type *t);

/* A constant's value for people: 6, 300 (0x12c), -1, "4.17", or its text. */
const char *xa_const_words(struct xa_arena *arena, bool *oom,
			   const struct xenabi_const *c);

int xa_type_cmp(const void *a, const void *b);
int xa_const_cmp(const void *a, const void *b);
/* For qsort of an array of strings, and bsearch of a string in one. */
int xa_str_cmp(const void *a, const void *b);
int xa_str_key_cmp(const void *key, const void *elem);

/* A growable string in heap memory. */
struct xa_buf {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
};

void xa_buf_init(struct xa_buf *buf);
void xa_buf_release(struct xa_buf *buf);
void xa_buf_add(struct xa_buf *buf, const char *s, size_t n);
void xa_buf_puts(struct xa_buf *buf, const char *s);
void xa_buf_printf(struct xa_buf *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Give the string to the caller (NULL if out of memory), reset buf. */
char *xa_buf_detach(struct xa_buf *buf);
/* The rest of f, added to buf; false on a read error. */
bool xa_buf_read(struct xa_buf *buf, FILE *f);

/* ---- abi --------------------------------------------------------------- */

struct xa_abi_info {
	const char *name;
	const char *triple;
	unsigned int pointer_size;
	/* Largest alignment a scalar gets inside a struct (4 on i386). */
	unsigned int max_scalar_align;
};

const struct xa_abi_info *xa_abi_info(enum xenabi_abi abi);

/*
 * Whether header (path relative to the public directory) may be included
 * directly in abi's probe: shared headers yes, the ABI's own arch headers
 * yes, other architectures' headers never.
 */
bool xa_abi_owns_header(enum xenabi_abi abi, const char *header);

/*
 * Whether header is one that selects abi's definitions: xen.h or abi's
 * own arch header ("arch-arm.h", "arch-x86/xen.h", ...).
 */
bool xa_abi_arch_header(enum xenabi_abi abi, const char *header);

/* ---- source ------------------------------------------------------------ */

/*
 * The public headers found under a directory: the public directory
 * (absolute, normalised), the headers relative to it, sorted, and the
 * sha256 of their paths and contents.
 */
struct xa_source {
	char *public_dir;
	char **headers;
	size_t nheaders;
	char **unnamable;	/* headers whose name #include "..." cannot
				   carry (a quote, backslash or control
				   character): not compiled, sorted */
	size_t nunnamable;
	char **outside;		/* headers left out for reaching outside the
				   tree (a link, an #include): header, why,
				   ...; sorted */
	size_t noutside;	/* pairs in outside */
	bool *system_include;	/* per header: has an #include <...> */
	char *tree_top;		/* the Xen tree around it, or NULL */
	char tree_hash[65];
	bool has_arm;
	char **compat;		/* xlat.lst's "?" lines: name, header, ... */
	size_t ncompat;		/* pairs in compat */
	char **zeroext;		/* save types loaded zero-extended: TYPE, file, ... */
	size_t nzeroext;	/* pairs in zeroext, sorted */
	char **dispatch;	/* sub-ops the dispatchers name: NAME, file, ...;
				   "", file: that file was read */
	size_t ndispatch;	/* pairs in dispatch, sorted */
	char **uses;		/* what dispatchers' sub-op cases use:
				   "NAME SUBOP", file, ...; SUBOP may be empty */
	size_t nuses;		/* pairs in uses, sorted */
	const bool *probe_only;	/* NULL, or per header: the probes include it */
	const bool *macros_only;	/* NULL, or per header: only its macros
					   are constants to evaluate */
};

int xa_source_open(struct xenabi_ctx *ctx, const char *dir,
		   struct xa_source *src);
/*
 * Whether what the probes give for header is kept: always in a full scan,
 * in a partial one for the changed headers only (macros_only).
 */
bool xa_source_wanted(const struct xa_source *src, const char *header);
/*
 * Which of src's headers a change to changed[] (public paths: modified,
 * added or removed) can alter: those, and every header whose #include
 * "..." closure reaches one.  dirty has src->nheaders entries.
 */
int xa_source_dirty(struct xenabi_ctx *ctx, const struct xa_source *src,
		    char *const *changed, size_t nchanged, bool *dirty);
void xa_source_release(struct xa_source *src);

/*
 * What a scan reads, and how: part of every tree hash, so a xenabi that
 * scans differently never reuses another's stored work.  Change it with
 * anything that changes a scan's records for the same tree.
 */
#define XA_SCAN_FORMAT "xenabi-scan 11"

/*
 * The internal files of a Xen tree a scan may read (the manifest's and
 * the compat list), relative to its top, sorted; free with
 * xa_strings_free.
 */
int xa_internal_files(struct xenabi_ctx *ctx, char ***out, size_t *count);
void xa_strings_free(char **s, size_t n);

/*
 * Where a tree loads HVM save records zero-extended: the calls of
 * XA_ZEROEXT_MACRO(TYPE, ...) in the .c files under XA_ZEROEXT_DIR.
 */
#define XA_ZEROEXT_MACRO "hvm_load_entry_zeroextend"
#define XA_ZEROEXT_DIR "xen/arch/x86"

/*
 * Normalise a path lexically ("a/b/../c" -> "a/c") in place.
 */
void xa_path_normalise(char *path);

/* ---- run: other programs, scratch directories ---------------------------- */

/* A program's outcome: exit status, its stderr and (captured) stdout. */
struct xa_run {
	int status;	/* exit status, or -1 when killed by a signal */
	char *out;	/* stdout when captured, NUL-terminated; else NULL */
	size_t out_len;	/* its length, NULs in it included */
	char *err;	/* stderr, NUL-terminated */
	const char *limit;	/* why a limit stopped it ("ran past its time
				   limit of 120 s"), or NULL; in the run */
	char why[96];
	long long ms;		/* how long it ran */
	long max_kib;		/* its peak resident memory */
};

/*
 * Run argv[0] (searched on PATH) with stdout to out_path (or into
 * run->out when capture, or /dev/null) and stderr captured.  Returns 0
 * when the program ran (whatever its exit status), -code with hint ("install
 * git ...") in the message when it could not start.
 */
int xa_run(struct xenabi_ctx *ctx, char *const argv[], const char *out_path,
	   bool capture, int code, const char *hint, struct xa_run *run);
/* The same with stdin from in_path (NULL: /dev/null), envp (NULL: ours). */
int xa_run_env(struct xenabi_ctx *ctx, char *const argv[], char *const envp[],
	       const char *in_path, const char *out_path, bool capture,
	       int code, const char *hint, struct xa_run *run);
void xa_run_release(struct xa_run *run);
/*
 * A child's wait status into run: its status, and what stopped it
 * (run->limit).  true: a limit of ours did, time or memory.
 */
bool xa_run_judge(const struct xenabi_ctx *ctx, struct xa_run *run,
		  int status, bool timed_out);
/* A child an interruption must kill (alive), or one reaped (!alive). */
void xa_live_pid(pid_t pid, bool alive);
long long xa_now_ms(void);
/*
 * One wait (until deadline, a xa_now_ms() time; 0: none) for either of
 * two fds, and a read from each that is ready into its buffer; an fd at
 * its end becomes -1.  -1: the deadline passed first.
 */
int xa_read_ready(struct pollfd *fds, struct xa_buf **bufs,
		  long long deadline);

/*
 * The compiler kept running (ccsrv.c): argv run by a xenabi-cc when
 * argv[0] is "clang" and the xenabi-cc beside the program stands for the
 * clang on PATH, with run filled as xa_run would (stdout into run->out
 * when capture).  1: not served here, run it as a process.  The pool
 * belongs to a context and its copies (xenabi_ctx_dup).
 */
int xa_cc_run(struct xenabi_ctx *ctx, char *const argv[], bool capture,
	      struct xa_run *run);
/*
 * The same for a constants probe's command line (-fsyntax-only): run->out
 * has what the front end made of its names, errors or not, in
 * cmd/xenabi-cc.cc's "values" lines.  1: no xenabi-cc here.
 */
int xa_cc_values(struct xenabi_ctx *ctx, char *const argv[],
		 struct xa_run *run);
/* One compile more run as a clang process (xenabi_compile_counts). */
void xa_cc_count_alone(void);
struct xa_cc_pool *xa_cc_pool_new(void);
struct xa_cc_pool *xa_cc_pool_ref(struct xa_cc_pool *pool);
void xa_cc_pool_unref(struct xa_cc_pool *pool);

/*
 * git -C gitdir ARGS... MORE... (git.c): stdin from in_path (NULL: none),
 * stdout into *out (run->out_len long) when out is not NULL; the
 * repository's hooks, replacements and environment overrides left out.
 * xa_git is the same with no MORE and no stdin.
 */
int xa_git_more(struct xenabi_ctx *ctx, const char *gitdir,
		const char *in_path, char **out, struct xa_run *run,
		const char *const args[], const char *const *more,
		size_t nmore);
int xa_git(struct xenabi_ctx *ctx, const char *gitdir, char **out,
	   struct xa_run *run, const char *const args[]);
/*
 * A git command that failed, in one line (the limit or signal, or git's
 * first line); rev, when not NULL, the revision it was reading.
 */
int xa_git_failed(struct xenabi_ctx *ctx, const struct xa_run *run,
		  const char *cmd, const char *gitdir, const char *rev);
/*
 * The output of a git command that must succeed (*out the caller's, NULL
 * on failure), as xa_git_more runs it; a failure is xa_git_failed's
 * message, naming rev when not NULL.
 */
int xa_git_output(struct xenabi_ctx *ctx, const char *gitdir, const char *rev,
		  const char *in_path, const char *const args[],
		  const char *const *more, size_t nmore, char **out,
		  size_t *len);
/* The first line of a git command's output; 1 when git exits non-zero. */
int xa_git_line(struct xenabi_ctx *ctx, const char *gitdir,
		const char *const args[], char **line);
/* Whether git takes gitdir for a repository, and if not why, in git's words. */
int xa_git_repo_check(struct xenabi_ctx *ctx, const char *gitdir);

/* A scratch directory under $TMPDIR; xa_rmdir removes it with its contents. */
int xa_tmpdir(struct xenabi_ctx *ctx, char **dir);
void xa_rmdir(const char *dir);

/* The digest of the library's sources and data as built (digest.c). */
extern const char xa_build_digest[];

/* ---- probe ------------------------------------------------------------- */

/*
 * xa_run for the compiler: -XENABI_ECOMPILER when it cannot start.  A
 * compile kept running serves it when it can (xa_cc_run); _alone runs a
 * process, whose time and memory are the compile's own.
 */
int xa_probe_run(struct xenabi_ctx *ctx, char *const argv[],
		 const char *out_path, struct xa_run *run);
int xa_probe_run_alone(struct xenabi_ctx *ctx, char *const argv[],
		       const char *out_path, struct xa_run *run);

/*
 * With XENABI_KEEP_PROBES set (the scratch directory is then kept too),
 * save a failed round's diagnostics as PROBE.roundN.err for a person to
 * read.  Does nothing otherwise.
 */
void xa_probe_keep_diag(const char *probe, unsigned int round,
			const char *diag);

/*
 * Build the compiler's argument vector for abi/view: the target, the
 * defines and include path, and debug flags; extra is appended, then the
 * input and "-o output" (output NULL: none).  Returns a NULL-terminated
 * array the caller frees with xa_argv_free.
 */
char **xa_probe_argv(const struct xenabi_ctx *ctx, enum xenabi_abi abi,
		     enum xenabi_view view, const char *public_dir,
		     const char *const *extra, const char *input,
		     const char *output);
void xa_argv_free(char **argv);

/*
 * Write the prelude and the #include lines of the headers in included[]
 * (xen.h first, those with system includes last) to f, from line 1.  line_header[k] (if not NULL)
 * receives the header index written on line 3 + k; *nlines the number of
 * #include lines.  Returns the number of lines written.
 */
int xa_probe_write_includes(FILE *f, const struct xa_source *src,
			    const bool *included, size_t *line_header,
			    size_t *nlines);

/*
 * The rounds of a probe: write it, run the compiler, and on failure let
 * the caller drop what the compiler blamed, until the real compile
 * succeeds.  The first round, and any round after a fatal error that
 * hid others, only checks syntax: it is cheaper.  Otherwise the next
 * round is the real compile, which then usually succeeds at once.
 *
 * write(data, check) writes the probe for a check round or for the
 * compile and returns 0, 1 when nothing is left to compile, or a negative
 * error; check_argv (may be NULL) builds a check round's command line
 * when it has more inputs than the probe; drop() returns how many things it dropped (0: the compiler
 * blamed nothing we wrote, which is an error) or (size_t)-1 when out of
 * memory, and sets *recheck when a fatal error may have hidden others.  Returns 0 when compiled, 1 when nothing was left, or a
 * negative error (what names the probe in messages).
 */
struct xa_rounds {
	const char *probe;
	const char *what;
	char **check;
	char **compile;
	int (*write)(void *data, bool check);
	char **(*check_argv)(void *data);
	size_t (*drop)(void *data, const char *diag, bool *recheck);
	/*
	 * When a limit (time, memory) or a signal stops the compiler, the
	 * culprit is found by halves: nitems is how many things the probe
	 * holds (headers, macros), write_some(data, take) writes a check
	 * probe of those take[] says (1 when none is left of them), and
	 * give_up(data, k, why) drops item k and records why.
	 */
	size_t nitems;
	int (*write_some)(void *data, const bool *take);
	int (*give_up)(void *data, size_t k, const char *why);
	void *data;
};

int xa_probe_rounds(struct xenabi_ctx *ctx, const struct xa_rounds *r);

/*
 * What a limit made one unit of a scan give up ("header:memory.h",
 * "macro:FIX_RUNAWAY"), with why: the other units leave it out at once
 * instead of finding it again, compile after compile.  Shared by the
 * scan's threads, locked inside.
 */
struct xa_given_up;
struct xa_given_up *xa_given_up_new(void);
void xa_given_up_free(struct xa_given_up *g);
/* 0, or -XENABI_ENOMEM; g NULL: nothing kept. */
int xa_given_up_add(struct xenabi_ctx *ctx, struct xa_given_up *g,
		    const char *key, const char *why);
/* Why key was given up, copied into arena, or NULL. */
const char *xa_given_up_find(struct xa_given_up *g, const char *key,
			     struct xa_arena *arena);

/*
 * Compile the layout probe for one unit: include every header the ABI
 * owns; drop the headers the compiler blames and retry until the rest
 * compiles.  On success obj_path holds the object and the unit's failures
 * and nheaders are filled in (strings in arena).  included[] (indexed like
 * src->headers) says which headers made it in.
 */
int xa_probe_layouts(struct xenabi_ctx *ctx, const struct xa_source *src,
		     struct xenabi_unit *unit, struct xa_arena *arena,
		     const char *workdir, const char *obj_path,
		     bool *included);

/*
 * Find the top-level line of probe_path that each error in a clang
 * diagnostic stream comes from: calls blame(data, line, message) once per
 * error, with message the error's first line.  Returns the number of errors.
 */
size_t xa_probe_blame(const char *diag, const char *probe_path,
		      void (*blame)(void *data, unsigned long line,
				    const char *msg, size_t msglen),
		      void *data);

/* ---- dwarf ------------------------------------------------------------- */

/* A macro as read from the DWARF macro section, live at the end of the TU. */
struct xa_macro {
	char *name;
	char *text;	/* definition after the name ("" when empty) */
	char *file;	/* absolute and normalised; "" for built-in macros */
	unsigned int line;
	bool function_like;
};

/*
 * Read the types of one probe object into unit (strings in arena).  Only
 * types declared in files under public_dir are kept; their enumerators go
 * to consts (class ENUMERATOR).
 */
/* Set libelf up, once: before threads start reading objects. */
void xa_dwarf_init(void);

int xa_dwarf_read_types(struct xenabi_ctx *ctx, const char *obj_path,
			const char *public_dir, enum xenabi_abi abi,
			struct xa_arena *arena, struct xa_vec *types,
			struct xa_vec *consts);

/*
 * Read the macros defined at the end of the TU of obj_path, sorted by
 * name.  *macros is a heap array freed with xa_macros_free.
 */
int xa_dwarf_read_macros(struct xenabi_ctx *ctx, const char *obj_path,
			 struct xa_macro **macros, size_t *count);
void xa_macros_free(struct xa_macro *macros, size_t count);

/*
 * Read the names of the typedefs at file scope in the TU of obj_path,
 * from any file (stdint.h's too), sorted and unique.  *names is a heap
 * array freed with xa_strings_free.
 */
int xa_dwarf_read_typedef_names(struct xenabi_ctx *ctx, const char *obj_path,
				char ***names, size_t *count);

/* What names mean after a probe's headers: for the constants probe. */
struct xa_names {
	const struct xa_macro *macros;	/* sorted by name */
	size_t nmacros;
	char *const *typedefs;	/* sorted */
	size_t ntypedefs;
};

/*
 * Read the values of the enumerators called "<prefix><N>" in obj_path:
 * values[N] = value, seen[N] = true.  n bounds N.
 */
int xa_dwarf_read_enumerators(struct xenabi_ctx *ctx, const char *obj_path,
			      const char *prefix, size_t n, uint64_t *values,
			      bool *seen);

/*
 * Read the sections called "<prefix><N>" of obj_path: strs[N] becomes a
 * heap copy of the section's bytes up to the first NUL.  n bounds N.
 */
int xa_dwarf_read_sections(struct xenabi_ctx *ctx, const char *obj_path,
			   const char *prefix, size_t n, char **strs);

/* ---- consts ------------------------------------------------------------ */

/* An integer expression for the compiler to evaluate alongside. */
struct xa_expr {
	const char *expr;
	uint64_t value;
	bool ok;	/* out: it compiled, and value holds */
};

/*
 * Classify and evaluate the macros defined in public headers (names may
 * be NULL: none): the probe
 * includes the same headers as the layout probe (included[]) and asks the
 * compiler for each candidate's value, and for the value of each of
 * exprs.  Appends to consts (strings in arena).
 */
int xa_consts_evaluate(struct xenabi_ctx *ctx, const struct xa_source *src,
		       const bool *included, enum xenabi_abi abi,
		       enum xenabi_view view, const struct xa_names *names,
		       struct xa_expr *exprs, size_t nexprs,
		       const char *workdir, struct xa_arena *arena,
		       struct xa_vec *consts, struct xa_vec *failures);


/* ---- store ------------------------------------------------------------ */

/* The schema scripts, in version order, generated from schema/ (schema.c). */
struct xa_schema_step {
	int version;
	const char *sql;
};

extern const struct xa_schema_step xa_schema_steps[];
extern const size_t xa_schema_nsteps;

/* ---- diff -------------------------------------------------------------- */

/* Whether a change kind is about a constant (or enumerator), not a type. */
bool xa_change_is_constant(enum xenabi_change_kind kind);

/*
 * Collapse per-unit findings (in, reordered) into out: the same change on
 * several ABIs becomes one finding naming them, and the tools-view twin
 * of a guest-view change folds into it.  Returns -1 when out of memory.
 */
int xa_findings_collapse(struct xa_vec *in, struct xa_vec *out);

/* Sort findings in report order: view, file, types before constants. */
void xa_findings_sort(struct xa_vec *findings);

/* ---- encode: continuation encodings -------------------------------------- */

/* One entry of lib/continuations.txt. */
struct xa_encoding {
	char *hypercall;	/* "memory_op" */
	char *field;		/* what the high bits carry: "start_extent" */
	char *arg;		/* the argument that carries it: "cmd" */
	unsigned int arg_bits;	/* its width; 0: the guest's word */
	char *shift;		/* macro names, any may be NULL */
	char *mask;
	char *flag;		/* a bit that marks a preempted call */
	unsigned int abis;	/* bit mask of the ABIs it is on; 0: all */
	char **files;		/* from the top of a Xen tree */
	size_t nfiles;
	char *subop_header;	/* the public header of the sub-op numbers */
	char *subop_glob;
	char **except;
	size_t nexcept;
	char **continued;	/* the sub-ops that are continued, when not
				   all are; NULL: any may be */
	size_t ncontinued;
};

/* The manifest compiled in; *out is a heap array for xa_encodings_free. */
int xa_encodings_load(struct xenabi_ctx *ctx, struct xa_encoding **out,
		      size_t *count);
void xa_encodings_free(struct xa_encoding *e, size_t n);

/*
 * Evaluate every encoding's macros in the tree at top for abi: constants
 * (file relative to top) go to consts, what is not found or does not
 * evaluate to failures ("continuation HYPERCALL").
 */
int xa_encodings_scan(struct xenabi_ctx *ctx, const struct xa_encoding *enc,
		      size_t nenc, const char *top, enum xenabi_abi abi,
		      const char *workdir, struct xa_arena *arena,
		      struct xa_vec *consts, struct xa_vec *failures);

enum xa_enc_role { XA_ROLE_SHIFT, XA_ROLE_MASK, XA_ROLE_FLAG };

/* The encoding one of whose macros is macro, and its role; or NULL. */
const struct xa_encoding *xa_encoding_of(const struct xa_encoding *enc,
					 size_t nenc, const char *macro,
					 enum xa_enc_role *role);

/*
 * Whether a constant came from a tree's internal files (an encoding's
 * macro: "xen/...") rather than from a public header.
 */
bool xa_const_from_tree(const struct xenabi_const *c);

/* Whether a public constant (file, name) is one of e's sub-op numbers. */
bool xa_encoding_subop(const struct xa_encoding *e, const char *file,
		       const char *name);

/* The width of a mask 2^n - 1; 0 for any other value. */
unsigned int xa_mask_bits(uint64_t mask);

/*
 * An encoding's op mask in a unit: its mask macro's value, or 2^shift - 1
 * from its shift; 0 when the unit has neither.  *macro names the one used.
 */
uint64_t xa_encoding_mask(const struct xa_encoding *e,
			  const struct xenabi_unit *u, const char **macro);

/* Call found() for every sub-op constant of u above its encoding's mask. */
void xa_subops_exceeding(const struct xenabi_unit *u,
			 const struct xa_encoding *enc, size_t nenc,
			 void (*found)(void *data, const struct xa_encoding *e,
				       const struct xenabi_const *c,
				       uint64_t mask, const char *macro),
			 void *data);

/* An encoding's bits in one unit, from its macros there. */
struct xa_enc_bits {
	unsigned int word;	/* the argument's width */
	unsigned int op_bits;	/* the op is [op_bits-1..0]; 0: none */
	unsigned int cont_lo;	/* the progress is [word-1..cont_lo]; 0: none */
	uint64_t flag;		/* a preempted call's flag; 0: none */
	const struct xenabi_const *anchor;	/* a macro it was read from */
};

/* Fill *b; false when the unit has none of e's macros. */
bool xa_encoding_bits(const struct xa_encoding *e, const struct xenabi_unit *u,
		      struct xa_enc_bits *b);
bool xa_enc_bits_equal(const struct xa_enc_bits *a, const struct xa_enc_bits *b);

/*
 * "cmd: [63..6] start_extent | [5..0] op", "count: [31] preempted", in
 * arena; NULL when out of memory.
 */
char *xa_encoding_layout(struct xa_arena *arena, const struct xa_encoding *e,
			 const struct xa_enc_bits *b);

/* "start_extent moved from cmd[63..6] to cmd[63..8]"; new NULL: gone. */
char *xa_encoding_moved(struct xa_arena *arena, const struct xa_encoding *e,
			const struct xa_enc_bits *old,
			const struct xa_enc_bits *new);

/*
 * The type of an integer constant expression, as a code for _Generic:
 * width in bytes times 2, plus 1 when signed; 0 for anything else.
 */
/*
 * A lone integer literal's value and type code (XA_TYPE_CODES) by C11
 * 6.4.4.1, long being long_size bytes; false for any other text.
 */
/*
 * What a xenabi-cc's front end made of a constants probe's names ("values"
 * lines, cmd/xenabi-cc.cc) into the arrays the probe's DWARF would fill:
 * xa_vN into values/seen, xa_tN types/tseen, xa_xN xv/xseen (N below
 * nexprs), xa_sN strs (N below n, a string each, replacing one there).
 * Other names are skipped.  false: a line that is not one.
 */
bool xa_consts_read_values(const char *out, size_t len, size_t n,
			   size_t nexprs, uint64_t *values, bool *seen,
			   uint64_t *types, bool *tseen, uint64_t *xv,
			   bool *xseen, char **strs);
bool xa_integer_literal(const char *text, unsigned int long_size,
			uint64_t *value, uint64_t *type);

#define XA_TYPE_CODES                                                         \
	"_Bool: 2, signed char: 3, unsigned char: 2, short: 5, "              \
	"unsigned short: 4, int: 9, unsigned int: 8, long: sizeof(long) * 2 + 1, " \
	"unsigned long: sizeof(long) * 2, long long: 17, "                    \
	"unsigned long long: 16, char: 2 + ((char)-1 < 0), default: 0"

/* ---- hypercall: which hypercalls each kind of guest can make ------------- */

struct xa_rules;

/*
 * The columns of Xen's hypercall tables: the kinds of guest a handler is
 * chosen for.  x86_32 guests are pv32 and hvm32, x86_64 guests pv64 and
 * hvm64; arm32 and arm64 guests share the arm column.
 */
enum xa_guest_kind {
	XA_GUEST_PV32,
	XA_GUEST_PV64,
	XA_GUEST_HVM32,
	XA_GUEST_HVM64,
	XA_GUEST_ARM,
	XA_GUEST_COUNT
};

/* "pv32", ...; xa_guest_kind_parse returns -1 for an unknown name. */
const char *xa_guest_kind_name(enum xa_guest_kind kind);
int xa_guest_kind_parse(const char *name);

/*
 * One cell of a tree's hypercall table, as read from its source: the
 * handler a kind of guest reaches for a hypercall, with the handler's
 * prototype.  Strings are heap copies (xa_hcall_cells_release).
 */
struct xa_hcall_cell {
	char *name;		/* without __HYPERVISOR_: "memory_op" */
	char *number;		/* the public name whose number it has, or
				   NULL: its own */
	enum xa_guest_kind kind;
	char *handler;		/* the function called: "compat_memory_op" */
	unsigned int priority;	/* hypercall-defs.c's ":N"; 0 none */
	bool optional;		/* only in a build with an optional
				   CONFIG_ feature (GRANT_TABLE, KEXEC...) */
	char *rettype;		/* "long", "int" */
	char *params;		/* xa_hcall_params() form; "" for none */
	char *file;		/* where the table is, from the tree's top */
};

/* Free the strings of a vector of struct xa_hcall_cell and release it. */
void xa_hcall_cells_release(struct xa_vec *cells);
/* Free the cells from len on and keep the first len: undo an append. */
void xa_hcall_cells_truncate(struct xa_vec *cells, size_t len);

/*
 * A parameter list in one spelling whatever its source: guest handles
 * become pointers ("XEN_GUEST_HANDLE_PARAM(xen_domctl_t) u_domctl" ->
 * "xen_domctl_t *u_domctl"), blank runs one space, "void" or "" none
 * (""), parameters joined by ", ".  A new heap string, NULL when out of
 * memory.
 */
char *xa_hcall_params(const char *raw);

/*
 * Preprocess file (a path) with the compiler, defines[] ("CONFIG_PV",
 * "NAME=VALUE", NULL-terminated) set and nothing predefined (-undef -P):
 * *out is the heap text.  Returns 0; 1 when the compiler rejected the
 * file, *out then its first error line; -code when it could not run.
 * A file that includes nothing is preprocessed once per context: its
 * text and the defines decide the output, which ctx keeps for the next
 * scan (log's next commit, whose table is most often the same).
 */
int xa_hcall_cpp(struct xenabi_ctx *ctx, const char *file,
		 const char *const *defines, char **out);

/*
 * Read a tree's hypercall table from xen/include/hypercall-defs.c (Xen
 * 4.17 on), appending cells.  Returns 0 when read, 1 when the tree has no
 * such file, -code on error; *failure (heap) is set instead when the file
 * is there but cannot be read soundly.
 */
int xa_hcall_read_defs(struct xenabi_ctx *ctx, const char *top,
		       struct xa_vec *cells, char **failure);

/*
 * Read one preprocessed reading of hypercall-defs.c (text, modified) the
 * way gen_hypercall.awk does: the arm column when arm, else the others.
 * Cells go to out; *why (heap) is set when the text is not what that
 * script accepts.  -1 when out of memory.  (Exposed for the fuzzer.)
 */
int xa_hcall_parse_reading(char *text, bool arm, struct xa_vec *out,
			   char **why);

/*
 * The same from the C tables of older trees (x86's pv_hypercall_table
 * and hvm_hypercall_table with HYPERCALL()/COMPAT_CALL(), arm's
 * arm_hypercall_table with HYPERCALL(name, nargs)) and the handlers'
 * prototypes (lib/hcold.c).
 */
int xa_hcall_read_tables(struct xenabi_ctx *ctx, const char *top,
			 struct xa_vec *cells, char **failure);

/*
 * Give cells[start..] that the arch's hypercall header aliases to a
 * public hypercall ("#define __HYPERVISOR_paging_domctl_cont
 * __HYPERVISOR_arch_1") that one's number.  Both readers do.
 */
int xa_hcall_number_aliases(struct xenabi_ctx *ctx, const char *top,
			    struct xa_vec *cells, size_t start);

/*
 * The types of a parameter list in xa_hcall_params() form, names dropped
 * ("unsigned int cmd, void *arg" -> "unsigned int", "void *"): a heap
 * array of heap strings (xa_strings_free); -1 when out of memory.
 */
int xa_hcall_param_types(const char *params, char ***types, size_t *n);
/* The same with the names too ("" for an unnamed one); names may be NULL. */
int xa_hcall_param_split(const char *params, char ***types, char ***names,
			 size_t *n);

/*
 * Whether C can name type with only what a public-header probe declares:
 * the basic integer types, <stdint.h>'s, the typedefs unit has, and Xen's
 * own fixed-width names through xa_ctype_spelling().
 */
bool xa_ctype_nameable(const struct xenabi_unit *unit, const char *type);

/* How C spells one of Xen's own fixed-width types ("u32": "uint32_t"). */
const char *xa_ctype_spelling(const char *type);

/*
 * type's size and signedness for abi in rel: a pointer is the ABI's
 * pointer (a guest handle in a register); false when rel has no
 * evaluation of it.
 */
bool xa_ctype_lookup(const struct xenabi_release *rel, enum xenabi_abi abi,
		     const char *type, uint32_t *size, bool *is_signed);

/*
 * The orders a release keeps its hypercalls (name, then kind) and type
 * widths (ABI, then type) in, for qsort and bsearch.
 */
int xa_hypercall_cmp(const void *a, const void *b);
int xa_ctype_cmp(const void *a, const void *b);

/* The ABI of a guest's own hypervisor for rettype widths: x86_64 or arm64. */
enum xenabi_abi xa_hypervisor_abi(enum xenabi_abi abi);

/*
 * What a handler returns to a guest of abi: the width and signedness of
 * its return type in the hypervisor (xa_hypervisor_abi), and how many of
 * those bytes the guest's register receives.  false when unknown.
 */
struct xa_hcall_ret {
	uint32_t hv_bytes;
	bool is_signed;
	uint32_t received;
};

bool xa_hcall_returns(const struct xenabi_release *rel, enum xenabi_abi abi,
		      const struct xenabi_hypercall *h, struct xa_hcall_ret *r);

/*
 * The hypercall table's findings between old and new on abis (a mask),
 * appended to out (struct xenabi_finding, strings in arena); nothing
 * when either release has no table.  -1 when out of memory.
 */
int xa_hcall_diff(struct xa_arena *arena, const struct xa_rules *rules,
		  const struct xenabi_release *old,
		  const struct xenabi_release *new, unsigned int abis,
		  struct xa_vec *out);

/*
 * Availability: a type finding (per ABI, before collapsing) on a
 * structure that travels to Xen only as the argument of hypercalls that
 * no guest of the finding's ABI could make at the old release is info,
 * with the reason.  Which hypercalls carry a structure comes from the
 * old release's typed prototypes (the structures their pointer arguments
 * reach) and from "carries" rules; which are callable from its table,
 * or for a release without one from "since" rules.
 */
int xa_hcall_availability(struct xa_arena *arena, const struct xa_rules *rules,
			  const struct xenabi_release *old, struct xa_vec *findings);

/*
 * Whether the structure or union a spelled type names ("struct
 * xen_sysctl_tmem_op", a typedef) holds or points to target, through
 * members and guest handles, in u.
 */
bool xa_type_reaches(const struct xenabi_unit *u, const char *type,
		     const char *target);

/*
 * lint.c: the struct of u that xlat.lst's name means (name, or xen_name),
 * and how x86_32's layout a of such a struct differs from x86_64's b by
 * the measure of Xen's CHECK_ macros (nothing appended to why: none).
 */
const struct xenabi_type *xa_compat_type(const struct xenabi_unit *u,
					 const char *name);
void xa_compat_divergence(const struct xenabi_type *a,
			  const struct xenabi_type *b, struct xa_buf *why);

/* The hypercall table's lint findings of rel, appended to out. */
int xa_hcall_lint(struct xa_arena *arena, const struct xa_rules *rules,
		  const struct xenabi_release *rel, struct xa_vec *out);

/* ---- rules: Xen's ABI rules as data (lib/abirules.txt) ------------------- */

enum xa_rule_kind {
	XA_RULE_VERSIONED,	/* header, symbol glob, version macro */
	XA_RULE_PAGE,		/* a type on a zeroed shared page */
	XA_RULE_SELFDESCRIBING,	/* a type and its version field */
	XA_RULE_COUNT,		/* a constant that counts or bounds */
	XA_RULE_LOCKSTEP,	/* header, glob: values only dom0 tools read */
	XA_RULE_TOOLSONLY,	/* header, glob: the same, where only the
				   tools view has them */
	XA_RULE_PADDING,	/* a member name that carries nothing */
	XA_RULE_VERSION,	/* a constant made to move */
	XA_RULE_CARRIES,	/* header, glob, hypercall: structures that
				   travel only as that hypercall's argument */
	XA_RULE_SINCE,		/* hypercall, release, ABIs: not callable by
				   those ABIs' guests before the release */
	XA_RULE_REFUSES,	/* handler glob: refuses every call */
	XA_RULE_DISPATCH,	/* header, sub-op glob, the files (comma-
				   separated) whose code selects the sub-op */
	XA_RULE_STABLE,		/* ABIs (comma-separated), the release from
				   which Xen declared their ABI stable */
	XA_RULE_ABSENT,		/* header, globs (comma-separated), release
				   or "-", ABIs: an interface those ABIs'
				   hypervisor does not implement before it */
	XA_RULE_SIZECHECKED,	/* a type Xen writes only into a buffer
				   whose length it checks against its size */
};

struct xa_rule {
	enum xa_rule_kind kind;
	char *header;	/* NULL: any */
	char *glob;	/* fnmatch(3) pattern of a symbol or member name */
	char *macro;	/* versioned: the version; selfdescribing: the field;
			   carries: the hypercall; since: the release;
			   dispatch: the files, comma-separated;
			   absent: the release, or "-" for none yet */
	char *abis;	/* since, absent: the ABIs, comma-separated */
	char *reason;	/* what a finding quotes */
};

struct xa_rules {
	struct xa_rule *r;
	size_t n;
};

/*
 * The comma-separated lists of rule fields ("arm32,arm64", files): each
 * item in turn into item (false at the list's end), and whether item is
 * one of them.
 */
bool xa_list_next(const char **list, char *item, size_t size);
bool xa_list_has(const char *list, const char *item);

/* The manifest compiled in; xa_rules_release frees it. */
int xa_rules_load(struct xenabi_ctx *ctx, struct xa_rules *rules);
void xa_rules_release(struct xa_rules *rules);

/* The first rule of kind for header (NULL: none) and symbol, or NULL. */
const struct xa_rule *xa_rules_match(const struct xa_rules *rules,
				     enum xa_rule_kind kind, const char *header,
				     const char *symbol);

/*
 * Whether a release is named for its version only ("4.2.0", not "deb"
 * or a commit's hidden name): only such a name places it before or
 * after a release a rule names.
 */
bool xa_release_names_version(const char *name);

/* ---- hashing ----------------------------------------------------------- */

/*
 * SHA-256 (nettle's, which uses the CPU's SHA instructions where there
 * are some): a string with its terminating NUL, so that "ab","c" and
 * "a","bc" differ; the digest of sha as 64 hex digits and a NUL.
 */
struct sha256_ctx;
void xa_sha256_str(struct sha256_ctx *sha, const char *s);
void xa_sha256_hex(struct sha256_ctx *sha, char hex[65]);

/* sha256 of the canonical form of a type (name, kind, size, members). */
void xa_type_digest(const struct xenabi_type *type, uint8_t digest[32]);
void xa_const_digest(const struct xenabi_const *c, uint8_t digest[32]);

#endif
