/* quantile.h: sample quantiles, R's default definition (quantile(x, p, type = 7)).

   For n values sorted as x(1) <= ... <= x(n) and a probability p in [0, 1]:
       h = 1 + (n - 1) p,   lo = floor(h),   hi = ceil(h),
       Q(p) = x(lo) + (h - lo) (x(hi) - x(lo)),
   evaluated as R does, (1 - g) x(lo) + g x(hi) with g = h - lo, and only when
   h > lo and x(hi) != x(lo), so that Q is exactly an order statistic whenever it
   can be.  Q(0) is the minimum, Q(1) the maximum, and for even n the median is
   the mean of the two middle values.  Like R, a p within 100 DBL_EPSILON outside
   [0, 1] is clamped to it; anything further out is an error.  */
#ifndef AXS_QUANTILE_H
#define AXS_QUANTILE_H

#include <stddef.h>

/* Q(P) of X[0..n-1] (any order; X is not modified) into *Q.
   Returns AXS_OK; AXS_EINVAL if a pointer is NULL, X holds a NaN or P is
   outside [0, 1] (or NaN); AXS_EDOM if n == 0; AXS_ENOMEM.
   Cost: one O(n) radix sort (axs_order) of a temporary sorted copy (2n words
   allocated and freed inside) per call; for several probabilities use
   axs_quantiles, which sorts once.  */
int axs_quantile (size_t n, const double *x, double p, double *q);

/* Q(P[j]) into Q[j] for j = 0..np-1, with one sort of X[0..n-1].
   Same returns as axs_quantile (np == 0 is allowed and does nothing but the
   argument checks). */
int axs_quantiles (size_t n, const double *x, size_t np, const double *p,
                   double *q);

/* Q(P) of SORTED[0..n-1], already in ascending order (not checked): O(1).
   Returns AXS_OK, AXS_EINVAL (NULL, NaN or out-of-range P) or AXS_EDOM
   (n == 0). */
int axs_quantile_sorted (size_t n, const double *sorted, double p, double *q);

#endif
