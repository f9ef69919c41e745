/* maxstat.c: maximally selected log-rank statistic (R maxstat 0.7-25), its
   Lau92/Lau94 p-values, a permutation p-value and a bootstrap of the cut.

   Everything is organised around two sort orders computed once (by time and by
   marker).  Scores come from one pass in time order, the candidates and the
   scores in marker order from one pass in marker order, and the statistic at
   every candidate from running sums: O(n) after the sorts.  The bootstrap
   reuses the two orders by carrying a multiplicity per patient, so a resample
   costs O(n) too.  */
#include "stats/maxstat.h"
#include "stats/order.h"
#include "stats/parallel.h"
#include "stats/status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

/* 1/sqrt(2 pi), as R's Rmath.h has it */
#define AXS_1_SQRT_2PI 0.398942280401432677939946059934
#define AXS_PI 3.141592653589793238462643383280

/* Relative slack when a permuted maximum is compared with the observed one. */
#define PERM_TIE_TOL 1e-10

struct axs_maxstat_workspace
{
  size_t capacity;
  size_t *ot;          /* patients by ascending time (stable) */
  size_t *om;          /* patients by ascending marker (stable) */
  double *score;       /* log-rank score per patient */
  double *ys;          /* scores in marker order, one entry per (copy of a) patient */
  size_t *cand_m;      /* candidate sizes of the low group, ascending */
  double *cand_cut;    /* the candidate cut values */
  size_t *mult;        /* bootstrap: copies of each patient in the resample */
  unsigned char *ek;   /* events in time order, then in marker order (the
                          passes on threads) */
  int split;           /* the last prepare ran on threads: SCORE holds the
                          markers in marker order, EK the events */
};

axs_maxstat_workspace *
axs_maxstat_workspace_alloc (size_t n)
{
  if (n == 0)
    return NULL;
  axs_maxstat_workspace *w = calloc (1, sizeof *w);
  if (!w)
    return NULL;
  w->capacity = n;
  w->ot = malloc (n * sizeof *w->ot);
  w->om = malloc (n * sizeof *w->om);
  w->score = malloc (n * sizeof *w->score);
  w->ys = malloc (n * sizeof *w->ys);
  w->cand_m = malloc (n * sizeof *w->cand_m);
  w->cand_cut = malloc (n * sizeof *w->cand_cut);
  w->mult = malloc (n * sizeof *w->mult);
  w->ek = malloc (n);
  if (!w->ot || !w->om || !w->score || !w->ys || !w->cand_m || !w->cand_cut
      || !w->mult || !w->ek)
    {
      axs_maxstat_workspace_free (w);
      return NULL;
    }
  return w;
}

const size_t *
axs_maxstat_time_order (const axs_maxstat_workspace *w)
{
  return w->ot;
}

void
axs_maxstat_workspace_free (axs_maxstat_workspace *w)
{
  if (!w)
    return;
  free (w->ot);
  free (w->om);
  free (w->score);
  free (w->ys);
  free (w->cand_m);
  free (w->cand_cut);
  free (w->mult);
  free (w->ek);
  free (w);
}

axs_maxstat_result *
axs_maxstat_result_alloc (size_t n)
{
  if (n == 0)
    return NULL;
  axs_maxstat_result *res = calloc (1, sizeof *res);
  if (!res)
    return NULL;
  res->capacity = n;
  res->profile_cut = malloc (n * sizeof *res->profile_cut);
  res->profile_stat = malloc (n * sizeof *res->profile_stat);
  res->profile_n_low = malloc (n * sizeof *res->profile_n_low);
  if (!res->profile_cut || !res->profile_stat || !res->profile_n_low)
    {
      axs_maxstat_result_free (res);
      return NULL;
    }
  return res;
}

void
axs_maxstat_result_free (axs_maxstat_result *res)
{
  if (!res)
    return;
  free (res->profile_cut);
  free (res->profile_stat);
  free (res->profile_n_low);
  free (res);
}

/* ------------------------------------------------------------------------ */

static int
check_args (size_t n, const double *time, const int *event,
            const double *marker, double minprop, double maxprop,
            const axs_maxstat_workspace *w)
{
  if (n == 0 || !time || !event || !marker || !w)
    return AXS_EINVAL;
  else if (w->capacity < n)
    return AXS_EINVAL;
  else if (!(minprop >= 0 && maxprop <= 1 && minprop < maxprop))
    return AXS_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (!isfinite (time[i]) || !isfinite (marker[i])
        || (event[i] != 0 && event[i] != 1))
      return AXS_EINVAL;
  return AXS_OK;
}

typedef struct
{
  size_t n;
  const double *x[2];
  size_t *order[2];
  int status[2];
} sort_job;

static void
sort_task (void *arg, size_t k)
{
  sort_job *j = arg;
  j->status[k] = axs_order (j->n, j->x[k], j->order[k]);
}

/* The two orders at once, one a thread when there are two. */
static int
sort_both (size_t n, const double *time, const double *marker,
           axs_maxstat_workspace *w)
{
  sort_job j = { n, { time, marker }, { w->ot, w->om }, { AXS_OK, AXS_OK } };
  axs_parallel_for (2, axs_parallel_threads (), sort_task, &j);
  return j.status[0] != AXS_OK ? j.status[0] : j.status[1];
}

/* A block of tied times with D_EVENT events into the running sum *ACC:
   tied patients share the denominator DENOM = N - max rank + 1.  R's
   cumsum accumulates in long double and rounds each partial sum to
   double; so do we, adding the increment once per event as R's vector
   would hold it.  Returns the block's cum. */
static double
add_block (long double *acc, size_t d_event, size_t denom)
{
  if (d_event > 0)
    {
      double fact = 1.0 / (double) denom;
      for (size_t e = 0; e < d_event; e++)
        *acc += fact;
    }
  return (double) *acc;
}

/* ---- the passes of the original sample on threads ------------------------

   Reading patients in time or marker order jumps about memory, and that is
   most of the cost at large N: the gathers and scatters run on threads over
   a fixed split of the sorted positions, and the sums over tied blocks, which
   must add in order, run on one thread over the gathered (contiguous) values
   with the very arithmetic of the one-thread pass.  The bootstrap's
   resamples (MULT) keep the one-thread passes. */
enum { SPLIT_MIN = 1 << 16 };   /* fewer patients: one thread */
enum { SPLIT_TASKS = 16 };      /* tasks of a pass */

typedef struct
{
  size_t n;
  const double *x;              /* by patient */
  const int *event;             /* by patient, or NULL */
  const size_t *order;          /* positions -> patients */
  double *xk;                   /* by position: X gathered */
  unsigned char *ek;            /* by position: EVENT gathered, or NULL */
  double *score;                /* by patient (scatter), or NULL */
  const double *cum;            /* by position: what the scatter subtracts */
} split_job;

static void
split_range (const split_job *j, size_t k, size_t *lo, size_t *hi)
{
  *lo = j->n * k / SPLIT_TASKS;
  *hi = j->n * (k + 1) / SPLIT_TASKS;
}

static void
gather_task (void *arg, size_t k)
{
  split_job *j = arg;
  size_t lo, hi;
  split_range (j, k, &lo, &hi);
  for (size_t p = lo; p < hi; p++)
    {
      size_t i = j->order[p];
      j->xk[p] = j->x[i];
      if (j->ek)
        j->ek[p] = (unsigned char) j->event[i];
    }
}

static void
scatter_task (void *arg, size_t k)
{
  split_job *j = arg;
  size_t lo, hi;
  split_range (j, k, &lo, &hi);
  for (size_t p = lo; p < hi; p++)
    j->score[j->order[p]] = (double) j->ek[p] - j->cum[p];
}

/* logrank_scores of the original sample (MULT NULL) on threads: times and
   events gathered in time order into TK and EK (scratch of N), the blocks
   of tied times summed in order as logrank_scores does, the scores
   scattered back. */
static void
logrank_scores_split (size_t n, const double *time, const int *event,
                      const size_t *ot, double *tk, unsigned char *ek, double *score)
{
  int threads = axs_parallel_threads ();
  split_job j = { .n = n, .x = time, .event = event, .order = ot, .xk = tk,
                  .ek = ek, .score = score, .cum = tk };
  axs_parallel_for (SPLIT_TASKS, threads, gather_task, &j);
  long double acc = 0;
  for (size_t a = 0; a < n;)
    {
      size_t b = a + 1, d_event = ek[a];
      while (b < n && tk[b] == tk[a])
        d_event += ek[b++];
      double cum = add_block (&acc, d_event, n - b + 1);
      for (size_t k = a; k < b; k++)
        tk[k] = cum;            /* each position's cum, in place */
      a = b;
    }
  axs_parallel_for (SPLIT_TASKS, threads, scatter_task, &j);
}

/* Log-rank scores of exactRankTests::cscores.Surv, for a sample of N patients
   in which patient i appears MULT[i] times (MULT NULL: once each).  One pass
   over the time order OT in blocks of tied times (add_block), an event
   counted once per copy.  */
static void
logrank_scores (size_t n, const double *time, const int *event,
                const size_t *ot, const size_t *mult, size_t big_n,
                double *score)
{
  long double acc = 0;
  size_t seen = 0;
  for (size_t a = 0; a < n;)
    {
      size_t b = a + 1;
      while (b < n && time[ot[b]] == time[ot[a]])
        b++;
      size_t d_all = 0, d_event = 0;
      for (size_t k = a; k < b; k++)
        {
          size_t i = ot[k], c = mult ? mult[i] : 1;
          d_all += c;
          d_event += c * (size_t) event[i];
        }
      seen += d_all;   /* the largest rank in the block (irank) */
      double cum = add_block (&acc, d_event, big_n - seen + 1);
      for (size_t k = a; k < b; k++)
        score[ot[k]] = (double) event[ot[k]] - cum;
      a = b;
    }
}

/* Lay the scores out in marker order (MULT[i] copies of patient i) into YS
   and list the candidate cuts into CAND_M / CAND_CUT, as maxstat's cmaxstat:
   m runs over the starts of the blocks of tied markers (0-based), i.e. the
   size of the group below the block, and the cut is the previous marker value.
   Returns the number of candidates.  */
static size_t
marker_layout (size_t n, const double *marker, const size_t *om,
               const double *score, const size_t *mult, size_t big_n,
               double minprop, double maxprop, double *ys, size_t *cand_m,
               double *cand_cut)
{
  /* maxstat: with minprop 0 and maxprop 1 it keeps m[2:(length(m) - 1)],
     dropping m = 0 and also the last split; otherwise it filters by counts */
  int all_but_ends = (minprop == 0 && maxprop == 1);
  double lo = fmax (1, floor ((double) big_n * minprop));
  double hi = floor ((double) big_n * maxprop);
  size_t ncand = 0, emitted = 0;
  double prev = 0;
  for (size_t k = 0; k < n; k++)
    {
      size_t i = om[k], c = mult ? mult[i] : 1;
      if (c == 0)
        continue;
      if (emitted > 0 && marker[i] != prev)
        {
          double m = (double) emitted;
          if (all_but_ends || (m >= lo && m <= hi))
            {
              cand_m[ncand] = emitted;
              cand_cut[ncand] = prev;
              ncand++;
            }
        }
      for (size_t j = 0; j < c; j++)
        ys[emitted++] = score[i];
      prev = marker[i];
    }
  if (all_but_ends && ncand > 0)
    ncand--;
  return ncand;
}

/* marker_layout of the original sample (MULT NULL) on threads: the scores
   gathered in marker order into YS, then the markers into MK over the
   scores (no longer needed) and the events into EK, the candidates listed
   on one thread. */
static size_t
marker_layout_split (size_t n, const double *marker, const int *event,
                     const size_t *om, double *score, double minprop,
                     double maxprop, double *ys, unsigned char *ek,
                     size_t *cand_m, double *cand_cut)
{
  int threads = axs_parallel_threads ();
  split_job j = { .n = n, .x = score, .order = om, .xk = ys };
  axs_parallel_for (SPLIT_TASKS, threads, gather_task, &j);
  double *mk = score;
  j = (split_job) { .n = n, .x = marker, .event = event, .order = om, .xk = mk,
                    .ek = ek };
  axs_parallel_for (SPLIT_TASKS, threads, gather_task, &j);
  int all_but_ends = (minprop == 0 && maxprop == 1);
  double lo = fmax (1, floor ((double) n * minprop));
  double hi = floor ((double) n * maxprop);
  size_t ncand = 0;
  for (size_t k = 1; k < n; k++)
    if (mk[k] != mk[k - 1])
      {
        double m = (double) k;
        if (all_but_ends || (m >= lo && m <= hi))
          {
            cand_m[ncand] = k;
            cand_cut[ncand] = mk[k - 1];
            ncand++;
          }
      }
  if (all_but_ends && ncand > 0)
    ncand--;
  return ncand;
}

/* The two sums the conditional moments need, rounded to double as R's sum()
   leaves them.  Returns AXS_EDOM when every score is the same: then V = 0 and
   there is nothing to test (no events, or one single event time for all). */
static int
score_moments (size_t big_n, const double *ys, double *sum, double *varfac)
{
  long double s = 0, q = 0;
  int all_equal = 1;
  for (size_t i = 0; i < big_n; i++)
    {
      s += ys[i];
      q += ys[i] * ys[i];
      all_equal &= (ys[i] == ys[0]);
    }
  double ss = (double) s, sq = (double) q;
  double nd = (double) big_n;
  *sum = ss;
  *varfac = nd * sq - ss * ss;
  if (all_equal || !(*varfac > 0))
    return AXS_EDOM;
  return AXS_OK;
}

/* Standardized statistic at each candidate from a running sum over YS;
   STATS may be NULL.  Returns the maximum, its first index in *BEST. */
static double
scan (size_t big_n, const double *ys, size_t ncand, const size_t *cand_m,
      double ss, double varfac, double *stats, size_t *best)
{
  double nd = (double) big_n;
  double denom = nd * nd * (nd - 1);
  long double acc = 0;
  size_t pos = 0;
  double max = -1;
  *best = 0;
  for (size_t k = 0; k < ncand; k++)
    {
      while (pos < cand_m[k])
        acc += ys[pos++];
      double m = (double) cand_m[k];
      double cs = (double) acc;
      double e = m / nd * ss;
      double v = m * (nd - m) / denom * varfac;
      double t = fabs ((cs - e) / sqrt (v));
      if (stats)
        stats[k] = t;
      if (t > max)   /* strict: the first (smallest) cut wins a tie */
        {
          max = t;
          *best = k;
        }
    }
  return max;
}

/* R's dnorm(x): the split x = x1 + x2 beyond 5 keeps the tail accurate. */
static double
dnorm_r (double x)
{
  x = fabs (x);
  if (x < 5)
    return AXS_1_SQRT_2PI * exp (-0.5 * x * x);
  if (x > sqrt (-2 * M_LN2 * (DBL_MIN_EXP + 1 - DBL_MANT_DIG)))
    return 0;
  double x1 = ldexp (nearbyint (ldexp (x, 16)), -16);
  double x2 = x - x1;
  return AXS_1_SQRT_2PI * (exp (-0.5 * x1 * x1) * exp ((-0.5 * x2 - x1) * x2));
}

double
axs_maxstat_p_lau92 (double b, double minprop, double maxprop)
{
  if (isnan (b) || !(minprop >= 0 && maxprop <= 1 && minprop < maxprop))
    return NAN;
  if (b < 1)
    return 1;
  if (minprop == 0 || maxprop == 1)
    return NAN;   /* the log below is infinite: the approximation needs 0 < eps */
  double db = dnorm_r (b);
  double p = 4 * db / b + db * (b - 1 / b)
    * log ((maxprop * (1 - minprop)) / ((1 - maxprop) * minprop));
  return fmax (p, 0);
}

double
axs_maxstat_p_lau94 (double b, size_t n, size_t n_cuts, const size_t *m_low)
{
  if (isnan (b) || n == 0 || (n_cuts > 1 && !m_low))
    return NAN;
  long double d = 0;
  double nd = (double) n;
  for (size_t i = 0; i + 1 < n_cuts; i++)
    {
      double m1 = (double) m_low[i], m2 = (double) m_low[i + 1];
      double t = sqrt (1 - m1 * (nd - m2) / ((nd - m1) * m2));
      d += 1 / AXS_PI * exp (-(b * b) / 2)
        * (t - (b * b / 4 - 1) * pow (t, 3) / 6);
    }
  return 1 - (gsl_cdf_ugaussian_P (b) - gsl_cdf_ugaussian_P (-b)) + (double) d;
}

/* Sorts, scores, layout, moments: everything before the scan, for the
   original sample.  */
static int
prepare (size_t n, const double *time, const int *event, const double *marker,
         double minprop, double maxprop, axs_maxstat_workspace *w,
         size_t *ncand, double *ss, double *varfac)
{
  int status = check_args (n, time, event, marker, minprop, maxprop, w);
  if (status == AXS_OK)
    status = sort_both (n, time, marker, w);
  if (status != AXS_OK)
    return status;
  w->split = n >= SPLIT_MIN;
  if (w->split)
    {
      /* YS is scratch until the layout fills it */
      logrank_scores_split (n, time, event, w->ot, w->ys, w->ek, w->score);
      *ncand = marker_layout_split (n, marker, event, w->om, w->score, minprop,
                                    maxprop, w->ys, w->ek, w->cand_m, w->cand_cut);
    }
  else
    {
      logrank_scores (n, time, event, w->ot, NULL, n, w->score);
      *ncand = marker_layout (n, marker, w->om, w->score, NULL, n, minprop,
                              maxprop, w->ys, w->cand_m, w->cand_cut);
    }
  if (*ncand == 0)
    return AXS_EDOM;
  return score_moments (n, w->ys, ss, varfac);
}

int
axs_maxstat_test (size_t n, const double *time, const int *event,
                  const double *marker, double minprop, double maxprop,
                  axs_maxstat_workspace *w, axs_maxstat_result *res)
{
  if (!res || res->capacity + 1 < n)
    return AXS_EINVAL;
  size_t ncand, best;
  double ss, varfac;
  int status = prepare (n, time, event, marker, minprop, maxprop, w, &ncand,
                        &ss, &varfac);
  if (status != AXS_OK)
    return status;

  double m_stat = scan (n, w->ys, ncand, w->cand_m, ss, varfac,
                        res->profile_stat, &best);
  memcpy (res->profile_cut, w->cand_cut, ncand * sizeof *res->profile_cut);
  memcpy (res->profile_n_low, w->cand_m, ncand * sizeof *res->profile_n_low);
  res->n_cuts = ncand;
  res->best = best;
  res->n = n;
  res->cut = w->cand_cut[best];
  res->statistic = m_stat;
  res->n_low = w->cand_m[best];
  res->n_high = n - res->n_low;

  size_t ev_low = 0, ev_all = 0, at_cut = 0;
  if (w->split)
    {
      /* in marker order: the patients at the cut end the low group */
      const double *mk = w->score;
      for (size_t k = 0; k < n; k++)
        {
          ev_all += w->ek[k];
          if (k < res->n_low)
            ev_low += w->ek[k];
        }
      for (size_t k = res->n_low; k > 0 && mk[k - 1] == res->cut; k--)
        at_cut++;
    }
  else
    for (size_t k = 0; k < n; k++)
      {
        size_t i = w->om[k];
        ev_all += (size_t) event[i];
        if (k < res->n_low)
          ev_low += (size_t) event[i];
        at_cut += (marker[i] == res->cut);
      }
  res->events = ev_all;
  res->events_low = ev_low;
  res->events_high = ev_all - ev_low;
  res->n_at_cut = at_cut;
  res->p_lau92 = axs_maxstat_p_lau92 (m_stat, minprop, maxprop);
  res->p_lau94 = axs_maxstat_p_lau94 (m_stat, n, ncand, w->cand_m);
  return AXS_OK;
}

int
axs_maxstat_permtest (size_t n, const double *time, const int *event,
                      const double *marker, double minprop, double maxprop,
                      size_t b, gsl_rng *rng, axs_maxstat_workspace *w,
                      double *p_value, size_t *n_exceed)
{
  if (b == 0 || !rng || !p_value)
    return AXS_EINVAL;
  size_t ncand, best, count = 0;
  double ss, varfac;
  int status = prepare (n, time, event, marker, minprop, maxprop, w, &ncand,
                        &ss, &varfac);
  if (status != AXS_OK)
    return status;

  /* S and Q do not change under permutation: E and V are reused. */
  double m_obs = scan (n, w->ys, ncand, w->cand_m, ss, varfac, NULL, &best);
  double threshold = m_obs * (1 - PERM_TIE_TOL);
  for (size_t r = 0; r < b; r++)
    {
      gsl_ran_shuffle (rng, w->ys, n, sizeof *w->ys);
      if (scan (n, w->ys, ncand, w->cand_m, ss, varfac, NULL, &best)
          >= threshold)
        count++;
    }
  *p_value = (double) (count + 1) / ((double) b + 1);
  if (n_exceed)
    *n_exceed = count;
  return AXS_OK;
}

int
axs_maxstat_bootstrap (size_t n, const double *time, const int *event,
                       const double *marker, double minprop, double maxprop,
                       size_t b, gsl_rng *rng, axs_maxstat_workspace *w,
                       double *cuts, size_t *n_undefined)
{
  if (b == 0 || !rng || !cuts)
    return AXS_EINVAL;
  /* gsl_rng_uniform_int aborts through the GSL error handler beyond this */
  else if (n - 1 > gsl_rng_max (rng) - gsl_rng_min (rng))
    return AXS_EINVAL;
  size_t ncand, best, undefined = 0;
  double ss, varfac;
  int status = prepare (n, time, event, marker, minprop, maxprop, w, &ncand,
                        &ss, &varfac);
  if (status != AXS_OK)
    return status;

  for (size_t r = 0; r < b; r++)
    {
      memset (w->mult, 0, n * sizeof *w->mult);
      for (size_t j = 0; j < n; j++)
        w->mult[gsl_rng_uniform_int (rng, n)]++;
      logrank_scores (n, time, event, w->ot, w->mult, n, w->score);
      ncand = marker_layout (n, marker, w->om, w->score, w->mult, n, minprop,
                             maxprop, w->ys, w->cand_m, w->cand_cut);
      if (ncand == 0 || score_moments (n, w->ys, &ss, &varfac) != AXS_OK)
        {
          cuts[r] = NAN;
          undefined++;
          continue;
        }
      scan (n, w->ys, ncand, w->cand_m, ss, varfac, NULL, &best);
      cuts[r] = w->cand_cut[best];
    }
  if (n_undefined)
    *n_undefined = undefined;
  return AXS_OK;
}
