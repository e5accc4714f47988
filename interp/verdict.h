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
/* Subjects of policy visited on time, and subjects eligible (from the runs'
 * records) in the period.  Returns 0 or -1. */
int vd_coverage(sqlite3 *db, const VdResult *r, const char *policy, int64_t from, int64_t to, long *covered,
                long *eligible);

#endif
