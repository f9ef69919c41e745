/* cox_out.c: Cox model results as text, tsv and json. */
#include "output/cox_out.h"
#include "output/json.h"
#include "output/tabular.h"

#include <math.h>

const char *const axs_cox_tables[] = { "terms", "model", "zph", "interaction", NULL };

static int firth (const axs_cox_report *r);

/* ---- the tables ---------------------------------------------------------- */

static const axs_tab_column row_columns[] = {
  { "term", AXS_TAB_TEXT, 0 }, { "coef", AXS_TAB_REAL, 0 },
  { "hr", AXS_TAB_REAL, 0 }, { "se", AXS_TAB_REAL, 0 },
  { "z", AXS_TAB_REAL, 0 }, { "p", AXS_TAB_PVALUE, 3 },
  { "hr_lower", AXS_TAB_REAL, 0 }, { "hr_upper", AXS_TAB_REAL, 0 },
};
enum { NROW_COLUMNS = sizeof row_columns / sizeof *row_columns };

static void
add_row (axs_tab *t, const axs_cox_row *row)
{
  axs_tab_text (t, row->term);
  axs_tab_real (t, row->coef);
  axs_tab_real (t, row->hr);
  axs_tab_real (t, row->se);
  axs_tab_real (t, row->z);
  axs_tab_real (t, row->p);
  axs_tab_real (t, row->hr_lower);
  axs_tab_real (t, row->hr_upper);
}

static axs_tab *
terms_table (const axs_cox_report *r)
{
  /* with Firth the z column gives way to the profile LR statistic */
  axs_tab_column col[NROW_COLUMNS];
  for (int k = 0; k < NROW_COLUMNS; k++)
    col[k] = row_columns[k];
  if (firth (r))
    col[4].name = "chisq";
  axs_tab *t = axs_tab_alloc (NROW_COLUMNS, col);
  for (size_t k = 0; t && k < r->nrow; k++)
    {
      axs_cox_row row = r->row[k];
      if (firth (r))
        row.z = row.chisq;
      add_row (t, &row);
    }
  return t;
}

static axs_tab *
model_table (const axs_cox_report *r)
{
  static const axs_tab_column col[] = {
    { "n", AXS_TAB_INT, 0 }, { "events", AXS_TAB_INT, 0 },
    { "n_excluded", AXS_TAB_INT, 0 },
    { "loglik_null", AXS_TAB_REAL, 8 }, { "loglik", AXS_TAB_REAL, 8 },
    { "lr_chisq", AXS_TAB_REAL, 0 }, { "lr_df", AXS_TAB_INT, 0 },
    { "lr_p", AXS_TAB_PVALUE, 3 },
    { "wald_chisq", AXS_TAB_REAL, 0 }, { "wald_df", AXS_TAB_INT, 0 },
    { "wald_p", AXS_TAB_PVALUE, 3 },
    { "score_chisq", AXS_TAB_REAL, 0 }, { "score_df", AXS_TAB_INT, 0 },
    { "score_p", AXS_TAB_PVALUE, 3 },
    { "concordance", AXS_TAB_REAL, 0 }, { "concordance_se", AXS_TAB_REAL, 0 },
    { "aic", AXS_TAB_REAL, 6 }, { "iterations", AXS_TAB_INT, 0 },
    { "converged", AXS_TAB_TEXT, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  if (!t)
    return NULL;
  axs_tab_int (t, (long long) r->n);
  axs_tab_int (t, (long long) r->nevent);
  axs_tab_int (t, (long long) r->n_excluded);
  axs_tab_real (t, r->loglik_null);
  axs_tab_real (t, r->loglik);
  const axs_cox_test *test[] = { &r->lr, &r->wald, &r->score };
  for (int k = 0; k < 3; k++)
    {
      axs_tab_real (t, test[k]->chisq);
      axs_tab_int (t, test[k]->df);
      axs_tab_real (t, test[k]->p);
    }
  axs_tab_real (t, r->concordance);
  axs_tab_real (t, r->concordance_se);
  axs_tab_real (t, r->aic);
  axs_tab_int (t, r->iterations);
  axs_tab_text (t, r->converged ? "true" : "false");
  return t;
}

static axs_tab *
zph_table (const axs_cox_report *r)
{
  static const axs_tab_column col[] = {
    { "term", AXS_TAB_TEXT, 0 }, { "chisq", AXS_TAB_REAL, 0 },
    { "df", AXS_TAB_INT, 0 }, { "p", AXS_TAB_PVALUE, 3 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (size_t k = 0; t && k < r->nzph; k++)
    {
      axs_tab_text (t, r->zph[k].term);
      axs_tab_real (t, r->zph[k].chisq);
      axs_tab_int (t, r->zph[k].df);
      axs_tab_real (t, r->zph[k].p);
    }
  return t;
}

static axs_tab *
interaction_table (const axs_cox_report *r)
{
  axs_tab_column col[NROW_COLUMNS + 1] = { { "level", AXS_TAB_TEXT, 0 } };
  for (int k = 0; k < NROW_COLUMNS; k++)
    col[k + 1] = row_columns[k];
  axs_tab *t = axs_tab_alloc (NROW_COLUMNS + 1, col);
  for (size_t k = 0; t && k < r->nwithin; k++)
    {
      axs_tab_text (t, r->within[k].level);
      add_row (t, &r->within[k].row);
    }
  return t;
}

static axs_tab *
make_table (const axs_cox_report *r, int table)
{
  switch (table)
    {
    case AXS_COX_TERMS: return terms_table (r);
    case AXS_COX_MODEL: return model_table (r);
    case AXS_COX_ZPH: return zph_table (r);
    default: return interaction_table (r);
    }
}

int
axs_cox_write_tsv (FILE *f, const axs_cox_report *r, int table)
{
  axs_tab *t = make_table (r, table);
  int status = t ? axs_tab_write_tsv (t, f) : -1;
  axs_tab_free (t);
  return status;
}

/* ---- text ------------------------------------------------------------------ */

static int
firth (const axs_cox_report *r)
{
  return r->method && r->method[0] == 'f';
}

static int
write_table_text (FILE *f, axs_tab *t, const char *heading)
{
  if (heading)
    fprintf (f, "\n%s\n", heading);
  int status = t ? axs_tab_write_text (t, f) : -1;
  axs_tab_free (t);
  return status;
}

static void
write_test_text (FILE *f, const char *name, const axs_cox_test *t)
{
  if (isnan (t->chisq))
    fprintf (f, "%-23s not available\n", name);
  else
    fprintf (f, "%-23s chisq %.6g on %d df, p = %.3g\n", name, t->chisq, t->df, t->p);
}

int
axs_cox_write_text (FILE *f, const axs_cox_report *r, int table)
{
  if (table >= 0)
    return write_table_text (f, make_table (r, table), NULL);
  if (firth (r))
    fprintf (f, "Firth-penalised Cox model (Heinze & Schemper 2001), %s ties\n", r->ties);
  else
    fprintf (f, "Cox proportional-hazards model, %s ties\n", r->ties);
  fprintf (f, "endpoint: time '%s', event '%s'\n", r->time, r->event);
  fprintf (f, "patients: %zu analysed, %zu events, %zu left out for a missing value\n",
           r->n, r->nevent, r->n_excluded);
  if (r->strata)
    fprintf (f, "strata:   %s (a baseline hazard for each level)\n", r->strata);

  char heading[160];
  snprintf (heading, sizeof heading, "Terms: hazard ratio (hr) with %g%% %s",
            100 * r->conf_level, firth (r)
            ? "profile-likelihood CI; chisq and p: profile penalised LR test"
            : "CI; z and p: Wald test");
  int status = write_table_text (f, terms_table (r), heading);

  fprintf (f, "\nModel\n");
  fprintf (f, "%-23s null %.10g, fitted %.10g (%d iteration%s%s)\n",
           firth (r) ? "penalised loglik:" : "log-likelihood:", r->loglik_null,
           r->loglik, r->iterations, r->iterations == 1 ? "" : "s",
           r->converged ? "" : ", not converged");
  write_test_text (f, "likelihood-ratio test:", &r->lr);
  write_test_text (f, "Wald test:", &r->wald);
  write_test_text (f, "score (log-rank) test:", &r->score);
  fprintf (f, "%-23s %.4f (se %.4f)\n", "concordance:", r->concordance, r->concordance_se);
  if (!isnan (r->aic))
    fprintf (f, "%-23s %.8g\n", "AIC:", r->aic);

  if (r->nzph)
    status |= write_table_text (f, zph_table (r),
                                "Proportional hazards (cox.zph: scaled Schoenfeld "
                                "residuals against 1 - KM(t))");
  if (r->interaction)
    {
      fprintf (f, "\nInteraction %s\n", r->interaction);
      write_test_text (f, "likelihood-ratio test:", &r->interaction_test);
      if (r->nwithin)
        status |= write_table_text (f, interaction_table (r),
                                    "The biomarker's hazard ratio within each level");
    }
  if (r->nwarning)
    fputc ('\n', f);
  for (size_t k = 0; k < r->nwarning; k++)
    fprintf (f, "warning: %s\n", r->warning[k]);
  return status || ferror (f) ? -1 : 0;
}

/* ---- json ------------------------------------------------------------------ */

static void
write_test_json (axs_json *j, const char *key, const axs_cox_test *t)
{
  if (isnan (t->chisq))
    {
      axs_json_null (j, key);
      return;
    }
  axs_json_begin_row (j, key);
  if (t->term)
    axs_json_string (j, "term", t->term);
  axs_json_number (j, "chisq", t->chisq);
  axs_json_int (j, "df", t->df);
  axs_json_number (j, "p", t->p);
  axs_json_end_object (j);
}

static void
write_row_members (axs_json *j, const axs_cox_report *r, const axs_cox_row *row)
{
  axs_json_string (j, "term", row->term);
  axs_json_number (j, "coef", row->coef);
  axs_json_number (j, "se", row->se);
  axs_json_number (j, "hr", row->hr);
  axs_json_number (j, "hr_lower", row->hr_lower);
  axs_json_number (j, "hr_upper", row->hr_upper);
  axs_json_number (j, "z", row->z);
  axs_json_number (j, "p", row->p);
  if (firth (r))
    axs_json_number (j, "chisq", row->chisq);
  if (row->may_be_infinite)
    axs_json_bool (j, "may_be_infinite", 1);
}

void
axs_cox_write_json (FILE *f, const axs_cox_report *r)
{
  axs_json j;
  axs_json_init (&j, f);
  axs_json_begin_object (&j, NULL);
  axs_json_string (&j, "command", "cox");
  axs_json_string (&j, "method", r->method);
  axs_json_string (&j, "ties", r->ties);
  axs_json_string (&j, "time", r->time);
  axs_json_string (&j, "event", r->event);
  if (r->strata)
    axs_json_string (&j, "strata", r->strata);
  else
    axs_json_null (&j, "strata");
  axs_json_number (&j, "conf_level", r->conf_level);
  axs_json_int (&j, "n", (long long) r->n);
  axs_json_int (&j, "events", (long long) r->nevent);
  axs_json_int (&j, "n_excluded", (long long) r->n_excluded);
  axs_json_begin_array (&j, "terms");
  for (size_t k = 0; k < r->nrow; k++)
    {
      axs_json_begin_row (&j, NULL);
      write_row_members (&j, r, &r->row[k]);
      axs_json_end_object (&j);
    }
  axs_json_end_array (&j);
  axs_json_number (&j, "loglik_null", r->loglik_null);
  axs_json_number (&j, "loglik", r->loglik);
  axs_json_begin_object (&j, "tests");
  write_test_json (&j, "lr", &r->lr);
  write_test_json (&j, "wald", &r->wald);
  write_test_json (&j, "score", &r->score);
  axs_json_end_object (&j);
  axs_json_number (&j, "concordance", r->concordance);
  axs_json_number (&j, "concordance_se", r->concordance_se);
  axs_json_number (&j, "aic", r->aic);
  axs_json_int (&j, "iterations", r->iterations);
  axs_json_bool (&j, "converged", r->converged);
  if (r->nzph)
    {
      axs_json_begin_array (&j, "zph");
      for (size_t k = 0; k < r->nzph; k++)
        write_test_json (&j, NULL, &r->zph[k]);
      axs_json_end_array (&j);
    }
  else
    axs_json_null (&j, "zph");
  if (r->interaction)
    {
      axs_json_begin_object (&j, "interaction");
      axs_json_string (&j, "term", r->interaction);
      axs_cox_test t = r->interaction_test;
      t.term = NULL;
      write_test_json (&j, "lr", &t);
      axs_json_begin_array (&j, "within");
      for (size_t k = 0; k < r->nwithin; k++)
        {
          axs_json_begin_row (&j, NULL);
          axs_json_string (&j, "level", r->within[k].level);
          write_row_members (&j, r, &r->within[k].row);
          axs_json_end_object (&j);
        }
      axs_json_end_array (&j);
      axs_json_end_object (&j);
    }
  axs_json_begin_array (&j, "warnings");
  for (size_t k = 0; k < r->nwarning; k++)
    axs_json_string (&j, NULL, r->warning[k]);
  axs_json_end_array (&j);
  axs_json_end_object (&j);
  axs_json_finish (&j);
}
