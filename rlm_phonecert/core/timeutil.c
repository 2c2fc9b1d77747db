/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

static bool read_digits(char const *p, int count, int *value)
{
	int v = 0;

	for (int i = 0; i < count; i++) {
		if (p[i] < '0' || p[i] > '9') return false;
		v = v * 10 + (p[i] - '0');
	}
	*value = v;
	return true;
}

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static int const days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return (month == 2 && is_leap(year)) ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian, years from 1970), no libc time zone involved. */
static long long days_from_epoch(int year, int month, int day)
{
	/* Days in the whole years before this one, counting leap years up to year - 1. */
	long long y = year - 1;
	long long days = 365LL * (year - 1970) + (y / 4 - y / 100 + y / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400);

	for (int m = 1; m < month; m++) days += days_in_month(year, m);
	return days + day - 1;
}

bool pc_time_parse(char const *text, time_t *out)
{
	int year, month, day, hour, minute, second;

	if (!text || strlen(text) != 20) return false;
	if (!read_digits(text, 4, &year) || text[4] != '-' ||
	    !read_digits(text + 5, 2, &month) || text[7] != '-' ||
	    !read_digits(text + 8, 2, &day) ||
	    (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
	    !read_digits(text + 11, 2, &hour) || text[13] != ':' ||
	    !read_digits(text + 14, 2, &minute) || text[16] != ':' ||
	    !read_digits(text + 17, 2, &second) ||
	    (text[19] != 'Z' && text[19] != 'z')) return false;

	if (year < 1970 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59) return false;

	long long seconds = days_from_epoch(year, month, day) * 86400LL + hour * 3600LL + minute * 60LL + second;
	if ((time_t)seconds != seconds) return false;	/* beyond a 32-bit time_t */
	*out = (time_t)seconds;
	return true;
}

/* n as exactly width decimal digits, most significant first. */
static char *put_digits(char *out, int n, int width)
{
	for (int i = width - 1; i >= 0; i--, n /= 10) out[i] = (char)('0' + n % 10);
	return out + width;
}

/* By hand: strftime goes through the locale on every call, and this runs three times in every phone's handshake. */
void pc_time_format_tm(struct tm const *tm, char *buf, size_t len)
{
	int year = tm->tm_year + 1900;
	char *out = buf;

	/* Outside years 0-9999 the text would not fit the RFC 3339 form (nor PC_TIME_STRLEN). */
	if (len < PC_TIME_STRLEN || year < 0 || year > 9999 || tm->tm_mon < 0 || tm->tm_mon > 11 ||
	    tm->tm_mday < 1 || tm->tm_mday > 31 || tm->tm_hour < 0 || tm->tm_hour > 23 ||
	    tm->tm_min < 0 || tm->tm_min > 59 || tm->tm_sec < 0 || tm->tm_sec > 60) {
		snprintf(buf, len, "(invalid time)");
		return;
	}
	out = put_digits(out, year, 4);
	*out++ = '-';
	out = put_digits(out, tm->tm_mon + 1, 2);
	*out++ = '-';
	out = put_digits(out, tm->tm_mday, 2);
	*out++ = 'T';
	out = put_digits(out, tm->tm_hour, 2);
	*out++ = ':';
	out = put_digits(out, tm->tm_min, 2);
	*out++ = ':';
	out = put_digits(out, tm->tm_sec, 2);
	*out++ = 'Z';
	*out = '\0';
}

void pc_time_format(time_t when, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&when, &tm)) {
		snprintf(buf, len, "(invalid time)");
		return;
	}
	pc_time_format_tm(&tm, buf, len);
}
