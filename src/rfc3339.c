#include "rfc3339.h"

/* n digits at s as a number, or -1 */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
days_in(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

int
rfc3339_valid(const char *s, size_t len)
{
	int    year, month, day, hour, minute, second;
	size_t i = 19, frac = 0;

	if (len < 20 || len > RFC3339_MAX_LEN)
		return 0;
	if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return 0;
	year = digits(s, 4);
	month = digits(s + 5, 2);
	day = digits(s + 8, 2);
	hour = digits(s + 11, 2);
	minute = digits(s + 14, 2);
	second = digits(s + 17, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in(year, month) ||
	    hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
		return 0;
	if (s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			frac++;
		if (frac < 1 || frac > 6)
			return 0;
	}
	if (i == len - 1)
		return s[i] == 'Z' || s[i] == 'z';
	if (i + 6 != len || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':')
		return 0;
	hour = digits(s + i + 1, 2);
	minute = digits(s + i + 4, 2);
	return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;
}
