/* SPDX-License-Identifier: BSD-3-Clause */
/* test_keyring_secret.c - the Secret Service module without a Secret Service: ABI, no-bus refusal, timeouts, and migrate's refusals (the real service is tested in tests/integration/test_secret_service.py). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config_struct.h"
#include "keyring_backend.h"

#define KEYRING_TEXT \
	"{\"Anaconda Cloud\": {\"anaconda.cloud\": \"eyJhcGlfa2V5IjoiayJ9\"}}"

static char module[PATH_MAX];
static char tmpl[64];
static char *root;
static char kpath[PATH_MAX];

/* The module next to this test in the build tree: <B>/tests/x -> <B>/lib/. */
static int find_module(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(module, sizeof(module), "%.*s/../lib/%s", PATH_MAX - 64, exe,
			     AA_SECRET_MODULE_NAME) >= sizeof(module))
		return -1;
	return access(module, R_OK);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpl, sizeof(tmpl), "/tmp/aa-secret-XXXXXX");
	root = mkdtemp(tmpl);
	if (!root)
		return -1;
	snprintf(kpath, sizeof(kpath), "%s/keyring", root);
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("ANACONDA_AUTH_SECRET_TIMEOUT");
	setenv(AA_SECRET_MODULE_ENV, module, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void config_for(aa_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->storage = AA_STORAGE_SYSTEM;
	cfg->keyring_path = kpath;
}

static void write_keyring(void)
{
	int fd = open(kpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, KEYRING_TEXT, strlen(KEYRING_TEXT)),
			 (ssize_t)strlen(KEYRING_TEXT));
	close(fd);
}

static char *read_keyring(void)
{
	static char buf[4096];
	int fd = open(kpath, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

/*
 * The module must not need any libanaconda-auth symbol: a program that
 * links the library statically (like this test) exports none, so
 * RTLD_NOW would fail on the first one it referenced.
 */
static void test_module_needs_no_library_symbols(void **state)
{
	void *h;

	(void)state;
	h = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(h);
	assert_non_null(dlsym(h, AA_SECRET_BACKEND_SYMBOL));
	/* Only the entry point is exported. */
	assert_null(dlsym(h, "secret_get"));
	dlclose(h);
}

static void test_no_session_bus_is_refused_before_glib(void **state)
{
	struct aa_keyring_backend *be = NULL;
	void *handle = NULL;
	aa_config cfg;
	aa_error err;

	(void)state;
	config_for(&cfg);
	aa_error_clear(&err);
	assert_int_equal(aa_keyring_system_open(&cfg, &be, &handle, &err),
			 AA_ERR_UNSUPPORTED);
	assert_null(be);
	assert_null(handle);
	assert_non_null(strstr(err.message, "DBUS_SESSION_BUS_ADDRESS is not set"));
}

static void test_runtime_dir_without_a_bus_socket_is_no_bus(void **state)
{
	struct aa_keyring_backend *be = NULL;
	void *handle = NULL;
	char bus[PATH_MAX];
	aa_config cfg;
	aa_error err;
	int fd;

	(void)state;
	/* A regular file named "bus" is not a systemd user bus. */
	snprintf(bus, sizeof(bus), "%s/bus", root);
	fd = open(bus, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	setenv("XDG_RUNTIME_DIR", root, 1);
	config_for(&cfg);
	aa_error_clear(&err);
	assert_int_equal(aa_keyring_system_open(&cfg, &be, &handle, &err),
			 AA_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.message, "no D-Bus session bus"));
}

/* A bus address nobody listens on: connecting fails at once, within the deadline. */
static void test_dead_bus_address_fails_cleanly(void **state)
{
	struct aa_keyring_backend *be = NULL;
	void *handle = NULL;
	char addr[PATH_MAX + 32];
	aa_config cfg;
	aa_error err;
	aa_status rc;

	(void)state;
	snprintf(addr, sizeof(addr), "unix:path=%s/no-such-socket", root);
	setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
	setenv("ANACONDA_AUTH_SECRET_TIMEOUT", "2", 1);
	config_for(&cfg);
	aa_error_clear(&err);
	rc = aa_keyring_system_open(&cfg, &be, &handle, &err);
	assert_int_not_equal(rc, AA_OK);
	assert_null(be);
	assert_non_null(strstr(err.message, "cannot connect to the D-Bus session bus"));
}

static void test_file_fallback_through_the_keyring_api(void **state)
{
	aa_token_info *info = NULL;
	aa_keyring_source src;
	aa_keyring *kr = NULL;
	aa_config cfg;
	aa_error err;

	(void)state;
	write_keyring();
	config_for(&cfg);
	aa_error_clear(&err);
	assert_int_equal(aa_keyring_open(&cfg, &kr, &err), AA_OK);
	assert_string_equal(aa_keyring_backend_name(kr), "file");
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &info, &src, &err), AA_OK);
	assert_string_equal(src.backend, "file");
	aa_token_info_free(info);
	aa_keyring_close(kr);
}

static void test_migrate_without_a_bus_changes_nothing(void **state)
{
	aa_config cfg;
	aa_error err;
	int moved = -1;

	(void)state;
	write_keyring();
	config_for(&cfg);
	aa_error_clear(&err);
	assert_int_equal(aa_keyring_migrate(&cfg, "anaconda.cloud", AA_STORAGE_SYSTEM,
					    &moved, &err), AA_ERR_STORAGE);
	assert_int_equal(moved, 0);
	assert_non_null(strstr(err.message, "nothing was moved"));
	assert_string_equal(read_keyring(), KEYRING_TEXT);

	aa_error_clear(&err);
	assert_int_equal(aa_keyring_migrate(&cfg, "anaconda.cloud", AA_STORAGE_FILE,
					    NULL, &err), AA_ERR_STORAGE);
	assert_string_equal(read_keyring(), KEYRING_TEXT);
}

static void test_migrate_bad_arguments(void **state)
{
	aa_config cfg;
	aa_error err;

	(void)state;
	config_for(&cfg);
	assert_int_equal(aa_keyring_migrate(&cfg, "", AA_STORAGE_SYSTEM, NULL, &err),
			 AA_ERR_USAGE);
	assert_int_equal(aa_keyring_migrate(NULL, "d", AA_STORAGE_SYSTEM, NULL, &err),
			 AA_ERR_USAGE);
	assert_int_equal(aa_keyring_migrate(&cfg, "d", (aa_storage)7, NULL, &err),
			 AA_ERR_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_module_needs_no_library_symbols, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_session_bus_is_refused_before_glib, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runtime_dir_without_a_bus_socket_is_no_bus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_bus_address_fails_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_fallback_through_the_keyring_api, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_without_a_bus_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_bad_arguments, setup, teardown),
	};

	if (find_module() != 0) {
		printf("test_keyring_secret: %s not built; skipping\n", AA_SECRET_MODULE_NAME);
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
