/* SPDX-License-Identifier: MIT */
/*
 * ccsrv: the compiler kept running.  A clang process spends about as long
 * starting as compiling one probe; a xenabi-cc (cmd/xenabi-cc.cc) runs
 * clang's own driver and front end in process, one command line after
 * another, so a scan pays the start once per worker.  What a command line
 * gives (objects, diagnostics, exit status) is what the clang program
 * gives; a compile that crashes or meets a limit ends its xenabi-cc as it
 * would have ended the process, and the next compile starts another.
 * Knows processes only, as run does.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xa.h"

extern char **environ;

/* The real path of the clang the xenabi-cc beside us was built for. */
#ifndef XENABI_CC_CLANG
#define XENABI_CC_CLANG ""
#endif
/* Where make install puts it. */
#ifndef XENABI_LIBEXECDIR
#define XENABI_LIBEXECDIR "/usr/local/libexec/xenabi"
#endif

/* The requests' and answers' version: cmd/xenabi-cc.cc has the same. */
#define PROTOCOL "1"

/* Servers kept for the next compile: more than a scan has workers. */
#define IDLE_MAX 16

struct server {
	pid_t pid;
	int sock;	/* requests out, answers in */
	int err;	/* its stderr: what a dying compile said */
	bool answered;	/* it has served once */
};

struct xa_cc_pool {
	pthread_mutex_t lock;
	unsigned int refs;
	int state;	/* 0: not looked at yet; 1: usable; -1: not */
	char *helper;	/* the xenabi-cc program */
	struct server *idle[IDLE_MAX];
	size_t nidle;
};

/* Compiles served and run as processes, by the whole program. */
static unsigned long served_count, alone_count;

void xa_cc_count_alone(void)
{
	__atomic_add_fetch(&alone_count, 1, __ATOMIC_RELAXED);
}

void xenabi_compile_counts(unsigned long *kept_running,
			   unsigned long *processes)
{
	*kept_running = __atomic_load_n(&served_count, __ATOMIC_RELAXED);
	*processes = __atomic_load_n(&alone_count, __ATOMIC_RELAXED);
}

struct xa_cc_pool *xa_cc_pool_new(void)
{
	struct xa_cc_pool *pool = calloc(1, sizeof(*pool));

	if (pool) {
		pthread_mutex_init(&pool->lock, NULL);
		pool->refs = 1;
	}
	return pool;
}

struct xa_cc_pool *xa_cc_pool_ref(struct xa_cc_pool *pool)
{
	if (pool) {
		pthread_mutex_lock(&pool->lock);
		pool->refs++;
		pthread_mutex_unlock(&pool->lock);
	}
	return pool;
}

/* The rest of what a server that is gone said on stderr. */
static void drain_err(int fd, struct xa_buf *err)
{
	char chunk[8192];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0)
		if (n > 0)
			xa_buf_add(err, chunk, (size_t)n);
		else if (errno != EINTR)
			break;
}

/*
 * End a server: the end of its input asks it to stop, SIGKILL makes it.
 * err (when not NULL) takes the rest of what it said, *wstatus how it
 * ended.
 */
static void server_end(struct server *s, bool kill_it, struct xa_buf *err,
		       int *wstatus)
{
	siginfo_t info;
	int status = 0;

	if (kill_it)
		kill(s->pid, SIGKILL);
	close(s->sock);
	if (err)
		drain_err(s->err, err);
	/* Forgotten before it is reaped: its PID is not another's yet. */
	while (waitid(P_PID, s->pid, &info, WEXITED | WNOWAIT) < 0 &&
	       errno == EINTR)
		;
	xa_live_pid(s->pid, false);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(s->err);
	if (wstatus)
		*wstatus = status;
	free(s);
}

void xa_cc_pool_unref(struct xa_cc_pool *pool)
{
	unsigned int refs;

	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	refs = --pool->refs;
	pthread_mutex_unlock(&pool->lock);
	if (refs)
		return;
	for (size_t i = 0; i < pool->nidle; i++)
		server_end(pool->idle[i], false, NULL, NULL);
	free(pool->helper);
	pthread_mutex_destroy(&pool->lock);
	free(pool);
}

/* The real path of the first "clang" on PATH, or NULL. */
static char *clang_on_path(void)
{
	const char *path = getenv("PATH");

	while (path && *path) {
		size_t len = strcspn(path, ":");
		char *candidate, *real = NULL;

		if (asprintf(&candidate, "%.*s/clang", (int)len,
			     len ? path : ".") < 0)
			return NULL;
		if (!access(candidate, X_OK))
			real = realpath(candidate, NULL);
		free(candidate);
		if (real)
			return real;
		path += len + (path[len] == ':');
	}
	return NULL;
}

/*
 * Whether a xenabi-cc may stand for "clang": XENABI_CC_SERVER names it
 * ("" or "0": none), else the one beside this program, else the one
 * installed; and it was built for the clang on PATH.
 */
static bool usable(struct xa_cc_pool *pool)
{
	const char *env = getenv("XENABI_CC_SERVER");
	char *clang;
	bool same;

	if (!*XENABI_CC_CLANG || (env && (!*env || !strcmp(env, "0"))))
		return false;
	if (env)
		pool->helper = strdup(env);
	else if (!(pool->helper = xenabi_beside_program("xenabi-cc", X_OK)))
		pool->helper = strdup(XENABI_LIBEXECDIR "/xenabi-cc");
	if (!pool->helper || access(pool->helper, X_OK))
		return false;
	clang = clang_on_path();
	same = clang && !strcmp(clang, XENABI_CC_CLANG);
	free(clang);
	return same;
}

static struct server *server_start(struct xenabi_ctx *ctx,
				   struct xa_cc_pool *pool)
{
	char *argv[] = { pool->helper, (char *)PROTOCOL, (char *)XENABI_CC_CLANG,
			 NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct server *s;
	int sv[2], errpipe[2];
	sigset_t mask;
	pid_t pid;
	int ret;

	if (!(s = calloc(1, sizeof(*s))))
		return NULL;
	/* CLOEXEC: no other child may hold them, or no end would be seen. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		free(s);
		return NULL;
	}
	if (pipe2(errpipe, O_CLOEXEC)) {
		close(sv[0]);
		close(sv[1]);
		free(s);
		return NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, sv[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, errpipe[1], STDERR_FILENO);
	posix_spawnattr_init(&attr);
	sigemptyset(&mask);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	ret = posix_spawn(&pid, pool->helper, &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	close(errpipe[1]);
	if (ret) {
		close(sv[0]);
		close(errpipe[0]);
		free(s);
		return NULL;
	}
	xa_live_pid(pid, true);
	/* The limit a clang process would have, for the whole server. */
	if (ctx->memory_limit) {
		struct rlimit rl;

		rl.rlim_cur = rl.rlim_max = (rlim_t)ctx->memory_limit << 20;
		prlimit(pid, RLIMIT_AS, &rl, NULL);
	}
	s->pid = pid;
	s->sock = sv[0];
	s->err = errpipe[0];
	return s;
}

/* An idle server, or a new one; NULL when none can serve. */
static struct server *take(struct xenabi_ctx *ctx, struct xa_cc_pool *pool)
{
	struct server *s = NULL;

	pthread_mutex_lock(&pool->lock);
	if (!pool->state)
		pool->state = usable(pool) ? 1 : -1;
	if (pool->state > 0 && pool->nidle)
		s = pool->idle[--pool->nidle];
	pthread_mutex_unlock(&pool->lock);
	if (!s && pool->state > 0)
		s = server_start(ctx, pool);
	return s;
}

static void give_back(struct xa_cc_pool *pool, struct server *s)
{
	pthread_mutex_lock(&pool->lock);
	if (pool->nidle < IDLE_MAX) {
		pool->idle[pool->nidle++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&pool->lock);
	if (s)
		server_end(s, false, NULL, NULL);
}

static bool send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool send_request(int fd, uint32_t flags, char *const argv[])
{
	uint32_t n = 0;

	while (argv[n])
		n++;
	if (!send_all(fd, &flags, sizeof(flags)) ||
	    !send_all(fd, &n, sizeof(n)))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len = (uint32_t)strlen(argv[i]);

		if (!send_all(fd, &len, sizeof(len)) ||
		    !send_all(fd, argv[i], len))
			return false;
	}
	return true;
}

/*
 * Read the answer (into answer) and anything the server says on stderr
 * (into err) until the answer is whole, the server is gone, or the time
 * limit passes (*timed_out).  true: the answer is whole.
 */
static bool await(const struct xenabi_ctx *ctx, struct server *s,
		  long long start, struct xa_buf *answer, struct xa_buf *err,
		  bool *timed_out)
{
	struct pollfd fds[2] = { { .fd = s->sock, .events = POLLIN },
				 { .fd = s->err, .events = POLLIN } };
	struct xa_buf *bufs[2] = { answer, err };
	long long deadline = ctx->time_limit ? start + ctx->time_limit * 1000LL
					     : 0;

	*timed_out = false;
	for (;;) {
		int32_t head[4];

		if (answer->oom || err->oom)
			return false;
		if (answer->len >= sizeof(head)) {
			memcpy(head, answer->s, sizeof(head));
			if (head[2] >= 0 && head[3] >= 0 &&
			    answer->len == sizeof(head) + (size_t)head[2] +
						   (size_t)head[3])
				return true;
		}
		if (fds[0].fd < 0)
			return false;
		if (xa_read_ready(fds, bufs, deadline)) {
			*timed_out = true;
			return false;
		}
	}
}

static int serve(struct xenabi_ctx *ctx, char *const argv[], uint32_t flags,
		 bool capture, struct xa_run *run)
{
	struct xa_cc_pool *pool = ctx->cc_pool;
	struct xa_buf answer, err;
	long long start = xa_now_ms();
	struct server *s;
	bool whole, timed_out = false, answered = true;
	int32_t head[4];
	int wstatus;

	if (!pool || strcmp(argv[0], "clang") || !(s = take(ctx, pool)))
		return 1;
	memset(run, 0, sizeof(*run));
	xa_buf_init(&answer);
	xa_buf_init(&err);
	whole = send_request(s->sock, flags, argv) &&
		await(ctx, s, start, &answer, &err, &timed_out);
	if (whole) {
		memcpy(head, answer.s, sizeof(head));
		s->answered = true;
		__atomic_add_fetch(&served_count, 1, __ATOMIC_RELAXED);
		give_back(pool, s);
		run->status = head[0];
		run->max_kib = head[1];
		xa_buf_add(&err, answer.s + sizeof(head), (size_t)head[2]);
		run->out_len = (size_t)head[3];
		if (capture && (run->out = malloc(run->out_len + 1))) {
			memcpy(run->out, answer.s + sizeof(head) + head[2],
			       run->out_len);
			run->out[run->out_len] = '\0';
		}
	} else {
		/* Ended by its compile, or by us at the time limit. */
		answered = s->answered;
		server_end(s, timed_out, &err, &wstatus);
	}
	xa_buf_release(&answer);
	run->ms = xa_now_ms() - start;
	run->err = xa_buf_detach(&err);
	if (!whole) {
		bool limit = xa_run_judge(ctx, run, wstatus, timed_out);
		bool cannot = !limit && !answered;

		/*
		 * A server that never served (xenabi-cc's own message, status
		 * 2; a library it cannot load) leaves this compile and every
		 * later one to processes.  One that died for no limit of ours
		 * leaves this compile to a process, which gives what clang
		 * gives: a crash of clang's own is a crash there too.
		 */
		if (cannot) {
			pthread_mutex_lock(&pool->lock);
			pool->state = -1;
			pthread_mutex_unlock(&pool->lock);
		}
		if (cannot || !limit) {
			xa_run_release(run);
			return 1;
		}
	}
	if (!run->err || (capture && whole && !run->out)) {
		xa_run_release(run);
		return xa_error(ctx, XENABI_ENOMEM, "out of memory");
	}
	return 0;
}

int xa_cc_run(struct xenabi_ctx *ctx, char *const argv[], bool capture,
	      struct xa_run *run)
{
	return serve(ctx, argv, 0, capture, run);
}

int xa_cc_values(struct xenabi_ctx *ctx, char *const argv[],
		 struct xa_run *run)
{
	return serve(ctx, argv, 1, true, run);
}
