/* audio.c: see audio.h. */
#include <string.h>
#include <strings.h>

#include "audio.h"

#define AUDIO_MIME(mime, ext) mime,
const char *const audio_mimes[] = { AUDIO_TYPES(AUDIO_MIME) NULL };
#undef AUDIO_MIME

#define AUDIO_ROW(mime, ext) { mime, ext },
static const struct {
	const char *mime;
	const char *ext;
} audio_types[] = { AUDIO_TYPES(AUDIO_ROW) };
#undef AUDIO_ROW
#define AUDIO_TYPES_N (sizeof(audio_types) / sizeof(audio_types[0]))

const char *
audio_mime_ext(const char *mime)
{
	size_t i, n;

	if (mime == NULL)
		return NULL;
	n = strcspn(mime, "; ");      /* drop parameters: "audio/ogg; codecs=opus" */
	for (i = 0; i < AUDIO_TYPES_N; i++)
		if (strlen(audio_types[i].mime) == n && strncasecmp(mime, audio_types[i].mime, n) == 0)
			return audio_types[i].ext;
	return NULL;
}

const char *
audio_ext_mime(const char *key)
{
	const char *dot = strrchr(key, '.');
	size_t      i;

	for (i = 0; dot != NULL && i < AUDIO_TYPES_N; i++)
		if (strcmp(dot + 1, audio_types[i].ext) == 0)
			return audio_types[i].mime;
	return "application/octet-stream";
}
