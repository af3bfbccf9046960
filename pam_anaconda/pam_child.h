/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_child.h - run the pam_anaconda_verify helper from inside a PAM host:
 * fork + execve with a clean environment and dropped credentials, the
 * request on a pipe to its stdin and the reply on another pipe from its
 * stdout, a hard deadline, and the host's SIGCHLD disposition restored
 * afterwards.
 */
#ifndef PAM_CHILD_H
#define PAM_CHILD_H

#include <stddef.h>
#include <sys/types.h>

typedef enum pa_child_status {
	PA_CHILD_OK = 0,       /* ran to the end; *exit_code and out are valid */
	PA_CHILD_TIMEOUT,      /* deadline passed; the child was killed         */
	PA_CHILD_SPAWN_FAILED, /* pipe/fork failed, or no exec                  */
	PA_CHILD_DIED,         /* killed by a signal / could not drop privileges */
} pa_child_status;

typedef struct pa_child {
	const char *path;          /* absolute path of the program           */
	const char *const *argv;   /* argv[0] included, NULL-terminated      */
	const char *const *envp;   /* the whole environment, NULL-terminated */
	int drop;                  /* 1: switch to uid/gid/groups (root only) */
	uid_t uid;
	gid_t gid;
	const gid_t *groups;       /* supplementary groups (may be NULL)     */
	size_t n_groups;
	const char *input;         /* the child's whole stdin, then EOF; it is
				      in the pipe before the child exists, so
				      it must fit the pipe (64 KiB)         */
	size_t input_len;
	long timeout_ms;           /* total: spawn, input, output, exit      */
} pa_child;

/* Exit codes the child uses before the program runs. */
#define PA_CHILD_EXIT_NOPRIV 126 /* could not drop privileges */
#define PA_CHILD_EXIT_NOEXEC 127 /* execve failed              */

/*
 * Run it. `out` receives the first out_len-1 bytes of the child's stdout,
 * NUL-terminated, and *out_total (if not NULL) how many bytes it wrote in
 * all, so a caller can tell an exact answer from one with more after it;
 * `why` a sentence for syslog when the status is not OK.
 */
pa_child_status pa_child_run(const pa_child *c, char *out, size_t out_len,
			     size_t *out_total, int *exit_code, char *why,
			     size_t why_len);

#endif /* PAM_CHILD_H */
