/*
 * check_sigv4.c: src/sigv4.c against AWS's published vectors: the SigV4
 * test suite (get-vanilla, get-vanilla-query-order-key-case, post-vanilla,
 * with credentials AKIDEXAMPLE), the IAM guide's signing-key walkthrough,
 * and the S3 API reference's examples for examplebucket (GET object with a
 * Range header; presigned URL for test.txt). Expected strings are copied
 * from those documents, not produced by this code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "sigv4.h"

#define EMPTY SIGV4_EMPTY_SHA256

static const struct sigv4_cred suite_cred = {
	"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service"
};
static const struct sigv4_cred s3_cred = {
	"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"
};

/* ---- header signing: canonical request, string to sign, Authorization */

struct sign_row {
	const char *name;
	const struct sigv4_cred *cred;
	const char *method, *path, *query;   /* query as sent, unsorted */
	struct sigv4_header headers[5];      /* ends at a NULL name */
	const char *payload_hash, *amz_date;
	const char *canonical, *string_to_sign, *authz;
};

static const struct sign_row sign_rows[] = {
	{ "get-vanilla signs as the AWS test suite states", &suite_cred,
	  "GET", "/", "",
	  { { "host", "example.amazonaws.com" }, { "x-amz-date", "20150830T123600Z" } },
	  EMPTY, "20150830T123600Z",
	  "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
	  "host;x-amz-date\n" EMPTY,
	  "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
	  "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
	  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
	  "SignedHeaders=host;x-amz-date, "
	  "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
	{ "get-vanilla-query-order-key-case sorts the query by name before signing", &suite_cred,
	  "GET", "/", "Param2=value2&Param1=value1",
	  { { "host", "example.amazonaws.com" }, { "x-amz-date", "20150830T123600Z" } },
	  EMPTY, "20150830T123600Z",
	  "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
	  "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY,
	  "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
	  "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
	  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
	  "SignedHeaders=host;x-amz-date, "
	  "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
	{ "post-vanilla signs the method into the canonical request", &suite_cred,
	  "POST", "/", "",
	  { { "host", "example.amazonaws.com" }, { "x-amz-date", "20150830T123600Z" } },
	  EMPTY, "20150830T123600Z",
	  "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
	  "host;x-amz-date\n" EMPTY,
	  "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
	  "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
	  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
	  "SignedHeaders=host;x-amz-date, "
	  "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
	/* The S3 document prints the header with "," between parts; the
	 * suite's ", " is equally valid and what we send. */
	{ "the S3 GET object example with a Range header signs as the S3 docs state", &s3_cred,
	  "GET", "/test.txt", "",
	  { { "host", "examplebucket.s3.amazonaws.com" }, { "range", "bytes=0-9" },
	    { "x-amz-content-sha256", EMPTY }, { "x-amz-date", "20130524T000000Z" } },
	  EMPTY, "20130524T000000Z",
	  "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
	  "x-amz-content-sha256:" EMPTY "\nx-amz-date:20130524T000000Z\n\n"
	  "host;range;x-amz-content-sha256;x-amz-date\n" EMPTY,
	  "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
	  "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
	  "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
	  "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
	  "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41" },
};

static size_t
count_headers(const struct sign_row *r)
{
	size_t n = 0;

	while (n < 5 && r->headers[n].name != NULL)
		n++;
	return n;
}

START_TEST(test_sign_rows)
{
	const struct sign_row *r = &sign_rows[_i];
	char query[256], canonical[SIGV4_MAX_CANONICAL], sts[512], authz[512];
	struct sigv4_request rq = { r->method, r->path, query, r->headers, count_headers(r),
	    r->payload_hash, r->amz_date };

	ck_assert_msg(sigv4_sort_query(r->query, query, sizeof(query)) == 0, "%s", r->name);
	ck_assert_msg(sigv4_canonical_request(&rq, canonical, sizeof(canonical)) == 0, "%s", r->name);
	ck_assert_msg(strcmp(canonical, r->canonical) == 0, "%s: canonical request\n%s", r->name, canonical);
	ck_assert_msg(sigv4_string_to_sign(r->amz_date, r->cred, canonical, sts, sizeof(sts)) == 0, "%s", r->name);
	ck_assert_msg(strcmp(sts, r->string_to_sign) == 0, "%s: string to sign\n%s", r->name, sts);
	ck_assert_msg(sigv4_sign_header(&rq, r->cred, authz, sizeof(authz)) == 0, "%s", r->name);
	ck_assert_msg(strcmp(authz, r->authz) == 0, "%s: authorization\n%s", r->name, authz);
}
END_TEST

/* ---- the signing key and signature steps on their own */

START_TEST(test_signing_key_matches_the_iam_walkthrough)
{
	/* IAM user guide: secret as in the suite, 20150830, us-east-1, iam */
	const struct sigv4_cred iam = { "AKIDEXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "iam" };
	unsigned char key[SIGV4_KEY_LEN];
	char hex[SIGV4_SHA256_HEX + 1], sig[SIGV4_SHA256_HEX + 1];
	size_t i;

	ck_assert_int_eq(sigv4_signing_key(&iam, "20150830T123600Z", key), 0);
	for (i = 0; i < sizeof(key); i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	ck_assert_str_eq(hex, "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
	ck_assert_int_eq(sigv4_signature(key,
	    "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
	    "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59", sig), 0);
	ck_assert_str_eq(sig, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}
END_TEST

/* ---- presigned URL: the S3 API reference's example */

START_TEST(test_presigned_get_matches_the_s3_example)
{
	char query[1024];

	ck_assert_int_eq(sigv4_presign_query("GET", "/test.txt", "examplebucket.s3.amazonaws.com",
	    "20130524T000000Z", 86400, &s3_cred, query, sizeof(query)), 0);
	ck_assert_str_eq(query,
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256"
	    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
	    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
	    "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}
END_TEST

/* A presigned upload that signs more headers than host: the canonical
 * request is written out here by hand (SigV4 query auth: the signed
 * header names in X-Amz-SignedHeaders, each header in the canonical
 * headers block), and the signature is what the published steps give
 * for it (the steps are checked against the AWS vectors above). */
START_TEST(test_presigned_put_signs_its_length_type_and_condition)
{
	static const char canonical[] =
	    "PUT\n/test.mp3\n"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256"
	    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
	    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=300"
	    "&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bif-none-match\n"
	    "content-length:1000\ncontent-type:audio/mpeg\n"
	    "host:examplebucket.s3.amazonaws.com\nif-none-match:*\n\n"
	    "content-length;content-type;host;if-none-match\nUNSIGNED-PAYLOAD";
	const struct sigv4_header h[] = {
		{ "content-length", "1000" }, { "content-type", "audio/mpeg" },
		{ "host", "examplebucket.s3.amazonaws.com" }, { "if-none-match", "*" },
	};
	const struct sigv4_header unsorted[] = { { "host", "h" }, { "content-type", "audio/mpeg" } };
	const struct sigv4_header no_host[] = { { "content-type", "audio/mpeg" } };
	char query[1024], sts[512], sig[SIGV4_SHA256_HEX + 1], want[1200];
	unsigned char key[SIGV4_KEY_LEN];

	ck_assert_int_eq(sigv4_presign_query_headers("PUT", "/test.mp3", h, 4, "20130524T000000Z", 300,
	    &s3_cred, query, sizeof(query)), 0);
	ck_assert_int_eq(sigv4_string_to_sign("20130524T000000Z", &s3_cred, canonical, sts, sizeof(sts)), 0);
	ck_assert_int_eq(sigv4_signing_key(&s3_cred, "20130524T000000Z", key), 0);
	ck_assert_int_eq(sigv4_signature(key, sts, sig), 0);
	snprintf(want, sizeof(want), "%.*s&X-Amz-Signature=%s",
	    (int)(strchr(canonical + 14, '\n') - (canonical + 14)), canonical + 14, sig);
	ck_assert_str_eq(query, want);
	/* the names must be in byte order, and host among them */
	ck_assert_int_eq(sigv4_presign_query_headers("PUT", "/t", unsorted, 2, "20130524T000000Z", 300,
	    &s3_cred, query, sizeof(query)), -1);
	ck_assert_int_eq(sigv4_presign_query_headers("PUT", "/t", no_host, 1, "20130524T000000Z", 300,
	    &s3_cred, query, sizeof(query)), -1);
	ck_assert_str_eq(query, "");
}
END_TEST

START_TEST(test_presign_refuses_what_sigv4_does_not_allow)
{
	char query[1024], small[64];

	ck_assert_int_eq(sigv4_presign_query("GET", "/test.txt", "h", "20130524T000000Z",
	    0, &s3_cred, query, sizeof(query)), -1);
	ck_assert_int_eq(sigv4_presign_query("GET", "/test.txt", "h", "20130524T000000Z",
	    SIGV4_MAX_EXPIRES_S + 1, &s3_cred, query, sizeof(query)), -1);
	ck_assert_int_eq(sigv4_presign_query("GET", "/test.txt", "h", "2013-05-24",
	    60, &s3_cred, query, sizeof(query)), -1);
	ck_assert_int_eq(sigv4_presign_query("GET", "/test.txt", "h", "20130524T000000Z",
	    60, &s3_cred, small, sizeof(small)), -1);
	ck_assert_str_eq(small, "");
}
END_TEST

/* ---- encoding and sorting */

struct enc_row {
	const char *name, *in;
	int keep_slash;
	const char *out;
};

static const struct enc_row enc_rows[] = {
	{ "unreserved characters stay as they are", "-._~09AZaz", 0, "-._~09AZaz" },
	{ "a space becomes %20, never +", "a b", 0, "a%20b" },
	{ "a slash stays in a path", "/bucket/a b/c.mp3", 1, "/bucket/a%20b/c.mp3" },
	{ "a slash is encoded in a query value", "AK/2013/s3", 0, "AK%2F2013%2Fs3" },
	{ "reserved characters use upper-case hex", "+=&:", 1, "%2B%3D%26%3A" },
	{ "UTF-8 is encoded byte by byte", "\xe1\x88\xb4", 0, "%E1%88%B4" },
	{ "the empty string stays empty", "", 0, "" },
};

START_TEST(test_enc_rows)
{
	const struct enc_row *r = &enc_rows[_i];
	char out[128];

	ck_assert_msg(sigv4_uri_encode(r->in, r->keep_slash, out, sizeof(out)) == 0, "%s", r->name);
	ck_assert_msg(strcmp(out, r->out) == 0, "%s: got %s", r->name, out);
}
END_TEST

struct sort_row {
	const char *name, *in, *out;
};

static const struct sort_row sort_rows[] = {
	{ "parameters are sorted by name", "list-type=2&continuation-token=x",
	  "continuation-token=x&list-type=2" },
	{ "upper case sorts before lower case (byte order)", "b=1&B=2&a=3", "B=2&a=3&b=1" },
	{ "equal names are sorted by value", "a=2&a=1", "a=1&a=2" },
	{ "a name sorts before a longer name it prefixes", "a-b=1&a=2", "a=2&a-b=1" },
	{ "empty pairs are dropped", "&b=1&&a=", "a=&b=1" },
	{ "an empty query stays empty", "", "" },
};

START_TEST(test_sort_rows)
{
	const struct sort_row *r = &sort_rows[_i];
	char out[128];

	ck_assert_msg(sigv4_sort_query(r->in, out, sizeof(out)) == 0, "%s", r->name);
	ck_assert_msg(strcmp(out, r->out) == 0, "%s: got %s", r->name, out);
}
END_TEST

/* ---- what the signer refuses */

START_TEST(test_unsorted_or_upper_case_headers_are_refused)
{
	const struct sigv4_header unsorted[] = { { "x-amz-date", "20150830T123600Z" }, { "host", "h" } };
	const struct sigv4_header upper[] = { { "Host", "h" }, { "x-amz-date", "20150830T123600Z" } };
	const struct sigv4_header twice[] = { { "host", "h" }, { "host", "h" } };
	struct sigv4_request rq = { "GET", "/", "", unsorted, 2, EMPTY, "20150830T123600Z" };
	char out[1024];

	ck_assert_int_eq(sigv4_sign_header(&rq, &suite_cred, out, sizeof(out)), -1);
	rq.headers = upper;
	ck_assert_int_eq(sigv4_sign_header(&rq, &suite_cred, out, sizeof(out)), -1);
	rq.headers = twice;
	ck_assert_int_eq(sigv4_sign_header(&rq, &suite_cred, out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_outputs_that_do_not_fit_are_refused)
{
	const struct sigv4_header h[] = { { "host", "example.amazonaws.com" },
	    { "x-amz-date", "20150830T123600Z" } };
	struct sigv4_request rq = { "GET", "/", "", h, 2, EMPTY, "20150830T123600Z" };
	char out[32];

	ck_assert_int_eq(sigv4_canonical_request(&rq, out, sizeof(out)), -1);
	ck_assert_int_eq(sigv4_sign_header(&rq, &suite_cred, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(sigv4_uri_encode("a b c d e f g h i j", 0, out, 8), -1);
	ck_assert_int_eq(sigv4_sort_query("b=1&a=2", out, 4), -1);
}
END_TEST

START_TEST(test_header_values_are_trimmed_and_squeezed)
{
	const struct sigv4_header h[] = { { "host", "example.amazonaws.com" },
	    { "my-header2", "  \"a   b   c\"  " }, { "x-amz-date", "20150830T123600Z" } };
	struct sigv4_request rq = { "GET", "/", "", h, 3, EMPTY, "20150830T123600Z" };
	char out[1024];

	ck_assert_int_eq(sigv4_canonical_request(&rq, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "\nmy-header2:\"a b c\"\n"));
}
END_TEST

START_TEST(test_amz_date_is_iso8601_basic_utc)
{
	char d[SIGV4_AMZ_DATE_LEN + 1];

	ck_assert_int_eq(sigv4_amz_date((time_t)1440938160, d), 0);
	ck_assert_str_eq(d, "20150830T123600Z");
	ck_assert_int_eq(sigv4_amz_date((time_t)1369353600, d), 0);
	ck_assert_str_eq(d, "20130524T000000Z");
}
END_TEST

static Suite *
sigv4_suite(void)
{
	Suite *s = suite_create("sigv4");
	TCase *tc = tcase_create("vectors");

	tcase_add_loop_test(tc, test_sign_rows, 0, sizeof(sign_rows) / sizeof(sign_rows[0]));
	tcase_add_test(tc, test_signing_key_matches_the_iam_walkthrough);
	tcase_add_test(tc, test_presigned_get_matches_the_s3_example);
	tcase_add_test(tc, test_presigned_put_signs_its_length_type_and_condition);
	tcase_add_test(tc, test_presign_refuses_what_sigv4_does_not_allow);
	tcase_add_loop_test(tc, test_enc_rows, 0, sizeof(enc_rows) / sizeof(enc_rows[0]));
	tcase_add_loop_test(tc, test_sort_rows, 0, sizeof(sort_rows) / sizeof(sort_rows[0]));
	tcase_add_test(tc, test_unsorted_or_upper_case_headers_are_refused);
	tcase_add_test(tc, test_outputs_that_do_not_fit_are_refused);
	tcase_add_test(tc, test_header_values_are_trimmed_and_squeezed);
	tcase_add_test(tc, test_amz_date_is_iso8601_basic_utc);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(sigv4_suite());
}
