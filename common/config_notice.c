/* SPDX-License-Identifier: BSD-3-Clause */
/* config_notice.c - lines for the person gathered while settings load. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "config_struct.h"
#include "config_engine.h"

/* Add one line to cfg->notices (shown by the program, never a secret). */
aa_status cfg_notice(aa_config *cfg, aa_error *err, const char *fmt, ...)
{
	char *line = NULL, *joined;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	/* names quoted from a cloned repository's .env or a secrets file name */
	aa_text_safe_inplace(line, 0);
	joined = cfg->notices ? aa_asprintf("%s\n%s", cfg->notices, line) : line;
	if (joined != line)
		free(line);
	if (!joined)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	free(cfg->notices);
	cfg->notices = joined;
	return AA_OK;
}
