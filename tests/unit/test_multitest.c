/* test_multitest.c: axs_p_adjust_bh against R's p.adjust (p, "BH").

   Expected values from R 4.x, printed with sprintf ("%.17g", p.adjust (p, "BH")). */
#include "stats/multitest.h"
#include "stats/status.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>

#define TOL 1e-15

/* set.seed (7); p <- round (runif (12)^3, 6); p[5] <- p[2]  (a tie) */
static void
test_random_with_tie (void)
{
  static const double p[] = {
    0.96709599999999996, 0.062923999999999994, 0.001549, 0.000339,
    0.062923999999999994, 0.496813, 0.039326, 0.91850699999999996,
    0.0045620000000000001, 0.096768000000000007, 0.0050660000000000002,
    0.012403000000000001 };
  static const double want[] = {
    0.96709599999999996, 0.094385999999999998, 0.0092940000000000002,
    0.0040680000000000004, 0.094385999999999998, 0.59617560000000003,
    0.078652, 0.96709599999999996, 0.015198, 0.129024, 0.015198,
    0.029767200000000001 };
  double q[12];
  CU_ASSERT_EQUAL_FATAL (axs_p_adjust_bh (12, p, q), AXS_OK);
  for (int i = 0; i < 12; i++)
    CU_ASSERT (tu_rel_close (q[i], want[i], TOL));
}

/* p <- c(0.01, 0.04, NA, 0.03, 0.04, 0.5, 1e-10, 0.2, 0.2, 0.9): NA is left
   out of the count of tests (m = 9), and stays NA */
static void
test_missing (void)
{
  double p[] = { 0.01, 0.04, NAN, 0.03, 0.04, 0.5, 1e-10, 0.2, 0.2, 0.9 };
  static const double want[] = {
    0.044999999999999998, 0.072000000000000008, NAN, 0.072000000000000008,
    0.072000000000000008, 0.5625, 8.9999999999999999e-10,
    0.25714285714285717, 0.25714285714285717, 0.90000000000000002 };
  double q[10];
  CU_ASSERT_EQUAL_FATAL (axs_p_adjust_bh (10, p, q), AXS_OK);
  for (int i = 0; i < 10; i++)
    CU_ASSERT (tu_rel_close (q[i], want[i], TOL));
  /* in place */
  CU_ASSERT_EQUAL_FATAL (axs_p_adjust_bh (10, p, p), AXS_OK);
  for (int i = 0; i < 10; i++)
    CU_ASSERT (tu_rel_close (p[i], want[i], TOL));
}

static void
test_edge_cases (void)
{
  double q[3];
  /* one test: q = p */
  double one[] = { 0.3 };
  CU_ASSERT_EQUAL (axs_p_adjust_bh (1, one, q), AXS_OK);
  CU_ASSERT_DOUBLE_EQUAL (q[0], 0.3, 0);
  /* all missing */
  double none[] = { NAN, NAN };
  CU_ASSERT_EQUAL (axs_p_adjust_bh (2, none, q), AXS_OK);
  CU_ASSERT (isnan (q[0]) && isnan (q[1]));
  /* capped at 1: p.adjust (c(0.9, 0.95, 1), "BH") is 1, 1, 1 */
  double high[] = { 0.9, 0.95, 1 };
  CU_ASSERT_EQUAL (axs_p_adjust_bh (3, high, q), AXS_OK);
  CU_ASSERT (q[0] == 1 && q[1] == 1 && q[2] == 1);
  CU_ASSERT_EQUAL (axs_p_adjust_bh (0, NULL, NULL), AXS_OK);
}

static void
test_invalid_arguments (void)
{
  double q[2];
  double bad[] = { 0.5, 1.5 };
  double neg[] = { -0.1, 0.5 };
  CU_ASSERT_EQUAL (axs_p_adjust_bh (2, bad, q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_p_adjust_bh (2, neg, q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_p_adjust_bh (2, NULL, q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_p_adjust_bh (2, bad, NULL), AXS_EINVAL);
}

int
main (void)
{
  const tu_test tests[] = {
    { "BH vs R, with a tie", test_random_with_tie },
    { "BH vs R, with NA", test_missing },
    { "edge cases", test_edge_cases },
    { "invalid arguments", test_invalid_arguments },
    { NULL, NULL }
  };
  return tu_run ("multitest", tests);
}
