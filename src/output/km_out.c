/* km_out.c: Kaplan–Meier and log-rank results as text, tsv and json. */
#include "output/km_out.h"
#include "output/tabular.h"

#include <math.h>
#include <string.h>

const char *const axs_km_tables[] = { "summary", "curve", "landmarks", "test", NULL };

static const char *
conf_type_name (axs_km_conf_type t)
{
  return t == AXS_KM_CONF_LOGLOG ? "log-log" : t == AXS_KM_CONF_PLAIN ? "plain" : "log";
}

static const char *
group_name (const axs_km_context *c, int g)
{
  return c->group_names ? c->group_names[g] : "all";
}

/* ---- the tables ---------------------------------------------------------- */

static axs_tab *
summary_table (const axs_km_context *c, const axs_km_result *km)
{
  static const axs_tab_column col[] = {
    { "group", AXS_TAB_TEXT, 0 }, { "n", AXS_TAB_INT, 0 }, { "events", AXS_TAB_INT, 0 },
    { "median", AXS_TAB_REAL, 0 }, { "median_lower", AXS_TAB_REAL, 0 },
    { "median_upper", AXS_TAB_REAL, 0 }, { "rmst", AXS_TAB_REAL, 0 },
    { "rmst_se", AXS_TAB_REAL, 0 }, { "rmst_tau", AXS_TAB_REAL, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (int g = 0; t && g < km->ngroups; g++)
    {
      const axs_km_curve *k = &km->curves[g];
      axs_tab_text (t, group_name (c, g));
      axs_tab_int (t, (long long) k->n);
      axs_tab_int (t, (long long) k->events);
      axs_tab_real (t, k->median);
      axs_tab_real (t, k->median_lower);
      axs_tab_real (t, k->median_upper);
      axs_tab_real (t, k->rmst);
      axs_tab_real (t, k->rmst_se);
      axs_tab_real (t, km->tau);
    }
  return t;
}

/* The curve of group G, or of every group when G < 0. */
static axs_tab *
curve_table (const axs_km_context *c, const axs_km_result *km, int g)
{
  static const axs_tab_column col[] = {
    { "group", AXS_TAB_TEXT, 0 }, { "time", AXS_TAB_REAL, 6 },
    { "n_risk", AXS_TAB_INT, 0 }, { "n_event", AXS_TAB_INT, 0 },
    { "n_censor", AXS_TAB_INT, 0 }, { "surv", AXS_TAB_REAL, 0 },
    { "std_err", AXS_TAB_REAL, 0 }, { "lower", AXS_TAB_REAL, 0 },
    { "upper", AXS_TAB_REAL, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (int h = g < 0 ? 0 : g; t && h < (g < 0 ? km->ngroups : g + 1); h++)
    for (size_t i = 0; i < km->curves[h].nrows; i++)
      {
        const axs_km_row *r = &km->curves[h].rows[i];
        axs_tab_text (t, group_name (c, h));
        axs_tab_real (t, r->time);
        axs_tab_int (t, (long long) r->n_risk);
        axs_tab_int (t, (long long) r->n_event);
        axs_tab_int (t, (long long) r->n_censor);
        axs_tab_real (t, r->surv);
        axs_tab_real (t, r->std_err);
        axs_tab_real (t, r->lower);
        axs_tab_real (t, r->upper);
      }
  return t;
}

static axs_tab *
landmark_table (const axs_km_context *c, const axs_km_result *km)
{
  static const axs_tab_column col[] = {
    { "group", AXS_TAB_TEXT, 0 }, { "time", AXS_TAB_REAL, 6 },
    { "n_risk", AXS_TAB_INT, 0 }, { "surv", AXS_TAB_REAL, 0 },
    { "std_err", AXS_TAB_REAL, 0 }, { "lower", AXS_TAB_REAL, 0 },
    { "upper", AXS_TAB_REAL, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (int g = 0; t && g < km->ngroups; g++)
    for (size_t i = 0; i < km->nlandmarks; i++)
      {
        const axs_km_landmark *l = &km->curves[g].landmarks[i];
        axs_tab_text (t, group_name (c, g));
        axs_tab_real (t, l->time);
        axs_tab_int (t, (long long) l->n_risk);
        /* beyond the last follow-up the curve is unknown, as R says by
           leaving the time out */
        axs_tab_real (t, l->beyond_end ? NAN : l->surv);
        axs_tab_real (t, l->beyond_end ? NAN : l->std_err);
        axs_tab_real (t, l->beyond_end ? NAN : l->lower);
        axs_tab_real (t, l->beyond_end ? NAN : l->upper);
      }
  return t;
}

static axs_tab *
test_table (const axs_km_context *c, const axs_logrank_report *lr)
{
  static const axs_tab_column col[] = {
    { "group", AXS_TAB_TEXT, 0 }, { "n", AXS_TAB_INT, 0 },
    { "observed", AXS_TAB_REAL, 6 }, { "expected", AXS_TAB_REAL, 6 },
    { "chisq", AXS_TAB_REAL, 0 }, { "df", AXS_TAB_INT, 0 }, { "p", AXS_TAB_PVALUE, 0 },
  };
  axs_tab *t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (int g = 0; t && lr->r && g < lr->r->ngroups; g++)
    {
      axs_tab_text (t, group_name (c, g));
      axs_tab_int (t, (long long) lr->r->n[g]);
      axs_tab_real (t, lr->r->observed[g]);
      axs_tab_real (t, lr->r->expected[g]);
      axs_tab_real (t, lr->r->chisq);
      axs_tab_int (t, lr->r->df);
      axs_tab_real (t, lr->r->p);
    }
  return t;
}

static axs_tab *
make_table (const axs_km_context *c, const axs_km_result *km,
            const axs_logrank_report *lr, int table)
{
  switch (table)
    {
    case AXS_KM_SUMMARY: return summary_table (c, km);
    case AXS_KM_CURVE: return curve_table (c, km, -1);
    case AXS_KM_LANDMARKS: return landmark_table (c, km);
    default: return test_table (c, lr);
    }
}

int
axs_km_write_tsv (FILE *f, const axs_km_context *c, const axs_km_result *km,
                  const axs_logrank_report *lr, int table)
{
  axs_tab *t = make_table (c, km, lr, table);
  int status = t ? axs_tab_write_tsv (t, f) : -1;
  axs_tab_free (t);
  return status;
}

/* ---- text ------------------------------------------------------------------ */

void
axs_km_write_context_text (FILE *f, const char *title, const axs_km_context *c)
{
  fprintf (f, "%s\n", title);
  fprintf (f, "endpoint: time '%s', event '%s'\n", c->time, c->event);
  fprintf (f, "patients: %zu analysed, %zu left out for a missing value\n",
           c->n_used, c->n_excluded);
  if (c->group_by)
    {
      fprintf (f, "groups:   %s:", c->group_by);
      for (int g = 0; g < c->ngroups; g++)
        fprintf (f, " %s", c->group_names[g]);
      if (c->ncuts)
        {
          fputs (" (marker <= cut goes to the lower group; cut", f);
          for (size_t k = 0; k < c->ncuts; k++)
            fprintf (f, "%s %.10g", k ? "," : "", c->cuts[k]);
          fputc (')', f);
        }
      fputc ('\n', f);
    }
  if (c->strata)
    fprintf (f, "strata:   %s\n", c->strata);
}

static void
write_test_text (FILE *f, const axs_km_context *c, const axs_logrank_report *lr)
{
  if (!lr->r)
    return;
  fprintf (f, "\n%s test (rho = %g): chisq %.4g on %d df, p = %.3g%s\n",
           lr->rho == 0 ? "Log-rank" : "G-rho", lr->rho, lr->r->chisq, lr->r->df,
           lr->r->p, c->strata ? " (stratified)" : "");
  if (lr->trend)
    fprintf (f, "test for trend: chisq %.4g on 1 df, p = %.3g\n", lr->trend_chisq,
             lr->trend_p);
  axs_tab *t = test_table (c, lr);
  static const axs_tab_column col[] = {
    { "group", AXS_TAB_TEXT, 0 }, { "n", AXS_TAB_INT, 0 },
    { "observed", AXS_TAB_REAL, 6 }, { "expected", AXS_TAB_REAL, 6 },
    { "(O-E)^2/E", AXS_TAB_REAL, 0 },
  };
  axs_tab_free (t);
  t = axs_tab_alloc (sizeof col / sizeof *col, col);
  for (int g = 0; t && g < lr->r->ngroups; g++)
    {
      double o = lr->r->observed[g], e = lr->r->expected[g];
      axs_tab_text (t, group_name (c, g));
      axs_tab_int (t, (long long) lr->r->n[g]);
      axs_tab_real (t, o);
      axs_tab_real (t, e);
      axs_tab_real (t, e > 0 ? (o - e) * (o - e) / e : NAN);
    }
  if (t)
    axs_tab_write_text (t, f);
  axs_tab_free (t);
}

static int
write_one_text (FILE *f, axs_tab *t, const char *heading)
{
  if (heading)
    fprintf (f, "\n%s\n", heading);
  int status = t ? axs_tab_write_text (t, f) : -1;
  axs_tab_free (t);
  return status;
}

int
axs_km_write_text (FILE *f, const axs_km_context *c, const axs_km_result *km,
                   const axs_logrank_report *lr, int table)
{
  if (table >= 0)
    return write_one_text (f, make_table (c, km, lr, table), NULL);
  axs_km_write_context_text (f, "Kaplan-Meier estimate", c);
  fprintf (f, "CI:       %g%%, %s\n", 100 * km->conf_level, conf_type_name (km->conf_type));
  int status = write_one_text (f, summary_table (c, km),
                               "Summary (median with CI; restricted mean up to rmst_tau)");
  write_test_text (f, c, lr);
  if (km->nlandmarks)
    status |= write_one_text (f, landmark_table (c, km), "Survival at landmark times");
  for (int g = 0; g < km->ngroups; g++)
    {
      char heading[256];
      snprintf (heading, sizeof heading, "Curve: %s", group_name (c, g));
      status |= write_one_text (f, curve_table (c, km, g), heading);
    }
  return status;
}

int
axs_logrank_write_text (FILE *f, const axs_km_context *c, const axs_logrank_report *lr)
{
  axs_km_write_context_text (f, "Log-rank test", c);
  write_test_text (f, c, lr);
  return ferror (f) ? -1 : 0;
}

/* ---- json ------------------------------------------------------------------ */

void
axs_km_write_context_json (axs_json *j, const axs_km_context *c)
{
  axs_json_string (j, "time", c->time);
  axs_json_string (j, "event", c->event);
  axs_json_int (j, "n_used", (long long) c->n_used);
  axs_json_int (j, "n_excluded", (long long) c->n_excluded);
  axs_json_string (j, "group_by", c->group_by);
  if (c->ncuts)
    {
      axs_json_begin_array (j, "cuts");
      for (size_t k = 0; k < c->ncuts; k++)
        axs_json_number (j, NULL, c->cuts[k]);
      axs_json_end_array (j);
    }
  if (c->strata)
    axs_json_string (j, "strata", c->strata);
}

static void
write_warnings_json (axs_json *j, const axs_km_context *c)
{
  axs_json_begin_array (j, "warnings");
  for (size_t k = 0; k < c->nwarnings; k++)
    axs_json_string (j, NULL, c->warnings[k]);
  axs_json_end_array (j);
}

static void
write_test_members (axs_json *j, const axs_km_context *c, const axs_logrank_report *lr)
{
  axs_json_string (j, "method", lr->rho == 0 ? "log-rank" : "G-rho");
  axs_json_number (j, "rho", lr->rho);
  axs_json_number (j, "chisq", lr->r->chisq);
  axs_json_int (j, "df", lr->r->df);
  axs_json_number (j, "p", lr->r->p);
  if (lr->trend)
    {
      axs_json_begin_object (j, "trend");
      axs_json_number (j, "chisq", lr->trend_chisq);
      axs_json_int (j, "df", 1);
      axs_json_number (j, "p", lr->trend_p);
      axs_json_end_object (j);
    }
  axs_json_begin_array (j, "groups");
  for (int g = 0; g < lr->r->ngroups; g++)
    {
      axs_json_begin_row (j, NULL);
      axs_json_string (j, "name", group_name (c, g));
      axs_json_int (j, "n", (long long) lr->r->n[g]);
      axs_json_number (j, "observed", lr->r->observed[g]);
      axs_json_number (j, "expected", lr->r->expected[g]);
      axs_json_end_object (j);
    }
  axs_json_end_array (j);
}

static void
write_curve_json (axs_json *j, const axs_km_result *km, int g)
{
  const axs_km_curve *k = &km->curves[g];
  axs_json_begin_array (j, "curve");
  for (size_t i = 0; i < k->nrows; i++)
    {
      const axs_km_row *r = &k->rows[i];
      axs_json_begin_row (j, NULL);
      axs_json_number (j, "time", r->time);
      axs_json_int (j, "n_risk", (long long) r->n_risk);
      axs_json_int (j, "n_event", (long long) r->n_event);
      axs_json_int (j, "n_censor", (long long) r->n_censor);
      axs_json_number (j, "surv", r->surv);
      axs_json_number (j, "std_err", r->std_err);
      axs_json_number (j, "lower", r->lower);
      axs_json_number (j, "upper", r->upper);
      axs_json_end_object (j);
    }
  axs_json_end_array (j);
  axs_json_begin_array (j, "landmarks");
  for (size_t i = 0; i < km->nlandmarks; i++)
    {
      const axs_km_landmark *l = &k->landmarks[i];
      axs_json_begin_row (j, NULL);
      axs_json_number (j, "time", l->time);
      axs_json_int (j, "n_risk", (long long) l->n_risk);
      axs_json_number (j, "surv", l->beyond_end ? NAN : l->surv);
      axs_json_number (j, "std_err", l->beyond_end ? NAN : l->std_err);
      axs_json_number (j, "lower", l->beyond_end ? NAN : l->lower);
      axs_json_number (j, "upper", l->beyond_end ? NAN : l->upper);
      axs_json_end_object (j);
    }
  axs_json_end_array (j);
}

void
axs_km_write_json (FILE *f, const axs_km_context *c, const axs_km_result *km,
                   const axs_logrank_report *lr)
{
  axs_json j;
  axs_json_init (&j, f);
  axs_json_begin_object (&j, NULL);
  axs_json_string (&j, "command", "km");
  axs_km_write_context_json (&j, c);
  axs_json_string (&j, "conf_type", conf_type_name (km->conf_type));
  axs_json_number (&j, "conf_level", km->conf_level);
  axs_json_begin_array (&j, "groups");
  for (int g = 0; g < km->ngroups; g++)
    {
      const axs_km_curve *k = &km->curves[g];
      axs_json_begin_object (&j, NULL);
      axs_json_string (&j, "name", group_name (c, g));
      axs_json_int (&j, "n", (long long) k->n);
      axs_json_int (&j, "events", (long long) k->events);
      axs_json_number (&j, "median", k->median);
      axs_json_number (&j, "median_lower", k->median_lower);
      axs_json_number (&j, "median_upper", k->median_upper);
      axs_json_number (&j, "rmst", k->rmst);
      axs_json_number (&j, "rmst_se", k->rmst_se);
      axs_json_number (&j, "rmst_tau", km->tau);
      write_curve_json (&j, km, g);
      axs_json_end_object (&j);
    }
  axs_json_end_array (&j);
  if (lr->r)
    {
      axs_json_begin_object (&j, "test");
      write_test_members (&j, c, lr);
      axs_json_end_object (&j);
    }
  else
    axs_json_null (&j, "test");
  write_warnings_json (&j, c);
  axs_json_end_object (&j);
  axs_json_finish (&j);
}

void
axs_logrank_write_json (FILE *f, const axs_km_context *c, const axs_logrank_report *lr)
{
  axs_json j;
  axs_json_init (&j, f);
  axs_json_begin_object (&j, NULL);
  axs_json_string (&j, "command", "logrank");
  axs_km_write_context_json (&j, c);
  write_test_members (&j, c, lr);
  write_warnings_json (&j, c);
  axs_json_end_object (&j);
  axs_json_finish (&j);
}
