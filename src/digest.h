/* digest.h: SHA-256 (token hashes, SigV4). */
#ifndef FOCUS_DIGEST_H
#define FOCUS_DIGEST_H

#include <stddef.h>

#include "ferr.h"          /* FOCUS_MUSTCHECK */

#define DIGEST_SHA256_LEN 32

/* out gets the 32-byte digest of data; 0, or -1 when OpenSSL fails. */
int digest_sha256(const void *data, size_t len, unsigned char out[DIGEST_SHA256_LEN]) FOCUS_MUSTCHECK;

#endif
