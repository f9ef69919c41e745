/* test_concordance.c: Harrell's C and its standard error against R survival 3.5-3. */
#include "stats/concordance.h"
#include "stats/cox.h"
#include "stats/status.h"
#include "refdata.h"
#include "refmodel.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fit the model, then the concordance of its linear predictor against the
   concordance and concordance_se columns of cox_model_<TAG>_efron.tsv. */
static void
check_model (const ref_model *m)
{
  char path[256];
  design *d = design_make (m->csv, m->tcol, m->ecol, m->terms, m->strata_col);
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.ties = ref_model_ties (m);
  axs_cox_result *r = axs_cox_result_alloc (d->n, d->p);
  CU_ASSERT_EQUAL_FATAL (axs_cox_fit (d->n, d->p, d->x, d->time, d->event, d->strata,
                                      &opt, r), AXS_OK);
  axs_concordance_result c;
  CU_ASSERT_EQUAL (axs_concordance (d->n, d->time, d->event, d->strata, r->lp, 1, &c),
                   AXS_OK);
  snprintf (path, sizeof path, "r-survival/cox_model_%s_%s.tsv", m->tag, m->ties);
  ref_table *t = ref_load (path);
  tu_check_rel (c.concordance, ref_num (t, "concordance")[0], 1e-9, "concordance", 0);
  tu_check_rel (c.std_err, ref_num (t, "concordance_se")[0], 1e-9, "concordance_se", 0);
  ref_free (t);
  axs_cox_result_free (r);
  design_free (d);
}

static void
test_reference_models (void)
{
  for (const ref_model *m = ref_models; m->csv; m++)
    check_model (m);
}

/* Ties in time, in x and in both, with and without strata. */
static const double tm[] = { 5, 8, 8, 3, 9, 14, 20, 7, 11, 16, 8, 5, 12, 3 };
static const int st[] = { 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1 };
static const double xv[] = { 2, 1, 3, 2, 2, 0, 1, 3, 3, 1, 2, 2, 1, 2 };
static const int sv[] = { 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 };

static void
test_small_ties (void)
{
  /* R survival 3.5-3: concordance(Surv(tm, st) ~ xv): counts 13 34 18 1 1,
     C 0.338461538461538, se 0.0873602060954947; with reverse = TRUE:
     C 0.661538461538462, counts 34 13 ...; with + strata(sv): counts
     (2 9 2 1 0) + (4 7 5 0 0), C 0.327586206896552, se 0.10103867454074 */
  axs_concordance_result c;
  CU_ASSERT_EQUAL (axs_concordance (14, tm, st, NULL, xv, 0, &c), AXS_OK);
  CU_ASSERT_EQUAL (c.concordant, 13);
  CU_ASSERT_EQUAL (c.discordant, 34);
  CU_ASSERT_EQUAL (c.tied_x, 18);
  CU_ASSERT_EQUAL (c.tied_y, 1);
  CU_ASSERT_EQUAL (c.tied_xy, 1);
  tu_check_rel (c.concordance, 0.338461538461538, 1e-12, "C", 0);
  tu_check_rel (c.std_err, 0.0873602060954947, 1e-12, "se", 0);

  CU_ASSERT_EQUAL (axs_concordance (14, tm, st, NULL, xv, 1, &c), AXS_OK);
  CU_ASSERT_EQUAL (c.concordant, 34);
  CU_ASSERT_EQUAL (c.discordant, 13);
  tu_check_rel (c.concordance, 0.661538461538462, 1e-12, "C rev", 0);
  tu_check_rel (c.std_err, 0.0873602060954947, 1e-12, "se rev", 0);

  CU_ASSERT_EQUAL (axs_concordance (14, tm, st, sv, xv, 0, &c), AXS_OK);
  CU_ASSERT_EQUAL (c.concordant, 6);
  CU_ASSERT_EQUAL (c.discordant, 16);
  CU_ASSERT_EQUAL (c.tied_x, 7);
  CU_ASSERT_EQUAL (c.tied_y, 1);
  tu_check_rel (c.concordance, 0.327586206896552, 1e-12, "C strata", 0);
  tu_check_rel (c.std_err, 0.10103867454074, 1e-12, "se strata", 0);
}

/* The O(n log n) walk against the definition, pair by pair, on random data:
   NSTRATA strata, NX values of x (VALUE[0..NX-1], or k / 4). */
static void
brute_force (int nstrata, int nx, const double *value)
{
  enum { N = 400 };
  static double time[N], x[N];
  static int event[N], strata[N];
  unsigned long s = 99;
  for (int i = 0; i < N; i++)
    {
      s = s * 6364136223846793005UL + 1442695040888963407UL;
      time[i] = (double) ((s >> 33) % 60);
      event[i] = (s >> 20) % 3 != 0;
      int v = (int) ((s >> 40) % (unsigned long) nx);
      x[i] = value ? value[v] : v / 4.0;
      strata[i] = (int) ((s >> 50) % (unsigned long) nstrata);
    }
  double cnt[3] = { 0, 0, 0 };
  static double inf[N][3];
  memset (inf, 0, sizeof inf);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      {
        if (!event[i] || strata[i] != strata[j] || i == j)
          continue;
        if (!(time[j] > time[i] || (time[j] == time[i] && !event[j])))
          continue;
        int k = x[j] > x[i] ? 0 : x[j] < x[i] ? 1 : 2;
        cnt[k]++;
        inf[i][k]++;
        inf[j][k]++;
      }
  double npair = cnt[0] + cnt[1] + cnt[2];
  double somer = (cnt[0] - cnt[1]) / npair, v = 0;
  for (int i = 0; i < N; i++)
    {
      double dfb = (inf[i][0] - inf[i][1]) / npair
        - somer / npair * (inf[i][0] + inf[i][1] + inf[i][2]);
      v += dfb * dfb;
    }
  axs_concordance_result c;
  CU_ASSERT_EQUAL (axs_concordance (N, time, event, strata, x, 0, &c), AXS_OK);
  CU_ASSERT_EQUAL (c.concordant, cnt[0]);
  CU_ASSERT_EQUAL (c.discordant, cnt[1]);
  CU_ASSERT_EQUAL (c.tied_x, cnt[2]);
  tu_check_rel (c.concordance, (somer + 1) / 2, 1e-12, "brute C", 0);
  tu_check_rel (c.std_err, sqrt (v / 4), 1e-10, "brute se", 0);

  /* the same patients sorted by stratum and time (the order the CLI
     passes, which is taken as it is): the same result, to the bit */
  static double st_time[N], st_x[N];
  static int st_event[N], st_strata[N];
  int k = 0;
  for (int g = 0; g < nstrata; g++)
    for (int t = 0; t < 60; t++)
      for (int i = 0; i < N; i++)
        if (strata[i] == g && time[i] == t)
          {
            st_time[k] = time[i];
            st_x[k] = x[i];
            st_event[k] = event[i];
            st_strata[k++] = g;
          }
  axs_concordance_result c2;
  CU_ASSERT_EQUAL (axs_concordance (N, st_time, st_event, st_strata, st_x, 0, &c2),
                   AXS_OK);
  CU_ASSERT (memcmp (&c, &c2, sizeof c) == 0);
}

/* Few large strata (the events' counts at a stratum's end are read from a
   table), and many small ones with many values of x (they are walked). */
static void
test_brute_force (void)
{
  brute_force (3, 25, NULL);
  brute_force (40, 400, NULL);
}

/* Values the sort of x must keep apart (the extremes, the least
   subnormals, 1 and the next double) or together (-0 and +0): their
   slots come from a linear map of the range into buckets. */
static void
test_extreme_values (void)
{
  static const double value[] = { -DBL_MAX, -1e300, -1, -4.9e-324, -0.0, 0.0,
    4.9e-324, 1, 1 + DBL_EPSILON, 1e300, DBL_MAX };
  brute_force (1, 11, value);
  brute_force (5, 11, value);
  brute_force (2, 6, value + 3);        /* around 0 only */
}

/* 70,000 patients, past the size where x is sorted on several threads:
   the pair counts against sums over a table of (time, x) cells, and the
   same for any number of threads. */
static void
test_large (void)
{
  enum { N = 70000, T = 300, X = 1000 };
  static double time[N], x[N];
  static int event[N], xv[N];
  /* LATER[t][v]: patients with time > t and x value v; CENS[t][v]: censored at t */
  static double later[T][X], cens[T][X], below[X + 1];
  unsigned long s = 7;
  for (int i = 0; i < N; i++)
    {
      s = s * 6364136223846793005UL + 1442695040888963407UL;
      int t = (int) ((s >> 33) % T);
      time[i] = t;
      event[i] = (s >> 20) % 3 != 0;
      xv[i] = (int) ((s >> 40) % X);
      x[i] = xv[i] / 8.0 - 40;
      if (!event[i])
        cens[t][xv[i]]++;
      for (int u = 0; u < t; u++)
        later[u][xv[i]]++;
    }
  /* an event at t is comparable with the later patients and the censored at t */
  double cnt[3] = { 0, 0, 0 };
  for (int t = 0; t < T; t++)
    {
      below[0] = 0;
      for (int v = 0; v < X; v++)
        below[v + 1] = below[v] + later[t][v] + cens[t][v];
      for (int i = 0; i < N; i++)
        if (event[i] && (int) time[i] == t)
          {
            int v = xv[i];
            cnt[0] += below[X] - below[v + 1];
            cnt[1] += below[v];
            cnt[2] += below[v + 1] - below[v];
          }
    }
  axs_concordance_result c, c1;
  CU_ASSERT_EQUAL (axs_concordance (N, time, event, NULL, x, 0, &c), AXS_OK);
  CU_ASSERT_EQUAL (c.concordant, cnt[0]);
  CU_ASSERT_EQUAL (c.discordant, cnt[1]);
  CU_ASSERT_EQUAL (c.tied_x, cnt[2]);
  setenv ("AXLSURV_THREADS", "1", 1);
  CU_ASSERT_EQUAL (axs_concordance (N, time, event, NULL, x, 0, &c1), AXS_OK);
  setenv ("AXLSURV_THREADS", "3", 1);
  CU_ASSERT_EQUAL (axs_concordance (N, time, event, NULL, x, 0, &c), AXS_OK);
  unsetenv ("AXLSURV_THREADS");
  CU_ASSERT (memcmp (&c, &c1, sizeof c) == 0);
}

static void
test_edges (void)
{
  axs_concordance_result c;
  double t1[] = { 3 }, x1[] = { 1 };
  int e1[] = { 1 };
  /* one patient, no pair */
  CU_ASSERT_EQUAL (axs_concordance (1, t1, e1, NULL, x1, 0, &c), AXS_EDOM);
  /* all times tied: no comparable pair */
  double t3[] = { 4, 4, 4 }, x3[] = { 1, 2, 3 };
  int e3[] = { 1, 1, 1 }, none[] = { 0, 0, 0 }, bad[] = { 1, 7, 0 };
  CU_ASSERT_EQUAL (axs_concordance (3, t3, e3, NULL, x3, 0, &c), AXS_EDOM);
  CU_ASSERT_EQUAL (axs_concordance (3, t3, none, NULL, x3, 0, &c), AXS_EDOM);
  /* an event with a censored patient at the same time is comparable */
  int e4[] = { 1, 0, 0 };
  CU_ASSERT_EQUAL (axs_concordance (3, t3, e4, NULL, x3, 0, &c), AXS_OK);
  CU_ASSERT_EQUAL (c.concordant, 2);
  CU_ASSERT_EQUAL (c.concordance, 1);
  /* all x tied: C = 1/2 */
  double t5[] = { 1, 2, 3 }, x5[] = { 0, 0, 0 };
  CU_ASSERT_EQUAL (axs_concordance (3, t5, e3, NULL, x5, 1, &c), AXS_OK);
  CU_ASSERT_EQUAL (c.concordance, 0.5);
  CU_ASSERT_EQUAL (c.tied_x, 3);
  /* argument checks */
  CU_ASSERT_EQUAL (axs_concordance (0, t3, e3, NULL, x3, 0, &c), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_concordance (3, NULL, e3, NULL, x3, 0, &c), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_concordance (3, t3, NULL, NULL, x3, 0, &c), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_concordance (3, t3, e3, NULL, NULL, 0, &c), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_concordance (3, t3, e3, NULL, x3, 0, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_concordance (3, t3, bad, NULL, x3, 0, &c), AXS_EINVAL);
  double xn[] = { 1, NAN, 2 };
  CU_ASSERT_EQUAL (axs_concordance (3, t5, e3, NULL, xn, 0, &c), AXS_EINVAL);
}

int
main (void)
{
  const tu_test tests[] = {
    { "coxph concordance of the reference models", test_reference_models },
    { "ties in time, x and both; strata", test_small_ties },
    { "against the pairwise definition", test_brute_force },
    { "extreme values, -0 and +0 in x", test_extreme_values },
    { "70,000 patients: x sorted on threads", test_large },
    { "edge cases and argument checks", test_edges },
    { NULL, NULL }
  };
  return tu_run ("concordance", tests);
}
