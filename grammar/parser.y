/* parser.y - the grammar of the policy language.
 *
 * A pure, reentrant LALR(1) parser with locations.  Every action is one call
 * into an ast_* constructor (grammar/ast.c).  Errors are reported through
 * diag with file:line:col and a caret; after an error the parser skips to the
 * closing '}' of the block it is in and goes on, so one file can report
 * several mistakes (capped by diag). */
%define api.pure full
%define api.prefix {rvy}
%define api.location.type {Loc}
%define parse.error detailed
%locations
%expect 0
%param {void *scanner} {ParseCtx *ctx}

%code requires {
#include "ast.h"
}

%code {
#include <string.h>
#include "../interp/diag.h"
int rvylex(RVYSTYPE *lval, Loc *lloc, void *scanner, ParseCtx *ctx);
static void rvyerror(Loc *l, void *scanner, ParseCtx *ctx, const char *msg);
#define YYLLOC_DEFAULT(Cur, Rhs, N) do {                                   \
    if (N) {                                                               \
        (Cur).first_line = YYRHSLOC(Rhs, 1).first_line;                    \
        (Cur).first_column = YYRHSLOC(Rhs, 1).first_column;                \
        (Cur).last_line = YYRHSLOC(Rhs, N).last_line;                      \
        (Cur).last_column = YYRHSLOC(Rhs, N).last_column;                  \
        (Cur).src = YYRHSLOC(Rhs, 1).src;                                  \
    } else {                                                               \
        (Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line;   \
        (Cur).first_column = (Cur).last_column = YYRHSLOC(Rhs, 0).last_column; \
        (Cur).src = YYRHSLOC(Rhs, 0).src;                                  \
    }                                                                      \
} while (0)
}

%union {
    char *str;          /* identifiers and strings: arena-owned */
    int64_t num;        /* integers, day numbers, seconds, basis points, units */
    double dec;         /* decimals */
    Expr *expr;         /* arena-owned */
    Dur dur;            /* by value */
    DurList *durs;      /* arena-owned */
    NameList *names;    /* arena-owned */
}

/* Every semantic value lives in the program's arena, which is freed as a
 * whole; discarding one during error recovery must not free it. */
%destructor { (void)$$; } <str>
%destructor { (void)$$; } <num>
%destructor { (void)$$; } <dec>
%destructor { (void)$$; } <expr>
%destructor { (void)$$; } <dur>
%destructor { (void)$$; } <durs>
%destructor { (void)$$; } <names>

%token POLICY "'policy'" VERSION "'version'" EFFECTIVE "'effective'" APPLIES "'applies'"
%token TO "'to'" WHERE "'where'" DUE "'due'" WITHIN "'within'" BETWEEN "'between'"
%token AND "'and'" OR "'or'" NOT "'not'" AFTER "'after'" BEFORE "'before'" AT "'at'"
%token EVERY "'every'" FROM "'from'" UNTIL "'until'" IMMEDIATELY "'immediately'"
%token COVERAGE "'coverage'" LEAST "'least'" PER "'per'" SEED "'seed'" CHANNELS "'channels'"
%token CONTACT "'contact'" ON "'on'" ASSIGN "'assign'" WHEN "'when'" FALLBACK "'fallback'"
%token PRIORITY "'priority'" ASK "'ask'" QUESTIONS "'questions'" ORDERED "'ordered'"
%token MANDATORY "'mandatory'" OPTIONAL "'optional'" AFFIRMATIVE "'affirmative'"
%token USE "'use'" CALENDAR "'calendar'" EXTENDS "'extends'" WEEKEND "'weekend'"
%token HOLIDAY "'holiday'" WORKDAY "'workday'" COVERS "'covers'" IS "'is'" NUL "'null'"
%token IN "'in'" COUNT "'count'" EXISTS "'exists'" NEXT "'next'"
%token ATTEMPTS "'attempts'" DIFFERENT "'different'" DENY "'deny'" BY "'by'" PROBLEM "'problem'"
%token FIXTURE "'fixture'" TEST "'test'" USES "'uses'" GIVEN "'given'" EXPECT "'expect'" AS "'as'" OF "'of'"
%token HORIZON "'horizon'" FOR "'for'" VIA "'via'" STATUS "'status'" NO "'no'" VERDICT "'verdict'"
%token ESCALATE "'escalate'" THEN "'then'" ONCE "'once'" SAME "'same'"
%token COLUMN "'column'" DISSATISFIED "'dissatisfied'" BELOW "'below'" TODAY "'today'" THIS "'this'"
%token CUSTOMER "'customer'" WORKING "'working'" DOTDOT ".." LE "<=" GE ">=" NE "!="
%token <str> IDENT "identifier" STRING "string"
%token <num> INT "integer" PCT "percentage" DATE "date" DATETIME "date and time"
%token <num> CLOCK "time of day" UNIT "unit" BOOL "boolean"
%token <dec> DEC "decimal"

%type <expr> expr primary colref list_items opt_where
%type <str> opt_title name colname row_kind soft_keyword once_key
%type <dur> dur
%type <durs> durs
%type <names> names role_group once_keys

%left OR
%left AND
%right NOT
%nonassoc '=' NE '<' '>' LE GE IS IN
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%%

file
    : %empty
    | file decl
    ;

decl
    : policy
    | qset
    | calendar
    | USE IDENT                         { ast_use(ctx, @$, NULL, $2); }
    | USE CALENDAR IDENT                { ast_use(ctx, @$, "calendar", $3); }
    | USE QUESTIONS IDENT               { ast_use(ctx, @$, "questions", $3); }
    | COLUMN IDENT '.' colname IDENT    { ast_column(ctx, @$, $2, $4, $5); }
    | fixture
    | test
    | error '}'                         { if (diag_capped()) YYABORT; }
    ;

opt_title
    : %empty                            { $$ = NULL; }
    | STRING                            { $$ = $1; }
    ;

/* ---- policies ---- */
policy
    : policy_head '{' items '}'         { ast_policy_end(ctx, @4); }
    | policy_head '{' error '}'         { ast_policy_end(ctx, @4); }
    ;

policy_head
    : POLICY IDENT opt_title            { ast_policy_begin(ctx, @1, $2, $3); }
      header
    ;

header
    : %empty
    | header VERSION INT                { ast_policy_version(ctx, @3, $3); }
    | header EFFECTIVE DATE             { ast_policy_effective(ctx, @3, $3); }
    ;

items
    : %empty
    | items item
    ;

item
    : VERSION INT                       { ast_policy_version(ctx, @2, $2); }
    | EFFECTIVE DATE                    { ast_policy_effective(ctx, @2, $2); }
    | APPLIES TO IDENT opt_where        { ast_policy_applies(ctx, @3, $3, $4); }
    | DUE WITHIN dur AFTER expr         { ast_policy_sched(ctx, @$, S_WITHIN, ast_durs(ctx, NULL, $3), $5, NULL); }
    | DUE BETWEEN dur AND dur AFTER expr { ast_policy_sched(ctx, @$, S_BETWEEN, ast_durs(ctx, ast_durs(ctx, NULL, $3), $5), $7, NULL); }
    | DUE AT durs AFTER expr            { ast_policy_sched(ctx, @$, S_AT, $3, $5, NULL); }
    | DUE AT durs BEFORE expr           { ast_policy_sched(ctx, @$, S_BEFORE, $3, $5, NULL); }
    | DUE AT durs BEFORE EVERY dur FROM expr { ast_policy_remind(ctx, @$, $3, $6, $8, NULL); }
    | DUE AT durs BEFORE EVERY dur FROM expr UNTIL expr { ast_policy_remind(ctx, @$, $3, $6, $8, $10); }
    | DUE durs BEFORE expr              { ast_policy_sched(ctx, @$, S_BEFORE, $2, $4, NULL); }
    | DUE EVERY UNIT FROM expr          { ast_policy_sched(ctx, @$, S_EVERY, ast_durs(ctx, NULL, (Dur){1, (Unit)$3}), $5, NULL); }
    | DUE EVERY UNIT FROM expr UNTIL expr { ast_policy_sched(ctx, @$, S_EVERY, ast_durs(ctx, NULL, (Dur){1, (Unit)$3}), $5, $7); }
    | DUE EVERY dur FROM expr           { ast_policy_sched(ctx, @$, S_EVERY, ast_durs(ctx, NULL, $3), $5, NULL); }
    | DUE EVERY dur FROM expr UNTIL expr { ast_policy_sched(ctx, @$, S_EVERY, ast_durs(ctx, NULL, $3), $5, $7); }
    | DUE IMMEDIATELY AFTER expr        { ast_policy_sched(ctx, @$, S_IMMEDIATELY, NULL, $4, NULL); }
    | COVERAGE PCT                      { ast_policy_coverage(ctx, @2, $2); }
      sample_opts
    | COVERAGE AT LEAST INT             { ast_policy_coverage(ctx, @$, 0); }
      sample_opts                       { ast_policy_at_least(ctx, @4, $4); }
    | CHANNELS names                    { ast_policy_channels(ctx, @2, $2); }
    | CONTACT BETWEEN windows
    | CONTACT BETWEEN windows ON WORKING UNIT { ast_policy_windows_workdays(ctx, @6, $6); }
    | ASSIGN role_group                 { ast_policy_assign(ctx, @2, $2); }
      fallbacks opt_assign_when
    | PRIORITY expr                     { ast_policy_priority(ctx, @2, $2, NULL); }
    | PRIORITY expr WHEN expr           { ast_policy_priority(ctx, @2, $2, $4); }
    | ASK names                         { ast_policy_ask(ctx, @2, $2); }
    | CALENDAR IDENT                    { ast_policy_calendar(ctx, @2, $2); }
    | ATTEMPTS INT                      { ast_policy_attempts(ctx, @$, $2, 0); }
    | ATTEMPTS INT ON DIFFERENT UNIT    { ast_policy_attempts(ctx, @$, $2, $5 == U_DAYS); }
    | DENY name BY name                 { ast_policy_deny(ctx, $2, $4); }
    | PROBLEM WITHIN dur                { ast_policy_problem(ctx, @$, $3, NULL); }
    | PROBLEM WITHIN dur BY role_group  { ast_policy_problem(ctx, @$, $3, $5); }
    | DISSATISFIED BELOW INT            { ast_policy_dissatisfied(ctx, @$, $3); }
    | ESCALATE TO role_group            { ast_escalate(ctx, @$, NULL, $3); }
      esc_rest
    | ESCALATE IDENT TO role_group      { ast_escalate(ctx, @$, $2, $4); }
      esc_rest
    ;

esc_rest
    : esc_levels esc_within esc_trigger
    ;

esc_levels
    : %empty
    | esc_levels THEN role_group        { ast_escalate_then(ctx, $3); }
    ;

esc_within
    : %empty
    | WITHIN dur                        { ast_escalate_within(ctx, $2); }
    ;

esc_trigger
    : WHEN expr                         { ast_escalate_when(ctx, $2, NULL); }
    | WHEN expr ONCE PER once_keys      { ast_escalate_when(ctx, $2, $5); }
    | ON name                           { ast_escalate_on(ctx, @2, $2, NULL, NULL); }
    | ON DISSATISFIED                   { ast_escalate_on(ctx, @2, "dissatisfied", NULL, NULL); }
    | ON name name '=' STRING           { ast_escalate_on(ctx, @2, $2, $3, $5); }
    ;

once_keys
    : once_key                          { $$ = ast_names(ctx, NULL, $1); }
    | once_keys ',' once_key            { $$ = ast_names(ctx, $1, $3); }
    ;

once_key
    : colname                           { $$ = $1; }
    | UNIT                              { $$ = ast_strndup(ctx, unit_name((Unit)$1, 0), strlen(unit_name((Unit)$1, 0))); }
    ;

opt_where
    : %empty                            { $$ = NULL; }
    | WHERE expr                        { $$ = $2; }
    ;

sample_opts
    : %empty
    | sample_opts AT LEAST INT          { ast_policy_at_least(ctx, @4, $4); }
    | sample_opts PER UNIT              { ast_policy_sample_per(ctx, $3); }
    | sample_opts SEED STRING           { ast_policy_seed(ctx, $3); }
    ;

windows
    : window
    | windows ',' window
    ;

window
    : CLOCK '-' CLOCK                   { ast_policy_window(ctx, @$, (int)$1, (int)$3); }
    ;

role_group
    : name                              { $$ = ast_names(ctx, NULL, $1); }
    | role_group '+' name               { $$ = ast_names(ctx, $1, $3); }
    ;

fallbacks
    : %empty
    | fallbacks FALLBACK role_group     { ast_policy_assign_fallback(ctx, $3); }
    ;

opt_assign_when
    : %empty
    | WHEN expr                         { ast_policy_assign_when(ctx, $2); }
    ;

names
    : name                              { $$ = ast_names(ctx, NULL, $1); }
    | names ',' name                    { $$ = ast_names(ctx, $1, $3); }
    ;

name
    : IDENT                             { $$ = $1; }
    | STRING                            { $$ = $1; }
    ;

dur
    : INT UNIT                          { $$ = (Dur){$1, (Unit)$2}; }
    | INT WORKING UNIT                  { $$ = (Dur){$1, $3 == U_DAYS ? U_WDAYS : (Unit)-1}; }
    ;

durs
    : dur                               { $$ = ast_durs(ctx, NULL, $1); }
    | durs ',' dur                      { $$ = ast_durs(ctx, $1, $3); }
    ;

/* ---- question sets ---- */
qset
    : QUESTIONS IDENT opt_title         { ast_qset_begin(ctx, @1, $2, $3, 0); }
      qset_body                         { ast_qset_end(ctx, @5); }
    | QUESTIONS IDENT opt_title ORDERED { ast_qset_begin(ctx, @1, $2, $3, 1); }
      qset_body                         { ast_qset_end(ctx, @6); }
    ;

qset_body
    : '{' questions '}'
    | '{' error '}'
    ;

questions
    : %empty
    | questions question
    ;

question
    : IDENT STRING                      { ast_question(ctx, @1, $1, $2); }
      qopts
    ;

qopts
    : %empty
    | qopts MANDATORY                   { ast_question_mandatory(ctx, 1); }
    | qopts OPTIONAL                    { ast_question_mandatory(ctx, 0); }
    | qopts AFFIRMATIVE STRING          { ast_question_affirmative(ctx, @3, $3); }
    | qopts WHEN expr                   { ast_question_when(ctx, $3); }
    ;

/* ---- tests ---- */
fixture
    : FIXTURE IDENT                     { ast_fixture_begin(ctx, @1, $2); }
      fixture_body                      { ast_fixture_end(ctx); }
    ;

fixture_body
    : '{' rows '}'
    | '{' error '}'
    ;

rows
    : %empty
    | rows row
    | rows ',' row
    ;

row
    : row_kind name                     { ast_row(ctx, @$, $1, $2); }
      opt_fields
    ;

row_kind
    : IDENT                             { $$ = $1; }
    | CUSTOMER                          { $$ = ast_strndup(ctx, "customer", 8); }
    ;

opt_fields
    : %empty
    | '{' '}'
    | '{' fields '}'
    ;

fields
    : field
    | fields ',' field
    ;

field
    : colname '=' primary               { ast_row_field(ctx, $1, $3); }
    ;

test
    : TEST STRING                       { ast_test_begin(ctx, @1, $2, NULL, @2); }
      test_body                         { ast_test_end(ctx); }
    | TEST STRING USES IDENT            { ast_test_begin(ctx, @1, $2, $4, @4); }
      test_body                         { ast_test_end(ctx); }
    ;

test_body
    : '{' test_items '}'
    | '{' error '}'
    ;

test_items
    : %empty
    | test_items test_item
    ;

test_item
    : GIVEN given_rows
    | AS OF DATE                        { ast_test_as_of(ctx, $3); }
    | HORIZON INT                       { ast_test_horizon(ctx, $2); }
    | EXPECT DUE name                   { ast_expect(ctx, @1, X_DUE, $3); }
      due_opts
    | EXPECT NO DUE name                { ast_expect(ctx, @1, X_NODUE, $4); }
      due_opts
    | EXPECT VERDICT name FOR name name { ast_expect_verdict(ctx, @$, $3, $5, $6); }
    | EXPECT COVERAGE name PCT          { ast_expect_coverage(ctx, @$, $3, $4); }
    | EXPECT ESCALATE name name         { ast_expect_escalation(ctx, @$, $3, $4, NULL, 0); }
    | EXPECT ESCALATE name name FOR name { ast_expect_escalation(ctx, @$, $3, $4, $6, 0); }
    | EXPECT NO ESCALATE name name      { ast_expect_escalation(ctx, @$, $4, $5, NULL, 1); }
    | EXPECT NO ESCALATE name name FOR name { ast_expect_escalation(ctx, @$, $4, $5, $7, 1); }
    ;

given_rows
    : row
    | given_rows ',' row
    ;

due_opts
    : %empty
    | due_opts FOR name                 { ast_expect_for(ctx, $3); }
    | due_opts BY DATE                  { ast_expect_by(ctx, $3); }
    | due_opts FROM DATE                { ast_expect_from(ctx, $3); }
    | due_opts VIA name                 { ast_expect_via(ctx, $3); }
    | due_opts ASSIGN role_group        { ast_expect_assign(ctx, $3); }
    | due_opts STATUS name              { ast_expect_status(ctx, $3); }
    | due_opts STATUS DUE               { ast_expect_status(ctx, "due"); }
    | due_opts PRIORITY INT             { ast_expect_priority(ctx, $3); }
    | due_opts COUNT INT                { ast_expect_count(ctx, $3); }
    ;

/* ---- calendars ---- */
calendar
    : CALENDAR IDENT opt_title          { ast_cal_begin(ctx, @1, $2, $3, NULL, @2); }
      cal_body                          { ast_cal_end(ctx, @5); }
    | CALENDAR IDENT opt_title EXTENDS IDENT { ast_cal_begin(ctx, @1, $2, $3, $5, @5); }
      cal_body                          { ast_cal_end(ctx, @7); }
    ;

cal_body
    : '{' cal_items '}'
    | '{' error '}'
    ;

cal_items
    : %empty
    | cal_items cal_item
    ;

cal_item
    : WEEKEND names                     { ast_cal_weekend(ctx, $2, @2); }
    | COVERS DATE DOTDOT DATE           { ast_cal_covers(ctx, @$, $2, $4); }
    | HOLIDAY DATE opt_title            { ast_cal_days(ctx, 1, $2, $2, @$, $3); }
    | HOLIDAY DATE DOTDOT DATE opt_title { ast_cal_days(ctx, 1, $2, $4, @$, $5); }
    | WORKDAY DATE opt_title            { ast_cal_days(ctx, 0, $2, $2, @$, $3); }
    | WORKDAY DATE DOTDOT DATE opt_title { ast_cal_days(ctx, 0, $2, $4, @$, $5); }
    ;

/* ---- expressions ---- */
expr
    : primary                           { $$ = $1; }
    | expr OR expr                      { $$ = ast_binop(ctx, @2, $1, OP_OR, $3); }
    | expr AND expr                     { $$ = ast_binop(ctx, @2, $1, OP_AND, $3); }
    | NOT expr                          { $$ = ast_not(ctx, @1, $2); }
    | expr '=' expr                     { $$ = ast_binop(ctx, @2, $1, OP_EQ, $3); }
    | expr NE expr                      { $$ = ast_binop(ctx, @2, $1, OP_NE, $3); }
    | expr '<' expr                     { $$ = ast_binop(ctx, @2, $1, '<', $3); }
    | expr '>' expr                     { $$ = ast_binop(ctx, @2, $1, '>', $3); }
    | expr LE expr                      { $$ = ast_binop(ctx, @2, $1, OP_LE, $3); }
    | expr GE expr                      { $$ = ast_binop(ctx, @2, $1, OP_GE, $3); }
    | expr '+' expr                     { $$ = ast_binop(ctx, @2, $1, '+', $3); }
    | expr '-' expr                     { $$ = ast_binop(ctx, @2, $1, '-', $3); }
    | expr '*' expr                     { $$ = ast_binop(ctx, @2, $1, '*', $3); }
    | expr '/' expr                     { $$ = ast_binop(ctx, @2, $1, '/', $3); }
    | '-' expr %prec UMINUS             { $$ = ast_neg(ctx, @1, $2); }
    | expr IS NUL                       { $$ = ast_isnull(ctx, @2, $1, 0); }
    | expr IS NOT NUL                   { $$ = ast_isnull(ctx, @2, $1, 1); }
    | expr IN primary                   { $$ = ast_in(ctx, @2, $1, $3, 0); }
    | expr NOT IN primary %prec IN      { $$ = ast_in(ctx, @2, $1, $4, 1); }
    ;

primary
    : STRING                            { $$ = ast_str(ctx, @$, $1); }
    | INT                               { $$ = ast_int(ctx, @$, $1); }
    | DEC                               { $$ = ast_dec(ctx, @$, $1); }
    | PCT                               { $$ = ast_pct(ctx, @$, $1); }
    | DATE                              { $$ = ast_date(ctx, @$, $1); }
    | DATETIME                          { $$ = ast_time(ctx, @$, $1); }
    | BOOL                              { $$ = ast_bool(ctx, @$, (int)$1); }
    | NUL                               { $$ = ast_null(ctx, @$); }
    | TODAY                             { $$ = ast_today(ctx, @$); }
    | dur                               { $$ = ast_dur(ctx, @$, $1); }
    | colref                            { $$ = $1; }
    | '(' expr ')'                      { $$ = $2; }
    | '[' ']'                           { $$ = ast_list(ctx, @$, NULL); }
    | '[' list_items ']'                { $$ = $2; }
    | COUNT '(' IDENT opt_where ')'     { $$ = ast_count(ctx, @$, 0, $3, $4, NULL); }
    | COUNT '(' IDENT opt_where ',' WITHIN dur ')' { $$ = ast_count(ctx, @$, 0, $3, $4, &$7); }
    | COUNT '(' IDENT opt_where ',' SAME UNIT ')' { $$ = ast_count_same(ctx, @$, 0, $3, $4, $7); }
    | EXISTS '(' IDENT opt_where ')'    { $$ = ast_count(ctx, @$, 1, $3, $4, NULL); }
    | EXISTS '(' IDENT opt_where ',' WITHIN dur ')' { $$ = ast_count(ctx, @$, 1, $3, $4, &$7); }
    | EXISTS '(' IDENT opt_where ',' SAME UNIT ')' { $$ = ast_count_same(ctx, @$, 1, $3, $4, $7); }
    | NEXT '(' IDENT opt_where ',' AFTER expr ')' { $$ = ast_next(ctx, @$, $3, $4, $7); }
    | IDENT '(' ')'                     { $$ = ast_call(ctx, @$, $1, NULL); }
    | IDENT '(' list_items ')'          { $$ = ast_call(ctx, @$, $1, $3); }
    ;

list_items
    : expr                              { $$ = ast_list(ctx, @$, $1); }
    | list_items ',' expr               { $$ = ast_list_add(ctx, $1, $3); }
    ;

colref
    : colname                           { $$ = ast_col(ctx, @$, Q_NONE, $1); }
    | CUSTOMER '.' colname              { $$ = ast_col(ctx, @$, Q_CUSTOMER, $3); }
    | THIS '.' colname                  { $$ = ast_col(ctx, @$, Q_THIS, $3); }
    ;

colname
    : IDENT                             { $$ = $1; }
    | AT                                { $$ = ast_strndup(ctx, "at", 2); }
    | AFFIRMATIVE                       { $$ = ast_strndup(ctx, "affirmative", 11); }
    | STATUS                            { $$ = ast_strndup(ctx, "status", 6); }
    | soft_keyword                      { $$ = $1; }
    ;

/* words that became keywords after the store's users may have named
 * columns after them: still usable as column names */
soft_keyword
    : NEXT                              { $$ = ast_strndup(ctx, "next", 4); }
    | COLUMN                            { $$ = ast_strndup(ctx, "column", 6); }
    | ATTEMPTS                          { $$ = ast_strndup(ctx, "attempts", 8); }
    | DIFFERENT                         { $$ = ast_strndup(ctx, "different", 9); }
    | DENY                              { $$ = ast_strndup(ctx, "deny", 4); }
    | PROBLEM                           { $$ = ast_strndup(ctx, "problem", 7); }
    | DISSATISFIED                      { $$ = ast_strndup(ctx, "dissatisfied", 12); }
    | BELOW                             { $$ = ast_strndup(ctx, "below", 5); }
    | VERDICT                           { $$ = ast_strndup(ctx, "verdict", 7); }
    | HORIZON                           { $$ = ast_strndup(ctx, "horizon", 7); }
    ;

%%

static void rvyerror(Loc *l, void *scanner, ParseCtx *c, const char *msg)
{
    (void)scanner;
    if (c->fatal) return;
    if (strstr(msg, "unexpected end of file")) {
        /* the usual cause: a block left open */
        const char *what = NULL, *name = NULL;
        const Loc *open = NULL;
        if (c->cur) { what = "policy"; name = c->cur->id; open = &c->cur->loc; }
        else if (c->curq) { what = "question set"; name = c->curq->id; open = &c->curq->loc; }
        else if (c->curc) { what = "calendar"; name = c->curc->id; open = &c->curc->loc; }
        else if (c->curt) { what = "test"; name = c->curt->name; open = &c->curt->loc; }
        else if (c->curf) { what = "fixture"; name = c->curf->name; open = &c->curf->loc; }
        if (what) {
            diag_error(l, "missing '}' closing %s '%s' (opened at line %d)", what, name, open->first_line);
            return;
        }
    }
    diag_error(l, "%s", msg);
}
