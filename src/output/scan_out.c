/* scan_out.c: text, tsv and json of a marker scan. */
#include "output/scan_out.h"
#include "output/json.h"
#include "output/number.h"
#include "output/tabular.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const axs_scan_status_names[] = {
  "ok", "infinite", "not-converged", "constant", "too-few", "no-events",
  "log2-negative"
};

/* ---- the table of all columns (tsv) ---- */

static const axs_tab_column all_columns[] = {
  { "feature", AXS_TAB_TEXT, 0 }, { "status", AXS_TAB_TEXT, 0 },
  { "n", AXS_TAB_INT, 0 }, { "events", AXS_TAB_INT, 0 },
  { "coef", AXS_TAB_REAL, 0 }, { "se", AXS_TAB_REAL, 0 },
  { "hr", AXS_TAB_REAL, 0 }, { "hr_lower", AXS_TAB_REAL, 0 },
  { "hr_upper", AXS_TAB_REAL, 0 }, { "p", AXS_TAB_PVALUE, 0 },
  { "q", AXS_TAB_PVALUE, 0 }, { "rank", AXS_TAB_INT, 0 },
  { "sd", AXS_TAB_REAL, 0 }, { "hr_sd", AXS_TAB_REAL, 0 },
  { "hr_sd_lower", AXS_TAB_REAL, 0 }, { "hr_sd_upper", AXS_TAB_REAL, 0 },
  { "logrank_chisq", AXS_TAB_REAL, 0 }, { "logrank_df", AXS_TAB_INT, 0 },
  { "logrank_p", AXS_TAB_PVALUE, 0 }, { "logrank_q", AXS_TAB_PVALUE, 0 },
  { "cut", AXS_TAB_REAL, 0 }, { "n_high", AXS_TAB_INT, 0 },
  /* with --cutpoint only */
  { "cutpoint", AXS_TAB_REAL, 0 }, { "cutpoint_stat", AXS_TAB_REAL, 0 },
  { "cutpoint_p", AXS_TAB_PVALUE, 0 }, { "cutpoint_q", AXS_TAB_PVALUE, 0 },
  { "cutpoint_n_high", AXS_TAB_INT, 0 },
};
enum { N_BASE_COLUMNS = 22, N_ALL_COLUMNS = 27 };

/* One tsv cell: a double that reads back exactly, or NA. */
static void
tsv_real (FILE *f, double x)
{
  char buf[64];
  putc ('\t', f);
  fputs (isnan (x) ? "NA" : axs_format_double (buf, x), f);
}

static void
tsv_count (FILE *f, size_t x, double test)
{
  if (isnan (test))
    fputs ("\tNA", f);
  else
    fprintf (f, "\t%zu", x);
}

int
axs_scan_write_tsv (FILE *f, const axs_scan_report *r)
{
  /* row by row, the same cells as axs_tab_write_tsv would write */
  size_t ncol = r->cutpoint ? N_ALL_COLUMNS : N_BASE_COLUMNS;
  for (size_t j = 0; j < ncol; j++)
    fprintf (f, "%s%c", all_columns[j].name, j + 1 < ncol ? '\t' : '\n');
  for (size_t i = 0; i < r->nfeat; i++)
    {
      const axs_scan_feature *x = &r->f[i];
      fprintf (f, "%s\t%s\t%zu\t%zu", x->feature, axs_scan_status_names[x->status],
               x->n, x->events);
      tsv_real (f, x->coef);
      tsv_real (f, x->se);
      tsv_real (f, x->hr);
      tsv_real (f, x->hr_lower);
      tsv_real (f, x->hr_upper);
      tsv_real (f, x->p);
      tsv_real (f, x->q);
      tsv_count (f, x->rank, x->rank ? 0.0 : NAN);
      tsv_real (f, x->sd);
      tsv_real (f, x->hr_sd);
      tsv_real (f, x->hr_sd_lower);
      tsv_real (f, x->hr_sd_upper);
      tsv_real (f, x->logrank_chisq);
      tsv_count (f, (size_t) x->logrank_df, x->logrank_chisq);
      tsv_real (f, x->logrank_p);
      tsv_real (f, x->logrank_q);
      tsv_real (f, x->cut);
      tsv_count (f, x->n_high, x->cut);
      if (r->cutpoint)
        {
          tsv_real (f, x->best_cut);
          tsv_real (f, x->best_stat);
          tsv_real (f, x->best_p);
          tsv_real (f, x->best_q);
          tsv_count (f, x->best_n_high, x->best_cut);
        }
      putc ('\n', f);
    }
  return ferror (f) ? -1 : 0;
}

/* ---- json ---- */

static void
json_count (axs_json *j, const char *key, size_t x, double test)
{
  if (isnan (test))
    axs_json_null (j, key);
  else
    axs_json_int (j, key, (long long) x);
}

void
axs_scan_write_json (FILE *f, const axs_scan_report *r)
{
  axs_json j;
  axs_json_init (&j, f);
  axs_json_begin_object (&j, NULL);
  axs_json_string (&j, "command", "scan");
  axs_json_string (&j, "cohort", r->cohort);
  if (r->matrix)
    {
      axs_json_string (&j, "matrix", r->matrix);
      axs_json_string (&j, "id", r->id);
    }
  else
    axs_json_null (&j, "matrix");
  axs_json_string (&j, "time", r->time);
  axs_json_string (&j, "event", r->event);
  axs_json_int (&j, "n_rows", (long long) r->n_rows);
  axs_json_int (&j, "n_subset_out", (long long) r->n_subset_out);
  axs_json_int (&j, "n_excluded", (long long) r->n_excluded);
  if (r->matrix)
    {
      axs_json_int (&j, "n_cohort_only", (long long) r->n_cohort_only);
      axs_json_int (&j, "n_matrix_only", (long long) r->n_matrix_only);
    }
  axs_json_int (&j, "n_patients", (long long) r->n_patients);
  axs_json_int (&j, "n_events", (long long) r->n_events);
  axs_json_begin_array (&j, "covariates");
  for (size_t k = 0; k < r->ncov; k++)
    axs_json_string (&j, NULL, r->covariates[k]);
  axs_json_end_array (&j);
  if (r->strata)
    axs_json_string (&j, "strata", r->strata);
  else
    axs_json_null (&j, "strata");
  axs_json_bool (&j, "log2", r->log2);
  axs_json_string (&j, "cut", r->cut_spec);
  if (r->cutpoint)
    {
      axs_json_string (&j, "cutpoint", r->cutpoint);
      axs_json_number (&j, "minprop", r->minprop);
      axs_json_number (&j, "maxprop", r->maxprop);
    }
  else
    axs_json_null (&j, "cutpoint");
  axs_json_int (&j, "n_features", (long long) r->nfeat);
  axs_json_int (&j, "n_tested", (long long) r->n_tested);
  axs_json_begin_array (&j, "features");
  for (size_t i = 0; i < r->nfeat; i++)
    {
      const axs_scan_feature *x = &r->f[i];
      axs_json_begin_row (&j, NULL);
      axs_json_string (&j, "feature", x->feature);
      axs_json_string (&j, "status", axs_scan_status_names[x->status]);
      axs_json_int (&j, "n", (long long) x->n);
      axs_json_int (&j, "events", (long long) x->events);
      axs_json_number (&j, "coef", x->coef);
      axs_json_number (&j, "se", x->se);
      axs_json_number (&j, "hr", x->hr);
      axs_json_number (&j, "hr_lower", x->hr_lower);
      axs_json_number (&j, "hr_upper", x->hr_upper);
      axs_json_number (&j, "p", x->p);
      axs_json_number (&j, "q", x->q);
      json_count (&j, "rank", x->rank, x->rank ? 0.0 : NAN);
      axs_json_number (&j, "sd", x->sd);
      axs_json_number (&j, "hr_sd", x->hr_sd);
      axs_json_number (&j, "hr_sd_lower", x->hr_sd_lower);
      axs_json_number (&j, "hr_sd_upper", x->hr_sd_upper);
      axs_json_number (&j, "logrank_chisq", x->logrank_chisq);
      json_count (&j, "logrank_df", (size_t) x->logrank_df, x->logrank_chisq);
      axs_json_number (&j, "logrank_p", x->logrank_p);
      axs_json_number (&j, "logrank_q", x->logrank_q);
      axs_json_number (&j, "cut", x->cut);
      json_count (&j, "n_high", x->n_high, x->cut);
      if (r->cutpoint)
        {
          axs_json_number (&j, "cutpoint", x->best_cut);
          axs_json_number (&j, "cutpoint_stat", x->best_stat);
          axs_json_number (&j, "cutpoint_p", x->best_p);
          axs_json_number (&j, "cutpoint_q", x->best_q);
          json_count (&j, "cutpoint_n_high", x->best_n_high, x->best_cut);
        }
      axs_json_end_object (&j);
    }
  axs_json_end_array (&j);
  axs_json_end_object (&j);
  axs_json_finish (&j);
}

/* ---- text ---- */

static const axs_tab_column text_columns[] = {
  { "rank", AXS_TAB_INT, 0 }, { "feature", AXS_TAB_TEXT, 0 },
  { "n", AXS_TAB_INT, 0 }, { "events", AXS_TAB_INT, 0 },
  { "HR", AXS_TAB_REAL, 0 }, { "lower", AXS_TAB_REAL, 0 },
  { "upper", AXS_TAB_REAL, 0 }, { "HR_per_SD", AXS_TAB_REAL, 0 },
  { "p", AXS_TAB_PVALUE, 3 }, { "q", AXS_TAB_PVALUE, 3 },
  { "logrank_p", AXS_TAB_PVALUE, 3 },
  { "cutpoint", AXS_TAB_REAL, 0 }, { "cutpoint_p", AXS_TAB_PVALUE, 3 },
};

static void
text_row (axs_tab *t, const axs_scan_report *r, const axs_scan_feature *x)
{
  axs_tab_real (t, x->rank ? (double) x->rank : NAN);
  axs_tab_text (t, x->feature);
  axs_tab_int (t, (long long) x->n);
  axs_tab_int (t, (long long) x->events);
  axs_tab_real (t, x->hr);
  axs_tab_real (t, x->hr_lower);
  axs_tab_real (t, x->hr_upper);
  axs_tab_real (t, x->hr_sd);
  axs_tab_real (t, x->p);
  axs_tab_real (t, x->q);
  axs_tab_real (t, x->logrank_p);
  if (r->cutpoint)
    {
      axs_tab_real (t, x->best_cut);
      axs_tab_real (t, x->best_p);
    }
}

static int
by_rank (const void *a, const void *b)
{
  const axs_scan_feature *x = *(const axs_scan_feature *const *) a;
  const axs_scan_feature *y = *(const axs_scan_feature *const *) b;
  return (x->rank > y->rank) - (x->rank < y->rank);
}

int
axs_scan_write_text (FILE *f, const axs_scan_report *r)
{
  size_t ncol = r->cutpoint ? 13 : 11;
  fprintf (f, "Marker scan: a Cox model and a log-rank test per feature\n");
  if (r->matrix)
    fprintf (f, "features: %zu rows of %s%s\n", r->nfeat, r->matrix,
             r->log2 ? ", as log2(x + 1)" : "");
  else
    fprintf (f, "features: %zu numeric columns of %s%s\n", r->nfeat, r->cohort,
             r->log2 ? ", as log2(x + 1)" : "");
  fprintf (f, "endpoint: time '%s', event '%s'\n", r->time, r->event);
  fprintf (f, "patients: %zu analysed (%zu events), %zu left out for a missing value\n",
           r->n_patients, r->n_events, r->n_excluded);
  if (r->matrix)
    fprintf (f, "join:     on '%s': %zu in both, %zu only in the cohort, "
             "%zu only in the matrix\n", r->id, r->n_patients, r->n_cohort_only,
             r->n_matrix_only);
  fprintf (f, "Cox:      per unit of the feature, Efron ties");
  if (r->ncov)
    {
      fputs (", adjusted for", f);
      for (size_t k = 0; k < r->ncov; k++)
        fprintf (f, "%s %s", k ? "," : "", r->covariates[k]);
    }
  if (r->strata)
    fprintf (f, ", stratified by %s", r->strata);
  fputc ('\n', f);
  fprintf (f, "log-rank: groups split at the %s of each feature (value <= cut "
           "goes to the lower group)\n", r->cut_spec);
  if (r->cutpoint)
    fprintf (f, "cutpoint: maximally selected log-rank, p by %s, between the %g and "
             "%g quantiles\n", strcmp (r->cutpoint, "lau92") == 0
             ? "Lausen & Schumacher 1992" : "Lausen, Sauerbrei & Schumacher 1994",
             r->minprop, r->maxprop);
  fprintf (f, "q:        Benjamini-Hochberg over the %zu features tested\n",
           r->n_tested);
  size_t untested = r->nfeat - r->n_tested;
  if (untested)
    {
      size_t count[7] = { 0 };
      for (size_t i = 0; i < r->nfeat; i++)
        if (isnan (r->f[i].p))
          count[r->f[i].status]++;
      fprintf (f, "untested: %zu (", untested);
      for (int s = 0, first = 1; s < 7; s++)
        if (count[s])
          {
            fprintf (f, "%s%s %zu", first ? "" : ", ", axs_scan_status_names[s], count[s]);
            first = 0;
          }
      fputs (")\n", f);
    }

  const axs_scan_feature **sorted = malloc ((r->nfeat ? r->nfeat : 1) * sizeof *sorted);
  if (!sorted)
    return -1;
  size_t nrank = 0;
  for (size_t i = 0; i < r->nfeat; i++)
    if (r->f[i].rank)
      sorted[nrank++] = &r->f[i];
  qsort (sorted, nrank, sizeof *sorted, by_rank);

  int status = 0;
  axs_tab *t = axs_tab_alloc (ncol, text_columns);
  size_t top = r->top < nrank ? r->top : nrank;
  for (size_t i = 0; t && i < top; i++)
    text_row (t, r, sorted[i]);
  fprintf (f, "\nTop %zu of %zu features by Cox p (HR per unit, 95%% CI)\n", top,
           nrank);
  status |= t ? axs_tab_write_text (t, f) : -1;
  axs_tab_free (t);
  free (sorted);

  if (r->nhighlight)
    {
      fputs ("\nHighlighted\n", f);
      t = axs_tab_alloc (ncol, text_columns);
      size_t shown = 0;
      for (size_t h = 0; t && h < r->nhighlight; h++)
        for (size_t i = 0; i < r->nfeat; i++)
          if (strcmp (r->f[i].feature, r->highlight[h]) == 0)
            {
              text_row (t, r, &r->f[i]);
              shown++;
            }
      if (shown)
        status |= t ? axs_tab_write_text (t, f) : -1;
      axs_tab_free (t);
      for (size_t h = 0; h < r->nhighlight; h++)
        {
          size_t i = 0;
          while (i < r->nfeat && strcmp (r->f[i].feature, r->highlight[h]) != 0)
            i++;
          if (i == r->nfeat)
            fprintf (f, "%s: not among the features\n", r->highlight[h]);
          else if (!r->f[i].rank)
            fprintf (f, "%s: not tested (%s)\n", r->highlight[h],
                     axs_scan_status_names[r->f[i].status]);
        }
    }
  return status || ferror (f) ? -1 : 0;
}
