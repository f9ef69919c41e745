/* simulate.c: axlsurv simulate: write a synthetic NSCLC-like cohort as CSV. */
#include "cli/commands.h"
#include "cli/options.h"
#include "cohort/values.h"
#include "stats/simulate.h"
#include "stats/status.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "Usage: axlsurv simulate [OPTIONS]\n"
  "Write a synthetic NSCLC-like cohort as CSV: age, sex, stage, treatment arm,\n"
  "tumour AXL (IHC H-score), serum soluble AXL (ng/mL), overall and progression-\n"
  "free survival in months, from a proportional-hazards model in which a high\n"
  "marker multiplies the hazards of death and progression by --hr.  A seed gives\n"
  "the same bytes on every run.\n"
  "\n"
  "Cohort:\n"
  "  --n N                 patients (default 400)\n"
  "  --seed S              random seed, 1 to 4294967295 (default 1)\n"
  "Marker effect:\n"
  "  --hr H                hazard ratio of high vs low marker (default 1.8)\n"
  "  --marker-effect M     the marker with the effect: axl (default) or saxl\n"
  "  --cut V               high means marker > V (default 100 for axl, 30 for saxl)\n"
  "Survival of the reference patient (65, female, stage IV, chemotherapy, low marker):\n"
  "  --shape K             Weibull shape of both hazards (default 1.2)\n"
  "  --median M            median overall survival, months (default 18)\n"
  "  --scale S             or the Weibull scale of death instead of --median\n"
  "  --progression-median M  median time to progression, months (default 8)\n"
  "Follow-up:\n"
  "  --accrual M           uniform accrual over M months (default 24)\n"
  "  --follow-up M         follow-up after the last patient, months (default 36)\n"
  "  --dropout P           probability of loss to follow-up within a year (default 0.05)\n"
  "Output:\n"
  "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
  "  --help                show this help\n"
  "\n"
  "Columns: patient_id, age, sex (F/M), stage (I-IV), arm (osimertinib/chemotherapy),\n"
  "AXL (H-score), sAXL (ng/mL), os_time, os_event, pfs_time, pfs_event.\n";

enum
{
  OPT_N = 512, OPT_SEED, OPT_HR, OPT_MARKER_EFFECT, OPT_CUT, OPT_SHAPE,
  OPT_MEDIAN, OPT_SCALE, OPT_PROGRESSION_MEDIAN, OPT_ACCRUAL, OPT_FOLLOW_UP,
  OPT_DROPOUT
};

static const struct option own_options[] = {
  { "n", required_argument, NULL, OPT_N },
  { "seed", required_argument, NULL, OPT_SEED },
  { "hr", required_argument, NULL, OPT_HR },
  { "marker-effect", required_argument, NULL, OPT_MARKER_EFFECT },
  { "cut", required_argument, NULL, OPT_CUT },
  { "shape", required_argument, NULL, OPT_SHAPE },
  { "median", required_argument, NULL, OPT_MEDIAN },
  { "scale", required_argument, NULL, OPT_SCALE },
  { "progression-median", required_argument, NULL, OPT_PROGRESSION_MEDIAN },
  { "accrual", required_argument, NULL, OPT_ACCRUAL },
  { "follow-up", required_argument, NULL, OPT_FOLLOW_UP },
  { "dropout", required_argument, NULL, OPT_DROPOUT },
  { 0 }
};

typedef struct
{
  axs_cli cli;
  axs_sim_params p;
  long n;
  unsigned long seed;
  const char *cut;
  double median, scale, progression_median;   /* NaN: not given */
} sim_options;

/* A number from OPTION's ARG that must be positive (or >= 0 with ZERO_OK). */
static double
positive (const axs_cli *cli, const char *option, const char *arg, int zero_ok)
{
  double x = axs_cli_number (cli, option, arg);
  if (zero_ok ? !(x >= 0) : !(x > 0))
    axs_cli_usage_error (cli, "--%s '%s': must be %s", option, arg,
                         zero_ok ? "0 or more" : "positive");
  return x;
}

static int
handle (void *ctx, int code, const char *arg)
{
  sim_options *o = ctx;
  const axs_cli *cli = &o->cli;
  switch (code)
    {
    case OPT_N:
      o->n = axs_cli_integer (cli, "n", arg, 1, 1000000000L);
      break;
    case OPT_SEED:
      /* mt19937 uses 32 bits of the seed, and GSL maps 0 to its default 4357 */
      o->seed = (unsigned long) axs_cli_integer (cli, "seed", arg, 1, 4294967295L);
      break;
    case OPT_HR:
      o->p.hr = positive (cli, "hr", arg, 0);
      break;
    case OPT_MARKER_EFFECT:
      if (strcmp (arg, "axl") == 0)
        o->p.effect = AXS_SIM_AXL;
      else if (strcmp (arg, "saxl") == 0)
        o->p.effect = AXS_SIM_SAXL;
      else
        axs_cli_usage_error (cli, "--marker-effect '%s': use axl or saxl", arg);
      break;
    case OPT_CUT:
      o->cut = arg;
      break;
    case OPT_SHAPE:
      o->p.shape = positive (cli, "shape", arg, 0);
      break;
    case OPT_MEDIAN:
      o->median = positive (cli, "median", arg, 0);
      break;
    case OPT_SCALE:
      o->scale = positive (cli, "scale", arg, 0);
      break;
    case OPT_PROGRESSION_MEDIAN:
      o->progression_median = positive (cli, "progression-median", arg, 0);
      break;
    case OPT_ACCRUAL:
      o->p.accrual = positive (cli, "accrual", arg, 1);
      break;
    case OPT_FOLLOW_UP:
      o->p.follow_up = positive (cli, "follow-up", arg, 0);
      break;
    case OPT_DROPOUT:
      o->p.dropout = axs_cli_number (cli, "dropout", arg);
      if (!(o->p.dropout >= 0 && o->p.dropout < 1))
        axs_cli_usage_error (cli, "--dropout '%s': must be at least 0 and below 1", arg);
      break;
    }
  return 0;
}

/* Rows are formatted by hand into a buffer: printf's double conversions
   would take most of the time for millions of rows. */
typedef struct
{
  FILE *f;
  char buf[1 << 16];
  size_t len;
} row_buffer;

static void
flush_rows (row_buffer *b)
{
  fwrite (b->buf, 1, b->len, b->f);
  b->len = 0;
}

static void
put_text (row_buffer *b, const char *s)
{
  while (*s)
    b->buf[b->len++] = *s++;
}

/* V >= 0 in decimal, at least WIDTH digits (zero-padded). */
static void
put_uint (row_buffer *b, unsigned long v, int width)
{
  char digits[24];
  int k = 0;
  do
    {
      digits[k++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v);
  while (k < width)
    digits[k++] = '0';
  while (k)
    b->buf[b->len++] = digits[--k];
}

/* TENTHS / 10 with one decimal: 123 -> "12.3". */
static void
put_tenths (row_buffer *b, long tenths)
{
  put_uint (b, (unsigned long) (tenths / 10), 1);
  b->buf[b->len++] = '.';
  b->buf[b->len++] = (char) ('0' + tenths % 10);
}

static void
put_row (row_buffer *b, unsigned long id, int id_width, const axs_sim_patient *s)
{
  static const char *const stage[] = { "I", "II", "III", "IV" };
  put_text (b, "SIM");
  put_uint (b, id, id_width);
  b->buf[b->len++] = ',';
  put_uint (b, (unsigned long) s->age, 1);
  put_text (b, s->male ? ",M," : ",F,");
  put_text (b, stage[s->stage - 1]);
  put_text (b, s->osimertinib ? ",osimertinib," : ",chemotherapy,");
  put_uint (b, (unsigned long) s->axl, 1);
  b->buf[b->len++] = ',';
  put_tenths (b, s->saxl_tenths);
  b->buf[b->len++] = ',';
  put_tenths (b, s->os_tenths);
  put_text (b, s->os_event ? ",1," : ",0,");
  put_tenths (b, s->pfs_tenths);
  put_text (b, s->pfs_event ? ",1\n" : ",0\n");
}

int
axs_cmd_simulate (int argc, char **argv)
{
  sim_options o = { .cli = { .command = "simulate", .usage = usage },
                    .n = 400, .seed = 1,
                    .median = NAN, .scale = NAN, .progression_median = NAN };
  axs_sim_params_init (&o.p);
  axs_cli_parse (&o.cli, AXS_OPT_OUTFILE, own_options, handle, &o, 0, argc, argv);
  if (!isnan (o.median) && !isnan (o.scale))
    axs_cli_usage_error (&o.cli, "give either --median or --scale, not both");
  if (!isnan (o.median))
    o.p.scale = axs_sim_scale_from_median (o.median, o.p.shape);
  else if (!isnan (o.scale))
    o.p.scale = o.scale;
  else
    o.p.scale = axs_sim_scale_from_median (18, o.p.shape);
  o.p.progression_scale
    = axs_sim_scale_from_median (isnan (o.progression_median) ? 8 : o.progression_median,
                                 o.p.shape);
  o.p.cut = o.p.effect == AXS_SIM_AXL ? 100 : 30;
  if (o.cut && axs_parse_number (o.cut, &o.p.cut) != AXS_OK)
    axs_cli_usage_error (&o.cli, "--cut '%s': give the marker's value, e.g. --cut 100",
                         o.cut);
  if (axs_sim_params_check (&o.p) != AXS_OK)
    axs_cli_usage_error (&o.cli, "the model's parameters are out of range "
                         "(a scale too large or too small for the shape?)");

  int id_width = 4;
  for (long m = o.n; m >= 10000; m /= 10)
    id_width++;

  axs_outfile out;
  axs_cli_output_open (&o.cli, &out);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  row_buffer *b = malloc (sizeof *b);
  if (!rng || !b)
    axs_cli_fail ("out of memory");
  gsl_rng_set (rng, o.seed);
  b->f = out.f;
  b->len = 0;
  put_text (b, "patient_id,age,sex,stage,arm,AXL,sAXL,"
            "os_time,os_event,pfs_time,pfs_event\n");
  for (long i = 1; i <= o.n; i++)
    {
      axs_sim_patient s;
      axs_sim_draw (rng, &o.p, &s);
      put_row (b, (unsigned long) i, id_width, &s);
      if (b->len > sizeof b->buf - 256)
        flush_rows (b);
    }
  flush_rows (b);
  axs_cli_output_commit (&o.cli, &out);

  free (b);
  gsl_rng_free (rng);
  axs_cli_free (&o.cli);
  return AXS_EXIT_OK;
}
