/* test_zph.c: the proportional-hazards test against R survival 3.5-3 cox.zph. */
#include "stats/cox.h"
#include "stats/status.h"
#include "stats/zph.h"
#include "refdata.h"
#include "refmodel.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fit, test, and compare every row of zph_<TAG>_<TIES>.tsv (terms, then GLOBAL). */
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
  axs_zph_result *z = axs_zph_result_alloc (d->nterm);
  CU_ASSERT_EQUAL (axs_zph_test (d->n, d->p, d->x, d->time, d->event, d->strata, r->lp,
                                 opt.ties, d->nterm, d->term_of_column, z), AXS_OK);
  snprintf (path, sizeof path, "r-survival/zph_%s_%s.tsv", m->tag, m->ties);
  ref_table *t = ref_load (path);
  CU_ASSERT_EQUAL (ref_nrow (t), d->nterm + 1);
  const double tol = 1e-7;
  for (size_t k = 0; k < d->nterm && k < ref_nrow (t); k++)
    {
      tu_check_rel (z->chisq[k], ref_num (t, "chisq")[k], tol, "chisq", k);
      CU_ASSERT_EQUAL (ref_num (t, "df")[k], (double) z->df[k]);
      tu_check_rel (z->p[k], ref_num (t, "p")[k], tol, "p", k);
    }
  size_t g = d->nterm;
  CU_ASSERT_STRING_EQUAL (ref_str (t, g, "term"), "GLOBAL");
  tu_check_rel (z->global_chisq, ref_num (t, "chisq")[g], tol, "GLOBAL chisq", g);
  CU_ASSERT_EQUAL (ref_num (t, "df")[g], (double) z->global_df);
  tu_check_rel (z->global_p, ref_num (t, "p")[g], tol, "GLOBAL p", g);
  ref_free (t);
  axs_zph_result_free (z);
  axs_cox_result_free (r);
  design_free (d);
}

static void
test_reference_models (void)
{
  for (const ref_model *m = ref_models; m->csv; m++)
    check_model (m);
}

/* terms = FALSE in R: every dummy of a factor is its own row. */
static void
test_columns_as_terms (void)
{
  design *d = design_make ("veteran.csv", "time", "status", "trt,celltype:f,karno", NULL);
  axs_cox_result *r = axs_cox_result_alloc (d->n, d->p);
  CU_ASSERT_EQUAL_FATAL (axs_cox_fit (d->n, d->p, d->x, d->time, d->event, NULL, NULL, r),
                         AXS_OK);
  axs_zph_result *z = axs_zph_result_alloc (d->p);
  CU_ASSERT_EQUAL (axs_zph_test (d->n, d->p, d->x, d->time, d->event, NULL, r->lp,
                                 AXS_COX_EFRON, d->p, NULL, z), AXS_OK);
  /* R survival 3.5-3: cox.zph (coxph (Surv (time, status) ~ trt + celltype +
     karno, veteran), terms = FALSE)$table[, "chisq"] */
  static const double want[] = { 0.206307412064432, 5.032562682855286,
    4.046868348243184, 3.178120916469496, 12.813325591115467 };
  for (size_t k = 0; k < d->p; k++)
    {
      tu_check_rel (z->chisq[k], want[k], 1e-7, "column chisq", k);
      CU_ASSERT_EQUAL (z->df[k], 1);
    }
  tu_check_rel (z->global_chisq, 22.8596852749873, 1e-7, "column GLOBAL", 0);
  axs_zph_result_free (z);
  axs_cox_result_free (r);
  design_free (d);
}

static void
test_arguments (void)
{
  double x[] = { 1, 0, 1, 0 }, time[] = { 1, 2, 3, 4 }, lp[] = { 0, 0, 0, 0 };
  int event[] = { 1, 0, 1, 1 }, none[] = { 0, 0, 0, 0 };
  size_t bad_map[] = { 3 };
  axs_zph_result *z = axs_zph_result_alloc (1);
  CU_ASSERT_PTR_NULL (axs_zph_result_alloc (0));
  axs_zph_result_free (NULL);
  CU_ASSERT_EQUAL (axs_zph_test (0, 1, x, time, event, NULL, lp, AXS_COX_EFRON, 1, NULL, z),
                   AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_zph_test (4, 1, NULL, time, event, NULL, lp, AXS_COX_EFRON, 1, NULL, z),
                   AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_zph_test (4, 1, x, time, event, NULL, NULL, AXS_COX_EFRON, 1, NULL, z),
                   AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_zph_test (4, 1, x, time, event, NULL, lp, AXS_COX_EFRON, 2, NULL, z),
                   AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_zph_test (4, 1, x, time, event, NULL, lp, AXS_COX_EFRON, 1, bad_map, z),
                   AXS_EINVAL);
  CU_ASSERT_EQUAL (axs_zph_test (4, 1, x, time, none, NULL, lp, AXS_COX_EFRON, 1, NULL, z),
                   AXS_EDOM);
  /* a constant column has no information: the test cannot be formed */
  double k[] = { 2, 2, 2, 2 };
  CU_ASSERT_EQUAL (axs_zph_test (4, 1, k, time, event, NULL, lp, AXS_COX_EFRON, 1, NULL, z),
                   AXS_ESINGULAR);
  axs_zph_result_free (z);
}

/* All events at one time: g(t) is constant, so the time-varying part has no
   information left (R survival 3.5-3 cox.zph stops: "system is exactly singular"). */
static void
test_all_tied (void)
{
  double x[] = { 0, 1, 0, 1, 1, 0 }, time[] = { 5, 5, 5, 5, 5, 5 };
  int event[] = { 1, 1, 1, 0, 1, 1 };
  double lp[6];
  axs_cox_result *r = axs_cox_result_alloc (6, 1);
  CU_ASSERT_EQUAL (axs_cox_fit (6, 1, x, time, event, NULL, NULL, r), AXS_OK);
  memcpy (lp, r->lp, sizeof lp);
  axs_zph_result *z = axs_zph_result_alloc (1);
  CU_ASSERT_EQUAL (axs_zph_test (6, 1, x, time, event, NULL, lp, AXS_COX_EFRON, 1, NULL, z),
                   AXS_ESINGULAR);
  axs_zph_result_free (z);
  axs_cox_result_free (r);
}

int
main (void)
{
  const tu_test tests[] = {
    { "cox.zph of the reference models", test_reference_models },
    { "one row per column (terms = FALSE)", test_columns_as_terms },
    { "argument checks", test_arguments },
    { "all events tied", test_all_tied },
    { NULL, NULL }
  };
  return tu_run ("zph", tests);
}
