/* plot_cutpoint.c: axlsurv plot cutpoint: the cutpoint profile of a marker
   (standardized log-rank statistic at every candidate cut), the cut marked. */
#include "cli/options.h"
#include "cli/plot.h"
#include "output/gnuplot_cutpoint.h"
#include "stats/maxstat.h"
#include "stats/status.h"

#include <math.h>
#include <stdio.h>

static const char cutpoint_usage[] =
  "Usage: axlsurv plot cutpoint --marker COL [OPTIONS] COHORT\n"
  "Draw the cutpoint profile: the standardized log-rank statistic at every\n"
  "candidate cut of the marker (as 'axlsurv cutpoint'), the chosen cut marked,\n"
  "and the 5% thresholds at one fixed cut and corrected for the search (Lau94).\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "Marker:\n"
  "  --marker COL          the numeric marker (required); low = marker <= cut\n"
  "  --minprop P           smallest share of patients in the low group (default 0.1)\n"
  "  --maxprop P           largest share of patients in the low group (default 0.9)\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Figure:\n"
  AXS_PLOT_USAGE_LABELS
  AXS_PLOT_USAGE_OUTPUT;

enum { OPT_CP_MARKER = AXS_PLOT_OPT_END + 32, OPT_CP_MINPROP, OPT_CP_MAXPROP };

static const struct option cutpoint_options[] = {
  AXS_PLOT_COMMON_OPTIONS,
  { "marker", required_argument, NULL, OPT_CP_MARKER },
  { "minprop", required_argument, NULL, OPT_CP_MINPROP },
  { "maxprop", required_argument, NULL, OPT_CP_MAXPROP },
  { 0 }
};

typedef struct
{
  axs_plot_common pc;
  double minprop, maxprop;
} plot_cutpoint_options;

static int
cutpoint_option (void *ctx, int code, const char *arg)
{
  plot_cutpoint_options *o = ctx;
  const axs_cli *cli = &o->pc.cli;
  if (axs_plot_common_option (&o->pc, code, arg))
    return 0;
  if (code == OPT_CP_MARKER)
    o->pc.cli.marker = arg;
  else
    {
      double x = axs_cli_number (cli, code == OPT_CP_MINPROP ? "minprop" : "maxprop", arg);
      if (!(x >= 0 && x <= 1))
        axs_cli_usage_error (cli, "--%s '%s': a share of patients, from 0 to 1",
                             code == OPT_CP_MINPROP ? "minprop" : "maxprop", arg);
      *(code == OPT_CP_MINPROP ? &o->minprop : &o->maxprop) = x;
    }
  return 0;
}

/* The statistic at which the Lau94 p-value of MS's candidates is 0.05, by
   bisection between 1.96 and 10; NaN when 0.05 is not crossed there. */
static double
lau94_critical (const axs_maxstat_result *ms)
{
  double lo = 1.959963984540054, hi = 10;
  double plo = axs_maxstat_p_lau94 (lo, ms->n, ms->n_cuts, ms->profile_n_low);
  double phi = axs_maxstat_p_lau94 (hi, ms->n, ms->n_cuts, ms->profile_n_low);
  if (!(plo >= 0.05 && phi < 0.05))
    return NAN;
  for (int k = 0; k < 100 && hi - lo > 1e-9; k++)
    {
      double mid = (lo + hi) / 2;
      if (axs_maxstat_p_lau94 (mid, ms->n, ms->n_cuts, ms->profile_n_low) >= 0.05)
        lo = mid;
      else
        hi = mid;
    }
  return (lo + hi) / 2;
}

static int
write_cutpoint (FILE *f, const axs_gp_page *page, const void *figure)
{
  return axs_gp_write_cutpoint (f, page, figure);
}

int
axs_plot_cutpoint (int argc, char **argv)
{
  plot_cutpoint_options o = { .minprop = 0.1, .maxprop = 0.9 };
  axs_plot_common_init (&o.pc, "plot cutpoint", cutpoint_usage);
  axs_cli_parse (&o.pc.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_OUTFILE,
                 cutpoint_options, cutpoint_option, &o, 1, argc, argv);
  axs_cli *cli = &o.pc.cli;
  axs_plot_common_check (&o.pc);
  if (!cli->marker)
    axs_cli_usage_error (cli, "which marker? give --marker COL");
  if (o.minprop >= o.maxprop)
    axs_cli_usage_error (cli, "--minprop %g must be below --maxprop %g", o.minprop,
                         o.maxprop);

  axs_design_spec spec = { 0 };
  axs_table *t;
  axs_design d;
  axs_cli_load (cli, &spec, &t, &d);
  axs_maxstat_workspace *ws = axs_maxstat_workspace_alloc (d.n);
  axs_maxstat_result *ms = axs_maxstat_result_alloc (d.n);
  if (!ws || !ms)
    axs_cli_fail ("out of memory");
  int status = axs_maxstat_test (d.n, d.time, d.event, d.marker, o.minprop, o.maxprop,
                                 ws, ms);
  if (status == AXS_EDOM)
    axs_cli_fail ("%s: marker '%s' has no cut to search: no events, or fewer than two "
                  "distinct values between its %g and %g quantiles", t->file,
                  cli->marker, o.minprop, o.maxprop);
  if (status != AXS_OK)
    axs_cli_fail ("%s: cutpoint search failed: %s", t->file, axs_strerror (status));

  char xlabel[256];
  snprintf (xlabel, sizeof xlabel, "%s (cutpoint)", cli->marker);
  double marker_min = d.n ? d.marker[0] : NAN;
  for (size_t i = 1; i < d.n; i++)
    if (d.marker[i] < marker_min)
      marker_min = d.marker[i];
  axs_gp_cutpoint_figure fig = {
    .ms = ms, .marker = cli->marker, .critical = lau94_critical (ms),
    .marker_min = marker_min,
    .critical_label = "5% level corrected for the search (Lau94)",
    .title = o.pc.title,
    .xlabel = o.pc.xlabel ? o.pc.xlabel : xlabel,
    .ylabel = o.pc.ylabel ? o.pc.ylabel : "Standardized log-rank statistic",
  };
  axs_plot_emit (&o.pc, write_cutpoint, &fig);

  axs_maxstat_result_free (ms);
  axs_maxstat_workspace_free (ws);
  axs_design_free (&d);
  axs_table_free (t);
  axs_cli_free (cli);
  return AXS_EXIT_OK;
}
