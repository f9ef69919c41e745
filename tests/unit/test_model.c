/* test_model.c: unit tests of the model-matrix builder (cohort/model.c):
   coding, names, term map, --ref, interactions and contrasts, errors. */
#include "cohort/model.h"
#include "stats/status.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A cohort small enough to check every cell by hand. */
static const char cohort[] =
  "id,os_time,os_event,axl,arm,stage,age,dose,mixed,textfirst\n"
  "1,5,1,10,A,II,60,1,1,x\n"
  "2,6,0,20,B,I,NA,2,2,1\n"          /* age missing: left out */
  "3,7,1,30,B,III,50,1,x,2\n"
  "4,8,1,40,A,I,70,2,3,y\n"
  "5,9,0,50,B,II,65,1,4,3\n";

static char path[64];
static axs_table *table;
static axs_design design;
static axs_na na;

/* Load the cohort with the marker cut at 30 (low <= 30 < high), or not cut. */
static void
load (const char *const *also, size_t nalso, int cut)
{
  axs_diag d;
  static double at = 30;
  static axs_cut c = { AXS_CUT_VALUES, 1, &at, 0 };
  axs_design_spec spec = { .time = "os_time", .event = "os_event", .na = &na,
                           .marker = "axl", .cut = cut ? &c : NULL,
                           .also = also, .nalso = nalso };
  CU_ASSERT_FATAL (axs_table_read (path, &(axs_read_options) { 0 }, &table, &d) == AXS_OK);
  CU_ASSERT_FATAL (axs_design_build (table, &spec, &design, &d) == AXS_OK);
}

static void
unload (void)
{
  axs_design_free (&design);
  axs_table_free (table);
  table = NULL;
}

static void
test_coding (void)
{
  const char *also[] = { "stage", "age", "arm" };
  load (also, 3, 1);
  CU_ASSERT_EQUAL (design.n, 4);
  const char *cov[] = { "stage", "age" }, *ref[] = { "stage=II" };
  axs_model_spec spec = { .marker = "axl", .covariate = cov, .ncovariate = 2,
                          .ref = ref, .nref = 1 };
  axs_model m;
  axs_diag d;
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &m, &d) == AXS_OK);
  /* axl=high, stage=I, stage=III (II is the reference), age */
  CU_ASSERT_EQUAL_FATAL (m.p, 4);
  CU_ASSERT_STRING_EQUAL (m.colname[0], "axl=high");
  CU_ASSERT_STRING_EQUAL (m.colname[1], "stage=I");
  CU_ASSERT_STRING_EQUAL (m.colname[2], "stage=III");
  CU_ASSERT_STRING_EQUAL (m.colname[3], "age");
  CU_ASSERT_EQUAL (m.nterm, 3);
  CU_ASSERT_STRING_EQUAL (m.term[1].name, "stage");
  CU_ASSERT_EQUAL (m.term_of_column[2], 1);
  CU_ASSERT_EQUAL (m.term_of_column[3], 2);
  CU_ASSERT_STRING_EQUAL (m.term[1].levels.name[0], "II");
  /* rows: ids 1, 3, 4, 5 */
  static const double want[] = {
    0, 0, 0, 60,
    0, 0, 1, 50,
    1, 1, 0, 70,
    1, 0, 0, 65,
  };
  for (size_t k = 0; k < 16; k++)
    CU_ASSERT_EQUAL (m.x[k], want[k]);
  axs_model_free (&m);
  unload ();
}

static void
test_interaction (void)
{
  const char *also[] = { "age", "arm" };
  load (also, 2, 1);
  const char *cov[] = { "age" };
  axs_model_spec spec = { .marker = "axl", .covariate = cov, .ncovariate = 1,
                          .interaction = "arm" };
  axs_model m;
  axs_diag d;
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &m, &d) == AXS_OK);
  CU_ASSERT_EQUAL_FATAL (m.p, 4);
  CU_ASSERT_EQUAL (m.nmain, 3);
  CU_ASSERT_STRING_EQUAL (m.colname[2], "arm=B");
  CU_ASSERT_STRING_EQUAL (m.colname[3], "axl=high:arm=B");
  CU_ASSERT_STRING_EQUAL (m.term[m.interaction_term].name, "axl:arm");
  CU_ASSERT_EQUAL (m.modifier_term, 2);
  CU_ASSERT_EQUAL (m.term[2].role, AXS_TERM_MODIFIER);
  /* id 5: axl 50 (high), arm B */
  CU_ASSERT_EQUAL (m.x[3 * 4 + 3], 1);
  CU_ASSERT_EQUAL (m.x[2 * 4 + 3], 0);        /* id 4: high, arm A */
  CU_ASSERT_EQUAL_FATAL (m.ncontrast, 2);
  CU_ASSERT_STRING_EQUAL (m.contrast[0].level, "arm=A");
  CU_ASSERT_STRING_EQUAL (m.contrast[1].level, "arm=B");
  CU_ASSERT_EQUAL (m.contrast[1].w[0], 1);
  CU_ASSERT_EQUAL (m.contrast[1].w[3], 1);
  CU_ASSERT_EQUAL (m.contrast[0].w[3], 0);
  axs_model_free (&m);

  /* a numeric modifier: the marker's effect at each of its values */
  spec.interaction = "age";
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &m, &d) == AXS_OK);
  CU_ASSERT_EQUAL (m.p, 3);
  CU_ASSERT_EQUAL_FATAL (m.ncontrast, 4);
  CU_ASSERT_STRING_EQUAL (m.contrast[0].level, "age=50");
  CU_ASSERT_EQUAL (m.contrast[3].w[2], 70);
  axs_model_free (&m);
  unload ();
}

static void
test_continuous (void)
{
  load (NULL, 0, 0);
  axs_model_spec spec = { .marker = "axl", .continuous = 1,
                          .transform = AXS_TRANSFORM_Z };
  axs_model m;
  axs_diag d;
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &m, &d) == AXS_OK);
  CU_ASSERT_STRING_EQUAL (m.colname[0], "z(axl)");
  /* 10..50: mean 30, sd sqrt(250) */
  CU_ASSERT_DOUBLE_EQUAL (m.x[0], -20 / sqrt (250), 1e-15);
  axs_model_free (&m);
  spec.transform = AXS_TRANSFORM_LOG2P1;
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &m, &d) == AXS_OK);
  CU_ASSERT_STRING_EQUAL (m.colname[0], "log2p1(axl)");
  CU_ASSERT_DOUBLE_EQUAL (m.x[4], log2 (51), 1e-15);
  axs_model_free (&m);
  unload ();
}

static void
test_errors (void)
{
  const char *also[] = { "mixed", "arm", "dose" };
  load (also, 3, 1);
  axs_model m;
  axs_diag d;
  char want[512];
  const char *mixed[] = { "mixed" };
  axs_model_spec spec = { .covariate = mixed, .ncovariate = 1 };
  CU_ASSERT_EQUAL (axs_model_build (table, &design, &spec, &m, &d), AXS_EDOM);
  snprintf (want, sizeof want, "%s:4: column 'mixed': 'x' is not a number, but the "
            "column's other values are (write mixed:factor in --covariates to use "
            "its values as categories)", path);
  CU_ASSERT_STRING_EQUAL (d.text, want);
  CU_ASSERT_EQUAL (m.p, 0);

  /* a first value that is text, numbers after it: the same error, at it */
  const char *also2[] = { "textfirst" };
  unload ();
  load (also2, 1, 1);
  const char *textfirst[] = { "textfirst" };
  spec.covariate = textfirst;
  CU_ASSERT_EQUAL (axs_model_build (table, &design, &spec, &m, &d), AXS_EDOM);
  snprintf (want, sizeof want, "%s:2: column 'textfirst': 'x' is not a number, but "
            "the column's other values are (write textfirst:factor in --covariates "
            "to use its values as categories)", path);
  CU_ASSERT_STRING_EQUAL (d.text, want);
  unload ();
  load (also, 3, 1);

  const char *forced[] = { "mixed:factor" };
  spec.covariate = forced;
  CU_ASSERT_EQUAL (axs_model_build (table, &design, &spec, &m, &d), AXS_OK);
  CU_ASSERT_EQUAL (m.p, 4);
  CU_ASSERT_STRING_EQUAL (m.colname[3], "mixed=x");
  axs_model_free (&m);

  const char *ref[] = { "arm=C" }, *arm[] = { "arm" };
  spec = (axs_model_spec) { .covariate = arm, .ncovariate = 1, .ref = ref, .nref = 1 };
  CU_ASSERT_EQUAL (axs_model_build (table, &design, &spec, &m, &d), AXS_EINVAL);
  CU_ASSERT (d.usage);
  CU_ASSERT_STRING_EQUAL (d.text, "--ref 'arm=C': column 'arm' has no level 'C' "
                          "among the patients analysed; its levels are A, B");

  spec = (axs_model_spec) { .covariate = arm, .ncovariate = 1, .interaction = "arm" };
  CU_ASSERT_EQUAL (axs_model_build (table, &design, &spec, &m, &d), AXS_EINVAL);
  unload ();

  /* a constant covariate, among the rows a subset keeps */
  load (also, 3, 0);
  const char *dose[] = { "dose" };
  axs_design kept = design;
  size_t rows[] = { 0, 2 };             /* ids 1 and 3: dose 1 */
  kept.n = 2;
  kept.row = rows;
  spec = (axs_model_spec) { .covariate = dose, .ncovariate = 1 };
  CU_ASSERT_EQUAL (axs_model_build (table, &kept, &spec, &m, &d), AXS_EDOM);
  snprintf (want, sizeof want, "%s: column 'dose' is constant (1 for all 2 patients "
            "analysed): it has no effect to estimate; leave it out", path);
  CU_ASSERT_STRING_EQUAL (d.text, want);
  unload ();
}

/* spec.order: the same matrix, its rows in that order. */
static void
test_order (void)
{
  const char *also[] = { "age", "arm", "stage" };
  load (also, 3, 1);
  const char *cov[] = { "age", "stage" };
  axs_model_spec spec = { .marker = "axl", .covariate = cov, .ncovariate = 2,
                          .interaction = "arm" };
  axs_model m, mo;
  axs_diag d;
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &m, &d) == AXS_OK);
  static const size_t order[] = { 3, 1, 0, 2 };
  spec.order = order;
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &mo, &d) == AXS_OK);
  CU_ASSERT_EQUAL_FATAL (mo.p, m.p);
  CU_ASSERT_EQUAL_FATAL (m.n, 4);
  CU_ASSERT_EQUAL (m.p, 6);     /* axl=high, age, stage=II, stage=III, arm=B, axl=high:arm=B */
  for (size_t i = 0; i < m.n; i++)
    for (size_t j = 0; j < m.p; j++)
      CU_ASSERT_EQUAL (mo.x[i * m.p + j], m.x[order[i] * m.p + j]);
  CU_ASSERT_EQUAL (mo.x[0 * 6 + 1], 65);     /* id 5 first: age 65 */
  CU_ASSERT_EQUAL (mo.ncontrast, m.ncontrast);
  axs_model_free (&m);
  axs_model_free (&mo);
  unload ();
}

int
main (void)
{
  snprintf (path, sizeof path, "/tmp/axs-test-model-%ld.csv", (long) getpid ());
  FILE *f = fopen (path, "w");
  if (!f || fputs (cohort, f) == EOF || fclose (f) != 0)
    return 2;
  if (axs_na_init (&na, NULL) != AXS_OK)
    return 2;
  const tu_test tests[] = {
    { "factor coding, names, --ref", test_coding },
    { "interaction columns and contrasts", test_interaction },
    { "rows in a given order", test_order },
    { "continuous marker transforms", test_continuous },
    { "errors name the value, the term or the option", test_errors },
    { NULL, NULL }
  };
  int rc = tu_run ("model", tests);
  axs_na_free (&na);
  remove (path);
  return rc;
}
