#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "storage_impl.h"
#include "uuid.h"

static const struct storage_backend *active;

const struct storage_backend *
storage_active(void)
{
	return active;
}

const char *
storage_env(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : dflt;
}

int
storage_init(void)
{
	const char *kind = storage_env("FOCUS_STORAGE",
	    storage_env("FOCUS_S3_BUCKET", NULL) != NULL ? "s3" : "dir");
	const struct storage_backend *b;

	storage_shutdown();
	if (strcmp(kind, "s3") == 0)
		b = &storage_backend_s3;
	else if (strcmp(kind, "dir") == 0)
		b = &storage_backend_dir;
	else {
		log_kv(LOG_ERROR, "storage_config", "err", "FOCUS_STORAGE must be s3 or dir",
		    "value", kind, NULL);
		return -1;
	}
	if (b->init() != 0)
		return -1;
	active = b;
	log_kv(LOG_INFO, "storage_ready", "backend", b->name, NULL);
	return 0;
}

void
storage_shutdown(void)
{
	if (active != NULL)
		active->shutdown();
	active = NULL;
}

const char *
storage_backend_name(void)
{
	return active != NULL ? active->name : "none";
}

enum ferr
storage_error(const char *op, const char *key, long http_status, int curl_code,
    const char *detail, const char *req_id)
{
	char http[24], curl[24];

	snprintf(http, sizeof(http), "%ld", http_status);
	snprintf(curl, sizeof(curl), "%d", curl_code);
	log_kv(LOG_ERROR, "storage_error", "req", req_id, "op", op, "backend", storage_backend_name(),
	    "key", key, "http", http, "curl", curl, "err", ferr_kind(FERR_STORAGE),
	    "cause", detail, NULL);
	return FERR_STORAGE;
}

enum ferr
storage_client_error(const char *op, const char *key, const char *why, const char *req_id)
{
	log_kv(LOG_INFO, "storage_client_body", "req", req_id, "op", op,
	    "backend", storage_backend_name(), "key", key, "err", ferr_kind(FERR_BAD_REQUEST),
	    "cause", why, NULL);
	return FERR_BAD_REQUEST;
}

int
storage_key_valid(const char *key)
{
	static const char mid[] = "/audio/";
	const char *p = key;
	size_t len, i;

	if (key == NULL || (len = strlen(key)) > STORAGE_MAX_KEY ||
	    len < 36 + sizeof(mid) - 1 + 36 + 2)
		return 0;
	/* uuid_is_lowercase reads 36 bytes: the length check above keeps it
	 * in bounds; keys hold the canonical lowercase form (API.md) */
	if (!uuid_is_lowercase(p) || strncmp(p + 36, mid, sizeof(mid) - 1) != 0)
		return 0;
	p += 36 + sizeof(mid) - 1;
	if (!uuid_is_lowercase(p) || p[36] != '.')
		return 0;
	p += 37;
	len = strlen(p);
	if (len < 1 || len > STORAGE_MAX_EXT)
		return 0;
	for (i = 0; i < len; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'z')))
			return 0;
	return 1;
}

/* Checks common to every operation, so backends trust their input. */
static enum ferr
ready(const char *op, const char *key, const char *req_id)
{
	if (active == NULL)
		return storage_error(op, key, 0, 0, "storage_init was not called", req_id);
	if (key != NULL && !storage_key_valid(key))
		return FERR_VALIDATION;
	return FERR_OK;
}

enum ferr
storage_put(const char *key, const char *content_type, long long length,
    storage_read_fn rd, void *ctx, const char *req_id)
{
	enum ferr e;

	if ((e = ready("put", key, req_id)) != FERR_OK)
		return e;
	if (length > STORAGE_MAX_OBJECT_BYTES)
		return FERR_TOO_LARGE;
	/* S3 needs the length up front (no chunked PUT), so an unknown one is
	 * the client's error */
	if (length < 0 || rd == NULL)
		return FERR_BAD_REQUEST;
	return active->put(key, content_type, length, rd, ctx, req_id);
}

enum ferr
storage_head(const char *key, long long *size, int *exists, const char *req_id)
{
	enum ferr e;

	*size = 0;
	*exists = 0;
	if ((e = ready("head", key, req_id)) != FERR_OK)
		return e;
	return active->head(key, size, exists, req_id);
}

enum ferr
storage_delete(const char *key, const char *req_id)
{
	enum ferr e;

	if ((e = ready("delete", key, req_id)) != FERR_OK)
		return e;
	return active->del(key, req_id);
}

enum ferr
storage_presign(const char *method, const char *key, const char *content_type, long long size,
    int expires_s, const char *base_origin, char *url, size_t cap, const char *req_id)
{
	enum ferr e;

	if (cap > 0)
		url[0] = '\0';
	if ((e = ready("presign", key, req_id)) != FERR_OK)
		return e;
	if (method == NULL || (strcmp(method, "GET") != 0 && strcmp(method, "PUT") != 0) ||
	    expires_s < 1 || expires_s > STORAGE_MAX_EXPIRES_S)
		return storage_error("presign", key, 0, 0, "bad method or expiry", req_id);
	/* an upload link is bound to one size bound and one type */
	if (strcmp(method, "PUT") == 0 && (size < 1 || size > STORAGE_MAX_OBJECT_BYTES ||
	    content_type == NULL || *content_type == '\0' ||
	    strlen(content_type) > STORAGE_MAX_TYPE))
		return storage_error("presign", key, 0, 0, "bad upload size or type", req_id);
	return active->presign(method, key, content_type, size, expires_s, base_origin, url, cap,
	    req_id);
}

enum ferr
storage_list(storage_list_fn cb, void *ctx,
    const char *req_id)
{
	enum ferr e;

	if ((e = ready("list", NULL, req_id)) != FERR_OK)
		return e;
	return active->list(cb, ctx, req_id);
}
