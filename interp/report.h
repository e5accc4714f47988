/* report.h - `revisit report`: the compliance report of a period for
 * people, as one self-contained HTML file (inline SVG charts, no network)
 * or as Markdown for e-mail (see report.c and docs/report.md). */
#ifndef RV_REPORT_H
#define RV_REPORT_H

#include "cli.h"

/* Values of Opts.format for `report`, apart from the due-list formats. */
enum { REP_HTML = 16, REP_MD = 17 };

/* Parse a report format: "html" or "md" (also "markdown").  Returns
 * REP_HTML, REP_MD, or -1 for anything else. */
int rep_format(const char *s);

/* `revisit report -s STORE --period P [--as-of DATE] [--format html|md]
 * [-o FILE] [--fail-on-breach]`: judge the period as `verdicts` does (and so
 * record the same new verdicts), then write the report.  Returns an exit
 * status: 0, 1 (a breach, with --fail-on-breach), 2 (usage), 3 (store or
 * I/O). */
int cmd_report(const Opts *o);

#endif
