/* logrank.c: G-rho k-sample tests and the trend test, matching R survival 3.5's
   survdiff (observed, expected, variance, chi-square, df, p). */
#include "stats/logrank.h"
#include "stats/order.h"
#include "stats/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* Pivots below this fraction of the largest diagonal count as zero. */
#define SINGULAR_TOL 1e-9

static int check_input (const axs_logrank_input *in, int nstrata);
static void accumulate_stratum (const axs_logrank_input *in, const size_t *idx,
                                size_t len, double *risk, axs_logrank_result *r);
static double quadratic_form_ginv (int m, double *a, double *b);

void
axs_logrank_result_free (axs_logrank_result *result)
{
  if (!result)
    return;
  free (result->n);
  free (result->observed);
  free (result->expected);
  free (result->var);
  free (result);
}

static int
check_input (const axs_logrank_input *in, int nstrata)
{
  if (in->n == 0 || !in->time || !in->event || !in->group)
    return AXS_EINVAL;
  else if (in->ngroups < 2 || nstrata < 1)
    return AXS_EINVAL;
  else if (!(in->rho >= 0 && isfinite (in->rho)))
    return AXS_EINVAL;
  for (size_t i = 0; i < in->n; i++)
    {
      if (!(in->time[i] >= 0 && isfinite (in->time[i])))
        return AXS_EINVAL;
      else if (in->event[i] != 0 && in->event[i] != 1)
        return AXS_EINVAL;
      else if (in->group[i] < 0 || in->group[i] >= in->ngroups)
        return AXS_EINVAL;
      else if (in->strata && (in->strata[i] < 0 || in->strata[i] >= nstrata))
        return AXS_EINVAL;
    }
  return AXS_OK;
}

/* One stratum, IDX[0..len-1] in ascending time; RISK is scratch [ngroups].
   Walks forward: at each time the risk set is everyone not yet passed. */
static void
accumulate_stratum (const axs_logrank_input *in, const size_t *idx, size_t len,
                    double *risk, axs_logrank_result *r)
{
  int ng = in->ngroups;
  for (int k = 0; k < ng; k++)
    risk[k] = 0;
  for (size_t j = 0; j < len; j++)
    risk[in->group[idx[j]]] += 1;

  double km = 1;                /* pooled KM just before the current time */
  size_t passed = 0;
  while (passed < len)
    {
      double t = in->time[idx[passed]];
      double nrisk = (double) (len - passed);
      double w = in->rho == 0 ? 1 : pow (km, in->rho);
      size_t end = passed;
      double deaths = 0;
      for (; end < len && in->time[idx[end]] == t; end++)
        {
          size_t i = idx[end];
          deaths += in->event[i];
          r->observed[in->group[i]] += in->event[i] * w;
        }
      if (deaths > 0)
        {
          for (int k = 0; k < ng; k++)
            r->expected[k] += w * deaths * risk[k] / nrisk;
          if (nrisk > 1)   /* a single subject at risk carries no variance */
            {
              double w2 = w * w;
              for (int j = 0; j < ng; j++)
                {
                  double tmp = w2 * deaths * risk[j] * (nrisk - deaths)
                    / (nrisk * (nrisk - 1));
                  r->var[j * ng + j] += tmp;
                  for (int k = 0; k < ng; k++)
                    r->var[j * ng + k] -= tmp * risk[k] / nrisk;
                }
            }
          km *= (nrisk - deaths) / nrisk;
        }
      for (size_t j = passed; j < end; j++)
        risk[in->group[idx[j]]] -= 1;
      passed = end;
    }
}

/* b' A^- b for symmetric non-negative definite A [m*m] (overwritten), B [m]
   (overwritten).  A = L D L' by symmetric elimination; a pivot below
   SINGULAR_TOL times the largest diagonal is taken as zero, and its row and
   column are dropped (a generalised inverse, as survival's cholesky2). */
static double
quadratic_form_ginv (int m, double *a, double *b)
{
  double big = 0;
  for (int i = 0; i < m; i++)
    big = fmax (big, fabs (a[i * m + i]));
  double eps = big > 0 ? big * SINGULAR_TOL : SINGULAR_TOL;

  for (int i = 0; i < m; i++)
    {
      double pivot = a[i * m + i];
      if (!(pivot > eps))
        {
          a[i * m + i] = 0;
          for (int j = i + 1; j < m; j++)
            a[j * m + i] = 0;
          continue;
        }
      for (int j = i + 1; j < m; j++)
        {
          double l = a[j * m + i] / pivot;
          a[j * m + i] = l;
          a[j * m + j] -= l * l * pivot;
          for (int k = j + 1; k < m; k++)
            a[k * m + j] -= l * a[k * m + i];
        }
    }
  /* y = L^-1 b, then b' A^- b = sum y_i^2 / D_i over the kept pivots */
  double q = 0;
  for (int i = 0; i < m; i++)
    {
      double y = b[i];
      for (int j = 0; j < i; j++)
        y -= a[i * m + j] * b[j];
      b[i] = y;
      if (a[i * m + i] > 0)
        q += y * y / a[i * m + i];
    }
  return q;
}

int
axs_logrank_test (const axs_logrank_input *in, axs_logrank_result **result)
{
  if (!result)
    return AXS_EINVAL;
  *result = NULL;
  if (!in)
    return AXS_EINVAL;
  int nstrata = in->strata ? in->nstrata : 1;
  int status = check_input (in, nstrata);
  if (status != AXS_OK)
    return status;

  int ng = in->ngroups;
  size_t ung = (size_t) ng;
  size_t *first = malloc (((size_t) nstrata + 1) * sizeof *first);
  size_t *idx_owned = NULL;
  const size_t *idx = first ? axs_order_by_class (in->n, in->time, in->time_order,
                                                  in->strata, nstrata, first,
                                                  &idx_owned) : NULL;
  double *risk = malloc (ung * sizeof *risk);
  double *sub = malloc (ung * ung * sizeof *sub);
  double *diff = malloc (ung * sizeof *diff);
  int *keep = malloc (ung * sizeof *keep);
  axs_logrank_result *r = calloc (1, sizeof *r);
  if (r)
    {
      r->n = calloc (ung, sizeof *r->n);
      r->observed = calloc (ung, sizeof *r->observed);
      r->expected = calloc (ung, sizeof *r->expected);
      r->var = calloc (ung * ung, sizeof *r->var);
    }
  if (!idx || !risk || !sub || !diff || !keep || !r || !r->n || !r->observed || !r->expected
      || !r->var)
    {
      status = AXS_ENOMEM;
      goto done;
    }
  r->ngroups = ng;
  for (size_t i = 0; i < in->n; i++)
    r->n[in->group[i]]++;
  for (int s = 0; s < nstrata; s++)   /* ties don't cross strata */
    accumulate_stratum (in, idx + first[s], first[s + 1] - first[s], risk, r);

  /* survdiff: keep the groups with expected > 0, leave out the first of them */
  int m = 0;
  for (int k = 0; k < ng; k++)
    if (r->expected[k] > 0)
      keep[m++] = k;
  if (m < 2)
    {
      status = AXS_EDOM;
      goto done;
    }
  r->df = m - 1;
  for (int a = 1; a < m; a++)
    {
      diff[a - 1] = r->observed[keep[a]] - r->expected[keep[a]];
      for (int b = 1; b < m; b++)
        sub[(a - 1) * (m - 1) + (b - 1)] = r->var[keep[a] * ng + keep[b]];
    }
  r->chisq = quadratic_form_ginv (m - 1, sub, diff);
  r->p = gsl_cdf_chisq_Q (r->chisq, r->df);
  status = AXS_OK;

done:
  free (first);
  free (idx_owned);
  free (risk);
  free (sub);
  free (diff);
  free (keep);
  if (status == AXS_OK)
    *result = r;
  else
    axs_logrank_result_free (r);
  return status;
}

int
axs_logrank_trend (const axs_logrank_result *result, const double *scores,
                   double *u, double *var_u, double *chisq, double *p)
{
  if (!result || result->ngroups < 2)
    return AXS_EINVAL;
  int ng = result->ngroups;
  if (scores)
    for (int k = 0; k < ng; k++)
      if (!isfinite (scores[k]))
        return AXS_EINVAL;

  double uu = 0, vv = 0;
  for (int j = 0; j < ng; j++)
    {
      double sj = scores ? scores[j] : j + 1;
      uu += sj * (result->observed[j] - result->expected[j]);
      for (int k = 0; k < ng; k++)
        {
          double sk = scores ? scores[k] : k + 1;
          vv += sj * result->var[j * ng + k] * sk;
        }
    }
  /* equal scores make s'V s vanish up to rounding: compare to the diagonal */
  double scale = 0;
  for (int k = 0; k < ng; k++)
    {
      double sk = scores ? scores[k] : k + 1;
      scale += sk * sk * fabs (result->var[k * ng + k]);
    }
  if (!(vv > SINGULAR_TOL * scale) || !(scale > 0))
    return AXS_EDOM;
  double x2 = uu * uu / vv;
  if (u)
    *u = uu;
  if (var_u)
    *var_u = vv;
  if (chisq)
    *chisq = x2;
  if (p)
    *p = gsl_cdf_chisq_Q (x2, 1);
  return AXS_OK;
}
