/* cox.c: Cox proportional-hazards fit (Newton-Raphson on the partial likelihood). */
#include "stats/cox.h"
#include "stats/order.h"
#include "stats/parallel.h"
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

/* Flags of a sorted row: an event; the last row of its stratum; tied with
   the row before it (same stratum and time: one block of the risk sets). */
enum { W_EVENT = 1, W_LAST = 2, W_TIED = 4 };

/* The work is split into a fixed number of chunks (of sorted rows for the
   risk sets, of input rows for the rest) whatever the number of threads, and
   the chunks' sums are combined in chunk order: the numbers do not depend on
   AXLSURV_THREADS.  Rows read through the order are prefetched this far ahead. */
enum { CHUNK_ROWS = 16384, MAX_CHUNKS = 32, GATHER_AHEAD = 16 };

/* One chunk's share of an iteration (cox_iterate), in W->cbuf:
   scalars, then p-vectors, then p*p matrices (upper triangles). */
enum { C_LL, C_SQ0, C_SW0, C_DEN, C_RESET, C_DCARRY, C_NSCALAR };
enum { C_NZERO = C_DEN };  /* the scalars pass 2 starts from 0 */

/* Data sorted by time within strata, and the scratch of one iteration.  The
   caller's rows are read through the order, not copied: at 10^6 patients a
   sorted copy of the matrix was the largest allocation of a fit.  Rows the
   caller sorted already (the CLI does) are read in sequence, no order. */
typedef struct
{
  size_t n, p;
  enum axs_cox_ties ties;
  int nthreads;
  const double *x;    /* n*p, the caller's rows in input order */
  const int *event;   /* n, input order */
  const double *count;  /* n, input order: the patients each row stands for,
                           or NULL for one each */
  size_t *ord;        /* n: the row of X at each sorted position; NULL when
                         the rows are in that order already */
  const double *means, *scale;  /* p: row ORD[i] of X centred and scaled is
                                   (x - means) * scale, as R's coxfit6 */
  unsigned char *flag;  /* n sorted: W_* */
  double *eta;        /* n sorted: the linear predictor (caller's scratch) */
  double *risk;       /* n sorted: exp (eta) */
  const double *beta; /* the point of the current iteration */
  size_t nchunk;
  size_t *bound;      /* nchunk + 1: chunk K is sorted rows bound[K]..bound[K+1]-1,
                         each starting a block of tied rows */
  size_t stride;      /* doubles of one chunk in CBUF */
  double *cbuf;       /* nchunk * stride */
  double *u;          /* p score */
  double *imat;       /* p*p information, upper triangle filled */
  double *acarry, *ccarry;  /* p, p*p: risk-set sums carried between chunks */
} cox_work;

/* The parts of chunk K's share. */
typedef struct
{
  double *s;                    /* C_NSCALAR scalars */
  double *u, *v, *a, *b;        /* p */
  double *imat, *c, *cb;        /* p*p */
} chunk_part;

static chunk_part
chunk_of (const cox_work *w, size_t k)
{
  size_t p = w->p;
  double *s = w->cbuf + k * w->stride;
  chunk_part c = { s, s + C_NSCALAR, s + C_NSCALAR + p, s + C_NSCALAR + 2 * p,
                   s + C_NSCALAR + 3 * p, NULL, NULL, NULL };
  c.imat = s + C_NSCALAR + 4 * p;
  c.c = c.imat + p * p;
  c.cb = c.c + p * p;
  return c;
}

static double cox_iterate (cox_work *w, const double *beta);

/* Row I (sorted position) of X, and a prefetch of it when it is read
   through the order. */
static inline const double *
sorted_row (const cox_work *w, size_t i)
{
  return w->x + (w->ord ? w->ord[i] : i) * w->p;
}

static inline void
fetch_row (const cox_work *w, size_t i)
{
  if (w->ord)
    {
      /* a row may straddle two cache lines */
      const double *ahead = w->x + w->ord[i] * w->p;
      __builtin_prefetch (ahead);
      __builtin_prefetch (ahead + w->p - 1);
    }
}

/* The patients sorted row I stands for. */
static inline double
row_count (const cox_work *w, size_t i)
{
  return w->count ? w->count[w->ord ? w->ord[i] : i] : 1.0;
}
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
  opt->count = NULL;
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

/* M[i][j] += Q0 C[i][j] + Q1 CB[i][j] - AL[i] A[j] - BE[i] B[j] on the upper
   triangle: the information of one block of tied deaths, Efron's way. */
static void
info_block (size_t p, double *m, double q0, const double *c, double q1,
            const double *cb, const double *al, const double *a, const double *be,
            const double *b)
{
  v2d qq0 = { q0, q0 }, qq1 = { q1, q1 };
  for (size_t i = 0; i < p; i++)
    {
      size_t j = i & ~(size_t) 1;
      double *mi = m + i * p;
      const double *ci = c + i * p, *cbi = cb + i * p;
      v2d ali = { al[i], al[i] }, bei = { be[i], be[i] };
      for (; j + 1 < p; j += 2)
        store2 (mi + j, load2 (mi + j) + qq0 * load2 (ci + j) + qq1 * load2 (cbi + j)
                - ali * load2 (a + j) - bei * load2 (b + j));
      for (; j < p; j++)
        mi[j] += q0 * ci[j] + q1 * cbi[j] - al[i] * a[j] - be[i] * b[j];
    }
}

/* Row I of the information at one death time, as R's coxfit6: C += C2,
   then IM += (D * (C - MEAN * A)) / DENOM. */
static inline void
row_info (size_t i, size_t p, double *c, const double *c2, double *im, double d,
          double mean, const double *a, double denom)
{
  size_t j = i & ~(size_t) 1;
  v2d dd = { d, d }, mm = { mean, mean }, de = { denom, denom };
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

/* C += R X X' (upper triangle), A += R X. */
static inline void
add_row (size_t p, double *c, double *a, double r, const double *x)
{
  for (size_t i = 0; i < p; i++)
    {
      double rx = r * x[i];
      a[i] += rx;
      row_add_scaled (i, p, c + i * p, rx, x);
    }
}

/* C += CB (upper triangle), A += B, and CB, B emptied. */
static void
fold_deaths (size_t p, double *c, double *cb, double *a, double *b)
{
  for (size_t i = 0; i < p; i++)
    {
      a[i] += b[i];
      b[i] = 0;
      for (size_t j = i; j < p; j++)
        {
          c[i * p + j] += cb[i * p + j];
          cb[i * p + j] = 0;
        }
    }
}

/* ---- the partial likelihood, its score and information ----

   Each chunk of sorted rows walks time backwards so that its risk set only
   grows, from empty: a block of equal times is added as a whole, ties don't
   cross strata.  The true risk set of a row also holds the later chunks
   (CARRY: their sums, up to the end of the stratum).  The denominators need
   the carried sum of risks, so that comes first (pass 1: the risks and each
   chunk's sum); everything else is linear in the carried sums of x and x x',
   so each chunk keeps the coefficients they get (pass 2) and they are added
   in at the end, chunk by chunk in order.  For a block of d tied deaths with
   risk sums D0 (the others at risk) and E (the deaths), x sums A0 and B, x x'
   sums C0 and CB, Efron's steps s = 1..d take f = s/d of the deaths:
   denominators D_s = D0 + f E, loglik -= sum log D_s, score -= A0 q0 + B q1,
   information += C0 q0 + CB q1 - A0 A0' w0 - (A0 B' + B A0') w1 - B B' w2,
   with q0 = sum 1/D_s, q1 = sum f/D_s, w0 = sum 1/D_s^2, w1 = sum f/D_s^2,
   w2 = sum f^2/D_s^2 (Breslow: f = 1, one step weighing d). */

/* Pass 1: the linear predictors and risks of chunk K in sorted order, and
   the chunk's sum of risks from its first row to the end of that row's
   stratum within the chunk. */
static void
risk_task (void *arg, size_t k)
{
  cox_work *w = arg;
  const size_t p = w->p, lo = w->bound[k], hi = w->bound[k + 1];
  const double *beta = w->beta, *means = w->means, *scale = w->scale;
  double *s = chunk_of (w, k).s;
  double den = 0;
  int reset = 0;
  for (size_t i = hi; i-- > lo;)
    {
      if (i >= lo + GATHER_AHEAD)
        fetch_row (w, i - GATHER_AHEAD);
      if (w->flag[i] & W_LAST)
        {
          den = 0;
          reset |= i + 1 < hi;
        }
      const double *xr = sorted_row (w, i);
      double zbeta = 0;
      for (size_t j = 0; j < p; j++)
        zbeta += beta[j] * ((xr[j] - means[j]) * scale[j]);
      double r = exp (zbeta);
      w->eta[i] = zbeta;
      w->risk[i] = r;
      den += row_count (w, i) * r;
    }
  s[C_DEN] = den;
  s[C_RESET] = reset;
}

/* Efron's steps by Euler-Maclaurin, for a block of d tied deaths from
   counted rows (d > EM_DEATHS).  With h = e/d and a = d0/h the steps are
   D_s = h x, x = a + s, f = s/d; the sums over s of log D_s, 1/D_s, f/D_s,
   1/D_s^2, f/D_s^2 and f^2/D_s^2 are h-scaled sums of g = log x, 1/x, s/x,
   1/x^2, s/x^2 and s^2/x^2.  The first steps, up to x < EM_X, are added
   one by one (walk_task); from there on the sum over s = m..d is
       int_m^d g + (g(m) + g(d)) / 2 + sum_k B_2k / (2k)! (g^(2k-1)(d) - g^(2k-1)(m))
   with k = 1..4: at x >= 32 the first term left out is below 1e-16 of the
   sum.  The integrals are written as sums of positive terms in t = (d - m)
   / x_m, through the PSI below, so that none cancels when a >> d.  Against
   the steps summed in long double, the six sums agree to about 4e-15
   (random blocks of 64 to 3000 deaths, any a). */
enum { EM_DEATHS = 64, EM_X = 32 };

/* B_2k / (2k)!, k = 1..4 */
static const double em_bernoulli[4] = { 1.0 / 12, -1.0 / 720, 1.0 / 30240,
                                        -1.0 / 1209600 };

/* The integrals from 0 to T of log1p (u), u/(1+u), u/(1+u)^2 and
   u^2/(1+u)^2: (1+t) log1p t - t, t - log1p t, log1p t - t/(1+t) and
   t - 2 log1p t + t/(1+t); for t <= 1/2, where these cancel, their
   alternating series sum_k c_k t^k, down to 1e-17 of the smallest (t^3/3). */
static void
efron_psi (double t, double psi[4])
{
  if (t > 0.5)
    {
      double l = log1p (t), v = t / (1 + t);
      psi[0] = (1 + t) * l - t;
      psi[1] = t - l;
      psi[2] = l - v;
      psi[3] = t - 2 * l + v;
      return;
    }
  psi[0] = psi[1] = psi[2] = psi[3] = 0;
  double tk = t * t, sign = 1;
  for (int k = 2; k <= 64 && tk > 1e-17 * t * t * t; k++)
    {
      psi[0] += sign * tk / (k * (k - 1.0));
      psi[1] += sign * tk / k;
      psi[2] += sign * tk * (k - 1.0) / k;
      psi[3] -= sign * tk * (k - 2.0) / k;
      tk *= t;
      sign = -sign;
    }
}

/* Efron's steps s = M..D of a block of D deaths with risk sum E and D0
   the others' (see above): the sums of 1/D_s, f/D_s, 1/D_s^2, f/D_s^2,
   f^2/D_s^2 into SUM, the sum of log D_s returned. */
static double
efron_tail (double d, double m, double d0, double e, double sum[5])
{
  double h = e / d, a = d0 / h;
  double x0 = a + m, x1 = a + d, delta = d - m, t = delta / x0;
  double psi[4];
  efron_psi (t, psi);
  double l = log1p (t), r = delta / (x0 * x1);  /* int 1/x, int 1/x^2 */
  double lm = log (h * x0), ld = log (d0 + e);  /* log D_m, log D_d */
  /* the integrals over s from m to d: with x = x0 (1 + u) and s = m + x0 u */
  double g[6] = { delta * lm + x0 * psi[0], l, x0 * psi[1] + m * l, r,
                  psi[2] + m * r, x0 * psi[3] + 2 * m * psi[2] + m * m * r };
  /* the ends */
  double i0 = 1 / x0, i1 = 1 / x1;
  g[0] += (lm + ld) / 2;
  g[1] += (i0 + i1) / 2;
  g[2] += (m * i0 + d * i1) / 2;
  g[3] += (i0 * i0 + i1 * i1) / 2;
  g[4] += (m * i0 * i0 + d * i1 * i1) / 2;
  g[5] += (m * m * i0 * i0 + d * d * i1 * i1) / 2;
  /* the derivatives of odd order j, from g = log x, 1/x, 1 - a/x, 1/x - a/x^2,
     1 - 2a/x + a^2/x^2: (j-1)! x^-j, -j! x^-(j+1), a j! x^-(j+1),
     -(j+1)! x^-(j+2), -j! x^-(j+2) (s - j a), -j! a x^-(j+2) ((j-1) a - 2s) */
  double fact = 1, p0 = i0, p1 = i1;    /* (j-1)!, x^-j at both ends */
  for (int k = 1; k <= 4; k++)
    {
      int j = 2 * k - 1;
      double fj = fact * j, c = em_bernoulli[k - 1];
      double q0 = p0 * i0 * i0, q1 = p1 * i1 * i1;  /* x^-(j+2) */
      g[0] += c * fact * (p1 - p0);
      g[1] -= c * fj * (p1 * i1 - p0 * i0);
      g[2] += c * fj * a * (p1 * i1 - p0 * i0);
      g[3] -= c * fj * (j + 1) * (q1 - q0);
      g[4] -= c * fj * (q1 * (d - j * a) - q0 * (m - j * a));
      g[5] -= c * fj * a * (q1 * ((j - 1) * a - 2 * d) - q0 * ((j - 1) * a - 2 * m));
      fact = fj * (j + 1);
      p0 *= i0 * i0;
      p1 *= i1 * i1;
    }
  sum[0] = g[1] / h;
  sum[1] = g[2] / e;
  sum[2] = g[3] / (h * h);
  sum[3] = g[4] / (e * h);
  sum[4] = g[5] / (e * e);
  return g[0];
}

/* Pass 2: chunk K's loglik, score, information and their coefficients of
   the carried sums. */
static void
walk_task (void *arg, size_t k)
{
  cox_work *w = arg;
  const size_t p = w->p, lo = w->bound[k], hi = w->bound[k + 1];
  chunk_part c = chunk_of (w, k);
  double *s = c.s, dcarry = s[C_DCARRY];
  memset (s, 0, C_NZERO * sizeof *s);
  memset (c.u, 0, 4 * p * sizeof *c.u);
  memset (c.imat, 0, 3 * p * p * sizeof *c.imat);
  const double *means = w->means, *scale = w->scale;
  const int breslow = w->ties == AXS_COX_BRESLOW;
  double xs[p], al[p], be[p];
  double den = 0, ll = 0;
  int top = 1;                  /* still in the stratum the carry belongs to */
  for (size_t i = hi; i > lo;)
    {
      i--;
      if ((w->flag[i] & W_LAST) && i + 1 < hi)
        {
          /* a new stratum: the risk set starts empty, nothing carried */
          top = 0;
          den = 0;
          memset (c.a, 0, p * sizeof *c.a);
          memset (c.c, 0, p * p * sizeof *c.c);
        }
      /* the rows of one block of tied times, the deaths kept apart; a
         row counted m times weighs m (times 1 is exact: uncounted rows
         get the same numbers as with no counts at all) */
      double ndead = 0, e = 0;
      for (;;)
        {
          if (i >= lo + GATHER_AHEAD)
            fetch_row (w, i - GATHER_AHEAD);
          const double *xr = sorted_row (w, i);
          for (size_t j = 0; j < p; j++)
            xs[j] = (xr[j] - means[j]) * scale[j];
          double m = row_count (w, i), r = m * w->risk[i];
          unsigned char f = w->flag[i];
          if (f & W_EVENT)
            {
              ndead += m;
              e += r;
              ll += m * w->eta[i];
              for (size_t j = 0; j < p; j++)
                c.u[j] += m * xs[j];
              add_row (p, c.cb, c.b, r, xs);
            }
          else
            {
              den += r;
              add_row (p, c.c, c.a, r, xs);
            }
          if (!(f & W_TIED))
            break;
          i--;
        }
      if (ndead == 0)
        continue;

      double q0, w0;
      if (breslow || ndead == 1)
        {
          /* the deaths at once: the arithmetic of R's coxfit6 */
          den += e;
          double dd = den + (top ? dcarry : 0);
          ll -= ndead * log (dd);
          for (size_t j = 0; j < p; j++)
            c.a[j] += c.b[j];
          for (size_t j = 0; j < p; j++)
            {
              double mean = c.a[j] / dd;
              c.u[j] -= ndead * mean;
              row_info (j, p, c.c + j * p, c.cb + j * p, c.imat + j * p, ndead,
                        mean, c.a, dd);
            }
          memset (c.b, 0, p * sizeof *c.b);
          memset (c.cb, 0, p * p * sizeof *c.cb);
          q0 = ndead / dd;
          w0 = q0 / dd;
          for (size_t j = 0; j < p; j++)
            al[j] = w0 * c.a[j];
        }
      else
        {
          double d0 = den + (top ? dcarry : 0);
          double q1 = 0, w1 = 0, w2 = 0;
          q0 = w0 = 0;
          /* counted rows can bring many deaths: the steps from the first
             with x = s + d d0 / e >= EM_X on in closed form (efron_tail) */
          double steps = ndead;
          if (w->count != NULL && ndead > EM_DEATHS)
            {
              double a = d0 / (e / ndead);
              if (isfinite (a))
                steps = a >= EM_X ? 0 : EM_X - 1 - floor (a);
            }
          for (double st = 1; st <= steps; st++)
            {
              double fr = st / ndead, ds = d0 + fr * e;
              double iv = 1 / ds, iv2 = iv * iv;
              ll -= log (ds);
              q0 += iv;
              q1 += fr * iv;
              w0 += iv2;
              w1 += fr * iv2;
              w2 += fr * fr * iv2;
            }
          if (steps < ndead)
            {
              double tail[5];
              ll -= efron_tail (ndead, steps + 1, d0, e, tail);
              q0 += tail[0];
              q1 += tail[1];
              w0 += tail[2];
              w1 += tail[3];
              w2 += tail[4];
            }
          for (size_t j = 0; j < p; j++)
            {
              c.u[j] -= q0 * c.a[j] + q1 * c.b[j];
              al[j] = w0 * c.a[j] + w1 * c.b[j];
              be[j] = w1 * c.a[j] + w2 * c.b[j];
            }
          info_block (p, c.imat, q0, c.c, q1, c.cb, al, c.a, be, c.b);
          den += e;
          fold_deaths (p, c.c, c.cb, c.a, c.b);
        }
      if (top)
        {
          s[C_SQ0] += q0;
          s[C_SW0] += w0;
          for (size_t j = 0; j < p; j++)
            c.v[j] += al[j];
        }
    }
  s[C_LL] = ll;
  s[C_DEN] = den;
}

/* Log partial likelihood at BETA (scaled units); fills w->u and the upper
   triangle of w->imat. */
static double
cox_iterate (cox_work *w, const double *beta)
{
  const size_t p = w->p, nchunk = w->nchunk;
  w->beta = beta;
  axs_parallel_for (nchunk, w->nthreads, risk_task, w);

  /* the risks carried into each chunk, from the last one back */
  double carry = 0;
  for (size_t k = nchunk; k-- > 0;)
    {
      double *s = chunk_of (w, k).s;
      size_t hi = w->bound[k + 1];
      if (w->bound[k] == hi)
        {
          s[C_DCARRY] = 0;
          continue;
        }
      double in = (w->flag[hi - 1] & W_LAST) ? 0 : carry;
      s[C_DCARRY] = in;
      carry = s[C_DEN] + (s[C_RESET] != 0 ? 0 : in);
    }

  axs_parallel_for (nchunk, w->nthreads, walk_task, w);

  /* the chunks' shares in order, with the sums of x and x x' they carry */
  double *u = w->u, *imat = w->imat, *ac = w->acarry, *cc = w->ccarry;
  double loglik = 0;
  memset (u, 0, p * sizeof *u);
  memset (imat, 0, p * p * sizeof *imat);
  memset (ac, 0, p * sizeof *ac);
  memset (cc, 0, p * p * sizeof *cc);
  for (size_t k = nchunk; k-- > 0;)
    {
      chunk_part c = chunk_of (w, k);
      size_t hi = w->bound[k + 1];
      if (w->bound[k] == hi)
        continue;
      if (w->flag[hi - 1] & W_LAST)
        {
          memset (ac, 0, p * sizeof *ac);
          memset (cc, 0, p * p * sizeof *cc);
        }
      double sq0 = c.s[C_SQ0], sw0 = c.s[C_SW0];
      loglik += c.s[C_LL];
      for (size_t i = 0; i < p; i++)
        {
          u[i] += c.u[i] - sq0 * ac[i];
          for (size_t j = i; j < p; j++)
            imat[i * p + j] += c.imat[i * p + j] + sq0 * cc[i * p + j]
              - sw0 * ac[i] * ac[j] - (c.v[i] * ac[j] + ac[i] * c.v[j]);
        }
      /* what this chunk carries on: its sums from its first row to the end
         of that row's stratum, and the carry too when that is the same one */
      int keep = c.s[C_RESET] == 0;
      for (size_t i = 0; i < p; i++)
        {
          ac[i] = c.a[i] + (keep ? ac[i] : 0);
          for (size_t j = i; j < p; j++)
            cc[i * p + j] = c.c[i * p + j] + (keep ? cc[i * p + j] : 0);
        }
    }
  return loglik;
}

static void
work_free (cox_work *w)
{
  free (w->ord);
  free (w->flag);
  free (w->risk);
  free (w->bound);
  free (w->cbuf);
  free (w->u);
  free (w->imat);
  free (w->acarry);
  free (w->ccarry);
}

/* Setup pass over chunk K of sorted rows: the sums of |x - mean| into its
   A (in sorted order, as R). */
static void
spread_task (void *arg, size_t k)
{
  cox_work *w = arg;
  size_t p = w->p, lo = w->bound[k], hi = w->bound[k + 1];
  double *sabs = chunk_of (w, k).a;
  memset (sabs, 0, p * sizeof *sabs);
  for (size_t i = lo; i < hi; i++)
    {
      if (i + GATHER_AHEAD < hi)
        fetch_row (w, i + GATHER_AHEAD);
      const double *xr = sorted_row (w, i);
      double m = row_count (w, i);
      for (size_t j = 0; j < p; j++)
        sabs[j] += m * fabs (xr[j] - w->means[j]);
    }
}

/* Whether the rows are by stratum, then time, already: the order
   axs_order_strata would give is then the identity. */
static int
in_fit_order (size_t n, const double *time, const int *strata)
{
  for (size_t i = 1; i < n; i++)
    if (strata != NULL && strata[i] != strata[i - 1]
        ? strata[i] < strata[i - 1] : time[i] < time[i - 1])
      return 0;
  return 1;
}

/* Sort rows by (stratum, time), stable, into W: the order, the flags, the
   chunks; the means and scales of the columns (MEANS and SCALE, length p,
   which W reads).  MEANS comes in holding the columns' sums over the TOTAL
   patients the rows stand for (COUNT, or NULL for one each); ETA is scratch
   of n.  Returns a status. */
static int
work_setup (cox_work *w, size_t n, size_t p, const double *x,
            const double *time, const int *event, const int *strata,
            const double *count, double total, double *means, double *scale,
            double *eta)
{
  memset (w, 0, sizeof *w);
  w->n = n;
  w->p = p;
  w->x = x;
  w->event = event;
  w->count = count;
  w->means = means;
  w->scale = scale;
  w->eta = eta;
  w->nthreads = axs_parallel_threads ();
  w->nchunk = n / CHUNK_ROWS;
  w->nchunk = w->nchunk < 1 ? 1 : w->nchunk > MAX_CHUNKS ? MAX_CHUNKS : w->nchunk;
  w->stride = C_NSCALAR + 4 * p + 3 * p * p;
  int status = AXS_OK;
  size_t *ord = NULL;
  if (!in_fit_order (n, time, strata))
    {
      ord = w->ord = malloc (n * sizeof *ord);
      status = ord ? axs_order_strata (n, time, strata, ord) : AXS_ENOMEM;
    }
  if (status == AXS_OK)
    {
      w->flag = malloc (n);
      w->risk = malloc (n * sizeof *w->risk);
      w->bound = malloc ((w->nchunk + 1) * sizeof *w->bound);
      w->cbuf = malloc (w->nchunk * w->stride * sizeof *w->cbuf);
      w->u = malloc (p * sizeof *w->u);
      w->imat = malloc (p * p * sizeof *w->imat);
      w->acarry = malloc (p * sizeof *w->acarry);
      w->ccarry = malloc (p * p * sizeof *w->ccarry);
      if (!w->flag || !w->risk || !w->bound || !w->cbuf || !w->u
          || !w->imat || !w->acarry || !w->ccarry)
        status = AXS_ENOMEM;
    }
  if (status != AXS_OK)
    {
      work_free (w);
      return status;
    }

  /* flags */
  for (size_t i = 0; i < n; i++)
    {
      size_t r = ord ? ord[i] : i, next = ord && i + 1 < n ? ord[i + 1] : i + 1;
      int last = (i + 1 == n)
        || (strata != NULL && strata[next] != strata[r]);
      int tied = i > 0 && !(w->flag[i - 1] & W_LAST)
        && time[ord ? ord[i - 1] : i - 1] == time[r];
      w->flag[i] = (unsigned char) ((event[r] ? W_EVENT : 0) | (last ? W_LAST : 0)
                                    | (tied ? W_TIED : 0));
    }
  /* chunks of about equal size, each starting a block of tied rows */
  w->bound[0] = 0;
  for (size_t k = 1; k <= w->nchunk; k++)
    {
      size_t b = k == w->nchunk ? n : n * k / w->nchunk;
      if (b < w->bound[k - 1])
        b = w->bound[k - 1];
      while (b < n && (w->flag[b] & W_TIED))
        b++;
      w->bound[k] = b;
    }

  for (size_t j = 0; j < p; j++)
    means[j] = means[j] / total;
  axs_parallel_for (w->nchunk, w->nthreads, spread_task, w);
  for (size_t j = 0; j < p; j++)
    {
      double sabs = 0;
      for (size_t k = 0; k < w->nchunk; k++)
        sabs += chunk_of (w, k).a[j];
      /* scaling keeps the pivots of very differently sized columns comparable */
      scale[j] = sabs > 0 ? total / sabs : 1.0;
    }
  return AXS_OK;
}

/* Blocks of input rows (checks, sums, linear predictors): a fixed split. */
enum { BLOCK_ROWS = 1 << 15 };

typedef struct
{
  size_t n, p;
  const double *x, *time, *count;
  const int *event, *strata;
  double *sum;        /* nblock * (p + 1): each block's column sums, then
                         its patients */
  size_t *nevent;     /* nblock */
  unsigned char *bad; /* nblock */
} check_job;

/* The largest count of a row: its sums stay exact in doubles. */
#define COUNT_MAX 9007199254740992.0

static void
check_task (void *arg, size_t k)
{
  const check_job *j = arg;
  size_t p = j->p, lo = k * BLOCK_ROWS;
  size_t hi = lo + BLOCK_ROWS < j->n ? lo + BLOCK_ROWS : j->n;
  double *sum = j->sum + k * (p + 1);
  size_t nevent = 0;
  int bad = 0;
  memset (sum, 0, (p + 1) * sizeof *sum);
  for (size_t i = lo; i < hi; i++)
    {
      double m = 1.0;
      if (j->count != NULL)
        {
          m = j->count[i];
          if (!(m >= 1 && m <= COUNT_MAX && m == floor (m)))
            {
              bad = 1;
              m = 1.0;
            }
        }
      bad |= !isfinite (j->time[i]) || (j->event[i] != 0 && j->event[i] != 1)
        || (j->strata != NULL && j->strata[i] < 0);
      for (size_t c = 0; c < p; c++)
        {
          bad |= !isfinite (j->x[i * p + c]);
          sum[c] += m * j->x[i * p + c];
        }
      sum[p] += m;
      if (j->event[i] == 1)
        nevent += (size_t) m;
    }
  j->nevent[k] = nevent;
  j->bad[k] = (unsigned char) bad;
}

/* Check the inputs (AXS_EINVAL for a bad one) and sum X's columns into SUM
   (p), the patients into SUM[p] and the events into *NEVENT, counting
   COUNT (or NULL: one each) patients a row; blocks of rows on threads, their
   sums added in block order. */
static int
check_inputs (size_t n, size_t p, const double *x, const double *time,
              const int *event, const int *strata, const double *count,
              double *sum, size_t *nevent)
{
  size_t nblock = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
  check_job j = { n, p, x, time, count, event, strata,
                  malloc (nblock * (p + 1) * sizeof (double)),
                  malloc (nblock * sizeof (size_t)), malloc (nblock) };
  int status = j.sum && j.nevent && j.bad ? AXS_OK : AXS_ENOMEM;
  if (status == AXS_OK)
    {
      axs_parallel_for (nblock, axs_parallel_threads (), check_task, &j);
      memset (sum, 0, (p + 1) * sizeof *sum);
      *nevent = 0;
      for (size_t k = 0; k < nblock; k++)
        {
          if (j.bad[k])
            status = AXS_EINVAL;
          *nevent += j.nevent[k];
          for (size_t c = 0; c <= p; c++)
            sum[c] += j.sum[k * (p + 1) + c];
        }
    }
  free (j.sum);
  free (j.nevent);
  free (j.bad);
  return status;
}

/* The linear predictors of a block of rows. */
typedef struct
{
  size_t n, p;
  const double *x, *coef;
  const int *singular;
  double offset;
  double *lp;
} lp_job;

static void
lp_task (void *arg, size_t k)
{
  const lp_job *j = arg;
  size_t p = j->p, lo = k * BLOCK_ROWS;
  size_t hi = lo + BLOCK_ROWS < j->n ? lo + BLOCK_ROWS : j->n;
  for (size_t i = lo; i < hi; i++)
    {
      double s = 0;
      for (size_t c = 0; c < p; c++)
        if (!j->singular[c])
          s += j->x[i * p + c] * j->coef[c];
      j->lp[i] = s - j->offset;
    }
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
  double *buf = malloc ((5 * p + 1 + 2 * p * p) * sizeof *buf);
  if (buf == NULL)
    return AXS_ENOMEM;
  double *scale = buf, *beta = scale + p, *newbeta = beta + p, *step = newbeta + p;
  double *sum = step + p;       /* p + 1: the columns' sums, for their means,
                                   and the patients */
  double *info0 = sum + p + 1;  /* p*p */
  double *fact = info0 + p * p; /* p*p: the factor of the information, then its inverse */

  /* the inputs checked and the columns summed in one pass, in blocks */
  size_t nevent = 0;
  int status = check_inputs (n, p, x, time, event, strata, opt->count, sum,
                             &nevent);
  if (status != AXS_OK || nevent == 0)
    {
      free (buf);
      return status != AXS_OK ? status : AXS_EDOM;
    }

  memcpy (res->means, sum, p * sizeof *sum);
  status = work_setup (&w, n, p, x, time, event, strata, opt->count, sum[p],
                       res->means, scale, res->lp);
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
  lp_job lj = { n, p, x, res->coef, res->singular, offset, res->lp };
  axs_parallel_for ((n + BLOCK_ROWS - 1) / BLOCK_ROWS, axs_parallel_threads (),
                    lp_task, &lj);

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
