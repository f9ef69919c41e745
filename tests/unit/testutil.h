/* testutil.h: what every CUnit suite in tests/unit shares: the relative
   comparisons against reference values, an assertion that prints its first
   misses, and the main runner. */
#ifndef AXS_TESTUTIL_H
#define AXS_TESTUTIL_H

#include <CUnit/CUnit.h>

/* GOT agrees with WANT to TOL relative to |WANT|: equal values (infinities
   too) agree, a NaN (R's NA) agrees only with a NaN. */
int tu_rel_close (double got, double want, double tol);

/* The same, relative to the larger of |GOT| and |WANT|. */
int tu_rel_close_sym (double got, double want, double tol);

/* One CUnit assertion of OK; the first 20 failed ones of the program are
   printed to stderr as "<label>: got <GOT> want <WANT>", the label made from
   the printf format FMT. */
void tu_check (int ok, double got, double want, const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

/* tu_check of tu_rel_close, labelled WHAT[ROW]. */
void tu_check_rel (double got, double want, double tol, const char *what, size_t row);

/* A test of a suite; a NULL RUN leaves the test out (e.g. a benchmark
   switched off by the environment). */
typedef struct
{
  const char *name;
  CU_TestFunc run;
} tu_test;

/* Register TESTS (ended by an entry with a NULL name) as the suite SUITE,
   run it with the basic interface in verbose mode and clean up.  Returns 0
   if every assertion passed, 1 if any failed, 2 if CUnit failed. */
int tu_run (const char *suite, const tu_test *tests);

#endif
