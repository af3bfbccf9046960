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
} gca_configure_opts;

/*
 * The URL patterns we configure, NULL-terminated, malloc'd (aa_strv_free):
 * "https://<domain>" and "https://" "*.<domain>" for the domain, then the
 * same for each Anaconda family unless narrow. git matches `*` to one label.
 */
char **gca_configure_urls(const char *domain, int narrow);

/*
 * The helper value written after the reset line: "anaconda --domain D" for
 * the domain's own entries (own != 0), so git finds the right key whatever
 * its environment; plain "anaconda" for the Anaconda families.
 */
char *gca_configure_helper_value(const char *domain, int own);

/* Run git config for every URL. AA_OK or AA_ERR_GENERIC with a message. */
aa_status gca_configure(const gca_configure_opts *o, aa_error *err);
aa_status gca_unconfigure(const gca_configure_opts *o, aa_error *err);

#endif /* GCA_CONFIGURE_H */
