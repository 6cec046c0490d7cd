/*
 * external_proc.c - commands under a supervisor, driven by poll() (see
 * external_proc.h).
 *
 * Why a supervisor and not the shell itself as the child: a shell that
 * forks (a pipeline, a script) leaves processes the kernel would not kill
 * when this process dies, and SIGKILL cannot be caught to clean up. The
 * supervisor is a plain fork (no exec) that asks to be told of our death,
 * leads the process group the shell runs in, and kills that group when
 * told. Everything it runs after fork() is async-signal-safe.
 */
#include "external_proc.h"

#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

#define CHUNK (64 * 1024)

/* What the supervisor sends back: the shell's wait status, or why it could not start. */
struct status_msg {
	int spawned; /* 1: value is the shell's wait status; 0: posix_spawn's error */
	int value;
};

struct proc {
	pid_t pid;                /* the supervisor, which leads the process group */
	int in, out, err, status; /* our ends of the pipes; -1 once closed */
	char *input;
	size_t len, written;
	struct strbuf outbuf;
	char *tail; /* the end of stderr: at most 2 x EXTERNAL_STDERR_TAIL before trimming */
	size_t tail_len;
	struct status_msg msg;
	size_t msg_len;
	double start, deadline;
	int timed_out, too_long, finished;
	void *tag;
};

struct external_pool {
	struct proc *procs;
	size_t n, alloc;
	size_t out_max;
	struct sigaction old_pipe;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* --- in the supervisor (after fork: async-signal-safe calls only) --- */

static void supervisor_on_term(int sig)
{
	(void)sig;
	kill(0, SIGKILL); /* the whole group: the shell, what it started, and this process */
}

/* Closes every descriptor from first up. */
static void close_all_from(int first)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0)
		return;
#endif
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = first; fd < max; fd++)
		close(fd);
}

static void spawn_defaults(posix_spawnattr_t *attr)
{
	static const int reset[] = {SIGPIPE, SIGINT,  SIGQUIT, SIGTERM, SIGHUP,  SIGCHLD, SIGALRM,
	                            SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU, SIGXFSZ};
	sigset_t def, none;
	sigemptyset(&def);
	sigemptyset(&none);
	for (size_t i = 0; i < sizeof(reset) / sizeof(reset[0]); i++)
		sigaddset(&def, reset[i]);
	posix_spawnattr_init(attr);
	posix_spawnattr_setsigdefault(attr, &def);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
}

static void supervise(const char *command, int in, int out, int err, int status, pid_t parent)
        __attribute__((noreturn));

static void supervise(const char *command, int in, int out, int err, int status, pid_t parent)
{
	setpgid(0, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = supervisor_on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (getppid() != parent) /* we died between fork and prctl */
		kill(0, SIGKILL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Our ends of every pipe of the pool are open here too: keep only these. */
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	if (status != 3)
		dup2(status, 3);
	fcntl(3, F_SETFD, FD_CLOEXEC); /* for the supervisor only, not the shell */
	close_all_from(4);
	posix_spawnattr_t attr;
	spawn_defaults(&attr);
	char *argv[] = {"sh", "-c", (char *)command, NULL};
	pid_t sh;
	struct status_msg msg = {0, 0};
	int rc = posix_spawn(&sh, "/bin/sh", NULL, &attr, argv, environ);
	if (rc) {
		msg.value = rc;
	} else {
		int ws = 0;
		while (waitpid(sh, &ws, 0) < 0 && errno == EINTR)
			;
		msg.spawned = 1;
		msg.value = ws;
	}
	ssize_t ignored = write(3, &msg, sizeof(msg));
	(void)ignored;
	_exit(0);
}

/* --- in this process --- */

static int make_pipe(int fds[2])
{
	if (pipe(fds))
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static void set_nonblocking(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Descriptors 0, 1 and 2 open, so that no pipe lands on them. */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			open("/dev/null", O_RDWR);
}

struct external_pool *external_pool_new(size_t out_max)
{
	struct external_pool *p = xcalloc(1, sizeof(*p));
	p->out_max = out_max;
	ensure_std_fds();
	struct sigaction ign;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &p->old_pipe);
	return p;
}

static void close_pipes(int fds[][2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
}

int external_pool_start(struct external_pool *p, const char *command, char *input, size_t len,
                        double timeout, void *tag, struct error *err)
{
	int fds[4][2]; /* stdin, stdout, stderr, status */
	size_t made = 0;
	while (made < 4 && make_pipe(fds[made]) == 0)
		made++;
	if (made < 4) {
		int e = errno;
		close_pipes(fds, made);
		free(input);
		return error_set(err, "cannot make a pipe for the command: %s", strerror(e));
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close_pipes(fds, 4);
		free(input);
		return error_set(err, "cannot start the command: fork: %s", strerror(e));
	}
	if (pid == 0)
		supervise(command, fds[0][0], fds[1][1], fds[2][1], fds[3][1], parent);
	setpgid(pid, pid); /* as the supervisor does: whichever runs first */
	close(fds[0][0]);
	close(fds[1][1]);
	close(fds[2][1]);
	close(fds[3][1]);
	xgrow((void **)&p->procs, &p->alloc, p->n + 1, sizeof(*p->procs));
	struct proc *pr = &p->procs[p->n++];
	memset(pr, 0, sizeof(*pr));
	pr->pid = pid;
	pr->in = fds[0][1];
	pr->out = fds[1][0];
	pr->err = fds[2][0];
	pr->status = fds[3][0];
	set_nonblocking(pr->in);
	set_nonblocking(pr->out);
	set_nonblocking(pr->err);
	set_nonblocking(pr->status);
	pr->input = input;
	pr->len = len;
	strbuf_init(&pr->outbuf, 0);
	pr->start = now_seconds();
	pr->deadline = pr->start + timeout;
	pr->tag = tag;
	if (!len)
		close_fd(&pr->in);
	return 0;
}

size_t external_pool_running(const struct external_pool *p)
{
	return p->n;
}

static void write_input(struct proc *pr)
{
	while (pr->in >= 0 && pr->written < pr->len) {
		size_t n = pr->len - pr->written;
		ssize_t w = write(pr->in, pr->input + pr->written, n > CHUNK ? CHUNK : n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		if (w < 0) { /* EPIPE: the command stopped reading, which it may */
			close_fd(&pr->in);
			return;
		}
		pr->written += (size_t)w;
	}
	close_fd(&pr->in); /* all written: the command sees the end of its input */
}

static void kill_group(struct proc *pr)
{
	kill(-pr->pid, SIGKILL);
}

/* Reads what the command wrote so far; closes our end at its end, or past the limit. */
static void read_output(struct external_pool *p, struct proc *pr)
{
	char buf[CHUNK];
	while (pr->out >= 0) {
		ssize_t r = read(pr->out, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return;
		if (r <= 0) {
			close_fd(&pr->out);
			return;
		}
		strbuf_add(&pr->outbuf, buf, (size_t)r);
		if (pr->outbuf.len > p->out_max && !pr->too_long) {
			pr->too_long = 1;
			kill_group(pr);
			close_fd(&pr->out);
		}
	}
}

static void keep_tail(struct proc *pr, const char *data, size_t n)
{
	if (!pr->tail)
		pr->tail = xmalloc(2 * EXTERNAL_STDERR_TAIL + 1);
	if (n >= EXTERNAL_STDERR_TAIL) {
		memcpy(pr->tail, data + n - EXTERNAL_STDERR_TAIL, EXTERNAL_STDERR_TAIL);
		pr->tail_len = EXTERNAL_STDERR_TAIL;
		return;
	}
	if (pr->tail_len + n > 2 * EXTERNAL_STDERR_TAIL) {
		size_t keep = EXTERNAL_STDERR_TAIL - n;
		memmove(pr->tail, pr->tail + pr->tail_len - keep, keep);
		pr->tail_len = keep;
	}
	memcpy(pr->tail + pr->tail_len, data, n);
	pr->tail_len += n;
}

static void read_stderr(struct proc *pr)
{
	char buf[CHUNK];
	while (pr->err >= 0) {
		ssize_t r = read(pr->err, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return;
		if (r <= 0) {
			close_fd(&pr->err);
			return;
		}
		keep_tail(pr, buf, (size_t)r);
	}
}

static void read_status(struct proc *pr)
{
	while (pr->status >= 0 && pr->msg_len < sizeof(pr->msg)) {
		ssize_t r = read(pr->status, (char *)&pr->msg + pr->msg_len,
		                 sizeof(pr->msg) - pr->msg_len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return;
		if (r <= 0) {
			close_fd(&pr->status);
			pr->finished = 1;
			return;
		}
		pr->msg_len += (size_t)r;
	}
	if (pr->msg_len == sizeof(pr->msg))
		pr->finished = 1;
}

static void describe_status(struct proc *pr, int supervisor_status, struct external_proc_result *r)
{
	r->exit_status = -1;
	if (pr->timed_out || pr->too_long) {
		r->signal = SIGKILL;
		return;
	}
	if (pr->msg_len == sizeof(pr->msg) && !pr->msg.spawned) {
		snprintf(r->problem, sizeof(r->problem), "cannot run /bin/sh: %s",
		         strerror(pr->msg.value));
		return;
	}
	if (pr->msg_len == sizeof(pr->msg)) {
		if (WIFEXITED(pr->msg.value))
			r->exit_status = WEXITSTATUS(pr->msg.value);
		else if (WIFSIGNALED(pr->msg.value))
			r->signal = WTERMSIG(pr->msg.value);
		return;
	}
	/* The supervisor died before telling: someone killed the command's process group. */
	if (WIFSIGNALED(supervisor_status))
		r->signal = WTERMSIG(supervisor_status);
	snprintf(r->problem, sizeof(r->problem),
	         "the command's process group was killed from "
	         "outside");
}

/* Collects what is left, kills what the command left behind, reaps, and fills r. */
static void finish(struct external_pool *p, struct proc *pr, struct external_proc_result *r)
{
	read_output(p, pr);
	read_stderr(pr);
	kill_group(pr);
	close_fd(&pr->in);
	close_fd(&pr->out);
	close_fd(&pr->err);
	close_fd(&pr->status);
	int ws = 0;
	while (waitpid(pr->pid, &ws, 0) < 0 && errno == EINTR)
		;
	memset(r, 0, sizeof(*r));
	r->tag = pr->tag;
	r->timed_out = pr->timed_out;
	r->too_long = pr->too_long;
	r->seconds = now_seconds() - pr->start;
	describe_status(pr, ws, r);
	r->out_len = pr->outbuf.len;
	r->out = strbuf_detach(&pr->outbuf, NULL);
	size_t skip = pr->tail_len > EXTERNAL_STDERR_TAIL ? pr->tail_len - EXTERNAL_STDERR_TAIL : 0;
	r->err_tail = xstrndup(pr->tail ? pr->tail + skip : "", pr->tail_len - skip);
	free(pr->tail);
	free(pr->input);
}

static int poll_timeout(const struct external_pool *p, int wait_ms)
{
	double now = now_seconds();
	int ms = wait_ms;
	for (size_t i = 0; i < p->n; i++) {
		double left = (p->procs[i].deadline - now) * 1000.0;
		int l = left <= 0 ? 0 : left > 1e9 ? 1000000000 : (int)left + 1;
		if (ms < 0 || l < ms)
			ms = l;
	}
	return ms;
}

static void add_fd(struct pollfd *fds, size_t *n, int fd, short events)
{
	if (fd < 0)
		return;
	fds[*n].fd = fd;
	fds[*n].events = events;
	fds[*n].revents = 0;
	(*n)++;
}

/* Moves the finished procs' results to done, keeping the others in order. */
static void collect(struct external_pool *p, struct external_proc_result **done, size_t *ndone)
{
	size_t keep = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct proc *pr = &p->procs[i];
		if (!pr->finished) {
			p->procs[keep++] = *pr;
			continue;
		}
		*done = xrealloc(*done, (*ndone + 1) * sizeof(**done));
		finish(p, pr, &(*done)[(*ndone)++]);
	}
	p->n = keep;
}

static void service(struct external_pool *p, double now)
{
	for (size_t i = 0; i < p->n; i++) {
		struct proc *pr = &p->procs[i];
		write_input(pr);
		read_output(p, pr);
		read_stderr(pr);
		read_status(pr);
		if (pr->too_long)
			pr->finished = 1;
		if (!pr->finished && now >= pr->deadline) {
			pr->timed_out = 1;
			pr->finished = 1;
			kill_group(pr);
		}
	}
}

int external_pool_wait(struct external_pool *p, int wait_ms, struct external_proc_result **done,
                       size_t *ndone, struct error *err)
{
	if (!p->n)
		return 0;
	struct pollfd *fds = xcalloc(p->n * 4, sizeof(*fds));
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct proc *pr = &p->procs[i];
		add_fd(fds, &n, pr->in, POLLOUT);
		add_fd(fds, &n, pr->out, POLLIN);
		add_fd(fds, &n, pr->err, POLLIN);
		add_fd(fds, &n, pr->status, POLLIN);
	}
	int rc = poll(fds, n, poll_timeout(p, wait_ms));
	free(fds);
	if (rc < 0 && errno != EINTR)
		return error_set(err, "poll: %s", strerror(errno));
	/* Every descriptor is non-blocking: servicing them all is simpler than matching revents. */
	service(p, now_seconds());
	collect(p, done, ndone);
	return 0;
}

void external_proc_result_release(struct external_proc_result *r)
{
	free(r->out);
	free(r->err_tail);
	r->out = r->err_tail = NULL;
}

void external_pool_kill_all(struct external_pool *p, void (*free_tag)(void *tag))
{
	for (size_t i = 0; i < p->n; i++) {
		struct external_proc_result r;
		p->procs[i].finished = 1;
		kill_group(&p->procs[i]);
		finish(p, &p->procs[i], &r);
		if (free_tag)
			free_tag(r.tag);
		external_proc_result_release(&r);
	}
	p->n = 0;
}

void external_pool_free(struct external_pool *p, void (*free_tag)(void *tag))
{
	if (!p)
		return;
	external_pool_kill_all(p, free_tag);
	free(p->procs);
	sigaction(SIGPIPE, &p->old_pipe, NULL);
	free(p);
}
