/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_secrets.c - settings from a secrets directory (Docker/Kubernetes
 * secrets): $ANACONDA_SECRETS_DIR, default /run/secrets, one file per
 * setting named as its variable in lower case (any case matches).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_engine.h"

#define SECRETS_DEFAULT_DIR "/run/secrets"
#define SECRET_MAX_BYTES (64u * 1024u)

void cfg_values_free(struct cfg_values *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < CFG_MAX_SETTINGS; i++) {
		for (size_t j = 0; j < CFG_MAX_NAMES; j++) {
			aa_free_secret_str(v->v[i][j].value);
			free(v->v[i][j].origin);
		}
	}
	free(v);
}

/* Trim whitespace at both ends in place (a file ends with a newline). */
static char *trim(char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * Read one secret file (symlinks followed: Kubernetes mounts them so).
 * *value NULL with a notice when it is not a regular file, too large,
 * writable by anyone, or holds a NUL byte.
 */
static aa_status read_secret(aa_config *cfg, int dfd, const char *name,
			     const char *path, char **value, aa_error *err)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	const char *why = NULL;
	struct stat st;
	char *text = NULL;
	size_t len = 0;

	*value = NULL;
	if (fd < 0)
		why = strerror(errno);
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		why = "it is not a regular file";
	else if (st.st_mode & S_IWOTH)
		why = "any user can write it";
	else if (aa_read_fd(fd, SECRET_MAX_BYTES, &text, &len) != 0)
		why = errno == EFBIG ? "it is larger than 64 KiB" : strerror(errno);
	else if (memchr(text, '\0', len))
		why = "it holds a NUL byte";
	if (fd >= 0)
		close(fd);
	if (why) {
		if (text) {
			aa_memzero(text, len);
			free(text);
		}
		return cfg_notice(cfg, err, "ignoring %s: %s", path, why);
	}
	*value = strdup(trim(text, len));
	aa_memzero(text, len);
	free(text);
	return *value ? AA_OK : aa_fail(err, AA_ERR_NOMEM, "out of memory");
}

/* "ANACONDA_AUTH_API_KEY" for "anaconda_auth_api_key" (pydantic: any case). */
static void upper(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; in[n] && n + 1 < size; n++)
		out[n] = (char)toupper((unsigned char)in[n]);
	out[n] = '\0';
}

/* Whether a name spelt all in lower case, as 0.15 names the files. */
static int lower_case(const char *s)
{
	for (; *s; s++) {
		if (isupper((unsigned char)*s))
			return 0;
	}
	return 1;
}

static aa_status take_entry(aa_config *cfg, struct cfg_values *sv, int dfd,
			    const char *dir, const char *name, aa_error *err)
{
	char var[96], *path, *value = NULL, where[512];
	struct cfg_value *slot;
	size_t gen = 0;
	aa_status rc;
	int i;

	upper(name, var, sizeof(var));
	i = cfg_find_env(var, &gen);
	if (i < 0) {
		size_t prefix = strncmp(var, "ANACONDA_AUTH_", 14) == 0 ? 14 :
				strncmp(var, "ANACONDA_CLOUD_", 15) == 0 ? 15 : 0;

		if (!prefix || cfg_known_elsewhere(var + prefix))
			return AA_OK; /* another tool's secret, or a field we do not use */
		snprintf(where, sizeof(where), "%s/", dir);
		return cfg_warn_unknown(cfg, where, name, err);
	}
	slot = &sv->v[i][gen];
	/* Two spellings of one name: the lower-case one, as 0.15 writes it, wins. */
	if (slot->value && !lower_case(name))
		return AA_OK;
	path = aa_asprintf("%s/%s", dir, name);
	if (!path)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	rc = read_secret(cfg, dfd, name, path, &value, err);
	if (rc != AA_OK || !value || !*value) {
		aa_free_secret_str(value);
		free(path);
		return rc;
	}
	aa_free_secret_str(slot->value);
	free(slot->origin);
	slot->value = value;
	slot->origin = path;
	return AA_OK;
}

aa_status cfg_read_secrets(aa_config *cfg, struct aa_config_state *st, aa_error *err)
{
	const char *dir = secure_getenv("ANACONDA_SECRETS_DIR");
	struct cfg_values *sv;
	struct dirent *de;
	aa_status rc = AA_OK;
	DIR *d;
	int dfd;

	if (!dir || !*dir)
		dir = SECRETS_DEFAULT_DIR;
	/* Used only when it is there, as 0.15: one failed open otherwise. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return AA_OK;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return AA_OK;
	}
	sv = calloc(1, sizeof(*sv));
	st->secrets = sv;
	if (!sv) {
		closedir(d);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	while (rc == AA_OK && (de = readdir(d)) != NULL) {
		if (strncasecmp(de->d_name, "anaconda_", 9) == 0)
			rc = take_entry(cfg, sv, dirfd(d), dir, de->d_name, err);
	}
	closedir(d);
	return rc;
}
