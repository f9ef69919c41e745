/* plot_scan.c: axlsurv plot scan: the volcano figure of a marker scan, with
   exactly scan's options and numbers. */
#include "cli/options.h"
#include "cli/plot.h"
#include "cli/scan.h"
#include "output/gnuplot_scan.h"
#include "stats/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char scan_usage[] =
  "Usage: axlsurv plot scan (--matrix FILE --id COL | --markers COLS|all) [OPTIONS] COHORT\n"
  "Draw the volcano figure of a marker scan (as 'axlsurv scan', same options and\n"
  "numbers): every feature at its Cox log2 hazard ratio per unit (x) and -log10 p\n"
  "(y), those with a Benjamini-Hochberg q below 0.05 coloured by direction, the\n"
  "5% FDR threshold dashed, chosen features labelled.\n"
  "\n"
  AXS_SCAN_USAGE_ANALYSIS
  "Figure:\n"
  "  --highlight NAMES     label these features (comma-separated), e.g. AXL,GAS6\n"
  "  --top N               also label the N features with the smallest p (default 0)\n"
  AXS_PLOT_USAGE_LABELS
  AXS_SCAN_USAGE_SPEED
  AXS_PLOT_USAGE_OUTPUT;

typedef struct
{
  axs_plot_common pc;
  axs_scan_options scan;
} plot_scan_options;

static int
scan_option (void *ctx, int code, const char *arg)
{
  plot_scan_options *o = ctx;
  if (axs_plot_common_option (&o->pc, code, arg))
    return 0;
  return axs_scan_option (&o->scan, code, arg);
}

static int
write_scan (FILE *f, const axs_gp_page *page, const void *figure)
{
  return axs_gp_write_scan (f, page, figure);
}

int
axs_plot_scan (int argc, char **argv)
{
  plot_scan_options o;
  axs_plot_common_init (&o.pc, "plot scan", scan_usage);
  axs_scan_options_init (&o.scan, &o.pc.cli);
  o.scan.top = 0;
  /* the common options, then scan's own */
  static const struct option common[] = { AXS_PLOT_COMMON_OPTIONS };
  size_t nc = sizeof common / sizeof *common, ns = 0;
  while (axs_scan_own_options[ns].name)
    ns++;
  struct option *opts = calloc (nc + ns + 1, sizeof *opts);
  if (!opts)
    axs_cli_fail ("out of memory");
  memcpy (opts, common, nc * sizeof *opts);
  memcpy (opts + nc, axs_scan_own_options, ns * sizeof *opts);
  axs_cli_parse (&o.pc.cli, AXS_SCAN_OPT_GROUPS | AXS_OPT_OUTFILE, opts, scan_option,
                 &o, 1, argc, argv);
  axs_plot_common_check (&o.pc);
  axs_scan_options_check (&o.scan);

  axs_scan_run run;
  axs_scan_compute (&o.scan, &run);
  const axs_scan_report *rep = &run.rep;
  const double fdr = 0.05;
  double threshold = NAN;
  for (size_t i = 0; i < rep->nfeat; i++)
    if (rep->f[i].q < fdr && !(rep->f[i].p <= threshold))
      threshold = rep->f[i].p;
  /* the labels: --highlight's in its order, then the --top best not already there */
  size_t *label = malloc ((rep->nhighlight + (size_t) o.scan.top + 1) * sizeof *label);
  size_t nlabel = 0;
  if (!label)
    axs_cli_fail ("out of memory");
  for (size_t h = 0; h < rep->nhighlight; h++)
    for (size_t i = 0; i < rep->nfeat; i++)
      if (strcmp (rep->f[i].feature, rep->highlight[h]) == 0)
        {
          label[nlabel++] = i;
          break;
        }
  for (size_t rank = 1; rank <= (size_t) o.scan.top && rank <= rep->n_tested; rank++)
    for (size_t i = 0; i < rep->nfeat; i++)
      if (rep->f[i].rank == rank)
        {
          int seen = 0;
          for (size_t k = 0; k < nlabel && !seen; k++)
            seen = label[k] == i;
          if (!seen)
            label[nlabel++] = i;
          break;
        }
  axs_gp_scan_figure fig = {
    .rep = rep, .fdr = fdr, .threshold_p = threshold, .label = label, .nlabel = nlabel,
    .title = o.pc.title,
    .xlabel = o.pc.xlabel ? o.pc.xlabel : o.scan.log2
      ? "log\u2082 hazard ratio per unit of log\u2082(x + 1) (Cox)"
      : "log\u2082 hazard ratio per unit of the feature (Cox)",
    .ylabel = o.pc.ylabel ? o.pc.ylabel : "\u2212log\u2081\u2080 p (Cox, Wald)",
  };
  axs_plot_emit (&o.pc, write_scan, &fig);

  free (label);
  free (opts);
  axs_scan_run_free (&run);
  axs_cli_free (&o.pc.cli);
  return AXS_EXIT_OK;
}
