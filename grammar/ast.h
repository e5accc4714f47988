/* ast.h - the syntax tree of the policy language.
 *
 * The parser builds it through the ast_* constructors below (grammar actions
 * call nothing else); the checker annotates it (types, column slots); the
 * planner and evaluator read it.  Every node lives in the Arena of the Program
 * that owns it and is freed with that Program: never free() a node. */
#ifndef RV_AST_H
#define RV_AST_H

#include <stdint.h>
#include "../interp/util.h"

/* A position in a source file, as bison tracks it (1-based, columns counted
 * in characters). */
typedef struct {
    int first_line, first_column; /* where the construct starts */
    int last_line, last_column;   /* where it ends (inclusive) */
    const struct Source *src;     /* the file it comes from */
} Loc;

/* A loaded source text. */
typedef struct Source {
    char *path;  /* as the user named it */
    char *text;  /* whole file, NUL-terminated */
    size_t len;  /* bytes in text */
} Source;

/* Units of a duration.  U_WDAYS counts working days of a calendar. */
typedef enum { U_HOURS, U_DAYS, U_WDAYS, U_WEEKS, U_MONTHS, U_QUARTERS, U_YEARS } Unit;

typedef struct {
    int64_t n; /* how many */
    Unit unit; /* of what */
} Dur;

/* Static types the checker assigns to expressions. */
typedef enum {
    T_UNKNOWN, T_NULL, T_BOOL, T_INT, T_DEC, T_TEXT, T_DATE, T_TIME, T_DUR, T_PCT, T_LIST
} Type;

typedef enum {
    E_STR, E_INT, E_DEC, E_PCT, E_DATE, E_TIME, E_DUR, E_BOOL, E_NULL, E_TODAY,
    E_COL,    /* column reference */
    E_BIN,    /* binary operator */
    E_NOT,    /* logical not */
    E_NEG,    /* arithmetic minus */
    E_ISNULL, /* x is [not] null */
    E_IN,     /* x [not] in [list] */
    E_COUNT,  /* count(table where ...) */
    E_EXISTS, /* exists(table where ...) */
    E_LIST,   /* [a, b, ...] */
    E_NEXT,   /* next(table where ..., after T): time of the first matching row after T */
    E_CALL    /* builtin function call: name in s, arguments in items */
} ExprKind;

/* Binary operators; comparison and arithmetic use their ASCII spelling. */
enum { OP_AND = 256, OP_OR, OP_EQ, OP_NE, OP_LE, OP_GE };

/* Which row a column reference reads. */
typedef enum {
    Q_NONE,     /* the row in scope: the subject, or the counted row */
    Q_CUSTOMER, /* customer.col: the subject's customer */
    Q_THIS      /* this.col: the subject, from inside count()/exists() */
} Qual;

typedef struct Expr Expr;
struct Expr {
    ExprKind kind; /* which variant */
    Loc loc;       /* where it was written */
    Type type;     /* set by the checker */
    int slot;      /* checker/planner: value slot for E_COL, E_COUNT, E_EXISTS; -1 if none */
    int neg;       /* E_ISNULL / E_IN: the "not" form */
    int op;        /* E_BIN: '+', '-', '*', '/', '<', '>', OP_* */
    Expr *a, *b;   /* operands (E_BIN, E_NOT, E_NEG, E_ISNULL, E_IN: a, list b) */
    char *s;       /* E_STR text; E_COL column name; E_COUNT/E_EXISTS table */
    Qual qual;     /* E_COL qualifier */
    int64_t i;     /* E_INT value; E_DATE days; E_TIME seconds; E_BOOL; E_PCT basis points */
    double d;      /* E_DEC value */
    Dur dur;       /* E_DUR value; E_COUNT/E_EXISTS "within" period (n == 0: none) */
    int same;      /* E_COUNT/E_EXISTS: 1 + Unit of "same <period>" (0: none) */
    Expr **items;  /* E_LIST elements */
    int nitems;    /* E_LIST length */
    Expr *where;   /* E_COUNT/E_EXISTS/E_NEXT filter (may be NULL) */
    /* E_NEXT: the lower bound T is in `a` */
};

/* ---- schedules ---- */
typedef enum {
    S_WITHIN,      /* within D after T: [T, T+D] */
    S_BETWEEN,     /* between D1 and D2 after T: [T+D1, T+D2] */
    S_AT,          /* at D1, D2... after T: one point each */
    S_BEFORE,      /* at D1, D2... before T */
    S_EVERY,       /* every D from T [until T2] */
    S_IMMEDIATELY, /* immediately after T */
    S_REMIND       /* at D1, D2... before every P from T [until T2]: reminders ahead of each occurrence */
} SchedKind;

typedef struct {
    SchedKind kind; /* which form */
    Loc loc;        /* the whole "due ..." clause */
    Dur *durs;      /* the durations (one for within/every, two for between) */
    int ndurs;      /* how many */
    Expr *anchor;   /* T */
    Expr *until;    /* S_EVERY, S_REMIND: optional end */
    Dur period;     /* S_REMIND: the recurrence period */
} Sched;

/* One "assign" line: role groups tried in order (fallback), each group a
 * set of roles assigned jointly; applies when `when` holds (NULL: always). */
typedef struct {
    Loc loc;          /* the line */
    char ***groups;   /* groups[g] is a NULL-terminated list of role names */
    int ngroups;      /* number of fallback alternatives */
    Expr *when;       /* condition or NULL */
} AssignRule;

/* One "priority N [when C]" line. */
typedef struct {
    Loc loc;     /* the line */
    Expr *value; /* integer expression */
    Expr *when;  /* condition or NULL */
} PrioRule;

/* A calling window "HH:MM-HH:MM", minutes since midnight. */
typedef struct {
    int from, to; /* [from, to) */
} Window;

/* `escalate [NAME] to ROLES [then ROLES ...] [within D] when EXPR [once per
 * KEYS]` (on the facts of a subject) or `... on VERDICT` / `on dissatisfied`
 * / `on answer Q = "V"` (on a judged visit). */
typedef struct {
    Loc loc;          /* the clause */
    char *name;       /* rule name (default: escalation<N>) */
    char ***levels;   /* levels[k]: NULL-terminated joint roles of level k */
    int nlevels;      /* 1 + the `then` steps */
    Dur within;       /* deadline after raising (n == 0: the same day) */
    Expr *when;       /* fact condition, or NULL */
    char **once_per;  /* NULL-terminated: column names and period words (week, month, quarter, year) */
    Expr **once_cols; /* checker: a column reference per column key (NULL for period words) */
    char *on;         /* verdict name, "dissatisfied" or "answer"; NULL for fact rules */
    char *question;   /* on answer: the question */
    char *value;      /* on answer: the answer that escalates */
} Escalation;

typedef struct Policy Policy;
struct Policy {
    Loc loc;            /* the "policy" keyword to the closing brace */
    char *id;           /* policy identifier */
    char *title;        /* display title or NULL */
    int64_t version;    /* 1 unless given */
    int64_t effective;  /* days since epoch; INT64_MIN when not given */
    Loc effective_loc;  /* where "effective" was written */
    char *table;        /* subject table: cases, customers, contacts */
    Loc table_loc;      /* where it was written */
    Expr *where;        /* selection filter or NULL */
    PtrVec scheds;      /* Sched*, one per "due" line */
    int64_t coverage;   /* basis points (10000 = 100%); -1 when not given */
    Loc coverage_loc;   /* where it was written */
    int64_t at_least;   /* minimum sample size; 0 when not given */
    char *seed;         /* sampling seed or NULL (defaults to the id) */
    Unit sample_per;    /* sampling group: U_DAYS, U_WEEKS, U_MONTHS or U_YEARS */
    char **channels;    /* NULL-terminated, in order of preference */
    Loc channels_loc;   /* where they were written */
    Window *windows;    /* calling windows */
    int nwindows;       /* how many */
    int windows_workdays; /* windows only on working days */
    PtrVec assigns;     /* AssignRule* */
    PtrVec prios;       /* PrioRule* */
    PtrVec escalations; /* Escalation* */
    char **asks;        /* NULL-terminated question-set names */
    Loc asks_loc;       /* where they were written */
    char *calendar;     /* calendar name or NULL (file default) */
    Loc calendar_loc;   /* where it was written */
    int64_t attempts;   /* failed attempts needed for a valid "unreachable"; 0: none */
    int attempts_days;  /* ... on different days */
    char **deny;        /* NULL-terminated "channel:role" pairs (wrong_channel) */
    int ndeny;          /* how many */
    Dur problem_within; /* follow-up after a problem case (n == 0: none) */
    char **problem_assign; /* NULL-terminated joint roles for that follow-up, or NULL */
    int64_t dissatisfied_below; /* satisfaction below this needs a recorded reason; 0: off */
    /* filled by the checker */
    struct QSet **qsets;       /* resolved question sets, parallel to asks */
    struct Calendar *cal;      /* resolved calendar (NULL: weekends only) */
    char sha256[65];           /* hash of the policy's source text */
    int warned_range;          /* evaluation: out-of-calendar warning given */
    unsigned seen;             /* parser: single-valued clauses already given (bits) */
    Loc version_loc;           /* where the version was written */
};

/* A question inside a set. */
typedef struct {
    Loc loc;           /* where it was declared */
    char *id;          /* short name, used in answers.question */
    char *text;        /* what is asked */
    int mandatory;     /* 1 unless "optional" */
    char *affirmative; /* the answer that counts as affirmative */
    Expr *when;        /* asked only when this holds (NULL: always) */
} Question;

typedef struct QSet {
    Loc loc;       /* declaration */
    char *id;      /* set name */
    char *title;   /* display title or NULL */
    int ordered;   /* questions must be asked in order */
    PtrVec qs;     /* Question* */
} QSet;

/* A holiday calendar. */
typedef struct Calendar {
    Loc loc;            /* declaration */
    char *id;           /* name */
    char *title;        /* display title or NULL */
    char *extends;      /* parent calendar name or NULL */
    Loc extends_loc;    /* where the parent was named */
    int weekend_mask;   /* bit d set: weekday d (0 = Monday) is off; -1 = inherit */
    int64_t cover_from, cover_to; /* days covered by its data; INT64_MIN if unset */
    int64_t *holidays;  /* day numbers off (sorted by the checker) */
    int nholidays;      /* how many */
    int64_t *workdays;  /* weekend days worked (make-up days) */
    int nworkdays;      /* how many */
    struct Calendar *parent; /* resolved by the checker */
} Calendar;

/* "column cases.premium_mode text": an extra store column a file relies on. */
typedef struct {
    Loc loc;     /* where it was declared */
    char *table; /* table name */
    char *name;  /* column name */
    char *type;  /* text, integer, decimal, date or time */
} ColumnDecl;

/* "use calendar cn", "use questions property". */
typedef struct {
    Loc loc;     /* where it was written */
    const char *kind; /* module folder, or NULL */
    char *name;  /* module name */
} Use;

/* A row of test data: `case k1 { kind = "complaint", closed_at = ... }`. */
typedef struct {
    Loc loc;        /* where it was written */
    char *table;    /* customer, case, contact, staff, event, visit (singular, as written) */
    char *id;       /* the row's id (for visits: a label) */
    char **fields;  /* column names */
    Expr **values;  /* literal values, parallel to fields */
    int n;          /* how many */
} FixRow;

/* `fixture NAME { rows }`: data shared by the tests of a file. */
typedef struct {
    Loc loc;       /* declaration */
    char *name;    /* fixture name */
    PtrVec rows;   /* FixRow* */
} Fixture;

typedef enum { X_DUE, X_NODUE, X_VERDICT, X_COVERAGE, X_ESCALATION, X_NOESCALATION } ExpectKind;

/* One `expect` line of a test. */
typedef struct {
    Loc loc;          /* where it was written */
    ExpectKind kind;  /* which expectation */
    char *policy;     /* policy id */
    char *subject;    /* `for NAME`, or NULL */
    int64_t by, from; /* day numbers, INT64_MIN when not given */
    char *via;        /* channel, or NULL */
    char **assign;    /* NULL-terminated joint roles, or NULL */
    char *status;     /* upcoming, due, overdue, or NULL */
    int64_t priority; /* -1 when not given */
    int64_t count;    /* exact number of matching obligations, -1: at least one */
    char *verdict;    /* X_VERDICT: the verdict name; X_(NO)ESCALATION: the rule */
    int64_t pct;      /* X_COVERAGE: basis points */
} Expect;

/* `test "name" [uses FIXTURE] { given ...; as of D; expect ... }`. */
typedef struct {
    Loc loc;          /* declaration */
    char *name;       /* what it checks */
    char *uses;       /* fixture name or NULL */
    Loc uses_loc;     /* where it was named */
    PtrVec rows;      /* FixRow* given */
    PtrVec expects;   /* Expect* */
    int64_t as_of;    /* INT64_MIN when not given */
    int64_t horizon;  /* days, -1: the default */
} Test;

/* Everything parsed from one or more files. */
typedef struct Program {
    Arena arena;        /* owns every node */
    PtrVec sources;     /* Source* (heap-owned by the program) */
    PtrVec policies;    /* Policy* */
    PtrVec qsets;       /* QSet* */
    PtrVec calendars;   /* Calendar* */
    PtrVec uses;        /* Use* */
    PtrVec columns;     /* ColumnDecl* */
    PtrVec fixtures;    /* Fixture* */
    PtrVec tests;       /* Test* */
    PtrVec loaded;      /* char* heap paths already loaded (no double loads) */
    char *default_calendar; /* from "use calendar X" in a file */
} Program;

/* Parser context handed to the scanner and the grammar actions. */
typedef struct ParseCtx {
    Program *prog;     /* where nodes go */
    const Source *src; /* the file being parsed */
    int errors;        /* syntax errors reported so far for this file */
    Policy *cur;       /* the policy whose body is being parsed */
    QSet *curq;        /* the question set being parsed */
    Calendar *curc;    /* the calendar being parsed */
    int fatal;         /* the scanner gave up (nesting limit): stop reporting */
    Fixture *curf;     /* the fixture being parsed */
    Test *curt;        /* the test being parsed */
    FixRow *currow;    /* the row being parsed */
    Expect *curx;      /* the expectation being parsed */
    void *scan_private; /* the scanner's column and nesting counters */
} ParseCtx;

/* Parse ctx->src into ctx->prog (lexer.l).  Returns the number of errors. */
int rv_parse_source(ParseCtx *ctx);

/* ---- constructors (used by the grammar only) ---- */
Expr *ast_str(ParseCtx *c, Loc l, char *s);
Expr *ast_int(ParseCtx *c, Loc l, int64_t v);
Expr *ast_dec(ParseCtx *c, Loc l, double v);
Expr *ast_pct(ParseCtx *c, Loc l, int64_t bp);
Expr *ast_date(ParseCtx *c, Loc l, int64_t days);
Expr *ast_time(ParseCtx *c, Loc l, int64_t secs);
Expr *ast_dur(ParseCtx *c, Loc l, Dur d);
Expr *ast_bool(ParseCtx *c, Loc l, int v);
Expr *ast_null(ParseCtx *c, Loc l);
Expr *ast_today(ParseCtx *c, Loc l);
Expr *ast_col(ParseCtx *c, Loc l, Qual q, char *name);
Expr *ast_binop(ParseCtx *c, Loc l, Expr *a, int op, Expr *b);
Expr *ast_not(ParseCtx *c, Loc l, Expr *a);
Expr *ast_neg(ParseCtx *c, Loc l, Expr *a);
Expr *ast_isnull(ParseCtx *c, Loc l, Expr *a, int neg);
Expr *ast_in(ParseCtx *c, Loc l, Expr *a, Expr *list, int neg);
Expr *ast_count(ParseCtx *c, Loc l, int exists, char *table, Expr *where, Dur *within);
/* count()/exists() over rows in the same calendar week, month, quarter or
 * year as the subject (by each table's time column). */
Expr *ast_count_same(ParseCtx *c, Loc l, int exists, char *table, Expr *where, int64_t unit);
Expr *ast_next(ParseCtx *c, Loc l, char *table, Expr *where, Expr *after);
Expr *ast_call(ParseCtx *c, Loc l, char *name, Expr *args);
Expr *ast_list(ParseCtx *c, Loc l, Expr *first);
Expr *ast_list_add(ParseCtx *c, Expr *list, Expr *item);

/* Durations lists for schedules (a small growable array in the arena). */
typedef struct DurList {
    Dur *v;  /* elements */
    int n;   /* used */
    int cap; /* allocated */
} DurList;
DurList *ast_durs(ParseCtx *c, DurList *l, Dur d);

/* Name lists (channels, roles, question sets). NULL-terminated. */
typedef struct NameList {
    char **v; /* elements, NULL-terminated */
    int n;    /* used */
    int cap;  /* allocated */
} NameList;
NameList *ast_names(ParseCtx *c, NameList *l, char *name);

/* Policy construction: begin sets ctx->cur; the item setters fill it; end
 * closes it and adds it to the program. */
void ast_policy_begin(ParseCtx *c, Loc l, char *id, char *title);
void ast_policy_end(ParseCtx *c, Loc l);
void ast_policy_version(ParseCtx *c, Loc l, int64_t v);
void ast_policy_effective(ParseCtx *c, Loc l, int64_t day);
void ast_policy_applies(ParseCtx *c, Loc tl, char *table, Expr *where);
void ast_policy_sched(ParseCtx *c, Loc l, SchedKind k, DurList *durs, Expr *anchor, Expr *until);
/* Reminders ahead of each occurrence of a recurring date. */
void ast_policy_remind(ParseCtx *c, Loc l, DurList *durs, Dur period, Expr *anchor, Expr *until);
void ast_policy_coverage(ParseCtx *c, Loc l, int64_t bp);
void ast_policy_at_least(ParseCtx *c, Loc l, int64_t n);
void ast_policy_sample_per(ParseCtx *c, int64_t unit);
void ast_policy_seed(ParseCtx *c, char *seed);
void ast_policy_channels(ParseCtx *c, Loc l, NameList *names);
void ast_policy_window(ParseCtx *c, Loc l, int from, int to);
/* "on working days": unit must be days. */
void ast_policy_windows_workdays(ParseCtx *c, Loc l, int64_t unit);
void ast_policy_assign(ParseCtx *c, Loc l, NameList *group);
void ast_policy_assign_when(ParseCtx *c, Expr *when);
void ast_policy_assign_fallback(ParseCtx *c, NameList *group);
void ast_policy_priority(ParseCtx *c, Loc l, Expr *value, Expr *when);
void ast_policy_ask(ParseCtx *c, Loc l, NameList *names);
void ast_policy_calendar(ParseCtx *c, Loc l, char *name);
/* Verdict rules: attempts, denied channel/role pairs, problem follow-up,
 * dissatisfaction threshold. */
void ast_policy_attempts(ParseCtx *c, Loc l, int64_t n, int different_days);
void ast_policy_deny(ParseCtx *c, char *channel, char *role);
void ast_policy_problem(ParseCtx *c, Loc l, Dur within, NameList *assign);
void ast_policy_dissatisfied(ParseCtx *c, Loc l, int64_t below);

void ast_qset_begin(ParseCtx *c, Loc l, char *id, char *title, int ordered);
/* Close the set; l is its body, so the set's location spans to its '}'. */
void ast_qset_end(ParseCtx *c, Loc l);
void ast_question(ParseCtx *c, Loc l, char *id, char *text);
/* Options of the last question: mandatory (1/0), affirmative answer, condition. */
void ast_question_mandatory(ParseCtx *c, int mandatory);
void ast_question_affirmative(ParseCtx *c, Loc l, char *answer);
void ast_question_when(ParseCtx *c, Expr *when);

void ast_cal_begin(ParseCtx *c, Loc l, char *id, char *title, char *extends, Loc el);
void ast_cal_end(ParseCtx *c, Loc l);
void ast_cal_weekend(ParseCtx *c, NameList *days, Loc l);
void ast_cal_covers(ParseCtx *c, Loc l, int64_t from, int64_t to);
/* Days from..to (inclusive) off (holiday=1) or worked; label is informative. */
void ast_cal_days(ParseCtx *c, int holiday, int64_t from, int64_t to, Loc l, char *label);

void ast_use(ParseCtx *c, Loc l, const char *kind, char *name);
void ast_column(ParseCtx *c, Loc l, char *table, char *name, char *type);

/* Escalation rules of the current policy: begin with the first level, add
 * `then` levels, the deadline, and one trigger. */
void ast_escalate(ParseCtx *c, Loc l, char *name, NameList *first);
void ast_escalate_then(ParseCtx *c, NameList *roles);
void ast_escalate_within(ParseCtx *c, Dur d);
void ast_escalate_when(ParseCtx *c, Expr *when, NameList *once_per);
void ast_escalate_on(ParseCtx *c, Loc l, const char *what, char *question, char *value);

/* Tests and fixtures. */
void ast_fixture_begin(ParseCtx *c, Loc l, char *name);
void ast_fixture_end(ParseCtx *c);
void ast_test_begin(ParseCtx *c, Loc l, char *name, char *uses, Loc ul);
void ast_test_end(ParseCtx *c);
void ast_test_as_of(ParseCtx *c, int64_t day);
void ast_test_horizon(ParseCtx *c, int64_t days);
/* Start a data row (into the current fixture or test), add its fields. */
void ast_row(ParseCtx *c, Loc l, char *table, char *id);
void ast_row_field(ParseCtx *c, char *name, Expr *value);
/* Start an expectation; the setters fill the current one. */
void ast_expect(ParseCtx *c, Loc l, ExpectKind k, char *policy);
void ast_expect_for(ParseCtx *c, char *subject);
void ast_expect_by(ParseCtx *c, int64_t day);
void ast_expect_from(ParseCtx *c, int64_t day);
void ast_expect_via(ParseCtx *c, char *channel);
void ast_expect_assign(ParseCtx *c, NameList *roles);
void ast_expect_status(ParseCtx *c, const char *status); /* copied into the arena */
void ast_expect_priority(ParseCtx *c, int64_t p);
void ast_expect_count(ParseCtx *c, int64_t n);
/* `expect verdict POLICY for SUBJECT VERDICT`, `expect coverage POLICY P%`. */
void ast_expect_verdict(ParseCtx *c, Loc l, char *policy, char *subject, char *verdict);
void ast_expect_coverage(ParseCtx *c, Loc l, char *policy, int64_t bp);
/* `expect [no] escalate POLICY RULE [for SUBJECT]`. */
void ast_expect_escalation(ParseCtx *c, Loc l, char *policy, char *rule, char *subject, int none);

/* Release what an unfinished block (a policy, question set, fixture or test
 * whose closing action never ran) holds outside the arena. */
void ast_discard_open(ParseCtx *c);

/* Arena copy of a token's text (the scanner's helper). */
char *ast_strndup(ParseCtx *c, const char *s, size_t n);

/* Human-readable names. Static strings. */
const char *type_name(Type t);
const char *unit_name(Unit u, int plural);

/* Release a program and everything it owns. */
void program_free(Program *p);

#endif
