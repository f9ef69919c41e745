/* km.h: the km command's estimate options, shared with `plot km` so that
   both read --conf-type and --conf-level (and km --times, --tau) the same way. */
#ifndef AXS_CLI_KM_H
#define AXS_CLI_KM_H

#include "cli/options.h"
#include "stats/km.h"

enum
{
  AXS_KM_OPT_CONF_TYPE = 512, AXS_KM_OPT_CONF_LEVEL, AXS_KM_OPT_TIMES, AXS_KM_OPT_TAU,
  AXS_KM_OPT_END                /* a command's own codes start here */
};

/* The rows of struct option for the CI options, to put in a command's table. */
#define AXS_KM_CI_OPTIONS \
  { "conf-type", required_argument, NULL, AXS_KM_OPT_CONF_TYPE }, \
  { "conf-level", required_argument, NULL, AXS_KM_OPT_CONF_LEVEL }

/* --help text of the options about the data, and of the CI options. */
#define AXS_KM_USAGE_DATA \
  "Endpoint:\n" \
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n" \
  "  --time COL --event COL  name the time and event columns instead\n" \
  "  --event-value V       the value of the event column that means an event\n" \
  "                        (default: 1, with 0 censored)\n" \
  "Groups:\n" \
  "  --group COL           groups are the levels of a categorical column\n" \
  "  --marker COL          groups from a numeric marker, split by --cut\n" \
  "  --cut SPEC            median (default), tertiles, quartiles, pNN, V or V1,V2,...\n" \
  "                        (marker <= cut goes to the lower group), or optimal\n" \
  "                        (the maxstat cut: p-values not corrected, see cutpoint)\n" \
  "  --cut-from FILE       the cut saved by 'axlsurv cutpoint --format json -o FILE'\n" \
  "Cohort:\n" \
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n" \
  "                        (repeatable: all must hold)\n" \
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n" \
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
#define AXS_KM_USAGE_CI \
  "  --conf-type TYPE      log (default), log-log or plain\n" \
  "  --conf-level L        confidence level (default 0.95)\n"

/* What the km options fill. */
typedef struct
{
  const axs_cli *cli;           /* for messages */
  axs_km_input *in;             /* conf_type, conf_level, landmarks, tau */
  double *times;                /* --times, owned: free it */
} axs_km_options;

/* Handle the km option CODE (AXS_KM_OPT_*) with ARG into O; a bad value is
   a usage error.  Returns 0. */
int axs_km_option (axs_km_options *o, int code, const char *arg);

#endif
