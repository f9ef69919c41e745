/* survival.h: the walk km and logrank share: load the cohort and its groups,
   then test the groups. */
#ifndef AXS_CLI_SURVIVAL_H
#define AXS_CLI_SURVIVAL_H

#include "cli/options.h"
#include "output/km_out.h"

typedef struct
{
  axs_table *table;
  axs_design design;
  axs_km_context context;
  size_t *time_order;           /* the patients by ascending time (stable):
                                   sorted once, read by the estimate and the test */
} axs_survival;

/* Read CLI's cohort with its endpoint, groups and strata into S, and sort
   its patients by time; exits on error. */
void axs_cli_survival_load (axs_cli *cli, axs_survival *s);

/* The G-rho test of S's groups into LR (LR->rho and LR->trend set by the
   caller; stratified when S has strata).  Returns AXS_OK, or AXS_EDOM when
   there is nothing to test (fewer than two groups, or no events), leaving
   LR->r NULL; other failures exit. */
int axs_cli_survival_logrank (const axs_survival *s, axs_logrank_report *lr);

/* The Kaplan-Meier fit of S's groups with IN's options (its data fields are
   set here), and the log-rank test into LR (a warning when there is none);
   exits on failure.  Free with axs_km_result_free and, for LR->r,
   axs_logrank_result_free. */
axs_km_result *axs_cli_survival_km (const axs_survival *s, axs_km_input *in,
                                    axs_logrank_report *lr);

void axs_cli_survival_free (axs_survival *s);

#endif
