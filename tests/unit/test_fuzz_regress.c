// SPDX-License-Identifier: MIT
/*
 * test_fuzz_regress.c - every input a fuzzer found to break an invariant
 * (tests/fuzz/crashers), kept as a regression test.
 */
#include "unit.h"

#include "parse.h"

/* "0x" + more hex than fits, then garbage: the garbage is the error
 * (-EINVAL), not the overflow; as for decimals. */
static void test_key_hex_overflow_garbage(void **state)
{
	int32_t key = 7;
	struct target t;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse_key("0x123456789z", &key), -EINVAL);
	assert_int_equal(parse_key("0x123456789", &key), -ERANGE);
	assert_int_equal(key, 7);
	assert_int_equal(parse_target("0x123456789z", TARGET_ANY, &t, &why),
			 -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, "not a valid key");
}

static void test_ftok_hex_overflow_garbage(void **state)
{
	char path[64];
	int proj = 9;

	(void)state;
	assert_int_equal(parse_ftok_spec("/tmp:0x1ffz", path, sizeof(path),
					 &proj), -EINVAL);
	assert_int_equal(parse_ftok_spec("/tmp:0x1ff", path, sizeof(path),
					 &proj), -ERANGE);
	assert_int_equal(proj, 9);
	assert_int_equal(parse_ftok_spec("/tmp:0xff", path, sizeof(path),
					 &proj), 0);
	assert_int_equal(proj, 255);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_hex_overflow_garbage),
		cmocka_unit_test(test_ftok_hex_overflow_garbage),
	};

	return cmocka_run_group_tests_name("fuzz regressions", tests, NULL,
					   NULL);
}
