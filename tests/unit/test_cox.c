/* test_cox.c: the Cox fit against R survival 3.5-3 coxph on the reference cohorts. */
#include "stats/cox.h"
#include "stats/status.h"
#include "refdata.h"
#include "refmodel.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Fit DATA with TERMS and compare every row of cox_<TAG>_<ties>.tsv and the
   model file cox_model_<TAG>_<ties>.tsv. */
static void
check_model (const ref_model *m)
{
  const char *tag = m->tag, *tname = m->ties;
  char path[256];
  design *d = design_make (m->csv, m->tcol, m->ecol, m->terms, m->strata_col);
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.ties = ref_model_ties (m);
  axs_cox_result *r = axs_cox_result_alloc (d->n, d->p);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  int st = axs_cox_fit (d->n, d->p, d->x, d->time, d->event, d->strata, &opt, r);
  CU_ASSERT_EQUAL (st, AXS_OK);

  snprintf (path, sizeof path, "r-survival/cox_%s_%s.tsv", tag, tname);
  ref_table *t = ref_load (path);
  CU_ASSERT_EQUAL (ref_nrow (t), d->p);
  const double tol = 1e-7;
  for (size_t j = 0; j < ref_nrow (t) && j < d->p; j++)
    {
      tu_check_rel (r->coef[j], ref_num (t, "coef")[j], tol, "coef", j);
      tu_check_rel (r->hr[j], ref_num (t, "hr")[j], tol, "hr", j);
      tu_check_rel (r->se[j], ref_num (t, "se")[j], tol, "se", j);
      tu_check_rel (r->z[j], ref_num (t, "z")[j], tol, "z", j);
      tu_check_rel (r->p_value[j], ref_num (t, "p")[j], tol, "p", j);
      tu_check_rel (r->hr_lower[j], ref_num (t, "hr_lower")[j], tol, "hr_lower", j);
      tu_check_rel (r->hr_upper[j], ref_num (t, "hr_upper")[j], tol, "hr_upper", j);
      CU_ASSERT_EQUAL (r->may_be_infinite[j], 0);
      CU_ASSERT_EQUAL (r->singular[j], 0);
    }
  ref_free (t);

  snprintf (path, sizeof path, "r-survival/cox_model_%s_%s.tsv", tag, tname);
  t = ref_load (path);
  CU_ASSERT_EQUAL (ref_num (t, "n")[0], (double) d->n);
  CU_ASSERT_EQUAL (ref_num (t, "events")[0], (double) r->nevent);
  tu_check_rel (r->loglik_init, ref_num (t, "loglik_null")[0], tol, "loglik_null", 0);
  tu_check_rel (r->loglik, ref_num (t, "loglik")[0], tol, "loglik", 0);
  tu_check_rel (r->lr_chisq, ref_num (t, "lr_chisq")[0], tol, "lr_chisq", 0);
  CU_ASSERT_EQUAL (ref_num (t, "lr_df")[0], (double) r->df);
  tu_check_rel (r->lr_p, ref_num (t, "lr_p")[0], tol, "lr_p", 0);
  tu_check_rel (r->wald_chisq, ref_num (t, "wald_chisq")[0], tol, "wald_chisq", 0);
  tu_check_rel (r->wald_p, ref_num (t, "wald_p")[0], tol, "wald_p", 0);
  tu_check_rel (r->score_chisq, ref_num (t, "score_chisq")[0], tol, "score_chisq", 0);
  tu_check_rel (r->score_p, ref_num (t, "score_p")[0], tol, "score_p", 0);
  CU_ASSERT_EQUAL (ref_num (t, "iterations")[0], (double) r->iterations);
  CU_ASSERT_EQUAL (r->converged, 1);
  if (ref_num (t, "iterations")[0] != (double) r->iterations)
    fprintf (stderr, "\n  %s: iterations %d, R %g\n", tag, r->iterations,
             ref_num (t, "iterations")[0]);
  ref_free (t);
  axs_cox_result_free (r);
  design_free (d);
}

/* Every reference model of data file CSV. */
static void
check_models (const char *csv)
{
  for (const ref_model *m = ref_models; m->csv; m++)
    if (strcmp (m->csv, csv) == 0)
      check_model (m);
}

static void
test_lung (void)
{
  check_models ("lung.csv");
}

static void
test_veteran (void)
{
  check_models ("veteran.csv");
}

static void
test_gbsg (void)
{
  check_models ("gbsg.csv");
}

static void
test_ovarian (void)
{
  check_models ("ovarian.csv");
}

/* The linear predictor is R's fit$linear.predictors: x'b - means'b. */
static void
test_linear_predictor (void)
{
  design *d = design_make ("ovarian.csv", "futime", "fustat", "age,ecog.ps,rx", NULL);
  axs_cox_result *r = axs_cox_result_alloc (d->n, d->p);
  CU_ASSERT_EQUAL (axs_cox_fit (d->n, d->p, d->x, d->time, d->event, NULL, NULL, r),
                   AXS_OK);
  /* R: fit <- coxph(Surv(futime, fustat) ~ age + ecog.ps + rx, ovarian);
     fit$linear.predictors[c(1, 26)] */
  tu_check_rel (r->lp[0], 2.735907823246942, 1e-7, "lp", 0);
  tu_check_rel (r->lp[25], -0.139745592438857, 1e-7, "lp", 25);
  axs_cox_result_free (r);
  design_free (d);
}

/* Monotone likelihood: group g = 1 has no events, its coefficient runs to -inf. */
static void
test_infinite_coefficient (void)
{
  double time[] = { 5, 8, 12, 3, 9, 14, 20, 7, 11, 16, 6, 13 };
  int event[] = { 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0 };
  double g[] = { 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1 };
  double age[] = { 50, 61, 47, 70, 55, 63, 58, 49, 66, 52, 60, 57 };
  double x[24];
  for (int i = 0; i < 12; i++)
    {
      x[2 * i] = g[i];
      x[2 * i + 1] = age[i];
    }
  axs_cox_result *r = axs_cox_result_alloc (12, 2);
  int st = axs_cox_fit (12, 2, x, time, event, NULL, NULL, r);
  CU_ASSERT_EQUAL (st, AXS_OK);
  CU_ASSERT_EQUAL (r->may_be_infinite[0], 1);
  CU_ASSERT_EQUAL (r->may_be_infinite[1], 0);
  CU_ASSERT_EQUAL (r->any_infinite, 1);
  CU_ASSERT (isfinite (r->coef[0]) && isfinite (r->se[0]));
  /* R survival 3.5-3: d <- data.frame(time, status, g, age) as above;
     f <- coxph(Surv(time, status) ~ g + age, d) warns "Loglik converged before
     variable 1"; f$iter = 20, f$loglik = -9.6702936653684173 -7.0824281137487493,
     coef(f)["age"] = 0.02638151627590217, se(age) = 0.079371146468213957.
     The diverging coef itself (-20.82) depends on where the loglik stalls: only
     its sign and size are checked. */
  CU_ASSERT_EQUAL (r->iterations, 20);
  tu_check_rel (r->loglik_init, -9.6702936653684173, 1e-9, "inf loglik0", 0);
  tu_check_rel (r->loglik, -7.0824281137487493, 1e-9, "inf loglik", 0);
  tu_check_rel (r->coef[1], 0.02638151627590217, 1e-6, "inf age coef", 1);
  tu_check_rel (r->se[1], 0.079371146468213957, 1e-6, "inf age se", 1);
  CU_ASSERT (r->coef[0] < -15);

  /* a loose eps stops the fit early, at a coefficient whose information has
     not yet vanished: R's step rule alone flags it */
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.eps = 1e-4;
  CU_ASSERT_EQUAL (axs_cox_fit (12, 2, x, time, event, NULL, &opt, r), AXS_OK);
  CU_ASSERT (r->coef[0] > -12 && r->coef[0] < -3);
  CU_ASSERT_EQUAL (r->may_be_infinite[0], 1);
  CU_ASSERT_EQUAL (r->may_be_infinite[1], 0);
  axs_cox_result_free (r);
}

/* A covariate that orders the event times perfectly: the loglik tends to 0,
   R never converges and does not call the coefficient infinite; we do. */
static void
test_perfect_order (void)
{
  double time[] = { 1, 2, 3, 4, 5, 6, 7, 8 }, x[] = { 8, 7, 6, 5, 4, 3, 2, 1 };
  int event[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
  axs_cox_result *r = axs_cox_result_alloc (8, 1);
  CU_ASSERT_EQUAL (axs_cox_fit (8, 1, x, time, event, NULL, NULL, r), AXS_OK);
  CU_ASSERT_EQUAL (r->converged, 0);
  CU_ASSERT_EQUAL (r->may_be_infinite[0], 1);
  CU_ASSERT (isfinite (r->coef[0]) && isfinite (r->se[0]));
  /* R survival 3.5-3: coxph (Surv (time, rep (1, 8)) ~ x) warns "Ran out of
     iterations and did not converge"; iter 21, coef 19.338830203315702,
     loglik -10.604602902745251 -2.7948004799327464e-08 */
  CU_ASSERT_EQUAL (r->iterations, 21);
  tu_check_rel (r->coef[0], 19.338830203315702, 1e-7, "order coef", 0);
  tu_check_rel (r->loglik_init, -10.604602902745251, 1e-9, "order loglik0", 0);
  tu_check_rel (r->loglik, -2.7948004799327464e-08, 1e-9, "order loglik", 0);
  axs_cox_result_free (r);
}

/* A cohort of N rows in 3 strata, times with many ties, x1 continuous and
   x2 0/1 (row-major X[n*2]). */
static void
make_chunked (size_t n, double *x, double *time, int *event, int *strata)
{
  unsigned long s = 777;
  for (size_t i = 0; i < n; i++)
    {
      s = s * 6364136223846793005UL + 1442695040888963407UL;
      double u = ((s >> 11) + 0.5) / 9007199254740992.0;
      x[2 * i] = u * 4 - 2;
      x[2 * i + 1] = (s >> 3) % 3 == 0;
      strata[i] = (int) ((s >> 17) % 3);
      s = s * 6364136223846793005UL + 1442695040888963407UL;
      u = ((s >> 11) + 0.5) / 9007199254740992.0;
      time[i] = floor (-log (u) * exp (-0.4 * x[2 * i] + 0.6 * x[2 * i + 1]) * 40);
      event[i] = (s >> 9) % 5 != 0;
    }
}

/* The log partial likelihood, score and information at BETA straight from
   the definition (every distinct event time of a stratum, its risk set and
   Efron's steps), in O(n * times): the reference for the chunked sums. */
static double
naive_efron (size_t n, const double *x, const double *time, const int *event,
             const int *strata, const double *beta, double u[2], double im[3])
{
  double ll = 0;
  u[0] = u[1] = im[0] = im[1] = im[2] = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (!event[i])
        continue;
      /* the first event of its (stratum, time) does the block */
      int first = 1;
      for (size_t k = 0; k < i && first; k++)
        first = !(event[k] && strata[k] == strata[i] && time[k] == time[i]);
      if (!first)
        continue;
      long double r0 = 0, a0[2] = { 0, 0 }, c0[3] = { 0, 0, 0 };
      long double e = 0, b[2] = { 0, 0 }, cb[3] = { 0, 0, 0 };
      int d = 0;
      for (size_t k = 0; k < n; k++)
        {
          if (strata[k] != strata[i] || time[k] < time[i])
            continue;
          const double *xk = x + 2 * k;
          long double r = expl ((long double) beta[0] * xk[0] + (long double) beta[1] * xk[1]);
          r0 += r;
          a0[0] += r * xk[0];
          a0[1] += r * xk[1];
          c0[0] += r * xk[0] * xk[0];
          c0[1] += r * xk[0] * xk[1];
          c0[2] += r * xk[1] * xk[1];
          if (event[k] && time[k] == time[i])
            {
              d++;
              ll += beta[0] * xk[0] + beta[1] * xk[1];
              u[0] += xk[0];
              u[1] += xk[1];
              e += r;
              b[0] += r * xk[0];
              b[1] += r * xk[1];
              cb[0] += r * xk[0] * xk[0];
              cb[1] += r * xk[0] * xk[1];
              cb[2] += r * xk[1] * xk[1];
            }
        }
      for (int st = 0; st < d; st++)
        {
          long double f = (long double) st / d, den = r0 - f * e;
          long double a[2] = { a0[0] - f * b[0], a0[1] - f * b[1] };
          ll -= (double) logl (den);
          u[0] -= (double) (a[0] / den);
          u[1] -= (double) (a[1] / den);
          im[0] += (double) ((c0[0] - f * cb[0]) / den - a[0] * a[0] / (den * den));
          im[1] += (double) ((c0[1] - f * cb[1]) / den - a[0] * a[1] / (den * den));
          im[2] += (double) ((c0[2] - f * cb[2]) / den - a[1] * a[1] / (den * den));
        }
    }
  return ll;
}

/* The risk sets are summed in fixed chunks of sorted rows on threads, each
   chunk carrying the later ones' sums: the loglik, score and information at
   a point agree with the definition across chunk and stratum boundaries,
   and the fit is the same to the bit whatever AXLSURV_THREADS says. */
static void
test_chunks_and_threads (void)
{
  const size_t n = 70000;           /* several chunks */
  double *x = malloc (2 * n * sizeof *x), *time = malloc (n * sizeof *time);
  int *event = malloc (n * sizeof *event), *strata = malloc (n * sizeof *strata);
  CU_ASSERT_FATAL (x && time && event && strata);
  make_chunked (n, x, time, event, strata);

  double beta[2] = { 0.35, -0.5 }, u[2], im[3];
  double ll = naive_efron (n, x, time, event, strata, beta, u, im);
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.max_iter = 0;
  opt.init = beta;
  axs_cox_result *r = axs_cox_result_alloc (n, 2);
  CU_ASSERT_EQUAL (axs_cox_fit (n, 2, x, time, event, strata, &opt, r), AXS_OK);
  tu_check_rel (r->loglik_init, ll, 1e-12, "chunked loglik", 0);
  tu_check_rel (r->score[0], u[0], 1e-8, "chunked score", 0);
  tu_check_rel (r->score[1], u[1], 1e-8, "chunked score", 1);
  /* var = information^-1 */
  double det = im[0] * im[2] - im[1] * im[1];
  tu_check_rel (r->var[0], im[2] / det, 1e-10, "chunked var", 0);
  tu_check_rel (r->var[1], -im[1] / det, 1e-10, "chunked var", 1);
  tu_check_rel (r->var[3], im[0] / det, 1e-10, "chunked var", 3);

  /* the whole fit, on 1 and 3 threads */
  axs_cox_result *r1 = axs_cox_result_alloc (n, 2), *r3 = axs_cox_result_alloc (n, 2);
  setenv ("AXLSURV_THREADS", "1", 1);
  CU_ASSERT_EQUAL (axs_cox_fit (n, 2, x, time, event, strata, NULL, r1), AXS_OK);
  setenv ("AXLSURV_THREADS", "3", 1);
  CU_ASSERT_EQUAL (axs_cox_fit (n, 2, x, time, event, strata, NULL, r3), AXS_OK);
  unsetenv ("AXLSURV_THREADS");
  CU_ASSERT (r1->iterations > 1);
  CU_ASSERT (memcmp (r1->coef, r3->coef, 2 * sizeof *r1->coef) == 0);
  CU_ASSERT (memcmp (r1->var, r3->var, 4 * sizeof *r1->var) == 0);
  CU_ASSERT (memcmp (r1->lp, r3->lp, n * sizeof *r1->lp) == 0);
  CU_ASSERT (memcmp (&r1->loglik, &r3->loglik, sizeof r1->loglik) == 0);
  axs_cox_result_free (r);
  axs_cox_result_free (r1);
  axs_cox_result_free (r3);
  free (x);
  free (time);
  free (event);
  free (strata);
}

/* Rows with counts (axs_cox_options.count): NR distinct rows of 2 columns
   (x1 continuous, x2 0/1) in 2 strata, 12 distinct times, counts from 1 to
   200, so that most tied blocks hold far more than 64 deaths (Efron's steps
   in closed form); the last time of each stratum has only deaths (its
   risk set is the deaths alone: the first steps one by one). */
enum { NR = 300 };

static void
make_counted (double *x, double *time, int *event, int *strata, double *count)
{
  unsigned long s = 4242;
  for (size_t i = 0; i < NR; i++)
    {
      s = s * 6364136223846793005UL + 1442695040888963407UL;
      double u = ((s >> 11) + 0.5) / 9007199254740992.0;
      x[2 * i] = u * 2 - 1;
      x[2 * i + 1] = (s >> 5) % 2;
      strata[i] = (int) ((s >> 7) % 2);
      time[i] = 1 + (double) ((s >> 13) % 12);
      event[i] = time[i] == 12 || (s >> 19) % 10 < 7;
      count[i] = 1 + (double) ((s >> 23) % 200);
    }
}

/* N rows of 2 columns, row i repeated COUNT[i] times: the patients. */
typedef struct
{
  size_t n;
  double *x, *time;
  int *event, *strata;
} repeated;

static repeated
repeat_rows (size_t n, const double *x, const double *time, const int *event,
             const int *strata, const double *count)
{
  repeated r = { 0 };
  for (size_t i = 0; i < n; i++)
    r.n += (size_t) count[i];
  r.x = malloc (2 * r.n * sizeof *r.x);
  r.time = malloc (r.n * sizeof *r.time);
  r.event = malloc (r.n * sizeof *r.event);
  r.strata = malloc (r.n * sizeof *r.strata);
  CU_ASSERT_FATAL (r.x && r.time && r.event && r.strata);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    for (double c = 0; c < count[i]; c++, m++)
      {
        r.x[2 * m] = x[2 * i];
        r.x[2 * m + 1] = x[2 * i + 1];
        r.time[m] = time[i];
        r.event[m] = event[i];
        r.strata[m] = strata ? strata[i] : 0;
      }
  return r;
}

static void
repeated_free (repeated *r)
{
  free (r->x);
  free (r->time);
  free (r->event);
  free (r->strata);
}

/* The fit of N rows of 2 columns counted COUNT times each against that of
   the rows repeated, to TOL (relative). */
static void
check_counted (size_t n, const double *x, const double *time, const int *event,
               const int *strata, const double *count, enum axs_cox_ties ties,
               double tol)
{
  repeated e = repeat_rows (n, x, time, event, strata, count);
  axs_cox_result *rc = axs_cox_result_alloc (n, 2);
  axs_cox_result *re = axs_cox_result_alloc (e.n, 2);
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.ties = ties;
  CU_ASSERT_EQUAL (axs_cox_fit (e.n, 2, e.x, e.time, e.event, strata ? e.strata : NULL,
                                &opt, re), AXS_OK);
  opt.count = count;
  CU_ASSERT_EQUAL (axs_cox_fit (n, 2, x, time, event, strata, &opt, rc), AXS_OK);
  CU_ASSERT_EQUAL (rc->nevent, re->nevent);
  CU_ASSERT_EQUAL (rc->iterations, re->iterations);
  for (size_t j = 0; j < 2; j++)
    {
      tu_check_rel (rc->coef[j], re->coef[j], tol, "counted coef", j);
      tu_check_rel (rc->se[j], re->se[j], tol, "counted se", j);
      tu_check_rel (rc->means[j], re->means[j], tol, "counted means", j);
    }
  tu_check_rel (rc->var[1], re->var[1], tol, "counted var", 1);
  tu_check_rel (rc->loglik_init, re->loglik_init, tol, "counted loglik0", 0);
  tu_check_rel (rc->loglik, re->loglik, tol, "counted loglik", 0);
  /* a difference of logliks: good to their size (the repeated rows' sum of
     thousands of terms is itself off by about 1e-14) */
  CU_ASSERT (fabs (rc->lr_chisq - re->lr_chisq) <= tol * fabs (re->loglik));
  tu_check_rel (rc->wald_chisq, re->wald_chisq, tol, "counted wald", 0);
  tu_check_rel (rc->score_chisq, re->score_chisq, tol, "counted score test", 0);
  /* the linear predictor of a row, that of each of its copies */
  tu_check_rel (rc->lp[0], re->lp[0], tol, "counted lp", 0);
  tu_check_rel (rc->lp[n - 1], re->lp[e.n - 1], tol, "counted lp", n - 1);
  axs_cox_result_free (rc);
  axs_cox_result_free (re);
  repeated_free (&e);
}

/* The loglik, score and inverse information (var[0], var[1], var[3]) at
   BETA of N counted rows (Efron, one stratum) against WANT, to 1e-14. */
static void
check_counted_point (size_t n, const double *x, const double *time,
                     const int *event, const double *count, const double *beta,
                     const double want[6])
{
  axs_cox_result *r = axs_cox_result_alloc (n, 2);
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.max_iter = 0;
  opt.init = beta;
  opt.count = count;
  CU_ASSERT_EQUAL (axs_cox_fit (n, 2, x, time, event, NULL, &opt, r), AXS_OK);
  tu_check_rel (r->loglik_init, want[0], 1e-14, "counted point loglik", 0);
  tu_check_rel (r->score[0], want[1], 1e-14, "counted point score", 0);
  tu_check_rel (r->score[1], want[2], 1e-14, "counted point score", 1);
  tu_check_rel (r->var[0], want[3], 1e-14, "counted point var", 0);
  tu_check_rel (r->var[1], want[4], 1e-14, "counted point var", 1);
  tu_check_rel (r->var[3], want[5], 1e-14, "counted point var", 3);
  axs_cox_result_free (r);
}

/* Counted rows fit as the rows repeated: with ties (Efron, Breslow), with
   and without strata; then bad counts. */
static void
test_counts (void)
{
  double x[2 * NR], time[NR], count[NR];
  int event[NR], strata[NR];
  make_counted (x, time, event, strata, count);
  for (int ties = 0; ties < 2; ties++)
    {
      enum axs_cox_ties t = ties ? AXS_COX_BRESLOW : AXS_COX_EFRON;
      check_counted (NR, x, time, event, strata, count, t, 1e-12);
      check_counted (NR, x, time, event, NULL, count, t, 1e-12);
    }

  /* Three times, thousands of deaths at each, the last with no one else at
     risk: Efron's closed form carries much of the information.  The point
     checks are the definition in 40-digit arithmetic (Python mpmath,
     mp.dps = 40), as naive_efron computes it: at each event time the risk
     set's and the deaths' sums of r, r x, r x x' (r = count exp (x'beta)),
     then the d deaths' steps f = 0, 1/d, ..., (d-1)/d one by one.
     naive_efron itself is not good enough here: its double sums of
     thousands of terms cancel. */
  double sx[] = { 0, 0, 1, 1, 0.5, 1, 0.2, 0, 1, 0, 0, 1, 0.3, 1, 1, 1, 0, 0 };
  double st[] = { 1, 1, 1, 1, 2, 2, 2, 3, 3 };
  double sc[] = { 3000, 2000, 500, 400, 1500, 1000, 100, 800, 700 };
  int se[] = { 1, 1, 0, 0, 1, 1, 0, 1, 1 };
  const double beta[] = { 0.4, -0.3 };
  const double want1[] = { -73953.614396682096, -949.77435775088059, -137.09380798780597,
                           0.00055009114796512303, -0.00017149761539272167,
                           0.00051263560512824238 };
  check_counted (9, sx, st, se, NULL, sc, AXS_COX_EFRON, 1e-12);
  check_counted_point (9, sx, st, se, sc, beta, want1);
  /* and with a few censored among them */
  st[6] = 3;
  const double want2[] = { -74264.409268154588, -888.77454171899309, -241.52109775280274,
                           0.00055143831875720131, -0.00015438406961797313,
                           0.00050809305167058376 };
  check_counted (9, sx, st, se, NULL, sc, AXS_COX_EFRON, 1e-12);
  check_counted_point (9, sx, st, se, sc, beta, want2);
  /* a few deaths, then everybody else at once: the closed form carries
     nearly all the information (the coefficients are near 0: the fit
     itself is too ill-conditioned to compare closely) */
  double lx[] = { 0, 0, 1, 1, 0.5, 1, 1, 1, 0, 0 };
  double lt[] = { 1, 1, 1, 0.5, 0.5 }, lc[] = { 400, 300, 200, 3, 1 };
  int le[] = { 1, 1, 1, 1, 1 };
  const double want3[] = { -5255.8846440241714, -15.098739527274814, -4.7366080797268166,
                           0.034490010229578732, -0.028401004541303774,
                           0.027880075672301223 };
  check_counted_point (5, lx, lt, le, lc, beta, want3);

  /* counts of 1 are the same fit as none, to the bit (no block of more
     than 64 deaths here) */
  double one[NR];
  for (size_t i = 0; i < NR; i++)
    one[i] = 1;
  axs_cox_result *r0 = axs_cox_result_alloc (NR, 2), *r1 = axs_cox_result_alloc (NR, 2);
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  CU_ASSERT_EQUAL (axs_cox_fit (NR, 2, x, time, event, strata, &opt, r0), AXS_OK);
  opt.count = one;
  CU_ASSERT_EQUAL (axs_cox_fit (NR, 2, x, time, event, strata, &opt, r1), AXS_OK);
  CU_ASSERT (memcmp (r0->coef, r1->coef, 2 * sizeof *r0->coef) == 0);
  CU_ASSERT (memcmp (r0->var, r1->var, 4 * sizeof *r0->var) == 0);
  CU_ASSERT (memcmp (&r0->loglik, &r1->loglik, sizeof r0->loglik) == 0);

  /* a count is a whole number of patients, from 1 to 2^53 */
  const double bad[] = { 0, -1, 1.5, NAN, INFINITY, 0x1p54 };
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
    {
      one[7] = bad[k];
      CU_ASSERT_EQUAL (axs_cox_fit (NR, 2, x, time, event, strata, &opt, r1),
                       AXS_EINVAL);
    }
  axs_cox_result_free (r0);
  axs_cox_result_free (r1);
}

/* Constant and collinear columns are named. */
static void
test_singular (void)
{
  double time[] = { 5, 8, 12, 3, 9, 14, 20, 7, 11, 16 };
  int event[] = { 1, 1, 0, 1, 1, 0, 1, 1, 0, 1 };
  double a[] = { 1, 2, 3, 4, 5, 1, 2, 3, 4, 5 };
  double b[] = { 0, 1, 1, 0, 1, 0, 0, 1, 1, 0 };
  double x[40];
  for (int i = 0; i < 10; i++)
    {
      x[4 * i] = a[i];
      x[4 * i + 1] = 7;               /* constant */
      x[4 * i + 2] = b[i];
      x[4 * i + 3] = 2 * a[i] - b[i]; /* collinear with a and b */
    }
  axs_cox_result *r = axs_cox_result_alloc (10, 4);
  int st = axs_cox_fit (10, 4, x, time, event, NULL, NULL, r);
  CU_ASSERT_EQUAL (st, AXS_ESINGULAR);
  CU_ASSERT_EQUAL (r->nsingular, 2);
  CU_ASSERT_EQUAL (r->singular[0], 0);
  CU_ASSERT_EQUAL (r->singular[1], 1);
  CU_ASSERT_EQUAL (r->singular[2], 0);
  CU_ASSERT_EQUAL (r->singular[3], 1);
  CU_ASSERT (isnan (r->coef[1]) && isnan (r->coef[3]));
  CU_ASSERT_EQUAL (r->df, 2);
  /* R survival 3.5-3: coxph(Surv(time, event) ~ a + k + b + c) with k = 7,
     c = 2a - b: coef a = 0.0691172243629313, b = 0.1420169524567836, k and c NA;
     loglik -11.0100680108534 -10.9581004696302, var[a,b] -0.075116305110813 */
  tu_check_rel (r->coef[0], 0.0691172243629313, 1e-7, "sing coef a", 0);
  tu_check_rel (r->coef[2], 0.1420169524567836, 1e-7, "sing coef b", 2);
  tu_check_rel (r->loglik, -10.9581004696302, 1e-9, "sing loglik", 0);
  tu_check_rel (r->var[2], -0.075116305110813, 1e-7, "sing var", 2);
  CU_ASSERT_EQUAL (r->var[1 * 4 + 1], 0);
  axs_cox_result_free (r);

  /* every column constant */
  double k[] = { 3, 3, 3, 3, 3, 3, 3, 3, 3, 3 };
  r = axs_cox_result_alloc (10, 1);
  CU_ASSERT_EQUAL (axs_cox_fit (10, 1, k, time, event, NULL, NULL, r), AXS_ESINGULAR);
  CU_ASSERT_EQUAL (r->singular[0], 1);
  axs_cox_result_free (r);
}

static void
test_arguments (void)
{
  double x[] = { 1, 0, 1 }, time[] = { 1, 2, 3 };
  int event[] = { 1, 0, 1 }, none[] = { 0, 0, 0 }, bad[] = { 1, 2, 0 };
  axs_cox_result *r = axs_cox_result_alloc (3, 1);
  CU_ASSERT_PTR_NULL (axs_cox_result_alloc (0, 1));
  CU_ASSERT_PTR_NULL (axs_cox_result_alloc (3, 0));
  axs_cox_result_free (NULL);
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, NULL, time, event, NULL, NULL, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, x, NULL, event, NULL, NULL, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, x, time, NULL, NULL, NULL, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, x, time, event, NULL, NULL, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_cox_fit (2, 1, x, time, event, NULL, NULL, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, x, time, bad, NULL, NULL, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, x, time, none, NULL, NULL, r), AXS_EDOM);
  double tnan[] = { 1, NAN, 3 };
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, x, tnan, event, NULL, NULL, r), AXS_EINVAL);
  int sneg[] = { 0, -1, 0 };
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, x, time, event, sneg, NULL, r), AXS_EINVAL);
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.eps = 0;
  CU_ASSERT_EQUAL (axs_cox_fit (3, 1, x, time, event, NULL, &opt, r), AXS_EINVAL);
  axs_cox_result_free (r);
}

/* Edge cases: one patient, all times tied, iteration limits, initial values. */
static void
test_edges (void)
{
  double x1[] = { 1 }, t1[] = { 4 };
  int e1[] = { 1 };
  axs_cox_result *r = axs_cox_result_alloc (1, 1);
  /* one patient: the column is constant within the only risk set */
  CU_ASSERT_EQUAL (axs_cox_fit (1, 1, x1, t1, e1, NULL, NULL, r), AXS_ESINGULAR);
  axs_cox_result_free (r);

  /* all times tied, Efron: R survival 3.5-3
     coxph(Surv(rep(5, 6), c(1,1,1,0,1,1)) ~ c(0,1,0,1,1,0)):
     coef -0.719529470861044, se 0.923258814440687, loglik -6.2673079670739 */
  double xt[] = { 0, 1, 0, 1, 1, 0 }, tt[] = { 5, 5, 5, 5, 5, 5 };
  int et[] = { 1, 1, 1, 0, 1, 1 };
  r = axs_cox_result_alloc (6, 1);
  CU_ASSERT_EQUAL (axs_cox_fit (6, 1, xt, tt, et, NULL, NULL, r), AXS_OK);
  tu_check_rel (r->coef[0], -0.719529470861044, 1e-7, "tied coef", 0);
  tu_check_rel (r->se[0], 0.923258814440687, 1e-7, "tied se", 0);
  tu_check_rel (r->loglik, -6.2673079670739, 1e-9, "tied loglik", 0);

  /* max_iter 0 evaluates at init: R coxph(..., init = 0.3, iter.max = 0) gives
     loglik -6.89319838517964 both, var 0.889028214153578 */
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  double init = 0.3;
  opt.init = &init;
  opt.max_iter = 0;
  CU_ASSERT_EQUAL (axs_cox_fit (6, 1, xt, tt, et, NULL, &opt, r), AXS_OK);
  CU_ASSERT_EQUAL (r->iterations, 0);
  tu_check_rel (r->coef[0], 0.3, 1e-15, "init coef", 0);
  tu_check_rel (r->loglik, -6.89319838517964, 1e-9, "init loglik", 0);
  tu_check_rel (r->var[0], 0.889028214153578, 1e-9, "init var", 0);

  /* max_iter 1 on a model needing more: not converged.  R survival 3.5-3
     coxph(Surv(futime, fustat) ~ age + ecog.ps + rx, ovarian, iter.max = 1):
     fit$iter = 2 (R counts one past the limit), loglik -28.1051927154096 */
  opt.init = NULL;
  opt.max_iter = 1;
  design *d = design_make ("ovarian.csv", "futime", "fustat", "age,ecog.ps,rx", NULL);
  axs_cox_result *r2 = axs_cox_result_alloc (d->n, d->p);
  CU_ASSERT_EQUAL (axs_cox_fit (d->n, d->p, d->x, d->time, d->event, NULL, &opt, r2),
                   AXS_ENOCONV);
  CU_ASSERT_EQUAL (r2->converged, 0);
  CU_ASSERT_EQUAL (r2->iterations, 2);
  tu_check_rel (r2->loglik, -28.1051927154096, 1e-9, "noconv loglik", 0);
  axs_cox_result_free (r2);
  design_free (d);
  axs_cox_result_free (r);
}

/* Speed: 10^6 patients x 6 columns must fit in well under a second. */
static void
test_speed (void)
{
  const size_t n = 1000000, p = 6;
  double *x = malloc (n * p * sizeof *x), *time = malloc (n * sizeof *time);
  int *event = malloc (n * sizeof *event);
  unsigned long s = 12345;
  for (size_t i = 0; i < n; i++)
    {
      double eta = 0;
      for (size_t j = 0; j < p; j++)
        {
          s = s * 6364136223846793005UL + 1442695040888963407UL;
          double u = ((s >> 11) + 0.5) / 9007199254740992.0;
          x[i * p + j] = j % 2 ? (u < 0.4) : u * 4 - 2;
          eta += 0.2 * x[i * p + j];
        }
      s = s * 6364136223846793005UL + 1442695040888963407UL;
      double u = ((s >> 11) + 0.5) / 9007199254740992.0;
      time[i] = floor (-log (u) * exp (-eta) * 1000) + 1;  /* integer days: ties */
      event[i] = (s >> 7) % 4 != 0;
    }
  axs_cox_result *r = axs_cox_result_alloc (n, p);
  struct timespec t0, t1;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  int st = axs_cox_fit (n, p, x, time, event, NULL, NULL, r);
  clock_gettime (CLOCK_MONOTONIC, &t1);
  double secs = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
  fprintf (stderr, "\n  10^6 x 6 Efron fit: %.3f s, %d iterations\n", secs, r->iterations);
  CU_ASSERT_EQUAL (st, AXS_OK);
  CU_ASSERT (fabs (r->coef[0] - 0.2) < 0.02);
  CU_ASSERT (getenv ("AXS_SLOW") != NULL || secs < 5.0);  /* sanitizers are slow */
  axs_cox_result_free (r);
  free (x);
  free (time);
  free (event);
}

int
main (void)
{
  const tu_test tests[] = {
    { "lung (sex, factor(ph.ecog), strata(sex))", test_lung },
    { "veteran (celltype factor)", test_veteran },
    { "gbsg (log2 pgr, five terms)", test_gbsg },
    { "ovarian", test_ovarian },
    { "linear predictor", test_linear_predictor },
    { "infinite coefficient flagged", test_infinite_coefficient },
    { "perfect ordering: never converges, flagged", test_perfect_order },
    { "chunked risk sets, any thread count", test_chunks_and_threads },
    { "counted rows: the fit of the rows repeated", test_counts },
    { "singular columns named", test_singular },
    { "argument checks", test_arguments },
    { "edge cases", test_edges },
    { "10^6 x 6 speed", getenv ("AXS_NO_BENCH") ? NULL : test_speed },
    { NULL, NULL }
  };
  return tu_run ("cox", tests);
}
