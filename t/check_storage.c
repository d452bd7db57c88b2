/*
 * check_storage.c: src/storage*.c without a network: key shapes, the
 * directory backend's round trip in a temporary directory, its signed
 * links (good, tampered, expired), and configuration errors. The S3
 * backend's transfers are exercised by the stack tests against s3rver.
 */
#define _GNU_SOURCE	/* nftw FTW_DEPTH / FTW_PHYS */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "unit.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "storage.h"

#define USER   "0b8e6f3e-5d2a-4c11-9a7e-3f0c2b1d4e5f"
#define OBJ    "7c9e6679-7425-40de-944b-e07fc1f90ae7"
#define KEY    USER "/audio/" OBJ ".mp3"
#define SECRET "test-link-secret-0123456789"
#define ORIGIN "http://127.0.0.1:8080"

/* ---- key shapes */

struct key_row {
	const char *name, *key;
	int valid;
};

static const struct key_row key_rows[] = {
	{ "a user's audio key is accepted", KEY, 1 },
	{ "an eight-letter extension is accepted", USER "/audio/" OBJ ".abcdefgh", 1 },
	{ "a digit in the extension is accepted", USER "/audio/" OBJ ".mp4", 1 },
	{ "a nine-letter extension is refused", USER "/audio/" OBJ ".abcdefghi", 0 },
	{ "a missing extension is refused", USER "/audio/" OBJ, 0 },
	{ "an empty extension is refused", USER "/audio/" OBJ ".", 0 },
	{ "a leading slash is refused", "/" KEY, 0 },
	{ "a dot-dot segment is refused", USER "/audio/../" OBJ ".mp3", 0 },
	{ "a dot-dot in place of the user is refused",
	  "..3e-5d2a-4c11-9a7e-3f0c2b1d4e5f/audio/" OBJ ".mp3", 0 },
	{ "upper-case hex in a UUID is refused",
	  "0B8E6F3E-5d2a-4c11-9a7e-3f0c2b1d4e5f/audio/" OBJ ".mp3", 0 },
	{ "an upper-case extension is refused", USER "/audio/" OBJ ".MP3", 0 },
	{ "another folder than audio is refused", USER "/video/" OBJ ".mp3", 0 },
	{ "a UUID without dashes is refused",
	  "0b8e6f3e5d2a4c119a7e3f0c2b1d4e5f/audio/" OBJ ".mp3", 0 },
	{ "a trailing slash is refused", KEY "/", 0 },
	{ "a second extension is refused", USER "/audio/" OBJ ".mp3.sh", 0 },
	{ "a percent escape is refused", USER "/audio/" OBJ ".mp%33", 0 },
	{ "a space is refused", USER "/audio/" OBJ ".mp 3", 0 },
	{ "the empty key is refused", "", 0 },
	{ "NULL is refused", NULL, 0 },
};

START_TEST(test_key_rows)
{
	const struct key_row *r = &key_rows[_i];

	ck_assert_msg(storage_key_valid(r->key) == r->valid, "%s", r->name);
}
END_TEST

/* ---- a temporary directory backend per test (tests run forked) */

#define TMP_TEMPLATE "/tmp/check_storage.XXXXXX"
static char tmpdir[sizeof(TMP_TEMPLATE)];
static char store[sizeof(tmpdir) + 32];

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void
dir_setup(void)
{
	/* fresh each time, also when CK_FORK=no runs every test in one process */
	memcpy(tmpdir, TMP_TEMPLATE, sizeof(tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	/* two levels that do not exist yet: put must create them */
	snprintf(store, sizeof(store), "%s/var/storage", tmpdir);
	unsetenv("FOCUS_S3_BUCKET");
	setenv("FOCUS_STORAGE", "dir", 1);
	setenv("FOCUS_STORAGE_DIR", store, 1);
	setenv("FOCUS_STORAGE_SECRET", SECRET, 1);
	ck_assert_int_eq(storage_init(), 0);
	ck_assert_str_eq(storage_backend_name(), "dir");
}

static void
dir_teardown(void)
{
	storage_shutdown();
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A body in memory, handed out in small pieces like a socket would. */
struct mem {
	const char *p;
	size_t      len, pos;
	int         fail;   /* return (size_t)-1 once pos reaches len */
};

static size_t
mem_read(void *ctx, char *buf, size_t cap)
{
	struct mem *m = ctx;
	size_t n = m->len - m->pos;

	if (n == 0 && m->fail)
		return (size_t)-1;
	if (n > cap)
		n = cap;
	if (n > 7)
		n = 7;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return n;
}

struct seen {
	char      keys[4][160];
	long long sizes[4], mtimes[4];
	int       n;
};

static void
collect(void *ctx, const char *key, long long size, long long mtime)
{
	struct seen *s = ctx;

	if (s->n < 4) {
		snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
		s->sizes[s->n] = size;
		s->mtimes[s->n] = mtime;
	}
	s->n++;
}

static int
leftover_uploads(void)
{
	char path[sizeof(store) + 64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s/audio", store, USER);
	if ((dir = opendir(path)) == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL)
		if (strncmp(d->d_name, ".upload-", 8) == 0)
			n++;
	closedir(dir);
	return n;
}

START_TEST(test_put_head_list_open_delete_round_trip)
{
	static const char body[] = "ID3 not really an mp3, but bytes all the same";
	struct mem  m = { body, sizeof(body) - 1, 0, 0 };
	struct seen s = { .n = 0 };
	long long   size = -1;
	int         exists = -1, fd;
	char        back[sizeof(body)];

	ck_assert_int_eq(storage_put(KEY, "audio/mpeg", (long long)m.len, mem_read, &m, "t1"), FERR_OK);
	ck_assert_int_eq(storage_head(KEY, &size, &exists, "t1"), FERR_OK);
	ck_assert_int_eq(exists, 1);
	ck_assert_int_eq(size, (long long)m.len);

	ck_assert_int_eq(storage_list(collect, &s, "t1"), FERR_OK);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.keys[0], KEY);
	ck_assert_int_eq(s.sizes[0], (long long)m.len);
	ck_assert_msg(s.mtimes[0] >= (long long)time(NULL) - 60 && s.mtimes[0] <= (long long)time(NULL),
	    "the listing gives the object's mtime");

	fd = storage_dir_open(KEY, &size);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(size, (long long)m.len);
	ck_assert_int_eq(read(fd, back, sizeof(back)), (ssize_t)m.len);
	close(fd);
	ck_assert_int_eq(memcmp(back, body, m.len), 0);
	ck_assert_int_eq(leftover_uploads(), 0);

	ck_assert_int_eq(storage_delete(KEY, "t1"), FERR_OK);
	ck_assert_int_eq(storage_head(KEY, &size, &exists, "t1"), FERR_OK);
	ck_assert_int_eq(exists, 0);
	ck_assert_int_eq(storage_dir_open(KEY, &size), -1);
	ck_assert_msg(storage_delete(KEY, "t1") == FERR_OK, "deleting a missing object is OK");
}
END_TEST

/* A body that ends short, or a client whose stream fails: nothing is
 * stored and no temporary file is left. */
static const struct {
	const char *sentence;
	int         fail;
} broken_bodies[] = {
	{ "a short body stores nothing", 0 },
	{ "a failing client stores nothing", 1 },
};

START_TEST(test_a_broken_body_stores_nothing)
{
	struct mem m = { "abc", 3, 0, broken_bodies[_i].fail };
	long long  size;
	int        exists;

	ck_assert_msg(storage_put(KEY, NULL, 10, mem_read, &m, NULL) == FERR_BAD_REQUEST,
	    "%s", broken_bodies[_i].sentence);
	ck_assert_int_eq(storage_head(KEY, &size, &exists, NULL), FERR_OK);
	ck_assert_int_eq(exists, 0);
	ck_assert_int_eq(leftover_uploads(), 0);
}
END_TEST

START_TEST(test_a_failed_upload_keeps_the_previous_object)
{
	struct mem good = { "first", 5, 0, 0 }, bad = { "sec", 3, 0, 1 }, again = { "second", 6, 0, 0 };
	long long  size;
	int        exists;

	ck_assert_int_eq(storage_put(KEY, NULL, 5, mem_read, &good, NULL), FERR_OK);
	ck_assert_int_eq(storage_put(KEY, NULL, 6, mem_read, &bad, NULL), FERR_BAD_REQUEST);
	ck_assert_int_eq(storage_head(KEY, &size, &exists, NULL), FERR_OK);
	ck_assert_int_eq(exists, 1);
	ck_assert_int_eq(size, 5);
	/* create-only: a complete second upload does not replace it either */
	ck_assert_int_eq(storage_put(KEY, NULL, 6, mem_read, &again, NULL), FERR_CONFLICT);
	ck_assert_int_eq(storage_head(KEY, &size, &exists, NULL), FERR_OK);
	ck_assert_int_eq(size, 5);
	ck_assert_int_eq(leftover_uploads(), 0);
}
END_TEST

START_TEST(test_bad_arguments_are_refused_before_any_io)
{
	struct mem m = { "abc", 3, 0, 0 };
	long long  size;
	int        exists;
	char       url[STORAGE_MAX_URL];

	ck_assert_int_eq(storage_put(KEY, NULL, STORAGE_MAX_OBJECT_BYTES + 1, mem_read, &m, NULL),
	    FERR_TOO_LARGE);
	ck_assert_int_eq(storage_put(KEY, NULL, -1, mem_read, &m, NULL), FERR_BAD_REQUEST);
	ck_assert_int_eq(storage_put("../../etc/passwd", NULL, 3, mem_read, &m, NULL), FERR_VALIDATION);
	ck_assert_int_eq(storage_head("/" KEY, &size, &exists, NULL), FERR_VALIDATION);
	ck_assert_int_eq(storage_delete(USER "/audio/..", NULL), FERR_VALIDATION);
	ck_assert_int_eq(storage_presign("DELETE", KEY, NULL, 0, 60, ORIGIN, url, sizeof(url), NULL),
	    FERR_STORAGE);
	ck_assert_int_eq(storage_presign("GET", KEY, NULL, 0, STORAGE_MAX_EXPIRES_S + 1, ORIGIN,
	    url, sizeof(url), NULL), FERR_STORAGE);
	ck_assert_int_eq(storage_presign("GET", KEY, NULL, 0, 60, ORIGIN, url, 40, NULL), FERR_STORAGE);
	ck_assert_str_eq(url, "");
}
END_TEST

/* ---- signed links */

/* Split a link into its expires and sig parameters. */
static void
link_parts(const char *url, char *expires, size_t ecap, char *sig, size_t scap)
{
	const char *e = strstr(url, "?expires="), *s = strstr(url, "&sig=");

	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(s);
	e += strlen("?expires=");
	snprintf(expires, ecap, "%.*s", (int)(s - e), e);
	snprintf(sig, scap, "%s", s + strlen("&sig="));
}

/* The MAC computed here, independently of storage_dir.c: an upload's
 * message also carries its largest size and its type. */
static void
mac_hex_put(const char *method, const char *key, long long expires, const char *size,
    const char *type, char out[65])
{
	char msg[256];
	unsigned char md[32];
	unsigned int mdlen = 0, i;

	if (size != NULL)
		snprintf(msg, sizeof(msg), "%s\n%s\n%lld\n%s\n%s", method, key, expires, size, type);
	else
		snprintf(msg, sizeof(msg), "%s\n%s\n%lld", method, key, expires);
	ck_assert_ptr_nonnull(HMAC(EVP_sha256(), SECRET, (int)strlen(SECRET),
	    (const unsigned char *)msg, strlen(msg), md, &mdlen));
	for (i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
mac_hex(const char *method, const char *key, long long expires, char out[65])
{
	mac_hex_put(method, key, expires, NULL, NULL, out);
}

START_TEST(test_a_signed_link_verifies_and_points_at_the_service)
{
	char url[STORAGE_MAX_URL], expires[32], sig[128], want[65];
	long long before = (long long)time(NULL), after, exp;

	ck_assert_int_eq(storage_presign("GET", KEY, NULL, 0, 3600, ORIGIN "/", url, sizeof(url), "t"), FERR_OK);
	/* the signer read the clock between these two readings (a second may
	 * turn, or several on a loaded machine) */
	after = (long long)time(NULL);
	ck_assert_msg(strncmp(url, ORIGIN "/api/storage/" KEY "?expires=",
	    strlen(ORIGIN "/api/storage/" KEY "?expires=")) == 0, "link %s", url);
	link_parts(url, expires, sizeof(expires), sig, sizeof(sig));
	exp = strtoll(expires, NULL, 10);
	ck_assert_msg(exp >= before + 3600 && exp <= after + 3600, "expires %lld, clock %lld..%lld", exp, before, after);
	mac_hex("GET", KEY, exp, want);
	ck_assert_str_eq(sig, want);
	ck_assert_int_eq(storage_link_verify("GET", KEY, expires, sig, NULL, NULL), FERR_OK);
}
END_TEST

START_TEST(test_a_tampered_link_is_forbidden)
{
	static const char other[] = USER "/audio/" "11111111-2222-4333-8444-555555555555.mp3";
	char url[STORAGE_MAX_URL], expires[32], sig[128], later[32];

	ck_assert_int_eq(storage_presign("GET", KEY, NULL, 0, 600, ORIGIN, url, sizeof(url), NULL), FERR_OK);
	link_parts(url, expires, sizeof(expires), sig, sizeof(sig));
	ck_assert_msg(storage_link_verify("PUT", KEY, expires, sig, NULL, NULL) == FERR_FORBIDDEN,
	    "a download link does not allow an upload");
	ck_assert_msg(storage_link_verify("GET", other, expires, sig, NULL, NULL) == FERR_FORBIDDEN,
	    "a link does not open another key");
	snprintf(later, sizeof(later), "%lld", strtoll(expires, NULL, 10) + 1);
	ck_assert_msg(storage_link_verify("GET", KEY, later, sig, NULL, NULL) == FERR_FORBIDDEN,
	    "a link's expiry cannot be extended");
	sig[10] = sig[10] == 'a' ? 'b' : 'a';
	ck_assert_msg(storage_link_verify("GET", KEY, expires, sig, NULL, NULL) == FERR_FORBIDDEN,
	    "one changed digit of the signature is refused");
	sig[10] = '\0';
	ck_assert_msg(storage_link_verify("GET", KEY, expires, sig, NULL, NULL) == FERR_FORBIDDEN,
	    "a short signature is refused");
	ck_assert_int_eq(storage_link_verify("GET", KEY, "12x", sig, NULL, NULL), FERR_FORBIDDEN);
	ck_assert_int_eq(storage_link_verify("GET", KEY, "", sig, NULL, NULL), FERR_FORBIDDEN);
	ck_assert_msg(storage_link_verify("GET", KEY, "99999999999999999999", sig, NULL, NULL) == FERR_FORBIDDEN,
	    "an expiry too long to parse is refused");
	ck_assert_int_eq(storage_link_verify("GET", KEY, NULL, NULL, NULL, NULL), FERR_FORBIDDEN);
}
END_TEST

START_TEST(test_an_expired_link_is_forbidden)
{
	long long now = (long long)time(NULL);
	char expires[32], sig[65];

	snprintf(expires, sizeof(expires), "%lld", now - 10);
	mac_hex("GET", KEY, now - 10, sig);
	ck_assert_int_eq(storage_link_verify("GET", KEY, expires, sig, NULL, NULL), FERR_FORBIDDEN);
	/* correctly signed, but further out than any link we hand out */
	snprintf(expires, sizeof(expires), "%lld", now + STORAGE_MAX_EXPIRES_S + 60);
	mac_hex("GET", KEY, now + STORAGE_MAX_EXPIRES_S + 60, sig);
	ck_assert_int_eq(storage_link_verify("GET", KEY, expires, sig, NULL, NULL), FERR_FORBIDDEN);
	/* and the same MAC for a live expiry passes, so the refusals were the expiry's */
	snprintf(expires, sizeof(expires), "%lld", now + 60);
	mac_hex_put("PUT", KEY, now + 60, "1000", "audio/mpeg", sig);
	ck_assert_int_eq(storage_link_verify("PUT", KEY, expires, sig, "1000", "audio/mpeg"), FERR_OK);
}
END_TEST

START_TEST(test_an_upload_link_is_bound_to_its_size_and_type)
{
	char url[STORAGE_MAX_URL], want[65], expires[32], sig[128];
	const char *q;
	long long exp;

	ck_assert_int_eq(storage_presign("PUT", KEY, "audio/mpeg", 1000, 300, ORIGIN, url, sizeof(url),
	    NULL), FERR_OK);
	ck_assert_ptr_nonnull(q = strstr(url, "?expires="));
	exp = strtoll(q + strlen("?expires="), NULL, 10);
	snprintf(expires, sizeof(expires), "%lld", exp);
	ck_assert_ptr_nonnull(strstr(url, "&size=1000&sig="));
	snprintf(sig, sizeof(sig), "%s", strstr(url, "&sig=") + strlen("&sig="));
	mac_hex_put("PUT", KEY, exp, "1000", "audio/mpeg", want);
	ck_assert_str_eq(sig, want);
	ck_assert_int_eq(storage_link_verify("PUT", KEY, expires, sig, "1000", "audio/mpeg"), FERR_OK);
	ck_assert_msg(storage_link_verify("PUT", KEY, expires, sig, "1001", "audio/mpeg") == FERR_FORBIDDEN,
	    "the size cannot be raised");
	ck_assert_msg(storage_link_verify("PUT", KEY, expires, sig, "1000", "audio/wav") == FERR_FORBIDDEN,
	    "another type is refused");
	ck_assert_msg(storage_link_verify("PUT", KEY, expires, sig, NULL, "audio/mpeg") == FERR_FORBIDDEN,
	    "an upload link without its size is refused");
	ck_assert_msg(storage_link_verify("GET", KEY, expires, sig, NULL, NULL) == FERR_FORBIDDEN,
	    "an upload link does not download");
	/* an upload link always has a size and a type */
	ck_assert_int_eq(storage_presign("PUT", KEY, "audio/mpeg", 0, 300, ORIGIN, url, sizeof(url),
	    NULL), FERR_STORAGE);
	ck_assert_int_eq(storage_presign("PUT", KEY, NULL, 1000, 300, ORIGIN, url, sizeof(url),
	    NULL), FERR_STORAGE);
	ck_assert_int_eq(storage_presign("PUT", KEY, "audio/mpeg", STORAGE_MAX_OBJECT_BYTES + 1, 300,
	    ORIGIN, url, sizeof(url), NULL), FERR_STORAGE);
}
END_TEST

/* ---- configuration */

static void
s3_env(void)
{
	unsetenv("FOCUS_STORAGE");
	setenv("FOCUS_S3_ENDPOINT", "http://127.0.0.1:4569/", 1);
	setenv("FOCUS_S3_BUCKET", "focus-test", 1);
	setenv("FOCUS_S3_ACCESS_KEY", "S3RVER", 1);
	setenv("FOCUS_S3_SECRET_KEY", "S3RVER", 1);
	unsetenv("FOCUS_S3_REGION");
}

START_TEST(test_a_bucket_selects_s3_and_its_links_are_presigned)
{
	char url[STORAGE_MAX_URL];
	static const char prefix[] = "http://127.0.0.1:4569/focus-test/" KEY
	    "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F";

	s3_env();
	ck_assert_int_eq(storage_init(), 0);
	ck_assert_str_eq(storage_backend_name(), "s3");
	ck_assert_int_eq(storage_presign("PUT", KEY, "audio/mpeg", 1000, 300, NULL, url, sizeof(url), NULL), FERR_OK);
	ck_assert_msg(strncmp(url, prefix, sizeof(prefix) - 1) == 0, "url %s", url);
	ck_assert_ptr_nonnull(strstr(url, "%2Fauto%2Fs3%2Faws4_request&"));
	/* an upload signs its length, type and create-only condition */
	ck_assert_ptr_nonnull(strstr(url, "&X-Amz-Expires=300&X-Amz-SignedHeaders="
	    "content-length%3Bcontent-type%3Bhost%3Bif-none-match&X-Amz-Signature="));
	ck_assert_int_eq(storage_presign("GET", KEY, NULL, 0, 300, NULL, url, sizeof(url), NULL), FERR_OK);
	ck_assert_ptr_nonnull(strstr(url, "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature="));
	ck_assert_msg(storage_link_verify("GET", KEY, "99999999999", "00", NULL, NULL) == FERR_NOT_FOUND,
	    "the directory route does not exist with the s3 backend");
	ck_assert_int_eq(storage_dir_open(KEY, &(long long){ 0 }), -1);
	storage_shutdown();
}
END_TEST

START_TEST(test_misconfiguration_is_refused_at_init)
{
	s3_env();
	setenv("FOCUS_STORAGE", "ftp", 1);
	ck_assert_msg(storage_init() == -1, "an unknown backend");
	setenv("FOCUS_STORAGE", "s3", 1);
	unsetenv("FOCUS_S3_SECRET_KEY");
	ck_assert_msg(storage_init() == -1, "s3 without a secret key");
	s3_env();
	setenv("FOCUS_S3_ENDPOINT", "127.0.0.1:4569", 1);
	ck_assert_msg(storage_init() == -1, "an endpoint without a scheme");
	setenv("FOCUS_S3_ENDPOINT", "https://r2.example/prefix", 1);
	ck_assert_msg(storage_init() == -1, "an endpoint with a path");
	setenv("FOCUS_STORAGE", "dir", 1);
	setenv("FOCUS_STORAGE_SECRET", "short", 1);
	ck_assert_msg(storage_init() == -1, "a link key too short to resist guessing");
	ck_assert_str_eq(storage_backend_name(), "none");
	unsetenv("FOCUS_STORAGE_SECRET");
	setenv("FOCUS_STORAGE_DIR", "/nonexistent-focus-test", 1);
	ck_assert_msg(storage_init() == 0, "no link key falls back to the development key");
	storage_shutdown();
}
END_TEST

static Suite *
storage_suite(void)
{
	Suite *s = suite_create("storage");
	TCase *keys = tcase_create("keys"), *dir = tcase_create("dir"), *cfg = tcase_create("config");

	tcase_add_loop_test(keys, test_key_rows, 0, sizeof(key_rows) / sizeof(key_rows[0]));
	suite_add_tcase(s, keys);

	tcase_add_checked_fixture(dir, dir_setup, dir_teardown);
	tcase_add_test(dir, test_put_head_list_open_delete_round_trip);
	tcase_add_loop_test(dir, test_a_broken_body_stores_nothing, 0, sizeof(broken_bodies) / sizeof(broken_bodies[0]));
	tcase_add_test(dir, test_a_failed_upload_keeps_the_previous_object);
	tcase_add_test(dir, test_bad_arguments_are_refused_before_any_io);
	tcase_add_test(dir, test_a_signed_link_verifies_and_points_at_the_service);
	tcase_add_test(dir, test_a_tampered_link_is_forbidden);
	tcase_add_test(dir, test_an_expired_link_is_forbidden);
	tcase_add_test(dir, test_an_upload_link_is_bound_to_its_size_and_type);
	suite_add_tcase(s, dir);

	tcase_add_test(cfg, test_a_bucket_selects_s3_and_its_links_are_presigned);
	tcase_add_test(cfg, test_misconfiguration_is_refused_at_init);
	suite_add_tcase(s, cfg);
	return s;
}

int
main(void)
{
	return unit_run(storage_suite());
}
