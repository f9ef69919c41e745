/* logrank.c: axlsurv logrank: G-rho tests between groups, stratified, for trend. */
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/survival.h"
#include "output/km_out.h"
#include "stats/status.h"

#include <math.h>
#include <stdlib.h>

static const char usage[] =
  "Usage: axlsurv logrank [OPTIONS] COHORT\n"
  "Test whether survival differs between groups: the log-rank test (rho 0), the\n"
  "Peto-Peto test (rho 1) or any G-rho test, stratified or not, and the test for\n"
  "trend across ordered groups.\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "Groups:\n"
  "  --group COL           groups are the levels of a categorical column\n"
  "  --marker COL          groups from a numeric marker, split by --cut\n"
  "  --cut SPEC            median (default), tertiles, quartiles, pNN, V or V1,V2,...\n"
  "                        or optimal (the maxstat cut: p not corrected, see cutpoint)\n"
  "  --cut-from FILE       the cut saved by 'axlsurv cutpoint --format json -o FILE'\n"
  "  --strata COL          a stratified test: groups compared within each level\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Test:\n"
  "  --rho R               weight S(t-)^R: 0 log-rank (default), 1 Peto-Peto\n"
  "  --trend               also the test for trend across the ordered groups (3+)\n"
  "Output:\n"
  "  --format FMT          text (default), tsv or json\n"
  "  --table NAME          test (the only table)\n"
  "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
  "  --help                show this help\n";

enum { OPT_RHO = 512, OPT_TREND };

static const struct option own_options[] = {
  { "rho", required_argument, NULL, OPT_RHO },
  { "trend", no_argument, NULL, OPT_TREND },
  { 0 }
};

typedef struct
{
  axs_cli cli;
  axs_logrank_report lr;
} logrank_options;

static int
handle (void *ctx, int code, const char *arg)
{
  logrank_options *o = ctx;
  if (code == OPT_RHO)
    {
      o->lr.rho = axs_cli_number (&o->cli, "rho", arg);
      if (o->lr.rho < 0)
        axs_cli_usage_error (&o->cli, "--rho '%s': must be 0 or more", arg);
    }
  else if (code == OPT_TREND)
    o->lr.trend = 1;
  return 0;
}

int
axs_cmd_logrank (int argc, char **argv)
{
  static const char *const tables[] = { "test", NULL };
  logrank_options o = { .cli = { .command = "logrank", .usage = usage } };
  axs_cli_parse (&o.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_GROUP
                 | AXS_OPT_STRATA | AXS_OPT_OUTPUT, own_options, handle, &o, 1, argc, argv);
  axs_cli_table_index (&o.cli, tables);
  if (!o.cli.group && !o.cli.marker)
    axs_cli_usage_error (&o.cli, "which groups? give --group COL or --marker COL");

  axs_survival s;
  axs_cli_survival_load (&o.cli, &s);
  if (s.design.groups.n < 2)
    axs_cli_fail ("%s: only one group ('%s') among the patients analysed: nothing to compare",
                  s.table->file, s.design.groups.name[0]);
  if (o.lr.trend && s.design.groups.n < 3)
    axs_cli_usage_error (&o.cli, "--trend needs 3 or more ordered groups; '%s' has %zu",
                         s.context.group_by, s.design.groups.n);
  if (axs_cli_survival_logrank (&s, &o.lr) != AXS_OK)
    axs_cli_fail ("%s: no test: fewer than two groups have events in their risk sets",
                  s.table->file);
  if (o.lr.trend && isnan (o.lr.trend_chisq))
    axs_cli_warn ("the test for trend is undefined here (its variance is 0)");

  s.context.warnings = axs_cli_warnings (&s.context.nwarnings);
  axs_outfile out;
  axs_cli_output_open (&o.cli, &out);
  if (o.cli.format == AXS_FORMAT_JSON)
    axs_logrank_write_json (out.f, &s.context, &o.lr);
  else if (o.cli.format == AXS_FORMAT_TSV)
    axs_km_write_tsv (out.f, &s.context, NULL, &o.lr, AXS_KM_TEST);
  else
    axs_logrank_write_text (out.f, &s.context, &o.lr);
  axs_cli_output_commit (&o.cli, &out);

  axs_logrank_result_free ((axs_logrank_result *) o.lr.r);
  axs_cli_survival_free (&s);
  axs_cli_free (&o.cli);
  return AXS_EXIT_OK;
}
