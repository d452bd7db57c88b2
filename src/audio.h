/*
 * audio.h: the audio types an upload may have (API.md "Tracks") and the
 * extension its storage key gets. One list: the upload fields' choices,
 * the key's extension, the type a stored object is served with and the
 * fuzz target all read it.
 */
#ifndef FOCUS_AUDIO_H
#define FOCUS_AUDIO_H

/* X(mime, ext); the first row for an extension is the type it is served
 * with. */
#define AUDIO_TYPES(X) \
	X("audio/mpeg",  "mp3")  \
	X("audio/mp3",   "mp3")  \
	X("audio/wav",   "wav")  \
	X("audio/x-wav", "wav")  \
	X("audio/ogg",   "ogg")  \
	X("audio/flac",  "flac") \
	X("audio/aac",   "aac")  \
	X("audio/mp4",   "m4a")  \
	X("audio/x-m4a", "m4a")

/* The MIME types, NULL-terminated (a FIELD_ENUM's choices). */
extern const char *const audio_mimes[];

/* The extension for an allowed MIME type (parameters such as
 * "; codecs=opus" ignored, any case), or NULL. */
const char *audio_mime_ext(const char *mime);

/* The MIME type a key is served with, from its extension;
 * "application/octet-stream" for any other. */
const char *audio_ext_mime(const char *key);

#endif
