/* main.c - the `revisit` command: option parsing, help, and the commands
 * init, check and import; run, due and explain live in run.c. */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include "check.h"
#include "cli.h"
#include "diag.h"
#include "load.h"
#include "out.h"
#include "plan.h"
#include "report.h"
#include "fmt.h"
#include "store.h"
#include "../repl/repl.h"

typedef struct {
    const char *name;          /* command word */
    int (*fn)(const Opts *);   /* implementation */
    const char *usage;         /* one line */
    const char *help;          /* what it does */
} Command;

static int cmd_init(const Opts *o);
static int cmd_check(const Opts *o);
static int cmd_import(const Opts *o);

static const Command commands[] = {
    {"init", cmd_init, "revisit init STORE",
     "Create a store with the documented schema (no-op on an existing store; upgrades an older one)."},
    {"check", cmd_check, "revisit check [-s STORE] [--explain-plan] POLICY...",
     "Parse and check policies against the store's real columns (or the documented schema without -s).\n"
     "Every error is printed as file:line:col: error: message, with the source line and a caret.\n"
     "--explain-plan prints the SQL each policy would send. Exit 1 on any error."},
    {"run", cmd_run,
     "revisit run -s STORE [--as-of DATE] [--horizon DAYS] [--format table|csv|json] [-o FILE]\n"
     "                    [--explain-plan] [--reveal] [--fail-on-overdue] [--published] [--stats] POLICY...",
     "Evaluate the policies as of DATE (default today), record the overdue, due and upcoming (within\n"
     "--horizon days, default 7) obligations in the store in one transaction, and print the due-list.\n"
     "A second run on the same data adds nothing. Mobile numbers are masked unless --reveal.\n"
     "Each policy runs in the version in effect on DATE: a file's version when it is in force, else the\n"
     "latest published one in force; --published uses only the store's published versions.\n"
     "--stats prints, per policy, the rows examined, obligations made and time spent (on stderr).\n"
     "When stderr is a terminal a progress line shows the policy, rows, rate and time left."},
    {"due", cmd_due, "revisit due -s STORE [--as-of DATE] [--horizon DAYS] [--customer ID] [--format F] [-o FILE]",
     "List the obligations recorded in the store that are not yet done."},
    {"explain", cmd_explain, "revisit explain -s STORE OBLIGATION-ID|ESCALATION-ID",
     "Show the policy version, the rule and the facts (values and computed dates) that made an obligation due;\n"
     "for an escalation, its rule, target and the cases, visits and answers that triggered it."},
    {"record", cmd_record,
     "revisit record -s STORE --obligation ID --channel C --at TIME --outcome completed|unreachable|refused|rescheduled\n"
     "                    [--staff S] [--reason R] [--satisfaction N] [--note N] [--answer Q=A ...] [--corrects VISIT]",
     "Record one visit (and its answers, in the order given) against an obligation, in one transaction.\n"
     "An answer is affirmative when it equals the question's `affirmative` answer; a question without one\n"
     "is not judged on its answer (the answers table still records yes, y, true, 1, 是, 满意, 有, 知道, 了解,\n"
     "清楚 and 收到 as affirmative)."},
    {"verdicts", cmd_verdicts,
     "revisit verdicts -s STORE --period P [--as-of DATE] [--by policy|department|staff|week|month|quarter]\n"
     "                    [--list] [--format table|csv|json] [-o FILE] [--fail-on-breach] [--bom]",
     "Judge every obligation triggered in the period (2026-10, 2026-Q3, 2026-H2, 2026, 2026-10-01..2026-10-31)\n"
     "against its visits: met, late, missed, wrong_channel, wrong_assignee, incomplete, unreachable,\n"
     "problem_case (or open while its deadline has not passed). Records new verdicts and problem-case\n"
     "follow-ups in one transaction, then prints the statistics (--list: one row per obligation).\n"
     "Exit 1 with --fail-on-breach when a required coverage is missed. --bom starts CSV with a UTF-8\n"
     "byte-order mark, so that Excel shows Chinese text (also for run, due and escalations)."},
    {"test", cmd_test, "revisit test [--run PATTERN] [--coverage] POLICY...",
     "Run the tests written in the policy files: each in a fresh in-memory store with its fixture and\n"
     "given rows, every policy evaluated as of the test's date. Failures name the file:line:col, the\n"
     "expectation and what happened. --run selects tests whose name contains PATTERN; --coverage lists\n"
     "the schedules, assign lines and questions no test exercised. Exit 1 on any failure."},
    {"escalations", cmd_escalations, "revisit escalations -s STORE [--open] [--period P] [--as-of DATE] [--format F]",
     "List escalations: rule, level and target, the customer and subject, when raised and due, how many\n"
     "subjects they cite, and their status (open, overdue, acknowledged, escalated, closed).\n"
     "--open leaves out the closed and the escalated ones."},
    {"ack", cmd_ack, "revisit ack -s STORE ESCALATION-ID --by STAFF [--note TEXT] [--close]",
     "Acknowledge (or with --close, close) an escalation. Recorded with who and when, never deleted;\n"
     "an acknowledged escalation no longer moves up its chain."},
    {"verify", cmd_verify, "revisit verify -s STORE",
     "Recompute the hash chain over visits, answers, verdicts and escalation acknowledgements and report\n"
     "the first broken link (a record changed, deleted or reordered after it was sealed). Exit 1 when broken."},
    {"purge", cmd_purge, "revisit purge -s STORE --before DATE --by NAME [--note TEXT]",
     "Remove visits (with their answers), verdicts and acknowledgements older than DATE, which must lie\n"
     "beyond the retention period (revisit_meta retention_days, default 730). A signed-off checkpoint\n"
     "records what went; the chain still verifies."},
    {"repl", repl_main, "revisit repl [-s STORE] [--as-of DATE] [--horizon DAYS] [--format table|csv|json] [POLICY...]",
     "Try rules interactively: expressions for a case or customer (:with), typed policies, what a run would make\n"
     "due (:due) and why (:why), without writing to the store. From a script on standard input: no prompts,\n"
     "exit 1 if a line failed. See docs/repl.md."},
    {"publish", cmd_publish, "revisit publish -s STORE POLICY... --by NAME --message TEXT",
     "Store each policy's version: its source, the SHA-256 of its canonical form, effective date, author,\n"
     "time and message. Publishing the same meaning again changes nothing; a changed policy must raise\n"
     "its version. All or nothing."},
    {"history", cmd_history, "revisit history -s STORE POLICY", "List the published versions of a policy."},
    {"diff", cmd_diff, "revisit diff [-s STORE] OLD NEW",
     "Changes in meaning between two versions (files or folders, or POLICY@vN from the store): deadlines,\n"
     "coverage, channels, questions, selection conditions, assignment, escalations. Layout and comments\n"
     "are no change. Exit 1 when the meaning changed."},
    {"impact", cmd_impact, "revisit impact -s STORE --period P [--as-of DATE] [--format F] OLD NEW",
     "Replay the period under both versions on a copy of the store's data and report obligations added\n"
     "and removed, deadlines moved, verdicts that flip, and coverage before and after. Never writes."},
    {"report", cmd_report,
     "revisit report -s STORE --period P [--as-of DATE] [--format html|md] [-o FILE] [--fail-on-breach]",
     "Judge the period as `verdicts` does, then write the compliance report for people: one self-contained\n"
     "HTML file (inline SVG charts, no network; the default) or Markdown (--format md, or -o FILE.md).\n"
     "Coverage by policy against the requirement, breaches first; the trend by week or month; tables by\n"
     "department and staff member; the non-compliant obligations; escalations open at the end of the\n"
     "period; the policy versions in force. Phone and identity numbers are masked."},
    {"fmt", cmd_fmt, "revisit fmt [-w] POLICY...",
     "Print policy files in the one canonical layout (docs/fmt.md): clauses in a fixed order, one per line,\n"
     "expressions in one spelling, comments kept. Idempotent; never changes meaning. -w (--write) rewrites\n"
     "the files in place instead. Folders: every *.rv below them; -: standard input. Nothing is printed or\n"
     "written when a file does not parse (exit 1)."},
    {"import", cmd_import, "revisit import -s STORE TABLE FILE.csv",
     "Load a CSV file (UTF-8, header row naming columns) into a store table, all or nothing.\n"
     "Empty fields are stored as null; times are checked and normalised to YYYY-MM-DD HH:MM:SS."},
};
enum { NCOMMANDS = sizeof commands / sizeof *commands };

static void usage(FILE *f)
{
    fprintf(f, "usage: revisit COMMAND [OPTIONS] ...\n\ncommands:\n");
    for (int i = 0; i < NCOMMANDS; i++) fprintf(f, "  %s\n", commands[i].usage);
    fprintf(f, "\n'revisit COMMAND --help' describes one command. Exit status: 0 success, 1 findings,\n"
               "2 usage error, 3 store or I/O error.\n");
}

static int need_arg(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) {
        fprintf(stderr, "revisit: %s needs a value\n", opt);
        return 0;
    }
    return 1;
}

/* Parse options after the command word.  Returns 0, or an exit code. */
static int parse_opts(int argc, char **argv, Opts *o, const Command *cmd)
{
    memset(o, 0, sizeof *o);
    o->format = -1;
    o->horizon = 7;
    o->args = xcalloc((size_t)argc + 1, sizeof *o->args);
    o->answers = xcalloc((size_t)argc + 1, sizeof *o->answers);
    o->satisfaction = -1;
    int only_args = 0;
    for (int i = 2; i < argc; i++) {
        char *a = argv[i];
        if (only_args || a[0] != '-' || !a[1]) {
            o->args[o->nargs++] = a;
            continue;
        }
        if (!strcmp(a, "--")) only_args = 1;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n%s\n", cmd->usage, cmd->help);
            return -1;
        } else if (!strcmp(a, "-s") || !strcmp(a, "--store")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            o->store = argv[++i];
        } else if (!strcmp(a, "--as-of")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            o->as_of = argv[++i];
        } else if (!strcmp(a, "--horizon")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            char *end;
            long h = strtol(argv[++i], &end, 10);
            if (*end || h < 0 || h > 3660) {
                fprintf(stderr, "revisit: --horizon takes a number of days from 0 to 3660\n");
                return EXIT_USAGE;
            }
            o->horizon = (int)h;
        } else if (!strcmp(a, "--format") || !strcmp(a, "-f")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            int report = !strcmp(cmd->name, "report");
            o->format = report ? rep_format(argv[++i]) : out_format(argv[++i]);
            if (o->format < 0) {
                fprintf(stderr, "revisit: --format takes %s, not '%s'\n", report ? "html or md" : "table, csv or json",
                        argv[i]);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            o->output = argv[++i];
        } else if (!strcmp(a, "--customer")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            o->customer = argv[++i];
        } else if (!strcmp(a, "--period") || !strcmp(a, "--by") || !strcmp(a, "--obligation") ||
                   !strcmp(a, "--channel") || !strcmp(a, "--staff") || !strcmp(a, "--at") ||
                   !strcmp(a, "--outcome") || !strcmp(a, "--reason") || !strcmp(a, "--note") ||
                   !strcmp(a, "--answer") || !strcmp(a, "--satisfaction") || !strcmp(a, "--before") ||
                   !strcmp(a, "--corrects") || !strcmp(a, "--message")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            char *v = argv[++i];
            if (!strcmp(a, "--period")) o->period = v;
            else if (!strcmp(a, "--by") && (!strcmp(cmd->name, "ack") || !strcmp(cmd->name, "purge") ||
                                             !strcmp(cmd->name, "publish")))
                o->staff = v;
            else if (!strcmp(a, "--by")) o->by = v;
            else if (!strcmp(a, "--obligation")) o->obligation = v;
            else if (!strcmp(a, "--channel")) o->channel = v;
            else if (!strcmp(a, "--staff")) o->staff = v;
            else if (!strcmp(a, "--at")) o->at = v;
            else if (!strcmp(a, "--outcome")) o->outcome = v;
            else if (!strcmp(a, "--reason")) o->reason = v;
            else if (!strcmp(a, "--note")) o->note = v;
            else if (!strcmp(a, "--answer")) o->answers[o->nanswers++] = v;
            else if (!strcmp(a, "--before")) o->before = v;
            else if (!strcmp(a, "--corrects")) o->corrects = v;
            else if (!strcmp(a, "--message")) o->message = v;
            else {
                char *end;
                long n = strtol(v, &end, 10);
                if (*end || n < 0 || n > 100) {
                    fprintf(stderr, "revisit: --satisfaction takes a score from 0 to 100\n");
                    return EXIT_USAGE;
                }
                o->satisfaction = (int)n;
            }
        } else if (!strcmp(a, "--run")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            o->pattern = argv[++i];
        } else if (!strcmp(a, "--coverage")) o->coverage = 1;
        else if (!strcmp(a, "--list")) o->list = 1;
        else if (!strcmp(a, "--open")) o->open_only = 1;
        else if (!strcmp(a, "--published")) o->published = 1;
        else if (!strcmp(a, "--close")) o->close = 1;
        else if (!strcmp(a, "--by") && !strcmp(cmd->name, "ack")) {
            if (!need_arg(i, argc, a)) return EXIT_USAGE;
            o->staff = argv[++i];
        }
        else if (!strcmp(a, "--fail-on-breach")) o->fail_on_breach = 1;
        else if (!strcmp(a, "--bom")) o->bom = 1;
        else if (!strcmp(a, "--explain-plan")) o->explain_plan = 1;
        else if (!strcmp(a, "--reveal")) o->reveal = 1;
        else if (!strcmp(a, "--fail-on-overdue")) o->fail_on_overdue = 1;
        else if (!strcmp(a, "--stats") && !strcmp(cmd->name, "run")) o->stats = 1;
        else if (!strcmp(a, "-w") || !strcmp(a, "--write")) o->write = 1;
        else {
            fprintf(stderr, "revisit: %s: unknown option '%s' (see 'revisit %s --help')\n", cmd->name, a, cmd->name);
            return EXIT_USAGE;
        }
    }
    return 0;
}

static int cmd_init(const Opts *o)
{
    if (o->nargs != 1) {
        fprintf(stderr, "revisit: usage: revisit init STORE\n");
        return EXIT_USAGE;
    }
    return store_init(o->args[0]);
}

static int cmd_check(const Opts *o)
{
    if (!o->nargs) {
        fprintf(stderr, "revisit: usage: revisit check [-s STORE] POLICY...\n");
        return EXIT_USAGE;
    }
    sqlite3 *db = o->store ? store_open(o->store, 1) : store_memory();
    if (!db) return EXIT_STORE;
    Schema *schema = store_schema(db);
    if (!schema) {
        sqlite3_close(db);
        return EXIT_STORE;
    }
    schema->documented = !o->store;
    Program *prog = load_new();
    int errs = load_paths(prog, o->args, o->nargs);
    if (!errs) errs = chk_program(prog, schema);
    int code = EXIT_OK;
    if (errs) {
        diag_summary(NULL);
        code = EXIT_FINDINGS;
    } else {
        if (o->explain_plan) {
            int64_t as_of = cli_as_of(o);
            if (as_of < 0) code = EXIT_USAGE;
            for (size_t i = 0; i < prog->policies.n && !code; i++) {
                Plan *pl = plan_policy(prog->policies.v[i], schema, as_of);
                if (pl && o->store && plan_choose_access(pl, db) < 0) {
                    store_error(db, "cannot read the store");
                    code = EXIT_STORE;
                }
                if (pl && !code) plan_print(pl, stdout);
                plan_free(pl);
            }
        }
        if (!code)
            printf("ok: %zu polic%s, %zu question set%s, %zu calendar%s\n", prog->policies.n,
                   prog->policies.n == 1 ? "y" : "ies", prog->qsets.n, prog->qsets.n == 1 ? "" : "s",
                   prog->calendars.n, prog->calendars.n == 1 ? "" : "s");
    }
    program_free(prog);
    store_schema_free(schema);
    sqlite3_close(db);
    return code;
}

static int cmd_import(const Opts *o)
{
    if (!o->store || o->nargs != 2) {
        fprintf(stderr, "revisit: usage: revisit import -s STORE TABLE FILE.csv\n");
        return EXIT_USAGE;
    }
    sqlite3 *db = store_open(o->store, 0);
    if (!db) return EXIT_STORE;
    long rows = 0;
    int rc = store_import_csv(db, o->args[0], o->args[1], &rows);
    if (!rc) printf("imported %ld row%s into %s\n", rows, rows == 1 ? "" : "s", o->args[0]);
    sqlite3_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    mem_init();
    /* SQLite's allocation counters take one global mutex per malloc, which
     * the run's threads would contend on; nothing here reads them */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("revisit 0.1\n");
        return EXIT_OK;
    }
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name)) continue;
        Opts o;
        int rc = parse_opts(argc, argv, &o, &commands[i]);
        if (rc == 0) rc = commands[i].fn(&o);
        else if (rc < 0) rc = EXIT_OK;
        free(o.args);
        free(o.answers);
        return rc;
    }
    fprintf(stderr, "revisit: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
