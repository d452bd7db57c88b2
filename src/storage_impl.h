/*
 * storage_impl.h: what storage.c shares with its two backends, and only
 * with them. storage.c checks arguments (key shape, sizes, method,
 * expiry) before dispatching, so a backend may trust what it is given.
 */
#ifndef FOCUS_STORAGE_IMPL_H
#define FOCUS_STORAGE_IMPL_H

#include "storage.h"

/* Bytes moved per read from a client or a file: big enough to keep
 * system calls few, small enough for a worker's stack. */
#define STORAGE_IO_CHUNK (64 * 1024)

struct storage_backend {
	const char *name;
	int       (*init)(void);   /* read its environment; 0 or -1 (logged) */
	void      (*shutdown)(void);
	enum ferr (*put)(const char *key, const char *content_type, long long length,
	    storage_read_fn rd, void *ctx, const char *req_id);
	enum ferr (*head)(const char *key, long long *size, int *exists, const char *req_id);
	enum ferr (*del)(const char *key, const char *req_id);
	enum ferr (*presign)(const char *method, const char *key, const char *content_type,
	    long long size, int expires_s, const char *base_origin, char *url, size_t cap, const char *req_id);
	enum ferr (*list)(storage_list_fn cb, void *ctx, const char *req_id);
};

extern const struct storage_backend storage_backend_s3;
extern const struct storage_backend storage_backend_dir;

/* The backend storage_init() chose, NULL before. */
const struct storage_backend *storage_active(void);

/* The client's body failed or ended early during a put: not a storage
 * failure, so logged at info; returns FERR_BAD_REQUEST. */
enum ferr storage_client_error(const char *op, const char *key, const char *why,
    const char *req_id);

/* getenv(), with "" counted as unset. */
const char *storage_env(const char *name, const char *dflt);

#endif
