/* check_auth.c: src/auth.c: token hashing, fresh tokens, passwords. */
#include <check.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "auth.h"

START_TEST(test_token_hash_is_sha256_hex_as_bytea)
{
	char out[2 + FOCUS_TOKEN_HEX + 1];
	/* SHA-256("abc") from FIPS 180-2, appendix B.1 */
	ck_assert_int_eq(auth_token_hash("abc", 3, out), 0);
	ck_assert_str_eq(out, "\\xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(test_token_hash_ignores_hex_case)
{
	char a[2 + FOCUS_TOKEN_HEX + 1], b[2 + FOCUS_TOKEN_HEX + 1];
	ck_assert_int_eq(auth_token_hash("ABCDEF", 6, a), 0);
	ck_assert_int_eq(auth_token_hash("abcdef", 6, b), 0);
	ck_assert_str_eq(a, b);
}
END_TEST

START_TEST(test_new_tokens_are_64_hex_and_differ)
{
	char a[FOCUS_TOKEN_HEX + 1], b[FOCUS_TOKEN_HEX + 1];
	size_t i;

	ck_assert_int_eq(auth_token_new(a), 0);
	ck_assert_int_eq(auth_token_new(b), 0);
	ck_assert_uint_eq(strlen(a), 64);
	for (i = 0; i < 64; i++)
		ck_assert(strchr("0123456789abcdef", a[i]) != NULL);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_password_hash_is_argon2id_and_verifies)
{
	char enc[AUTH_ARGON2_ENCODED_MAX];

	ck_assert_int_eq(auth_password_hash("correct horse", 13, enc, sizeof(enc)), 0);
	ck_assert(strncmp(enc, "$argon2id$v=19$", 15) == 0);
	ck_assert(strstr(enc, "correct") == NULL);
	ck_assert(auth_password_ok(enc, "correct horse", 13));
	ck_assert(!auth_password_ok(enc, "correct horsf", 13));
	ck_assert(!auth_password_ok("not an encoding", "x", 1));
}
END_TEST

START_TEST(test_new_passwords_are_what_user_add_accepts)
{
	char long_pw[FOCUS_MAX_PASSWORD_LEN + 2];

	ck_assert(auth_password_acceptable("x", 1));
	ck_assert(auth_password_acceptable("correct horse battery staple", 28));
	ck_assert(!auth_password_acceptable("", 0));
	ck_assert(!auth_password_acceptable("two\nlines", 9));
	ck_assert(!auth_password_acceptable("cr\r", 3));
	ck_assert(!auth_password_acceptable("a\0b", 3));
	memset(long_pw, 'p', sizeof(long_pw));
	ck_assert(auth_password_acceptable(long_pw, FOCUS_MAX_PASSWORD_LEN));
	ck_assert(!auth_password_acceptable(long_pw, FOCUS_MAX_PASSWORD_LEN + 1));
}
END_TEST

int
main(void)
{
	Suite   *s = suite_create("auth");
	TCase   *tc = tcase_create("tokens");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_token_hash_is_sha256_hex_as_bytea);
	tcase_add_test(tc, test_token_hash_ignores_hex_case);
	tcase_add_test(tc, test_new_tokens_are_64_hex_and_differ);
	tcase_add_test(tc, test_password_hash_is_argon2id_and_verifies);
	tcase_add_test(tc, test_new_passwords_are_what_user_add_accepts);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
