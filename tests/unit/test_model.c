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
  "id,os_time,os_event,axl,arm,stage,age,dose,mixed,textfirst,frac\n"
  "1,5,1,10,A,II,60,1,1,x,1\n"
  "2,6,0,20,B,I,NA,2,2,1,7\n"          /* age missing: left out */
  "3,7,1,30,B,III,50,1,x,2,2.5\n"
  "4,8,1,40,A,I,70,2,3,y,4\n"
  "5,9,0,50,B,II,65,1,4,3,-3\n";

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

  /* --ref on the biomarker's groups: the model's copy is renumbered, the
     design's groups are not */
  const char *ref2[] = { "axl=high" };
  spec = (axs_model_spec) { .marker = "axl", .ref = ref2, .nref = 1 };
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &m, &d) == AXS_OK);
  CU_ASSERT_EQUAL_FATAL (m.p, 1);
  CU_ASSERT_STRING_EQUAL (m.colname[0], "axl=low");
  static const double low[] = { 1, 1, 0, 0 };
  for (size_t i = 0; i < 4; i++)
    {
      CU_ASSERT_EQUAL (m.x[i], low[i]);
      CU_ASSERT_EQUAL (design.group[i], 1 - (int) low[i]);
    }
  axs_model_free (&m);
  unload ();
}

/* A numeric column whose first value is a whole number and a later one is
   not: every value as it is. */
static void
test_numbers (void)
{
  const char *also[] = { "frac" };
  load (also, 1, 1);
  const char *cov[] = { "frac" };
  axs_model_spec spec = { .covariate = cov, .ncovariate = 1 };
  axs_model m;
  axs_diag d;
  CU_ASSERT_FATAL (axs_model_build (table, &design, &spec, &m, &d) == AXS_OK);
  static const double want[] = { 1, 7, 2.5, 4, -3 };
  CU_ASSERT_EQUAL_FATAL (m.n, 5);
  for (size_t i = 0; i < 5; i++)
    CU_ASSERT_EQUAL (m.x[i], want[i]);
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
  /* a term's error comes before that of a term after it, whatever kind */
  const char *then_twice[] = { "mixed", "arm", "arm" };
  spec = (axs_model_spec) { .covariate = then_twice, .ncovariate = 3 };
  CU_ASSERT_EQUAL (axs_model_build (table, &design, &spec, &m, &d), AXS_EDOM);
  CU_ASSERT_STRING_EQUAL (d.text, want);
  spec.covariate = then_twice + 1;
  spec.ncovariate = 2;
  CU_ASSERT_EQUAL (axs_model_build (table, &design, &spec, &m, &d), AXS_EINVAL);
  CU_ASSERT_STRING_EQUAL (d.text, "column 'arm' is in the model twice (list each "
                          "covariate once)");
  spec = (axs_model_spec) { .covariate = mixed, .ncovariate = 1 };

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

/* More patients than one block of rows (2^14): a factor of 256 levels,
   no block of which has more than 200 (its levels outgrow a byte when the
   blocks' are merged); one of 300 in its first block; whole numbers but
   one, in the second block; texts in a numeric column in both blocks (the
   first is reported); and the same matrix whatever the number of threads. */
enum { BIG_N = (1 << 14) + 300 };

static void
test_blocks (void)
{
  char big[64];
  snprintf (big, sizeof big, "/tmp/axs-test-model-big-%ld.csv", (long) getpid ());
  FILE *f = fopen (big, "w");
  CU_ASSERT_FATAL (f != NULL);
  fputs ("os_time,os_event,lab,many,late,bad\n", f);
  for (int i = 0; i < BIG_N; i++)
    fprintf (f, "%d,%d,%c%03d,m%03d,%s,%s\n", 1 + i % 97, i % 3 != 0,
             i < 1 << 14 ? 'a' : 'b', i < 1 << 14 ? i % 200 : (i - (1 << 14)) % 56,
             i % 300, i == BIG_N - 2 ? "0.5" : "7",
             i == 20000 % BIG_N ? "x" : i == BIG_N - 1 ? "y" : "1");
  CU_ASSERT_FATAL (fclose (f) == 0);
  axs_diag d;
  axs_table *t;
  axs_design dd;
  const char *also[] = { "lab", "many", "late", "bad" };
  axs_design_spec ds = { .time = "os_time", .event = "os_event", .na = &na,
                         .also = also, .nalso = 4 };
  CU_ASSERT_FATAL (axs_table_read (big, &(axs_read_options) { 0 }, &t, &d) == AXS_OK);
  CU_ASSERT_FATAL (axs_design_build (t, &ds, &dd, &d) == AXS_OK);
  CU_ASSERT_EQUAL_FATAL (dd.n, BIG_N);

  const char *lab[] = { "lab", "late" };
  axs_model_spec spec = { .covariate = lab, .ncovariate = 2 };
  axs_model m, m1;
  setenv ("AXLSURV_THREADS", "1", 1);
  CU_ASSERT_FATAL (axs_model_build (t, &dd, &spec, &m1, &d) == AXS_OK);
  setenv ("AXLSURV_THREADS", "3", 1);
  CU_ASSERT_FATAL (axs_model_build (t, &dd, &spec, &m, &d) == AXS_OK);
  unsetenv ("AXLSURV_THREADS");
  CU_ASSERT_EQUAL_FATAL (m.p, 256);     /* a000..a199, b000..b055: 255 + late */
  CU_ASSERT_EQUAL (m.term[0].levels.n, 256);
  CU_ASSERT_STRING_EQUAL (m.term[0].levels.name[0], "a000");
  CU_ASSERT_STRING_EQUAL (m.colname[254], "lab=b055");
  CU_ASSERT (memcmp (m.x, m1.x, (size_t) BIG_N * m.p * sizeof *m.x) == 0);
  /* row 1: a001, the first column; row 2^14 + 55: b055; the last column is late */
  CU_ASSERT_EQUAL (m.x[1 * 256 + 0], 1);
  CU_ASSERT_EQUAL (m.x[1 * 256 + 1], 0);
  CU_ASSERT_EQUAL (m.x[(size_t) ((1 << 14) + 55) * 256 + 254], 1);
  CU_ASSERT_EQUAL (m.x[(size_t) ((1 << 14) + 55) * 256 + 199], 0);
  CU_ASSERT_EQUAL (m.x[0 * 256 + 255], 7);
  CU_ASSERT_EQUAL (m.x[(size_t) (BIG_N - 2) * 256 + 255], 0.5);
  double ones = 0;
  for (size_t i = 0; i < BIG_N; i++)
    for (size_t j = 0; j < 255; j++)
      ones += m.x[i * 256 + j];
  CU_ASSERT_EQUAL (ones, BIG_N - 82);   /* all but the 82 rows of a000 */
  axs_model_free (&m);
  axs_model_free (&m1);

  const char *many[] = { "many" };
  spec = (axs_model_spec) { .covariate = many, .ncovariate = 1 };
  CU_ASSERT_FATAL (axs_model_build (t, &dd, &spec, &m, &d) == AXS_OK);
  CU_ASSERT_EQUAL_FATAL (m.p, 299);
  CU_ASSERT_STRING_EQUAL (m.colname[298], "many=m299");
  CU_ASSERT_EQUAL (m.x[(size_t) 299 * 299 + 298], 1);
  CU_ASSERT_EQUAL (m.x[(size_t) (BIG_N - 1) * 299 + (BIG_N - 1) % 300 - 1], 1);
  axs_model_free (&m);

  const char *bad[] = { "bad" };
  spec = (axs_model_spec) { .covariate = bad, .ncovariate = 1 };
  CU_ASSERT_EQUAL (axs_model_build (t, &dd, &spec, &m, &d), AXS_EDOM);
  char want[512];
  snprintf (want, sizeof want, "%s:%d: column 'bad': 'x' is not a number, but the "
            "column's other values are (write bad:factor in --covariates to use "
            "its values as categories)", big, 20000 % BIG_N + 2);
  CU_ASSERT_STRING_EQUAL (d.text, want);
  axs_design_free (&dd);
  axs_table_free (t);
  remove (big);
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
    { "whole numbers, then a fraction", test_numbers },
    { "more patients than a block; many levels; threads", test_blocks },
    { NULL, NULL }
  };
  int rc = tu_run ("model", tests);
  axs_na_free (&na);
  remove (path);
  return rc;
}
