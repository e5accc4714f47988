/* check.h - name and type checking of a parsed program against the store's
 * real schema.  Reports every problem through diag and annotates the tree:
 * each expression gets its type, string literals compared with times become
 * time literals, question sets and calendars are resolved. */
#ifndef RV_CHECK_H
#define RV_CHECK_H

#include "../grammar/ast.h"
#include "store.h"

/* Check every policy, question set and calendar of prog against schema.
 * Returns the number of errors reported. */
int chk_program(Program *prog, Schema *schema);

/* Check one free-standing expression (the REPL) with subject table `table`.
 * Returns the number of errors. */
int chk_expr(Expr *e, const Schema *schema, const char *table);

/* The channel names the language knows, NULL-terminated. */
extern const char *const chk_channels[];

#endif
