/* survival.c: loading a grouped cohort and testing its groups. */
#include "cli/survival.h"
#include "stats/order.h"
#include "stats/status.h"

#include <math.h>
#include <stdlib.h>

void
axs_cli_survival_load (axs_cli *cli, axs_survival *s)
{
  axs_design_spec spec = { 0 };
  axs_cli_load (cli, &spec, &s->table, &s->design);
  const axs_design *d = &s->design;
  s->context = (axs_km_context) {
    .time = cli->time, .event = cli->event,
    .n_used = d->n, .n_excluded = d->n_excluded,
    .group_by = cli->group ? cli->group : cli->marker,
    .group_names = d->group ? d->groups.name : NULL,
    .ngroups = d->group ? (int) d->groups.n : 1,
    .cuts = d->cuts, .ncuts = d->ncuts,
    .strata = cli->strata,
  };
  s->time_order = axs_cli_alloc (d->n * sizeof *s->time_order);
  if (axs_order (d->n, d->time, s->time_order) != AXS_OK)
    axs_cli_fail ("out of memory");
}

int
axs_cli_survival_logrank (const axs_survival *s, axs_logrank_report *lr)
{
  const axs_design *d = &s->design;
  lr->r = NULL;
  if (!d->group || d->groups.n < 2)
    return AXS_EDOM;
  axs_logrank_input in = {
    .n = d->n, .time = d->time, .event = d->event,
    .group = d->group, .ngroups = (int) d->groups.n,
    .strata = d->strata, .nstrata = d->strata ? (int) d->strata_levels.n : 1,
    .rho = lr->rho, .time_order = s->time_order,
  };
  axs_logrank_result *r;
  int status = axs_logrank_test (&in, &r);
  if (status == AXS_EDOM)
    return status;
  if (status != AXS_OK)
    axs_cli_fail ("%s: log-rank test failed: %s", s->table->file, axs_strerror (status));
  lr->r = r;
  if (lr->trend)
    {
      double u, var;
      if (axs_logrank_trend (r, NULL, &u, &var, &lr->trend_chisq, &lr->trend_p) != AXS_OK)
        lr->trend_chisq = lr->trend_p = NAN;
    }
  return AXS_OK;
}

axs_km_result *
axs_cli_survival_km (const axs_survival *s, axs_km_input *in, axs_logrank_report *lr)
{
  const axs_design *d = &s->design;
  in->n = d->n;
  in->time = d->time;
  in->event = d->event;
  in->group = d->group;
  in->ngroups = d->group ? (int) d->groups.n : 1;
  in->time_order = s->time_order;
  axs_km_result *km;
  int status = axs_km_fit (in, &km);
  if (status != AXS_OK)
    axs_cli_fail ("%s: Kaplan-Meier estimate failed: %s", s->table->file,
                  axs_strerror (status));
  if (axs_cli_survival_logrank (s, lr) != AXS_OK && d->group)
    axs_cli_warn ("%s: no log-rank test: fewer than two groups have events "
                  "in their risk sets", s->table->file);
  return km;
}

void
axs_cli_survival_free (axs_survival *s)
{
  free (s->time_order);
  axs_design_free (&s->design);
  axs_table_free (s->table);
}
