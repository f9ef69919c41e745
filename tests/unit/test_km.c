/* test_km.c: Kaplan–Meier curves against R survival 3.5-3 (survfit, summary). */
#include "stats/km.h"
#include "stats/status.h"
#include "refdata.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-9

/* ---- comparison helpers ---- */

static void
check_num (double got, double want, double tol, const char *what, const char *where,
           double t)
{
  tu_check (tu_rel_close_sym (got, want, tol), got, want, "%s [%s, t=%g]", what, where, t);
}

/* ---- a cohort coded as R's read.csv + factor() would code it ---- */

typedef struct {
  size_t n;
  double *time;
  int *event;
  int *group;
  int ngroups;
  char **levels;
} cohort;

static int
all_numeric (char **v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      char *end;
      strtod (v[i], &end);
      if (*v[i] == '\0' || *end != '\0')
        return 0;
    }
  return 1;
}

static int numeric_levels;

static int
cmp_level (const void *a, const void *b)
{
  const char *x = *(char *const *) a, *y = *(char *const *) b;
  if (numeric_levels)
    {
      double u = strtod (x, NULL), v = strtod (y, NULL);
      return (u > v) - (u < v);
    }
  return strcmp (x, y);
}

static int
missing (const char *s)
{
  return *s == '\0' || strcmp (s, "NA") == 0;
}

/* Group labels per row of TABLE: column GROUP, or "pgr_group", which is
   "low" if pgr <= median(pgr) (= 32.5 in gbsg.csv) and "high" otherwise: the
   definition that reproduces the reference files (343 patients each; checked
   with R: factor(ifelse(pgr <= median(pgr), "low", "high"))). */
static char **
group_labels (ref_table *t, const char *group)
{
  size_t n = ref_nrow (t);
  char **lab = malloc (n * sizeof *lab);
  if (strcmp (group, "pgr_group") == 0)
    {
      const double *pgr = ref_num (t, "pgr");
      double *s = malloc (n * sizeof *s);
      memcpy (s, pgr, n * sizeof *s);
      for (size_t i = 1; i < n; i++)  /* insertion sort: 686 values */
        for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--)
          {
            double x = s[j];
            s[j] = s[j - 1];
            s[j - 1] = x;
          }
      double med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
      CU_ASSERT_DOUBLE_EQUAL (med, 32.5, 0);
      free (s);
      for (size_t i = 0; i < n; i++)
        lab[i] = (char *) (pgr[i] <= med ? "low" : "high");
    }
  else
    for (size_t i = 0; i < n; i++)
      lab[i] = (char *) ref_str (t, i, group);
  return lab;
}

static void
cohort_load (cohort *c, const char *file, const char *tcol, const char *ecol,
             const char *gcol)
{
  ref_table *t = ref_load (file);
  size_t n = ref_nrow (t);
  char **lab = group_labels (t, gcol);
  const double *tm = ref_num (t, tcol), *ev = ref_num (t, ecol);

  char **uniq = malloc (n * sizeof *uniq);
  size_t nu = 0;
  for (size_t i = 0; i < n; i++)
    if (!missing (lab[i]))
      uniq[nu++] = lab[i];
  numeric_levels = all_numeric (uniq, nu);
  qsort (uniq, nu, sizeof *uniq, cmp_level);
  size_t nl = 0;
  for (size_t i = 0; i < nu; i++)
    if (nl == 0 || cmp_level (&uniq[i], &uniq[nl - 1]) != 0)
      uniq[nl++] = uniq[i];

  c->levels = malloc (nl * sizeof *c->levels);
  for (size_t l = 0; l < nl; l++)
    c->levels[l] = strdup (uniq[l]);
  c->ngroups = (int) nl;
  c->time = malloc (n * sizeof *c->time);
  c->event = malloc (n * sizeof *c->event);
  c->group = malloc (n * sizeof *c->group);
  c->n = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (missing (lab[i]) || isnan (tm[i]) || isnan (ev[i]))
        continue;   /* listwise deletion, as model.frame's na.omit */
      for (size_t l = 0; l < nl; l++)
        if (cmp_level (&lab[i], &c->levels[l]) == 0)
          c->group[c->n] = (int) l;
      c->time[c->n] = tm[i];
      c->event[c->n] = (int) ev[i];
      c->n++;
    }
  free (uniq);
  free (lab);
  ref_free (t);
}

static void
cohort_free (cohort *c)
{
  for (int l = 0; l < c->ngroups; l++)
    free (c->levels[l]);
  free (c->levels);
  free (c->time);
  free (c->event);
  free (c->group);
}

static int
level_of (const cohort *c, const char *label)
{
  for (int l = 0; l < c->ngroups; l++)
    if ((numeric_levels && strtod (label, NULL) == strtod (c->levels[l], NULL))
        || strcmp (label, c->levels[l]) == 0)
      return l;
  return -1;
}

/* ---- the reference files ---- */

typedef struct {
  const char *name;   /* <data>_<group>_<conf> as in the file names */
  const char *data, *tcol, *ecol, *gcol;
  axs_km_conf_type conf;
  double tau;         /* NaN: common (largest time) */
} km_case;

static const km_case cases[] = {
  { "gbsg_hormon_log", "gbsg.csv", "rfstime", "status", "hormon", AXS_KM_CONF_LOG, 1826 },
  { "gbsg_pgr_group_log", "gbsg.csv", "rfstime", "status", "pgr_group", AXS_KM_CONF_LOG, NAN },
  { "lung_ph.ecog_log", "lung.csv", "time", "status", "ph.ecog", AXS_KM_CONF_LOG, NAN },
  { "lung_sex_log-log", "lung.csv", "time", "status", "sex", AXS_KM_CONF_LOGLOG, NAN },
  { "lung_sex_log", "lung.csv", "time", "status", "sex", AXS_KM_CONF_LOG, NAN },
  { "lung_sex_plain", "lung.csv", "time", "status", "sex", AXS_KM_CONF_PLAIN, NAN },
  { "ovarian_rx_log", "ovarian.csv", "futime", "fustat", "rx", AXS_KM_CONF_LOG, NAN },
  { "veteran_celltype_log", "veteran.csv", "time", "status", "celltype", AXS_KM_CONF_LOG, NAN },
  { "veteran_trt_log-log", "veteran.csv", "time", "status", "trt", AXS_KM_CONF_LOGLOG, NAN },
};

static void
run_case (const km_case *kc)
{
  cohort c;
  cohort_load (&c, kc->data, kc->tcol, kc->ecol, kc->gcol);
  axs_km_input in;
  axs_km_input_init (&in);
  in.n = c.n;
  in.time = c.time;
  in.event = c.event;
  in.group = c.group;
  in.ngroups = c.ngroups;
  in.conf_type = kc->conf;
  in.tau = kc->tau;
  axs_km_result *r = NULL;
  CU_ASSERT_EQUAL_FATAL (axs_km_fit (&in, &r), AXS_OK);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);

  char path[256];
  snprintf (path, sizeof path, "r-survival/km_%s.tsv", kc->name);
  ref_table *t = ref_load (path);
  size_t nrow = ref_nrow (t);
  CU_ASSERT_TRUE (nrow > 0);
  const double *time = ref_num (t, "time"), *nrisk = ref_num (t, "n_risk"),
    *nevent = ref_num (t, "n_event"), *ncens = ref_num (t, "n_censor"),
    *surv = ref_num (t, "surv"), *se = ref_num (t, "std_err"),
    *lo = ref_num (t, "lower"), *up = ref_num (t, "upper");
  size_t *next = calloc ((size_t) c.ngroups, sizeof *next);
  for (size_t i = 0; i < nrow; i++)
    {
      int g = level_of (&c, ref_str (t, i, "stratum"));
      CU_ASSERT_FATAL (g >= 0);
      CU_ASSERT_FATAL (next[g] < r->curves[g].nrows);
      const axs_km_row *row = &r->curves[g].rows[next[g]++];
      check_num (row->time, time[i], 0, "time", kc->name, time[i]);
      check_num ((double) row->n_risk, nrisk[i], 0, "n_risk", kc->name, time[i]);
      check_num ((double) row->n_event, nevent[i], 0, "n_event", kc->name, time[i]);
      check_num ((double) row->n_censor, ncens[i], 0, "n_censor", kc->name, time[i]);
      check_num (row->surv, surv[i], TOL, "surv", kc->name, time[i]);
      check_num (row->std_err, se[i], TOL, "std_err", kc->name, time[i]);
      check_num (row->lower, lo[i], TOL, "lower", kc->name, time[i]);
      check_num (row->upper, up[i], TOL, "upper", kc->name, time[i]);
    }
  for (int g = 0; g < c.ngroups; g++)   /* every row of ours is in the file */
    CU_ASSERT_EQUAL (next[g], r->curves[g].nrows);
  free (next);
  ref_free (t);

  snprintf (path, sizeof path, "r-survival/km_summary_%s.tsv", kc->name);
  t = ref_load (path);
  CU_ASSERT_EQUAL (ref_nrow (t), (size_t) c.ngroups);
  const double *n = ref_num (t, "n"), *ev = ref_num (t, "events"),
    *med = ref_num (t, "median"), *mlo = ref_num (t, "median_lower"),
    *mup = ref_num (t, "median_upper"), *rm = ref_num (t, "rmst"),
    *rmse = ref_num (t, "rmst_se");
  for (size_t i = 0; i < ref_nrow (t); i++)
    {
      int g = level_of (&c, ref_str (t, i, "stratum"));
      CU_ASSERT_FATAL (g >= 0);
      const axs_km_curve *cv = &r->curves[g];
      check_num ((double) cv->n, n[i], 0, "n", kc->name, g);
      check_num ((double) cv->events, ev[i], 0, "events", kc->name, g);
      check_num (cv->median, med[i], TOL, "median", kc->name, g);
      check_num (cv->median_lower, mlo[i], TOL, "median_lower", kc->name, g);
      check_num (cv->median_upper, mup[i], TOL, "median_upper", kc->name, g);
      check_num (cv->rmst, rm[i], TOL, "rmst", kc->name, g);
      check_num (cv->rmst_se, rmse[i], TOL, "rmst_se", kc->name, g);
    }
  ref_free (t);
  axs_km_result_free (r);
  cohort_free (&c);
}

static void test_gbsg_hormon (void) { run_case (&cases[0]); }
static void test_gbsg_pgr_group (void) { run_case (&cases[1]); }
static void test_lung_ph_ecog (void) { run_case (&cases[2]); }
static void test_lung_sex_loglog (void) { run_case (&cases[3]); }
static void test_lung_sex_log (void) { run_case (&cases[4]); }
static void test_lung_sex_plain (void) { run_case (&cases[5]); }
static void test_ovarian_rx (void) { run_case (&cases[6]); }
static void test_veteran_celltype (void) { run_case (&cases[7]); }
static void test_veteran_trt (void) { run_case (&cases[8]); }

/* Landmarks.  Expected values from R survival 3.5-3:
     f <- survfit(Surv(time, status) ~ sex, data = read.csv("lung.csv"))
     summary(f, times = c(0, 4, 5, 6, 100, 965, 1000, 1022, 1023, 2000), extend = TRUE)
   Without extend = TRUE R drops female 1000.. and male 1023.. (beyond the last
   follow-up: 965 female, 1022 male); we keep them flagged beyond_end. */
static void
test_landmarks (void)
{
  static const double times[] = { 2000, 0, 4, 5, 6, 100, 965, 1000, 1022, 1023 };
  static const struct {
    double n_risk, surv, se, lo, up;
    int beyond;
  } want[2][10] = {
    { /* female */
      { 0, 0.0832144435133582, 0.0499212744378468, 0.0256775389570916, 0.269677075392984, 1 },
      { 90, 1, 0, 1, 1, 0 },
      { 90, 1, 0, 1, 1, 0 },
      { 90, 0.9888888888888889, 0.0110492102890195, 0.9674682402091956, 1, 0 },
      { 89, 0.9888888888888889, 0.0110492102890195, 0.9674682402091956, 1, 0 },
      { 82, 0.9220883534136546, 0.0282794136527423, 0.8682946833224169, 0.979214715731928, 0 },
      { 1, 0.0832144435133582, 0.0499212744378468, 0.0256775389570916, 0.269677075392984, 0 },
      { 0, 0.0832144435133582, 0.0499212744378468, 0.0256775389570916, 0.269677075392984, 1 },
      { 0, 0.0832144435133582, 0.0499212744378468, 0.0256775389570916, 0.269677075392984, 1 },
      { 0, 0.0832144435133582, 0.0499212744378468, 0.0256775389570916, 0.269677075392984, 1 },
    },
    { /* male */
      { 0, 0.0357138702934946, 0.0215977664662789, 0.0109163504468920, 0.116841295774239, 1 },
      { 138, 1, 0, 1, 1, 0 },
      { 138, 1, 0, 1, 1, 0 },
      { 138, 1, 0, 1, 1, 0 },
      { 138, 1, 0, 1, 1, 0 },
      { 114, 0.8260869565217395, 0.0322655755878818, 0.7652075661852329, 0.891809869493838, 0 },
      { 2, 0.0357138702934946, 0.0215977664662789, 0.0109163504468920, 0.116841295774239, 0 },
      { 2, 0.0357138702934946, 0.0215977664662789, 0.0109163504468920, 0.116841295774239, 0 },
      { 1, 0.0357138702934946, 0.0215977664662789, 0.0109163504468920, 0.116841295774239, 0 },
      { 0, 0.0357138702934946, 0.0215977664662789, 0.0109163504468920, 0.116841295774239, 1 },
    } };
  cohort c;
  cohort_load (&c, "lung.csv", "time", "status", "sex");
  axs_km_input in;
  axs_km_input_init (&in);
  in.n = c.n;
  in.time = c.time;
  in.event = c.event;
  in.group = c.group;
  in.ngroups = c.ngroups;
  in.nlandmarks = 10;
  in.landmarks = times;
  axs_km_result *r = NULL;
  CU_ASSERT_EQUAL_FATAL (axs_km_fit (&in, &r), AXS_OK);
  CU_ASSERT_EQUAL (r->nlandmarks, 10);
  /* the reference has 15 significant digits */
  for (int g = 0; g < 2; g++)
    for (int l = 0; l < 10; l++)
      {
        const axs_km_landmark *lm = &r->curves[g].landmarks[l];
        check_num (lm->time, times[l], 0, "lm time", c.levels[g], times[l]);
        check_num ((double) lm->n_risk, want[g][l].n_risk, 0, "lm n_risk", c.levels[g], times[l]);
        check_num (lm->surv, want[g][l].surv, TOL, "lm surv", c.levels[g], times[l]);
        check_num (lm->std_err, want[g][l].se, TOL, "lm std_err", c.levels[g], times[l]);
        check_num (lm->lower, want[g][l].lo, TOL, "lm lower", c.levels[g], times[l]);
        check_num (lm->upper, want[g][l].up, TOL, "lm upper", c.levels[g], times[l]);
        CU_ASSERT_EQUAL (lm->beyond_end, want[g][l].beyond);
      }
  axs_km_result_free (r);
  cohort_free (&c);
}

/* Fit one small ungrouped sample; returns the result (asserts success). */
static axs_km_result *
fit_small (size_t n, const double *t, const int *e, axs_km_conf_type conf,
           double level, double tau)
{
  axs_km_input in;
  axs_km_input_init (&in);
  in.n = n;
  in.time = t;
  in.event = e;
  in.conf_type = conf;
  in.conf_level = level;
  in.tau = tau;
  axs_km_result *r = NULL;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_OK);
  CU_ASSERT_PTR_NOT_NULL (r);
  if (r)
    CU_ASSERT_EQUAL (r->ngroups, 1);
  return r;
}

/* Edge cases; expected numbers from R survival 3.5-3, e.g.
     f <- survfit(Surv(c(3,3,3,3), c(1,1,0,1)) ~ 1, conf.type = ...)
     summary(f, censored = TRUE); print(f, rmean = max(f$time)) */
static void
test_all_tied (void)
{
  const double t[] = { 3, 3, 3, 3 };
  const int e[] = { 1, 1, 0, 1 };
  const axs_km_conf_type conf[3] = { AXS_KM_CONF_LOG, AXS_KM_CONF_LOGLOG, AXS_KM_CONF_PLAIN };
  const double lo[3] = { 0.045790759666018192, 0.0089478244166031722, 0 };
  const double up[3] = { 1, 0.66532534278886535, 0.67434465027856427 };
  for (int k = 0; k < 3; k++)
    {
      axs_km_result *r = fit_small (4, t, e, conf[k], 0.95, NAN);
      if (!r)
        return;
      const axs_km_curve *c = &r->curves[0];
      CU_ASSERT_EQUAL_FATAL (c->nrows, 1);
      CU_ASSERT_EQUAL (c->rows[0].n_risk, 4);
      CU_ASSERT_EQUAL (c->rows[0].n_event, 3);
      CU_ASSERT_EQUAL (c->rows[0].n_censor, 1);
      check_num (c->rows[0].surv, 0.25, TOL, "surv", "tied", 3);
      check_num (c->rows[0].std_err, 0.21650635094610965, TOL, "se", "tied", 3);
      check_num (c->rows[0].lower, lo[k], TOL, "lower", "tied", 3);
      check_num (c->rows[0].upper, up[k], TOL, "upper", "tied", 3);
      check_num (c->median, 3, 0, "median", "tied", 3);
      check_num (c->median_lower, 3, 0, "median lower", "tied", 3);
      CU_ASSERT_TRUE (isnan (c->median_upper));
      check_num (c->rmst, 3, TOL, "rmst", "tied", 3);
      check_num (c->rmst_se, 0, 0, "rmst se", "tied", 3);
      CU_ASSERT_EQUAL (c->n, 4);
      CU_ASSERT_EQUAL (c->events, 3);
      axs_km_result_free (r);
    }
}

/* R: survfit(Surv(c(1,2,3,4), c(1,1,1,1)) ~ 1): S sits at exactly 0.5 on [2, 3):
   median 2.5; and with events c(1,1,0,0) it never drops again: median 2. */
static void
test_median_flat (void)
{
  const double t[] = { 4, 3, 2, 1 };   /* unsorted on purpose */
  const int e1[] = { 1, 1, 1, 1 }, e2[] = { 0, 0, 1, 1 };
  axs_km_result *r = fit_small (4, t, e1, AXS_KM_CONF_LOG, 0.95, NAN);
  if (!r)
    return;
  const axs_km_curve *c = &r->curves[0];
  check_num (c->median, 2.5, 0, "median", "flat", 0);
  check_num (c->median_lower, 1, 0, "median lower", "flat", 0);
  CU_ASSERT_TRUE (isnan (c->median_upper));
  check_num (c->rmst, 2.5, TOL, "rmst", "flat", 0);
  check_num (c->rmst_se, 0.55901699437494745, TOL, "rmst se", "flat", 0);
  CU_ASSERT_TRUE (isnan (c->rows[3].std_err) && isnan (c->rows[3].lower)
                  && isnan (c->rows[3].upper));
  check_num (c->rows[1].lower, 0.187658928706588318, TOL, "lower", "flat", 2);
  axs_km_result_free (r);

  r = fit_small (4, t, e2, AXS_KM_CONF_LOG, 0.95, NAN);
  if (!r)
    return;
  c = &r->curves[0];
  check_num (c->median, 2, 0, "median", "flat end", 0);
  check_num (c->rmst, 2.75, TOL, "rmst", "flat end", 0);
  check_num (c->rmst_se, 0.649519052838329, TOL, "rmst se", "flat end", 0);
  CU_ASSERT_EQUAL (c->rows[3].n_censor, 1);
  axs_km_result_free (r);
}

/* R: survfit(Surv(5, 1) ~ 1) and survfit(Surv(5, 0) ~ 1). */
static void
test_single_patient (void)
{
  const double t[] = { 5 };
  const int dead[] = { 1 }, alive[] = { 0 };
  axs_km_result *r = fit_small (1, t, dead, AXS_KM_CONF_LOG, 0.95, NAN);
  if (!r)
    return;
  const axs_km_curve *c = &r->curves[0];
  CU_ASSERT_EQUAL (c->nrows, 1);
  CU_ASSERT_EQUAL (c->rows[0].surv, 0);
  CU_ASSERT_TRUE (isnan (c->rows[0].std_err) && isnan (c->rows[0].lower));
  check_num (c->median, 5, 0, "median", "single", 5);
  CU_ASSERT_TRUE (isnan (c->median_lower) && isnan (c->median_upper));
  check_num (c->rmst, 5, 0, "rmst", "single", 5);
  check_num (c->rmst_se, 0, 0, "rmst se", "single", 5);
  axs_km_result_free (r);

  r = fit_small (1, t, alive, AXS_KM_CONF_LOGLOG, 0.95, NAN);
  if (!r)
    return;
  c = &r->curves[0];
  CU_ASSERT_EQUAL (c->rows[0].surv, 1);
  CU_ASSERT_EQUAL (c->rows[0].std_err, 0);
  CU_ASSERT_TRUE (isnan (c->rows[0].lower));   /* log-log has no CI at S = 1 */
  CU_ASSERT_TRUE (isnan (c->median));
  CU_ASSERT_EQUAL (c->events, 0);
  axs_km_result_free (r);
}

/* R: f <- survfit(Surv(c(1,2,2,3,4,5,6), c(1,1,0,1,0,1,0)) ~ 1, conf.int = 0.9)
      summary(f, censored = TRUE); print(f, rmean = 3.5); print(f, rmean = 0.5) */
static void
test_conf_level_and_tau (void)
{
  const double t[] = { 1, 2, 2, 3, 4, 5, 6 };
  const int e[] = { 1, 1, 0, 1, 0, 1, 0 };
  const double lo[] = { 0.665007403927188157, 0.482069271119959286, 0.289196765532595712,
                        0.289196765532595712, 0.071814143335513211, 0.071814143335513211 };
  const double up[] = { 1, 1, 0.99236862276047966, 0.99236862276047966,
                        0.99907129218808899, 0.99907129218808899 };
  axs_km_result *r = fit_small (7, t, e, AXS_KM_CONF_LOG, 0.9, NAN);
  if (!r)
    return;
  const axs_km_curve *c = &r->curves[0];
  CU_ASSERT_EQUAL_FATAL (c->nrows, 6);
  for (int j = 0; j < 6; j++)
    {
      check_num (c->rows[j].lower, lo[j], TOL, "lower", "0.9", c->rows[j].time);
      check_num (c->rows[j].upper, up[j], TOL, "upper", "0.9", c->rows[j].time);
    }
  CU_ASSERT_EQUAL (r->tau, 6);
  check_num (c->rmst, 3.91071428571428559, TOL, "rmst", "tau 6", 6);
  check_num (c->rmst_se, 0.72638822304817852, TOL, "rmst se", "tau 6", 6);
  check_num (c->median, 5, 0, "median", "0.9", 0);
  check_num (c->median_lower, 2, 0, "median lower", "0.9", 0);
  axs_km_result_free (r);

  r = fit_small (7, t, e, AXS_KM_CONF_LOG, 0.9, 3.5);
  if (!r)
    return;
  check_num (r->curves[0].rmst, 2.83928571428571441, TOL, "rmst", "tau 3.5", 3.5);
  check_num (r->curves[0].rmst_se, 0.34449875384305367, TOL, "rmst se", "tau 3.5", 3.5);
  axs_km_result_free (r);

  r = fit_small (7, t, e, AXS_KM_CONF_LOG, 0.9, 0.5);   /* before the first time */
  if (!r)
    return;
  check_num (r->curves[0].rmst, 0.5, TOL, "rmst", "tau 0.5", 0.5);
  check_num (r->curves[0].rmst_se, 0, 0, "rmst se", "tau 0.5", 0.5);
  axs_km_result_free (r);
}

/* No events at all: flat at 1, nothing reached; an unused group is kept empty. */
static void
test_no_events_and_empty_group (void)
{
  const double t[] = { 1, 2, 3 };
  const int e[] = { 0, 0, 0 };
  const int g[] = { 0, 2, 0 };
  const double lm[] = { 2.5 };
  axs_km_input in;
  axs_km_input_init (&in);
  in.n = 3;
  in.time = t;
  in.event = e;
  in.group = g;
  in.ngroups = 3;
  in.nlandmarks = 1;
  in.landmarks = lm;
  axs_km_result *r = NULL;
  CU_ASSERT_EQUAL_FATAL (axs_km_fit (&in, &r), AXS_OK);
  CU_ASSERT_EQUAL (r->ngroups, 3);
  CU_ASSERT_EQUAL (r->curves[0].n, 2);
  CU_ASSERT_EQUAL (r->curves[0].nrows, 2);
  CU_ASSERT_EQUAL (r->curves[0].rows[1].surv, 1);
  CU_ASSERT_TRUE (isnan (r->curves[0].median));
  check_num (r->curves[0].rmst, 3, 0, "rmst", "no events", 3);   /* tau = 3 */
  CU_ASSERT_EQUAL (r->curves[1].n, 0);
  CU_ASSERT_EQUAL (r->curves[1].nrows, 0);
  CU_ASSERT_TRUE (isnan (r->curves[1].rmst) && isnan (r->curves[1].median));
  CU_ASSERT_TRUE (r->curves[1].landmarks[0].beyond_end);
  CU_ASSERT_EQUAL (r->curves[0].landmarks[0].n_risk, 1);
  CU_ASSERT_EQUAL (r->curves[0].landmarks[0].surv, 1);
  /* group 2's only patient left at 2: 2.5 is beyond its follow-up */
  CU_ASSERT_EQUAL (r->curves[2].landmarks[0].n_risk, 0);
  CU_ASSERT_TRUE (r->curves[2].landmarks[0].beyond_end);
  CU_ASSERT_EQUAL (r->curves[2].landmarks[0].surv, 1);
  CU_ASSERT_FALSE (r->curves[0].landmarks[0].beyond_end);
  axs_km_result_free (r);
}

static void
test_bad_arguments (void)
{
  const double t[] = { 1, 2, 3 }, tneg[] = { 1, -2, 3 }, tnan[] = { 1, NAN, 3 };
  const int e[] = { 1, 0, 1 }, ebad[] = { 1, 2, 1 };
  const int g[] = { 0, 1, 0 }, gbad[] = { 0, 2, 0 };
  const double lmbad[] = { -1 };
  axs_km_input in, base;
  axs_km_input_init (&base);
  base.n = 3;
  base.time = t;
  base.event = e;
  axs_km_result *r = (axs_km_result *) &r;   /* must be reset to NULL */

  CU_ASSERT_EQUAL (axs_km_fit (NULL, &r), AXS_EINVAL);
  CU_ASSERT_PTR_NULL (r);
  CU_ASSERT_EQUAL (axs_km_fit (&base, NULL), AXS_EINVAL);
  in = base; in.n = 0;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.time = NULL;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.event = NULL;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.time = tneg;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.time = tnan;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.event = ebad;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.group = gbad; in.ngroups = 2;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.group = g; in.ngroups = 0;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.conf_level = 1;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.conf_level = 0;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.conf_type = (axs_km_conf_type) 7;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.tau = -1;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.tau = INFINITY;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.nlandmarks = 1; in.landmarks = NULL;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  in = base; in.nlandmarks = 1; in.landmarks = lmbad;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_EINVAL);
  CU_ASSERT_PTR_NULL (r);
  in = base; in.group = g; in.ngroups = 2;
  CU_ASSERT_EQUAL (axs_km_fit (&in, &r), AXS_OK);
  axs_km_result_free (r);
  axs_km_result_free (NULL);
}

/* A million patients with many ties: the one-sort-one-pass design must keep
   this well under a second (timed by hand; here only checked for sense). */
static void
test_large (void)
{
  size_t n = 1000000;
  double *t = malloc (n * sizeof *t);
  int *e = malloc (n * sizeof *e), *g = malloc (n * sizeof *g);
  unsigned long long s = 12345;
  for (size_t i = 0; i < n; i++)
    {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      t[i] = (double) ((s >> 33) % 5000);
      e[i] = (int) ((s >> 20) & 1);
      g[i] = (int) ((s >> 40) % 3);
    }
  axs_km_input in;
  axs_km_input_init (&in);
  in.n = n;
  in.time = t;
  in.event = e;
  in.group = g;
  in.ngroups = 3;
  axs_km_result *r = NULL;
  CU_ASSERT_EQUAL_FATAL (axs_km_fit (&in, &r), AXS_OK);
  size_t total = 0;
  for (int k = 0; k < 3; k++)
    {
      total += r->curves[k].n;
      CU_ASSERT_TRUE (r->curves[k].nrows <= 5000);
      CU_ASSERT_TRUE (r->curves[k].median > 0);
    }
  CU_ASSERT_EQUAL (total, n);
  axs_km_result_free (r);
  free (t);
  free (e);
  free (g);
}

int
main (void)
{
  const tu_test tests[] = {
    { "gbsg by hormon (log, tau 1826)", test_gbsg_hormon },
    { "gbsg by pgr group (log)", test_gbsg_pgr_group },
    { "lung by ph.ecog (log, NA dropped)", test_lung_ph_ecog },
    { "lung by sex (log-log)", test_lung_sex_loglog },
    { "lung by sex (log)", test_lung_sex_log },
    { "lung by sex (plain)", test_lung_sex_plain },
    { "ovarian by rx (log)", test_ovarian_rx },
    { "veteran by celltype (log)", test_veteran_celltype },
    { "veteran by trt (log-log)", test_veteran_trt },
    { "landmarks (summary times=, extend)", test_landmarks },
    { "all tied", test_all_tied },
    { "median on a flat 0.5 stretch", test_median_flat },
    { "single patient", test_single_patient },
    { "conf level 0.9 and tau", test_conf_level_and_tau },
    { "no events, empty group", test_no_events_and_empty_group },
    { "argument checks", test_bad_arguments },
    { "a million patients", test_large },
    { NULL, NULL }
  };
  return tu_run ("km", tests);
}
