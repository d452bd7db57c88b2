/*
 * facts.h: the service's closed vocabularies, each defined once as an
 * X-macro list. The request field tables, the renderer, the fuzz target
 * and `focusctl facts` read these lists; the SQL schema states the same
 * words as domains and CHECKs, and t/stack/facts.test.mjs compares the two
 * on a live database (what PostgreSQL reports against `focusctl facts`).
 * The audio types are in audio.h.
 */
#ifndef FOCUS_FACTS_H
#define FOCUS_FACTS_H

/* Session modes and the duration a session of each gets when the request
 * names none (API.md "POST /api/focus"); SQL: domain focus_mode. The first
 * is the default mode. X(name, default_duration_s) */
#define FOCUS_MODES(X) \
	X("focus",      1500) \
	X("break",       300) \
	X("long_break",  900)

/* A session's status as stored (API.md "Session object"); SQL: domain
 * focus_session_status. X(name) */
#define FOCUS_STATUSES(X) \
	X("active")    \
	X("paused")    \
	X("completed") \
	X("abandoned") \
	X("expired")

/* Where a session comes from (API.md "History a person can correct"):
 * timed live, or entered afterwards; SQL: domain focus_source. X(name) */
#define FOCUS_SOURCES(X) \
	X("timer")  \
	X("manual")

/* A library's type (API.md "Library object"); SQL: the CHECK of
 * focus_libraries.library_type. The first is the default. X(name) */
#define FOCUS_LIBRARY_TYPES(X) \
	X("custom")    \
	X("ambient")   \
	X("nature")    \
	X("lofi")      \
	X("classical") \
	X("white_noise")

/* Each list as words (NULL-terminated: a FIELD_ENUM's choices). */
extern const char *const focus_modes[];
extern const int         focus_mode_default_s[];   /* same order as focus_modes */
extern const char *const focus_statuses[];
extern const char *const focus_sources[];
extern const char *const focus_library_types[];

/* The index of word in a NULL-terminated list, or -1. */
int facts_index(const char *const *words, const char *word);

#endif
