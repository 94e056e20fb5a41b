/* SPDX-License-Identifier: MIT */
/*
 * run: running another program (the compiler, git) from an argv array with
 * posix_spawnp, never a shell, and the scratch directories a scan works in.
 * Knows processes and files only.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xa.h"

extern char **environ;

/*
 * What is under way, for an interruption to clean up: the scratch
 * directories made and not yet removed, the children not yet reaped.
 * Best effort past the room here (a scan has a few and one child per
 * job).
 */
static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw);
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static char *live_dirs[32];
static pid_t live_pids[160];
static bool interrupted;

void xa_live_pid(pid_t pid, bool alive)
{
	pthread_mutex_lock(&live_lock);
	for (size_t i = 0; i < XA_ARRAY_SIZE(live_pids); i++)
		if (live_pids[i] == (alive ? 0 : pid)) {
			live_pids[i] = alive ? pid : 0;
			break;
		}
	/* Interrupted between the spawn and here: this one goes too. */
	if (alive && interrupted)
		kill(pid, SIGKILL);
	pthread_mutex_unlock(&live_lock);
}

static void live_dir(const char *dir, bool alive)
{
	pthread_mutex_lock(&live_lock);
	for (size_t i = 0; i < XA_ARRAY_SIZE(live_dirs); i++)
		if (alive ? !live_dirs[i]
			  : live_dirs[i] && !strcmp(live_dirs[i], dir)) {
			if (alive) {
				live_dirs[i] = strdup(dir);
			} else {
				free(live_dirs[i]);
				live_dirs[i] = NULL;
			}
			break;
		}
	pthread_mutex_unlock(&live_lock);
}

void xenabi_interrupted(void)
{
	pthread_mutex_lock(&live_lock);
	interrupted = true;
	for (size_t i = 0; i < XA_ARRAY_SIZE(live_pids); i++)
		if (live_pids[i])
			kill(live_pids[i], SIGKILL);
	for (size_t i = 0; i < XA_ARRAY_SIZE(live_dirs); i++)
		if (live_dirs[i] && !getenv("XENABI_KEEP_PROBES"))
			nftw(live_dirs[i], rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	/* Held: nothing starts or makes a directory from here to the exit. */
}

char *xenabi_beside_program(const char *relative, int mode)
{
	char exe[PATH_MAX], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')) ||
	    asprintf(&path, "%.*s/%s", (int)(slash - exe), exe, relative) < 0)
		return NULL;
	if (!access(path, mode))
		return path;
	free(path);
	return NULL;
}

long long xa_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int xa_read_ready(struct pollfd *fds, struct xa_buf **bufs,
		  long long deadline)
{
	char chunk[16384];
	int wait = -1, ready;

	if (deadline) {
		long long left = deadline - xa_now_ms();

		if (left <= 0)
			return -1;
		wait = left < INT_MAX ? (int)left : INT_MAX;
	}
	ready = poll(fds, 2, wait);
	if (ready < 0 && errno != EINTR) {
		/* Nothing more can be read: as if both were at their ends. */
		fds[0].fd = fds[1].fd = -1;
		return 0;
	}
	for (int i = 0; ready > 0 && i < 2; i++) {
		ssize_t n;

		if (fds[i].fd < 0 || !fds[i].revents)
			continue;
		n = read(fds[i].fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fds[i].fd = -1;
		else
			xa_buf_add(bufs[i], chunk, (size_t)n);
	}
	return 0;
}

/*
 * Read both pipes to their ends: a child blocked on one must not wedge
 * us.  Past seconds (0: never) the child is killed and *killed set; what
 * it started and left holding the pipes gets two seconds more.
 */
static void drain(int out_fd, int err_fd, struct xa_buf *out,
		  struct xa_buf *err, pid_t pid, unsigned int seconds,
		  bool *killed)
{
	struct pollfd fds[2] = { { .fd = out_fd, .events = POLLIN },
				 { .fd = err_fd, .events = POLLIN } };
	struct xa_buf *bufs[2] = { out, err };
	long long deadline = seconds ? xa_now_ms() + seconds * 1000LL : 0;

	*killed = false;
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		if (!xa_read_ready(fds, bufs, deadline))
			continue;
		if (*killed)
			break;
		kill(pid, SIGKILL);
		*killed = true;
		deadline = xa_now_ms() + 2000;
	}
}

int xa_run(struct xenabi_ctx *ctx, char *const argv[], const char *out_path,
	   bool capture, int code, const char *hint, struct xa_run *run)
{
	return xa_run_env(ctx, argv, NULL, NULL, out_path, capture, code, hint,
			  run);
}

int xa_run_env(struct xenabi_ctx *ctx, char *const argv[], char *const envp[],
	       const char *in_path, const char *out_path, bool capture,
	       int code, const char *hint, struct xa_run *run)
{
	posix_spawn_file_actions_t fa;
	struct xa_buf out, err;
	int errpipe[2], outpipe[2] = { -1, -1 }, status, ret;
	struct rusage usage;
	long long start = xa_now_ms();
	bool timed_out;
	posix_spawnattr_t attr;
	siginfo_t info;
	sigset_t mask;
	pid_t pid;

	memset(run, 0, sizeof(*run));
	xa_buf_init(&out);
	xa_buf_init(&err);
	/* CLOEXEC: a probe running in the other thread must not hold our pipe. */
	if (pipe2(errpipe, O_CLOEXEC))
		return xa_error(ctx, XENABI_EIO, "cannot create a pipe: %s",
				strerror(errno));
	if (capture && pipe2(outpipe, O_CLOEXEC)) {
		close(errpipe[0]);
		close(errpipe[1]);
		return xa_error(ctx, XENABI_EIO, "cannot create a pipe: %s",
				strerror(errno));
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO,
					 in_path ? in_path : "/dev/null",
					 O_RDONLY, 0);
	if (capture)
		posix_spawn_file_actions_adddup2(&fa, outpipe[1], STDOUT_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO,
						 out_path ? out_path : "/dev/null",
						 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, errpipe[1], STDERR_FILENO);
	/*
	 * A caller may block the signals that interrupt it, to take them in
	 * a thread of its own: its children take them as usual.
	 */
	posix_spawnattr_init(&attr);
	sigemptyset(&mask);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	ret = posix_spawnp(&pid, argv[0], &fa, &attr, argv,
			   envp ? envp : environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (!ret)
		xa_live_pid(pid, true);
	close(errpipe[1]);
	if (capture)
		close(outpipe[1]);
	if (ret) {
		close(errpipe[0]);
		if (capture)
			close(outpipe[0]);
		return xa_error(ctx, code, "cannot run '%s': %s; %s", argv[0],
				strerror(ret), hint);
	}
	/*
	 * The child has exec'd by now (glibc's posix_spawn waits for that),
	 * and has allocated next to nothing: its limit holds from here.
	 */
	if (ctx->memory_limit) {
		struct rlimit rl;

		rl.rlim_cur = rl.rlim_max = (rlim_t)ctx->memory_limit << 20;
		prlimit(pid, RLIMIT_AS, &rl, NULL);
	}
	drain(outpipe[0], errpipe[0], &out, &err, pid, ctx->time_limit,
	      &timed_out);
	close(errpipe[0]);
	if (capture)
		close(outpipe[0]);
	/* Forgotten before it is reaped: its PID is not another's yet. */
	while (waitid(P_PID, pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	xa_live_pid(pid, false);
	while (wait4(pid, &status, 0, &usage) < 0)
		if (errno != EINTR) {
			xa_buf_release(&out);
			xa_buf_release(&err);
			return xa_error(ctx, code, "lost the '%s' process: %s",
					argv[0], strerror(errno));
		}
	run->ms = xa_now_ms() - start;
	run->max_kib = usage.ru_maxrss;
	run->err = xa_buf_detach(&err);
	xa_run_judge(ctx, run, status, timed_out);
	run->out_len = out.len;
	run->out = capture ? xa_buf_detach(&out) : NULL;
	xa_buf_release(&out);
	if (!run->err || (capture && !run->out)) {
		xa_run_release(run);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	/* posix_spawnp reports a missing program only through the child. */
	if (run->status == 127 && !*run->err)
		return xa_error(ctx, code, "cannot run '%s'; %s", argv[0], hint);
	return 0;
}

bool xa_run_judge(const struct xenabi_ctx *ctx, struct xa_run *run,
		  int status, bool timed_out)
{
	bool ours = false;

	run->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	/*
	 * A memory limit shows as the allocation that failed: LLVM says "out
	 * of memory" and aborts.  A child that died of a signal otherwise
	 * crashed, which is the input's doing as much as a limit is.
	 */
	if (timed_out) {
		snprintf(run->why, sizeof(run->why), "ran past its time limit "
			 "of %u s", ctx->time_limit);
		ours = true;
	} else if (ctx->memory_limit && run->status && run->err &&
		   strstr(run->err, "out of memory")) {
		snprintf(run->why, sizeof(run->why), "ran out of its memory "
			 "limit of %u MiB", ctx->memory_limit);
		ours = true;
	} else if (WIFSIGNALED(status)) {
		snprintf(run->why, sizeof(run->why), "died of signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	}
	if (*run->why)
		run->limit = run->why;
	return ours;
}

void xa_run_release(struct xa_run *run)
{
	free(run->err);
	free(run->out);
	run->err = run->out = NULL;
}

/*
 * Scratch directories of ours in tmp whose process is gone (killed, or
 * interrupted before it could clean up): "xenabi.PID.XXXXXX", owned by
 * this user, PID no longer running, untouched for ten minutes (a run in
 * another PID namespace sharing tmp looks dead from here, but it writes
 * to its directory all the time).  A PID reused by a live process keeps
 * its directory: only the dead are swept.
 */
static void sweep_stale(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *end, *path;
		long pid;
		struct stat st;

		if (strncmp(de->d_name, "xenabi.", 7))
			continue;
		pid = strtol(de->d_name + 7, &end, 10);
		if (end == de->d_name + 7 || *end != '.' || strlen(end + 1) != 6 ||
		    pid <= 0 || pid == (long)getpid() ||
		    !(kill((pid_t)pid, 0) && errno == ESRCH) ||
		    asprintf(&path, "%s/%s", tmp, de->d_name) < 0)
			continue;
		if (!lstat(path, &st) && S_ISDIR(st.st_mode) &&
		    st.st_uid == getuid() && st.st_mtime < time(NULL) - 600)
			xa_rmdir(path);
		free(path);
	}
	closedir(d);
}

int xa_tmpdir(struct xenabi_ctx *ctx, char **dir)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	sweep_stale(tmp);
	/* The PID says whose it is, for the sweep of a later run. */
	if (asprintf(&path, "%s/xenabi.%ld.XXXXXX", tmp, (long)getpid()) < 0)
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	if (!mkdtemp(path)) {
		int e = errno;

		free(path);
		return xa_error(ctx, XENABI_EIO,
				"cannot create a scratch directory in '%s': %s",
				tmp, strerror(e));
	}
	/*
	 * Absolute: the compiler takes a relative TMPDIR that starts with
	 * '-' ("-x/xenabi.1/probe.c") for an option.
	 */
	if (*path != '/') {
		char *abs = realpath(path, NULL);

		if (!abs) {
			int e = errno;

			rmdir(path);
			free(path);
			return xa_error(ctx, XENABI_EIO, "cannot resolve the "
					"scratch directory in '%s': %s", tmp,
					strerror(e));
		}
		free(path);
		path = abs;
	}
	live_dir(path, true);
	*dir = path;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void xa_rmdir(const char *dir)
{
	if (!dir)
		return;
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	live_dir(dir, false);
}
