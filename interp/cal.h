/* cal.h - civil dates, times, durations and working-day calendars.
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian); a time
 * is seconds since 1970-01-01 00:00:00 in local civil time (no zones: the
 * store holds local times).  Month arithmetic clamps to the month's end
 * (Jan 31 + 1 month = Feb 28/29).  Working days follow a Calendar (see
 * docs/language.md, "Counting days"). */
#ifndef RV_CAL_H
#define RV_CAL_H

#include <stdint.h>
#include "../grammar/ast.h"

/* Day number of a civil date; does not validate. */
int64_t cal_days(int y, int m, int d);
/* Civil date of a day number. */
void cal_civil(int64_t days, int *y, int *m, int *d);
/* 1 when y-m-d is a real date (years 1..9999). */
int cal_valid(int y, int m, int d);
/* Days in month m of year y. */
int cal_month_len(int y, int m);
/* Weekday of a day number: 0 = Monday ... 6 = Sunday. */
int cal_weekday(int64_t days);

/* Parse "YYYY-MM-DD" (len 10) -> day number. Returns 0 on success, -1 if the
 * text is not a date, -2 if it has date shape but no such day exists. */
int cal_parse_date(const char *s, size_t n, int64_t *days);
/* Parse "YYYY-MM-DD HH:MM[:SS]" (or with 'T') or a bare date (midnight) into
 * seconds.  Same return codes as cal_parse_date. */
int cal_parse_time(const char *s, size_t n, int64_t *secs);
/* Format into out: "YYYY-MM-DD" (11 bytes) / "YYYY-MM-DD HH:MM:SS" (20). */
void cal_fmt_date(int64_t days, char out[11]);
void cal_fmt_time(int64_t secs, char out[20]);

/* Add n months to a day number, clamping to the end of the month. */
int64_t cal_add_months(int64_t days, int64_t n);

/* 1 when day is a working day under cal (NULL: Monday to Friday). */
int cal_is_workday(const Calendar *cal, int64_t day);
/* 1 when day lies outside the dates cal (or a parent) has data for. */
int cal_out_of_range(const Calendar *cal, int64_t day);

/* Add a duration to a time (seconds).  Working days: the start day never
 * counts; the result is the n-th working day after it, at the same clock
 * time.  Negative n moves backwards the same way. */
int64_t cal_add_dur(const Calendar *cal, int64_t secs, Dur d, int sign);

/* Today's local date as a day number. */
int64_t cal_today(void);

#endif
