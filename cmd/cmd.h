/* SPDX-License-Identifier: MIT */
/*
 * What the subcommands of the xenabi command share: the command table,
 * global options, error printing and the exit statuses.
 */
#ifndef XENABI_CMD_H
#define XENABI_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "xenabi.h"

/* Exit statuses: like diff(1). */
enum {
	EXIT_NOTHING = 0,	/* nothing found at or above --fail-on */
	EXIT_FOUND = 1,		/* ABI changes found */
	EXIT_TROUBLE = 2,	/* usage, bad input or tool error */
};

enum output_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_SARIF,	/* diff, check, lint, log and blame */
	FORMAT_JUNIT,	/* the same */
};

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Options every subcommand takes. */
struct global_opts {
	const char *db_path;	/* --db; NULL means the default */
	enum output_format format;
	enum color_when color;	/* --color */
	bool no_pager;		/* --no-pager */
	bool stdout_tty;	/* standard output was a terminal at start */
	long time_limit;	/* --time-limit; -1: the library's default */
	long memory_limit;	/* --memory-limit; -1: the library's default */
};

/* The --time-limit and --memory-limit given, onto ctx. */
void apply_limits(struct xenabi_ctx *ctx);

/*
 * Text for the terminal, to stdout: a line holding a control character
 * other than a tab (an ESC in a macro string, a header's odd name) is
 * written with every control escaped, as \xHH; the others as they are.
 */
void put_text(const char *text);

/*
 * Whether text output gets colour: --color, else on a terminal unless
 * NO_COLOR is set or TERM is dumb.
 */
bool want_color(void);

/*
 * Send standard output through $PAGER (default "less", with LESS=FRX
 * unless set) when it is a terminal and --no-pager was not given; the
 * pager is waited for at exit.  Commands call it when they start to print.
 */
void start_pager(void);

extern struct global_opts global;

/*
 * One option of a command: what getopt_long parses and what --help says,
 * from the same table, so that the help cannot leave one out.
 */
struct cmd_opt {
	const char *name;	/* the long option, without "--" */
	int has_arg;		/* no_argument or required_argument */
	int val;		/* what getopt_long returns for it */
	const char *arg;	/* its argument in the help ("FILE"), or NULL */
	const char *help;	/* lines separated by '\n' */
};

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* after "xenabi NAME " */
	const char *summary;
	const struct cmd_opt *opts;	/* ended by a NULL name */
	const char *notes;	/* after the options, or NULL */
};

/* The getopt_long table of a command's options (static storage). */
const struct option *cmd_long_options(const struct cmd *cmd);

extern const struct cmd cmds[];

/* Print "xenabi: MESSAGE" on stderr and return EXIT_TROUBLE. */
int die_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The library's message for a failed call. */
int die_ctx(const struct xenabi_ctx *ctx);
/* Usage error for a command: the message and a pointer to --help. */
int usage_error(const struct cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const struct cmd *find_cmd(const char *name);
void print_cmd_help(FILE *out, const struct cmd *cmd);

/*
 * Handle an option every subcommand takes (--db, --format, --help);
 * returns 1 when handled, 0 when not ours, -1 on a bad value (printed).
 */
int common_option(const struct cmd *cmd, int opt, const char *arg);

/*
 * Parse one ABI or view name of an option; -1 (the usage error printed)
 * when it is none.
 */
int option_abi(const struct cmd *cmd, const char *arg);
int option_view(const struct cmd *cmd, const char *arg);
/* --jobs N, 1 to 64; -1 (the usage error printed) when it is not. */
long option_jobs(const struct cmd *cmd, const char *arg);

/*
 * Print a rendering of findings to stdout (with the newline JSON and
 * SARIF lack) and free it; s NULL means out of memory.  0 or
 * EXIT_TROUBLE once the message is printed.
 */
int print_output(char *s);

/*
 * Whether rel was scanned in view at all (a release stored before the
 * latest view existed has none of its units); prints why not.
 */
bool release_has_view(const struct xenabi_release *rel, int view);


/*
 * The databases releases are read from, in lookup order: the user's (--db,
 * or the default) and the shipped baselines.  A release of the user's
 * shadows a shipped one of the same name.
 */
struct dbs {
	struct xenabi_db *user;		/* NULL: none yet, and none made */
	struct xenabi_db *shipped;	/* NULL: no baselines found */
};

/*
 * The first database of dbs (the user's, then the shipped baselines)
 * holding a release scanned from a tree with dir's hash, prefer if it is
 * one: *db and *name (the caller's), or *name NULL when none is.  0, or
 * nonzero with the message in ctx.
 */
int find_stored_tree(struct xenabi_ctx *ctx, struct dbs *dbs, const char *dir,
		     const char *prefer, struct xenabi_db **db, char **name);
/* The same for a tree hash already known. */
int find_tree_hash(struct xenabi_ctx *ctx, struct dbs *dbs, const char *hash,
		   const char *prefer, struct xenabi_db **db, char **name);

/*
 * Open them, the user's for mode (XENABI_DB_CREATE: made when missing,
 * as scan writes there); the shipped ones are only read.  Returns 0, or
 * EXIT_TROUBLE once the message is printed.
 */
int open_dbs(struct xenabi_ctx *ctx, enum xenabi_db_mode mode,
	     struct dbs *dbs);
void close_dbs(struct dbs *dbs);

/* Load a release from the first database that has it; prints failures. */
int load_release(struct xenabi_ctx *ctx, struct dbs *dbs, const char *name,
		 struct xenabi_release **out);

/*
 * Scan tree, or revision rev of the git repository gitdir, as release
 * (NULL with git: named after the tag) into the user's database, reusing
 * a stored scan of the same tree unless force.  quiet: print nothing but
 * errors.  Returns 0 or EXIT_TROUBLE once the message is printed.
 */
int scan_one(struct xenabi_ctx *ctx, struct dbs *dbs, const char *tree,
	     const char *gitdir, const char *rev, const char *release,
	     bool force, bool quiet);

/* Flush stdout and report a failed write (a full disk) as trouble. */
int finish_stdout(int status);

int cmd_scan(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_baselines(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_forget(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_blame(int argc, char **argv);

#endif
