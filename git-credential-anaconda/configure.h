/*
 * configure.h - `configure` / `unconfigure`: write or remove host-scoped
 * git config so git asks only this helper for the Anaconda hosts.
 */
#ifndef GCA_CONFIGURE_H
#define GCA_CONFIGURE_H

#include <stddef.h>

#include "anaconda_auth.h"

typedef struct gca_configure_opts {
	const char *scope;   /* "--global" (default), "--system" or "--file" */
	const char *file;    /* with --file */
	const char *domain;  /* configured domain (host[:port]) */
	int narrow;          /* --domain given: only that domain's entries */
	const char *git;     /* git program; NULL = "git" from PATH */
	const char *helper;  /* the helper command written: an absolute path,
				or NULL for the name "anaconda" */
} gca_configure_opts;

/*
 * The URL patterns we configure, NULL-terminated, malloc'd (aa_strv_free):
 * "https://<domain>" and "https://" "*.<domain>" for the domain, then the
 * same for each Anaconda family unless narrow. git matches `*` to one label.
 */
char **gca_configure_urls(const char *domain, int narrow);

/*
 * The helper value written after the reset line: "<helper> --domain D" for
 * the domain's own entries (own != 0), so git finds the right key whatever
 * its environment; plain "<helper>" for the Anaconda families. helper is
 * an absolute path or NULL for the name "anaconda".
 */
char *gca_configure_helper_value(const char *helper, const char *domain, int own);

/*
 * Whether git may be given `path` as the helper command: absolute, ending
 * in /git-credential-anaconda (so unconfigure recognises it) and free of
 * anything the shell git runs it through would interpret. NULL when it
 * may; else a short reason ("it contains a space").
 */
const char *gca_configure_path_problem(const char *path);

/*
 * The real path of this program (/proc/self/exe, symlinks resolved),
 * malloc'd, when gca_configure_path_problem() accepts it. Otherwise NULL
 * and *why (a malloc'd sentence fragment) says why; *why is NULL only when
 * out of memory.
 */
char *gca_configure_own_path(char **why);

/* Run git config for every URL. AA_OK or AA_ERR_GENERIC with a message. */
aa_status gca_configure(const gca_configure_opts *o, aa_error *err);
aa_status gca_unconfigure(const gca_configure_opts *o, aa_error *err);

#endif /* GCA_CONFIGURE_H */
