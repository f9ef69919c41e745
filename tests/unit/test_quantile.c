/* test_quantile.c: axs_quantile against R's quantile() (type 7).

   Expected values come from R 4 (stats::quantile, default type 7), printed with
   sprintf("%.17g", quantile(x, p, names = FALSE)) where
   p <- c(0, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1) and x as noted. */
#include "stats/quantile.h"
#include "stats/status.h"
#include "refdata.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-12

static const double probs[] = { 0, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1 };
#define NPROB (sizeof probs / sizeof probs[0])

static void
check_all (size_t n, const double *x, const double *want)
{
  double q[NPROB];
  CU_ASSERT_EQUAL_FATAL (axs_quantiles (n, x, NPROB, probs, q), AXS_OK);
  for (size_t j = 0; j < NPROB; j++)
    {
      CU_ASSERT (tu_rel_close (q[j], want[j], TOL));
      double one = NAN;
      CU_ASSERT_EQUAL (axs_quantile (n, x, probs[j], &one), AXS_OK);
      CU_ASSERT (tu_rel_close (one, want[j], TOL));
    }
}

/* Copy the non-missing values of column COL of FILE. */
static double *
load_column (const char *file, const char *col, size_t *n)
{
  ref_table *t = ref_load (file);
  const double *v = ref_num (t, col);
  size_t nrow = ref_nrow (t), k = 0;
  double *x = malloc (nrow * sizeof *x);
  for (size_t i = 0; i < nrow; i++)
    if (!isnan (v[i]))
      x[k++] = v[i];
  ref_free (t);
  *n = k;
  return x;
}

static void
test_lung_age (void)
{
  /* R: quantile(read.csv("lung.csv")$age, p) */
  static const double want[NPROB] = { 39, 43.674999999999997, 50, 56, 63, 69,
                                      74, 76.324999999999989, 82 };
  size_t n;
  double *x = load_column ("lung.csv", "age", &n);
  CU_ASSERT_EQUAL (n, 228);
  check_all (n, x, want);
  free (x);
}

static void
test_gbsg_pgr (void)
{
  /* R: quantile(read.csv("gbsg.csv")$pgr, p) */
  static const double want[NPROB] = { 0, 0, 0, 7, 32.5, 131.75, 312,
                                      590.375, 2380 };
  size_t n;
  double *x = load_column ("gbsg.csv", "pgr", &n);
  CU_ASSERT_EQUAL (n, 686);
  check_all (n, x, want);
  free (x);
}

static void
test_lung_meal_cal (void)
{
  /* R: quantile(l$meal.cal[!is.na(l$meal.cal)], p); 181 values, odd n */
  static const double want[NPROB] = { 96, 275.5, 413, 635, 975, 1150, 1225,
                                      1850, 2600 };
  size_t n;
  double *x = load_column ("lung.csv", "meal.cal", &n);
  CU_ASSERT_EQUAL (n, 181);
  check_all (n, x, want);
  free (x);
}

static void
test_small_vectors (void)
{
  /* R: quantile(c(3,1,4,1,5,9,2,6), p): even n, median = mean of middle two */
  static const double x1[] = { 3, 1, 4, 1, 5, 9, 2, 6 };
  static const double w1[NPROB] = { 1, 1, 1, 1.75, 3.5, 5.25,
                                    6.8999999999999995, 8.4750000000000014, 9 };
  check_all (8, x1, w1);

  /* R: quantile(c(0.1, 0.2, 0.3), p) */
  static const double x2[] = { 0.3, 0.1, 0.2 };
  static const double w2[NPROB] = {
    0.10000000000000001, 0.10500000000000001, 0.12000000000000001,
    0.15000000000000002, 0.20000000000000001, 0.25, 0.27999999999999997,
    0.29499999999999998, 0.29999999999999999 };
  check_all (3, x2, w2);

  /* R: quantile(c(1e300, -1e300, 0, 7), p): no overflow in the interpolation */
  static const double x3[] = { 1e300, -1e300, 0, 7 };
  static const double w3[NPROB] = {
    -1.0000000000000001e+300, -9.2500000000000012e+299,
    -7.0000000000000004e+299, -2.5000000000000001e+299, 3.5,
    2.5000000000000001e+299, 7.0000000000000019e+299,
    9.2499999999999983e+299, 1.0000000000000001e+300 };
  check_all (4, x3, w3);
}

static void
test_edge_cases (void)
{
  double q = 0;
  /* a single value is every quantile; R: quantile(-2.5, p) */
  static const double one[] = { -2.5 };
  static const double w1[NPROB] = { -2.5, -2.5, -2.5, -2.5, -2.5, -2.5, -2.5,
                                    -2.5, -2.5 };
  check_all (1, one, w1);

  /* all tied: exactly the common value, no interpolation noise */
  static const double tied[] = { 0.1, 0.1, 0.1, 0.1, 0.1 };
  CU_ASSERT_EQUAL (axs_quantile (5, tied, 0.37, &q), AXS_OK);
  CU_ASSERT_EQUAL (q, 0.1);

  /* R clamps p within 100 eps of [0, 1]: quantile(1:4, 1 + 1e-14) is 4 */
  static const double x4[] = { 4, 3, 2, 1 };
  CU_ASSERT_EQUAL (axs_quantile (4, x4, 1 + 1e-14, &q), AXS_OK);
  CU_ASSERT_EQUAL (q, 4);
  CU_ASSERT_EQUAL (axs_quantile (4, x4, -1e-14, &q), AXS_OK);
  CU_ASSERT_EQUAL (q, 1);

  /* the input is left as it was */
  CU_ASSERT (x4[0] == 4 && x4[1] == 3 && x4[2] == 2 && x4[3] == 1);

  /* the sorted variant */
  static const double s[] = { 1, 2, 3, 4 };
  CU_ASSERT_EQUAL (axs_quantile_sorted (4, s, 0.5, &q), AXS_OK);
  CU_ASSERT_EQUAL (q, 2.5);
  CU_ASSERT_EQUAL (axs_quantile_sorted (4, s, 1.0 / 3, &q), AXS_OK);
  CU_ASSERT_EQUAL (q, 2);
}

static void
test_invalid_arguments (void)
{
  static const double x[] = { 1, 2, 3 };
  static const double withnan[] = { 1, NAN, 3 };
  double q;
  double p2[] = { 0.5, 1.5 };
  double q2[2];
  CU_ASSERT_EQUAL (axs_quantile (3, NULL, 0.5, &q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantile (3, x, 0.5, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantile (3, x, -0.01, &q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantile (3, x, 1.01, &q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantile (3, x, NAN, &q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantile (3, withnan, 0.5, &q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantile (0, x, 0.5, &q), AXS_EDOM);
  CU_ASSERT_EQUAL (axs_quantiles (3, x, 2, p2, q2), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantiles (3, x, 2, NULL, q2), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantiles (3, x, 0, NULL, NULL), AXS_OK);
  CU_ASSERT_EQUAL (axs_quantile_sorted (0, x, 0.5, &q), AXS_EDOM);
  CU_ASSERT_EQUAL (axs_quantile_sorted (3, x, 2, &q), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_quantile_sorted (3, NULL, 0.5, &q), AXS_EINVAL);
}

int
main (void)
{
  const tu_test tests[] = {
    { "lung age vs R", test_lung_age },
    { "gbsg pgr vs R", test_gbsg_pgr },
    { "lung meal.cal vs R", test_lung_meal_cal },
    { "small vectors vs R", test_small_vectors },
    { "edge cases", test_edge_cases },
    { "invalid arguments", test_invalid_arguments },
    { NULL, NULL }
  };
  return tu_run ("quantile", tests);
}
