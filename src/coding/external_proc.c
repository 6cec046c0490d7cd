/*
 * external_proc.c - commands started by a supervisor, driven by poll() (see
 * external_proc.h).
 *
 * Why a supervisor: a shell that forks (a pipeline, a script) leaves
 * processes the kernel would not kill when this process dies, and SIGKILL
 * cannot be caught to clean up. So a plain fork of this process, made once
 * per pool, asks to be told of our death and kills every command's process
 * group when told. It is also what starts the commands: forking this
 * process for each command costs milliseconds once it holds a database
 * cache, while the supervisor, forked early and doing nothing else, starts
 * a shell with posix_spawn (vfork and exec) in a fraction of that.
 *
 * The supervisor and this process speak over a SOCK_SEQPACKET socket pair,
 * one struct ctl_msg per packet: SPAWN (with the command after it and the
 * three pipe ends as SCM_RIGHTS), KILL; back STARTED (the pid, or the
 * error) and EXITED (the wait status). Only the supervisor reaps, so it is
 * the one that signals process groups: a pid it has not reaped cannot be
 * reused.
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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

#define CHUNK       (64 * 1024)
#define COMMAND_MAX (64 * 1024)

enum { MSG_SPAWN = 1, MSG_KILL, MSG_STARTED, MSG_EXITED };

struct ctl_msg {
	int kind;
	int id;
	int value; /* SPAWN: the command's length; STARTED: pid or -errno; EXITED: wait status */
};

struct proc {
	int id;
	int in, out, err; /* our ends of the pipes; -1 once closed */
	char *input;
	size_t len, written;
	struct strbuf outbuf;
	char *tail; /* the end of stderr: at most 2 x EXTERNAL_STDERR_TAIL before trimming */
	size_t tail_len;
	pid_t pid;       /* the shell, once the supervisor has started it */
	int spawn_error; /* errno of a shell that could not start */
	int exited, status, killed, lost;
	double start, deadline;
	int timed_out, too_long;
	void *tag;
};

struct external_pool {
	struct proc *procs;
	size_t n, alloc;
	size_t out_max;
	int ctl; /* our end of the socket to the supervisor; -1 once it is gone */
	pid_t supervisor;
	int next_id;
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

static void set_cloexec(int fd)
{
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void set_nonblocking(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* --- the supervisor (a fork: it never returns, and exits with _exit) --- */

/* The commands running: read by the signal handler, so a fixed array of plain ints. */
static struct {
	volatile int id;
	volatile pid_t pid; /* 0: a free slot */
} slots[EXTERNAL_POOL_MAX];
static int chld_pipe[2] = {-1, -1};

static void kill_all_groups(void)
{
	for (size_t i = 0; i < EXTERNAL_POOL_MAX; i++)
		if (slots[i].pid > 0)
			kill(-slots[i].pid, SIGKILL);
}

/* SIGTERM, which the kernel sends when this process's parent dies. */
static void on_parent_death(int sig)
{
	(void)sig;
	kill_all_groups();
	_exit(0);
}

static void on_child(int sig)
{
	(void)sig;
	int saved = errno;
	ssize_t ignored = write(chld_pipe[1], "", 1);
	(void)ignored;
	errno = saved;
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

static void on_signal(int sig, void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

/* Descriptors 0 to 2 on /dev/null, the socket on 3, the rest closed; signals set up. */
static void supervisor_setup(int ctl, pid_t parent)
{
	setpgid(0, 0); /* away from the terminal's signals: the run decides when to stop */
	on_signal(SIGTERM, on_parent_death);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (getppid() != parent)
		_exit(0); /* the parent died before prctl */
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd <= 2; fd++)
		if (null != fd)
			dup2(null, fd);
	if (ctl != 3)
		dup2(ctl, 3);
	close_all_from(4);
	set_cloexec(3);
	if (pipe(chld_pipe) == 0) {
		set_cloexec(chld_pipe[0]);
		set_cloexec(chld_pipe[1]);
		set_nonblocking(chld_pipe[0]);
		set_nonblocking(chld_pipe[1]);
	}
	on_signal(SIGCHLD, on_child);
	on_signal(SIGPIPE, SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void tell(int kind, int id, int value)
{
	struct ctl_msg m = {kind, id, value};
	ssize_t ignored = send(3, &m, sizeof(m), MSG_NOSIGNAL);
	(void)ignored;
}

static void spawn_attributes(posix_spawnattr_t *attr)
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
	posix_spawnattr_setpgroup(attr, 0);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
	                                       POSIX_SPAWN_SETPGROUP);
}

/* Starts command with fds as its 0, 1 and 2 in a process group of its own. */
static void spawn(int id, char *command, const int fds[3])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	for (int i = 0; i < 3; i++)
		posix_spawn_file_actions_adddup2(&fa, fds[i], i);
	spawn_attributes(&attr);
	char *argv[] = {"sh", "-c", command, NULL};
	pid_t pid = 0;
	int rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	size_t i = 0;
	while (!rc && i < EXTERNAL_POOL_MAX && slots[i].pid)
		i++;
	if (!rc && i == EXTERNAL_POOL_MAX) { /* the pool never sends more; be safe anyway */
		kill(-pid, SIGKILL);
		rc = EAGAIN;
	}
	if (!rc) {
		slots[i].id = id;
		slots[i].pid = pid;
	}
	tell(MSG_STARTED, id, rc ? -rc : (int)pid);
}

/* Reaps every command that ended, killing what it left in its group first. */
static void reap(void)
{
	char drain[64];
	while (read(chld_pipe[0], drain, sizeof(drain)) > 0)
		;
	for (;;) {
		siginfo_t info;
		memset(&info, 0, sizeof(info));
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 || !info.si_pid)
			return;
		pid_t pid = info.si_pid;
		kill(-pid,
		     SIGKILL); /* the zombie still holds its group id: no other group has it */
		int status = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		for (size_t i = 0; i < EXTERNAL_POOL_MAX; i++)
			if (slots[i].pid == pid) {
				tell(MSG_EXITED, slots[i].id, status);
				slots[i].pid = 0;
			}
	}
}

static void kill_one(int id)
{
	for (size_t i = 0; i < EXTERNAL_POOL_MAX; i++)
		if (slots[i].pid > 0 && slots[i].id == id)
			kill(-slots[i].pid, SIGKILL);
}

/* One request from the pool; 0 at its end (the socket closed). */
static int serve_one(void)
{
	static char buf[sizeof(struct ctl_msg) + COMMAND_MAX + 1];
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = {buf, sizeof(buf) - 1};
	struct msghdr mh;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	ssize_t n = recvmsg(3, &mh, 0);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n < (ssize_t)sizeof(struct ctl_msg))
		return 0;
	struct ctl_msg m;
	memcpy(&m, buf, sizeof(m));
	int fds[3] = {-1, -1, -1};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(3 * sizeof(int)))
		memcpy(fds, CMSG_DATA(c), sizeof(fds));
	if (m.kind == MSG_SPAWN && fds[2] >= 0 && m.value >= 0 &&
	    (size_t)m.value == (size_t)n - sizeof(m)) {
		buf[n] = '\0';
		for (int i = 0; i < 3; i++)
			set_cloexec(fds[i]);
		spawn(m.id, buf + sizeof(m), fds);
	} else if (m.kind == MSG_KILL) {
		kill_one(m.id);
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return 1;
}

static void supervise(int ctl, pid_t parent) __attribute__((noreturn));

static void supervise(int ctl, pid_t parent)
{
	supervisor_setup(ctl, parent);
	for (;;) {
		struct pollfd fds[2] = {{3, POLLIN, 0}, {chld_pipe[0], POLLIN, 0}};
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		reap();
		if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !serve_one())
			break;
	}
	/* The pool is gone: so are its commands. */
	kill_all_groups();
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

/* --- the pool, in this process --- */

static int make_pipe(int fds[2])
{
	if (pipe(fds))
		return -1;
	set_cloexec(fds[0]);
	set_cloexec(fds[1]);
	return 0;
}

/* Descriptors 0, 1 and 2 open, so that no pipe lands on them. */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			open("/dev/null", O_RDWR);
}

struct external_pool *external_pool_new(size_t out_max, struct error *err)
{
	int sv[2];
	ensure_std_fds();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		return error_set(err, "cannot start the command runner: socketpair: %s",
		                 strerror(errno)),
		       NULL;
	set_cloexec(sv[0]);
	set_cloexec(sv[1]);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		return error_set(err, "cannot start the command runner: fork: %s", strerror(e)),
		       NULL;
	}
	if (pid == 0) {
		close(sv[0]);
		supervise(sv[1], parent);
	}
	close(sv[1]);
	struct external_pool *p = xcalloc(1, sizeof(*p));
	p->out_max = out_max;
	p->ctl = sv[0];
	p->supervisor = pid;
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

static int send_spawn(struct external_pool *p, int id, const char *command, const int fds[3])
{
	struct ctl_msg m = {MSG_SPAWN, id, (int)strlen(command)};
	struct iovec iov[2] = {{&m, sizeof(m)}, {(void *)command, strlen(command)}};
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	memset(cbuf, 0, sizeof(cbuf));
	struct msghdr mh;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(3 * sizeof(int));
	memcpy(CMSG_DATA(c), fds, 3 * sizeof(int));
	ssize_t n;
	while ((n = sendmsg(p->ctl, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n < 0 ? -1 : 0;
}

static void send_kill(struct external_pool *p, struct proc *pr)
{
	if (pr->killed || pr->exited || p->ctl < 0)
		return;
	struct ctl_msg m = {MSG_KILL, pr->id, 0};
	ssize_t ignored = send(p->ctl, &m, sizeof(m), MSG_NOSIGNAL);
	(void)ignored;
	pr->killed = 1;
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

int external_pool_start(struct external_pool *p, const char *command, char *input, size_t len,
                        double timeout, void *tag, struct error *err)
{
	if (p->ctl < 0 || p->n >= EXTERNAL_POOL_MAX || strlen(command) > COMMAND_MAX) {
		free(input);
		return error_set(err, "cannot start the command: %s",
		                 p->ctl < 0                  ? "its runner has died"
		                 : p->n >= EXTERNAL_POOL_MAX ? "too many running"
		                                             : "the command is over 64 KiB");
	}
	int fds[3][2]; /* stdin, stdout, stderr */
	size_t made = 0;
	while (made < 3 && make_pipe(fds[made]) == 0)
		made++;
	if (made < 3) {
		int e = errno;
		close_pipes(fds, made);
		free(input);
		return error_set(err, "cannot make a pipe for the command: %s", strerror(e));
	}
	int theirs[3] = {fds[0][0], fds[1][1], fds[2][1]};
	int id = ++p->next_id, sent = send_spawn(p, id, command, theirs);
	int e = errno;
	for (int i = 0; i < 3; i++)
		close(theirs[i]);
	if (sent) {
		close(fds[0][1]);
		close(fds[1][0]);
		close(fds[2][0]);
		free(input);
		return error_set(err, "cannot start the command: %s", strerror(e));
	}
	xgrow((void **)&p->procs, &p->alloc, p->n + 1, sizeof(*p->procs));
	struct proc *pr = &p->procs[p->n++];
	memset(pr, 0, sizeof(*pr));
	pr->id = id;
	pr->in = fds[0][1];
	pr->out = fds[1][0];
	pr->err = fds[2][0];
	set_nonblocking(pr->in);
	set_nonblocking(pr->out);
	set_nonblocking(pr->err);
	pr->input = input;
	pr->len = len;
	strbuf_init(&pr->outbuf, 0);
	pr->start = now_seconds();
	pr->deadline = pr->start + timeout;
	pr->tag = tag;
	/* As much of the input as the pipe takes goes now (usually all of it), not after
	 * the caller's next chores: the command is not kept waiting for its document. */
	write_input(pr);
	return 0;
}

size_t external_pool_running(const struct external_pool *p)
{
	return p->n;
}

int external_pool_alive(const struct external_pool *p)
{
	return p->ctl >= 0;
}

static struct proc *proc_of(struct external_pool *p, int id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->procs[i].id == id)
			return &p->procs[i];
	return NULL;
}

/*
 * The supervisor is gone (killed from outside): nothing more will be heard
 * of any command. Their process groups are killed from here, the one time
 * this process signals them: the commands were the supervisor's children,
 * so at worst a group that just ended is already gone.
 */
static void supervisor_lost(struct external_pool *p)
{
	close_fd(&p->ctl);
	for (size_t i = 0; i < p->n; i++)
		if (!p->procs[i].exited) {
			if (p->procs[i].pid > 0)
				kill(-p->procs[i].pid, SIGKILL);
			p->procs[i].lost = 1;
			p->procs[i].exited = 1;
		}
}

/* Reads the supervisor's reports: commands started (or not) and ended. */
static void read_reports(struct external_pool *p)
{
	while (p->ctl >= 0) {
		struct ctl_msg m;
		ssize_t n = recv(p->ctl, &m, sizeof(m), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n != (ssize_t)sizeof(m)) {
			supervisor_lost(p);
			return;
		}
		struct proc *pr = proc_of(p, m.id);
		if (!pr)
			continue;
		if (m.kind == MSG_STARTED && m.value < 0) {
			pr->spawn_error = -m.value;
			pr->exited = 1;
		} else if (m.kind == MSG_STARTED) {
			pr->pid = m.value;
		} else if (m.kind == MSG_EXITED) {
			pr->status = m.value;
			pr->exited = 1;
		}
	}
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
			send_kill(p, pr);
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

static void describe_status(const struct proc *pr, struct external_proc_result *r)
{
	r->exit_status = -1;
	if (pr->timed_out || pr->too_long) {
		r->signal = SIGKILL;
	} else if (pr->spawn_error) {
		snprintf(r->problem, sizeof(r->problem), "cannot run /bin/sh: %s",
		         strerror(pr->spawn_error));
	} else if (pr->lost) {
		snprintf(r->problem, sizeof(r->problem),
		         "the process that ran the command died (it was killed from outside)");
	} else if (WIFEXITED(pr->status)) {
		r->exit_status = WEXITSTATUS(pr->status);
	} else if (WIFSIGNALED(pr->status)) {
		r->signal = WTERMSIG(pr->status);
	}
}

/* Collects what is left of the command's output (it has been reaped) and fills r. */
static void finish(struct external_pool *p, struct proc *pr, struct external_proc_result *r)
{
	read_output(p, pr);
	read_stderr(pr);
	close_fd(&pr->in);
	close_fd(&pr->out);
	close_fd(&pr->err);
	memset(r, 0, sizeof(*r));
	r->tag = pr->tag;
	r->timed_out = pr->timed_out;
	r->too_long = pr->too_long;
	r->seconds = now_seconds() - pr->start;
	describe_status(pr, r);
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
		if (p->procs[i].killed)
			continue; /* its end is on its way */
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

/* Moves the ended commands' results to done, keeping the others in order. */
static void collect(struct external_pool *p, struct external_proc_result **done, size_t *ndone)
{
	size_t keep = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct proc *pr = &p->procs[i];
		if (!pr->exited) {
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
	read_reports(p);
	for (size_t i = 0; i < p->n; i++) {
		struct proc *pr = &p->procs[i];
		write_input(pr);
		read_output(p, pr);
		read_stderr(pr);
		if (!pr->exited && !pr->killed && now >= pr->deadline) {
			pr->timed_out = 1;
			send_kill(p, pr);
		}
	}
}

/* Polls the pipes and the supervisor's socket for at most ms milliseconds. */
static int poll_all(struct external_pool *p, int ms, struct error *err)
{
	struct pollfd *fds = xcalloc(p->n * 3 + 1, sizeof(*fds));
	size_t n = 0;
	add_fd(fds, &n, p->ctl, POLLIN);
	for (size_t i = 0; i < p->n; i++) {
		struct proc *pr = &p->procs[i];
		add_fd(fds, &n, pr->in, POLLOUT);
		add_fd(fds, &n, pr->out, POLLIN);
		add_fd(fds, &n, pr->err, POLLIN);
	}
	int rc = poll(fds, n, ms);
	free(fds);
	if (rc < 0 && errno != EINTR)
		return error_set(err, "poll: %s", strerror(errno));
	return 0;
}

int external_pool_wait(struct external_pool *p, int wait_ms, struct external_proc_result **done,
                       size_t *ndone, struct error *err)
{
	if (!p->n)
		return 0;
	if (poll_all(p, poll_timeout(p, wait_ms), err))
		return -1;
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
	for (size_t i = 0; i < p->n; i++)
		send_kill(p, &p->procs[i]);
	struct error err;
	for (;;) {
		read_reports(p);
		size_t left = 0;
		for (size_t i = 0; i < p->n; i++)
			left += !p->procs[i].exited;
		if (!left)
			break;
		struct pollfd pfd = {p->ctl, POLLIN, 0};
		if (poll(&pfd, 1, 1000) < 0 && errno != EINTR) {
			(void)err;
			supervisor_lost(p);
		}
	}
	for (size_t i = 0; i < p->n; i++) {
		struct external_proc_result r;
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
	close_fd(&p->ctl); /* the supervisor sees the end, and exits */
	while (waitpid(p->supervisor, NULL, 0) < 0 && errno == EINTR)
		;
	free(p->procs);
	sigaction(SIGPIPE, &p->old_pipe, NULL);
	free(p);
}
