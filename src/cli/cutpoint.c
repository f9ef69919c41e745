/* cutpoint.c: axlsurv cutpoint: the best cut of a marker, with p-values
   corrected for the search, its profile, and how stable and how optimistic
   it is (bootstrap of the cut, cross-validated hazard ratio). */
#include "cli/commands.h"
#include "cli/options.h"
#include "output/cutpoint_out.h"
#include "stats/cox.h"
#include "stats/maxstat.h"
#include "stats/parallel.h"
#include "stats/quantile.h"
#include "stats/status.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "Usage: axlsurv cutpoint --marker COL [OPTIONS] COHORT\n"
  "Find the cutpoint of a numeric marker that best separates survival (the\n"
  "maximally selected log-rank statistic, as R's maxstat), with p-values\n"
  "corrected for having searched, the statistic at every candidate cut, a\n"
  "bootstrap interval for the cut and a cross-validated hazard ratio.\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "                        (default: 1, with 0 censored)\n"
  "Marker:\n"
  "  --marker COL          the numeric marker to cut (required); low = marker <= cut\n"
  "  --minprop P           smallest share of patients in the low group (default 0.1)\n"
  "  --maxprop P           largest share of patients in the low group (default 0.9)\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n"
  "                        (repeatable: all must hold)\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Statistics:\n"
  "  --permutations N      also a permutation p-value from N permutations\n"
  "  --bootstrap B         bootstrap the cutpoint B times: its median and interval\n"
  "  --cv K                cross-validated hazard ratio with K folds (2 or more)\n"
  "  --seed S              seed of the permutations, bootstrap and folds\n"
  "                        (default 1: the same run gives the same numbers)\n"
  "  --conf-level L        level of the HR and bootstrap intervals (default 0.95)\n"
  "Output:\n"
  "  --format FMT          text (default), tsv or json (json is what\n"
  "                        --cut-from FILE of km, logrank, cox and plot reads)\n"
  "  --table NAME          summary (default with tsv), profile, bootstrap or folds\n"
  "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
  "  --help                show this help\n";

enum
{
  OPT_MARKER = 512, OPT_MINPROP, OPT_MAXPROP, OPT_PERMUTATIONS, OPT_BOOTSTRAP,
  OPT_CV, OPT_SEED, OPT_CONF_LEVEL
};

static const struct option own_options[] = {
  { "marker", required_argument, NULL, OPT_MARKER },
  { "minprop", required_argument, NULL, OPT_MINPROP },
  { "maxprop", required_argument, NULL, OPT_MAXPROP },
  { "permutations", required_argument, NULL, OPT_PERMUTATIONS },
  { "bootstrap", required_argument, NULL, OPT_BOOTSTRAP },
  { "cv", required_argument, NULL, OPT_CV },
  { "seed", required_argument, NULL, OPT_SEED },
  { "conf-level", required_argument, NULL, OPT_CONF_LEVEL },
  { 0 }
};

enum { DEFAULT_SEED = 1 };

typedef struct
{
  axs_cli cli;
  double minprop, maxprop;
  long permutations, bootstrap, folds;
  unsigned long seed;
  double conf_level;
} cutpoint_options;

static double
proportion (const axs_cli *cli, const char *option, const char *arg)
{
  double x = axs_cli_number (cli, option, arg);
  if (!(x >= 0 && x <= 1))
    axs_cli_usage_error (cli, "--%s '%s': a share of patients, from 0 to 1", option, arg);
  return x;
}

static int
handle (void *ctx, int code, const char *arg)
{
  cutpoint_options *o = ctx;
  switch (code)
    {
    case OPT_MARKER: o->cli.marker = arg; break;
    case OPT_MINPROP: o->minprop = proportion (&o->cli, "minprop", arg); break;
    case OPT_MAXPROP: o->maxprop = proportion (&o->cli, "maxprop", arg); break;
    case OPT_PERMUTATIONS:
      o->permutations = axs_cli_integer (&o->cli, "permutations", arg, 1, 100000000);
      break;
    case OPT_BOOTSTRAP:
      o->bootstrap = axs_cli_integer (&o->cli, "bootstrap", arg, 1, 10000000);
      break;
    case OPT_CV: o->folds = axs_cli_integer (&o->cli, "cv", arg, 2, 1000000); break;
    case OPT_SEED:
      o->seed = (unsigned long) axs_cli_integer (&o->cli, "seed", arg, 1, 4294967295L);
      break;
    case OPT_CONF_LEVEL: o->conf_level = axs_cli_conf_level (&o->cli, arg); break;
    }
  return 0;
}

/* ---- the pieces ------------------------------------------------------------- */

static gsl_rng *
new_rng (unsigned long seed)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  if (!rng)
    axs_cli_fail ("out of memory");
  gsl_rng_set (rng, seed);
  return rng;
}

/* Patients collapsed for the Cox fit of the hazard ratio: in time order,
   one row per time, event and group (high or low) with the number of
   patients it stands for.  A fit of these rows with counts is the fit of
   the patients (axs_cox_options.count), and at 10^6 patients it has a few
   thousand rows. */
typedef struct
{
  size_t n;
  double *time, *high, *count;
  int *event;
} hr_rows;

/* COUNT patients of TIME, EVENT and HIGH after the rows of R (which have
   room), TIME not before theirs: to the row of the same time, event and
   group if there is one (among the last four), else in a new row. */
static void
rows_add (hr_rows *r, double time, int event, double high, double count)
{
  for (size_t k = r->n; k-- > 0 && r->time[k] == time;)
    if (r->event[k] == event && r->high[k] == high)
      {
        r->count[k] += count;
        return;
      }
  r->time[r->n] = time;
  r->event[r->n] = event;
  r->high[r->n] = high;
  r->count[r->n++] = count;
}

/* The Cox hazard ratio of HIGH (0/1) over the rows R into H; NaN fields
   when one group is empty or nobody has an event. */
static void
fit_hr (const hr_rows *r, double conf_level, axs_cutpoint_hr *h)
{
  *h = (axs_cutpoint_hr) { .hr = NAN, .lower = NAN, .upper = NAN, .p = NAN };
  size_t nhigh = 0;
  for (size_t i = 0; i < r->n; i++)
    {
      h->n += (size_t) r->count[i];
      h->events += r->event[i] ? (size_t) r->count[i] : 0;
      nhigh += r->high[i] != 0 ? (size_t) r->count[i] : 0;
    }
  if (h->n == 0 || nhigh == 0 || nhigh == h->n || h->events == 0)
    return;
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.conf_level = conf_level;
  opt.count = r->count;
  axs_cox_result *res = axs_cox_result_alloc (r->n, 1);
  if (!res)
    axs_cli_fail ("out of memory");
  int status = axs_cox_fit (r->n, 1, r->high, r->time, r->event, NULL, &opt, res);
  if (status == AXS_ENOMEM)
    axs_cli_fail ("out of memory");
  if (status == AXS_OK || status == AXS_ENOCONV)
    {
      h->hr = res->hr[0];
      h->lower = res->hr_lower[0];
      h->upper = res->hr_upper[0];
      h->p = res->p_value[0];
      h->may_be_infinite = res->may_be_infinite[0];
    }
  axs_cox_result_free (res);
}

/* The hazard ratio of the patients of D classified by cuts, into H: the
   high group is marker > CUT[FOLD[i]] (FOLD NULL: CUT[0] for everyone), and
   a patient whose cut is NaN is left out.  The patients are collapsed in
   time order OT (stable) on threads, a fixed share of the positions each
   into rows at the share's first position (never more rows than patients),
   then the shares' rows to the front in share order: the rows do not
   depend on the thread count.  Reading the patients through the order is
   what costs: they are prefetched this far ahead. */
enum { COLLAPSE_TASKS = 16, COLLAPSE_AHEAD = 32 };

typedef struct
{
  const axs_design *d;
  const size_t *ot, *fold;
  const double *cut;
  hr_rows share[COLLAPSE_TASKS];
} collapse_job;

static void
collapse_task (void *arg, size_t t)
{
  collapse_job *j = arg;
  const axs_design *d = j->d;
  size_t lo = d->n * t / COLLAPSE_TASKS, hi = d->n * (t + 1) / COLLAPSE_TASKS;
  for (size_t k = lo; k < hi; k++)
    {
      if (k + COLLAPSE_AHEAD < hi)
        {
          size_t a = j->ot[k + COLLAPSE_AHEAD];
          __builtin_prefetch (d->time + a);
          __builtin_prefetch (d->event + a);
          __builtin_prefetch (d->marker + a);
        }
      size_t i = j->ot[k];
      double cut = j->cut[j->fold ? j->fold[i] : 0];
      if (!isnan (cut))
        rows_add (&j->share[t], d->time[i], d->event[i], d->marker[i] > cut, 1);
    }
}

static void
fit_hr_at (const axs_design *d, const size_t *ot, const double *cut,
           const size_t *fold, double conf_level, axs_cutpoint_hr *h)
{
  size_t n = d->n ? d->n : 1;
  hr_rows all = { 0, malloc (n * sizeof *all.time), malloc (n * sizeof *all.high),
                  malloc (n * sizeof *all.count), malloc (n * sizeof *all.event) };
  if (!all.time || !all.high || !all.count || !all.event)
    axs_cli_fail ("out of memory");
  collapse_job j = { d, ot, fold, cut, { { 0 } } };
  for (size_t t = 0; t < COLLAPSE_TASKS; t++)
    {
      size_t lo = d->n * t / COLLAPSE_TASKS;
      j.share[t] = (hr_rows) { 0, all.time + lo, all.high + lo, all.count + lo,
                               all.event + lo };
    }
  axs_parallel_for (COLLAPSE_TASKS, axs_parallel_threads (), collapse_task, &j);
  /* a share's rows start at or after the front's end: moved in place */
  for (size_t t = 0; t < COLLAPSE_TASKS; t++)
    {
      const hr_rows *r = &j.share[t];
      for (size_t k = 0; k < r->n; k++)
        rows_add (&all, r->time[k], r->event[k], r->high[k], r->count[k]);
    }
  fit_hr (&all, conf_level, h);
  free (all.time);
  free (all.high);
  free (all.count);
  free (all.event);
}

/* Each patient's fold, 0..K-1: the patients with an event and the censored
   ones are each shuffled and dealt round the folds in turn, so every fold
   gets its share of events. */
static size_t *
assign_folds (const axs_design *d, size_t k, gsl_rng *rng)
{
  size_t n = d->n, nevent = 0;
  size_t *order = malloc (n * sizeof *order);
  size_t *fold = malloc (n * sizeof *fold);
  if (!order || !fold)
    axs_cli_fail ("out of memory");
  for (size_t i = 0; i < n; i++)
    nevent += (size_t) d->event[i];
  for (size_t i = 0, e = 0, c = nevent; i < n; i++)
    order[d->event[i] ? e++ : c++] = i;
  if (nevent)
    gsl_ran_shuffle (rng, order, nevent, sizeof *order);
  if (n > nevent)
    gsl_ran_shuffle (rng, order + nevent, n - nevent, sizeof *order);
  for (size_t j = 0; j < n; j++)
    fold[order[j]] = j % k;
  free (order);
  return fold;
}

typedef struct
{
  double *cut;                  /* per fold */
  size_t *n, *events;           /* held out, per fold */
} cv_folds;

/* K-fold cross-validated hazard ratio: in each fold the cut is chosen by
   maxstat on the other folds and the held-out patients are classified by
   it; one Cox fit over all held-out patients gives the HR.  OT: the
   patients in time order. */
static void
cross_validate (const cutpoint_options *o, const axs_design *d, const size_t *ot,
                cv_folds *cv, axs_cutpoint_hr *h)
{
  size_t n = d->n, k = (size_t) o->folds;
  gsl_rng *rng = new_rng (o->seed);
  size_t *fold = assign_folds (d, k, rng);
  gsl_rng_free (rng);

  double *ttime = malloc (n * sizeof *ttime), *tmarker = malloc (n * sizeof *tmarker);
  int *tevent = malloc (n * sizeof *tevent);
  cv->cut = malloc (k * sizeof *cv->cut);
  cv->n = calloc (k, sizeof *cv->n);
  cv->events = calloc (k, sizeof *cv->events);
  axs_maxstat_workspace *ws = axs_maxstat_workspace_alloc (n);
  axs_maxstat_result *ms = axs_maxstat_result_alloc (n);
  if (!ttime || !tmarker || !tevent || !cv->cut || !cv->n || !cv->events || !ws
      || !ms)
    axs_cli_fail ("out of memory");

  size_t dropped_folds = 0, dropped = 0;
  for (size_t f = 0; f < k; f++)
    {
      size_t m = 0;
      for (size_t i = 0; i < n; i++)
        if (fold[i] != f)
          {
            ttime[m] = d->time[i];
            tevent[m] = d->event[i];
            tmarker[m++] = d->marker[i];
          }
        else
          {
            cv->n[f]++;
            cv->events[f] += (size_t) d->event[i];
          }
      int status = m ? axs_maxstat_test (m, ttime, tevent, tmarker, o->minprop,
                                         o->maxprop, ws, ms) : AXS_EDOM;
      if (status == AXS_ENOMEM)
        axs_cli_fail ("out of memory");
      cv->cut[f] = status == AXS_OK ? ms->cut : NAN;
      if (status != AXS_OK)
        {
          dropped_folds++;
          dropped += cv->n[f];
        }
    }
  if (dropped_folds)
    axs_cli_warn ("--cv: in %zu of %zu folds the training patients had no cut to "
          "choose; their %zu held-out patients are left out of the "
          "cross-validated HR", dropped_folds, k, dropped);
  /* the held-out patients of the folds with a cut, each by its fold's cut */
  fit_hr_at (d, ot, cv->cut, fold, o->conf_level, h);
  if (isnan (h->hr))
    axs_cli_warn ("--cv: no cross-validated HR: the held-out patients all fell on "
          "one side of their folds' cuts, or had no events");
  else if (h->may_be_infinite)
    axs_cli_warn ("--cv: the cross-validated HR is unbounded: one group of held-out "
          "patients has no events");
  axs_maxstat_result_free (ms);
  axs_maxstat_workspace_free (ws);
  free (fold);
  free (ttime);
  free (tmarker);
  free (tevent);
}

/* B bootstrap cuts, their median, percentile interval and the share equal
   to the chosen cut, into R. */
static double *
bootstrap_cut (const cutpoint_options *o, const axs_design *d,
               axs_maxstat_workspace *ws, axs_cutpoint_report *r)
{
  size_t b = (size_t) o->bootstrap;
  double *cuts = malloc (b * sizeof *cuts), *defined = malloc (b * sizeof *defined);
  if (!cuts || !defined)
    axs_cli_fail ("out of memory");
  gsl_rng *rng = new_rng (o->seed);
  int status = axs_maxstat_bootstrap (d->n, d->time, d->event, d->marker, o->minprop,
                                      o->maxprop, b, rng, ws, cuts, &r->boot_undefined);
  gsl_rng_free (rng);
  if (status != AXS_OK)
    axs_cli_fail ("bootstrap of the cutpoint failed: %s", axs_strerror (status));
  size_t m = 0, same = 0;
  for (size_t k = 0; k < b; k++)
    if (!isnan (cuts[k]))
      {
        defined[m++] = cuts[k];
        same += cuts[k] == r->ms->cut;
      }
  r->boot_median = r->boot_lower = r->boot_upper = r->boot_same = NAN;
  if (m)
    {
      double alpha = 1 - o->conf_level;
      double p[3] = { alpha / 2, 0.5, 1 - alpha / 2 }, q[3];
      if (axs_quantiles (m, defined, 3, p, q) != AXS_OK)
        axs_cli_fail ("out of memory");
      r->boot_lower = q[0];
      r->boot_median = q[1];
      r->boot_upper = q[2];
      r->boot_same = (double) same / (double) m;
    }
  free (defined);
  r->bootstrap = b;
  r->boot_cut = cuts;
  return cuts;
}

/* ---- the command ---------------------------------------------------------------- */

int
axs_cmd_cutpoint (int argc, char **argv)
{
  cutpoint_options o = {
    .cli = { .command = "cutpoint", .usage = usage },
    .minprop = 0.1, .maxprop = 0.9, .seed = DEFAULT_SEED, .conf_level = 0.95,
  };
  axs_cli_parse (&o.cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_OUTPUT,
                 own_options, handle, &o, 1, argc, argv);
  int table = axs_cli_table_index (&o.cli, axs_cutpoint_tables);
  if (!o.cli.marker)
    axs_cli_usage_error (&o.cli, "which marker? give --marker COL");
  if (table == AXS_CUTPOINT_BOOTSTRAP && !o.bootstrap)
    axs_cli_usage_error (&o.cli, "--table bootstrap needs --bootstrap B");
  if (table == AXS_CUTPOINT_FOLDS && !o.folds)
    axs_cli_usage_error (&o.cli, "--table folds needs --cv K");
  if (o.minprop >= o.maxprop)
    axs_cli_usage_error (&o.cli, "--minprop %g must be below --maxprop %g",
                         o.minprop, o.maxprop);

  axs_design_spec spec = { 0 };
  axs_table *t;
  axs_design d;
  axs_cli_load (&o.cli, &spec, &t, &d);
  axs_table_drop_cells (t);     /* the design has all it needs: memory back */
  if (o.folds && (size_t) o.folds > d.n)
    axs_cli_usage_error (&o.cli, "--cv %ld: more folds than the %zu patients analysed",
                         o.folds, d.n);

  axs_maxstat_workspace *ws = axs_maxstat_workspace_alloc (d.n);
  axs_maxstat_result *ms = axs_maxstat_result_alloc (d.n);
  if (!ws || !ms)
    axs_cli_fail ("out of memory");
  int status = axs_maxstat_test (d.n, d.time, d.event, d.marker, o.minprop,
                                 o.maxprop, ws, ms);
  if (status == AXS_EDOM)
    {
      size_t events = 0;
      for (size_t i = 0; i < d.n; i++)
        events += (size_t) d.event[i];
      if (events == 0)
        axs_cli_fail ("%s: no events among the %zu patients analysed: no cutpoint "
                      "to search", t->file, d.n);
      axs_cli_fail ("%s: marker '%s' has no candidate cut: fewer than two distinct "
                    "values between its %g and %g quantiles (--minprop, --maxprop)",
                    t->file, o.cli.marker, o.minprop, o.maxprop);
    }
  if (status != AXS_OK)
    axs_cli_fail ("%s: cutpoint search failed: %s", t->file, axs_strerror (status));
  if (isnan (ms->p_lau92))
    axs_cli_warn ("Lau92 p-value undefined with --minprop 0 or --maxprop 1");

  axs_cutpoint_report r = {
    .time = o.cli.time, .event = o.cli.event, .marker = o.cli.marker,
    .n_used = d.n, .n_excluded = d.n_excluded,
    .minprop = o.minprop, .maxprop = o.maxprop, .ms = ms,
    .p_uncorrected = 2 * gsl_cdf_ugaussian_Q (ms->statistic),
    .seed = o.seed, .conf_level = o.conf_level, .p_perm = NAN,
  };

  if (o.permutations)
    {
      gsl_rng *rng = new_rng (o.seed);
      r.permutations = (size_t) o.permutations;
      status = axs_maxstat_permtest (d.n, d.time, d.event, d.marker, o.minprop,
                                     o.maxprop, r.permutations, rng, ws, &r.p_perm, NULL);
      gsl_rng_free (rng);
      if (status != AXS_OK)
        axs_cli_fail ("permutation test failed: %s", axs_strerror (status));
    }

  fit_hr_at (&d, axs_maxstat_time_order (ws), &ms->cut, NULL, o.conf_level, &r.naive);
  if (r.naive.may_be_infinite)
    axs_cli_warn ("the hazard ratio at the cut is unbounded: one group has no events");

  double *boot = NULL;
  if (o.bootstrap)
    boot = bootstrap_cut (&o, &d, ws, &r);
  if (o.bootstrap && r.boot_undefined)
    axs_cli_warn ("--bootstrap: %zu of %ld resamples had no cut to choose (left out "
          "of the interval)", r.boot_undefined, o.bootstrap);

  cv_folds cv = { 0 };
  if (o.folds)
    {
      /* WS sorted the same patients last (bootstrap and permutations too) */
      cross_validate (&o, &d, axs_maxstat_time_order (ws), &cv, &r.cv);
      r.folds = (size_t) o.folds;
      r.fold_cut = cv.cut;
      r.fold_n = cv.n;
      r.fold_events = cv.events;
    }
  r.warnings = (const char *const *) axs_cli_warnings (&r.nwarnings);

  axs_outfile out;
  axs_cli_output_open (&o.cli, &out);
  if (o.cli.format == AXS_FORMAT_JSON)
    axs_cutpoint_write_json (out.f, &r);
  else if (o.cli.format == AXS_FORMAT_TSV)
    axs_cutpoint_write_tsv (out.f, &r, table);
  else
    axs_cutpoint_write_text (out.f, &r, o.cli.table ? table : -1);
  axs_cli_output_commit (&o.cli, &out);

  free (boot);
  free (cv.cut);
  free (cv.n);
  free (cv.events);
  axs_maxstat_result_free (ms);
  axs_maxstat_workspace_free (ws);
  axs_design_free (&d);
  axs_table_free (t);
  axs_cli_free (&o.cli);
  return AXS_EXIT_OK;
}
