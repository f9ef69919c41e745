/* scan.h: the scan command's options and computation, shared by `axlsurv
   scan` and `axlsurv plot scan`, so that the figure takes exactly scan's
   options and draws exactly scan's numbers. */
#ifndef AXS_CLI_SCAN_H
#define AXS_CLI_SCAN_H

#include <getopt.h>
#include <stddef.h>

#include "cli/options.h"
#include "cohort/matrix.h"
#include "cohort/table.h"
#include "output/scan_out.h"

/* --help text of the analysis options (features, endpoint, models, cohort)
   and of --threads/--timing, for both commands' usage. */
#define AXS_SCAN_USAGE_ANALYSIS \
  "Features:\n" \
  "  --matrix FILE         an expression matrix: features in rows, the feature's\n" \
  "                        name first, one column per patient headed by its id\n" \
  "                        (TSV or CSV, as TCGA and GEO provide)\n" \
  "  --id COL              the cohort's patient id column, matching the matrix header\n" \
  "  --markers COLS|all    or: these numeric columns of the cohort (comma-separated),\n" \
  "                        or all of its numeric columns but the endpoint, --id,\n" \
  "                        --strata and the covariates\n" \
  "  --log2                analyse log2(x + 1) of every feature (e.g. RSEM counts)\n" \
  "Endpoint:\n" \
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n" \
  "  --time COL --event COL  name the time and event columns instead\n" \
  "  --event-value V       the value of the event column that means an event\n" \
  "Models:\n" \
  "  --covariates COLS     adjust every Cox model for these columns (numeric, or\n" \
  "                        categorical: the first level in sorted order is the reference)\n" \
  "  --strata COL          a baseline hazard per level of COL (Cox), and the\n" \
  "                        log-rank test stratified by COL\n" \
  "  --cut SPEC            the log-rank split of each feature: median (default),\n" \
  "                        tertiles, quartiles, pNN, or values V or V1,V2,...\n" \
  "                        (value <= cut goes to the lower group)\n" \
  "  --cutpoint METHOD     also the maximally selected log-rank cut of each feature,\n" \
  "                        its p corrected for the search by lau94 or lau92\n" \
  "  --minprop P, --maxprop P  the cutpoint lies between these quantiles\n" \
  "                        (default 0.1 and 0.9)\n" \
  "Cohort:\n" \
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n" \
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n" \
  "  --delimiter C         the cohort's delimiter: ',', ';' or tab (default: detected)\n"
#define AXS_SCAN_USAGE_SPEED \
  "Speed:\n" \
  "  --threads N           compute with N threads (default: $AXLSURV_THREADS, else\n" \
  "                        all cores); the result is the same whatever N\n" \
  "  --timing              report the time spent reading and computing on stderr\n"

/* The shared option groups scan takes besides its own (plus an output group:
   AXS_OPT_OUTPUT for scan, AXS_OPT_OUTFILE for plot scan). */
#define AXS_SCAN_OPT_GROUPS (AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_STRATA)

/* scan's own long options (codes 512 to 524), ended by a zero entry. */
extern const struct option axs_scan_own_options[];

typedef struct
{
  axs_cli *cli;                 /* the shared options; messages name its command */
  const char *matrix, *id, *markers, *covariates, *cut_spec, *cutpoint, *highlight;
  double minprop, maxprop;
  long top, threads;
  int log2, timing;
} axs_scan_options;

/* The defaults (--top 20, --minprop 0.1, --maxprop 0.9, a thread per core),
   messages through CLI. */
void axs_scan_options_init (axs_scan_options *o, axs_cli *cli);
/* The axs_cli_handler of scan's own options: CTX is an axs_scan_options. */
int axs_scan_option (void *ctx, int code, const char *arg);
/* The checks that need every option seen; a usage error exits 2. */
void axs_scan_options_check (const axs_scan_options *o);

/* A computed scan: the report the writers take, and what it points into. */
typedef struct
{
  axs_scan_report rep;
  double t_cohort, t_features, t_compute;   /* seconds, for --timing */
  /* owned */
  axs_scan_feature *res;
  axs_table *table;
  axs_matrix *m;
  double *mvals;
  char **mnames, **cov, **high;
  size_t nnames, ncov, nhigh;
} axs_scan_run;

/* Read the cohort (and matrix), test every feature, q-values and ranks, and
   warn about --highlight names that are not features.  On an error prints
   the message and exits 1. */
void axs_scan_compute (const axs_scan_options *o, axs_scan_run *run);
void axs_scan_run_free (axs_scan_run *run);

#endif
