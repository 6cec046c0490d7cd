/*
 * external_proc.h - running external raters' commands: input on stdin,
 * output captured, a timeout, several at once.
 *
 * A pool forks one supervisor when it is made (while this process is still
 * small): a spawn server that starts each command as /bin/sh -c COMMAND in
 * a process group of its own, reaps it, and reports its exit status over a
 * socket; the command's stdin, stdout and stderr are pipes to this process,
 * passed to the supervisor with SCM_RIGHTS. When a command ends, runs past
 * its timeout or writes too much, its whole process group is killed with
 * SIGKILL, so what it left running dies too. When this process dies, even
 * by SIGKILL, the kernel tells the supervisor (PR_SET_PDEATHSIG on Linux;
 * elsewhere it sees its socket close), which kills every command's group.
 * So no command outlives the run unless it leaves its process group on
 * purpose (setsid), and every child is reaped: no zombies.
 *
 * The command gets the document on stdin (closed once written; if the
 * command stops reading, the rest is dropped), its stdout is read up to
 * the pool's limit, and the last EXTERNAL_STDERR_TAIL bytes of its
 * stderr are kept. It inherits no descriptor but 0, 1 and 2, the
 * environment, and default signal dispositions. Everything is driven by
 * poll() from one thread; SIGPIPE is ignored while a pool exists.
 */
#ifndef ISSUEMINE_EXTERNAL_PROC_H
#define ISSUEMINE_EXTERNAL_PROC_H

#include <stddef.h>

#include "error.h"

/* How much of a command's standard error is kept: its end, where the error usually is. */
#define EXTERNAL_STDERR_TAIL 4096

/* What became of one command. */
struct external_proc_result {
	void *tag;       /* as given to external_pool_start */
	int exit_status; /* the shell's exit status, or -1 */
	int signal;      /* the signal that killed it, or 0 */
	int timed_out;   /* killed at its timeout */
	int too_long;    /* killed for writing more than the pool's out_max bytes */
	double seconds;  /* from start to end */
	char *out;       /* its standard output, NUL-terminated (owned) */
	size_t out_len;
	char *err_tail;    /* the end of its standard error, NUL-terminated (owned) */
	char problem[256]; /* when the command could not run, or vanished: why; else "" */
};

void external_proc_result_release(struct external_proc_result *r);

struct external_pool;

/* At most this many commands of a pool run at once. */
#define EXTERNAL_POOL_MAX 256

/*
 * A pool with no command running, reading at most out_max bytes of each
 * command's standard output; NULL with err set when its supervisor cannot
 * be started. Ignores SIGPIPE until it is freed.
 */
struct external_pool *external_pool_new(size_t out_max, struct error *err);

/*
 * Kills (SIGKILL, to the whole process group) and reaps every command still
 * running, passing each one's tag to free_tag (if not NULL), and frees p.
 */
void external_pool_free(struct external_pool *p, void (*free_tag)(void *tag));

/*
 * Starts /bin/sh -c command with input (len bytes; the pool takes it and
 * frees it) on its standard input, to be killed after timeout seconds.
 * -1 only when the command cannot be handed to the supervisor (pipes,
 * EXTERNAL_POOL_MAX running, a command over 64 KiB, the supervisor gone);
 * a shell that cannot start is a result with a problem.
 */
int external_pool_start(struct external_pool *p, const char *command, char *input, size_t len,
                        double timeout, void *tag, struct error *err);

/* How many commands are running. */
size_t external_pool_running(const struct external_pool *p);

/* Whether the supervisor is still there (someone may have killed it): 0 when no command can start.
 */
int external_pool_alive(const struct external_pool *p);

/*
 * Feeds input, reads output and enforces timeouts for at most wait_ms
 * milliseconds (0: only what is ready now), returning as soon as some
 * command has ended. The ended ones are appended to *done (*ndone of them;
 * the caller releases each and frees the array). -1 only on a poll error.
 */
int external_pool_wait(struct external_pool *p, int wait_ms, struct external_proc_result **done,
                       size_t *ndone, struct error *err);

/* Kills and reaps every running command now; their results are dropped, their tags passed to
 * free_tag. */
void external_pool_kill_all(struct external_pool *p, void (*free_tag)(void *tag));

#endif
