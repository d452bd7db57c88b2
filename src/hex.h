/* hex.h: lowercase hex of bytes (tokens, SHA-256 digests, SigV4 and link
 * signatures). OpenSSL's OPENSSL_buf2hexstr() writes uppercase, which
 * SigV4 (and our stored token hashes) do not accept. */
#ifndef FOCUS_HEX_H
#define FOCUS_HEX_H

#include <stddef.h>

/* out must hold 2 * n + 1 bytes; it ends with NUL. */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif
