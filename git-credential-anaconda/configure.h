/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * configure.h - `configure` / `unconfigure`: write or remove host-scoped
 * git config so git asks only this helper for the domain and --host hosts.
 */
#ifndef GCA_CONFIGURE_H
#define GCA_CONFIGURE_H

#include <stddef.h>

#include "anaconda_auth.h"

typedef struct gca_configure_opts {
	const char *scope;   /* "--global" (default), "--system" or "--file" */
	const char *file;    /* with --file */
	const char *domain;  /* configured domain (host[:port]) */
	const char *const *hosts; /* --host names, NULL-terminated, or NULL */
	const char *git;     /* git program; NULL = "git" from PATH */
	const char *helper;  /* the helper command written: an absolute path,
				or NULL for the name "anaconda" */
} gca_configure_opts;

/*
 * The URLs we configure, NULL-terminated, malloc'd (aa_strv_free):
 * "https://<domain>", then "https://<host>" for each of hosts (may be
 * NULL) not already in the list. Exact hosts only: no wildcards.
 */
char **gca_configure_urls(const char *domain, const char *const *hosts);

/*
 * The wider URLs earlier versions configured, which configure and
 * unconfigure remove: "https://" "*.<domain>" and, for anaconda.cloud,
 * anaconda.com and anaconda.org, the host and its "*." wildcard (except
 * the domain itself, which is a current entry).
 */
char **gca_configure_legacy_urls(const char *domain);

/*
 * The helper value written after the reset line: "<helper> --domain D",
 * so git finds the right key whatever its environment, plus
 * " --host H" for a --host's entry (host non-NULL). helper is an absolute
 * path or NULL for the name "anaconda".
 */
char *gca_configure_helper_value(const char *helper, const char *domain,
				 const char *host);

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

/*
 * 1 when path (a program's real path) lies in a build tree of this project:
 * the directory above its bin/ holds the Makefile's paths.stamp. `make
 * clean` would remove it from under git's configuration.
 */
int gca_configure_in_build_tree(const char *path);

/* Run git config for every URL. AA_OK or AA_ERR_GENERIC with a message. */
aa_status gca_configure(const gca_configure_opts *o, aa_error *err);
aa_status gca_unconfigure(const gca_configure_opts *o, aa_error *err);

#endif /* GCA_CONFIGURE_H */
