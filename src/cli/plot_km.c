/* plot_km.c: axlsurv plot km: Kaplan-Meier curves per group with the number
   at risk, CI bands, medians and hazard ratios. */
#include "cli/km.h"
#include "cli/options.h"
#include "cli/plot.h"
#include "cli/survival.h"
#include "output/gnuplot.h"
#include "stats/cox.h"
#include "stats/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char km_usage[] =
  "Usage: axlsurv plot km [OPTIONS] COHORT\n"
  "Draw the Kaplan-Meier curves per group with the number at risk under them and\n"
  "the log-rank p in the panel: a gnuplot script (with its data), or the image.\n"
  "\n"
  AXS_KM_USAGE_DATA
  "Estimates:\n"
  AXS_KM_USAGE_CI
  "Figure:\n"
  "  --ci                  draw the confidence bands (--conf-type, --conf-level)\n"
  "  --median              draw dashed lines at each group's median survival\n"
  "  --hr                  show the hazard ratio of each group against the first,\n"
  "                        with its CI, from a Cox model (Efron ties)\n"
  "  --risk-times T1,T2,...  the times of the number-at-risk table, which are also\n"
  "                        the x tics (default: round steps from 0)\n"
  "  --time-unit UNIT      the unit of the time column: days, months or years\n"
  "                        (the x axis label says it)\n"
  "  --axis-unit UNIT      show time in UNIT on the x axis (days, months or years;\n"
  "                        needs --time-unit): a year is 365.25 days, a month\n"
  "                        1/12 year\n"
  "  --xmax T              end the x axis at T (in axis units)\n"
  "  --ylim LO,HI          the y axis range (default 0,1)\n"
  AXS_PLOT_USAGE_LABELS
  AXS_PLOT_USAGE_OUTPUT;

enum
{
  OPT_CI = AXS_PLOT_OPT_END, OPT_MEDIAN, OPT_HR, OPT_RISK_TIMES, OPT_TIME_UNIT,
  OPT_AXIS_UNIT, OPT_XMAX, OPT_YLIM
};

static const struct option km_options[] = {
  AXS_KM_CI_OPTIONS,
  AXS_PLOT_COMMON_OPTIONS,
  { "ci", no_argument, NULL, OPT_CI },
  { "median", no_argument, NULL, OPT_MEDIAN },
  { "hr", no_argument, NULL, OPT_HR },
  { "risk-times", required_argument, NULL, OPT_RISK_TIMES },
  { "time-unit", required_argument, NULL, OPT_TIME_UNIT },
  { "axis-unit", required_argument, NULL, OPT_AXIS_UNIT },
  { "xmax", required_argument, NULL, OPT_XMAX },
  { "ylim", required_argument, NULL, OPT_YLIM },
  { 0 }
};

static const char *const unit_names[] = { "days", "months", "years", NULL };
static const double unit_days[] = { 1, 365.25 / 12, 365.25 };

typedef struct
{
  axs_plot_common pc;
  axs_km_input in;
  axs_km_options ko;
  int ci, median, hr;
  double *risk_times;
  size_t nrisk;
  int time_unit, axis_unit;     /* -1: not given */
  double xmax;                  /* NaN: from the data */
  double ylim[2];
} plot_km_options;

static int
parse_unit (const axs_cli *cli, const char *option, const char *arg)
{
  for (int k = 0; unit_names[k]; k++)
    if (strcmp (arg, unit_names[k]) == 0)
      return k;
  axs_cli_usage_error (cli, "--%s '%s': use days, months or years", option, arg);
}

static int
km_option (void *ctx, int code, const char *arg)
{
  plot_km_options *o = ctx;
  const axs_cli *cli = &o->pc.cli;
  if (code < AXS_KM_OPT_END)
    return axs_km_option (&o->ko, code, arg);
  if (axs_plot_common_option (&o->pc, code, arg))
    return 0;
  size_t n;
  double *v;
  switch (code)
    {
    case OPT_CI: o->ci = 1; break;
    case OPT_MEDIAN: o->median = 1; break;
    case OPT_HR: o->hr = 1; break;
    case OPT_RISK_TIMES:
      free (o->risk_times);
      o->risk_times = axs_cli_numbers (cli, "risk-times", arg, &o->nrisk);
      for (size_t i = 0; i < o->nrisk; i++)
        if (o->risk_times[i] < 0 || (i && o->risk_times[i] <= o->risk_times[i - 1]))
          axs_cli_usage_error (cli, "--risk-times '%s': give ascending times from 0 up",
                               arg);
      break;
    case OPT_TIME_UNIT: o->time_unit = parse_unit (cli, "time-unit", arg); break;
    case OPT_AXIS_UNIT: o->axis_unit = parse_unit (cli, "axis-unit", arg); break;
    case OPT_XMAX:
      o->xmax = axs_cli_number (cli, "xmax", arg);
      if (!(o->xmax > 0) || !isfinite (o->xmax))
        axs_cli_usage_error (cli, "--xmax '%s': must be positive", arg);
      break;
    case OPT_YLIM:
      v = axs_cli_numbers (cli, "ylim", arg, &n);
      if (n != 2 || !(v[0] >= 0 && v[0] < v[1] && v[1] <= 1))
        {
          free (v);
          axs_cli_usage_error (cli, "--ylim '%s': give LO,HI with 0 <= LO < HI <= 1", arg);
        }
      o->ylim[0] = v[0];
      o->ylim[1] = v[1];
      free (v);
      break;
    }
  return 0;
}

/* The hazard ratio of each non-empty group against the first non-empty one,
   from a Cox model of the group alone; *NHR = 0 (with a warning) when the
   model cannot give them. */
static axs_gp_hr *
group_hazard_ratios (const axs_survival *s, const axs_km_result *km, double conf_level,
                     char (*labels)[256], size_t *nhr)
{
  const axs_design *d = &s->design;
  int ng = km->ngroups;
  *nhr = 0;
  int ref = -1, col[ng];
  size_t p = 0;
  for (int g = 0; g < ng; g++)
    {
      col[g] = -1;
      if (!km->curves[g].n)
        continue;
      if (ref < 0)
        ref = g;
      else
        col[g] = (int) p++;
    }
  if (p == 0)
    {
      axs_cli_warn ("%s: no hazard ratio: only one group has patients", s->table->file);
      return NULL;
    }
  double *x = calloc (d->n * p, sizeof *x);
  axs_cox_result *res = axs_cox_result_alloc (d->n, p);
  axs_gp_hr *hr = malloc (p * sizeof *hr);
  if (!x || !res || !hr)
    axs_cli_fail ("out of memory");
  for (size_t i = 0; i < d->n; i++)
    if (col[d->group[i]] >= 0)
      x[i * p + (size_t) col[d->group[i]]] = 1;
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.conf_level = conf_level;
  int status = axs_cox_fit (d->n, p, x, d->time, d->event, NULL, &opt, res);
  free (x);
  if (status != AXS_OK)
    axs_cli_warn ("%s: no hazard ratio: the Cox model failed: %s", s->table->file,
                  axs_strerror (status));
  else
    for (int g = 0; g < ng; g++)
      {
        if (col[g] < 0)
          continue;
        size_t j = (size_t) col[g];
        if (res->may_be_infinite[j])
          {
            axs_cli_warn ("%s: no hazard ratio for %s: it may be infinite (a group "
                          "without events?)", s->table->file, d->groups.name[g]);
            continue;
          }
        snprintf (labels[*nhr], 256, "%s vs %s", d->groups.name[g], d->groups.name[ref]);
        hr[*nhr] = (axs_gp_hr) { labels[*nhr], res->hr[j], res->hr_lower[j],
                                 res->hr_upper[j] };
        ++*nhr;
      }
  axs_cox_result_free (res);
  return hr;
}

static int
write_km (FILE *f, const axs_gp_page *page, const void *figure)
{
  return axs_gp_write_km (f, page, figure);
}

int
axs_plot_km (int argc, char **argv)
{
  plot_km_options o = { .time_unit = -1, .axis_unit = -1, .xmax = NAN,
                        .ylim = { 0, 1 } };
  axs_plot_common_init (&o.pc, "plot km", km_usage);
  axs_km_input_init (&o.in);
  o.ko = (axs_km_options) { .cli = &o.pc.cli, .in = &o.in };
  axs_cli_parse (&o.pc.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_GROUP
                 | AXS_OPT_OUTFILE, km_options, km_option, &o, 1, argc, argv);
  axs_cli *cli = &o.pc.cli;
  axs_plot_common_check (&o.pc);
  if (o.axis_unit >= 0 && o.time_unit < 0)
    axs_cli_usage_error (cli, "--axis-unit needs --time-unit (the unit of the data)");
  if (o.hr && !cli->group && !cli->marker)
    axs_cli_usage_error (cli, "--hr needs groups: give --group or --marker");
  int unit = o.axis_unit >= 0 ? o.axis_unit : o.time_unit;
  double scale = o.axis_unit >= 0 ? unit_days[o.axis_unit] / unit_days[o.time_unit] : 1;

  axs_survival s;
  axs_cli_survival_load (cli, &s);

  /* the x axis: the risk times are its tics */
  double last = 0;
  for (size_t i = 0; i < s.design.n; i++)
    last = s.design.time[i] > last ? s.design.time[i] : last;
  last /= scale;
  double xmax = o.xmax;
  double *ticks = o.risk_times;
  size_t nticks = o.nrisk;
  if (ticks && !isnan (xmax) && ticks[nticks - 1] > xmax)
    axs_cli_usage_error (cli, "--risk-times: %g lies beyond --xmax %g", ticks[nticks - 1],
                         xmax);
  if (!ticks)
    {
      /* about six steps, fewer when their labels would not fit the width */
      double end = isnan (xmax) ? last : xmax;
      double room = o.pc.page.width - 1.1, step = 1;
      for (int target = 6; target >= 2; target--)
        {
          step = axs_gp_axis_step (end, target);
          nticks = (size_t) (isnan (xmax) ? ceil (end / step - 1e-9)
                             : floor (end / step + 1e-9)) + 1;
          char label[64];
          snprintf (label, sizeof label, "%g", (double) (nticks - 1) * step);
          if ((double) (nticks - 1) * (axs_gp_text_width (&o.pc.page, label) + 0.15) <= room)
            break;
        }
      ticks = malloc (nticks * sizeof *ticks);
      if (!ticks)
        axs_cli_fail ("out of memory");
      for (size_t i = 0; i < nticks; i++)
        ticks[i] = (double) i * step;
      o.risk_times = ticks;
    }
  if (isnan (xmax))
    xmax = ticks[nticks - 1] > last ? ticks[nticks - 1] : last;
  if (!(xmax > 0))
    xmax = 1;

  /* the curves, read at the risk times for the table */
  double *landmarks = malloc (nticks * sizeof *landmarks);
  if (!landmarks)
    axs_cli_fail ("out of memory");
  for (size_t i = 0; i < nticks; i++)
    landmarks[i] = ticks[i] * scale;
  o.in.landmarks = landmarks;
  o.in.nlandmarks = nticks;
  axs_logrank_report lr = { .rho = 0 };
  axs_km_result *km = axs_cli_survival_km (&s, &o.in, &lr);

  char (*hr_labels)[256] = NULL;
  axs_gp_hr *hr = NULL;
  size_t nhr = 0;
  if (o.hr)
    {
      hr_labels = malloc ((size_t) km->ngroups * sizeof *hr_labels);
      if (!hr_labels)
        axs_cli_fail ("out of memory");
      hr = group_hazard_ratios (&s, km, o.in.conf_level, hr_labels, &nhr);
    }

  char xlabel[256];
  if (unit >= 0)
    snprintf (xlabel, sizeof xlabel, "Time (%s)", unit_names[unit]);
  else
    snprintf (xlabel, sizeof xlabel, "Time");
  axs_gp_km_figure fig = {
    .context = &s.context, .km = km,
    .logrank_p = lr.r ? lr.r->p : NAN,
    .hr = hr, .nhr = nhr, .hr_conf_level = o.in.conf_level,
    .risk_times = ticks, .nrisk = nticks,
    .time_scale = scale, .xmax = xmax, .ymin = o.ylim[0], .ymax = o.ylim[1],
    .title = o.pc.title,
    .xlabel = o.pc.xlabel ? o.pc.xlabel : xlabel,
    .ylabel = o.pc.ylabel ? o.pc.ylabel : "Survival probability",
    .key_title = s.context.group_by,
    .ci = o.ci, .median = o.median,
  };
  axs_plot_emit (&o.pc, write_km, &fig);

  free (hr);
  free (hr_labels);
  axs_logrank_result_free ((axs_logrank_result *) lr.r);
  axs_km_result_free (km);
  free (landmarks);
  axs_cli_survival_free (&s);
  free (o.risk_times);
  free (o.ko.times);
  axs_cli_free (cli);
  return AXS_EXIT_OK;
}
