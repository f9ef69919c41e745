/* test_maxstat.c: the maximally selected log-rank statistic against R maxstat.

   Reference files: r-survival/maxstat_<data>_<marker>.tsv and
   maxstat_profile_<data>_<marker>.tsv (maxstat 0.7-25, minprop 0.1, maxprop 0.9).
   Extra values marked "R:" come from R 4 with survival 3.5-3 and maxstat
   0.7-25, printed with sprintf("%.17g", ...). */
#include "stats/maxstat.h"
#include "stats/status.h"
#include "refdata.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TOL_STAT 1e-9
#define TOL_P 1e-6

/* A cohort's complete cases for (time, event, marker). */
typedef struct
{
  size_t n;
  double *time, *marker;
  int *event;
} cohort;

static cohort
load_cohort (const char *file, const char *tcol, const char *ecol,
             const char *mcol)
{
  ref_table *t = ref_load (file);
  const double *tv = ref_num (t, tcol), *ev = ref_num (t, ecol),
    *mv = ref_num (t, mcol);
  size_t nrow = ref_nrow (t);
  cohort c = { 0, malloc (nrow * sizeof (double)),
               malloc (nrow * sizeof (double)), malloc (nrow * sizeof (int)) };
  for (size_t i = 0; i < nrow; i++)
    if (!isnan (tv[i]) && !isnan (ev[i]) && !isnan (mv[i]))
      {
        c.time[c.n] = tv[i];
        c.event[c.n] = (int) ev[i];
        c.marker[c.n] = mv[i];
        c.n++;
      }
  ref_free (t);
  return c;
}

static void
free_cohort (cohort *c)
{
  free (c->time);
  free (c->marker);
  free (c->event);
}

/* Every number of maxstat_<name>.tsv and every row of its profile. */
static void
check_reference (const char *data, const char *tcol, const char *ecol,
                 const char *mcol)
{
  char file[256], sumfile[256], proffile[256];
  snprintf (file, sizeof file, "%s.csv", data);
  snprintf (sumfile, sizeof sumfile, "r-survival/maxstat_%s_%s.tsv", data,
            mcol);
  snprintf (proffile, sizeof proffile, "r-survival/maxstat_profile_%s_%s.tsv",
            data, mcol);
  cohort c = load_cohort (file, tcol, ecol, mcol);
  axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (c.n);
  axs_maxstat_result *res = axs_maxstat_result_alloc (c.n);
  CU_ASSERT_PTR_NOT_NULL_FATAL (w);
  CU_ASSERT_PTR_NOT_NULL_FATAL (res);
  CU_ASSERT_EQUAL_FATAL (axs_maxstat_test (c.n, c.time, c.event, c.marker,
                                           0.1, 0.9, w, res), AXS_OK);

  ref_table *s = ref_load (sumfile);
  CU_ASSERT_EQUAL_FATAL (ref_nrow (s), 1);
  CU_ASSERT_EQUAL (res->cut, ref_num (s, "cutpoint")[0]);
  CU_ASSERT (tu_rel_close (res->statistic, ref_num (s, "statistic")[0], TOL_STAT));
  CU_ASSERT (tu_rel_close (res->p_lau92, ref_num (s, "p_lau92")[0], TOL_P));
  CU_ASSERT (tu_rel_close (res->p_lau94, ref_num (s, "p_lau94")[0], TOL_P));
  CU_ASSERT_EQUAL (res->n_low, (size_t) ref_num (s, "n_low")[0]);
  CU_ASSERT_EQUAL (res->n_high, (size_t) ref_num (s, "n_high")[0]);
  CU_ASSERT_EQUAL (res->n, c.n);
  ref_free (s);

  /* the counts, recomputed by brute force */
  size_t nl = 0, el = 0, eh = 0, at = 0;
  for (size_t i = 0; i < c.n; i++)
    {
      int low = c.marker[i] <= res->cut;
      nl += low;
      el += low && c.event[i];
      eh += !low && c.event[i];
      at += c.marker[i] == res->cut;
    }
  CU_ASSERT_EQUAL (res->n_low, nl);
  CU_ASSERT_EQUAL (res->events_low, el);
  CU_ASSERT_EQUAL (res->events_high, eh);
  CU_ASSERT_EQUAL (res->events, el + eh);
  CU_ASSERT_EQUAL (res->n_at_cut, at);
  CU_ASSERT (at > 0);

  ref_table *p = ref_load (proffile);
  size_t np = ref_nrow (p);
  const double *pc = ref_num (p, "cutpoint"), *ps = ref_num (p, "statistic");
  CU_ASSERT_EQUAL_FATAL (res->n_cuts, np);
  for (size_t k = 0; k < np; k++)
    {
      CU_ASSERT_EQUAL (res->profile_cut[k], pc[k]);
      CU_ASSERT (tu_rel_close (res->profile_stat[k], ps[k], TOL_STAT));
      size_t m = 0;
      for (size_t i = 0; i < c.n; i++)
        m += c.marker[i] <= pc[k];
      CU_ASSERT_EQUAL (res->profile_n_low[k], m);
    }
  CU_ASSERT_EQUAL (res->profile_cut[res->best], res->cut);
  CU_ASSERT_EQUAL (res->profile_stat[res->best], res->statistic);
  ref_free (p);

  axs_maxstat_result_free (res);
  axs_maxstat_workspace_free (w);
  free_cohort (&c);
}

static void
test_lung_age (void)
{
  check_reference ("lung", "time", "status", "age");
}

static void
test_veteran_karno (void)
{
  check_reference ("veteran", "time", "status", "karno");
}

static void
test_gbsg_pgr (void)
{
  check_reference ("gbsg", "rfstime", "status", "pgr");
}

/* minprop = 0, maxprop = 1: maxstat keeps all splits but the last one.
   R: maxstat.test(Surv(time, status) ~ karno, data = veteran, smethod =
   "LogRank", pmethod = "Lau94", minprop = 0, maxprop = 1) */
static void
test_all_splits_quirk (void)
{
  static const double cuts[] = { 10, 20, 30, 40, 50, 60, 70, 75, 80, 85 };
  static const double stats[] = {
    0.5700733298129268, 2.5072869471432639, 3.8278692577940356,
    4.6180615911593632, 4.4171262329587035, 4.4573658588808627,
    3.2200959145791934, 3.3845933007706375, 4.3759049323897088,
    4.6823534067690353 };
  cohort c = load_cohort ("veteran.csv", "time", "status", "karno");
  axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (c.n);
  axs_maxstat_result *res = axs_maxstat_result_alloc (c.n);
  CU_ASSERT_EQUAL_FATAL (axs_maxstat_test (c.n, c.time, c.event, c.marker,
                                           0, 1, w, res), AXS_OK);
  CU_ASSERT_EQUAL_FATAL (res->n_cuts, 10);
  for (size_t k = 0; k < 10; k++)
    {
      CU_ASSERT_EQUAL (res->profile_cut[k], cuts[k]);
      CU_ASSERT (tu_rel_close (res->profile_stat[k], stats[k], TOL_STAT));
    }
  CU_ASSERT_EQUAL (res->cut, 85);
  CU_ASSERT (tu_rel_close (res->p_lau94, 2.1769235133465434e-05, TOL_P));
  CU_ASSERT (isnan (res->p_lau92));   /* R gives Inf: log of 0 in the formula */
  axs_maxstat_result_free (res);
  axs_maxstat_workspace_free (w);
  free_cohort (&c);
}

/* Exact tie of the maximum: maxstat takes the smallest cut.
   R: d <- data.frame(time = c(3,1,1,1,5,3), status = c(0,1,1,1,0,0),
   x = c(3,1,4,3,3,2)); maxstat.test(Surv(time, status) ~ x, data = d,
   smethod = "LogRank", pmethod = "Lau94"): cuts 1 2 3, stats 1 0 1,
   estimate 1, p 0.68183628455085676 */
static void
test_tied_maximum (void)
{
  static const double time[] = { 3, 1, 1, 1, 5, 3 };
  static const int event[] = { 0, 1, 1, 1, 0, 0 };
  static const double x[] = { 3, 1, 4, 3, 3, 2 };
  axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (6);
  axs_maxstat_result *res = axs_maxstat_result_alloc (6);
  CU_ASSERT_EQUAL_FATAL (axs_maxstat_test (6, time, event, x, 0.1, 0.9, w,
                                           res), AXS_OK);
  CU_ASSERT_EQUAL_FATAL (res->n_cuts, 3);
  CU_ASSERT (tu_rel_close (res->profile_stat[0], 1, TOL_STAT));
  CU_ASSERT (fabs (res->profile_stat[1]) < 1e-12);
  CU_ASSERT (tu_rel_close (res->profile_stat[2], 1, TOL_STAT));
  CU_ASSERT_EQUAL (res->cut, 1);
  CU_ASSERT_EQUAL (res->n_low, 1);
  CU_ASSERT_EQUAL (res->n_at_cut, 1);
  CU_ASSERT_EQUAL (res->events_low, 1);
  CU_ASSERT_EQUAL (res->events_high, 2);
  CU_ASSERT (tu_rel_close (res->p_lau94, 0.68183628455085676, TOL_P));
  /* M = 1 is not below 1: R's formula, pLausen92(1) = 4 dnorm(1) */
  CU_ASSERT (tu_rel_close (res->p_lau92, 0.96788289807657346, TOL_P));
  axs_maxstat_result_free (res);
  axs_maxstat_workspace_free (w);
}

/* R: maxstat:::pLausen92(b, 0.1, 0.9) and maxstat:::pLausen94 directly */
static void
test_p_functions (void)
{
  static const double b[] = { 0.5, 1, 1.0001, 1.5, 2, 3, 4.5,
                              6.77166095971655 };
  static const double p92[] = {
    1, 0.96788289807657346, 0.96790197456445204, 0.81967899576669856,
    0.46387276875711703, 0.057843884569190325, 0.00031467775847682033,
    1.3070339641861192e-09 };
  for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
    CU_ASSERT (tu_rel_close (axs_maxstat_p_lau92 (b[i], 0.1, 0.9), p92[i], 1e-12));
  /* R: pLausen92(2.5, 0.2, 0.7) */
  CU_ASSERT (tu_rel_close (axs_maxstat_p_lau92 (2.5, 0.2, 0.7),
                        0.11026253963092432, 1e-12));
  CU_ASSERT (isnan (axs_maxstat_p_lau92 (2.5, 0.9, 0.1)));
  CU_ASSERT (isnan (axs_maxstat_p_lau92 (NAN, 0.1, 0.9)));

  /* R: pLausen94(2.5, 100, m = c(10, 15, 40, 41, 90)); pLausen94(2.5, 100, m = 10) */
  static const size_t m[] = { 10, 15, 40, 41, 90 };
  CU_ASSERT (tu_rel_close (axs_maxstat_p_lau94 (2.5, 100, 5, m),
                        0.046882505211926863, 1e-12));
  CU_ASSERT (tu_rel_close (axs_maxstat_p_lau94 (2.5, 100, 1, m),
                        0.012419330651552318, 1e-12));
  CU_ASSERT (isnan (axs_maxstat_p_lau94 (2.5, 100, 5, NULL)));
}

static void
test_invalid_and_empty (void)
{
  static const double time[] = { 1, 2, 3, 4, 5, 6 };
  static const int event[] = { 1, 0, 1, 1, 0, 1 };
  static const int bad_event[] = { 1, 0, 2, 1, 0, 1 };
  static const int no_event[] = { 0, 0, 0, 0, 0, 0 };
  static const double x[] = { 6, 5, 4, 3, 2, 1 };
  static const double x_nan[] = { 6, 5, NAN, 3, 2, 1 };
  static const double x_tied[] = { 2, 2, 2, 2, 2, 2 };
  static const double t_inf[] = { 1, 2, 3, INFINITY, 5, 6 };
  axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (6);
  axs_maxstat_workspace *small = axs_maxstat_workspace_alloc (5);
  axs_maxstat_result *res = axs_maxstat_result_alloc (6);
  axs_maxstat_result *tiny = axs_maxstat_result_alloc (4);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double p, cuts[3];

  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, 0.1, 0.9, w, res), AXS_OK);
  CU_ASSERT_EQUAL (axs_maxstat_test (0, time, event, x, 0.1, 0.9, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, NULL, event, x, 0.1, 0.9, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, NULL, x, 0.1, 0.9, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, NULL, 0.1, 0.9, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, 0.1, 0.9, NULL, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, 0.1, 0.9, w, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, 0.1, 0.9, small, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, 0.1, 0.9, w, tiny), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, bad_event, x, 0.1, 0.9, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x_nan, 0.1, 0.9, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, t_inf, event, x, 0.1, 0.9, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, 0.5, 0.5, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, -0.1, 0.9, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, 0.1, 1.1, w, res), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x, NAN, 0.9, w, res), AXS_EINVAL);

  /* nothing to test: no events (R: statistic NaN), all markers tied (R: error),
     one patient (R: error), no split between the proportions (R: error) */
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, no_event, x, 0.1, 0.9, w, res), AXS_EDOM);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x_tied, 0.1, 0.9, w, res), AXS_EDOM);
  CU_ASSERT_EQUAL (axs_maxstat_test (1, time, event, x, 0.1, 0.9, w, res), AXS_EDOM);
  static const double x_lumpy[] = { 1, 1, 1, 1, 1, 2 };   /* only split: m = 5 */
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x_lumpy, 0.1, 0.9, w, res), AXS_OK);
  CU_ASSERT_EQUAL (axs_maxstat_test (6, time, event, x_lumpy, 0.1, 0.8, w, res), AXS_EDOM);
  /* all events at one single time: every score equal, V = 0 */
  static const double same_time[] = { 7, 7, 7, 7, 7, 7 };
  static const int all_event[] = { 1, 1, 1, 1, 1, 1 };
  CU_ASSERT_EQUAL (axs_maxstat_test (6, same_time, all_event, x, 0.1, 0.9, w, res), AXS_EDOM);

  CU_ASSERT_EQUAL (axs_maxstat_permtest (6, time, event, x, 0.1, 0.9, 0, rng, w, &p, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_permtest (6, time, event, x, 0.1, 0.9, 10, NULL, w, &p, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_permtest (6, time, event, x, 0.1, 0.9, 10, rng, w, NULL, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_permtest (6, time, no_event, x, 0.1, 0.9, 10, rng, w, &p, NULL), AXS_EDOM);
  CU_ASSERT_EQUAL (axs_maxstat_bootstrap (6, time, event, x, 0.1, 0.9, 0, rng, w, cuts, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_bootstrap (6, time, event, x, 0.1, 0.9, 3, rng, w, NULL, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_bootstrap (6, time, event, x, 0.1, 0.9, 3, NULL, w, cuts, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_maxstat_bootstrap (6, time, no_event, x, 0.1, 0.9, 3, rng, w, cuts, NULL), AXS_EDOM);

  CU_ASSERT_PTR_NULL (axs_maxstat_workspace_alloc (0));
  CU_ASSERT_PTR_NULL (axs_maxstat_result_alloc (0));
  axs_maxstat_workspace_free (NULL);
  axs_maxstat_result_free (NULL);

  gsl_rng_free (rng);
  axs_maxstat_result_free (tiny);
  axs_maxstat_result_free (res);
  axs_maxstat_workspace_free (small);
  axs_maxstat_workspace_free (w);
}

/* Max statistic of one arrangement, through the public test. */
static double
max_stat (size_t n, const double *time, const int *event, const double *x,
          axs_maxstat_workspace *w, axs_maxstat_result *res)
{
  int status = axs_maxstat_test (n, time, event, x, 0.1, 0.9, w, res);
  return status == AXS_OK ? res->statistic : NAN;
}

/* Heap's algorithm: visit every permutation of X[0..k-1]. */
static void
all_perms (size_t k, double *x, size_t n, const double *time, const int *event,
           axs_maxstat_workspace *w, axs_maxstat_result *res, double obs,
           size_t *count, size_t *total)
{
  if (k == 1)
    {
      (*total)++;
      *count += max_stat (n, time, event, x, w, res) >= obs * (1 - 1e-10);
      return;
    }
  for (size_t i = 0; i < k; i++)
    {
      all_perms (k - 1, x, n, time, event, w, res, obs, count, total);
      size_t j = (k % 2 == 0) ? i : 0;
      double t = x[j];
      x[j] = x[k - 1];
      x[k - 1] = t;
    }
}

/* The Monte Carlo p-value converges to the exact permutation p-value, found
   here by permuting the marker itself over all 7! arrangements: this also
   shows that shuffling scores is the same as shuffling the marker. */
static void
test_permutation (void)
{
  static const double time[] = { 5, 8, 3, 12, 9, 2, 7 };
  static const int event[] = { 1, 0, 1, 1, 1, 1, 0 };
  static const double x0[] = { 3, 1.5, 0.5, 2.5, 4, 0.2, 2.5 };
  double x[7];
  memcpy (x, x0, sizeof x);
  axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (7);
  axs_maxstat_result *res = axs_maxstat_result_alloc (7);
  double obs = max_stat (7, time, event, x0, w, res);
  CU_ASSERT_FATAL (!isnan (obs));
  size_t count = 0, total = 0;
  all_perms (7, x, 7, time, event, w, res, obs, &count, &total);
  CU_ASSERT_EQUAL (total, 5040);
  double exact = (double) count / (double) total;

  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 42);
  const size_t b = 20000;
  double p, p2;
  size_t nex, nex2;
  CU_ASSERT_EQUAL_FATAL (axs_maxstat_permtest (7, time, event, x0, 0.1, 0.9, b,
                                               rng, w, &p, &nex), AXS_OK);
  CU_ASSERT_EQUAL (p, (double) (nex + 1) / (double) (b + 1));
  /* binomial standard error at most 0.0036: 5 of them */
  CU_ASSERT (fabs (p - exact) < 0.018);
  CU_ASSERT (exact > 0.05 && exact < 0.95);   /* a non-trivial case */

  /* reproducible from the seed */
  gsl_rng_set (rng, 42);
  CU_ASSERT_EQUAL (axs_maxstat_permtest (7, time, event, x0, 0.1, 0.9, b, rng,
                                         w, &p2, &nex2), AXS_OK);
  CU_ASSERT_EQUAL (nex, nex2);
  CU_ASSERT_EQUAL (p, p2);

  /* a strong marker (gbsg pgr, Lau94 p 8e-10): no permutation reaches it */
  cohort c = load_cohort ("gbsg.csv", "rfstime", "status", "pgr");
  axs_maxstat_workspace *wg = axs_maxstat_workspace_alloc (c.n);
  CU_ASSERT_EQUAL (axs_maxstat_permtest (c.n, c.time, c.event, c.marker, 0.1,
                                         0.9, 199, rng, wg, &p, &nex), AXS_OK);
  CU_ASSERT_EQUAL (nex, 0);
  CU_ASSERT_EQUAL (p, 1.0 / 200);
  axs_maxstat_workspace_free (wg);
  free_cohort (&c);

  gsl_rng_free (rng);
  axs_maxstat_result_free (res);
  axs_maxstat_workspace_free (w);
}

/* Each bootstrap cut equals the cut that axs_maxstat_test picks on the same
   resample built explicitly (same generator, same draws): this checks the
   O(n) multiplicity path, including the ties that duplicated patients make. */
static void
check_bootstrap (const char *file, const char *tcol, const char *ecol,
                 const char *mcol, size_t b)
{
  cohort c = load_cohort (file, tcol, ecol, mcol);
  size_t n = c.n;
  axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (n);
  axs_maxstat_result *res = axs_maxstat_result_alloc (n);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 2024);
  gsl_rng *copy = gsl_rng_clone (rng);
  double *cuts = malloc (b * sizeof *cuts);
  double *t = malloc (n * sizeof *t), *x = malloc (n * sizeof *x);
  int *e = malloc (n * sizeof *e);
  size_t undefined = 99;

  CU_ASSERT_EQUAL_FATAL (axs_maxstat_bootstrap (n, c.time, c.event, c.marker,
                                                0.1, 0.9, b, rng, w, cuts,
                                                &undefined), AXS_OK);
  size_t nan_seen = 0;
  for (size_t r = 0; r < b; r++)
    {
      for (size_t j = 0; j < n; j++)
        {
          size_t i = gsl_rng_uniform_int (copy, n);
          t[j] = c.time[i];
          e[j] = c.event[i];
          x[j] = c.marker[i];
        }
      int status = axs_maxstat_test (n, t, e, x, 0.1, 0.9, w, res);
      if (status == AXS_OK)
        {
          CU_ASSERT_EQUAL (cuts[r], res->cut);
        }
      else
        {
          CU_ASSERT (isnan (cuts[r]));
          nan_seen++;
        }
    }
  CU_ASSERT_EQUAL (undefined, nan_seen);

  /* reproducible from the seed */
  double *again = malloc (b * sizeof *again);
  gsl_rng_set (rng, 2024);
  CU_ASSERT_EQUAL (axs_maxstat_bootstrap (n, c.time, c.event, c.marker, 0.1,
                                          0.9, b, rng, w, again, NULL), AXS_OK);
  CU_ASSERT (memcmp (cuts, again, b * sizeof *cuts) == 0);

  free (again);
  free (t);
  free (x);
  free (e);
  free (cuts);
  gsl_rng_free (copy);
  gsl_rng_free (rng);
  axs_maxstat_result_free (res);
  axs_maxstat_workspace_free (w);
  free_cohort (&c);
}

static void
test_bootstrap (void)
{
  check_bootstrap ("lung.csv", "time", "status", "age", 50);
  check_bootstrap ("veteran.csv", "time", "status", "karno", 50);
  check_bootstrap ("gbsg.csv", "rfstime", "status", "pgr", 20);
}

/* A tiny sample where resamples often have nothing to test. */
static void
test_bootstrap_undefined (void)
{
  static const double time[] = { 1, 2, 3 };
  static const int event[] = { 1, 0, 0 };
  static const double x[] = { 1, 2, 3 };
  axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (3);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double cuts[200];
  size_t undefined = 0, nan_count = 0;
  CU_ASSERT_EQUAL_FATAL (axs_maxstat_bootstrap (3, time, event, x, 0.1, 0.9,
                                                200, rng, w, cuts, &undefined),
                         AXS_OK);
  for (size_t r = 0; r < 200; r++)
    {
      if (isnan (cuts[r]))
        nan_count++;
      else
        {
          CU_ASSERT (cuts[r] == 1 || cuts[r] == 2);
        }
    }
  CU_ASSERT_EQUAL (undefined, nan_count);
  CU_ASSERT (undefined > 0 && undefined < 200);
  gsl_rng_free (rng);
  axs_maxstat_workspace_free (w);
}

/* A large cohort (the passes on threads, from 65536 patients): every
   number against a direct computation (sorting, then the sums at each
   cut), and the same bits on 1 and 3 threads. */
typedef struct
{
  double x;
  size_t i;
} keyed;

static int
compare_keyed (const void *a, const void *b)
{
  const keyed *p = a, *q = b;
  if (p->x != q->x)
    return (p->x > q->x) - (p->x < q->x);
  return (p->i > q->i) - (p->i < q->i);
}

static void
test_large_cohort (void)
{
  enum { N = 70001 };
  static double time[N], marker[N], score[N];
  static int event[N];
  static keyed by[N];
  uint64_t state = 7;
  for (size_t i = 0; i < N; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      time[i] = (double) ((state >> 33) % 600 + 1) / 10;
      event[i] = (state >> 20) % 4 != 0;
      marker[i] = (double) ((state >> 40) % 301);
    }
  /* scores: event minus the sum over tied blocks of time up to one's own
     of the block's events / (N - the block's last rank + 1) */
  for (size_t i = 0; i < N; i++)
    by[i] = (keyed) { time[i], i };
  qsort (by, N, sizeof *by, compare_keyed);
  long double acc = 0;
  for (size_t a = 0, b; a < N; a = b)
    {
      size_t d = 0;
      for (b = a; b < N && by[b].x == by[a].x; b++)
        d += (size_t) event[by[b].i];
      for (size_t e = 0; e < d; e++)
        acc += 1.0 / (double) (N - b + 1);
      for (size_t k = a; k < b; k++)
        score[by[k].i] = event[by[k].i] - (double) acc;
    }
  /* the statistic at every cut between markers, 10% to 90% of patients */
  for (size_t i = 0; i < N; i++)
    by[i] = (keyed) { marker[i], i };
  qsort (by, N, sizeof *by, compare_keyed);
  long double s = 0, q = 0;
  for (size_t i = 0; i < N; i++)
    {
      s += score[i];
      q += score[i] * score[i];
    }
  double nd = N, sum = (double) s, varfac = nd * (double) q - sum * sum;
  double best = -1, cut = NAN;
  size_t n_low = 0, ev_low = 0, events = 0, ev = 0;
  long double low = 0;
  for (size_t m = 1; m < N; m++)
    {
      low += score[by[m - 1].i];
      ev += (size_t) event[by[m - 1].i];
      if (by[m].x == by[m - 1].x || m < floor (nd * 0.1) || m > floor (nd * 0.9))
        continue;
      double t = fabs (((double) low - m / nd * sum)
                       / sqrt (m * (nd - m) / (nd * nd * (nd - 1)) * varfac));
      if (t > best)
        {
          best = t;
          cut = by[m - 1].x;
          n_low = m;
          ev_low = ev;
        }
    }
  for (size_t i = 0; i < N; i++)
    events += (size_t) event[i];

  axs_maxstat_result r[2];
  for (int k = 0; k < 2; k++)
    {
      setenv ("AXLSURV_THREADS", k ? "3" : "1", 1);
      axs_maxstat_workspace *w = axs_maxstat_workspace_alloc (N);
      axs_maxstat_result *res = axs_maxstat_result_alloc (N);
      CU_ASSERT_PTR_NOT_NULL_FATAL (w);
      CU_ASSERT_PTR_NOT_NULL_FATAL (res);
      CU_ASSERT_EQUAL_FATAL (axs_maxstat_test (N, time, event, marker, 0.1, 0.9, w, res),
                             AXS_OK);
      r[k] = *res;
      CU_ASSERT_EQUAL (res->cut, cut);
      CU_ASSERT (tu_rel_close (res->statistic, best, 1e-9));
      CU_ASSERT_EQUAL (res->n_low, n_low);
      CU_ASSERT_EQUAL (res->events, events);
      CU_ASSERT_EQUAL (res->events_low, ev_low);
      size_t at = 0;
      for (size_t i = 0; i < N; i++)
        at += marker[i] == cut;
      CU_ASSERT_EQUAL (res->n_at_cut, at);
      axs_maxstat_result_free (res);
      axs_maxstat_workspace_free (w);
    }
  unsetenv ("AXLSURV_THREADS");
  CU_ASSERT_EQUAL (memcmp (&r[0].statistic, &r[1].statistic, sizeof r[0].statistic), 0);
  CU_ASSERT_EQUAL (memcmp (&r[0].p_lau94, &r[1].p_lau94, sizeof r[0].p_lau94), 0);
}

int
main (void)
{
  const tu_test tests[] = {
    { "lung age vs R maxstat", test_lung_age },
    { "veteran karno vs R maxstat", test_veteran_karno },
    { "gbsg pgr vs R maxstat", test_gbsg_pgr },
    { "minprop 0 maxprop 1 vs R", test_all_splits_quirk },
    { "tied maximum vs R", test_tied_maximum },
    { "Lau92/Lau94 functions vs R", test_p_functions },
    { "invalid and empty input", test_invalid_and_empty },
    { "permutation p-value", test_permutation },
    { "bootstrap of the cut", test_bootstrap },
    { "bootstrap undefined resamples", test_bootstrap_undefined },
    { "large cohort on threads vs direct sums", test_large_cohort },
    { NULL, NULL }
  };
  return tu_run ("maxstat", tests);
}
