/* test_firth.c: unit tests of the Firth-penalised Cox kernel (stats/firth.c).

   Where the expected numbers come from.  coxphf cannot be installed here, so
   every expected value was derived independently in R 4 with survival 3.5-3,
   from the definition of the penalised partial likelihood rather than from
   the algorithm in firth.c:

     pl <- function(b) {      # l*(b) = l(b) + 0.5 log|I(b)|, Breslow ties
       f <- coxph(Surv(time, event) ~ X [+ strata(s)], ties = "breslow",
                  init = b, control = coxph.control(iter.max = 0))
       f$loglik[2] + 0.5 * log(det(solve(f$var)))
     }
     # maximum: optim(b0, function(b) -pl(b), method = "BFGS",
     #   control = list(reltol = 1e-14, parscale = 1/apply(X, 2, sd))),
     # then 6 Newton steps on a Richardson-extrapolated central-difference
     # gradient (h = 1e-3, 1e-3/2, 1e-3/4); |gradient| at the maximum < 1e-8.
     # se: sqrt(diag(f$var)) at the maximum (coxph, iter.max = 0).
     # profile: prof(r, c) = the same maximisation over b[-r] with b[r] = c;
     # limits: uniroot(function(c) 2*(lmax - prof(r, c)) - qchisq(conf, 1),
     #   tol = 1e-13) either side of the maximum;
     # chisq = 2*(lmax - prof(r, 0)), p = pchisq(chisq, 1, lower.tail = FALSE);
     # loglik0 = pl(rep(0, p)), lrt = 2*(lmax - loglik0).

   Tolerances: the kernel stops by coxphf's rule (standardised change
   <= 1e-6 and score <= 1e-4).  Its Newton steps use I, not the Hessian of
   l*, so convergence is linear and the estimate stops short of the exact
   maximum by up to ~5e-7 relative when the likelihood is monotone (test_tiny),
   ~1e-8 otherwise: coef and se are checked to 1e-6 with the default controls
   and to 1e-9 with tight ones.  The profile limits, statistics and
   log-likelihoods are second-order in that error and are checked to 1e-9. */
#include "stats/firth.h"
#include "stats/status.h"
#include "refdata.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_REL(got, want, tol) CU_ASSERT (tu_rel_close ((got), (want), (tol)))

typedef struct
{
  size_t p;
  const double *coef, *se, *lower, *upper, *chisq, *pvalue;
  double loglik0, loglik, lrt;
} expected;

static void
check_result (const axs_firth_result *r, const expected *e, double tol_coef)
{
  for (size_t j = 0; j < e->p; j++)
    {
      CHECK_REL (r->coef[j], e->coef[j], tol_coef);
      CHECK_REL (r->se[j], e->se[j], tol_coef);
      CHECK_REL (r->lower[j], e->lower[j], 1e-9);
      CHECK_REL (r->upper[j], e->upper[j], 1e-9);
      CHECK_REL (r->chisq[j], e->chisq[j], 1e-9);
      CHECK_REL (r->pvalue[j], e->pvalue[j], 1e-9);
    }
  CHECK_REL (r->loglik0, e->loglik0, 1e-9);
  CHECK_REL (r->loglik, e->loglik, 1e-9);
  CHECK_REL (r->lrt, e->lrt, 1e-9);
  CU_ASSERT (r->converged);
}

/* Fit, check the status, and hand back the result (caller frees). */
static axs_firth_result *
fit (size_t n, size_t p, const double *x, const double *time, const int *event,
     const int *strata, double conf, const axs_firth_control *ctl, int want)
{
  axs_firth_workspace *w = axs_firth_workspace_alloc (n, p);
  axs_firth_result *r = axs_firth_result_alloc (p);
  CU_ASSERT_PTR_NOT_NULL_FATAL (w);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  int st = axs_firth_fit (n, p, x, time, event, strata, conf, ctl, w, r);
  CU_ASSERT_EQUAL (st, want);
  axs_firth_workspace_free (w);
  return r;
}

static const axs_firth_control tight = { 200, 5, 1e-11, 1e-10, 0.5 };

/* --- (a) separation: made-up data, group g = 1 has no events ----------- */

enum { SEP_N = 20 };
static const double sep_time[SEP_N] = { 2, 3, 3, 5, 6, 7, 7, 9, 10, 12, 13, 15,
  16, 18, 20, 22, 25, 27, 30, 34 };
static const int sep_event[SEP_N] = { 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0,
  0, 1, 0, 0, 1, 0, 0 };
static const double sep_g[SEP_N] = { 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0,
  0, 1, 1, 0, 1, 1 };
static const double sep_z[SEP_N] = { 1.2, 0.4, -0.3, 0.8, 2.1, -1.0, 0.0, 1.5,
  0.3, -0.7, 1.1, 0.9, -0.2, 0.6, -1.4, 0.5, 1.7, -0.5, 0.2, -0.9 };

/* R: Surv(time, event) ~ g + z.  Ordinary coxph(ties = "breslow") does not
   converge: coef g = -21.624477 "may be infinite" (z 0.4781839431). */
static const double sep_coef[] = { -3.43934554596285, 0.450080473464863 };
static const double sep_se[] = { 1.53925594792419, 0.365407162798248 };
static const double sep_lower[] = { -8.31161952251535, -0.234738525797134 };
static const double sep_upper[] = { -1.33669561110086, 1.20163054887387 };
static const double sep_chisq[] = { 14.3415598800933, 1.64488959781926 };
static const double sep_pvalue[] = { 0.000152461641776088, 0.199655913809739 };
static const expected sep_expected = { 2, sep_coef, sep_se, sep_lower,
  sep_upper, sep_chisq, sep_pvalue, -22.9383511351674, -15.535186035509,
  14.8063301993168 };

static void
sep_design (double *x, size_t *perm)
{
  for (size_t i = 0; i < SEP_N; i++)
    {
      size_t k = perm ? perm[i] : i;
      x[2 * i] = sep_g[k];
      x[2 * i + 1] = sep_z[k];
    }
}

static void
test_separation (void)
{
  double x[2 * SEP_N];
  sep_design (x, NULL);
  axs_firth_result *r = fit (SEP_N, 2, x, sep_time, sep_event, NULL, 0.95,
                             NULL, AXS_OK);
  check_result (r, &sep_expected, 1e-6);
  CU_ASSERT (r->coef[0] > -5);          /* finite, unlike coxph's -21.6 */
  CU_ASSERT_EQUAL (r->n, SEP_N);
  CU_ASSERT_EQUAL (r->nevent, 10);
  CU_ASSERT (r->iter > 1 && r->iter <= 50);
  CHECK_REL (r->var[0], r->se[0] * r->se[0], 1e-14);
  CU_ASSERT_EQUAL (r->var[1], r->var[2]);
  CHECK_REL (r->conf, 0.95, 0);
  /* penalised LR test on 2 df: pchisq(14.8063301993168, 2, lower = FALSE) */
  CHECK_REL (r->lrt_pvalue, 0.000609321143717486, 1e-9);
  axs_firth_result_free (r);

  r = fit (SEP_N, 2, x, sep_time, sep_event, NULL, 0.95, &tight, AXS_OK);
  check_result (r, &sep_expected, 1e-9);
  axs_firth_result_free (r);
}

/* Row order must not matter (the kernel sorts). */
static void
test_permutation (void)
{
  size_t perm[SEP_N];
  double t[SEP_N], x[2 * SEP_N];
  int e[SEP_N];
  for (size_t i = 0; i < SEP_N; i++)
    perm[i] = (7 * i + 3) % SEP_N;
  for (size_t i = 0; i < SEP_N; i++)
    {
      t[i] = sep_time[perm[i]];
      e[i] = sep_event[perm[i]];
    }
  sep_design (x, perm);
  axs_firth_result *r = fit (SEP_N, 2, x, t, e, NULL, 0.95, &tight, AXS_OK);
  check_result (r, &sep_expected, 1e-9);
  axs_firth_result_free (r);
}

/* --- coxphf's help-page example: monotone likelihood with p = 1 --------- */

static void
test_tiny (void)
{
  /* R: time 1,2,3; all events; x 1,1,0.  coxph: 20.97 (diverges). */
  static const double time[] = { 1, 2, 3 }, x[] = { 1, 1, 0 };
  static const int event[] = { 1, 1, 1 };
  static const double coef[] = { 1.32910386064011 }, se[] = { 1.92907199396951 },
    lower[] = { -1.2330563401102 }, upper[] = { 6.27047895793826 },
    chisq[] = { 0.915156513280271 }, pvalue[] = { 0.338749935763892 };
  static const expected e = { 1, coef, se, lower, upper, chisq, pvalue,
    -2.166912266428, -1.70933400978787, 0.915156513280271 };
  axs_firth_result *r = fit (3, 1, x, time, event, NULL, 0.95, NULL, AXS_OK);
  check_result (r, &e, 1e-6);
  /* with one coefficient the profile test is the model test */
  CHECK_REL (r->lrt_pvalue, r->pvalue[0], 1e-12);
  axs_firth_result_free (r);
  r = fit (3, 1, x, time, event, NULL, 0.95, &tight, AXS_OK);
  check_result (r, &e, 1e-9);
  axs_firth_result_free (r);
}

/* --- all observations tied at one time ---------------------------------- */

static void
test_all_tied (void)
{
  /* R: time rep(5, 6); event 1,0,1,1,0,0; x 0.5,1,-0.2,2,0.1,-1.3.
     coxph breslow: 0.4064333978 */
  static const double time[] = { 5, 5, 5, 5, 5, 5 };
  static const double x[] = { 0.5, 1.0, -0.2, 2.0, 0.1, -1.3 };
  static const int event[] = { 1, 0, 1, 1, 0, 0 };
  static const double coef[] = { 0.364018506492299 }, se[] = { 0.577668170861728 },
    lower[] = { -0.695788887521227 }, upper[] = { 1.5167194034238 },
    chisq[] = { 0.45541541900659 }, pvalue[] = { 0.499774414056148 };
  static const expected e = { 1, coef, se, lower, upper, chisq, pvalue,
    -4.8051614260047, -4.57745371650141, 0.45541541900659 };
  axs_firth_result *r = fit (6, 1, x, time, event, NULL, 0.95, NULL, AXS_OK);
  check_result (r, &e, 1e-6);
  axs_firth_result_free (r);
}

/* --- (b) regular data: ovarian.csv, age + rx ---------------------------- */

typedef struct
{
  size_t n;
  double *x, *time;
  int *event, *strata;
} dataset;

static void
dataset_free (dataset *d)
{
  free (d->x);
  free (d->time);
  free (d->event);
  free (d->strata);
}

static dataset
load_ovarian (void)
{
  ref_table *t = ref_load ("ovarian.csv");
  dataset d;
  d.n = ref_nrow (t);
  d.x = malloc (2 * d.n * sizeof *d.x);
  d.time = malloc (d.n * sizeof *d.time);
  d.event = malloc (d.n * sizeof *d.event);
  d.strata = malloc (d.n * sizeof *d.strata);
  CU_ASSERT_FATAL (d.x && d.time && d.event && d.strata);
  const double *futime = ref_num (t, "futime"), *fustat = ref_num (t, "fustat"),
    *age = ref_num (t, "age"), *rx = ref_num (t, "rx"),
    *ecog = ref_num (t, "ecog.ps");
  for (size_t i = 0; i < d.n; i++)
    {
      d.x[2 * i] = age[i];
      d.x[2 * i + 1] = rx[i];
      d.time[i] = futime[i];
      d.event[i] = (int) fustat[i];
      d.strata[i] = (int) ecog[i];
    }
  ref_free (t);
  return d;
}

/* R: Surv(futime, fustat) ~ age + rx, ovarian.csv (26 rows). */
static const double ov_coef[] = { 0.136831156118919, -0.832891000530383 };
static const double ov_se[] = { 0.0440067397504467, 0.624588204041914 };
static const double ov_chisq[] = { 14.2047127770218, 1.89756335128861 };
static const double ov_pvalue[] = { 0.00016395935912148, 0.168351311303426 };

static void
test_ovarian (void)
{
  static const double lower[] = { 0.0611161672544126, -2.04875358882627 };
  static const double upper[] = { 0.235405362901932, 0.366720454666373 };
  static const expected e = { 2, ov_coef, ov_se, lower, upper, ov_chisq,
    ov_pvalue, -31.1660663802494, -23.4655639599968, 15.4010048405052 };
  /* ordinary coxph(Surv(futime, fustat) ~ age + rx, ties = "breslow") */
  static const double cox_coef[] = { 0.1473265955, -0.8039730127 };
  dataset d = load_ovarian ();
  CU_ASSERT_EQUAL (d.n, 26);
  axs_firth_result *r = fit (d.n, 2, d.x, d.time, d.event, NULL, 0.95, NULL,
                             AXS_OK);
  check_result (r, &e, 1e-6);
  /* Firth shrinks towards 0 a little: close to Cox, but not equal */
  for (size_t j = 0; j < 2; j++)
    {
      double rel = fabs (r->coef[j] - cox_coef[j]) / fabs (cox_coef[j]);
      CU_ASSERT (rel > 0.01 && rel < 0.1);
    }
  axs_firth_result_free (r);

  r = fit (d.n, 2, d.x, d.time, d.event, NULL, 0.95, &tight, AXS_OK);
  check_result (r, &e, 1e-9);
  axs_firth_result_free (r);
  dataset_free (&d);
}

static void
test_ovarian_conf90 (void)
{
  /* R: as test_ovarian with conf = 0.9 (qchisq(0.9, 1)) */
  static const double lower[] = { 0.0723165258678884, -1.84400255067549 };
  static const double upper[] = { 0.217461369821099, 0.166600077042661 };
  static const expected e = { 2, ov_coef, ov_se, lower, upper, ov_chisq,
    ov_pvalue, -31.1660663802494, -23.4655639599968, 15.4010048405052 };
  dataset d = load_ovarian ();
  axs_firth_result *r = fit (d.n, 2, d.x, d.time, d.event, NULL, 0.9, NULL,
                             AXS_OK);
  check_result (r, &e, 1e-6);
  axs_firth_result_free (r);
  dataset_free (&d);
}

static void
test_ovarian_strata (void)
{
  /* R: Surv(futime, fustat) ~ age + rx + strata(ecog.ps) */
  static const double coef[] = { 0.119985902394717, -0.802511813192924 };
  static const double se[] = { 0.0419978187484041, 0.631677009823616 };
  static const double lower[] = { 0.0483726860524325, -2.03794321791388 };
  static const double upper[] = { 0.2138540485942, 0.40060541442612 };
  static const double chisq[] = { 11.8558883368141, 1.74422769977038 };
  static const double pvalue[] = { 0.000574793103791473, 0.186604039576849 };
  static const expected e = { 2, coef, se, lower, upper, chisq, pvalue,
    -22.9459238844592, -16.5676361100045, 12.7565755489094 };
  dataset d = load_ovarian ();
  axs_firth_result *r = fit (d.n, 2, d.x, d.time, d.event, d.strata, 0.95,
                             NULL, AXS_OK);
  check_result (r, &e, 1e-6);
  axs_firth_result_free (r);

  /* stratum labels are only labels */
  for (size_t i = 0; i < d.n; i++)
    d.strata[i] = d.strata[i] == 1 ? 40 : -7;
  r = fit (d.n, 2, d.x, d.time, d.event, d.strata, 0.95, &tight, AXS_OK);
  check_result (r, &e, 1e-9);
  axs_firth_result_free (r);
  dataset_free (&d);
}

/* --- lung.csv: age + sex (male = 1), 228 rows with tied times ----------- */

static void
test_lung (void)
{
  static const double coef[] = { 0.0168453720784732, 0.507612671558421 };
  static const double se[] = { 0.00921855046145806, 0.167311745593583 };
  static const double lower[] = { -0.0010070666985324, 0.186144340273386 };
  static const double upper[] = { 0.035124551845666, 0.841530330607932 };
  static const double chisq[] = { 3.41612972070948, 9.73404811671026 };
  static const double pvalue[] = { 0.0645622087972336, 0.00180885665631125 };
  static const expected e = { 2, coef, se, lower, upper, chisq, pvalue,
    -743.551381943793, -736.604318079284, 13.8941277290185 };
  ref_table *t = ref_load ("lung.csv");
  size_t n = ref_nrow (t);
  CU_ASSERT_EQUAL_FATAL (n, 228);
  double *x = malloc (2 * n * sizeof *x), *time = malloc (n * sizeof *time);
  int *event = malloc (n * sizeof *event);
  CU_ASSERT_FATAL (x && time && event);
  const double *tt = ref_num (t, "time"), *st = ref_num (t, "status"),
    *age = ref_num (t, "age");
  for (size_t i = 0; i < n; i++)
    {
      x[2 * i] = age[i];
      x[2 * i + 1] = strcmp (ref_str (t, i, "sex"), "male") == 0;
      time[i] = tt[i];
      event[i] = (int) st[i];
    }
  axs_firth_result *r = fit (n, 2, x, time, event, NULL, 0.95, NULL, AXS_OK);
  check_result (r, &e, 1e-6);
  axs_firth_result_free (r);
  free (x);
  free (time);
  free (event);
  ref_free (t);
}

/* --- arguments and edge cases ------------------------------------------- */

static void
test_arguments (void)
{
  static const double time[] = { 1, 2, 3, 4 }, x[] = { 0, 1, 0, 1 };
  static const int event[] = { 1, 0, 1, 1 };
  axs_firth_workspace *w = axs_firth_workspace_alloc (4, 1);
  axs_firth_result *r = axs_firth_result_alloc (1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (w);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);

  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, NULL, time, event, NULL, 0.95, NULL, w, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, NULL, event, NULL, 0.95, NULL, w, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, NULL, NULL, 0.95, NULL, w, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event, NULL, 0.95, NULL, NULL, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event, NULL, 0.95, NULL, w, NULL), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (0, 1, x, time, event, NULL, 0.95, NULL, w, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (3, 1, x, time, event, NULL, 0.95, NULL, w, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (4, 2, x, time, event, NULL, 0.95, NULL, w, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event, NULL, 0, NULL, w, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event, NULL, 1, NULL, w, r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event, NULL, NAN, NULL, w, r), AXS_EINVAL);

  axs_firth_control bad;
  axs_firth_control_default (&bad);
  CU_ASSERT_EQUAL (bad.maxit, 50);
  CU_ASSERT_EQUAL (bad.maxhs, 5);
  CU_ASSERT_EQUAL (bad.epsilon, 1e-6);
  CU_ASSERT_EQUAL (bad.gconv, 1e-4);
  CU_ASSERT_EQUAL (bad.maxstep, 0.5);
  bad.maxit = 0;
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event, NULL, 0.95, &bad, w, r), AXS_EINVAL);
  axs_firth_control_default (&bad);
  bad.maxstep = 0;
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event, NULL, 0.95, &bad, w, r), AXS_EINVAL);

  static const int event2[] = { 1, 2, 0, 1 };
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event2, NULL, 0.95, NULL, w, r), AXS_EINVAL);
  static const double time_nan[] = { 1, NAN, 3, 4 };
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time_nan, event, NULL, 0.95, NULL, w, r), AXS_EINVAL);
  static const double x_inf[] = { 0, 1, INFINITY, 1 };
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x_inf, time, event, NULL, 0.95, NULL, w, r), AXS_EINVAL);

  /* no events: nothing to fit */
  static const int none[] = { 0, 0, 0, 0 };
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, none, NULL, 0.95, NULL, w, r), AXS_EDOM);
  CU_ASSERT_EQUAL (r->nevent, 0);

  /* a constant column has no information */
  static const double x_const[] = { 2, 2, 2, 2 };
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x_const, time, event, NULL, 0.95, NULL, w, r), AXS_ESINGULAR);

  /* the fit that works, with this workspace */
  CU_ASSERT_EQUAL (axs_firth_fit (4, 1, x, time, event, NULL, 0.95, NULL, w, r), AXS_OK);
  CU_ASSERT (r->converged);

  axs_firth_workspace_free (w);
  axs_firth_result_free (r);

  CU_ASSERT_PTR_NULL (axs_firth_workspace_alloc (0, 1));
  CU_ASSERT_PTR_NULL (axs_firth_workspace_alloc (4, 0));
  CU_ASSERT_PTR_NULL (axs_firth_workspace_alloc (4, AXS_FIRTH_MAXP + 1));
  CU_ASSERT_PTR_NULL (axs_firth_result_alloc (0));
  axs_firth_workspace_free (NULL);
  axs_firth_result_free (NULL);
}

static void
test_single_patient (void)
{
  static const double time[] = { 3 }, x[] = { 1.5 };
  static const int event[] = { 1 };
  axs_firth_result *r = fit (1, 1, x, time, event, NULL, 0.95, NULL,
                             AXS_ESINGULAR);
  axs_firth_result_free (r);
}

static void
test_collinear (void)
{
  double x[2 * SEP_N];
  for (size_t i = 0; i < SEP_N; i++)
    {
      x[2 * i] = sep_z[i];
      x[2 * i + 1] = 2 * sep_z[i] - 1;
    }
  axs_firth_result *r = fit (SEP_N, 2, x, sep_time, sep_event, NULL, 0.95,
                             NULL, AXS_ESINGULAR);
  axs_firth_result_free (r);
}

static void
test_noconv (void)
{
  double x[2 * SEP_N];
  sep_design (x, NULL);
  axs_firth_control c;
  axs_firth_control_default (&c);
  c.maxit = 2;
  axs_firth_result *r = fit (SEP_N, 2, x, sep_time, sep_event, NULL, 0.95, &c,
                             AXS_ENOCONV);
  CU_ASSERT (!r->converged);
  CU_ASSERT_EQUAL (r->iter, 2);
  /* maxstep 0.5 per standardised step: 2 steps move g at most 1/sd(g) */
  CU_ASSERT (isfinite (r->coef[0]) && r->coef[0] < 0);
  CU_ASSERT (isnan (r->lower[0]) && isnan (r->upper[1]) && isnan (r->pvalue[0]));
  CHECK_REL (r->loglik0, sep_expected.loglik0, 1e-9);
  axs_firth_result_free (r);
}

int
main (void)
{
  const tu_test tests[] = {
    { "separation (made-up data)", test_separation },
    { "row order does not matter", test_permutation },
    { "coxphf help example, p = 1", test_tiny },
    { "all times tied", test_all_tied },
    { "ovarian age + rx", test_ovarian },
    { "ovarian conf 0.9", test_ovarian_conf90 },
    { "ovarian strata(ecog.ps)", test_ovarian_strata },
    { "lung age + sex", test_lung },
    { "argument checks", test_arguments },
    { "single patient", test_single_patient },
    { "collinear columns", test_collinear },
    { "no convergence", test_noconv },
    { NULL, NULL }
  };
  return tu_run ("firth", tests);
}
