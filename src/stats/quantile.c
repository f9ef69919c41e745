/* quantile.c: R's type-7 sample quantiles over a sorted copy. */
#include "stats/quantile.h"
#include "stats/order.h"
#include "stats/status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

/* R accepts probabilities this far outside [0, 1] and clamps them: a p computed
   as, say, 1 - 0.1 * 10 must not fail. */
#define PROB_FUZZ (100 * DBL_EPSILON)

static int
clamp_prob (double p, double *out)
{
  if (!(p >= -PROB_FUZZ && p <= 1 + PROB_FUZZ))   /* also rejects NaN */
    return AXS_EINVAL;
  *out = p < 0 ? 0 : (p > 1 ? 1 : p);
  return AXS_OK;
}

int
axs_quantile_sorted (size_t n, const double *sorted, double p, double *q)
{
  double pc;
  if (sorted == NULL || q == NULL || clamp_prob (p, &pc) != AXS_OK)
    return AXS_EINVAL;
  else if (n == 0)
    return AXS_EDOM;

  /* The arithmetic mirrors stats:::quantile.default (1-based index), so that
     the result is the same double as R's. */
  double index = 1 + (double) (n - 1) * pc;
  double lo = floor (index), hi = ceil (index);
  double qs = sorted[(size_t) lo - 1];
  double xhi = sorted[(size_t) hi - 1];
  if (index > lo && xhi != qs)
    {
      double h = index - lo;
      qs = (1 - h) * qs + h * xhi;
    }
  *q = qs;
  return AXS_OK;
}

int
axs_quantiles (size_t n, const double *x, size_t np, const double *p,
               double *q)
{
  if (x == NULL || (np > 0 && (p == NULL || q == NULL)))
    return AXS_EINVAL;
  for (size_t j = 0; j < np; j++)
    {
      double pc;
      if (clamp_prob (p[j], &pc) != AXS_OK)
        return AXS_EINVAL;
    }
  for (size_t i = 0; i < n; i++)
    if (isnan (x[i]))
      return AXS_EINVAL;   /* R refuses NaN unless na.rm; the caller drops them */
  if (n == 0)
    return AXS_EDOM;
  if (np == 0)
    return AXS_OK;

  size_t *order = malloc (n * sizeof *order);
  double *sorted = malloc (n * sizeof *sorted);
  int status = AXS_ENOMEM;
  if (order && sorted)
    status = axs_order (n, x, order);
  if (status == AXS_OK)
    {
      for (size_t i = 0; i < n; i++)
        sorted[i] = x[order[i]];
      for (size_t j = 0; j < np && status == AXS_OK; j++)
        status = axs_quantile_sorted (n, sorted, p[j], &q[j]);
    }
  free (order);
  free (sorted);
  return status;
}

int
axs_quantile (size_t n, const double *x, double p, double *q)
{
  if (q == NULL)
    return AXS_EINVAL;
  return axs_quantiles (n, x, 1, &p, q);
}
