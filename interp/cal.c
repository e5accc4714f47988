/* cal.c - date arithmetic and working-day calendars (see cal.h). */
#include "cal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t cal_days(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cal_civil(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int cal_month_len(int y, int m)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : len[m - 1];
}

int cal_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= cal_month_len(y, m);
}

int cal_weekday(int64_t days)
{
    int64_t w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int cal_parse_date(const char *s, size_t n, int64_t *days)
{
    int y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d))
        return -1;
    if (!cal_valid(y, m, d)) return -2;
    *days = cal_days(y, m, d);
    return 0;
}

int cal_parse_time(const char *s, size_t n, int64_t *secs)
{
    int64_t days;
    int r = cal_parse_date(s, n < 10 ? n : 10, &days);
    if (r) return r;
    int hh = 0, mm = 0, ss = 0;
    if (n > 10) {
        if ((s[10] != ' ' && s[10] != 'T') || (n != 16 && n != 19)) return -1;
        if (digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mm)) return -1;
        if (n == 19 && (s[16] != ':' || digits(s + 17, 2, &ss))) return -1;
        if (hh > 23 || mm > 59 || ss > 59) return -2;
    }
    *secs = days * 86400 + hh * 3600 + mm * 60 + ss;
    return 0;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

void cal_fmt_date(int64_t days, char out[11])
{
    int y, m, d;
    cal_civil(days, &y, &m, &d);
    if (y < 0) y = 0;
    put2(out, y / 100 % 100);
    put2(out + 2, y % 100);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 0;
}

static int64_t floordiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

void cal_fmt_time(int64_t secs, char out[20])
{
    int64_t days = floordiv(secs, 86400);
    int64_t sod = secs - days * 86400;
    cal_fmt_date(days, out);
    out[10] = ' ';
    put2(out + 11, (int)(sod / 3600));
    out[13] = ':';
    put2(out + 14, (int)(sod / 60 % 60));
    out[16] = ':';
    put2(out + 17, (int)(sod % 60));
    out[19] = 0;
}

int64_t cal_add_months(int64_t days, int64_t n)
{
    int y, m, d;
    cal_civil(days, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + n;
    int ny = (int)floordiv(total, 12);
    int nm = (int)(total - (int64_t)ny * 12) + 1;
    if (ny < 1) ny = 1;
    if (ny > 9999) ny = 9999;
    int ml = cal_month_len(ny, nm);
    return cal_days(ny, nm, d > ml ? ml : d);
}

static int in_sorted(const int64_t *v, int n, int64_t x)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (v[mid] == x) return 1;
        if (v[mid] < x) lo = mid + 1;
        else hi = mid - 1;
    }
    return 0;
}

int cal_is_workday(const Calendar *cal, int64_t day)
{
    int mask = 0x60; /* sat, sun */
    for (const Calendar *c = cal; c; c = c->parent)
        if (c->weekend_mask >= 0) {
            mask = c->weekend_mask;
            break;
        }
    /* the most specific calendar decides: a child's holiday or workday wins */
    for (const Calendar *c = cal; c; c = c->parent) {
        if (in_sorted(c->holidays, c->nholidays, day)) return 0;
        if (in_sorted(c->workdays, c->nworkdays, day)) return 1;
    }
    return !(mask & (1 << cal_weekday(day)));
}

int cal_out_of_range(const Calendar *cal, int64_t day)
{
    for (const Calendar *c = cal; c; c = c->parent)
        if (c->cover_from != INT64_MIN) return day < c->cover_from || day > c->cover_to;
    return 0;
}

int64_t cal_add_dur(const Calendar *cal, int64_t secs, Dur d, int sign)
{
    int64_t n = d.n * sign;
    int64_t day = floordiv(secs, 86400), sod = secs - day * 86400;
    switch (d.unit) {
    case U_HOURS: return secs + n * 3600;
    case U_DAYS: return secs + n * 86400;
    case U_WEEKS: return secs + n * 7 * 86400;
    case U_MONTHS: return cal_add_months(day, n) * 86400 + sod;
    case U_QUARTERS: return cal_add_months(day, n * 3) * 86400 + sod;
    case U_YEARS: return cal_add_months(day, n * 12) * 86400 + sod;
    case U_WDAYS: {
        int step = n < 0 ? -1 : 1;
        int64_t left = n < 0 ? -n : n;
        int guard = 0;
        while (left > 0 && guard < 100000) {
            day += step;
            guard++;
            if (cal_is_workday(cal, day)) left--;
        }
        return day * 86400 + sod;
    }
    }
    return secs;
}

int64_t cal_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return cal_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
