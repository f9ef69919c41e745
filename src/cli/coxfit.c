/* coxfit.c: model options, the fits and the report of a Cox analysis. */
#include "cli/coxfit.h"
#include "stats/order.h"
#include "stats/parallel.h"
#include "stats/status.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

enum
{
  OPT_COVARIATES = AXS_COXFIT_OPTION_BASE, OPT_REF, OPT_CONTINUOUS, OPT_TRANSFORM,
  OPT_INTERACTION, OPT_TIES, OPT_MAX_ITER, OPT_CONF_LEVEL, OPT_ZPH, OPT_FIRTH
};

const struct option axs_coxfit_long_options[] = {
  { "covariates", required_argument, NULL, OPT_COVARIATES },
  { "ref", required_argument, NULL, OPT_REF },
  { "continuous", no_argument, NULL, OPT_CONTINUOUS },
  { "transform", required_argument, NULL, OPT_TRANSFORM },
  { "interaction", required_argument, NULL, OPT_INTERACTION },
  { "ties", required_argument, NULL, OPT_TIES },
  { "max-iter", required_argument, NULL, OPT_MAX_ITER },
  { "conf-level", required_argument, NULL, OPT_CONF_LEVEL },
  { "zph", no_argument, NULL, OPT_ZPH },
  { "firth", no_argument, NULL, OPT_FIRTH },
  { 0 }
};

/* The default iteration limits: R's coxph and coxphf. */
enum { COX_MAX_ITER = 20, FIRTH_MAX_ITER = 50 };

void
axs_coxfit_options_init (axs_coxfit_options *o)
{
  memset (o, 0, sizeof *o);
  o->ties = AXS_COX_EFRON;
  o->max_iter = -1;
  o->conf_level = 0.95;
  o->transform = AXS_TRANSFORM_NONE;
}

static void
append (char ***list, size_t *n, const char *item, size_t len)
{
  char **grown = realloc (*list, (*n + 1) * sizeof *grown);
  if (!grown || !(grown[*n] = strndup (item, len)))
    axs_cli_fail ("out of memory");
  *list = grown;
  ++*n;
}

int
axs_coxfit_option (const axs_cli *cli, axs_coxfit_options *o, int code,
                   const char *arg)
{
  switch (code)
    {
    case OPT_COVARIATES:
      for (const char *p = arg;; p += strcspn (p, ",") + 1)
        {
          size_t len = strcspn (p, ",");
          if (len == 0)
            axs_cli_usage_error (cli, "--covariates '%s': an empty name; list the "
                                 "columns separated by commas, e.g. age,stage", arg);
          append (&o->covariate, &o->ncovariate, p, len);
          if (!p[len])
            break;
        }
      break;
    case OPT_REF:
      if (!strchr (arg, '=') || arg[0] == '=')
        axs_cli_usage_error (cli, "--ref '%s': expected COLUMN=LEVEL, e.g. --ref stage=I",
                             arg);
      append (&o->ref, &o->nref, arg, strlen (arg));
      break;
    case OPT_CONTINUOUS:
      o->continuous = 1;
      break;
    case OPT_TRANSFORM:
      if (axs_transform_parse (arg, &o->transform) != AXS_OK)
        axs_cli_usage_error (cli, "--transform '%s': use none, log, log2, log2p1 "
                             "(log2 of x + 1) or z (per standard deviation)", arg);
      o->transform_given = 1;
      break;
    case OPT_INTERACTION:
      o->interaction = arg;
      break;
    case OPT_TIES:
      if (strcmp (arg, "efron") == 0)
        o->ties = AXS_COX_EFRON;
      else if (strcmp (arg, "breslow") == 0)
        o->ties = AXS_COX_BRESLOW;
      else
        axs_cli_usage_error (cli, "--ties '%s': use efron or breslow", arg);
      o->ties_given = 1;
      break;
    case OPT_MAX_ITER:
      o->max_iter = (int) axs_cli_integer (cli, "max-iter", arg, 1, 10000);
      break;
    case OPT_CONF_LEVEL:
      o->conf_level = axs_cli_conf_level (cli, arg);
      break;
    case OPT_ZPH:
      o->zph = 1;
      break;
    case OPT_FIRTH:
      o->firth = 1;
      break;
    default:
      return 0;
    }
  return 1;
}

/* Whether column NAME is in O's covariates or interaction. */
static int
names_term (const axs_coxfit_options *o, const char *name)
{
  size_t len = strlen (name);
  for (size_t k = 0; k <= o->ncovariate; k++)
    {
      const char *s = k < o->ncovariate ? o->covariate[k] : o->interaction;
      if (s && strncmp (s, name, len) == 0 && (!s[len] || strcmp (s + len, ":factor") == 0))
        return 1;
    }
  return 0;
}

void
axs_coxfit_options_check (axs_cli *cli, axs_coxfit_options *o)
{
  if (o->continuous && cli->group)
    axs_cli_usage_error (cli, "--continuous needs --marker COL (a numeric column), "
                         "not --group");
  if (o->continuous && !cli->marker)
    axs_cli_usage_error (cli, "--continuous needs --marker COL");
  if (o->continuous && (cli->cut_spec || cli->cut_from))
    axs_cli_usage_error (cli, "give either --%s or --continuous, not both",
                         cli->cut_spec ? "cut" : "cut-from");
  if (o->transform_given && !o->continuous)
    axs_cli_usage_error (cli, "--transform needs --marker COL --continuous");
  if (!cli->group && !cli->marker && !o->ncovariate)
    axs_cli_usage_error (cli, "nothing to fit: give the biomarker (--group COL or "
                         "--marker COL) and/or --covariates LIST");
  if (o->interaction && !cli->group && !cli->marker)
    axs_cli_usage_error (cli, "--interaction needs the biomarker: give --group COL "
                         "or --marker COL");
  if (o->firth && o->ties_given && o->ties == AXS_COX_EFRON)
    axs_cli_usage_error (cli, "--firth fits with Breslow ties (as R's coxphf); "
                         "leave out --ties efron");
  if (o->firth && o->zph)
    axs_cli_usage_error (cli, "--zph tests the ordinary Cox fit; leave out --firth "
                         "to check proportional hazards");
  if (o->firth)
    o->ties = AXS_COX_BRESLOW;
  if (cli->strata
      && ((cli->group && strcmp (cli->group, cli->strata) == 0)
          || (cli->marker && strcmp (cli->marker, cli->strata) == 0)
          || names_term (o, cli->strata)))
    axs_cli_usage_error (cli, "column '%s' is both --strata and a term of the model; "
                         "a stratified model has no coefficient for its strata",
                         cli->strata);
  if (o->continuous)
    axs_cut_free (&cli->cut);
}

void
axs_coxfit_options_free (axs_coxfit_options *o)
{
  for (size_t k = 0; k < o->ncovariate; k++)
    free (o->covariate[k]);
  free (o->covariate);
  for (size_t k = 0; k < o->nref; k++)
    free (o->ref[k]);
  free (o->ref);
  o->covariate = o->ref = NULL;
  o->ncovariate = o->nref = 0;
}

/* ---- the fit ------------------------------------------------------------ */

/* Keep a warning for the report; print it too when LOUD. */
static void
add_warning (axs_coxfit *f, int loud, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static void
add_warning (axs_coxfit *f, int loud, const char *fmt, ...)
{
  axs_cox_report *r = &f->report;
  char *text;
  va_list ap;
  va_start (ap, fmt);
  int len = vasprintf (&text, fmt, ap);
  va_end (ap);
  char **grown = len >= 0 ? realloc (r->warning, (r->nwarning + 1) * sizeof *grown) : NULL;
  if (!grown)
    axs_cli_fail ("out of memory");
  r->warning = grown;
  r->warning[r->nwarning++] = text;
  if (loud && !f->quiet)
    axs_cli_warn ("%s", text);
}

/* Columns FIRST.. of the model, row-major, for a fit of the first P only. */
static double *
leading_columns (const axs_model *m, size_t p)
{
  double *x = malloc ((m->n ? m->n : 1) * (p ? p : 1) * sizeof *x);
  if (!x)
    axs_cli_fail ("out of memory");
  for (size_t i = 0; i < m->n; i++)
    memcpy (x + i * p, m->x + i * m->p, p * sizeof *x);
  return x;
}

static void
fail_singular (const axs_coxfit *f, const axs_cox_result *res)
{
  char names[1024] = "";
  size_t used = 0, count = 0;
  for (size_t j = 0; j < res->p && used < sizeof names; j++)
    if (res->singular[j])
      used += (size_t) snprintf (names + used, sizeof names - used, "%s'%s'",
                                 count++ ? ", " : "", f->model.colname[j]);
  axs_cli_fail ("%s: the model's columns are collinear: %s %s a linear combination "
                "of the columns before %s among the %zu patients analysed (the same "
                "information twice, e.g. a covariate and a recoding of it); leave "
                "%s out", f->table->file, names, count == 1 ? "is" : "are",
                count == 1 ? "it" : "them", f->design.n, count == 1 ? "it" : "them");
}

/* The ordinary Cox fit of the first P columns into *RES; exits on errors
   other than non-convergence, whose status is returned. */
static int
fit_cox (axs_coxfit *f, const axs_coxfit_options *o, size_t p, axs_cox_result **res)
{
  const axs_design *d = &f->design;
  double *x = p == f->model.p ? f->model.x : leading_columns (&f->model, p);
  axs_cox_options opt;
  axs_cox_options_default (&opt);
  opt.ties = o->ties;
  opt.conf_level = o->conf_level;
  if (o->max_iter > 0 && !o->firth)
    opt.max_iter = o->max_iter;
  if (!(*res = axs_cox_result_alloc (d->n, p)))
    axs_cli_fail ("out of memory");
  int status = axs_cox_fit (d->n, p, x, d->time, d->event, d->strata, &opt, *res);
  if (x != f->model.x)
    free (x);
  if (status == AXS_EDOM)
    axs_cli_fail ("%s: no events among the %zu patients analysed: there is nothing "
                  "to fit", f->table->file, d->n);
  if (status == AXS_ESINGULAR)
    fail_singular (f, *res);
  if (status != AXS_OK && status != AXS_ENOCONV)
    axs_cli_fail ("%s: the Cox fit failed: %s", f->table->file, axs_strerror (status));
  return status;
}

/* The Firth fit of the first P columns; exits on errors other than
   non-convergence. */
static int
fit_firth (axs_coxfit *f, const axs_coxfit_options *o, size_t p, axs_firth_result **res)
{
  const axs_design *d = &f->design;
  if (p > AXS_FIRTH_MAXP)
    axs_cli_fail ("--firth: at most %d model columns; this model has %zu",
                  AXS_FIRTH_MAXP, p);
  double *x = p == f->model.p ? f->model.x : leading_columns (&f->model, p);
  axs_firth_control ctl;
  axs_firth_control_default (&ctl);
  if (o->max_iter > 0)
    ctl.maxit = o->max_iter;
  axs_firth_workspace *w = axs_firth_workspace_alloc (d->n, p);
  if (!w || !(*res = axs_firth_result_alloc (p)))
    axs_cli_fail ("out of memory");
  int status = axs_firth_fit (d->n, p, x, d->time, d->event, d->strata, o->conf_level,
                              &ctl, w, *res);
  axs_firth_workspace_free (w);
  if (x != f->model.x)
    free (x);
  if (status != AXS_OK && status != AXS_ENOCONV)
    axs_cli_fail ("%s: the Firth fit failed: %s", f->table->file, axs_strerror (status));
  return status;
}

/* Why coefficient J runs off to infinity, in the user's terms. */
static void
warn_infinite (axs_coxfit *f, const axs_coxfit_options *o, size_t j)
{
  const axs_model *m = &f->model;
  const axs_design *d = &f->design;
  const axs_model_term *term = &m->term[m->term_of_column[j]];
  const char *name = m->colname[j];
  char why[512];
  double in = 0, out = 0;
  if (term->factor)
    for (size_t i = 0; i < d->n; i++)
      if (d->event[i])
        {
          if (m->x[i * m->p + j] != 0)
            in++;
          else
            out++;
        }
  if (term->factor && in == 0)
    snprintf (why, sizeof why, "no events among the patients with %s", name);
  else if (term->factor && out == 0)
    snprintf (why, sizeof why, "every event is among the patients with %s", name);
  else
    snprintf (why, sizeof why, "the partial likelihood keeps rising as it grows "
              "(monotone likelihood: the events are separated by %s)", name);
  add_warning (f, 1, "coefficient of '%s' may be infinite: %s; %s", name, why,
               o->firth
               ? "the ordinary Cox estimate diverges, the Firth-penalised estimate "
                 "reported is finite"
               : "its hazard ratio, confidence interval, z and Wald p (and the Wald "
                 "test) are unusable, the likelihood-ratio test still holds; "
                 "--firth gives finite estimates with profile-likelihood intervals");
}

/* Wald statistic b' V^-1 b over P columns. */
static double
wald_chisq (size_t p, const double *b, const double *var)
{
  double *a = malloc (p * p * sizeof *a), *y = malloc (p * sizeof *y);
  if (!a || !y)
    axs_cli_fail ("out of memory");
  memcpy (a, var, p * p * sizeof *a);
  memcpy (y, b, p * sizeof *y);
  axs_cox_ldl_decomp (p, a, 1e-12);
  axs_cox_ldl_solve (p, a, y);
  double chisq = 0;
  for (size_t j = 0; j < p; j++)
    chisq += b[j] * y[j];
  free (a);
  free (y);
  return chisq;
}

static void
wald_row (axs_cox_row *row, double coef, double var, double conf)
{
  double q = gsl_cdf_ugaussian_Pinv (1 - (1 - conf) / 2);
  row->coef = coef;
  row->se = var > 0 ? sqrt (var) : NAN;
  row->hr = exp (coef);
  row->hr_lower = exp (coef - q * row->se);
  row->hr_upper = exp (coef + q * row->se);
  row->z = coef / row->se;
  row->p = 2 * gsl_cdf_ugaussian_Q (fabs (row->z));
  row->chisq = NAN;
}

static axs_cox_test
chisq_test (double chisq, int df)
{
  return (axs_cox_test) { NULL, chisq, df,
                          df > 0 && chisq >= 0 ? gsl_cdf_chisq_Q (chisq, df) : NAN };
}

static void
report_rows (axs_coxfit *f)
{
  axs_cox_report *r = &f->report;
  const axs_model *m = &f->model;
  r->nrow = m->p;
  if (!(r->row = calloc (m->p, sizeof *r->row)))
    axs_cli_fail ("out of memory");
  for (size_t j = 0; j < m->p; j++)
    {
      axs_cox_row *row = &r->row[j];
      row->term = m->colname[j];
      row->may_be_infinite = f->cox->may_be_infinite[j];
      if (f->firth)
        {
          const axs_firth_result *fr = f->firth;
          row->coef = fr->coef[j];
          row->se = fr->se[j];
          row->hr = exp (fr->coef[j]);
          row->hr_lower = exp (fr->lower[j]);
          row->hr_upper = exp (fr->upper[j]);
          row->z = NAN;
          row->p = fr->pvalue[j];
          row->chisq = fr->chisq[j];
        }
      else
        {
          const axs_cox_result *c = f->cox;
          *row = (axs_cox_row) { m->colname[j], c->coef[j], c->se[j], c->hr[j],
                                 c->hr_lower[j], c->hr_upper[j], c->z[j],
                                 c->p_value[j], NAN, c->may_be_infinite[j] };
        }
    }
}

static void
report_model (axs_coxfit *f)
{
  axs_cox_report *r = &f->report;
  const axs_cox_result *c = f->cox;
  if (f->firth)
    {
      const axs_firth_result *fr = f->firth;
      int p = (int) f->model.p;
      r->loglik_null = fr->loglik0;
      r->loglik = fr->loglik;
      r->lr = (axs_cox_test) { NULL, fr->lrt, p, fr->lrt_pvalue };
      r->wald = chisq_test (wald_chisq (f->model.p, fr->coef, fr->var), p);
      r->score = (axs_cox_test) { NULL, NAN, p, NAN };
      r->aic = NAN;
      r->iterations = fr->iter;
      r->converged = fr->converged;
      return;
    }
  r->loglik_null = c->loglik_init;
  r->loglik = c->loglik;
  r->lr = (axs_cox_test) { NULL, c->lr_chisq, c->df, c->lr_p };
  r->wald = (axs_cox_test) { NULL, c->wald_chisq, c->df, c->wald_p };
  r->score = (axs_cox_test) { NULL, c->score_chisq, c->df, c->score_p };
  r->aic = -2 * c->loglik + 2 * c->df;
  r->iterations = c->iterations;
  r->converged = c->converged;
}

static void
report_zph (axs_coxfit *f)
{
  const axs_model *m = &f->model;
  const axs_design *d = &f->design;
  axs_cox_report *r = &f->report;
  if (!(f->zph = axs_zph_result_alloc (m->nterm)))
    axs_cli_fail ("out of memory");
  int status = axs_zph_test (d->n, m->p, m->x, d->time, d->event, d->strata, f->cox->lp,
                             f->report.ties[0] == 'e' ? AXS_COX_EFRON : AXS_COX_BRESLOW,
                             m->nterm, m->term_of_column, f->zph);
  if (status != AXS_OK)
    {
      add_warning (f, 1, "no proportional-hazards test: %s", axs_strerror (status));
      return;
    }
  if (!(r->zph = calloc (m->nterm + 1, sizeof *r->zph)))
    axs_cli_fail ("out of memory");
  for (size_t k = 0; k < m->nterm; k++)
    r->zph[k] = (axs_cox_test) { m->term[k].name, f->zph->chisq[k], f->zph->df[k],
                                 f->zph->p[k] };
  r->zph[m->nterm] = (axs_cox_test) { "GLOBAL", f->zph->global_chisq,
                                      f->zph->global_df, f->zph->global_p };
  r->nzph = m->nterm + 1;
}

/* The interaction: LR test against the main-effects model, and the marker's
   effect within each level of the modifier. */
static void
report_interaction (axs_coxfit *f, const axs_coxfit_options *o)
{
  const axs_model *m = &f->model;
  axs_cox_report *r = &f->report;
  r->interaction = m->term[m->interaction_term].name;
  int df = (int) (m->p - m->nmain);
  if (f->firth && df == 1)
    /* the penalty changes with the model's size, so penalised fits with and
       without the column do not nest: the profile penalised LR test of the
       one interaction coefficient is the test (Heinze & Schemper) */
    r->interaction_test = (axs_cox_test) { NULL, f->firth->chisq[m->nmain], 1,
                                           f->firth->pvalue[m->nmain] };
  else if (f->firth)
    {
      r->interaction_test = (axs_cox_test) { NULL, NAN, df, NAN };
      add_warning (f, 1, "no test of the interaction %s with --firth: it has %d "
                   "columns, and the profile penalised likelihood test is for one",
                   r->interaction, df);
    }
  else
    {
      axs_cox_result *main;
      fit_cox (f, o, m->nmain, &main);
      r->interaction_test = chisq_test (2 * (r->loglik - main->loglik), df);
      axs_cox_result_free (main);
    }

  const double *b = f->firth ? f->firth->coef : f->cox->coef;
  const double *var = f->firth ? f->firth->var : f->cox->var;
  if (m->ncontrast && !(r->within = calloc (m->ncontrast, sizeof *r->within)))
    axs_cli_fail ("out of memory");
  for (size_t k = 0; k < m->ncontrast; k++)
    {
      const axs_model_contrast *c = &m->contrast[k];
      double coef = 0, v = 0;
      for (size_t a = 0; a < m->p; a++)
        {
          coef += c->w[a] * b[a];
          for (size_t e = 0; e < m->p; e++)
            v += c->w[a] * var[a * m->p + e] * c->w[e];
        }
      axs_cox_within *w = &r->within[r->nwithin++];
      w->level = c->level;
      wald_row (&w->row, coef, v, o->conf_level);
      w->row.term = m->colname[c->column];
    }
}

/* ---- the patients in the order the fits walk them ---------------------- */

/* Rows a task copies: a fixed split (copies are the same for any split). */
enum { SORT_BLOCK = 1 << 15 };

typedef struct
{
  size_t n, size;               /* elements, bytes of one (4 or 8) */
  const size_t *order;
  const void *from;
  void *to;
} gather_job;

static void
gather_task (void *arg, size_t k)
{
  const gather_job *j = arg;
  size_t lo = k * SORT_BLOCK, hi = lo + SORT_BLOCK < j->n ? lo + SORT_BLOCK : j->n;
  if (j->size == 8)
    for (size_t i = lo; i < hi; i++)
      memcpy ((char *) j->to + 8 * i, (const char *) j->from + 8 * j->order[i], 8);
  else
    for (size_t i = lo; i < hi; i++)
      memcpy ((char *) j->to + 4 * i, (const char *) j->from + 4 * j->order[i], 4);
}

/* Put *ARRAY (N elements of SIZE bytes, or NULL) in ORDER, through *SPARE
   (room for N elements of SIZE or more): the sorted values go to *SPARE,
   which becomes the array, and the old array the spare (one allocation
   for all the arrays, fresh pages once). */
static void
gather (void **array, size_t size, size_t n, const size_t *order, void **spare)
{
  if (!*array || n == 0)
    return;
  gather_job j = { n, size, order, *array, *spare };
  axs_parallel_for ((n + SORT_BLOCK - 1) / SORT_BLOCK, axs_parallel_threads (),
                    gather_task, &j);
  *spare = *array;
  *array = j.to;
}

/* The design's patients by stratum and time, the order in which every Cox
   kernel walks them: sorted once here (the model's matrix is built in this
   order), the fits, the tests and the concordance then read their rows in
   sequence and find them already sorted.  Ties keep the input order, as
   R's order () does, so the numbers are those of a fit on the input order up
   to the order of the sums over patients. */
static size_t *
fit_order (const axs_design *d)
{
  size_t *order = malloc ((d->n ? d->n : 1) * sizeof *order);
  if (!order)
    axs_cli_fail ("out of memory");
  int status = axs_order_strata (d->n, d->time, d->strata, order);
  if (status != AXS_OK)
    axs_cli_fail ("%s", axs_strerror (status));
  return order;
}

static void
sort_design (axs_design *d, const size_t *order)
{
  _Static_assert (sizeof *d->row == 8 && sizeof *d->time == 8
                  && sizeof *d->marker == 8 && sizeof *d->event == 4
                  && sizeof *d->group == 4 && sizeof *d->strata == 4,
                  "gather copies 4 or 8 bytes");
  /* the arrays of 8 bytes first: each leaves a spare as large */
  void *spare = malloc ((d->n ? d->n : 1) * 8);
  if (!spare)
    axs_cli_fail ("out of memory");
  gather ((void **) &d->row, 8, d->n, order, &spare);
  gather ((void **) &d->time, 8, d->n, order, &spare);
  gather ((void **) &d->marker, 8, d->n, order, &spare);
  gather ((void **) &d->event, 4, d->n, order, &spare);
  gather ((void **) &d->group, 4, d->n, order, &spare);
  gather ((void **) &d->strata, 4, d->n, order, &spare);
  free (spare);
}

void
axs_cli_coxfit (axs_cli *cli, const axs_coxfit_options *o, axs_coxfit *f)
{
  memset (f, 0, sizeof *f);
  f->quiet = o->quiet;
  char **also;
  size_t nalso;
  axs_model_spec ms = {
    .marker = cli->group ? cli->group : cli->marker,
    .continuous = o->continuous, .transform = o->transform,
    .covariate = (const char *const *) o->covariate, .ncovariate = o->ncovariate,
    .ref = (const char *const *) o->ref, .nref = o->nref,
    .interaction = o->interaction,
  };
  if (axs_model_columns (&ms, &also, &nalso) != AXS_OK)
    axs_cli_fail ("out of memory");
  axs_design_spec spec = { .also = (const char *const *) also, .nalso = nalso };
  axs_cli_load (cli, &spec, &f->table, &f->design);
  axs_model_columns_free (also, nalso);
  size_t *order = fit_order (&f->design);
  ms.order = order;
  axs_diag diag;
  /* the table's cells go once the terms are read: only its file name is
     used after this (a large cohort's text and matrix are never held together) */
  if (axs_model_build_release (f->table, &f->design, &ms, &f->model, &diag) != AXS_OK)
    axs_cli_fail_diag (&diag);
  sort_design (&f->design, order);
  free (order);

  const axs_design *d = &f->design;
  axs_cox_report *r = &f->report;
  r->time = cli->time;
  r->event = cli->event;
  r->strata = cli->strata;
  r->method = o->firth ? "firth" : "cox";
  r->ties = o->ties == AXS_COX_EFRON ? "efron" : "breslow";
  r->conf_level = o->conf_level;
  r->n = d->n;
  r->n_excluded = d->n_excluded;
  for (size_t i = 0; i < d->n; i++)
    r->nevent += (size_t) d->event[i];
  if (cli->cut_warning[0])
    add_warning (f, 0, "%s", cli->cut_warning);
  if (d->n_excluded)
    add_warning (f, 0, "%s: %zu row%s left out for a missing value", f->table->file,
                 d->n_excluded, d->n_excluded == 1 ? "" : "s");

  int status = fit_cox (f, o, f->model.p, &f->cox);
  for (size_t j = 0; j < f->model.p; j++)
    if (f->cox->may_be_infinite[j])
      warn_infinite (f, o, j);
  if (status == AXS_ENOCONV && !o->firth)
    add_warning (f, 1, "the fit did not converge in %d iterations (--max-iter): the "
                 "estimates are those of the last step", f->cox->iterations - 1);
  const double *lp = f->cox->lp;
  if (o->firth)
    {
      if (fit_firth (f, o, f->model.p, &f->firth) == AXS_ENOCONV)
        add_warning (f, 1, "the Firth fit did not converge in %d iterations "
                     "(--max-iter): the estimates are those of the last step and "
                     "the profile-likelihood intervals are not available",
                     f->firth->iter);
      else
        for (size_t j = 0; j < f->model.p; j++)
          if (isnan (f->firth->lower[j]) || isnan (f->firth->upper[j]))
            add_warning (f, 1, "the profile-likelihood interval of '%s' was not "
                         "found", f->model.colname[j]);
      if (!(f->lp = malloc ((d->n ? d->n : 1) * sizeof *f->lp)))
        axs_cli_fail ("out of memory");
      for (size_t i = 0; i < d->n; i++)
        {
          f->lp[i] = 0;
          for (size_t j = 0; j < f->model.p; j++)
            f->lp[i] += f->model.x[i * f->model.p + j] * f->firth->coef[j];
        }
      lp = f->lp;
    }

  report_rows (f);
  report_model (f);
  if (o->zph)
    report_zph (f);
  if (f->model.interaction_term >= 0)
    report_interaction (f, o);
  /* the fits are done: the matrix goes before the concordance's trees come */
  free (f->model.x);
  f->model.x = NULL;
  if (axs_concordance (d->n, d->time, d->event, d->strata, lp, 1, &f->concordance)
      == AXS_OK)
    {
      r->concordance = f->concordance.concordance;
      r->concordance_se = f->concordance.std_err;
    }
  else
    r->concordance = r->concordance_se = NAN;
}

void
axs_coxfit_free (axs_coxfit *f)
{
  axs_cox_report *r = &f->report;
  for (size_t k = 0; k < r->nwarning; k++)
    free (r->warning[k]);
  free (r->warning);
  free (r->row);
  free (r->zph);
  free (r->within);
  axs_zph_result_free (f->zph);
  free (f->lp);
  axs_firth_result_free (f->firth);
  axs_cox_result_free (f->cox);
  axs_model_free (&f->model);
  axs_design_free (&f->design);
  axs_table_free (f->table);
  memset (f, 0, sizeof *f);
}
