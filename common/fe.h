/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fe.h - the front-end kit: declarative option tables on getopt_long, the
 * setting flags every front-end shares, subcommand dispatch and "prog: ..."
 * output. cli/, git-credential-anaconda/ and conda-helper/ parse with it.
 */
#ifndef AA_FE_H
#define AA_FE_H

#include <stdarg.h>
#include <stdio.h>

#include "anaconda_auth.h"
#include "internal.h"

#define FE_NONE 0     /* the option takes no value */
#define FE_VALUE 1    /* "--x v" or "--x=v" (or "-x v", "-xv") */
#define FE_OPTIONAL 2 /* "--x" or "--x=v" */

/* Keys the kit passes to an option callback besides the table's own. */
#define FE_ARG 1 /* a positional argument (value = the argument) */

/* One option. A table ends with a zeroed entry. */
struct fe_opt {
	const char *name;    /* long name without "--"; NULL: short only */
	int key;             /* the short letter, or a number >= 256 */
	int arg;             /* FE_NONE, FE_VALUE or FE_OPTIONAL */
	const char *setting; /* non-NULL: aa_config setting this flag sets */
	const char *fixed;   /* a setting flag's value when given without one */
};

/* One front-end run: its name, settings and verbosity. */
struct fe {
	const char *prog;    /* "anaconda-auth": the prefix of every line */
	const char *version; /* printed by -V/--version */
	aa_config *cfg;      /* where setting flags go */
	int verbose;         /* -v/--verbose count */
	int no_verbose;      /* the front-end has no -v (git's helper) */
	void (*help)(FILE *out); /* the program's help, when fe_parse gets no usage */
};

/* A subcommand of a dispatch table; run gets argv[0] = its name. */
struct fe_cmd {
	const char *name;
	int (*run)(void *ctx, int argc, char **argv);
	const char *summary;
};

/* Print "  name      summary" for each command of a table. */
AA_HIDDEN void fe_list_cmds(FILE *out, const struct fe_cmd *cmds);

/*
 * Called for each option (key from the table, value or NULL) and each
 * positional argument (key FE_ARG). Returns 0 to go on, else the exit code.
 */
typedef int (*fe_opt_fn)(struct fe *fe, void *ctx, int key, const char *value);

/* The usage exit code (2), and "go on" from fe_parse. */
#define FE_EXIT_USAGE 2
#define FE_GO_ON (-1)

/*
 * Parse argv[1..] of command `cmd` (NULL: the program itself) against
 * `opts` plus the kit's own: -h/--help (prints `usage`, else fe->help),
 * -V/--version,
 * -v/--verbose and the setting flags in `settings` (may be NULL). Options
 * may stand anywhere; "--" ends them. Setting flags go to fe->cfg.
 * With stop_at_arg the first positional argument ends the options (global
 * options before a subcommand) and *next gets its index, else argc.
 * Returns FE_GO_ON, or the exit code (0 after help/version, 2 usage).
 */
AA_HIDDEN int fe_parse(struct fe *fe, const char *cmd, const char *usage,
		       const struct fe_opt *opts, const struct fe_opt *settings,
		       int argc, char **argv, fe_opt_fn fn, void *ctx,
		       int stop_at_arg, int *next);

/* The setting flags anaconda-auth and its friends share. */
AA_HIDDEN extern const struct fe_opt fe_setting_flags[];

/* Apply one setting (flag spelled `flag`) and print the notices it adds. */
AA_HIDDEN int fe_apply_setting(struct fe *fe, const char *field,
			       const char *value, const char *flag);

/* 1 when the exact word `flag` stands among the options (before "--"). */
AA_HIDDEN int fe_has_flag(int argc, char **argv, const char *flag);

/*
 * 1 when -h/--help/-V/--version stands among the leading options (before
 * the command): the settings may not be needed. A guess ("--domain -h" is
 * a value): a caller that goes on after all must load them then.
 */
AA_HIDDEN int fe_wants_help(int argc, char **argv);

/* Find `name` in a table ending with a zeroed entry; NULL if absent. */
AA_HIDDEN const struct fe_cmd *fe_find_cmd(const struct fe_cmd *cmds,
					   const char *name);

/* "prog: message" on stderr. */
AA_HIDDEN void fe_reportf(const struct fe *fe, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
AA_HIDDEN void fe_vreportf(const struct fe *fe, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The same, only with -v. */
AA_HIDDEN void fe_verbosef(const struct fe *fe, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A usage error: "prog: [cmd: ]message (see prog [cmd] --help)"; returns 2. */
AA_HIDDEN int fe_usage_error(const struct fe *fe, const char *cmd,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "prog: out of memory" on stderr; returns the exit code (1). */
AA_HIDDEN int fe_oom(const struct fe *fe);
/* Print each line of `notices` as "prog: <line>" on stderr. */
AA_HIDDEN void fe_show_notices(const struct fe *fe, const char *notices);

/*
 * The options before the command (stop at the first argument), with the
 * setting flags `settings` (may be NULL). FE_GO_ON with *first = the
 * command's index; without a command prints fe->help on stderr and
 * returns 2; else the exit code.
 */
AA_HIDDEN int fe_parse_globals(struct fe *fe, const struct fe_opt *settings,
			       int argc, char **argv, int *first);

/* For aa_http_set_warn (ctx = the program's name): "prog: line" on stderr. */
AA_HIDDEN void fe_warn_line(void *prog, const char *line);

#endif /* AA_FE_H */
