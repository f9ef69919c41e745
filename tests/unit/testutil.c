/* testutil.c: comparisons, a reporting assertion and the runner for the
   unit suites (see testutil.h). */
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

int
tu_rel_close (double got, double want, double tol)
{
  if (isnan (want))
    return isnan (got);
  return got == want || fabs (got - want) <= tol * fabs (want);
}

int
tu_rel_close_sym (double got, double want, double tol)
{
  if (isnan (want) || isnan (got))
    return isnan (want) && isnan (got);
  if (got == want)
    return 1;
  return fabs (got - want) <= tol * fmax (fabs (want), fabs (got));
}

/* Misses printed so far: enough to see a pattern, not a flood. */
static int nreported;

void
tu_check (int ok, double got, double want, const char *fmt, ...)
{
  CU_ASSERT (ok);
  if (ok || nreported++ >= 20)
    return;
  va_list ap;
  va_start (ap, fmt);
  fputs ("\n  ", stderr);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fprintf (stderr, ": got %.17g want %.17g\n", got, want);
}

void
tu_check_rel (double got, double want, double tol, const char *what, size_t row)
{
  tu_check (tu_rel_close (got, want, tol), got, want, "%s[%zu]", what, row);
}

int
tu_run (const char *suite, const tu_test *tests)
{
  if (CU_initialize_registry () != CUE_SUCCESS)
    return 2;
  CU_pSuite s = CU_add_suite (suite, NULL, NULL);
  int ok = s != NULL;
  for (const tu_test *t = tests; ok && t->name; t++)
    if (t->run)
      ok = CU_add_test (s, t->name, t->run) != NULL;
  if (!ok)
    {
      CU_cleanup_registry ();
      return 2;
    }
  CU_basic_set_mode (CU_BRM_VERBOSE);
  CU_basic_run_tests ();
  unsigned failed = CU_get_number_of_failures () + CU_get_number_of_tests_failed ();
  CU_cleanup_registry ();
  return failed != 0;
}
