/* SPDX-License-Identifier: BSD-3-Clause */
/* process.c - keep the keys a program holds out of core dumps and debuggers. */
#include <sys/prctl.h>
#include <sys/resource.h>

#include "internal.h"

/*
 * What ssh-agent does: a core limit of 0, and not dumpable, which also
 * stops other processes of the same user from attaching with ptrace or
 * reading /proc/PID/mem. Both, because a core_pattern pipe or
 * fs.suid_dumpable=2 can still collect a dump the other setting allows.
 * Programs run from here (a browser) get the limit too; exec restores
 * their dumpable flag.
 */
int aa_forbid_core_dumps(void)
{
	struct rlimit none = { 0, 0 };
	int rc = 0;

	if (setrlimit(RLIMIT_CORE, &none) != 0)
		rc = -1;
	if (prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) != 0)
		rc = -1;
	return rc;
}
