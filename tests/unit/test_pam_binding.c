/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pam_binding.c - who may authenticate as whom: usermap lines, match=username's limits, elevation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_binding.h"

#define ALICE_ID "5f0c8a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6"
#define ROOT_ID "00000000-1111-2222-3333-444444444444"

static const pa_uid_range ordinary = { 1000, 60000 };

static struct passwd user(const char *name, uid_t uid)
{
	struct passwd pw;

	memset(&pw, 0, sizeof(pw));
	pw.pw_name = (char *)name;
	pw.pw_uid = uid;
	return pw;
}

static pa_options opts(pa_match match)
{
	pa_options o;

	memset(&o, 0, sizeof(o));
	o.match = match;
	return o;
}

static void test_no_binding_binds_nobody(void **state)
{
	pa_options o = opts(PA_MATCH_NONE);
	struct passwd alice = user("alice", 1001), root = user("root", 0);

	(void)state;
	assert_false(pa_account_bound(&o, NULL, &alice, ALICE_ID, "alice", ordinary));
	assert_false(pa_account_bound(&o, NULL, &root, ROOT_ID, "root", ordinary));
}

static void test_match_username_is_for_ordinary_accounts_only(void **state)
{
	pa_options o = opts(PA_MATCH_USERNAME);
	struct passwd alice = user("alice", 1001), root = user("root", 0),
		      daemon_ = user("daemon", 1), nobody = user("nobody", 65534),
		      low = user("svc", 999);

	(void)state;
	assert_true(pa_account_bound(&o, NULL, &alice, ALICE_ID, "alice", ordinary));
	assert_false(pa_account_bound(&o, NULL, &alice, ALICE_ID, "Alice", ordinary));
	assert_false(pa_account_bound(&o, NULL, &alice, ALICE_ID, NULL, ordinary));
	/* anyone can register "root", "daemon", "nobody" */
	assert_false(pa_account_bound(&o, NULL, &root, ROOT_ID, "root", ordinary));
	assert_false(pa_account_bound(&o, NULL, &daemon_, ROOT_ID, "daemon", ordinary));
	assert_false(pa_account_bound(&o, NULL, &nobody, ROOT_ID, "nobody", ordinary));
	assert_false(pa_account_bound(&o, NULL, &low, ROOT_ID, "svc", ordinary));
}

static void test_usermap_lines_name_root_explicitly(void **state)
{
	pa_options o = opts(PA_MATCH_NONE);
	struct passwd alice = user("alice", 1001), root = user("root", 0);
	const char *map = ROOT_ID " root\n" ALICE_ID " alice\n";

	(void)state;
	assert_true(pa_account_bound(&o, map, &root, ROOT_ID, "someone", ordinary));
	assert_true(pa_account_bound(&o, map, &alice, ALICE_ID, "x", ordinary));
	assert_false(pa_account_bound(&o, map, &root, ALICE_ID, "root", ordinary));
	/* with match=username too: the map still does not give alice's
	 * account to root, and the name rule still not root */
	o.match = PA_MATCH_USERNAME;
	assert_false(pa_account_bound(&o, map, &root, ALICE_ID, "root", ordinary));
}

static void test_uid_range_from_login_defs(void **state)
{
	char path[] = "/tmp/aa-login-defs-XXXXXX";
	int fd = mkstemp(path);
	pa_uid_range r;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# UID_MIN 5\nUID_MIN\t\t 2000\nUID_MAXIMUM 7\n  UID_MAX 30000\n", f);
	fclose(f);
	r = pa_uid_range_read(path);
	assert_int_equal(r.min, 2000);
	assert_int_equal(r.max, 30000);
	f = fopen(path, "w");
	fputs("UID_MIN 0\nUID_MAX x\n", f);
	fclose(f);
	r = pa_uid_range_read(path);
	assert_int_equal(r.min, 1000); /* 0 would make root ordinary */
	assert_int_equal(r.max, 60000);
	unlink(path);
	r = pa_uid_range_read(path);
	assert_int_equal(r.min, 1000);
}

static void test_elevation(void **state)
{
	struct passwd alice = user("alice", 1001);

	(void)state;
	/* sudo, su, polkit-agent-helper-1: a set-id host, whoever is named */
	assert_true(pa_host_is_setid(1001, 0));
	assert_true(pa_host_is_setid(0, 1001));
	assert_false(pa_host_is_setid(0, 0));
	assert_false(pa_host_is_setid(1001, 1001));
	/* PAM_RUSER names another requester */
	assert_true(pa_requester_is_other("bob", 1002, 0, "alice"));
	assert_true(pa_requester_is_other("bob", (uid_t)-1, 0, "alice"));
	assert_false(pa_requester_is_other("alice", 1001, 0, "alice"));
	assert_false(pa_requester_is_other(NULL, (uid_t)-1, 1002, "alice"));
	assert_false(pa_requester_is_other("", (uid_t)-1, 1002, "alice"));
	/* "root asks" is believed from a root host only */
	assert_false(pa_requester_is_other("root", 0, 0, "alice"));
	assert_true(pa_requester_is_other("root", 0, 1002, "alice"));
	/* sshd/login as root: nobody else asks */
	assert_false(pa_caller_is_other(0, &alice));
	assert_false(pa_caller_is_other(0, NULL));
	/* a host run by bob, or a screen locker of alice */
	assert_true(pa_caller_is_other(1002, &alice));
	assert_true(pa_caller_is_other(1002, NULL));
	assert_false(pa_caller_is_other(1001, &alice));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_binding_binds_nobody),
		cmocka_unit_test(test_match_username_is_for_ordinary_accounts_only),
		cmocka_unit_test(test_usermap_lines_name_root_explicitly),
		cmocka_unit_test(test_uid_range_from_login_defs),
		cmocka_unit_test(test_elevation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
