/*
 * planner.h: every internal header, for the command line and the tests.
 *
 * Data flows one way: source -> tokens -> tree -> checked model -> plan ->
 * emitters, and the headers follow it: util.h, diag.h, model.h, then
 * syntax.h (the front end, up to check_program) and plan.h (the plan and
 * the emitters).  Each section of a header belongs to one .c file and lists
 * what that file offers the others; everything else in a .c file is static.
 * A phase includes the header of its own phase: the emitters include
 * plan.h alone, so the compiler refuses an emitter that reads the tree.
 * Only main.c, the unit tests and the fuzz targets include this one; every
 * other file includes the narrowest headers it needs.  output.h (output.c)
 * stands apart: only main.c writes outputs.
 */
#ifndef PLANNER_H
#define PLANNER_H

#include "syntax.h"
#include "plan.h"
#include "select.h"
#include "state.h"
#include "pick.h"

#endif
