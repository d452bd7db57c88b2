#include "ferr.h"

static const struct {
	int         status;
	const char *kind;
	const char *text;
} ferr_table[FERR__MAX] = {
#define FERR_ROW(name, status, kind, text) [name] = { status, kind, text },
	FERR_LIST(FERR_ROW)
#undef FERR_ROW
};

int
ferr_status(enum ferr e)
{
	return (unsigned)e < FERR__MAX ? ferr_table[e].status : 500;
}

const char *
ferr_kind(enum ferr e)
{
	return (unsigned)e < FERR__MAX ? ferr_table[e].kind : "internal";
}

const char *
ferr_text(enum ferr e)
{
	return (unsigned)e < FERR__MAX ? ferr_table[e].text : ferr_table[FERR_INTERNAL].text;
}
