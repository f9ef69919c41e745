/* km.c: axlsurv km: Kaplan-Meier curves per group, with the log-rank test. */
#include "cli/commands.h"
#include "cli/km.h"
#include "cli/options.h"
#include "cli/survival.h"
#include "output/km_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "Usage: axlsurv km [OPTIONS] COHORT\n"
  "Kaplan-Meier survival curves per group, their medians, landmark survival and\n"
  "restricted mean, with the log-rank test between the groups.\n"
  "\n"
  AXS_KM_USAGE_DATA
  "Estimates:\n"
  AXS_KM_USAGE_CI
  "  --times T1,T2,...     survival at these landmark times\n"
  "  --tau T               restricted mean up to T (default: the largest time)\n"
  "Output:\n"
  "  --format FMT          text (default), tsv or json\n"
  "  --table NAME          with tsv: summary (default), curve, landmarks or test;\n"
  "                        with text: only that table\n"
  "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
  "  --help                show this help\n";

static const struct option own_options[] = {
  AXS_KM_CI_OPTIONS,
  { "times", required_argument, NULL, AXS_KM_OPT_TIMES },
  { "tau", required_argument, NULL, AXS_KM_OPT_TAU },
  { 0 }
};

int
axs_km_option (axs_km_options *o, int code, const char *arg)
{
  switch (code)
    {
    case AXS_KM_OPT_CONF_TYPE:
      if (strcmp (arg, "log") == 0)
        o->in->conf_type = AXS_KM_CONF_LOG;
      else if (strcmp (arg, "log-log") == 0)
        o->in->conf_type = AXS_KM_CONF_LOGLOG;
      else if (strcmp (arg, "plain") == 0)
        o->in->conf_type = AXS_KM_CONF_PLAIN;
      else
        axs_cli_usage_error (o->cli, "--conf-type '%s': use log, log-log or plain", arg);
      break;
    case AXS_KM_OPT_CONF_LEVEL:
      o->in->conf_level = axs_cli_conf_level (o->cli, arg);
      break;
    case AXS_KM_OPT_TIMES:
      free (o->times);
      o->times = axs_cli_numbers (o->cli, "times", arg, &o->in->nlandmarks);
      for (size_t i = 0; i < o->in->nlandmarks; i++)
        if (o->times[i] < 0)
          axs_cli_usage_error (o->cli, "--times: %g is negative", o->times[i]);
      o->in->landmarks = o->times;
      break;
    case AXS_KM_OPT_TAU:
      o->in->tau = axs_cli_number (o->cli, "tau", arg);
      if (o->in->tau <= 0)
        axs_cli_usage_error (o->cli, "--tau '%s': must be positive", arg);
      break;
    }
  return 0;
}

static int
handle (void *ctx, int code, const char *arg)
{
  return axs_km_option (ctx, code, arg);
}

int
axs_cmd_km (int argc, char **argv)
{
  struct
  {
    axs_cli cli;
    axs_km_input in;
  } o = { .cli = { .command = "km", .usage = usage } };
  axs_km_input_init (&o.in);
  axs_km_options ko = { .cli = &o.cli, .in = &o.in };
  axs_cli_parse (&o.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_GROUP | AXS_OPT_OUTPUT,
                 own_options, handle, &ko, 1, argc, argv);
  int table = axs_cli_table_index (&o.cli, axs_km_tables);

  axs_survival s;
  axs_cli_survival_load (&o.cli, &s);
  axs_logrank_report lr = { .rho = 0 };
  axs_km_result *km = axs_cli_survival_km (&s, &o.in, &lr);

  s.context.warnings = axs_cli_warnings (&s.context.nwarnings);
  axs_outfile out;
  axs_cli_output_open (&o.cli, &out);
  if (o.cli.format == AXS_FORMAT_JSON)
    axs_km_write_json (out.f, &s.context, km, &lr);
  else if (o.cli.format == AXS_FORMAT_TSV)
    axs_km_write_tsv (out.f, &s.context, km, &lr, table);
  else
    axs_km_write_text (out.f, &s.context, km, &lr, o.cli.table ? table : -1);
  axs_cli_output_commit (&o.cli, &out);

  axs_logrank_result_free ((axs_logrank_result *) lr.r);
  axs_km_result_free (km);
  axs_cli_survival_free (&s);
  free (ko.times);
  axs_cli_free (&o.cli);
  return AXS_EXIT_OK;
}
