/* multitest.h: p-values adjusted for many tests, as R's p.adjust. */
#ifndef AXS_MULTITEST_H
#define AXS_MULTITEST_H

#include <stddef.h>

/* Benjamini-Hochberg q-values (false discovery rate), R's
   p.adjust (p, method = "BH").

   In:  P[n] p-values in [0, 1], or NaN for a test that could not be done.
   Out: Q[n] (may be P itself): NaN where P is NaN; otherwise, with the m
        non-NaN p-values sorted as p(1) <= ... <= p(m),
            q(i) = min (1, min over k >= i of m p(k) / k),
        evaluated in R's order (sorted decreasing, cumulative minimum of
        m / i * p).  As in R, NaN entries are left out of m.
   Returns AXS_OK; AXS_EINVAL (NULL pointer with n > 0, or a p-value outside
   [0, 1]); AXS_ENOMEM.
   Cost: one O(n) radix sort (n words allocated inside). */
int axs_p_adjust_bh (size_t n, const double *p, double *q);

#endif
