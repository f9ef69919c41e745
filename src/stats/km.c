/* km.c: Kaplan–Meier curves with Greenwood errors, median, landmarks and
   restricted mean, matching R survival 3.5 (survfit, summary.survfit, survmean). */
#include "stats/km.h"
#include "stats/order.h"
#include "stats/status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

static int check_input (const axs_km_input *in, int ngroups);
static void fill_curve (const axs_km_input *in, const size_t *idx, size_t len,
                        double z, axs_km_curve *c);
static void conf_interval (axs_km_conf_type type, double z, double s,
                           double se_h, double *lower, double *upper);
static double median_time (const axs_km_row *rows, size_t nrows, int which);
static void restricted_mean (axs_km_curve *c, double tau);
static void read_landmark (const axs_km_curve *c, double t, axs_km_landmark *lm);

void
axs_km_input_init (axs_km_input *in)
{
  if (!in)
    return;
  memset (in, 0, sizeof *in);
  in->ngroups = 1;
  in->conf_type = AXS_KM_CONF_LOG;
  in->conf_level = 0.95;
  in->tau = NAN;
}

void
axs_km_result_free (axs_km_result *result)
{
  if (!result)
    return;
  free (result->row_store_);
  free (result->landmark_store_);
  free (result->curves);
  free (result);
}

static int
check_input (const axs_km_input *in, int ngroups)
{
  if (in->n == 0 || !in->time || !in->event)
    return AXS_EINVAL;
  else if (ngroups < 1)
    return AXS_EINVAL;
  else if (in->conf_type != AXS_KM_CONF_LOG && in->conf_type != AXS_KM_CONF_LOGLOG
           && in->conf_type != AXS_KM_CONF_PLAIN)
    return AXS_EINVAL;
  else if (!(in->conf_level > 0 && in->conf_level < 1))
    return AXS_EINVAL;
  else if (in->nlandmarks > 0 && !in->landmarks)
    return AXS_EINVAL;
  else if (!isnan (in->tau) && !(in->tau >= 0 && isfinite (in->tau)))
    return AXS_EINVAL;
  for (size_t i = 0; i < in->nlandmarks; i++)
    if (!(in->landmarks[i] >= 0 && isfinite (in->landmarks[i])))
      return AXS_EINVAL;
  for (size_t i = 0; i < in->n; i++)
    {
      if (!(in->time[i] >= 0 && isfinite (in->time[i])))
        return AXS_EINVAL;
      if (in->event[i] != 0 && in->event[i] != 1)
        return AXS_EINVAL;
      if (in->group && (in->group[i] < 0 || in->group[i] >= ngroups))
        return AXS_EINVAL;
    }
  return AXS_OK;
}

/* R's survfit_confint with logse = TRUE: S = 0 (and S = 1 for log-log) has no
   interval; plain is clipped to [0, 1] but stays NaN where se is undefined. */
static void
conf_interval (axs_km_conf_type type, double z, double s, double se_h,
               double *lower, double *upper)
{
  switch (type)
    {
    case AXS_KM_CONF_PLAIN:
      {
        double w = se_h * s * z;
        *lower = isnan (w) ? NAN : fmax (s - w, 0);
        *upper = isnan (w) ? NAN : fmin (s + w, 1);
        break;
      }
    case AXS_KM_CONF_LOG:
      if (s == 0)
        *lower = *upper = NAN;
      else
        {
          *lower = exp (log (s) - z * se_h);
          *upper = fmin (exp (log (s) + z * se_h), 1);
        }
      break;
    case AXS_KM_CONF_LOGLOG:
      if (s == 0 || s == 1)
        *lower = *upper = NAN;
      else
        {
          double w = z * se_h / log (s);
          *lower = exp (-exp (log (-log (s)) - w));
          *upper = exp (-exp (log (-log (s)) + w));
        }
      break;
    }
}

/* IDX[0..len-1]: the group's patients in ascending time.  Fills the rows
   (already allocated in C->rows, C->nrows of them) and n, events, last_time. */
static void
fill_curve (const axs_km_input *in, const size_t *idx, size_t len, double z,
            axs_km_curve *c)
{
  size_t at_risk = len, r = 0, events = 0;
  double s = 1, greenwood = 0;
  for (size_t k = 0; k < len;)
    {
      double t = in->time[idx[k]];
      size_t d = 0, m = 0;
      for (; k < len && in->time[idx[k]] == t; k++, m++)
        d += (size_t) in->event[idx[k]];
      axs_km_row *row = &c->rows[r++];
      row->time = t;
      row->n_risk = at_risk;
      row->n_event = d;
      row->n_censor = m - d;
      if (d > 0)
        {
          double nr = (double) at_risk, dd = (double) d;
          s *= (nr - dd) / nr;
          /* all at risk die: S = 0 and Greenwood is infinite, S * se is NaN (R) */
          greenwood += d < at_risk ? dd / (nr * (nr - dd)) : INFINITY;
        }
      double se_h = sqrt (greenwood);
      row->surv = s;
      row->std_err = s * se_h;
      conf_interval (in->conf_type, z, s, se_h, &row->lower, &row->upper);
      events += d;
      at_risk -= m;
    }
  c->n = len;
  c->events = events;
  c->last_time = len > 0 ? in->time[idx[len - 1]] : NAN;
}

/* print.survfit's minmin: WHICH 0 = surv, 1 = lower, 2 = upper. */
static double
median_time (const axs_km_row *rows, size_t nrows, int which)
{
  const double tol = sqrt (DBL_EPSILON);
  size_t j;
  double y1 = NAN;
  for (j = 0; j < nrows; j++)
    {
      double y = which == 0 ? rows[j].surv : which == 1 ? rows[j].lower : rows[j].upper;
      if (!isnan (y) && y < 0.5 + tol)
        {
          y1 = y;
          break;
        }
    }
  if (j == nrows)
    return NAN;
  if (fabs (y1 - 0.5) < tol)
    for (size_t k = j + 1; k < nrows; k++)
      {
        double y = which == 0 ? rows[k].surv : which == 1 ? rows[k].lower : rows[k].upper;
        if (!isnan (y) && y < y1)
          return (rows[j].time + rows[k].time) / 2;
      }
  return rows[j].time;
}

/* survmean: rectangles under the step function from 0 to tau, the curve held
   after its last time; the variance sums, backwards as R does, the squared area
   beyond each time weighted by that time's Greenwood increment. */
static void
restricted_mean (axs_km_curve *c, double tau)
{
  if (c->n == 0)
    {
      c->rmst = c->rmst_se = NAN;
      return;
    }
  size_t kept = 0;
  while (kept < c->nrows && c->rows[kept].time <= tau)
    kept++;
  if (kept == 0)
    {
      c->rmst = tau;
      c->rmst_se = 0;
      return;
    }
  double mean = c->rows[0].time;
  for (size_t j = 1; j < kept; j++)
    mean += (c->rows[j].time - c->rows[j - 1].time) * c->rows[j - 1].surv;
  mean += (tau - c->rows[kept - 1].time) * c->rows[kept - 1].surv;

  double area = 0, var = 0;
  double t_next = tau;
  for (size_t j = kept; j-- > 0;)
    {
      const axs_km_row *row = &c->rows[j];
      area += (t_next - row->time) * row->surv;
      if (row->n_event > 0 && row->n_event < row->n_risk)
        {
          double nr = (double) row->n_risk, d = (double) row->n_event;
          var += d / (nr * (nr - d)) * area * area;
        }
      t_next = row->time;
    }
  c->rmst = mean;
  c->rmst_se = sqrt (var);
}

static void
read_landmark (const axs_km_curve *c, double t, axs_km_landmark *lm)
{
  /* first row with time > t, by bisection */
  size_t lo = 0, hi = c->nrows;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (c->rows[mid].time <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  lm->time = t;
  if (lo == 0)
    {
      lm->surv = 1;
      lm->std_err = 0;
      lm->lower = lm->upper = 1;
    }
  else
    {
      const axs_km_row *row = &c->rows[lo - 1];
      lm->surv = row->surv;
      lm->std_err = row->std_err;
      lm->lower = row->lower;
      lm->upper = row->upper;
    }
  /* at risk at t: those whose time is >= t */
  if (lo > 0 && c->rows[lo - 1].time == t)
    lm->n_risk = c->rows[lo - 1].n_risk;
  else
    lm->n_risk = lo < c->nrows ? c->rows[lo].n_risk : 0;
  lm->beyond_end = c->n == 0 || t > c->last_time;
  if (c->n == 0)
    lm->surv = lm->std_err = lm->lower = lm->upper = NAN;
}

int
axs_km_fit (const axs_km_input *in, axs_km_result **result)
{
  if (!result)
    return AXS_EINVAL;
  *result = NULL;
  if (!in)
    return AXS_EINVAL;
  int ngroups = in->group ? in->ngroups : 1;
  int status = check_input (in, ngroups);
  if (status != AXS_OK)
    return status;

  size_t *first = malloc (((size_t) ngroups + 1) * sizeof *first);
  size_t *idx_owned = NULL;
  const size_t *idx = first ? axs_order_by_class (in->n, in->time, in->time_order,
                                                  in->group, ngroups, first,
                                                  &idx_owned) : NULL;
  axs_km_result *res = calloc (1, sizeof *res);
  if (!idx || !res)
    goto nomem;
  res->ngroups = ngroups;
  res->conf_type = in->conf_type;
  res->conf_level = in->conf_level;
  res->nlandmarks = in->nlandmarks;
  res->curves = calloc ((size_t) ngroups, sizeof *res->curves);
  if (!res->curves)
    goto nomem;

  /* count distinct times per group to size the rows exactly */
  size_t total = 0;
  for (int g = 0; g < ngroups; g++)
    {
      size_t rows = 0;
      for (size_t k = first[g]; k < first[g + 1]; k++)
        if (k == first[g] || in->time[idx[k]] != in->time[idx[k - 1]])
          rows++;
      res->curves[g].nrows = rows;
      total += rows;
    }
  res->row_store_ = malloc (total * sizeof *res->row_store_);
  if (in->nlandmarks > 0)
    res->landmark_store_ = malloc ((size_t) ngroups * in->nlandmarks
                                   * sizeof *res->landmark_store_);
  if (!res->row_store_ || (in->nlandmarks > 0 && !res->landmark_store_))
    goto nomem;

  double tau = in->tau;
  if (isnan (tau))
    {
      tau = 0;
      for (size_t i = 0; i < in->n; i++)
        tau = fmax (tau, in->time[i]);
    }
  res->tau = tau;

  double z = gsl_cdf_ugaussian_Pinv (1 - (1 - in->conf_level) / 2);
  axs_km_row *rows = res->row_store_;
  for (int g = 0; g < ngroups; g++)
    {
      axs_km_curve *c = &res->curves[g];
      c->rows = c->nrows > 0 ? rows : NULL;
      rows += c->nrows;
      fill_curve (in, idx + first[g], first[g + 1] - first[g], z, c);
      c->median = median_time (c->rows, c->nrows, 0);
      c->median_lower = median_time (c->rows, c->nrows, 1);
      c->median_upper = median_time (c->rows, c->nrows, 2);
      restricted_mean (c, tau);
      c->landmarks = in->nlandmarks > 0
        ? res->landmark_store_ + (size_t) g * in->nlandmarks : NULL;
      for (size_t l = 0; l < in->nlandmarks; l++)
        read_landmark (c, in->landmarks[l], &c->landmarks[l]);
    }

  free (idx_owned);
  free (first);
  *result = res;
  return AXS_OK;

nomem:
  free (idx_owned);
  free (first);
  axs_km_result_free (res);
  return AXS_ENOMEM;
}
