/* repl.h - the interactive REPL behind `revisit repl`: try policy-language
 * expressions against a chosen customer or case, type whole policies, and
 * ask what a run would make due and why, without ever writing to the
 * store.  Reading from a terminal it edits lines with GNU readline (history,
 * completion, Ctrl-C); reading from a pipe or file it runs the lines as a
 * script and fails when any of them failed.  docs/repl.md describes it. */
#ifndef RV_REPL_H
#define RV_REPL_H

#include "../interp/cli.h"

/* Run the REPL with the store o->store (opened read-only; without one the
 * documented schema and no data), the policy files and folders in
 * o->args/o->nargs, the date o->as_of (default today), o->horizon days and
 * the output format o->format (-1: table).  Reads standard input until
 * :quit or end of input.  Returns EXIT_OK, EXIT_FINDINGS when standard
 * input is not a terminal and some line failed, EXIT_USAGE for a bad
 * --as-of, or EXIT_STORE when the store cannot be opened. */
int repl_main(const Opts *o);

#endif
