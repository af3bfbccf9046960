/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * binstar.h - conda's legacy token files (<config>/binstar/<quote_plus(url)>.token),
 * for conda versions without auth-handler plugins and as the last fallback of `get`.
 */
#ifndef CONDA_BINSTAR_H
#define CONDA_BINSTAR_H

#include "anaconda_auth.h"

/* $BINSTAR_CONFIG_DIR/data, else $XDG_CONFIG_HOME/binstar, else ~/.config/binstar. malloc'd. */
char *ch_binstar_dir(void);

/* The file a token for url is kept in. malloc'd. */
char *ch_binstar_token_path(const char *dir, const char *url);

/*
 * The token stored for a URL whose host[:port] is hostport (the
 * lexicographically first file when several match). AA_ERR_NOT_FOUND.
 */
aa_status ch_binstar_find_token(const char *dir, const char *hostport, aa_secret **out,
			     char **url_out, aa_error *err);

aa_status ch_binstar_write_token(const char *dir, const char *url, const char *token,
			      aa_error *err);
aa_status ch_binstar_remove_token(const char *dir, const char *url, aa_error *err);

#endif /* CONDA_BINSTAR_H */
