/* firth.c: Firth-penalised Cox regression with profile penalised-likelihood
   confidence intervals (Heinze & Schemper 2001; R package coxphf).

   One evaluation of l*, U* and I at a given beta walks the observations once,
   backwards in time within strata, accumulating the risk-set sums of
   w, w x, w x x' and w x x x' (w = exp (x'b)); tied times enter the risk set
   together and their events share it (Breslow).  That is O(n p^3). */
#include "stats/firth.h"
#include "stats/order.h"
#include "stats/status.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

struct axs_firth_workspace
{
  size_t n, p;
  size_t *order;        /* [n] by stratum, then time */
  double *xs;           /* [n*p] centred x, sorted */
  double *ts;           /* [n] sorted times */
  int *es;              /* [n] sorted events */
  int *ss;              /* [n] sorted strata */
  double *eta;          /* [n] */
  double *sd;           /* [p] column standard deviations (step control) */
  double *s1, *s2, *s3; /* risk-set sums: [p], [p*p], [p*p*p] */
  double *a;            /* [p] risk-set mean of x */
  double *u;            /* [p] score */
  double *ustar;        /* [p] modified score */
  double *info;         /* [p*p] information */
  double *dinfo;        /* [p*p*p] dinfo[(j*p+k)*p+l] = d I_jk / d b_l */
  double *infoinv;      /* [p*p] */
  double *chol;         /* [p*p] Cholesky factor scratch */
  double *packed;       /* [p*p] I restricted to the free coefficients */
  double *rhs;          /* [p] scratch */
  double *delta;        /* [p] Newton step */
  double *bold;         /* [p] */
  double *bwork;        /* [p] start / constrained fit */
  unsigned char *isfree;/* [p] */
  double loglik;        /* unpenalised l at the last evaluation */
};

void
axs_firth_control_default (axs_firth_control *ctl)
{
  if (!ctl)
    return;
  ctl->maxit = 50;
  ctl->maxhs = 5;
  ctl->epsilon = 1e-6;
  ctl->gconv = 1e-4;
  ctl->maxstep = 0.5;
}

void
axs_firth_workspace_free (axs_firth_workspace *w)
{
  if (!w)
    return;
  free (w->order);
  free (w->xs);
  free (w->ts);
  free (w->es);
  free (w->ss);
  free (w->eta);
  free (w->sd);
  free (w->s1);
  free (w->s2);
  free (w->s3);
  free (w->a);
  free (w->u);
  free (w->ustar);
  free (w->info);
  free (w->dinfo);
  free (w->infoinv);
  free (w->chol);
  free (w->packed);
  free (w->rhs);
  free (w->delta);
  free (w->bold);
  free (w->bwork);
  free (w->isfree);
  free (w);
}

axs_firth_workspace *
axs_firth_workspace_alloc (size_t n, size_t p)
{
  if (n == 0 || p == 0 || p > AXS_FIRTH_MAXP
      || n > SIZE_MAX / p / sizeof (double))
    return NULL;
  axs_firth_workspace *w = calloc (1, sizeof *w);
  if (!w)
    return NULL;
  w->n = n;
  w->p = p;
  size_t pp = p * p, ppp = p * p * p;
  w->order = malloc (n * sizeof *w->order);
  w->xs = malloc (n * p * sizeof *w->xs);
  w->ts = malloc (n * sizeof *w->ts);
  w->es = malloc (n * sizeof *w->es);
  w->ss = malloc (n * sizeof *w->ss);
  w->eta = malloc (n * sizeof *w->eta);
  w->sd = malloc (p * sizeof *w->sd);
  w->s1 = malloc (p * sizeof *w->s1);
  w->s2 = malloc (pp * sizeof *w->s2);
  w->s3 = malloc (ppp * sizeof *w->s3);
  w->a = malloc (p * sizeof *w->a);
  w->u = malloc (p * sizeof *w->u);
  w->ustar = malloc (p * sizeof *w->ustar);
  w->info = malloc (pp * sizeof *w->info);
  w->dinfo = malloc (ppp * sizeof *w->dinfo);
  w->infoinv = malloc (pp * sizeof *w->infoinv);
  w->chol = malloc (pp * sizeof *w->chol);
  w->packed = malloc (pp * sizeof *w->packed);
  w->rhs = malloc (p * sizeof *w->rhs);
  w->delta = malloc (p * sizeof *w->delta);
  w->bold = malloc (p * sizeof *w->bold);
  w->bwork = malloc (p * sizeof *w->bwork);
  w->isfree = malloc (p * sizeof *w->isfree);
  if (!w->order || !w->xs || !w->ts || !w->es || !w->ss || !w->eta
      || !w->sd || !w->s1 || !w->s2 || !w->s3 || !w->a || !w->u || !w->ustar
      || !w->info || !w->dinfo || !w->infoinv || !w->chol || !w->packed
      || !w->rhs || !w->delta || !w->bold || !w->bwork || !w->isfree)
    {
      axs_firth_workspace_free (w);
      return NULL;
    }
  return w;
}

void
axs_firth_result_free (axs_firth_result *r)
{
  if (!r)
    return;
  free (r->coef);
  free (r->se);
  free (r->var);
  free (r->lower);
  free (r->upper);
  free (r->chisq);
  free (r->pvalue);
  free (r);
}

axs_firth_result *
axs_firth_result_alloc (size_t p)
{
  if (p == 0 || p > AXS_FIRTH_MAXP)
    return NULL;
  axs_firth_result *r = calloc (1, sizeof *r);
  if (!r)
    return NULL;
  r->p = p;
  r->coef = malloc (p * sizeof *r->coef);
  r->se = malloc (p * sizeof *r->se);
  r->var = malloc (p * p * sizeof *r->var);
  r->lower = malloc (p * sizeof *r->lower);
  r->upper = malloc (p * sizeof *r->upper);
  r->chisq = malloc (p * sizeof *r->chisq);
  r->pvalue = malloc (p * sizeof *r->pvalue);
  if (!r->coef || !r->se || !r->var || !r->lower || !r->upper || !r->chisq
      || !r->pvalue)
    {
      axs_firth_result_free (r);
      return NULL;
    }
  return r;
}

/* Cholesky factor of the M x M symmetric matrix A (row-major, leading
   dimension M) into L (lower triangle).  Fails (returns 0) when a pivot is
   not positive relative to its diagonal element: the tolerance is
   survival's toler.chol, eps^0.75. */
static int
cholesky (size_t m, const double *a, double *l)
{
  const double tol = 1.8189894035458617e-12;
  for (size_t j = 0; j < m; j++)
    {
      double s = a[j * m + j];
      for (size_t k = 0; k < j; k++)
        s -= l[j * m + k] * l[j * m + k];
      if (!(s > tol * fabs (a[j * m + j])) || !isfinite (s))
        return 0;
      double d = sqrt (s);
      l[j * m + j] = d;
      for (size_t i = j + 1; i < m; i++)
        {
          double t = a[i * m + j];
          for (size_t k = 0; k < j; k++)
            t -= l[i * m + k] * l[j * m + k];
          l[i * m + j] = t / d;
        }
    }
  return 1;
}

/* Solve L L' y = b in place (b becomes y). */
static void
cholesky_solve (size_t m, const double *l, double *b)
{
  for (size_t i = 0; i < m; i++)
    {
      double t = b[i];
      for (size_t k = 0; k < i; k++)
        t -= l[i * m + k] * b[k];
      b[i] = t / l[i * m + i];
    }
  for (size_t i = m; i-- > 0;)
    {
      double t = b[i];
      for (size_t k = i + 1; k < m; k++)
        t -= l[k * m + i] * b[k];
      b[i] = t / l[i * m + i];
    }
}

/* l*, U* and I at BETA, left in W (loglik, u, ustar, info, infoinv, dinfo).
   Returns AXS_ESINGULAR if I is not positive definite or a risk set's
   weights underflow. */
static int
firth_eval (axs_firth_workspace *w, const double *beta, double *lpen)
{
  const size_t n = w->n, p = w->p, pp = p * p, ppp = pp * p;
  double *s1 = w->s1, *s2 = w->s2, *s3 = w->s3, *a = w->a;

  /* exp overflows near 709: weights are taken relative to the largest. */
  double emax = -HUGE_VAL;
  for (size_t i = 0; i < n; i++)
    {
      double e = 0;
      for (size_t j = 0; j < p; j++)
        e += w->xs[i * p + j] * beta[j];
      w->eta[i] = e;
      if (e > emax)
        emax = e;
    }
  if (!isfinite (emax))
    return AXS_ESINGULAR;

  double loglik = 0;
  memset (w->u, 0, p * sizeof *w->u);
  memset (w->info, 0, pp * sizeof *w->info);
  memset (w->dinfo, 0, ppp * sizeof *w->dinfo);

  double s0 = 0;
  size_t i = n;
  while (i > 0)
    {
      const int stratum = w->ss[i - 1];
      if (i == n || w->ss[i] != stratum)
        {
          /* risk sets don't cross strata */
          s0 = 0;
          memset (s1, 0, p * sizeof *s1);
          memset (s2, 0, pp * sizeof *s2);
          memset (s3, 0, ppp * sizeof *s3);
        }
      const double t = w->ts[i - 1];
      size_t first = i - 1;
      while (first > 0 && w->ss[first - 1] == stratum && w->ts[first - 1] == t)
        first--;

      /* the whole tied block joins the risk set before its events are scored */
      int d = 0;
      for (size_t k = first; k < i; k++)
        {
          const double *xk = w->xs + k * p;
          double wk = exp (w->eta[k] - emax);
          s0 += wk;
          for (size_t j = 0; j < p; j++)
            {
              double wj = wk * xk[j];
              s1[j] += wj;
              for (size_t m = 0; m <= j; m++)
                {
                  double wjm = wj * xk[m];
                  s2[j * p + m] += wjm;
                  for (size_t l = 0; l <= m; l++)
                    s3[(j * p + m) * p + l] += wjm * xk[l];
                }
            }
          if (w->es[k])
            {
              d++;
              loglik += w->eta[k];
              for (size_t j = 0; j < p; j++)
                w->u[j] += xk[j];
            }
        }

      if (d > 0)
        {
          if (!(s0 > 0))
            return AXS_ESINGULAR;
          for (size_t j = 0; j < p; j++)
            a[j] = s1[j] / s0;
          loglik -= d * (log (s0) + emax);
          for (size_t j = 0; j < p; j++)
            {
              w->u[j] -= d * a[j];
              for (size_t m = 0; m <= j; m++)
                {
                  double m2 = s2[j * p + m] / s0 - a[j] * a[m];
                  w->info[j * p + m] += d * m2;
                  /* third central moment of x in the risk set = d I_jm / d b_l */
                  for (size_t l = 0; l <= m; l++)
                    {
                      double m3 = s3[(j * p + m) * p + l] / s0
                        - s2[j * p + m] / s0 * a[l]
                        - s2[j * p + l] / s0 * a[m]
                        - s2[m * p + l] / s0 * a[j]
                        + 2 * a[j] * a[m] * a[l];
                      w->dinfo[(j * p + m) * p + l] += d * m3;
                    }
                }
            }
        }
      i = first;
    }

  /* only j >= m >= l was summed: fill in by symmetry */
  for (size_t j = 0; j < p; j++)
    for (size_t m = 0; m <= j; m++)
      {
        w->info[m * p + j] = w->info[j * p + m];
        for (size_t l = 0; l <= m; l++)
          {
            double v = w->dinfo[(j * p + m) * p + l];
            w->dinfo[(j * p + l) * p + m] = v;
            w->dinfo[(m * p + j) * p + l] = v;
            w->dinfo[(m * p + l) * p + j] = v;
            w->dinfo[(l * p + j) * p + m] = v;
            w->dinfo[(l * p + m) * p + j] = v;
          }
      }

  if (!cholesky (p, w->info, w->chol))
    return AXS_ESINGULAR;
  double logdet = 0;
  for (size_t j = 0; j < p; j++)
    logdet += 2 * log (w->chol[j * p + j]);
  for (size_t j = 0; j < p; j++)
    {
      for (size_t k = 0; k < p; k++)
        w->rhs[k] = (k == j);
      cholesky_solve (p, w->chol, w->rhs);
      for (size_t k = 0; k < p; k++)
        w->infoinv[k * p + j] = w->rhs[k];
    }
  /* the column solves agree only to rounding: make var exactly symmetric */
  for (size_t j = 0; j < p; j++)
    for (size_t k = 0; k < j; k++)
      w->infoinv[j * p + k] = w->infoinv[k * p + j] =
        0.5 * (w->infoinv[j * p + k] + w->infoinv[k * p + j]);

  for (size_t r = 0; r < p; r++)
    {
      double tr = 0;
      for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < p; k++)
          tr += w->infoinv[j * p + k] * w->dinfo[(j * p + k) * p + r];
      w->ustar[r] = w->u[r] + 0.5 * tr;
    }
  w->loglik = loglik;
  *lpen = loglik + 0.5 * logdet;
  if (!isfinite (*lpen))
    return AXS_ESINGULAR;
  return AXS_OK;
}

/* Newton-Raphson step on the free coefficients: solve I_FF delta_F = U*_F. */
static int
firth_step (axs_firth_workspace *w)
{
  const size_t p = w->p;
  size_t m = 0;
  for (size_t j = 0; j < p; j++)
    m += w->isfree[j] != 0;
  size_t r = 0;
  for (size_t j = 0; j < p; j++)
    if (w->isfree[j])
      {
        size_t c = 0;
        for (size_t k = 0; k < p; k++)
          if (w->isfree[k])
            w->packed[r * m + c++] = w->info[j * p + k];
        w->rhs[r++] = w->ustar[j];
      }
  if (!cholesky (m, w->packed, w->chol))
    return AXS_ESINGULAR;
  cholesky_solve (m, w->chol, w->rhs);
  r = 0;
  for (size_t j = 0; j < p; j++)
    w->delta[j] = w->isfree[j] ? w->rhs[r++] : 0;
  return AXS_OK;
}

/* Maximise l* over the free coefficients (w->isfree) from BETA (in/out), by
   coxphf's rule.  On return W holds the evaluation at BETA. */
static int
firth_newton (axs_firth_workspace *w, const axs_firth_control *ctl,
              double *beta, double *lpen, int *iter, int *converged)
{
  const size_t p = w->p;
  size_t nfree = 0;
  for (size_t j = 0; j < p; j++)
    nfree += w->isfree[j] != 0;
  double lcur;
  int st = firth_eval (w, beta, &lcur);
  *iter = 0;
  *converged = 0;
  if (st != AXS_OK)
    return st;
  if (nfree == 0)
    {
      *lpen = lcur;
      *converged = 1;
      return AXS_OK;
    }
  for (int it = 1; it <= ctl->maxit; it++)
    {
      *iter = it;
      st = firth_step (w);
      if (st != AXS_OK)
        return st;
      for (size_t j = 0; j < p; j++)
        {
          double ds = fabs (w->delta[j]) * w->sd[j];
          if (ds > ctl->maxstep)
            w->delta[j] *= ctl->maxstep / ds;
          w->bold[j] = beta[j];
          beta[j] = w->bold[j] + w->delta[j];
        }
      double lnew;
      st = firth_eval (w, beta, &lnew);
      /* coxphf does not halve the first step; a failed evaluation is halved
         at any step, since there is nothing to accept */
      for (int hs = 0;
           hs < ctl->maxhs && (st != AXS_OK || (it > 1 && !(lnew > lcur)));
           hs++)
        {
          for (size_t j = 0; j < p; j++)
            {
              w->delta[j] *= 0.5;
              beta[j] = w->bold[j] + w->delta[j];
            }
          st = firth_eval (w, beta, &lnew);
        }
      if (st != AXS_OK)
        return st;
      lcur = lnew;
      int conv = 1;
      for (size_t j = 0; j < p; j++)
        if (w->isfree[j]
            && (fabs (w->delta[j]) * w->sd[j] > ctl->epsilon
                || fabs (w->ustar[j]) / w->sd[j] > ctl->gconv))
          conv = 0;
      if (conv)
        {
          *converged = 1;
          break;
        }
    }
  *lpen = lcur;
  return AXS_OK;
}

/* Profile: fix b_r = C, maximise l* over the others starting from BETA
   (in/out).  Gives l*_r(C) and its derivative, U*_r at the constrained
   maximum (the other scores vanish there). */
static int
firth_profile (axs_firth_workspace *w, const axs_firth_control *ctl,
               size_t r, double c, double *beta, double *lprof, double *slope)
{
  for (size_t j = 0; j < w->p; j++)
    w->isfree[j] = j != r;
  beta[r] = c;
  int iter, conv;
  int st = firth_newton (w, ctl, beta, lprof, &iter, &conv);
  if (st != AXS_OK)
    return st;
  if (!conv)
    return AXS_ENOCONV;
  *slope = w->ustar[r];
  return AXS_OK;
}

/* One profile confidence limit for coefficient R on side SIDE (-1 lower,
   +1 upper): the root of h(c) = 2 (lmax - l*_r(c)) - q beyond bhat[r].
   Safeguarded Newton on t = side (c - bhat_r), where h rises from -q at
   t = 0 and dh/dt = -2 side U*_r: a step that leaves the bracket is replaced
   by bisection, or by a doubling while no upper bracket is known. */
static int
firth_limit (axs_firth_workspace *w, const axs_firth_control *ctl,
             const double *bhat, double lmax, double se, double q,
             size_t r, int side, double *limit)
{
  const size_t p = w->p;
  double *beta = w->bwork;
  memcpy (beta, bhat, p * sizeof *beta);
  double lo = 0, hi = HUGE_VAL;
  double t = sqrt (q) * se;     /* the Wald limit */
  const double tmax = 1e3 * (se + fabs (bhat[r]) + 1);
  for (int it = 0; it < 200; it++)
    {
      double lprof, slope;
      int st = firth_profile (w, ctl, r, bhat[r] + side * t, beta, &lprof,
                              &slope);
      double h = 2 * (lmax - lprof) - q, dh = -2 * side * slope;
      if (st != AXS_OK)
        {
          /* too far out for the fit: treat as beyond the root, restart the
             nuisance coefficients from the estimate */
          hi = t;
          memcpy (beta, bhat, p * sizeof *beta);
          t = 0.5 * (lo + hi);
          continue;
        }
      if (fabs (h) <= 1e-11 * (1 + fabs (lmax)))
        {
          /* one last Newton step costs nothing */
          *limit = bhat[r] + side * (dh > 0 ? t - h / dh : t);
          return AXS_OK;
        }
      if (h < 0)
        lo = t;
      else
        hi = t;
      double tn = (dh > 0) ? t - h / dh : NAN;
      if (hi == HUGE_VAL)
        {
          if (!(tn > t) || tn > 4 * t)
            tn = 2 * t;
        }
      else if (!(tn > lo && tn < hi))
        tn = 0.5 * (lo + hi);
      if (fabs (tn - t) <= 1e-13 * (1 + fabs (bhat[r] + side * t)))
        {
          *limit = bhat[r] + side * tn;
          return AXS_OK;
        }
      if (tn > tmax)
        return AXS_ENOCONV;
      t = tn;
    }
  return AXS_ENOCONV;
}

/* Sort by stratum then time, centre x (l, U, I and dI/db do not change when
   a column is shifted, and exp (x'b) keeps its precision), and find the
   column standard deviations that scale coxphf's step control. */
static int
firth_setup (axs_firth_workspace *w, const double *x, const double *time,
             const int *event, const int *strata, size_t *nevent)
{
  const size_t n = w->n, p = w->p;
  int st = axs_order_strata (n, time, strata, w->order);
  if (st != AXS_OK)
    return st;
  for (size_t j = 0; j < p; j++)
    {
      double mean = 0;
      for (size_t i = 0; i < n; i++)
        mean += x[i * p + j];
      mean /= (double) n;
      double ss = 0;
      for (size_t i = 0; i < n; i++)
        ss += (x[i * p + j] - mean) * (x[i * p + j] - mean);
      w->sd[j] = n > 1 ? sqrt (ss / (double) (n - 1)) : 0;
      if (!(w->sd[j] > 0))
        return AXS_ESINGULAR;
      for (size_t i = 0; i < n; i++)
        w->xs[i * p + j] = x[w->order[i] * p + j] - mean;
    }
  *nevent = 0;
  for (size_t i = 0; i < n; i++)
    {
      size_t k = w->order[i];
      w->ts[i] = time[k];
      w->es[i] = event[k];
      w->ss[i] = strata ? strata[k] : 0;
      *nevent += event[k] != 0;
    }
  return AXS_OK;
}

int
axs_firth_fit (size_t n, size_t p, const double *x, const double *time,
               const int *event, const int *strata, double conf,
               const axs_firth_control *ctl, axs_firth_workspace *w,
               axs_firth_result *res)
{
  axs_firth_control defaults;
  axs_firth_control_default (&defaults);
  if (!ctl)
    ctl = &defaults;

  if (n == 0 || p == 0 || !x || !time || !event || !w || !res)
    return AXS_EINVAL;
  else if (w->n != n || w->p != p || res->p != p)
    return AXS_EINVAL;
  else if (!(conf > 0 && conf < 1))
    return AXS_EINVAL;
  else if (ctl->maxit < 1 || ctl->maxhs < 0 || !(ctl->epsilon > 0)
           || !(ctl->gconv > 0) || !(ctl->maxstep > 0))
    return AXS_EINVAL;
  for (size_t i = 0; i < n; i++)
    {
      if (!isfinite (time[i]) || (event[i] != 0 && event[i] != 1))
        return AXS_EINVAL;
      for (size_t j = 0; j < p; j++)
        if (!isfinite (x[i * p + j]))
          return AXS_EINVAL;
    }

  res->n = n;
  res->conf = conf;
  res->iter = 0;
  res->converged = 0;
  for (size_t j = 0; j < p; j++)
    res->lower[j] = res->upper[j] = res->chisq[j] = res->pvalue[j] = NAN;

  size_t nevent = 0;
  int st = firth_setup (w, x, time, event, strata, &nevent);
  res->nevent = nevent;
  if (st != AXS_OK)
    return st;
  if (nevent == 0)
    return AXS_EDOM;

  double *b = res->coef;
  memset (b, 0, p * sizeof *b);
  st = firth_eval (w, b, &res->loglik0);
  if (st != AXS_OK)
    return st;
  memset (w->isfree, 1, p);
  double lmax;
  st = firth_newton (w, ctl, b, &lmax, &res->iter, &res->converged);
  if (st != AXS_OK)
    return st;
  /* W holds the evaluation at the estimate */
  memcpy (res->var, w->infoinv, p * p * sizeof *res->var);
  for (size_t j = 0; j < p; j++)
    res->se[j] = sqrt (res->var[j * p + j]);
  res->loglik = lmax;
  res->lrt = 2 * (lmax - res->loglik0);
  res->lrt_pvalue = gsl_cdf_chisq_Q (res->lrt > 0 ? res->lrt : 0, (double) p);
  if (!res->converged)
    return AXS_ENOCONV;

  /* chi-square(1) quantile as z^2: the normal quantile is exact to double */
  double z = gsl_cdf_ugaussian_Pinv (0.5 + 0.5 * conf);
  double q = z * z;
  for (size_t r = 0; r < p; r++)
    {
      double lim;
      if (firth_limit (w, ctl, b, lmax, res->se[r], q, r, -1, &lim) == AXS_OK)
        res->lower[r] = lim;
      if (firth_limit (w, ctl, b, lmax, res->se[r], q, r, +1, &lim) == AXS_OK)
        res->upper[r] = lim;
      double lprof, slope;
      memcpy (w->bwork, b, p * sizeof *b);
      if (firth_profile (w, ctl, r, 0.0, w->bwork, &lprof, &slope) == AXS_OK)
        {
          double c = 2 * (lmax - lprof);
          res->chisq[r] = c > 0 ? c : 0;
          /* upper tail of chi-square(1) is erfc (sqrt (c/2)) */
          res->pvalue[r] = erfc (sqrt (res->chisq[r] / 2));
        }
    }
  return AXS_OK;
}
