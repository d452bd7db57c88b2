/*
 * localdate.c: see localdate.h.
 */
#include <string.h>

#include "localdate.h"

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* the Gregorian rule, which PostgreSQL's dates follow */
static int
is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
localdate_parse(const char *s, size_t n, char out[LOCALDATE_LEN + 1])
{
	static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int year, month, day, last;

	if (s == NULL || n != LOCALDATE_LEN || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &year) != 0 || digits(s + 5, 2, &month) != 0 || digits(s + 8, 2, &day) != 0)
		return -1;
	if (year < 1 || month < 1 || month > 12)
		return -1;
	last = month_days[month - 1] + (month == 2 && is_leap(year));
	if (day < 1 || day > last)
		return -1;
	memcpy(out, s, LOCALDATE_LEN);
	out[LOCALDATE_LEN] = '\0';
	return 0;
}
