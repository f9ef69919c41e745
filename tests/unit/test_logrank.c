/* test_logrank.c: G-rho tests and the trend test against R survival 3.5-3 (survdiff). */
#include "stats/logrank.h"
#include "stats/status.h"
#include "refdata.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-9

static void
check_num (double got, double want, double tol, const char *what, const char *where)
{
  tu_check (tu_rel_close_sym (got, want, tol), got, want, "%s [%s]", what, where);
}

/* ---- a cohort coded as R's read.csv + factor() would code it ---- */

typedef struct {
  int nlevels;
  char **levels;
  int numeric;
  int *code;     /* [nrow of the table], -1 where missing */
} factor;

static int sort_numeric;

static int
cmp_level (const void *a, const void *b)
{
  const char *x = *(char *const *) a, *y = *(char *const *) b;
  if (sort_numeric)
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

/* LAB [n] labels (NULL or "" or "NA" = missing) coded by sorted levels, numeric
   order when every label is a number (as factor() on a numeric column). */
static void
factor_make (factor *f, char **lab, size_t n)
{
  char **u = malloc ((n ? n : 1) * sizeof *u);
  size_t nu = 0;
  int numeric = 1;
  for (size_t i = 0; i < n; i++)
    if (!missing (lab[i]))
      {
        char *end;
        strtod (lab[i], &end);
        if (*end != '\0')
          numeric = 0;
        u[nu++] = lab[i];
      }
  sort_numeric = numeric;
  qsort (u, nu, sizeof *u, cmp_level);
  f->levels = malloc ((nu ? nu : 1) * sizeof *f->levels);
  f->nlevels = 0;
  for (size_t i = 0; i < nu; i++)
    if (f->nlevels == 0 || cmp_level (&u[i], &f->levels[f->nlevels - 1]) != 0)
      f->levels[f->nlevels++] = strdup (u[i]);
  f->numeric = numeric;
  f->code = malloc ((n ? n : 1) * sizeof *f->code);
  for (size_t i = 0; i < n; i++)
    {
      f->code[i] = -1;
      if (!missing (lab[i]))
        for (int l = 0; l < f->nlevels; l++)
          if (cmp_level (&lab[i], &f->levels[l]) == 0)
            f->code[i] = l;
    }
  free (u);
}

static void
factor_free (factor *f)
{
  for (int l = 0; l < f->nlevels; l++)
    free (f->levels[l]);
  free (f->levels);
  free (f->code);
}

static int
factor_level (const factor *f, const char *label)
{
  for (int l = 0; l < f->nlevels; l++)
    if ((f->numeric && strtod (label, NULL) == strtod (f->levels[l], NULL))
        || strcmp (label, f->levels[l]) == 0)
      return l;
  return -1;
}

/* Labels of column COL, or the derived "pgr_group": "low" if pgr <= median(pgr)
   (32.5 in gbsg.csv) else "high", which reproduces the reference files
   (R: factor(ifelse(pgr <= median(pgr), "low", "high")), 343 patients each). */
static char **
labels (ref_table *t, const char *col)
{
  size_t n = ref_nrow (t);
  char **lab = malloc (n * sizeof *lab);
  if (strcmp (col, "pgr_group") == 0)
    {
      const double *pgr = ref_num (t, "pgr");
      size_t below = 0;
      for (size_t i = 0; i < n; i++)
        below += pgr[i] <= 32.5;
      CU_ASSERT_EQUAL (below, n / 2);   /* 32.5 is the median */
      for (size_t i = 0; i < n; i++)
        lab[i] = (char *) (pgr[i] <= 32.5 ? "low" : "high");
    }
  else
    for (size_t i = 0; i < n; i++)
      lab[i] = (char *) ref_str (t, i, col);
  return lab;
}

typedef struct {
  size_t n;
  double *time;
  int *event, *group, *strata;
  int ngroups, nstrata;
  factor gf, sf;
} cohort;

static void
cohort_load (cohort *c, const char *file, const char *tcol, const char *ecol,
             const char *gcol, const char *scol)
{
  ref_table *t = ref_load (file);
  size_t n = ref_nrow (t);
  char **gl = labels (t, gcol);
  factor_make (&c->gf, gl, n);
  char **sl = NULL;
  if (scol)
    {
      sl = labels (t, scol);
      factor_make (&c->sf, sl, n);
    }
  const double *tm = ref_num (t, tcol), *ev = ref_num (t, ecol);
  c->time = malloc (n * sizeof *c->time);
  c->event = malloc (n * sizeof *c->event);
  c->group = malloc (n * sizeof *c->group);
  c->strata = scol ? malloc (n * sizeof *c->strata) : NULL;
  c->n = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (c->gf.code[i] < 0 || (scol && c->sf.code[i] < 0) || isnan (tm[i])
          || isnan (ev[i]))
        continue;   /* listwise deletion, as model.frame's na.omit */
      c->time[c->n] = tm[i];
      c->event[c->n] = (int) ev[i];
      c->group[c->n] = c->gf.code[i];
      if (scol)
        c->strata[c->n] = c->sf.code[i];
      c->n++;
    }
  c->ngroups = c->gf.nlevels;
  c->nstrata = scol ? c->sf.nlevels : 1;
  free (gl);
  free (sl);
  ref_free (t);
}

static void
cohort_free (cohort *c)
{
  factor_free (&c->gf);
  if (c->strata)
    factor_free (&c->sf);
  free (c->time);
  free (c->event);
  free (c->group);
  free (c->strata);
}

static axs_logrank_result *
cohort_test (const cohort *c, double rho)
{
  axs_logrank_input in = { .n = c->n, .time = c->time, .event = c->event,
                           .group = c->group, .ngroups = c->ngroups,
                           .strata = c->strata, .nstrata = c->nstrata, .rho = rho };
  axs_logrank_result *r = NULL;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_OK);
  CU_ASSERT_PTR_NOT_NULL (r);
  return r;
}

/* ---- the reference files ---- */

typedef struct {
  const char *file;
  const char *data, *tcol, *ecol, *gcol, *scol;
  double rho;
  /* NaN: take df and p from the file; else what R itself gives (see below) */
  double df, p;
} lr_case;

/* The script that wrote the two stratified files took df as the number of
   (group, stratum) cells with expected > 0, minus 1 (2 x 18 institutions - 1 = 35;
   2 x 2 hormon levels - 1 = 3), not survdiff's count over the groups after summing
   the strata.  Their chisq, observed and expected are right and are tested; df
   and p are what R itself prints (survival 3.5-3):
     s <- survdiff(Surv(time, status) ~ sex + strata(inst), data = lung)
     s; pchisq(s$chisq, 1, lower.tail = FALSE)         # df 1, 0.003504032870060788
     s <- survdiff(Surv(rfstime, status) ~ pgr_group + strata(hormon), data = gbsg)
     s; pchisq(s$chisq, 1, lower.tail = FALSE)         # df 1, 9.7278273477937336e-11 */
static const lr_case cases[] = {
  { "logrank_gbsg_pgr_group_rho0.tsv",
    "gbsg.csv", "rfstime", "status", "pgr_group", NULL, 0, NAN, NAN },
  { "logrank_gbsg_pgr_group_rho0_strata-hormon.tsv",
    "gbsg.csv", "rfstime", "status", "pgr_group", "hormon", 0, 1, 9.7278273477937336e-11 },
  { "logrank_lung_ph.ecog_rho0.tsv",
    "lung.csv", "time", "status", "ph.ecog", NULL, 0, NAN, NAN },
  { "logrank_lung_sex_rho0.tsv",
    "lung.csv", "time", "status", "sex", NULL, 0, NAN, NAN },
  { "logrank_lung_sex_rho0_strata-inst.tsv",
    "lung.csv", "time", "status", "sex", "inst", 0, 1, 0.003504032870060788 },
  { "logrank_lung_sex_rho1.tsv",
    "lung.csv", "time", "status", "sex", NULL, 1, NAN, NAN },
  { "logrank_veteran_celltype_rho0.tsv",
    "veteran.csv", "time", "status", "celltype", NULL, 0, NAN, NAN },
  { "logrank_veteran_trt_rho0.tsv",
    "veteran.csv", "time", "status", "trt", NULL, 0, NAN, NAN },
};

static void
run_case (const lr_case *lc)
{
  cohort c;
  cohort_load (&c, lc->data, lc->tcol, lc->ecol, lc->gcol, lc->scol);
  axs_logrank_result *r = cohort_test (&c, lc->rho);
  if (!r)
    {
      cohort_free (&c);
      return;
    }
  char path[256];
  snprintf (path, sizeof path, "r-survival/%s", lc->file);
  ref_table *t = ref_load (path);
  CU_ASSERT_EQUAL (ref_nrow (t), (size_t) c.ngroups);
  const double *n = ref_num (t, "n"), *obs = ref_num (t, "observed"),
    *exp = ref_num (t, "expected"), *chisq = ref_num (t, "chisq"),
    *df = ref_num (t, "df"), *p = ref_num (t, "p");
  for (size_t i = 0; i < ref_nrow (t); i++)
    {
      int g = factor_level (&c.gf, ref_str (t, i, "stratum"));
      CU_ASSERT_FATAL (g >= 0);
      check_num ((double) r->n[g], n[i], 0, "n", lc->file);
      check_num (r->observed[g], obs[i], TOL, "observed", lc->file);
      check_num (r->expected[g], exp[i], TOL, "expected", lc->file);
      check_num (r->chisq, chisq[i], TOL, "chisq", lc->file);
      check_num (r->df, isnan (lc->df) ? df[i] : lc->df, 0, "df", lc->file);
      check_num (r->p, isnan (lc->p) ? p[i] : lc->p, TOL, "p", lc->file);
    }
  ref_free (t);
  axs_logrank_result_free (r);
  cohort_free (&c);
}

static void test_gbsg_pgr (void) { run_case (&cases[0]); }
static void test_gbsg_pgr_strata (void) { run_case (&cases[1]); }
static void test_lung_ecog (void) { run_case (&cases[2]); }
static void test_lung_sex (void) { run_case (&cases[3]); }
static void test_lung_sex_strata (void) { run_case (&cases[4]); }
static void test_lung_sex_rho1 (void) { run_case (&cases[5]); }
static void test_veteran_celltype (void) { run_case (&cases[6]); }
static void test_veteran_trt (void) { run_case (&cases[7]); }

/* Variance matrix and trend test.  R survival 3.5-3:
     s <- survdiff(Surv(time, status) ~ ph.ecog, data = lung)
     w <- 1:4; oe <- s$obs - s$exp
     U <- sum(w * oe); V <- drop(t(w) %*% s$var %*% w)
     c(U, V, U^2 / V, pchisq(U^2 / V, 1, lower.tail = FALSE)) */
static void
test_trend_lung_ecog (void)
{
  static const double var[4][4] = {
    { 35.827693706450183697, -27.346623617670804407, -8.433143870443835510, -0.047926218335515428 },
    { -27.346623617670804407, 40.724110213953530035, -13.288981742073000092, -0.088504854209692632 },
    { -8.433143870443835510, -13.288981742073001868, 21.756760171649986546, -0.034634559133157189 },
    { -0.047926218335515428, -0.088504854209692632, -0.034634559133157196, 0.171065631678365276 } };
  cohort c;
  cohort_load (&c, "lung.csv", "time", "status", "ph.ecog", NULL);
  axs_logrank_result *r = cohort_test (&c, 0);
  if (!r)
    return;
  CU_ASSERT_EQUAL (r->ngroups, 4);
  for (int j = 0; j < 4; j++)
    for (int k = 0; k < 4; k++)
      check_num (r->var[j * 4 + k], var[j][k], TOL, "var", "lung ph.ecog");
  double u, v, x2, p;
  CU_ASSERT_EQUAL (axs_logrank_trend (r, NULL, &u, &v, &x2, &p), AXS_OK);
  check_num (u, 36.660573272262823, TOL, "U", "trend");
  check_num (v, 75.188170782510809, TOL, "V", "trend");
  check_num (x2, 17.875120762527885, TOL, "chisq", "trend");
  check_num (p, 2.3588476741318106e-05, TOL, "p", "trend");
  /* shifted scores give the same test: sum (O - E) = 0 and V 1 = 0 */
  const double shifted[] = { 0, 1, 2, 3 };
  CU_ASSERT_EQUAL (axs_logrank_trend (r, shifted, NULL, NULL, &x2, NULL), AXS_OK);
  check_num (x2, 17.875120762527885, 1e-8, "chisq", "trend shifted");
  const double equal[] = { 2, 2, 2, 2 };
  CU_ASSERT_EQUAL (axs_logrank_trend (r, equal, &u, &v, &x2, &p), AXS_EDOM);
  const double bad[] = { 1, NAN, 2, 3 };
  CU_ASSERT_EQUAL (axs_logrank_trend (r, bad, &u, &v, &x2, &p), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_logrank_trend (NULL, NULL, &u, &v, &x2, &p), AXS_EINVAL);
  axs_logrank_result_free (r);
  cohort_free (&c);
}

/* Peto–Peto, stratified, four groups, and a trend with given scores.  R survival 3.5-3:
     s <- survdiff(Surv(time, status) ~ celltype + strata(trt), data = veteran, rho = 1)
     rowSums(s$obs); rowSums(s$exp); s$chisq; pchisq(s$chisq, 3, lower.tail = FALSE)
     trend as above with w <- c(0, 1, 3, 7) */
static void
test_veteran_rho1_strata_trend (void)
{
  static const double obs[] = { 15.9245906950802496, 9.6268789871788467,
                                28.6741780921749907, 13.7303320302008984 };
  static const double exp[] = { 11.204582411566506, 17.676286962476802,
                                19.016689984088973, 20.058420446502705 };
  static const double var_diag[] = { 6.4899066377632302, 8.2583085021294114,
                                     9.2298235571680500, 8.8890738613764224 };
  cohort c;
  cohort_load (&c, "veteran.csv", "time", "status", "celltype", "trt");
  CU_ASSERT_EQUAL (c.nstrata, 2);
  axs_logrank_result *r = cohort_test (&c, 1);
  if (!r)
    return;
  for (int k = 0; k < 4; k++)
    {
      check_num (r->observed[k], obs[k], TOL, "observed", "veteran rho1");
      check_num (r->expected[k], exp[k], TOL, "expected", "veteran rho1");
      check_num (r->var[k * 4 + k], var_diag[k], TOL, "var", "veteran rho1");
    }
  check_num (r->var[0 * 4 + 3], -2.3679265090250468, TOL, "var", "veteran rho1");
  check_num (r->chisq, 18.905128497722519, TOL, "chisq", "veteran rho1");
  CU_ASSERT_EQUAL (r->df, 3);
  check_num (r->p, 0.00028602934562532137, TOL, "p", "veteran rho1");
  const double w[] = { 0, 1, 3, 7 };
  double u, v, x2, p;
  CU_ASSERT_EQUAL (axs_logrank_trend (r, w, &u, &v, &x2, &p), AXS_OK);
  check_num (u, -23.37356256515254671, TOL, "U", "veteran trend");
  check_num (v, 316.39881104399694323, TOL, "V", "veteran trend");
  check_num (x2, 1.72669241450193467, TOL, "chisq", "veteran trend");
  check_num (p, 0.18883385855047552, TOL, "p", "veteran trend");
  axs_logrank_result_free (r);
  cohort_free (&c);
}

/* A fractional rho on a small sample with ties across groups.  R survival 3.5-3:
     d <- data.frame(t = c(2,3,3,5,7,8,8,9,11,12,4,6), e = c(1,1,0,1,1,0,1,1,0,1,1,1),
                     gr = c(1,2,3,1,2,3,1,2,3,1,2,3))
     s <- survdiff(Surv(t, e) ~ gr, data = d, rho = 0.5) */
static void
test_rho_half (void)
{
  const double t[] = { 2, 3, 3, 5, 7, 8, 8, 9, 11, 12, 4, 6 };
  const int e[] = { 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1 };
  const int g[] = { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2 };
  axs_logrank_input in = { .n = 12, .time = t, .event = e, .group = g, .ngroups = 3,
                           .rho = 0.5 };
  axs_logrank_result *r = NULL;
  CU_ASSERT_EQUAL_FATAL (axs_logrank_test (&in, &r), AXS_OK);
  static const double obs[] = { 3.03798077826359547, 3.22423464888172973, 0.80507648589941327 };
  static const double exp[] = { 2.6718923182492755, 2.0183615170112326, 2.3770380777842299 };
  static const double var[] = { 1.21198426059537168, -0.55688498744054304, -0.65509927315482885,
                                -0.55688498744054304, 1.17052803163914287, -0.61364304419859983,
                                -0.65509927315482885, -0.61364304419859983, 1.26874231735342846 };
  for (int k = 0; k < 3; k++)
    {
      check_num (r->observed[k], obs[k], TOL, "observed", "rho 0.5");
      check_num (r->expected[k], exp[k], TOL, "expected", "rho 0.5");
    }
  for (int k = 0; k < 9; k++)
    check_num (r->var[k], var[k], TOL, "var", "rho 0.5");
  check_num (r->chisq, 2.1748759684223087, TOL, "chisq", "rho 0.5");
  CU_ASSERT_EQUAL (r->df, 2);
  check_num (r->p, 0.33707899006494402, TOL, "p", "rho 0.5");
  CU_ASSERT_EQUAL (r->n[0], 4);
  double x2, p;
  CU_ASSERT_EQUAL (axs_logrank_trend (r, NULL, NULL, NULL, &x2, &p), AXS_OK);
  check_num (x2, 0.99079720135621574, TOL, "trend chisq", "rho 0.5");
  check_num (p, 0.31954760955311512, TOL, "trend p", "rho 0.5");
  axs_logrank_result_free (r);
}

/* Everyone at one time.  R: survdiff(Surv(c(1,1,1,1,1), c(1,0,1,1,0)) ~ c(1,1,2,2,2)) */
static void
test_all_tied (void)
{
  const double t[] = { 1, 1, 1, 1, 1 };
  const int e[] = { 1, 0, 1, 1, 0 };
  const int g[] = { 0, 0, 1, 1, 1 };
  axs_logrank_input in = { .n = 5, .time = t, .event = e, .group = g, .ngroups = 2 };
  axs_logrank_result *r = NULL;
  CU_ASSERT_EQUAL_FATAL (axs_logrank_test (&in, &r), AXS_OK);
  check_num (r->observed[0], 1, 0, "observed", "tied");
  check_num (r->expected[0], 1.2, TOL, "expected", "tied");
  check_num (r->expected[1], 1.8, TOL, "expected", "tied");
  check_num (r->var[0], 0.36, TOL, "var", "tied");
  check_num (r->var[1], -0.36, TOL, "var", "tied");
  check_num (r->chisq, 0.11111111111111106, TOL, "chisq", "tied");
  check_num (r->p, 0.73888268036352733, TOL, "p", "tied");
  axs_logrank_result_free (r);
}

/* Nothing to test: no events; or a group censored before any event (R gives
   chisq 0 on 0 df: survdiff(Surv(c(5,6,7,1,2), c(1,1,0,0,0)) ~ c(1,1,1,2,2))). */
static void
test_nothing_to_test (void)
{
  const double t[] = { 5, 6, 7, 1, 2 };
  const int e[] = { 1, 1, 0, 0, 0 }, none[] = { 0, 0, 0, 0, 0 };
  const int g[] = { 0, 0, 0, 1, 1 };
  axs_logrank_input in = { .n = 5, .time = t, .event = e, .group = g, .ngroups = 2 };
  axs_logrank_result *r = (axs_logrank_result *) &r;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EDOM);
  CU_ASSERT_PTR_NULL (r);
  in.event = none;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EDOM);
  /* a single patient per group: one event, risk set of two */
  const double t2[] = { 3, 4 };
  const int e2[] = { 1, 0 }, g2[] = { 0, 1 };
  axs_logrank_input in2 = { .n = 2, .time = t2, .event = e2, .group = g2, .ngroups = 2 };
  CU_ASSERT_EQUAL_FATAL (axs_logrank_test (&in2, &r), AXS_OK);
  check_num (r->expected[0], 0.5, TOL, "expected", "two patients");
  check_num (r->chisq, 1, TOL, "chisq", "two patients");   /* (0.5)^2 / 0.25 */
  axs_logrank_result_free (r);
}

static void
test_bad_arguments (void)
{
  const double t[] = { 1, 2, 3 }, tneg[] = { 1, -2, 3 }, tinf[] = { 1, INFINITY, 3 };
  const int e[] = { 1, 0, 1 }, ebad[] = { 1, -1, 1 };
  const int g[] = { 0, 1, 0 }, gbad[] = { 0, 2, 0 }, s[] = { 0, 0, 1 }, sbad[] = { 0, 0, 5 };
  axs_logrank_input base = { .n = 3, .time = t, .event = e, .group = g, .ngroups = 2 };
  axs_logrank_input in;
  axs_logrank_result *r = NULL;
  CU_ASSERT_EQUAL (axs_logrank_test (NULL, &r), AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_logrank_test (&base, NULL), AXS_EINVAL);
  in = base; in.n = 0;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.group = NULL;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.ngroups = 1;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.group = gbad;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.time = tneg;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.time = tinf;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.event = ebad;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.rho = -1;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.rho = NAN;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.strata = s; in.nstrata = 0;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  in = base; in.strata = sbad; in.nstrata = 2;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_EINVAL);
  CU_ASSERT_PTR_NULL (r);
  in = base; in.strata = s; in.nstrata = 2;
  CU_ASSERT_EQUAL (axs_logrank_test (&in, &r), AXS_OK);
  axs_logrank_result_free (r);
  axs_logrank_result_free (NULL);
}

/* A million patients, three groups, ten strata: must run in well under a second. */
static void
test_large (void)
{
  size_t n = 1000000;
  double *t = malloc (n * sizeof *t);
  int *e = malloc (n * sizeof *e), *g = malloc (n * sizeof *g), *s = malloc (n * sizeof *s);
  unsigned long long x = 987654321;
  for (size_t i = 0; i < n; i++)
    {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      t[i] = (double) ((x >> 33) % 20000) / 7;
      e[i] = (int) ((x >> 20) & 1);
      g[i] = (int) ((x >> 40) % 3);
      s[i] = (int) ((x >> 50) % 10);
    }
  axs_logrank_input in = { .n = n, .time = t, .event = e, .group = g, .ngroups = 3,
                           .strata = s, .nstrata = 10, .rho = 1 };
  axs_logrank_result *r = NULL;
  CU_ASSERT_EQUAL_FATAL (axs_logrank_test (&in, &r), AXS_OK);
  double so = 0, se = 0;
  for (int k = 0; k < 3; k++)
    {
      so += r->observed[k];
      se += r->expected[k];
    }
  check_num (so, se, 1e-9, "sum O = sum E", "large");
  CU_ASSERT_TRUE (r->p >= 0 && r->p <= 1);
  axs_logrank_result_free (r);
  free (t);
  free (e);
  free (g);
  free (s);
}

int
main (void)
{
  const tu_test tests[] = {
    { "gbsg by pgr group", test_gbsg_pgr },
    { "gbsg by pgr group, strata hormon", test_gbsg_pgr_strata },
    { "lung by ph.ecog", test_lung_ecog },
    { "lung by sex", test_lung_sex },
    { "lung by sex, strata inst", test_lung_sex_strata },
    { "lung by sex, rho 1", test_lung_sex_rho1 },
    { "veteran by celltype", test_veteran_celltype },
    { "veteran by trt", test_veteran_trt },
    { "variance and trend, lung ph.ecog", test_trend_lung_ecog },
    { "rho 1, strata, trend with scores", test_veteran_rho1_strata_trend },
    { "rho 0.5", test_rho_half },
    { "all tied", test_all_tied },
    { "nothing to test", test_nothing_to_test },
    { "argument checks", test_bad_arguments },
    { "a million patients", test_large },
    { NULL, NULL }
  };
  return tu_run ("logrank", tests);
}
