/*
 * storage_dir.c: objects as files under FOCUS_STORAGE_DIR, at
 * <dir>/<user uuid>/audio/<uuid>.<ext>. Uploads go to a temporary file in
 * the object's own directory and are linked into place when complete, so
 * a reader never sees half an object (link(2) is atomic within one file
 * system) and an object, once stored, is never replaced: link(2) fails
 * with EEXIST where rename(2) would overwrite. Signed links point back at
 * the service, which checks them with storage_link_verify().
 */
#define _GNU_SOURCE	/* mkostemp(3) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "hex.h"
#include "log.h"
#include "storage_impl.h"

#define DIR_DEFAULT      "var/storage"
#define DIR_MODE         0750
#define LINK_PREFIX      "/api/storage/"
#define MAC_LEN          32
#define MAC_HEX          (2 * MAC_LEN)
/* Temporary upload names start with a dot, which storage_list skips. */
#define TMP_NAME         ".upload-XXXXXX"
/* Digits of an expiry: 18 cannot overflow a long long while parsing. */
#define MAX_EXPIRES_DIGITS 18
/* A link key longer than a SHA-256 block is hashed first by HMAC anyway. */
#define MAX_SECRET_LEN   256

static struct {
	char          root[PATH_MAX];
	unsigned char secret[MAX_SECRET_LEN];
	size_t        secret_len;
} dir;

static int
dir_init(void)
{
	const char *root = storage_env("FOCUS_STORAGE_DIR", DIR_DEFAULT);
	const char *secret = storage_env("FOCUS_STORAGE_SECRET", NULL);
	size_t len = strlen(root);

	while (len > 1 && root[len - 1] == '/')
		len--;
	if (len >= sizeof(dir.root) - STORAGE_MAX_KEY - sizeof(TMP_NAME) - 1) {
		log_kv(LOG_ERROR, "storage_config", "err", "FOCUS_STORAGE_DIR is too long", NULL);
		return -1;
	}
	memcpy(dir.root, root, len);
	dir.root[len] = '\0';
	if (secret == NULL) {
		/* every worker must sign alike, so no per-process random key */
		log_kv(LOG_WARN, "storage_config", "warning",
		    "FOCUS_STORAGE_SECRET is unset: links use the public development key", NULL);
		secret = STORAGE_DEV_SECRET;
	} else if (strlen(secret) < STORAGE_MIN_SECRET_LEN || strlen(secret) > MAX_SECRET_LEN) {
		log_kv(LOG_ERROR, "storage_config", "err",
		    "FOCUS_STORAGE_SECRET must be 16 to 256 bytes", NULL);
		return -1;
	}
	dir.secret_len = strlen(secret);
	memcpy(dir.secret, secret, dir.secret_len);
	return 0;
}

static void
dir_shutdown(void)
{
	OPENSSL_cleanse(&dir, sizeof(dir));
}

static int
path_of(const char *key, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", dir.root, key);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* mkdir -p for every directory above the file at path. */
static int
make_parents(const char *path)
{
	char   p[PATH_MAX];
	size_t i;

	if (strlen(path) >= sizeof(p))
		return -1;
	strcpy(p, path);
	for (i = 1; p[i] != '\0'; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, DIR_MODE) != 0 && errno != EEXIST)
			return -1;
		p[i] = '/';
	}
	return 0;
}

static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, buf, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static enum ferr
dir_put(const char *key, const char *content_type, long long length,
    storage_read_fn rd, void *ctx, const char *req_id)
{
	char      path[PATH_MAX], tmp[PATH_MAX], buf[STORAGE_IO_CHUNK];
	long long left = length;
	size_t    want, got;
	int       fd = -1, n;
	enum ferr e;

	(void)content_type;	/* the track row keeps the type */
	tmp[0] = '\0';
	if (path_of(key, path, sizeof(path)) != 0)
		return storage_error("put", key, 0, 0, "path too long", req_id);
	/* the temporary file sits beside the object, on the same file system */
	n = snprintf(tmp, sizeof(tmp), "%.*s/" TMP_NAME,
	    (int)(strrchr(path, '/') - path), path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		tmp[0] = '\0';
		return storage_error("put", key, 0, 0, "path too long", req_id);
	}
	if (make_parents(path) != 0 || (fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		tmp[0] = '\0';
		e = storage_error("put", key, 0, 0, strerror(errno), req_id);
		goto done;
	}
	while (left > 0) {
		want = left < (long long)sizeof(buf) ? (size_t)left : sizeof(buf);
		got = rd(ctx, buf, want);
		if (got == (size_t)-1) {
			e = storage_client_error("put", key, "client read failed", req_id);
			goto done;
		}
		if (got == 0) {
			e = storage_client_error("put", key, "body shorter than its length", req_id);
			goto done;
		}
		if (got > want) {
			e = storage_error("put", key, 0, 0, "reader returned more than asked", req_id);
			goto done;
		}
		if (write_all(fd, buf, got) != 0) {
			e = storage_error("put", key, 0, 0, strerror(errno), req_id);
			goto done;
		}
		left -= (long long)got;
	}
	/* durable before visible: a crash must not leave a renamed empty file */
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		e = storage_error("put", key, 0, 0, strerror(errno), req_id);
		goto done;
	}
	fd = -1;
	/* create-only: a second upload to a key (a replayed link) cannot
	 * replace audio a track may already point at */
	if (link(tmp, path) != 0) {
		e = errno == EEXIST ? FERR_CONFLICT :
		    storage_error("put", key, 0, 0, strerror(errno), req_id);
		goto done;
	}
	e = FERR_OK;	/* the temporary name goes below; the object stays */
done:
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0')
		unlink(tmp);
	return e;
}

static enum ferr
dir_head(const char *key, long long *size, int *exists, const char *req_id)
{
	char        path[PATH_MAX];
	struct stat st;

	if (path_of(key, path, sizeof(path)) != 0)
		return storage_error("head", key, 0, 0, "path too long", req_id);
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return FERR_OK;
		return storage_error("head", key, 0, 0, strerror(errno), req_id);
	}
	if (!S_ISREG(st.st_mode))
		return storage_error("head", key, 0, 0, "not a regular file", req_id);
	*exists = 1;
	*size = (long long)st.st_size;
	return FERR_OK;
}

static enum ferr
dir_del(const char *key, const char *req_id)
{
	char path[PATH_MAX];

	if (path_of(key, path, sizeof(path)) != 0)
		return storage_error("delete", key, 0, 0, "path too long", req_id);
	if (unlink(path) != 0 && errno != ENOENT && errno != ENOTDIR)
		return storage_error("delete", key, 0, 0, strerror(errno), req_id);
	return FERR_OK;
}

/* Hex HMAC-SHA256 over "GET\nkey\nexpires" or, for an upload,
 * "PUT\nkey\nexpires\nsize\ntype": the method is signed so a download link
 * cannot be replayed as an upload, and an upload link's largest size and
 * its one MIME type are signed so the link stores only what was declared. */
static int
link_mac(const char *method, const char *key, long long expires, long long size,
    const char *type, char out[MAC_HEX + 1])
{
	char          msg[16 + STORAGE_MAX_KEY + 32 + 24 + STORAGE_MAX_TYPE];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int  mdlen = 0;
	int           n;

	if (strcmp(method, "PUT") == 0)
		n = snprintf(msg, sizeof(msg), "%s\n%s\n%lld\n%lld\n%s", method, key, expires,
		    size, type != NULL ? type : "");
	else
		n = snprintf(msg, sizeof(msg), "%s\n%s\n%lld", method, key, expires);
	if (n < 0 || (size_t)n >= sizeof(msg) ||
	    HMAC(EVP_sha256(), dir.secret, (int)dir.secret_len, (const unsigned char *)msg,
	    (size_t)n, md, &mdlen) == NULL || mdlen != MAC_LEN)
		return -1;
	hex_encode(md, mdlen, out);
	return 0;
}

static enum ferr
dir_presign(const char *method, const char *key, const char *content_type, long long size,
    int expires_s, const char *base_origin, char *url, size_t cap, const char *req_id)
{
	char      mac[MAC_HEX + 1], sizeq[40] = "";
	long long expires = (long long)time(NULL) + expires_s;
	size_t    olen;
	int       n;

	if (base_origin == NULL || (olen = strlen(base_origin)) == 0)
		return storage_error("presign", key, 0, 0, "no base origin for links", req_id);
	if (base_origin[olen - 1] == '/')
		olen--;
	if (link_mac(method, key, expires, size, content_type, mac) != 0)
		return storage_error("presign", key, 0, 0, "signing failed", req_id);
	/* the type is not in the URL: the upload's Content-Type must be it */
	if (strcmp(method, "PUT") == 0)
		snprintf(sizeq, sizeof(sizeq), "&size=%lld", size);
	n = snprintf(url, cap, "%.*s" LINK_PREFIX "%s?expires=%lld%s&sig=%s",
	    (int)olen, base_origin, key, expires, sizeq, mac);
	OPENSSL_cleanse(mac, sizeof(mac));
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			url[0] = '\0';
		return storage_error("presign", key, 0, 0, "url buffer too small", req_id);
	}
	return FERR_OK;
}

/* A decimal of 1..MAX_EXPIRES_DIGITS digits, or -1. */
static long long
parse_decimal(const char *s)
{
	long long v = 0;
	size_t    i, n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > MAX_EXPIRES_DIGITS)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

enum ferr
storage_link_verify(const char *method, const char *key, const char *expires, const char *sig,
    const char *size, const char *content_type)
{
	char      want[MAC_HEX + 1];
	long long exp = 0, max_size = 0;
	time_t    now = time(NULL);
	int       ok;

	if (storage_active() != &storage_backend_dir)
		return FERR_NOT_FOUND;
	if (method == NULL || (strcmp(method, "GET") != 0 && strcmp(method, "PUT") != 0) ||
	    !storage_key_valid(key) || expires == NULL || sig == NULL ||
	    strlen(sig) != MAC_HEX)
		return FERR_FORBIDDEN;
	if ((exp = parse_decimal(expires)) < 0)
		return FERR_FORBIDDEN;
	if (strcmp(method, "PUT") == 0 && ((max_size = parse_decimal(size)) < 1 ||
	    content_type == NULL || strlen(content_type) > STORAGE_MAX_TYPE))
		return FERR_FORBIDDEN;
	/* expired, or further out than any link we sign */
	if (exp < (long long)now || exp - (long long)now > STORAGE_MAX_EXPIRES_S)
		return FERR_FORBIDDEN;
	if (link_mac(method, key, exp, max_size, content_type, want) != 0)
		return FERR_FORBIDDEN;
	/* constant time, so the MAC cannot be guessed byte by byte */
	ok = CRYPTO_memcmp(want, sig, MAC_HEX) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok ? FERR_OK : FERR_FORBIDDEN;
}

int
storage_dir_open(const char *key, long long *size)
{
	char        path[PATH_MAX];
	struct stat st;
	int         fd;

	if (storage_active() != &storage_backend_dir || !storage_key_valid(key) ||
	    path_of(key, path, sizeof(path)) != 0)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	*size = (long long)st.st_size;
	return fd;
}

/* Objects live two levels down: <root>/<user>/audio/<name>. Names with a
 * leading dot (uploads in progress) are skipped. */
static enum ferr
dir_list(storage_list_fn cb, void *ctx,
    const char *req_id)
{
	char           sub[PATH_MAX], path[PATH_MAX], key[PATH_MAX];
	DIR           *top, *audio;
	struct dirent *u, *f;
	struct stat    st;
	int            n;

	if ((top = opendir(dir.root)) == NULL) {
		if (errno == ENOENT)	/* nothing uploaded yet */
			return FERR_OK;
		return storage_error("list", NULL, 0, 0, strerror(errno), req_id);
	}
	while ((u = readdir(top)) != NULL) {
		if (u->d_name[0] == '.')
			continue;
		n = snprintf(sub, sizeof(sub), "%s/%s/audio", dir.root, u->d_name);
		if (n < 0 || (size_t)n >= sizeof(sub) || (audio = opendir(sub)) == NULL)
			continue;	/* not a user's directory */
		while ((f = readdir(audio)) != NULL) {
			if (f->d_name[0] == '.')
				continue;
			n = snprintf(key, sizeof(key), "%s/audio/%s", u->d_name, f->d_name);
			if (n < 0 || (size_t)n >= sizeof(key) ||
			    path_of(key, path, sizeof(path)) != 0)
				continue;
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				cb(ctx, key, (long long)st.st_size, (long long)st.st_mtime);
		}
		closedir(audio);
	}
	closedir(top);
	return FERR_OK;
}

const struct storage_backend storage_backend_dir = {
	"dir", dir_init, dir_shutdown, dir_put, dir_head, dir_del, dir_presign, dir_list,
};
