/* facts.c: the lists of facts.h as arrays. */
#include <string.h>

#include "facts.h"

#define MODE_NAME(name, seconds)     name,
#define MODE_DURATION(name, seconds) seconds,
#define WORD(name)                   name,

const char *const focus_modes[] = { FOCUS_MODES(MODE_NAME) NULL };
const int         focus_mode_default_s[] = { FOCUS_MODES(MODE_DURATION) };
const char *const focus_statuses[] = { FOCUS_STATUSES(WORD) NULL };
const char *const focus_sources[] = { FOCUS_SOURCES(WORD) NULL };
const char *const focus_library_types[] = { FOCUS_LIBRARY_TYPES(WORD) NULL };

int
facts_index(const char *const *words, const char *word)
{
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], word) == 0)
			return i;
	return -1;
}
