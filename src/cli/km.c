/* km.c: axlsurv km: Kaplan-Meier curves per group, with the log-rank test. */
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/survival.h"
#include "output/km_out.h"
#include "stats/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "Usage: axlsurv km [OPTIONS] COHORT\n"
  "Kaplan-Meier survival curves per group, their medians, landmark survival and\n"
  "restricted mean, with the log-rank test between the groups.\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "                        (default: 1, with 0 censored)\n"
  "Groups:\n"
  "  --group COL           groups are the levels of a categorical column\n"
  "  --marker COL          groups from a numeric marker, split by --cut\n"
  "  --cut SPEC            median (default), tertiles, quartiles, pNN, V or V1,V2,...\n"
  "                        (marker <= cut goes to the lower group)\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n"
  "                        (repeatable: all must hold)\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Estimates:\n"
  "  --conf-type TYPE      log (default), log-log or plain\n"
  "  --conf-level L        confidence level (default 0.95)\n"
  "  --times T1,T2,...     survival at these landmark times\n"
  "  --tau T               restricted mean up to T (default: the largest time)\n"
  "Output:\n"
  "  --format FMT          text (default), tsv or json\n"
  "  --table NAME          with tsv: summary (default), curve, landmarks or test;\n"
  "                        with text: only that table\n"
  "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
  "  --help                show this help\n";

enum { OPT_CONF_TYPE = 512, OPT_CONF_LEVEL, OPT_TIMES, OPT_TAU };

static const struct option own_options[] = {
  { "conf-type", required_argument, NULL, OPT_CONF_TYPE },
  { "conf-level", required_argument, NULL, OPT_CONF_LEVEL },
  { "times", required_argument, NULL, OPT_TIMES },
  { "tau", required_argument, NULL, OPT_TAU },
  { 0 }
};

typedef struct
{
  axs_cli cli;
  axs_km_input in;
  double *times;
} km_options;

static int
handle (void *ctx, int code, const char *arg)
{
  km_options *o = ctx;
  switch (code)
    {
    case OPT_CONF_TYPE:
      if (strcmp (arg, "log") == 0)
        o->in.conf_type = AXS_KM_CONF_LOG;
      else if (strcmp (arg, "log-log") == 0)
        o->in.conf_type = AXS_KM_CONF_LOGLOG;
      else if (strcmp (arg, "plain") == 0)
        o->in.conf_type = AXS_KM_CONF_PLAIN;
      else
        axs_cli_usage_error (&o->cli, "--conf-type '%s': use log, log-log or plain", arg);
      break;
    case OPT_CONF_LEVEL:
      o->in.conf_level = axs_cli_conf_level (&o->cli, arg);
      break;
    case OPT_TIMES:
      free (o->times);
      o->times = axs_cli_numbers (&o->cli, "times", arg, &o->in.nlandmarks);
      for (size_t i = 0; i < o->in.nlandmarks; i++)
        if (o->times[i] < 0)
          axs_cli_usage_error (&o->cli, "--times: %g is negative", o->times[i]);
      o->in.landmarks = o->times;
      break;
    case OPT_TAU:
      o->in.tau = axs_cli_number (&o->cli, "tau", arg);
      if (o->in.tau <= 0)
        axs_cli_usage_error (&o->cli, "--tau '%s': must be positive", arg);
      break;
    }
  return 0;
}

int
axs_cmd_km (int argc, char **argv)
{
  km_options o = { .cli = { .command = "km", .usage = usage } };
  axs_km_input_init (&o.in);
  axs_cli_parse (&o.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_GROUP | AXS_OPT_OUTPUT,
                 own_options, handle, &o, 1, argc, argv);
  int table = axs_cli_table_index (&o.cli, axs_km_tables);

  axs_survival s;
  axs_cli_survival_load (&o.cli, &s);
  o.in.n = s.design.n;
  o.in.time = s.design.time;
  o.in.event = s.design.event;
  o.in.group = s.design.group;
  o.in.ngroups = s.design.group ? (int) s.design.groups.n : 1;
  axs_km_result *km;
  int status = axs_km_fit (&o.in, &km);
  if (status != AXS_OK)
    axs_cli_fail ("%s: Kaplan-Meier estimate failed: %s", s.table->file,
                  axs_strerror (status));
  axs_logrank_report lr = { .rho = 0 };
  if (axs_cli_survival_logrank (&s, &lr) != AXS_OK && s.design.group)
    axs_cli_warn ("%s: no log-rank test: fewer than two groups have events "
                  "in their risk sets", s.table->file);

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
  free (o.times);
  axs_cli_free (&o.cli);
  return AXS_EXIT_OK;
}
