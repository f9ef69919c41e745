/* multitest.c: Benjamini-Hochberg q-values. */
#include "stats/multitest.h"
#include "stats/order.h"
#include "stats/status.h"

#include <math.h>
#include <stdlib.h>

int
axs_p_adjust_bh (size_t n, const double *p, double *q)
{
  if (n == 0)
    return AXS_OK;
  else if (p == NULL || q == NULL)
    return AXS_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (!isnan (p[i]) && !(p[i] >= 0 && p[i] <= 1))
      return AXS_EINVAL;

  size_t *ord = malloc (n * sizeof *ord);
  double *val = malloc (n * sizeof *val);
  if (!ord || !val)
    {
      free (ord);
      free (val);
      return AXS_ENOMEM;
    }
  /* NaN sorts last: give it a key above every p so the m tests come first */
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    {
      val[i] = isnan (p[i]) ? 2.0 : p[i];
      m += !isnan (p[i]);
    }
  int status = axs_order (n, val, ord);
  if (status == AXS_OK)
    {
      /* from the largest p down: q = cummin (m / i * p(i)), ties agree
         whatever their order since their running minimum is the same */
      double run = INFINITY;
      for (size_t k = m; k-- > 0;)
        {
          double x = (double) m / (double) (k + 1) * p[ord[k]];
          if (x < run)
            run = x;
          val[k] = run < 1 ? run : 1;
        }
      /* write through a copy so that Q may alias P */
      for (size_t k = m; k < n; k++)
        val[k] = NAN;
      for (size_t k = 0; k < n; k++)
        q[ord[k]] = val[k];
    }
  free (ord);
  free (val);
  return status;
}
