/* cox.c: Cox proportional-hazards fit (Newton-Raphson on the partial likelihood). */
#include "stats/cox.h"
#include "stats/order.h"
#include "stats/status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* Ratio of conditional information (1 / var_jj) at the fit to that at INIT
   below which a coefficient is taken to be running off to infinity: the
   information of a diverging coefficient decays like exp (-|b|), a finite one
   would need a hazard ratio of about 1e6 between groups to get there. */
#define INFO_VANISHED 1e-6

enum { W_EVENT = 1, W_LAST = 2 };

/* Sorted rows gathered at once, centred and scaled, ahead of the backward
   pass: the caller's rows lie scattered, and a tight gathering loop keeps
   many of them in flight. */
enum { BLOCK_ROWS = 1024, GATHER_AHEAD = 32 };

/* Data sorted by time within strata, and the scratch of one iteration.  The
   caller's rows are read through the order, not copied: at 10^6 patients a
   sorted copy of the matrix was the largest allocation of a fit. */
typedef struct
{
  size_t n, p;
  enum axs_cox_ties ties;
  const double *x;    /* n*p, the caller's rows in input order */
  size_t *ord;        /* n: the row of X at each sorted position */
  const double *means, *scale;  /* p: row ORD[i] of X centred and scaled is
                                   (x - means) * scale, as R's coxfit6 */
  double *block;      /* BLOCK_ROWS * p: sorted rows, centred and scaled */
  double *time;       /* n sorted */
  unsigned char *flag;  /* n sorted: W_EVENT, W_LAST (the last row of its
                           stratum in sorted order) */
  double *u;          /* p score */
  double *imat;       /* p*p information, upper triangle filled */
  double *a, *a2;     /* p: risk-weighted sums of x over the risk set / the tied deaths */
  double *cmat, *cmat2;  /* p*p: the same for x x' (upper triangle) */
} cox_work;

static double cox_iterate (cox_work *w, const double *beta);
static void work_free (cox_work *w);

void
axs_cox_options_default (axs_cox_options *opt)
{
  if (opt == NULL)
    return;
  opt->ties = AXS_COX_EFRON;
  opt->max_iter = 20;
  opt->eps = 1e-9;
  opt->toler_chol = pow (DBL_EPSILON, 0.75);
  opt->toler_inf = sqrt (1e-9);
  opt->conf_level = 0.95;
  opt->init = NULL;
}

axs_cox_result *
axs_cox_result_alloc (size_t n, size_t p)
{
  if (p == 0 || n == 0 || p > ((size_t) -1) / sizeof (double) / p)
    return NULL;
  axs_cox_result *r = calloc (1, sizeof *r);
  if (r == NULL)
    return NULL;
  r->n = n;
  r->p = p;
  r->coef = calloc (p, sizeof (double));
  r->se = calloc (p, sizeof (double));
  r->z = calloc (p, sizeof (double));
  r->p_value = calloc (p, sizeof (double));
  r->hr = calloc (p, sizeof (double));
  r->hr_lower = calloc (p, sizeof (double));
  r->hr_upper = calloc (p, sizeof (double));
  r->means = calloc (p, sizeof (double));
  r->score = calloc (p, sizeof (double));
  r->may_be_infinite = calloc (p, sizeof (int));
  r->singular = calloc (p, sizeof (int));
  r->var = calloc (p * p, sizeof (double));
  r->lp = calloc (n, sizeof (double));
  if (!r->coef || !r->se || !r->z || !r->p_value || !r->hr || !r->hr_lower
      || !r->hr_upper || !r->means || !r->score || !r->may_be_infinite
      || !r->singular || !r->var || !r->lp)
    {
      axs_cox_result_free (r);
      return NULL;
    }
  return r;
}

void
axs_cox_result_free (axs_cox_result *r)
{
  if (r == NULL)
    return;
  free (r->coef);
  free (r->se);
  free (r->z);
  free (r->p_value);
  free (r->hr);
  free (r->hr_lower);
  free (r->hr_upper);
  free (r->means);
  free (r->score);
  free (r->may_be_infinite);
  free (r->singular);
  free (r->var);
  free (r->lp);
  free (r);
}

/* ---- LDL' factorisation (the algorithm of R survival's cholesky2/chsolve2/chinv2) ---- */

int
axs_cox_ldl_decomp (size_t p, double *a, double toler)
{
  double big = 0;
  int nonneg = 1;
  for (size_t i = 0; i < p; i++)
    {
      if (a[i * p + i] > big)
        big = a[i * p + i];
      for (size_t j = i + 1; j < p; j++)
        a[j * p + i] = a[i * p + j];
    }
  if (big == 0)
    {
      /* every column constant: nothing can be estimated */
      for (size_t i = 0; i < p; i++)
        a[i * p + i] = 0;
      return 0;
    }
  double tol = big * toler;

  int rank = 0;
  for (size_t i = 0; i < p; i++)
    {
      double pivot = a[i * p + i];
      if (!isfinite (pivot) || pivot < tol)
        {
          a[i * p + i] = 0;
          if (pivot < -8 * tol)
            nonneg = -1;
          continue;
        }
      rank++;
      for (size_t j = i + 1; j < p; j++)
        {
          double l = a[j * p + i] / pivot;
          a[j * p + i] = l;
          a[j * p + j] -= l * l * pivot;
          for (size_t k = j + 1; k < p; k++)
            a[k * p + j] -= l * a[k * p + i];
        }
    }
  return rank * nonneg;
}

void
axs_cox_ldl_solve (size_t p, const double *a, double *b)
{
  /* L z = b */
  for (size_t i = 0; i < p; i++)
    {
      double s = b[i];
      for (size_t j = 0; j < i; j++)
        s -= a[i * p + j] * b[j];
      b[i] = s;
    }
  /* D L' y = z, a dropped pivot gives 0 */
  for (size_t ii = p; ii-- > 0;)
    {
      if (a[ii * p + ii] == 0)
        {
          b[ii] = 0;
          continue;
        }
      double s = b[ii] / a[ii * p + ii];
      for (size_t j = ii + 1; j < p; j++)
        s -= a[j * p + ii] * b[j];
      b[ii] = s;
    }
}

void
axs_cox_ldl_invert (size_t p, double *a)
{
  /* invert D and L in the lower triangle (L^-1 is again unit lower) */
  for (size_t i = 0; i < p; i++)
    {
      if (a[i * p + i] > 0)
        {
          a[i * p + i] = 1 / a[i * p + i];
          for (size_t j = i + 1; j < p; j++)
            {
              a[j * p + i] = -a[j * p + i];
              for (size_t k = 0; k < i; k++)
                a[j * p + k] += a[j * p + i] * a[i * p + k];
            }
        }
    }
  /* A^-1 = L^-T D^-1 L^-1, built in the upper triangle */
  for (size_t i = 0; i < p; i++)
    {
      if (a[i * p + i] == 0)
        {
          for (size_t j = 0; j < i; j++)
            a[j * p + i] = 0;
          for (size_t j = i; j < p; j++)
            a[i * p + j] = 0;
          continue;
        }
      for (size_t j = i + 1; j < p; j++)
        {
          double t = a[j * p + i] * a[j * p + j];
          a[i * p + j] = t;
          for (size_t k = i; k < j; k++)
            a[i * p + k] += t * a[j * p + k];
        }
    }
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < i; j++)
      a[i * p + j] = a[j * p + i];
}

/* ---- rows of the upper triangle, two columns at a time ----

   The sums below are element by element, so doing two elements in one
   instruction gives the same numbers bit for bit; the compiler does not do
   it by itself at -O2 (the arrays could overlap).  Each row I starts at the
   even column at or before I: the odd element before the diagonal is in the
   lower triangle, which nothing reads. */

typedef double v2d __attribute__ ((vector_size (2 * sizeof (double))));

static inline v2d
load2 (const double *p)
{
  v2d v;
  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
store2 (double *p, v2d v)
{
  memcpy (p, &v, sizeof v);
}

/* C[j] += r * X[j] for j in [I & ~1, P). */
static inline void
row_add_scaled (size_t i, size_t p, double *c, double r, const double *x)
{
  size_t j = i & ~(size_t) 1;
  v2d rr = { r, r };
  for (; j + 1 < p; j += 2)
    store2 (c + j, load2 (c + j) + rr * load2 (x + j));
  for (; j < p; j++)
    c[j] += r * x[j];
}

/* Row I of the information at one death time: C += C2 * F, then
   IM += (D * (C - MEAN * A)) / DENOM (D omitted when 0, the Efron step). */
static inline void
row_info (size_t i, size_t p, double *c, const double *c2, double f, double *im,
          double d, double mean, const double *a, double denom)
{
  size_t j = i & ~(size_t) 1;
  v2d ff = { f, f }, dd = { d, d }, mm = { mean, mean }, de = { denom, denom };
  if (d != 0)
    {
      for (; j + 1 < p; j += 2)
        {
          v2d cj = load2 (c + j) + load2 (c2 + j);
          store2 (c + j, cj);
          store2 (im + j, load2 (im + j) + dd * (cj - mm * load2 (a + j)) / de);
        }
      for (; j < p; j++)
        {
          c[j] += c2[j];
          im[j] += d * (c[j] - mean * a[j]) / denom;
        }
    }
  else
    {
      for (; j + 1 < p; j += 2)
        {
          v2d cj = load2 (c + j) + load2 (c2 + j) * ff;
          store2 (c + j, cj);
          store2 (im + j, load2 (im + j) + (cj - mm * load2 (a + j)) / de);
        }
      for (; j < p; j++)
        {
          c[j] += c2[j] * f;
          im[j] += (c[j] - mean * a[j]) / denom;
        }
    }
}

/* ---- the partial likelihood, its score and information in one backward pass ---- */

/* Log partial likelihood at BETA (scaled units); fills w->u and the upper
   triangle of w->imat.  Walks time backwards so the risk set only grows: a
   block of equal times is added as a whole, ties don't cross strata. */
static double
cox_iterate (cox_work *w, const double *beta)
{
  const size_t n = w->n, p = w->p;
  double *u = w->u, *imat = w->imat, *a = w->a, *a2 = w->a2;
  double *cmat = w->cmat, *cmat2 = w->cmat2;
  double loglik = 0, denom = 0;

  memset (u, 0, p * sizeof *u);
  memset (imat, 0, p * p * sizeof *imat);
  memset (a2, 0, p * sizeof *a2);
  memset (cmat2, 0, p * p * sizeof *cmat2);

  const double *means = w->means, *scale = w->scale;
  size_t lo = n;                /* the block holds sorted rows lo.. */
  for (size_t person = n; person-- > 0;)
    {
      if (w->flag[person] & W_LAST)
        {
          /* a new stratum: the risk set starts empty */
          denom = 0;
          memset (a, 0, p * sizeof *a);
          memset (cmat, 0, p * p * sizeof *cmat);
        }
      double dtime = w->time[person];
      int ndead = 0;
      double denom2 = 0;
      for (;;)
        {
          if (person < lo)
            {
              size_t hi = person + 1;
              lo = hi > BLOCK_ROWS ? hi - BLOCK_ROWS : 0;
              for (size_t k = lo; k < hi; k++)
                {
                  if (k + GATHER_AHEAD < hi)
                    {
                      /* a row may straddle two cache lines */
                      const double *ahead = w->x + w->ord[k + GATHER_AHEAD] * p;
                      __builtin_prefetch (ahead);
                      __builtin_prefetch (ahead + p - 1);
                    }
                  const double *xr = w->x + w->ord[k] * p;
                  double *xb = w->block + (k - lo) * p;
                  for (size_t i = 0; i < p; i++)
                    xb[i] = (xr[i] - means[i]) * scale[i];
                }
            }
          const double *xi = w->block + (person - lo) * p;
          double zbeta = 0;
          for (size_t i = 0; i < p; i++)
            zbeta += beta[i] * xi[i];
          double risk = exp (zbeta);
          double *as = a, *cs = cmat;
          if (w->flag[person] & W_EVENT)
            {
              ndead++;
              denom2 += risk;
              loglik += zbeta;
              for (size_t i = 0; i < p; i++)
                u[i] += xi[i];
              as = a2;
              cs = cmat2;
            }
          else
            denom += risk;
          for (size_t i = 0; i < p; i++)
            {
              double rx = risk * xi[i];
              as[i] += rx;
              row_add_scaled (i, p, cs + i * p, rx, xi);
            }
          if (person == 0 || (w->flag[person - 1] & W_LAST)
              || w->time[person - 1] != dtime)
            break;
          person--;
        }

      if (ndead == 0)
        continue;
      if (w->ties == AXS_COX_BRESLOW || ndead == 1)
        {
          denom += denom2;
          loglik -= ndead * log (denom);
          for (size_t i = 0; i < p; i++)
            a[i] += a2[i];
          for (size_t i = 0; i < p; i++)
            {
              double mean = a[i] / denom;
              u[i] -= ndead * mean;
              row_info (i, p, cmat + i * p, cmat2 + i * p, 1, imat + i * p, ndead,
                        mean, a, denom);
            }
        }
      else
        {
          /* Efron: the d tied deaths leave the risk set a fraction 1/d at a time */
          double frac = 1.0 / ndead;
          for (int k = 0; k < ndead; k++)
            {
              denom += denom2 * frac;
              loglik -= log (denom);
              for (size_t i = 0; i < p; i++)
                a[i] += a2[i] * frac;
              for (size_t i = 0; i < p; i++)
                {
                  double mean = a[i] / denom;
                  u[i] -= mean;
                  row_info (i, p, cmat + i * p, cmat2 + i * p, frac, imat + i * p, 0,
                            mean, a, denom);
                }
            }
        }
      memset (a2, 0, p * sizeof *a2);
      memset (cmat2, 0, p * p * sizeof *cmat2);
    }
  return loglik;
}

static void
work_free (cox_work *w)
{
  free (w->ord);
  free (w->block);
  free (w->time);
  free (w->flag);
  free (w->u);
  free (w->imat);
  free (w->a);
  free (w->a2);
  free (w->cmat);
  free (w->cmat2);
}

/* Sort rows by (stratum, time), stable, into W: the order, the sorted times
   and flags; the means and scales of the columns (MEANS and SCALE, length p,
   which W reads).  MEANS comes in holding the columns' sums, taken in input
   order; the scales are summed in sorted order.  Returns a status. */
static int
work_setup (cox_work *w, size_t n, size_t p, const double *x,
            const double *time, const int *event, const int *strata,
            double *means, double *scale)
{
  memset (w, 0, sizeof *w);
  w->n = n;
  w->p = p;
  w->x = x;
  w->means = means;
  w->scale = scale;
  size_t *ord = w->ord = malloc (n * sizeof *ord);
  int status = ord ? axs_order_strata (n, time, strata, ord) : AXS_ENOMEM;
  if (status == AXS_OK)
    {
      w->block = malloc ((n < BLOCK_ROWS ? n : BLOCK_ROWS) * p * sizeof *w->block);
      w->time = malloc (n * sizeof *w->time);
      w->flag = malloc (n);
      w->u = malloc (p * sizeof *w->u);
      w->imat = malloc (p * p * sizeof *w->imat);
      w->a = malloc (p * sizeof *w->a);
      w->a2 = malloc (p * sizeof *w->a2);
      w->cmat = malloc (p * p * sizeof *w->cmat);
      w->cmat2 = malloc (p * p * sizeof *w->cmat2);
      if (!w->block || !w->time || !w->flag || !w->u || !w->imat || !w->a
          || !w->a2 || !w->cmat || !w->cmat2)
        status = AXS_ENOMEM;
    }
  if (status == AXS_OK)
    {
      for (size_t j = 0; j < p; j++)
        {
          means[j] = means[j] / n;
          scale[j] = 0;         /* the sum of |x - mean| for now */
        }
      for (size_t i = 0; i < n; i++)
        {
          size_t r = ord[i];
          const double *xr = x + r * p;
          for (size_t j = 0; j < p; j++)
            scale[j] += fabs (xr[j] - means[j]);
          w->time[i] = time[r];
          int last = (i + 1 == n)
            || (strata != NULL && strata[ord[i + 1]] != strata[r]);
          w->flag[i] = (unsigned char) ((event[r] ? W_EVENT : 0) | (last ? W_LAST : 0));
        }
      /* scaling keeps the pivots of very differently sized columns comparable */
      for (size_t j = 0; j < p; j++)
        scale[j] = scale[j] > 0 ? n / scale[j] : 1.0;
    }
  if (status != AXS_OK)
    work_free (w);
  return status;
}

/* Copy the upper triangle of the information into a full working matrix. */
static void
info_copy (size_t p, const double *imat, double *dst)
{
  for (size_t i = 0; i < p; i++)
    for (size_t j = i; j < p; j++)
      dst[i * p + j] = dst[j * p + i] = imat[i * p + j];
}

static double
chisq_q (double x, double df)
{
  if (!(df > 0) || isnan (x))
    return NAN;
  if (x <= 0)
    return 1.0;
  return gsl_cdf_chisq_Q (x, df);
}

int
axs_cox_fit (size_t n, size_t p, const double *x, const double *time,
             const int *event, const int *strata,
             const axs_cox_options *opt, axs_cox_result *res)
{
  axs_cox_options defaults;
  if (opt == NULL)
    {
      axs_cox_options_default (&defaults);
      opt = &defaults;
    }

  if (n == 0 || p == 0 || x == NULL || time == NULL || event == NULL
      || res == NULL)
    return AXS_EINVAL;
  else if (res->n != n || res->p != p || n > ((size_t) -1) / sizeof (double) / p)
    return AXS_EINVAL;
  else if (opt->max_iter < 0 || !(opt->eps > 0) || !(opt->toler_chol > 0)
           || !(opt->toler_inf > 0) || !(opt->conf_level > 0)
           || !(opt->conf_level < 1)
           || (opt->ties != AXS_COX_EFRON && opt->ties != AXS_COX_BRESLOW))
    return AXS_EINVAL;

  if (opt->init != NULL)
    for (size_t j = 0; j < p; j++)
      if (!isfinite (opt->init[j]))
        return AXS_EINVAL;

  cox_work w;
  double *buf = malloc ((5 * p + 2 * p * p) * sizeof *buf);
  if (buf == NULL)
    return AXS_ENOMEM;
  double *scale = buf, *beta = scale + p, *newbeta = beta + p, *step = newbeta + p;
  double *sum = step + p;       /* p: the columns' sums, for their means */
  double *info0 = sum + p;      /* p*p */
  double *fact = info0 + p * p; /* p*p: the factor of the information, then its inverse */

  /* the inputs checked and the columns summed in one pass */
  size_t nevent = 0;
  memset (sum, 0, p * sizeof *sum);
  for (size_t i = 0; i < n; i++)
    {
      int bad = !isfinite (time[i]) || (event[i] != 0 && event[i] != 1)
        || (strata != NULL && strata[i] < 0);
      for (size_t j = 0; j < p; j++)
        {
          bad |= !isfinite (x[i * p + j]);
          sum[j] += x[i * p + j];
        }
      if (bad)
        {
          free (buf);
          return AXS_EINVAL;
        }
      nevent += event[i];
    }
  if (nevent == 0)
    {
      free (buf);
      return AXS_EDOM;
    }

  memcpy (res->means, sum, p * sizeof *sum);
  int status = work_setup (&w, n, p, x, time, event, strata, res->means, scale);
  if (status != AXS_OK)
    {
      free (buf);
      return status;
    }
  w.ties = opt->ties;

  res->nevent = nevent;
  for (size_t j = 0; j < p; j++)
    beta[j] = opt->init ? opt->init[j] / scale[j] : 0.0;

  /* the starting point: loglik, score test */
  double ll_init = cox_iterate (&w, beta);
  info_copy (p, w.imat, info0);
  memcpy (fact, info0, p * p * sizeof *fact);
  int rank = axs_cox_ldl_decomp (p, fact, opt->toler_chol);
  memcpy (step, w.u, p * sizeof *step);
  axs_cox_ldl_solve (p, fact, step);
  double sctest = 0;
  for (size_t j = 0; j < p; j++)
    sctest += w.u[j] * step[j];
  /* conditional information at INIT, for the infinite-coefficient guard */
  axs_cox_ldl_invert (p, fact);
  for (size_t j = 0; j < p; j++)
    info0[j] = fact[j * p + j] > 0 ? 1 / fact[j * p + j] : 0;

  double ll_best = ll_init;
  int iter = 0, converged = 0;
  if (opt->max_iter == 0 || !isfinite (ll_init))
    {
      /* evaluate at INIT only; recompute the factor the score test used */
      info_copy (p, w.imat, fact);
      rank = axs_cox_ldl_decomp (p, fact, opt->toler_chol);
      converged = opt->max_iter == 0 && isfinite (ll_init);
    }
  else
    {
      for (size_t j = 0; j < p; j++)
        newbeta[j] = beta[j] + step[j];
      int halving = 0;
      for (iter = 1; iter <= opt->max_iter; iter++)
        {
          double newlk = cox_iterate (&w, newbeta);
          info_copy (p, w.imat, fact);
          rank = axs_cox_ldl_decomp (p, fact, opt->toler_chol);

          int finite = isfinite (newlk);
          for (size_t j = 0; j < p; j++)
            {
              finite = finite && isfinite (w.u[j]);
              for (size_t k = j; k < p; k++)
                finite = finite && isfinite (w.imat[j * p + k]);
            }
          if (finite && fabs (1 - ll_best / newlk) <= opt->eps)
            {
              ll_best = newlk;
              memcpy (beta, newbeta, p * sizeof *beta);
              converged = 1;
              break;
            }
          if (!finite || newlk < ll_best)
            {
              /* worse than the last good point: step back towards it, harder each time */
              halving++;
              for (size_t j = 0; j < p; j++)
                newbeta[j] = (newbeta[j] + halving * beta[j]) / (halving + 1.0);
            }
          else
            {
              halving = 0;
              ll_best = newlk;
              memcpy (step, w.u, p * sizeof *step);
              axs_cox_ldl_solve (p, fact, step);
              for (size_t j = 0; j < p; j++)
                {
                  beta[j] = newbeta[j];
                  newbeta[j] += step[j];
                }
            }
        }
      if (!converged)
        {
          /* back to the last accepted point; ITER is max_iter + 1 here, the
             count R reports for a fit that ran out of iterations */
          ll_best = cox_iterate (&w, beta);
          info_copy (p, w.imat, fact);
          rank = axs_cox_ldl_decomp (p, fact, opt->toler_chol);
        }
    }

  /* back to the units of the data */
  axs_cox_ldl_invert (p, fact);
  for (size_t i = 0; i < p; i++)
    {
      res->coef[i] = beta[i] * scale[i];
      res->score[i] = w.u[i] / scale[i];
      for (size_t j = 0; j < p; j++)
        res->var[i * p + j] = fact[i * p + j] * scale[i] * scale[j];
    }

  res->nsingular = 0;
  for (size_t j = 0; j < p; j++)
    {
      res->singular[j] = rank < (int) p && res->var[j * p + j] == 0;
      res->nsingular += res->singular[j];
    }
  res->df = (int) (p - res->nsingular);

  /* monotone likelihood: R's rule, then the vanished-information guard */
  res->any_infinite = 0;
  for (size_t j = 0; j < p; j++)
    {
      double uv = 0;
      for (size_t k = 0; k < p; k++)
        uv += res->score[k] * res->var[k * p + j];
      uv = fabs (uv);
      int inf = 0;
      if (iter > 0 && !res->singular[j])
        {
          /* R's rule reads the next Newton step, about 1 for a diverging
             coefficient; it means nothing when the fit stopped short */
          inf = !isfinite (res->score[j]) || !isfinite (uv)
            || (converged && uv > opt->eps
                && uv > opt->toler_inf * fabs (res->coef[j]));
          /* A separation that drives the loglik to 0 never converges in
             relative terms, and R then only warns when max (lp) > 500 */
          double cinfo = fact[j * p + j] > 0 ? 1 / fact[j * p + j] : 0;
          if (info0[j] > 0 && cinfo < INFO_VANISHED * info0[j])
            inf = 1;
        }
      res->may_be_infinite[j] = inf;
      res->any_infinite |= inf;
    }

  double q = gsl_cdf_ugaussian_Pinv (1 - (1 - opt->conf_level) / 2);
  for (size_t j = 0; j < p; j++)
    {
      if (res->singular[j])
        {
          res->coef[j] = res->se[j] = res->z[j] = res->p_value[j] = NAN;
          res->hr[j] = res->hr_lower[j] = res->hr_upper[j] = NAN;
          continue;
        }
      double se = sqrt (res->var[j * p + j]);
      res->se[j] = se;
      res->z[j] = res->coef[j] / se;
      res->p_value[j] = 2 * gsl_cdf_ugaussian_Q (fabs (res->z[j]));
      res->hr[j] = exp (res->coef[j]);
      res->hr_lower[j] = exp (res->coef[j] - q * se);
      res->hr_upper[j] = exp (res->coef[j] + q * se);
    }

  /* linear predictor centred on the means, as R's fit$linear.predictors */
  double offset = 0;
  for (size_t j = 0; j < p; j++)
    if (!res->singular[j])
      offset += res->coef[j] * res->means[j];
  for (size_t i = 0; i < n; i++)
    {
      double s = 0;
      for (size_t j = 0; j < p; j++)
        if (!res->singular[j])
          s += x[i * p + j] * res->coef[j];
      res->lp[i] = s - offset;
    }

  res->loglik_init = ll_init;
  res->loglik = (opt->max_iter == 0) ? ll_init : ll_best;
  res->iterations = iter;
  res->converged = converged;
  res->lr_chisq = 2 * (res->loglik - ll_init);
  res->lr_p = chisq_q (res->lr_chisq, res->df);
  res->score_chisq = sctest;
  res->score_p = chisq_q (sctest, res->df);

  /* Wald test b' V^- b through a factor of V, as R's coxph.wtest: the
     non-singular block of V is packed into INFO0 (m x m), b into STEP */
  {
    size_t m = (size_t) res->df, r = 0;
    for (size_t j = 0; j < p; j++)
      {
        if (res->singular[j])
          continue;
        size_t c = 0;
        for (size_t k = 0; k < p; k++)
          if (!res->singular[k])
            info0[r * m + c++] = res->var[j * p + k];
        step[r] = newbeta[r] = res->coef[j];
        r++;
      }
    double wald = 0;
    if (m > 0)
      {
        axs_cox_ldl_decomp (m, info0, opt->toler_chol);
        axs_cox_ldl_solve (m, info0, newbeta);
        for (size_t j = 0; j < m; j++)
          wald += step[j] * newbeta[j];
      }
    res->wald_chisq = wald;
    res->wald_p = chisq_q (wald, res->df);
  }

  work_free (&w);
  free (buf);

  if (res->nsingular > 0)
    return AXS_ESINGULAR;
  /* a fit that ran out because a coefficient diverges is explained by the flag */
  if (!converged && opt->max_iter > 0 && !res->any_infinite)
    return AXS_ENOCONV;
  return AXS_OK;
}
