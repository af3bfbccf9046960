/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * token_config.h - the condarc.d drop-in `token config` writes (as Python
 * anaconda-auth 0.15 does): default_channels on the repo, channel_settings
 * routing the repo host to the `anaconda-auth` handler, and where it goes.
 */
#ifndef CONDA_TOKEN_CONFIG_H
#define CONDA_TOKEN_CONFIG_H

#include "conda_helper.h"

#define DROPIN_NAME "anaconda-auth.yml"
#define DROPIN_MAX_ARCHIVE 3

struct ch_dropin_opts {
	int system;          /* --system: $CONDA_ROOT/condarc.d            */
	int env;             /* --env: $CONDA_PREFIX/condarc.d, else --user */
	const char *file;    /* --file F: F itself, only if we wrote it    */
	const char *prefix;  /* --prefix P: P/condarc.d                    */
	const char *archive[DROPIN_MAX_ARCHIVE]; /* --include-archive-channels */
	size_t n_archive;
	int signature;       /* --enable-signature-verification            */
	int force;           /* --force, --force-config-condarc: accepted   */
};

/* The drop-in's options, for a command's option table (keys 's', 'e', 'f' and these). */
enum { DROPIN_OPT_SIGNATURE = 0x900, DROPIN_OPT_FORCE, DROPIN_OPT_PREFIX, DROPIN_OPT_ARCHIVE };
#define DROPIN_OPTS \
	{ "system", 's', FE_NONE, NULL, NULL }, \
	{ "env", 'e', FE_NONE, NULL, NULL }, \
	{ "enable-signature-verification", DROPIN_OPT_SIGNATURE, FE_NONE, NULL, NULL }, \
	{ "force", DROPIN_OPT_FORCE, FE_NONE, NULL, NULL }, \
	{ "force-config-condarc", DROPIN_OPT_FORCE, FE_NONE, NULL, NULL }, \
	{ "file", 'f', FE_VALUE, NULL, NULL }, \
	{ "prefix", DROPIN_OPT_PREFIX, FE_VALUE, NULL, NULL }, \
	{ "include-archive-channels", DROPIN_OPT_ARCHIVE, FE_VALUE, NULL, NULL }

/*
 * Apply one of DROPIN_OPTS (by its key): 1 when it was one, 0 when not,
 * -1 on a bad value (message printed).
 */
int ch_dropin_opt(struct ch_dropin_opts *o, int key, const char *value);

/* The file the options name (malloc'd), or NULL with err set. */
char *ch_dropin_path(const struct ch_dropin_opts *o, aa_error *err);

/* Write the drop-in; *path_out (malloc'd) says where. */
aa_status ch_dropin_write(const struct ch *ch, const struct ch_dropin_opts *o,
		       char **path_out, aa_error *err);

/* Remove the drop-in if we wrote it; *path_out says which file. */
aa_status ch_dropin_remove(const struct ch_dropin_opts *o, char **path_out, aa_error *err);

/* The usage lines for the location options. */
#define DROPIN_USAGE \
	"Where conda's configuration goes (a condarc.d drop-in, " DROPIN_NAME "):\n" \
	"  (default)     ~/.conda/condarc.d/\n" \
	"  --system      $CONDA_ROOT/condarc.d/ (the base installation)\n" \
	"  --env         $CONDA_PREFIX/condarc.d/ (the active environment; else the default)\n" \
	"  --prefix P    P/condarc.d/\n" \
	"  --file F      F itself (refused when F exists and was not written by us)\n"

#endif /* CONDA_TOKEN_CONFIG_H */
