/* uuid.c: see uuid.h. */
#include <string.h>

#include <openssl/rand.h>

#include "hex.h"
#include "uuid.h"

/* bytes per dash-separated group: 8-4-4-4-12 hex digits */
static const size_t groups[] = { 4, 2, 2, 2, 6 };

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
uuid_parse(const char *s, size_t len, unsigned char out[UUID_BYTES])
{
	unsigned char b[UUID_BYTES];
	size_t        g, i, pos = 0, o = 0;

	if (s == NULL || len != UUID_CHARS)
		return -1;
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		if (g > 0 && s[pos++] != '-')
			return -1;
		for (i = 0; i < groups[g]; i++) {
			int hi = hexval(s[pos]), lo = hexval(s[pos + 1]);
			if (hi < 0 || lo < 0)
				return -1;
			b[o++] = (unsigned char)(hi << 4 | lo);
			pos += 2;
		}
	}
	if (out != NULL)
		memcpy(out, b, sizeof(b));
	return 0;
}

void
uuid_format(const unsigned char in[UUID_BYTES], char out[UUID_CHARS + 1])
{
	size_t g, o = 0;

	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		hex_encode(in, groups[g], out + o);
		in += groups[g];
		o += groups[g] * 2;
		out[o++] = '-';
	}
	out[o - 1] = '\0';
}

int
uuid_canonical(const char *s, size_t len, char out[UUID_CHARS + 1])
{
	unsigned char b[UUID_BYTES];

	if (uuid_parse(s, len, b) != 0)
		return -1;
	uuid_format(b, out);
	return 0;
}

int
uuid_is_lowercase(const char *s)
{
	char canon[UUID_CHARS + 1];

	return uuid_canonical(s, UUID_CHARS, canon) == 0 && memcmp(canon, s, UUID_CHARS) == 0;
}

int
uuid_random(char out[UUID_CHARS + 1])
{
	unsigned char r[UUID_BYTES];

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);   /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);   /* RFC 9562 variant */
	uuid_format(r, out);
	return 0;
}
