/* zph.c: score test of proportional hazards (time-varying coefficient b + theta g(t)). */
#include "stats/zph.h"
#include "stats/order.h"
#include "stats/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* Pivots below this fraction of the largest diagonal make the test matrix singular. */
#define ZPH_TOLER 1e-13

axs_zph_result *
axs_zph_result_alloc (size_t nterm)
{
  if (nterm == 0)
    return NULL;
  axs_zph_result *r = calloc (1, sizeof *r);
  if (r == NULL)
    return NULL;
  r->nterm = nterm;
  r->chisq = calloc (nterm, sizeof *r->chisq);
  r->df = calloc (nterm, sizeof *r->df);
  r->p = calloc (nterm, sizeof *r->p);
  if (!r->chisq || !r->df || !r->p)
    {
      axs_zph_result_free (r);
      return NULL;
    }
  return r;
}

void
axs_zph_result_free (axs_zph_result *r)
{
  if (r == NULL)
    return;
  free (r->chisq);
  free (r->df);
  free (r->p);
  free (r);
}

/* G[i] = 1 - S(time_i -) for the Kaplan-Meier S of everyone (R: survfitKM,
   then findInterval (left.open = TRUE)), centred on its mean over events. */
static int
km_transform (size_t n, const double *time, const int *event, double *g)
{
  size_t *ord = malloc (n * sizeof *ord);
  if (ord == NULL)
    return AXS_ENOMEM;
  int st = axs_order (n, time, ord);
  if (st != AXS_OK)
    {
      free (ord);
      return st;
    }
  double surv = 1;
  for (size_t i = 0; i < n;)
    {
      size_t j = i, d = 0;
      for (; j < n && time[ord[j]] == time[ord[i]]; j++)
        {
          g[ord[j]] = 1 - surv;
          d += event[ord[j]];
        }
      surv *= 1 - (double) d / (double) (n - i);
      i = j;
    }
  double sum = 0;
  size_t nevent = 0;
  for (size_t i = 0; i < n; i++)
    if (event[i])
      {
        sum += g[i];
        nevent++;
      }
  for (size_t i = 0; i < n; i++)
    g[i] -= sum / nevent;
  free (ord);
  return AXS_OK;
}

/* Score U[2p] and information IMAT[2p*2p] (full) at the fit, one backward pass.
   XC holds the centred covariates (n*p, input order). */
static void
score_and_information (size_t n, size_t p, const double *xc, const double *time,
                       const int *event, const int *strata, const double *lp,
                       const double *g, enum axs_cox_ties ties, const size_t *ord,
                       double *u, double *imat, double *scratch)
{
  const size_t q = 2 * p;
  double *a = scratch, *a2 = a + p, *cmat = a2 + p, *cmat2 = cmat + p * p;
  double denom = 0;
  memset (u, 0, q * sizeof *u);
  memset (imat, 0, q * q * sizeof *imat);
  memset (a2, 0, p * sizeof *a2);
  memset (cmat2, 0, p * p * sizeof *cmat2);

  for (size_t ip = n; ip > 0;)
    {
      size_t person = ord[ip - 1];
      int stratum = strata ? strata[person] : 0;
      if (ip == n || (strata && strata[ord[ip]] != stratum))
        {
          denom = 0;
          memset (a, 0, p * sizeof *a);
          memset (cmat, 0, p * p * sizeof *cmat);
        }
      double dtime = time[person], gt = g[person];
      int ndead = 0;
      double denom2 = 0;
      for (; ip > 0; ip--)
        {
          person = ord[ip - 1];
          if (time[person] != dtime || (strata && strata[person] != stratum))
            break;
          const double *xi = xc + person * p;
          double risk = exp (lp[person]);
          double *as = a, *cs = cmat;
          if (event[person])
            {
              ndead++;
              denom2 += risk;
              for (size_t i = 0; i < p; i++)
                {
                  u[i] += xi[i];
                  u[i + p] += gt * xi[i];
                }
              as = a2;
              cs = cmat2;
            }
          else
            denom += risk;
          for (size_t i = 0; i < p; i++)
            {
              as[i] += risk * xi[i];
              for (size_t j = i; j < p; j++)
                cs[i * p + j] += risk * xi[i] * xi[j];
            }
        }
      if (ndead == 0)
        continue;

      /* Breslow adds the tied deaths at once; Efron in steps of 1/d */
      int steps = ties == AXS_COX_BRESLOW ? 1 : ndead;
      double frac = 1.0 / steps, wt = (double) ndead / steps;
      for (int k = 0; k < steps; k++)
        {
          denom += denom2 * frac;
          for (size_t i = 0; i < p; i++)
            a[i] += a2[i] * frac;
          for (size_t i = 0; i < p; i++)
            {
              double mean = a[i] / denom;
              u[i] -= wt * mean;
              u[i + p] -= gt * wt * mean;
              for (size_t j = i; j < p; j++)
                {
                  cmat[i * p + j] += cmat2[i * p + j] * frac;
                  double v = wt * (cmat[i * p + j] - mean * a[j]) / denom;
                  imat[i * q + j] += v;
                  imat[i * q + j + p] += gt * v;
                  imat[(i + p) * q + j + p] += gt * gt * v;
                }
            }
        }
      memset (a2, 0, p * sizeof *a2);
      memset (cmat2, 0, p * p * sizeof *cmat2);
    }

  /* the blocks are symmetric, and so is the cross block */
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < i; j++)
      {
        imat[i * q + j] = imat[j * q + i];
        imat[i * q + j + p] = imat[j * q + i + p];
        imat[(i + p) * q + j + p] = imat[(j + p) * q + i + p];
      }
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < p; j++)
      imat[(i + p) * q + j] = imat[j * q + i + p];
}

/* U' M^-1 U for the rows IDX[0..m-1] of the 2p x 2p IMAT, U zero in the first p
   rows.  Returns a status. */
static int
quad_form (size_t q, const double *imat, const double *u, const size_t *idx, size_t m,
           size_t p, double *work, double *vec, double *out)
{
  for (size_t i = 0; i < m; i++)
    {
      for (size_t j = 0; j < m; j++)
        work[i * m + j] = imat[idx[i] * q + idx[j]];
      vec[i] = idx[i] < p ? 0 : u[idx[i]];
    }
  int rank = axs_cox_ldl_decomp (m, work, ZPH_TOLER);
  if (rank != (int) m)
    return AXS_ESINGULAR;
  double *sol = vec + m;
  memcpy (sol, vec, m * sizeof *sol);
  axs_cox_ldl_solve (m, work, sol);
  double s = 0;
  for (size_t i = 0; i < m; i++)
    s += vec[i] * sol[i];
  *out = s;
  return AXS_OK;
}

int
axs_zph_test (size_t n, size_t p, const double *x, const double *time,
              const int *event, const int *strata, const double *lp,
              enum axs_cox_ties ties, size_t nterm,
              const size_t *term_of_column, axs_zph_result *res)
{
  if (n == 0 || p == 0 || x == NULL || time == NULL || event == NULL || lp == NULL
      || res == NULL || nterm == 0)
    return AXS_EINVAL;
  else if (res->nterm != nterm || (term_of_column == NULL && nterm != p))
    return AXS_EINVAL;
  else if (ties != AXS_COX_EFRON && ties != AXS_COX_BRESLOW)
    return AXS_EINVAL;
  size_t nevent = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (!isfinite (time[i]) || !isfinite (lp[i]) || (event[i] != 0 && event[i] != 1)
          || (strata != NULL && strata[i] < 0))
        return AXS_EINVAL;
      for (size_t j = 0; j < p; j++)
        if (!isfinite (x[i * p + j]))
          return AXS_EINVAL;
      nevent += event[i];
    }
  if (term_of_column != NULL)
    for (size_t j = 0; j < p; j++)
      if (term_of_column[j] >= nterm)
        return AXS_EINVAL;
  if (nevent == 0)
    return AXS_EDOM;

  const size_t q = 2 * p;
  double *g = malloc (n * sizeof *g);
  double *xc = malloc (n * p * sizeof *xc);
  size_t *ord = malloc (n * sizeof *ord);
  double *u = malloc (q * sizeof *u);
  double *imat = malloc (q * q * sizeof *imat);
  double *scratch = malloc ((2 * p + 2 * p * p) * sizeof *scratch);
  double *work = malloc (q * q * sizeof *work);
  double *vec = malloc (2 * q * sizeof *vec);
  size_t *idx = malloc (q * sizeof *idx);
  int st = AXS_OK;
  if (!g || !xc || !ord || !u || !imat || !scratch || !work || !vec || !idx)
    st = AXS_ENOMEM;

  if (st == AXS_OK)
    st = km_transform (n, time, event, g);
  if (st == AXS_OK)
    st = axs_order_strata (n, time, strata, ord);
  if (st == AXS_OK)
    {
      /* centring keeps the sums of squares from cancelling */
      for (size_t j = 0; j < p; j++)
        {
          double s = 0;
          for (size_t i = 0; i < n; i++)
            s += x[i * p + j];
          s /= n;
          for (size_t i = 0; i < n; i++)
            xc[i * p + j] = x[i * p + j] - s;
        }
      score_and_information (n, p, xc, time, event, strata, lp, g, ties, ord, u,
                             imat, scratch);
    }

  for (size_t t = 0; st == AXS_OK && t < nterm; t++)
    {
      size_t m = 0;
      for (size_t j = 0; j < p; j++)
        idx[m++] = j;
      for (size_t j = 0; j < p; j++)
        if (term_of_column ? term_of_column[j] == t : j == t)
          idx[m++] = p + j;
      res->df[t] = (int) (m - p);
      if (m == p)
        {
          st = AXS_EINVAL;   /* a term with no column */
          break;
        }
      st = quad_form (q, imat, u, idx, m, p, work, vec, &res->chisq[t]);
      res->p[t] = gsl_cdf_chisq_Q (fmax (res->chisq[t], 0), res->df[t]);
    }
  if (st == AXS_OK)
    {
      for (size_t j = 0; j < q; j++)
        idx[j] = j;
      st = quad_form (q, imat, u, idx, q, p, work, vec, &res->global_chisq);
      res->global_df = (int) p;
      res->global_p = gsl_cdf_chisq_Q (fmax (res->global_chisq, 0), (double) p);
    }

  free (g);
  free (xc);
  free (ord);
  free (u);
  free (imat);
  free (scratch);
  free (work);
  free (vec);
  free (idx);
  return st;
}
