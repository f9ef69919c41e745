/* cutpoint_out.c: a cutpoint search as text, tsv and json. */
#include "output/cutpoint_out.h"
#include "output/json.h"
#include "output/tabular.h"

#include <math.h>

const char *const axs_cutpoint_tables[] = { "summary", "profile", "bootstrap",
                                            "folds", NULL };

/* ---- the tables ---------------------------------------------------------- */

static axs_tab *
summary_table (const axs_cutpoint_report *r)
{
  static const axs_tab_column col[] = {
    { "marker", AXS_TAB_TEXT, 0 }, { "cutpoint", AXS_TAB_REAL, 10 },
    { "statistic", AXS_TAB_REAL, 6 }, { "p_lau92", AXS_TAB_PVALUE, 0 },
    { "p_lau94", AXS_TAB_PVALUE, 0 }, { "p_perm", AXS_TAB_PVALUE, 0 },
    { "p_uncorrected", AXS_TAB_PVALUE, 0 },
    { "n_low", AXS_TAB_INT, 0 }, { "n_high", AXS_TAB_INT, 0 },
    { "events_low", AXS_TAB_INT, 0 }, { "events_high", AXS_TAB_INT, 0 },
    { "n_at_cut", AXS_TAB_INT, 0 }, { "n_candidates", AXS_TAB_INT, 0 },
    { "hr", AXS_TAB_REAL, 0 }, { "hr_lower", AXS_TAB_REAL, 0 },
    { "hr_upper", AXS_TAB_REAL, 0 }, { "cv_hr", AXS_TAB_REAL, 0 },
    { "cv_lower", AXS_TAB_REAL, 0 }, { "cv_upper", AXS_TAB_REAL, 0 },
    { "boot_lower", AXS_TAB_REAL, 0 }, { "boot_upper", AXS_TAB_REAL, 0 },
  };
  const axs_maxstat_result *ms = r->ms;
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  if (!t)
    return NULL;
  axs_tab_text (t, r->marker);
  axs_tab_real (t, ms->cut);
  axs_tab_real (t, ms->statistic);
  axs_tab_real (t, ms->p_lau92);
  axs_tab_real (t, ms->p_lau94);
  axs_tab_real (t, r->permutations ? r->p_perm : NAN);
  axs_tab_real (t, r->p_uncorrected);
  axs_tab_int (t, (long long) ms->n_low);
  axs_tab_int (t, (long long) ms->n_high);
  axs_tab_int (t, (long long) ms->events_low);
  axs_tab_int (t, (long long) ms->events_high);
  axs_tab_int (t, (long long) ms->n_at_cut);
  axs_tab_int (t, (long long) ms->n_cuts);
  axs_tab_real (t, r->naive.hr);
  axs_tab_real (t, r->naive.lower);
  axs_tab_real (t, r->naive.upper);
  axs_tab_real (t, r->folds ? r->cv.hr : NAN);
  axs_tab_real (t, r->folds ? r->cv.lower : NAN);
  axs_tab_real (t, r->folds ? r->cv.upper : NAN);
  axs_tab_real (t, r->bootstrap ? r->boot_lower : NAN);
  axs_tab_real (t, r->bootstrap ? r->boot_upper : NAN);
  return t;
}

static axs_tab *
profile_table (const axs_cutpoint_report *r)
{
  static const axs_tab_column col[] = {
    { "cutpoint", AXS_TAB_REAL, 10 }, { "statistic", AXS_TAB_REAL, 6 },
    { "n_low", AXS_TAB_INT, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (size_t k = 0; t && k < r->ms->n_cuts; k++)
    {
      axs_tab_real (t, r->ms->profile_cut[k]);
      axs_tab_real (t, r->ms->profile_stat[k]);
      axs_tab_int (t, (long long) r->ms->profile_n_low[k]);
    }
  return t;
}

static axs_tab *
bootstrap_table (const axs_cutpoint_report *r)
{
  static const axs_tab_column col[] = {
    { "replicate", AXS_TAB_INT, 0 }, { "cutpoint", AXS_TAB_REAL, 10 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (size_t b = 0; t && b < r->bootstrap; b++)
    {
      axs_tab_int (t, (long long) b + 1);
      axs_tab_real (t, r->boot_cut[b]);
    }
  return t;
}

static axs_tab *
folds_table (const axs_cutpoint_report *r)
{
  static const axs_tab_column col[] = {
    { "fold", AXS_TAB_INT, 0 }, { "n", AXS_TAB_INT, 0 },
    { "events", AXS_TAB_INT, 0 }, { "cutpoint", AXS_TAB_REAL, 10 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (size_t k = 0; t && k < r->folds; k++)
    {
      axs_tab_int (t, (long long) k + 1);
      axs_tab_int (t, (long long) r->fold_n[k]);
      axs_tab_int (t, (long long) r->fold_events[k]);
      axs_tab_real (t, r->fold_cut[k]);
    }
  return t;
}

static axs_tab *
make_table (const axs_cutpoint_report *r, int table)
{
  switch (table)
    {
    case AXS_CUTPOINT_PROFILE: return profile_table (r);
    case AXS_CUTPOINT_BOOTSTRAP: return bootstrap_table (r);
    case AXS_CUTPOINT_FOLDS: return folds_table (r);
    default: return summary_table (r);
    }
}

int
axs_cutpoint_write_tsv (FILE *f, const axs_cutpoint_report *r, int table)
{
  axs_tab *t = make_table (r, table);
  int status = t ? axs_tab_write_tsv (t, f) : -1;
  axs_tab_free (t);
  return status;
}

/* ---- text ------------------------------------------------------------------ */

/* "1.43 (0.99 to 2.06), p = 0.05" or why there is none. */
static void
write_hr_text (FILE *f, const axs_cutpoint_hr *h)
{
  if (isnan (h->hr))
    fputs ("not estimable (one group is empty)", f);
  else if (h->may_be_infinite)
    fprintf (f, "%.3g, unbounded: a group has no events", h->hr);
  else
    fprintf (f, "%.3g (%.3g to %.3g), p = %.3g", h->hr, h->lower, h->upper, h->p);
  fprintf (f, "; %zu patients, %zu events\n", h->n, h->events);
}

/* An approximate p-value; like R, Lau92 and Lau94 are not clipped to 1. */
static void
write_p_text (FILE *f, const char *label, double p)
{
  fprintf (f, "  %-46s %.4g%s\n", label, p,
           p > 1 ? " (above 1: the approximation says nothing; read p = 1)" : "");
}

static const char *
plural (size_t n)
{
  return n == 1 ? "" : "s";
}

int
axs_cutpoint_write_text (FILE *f, const axs_cutpoint_report *r, int table)
{
  if (table >= 0)
    {
      axs_tab *t = make_table (r, table);
      int status = t ? axs_tab_write_text (t, f) : -1;
      axs_tab_free (t);
      return status;
    }
  const axs_maxstat_result *ms = r->ms;
  fputs ("Cutpoint search: maximally selected log-rank statistic\n", f);
  fprintf (f, "endpoint: time '%s', event '%s'\n", r->time, r->event);
  fprintf (f, "patients: %zu analysed (%zu events), %zu left out for a missing value\n",
           r->n_used, ms->events, r->n_excluded);
  fprintf (f, "marker:   %s: %zu candidate cut%s, the observed values from the %g "
           "to the %g quantile\n", r->marker, ms->n_cuts, plural (ms->n_cuts),
           r->minprop, r->maxprop);
  fprintf (f, "          (low = marker <= cut, high = marker > cut; tied values "
           "are never split)\n");

  fprintf (f, "\ncutpoint:  %.10g (%zu patient%s ha%s exactly this value)\n", ms->cut,
           ms->n_at_cut, plural (ms->n_at_cut), ms->n_at_cut == 1 ? "s" : "ve");
  fprintf (f, "statistic: %.6g, the largest standardized log-rank statistic over "
           "the candidates\n\n", ms->statistic);
  static const axs_tab_column col[] = {
    { "group", AXS_TAB_TEXT, 0 }, { "n", AXS_TAB_INT, 0 }, { "events", AXS_TAB_INT, 0 },
  };
  axs_tab *t = axs_tab_alloc (3, col);
  if (t)
    {
      axs_tab_text (t, "low");
      axs_tab_int (t, (long long) ms->n_low);
      axs_tab_int (t, (long long) ms->events_low);
      axs_tab_text (t, "high");
      axs_tab_int (t, (long long) ms->n_high);
      axs_tab_int (t, (long long) ms->events_high);
    }
  int status = t ? axs_tab_write_text (t, f) : -1;
  axs_tab_free (t);

  fputs ("\nP-values corrected for the search over cuts:\n", f);
  write_p_text (f, "Lau92 (Lausen & Schumacher 1992)", ms->p_lau92);
  write_p_text (f, "Lau94 (Lausen, Sauerbrei & Schumacher 1994)", ms->p_lau94);
  char label[128];
  snprintf (label, sizeof label, "permutation (%zu, seed %lu)", r->permutations,
            r->seed);
  if (r->permutations)
    fprintf (f, "  %-46s %.4g\n", label, r->p_perm);
  else
    fprintf (f, "  %-46s %s\n", "permutation", "not run (--permutations N)");
  fprintf (f, "Uncorrected log-rank p at this cut: %.3g (not valid: the cut was "
           "chosen to make it small)\n", r->p_uncorrected);

  fprintf (f, "\nHazard ratio, high vs low (%g%% CI, Cox):\n", 100 * r->conf_level);
  fputs ("  naive, cut chosen on the same patients (optimistic): ", f);
  write_hr_text (f, &r->naive);
  if (r->folds)
    {
      fprintf (f, "  cross-validated, %zu folds (seed %lu): ", r->folds, r->seed);
      write_hr_text (f, &r->cv);
    }
  if (r->bootstrap)
    {
      size_t defined = r->bootstrap - r->boot_undefined;
      fprintf (f, "\nBootstrap of the cutpoint (%zu resample%s, seed %lu):\n",
               r->bootstrap, plural (r->bootstrap), r->seed);
      if (defined)
        fprintf (f, "  median %.6g, %g%% interval %.6g to %.6g; %.3g%% of resamples "
                 "choose %.10g\n", r->boot_median, 100 * r->conf_level, r->boot_lower,
                 r->boot_upper, 100 * r->boot_same, ms->cut);
      if (r->boot_undefined)
        fprintf (f, "  %zu resample%s had no cut to choose\n", r->boot_undefined,
                 plural (r->boot_undefined));
    }
  fprintf (f, "\n(the statistic at each candidate cut: --table profile)\n");
  if (ferror (f))
    status = -1;
  return status;
}

/* ---- json ------------------------------------------------------------------ */

static void
write_hr_json (axs_json *j, const char *key, const axs_cutpoint_hr *h)
{
  axs_json_begin_object (j, key);
  axs_json_int (j, "n", (long long) h->n);
  axs_json_int (j, "events", (long long) h->events);
  axs_json_number (j, "hr", h->hr);
  axs_json_number (j, "lower", h->lower);
  axs_json_number (j, "upper", h->upper);
  axs_json_number (j, "p", h->p);
  axs_json_bool (j, "may_be_infinite", h->may_be_infinite);
  axs_json_end_object (j);
}

void
axs_cutpoint_write_json (FILE *f, const axs_cutpoint_report *r)
{
  const axs_maxstat_result *ms = r->ms;
  axs_json j;
  axs_json_init (&j, f);
  axs_json_begin_object (&j, NULL);
  axs_json_string (&j, "command", "cutpoint");
  axs_json_string (&j, "time", r->time);
  axs_json_string (&j, "event", r->event);
  axs_json_int (&j, "n_used", (long long) r->n_used);
  axs_json_int (&j, "n_excluded", (long long) r->n_excluded);
  axs_json_int (&j, "events", (long long) ms->events);
  axs_json_string (&j, "marker", r->marker);
  axs_json_number (&j, "minprop", r->minprop);
  axs_json_number (&j, "maxprop", r->maxprop);
  axs_json_number (&j, "cutpoint", ms->cut);
  axs_json_number (&j, "statistic", ms->statistic);
  axs_json_number (&j, "p_lau92", ms->p_lau92);
  axs_json_number (&j, "p_lau94", ms->p_lau94);
  if (r->permutations)
    axs_json_number (&j, "p_perm", r->p_perm);
  else
    axs_json_null (&j, "p_perm");
  axs_json_int (&j, "permutations", (long long) r->permutations);
  axs_json_int (&j, "seed", (long long) r->seed);
  axs_json_number (&j, "p_uncorrected", r->p_uncorrected);
  axs_json_int (&j, "n_low", (long long) ms->n_low);
  axs_json_int (&j, "n_high", (long long) ms->n_high);
  axs_json_int (&j, "events_low", (long long) ms->events_low);
  axs_json_int (&j, "events_high", (long long) ms->events_high);
  axs_json_int (&j, "n_at_cut", (long long) ms->n_at_cut);
  axs_json_int (&j, "n_candidates", (long long) ms->n_cuts);
  axs_json_number (&j, "conf_level", r->conf_level);
  write_hr_json (&j, "hr", &r->naive);

  if (r->folds)
    {
      axs_json_begin_object (&j, "cv");
      axs_json_int (&j, "folds", (long long) r->folds);
      axs_json_string (&j, "pooling", "one Cox fit over all held-out patients");
      write_hr_json (&j, "hr", &r->cv);
      axs_json_begin_array (&j, "fold_cuts");
      for (size_t k = 0; k < r->folds; k++)
        {
          axs_json_begin_row (&j, NULL);
          axs_json_int (&j, "fold", (long long) k + 1);
          axs_json_int (&j, "n", (long long) r->fold_n[k]);
          axs_json_int (&j, "events", (long long) r->fold_events[k]);
          axs_json_number (&j, "cutpoint", r->fold_cut[k]);
          axs_json_end_object (&j);
        }
      axs_json_end_array (&j);
      axs_json_end_object (&j);
    }
  else
    axs_json_null (&j, "cv");

  if (r->bootstrap)
    {
      axs_json_begin_object (&j, "bootstrap");
      axs_json_int (&j, "replicates", (long long) r->bootstrap);
      axs_json_int (&j, "undefined", (long long) r->boot_undefined);
      axs_json_number (&j, "median", r->boot_median);
      axs_json_number (&j, "lower", r->boot_lower);
      axs_json_number (&j, "upper", r->boot_upper);
      axs_json_number (&j, "share_same_cut", r->boot_same);
      axs_json_begin_array (&j, "cuts");
      for (size_t b = 0; b < r->bootstrap; b++)
        axs_json_number (&j, NULL, r->boot_cut[b]);
      axs_json_end_array (&j);
      axs_json_end_object (&j);
    }
  else
    axs_json_null (&j, "bootstrap");

  axs_json_begin_array (&j, "warnings");
  for (size_t k = 0; k < r->nwarnings; k++)
    axs_json_string (&j, NULL, r->warnings[k]);
  axs_json_end_array (&j);

  axs_json_begin_array (&j, "profile");
  for (size_t k = 0; k < ms->n_cuts; k++)
    {
      axs_json_begin_row (&j, NULL);
      axs_json_number (&j, "cutpoint", ms->profile_cut[k]);
      axs_json_number (&j, "statistic", ms->profile_stat[k]);
      axs_json_int (&j, "n_low", (long long) ms->profile_n_low[k]);
      axs_json_end_object (&j);
    }
  axs_json_end_array (&j);
  axs_json_end_object (&j);
  axs_json_finish (&j);
}
