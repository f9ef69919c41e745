/* cox.c: axlsurv cox: is the biomarker an independent predictor after
   adjusting for the covariates?  A Cox model, as R's coxph, or Firth's. */
#include "cli/commands.h"
#include "cli/coxfit.h"
#include "cli/options.h"

static const char usage[] =
  "Usage: axlsurv cox [OPTIONS] COHORT\n"
  "Cox proportional-hazards regression of the endpoint on the biomarker and the\n"
  "covariates: hazard ratios with confidence intervals, likelihood-ratio, Wald and\n"
  "score tests, concordance, the proportional-hazards test, interactions, and\n"
  "Firth's penalised fit when a coefficient runs off to infinity.\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "                        (default: 1, with 0 censored)\n"
  "Biomarker (the first term; optional):\n"
  "  --group COL           groups are the levels of a categorical column\n"
  "  --marker COL          groups from a numeric marker, split by --cut\n"
  "  --cut SPEC            median (default), tertiles, quartiles, pNN, V or V1,V2,...\n"
  "                        (marker <= cut goes to the lower group; the first group,\n"
  "                        e.g. low, is the reference)\n"
  "  --cut-from FILE       the cut saved by 'axlsurv cutpoint -o'\n"
  "  --continuous          the marker as a number instead of groups\n"
  "  --transform T         with --continuous: none (default), log, log2, log2p1\n"
  "                        (log2 of x + 1) or z (per standard deviation)\n"
  "Model:\n"
  "  --covariates LIST     more terms, comma-separated: a numeric column is linear,\n"
  "                        a text column a factor; NAME:factor forces a factor\n"
  "  --ref COL=LEVEL       the reference level of a factor (default: the first in\n"
  "                        sorted order); repeatable\n"
  "  --strata COL          a separate baseline hazard for each level of COL\n"
  "  --interaction COL     add biomarker x COL, its likelihood-ratio test and the\n"
  "                        biomarker's hazard ratio within each level of COL\n"
  "Fit:\n"
  "  --ties METHOD         efron (default, as R) or breslow\n"
  "  --max-iter N          Newton-Raphson iterations (default 20; 50 with --firth)\n"
  "  --conf-level L        confidence level of the intervals (default 0.95)\n"
  "  --firth               Firth-penalised fit (Heinze & Schemper 2001, Breslow\n"
  "                        ties) with profile-likelihood intervals\n"
  "  --zph                 test proportional hazards (R's cox.zph)\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n"
  "                        (repeatable: all must hold)\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Output:\n"
  "  --format FMT          text (default), tsv or json\n"
  "  --table NAME          with tsv: terms (default), model, zph or interaction;\n"
  "                        with text: only that table\n"
  "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
  "  --help                show this help\n";

typedef struct
{
  axs_cli cli;
  axs_coxfit_options fit;
} cox_options;

static int
handle (void *ctx, int code, const char *arg)
{
  cox_options *o = ctx;
  axs_coxfit_option (&o->cli, &o->fit, code, arg);
  return 0;
}

int
axs_cmd_cox (int argc, char **argv)
{
  cox_options o = { .cli = { .command = "cox", .usage = usage } };
  axs_coxfit_options_init (&o.fit);
  axs_cli_parse (&o.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_GROUP
                 | AXS_OPT_STRATA | AXS_OPT_OUTPUT, axs_coxfit_long_options, handle,
                 &o, 1, argc, argv);
  int table = axs_cli_table_index (&o.cli, axs_cox_tables);
  axs_coxfit_options_check (&o.cli, &o.fit);
  if (table == AXS_COX_ZPH && !o.fit.zph)
    axs_cli_usage_error (&o.cli, "--table zph needs --zph");
  if (table == AXS_COX_INTERACTION && !o.fit.interaction)
    axs_cli_usage_error (&o.cli, "--table interaction needs --interaction COL");

  axs_coxfit f;
  axs_cli_coxfit (&o.cli, &o.fit, &f);

  axs_outfile out;
  axs_cli_output_open (&o.cli, &out);
  if (o.cli.format == AXS_FORMAT_JSON)
    axs_cox_write_json (out.f, &f.report);
  else if (o.cli.format == AXS_FORMAT_TSV)
    axs_cox_write_tsv (out.f, &f.report, table);
  else
    axs_cox_write_text (out.f, &f.report, o.cli.table ? table : -1);
  axs_cli_output_commit (&o.cli, &out);

  axs_coxfit_free (&f);
  axs_coxfit_options_free (&o.fit);
  axs_cli_free (&o.cli);
  return AXS_EXIT_OK;
}
