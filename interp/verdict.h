/* verdict.h - judging obligations against the visits that belong to them
 * (see verdict.c for the matching rule and the verdicts). */
#ifndef RV_VERDICT_H
#define RV_VERDICT_H

#include <sqlite3.h>
#include <stdint.h>

typedef struct VdResult VdResult;

/* Judge every obligation of db triggered between from and to (day numbers)
 * as of as_of; record new verdicts and open problem-case follow-ups, all in
 * one transaction.  Returns NULL after printing a store error.  Free with
 * vd_free. */
VdResult *vd_judge(sqlite3 *db, int64_t from, int64_t to, int64_t as_of);
void vd_free(VdResult *r);
/* The judged obligations: count, and per obligation its policy, subject,
 * verdict name and reasons (strings owned by the result). */
size_t vd_count(const VdResult *r);
const char *vd_policy(const VdResult *r, size_t i);
const char *vd_subject(const VdResult *r, size_t i);
const char *vd_verdict(const VdResult *r, size_t i);
const char *vd_reasons(const VdResult *r, size_t i);
/* The obligation's id and due-by text. */
const char *vd_id(const VdResult *r, size_t i);
const char *vd_due_by(const VdResult *r, size_t i);
/* Subjects of policy visited on time, and subjects eligible (from the runs'
 * records) in the period.  Returns 0 or -1. */
int vd_coverage(sqlite3 *db, const VdResult *r, const char *policy, int64_t from, int64_t to, long *covered,
                long *eligible);

/* The verdicts, in the order of the `n` counts of VdStat. */
enum { VD_MET, VD_LATE, VD_MISSED, VD_WRONG_CHANNEL, VD_WRONG_ASSIGNEE, VD_INCOMPLETE, VD_UNREACHABLE, VD_PROBLEM,
       VD_OPEN, VD_NVERDICTS };
/* The name of verdict v (0 <= v < VD_NVERDICTS): "met", ..., "open". */
const char *vd_verdict_name(int v);

/* One judged obligation, read through vd_view: every pointer is borrowed
 * from the VdResult and valid until vd_free. */
typedef struct {
    const char *id;          /* obligation id */
    const char *policy;      /* policy id */
    int version;             /* policy version that made it due */
    const char *customer;    /* customer id */
    const char *case_id;     /* case id, or NULL */
    const char *subject;     /* subject id */
    const char *due_by;      /* as stored */
    const char *trigger_day; /* YYYY-MM-DD */
    const char *department;  /* the case's department, or NULL */
    const char *staff;       /* staff id of the completed visit, or NULL */
    int verdict;             /* VD_* */
    int ok;                  /* compliant (meaningless while open) */
    long long visit;         /* the completed visit's id, or 0 */
    const char *reasons;     /* why, "; "-separated ("" if none) */
} VdView;
/* Fill *out with obligation i (0 <= i < vd_count(r)). */
void vd_view(const VdResult *r, size_t i, VdView *out);

/* Statistics of one group of judged obligations (a row of `verdicts`). */
typedef struct {
    char *key;          /* policy, department, staff id, or period label; "-" for none */
    long n[VD_NVERDICTS]; /* obligations per verdict */
    long total;         /* obligations judged */
    long failed;        /* judged and not compliant (open ones excluded) */
    long completed;     /* with a completed visit */
    long on_time;       /* completed by the deadline */
    long complete;      /* completed with the whole script */
    long sat_n;         /* completed visits with a satisfaction score */
    long sat_sum;       /* the sum of those scores */
    long sat_ok;        /* those scores that are 4 or more */
    long eligible;      /* eligible subjects from the runs (policy and period rows; 0 otherwise) */
    long covered;       /* distinct subjects (per policy) visited on time */
    long required_bp;   /* required coverage in basis points (policy rows); -1 unknown */
} VdStat;

/* Statistics rows, sorted by key. */
typedef struct {
    VdStat *v; /* heap array of n rows */
    size_t n;  /* how many */
} VdStats;

/* Group the judged obligations of r by `by` ("policy" or NULL, "department",
 * "staff", "week", "month", "quarter"; anything else: NULL) and count them.
 * from and to are the period judged (day numbers): by policy, every policy
 * with eligible subjects in the period gets a row with its eligible count
 * and required coverage; by week, month or quarter, existing rows get the
 * eligible subjects of the runs' groups that start in them.  Returns NULL
 * after printing a store error.  The caller frees with vd_stats_free. */
VdStats *vd_stats(sqlite3 *db, const VdResult *r, const char *by, int64_t from, int64_t to);
void vd_stats_free(VdStats *s);
/* The label of the week ("week of 2026-10-05"), month ("2026-10") or quarter
 * ("2026-Q4") holding day d, as vd_stats keys it, into buf (size n).
 * Returns buf, or NULL for another `by`. */
const char *vd_period_key(const char *by, int64_t d, char *buf, size_t n);
/* A policy row's standing: VD_STAND_OK, VD_STAND_AT_RISK (coverage below
 * the requirement while obligations are still open), VD_STAND_BREACH, or
 * VD_STAND_NONE when no requirement or no eligible subject is known. */
enum { VD_STAND_NONE, VD_STAND_OK, VD_STAND_AT_RISK, VD_STAND_BREACH };
int vd_standing(const VdStat *s);

#endif
