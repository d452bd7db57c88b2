/*
 * digest.c: SHA-256 with the algorithm fetched from OpenSSL once per
 * process and one reused context. EVP_Digest(..., EVP_sha256(), ...)
 * looks the algorithm up in the provider tables and builds a context on
 * every call, a visible share of a worker's own CPU at one token hash
 * per request (perf). Workers are single
 * threaded, so the static context is safe; both live until exit.
 */
#include <openssl/evp.h>

#include "digest.h"

static EVP_MD     *sha256_md;
static EVP_MD_CTX *sha256_ctx;

int
digest_sha256(const void *data, size_t len, unsigned char out[DIGEST_SHA256_LEN])
{
	unsigned int n = 0;

	if (sha256_md == NULL && (sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		return -1;
	if (sha256_ctx == NULL && (sha256_ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex2(sha256_ctx, sha256_md, NULL) != 1 ||
	    EVP_DigestUpdate(sha256_ctx, data, len) != 1 ||
	    EVP_DigestFinal_ex(sha256_ctx, out, &n) != 1 || n != DIGEST_SHA256_LEN)
		return -1;
	return 0;
}
