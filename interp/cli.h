/* cli.h - the shared pieces of the command line: parsed options and the
 * commands implemented outside main.c. */
#ifndef RV_CLI_H
#define RV_CLI_H

#include <stdint.h>
#include <stdio.h>

typedef struct {
    const char *store;    /* -s STORE */
    const char *as_of;    /* --as-of DATE (NULL: today) */
    int horizon;          /* --horizon DAYS */
    int format;           /* OutFormat, or -1 for the default */
    const char *output;   /* -o FILE */
    const char *customer; /* --customer ID */
    int explain_plan;     /* --explain-plan */
    int reveal;           /* --reveal */
    int fail_on_overdue;  /* --fail-on-overdue */
    int stats;            /* run --stats: per-policy rows, obligations and time on stderr */
    const char *period;   /* --period P */
    const char *by;       /* --by policy|department|staff|week|month|quarter */
    int list;             /* --list: one row per obligation */
    int fail_on_breach;   /* --fail-on-breach */
    int bom;              /* --bom: CSV output starts with a UTF-8 byte-order mark (for Excel) */
    const char *pattern;  /* test --run PATTERN */
    int coverage;         /* test --coverage */
    int open_only;        /* escalations --open */
    int close;            /* ack --close */
    const char *before;   /* purge --before DATE */
    const char *corrects; /* record --corrects VISIT-ID */
    const char *message;  /* publish --message TEXT */
    int published;        /* run --published: the store's versions only */
    int write;            /* fmt -w, --write: rewrite the files in place */
    /* record */
    const char *obligation, *channel, *staff, *at, *outcome, *reason, *note; /* visit fields */
    int satisfaction;     /* --satisfaction, -1 when not given */
    char **answers;       /* --answer Q=A, in the order given (borrowed) */
    int nanswers;         /* how many */
    char **args;          /* positional arguments (borrowed from argv) */
    int nargs;            /* how many */
} Opts;

/* Exit statuses (design.md). */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_STORE = 3 };

/* Parse a period (2026-10, 2026-Q3, 2026-H2, 2026, 2026-10-01, A..B) into
 * day numbers [from, to].  Returns 0 or -1. */
int cli_parse_period(const char *p, int64_t *from, int64_t *to);
/* Parse --as-of or default to today: day number, or -1 after an error. */
int64_t cli_as_of(const Opts *o);
/* Open -o FILE or stdout for the command's output; NULL after an error
 * (printed).  A regular or new FILE is not written in place: the output goes
 * to a temporary file beside it (same folder, FILE's mode) that only
 * cli_output_end puts in FILE's place, so a command that fails leaves FILE
 * as it was and no reader sees half an output.  Anything else (/dev/null, a
 * pipe, a symbolic link), or a writable FILE in a folder that is not, is
 * written in place; the store itself is refused.  Not fsynced: the output
 * can be made again.  Until cli_output_end, SIGINT, SIGTERM and SIGHUP
 * remove the temporary file before they end the process as usual. */
FILE *cli_output(const Opts *o);
/* Close f from cli_output (stdout stays open): when keep, its output
 * replaces -o FILE, else it is dropped and FILE keeps what it held.  0, or
 * -1 after a write, close or rename error (printed). */
int cli_output_end(FILE *f, const Opts *o, int keep);

int cmd_run(const Opts *o);
int cmd_due(const Opts *o);
int cmd_explain(const Opts *o);
int cmd_verdicts(const Opts *o);
int cmd_record(const Opts *o);
int cmd_test(const Opts *o);
int cmd_escalations(const Opts *o);
int cmd_ack(const Opts *o);
int cmd_verify(const Opts *o);
int cmd_purge(const Opts *o);
int cmd_publish(const Opts *o);
int cmd_history(const Opts *o);
int cmd_diff(const Opts *o);
int cmd_impact(const Opts *o);

#endif
