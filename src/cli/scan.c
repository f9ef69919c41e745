/* scan.c: axlsurv scan: many markers at once (a genome-wide scan): per
   feature a continuous Cox model, a log-rank test at a split and optionally
   the maximally selected cut, with Benjamini-Hochberg q-values.

   The patients are sorted by time once; each thread owns a workspace and
   takes features in small chunks; every feature is computed on its own and
   written to its own slot, so the result does not depend on --threads. */
#include "cli/scan.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cohort/matrix.h"
#include "output/scan_out.h"
#include "stats/cox.h"
#include "stats/logrank.h"
#include "stats/maxstat.h"
#include "stats/multitest.h"
#include "stats/order.h"
#include "stats/parallel.h"
#include "stats/quantile.h"
#include "stats/status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
  "Usage: axlsurv scan (--matrix FILE --id COL | --markers COLS|all) [OPTIONS] COHORT\n"
  "Rank many markers at once as prognostic factors: for every feature (a gene of\n"
  "an expression matrix, or a numeric column of the cohort) a Cox model on the\n"
  "continuous value, a log-rank test between groups split at its median, and\n"
  "optionally the maximally selected cutpoint; Benjamini-Hochberg q-values.\n"
  "\n"
  AXS_SCAN_USAGE_ANALYSIS
  "Output:\n"
  "  --format FMT          text (default: the best features), tsv or json (every\n"
  "                        feature, in input order)\n"
  "  --table NAME          features (the only table)\n"
  "  --top N               text: show the N features with the smallest p (default 20)\n"
  "  --highlight NAMES     text: also show these features, with their rank\n"
  "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
  AXS_SCAN_USAGE_SPEED
  "  --help                show this help\n";

enum
{
  OPT_MATRIX = 512, OPT_ID, OPT_MARKERS, OPT_LOG2, OPT_COVARIATES, OPT_CUT,
  OPT_CUTPOINT, OPT_MINPROP, OPT_MAXPROP, OPT_TOP, OPT_HIGHLIGHT, OPT_THREADS,
  OPT_TIMING
};

const struct option axs_scan_own_options[] = {
  { "matrix", required_argument, NULL, OPT_MATRIX },
  { "id", required_argument, NULL, OPT_ID },
  { "markers", required_argument, NULL, OPT_MARKERS },
  { "log2", no_argument, NULL, OPT_LOG2 },
  { "covariates", required_argument, NULL, OPT_COVARIATES },
  { "cut", required_argument, NULL, OPT_CUT },
  { "cutpoint", required_argument, NULL, OPT_CUTPOINT },
  { "minprop", required_argument, NULL, OPT_MINPROP },
  { "maxprop", required_argument, NULL, OPT_MAXPROP },
  { "top", required_argument, NULL, OPT_TOP },
  { "highlight", required_argument, NULL, OPT_HIGHLIGHT },
  { "threads", required_argument, NULL, OPT_THREADS },
  { "timing", no_argument, NULL, OPT_TIMING },
  { 0 }
};

void
axs_scan_options_init (axs_scan_options *o, axs_cli *cli)
{
  *o = (axs_scan_options) { .cli = cli, .minprop = 0.1, .maxprop = 0.9, .top = 20,
                            .threads = axs_parallel_threads () };
}

int
axs_scan_option (void *ctx, int code, const char *arg)
{
  axs_scan_options *o = ctx;
  switch (code)
    {
    case OPT_MATRIX: o->matrix = arg; break;
    case OPT_ID: o->id = arg; break;
    case OPT_MARKERS: o->markers = arg; break;
    case OPT_LOG2: o->log2 = 1; break;
    case OPT_COVARIATES: o->covariates = arg; break;
    case OPT_CUT: o->cut_spec = arg; break;
    case OPT_CUTPOINT:
      if (strcmp (arg, "lau94") != 0 && strcmp (arg, "lau92") != 0)
        axs_cli_usage_error (o->cli, "--cutpoint '%s': use lau94 or lau92", arg);
      o->cutpoint = arg;
      break;
    case OPT_MINPROP:
    case OPT_MAXPROP:
      {
        const char *name = code == OPT_MINPROP ? "minprop" : "maxprop";
        double x = axs_cli_number (o->cli, name, arg);
        if (!(x >= 0 && x <= 1))
          axs_cli_usage_error (o->cli, "--%s '%s': must be between 0 and 1", name, arg);
        *(code == OPT_MINPROP ? &o->minprop : &o->maxprop) = x;
      }
      break;
    case OPT_TOP:
      o->top = axs_cli_integer (o->cli, "top", arg, 0, 1000000000L);
      break;
    case OPT_HIGHLIGHT: o->highlight = arg; break;
    case OPT_THREADS:
      o->threads = axs_cli_integer (o->cli, "threads", arg, 1, 1024);
      break;
    case OPT_TIMING: o->timing = 1; break;
    }
  return 0;
}

/* ---- small helpers ---- */

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* Split a comma-separated LIST into new strings; *N gets their count. */
static char **
split_list (const axs_cli *cli, const char *option, const char *list, size_t *n)
{
  *n = 1;
  for (const char *p = list; *p; p++)
    *n += *p == ',';
  char **item = axs_cli_alloc (*n * sizeof *item);
  for (size_t i = 0; i < *n; i++)
    {
      size_t len = strcspn (list, ",");
      if (len == 0)
        axs_cli_usage_error (cli, "--%s '%s': an empty name in the list", option, list);
      if (!(item[i] = strndup (list, len)))
        axs_cli_fail ("out of memory");
      list += len + 1;
    }
  return item;
}

static void
free_list (char **item, size_t n)
{
  for (size_t i = 0; item && i < n; i++)
    free (item[i]);
  free (item);
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* ---- the covariates, coded once ---- */

typedef struct
{
  size_t ncol;               /* coded columns */
  double *x;                 /* n * ncol, design order */
} coded_covariates;

/* Code the covariates NAME[0..k-1] of the N analysed patients: a column
   whose cells are all numbers as it is; any other as dummies of its levels
   but the first in sorted order (axs_levels_sort). */
static void
code_covariates (const axs_table *t, const axs_design *d, char **name, size_t k,
                 coded_covariates *c)
{
  size_t n = d->n;
  c->ncol = 0;
  c->x = NULL;
  size_t cap = 0;
  for (size_t j = 0; j < k; j++)
    {
      long col = axs_table_column (t, name[j]);
      int numeric = 1;
      double v;
      for (size_t i = 0; i < n && numeric; i++)
        numeric = axs_parse_number (axs_table_cell (t, d->row[i], col), &v) == AXS_OK;
      /* the levels, sorted, distinct */
      char **lev = axs_cli_alloc (n * sizeof *lev);
      size_t nlev = 0;
      if (!numeric)
        {
          for (size_t i = 0; i < n; i++)
            lev[i] = (char *) axs_table_cell (t, d->row[i], col);
          qsort (lev, n, sizeof *lev, compare_strings);
          for (size_t i = 0; i < n; i++)
            if (nlev == 0 || strcmp (lev[nlev - 1], lev[i]) != 0)
              lev[nlev++] = lev[i];
          axs_levels_sort (lev, nlev);
        }
      size_t add = numeric ? 1 : nlev - 1;
      if (n == 0 || (!numeric && nlev < 2))
        axs_cli_fail ("%s: covariate '%s' has a single value ('%s') among the %zu "
                      "patients analysed: it cannot adjust anything", t->file,
                      name[j], n ? axs_table_cell (t, d->row[0], col) : "", n);
      if (c->ncol + add > cap)
        {
          size_t ncap = 2 * (c->ncol + add);
          double *x = realloc (c->x, (n ? n : 1) * ncap * sizeof *x);
          if (!x)
            axs_cli_fail ("out of memory");
          /* widen the rows in place, from the last */
          for (size_t i = n; i-- > 0;)
            memmove (x + i * ncap, x + i * cap, c->ncol * sizeof *x);
          c->x = x;
          cap = ncap;
        }
      for (size_t i = 0; i < n; i++)
        {
          const char *cell = axs_table_cell (t, d->row[i], col);
          double *row = c->x + i * cap + c->ncol;
          if (numeric)
            axs_parse_number (cell, &row[0]);
          else
            for (size_t l = 1; l < nlev; l++)
              row[l - 1] = strcmp (cell, lev[l]) == 0;
        }
      c->ncol += add;
      free (lev);
    }
  /* pack the rows to their final width */
  for (size_t i = 0; i < n && cap != c->ncol; i++)
    memmove (c->x + i * c->ncol, c->x + i * cap, c->ncol * sizeof *c->x);
}

/* ---- the computation ---- */

typedef struct
{
  /* the analysed patients, sorted by time */
  size_t n;
  const double *time;
  const int *event;
  const int *strata;
  int nstrata;
  const double *cov;         /* n * ncov */
  size_t ncov;
  /* feature f of patient i is vals[f * stride + src[i]] */
  const double *vals;
  size_t stride;
  const size_t *src;
  /* what to compute */
  const axs_cut *cut;
  int log2;
  int cutpoint;              /* 0 none, 94 or 92 */
  double minprop, maxprop;
  double z975;
  /* the features */
  size_t nfeat;
  axs_scan_feature *out;
  atomic_size_t next;
  atomic_int failed;         /* a kernel ran out of memory */
} scan_job;

typedef struct
{
  double *x, *t, *X, *cuts;
  int *e, *s, *g;
  axs_cox_result *cox;
  axs_maxstat_workspace *mw;
  axs_maxstat_result *mr;
} workspace;

static int
workspace_alloc (workspace *w, const scan_job *job)
{
  size_t n = job->n ? job->n : 1, p = 1 + job->ncov;
  memset (w, 0, sizeof *w);
  w->x = malloc (n * sizeof *w->x);
  w->t = malloc (n * sizeof *w->t);
  w->X = malloc (n * p * sizeof *w->X);
  w->cuts = malloc ((job->cut->n ? job->cut->n : 1) * sizeof *w->cuts);
  w->e = malloc (n * sizeof *w->e);
  w->s = malloc (n * sizeof *w->s);
  w->g = malloc (n * sizeof *w->g);
  if (job->cutpoint)
    {
      w->mw = axs_maxstat_workspace_alloc (n);
      w->mr = axs_maxstat_result_alloc (n);
    }
  return w->x && w->t && w->X && w->cuts && w->e && w->s && w->g
    && (!job->cutpoint || (w->mw && w->mr)) ? AXS_OK : AXS_ENOMEM;
}

static void
workspace_free (workspace *w)
{
  free (w->x);
  free (w->t);
  free (w->X);
  free (w->cuts);
  free (w->e);
  free (w->s);
  free (w->g);
  axs_cox_result_free (w->cox);
  axs_maxstat_workspace_free (w->mw);
  axs_maxstat_result_free (w->mr);
}

/* Feature F: gather the patients with a value, then the tests.  Returns a
   status: only AXS_ENOMEM stops the scan. */
static int
scan_feature (const scan_job *job, workspace *w, size_t f)
{
  axs_scan_feature *r = &job->out[f];
  double nan = NAN;
  r->coef = r->se = r->hr = r->hr_lower = r->hr_upper = r->p = r->q = nan;
  r->sd = r->hr_sd = r->hr_sd_lower = r->hr_sd_upper = nan;
  r->logrank_chisq = r->logrank_p = r->logrank_q = r->cut = nan;
  r->best_cut = r->best_stat = r->best_p = r->best_q = nan;
  r->logrank_df = 0;
  r->n = r->events = r->n_high = r->best_n_high = r->rank = 0;
  r->status = AXS_SCAN_OK;

  const size_t p = 1 + job->ncov;
  const double *v = job->vals + f * job->stride;
  size_t nn = 0, events = 0;
  for (size_t i = 0; i < job->n; i++)
    {
      double x = v[job->src[i]];
      if (isnan (x))
        continue;
      if (job->log2)
        {
          if (x < 0)
            {
              r->status = AXS_SCAN_LOG2_NEGATIVE;
              return AXS_OK;
            }
          x = log2 (x + 1);
        }
      w->x[nn] = x;
      w->t[nn] = job->time[i];
      w->e[nn] = job->event[i];
      if (job->strata)
        w->s[nn] = job->strata[i];
      double *row = w->X + nn * p;
      row[0] = x;
      for (size_t k = 0; k < job->ncov; k++)
        row[1 + k] = job->cov[i * job->ncov + k];
      events += (size_t) job->event[i];
      nn++;
    }
  r->n = nn;
  r->events = events;
  if (nn < 2)
    {
      r->status = AXS_SCAN_TOO_FEW;
      return AXS_OK;
    }
  if (events == 0)
    {
      r->status = AXS_SCAN_NO_EVENTS;
      return AXS_OK;
    }
  double mean = 0, ss = 0;
  for (size_t i = 0; i < nn; i++)
    mean += w->x[i];
  mean /= (double) nn;
  for (size_t i = 0; i < nn; i++)
    ss += (w->x[i] - mean) * (w->x[i] - mean);
  r->sd = sqrt (ss / (double) (nn - 1));
  int constant = 1;
  for (size_t i = 1; i < nn && constant; i++)
    constant = w->x[i] == w->x[0];
  if (constant)
    {
      r->status = AXS_SCAN_CONSTANT;
      r->sd = 0;
      return AXS_OK;
    }

  /* Cox on the continuous value (a result sized for exactly nn patients) */
  if (!w->cox || w->cox->n != nn)
    {
      axs_cox_result_free (w->cox);
      if (!(w->cox = axs_cox_result_alloc (nn, p)))
        return AXS_ENOMEM;
    }
  axs_cox_result *c = w->cox;
  int st = axs_cox_fit (nn, p, w->X, w->t, w->e, job->strata ? w->s : NULL, NULL, c);
  if (st == AXS_ENOMEM)
    return st;
  if (st == AXS_ESINGULAR && c->singular[0])
    r->status = AXS_SCAN_CONSTANT;
  else if (st == AXS_OK || st == AXS_ENOCONV || st == AXS_ESINGULAR)
    {
      r->status = c->may_be_infinite[0] ? AXS_SCAN_INFINITE
        : st == AXS_ENOCONV ? AXS_SCAN_NOT_CONVERGED : AXS_SCAN_OK;
      r->coef = c->coef[0];
      r->se = c->se[0];
      r->hr = c->hr[0];
      r->hr_lower = c->hr_lower[0];
      r->hr_upper = c->hr_upper[0];
      r->p = c->p_value[0];
      r->hr_sd = exp (r->coef * r->sd);
      r->hr_sd_lower = exp ((r->coef - job->z975 * r->se) * r->sd);
      r->hr_sd_upper = exp ((r->coef + job->z975 * r->se) * r->sd);
    }
  else
    r->status = AXS_SCAN_NO_EVENTS;     /* AXS_EDOM: no events in a stratum set */

  /* log-rank at the split */
  const axs_cut *cut = job->cut;
  if (cut->kind == AXS_CUT_VALUES)
    memcpy (w->cuts, cut->at, cut->n * sizeof *w->cuts);
  else if ((st = axs_quantiles (nn, w->x, cut->n, cut->at, w->cuts)) != AXS_OK)
    return st == AXS_ENOMEM ? st : AXS_OK;
  r->cut = w->cuts[0];
  for (size_t i = 0; i < nn; i++)
    {
      int g = 0;
      while ((size_t) g < cut->n && w->x[i] > w->cuts[g])
        g++;
      w->g[i] = g;
      r->n_high += (size_t) g == cut->n;
    }
  axs_logrank_input in = {
    .n = nn, .time = w->t, .event = w->e, .group = w->g, .ngroups = (int) cut->n + 1,
    .strata = job->strata ? w->s : NULL, .nstrata = job->nstrata, .rho = 0,
  };
  axs_logrank_result *lr;
  st = axs_logrank_test (&in, &lr);
  if (st == AXS_ENOMEM)
    return st;
  if (st == AXS_OK)
    {
      r->logrank_chisq = lr->chisq;
      r->logrank_df = lr->df;
      r->logrank_p = lr->p;
      axs_logrank_result_free (lr);
    }

  /* the maximally selected cut */
  if (job->cutpoint)
    {
      st = axs_maxstat_test (nn, w->t, w->e, w->x, job->minprop, job->maxprop,
                             w->mw, w->mr);
      if (st == AXS_ENOMEM)
        return st;
      if (st == AXS_OK)
        {
          r->best_cut = w->mr->cut;
          r->best_stat = w->mr->statistic;
          r->best_p = job->cutpoint == 92 ? w->mr->p_lau92 : w->mr->p_lau94;
          r->best_n_high = w->mr->n_high;
        }
    }
  return AXS_OK;
}

enum { CHUNK = 8 };

/* One of the workers: features in chunks, as many as are left. */
static void
scan_worker (void *arg, size_t k)
{
  (void) k;
  scan_job *job = arg;
  workspace w;
  if (workspace_alloc (&w, job) != AXS_OK)
    atomic_store (&job->failed, 1);
  while (!atomic_load (&job->failed))
    {
      size_t f0 = atomic_fetch_add (&job->next, CHUNK);
      if (f0 >= job->nfeat)
        break;
      size_t f1 = f0 + CHUNK < job->nfeat ? f0 + CHUNK : job->nfeat;
      for (size_t f = f0; f < f1; f++)
        if (scan_feature (job, &w, f) != AXS_OK)
          {
            atomic_store (&job->failed, 1);
            break;
          }
    }
  workspace_free (&w);
}

static void
run_scan (scan_job *job, long threads)
{
  long nt = threads;
  if ((size_t) nt > job->nfeat / CHUNK + 1)
    nt = (long) (job->nfeat / CHUNK + 1);
  axs_parallel_for ((size_t) nt, (int) nt, scan_worker, job);
  if (atomic_load (&job->failed))
    axs_cli_fail ("out of memory");
}

/* q-values of the field at OFFSET (a double) across the features, into QOFF.
   P-values above 1 (Lau94 is not clipped) enter as 1. */
static void
adjust (axs_scan_feature *f, size_t n, size_t poff, size_t qoff)
{
  if (n == 0)
    return;
  double *p = axs_cli_alloc (n * sizeof *p);
  for (size_t i = 0; i < n; i++)
    {
      double x = *(double *) ((char *) &f[i] + poff);
      p[i] = x > 1 ? 1 : x < 0 ? 0 : x;
    }
  double *q = axs_cli_alloc (n * sizeof *q);
  if (axs_p_adjust_bh (n, p, q) != AXS_OK)
    axs_cli_fail ("out of memory");
  for (size_t i = 0; i < n; i++)
    *(double *) ((char *) &f[i] + qoff) = q[i];
  free (p);
  free (q);
}

/* ---- the command ---- */

/* The marker columns: an explicit list, or every column whose analysed
   cells are numbers or missing (and at least one a number). */
static char **
marker_columns (const axs_scan_options *o, const axs_table *t, const axs_design *d,
                const axs_na *na, char **cov, size_t ncov, size_t *n)
{
  if (strcmp (o->markers, "all") != 0)
    return split_list (o->cli, "markers", o->markers, n);   /* freed apart from the list */
  char **name = axs_cli_alloc (t->ncol * sizeof *name);
  *n = 0;
  for (size_t j = 0; j < t->ncol; j++)
    {
      const char *c = t->names[j];
      int skip = strcmp (c, o->cli->time) == 0 || strcmp (c, o->cli->event) == 0
        || (o->id && strcmp (c, o->id) == 0)
        || (o->cli->strata && strcmp (c, o->cli->strata) == 0);
      for (size_t k = 0; k < ncov && !skip; k++)
        skip = strcmp (c, cov[k]) == 0;
      int numbers = 0;
      for (size_t i = 0; i < d->n && !skip; i++)
        {
          const char *cell = axs_table_cell (t, d->row[i], (long) j);
          double x;
          if (axs_na_is_missing (na, cell))
            continue;
          if (axs_parse_number (cell, &x) != AXS_OK)
            skip = 1;
          numbers++;
        }
      if (!skip && numbers)
        name[(*n)++] = strdup (c);
    }
  return name;
}

void
axs_scan_options_check (const axs_scan_options *o)
{
  if (!o->matrix && !o->markers)
    axs_cli_usage_error (o->cli, "what to scan? give --matrix FILE with --id COL, "
                         "or --markers COLS|all");
  if (o->matrix && o->markers)
    axs_cli_usage_error (o->cli, "give either --matrix or --markers, not both");
  if (o->matrix && !o->id)
    axs_cli_usage_error (o->cli, "--matrix needs --id COL, the cohort's column of "
                         "patient ids that head the matrix's columns");
  if (o->id && !o->matrix)
    axs_cli_usage_error (o->cli, "--id goes with --matrix");
  if (!(o->minprop < o->maxprop))
    axs_cli_usage_error (o->cli, "--minprop %g must be below --maxprop %g",
                         o->minprop, o->maxprop);
  if (!o->cutpoint && (o->minprop != 0.1 || o->maxprop != 0.9))
    axs_cli_usage_error (o->cli, "--minprop and --maxprop go with --cutpoint");
  if (o->cut_spec)
    {
      axs_diag d;
      axs_cut cut;
      if (axs_cut_parse (o->cut_spec, &cut, &d) != AXS_OK)
        axs_cli_fail_diag (&d);
      int optimal = cut.kind == AXS_CUT_OPTIMAL;
      axs_cut_free (&cut);
      if (optimal)
        axs_cli_usage_error (o->cli, "--cut optimal: use --cutpoint lau94 for the "
                             "maximally selected cut of each feature");
    }
}

void
axs_scan_compute (const axs_scan_options *o, axs_scan_run *run)
{
  axs_diag d;
  axs_cut cut;
  const char *cut_spec = o->cut_spec ? o->cut_spec : "median";
  if (axs_cut_parse (cut_spec, &cut, &d) != AXS_OK)
    axs_cli_fail_diag (&d);

  size_t ncov = 0, nhigh = 0;
  char **cov = o->covariates ? split_list (o->cli, "covariates", o->covariates, &ncov) : NULL;
  char **high = o->highlight ? split_list (o->cli, "highlight", o->highlight, &nhigh) : NULL;
  size_t nmark_listed = 0;
  char **listed = o->markers && strcmp (o->markers, "all") != 0
    ? split_list (o->cli, "markers", o->markers, &nmark_listed) : NULL;

  /* the cohort: only the columns the scan uses (all of them for --markers all) */
  double t0 = now ();
  axs_na na;
  if (axs_na_init (&na, o->cli->na_list) != AXS_OK)
    axs_cli_fail ("out of memory");
  size_t nkeep = 0;
  const char **keep = axs_cli_alloc ((5 + ncov + nmark_listed + o->cli->nsubset) * sizeof *keep);
  const char *named[] = { o->cli->time, o->cli->event, o->id, o->cli->strata };
  for (size_t k = 0; k < 4; k++)
    if (named[k])
      keep[nkeep++] = named[k];
  for (size_t k = 0; k < ncov; k++)
    keep[nkeep++] = cov[k];
  for (size_t k = 0; k < nmark_listed; k++)
    keep[nkeep++] = listed[k];
  for (size_t k = 0; k < o->cli->nsubset; k++)
    keep[nkeep++] = o->cli->subset[k].column;
  int keep_all = o->markers && !listed;
  axs_read_options ro = { .delimiter = o->cli->delimiter, .keep = keep_all ? NULL : keep,
                          .nkeep = keep_all ? 0 : nkeep };
  axs_table *table;
  if (axs_table_read (o->cli->cohort, &ro, &table, &d) != AXS_OK)
    axs_cli_fail_diag (&d);
  for (size_t k = 0; keep_all && k < nkeep; k++)
    {
      long col;
      if (axs_table_require (table, keep[k], &col, &d) != AXS_OK)
        axs_cli_fail_diag (&d);
    }
  const char **also = axs_cli_alloc ((1 + ncov) * sizeof *also);
  size_t nalso = 0;
  if (o->id)
    also[nalso++] = o->id;
  for (size_t k = 0; k < ncov; k++)
    also[nalso++] = cov[k];
  axs_design_spec spec = {
    .time = o->cli->time, .event = o->cli->event, .event_value = o->cli->event_value,
    .na = &na, .subset = o->cli->subset, .nsubset = o->cli->nsubset,
    .strata = o->cli->strata, .also = also, .nalso = nalso,
    .id = o->id,   /* an id twice in the cohort would make the join ambiguous */
  };
  axs_design design;
  if (axs_design_build (table, &spec, &design, &d) != AXS_OK)
    axs_cli_fail_diag (&d);
  if (design.n_excluded)
    axs_cli_warn ("%s: %zu row%s left out for a missing value", table->file,
                  design.n_excluded, design.n_excluded == 1 ? "" : "s");
  const size_t n = design.n;
  coded_covariates cc;
  code_covariates (table, &design, cov, ncov, &cc);
  double t_cohort = now () - t0;

  /* the features, aligned to the design's patients */
  axs_scan_report rep = {
    .cohort = table->file, .matrix = o->matrix, .id = o->id,
    .time = o->cli->time, .event = o->cli->event, .strata = o->cli->strata,
    .covariates = (const char *const *) cov, .ncov = ncov, .log2 = o->log2,
    .cut_spec = cut_spec, .cutpoint = o->cutpoint,
    .minprop = o->minprop, .maxprop = o->maxprop,
    .n_rows = design.n_rows, .n_excluded = design.n_excluded,
    .n_subset_out = design.n_subset_out,
    .highlight = (const char *const *) high, .nhighlight = nhigh,
    .top = (size_t) o->top,
  };
  axs_matrix *m = NULL;
  double *mvals = NULL;
  char **mnames = NULL;
  size_t nfeat = 0;
  const char **fname;
  const double *vals;
  size_t *src = axs_cli_alloc (n * sizeof *src);
  size_t nan_ = 0;            /* analysed patients */
  t0 = now ();
  if (o->matrix)
    {
      long idcol = axs_table_column (table, o->id);
      const char **ids = axs_cli_alloc (n * sizeof *ids);
      for (size_t i = 0; i < n; i++)
        ids[i] = axs_table_cell (table, design.row[i], idcol);
      axs_matrix_options mo = { 0, &na, ids, n, (int) o->threads };
      if (axs_matrix_read (o->matrix, &mo, &m, &d) != AXS_OK)
        axs_cli_fail_diag (&d);
      free (ids);
      rep.matrix = m->file;
      nfeat = m->nfeat;
      fname = (const char **) m->feature;
      vals = m->value;
      rep.n_cohort_only = n - m->n_joined;
      for (size_t j = 0; j < m->ncol; j++)
        rep.n_matrix_only += m->col_patient[j] < 0;
      if (m->n_joined == 0)
        {
          char a[AXS_DIAG_SHOWN], b[AXS_DIAG_SHOWN];
          axs_cli_fail ("%s: no patient of the cohort heads a column of %s: are the "
                        "ids in '%s' ('%s', ...) spelled as in the matrix header "
                        "('%s', ...)?", table->file, m->file, o->id,
                        n ? axs_diag_shorten (axs_table_cell (table, design.row[0], idcol), a) : "",
                        axs_diag_shorten (m->id[0], b));
        }
      if (rep.n_cohort_only)
        {
          char ex[512] = "";
          for (size_t i = 0, k = 0; i < n && k < 3; i++)
            if (m->patient_col[i] < 0)
              snprintf (ex + strlen (ex), sizeof ex - strlen (ex), "%s%s", k++ ? ", " : "",
                        axs_table_cell (table, design.row[i], idcol));
          axs_cli_warn ("%zu patient%s of %s not in %s (e.g. %s): left out",
                        rep.n_cohort_only, rep.n_cohort_only == 1 ? "" : "s",
                        table->file, m->file, ex);
        }
      if (rep.n_matrix_only)
        {
          char ex[512] = "";
          for (size_t j = 0, k = 0; j < m->ncol && k < 3; j++)
            if (m->col_patient[j] < 0)
              snprintf (ex + strlen (ex), sizeof ex - strlen (ex), "%s%s", k++ ? ", " : "",
                        m->id[j]);
          axs_cli_warn ("%zu column%s of %s not among the patients analysed of %s "
                        "(e.g. %s): left out", rep.n_matrix_only,
                        rep.n_matrix_only == 1 ? "" : "s", m->file, table->file, ex);
        }
      for (size_t i = 0; i < n; i++)
        if (m->patient_col[i] >= 0)
          src[nan_++] = i;
    }
  else
    {
      mnames = marker_columns (o, table, &design, &na, cov, ncov, &nfeat);
      if (nfeat == 0)
        axs_cli_fail ("%s: no numeric column to scan (--markers all leaves out the "
                      "endpoint, --id, --strata and the covariates)", table->file);
      double *x = mvals = axs_cli_alloc (nfeat * (n ? n : 1) * sizeof *mvals);
      for (size_t f = 0; f < nfeat; f++)
        {
          long col;
          if (axs_table_require (table, mnames[f], &col, &d) != AXS_OK)
            axs_cli_fail_diag (&d);
          for (size_t i = 0; i < n; i++, x++)
            {
              const char *cell = axs_table_cell (table, design.row[i], col);
              char shown[AXS_DIAG_SHOWN];
              if (axs_na_is_missing (&na, cell))
                *x = NAN;
              else if (axs_parse_number (cell, x) != AXS_OK)
                axs_cli_fail ("%s:%zu: column '%s': '%s' is not %s", table->file,
                              axs_table_line (table, design.row[i]), mnames[f],
                              axs_diag_shorten (cell, shown),
                              isnan (*x) ? "a number" : "a finite number");
            }
        }
      fname = (const char **) mnames;
      vals = mvals;
      for (size_t i = 0; i < n; i++)
        src[nan_++] = i;
    }
  double t_features = now () - t0;

  /* the analysed patients sorted by time once: the kernels' own sorts then
     run over sorted input */
  t0 = now ();
  double *tm = axs_cli_alloc (nan_ * sizeof *tm);
  int *ev = axs_cli_alloc (nan_ * sizeof *ev);
  int *st = design.strata ? axs_cli_alloc (nan_ * sizeof *st) : NULL;
  double *cv = axs_cli_alloc (nan_ * (cc.ncol ? cc.ncol : 1) * sizeof *cv);
  size_t *ord = axs_cli_alloc (nan_ * sizeof *ord), *srt = axs_cli_alloc (nan_ * sizeof *srt);
  for (size_t k = 0; k < nan_; k++)
    tm[k] = design.time[src[k]];
  if (axs_order (nan_, tm, ord) != AXS_OK)
    axs_cli_fail ("out of memory");
  for (size_t k = 0; k < nan_; k++)
    {
      size_t i = src[ord[k]];
      srt[k] = i;
      tm[k] = design.time[i];
      ev[k] = design.event[i];
      rep.n_events += (size_t) ev[k];
      if (st)
        st[k] = design.strata[i];
      if (cc.ncol)   /* no covariates: cc.x is NULL */
        memcpy (cv + k * cc.ncol, cc.x + i * cc.ncol, cc.ncol * sizeof *cv);
    }
  rep.n_patients = nan_;

  axs_scan_feature *res = axs_cli_alloc (nfeat * sizeof *res);
  scan_job job = {
    .n = nan_, .time = tm, .event = ev, .strata = st,
    .nstrata = design.strata ? (int) design.strata_levels.n : 1,
    .cov = cv, .ncov = cc.ncol, .vals = vals, .stride = n, .src = srt,
    .cut = &cut, .log2 = o->log2,
    .cutpoint = !o->cutpoint ? 0 : strcmp (o->cutpoint, "lau92") == 0 ? 92 : 94,
    .minprop = o->minprop, .maxprop = o->maxprop,
    .z975 = gsl_cdf_ugaussian_Pinv (0.975),
    .nfeat = nfeat, .out = res,
  };
  atomic_init (&job.next, 0);
  atomic_init (&job.failed, 0);
  run_scan (&job, o->threads);
  for (size_t f = 0; f < nfeat; f++)
    res[f].feature = fname[f];

  /* q-values and ranks by Cox p (ties in input order) */
  adjust (res, nfeat, offsetof (axs_scan_feature, p), offsetof (axs_scan_feature, q));
  adjust (res, nfeat, offsetof (axs_scan_feature, logrank_p),
          offsetof (axs_scan_feature, logrank_q));
  if (o->cutpoint)
    adjust (res, nfeat, offsetof (axs_scan_feature, best_p),
            offsetof (axs_scan_feature, best_q));
  double *key = axs_cli_alloc (nfeat * sizeof *key);
  size_t *rk = axs_cli_alloc (nfeat * sizeof *rk);
  for (size_t f = 0; f < nfeat; f++)
    key[f] = isnan (res[f].p) ? 2 : res[f].p;
  if (axs_order (nfeat, key, rk) != AXS_OK)
    axs_cli_fail ("out of memory");
  for (size_t k = 0; k < nfeat; k++)
    if (!isnan (res[rk[k]].p))
      res[rk[k]].rank = ++rep.n_tested;
  free (key);
  free (rk);
  double t_compute = now () - t0;
  rep.nfeat = nfeat;
  rep.f = res;

  for (size_t h = 0; h < nhigh; h++)
    {
      size_t f = 0;
      while (f < nfeat && strcmp (fname[f], high[h]) != 0)
        f++;
      if (f == nfeat)
        axs_cli_warn ("--highlight: no feature '%s'", high[h]);
    }

  run->t_compute = t_compute;
  run->t_cohort = t_cohort;
  run->t_features = t_features;
  run->rep = rep;
  run->res = res;
  run->table = table;
  run->m = m;
  run->mvals = mvals;
  run->mnames = mnames;
  run->nnames = mnames ? nfeat : 0;
  run->cov = cov;
  run->ncov = ncov;
  run->high = high;
  run->nhigh = nhigh;

  free (tm);
  free (ev);
  free (st);
  free (cv);
  free (ord);
  free (srt);
  free (src);
  free (cc.x);
  free (also);
  free (keep);
  axs_design_free (&design);
  axs_na_free (&na);
  axs_cut_free (&cut);
  free_list (listed, nmark_listed);
}

void
axs_scan_run_free (axs_scan_run *run)
{
  free (run->res);
  free (run->mvals);
  free_list (run->mnames, run->nnames);
  axs_matrix_free (run->m);
  axs_table_free (run->table);
  free_list (run->cov, run->ncov);
  free_list (run->high, run->nhigh);
}

int
axs_cmd_scan (int argc, char **argv)
{
  static const char *const tables[] = { "features", NULL };
  axs_cli cli = { .command = "scan", .usage = usage };
  axs_scan_options o;
  axs_scan_options_init (&o, &cli);
  axs_cli_parse (&cli, AXS_SCAN_OPT_GROUPS | AXS_OPT_OUTPUT, axs_scan_own_options,
                 axs_scan_option, &o, 1, argc, argv);
  axs_cli_table_index (&cli, tables);
  axs_scan_options_check (&o);
  axs_scan_run run;
  axs_scan_compute (&o, &run);
  const axs_scan_report rep = run.rep;
  const size_t nfeat = rep.nfeat, nan_ = rep.n_patients;

  double t0 = now ();
  axs_outfile out;
  axs_cli_output_open (o.cli, &out);
  int wst = 0;
  if (o.cli->format == AXS_FORMAT_JSON)
    axs_scan_write_json (out.f, &rep);
  else if (o.cli->format == AXS_FORMAT_TSV)
    wst = axs_scan_write_tsv (out.f, &rep);
  else
    wst = axs_scan_write_text (out.f, &rep);
  if (wst != 0 && !ferror (out.f))
    {
      axs_outfile_discard (&out);
      axs_cli_fail ("out of memory");
    }
  axs_cli_output_commit (o.cli, &out);
  double t_write = now () - t0;
  if (o.timing)
    fprintf (stderr, "axlsurv: timing: cohort %.3f s, %s %.3f s (%zu features x %zu "
             "patients), compute %.3f s (%ld thread%s), write %.3f s\n", run.t_cohort,
             o.matrix ? "matrix" : "markers", run.t_features, nfeat, nan_, run.t_compute,
             o.threads, o.threads == 1 ? "" : "s", t_write);

  axs_scan_run_free (&run);
  axs_cli_free (&cli);
  return AXS_EXIT_OK;
}
