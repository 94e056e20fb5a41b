/* SPDX-License-Identifier: MIT */
/*
 * xenabi: main, the global options and the command table.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include "cmd.h"

struct global_opts global = { .time_limit = -1, .memory_limit = -1 };

extern char **environ;

static int cmd_help(int argc, char **argv);

/* The options every command takes, and the formats. */
#define OPT_DB { "db", required_argument, 'D', "FILE",                        \
		 "the database (default: $XDG_DATA_HOME/xenabi/xenabi.db)" }
#define OPT_HELP { "help", no_argument, 'h', NULL, "this help" }
#define OPT_LIMITS                                                            \
	{ "time-limit", required_argument, 'T' + 256, "SECONDS",              \
	  "how long the compiler or git may run on one input\n"              \
	  "before it is stopped (default: 120; 0: no limit)" },               \
	{ "memory-limit", required_argument, 'M' + 256, "MIB",                \
	  "the address space each may use (default: 4096; 0: no\n"           \
	  "limit); a header or macro that a limit stops is left out\n"       \
	  "and listed with 'xenabi list failures'" }
#define OPT_FORMAT { "format", required_argument, 'F', "FORMAT",              \
		     "text (default) or json" }
#define OPT_ABI { "abi", required_argument, 'a', "ABI",                       \
		  "only this ABI (x86_32, x86_64, arm32, arm64)" }
#define OPT_VIEW { "view", required_argument, 'v', "VIEW",                    \
		   "tools (default), guest or latest" }
#define OPT_COLOR { "color", required_argument, 'C' + 256, "WHEN",            \
		    "colour: auto (default: on a terminal, unless NO_COLOR\n"  \
		    "or TERM=dumb), always or never" }
#define OPT_NO_PAGER { "no-pager", no_argument, 'P' + 256, NULL,             \
		       "do not page long output on a terminal ($PAGER,\n"    \
		       "default less -FRX)" }
#define OPTS_END { NULL, 0, 0, NULL, NULL }

/* What diff, check and lint share. */
#define OPTS_REPORT                                                           \
	{ "abi", required_argument, 'a', "ABI[,ABI]",                         \
	  "only these ABIs (default: every ABI the releases share)" },        \
	{ "view", required_argument, 'v', "VIEW",                             \
	  "only tools, guest or latest (default: all, reported apart)" },     \
	{ "fail-on", required_argument, 'f', "SEV",                           \
	  "exit 1 when a finding is at least break (default), risk or info" }, \
	{ "suppress", required_argument, 's', "FILE",                         \
	  "accepted changes, each with its reason: listed as accepted\n"      \
	  "and not counted for the exit status" },                            \
	{ "min-severity", required_argument, 'm', "SEV",                      \
	  "text: leave out findings below break, risk or info\n"              \
	  "(default: info)" },                                                \
	{ "all", no_argument, 'A' + 256, NULL,                                \
	  "text: list every info finding, not one line per kind and\n"        \
	  "header" },                                                         \
	{ "format", required_argument, 'F', "FORMAT",                         \
	  "text (default), json, sarif (code scanning) or junit\n"            \
	  "(test reports), on standard output" },                             \
	{ "output", required_argument, 'o', "FORMAT=FILE",                    \
	  "also write FORMAT to FILE, from the same run; repeat it\n"         \
	  "for several (--output sarif=abi.sarif --output junit=abi.xml)" },  \
	OPT_COLOR, OPT_NO_PAGER, OPT_DB, OPT_HELP, OPTS_END

static const struct cmd_opt scan_opts[] = {
	{ "release", required_argument, 'r', "NAME",
	  "store the result as release NAME (replacing it); with --git,\n"
	  "default: the tag's release (RELEASE-4.17.0 is 4.17.0)" },
	{ "tree", required_argument, 't', "DIR",
	  "a Xen tree, its xen/include/public, or installed public\n"
	  "headers (/usr/include/xen)" },
	{ "git", required_argument, 'g', "DIR",
	  "a clone of Xen: scan a revision of it, no checkout needed" },
	{ "rev", required_argument, 'R', "REV",
	  "with --git: the revision (a tag, branch or commit)" },
	{ "force", no_argument, 'f', NULL,
	  "scan again even when a stored release has the same tree" },
	{ "jobs", required_argument, 'j', "N",
	  "probes to run at once (default: one per CPU)" },
	{ "format", required_argument, 'F', "FORMAT",
	  "the summary as text (default) or json" },
	OPT_LIMITS, OPT_DB, OPT_HELP, OPTS_END
};

static const struct cmd_opt list_opts[] = {
	OPT_ABI, OPT_VIEW, OPT_FORMAT, OPT_NO_PAGER, OPT_DB, OPT_HELP, OPTS_END
};

static const struct cmd_opt show_opts[] = {
	{ "abi", required_argument, 'a', "ABI",
	  "only this ABI (default: every ABI, identical layouts shown\n"
	  "once)" },
	OPT_VIEW, OPT_FORMAT, OPT_NO_PAGER, OPT_DB, OPT_HELP, OPTS_END
};

static const struct cmd_opt history_opts[] = {
	OPT_VIEW,
	{ "releases", required_argument, 'r', "LIST",
	  "only these releases: shipped (the baselines), mine (the\n"
	  "database's), or names and globs, comma-separated (4.1[6-9].*)" },
	OPT_FORMAT, OPT_NO_PAGER, OPT_DB, OPT_HELP, OPTS_END
};

static const struct cmd_opt diff_opts[] = { OPTS_REPORT };

static const struct cmd_opt check_opts[] = {
	{ "tree", required_argument, 't', "DIR",
	  "the Xen tree to check (run it at the top of a Xen clone:\n"
	  "--tree .); not stored anywhere" },
	{ "against", required_argument, 'A', "REL",
	  "the stored release to compare with" },
	OPT_LIMITS,
	OPTS_REPORT
};

static const struct cmd_opt lint_opts[] = { OPTS_REPORT };

static const struct cmd_opt baselines_opts[] = {
	{ "git", required_argument, 'g', "DIR",
	  "generate: a clone of Xen with its RELEASE- tags; each\n"
	  "branch's first and newest release is scanned into --db\n"
	  "(reusing what it has), then written to DIR" },
	{ "force", no_argument, 'f', NULL, "generate: scan every tag again" },
	OPT_LIMITS, OPT_DB, OPT_HELP, OPTS_END
};

#define OPTS_LOG                                                              \
	{ "git", required_argument, 'g', "DIR",                               \
	  "a clone of Xen (bare or not) holding the range" },                 \
	OPT_ABI,                                                              \
	{ "min-severity", required_argument, 'm', "SEV",                      \
	  "list only commits with a finding at least break, risk or\n"        \
	  "info (default), and only those findings" },                        \
	{ "fail-on", required_argument, 'f', "SEV",                           \
	  "exit 1 when a finding is at least break (default), risk or info" }, \
	{ "all", no_argument, 'A' + 256, NULL,                                \
	  "text: list every info finding, not one line per kind and\n"        \
	  "header" },                                                         \
	{ "format", required_argument, 'F', "FORMAT",                         \
	  "text (default), json, sarif or junit, on standard output" },       \
	{ "jobs", required_argument, 'j', "N",                                \
	  "probes to run at once (default: one per CPU); with 2 or\n"        \
	  "more, a walk of 16 commits or more runs in two chains" },          \
	OPT_LIMITS, OPT_COLOR, OPT_NO_PAGER, OPT_DB, OPT_HELP, OPTS_END

static const struct cmd_opt log_opts[] = { OPTS_LOG };

static const struct cmd_opt help_opts[] = { OPTS_END };

static const struct cmd_opt forget_opts[] = { OPT_DB, OPT_HELP, OPTS_END };

const struct cmd cmds[] = {
	{ "scan", cmd_scan, "--release NAME --tree DIR | --git DIR --rev REV",
	  "reduce a Xen tree's public headers to layouts and constants, "
	  "and its internal files to continuation encodings and the "
	  "hypercall table", scan_opts, NULL },
	{ "list", cmd_list,
	  "releases | types REL | constants REL | failures REL | layouts REL",
	  "list the releases, or one release's types, constants, the headers "
	  "its probes left out, or every layout", list_opts, NULL },
	{ "show", cmd_show, "REL NAME | REL hypercalls",
	  "print a struct, union, enum or typedef as laid out in a release, "
	  "a hypercall's continuation encoding and handlers, or the "
	  "hypercall table", show_opts, NULL },
	{ "history", cmd_history, "NAME",
	  "show a type, type.member, constant, continuation encoding or "
	  "hypercall across every release, a row per span where it did not "
	  "change", history_opts, NULL },
	{ "diff", cmd_diff, "OLD NEW",
	  "report the guest-visible changes between two releases",
	  diff_opts, NULL },
	{ "check", cmd_check, "--tree DIR --against REL",
	  "scan a working tree and report its changes against a stored release",
	  check_opts,
	  "A tree stored already is loaded.  A git work tree whose HEAD, or a\n"
	  "commit up to 64 behind it, an earlier log stored in --db (or a\n"
	  "shipped release was scanned from) is scanned from that commit's\n"
	  "scan: only what the work tree changed is compiled" },
	{ "lint", cmd_lint, "REL",
	  "check one release on its own: implicit padding, arm32/arm64 "
	  "divergence, sibling width mismatches, hypercall result widths",
	  lint_opts, NULL },
	{ "baselines", cmd_baselines, "generate|load|write DIR",
	  "make the shipped baselines from Xen's release tags (generate), "
	  "build a database from them (load), or write a database's releases "
	  "as baselines (write)", baselines_opts,
	  "with load, --db names the new database to build; with write, the\n"
	  "database whose releases are written" },
	{ "forget", cmd_forget, "REL...",
	  "remove releases from your database, each in one transaction "
	  "(the shipped ones stay)", forget_opts, NULL },
	{ "log", cmd_log, "--git DIR FROM..TO",
	  "list the commits of a range that changed the ABI, each with its "
	  "findings against its parent", log_opts,
	  "Findings are judged by Xen's rules for a development cycle, for\n"
	  "binaries built against the walk's base: as the base against the\n"
	  "commit has them, and info under a version that moves in the walk.\n"
	  "FROM and TO are revisions (a tag, branch or commit; 4.19.0 is\n"
	  "RELEASE-4.19.0).  The walk follows TO's first parents from the\n"
	  "merge base of FROM and TO, and scans only the commits that change a\n"
	  "file a scan reads; every scan is stored in --db (kept out of the\n"
	  "release lists), so a second log over the range is quick" },
	{ "blame", cmd_blame, "--git DIR NAME FROM..TO",
	  "list the commits of a range that changed one type, type.member or "
	  "constant, with those findings", log_opts,
	  "a finding about NAME, about a member of it, or about the type\n"
	  "NAME belongs to counts" },
	{ "help", cmd_help, "[COMMAND]", "show the commands, or one command's help",
	  help_opts, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct option *cmd_long_options(const struct cmd *cmd)
{
	static struct option table[64];
	size_t n = 0;

	for (const struct cmd_opt *o = cmd->opts; o->name && n + 1 < 64; o++)
		table[n++] = (struct option){ o->name, o->has_arg, NULL, o->val };
	table[n] = (struct option){ NULL, 0, NULL, 0 };
	return table;
}

int die_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("xenabi: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_TROUBLE;
}

int die_ctx(const struct xenabi_ctx *ctx)
{
	return die_msg("%s", xenabi_errmsg(ctx));
}

int usage_error(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("xenabi: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'xenabi %s --help'\n", cmd->name);
	return EXIT_TROUBLE;
}

const struct cmd *find_cmd(const char *name)
{
	for (const struct cmd *c = cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void print_cmd_help(FILE *out, const struct cmd *cmd)
{
	fprintf(out, "usage: xenabi %s %s [options]\n\n%s.\n", cmd->name,
		cmd->usage, cmd->summary);
	if (cmd->opts->name)
		fputs("\noptions:\n", out);
	for (const struct cmd_opt *o = cmd->opts; o->name; o++) {
		char left[64];
		const char *line = o->help;

		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		/* The help's lines under one another, right of the names. */
		for (bool first = true; *line; first = false) {
			size_t n = strcspn(line, "\n");

			if (first && strlen(left) <= 17)
				fprintf(out, "  %-17s%.*s\n", left, (int)n, line);
			else if (first)
				fprintf(out, "  %s\n  %-17s%.*s\n", left, "", (int)n,
					line);
			else
				fprintf(out, "  %-17s%.*s\n", "", (int)n, line);
			line += n + (line[n] == '\n');
		}
	}
	if (cmd->notes)
		fprintf(out, "\n%s\n", cmd->notes);
}

static void print_usage(FILE *out)
{
	fputs("usage: xenabi [--db FILE] [--format text|json] [--color WHEN] "
	      "[--no-pager]\n              COMMAND [ARGS]\n"
	      "       xenabi --version | -V\n\n"
	      "commands:\n", out);
	for (const struct cmd *c = cmds; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->summary);
	fputs("\n'xenabi COMMAND --help' shows a command's options.\n"
	      "exit status: 0 nothing found, 1 ABI changes found, 2 trouble\n",
	      out);
}

static int parse_color(const char *arg)
{
	static const char *const names[] = { "auto", "always", "never" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(arg, names[i]))
			return i;
	return -1;
}

bool want_color(void)
{
	const char *term = getenv("TERM");

	if (global.color != COLOR_AUTO)
		return global.color == COLOR_ALWAYS;
	return global.stdout_tty && !getenv("NO_COLOR") &&
	       !(term && !strcmp(term, "dumb"));
}

static pid_t pager_pid;

static void wait_pager(void)
{
	int status;

	fflush(stdout);
	fclose(stdout);
	while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
		;
}

void start_pager(void)
{
	const char *pager = getenv("PAGER");
	char *copy, *argv[16], *save = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t mask;
	int fds[2], n = 0;
	bool ok;

	if (!global.stdout_tty || global.no_pager || pager_pid)
		return;
	if (!pager || !*pager)
		pager = "less";
	if (!strcmp(pager, "cat") || !(copy = strdup(pager)))
		return;
	/* A command and its words, as git splits core.pager: no shell. */
	for (char *w = strtok_r(copy, " \t", &save); w && n < 15;
	     w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n] = NULL;
	if (!n || pipe(fds)) {
		free(copy);
		return;
	}
	setenv("LESS", getenv("LESS") ? getenv("LESS") : "FRX", 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	/* Not our blocked signals: the pager takes ^C as it likes. */
	posix_spawnattr_init(&attr);
	sigemptyset(&mask);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	ok = !posix_spawnp(&pager_pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (!ok) {
		pager_pid = 0;	/* no pager: print as before */
		close(fds[0]);
		close(fds[1]);
	} else {
		fflush(stdout);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		atexit(wait_pager);
	}
	posix_spawn_file_actions_destroy(&fa);
	free(copy);
}

/* A limit's argument: digits only, at most max; -1 when it is bad. */
static long parse_limit(const char *arg, long max)
{
	char *end;
	long v;

	if (!*arg || strspn(arg, "0123456789") != strlen(arg) || strlen(arg) > 9)
		return -1;
	v = strtol(arg, &end, 10);
	return v <= max ? v : -1;
}

void put_text(const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		bool plain = true;
		char *line;

		for (size_t i = 0; i < n; i++)
			plain &= ((unsigned char)text[i] >= 0x20 && text[i] != 0x7f) ||
				 text[i] == '\t';
		if (plain) {
			fwrite(text, 1, n, stdout);
		} else if ((line = strndup(text, n))) {
			char *esc = xenabi_text_line(line);

			fputs(esc ? esc : "(out of memory)", stdout);
			free(esc);
			free(line);
		}
		if (text[n] == '\n')
			putchar('\n');
		text += n + (text[n] == '\n');
	}
}

void apply_limits(struct xenabi_ctx *ctx)
{
	xenabi_ctx_set_limits(ctx, global.time_limit < 0 ? XENABI_DEFAULT_TIME_LIMIT
							 : global.time_limit,
			      global.memory_limit < 0 ? XENABI_DEFAULT_MEMORY_LIMIT
						      : global.memory_limit);
}

int common_option(const struct cmd *cmd, int opt, const char *arg)
{
	switch (opt) {
	case 'T' + 256:
		if ((global.time_limit = parse_limit(arg, 86400)) < 0) {
			usage_error(cmd, "bad --time-limit '%s' (seconds, 0 to "
				    "86400; 0: none)", arg);
			return -1;
		}
		return 1;
	case 'M' + 256:
		global.memory_limit = parse_limit(arg, 1048576);
		if (global.memory_limit < 0 ||
		    (global.memory_limit > 0 && global.memory_limit < 64)) {
			usage_error(cmd, "bad --memory-limit '%s' (MiB, 64 to "
				    "1048576; 0: none)", arg);
			global.memory_limit = -1;
			return -1;
		}
		return 1;
	case 'C' + 256:
		if ((int)(global.color = parse_color(arg)) < 0) {
			usage_error(cmd, "unknown --color '%s' (auto, always or "
				    "never)", arg);
			return -1;
		}
		return 1;
	case 'P' + 256:
		global.no_pager = true;
		return 1;
	case 'D':
		global.db_path = arg;
		return 1;
	case 'F': {
		bool report = !strcmp(cmd->name, "diff") ||
			      !strcmp(cmd->name, "check") ||
			      !strcmp(cmd->name, "lint") ||
			      !strcmp(cmd->name, "log") ||
			      !strcmp(cmd->name, "blame");

		if (!strcmp(arg, "text"))
			global.format = FORMAT_TEXT;
		else if (!strcmp(arg, "json"))
			global.format = FORMAT_JSON;
		else if (report && !strcmp(arg, "sarif"))
			global.format = FORMAT_SARIF;
		else if (report && !strcmp(arg, "junit"))
			global.format = FORMAT_JUNIT;
		else {
			usage_error(cmd, "unknown format '%s' (text or json%s)",
				    arg, report ? ", sarif, junit" : "");
			return -1;
		}
		return 1;
	}
	case 'h':
		print_cmd_help(stdout, cmd);
		exit(finish_stdout(EXIT_NOTHING));
	default:
		return 0;
	}
}

int option_abi(const struct cmd *cmd, const char *arg)
{
	int abi = xenabi_abi_parse(arg);

	if (abi < 0)
		usage_error(cmd, "unknown ABI '%s' (x86_32, x86_64, arm32, "
			    "arm64)", arg);
	return abi;
}

int option_view(const struct cmd *cmd, const char *arg)
{
	int view = xenabi_view_parse(arg);

	if (view < 0)
		usage_error(cmd, "unknown view '%s' (tools, guest or latest)",
			    arg);
	return view;
}

long option_jobs(const struct cmd *cmd, const char *arg)
{
	/* Digits only: strtoul takes " 5" and "-1" too. */
	unsigned long jobs = strspn(arg, "0123456789") == strlen(arg)
				     ? strtoul(arg, NULL, 10) : 0;

	if (jobs < 1 || jobs > 64) {
		usage_error(cmd, "bad --jobs '%s' (a number, 1 to 64)", arg);
		return -1;
	}
	return (long)jobs;
}

int print_output(char *s)
{
	if (!s)
		return die_msg("out of memory");
	fputs(s, stdout);
	if (global.format == FORMAT_JSON || global.format == FORMAT_SARIF)
		putchar('\n');
	free(s);
	return 0;
}

bool release_has_view(const struct xenabi_release *rel, int view)
{
	for (int a = 0; a < XENABI_ABI_COUNT; a++)
		if (rel->present[XENABI_UNIT(a, view)])
			return true;
	die_msg("release '%s' has no %s view: it was stored by an older "
		"xenabi; scan it again", rel->name, xenabi_view_name(view));
	return false;
}

/*
 * The shipped baselines: $XENABI_BASELINES ("" for none), else next to
 * the program (build/baselines.db in the source tree, ../share/xenabi/
 * when installed), else where make install put them.  NULL: none.
 */
static char *shipped_path(void)
{
	const char *env = getenv("XENABI_BASELINES");
	static const char *const beside[] = { "build/baselines.db",
					      "../share/xenabi/baselines.db" };
	char *path;

	if (env)
		return *env ? strdup(env) : NULL;
	for (size_t i = 0; i < sizeof(beside) / sizeof(beside[0]); i++)
		if ((path = xenabi_beside_program(beside[i], R_OK)))
			return path;
	if (!access(XENABI_DATADIR "/xenabi/baselines.db", R_OK))
		return strdup(XENABI_DATADIR "/xenabi/baselines.db");
	return NULL;
}

int open_dbs(struct xenabi_ctx *ctx, enum xenabi_db_mode mode,
	     struct dbs *dbs)
{
	char *fallback = NULL, *shipped = shipped_path();
	const char *path = global.db_path;
	bool create = mode == XENABI_DB_CREATE;
	int ret = 0;

	memset(dbs, 0, sizeof(*dbs));
	if (!path && !(path = fallback = xenabi_default_db_path()) && create) {
		free(shipped);
		return die_msg("no database: set HOME or XDG_DATA_HOME, or give "
			       "one with --db");
	}
	/*
	 * Reading needs no database of the user's own when the baselines
	 * have the release; one named with --db must exist.
	 */
	if (path && (create || global.db_path || access(path, F_OK) == 0 ||
		     !shipped)) {
		dbs->user = xenabi_db_open(ctx, path, mode);
		if (!dbs->user)
			ret = die_ctx(ctx);
	}
	if (!ret && shipped) {
		dbs->shipped = xenabi_db_open_readonly(ctx, shipped);
		if (!dbs->shipped)
			ret = die_msg("%s; rebuild the shipped baselines (make) "
				      "or set XENABI_BASELINES= to do without "
				      "them", xenabi_errmsg(ctx));
	}
	if (!ret && !dbs->user && !dbs->shipped)
		ret = die_msg("no database: scan a release first (xenabi scan) "
			      "or give one with --db");
	free(fallback);
	free(shipped);
	if (ret)
		close_dbs(dbs);
	return ret;
}

void close_dbs(struct dbs *dbs)
{
	xenabi_db_close(dbs->user);
	xenabi_db_close(dbs->shipped);
	memset(dbs, 0, sizeof(*dbs));
}

/*
 * " (did you mean 4.4.0?)" for a release name nobody has: the releases
 * it is the start of ("4.4": 4.4.0 first), else the nearest by edit
 * distance.  "" when nothing is close.
 */
static void suggest_release(struct dbs *dbs, const char *name, char *buf,
			    size_t len)
{
	struct xenabi_db *order[] = { dbs->user, dbs->shipped };
	struct xenabi_ctx *ctx = xenabi_ctx_new();
	size_t n = strlen(name), found = 0, best = 3;
	char near[256] = "";

	buf[0] = '\0';
	for (size_t d = 0; ctx && d < 2; d++) {
		char **names;
		size_t count;

		if (!order[d] || xenabi_db_release_names(ctx, order[d], &names,
							  &count))
			continue;
		for (size_t i = 0; i < count; i++) {
			size_t dist;

			if (!strncmp(names[i], name, n) && names[i][n] == '.' &&
			    found < 3 && !strstr(buf, names[i])) {
				snprintf(buf + strlen(buf), len - strlen(buf),
					 "%s%s", found++ ? " or " : " (did you mean ",
					 names[i]);
			} else if ((dist = xenabi_name_distance(name, names[i], 2)) < best) {
				best = dist;
				snprintf(near, sizeof(near), "%s", names[i]);
			}
			free(names[i]);
		}
		free(names);
	}
	xenabi_ctx_free(ctx);
	if (found)
		snprintf(buf + strlen(buf), len - strlen(buf), "?)");
	else if (*near)
		snprintf(buf, len, " (did you mean %s?)", near);
}

int load_release(struct xenabi_ctx *ctx, struct dbs *dbs, const char *name,
		 struct xenabi_release **out)
{
	struct xenabi_db *order[] = { dbs->user, dbs->shipped };
	char hint[512];

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < 2; i++) {
			int ret;

			if (!order[i])
				continue;
			ret = xenabi_db_load_release(ctx, order[i], name, out);
			if (!ret)
				return 0;
			if (ret != -XENABI_ENOTFOUND)
				return die_ctx(ctx);
		}
		/* A tag's name is its release's: RELEASE-4.16.0 is 4.16.0. */
		if (pass || strncmp(name, "RELEASE-", 8) || !name[8])
			break;
		name += 8;
	}
	suggest_release(dbs, name, hint, sizeof(hint));
	if (!dbs->user)
		return die_msg("no release '%s' in the shipped baselines%s; "
			       "'xenabi list releases' shows what there is",
			       name, hint);
	return die_msg("no release '%s' in database '%s'%s%s; 'xenabi list "
		       "releases' shows what there is", name,
		       xenabi_db_path(dbs->user),
		       dbs->shipped ? " or the shipped baselines" : "", hint);
}

/* " (did you mean 'diff'?)" for a command nobody has, or "". */
static const char *suggest_cmd(const char *name, char *buf, size_t len)
{
	size_t best = 3;

	buf[0] = '\0';
	for (const struct cmd *c = cmds; c->name; c++) {
		size_t d = xenabi_name_distance(name, c->name, 2);

		if (d < best || (!strncmp(c->name, name, strlen(name)) && *name &&
				 best > 1)) {
			best = d < best ? d : 1;
			snprintf(buf, len, " (did you mean '%s'?)", c->name);
		}
	}
	return buf;
}

int finish_stdout(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "xenabi: cannot write the output: %s\n",
			strerror(errno ? errno : EIO));
		return EXIT_TROUBLE;
	}
	return status;
}

static int cmd_help(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		print_usage(stdout);
		return EXIT_NOTHING;
	}
	if (argc > 2)
		return usage_error(find_cmd("help"), "give one command");
	c = find_cmd(!strcmp(argv[1], "--help") ? "help" : argv[1]);
	if (!c)
		return die_msg("no command '%s'; 'xenabi help' lists them",
			       argv[1]);
	print_cmd_help(stdout, c);
	return EXIT_NOTHING;
}

static struct timespec started;

/*
 * XENABI_STATS=1: one line on stderr at exit with the wall time and the
 * peak memory of xenabi itself and of its largest compiler run, for
 * make bench, and one with how its compiles ran when it had any.
 */
static void print_stats(void)
{
	struct rusage self, children;
	struct timespec now;
	unsigned long kept, alone;

	clock_gettime(CLOCK_MONOTONIC, &now);
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	fprintf(stderr, "xenabi: stats: wall %.3f s, peak rss %ld KiB, "
		"compiler peak rss %ld KiB\n",
		(now.tv_sec - started.tv_sec) +
			(now.tv_nsec - started.tv_nsec) / 1e9,
		self.ru_maxrss, children.ru_maxrss);
	xenabi_compile_counts(&kept, &alone);
	if (kept || alone)
		fprintf(stderr, "xenabi: stats: compiles: %lu by clang kept "
			"running, %lu as clang processes\n", kept, alone);
}

/* The signals that interrupt a run, taken by a thread of their own. */
static sigset_t interrupting;

static void *take_signals(void *unused)
{
	int sig;

	(void)unused;
	if (sigwait(&interrupting, &sig))
		return NULL;
	xenabi_interrupted();
	/* Die of it, as without us: the caller's shell sees the signal. */
	signal(sig, SIG_DFL);
	pthread_sigmask(SIG_UNBLOCK, &interrupting, NULL);
	raise(sig);
	_exit(128 + sig);
}

/*
 * SIGINT, SIGTERM and SIGHUP go to one thread, which cleans up before
 * the process dies of them; every other thread, started later, has them
 * blocked.  A signal ignored when we started (SIGINT in a background
 * job) stays ignored.
 */
static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	pthread_t thread;

	sigemptyset(&interrupting);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		if (!sigaction(sigs[i], NULL, &old) && old.sa_handler != SIG_IGN)
			sigaddset(&interrupting, sigs[i]);
	}
	if (pthread_sigmask(SIG_BLOCK, &interrupting, NULL))
		return;
	if (pthread_create(&thread, NULL, take_signals, NULL))
		pthread_sigmask(SIG_UNBLOCK, &interrupting, NULL);
	else
		pthread_detach(thread);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "color", required_argument, NULL, 'C' + 256 },
		{ "no-pager", no_argument, NULL, 'P' + 256 },
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd *cmd;
	int opt;

	global.stdout_tty = isatty(STDOUT_FILENO);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'D':
			global.db_path = optarg;
			break;
		case 'F':
			if (!strcmp(optarg, "json"))
				global.format = FORMAT_JSON;
			else if (!strcmp(optarg, "text"))
				global.format = FORMAT_TEXT;
			else
				return die_msg("unknown format '%s' (text or "
					       "json)", optarg);
			break;
		case 'h':
			print_usage(stdout);
			return finish_stdout(EXIT_NOTHING);
		case 'V':
			printf("xenabi %s (schema %d)\n", XENABI_VERSION,
			       xenabi_schema_version());
			return finish_stdout(EXIT_NOTHING);
		case 'C' + 256:
			if ((int)(global.color = parse_color(optarg)) < 0)
				return die_msg("unknown --color '%s' (auto, always "
					       "or never)", optarg);
			break;
		case 'P' + 256:
			global.no_pager = true;
			break;
		default:
			return die_msg("unknown option '%s'; see 'xenabi help'",
				       argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return EXIT_TROUBLE;
	}
	cmd = find_cmd(argv[optind]);
	if (!cmd) {
		char hint[64];

		return die_msg("no command '%s'%s; 'xenabi help' lists them",
			       argv[optind], suggest_cmd(argv[optind], hint,
							  sizeof(hint)));
	}
	argc -= optind;
	argv += optind;
	optind = 0;
	opterr = 0;
	if (getenv("XENABI_STATS"))
		atexit(print_stats);
	catch_signals();
	clock_gettime(CLOCK_MONOTONIC, &started);
	return finish_stdout(cmd->fn(argc, argv));
}
